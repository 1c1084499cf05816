//! Sheets printed as Excel prints them (issue 15): paper, orientation, margins, fit to
//! pages, manual breaks, print titles, header and footer, from generated XLSX and from an
//! XLS that LibreOffice saved; screen-style gridlines only when asked for.

use docsandbox::{Page, RenderOptions};

use crate::common;

/// An XLSX of one sheet named "Ward" whose worksheet element holds `sheet` (sheetData and
/// print elements, in schema order), with `names` inside `definedNames`.
fn workbook(sheet: &str, names: &str) -> Vec<u8> {
    let ns =
        r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let book = format!(r#"<workbook {ns}><sheets><sheet name="Ward" sheetId="1" r:id="rId1"/></sheets><definedNames>{names}</definedNames></workbook>"#);
    let sheet = format!(r#"<worksheet {ns}>{sheet}</worksheet>"#);
    common::package(&[
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// `sheetData` with rows `1..=rows`, each holding text in the given columns (0-based).
fn cells(rows: u32, columns: &[u32], first_row: Option<(u32, &str)>) -> String {
    let mut out = String::from("<sheetData>");
    for r in 1..=rows {
        out.push_str(&format!(r#"<row r="{r}">"#));
        let (row_columns, text): (Vec<u32>, String) = match first_row {
            Some((col, title)) if r == 1 => (vec![col], title.to_owned()),
            _ => (columns.to_vec(), format!("R{r}")),
        };
        for c in row_columns {
            let name = (b'A' + c as u8) as char;
            out.push_str(&format!(r#"<c r="{name}{r}" t="inlineStr"><is><t>{text}</t></is></c>"#));
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData>");
    out
}

/// Dark pixels of a page inside a box in points (the page rendered at 72 DPI).
fn ink_in(page: &Page, [x0, y0, x1, y1]: [u32; 4]) -> usize {
    let w = page.width();
    page.rgba()
        .chunks_exact(4)
        .enumerate()
        .filter(|(i, p)| {
            let (x, y) = (*i as u32 % w, *i as u32 / w);
            (x0..x1).contains(&x) && (y0..y1).contains(&y) && p[..3].iter().any(|&c| c < 200)
        })
        .count()
}

fn render(bytes: &[u8], options: RenderOptions) -> docsandbox::Document {
    common::sandbox().render(bytes, &options.dpi(72)).unwrap()
}

#[test]
fn a_sheet_without_page_setup_prints_on_a4_without_gridlines_or_caption() {
    // 150 rows in A and D; Excel's margins (0.7 in, 0.75 in) leave 48 rows of 15 pt.
    let bytes = workbook(&cells(150, &[0, 3], None), "");
    let doc = render(&bytes, RenderOptions::default());
    assert_eq!(doc.pages().len(), 4);
    // The pages carry no caption, so the report names the sheet and its pages.
    let sheets: Vec<_> = doc.report().findings.iter().filter(|f| f.kind == "sheet").map(|f| f.detail.as_str()).collect();
    assert_eq!(sheets, ["\"Ward\": pages 1-4"]);
    let first = &doc.pages()[0];
    assert_eq!((first.width(), first.height()), (596, 842));
    // Row 1 starts at the top margin: nothing above it, "R1" just below it.
    assert_eq!(ink_in(first, [0, 0, 595, 53]), 0, "a caption above the cells");
    assert!(ink_in(first, [50, 54, 98, 70]) > 0, "no R1 at the top left");
    // Between columns A and D (B and C are empty) nothing is drawn: no gridlines.
    assert_eq!(ink_in(first, [105, 54, 140, 780]), 0, "gridlines printed though the sheet does not ask for them");
    // Screen style, as a render option: the caption and light gridlines come back.
    let screen = render(&bytes, RenderOptions::default().sheet_gridlines(true));
    assert!(ink_in(&screen.pages()[0], [50, 54, 150, 70]) > 0, "no caption naming the sheet");
    let marked = |page: &Page| page.rgba().chunks_exact(4).filter(|p| p[..3].iter().any(|&c| c < 250)).count();
    let (plain, lined) = (marked(&doc.pages()[0]), marked(&screen.pages()[0]));
    assert!(lined > plain + 2000, "no gridlines: {lined} marked pixels against {plain}");
}

#[test]
fn orientation_paper_and_fit_to_pages_set_the_pages() {
    // 26 columns of 48 pt and 150 rows: at 100 % on Letter landscape with 0.5 in margins
    // that is 2 pages across (15 columns each) and 5 down (36 rows each); fitted to one
    // page wide it is one column of pages.
    let columns: Vec<u32> = (0..26).collect();
    let setup = r#"<pageMargins left="0.5" right="0.5" top="0.5" bottom="0.5" header="0.3" footer="0.3"/><pageSetup paperSize="1" orientation="landscape"/>"#;
    let plain = workbook(&format!("{}{setup}", cells(150, &columns, None)), "");
    let doc = render(&plain, RenderOptions::default());
    let first = &doc.pages()[0];
    assert_eq!((first.width(), first.height()), (792, 612));
    assert_eq!(doc.pages().len(), 2 * 5);
    let fit = format!(
        r#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>{}{}"#,
        cells(150, &columns, None),
        setup.replace("/><pageSetup ", r#"/><pageSetup fitToWidth="1" fitToHeight="0" "#)
    );
    let doc = render(&workbook(&fit, ""), RenderOptions::default());
    // Scaled to 57 %: 1248 pt across fit 720 pt, and 150 rows of 8.55 pt take 3 pages.
    assert_eq!(doc.pages().len(), 3);
    let first = &doc.pages()[0];
    assert!(ink_in(first, [700, 36, 760, 60]) > 0, "column Z not on the first page: not fitted to its width");
    let scale = render(
        &workbook(&fit.replace(r#"fitToPage="1""#, r#"fitToPage="0""#).replace("<pageSetup ", r#"<pageSetup scale="40" "#), ""),
        RenderOptions::default(),
    );
    assert_eq!(scale.pages().len(), 2, "40 %: one page across, 150 rows of 6 pt on two pages down");
}

#[test]
fn manual_breaks_titles_headers_and_footers_print() {
    // Body text in column A; the title row's only text is in column E.
    let sheet = format!(
        r#"{}<printOptions gridLines="1"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><headerFooter><oddHeader>&amp;CWard &amp;A</oddHeader><oddFooter>&amp;RPage &amp;P of &amp;N&amp;L&amp;D</oddFooter></headerFooter><rowBreaks count="1" manualBreakCount="1"><brk id="10" max="16383" man="1"/></rowBreaks>"#,
        cells(30, &[0], Some((4, "Title")))
    );
    let titles = r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">Ward!$1:$1</definedName>"#;
    let bytes = workbook(&sheet, titles);
    let doc = render(&bytes, RenderOptions::default().print_time(1_796_200_000));
    assert_eq!(doc.pages().len(), 2, "rows 1-10, then 11-30");
    let second = &doc.pages()[1];
    // The title row heads page 2: text in column E (x 242-290) on the first row.
    assert!(ink_in(second, [244, 55, 290, 69]) > 0, "the print title row is not repeated");
    assert!(ink_in(second, [52, 70, 98, 84]) > 0, "row 11 does not follow the title row");
    // Printed gridlines: a line along the top of the cells.
    assert!(ink_in(second, [150, 53, 230, 56]) > 30, "no printed gridlines");
    // Header in the top margin, centred; footer in the bottom margin, left and right.
    assert!(ink_in(second, [240, 20, 360, 40]) > 0, "no header");
    assert!(ink_in(second, [50, 800, 130, 822]) > 0, "no date in the footer");
    assert!(ink_in(second, [480, 800, 545, 822]) > 0, "no page number in the footer");
    assert_eq!(ink_in(second, [150, 800, 440, 822]), 0, "footer parts out of place");
    // The date is the one asked for, so renders repeat; another day prints another date.
    let again = render(&bytes, RenderOptions::default().print_time(1_796_200_000));
    assert_eq!(again.pages()[1].rgba(), second.rgba());
    let later = render(&bytes, RenderOptions::default().print_time(1_796_200_000 + 40 * 86_400));
    assert_ne!(later.pages()[1].rgba(), second.rgba());
}

#[test]
fn an_xls_prints_by_its_own_setup() {
    // tests/files/print-setup.xls (scripts/make-sheet-sample.py): A4 landscape, a manual
    // break before row 41, row 1 repeated, gridlines, header and footer. LibreOffice
    // prints it on 4 pages: rows 1-30, 31-40, 41-69, 70-90.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/files/print-setup.xls")).unwrap();
    let doc = render(&bytes, RenderOptions::default());
    assert_eq!(doc.report().format.as_deref(), Some("xls"));
    assert_eq!(doc.pages().len(), 4);
    for page in doc.pages() {
        assert!(page.width() > page.height(), "not landscape: {} x {}", page.width(), page.height());
        // Header (the sheet's name) and footer ("Page N of 4") in the margins.
        assert!(ink_in(page, [360, 15, 480, 45]) > 0, "no header");
        assert!(ink_in(page, [650, 550, 800, 590]) > 0, "no footer");
    }
    // Page 3 starts at the break and repeats the title row: "Bed" above "R41", and the
    // printed gridlines box them.
    let third = &doc.pages()[2];
    let body_top = (0..200).find(|&y| ink_in(third, [72, y, 90, y + 1]) > 8).expect("no gridline at the left edge");
    assert!(ink_in(third, [74, body_top + 2, 100, body_top + 13]) > 0, "no title row");
    assert!(ink_in(third, [74, body_top + 15, 100, body_top + 26]) > 0, "no R41 below it");
}

#[test]
fn an_ods_prints_by_its_master_page_with_its_column_widths_and_cell_styles() {
    let styles = r#"<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.25cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.25cm"/></style:footer-style></style:page-layout></office:automatic-styles>
        <office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"><style:header><text:p><text:sheet-name>???</text:sheet-name></text:p></style:header><style:footer><text:p>Page <text:page-number>1</text:page-number></text:p></style:footer></style:master-page></office:master-styles>"#;
    let content = r##"<office:automatic-styles><style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="1in"/></style:style><style:style style:name="co2" style:family="table-column"><style:table-column-properties style:column-width="2in"/></style:style><style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:row-height="0.25in"/></style:style><style:style style:name="ce1" style:family="table-cell"><style:table-cell-properties fo:background-color="#ff0000"/><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
        <office:body><office:spreadsheet><table:table table:name="Rounds"><table:table-column table:style-name="co1"/><table:table-column table:style-name="co2"/><table:table-column/>
        <table:table-row table:style-name="ro1"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell/><table:table-cell office:value-type="string"><text:p>far</text:p></table:table-cell></table:table-row>
        <table:table-row table:style-name="ro1"><table:table-cell/><table:table-cell table:style-name="ce1" office:value-type="string"><text:p>hot</text:p></table:table-cell></table:table-row>
        <table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body>"##;
    let manifest = br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    let bytes = common::odf("application/vnd.oasis.opendocument.spreadsheet", content, styles, &[("META-INF/manifest.xml", manifest)]);
    let doc = render(&bytes, RenderOptions::default());
    assert_eq!(doc.report().format.as_deref(), Some("ods"));
    assert_eq!(doc.pages().len(), 1);
    let page = &doc.pages()[0];
    assert_eq!((page.width(), page.height()), (842, 596));
    // The header (the sheet's name) from 2 cm; the cells below its 0.6 cm (LibreOffice
    // counts the spacing in the height).
    assert!(ink_in(page, [380, 56, 460, 75]) > 0, "no header");
    assert!(ink_in(page, [380, 520, 460, 540]) > 0, "no footer");
    // Column A is 1 in and B 2 in wide, so C1 starts 3 in from the left margin.
    let top = 57 + 17;
    assert!(ink_in(page, [274, top, 300, top + 18]) > 0, "C1 is not 3 in from the margin");
    assert_eq!(ink_in(page, [150, top, 270, top + 16]), 0, "text where column B is empty");
    // B2 is filled red and bold.
    let (red, [x0, y0, x1, y1]) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 1000, "no red fill");
    assert!(x0.abs_diff(129) <= 2 && x1.abs_diff(272) <= 2 && y0.abs_diff(top + 18) <= 2 && y1.abs_diff(top + 36) <= 2, "fill at {x0},{y0}-{x1},{y1}");
}

#[test]
fn drawn_shapes_over_cells_are_drawn_and_groups_are_reported() {
    let ns =
        r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let sheet =
        format!(r#"<worksheet {ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData><drawing r:id="rId1"/></worksheet>"#);
    let rel = |target: &str, kind: &str| {
        format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/></Relationships>"#
        )
    };
    // A red rectangle with text over B2:D6 (one-cell anchor, 144 x 72 pt), and a group.
    let drawing = r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
        <xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="1828800" cy="914400"/>
          <xdr:sp><xdr:nvSpPr><xdr:cNvPr id="7" name="Box"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:rPr sz="1800"/><a:t>Isolation</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:oneCellAnchor>
        <xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>10</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="914400" cy="914400"/>
          <xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="8" name="Group"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr><xdr:grpSpPr/></xdr:grpSp><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"#;
    let bytes = common::package(&[
        ("_rels/.rels", rel("xl/workbook.xml", "officeDocument").as_bytes()),
        ("xl/workbook.xml", format!(r#"<workbook {ns}><sheets><sheet name="Ward" sheetId="1" r:id="rId1"/></sheets></workbook>"#).as_bytes()),
        ("xl/_rels/workbook.xml.rels", rel("worksheets/sheet1.xml", "worksheet").as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/worksheets/_rels/sheet1.xml.rels", rel("../drawings/drawing1.xml", "drawing").as_bytes()),
        ("xl/drawings/drawing1.xml", drawing.as_bytes()),
    ]);
    let doc = render(&bytes, RenderOptions::default());
    let page = &doc.pages()[0];
    // Column B starts 48 pt after the 50.4 pt margin, row 2 15 pt below the 54 pt one.
    let (red, [x0, y0, x1, y1]) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 5000, "the rectangle is not drawn: {red} red pixels");
    assert!(x0.abs_diff(98) <= 2 && y0.abs_diff(69) <= 2 && x1.abs_diff(242) <= 2 && y1.abs_diff(141) <= 2, "box at {x0},{y0}-{x1},{y1}");
    // Its text is drawn inside it (dark pixels within the red box).
    let text = page.rgba().chunks_exact(4).enumerate().filter(|(i, p)| {
        let (x, y) = (*i as u32 % page.width(), *i as u32 / page.width());
        (x0..x1).contains(&x) && (y0..y1).contains(&y) && p[0] < 120
    });
    assert!(text.count() > 50, "no text in the shape");
    assert!(doc.report().findings.iter().any(|f| f.kind == "content-not-shown" && f.detail.contains("group")), "{:?}", doc.report());
}

/// An XLS's cells in their own formats (tests/files/cell-styles.xls, see
/// scripts/make-sheet-sample.py): fonts, fills, number formats, alignment and borders, and
/// text running on over an empty cell's fill and past the last column in use; a picture
/// anchored to a cell.
#[test]
fn an_xls_shows_its_cell_formats() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/files/cell-styles.xls")).unwrap();
    let doc = render(&bytes, RenderOptions::default());
    let page = &doc.pages()[0];
    // The lines of ink, top to bottom: each a (top, bottom, left, right) box.
    let w = page.width();
    let inked = |x: u32, y: u32| page.rgba()[((y * w + x) * 4) as usize..][..3].iter().any(|&c| c < 200);
    let mut lines: Vec<[u32; 4]> = Vec::new();
    for y in 0..page.height() {
        let xs: Vec<u32> = (0..w).filter(|&x| inked(x, y)).collect();
        let (Some(&left), Some(&right)) = (xs.first(), xs.last()) else { continue };
        match lines.last_mut() {
            Some(line) if line[1] + 1 == y => *line = [line[0], y, line[2].min(left), line[3].max(right)],
            _ => lines.push([y, y, left, right]),
        }
    }
    assert_eq!(lines.len(), 9, "nine lines of ink: {lines:?}");
    let [bold, _filled, spilled, percent, thousands, boxed, centred, note, picture] = lines[..] else { unreachable!() };
    // A1: red, and taller than the 10 pt digits below.
    let (red, [_, red_top, _, red_bottom]) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 150, "red text {red}");
    assert!(f64::from(red_bottom - red_top) >= 1.3 * f64::from(percent[1] - percent[0]), "14 pt against 10 pt: {bold:?} {percent:?}");
    // A3: the yellow fill, across column A (30 characters, about 161 points).
    let (yellow, [yellow_left, _, yellow_right, _]) = common::pixels_near(page, [255, 255, 0]);
    assert!(yellow > 1_800 && (150..175).contains(&(yellow_right - yellow_left)), "yellow {yellow} from {yellow_left} to {yellow_right}");
    // A5's text runs on over B5's light blue fill, drawn over it.
    let b5 = [yellow_right + 2, spilled[0], yellow_right + 46, spilled[1]];
    let fill = (b5[1]..b5[3]).flat_map(|y| (b5[0]..b5[2]).map(move |x| (x, y))).filter(|&(x, y)| {
        let p = &page.rgba()[((y * w + x) * 4) as usize..][..3];
        p[0].abs_diff(0x99) < 30 && p[1].abs_diff(0xCC) < 30 && p[2] > 220
    });
    assert!(fill.count() > 200, "B5's fill");
    assert!(ink_in(page, [b5[0], b5[1], b5[2], b5[3] + 1]) > 250 && spilled[3] > yellow_right + 40, "the text over it: {spilled:?}");
    // A7 and A9: numbers in their formats, right-aligned in column A; "1,234.50" is about
    // 39 points wide in the default font, where "1234.5" would be 31.
    for line in [percent, thousands] {
        assert!(line[3].abs_diff(yellow_right) <= 4, "right-aligned: {line:?}");
    }
    assert!((34..45).contains(&(thousands[3] - thousands[2])), "1,234.50: {thousands:?}");
    // C11: a box of thick blue lines, empty inside.
    let (blue, _) = common::pixels_near(page, [0, 0, 255]);
    assert!(blue > 10 && (44..56).contains(&(boxed[3] - boxed[2])) && (12..20).contains(&(boxed[1] - boxed[0])), "the box {boxed:?}");
    assert_eq!(ink_in(page, [boxed[2] + 4, boxed[0] + 4, boxed[3] - 3, boxed[1] - 3]), 0, "inside the box");
    // A13: centred in column A.
    assert!((centred[2] + centred[3]).abs_diff(yellow_left + yellow_right) <= 6, "centred: {centred:?}");
    // A15: text in the first column runs on past column C, the last in use (the box's).
    assert!(note[3] > boxed[3] + 40, "the note runs on: {note:?}, column C ends at {}", boxed[3]);
    // A17: the green picture (60 by 30 points), from the workbook's blip store.
    let (green, [green_left, green_top, green_right, green_bottom]) = common::pixels_near(page, [0, 160, 0]);
    assert!(green > 1_400, "green {green}");
    assert!(green_left.abs_diff(yellow_left) <= 3 && green_top == picture[0] && green_bottom == picture[1], "at A17: {picture:?}");
    assert!((55..65).contains(&(green_right - green_left)) && (26..34).contains(&(green_bottom - green_top)), "60 by 30: {picture:?}");
}
