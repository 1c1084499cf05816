//! The paint layer shared by the formats that lay out text themselves.
//!
//! A [`Canvas`] holds pages of items (text, shapes, lines, images, clips) in page points.
//! Text is laid out with parley (shaping, bidi, per-character font fallback, line breaking
//! with the Unicode rules, which keep CJK closing punctuation off line starts) by a
//! [`Painter`]; [`flow`] paginates paragraphs, tables and images; everything is drawn with
//! vello_cpu, the rasterizer hayro uses.

use parley::fontique::{Blob, Collection, CollectionOptions, SourceCache};
use parley::{
    Alignment, AlignmentOptions, BaseDirection, FontContext, FontFamily, FontStyle, FontWeight, IndentOptions, InlineBox, InlineBoxKind, Layout, LayoutContext,
    LineHeight, OverflowWrap, PositionedLayoutItem, StyleProperty, VerticalAlign,
};
use vello_cpu::color::palette::css::WHITE;
use vello_cpu::color::AlphaColor;
use vello_cpu::kurbo::{Affine, BezPath, Ellipse, Rect, RoundedRect, Shape as _, Stroke as KurboStroke};
use vello_cpu::{Glyph, PixelMetadata, Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};

use docsandbox_protocol::Request;

use crate::layout::fonts;
use crate::layout::running;

/// A colour as sRGB bytes.
pub type Rgb = [u8; 3];

/// How a span of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanStyle {
    /// Family name as the document gives it; mapped to an embedded font by [`fonts::family_for`].
    pub family: String,
    /// Size in points.
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub strike: bool,
    pub color: Rgb,
    /// How far the baseline is raised, in points (negative: lowered), for superscript
    /// and subscript.
    pub rise: f32,
    /// A colour behind the text (Word's highlight and run shading, ODF's text background).
    pub highlight: Option<Rgb>,
    /// Text that takes its room in the line but is not drawn (a template's placeholder,
    /// which LibreOffice leaves blank on paper).
    pub hidden: bool,
}

impl Default for SpanStyle {
    fn default() -> Self {
        SpanStyle {
            family: String::new(),
            size: 11.0,
            bold: false,
            italic: false,
            underline: false,
            strike: false,
            color: [0, 0, 0],
            rise: 0.0,
            highlight: None,
            hidden: false,
        }
    }
}

/// Superscript and subscript as LibreOffice sets them by default: 58 % of the size,
/// the baseline raised by 33 % of the size, or lowered by 8 %.
const SCRIPT_SIZE: f32 = 0.58;
const SUPERSCRIPT_RISE: f32 = 0.33;
const SUBSCRIPT_DROP: f32 = 0.08;

impl SpanStyle {
    /// This style as superscript (`up`) or subscript, sized and moved from its own size.
    pub fn script(self, up: bool) -> SpanStyle {
        let rise = if up { self.size * SUPERSCRIPT_RISE } else { -self.size * SUBSCRIPT_DROP };
        SpanStyle { size: self.size * SCRIPT_SIZE, rise, ..self }
    }
}

/// Horizontal alignment of a block's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Start,
    Center,
    End,
    Justify,
}

/// A paragraph: styled spans plus spacing, indents and alignment (all in points).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub spans: Vec<(String, SpanStyle)>,
    pub align: Align,
    pub indent_left: f32,
    pub indent_right: f32,
    /// Extra indent of the first line (negative for a hanging indent).
    pub indent_first: f32,
    pub space_before: f32,
    pub space_after: f32,
    /// Line height as a multiple of the font's natural line height (its ascent, descent
    /// and line gap, as LibreOffice and Word measure "single" spacing).
    pub line_height: f32,
    /// An exact line height in points, instead of `line_height`.
    pub line_exact: Option<f32>,
    /// The least line height in points ("at least" spacing): a line whose text is taller
    /// keeps its natural height. Not with `line_exact`.
    pub line_at_least: Option<f32>,
    /// How the lines are spaced and where each line's baseline sits.
    pub line_model: LineModel,
    /// Space between East Asian text and Latin letters or digits that touch it (Word's
    /// `autoSpaceDE`/`autoSpaceDN`, ODF's `text-autospace`), as LibreOffice sets it.
    pub autospace: bool,
    /// The pitch of the document grid the lines snap to, in points: each line takes as
    /// many whole steps of it as it needs, its text at the foot of them.
    /// [`LineModel::Writer`] blocks only, and not with `line_exact`.
    pub line_grid: Option<f32>,
    /// Starts a new page.
    pub page_break_before: bool,
    /// A list label (bullet or number) hanging at the first-line indent.
    pub marker: Option<(String, SpanStyle)>,
    /// Widow and orphan control: no first line alone at the foot of a page, no last
    /// line alone at the top of the next.
    pub widow_control: bool,
    /// A background behind the paragraph's lines, between its indents.
    pub shading: Option<Rgb>,
    /// Keep with next: the paragraph starts a new page unless it fits on this one
    /// together with the first line of what follows it (a heading is not left alone at
    /// the foot of a page).
    pub keep_with_next: bool,
    /// The footnotes this paragraph refers to: indices into the notes the flow is laid
    /// out with ([`flow_with_notes`]), which go to the foot of the page it ends on.
    pub notes: Vec<usize>,
    /// Tab stops the paragraph sets, in points from the left edge of the column (or cell,
    /// or box) it sits in, not from its indent: as Word, RTF and Word 97 measure them.
    pub tabs: Vec<TabStop>,
    /// Distance between the default stops a tab goes to past the last set one, in points
    /// from the same edge; 0 is half an inch, Word's and LibreOffice's default.
    pub tab_interval: f32,
    /// Borders around the paragraph, outside its indents; a run of paragraphs with the same
    /// borders and indents shares one box, as in Word and LibreOffice.
    pub borders: Borders,
    /// The space between each border and the text (top, left, bottom, right), in points.
    pub border_space: [f32; 4],
    /// Pictures set in the text as characters, in order: each stands where the text has
    /// [`PICTURE_MARK`], with its size in points.
    pub pictures: Vec<(ImageRef, f32, f32)>,
    /// The paragraph's direction: `Some(true)` right to left (its start, where `Start`
    /// aligns and the first-line indent applies, is the right), `Some(false)` left to
    /// right, `None` from its first strong character.
    pub right_to_left: Option<bool>,
    /// Writer lines without their fonts' line gap (the "external leading" that old Writer
    /// documents leave out).
    pub no_line_gap: bool,
}

/// A paragraph's line spacing as documents state it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineSpacing {
    /// A proportion of single spacing (`1.5` for one and a half lines).
    Proportional(f32),
    /// An exact line height in points.
    Exact(f32),
    /// At least this many points.
    AtLeast(f32),
}

impl LineSpacing {
    /// The block fields a spacing (or none: single) sets: `line_height`, `line_exact` and
    /// `line_at_least`.
    pub fn block_fields(spacing: Option<LineSpacing>) -> (f32, Option<f32>, Option<f32>) {
        match spacing {
            Some(LineSpacing::Proportional(share)) => (share, None, None),
            Some(LineSpacing::Exact(points)) => (1.0, Some(points), None),
            Some(LineSpacing::AtLeast(points)) => (1.0, None, Some(points)),
            None => (1.0, None, None),
        }
    }
}

/// How a block's lines are spaced, and where the baseline sits in each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineModel {
    /// As CSS lays lines out: a font's line gap, and any extra height from the spacing,
    /// split evenly above and below the text (slides, sheets, plain text, e-mail).
    #[default]
    Css,
    /// As LibreOffice Writer (and Word) lay a text document's lines out: the font's line
    /// gap above its ascent; extra height from proportional spacing below the text; an
    /// exact or shrunk line's baseline at 80 % of its height; the extra height of an
    /// "at least" line above the text.
    Writer,
    /// As LibreOffice Impress lays out PowerPoint's text: each font's line is 1.2 times its
    /// size whatever its face, the baseline one size below the line's top; extra height
    /// from spacing (proportional, exact or at least) goes above the text, and proportional
    /// spacing below single puts the baseline at [`EXACT_ASCENT`] of the line's height.
    Impress,
}

/// Where a picture set as a character stands in a block's text (the object replacement
/// character).
pub const PICTURE_MARK: char = '\u{FFFC}';

/// Sets a picture (with its size in points) in a block's spans and pictures as a
/// character of its size, in `style`: a [`PICTURE_MARK`] at the end of the last span when
/// that has the style, else in a span of its own. False, with nothing added, when the
/// block already holds [`MAX_PICTURES`].
pub fn push_picture(spans: &mut Vec<(String, SpanStyle)>, pictures: &mut Vec<(ImageRef, f32, f32)>, picture: (ImageRef, f32, f32), style: &SpanStyle) -> bool {
    if pictures.len() >= MAX_PICTURES {
        return false;
    }
    pictures.push(picture);
    match spans.last_mut() {
        Some((last, s)) if s == style => last.push(PICTURE_MARK),
        _ => spans.push((PICTURE_MARK.to_string(), style.clone())),
    }
    true
}

/// Inline box ids of pictures start here; those below are tabs.
const PICTURE_BOX: u64 = 1 << 40;

/// Where a tab takes the text after it, and how that text is aligned there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TabStop {
    /// From the left edge of the paragraph's column, in points.
    pub position: f32,
    pub align: TabAlign,
    /// What fills the space the tab spans.
    pub leader: Leader,
}

impl TabStop {
    /// A stop at `position` points with the kind Word's binary formats give as a TBD byte
    /// (alignment in bits 0-2, leader in bits 3-5; RTF's control words map onto it); none
    /// for a bar tab (a vertical line, not a stop) or an unknown alignment.
    pub fn from_tbd(position: f32, tbd: u8) -> Option<TabStop> {
        let align = match tbd & 7 {
            0 => TabAlign::Left,
            1 => TabAlign::Center,
            2 => TabAlign::Right,
            3 => TabAlign::Decimal,
            _ => return None,
        };
        let leader = match (tbd >> 3) & 7 {
            1 => Leader::Dots,
            2 => Leader::Hyphens,
            3 => Leader::Line,
            4 => Leader::Heavy,
            5 => Leader::MiddleDots,
            _ => Leader::None,
        };
        Some(TabStop { position, align, leader })
    }
}

/// How the text after a tab lines up with its stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TabAlign {
    /// Starts at the stop.
    #[default]
    Left,
    /// Is centred on the stop.
    Center,
    /// Ends at the stop (up to the next tab or the end of the line).
    Right,
    /// Has its decimal point at the stop (right-aligned when it has none).
    Decimal,
}

/// The marks drawn across the space a tab spans (a table of contents' dots, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Leader {
    #[default]
    None,
    Dots,
    MiddleDots,
    Hyphens,
    /// A line at the underline's place.
    Line,
    /// A heavy line there.
    Heavy,
}

/// Page size and margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    pub width: f32,
    pub height: f32,
    pub margin_top: f32,
    pub margin_right: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
}

impl Default for PageSetup {
    /// US Letter with one-inch margins.
    fn default() -> Self {
        PageSetup { width: 612.0, height: 792.0, margin_top: 72.0, margin_right: 72.0, margin_bottom: 72.0, margin_left: 72.0 }
    }
}

/// The brush parley carries through layout: the span's colour.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Brush {
    /// The span's baseline shift, in points up.
    rise: f32,
    color: Rgb,
    /// The colour behind the span's glyphs, the line's height.
    highlight: Option<Rgb>,
    hidden: bool,
}

/// Distance between default tab stops when a block sets none (half an inch), in points.
const DEFAULT_TAB_INTERVAL: f32 = 36.0;
/// Times a paragraph with tabs is laid out again to put its tabs' text at their stops.
/// Each pass places every tab given the lines the previous pass broke; the next one is
/// needed only where a tab's new width moved a line break.
const TAB_PASSES: usize = 4;
/// Tabs placed at their stops in one paragraph; later ones take the default interval's
/// width without measuring (a hostile paragraph of 100 000 tabs stays linear).
const MAX_PLACED_TABS: usize = 256;
/// Horizontal padding inside a table cell (Word's default, 0.075 in).
pub const CELL_PADDING: f32 = 5.4;

/// A block of text laid out by [`Painter::text`] and kept by a [`Canvas`]; pages refer to
/// it, so one layout (a running header, say) can be placed on many pages.
#[derive(Debug, Clone)]
pub struct Text {
    index: usize,
    /// Top and bottom of each line, in points from the top of the layout.
    pub lines: Vec<(f32, f32)>,
    /// Width of the widest line, in points.
    pub width: f32,
}

impl Text {
    /// Height of all lines, in points.
    pub fn height(&self) -> f32 {
        self.lines.last().map_or(0.0, |l| l.1)
    }
}

/// A picture kept by a [`Canvas`]: a decoded image, or a figure drawn with the canvas's
/// own items (a chart, a placeholder) in its own coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageRef {
    index: usize,
    /// Size in pixels (an image) or points (a figure).
    pub width: u32,
    pub height: u32,
    figure: bool,
}

impl ImageRef {
    /// Where to draw a figure's content; `None` for a decoded image.
    pub fn surface(&self) -> Option<Surface> {
        self.figure.then_some(Surface::Figure(self.index))
    }
}

/// What the drawing calls of a [`Canvas`] draw on: a page, by index, or a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Page(usize),
    Figure(usize),
}

impl From<usize> for Surface {
    fn from(page: usize) -> Self {
        Surface::Page(page)
    }
}

/// An outline a shape can have.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    Rect,
    RoundRect,
    Ellipse,
    /// A closed polygon, its points in the unit square scaled to the shape's box.
    Polygon(Vec<(f32, f32)>),
}

/// A point turned `angle` radians counterclockwise (on the page, y down) about `pivot`.
pub fn turn((px, py): (f32, f32), angle: f32, (cx, cy): (f32, f32)) -> (f32, f32) {
    let (sin, cos) = angle.sin_cos();
    let (dx, dy) = (px - cx, py - cy);
    (cx + dx * cos + dy * sin, cy - dx * sin + dy * cos)
}

/// A stroke: colour and width in points.
pub type Stroke = (Rgb, f32);

/// How a gradient runs across a shape's box from its first colour to its second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gradient {
    /// Along a line turned `angle` degrees counterclockwise from top-to-bottom; `axial`
    /// runs first colour, second colour, first colour.
    Linear { angle: f32, axial: bool, border: f32 },
    /// Out from a centre (fractions of the box) to the farthest corner: the second colour
    /// in the centre, the first at the edge.
    Radial { cx: f32, cy: f32, border: f32 },
}

/// A hatch: thin parallel lines `distance` points apart, turned `angle` degrees
/// counterclockwise from horizontal, of one colour over what is below. `crossings` 2 adds
/// the lines at right angles to them, 3 the lines at 45 degrees between too: ODF's single,
/// double and triple hatches, and how LibreOffice shows DrawingML's pattern fills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hatch {
    pub color: Rgb,
    pub distance: f32,
    pub angle: f32,
    pub crossings: u8,
}

/// Most lines drawn in one direction of a hatch: closer lines are spread out to this many.
const MAX_HATCH_LINES: f32 = 1_000.0;

impl Hatch {
    /// The directions of its lines, in degrees counterclockwise from horizontal.
    fn directions(&self) -> impl Iterator<Item = f32> + '_ {
        [0.0, 90.0, 45.0].into_iter().take(usize::from(self.crossings.clamp(1, 3))).map(|d| self.angle + d)
    }
}

/// A box in points: left, top, right, bottom.
pub type Box2 = [f32; 4];

/// One thing drawn on a page, in page points.
enum Item {
    Text {
        index: usize,
        lines: std::ops::Range<usize>,
        x: f32,
        top: f32,
        shift: f32,
    },
    Shape {
        kind: ShapeKind,
        rect: Box2,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
        /// Opacity of the fill (255: opaque).
        alpha: u8,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        stroke: Stroke,
    },
    /// A polyline or polygon through points in page points.
    Path {
        points: Vec<(f32, f32)>,
        closed: bool,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
        alpha: u8,
    },
    /// The area inside closed polygons taken together (even-odd): a polygon inside another
    /// is a hole, whichever way it runs, as LibreOffice fills its shapes.
    Area {
        polygons: Vec<Vec<(f32, f32)>>,
        fill: Rgb,
        alpha: u8,
    },
    Image {
        index: usize,
        rect: Box2,
    },
    /// A figure's items, mapped from its own box (0, 0, width, height) onto `rect`.
    Figure {
        index: usize,
        rect: Box2,
    },
    /// A shape filled with a gradient from one colour to another.
    Gradient {
        kind: ShapeKind,
        rect: Box2,
        colors: ([u8; 4], [u8; 4]),
        gradient: Gradient,
    },
    /// A shape's area crossed by hatch lines.
    Hatch {
        kind: ShapeKind,
        rect: Box2,
        hatch: Hatch,
    },
    Clip(ShapeKind, Box2),
    EndClip,
    /// What follows is drawn through this mapping of page points (a printed sheet's scale,
    /// a turned shape), until [`Item::EndTransform`].
    Transform(Affine),
    EndTransform,
}

/// A page: its size in points, background and items in drawing order.
struct Page {
    width: f32,
    height: f32,
    background: Rgb,
    items: Vec<Item>,
}

/// Pages ready to draw, with the text layouts and images they use.
#[derive(Default)]
pub struct Canvas {
    layouts: Vec<Layout<Brush>>,
    /// The leaders of each layout's tabs that have one, by layout index, then tab index.
    leaders: std::collections::HashMap<usize, Vec<Option<LeaderMark>>>,
    /// The pictures set in each layout's text, by layout index, then picture index.
    pictures: std::collections::HashMap<usize, Vec<ImageRef>>,
    /// How far each line of a layout is drawn below where parley put it, by layout index,
    /// then line: for lines spaced by another model than parley's own ([`LineModel`]).
    line_shifts: std::collections::HashMap<usize, Vec<f32>>,
    images: Vec<std::sync::Arc<Pixmap>>,
    pages: Vec<Page>,
    figures: Vec<Page>,
}

impl Canvas {
    pub fn new() -> Self {
        Canvas::default()
    }

    /// Drops a text laid out only to be measured, when it is the last one laid out (as it
    /// is right after [`Painter::text`]); the canvas keeps any other.
    pub fn discard(&mut self, text: Text) {
        if text.index + 1 == self.layouts.len() {
            self.layouts.pop();
            self.leaders.remove(&text.index);
            self.pictures.remove(&text.index);
            self.line_shifts.remove(&text.index);
        }
    }

    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Adds a white page of the given size in points; returns its index.
    pub fn add_page(&mut self, width: f32, height: f32) -> usize {
        self.pages.push(Page { width, height, background: [255, 255, 255], items: Vec::new() });
        self.pages.len() - 1
    }

    /// Size of a page in points.
    pub fn page_size(&self, page: usize) -> (f32, f32) {
        (self.pages[page].width, self.pages[page].height)
    }

    /// Sets a page's background colour.
    pub fn set_background(&mut self, page: usize, color: Rgb) {
        self.pages[page].background = color;
    }

    /// Draws what `draw` adds to page `page` beneath what the page already holds (a page's
    /// background, drawn once the flow has made its pages).
    pub fn beneath(&mut self, page: usize, draw: impl FnOnce(&mut Canvas)) {
        self.beneath_pages(page..page + 1, draw);
    }

