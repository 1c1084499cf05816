//! A flowed word-processing document, as the RTF and Word 97-2003 readers produce it: the
//! body's flow, the default header and footer, footnotes, and the page setup. This lays it
//! out on pages (footnotes at the foot of the page their reference is on), places the header and
//! footer on every page (or a first page's own) with their page-number fields filled in, and sends it.

use docsandbox_protocol::{FindingKind, Format};

use crate::dispatch::Job;
use crate::layout::paint::{self, Borders, Canvas, Flow, PageSetup, Painter, Stroke, Surface};
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
    /// A border around each page's text.
    pub page_borders: Option<PageBorders>,
}

/// A border around the text of every page (or of the first only, or of all but the
/// first), with its header and footer, as LibreOffice draws Word's page borders.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PageBorders {
    pub borders: Borders,
    /// Each border's distance from the text (top, left, bottom, right), in points; from
    /// the page's edge when `from_edge`.
    pub space: [f32; 4],
    pub from_edge: bool,
    /// A shadow below and right of the box.
    pub shadow: bool,
    /// On the first page only, or on all but the first.
    pub first_only: bool,
    pub not_first: bool,
}

impl PageBorders {
    /// Draws the borders on page `page` of `canvas`, of `setup`, whose header starts
    /// `header_y` from the top and footer ends `footer_y` from the bottom (0 without one).
    pub fn draw(&self, canvas: &mut Canvas, page: usize, setup: &PageSetup, (header_y, footer_y): (f32, f32)) {
        let [top, left, bottom, right] = self.space.map(|s| s.clamp(0.0, 200.0));
        let (w, h) = (setup.width, setup.height);
        let [x0, y0, x1, y1] = if self.from_edge {
            [left, top, w - right, h - bottom]
        } else {
            let upper = if header_y > 0.0 { header_y.min(setup.margin_top) } else { setup.margin_top };
            let lower = if footer_y > 0.0 { footer_y.min(setup.margin_bottom) } else { setup.margin_bottom };
            [setup.margin_left - left, upper - top, w - setup.margin_right + right, h - lower + bottom]
        };
        if !(x0 < x1 && y0 < y1) {
            return;
        }
        let b = self.borders;
        let on = Surface::Page(page);
        // Measured from the page's edges, a border lies inside its box (LibreOffice's page
        // borders along the margins); from the text, it is centred on it.
        let inner = |stroke: Option<Stroke>| if self.from_edge { stroke.map_or(0.0, |s| s.1 / 2.0) } else { 0.0 };
        let [t, l, u, r] = [inner(b.top), inner(b.left), inner(b.bottom), inner(b.right)];
        for (stroke, from, to) in [
            (b.top, (x0, y0 + t), (x1, y0 + t)),
            (b.left, (x0 + l, y0), (x0 + l, y1)),
            (b.bottom, (x0, y1 - u), (x1, y1 - u)),
            (b.right, (x1 - r, y0), (x1 - r, y1)),
        ] {
            if let Some(stroke) = stroke {
                canvas.line(on, from, to, stroke);
            }
        }
        // The shadow: the bottom and right borders again, a border's width further out.
        if self.shadow {
            for (stroke, from, to) in [(b.bottom, (x0, y1), (x1, y1)), (b.right, (x1, y0), (x1, y1))] {
                if let Some((color, width)) = stroke {
                    let d = width.max(1.0);
                    canvas.line(on, (from.0 + d, from.1 + d), (to.0 + d, to.1 + d), (color, width));
                }
            }
        }
    }
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
    // Headers and footers lie beneath the body, as Word and LibreOffice draw them: a
    // letterhead's full-page picture in the header does not cover the letter.
    canvas.beneath_pages(all.clone(), |canvas| {
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
            None => pages.clone(),
        };
        for (part, flow) in [(Running::Header, &document.header), (Running::Footer, &document.footer)] {
            if !flow.is_empty() {
                running::place(painter, canvas, flow, part, &setup, margins, rest.clone(), all.clone());
            }
        }
    });
    if let Some(borders) = &document.page_borders {
        let running = (if document.header.is_empty() { 0.0 } else { document.header_y }, if document.footer.is_empty() { 0.0 } else { document.footer_y });
        for page in all.clone() {
            let first = page == all.start;
            if (borders.first_only && !first) || (borders.not_first && first) {
                continue;
            }
            borders.draw(canvas, page, &setup, running);
        }
    }
    job.begin(format, Some(paint::page_count(canvas))).report(&report.finish()).send_pages(canvas);
}
