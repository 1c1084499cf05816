//! Writes protocol frames to stdout (or any sink), the guest's only way to say anything.
//!
//! Inside an archive, documents are rendered in turn into the same stream: while an entry
//! is being rendered ([`Output::enter`]), its begin message is swallowed, its findings and
//! failure are kept for the archive's report, and its pages are renumbered into the
//! archive's sequence and only sent when they fall in the requested range ([`Output::place`];
//! the job draws the label strip naming the entry).

use std::io::Write;

use docsandbox_protocol::{encode_page_header, FailureKind, Finding, FindingKind, Format, Message};

/// What becomes of a page: see [`Output::place`].
pub enum Placement {
    /// Outside the requested pages: not sent.
    Skip,
    /// Sent as it is, under this index.
    Plain(u32),
    /// Sent under this index with a strip on top naming where it came from.
    Labelled(u32, String),
}

/// What entries of an archive reported: their findings, and the first failure.
pub type Captured = (Vec<(FindingKind, String)>, Option<(FailureKind, String)>);

/// What one run may still spend across all the containers and encryption layers of the
/// document (archive entries expand into more documents, decrypted ones into more).
#[derive(Default)]
pub struct Budget {
    /// Bytes expanded from archives so far.
    pub bytes_expanded: u64,
    /// Archive entries rendered so far.
    pub entries_rendered: u64,
    /// Documents decrypted so far.
    pub decryptions: usize,
}

/// The guest's output channel. Write errors are ignored: the host only fails a write
/// when it has already decided to stop the guest.
pub struct Output {
    sink: Box<dyn Write>,
    /// Spent so far by this run.
    pub budget: Budget,
    /// Paths of the archive entries being rendered, outermost first.
    labels: Vec<String>,
    /// Index the next page would have in the whole document, sent or not.
    next_index: u32,
    /// The requested pages (0-based, inclusive) and how many may still be sent.
    window: (u32, u32, u32),
    /// Page limits a labelled page must still fit: longest side, pixels.
    page_limits: (u32, u64),
    /// Findings and failures of entries, for the archive's report.
    captured: Vec<(FindingKind, String)>,
    /// The first failure of an entry, with its path.
    entry_failure: Option<(FailureKind, String)>,
    /// Findings noted before the renderer's report (say, that the document was decrypted).
    notes: Vec<(FindingKind, String)>,
    /// Whether the top-level report has been sent.
    reported: bool,
}

impl Output {
    /// An output writing frames to `sink` (the guest's stdout in the sandbox).
    pub fn new(sink: Box<dyn Write>) -> Self {
        Output {
            sink,
            budget: Budget::default(),
            labels: Vec::new(),
            next_index: 0,
            window: (0, u32::MAX, u32::MAX),
            page_limits: (u32::MAX, u64::MAX),
            captured: Vec::new(),
            entry_failure: None,
            notes: Vec::new(),
            reported: false,
        }
    }

    fn frame(&mut self, message: &Message<'_>) {
        let _ = self.sink.write_all(&message.encode_frame());
    }

    /// Announces the format and page count, before any page.
    pub fn begin(&mut self, format: Format, page_count: Option<u32>) {
        if self.labels.is_empty() {
            self.frame(&Message::Begin { format, page_count });
        }
    }

    /// Sets the pages an archive may send: 1-based `first..=last`, at most `max` of them,
    /// each within the page limits.
    pub fn set_window(&mut self, first: u32, last: u32, max: u32, max_side: u32, max_pixels: u64) {
        self.window = (first.saturating_sub(1), last.saturating_sub(1), max);
        self.page_limits = (max_side, max_pixels);
    }

    /// Index the next page of an archive will have.
    pub fn next_index(&self) -> u32 {
        self.next_index
    }

    /// Whether no more pages will be sent: the requested pages are all out.
    pub fn window_done(&self) -> bool {
        self.next_index > self.window.1 || self.window.2 == 0
    }