    /// Draws under what `pages` already hold, as [`Canvas::beneath`] does for one.
    pub fn beneath_pages(&mut self, pages: std::ops::Range<usize>, draw: impl FnOnce(&mut Canvas)) {
        let before: Vec<usize> = pages.clone().map(|p| self.pages.get(p).map_or(0, |page| page.items.len())).collect();
        draw(self);
        for (page, before) in pages.zip(before) {
            if let Some(page) = self.pages.get_mut(page) {
                let added = page.items.len().saturating_sub(before);
                page.items.rotate_right(added);
            }
        }
    }

    /// The items of a page or figure.
    fn items(&mut self, on: Surface) -> &mut Vec<Item> {
        match on {
            Surface::Page(i) => &mut self.pages[i].items,
            Surface::Figure(i) => &mut self.figures[i].items,
        }
    }

    /// Places `lines` of a text so that the first of them has its top at `top`.
    pub fn text_lines(&mut self, on: impl Into<Surface>, text: &Text, lines: std::ops::Range<usize>, x: f32, top: f32) {
        let Some(&(shift, _)) = text.lines.get(lines.start) else { return };
        self.items(on.into()).push(Item::Text { index: text.index, lines, x, top, shift });
    }

    /// Places a whole text with its top left corner at (`x`, `top`).
    pub fn text(&mut self, on: impl Into<Surface>, text: &Text, x: f32, top: f32) {
        self.text_lines(on, text, 0..text.lines.len(), x, top);
    }

    /// Draws a shape.
    pub fn shape(&mut self, on: impl Into<Surface>, kind: ShapeKind, rect: Box2, fill: Option<Rgb>, stroke: Option<Stroke>) {
        self.translucent_shape(on, kind, rect, fill, stroke, 255);
    }

    /// Draws a shape whose fill has opacity `alpha` (0: transparent, 255: opaque).
    pub fn translucent_shape(&mut self, on: impl Into<Surface>, kind: ShapeKind, rect: Box2, fill: Option<Rgb>, stroke: Option<Stroke>, alpha: u8) {
        let fill = fill.filter(|_| alpha > 0);
        if fill.is_some() || stroke.is_some() {
            self.items(on.into()).push(Item::Shape { kind, rect, fill, stroke, alpha });
        }
    }

    /// Fills a shape with a gradient from `colors.0` to `colors.1` (RGBA, not premultiplied).
    pub fn gradient(&mut self, on: impl Into<Surface>, kind: ShapeKind, rect: Box2, colors: ([u8; 4], [u8; 4]), gradient: Gradient) {
        if colors.0[3] > 0 || colors.1[3] > 0 {
            self.items(on.into()).push(Item::Gradient { kind, rect, colors, gradient });
        }
    }

    /// Draws a straight line.
    pub fn line(&mut self, on: impl Into<Surface>, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
        self.items(on.into()).push(Item::Line { from, to, stroke });
    }

    /// Draws a polyline (`closed` false) or polygon through `points`; points that are not
    /// finite are dropped.
    pub fn path(&mut self, on: impl Into<Surface>, points: Vec<(f32, f32)>, closed: bool, fill: Option<Rgb>, stroke: Option<Stroke>) {
        self.translucent_path(on, points, closed, fill, stroke, 255);
    }

    /// Draws a polyline or polygon whose fill has opacity `alpha`.
    pub fn translucent_path(&mut self, on: impl Into<Surface>, points: Vec<(f32, f32)>, closed: bool, fill: Option<Rgb>, stroke: Option<Stroke>, alpha: u8) {
        let points: Vec<(f32, f32)> = points.into_iter().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
        let fill = fill.filter(|_| alpha > 0);
        if points.len() >= 2 && (fill.is_some() || stroke.is_some()) {
            self.items(on.into()).push(Item::Path { points, closed, fill, stroke, alpha });
        }
    }

    /// Fills the area inside `polygons` (page points) taken together, with opacity `alpha`:
    /// where one lies inside another it is a hole (the even-odd rule, as LibreOffice fills
    /// paths and custom shapes). Points that are not finite are dropped.
    pub fn area(&mut self, on: impl Into<Surface>, polygons: Vec<Vec<(f32, f32)>>, fill: Rgb, alpha: u8) {
        let polygons: Vec<Vec<(f32, f32)>> =
            polygons.into_iter().map(|p| p.into_iter().filter(|(x, y)| x.is_finite() && y.is_finite()).collect::<Vec<_>>()).filter(|p| p.len() >= 3).collect();
        if !polygons.is_empty() && alpha > 0 {
            self.items(on.into()).push(Item::Area { polygons, fill, alpha });
        }
    }

    /// A new, empty figure of `width` by `height` points, drawn on through
    /// [`ImageRef::surface`] and placed like an image with [`Canvas::image`]. `None` when
    /// the size is unusable.
    pub fn add_figure(&mut self, width: f32, height: f32) -> Option<ImageRef> {
        if !(width.is_finite() && height.is_finite() && (0.5..=100_000.0).contains(&width) && (0.5..=100_000.0).contains(&height)) {
            return None;
        }
        self.figures.push(Page { width, height, background: [255, 255, 255], items: Vec::new() });
        Some(ImageRef { index: self.figures.len() - 1, width: width.ceil() as u32, height: height.ceil() as u32, figure: true })
    }

    /// The part of a decoded image a picture frame shows: `crop` is DrawingML's `srcRect`,
    /// the fractions cut from the left, top, right and bottom (negative ones pad the image
    /// with transparency), and `size` the frame in points. A new figure holding the image
    /// stretched so that only that part falls inside; the image itself when nothing is cut,
    /// when it is a figure already (figures do not nest), or when the part is degenerate.
    pub fn cropped(&mut self, image: ImageRef, crop: [f32; 4], (w, h): (f32, f32)) -> ImageRef {
        let [l, t, r, b] = crop.map(|c| if c.is_finite() { c.clamp(-10.0, 1.0) } else { 0.0 });
        let (shown_w, shown_h) = (1.0 - l - r, 1.0 - t - b);
        if image.figure || crop.iter().all(|c| c.abs() < 1e-4) || shown_w < 1e-3 || shown_h < 1e-3 {
            return image;
        }
        let Some(figure) = self.add_figure(w, h) else { return image };
        let (full_w, full_h) = (w / shown_w, h / shown_h);
        let (x, y) = (-l * full_w, -t * full_h);
        self.image(figure.surface().expect("a new figure"), image, [x, y, x + full_w, y + full_h]);
        figure
    }

    /// Gives up a figure that will not be placed (a picture that failed to draw): the last
    /// one added is removed, any other emptied.
    pub fn discard_figure(&mut self, image: ImageRef) {
        if !image.figure || image.index >= self.figures.len() {
            return;
        }
        if image.index + 1 == self.figures.len() {
            self.figures.pop();
        } else {
            self.figures[image.index].items.clear();
        }
    }

    /// The size of a figure in points; `None` for a decoded image.
    pub fn figure_size(&self, image: ImageRef) -> Option<(f32, f32)> {
        let figure = self.figures.get(image.index).filter(|_| image.figure)?;
        Some((figure.width, figure.height))
    }

    /// The index of the first page a figure is placed on.
    pub fn page_of(&self, image: ImageRef) -> Option<usize> {
        let wanted = image.index;
        // Placed on the page, or set in a text placed on it.
        let in_text = |layout: usize| self.pictures.get(&layout).is_some_and(|p| p.contains(&image));
        self.pages.iter().position(|p| {
            image.figure
                && p.items.iter().any(|i| match i {
                    Item::Figure { index, .. } => *index == wanted,
                    Item::Text { index, .. } => in_text(*index),
                    _ => false,
                })
        })
    }

    /// Keeps an image for drawing. RGBA8, not premultiplied; `None` when the sizes do not
    /// match or do not fit the rasterizer's 16-bit sides.
    pub fn add_image(&mut self, rgba: Vec<u8>, width: u32, height: u32) -> Option<ImageRef> {
        let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
        if w == 0 || h == 0 || rgba.len() != usize::from(w) * usize::from(h) * 4 {
            return None;
        }
        let metadata = PixelMetadata { may_have_transparency: true, alpha_type: vello_cpu::peniko::ImageAlphaType::Alpha };
        self.images.push(std::sync::Arc::new(Pixmap::from_parts(rgba, w, h, metadata)));
        Some(ImageRef { index: self.images.len() - 1, width, height, figure: false })
    }

    /// Draws an image or figure stretched over `rect`. A figure is placed on pages only;
    /// figures do not nest.
    pub fn image(&mut self, on: impl Into<Surface>, image: ImageRef, rect: Box2) {
        let on = on.into();
        let item = match (image.figure, on) {
            (false, _) => Item::Image { index: image.index, rect },
            (true, Surface::Page(_)) => Item::Figure { index: image.index, rect },
            (true, Surface::Figure(_)) => return,
        };
        self.items(on).push(item);
    }

    /// Clips what follows on the page to `rect`, until [`Canvas::end_clip`].
    pub fn clip(&mut self, on: impl Into<Surface>, rect: Box2) {
        self.items(on.into()).push(Item::Clip(ShapeKind::Rect, rect));
    }

    /// Clips what follows to a shape's outline in `rect`, until [`Canvas::end_clip`].
    pub fn clip_shape(&mut self, on: impl Into<Surface>, kind: ShapeKind, rect: Box2) {
        self.items(on.into()).push(Item::Clip(kind, rect));
    }

    /// Ends the innermost clip.
    pub fn end_clip(&mut self, on: impl Into<Surface>) {
        self.items(on.into()).push(Item::EndClip);
    }

    /// Draws what follows on the page `factor` times its size (line widths, text and
    /// figures too), with its (0, 0) at `origin`, until [`Canvas::end_transform`]. A printed
    /// sheet's scale. A factor that is not finite and positive counts as 1.
    pub fn zoom(&mut self, on: impl Into<Surface>, factor: f32, origin: (f32, f32)) {
        let factor = if factor.is_finite() && factor > 0.0 { factor.clamp(0.01, 100.0) } else { 1.0 };
        let (x, y) = (finite(origin.0), finite(origin.1));
        self.items(on.into()).push(Item::Transform(Affine::translate((x, y)) * Affine::scale(f64::from(factor))));
    }

    /// Draws what follows on the page mirrored in `rect` (left to right, top to bottom, as
    /// `flip` says), then turned `angle` radians counterclockwise about `pivot` (text,
    /// pictures and fills too), until [`Canvas::end_transform`]: a turned or mirrored shape
    /// drawn as if it were level. Angles that are not finite count as 0.
    pub fn turn(&mut self, on: impl Into<Surface>, angle: f32, pivot: (f32, f32), flip: (bool, bool), rect: Box2) {
        let (px, py) = (finite(pivot.0), finite(pivot.1));
        let [x0, y0, x1, y1] = rect.map(finite);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let mirror = Affine::translate((cx, cy))
            * Affine::scale_non_uniform(if flip.0 { -1.0 } else { 1.0 }, if flip.1 { -1.0 } else { 1.0 })
            * Affine::translate((-cx, -cy));
        let turn = Affine::translate((px, py)) * Affine::rotate(-finite(angle)) * Affine::translate((-px, -py));
        self.items(on.into()).push(Item::Transform(turn * mirror));
    }

    /// Ends the innermost zoom or turn.
    pub fn end_transform(&mut self, on: impl Into<Surface>) {
        self.items(on.into()).push(Item::EndTransform);
    }

    /// Crosses a shape's area with hatch lines (over what is drawn below it). A distance
    /// that is not finite and positive draws nothing.
    pub fn hatch(&mut self, on: impl Into<Surface>, kind: ShapeKind, rect: Box2, hatch: Hatch) {
        if hatch.distance.is_finite() && hatch.distance > 0.0 && hatch.angle.is_finite() && rect.iter().all(|v| v.is_finite()) {
            self.items(on.into()).push(Item::Hatch { kind, rect, hatch });
        }
    }

    /// Draws page `index` at `dpi` into `pixmap`, resized to `w` x `h` pixels (as
    /// [`fit_page`] chose them).
    pub fn draw(&self, index: usize, (dpi, w, h): (u32, u32, u32), ctx: &mut RenderContext, pixmap: &mut Pixmap, resources: &mut Resources) {
        ctx.reset_and_resize(w as u16, h as u16);
        pixmap.resize(w as u16, h as u16);
        let page = &self.pages[index];
        let scale = Affine::scale(f64::from(dpi) / 72.0);
        let [r, g, b] = page.background;
        ctx.set_transform(Affine::IDENTITY);
        ctx.set_paint(AlphaColor::from_rgba8(r, g, b, 255));
        ctx.fill_rect(&Rect::new(0.0, 0.0, f64::from(w), f64::from(h)));
        self.draw_items(&page.items, scale, true, ctx, resources);
        ctx.flush();
        ctx.render_with(pixmap, resources, RasterizerSettings { target_init: TargetInit::Clear(WHITE), ..Default::default() });
    }

    /// Draws `items` with `base` mapping their points to pixels; `outermost` is false inside a
    /// figure, where figures are not drawn again.
    fn draw_items(&self, items: &[Item], base: Affine, outermost: bool, ctx: &mut RenderContext, resources: &mut Resources) {
        let mut clips = 0usize;
        let mut base = base;
        let mut transforms = Vec::new();
        for item in items {
            match item {
                Item::Transform(mapping) => {
                    transforms.push(base);
                    base *= *mapping;
                }
                Item::EndTransform => base = transforms.pop().unwrap_or(base),
                Item::Hatch { kind, rect, hatch } => {
                    ctx.set_transform(base);
                    ctx.push_clip_layer(&shape_path(kind, rect));
                    let [r, g, b] = hatch.color;
                    ctx.set_paint(AlphaColor::from_rgba8(r, g, b, 255));
                    ctx.set_stroke(KurboStroke::new(stroke_width(0.0, base)));
                    ctx.stroke_path(&hatch_lines(rect, hatch));
                    ctx.pop_layer();
                }
                Item::Text { index, lines, x, top, shift } => {
                    let origin = base * Affine::translate((f64::from(*x), f64::from(top - shift)));
                    self.draw_text(*index, lines.clone(), origin, outermost, ctx, resources);
                }
                Item::Shape { kind, rect, fill, stroke, alpha } => {
                    ctx.set_transform(base);
                    let path = shape_path(kind, rect);
                    fill_and_stroke(ctx, &path, *fill, *stroke, *alpha, base);
                }
                Item::Gradient { kind, rect, colors, gradient } => {
                    ctx.set_transform(base);
                    ctx.set_paint_transform(Affine::IDENTITY);
                    ctx.set_paint(gradient_paint(rect, *colors, *gradient));
                    ctx.fill_path(&shape_path(kind, rect));
                }
                Item::Line { from, to, stroke: ([r, g, b], width) } => {
                    ctx.set_transform(base);
                    ctx.set_paint(AlphaColor::from_rgba8(*r, *g, *b, 255));
                    ctx.set_stroke(KurboStroke::new(stroke_width(*width, base)));
                    let mut path = BezPath::new();
                    path.move_to((f64::from(from.0), f64::from(from.1)));
                    path.line_to((f64::from(to.0), f64::from(to.1)));
                    ctx.stroke_path(&path);
                }
                Item::Image { index, rect } => self.draw_image(*index, rect, base, ctx),
                Item::Area { polygons, fill, alpha } => {
                    ctx.set_transform(base);
                    let mut path = BezPath::new();
                    for polygon in polygons {
                        polyline(&mut path, polygon);
                        path.close_path();
                    }
                    ctx.set_fill_rule(vello_cpu::peniko::Fill::EvenOdd);
                    fill_and_stroke(ctx, &path, Some(*fill), None, *alpha, base);
                    ctx.set_fill_rule(vello_cpu::peniko::Fill::NonZero);
                }
                Item::Path { points, closed, fill, stroke, alpha } => {
                    ctx.set_transform(base);
                    let mut path = BezPath::new();
                    polyline(&mut path, points);
                    if *closed {
                        path.close_path();
                    }
                    fill_and_stroke(ctx, &path, *fill, *stroke, *alpha, base);
                }
                Item::Figure { index, rect } if outermost => self.draw_figure(*index, rect, base, ctx, resources),
                Item::Figure { .. } => {}
                Item::Clip(kind, rect) => {
                    ctx.set_transform(base);
                    ctx.push_clip_layer(&shape_path(kind, rect));
                    clips += 1;
                }
                Item::EndClip => {
                    if clips > 0 {
                        ctx.pop_layer();
                        clips -= 1;
                    }
                }
            }
        }
        for _ in 0..clips {
            ctx.pop_layer();
        }
    }

    /// Draws decoded image `index` stretched over `rect`.
    fn draw_image(&self, index: usize, rect: &Box2, base: Affine, ctx: &mut RenderContext) {
        let Some(image) = self.images.get(index) else { return };
        let (iw, ih) = (f64::from(image.width()), f64::from(image.height()));
        let [x0, y0, x1, y1] = rect.map(f64::from);
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        ctx.set_transform(base * Affine::translate((x0, y0)) * Affine::scale_non_uniform((x1 - x0) / iw, (y1 - y0) / ih));
        ctx.set_paint_transform(Affine::IDENTITY);
        ctx.set_paint(vello_cpu::Image { image: vello_cpu::ImageSource::Pixmap(image.clone()), sampler: vello_cpu::peniko::ImageSampler::default() });
        ctx.fill_rect(&Rect::new(0.0, 0.0, iw, ih));
    }

    /// Draws figure `index` scaled into `rect`, clipped to its own box.
    fn draw_figure(&self, index: usize, rect: &Box2, base: Affine, ctx: &mut RenderContext, resources: &mut Resources) {
        let Some(figure) = self.figures.get(index) else { return };
        let [x0, y0, x1, y1] = rect.map(f64::from);
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        let (fw, fh) = (f64::from(figure.width), f64::from(figure.height));
        let inner = base * Affine::translate((x0, y0)) * Affine::scale_non_uniform((x1 - x0) / fw, (y1 - y0) / fh);
        ctx.set_transform(inner);
        ctx.push_clip_layer(&Rect::new(0.0, 0.0, fw, fh).to_path(0.1));
        self.draw_items(&figure.items, inner, false, ctx, resources);
        ctx.pop_layer();
    }

