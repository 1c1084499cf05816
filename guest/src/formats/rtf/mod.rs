//! RTF (Rich Text Format), as word processors and clinical record systems export it: text
//! with its fonts, sizes, colours and code pages (Japanese in Shift_JIS fonts, `\uN`
//! escapes), paragraph alignment, indents and spacing, tables, PNG and JPEG pictures,
//! the default header and footer with page numbers, page size and margins; footnotes
//! at the foot of their page.
//!
//! [`lex`] reads tokens; [`read`] interprets them with a stack of group states into the
//! paint layer's flow. Embedded objects (`\object`), DDE and remote fields are reported,
//! never run; only their result is shown. Pictures in formats not drawn (EMF, WMF) are
//! reported as not drawn.

mod lex;
mod read;
mod shapes;
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
