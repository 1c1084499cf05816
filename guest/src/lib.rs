//! The docsandbox guest: every document parser and renderer. [`run`] reads one request
//! and writes protocol frames (pages as raw RGBA, an advisory report) to a sink.
//!
//! In production this is compiled to wasm32-wasip1 (`src/main.rs` feeds it stdin and
//! stdout) and runs inside the host's capability-free WebAssembly sandbox, where it is
//! treated as compromised by design: the host validates every frame it writes. Built
//! natively it serves the fuzzers ([`fuzzing`]) and the native-vs-sandboxed benchmark.
#![forbid(unsafe_code)]

mod archive;
mod crypto;
mod detect;
mod docx;
mod email;
mod fonts;
pub mod fuzzing;
mod images;
mod legacy;
mod office;
mod output;
mod package;
mod paint;
mod pdf;
mod picture;
mod pptx;
mod report;
mod sheet;
mod text;

use std::io::Write;

use docsandbox_protocol::{FailureKind, Format, Request};
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
    render(&request, &mut out, 0);
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

/// Renders one document of any supported format; `depth` counts the archives around it.
fn render(request: &Request<'_>, out: &mut Output, depth: usize) {
    match detect::detect(request.document) {
        detect::Detected::Pdf => pdf::render(request, out),
        detect::Detected::Zip => match package::Package::open(request.document) {
            Ok(mut package) => match office::kind(&mut package) {
                Some(format @ (Format::Ods | Format::Odt | Format::Odp)) if crypto::odf::is_encrypted(&mut package) => {
                    let result = crypto::odf::decrypt(&mut package, request.password);
                    crypto::render(request, out, depth, render, format, result, Vec::new())
                }
                Some(Format::Docx) => docx::render(request, package, out),
                Some(Format::Pptx) => pptx::render(request, package, out),
                Some(format @ (Format::Xlsx | Format::Ods)) => sheet::render(request, format, Some(package), out),
                Some(format) => office::inspect_only(request, package, format, out),
                None => archive::render(request, out, depth, render),
            },
            // Not an Office package (or one too large to be one): an archive.
            Err(_) => archive::render(request, out, depth, render),
        },
        detect::Detected::Ole2 => legacy::render(request, out, depth, render),
        detect::Detected::Image(format) => picture::render(request, format, out),
        detect::Detected::Text if email::looks_like_mail(request.document) => email::render(request, out, depth, render),
        detect::Detected::Text => text::render(request, out),
        detect::Detected::Other(name) => out.failure(FailureKind::Unsupported, &format!("{name} documents are not supported yet")),
        detect::Detected::Unknown => out.failure(FailureKind::Unsupported, "the content is not in a recognised document format"),
    }
}