    fn draw_text(&self, index: usize, lines: std::ops::Range<usize>, origin: Affine, outermost: bool, ctx: &mut RenderContext, resources: &mut Resources) {
        let layout = &self.layouts[index];
        let leaders = self.leaders.get(&index);
        let pictures = self.pictures.get(&index);
        let shifts = self.line_shifts.get(&index);
        let base = origin;
        for (n, line) in layout.lines().enumerate().skip(lines.start).take(lines.len()) {
            let shift = shifts.and_then(|s| s.get(n)).copied().unwrap_or(0.0);
            let origin = base * Affine::translate((0.0, f64::from(shift)));
            // Highlights first, the line's height behind each highlighted run, so that no
            // highlight covers the glyphs of the run before it.
            let metrics = line.metrics();
            for item in line.items() {
                if let PositionedLayoutItem::GlyphRun(run) = item {
                    if let (Some([r, g, b]), false) = (run.style().brush.highlight, run.style().brush.hidden) {
                        ctx.set_transform(origin);
                        ctx.set_paint(AlphaColor::from_rgba8(r, g, b, 255));
                        let (x0, x1) = (f64::from(run.offset()), f64::from(run.offset() + run.advance()));
                        ctx.fill_rect(&Rect::new(x0, f64::from(metrics.block_min_coord), x1, f64::from(metrics.block_max_coord)));
                    }
                }
            }
            for item in line.items() {
                let run = match item {
                    PositionedLayoutItem::GlyphRun(run) => run,
                    PositionedLayoutItem::InlineBox(b) if b.id >= PICTURE_BOX => {
                        let picture = usize::try_from(b.id - PICTURE_BOX).ok().and_then(|k| pictures?.get(k));
                        if let Some(picture) = picture {
                            let rect = [b.x, b.y, b.x + b.width, b.y + b.height];
                            match picture.surface() {
                                None => self.draw_image(picture.index, &rect, origin, ctx),
                                Some(_) if outermost => self.draw_figure(picture.index, &rect, origin, ctx, resources),
                                Some(_) => {}
                            }
                        }
                        continue;
                    }
                    PositionedLayoutItem::InlineBox(tab) => {
                        if let Some(Some(mark)) = leaders.and_then(|l| l.get(tab.id as usize)) {
                            draw_leader(ctx, origin, mark, tab.x, tab.x + tab.width, line.metrics().baseline);
                        }
                        continue;
                    }
                };
                let brush = run.style().brush;
                if brush.hidden {
                    continue;
                }
                // Superscript and subscript: the run drawn with its baseline moved.
                let origin = origin * Affine::translate((0.0, -f64::from(brush.rise)));
                ctx.set_transform(origin);
                ctx.set_paint(AlphaColor::from_rgba8(brush.color[0], brush.color[1], brush.color[2], 255));
                let synthesis = run.run().synthesis();
                let glyphs = run.positioned_glyphs().map(|g| Glyph { id: g.id, x: g.x, y: g.y });
                let skew = synthesis.skew().map(|deg| Affine::skew(f64::from(deg).to_radians().tan(), 0.0));
                let mut builder = ctx.glyph_run(resources, run.run().font()).font_size(run.run().font_size()).hint(false);
                if let Some(skew) = skew {
                    builder = builder.glyph_transform(skew);
                }
                let _ = builder.fill_glyphs(glyphs);
                if synthesis.embolden() {
                    // Draw again a hair to the right: a cheap synthetic bold.
                    ctx.set_transform(origin * Affine::translate((f64::from(run.run().font_size()) / 40.0, 0.0)));
                    let glyphs = run.positioned_glyphs().map(|g| Glyph { id: g.id, x: g.x, y: g.y });
                    let _ = ctx.glyph_run(resources, run.run().font()).font_size(run.run().font_size()).hint(false).fill_glyphs(glyphs);
                }
                // Decorations of this glyph run: parley splits runs where the style changes,
                // so a decoration covers exactly the text that carries it.
                let style = run.style();
                if style.underline.is_some() || style.strikethrough.is_some() {
                    let metrics = run.run().font_metrics();
                    let (x0, x1) = (f64::from(run.offset()), f64::from(run.offset() + run.advance()));
                    let baseline = f64::from(run.baseline());
                    let thick = f64::from(metrics.underline_size.max(0.5));
                    ctx.set_transform(origin);
                    if style.underline.is_some() {
                        let y = baseline - f64::from(metrics.underline_offset);
                        ctx.fill_rect(&Rect::new(x0, y, x1, y + thick));
                    }
                    if style.strikethrough.is_some() {
                        let y = baseline - f64::from(metrics.strikethrough_offset);
                        ctx.fill_rect(&Rect::new(x0, y, x1, y + thick));
                    }
                }
            }
        }
    }
}

/// Adds a subpath through `points` (page points) to `path`.
fn polyline(path: &mut BezPath, points: &[(f32, f32)]) {
    for (i, &(x, y)) in points.iter().enumerate() {
        let p = (f64::from(x), f64::from(y));
        if i == 0 {
            path.move_to(p);
        } else {
            path.line_to(p);
        }
    }
}

/// A number, or 0 when it is not finite, for a transform.
fn finite(v: f32) -> f64 {
    if v.is_finite() {
        f64::from(v)
    } else {
        0.0
    }
}

/// The lines of a hatch across `rect` (in page points), long enough to cross it at any
/// angle; the shape's outline clips them. Lines run through the box's top left corner.
fn hatch_lines(rect: &Box2, hatch: &Hatch) -> BezPath {
    let [x0, y0, x1, y1] = rect.map(f64::from);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let reach = ((x1 - x0).hypot(y1 - y0) / 2.0).max(0.1);
    let mut path = BezPath::new();
    for degrees in hatch.directions() {
        let a = f64::from(degrees).to_radians();
        // Along the lines, and across them (counterclockwise on a page whose y runs down).
        let (ux, uy) = (a.cos(), -a.sin());
        let (nx, ny) = (-uy, ux);
        let distance = f64::from(hatch.distance).max(reach * 2.0 / f64::from(MAX_HATCH_LINES));
        // The first line's offset from the centre, so that one passes through the corner.
        let corner = (x0 - cx) * nx + (y0 - cy) * ny;
        let first = corner - ((corner + reach) / distance).floor() * distance;
        let mut offset = first;
        while offset <= reach {
            let (px, py) = (cx + nx * offset, cy + ny * offset);
            path.move_to((px - ux * reach, py - uy * reach));
            path.line_to((px + ux * reach, py + uy * reach));
            offset += distance;
        }
    }
    path
}

/// The paint of a gradient over `rect`.
fn gradient_paint(rect: &Box2, (from, to): ([u8; 4], [u8; 4]), gradient: Gradient) -> vello_cpu::peniko::Gradient {
    let [x0, y0, x1, y1] = rect.map(f64::from);
    let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
    let color = |[r, g, b, a]: [u8; 4]| AlphaColor::from_rgba8(r, g, b, a);
    let clean = |v: f32| if v.is_finite() { v } else { 0.0 };
    match gradient {
        Gradient::Linear { angle, axial, border } => {
            let a = f64::from(clean(angle)).to_radians();
            let (dx, dy) = (a.sin(), a.cos());
            let half = (w * dx.abs() + h * dy.abs()) / 2.0;
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let line = vello_cpu::peniko::Gradient::new_linear((cx - dx * half, cy - dy * half), (cx + dx * half, cy + dy * half));
            let b = clean(border).clamp(0.0, 0.99);
            if axial {
                line.with_stops([(b / 2.0, color(from)), (0.5, color(to)), (1.0 - b / 2.0, color(from))])
            } else {
                line.with_stops([(b, color(from)), (1.0, color(to))])
            }
        }
        Gradient::Radial { cx, cy, border } => {
            let (cx, cy) = (x0 + w * f64::from(clean(cx).clamp(0.0, 1.0)), y0 + h * f64::from(clean(cy).clamp(0.0, 1.0)));
            let radius = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)].iter().map(|(x, y)| (x - cx).hypot(y - cy)).fold(1.0, f64::max);
            let b = clean(border).clamp(0.0, 0.99);
            vello_cpu::peniko::Gradient::new_radial((cx, cy), radius as f32).with_stops([(0.0, color(to)), (1.0 - b, color(from))])
        }
    }
}

/// Fills and then outlines a path, each when given, drawn through `base`.
fn fill_and_stroke(ctx: &mut RenderContext, path: &BezPath, fill: Option<Rgb>, stroke: Option<Stroke>, alpha: u8, base: Affine) {
    if let Some([r, g, b]) = fill {
        ctx.set_paint(AlphaColor::from_rgba8(r, g, b, alpha));
        ctx.fill_path(path);
    }
    if let Some(([r, g, b], width)) = stroke {
        ctx.set_paint(AlphaColor::from_rgba8(r, g, b, 255));
        ctx.set_stroke(KurboStroke::new(stroke_width(width, base)));
        ctx.stroke_path(path);
    }
}

/// The width a line `width` points wide is stroked with through `base`: at least one
/// pixel, so that hairlines (table borders, gridlines) stay solid at low resolutions, as
/// PDF renderers draw them, rather than fading into grey.
fn stroke_width(width: f32, base: Affine) -> f64 {
    let [a, b, c, d, _, _] = base.as_coeffs();
    let scale = (a * d - b * c).abs().sqrt();
    let pixel = if scale.is_finite() && scale > 1e-6 { 1.0 / scale } else { 0.0 };
    f64::from(width.clamp(0.1, 100.0)).max(pixel)
}

/// The outline of a shape in page points.
fn shape_path(kind: &ShapeKind, rect: &Box2) -> BezPath {
    let [x0, y0, x1, y1] = rect.map(f64::from);
    let r = Rect::new(x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
    match kind {
        ShapeKind::Rect => r.to_path(0.1),
        ShapeKind::RoundRect => RoundedRect::from_rect(r, r.width().min(r.height()) / 6.0).to_path(0.1),
        ShapeKind::Ellipse => Ellipse::from_rect(r).to_path(0.1),
        ShapeKind::Polygon(points) => {
            let mut path = BezPath::new();
            for (i, (px, py)) in points.iter().enumerate() {
                let p = (r.x0 + f64::from(*px) * r.width(), r.y0 + f64::from(*py) * r.height());
                if i == 0 {
                    path.move_to(p);
                } else {
                    path.line_to(p);
                }
            }
            path.close_path();
            path
        }
    }
}

/// Font database and layout scratch space, built once per document.
pub struct Painter {
    font_cx: FontContext,
    layout_cx: LayoutContext<Brush>,
}

impl Painter {
    /// A painter that knows only the embedded fonts.
    pub fn new() -> Self {
        let mut collection = Collection::new(CollectionOptions { shared: false, system_fonts: false });
        for data in fonts::EMBEDDED {
            collection.register_fonts(Blob::new(std::sync::Arc::new(*data)), None);
        }
        Painter { font_cx: FontContext { collection, source_cache: SourceCache::default() }, layout_cx: LayoutContext::new() }
    }

    /// Lays out a block's text in lines at most `width` points wide (one line per
    /// paragraph when `None`), and keeps the layout in `canvas`. Indents and spacing are
    /// the caller's business, except the first-line indent.
    pub fn text(&mut self, canvas: &mut Canvas, block: &Block, width: Option<f32>) -> Text {
        self.text_around(canvas, block, width, &[])
    }

    /// Lays out a block's text as [`Painter::text`] does, each line kept clear of the
    /// boxes in `around` (in points from the text's top left corner): beside them where
    /// there is room, else below them.
    pub fn text_around(&mut self, canvas: &mut Canvas, block: &Block, width: Option<f32>, around: &[Box2]) -> Text {
        let around = if width.is_some() { around } else { &[] };
        let mut text = String::new();
        let mut ranges = Vec::new();
        let mut tabs = Vec::new();
        let mut pictures = Vec::new();
        // parley gives a tab or picture before any text the left-to-right level, whatever
        // the paragraph's direction, and so puts it at the left end of a right-to-left
        // line; a right-to-left mark before it gives it the paragraph's level.
        let leading_mark =
            block.right_to_left == Some(true) && block.spans.iter().flat_map(|(s, _)| s.chars()).next().is_some_and(|c| c == '\t' || c == PICTURE_MARK);
        for (n, (span, style)) in block.spans.iter().enumerate() {
            let start = text.len();
            if n == 0 && leading_mark {
                text.push('\u{200F}');
            }
            let symbols = fonts::SymbolFont::of(&style.family);
            for c in span.chars() {
                match c {
                    '\t' => tabs.push(text.len()),
                    PICTURE_MARK => pictures.push(text.len()),
                    c => text.push(fonts::symbol_char(c, symbols)),
                }
            }
            ranges.push((start, text.len(), style));
        }
        pictures.truncate(block.pictures.len().min(MAX_PICTURES));
        let marks = Marks { tabs: &tabs, pictures: &pictures };
        if text.is_empty() && tabs.is_empty() && pictures.is_empty() {
            // An empty paragraph still takes a line of its paragraph mark's height; the mark
            // is not underlined, struck through or highlighted.
            text.push(' ');
            let style = block.spans.first().map(|(_, s)| SpanStyle { underline: false, strike: false, highlight: None, ..s.clone() }).unwrap_or_default();
            ranges = vec![(0, 1, &style)];
            return self.build(canvas, block, &text, &ranges, &Marks { tabs: &[], pictures: &[] }, width, around);
        }
        self.build(canvas, block, &text, &ranges, &marks, width, around)
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        canvas: &mut Canvas,
        block: &Block,
        text: &str,
        ranges: &[(usize, usize, &SpanStyle)],
        marks: &Marks<'_>,
        width: Option<f32>,
        around: &[Box2],
    ) -> Text {
        let tabs = marks.tabs;
        let width = width.map(|w| w.max(1.0));
        // Each tab is an inline box as wide as the space to its stop: laid out first with
        // no width, then again with the widths the lines just broken call for.
        let mut widths = vec![0.0; tabs.len()];
        let mut layout = self.shape(block, text, ranges, marks, &widths, width, around);
        let passes = if tabs.is_empty() { 0 } else { TAB_PASSES };
        for _ in 0..passes {
            let wanted = tab_widths(&layout, block, text, tabs, &widths, width);
            if wanted.iter().zip(&widths).all(|(a, b)| (a - b).abs() < 0.25) {
                break;
            }
            widths = wanted;
            layout = self.shape(block, text, ranges, marks, &widths, width, around);
        }
        let align = match block.align {
            Align::Start => Alignment::Start,
            Align::Center => Alignment::Center,
            Align::End => Alignment::End,
            Align::Justify => Alignment::Justify,
        };
        layout.align(align, AlignmentOptions::default());
        let (lines, shifts) = match block.line_model {
            // Lines of an exact height end where the next starts.
            // A line lower than an "at least" height grows to it, its text centred.
            LineModel::Css => {
                let mut moved = 0.0f32;
                let mut shifts = Vec::new();
                let least = block.line_at_least.map(|l| l.min(2_000.0));
                let lines = layout
                    .lines()
                    .map(|l| {
                        let (top, bottom) = (l.metrics().block_min_coord + moved, l.metrics().block_max_coord + moved);
                        let extra = least.map_or(0.0, |least| (least - (bottom - top)).max(0.0));
                        if least.is_some() {
                            shifts.push(moved + extra / 2.0);
                        }
                        moved += extra;
                        match (block.line_exact, width) {
                            (Some(exact), Some(_)) => (top, top + exact.clamp(1.0, 2_000.0)),
                            _ => (top, bottom + extra),
                        }
                    })
                    .collect();
                (lines, shifts)
            }
            model => spaced_lines(&layout, block, model),
        };
        let text_width = layout.width();
        let index = canvas.layouts.len();
        if !tabs.is_empty() && block.tabs.iter().any(|t| t.leader != Leader::None) {
            canvas.leaders.insert(index, tab_leaders(block, ranges, tabs, &layout, width));
        }
        if !marks.pictures.is_empty() {
            canvas.pictures.insert(index, block.pictures.iter().take(marks.pictures.len()).map(|p| p.0).collect());
        }
        if shifts.iter().any(|s: &f32| s.abs() > 0.001) {
            canvas.line_shifts.insert(index, shifts);
        }
        canvas.layouts.push(layout);
        Text { index, lines, width: text_width }
    }

    /// Shapes a block's text and breaks it into lines, its tabs `widths` wide, aligned at
    /// the start (where tab positions are measured).
    #[allow(clippy::too_many_arguments)]
    fn shape(
        &mut self,
        block: &Block,
        text: &str,
        ranges: &[(usize, usize, &SpanStyle)],
        marks: &Marks<'_>,
        widths: &[f32],
        width: Option<f32>,
        around: &[Box2],
    ) -> Layout<Brush> {
        let tabs = marks.tabs;
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, text, 1.0, false);
        if let Some(rtl) = block.right_to_left {
            builder.set_base_direction(if rtl { BaseDirection::Rtl } else { BaseDirection::Ltr });
        }
        let line_height = match block.line_exact {
            Some(points) => LineHeight::Absolute(points.clamp(1.0, 2_000.0)),
            None => LineHeight::MetricsRelative(block.line_height.clamp(0.5, 10.0)),
        };
        builder.push_default(StyleProperty::LineHeight(line_height));
        // A word wider than the line is broken where it runs out of room, as Office breaks
        // it, rather than running over the column or the cell's edge.
        builder.push_default(StyleProperty::OverflowWrap(OverflowWrap::BreakWord));
        // Parley's default size (16 px) would otherwise set a floor under every line's height.
        let base_size = ranges.first().map_or(11.0, |r| r.2.size.clamp(1.0, 400.0));
        builder.push_default(StyleProperty::FontSize(base_size));
        // Nor should a default family's metrics: an empty line takes its first span's font.
        if let Some(first) = ranges.first() {
            builder.push_default(StyleProperty::FontFamily(FontFamily::Source(fonts::family_for(&first.2.family).into())));
        }
        for &(start, end, style) in ranges {
            let range = start..end;
            builder.push(StyleProperty::FontFamily(FontFamily::Source(fonts::family_for(&style.family).into())), range.clone());
            builder.push(StyleProperty::FontSize(style.size.clamp(1.0, 400.0)), range.clone());
            builder.push(StyleProperty::FontWeight(if style.bold { FontWeight::BOLD } else { FontWeight::NORMAL }), range.clone());
            builder.push(StyleProperty::FontStyle(if style.italic { FontStyle::Italic } else { FontStyle::Normal }), range.clone());
            builder.push(
                StyleProperty::Brush(Brush { color: style.color, rise: style.rise.clamp(-400.0, 400.0), highlight: style.highlight, hidden: style.hidden }),
                range.clone(),
            );
            builder.push(StyleProperty::Underline(style.underline), range.clone());
            builder.push(StyleProperty::Strikethrough(style.strike), range.clone());
        }
        if block.autospace {
            for (range, size) in autospace_gaps(text, ranges) {
                builder.push(StyleProperty::LetterSpacing(size * AUTOSPACE), range);
            }
        }
        let interval = tab_interval(block);
        for (id, &index) in tabs.iter().enumerate() {
            // Past the tabs that are placed, each takes the default interval.
            let width = if id < MAX_PLACED_TABS { widths[id] } else { interval };
            builder.push_inline_box(InlineBox {
                id: id as u64,
                kind: InlineBoxKind::InFlow,
                index,
                width: width.clamp(0.0, 10_000.0),
                height: 0.0,
                baseline: None,
                vertical_align: VerticalAlign::BASELINE,
            });
        }
        for (k, (&index, &(_, w, h))) in marks.pictures.iter().zip(&block.pictures).enumerate() {
            // A picture wider than the line is scaled down to it, keeping its shape.
            let (w, h) = (w.clamp(1.0, 10_000.0), h.clamp(1.0, 10_000.0));
            let scale = width.map_or(1.0, |width| (width.max(1.0) / w).min(1.0));
            builder.push_inline_box(InlineBox {
                id: PICTURE_BOX + k as u64,
                kind: InlineBoxKind::InFlow,
                index,
                width: w * scale,
                height: h * scale,
                baseline: None,
                vertical_align: VerticalAlign::BASELINE,
            });
        }
        let mut layout = builder.build(text);
        if block.indent_first != 0.0 {
            layout.set_text_indent(block.indent_first, IndentOptions::default());
        }
        let exact = block.line_exact.map(|l| l.clamp(1.0, 2_000.0));
        // The height a line is expected to take, to tell which boxes it meets.
        let size = ranges.iter().map(|r| r.2.size.clamp(1.0, 400.0)).fold(1.0, f32::max);
        let line = exact.unwrap_or(size * 1.2 * block.line_height.clamp(0.5, 10.0));
        match width {
            Some(width) if !around.is_empty() || exact.is_some() => break_around(&mut layout, width, around, line, exact, &[]),
            _ => layout.break_all_lines(width),
        }
        // East Asian full stops and commas hang past the end of a full line rather than
        // take the character before them to the next (Word's and LibreOffice's default
        // for documents and slides). Each pass lets one more line keep its stop.
        if let (Some(width), false) = (width, block.line_model == LineModel::Css) {
            let mut extra: Vec<f32> = Vec::new();
            for _ in 0..MAX_HANGING_PASSES {
                let Some((line_index, advance)) = hanging_stop(&layout, text, extra.len()) else { break };
                extra.resize(line_index + 1, 0.0);
                extra[line_index] = advance;
                break_around(&mut layout, width, around, line, exact, &extra);
            }
        }
        layout.align(Alignment::Start, AlignmentOptions::default());
        layout
    }
}

