//! PPTX: one page per slide at the slide size. Shapes come from the slide, its layout and
//! its master (master and layout decorations drawn first; placeholders without a position
//! take it from the layout or master placeholder they stand for). Drawn: backgrounds,
//! preset shapes (rectangles, rounded rectangles, ellipses, triangles, arrows, lines with
//! arrowheads) with fill and outline, text with its fonts, sizes, colours, alignment,
//! bullets and autofit scale (inherited through list styles: the shape's, its layout's and
//! master's placeholders', the master's text styles), cropped pictures, tables with their
//! table styles, and group transforms. Theme colours and fonts are resolved.
//!
//! The parts: [`model`] (what is read), [`parse`] (the element-stack reader of slide,
//! layout and master parts, and theme colours), [`draw`] (shapes onto the page); this
//! file walks the slides and their layout and master chains.

mod draw;
mod geometry;
mod model;
mod parse;
pub(crate) mod ppt;
mod table;

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, FindingKind, Format};
use quick_xml::events::Event;

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Canvas, Painter};
use crate::ooxml::package::Package;
use crate::ooxml::{self, attr};
use crate::report::Report;
use draw::Drawing;
pub(crate) use geometry::preset;
use model::{PartModel, ShapeModel, TextStyles};
use parse::{parse_part, EMU_PER_POINT};

/// Most slides rendered; more are cut and reported.
const MAX_SLIDES: usize = 2_000;
/// Most images decoded from one presentation.
const MAX_IMAGES: usize = 300;

/// Renders a PPTX package: report first, then one page per slide.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let request = job.request;
    let mut package = match input.package(request.document) {
        Ok(package) => package,
        Err(e) => return job.refuse_package(Format::Pptx, &e),
    };
    let mut report = Report::new(request.max_report_bytes);
    ooxml::findings(&mut package, &mut report);
    let presentation = match package.read("ppt/presentation.xml") {
        Ok(xml) => xml,
        Err(e) => {
            return job.refuse(Format::Pptx, &report.finish(), FailureKind::Malformed, &ooxml::describe(&e));
        }
    };
    let rels = package.read("ppt/_rels/presentation.xml.rels").map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
    let (size, slide_ids) = slide_list(&presentation);
    let mut slides: Vec<String> = slide_ids.iter().filter_map(|id| rels.get(id)).map(|t| ooxml::resolve_target("ppt/", t)).collect();
    if slides.len() > MAX_SLIDES {
        report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_SLIDES} slides are shown"));
        slides.truncate(MAX_SLIDES);
    }
    let theme_xml = rels.values().find(|t| t.contains("theme/")).and_then(|t| package.read(&ooxml::resolve_target("ppt/", t)).ok());
    let theme = theme_xml.as_deref().map(ooxml::color::theme_colors).unwrap_or_default();
    let fonts = theme_xml.as_deref().map(ooxml::fonts::parse_theme).unwrap_or_default();
    let table_styles = rels
        .values()
        .find(|t| t.ends_with("tableStyles.xml"))
        .and_then(|t| package.read(&ooxml::resolve_target("ppt/", t)).ok())
        .map(|x| table::parse_styles(&x, &theme))
        .unwrap_or_default();
    let wanted: Vec<u32> = paint::requested_pages(&request, slides.len() as u32).collect();
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let mut images = 0usize;
    let mut parts: HashMap<String, std::rc::Rc<(PartModel, TextStyles)>> = HashMap::new();
    for (number, slide_path) in slides.iter().enumerate() {
        let page = canvas.add_page(size.0, size.1);
        if !wanted.contains(&(number as u32 + 1)) {
            continue;
        }
        let Some(slide) = load_part(&mut package, slide_path, &theme) else { continue };
        // The slide's layout, and the layout's master (cached: slides share them).
        let mut chain = Vec::new();
        let mut rels_of = slide.0.rels.clone();
        let mut base = slide.0.base.clone();
        for _ in 0..2 {
            let Some(target) = rels_of.values().find(|t| t.contains("slideLayout") || t.contains("slideMaster")).cloned() else { break };
            let path = ooxml::resolve_target(&base, &target);
            let part = match parts.get(&path) {
                Some(p) => p.clone(),
                None => {
                    let Some(p) = load_part(&mut package, &path, &theme) else { break };
                    let p = std::rc::Rc::new(p);
                    parts.insert(path.clone(), p.clone());
                    p
                }
            };
            rels_of = part.0.rels.clone();
            base = part.0.base.clone();
            chain.push(part);
        }
        let styles = chain.last().map(|p| &p.1);
        let default_styles = TextStyles::default();
        let styles = styles.unwrap_or(&default_styles);
        let mut missing = Vec::new();
        let mut ctx = Drawing {
            painter: &mut painter,
            canvas: &mut canvas,
            page: page.into(),
            package: Some(&mut package),
            images: &mut images,
            styles,
            theme: &theme,
            fonts: &fonts,
            table_styles: &table_styles,
            missing: &mut missing,
        };
        let chain: Vec<&PartModel> = chain.iter().map(|p| &p.0).collect();
        draw_slide(&mut ctx, page, size, &slide.0, &chain);
        for what in missing {
            report.add(FindingKind::ContentNotShown, &format!("slide {}: {what}", number + 1));
        }
    }
    if slides.is_empty() {
        // A presentation with no slides (a template, a deck of masters) shows as PowerPoint
        // and LibreOffice show it: one blank slide, not an error.
        canvas.add_page(size.0, size.1);
        report.add(FindingKind::EmptyDocument, "the presentation has no slides");
    }
    job.begin(Format::Pptx, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
}

