//! Headers and footers: the same items placed on every page of a flowed document, with
//! page-number fields filled in per page. Word and RTF documents share this; the body's
//! flow fills in its own fields with the same functions ([`with_fields`]).

use crate::layout::paint::{self, Block, Canvas, Flow, Laid, PageSetup, Painter, Surface};

/// Stands for the current page number in text until it is known.
pub const PAGE_FIELD: char = '\u{E000}';
/// Stands for the page count in text until it is known.
pub const NUMPAGES_FIELD: char = '\u{E001}';

/// A header or a footer.
#[derive(Clone, Copy, PartialEq)]
pub enum Running {
    Header,
    /// A footer standing on the footer margin, as Word places it.
    Footer,
    /// A footer hanging this far below the body, as OpenDocument places it: a footer's
    /// minimum height can leave room below its text.
    FooterBelowBody(f32),
}

/// Places a header or footer (`items`) on each of `pages`: headers down from the header
/// margin (`margins.0` from the top edge), footers up from the footer margin (`margins.1`
/// from the bottom edge) or down from the body's end. Text holding [`PAGE_FIELD`] or
/// [`NUMPAGES_FIELD`] is laid out per page with the numbers filled in: pages count from the
/// start of `document`, the range of all the document's pages (`pages` may be part of it,
/// as after a first page with its own header).
#[allow(clippy::too_many_arguments)]
pub fn place(
    painter: &mut Painter,
    canvas: &mut Canvas,
    items: &[Flow],
    part: Running,
    setup: &PageSetup,
    margins: (f32, f32),
    pages: impl IntoIterator<Item = usize>,
    document: std::ops::Range<usize>,
) {
    let total = document.len();
    let has_fields = items.iter().any(holds_fields);
    let mut shared: Option<(Laid, f32, Vec<paint::Box2>)> = None;
    let floats: Vec<(usize, Laid)> =
        items.iter().enumerate().filter_map(|(n, item)| if let Flow::Float(f) = item { Some((n, f.lay_out(painter, canvas))) } else { None }).collect();
    for page in pages {
        let number = page.saturating_sub(document.start) + 1;
        let (laid, top, rects) = match (&shared, has_fields) {
            (Some(done), false) => done.clone(),
            _ => {
                let done = arrange(painter, canvas, items, &floats, part, setup, margins, (number, total));
                if !has_fields {
                    shared = Some(done.clone());
                }
                done
            }
        };
        laid.place(canvas, Surface::from(page), setup.margin_left, top);
        for ((n, float_laid), rect) in floats.iter().zip(rects) {
            if let Some(Flow::Float(float)) = items.get(*n) {
                float.draw(float_laid, canvas, Surface::from(page), rect);
            }
        }
    }
}

/// Lays a header or footer out for page `number` of `total`: its text, where its top
/// goes, and where its floats go. Floats are placed as their anchors say, the place of
/// their anchor in it counting as "here"; they take no room in it, but its text runs
/// beside those that wrap around (a logo with the letterhead's text beside it).
#[allow(clippy::too_many_arguments)]
fn arrange(
    painter: &mut Painter,
    canvas: &mut Canvas,
    items: &[Flow],
    floats: &[(usize, Laid)],
    part: Running,
    setup: &PageSetup,
    margins: (f32, f32),
    (number, total): (usize, usize),
) -> (Laid, f32, Vec<paint::Box2>) {
    let width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
    let top_of = |laid: &Laid| match part {
        Running::Header => margins.0,
        Running::Footer => setup.height - margins.1 - laid.height,
        Running::FooterBelowBody(spacing) => setup.height - setup.margin_bottom + spacing,
    };
    let mut laid = lay_out_running(painter, canvas, items, width, number, total, &[]);
    let mut top = top_of(&laid);
    let mut rects = Vec::with_capacity(floats.len());
    let mut clear = Vec::new();
    for (n, float_laid) in floats {
        let Some(Flow::Float(float)) = items.get(*n) else { continue };
        let here = top + laid.starts.get(*n).copied().unwrap_or(0.0);
        let rect = float.rect(float_laid, setup, (setup.margin_left, width), here);
        rects.push(rect);
        if float.wrap == paint::Wrap::Around {
            if let Some([x0, y0, x1, y1]) = float.keep_clear(rect, setup.width) {
                clear.push([x0 - setup.margin_left, y0 - top, x1 - setup.margin_left, y1 - top]);
            }
        }
    }
    if !clear.is_empty() {
        laid = lay_out_running(painter, canvas, items, width, number, total, &clear);
        top = top_of(&laid);
    }
    (laid, top, rects)
}

/// The height a header or footer (`items`) takes on a page whose body is `width` wide.
pub fn height(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32) -> f32 {
    lay_out_running(painter, canvas, items, width, 1, 1, &[]).height
}

/// A header or footer laid out as any box of flowed items is (paragraphs with their
/// spacing, borders, shading and list labels; pictures; tables), with the page-number
/// fields of its text filled in for page `page` of `total`.
fn lay_out_running(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, page: usize, total: usize, clear: &[paint::Box2]) -> Laid {
    if !items.iter().any(holds_fields) {
        return paint::lay_out_around(painter, canvas, items, width, clear);
    }
    let filled: Vec<Flow> = items.iter().map(|item| with_fields(item, page, total).unwrap_or_else(|| item.clone())).collect();
    paint::lay_out_around(painter, canvas, &filled, width, clear)
}

/// `item` with its page-number fields filled in for page `page` of `total`, when it is a
/// paragraph or a table holding some.
pub fn with_fields(item: &Flow, page: usize, total: usize) -> Option<Flow> {
    match item {
        Flow::Para(block) => block_with_fields(block, page, total).map(Flow::Para),
        Flow::Table(table) if holds_fields(item) => {
            let mut table = table.clone();
            for block in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()).flat_map(|c| c.content.iter_mut()) {
                if let Some(filled) = block_with_fields(block, page, total) {
                    *block = filled;
                }
            }
            Some(Flow::Table(table))
        }
        _ => None,
    }
}

/// A paragraph with its page-number fields filled in for page `page` of `total`, when it
/// holds some.
pub fn block_with_fields(block: &Block, page: usize, total: usize) -> Option<Block> {
    if !holds(block) {
        return None;
    }
    let mut block = block.clone();
    for (text, _) in &mut block.spans {
        *text = text.replace(PAGE_FIELD, &page.to_string()).replace(NUMPAGES_FIELD, &total.to_string());
    }
    Some(block)
}

/// Whether an item is a paragraph, or a table with a paragraph, holding a page-number
/// field.
pub fn holds_fields(item: &Flow) -> bool {
    match item {
        Flow::Para(block) => holds(block),
        Flow::Table(table) => table.rows.iter().flat_map(|r| &r.cells).flat_map(|c| &c.content).any(holds),
        _ => false,
    }
}

/// Whether a paragraph's text holds a page-number field.
fn holds(block: &Block) -> bool {
    block.spans.iter().any(|(t, _)| t.contains([PAGE_FIELD, NUMPAGES_FIELD]))
}
