//! OpenDocument presentations and drawings through the public API: master pages with their
//! backgrounds and shapes, slide numbers, titles from presentation styles, custom shapes,
//! pictures, tables, gradient backgrounds and opacity drawn where they belong; empty
//! placeholders left out; hostile ODP ending fast with pages or a typed error.

use crate::common::{self, pixels_near};

use std::time::{Duration, Instant};

use docsandbox::{RenderOptions, Sandbox};

fn package(mimetype: &str, content: &str, styles: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    common::odf(mimetype, content, styles, extra)
}

fn odp(content: &str, styles: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    package("application/vnd.oasis.opendocument.presentation", content, styles, extra)
}

/// Slides 20 × 10 cm on master "M": a yellow background, a blue band along the bottom
/// holding the slide number in white, and a title placeholder filled red that must not
/// show. Slide 1: a red centred title from its presentation style, a green ellipse (a
/// custom shape), a magenta picture, a bulleted outline and an empty red placeholder.
/// Slide 2: a black-to-white gradient background of its own, a table with a cyan cell, and
/// a white square at half opacity over a black one.
const STYLES: &str = r##"<office:styles>
<style:default-style style:family="graphic"><style:text-properties fo:font-size="18pt" style:font-name="Liberation Sans"/></style:default-style>
<draw:gradient draw:name="Dark_20_to_20_light" draw:style="linear" draw:start-color="#000000" draw:end-color="#ffffff" draw:angle="0deg" draw:border="0%"/>
<style:style style:name="M-title" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none" draw:textarea-vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="28pt" fo:font-weight="bold" fo:color="#ff0000"/></style:style>
<style:style style:name="M-outline1" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none" style:shrink-to-fit="true"><text:list-style style:name="M-outline1"><text:list-level-style-bullet text:level="1" text:bullet-char="●"><style:list-level-properties text:space-before="0.3cm" text:min-label-width="0.9cm"/><style:text-properties fo:font-size="45%"/></text:list-level-style-bullet></text:list-style></style:graphic-properties><style:text-properties fo:font-size="20pt"/></style:style>
<style:style style:name="Filled" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#ff0000" draw:stroke="none"/></style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="20cm" fo:page-height="10cm" fo:margin="0cm"/></style:page-layout>
<style:style style:name="Mdp" style:family="drawing-page"><style:drawing-page-properties draw:fill="solid" draw:fill-color="#ffff00"/></style:style>
<style:style style:name="Band" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#0000ff" draw:stroke="none"/></style:style>
<style:style style:name="Number" style:family="presentation"><style:graphic-properties draw:fill="none" draw:stroke="none"/><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:color="#ffffff" fo:font-size="20pt" fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="M" style:page-layout-name="PM1" draw:style-name="Mdp">
<draw:rect draw:style-name="Band" svg:x="0cm" svg:y="9cm" svg:width="20cm" svg:height="1cm"/>
<draw:frame presentation:style-name="Filled" svg:x="0cm" svg:y="0cm" svg:width="20cm" svg:height="3cm" presentation:class="title" presentation:placeholder="true"><draw:text-box/></draw:frame>
<draw:frame presentation:style-name="Number" svg:x="15cm" svg:y="9cm" svg:width="4.5cm" svg:height="1cm" presentation:class="page-number"><draw:text-box><text:p><text:page-number>&lt;number&gt;</text:page-number></text:p></draw:text-box></draw:frame>
</style:master-page></office:master-styles>"##;

