//! PPTX: one page per slide at the slide size. Shapes come from the slide, its layout and
//! its master (master and layout decorations drawn first; placeholders without a position
//! take it from the layout or master placeholder they stand for). Drawn: backgrounds,
//! preset shapes (rectangles, rounded rectangles, ellipses, triangles, arrows, lines) with
//! fill and outline, text with its fonts, sizes, colours, alignment, bullets and autofit
//! scale, pictures, tables, and group transforms. Theme colours are resolved.

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, FindingKind, Format};
use quick_xml::events::{BytesStart, Event};

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Align, Block, Canvas, ImageRef, Painter, Rgb, ShapeKind, SpanStyle, Stroke};
use crate::ooxml::package::Package;
use crate::ooxml::{self, attr};
use crate::report::Report;

const EMU_PER_POINT: f32 = 12_700.0;
/// Most slides rendered; more are cut and reported.
const MAX_SLIDES: usize = 2_000;
/// Most shapes read from one slide, layout or master.
const MAX_SHAPES: usize = 5_000;
/// Most images decoded from one presentation.
const MAX_IMAGES: usize = 300;

/// A shape's frame in points: x, y, width, height.
type Frame = [f32; 4];

/// A paragraph of a text body, before its defaults are known.
#[derive(Debug, Clone, Default)]
struct Para {
    runs: Vec<(String, RunLook)>,
    align: Option<Align>,
    level: usize,
    bullet: Option<Option<String>>,
}

/// Run properties as written (unset until inherited).
#[derive(Debug, Clone, Default)]
struct RunLook {
    size: Option<f32>,
    bold: Option<bool>,
    italic: Option<bool>,
    underline: bool,
    strike: bool,
    color: Option<Rgb>,
    font: Option<String>,
}

/// One shape read from a shape tree.
#[derive(Debug, Clone, Default)]
struct ShapeModel {
    /// Placeholder type ("title", "body"...) and index.
    placeholder: Option<(String, Option<String>)>,
    frame: Option<Frame>,
    geometry: Option<String>,
    fill: Option<Rgb>,
    line: Option<Stroke>,
    no_line: bool,
    paragraphs: Vec<Para>,
    anchor: Option<String>,
    font_scale: f32,
    image: Option<String>,
    table: Option<TableModel>,
}

/// A table cell: its paragraphs and fill.
type CellModel = (Vec<Para>, Option<Rgb>);

/// A table: column widths and rows (least height, cells), in points.
#[derive(Debug, Clone, Default)]
struct TableModel {
    columns: Vec<f32>,
    rows: Vec<(f32, Vec<CellModel>)>,
}

/// A slide, layout or master part: its shapes, background and relationships.
#[derive(Default)]
struct PartModel {
    shapes: Vec<ShapeModel>,
    background: Option<Rgb>,
    rels: HashMap<String, String>,
    base: String,
    show_master_shapes: bool,
}

