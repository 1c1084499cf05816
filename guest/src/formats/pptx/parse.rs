//! Reading slide, layout and master parts (PresentationML with DrawingML inside) into
//! [`PartModel`]s, and the colour scheme of a theme.
//!
//! Elements are told apart by their context on an element stack ([`crate::ooxml::walk`]):
//! a colour belongs to the innermost fill around it, and that fill to the innermost of a
//! background, an outline, run properties, a text style, a table cell or a shape.

use quick_xml::events::BytesStart;

use super::model::{CellModel, GroupTransform, LevelStyle, LineEnd, Para, PartModel, RunLook, ShapeModel, Spacing, TableModel, TextStyles};
use crate::layout::paint::{Align, Gradient, Hatch, Rgb};
use crate::ooxml::color::{self, Theme};
use crate::ooxml::walk::{self, Handler, Stack};
use crate::ooxml::{self, attr};

/// EMUs (English Metric Units) per point.
pub(super) const EMU_PER_POINT: f32 = 12_700.0;
/// Most shapes read from one slide, layout or master.
const MAX_SHAPES: usize = 5_000;

/// Whose list style is being read.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ListOwner {
    Title,
    Body,
    Other,
    Shape,
}

/// Where a colour element is: which property of the shape or run it sets.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ColorTarget {
    Fill,
    Line,
    Run,
    Background,
    Cell,
    /// A table cell's border, by side (left, right, top, bottom).
    CellBorder(usize),
    Style,
    /// The shape style's font colour (`fontRef`), for runs that set none.
    Font,
    /// A stop of the gradient being read.
    Stop,
    /// The lines of the pattern fill being read (`a:fgClr`).
    PatternLines,
    /// A colour we do not use (cell border lines, text gradients...).
    Ignored,
}

/// What an open element is, as far as the shape tree is concerned.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Ctx {
    Other,
    Skip,
    Group,
    GroupProps,
    Shape,
    Background,
    ShapeProps,
    Transform,
    Line,
    CellLine,
    /// A `solidFill`, and what its colour sets.
    Fill(ColorTarget),
    /// A `gradFill` of a shape or background (`Fill` or `Background`).
    Gradient(ColorTarget),
    /// A `pattFill` of a shape or background (`Fill` or `Background`).
    Pattern(ColorTarget),
    TextStyles,
    LevelStyle,
    Cell,
    CellProps,
    /// A table's `a:tableStyleId`, whose text names its style.
    TableStyleId,
    Paragraph,
    Run,
    RunProps,
    Text,
    /// A colour element; its modifiers follow as children.
    Color,
    /// A shape's text body.
    TextBody,
    /// A paragraph's or text style level's line spacing (0), space before (1) or after (2).
    Spacing(usize),
}

/// Reads the shape tree, background and (for a master) text styles of a part.
pub(super) fn parse_part(xml: &[u8], theme: &Theme, part: &mut PartModel) -> TextStyles {
    let mut reader = PartReader {
        theme,
        color: None,
        part,
        styles: TextStyles::default(),
        shape: None,
        groups: Vec::new(),
        pending_group: None,
        off: (0.0, 0.0),
        para: None,
        run: None,
        style_level: None,
        table: None,
        cell: None,
        cell_line: (0, 0.75),
        choice_taken: false,
        fallback_for: None,
        stops: Vec::new(),
        stop_at: 0.0,
        gradient: Gradient::Linear { angle: 0.0, axial: false, border: 0.0 },
        pattern: None,
        explicit_fill: false,
        font_color: None,
    };
    walk::walk(xml, &mut reader);
    reader.styles
}

struct PartReader<'a> {
    theme: &'a Theme,
    /// The colour being read, with what it sets.
    color: Option<(Rgb, ColorTarget)>,
    part: &'a mut PartModel,
    styles: TextStyles,
    shape: Option<ShapeModel>,
    /// The transforms of the groups around the shape being read.
    groups: Vec<Option<GroupTransform>>,
    /// The transform of the group whose properties are being read.
    pending_group: Option<GroupTransform>,
    /// The last `a:off` read.
    off: (f32, f32),
    para: Option<Para>,
    run: Option<(String, RunLook)>,
    /// Inside a list style: whose (the master's title, body or other text style, or the
    /// shape's own), and the level being read.
    style_level: Option<(ListOwner, usize)>,
    table: Option<TableModel>,
    cell: Option<CellModel>,
    /// The side (left, right, top, bottom; more for diagonals) and width of the cell
    /// border being read.
    cell_line: (usize, f32),
    /// Whether the `mc:Choice` of the alternate content being read was taken.
    choice_taken: bool,
    /// What the next shape stands for when it is the fallback of content not drawn.
    fallback_for: Option<String>,
    /// The gradient being read: its stops (position 0 to 1, colour), the position of the
    /// stop being read, and its shape.
    stops: Vec<(f32, Rgb)>,
    stop_at: f32,
    gradient: Gradient,
    /// The pattern fill being read, as the hatch LibreOffice shows it.
    pattern: Option<Hatch>,
    /// Whether the shape being read sets its own fill (so its style's `fillRef` does not
    /// apply), and its style's font colour.
    explicit_fill: bool,
    font_color: Option<Rgb>,
}

