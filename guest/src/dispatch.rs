//! Detect → route → render, for the document of a request and, recursively, for every
//! document inside it (archive entries, message attachments, decrypted packages).
//!
//! A [`Job`] is one document being rendered: its request, the run's [`Output`], and how
//! many containers are around it. Every renderer has one signature, [`Renderer`], and
//! [`Route::renderer`] is the one table from routes to renderers; the fuzz entry points
//! (`fuzzing.rs`) go through the same table. Containers hand what they hold back here with
//! [`Container::render_entry`]; decryption with [`Job::render_decrypted`].
//!
//! The order of what a document says is in the types: a renderer owns its [`Job`], which
//! begins ([`Job::begin`] → [`Begun`]), reports ([`Begun::report`] → [`Reported`]), then
//! sends pages or fails; or fails at once ([`Job::fail`]). Containers begin with
//! [`Job::begin_container`] and report last. Pages leave through these handles, which
//! label the pages of contained documents with where they came from; [`Output`] numbers
//! them, keeps them within the requested window and writes the frames.

use docsandbox_protocol::{FailureKind, FindingKind, Format, Request};

use crate::detect::{self, Detected};
use crate::formats;
use crate::layout::paint::{self, Block, Canvas, Painter, SpanStyle};
use crate::ooxml::package::{Package, PackageError};
use crate::output::{Budget, Output, Placement};
use crate::report::Report;

/// A renderer: draws `job`'s document and sends its frames.
pub type Renderer = for<'d, 'o> fn(Job<'d, 'o>, Input<'d>);

/// What detection learned besides the route.
pub struct Input<'d> {
    /// The format, when detection settled it (images, Office packages).
    pub format: Option<Format>,
    /// The package detection opened, for formats that are ZIP packages.
    pub package: Option<Package<'d>>,
}

impl<'d> Input<'d> {
    /// Input with a known format and nothing opened yet.
    pub fn format(format: Format) -> Self {
        Input { format: Some(format), package: None }
    }

    /// The package detection opened, or `document` opened as one now.
    pub fn package(self, document: &'d [u8]) -> Result<Package<'d>, PackageError> {
        match self.package {
            Some(package) => Ok(package),
            None => Package::open(document),
        }
    }
}

/// Every renderer the guest has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// PDF (hayro).
    Pdf,
    /// Word (OOXML).
    Docx,
    /// PowerPoint (OOXML).
    Pptx,
    /// Workbooks: XLSX, ODS (and XLS, which arrives through [`Route::Ole2`]).
    Sheet,
    /// OpenDocument text and presentations: the report only, for now.
    Odf,
    /// OpenDocument packages encrypted with a password.
    EncryptedOdf,
    /// ZIP archives: their entries, each rendered in turn.
    Archive,
    /// OLE2 compound files: legacy Office, encrypted OOXML, Outlook messages.
    Ole2,
    /// Raster images.
    Image,
    /// Internet messages (`.eml`).
    Mail,
    /// Plain text, CSV and TSV.
    Text,
    /// Rich Text Format.
    Rtf,
}

impl Route {
    /// The one table from routes to renderers.
    pub fn renderer(self) -> Renderer {
        let renderer: Renderer = match self {
            Route::Pdf => formats::pdf::render,
            Route::Docx => formats::docx::render,
            Route::Pptx => formats::pptx::render,
            Route::Sheet => formats::sheet::render,
            Route::Odf => formats::odf::render,
            Route::EncryptedOdf => crate::crypto::odf::render,
            Route::Archive => formats::archive::render,
            Route::Ole2 => formats::ole2::render,
            Route::Image => formats::image::render,
            Route::Mail => formats::mail::eml::render,
            Route::Text => formats::text::render,
            Route::Rtf => formats::rtf::render,
        };
        renderer
    }
}

/// Most pages' label strip height above a page from a container, in points.
const LABEL_POINTS: f32 = 16.0;