/// Draws one slide over its chain (layout, then master): the slide's background, else the
/// nearest one's (a colour, a gradient drawn over its mean colour, or a picture); master,
/// then layout decorations unless the slide hides them; then the slide's own shapes, each
/// placeholder with what it inherits.
fn draw_slide(ctx: &mut Drawing, page: usize, size: (f32, f32), slide: &PartModel, chain: &[&PartModel]) {
    let owner = std::iter::once(slide).chain(chain.iter().copied()).find(|p| p.background.is_some() || p.background_image.is_some());
    ctx.canvas.set_background(page, owner.and_then(|p| p.background).unwrap_or([255, 255, 255]));
    if let Some(((a, b), gradient)) = owner.and_then(|p| p.background_gradient) {
        ctx.canvas.gradient(page, paint::ShapeKind::Rect, [0.0, 0.0, size.0, size.1], (draw::opaque(a), draw::opaque(b)), gradient);
    }
    if let Some(hatch) = owner.and_then(|p| p.background_pattern) {
        ctx.canvas.hatch(page, paint::ShapeKind::Rect, [0.0, 0.0, size.0, size.1], hatch);
    }
    if let Some((rid, owner)) = owner.and_then(|p| p.background_image.as_ref().map(|rid| (rid, p))) {
        if let Some(image) = ctx.image(rid, owner, Some(size)) {
            ctx.background_picture(image, owner.background_tiled, size);
        }
    }
    if slide.show_master_shapes {
        for part in chain.iter().rev() {
            for shape in part.shapes.iter().filter(|s| s.placeholder.is_none()) {
                ctx.shape(shape, None, part);
            }
        }
    }
    for shape in &slide.shapes {
        let inherited = shape.placeholder.as_ref().and_then(|ph| inherit(placeholder_chain(chain, ph).into_iter()));
        ctx.shape(shape, inherited.as_ref(), slide);
    }
}

/// Draws a SmartArt diagram's cached drawing part at `path` into `figure` (for the formats
/// other than PPTX that hold diagrams). False when it cannot be read.
pub(crate) fn draw_diagram(
    package: &mut Package,
    path: &str,
    theme: &ooxml::color::Theme,
    painter: &mut Painter,
    canvas: &mut Canvas,
    figure: paint::ImageRef,
) -> bool {
    on_figure(package, theme, &TextStyles::default(), painter, canvas, figure, |ctx| ctx.diagram_part(path, (0.0, 0.0))).unwrap_or(false)
}

/// Draws one DrawingML shape (`sp` or `cxnSp` XML, as a sheet's drawing part holds it)
/// stretched over `figure` of `size` points, with its style, fill, outline and text. False
/// when nothing in `xml` is a shape.
pub(crate) fn draw_shape(
    package: &mut Package,
    xml: &[u8],
    theme: &ooxml::color::Theme,
    painter: &mut Painter,
    canvas: &mut Canvas,
    figure: paint::ImageRef,
    (width, height): (f32, f32),
) -> bool {
    let mut part = PartModel { show_master_shapes: true, ..Default::default() };
    let styles = parse_part(xml, theme, &mut part);
    let shapes = std::mem::take(&mut part.shapes);
    if shapes.is_empty() {
        return false;
    }
    on_figure(package, theme, &styles, painter, canvas, figure, |ctx| {
        for mut shape in shapes {
            shape.diagram = None;
            // The anchor decides where the shape is; its own offset is the sheet's, not the figure's.
            shape.frame = Some([0.0, 0.0, width, height]);
            ctx.shape(&shape, None, &part);
        }
        true
    })
    .unwrap_or(false)
}

