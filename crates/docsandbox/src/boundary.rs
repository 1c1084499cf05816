//! The trust boundary: what crosses between the host and the guest, and the one place that
//! decides it. In, a [`Plan`]: the encoded request and the limits it runs under. Out, the
//! guest's byte stream: [`FrameReader`] reassembles it into frames, checking each header
//! before buffering its body; [`Checker`] holds every frame to the protocol's order
//! ([`FrameOrder`], shared with the fuzz targets) and to the limits (page count, sizes,
//! pixels, output bytes); [`clean`] makes the guest's text safe to print. What passes
//! becomes an [`Event`]. The same checks run in a worker process and again in the process
//! that reads the worker's relay.

use docsandbox_protocol::bytes::u32_at;
use docsandbox_protocol::{pixel_len, FailureKind, FindingKind, Format, FrameOrder, Message, OrderError, FRAME_HEADER_LEN, PAGE_HEADER_LEN, TAG_PAGE};

use crate::document::{Finding, Page};
use crate::{Error, Limits};

/// Longest failure message or finding field kept from the guest, in characters.
const MAX_TEXT_CHARS: usize = 500;

/// Everything a run needs besides the instance.
pub(crate) struct Plan {
    pub limits: Limits,
    /// First and last requested page, 1-based (`last` may be `u32::MAX`).
    pub first: u32,
    pub last: u32,
    /// The encoded request.
    pub request: Vec<u8>,
}

/// What the guest side hands to the caller's thread.
pub(crate) enum Event {
    Begin { format: Format, page_count: Option<u32> },
    Page(Page),
    Report(Vec<Finding>),
    Failure(FailureKind, String),
    End,
}

/// Reassembles frames from the byte stream, checking each header before buffering it.
#[derive(Default)]
pub(crate) struct FrameReader {
    len_bytes: Vec<u8>,
    /// Body length announced by the current frame's prefix.
    expected: Option<usize>,
    body: Vec<u8>,
    header_checked: bool,
    /// How many bytes of the last `feed` ended in complete, accepted frames.
    pub(crate) completed: usize,
}

impl FrameReader {
    /// Consumes `bytes`, appending an event for every frame they complete.
    pub(crate) fn feed(&mut self, mut bytes: &[u8], checker: &mut Checker, events: &mut Vec<Event>) -> Result<(), Error> {
        let total = bytes.len();
        self.completed = 0;
        while !bytes.is_empty() {
            let Some(expected) = self.expected else {
                let n = (FRAME_HEADER_LEN - self.len_bytes.len()).min(bytes.len());
                self.len_bytes.extend_from_slice(&bytes[..n]);
                bytes = &bytes[n..];
                if self.len_bytes.len() == FRAME_HEADER_LEN {
                    let len = u32_at(&self.len_bytes, 0).expect("a complete length prefix");
                    self.expected = Some(len as usize);
                    self.len_bytes.clear();
                    self.body = Vec::new();
                    self.header_checked = false;
                }
                continue;
            };
            // Gather the small fixed header first, check it, and only then reserve the body.
            let want = if self.header_checked { expected } else { expected.min(PAGE_HEADER_LEN) };
            let n = (want - self.body.len()).min(bytes.len());
            self.body.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            if !self.header_checked && self.body.len() == want {
                checker.check_header(&self.body, expected)?;
                self.header_checked = true;
                self.body.reserve_exact(expected - self.body.len());
            }
            if self.header_checked && self.body.len() == expected {
                self.expected = None;
                events.push(checker.accept(std::mem::take(&mut self.body))?);
                self.completed = total - bytes.len();
            }
        }
        Ok(())
    }
}

/// Enforces the protocol's order and the limits on what the guest sends.
pub(crate) struct Checker {
    limits: Limits,
    /// The protocol's order (shared with the fuzz targets).
    order: FrameOrder,
    pages: u32,
    output_bytes: u64,
}

impl Checker {
    pub(crate) fn new(plan: &Plan) -> Self {
        Checker { limits: plan.limits.clone(), order: FrameOrder::new(plan.first, plan.last), pages: 0, output_bytes: 0 }
    }