/// Text defaults from the master's text styles: sizes and colours per level.
#[derive(Default)]
struct TextStyles {
    title: (Option<f32>, Option<Rgb>),
    body: Vec<(Option<f32>, Option<Rgb>)>,
    other: Option<f32>,
}

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
    let theme = rels
        .values()
        .find(|t| t.contains("theme/"))
        .and_then(|t| package.read(&ooxml::resolve_target("ppt/", t)).ok())
        .map(|x| theme_colors(&x))
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
        let background = slide.0.background.or_else(|| chain.iter().find_map(|p| p.0.background)).unwrap_or([255, 255, 255]);
        canvas.set_background(page, background);
        let mut ctx = Drawing { painter: &mut painter, canvas: &mut canvas, page, package: &mut package, images: &mut images, styles };
        // Master, then layout decorations, unless the slide hides them.
        if slide.0.show_master_shapes {
            for part in chain.iter().rev() {
                for shape in part.0.shapes.iter().filter(|s| s.placeholder.is_none()) {
                    ctx.shape(shape, None, &part.0);
                }
            }
        }
        for shape in &slide.0.shapes {
            let inherited = shape.placeholder.as_ref().and_then(|ph| chain.iter().find_map(|p| find_placeholder(&p.0, ph)));
            ctx.shape(shape, inherited, &slide.0);
        }
    }
    if slides.is_empty() {
        // A presentation with no slides (a template, a deck of masters) shows as PowerPoint
        // and LibreOffice show it: one blank slide, not an error.
        canvas.add_page(size.0, size.1);
    }
    job.begin(Format::Pptx, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
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

/// Scheme colour name -> colour, from a theme part.
fn theme_colors(xml: &[u8]) -> HashMap<String, Rgb> {
    let mut colors = HashMap::new();
    let mut reader = ooxml::reader(xml);
    let mut current: Option<String> = None;
    let mut in_scheme = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref().as_bytes() == b"clrScheme" => in_scheme = true,
            Ok(Event::End(e)) if e.local_name().as_ref().as_bytes() == b"clrScheme" => break,
            Ok(Event::Start(e)) if in_scheme => current = Some(String::from_utf8_lossy(e.local_name().as_ref().as_bytes()).into_owned()),
            Ok(Event::Empty(e)) if in_scheme => {
                let value = match e.local_name().as_ref().as_bytes() {
                    b"srgbClr" => attr(&e, b"val"),
                    b"sysClr" => attr(&e, b"lastClr"),
                    _ => None,
                };
                if let (Some(name), Some(rgb)) = (current.clone(), value.and_then(|v| ooxml::hex_color(&v))) {
                    colors.insert(name, rgb);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    for (alias, name) in [("tx1", "dk1"), ("bg1", "lt1"), ("tx2", "dk2"), ("bg2", "lt2")] {
        if let Some(c) = colors.get(name).copied() {
            colors.insert(alias.into(), c);
        }
    }
    colors
}

/// Reads a slide, layout or master part.
fn load_part(package: &mut Package, path: &str, theme: &HashMap<String, Rgb>) -> Option<(PartModel, TextStyles)> {
    let xml = package.read(path).ok()?;
    let rels = package.read(&ooxml::rels_name(path)).map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
    let base = path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let mut part = PartModel { rels, base, show_master_shapes: true, ..Default::default() };
    let styles = parse_part(&xml, theme, &mut part);
    Some((part, styles))
}

/// Where a colour element is: which property of the shape or run it sets.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ColorTarget {
    Fill,
    Line,
    Run,
    Background,
    Cell,
    Style,
    /// A colour we do not use (cell border lines, gradients...).
    Ignored,
}

/// A group's mapping from child coordinates to its parent's.
#[derive(Clone, Copy)]
struct GroupTransform {
    off: (f32, f32),
    ext: (f32, f32),
    ch_off: (f32, f32),
    ch_ext: (f32, f32),
}

impl GroupTransform {
    fn apply(&self, [x, y, w, h]: Frame) -> Frame {
        let sx = if self.ch_ext.0 > 0.0 { self.ext.0 / self.ch_ext.0 } else { 1.0 };
        let sy = if self.ch_ext.1 > 0.0 { self.ext.1 / self.ch_ext.1 } else { 1.0 };
        [self.off.0 + (x - self.ch_off.0) * sx, self.off.1 + (y - self.ch_off.1) * sy, w * sx, h * sy]
    }
}

/// Reads the shape tree, background and (for a master) text styles of a part.
fn parse_part(xml: &[u8], theme: &HashMap<String, Rgb>, part: &mut PartModel) -> TextStyles {
    let mut styles = TextStyles::default();
    let mut reader = ooxml::reader(xml);
    let mut shape: Option<ShapeModel> = None;
    let mut groups: Vec<Option<GroupTransform>> = Vec::new();
    let mut pending_group: Option<GroupTransform> = None;
    let mut in_group_props = false;
    let mut color_target: Vec<ColorTarget> = Vec::new();
    let (mut in_text, mut in_sppr, mut in_ln, mut in_rpr, mut in_bg, mut in_xfrm) = (false, false, false, false, false, false);
    let mut in_cell_line = false;
    let mut off = (0.0, 0.0);
    let mut para: Option<Para> = None;
    let mut run: Option<(String, RunLook)> = None;
    let mut style_level: Option<(bool, usize)> = None; // (title?, level) inside txStyles
    let mut in_tx_styles = false;
    let mut table: Option<TableModel> = None;
    let mut cell: Option<(Vec<Para>, Option<Rgb>)> = None;
    let emu = |e: &BytesStart<'_>, k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| v / EMU_PER_POINT);
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                match e.local_name().as_ref().as_bytes() {
                    b"grpSp" if !empty => {
                        groups.push(None);
                    }
                    b"grpSpPr" if !empty => {
                        in_group_props = true;
                        pending_group = Some(GroupTransform { off: (0.0, 0.0), ext: (0.0, 0.0), ch_off: (0.0, 0.0), ch_ext: (0.0, 0.0) });
                    }
                    b"sp" | b"pic" | b"graphicFrame" | b"cxnSp" if !empty && shape.is_none() => {
                        shape = Some(ShapeModel { font_scale: 1.0, ..Default::default() });
                    }
                    b"ph" => {
                        if let Some(s) = shape.as_mut() {
                            s.placeholder = Some((attr(e, b"type").unwrap_or_default(), attr(e, b"idx")));
                        }
                    }
                    b"cSld" => {}
                    b"sldLayout" | b"sld" => part.show_master_shapes = attr(e, b"showMasterSp").is_none_or(|v| v != "0"),
                    b"bg" if !empty => in_bg = true,
                    b"spPr" if !empty => in_sppr = true,
                    b"xfrm" if !empty => in_xfrm = true,
                    b"off" if in_xfrm || in_group_props => off = (emu(e, b"x").unwrap_or(0.0), emu(e, b"y").unwrap_or(0.0)),
                    b"ext" if in_xfrm || in_group_props => {
                        let ext = (emu(e, b"cx").unwrap_or(0.0).max(0.0), emu(e, b"cy").unwrap_or(0.0).max(0.0));
                        if in_group_props && shape.is_none() {
                            if let Some(g) = pending_group.as_mut() {
                                g.off = off;
                                g.ext = ext;
                            }
                        } else if let Some(s) = shape.as_mut() {
                            let frame = [off.0, off.1, ext.0, ext.1];
                            s.frame = Some(groups.iter().rev().flatten().fold(frame, |f, g| g.apply(f)));
                        }
                    }
                    b"chOff" if in_group_props => {
                        if let Some(g) = pending_group.as_mut() {
                            g.ch_off = (emu(e, b"x").unwrap_or(0.0), emu(e, b"y").unwrap_or(0.0));
                        }
                    }
                    b"chExt" if in_group_props => {
                        if let Some(g) = pending_group.as_mut() {
                            g.ch_ext = (emu(e, b"cx").unwrap_or(0.0), emu(e, b"cy").unwrap_or(0.0));
                        }
                    }
                    b"prstGeom" => {
                        if let Some(s) = shape.as_mut() {
                            s.geometry = attr(e, b"prst");
                        }
                    }
                    b"ln" if !empty && (in_sppr || cell.is_some()) => {
                        in_ln = true;
                        if let Some(s) = shape.as_mut() {
                            // The colour arrives in a child element; a negative width marks
                            // an outline whose colour is not known yet.
                            let width = emu(e, b"w").unwrap_or(0.75).clamp(0.1, 50.0);
                            s.line = Some(([0, 0, 0], -width));
                            s.no_line = false;
                        }
                    }
                    b"lnL" | b"lnR" | b"lnT" | b"lnB" | b"lnTlToBr" | b"lnBlToTr" if !empty => in_cell_line = true,
                    b"noFill" if in_ln => {
                        if let Some(s) = shape.as_mut() {
                            s.no_line = true;
                        }
                    }
                    b"solidFill" if !empty => {
                        let target = if in_cell_line {
                            ColorTarget::Ignored
                        } else if in_bg {
                            ColorTarget::Background
                        } else if in_ln {
                            ColorTarget::Line
                        } else if in_rpr || style_level.is_some() {
                            if style_level.is_some() && run.is_none() {
                                ColorTarget::Style
                            } else {
                                ColorTarget::Run
                            }
                        } else if cell.is_some() && !in_text {
                            ColorTarget::Cell
                        } else {
                            ColorTarget::Fill
                        };
                        color_target.push(target);
                    }
                    b"srgbClr" | b"schemeClr" | b"sysClr" if !color_target.is_empty() => {
                        let rgb = match e.local_name().as_ref().as_bytes() {
                            b"srgbClr" => attr(e, b"val").and_then(|v| ooxml::hex_color(&v)),
                            b"sysClr" => attr(e, b"lastClr").and_then(|v| ooxml::hex_color(&v)),
                            _ => attr(e, b"val").and_then(|v| theme.get(&v).copied()),
                        };
                        if let Some(rgb) = rgb {
                            match color_target.last().copied() {
                                Some(ColorTarget::Background) => part.background = Some(rgb),
                                Some(ColorTarget::Line) => {
                                    if let Some(s) = shape.as_mut() {
                                        let width = s.line.map_or(0.75, |l| l.1.abs());
                                        s.line = Some((rgb, width));
                                    }
                                }
                                Some(ColorTarget::Run) => {
                                    if let Some(r) = run.as_mut() {
                                        r.1.color = Some(rgb);
                                    }
                                }
                                Some(ColorTarget::Style) => match style_level {
                                    Some((true, _)) => styles.title.1 = Some(rgb),
                                    Some((false, level)) => {
                                        if let Some(l) = styles.body.get_mut(level) {
                                            l.1 = Some(rgb);
                                        }
                                    }
                                    None => {}
                                },
                                Some(ColorTarget::Cell) => {
                                    if let Some(c) = cell.as_mut() {
                                        c.1 = Some(rgb);
                                    }
                                }
                                Some(ColorTarget::Fill) => {
                                    if let Some(s) = shape.as_mut() {
                                        s.fill = Some(rgb);
                                    }
                                }
                                Some(ColorTarget::Ignored) | None => {}
                            }
                        }
                    }
                    b"bodyPr" => {
                        if let Some(s) = shape.as_mut() {
                            s.anchor = attr(e, b"anchor").or(s.anchor.take());
                        }
                    }
                    b"normAutofit" => {
                        if let Some(s) = shape.as_mut() {
                            s.font_scale = attr(e, b"fontScale").and_then(|v| v.parse::<f32>().ok()).map_or(1.0, |v| (v / 100_000.0).clamp(0.1, 1.0));
                        }
                    }
                    b"blip" => {
                        if let Some(s) = shape.as_mut() {
                            s.image = attr(e, b"embed");
                        }
                    }
                    b"txStyles" => in_tx_styles = true,
                    b"titleStyle" if in_tx_styles => style_level = Some((true, 0)),
                    b"bodyStyle" if in_tx_styles => style_level = Some((false, 0)),
                    b"otherStyle" if in_tx_styles => style_level = None,
                    b"tbl" => table = Some(TableModel::default()),
                    b"gridCol" => {
                        if let Some(t) = table.as_mut() {
                            t.columns.push(emu(e, b"w").unwrap_or(72.0).clamp(1.0, 4000.0));
                        }
                    }
                    b"tr" => {
                        if let Some(t) = table.as_mut() {
                            t.rows.push((emu(e, b"h").unwrap_or(20.0).clamp(1.0, 4000.0), Vec::new()));
                        }
                    }
                    b"tc" if !empty => cell = Some((Vec::new(), None)),
                    b"p" if !empty && shape.is_some() => para = Some(Para::default()),
                    b"pPr" => {
                        if let Some(p) = para.as_mut() {
                            p.align = match attr(e, b"algn").as_deref() {
                                Some("ctr") => Some(Align::Center),
                                Some("r") => Some(Align::End),
                                Some("just" | "dist") => Some(Align::Justify),
                                Some(_) => Some(Align::Start),
                                None => None,
                            };
                            p.level = attr(e, b"lvl").and_then(|v| v.parse().ok()).unwrap_or(0usize).min(8);
                        }
                    }
                    b"buNone" => {
                        if let Some(p) = para.as_mut() {
                            p.bullet = Some(None);
                        }
                    }
                    b"buChar" => {
                        if let Some(p) = para.as_mut() {
                            p.bullet = Some(attr(e, b"char"));
                        }
                    }
                    b"buAutoNum" => {
                        if let Some(p) = para.as_mut() {
                            p.bullet = Some(Some("•".into()));
                        }
                    }
                    b"r" | b"fld" if !empty && para.is_some() => run = Some((String::new(), RunLook::default())),
                    b"br" => {
                        if let Some(p) = para.as_mut() {
                            p.runs.push(("\n".into(), RunLook::default()));
                        }
                    }
                    b"rPr" | b"defRPr" | b"endParaRPr" => {
                        let size = attr(e, b"sz").and_then(|v| v.parse::<f32>().ok()).map(|v| (v / 100.0).clamp(1.0, 400.0));
                        if let Some(r) = run.as_mut().filter(|_| e.local_name().as_ref().as_bytes() == b"rPr") {
                            r.1.size = size;
                            r.1.bold = attr(e, b"b").map(|v| v == "1" || v == "true");
                            r.1.italic = attr(e, b"i").map(|v| v == "1" || v == "true");
                            r.1.underline = attr(e, b"u").is_some_and(|v| v != "none");
                            r.1.strike = attr(e, b"strike").is_some_and(|v| v != "noStrike");
                        } else if let (Some((title, level)), b"defRPr") = (style_level, e.local_name().as_ref().as_bytes()) {
                            if title {
                                styles.title.0 = size.or(styles.title.0);
                            } else {
                                while styles.body.len() <= level {
                                    styles.body.push((None, None));
                                }
                                styles.body[level].0 = size.or(styles.body[level].0);
                            }
                        } else if in_tx_styles && style_level.is_none() {
                            styles.other = size.or(styles.other);
                        }
                        in_rpr = !empty && run.is_some();
                    }
                    name if style_level.is_some() && name.len() == 8 && name.starts_with(b"lvl") && name.ends_with(b"pPr") => {
                        let level = usize::from(name[3].saturating_sub(b'1')).min(8);
                        if let Some((title, _)) = style_level {
                            style_level = Some((title, level));
                        }
                    }
                    b"latin" | b"ea" if in_rpr => {
                        if let Some(r) = run.as_mut() {
                            if r.1.font.is_none() || e.local_name().as_ref().as_bytes() == b"latin" {
                                r.1.font = attr(e, b"typeface").filter(|t| !t.starts_with('+'));
                            }
                        }
                    }
                    b"t" if !empty => in_text = true,
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_text => {
                if let Some(r) = run.as_mut() {
                    r.0.push_str(t);
                }
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Some(run) = run.as_mut() {
                    run.0.push_str(&ooxml::reference_text(r));
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref().as_bytes() {
                b"grpSpPr" => {
                    in_group_props = false;
                    if let Some(last) = groups.last_mut() {
                        *last = pending_group.take();
                    }
                }
                b"grpSp" => {
                    groups.pop();
                }
                b"sp" | b"pic" | b"graphicFrame" | b"cxnSp" => {
                    if let Some(mut s) = shape.take() {
                        if let Some(t) = table.take() {
                            s.table = Some(t);
                        }
                        // An outline without a colour is drawn only for lines (in black).
                        s.line = match s.line {
                            _ if s.no_line => None,
                            Some((c, w)) if w < 0.0 => s.geometry.as_deref().filter(|g| is_line(g)).map(|_| (c, -w)),
                            other => other,
                        };
                        if part.shapes.len() < MAX_SHAPES {
                            part.shapes.push(s);
                        }
                    }
                }
                b"bg" => in_bg = false,
                b"spPr" => in_sppr = false,
                b"xfrm" => in_xfrm = false,
                b"ln" => in_ln = false,
                b"lnL" | b"lnR" | b"lnT" | b"lnB" | b"lnTlToBr" | b"lnBlToTr" => in_cell_line = false,
                b"solidFill" => {
                    color_target.pop();
                }
                b"rPr" => in_rpr = false,
                b"t" => in_text = false,
                b"txStyles" => {
                    in_tx_styles = false;
                    style_level = None;
                }
                b"titleStyle" | b"bodyStyle" => style_level = None,
                b"r" | b"fld" => {
                    if let (Some(r), Some(p)) = (run.take(), para.as_mut()) {
                        p.runs.push(r);
                    }
                }
                b"p" => {
                    if let Some(p) = para.take() {
                        match (cell.as_mut(), shape.as_mut()) {
                            (Some(c), _) => c.0.push(p),
                            (None, Some(s)) => s.paragraphs.push(p),
                            _ => {}
                        }
                    }
                }
                b"tc" => {
                    if let (Some(c), Some(t)) = (cell.take(), table.as_mut()) {
                        if let Some(row) = t.rows.last_mut() {
                            row.1.push(c);
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

fn is_line(geometry: &str) -> bool {
    matches!(geometry, "line" | "straightConnector1" | "bentConnector3" | "curvedConnector3")
}

/// What drawing a slide needs.
struct Drawing<'a, 'd> {
    painter: &'a mut Painter,
    canvas: &'a mut Canvas,
    page: usize,
    package: &'a mut Package<'d>,
    images: &'a mut usize,
    styles: &'a TextStyles,
}

impl Drawing<'_, '_> {
    /// Draws one shape; `inherited` is the layout or master placeholder it stands for.
    fn shape(&mut self, shape: &ShapeModel, inherited: Option<&ShapeModel>, part: &PartModel) {
        let Some([x, y, w, h]) = shape.frame.or_else(|| inherited.and_then(|s| s.frame)) else { return };
        let rect = [x, y, x + w, y + h];
        let geometry = shape.geometry.as_deref().or_else(|| inherited.and_then(|s| s.geometry.as_deref()));
        let fill = shape.fill.or_else(|| if shape.placeholder.is_some() { inherited.and_then(|s| s.fill) } else { None });
        match geometry {
            Some(g) if is_line(g) => {
                if let Some(stroke) = shape.line {
                    self.canvas.line(self.page, (x, y), (x + w, y + h), stroke);
                }
            }
            Some(g) => {
                if let Some(kind) = preset(g) {
                    self.canvas.shape(self.page, kind, rect, fill, shape.line);
                }
            }
            None => {}
        }
        if let Some(rid) = &shape.image {
            if let Some(image) = self.image(rid, part) {
                self.canvas.image(self.page, image, rect);
            }
        }
        if let Some(table) = &shape.table {
            self.table(table, x, y);
        }
        let kind = shape.placeholder.as_ref().map(|p| p.0.as_str());
        let title = matches!(kind, Some("title" | "ctrTitle"));
        let body = matches!(kind, Some("body" | "obj" | ""));
        let anchor = shape.anchor.as_deref().or_else(|| inherited.and_then(|s| s.anchor.as_deref())).unwrap_or(if title { "ctr" } else { "t" });
        let scale = if shape.font_scale < 1.0 { shape.font_scale } else { 1.0 };
        let blocks: Vec<Block> = shape.paragraphs.iter().map(|p| self.block(p, title, body && kind != Some(""), scale)).collect();
        self.text_box(&blocks, [x + 7.2, y + 3.6, (w - 14.4).max(4.0), (h - 7.2).max(0.0)], anchor);
    }

    fn block(&self, para: &Para, title: bool, bulleted: bool, scale: f32) -> Block {
        let (size, color) = if title {
            (self.styles.title.0.or(Some(44.0)), self.styles.title.1)
        } else if bulleted {
            self.styles.body.get(para.level).copied().unwrap_or((Some(18.0), None))
        } else {
            (self.styles.other.or(Some(18.0)), None)
        };
        let size = size.unwrap_or(18.0);
        let spans: Vec<(String, SpanStyle)> = para
            .runs
            .iter()
            .map(|(text, look)| {
                let style = SpanStyle {
                    family: look.font.clone().unwrap_or_else(|| "Calibri".into()),
                    size: look.size.unwrap_or(size) * scale,
                    bold: look.bold.unwrap_or(false),
                    italic: look.italic.unwrap_or(false),
                    underline: look.underline,
                    strike: look.strike,
                    color: look.color.or(color).unwrap_or([0, 0, 0]),
                };
                (text.clone(), style)
            })
            .collect();
        let first = spans.first().map(|s| s.1.clone()).unwrap_or(SpanStyle { family: "Calibri".into(), size: size * scale, ..Default::default() });
        let has_text = spans.iter().any(|(t, _)| !t.trim().is_empty());
        let bullet = match &para.bullet {
            Some(Some(c)) => Some(c.clone()),
            Some(None) => None,
            None if bulleted && has_text => Some("•".into()),
            None => None,
        };
        let indent = 27.0 * para.level as f32;
        Block {
            spans: if spans.is_empty() { vec![(String::new(), first.clone())] } else { spans },
            align: para.align.unwrap_or(Align::Start),
            indent_left: indent + if bullet.is_some() { 20.0 } else { 0.0 },
            indent_first: if bullet.is_some() { -20.0 } else { 0.0 },
            line_height: 0.9,
            space_before: if bulleted { 6.0 * scale } else { 0.0 },
            marker: bullet.filter(|_| has_text).map(|b| (b, first)),
            ..Default::default()
        }
    }

    /// Lays blocks out in a box, anchored top, middle or bottom, clipped to the slide.
    fn text_box(&mut self, blocks: &[Block], [x, y, w, h]: [f32; 4], anchor: &str) {
        if blocks.iter().all(|b| b.spans.iter().all(|(t, _)| t.trim().is_empty())) {
            return;
        }
        let mut laid = Vec::new();
        let mut total = 0.0;
        for block in blocks {
            let inner = (w - block.indent_left - block.indent_right).max(4.0);
            let marker = block.marker.as_ref().map(|(label, style)| {
                let b = Block { spans: vec![(label.clone(), style.clone())], line_height: block.line_height, ..Default::default() };
                self.painter.text(self.canvas, &b, None)
            });
            let text = self.painter.text(self.canvas, &Block { indent_first: 0.0, ..block.clone() }, Some(inner));
            total += block.space_before + text.height();
            laid.push((block.space_before, block.indent_left, block.indent_first, text, marker));
        }
        let mut top = match anchor {
            "ctr" => y + (h - total) / 2.0,
            "b" => y + h - total,
            _ => y,
        };
        for (before, indent, first, text, marker) in laid {
            top += before;
            if let Some(marker) = marker {
                self.canvas.text(self.page, &marker, x + indent + first, top);
            }
            self.canvas.text(self.page, &text, x + indent, top);
            top += text.height();
        }
    }

    fn table(&mut self, table: &TableModel, x: f32, y: f32) {
        let mut top = y;
        for (min_height, cells) in &table.rows {
            let mut left = x;
            let mut laid = Vec::new();
            let mut height = *min_height;
            for (i, (paras, fill)) in cells.iter().enumerate() {
                let w = table.columns.get(i).copied().unwrap_or(72.0);
                let blocks: Vec<Block> = paras.iter().map(|p| self.block(p, false, false, 1.0)).collect();
                let mut texts = Vec::new();
                let mut used = 3.6;
                for block in &blocks {
                    let text = self.painter.text(self.canvas, block, Some((w - 14.4).max(4.0)));
                    used += text.height();
                    texts.push(text);
                }
                height = height.max(used + 3.6);
                laid.push((left, w, *fill, texts));
                left += w;
            }
            for (left, w, fill, texts) in laid {
                let rect = [left, top, left + w, top + height];
                self.canvas.shape(self.page, ShapeKind::Rect, rect, fill, Some(([0x80, 0x80, 0x80], 0.5)));
                let mut ty = top + 3.6;
                for text in texts {
                    self.canvas.text(self.page, &text, left + 7.2, ty);
                    ty += text.height();
                }
            }
            top += height;
        }
    }

    fn image(&mut self, rid: &str, part: &PartModel) -> Option<ImageRef> {
        if *self.images >= MAX_IMAGES {
            return None;
        }
        *self.images += 1;
        let target = part.rels.get(rid)?;
        let bytes = self.package.read(&ooxml::resolve_target(&part.base, target)).ok()?;
        let decoded = crate::layout::embedded_image::decode(&bytes)?;
        self.canvas.add_image(decoded.rgba, decoded.width, decoded.height)
    }
}

/// The outline of a preset geometry, as far as the paint layer can draw it.
fn preset(name: &str) -> Option<ShapeKind> {
    Some(match name {
        "rect" | "flowChartProcess" | "snip1Rect" | "frame" => ShapeKind::Rect,
        "roundRect" | "round1Rect" | "round2SameRect" | "flowChartAlternateProcess" => ShapeKind::RoundRect,
        "ellipse" | "flowChartConnector" | "donut" => ShapeKind::Ellipse,
        "triangle" => ShapeKind::Polygon(vec![(0.5, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "rtTriangle" => ShapeKind::Polygon(vec![(0.0, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "diamond" | "flowChartDecision" => ShapeKind::Polygon(vec![(0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.0, 0.5)]),
        "rightArrow" => ShapeKind::Polygon(vec![(0.0, 0.25), (0.6, 0.25), (0.6, 0.0), (1.0, 0.5), (0.6, 1.0), (0.6, 0.75), (0.0, 0.75)]),
        "leftArrow" => ShapeKind::Polygon(vec![(1.0, 0.25), (0.4, 0.25), (0.4, 0.0), (0.0, 0.5), (0.4, 1.0), (0.4, 0.75), (1.0, 0.75)]),
        "upArrow" => ShapeKind::Polygon(vec![(0.25, 1.0), (0.25, 0.4), (0.0, 0.4), (0.5, 0.0), (1.0, 0.4), (0.75, 0.4), (0.75, 1.0)]),
        "downArrow" => ShapeKind::Polygon(vec![(0.25, 0.0), (0.25, 0.6), (0.0, 0.6), (0.5, 1.0), (1.0, 0.6), (0.75, 0.6), (0.75, 0.0)]),
        "pentagon" | "homePlate" => ShapeKind::Polygon(vec![(0.0, 0.0), (0.8, 0.0), (1.0, 0.5), (0.8, 1.0), (0.0, 1.0)]),
        "chevron" => ShapeKind::Polygon(vec![(0.0, 0.0), (0.8, 0.0), (1.0, 0.5), (0.8, 1.0), (0.0, 1.0), (0.2, 0.5)]),
        "parallelogram" => ShapeKind::Polygon(vec![(0.25, 0.0), (1.0, 0.0), (0.75, 1.0), (0.0, 1.0)]),
        "hexagon" => ShapeKind::Polygon(vec![(0.25, 0.0), (0.75, 0.0), (1.0, 0.5), (0.75, 1.0), (0.25, 1.0), (0.0, 0.5)]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_transforms_map_children_into_the_slide() {
        let g = GroupTransform { off: (100.0, 50.0), ext: (200.0, 100.0), ch_off: (0.0, 0.0), ch_ext: (100.0, 50.0) };
        assert_eq!(g.apply([10.0, 10.0, 20.0, 20.0]), [120.0, 70.0, 40.0, 40.0]);
    }

    #[test]
    fn shapes_text_and_theme_colours_are_read() {
        let theme = theme_colors(br#"<a:theme><a:themeElements><a:clrScheme name="x"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:accent1><a:srgbClr val="4472C4"/></a:accent1></a:clrScheme></a:themeElements></a:theme>"#);
        assert_eq!(theme["accent1"], [0x44, 0x72, 0xC4]);
        assert_eq!(theme["tx1"], [0, 0, 0]);
        let slide = br#"<p:sld><p:cSld><p:spTree>
            <p:sp><p:nvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:rPr sz="3200" b="1"/><a:t>Title &amp; more</a:t></a:r></a:p></p:txBody></p:sp>
            <p:sp><p:spPr><a:xfrm><a:off x="127000" y="254000"/><a:ext cx="1270000" cy="635000"/></a:xfrm><a:prstGeom prst="ellipse"/><a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:ln w="25400"><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></a:ln></p:spPr></p:sp>
        </p:spTree></p:cSld></p:sld>"#;
        let mut part = PartModel::default();
        parse_part(slide, &theme, &mut part);
        assert_eq!(part.shapes.len(), 2);
        let title = &part.shapes[0];
        assert_eq!(title.placeholder.as_ref().map(|p| p.0.as_str()), Some("title"));
        assert_eq!(title.paragraphs[0].runs[0].0, "Title & more");
        assert_eq!(title.paragraphs[0].runs[0].1.size, Some(32.0));
        let ellipse = &part.shapes[1];
        assert_eq!(ellipse.frame, Some([10.0, 20.0, 100.0, 50.0]));
        assert_eq!(ellipse.fill, Some([0x44, 0x72, 0xC4]));
        assert_eq!(ellipse.line, Some(([255, 0, 0], 2.0)));
    }
}
