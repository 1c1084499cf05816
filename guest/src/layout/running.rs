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
    let width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
    let total = document.len();
    let has_fields = items.iter().any(holds_fields);
    let mut shared: Option<Laid> = None;
    let floats: Vec<(usize, Laid)> =
        items.iter().enumerate().filter_map(|(n, item)| if let Flow::Float(f) = item { Some((n, f.lay_out(painter, canvas))) } else { None }).collect();
    for page in pages {
        let number = page.saturating_sub(document.start) + 1;
        let laid = match (&shared, has_fields) {
            (Some(laid), false) => laid.clone(),
            _ => {
                let laid = lay_out_running(painter, canvas, items, width, number, total);
                if !has_fields {
                    shared = Some(laid.clone());
                }
                laid
            }
        };
        let top = match part {
            Running::Header => margins.0,
            Running::Footer => setup.height - margins.1 - laid.height,
            Running::FooterBelowBody(spacing) => setup.height - setup.margin_bottom + spacing,
        };
        laid.place(canvas, Surface::from(page), setup.margin_left, top);
        // Floats are placed as their anchors say, the place of their anchor in the header
        // or footer counting as "here"; they take no room in it.
        for (n, float_laid) in &floats {
            if let Some(Flow::Float(float)) = items.get(*n) {
                let here = top + laid.starts.get(*n).copied().unwrap_or(0.0);
                let rect = float.rect(float_laid, setup, (setup.margin_left, width), here);
                float.draw(float_laid, canvas, Surface::from(page), rect);
            }
        }
    }
}

/// The height a header or footer (`items`) takes on a page whose body is `width` wide.
pub fn height(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32) -> f32 {
    lay_out_running(painter, canvas, items, width, 1, 1).height
}

/// A header or footer laid out as any box of flowed items is (paragraphs with their
/// spacing, borders, shading and list labels; pictures; tables), with the page-number
/// fields of its text filled in for page `page` of `total`.
fn lay_out_running(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, page: usize, total: usize) -> Laid {
    if !items.iter().any(holds_fields) {
        return paint::lay_out(painter, canvas, items, width);
    }
    let filled: Vec<Flow> = items.iter().map(|item| with_fields(item, page, total).unwrap_or_else(|| item.clone())).collect();
    paint::lay_out(painter, canvas, &filled, width)
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
