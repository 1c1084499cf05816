//! Office documents (DOCX, XLSX, XLS, ODS, PPTX, legacy OLE2 files): recognised from their
//! content, inspected for macros, external links and DDE, and rendered by the paint layer
//! (OpenDocument text and presentations have `odt.rs` and `odp.rs`, PowerPoint 97-2003
//! `ppt.rs`). Hostile documents end fast with a typed outcome.

use crate::common;
use common::package;

use std::time::{Duration, Instant};

use docsandbox::{Error, RenderOptions};

#[test]
fn office_findings_are_reported() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, format, kind, detail) in [
        ("docx/SimpleMacro.docm", "docx", "vba-macros", "vbaProject.bin"),
        ("docx/SimpleMacro.docm", "docx", "macro-enabled", ""),
        ("docx/dde-test.docx", "docx", "dde", "DDE"),
        ("docx/sample_with_external_link_to_doc.docx", "docx", "external-ole-object", "http"),
        ("docx/stress011-un-report.docx", "docx", "uri", "http"),
        ("xlsx/vba.xlsm", "xlsx", "vba-macros", "vbaProject.bin"),
        ("xlsx/link-external-workbook-b.xlsx", "xlsx", "external-link", ".xls"),
        ("pptx/SimpleMacro.pptm", "pptx", "vba-macros", "vbaProject.bin"),
        ("xls/OOM_alloc.xls", "xls", "hidden-sheet", "EIM New Deals"),
    ] {
        let report = sandbox.inspect(&common::corpus_file(name).unwrap(), &RenderOptions::default()).unwrap();
        assert_eq!(report.format.as_deref(), Some(format), "{name}");
        assert!(report.page_count.is_some(), "{name}: no page count");
        assert!(report.findings.iter().any(|f| f.kind == kind && f.detail.contains(detail)), "{name}: no {kind} finding containing {detail:?} in {report:?}");
    }
}

#[test]
fn plain_office_documents_render_clean() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    // (file, format, pages, page size in pixels at 50 DPI)
    for (name, format, pages, size) in [
        // The Dangerzone workbooks ask for Letter, as LibreOffice prints them.
        ("xlsx/dangerzone-sample.xlsx", "xlsx", 6, (425, 550)),
        ("xlsx/50299-japanese.xlsx", "xlsx", 16, (414, 585)),
        ("xls/dangerzone-sample.xls", "xls", 6, (425, 550)),
        ("odf/dangerzone-sample.ods", "ods", 6, (414, 585)),
        ("pptx/dangerzone-sample.pptx", "pptx", 3, (552, 414)),
        ("pptx/with_japanese.pptx", "pptx", 1, (500, 375)),
    ] {
        let bytes = common::corpus_file(name).unwrap();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.report().format.as_deref(), Some(format), "{name}");
        assert!(!doc.report().has("vba-macros") && !doc.report().has("dde"), "{name}: {:?}", doc.report());
        assert_eq!(doc.pages().len(), pages, "{name}");
        let first = &doc.pages()[0];
        assert_eq!((first.width(), first.height()), size, "{name}");
        assert!(common::ink(first.rgba()) > 0.002, "{name}: page 1 is nearly blank");
        assert!(doc.pages().iter().all(|p| common::ink(p.rgba()) > 0.0001), "{name}: a blank page");
    }
    // OpenDocument text is drawn: the sample's title, picture, text and footer.
    let bytes = common::corpus_file("odf/dangerzone-sample.odt").unwrap();
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap();
    assert_eq!(doc.report().format.as_deref(), Some("odt"));
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    assert_eq!((doc.pages()[0].width(), doc.pages()[0].height()), (425, 550), "US Letter from its page layout");
    assert!(doc.pages().len() >= 2 && doc.pages().iter().all(|p| common::ink(p.rgba()) > 0.002));
    // OpenDocument presentations are drawn: the sample's three slides with their master
    // pictures, titles, picture and text.
    let bytes = common::corpus_file("odf/dangerzone-sample.odp").unwrap();
    assert_eq!(sandbox.inspect(&bytes, &RenderOptions::default()).unwrap().format.as_deref(), Some("odp"));
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    assert_eq!(doc.pages().len(), 3);
    assert_eq!((doc.pages()[0].width(), doc.pages()[0].height()), (552, 414), "28 x 21 cm from its master's page layout");
    assert!(doc.pages().iter().all(|p| common::ink(p.rgba()) > 0.01));
}

#[test]
fn a_name_that_lies_about_the_format_is_reported() {
    let sandbox = common::sandbox();
    let bytes = docx(r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>hi</w:t></w:r></w:p></w:body></w:document>"#);
    let named = |name: &str| sandbox.inspect(&bytes, &RenderOptions::default().file_name(name)).unwrap();
    let report = named("invoice.pdf");
    assert!(report.findings.iter().any(|f| f.kind == "extension-mismatch" && f.detail.contains(".pdf") && f.detail.contains("DOCX")), "{report:?}");
    assert!(!named("letter.DOCM").has("extension-mismatch"));
    assert!(!named("no-extension").has("extension-mismatch"));
    assert!(!named("unknown.xyz").has("extension-mismatch"));
}

#[test]
fn hostile_and_damaged_packages_end_fast_with_a_typed_outcome() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for name in [
        "docx/ExternalEntityInText.docx",
        "xlsx/54764-billion-laughs.xlsx",
        "xls/OOM_alloc.xls",
        "xls/too_small.xls",
        "xlsx/poc-xmlbomb.xlsx",
        "odf/issue_594_dos.ods",
        "docx/truncated62886.docx",
        "pptx/clusterfuzz-POIXSLFFuzzer-6254434927378432.pptx",
        "archive/invalid_cde_number_of_files_allocation_greater_offset.zip",
    ] {
        let bytes = common::corpus_file(name).unwrap();
        let started = Instant::now();
        let result = sandbox.inspect(&bytes, &RenderOptions::default());
        assert!(started.elapsed() < Duration::from_secs(5), "{name}: {:?}", started.elapsed());
        match result {
            Ok(_) | Err(Error::Malformed(_) | Error::Unsupported(_)) => {}
            Err(e) => panic!("{name}: {e}"),
        }
    }
    // A truncated package is damaged, not unsupported.
    let truncated = common::corpus_file("docx/truncated62886.docx").unwrap();
    assert!(matches!(sandbox.inspect(&truncated, &RenderOptions::default()), Err(Error::Malformed(_))));
}

#[test]
fn docx_renders_text_with_styles_and_japanese() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, min_pages) in [("docx/dangerzone-sample.docx", 1), ("docx/stress019-japanese.docx", 5), ("docx/stress011-un-report.docx", 10)] {
        let bytes = common::corpus_file(name).unwrap();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap();
        assert!(doc.pages().len() >= min_pages, "{name}: {} pages", doc.pages().len());
        assert!(doc.truncated().is_none(), "{name}");
        assert!(common::ink(doc.pages()[0].rgba()) > 0.002, "{name}: page 1 is blank");
        // Page size comes from sectPr: A4 for the Japanese call for proposals.
        if name.contains("japanese") {
            let page = &doc.pages()[0];
            assert_eq!((page.width(), page.height()), (414, 585), "{name}");
        }
    }
}