/// A length in EMUs in an attribute, as points.
fn emu(e: &BytesStart<'_>, k: &[u8]) -> Option<f32> {
    attr(e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| v / EMU_PER_POINT)
}

impl PartReader<'_> {
    /// What a `solidFill` here colours.
    fn fill_target(&self, stack: &Stack<Ctx>) -> ColorTarget {
        if stack.within(Ctx::CellLine) {
            ColorTarget::CellBorder(self.cell_line.0)
        } else if stack.within(Ctx::Background) {
            ColorTarget::Background
        } else if stack.within(Ctx::Line) {
            ColorTarget::Line
        } else if stack.within(Ctx::RunProps) || self.style_level.is_some() {
            if self.style_level.is_some() && self.run.is_none() {
                ColorTarget::Style
            } else {
                ColorTarget::Run
            }
        } else if stack.within(Ctx::TextBody) {
            // A text colour outside a run (a list style's, a paragraph end's): not the shape's.
            ColorTarget::Ignored
        } else if self.cell.is_some() && !stack.within(Ctx::Text) {
            ColorTarget::Cell
        } else {
            ColorTarget::Fill
        }
    }

    /// A colour element inside a fill of `target`.
    fn color(&mut self, rgb: Rgb, target: ColorTarget) {
        match target {
            ColorTarget::Background => self.part.background = Some(rgb),
            ColorTarget::Line => {
                if let Some(s) = self.shape.as_mut() {
                    let width = s.line.map_or(0.75, |l| l.1.abs());
                    s.line = Some((rgb, width));
                }
            }
            ColorTarget::Run => {
                if let Some(r) = self.run.as_mut() {
                    r.1.color = Some(rgb);
                }
            }
            ColorTarget::Style => {
                if let Some(level) = self.level_style() {
                    level.run.color = Some(rgb);
                }
            }
            ColorTarget::Cell => {
                if let Some(c) = self.cell.as_mut() {
                    c.fill = Some(Some(rgb));
                }
            }
            ColorTarget::CellBorder(side) => {
                if let Some(border) = self.cell.as_mut().and_then(|c| c.borders.get_mut(side)) {
                    *border = Some(Some((rgb, self.cell_line.1)));
                }
            }
            ColorTarget::Fill => {
                if let Some(s) = self.shape.as_mut() {
                    s.fill = Some(rgb);
                }
            }
            ColorTarget::Stop => {
                if self.stops.len() < 64 {
                    self.stops.push((self.stop_at, rgb));
                }
            }
            ColorTarget::Font => self.font_color = Some(rgb),
            ColorTarget::PatternLines => {
                if let Some(p) = self.pattern.as_mut() {
                    p.color = rgb;
                }
            }
            ColorTarget::Ignored => {}
        }
    }

    /// A gradient fill ends: its first and last stops, along its line or out from its
    /// centre, fill the shape or the background (and its mean colour stands for it where a
    /// gradient cannot be drawn).
    fn finish_gradient(&mut self, target: ColorTarget) {
        let mut stops = std::mem::take(&mut self.stops);
        stops.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (Some(&(_, first)), Some(&(_, last))) = (stops.first(), stops.last()) else { return };
        // DrawingML's path gradients run from the centre out; the paint layer's from the edge in.
        let colors = match self.gradient {
            Gradient::Radial { .. } => (last, first),
            Gradient::Linear { .. } => (first, last),
        };
        let mean = [0, 1, 2].map(|i| ((u16::from(first[i]) + u16::from(last[i])) / 2) as u8);
        match target {
            ColorTarget::Background => {
                self.part.background = Some(mean);
                self.part.background_gradient = Some((colors, self.gradient));
            }
            ColorTarget::Fill => {
                if let Some(s) = self.shape.as_mut() {
                    s.fill = Some(mean);
                    s.gradient = Some((colors, self.gradient));
                }
            }
            _ => {}
        }
    }

    /// The level of the list style being read.
    fn level_style(&mut self) -> Option<&mut LevelStyle> {
        let (owner, level) = self.style_level?;
        let list = match owner {
            ListOwner::Title => &mut self.styles.title,
            ListOwner::Body => &mut self.styles.body,
            ListOwner::Other => &mut self.styles.other,
            ListOwner::Shape => &mut self.shape.as_mut()?.list_style,
        };
        list.get_mut(level)
    }

    /// Run properties, or the default run properties of a list style level.
    fn run_properties(&mut self, e: &BytesStart<'_>, name: &[u8]) {
        let size = attr(e, b"sz").and_then(|v| v.parse::<f32>().ok()).map(|v| (v / 100.0).clamp(1.0, 400.0));
        let caps = attr(e, b"cap").map(|v| v == "all");
        if let Some(r) = self.run.as_mut().filter(|_| name == b"rPr") {
            r.1.size = size;
            r.1.bold = ooxml::on_off(e, b"b");
            r.1.italic = ooxml::on_off(e, b"i");
            r.1.caps = caps;
            r.1.underline = attr(e, b"u").is_some_and(|v| v != "none");
            r.1.strike = attr(e, b"strike").is_some_and(|v| v != "noStrike");
            r.1.baseline = attr(e, b"baseline").and_then(|v| percentage(&v)).filter(|b| *b != 0.0).map(|b| b.clamp(-1.0, 1.0));
        } else if name == b"defRPr" && self.para.is_none() {
            if let Some(level) = self.level_style() {
                level.run.size = size.or(level.run.size);
                level.run.bold = ooxml::on_off(e, b"b").or(level.run.bold);
                level.run.italic = ooxml::on_off(e, b"i").or(level.run.italic);
                level.run.caps = caps.or(level.run.caps);
            }
        }
    }

    /// Sets a spacing (`which`: line, before, after) of the paragraph being read, or of the
    /// list style level being read.
    fn spacing(&mut self, which: usize, spacing: Option<Spacing>, stack: &Stack<Ctx>) {
        let which = which.min(2);
        if let Some(p) = self.para.as_mut().filter(|_| stack.within(Ctx::Paragraph)) {
            p.spacing[which] = spacing.or(p.spacing[which]);
        } else if let Some(level) = self.level_style() {
            level.spacing[which] = spacing.or(level.spacing[which]);
        }
    }

    /// A shape ends: its outline settled, it joins the part.
    fn finish_shape(&mut self) {
        let Some(mut s) = self.shape.take() else { return };
        if let Some(t) = self.table.take() {
            s.table = Some(t);
        }
        // An embedded object shows its preview picture; without one it is a placeholder.
        if let (Some(program), None, None) = (&s.object, &s.image, &s.missing) {
            s.missing = Some(format!("an embedded object ({program}) without a preview"));
        }
        // An outline without a colour is drawn only for lines (in black).
        s.line = match s.line {
            _ if s.no_line => None,
            Some((c, w)) if w < 0.0 => s.geometry.as_deref().filter(|g| is_line(g)).map(|_| (c, -w)),
            other => other,
        };
        // Runs that set no colour take the shape style's font colour.
        if let Some(color) = self.font_color.take() {
            for run in s.paragraphs.iter_mut().flat_map(|p| p.runs.iter_mut()) {
                run.1.color.get_or_insert(color);
            }
        }
        if self.part.shapes.len() < MAX_SHAPES {
            self.part.shapes.push(s);
        }
    }
}

