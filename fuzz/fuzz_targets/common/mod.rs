//! What every per-parser target checks: the guest's code, run natively on the input,
//! writes a stream of frames that the host would accept (the protocol's order, checked by
//! the same `FrameOrder` the host's boundary uses), keeps to the request's page limits,
//! and finishes with an end message.
//! A panic anywhere in the parser is a crash, as it would be a trap in the sandbox.

use docsandbox_guest::fuzzing::{self, Parser, MAX_PAGES, MAX_PAGE_PIXELS, MAX_PAGE_SIDE};
use docsandbox_protocol::{FrameOrder, Message, FRAME_HEADER_LEN};

/// Runs `parser` on `data` and checks what it wrote.
pub fn check(parser: Parser, data: &[u8]) {
    let frames = fuzzing::run(parser, data);
    let mut rest = &frames[..];
    let mut order = FrameOrder::new(1, u32::MAX);
    let mut pages = 0u32;
    while !rest.is_empty() {
        assert!(rest.len() >= FRAME_HEADER_LEN, "a truncated frame header");
        let len = u32::from_le_bytes(rest[..FRAME_HEADER_LEN].try_into().unwrap()) as usize;
        let body = &rest[FRAME_HEADER_LEN..FRAME_HEADER_LEN + len];
        rest = &rest[FRAME_HEADER_LEN + len..];
        order.start(body.first().copied()).unwrap_or_else(|e| panic!("{e}"));
        let message = Message::decode(body).unwrap_or_else(|e| panic!("an undecodable frame: {e}"));
        if let Message::Page(page) = &message {
            order.page(page.index).unwrap_or_else(|e| panic!("{e}"));
            pages += 1;
            assert!(pages <= MAX_PAGES, "more pages than asked for");
            let pixels = u64::from(page.width) * u64::from(page.height);
            assert!(page.width > 0 && page.height > 0, "an empty page");
            assert!(page.width.max(page.height) <= MAX_PAGE_SIDE && pixels <= MAX_PAGE_PIXELS, "a {}x{} page", page.width, page.height);
        }
        order.accept(&message).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(order.ended(), "no end message");
}