/// The space set between East Asian text and Latin letters or digits beside it, as a share
/// of the font size ([`Block::autospace`]).
const AUTOSPACE: f32 = 0.2;

/// Gaps kept at most per block for [`Block::autospace`].
const MAX_AUTOSPACE_GAPS: usize = 4_096;

/// Whether a character is an ideograph or kana: the East Asian side of autospacing (not
/// punctuation or full-width forms, which carry their own space).
fn is_ideographic(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x309F | 0x30A0..=0x30FA | 0x30FC..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether a character is a Latin letter or digit: the other side of autospacing.
fn is_western_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\u{C0}'..='\u{24F}') && c.is_alphabetic()
}

/// Where autospacing adds space: the byte range of each character followed directly by
/// one from the other side (an ideograph then a Latin letter or digit, or the reverse),
/// with the font size there (the space goes after the character).
fn autospace_gaps(text: &str, ranges: &[(usize, usize, &SpanStyle)]) -> Vec<(std::ops::Range<usize>, f32)> {
    let mut gaps = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let Some(&(next_at, next)) = chars.peek() else { break };
        let boundary = (is_ideographic(c) && is_western_alphanumeric(next)) || (is_western_alphanumeric(c) && is_ideographic(next));
        if boundary {
            let size = ranges.iter().find(|r| r.0 <= next_at && next_at < r.1).map_or(11.0, |r| r.2.size.clamp(1.0, 400.0));
            gaps.push((at..next_at, size));
            if gaps.len() >= MAX_AUTOSPACE_GAPS {
                break;
            }
        }
    }
    gaps
}

/// The share of an exact (or shrunk) line's height above its baseline, as LibreOffice
/// Writer places it.
const EXACT_ASCENT: f32 = 0.8;

/// The share of a font's size that Impress sets as its line height, above and below its
/// baseline ([`LineModel::Impress`]).
const IMPRESS_LINE: (f32, f32) = (1.0, 0.2);

/// The lines of a laid-out block spaced by `model` (Writer's or Impress's): the top and
/// bottom of each (as [`Text::lines`]), and how far each is to be drawn below where parley
/// put it.
///
/// Writer: a line's natural ascent is the largest of its fonts' ascent plus line gap
/// (Writer sets the gap above the text; CSS, so parley, splits it) and of its pictures'
/// heights; its descent the largest of its fonts' descents. Proportional spacing above
/// single adds its extra height below the text; below single, and for an exact height, the
/// baseline sits at [`EXACT_ASCENT`] of the line's height; an "at least" height adds its
/// extra height above. On a document grid, a line takes whole steps of its pitch, its text
/// at their foot.
///
/// Impress: each font counts [`IMPRESS_LINE`] of its size; extra height goes above.
///
/// A line parley moved down (below a float) keeps that move.
fn spaced_lines(layout: &Layout<Brush>, block: &Block, model: LineModel) -> (Vec<(f32, f32)>, Vec<f32>) {
    let impress = model == LineModel::Impress;
    let mut lines = Vec::new();
    let mut shifts = Vec::new();
    // How much lower this model has put the lines so far than parley.
    let mut moved = 0.0f32;
    let proportion = block.line_height.clamp(0.5, 10.0);
    let least = block.line_at_least.map(|l| l.min(2_000.0));
    for line in layout.lines() {
        let metrics = line.metrics();
        let (mut ascent, mut descent, mut any) = (0.0f32, 0.0f32, false);
        for item in line.items() {
            match item {
                PositionedLayoutItem::GlyphRun(run) => {
                    let font = run.run().font_metrics();
                    let size = run.run().font_size();
                    let (above, below) = if impress {
                        (size * IMPRESS_LINE.0, size * IMPRESS_LINE.1)
                    } else if block.no_line_gap {
                        (font.ascent, font.descent)
                    } else {
                        (font.ascent + font.leading.max(0.0), font.descent)
                    };
                    let rise = run.style().brush.rise.clamp(-400.0, 400.0);
                    ascent = ascent.max(above + rise);
                    descent = descent.max(below - rise);
                    any = true;
                }
                PositionedLayoutItem::InlineBox(b) if b.id >= PICTURE_BOX => {
                    ascent = ascent.max(b.height);
                    any = true;
                }
                PositionedLayoutItem::InlineBox(_) => {}
            }
        }
        if !any {
            // An empty line: the block's own font, as parley measured it.
            ascent = metrics.baseline - metrics.block_min_coord;
            descent = metrics.block_max_coord - metrics.baseline;
        }
        let natural = (ascent + descent).max(0.0);
        let (height, baseline) = match (block.line_exact, least) {
            (Some(exact), _) => {
                let exact = exact.clamp(1.0, 2_000.0);
                (exact, if impress { ascent + exact - natural } else { exact * EXACT_ASCENT })
            }
            (None, Some(least)) if least > natural => (least, least - descent),
            _ if proportion < 1.0 => {
                let height = natural * proportion;
                (height, (height * EXACT_ASCENT).min(if impress { ascent } else { f32::MAX }))
            }
            _ if impress => (natural * proportion, ascent + natural * (proportion - 1.0)),
            _ => (natural * proportion, ascent),
        };
        let (height, baseline) = match block.line_grid.filter(|p| *p >= 1.0 && block.line_exact.is_none()) {
            Some(pitch) => {
                let steps = (height / pitch - 0.01).ceil().clamp(1.0, 1_000.0);
                (steps * pitch, steps * pitch - descent)
            }
            None => (height, baseline),
        };
        let top = metrics.block_min_coord + moved;
        moved += height - (metrics.block_max_coord - metrics.block_min_coord);
        lines.push((top, top + height));
        shifts.push(top + baseline - metrics.baseline);
    }
    (lines, shifts)
}

/// The narrowest room beside a float that a line is put in, in points (or the whole
/// width, when narrower).
const MIN_ROOM_BESIDE: f32 = 24.0;

/// Breaks `layout` into lines at most `width` wide, each placed clear of the boxes in
/// `around` (in points from the layout's top left corner): in the widest room a line
/// `line` high has beside them, or below them when none is wide enough. With an `exact`
/// line height, each line starts that far below the one before, whatever its fonts'
/// boxes add up to (parley would grow a line whose fonts differ in their proportions).
fn break_around(layout: &mut Layout<Brush>, width: f32, around: &[Box2], line: f32, exact: Option<f32>, extra: &[f32]) {
    let mut breaker = layout.break_lines();
    breaker.state_mut().set_layout_max_advance(width + extra.iter().copied().fold(0.0, f32::max));
    let mut next = 0.0f32;
    for n in 0.. {
        let top = if exact.is_some() { next } else { breaker.committed_y() as f32 };
        let (y, x, room) = room_at(around, top, line, width);
        let state = breaker.state_mut();
        state.set_line_y(f64::from(y));
        state.set_line_x(x);
        // A hanging stop's line may reach past its room by the stop.
        state.set_line_max_advance(room + extra.get(n).copied().unwrap_or(0.0));
        match breaker.break_next() {
            // Breaking stops early only at out-of-flow inline boxes, and every box made
            // here (a tab or a picture) is in the flow.
            None | Some(parley::YieldData::InlineBoxBreak(_)) => break,
            Some(_) => next = y + exact.unwrap_or(0.0),
        }
    }
    breaker.finish();
}

/// Lines given room for a hanging stop, at most, per block ([`hanging_stop`]).
const MAX_HANGING_PASSES: usize = 16;

/// The first line from `from` on that the next line took a character from only because an
/// East Asian full stop or comma after it did not fit (line breaking never starts a line
/// with one): that line, and the stop's advance, which it may reach past its room by.
fn hanging_stop(layout: &Layout<Brush>, text: &str, from: usize) -> Option<(usize, f32)> {
    for (n, start) in layout.lines().map(|l| l.text_range().start).enumerate().skip(from + 1) {
        let mut chars = text.get(start..)?.char_indices();
        let (_, first) = chars.next()?;
        let (offset, second) = chars.next()?;
        if first.is_whitespace() || !matches!(second, '、' | '。' | '，' | '．' | '､' | '｡') {
            continue;
        }
        let advance = parley::Cluster::from_byte_index(layout, start + offset).map_or(0.0, |c| c.advance());
        if advance > 0.0 {
            return Some((n - 1, advance + 0.01));
        }
    }
    None
}

/// Where a line whose top is `y` and which is `line` high goes: its top, its left edge and
/// its width, in the widest room the boxes in `around` leave of `0..width`; moved below
/// the boxes in its way while none is wide enough.
fn room_at(around: &[Box2], mut y: f32, line: f32, width: f32) -> (f32, f32, f32) {
    let least = MIN_ROOM_BESIDE.min(width);
    // Each pass either finds room or moves below one more box.
    for _ in 0..=around.len() {
        let mut free: Vec<(f32, f32)> = vec![(0.0, width)];
        let mut clear_below = f32::INFINITY;
        for b in around.iter().filter(|b| b[1] < y + line && b[3] > y && b[0] < width && b[2] > 0.0) {
            clear_below = clear_below.min(b[3]);
            free = free.into_iter().flat_map(|(a, z)| [(a, z.min(b[0])), (a.max(b[2]), z)]).filter(|(a, z)| z - a > 0.0).collect();
        }
        if !clear_below.is_finite() {
            return (y, 0.0, width);
        }
        let best = free.iter().copied().max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)));
        match best {
            Some((a, z)) if z - a >= least => return (y, a, z - a),
            _ => y = clear_below.max(y + 0.01),
        }
    }
    (y, 0.0, width)
}

/// Where a block's text holds tabs and pictures: byte offsets into the text it is laid out
/// as.
struct Marks<'a> {
    tabs: &'a [usize],
    pictures: &'a [usize],
}

/// Most pictures set in one block's text.
pub const MAX_PICTURES: usize = 256;

/// The distance between a block's default tab stops.
fn tab_interval(block: &Block) -> f32 {
    if block.tab_interval.is_finite() && block.tab_interval >= 1.0 {
        block.tab_interval
    } else {
        DEFAULT_TAB_INTERVAL
    }
}

/// How a line's items run from where its tab stops are measured: a left-to-right line's
/// from its left edge, a right-to-left line's from its right edge (`width` from the left),
/// the items then in reading order. Its start indent is the block's left or right one.
#[derive(Clone, Copy)]
struct StartEdge {
    rtl: bool,
    width: f32,
    indent: f32,
}

impl StartEdge {
    fn of(layout: &Layout<Brush>, block: &Block, width: Option<f32>) -> StartEdge {
        let rtl = layout.is_rtl();
        let width = width.filter(|w| w.is_finite()).unwrap_or_else(|| layout.width());
        StartEdge { rtl, width, indent: if rtl { block.indent_right } else { block.indent_left } }
    }

    /// The span from `x0` to `x1` (from the layout's left edge) measured from the start.
    fn span(&self, x0: f32, x1: f32) -> (f32, f32) {
        if self.rtl {
            (self.width - x1, self.width - x0)
        } else {
            (x0, x1)
        }
    }
}

/// The stop a tab at `x` (from the column's start edge: the left, or the right of a
/// right-to-left paragraph) goes to: the first set stop past it; on a first line hanging
/// before the start indent, the indent itself (Word's implicit stop); else the next
/// default stop.
fn next_stop(block: &Block, x: f32, first_line: bool, start_indent: f32) -> TabStop {
    const EPSILON: f32 = 0.5;
    let set = block.tabs.iter().filter(|t| t.position.is_finite() && t.position > x + EPSILON).min_by(|a, b| a.position.total_cmp(&b.position));
    let hanging = (first_line && block.indent_first < 0.0 && x + EPSILON < start_indent).then_some(TabStop {
        position: start_indent,
        align: TabAlign::Left,
        leader: Leader::None,
    });
    match (set, hanging) {
        (Some(s), Some(h)) => {
            if h.position < s.position {
                h
            } else {
                *s
            }
        }
        (Some(s), None) => *s,
        (None, Some(h)) => h,
        (None, None) => {
            let interval = tab_interval(block);
            TabStop { position: ((x + EPSILON) / interval).floor().max(-1_000.0) * interval + interval, align: TabAlign::Left, leader: Leader::None }
        }
    }
}

/// The width each tab needs for the text after it to line up with its stop, given the
/// lines of `layout`, laid out with the tabs `widths` wide in a box `width` wide.
fn tab_widths(layout: &Layout<Brush>, block: &Block, text: &str, tabs: &[usize], widths: &[f32], width: Option<f32>) -> Vec<f32> {
    let edge = StartEdge::of(layout, block, width);
    let mut wanted = widths.to_vec();
    for (n, line) in layout.lines().enumerate() {
        // Each item's span from the start edge, in reading order.
        let mut items: Vec<(Option<usize>, f32, f32)> = line
            .items()
            .map(|item| match item {
                PositionedLayoutItem::GlyphRun(run) => (None, run.offset(), run.offset() + run.advance()),
                PositionedLayoutItem::InlineBox(b) if b.id >= PICTURE_BOX => (None, b.x, b.x + b.width),
                PositionedLayoutItem::InlineBox(b) => (Some(b.id as usize), b.x, b.x + b.width),
            })
            .map(|(id, x0, x1)| {
                let (x0, x1) = edge.span(x0, x1);
                (id, x0, x1)
            })
            .collect();
        if edge.rtl {
            // Reading order; of items at one place (tabs still without width), the later
            // in visual order comes first.
            items.reverse();
            items.sort_by(|a, b| a.1.total_cmp(&b.1));
        }
        let line_end = items.iter().map(|i| i.2).fold(0.0f32, f32::max) - line.metrics().hanging_advance;
        // How far the tabs already placed on this line moved what follows them.
        let mut moved = 0.0;
        for (k, &(id, x, end)) in items.iter().enumerate() {
            let Some(id) = id.filter(|&id| id < MAX_PLACED_TABS.min(tabs.len())) else { continue };
            let at = x + moved + edge.indent;
            let stop = next_stop(block, at, n == 0, edge.indent);
            // The text the tab aligns: up to the next tab on the line, or the line's end.
            let segment_end = items[k + 1..].iter().find(|i| i.0.is_some()).map_or(line_end, |i| i.1);
            let segment = (segment_end - end).max(0.0);
            let before_stop = match stop.align {
                TabAlign::Left => 0.0,
                TabAlign::Center => segment / 2.0,
                TabAlign::Right => segment,
                TabAlign::Decimal if edge.rtl => segment,
                TabAlign::Decimal => {
                    let start = tabs[id];
                    let stop_at = tabs.get(id + 1).copied().unwrap_or(text.len());
                    let point = text.get(start..stop_at).and_then(|s| s.find(['.'])).map(|i| start + i);
                    match point.and_then(|p| parley::Cluster::from_byte_index(layout, p)).and_then(|c| c.visual_offset()) {
                        Some(px) if px >= end => (px - end).min(segment),
                        _ => segment,
                    }
                }
            };
            // (A hair short of the stop, so that text ending at the margin still fits.)
            let width = (stop.position - at - before_stop - 0.05).max(0.0);
            moved += width - widths[id];
            wanted[id] = width;
        }
    }
    wanted
}

/// How a tab's leader is drawn: its marks, and the colour and size of the text before it.
#[derive(Debug, Clone, Copy)]
struct LeaderMark {
    leader: Leader,
    color: Rgb,
    size: f32,
}

/// Each tab's leader: that of the stop it went to, in the style of the span it is in.
fn tab_leaders(block: &Block, ranges: &[(usize, usize, &SpanStyle)], tabs: &[usize], layout: &Layout<Brush>, width: Option<f32>) -> Vec<Option<LeaderMark>> {
    let edge = StartEdge::of(layout, block, width);
    let mut marks = vec![None; tabs.len().min(MAX_PLACED_TABS)];
    for (n, line) in layout.lines().enumerate() {
        for item in line.items() {
            let PositionedLayoutItem::InlineBox(b) = item else { continue };
            if b.id >= PICTURE_BOX {
                continue;
            }
            let id = b.id as usize;
            let Some(slot) = marks.get_mut(id) else { continue };
            // The stop this tab reached is the one just past where it starts.
            let stop = next_stop(block, edge.span(b.x, b.x + b.width).0 + edge.indent, n == 0, edge.indent);
            if stop.leader == Leader::None || b.width < 1.0 {
                continue;
            }
            let style = ranges.iter().find(|r| r.0 <= tabs[id] && tabs[id] <= r.1).map(|r| r.2);
            *slot =
                Some(LeaderMark { leader: stop.leader, color: style.map_or([0, 0, 0], |s| s.color), size: style.map_or(11.0, |s| s.size.clamp(1.0, 400.0)) });
        }
    }
    marks
}

/// Draws a leader from `x0` to `x1` on a line whose baseline is at `baseline`, in the
/// text's coordinates: dots as a period's, spaced as Word's dot leaders are.
fn draw_leader(ctx: &mut RenderContext, origin: Affine, mark: &LeaderMark, x0: f32, x1: f32, baseline: f32) {
    let size = f64::from(mark.size);
    let (x0, x1, baseline) = (f64::from(x0), f64::from(x1), f64::from(baseline));
    ctx.set_transform(origin);
    let [r, g, b] = mark.color;
    ctx.set_paint(AlphaColor::from_rgba8(r, g, b, 255));
    let repeat = |ctx: &mut RenderContext, pitch: f64, mark_width: f64, top: f64, bottom: f64| {
        // Marks on a grid of their pitch, clear of the text on either side.
        let mut x = ((x0 + pitch * 0.5) / pitch).ceil() * pitch;
        let mut count = 0;
        while x + mark_width <= x1 - pitch * 0.25 && count < 2_000 {
            ctx.fill_rect(&Rect::new(x, top, x + mark_width, bottom));
            x += pitch;
            count += 1;
        }
    };
    let dot = (size * 0.09).max(0.4);
    match mark.leader {
        Leader::None => {}
        Leader::Dots => repeat(ctx, size * 0.25, dot, baseline - dot, baseline),
        Leader::MiddleDots => repeat(ctx, size * 0.25, dot, baseline - size * 0.3 - dot / 2.0, baseline - size * 0.3 + dot / 2.0),
        Leader::Hyphens => repeat(ctx, size * 0.5, size * 0.3, baseline - size * 0.28, baseline - size * 0.28 + (size * 0.06).max(0.4)),
        Leader::Line | Leader::Heavy => {
            let thick = if mark.leader == Leader::Heavy { (size * 0.12).max(1.0) } else { (size * 0.05).max(0.4) };
            let top = baseline + size * 0.1;
            ctx.fill_rect(&Rect::new(x0, top, x1, top + thick));
        }
    }
}

