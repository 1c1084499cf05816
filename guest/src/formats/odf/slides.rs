//! ODP and ODG: one page per `draw:page`, at its master page's size. The reader in [`super::text`]
//! collects what each slide and master page draws ([`Deck`]); this file draws it:
//! the background (the slide's drawing-page fill, else its master's), then the master's own
//! shapes (with its header, footer, date and slide number as the slide asks), then the
//! slide's shapes in document order.
//!
//! Shapes: frames holding text boxes, pictures, tables or embedded objects (through their
//! preview picture); rectangles, ellipses, lines, connectors, polygons, polylines, paths,
//! custom shapes by their type or simple enhanced path, and groups. Fills are solid,
//! pictures (stretched or tiled), gradients (as the mean of their two colours) and hatches
//! (as their line colour, lightened); outlines are solid. Text sits in its shape's padding,
//! anchored top, middle or bottom, shrunk to fit when its style says so. Empty placeholders
//! ("click to add a title") are not drawn, as in a slide show.

use std::collections::HashMap;

use docsandbox_protocol::{FindingKind, Format};
use vello_cpu::kurbo::{Affine, BezPath, PathEl};

use super::geometry::{self, Enhanced};
use super::styles::{Family, FillDef, GraphicProps, Styles};
use super::text::{self, Reader};
use crate::dispatch::Job;
use crate::layout::paint::{self, Canvas, Flow, Gradient, Hatch, ImageRef, Painter, Rgb, ShapeKind, Stroke, Surface};
use crate::layout::running::PAGE_FIELD;
use crate::ooxml::package::Package;
use crate::ooxml::{self, attr};
use quick_xml::events::BytesStart;

/// Slides drawn at most; more are cut and reported.
pub const MAX_SLIDES: usize = 2_000;
/// Shapes kept at most, on all slides and masters together.
pub const MAX_SHAPES: usize = 50_000;
/// Points of one polygon or flattened path kept at most.
const MAX_POINTS: usize = 20_000;
/// Tiles of one picture fill drawn at most (beyond, it is stretched).
const MAX_TILES: usize = 400;
/// Different pictures decoded for fills at most.
const MAX_FILL_PICTURES: usize = 100;
/// Stand for a master page's footer, date and header text until the slide is known.
pub const FOOTER_FIELD: char = '\u{E002}';
pub const DATE_FIELD: char = '\u{E003}';
pub const HEADER_FIELD: char = '\u{E004}';

/// What a presentation's slides and master pages draw, as read.
#[derive(Default)]
pub struct Deck {
    pub slides: Vec<Slide>,
    /// Each master page's shapes and its drawing-page style.
    pub masters: HashMap<String, (Vec<Drawn>, Option<String>)>,
    /// Footer, header and date-time declarations by name (a date from the clock is empty).
    pub decls: HashMap<String, String>,
    /// The declaration being read: its name, its text so far, and whether it is the clock's.
    pub decl: Option<(String, String, bool)>,
    /// Shapes being read, innermost last.
    pub open: Vec<Drawn>,
    pub shapes: usize,
}

/// One slide as read.
#[derive(Default)]
pub struct Slide {
    pub master: Option<String>,
    pub style: Option<String>,
    pub shapes: Vec<Drawn>,
    /// The names of the footer, date-time and header declarations it uses.
    pub uses: [Option<String>; 3],
}

/// The outline of a shape.
#[derive(Debug, Clone, Default)]
pub enum Geometry {
    /// A frame: its box, filled and outlined as its style says.
    #[default]
    Frame,
    Shape(ShapeKind),
    Line((f32, f32), (f32, f32)),
    /// Polylines in page points, each closed or not.
    Paths(Vec<(Vec<(f32, f32)>, bool)>),
    /// A custom shape whose outline is not drawn, by its type.
    Unknown(String),
}

/// One shape as read: where it is, what it looks like and what it holds.
#[derive(Default)]
pub struct Drawn {
    pub geometry: Geometry,
    /// x, y, width, height in points.
    pub rect: [f32; 4],
    /// Rotation in radians, counterclockwise about the top left corner.
    pub rotation: f32,
    pub style: Option<String>,
    /// `draw:text-style-name`: the paragraph style its text starts from.
    pub text_style: Option<String>,
    /// The presentation class of a placeholder shape (`title`, `outline`, `footer`...).
    pub class: Option<String>,
    /// An empty placeholder, not shown.
    pub placeholder: bool,
    /// Whether it belongs to a master page (by name) rather than the current slide.
    pub master: Option<String>,
    /// A `draw:type`'s geometry (view box, path, adjustments, equations), read before the
    /// shape's size is final.
    pub enhanced: Option<Enhanced>,
    /// A custom shape mirrored left to right, top to bottom (`draw:mirror-horizontal`...).
    pub mirror: (bool, bool),
    pub text: Vec<Flow>,
    /// A picture, or a figure showing a metafile or naming what is not drawn.
    pub image: Option<ImageRef>,
}

impl Drawn {
    /// Moves the shape by `(dx, dy)` points: its box, and the points of a line or paths
    /// (which are on the page, not in the box).
    pub fn shift(&mut self, (dx, dy): (f32, f32)) {
        self.rect[0] += dx;
        self.rect[1] += dy;
        match &mut self.geometry {
            Geometry::Line(from, to) => {
                for p in [from, to] {
                    *p = (p.0 + dx, p.1 + dy);
                }
            }
            Geometry::Paths(paths) => {
                for p in paths.iter_mut().flat_map(|(points, _)| points.iter_mut()) {
                    *p = (p.0 + dx, p.1 + dy);
                }
            }
            _ => {}
        }
    }

