//! Generated hostile PDFs: every one ends in pages or a typed error, within its limits,
//! and the host never panics.

use crate::common;

use std::time::{Duration, Instant};

use common::pdf::{assemble, content_pdf, text_pdf, TextPdf};
use docsandbox::{Error, Limits, RenderOptions, Sandbox};

/// Renders with tight limits and checks the outcome is bounded and typed.
fn render_bounded(sandbox: &Sandbox, bytes: &[u8]) -> Result<docsandbox::Document, Error> {
    let started = Instant::now();
    let result = sandbox.render(bytes, &RenderOptions::default().dpi(36));
    let took = started.elapsed();
    assert!(took < sandbox.limits().deadline + Duration::from_secs(3), "took {took:?}");
    if let Err(e) = &result {
        assert!(!matches!(e, Error::Setup(_) | Error::ProtocolViolation(_)), "the real guest should fail cleanly: {e}");
    }
    result
}

fn tight() -> Sandbox {
    Sandbox::new(Limits::default().deadline(Duration::from_secs(5)).fuel(5_000_000_000).max_memory_bytes(256 << 20)).unwrap()
}

#[test]
fn every_truncation_of_a_pdf_ends_cleanly() {
    let pdf = text_pdf(&TextPdf { pages: 3, ..Default::default() });
    let sandbox = tight();
    let step = (pdf.len() / 97).max(1);
    for cut in (0..pdf.len()).step_by(step) {
        let _ = render_bounded(&sandbox, &pdf[..cut]);
    }
}

#[test]
fn page_tree_loops_end() {
    // The page tree lists itself as its own kid, and a page claims the tree as its kid.
    let pdf = assemble(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Count 3 /Kids [2 0 R 3 0 R 2 0 R] >>".into(),
        "<< /Type /Pages /Parent 2 0 R /Count 1 /Kids [2 0 R] >>".into(),
    ]);
    let _ = render_bounded(&tight(), &pdf);
}

#[test]
fn a_claimed_page_count_of_a_million_is_not_believed() {
    let pdf = assemble(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Count 1000000 /Kids [3 0 R] >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>".into(),
    ]);
    let doc = render_bounded(&tight(), &pdf).expect("the one real page renders");
    assert_eq!(doc.pages().len(), 1);
}

#[test]
fn deep_nesting_ends() {
    let depth = 200_000;
    // Deeply nested arrays in the page dictionary, and a graphics-state stack pushed without end.
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let pdf = assemble(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Count 1 /Kids [3 0 R] >>".into(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Junk {arrays} >>"),
    ]);
    let sandbox = tight();
    let _ = render_bounded(&sandbox, &pdf);
    let _ = render_bounded(&sandbox, &content_pdf(&"q ".repeat(depth)));
    let _ = render_bounded(&sandbox, &content_pdf(&format!("{} 0 0 m 9 9 l S", "[".repeat(depth))));
}

#[test]
fn self_drawing_form_xobject_ends() {
    let content = "/X Do";
    let pdf = assemble(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Count 1 /Kids [3 0 R] >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >>".into(),
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /X 4 0 R >> >> /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ]);
    let _ = render_bounded(&tight(), &pdf);
}

#[test]
fn a_flate_bomb_content_stream_ends() {
    // 64 MiB of spaces compressed with flate: a decompression bomb aimed at the content parser.
    let deflated = deflate_spaces(64 << 20);
    let mut pdf = assemble(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Count 1 /Kids [3 0 R] >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>".into(),
        format!("<< /Length {} /Filter /FlateDecode >>\nstream\nPLACEHOLDER\nendstream", deflated.len()),
    ]);
    // Splice the binary stream in place of the placeholder (offsets stay valid: the xref
    // reconstruction handles the shift, and that is part of the test).
    let at = pdf.windows(11).position(|w| w == b"PLACEHOLDER").unwrap();
    pdf.splice(at..at + 11, deflated);
    let _ = render_bounded(&tight(), &pdf);
}

/// A zlib stream of about `n` spaces, written by hand as one fixed-Huffman block:
/// a literal space, then "copy 258 bytes from distance 1" over and over.
fn deflate_spaces(n: usize) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.bits(1, 1); // BFINAL
    bits.bits(1, 2); // fixed Huffman
    bits.code(0x20 + 0x30, 8); // literal ' ' (0x00..=0x8F are 8-bit codes starting at 0x30)
    let mut produced = 1;
    while produced + 258 <= n {
        bits.code(0b1100_0101, 8); // length code 285 (258): 280..=287 are 8-bit codes 0xC0 + (c - 280)
        bits.code(0, 5); // distance code 0 (distance 1)
        produced += 258;
    }
    bits.code(0, 7); // end of block (256)
    let mut out = vec![0x78, 0x01];
    out.extend(bits.finish());
    out.extend_from_slice(&[0, 0, 0, 0]); // a wrong Adler-32: decoders must cope either way
    out
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    /// Writes `count` bits of `value`, least significant first (header fields).
    fn bits(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.push((value >> i) & 1);
        }
    }

    /// Writes a Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.push((code >> i) & 1);
        }
    }

    fn push(&mut self, bit: u32) {
        self.acc |= bit << self.n;
        self.n += 1;
        if self.n == 8 {
            self.out.push(self.acc as u8);
            self.acc = 0;
            self.n = 0;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

#[test]
fn each_resource_limit_stops_a_real_document() {
    let pdf = text_pdf(&TextPdf { pages: 40, ..Default::default() });
    let options = RenderOptions::default().dpi(150);

    let sandbox = Sandbox::new(Limits::default().fuel(30_000_000)).unwrap();
    let err = sandbox.render(&pdf, &options).map(|d| d.truncated().cloned()).unwrap_or_else(Some);
    assert_eq!(err, Some(Error::FuelExhausted { limit: 30_000_000 }));

    let sandbox = Sandbox::new(Limits::default().max_memory_bytes(4 << 20)).unwrap();
    let err = sandbox.render(&pdf, &options).map(|d| d.truncated().cloned()).unwrap_or_else(Some);
    assert_eq!(err, Some(Error::MemoryLimit { limit: 4 << 20 }));

    let sandbox = Sandbox::new(Limits::default().max_output_bytes(10 << 20)).unwrap();
    let doc = sandbox.render(&pdf, &options).unwrap();
    assert_eq!(doc.pages().len(), 1, "one 1275x1650 page fits in 10 MiB, two do not");
    assert_eq!(doc.truncated(), Some(&Error::OutputLimit { limit: 10 << 20 }));

    let deadline = Duration::from_millis(40);
    let sandbox = Sandbox::new(Limits::default().deadline(deadline)).unwrap();
    let big = text_pdf(&TextPdf { pages: 400, ..Default::default() });
    let err = sandbox.render(&big, &options).map(|d| d.truncated().cloned()).unwrap_or_else(Some);
    assert_eq!(err, Some(Error::DeadlineExceeded { limit: deadline }));
}