/// Something in a flow of content: a paragraph, a table or an image on its own line.
#[derive(Debug, Clone)]
pub enum Flow {
    Para(Block),
    Table(Table),
    Image {
        image: ImageRef,
        width: f32,
        height: f32,
        align: Align,
    },
    /// The next item starts a new page (unless the page is still empty).
    PageBreak,
    /// The next item starts the next column (or page, after the last column).
    ColumnBreak,
    /// A section starts: what follows fills these columns (one, the text area, when
    /// empty), on a new page or below what is on this one. A section `inside` the column
    /// the flow is in divides that column instead of the text area; its end is an `inside`
    /// section without columns, after which the flow goes on in that column below it.
    Section {
        columns: Vec<Column>,
        new_page: bool,
        inside: bool,
    },
    /// Items placed over the page, out of the flow: a floating picture or text box,
    /// which the text after it may wrap around.
    Float(Float),
}

/// A floating picture or text box: items laid out `width` wide, placed on the page where
/// `x` and `y` say, and the text that follows it on the page kept clear of it as `wrap`
/// says.
#[derive(Debug, Clone)]
pub struct Float {
    pub items: Vec<Flow>,
    pub width: f32,
    /// Its height when its frame gives one (a picture's, a text box's); else the height
    /// its items take.
    pub height: Option<f32>,
    /// Where it sits across, and what that is measured from: the page, the margins, or the
    /// column the flow is in.
    pub x: Place,
    pub from_x: FloatFrom,
    /// Where it sits down, and what that is measured from: the page, the margins, or the
    /// paragraph it is anchored to (where the flow is).
    pub y: Place,
    pub from_y: FloatFrom,
    pub wrap: Wrap,
    /// The distance text keeps from it: top, left, bottom, right, in points.
    pub gap: [f32; 4],
    /// A text box's fill and outline, drawn over its whole box, and the space between
    /// its edges and its items (top, left, bottom, right).
    pub fill: Option<Rgb>,
    pub outline: Option<Stroke>,
    pub inset: [f32; 4],
    /// A figure stretched over its whole box under its items: a shape that is not a plain
    /// filled rectangle (an ellipse, a line, a gradient).
    pub picture: Option<ImageRef>,
}

impl Float {
    /// A float that text does not wrap around, at `x`, `y` from `from` on both axes.
    pub fn over(items: Vec<Flow>, [x, y, width]: [f32; 3], from: FloatFrom) -> Float {
        // Horizontally, "where the flow is" is the column, which starts at the margin.
        let from_x = if from == FloatFrom::Here { FloatFrom::Margin } else { from };
        Float { x: Place::At(x), from_x, y: Place::At(y), from_y: from, ..Float::new(items, width) }
    }

    /// Items `width` wide, floating at the top left of the margins, without a frame.
    pub fn new(items: Vec<Flow>, width: f32) -> Float {
        Float {
            items,
            width,
            height: None,
            x: Place::At(0.0),
            from_x: FloatFrom::Margin,
            y: Place::At(0.0),
            from_y: FloatFrom::Margin,
            wrap: Wrap::None,
            gap: [0.0; 4],
            fill: None,
            outline: None,
            inset: [0.0; 4],
            picture: None,
        }
    }

    /// Its width, kept to what a page can hold.
    fn clamped_width(&self) -> f32 {
        self.width.clamp(12.0, 14_400.0)
    }

    /// The float without its items (its frame and place alone), for drawing once they
    /// are laid out; the items are not copied.
    fn shell(&self) -> Float {
        let Float { items: _, width, height, x, from_x, y, from_y, wrap, gap, fill, outline, inset, picture } = self;
        Float {
            items: Vec::new(),
            width: *width,
            height: *height,
            x: *x,
            from_x: *from_x,
            y: *y,
            from_y: *from_y,
            wrap: *wrap,
            gap: *gap,
            fill: *fill,
            outline: *outline,
            inset: *inset,
            picture: *picture,
        }
    }

    /// Its items laid out inside its frame, with the floats anchored in them (a picture
    /// in a text box) where they are anchored.
    pub fn lay_out(&self, painter: &mut Painter, canvas: &mut Canvas) -> Laid {
        self.lay_out_nested(painter, canvas, NESTED_FLOATS)
    }

    /// Its items laid out, following floats nested up to `depth` deep inside it.
    fn lay_out_nested(&self, painter: &mut Painter, canvas: &mut Canvas, depth: usize) -> Laid {
        let width = self.clamped_width();
        let [_, left, _, right] = self.inset.map(|i| i.clamp(0.0, width / 3.0));
        lay_out_in(painter, canvas, &self.items, (width - left - right).max(4.0), depth, Vec::new())
    }

    /// The box it takes, its items `laid` out, on a page of `setup` whose flow is in the
    /// column `(left, width)` at `here` down.
    pub fn rect(&self, laid: &Laid, setup: &PageSetup, column: (f32, f32), here: f32) -> Box2 {
        let width = self.clamped_width().min(setup.width.max(12.0));
        let [top, _, under, _] = self.inset.map(|i| i.clamp(0.0, width / 3.0));
        let height = self.height.unwrap_or(laid.height + top + under).clamp(0.0, setup.height);
        let text_area = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
        let across = match self.from_x {
            FloatFrom::Page => (0.0, setup.width),
            FloatFrom::Margin => (setup.margin_left, text_area),
            FloatFrom::Here => column,
        };
        let down = match self.from_y {
            FloatFrom::Page => (0.0, setup.height),
            FloatFrom::Margin => (setup.margin_top, (setup.height - setup.margin_top - setup.margin_bottom).max(36.0)),
            FloatFrom::Here => (here, 0.0),
        };
        let x = place(self.x, across, width).clamp(0.0, (setup.width - width).max(0.0));
        let y = place(self.y, down, height).clamp(0.0, (setup.height - height).max(0.0));
        [x, y, x + width, y + height]
    }

    /// Draws the float, its items `laid` out, in its box: its frame, then its items.
    pub fn draw(&self, laid: &Laid, canvas: &mut Canvas, on: Surface, rect: Box2) {
        if let Some(picture) = self.picture {
            canvas.image(on, picture, rect);
        }
        if self.fill.is_some() || self.outline.is_some() {
            canvas.shape(on, ShapeKind::Rect, rect, self.fill, self.outline);
        }
        let width = rect[2] - rect[0];
        let [top, left, ..] = self.inset.map(|i| i.clamp(0.0, width / 3.0));
        laid.place(canvas, on, rect[0] + left, rect[1] + top);
    }

    /// The box text keeps clear of on a page `page_width` wide, when it wraps around
    /// this float placed at `rect`.
    pub fn keep_clear(&self, rect: Box2, page_width: f32) -> Option<Box2> {
        let [top, left, under, right] = self.gap.map(|g| g.clamp(0.0, 200.0));
        match self.wrap {
            Wrap::None => None,
            Wrap::Around => Some([rect[0] - left, rect[1] - top, rect[2] + right, rect[3] + under]),
            Wrap::TopBottom => Some([0.0, rect[1] - top, page_width, rect[3] + under]),
        }
    }
}

/// Where a float sits on one axis: at a distance from the start of what it is measured
/// from, or aligned in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    At(f32),
    Align(Align),
}

/// How the text around a float flows.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Wrap {
    /// Over or under the text, which does not move (Word's "in front of" and "behind").
    #[default]
    None,
    /// Beside it, on the wider side (Word's square, tight and through wrapping).
    Around,
    /// Above and below it only.
    TopBottom,
}

/// What a floating item's position is measured from: the page's edges, the margins, or
/// where the flow is (the column across, the anchoring paragraph down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloatFrom {
    Page,
    Margin,
    Here,
}

/// A table: column widths in points and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<f32>,
    pub rows: Vec<Row>,
    /// Offset from the left margin, in points; with `align` [`Align::End`], of its right
    /// edge from the right margin.
    pub indent: f32,
    /// Where the table sits across the line it is laid out in (known only then: a DOCX
    /// section's margins come after its content): at the start (with `indent`), centred,
    /// or at the end.
    pub align: Align,
    /// Space above and below the table, in points (OpenDocument's table margins).
    pub space_before: f32,
    pub space_after: f32,
}

impl Table {
    /// Its left edge's offset from the left of a line `room` wide.
    pub fn offset(&self, room: f32) -> f32 {
        let width: f32 = self.columns.iter().sum();
        match self.align {
            Align::Center => (room - width).max(0.0) / 2.0 + self.indent,
            Align::End => room - width - self.indent,
            _ => self.indent,
        }
    }
}

/// A table row.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// Least height in points.
    pub min_height: f32,
    pub cells: Vec<Cell>,
    /// Space inside each cell (top, left, bottom, right) in points; `None` is Word's
    /// default: [`CELL_PADDING`] left and right, a point above, a point below.
    pub padding: Option<[f32; 4]>,
    /// A heading row: with the heading rows before it, repeated at the top of every page
    /// the table continues on.
    pub header: bool,
    /// The row moves to the next page whole rather than split across two (unless it is
    /// taller than a page).
    pub cant_split: bool,
}

impl Row {
    /// The cell that starts at grid column `column`, if one does.
    pub fn cell_at(&mut self, column: usize) -> Option<&mut Cell> {
        let mut at = 0;
        for cell in &mut self.cells {
            if at == column {
                return Some(cell);
            }
            at += cell.span.max(1);
        }
        None
    }
}

/// A table cell spanning `span` grid columns.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub span: usize,
    pub content: Vec<Block>,
    pub fill: Option<Rgb>,
    pub borders: Borders,
    /// Where the content sits in a cell taller than it: top (start), centre or bottom
    /// (end).
    pub v_align: Align,
    /// A picture behind the content, clipped to the cell.
    pub picture: Option<BackgroundPicture>,
}

/// A background picture (a table cell's, a page's): at its own size in points, once or
/// tiled, or stretched over its area (`size` `None`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackgroundPicture {
    pub image: ImageRef,
    pub size: Option<(f32, f32)>,
    pub tile: bool,
}

/// Copies of a tiled background picture drawn at most, whatever its size.
const MAX_TILES: usize = 400;

impl BackgroundPicture {
    /// Draws it over `rect` from the area's top left corner.
    fn draw(&self, canvas: &mut Canvas, on: Surface, rect: Box2) {
        self.draw_from(canvas, on, rect, (rect[0], rect[1]));
    }

    /// Draws it over `rect`, clipped to it, with the single picture (or the first tile)
    /// at `origin`.
    pub fn draw_from(&self, canvas: &mut Canvas, on: Surface, rect: Box2, origin: (f32, f32)) {
        let Some((w, h)) = self.size else {
            canvas.image(on, self.image, rect);
            return;
        };
        if !(w >= 0.5 && h >= 0.5 && w.is_finite() && h.is_finite()) {
            return;
        }
        canvas.clip(on, rect);
        let (mut y, mut drawn) = (origin.1, 0);
        while y < rect[3] && drawn < MAX_TILES {
            let mut x = origin.0;
            while x < rect[2] && drawn < MAX_TILES {
                canvas.image(on, self.image, [x, y, x + w, y + h]);
                drawn += 1;
                x = if self.tile { x + w } else { f32::INFINITY };
            }
            y = if self.tile { y + h } else { f32::INFINITY };
        }
        canvas.end_clip(on);
    }
}

/// The four borders of a cell.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Borders {
    pub top: Option<Stroke>,
    pub bottom: Option<Stroke>,
    pub left: Option<Stroke>,
    pub right: Option<Stroke>,
}

/// Where the flow is: the page and column it fills and the height used in it.
struct Cursor {
    page: usize,
    y: f32,
    /// The column the flow fills, of the current section's columns: the left edge and
    /// width of each (one, the text area, without columns).
    column: usize,
    columns: Vec<(f32, f32)>,
    /// Where this section's columns start on the page (the top margin, or below an
    /// earlier section's text on the same page), and the lowest point any reached.
    band_top: f32,
    band_low: f32,
    /// Where the columns but the last end when the section's columns are balanced.
    limit: Option<f32>,
    /// The boxes on this page that text keeps clear of (floats with their gaps).
    floats: Vec<Box2>,
    /// This page or column was started by a break the document asks for (a page or column
    /// break, a paragraph that starts a page, a section on a new page) rather than by text
    /// running over.
    broken: bool,
}

impl Cursor {
    /// The boxes of this page's floats, relative to the point (`x`, `y`).
    fn floats_from(&self, x: f32, y: f32) -> Vec<Box2> {
        self.floats.iter().map(|f| [f[0] - x, f[1] - y, f[2] - x, f[3] - y]).collect()
    }

    fn left(&self) -> f32 {
        self.columns.get(self.column).map_or(0.0, |c| c.0)
    }

    fn width(&self) -> f32 {
        self.columns.get(self.column).map_or(36.0, |c| c.1)
    }
}

/// A column of a section: its width (0 in every column: shares of the text area), the gap
/// after it, in points, and its share (a relative width, as OpenDocument gives them; 0 in
/// every column: equal shares).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub width: f32,
    pub gap: f32,
    pub share: f32,
}

impl Column {
    /// `count` columns of equal shares of the text area, `gap` points apart.
    pub fn equal(count: usize, gap: f32) -> Vec<Column> {
        vec![Column { width: 0.0, gap, share: 0.0 }; count]
    }
}

/// Most columns a section has (Word allows 45).
const MAX_COLUMNS: usize = 45;

/// Sections inside columns inside sections, at most; deeper ones take the column they are
/// in whole.
const MAX_NESTED: usize = 8;

/// The columns a section inside a column was laid in, taken up again where it ends.
struct Outer {
    columns: Vec<(f32, f32)>,
    column: usize,
    band_top: f32,
    band_low: f32,
    limit: Option<f32>,
    page: usize,
}

/// Where the columns but the last end when the section starting at `items[n]` is
/// balanced: one that ends at a continuous section break, each column but the last
/// taking its share of the section's height, when it fits above `bottom`.
fn balanced_limit(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], n: usize, at: &Cursor, bottom: f32) -> Option<f32> {
    let count = at.columns.len();
    let end = items[n + 1..].iter().position(|i| matches!(i, Flow::Section { .. })).map(|p| n + 1 + p)?;
    if count < 2 || !matches!(items[end], Flow::Section { new_page: false, .. }) {
        return None;
    }
    let room = (bottom - at.y) * count as f32;
    let height = section_height(painter, canvas, &items[n + 1..end], at.width(), room)?;
    Some(at.y + height / count as f32 + 2.0)
}

/// The left edges and widths of `columns` across a text area, scaled down to fit it;
/// the whole area when there are fewer than two.
fn column_edges(columns: &[Column], left: f32, width: f32) -> Vec<(f32, f32)> {
    let columns = &columns[..columns.len().min(MAX_COLUMNS)];
    // Columns of no width share what the gaps leave: by their shares, or equally.
    let shared: Vec<Column>;
    let columns = if columns.len() > 1 && columns.iter().all(|c| c.width == 0.0) {
        let gaps: f32 = columns.iter().take(columns.len() - 1).map(|c| c.gap.max(0.0)).sum();
        let by_share = columns.iter().all(|c| c.share.is_finite() && c.share > 0.0);
        let shares: f32 = if by_share { columns.iter().map(|c| c.share).sum() } else { columns.len() as f32 };
        let room = (width - gaps).max(12.0);
        shared = columns.iter().map(|c| Column { width: (room * if by_share { c.share } else { 1.0 } / shares).max(12.0), ..*c }).collect();
        &shared[..]
    } else {
        columns
    };
    let total: f32 = columns.iter().enumerate().map(|(i, c)| c.width.max(0.0) + if i + 1 < columns.len() { c.gap.max(0.0) } else { 0.0 }).sum();
    if columns.len() < 2 || !total.is_finite() || total <= 0.0 {
        return vec![(left, width)];
    }
    let scale = (width / total).min(1.0);
    let mut x = left;
    columns
        .iter()
        .map(|c| {
            let edge = (x, (c.width.max(0.0) * scale).max(12.0));
            x += (c.width.max(0.0) + c.gap.max(0.0)) * scale;
            edge
        })
        .collect()
}

/// Lays a flow of paragraphs, tables and images out on new pages of `setup`, adding pages
/// as they fill. Returns the indices of the pages it made.
pub fn flow(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], setup: PageSetup) -> std::ops::Range<usize> {
    flow_with_notes(painter, canvas, items, setup, &[])
}

/// Space above a page's footnotes, holding the short rule that separates them from the
/// text, in points.
const NOTE_RULE_SPACE: f32 = 12.0;
/// Length of that rule (Word's: two inches).
const NOTE_RULE_LENGTH: f32 = 144.0;

/// Footnotes at the foot of the pages their references fall on, as word processors place
/// them: each note laid out at the text's width once, and the notes each page holds.
struct Foot {
    laid: Vec<Laid>,
    /// Notes that go after the body instead: taller than a third of the page's text
    /// area, or past half of it among one paragraph's notes (no page could hold them
    /// with their paragraph), or referred to by no paragraph the flow places (one in a
    /// header or a text box, say).
    tail: Vec<bool>,
    /// Each page's notes, in order, and their height.
    pages: std::collections::BTreeMap<usize, (f32, Vec<usize>)>,
}

