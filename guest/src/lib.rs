//! The docsandbox guest: every document parser and renderer. [`run`] reads one request
//! and writes protocol frames (pages as raw RGBA, an advisory report) to a sink.
//!
//! In production this is compiled to wasm32-wasip1 (`src/main.rs` feeds it stdin and
//! stdout) and runs inside the host's capability-free WebAssembly sandbox, where it is
//! treated as compromised by design: the host validates every frame it writes. Built
//! natively it serves the fuzzers ([`fuzzing`]) and the native-vs-sandboxed benchmark.
#![forbid(unsafe_code)]

mod calendar;
mod crypto;
mod detect;
mod dispatch;
mod formats;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod layout;
mod ooxml;
mod output;
mod report;

use std::io::Write;

use docsandbox_protocol::{FailureKind, Request};
use output::Output;

/// Decodes one encoded request and renders its document, writing frames to `sink`.
pub fn run(input: &[u8], sink: Box<dyn Write>) {
    let mut out = Output::new(sink);
    let request = match Request::decode(input) {
        Ok(r) => r,
        Err(e) => {
            out.failure(FailureKind::BadRequest, &format!("cannot decode the request: {e}"));
            return;
        }
    };
    let mut labeller = None;
    dispatch::Job::new(request, &mut out, &mut labeller).render();
    out.end();
}

/// Prepares, once, what documents would otherwise each prepare again: hayro's predefined
/// CMaps, one brotli bundle of several MB that any PDF using a predefined CMap (most CJK
/// PDFs) decompresses in full. The host's build script runs this and snapshots the guest's
/// memory, so every instance starts with the work done; reads nothing from outside.
pub fn preinitialize() {
    let _ = hayro_cmap::load_embedded(hayro_cmap::CMapName::H);
}

/// Writes the frame that says the request could not even be read.
pub fn refuse(message: &str, sink: Box<dyn Write>) {
    Output::new(sink).failure(FailureKind::BadRequest, message);
}
