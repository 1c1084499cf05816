//! Entry points for the fuzzers (`fuzz/`): each parser on its own, natively, under small
//! limits, returning the frames it wrote so the fuzz target can check them.
//!
//! Package formats are fed two ways: a whole file (input starting with a ZIP or OLE2
//! signature), or — so that mutations reach the XML instead of breaking the ZIP's
//! checksums — the input as the one main part of a minimal package built around it.

use std::cell::RefCell;
use std::io::{Cursor, Write};
use std::rc::Rc;

use docsandbox_protocol::{Format, Request};

use crate::dispatch::{Input, Job, Route};
use crate::ooxml::package::Package;
use crate::output::Output;

/// Limits of every fuzzing request: small pages, few of them.
pub const DPI: u32 = 36;
/// Pages rendered at most per input.
pub const MAX_PAGES: u32 = 2;
/// Longest page side, in pixels.
pub const MAX_PAGE_SIDE: u32 = 2_000;
/// Most pixels per page.
pub const MAX_PAGE_PIXELS: u64 = 1 << 20;
/// The password every fuzzing request carries (the corpus' encrypted seeds use others, so
/// decryption is exercised up to the key check, and beyond it for seeds built with it).
pub const PASSWORD: &str = "fuzz";

/// The parser a fuzz target drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parser {
    /// PDF structure and rendering (hayro).
    Pdf,
    /// Word documents: a package, or `word/document.xml`.
    Docx,
    /// Presentations: a package, or one slide's XML.
    Pptx,
    /// Workbooks: an XLSX/ODS package or XLS file, or one worksheet's XML.
    Sheet,
    /// Raster images of every supported format.
    Image,
    /// Plain text, CSV and TSV in any encoding.
    Text,
    /// ZIP archives, with their entries rendered recursively.
    Zip,
    /// E-mail: `.eml` (MIME) or an Outlook `.msg`.
    Mail,
    /// Encrypted containers (OOXML in OLE2, XLS, DOC and PPT RC4, ODF), opened with
    /// [`PASSWORD`].
    Encrypted,
    /// Rich Text Format (inputs not starting with `{\rtf` are given that start).
    Rtf,
    /// A DrawingML chart part, shown in a slide's graphic frame.
    Chart,
    /// An EMF picture, shown in a Word document.
    Emf,
    /// OpenDocument text: a package, or its `content.xml`.
    Odt,
    /// OpenDocument presentations and drawings: a package, or its `content.xml` (given
    /// master pages with shapes, gradients and pictures fills).
    Odp,
    /// PowerPoint 97-2003: a whole `.ppt`, or a bare "PowerPoint Document" stream put in a
    /// compound file of its own (found through its last user edit).
    Ppt,
    /// Word 97-2003: a whole `.doc`, or its streams framed: a little-endian u32 length,
    /// that many bytes of WordDocument stream, then the rest as the table (`1Table`) and
    /// Data streams, put in a compound file of their own.
    Doc,
}