/// One document being rendered, before it has said anything.
///
/// A renderer owns its job, and what it may send next is in the types: [`Job::begin`]
/// announces the format and gives a [`Begun`], whose only way on is its report, which
/// gives a [`Reported`] that sends pages or a failure. A container (an archive, a message)
/// calls [`Job::begin_container`] instead; its [`Container`] renders entries and its own
/// pages, and reports last, once it knows what its entries reported. [`Job::fail`] says
/// why nothing can be shown before anything was announced.
pub struct Job<'d, 'o> {
    /// The request; its document is the one this job renders.
    pub request: Request<'d>,
    /// Where the run's frames go.
    out: &'o mut Output,
    /// Draws the label strips of contained documents' pages (made on first use).
    labeller: &'o mut Option<Painter>,
    /// How many containers (archives, messages) are around this document.
    depth: usize,
}

impl<'d, 'o> Job<'d, 'o> {
    /// The job of a run's own document.
    pub fn new(request: Request<'d>, out: &'o mut Output, labeller: &'o mut Option<Painter>) -> Self {
        Job { request, out, labeller, depth: 0 }
    }

    /// A fresh report for this document, within the request's size limit.
    pub fn new_report(&self) -> Report {
        Report::new(self.request.max_report_bytes)
    }

    /// What the run has spent so far across containers and decryption layers.
    pub fn budget(&mut self) -> &mut Budget {
        &mut self.out.budget
    }

    /// Notes a finding for the report this document sends (a layer of decryption around
    /// it, say), before its renderer runs.
    pub fn note(&mut self, kind: FindingKind, detail: &str) {
        self.out.note(kind, detail);
    }

    /// Renders this job's document: detect, route, render.
    pub fn render(self) {
        match route(self.request.document) {
            Ok((route, input)) => route.renderer()(self, input),
            Err(message) => self.fail(FailureKind::Unsupported, &message),
        }
    }

    /// Renders a decrypted document as if it had arrived in clear, in this job's place.
    pub fn render_decrypted(self, bytes: &[u8]) {
        self.with_document(bytes).render();
    }

    /// This job with its document replaced by `bytes` (a container rebuilt around the
    /// one stream a renderer reads), in the same place.
    pub fn with_document<'e>(self, bytes: &'e [u8]) -> Job<'e, 'o>
    where
        'd: 'e,
    {
        Job { request: Request { document: bytes, ..self.request }, out: self.out, labeller: self.labeller, depth: self.depth }
    }

    /// Announces the document's format and, when known, its page count.
    pub fn begin(self, format: Format, page_count: Option<u32>) -> Begun<'d, 'o> {
        self.out.begin(format, page_count);
        Begun { job: self }
    }

    /// Announces a container (an archive, a message). At the top, its pages and those of
    /// everything inside it are numbered in one sequence and sent within the requested range.
    pub fn begin_container(self, format: Format) -> Container<'d, 'o> {
        self.out.begin(format, None);
        if self.depth == 0 {
            let r = &self.request;
            self.out.set_window(r.first_page.max(1), r.last_page, r.max_pages, r.max_page_side, r.max_page_pixels);
        }
        Container { job: self }
    }

    /// Says why the document cannot be shown, when not even its format can be announced.
    pub fn fail(self, kind: FailureKind, message: &str) {
        self.out.failure(kind, message);
    }

    /// Announces `format`, reports `findings` and says why the document cannot be shown.
    pub fn refuse(self, format: Format, findings: &[(FindingKind, String)], kind: FailureKind, message: &str) {
        self.begin(format, None).report(findings).fail(kind, message);
    }

    /// Announces `format` and says why its package cannot be opened.
    pub fn refuse_package(self, format: Format, error: &PackageError) {
        self.refuse(format, &[], FailureKind::Malformed, &crate::ooxml::describe(error));
    }

    /// Sends one page of RGBA pixels, page `index` of this document. Inside a container it
    /// is renumbered in the container's sequence, labelled, and sent only in the window.
    fn page(&mut self, index: u32, width: u32, height: u32, dpi: u32, rgba: &[u8]) {
        let strip = ((LABEL_POINTS * dpi as f32 / 72.0).ceil() as u32).max(1);
        match self.out.place(index, width, height, strip) {
            Placement::Skip => {}
            Placement::Plain(index) => self.out.write_page(index, width, height, dpi, rgba),
            Placement::Labelled(index, label) => {
                let painter = self.labeller.get_or_insert_with(Painter::new);
                let mut labelled = label_strip(painter, &label, width, strip, dpi);
                labelled.extend_from_slice(rgba);
                self.out.write_page(index, width, height + strip, dpi, &labelled);
            }
        }
    }
}