    /// Checks a frame before its body is buffered. `head` holds its first bytes (all of
    /// the page header for a page frame).
    fn check_header(&mut self, head: &[u8], len: usize) -> Result<(), Error> {
        let violation = |m: String| Err(Error::ProtocolViolation(m));
        self.order.start(head.first().copied()).map_err(out_of_order)?;
        if head.first() != Some(&TAG_PAGE) || head.len() < PAGE_HEADER_LEN {
            // Not a page: only small messages exist.
            let max = self.limits.max_report_bytes as usize + 1024;
            return if len > max { violation(format!("a {len}-byte message exceeds {max} bytes")) } else { Ok(()) };
        }
        // `head` holds the whole page header (checked above).
        let word = |at: usize| u32_at(head, at).expect("a complete page header");
        let (index, width, height) = (word(1), word(5), word(9));
        if self.pages >= self.limits.max_pages {
            return Err(Error::TooManyPages { limit: self.limits.max_pages });
        }
        let pixels = u64::from(width) * u64::from(height);
        if width == 0 || height == 0 || width > self.limits.max_page_side || height > self.limits.max_page_side || pixels > self.limits.max_page_pixels {
            return Err(Error::PageTooLarge { width, height });
        }
        let bytes = pixel_len(width, height).expect("bounded by max_page_pixels");
        if len as u64 != PAGE_HEADER_LEN as u64 + bytes {
            return violation(format!("page frame of {len} bytes for {width}x{height} pixels"));
        }
        self.order.page(index).map_err(out_of_order)?;
        self.output_bytes += bytes;
        if self.output_bytes > self.limits.max_output_bytes {
            return Err(Error::OutputLimit { limit: self.limits.max_output_bytes });
        }
        self.pages += 1;
        Ok(())
    }

    /// Decodes a complete, header-checked frame into an event.
    fn accept(&mut self, body: Vec<u8>) -> Result<Event, Error> {
        let message = Message::decode(&body).map_err(|e| Error::ProtocolViolation(e.to_string()))?;
        self.order.accept(&message).map_err(out_of_order)?;
        Ok(match message {
            Message::Begin { format, page_count } => Event::Begin { format, page_count },
            Message::Page(page) => {
                let (index, width, height, dpi) = (page.index, page.width, page.height, page.dpi);
                Event::Page(Page { index, width, height, dpi, frame: body })
            }
            Message::Report { findings } => Event::Report(
                findings
                    .iter()
                    // The order checked that every kind is listed.
                    .filter_map(|f| Some(Finding { kind: FindingKind::from_name(f.kind)?, detail: clean(f.detail) }))
                    .collect(),
            ),
            Message::Failure { kind, message } => Event::Failure(kind, clean(message)),
            Message::End => Event::End,
        })
    }
}

fn out_of_order(e: OrderError) -> Error {
    Error::ProtocolViolation(e.0)
}

/// Text from the guest, made safe to print: no control, bidi or invisible formatting
/// characters, bounded.
pub(crate) fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || invisible(c) { ' ' } else { c }).take(MAX_TEXT_CHARS).collect()
}

/// Characters that change how surrounding text displays, or show nothing at all: bidi
/// marks, embeddings, overrides and isolates; zero-width spaces and joiners; the word
/// joiner and invisible operators; the byte-order mark; interlinear annotation marks.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{061C}' // ARABIC LETTER MARK
        | '\u{180E}' // MONGOLIAN VOWEL SEPARATOR
        | '\u{200B}'..='\u{200F}' // ZWSP, ZWNJ, ZWJ, LRM, RLM
        | '\u{202A}'..='\u{202E}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}' // isolates and deprecated format characters
        | '\u{FEFF}' // zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

#[cfg(test)]
mod tests {
    use super::clean;
    #[test]
    fn report_text_loses_controls_bidi_and_invisible_characters() {
        let hostile = "in\u{202E}voice\u{200F}.pdf\u{200E}\u{061C}\u{200B}\u{200D}\u{2060}\u{FEFF}\u{2066}x\u{2069}\n\u{7}";
        let cleaned = clean(hostile);
        assert_eq!(cleaned, "in voice .pdf       x   ");
        assert!(cleaned.chars().all(|c| c == ' ' || c.is_alphanumeric() || c == '.'));
        // Ordinary text, Japanese included, is kept.
        assert_eq!(clean("請求書 2026.pdf"), "請求書 2026.pdf");
    }
}
