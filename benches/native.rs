//! The guest's own code run natively versus inside the sandbox, side by side in one run.
//!
//! `benches/vs-native.sh` builds the guest for the host (the same source and
//! dependencies, `x86_64-unknown-linux-gnu` instead of `wasm32-wasip1`) and runs this with
//! `DOCSANDBOX_NATIVE_GUEST` pointing at it. The native binary gets the same encoded request
//! on stdin a sandbox would; its time includes starting the process (about a millisecond).
//! Prints, per document, the median of both and the ratio sandboxed / native.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docsandbox::{Limits, RenderOptions, Sandbox};
use docsandbox_protocol::Request;

const DPI: u32 = 150;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let Some(native) = std::env::var_os("DOCSANDBOX_NATIVE_GUEST") else {
        eprintln!("skipping: set DOCSANDBOX_NATIVE_GUEST (benches/vs-native.sh does)");
        return;
    };
    let runs = if std::env::args().any(|a| a == "--bench") { 9 } else { 1 };
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut documents = vec![("samples/welcome.pdf".to_owned(), std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/welcome.pdf")).unwrap())];
    for name in [
        "pdf/tracemonkey.pdf",
        "docx/dangerzone-sample.docx",
        "xlsx/dangerzone-sample.xlsx",
        "pptx/dangerzone-sample.pptx",
        "image/mandrill.tiff",
        "text/shift_jis-ude_4.txt",
    ] {
        if let Ok(bytes) = std::fs::read(corpus.join(name)) {
            documents.push((name.to_owned(), bytes));
        }
    }
    let limits = Limits::default();
    let sandbox = Sandbox::new(limits.clone()).unwrap();
    println!("{:<32} {:>10} {:>10} {:>7}", "document (all pages, 150 DPI)", "native", "sandboxed", "ratio");
    for (name, bytes) in documents {
        let request = Request {
            dpi: DPI,
            first_page: 1,
            last_page: u32::MAX,
            max_pages: limits.max_pages,
            max_page_side: limits.max_page_side,
            max_page_pixels: limits.max_page_pixels,
            max_report_bytes: limits.max_report_bytes,
            password: "",
            passwords_from_message: false,
            sheet_gridlines: false,
            clock: 0,
            document: &bytes,
        }
        .encode();
        let mut native_times = Vec::new();
        let mut sandbox_times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let mut child = Command::new(&native).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
            child.stdin.take().unwrap().write_all(&request).unwrap();
            let output = child.wait_with_output().unwrap();
            native_times.push(start.elapsed());
            assert!(output.status.success() && !output.stdout.is_empty(), "{name}: the native guest failed");

            let start = Instant::now();
            sandbox.render(&bytes, &RenderOptions::default().dpi(DPI)).unwrap();
            sandbox_times.push(start.elapsed());
        }
        let (n, s) = (median(native_times), median(sandbox_times));
        println!("{name:<32} {n:>10.1?} {s:>10.1?} {:>6.2}x", s.as_secs_f64() / n.as_secs_f64());
    }
}