impl Foot {
    fn new(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], notes: &[Vec<Flow>], width: f32, area: f32) -> Foot {
        let laid: Vec<Laid> = notes.iter().map(|note| lay_out(painter, canvas, note, width)).collect();
        let mut blocks: Vec<&Block> = Vec::new();
        for item in items {
            match item {
                Flow::Para(block) => blocks.push(block),
                Flow::Table(table) => blocks.extend(table.rows.iter().flat_map(|r| r.cells.iter().flat_map(|c| c.content.iter()))),
                _ => {}
            }
        }
        // Decided by a note's first reference; unreferenced notes stay undecided.
        let mut decided: Vec<Option<bool>> = vec![None; laid.len()];
        for block in blocks {
            let mut sum = 0.0;
            for &n in &block.notes {
                let (Some(l), Some(None)) = (laid.get(n), decided.get(n)) else { continue };
                if l.height > area / 3.0 {
                    decided[n] = Some(true);
                    continue;
                }
                sum += l.height;
                decided[n] = Some(sum > area / 2.0);
            }
        }
        let tail = decided.into_iter().map(|d| d.unwrap_or(true)).collect();
        Foot { laid, tail, pages: Default::default() }
    }

    /// The notes of `notes` that go to a page's foot (known, not after the body).
    fn footed<'n>(&'n self, notes: &'n [usize]) -> impl Iterator<Item = usize> + 'n {
        notes.iter().copied().filter(|&n| self.tail.get(n) == Some(&false))
    }

    /// Height taken at the foot of `page` by its notes so far.
    fn reserved(&self, page: usize) -> f32 {
        self.pages.get(&page).map_or(0.0, |(h, _)| h + NOTE_RULE_SPACE)
    }

    /// Height `notes` would add at the foot of `page`.
    fn pending(&self, page: usize, notes: &[usize]) -> f32 {
        let h: f32 = self.footed(notes).map(|n| self.laid[n].height).sum();
        if h > 0.0 && !self.pages.contains_key(&page) {
            h + NOTE_RULE_SPACE
        } else {
            h
        }
    }

    fn add(&mut self, page: usize, notes: &[usize]) {
        let footed: Vec<usize> = self.footed(notes).collect();
        if footed.is_empty() {
            return;
        }
        let entry = self.pages.entry(page).or_default();
        for n in footed {
            entry.0 += self.laid[n].height;
            entry.1.push(n);
        }
    }

    /// Draws each page's notes above its bottom margin, under a short rule.
    fn place(&self, canvas: &mut Canvas, setup: &PageSetup, bottom_of: impl Fn(usize) -> f32) {
        for (&page, (height, notes)) in &self.pages {
            let mut y = bottom_of(page) - height;
            let rule_y = y - NOTE_RULE_SPACE / 2.0;
            canvas.shape(page, ShapeKind::Rect, [setup.margin_left, rule_y, setup.margin_left + NOTE_RULE_LENGTH, rule_y + 0.5], Some([0, 0, 0]), None);
            for &n in notes {
                self.laid[n].place(canvas, Surface::from(page), setup.margin_left, y);
                y += self.laid[n].height;
            }
        }
    }

    /// The notes that go after the body, under a rule, as a flow.
    fn after_body(&self, notes: &[Vec<Flow>]) -> Vec<Flow> {
        let mut flow: Vec<Flow> = notes.iter().zip(&self.tail).filter(|(_, &after)| after).flat_map(|(note, _)| note.iter().cloned()).collect();
        if !flow.is_empty() {
            let rule = SpanStyle { family: "Times New Roman".into(), size: 10.0, ..Default::default() };
            flow.insert(
                0,
                Flow::Para(Block {
                    spans: vec![("────────────".into(), rule)], space_before: 12.0, line_height: 1.0, ..Default::default()
                }),
            );
        }
        flow
    }
}

/// Notes referred to in a table row's cells.
fn row_notes(row: &Row) -> Vec<usize> {
    row.cells.iter().flat_map(|c| c.content.iter().flat_map(|b| b.notes.iter().copied())).collect()
}

/// [`flow`], with footnotes: `notes` are their flows, referred to by index from the
/// blocks' `notes`. Each goes to the foot of the page its referring paragraph (or table
/// row) ends on, which keeps room for it; a note too tall for that goes after the body.
pub fn flow_with_notes(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], setup: PageSetup, notes: &[Vec<Flow>]) -> std::ops::Range<usize> {
    flow_pages(painter, canvas, items, [setup, setup], notes)
}

/// [`flow_with_notes`] with a first page whose top and bottom margins differ from the
/// others' (`setups`: the first page's, then the rest's), as a first page's own taller
/// header or footer makes them. Widths are the rest's.
///
/// Page-number fields in the body's paragraphs and tables are filled in with the number
/// of the page each starts on and the page count. When the body holds any, it is laid out
/// twice: first on a scratch canvas, to count the pages.
pub fn flow_pages(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], setups: [PageSetup; 2], notes: &[Vec<Flow>]) -> std::ops::Range<usize> {
    let total = if items.iter().any(running::holds_fields) { flow_once(painter, &mut Canvas::new(), items, setups, notes, 1).len() } else { 1 };
    flow_once(painter, canvas, items, setups, notes, total)
}

/// [`flow_pages`] with the page count its fields show.
fn flow_once(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], setups: [PageSetup; 2], notes: &[Vec<Flow>], total: usize) -> std::ops::Range<usize> {
    let [first_setup, setup] = setups;
    let first = canvas.add_page(setup.width, setup.height);
    // Where the text area of a page starts and ends.
    let first_bottom = first_setup.height - first_setup.margin_bottom;
    let top_of = |page: usize| if page == first { first_setup.margin_top } else { setup.margin_top };
    let content_width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
    let mut at = Cursor {
        page: first,
        y: first_setup.margin_top,
        column: 0,
        columns: vec![(setup.margin_left, content_width)],
        band_top: first_setup.margin_top,
        band_low: first_setup.margin_top,
        limit: None,
        floats: Vec::new(),
        broken: false,
    };
    let bottom = setup.height - setup.margin_bottom;
    let bottom_of = |page: usize| if page == first { first_bottom } else { bottom };
    let mut foot = Foot::new(painter, canvas, items, notes, content_width, (bottom - setup.margin_top).max(36.0));
    let tail = foot.after_body(notes);
    let with_tail: Vec<Flow>;
    let items = if tail.is_empty() {
        items
    } else {
        with_tail = items.iter().cloned().chain(tail).collect();
        &with_tail[..]
    };
    let new_page = |canvas: &mut Canvas, at: &mut Cursor| {
        at.page = canvas.add_page(setup.width, setup.height);
        at.y = setup.margin_top;
        at.column = 0;
        at.band_top = setup.margin_top;
        at.band_low = setup.margin_top;
        at.limit = None;
        at.floats.clear();
        at.broken = false;
    };
    // The bottom of the column the flow fills: the page's, or the balanced columns'.
    let column_bottom = |at: &Cursor| match at.limit {
        Some(limit) if at.column + 1 < at.columns.len() => limit.min(bottom_of(at.page)),
        _ => bottom_of(at.page),
    };
    // On to the next column, or the next page after the last.
    let advance = |canvas: &mut Canvas, at: &mut Cursor| {
        at.band_low = at.band_low.max(at.y);
        if at.column + 1 < at.columns.len() {
            at.column += 1;
            at.y = at.band_top;
            at.broken = false;
        } else {
            new_page(canvas, at);
        }
    };
    let lead = items.iter().take_while(|i| matches!(i, Flow::Section { .. })).count();
    // The columns that sections inside a column were laid in, innermost last, and how many
    // open sections are nested deeper than that.
    let mut outer: Vec<Outer> = Vec::new();
    let mut deeper = 0usize;
    for (n, item) in items.iter().enumerate() {
        // At the top of a column that starts at the top of the page: what does not fit
        // here fits nowhere.
        let at_top = |at: &Cursor| at.y <= at.band_top + 0.01 && at.band_top <= top_of(at.page) + 0.01;
        match item {
            Flow::Para(block) => {
                // Pictures set in the text fit on a page.
                let page_height = (bottom - setup.margin_top).max(36.0);
                let fitted;
                let block = if block.pictures.iter().any(|p| p.2 > page_height) {
                    fitted = Block {
                        pictures: block.pictures.iter().map(|&(i, w, h)| (i, w * (page_height / h).min(1.0), h.min(page_height))).collect(),
                        ..block.clone()
                    };
                    &fitted
                } else {
                    block
                };
                if block.page_break_before && !at_top(&at) {
                    new_page(canvas, &mut at);
                    at.broken = true;
                }
                if block.keep_with_next && !at_top(&at) {
                    let need = kept_height(painter, canvas, &items[n..], at.width());
                    let limit = column_bottom(&at) - foot.reserved(at.page) - foot.pending(at.page, &block.notes);
                    // A chain taller than a page is not kept (Word lets it break too).
                    if at.y + need > limit && need <= bottom - setup.margin_top {
                        advance(canvas, &mut at);
                    }
                }
                // Page-number fields show the page the paragraph starts on.
                let numbered;
                let block = match running::block_with_fields(block, at.page - first + 1, total) {
                    Some(filled) => {
                        numbered = filled;
                        &numbered
                    }
                    None => block,
                };
                // Space before is dropped at the top of a page that text ran over to, but
                // not at the start of the document or after a page or column break the document
                // asks for (as Word and LibreOffice lay pages out).
                // (Sections that start the flow place nothing.)
                let above = at.y;
                if !at_top(&at) || n == lead || at.broken {
                    at.y += block.space_before;
                }
                // Shading runs on over the space between paragraphs shaded alike, as in
                // Word and LibreOffice.
                let (shade_above, shade_below) = shading_joins(items, n, block);
                let (shade_left, shade_right) = shade_edges_in(at.left(), at.width(), block);
                if let (Some(fill), true) = (block.shading, shade_above && at.y > above) {
                    canvas.shape(at.page, ShapeKind::Rect, [shade_left, above, shade_right, at.y], Some(fill), None);
                }
                // Borders: a box shared with the neighbours that have the same.
                let boxed = block.borders != Borders::default();
                let (joined_above, joined_below) = box_joins(items, n, block);
                let mut box_top = if joined_above { (at.y - block.space_before).max(at.band_top) } else { at.y };
                if let (Some(stroke), false) = (block.borders.top, joined_above) {
                    let (left, right) = box_edges(&at, block);
                    canvas.line(at.page, (left, at.y + stroke.1 / 2.0), (right, at.y + stroke.1 / 2.0), stroke);
                    at.y += stroke.1;
                    let space = block.border_space[0].clamp(0.0, 100.0);
                    if let (Some(fill), true) = (block.shading, space > 0.0) {
                        canvas.shape(at.page, ShapeKind::Rect, [shade_left, at.y, shade_right, at.y + space], Some(fill), None);
                    }
                    at.y += space;
                }
                let width = (at.width() - block.indent_left - block.indent_right).max(12.0);
                let (mut text, mut marker) = block_text_here(painter, canvas, block, width, &at);
                let mut start = 0;
                while start < text.lines.len() {
                    // Take as many lines as fit above the page's footnotes and this
                    // paragraph's; at least one on an empty page. (The first line may
                    // start lower, below a float in its way.)
                    let shift = if start == 0 { 0.0 } else { text.lines[start].0 };
                    let bottom = column_bottom(&at) - foot.reserved(at.page) - foot.pending(at.page, &block.notes);
                    let mut end = start;
                    while end < text.lines.len() && (at.y + text.lines[end].1 - shift <= bottom || (end == start && at_top(&at))) {
                        end += 1;
                    }
                    let lines = text.lines.len();
                    if block.widow_control && !at_top(&at) && end < lines {
                        if start == 0 && end == 1 {
                            // An orphan: the paragraph starts on the next page.
                            end = 0;
                        } else if lines - end == 1 && end - start >= 2 {
                            // A widow: one more line goes over with it.
                            end -= 1;
                        }
                    }
                    if end == start {
                        if boxed {
                            box_sides(canvas, &at, block, box_top, at.y);
                        }
                        advance(canvas, &mut at);
                        box_top = at.y;
                        if start == 0 {
                            // Laid out again where it now starts, around that page's floats.
                            (text, marker) = block_text_here(painter, canvas, block, width, &at);
                        }
                        continue;
                    }
                    let x = at.left() + block.indent_left;
                    if start == 0 {
                        if let Some((marker, dx)) = &marker {
                            canvas.text(at.page, marker, x + dx, at.y + text.lines[0].0);
                        }
                    }
                    if let Some(fill) = block.shading {
                        let (left, right) = shade_edges_in(at.left(), at.width(), block);
                        canvas.shape(at.page, ShapeKind::Rect, [left, at.y, right, at.y + text.lines[end - 1].1 - shift], Some(fill), None);
                    }
                    canvas.text_lines(at.page, &text, start..end, x, at.y + text.lines[start].0 - shift);
                    at.y += text.lines[end - 1].1 - shift;
                    start = end;
                }
                foot.add(at.page, &block.notes);
                if let (Some(stroke), false) = (block.borders.bottom, joined_below) {
                    let space = block.border_space[2].clamp(0.0, 100.0);
                    if let (Some(fill), true) = (block.shading, space > 0.0) {
                        let (left, right) = shade_edges_in(at.left(), at.width(), block);
                        canvas.shape(at.page, ShapeKind::Rect, [left, at.y, right, at.y + space], Some(fill), None);
                    }
                    at.y += space;
                    let (left, right) = box_edges(&at, block);
                    canvas.line(at.page, (left, at.y + stroke.1 / 2.0), (right, at.y + stroke.1 / 2.0), stroke);
                    at.y += stroke.1;
                }
                if boxed {
                    let bottom = if joined_below { at.y + block.space_after } else { at.y };
                    box_sides(canvas, &at, block, box_top, bottom);
                }
                if let (Some(fill), true) = (block.shading, shade_below && block.space_after > 0.0) {
                    let (left, right) = shade_edges_in(at.left(), at.width(), block);
                    let bottom = (at.y + block.space_after).min(column_bottom(&at));
                    if bottom > at.y {
                        canvas.shape(at.page, ShapeKind::Rect, [left, at.y, right, bottom], Some(fill), None);
                    }
                }
                at.y += block.space_after;
            }
            Flow::Image { image, width, height, align } => {
                let scale = (at.width() / width).min((bottom - setup.margin_top) / height).min(1.0);
                let (w, h) = (width * scale, height * scale);
                // Beside the floats in its way when there is room, else below them.
                let around = at.floats_from(at.left(), at.y);
                let (dy, room_x, room) = room_at(&around, 0.0, h, at.width());
                let (dy, room_x, room) = if room + 0.01 >= w { (dy, room_x, room) } else { (clear_of(&around, h, at.width()), 0.0, at.width()) };
                at.y += dy;
                let (mut left, mut room) = (at.left() + room_x, room);
                if at.y + h > column_bottom(&at) - foot.reserved(at.page) && !at_top(&at) {
                    advance(canvas, &mut at);
                    (left, room) = (at.left(), at.width());
                }
                let x = match align {
                    Align::Center => left + (room - w) / 2.0,
                    Align::End => left + room - w,
                    _ => left,
                };
                canvas.image(at.page, *image, [x, at.y, x + w, at.y + h]);
                at.y += h;
            }
            Flow::PageBreak => {
                if !(at_top(&at) && at.column == 0) {
                    new_page(canvas, &mut at);
                }
                at.broken = true;
            }
            Flow::ColumnBreak => {
                advance(canvas, &mut at);
                at.broken = true;
            }
            Flow::Section { columns, inside: true, .. } if columns.is_empty() => {
                // A section inside a column ends: the flow goes on in that column (or from
                // the first, on a later page) below the section's lowest text. (The end of
                // one nested too deeply to be followed changes nothing.)
                if deeper > 0 {
                    deeper -= 1;
                } else if let Some(o) = outer.pop() {
                    let low = at.band_low.max(at.y);
                    at.columns = o.columns;
                    if at.page == o.page {
                        (at.column, at.band_top, at.band_low, at.limit) = (o.column, o.band_top, o.band_low.max(low), o.limit);
                    } else {
                        (at.column, at.band_top, at.band_low, at.limit) = (0, top_of(at.page), low, None);
                    }
                    at.y = low;
                }
            }
            Flow::Section { columns, inside: true, .. } if outer.len() < MAX_NESTED => {
                outer.push(Outer {
                    columns: at.columns.clone(),
                    column: at.column,
                    band_top: at.band_top,
                    band_low: at.band_low,
                    limit: at.limit,
                    page: at.page,
                });
                at.columns = column_edges(columns, at.left(), at.width());
                (at.column, at.band_top, at.band_low) = (0, at.y, at.y);
                at.limit = balanced_limit(painter, canvas, items, n, &at, bottom_of(at.page) - foot.reserved(at.page));
            }
            Flow::Section { inside: true, .. } => deeper += 1,
            Flow::Section { columns, new_page: on_new_page, .. } => {
                let empty = at.column == 0 && at.y <= top_of(at.page) + 0.01;
                if *on_new_page && !empty {
                    new_page(canvas, &mut at);
                    at.broken = true;
                } else if !(at.column == 0 && at.y <= at.band_top + 0.01) {
                    // Continuous: the new columns start below the lowest text of the last.
                    let low = at.band_low.max(at.y);
                    at.band_top = low;
                    at.band_low = low;
                    at.y = low;
                    at.column = 0;
                }
                at.columns = column_edges(columns, setup.margin_left, content_width);
                at.column = 0;
                at.limit = balanced_limit(painter, canvas, items, n, &at, bottom_of(at.page) - foot.reserved(at.page));
            }
            Flow::Float(float) => {
                let laid = float.lay_out(painter, canvas);
                let rect = float.rect(&laid, &setup, (at.left(), at.width()), at.y);
                float.draw(&laid, canvas, Surface::from(at.page), rect);
                if let Some(clear) = float.keep_clear(rect, setup.width).filter(|_| at.floats.len() < MAX_FLOATS) {
                    at.floats.push(clear);
                }
            }
            Flow::Table(table) => {
                // Page-number fields in its cells show the page it starts on.
                let numbered;
                let table = match running::with_fields(item, at.page - first + 1, total) {
                    Some(Flow::Table(filled)) => {
                        numbered = filled;
                        &numbered
                    }
                    _ => table,
                };
                // Heading rows repeat on each page the table goes on to, unless they
                // would take half the page themselves.
                let heading: Vec<RowLayout> = table.rows.iter().take_while(|r| r.header).map(|r| lay_row(painter, canvas, table, r)).collect();
                let heading_height: f32 = heading.iter().map(|r| r.height).sum();
                if !at_top(&at) {
                    at.y += table.space_before;
                }
                // Below the floats in its way.
                let around = at.floats_from(at.left(), at.y);
                at.y += clear_of(&around, 1.0, at.width());
                let repeat = !heading.is_empty() && heading_height < (bottom - setup.margin_top) / 2.0;
                let next_page = |canvas: &mut Canvas, at: &mut Cursor, index: usize| {
                    advance(canvas, at);
                    if repeat && index >= heading.len() {
                        for row in &heading {
                            row.place(canvas, at.page.into(), at.left() + table.offset(at.width()), at.y);
                            at.y += row.height;
                        }
                    }
                };
                for (index, row) in table.rows.iter().enumerate() {
                    let notes = row_notes(row);
                    let bottom_at = |at: &Cursor| column_bottom(at) - foot.reserved(at.page) - foot.pending(at.page, &notes);
                    let mut laid = lay_row(painter, canvas, table, row);
                    // A row that does not fit goes on from the next page: split between
                    // its lines when it may be, else whole.
                    for _ in 0..MAX_ROW_PIECES {
                        let room = bottom_at(&at) - at.y;
                        if laid.height <= room {
                            break;
                        }
                        let fresh = at_top(&at) || (repeat && index >= heading.len() && at.y <= at.band_top + heading_height + 0.01);
                        let splits = !row.cant_split || laid.height > bottom - setup.margin_top - heading_height;
                        match laid.split(room).filter(|_| splits) {
                            Some((head, rest)) => {
                                head.place(canvas, at.page.into(), at.left() + table.offset(at.width()), at.y);
                                laid = rest;
                            }
                            // Not a line fits: on a fresh page it overflows, as it must.
                            None if fresh => break,
                            None => {}
                        }
                        next_page(canvas, &mut at, index);
                    }
                    laid.place(canvas, at.page.into(), at.left() + table.offset(at.width()), at.y);
                    at.y += laid.height;
                    foot.add(at.page, &notes);
                }
                at.y += table.space_after;
            }
        }
    }
    foot.place(canvas, &setup, bottom_of);
    first..canvas.page_count()
}

