//! The docsandbox guest: reads one request on stdin, renders the document, and writes
//! protocol frames (pages as raw RGBA, an advisory report) on stdout.
//!
//! Everything here runs inside the host's capability-free WebAssembly sandbox. It is
//! treated as compromised by design: the host validates every frame it writes.
#![forbid(unsafe_code)]

mod archive;
mod crypto;
mod detect;
mod docx;
mod email;
mod fonts;
mod images;
mod legacy;
mod office;
mod output;
mod paint;
mod package;
mod pdf;
mod picture;
mod pptx;
mod report;
mod sheet;
mod text;

use std::io::Read;

use docsandbox_protocol::{FailureKind, Format, Request};
use output::Output;

fn main() {
    let mut input = Vec::new();
    let mut out = Output::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        out.failure(FailureKind::BadRequest, &format!("cannot read the request: {e}"));
        return;
    }
    // The guest renders one document and exits, so the request may live for the whole run.
    let input: &'static [u8] = input.leak();
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

/// Renders one document of any supported format; `depth` counts the archives around it.
fn render(request: &Request<'static>, out: &mut Output, depth: usize) {
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
