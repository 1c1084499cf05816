//! RTF (Rich Text Format), as word processors and clinical record systems export it: text
//! with its fonts, sizes, colours and code pages (Japanese in Shift_JIS fonts, `\uN`
//! escapes), the stylesheet's paragraph and character styles, paragraph alignment,
//! indents, spacing, shading and borders, tables (padding, merged cells, row alignment),
//! PNG, JPEG, EMF and WMF pictures, drawing shapes and text boxes placed over the page,
//! the default and first-page headers and footers with page numbers, page size and
//! margins; footnotes at the foot of their page.
//!
//! [`lex`] reads tokens; [`read`] interprets them with a stack of group states into the
//! paint layer's flow, with [`styles`] (the stylesheet) and [`shapes`] (`\shp`).
//! Embedded objects (`\object`), DDE and remote fields are reported, never run; only their
//! result is shown. Pictures in formats not drawn (PICT, DIB) are reported as not drawn.

mod lex;
mod read;
pub(crate) mod shapes;
mod styles;

use docsandbox_protocol::Format;

use crate::dispatch::{Input, Job};
use crate::layout::document;
use crate::layout::paint::{Canvas, Painter};

/// Renders an RTF document.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let report = job.new_report();
    let mut canvas = Canvas::new();
    let mut painter = Painter::new();
    let document = read::read(job.request.document, &mut canvas, &mut painter);
    document::send(job, Format::Rtf, document, &mut canvas, &mut painter, report);
}