/// How far down something `height` high must move to be clear of every box in `around`
/// (relative to it) across `0..width`.
fn clear_of(around: &[Box2], height: f32, width: f32) -> f32 {
    let mut y = 0.0f32;
    // Each pass moves below one more box, or finds none in the way.
    for _ in 0..=around.len() {
        match around.iter().filter(|b| b[1] < y + height && b[3] > y && b[0] < width && b[2] > 0.0).map(|b| b[3]).reduce(f32::min) {
            Some(below) => y = below.max(y + 0.01),
            None => break,
        }
    }
    y
}

/// Most floats a page keeps text clear of; past them, text runs over floats.
const MAX_FLOATS: usize = 64;

/// Where something `size` long goes in `(start, length)`: at a distance from its start,
/// or aligned in it.
fn place(at: Place, (start, length): (f32, f32), size: f32) -> f32 {
    match at {
        Place::At(offset) => start + offset,
        Place::Align(Align::Center) => start + (length - size) / 2.0,
        Place::Align(Align::End) => start + length - size,
        Place::Align(_) => start,
    }
}

/// The height `items` take laid out `width` wide, one after another; `None` past `cap`
/// (measuring stops there) or when they hold a page or column break.
fn section_height(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, cap: f32) -> Option<f32> {
    let mut height = 0.0;
    for item in items {
        height += match item {
            Flow::Para(block) => {
                let (text, _) = block_text(painter, canvas, block, (width - block.indent_left - block.indent_right).max(12.0));
                block.space_before + text.height() + block.space_after
            }
            Flow::Table(table) => {
                table.space_before + table.rows.iter().map(|row| lay_row(painter, canvas, table, row).height).sum::<f32>() + table.space_after
            }
            Flow::Image { width: w, height: h, .. } => h * (width / w).min(1.0),
            Flow::PageBreak | Flow::ColumnBreak => return None,
            Flow::Section { .. } | Flow::Float(_) => 0.0,
        };
        if height > cap {
            return None;
        }
    }
    Some(height)
}

/// Where a paragraph's box is drawn in the column the flow is in: its left and right
/// border lines, outside the indents by the border space.
fn box_edges(at: &Cursor, block: &Block) -> (f32, f32) {
    box_edges_in(at.left(), at.width(), block)
}

/// Whether paragraph `n` of `items` (`block`, with borders) shares its box with the
/// paragraph above it and with the one below: they have the same borders and indents.
fn box_joins(items: &[Flow], n: usize, block: &Block) -> (bool, bool) {
    let boxed = block.borders != Borders::default();
    joins(items, n, block, boxed, |p| p.borders == block.borders)
}

/// Whether paragraph `n` of `items` (`block`), when `on`, joins the paragraph above it
/// and the one below: they have its indents and are `alike`.
fn joins(items: &[Flow], n: usize, block: &Block, on: bool, alike: impl Fn(&Block) -> bool) -> (bool, bool) {
    let same =
        |other: Option<&Flow>| matches!(other, Some(Flow::Para(p)) if alike(p) && p.indent_left == block.indent_left && p.indent_right == block.indent_right);
    (on && n > 0 && same(items.get(n - 1)), on && same(items.get(n + 1)))
}

/// Whether paragraph `n` of `items` (`block`, shaded) shares its shading with the paragraph
/// above it and with the one below: they have the same shading and indents, so the space
/// between them is shaded too.
fn shading_joins(items: &[Flow], n: usize, block: &Block) -> (bool, bool) {
    joins(items, n, block, block.shading.is_some(), |p| p.shading == block.shading)
}

/// A paragraph box's left and right border lines in a column `width` wide from `left`.
fn box_edges_in(left: f32, width: f32, block: &Block) -> (f32, f32) {
    let right = left + width - block.indent_right + block.border_space[3].clamp(0.0, 100.0) + block.borders.right.map_or(0.0, |s| s.1);
    let left = left + block.indent_left - block.border_space[1].clamp(0.0, 100.0) - block.borders.left.map_or(0.0, |s| s.1);
    (left, right)
}

/// The left and right edges of a paragraph's shading in a column `width` wide from `left`:
/// between its indents, and out to its border lines on the sides that have one (Word and
/// LibreOffice shade the space between the text and the borders too).
fn shade_edges_in(left: f32, width: f32, block: &Block) -> (f32, f32) {
    let pad = |side: usize, border: Option<Stroke>| border.map_or(0.0, |_| block.border_space[side].clamp(0.0, 100.0));
    (left + block.indent_left - pad(1, block.borders.left), left + width - block.indent_right + pad(3, block.borders.right))
}

/// Draws a paragraph box's left and right borders from `top` to `bottom` on the page the
/// flow is on.
fn box_sides(canvas: &mut Canvas, at: &Cursor, block: &Block, top: f32, bottom: f32) {
    let (left, right) = box_edges(at, block);
    if let Some(stroke) = block.borders.left {
        canvas.line(at.page, (left + stroke.1 / 2.0, top), (left + stroke.1 / 2.0, bottom), stroke);
    }
    if let Some(stroke) = block.borders.right {
        canvas.line(at.page, (right - stroke.1 / 2.0, top), (right - stroke.1 / 2.0, bottom), stroke);
    }
}

/// Most paragraphs kept together by keep-with-next that are measured ahead.
const MAX_KEPT: usize = 8;

/// The height that must fit for `items[0]`, a keep-with-next paragraph, to stay on the
/// page: it and the keep-with-next paragraphs after it, whole, then the first line (or
/// row, or picture) of the item that follows them.
fn kept_height(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32) -> f32 {
    let mut need = 0.0;
    for (i, item) in items.iter().enumerate().take(MAX_KEPT + 1) {
        match item {
            Flow::Para(block) => {
                let inner = (width - block.indent_left - block.indent_right).max(12.0);
                let (text, _) = block_text(painter, canvas, block, inner);
                if i > 0 {
                    need += block.space_before;
                }
                if !block.keep_with_next || i == MAX_KEPT {
                    return need + text.lines.first().map_or(0.0, |l| l.1 - l.0);
                }
                need += text.height() + block.space_after;
            }
            Flow::Table(table) => return need + table.space_before + table.rows.first().map_or(0.0, |row| lay_row(painter, canvas, table, row).height),
            Flow::Image { height, .. } => return need + height.min(200.0),
            Flow::PageBreak | Flow::ColumnBreak | Flow::Section { .. } | Flow::Float(_) => return need,
        }
    }
    need
}

/// A block's text laid out `width` wide where the flow is, kept clear of the floats on the
/// page, and its list marker.
fn block_text_here(painter: &mut Painter, canvas: &mut Canvas, block: &Block, width: f32, at: &Cursor) -> (Text, Marker) {
    let (x, y) = (at.left() + block.indent_left, at.y);
    let around: Vec<Box2> = at.floats_from(x, y).into_iter().filter(|f| f[3] > 0.0 && f[0] < width && f[2] > 0.0).collect();
    block_text_around(painter, canvas, block, width, &around)
}

/// A block's text, and its list marker with the marker's offset from the text's left edge.
fn block_text(painter: &mut Painter, canvas: &mut Canvas, block: &Block, width: f32) -> (Text, Marker) {
    block_text_around(painter, canvas, block, width, &[])
}

/// A block's text kept clear of the boxes in `around` (see [`Painter::text_around`]), and
/// its list marker.
fn block_text_around(painter: &mut Painter, canvas: &mut Canvas, block: &Block, width: f32, around: &[Box2]) -> (Text, Marker) {
    let Some((label, style)) = &block.marker else { return (painter.text_around(canvas, block, Some(width), around), None) };
    let marker_block = Block { spans: vec![(label.clone(), style.clone())], line_height: block.line_height, ..Default::default() };
    let marker = painter.text(canvas, &marker_block, None);
    // The marker hangs at the first-line indent; the text starts after it, at the
    // paragraph's indent when the marker fits in the hanging space (as a tab would put it).
    let dx = block.indent_first;
    let first = if dx < 0.0 && dx + marker.width + 2.0 <= 0.0 { 0.0 } else { dx + marker.width + 4.0 };
    let text = painter.text_around(canvas, &Block { indent_first: first, ..block.clone() }, Some(width), around);
    (text, Some((marker, dx)))
}

/// A table row laid out: its height and each cell's place and texts.
#[derive(Clone)]
struct RowLayout {
    height: f32,
    cells: Vec<CellLayout>,
    padding: [f32; 4],
}

/// A laid-out cell: its left edge from the table's, width, fill, borders, and its texts.
#[derive(Clone)]
struct CellLayout {
    x: f32,
    width: f32,
    fill: Option<Rgb>,
    picture: Option<BackgroundPicture>,
    borders: Borders,
    v_align: Align,
    texts: Vec<CellText>,
}

/// A paragraph in a laid-out cell: the lines of its text the cell shows (all, or a
/// piece of a row split across pages), with its marker, indent, top within the cell's
/// content and shading.
#[derive(Clone)]
struct CellText {
    text: Text,
    lines: std::ops::Range<usize>,
    marker: Marker,
    indent: f32,
    y: f32,
    shading: Option<Rgb>,
}

impl CellText {
    /// Height of the lines shown.
    fn height(&self) -> f32 {
        match (self.text.lines.get(self.lines.start), self.lines.end.checked_sub(1).and_then(|e| self.text.lines.get(e))) {
            (Some(first), Some(last)) if self.lines.start < self.lines.end => last.1 - first.0,
            _ => 0.0,
        }
    }
}

/// Pieces one row can be split into across pages, at most.
const MAX_ROW_PIECES: usize = 200;

/// A list marker laid out, with its offset from its text's left edge.
type Marker = Option<(Text, f32)>;

/// Lays out every cell of a row at its column's width.
fn lay_row(painter: &mut Painter, canvas: &mut Canvas, table: &Table, row: &Row) -> RowLayout {
    let mut cells = Vec::new();
    let mut column = 0;
    let mut height = row.min_height.max(0.0);
    let pad = row.padding.unwrap_or([1.0, CELL_PADDING, 1.0, CELL_PADDING]);
    for cell in &row.cells {
        let span = cell.span.max(1);
        let x0 = table.columns.iter().take(column).sum::<f32>();
        let w: f32 = table.columns.iter().skip(column).take(span).sum::<f32>().max(6.0);
        column += span;
        let mut texts = Vec::new();
        let mut y = 0.0;
        for (i, block) in cell.content.iter().enumerate() {
            if i > 0 {
                y += block.space_before;
            }
            let inner = (w - (pad[1] + pad[3]) - block.indent_left - block.indent_right).max(4.0);
            let (text, marker) = block_text(painter, canvas, block, inner);
            let h = text.height();
            texts.push(CellText { lines: 0..text.lines.len(), text, marker, indent: block.indent_left, y, shading: block.shading });
            y += h + block.space_after;
        }
        height = height.max(y + pad[0] + pad[2]);
        cells.push(CellLayout { x: x0, width: w, fill: cell.fill, picture: cell.picture, borders: cell.borders, v_align: cell.v_align, texts });
    }
    RowLayout { height, cells, padding: pad }
}

impl RowLayout {
    /// The row cut where `room` points of it end: the lines of each cell that fit above
    /// the cut, and the rest, moved up to start the next piece. `None` when no line fits
    /// or all do.
    fn split(&self, room: f32) -> Option<(RowLayout, RowLayout)> {
        let [pad_top, _, pad_bottom, _] = self.padding;
        let limit = room - pad_top - pad_bottom;
        let (mut head_cells, mut rest_cells) = (Vec::new(), Vec::new());
        let (mut head_height, mut rest_height, mut moved_any, mut kept_any) = (0.0f32, 0.0f32, false, false);
        for cell in &self.cells {
            let (mut head, mut rest) = (Vec::new(), Vec::new());
            // Where the moved part of this cell starts, in the cell's content.
            let mut base = None;
            for t in &cell.texts {
                let top = t.text.lines.get(t.lines.start).map_or(0.0, |l| l.0);
                let fits = t.lines.clone().take_while(|&k| t.y + t.text.lines[k].1 - top <= limit).count();
                let cut = t.lines.start + fits;
                if base.is_none() && cut < t.lines.end {
                    base = Some(t.y + t.text.lines.get(cut).map_or(0.0, |l| l.0) - top);
                }
                if cut > t.lines.start && base.is_none_or(|b| t.y < b + 0.01) {
                    head.push(CellText { lines: t.lines.start..cut, ..t.clone() });
                }
                if cut < t.lines.end {
                    let b = base.unwrap_or(0.0);
                    let y = (t.y + t.text.lines[cut].0 - top - b).max(0.0);
                    let marker = if cut == t.lines.start { t.marker.clone() } else { None };
                    rest.push(CellText { lines: cut..t.lines.end, y, marker, ..t.clone() });
                }
            }
            kept_any |= !head.is_empty();
            moved_any |= !rest.is_empty();
            head_height = head_height.max(head.last().map_or(0.0, |t| t.y + t.height()));
            rest_height = rest_height.max(rest.last().map_or(0.0, |t| t.y + t.height()));
            head_cells.push(CellLayout { texts: head, ..cell.clone() });
            rest_cells.push(CellLayout { texts: rest, ..cell.clone() });
        }
        if !kept_any || !moved_any {
            return None;
        }
        let head = RowLayout { height: (head_height + pad_top + pad_bottom).min(room.max(0.0)), cells: head_cells, padding: self.padding };
        let rest = RowLayout { height: rest_height + pad_top + pad_bottom, cells: rest_cells, padding: self.padding };
        Some((head, rest))
    }

    /// Draws the row with its table's left edge at `left` and its top at `top`.
    fn place(&self, canvas: &mut Canvas, on: Surface, left: f32, top: f32) {
        for CellLayout { x, width, fill, picture, borders: b, v_align, texts } in &self.cells {
            let x0 = left + x;
            let rect = [x0, top, x0 + width, top + self.height];
            canvas.shape(on, ShapeKind::Rect, rect, *fill, None);
            if let Some(picture) = picture {
                picture.draw(canvas, on, rect);
            }
            // Room left below the content, which a centred or bottom-aligned cell puts
            // (half of) above it.
            let content = texts.last().map_or(0.0, |t| t.y + t.height());
            let free = (self.height - self.padding[0] - self.padding[2] - content).max(0.0);
            let shift = match v_align {
                Align::Center => free / 2.0,
                Align::End => free,
                Align::Start | Align::Justify => 0.0,
            };
            for t in texts {
                let x = x0 + self.padding[1] + t.indent;
                let y = top + self.padding[0] + t.y + shift;
                if let Some(fill) = t.shading {
                    canvas.shape(on, ShapeKind::Rect, [x, y, x0 + width - self.padding[3], y + t.height()], Some(fill), None);
                }
                if let Some((marker, dx)) = &t.marker {
                    canvas.text(on, marker, x + dx, y);
                }
                canvas.text_lines(on, &t.text, t.lines.clone(), x, y);
            }
            for (stroke, from, to) in [
                (b.top, (rect[0], rect[1]), (rect[2], rect[1])),
                (b.bottom, (rect[0], rect[3]), (rect[2], rect[3])),
                (b.left, (rect[0], rect[1]), (rect[0], rect[3])),
                (b.right, (rect[2], rect[1]), (rect[2], rect[3])),
            ] {
                if let Some(stroke) = stroke {
                    canvas.line(on, from, to, stroke);
                }
            }
        }
    }
}

/// A flow laid out in a box of a fixed width, unpaginated, to be placed as a whole (the
/// text of a slide's shape, say).
#[derive(Clone)]
pub struct Laid {
    /// Height of everything, in points.
    pub height: f32,
    /// Where each of the items laid out starts, down from the box's top.
    pub starts: Vec<f32>,
    parts: Vec<(f32, LaidPart)>,
}

/// One laid-out item of a [`Laid`] flow, at its offset from the box's left edge.
#[derive(Clone)]
enum LaidPart {
    Text {
        text: Text,
        marker: Marker,
        x: f32,
    },
    Image {
        image: ImageRef,
        x: f32,
        width: f32,
        height: f32,
    },
    Row {
        row: RowLayout,
        x: f32,
    },
    /// A paragraph border, from and to, relative to the box's top left corner.
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        stroke: Stroke,
    },
    /// A float anchored in the box (its items taken out), its items laid out, and its
    /// place: left, top, right, bottom.
    Float {
        float: Box<Float>,
        laid: Laid,
        rect: Box2,
    },
    /// A paragraph's shading behind its lines: left, top, right, bottom.
    Fill {
        rect: Box2,
        color: Rgb,
    },
}

/// Lays `items` out in a box `width` points wide: paragraphs with their spacing (the
/// first one's space before included), tables and images one below the other; floats
/// are passed over (see [`Float::lay_out`] for a box that places them).
pub fn lay_out(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32) -> Laid {
    lay_out_in(painter, canvas, items, width, 0, Vec::new())
}

/// [`lay_out`], with the paragraphs kept clear of the boxes in `clear` (from the box's top
/// left corner) as they are of floats: a header's text beside the picture floating in it.
pub fn lay_out_around(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, clear: &[Box2]) -> Laid {
    lay_out_in(painter, canvas, items, width, 0, clear.to_vec())
}

/// How deep floats inside floats are followed (a picture in a text box, in a text box).
const NESTED_FLOATS: usize = 2;