    /// The box the shape covers, as x0, y0, x1, y1: a line's ends, and a turned shape's
    /// corners turned either way (so that its box holds it whichever way it turns).
    pub fn bounds(&self) -> paint::Box2 {
        let [x, y, w, h] = self.rect;
        let mut points = vec![(x, y), (x + w, y), (x, y + h), (x + w, y + h)];
        if let Geometry::Line(from, to) = self.geometry {
            points = vec![from, to];
        }
        if self.rotation.abs() > 1e-4 {
            let (sin, cos) = self.rotation.sin_cos();
            let turned: Vec<(f32, f32)> = points
                .iter()
                .flat_map(|&(px, py)| {
                    let (dx, dy) = (px - x, py - y);
                    [(x + dx * cos + dy * sin, y - dx * sin + dy * cos), (x + dx * cos - dy * sin, y + dx * sin + dy * cos)]
                })
                .collect();
            points = turned;
        }
        let fold = |f: fn(f32, f32) -> f32, init: f32, pick: fn(&(f32, f32)) -> f32| points.iter().map(pick).fold(init, f);
        [fold(f32::min, f32::MAX, |p| p.0), fold(f32::min, f32::MAX, |p| p.1), fold(f32::max, f32::MIN, |p| p.0), fold(f32::max, f32::MIN, |p| p.1)]
    }
}

/// The shape elements a slide or master page holds.
pub const SHAPES: &[&[u8]] = &[
    b"frame",
    b"custom-shape",
    b"rect",
    b"ellipse",
    b"circle",
    b"line",
    b"connector",
    b"polygon",
    b"polyline",
    b"path",
    b"regular-polygon",
    b"caption",
    b"measure",
];

/// Reads a shape element's position and plain geometry (`name` is its local name).
pub fn start_shape(e: &BytesStart<'_>, name: &[u8], master: Option<String>) -> Drawn {
    let len = |n: &[u8]| attr(e, n).and_then(|v| super::styles::length(&v));
    let (mut x, mut y) = (len(b"x").unwrap_or(0.0), len(b"y").unwrap_or(0.0));
    // A rotated shape gives its place as a translation after its rotation.
    let mut rotation = 0.0;
    if let Some(t) = attr(e, b"transform") {
        if let Some(rest) = t.split("translate").nth(1) {
            let nums: Vec<f32> = rest.trim_start_matches([' ', '(']).split([' ', ',', ')']).filter_map(super::styles::length).take(2).collect();
            if let [tx, ty] = nums[..] {
                (x, y) = (tx, ty);
            }
        }
        if let Some(rest) = t.split("rotate").nth(1) {
            let angle = rest.trim_start_matches([' ', '(']).split([' ', ')']).next().and_then(|a| a.parse::<f32>().ok());
            rotation = angle.filter(|a| a.is_finite()).unwrap_or(0.0) % std::f32::consts::TAU;
        }
    }
    let (w, h) = (len(b"width").unwrap_or(0.0).max(0.0), len(b"height").unwrap_or(0.0).max(0.0));
    let rect = [x, y, w, h];
    let geometry = match name {
        b"rect" => Geometry::Shape(if attr(e, b"corner-radius").and_then(|v| super::styles::length(&v)).is_some_and(|r| r > 0.0) {
            ShapeKind::RoundRect
        } else {
            ShapeKind::Rect
        }),
        b"ellipse" | b"circle" => Geometry::Shape(ShapeKind::Ellipse),
        // A connector's route, in 1/100 mm on the page (its ends are what it joins).
        b"connector" if attr(e, b"d").is_some() => match attr(e, b"d").and_then(|d| BezPath::from_svg(&d).ok()) {
            Some(path) => Geometry::Paths(flatten(&path, [0.0, 0.0, 2540.0, 2540.0], [0.0, 0.0, 72.0, 72.0])),
            None => Geometry::Unknown("a connector".into()),
        },
        b"line" | b"connector" | b"measure" => {
            let p = |n: &[u8]| len(n).unwrap_or(0.0);
            Geometry::Line((p(b"x1"), p(b"y1")), (p(b"x2"), p(b"y2")))
        }
        b"polygon" | b"polyline" => {
            let view = view_box(e).unwrap_or([0.0, 0.0, w.max(1.0), h.max(1.0)]);
            let points: Vec<(f32, f32)> = attr(e, b"points")
                .unwrap_or_default()
                .split_whitespace()
                .take(MAX_POINTS)
                .filter_map(|p| {
                    let (a, b) = p.split_once(',')?;
                    Some(map_point((a.parse().ok()?, b.parse().ok()?), view, rect))
                })
                .collect();
            Geometry::Paths(vec![(points, name == b"polygon")])
        }
        b"path" => {
            let view = view_box(e).unwrap_or([0.0, 0.0, w.max(1.0), h.max(1.0)]);
            match attr(e, b"d").and_then(|d| BezPath::from_svg(&d).ok()) {
                Some(path) => Geometry::Paths(flatten(&path, view, rect)),
                None => Geometry::Unknown("a path".into()),
            }
        }
        b"regular-polygon" => {
            let corners = attr(e, b"corners").and_then(|v| v.parse::<usize>().ok()).unwrap_or(5).clamp(3, 64);
            let points = (0..corners)
                .map(|i| {
                    let a = std::f32::consts::TAU * i as f32 / corners as f32 - std::f32::consts::FRAC_PI_2;
                    (0.5 + 0.5 * a.cos(), 0.5 + 0.5 * a.sin())
                })
                .collect();
            Geometry::Shape(ShapeKind::Polygon(points))
        }
        b"frame" | b"caption" => Geometry::Frame,
        _ => Geometry::Unknown(String::from_utf8_lossy(name).into_owned()),
    };
    let class = attr(e, b"class");
    Drawn {
        geometry,
        rect,
        style: attr(e, b"style-name"),
        text_style: attr(e, b"text-style-name"),
        placeholder: attr(e, b"placeholder").as_deref() == Some("true"),
        class,
        master,
        rotation,
        ..Default::default()
    }
}