    /// Whether only the report was asked for (no pages at all).
    pub fn inspecting(&self) -> bool {
        self.window.2 == 0 && self.next_index == 0 && self.window.0 == 0
    }

    /// Starts rendering an archive entry at `path`.
    pub fn enter(&mut self, path: &str) {
        self.labels.push(path.to_owned());
    }

    /// Ends the entry started last.
    pub fn leave(&mut self) {
        self.labels.pop();
    }

    /// Takes the findings and failure captured from entries.
    pub fn take_captured(&mut self) -> Captured {
        (std::mem::take(&mut self.captured), self.entry_failure.take())
    }

    /// Decides what becomes of page `index` of the current document, `width` by `height`
    /// pixels, when a label strip would add `strip` rows: whether it is sent, under which
    /// index, and with which label. Outside containers pages keep their index; inside, they
    /// are numbered in the container's sequence and sent only within the window, labelled
    /// with their entry's path when the strip still fits the page limits.
    pub fn place(&mut self, index: u32, width: u32, height: u32, strip: u32) -> Placement {
        if self.window == (0, u32::MAX, u32::MAX) && self.labels.is_empty() {
            return Placement::Plain(index);
        }
        let index = self.next_index;
        self.next_index += 1;
        let (first, last, left) = self.window;
        if index < first || index > last || left == 0 {
            return Placement::Skip;
        }
        self.window.2 -= 1;
        let fits = height + strip <= self.page_limits.0 && u64::from(width) * u64::from(height + strip) <= self.page_limits.1;
        if self.labels.is_empty() || !fits || width > u32::from(u16::MAX) {
            Placement::Plain(index)
        } else {
            Placement::Labelled(index, self.labels.join(" › "))
        }
    }

    /// Writes one page of RGBA pixels, placed by [`Output::place`].
    pub fn write_page(&mut self, index: u32, width: u32, height: u32, dpi: u32, rgba: &[u8]) {
        let _ = self.sink.write_all(&encode_page_header(index, width, height, dpi));
        let _ = self.sink.write_all(rgba);
        let _ = self.sink.flush();
    }

    /// Sends the advisory report (inside an archive: keeps it, each detail prefixed with
    /// the entry's path).
    pub fn report(&mut self, findings: &[(FindingKind, String)]) {
        let notes = std::mem::take(&mut self.notes);
        let findings: Vec<(FindingKind, String)> = notes.into_iter().chain(findings.iter().cloned()).collect();
        if !self.labels.is_empty() {
            let path = self.labels.join("/");
            self.captured.extend(findings.iter().map(|(k, d)| (*k, format!("{path}: {d}"))));
            return;
        }
        self.reported = true;
        let findings = findings.iter().map(|(k, d)| Finding { kind: k.name(), detail: d }).collect();
        self.frame(&Message::Report { findings });
    }

    /// Notes a finding for the report the renderer sends next (or, if it fails first,
    /// for a report sent just before its failure).
    pub fn note(&mut self, kind: FindingKind, detail: &str) {
        self.notes.push((kind, detail.to_owned()));
    }

    /// Says why the guest cannot go on (inside an archive: why this entry could not be
    /// shown, kept for the archive's report).
    pub fn failure(&mut self, kind: FailureKind, message: &str) {
        if !self.notes.is_empty() && (!self.labels.is_empty() || !self.reported) {
            self.report(&[]);
        }
        if !self.labels.is_empty() {
            let path = self.labels.join("/");
            self.captured.push((FindingKind::EntryNotShown, format!("{path}: {message}")));
            self.entry_failure.get_or_insert((kind, format!("{path}: {message}")));
            return;
        }
        self.frame(&Message::Failure { kind, message });
    }

    /// Says the guest finished normally.
    pub fn end(&mut self) {
        self.frame(&Message::End);
        let _ = self.sink.flush();
    }
}
