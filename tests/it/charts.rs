//! Charts and content that is not drawn (issue 14), through the public API: DrawingML
//! charts drawn from their caches in PowerPoint slides and Word documents, checked by the
//! pixels of their bars and slices; placeholders and `content-not-shown` findings for
//! what is not drawn (a surface chart, an Office 2016 chart, SmartArt without its cached
//! drawing, an object without a preview, an EMF picture); hostile charts stay bounded.

use std::time::{Duration, Instant};

use docsandbox::RenderOptions;

use crate::common::{self, package, pixels_like};

const RED: [u8; 3] = [255, 0, 0];
const BLUE: [u8; 3] = [0, 0, 255];
const GREEN: [u8; 3] = [0, 192, 0];
const PURPLE: [u8; 3] = [192, 0, 192];
/// The placeholder's fill.
const PLACEHOLDER: [u8; 3] = [0xF4, 0xF4, 0xF4];

const C: &str = r#"xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A series with one colour and cached values.
fn series(index: usize, name: &str, rgb: &str, values: &[f64], points: &str) -> String {
    let pts: String = values.iter().enumerate().map(|(i, v)| format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#)).collect();
    let cats: String = (0..values.len()).map(|i| format!(r#"<c:pt idx="{i}"><c:v>Cat {i}</c:v></c:pt>"#)).collect();
    format!(
        r#"<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:tx><c:strRef><c:f>S!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>
        <c:spPr><a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill></c:spPr>{points}
        <c:cat><c:strRef><c:f>S!$A$2</c:f><c:strCache><c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat>
        <c:val><c:numRef><c:f>S!$B$2</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{pts}</c:numCache></c:numRef></c:val></c:ser>"#,
        n = values.len()
    )
}

/// A column chart of two series, red 10 and blue 20, in one category.
fn column_chart() -> String {
    format!(
        r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>{}{}<c:gapWidth val="100"/><c:axId val="1"/><c:axId val="2"/></c:barChart>
        <c:catAx><c:axId val="1"/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:majorGridlines/><c:crossAx val="1"/></c:valAx></c:plotArea>
        <c:legend><c:legendPos val="b"/></c:legend></c:chart></c:chartSpace>"#,
        series(0, "Ward A", "FF0000", &[10.0], ""),
        series(1, "Ward B", "0000FF", &[20.0], "")
    )
}

/// A pie of one series, 75 green and 25 purple.
fn pie_chart() -> String {
    let points = r#"<c:dPt><c:idx val="0"/><c:spPr><a:solidFill><a:srgbClr val="00C000"/></a:solidFill></c:spPr></c:dPt><c:dPt><c:idx val="1"/><c:spPr><a:solidFill><a:srgbClr val="C000C0"/></a:solidFill></c:spPr></c:dPt>"#;
    format!(
        r#"<c:chartSpace {C}><c:chart><c:plotArea><c:pieChart><c:varyColors val="1"/>{}<c:firstSliceAng val="0"/></c:pieChart></c:plotArea></c:chart></c:chartSpace>"#,
        series(0, "Beds", "000000", &[75.0, 25.0], points)
    )
}

/// Pixels of exactly one colour (the placeholder's grey is close to white).
fn exactly(page: &docsandbox::Page, rgb: [u8; 3]) -> usize {
    page.rgba().chunks_exact(4).filter(|p| p[..3] == rgb).count()
}

/// A one-slide deck (10 by 7.5 inches) whose slide holds `shapes`, with `parts` beside it
/// and the slide's relationships `rels`.
fn deck(shapes: &str, rels: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let slide = format!(
        r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>"#
    );
    let rels = format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#);
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("ppt/presentation.xml", br#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>"#),
        ("ppt/_rels/presentation.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>"#),
        ("ppt/slides/slide1.xml", slide.as_bytes()),
        ("ppt/slides/_rels/slide1.xml.rels", rels.as_bytes()),
    ];
    entries.extend(parts.iter().map(|(name, xml)| (*name, xml.as_bytes())));
    package(&entries)
}

/// A graphic frame at (x, y) inches, w by h inches, holding `data` of graphic kind `uri`.
fn frame(id: u32, (x, y, w, h): (f32, f32, f32, f32), uri: &str, data: &str) -> String {
    let emu = |inches: f32| (inches * 914_400.0) as i64;
    format!(
        r#"<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{id}" name="F{id}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></p:xfrm><a:graphic><a:graphicData uri="{uri}">{data}</a:graphicData></a:graphic></p:graphicFrame>"#,
        emu(x),
        emu(y),
        emu(w),
        emu(h)
    )
}

const CHART_URI: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const CHART_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";

#[test]
fn slide_charts_are_drawn_from_their_caches() {
    let sandbox = common::sandbox();
    let shapes = frame(2, (0.5, 0.5, 4.5, 6.5), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#)
        + &frame(3, (5.0, 0.5, 4.5, 6.5), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId2"/>"#);
    let rels = format!(
        r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/><Relationship Id="rId2" Type="{CHART_REL}" Target="../charts/chart2.xml"/>"#
    );
    let bytes = deck(&shapes, &rels, &[("ppt/charts/chart1.xml", column_chart()), ("ppt/charts/chart2.xml", pie_chart())]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let page = &doc.pages()[0];
    // The bars: the same width, the blue one twice as tall (the legend's swatches add a few
    // pixels to each).
    let (red, blue) = (pixels_like(page, RED), pixels_like(page, BLUE));
    assert!(red > 2_000, "red {red}");
    let ratio = blue as f64 / red as f64;
    assert!((1.8..2.2).contains(&ratio), "blue/red {ratio} ({blue}/{red})");
    // The slices: three quarters and one quarter of the pie.
    let (green, purple) = (pixels_like(page, GREEN), pixels_like(page, PURPLE));
    assert!(purple > 2_000, "purple {purple}");
    let ratio = green as f64 / purple as f64;
    assert!((2.7..3.3).contains(&ratio), "green/purple {ratio} ({green}/{purple})");
    // The pie is on the right half, the bars on the left.
    let width = page.width() as usize;
    let like = |p: &[u8], rgb: [u8; 3]| (0..3).all(|i| p[i].abs_diff(rgb[i]) < 40);
    let left_of_middle = |rgb: [u8; 3]| page.rgba().chunks_exact(4).enumerate().filter(|(i, p)| like(p, rgb) && i % width < width / 2).count();
    assert_eq!(left_of_middle(GREEN), 0);
    assert_eq!(left_of_middle(RED), red);
}

#[test]
fn what_is_not_drawn_gets_a_placeholder_and_a_finding() {
    let sandbox = common::sandbox();
    let surface = format!(
        r#"<c:chartSpace {C}><c:chart><c:plotArea><c:surfaceChart><c:ser><c:idx val="0"/></c:ser></c:surfaceChart></c:plotArea></c:chart></c:chartSpace>"#
    );
    let chartex = r#"<cx:chartSpace xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex"><cx:chart><cx:plotArea><cx:plotAreaRegion><cx:series layoutId="treemap"/></cx:plotAreaRegion></cx:plotArea></cx:chart></cx:chartSpace>"#;
    let no_cache = format!(
        r#"<c:chartSpace {C}><c:chart><c:plotArea><c:lineChart><c:ser><c:idx val="0"/><c:val><c:numRef><c:f>'[http://example.com/x.xlsx]S'!$A$1</c:f></c:numRef></c:val></c:ser></c:lineChart></c:plotArea></c:chart></c:chartSpace>"#
    );
    let shapes = [
        frame(2, (0.2, 0.2, 4.0, 3.0), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#),
        frame(3, (5.0, 0.2, 4.0, 3.0), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId3"/>"#),
        // SmartArt whose data part names no cached drawing.
        frame(
            4,
            (0.2, 4.0, 4.0, 3.0),
            "http://schemas.openxmlformats.org/drawingml/2006/diagram",
            r#"<dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" r:dm="rId4" r:lo="rId5" r:qs="rId6" r:cs="rId7"/>"#,
        ),
        // An embedded object with no preview picture.
        frame(5, (5.0, 4.0, 2.0, 3.0), "http://schemas.openxmlformats.org/presentationml/2006/ole", r#"<p:oleObj name="Worksheet" r:id="rId8" progId="Excel.Sheet.12"><p:embed/></p:oleObj>"#),
        // An Office 2016 chart, with PowerPoint's fallback text.
        format!(
            r#"<mc:AlternateContent><mc:Choice xmlns:cx1="http://schemas.microsoft.com/office/drawing/2015/9/8/chartex" Requires="cx1">{}</mc:Choice><mc:Fallback><p:sp><p:nvSpPr><p:cNvPr id="7" name="fallback"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="6858000" y="3657600"/><a:ext cx="1828800" cy="2743200"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr><p:txBody><a:bodyPr/><a:p><a:r><a:t>This chart isn't available in your version of PowerPoint</a:t></a:r></a:p></p:txBody></p:sp></mc:Fallback></mc:AlternateContent>"#,
            frame(6, (7.5, 4.0, 2.0, 3.0), "http://schemas.microsoft.com/office/drawing/2014/chartex", r#"<cx:chart xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" r:id="rId9"/>"#)
        ),
    ]
    .concat();
    let rels = format!(
        r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/><Relationship Id="rId3" Type="{CHART_REL}" Target="../charts/chart3.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData" Target="../diagrams/data1.xml"/><Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2014/relationships/chartEx" Target="../charts/chartEx1.xml"/>"#
    );
    let data = r#"<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:ptLst/></dgm:dataModel>"#.to_owned();
    let bytes = deck(
        &shapes,
        &rels,
        &[
            ("ppt/charts/chart1.xml", surface),
            ("ppt/charts/chart3.xml", no_cache),
            ("ppt/charts/chartEx1.xml", chartex.into()),
            ("ppt/diagrams/data1.xml", data),
        ],
    );
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    let details: Vec<&str> = report.findings.iter().filter(|f| f.kind == "content-not-shown").map(|f| f.detail.as_str()).collect();
    for expected in ["surface chart", "without cached values", "SmartArt", "Excel.Sheet.12", "chartex"] {
        assert!(details.iter().any(|d| d.contains(expected) && d.starts_with("slide 1: ")), "{expected} missing from {details:?}");
    }
    assert_eq!(details.len(), 5, "{details:?}");
    // Each of the five frames shows the placeholder's hatched box, not an empty area.
    let page = &doc.pages()[0];
    let width = page.width() as usize;
    let placeholder_in = |(x, y): (f32, f32)| {
        let (cx, cy) = ((x * 72.0) as usize, (y * 72.0) as usize);
        page.rgba().chunks_exact(4).enumerate().filter(|(i, p)| p[..3] == PLACEHOLDER && (i % width).abs_diff(cx) < 50 && (i / width).abs_diff(cy) < 50).count()
    };
    for (what, centre) in [("surface", (2.2, 1.7)), ("no cache", (7.0, 1.7)), ("SmartArt", (2.2, 5.5)), ("object", (6.0, 5.5)), ("chartex", (8.5, 5.5))] {
        assert!(placeholder_in(centre) > 1_000, "{what}: {}", placeholder_in(centre));
    }
}

/// A DOCX whose body holds `body` and whose document relationships are `rels`.
fn word(body: &str, rels: &str, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{body}<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr></w:body></w:document>"#
    );
    let rels = format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#);
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
    ];
    entries.extend_from_slice(parts);
    package(&entries)
}

/// An inline drawing of `w` by `h` inches holding `graphic`.
fn inline(w: f32, h: f32, uri: &str, graphic: &str) -> String {
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="{}" cy="{}"/><wp:docPr id="1" name="x"/><a:graphic><a:graphicData uri="{uri}">{graphic}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
        (w * 914_400.0) as i64,
        (h * 914_400.0) as i64
    )
}

#[test]
fn word_charts_are_drawn_where_they_are_anchored_and_emf_pictures_are_named() {
    let sandbox = common::sandbox();
    let text = r#"<w:p><w:r><w:t>Monthly infections by ward</w:t></w:r></w:p>"#;
    let page_break = r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#;
    let body = [
        text,
        &inline(6.0, 4.0, CHART_URI, r#"<c:chart r:id="rId1"/>"#),
        page_break,
        &inline(
            3.0,
            2.0,
            "http://schemas.openxmlformats.org/drawingml/2006/picture",
            r#"<pic:pic><pic:blipFill><a:blip r:embed="rId2"/></pic:blipFill></pic:pic>"#,
        ),
    ]
    .concat();
    let rels = format!(
        r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="charts/chart1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.emf"/>"#
    );
    // The header of an EMF file: the record type 1, its size, bounds... and " EMF" at 40.
    let mut emf = vec![1u8, 0, 0, 0, 108, 0, 0, 0];
    emf.resize(40, 0);
    emf.extend_from_slice(b" EMF");
    emf.resize(108, 0);
    let chart = column_chart();
    let bytes = word(&body, &rels, &[("word/charts/chart1.xml", chart.as_bytes()), ("word/media/image1.emf", &emf)]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 2, "{:?}", doc.report());
    let first = &doc.pages()[0];
    let (red, blue) = (pixels_like(first, RED), pixels_like(first, BLUE));
    assert!(red > 2_000, "red {red}");
    assert!((1.8..2.2).contains(&(blue as f64 / red as f64)), "{blue}/{red}");
    // The chart sits below the line of text, inside the margins.
    let width = first.width() as usize;
    let rows: Vec<usize> = first.rgba().chunks_exact(4).enumerate().filter(|(_, p)| p[..3] == RED).map(|(i, _)| i / width).collect();
    assert!(rows.iter().all(|r| (100..72 + 90 + 288).contains(r)), "{:?}", (rows.first(), rows.last()));
    // The EMF picture is a named placeholder on page 2, and the report says so.
    assert!(exactly(&doc.pages()[1], PLACEHOLDER) > 10_000);
    let report = doc.report();
    assert!(report.findings.iter().any(|f| f.kind == "content-not-shown" && f.detail == "page 2: an EMF picture"), "{report:?}");
}

#[test]
fn hostile_charts_end_bounded() {
    let sandbox = common::sandbox();
    // A million cached points, nesting far beyond any chart, absurd axis bounds and gap
    // widths, and a chart that refers to itself as its own part.
    let many: String = (0..1_000_000).map(|i| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, i % 97)).collect();
    let huge = format!(
        r#"<c:chartSpace {C}><c:chart><c:plotArea><c:lineChart><c:ser><c:val><c:numRef><c:numCache>{many}</c:numCache></c:numRef></c:val></c:ser></c:lineChart></c:plotArea></c:chart></c:chartSpace>"#
    );
    let deep = format!(
        r#"<c:chartSpace {C}><c:chart><c:plotArea>{}<c:barChart>{}</c:barChart>{}</c:plotArea></c:chart></c:chartSpace>"#,
        "<c:x>".repeat(200_000),
        series(0, "d", "FF0000", &[1.0], ""),
        "</c:x>".repeat(200_000)
    );
    let absurd = format!(
        r#"<c:chartSpace {C}><c:chart><c:plotArea><c:barChart><c:gapWidth val="1e308"/>{}<c:axId val="1"/><c:axId val="2"/></c:barChart><c:valAx><c:axId val="2"/><c:scaling><c:min val="1e308"/><c:max val="-1e308"/></c:scaling><c:axPos val="l"/></c:valAx><c:catAx><c:axId val="1"/></c:catAx></c:plotArea><c:legend/></c:chart><c:txPr><a:p><a:pPr><a:defRPr sz="99999999"/></a:pPr></a:p></c:txPr></c:chartSpace>"#,
        series(0, &"x".repeat(100_000), "FF0000", &[f64::MAX, -f64::MAX, 0.0], "")
    );
    for (name, chart) in [("huge", huge), ("deep", deep), ("absurd", absurd)] {
        let shapes = frame(2, (0.5, 0.5, 9.0, 6.5), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
        let rels = format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#);
        let bytes = deck(&shapes, &rels, &[("ppt/charts/chart1.xml", chart)]);
        let started = Instant::now();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.pages().len(), 1, "{name}");
        assert!(started.elapsed() < Duration::from_secs(30), "{name}: {:?}", started.elapsed());
    }
}

/// An XLSX of one sheet with `cells` (sheetData rows) and a drawing part `drawing`, with
/// the drawing's relationships `rels` and `parts` beside them.
fn workbook(cells: &str, drawing: Option<(&str, &str)>, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let s =
        r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let sheet = format!(r#"<worksheet {s}><sheetData>{cells}</sheetData>{}</worksheet>"#, if drawing.is_some() { r#"<drawing r:id="rId1"/>"# } else { "" });
    let sheet_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>"#;
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Wards" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    let drawing_rels;
    if let Some((xml, rels)) = drawing {
        drawing_rels = format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#);
        entries.push(("xl/worksheets/_rels/sheet1.xml.rels", sheet_rels.as_bytes()));
        entries.push(("xl/drawings/drawing1.xml", xml.as_bytes()));
        entries.push(("xl/drawings/_rels/drawing1.xml.rels", drawing_rels.as_bytes()));
    }
    entries.extend_from_slice(parts);
    package(&entries)
}

#[test]
fn sheet_charts_and_pictures_are_drawn_where_they_are_anchored() {
    let sandbox = common::sandbox();
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Ward</t></is></c><c r="B1"><v>10</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Beds</t></is></c><c r="B2"><v>20</v></c></row>"#;
    // A chart from D2 to J16 (columns of 48 pt, rows of 15 pt), a picture 100 by 50 pt at A21.
    let drawing = r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">
      <xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>15</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
        <xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>
      <xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="1270000" cy="635000"/>
        <xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="Picture 2"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId2"/></xdr:blipFill><xdr:spPr/></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>
    </xdr:wsDr>"#;
    let rels = format!(
        r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/>"#
    );
    let chart = column_chart();
    let png = common::solid_png(20, 10, GREEN);
    let bytes = workbook(cells, Some((drawing, &rels)), &[("xl/charts/chart1.xml", chart.as_bytes()), ("xl/media/image1.png", &png)]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let page = &doc.pages()[0];
    let (red, blue) = (pixels_like(page, RED), pixels_like(page, BLUE));
    assert!(red > 1_000, "red {red}");
    assert!((1.8..2.2).contains(&(blue as f64 / red as f64)), "{blue}/{red}");
    // The picture keeps its anchored size: 100 by 50 points at 72 DPI.
    let green = pixels_like(page, GREEN);
    assert!((4_500..5_500).contains(&green), "green {green}");
    // The chart sits right of column C: no bar pixel left of the cells' D column edge.
    let width = page.width() as usize;
    let leftmost = page.rgba().chunks_exact(4).enumerate().filter(|(_, p)| p[..3] == BLUE).map(|(i, _)| i % width).min().unwrap();
    assert!(leftmost as f32 > 50.4 + 3.0 * 48.0, "leftmost bar pixel {leftmost}");

    // A sheet holding only a chart still prints it.
    let bytes = workbook("", Some((drawing, &rels)), &[("xl/charts/chart1.xml", chart.as_bytes()), ("xl/media/image1.png", &png)]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(pixels_like(&doc.pages()[0], BLUE) > 1_000);
    assert!(!doc.report().has("empty-document"));
}

/// openpyxl and other libraries write charts without caches: in a workbook, the series
/// take their values from the cells they name, as Excel shows them. A reference to another
/// workbook resolves to nothing and stays a visible gap.
#[test]
fn workbook_charts_without_caches_take_their_values_from_the_cells() {
    let sandbox = common::sandbox();
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Ward</t></is></c><c r="B1" t="inlineStr"><is><t>Cases</t></is></c></row>
        <row r="2"><c r="A2" t="inlineStr"><is><t>North</t></is></c><c r="B2"><v>10</v></c></row>
        <row r="3"><c r="A3" t="inlineStr"><is><t>South</t></is></c><c r="B3"><v>30</v></c></row>"#;
    let drawing = r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">
      <xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>15</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
        <xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>
    </xdr:wsDr>"#;
    let rels = format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#);
    // One series, red bars, as openpyxl writes it: references only, no caches.
    let chart = |values: &str| {
        format!(
            r#"<chartSpace xmlns="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><chart><autoTitleDeleted val="1"/><plotArea><barChart><barDir val="col"/><grouping val="clustered"/>
            <ser><idx val="0"/><order val="0"/><tx><strRef><f>'Wards'!$B$1</f></strRef></tx><spPr><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></spPr>
            <cat><strRef><f>'Wards'!$A$2:$A$3</f></strRef></cat><val><numRef><f>{values}</f></numRef></val></ser>
            <axId val="10"/><axId val="20"/></barChart><catAx><axId val="10"/><axPos val="b"/><crossAx val="20"/></catAx><valAx><axId val="20"/><axPos val="l"/><crossAx val="10"/></valAx></plotArea></chart></chartSpace>"#
        )
    };
    let local = chart("'Wards'!$B$2:$B$3");
    let bytes = workbook(cells, Some((drawing, &rels)), &[("xl/charts/chart1.xml", local.as_bytes())]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let page = &doc.pages()[0];
    let width = page.width() as usize;
    // Two red bars, the second three times the first's height.
    let mut columns: std::collections::BTreeMap<usize, usize> = Default::default();
    for (i, p) in page.rgba().chunks_exact(4).enumerate() {
        if p[..3] == RED {
            *columns.entry(i % width).or_default() += 1;
        }
    }
    let heights: Vec<usize> = columns.values().copied().filter(|h| *h > 10).collect();
    let (low, high) = (heights.iter().min().copied().unwrap_or(0), heights.iter().max().copied().unwrap_or(0));
    assert!(low > 10 && (2.7..3.3).contains(&(high as f64 / low as f64)), "bar heights {low} {high}");

    let external = chart("[1]Wards!$B$2:$B$3");
    let bytes = workbook(cells, Some((drawing, &rels)), &[("xl/charts/chart1.xml", external.as_bytes())]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(doc.report().has("content-not-shown"), "{:?}", doc.report());
    assert_eq!(pixels_like(&doc.pages()[0], RED), 0);
}

#[test]
fn empty_documents_show_one_blank_page_and_say_so() {
    let sandbox = common::sandbox();
    let empty_docx = word("<w:p/>", "", &[]);
    let empty_xlsx = workbook("", None, &[]);
    let empty_pptx = package(&[
        ("ppt/presentation.xml", br#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:sldIdLst/><p:sldSz cx="9144000" cy="6858000"/></p:presentation>"#),
        ("ppt/_rels/presentation.xml.rels", b"<Relationships/>"),
    ]);
    for (name, bytes) in [("docx", empty_docx), ("xlsx", empty_xlsx), ("pptx", empty_pptx)] {
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(36)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.pages().len(), 1, "{name}");
        let page = &doc.pages()[0];
        assert_eq!(exactly(page, [255, 255, 255]), (page.width() * page.height()) as usize, "{name}: not blank");
        assert!(doc.report().has("empty-document"), "{name}: {:?}", doc.report());
    }
    // A document with content is not reported empty.
    let doc = sandbox.render(&word("<w:p><w:r><w:t>x</w:t></w:r></w:p>", "", &[]), &RenderOptions::default().dpi(36)).unwrap();
    assert!(!doc.report().has("empty-document"));
}

/// A 200 by 100 pixel EMF at 96 DPI: a red square over its left half, a blue circle 60
/// pixels across on the right, no outlines.
fn emf() -> Vec<u8> {
    emf_clipped(&[], &[])
}

/// [`emf`] with records `before` the square and `after` it.
fn emf_clipped(before: &[Vec<u32>], after: &[Vec<u32>]) -> Vec<u8> {
    let mut records: Vec<Vec<u32>> = vec![vec![39, 24, 1, 0, 0x0000_00FF, 0], vec![37, 12, 1], vec![37, 12, 0x8000_0008]];
    records.extend_from_slice(before);
    records.push(vec![43, 24, 0, 0, 100, 100]);
    records.extend_from_slice(after);
    records.extend([vec![39, 24, 2, 0, 0x00FF_0000, 0], vec![37, 12, 2], vec![42, 24, 120, 20, 180, 80], vec![14, 20, 0, 16, 20]]);
    let body: usize = records.iter().map(|r| r.len() * 4).sum();
    let mut header =
        vec![1u32, 108, 0, 0, 199, 99, 0, 0, 5292, 2646, 0x464D_4520, 0x10000, (108 + body) as u32, records.len() as u32 + 1, 3, 0, 0, 0, 1920, 960, 508, 254];
    header.resize(27, 0);
    records.insert(0, header);
    records.concat().iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// One WMF record: its size in 16-bit words, its function, its parameters.
fn wmf_record(function: u16, params: &[u16]) -> Vec<u16> {
    let words = 3 + params.len() as u32;
    [vec![words as u16, (words >> 16) as u16, function], params.to_vec()].concat()
}

/// The same picture as [`emf`] as a WMF, with (`placeable`) or without the placeable header.
fn wmf(placeable: bool) -> Vec<u8> {
    let record = wmf_record;
    let records = [
        record(0x02FC, &[0, 0x00FF, 0x0000, 0]),
        record(0x012D, &[0]),
        record(0x02FA, &[5, 0, 0, 0, 0]),
        record(0x012D, &[1]),
        record(0x020B, &[0, 0]),
        record(0x020C, &[100, 200]),
        record(0x041B, &[100, 100, 0, 0]),
        record(0x02FC, &[0, 0x0000, 0x00FF, 0]),
        record(0x012D, &[2]),
        record(0x0418, &[80, 180, 20, 120]),
    ]
    .concat();
    wmf_of(&records, placeable)
}

/// A 200 by 100 unit WMF (2 by 1 inches with the placeable header) of `records`.
fn wmf_of(records: &[u16], placeable: bool) -> Vec<u8> {
    let records = [records, &wmf_record(0x0000, &[])].concat();
    let total = 9 + records.len() as u32;
    let mut words = vec![1u16, 9, 0x0300, total as u16, (total >> 16) as u16, 3, 9, 0, 0];
    words.extend(records);
    let mut bytes: Vec<u8> = if placeable { [0xD7, 0xCD, 0xC6, 0x9A, 0, 0, 0, 0, 0, 0, 200, 0, 100, 0, 96, 0, 0, 0, 0, 0, 0, 0].to_vec() } else { Vec::new() };
    bytes.extend(words.iter().flat_map(|w| w.to_le_bytes()));
    bytes
}

/// A Word document whose body is one picture of `w` by `h` inches, stored as `name`.
fn word_picture(name: &str, picture: &[u8], (w, h): (f32, f32)) -> Vec<u8> {
    let body =
        inline(w, h, "http://schemas.openxmlformats.org/drawingml/2006/picture", r#"<pic:pic><pic:blipFill><a:blip r:embed="rId2"/></pic:blipFill></pic:pic>"#);
    let rels = format!(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{name}"/>"#);
    word(&body, &rels, &[(&format!("word/media/{name}"), picture)])
}

/// The red square and blue circle of [`emf`] and [`wmf`] drawn 2 by 1 inches at 72 DPI:
/// the square 72 by 72 pixels, the circle 43 across.
fn assert_square_and_circle(page: &docsandbox::Page) {
    let (red, blue) = (pixels_like(page, RED), pixels_like(page, BLUE));
    assert!((4_800..5_500).contains(&red), "red {red}");
    assert!((1_250..1_700).contains(&blue), "blue {blue}");
}

/// EMF clipping: the square drawn inside a clip of its left half shows only that half;
/// after RESTOREDC the circle is drawn whole.
#[test]
fn emf_clip_rectangles_clip_until_restored() {
    let sandbox = common::sandbox();
    let save = vec![33, 8];
    let clip = vec![30, 24, 0, 0, 50, 100];
    let restore = vec![34, 12, u32::MAX];
    let bytes = word_picture("image1.emf", &emf_clipped(&[save, clip], &[restore]), (2.0, 1.0));
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let page = &doc.pages()[0];
    let (red, blue) = (pixels_like(page, RED), pixels_like(page, BLUE));
    assert!((2_350..2_800).contains(&red), "red {red}: half of the 72 x 72 square");
    assert!((1_250..1_700).contains(&blue), "blue {blue}");
    // Clearing the region (EXTSELECTCLIPRGN, RGN_COPY, no region) draws the square whole.
    let reset = vec![75, 16, 0, 5];
    let bytes = word_picture("image1.emf", &emf_clipped(&[vec![30, 24, 0, 0, 50, 100], reset], &[]), (2.0, 1.0));
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert_square_and_circle(&doc.pages()[0]);
}

#[test]
fn wmf_pictures_are_drawn() {
    let sandbox = common::sandbox();
    let bytes = word_picture("image1.wmf", &wmf(true), (2.0, 1.0));
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    assert_square_and_circle(&doc.pages()[0]);
    // RTF holds WMFs without the placeable header, sized by \picwgoal and \pichgoal.
    let hex: String = wmf(false).iter().map(|b| format!("{b:02x}")).collect();
    let rtf = format!(r"{{\rtf1\ansi {{\pict\wmetafile8\picwgoal2880\pichgoal1440 {hex}}}\par}}");
    let doc = sandbox.render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let red = pixels_like(&doc.pages()[0], RED);
    assert!((4_800..5_500).contains(&red), "red {red}");
}

/// WMF records that set a 200 by 100 unit window and select a red brush and no pen.
fn red_brush_window() -> Vec<u16> {
    [
        wmf_record(0x020B, &[0, 0]),
        wmf_record(0x020C, &[100, 200]),
        wmf_record(0x02FC, &[0, 0x00FF, 0x0000, 0]),
        wmf_record(0x012D, &[0]),
        wmf_record(0x02FA, &[5, 0, 0, 0, 0]),
        wmf_record(0x012D, &[1]),
    ]
    .concat()
}

/// A poly-polygon is filled with the even-odd rule: a square inside a square is a hole, as
/// in the compass roses and logos of old clip art.
#[test]
fn wmf_poly_polygons_leave_their_holes_empty() {
    let records = [
        red_brush_window(),
        // Two polygons of 4 points: the square 0..100, and 25..75 inside it.
        wmf_record(0x0538, &[2, 4, 4, 0, 0, 100, 0, 100, 100, 0, 100, 25, 25, 75, 25, 75, 75, 25, 75]),
    ]
    .concat();
    let bytes = word_picture("image1.wmf", &wmf_of(&records, true), (2.0, 1.0));
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // The square is 72 pixels across, the hole 36: a ring of 72² − 36² = 3 888 pixels.
    let red = pixels_like(page, RED);
    assert!((3_600..4_250).contains(&red), "red {red}: a ring, not a filled square");
    let (_, [left, top, right, bottom]) = common::pixels_near(page, RED);
    let (cx, cy) = ((left + right) / 2, (top + bottom) / 2);
    let i = (cy * page.width() + cx) as usize * 4;
    assert_eq!(&page.rgba()[i..i + 3], &[255, 255, 255], "the hole at ({cx}, {cy}) is empty");
}

/// The bitmaps of a WMF keep what their raster operation keeps: a 16 by 32 monochrome
/// mask ANDed (its upper half the source: an 8 by 8 black centre in white), then a 16 by 16
/// colour picture XORed over it (blue in the centre, black around) draw a blue square on
/// the red beneath, as an icon is drawn, with nothing of the mask's unused lower half.
#[test]
fn wmf_masked_bitmaps_draw_as_icons() {
    let header = |height: i32, bits: u16| -> Vec<u8> {
        [40u32.to_le_bytes().to_vec(), 16i32.to_le_bytes().to_vec(), height.to_le_bytes().to_vec(), vec![1, 0], bits.to_le_bytes().to_vec(), vec![0; 24]]
            .concat()
    };
    let centre = |i: usize| (4..12).contains(&i);
    // Rows bottom-up, each 2 bytes padded to 4: the lower half black (palette 0), then the
    // upper half white with the centre black.
    let mask_rows: Vec<u8> = (0..32)
        .rev()
        .flat_map(|row: usize| {
            let bits: u16 = if row >= 16 { 0 } else { (0..16).filter(|&x| !(centre(x) && centre(row))).map(|x| 0x8000 >> x).sum() };
            [(bits >> 8) as u8, bits as u8, 0, 0]
        })
        .collect();
    let mask = [header(32, 1), vec![0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0], mask_rows].concat();
    let colour_rows: Vec<u8> = (0..16).flat_map(|row| (0..16).flat_map(move |x| if centre(x) && centre(row) { [0xFF, 0, 0] } else { [0, 0, 0] })).collect();
    let colour = [header(16, 24), colour_rows].concat();
    let blit = |rop: u32, dib: &[u8]| {
        let words: Vec<u16> = dib.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        wmf_record(0x0B41, &[&[rop as u16, (rop >> 16) as u16, 16, 16, 0, 0, 100, 100, 0, 50][..], &words].concat())
    };
    let records = [red_brush_window(), wmf_record(0x041B, &[100, 200, 0, 0]), blit(0x0088_00C6, &mask), blit(0x0066_0046, &colour)].concat();
    let bytes = word_picture("image1.wmf", &wmf_of(&records, true), (2.0, 1.0));
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // 2 by 1 inches: the icon 72 pixels square, its blue centre 36.
    let (blue, [left, top, right, bottom]) = common::pixels_near(page, BLUE);
    assert!((900..1_450).contains(&blue), "blue {blue}");
    assert!((right - left + 1).abs_diff(36) <= 5 && (bottom - top + 1).abs_diff(36) <= 5, "the blue square {:?}", [left, top, right, bottom]);
    let red = pixels_like(page, RED);
    assert!((8_500..9_300).contains(&red), "red {red}: all but the blue centre");
    assert!(pixels_like(page, [0, 0, 0]) < 50, "nothing black: the mask's lower half and the colour's black are not drawn");
}

/// An EMF bitmap drawn with `ALPHABLEND` keeps its own alpha: a 4 by 4 bitmap, green on
/// its left half and transparent on its right, over the red square leaves the square's
/// right half red.
#[test]
fn emf_alpha_blended_bitmaps_keep_their_transparency() {
    let (green, clear) = (0xFF00_A000u32, 0u32);
    let bits: Vec<u32> = (0..16).map(|i| if i % 4 < 2 { green } else { clear }).collect();
    let info = [40u32, 4, 4, 32 << 16 | 1, 0, 64, 0, 0, 0, 0];
    let one = 1.0f32.to_bits();
    let mut blend = vec![114, 108 + 40 + 64, 0, 0, 100, 100, 0, 0, 100, 100, 0x01FF_0000, 0, 0, one, 0, 0, one, 0, 0, 0, 0, 108, 40, 148, 64, 4, 4];
    blend.extend(info);
    blend.extend(bits);
    let bytes = word_picture("image1.emf", &emf_clipped(&[], &[blend]), (2.0, 1.0));
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (green, [left, _, right, _]) = common::pixels_near(page, [0, 160, 0]);
    let red = pixels_like(page, RED);
    assert!((2_000..2_800).contains(&green) && (right - left + 1).abs_diff(36) <= 7, "green {green}, {left} to {right}: the left half");
    assert!((2_000..2_800).contains(&red), "red {red}: the right half shows through");
}

#[test]
fn emf_pictures_are_drawn() {
    let sandbox = common::sandbox();
    let emf = emf();
    let bytes = word_picture("image1.emf", &emf, (2.0, 1.0));
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    assert_square_and_circle(&doc.pages()[0]);
    // The same picture in RTF (\emfblip), at its own size: 200 by 100 pixels at 96 DPI.
    let hex: String = emf.iter().map(|b| format!("{b:02x}")).collect();
    let rtf = format!(r"{{\rtf1\ansi {{\pict\emfblip {hex}}}\par}}");
    let doc = sandbox.render(rtf.as_bytes(), &RenderOptions::default().dpi(96)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let red = pixels_like(&doc.pages()[0], RED);
    assert!((9_000..10_800).contains(&red), "red {red}");
}

/// A SmartArt diagram's data part naming its cached drawing by `rId5`, and the drawing: one
/// green box of 2 by 1 inches at the diagram's corner, with text.
fn smartart_parts() -> (String, String) {
    let data = r#"<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst/><dgm:extLst><a:ext uri="http://schemas.microsoft.com/office/drawing/2008/diagram"><dsp:dataModelExt xmlns:dsp="http://schemas.microsoft.com/office/drawing/2008/diagram" relId="rId5" minVer="http://schemas.openxmlformats.org/drawingml/2006/diagram"/></a:ext></dgm:extLst></dgm:dataModel>"#;
    let drawing = r#"<dsp:drawing xmlns:dsp="http://schemas.microsoft.com/office/drawing/2008/diagram" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dsp:spTree><dsp:nvGrpSpPr><dsp:cNvPr id="0" name=""/><dsp:cNvGrpSpPr/></dsp:nvGrpSpPr><dsp:grpSpPr/>
      <dsp:sp modelId="{1}"><dsp:nvSpPr><dsp:cNvPr id="0" name=""/><dsp:cNvSpPr/></dsp:nvSpPr><dsp:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="00C000"/></a:solidFill></dsp:spPr>
      <dsp:txBody><a:bodyPr/><a:p><a:r><a:rPr sz="1400"/><a:t>Triage</a:t></a:r></a:p></dsp:txBody></dsp:sp></dsp:spTree></dsp:drawing>"#;
    (data.into(), drawing.into())
}

#[test]
fn smartart_is_drawn_from_its_cached_drawing_in_slides_documents_and_sheets() {
    let sandbox = common::sandbox();
    let (data, drawing) = smartart_parts();
    let relids = r#"<dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" r:dm="rId4" r:lo="rId6" r:qs="rId7" r:cs="rId8"/>"#;
    let diagram_uri = "http://schemas.openxmlformats.org/drawingml/2006/diagram";
    // 2 by 1 inches at 72 DPI, less the text's pixels.
    let box_pixels = 144 * 72;
    let check = |name: &str, doc: &docsandbox::Document, origin: (usize, usize)| {
        assert!(!doc.report().has("content-not-shown"), "{name}: {:?}", doc.report());
        let page = &doc.pages()[0];
        let green = exactly(page, GREEN);
        assert!((box_pixels * 85 / 100..=box_pixels).contains(&green), "{name}: green {green}");
        // The box sits at the diagram's corner.
        let width = page.width() as usize;
        let first = page.rgba().chunks_exact(4).position(|p| p[..3] == GREEN).unwrap();
        let (x, y) = (first % width, first / width);
        assert!(x.abs_diff(origin.0) <= 2 && y.abs_diff(origin.1) <= 2, "{name}: box at {x},{y}, expected {origin:?}");
    };

    let shapes = frame(2, (1.0, 1.0, 4.0, 3.0), diagram_uri, relids);
    let rels = r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData" Target="../diagrams/data1.xml"/><Relationship Id="rId5" Type="http://schemas.microsoft.com/office/2007/relationships/diagramDrawing" Target="../diagrams/drawing1.xml"/>"#;
    let bytes = deck(&shapes, rels, &[("ppt/diagrams/data1.xml", data.clone()), ("ppt/diagrams/drawing1.xml", drawing.clone())]);
    check("pptx", &sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap(), (72, 72));

    let body = inline(4.0, 3.0, diagram_uri, relids);
    let rels = r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData" Target="diagrams/data1.xml"/><Relationship Id="rId5" Type="http://schemas.microsoft.com/office/2007/relationships/diagramDrawing" Target="diagrams/drawing1.xml"/>"#;
    let bytes = word(&body, rels, &[("word/diagrams/data1.xml", data.as_bytes()), ("word/diagrams/drawing1.xml", drawing.as_bytes())]);
    check("docx", &sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap(), (72, 72));

    let anchor = format!(
        r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="3657600" cy="2743200"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Diagram 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm/><a:graphic><a:graphicData uri="{diagram_uri}">{relids}</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"#
    );
    let rels = r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData" Target="../diagrams/data1.xml"/><Relationship Id="rId5" Type="http://schemas.microsoft.com/office/2007/relationships/diagramDrawing" Target="../diagrams/drawing1.xml"/>"#;
    let bytes = workbook("", Some((&anchor, rels)), &[("xl/diagrams/data1.xml", data.as_bytes()), ("xl/diagrams/drawing1.xml", drawing.as_bytes())]);
    // Column B, row 3 of the printed sheet: Excel's margins, one column, two rows.
    check("xlsx", &sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap(), (50 + 48, 54 + 30));
}

#[test]
fn hostile_metafiles_end_bounded() {
    let sandbox = common::sandbox();
    let header = |records: u32, body: usize| -> Vec<u8> {
        let mut h = vec![1u32, 108, 0, 0, 199, 99, 0, 0, 5292, 2646, 0x464D_4520, 0x10000, (108 + body) as u32, records, 3, 0, 0, 0, 1920, 960, 508, 254];
        h.resize(27, 0);
        h.iter().flat_map(|v| v.to_le_bytes()).collect()
    };
    let words = |records: &[Vec<u32>]| -> Vec<u8> { records.concat().iter().flat_map(|v| v.to_le_bytes()).collect() };
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // A million tiny records drawing lines, then a million SAVEDCs.
    let lines = words(&vec![vec![54, 16, 10, 10]; 1_000_000]);
    cases.push(("million lines", [header(1_000_001, lines.len()), lines].concat()));
    let saves = words(&vec![vec![33, 8]; 1_000_000]);
    cases.push(("million saves", [header(1_000_001, saves.len()), saves].concat()));
    // A million clip changes, each followed by a line, and regions claiming absurd bounds.
    let clip_records: Vec<Vec<u32>> = (0..1_000_000)
        .map(|i| match i % 3 {
            0 => vec![30, 24, 0, 0, 50, 50],
            1 => vec![75, 48, 32, 1, 32, 1, 1, 0, i32::MIN as u32, i32::MIN as u32, i32::MAX as u32, i32::MAX as u32],
            _ => vec![54, 16, 10, 10],
        })
        .collect();
    let clips = words(&clip_records);
    cases.push(("million clips", [header(1_000_001, clips.len()), clips].concat()));
    // Counts far beyond the record, a record size past the end, object handles at u32::MAX,
    // a world transform of infinities, text longer than its record.
    let liars = words(&[
        vec![86, 40, 0, 0, 0, 0, u32::MAX, 0, 0, 0],
        vec![91, 36, 0, 0, 0, 0, 0x4000_0000, 0x4000_0000, 5],
        vec![39, 24, u32::MAX, 0, 0xFF, 0],
        vec![37, 12, 0x7FFF_FFFF],
        vec![35, 32, 0x7F80_0000, 0, 0, 0x7F80_0000, 0, 0],
        vec![84, 76, 0, 0, 0, 0, 1, 0, 0, 10, 10, u32::MAX, 76, 0, 0, 0, 0, 0, 0],
        vec![81, 80, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 80, u32::MAX, 80, u32::MAX, 0, 0, 10, 10],
        vec![43, 0x7FFF_FFF0, 0, 0, 1, 1],
    ]);
    cases.push(("liars", [header(9, liars.len()), liars].concat()));
    // A WMF whose records claim 4 GiB and a bare one with a million polygons.
    let mut wmf =
        vec![0xD7u8, 0xCD, 0xC6, 0x9A, 0, 0, 0, 0, 0, 0, 200, 0, 100, 0, 96, 0, 0, 0, 0, 0, 0, 0, 1, 0, 9, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    wmf.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0x24, 0x03]);
    cases.push(("wmf liar", wmf));
    let polygon: Vec<u8> = [7u16, 0, 0x0324, 2, 0, 0, 10, 10].iter().flat_map(|w| w.to_le_bytes()).collect();
    let bare = [[1u16, 9, 0x0300, 0, 0, 1, 0, 0, 0].iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>(), polygon.repeat(1_000_000)].concat();
    cases.push(("million polygons", bare));
    for (name, picture) in cases {
        let bytes = word_picture("image1.emf", &picture, (4.0, 3.0));
        let started = Instant::now();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.pages().len(), 1, "{name}");
        assert!(started.elapsed() < Duration::from_secs(30), "{name}: {:?}", started.elapsed());
    }
}

/// Office writes signed axis ids and gives gridlines and axis lines their own colours: the
/// gridlines come out in theirs, one per value step, and an axis without a line has none.
#[test]
fn gridlines_and_axis_lines_take_their_own_colours() {
    let sandbox = common::sandbox();
    let chart = format!(
        r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:lineChart><c:grouping val="standard"/>{}<c:marker val="1"/><c:axId val="-2118791784"/><c:axId val="-2140495176"/></c:lineChart>
        <c:catAx><c:axId val="-2118791784"/><c:axPos val="b"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr><c:crossAx val="-2140495176"/></c:catAx>
        <c:valAx><c:axId val="-2140495176"/><c:scaling><c:max val="50"/></c:scaling><c:axPos val="l"/>
          <c:majorGridlines><c:spPr><a:ln w="38100"><a:solidFill><a:srgbClr val="00C000"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>
          <c:majorTickMark val="none"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr><c:crossAx val="-2118791784"/></c:valAx></c:plotArea></c:chart></c:chartSpace>"#,
        series(0, "Ward A", "0000FF", &[10.0, 30.0, 20.0], "")
    );
    let shapes = frame(2, (0.5, 0.5, 9.0, 6.5), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
    let bytes = deck(&shapes, &format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#), &[("ppt/charts/chart1.xml", chart)]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let width = page.width() as usize;
    // The gridlines (3 pt wide), evenly spaced from 0 to 50 (the axis has no line of its
    // own, so the one at zero is a gridline too).
    let starts = green_line_starts(page);
    assert!(starts.len() >= 6, "{starts:?}");
    let gaps: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| g.abs_diff(gaps[0]) <= 1), "{starts:?}");
    // The series' markers and line are blue; no grey axis line is drawn.
    assert!(pixels_like(page, BLUE) > 300);
    let grey_rows = page.rgba().chunks_exact(width * 4).filter(|row| row.chunks_exact(4).filter(|p| p[..3] == [0xB3; 3]).count() > width / 2).count();
    assert_eq!(grey_rows, 0);
}

/// A Word embedded object (`w:object`) shows its preview picture; one without a preview
/// gets a placeholder of the object's size and a finding, never an empty gap.
#[test]
fn word_objects_show_their_preview_or_a_placeholder() {
    let sandbox = common::sandbox();
    let vml = r#"xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office""#;
    // 2 by 1 inches (2880 by 1440 twips).
    let object = |preview: &str| {
        format!(
            r#"<w:p><w:r><w:object w:dxaOrig="2880" w:dyaOrig="1440" {vml}><v:shape id="o1" style="width:144pt;height:72pt">{preview}</v:shape><o:OLEObject Type="Embed" ProgID="Package" ShapeID="o1" r:id="rId3"/></w:object></w:r></w:p>"#
        )
    };
    let png = common::solid_png(20, 10, GREEN);
    let rels = r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>"#;

    let bytes = word(&object(r#"<v:imagedata r:id="rId2" o:title=""/>"#), rels, &[("word/media/image1.png", &png)]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
    let green = pixels_like(&doc.pages()[0], GREEN);
    assert!((9_500..11_500).contains(&green), "preview {green} pixels, want 144 x 72");

    let bytes = word(&object(""), rels, &[("word/media/image1.png", &png)]);
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let details: Vec<&str> = doc.report().findings.iter().filter(|f| f.kind == "content-not-shown").map(|f| f.detail.as_str()).collect();
    assert_eq!(details, ["page 1: an embedded object without a preview"]);
    let page = &doc.pages()[0];
    assert!(exactly(page, PLACEHOLDER) > 3_000, "placeholder {}", exactly(page, PLACEHOLDER));
    assert_eq!(pixels_like(page, GREEN), 0);
}

#[test]
fn radar_charts_label_their_value_axis_unless_it_is_deleted() {
    // A red radar of three categories. Its value axis's labels (0, 20, 40 beside the first
    // spoke) are drawn in black; deleting the axis leaves only the category names.
    let radar = |deleted: bool| {
        format!(
            r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:radarChart><c:radarStyle val="marker"/>{}<c:axId val="1"/><c:axId val="2"/></c:radarChart>
            <c:catAx><c:axId val="1"/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:delete val="{}"/><c:axPos val="l"/><c:majorGridlines/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>"#,
            series(0, "Ward A", "FF0000", &[10.0, 20.0, 30.0], ""),
            u8::from(deleted)
        )
    };
    let dark = |deleted: bool| {
        let shapes = frame(2, (1.0, 0.5, 8.0, 6.5), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
        let rels = format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#);
        let doc = common::sandbox().render(&deck(&shapes, &rels, &[("ppt/charts/chart1.xml", radar(deleted))]), &RenderOptions::default().dpi(72)).unwrap();
        assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report());
        let page = &doc.pages()[0];
        assert!(pixels_like(page, RED) > 100, "the series is drawn");
        page.rgba().chunks_exact(4).filter(|p| p[0] < 90 && p[1] < 90 && p[2] < 90).count()
    };
    let (labelled, bare) = (dark(false), dark(true));
    assert!(labelled > bare + 20, "value labels add ink: {labelled} vs {bare}");
}

/// A line chart of `values` in a 9 by 6.5 inch frame whose value axis draws green 3 pt
/// gridlines, with `axis` (scaling, `c:majorUnit`, `c:minorGridlines`...) in it and the
/// axis labels `size` hundredths of a point: the rows where green gridlines start.
fn green_gridlines(values: &[f64], axis: &str, size: u32) -> Vec<usize> {
    let chart = format!(
        r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:lineChart><c:grouping val="standard"/>{}<c:marker val="1"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>
        <c:catAx><c:axId val="1"/><c:axPos val="b"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr><c:crossAx val="2"/></c:catAx>
        <c:valAx><c:axId val="2"/>{axis}<c:axPos val="l"/>
          <c:majorGridlines><c:spPr><a:ln w="38100"><a:solidFill><a:srgbClr val="00C000"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>
          <c:majorTickMark val="none"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart>
        <c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"/></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr></c:chartSpace>"#,
        series(0, "Ward A", "0000FF", values, "")
    );
    let shapes = frame(2, (0.5, 0.5, 9.0, 6.5), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
    let bytes = deck(&shapes, &format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#), &[("ppt/charts/chart1.xml", chart)]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    green_line_starts(&doc.pages()[0])
}

/// The rows where runs of rows more than half green start: green lines across the page.
fn green_line_starts(page: &docsandbox::Page) -> Vec<usize> {
    let width = page.width() as usize;
    let rows =
        page.rgba().chunks_exact(width * 4).map(|row| row.chunks_exact(4).filter(|p| (0..3).all(|i| p[i].abs_diff(GREEN[i]) < 40)).count()).collect::<Vec<_>>();
    (0..rows.len()).filter(|y| rows[*y] > width / 2 && (*y == 0 || rows[y - 1] <= width / 2)).collect()
}

#[test]
fn value_axes_take_as_many_steps_as_their_labels_have_room_for() {
    // As LibreOffice scales an axis: at most ten steps of 1, 2 or 5 times a power of ten,
    // and no more than the labels' height fits along the axis. 10 pt labels: 0 to 100 in
    // ten steps (eleven gridlines). 40 pt labels, about 49 pt tall, fit eight times on
    // the axis: 93 / 8 rounds up to steps of 20, six gridlines.
    let values = [10.0, 93.0, 40.0];
    assert_eq!(green_gridlines(&values, "", 1000).len(), 11);
    assert_eq!(green_gridlines(&values, "", 4000).len(), 6);
    // A step the axis sets is kept: 0 to 100 by 25.
    assert_eq!(green_gridlines(&values, r#"<c:majorUnit val="25"/>"#, 1000).len(), 5);
    // Values close together keep the axis off zero, its low end moved down by half
    // their spread: 930..960 scales from 915 to 965 by 5 (eleven gridlines).
    let starts = green_gridlines(&[930.0, 960.0, 945.0], "", 1000);
    let gaps: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(starts.len(), 11, "{starts:?}");
    assert!(gaps.iter().all(|g| g.abs_diff(gaps[0]) <= 1), "{starts:?}");
}

#[test]
fn minor_gridlines_divide_each_step_in_five() {
    let scaling = r#"<c:scaling><c:orientation val="minMax"/><c:max val="50"/><c:min val="0"/></c:scaling><c:majorUnit val="10"/>"#;
    let major = green_gridlines(&[10.0, 30.0, 20.0], scaling, 1000);
    assert_eq!(major.len(), 6);
    // The minor ones take the major ones' colour here: five lines to a step.
    let minor = green_gridlines(&[10.0, 30.0, 20.0], &format!("{scaling}<c:minorGridlines/>"), 1000);
    assert!(minor.len() >= 5 * 5, "{minor:?}");
}

#[test]
fn categories_cached_as_dates_show_as_dates() {
    // Categories in a number cache with a date format (as Excel caches a date column)
    // read as the dates, exactly as the same chart with the dates cached as text.
    let chart = |categories: &str| {
        format!(
            r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:ser><c:idx val="0"/><c:order val="0"/>
            <c:cat>{categories}</c:cat><c:val><c:numCache><c:ptCount val="2"/><c:pt idx="0"><c:v>3</c:v></c:pt><c:pt idx="1"><c:v>5</c:v></c:pt></c:numCache></c:val></c:ser>
            <c:axId val="1"/><c:axId val="2"/></c:barChart><c:catAx><c:axId val="1"/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>"#
        )
    };
    let render = |xml: String| {
        let shapes = frame(2, (0.5, 0.5, 6.0, 4.0), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
        let bytes = deck(&shapes, &format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#), &[("ppt/charts/chart1.xml", xml)]);
        common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone()
    };
    let dates = render(chart(
        r#"<c:numRef><c:f>S!$A$2:$A$3</c:f><c:numCache><c:formatCode>m/d/yy</c:formatCode><c:ptCount val="2"/><c:pt idx="0"><c:v>37261.0</c:v></c:pt><c:pt idx="1"><c:v>37262.0</c:v></c:pt></c:numCache></c:numRef>"#,
    ));
    let text = render(chart(
        r#"<c:strRef><c:f>S!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/><c:pt idx="0"><c:v>1/5/02</c:v></c:pt><c:pt idx="1"><c:v>1/6/02</c:v></c:pt></c:strCache></c:strRef>"#,
    ));
    let raw = render(chart(
        r#"<c:strRef><c:f>S!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/><c:pt idx="0"><c:v>37261.0</c:v></c:pt><c:pt idx="1"><c:v>37262.0</c:v></c:pt></c:strCache></c:strRef>"#,
    ));
    assert!(dates.rgba() == text.rgba(), "dates draw as the same dates typed");
    assert!(dates.rgba() != raw.rgba(), "not as the serial numbers");
}

#[test]
fn category_labels_sit_beside_the_axis_where_it_crosses_zero() {
    // Columns of -5 and 5 (red): the category axis crosses the values at zero, mid-plot,
    // and its labels (black) sit just below it there, as Office and LibreOffice draw
    // them, not at the plot's foot, unless the axis puts them low.
    let chart = |position: &str| {
        format!(
            r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>{}<c:axId val="1"/><c:axId val="2"/></c:barChart>
            <c:catAx><c:axId val="1"/><c:axPos val="b"/>{position}<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:delete val="1"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>"#,
            series(0, "Ward A", "FF0000", &[-5.0, 5.0], "")
        )
    };
    let black_rows = |position: &str| {
        let shapes = frame(2, (1.0, 1.0, 6.0, 4.0), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
        let bytes = deck(
            &shapes,
            &format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#),
            &[("ppt/charts/chart1.xml", chart(position))],
        );
        let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
        let page = &doc.pages()[0];
        let width = page.width() as usize;
        let rows: Vec<usize> = page
            .rgba()
            .chunks_exact(width * 4)
            .enumerate()
            .filter(|(_, row)| row.chunks_exact(4).any(|p| p[0] < 60 && p[1] < 60 && p[2] < 60))
            .map(|(y, _)| y)
            .collect();
        rows
    };
    // The frame runs from 72 to 360 pt down the page: mid-plot is about 210.
    let beside = black_rows("");
    assert!(!beside.is_empty() && beside.iter().all(|y| (180..260).contains(y)), "{beside:?}");
    let low = black_rows(r#"<c:tickLblPos val="low"/>"#);
    assert!(!low.is_empty() && low.iter().all(|y| (320..360).contains(y)), "{low:?}");
}

#[test]
fn a_chart_area_has_office_s_automatic_border_when_its_style_gives_one() {
    // A Word chart naming style 18 (as Word and Excel write them) without a border of its
    // own: a grey frame round the chart area (text colour at a 75 % tint, #898989). A
    // border of its own wins; no border, style 41-48 or no style named (as libraries
    // write charts) leave none, and so does a chart on a slide.
    let chart = |head: &str, area: &str| {
        format!(
            r#"<c:chartSpace {C}>{head}<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:pieChart><c:varyColors val="1"/>{}</c:pieChart></c:plotArea></c:chart>{area}</c:chartSpace>"#,
            series(0, "Beds", "00C000", &[1.0], "")
        )
    };
    // Grey pixels along the frame's top edge, 72 pt down the page from 100 to 260 pt.
    let grey_top = |page: &docsandbox::Page| {
        let row = &page.rgba()[(72 * page.width() as usize) * 4..(73 * page.width() as usize) * 4];
        row.chunks_exact(4).skip(100).take(160).filter(|p| p[..3].iter().all(|c| c.abs_diff(0x89) < 30)).count()
    };
    let framed = |head: &str, area: &str| {
        let rels = format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="charts/chart1.xml"/>"#);
        let xml = chart(head, area);
        let bytes = word(&inline(4.0, 3.0, CHART_URI, r#"<c:chart r:id="rId1"/>"#), &rels, &[("word/charts/chart1.xml", xml.as_bytes())]);
        grey_top(&common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap().pages()[0])
    };
    let style = r#"<c:style val="18"/>"#;
    assert!(framed(style, "") > 120, "automatic border");
    assert_eq!(framed(style, r#"<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>"#), 0);
    assert_eq!(framed("", ""), 0);
    assert_eq!(framed(r#"<c:style val="44"/>"#, ""), 0);
    let red = r#"<c:spPr><a:ln><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></a:ln></c:spPr>"#;
    assert_eq!(framed(style, red), 0, "its own border is red, not grey");
    let shapes = frame(2, (1.0, 1.0, 4.0, 3.0), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
    let bytes = deck(
        &shapes,
        &format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#),
        &[("ppt/charts/chart1.xml", chart(style, ""))],
    );
    assert_eq!(grey_top(&common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap().pages()[0]), 0, "slides have none");
}

#[test]
fn a_picture_only_linked_to_is_never_fetched_and_shows_a_placeholder() {
    // `r:link` names a picture outside the file (here a web address): docsandbox never
    // fetches it, and a 2 by 1 inch placeholder shows where it would be, with findings
    // for both the link and the gap.
    let picture = r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rId7"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr/></pic:pic>"#;
    let rels = r#"<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://tracker.example/pixel.png" TargetMode="External"/>"#;
    let bytes = word(&inline(2.0, 1.0, "http://schemas.openxmlformats.org/drawingml/2006/picture", picture), rels, &[]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    assert!(report.has("external-image"), "{report:?}");
    let details: Vec<&str> = report.findings.iter().filter(|f| f.kind == "content-not-shown").map(|f| f.detail.as_str()).collect();
    assert_eq!(details, ["page 1: a linked picture, which is never fetched"]);
    let placeholder = exactly(&doc.pages()[0], PLACEHOLDER);
    assert!((3_000..10_368).contains(&placeholder), "placeholder {placeholder} pixels in 144 x 72");

    // The same on a slide.
    let pic = r#"<p:pic><p:nvPicPr><p:cNvPr id="2" name="P"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:link="rId7"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="914400" y="914400"/><a:ext cx="1828800" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></p:spPr></p:pic>"#;
    let doc = common::sandbox().render(&deck(pic, rels, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let details: Vec<&str> = doc.report().findings.iter().filter(|f| f.kind == "content-not-shown").map(|f| f.detail.as_str()).collect();
    assert_eq!(details, ["slide 1: a linked picture, which is never fetched"]);
    let placeholder = exactly(&doc.pages()[0], PLACEHOLDER);
    assert!((3_000..10_368).contains(&placeholder), "placeholder {placeholder} pixels in 144 x 72");
}

/// A slide holding one 6 by 4 inch chart of `plot` (series and axes), with `head` before
/// the chart (its style) and `axes` after the plot.
fn styled_chart_slide(head: &str, plot: &str, axes: &str) -> Vec<u8> {
    chart_slide(format!(r#"<c:chartSpace {C}>{head}<c:chart><c:autoTitleDeleted val="1"/><c:plotArea>{plot}{axes}</c:plotArea></c:chart></c:chartSpace>"#))
}

/// A slide holding one 6 by 4 inch chart, the chart part `xml`.
fn chart_slide(xml: String) -> Vec<u8> {
    let shapes = frame(2, (1.0, 1.0, 6.0, 4.0), CHART_URI, r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId1"/>"#);
    deck(&shapes, &format!(r#"<Relationship Id="rId1" Type="{CHART_REL}" Target="../charts/chart1.xml"/>"#), &[("ppt/charts/chart1.xml", xml)])
}

/// A series with no formatting of its own, as Office 2007 and 2010 write them when the
/// chart's style decides.
fn plain_series(index: usize, values: &[f64]) -> String {
    let pts: String = values.iter().enumerate().map(|(i, v)| format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#)).collect();
    format!(
        r#"<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:val><c:numRef><c:f>S!$B$2</c:f><c:numCache><c:ptCount val="{}"/>{pts}</c:numCache></c:numRef></c:val></c:ser>"#,
        values.len()
    )
}

const PLAIN_AXES: &str =
    r#"<c:catAx><c:axId val="1"/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx>"#;

#[test]
fn a_chart_style_sets_the_width_and_colours_of_series_without_their_own() {
    // Office's first accent, as a deck without a theme has it.
    const ACCENT1: [u8; 3] = [0x44, 0x72, 0xC4];
    let near = |page: &docsandbox::Page, rgb: [u8; 3]| page.rgba().chunks_exact(4).filter(|p| p[..3].iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < 8)).count();
    // Blue pixels, whole or blended at the line's edges.
    let bluish = |page: &docsandbox::Page| page.rgba().chunks_exact(4).filter(|p| u16::from(p[2]) > u16::from(p[0]) + 50).count();
    let render = |bytes: Vec<u8>| common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone();
    // A line chart: style 2 (and no style) draws its line 2.25 pt wide, style 26 (the
    // fourth row) 5.25 pt, in the first accent either way.
    let line = format!(
        r#"<c:lineChart><c:grouping val="standard"/>{}<c:marker val="0"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>"#,
        plain_series(0, &[1.0, 4.0, 2.0, 5.0])
    );
    let thin = render(styled_chart_slide(r#"<c:style val="2"/>"#, &line, PLAIN_AXES));
    assert!(near(&thin, ACCENT1) > 100, "the first accent");
    let thin = bluish(&thin);
    let unstyled = bluish(&render(styled_chart_slide("", &line, PLAIN_AXES)));
    let thick = bluish(&render(styled_chart_slide(r#"<c:style val="26"/>"#, &line, PLAIN_AXES)));
    assert!(thin > 200, "{thin}");
    assert!(unstyled.abs_diff(thin) < thin / 10, "no style is style 2: {unstyled} against {thin}");
    let ratio = thick as f32 / thin as f32;
    assert!((1.8..2.8).contains(&ratio), "5.25 pt against 2.25 pt: {thick} against {thin}");

    // A column chart in style 3 (the first accent alone): of three series the middle is
    // the accent itself, the first darker and the last lighter; in style 2 they are the
    // first three accents.
    let columns = format!(
        r#"<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>{}{}{}<c:axId val="1"/><c:axId val="2"/></c:barChart>"#,
        plain_series(0, &[3.0]),
        plain_series(1, &[3.0]),
        plain_series(2, &[3.0])
    );
    let page = render(styled_chart_slide(r#"<c:style val="3"/>"#, &columns, PLAIN_AXES));
    // The three bars' colours, left to right, along a row a third of the way up the plot.
    let y = 72 + 4 * 72 * 2 / 3;
    let row: Vec<[u8; 3]> =
        page.rgba()[y * page.width() as usize * 4..(y + 1) * page.width() as usize * 4].chunks_exact(4).map(|p| [p[0], p[1], p[2]]).collect();
    // Runs of one colour at least 3 pt long (not the blended pixels at the bars' edges).
    let mut runs: Vec<([u8; 3], usize)> = Vec::new();
    for c in row.iter().filter(|c| u16::from(c[2]) > u16::from(c[0]) + 40) {
        match runs.last_mut() {
            Some((last, n)) if last == c => *n += 1,
            _ => runs.push((*c, 1)),
        }
    }
    let bars: Vec<[u8; 3]> = runs.into_iter().filter(|(_, n)| *n >= 3).map(|(c, _)| c).collect();
    assert_eq!(bars.len(), 3, "three blue bars: {bars:?}");
    let light = |c: [u8; 3]| c.iter().map(|&v| u32::from(v)).sum::<u32>();
    assert_eq!(bars[1], ACCENT1, "{bars:?}");
    assert!(light(bars[0]) < light(bars[1]) && light(bars[1]) < light(bars[2]), "{bars:?}");
    let page = render(styled_chart_slide(r#"<c:style val="2"/>"#, &columns, PLAIN_AXES));
    assert!(near(&page, ACCENT1) > 500 && near(&page, [0xED, 0x7D, 0x31]) > 500, "accents 1 and 2 in style 2");
}

#[test]
fn the_value_axis_title_is_turned_up_beside_the_plot() {
    // A value axis titled "Beds occupied" (red): its ink at the chart's left edge is a
    // column taller than it is wide; the category axis' title (blue) lies below the plot.
    let title = |text: &str, rgb: &str| {
        format!(
            r#"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:rPr><a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill></a:rPr><a:t>{text}</a:t></a:r></a:p></c:rich></c:tx></c:title>"#
        )
    };
    let axes = format!(
        r#"<c:catAx><c:axId val="1"/><c:axPos val="b"/>{}<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/>{}<c:crossAx val="1"/></c:valAx>"#,
        title("Ward", "0000FF"),
        title("Beds occupied", "FF0000")
    );
    let columns = format!(
        r#"<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>{}<c:axId val="1"/><c:axId val="2"/></c:barChart>"#,
        plain_series(0, &[3.0, 5.0])
    );
    let page = common::sandbox().render(&styled_chart_slide("", &columns, &axes), &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone();
    let (x0, y0, x1, y1) = ink_bounds(&page, |p| p[0] > 180 && p[1] < 90 && p[2] < 90).expect("the red value title");
    assert!(x1 < 72 + 40, "the value title sits at the chart's left edge: x {x0}..{x1}");
    assert!(y1 - y0 > 3 * (x1 - x0), "and runs upwards: {}x{} pt", x1 - x0, y1 - y0);
    let (bx0, by0, bx1, _) = ink_bounds(&page, |p| p[2] > 180 && p[0] < 90 && p[1] < 90).expect("the blue category title");
    assert!(by0 > 72 + 4 * 72 * 4 / 5, "the category title lies below the plot: y {by0}");
    assert!(bx1 - bx0 > 15, "and runs across: x {bx0}..{bx1}");
}

/// The bounds (x0, y0, x1, y1) of the pixels of `page` that `pick` picks, in pixels.
fn ink_bounds(page: &docsandbox::Page, pick: impl Fn(&[u8]) -> bool) -> Option<(usize, usize, usize, usize)> {
    let w = page.width() as usize;
    let mut bounds: Option<(usize, usize, usize, usize)> = None;
    for (i, p) in page.rgba().chunks_exact(4).enumerate() {
        if pick(p) {
            let (x, y) = (i % w, i / w);
            let b = bounds.get_or_insert((x, y, x, y));
            *b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
    }
    bounds
}

/// Strongly red pixels (the test charts' category labels).
fn red(p: &[u8]) -> bool {
    p[0] > 160 && p[1] < 110 && p[2] < 110
}

/// Category axis text in red.
const RED_LABELS: &str =
    r#"<c:txPr><a:bodyPr/><a:p><a:pPr><a:defRPr><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></a:defRPr></a:pPr><a:endParaRPr/></a:p></c:txPr>"#;

/// A series over categories `names`.
fn named_series(names: &[&str], values: &[f64]) -> String {
    let cats: String = names.iter().enumerate().map(|(i, n)| format!(r#"<c:pt idx="{i}"><c:v>{n}</c:v></c:pt>"#)).collect();
    let pts: String = values.iter().enumerate().map(|(i, v)| format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#)).collect();
    format!(
        r#"<c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:strRef><c:f>S!$A$2</c:f><c:strCache><c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>S!$B$2</c:f><c:numCache><c:ptCount val="{n}"/>{pts}</c:numCache></c:numRef></c:val></c:ser>"#,
        n = names.len()
    )
}

#[test]
fn category_labels_too_wide_for_their_band_are_broken_or_turned_and_all_shown() {
    // Six names under a 6 inch wide column chart (bands of about 65 pt), in red: the height
    // of their ink tells how they were laid out.
    let label_height = |names: &[&str]| {
        let columns = format!(
            r#"<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>{}<c:axId val="1"/><c:axId val="2"/></c:barChart>"#,
            named_series(names, &[3.0, 5.0, 4.0, 2.0, 1.0, 2.0][..names.len()])
        );
        let axes = format!(
            r#"<c:catAx><c:axId val="1"/><c:axPos val="b"/>{RED_LABELS}<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx>"#
        );
        let page = common::sandbox().render(&styled_chart_slide("", &columns, &axes), &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone();
        let (x0, y0, x1, y1) = ink_bounds(&page, red).expect("red category labels");
        (x1 - x0, y1 - y0)
    };
    // Names of short words too long for a band are broken between words onto two or
    // three lines, level (as LibreOffice breaks them), and all shown.
    let (width, height) =
        label_height(&["Intensive care unit", "Cardiology ward", "Emergency department", "Paediatrics ward", "Oncology day unit", "Maternity ward"]);
    assert!((18..=40).contains(&height), "broken labels are two or three lines high: {height} pt");
    assert!(width > 300, "and run under all six columns: {width} pt");
    // Single words longer than a band cannot be broken: they are turned 45 degrees (as
    // Office and LibreOffice turn them), taller than three lines.
    let (width, height) = label_height(&["Gastroenterology", "Ophthalmology", "Otorhinolaryngology", "Anaesthesiology", "Rheumatology", "Endocrinology"]);
    assert!(height > 45, "turned labels: {height} pt");
    assert!(width > 300, "and run under all six columns: {width} pt");
    // Short names fit side by side and stay level: one line high.
    let (_, height) = label_height(&["A", "B", "C", "D"]);
    assert!(height < 16, "level labels are one line high: {height} pt");
}

#[test]
fn a_radar_keeps_its_labels_inside_its_frame() {
    // Long category names round a radar in a 6 by 4 inch frame (72 to 504 pt across, 72
    // to 360 pt down): the radar shrinks so that every red label lies inside the frame.
    let names = ["Intensive care unit", "Cardiology ward", "Emergency department", "Paediatrics ward", "Oncology day unit"];
    let radar = format!(
        r#"<c:radarChart><c:radarStyle val="marker"/>{}<c:axId val="1"/><c:axId val="2"/></c:radarChart>"#,
        named_series(&names, &[3.0, 5.0, 4.0, 2.0, 4.0])
    );
    let axes = format!(
        r#"<c:catAx><c:axId val="1"/><c:axPos val="b"/>{RED_LABELS}<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx>"#
    );
    let page = common::sandbox().render(&styled_chart_slide("", &radar, &axes), &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone();
    let (x0, y0, x1, y1) = ink_bounds(&page, red).expect("red category labels");
    assert!(x0 >= 72 && x1 <= 504 && y0 >= 72 && y1 <= 360, "labels inside the frame: ({x0}, {y0})..({x1}, {y1})");
    // And they reach both sides of it: the radar is as large as they allow.
    assert!(x0 < 72 + 60 && x1 > 504 - 60, "labels span the frame: x {x0}..{x1}");
}

#[test]
fn an_empty_title_over_several_series_reads_chart_title() {
    // A `c:title` without text over two series shows Office's "Chart Title" above the
    // plot; without the element the space stays empty.
    let chart = |title: &str| {
        let plot = format!(
            r#"<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>{}{}<c:axId val="1"/><c:axId val="2"/></c:barChart>"#,
            plain_series(0, &[3.0]),
            plain_series(1, &[4.0])
        );
        let xml = format!(r#"<c:chartSpace {C}><c:chart>{title}<c:plotArea>{plot}{PLAIN_AXES}</c:plotArea></c:chart></c:chartSpace>"#);
        common::sandbox().render(&chart_slide(xml), &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone()
    };
    // Dark ink in the chart's top 40 pt, in its middle third.
    let top_ink = |page: &docsandbox::Page| {
        let w = page.width() as usize;
        (72..112).flat_map(|y| (72 + 144..72 + 288).map(move |x| y * w + x)).filter(|i| page.rgba()[i * 4] < 100).count()
    };
    assert!(top_ink(&chart(r#"<c:title><c:overlay val="0"/></c:title>"#)) > 60, "a title is drawn");
    assert_eq!(top_ink(&chart("")), 0, "no title");
}

#[test]
fn a_scatter_series_without_its_line_shows_its_marker_alone_in_the_legend() {
    // Office's first accent, as a deck without a theme has it.
    let accent = |p: &[u8]| p[0].abs_diff(0x44) < 12 && p[1].abs_diff(0x72) < 12 && p[2].abs_diff(0xC4) < 12;
    let legend_key = |line: &str| {
        let pts = |values: &[f64]| values.iter().enumerate().map(|(i, v)| format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#)).collect::<String>();
        let series = format!(
            r#"<c:ser><c:idx val="0"/><c:order val="0"/><c:spPr>{line}</c:spPr><c:marker><c:symbol val="square"/><c:size val="7"/></c:marker><c:xVal><c:numRef><c:f>S!$A$2</c:f><c:numCache><c:ptCount val="3"/>{}</c:numCache></c:numRef></c:xVal><c:yVal><c:numRef><c:f>S!$B$2</c:f><c:numCache><c:ptCount val="3"/>{}</c:numCache></c:numRef></c:yVal></c:ser>"#,
            pts(&[1.0, 2.0, 3.0]),
            pts(&[3.0, 1.0, 2.0])
        );
        let plot = format!(r#"<c:scatterChart><c:scatterStyle val="lineMarker"/>{series}<c:axId val="1"/><c:axId val="2"/></c:scatterChart>"#);
        let axes = r#"<c:valAx><c:axId val="1"/><c:axPos val="b"/><c:crossAx val="2"/></c:valAx><c:valAx><c:axId val="2"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx>"#;
        let xml = format!(
            r#"<c:chartSpace {C}><c:chart><c:autoTitleDeleted val="1"/><c:plotArea>{plot}{axes}</c:plotArea><c:legend><c:legendPos val="r"/></c:legend></c:chart></c:chartSpace>"#
        );
        let page = common::sandbox().render(&chart_slide(xml), &RenderOptions::default().dpi(72)).unwrap().pages()[0].clone();
        // The legend's key: the accent's pixels in the chart's right fifth.
        let w = page.width() as usize;
        let xs: Vec<usize> =
            page.rgba().chunks_exact(4).enumerate().filter(|(i, p)| (i % w) > 72 + 346 && (i % w) < 504 && accent(p)).map(|(i, _)| i % w).collect();
        xs.iter().max().unwrap() - xs.iter().min().unwrap()
    };
    let with_line = legend_key("");
    let alone = legend_key(r#"<a:ln><a:noFill/></a:ln>"#);
    // The key's line runs 1.6 times the swatch (7 pt here), the 7 pt marker's width beyond.
    assert!(with_line >= 10, "a line through the marker: {with_line} pt");
    assert!(alone <= 8, "the marker alone: {alone} pt");
}