/// Reads a custom shape's `draw:enhanced-geometry`: its type, else its path.
pub fn enhanced_geometry(drawn: &mut Drawn, e: &BytesStart<'_>) {
    let kind = attr(e, b"type").unwrap_or_default();
    let on = |name: &[u8]| attr(e, name).as_deref() == Some("true");
    drawn.mirror = (on(b"mirror-horizontal"), on(b"mirror-vertical"));
    // An empty view box (OOXML presets) draws in the shape's own size.
    let view = match attr(e, b"viewBox") {
        Some(_) => view_box(e).unwrap_or([0.0; 4]),
        None => [0.0, 0.0, 21600.0, 21600.0],
    };
    let modifiers =
        attr(e, b"modifiers").unwrap_or_default().split_whitespace().take(64).map(|m| m.parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(0.0)).collect();
    drawn.enhanced = attr(e, b"enhanced-path").map(|path| Enhanced { view, path, modifiers, equations: Vec::new() });
    // The path, once its equations are read, else the outline its type names.
    drawn.geometry = match custom_kind(&kind) {
        Some(shape) => Geometry::Shape(shape),
        None => Geometry::Unknown(kind),
    };
}

/// Reads an equation (`draw:equation`) of the custom shape being read.
pub fn equation(drawn: &mut Drawn, e: &BytesStart<'_>) {
    if let (Some(enhanced), Some(name), Some(formula)) = (drawn.enhanced.as_mut(), attr(e, b"name"), attr(e, b"formula")) {
        if enhanced.equations.len() < geometry::MAX_EQUATIONS {
            enhanced.equations.push((name, formula));
        }
    }
}

/// Resolves an enhanced path once the shape is read; it stays unknown (and is reported)
/// when the path cannot be evaluated.
pub fn finish_geometry(drawn: &mut Drawn) {
    if let Some(enhanced) = drawn.enhanced.take() {
        if let Some((mut bez, view)) = enhanced.evaluate((drawn.rect[2], drawn.rect[3])) {
            // Mirrored in its view box, left to right or top to bottom.
            let [vx, vy, vw, vh] = view.map(f64::from);
            let (mx, my) = drawn.mirror;
            bez.apply_affine(Affine::new([
                if mx { -1.0 } else { 1.0 },
                0.0,
                0.0,
                if my { -1.0 } else { 1.0 },
                if mx { 2.0 * vx + vw } else { 0.0 },
                if my { 2.0 * vy + vh } else { 0.0 },
            ]));
            drawn.geometry = Geometry::Paths(flatten(&bez, view, drawn.rect));
        }
    }
}

