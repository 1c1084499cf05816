//! Headers and footers: the same items placed on every page of a flowed document, with
//! page-number fields filled in per page. Word and RTF documents share this.

use crate::layout::paint::{self, Canvas, Flow, ImageRef, Laid, PageSetup, Painter, Surface};

/// Stands for the current page number in header and footer text until it is known.
pub const PAGE_FIELD: char = '\u{E000}';
/// Stands for the page count in header and footer text.
pub const NUMPAGES_FIELD: char = '\u{E001}';

/// A header or a footer.
#[derive(Clone, Copy, PartialEq)]
pub enum Running {
    Header,
    Footer,
}

/// Places a header or footer (`items`) on each of `pages`: headers down from the header
/// margin (`margins.0` from the top edge), footers up from the footer margin (`margins.1`
/// from the bottom edge). Text holding [`PAGE_FIELD`] or [`NUMPAGES_FIELD`] is laid out
/// per page with the numbers filled in: pages count from the start of `document`, the
/// range of all the document's pages (`pages` may be part of it, as after a first page
/// with its own header).
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
    let has_fields = items.iter().any(|i| matches!(i, Flow::Para(b) if b.spans.iter().any(|(t, _)| t.contains([PAGE_FIELD, NUMPAGES_FIELD]))));
    let mut shared = None;
    for page in pages {
        let number = page.saturating_sub(document.start) + 1;
        let texts = match (&shared, has_fields) {
            (Some(texts), false) => Vec::clone(texts),
            _ => {
                let texts = running_texts(painter, canvas, items, width, number, total);
                if !has_fields {
                    shared = Some(texts.clone());
                }
                texts
            }
        };
        let height: f32 = texts.iter().map(|(h, _)| *h).sum();
        let mut y = match part {
            Running::Header => margins.0,
            Running::Footer => setup.height - margins.1 - height,
        };
        for (h, placed) in texts {
            match placed {
                Placed::Text(text, x) => canvas.text(page, &text, setup.margin_left + x, y),
                Placed::Image(image, w) => canvas.image(page, image, [setup.margin_left, y, setup.margin_left + w, y + h]),
                Placed::Float(n, laid) => {
                    // Placed on the page as its anchor says, the header's place as "here".
                    if let Some(Flow::Float(float)) = items.get(n) {
                        let rect = float.rect(&laid, setup, (setup.margin_left, width), y);
                        float.draw(&laid, canvas, Surface::from(page), rect);
                    }
                }
            }
            y += h;
        }
    }
}

/// The height a header or footer (`items`) takes on a page whose body is `width` wide.
pub fn height(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32) -> f32 {
    running_texts(painter, canvas, items, width, 1, 1).iter().map(|(h, _)| *h).sum()
}

/// A laid-out header or footer item.
#[derive(Clone)]
enum Placed {
    Text(paint::Text, f32),
    Image(ImageRef, f32),
    /// A float (the item at this index), laid out; it takes no room in the header.
    Float(usize, Laid),
}

fn running_texts(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, page: usize, total: usize) -> Vec<(f32, Placed)> {
    let mut texts = Vec::new();
    for (n, item) in items.iter().enumerate() {
        match item {
            Flow::Para(block) => {
                let mut block = block.clone();
                for (text, _) in &mut block.spans {
                    if text.contains([PAGE_FIELD, NUMPAGES_FIELD]) {
                        *text = text.replace(PAGE_FIELD, &page.to_string()).replace(NUMPAGES_FIELD, &total.to_string());
                    }
                }
                let inner = (width - block.indent_left - block.indent_right).max(12.0);
                let text = painter.text(canvas, &block, Some(inner));
                texts.push((text.height() + block.space_after, Placed::Text(text, block.indent_left)));
            }
            Flow::Image { image, width: w, height: h, .. } => {
                let scale = (width / w).min(1.0);
                texts.push((h * scale, Placed::Image(*image, w * scale)));
            }
            Flow::Float(float) => texts.push((0.0, Placed::Float(n, float.lay_out(painter, canvas)))),
            Flow::Table(_) | Flow::PageBreak | Flow::ColumnBreak | Flow::Section { .. } => {}
        }
    }
    texts
}
