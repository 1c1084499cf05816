//! OpenDocument text through the public API: page layout, inherited styles, spans, lists,
//! tables, pictures, notes, master-page footers with page numbers and page breaks drawn
//! where they belong; what is not drawn named; hostile ODT ending fast with pages or a
//! typed error.

use crate::common::{self, pixels_near};

use std::io::Write;
use std::time::{Duration, Instant};

use docsandbox::{RenderOptions, Sandbox};

/// An ODT package holding `content` and `styles`.
fn odt(content: &str, styles: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    common::odf("application/vnd.oasis.opendocument.text", content, styles, extra)
}

/// A5 with 2 cm margins, a centred "Page N of M" footer; a red title inherited through a
/// parent style; a blue span; a bulleted and a numbered list; a bordered table with a green
/// cell; a magenta 4 × 2 cm picture, centred; a footnote; then a second page.
fn sample() -> Vec<u8> {
    let styles = r##"<office:styles>
<style:default-style style:family="paragraph"><style:text-properties fo:font-size="11pt" style:font-name="Liberation Serif"/></style:default-style>
<style:style style:name="Heading" style:family="paragraph"><style:text-properties fo:font-size="24pt" fo:font-weight="bold" fo:color="#ff0000"/></style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="12pt"/></style:style>
<style:style style:name="Blue" style:family="text"><style:text-properties fo:color="#0000ff" fo:font-size="200%"/></style:style>
<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment fo:margin-left="1cm" fo:text-indent="-0.5cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
<text:list-style style:name="Numbers"><text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."><style:list-level-properties text:space-before="0.5cm" text:min-label-width="0.6cm"/></text:list-level-style-number></text:list-style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
<style:style style:name="MP1" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"><style:footer><text:p text:style-name="MP1">Page <text:page-number>1</text:page-number> of <text:page-count>1</text:page-count></text:p></style:footer></style:master-page></office:master-styles>"##;
    let content = r##"<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title" style:master-page-name="Standard"/>
<style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="8cm" table:align="left"/></style:style>
<style:style style:name="Col" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style>
<style:style style:name="Box" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"/></style:style>
<style:style style:name="Green" style:family="table-cell"><style:table-cell-properties fo:background-color="#00ff00" fo:border="0.5pt solid #000000"/></style:style>
<style:style style:name="fr1" style:family="graphic"><style:graphic-properties style:horizontal-pos="center"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Hidden"/></text:sequence-decls>
<text:h text:style-name="P1" text:outline-level="1">Report</text:h>
<text:p>Plain text and <text:span text:style-name="Blue">blue words</text:span><text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A note.</text:p></text:note-body></text:note>.</text:p>
<text:list text:style-name="Bullets"><text:list-item><text:p>first</text:p></text:list-item><text:list-item><text:p>second</text:p></text:list-item></text:list>
<text:list text:style-name="Numbers"><text:list-item><text:p>one</text:p></text:list-item><text:list-item><text:p>two</text:p></text:list-item></text:list>
<table:table table:style-name="Tbl"><table:table-column table:style-name="Col" table:number-columns-repeated="2"/>
<table:table-row><table:table-cell table:style-name="Box"><text:p>A1</text:p></table:table-cell><table:table-cell table:style-name="Green"><text:p>B1</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:style-name="Box" table:number-columns-spanned="2"><text:p>spanning</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
</table:table>
<text:p><draw:frame draw:style-name="fr1" text:anchor-type="paragraph" svg:width="4cm" svg:height="2cm"><draw:image xlink:href="Pictures/magenta.png"/></draw:frame></text:p>
<text:p text:style-name="Break">second page</text:p>
</office:text></office:body>"##;
    let picture = common::solid_png(40, 20, [255, 0, 255]);
    odt(content, styles, &[("Pictures/magenta.png", &picture)])
}

/// The rows `top..bottom` of a page's pixels.
fn strip(page: &docsandbox::Page, top: u32, bottom: u32) -> &[u8] {
    let row = page.width() as usize * 4;
    &page.rgba()[top as usize * row..bottom as usize * row]
}