/// [`lay_out`], placing the floats among `items` (and theirs, `depth` deep) in the box:
/// across from its left edge, down from where they are anchored (or from the box's top,
/// when they are measured from the page or the margins), with the paragraphs after them
/// kept clear of them as their wrapping says. At depth 0 floats are passed over (a header's
/// floats are placed on the page by their caller).
fn lay_out_in(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, depth: usize, mut clear: Vec<Box2>) -> Laid {
    let mut parts = Vec::new();
    let mut starts = Vec::with_capacity(items.len());
    let mut y = 0.0;
    // (`clear`: what the text keeps clear of.) The lowest float's bottom.
    let mut floats_bottom = 0.0f32;
    let mut floats = 0;
    for (n, item) in items.iter().enumerate() {
        starts.push(y);
        match item {
            Flow::Para(block) => {
                let above = y;
                y += block.space_before;
                // Borders and shading as in the page flow: one box shared with neighbours
                // that have the same borders and indents (a ruled header, a boxed note),
                // shading that runs on over the space between paragraphs shaded alike.
                let (joined_above, joined_below) = box_joins(items, n, block);
                let (shade_above, shade_below) = shading_joins(items, n, block);
                let box_top = if joined_above { y - block.space_before } else { y };
                let (left, right) = box_edges_in(0.0, width, block);
                if let (Some(stroke), false) = (block.borders.top, joined_above) {
                    parts.push((0.0, LaidPart::Rule { from: (left, y + stroke.1 / 2.0), to: (right, y + stroke.1 / 2.0), stroke }));
                    y += stroke.1;
                }
                // The shading covers the space between the text and the borders.
                let shade_top = if shade_above { above } else { y };
                if let (Some(_), false) = (block.borders.top, joined_above) {
                    y += block.border_space[0].clamp(0.0, 100.0);
                }
                let inner = (width - block.indent_left - block.indent_right).max(4.0);
                // The floats' boxes from the text's top left corner, those still beside it.
                let around: Vec<Box2> =
                    clear.iter().map(|[x0, y0, x1, y1]| [x0 - block.indent_left, y0 - y, x1 - block.indent_left, y1 - y]).filter(|b| b[3] > 0.0).collect();
                let (text, marker) = block_text_around(painter, canvas, block, inner, &around);
                let height = text.height();
                parts.push((y, LaidPart::Text { text, marker, x: block.indent_left }));
                y += height;
                if let (Some(_), false) = (block.borders.bottom, joined_below) {
                    y += block.border_space[2].clamp(0.0, 100.0);
                }
                if let Some(color) = block.shading {
                    let (shade_left, shade_right) = shade_edges_in(0.0, width, block);
                    // (Before the text in the parts, so that it is painted under it.)
                    let at = parts.len() - 1;
                    let shade_bottom = if shade_below { y + block.space_after } else { y };
                    parts.insert(at, (0.0, LaidPart::Fill { rect: [shade_left, shade_top, shade_right, shade_bottom], color }));
                }
                if let (Some(stroke), false) = (block.borders.bottom, joined_below) {
                    parts.push((0.0, LaidPart::Rule { from: (left, y + stroke.1 / 2.0), to: (right, y + stroke.1 / 2.0), stroke }));
                    y += stroke.1;
                }
                let box_bottom = if joined_below { y + block.space_after } else { y };
                if let Some(stroke) = block.borders.left {
                    parts.push((0.0, LaidPart::Rule { from: (left + stroke.1 / 2.0, box_top), to: (left + stroke.1 / 2.0, box_bottom), stroke }));
                }
                if let Some(stroke) = block.borders.right {
                    parts.push((0.0, LaidPart::Rule { from: (right - stroke.1 / 2.0, box_top), to: (right - stroke.1 / 2.0, box_bottom), stroke }));
                }
                y += block.space_after;
            }
            Flow::Image { image, width: w, height: h, align } => {
                let scale = (width / w).min(1.0);
                let (w, h) = (w * scale, h * scale);
                let x = match align {
                    Align::Center => (width - w) / 2.0,
                    Align::End => width - w,
                    _ => 0.0,
                };
                parts.push((y, LaidPart::Image { image: *image, x, width: w, height: h }));
                y += h;
            }
            Flow::Table(table) => {
                y += table.space_before;
                for row in &table.rows {
                    let row = lay_row(painter, canvas, table, row);
                    let height = row.height;
                    parts.push((y, LaidPart::Row { row, x: table.offset(width) }));
                    y += height;
                }
                y += table.space_after;
            }
            Flow::Float(float) if depth > 0 && floats < MAX_BOX_FLOATS => {
                floats += 1;
                let laid = float.lay_out_nested(painter, canvas, depth - 1);
                let w = float.clamped_width().min(width.max(12.0));
                let [top, _, under, _] = float.inset.map(|i| i.clamp(0.0, w / 3.0));
                let h = float.height.unwrap_or(laid.height + top + under).clamp(0.0, 14_400.0);
                let x = place(float.x, (0.0, width), w).clamp(-width, 2.0 * width);
                let down = if float.from_y == FloatFrom::Here { y } else { 0.0 };
                let fy = (down + place(float.y, (0.0, 0.0), h)).clamp(-14_400.0, 14_400.0);
                let rect = [x, fy, x + w, fy + h];
                if let Some(keep) = float.keep_clear(rect, width) {
                    clear.push(keep);
                }
                floats_bottom = floats_bottom.max(rect[3]);
                parts.push((0.0, LaidPart::Float { float: Box::new(float.shell()), laid, rect }));
            }
            Flow::PageBreak | Flow::ColumnBreak | Flow::Section { .. } | Flow::Float(_) => {}
        }
    }
    Laid { height: y.max(floats_bottom), starts, parts }
}

/// Floats placed in one laid-out box at most; later ones are passed over.
const MAX_BOX_FLOATS: usize = 1_000;

impl Laid {
    /// Draws the flow with the box's top left corner at (`x`, `top`).
    pub fn place(&self, canvas: &mut Canvas, on: Surface, x: f32, top: f32) {
        for (y, part) in &self.parts {
            let y = top + y;
            match part {
                LaidPart::Text { text, marker, x: dx } => {
                    if let Some((marker, mx)) = marker {
                        canvas.text(on, marker, x + dx + mx, y);
                    }
                    canvas.text(on, text, x + dx, y);
                }
                LaidPart::Image { image, x: dx, width, height } => canvas.image(on, *image, [x + dx, y, x + dx + width, y + height]),
                LaidPart::Row { row, x: dx } => row.place(canvas, on, x + dx, y),
                LaidPart::Rule { from, to, stroke } => canvas.line(on, (x + from.0, y + from.1), (x + to.0, y + to.1), *stroke),
                LaidPart::Fill { rect: [x0, y0, x1, y1], color } => canvas.shape(on, ShapeKind::Rect, [x + x0, y + y0, x + x1, y + y1], Some(*color), None),
                LaidPart::Float { float, laid, rect: [x0, y0, x1, y1] } => float.draw(laid, canvas, on, [x + x0, y + y0, x + x1, y + y1]),
            }
        }
    }
}

/// Page size used when a page's boxes are unusable (US Letter, in points).
const FALLBACK_PAGE_SIZE: (f32, f32) = (612.0, 792.0);

/// Chooses the resolution and pixel size of a page so that it fits the request's limits.
///
/// Returns `(dpi, width, height)`. The DPI only goes down, and never below 1.
pub fn fit_page((w_pt, h_pt): (f32, f32), request: &Request<'_>) -> (u32, u32, u32) {
    let (w_pt, h_pt) = if w_pt.is_finite() && h_pt.is_finite() && w_pt >= 1.0 && h_pt >= 1.0 {
        (f64::from(w_pt), f64::from(h_pt))
    } else {
        (f64::from(FALLBACK_PAGE_SIZE.0), f64::from(FALLBACK_PAGE_SIZE.1))
    };
    // vello_cpu addresses pixels with u16.
    let max_side = f64::from(request.max_page_side.min(u32::from(u16::MAX)).max(1));
    let max_pixels = (request.max_page_pixels.max(1)) as f64;
    // Less a hair before rounding up, so that a page sized from pixels (an image) gets
    // exactly those pixels back despite float error.
    let size = |dpi: f64| ((w_pt * dpi / 72.0 - 1e-3).ceil().max(1.0), (h_pt * dpi / 72.0 - 1e-3).ceil().max(1.0));
    let mut dpi = f64::from(request.dpi.max(1));
    let (w, h) = size(dpi);
    if w > max_side || h > max_side || w * h > max_pixels {
        let by_side = max_side * 72.0 / w_pt.max(h_pt);
        let by_area = (max_pixels * 72.0 * 72.0 / (w_pt * h_pt)).sqrt();
        dpi = by_side.min(by_area).floor().max(1.0);
        // Rounding up the sides can still overshoot by a pixel; step down until it fits.
        while dpi > 1.0 {
            let (w, h) = size(dpi);
            if w <= max_side && h <= max_side && w * h <= max_pixels {
                break;
            }
            dpi -= 1.0;
        }
    }
    let (w, h) = size(dpi);
    // At 1 DPI a page would need to be over 900 m wide to exceed the limits; clamp anyway.
    (dpi as u32, w.min(max_side) as u32, h.min(max_side) as u32)
}

/// The 1-based page numbers to render: the requested range within the document, cut to
/// the page limit.
pub fn requested_pages(request: &Request<'_>, page_count: u32) -> impl Iterator<Item = u32> {
    (request.first_page.max(1)..=request.last_page.min(page_count)).take(request.max_pages as usize)
}

/// Number of pages of a canvas, as the protocol counts them.
pub fn page_count(canvas: &Canvas) -> u32 {
    u32::try_from(canvas.page_count()).unwrap_or(u32::MAX - 1)
}

/// What drawing pages needs between pages: a render context and a pixmap, reused.
pub struct Raster {
    ctx: RenderContext,
    pixmap: Pixmap,
    resources: Resources,
}

impl Raster {
    /// An empty raster; it grows to the pages drawn.
    pub fn new() -> Self {
        Raster { ctx: RenderContext::new(1, 1), pixmap: Pixmap::new(1, 1), resources: Resources::default() }
    }

    /// Draws page `index` of `canvas` at `dpi` into `width` by `height` pixels; returns
    /// its RGBA bytes.
    pub fn draw(&mut self, canvas: &Canvas, index: usize, (dpi, width, height): (u32, u32, u32)) -> &[u8] {
        canvas.draw(index, (dpi, width, height), &mut self.ctx, &mut self.pixmap, &mut self.resources);
        self.pixmap.data_as_u8_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(dpi: u32, side: u32, pixels: u64) -> Request<'static> {
        Request {
            dpi,
            first_page: 1,
            last_page: u32::MAX,
            max_pages: 10,
            max_page_side: side,
            max_page_pixels: pixels,
            max_report_bytes: 4096,
            password: "",
            passwords_from_message: false,
            sheet_gridlines: false,
            clock: 0,
            document: b"",
        }
    }

    #[test]
    fn pages_fit_their_limits() {
        // A4 at 150 DPI fits.
        assert_eq!(fit_page((595.0, 842.0), &request(150, 10_000, 50_000_000)), (150, 1240, 1755));
        // A 200-inch banner shrinks to the side limit.
        let (dpi, w, h) = fit_page((14_400.0, 720.0), &request(300, 10_000, 50_000_000));
        assert!(w <= 10_000 && h <= 10_000 && dpi < 300, "{dpi} {w} {h}");
        // A huge square shrinks to the pixel limit.
        let (_, w, h) = fit_page((5000.0, 5000.0), &request(600, 65_535, 1_000_000));
        assert!(u64::from(w) * u64::from(h) <= 1_000_000);
        // Nonsense boxes fall back to Letter.
        assert_eq!(fit_page((f32::NAN, 0.0), &request(72, 10_000, 50_000_000)), (72, 612, 792));
    }

    #[test]
    fn hairlines_are_stroked_at_least_a_pixel_wide() {
        // At 36 DPI a point is half a pixel: a quarter-point line is stroked two points
        // wide (one pixel), a three-point line keeps its width.
        let base = Affine::scale(0.5);
        assert!((stroke_width(0.25, base) - 2.0).abs() < 1e-9);
        assert!((stroke_width(3.0, base) - 3.0).abs() < 1e-9);
        // A degenerate transform does not make a line infinitely wide.
        assert!((stroke_width(1.0, Affine::scale(0.0)) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn hatch_lines_cross_their_box_at_their_spacing_and_no_more_than_the_cap() {
        let count = |path: &BezPath| path.elements().iter().filter(|e| matches!(e, vello_cpu::kurbo::PathEl::MoveTo(_))).count();
        // Horizontal lines 10 pt apart across a 100 pt high box, one through its top edge.
        let hatch = Hatch { color: [0, 0, 0], distance: 10.0, angle: 0.0, crossings: 1 };
        let lines = hatch_lines(&[0.0, 0.0, 100.0, 100.0], &hatch);
        let ys: Vec<f64> = lines.elements().iter().filter_map(|e| if let vello_cpu::kurbo::PathEl::MoveTo(p) = e { Some(p.y) } else { None }).collect();
        assert!(ys.iter().any(|y| y.abs() < 1e-6) && ys.iter().all(|y| (y / 10.0 - (y / 10.0).round()).abs() < 1e-6), "{ys:?}");
        assert!((11..=16).contains(&ys.len()), "{}", ys.len());
        // Double and triple hatches add directions.
        let double = hatch_lines(&[0.0, 0.0, 100.0, 100.0], &Hatch { crossings: 2, ..hatch });
        let triple = hatch_lines(&[0.0, 0.0, 100.0, 100.0], &Hatch { crossings: 3, ..hatch });
        assert!(count(&double) >= 2 * 11 && count(&triple) > count(&double));
        // A hatch a hostile file makes dense over a huge box draws at most the cap per direction.
        let dense = Hatch { color: [0, 0, 0], distance: 1e-6, angle: 30.0, crossings: 3 };
        let lines = hatch_lines(&[0.0, 0.0, 100_000.0, 100_000.0], &dense);
        assert!(count(&lines) <= 3 * (MAX_HATCH_LINES as usize + 2), "{}", count(&lines));
    }

    #[test]
    fn right_to_left_tabs_measure_their_stops_from_the_right() {
        // A table of contents line in Arabic, as Word writes them: its stops count from
        // the right margin; the page number ends at a right stop on the left margin.
        let mut painter = Painter::new();
        let mut canvas = Canvas::new();
        let stop = |position: f32, align: TabAlign, leader: Leader| TabStop { position, align, leader };
        let style = SpanStyle { family: "Times New Roman".into(), size: 10.0, ..Default::default() };
        let width = 480.0;
        let block = Block {
            spans: vec![("\tخامساً\t-\tالمراهقون الذين\t\t9".into(), style)],
            right_to_left: Some(true),
            tabs: vec![
                stop(50.0, TabAlign::Right, Leader::None),
                stop(54.0, TabAlign::Left, Leader::None),
                stop(76.0, TabAlign::Left, Leader::None),
                stop(440.0, TabAlign::Left, Leader::Dots),
                stop(width, TabAlign::Right, Leader::None),
            ],
            ..Default::default()
        };
        let text = painter.text(&mut canvas, &block, Some(width));
        assert_eq!(text.lines.len(), 1);
        let layout = &canvas.layouts[text.index];
        let line = layout.lines().next().unwrap();
        // Glyph runs from the right: each one's right edge, measured from the right.
        let mut runs: Vec<(f32, f32)> = line
            .items()
            .filter_map(|item| match item {
                PositionedLayoutItem::GlyphRun(run) if run.advance() > 0.0 => Some((width - run.offset() - run.advance(), width - run.offset())),
                _ => None,
            })
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let starts: Vec<f32> = runs.iter().map(|r| r.0).collect();
        let near = |x: f32, want: f32| (x - want).abs() < 1.0;
        // The number at the right stop first: its text ends at 50.
        assert!(near(runs[0].1, 50.0), "{runs:?}");
        assert!(starts.iter().any(|&x| near(x, 54.0)), "{runs:?}");
        assert!(starts.iter().any(|&x| near(x, 76.0)), "{runs:?}");
        // The page number ends at the left margin.
        assert!(near(runs.last().unwrap().1, width), "{runs:?}");
    }

    #[test]
    fn exact_line_heights_are_exact() {
        let mut painter = Painter::new();
        let mut canvas = Canvas::new();
        for family in ["Liberation Serif", "MS Mincho"] {
            let style = SpanStyle { family: family.into(), size: 10.5, ..Default::default() };
            let text = "日本語の文章と English words ".repeat(40);
            let block = Block { spans: vec![(text, style)], line_exact: Some(18.0), ..Default::default() };
            let laid = painter.text(&mut canvas, &block, Some(400.0));
            let pitches: Vec<f32> = laid.lines.windows(2).map(|w| w[1].0 - w[0].0).collect();
            assert!(pitches.iter().all(|p| (p - 18.0).abs() < 0.01), "{family}: {pitches:?}");
        }
    }

    #[test]
    fn lines_find_the_widest_room_beside_floats_or_go_below_them() {
        // A box at the left, 0..100 across and 0..50 down, in a 400 pt wide text area.
        let left = [[0.0, 0.0, 100.0, 50.0]];
        assert_eq!(room_at(&left, 0.0, 12.0, 400.0), (0.0, 100.0, 300.0));
        assert_eq!(room_at(&left, 60.0, 12.0, 400.0), (60.0, 0.0, 400.0));
        // A line that would reach into the box from above is beside it too.
        assert_eq!(room_at(&left, -5.0, 12.0, 400.0).1, 100.0);
        // Boxes on both sides: the wider room between them.
        let both = [[0.0, 0.0, 100.0, 50.0], [250.0, 0.0, 400.0, 50.0]];
        assert_eq!(room_at(&both, 0.0, 12.0, 400.0), (0.0, 100.0, 150.0));
        // Too narrow a room: below the boxes, past the lower one when they overlap.
        let blocking = [[0.0, 0.0, 390.0, 50.0], [200.0, 40.0, 400.0, 90.0]];
        assert_eq!(room_at(&blocking, 0.0, 12.0, 400.0), (50.0, 0.0, 200.0));
        assert_eq!(clear_of(&blocking, 12.0, 400.0), 90.0);
        // Many boxes stay linear and end.
        let many: Vec<Box2> = (0..MAX_FLOATS).map(|i| [0.0, i as f32 * 10.0, 399.0, i as f32 * 10.0 + 10.0]).collect();
        assert_eq!(room_at(&many, 0.0, 12.0, 400.0).0, MAX_FLOATS as f32 * 10.0);
    }

    #[test]
    fn a_paragraph_laid_out_around_a_float_keeps_clear_of_it() {
        let mut painter = Painter::new();
        let mut canvas = Canvas::new();
        let block = Block { spans: vec![("word ".repeat(200), SpanStyle::default())], line_height: 1.0, ..Default::default() };
        let plain = painter.text(&mut canvas, &block, Some(400.0));
        let around = painter.text_around(&mut canvas, &block, Some(400.0), &[[0.0, 0.0, 150.0, 60.0]]);
        assert!(around.lines.len() > plain.lines.len(), "narrower lines beside the box make more of them");
        let layout = &canvas.layouts[around.index];
        for line in layout.lines() {
            let m = line.metrics();
            if m.block_min_coord < 60.0 {
                assert!(m.inline_min_coord >= 150.0 && m.inline_max_coord <= 400.01, "beside the box: {m:?}");
            } else {
                assert_eq!(m.inline_min_coord, 0.0, "below the box, lines start at the left");
            }
        }
    }

    #[test]
    fn line_pitch_follows_the_font_size_and_spacing() {
        let mut painter = Painter::new();
        let mut canvas = Canvas::new();
        let style = SpanStyle { family: "Liberation Serif".into(), size: 12.0, ..Default::default() };
        for (spacing, pitch) in [(1.0f32, 14.0f32), (1.5, 21.0)] {
            let block = Block { spans: vec![("word ".repeat(200), style.clone())], line_height: spacing, ..Default::default() };
            let text = painter.text(&mut canvas, &block, Some(468.0));
            let measured = text.lines[2].0 - text.lines[1].0;
            assert!((measured - pitch).abs() <= 1.0, "spacing {spacing}: pitch {measured}, expected {pitch}");
        }
    }

    #[test]
    fn lays_out_and_paginates_text_with_japanese() {
        let mut painter = Painter::new();
        let style = SpanStyle { family: "Calibri".into(), size: 24.0, ..Default::default() };
        let block = Block {
            spans: vec![("Hello docsandbox — 日本語の文章も表示できます。".repeat(6), style.clone())],
            line_height: 1.0,
            space_after: 12.0,
            ..Default::default()
        };
        let items = vec![Flow::Para(block); 8];
        let mut canvas = Canvas::new();
        let pages = flow(&mut painter, &mut canvas, &items, PageSetup::default());
        assert!(pages.len() >= 2, "{} pages", pages.len());
        let mut ctx = RenderContext::new(1, 1);
        let mut pixmap = Pixmap::new(1, 1);
        let mut resources = Resources::default();
        canvas.draw(0, (72, 612, 792), &mut ctx, &mut pixmap, &mut resources);
        let ink = pixmap.data_as_u8_slice().chunks_exact(4).filter(|p| p[0] < 128).count();
        assert!(ink > 2000, "ink {ink}");
        if let Ok(dir) = std::env::var("PAINT_DEBUG_DIR") {
            std::fs::write(format!("{dir}/paint.png"), pixmap.into_png().unwrap()).unwrap();
        }
    }
}
