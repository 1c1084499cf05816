//! A flowed word-processing document, as the RTF and Word 97-2003 readers produce it: the
//! body's flow, the default header and footer, footnotes, and the page setup. This lays it
//! out on pages (footnotes at the foot of the page their reference is on), places the header and
//! footer on every page (or a first page's own) with their page-number fields filled in, and sends it.

use docsandbox_protocol::{FindingKind, Format};

use crate::dispatch::Job;
use crate::layout::paint::{self, Canvas, Flow, PageSetup, Painter};
use crate::layout::running::{self, Running};
use crate::report::Report;

/// What a document holds, read.
pub struct Document {
    pub body: Vec<Flow>,
    pub header: Vec<Flow>,
    pub footer: Vec<Flow>,
    /// A different header and footer for the first page, when the document has them.
    pub first_page: Option<(Vec<Flow>, Vec<Flow>)>,
    /// Each footnote's flow; the body's blocks refer to them by index.
    pub footnotes: Vec<Vec<Flow>>,
    pub setup: PageSetup,
    /// The header's distance from the top edge and the footer's from the bottom, in points.
    pub header_y: f32,
    pub footer_y: f32,
    pub findings: Vec<(FindingKind, String)>,
    /// Why part of the document is not shown, when it was cut.
    pub truncated: Option<String>,
}

/// Lays `document` out on new pages of `canvas` and sends the report and the pages.
pub fn send(job: Job<'_, '_>, format: Format, document: Document, canvas: &mut Canvas, painter: &mut Painter, mut report: Report) {
    for (kind, detail) in &document.findings {
        report.add(*kind, detail);
    }
    if let Some(why) = &document.truncated {
        report.add(FindingKind::ContentTruncated, why);
    }
    let setup = document.setup;
    let pages = paint::flow_with_notes(painter, canvas, &document.body, setup, &document.footnotes);
    let margins = (document.header_y, document.footer_y);
    let all = pages.clone();
    let rest = match &document.first_page {
        Some((header, footer)) => {
            let first = pages.start..(pages.start + 1).min(pages.end);
            for (part, flow) in [(Running::Header, header), (Running::Footer, footer)] {
                if !flow.is_empty() {
                    running::place(painter, canvas, flow, part, &setup, margins, first.clone(), pages.clone());
                }
            }
            first.end..pages.end
        }
        None => pages,
    };
    for (part, flow) in [(Running::Header, &document.header), (Running::Footer, &document.footer)] {
        if !flow.is_empty() {
            running::place(painter, canvas, flow, part, &setup, margins, rest.clone(), all.clone());
        }
    }
    job.begin(format, Some(paint::page_count(canvas))).report(&report.finish()).send_pages(canvas);
}