/// Runs `draw` with a drawing onto `figure`, for a format other than PPTX: with the text
/// styles `styles`, Office's default theme fonts and no table styles; what it cannot show
/// is left to the caller's own placeholder. `None` when `figure` is a decoded image.
fn on_figure<R>(
    package: &mut Package,
    theme: &ooxml::color::Theme,
    styles: &TextStyles,
    painter: &mut Painter,
    canvas: &mut Canvas,
    figure: paint::ImageRef,
    draw: impl FnOnce(&mut Drawing) -> R,
) -> Option<R> {
    let on = figure.surface()?;
    let (mut images, mut missing) = (0usize, Vec::new());
    let mut ctx = Drawing {
        painter,
        canvas,
        page: on,
        package: Some(package),
        images: &mut images,
        styles,
        theme,
        fonts: &ooxml::fonts::ThemeFonts::default(),
        table_styles: &table::Styles::new(),
        missing: &mut missing,
    };
    Some(draw(&mut ctx))
}

/// What a slide placeholder inherits: the layout's placeholder, with what it leaves unset
/// (position, geometry, fill, anchor) taken from the master's.
fn inherit<'a>(mut chain: impl Iterator<Item = &'a ShapeModel>) -> Option<ShapeModel> {
    let mut merged = chain.next()?.clone();
    for more in chain {
        merged.frame = merged.frame.or(more.frame);
        merged.geometry = merged.geometry.or_else(|| more.geometry.clone());
        if merged.fill.is_none() {
            merged.fill = more.fill;
            merged.gradient = more.gradient;
        }
        merged.anchor = merged.anchor.or_else(|| more.anchor.clone());
        merged.list_style = model::list_over(&merged.list_style, &more.list_style);
        for (inset, more) in merged.insets.iter_mut().zip(more.insets) {
            *inset = inset.or(more);
        }
    }
    Some(merged)
}

/// The placeholders a slide placeholder stands for along `chain`: the layout's of the same
/// index (else type), then the master's of the type the layout's has, as PowerPoint matches
/// them (a master's indices are its own: its date placeholder may share an index with a
/// layout's second content placeholder).
fn placeholder_chain<'a>(chain: &[&'a PartModel], ph: &(String, Option<String>)) -> Vec<&'a ShapeModel> {
    let mut found = Vec::new();
    let mut wanted = ph.clone();
    for (i, part) in chain.iter().enumerate() {
        let hit = if i == 0 { find_placeholder(part, &wanted) } else { find_placeholder(part, &(wanted.0.clone(), None)) };
        if let Some(shape) = hit {
            if let Some(kind) = &shape.placeholder {
                wanted = kind.clone();
            }
            found.push(shape);
        }
    }
    found
}

/// The placeholder of a layout or master that a slide placeholder stands for: same index,
/// else same type.
fn find_placeholder<'a>(part: &'a PartModel, (kind, idx): &(String, Option<String>)) -> Option<&'a ShapeModel> {
    let phs = || part.shapes.iter().filter_map(|s| s.placeholder.as_ref().map(|p| (p, s)));
    idx.as_ref()
        .and_then(|idx| phs().find(|(p, _)| p.1.as_ref() == Some(idx)).map(|(_, s)| s))
        .or_else(|| phs().find(|(p, _)| same_kind(&p.0, kind)).map(|(_, s)| s))
}

fn same_kind(a: &str, b: &str) -> bool {
    let norm = |k: &str| {
        match k {
            "ctrTitle" => "title",
            "subTitle" | "obj" | "" => "body",
            other => other,
        }
        .to_owned()
    };
    norm(a) == norm(b)
}

/// Slide size (points) and slide relationship ids in order.
fn slide_list(xml: &[u8]) -> ((f32, f32), Vec<String>) {
    let mut size = (720.0, 540.0);
    let mut ids = Vec::new();
    let mut reader = ooxml::reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"sldSz" => {
                    let emu = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<f32>().ok()).map(|v| (v / EMU_PER_POINT).clamp(72.0, 4000.0));
                    size = (emu(b"cx").unwrap_or(size.0), emu(b"cy").unwrap_or(size.1));
                }
                b"sldId" => {
                    // `id` is the slide's number; the prefixed `r:id` names its part.
                    if let Some(id) = e.attributes().flatten().find(|a| a.key.as_ref().ends_with(":id")) {
                        ids.push(id.value.clone().into_owned());
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    (size, ids)
}

/// Reads a slide, layout or master part.
fn load_part(package: &mut Package, path: &str, theme: &ooxml::color::Theme) -> Option<(PartModel, TextStyles)> {
    let xml = package.read(path).ok()?;
    let rels = package.read(&ooxml::rels_name(path)).map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
    let base = path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let mut part = PartModel { rels, base, show_master_shapes: true, ..Default::default() };
    let styles = parse_part(&xml, theme, &mut part);
    Some((part, styles))
}