/// A document whose format is announced: it reports next.
#[must_use = "a document that began must send its report"]
pub struct Begun<'d, 'o> {
    job: Job<'d, 'o>,
}

impl<'d, 'o> Begun<'d, 'o> {
    /// Sends the advisory report (inside a container: keeps it for the container's).
    pub fn report(self, findings: &[(FindingKind, String)]) -> Reported<'d, 'o> {
        self.job.out.report(findings);
        Reported { job: self.job }
    }
}

/// A document that has reported: it sends its pages, or says why it cannot.
pub struct Reported<'d, 'o> {
    job: Job<'d, 'o>,
}

impl Reported<'_, '_> {
    /// Sends page `index` (0-based) of this document, `width` by `height` RGBA pixels.
    pub fn page(&mut self, index: u32, width: u32, height: u32, dpi: u32, rgba: &[u8]) {
        self.job.page(index, width, height, dpi, rgba);
    }

    /// Whether no more pages will be sent: the requested pages are all out.
    pub fn window_done(&self) -> bool {
        self.job.out.window_done()
    }

    /// Draws the requested pages of a laid-out document and sends them.
    pub fn send_pages(&mut self, canvas: &Canvas) {
        let count = paint::page_count(canvas);
        let mut raster = paint::Raster::new();
        for number in paint::requested_pages(&self.job.request, count) {
            if self.job.out.window_done() {
                return;
            }
            let (dpi, width, height) = paint::fit_page(canvas.page_size((number - 1) as usize), &self.job.request);
            let rgba = raster.draw(canvas, (number - 1) as usize, (dpi, width, height));
            self.job.page(number - 1, width, height, dpi, rgba);
        }
    }

    /// Says why the document (or the rest of it) cannot be shown.
    pub fn fail(self, kind: FailureKind, message: &str) {
        self.job.out.failure(kind, message);
    }
}

/// A container that has begun: it shows its own pages and renders the documents it holds,
/// then reports what it and they found ([`Container::report`]).
#[must_use = "a container that began must send its report"]
pub struct Container<'d, 'o> {
    job: Job<'d, 'o>,
}

impl<'d, 'o> Container<'d, 'o> {
    /// How many containers are around this one (0 at the top).
    pub fn depth(&self) -> usize {
        self.job.depth
    }

    /// What the run has spent so far across containers and decryption layers.
    pub fn budget(&mut self) -> &mut Budget {
        &mut self.job.out.budget
    }

    /// Whether rendering more entries is pointless: the requested pages are all out and
    /// more than the report was asked for. (When only the report is wanted, entries are
    /// still opened for their findings.)
    pub fn pages_done(&self) -> bool {
        self.job.out.window_done() && !self.job.out.inspecting()
    }

    /// Renders one document the container holds, its pages labelled with `path` and
    /// numbered in the container's sequence; `password`, when given, replaces the
    /// request's for it (a password a message states for its attachment).
    pub fn render_entry(&mut self, path: &str, bytes: &[u8], password: Option<&str>) {
        let request = Request {
            document: bytes,
            first_page: 1,
            last_page: u32::MAX,
            max_pages: u32::MAX,
            password: password.unwrap_or(self.job.request.password),
            ..self.job.request
        };
        self.job.out.enter(path);
        Job { request, out: &mut *self.job.out, labeller: &mut *self.job.labeller, depth: self.job.depth + 1 }.render();
        self.job.out.leave();
    }

    /// Draws every page of the container's own pages (an archive's listing, a message's
    /// headers and body) and sends them; they are numbered in the container's sequence.
    pub fn send_all_pages(&mut self, canvas: &Canvas) {
        let mut raster = paint::Raster::new();
        for index in 0..canvas.page_count() {
            if self.job.out.window_done() {
                return;
            }
            let (dpi, width, height) = paint::fit_page(canvas.page_size(index), &self.job.request);
            let rgba = raster.draw(canvas, index, (dpi, width, height));
            let next = self.job.out.next_index();
            self.job.page(next, width, height, dpi, rgba);
        }
    }