#[test]
fn generated_hostile_docx_end_with_a_typed_outcome() {
    let sandbox = common::sandbox();
    let document = |body: &str| {
        docx(&format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        ))
    };
    let cases = [
        // 200 000 nested elements.
        document(&format!("{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}", "<w:sdt><w:sdtContent>".repeat(100_000), "</w:sdtContent></w:sdt>".repeat(100_000))),
        // 300 000 empty paragraphs: the paragraph cap cuts them off.
        document(&"<w:p/>".repeat(300_000)),
        // A 2 MB paragraph of one word repeated.
        document(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "overflow ".repeat(230_000))),
        // An internal entity bomb in the document part.
        docx(
            r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&c;&c;&c;</w:t></w:r></w:p></w:body></w:document>"#,
        ),
        // Absurd page size and font size.
        document(r#"<w:p><w:r><w:rPr><w:sz w:val="4000000"/></w:rPr><w:t>big</w:t></w:r></w:p><w:sectPr><w:pgSz w:w="99999999" w:h="1"/></w:sectPr>"#),
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let started = std::time::Instant::now();
        match sandbox.render(bytes, &RenderOptions::default().dpi(30)) {
            Ok(doc) => assert!(!doc.pages().is_empty(), "case {i}"),
            Err(Error::FuelExhausted { .. } | Error::DeadlineExceeded { .. } | Error::Malformed(_)) => {}
            Err(e) => panic!("case {i}: {e}"),
        }
        assert!(started.elapsed() < Duration::from_secs(40), "case {i}: {:?}", started.elapsed());
    }
    // The entity bomb's references stay unexpanded text, and the paragraph cap is reported.
    let report = sandbox.inspect(&cases[1], &RenderOptions::default()).unwrap();
    assert!(report.has("content-truncated"), "{report:?}");
}

/// A minimal XLSX package around one worksheet's XML.
fn xlsx(sheet_xml: &str) -> Vec<u8> {
    package(&[
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet_xml.as_bytes()),
    ])
}