fn sample() -> Vec<u8> {
    let content = r##"<office:automatic-styles>
<style:style style:name="dp2" style:family="drawing-page"><style:drawing-page-properties draw:fill="gradient" draw:fill-gradient-name="Dark_20_to_20_light"/></style:style>
<style:style style:name="pr1" style:family="presentation" style:parent-style-name="M-title"/>
<style:style style:name="gr1" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#00ff00" draw:stroke="none"/></style:style>
<style:style style:name="gr2" style:family="graphic"><style:graphic-properties draw:fill="none" draw:stroke="none"/></style:style>
<style:style style:name="black" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#000000" draw:stroke="none"/></style:style>
<style:style style:name="half" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#ffffff" draw:opacity="50%" draw:stroke="none"/></style:style>
<style:style style:name="cyan" style:family="table-cell"><style:graphic-properties draw:fill="solid" draw:fill-color="#00ffff"/></style:style>
<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="3cm"/></style:style>
</office:automatic-styles>
<office:body><office:presentation>
<draw:page draw:name="one" draw:master-page-name="M">
<draw:frame presentation:style-name="pr1" svg:x="2cm" svg:y="0.5cm" svg:width="16cm" svg:height="2cm" presentation:class="title"><draw:text-box><text:p>Ward report</text:p></draw:text-box></draw:frame>
<draw:custom-shape draw:style-name="gr1" svg:x="2cm" svg:y="4cm" svg:width="4cm" svg:height="3cm"><text:p/><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="ellipse"/></draw:custom-shape>
<draw:frame draw:style-name="gr2" svg:x="13cm" svg:y="4cm" svg:width="4cm" svg:height="2cm"><draw:image xlink:href="Pictures/magenta.png"/></draw:frame>
<draw:frame presentation:style-name="M-outline1" svg:x="7cm" svg:y="3cm" svg:width="5cm" svg:height="5cm" presentation:class="outline"><draw:text-box><text:list><text:list-item><text:p>beds</text:p></text:list-item><text:list-item><text:p>staff</text:p></text:list-item></text:list></draw:text-box></draw:frame>
<draw:frame presentation:style-name="Filled" svg:x="0cm" svg:y="7cm" svg:width="20cm" svg:height="1.5cm" presentation:class="subtitle" presentation:placeholder="true"><draw:text-box/></draw:frame>
</draw:page>
<draw:page draw:name="two" draw:master-page-name="M" draw:style-name="dp2">
<draw:frame draw:style-name="gr2" svg:x="1cm" svg:y="1cm" svg:width="6cm" svg:height="2cm"><table:table><table:table-column table:style-name="co1" table:number-columns-repeated="2"/><table:table-row><table:table-cell><text:p>A</text:p></table:table-cell><table:table-cell table:style-name="cyan"><text:p>B</text:p></table:table-cell></table:table-row></table:table></draw:frame>
<draw:rect draw:style-name="black" svg:x="14cm" svg:y="1cm" svg:width="3cm" svg:height="3cm"/>
<draw:rect draw:style-name="half" svg:x="14cm" svg:y="1cm" svg:width="3cm" svg:height="3cm"/>
</draw:page>
</office:presentation></office:body>"##;
    let picture = common::solid_png(40, 20, [255, 0, 255]);
    odp(content, STYLES, &[("Pictures/magenta.png", &picture)])
}

/// The colour of a page's pixel.
fn pixel(page: &docsandbox::Page, x: u32, y: u32) -> [u8; 3] {
    let i = (y * page.width() + x) as usize * 4;
    let p = &page.rgba()[i..i + 3];
    [p[0], p[1], p[2]]
}

/// Whether a page holds a pixel near `rgb` in the box `[left, top, right, bottom]`.
fn has_near(page: &docsandbox::Page, rgb: [u8; 3], [left, top, right, bottom]: [u32; 4]) -> bool {
    (top..bottom).any(|y| (left..right).any(|x| pixel(page, x, y).iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < 40)))
}