/// The outline of a custom shape's `draw:type` (ODF's names and the `ooxml-` presets).
fn custom_kind(kind: &str) -> Option<ShapeKind> {
    if let Some(preset) = kind.strip_prefix("ooxml-") {
        return crate::formats::pptx::preset(preset);
    }
    let polygon = |p: &[(f32, f32)]| Some(ShapeKind::Polygon(p.to_vec()));
    match kind {
        "rectangle" | "rect" | "flowchart-process" | "frame" | "quad-bevel" => Some(ShapeKind::Rect),
        "round-rectangle" | "round-rect" | "flowchart-alternate-process" => Some(ShapeKind::RoundRect),
        "ellipse" | "circle" | "flowchart-connector" | "ring" => Some(ShapeKind::Ellipse),
        "isosceles-triangle" => polygon(&[(0.5, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "right-triangle" => polygon(&[(0.0, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "diamond" | "flowchart-decision" => polygon(&[(0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.0, 0.5)]),
        "parallelogram" | "flowchart-data" => polygon(&[(0.25, 0.0), (1.0, 0.0), (0.75, 1.0), (0.0, 1.0)]),
        "trapezoid" => polygon(&[(0.0, 0.0), (1.0, 0.0), (0.75, 1.0), (0.25, 1.0)]),
        "pentagon" => polygon(&[(0.5, 0.0), (1.0, 0.38), (0.81, 1.0), (0.19, 1.0), (0.0, 0.38)]),
        "hexagon" => polygon(&[(0.25, 0.0), (0.75, 0.0), (1.0, 0.5), (0.75, 1.0), (0.25, 1.0), (0.0, 0.5)]),
        "octagon" => polygon(&[(0.29, 0.0), (0.71, 0.0), (1.0, 0.29), (1.0, 0.71), (0.71, 1.0), (0.29, 1.0), (0.0, 0.71), (0.0, 0.29)]),
        "right-arrow" => crate::formats::pptx::preset("rightArrow"),
        "left-arrow" => crate::formats::pptx::preset("leftArrow"),
        "up-arrow" => crate::formats::pptx::preset("upArrow"),
        "down-arrow" => crate::formats::pptx::preset("downArrow"),
        "pentagon-right" => crate::formats::pptx::preset("homePlate"),
        "chevron" => crate::formats::pptx::preset("chevron"),
        _ => None,
    }
}

fn view_box(e: &BytesStart<'_>) -> Option<[f32; 4]> {
    let v: Vec<f32> = attr(e, b"viewBox")?.split([' ', ',']).filter_map(|n| n.parse().ok()).collect();
    match v[..] {
        [x, y, w, h] if w > 0.0 && h > 0.0 && [x, y, w, h].iter().all(|n| n.is_finite()) => Some([x, y, w, h]),
        _ => None,
    }
}

/// A point of a view box mapped into a shape's box.
fn map_point((px, py): (f32, f32), [vx, vy, vw, vh]: [f32; 4], [x, y, w, h]: [f32; 4]) -> (f32, f32) {
    (x + (px - vx) / vw * w, y + (py - vy) / vh * h)
}

/// A Bézier path in view-box units, flattened into polylines in page points.
fn flatten(path: &BezPath, view: [f32; 4], rect: [f32; 4]) -> Vec<(Vec<(f32, f32)>, bool)> {
    let mut out: Vec<(Vec<(f32, f32)>, bool)> = Vec::new();
    let mut count = 0;
    let tolerance = (view[2].max(view[3]) / 400.0).max(0.01) as f64;
    vello_cpu::kurbo::flatten(path.elements().iter().copied(), tolerance, |el| {
        count += 1;
        if count > MAX_POINTS {
            return;
        }
        let point = |p: vello_cpu::kurbo::Point| map_point((p.x as f32, p.y as f32), view, rect);
        match el {
            PathEl::MoveTo(p) => out.push((vec![point(p)], false)),
            PathEl::LineTo(p) => {
                if out.is_empty() {
                    out.push((Vec::new(), false));
                }
                if let Some(last) = out.last_mut() {
                    last.0.push(point(p));
                }
            }
            PathEl::ClosePath => {
                if let Some(last) = out.last_mut() {
                    last.1 = true;
                }
            }
            _ => {}
        }
    });
    out
}

/// Renders an ODP or ODG package: one page per draw page.
pub fn render<'d>(job: Job<'d, '_>, format: Format, mut package: Package<'d>) {
    let mut report = job.new_report();
    ooxml::findings(&mut package, &mut report);
    let Ok(content) = package.read("content.xml") else {
        return job.refuse(format, &report.finish(), docsandbox_protocol::FailureKind::Malformed, "the document has no readable content.xml");
    };
    let mut canvas = Canvas::new();
    let mut painter = Painter::new();
    let mut reader = Reader::new(&mut package, &mut canvas);
    reader.deck = Some(Deck::default());
    reader.read(&content);
    let text::Read { styles, deck, figures, mut findings, .. } = reader.finish();
    let deck = deck.unwrap_or_default();
    let mut slides = deck.slides;
    if slides.len() > MAX_SLIDES {
        report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_SLIDES} slides are shown"));
        slides.truncate(MAX_SLIDES);
    }
    let wanted: Vec<u32> = paint::requested_pages(&job.request, slides.len() as u32).collect();
    let mut draw = Drawing::new(&styles, &mut package, &mut painter, &mut canvas);
    for (n, slide) in slides.iter().enumerate() {
        let setup = styles.layout(slide.master.as_deref()).setup;
        let page = draw.canvas.add_page(setup.width, setup.height);
        if !wanted.contains(&(n as u32 + 1)) {
            continue;
        }
        draw.slide(slide, &deck.masters, &deck.decls, page, n + 1);
    }
    if slides.is_empty() {
        // A presentation without slides shows as one blank page of its size, as LibreOffice shows it.
        let setup = styles.layout(None).setup;
        draw.canvas.add_page(setup.width, setup.height);
        report.add(FindingKind::EmptyDocument, "the presentation has no slides");
    }
    text::draw_figures(figures, &mut draw, &mut report, None);
    findings.append(&mut draw.findings);
    for (kind, detail) in findings {
        report.add(kind, &detail);
    }
    job.begin(format, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
}

/// How a shape or background is filled.
enum Fill {
    Solid(Rgb),
    /// From one colour to another (RGBA), or one colour through an opacity gradient.
    Gradient(([u8; 4], [u8; 4]), Gradient),
    Picture(ImageRef, bool),
    /// Hatch lines, over a colour or over what is below.
    Hatch(Option<Rgb>, Hatch),
}

/// What drawing shapes needs: on slides, and in the figures a text document's shapes are
/// drawn in.
pub struct Drawing<'a, 'd> {
    styles: &'a Styles,
    package: &'a mut Package<'d>,
    pub painter: &'a mut Painter,
    pub canvas: &'a mut Canvas,
    /// Fill pictures decoded so far, by path (`None`: it did not decode).
    pictures: HashMap<String, Option<ImageRef>>,
    pub findings: Vec<(FindingKind, String)>,
}

impl<'a, 'd> Drawing<'a, 'd> {
    pub fn new(styles: &'a Styles, package: &'a mut Package<'d>, painter: &'a mut Painter, canvas: &'a mut Canvas) -> Self {
        Drawing { styles, package, painter, canvas, pictures: HashMap::new(), findings: Vec::new() }
    }
}

impl Drawing<'_, '_> {
    /// Draws a text document's shape into the figure reserved for it: the shape was
    /// moved into the figure's own coordinates when it was read ([`Drawn::shift`]).
    /// `place` says where it is, for findings.
    pub fn shape_figure(&mut self, shape: &Drawn, figure: ImageRef, place: &str) {
        if let Some(on) = figure.surface() {
            self.shape(shape, &shape.text, on, place);
        }
    }

    fn note(&mut self, kind: FindingKind, detail: String) {
        if self.findings.len() < 200 && !self.findings.iter().any(|(k, d)| *k == kind && *d == detail) {
            self.findings.push((kind, detail));
        }
    }

    fn slide(&mut self, slide: &Slide, masters: &HashMap<String, (Vec<Drawn>, Option<String>)>, decls: &HashMap<String, String>, page: usize, number: usize) {
        let props = slide.style.as_ref().map(|s| self.styles.merged(Family::DrawingPage, s).graphic).unwrap_or_default();
        let master_name = self.styles.master(slide.master.as_deref()).map(str::to_owned);
        let master = master_name.as_ref().and_then(|m| masters.get(m));
        let master_props = master.and_then(|m| m.1.as_ref()).map(|s| self.styles.merged(Family::DrawingPage, s).graphic).unwrap_or_default();
        if props.hidden == Some(true) {
            self.note(FindingKind::ContentNotShown, format!("slide {number} is hidden in the presentation (it is shown here)"));
        }
        // The slide's own background, else its master's.
        let (w, h) = self.canvas.page_size(page);
        let background = if props.fill.is_some() { &props } else { &master_props };
        match self.fill(background, None) {
            Some(Fill::Solid(color)) => self.canvas.set_background(page, color),
            Some(Fill::Gradient(colors, gradient)) => self.canvas.gradient(page, ShapeKind::Rect, [0.0, 0.0, w, h], colors, gradient),
            Some(Fill::Picture(image, tiled)) => self.picture_fill(page.into(), image, tiled, [0.0, 0.0, w, h]),
            Some(Fill::Hatch(background, hatch)) => {
                if let Some(color) = background {
                    self.canvas.set_background(page, color);
                }
                self.canvas.hatch(page, ShapeKind::Rect, [0.0, 0.0, w, h], hatch);
            }
            None => {}
        }
        let fields = |flow: &[Flow]| -> Vec<Flow> {
            let decl = |i: usize| slide.uses[i].as_ref().and_then(|n| decls.get(n)).cloned().unwrap_or_default();
            let (footer, date, header) = (decl(0), decl(1), decl(2));
            fill_fields(flow, &[(PAGE_FIELD, number.to_string()), (FOOTER_FIELD, footer), (DATE_FIELD, date), (HEADER_FIELD, header)])
        };
        if let Some((shapes, _)) = master {
            // What the slide shows of its master's header, footer, date and number (shown
            // unless it says otherwise, as ODF's defaults are).
            let display = |i: usize| props.display[i].or(master_props.display[i]).unwrap_or(true);
            for shape in shapes {
                let shown = match shape.class.as_deref() {
                    None => !shape.placeholder,
                    Some("header") => display(0),
                    Some("footer") => display(1),
                    Some("date-time") => display(2),
                    Some("page-number") => display(3),
                    Some(_) => false,
                };
                if shown {
                    let text = fields(&shape.text);
                    self.shape(shape, &text, Surface::Page(page), &format!("slide {number}"));
                }
            }
        }
        for shape in slide.shapes.iter().filter(|s| !s.placeholder) {
            let text = fields(&shape.text);
            self.shape(shape, &text, Surface::Page(page), &format!("slide {number}"));
        }
    }

    /// The fill a style gives, if any (`default` when it says none: a shape's is solid).
    fn fill(&mut self, g: &GraphicProps, default: Option<&str>) -> Option<Fill> {
        let named = |name: &Option<String>| name.as_ref().and_then(|n| self.styles.fills.get(n)).cloned();
        let alpha = (g.opacity.unwrap_or(1.0) * 255.0).round() as u8;
        let opacity = g.opacity_gradient.as_ref().and_then(|n| self.styles.fills.get(&opacity_key(n))).cloned();
        let rgba = |[r, g, b]: Rgb, a: u8| [r, g, b, a];
        match g.fill.as_deref().or(default) {
            Some("solid") => {
                let color = g.fill_color.unwrap_or([0x72, 0x9f, 0xcf]);
                match opacity {
                    // A solid colour through an opacity gradient.
                    Some(FillDef::Opacity(from, to, gradient)) => {
                        let a = |o: f32| (o * 255.0).round() as u8;
                        Some(Fill::Gradient((rgba(color, a(from)), rgba(color, a(to))), gradient))
                    }
                    _ => Some(Fill::Solid(color)),
                }
            }
            Some("gradient") => match named(&g.gradient) {
                Some(FillDef::Gradient(a, b, gradient)) => {
                    // With an opacity gradient too, its mean opacity.
                    let alpha = match opacity {
                        Some(FillDef::Opacity(from, to, _)) => ((from + to) / 2.0 * 255.0).round() as u8,
                        _ => alpha,
                    };
                    Some(Fill::Gradient((rgba(a, alpha), rgba(b, alpha)), gradient))
                }
                _ => g.fill_color.map(Fill::Solid),
            },
            // Lines over the fill colour when the hatch is "solid", else over what is below.
            Some("hatch") => match named(&g.hatch) {
                Some(FillDef::Hatch(hatch)) => Some(Fill::Hatch(g.fill_color.filter(|_| g.hatch_solid == Some(true)), hatch)),
                _ => None,
            },
            Some("bitmap") => {
                let Some(FillDef::Image(href)) = named(&g.fill_image) else { return g.fill_color.map(Fill::Solid) };
                let image = self.picture(&href)?;
                Some(Fill::Picture(image, g.repeat.as_deref().is_none_or(|r| r == "repeat")))
            }
            _ => None,
        }
    }

    /// A picture of the package, decoded once.
    fn picture(&mut self, href: &str) -> Option<ImageRef> {
        if href.contains(':') {
            self.note(FindingKind::ContentNotShown, "a picture fill linked from outside the document".into());
            return None;
        }
        let path = href.trim_start_matches("./").to_owned();
        if let Some(known) = self.pictures.get(&path) {
            return *known;
        }
        // Each picture is decoded once, and only so many of them.
        if self.pictures.len() >= MAX_FILL_PICTURES {
            self.note(FindingKind::ContentNotShown, format!("picture fills beyond the first {MAX_FILL_PICTURES}"));
            return None;
        }
        let image = self.package.read(&path).ok().and_then(|bytes| crate::layout::embedded_image::decode(&bytes));
        let image = image.and_then(|d| self.canvas.add_image(d.rgba, d.width, d.height));
        self.pictures.insert(path, image);
        image
    }

    /// A picture over `rect`: stretched, or tiled at its size (96 pixels to the inch).
    fn picture_fill(&mut self, on: Surface, image: ImageRef, tiled: bool, [x, y, w, h]: [f32; 4]) {
        let (tw, th) = (image.width as f32 * 0.75, image.height as f32 * 0.75);
        let tiles = ((w / tw.max(0.1)).ceil() * (h / th.max(0.1)).ceil()) as usize;
        if !tiled || tiles > MAX_TILES || tw <= 0.0 || th <= 0.0 {
            return self.canvas.image(on, image, [x, y, x + w, y + h]);
        }
        self.canvas.clip(on, [x, y, x + w, y + h]);
        let mut ty = y;
        while ty < y + h {
            let mut tx = x;
            while tx < x + w {
                self.canvas.image(on, image, [tx, ty, tx + tw, ty + th]);
                tx += tw;
            }
            ty += th;
        }
        self.canvas.end_clip(on);
    }

    /// Draws one shape on `on` (`text`: its text with the slide's fields filled in;
    /// `place`: where it is, for findings).
    fn shape(&mut self, shape: &Drawn, text: &[Flow], on: Surface, place: &str) {
        let style = shape
            .style
            .as_ref()
            .map(|s| self.styles.merged(Family::Graphic, s))
            .unwrap_or_else(|| self.styles.defaults.get(&Family::Graphic).cloned().unwrap_or_default());
        let g = &style.graphic;
        let [x, y, w, h] = shape.rect;
        let rect = [x, y, x + w, y + h];
        let framed = matches!(shape.geometry, Geometry::Frame);
        // A table's frame is only its place: the table draws its own cells and borders.
        let table = framed && text.iter().any(|f| matches!(f, Flow::Table(_)));
        let stroke: Option<Stroke> = match g.stroke.as_deref() {
            Some("none") => None,
            None if framed => None,
            _ => Some((g.stroke_color.unwrap_or([0, 0, 0]), g.stroke_width.unwrap_or(0.0).max(0.5))),
        };
        let fill = if table { None } else { self.fill(g, if framed { None } else { Some("solid") }) };
        let stroke = stroke.filter(|_| !table);
        let alpha = (g.opacity.unwrap_or(1.0) * 255.0).round() as u8;
        // A turned shape is drawn level inside a turn about its box's top left corner, as
        // ODF places it (turned, then moved): its fill, picture and text turn with it.
        let turned = shape.rotation.abs() > 1e-4 && !matches!(shape.geometry, Geometry::Line(..));
        if turned {
            self.canvas.turn(on, shape.rotation, (x, y), (false, false), rect);
        }
        let (solid, hatch) = match &fill {
            Some(Fill::Solid(c)) => (Some(*c), None),
            Some(Fill::Hatch(background, hatch)) => (*background, Some(*hatch)),
            _ => (None, None),
        };
        let outline = match &shape.geometry {
            Geometry::Frame => Some(ShapeKind::Rect),
            Geometry::Shape(kind) => Some(kind.clone()),
            Geometry::Paths(paths) => area(paths, rect),
            _ => None,
        };
        let filled = fill.is_some() || shape.image.is_some();
        if g.shadow == Some(true) && (filled || stroke.is_some()) {
            self.shadow(g, shape, outline.as_ref(), stroke, filled, on);
        }
        if let (Some(kind), Some(Fill::Gradient(colors, gradient))) = (&outline, &fill) {
            self.canvas.gradient(on, kind.clone(), rect, *colors, *gradient);
        }
        match &shape.geometry {
            Geometry::Frame | Geometry::Shape(_) => {
                if let Some(kind) = &outline {
                    self.canvas.translucent_shape(on, kind.clone(), rect, solid, None, alpha);
                    if let Some(hatch) = hatch {
                        self.canvas.hatch(on, kind.clone(), rect, hatch);
                    }
                    self.canvas.shape(on, kind.clone(), rect, None, stroke);
                }
            }
            Geometry::Line(from, to) => {
                if let Some(stroke) = stroke {
                    self.canvas.line(on, *from, *to, stroke);
                }
            }
            Geometry::Paths(paths) => {
                // A gradient or picture fills the outline (else a gradient's mean colour
                // fills the paths); a colour fills each closed path.
                let path_fill = match (&fill, &outline) {
                    (Some(Fill::Gradient(..)), None) => mean(&fill),
                    (Some(Fill::Gradient(..) | Fill::Picture(..)), Some(_)) => None,
                    _ => solid,
                };
                // The closed paths fill one area together, so that one inside another is a
                // hole (a frame drawn as one path, a ring).
                if let Some(color) = path_fill {
                    let closed: Vec<Vec<(f32, f32)>> = paths.iter().filter(|(_, closed)| *closed).map(|(points, _)| points.clone()).collect();
                    self.canvas.area(on, closed, color, alpha);
                }
                if let (Some(kind), Some(hatch)) = (&outline, hatch) {
                    self.canvas.hatch(on, kind.clone(), rect, hatch);
                }
                for (points, closed) in paths {
                    self.canvas.translucent_path(on, points.clone(), *closed, None, stroke, alpha);
                }
            }
            Geometry::Unknown(kind) => {
                let kind = if kind.is_empty() { "a custom shape" } else { kind };
                self.note(FindingKind::ContentNotShown, format!("{place}: the outline of a shape ({kind})"));
            }
        }
        if let Some(Fill::Picture(image, tiled)) = fill {
            if w > 0.0 && h > 0.0 {
                let clipped = outline.as_ref().filter(|k| !matches!(k, ShapeKind::Rect));
                if let Some(kind) = clipped {
                    self.canvas.clip_shape(on, kind.clone(), rect);
                }
                self.picture_fill(on, image, tiled, shape.rect);
                if clipped.is_some() {
                    self.canvas.end_clip(on);
                }
            }
        }
        if let Some(image) = shape.image {
            self.canvas.image(on, image, rect);
        }
        self.shape_text(g, shape, text, table, on);
        if turned {
            self.canvas.end_transform(on);
        }
    }

    /// A shape's shadow: its outline (its paths, its line) moved by the shadow's offset in
    /// the shadow's colour and opacity, under the shape. LibreOffice's blur is not drawn.
    fn shadow(&mut self, g: &GraphicProps, shape: &Drawn, outline: Option<&ShapeKind>, stroke: Option<Stroke>, filled: bool, on: Surface) {
        // ODF's defaults: 0.2 cm right and down, grey, opaque.
        let (dx, dy) = (g.shadow_offset[0].unwrap_or(5.67), g.shadow_offset[1].unwrap_or(5.67));
        let color = g.shadow_color.unwrap_or([0x80, 0x80, 0x80]);
        let alpha = (g.shadow_opacity.unwrap_or(1.0) * 255.0).round() as u8;
        let [x, y, w, h] = shape.rect;
        let moved = |points: &[(f32, f32)]| points.iter().map(|(px, py)| (px + dx, py + dy)).collect::<Vec<_>>();
        match &shape.geometry {
            Geometry::Line(from, to) => {
                if let Some((_, width)) = stroke {
                    self.canvas.line(on, (from.0 + dx, from.1 + dy), (to.0 + dx, to.1 + dy), (color, width));
                }
            }
            Geometry::Paths(paths) => {
                if filled {
                    let closed: Vec<Vec<(f32, f32)>> = paths.iter().filter(|(_, closed)| *closed).map(|(points, _)| moved(points)).collect();
                    self.canvas.area(on, closed, color, alpha);
                }
                for (points, closed) in paths.iter().filter(|(_, closed)| !*closed || !filled) {
                    if let Some((_, width)) = stroke {
                        self.canvas.path(on, moved(points), *closed, None, Some((color, width)));
                    }
                }
            }
            _ => {
                if let Some(kind) = outline {
                    let moved_rect = [x + dx, y + dy, x + w + dx, y + h + dy];
                    match (filled, stroke) {
                        (true, _) => self.canvas.translucent_shape(on, kind.clone(), moved_rect, Some(color), None, alpha),
                        (false, Some((_, width))) => self.canvas.shape(on, kind.clone(), moved_rect, None, Some((color, width))),
                        (false, None) => {}
                    }
                }
            }
        }
    }

    /// Lays out and places a shape's text in its box (level: a turned shape's caller turns it).
    /// `table`: the text is a table, which draws its own cells and takes no padding.
    fn shape_text(&mut self, g: &GraphicProps, shape: &Drawn, text: &[Flow], table: bool, on: Surface) {
        let [x, y, w, h] = shape.rect;
        if text.iter().all(|f| matches!(f, Flow::Para(b) if b.spans.iter().all(|(t, _)| t.trim().is_empty()))) {
            return;
        }
        // An ellipse's text sits in the rectangle inscribed in it.
        let (x, y, w, h) = match &shape.geometry {
            Geometry::Shape(ShapeKind::Ellipse) => (x + w * 0.146, y + h * 0.146, w * 0.708, h * 0.708),
            _ => (x, y, w, h),
        };
        let pad = |i: usize| if table { 0.0 } else { g.padding[i].unwrap_or(0.0) };
        let (inner_w, inner_h) = ((w - pad(2) - pad(3)).max(4.0), (h - pad(0) - pad(1)).max(0.0));
        let mut laid = paint::lay_out(self.painter, self.canvas, text, inner_w);
        if g.shrink == Some(true) && laid.height > inner_h && inner_h > 0.0 {
            // Shrink the text until it fits: its height goes roughly with the square of the scale.
            let mut scale = 1.0f32;
            for _ in 0..6 {
                if laid.height <= inner_h {
                    break;
                }
                scale *= (inner_h / laid.height).sqrt().clamp(0.3, 0.99);
                laid = paint::lay_out(self.painter, self.canvas, &scaled(text, scale), inner_w);
            }
        }
        let top = match g.vertical.as_deref() {
            Some("middle") => y + pad(0) + (inner_h - laid.height) / 2.0,
            Some("bottom") => y + h - pad(1) - laid.height,
            _ => y + pad(0),
        };
        laid.place(self.canvas, on, x + pad(2), top);
    }
}

/// The area a shape's first closed path outlines, as a polygon in its box `rect`: what a
/// gradient, hatch or picture fills.
fn area(paths: &[(Vec<(f32, f32)>, bool)], [x0, y0, x1, y1]: paint::Box2) -> Option<ShapeKind> {
    let (w, h) = (x1 - x0, y1 - y0);
    let (points, _) = paths.iter().find(|(points, closed)| *closed && points.len() >= 3)?;
    (w > 0.0 && h > 0.0).then(|| ShapeKind::Polygon(points.iter().map(|(x, y)| ((x - x0) / w, (y - y0) / h)).collect()))
}

/// A gradient's mean colour (how a path shows it when it has no closed outline).
fn mean(fill: &Option<Fill>) -> Option<Rgb> {
    match fill {
        Some(Fill::Gradient((a, b), _)) => Some([0, 1, 2].map(|i| ((u16::from(a[i]) + u16::from(b[i])) / 2) as u8)),
        _ => None,
    }
}

/// A flow with its field characters replaced.
fn fill_fields(flow: &[Flow], fields: &[(char, String)]) -> Vec<Flow> {
    let mut flow = flow.to_vec();
    for item in &mut flow {
        if let Flow::Para(block) = item {
            for (text, _) in &mut block.spans {
                if text.contains(|c| fields.iter().any(|(f, _)| *f == c)) {
                    for (field, value) in fields {
                        *text = text.replace(*field, value);
                    }
                }
            }
        }
    }
    flow
}

/// A flow with its text, spacing and indents scaled by `scale` (as LibreOffice shrinks text).
fn scaled(flow: &[Flow], scale: f32) -> Vec<Flow> {
    let block = |b: &paint::Block| {
        let mut b = b.clone();
        for (_, style) in &mut b.spans {
            style.size *= scale;
        }
        if let Some((_, style)) = &mut b.marker {
            style.size *= scale;
        }
        b.space_before *= scale;
        b.space_after *= scale;
        b.indent_left *= scale;
        b.indent_right *= scale;
        b.indent_first *= scale;
        b.line_exact = b.line_exact.map(|l| l * scale);
        b
    };
    flow.iter()
        .map(|item| match item {
            Flow::Para(b) => Flow::Para(block(b)),
            Flow::Table(t) => {
                let mut t = t.clone();
                for cell in t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                    cell.content = cell.content.iter().map(block).collect();
                }
                Flow::Table(t)
            }
            other => other.clone(),
        })
        .collect()
}

/// An angle in degrees: `30deg`, `0.5rad`, `50grad`, or a bare number in tenths of a
/// degree (ODF 1.2).
fn angle(value: &str) -> f32 {
    let v = value.trim();
    let number = |s: &str| s.trim().parse::<f32>().ok().filter(|n| n.is_finite()).unwrap_or(0.0);
    if let Some(d) = v.strip_suffix("deg") {
        number(d)
    } else if let Some(r) = v.strip_suffix("grad") {
        number(r) * 0.9
    } else if let Some(r) = v.strip_suffix("rad") {
        number(r).to_degrees()
    } else {
        number(v) / 10.0
    }
}

/// Reads a named fill (`draw:gradient`, `draw:fill-image`, `draw:hatch`) into `styles`.
pub fn fill_definition(styles: &mut Styles, e: &BytesStart<'_>) {
    let Some(name) = attr(e, b"name") else { return };
    let color = |n: &[u8]| attr(e, n).and_then(|v| super::styles::color(&v));
    let percent = |n: &[u8], default: f32| {
        attr(e, n).and_then(|v| v.trim().trim_end_matches('%').parse::<f32>().ok()).filter(|v| v.is_finite()).unwrap_or(default) / 100.0
    };
    let shape = |border: f32| match attr(e, b"style").as_deref() {
        Some("radial" | "ellipsoid" | "square" | "rectangular") => Gradient::Radial { cx: percent(b"cx", 50.0), cy: percent(b"cy", 50.0), border },
        style => Gradient::Linear { angle: attr(e, b"angle").map_or(0.0, |a| angle(&a)), axial: style == Some("axial"), border },
    };
    let local = e.local_name();
    let (key, def) = match local.as_ref().as_bytes() {
        b"opacity" => (
            opacity_key(&name),
            FillDef::Opacity(percent(b"start", 0.0).clamp(0.0, 1.0), percent(b"end", 100.0).clamp(0.0, 1.0), shape(percent(b"border", 0.0))),
        ),
        b"gradient" => {
            // Each colour at its intensity.
            let color = |c: &[u8], i: &[u8], default: Rgb| {
                let intensity = attr(e, i).and_then(|v| v.trim().trim_end_matches('%').parse::<f32>().ok()).filter(|v| v.is_finite()).unwrap_or(100.0);
                color(c).unwrap_or(default).map(|v| (f32::from(v) * intensity.clamp(0.0, 100.0) / 100.0) as u8)
            };
            let gradient = shape(percent(b"border", 0.0));
            (name, FillDef::Gradient(color(b"start-color", b"start-intensity", [0, 0, 0]), color(b"end-color", b"end-intensity", [255, 255, 255]), gradient))
        }
        b"fill-image" => match attr(e, b"href") {
            Some(href) => (name, FillDef::Image(href)),
            None => return,
        },
        _ => {
            let crossings = match attr(e, b"style").as_deref() {
                Some("double") => 2,
                Some("triple") => 3,
                _ => 1,
            };
            let distance = attr(e, b"distance").and_then(|v| super::styles::length(&v)).unwrap_or(2.835);
            let angle = attr(e, b"rotation").map_or(0.0, |a| angle(&a));
            // LibreOffice keeps hatch lines at least a fifth of a millimetre apart.
            (name, FillDef::Hatch(Hatch { color: color(b"color").unwrap_or([0, 0, 0]), distance: distance.max(0.567), angle, crossings }))
        }
    };
    if styles.fills.len() < super::styles::MAX_STYLES {
        styles.fills.insert(key, def);
    }
}

/// The key of an opacity gradient among the named fills (its names are a namespace of
/// their own).
fn opacity_key(name: &str) -> String {
    format!("\u{0}opacity:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_paths_map_from_their_view_box_into_the_shape() {
        let enhanced = Enhanced { view: [0.0, 0.0, 21600.0, 21600.0], path: "M 0 0 L 21600 0 21600 21600 Z N".into(), ..Default::default() };
        let (path, view) = enhanced.evaluate((100.0, 50.0)).unwrap();
        let polys = flatten(&path, view, [10.0, 10.0, 100.0, 50.0]);
        assert_eq!(polys, vec![(vec![(10.0, 10.0), (110.0, 10.0), (110.0, 60.0)], true)]);
        let broken = |path: &str| Enhanced { view: [0.0, 0.0, 10.0, 10.0], path: path.into(), ..Default::default() }.evaluate((10.0, 10.0));
        assert!(broken("M ?f0 0 L 10 10").is_none());
        assert!(broken("M 0 0 L 10").is_none());
        assert!(broken("").is_none());
    }
}
