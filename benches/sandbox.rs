//! Criterion benchmarks: the fixed cost of a fresh instance, each format (PDF; DOCX, XLSX,
//! XLS, PPTX laid out by the paint layer; images, text, archives, mail), decryption, what
//! fuel costs, and what the worker process of `Isolation::Process` costs.
//!
//! `cargo bench --bench sandbox`. Process-level comparisons with pdftoppm and LibreOffice
//! live in `benches/vs-pdftoppm.sh` and `benches/vs-libreoffice.sh`. Corpus-based cases are
//! skipped when `../shared/corpus` is absent.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use docsandbox::{Limits, RenderOptions, Sandbox};

#[path = "../tests/it/common/pdf.rs"]
#[allow(dead_code)]
mod pdf;

fn corpus(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(name);
    let bytes = std::fs::read(&path).ok();
    if bytes.is_none() {
        eprintln!("skipping {name}: the corpus is absent");
    }
    bytes
}

fn instance(c: &mut Criterion) {
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    c.bench_function("instance/fresh", |b| b.iter(|| sandbox.instantiate_only().unwrap()));
}

fn pdf_render(c: &mut Criterion) {
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    let mut group = c.benchmark_group("pdf");
    group.sample_size(10).measurement_time(Duration::from_secs(8));

    let one = pdf::text_pdf(&pdf::TextPdf::default());
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated-1-page-150dpi", |b| b.iter(|| sandbox.render(&one, &RenderOptions::default().dpi(150)).unwrap()));

    if let Some(bytes) = corpus("pdf/tracemonkey.pdf") {
        group.bench_function("tracemonkey-page-1-150dpi", |b| b.iter(|| sandbox.render(&bytes, &RenderOptions::default().dpi(150).pages(1..=1)).unwrap()));
    }
    if let Some(bytes) = corpus("pdf/freeculture.pdf") {
        group.throughput(Throughput::Elements(50));
        group.bench_function("freeculture-50-pages-100dpi", |b| b.iter(|| sandbox.render(&bytes, &RenderOptions::default().dpi(100).pages(1..=50)).unwrap()));
        // The same pages split over two instances at once (one per core here).
        group.bench_function("freeculture-50-pages-100dpi-parallel-2", |b| {
            b.iter(|| sandbox.render_parallel(&bytes, &RenderOptions::default().dpi(100).pages(1..=50), 2).unwrap())
        });
        // Streaming keeps no page: the same work with at most two pages alive.
        group.bench_function("freeculture-50-pages-100dpi-streaming", |b| {
            b.iter(|| sandbox.render_streaming(&bytes, &RenderOptions::default().dpi(100).pages(1..=50), |_, _| std::ops::ControlFlow::Continue(())).unwrap())
        });
    }
    group.finish();
}

fn office_render(c: &mut Criterion) {
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    let mut group = c.benchmark_group("office");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for name in [
        "docx/dangerzone-sample.docx",
        "docx/stress019-japanese.docx",
        "xlsx/dangerzone-sample.xlsx",
        "xls/dangerzone-sample.xls",
        "pptx/dangerzone-sample.pptx",
    ] {
        let Some(bytes) = corpus(name) else { continue };
        group.bench_function(format!("{name}-all-pages-150dpi"), |b| b.iter(|| sandbox.render(&bytes, &RenderOptions::default().dpi(150)).unwrap()));
    }
    group.finish();
}

/// The other formats: images, text, archives and mail (each with what is inside it).
fn other_formats(c: &mut Criterion) {
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    let mut group = c.benchmark_group("formats");
    group.sample_size(10).measurement_time(Duration::from_secs(6));
    for (name, password) in [
        ("image/dangerzone-sample.jpg", None),
        ("image/dangerzone-sample.png", None),
        ("image/mandrill.tiff", None),
        ("text/shift_jis-ude_4.txt", None),
        ("archive/TestDataEncryptedAES.zip", Some("TestData")),
        ("email/attachment_pdf.eml", None),
        ("email/japanese_iso_2022.eml", None),
    ] {
        let Some(bytes) = corpus(name) else { continue };
        let mut options = RenderOptions::default().dpi(150).pages(1..=5);
        if let Some(password) = password {
            options = options.password(password);
        }
        group.bench_function(format!("{name}-first-5-pages-150dpi"), |b| b.iter(|| sandbox.render(&bytes, &options).unwrap()));
    }
    group.finish();
}

