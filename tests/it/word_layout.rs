//! Word layout through the public API, on generated documents checked by pixels: tab stops
//! and their leaders, heading rows repeated and rows split across pages, even-page
//! headers. One pixel is one point (72 DPI); pages are US Letter with one-inch margins.

use docsandbox::RenderOptions;

use crate::common::{self, package};

const W: &str =
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
const SECTION: &str = r#"<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720"/>"#;

/// A DOCX of `body` (paragraphs and tables, then the section's own elements), with
/// `settings` inside `w:settings` and extra parts.
fn word(body: &str, section: &str, settings: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let document = format!(r#"<w:document {W}><w:body>{body}<w:sectPr>{section}{SECTION}</w:sectPr></w:body></w:document>"#);
    let settings = format!(r#"<w:settings {W}>{settings}</w:settings>"#);
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
        ("word/document.xml", document.as_bytes()),
        ("word/settings.xml", settings.as_bytes()),
    ];
    entries.extend_from_slice(extra);
    package(&entries)
}

/// A run of `text` in colour `rgb`, bold at 16 pt so that its colour survives
/// antialiasing at 72 DPI.
fn run(rgb: &str, text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:b/><w:color w:val="{rgb}"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

const TAB: &str = "<w:r><w:tab/></w:r>";

fn render(bytes: &[u8]) -> docsandbox::Document {
    common::sandbox().render(bytes, &RenderOptions::default().dpi(72)).unwrap()
}

#[test]
fn tab_stops_align_the_text_after_them_and_draw_leaders() {
    let tabs = |stops: &str| format!("<w:pPr><w:tabs>{stops}</w:tabs></w:pPr>");
    let body = [
        // A table of contents line: the number ends at a right stop 6 in from the margin,
        // with dots leading to it.
        format!(r#"<w:p>{}{}{TAB}{}</w:p>"#, tabs(r#"<w:tab w:val="right" w:leader="dot" w:pos="8640"/>"#), run("000000", "Introduction"), run("FF0000", "42")),
        // Centred on a stop at 3 in.
        format!(r#"<w:p>{}{TAB}{}</w:p>"#, tabs(r#"<w:tab w:val="center" w:pos="4320"/>"#), run("0000FF", "Middle text")),
        // The decimal point on a stop at 4 in.
        format!(r#"<w:p>{}{}{TAB}{}</w:p>"#, tabs(r#"<w:tab w:val="decimal" w:pos="5760"/>"#), run("000000", "Sum"), run("00A000", "1234.5")),
        // No stop set: the default one, 1 in apart here (settings.xml).
        format!(r#"<w:p>{}{TAB}{}</w:p>"#, run("000000", "A"), run("FF00FF", "B")),
    ]
    .concat();
    let doc = render(&word(&body, "", r#"<w:defaultTabStop w:val="1440"/>"#, &[]));
    let page = &doc.pages()[0];
    let (red, r) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 10, "the page number is drawn");
    assert!(r[2].abs_diff(72 + 432) <= 2, "the number ends at the right stop (504 pt): {r:?}");
    // The dots: dark marks along the number's baseline, between the title and the number,
    // and gaps between them (not a rule).
    let dark_at = |x: u32, y: u32| page.rgba()[((y * page.width() + x) * 4) as usize] < 128;
    let band: Vec<bool> = (200..470).map(|x| (r[1]..=r[3]).any(|y| dark_at(x, y))).collect();
    let marks = band.iter().filter(|d| **d).count();
    assert!(marks > 40 && marks < 200, "a dotted leader: {marks} of 270 columns have ink");
    let (blue, b) = common::pixels_near(page, [0, 0, 255]);
    assert!(blue > 10);
    let centre = (b[0] + b[2]) / 2;
    assert!(centre.abs_diff(72 + 216) <= 2, "centred on 288 pt: {b:?}");
    let (green, g) = common::pixels_near(page, [0, 160, 0]);
    assert!(green > 10);
    // "1234" ends before the stop and ".5" after it.
    assert!(g[0] + 20 < 72 + 288 && g[2] > 72 + 288 + 3 && g[2] < 72 + 288 + 14, "the point at 360 pt: {g:?}");
    let (magenta, m) = common::pixels_near(page, [255, 0, 255]);
    assert!(magenta > 5);
    assert!(m[0].abs_diff(72 + 72) <= 2, "the default stop at 144 pt: {m:?}");
}

#[test]
fn heading_rows_repeat_and_tall_rows_split_across_pages() {
    let cell =
        |fill: &str, content: &str| format!(r#"<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/><w:shd w:val="clear" w:fill="{fill}"/></w:tcPr>{content}</w:tc>"#);
    let para = |text: &str| format!("<w:p>{}</w:p>", run("000000", text));
    let mut rows = format!(r#"<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr>"#, cell("FF0000", &para("Name")), cell("FF0000", &para("Value")));
    for i in 0..40 {
        rows += &format!("<w:tr>{}{}</w:tr>", cell("FFFFFF", &para(&format!("row {i}"))), cell("FFFFFF", &para("x")));
    }
    // A row taller than a page: 70 lines in one cell, the last one blue.
    let tall: String = (0..70).map(|i| para(&format!("line {i}"))).collect::<String>() + &format!("<w:p>{}</w:p>", run("0000FF", "END"));
    rows += &format!("<w:tr>{}{}</w:tr>", cell("FFFFFF", &tall), cell("FFFFFF", &para("y")));
    let table = format!(r#"<w:tbl><w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/></w:tblGrid>{rows}</w:tbl>"#);
    let doc = render(&word(&table, "", "", &[]));
    let pages = doc.pages();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (n, page) in pages.iter().enumerate() {
        let (red, r) = common::pixels_near(page, [255, 0, 0]);
        assert!(red > 1000, "page {}: the heading row is there", n + 1);
        assert!(r[1] <= 73, "page {}: at the top of the text area: {r:?}", n + 1);
        // Nothing runs into the bottom margin (the tall row is split, not overflowing).
        let ink_below = (792 - 72 + 2..792).any(|y| (72..540).any(|x| page.rgba()[((y * page.width() + x) * 4) as usize] < 100));
        assert!(!ink_below, "page {}: text in the bottom margin", n + 1);
    }
    let ends = pages.iter().filter(|p| common::pixels_near(p, [0, 0, 255]).0 > 5).count();
    assert_eq!(ends, 1, "the tall row's last line is on a page, once");
}

#[test]
fn even_pages_show_their_own_header_when_the_settings_ask() {
    let header = |rgb: &str, text: &str| format!(r#"<w:hdr {W}><w:p>{}</w:p></w:hdr>"#, run(rgb, text));
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/></Relationships>"#;
    let body = r#"<w:p><w:r><w:t>One</w:t><w:br w:type="page"/></w:r></w:p><w:p><w:r><w:t>Two</w:t><w:br w:type="page"/></w:r></w:p><w:p><w:r><w:t>Three</w:t></w:r></w:p>"#;
    let section = r#"<w:headerReference w:type="default" r:id="rId1"/><w:headerReference w:type="even" r:id="rId2"/>"#;
    let (odd, even) = (header("FF0000", "Odd header"), header("0000FF", "Even header"));
    let parts: [(&str, &[u8]); 3] =
        [("word/_rels/document.xml.rels", rels.as_bytes()), ("word/header1.xml", odd.as_bytes()), ("word/header2.xml", even.as_bytes())];
    let colours = |doc: &docsandbox::Document| -> Vec<(bool, bool)> {
        doc.pages().iter().map(|p| (common::pixels_near(p, [255, 0, 0]).0 > 20, common::pixels_near(p, [0, 0, 255]).0 > 20)).collect()
    };
    let doc = render(&word(body, section, "<w:evenAndOddHeaders/>", &parts));
    assert_eq!(colours(&doc), [(true, false), (false, true), (true, false)]);
    // Without the setting, the default header is on every page.
    let doc = render(&word(body, section, "", &parts));
    assert_eq!(colours(&doc), [(true, false); 3]);
}

#[test]
fn a_continuous_section_of_two_columns_fills_both_below_the_heading() {
    // Section 1: a red heading across the page. Section 2 starts on the same page
    // (continuous) in two columns 3 in wide, 0.5 in apart, and holds more than one
    // column of blue text (more than page 1's two); after a column break, a green paragraph starts column 2 of
    // page 2.
    let heading = format!(r#"<w:p><w:pPr><w:sectPr>{SECTION}</w:sectPr></w:pPr>{}</w:p>"#, run("FF0000", "Heading across the page"));
    let lines: String = (0..80).map(|i| format!("<w:p>{}</w:p>", run("0000FF", &format!("Column text {i}")))).collect();
    let breaking =
        format!(r#"<w:p>{}<w:r><w:br w:type="column"/></w:r></w:p><w:p>{}</w:p>"#, run("0000FF", "Before the break"), run("00A000", "After the break"));
    let body = format!("{heading}{lines}{breaking}");
    let doc = render(&word(&body, r#"<w:type w:val="continuous"/><w:cols w:num="2" w:space="720"/>"#, "", &[]));
    let pages = doc.pages();
    assert_eq!(pages.len(), 2, "80 lines fill two columns of page 1 and go on to page 2");
    let page = &pages[0];
    let (_, red) = common::pixels_near(page, [255, 0, 0]);
    // Blue in each half of page 1: the left column from the margin, the right one from
    // 72 + 216 + 36 = 324 pt, both below the heading.
    let blue_in = |x0: u32, x1: u32| {
        let mut bounds = [u32::MAX, u32::MAX, 0, 0];
        for y in 0..page.height() {
            for x in x0..x1 {
                let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
                if p[0] < 60 && p[1] < 60 && p[2] > 200 {
                    bounds = [bounds[0].min(x), bounds[1].min(y), bounds[2].max(x), bounds[3].max(y)];
                }
            }
        }
        bounds
    };
    let left = blue_in(0, 306);
    let right = blue_in(306, page.width());
    assert!(left[0].abs_diff(72) <= 2 && left[2] < 72 + 216 + 2, "the left column: {left:?}");
    assert!(right[0].abs_diff(324) <= 2, "the right column starts at 324 pt: {right:?}");
    assert!(left[1] > red[3] && right[1] > red[3] && right[1] < red[3] + 30, "both start below the heading: {left:?} {right:?} {red:?}");
    assert!(left[3] > 600 && right[3] > 600, "both columns are filled: {left:?} {right:?}");
    // Page 2: the rest in the left column, then the column break.
    let (green, g) = common::pixels_near(&pages[1], [0, 160, 0]);
    assert!(green > 5 && g[0].abs_diff(324) <= 2 && g[1] < 90, "after the column break, at the top of column 2: {g:?}");
}

#[test]
fn complex_script_text_takes_its_own_size() {
    // The same run properties: 10 pt for Latin text, 20 pt for complex-script text
    // (szCs). The Arabic run is drawn at 20 pt, the Latin one at 10 pt.
    let props = r#"<w:rPr><w:color w:val="{C}"/><w:sz w:val="20"/><w:szCs w:val="40"/></w:rPr>"#;
    let run = |rgb: &str, text: &str| format!(r#"<w:r>{}<w:t>{text}</w:t></w:r>"#, props.replace("{C}", rgb));
    let body = format!("<w:p>{}</w:p><w:p>{}</w:p>", run("0000FF", "Hillo Hillo Hillo"), run("FF0000", "مرحبا بالعالم مرحبا"));
    let doc = render(&word(&body, "", "", &[]));
    let page = &doc.pages()[0];
    let (_, latin) = common::pixels_near(page, [0, 0, 255]);
    let (_, arabic) = common::pixels_near(page, [255, 0, 0]);
    let (latin_h, arabic_h) = (latin[3] - latin[1], arabic[3] - arabic[1]);
    assert!(arabic_h as f32 > latin_h as f32 * 1.5, "Arabic {arabic_h} px tall, Latin {latin_h} px");
}

#[test]
fn paragraph_borders_draw_one_box_around_their_run_of_paragraphs() {
    // A red rule under a heading (a bottom border, 3 pt: whole pixels at 72 DPI), then two
    // paragraphs boxed in blue (all four sides): one box around both, so two blue rules
    // across, not four.
    let rule = r#"<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="24" w:space="1" w:color="FF0000"/></w:pBdr></w:pPr>"#;
    let boxed = r#"<w:pPr><w:pBdr><w:top w:val="single" w:sz="24" w:space="4" w:color="0000FF"/><w:left w:val="single" w:sz="24" w:space="4" w:color="0000FF"/><w:bottom w:val="single" w:sz="24" w:space="4" w:color="0000FF"/><w:right w:val="single" w:sz="24" w:space="4" w:color="0000FF"/></w:pBdr></w:pPr>"#;
    let plain = |text: &str| format!("<w:r><w:t>{text}</w:t></w:r>");
    let body = format!("<w:p>{rule}{}</w:p><w:p/><w:p>{boxed}{}</w:p><w:p>{boxed}{}</w:p>", plain("Heading"), plain("First boxed"), plain("Second boxed"));
    let doc = render(&word(&body, "", "", &[]));
    let page = &doc.pages()[0];
    let (red, r) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 400 && r[0].abs_diff(72) <= 1 && r[2].abs_diff(540) <= 1 && r[3] - r[1] <= 3, "a rule across the text area: {r:?}");
    // Rows that are blue across most of the box: its top and bottom only.
    let rows: Vec<u32> = (0..page.height())
        .filter(|&y| {
            (100..500).all(|x| {
                let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
                p[2] > 150 && p[0] < 120
            })
        })
        .collect();
    let runs = rows.windows(2).filter(|w| w[1] != w[0] + 1).count() + usize::from(!rows.is_empty());
    assert_eq!(runs, 2, "one box: its top and bottom rules ({rows:?})");
    // The sides span both paragraphs.
    let (_, b) = common::pixels_near(page, [0, 0, 255]);
    assert!(b[0] < 72 && b[2] > 540, "the sides sit outside the text: {b:?}");
}

#[test]
fn space_between_paragraphs_is_the_larger_unless_the_settings_ask_for_the_sum() {
    // 10 pt after the first paragraph, 24 pt before the second: 24 pt between them by the
    // standard's rule, 34 pt with Word 97's (doNotUseHTMLParagraphAutoSpacing).
    let body = format!(
        r#"<w:p><w:pPr><w:spacing w:after="200"/></w:pPr>{}</w:p><w:p><w:pPr><w:spacing w:before="480"/></w:pPr>{}</w:p>"#,
        run("FF0000", "First"),
        run("0000FF", "Second")
    );
    let gap = |settings: &str| {
        let doc = render(&word(&body, "", settings, &[]));
        let (_, red) = common::pixels_near(&doc.pages()[0], [255, 0, 0]);
        let (_, blue) = common::pixels_near(&doc.pages()[0], [0, 0, 255]);
        blue[1] as i64 - red[1] as i64
    };
    let larger = gap("");
    let sum = gap("<w:compat><w:doNotUseHTMLParagraphAutoSpacing/></w:compat>");
    assert!((sum - larger - 10).abs() <= 1, "the sum adds the 10 pt after: {larger} then {sum}");
}

#[test]
fn table_cell_margins_come_from_the_table_or_its_style() {
    // A one-cell red table: Word's default margins (none above and below), then 10 pt
    // above and below from the table's tblCellMar, then the same from its style.
    let table = |props: &str| {
        format!(
            r#"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:shd w:val="clear" w:fill="FF0000"/></w:tcPr><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>{}</w:p></w:tc></w:tr></w:tbl>"#,
            run("000000", "Cell")
        )
    };
    let margins = r#"<w:tblCellMar><w:top w:w="200" w:type="dxa"/><w:bottom w:w="200" w:type="dxa"/></w:tblCellMar>"#;
    let style = format!(r#"<w:styles {W}><w:style w:type="table" w:styleId="Roomy"><w:tblPr>{margins}</w:tblPr></w:style></w:styles>"#);
    let height = |body: &str, extra: &[(&str, &[u8])]| {
        let doc = render(&word(body, "", "", extra));
        let (_, r) = common::pixels_near(&doc.pages()[0], [255, 0, 0]);
        r[3] - r[1]
    };
    let plain = height(&table(""), &[]);
    let direct = height(&table(margins), &[]);
    let styled = height(&table(r#"<w:tblStyle w:val="Roomy"/>"#), &[("word/styles.xml", style.as_bytes())]);
    assert!((direct as i64 - plain as i64 - 20).abs() <= 1, "10 pt above and below: {plain} then {direct}");
    assert_eq!(styled, direct, "the same margins from the table style");
}

#[test]
fn a_table_style_formats_the_first_row_and_banded_rows() {
    // A style that fills the first row red and the odd banded rows (band1Horz) green;
    // tblLook asks for both (04A0: first row, first column, row bands). Three rows: red,
    // green, white.
    let style = format!(
        r#"<w:styles {W}><w:style w:type="table" w:styleId="Banded"><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:fill="FF0000"/></w:tcPr></w:tblStylePr><w:tblStylePr w:type="band1Horz"><w:tcPr><w:shd w:val="clear" w:fill="00FF00"/></w:tcPr></w:tblStylePr></w:style></w:styles>"#
    );
    let row = |text: &str| format!(r#"<w:tr><w:trPr><w:trHeight w:val="720"/></w:trPr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>"#);
    let table = format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="Banded"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>{}{}{}</w:tbl>"#,
        row("Head"),
        row("One"),
        row("Two")
    );
    let doc = render(&word(&table, "", "", &[("word/styles.xml", style.as_bytes())]));
    let page = &doc.pages()[0];
    let (red, r) = common::pixels_near(page, [255, 0, 0]);
    let (green, g) = common::pixels_near(page, [0, 255, 0]);
    assert!(red > 1000 && green > 1000, "{red} red, {green} green pixels");
    // 36 pt rows from the top margin: the red one first, the green one under it.
    assert!(r[1].abs_diff(72) <= 2 && g[1].abs_diff(72 + 36) <= 2 && g[3] < 72 + 72 + 1, "{r:?} {g:?}");
}

#[test]
fn the_first_paragraph_keeps_its_space_before() {
    // 24 pt before the first paragraph of a document, as Word and LibreOffice keep it
    // (not dropped as at the top of later pages), with the section's columns first.
    let body = format!(r#"<w:p><w:pPr><w:spacing w:before="480"/></w:pPr>{}</w:p>"#, run("FF0000", "First"));
    for section in ["", r#"<w:cols w:num="2"/>"#] {
        let doc = render(&word(&body, section, "", &[]));
        let (_, r) = common::pixels_near(&doc.pages()[0], [255, 0, 0]);
        assert!(r[1] >= 72 + 24, "the text starts below 96 pt: {r:?} ({section})");
    }
}

/// The namespaces of a floating drawing (`wp:anchor`) and what it holds.
const DRAWING: &str = r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#;
const EMU: u32 = 12_700;

/// A run holding a floating drawing of `graphic`, `w` by `h` points, wrapped as `wrap`
/// says, placed by `position` (its `wp:positionH` and `wp:positionV`), text kept 9 pt away.
fn anchor(graphic: &str, (w, h): (u32, u32), wrap: &str, position: &str) -> String {
    let d = 9 * EMU;
    format!(
        r#"<w:r><w:drawing><wp:anchor {DRAWING} distT="{d}" distB="{d}" distL="{d}" distR="{d}" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>{position}<wp:extent cx="{}" cy="{}"/>{wrap}<wp:docPr id="1" name="d"/><a:graphic><a:graphicData uri="d">{graphic}</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#,
        w * EMU,
        h * EMU
    )
}

/// A picture of the red image the documents below carry.
const PICTURE: &str = r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdRed"/></pic:blipFill><pic:spPr><a:prstGeom prst="rect"/></pic:spPr></pic:pic>"#;

/// A position: across from `h` (relativeFrom and its offset or alignment), down from `v`.
fn position((h_from, h): (&str, &str), (v_from, v): (&str, &str)) -> String {
    let place = |value: &str| match value.parse::<u32>() {
        Ok(points) => format!("<wp:posOffset>{}</wp:posOffset>", points * EMU),
        Err(_) => format!("<wp:align>{value}</wp:align>"),
    };
    format!(r#"<wp:positionH relativeFrom="{h_from}">{}</wp:positionH><wp:positionV relativeFrom="{v_from}">{}</wp:positionV>"#, place(h), place(v))
}

/// A DOCX of `body` whose relationship `rIdRed` is a red picture, and `rIdHeader` a header.
fn word_with_picture(body: &str, section: &str, header: &str) -> Vec<u8> {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdRed" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/red.png"/><Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>"#;
    let header = format!(r#"<w:hdr {W}>{header}</w:hdr>"#);
    let red = common::solid_png(20, 20, [255, 0, 0]);
    let header_rels = rels.replace("header1.xml", "none.xml");
    word(
        body,
        section,
        "",
        &[
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/_rels/header1.xml.rels", header_rels.as_bytes()),
            ("word/header1.xml", header.as_bytes()),
            ("word/media/red.png", &red),
        ],
    )
}

/// A paragraph of blue text long enough to wrap over many lines, led by `lead` (a run).
fn long_paragraph(lead: &str) -> String {
    let text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ".repeat(6);
    format!("<w:p>{lead}{}</w:p>", run("0000FF", &text))
}

/// The bounding box of the blue text of a page between rows `rows`.
fn blue_in(page: &docsandbox::Page, rows: std::ops::Range<u32>) -> Option<[u32; 4]> {
    box_in(page, rows, |p| p[0] < 60 && p[1] < 60 && p[2] > 200)
}

/// The bounding box of the red of a page between rows `rows`.
fn red_in(page: &docsandbox::Page, rows: std::ops::Range<u32>) -> Option<[u32; 4]> {
    box_in(page, rows, |p| p[0] > 200 && p[1] < 60 && p[2] < 60)
}

/// The bounding box of the pixels `wanted` of a page between rows `rows`.
fn box_in(page: &docsandbox::Page, rows: std::ops::Range<u32>, wanted: impl Fn(&[u8]) -> bool) -> Option<[u32; 4]> {
    let mut b = [u32::MAX, u32::MAX, 0, 0];
    for y in rows.start..rows.end.min(page.height()) {
        for x in 0..page.width() {
            let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
            if wanted(p) {
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
        }
    }
    (b[0] != u32::MAX).then_some(b)
}

#[test]
fn text_wraps_beside_a_floating_picture_and_returns_below_it() {
    // A 2 in square picture at the left margin and the paragraph's top; text keeps 9 pt
    // clear of it.
    let picture = anchor(PICTURE, (144, 144), r#"<wp:wrapSquare wrapText="bothSides"/>"#, &position(("margin", "0"), ("paragraph", "0")));
    let doc = render(&word_with_picture(&long_paragraph(&picture), "", ""));
    let page = &doc.pages()[0];
    let (_, red) = common::pixels_near(page, [255, 0, 0]);
    assert!(red.iter().zip([72, 72, 215, 215]).all(|(a, b)| a.abs_diff(b) <= 2), "the picture is at its anchor: {red:?}");
    let beside = blue_in(page, 74..210).expect("text beside the picture");
    assert!(beside[0] >= 72 + 144 + 9 - 1, "text beside the picture starts right of it and its gap: {beside:?}");
    assert!(beside[1] <= 80, "the first line is beside the picture's top: {beside:?}");
    let below = blue_in(page, 232..400).expect("text below the picture");
    assert!(below[0] <= 76, "below the picture, lines start at the margin again: {below:?}");
}

#[test]
fn top_and_bottom_wrapping_leaves_the_sides_of_a_float_empty() {
    // A 2 × 1 in picture centred between the margins, half an inch below the paragraph's
    // top: no text beside it, some above it and below it.
    let picture = anchor(PICTURE, (144, 72), "<wp:wrapTopAndBottom/>", &position(("margin", "center"), ("paragraph", "36")));
    let doc = render(&word_with_picture(&long_paragraph(&picture), "", ""));
    let page = &doc.pages()[0];
    let (_, red) = common::pixels_near(page, [255, 0, 0]);
    assert!(red.iter().zip([234, 108, 377, 179]).all(|(a, b)| a.abs_diff(b) <= 2), "the picture is centred at its offset: {red:?}");
    assert!(blue_in(page, 72..100).is_some(), "a line above the picture");
    assert_eq!(blue_in(page, 100..188), None, "no text beside the picture or in its gap");
    assert!(blue_in(page, 189..260).is_some_and(|b| b[0] <= 76), "the paragraph goes on below it");
}

#[test]
fn a_floating_text_box_shows_its_frame_and_text_where_it_is_anchored_not_in_the_flow() {
    // A yellow text box with a green outline, 2.5 × 1.25 in, at the right margin, 2 in
    // from the page's top; its text is magenta.
    let text_box = format!(
        r#"<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:prstGeom prst="rect"/><a:solidFill><a:srgbClr val="FFFF00"/></a:solidFill><a:ln w="{}"><a:solidFill><a:srgbClr val="00A000"/></a:solidFill></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p>{}</w:p></w:txbxContent></wps:txbx><wps:bodyPr lIns="91440" tIns="45720" rIns="91440" bIns="45720"/></wps:wsp>"#,
        2 * EMU,
        run("FF00FF", "Boxed")
    );
    let boxed = anchor(&text_box, (180, 90), r#"<wp:wrapSquare wrapText="bothSides"/>"#, &position(("margin", "right"), ("page", "144")));
    let body = format!("{}{}", long_paragraph(&boxed), long_paragraph(""));
    let doc = render(&word_with_picture(&body, "", ""));
    let page = &doc.pages()[0];
    let (yellow, fill) = common::pixels_near(page, [255, 255, 0]);
    assert!(yellow > 10_000, "the box is filled");
    assert!(fill.iter().zip([362, 146, 538, 232]).all(|(a, b)| a.abs_diff(b) <= 3), "the fill is inside the box at its place: {fill:?}");
    let (green, outline) = common::pixels_near(page, [0, 160, 0]);
    assert!(green > 400 && outline.iter().zip([360, 144, 540, 234]).all(|(a, b)| a.abs_diff(b) <= 2), "the outline: {outline:?}");
    let (magenta, text) = common::pixels_near(page, [255, 0, 255]);
    assert!(magenta > 20, "the box's text is drawn");
    assert!(text[0] >= 366 && text[1] >= 147 && text[3] <= 180, "its text is inside it, after its insets: {text:?}");
    // The body text keeps clear of the box and its gap; above and below it, lines are
    // as wide as the margins allow.
    let beside = blue_in(page, 146..232).expect("text beside the box");
    assert!(beside[2] < 360 - 9, "text beside the box ends before it: {beside:?}");
    assert!(blue_in(page, 72..130).is_some_and(|b| b[2] > 500), "lines above the box reach the right margin");
    assert!(blue_in(page, 250..400).is_some_and(|b| b[2] > 500), "lines below it too");
}

#[test]
fn a_float_in_front_of_the_text_does_not_move_it_and_header_floats_show_on_every_page() {
    // The same text with and without a picture over it that does not wrap: the text is
    // where it was.
    let picture = anchor(PICTURE, (72, 72), "<wp:wrapNone/>", &position(("page", "300"), ("page", "300")));
    let body = |lead: &str| [long_paragraph(lead), r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#.into(), long_paragraph("")].concat();
    let plain = render(&word_with_picture(&body(""), "", ""));
    // A red logo floating in the header, 1 in from the page's right edge and 0.25 in from its top.
    let logo = format!("<w:p>{}</w:p>", anchor(PICTURE, (36, 18), "<wp:wrapNone/>", &position(("page", "504"), ("page", "18"))));
    let section = r#"<w:headerReference w:type="default" r:id="rIdHeader"/>"#;
    let covered = render(&word_with_picture(&body(&picture), section, &logo));
    assert_eq!(covered.pages().len(), 2);
    let first = &covered.pages()[0];
    assert_eq!(blue_in(first, 0..792), blue_in(&plain.pages()[0], 0..792), "the text did not move");
    let over = red_in(first, 60..792).expect("the picture");
    assert!(over.iter().zip([300, 300, 371, 371]).all(|(a, b)| a.abs_diff(b) <= 2), "the picture is over the text at its place: {over:?}");
    for (n, page) in covered.pages().iter().enumerate() {
        let logo = red_in(page, 0..60).expect("the header's logo");
        assert!(logo.iter().zip([504, 18, 539, 35]).all(|(a, b)| a.abs_diff(b) <= 2), "page {}: the header's logo: {logo:?}", n + 1);
    }
}

#[test]
fn thousands_of_floats_end_fast_with_the_rest_reported_cut() {
    // 3000 filled text boxes anchored in one paragraph, each wrapping text around it,
    // with a paragraph of text: pages within the limits, and the report says what was cut.
    let text_box = r#"<wps:wsp><wps:spPr><a:prstGeom prst="rect"/><a:solidFill><a:srgbClr val="FFFF00"/></a:solidFill></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>x</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>"#;
    let one = anchor(text_box, (20, 20), r#"<wp:wrapSquare wrapText="bothSides"/>"#, &position(("margin", "10"), ("paragraph", "10")));
    let body = long_paragraph(&one.repeat(3_000));
    let started = std::time::Instant::now();
    let doc = render(&word_with_picture(&body, "", ""));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(doc.report().has("content-truncated"), "{:?}", doc.report().findings);
    assert!(common::pixels_near(&doc.pages()[0], [255, 255, 0]).0 > 100, "the floats read are drawn");
    assert!(blue_in(&doc.pages()[0], 0..792).is_some(), "and the paragraph they are anchored in");
}

/// A run holding an inline picture of the red image, `w` by `h` points.
fn inline_picture((w, h): (u32, u32)) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline {DRAWING}><wp:extent cx="{}" cy="{}"/><wp:docPr id="2" name="i"/><a:graphic><a:graphicData uri="p">{PICTURE}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#,
        w * EMU,
        h * EMU
    )
}

#[test]
fn inline_pictures_sit_in_their_line_and_in_table_cells() {
    // A line "Before [1 in picture] after", then a table whose second cell holds a half-inch
    // picture under its text, right-aligned.
    let line = format!("<w:p>{}{}{}</w:p>", run("0000FF", "Before"), inline_picture((72, 72)), run("0000FF", "after"));
    let cell = |content: &str| format!(r#"<w:tc><w:tcPr><w:tcW w:w="4320" w:type="dxa"/></w:tcPr>{content}</w:tc>"#);
    let table = format!(
        r#"<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8"/><w:left w:val="single" w:sz="8"/><w:bottom w:val="single" w:sz="8"/><w:right w:val="single" w:sz="8"/><w:insideV w:val="single" w:sz="8"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="4320"/><w:gridCol w:w="4320"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>"#,
        cell(&format!("<w:p>{}</w:p>", run("000000", "Logo"))),
        cell(&format!(r#"<w:p>{}</w:p><w:p><w:pPr><w:jc w:val="right"/></w:pPr>{}</w:p>"#, run("000000", "Here"), inline_picture((36, 36))))
    );
    let doc = render(&word_with_picture(&format!("{line}{table}"), "", ""));
    let page = &doc.pages()[0];
    // The first picture: 72 pt, standing on the line's baseline between the two words.
    let big = red_in(page, 0..160).expect("the inline picture");
    assert!((big[2] - big[0] + 1).abs_diff(72) <= 2 && (big[3] - big[1] + 1).abs_diff(72) <= 2, "its size: {big:?}");
    let words = blue_in(page, big[1]..big[3] + 1).expect("the words beside it");
    assert!(words[0] < big[0] && words[2] > big[2], "text on both sides of it: {words:?} {big:?}");
    assert!(words[3].abs_diff(big[3]) <= 4, "the words' baseline at the picture's foot: {words:?} {big:?}");
    // The second picture: in the second cell (72 + 216 .. 72 + 432 pt across), at its right
    // edge inside the cell's padding, below the cell's text.
    let small = red_in(page, big[3] + 4..792).expect("the picture in the cell");
    assert!((small[2] - small[0] + 1).abs_diff(36) <= 2, "its size: {small:?}");
    assert!(small[2] <= 72 + 432 - 4 && small[2] >= 72 + 432 - 12 && small[0] > 72 + 216, "right-aligned in the second cell: {small:?}");
}

#[test]
fn a_vml_text_box_floats_where_its_style_puts_it() {
    // Word 2003's text box: a VML shape placed absolutely, 2.5 × 1.25 in at (4 in, 1 in)
    // from the page's corner, filled yellow and outlined in green, wrapped square.
    let vml = r#"xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word""#;
    let text_box = format!(
        r##"<w:r><w:pict {vml}><v:shape id="t" type="#_x0000_t202" style="position:absolute;margin-left:288pt;margin-top:72pt;width:180pt;height:90pt;mso-position-horizontal-relative:page;mso-position-vertical-relative:page" fillcolor="yellow" strokecolor="#00A000" strokeweight="2pt"><w10:wrap type="square"/><v:textbox inset="7.2pt,3.6pt,7.2pt,3.6pt"><w:txbxContent><w:p>{}</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"##,
        run("FF00FF", "Boxed")
    );
    let doc = render(&word_with_picture(&long_paragraph(&text_box), "", ""));
    let page = &doc.pages()[0];
    let (_, fill) = common::pixels_near(page, [255, 255, 0]);
    assert!(fill.iter().zip([290, 74, 466, 160]).all(|(a, b)| a.abs_diff(b) <= 3), "the fill: {fill:?}");
    let (_, outline) = common::pixels_near(page, [0, 160, 0]);
    assert!(outline.iter().zip([288, 72, 468, 162]).all(|(a, b)| a.abs_diff(b) <= 2), "the outline: {outline:?}");
    let (magenta, text) = common::pixels_near(page, [255, 0, 255]);
    assert!(magenta > 20 && text[0] >= 294 && text[1] >= 75 && text[3] < 160, "its text inside it: {text:?}");
    let beside = blue_in(page, 74..160).expect("text beside the box");
    assert!(beside[2] < 288 - 9, "the body's text keeps clear of it: {beside:?}");
    assert!(blue_in(page, 180..400).is_some_and(|b| b[2] > 500), "below it, lines are as wide as the margins allow");
}

#[test]
fn lines_snap_to_the_document_grid_unless_the_paragraph_opts_out() {
    // A Japanese-style grid of 18 pt lines: 10 blue lines of 10.5 pt text take 18 pt each;
    // the same lines in a paragraph that does not snap take their natural height.
    let lines = |snap: &str| {
        let text = "Line of text<w:br/>".repeat(9) + "Line of text";
        format!(
            r#"<w:p><w:pPr>{snap}</w:pPr><w:r><w:rPr><w:b/><w:color w:val="0000FF"/><w:sz w:val="21"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            text.replace("<w:br/>", r#"</w:t><w:br/><w:t xml:space="preserve">"#)
        )
    };
    let grid = r#"<w:docGrid w:type="lines" w:linePitch="360"/>"#;
    let height = |body: String| {
        let doc = render(&word(&body, grid, "", &[]));
        let b = blue_in(&doc.pages()[0], 0..792).expect("the lines");
        b[3] - b[1]
    };
    let snapped = height(lines(""));
    let natural = height(lines(r#"<w:snapToGrid w:val="0"/>"#));
    // Nine steps between the first line's top and the last's (plus one line's ink).
    assert!((9 * 18..9 * 18 + 14).contains(&snapped), "18 pt lines: {snapped}");
    assert!(natural + 30 < snapped, "natural lines are closer: {natural} vs {snapped}");
}

#[test]
fn tables_sit_where_their_alignment_puts_them_and_right_to_left_tables_start_at_the_right() {
    // Two 100 pt cells, the first red and the second green, on a 468 pt wide text column
    // starting at x = 72.
    let table = |props: &str| {
        let cell = |fill: &str| format!(r#"<w:tc><w:tcPr><w:shd w:val="clear" w:fill="{fill}"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"#);
        let doc = render(&word(
            &format!(
                r#"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>"#,
                cell("FF0000"),
                cell("00FF00")
            ),
            "",
            "",
            &[],
        ));
        let page = &doc.pages()[0];
        let red = red_in(page, 60..200).expect("the red cell");
        let green = box_in(page, 60..200, |p| p[0] < 60 && p[1] > 200 && p[2] < 60).expect("the green cell");
        (red, green)
    };
    let near = |got: u32, want: u32| got.abs_diff(want) <= 2;

    let (red, green) = table("");
    assert!(near(red[0], 72) && near(green[0], 172), "from the left margin: {red:?} {green:?}");
    let (red, green) = table(r#"<w:jc w:val="center"/>"#);
    assert!(near(red[0], 72 + 134) && near(green[2], 72 + 334), "centred in the 468 pt column: {red:?} {green:?}");
    let (red, _) = table(r#"<w:jc w:val="right"/><w:tblInd w:w="720" w:type="dxa"/>"#);
    assert!(near(red[0], 72 + 268), "right-aligned, the indent ignored: {red:?}");
    let (red, green) = table(r#"<w:bidiVisual/>"#);
    assert!(near(red[2], 540) && near(red[0], 440) && near(green[0], 340), "right to left, first cell rightmost: {red:?} {green:?}");
}

#[test]
fn right_to_left_paragraphs_start_at_the_right_margin() {
    // Letter, 1 in margins, 72 DPI: the text column runs from x = 72 to 540.
    let blue_box = |props: &str, text: &str| {
        let doc = render(&word(&format!(r#"<w:p><w:pPr>{props}</w:pPr>{}</w:p>"#, run("0000FF", text)), "", "", &[]));
        blue_in(&doc.pages()[0], 60..120).expect("the blue text")
    };
    let near = |got: u32, want: u32| got.abs_diff(want) <= 3;
    let b = blue_box("<w:bidi/>", "Hello");
    assert!(near(b[2], 540) && b[0] > 400, "a right-to-left paragraph starts at the right: {b:?}");
    let b = blue_box(r#"<w:bidi/><w:ind w:left="1440"/>"#, "Hello");
    assert!(near(b[2], 468), "its left indent is its start's, the right: {b:?}");
    let b = blue_box(r#"<w:bidi/><w:jc w:val="right"/>"#, "Hello");
    assert!(near(b[0], 72), "aligned to its end, the left: {b:?}");
    let b = blue_box("", "\u{5E9}\u{5DC}\u{5D5}\u{5DD} Hello");
    assert!(near(b[0], 72) && b[2] < 300, "Hebrew in a left-to-right paragraph starts at the left, as Word sets it: {b:?}");
}

#[test]
fn line_spacing_rules_place_lines_and_baselines_as_writer_does() {
    // Three lines of 40 pt Liberation Sans capitals (ascent 0.905 em, line gap 0.033 em,
    // descent 0.212 em: 46 pt single lines, baseline 37.5 pt below the line's top) under each
    // spacing rule. The page's text starts 72 pt down.
    let paragraphs = |spacing: &str| {
        let p = format!(
            r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" {spacing}/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans"/><w:color w:val="0000FF"/><w:sz w:val="80"/></w:rPr><w:t>HH</w:t></w:r></w:p>"#
        );
        p.repeat(3)
    };
    let cases: [(&str, [f32; 3]); 6] = [
        // Single: the font's line gap above its ascent, as Writer sets it.
        (r#"w:line="240" w:lineRule="auto""#, [109.5, 155.5, 201.5]),
        // One and a half: the extra height below the text.
        (r#"w:line="360" w:lineRule="auto""#, [109.5, 178.5, 247.5]),
        // Shrunk below single: the baseline at 80 % of each 36.8 pt line.
        (r#"w:line="192" w:lineRule="auto""#, [101.4, 138.2, 175.0]),
        // Exactly 60 pt: the baseline at 80 % of the line.
        (r#"w:line="1200" w:lineRule="exact""#, [120.0, 180.0, 240.0]),
        // At least 100 pt: the extra height above the text.
        (r#"w:line="2000" w:lineRule="atLeast""#, [163.5, 263.5, 363.5]),
        // At least 20 pt, less than the text needs: single lines.
        (r#"w:line="400" w:lineRule="atLeast""#, [109.5, 155.5, 201.5]),
    ];
    // On a document grid of 18 pt lines, each line takes three steps, its text at their foot.
    let grid = r#"<w:docGrid w:type="lines" w:linePitch="360"/>"#;
    let cases = cases.into_iter().map(|(s, w)| (s, "", w)).chain([(r#"w:line="240" w:lineRule="auto""#, grid, [117.5, 171.5, 225.5])]);
    for (spacing, section, want) in cases {
        let doc = render(&word(&paragraphs(spacing), section, "", &[]));
        let got = common::blue_baselines(&doc.pages()[0]);
        assert_eq!(got.len(), 3, "{spacing}: three lines, got {got:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((*g as f32 - w).abs() <= 1.5, "{spacing}: baselines {got:?}, want {want:?}");
        }
    }
}

#[test]
fn latin_letters_and_digits_beside_japanese_get_a_fifth_of_an_em_between() {
    // "日本WEB日本" in blue 40 pt IPAexGothic: Word's autospacing (on unless the paragraph
    // turns it off) sets 8 pt between the ideographs and the Latin letters on each side, as
    // LibreOffice lays it out; text with its own spaces gets none.
    let line = |ppr: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr><w:rFonts w:ascii="IPAexGothic" w:hAnsi="IPAexGothic" w:eastAsia="IPAexGothic"/><w:color w:val="0000FF"/><w:sz w:val="80"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
        )
    };
    let width = |body: String| {
        let doc = render(&word(&body, "", "", &[]));
        let b = blue_in(&doc.pages()[0], 0..792).expect("the line");
        b[2] - b[0]
    };
    let spaced = width(line("", "日本WEB日本"));
    let off = width(line(r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#, "日本WEB日本"));
    assert!((14..=18).contains(&(spaced - off)), "two gaps of 8 pt: {spaced} vs {off}");
    let digits = width(line("", "日本123日本"));
    let digits_off = width(line(r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#, "日本123日本"));
    assert!((14..=18).contains(&(digits - digits_off)), "digits too: {digits} vs {digits_off}");
    let own = width(line("", "日本 WEB 日本"));
    let own_off = width(line(r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#, "日本 WEB 日本"));
    assert_eq!(own, own_off, "text with its own spaces is left alone");
}

#[test]
fn right_to_left_tab_stops_count_from_the_right_margin() {
    // A right-to-left paragraph (a table of contents line in Hebrew): its leading tab goes to
    // a start stop 1 in from the right margin, its last to an end stop at the left margin.
    // The text column runs from x = 72 to 540.
    let hebrew = "\u{5E9}\u{5DC}\u{5D5}\u{5DD}";
    let tabs = r#"<w:tabs><w:tab w:val="left" w:pos="1440"/><w:tab w:val="right" w:pos="9360"/></w:tabs>"#;
    let body = format!(r#"<w:p><w:pPr><w:bidi/>{tabs}</w:pPr>{TAB}{}{TAB}{}</w:p>"#, run("FF0000", hebrew), run("0000FF", "42"));
    let doc = render(&word(&body, "", "", &[]));
    let page = &doc.pages()[0];
    let (red, r) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 10, "the heading is drawn");
    assert!(r[2].abs_diff(540 - 72) <= 3, "it starts (at its right) 72 pt from the right margin: {r:?}");
    let b = blue_in(page, 60..120).expect("the page number");
    assert!(b[0].abs_diff(72) <= 3, "the number ends (at its left) at the left margin: {b:?}");
    assert!(r[1].abs_diff(b[1]) <= 4, "on one line: {r:?} {b:?}");
}

#[test]
fn east_asian_full_stops_hang_past_a_full_line() {
    // 26 ideographs of 18 pt fill the 468 pt column; the full stop after them hangs past
    // the right margin instead of taking the last ideograph to the next line with it, as
    // Word and LibreOffice set Japanese text. Both are red; the rest is black.
    let ideographs = "\u{4E00}".repeat(25);
    let jp = |rgb: &str, text: &str| {
        format!(r#"<w:r><w:rPr><w:rFonts w:eastAsia="MS Gothic"/><w:b/><w:color w:val="{rgb}"/><w:sz w:val="36"/></w:rPr><w:t>{text}</w:t></w:r>"#)
    };
    let body = format!("<w:p>{}{}{}</w:p>", jp("000000", &ideographs), jp("FF0000", "\u{4E8C}\u{3002}"), jp("000000", &"\u{4E09}".repeat(10)));
    let doc = render(&word(&body, "", "", &[]));
    let (red, r) = common::pixels_near(&doc.pages()[0], [255, 0, 0]);
    assert!(red > 10, "the last ideograph and its stop are drawn");
    assert!(r[3] < 72 + 30, "they end the first line, not start the second: {r:?}");
    assert!(r[2] > 540 && r[2] < 540 + 18, "the stop hangs in the right margin: {r:?}");
}

#[test]
fn a_page_break_keeps_the_space_before_the_paragraph_after_it() {
    // 24 pt before a paragraph that starts a page by asking for it, or after a page break,
    // stays (as in Word and LibreOffice), and does not give way to the 20 pt after the
    // paragraph on the page before. (At the top of a page the text ran over to, it goes.)
    let spaced = |props: &str, rgb: &str, text: &str| format!(r#"<w:p><w:pPr>{props}<w:spacing w:before="480"/></w:pPr>{}</w:p>"#, run(rgb, text));
    let after = r#"<w:p><w:pPr><w:spacing w:after="400"/></w:pPr><w:r><w:t>One</w:t></w:r></w:p>"#;
    let broken = r#"<w:p><w:pPr><w:spacing w:after="400"/></w:pPr><w:r><w:t>Two</w:t><w:br w:type="page"/></w:r></w:p>"#;
    let body = [after.to_string(), spaced("<w:pageBreakBefore/>", "FF0000", "Red"), broken.to_string(), spaced("", "0000FF", "Blue")].concat();
    let doc = render(&word(&body, "", "", &[]));
    let pages = doc.pages();
    let (_, r) = common::pixels_near(&pages[1], [255, 0, 0]);
    assert!(r[1] >= 72 + 24, "after pageBreakBefore: {r:?}");
    let b = blue_in(&pages[2], 0..300).expect("the blue paragraph");
    assert!(b[1] >= 72 + 24, "after a page break: {b:?}");
}

#[test]
fn headers_draw_their_borders_and_a_tall_footer_pushes_the_text_up() {
    // The header's paragraph has a red rule below it; the footer is ten lines tall from
    // 36 pt above the bottom edge, over the 72 pt margin; the body is a long blue text.
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;
    let header = format!(
        r#"<w:hdr {W}><w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="16" w:space="4" w:color="FF0000"/></w:pBdr></w:pPr><w:r><w:t>Header</w:t></w:r></w:p></w:hdr>"#
    );
    let footer = format!(r#"<w:ftr {W}>{}</w:ftr>"#, r#"<w:p><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>Footer line</w:t></w:r></w:p>"#.repeat(10));
    let parts: [(&str, &[u8]); 3] =
        [("word/_rels/document.xml.rels", rels.as_bytes()), ("word/header1.xml", header.as_bytes()), ("word/footer1.xml", footer.as_bytes())];
    let section = r#"<w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/>"#;
    let body = (0..6).map(|_| long_paragraph("")).collect::<String>();
    let doc = render(&word(&body, section, "", &parts));
    let page = &doc.pages()[0];
    let (red, r) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 100, "the header's rule is drawn across the column: {r:?}");
    assert!(r[0] <= 73 && r[2] >= 538 && r[1] > 36 && r[3] < 72, "below the header text: {r:?}");
    // Ten 12 pt lines from 36 pt above the bottom: the footer reaches ~140 pt up, so the
    // body ends above 792 - 36 - 140.
    let b = blue_in(page, 0..792).expect("the body text");
    assert!(b[3] < 792 - 36 - 130, "the body ends above the footer: {b:?}");
    assert!(doc.pages().len() > 1);
}

#[test]
fn cells_place_their_content_at_their_vertical_alignment() {
    // Three cells in a row 144 pt tall: top, centre and bottom.
    let cell = |align: &str, rgb: &str| {
        format!(r#"<w:tc><w:tcPr><w:tcW w:w="2880" w:type="dxa"/><w:vAlign w:val="{align}"/></w:tcPr><w:p>{}</w:p></w:tc>"#, run(rgb, "Cell"))
    };
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="2880"/><w:gridCol w:w="2880"/><w:gridCol w:w="2880"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="2880"/></w:trPr>{}{}{}</w:tr></w:tbl>"#,
        cell("top", "FF0000"),
        cell("center", "0000FF"),
        cell("bottom", "00A000")
    );
    let doc = render(&word(&body, "", "", &[]));
    let page = &doc.pages()[0];
    let (_, top) = common::pixels_near(page, [255, 0, 0]);
    let (_, centre) = common::pixels_near(page, [0, 0, 255]);
    let (_, bottom) = common::pixels_near(page, [0, 160, 0]);
    let middle = |b: [u32; 4]| (b[1] + b[3]) / 2;
    assert!(middle(top) < 72 + 30, "top: {top:?}");
    assert!(middle(centre).abs_diff(72 + 72) <= 4, "centred in the row: {centre:?}");
    assert!(middle(bottom) > 72 + 144 - 30 && bottom[3] <= 72 + 144, "at the bottom: {bottom:?}");
}

#[test]
fn highlights_run_shading_and_shading_patterns_are_drawn() {
    // A yellow-highlighted word, then a word with green run shading, on the first line; a
    // paragraph shaded 25 % black on white (`pct25`, grey 191) across the text area; a
    // table cell shaded `solid` in blue (the pattern's colour, not its fill).
    let body = r#"<w:p><w:r><w:rPr><w:highlight w:val="yellow"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">Marked </w:t></w:r><w:r><w:rPr><w:shd w:val="clear" w:color="auto" w:fill="00FF00"/><w:sz w:val="32"/></w:rPr><w:t>Shaded</w:t></w:r></w:p>
<w:p><w:pPr><w:shd w:val="pct25" w:color="000000" w:fill="FFFFFF"/></w:pPr><w:r><w:t>Grey paragraph</w:t></w:r></w:p>
<w:tbl><w:tblGrid><w:gridCol w:w="2880"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="2880" w:type="dxa"/><w:shd w:val="solid" w:color="0000FF" w:fill="FFFFFF"/></w:tcPr><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let doc = render(&word(body, "", "", &[]));
    let page = &doc.pages()[0];
    let (yellow, y) = common::pixels_near(page, [255, 255, 0]);
    let (green, g) = common::pixels_near(page, [0, 255, 0]);
    assert!(yellow > 300 && green > 300, "highlight and shading drawn: {yellow} {green}");
    assert!(y[0].abs_diff(72) <= 2 && y[2] < g[0] + 3 && g[1].abs_diff(y[1]) <= 2, "side by side on the first line: {y:?} {g:?}");
    assert!(y[3] - y[1] >= 16, "the line's height: {y:?}");
    // The text stays readable over its highlight.
    let dark =
        (y[1]..y[3]).flat_map(|yy| (y[0]..y[2]).map(move |xx| (xx, yy))).filter(|&(xx, yy)| page.rgba()[((yy * page.width() + xx) * 4) as usize] < 80).count();
    assert!(dark > 40, "black text over the yellow: {dark}");
    let (grey, r) = common::pixels_near(page, [191, 191, 191]);
    assert!(grey > 2_000 && r[0].abs_diff(72) <= 2 && r[2].abs_diff(540) <= 2, "25 % grey across the text area: {grey} {r:?}");
    let (blue, b) = common::pixels_near(page, [0, 0, 255]);
    assert!(blue > 1_000 && b[1] > r[3], "the solid-shaded cell below: {blue} {b:?}");
}

#[test]
fn a_full_page_picture_in_the_header_lies_beneath_the_letter() {
    // A letterhead: the header holds a red picture over the whole page, in front of the
    // text as far as its wrapping says. Word and LibreOffice draw the header beneath the
    // body, so the letter's blue text shows over it, where it stands without it.
    let plain = render(&word_with_picture(&long_paragraph(""), "", ""));
    let letterhead = format!("<w:p>{}</w:p>", anchor(PICTURE, (612, 792), "<wp:wrapNone/>", &position(("page", "0"), ("page", "0"))));
    let section = r#"<w:headerReference w:type="default" r:id="rIdHeader"/>"#;
    let doc = render(&word_with_picture(&long_paragraph(""), section, &letterhead));
    let page = &doc.pages()[0];
    assert!(red_in(page, 0..792).is_some_and(|r| r[0] <= 1 && r[1] <= 1 && r[2] >= 610 && r[3] >= 790), "the letterhead covers the page");
    let text = blue_in(page, 0..792);
    assert!(text.is_some(), "the letter shows over the letterhead");
    assert_eq!(text, blue_in(&plain.pages()[0], 0..792), "where it stands without it");
}

#[test]
fn an_empty_paragraph_written_self_closed_takes_its_style_s_line() {
    // `<w:p/>` is how Word writes an empty paragraph: it is in the default paragraph style
    // like any other, so it takes the 24 pt of the document defaults here, exactly as
    // `<w:p></w:p>` does (it had taken an 11 pt line).
    let styles = format!(r#"<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="48"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#);
    let page = |empty: &str| {
        let body = format!("<w:p>{}</w:p>{empty}{empty}{empty}<w:p>{}</w:p>", run("FF0000", "Top"), run("0000FF", "Below"));
        let doc = render(&word(&body, "", "", &[("word/styles.xml", styles.as_bytes())]));
        doc.pages()[0].clone()
    };
    let (closed, open) = (page("<w:p/>"), page("<w:p></w:p>"));
    assert_eq!(closed.rgba(), open.rgba(), "both forms draw the same page");
    let (_, top) = common::pixels_near(&closed, [255, 0, 0]);
    let (_, below) = common::pixels_near(&closed, [0, 0, 255]);
    // Four lines of at least 24 pt apart.
    assert!(below[1] - top[1] >= 4 * 24, "{top:?} {below:?}");
}

#[test]
fn tables_align_between_their_own_section_s_margins() {
    // A section's properties come after its content, so a table's place across the line
    // waits for them: a 2 inch red table centred in a section with 2 inch margins spans
    // 234..378 pt (it had been centred between the default 1 inch margins, at 306), and a
    // right-to-left one ends at the right margin, 468 pt.
    let table = |props: &str| {
        format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="2880" w:type="dxa"/>{props}</w:tblPr><w:tblGrid><w:gridCol w:w="2880"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="720"/></w:trPr><w:tc><w:tcPr><w:tcW w:w="2880" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="FF0000"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#
        )
    };
    for (props, (left, right)) in [(r#"<w:jc w:val="center"/>"#, (234, 378)), (r#"<w:bidiVisual/>"#, (324, 468))] {
        let document = format!(
            r#"<w:document {W}><w:body>{}<w:p/><w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="2880" w:bottom="1440" w:left="2880" w:header="720" w:footer="720"/></w:sectPr></w:body></w:document>"#,
            table(props)
        );
        let doc = render(&package(&[("word/document.xml", document.as_bytes())]));
        let (_, r) = common::pixels_near(&doc.pages()[0], [255, 0, 0]);
        assert!(r[0].abs_diff(left) <= 2 && r[2].abs_diff(right) <= 2, "{props}: {r:?}");
    }
}

#[test]
fn cell_text_sits_inside_its_borders() {
    // A two-row table with 6 pt borders is taller than the same without by each row's
    // top border and the last row's bottom one, 18 pt, as LibreOffice lays Word tables
    // out: the text after it moves down by that much.
    let after = |size: u32| {
        let border = format!(r#"w:val="single" w:sz="{size}" w:space="0" w:color="000000""#);
        let row = r#"<w:tr><w:tc><w:tcPr><w:tcW w:w="2880" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr>"#;
        let body = format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="2880" w:type="dxa"/><w:tblBorders><w:top {border}/><w:bottom {border}/><w:left {border}/><w:right {border}/><w:insideH {border}/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="2880"/></w:tblGrid>{row}{row}</w:tbl><w:p>{}</w:p>"#,
            run("0000FF", "After")
        );
        let doc = render(&word(&body, "", "", &[]));
        common::pixels_near(&doc.pages()[0], [0, 0, 255]).1[1]
    };
    let (thin, thick) = (after(2), after(48));
    assert!((thick - thin).abs_diff(18 - 1) <= 2, "{thin} {thick}");
}
