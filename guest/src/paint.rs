//! The paint layer shared by the formats that lay out text themselves: a model of pages
//! made of text blocks, laid out with parley (shaping, bidi, per-character font fallback,
//! line breaking) and drawn with vello_cpu, the rasterizer hayro uses.

use parley::fontique::{Blob, Collection, CollectionOptions, SourceCache};
use parley::{
    Alignment, AlignmentOptions, FontContext, IndentOptions, FontFamily, FontStyle, FontWeight, Layout, LayoutContext, LineHeight,
    PositionedLayoutItem, StyleProperty,
};
use vello_cpu::color::palette::css::WHITE;
use vello_cpu::color::AlphaColor;
use vello_cpu::kurbo::{Affine, Rect};
use vello_cpu::{Glyph, Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};

use docsandbox_protocol::Request;

use crate::fonts;
use crate::output::Output;

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
}

impl Default for SpanStyle {
    fn default() -> Self {
        SpanStyle { family: String::new(), size: 11.0, bold: false, italic: false, underline: false, strike: false, color: [0, 0, 0] }
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
    /// Line height as a multiple of the font's natural line height.
    pub line_height: f32,
    /// Starts a new page.
    pub page_break_before: bool,
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

/// The brush parley carries through layout: the span's colour and decorations.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Brush {
    color: Rgb,
}

/// Lines of one block placed on a page: the layout and the range of its lines shown there.
struct Placed {
    layout_index: usize,
    lines: std::ops::Range<usize>,
    /// Top of the first line, in points from the top of the page.
    top: f32,
    /// Distance to shift the layout up so that its line `lines.start` lands at `top`.
    shift: f32,
    x: f32,
}

/// Pages ready to draw.
pub struct Laid {
    layouts: Vec<(Layout<Brush>, Vec<Decoration>)>,
    pages: Vec<Vec<Placed>>,
    setup: PageSetup,
}

/// Underline and strike-through spans, as byte ranges of a layout's text.
#[derive(Clone, Copy)]
struct Decoration {
    range: (usize, usize),
    underline: bool,
    strike: bool,
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

    /// Lays blocks out on pages of the given setup.
    pub fn lay_out(&mut self, blocks: &[Block], setup: PageSetup) -> Laid {
        let content_width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
        let bottom = setup.height - setup.margin_bottom;
        let mut laid = Laid { layouts: Vec::new(), pages: vec![Vec::new()], setup };
        let mut y = setup.margin_top;
        for block in blocks {
            if block.page_break_before && !laid.pages.last().is_some_and(Vec::is_empty) {
                laid.pages.push(Vec::new());
                y = setup.margin_top;
            }
            let width = (content_width - block.indent_left - block.indent_right).max(12.0);
            let (layout, decorations) = self.layout_block(block, width);
            let index = laid.layouts.len();
            let line_tops: Vec<(f32, f32)> = layout.lines().map(|l| (l.metrics().block_min_coord, l.metrics().block_max_coord)).collect();
            laid.layouts.push((layout, decorations));
            if y > setup.margin_top {
                y += block.space_before;
            }
            let mut start = 0;
            while start < line_tops.len() {
                // Take as many lines as fit; at least one on an empty page.
                let shift = line_tops[start].0;
                let mut end = start;
                while end < line_tops.len() && (y + line_tops[end].1 - shift <= bottom || (end == start && y <= setup.margin_top)) {
                    end += 1;
                }
                if end == start {
                    laid.pages.push(Vec::new());
                    y = setup.margin_top;
                    continue;
                }
                laid.pages.last_mut().expect("a page").push(Placed {
                    layout_index: index,
                    lines: start..end,
                    top: y,
                    shift,
                    x: setup.margin_left + block.indent_left,
                });
                y += line_tops[end - 1].1 - shift;
                start = end;
            }
            y += block.space_after;
        }
        laid
    }

    fn layout_block(&mut self, block: &Block, width: f32) -> (Layout<Brush>, Vec<Decoration>) {
        let mut text = String::new();
        let mut ranges = Vec::new();
        for (span, style) in &block.spans {
            let start = text.len();
            text.push_str(span);
            ranges.push((start, text.len(), style));
        }
        if text.is_empty() {
            // An empty paragraph still takes a line of its paragraph mark's height.
            text.push(' ');
            let style = block.spans.first().map(|(_, s)| s.clone()).unwrap_or_default();
            return self.layout_block(&Block { spans: vec![(text, style)], ..block.clone() }, width);
        }
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, &text, 1.0, true);
        builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(1.17 * block.line_height.max(0.5))));
        let mut decorations = Vec::new();
        for &(start, end, style) in &ranges {
            let range = start..end;
            builder.push(StyleProperty::FontFamily(FontFamily::Source(fonts::family_for(&style.family).into())), range.clone());
            builder.push(StyleProperty::FontSize(style.size.clamp(1.0, 400.0)), range.clone());
            builder.push(StyleProperty::FontWeight(if style.bold { FontWeight::BOLD } else { FontWeight::NORMAL }), range.clone());
            builder.push(StyleProperty::FontStyle(if style.italic { FontStyle::Italic } else { FontStyle::Normal }), range.clone());
            builder.push(StyleProperty::Brush(Brush { color: style.color }), range.clone());
            if style.underline || style.strike {
                decorations.push(Decoration { range: (start, end), underline: style.underline, strike: style.strike });
            }
        }
        let mut layout = builder.build(&text);
        if block.indent_first != 0.0 {
            layout.set_text_indent(block.indent_first, IndentOptions::default());
        }
        layout.break_all_lines(Some(width));
        let align = match block.align {
            Align::Start => Alignment::Start,
            Align::Center => Alignment::Center,
            Align::End => Alignment::End,
            Align::Justify => Alignment::Justify,
        };
        layout.align(align, AlignmentOptions::default());
        (layout, decorations)
    }
}