#[test]
fn odp_draws_masters_backgrounds_shapes_pictures_tables_and_slide_numbers() {
    let sandbox = common::sandbox();
    let doc = sandbox.render(&sample(), &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    assert_eq!(report.format.as_deref(), Some("odp"));
    assert!(!report.has("content-not-shown") && !report.has("empty-document"), "{report:?}");
    assert_eq!(doc.pages().len(), 2, "one page per slide");
    let (one, two) = (&doc.pages()[0], &doc.pages()[1]);
    assert_eq!((one.width(), one.height()), (567, 284), "20 x 10 cm at 72 DPI, rounded up");

    // The master's yellow background and blue band, under the slide's own shapes.
    assert_eq!(pixel(one, 10, 150), [255, 255, 0], "yellow background from the master");
    let (blue, [_, btop, _, bbottom]) = pixels_near(one, [0, 0, 255]);
    assert!(blue > 500 * 25 && btop.abs_diff(255) <= 1 && bbottom >= 281, "blue band along the bottom: {blue}, {btop}..{bbottom}");

    // The title is red, bold 28 pt and centred in its frame; the red placeholders of the
    // master and the slide are not drawn.
    let (red, [left, top, right, bottom]) = pixels_near(one, [255, 0, 0]);
    assert!(red > 200, "red title: {red}");
    assert!(((left + right) / 2).abs_diff(283) < 6, "centred: {left}..{right}");
    assert!(top >= 14 && bottom <= 71 && bottom - top >= 16, "28 pt, in its frame 0.5..2.5 cm: {top}..{bottom}");

    // The ellipse is green, 4 × 3 cm at (2 cm, 4 cm), and round (its corners stay yellow).
    let (green, [gl, gt, gr, gb]) = pixels_near(one, [0, 255, 0]);
    assert!(green > 6_000, "green ellipse: {green}");
    assert!(gl.abs_diff(57) <= 2 && gr.abs_diff(170) <= 2 && gt.abs_diff(113) <= 2 && gb.abs_diff(198) <= 2, "{gl}..{gr} x {gt}..{gb}");
    assert_eq!(pixel(one, 59, 115), [255, 255, 0], "the ellipse's corner is not filled");

    // The picture fills its 4 × 2 cm frame at (13 cm, 4 cm).
    let (magenta, [ml, mt, mr, mb]) = pixels_near(one, [255, 0, 255]);
    assert!(magenta > 5_000 && ml.abs_diff(369) <= 2 && mr.abs_diff(482) <= 2 && mt.abs_diff(113) <= 2 && mb.abs_diff(170) <= 2, "{ml}..{mr} x {mt}..{mb}");

    // The outline's two bulleted lines are drawn in its frame.
    let outline = |page: &docsandbox::Page| (85..227).filter(|&y| (215..335).any(|x| pixel(page, x, y)[2] < 60 && pixel(page, x, y)[0] < 60)).count();
    assert!(outline(one) > 25, "outline text: {} dark rows", outline(one));

    // The slide number, white on the band, differs between the slides.
    assert!(has_near(one, [255, 255, 255], [425, 257, 551, 283]), "slide number 1");
    let number = |page: &docsandbox::Page| {
        (425..551).flat_map(|x| (257..283).map(move |y| (x, y))).filter(|&(x, y)| pixel(page, x, y) == [255, 255, 255]).collect::<Vec<_>>()
    };
    assert_ne!(number(one), number(two), "the numbers differ");

    // Slide 2: its own gradient background runs dark at the top to light at the bottom.
    let (top_shade, low_shade) = (pixel(two, 300, 5)[0], pixel(two, 300, 245)[0]);
    assert!(top_shade < 40 && low_shade > 200, "gradient: {top_shade} at the top, {low_shade} below");
    // The table's second 3 cm column is cyan.
    let (cyan, [cl, _, cr, _]) = pixels_near(two, [0, 255, 255]);
    assert!(cyan > 1_000 && cl.abs_diff(113) <= 3 && cr.abs_diff(198) <= 3, "cyan cell: {cyan}, {cl}..{cr}");
    // White at half opacity over black is grey.
    let grey = pixel(two, 440, 70);
    assert!(grey.iter().all(|c| c.abs_diff(128) < 12), "half-transparent white over black: {grey:?}");
}

#[test]
fn odp_hatches_shadows_holes_custom_shape_formulas_turned_frames_and_picture_fills_are_drawn() {
    // On master "M" (yellow background, blue band), at 72 DPI (1 cm = 28.35 px):
    // - a 4 x 4 cm square at (1, 1) cm: red horizontal hatch lines 0.2 cm apart over white
    //   (`draw:fill-hatch-solid`), and a second with the same lines over the background;
    // - a 4 x 4 cm picture of four quadrants (red, green above; blue, yellow below) turned
    //   half a turn and moved to (10, 5) cm, as LibreOffice writes it: it covers 6..10 x
    //   1..5 cm with yellow at its top left;
    // - a diamond (a polygon) 4 x 4 cm at (13, 1) cm filled with a magenta picture: the
    //   picture shows only inside the diamond;
    // - a blue path at (6, 6) cm, 4 x 3 cm, of two rectangles: the inner one a hole;
    // - a green 2 cm square at (12, 6) cm with a black shadow 0.3 cm right and down;
    // - a red ring 3 cm wide at (15, 5.5) cm, a custom shape whose path and equations
    //   draw it.
    let styles = STYLES.replace(
        "</office:styles>",
        r##"<draw:hatch draw:name="Lines" draw:style="single" draw:color="#ff0000" draw:distance="0.2cm" draw:rotation="0"/>
<draw:fill-image draw:name="Magenta" xlink:href="Pictures/magenta.png"/></office:styles>"##,
    );
    let content = r##"<office:automatic-styles>
<style:style style:name="hatched" style:family="graphic"><style:graphic-properties draw:fill="hatch" draw:fill-hatch-name="Lines" draw:fill-hatch-solid="true" draw:fill-color="#ffffff" draw:stroke="none"/></style:style>
<style:style style:name="lines" style:family="graphic"><style:graphic-properties draw:fill="hatch" draw:fill-hatch-name="Lines" draw:fill-color="#ffffff" draw:stroke="none"/></style:style>
<style:style style:name="plain" style:family="graphic"><style:graphic-properties draw:fill="none" draw:stroke="none"/></style:style>
<style:style style:name="blue" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#0000ff" draw:stroke="none"/></style:style>
<style:style style:name="red" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#ff0000" draw:stroke="none"/></style:style>
<style:style style:name="shadowed" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="#00ff00" draw:stroke="none" draw:shadow="visible" draw:shadow-offset-x="0.3cm" draw:shadow-offset-y="0.3cm" draw:shadow-color="#000000"/></style:style>
<style:style style:name="pictured" style:family="graphic"><style:graphic-properties draw:fill="bitmap" draw:fill-image-name="Magenta" style:repeat="stretch" draw:stroke="none"/></style:style>
</office:automatic-styles>
<office:body><office:presentation><draw:page draw:master-page-name="M">
<draw:rect draw:style-name="hatched" svg:x="1cm" svg:y="1cm" svg:width="4cm" svg:height="4cm"/>
<draw:rect draw:style-name="lines" svg:x="1cm" svg:y="5.5cm" svg:width="4cm" svg:height="3cm"/>
<draw:frame draw:style-name="plain" svg:width="4cm" svg:height="4cm" draw:transform="rotate (3.14159265358979) translate (10cm 5cm)"><draw:image xlink:href="Pictures/quadrants.png"/></draw:frame>
<draw:path draw:style-name="blue" svg:x="6cm" svg:y="6cm" svg:width="4cm" svg:height="3cm" svg:viewBox="0 0 4000 3000" svg:d="M0 0h4000v3000h-4000z M1000 1000v1000h2000v-1000z"/>
<draw:rect draw:style-name="shadowed" svg:x="12cm" svg:y="6cm" svg:width="2cm" svg:height="2cm"/>
<draw:custom-shape draw:style-name="red" svg:x="15cm" svg:y="5.5cm" svg:width="3cm" svg:height="3cm"><text:p/><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="ring" draw:modifiers="5400" draw:enhanced-path="U 10800 10800 10800 10800 0 360 Z U 10800 10800 ?f0 ?f0 0 360 Z N"><draw:equation draw:name="f0" draw:formula="$0 * 2 - 5400"/></draw:enhanced-geometry></draw:custom-shape>
<draw:polygon draw:style-name="pictured" svg:x="13cm" svg:y="1cm" svg:width="4cm" svg:height="4cm" svg:viewBox="0 0 4000 4000" draw:points="2000,0 4000,2000 2000,4000 0,2000"/>
</draw:page></office:presentation></office:body>"##;
    let (quadrants, magenta) = (common::quadrants_png(40, 40), common::solid_png(20, 20, [255, 0, 255]));
    let bytes = odp(content, &styles, &[("Pictures/quadrants.png", &quadrants), ("Pictures/magenta.png", &magenta)]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report().findings);
    let page = &doc.pages()[0];
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 60);

    // Hatch lines: each row across the square one colour, about 20 lines over 4 cm, white
    // between them; over the background, yellow between them.
    let count_lines = |x0: u32, x1: u32, rows: std::ops::Range<u32>, between: [u8; 3]| {
        let (mut lines, mut in_line, mut between_rows) = (0, false, 0);
        for y in rows {
            let (a, b) = (pixel(page, x0, y), pixel(page, x1, y));
            assert!(a.iter().zip(b).all(|(p, q)| p.abs_diff(q) < 40), "row {y} one colour across: {a:?} {b:?}");
            let red = a[1] < 180 && a[0] > 200;
            lines += usize::from(red && !in_line);
            between_rows += usize::from(near(a, between));
            in_line = red;
        }
        (lines, between_rows)
    };
    let (lines, white) = count_lines(35, 135, 30..140, [255, 255, 255]);
    assert!((17..=23).contains(&lines) && white > 40, "{lines} hatch lines, {white} white rows between");
    let (lines, yellow) = count_lines(35, 135, 160..238, [255, 255, 0]);
    assert!((12..=17).contains(&lines) && yellow > 30, "{lines} hatch lines over the background, {yellow} yellow rows between");

    // The turned picture covers 6..10 x 1..5 cm, yellow at its top left, red at its bottom right.
    assert!(near(pixel(page, 180, 40), [255, 255, 0]) && near(pixel(page, 275, 135), [255, 0, 0]), "{:?} {:?}", pixel(page, 180, 40), pixel(page, 275, 135));
    assert!(near(pixel(page, 180, 135), [0, 160, 0]) && near(pixel(page, 275, 40), [0, 0, 255]), "{:?} {:?}", pixel(page, 180, 135), pixel(page, 275, 40));

    // A path of two rectangles, the inner running the other way round, is a frame with a hole.
    assert_eq!(pixel(page, 184, 184), [0, 0, 255], "the frame");
    assert_eq!(pixel(page, 227, 213), [255, 255, 0], "the hole shows the background");

    // The shadow lies 0.3 cm right of and below the green square, in black.
    assert_eq!(pixel(page, 369, 198), [0, 255, 0], "the square");
    assert_eq!(pixel(page, 401, 231), [0, 0, 0], "its shadow beyond its bottom right corner");
    assert_eq!(pixel(page, 346, 231), [255, 255, 0], "no shadow left of its offset");

    // The ring's path, its inner radius a formula of its adjustment (1.5 cm * 5400 / 10800),
    // leaves a hole in the middle.
    assert_eq!(pixel(page, 468, 198), [255, 255, 0], "the ring's hole");
    assert_eq!(pixel(page, 437, 198), [255, 0, 0], "the ring, 1.1 cm left of its centre");
    assert_eq!(pixel(page, 428, 159), [255, 255, 0], "the ring is round: its box's corner is empty");

    // The picture fill shows inside the diamond only: its corners keep the background.
    assert!(near(pixel(page, 425, 85), [255, 0, 255]), "the diamond's centre: {:?}", pixel(page, 425, 85));
    assert_eq!(pixel(page, 372, 33), [255, 255, 0], "the diamond's box's corner");
    assert_eq!(pixel(page, 478, 138), [255, 255, 0], "the diamond's box's far corner");
}

