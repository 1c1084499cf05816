//! Writes protocol frames to stdout, the guest's only way to say anything.

use std::io::Write;

use docsandbox_protocol::{encode_page_header, FailureKind, Finding, Format, Message};

/// The guest's output channel. Write errors are ignored: the host only fails a write
/// when it has already decided to stop the guest.
pub struct Output {
    stdout: std::io::Stdout,
}

impl Output {
    pub fn new() -> Self {
        Output { stdout: std::io::stdout() }
    }

    fn frame(&mut self, message: &Message<'_>) {
        let _ = self.stdout.write_all(&message.encode_frame());
    }

    /// Announces the format and page count, before any page.
    pub fn begin(&mut self, format: Format, page_count: Option<u32>) {
        self.frame(&Message::Begin { format, page_count });
    }

    /// Sends one page of opaque RGBA pixels.
    pub fn page(&mut self, index: u32, width: u32, height: u32, dpi: u32, rgba: &[u8]) {
        let _ = self.stdout.write_all(&encode_page_header(index, width, height, dpi));
        let _ = self.stdout.write_all(rgba);
        let _ = self.stdout.flush();
    }

    /// Sends the advisory report.
    pub fn report(&mut self, findings: &[(String, String)]) {
        let findings = findings.iter().map(|(k, d)| Finding { kind: k, detail: d }).collect();
        self.frame(&Message::Report { findings });
    }

    /// Says why the guest cannot go on.
    pub fn failure(&mut self, kind: FailureKind, message: &str) {
        self.frame(&Message::Failure { kind, message });
    }

    /// Says the guest finished normally.
    pub fn end(&mut self) {
        self.frame(&Message::End);
        let _ = self.stdout.flush();
    }
}