impl Laid {
    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draws page `index` at `dpi` into `pixmap`, resized to `w` x `h` pixels (as
    /// [`fit_page`] chose them).
    pub fn draw(&self, index: usize, (dpi, w, h): (u32, u32, u32), ctx: &mut RenderContext, pixmap: &mut Pixmap, resources: &mut Resources) {
        ctx.reset_and_resize(w as u16, h as u16);
        pixmap.resize(w as u16, h as u16);
        let page_transform = Affine::scale(f64::from(dpi) / 72.0);
        for placed in &self.pages[index] {
            let (layout, decorations) = &self.layouts[placed.layout_index];
            let origin = page_transform * Affine::translate((f64::from(placed.x), f64::from(placed.top - placed.shift)));
            for line in layout.lines().skip(placed.lines.start).take(placed.lines.len()) {
                for item in line.items() {
                    let PositionedLayoutItem::GlyphRun(run) = item else { continue };
                    let brush = run.style().brush;
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
                    // Decorations under this run, if its text range has any.
                    let text_range = run.run().text_range();
                    for d in decorations.iter().filter(|d| d.range.0 < text_range.end && text_range.start < d.range.1) {
                        let metrics = run.run().font_metrics();
                        let (x0, x1) = (f64::from(run.offset()), f64::from(run.offset() + run.advance()));
                        let baseline = f64::from(run.baseline());
                        let thick = f64::from(metrics.underline_size.max(0.5));
                        ctx.set_transform(origin);
                        if d.underline {
                            let y = baseline - f64::from(metrics.underline_offset);
                            ctx.fill_rect(&Rect::new(x0, y, x1, y + thick));
                        }
                        if d.strike {
                            let y = baseline - f64::from(metrics.strikethrough_offset);
                            ctx.fill_rect(&Rect::new(x0, y, x1, y + thick));
                        }
                    }
                }
            }
        }
        ctx.flush();
        ctx.render_with(pixmap, resources, RasterizerSettings { target_init: TargetInit::Clear(WHITE), ..Default::default() });
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
    let size = |dpi: f64| ((w_pt * dpi / 72.0).ceil().max(1.0), (h_pt * dpi / 72.0).ceil().max(1.0));
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

/// Draws the requested pages of a laid-out document and sends them.
pub fn render_pages(laid: &Laid, request: &Request<'_>, page_count: u32, out: &mut Output) {
    let mut ctx = RenderContext::new(1, 1);
    let mut pixmap = Pixmap::new(1, 1);
    let mut resources = Resources::default();
    for number in requested_pages(request, page_count) {
        let (dpi, width, height) = fit_page((laid.setup.width, laid.setup.height), request);
        laid.draw((number - 1) as usize, (dpi, width, height), &mut ctx, &mut pixmap, &mut resources);
        out.page(number - 1, width, height, dpi, pixmap.data_as_u8_slice());
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
    fn lays_out_and_paginates_text_with_japanese() {
        let mut painter = Painter::new();
        let style = SpanStyle { family: "Calibri".into(), size: 24.0, ..Default::default() };
        let block = Block {
            spans: vec![("Hello docsandbox — 日本語の文章も表示できます。".repeat(6), style.clone())],
            line_height: 1.0,
            space_after: 12.0,
            ..Default::default()
        };
        let blocks = vec![block; 8];
        let laid = painter.lay_out(&blocks, PageSetup::default());
        assert!(laid.page_count() >= 2, "{} pages", laid.page_count());
        let mut ctx = RenderContext::new(1, 1);
        let mut pixmap = Pixmap::new(1, 1);
        let mut resources = Resources::default();
        laid.draw(0, (72, 612, 792), &mut ctx, &mut pixmap, &mut resources);
        let ink = pixmap.data_as_u8_slice().chunks_exact(4).filter(|p| p[0] < 128).count();
        assert!(ink > 2000, "ink {ink}");
        if let Ok(dir) = std::env::var("PAINT_DEBUG_DIR") {
            std::fs::write(format!("{dir}/paint.png"), pixmap.into_png().unwrap()).unwrap();
        }
    }
}
