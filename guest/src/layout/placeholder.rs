//! The placeholder drawn where a document holds something docsandbox does not draw (a
//! chart type, an object without a preview, SmartArt without its cached drawing): a
//! hatched box naming what is missing, so a reader can tell a missing area from an empty
//! one.

use crate::layout::paint::{Align, Block, Canvas, ImageRef, Painter, ShapeKind, SpanStyle};

const FILL: [u8; 3] = [0xF4, 0xF4, 0xF4];
const INK: [u8; 3] = [0x80, 0x80, 0x80];
const HATCH: [u8; 3] = [0xC8, 0xC8, 0xC8];

/// Draws into `figure` a placeholder saying "Not shown: `what`".
pub fn draw(painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef, what: &str) {
    let (Some(on), Some((width, height))) = (figure.surface(), canvas.figure_size(figure)) else { return };
    canvas.shape(on, ShapeKind::Rect, [0.0, 0.0, width, height], Some(FILL), None);
    // Diagonal hatching, 10 points apart.
    let spacing = 10.0f32.max((width + height) / 400.0);
    let mut offset = spacing;
    while offset < width + height {
        canvas.line(on, (offset.min(width), offset - offset.min(width)), ((offset - height).max(0.0), offset.min(height)), (HATCH, 0.75));
        offset += spacing;
    }
    canvas.shape(on, ShapeKind::Rect, [0.5, 0.5, width - 0.5, height - 0.5], None, Some((INK, 1.0)));
    let size = (height / 5.0).clamp(2.0, 11.0);
    let style = SpanStyle { family: "Liberation Sans".into(), size, color: [0x40, 0x40, 0x40], ..Default::default() };
    let block = Block { spans: vec![(format!("Not shown: {what}"), style)], align: Align::Center, line_height: 1.0, ..Default::default() };
    let inner = (width - 8.0).max(4.0);
    let text = painter.text(canvas, &block, Some(inner));
    let top = ((height - text.height()) / 2.0).max(2.0);
    let label_width = text.width.min(inner);
    let left = (width - label_width) / 2.0;
    canvas.shape(on, ShapeKind::Rect, [left - 3.0, top - 1.0, left + label_width + 3.0, top + text.height() + 1.0], Some([255, 255, 255]), None);
    canvas.text(on, &text, 4.0, top);
}