impl Handler for PartReader<'_> {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, stack: &Stack<Ctx>) -> Ctx {
        let parent = stack.top();
        // A fill of the shape's own: its style's fillRef does not apply.
        if parent == Some(Ctx::ShapeProps) && matches!(e.local_name().as_ref().as_bytes(), b"solidFill" | b"gradFill" | b"blipFill" | b"pattFill" | b"noFill") {
            self.explicit_fill = true;
        }
        let local = e.local_name();
        let name = local.as_ref().as_bytes();
        match name {
            b"grpSp" if !empty => {
                self.groups.push(None);
                return Ctx::Group;
            }
            b"grpSpPr" if !empty => {
                self.pending_group = Some(GroupTransform { off: (0.0, 0.0), ext: (0.0, 0.0), ch_off: (0.0, 0.0), ch_ext: (0.0, 0.0) });
                return Ctx::GroupProps;
            }
            b"AlternateContent" => self.choice_taken = false,
            b"Choice" => {
                let requires = attr(e, b"Requires").unwrap_or_default();
                if ooxml::choice_understood(&requires) && !self.choice_taken {
                    self.choice_taken = true;
                } else {
                    if ooxml::choice_is_chartex(&requires) {
                        self.fallback_for = Some("an Office 2016 chart (chartex)".into());
                    }
                    return Ctx::Skip;
                }
            }
            b"Fallback" if self.choice_taken => return Ctx::Skip,
            b"sp" | b"pic" | b"graphicFrame" | b"cxnSp" if !empty && self.shape.is_none() => {
                self.shape = Some(ShapeModel { font_scale: 1.0, missing: self.fallback_for.take(), ..Default::default() });
                (self.explicit_fill, self.font_color) = (false, None);
                return Ctx::Shape;
            }
            // The shape's style (`p:style`, `xdr:style`, `dsp:style`): theme colours for
            // the fill, outline and text that its own properties leave unset. The matrix
            // index picks how strong; here every non-zero one is the plain colour, and the
            // outline takes the Office theme's widths (0.75, 2 and 3 pt).
            b"fillRef" | b"lnRef" | b"fontRef" if !empty && stack.within(Ctx::Shape) && !stack.within(Ctx::ShapeProps) => {
                let index = attr(e, b"idx").unwrap_or_default();
                let Some(s) = self.shape.as_mut() else { return Ctx::Other };
                match e.local_name().as_ref().as_bytes() {
                    b"fillRef" if index != "0" && !self.explicit_fill => return Ctx::Fill(ColorTarget::Fill),
                    b"lnRef" if index != "0" && !s.no_line && s.line.is_none_or(|l| l.1 < 0.0) => {
                        let width = s.line.map(|l| -l.1).unwrap_or(match index.as_str() {
                            "2" => 2.0,
                            "3" => 3.0,
                            _ => 0.75,
                        });
                        s.line = Some(([0, 0, 0], -width));
                        return Ctx::Fill(ColorTarget::Line);
                    }
                    b"fontRef" => return Ctx::Fill(ColorTarget::Font),
                    _ => return Ctx::Other,
                }
            }
            b"graphicData" => {
                let uri = attr(e, b"uri").unwrap_or_default();
                let kind = uri.rsplit('/').next().unwrap_or_default();
                if let Some(s) = self.shape.as_mut() {
                    if !matches!(kind, "chart" | "diagram" | "table" | "ole" | "picture") && s.missing.is_none() {
                        s.missing = Some(if kind.is_empty() { "an unknown graphic".into() } else { format!("a graphic of kind {kind}") });
                    }
                }
            }
            b"chart" if stack.within(Ctx::Shape) => {
                if let Some(s) = self.shape.as_mut() {
                    s.chart = attr(e, b"id");
                }
            }
            b"relIds" if stack.within(Ctx::Shape) => {
                if let Some(s) = self.shape.as_mut() {
                    s.diagram = attr(e, b"dm");
                }
            }
            b"oleObj" if stack.within(Ctx::Shape) => {
                if let Some(s) = self.shape.as_mut() {
                    let program = attr(e, b"progId").or_else(|| attr(e, b"name")).unwrap_or_else(|| "OLE".into());
                    s.object = Some(program.chars().take(60).collect());
                }
            }
            b"ph" => {
                if let Some(s) = self.shape.as_mut() {
                    s.placeholder = Some((attr(e, b"type").unwrap_or_default(), attr(e, b"idx")));
                }
            }
            b"sldLayout" | b"sld" => self.part.show_master_shapes = attr(e, b"showMasterSp").is_none_or(|v| v != "0"),
            b"bg" => return Ctx::Background,
            b"spPr" => return Ctx::ShapeProps,
            b"xfrm" => {
                if let (Some(s), false) = (self.shape.as_mut(), stack.within(Ctx::GroupProps)) {
                    s.rotation = attr(e, b"rot").and_then(|r| r.parse::<f32>().ok()).map_or(0.0, |r| r / 60_000.0);
                    s.flip = (ooxml::on_off(e, b"flipH").unwrap_or(false), ooxml::on_off(e, b"flipV").unwrap_or(false));
                }
                return Ctx::Transform;
            }
            b"off" if parent == Some(Ctx::Transform) => self.off = (emu(e, b"x").unwrap_or(0.0), emu(e, b"y").unwrap_or(0.0)),
            b"ext" if parent == Some(Ctx::Transform) => {
                let ext = (emu(e, b"cx").unwrap_or(0.0).max(0.0), emu(e, b"cy").unwrap_or(0.0).max(0.0));
                if stack.within(Ctx::GroupProps) && self.shape.is_none() {
                    if let Some(g) = self.pending_group.as_mut() {
                        g.off = self.off;
                        g.ext = ext;
                    }
                } else if let Some(s) = self.shape.as_mut() {
                    let frame = [self.off.0, self.off.1, ext.0, ext.1];
                    s.frame = Some(self.groups.iter().rev().flatten().fold(frame, |f, g| g.apply(f)));
                }
            }
            b"chOff" if stack.within(Ctx::GroupProps) => {
                if let Some(g) = self.pending_group.as_mut() {
                    g.ch_off = (emu(e, b"x").unwrap_or(0.0), emu(e, b"y").unwrap_or(0.0));
                }
            }
            b"chExt" if stack.within(Ctx::GroupProps) => {
                if let Some(g) = self.pending_group.as_mut() {
                    g.ch_ext = (emu(e, b"cx").unwrap_or(0.0), emu(e, b"cy").unwrap_or(0.0));
                }
            }
            b"prstGeom" => {
                if let Some(s) = self.shape.as_mut() {
                    s.geometry = attr(e, b"prst");
                }
            }
            b"ln" if !empty && stack.within(Ctx::ShapeProps) => {
                if let Some(s) = self.shape.as_mut() {
                    // The colour arrives in a child element; a negative width marks an
                    // outline whose colour is not known yet.
                    let width = emu(e, b"w").unwrap_or(0.75).clamp(0.1, 50.0);
                    s.line = Some(([0, 0, 0], -width));
                    s.no_line = false;
                }
                return Ctx::Line;
            }
            b"lnL" | b"lnR" | b"lnT" | b"lnB" | b"lnTlToBr" | b"lnBlToTr" => {
                let side = [b"lnL".as_slice(), b"lnR", b"lnT", b"lnB"].iter().position(|s| *s == name).unwrap_or(4);
                self.cell_line = (side, emu(e, b"w").unwrap_or(0.75).clamp(0.1, 50.0));
                return Ctx::CellLine;
            }
            b"noFill" if stack.within(Ctx::CellLine) => {
                if let Some(border) = self.cell.as_mut().and_then(|c| c.borders.get_mut(self.cell_line.0)) {
                    *border = Some(None);
                }
            }
            b"noFill" if parent == Some(Ctx::CellProps) => {
                if let Some(c) = self.cell.as_mut() {
                    c.fill = Some(None);
                }
            }
            b"headEnd" | b"tailEnd" if stack.within(Ctx::Line) => {
                let factor = |k: &[u8]| match attr(e, k).as_deref() {
                    Some("sm") => 2.0,
                    Some("lg") => 5.0,
                    _ => 3.0,
                };
                let end = attr(e, b"type").filter(|t| t != "none").map(|kind| LineEnd { kind, width: factor(b"w"), length: factor(b"len") });
                if let Some(s) = self.shape.as_mut() {
                    s.line_ends[usize::from(name == b"tailEnd")] = end;
                }
            }
            b"noFill" if stack.within(Ctx::Line) => {
                if let Some(s) = self.shape.as_mut() {
                    s.no_line = true;
                }
            }
            b"solidFill" if !empty => return Ctx::Fill(self.fill_target(stack)),
            b"gradFill" if !empty => {
                let target = match self.fill_target(stack) {
                    t @ (ColorTarget::Fill | ColorTarget::Background) => t,
                    _ => ColorTarget::Ignored,
                };
                self.stops.clear();
                self.gradient = Gradient::Linear { angle: 0.0, axial: false, border: 0.0 };
                return Ctx::Gradient(target);
            }
            b"pattFill" if !empty => {
                let target = match self.fill_target(stack) {
                    t @ (ColorTarget::Fill | ColorTarget::Background) => t,
                    _ => ColorTarget::Ignored,
                };
                // DrawingML's defaults: black lines on white.
                if target == ColorTarget::Background {
                    self.part.background = Some([255, 255, 255]);
                }
                self.pattern = Some(ooxml::color::pattern_hatch(&attr(e, b"prst").unwrap_or_default(), [0, 0, 0]));
                return Ctx::Pattern(target);
            }
            // The pattern's background is the shape's or slide's fill colour; its lines the hatch's.
            b"bgClr" => {
                if let Some(Ctx::Pattern(target)) = parent {
                    return Ctx::Fill(target);
                }
            }
            b"fgClr" if matches!(parent, Some(Ctx::Pattern(_))) => return Ctx::Fill(ColorTarget::PatternLines),
            b"gs" if matches!(parent, Some(Ctx::Other)) && stack.nearest(|c| matches!(c, Ctx::Gradient(_))).is_some() => {
                self.stop_at = attr(e, b"pos").and_then(|v| v.parse::<f32>().ok()).filter(|p| p.is_finite()).map_or(0.0, |p| (p / 100_000.0).clamp(0.0, 1.0));
                return Ctx::Fill(ColorTarget::Stop);
            }
            b"lin" if parent.is_some_and(|c| matches!(c, Ctx::Gradient(_))) => {
                // DrawingML measures clockwise from left-to-right, in 60 000ths of a degree;
                // the paint layer counterclockwise from top-to-bottom.
                let angle = attr(e, b"ang").and_then(|v| v.parse::<f32>().ok()).filter(|a| a.is_finite()).unwrap_or(0.0) / 60_000.0;
                self.gradient = Gradient::Linear { angle: 90.0 - angle, axial: false, border: 0.0 };
            }
            b"path" if parent.is_some_and(|c| matches!(c, Ctx::Gradient(_))) => {
                self.gradient = Gradient::Radial { cx: 0.5, cy: 0.5, border: 0.0 };
            }
            b"fillToRect" if matches!(self.gradient, Gradient::Radial { .. }) && stack.nearest(|c| matches!(c, Ctx::Gradient(_))).is_some() => {
                let f = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map_or(0.0, |v| v / 100_000.0);
                self.gradient = Gradient::Radial { cx: (f(b"l") + 1.0 - f(b"r")) / 2.0, cy: (f(b"t") + 1.0 - f(b"b")) / 2.0, border: 0.0 };
            }
            b"srgbClr" | b"schemeClr" | b"sysClr" | b"prstClr" => {
                let Some(Ctx::Fill(target)) = stack.nearest(|c| matches!(c, Ctx::Fill(_) | Ctx::Gradient(_))) else { return Ctx::Other };
                self.color = color::base_color(e, self.theme).map(|rgb| (rgb, target));
                return Ctx::Color;
            }
            _ if stack.top() == Some(Ctx::Color) => {
                if let Some((rgb, _)) = self.color.as_mut() {
                    *rgb = color::modify(*rgb, e);
                }
            }
            b"txBody" if !empty => return Ctx::TextBody,
            b"bodyPr" => {
                if let Some(s) = self.shape.as_mut() {
                    s.anchor = attr(e, b"anchor").or(s.anchor.take());
                    s.no_wrap = attr(e, b"wrap").as_deref() == Some("none");
                    for (inset, key) in s.insets.iter_mut().zip([b"lIns", b"tIns", b"rIns", b"bIns"]) {
                        *inset = emu(e, key).map(|v| v.clamp(0.0, 1_000.0)).or(*inset);
                    }
                }
            }
            b"lnSpc" | b"spcBef" | b"spcAft" => {
                return Ctx::Spacing(match name {
                    b"lnSpc" => 0,
                    b"spcBef" => 1,
                    _ => 2,
                })
            }
            b"spcPct" | b"spcPts" => {
                let Some(Ctx::Spacing(which)) = stack.top() else { return Ctx::Other };
                let value = attr(e, b"val");
                let spacing = match name {
                    b"spcPct" => value.and_then(|v| percentage(&v)).map(|p| Spacing::Share(p.clamp(0.0, 10.0))),
                    _ => value.and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| Spacing::Points((v / 100.0).clamp(0.0, 2_000.0))),
                };
                self.spacing(which, spacing, stack);
            }
            b"spAutoFit" => {
                if let Some(s) = self.shape.as_mut() {
                    s.fit_to_text = true;
                }
            }
            b"normAutofit" => {
                if let Some(s) = self.shape.as_mut() {
                    s.autofit = true;
                    s.font_scale = attr(e, b"fontScale").and_then(|v| v.parse::<f32>().ok()).map_or(1.0, |v| (v / 100_000.0).clamp(0.1, 1.0));
                }
            }
            b"blip" if stack.within(Ctx::Background) => self.part.background_image = attr(e, b"embed"),
            b"tile" if stack.within(Ctx::Background) => self.part.background_tiled = true,
            b"blip" => {
                if let Some(s) = self.shape.as_mut() {
                    s.image = attr(e, b"embed");
                    // A picture only linked to is never fetched: a placeholder shows it.
                    if s.image.is_none() && attr(e, b"link").is_some() {
                        s.missing = s.missing.take().or_else(|| Some("a linked picture, which is never fetched".into()));
                    }
                }
            }
            b"srcRect" if !stack.within(Ctx::Background) => {
                if let Some(s) = self.shape.as_mut() {
                    s.crop = crate::ooxml::source_rect(e);
                }
            }
            b"txStyles" => return Ctx::TextStyles,
            b"titleStyle" | b"bodyStyle" | b"otherStyle" if stack.within(Ctx::TextStyles) => {
                let owner = match name {
                    b"titleStyle" => ListOwner::Title,
                    b"bodyStyle" => ListOwner::Body,
                    _ => ListOwner::Other,
                };
                self.style_level = Some((owner, 0));
                return Ctx::LevelStyle;
            }
            // A shape's own list style (not a table cell's).
            b"lstStyle" if !empty && self.shape.is_some() && self.cell.is_none() => {
                self.style_level = Some((ListOwner::Shape, 0));
                return Ctx::LevelStyle;
            }
            b"tbl" => self.table = Some(TableModel::default()),
            b"tblPr" => {
                if let Some(t) = self.table.as_mut() {
                    let keys = [b"firstRow".as_slice(), b"lastRow", b"firstCol", b"lastCol", b"bandRow", b"bandCol"];
                    t.regions = keys.map(|k| ooxml::on_off(e, k) == Some(true));
                }
            }
            b"tableStyleId" if self.table.is_some() => return Ctx::TableStyleId,
            // Columns, rows and cells past the limit are cut, their content unread.
            b"gridCol" | b"tr" | b"tc" if self.table.as_ref().is_some_and(|t| t.full(name)) => {
                if let Some(t) = self.table.as_mut() {
                    t.cut = true;
                }
                return Ctx::Skip;
            }
            b"gridCol" => {
                if let Some(t) = self.table.as_mut() {
                    t.columns.push(emu(e, b"w").unwrap_or(72.0).clamp(1.0, 4000.0));
                }
            }
            b"tr" => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push((emu(e, b"h").unwrap_or(20.0).clamp(1.0, 4000.0), Vec::new()));
                }
            }
            b"tc" if self.table.is_some() => {
                let count = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).clamp(1, 1_000);
                let merged = [b"hMerge".as_slice(), b"vMerge"].iter().any(|k| ooxml::on_off(e, k) == Some(true));
                self.cell = Some(CellModel { span: (count(b"gridSpan"), count(b"rowSpan")), merged, ..CellModel::default() });
                return Ctx::Cell;
            }
            b"tcPr" if self.cell.is_some() => {
                if let Some(c) = self.cell.as_mut() {
                    for (margin, key) in c.margins.iter_mut().zip([b"marL", b"marR", b"marT", b"marB"]) {
                        *margin = emu(e, key).map(|v| v.clamp(0.0, 500.0));
                    }
                    c.anchor = attr(e, b"anchor");
                }
                return Ctx::CellProps;
            }
            b"p" if !empty && self.shape.is_some() => {
                self.para = Some(Para::default());
                return Ctx::Paragraph;
            }
            b"pPr" => {
                if let Some(p) = self.para.as_mut() {
                    p.align = alignment(e);
                    p.level = attr(e, b"lvl").and_then(|v| v.parse().ok()).unwrap_or(0usize).min(8);
                    // The text's left margin and the first line's (the bullet's) offset from it.
                    let (left, first) = (emu(e, b"marL"), emu(e, b"indent"));
                    if left.is_some() || first.is_some() {
                        let left = left.unwrap_or(0.0).clamp(0.0, 2_000.0);
                        p.margin = Some((left, (left + first.unwrap_or(0.0).clamp(-2_000.0, 2_000.0)).max(0.0)));
                    }
                }
            }
            b"buNone" | b"buChar" | b"buAutoNum" => {
                let bullet = Some(match name {
                    b"buNone" => None,
                    b"buChar" => attr(e, b"char").map(|c| c.chars().map(crate::layout::fonts::bullet_symbol).collect()),
                    _ => Some("•".into()),
                });
                if let Some(p) = self.para.as_mut() {
                    p.bullet = bullet;
                } else if let Some(level) = self.level_style() {
                    level.bullet = bullet;
                }
            }
            b"r" | b"fld" if !empty && self.para.is_some() => {
                self.run = Some((String::new(), RunLook::default()));
                return Ctx::Run;
            }
            b"br" => {
                if let Some(p) = self.para.as_mut() {
                    p.runs.push(("\n".into(), RunLook::default()));
                }
            }
            b"rPr" | b"defRPr" | b"endParaRPr" => {
                self.run_properties(e, name);
                if self.run.is_some() || (name == b"defRPr" && self.para.is_none() && self.style_level.is_some()) {
                    return Ctx::RunProps;
                }
            }
            _ if self.style_level.is_some() && self.para.is_none() && name.len() == 7 && name.starts_with(b"lvl") && name.ends_with(b"pPr") => {
                if let Some((owner, _)) = self.style_level {
                    self.style_level = Some((owner, usize::from(name[3].saturating_sub(b'1')).min(8)));
                }
                if let Some(level) = self.level_style() {
                    level.align = alignment(e).or(level.align);
                    level.margin = (
                        emu(e, b"marL").map(|v| v.clamp(0.0, 2_000.0)).or(level.margin.0),
                        emu(e, b"indent").map(|v| v.clamp(-2_000.0, 2_000.0)).or(level.margin.1),
                    );
                }
            }
            b"latin" | b"ea" if stack.within(Ctx::RunProps) => {
                // Theme fonts (`+mn-lt`) stay named so, resolved where the theme is known.
                let font = attr(e, b"typeface").filter(|t| !t.is_empty());
                if let Some(r) = self.run.as_mut() {
                    if r.1.font.is_none() || name == b"latin" {
                        r.1.font = font;
                    }
                } else if let Some(level) = self.level_style() {
                    if level.run.font.is_none() || name == b"latin" {
                        level.run.font = font.or(level.run.font.take());
                    }
                }
            }
            b"t" => return Ctx::Text,
            _ => {}
        }
        Ctx::Other
    }

    fn end(&mut self, ctx: Ctx, _: &Stack<Ctx>) {
        match ctx {
            Ctx::GroupProps => {
                if let Some(last) = self.groups.last_mut() {
                    *last = self.pending_group.take();
                }
            }
            Ctx::Group => {
                self.groups.pop();
            }
            Ctx::Shape => self.finish_shape(),
            Ctx::Color => {
                if let Some((rgb, target)) = self.color.take() {
                    self.color(rgb, target);
                }
            }
            Ctx::Gradient(target) => self.finish_gradient(target),
            Ctx::Pattern(target) => {
                let pattern = self.pattern.take();
                match target {
                    ColorTarget::Background => self.part.background_pattern = pattern,
                    ColorTarget::Fill => {
                        if let Some(s) = self.shape.as_mut() {
                            s.pattern = pattern;
                        }
                    }
                    _ => {}
                }
            }
            Ctx::TextStyles | Ctx::LevelStyle => self.style_level = None,
            Ctx::Run => {
                if let (Some(r), Some(p)) = (self.run.take(), self.para.as_mut()) {
                    p.runs.push(r);
                }
            }
            Ctx::Paragraph => {
                if let Some(p) = self.para.take() {
                    match (self.cell.as_mut(), self.shape.as_mut()) {
                        (Some(c), _) => c.paras.push(p),
                        (None, Some(s)) => s.paragraphs.push(p),
                        _ => {}
                    }
                }
            }
            Ctx::Cell => {
                if let (Some(c), Some(t)) = (self.cell.take(), self.table.as_mut()) {
                    if let Some(row) = t.rows.last_mut() {
                        row.1.push(c);
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
        if stack.top() == Some(Ctx::TableStyleId) {
            if let Some(t) = self.table.as_mut() {
                let style = t.style.get_or_insert_with(String::new);
                if style.len() < 64 {
                    style.push_str(text.trim());
                }
            }
        }
        if stack.top() == Some(Ctx::Text) {
            if let Some(r) = self.run.as_mut() {
                r.0.push_str(text);
            }
        }
    }
}

/// A paragraph's `algn`.
fn alignment(e: &BytesStart<'_>) -> Option<Align> {
    match attr(e, b"algn").as_deref() {
        Some("ctr") => Some(Align::Center),
        Some("r") => Some(Align::End),
        Some("just" | "dist") => Some(Align::Justify),
        Some(_) => Some(Align::Start),
        None => None,
    }
}

pub(super) fn is_line(geometry: &str) -> bool {
    geometry == "line" || geometry.starts_with("straightConnector") || geometry.starts_with("bentConnector") || geometry.starts_with("curvedConnector")
}

/// An ST_Percentage: thousandths of a percent (`30000`), or a percentage (`30%`), as a fraction.
fn percentage(value: &str) -> Option<f32> {
    match value.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f32>().ok().map(|p| p / 100.0),
        None => value.trim().parse::<f32>().ok().map(|p| p / 100_000.0),
    }
    .filter(|p| p.is_finite())
}

#[cfg(test)]
mod tests {
    use super::super::model::GroupTransform;
    use super::*;

    #[test]
    fn group_transforms_map_children_into_the_slide() {
        let g = GroupTransform { off: (100.0, 50.0), ext: (200.0, 100.0), ch_off: (0.0, 0.0), ch_ext: (100.0, 50.0) };
        assert_eq!(g.apply([10.0, 10.0, 20.0, 20.0]), [120.0, 70.0, 40.0, 40.0]);
    }

    #[test]
    fn shapes_text_and_theme_colours_are_read() {
        let theme = color::theme_colors(br#"<a:theme><a:themeElements><a:clrScheme name="x"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:accent1><a:srgbClr val="4472C4"/></a:accent1></a:clrScheme></a:themeElements></a:theme>"#);
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

    #[test]
    fn gradient_fills_keep_their_ends_and_direction() {
        let slide = br#"<p:sld><p:cSld><p:bg><p:bgPr><a:gradFill><a:gsLst><a:gs pos="0"><a:srgbClr val="FFFFFF"/></a:gs><a:gs pos="100000"><a:srgbClr val="000000"/></a:gs></a:gsLst>
            <a:path path="circle"><a:fillToRect l="100000" t="0" r="0" b="100000"/></a:path></a:gradFill></p:bgPr></p:bg><p:spTree>
            <p:sp><p:spPr><a:gradFill><a:gsLst><a:gs pos="100000"><a:srgbClr val="0000FF"/></a:gs><a:gs pos="0"><a:srgbClr val="FF0000"/></a:gs></a:gsLst><a:lin ang="5400000"/></a:gradFill>
            <a:ln><a:gradFill><a:gsLst><a:gs pos="0"><a:srgbClr val="00FF00"/></a:gs></a:gsLst></a:gradFill></a:ln></p:spPr></p:sp></p:spTree></p:cSld></p:sld>"#;
        let mut part = PartModel::default();
        parse_part(slide, &Theme::default(), &mut part);
        // A path gradient runs from its centre (the top right corner here) out.
        assert_eq!(part.background_gradient, Some((([0, 0, 0], [255, 255, 255]), Gradient::Radial { cx: 1.0, cy: 0.0, border: 0.0 })));
        assert_eq!(part.background, Some([127, 127, 127]));
        // 90 degrees clockwise from left-to-right is top-to-bottom; the outline's gradient is not the fill's.
        let shape = &part.shapes[0];
        assert_eq!(shape.gradient, Some((([255, 0, 0], [0, 0, 255]), Gradient::Linear { angle: 0.0, axial: false, border: 0.0 })));
        assert_eq!(shape.fill, Some([127, 0, 127]));
    }
}