    /// Sends the container's report. At the top, what contained documents reported is
    /// moved into it first (inside a container, it already went to the outer one's), and
    /// the first failure among them is returned.
    pub fn report(self, mut report: Report) -> (Reported<'d, 'o>, Option<(FailureKind, String)>) {
        let mut failure = None;
        if self.job.depth == 0 {
            let (captured, first) = self.job.out.take_captured();
            for (kind, detail) in &captured {
                report.add(*kind, detail);
            }
            failure = first;
        }
        self.job.out.report(&report.finish());
        (Reported { job: self.job }, failure)
    }
}

/// The strip above a page from a container naming where it came from, as RGBA rows.
fn label_strip(painter: &mut Painter, label: &str, width: u32, strip: u32, dpi: u32) -> Vec<u8> {
    let mut canvas = Canvas::new();
    let page = canvas.add_page(width as f32 * 72.0 / dpi.max(1) as f32, LABEL_POINTS);
    canvas.set_background(page, [0xEE, 0xEE, 0xEE]);
    let style = SpanStyle { family: "Liberation Sans".into(), size: 9.0, color: [0x33, 0x33, 0x33], ..Default::default() };
    let text = painter.text(&mut canvas, &Block { spans: vec![(label.to_owned(), style)], line_height: 1.0, ..Default::default() }, None);
    canvas.text(page, &text, 4.0, 2.0);
    let mut raster = paint::Raster::new();
    let mut rgba = Vec::with_capacity((width * strip * 4) as usize);
    rgba.extend_from_slice(raster.draw(&canvas, page, (dpi, width, strip)));
    rgba
}

/// Finds the route for `bytes` from their content (never a name), opening the package of
/// ZIP-based formats to tell them apart; `Err` says why nothing can render them.
pub fn route(bytes: &[u8]) -> Result<(Route, Input<'_>), String> {
    let none = Input { format: None, package: None };
    Ok(match detect::detect(bytes) {
        Detected::Pdf => (Route::Pdf, Input::format(Format::Pdf)),
        Detected::Zip => match Package::open(bytes) {
            Ok(mut package) => match package_kind(&mut package) {
                Some(format @ (Format::Ods | Format::Odt | Format::Odp | Format::Odg)) if crate::crypto::odf::is_encrypted(&mut package) => {
                    (Route::EncryptedOdf, Input { format: Some(format), package: Some(package) })
                }
                Some(format) => {
                    let route = match format {
                        Format::Docx => Route::Docx,
                        Format::Pptx => Route::Pptx,
                        Format::Xlsx | Format::Ods => Route::Sheet,
                        _ => Route::Odf,
                    };
                    (route, Input { format: Some(format), package: Some(package) })
                }
                None => (Route::Archive, none),
            },
            // Not an Office package (or one too large to be one): an archive.
            Err(_) => (Route::Archive, none),
        },
        Detected::Ole2 => (Route::Ole2, none),
        Detected::Image(format) => (Route::Image, Input::format(format)),
        Detected::Rtf => (Route::Rtf, Input::format(Format::Rtf)),
        Detected::Text if formats::mail::looks_like_mail(bytes) => (Route::Mail, Input::format(Format::Eml)),
        Detected::Text => (Route::Text, none),
        Detected::Unknown => return Err("the content is not in a recognised document format".into()),
    })
}

/// Which kind of Office package this is, from the entries it holds.
fn package_kind(package: &mut Package) -> Option<Format> {
    if package.has("word/document.xml") {
        return Some(Format::Docx);
    }
    if package.has("xl/workbook.xml") {
        return Some(Format::Xlsx);
    }
    if package.has("ppt/presentation.xml") {
        return Some(Format::Pptx);
    }
    let mimetype = package.read("mimetype").ok()?;
    match mimetype.trim_ascii() {
        // Templates (.ott, .ots, .otp) hold the same content as the documents.
        b"application/vnd.oasis.opendocument.text" | b"application/vnd.oasis.opendocument.text-template" => Some(Format::Odt),
        b"application/vnd.oasis.opendocument.spreadsheet" | b"application/vnd.oasis.opendocument.spreadsheet-template" => Some(Format::Ods),
        b"application/vnd.oasis.opendocument.presentation" | b"application/vnd.oasis.opendocument.presentation-template" => Some(Format::Odp),
        b"application/vnd.oasis.opendocument.graphics" | b"application/vnd.oasis.opendocument.graphics-template" => Some(Format::Odg),
        _ => None,
    }
}