#[test]
fn generated_hostile_sheets_and_slides_end_with_a_typed_outcome() {
    let sandbox = common::sandbox();
    let sheet =
        |rows: &str| format!(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#);
    let slide_deck = |slide: &str| {
        package(&[
            ("ppt/presentation.xml", br#"<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>"#.as_slice()),
            ("ppt/_rels/presentation.xml.rels", br#"<Relationships><Relationship Id="rId2" Target="slides/slide1.xml"/></Relationships>"#),
            ("ppt/slides/slide1.xml", slide.as_bytes()),
        ])
    };
    let cases = [
        // Two cells at opposite corners of the largest sheet Excel allows.
        ("corners", xlsx(&sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#))),
        // A million rows of numbers.
        ("million rows", xlsx(&sheet(&(1..=1_000_000).map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#)).collect::<String>()))),
        // Absurd column widths and row heights.
        (
            "absurd geometry",
            xlsx(
                r#"<worksheet><cols><col min="1" max="16384" width="1e30"/></cols><sheetData><row r="1" ht="-5"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>"#,
            ),
        ),
        // 50 000 nested groups around one shape.
        (
            "deep groups",
            slide_deck(&format!(
                r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree>{}<p:sp><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></p:spPr></p:sp>{}</p:spTree></p:cSld></p:sld>"#,
                r#"<p:grpSp><p:grpSpPr><a:xfrm><a:off x="1" y="1"/><a:ext cx="1" cy="1"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>"#
                    .repeat(50_000),
                "</p:grpSp>".repeat(50_000)
            )),
        ),
        // A table of a million cells, spanning everything, in the default table style.
        (
            "million cells",
            slide_deck(&format!(
                r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:graphicFrame><p:xfrm><a:off x="0" y="0"/><a:ext cx="100" cy="100"/></p:xfrm><a:graphic><a:graphicData><a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}</a:tableStyleId></a:tblPr><a:tblGrid>{}</a:tblGrid>{}</a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>"#,
                r#"<a:gridCol w="1000"/>"#.repeat(1_000),
                format!(r#"<a:tr h="100">{}</a:tr>"#, r#"<a:tc gridSpan="99999" rowSpan="99999"/>"#.repeat(1_000)).repeat(1_000)
            )),
        ),
        // A shape the size of a city, and a slide size of nonsense.
        (
            "huge shape",
            slide_deck(
                r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:spPr><a:xfrm><a:off x="-9999999999" y="0"/><a:ext cx="99999999999999" cy="99999999999999"/></a:xfrm><a:prstGeom prst="ellipse"/><a:solidFill><a:srgbClr val="00FF00"/></a:solidFill></p:spPr><p:txBody><a:p><a:r><a:rPr sz="99999999"/><a:t>big</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#,
            ),
        ),
    ];
    for (name, bytes) in &cases {
        let started = std::time::Instant::now();
        // Each renders (cut to its caps) rather than failing.
        let doc = sandbox.render(bytes, &RenderOptions::default().dpi(30).pages(1..=3)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!doc.pages().is_empty(), "{name}");
        assert!(started.elapsed() < Duration::from_secs(40), "{name}: {:?}", started.elapsed());
    }
    // The corner cell is cut off, and the report says so; so are the table's cells.
    let report = sandbox.inspect(&cases[0].1, &RenderOptions::default()).unwrap();
    assert!(report.has("content-truncated"), "{report:?}");
    let doc = sandbox.render(&cases[4].1, &RenderOptions::default().dpi(30)).unwrap();
    assert!(doc.report().findings.iter().any(|f| f.detail.contains("table cells beyond")), "{:?}", doc.report().findings);
}

/// A minimal DOCX package around a document part.
fn docx(document_xml: &str) -> Vec<u8> {
    package(&[("word/document.xml", document_xml.as_bytes())])
}

#[test]
fn a_presentation_without_slides_shows_one_blank_slide() {
    let p = r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
    let presentation = format!(r#"<p:presentation {p}><p:sldIdLst/><p:sldSz cx="12192000" cy="6858000"/></p:presentation>"#);
    let bytes = package(&[("ppt/presentation.xml", presentation.as_bytes()), ("ppt/_rels/presentation.xml.rels", b"<Relationships/>")]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(36)).unwrap();
    assert_eq!(doc.report().page_count, Some(1));
    let page = &doc.pages()[0];
    // 16:9 at 36 DPI: 13.33 by 7.5 inches.
    assert_eq!((page.width(), page.height()), (480, 270));
    assert_eq!(common::pixels_like(page, [255, 255, 255]), (480 * 270) as usize);
}

#[test]
fn docx_draws_tables_lists_images_and_running_footers() {
    let sandbox = common::sandbox();
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="r" xmlns:wp="wp" xmlns:a="a""#;
    let document = format!(
        r#"<w:document {w}><w:body>
        <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>first item</w:t></w:r></w:p>
        <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>second item</w:t></w:r></w:p>
        <w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8"/><w:bottom w:val="single" w:sz="8"/><w:insideH w:val="single" w:sz="8"/></w:tblBorders></w:tblPr>
          <w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/></w:tblGrid>
          <w:tr><w:trPr><w:trHeight w:val="1440"/></w:trPr><w:tc><w:tcPr><w:shd w:fill="E02020"/></w:tcPr><w:p><w:r><w:t>red cell</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>plain cell</w:t></w:r></w:p></w:tc></w:tr>
          <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>spanning cell</w:t></w:r></w:p></w:tc></w:tr>
        </w:tbl>
        <w:p><w:r><w:drawing><wp:inline><wp:extent cx="1270000" cy="635000"/><a:graphic><a:graphicData><pic:pic xmlns:pic="p"><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
        <w:p><w:r><w:br w:type="page"/></w:r></w:p>
        <w:p><w:r><w:t>page two</w:t></w:r></w:p>
        <w:sectPr><w:footerReference w:type="default" r:id="rIdFoot"/><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:footer="720"/></w:sectPr>
        </w:body></w:document>"#
    );
    let numbering = format!(
        r#"<w:numbering {w}><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
    );
    let footer = format!(
        r#"<w:ftr {w}><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:color w:val="20A020"/><w:sz w:val="40"/></w:rPr><w:t>Page </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:color w:val="20A020"/><w:sz w:val="40"/></w:rPr><w:t>9</w:t></w:r></w:fldSimple></w:p></w:ftr>"#
    );
    let rels = r#"<Relationships><Relationship Id="rIdImg" Target="media/blue.png"/><Relationship Id="rIdFoot" Target="footer1.xml"/></Relationships>"#;
    let blue = common::solid_png(40, 20, [20, 40, 230]);
    let bytes = package(&[
        ("word/document.xml", document.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("word/footer1.xml", footer.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/blue.png", &blue),
    ]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 2, "the page break makes a second page");
    let first = &doc.pages()[0];
    assert_eq!((first.width(), first.height()), (612, 792));
    // The shaded cell: 200 x 72 pt at 72 DPI, minus its text.
    assert!(common::pixels_like(first, [0xE0, 0x20, 0x20]) > 10_000, "red cell: {}", common::pixels_like(first, [0xE0, 0x20, 0x20]));
    // The image, 100 x 50 pt.
    let blue_pixels = common::pixels_like(first, [20, 40, 230]);
    assert!((4_500..=5_500).contains(&blue_pixels), "blue image: {blue_pixels}");
    // The footer, in green, in the bottom margin of both pages.
    for page in doc.pages() {
        let bottom = &page.rgba()[(page.width() * 700 * 4) as usize..];
        let green = bottom.chunks_exact(4).filter(|p| p[1] > 120 && p[0] < 100 && p[2] < 100).count();
        assert!(green > 30, "page {}: footer missing ({green} green pixels)", page.number());
    }
    // Table borders: dark horizontal rules across the table's width.
    let row_ink = |y: u32| {
        first.rgba()[(y * first.width() * 4) as usize..((y + 1) * first.width() * 4) as usize]
            .chunks_exact(4)
            .filter(|p| p[0] < 90 && p[1] < 90 && p[2] < 90)
            .count()
    };
    assert!((0..792).any(|y| row_ink(y) > 350), "no table border found");
}

/// A real XLS with one cell moved to row 65 000, column 256 (legal in Excel 97-2003):
/// calamine keeps each sheet as a dense grid up to its farthest cell (over 500 MB here,
/// past the memory limit, found by fuzzing). The guest leaves such cells out, says so,
/// and renders the rest.
#[test]
fn an_xls_cell_at_the_far_corner_does_not_blow_up_the_grid() {
    use std::io::{Read, Write};
    let Some(original) = common::corpus_file("xls/dangerzone-sample.xls") else {
        return;
    };
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(original)).unwrap();
    let mut workbook = Vec::new();
    file.open_stream("Workbook").unwrap().read_to_end(&mut workbook).unwrap();
    // Move the last single-cell record (LabelSst or Number) of the stream far away.
    let (mut at, mut last_cell) = (0, None);
    while at + 4 <= workbook.len() {
        let kind = u16::from_le_bytes([workbook[at], workbook[at + 1]]);
        let size = u16::from_le_bytes([workbook[at + 2], workbook[at + 3]]) as usize;
        if matches!(kind, 0x00FD | 0x0203) {
            last_cell = Some(at + 4);
        }
        at += 4 + size;
    }
    let cell = last_cell.expect("a cell record");
    workbook[cell..cell + 4].copy_from_slice(&[0xE8, 0xFD, 0xFF, 0x00]); // row 65 000, column 255
    let mut patched = cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new())).unwrap();
    patched.create_stream("/Workbook").unwrap().write_all(&workbook).unwrap();
    patched.flush().unwrap();
    let bytes = patched.into_inner().into_inner();

    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(50)).expect("the rest of the workbook renders");
    assert!(!doc.pages().is_empty());
    assert!(doc.report().findings.iter().any(|f| f.kind == "content-truncated" && f.detail.contains("beyond row")), "{:?}", doc.report().findings);
    assert!(doc.stats().peak_memory_bytes < 256 << 20, "peak guest memory {} bytes", doc.stats().peak_memory_bytes);
}

/// A 10 x 7.5 inch presentation of one slide, with more parts (its relationships, media).
fn one_slide(slide: &str, more: &[(&str, &[u8])]) -> Vec<u8> {
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("ppt/presentation.xml", br#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>"#),
        ("ppt/_rels/presentation.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>"#),
        ("ppt/slides/slide1.xml", slide.as_bytes()),
    ];
    parts.extend_from_slice(more);
    package(&parts)
}

#[test]
fn pptx_gradient_backgrounds_and_shape_fills_are_drawn() {
    // A background from black at the top to white at the bottom, and a rectangle from red
    // on the left to blue on the right, at (5, 1) inches, 4 by 2 inches.
    let slide = r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld>
<p:bg><p:bgPr><a:gradFill><a:gsLst><a:gs pos="0"><a:srgbClr val="000000"/></a:gs><a:gs pos="100000"><a:srgbClr val="FFFFFF"/></a:gs></a:gsLst><a:lin ang="5400000"/></a:gradFill></p:bgPr></p:bg>
<p:spTree><p:sp><p:spPr><a:xfrm><a:off x="4572000" y="914400"/><a:ext cx="3657600" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/>
<a:gradFill><a:gsLst><a:gs pos="100000"><a:srgbClr val="0000FF"/></a:gs><a:gs pos="0"><a:srgbClr val="FF0000"/></a:gs></a:gsLst><a:lin ang="0"/></a:gradFill></p:spPr></p:sp></p:spTree></p:cSld></p:sld>"#;
    let bytes = one_slide(slide, &[]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(36)).unwrap();
    let page = &doc.pages()[0];
    let at = |x: u32, y: u32| {
        let i = (y * page.width() + x) as usize * 4;
        [page.rgba()[i], page.rgba()[i + 1], page.rgba()[i + 2]]
    };
    assert!(at(60, 3)[0] < 30 && at(60, 266)[0] > 225, "dark top, light bottom: {:?} {:?}", at(60, 3), at(60, 266));
    let (left, right) = (at(183, 54), at(321, 54));
    assert!(left[0] > 200 && left[2] < 60, "red at the left: {left:?}");
    assert!(right[2] > 200 && right[0] < 60, "blue at the right: {right:?}");
}

#[test]
fn pptx_shapes_turn_about_their_centre() {
    // A red 4 x 1 inch bar at (3, 3) inches, turned 90 degrees: it stands 1 inch wide and
    // 4 inches tall about the same centre (5, 3.5) inches, at 36 DPI.
    let slide = r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>
<p:sp><p:spPr><a:xfrm rot="5400000"><a:off x="2743200" y="2743200"/><a:ext cx="3657600" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></p:spPr></p:sp></p:spTree></p:cSld></p:sld>"#;
    let bytes = one_slide(slide, &[]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(36)).unwrap();
    let page = &doc.pages()[0];
    let red = |x: u32, y: u32| {
        let i = (y * page.width() + x) as usize * 4;
        page.rgba()[i] > 200 && page.rgba()[i + 1] < 60
    };
    assert!(red(180, 126) && red(180, 60) && red(180, 192), "the bar stands upright through the centre");
    assert!(!red(120, 126) && !red(240, 126), "not where it lay before turning");
}

#[test]
fn pptx_pattern_fills_mirrored_shapes_and_turned_pictures_are_drawn() {
    // At 72 DPI, on a 10 x 7.5 inch slide:
    // - a 3 x 2 inch rectangle at (0.5, 0.5) inches, patterned with red horizontal lines on
    //   yellow (`horz`, about 1 mm apart in LibreOffice's rendering);
    // - a 2 x 2 inch right triangle at (4, 0.5) inches, mirrored left to right: its right
    //   angle moves from the bottom left corner to the bottom right;
    // - a line in a 2 x 2 inch box at (7, 0.5) inches, mirrored top to bottom: it rises
    //   from the bottom left corner to the top right;
    // - a 2 x 2 inch picture of four quadrants (red, green above; blue, yellow below) at
    //   (0.5, 4) inches, turned half a turn: yellow comes to the top left;
    // - the same picture at (4, 4) inches, mirrored left to right: green comes to the top left.
    let slide = r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree>
<p:sp><p:spPr><a:xfrm><a:off x="457200" y="457200"/><a:ext cx="2743200" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/><a:pattFill prst="horz"><a:fgClr><a:srgbClr val="FF0000"/></a:fgClr><a:bgClr><a:srgbClr val="FFFF00"/></a:bgClr></a:pattFill></p:spPr></p:sp>
<p:sp><p:spPr><a:xfrm flipH="1"><a:off x="3657600" y="457200"/><a:ext cx="1828800" cy="1828800"/></a:xfrm><a:prstGeom prst="rtTriangle"/><a:solidFill><a:srgbClr val="0000FF"/></a:solidFill></p:spPr></p:sp>
<p:cxnSp><p:spPr><a:xfrm flipV="1"><a:off x="6400800" y="457200"/><a:ext cx="1828800" cy="1828800"/></a:xfrm><a:prstGeom prst="line"/><a:ln w="38100"><a:solidFill><a:srgbClr val="00A000"/></a:solidFill></a:ln></p:spPr></p:cxnSp>
<p:pic><p:blipFill><a:blip r:embed="rId1"/><a:stretch/></p:blipFill><p:spPr><a:xfrm rot="10800000"><a:off x="457200" y="3657600"/><a:ext cx="1828800" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr></p:pic>
<p:pic><p:blipFill><a:blip r:embed="rId1"/><a:stretch/></p:blipFill><p:spPr><a:xfrm flipH="1"><a:off x="3657600" y="3657600"/><a:ext cx="1828800" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr></p:pic>
</p:spTree></p:cSld></p:sld>"#;
    let picture = common::quadrants_png(40, 40);
    let bytes = one_slide(
        slide,
        &[
            ("ppt/slides/_rels/slide1.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>"#),
            ("ppt/media/image1.png", &picture),
        ],
    );
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let at = |x: u32, y: u32| {
        let i = (y * page.width() + x) as usize * 4;
        [page.rgba()[i], page.rgba()[i + 1], page.rgba()[i + 2]]
    };
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 60);

    // The pattern: rows across the rectangle are each one colour, some red lines and most
    // yellow between them, about 1 mm (2.8 px) apart.
    let (mut lines, mut yellow_rows, mut in_line) = (0, 0, false);
    for y in 40..176 {
        let (left, right) = (at(45, y), at(225, y));
        assert!(left.iter().zip(right).all(|(a, b)| a.abs_diff(b) < 40), "row {y} is one colour across: {left:?} {right:?}");
        assert!(left[0] > 200 && left[2] < 60, "red or yellow, or between: {left:?}");
        // A line reddens a row or two (anti-aliased); yellow rows lie between the lines.
        let red = left[1] < 200;
        lines += usize::from(red && !in_line);
        yellow_rows += usize::from(!red);
        in_line = red;
    }
    assert!((40..=56).contains(&lines) && yellow_rows > 40, "136 rows crossed by {lines} lines ({yellow_rows} yellow rows)");
    assert!(near(at(20, 100), [255, 255, 255]) && near(at(262, 100), [255, 255, 255]), "the pattern stays in its shape");

    // The mirrored triangle has its right angle at the bottom right.
    assert!(
        near(at(404, 175), [0, 0, 255]) && near(at(428, 60), [0, 0, 255]),
        "bottom right corner and tip at the top right: {:?} {:?}",
        at(404, 175),
        at(428, 60)
    );
    assert!(near(at(300, 50), [255, 255, 255]), "the unmirrored triangle's top left is empty: {:?}", at(300, 50));

    // The mirrored line rises from bottom left to top right.
    assert!(near(at(516, 168), [0, 160, 0]) && near(at(636, 48), [0, 160, 0]), "rising line: {:?} {:?}", at(516, 168), at(636, 48));
    assert!(near(at(516, 48), [255, 255, 255]) && near(at(636, 168), [255, 255, 255]), "not the falling one");

    // The turned picture shows yellow at its top left and red at its bottom right; the
    // mirrored one green at its top left and red at its top right.
    assert!(near(at(60, 310), [255, 255, 0]) && near(at(150, 380), [255, 0, 0]), "half a turn: {:?} {:?}", at(60, 310), at(150, 380));
    assert!(
        near(at(310, 310), [0, 160, 0]) && near(at(400, 310), [255, 0, 0]) && near(at(310, 380), [255, 255, 0]),
        "mirrored: {:?} {:?}",
        at(310, 310),
        at(400, 310)
    );
}

#[test]
fn pptx_shape_styles_colour_what_the_shape_leaves_unset() {
    // Two 2 x 1 inch rectangles whose style gives a blue fill, a green 2 pt outline (lnRef
    // 2) and yellow text; the second sets its own noFill, which wins over the style's.
    let style = r#"<p:style><a:lnRef idx="2"><a:srgbClr val="00FF00"/></a:lnRef><a:fillRef idx="1"><a:srgbClr val="0000FF"/></a:fillRef><a:effectRef idx="0"><a:srgbClr val="000000"/></a:effectRef><a:fontRef idx="minor"><a:srgbClr val="FFFF00"/></a:fontRef></p:style>"#;
    let shape = |x: u32, own: &str| {
        format!(
            r#"<p:sp><p:spPr><a:xfrm><a:off x="{x}" y="914400"/><a:ext cx="1828800" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/>{own}</p:spPr>{style}<p:txBody><a:bodyPr anchor="ctr"/><a:p><a:pPr algn="ctr"/><a:r><a:rPr sz="4000"/><a:t>HHHH</a:t></a:r></a:p></p:txBody></p:sp>"#
        )
    };
    let slide = format!(
        r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>{}{}</p:spTree></p:cSld></p:sld>"#,
        shape(914_400, ""),
        shape(5_486_400, "<a:noFill/>")
    );
    let doc = common::sandbox().render(&one_slide(&slide, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // At 72 DPI the first box spans x 72-216, y 72-144; the second x 432-576.
    let (blue, [x0, y0, x1, y1]) = common::pixels_near(page, [0, 0, 255]);
    assert!(blue > 5000 && x0 >= 70 && x1 <= 218 && y0 >= 70 && y1 <= 146, "blue fill only in the first box: {blue} at {x0},{y0}-{x1},{y1}");
    let (green, [gx0, _, gx1, _]) = common::pixels_near(page, [0, 255, 0]);
    assert!(green > 800 && gx0 <= 73 && gx1 >= 575, "green outlines on both boxes: {green}, x {gx0}-{gx1}");
    let (yellow, [yx0, _, yx1, _]) = common::pixels_near(page, [255, 255, 0]);
    assert!(yellow > 200 && yx0 < 216 && yx1 > 432, "yellow text in both boxes: {yellow}, x {yx0}-{yx1}");
}

#[test]
fn pptx_picture_backgrounds_are_drawn_stretched_or_tiled() {
    let deck = |fill: &str| {
        let slide = format!(
            r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:bg><p:bgPr><a:blipFill><a:blip r:embed="rId1"/>{fill}</a:blipFill></p:bgPr></p:bg><p:spTree/></p:cSld></p:sld>"#
        );
        let picture = common::solid_png(96, 48, [0, 160, 0]);
        one_slide(&slide, &[
            ("ppt/slides/_rels/slide1.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>"#),
            ("ppt/media/image1.png", &picture),
        ])
    };
    // Stretched over the 10 x 7.5 inch slide, or tiled at 1 x 0.5 inches: green everywhere.
    for fill in ["<a:stretch><a:fillRect/></a:stretch>", r#"<a:tile tx="0" ty="0" sx="100000" sy="100000"/>"#] {
        let doc = common::sandbox().render(&deck(fill), &RenderOptions::default().dpi(36)).unwrap();
        let page = &doc.pages()[0];
        assert_eq!(common::pixels_like(page, [0, 160, 0]), (page.width() * page.height()) as usize, "{fill}: the whole slide is green");
    }
}

#[test]
fn docx_superscript_and_subscript_move_off_the_baseline() {
    // 40 pt: a black X, a red superscript 2 (w:vertAlign) and a blue subscript 2.
    let run = |text: &str, extra: &str| format!(r#"<w:r><w:rPr><w:sz w:val="80"/>{extra}</w:rPr><w:t>{text}</w:t></w:r>"#);
    let body = [
        run("X", ""),
        run("2", r#"<w:vertAlign w:val="superscript"/><w:color w:val="FF0000"/>"#),
        run("X", ""),
        run("2", r#"<w:vertAlign w:val="subscript"/><w:color w:val="0000FF"/>"#),
        run("X", ""),
    ]
    .concat();
    let bytes = docx(&format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>{body}</w:p></w:body></w:document>"#
    ));
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (_, [_, x_top, _, x_bottom]) = common::pixels_near(page, [0, 0, 0]);
    let (_, [_, red_top, _, red_bottom]) = common::pixels_near(page, [255, 0, 0]);
    let (_, [_, blue_top, _, blue_bottom]) = common::pixels_near(page, [0, 0, 255]);
    let height = x_bottom - x_top;
    assert!(red_bottom + height / 4 < x_bottom && red_bottom - red_top < height * 3 / 4, "superscript at {red_top}..{red_bottom}, X at {x_top}..{x_bottom}");
    assert!(blue_bottom > x_bottom + 1, "subscript at {blue_top}..{blue_bottom}, X at {x_top}..{x_bottom}");
}

#[test]
fn pptx_baseline_raises_and_lowers_runs() {
    // 40 pt: a black X, a red 2 raised 30 % (PowerPoint's superscript) and a blue 2 lowered
    // 25 % (its subscript), drawn at the smaller size LibreOffice gives them.
    let run = |text: &str, colour: &str, baseline: &str| {
        format!(r#"<a:r><a:rPr lang="en-US" sz="4000"{baseline}><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:rPr><a:t>{text}</a:t></a:r>"#)
    };
    let runs = [
        run("X", "000000", ""),
        run("2", "FF0000", r#" baseline="30000""#),
        run("X", "000000", ""),
        run("2", "0000FF", r#" baseline="-25000""#),
        run("X", "000000", ""),
    ]
    .concat();
    let slide = format!(
        r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>
<p:sp><p:spPr><a:xfrm><a:off x="914400" y="914400"/><a:ext cx="5486400" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr><p:txBody><a:bodyPr/><a:p>{runs}</a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
    );
    let doc = common::sandbox().render(&one_slide(&slide, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (_, [_, x_top, _, x_bottom]) = common::pixels_near(page, [0, 0, 0]);
    let (_, [_, red_top, _, red_bottom]) = common::pixels_near(page, [255, 0, 0]);
    let (_, [_, blue_top, _, blue_bottom]) = common::pixels_near(page, [0, 0, 255]);
    let height = x_bottom - x_top;
    assert!(red_bottom + height / 4 < x_bottom && red_bottom - red_top < height * 3 / 4, "superscript at {red_top}..{red_bottom}, X at {x_top}..{x_bottom}");
    assert!(blue_bottom > x_bottom + 4 && blue_bottom - blue_top < height * 3 / 4, "subscript at {blue_top}..{blue_bottom}, X at {x_top}..{x_bottom}");
}

#[test]
fn docx_first_page_has_its_own_header() {
    // `w:titlePg`: page 1 shows the red first-page header, later pages the blue default
    // one; the first page has no footer part, so no footer.
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let header = |rgb: &str, text: &str| {
        format!(r#"<w:hdr {w}><w:p><w:r><w:rPr><w:color w:val="{rgb}"/><w:sz w:val="48"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:hdr>"#)
    };
    let body = format!(
        r#"<w:document {w}><w:body><w:p><w:r><w:t>Cover</w:t><w:br w:type="page"/></w:r></w:p><w:p><w:r><w:t>Second</w:t></w:r></w:p><w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:headerReference w:type="first" r:id="rId2"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708"/><w:titlePg/></w:sectPr></w:body></w:document>"#
    );
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/></Relationships>"#;
    let (default, first) = (header("0000FF", "Default header"), header("FF0000", "Cover header"));
    let bytes = package(&[
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/header1.xml", default.as_bytes()),
        ("word/header2.xml", first.as_bytes()),
    ]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(36)).unwrap();
    assert_eq!(doc.pages().len(), 2);
    let colours = |page: &docsandbox::Page| (common::pixels_near(page, [255, 0, 0]).0, common::pixels_near(page, [0, 0, 255]).0);
    let (red, blue) = colours(&doc.pages()[0]);
    assert!(red > 20 && blue == 0, "page 1: {red} red, {blue} blue pixels");
    let (red, blue) = colours(&doc.pages()[1]);
    assert!(red == 0 && blue > 20, "page 2: {red} red, {blue} blue pixels");
}

#[test]
fn pptx_shrink_to_fit_text_takes_the_largest_size_that_fits_its_box() {
    // Two 4 × 2 in boxes of 32 pt text marked normAutofit, each claiming a 10 % scale: a
    // red "Fits" that fits at its full size, and blue lines that do not. The red text keeps
    // its size; the blue shrinks until its lines end inside the box, and no further.
    let box_at = |y: u32, colour: &str, paragraphs: &str| {
        format!(
            r#"<p:sp><p:spPr><a:xfrm><a:off x="914400" y="{y}"/><a:ext cx="3657600" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr><p:txBody><a:bodyPr><a:normAutofit fontScale="10000"/></a:bodyPr>{}</p:txBody></p:sp>"#,
            paragraphs
                .split('|')
                .map(|t| format!(
                    r#"<a:p><a:r><a:rPr lang="en-US" sz="3200"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:rPr><a:t>{t}</a:t></a:r></a:p>"#
                ))
                .collect::<String>()
        )
    };
    let slide = format!(
        r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>{}{}</p:spTree></p:cSld></p:sld>"#,
        box_at(457_200, "FF0000", "Fits"),
        box_at(2_743_200, "0000FF", "one|two|three|four|five|six")
    );
    let doc = common::sandbox().render(&one_slide(&slide, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // 72 DPI: the red box spans y 36..180, the blue one 216..360.
    let (_, red) = common::pixels_near(page, [255, 0, 0]);
    assert!(red[3] - red[1] >= 20, "\"Fits\" at 32 pt, not the 3.2 pt the file claims: {red:?}");
    let (_, blue) = common::pixels_near(page, [0, 0, 255]);
    assert!(blue[1] >= 216 && blue[3] <= 360, "six lines inside their box: {blue:?}");
    assert!(blue[3] - blue[1] > 100, "shrunk no more than it needs: {blue:?}");
}

#[test]
fn pptx_line_spacing_and_insets_place_lines_as_impress_does() {
    // Three paragraphs of 40 pt blue capitals in a text box whose top left is at 72 pt. As
    // Impress lays PowerPoint's text out, a single line is 48 pt (1.2 times the size) with
    // its baseline 40 pt below its top, whatever the face; extra height goes above the text.
    let slide = |body_pr: &str, p_pr: &str| {
        let p = format!(
            r#"<a:p><a:pPr>{p_pr}</a:pPr><a:r><a:rPr lang="en-US" sz="4000"><a:solidFill><a:srgbClr val="0000FF"/></a:solidFill><a:latin typeface="Liberation Sans"/></a:rPr><a:t>HH</a:t></a:r></a:p>"#
        );
        format!(
            r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="t"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="914400" y="914400"/><a:ext cx="6350000" cy="5080000"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr><p:txBody>{body_pr}{}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#,
            p.repeat(3)
        )
    };
    let flush = r#"<a:bodyPr lIns="0" tIns="0" rIns="0" bIns="0"/>"#;
    let cases: [(&str, &str, [f32; 3]); 6] = [
        (flush, "", [112.0, 160.0, 208.0]),
        // 150 %: lines of 72 pt, the extra 24 pt above each line's text.
        (flush, r#"<a:lnSpc><a:spcPct val="150000"/></a:lnSpc>"#, [136.0, 208.0, 280.0]),
        // Exactly 60 pt.
        (flush, r#"<a:lnSpc><a:spcPts val="6000"/></a:lnSpc>"#, [124.0, 184.0, 244.0]),
        // 12 pt before each paragraph but the first (none above a text box's first line).
        (flush, r#"<a:spcBef><a:spcPts val="1200"/></a:spcBef>"#, [112.0, 172.0, 232.0]),
        // 50 % of the 40 pt size before each but the first.
        (flush, r#"<a:spcBef><a:spcPct val="50000"/></a:spcBef>"#, [112.0, 180.0, 248.0]),
        // DrawingML's default insets: 3.6 pt from the top.
        ("<a:bodyPr/>", "", [115.6, 163.6, 211.6]),
    ];
    for (body_pr, p_pr, want) in cases {
        let doc = common::sandbox().render(&one_slide(&slide(body_pr, p_pr), &[]), &RenderOptions::default().dpi(72)).unwrap();
        let got = common::blue_baselines(&doc.pages()[0]);
        assert_eq!(got.len(), 3, "{p_pr}: three lines, got {got:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((*g as f32 - w).abs() <= 1.5, "{body_pr} {p_pr}: baselines {got:?}, want {want:?}");
        }
    }
}

#[test]
fn pptx_tables_take_their_style_spans_margins_and_cell_formatting() {
    // A 3 x 3 table at (1, 1) inches, columns 2 inches wide, rows 0.5 inch high, in
    // PowerPoint's default style (named by id only, as PowerPoint writes it) with a header
    // row and banded rows. The second row's first cell spans two columns and is red; the
    // third row's last cell has no fill and a thick green left border.
    let cell = |props: &str, text: &str| {
        format!(r#"<a:tc{props}><a:txBody><a:bodyPr/><a:p><a:r><a:rPr lang="en-US" sz="1200"/><a:t>{text}</a:t></a:r></a:p></a:txBody>"#)
    };
    let tc_pr = |inner: &str| format!("<a:tcPr>{inner}</a:tcPr></a:tc>");
    let plain = |text: &str| cell("", text) + &tc_pr("");
    let row = |cells: String| format!(r#"<a:tr h="457200">{cells}</a:tr>"#);
    let rows = [
        row(plain("A") + &plain("B") + &plain("C")),
        row(cell(r#" gridSpan="2""#, "wide")
            + &tc_pr(r#"<a:solidFill><a:srgbClr val="FF0000"/></a:solidFill>"#)
            + &cell(r#" hMerge="1""#, "")
            + &tc_pr("")
            + &plain("x")),
        row(plain("y")
            + &plain("z")
            + &cell("", "open")
            + &tc_pr(r#"<a:lnL w="76200"><a:solidFill><a:srgbClr val="00A000"/></a:solidFill></a:lnL><a:noFill/>"#)),
    ]
    .concat();
    let slide = format!(
        r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="914400" y="914400"/><a:ext cx="5486400" cy="1371600"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}</a:tableStyleId></a:tblPr><a:tblGrid><a:gridCol w="1828800"/><a:gridCol w="1828800"/><a:gridCol w="1828800"/></a:tblGrid>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>"#
    );
    let doc = common::sandbox().render(&one_slide(&slide, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let at = |x: u32, y: u32| {
        let i = (y * page.width() + x) as usize * 4;
        [page.rgba()[i], page.rgba()[i + 1], page.rgba()[i + 2]]
    };
    let near = |got: [u8; 3], want: [u8; 3]| got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 6);
    // The header row in Office's accent 1, with white (bold) text; measured away from text.
    assert!(near(at(200, 100), [0x44, 0x72, 0xC4]), "header fill {:?}", at(200, 100));
    let white_text = (76..210).flat_map(|x| (76..100).map(move |y| (x, y))).filter(|&(x, y)| at(x, y).iter().all(|&c| c > 190)).count();
    assert!(white_text > 10, "white header text: {white_text} pixels");
    // The red cell covers both columns it spans, and the line between them is gone.
    for x in [90, 216, 230, 280] {
        assert!(near(at(x, 140), [255, 0, 0]), "red at x {x}: {:?}", at(x, 140));
    }
    // Its row is the first band: accent 1 tinted 40 % (CFD5EA) in its third cell; the
    // next row the whole table's 20 % tint (E9EBF5).
    assert!(near(at(400, 140), [0xCF, 0xD5, 0xEA]), "first band {:?}", at(400, 140));
    assert!(near(at(200, 170), [0xE9, 0xEB, 0xF5]), "second band {:?}", at(200, 170));
    // The cell without fill shows the white slide, with its 6 pt green left border.
    assert!(near(at(400, 170), [255, 255, 255]), "unfilled cell {:?}", at(400, 170));
    assert!(near(at(360, 170), [0, 0xA0, 0]) && near(at(362, 170), [0, 0xA0, 0]), "green border {:?}", at(361, 170));
    // Text sits inside the default margins: 7.2 pt from the cell's left edge (the white
    // border on the edge itself is skipped).
    let first_ink = (75..150).find(|&x| (76..100).any(|y| at(x, y) == [255, 255, 255])).expect("header text");
    assert!((78..=82).contains(&first_ink), "text starts at {first_ink}");
}

#[test]
fn cropped_pictures_show_only_their_source_rectangle() {
    // A picture of four quadrants (red, green over blue, yellow) in a 2 x 1 inch frame at
    // (1, 1) inches, with its left half and top half cut away (`a:srcRect`): only yellow
    // shows, stretched over the frame.
    let quadrants = common::quadrants_png(64, 64);
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>"#;
    let slide = r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree><p:pic><p:nvPicPr><p:cNvPr id="2" name="p"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId1"/><a:srcRect l="50000" t="50000"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="914400" y="914400"/><a:ext cx="1828800" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr></p:pic></p:spTree></p:cSld></p:sld>"#;
    let bytes = one_slide(slide, &[("ppt/slides/_rels/slide1.xml.rels", rels), ("ppt/media/image1.png", &quadrants)]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (count, [x0, y0, x1, y1]) = common::pixels_near(page, [255, 255, 0]);
    assert!(count > 140 * 70, "yellow fills the frame: {count}");
    // (Within 2 pixels: the edge pixels blend with the neighbours cut away as the image is
    // stretched.)
    assert!(x0.abs_diff(72) <= 2 && y0.abs_diff(72) <= 2 && x1.abs_diff(215) <= 2 && y1.abs_diff(143) <= 2, "yellow over {:?}", [x0, y0, x1, y1]);
    for other in [[255, 0, 0], [0, 160, 0], [0, 0, 255]] {
        assert_eq!(common::pixels_near(page, other).0, 0, "{other:?} is cut away");
    }

    // The same crop in Word: an inline picture 2 x 1 inches whose right half is cut away
    // shows red over blue, each stretched to the full width.
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="r" xmlns:wp="wp" xmlns:a="a""#;
    let document = format!(
        r#"<w:document {w}><w:body><w:p><w:r><w:drawing><wp:inline><wp:extent cx="1828800" cy="914400"/><a:graphic><a:graphicData><pic:pic xmlns:pic="p"><pic:blipFill><a:blip r:embed="rIdImg"/><a:srcRect r="50000"/><a:stretch/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
        <w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr></w:body></w:document>"#
    );
    let bytes = package(&[
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", br#"<Relationships><Relationship Id="rIdImg" Target="media/q.png"/></Relationships>"#),
        ("word/media/q.png", &quadrants),
    ]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (red, [rx0, _, rx1, ry1]) = common::pixels_near(page, [255, 0, 0]);
    let (blue, [bx0, by0, bx1, _]) = common::pixels_near(page, [0, 0, 255]);
    assert!(red > 130 * 30 && blue > 130 * 30, "red {red}, blue {blue}");
    assert!(rx1 - rx0 >= 140 && bx1 - bx0 >= 140 && by0 > ry1.saturating_sub(2), "red {rx0}..{rx1} over blue {bx0}..{bx1}");
    assert_eq!(common::pixels_near(page, [0, 160, 0]).0 + common::pixels_near(page, [255, 255, 0]).0, 0, "the right half is cut away");
}

#[test]
fn pptx_placeholders_inherit_text_from_their_layout_and_master() {
    // A master whose body style sets 32 pt text with "•" bullets, whose body placeholder
    // colours its text green, and whose date placeholder (index 2, grey) shares an index
    // with the layout's second content placeholder, whose own list style sets 20 pt text
    // without bullets and in capitals. The slide's placeholders name only their index, as
    // PowerPoint writes them.
    let ns = r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let frame = |y: u32| format!(r#"<p:spPr><a:xfrm><a:off x="914400" y="{y}"/><a:ext cx="7315200" cy="914400"/></a:xfrm></p:spPr>"#);
    let ph = |attrs: &str, y: u32, list: &str, text: &str| {
        format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="2" name="p"/><p:cNvSpPr/><p:nvPr><p:ph {attrs}/></p:nvPr></p:nvSpPr>{}<p:txBody><a:bodyPr lIns="0" tIns="0"/><a:lstStyle>{list}</a:lstStyle>{text}</p:txBody></p:sp>"#,
            frame(y)
        )
    };
    let master = format!(
        r#"<p:sldMaster {ns}><p:cSld><p:spTree>{}{}</p:spTree></p:cSld><p:txStyles><p:titleStyle><a:lvl1pPr><a:defRPr sz="4400"/></a:lvl1pPr></p:titleStyle><p:bodyStyle><a:lvl1pPr marL="342900" indent="-342900"><a:buChar char="•"/><a:defRPr sz="3200"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:defRPr></a:lvl1pPr></p:bodyStyle><p:otherStyle><a:lvl1pPr><a:defRPr sz="1800"/></a:lvl1pPr></p:otherStyle></p:txStyles></p:sldMaster>"#,
        ph(r#"type="body" idx="1""#, 1_828_800, r#"<a:lvl1pPr><a:defRPr><a:solidFill><a:srgbClr val="00A000"/></a:solidFill></a:defRPr></a:lvl1pPr>"#, ""),
        ph(
            r#"type="dt" idx="2""#,
            5_486_400,
            r#"<a:lvl1pPr><a:defRPr sz="1200"><a:solidFill><a:srgbClr val="909090"/></a:solidFill></a:defRPr></a:lvl1pPr>"#,
            ""
        ),
    );
    let layout = format!(
        r#"<p:sldLayout {ns}><p:cSld><p:spTree>{}{}</p:spTree></p:cSld></p:sldLayout>"#,
        ph(r#"idx="1""#, 1_828_800, "", ""),
        ph(r#"idx="2""#, 3_657_600, r#"<a:lvl1pPr marL="0" indent="0"><a:buNone/><a:defRPr sz="2000" cap="all"/></a:lvl1pPr>"#, ""),
    );
    let para = |text: &str| format!(r#"<a:p><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p>"#);
    let slide_ph = |idx: &str, text: &str| {
        format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="3" name="s"/><p:cNvSpPr/><p:nvPr><p:ph idx="{idx}"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{}</p:txBody></p:sp>"#,
            para(text)
        )
    };
    let slide = format!(r#"<p:sld {ns}><p:cSld><p:spTree>{}{}</p:spTree></p:cSld></p:sld>"#, slide_ph("1", "bullet gp"), slide_ph("2", "xxxx"));
    let rel = |target: &str, kind: &str| {
        format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/></Relationships>"#
        )
    };
    let (slide_rels, layout_rels) = (rel("../slideLayouts/slideLayout1.xml", "slideLayout"), rel("../slideMasters/slideMaster1.xml", "slideMaster"));
    let bytes = one_slide(
        &slide,
        &[
            ("ppt/slides/_rels/slide1.xml.rels", slide_rels.as_bytes()),
            ("ppt/slideLayouts/slideLayout1.xml", layout.as_bytes()),
            ("ppt/slideLayouts/_rels/slideLayout1.xml.rels", layout_rels.as_bytes()),
            ("ppt/slideMasters/slideMaster1.xml", master.as_bytes()),
        ],
    );
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // The second placeholder: green as the master's body placeholder (not grey as its
    // date), at the layout's position (4 inches down), 20 pt capitals: "XXXX" stands about
    // 14 pt tall (its cap height), where lower-case x would stand 10.
    let at = |x: u32, y: u32| {
        let i = ((y * page.width() + x) * 4) as usize;
        [page.rgba()[i], page.rgba()[i + 1], page.rgba()[i + 2]]
    };
    let green: Vec<(u32, u32)> = (250..400)
        .flat_map(|y| (0..page.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| matches!(at(x, y), [r, g, b] if r < 60 && g > 120 && b < 60))
        .collect();
    assert!(green.len() > 100, "green text: {}", green.len());
    let (gx0, gy0, gy1) = (green.iter().map(|p| p.0).min().unwrap(), green.iter().map(|p| p.1).min().unwrap(), green.iter().map(|p| p.1).max().unwrap());
    assert!((288..300).contains(&gy0) && (12..=16).contains(&(gy1 - gy0)), "green capitals at {gy0}..{gy1}");
    // Without a bullet, at the placeholder's left edge (1 inch).
    assert!(gx0.abs_diff(72) <= 2, "the text starts at {gx0}");
    // The first placeholder: the master's body style, 32 pt with a bullet 27 pt left of its
    // text (marL 27 pt, indent -27 pt): ink at the placeholder's left edge, then a gap.
    let dark = |x: u32, y: u32| page.rgba()[((y * page.width() + x) * 4) as usize] < 100;
    let ink_rows: Vec<u32> = (144..210).filter(|&y| (72..500).any(|x| dark(x, y))).collect();
    let (top, bottom) = (ink_rows[0], *ink_rows.last().unwrap());
    assert!(bottom - top >= 26, "32 pt text from ascender to descender stands over 26 px: {top}..{bottom}");
    let ink_cols: Vec<u32> = (60..140).filter(|&x| (top..=bottom).any(|y| dark(x, y))).collect();
    assert!(ink_cols[0] < 85 && ink_cols.iter().any(|&x| x >= 99), "{ink_cols:?}");
    let gap = ink_cols.windows(2).any(|w| w[1] - w[0] > 6);
    assert!(gap, "a bullet, then a gap, then the text: {ink_cols:?}");
}

#[test]
fn pptx_theme_fonts_stand_for_runs_that_name_them_or_none() {
    // A theme whose body font is Courier New: ten "i" at 40 pt set in it (Liberation Mono,
    // 0.6 em a letter) run about 240 pt wide, where the default Calibri would run under 100.
    let theme = br#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme name="c"><a:dk1><a:srgbClr val="000000"/></a:dk1></a:clrScheme><a:fontScheme name="f"><a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Courier New"/><a:ea typeface=""/></a:minorFont></a:fontScheme></a:themeElements></a:theme>"#;
    let run = |font: &str| {
        format!(
            r#"<a:p><a:r><a:rPr lang="en-US" sz="4000"><a:solidFill><a:srgbClr val="0000FF"/></a:solidFill>{font}</a:rPr><a:t>iiiiiiiiii</a:t></a:r></a:p>"#
        )
    };
    for font in [r#"<a:latin typeface="+mn-lt"/>"#, ""] {
        let slide = format!(
            r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="t"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="914400" y="914400"/><a:ext cx="7315200" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr><p:txBody><a:bodyPr wrap="none"/>{}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#,
            run(font)
        );
        let presentation_rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>"#;
        let bytes = package(&[
            ("ppt/presentation.xml", br#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>"#.as_slice()),
            ("ppt/_rels/presentation.xml.rels", presentation_rels),
            ("ppt/slides/slide1.xml", slide.as_bytes()),
            ("ppt/theme/theme1.xml", theme),
        ]);
        let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
        let (count, [x0, _, x1, _]) = common::pixels_near(&doc.pages()[0], [0, 0, 255]);
        assert!(count > 50 && x1 - x0 > 200, "{font:?}: the text runs {} pt wide", x1 - x0);
    }
}

#[test]
fn pptx_connectors_draw_their_arrowheads() {
    // A red 2 pt connector from (1, 2.78) to (5, 2.78) inches with a triangle at its end
    // (`tailEnd`) and none at its start: a medium head is 3 line widths wide and long (6 pt),
    // so the line widens towards its tip at 360 pt and not near its start at 72 pt.
    let slide = r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:cxnSp><p:nvCxnSpPr><p:cNvPr id="2" name="c"/><p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm><a:off x="914400" y="2540000"/><a:ext cx="3657600" cy="0"/></a:xfrm><a:prstGeom prst="straightConnector1"/><a:ln w="25400"><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill><a:tailEnd type="triangle"/></a:ln></p:spPr></p:cxnSp></p:spTree></p:cSld></p:sld>"#;
    let doc = common::sandbox().render(&one_slide(slide, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let red_rows = |x: u32| {
        (180..220).filter(|&y| matches!(&page.rgba()[((y * page.width() + x) * 4) as usize..][..3], [r, g, b] if *r > 200 && *g < 120 && *b < 120)).count()
    };
    assert!(red_rows(200) >= 1 && red_rows(200) <= 3, "the line: {} rows", red_rows(200));
    assert!(red_rows(76) <= 3, "no head at the start: {} rows", red_rows(76));
    assert!(red_rows(356) >= 4, "the head near the tip: {} rows", red_rows(356));
}

/// Preset shapes beyond rectangles and ellipses are drawn in their own outline, arrows with
/// heads in proportion to their box's shorter side, and a preset not known is drawn as its
/// box rather than left out: three red 2 by 2 inch shapes in a row (a five-pointed star, a
/// heart, a ribbon) and a left-right arrow 6 by 1 inches below them, at 36 DPI.
#[test]
fn pptx_preset_shapes_keep_their_outline() {
    let shape = |x: u32, y: u32, cx: u32, cy: u32, prst: &str| {
        format!(
            r#"<p:sp><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="{prst}"/><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></p:spPr></p:sp>"#
        )
    };
    let inch = 914_400;
    let shapes = [
        shape(inch, inch, 2 * inch, 2 * inch, "star5"),
        shape(4 * inch, inch, 2 * inch, 2 * inch, "heart"),
        shape(7 * inch, inch, 2 * inch, 2 * inch, "ribbon2"),
        shape(2 * inch, 4 * inch, 6 * inch, inch, "leftRightArrow"),
    ]
    .concat();
    let slide = format!(
        r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>"#
    );
    let doc = common::sandbox().render(&one_slide(&slide, &[]), &RenderOptions::default().dpi(36)).unwrap();
    let page = &doc.pages()[0];
    let red = |x: u32, y: u32| common::rgb_at(page, x, y) == [255, 0, 0];
    let count = |[x0, y0, x1, y1]: [u32; 4]| (y0..y1).flat_map(|y| (x0..x1).map(move |x| (x, y))).filter(|&(x, y)| red(x, y)).count();
    // Each box is 72 pixels square. The star fills about a third of its box (its points
    // reach the top centre, its box's corners are empty); the heart about 60 %, with the
    // notch at its top centre empty; the unknown ribbon all of it.
    let (star, heart, ribbon) = (count([36, 36, 108, 108]), count([144, 36, 216, 108]), count([252, 36, 324, 108]));
    assert!((1_300..2_300).contains(&star) && red(72, 40) && !red(38, 38) && !red(106, 106), "star {star}");
    assert!((2_500..3_700).contains(&heart) && !red(180, 40) && red(160, 60) && !red(146, 104), "heart {heart}");
    assert!(ribbon > 5_000, "the unknown preset is drawn as its box: {ribbon}");
    // The arrow's heads are half its 1 inch height long (18 pixels), not a fifth of its
    // 6 inch length: its shaft is full width 20 pixels in from each end, and its heads
    // reach the box's top only near their base.
    assert!(red(72 + 20, 162) && red(288 - 20, 162), "the shaft reaches near the ends");
    assert!(red(72 + 17, 145) && !red(72 + 24, 145), "the left head's base is 18 pixels in");
}