/// Runs `parser` on `document` and returns the frames it wrote.
pub fn run(parser: Parser, document: &[u8]) -> Vec<u8> {
    let wrapped;
    let whole = document.starts_with(b"PK\x03\x04") || document.starts_with(b"\xD0\xCF\x11\xE0");
    let document = match parser {
        Parser::Docx if !whole => {
            wrapped = package(&[("word/document.xml", document)]);
            &wrapped[..]
        }
        Parser::Rtf if !document.starts_with(b"{\\rtf") => {
            wrapped = [&b"{\\rtf1 "[..], document].concat();
            &wrapped[..]
        }
        Parser::Pptx if !whole => {
            wrapped = package(&[
                ("ppt/presentation.xml", PRESENTATION.as_bytes()),
                ("ppt/_rels/presentation.xml.rels", PRESENTATION_RELS.as_bytes()),
                ("ppt/slides/slide1.xml", document),
            ]);
            &wrapped[..]
        }
        Parser::Chart => {
            wrapped = package(&[
                ("ppt/presentation.xml", PRESENTATION.as_bytes()),
                ("ppt/_rels/presentation.xml.rels", PRESENTATION_RELS.as_bytes()),
                ("ppt/slides/slide1.xml", CHART_SLIDE.as_bytes()),
                ("ppt/slides/_rels/slide1.xml.rels", CHART_SLIDE_RELS.as_bytes()),
                ("ppt/charts/chart1.xml", document),
            ]);
            &wrapped[..]
        }
        Parser::Emf => {
            wrapped = package(&[
                ("word/document.xml", EMF_DOCUMENT.as_bytes()),
                ("word/_rels/document.xml.rels", EMF_DOCUMENT_RELS.as_bytes()),
                ("word/media/image1.emf", document),
            ]);
            &wrapped[..]
        }
        Parser::Odt if !whole => {
            wrapped = package(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", document), ("styles.xml", ODT_STYLES.as_bytes())]);
            &wrapped[..]
        }
        Parser::Odp if !whole => {
            wrapped =
                package(&[("mimetype", b"application/vnd.oasis.opendocument.presentation"), ("content.xml", document), ("styles.xml", ODP_STYLES.as_bytes())]);
            &wrapped[..]
        }
        Parser::Ppt if !whole => {
            wrapped = compound(&[("PowerPoint Document", document)]);
            &wrapped[..]
        }
        Parser::Doc if !whole => {
            let len = document.get(..4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
            let rest = document.get(4..).unwrap_or(&[]);
            let (word, table) = rest.split_at(len.min(rest.len()));
            wrapped = compound(&[("WordDocument", word), ("1Table", table), ("Data", table)]);
            &wrapped[..]
        }
        Parser::Sheet if !whole => {
            wrapped = package(&[
                ("_rels/.rels", ROOT_RELS.as_bytes()),
                ("xl/workbook.xml", WORKBOOK.as_bytes()),
                ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
                ("xl/worksheets/sheet1.xml", document),
            ]);
            &wrapped[..]
        }
        _ => document,
    };
    let request = Request {
        dpi: DPI,
        first_page: 1,
        last_page: u32::MAX,
        max_pages: MAX_PAGES,
        max_page_side: MAX_PAGE_SIDE,
        max_page_pixels: MAX_PAGE_PIXELS,
        max_report_bytes: 64 << 10,
        password: PASSWORD,
        passwords_from_message: true,
        sheet_gridlines: false,
        clock: 0,
        document,
    };
    let sink = SharedSink::default();
    let mut out = Output::new(Box::new(sink.clone()));
    let mut labeller = None;
    let job = Job::new(request, &mut out, &mut labeller);
    let bare = Input { format: None, package: None };
    // The renderer the target names, through the same table production uses; inputs that
    // are not of its kind go through detection, as in production.
    let routed = match parser {
        Parser::Pdf => Some((Route::Pdf, bare)),
        Parser::Docx | Parser::Pptx | Parser::Sheet | Parser::Chart | Parser::Emf | Parser::Odt | Parser::Odp if document.starts_with(b"PK") => {
            match Package::open(document) {
                Ok(package) => {
                    let (route, format) = match parser {
                        Parser::Docx | Parser::Emf => (Route::Docx, Format::Docx),
                        Parser::Odt => (Route::Odf, Format::Odt),
                        Parser::Odp => (Route::Odf, Format::Odp),
                        Parser::Pptx | Parser::Chart => (Route::Pptx, Format::Pptx),
                        _ if document.windows(8).any(|w| w == b"content.") => (Route::Sheet, Format::Ods),
                        _ => (Route::Sheet, Format::Xlsx),
                    };
                    Some((route, Input { format: Some(format), package: Some(package) }))
                }
                Err(_) => None,
            }
        }
        // As in production: OLE2 files go through the container reader first.
        Parser::Sheet | Parser::Ppt | Parser::Doc => Some((Route::Ole2, bare)),
        Parser::Image => crate::formats::image::format(document).map(|format| (Route::Image, Input::format(format))),
        Parser::Text => Some((Route::Text, bare)),
        Parser::Rtf => Some((Route::Rtf, Input::format(Format::Rtf))),
        Parser::Zip => Some((Route::Archive, bare)),
        Parser::Mail if document.starts_with(b"\xD0\xCF\x11\xE0") => Some((Route::Ole2, bare)),
        Parser::Mail => Some((Route::Mail, Input::format(Format::Eml))),
        Parser::Docx | Parser::Pptx | Parser::Chart | Parser::Emf | Parser::Odt | Parser::Odp | Parser::Encrypted => None,
    };
    match routed {
        Some((route, input)) => route.renderer()(job, input),
        None => job.render(),
    }
    out.end();
    drop(out);
    sink.take()
}

/// A compound file holding one stream.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("in memory");
    for (name, data) in streams {
        file.create_stream(name).and_then(|mut s| s.write_all(data)).expect("in memory");
    }
    file.flush().expect("in memory");
    file.into_inner().into_inner()
}

/// A stored (uncompressed) ZIP holding `parts`.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        // Writing to memory cannot fail for inputs this size.
        let _ = zip.start_file(*name, options).and_then(|_| zip.write_all(bytes).map_err(Into::into));
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// A sink the caller can still read after handing it to an [`Output`].
#[derive(Clone, Default)]
struct SharedSink(Rc<RefCell<Vec<u8>>>);

impl SharedSink {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl Write for SharedSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const PRESENTATION: &str = r#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>"#;
const PRESENTATION_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>"#;
const CHART_SLIDE: &str = r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree><p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="2" name="Chart"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="457200" y="457200"/><a:ext cx="8229600" cy="5943600"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>"#;
const CHART_SLIDE_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart1.xml"/></Relationships>"#;
const EMF_DOCUMENT: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:p><w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="3657600"/><a:graphic><a:graphicData><a:blip r:embed="rId1"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>"#;
const EMF_DOCUMENT_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.emf"/></Relationships>"#;
const ODT_STYLES: &str = r#"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:styles><style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:default-style></office:styles><office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin="2cm"/><style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"><style:footer><text:p>Page <text:page-number/> of <text:page-count/></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#;
/// Master page "M" for bare ODP content: a gradient background, a band, a slide number,
/// an opacity gradient and a bulleted outline style.
const ODP_STYLES: &str = r##"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"><office:styles><style:default-style style:family="graphic"><style:text-properties fo:font-size="18pt"/></style:default-style><draw:gradient draw:name="g" draw:style="radial" draw:cx="50%" draw:cy="80%" draw:start-color="#000080" draw:end-color="#ffffff"/><draw:opacity draw:name="o" draw:style="linear" draw:start="0%" draw:end="100%"/><style:style style:name="M-outline1" style:family="presentation"><style:graphic-properties draw:fill="solid" draw:opacity-name="o" style:shrink-to-fit="true"><text:list-style style:name="M-outline1"><text:list-level-style-bullet text:level="1" text:bullet-char="●"><style:list-level-properties text:space-before="0.3cm" text:min-label-width="0.9cm"/><style:text-properties fo:font-size="45%"/></text:list-level-style-bullet></text:list-style></style:graphic-properties></style:style><style:style style:name="M-outline2" style:family="presentation" style:parent-style-name="M-outline1"><style:text-properties fo:font-size="28pt"/></style:style></office:styles><office:automatic-styles><style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout><style:style style:name="Mdp" style:family="drawing-page"><style:drawing-page-properties draw:fill="gradient" draw:fill-gradient-name="g"/></style:style></office:automatic-styles><office:master-styles><style:master-page style:name="M" style:page-layout-name="PM1" draw:style-name="Mdp"><draw:rect svg:x="0cm" svg:y="14cm" svg:width="28cm" svg:height="1.75cm"/><draw:frame presentation:class="page-number" svg:x="20cm" svg:y="14cm" svg:width="6cm" svg:height="1cm"><draw:text-box><text:p><text:page-number/> <presentation:footer/></text:p></draw:text-box></draw:frame><draw:frame presentation:class="outline" presentation:placeholder="true" svg:width="20cm" svg:height="10cm"><draw:text-box/></draw:frame></style:master-page></office:master-styles></office:document-styles>"##;
const ROOT_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

#[cfg(test)]
mod tests {
    use super::*;
    use docsandbox_protocol::{Message, FRAME_HEADER_LEN};

    /// The page sizes in a run's output; panics on a frame that does not decode.
    fn pages(frames: &[u8]) -> Vec<(u32, u32)> {
        let mut rest = frames;
        let mut pages = Vec::new();
        while rest.len() >= FRAME_HEADER_LEN {
            let len = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
            match Message::decode(&rest[4..4 + len]).unwrap() {
                Message::Page(p) => pages.push((p.width, p.height)),
                Message::Failure { message, .. } => eprintln!("failure: {message}"),
                _ => {}
            }
            rest = &rest[4 + len..];
        }
        assert!(rest.is_empty());
        pages
    }

    #[test]
    fn bare_parts_are_wrapped_into_packages_that_render() {
        let docx = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(pages(&run(Parser::Docx, docx)).len(), 1);
        let slide = br#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree/></p:cSld></p:sld>"#;
        assert_eq!(pages(&run(Parser::Pptx, slide)).len(), 1);
        let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Hi</t></is></c><c r="B1"><v>2</v></c></row></sheetData></worksheet>"#;
        assert_eq!(pages(&run(Parser::Sheet, sheet)).len(), 1);
        let odt = br#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:p>Hello</text:p></office:text></office:body></office:document-content>"#;
        assert_eq!(pages(&run(Parser::Odt, odt)).len(), 1);
        let odp = br#"<office:document-content xmlns:office="o" xmlns:draw="d" xmlns:svg="s"><office:body><office:presentation><draw:page draw:master-page-name="M"><draw:rect svg:width="2cm" svg:height="1cm"/></draw:page><draw:page/></office:presentation></office:body></office:document-content>"#;
        assert_eq!(pages(&run(Parser::Odp, odp)).len(), 2);
        assert_eq!(pages(&run(Parser::Ppt, &crate::formats::pptx::ppt::tests::minimal_stream())).len(), 2);
    }

    /// Inputs the fuzzers once crashed on (`fuzz/regressions/<target>/`) stay fixed.
    #[test]
    fn fuzzer_finds_stay_fixed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
        let mut seen = 0;
        for target in std::fs::read_dir(&root).unwrap() {
            let target = target.unwrap().path();
            let parser = match target.file_name().unwrap().to_str().unwrap() {
                "pdf" => Parser::Pdf,
                "docx" => Parser::Docx,
                "pptx" => Parser::Pptx,
                "sheet" => Parser::Sheet,
                "image" => Parser::Image,
                "text" => Parser::Text,
                "zip" => Parser::Zip,
                "mail" => Parser::Mail,
                "encrypted" => Parser::Encrypted,
                "odt" => Parser::Odt,
                "odp" => Parser::Odp,
                "ppt" => Parser::Ppt,
                "doc" => Parser::Doc,
                other => panic!("no parser for fuzz/regressions/{other}"),
            };
            for file in std::fs::read_dir(&target).unwrap() {
                let frames = run(parser, &std::fs::read(file.unwrap().path()).unwrap());
                pages(&frames);
                assert!(frames.ends_with(&Message::End.encode_frame()), "no end message");
                seen += 1;
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn every_parser_survives_junk() {
        for parser in [
            Parser::Pdf,
            Parser::Docx,
            Parser::Pptx,
            Parser::Sheet,
            Parser::Image,
            Parser::Text,
            Parser::Zip,
            Parser::Mail,
            Parser::Encrypted,
            Parser::Odt,
            Parser::Odp,
            Parser::Ppt,
            Parser::Doc,
        ] {
            for junk in [&b""[..], b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"%PDF-1.7\n", b"<<<<", b"From: a\r\n\r\n"] {
                pages(&run(parser, junk));
            }
        }
    }
}