#[test]
fn odp_reports_what_it_does_not_draw_and_empty_presentations_show_a_page() {
    let sandbox = common::sandbox();
    let content = r#"<office:automatic-styles><style:style style:name="hidden" style:family="drawing-page"><style:drawing-page-properties presentation:visibility="hidden"/></style:style></office:automatic-styles>
<office:body><office:presentation><draw:page draw:master-page-name="M" draw:style-name="hidden">
<draw:frame svg:x="1cm" svg:y="1cm" svg:width="5cm" svg:height="3cm"><draw:object xlink:href="./Object 1"/></draw:frame>
<draw:custom-shape svg:x="8cm" svg:y="1cm" svg:width="3cm" svg:height="3cm"><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="mso-spt100" draw:enhanced-path="M ?f0 0 L 21600 ?f1 Z"/></draw:custom-shape>
<draw:frame svg:x="12cm" svg:y="1cm" svg:width="3cm" svg:height="3cm"><draw:image xlink:href="https://example.com/tracker.png"/></draw:frame>
</draw:page></office:presentation></office:body>"#;
    let doc = sandbox.render(&odp(content, STYLES, &[]), &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    let missing: Vec<_> = report.findings.iter().filter(|f| f.kind == "content-not-shown").map(|f| f.detail.as_str()).collect();
    assert!(missing.iter().any(|d| d.contains("page 1") && d.contains("embedded object")), "{missing:?}");
    assert!(missing.iter().any(|d| d.contains("slide 1") && d.contains("mso-spt100")), "{missing:?}");
    assert!(missing.iter().any(|d| d.contains("outside the document")), "{missing:?}");
    assert!(missing.iter().any(|d| d.contains("hidden")), "{missing:?}");
    // The object's placeholder is drawn in its frame.
    assert!(common::pixels_like(&doc.pages()[0], [0xF4, 0xF4, 0xF4]) > 100 * 50, "placeholder drawn");

    let empty = sandbox.render(&odp("<office:body><office:presentation/></office:body>", STYLES, &[]), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(empty.pages().len(), 1, "one blank page");
    assert!(empty.report().has("empty-document"));

    // A drawing (ODG) is drawn the same way, and named as what it is.
    let drawing = package(
        "application/vnd.oasis.opendocument.graphics",
        r#"<office:body><office:drawing><draw:page draw:master-page-name="M"><draw:ellipse draw:style-name="Band" svg:x="1cm" svg:y="1cm" svg:width="4cm" svg:height="4cm"/></draw:page></office:drawing></office:body>"#,
        STYLES,
        &[],
    );
    let doc = sandbox.render(&drawing, &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.report().format.as_deref(), Some("odg"));
    let (blue, _) = pixels_near(&doc.pages()[0], [0, 0, 255]);
    assert!(blue > 5_000 + 500 * 25, "the blue circle and band: {blue}");

    // A template (.otp) is a presentation too.
    let template = package(
        "application/vnd.oasis.opendocument.presentation-template",
        "<office:body><office:presentation><draw:page draw:master-page-name=\"M\"/></office:presentation></office:body>",
        STYLES,
        &[],
    );
    assert_eq!(sandbox.render(&template, &RenderOptions::default()).unwrap().report().format.as_deref(), Some("odp"));
}

#[test]
fn hostile_odp_ends_fast_with_pages_or_a_typed_error() {
    let sandbox = Sandbox::new(docsandbox::Limits::default()).unwrap();
    let page = |inner: &str| {
        format!(r#"<office:body><office:presentation><draw:page draw:master-page-name="M">{inner}</draw:page></office:presentation></office:body>"#)
    };
    let points: String = (0..1_000_000).map(|i| format!("{},{} ", i % 997, i % 991)).collect();
    let path: String = (0..300_000).map(|i| format!("L{} {} ", i % 1000, i % 777)).collect();
    let enhanced: String = (0..500_000).map(|i| format!("L {} {} ", i % 21600, i % 21600)).collect();
    let cases = [
        (
            "groups 100 000 deep",
            page(&format!("{}<draw:rect svg:width=\"1cm\" svg:height=\"1cm\"/>{}", "<draw:g>".repeat(100_000), "</draw:g>".repeat(100_000))),
        ),
        ("80 000 shapes", page(&r#"<draw:rect svg:x="1cm" svg:y="1cm" svg:width="1cm" svg:height="1cm"/>"#.repeat(80_000))),
        (
            "a polygon of a million points",
            page(&format!(r#"<draw:polygon svg:width="10cm" svg:height="5cm" svg:viewBox="0 0 1000 1000" svg:points="{points}"/>"#)),
        ),
        ("a path of 300 000 segments", page(&format!(r#"<draw:path svg:width="10cm" svg:height="5cm" svg:viewBox="0 0 1000 1000" svg:d="M0 0 {path}Z"/>"#))),
        (
            "an enhanced path of a million numbers",
            page(&format!(
                r#"<draw:custom-shape svg:width="10cm" svg:height="5cm"><draw:enhanced-geometry draw:enhanced-path="M 0 0 {enhanced}Z"/></draw:custom-shape>"#
            )),
        ),
        (
            "custom shapes of cyclic, deeply nested and 100 000 chained equations, and a huge hatch",
            r#"<office:automatic-styles><draw:hatch draw:name="tiny" draw:style="triple" draw:distance="0.0000001cm" draw:rotation="NaN"/><style:style style:name="huge-hatch" style:family="graphic"><style:graphic-properties draw:fill="hatch" draw:fill-hatch-name="tiny"/></style:style></office:automatic-styles>"#.to_owned() + &page(&format!(
                r#"<draw:custom-shape svg:width="10cm" svg:height="5cm"><draw:enhanced-geometry draw:modifiers="1e308 NaN" draw:enhanced-path="M 0 0 L ?f0 ?f1 U 0 0 1e300 1e300 0 1e300 Z N"><draw:equation draw:name="f0" draw:formula="?f1 + 1"/><draw:equation draw:name="f1" draw:formula="?f0 * $0"/></draw:enhanced-geometry></draw:custom-shape>
<draw:custom-shape svg:width="10cm" svg:height="5cm"><draw:enhanced-geometry draw:enhanced-path="M 0 0 L ?f0 0 Z"><draw:equation draw:name="f0" draw:formula="{}1{}"/></draw:enhanced-geometry></draw:custom-shape>
<draw:custom-shape svg:width="10cm" svg:height="5cm"><draw:enhanced-geometry draw:enhanced-path="M 0 0 L ?f0 ?f99999 Z">{}</draw:enhanced-geometry></draw:custom-shape>
<draw:rect draw:style-name="huge-hatch" svg:width="1e6cm" svg:height="1e6cm"/>"#,
                "(".repeat(100_000),
                ")".repeat(100_000),
                (0..100_000).map(|i| format!(r#"<draw:equation draw:name="f{i}" draw:formula="?f{} + sin($0) / 0"/>"#, i + 1)).collect::<String>()
            )),
        ),
        (
            "shapes of absurd sizes",
            page(
                r#"<draw:rect svg:x="-1e30cm" svg:y="NaNcm" svg:width="1e30cm" svg:height="-5cm"/><draw:ellipse svg:width="99999999in" svg:height="99999999in" draw:transform="rotate (1e38) translate (inf 3cm)"/><draw:regular-polygon draw:corners="4000000000" svg:width="3cm" svg:height="3cm"/>"#,
            ),
        ),
        (
            "3 000 slides",
            format!("<office:body><office:presentation>{}</office:presentation></office:body>", "<draw:page draw:master-page-name=\"M\"/>".repeat(3_000)),
        ),
        (
            "a text box of 50 000 paragraphs to shrink into 1 cm",
            page(&format!(
                "<draw:frame presentation:style-name=\"M-outline1\" svg:width=\"5cm\" svg:height=\"1cm\"><draw:text-box>{}</draw:text-box></draw:frame>",
                "<text:p>line</text:p>".repeat(50_000)
            )),
        ),
    ];
    let hostile_styles = STYLES.replace(
        "</office:styles>",
        r#"<draw:gradient draw:name="bad" draw:style="radial" draw:cx="1e9%" draw:cy="-NaN%" draw:angle="NaNdeg" draw:border="900%"/>
<style:style style:name="A" style:family="graphic" style:parent-style-name="B"/><style:style style:name="B" style:family="graphic" style:parent-style-name="A"><style:graphic-properties draw:fill="gradient" draw:fill-gradient-name="bad"/></style:style></office:styles>"#,
    );
    let looping = page(r#"<draw:rect draw:style-name="A" svg:width="5cm" svg:height="5cm"/>"#);
    // 3 000 shapes, each filled with a picture of its own (150 of them real).
    let fills: String = (0..3_000).map(|i| format!(r#"<draw:fill-image draw:name="i{i}" xlink:href="Pictures/p{}.png"/>"#, i % 200)).collect();
    let fill_styles = STYLES.replace("</office:styles>", &format!("{fills}</office:styles>"));
    let fill_shapes: String = (0..3_000)
        .map(|i| format!(r#"<style:style style:name="f{i}" style:family="graphic"><style:graphic-properties draw:fill="bitmap" draw:fill-image-name="i{i}" style:repeat="repeat"/></style:style>"#))
        .collect();
    let rects: String =
        (0..3_000).map(|i| format!(r#"<draw:rect draw:style-name="f{i}" svg:x="{}cm" svg:y="1cm" svg:width="3cm" svg:height="3cm"/>"#, i % 17)).collect();
    let many_fills = format!("<office:automatic-styles>{fill_shapes}</office:automatic-styles>{}", page(&rects));
    let picture = common::solid_png(3, 3, [0, 128, 0]);
    let pictures: Vec<(String, Vec<u8>)> = (0..150).map(|i| (format!("Pictures/p{i}.png"), picture.clone())).collect();
    let started = Instant::now();
    let extra: Vec<(&str, &[u8])> = pictures.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let doc = sandbox.render(&odp(&many_fills, &fill_styles, &extra), &RenderOptions::default().dpi(36)).unwrap();
    assert!(started.elapsed() < Duration::from_secs(30), "picture fills took {:?}", started.elapsed());
    assert!(doc.report().findings.iter().any(|f| f.kind == "content-not-shown" && f.detail.contains("picture fills beyond")), "{:?}", doc.report());
    assert!(common::pixels_like(&doc.pages()[0], [0, 128, 0]) > 1_000, "tiled pictures drawn");

    for (what, content, styles) in cases.iter().map(|(w, c)| (*w, c.clone(), STYLES.to_owned())).chain([(
        "styles that inherit from each other, a broken gradient",
        looping,
        hostile_styles,
    )]) {
        let started = Instant::now();
        let mut options = RenderOptions::default().dpi(36);
        options.pages = Some(1..=2);
        let result = sandbox.render(&odp(&content, &styles, &[]), &options);
        assert!(started.elapsed() < Duration::from_secs(30), "{what}: took {:?}", started.elapsed());
        match result {
            Ok(doc) => assert!(!doc.pages().is_empty(), "{what}: no pages"),
            Err(e) => assert!(!format!("{e}").is_empty(), "{what}: {e:?}"),
        }
    }
}

#[test]
fn encrypted_odp_opens_with_its_password_only() {
    // Saved by LibreOffice with the password "odp-secret" (scripts/make-encrypted-odf.py odp).
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/files/encrypted.odp")).unwrap();
    let doc = common::opens_with_password_only(&common::sandbox(), &bytes, "odp-secret");
    assert_eq!(doc.report().format.as_deref(), Some("odp"));
    assert!(doc.report().has("encrypted"), "{:?}", doc.report());
    // The red 8 x 4 cm rectangle at (2 cm, 2 cm).
    let (red, [left, top, right, bottom]) = pixels_near(&doc.pages()[0], [255, 0, 0]);
    assert!(red > 20_000, "red rectangle: {red}");
    assert!(left.abs_diff(57) <= 2 && top.abs_diff(57) <= 2 && right.abs_diff(283) <= 2 && bottom.abs_diff(170) <= 2, "{left}..{right} x {top}..{bottom}");
}

#[test]
fn font_independent_line_spacing_places_lines_as_impress_does() {
    // A shape 72 pt from the slide's top left, without padding, of three paragraphs of 40 pt
    // blue capitals at 150 % spacing. Its text style asks for font-independent lines: each
    // 1.2 times the size (48 pt), the baseline one size below the top, the extra above.
    let content = |independent: &str| {
        format!(
            r##"<office:automatic-styles>
<style:style style:name="gr" style:family="graphic"><style:graphic-properties draw:fill="none" draw:stroke="none" fo:padding-top="0cm" fo:padding-bottom="0cm" fo:padding-left="0cm" fo:padding-right="0cm" draw:textarea-vertical-align="top"/></style:style>
<style:style style:name="P2" style:family="paragraph"><style:paragraph-properties style:font-independent-line-spacing="{independent}"/></style:style>
<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:line-height="150%" fo:margin-top="0cm" fo:margin-bottom="0cm"/><style:text-properties fo:font-size="40pt" fo:color="#0000ff" style:font-name="Liberation Sans"/></style:style>
</office:automatic-styles>
<office:body><office:presentation><draw:page draw:name="one" draw:master-page-name="M">
<draw:custom-shape draw:style-name="gr" draw:text-style-name="P2" svg:x="2.54cm" svg:y="2.54cm" svg:width="15cm" svg:height="7cm">{}<draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"/></draw:custom-shape>
</draw:page></office:presentation></office:body>"##,
            r#"<text:p text:style-name="P1">HH</text:p>"#.repeat(3)
        )
    };
    let render = |independent: &str| {
        let doc = common::sandbox().render(&odp(&content(independent), STYLES, &[]), &RenderOptions::default().dpi(72)).unwrap();
        common::blue_baselines(&doc.pages()[0])
    };
    // The master's blue band along the slide's foot (from 255 pt) ends the last run of
    // blue rows; the first two lines are above it.
    let got = render("true");
    let want = [136.0, 208.0];
    assert!(got.len() >= 2, "the lines: {got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((*g as f32 - w).abs() <= 1.5, "baselines {got:?}, want {want:?}");
    }
    // Without it, the lines follow the font's own height (46 pt for Liberation Sans).
    let by_font = render("false");
    assert!(by_font.len() >= 2, "the lines: {by_font:?}");
    assert!(by_font[1] - by_font[0] < 71, "lines by the font's height: {by_font:?}");
}
