//! RTF (Rich Text Format), as word processors and clinical record systems export it: text
//! with its fonts, sizes, colours and code pages (Japanese in Shift_JIS fonts, `\uN`
//! escapes), paragraph alignment, indents and spacing, tables, PNG and JPEG pictures,
//! the default header and footer with page numbers, page size and margins; footnotes
//! after the body.
//!
//! [`lex`] reads tokens; [`read`] interprets them with a stack of group states into the
//! paint layer's flow. Embedded objects (`\object`), DDE and remote fields are reported,
//! never run; only their result is shown. Pictures in formats not drawn (EMF, WMF) are
//! reported as not drawn.

mod lex;
mod read;

use docsandbox_protocol::{FindingKind, Format};

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Block, Canvas, Flow, Painter, SpanStyle};
use crate::layout::running::{self, Running};

/// Renders an RTF document.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let mut report = job.new_report();
    let mut canvas = Canvas::new();
    let mut painter = Painter::new();
    let document = read::read(job.request.document, &mut canvas, &mut painter);
    for (kind, detail) in &document.findings {
        report.add(*kind, detail);
    }
    if document.truncated {
        report.add(FindingKind::ContentTruncated, &format!("only the first {} paragraphs are shown", read::MAX_BLOCKS));
    }
    let mut items = document.body;
    if !document.footnotes.is_empty() {
        let rule = SpanStyle { family: "Times New Roman".into(), size: 10.0, ..Default::default() };
        items.push(Flow::Para(Block {
            spans: vec![("────────────".into(), rule)], space_before: 12.0, line_height: 1.0, ..Default::default()
        }));
        items.extend(document.footnotes.into_iter().flatten());
    }
    let setup = document.setup;
    let pages = paint::flow(&mut painter, &mut canvas, &items, setup);
    let margins = (document.header_y, document.footer_y);
    for (part, flow) in [(Running::Header, &document.header), (Running::Footer, &document.footer)] {
        if !flow.is_empty() {
            running::place(&mut painter, &mut canvas, flow, part, &setup, margins, pages.clone());
        }
    }
    job.begin(Format::Rtf, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
}