#[test]
fn odt_draws_styles_lists_tables_pictures_notes_and_footers() {
    let sandbox = common::sandbox();
    let doc = sandbox.render(&sample(), &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    assert_eq!(report.format.as_deref(), Some("odt"));
    assert!(!report.has("content-not-shown") && !report.has("empty-document"), "{report:?}");
    assert_eq!(doc.pages().len(), 2, "the page break starts page 2");
    let first = &doc.pages()[0];
    assert_eq!((first.width(), first.height()), (420, 596), "A5 at 72 DPI");

    // The title takes red, bold and 24 pt from its parent style and centring from its own.
    let (red, [left, top, right, bottom]) = pixels_near(first, [255, 0, 0]);
    assert!(red > 100, "red title: {red}");
    assert!(top >= 56 && bottom < 100, "the title sits at the top margin: {top}..{bottom}");
    assert!(((left + right) as i32 / 2 - 210).abs() < 8, "centred: {left}..{right}");
    assert!(bottom - top >= 14, "24 pt letters: {}", bottom - top);

    // The span is blue and twice the paragraph's size.
    let (blue, [_, btop, _, bbottom]) = pixels_near(first, [0, 0, 255]);
    assert!(blue > 50 && bbottom - btop >= 12, "blue 22 pt words: {blue}, {btop}..{bbottom}");

    // The green cell fills the second column of a table 8 cm wide from the left margin.
    let (green, [gleft, _, gright, _]) = pixels_near(first, [0, 255, 0]);
    assert!(green > 500, "green cell: {green}");
    assert!((gleft as i32 - 170).abs() <= 3 && (gright as i32 - 283).abs() <= 3, "second 4 cm column: {gleft}..{gright}");

    // The picture is 4 × 2 cm, centred.
    let (magenta, [mleft, mtop, mright, mbottom]) = pixels_near(first, [255, 0, 255]);
    assert!(magenta > 5_000, "picture: {magenta}");
    assert!((mright - mleft + 1).abs_diff(113) <= 2 && (mbottom - mtop + 1).abs_diff(57) <= 2, "4 x 2 cm: {mleft}..{mright} x {mtop}..{mbottom}");
    assert!(((mleft + mright) as i32 / 2 - 210).abs() < 4, "centred: {mleft}..{mright}");
    assert!(mtop > gright.min(300) / 2, "the picture follows the table");

    // The footer ends at the bottom margin (2 cm, 57 pt) on both pages, and differs by its
    // page number; the body ends above the footer and its 0.5 cm spacing.
    for page in doc.pages() {
        assert!(common::ink(strip(page, 596 - 57 - 14, 596 - 57)) > 0.005, "page {} has a footer", page.number());
        assert!(common::ink(strip(page, 596 - 56, 596)) == 0.0, "nothing below the bottom margin");
        assert!(common::ink(strip(page, 596 - 57 - 14 - 13, 596 - 57 - 14)) == 0.0, "the footer's spacing is kept free");
    }
    assert_ne!(strip(first, 596 - 57 - 14, 596 - 57), strip(&doc.pages()[1], 596 - 57 - 14, 596 - 57), "page numbers differ");
    // Page 2 holds the page-break paragraph.
    assert!(common::ink(doc.pages()[1].rgba()) > 0.0005);
}

#[test]
fn odt_content_not_drawn_is_named_and_empty_documents_say_so() {
    let sandbox = common::sandbox();
    let content = r#"<office:body><office:text><text:p>Before <draw:frame svg:width="5cm" svg:height="3cm"><draw:object xlink:href="./Object 1"/></draw:frame></text:p>
<draw:custom-shape svg:width="3cm" svg:height="3cm"><text:p>shape text</text:p></draw:custom-shape></office:text></office:body>"#;
    let doc = sandbox.render(&odt(content, "", &[]), &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    let missing: Vec<_> = report.findings.iter().filter(|f| f.kind == "content-not-shown").map(|f| f.detail.as_str()).collect();
    assert!(missing.iter().any(|d| d.contains("page 1") && d.contains("embedded object")), "{missing:?}");
    assert!(missing.iter().any(|d| d.contains("page 1") && d.contains("shape")), "{missing:?}");
    // The placeholder's grey fill is on the page, at least 5 × 3 cm of it.
    assert!(common::pixels_like(&doc.pages()[0], [0xF4, 0xF4, 0xF4]) > 130 * 70, "placeholder drawn");

    let empty = sandbox.render(&odt("<office:body><office:text/></office:body>", "", &[]), &RenderOptions::default()).unwrap();
    assert_eq!(empty.pages().len(), 1);
    assert!(empty.report().has("empty-document"));

    // A package without content.xml is malformed, typed.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("mimetype", zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.text").unwrap();
    let broken = zip.finish().unwrap().into_inner();
    let error = sandbox.render(&broken, &RenderOptions::default()).unwrap_err();
    assert_eq!(error.kind(), docsandbox::ErrorKind::Malformed, "{error}");
}

#[test]
fn hostile_odt_ends_fast_with_pages_or_a_typed_error() {
    let sandbox = Sandbox::new(docsandbox::Limits::default()).unwrap();
    let deep_spans = format!("<text:p>{}x{}</text:p>", "<text:span>".repeat(200_000), "</text:span>".repeat(200_000));
    let many_paragraphs = "<text:p>p</text:p>".repeat(60_000);
    let deep_lists = format!("{}<text:p>deep</text:p>{}", "<text:list><text:list-item>".repeat(5_000), "</text:list-item></text:list>".repeat(5_000));
    let deep_tables =
        format!("{}x{}", "<table:table><table:table-row><table:table-cell>".repeat(3_000), "</table:table-cell></table:table-row></table:table>".repeat(3_000));
    let cases = [
        ("nesting 200 000 spans deep", body(&deep_spans), String::new()),
        ("a million spaces per text:s", body(&r#"<text:p><text:s text:c="999999999"/><text:s text:c="-5"/>x</text:p>"#.repeat(2_000)), String::new()),
        ("60 000 paragraphs", body(&many_paragraphs), String::new()),
        ("lists 5 000 deep", body(&deep_lists), String::new()),
        ("tables 3 000 deep", body(&deep_tables), String::new()),
        ("a billion repeated columns", body(r#"<table:table><table:table-column table:number-columns-repeated="999999999"/><table:table-row><table:table-cell table:number-columns-spanned="999999999"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#), String::new()),
        (
            "styles that inherit from each other",
            body(r#"<text:p text:style-name="A">loop</text:p>"#),
            r#"<office:styles><style:style style:name="A" style:family="paragraph" style:parent-style-name="B"/><style:style style:name="B" style:family="paragraph" style:parent-style-name="A"><style:text-properties fo:font-size="1000%"/></style:style></office:styles>"#.into(),
        ),
        (
            "sections in 45 columns nested 2 000 deep inside page columns",
            body(&format!("{}x{}", r#"<text:section text:style-name="S">"#.repeat(2_000), "</text:section>".repeat(2_000))),
            r#"<office:automatic-styles><style:style style:name="S" style:family="section"><style:section-properties><style:columns fo:column-count="9999" fo:column-gap="-3cm"><style:column style:rel-width="NaN*"/><style:column style:rel-width="1e38*" fo:start-indent="99in"/></style:columns></style:section-properties></style:style><style:page-layout style:name="p"><style:page-layout-properties><style:columns fo:column-count="3"><style:column style:rel-width="0*"/></style:columns></style:page-layout-properties></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="p"/></office:master-styles>"#.into(),
        ),
        (
            "a cell tiling a one-pixel picture over a 5 metre row",
            body(r#"<table:table><table:table-column/><table:table-row table:style-name="R"><table:table-cell table:style-name="C"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#),
            r#"<office:automatic-styles><style:style style:name="R" style:family="table-row"><style:table-row-properties style:min-row-height="500cm"/></style:style><style:style style:name="C" style:family="table-cell"><style:table-cell-properties fo:padding="-9in" fo:margin-top="1e30in"><style:background-image xlink:href="Pictures/dot.png" style:repeat="repeat"/></style:table-cell-properties></style:style></office:automatic-styles>"#.into(),
        ),
        (
            "a one-pixel page background tiled on 300 pages, and a date style of 100 000 parts",
            body(&format!(
                "{}{}",
                r#"<text:p><text:date style:data-style-name="D"/></text:p>"#,
                r#"<text:p text:style-name="Break"><text:date style:data-style-name="D"/><text:page-number/></text:p>"#.repeat(300)
            )),
            format!(
                r#"<office:styles><style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:styles><office:automatic-styles><number:date-style style:name="D" number:automatic-order="true">{}</number:date-style><style:page-layout style:name="p"><style:page-layout-properties fo:page-width="50in" fo:page-height="50in" fo:margin="0in" draw:background-size="full"><style:background-image xlink:href="Pictures/dot.png" style:repeat="repeat"/></style:page-layout-properties></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="p"/></office:master-styles>"#,
                r#"<number:year/><number:text>------------------------------------------------------------------------------------------------</number:text>"#.repeat(50_000)
            ),
        ),
        (
            "60 000 shapes of a kilometre, shadowed, with self-referring formulas, picture-filled and nested 2 000 deep",
            body(&format!(
                "<text:p>{}{}x{}</text:p>",
                r#"<draw:custom-shape draw:style-name="Big" text:anchor-type="paragraph" svg:x="-1e30in" svg:y="NaN" svg:width="1000m" svg:height="1000m" draw:transform="rotate (1e30) translate (1e38cm 5cm)"><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:enhanced-path="M 0 0 L ?f0 ?f1 Z" draw:modifiers="1e308"><draw:equation draw:name="f0" draw:formula="?f1 *2"/><draw:equation draw:name="f1" draw:formula="?f0 +$0"/></draw:enhanced-geometry><text:p>shape</text:p></draw:custom-shape><draw:line draw:style-name="Big" svg:x1="0" svg:y1="0" svg:x2="1e30in" svg:y2="-1e30in"/>"#.repeat(30_000),
                r#"<draw:rect svg:width="1cm" svg:height="1cm" text:anchor-type="as-char"><text:p>"#.repeat(2_000),
                "</text:p></draw:rect>".repeat(2_000)
            )),
            r#"<office:automatic-styles><style:style style:name="Big" style:family="graphic"><style:graphic-properties draw:fill="bitmap" draw:fill-image-name="Dot" draw:shadow="visible" draw:shadow-offset-x="1e9cm" svg:stroke-width="1e9cm"/></style:style></office:automatic-styles><office:styles><draw:fill-image draw:name="Dot" xlink:href="Pictures/dot.png"/></office:styles>"#.into(),
        ),
        (
            "frames nested 3 000 deep in text boxes, and 20 000 floating pictures in one text box",
            body(&format!(
                r#"{}x{}<text:p><draw:frame text:anchor-type="paragraph" svg:width="10cm"><draw:text-box>{}</draw:text-box></draw:frame></text:p>"#,
                r#"<text:p><draw:frame text:anchor-type="paragraph" svg:x="1e30in" svg:width="-5cm"><draw:text-box>"#.repeat(3_000),
                "</draw:text-box></draw:frame></text:p>".repeat(3_000),
                r#"<text:p><draw:frame draw:style-name="W" text:anchor-type="paragraph" svg:width="1cm" svg:height="1cm"><draw:image xlink:href="Pictures/dot.png"/></draw:frame>beside</text:p>"#.repeat(20_000)
            )),
            r#"<office:automatic-styles><style:style style:name="W" style:family="graphic"><style:graphic-properties style:wrap="parallel"/></style:style></office:automatic-styles>"#.into(),
        ),
        (
            "a page one point wide",
            body("<text:p>narrow</text:p>"),
            r#"<office:automatic-styles><style:page-layout style:name="p"><style:page-layout-properties fo:page-width="1pt" fo:page-height="99999in" fo:margin-left="-5in"/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="p"/></office:master-styles>"#.into(),
        ),
    ];
    for (what, content, styles) in cases {
        let started = Instant::now();
        let dot = common::solid_png(1, 1, [255, 0, 0]);
        let settings = old_settings(false);
        let extra: [(&str, &[u8]); 2] = [("Pictures/dot.png", &dot), ("settings.xml", settings.as_bytes())];
        let result = sandbox.render(&odt(&content, &styles, &extra), &RenderOptions::default().dpi(36));
        assert!(started.elapsed() < Duration::from_secs(30), "{what}: took {:?}", started.elapsed());
        match result {
            Ok(doc) => assert!(!doc.pages().is_empty(), "{what}: no pages"),
            Err(e) => assert!(!format!("{e}").is_empty(), "{what}: {e:?}"),
        }
    }
}

fn body(inner: &str) -> String {
    format!("<office:body><office:text>{inner}</office:text></office:body>")
}

#[test]
fn encrypted_odt_opens_with_its_password_only() {
    // Saved by LibreOffice with the password "odt-secret" (scripts/make-encrypted-odf.py odt).
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/files/encrypted.odt")).unwrap();
    let doc = common::opens_with_password_only(&common::sandbox(), &bytes, "odt-secret");
    assert_eq!(doc.report().format.as_deref(), Some("odt"));
    let (red, [_, top, _, bottom]) = pixels_near(&doc.pages()[0], [255, 0, 0]);
    assert!(red > 300 && bottom - top >= 18, "the red 28 pt word: {red} pixels, {top}..{bottom}");
}

#[test]
fn the_starting_master_page_gives_its_own_footer_or_none() {
    // "Plain" has no footer; "Standard" has one. A document starting on "Plain" has none.
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="10cm" fo:page-height="10cm" fo:margin="1cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"><style:footer><text:p>FOOTER FOOTER FOOTER</text:p></style:footer></style:master-page><style:master-page style:name="Plain" style:page-layout-name="pm"/></office:master-styles>"#;
    let start = |master: &str| {
        format!(
            r#"<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:master-page-name="{master}"/></office:automatic-styles><office:body><office:text><text:p text:style-name="P1">x</text:p></office:text></office:body>"#
        )
    };
    let sandbox = common::sandbox();
    let footer_ink = |master: &str| {
        let doc = sandbox.render(&odt(&start(master), styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
        let page = &doc.pages()[0];
        common::ink(strip(page, page.height() / 2, page.height()))
    };
    assert!(footer_ink("Standard") > 0.001, "Standard's footer is drawn");
    assert_eq!(footer_ink("Plain"), 0.0, "Plain has no footer");
}

#[test]
fn odt_footnotes_sit_at_the_foot_of_their_page_and_endnotes_after_the_body() {
    // A4, 2 cm margins at 72 DPI: the text area ends 842 - 57 = 785 points down. The red
    // footnote is cited on page 1, the blue endnote after the body's last paragraph.
    let styles = r##"<office:styles><style:style style:name="Red" style:family="paragraph"><style:text-properties fo:color="#ff0000" fo:font-size="14pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff" fo:font-size="14pt" fo:font-weight="bold"/></style:style></office:styles>"##;
    let content = r#"<office:body><office:text>
<text:p>Cited here<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Red">The footnote</text:p></text:note-body></text:note> and
here<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p text:style-name="Blue">The endnote</text:p></text:note-body></text:note>.</text:p>
<text:p>The last paragraph.</text:p>
</office:text></office:body>"#;
    let doc = common::sandbox().render(&odt(content, styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 1);
    let page = &doc.pages()[0];
    let (red, r) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 20 && r[1] > 700 && r[3] <= 786, "the footnote at the page's foot: {r:?}");
    let (blue, b) = common::pixels_near(page, [0, 0, 255]);
    assert!(blue > 20 && b[1] > 80 && b[3] < 200, "the endnote after the body: {b:?}");
}

#[test]
fn a_section_in_two_columns_is_balanced_and_the_text_after_it_goes_below() {
    // A4, 2 cm margins, 72 DPI: a section of two columns 1 cm apart holding 30 blue lines,
    // then a red paragraph. LibreOffice balances a section's columns: 15 lines each.
    let styles = r##"<office:styles><style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff" fo:font-size="14pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Red" style:family="paragraph"><style:text-properties fo:color="#ff0000" fo:font-size="14pt" fo:font-weight="bold"/></style:style></office:styles>"##;
    let lines: String = (0..30).map(|i| format!(r#"<text:p text:style-name="Blue">Line {i}</text:p>"#)).collect();
    let content = format!(
        r#"<office:automatic-styles><style:style style:name="Sect1" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="1cm"/></style:section-properties></style:style></office:automatic-styles>
<office:body><office:text><text:section text:style-name="Sect1" text:name="S">{lines}</text:section><text:p text:style-name="Red">After the section</text:p></office:text></office:body>"#
    );
    let doc = common::sandbox().render(&odt(&content, styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let [left, right] = common::blue_halves(page);
    // Text area 57..538 pt: columns (481 - 28) / 2 = 226.5 pt wide, the second at 311.5.
    assert!(left[0].abs_diff(57) <= 2 && right[0].abs_diff(311) <= 2, "columns: {left:?} {right:?}");
    assert!(left[1].abs_diff(right[1]) <= 2 && left[3].abs_diff(right[3]) <= 20, "balanced: {left:?} {right:?}");
    let (_, red) = pixels_near(page, [255, 0, 0]);
    assert!(red[1] > left[3].max(right[3]) && red[0].abs_diff(57) <= 2, "after the section, below both: {red:?}");
}

#[test]
fn text_wraps_beside_a_frame_anchored_to_its_paragraph() {
    // A4, 2 cm margins, 72 DPI. A 2 in magenta picture at the paragraph's left edge, text
    // wrapping beside it ("parallel") 0.25 in away; a bordered text box anchored to the page
    // at (4 in, 6 in) whose red text runs over the body ("run-through").
    let styles = r##"<office:styles><style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff" fo:font-size="12pt" fo:font-weight="bold"/></style:style></office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>"##;
    let text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ".repeat(8);
    let content = format!(
        r##"<office:automatic-styles>
<style:style style:name="fr1" style:family="graphic"><style:graphic-properties style:wrap="parallel" fo:margin-right="0.25in" style:horizontal-pos="left" style:horizontal-rel="paragraph" style:vertical-pos="top" style:vertical-rel="paragraph"/></style:style>
<style:style style:name="fr2" style:family="graphic"><style:graphic-properties style:wrap="run-through" fo:border="1pt solid #00a000" fo:padding="0.1in" style:horizontal-pos="from-left" style:horizontal-rel="page" style:vertical-pos="from-top" style:vertical-rel="page"/></style:style>
<style:style style:name="Red" style:family="paragraph"><style:text-properties fo:color="#ff0000" fo:font-size="14pt" fo:font-weight="bold"/></style:style>
</office:automatic-styles>
{}"##,
        body(&format!(
            r#"<text:p text:style-name="Blue"><draw:frame draw:style-name="fr1" text:anchor-type="paragraph" svg:width="2in" svg:height="2in"><draw:image xlink:href="Pictures/magenta.png"/></draw:frame>{text}</text:p>
<text:p text:style-name="Blue"><draw:frame draw:style-name="fr2" text:anchor-type="paragraph" svg:x="4in" svg:y="6in" svg:width="2in" svg:height="1in"><draw:text-box><text:p text:style-name="Red">Boxed</text:p></draw:text-box></draw:frame>{text}</text:p>"#
        ))
    );
    let picture = common::solid_png(20, 20, [255, 0, 255]);
    let doc = common::sandbox().render(&odt(&content, styles, &[("Pictures/magenta.png", &picture)]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (_, picture) = pixels_near(page, [255, 0, 255]);
    assert!(picture.iter().zip([57, 57, 200, 200]).all(|(a, b)| a.abs_diff(b) <= 2), "the picture at the paragraph's top left: {picture:?}");
    // Blue text beside the picture starts right of it and its margin.
    let mut beside = u32::MAX;
    let mut below = u32::MAX;
    for y in 0..page.height() {
        for x in 0..page.width() {
            let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
            if p[0] < 60 && p[1] < 60 && p[2] > 200 {
                if (60..195).contains(&y) {
                    beside = beside.min(x);
                } else if (230..400).contains(&y) {
                    below = below.min(x);
                }
            }
        }
    }
    assert!((57 + 144 + 18 - 1..260).contains(&beside), "text beside the picture starts after it and its margin: {beside}");
    assert!(below.abs_diff(57) <= 3, "below the picture, lines start at the margin: {below}");
    // The text box is on the page where its anchor says, its red text inside its border.
    let (_, border) = pixels_near(page, [0, 160, 0]);
    assert!(border.iter().zip([288, 432, 432, 504]).all(|(a, b)| a.abs_diff(b) <= 2), "the box's border: {border:?}");
    let (red, words) = pixels_near(page, [255, 0, 0]);
    assert!(red > 20 && words[0] >= 295 && words[1] >= 439 && words[3] < 504, "its text inside, after its padding: {words:?}");
}

#[test]
fn a_picture_set_as_a_character_sits_in_its_line_between_the_words() {
    // "Before [1 in × 0.5 in magenta picture] after", blue, on one line; the picture's
    // bottom sits on the line's baseline, with text on both sides of it.
    let styles = r##"<office:styles><style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff" fo:font-size="14pt" fo:font-weight="bold"/></style:style></office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>"##;
    let content = body(
        r#"<text:p text:style-name="Blue">Before <draw:frame text:anchor-type="as-char" svg:width="1in" svg:height="0.5in"><draw:image xlink:href="Pictures/magenta.png"/></draw:frame> after</text:p><text:p text:style-name="Blue">Next</text:p>"#,
    );
    let picture = common::solid_png(20, 10, [255, 0, 255]);
    let doc = common::sandbox().render(&odt(&content, styles, &[("Pictures/magenta.png", &picture)]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (_, picture) = pixels_near(page, [255, 0, 255]);
    assert!(picture[2] - picture[0] >= 70 && picture[3] - picture[1] >= 34, "the picture at its size: {picture:?}");
    assert!((57..70).contains(&picture[1]), "the picture starts the page's first line: {picture:?}");
    let blue = |x: std::ops::Range<u32>, y: std::ops::Range<u32>| {
        y.clone().any(|y| {
            x.clone().any(|x| {
                let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
                p[0] < 60 && p[1] < 60 && p[2] > 200
            })
        })
    };
    let line = picture[1]..picture[3] + 2;
    assert!(blue(57..picture[0], line.clone()), "words before the picture, on its line");
    assert!(blue(picture[2] + 1..picture[2] + 60, line), "words after the picture, on its line");
    assert!(blue(57..120, picture[3] + 3..picture[3] + 30), "the next paragraph below the line");
}

#[test]
fn cells_sit_at_their_vertical_alignment() {
    // A row 5 cm tall: top, middle and bottom cells of red, blue and green text.
    let content = r##"<office:automatic-styles>
<style:style style:name="Row" style:family="table-row"><style:table-row-properties style:min-row-height="5cm"/></style:style>
<style:style style:name="Top" style:family="table-cell"><style:table-cell-properties style:vertical-align="top"/></style:style>
<style:style style:name="Middle" style:family="table-cell"><style:table-cell-properties style:vertical-align="middle"/></style:style>
<style:style style:name="Bottom" style:family="table-cell"><style:table-cell-properties style:vertical-align="bottom"/></style:style>
<style:style style:name="Red" style:family="text"><style:text-properties fo:color="#ff0000" fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Blue" style:family="text"><style:text-properties fo:color="#0000ff" fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Green" style:family="text"><style:text-properties fo:color="#00a000" fo:font-size="16pt" fo:font-weight="bold"/></style:style>
</office:automatic-styles>"##;
    let table = r#"<table:table><table:table-column table:number-columns-repeated="3"/><table:table-row table:style-name="Row">
<table:table-cell table:style-name="Top"><text:p><text:span text:style-name="Red">Top</text:span></text:p></table:table-cell>
<table:table-cell table:style-name="Middle"><text:p><text:span text:style-name="Blue">Middle</text:span></text:p></table:table-cell>
<table:table-cell table:style-name="Bottom"><text:p><text:span text:style-name="Green">Bottom</text:span></text:p></table:table-cell>
</table:table-row></table:table>"#;
    let doc = common::sandbox().render(&odt(&format!("{content}{}", body(table)), "", &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let middle = |rgb: [u8; 3]| {
        let (n, b) = pixels_near(page, rgb);
        assert!(n > 10, "{rgb:?} is drawn");
        (b[1] + b[3]) / 2
    };
    let (top, centre, bottom) = (middle([255, 0, 0]), middle([0, 0, 255]), middle([0, 160, 0]));
    // 5 cm is about 142 pt.
    assert!(centre > top + 50 && bottom > centre + 50, "top {top}, middle {centre}, bottom {bottom}");
    assert!(((top + bottom) / 2).abs_diff(centre) <= 4, "the middle cell is centred: {top} {centre} {bottom}");
}

#[test]
fn paragraph_and_text_backgrounds_are_drawn_and_template_placeholders_are_not() {
    // A green paragraph background behind white text, at the paragraph's margins (2 cm
    // from the page's on each side), then a paragraph holding only a placeholder in red,
    // which LibreOffice does not print.
    let content = r##"<office:automatic-styles>
<style:style style:name="Banner" style:family="paragraph"><style:paragraph-properties fo:background-color="#355e00" fo:margin-left="2cm" fo:margin-right="2cm"/><style:text-properties fo:color="#ffffff" fo:font-size="15pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Clear" style:family="paragraph" style:parent-style-name="Banner"><style:paragraph-properties fo:background-color="transparent"/><style:text-properties fo:color="#000000"/></style:style>
<style:style style:name="Red" style:family="text"><style:text-properties fo:color="#ff0000" fo:font-size="20pt"/></style:style>
<style:style style:name="Marked" style:family="text"><style:text-properties fo:background-color="#00ffff" fo:font-size="16pt"/></style:style>
</office:automatic-styles>"##;
    let text = r#"<text:p text:style-name="Banner">Agenda</text:p><text:p text:style-name="Clear">Plain <text:span text:style-name="Marked">marked</text:span></text:p><text:p><text:span text:style-name="Red"><text:placeholder text:placeholder-type="text">&lt;Enter your text here&gt;</text:placeholder></text:span></text:p>"#;
    let doc = common::sandbox().render(&odt(&format!("{content}{}", body(text)), "", &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (green, [left, top, right, bottom]) = pixels_near(page, [0x35, 0x5e, 0x00]);
    // The page's margins are LibreOffice's default 2 cm (57 px), the paragraph's 2 cm more.
    assert!(green > 2_000, "the banner is drawn: {green} px");
    assert!(left.abs_diff(113) <= 3 && (page.width() - right).abs_diff(113) <= 4, "between the paragraph's margins: {left}..{right} of {}", page.width());
    assert!(bottom - top >= 15 && bottom - top <= 30, "one line high: {top}..{bottom}");
    // The white text shows on it; the next paragraph, transparent, has none behind it.
    let white_on_green = (top..bottom)
        .flat_map(|y| (left..right).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let i = (y * page.width() + x) as usize * 4;
            page.rgba()[i..i + 3].iter().all(|&c| c > 220)
        })
        .count();
    assert!(white_on_green > 30, "white text on the banner: {white_on_green} px");
    let (_, [_, _, _, green_bottom]) = pixels_near(page, [0x35, 0x5e, 0x00]);
    assert!(green_bottom < top + 30, "no background below the banner");
    let (red, _) = pixels_near(page, [255, 0, 0]);
    assert_eq!(red, 0, "the placeholder is not printed");
    // A text background marks its span only, after "Plain".
    let (cyan, [yl, yt, _, yb]) = pixels_near(page, [0, 255, 255]);
    assert!(cyan > 200 && yl > 140 && yt > bottom && yb - yt >= 14, "the marked word's background: {cyan} at {yl}, {yt}..{yb}");
}

/// `settings.xml` with LibreOffice's layout settings as documents from OpenOffice.org 1 and
/// StarOffice (and the templates made from them) carry them.
fn old_settings(add_spacing: bool) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" xmlns:ooo="http://openoffice.org/2004/office"><office:settings><config:config-item-set config:name="ooo:configuration-settings"><config:config-item config:name="AddParaTableSpacing" config:type="boolean">{add_spacing}</config:config-item><config:config-item config:name="AddParaTableSpacingAtStart" config:type="boolean">{add_spacing}</config:config-item><config:config-item config:name="AddParaSpacingToTableCells" config:type="boolean">{add_spacing}</config:config-item><config:config-item config:name="AddExternalLeading" config:type="boolean">{add_spacing}</config:config-item></config:config-item-set></office:settings></office:document-settings>"#
    )
}

/// The top and bottom rows of the pixels near `rgb`.
fn rows_of(page: &docsandbox::Page, rgb: [u8; 3]) -> (u32, u32) {
    let (n, [_, top, _, bottom]) = pixels_near(page, rgb);
    assert!(n > 20, "{rgb:?} is drawn");
    (top, bottom)
}

#[test]
fn old_writer_settings_take_the_larger_space_between_blocks() {
    // A red paragraph with 40 pt below, a blue one with 20 pt above and a table with 30 pt
    // above and 50 pt below it, then a green paragraph. Summed (LibreOffice's own files):
    // 60, 30 and 50 pt; with AddParaTableSpacing false the larger counts: 40, 30 and 50.
    let content = r##"<office:automatic-styles>
<style:style style:name="Red" style:family="paragraph"><style:paragraph-properties fo:margin-top="30pt" fo:margin-bottom="40pt"/><style:text-properties fo:color="#ff0000" fo:font-size="20pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Blue" style:family="paragraph"><style:paragraph-properties fo:margin-top="20pt"/><style:text-properties fo:color="#0000ff" fo:font-size="20pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Green" style:family="paragraph"><style:paragraph-properties fo:margin-top="10pt"/><style:text-properties fo:color="#00a000" fo:font-size="20pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="8cm" fo:margin-top="30pt" fo:margin-bottom="50pt" table:align="left"/></style:style>
<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:background-color="#ff00ff" fo:padding="0pt"/></style:style>
<style:style style:name="Inner" style:family="paragraph"><style:paragraph-properties fo:margin-top="12pt" fo:margin-bottom="12pt"/></style:style>
</office:automatic-styles>"##;
    let text = r#"<text:p text:style-name="Red">HHHH</text:p><text:p text:style-name="Blue">HHHH</text:p><table:table table:style-name="Tbl"><table:table-column/><table:table-row><table:table-cell table:style-name="Cell"><text:p text:style-name="Inner">x</text:p></table:table-cell></table:table-row></table:table><text:p text:style-name="Green">HHHH</text:p>"#;
    let sandbox = common::sandbox();
    let measure = |settings: Option<String>| {
        let extra: Vec<(&str, &[u8])> = settings.as_ref().map(|s| ("settings.xml", s.as_bytes())).into_iter().collect();
        let doc = sandbox.render(&odt(&format!("{content}{}", body(text)), "", &extra), &RenderOptions::default().dpi(72)).unwrap();
        let page = &doc.pages()[0];
        let (red, blue, table, green) = (rows_of(page, [255, 0, 0]), rows_of(page, [0, 0, 255]), rows_of(page, [255, 0, 255]), rows_of(page, [0, 160, 0]));
        // The page's top margin is 2 cm (57 pt): the red text starts below it, or 30 pt
        // lower with its space above.
        (red.0, blue.0 - red.0, table.0 - blue.1, table.1 - table.0, green.0 - table.1)
    };
    let (top, red_to_blue, blue_to_table, cell, table_to_green) = measure(None);
    let (old_top, old_red_to_blue, old_blue_to_table, old_cell, old_table_to_green) = measure(Some(old_settings(false)));
    assert!(top >= old_top + 26, "space above the first paragraph counts only in new files: {top} {old_top}");
    assert!(red_to_blue.abs_diff(old_red_to_blue + 20) <= 2, "40 + 20 pt against the larger 40: {red_to_blue} {old_red_to_blue}");
    assert!(blue_to_table.abs_diff(old_blue_to_table) <= 2 && blue_to_table >= 28, "30 pt above the table: {blue_to_table} {old_blue_to_table}");
    // The cell's paragraph: 12 pt below it in new files, none at the cell's foot in old ones.
    assert!(cell >= old_cell + 10, "spacing inside the cell: {cell} {old_cell}");
    // 50 pt below the table and 10 above the green text: 60 or the larger 50.
    assert!(table_to_green.abs_diff(old_table_to_green + 10) <= 2 && old_table_to_green >= 48, "{table_to_green} {old_table_to_green}");
    // Saying so explicitly is the same as saying nothing.
    assert_eq!(measure(Some(old_settings(true))), (top, red_to_blue, blue_to_table, cell, table_to_green));
}

#[test]
fn tables_break_pages_and_draw_cell_pictures_and_long_words_stay_in_their_cell() {
    // A table starting a page (fo:break-before), whose first cell has a magenta picture at
    // its top-left corner, once, and whose second cell tiles a cyan one; a paragraph with
    // fo:break-after; and a 1.5 cm cell holding a red word far wider than it.
    let content = r##"<office:automatic-styles>
<style:style style:name="After" style:family="paragraph"><style:paragraph-properties fo:break-after="page"/></style:style>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="10cm" fo:break-before="page" table:align="left"/></style:style>
<style:style style:name="Row" style:family="table-row"><style:table-row-properties style:min-row-height="3cm"/></style:style>
<style:style style:name="Once" style:family="table-cell"><style:table-cell-properties><style:background-image xlink:href="Pictures/magenta.png" style:repeat="no-repeat"/></style:table-cell-properties></style:style>
<style:style style:name="Tiled" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"><style:background-image xlink:href="Pictures/cyan.png"/></style:table-cell-properties></style:style>
<style:style style:name="Narrow" style:family="table"><style:table-properties style:width="1.5cm" table:align="left"/></style:style>
<style:style style:name="Red" style:family="text"><style:text-properties fo:color="#ff0000" fo:font-size="14pt"/></style:style>
</office:automatic-styles>"##;
    let text = r#"<text:p>first page</text:p><table:table table:style-name="Tbl"><table:table-column table:number-columns-repeated="2"/><table:table-row table:style-name="Row"><table:table-cell table:style-name="Once"><text:p/></table:table-cell><table:table-cell table:style-name="Tiled"><text:p/></table:table-cell></table:table-row></table:table><text:p text:style-name="After">second page</text:p><table:table table:style-name="Narrow"><table:table-column/><table:table-row><table:table-cell><text:p><text:span text:style-name="Red">Pneumonoultramicroscopic</text:span></text:p></table:table-cell></table:table-row></table:table>"#;
    // 20 by 10 pixels: 15 by 7.5 pt at 96 pixels to the inch.
    let (magenta, cyan) = (common::solid_png(20, 10, [255, 0, 255]), common::solid_png(20, 10, [0, 255, 255]));
    let bytes = odt(&format!("{content}{}", body(text)), "", &[("Pictures/magenta.png", &magenta), ("Pictures/cyan.png", &cyan)]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 3, "the table starts page 2, the paragraph after it ends it");
    let page = &doc.pages()[1];
    let (n, [left, top, right, bottom]) = pixels_near(page, [255, 0, 255]);
    assert!((90..=130).contains(&n), "one 15 × 7.5 pt picture: {n} px");
    // LibreOffice's default margins: 2 cm, 57 pt.
    assert!(left.abs_diff(57) <= 1 && top.abs_diff(57) <= 1 && right - left <= 16 && bottom - top <= 8, "at the cell's corner: {left},{top}..{right},{bottom}");
    // 5 by 3 cm of tiles (142 × 85 pt) inside the second cell.
    let (n, [left, top, right, bottom]) = pixels_near(page, [0, 255, 255]);
    assert!(n > 8_000 && left >= 197 && right <= 342 && bottom - top >= 80, "tiles fill the cell: {n} px at {left},{top}..{right},{bottom}");
    // The long word breaks inside its 1.5 cm (43 pt) cell on the third page.
    let (n, [left, _, right, bottom]) = pixels_near(&doc.pages()[2], [255, 0, 0]);
    assert!(n > 30 && left >= 57 && right <= 57 + 43 && bottom > 100, "the word is broken inside the cell: {left}..{right}, down to {bottom}");
}

#[test]
fn a_header_minimum_height_counts_its_spacing_as_in_libreoffice() {
    // A header of one line with a minimum height of 3 cm, 1 cm of it spacing: the body
    // starts 3 cm below the 2 cm margin (142 pt), not 4; the footer likewise.
    let styles = r##"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin="2cm"/><style:header-style><style:header-footer-properties fo:min-height="3cm" fo:margin-bottom="1cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="3cm" fo:margin-top="1cm"/></style:footer-style></style:page-layout><style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff" fo:font-size="20pt"/></style:style><style:style style:name="Green" style:family="paragraph"><style:text-properties fo:color="#00a000" fo:font-size="20pt"/></style:style></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"><style:header><text:p>HEADER</text:p></style:header><style:footer><text:p text:style-name="Green">FOOTER</text:p></style:footer></style:master-page></office:master-styles>"##;
    let content = r#"<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Blue" style:master-page-name="Standard"/></office:automatic-styles><office:body><office:text><text:p text:style-name="P1">BODY</text:p></office:text></office:body>"#;
    let doc = common::sandbox().render(&odt(content, styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (body_top, _) = rows_of(page, [0, 0, 255]);
    assert!((142..=150).contains(&body_top), "the body starts 5 cm down: {body_top}");
    // The footer's area starts 5 cm above the bottom edge (842 − 142 = 700 pt); its text
    // 1 cm lower.
    let (footer_top, _) = rows_of(page, [0, 160, 0]);
    assert!((728..=738).contains(&footer_top), "the footer's text below its spacing: {footer_top}");
}

#[test]
fn page_columns_take_their_relative_widths_and_drawn_frames_their_stroke() {
    // Two page columns of 1 and 3 shares with no gap, a column break between a red and a
    // blue word (with 20 pt above it); then a text box whose style is Draw's: a solid hairline stroke, a green fill.
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="20cm" fo:page-height="20cm" fo:margin="2cm"><style:columns fo:column-count="2"><style:column style:rel-width="1000*" fo:start-indent="0cm" fo:end-indent="0cm"/><style:column style:rel-width="3000*" fo:start-indent="0cm" fo:end-indent="0cm"/></style:columns></style:page-layout-properties></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/></office:master-styles>"#;
    let content = r##"<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:master-page-name="Standard"><style:text-properties fo:color="#ff0000" fo:font-size="20pt"/></style:style>
<style:style style:name="Next" style:family="paragraph"><style:paragraph-properties fo:break-before="column" fo:margin-top="20pt"/><style:text-properties fo:color="#0000ff" fo:font-size="20pt"/></style:style>
<style:style style:name="gr1" style:family="graphic"><style:graphic-properties draw:stroke="solid" svg:stroke-width="0cm" svg:stroke-color="#000000" draw:fill="solid" draw:fill-color="#00ff00" fo:background-color="#00ff00" style:wrap="none" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>
</office:automatic-styles>"##;
    let text = r#"<text:p text:style-name="P1">Red</text:p><text:p text:style-name="Next">Blue</text:p><text:p><draw:frame draw:style-name="gr1" text:anchor-type="paragraph" svg:x="1cm" svg:y="1cm" svg:width="4cm" svg:height="2cm"><draw:text-box><text:p>box</text:p></draw:text-box></draw:frame></text:p>"#;
    let doc = common::sandbox().render(&odt(&format!("{content}{}", body(text)), styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // The text area is 16 cm (454 pt) wide from 57 pt: the second column starts a quarter
    // of the way across, at 57 + 113 = 170 pt.
    let (_, [red_left, red_top, ..]) = pixels_near(page, [255, 0, 0]);
    let (_, [blue_left, blue_top, ..]) = pixels_near(page, [0, 0, 255]);
    assert!(red_left.abs_diff(58) <= 3 && blue_left.abs_diff(171) <= 4, "columns start at {red_left} and {blue_left}");
    // A paragraph the document breaks to a new column keeps its 20 pt of space above.
    assert!((blue_top as i64 - red_top as i64 - 20).abs() <= 3, "space above after a column break: {red_top} {blue_top}");
    // The box is outlined in black around its green fill.
    let (green, [left, top, right, bottom]) = pixels_near(page, [0, 255, 0]);
    assert!(green > 3_000, "the box is filled: {green}");
    let dark = |x: u32, y: u32| page.rgba()[(y * page.width() + x) as usize * 4] < 120;
    let outlined = (top..=bottom).filter(|&y| dark(left.saturating_sub(1), y) || dark(left, y)).count();
    assert!(outlined as u32 > (bottom - top) * 3 / 4, "its left side is stroked: {outlined} of {} rows", bottom - top);
    let _ = right;
}

#[test]
fn a_section_in_columns_divides_the_page_column_it_is_in() {
    // Two equal page columns without a gap; in the second, a section of two columns holding
    // a red and (after a column break) a blue word; then a green word below the section,
    // still in the second page column.
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="20cm" fo:page-height="20cm" fo:margin="2cm"><style:columns fo:column-count="2" fo:column-gap="0cm"/></style:page-layout-properties></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/></office:master-styles>"#;
    let content = r##"<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:master-page-name="Standard"/>
<style:style style:name="Col" style:family="paragraph"><style:paragraph-properties fo:break-before="column"/></style:style>
<style:style style:name="Sect" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="0cm"/></style:section-properties></style:style>
<style:style style:name="Red" style:family="paragraph"><style:text-properties fo:color="#ff0000" fo:font-size="20pt"/></style:style>
<style:style style:name="Blue" style:family="paragraph"><style:paragraph-properties fo:break-before="column"/><style:text-properties fo:color="#0000ff" fo:font-size="20pt"/></style:style>
<style:style style:name="Green" style:family="paragraph"><style:text-properties fo:color="#00a000" fo:font-size="20pt"/></style:style>
</office:automatic-styles>"##;
    let text = r#"<text:p text:style-name="P1">first column</text:p><text:p text:style-name="Col">second column</text:p><text:section text:style-name="Sect" text:name="S"><text:p text:style-name="Red">Red</text:p><text:p text:style-name="Blue">Blue</text:p></text:section><text:p text:style-name="Green">Green</text:p>"#;
    let doc = common::sandbox().render(&odt(&format!("{content}{}", body(text)), styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 1);
    let page = &doc.pages()[0];
    // The text area: 57 to 510 pt; the second page column from 283; the section's second
    // column from 397.
    let (_, [red_left, red_top, _, red_bottom]) = pixels_near(page, [255, 0, 0]);
    let (_, [blue_left, blue_top, ..]) = pixels_near(page, [0, 0, 255]);
    let (_, [green_left, green_top, ..]) = pixels_near(page, [0, 160, 0]);
    assert!(red_left.abs_diff(284) <= 4 && blue_left.abs_diff(397) <= 4, "the section's columns start at {red_left} and {blue_left}");
    assert!(blue_top.abs_diff(red_top) <= 2, "side by side: {red_top} {blue_top}");
    assert!(green_left.abs_diff(284) <= 4 && green_top > red_bottom, "after the section, below it in the page column: {green_left}, {green_top}");
}

#[test]
fn old_documents_set_lines_without_the_font_line_gap_and_headers_have_their_background() {
    // Ten lines of 10 pt Carlito (whose line gap is a fifth of its size), first with the
    // settings of an old document (no AddExternalLeading: LibreOffice leaves the gap out,
    // 10 pt a line), then saying AddExternalLeading (12.2 pt a line, as without settings).
    // The header has a green background over its 1 cm, above 0.5 cm of spacing.
    let styles = r##"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="15cm" fo:page-height="20cm" fo:margin="2cm"/><style:header-style><style:header-footer-properties fo:min-height="1.5cm" fo:margin-bottom="0.5cm" fo:background-color="#00ff00"/></style:header-style></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"><style:header><text:p/></style:header></style:master-page></office:master-styles>"##;
    let content = r##"<office:font-face-decls><style:font-face style:name="Carlito" svg:font-family="Carlito"/></office:font-face-decls><office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:master-page-name="Standard"><style:text-properties fo:color="#0000ff" fo:font-size="10pt" style:font-name="Carlito"/></style:style>
</office:automatic-styles>"##;
    let text: String = (0..10).map(|_| r#"<text:p text:style-name="P1">Hxg</text:p>"#).collect();
    let sandbox = common::sandbox();
    let pitch = |settings: Option<&str>| {
        let extra: Vec<(&str, &[u8])> = settings.map(|s| ("settings.xml", s.as_bytes())).into_iter().collect();
        let doc = sandbox.render(&odt(&format!("{content}{}", body(&text)), styles, &extra), &RenderOptions::default().dpi(72)).unwrap();
        let page = &doc.pages()[0];
        let (_, [_, top, _, bottom]) = pixels_near(page, [0, 0, 255]);
        // The header's area: 2 cm down, 1 cm high (57 to 85 pt), across the text area.
        let (green, [gl, gt, gr, gb]) = pixels_near(page, [0, 255, 0]);
        assert!(
            gt.abs_diff(57) <= 1 && gb.abs_diff(85) <= 2 && gl.abs_diff(57) <= 1 && gr.abs_diff(368) <= 2 && green > 8_000,
            "the header's background: {gl},{gt}..{gr},{gb}"
        );
        (bottom - top) as f32 / 9.0
    };
    let with_gap = old_settings(true);
    let old = with_gap.replace(r#"<config:config-item config:name="AddExternalLeading" config:type="boolean">true</config:config-item>"#, "");
    assert_ne!(old, with_gap);
    let (without, with, none) = (pitch(Some(&old)), pitch(Some(&with_gap)), pitch(None));
    assert!((9.3..=10.8).contains(&without), "lines without the gap: {without}");
    assert!((11.6..=12.8).contains(&with) && (with - none).abs() < 0.2, "lines with it: {with} {none}");
}

#[test]
fn page_borders_run_along_the_margins_and_the_text_keeps_their_padding() {
    // A 10 cm square page, 1 cm margins, a red 2 pt border and 1 cm padding: LibreOffice
    // draws the border over 28..254 and the green paragraph's background at 59..224 across
    // from 59 down (72 DPI).
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="10cm" fo:page-height="10cm" fo:margin="1cm" fo:border="2pt solid #ff0000" fo:padding="1cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/></office:master-styles>"#;
    let content = r##"<office:automatic-styles><style:style style:name="G" style:family="paragraph"><style:paragraph-properties fo:background-color="#00a000"/></style:style></office:automatic-styles>
<office:body><office:text><text:p text:style-name="G">Inside</text:p></office:text></office:body>"##;
    let doc = common::sandbox().render(&odt(content, styles, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (red, [x0, y0, x1, y1]) = pixels_near(page, [255, 0, 0]);
    assert!(red > 1_000, "{red} red px");
    for (got, want) in [(x0, 28), (y0, 28), (x1, 254), (y1, 254)] {
        assert!(got.abs_diff(want) <= 1, "the border at {x0},{y0}-{x1},{y1}");
    }
    let (_, [g0, h0, g1, _]) = pixels_near(page, [0, 160, 0]);
    for (got, want) in [(g0, 59), (h0, 59), (g1, 224)] {
        assert!(got.abs_diff(want) <= 1, "the text area from {g0},{h0} to {g1}");
    }
}

#[test]
fn cell_text_keeps_clear_of_the_cell_borders() {
    // A cell with 6 pt red borders and no padding: LibreOffice sets its blue 20 pt text
    // inside the borders, its ink at 63, 68 at 72 DPI (the table at the 2 cm margin).
    let content = r##"<office:automatic-styles>
<style:style style:name="C" style:family="table-cell"><style:table-cell-properties fo:padding="0pt" fo:border="6pt solid #ff0000"/></style:style>
<style:style style:name="B" style:family="text"><style:text-properties fo:color="#0000ff" fo:font-size="20pt" fo:font-weight="bold"/></style:style>
</office:automatic-styles>"##;
    let table = r#"<table:table><table:table-column table:number-columns-repeated="2"/><table:table-row>
<table:table-cell table:style-name="C"><text:p><text:span text:style-name="B">HH</text:span></text:p></table:table-cell>
<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    let doc = common::sandbox().render(&odt(&format!("{content}{}", body(table)), "", &[]), &RenderOptions::default().dpi(72)).unwrap();
    let (blue, [left, top, _, _]) = pixels_near(&doc.pages()[0], [0, 0, 255]);
    assert!(blue > 50, "{blue} blue px");
    assert!(left.abs_diff(63) <= 2 && top.abs_diff(68) <= 2, "the text's ink starts at {left}, {top}");
}

#[test]
fn date_fields_print_the_readers_date_unless_fixed_and_page_numbers_show_in_the_body() {
    // Each paragraph must look exactly like the same paragraph typed: a date field that
    // is not fixed prints the reader's date in its style (here 2026-12-03, a Thursday, in
    // the locale's order), an empty fixed one too (as LibreOffice does), a fixed one with
    // its date keeps it, and page-number fields in the body show the page and the count.
    let styles = r#"<office:automatic-styles>
<number:date-style style:name="Long" number:automatic-order="true"><number:day-of-week number:style="long"/><number:year number:style="long"/><number:month number:style="long" number:textual="true"/><number:day/></number:date-style>
<number:date-style style:name="Iso"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
</office:automatic-styles>"#;
    let fields = format!(
        "{styles}{}",
        body(
            r#"<text:p><text:date style:data-style-name="Long">Monday, March 1, 2004</text:date></text:p>
<text:p><text:date style:data-style-name="Iso" text:fixed="true"/></text:p>
<text:p><text:date style:data-style-name="Iso" text:fixed="true">2004-03-01</text:date></text:p>
<text:p><text:date>03/01/04</text:date></text:p>
<text:p>Page <text:page-number>9</text:page-number> of <text:page-count>9</text:page-count></text:p>
<text:p text:style-name="Break">Page <text:page-number>9</text:page-number> of <text:page-count>9</text:page-count></text:p>"#
        )
    );
    let typed = body(
        r#"<text:p>Thursday, December 3, 2026</text:p><text:p>2026-12-03</text:p><text:p>2004-03-01</text:p><text:p>12/03/26</text:p>
<text:p>Page 1 of 2</text:p><text:p text:style-name="Break">Page 2 of 2</text:p>"#,
    );
    let page_break = r#"<office:styles><style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:styles>"#;
    let sandbox = common::sandbox();
    // 2026-12-03 12:00 in seconds since 1970.
    let options = RenderOptions::default().dpi(72).print_time(1_796_299_200);
    let fields = sandbox.render(&odt(&fields, page_break, &[]), &options).unwrap();
    let typed = sandbox.render(&odt(&typed, page_break, &[]), &options).unwrap();
    common::assert_same_pages(&fields, &typed, 2, "the typed text");
}

#[test]
fn page_backgrounds_are_drawn_beneath_the_text_inside_the_margins_or_over_the_page() {
    // A 4 × 3 in page with 0.5 in margins, 72 DPI: a green background colour and a red
    // 48 × 24 px picture (36 × 18 pt at 96 DPI) set once in the middle (LibreOffice's
    // `style:background-image`), inside the margins; then the newer drawing fill, blue,
    // over the whole page (`draw:background-size="full"`).
    let red = common::solid_png(48, 24, [255, 0, 0]);
    let layout = |properties: &str, inner: &str| {
        format!(
            r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="4in" fo:page-height="3in" fo:margin="0.5in" {properties}>{inner}</style:page-layout-properties></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/></office:master-styles>"#
        )
    };
    let text = body("<text:p>Text over the background</text:p>");
    let sandbox = common::sandbox();
    let options = RenderOptions::default().dpi(72);
    let styles = layout(
        r##"fo:background-color="#00ff00""##,
        r#"<style:background-image xlink:href="Pictures/red.png" style:repeat="no-repeat" style:position="center center"/>"#,
    );
    let doc = sandbox.render(&odt(&text, &styles, &[("Pictures/red.png", &red)]), &options).unwrap();
    let page = &doc.pages()[0];
    let at = common::rgb_at;
    assert_eq!(at(page, 10, 10), [255, 255, 255], "the margin is not painted");
    assert_eq!(at(page, 240, 170), [0, 255, 0], "the area inside the margins is green");
    let (reds, [left, top, right, bottom]) = pixels_near(page, [255, 0, 0]);
    assert!(reds > 400, "{reds} red px");
    for (got, want) in [(left, 126), (top, 99), (right, 161), (bottom, 116)] {
        assert!(got.abs_diff(want) <= 2, "the picture at {left},{top}-{right},{bottom}");
    }
    // The text is drawn over the background, not hidden by it.
    let (dark, _) = pixels_near(page, [0, 0, 0]);
    assert!(dark > 30, "{dark} px of text");
    let styles = layout(r##"draw:fill="solid" draw:fill-color="#0000ff" draw:background-size="full""##, "");
    let doc = sandbox.render(&odt(&text, &styles, &[]), &options).unwrap();
    assert_eq!(at(&doc.pages()[0], 10, 10), [0, 0, 255], "the whole page is blue");
}

#[test]
fn drawing_shapes_are_drawn_where_anchored_and_the_header_lies_beneath_the_body() {
    // A 6 × 4 in page with 0.5 in margins, 72 DPI. The header holds a green rectangle
    // (a custom shape) over the whole page; the body's paragraph anchors a red picture at
    // its top left, a blue ellipse 3 in right and 0.5 in down, and a 3 pt black line 1 in
    // down, 2 in long. As in LibreOffice, the header lies beneath the body: the picture
    // shows over the green.
    let styles = r##"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="6in" fo:page-height="4in" fo:margin="0.5in"/></style:page-layout>
<style:style style:name="G" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#00ff00" draw:stroke="none" style:wrap="run-through" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"><style:header><text:p><draw:custom-shape text:anchor-type="paragraph" draw:style-name="G" svg:x="-0.5in" svg:y="-0.5in" svg:width="6in" svg:height="4in"><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle" draw:enhanced-path="M 0 0 L 21600 0 21600 21600 0 21600 0 0 Z N"/></draw:custom-shape></text:p></style:header></style:master-page></office:master-styles>"##;
    let content = r##"<office:automatic-styles>
<style:style style:name="fr" style:family="graphic"><style:graphic-properties style:wrap="run-through" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>
<style:style style:name="B" style:family="graphic" style:parent-style-name="fr"><style:graphic-properties draw:fill="solid" draw:fill-color="#0000ff" draw:stroke="none"/></style:style>
<style:style style:name="L" style:family="graphic" style:parent-style-name="fr"><style:graphic-properties draw:stroke="solid" svg:stroke-color="#000000" svg:stroke-width="3pt"/></style:style>
</office:automatic-styles>"##;
    let text = r#"<text:p><draw:frame draw:style-name="fr" text:anchor-type="paragraph" svg:x="0in" svg:y="0in" svg:width="1in" svg:height="0.5in"><draw:image xlink:href="Pictures/red.png"/></draw:frame><draw:ellipse draw:style-name="B" text:anchor-type="paragraph" svg:x="3in" svg:y="0.5in" svg:width="1in" svg:height="0.5in"/><draw:line draw:style-name="L" text:anchor-type="paragraph" svg:x1="0in" svg:y1="1in" svg:x2="2in" svg:y2="1in"/></text:p>"#;
    let red = common::solid_png(20, 10, [255, 0, 0]);
    let doc =
        common::sandbox().render(&odt(&format!("{content}{}", body(text)), styles, &[("Pictures/red.png", &red)]), &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let page = &doc.pages()[0];
    let at = |x: u32, y: u32| common::rgb_at(page, x, y);
    assert_eq!(at(5, 5), [0, 255, 0], "the header's rectangle covers the page");
    assert_eq!(at(400, 270), [0, 255, 0], "to its far corner");
    let (reds, [rl, rt, rr, rb]) = pixels_near(page, [255, 0, 0]);
    assert!(reds > 2_400, "the picture shows over the header's shape: {reds} px");
    assert!(rl.abs_diff(36) <= 1 && (rr - rl + 1).abs_diff(72) <= 2 && (rb - rt + 1).abs_diff(36) <= 2, "1 × 0.5 in at the margin: {rl},{rt}-{rr},{rb}");
    let (blues, [bl, bt, br, bb]) = pixels_near(page, [0, 0, 255]);
    assert!(blues > 1_500 && blues < 72 * 36, "an ellipse, not its box: {blues} px");
    assert!(bl.abs_diff(rl + 216) <= 2 && bt.abs_diff(rt + 36) <= 2, "3 in right, 0.5 in down: {bl},{bt}");
    assert!((br - bl + 1).abs_diff(72) <= 2 && (bb - bt + 1).abs_diff(36) <= 2, "1 × 0.5 in: {bl},{bt}-{br},{bb}");
    let line_y = rt + 72;
    let dark = (rl + 4..rl + 140).filter(|&x| at(x, line_y).iter().all(|&c| c < 60)).count();
    assert!(dark > 130, "a black line 1 in down, 2 in long: {dark} px");
    assert!(at(rl + 150, line_y)[1] > 200, "it ends at 2 in");
}

#[test]
fn an_empty_paragraph_is_as_high_as_its_own_font() {
    // An empty paragraph of 6 pt, or of 30 pt, before a blue line: the blue line moves
    // down by the difference of their line heights (24 pt × about 1.15).
    let doc = |size: &str| {
        let content = format!(
            r##"<office:automatic-styles><style:style style:name="E" style:family="paragraph"><style:text-properties fo:font-size="{size}"/></style:style><style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff"/></style:style></office:automatic-styles>{}"##,
            body(r#"<text:p text:style-name="E"/><text:p text:style-name="Blue">Blue line</text:p>"#)
        );
        let doc = common::sandbox().render(&odt(&content, "", &[]), &RenderOptions::default().dpi(72)).unwrap();
        pixels_near(&doc.pages()[0], [0, 0, 255]).1[1]
    };
    let (small, large) = (doc("6pt"), doc("30pt"));
    assert!((large - small).abs_diff(28) <= 2, "the blue line's top: {small} after 6 pt, {large} after 30 pt");
    // 2 cm margin, a 6 pt line (about 7 pt), then the blue line's ascent above its letters.
    assert!(small.abs_diff(57 + 7 + 3) <= 3, "{small}");
}

#[test]
fn a_placeholder_keeps_its_room_unprinted_and_a_template_takes_the_readers_date_and_sender() {
    let sandbox = common::sandbox();
    let options = RenderOptions::default().dpi(72).print_time(1_796_299_200);
    let blue = r##"<office:automatic-styles><style:style style:name="Blue" style:family="text"><style:text-properties fo:color="#0000ff"/></style:style>
<number:date-style style:name="Iso"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style></office:automatic-styles>"##;
    let render = |mimetype: &str, text: &str| sandbox.render(&common::odf(mimetype, &format!("{blue}{}", body(text)), "", &[]), &options).unwrap();
    const ODT: &str = "application/vnd.oasis.opendocument.text";
    const OTT: &str = "application/vnd.oasis.opendocument.text-template";
    // The word after a placeholder stands where it stands after the placeholder's text
    // (without its angle brackets), but the placeholder's letters are not drawn.
    let placeholder = render(
        ODT,
        r#"<text:p>Dear <text:placeholder text:placeholder-type="text">&lt;Recipient&gt;</text:placeholder>, <text:span text:style-name="Blue">welcome</text:span></text:p>"#,
    );
    let typed = render(ODT, r#"<text:p>Dear Recipient, <text:span text:style-name="Blue">welcome</text:span></text:p>"#);
    let (page, typed_page) = (&placeholder.pages()[0], &typed.pages()[0]);
    assert_eq!(pixels_near(page, [0, 0, 255]).1, pixels_near(typed_page, [0, 0, 255]).1, "the blue word keeps its place");
    let (ink, typed_ink) = (common::ink(page.rgba()), common::ink(typed_page.rgba()));
    assert!(ink < typed_ink * 0.75, "the placeholder is blank: ink {ink}, typed {typed_ink}");

    // A fixed date and a sender field: a document keeps what they hold; a template, opened
    // as a new document, prints the reader's date and no sender (the reader's, unknown).
    let fields = r#"<text:p><text:date style:data-style-name="Iso" text:fixed="true">2004-03-01</text:date></text:p><text:p>From <text:sender-firstname>Pista</text:sender-firstname>.</text:p>"#;
    let kept = render(ODT, r#"<text:p>2004-03-01</text:p><text:p>From Pista.</text:p>"#);
    let fresh = render(ODT, r#"<text:p>2026-12-03</text:p><text:p>From .</text:p>"#);
    common::assert_same_pages(&render(ODT, fields), &kept, 1, "the fields' own text");
    common::assert_same_pages(&render(OTT, fields), &fresh, 1, "the reader's date and no sender");
}

#[test]
fn a_package_of_styles_alone_shows_one_empty_page_of_its_layout() {
    // A template saved without content.xml, as LibreOffice's own "Default" style template.
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="5in" fo:page-height="3in"/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/></office:master-styles>"#;
    let full = common::odf("application/vnd.oasis.opendocument.text-template", "", styles, &[]);
    // The same package without its content.xml.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(full)).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        if entry.name().unwrap() != "content.xml" {
            zip.raw_copy_file(entry).unwrap();
        }
    }
    let bytes = zip.finish().unwrap().into_inner();
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 1);
    assert_eq!((doc.pages()[0].width(), doc.pages()[0].height()), (360, 216), "5 × 3 in");
    assert!(doc.report().has("empty-document"), "{:?}", doc.report());
    assert_eq!(common::ink(doc.pages()[0].rgba()), 0.0, "blank");
}

#[test]
fn a_picture_in_a_text_box_floats_and_the_text_runs_beside_it() {
    // A 6 × 4 in page with 0.5 in margins, 72 DPI. A text box anchored to the page at
    // 1 in, 1 in, 4 in wide (its horizontal position said to be from the paragraph, which a
    // page-anchored frame does not have: LibreOffice measures it from the page), holds a
    // paragraph anchoring a red 1 in picture at its top left, wrapped in parallel, and a
    // right-aligned blue word: the word stands beside the picture at the box's right edge,
    // not below it.
    let content = r##"<office:automatic-styles>
<style:style style:name="Box" style:family="graphic"><style:graphic-properties style:wrap="run-through" style:vertical-pos="from-top" style:vertical-rel="page" style:horizontal-pos="from-left" style:horizontal-rel="paragraph" fo:padding="0in" fo:border="none"/></style:style>
<style:style style:name="Pic" style:family="graphic"><style:graphic-properties style:wrap="parallel" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>
<style:style style:name="Right" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:color="#0000ff" fo:font-size="14pt"/></style:style>
</office:automatic-styles>"##;
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="6in" fo:page-height="4in" fo:margin="0.5in"/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"/></office:master-styles>"#;
    let text = r#"<draw:frame draw:style-name="Box" text:anchor-type="page" text:anchor-page-number="1" svg:x="1in" svg:y="1in" svg:width="4in"><draw:text-box fo:min-height="1.5in"><text:p text:style-name="Right"><draw:frame draw:style-name="Pic" text:anchor-type="paragraph" svg:x="0in" svg:y="0in" svg:width="1in" svg:height="1in"><draw:image xlink:href="Pictures/red.png"/></draw:frame>Address</text:p></draw:text-box></draw:frame><text:p/>"#;
    let red = common::solid_png(10, 10, [255, 0, 0]);
    let doc =
        common::sandbox().render(&odt(&format!("{content}{}", body(text)), styles, &[("Pictures/red.png", &red)]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (reds, [rl, rt, rr, rb]) = pixels_near(page, [255, 0, 0]);
    assert!(reds > 4_500, "{reds} red px");
    for (got, want) in [(rl, 72), (rt, 72), (rr, 143), (rb, 143)] {
        assert!(got.abs_diff(want) <= 2, "the picture at 1 in, 1 in from the page's corner: {rl},{rt}-{rr},{rb}");
    }
    let (blues, [_, bt, br, bb]) = pixels_near(page, [0, 0, 255]);
    assert!(blues > 40, "{blues} blue px");
    assert!(bt >= 72 && bb < 100, "the word beside the picture, on the box's first line: {bt}..{bb}");
    assert!(br.abs_diff(360) <= 3, "at the box's right edge (5 in): {br}");
}

#[test]
fn a_header_background_picture_fills_the_header_beneath_its_text() {
    // A 4 × 3 in page with 0.5 in margins, 72 DPI: a header at least 0.5 in high (its
    // 0.25 in spacing included) whose background is a red picture, tiled; its text is
    // drawn over it. The spacing below the header and the body stay white.
    let red = common::solid_png(4, 4, [255, 0, 0]);
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="4in" fo:page-height="3in" fo:margin="0.5in"/><style:header-style><style:header-footer-properties fo:min-height="0.5in" fo:margin-bottom="0.25in"><style:background-image xlink:href="Pictures/red.png" style:repeat="repeat"/></style:header-footer-properties></style:header-style></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"><style:header><text:p>Header</text:p></style:header></style:master-page></office:master-styles>"#;
    let doc = common::sandbox().render(&odt(&body("<text:p>Body</text:p>"), styles, &[("Pictures/red.png", &red)]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (reds, [left, top, right, bottom]) = pixels_near(page, [255, 0, 0]);
    assert!(reds > 3_000, "{reds} red px");
    for (got, want) in [(left, 36), (top, 36), (right, 251), (bottom, 53)] {
        assert!(got.abs_diff(want) <= 2, "the header's area, without its spacing: {left},{top}-{right},{bottom}");
    }
    let (dark, _) = pixels_near(page, [0, 0, 0]);
    assert!(dark > 8, "the text is drawn over it: {dark} px");
    let at = |x: u32, y: u32| common::rgb_at(page, x, y);
    assert_eq!(at(100, 60), [255, 255, 255], "the spacing below the header stays white");
}

#[test]
fn header_text_runs_beside_a_picture_floating_in_the_header() {
    // A 6 × 4 in page with 0.5 in margins, 72 DPI: the header's paragraph anchors a red
    // 1 × 0.5 in picture at the left of the text area, wrapped in parallel, and holds a
    // blue title. As LibreOffice lays a letterhead out, the title stands on the first line
    // beside the picture, not over it.
    let styles = r##"<office:automatic-styles><style:page-layout style:name="pm"><style:page-layout-properties fo:page-width="6in" fo:page-height="4in" fo:margin="0.5in"/><style:header-style><style:header-footer-properties fo:min-height="0.75in"/></style:header-style></style:page-layout>
<style:style style:name="Pic" style:family="graphic"><style:graphic-properties style:wrap="parallel" fo:margin-right="0.25in" style:vertical-pos="top" style:vertical-rel="paragraph" style:horizontal-pos="left" style:horizontal-rel="page-content"/></style:style>
<style:style style:name="Blue" style:family="paragraph"><style:text-properties fo:color="#0000ff" fo:font-size="14pt"/></style:style></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm"><style:header><text:p text:style-name="Blue"><draw:frame draw:style-name="Pic" text:anchor-type="paragraph" svg:width="1in" svg:height="0.5in"><draw:image xlink:href="Pictures/red.png"/></draw:frame>Letterhead</text:p></style:header></style:master-page></office:master-styles>"##;
    let red = common::solid_png(10, 5, [255, 0, 0]);
    let doc = common::sandbox().render(&odt(&body("<text:p>Body</text:p>"), styles, &[("Pictures/red.png", &red)]), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (reds, [rl, rt, rr, _]) = pixels_near(page, [255, 0, 0]);
    assert!(
        reds > 2_000 && rl.abs_diff(36) <= 2 && rt.abs_diff(36) <= 2 && rr.abs_diff(107) <= 2,
        "the picture at the header's top left: {reds} px, {rl},{rt}-{rr}"
    );
    let (blues, [bl, bt, _, bb]) = pixels_near(page, [0, 0, 255]);
    assert!(blues > 20, "{blues} blue px");
    // The margin (36), the picture (72) and its gap (18): 126.
    assert!((124..=132).contains(&bl), "the title beside the picture and its 0.25 in gap: {bl}");
    assert!(bt >= 36 && bb < 60, "on the header's first line: {bt}..{bb}");
}