/// Password-protected files: key derivation (100 000 SHA-512 rounds for agile XLSX, 50 000
/// SHA-1 for standard DOCX, PBKDF2 per part for ODS), decryption and the report, no pages.
fn encrypted_inspect(c: &mut Criterion) {
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    let mut group = c.benchmark_group("encrypted");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for (name, password) in [
        ("xlsx/60320-protected.xlsx", "Test001!!"),
        ("docx/bug53475-password-is-solrcell.docx", "solrcell"),
        ("xls/password.xls", "password"),
        ("odf/pass_protected.ods", "1234"),
    ] {
        let Some(bytes) = corpus(name) else { continue };
        group.bench_function(format!("{name}-inspect"), |b| b.iter(|| sandbox.inspect(&bytes, &RenderOptions::default().password(password)).unwrap()));
    }
    group.finish();
}

/// What bounding CPU with fuel costs: the same documents in the default sandbox (fuel and
/// an epoch deadline) and in one bounded by the epoch deadline alone.
fn interruption(c: &mut Criterion) {
    let fuel = Sandbox::new(Limits::default()).unwrap();
    let deadline_only = Sandbox::new_deadline_only(Limits::default()).unwrap();
    let mut group = c.benchmark_group("interruption");
    group.sample_size(10).measurement_time(Duration::from_secs(6));
    let mut documents = vec![("generated-pdf", pdf::text_pdf(&pdf::TextPdf { pages: 3, ..Default::default() }))];
    for name in ["pdf/tracemonkey.pdf", "docx/dangerzone-sample.docx", "xlsx/dangerzone-sample.xlsx"] {
        if let Some(bytes) = corpus(name) {
            documents.push((name, bytes));
        }
    }
    for (name, bytes) in &documents {
        let options = RenderOptions::default().dpi(150).pages(1..=3);
        group.bench_function(format!("{name}-fuel-and-deadline"), |b| b.iter(|| fuel.render(bytes, &options).unwrap()));
        group.bench_function(format!("{name}-deadline-only"), |b| b.iter(|| deadline_only.render(bytes, &options).unwrap()));
    }
    group.finish();
}

/// What the second layer costs: the same documents in-process and each in a fresh
/// confined worker process (`Isolation::Process`; Linux, and the `docsandbox-worker`
/// program must be built: `cargo build --release -p docsandbox --bins`).
fn isolation(c: &mut Criterion) {
    let Ok(process) = docsandbox::Isolation::process() else {
        eprintln!("skipping isolation: no docsandbox-worker (cargo build --release -p docsandbox --bins)");
        return;
    };
    let in_process = Sandbox::new(Limits::default()).unwrap();
    let isolated = Sandbox::with_isolation(Limits::default(), process).unwrap();
    let mut group = c.benchmark_group("isolation");
    group.sample_size(10).measurement_time(Duration::from_secs(6));
    let mut documents = vec![("welcome-pdf", std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/welcome.pdf")).unwrap())];
    documents.extend(corpus("docx/dangerzone-sample.docx").map(|bytes| ("dangerzone-docx", bytes)));
    for (name, bytes) in &documents {
        let options = RenderOptions::default().dpi(150);
        group.bench_function(format!("{name}-in-process"), |b| b.iter(|| in_process.render(bytes, &options).unwrap()));
        group.bench_function(format!("{name}-worker-process"), |b| b.iter(|| isolated.render(bytes, &options).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, instance, pdf_render, office_render, other_formats, encrypted_inspect, interruption, isolation);
criterion_main!(benches);
