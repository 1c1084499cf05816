//! Load: thousands of renders across threads in one process.
//!
//! Records (1) throughput with 1 thread and with as many threads as cores, rendering the
//! same documents, so that scaling shows as a ratio measured in one run; and (2) resident
//! memory (VmRSS) every 1000 renders over 10 000, which must stay flat: instances come
//! from the pool and are returned, documents and pages are dropped.
//!
//! `cargo bench --bench load` runs it in full; under `cargo test` it is a short smoke run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use docsandbox::{Limits, RenderOptions, Sandbox};

/// Resident set size of this process in KiB (Linux), or 0 where unknown.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Renders `count` documents split over `threads` threads; returns the wall time.
fn run(sandbox: &Sandbox, document: &[u8], count: usize, threads: usize, done: &AtomicUsize) -> Duration {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while next.fetch_add(1, Ordering::Relaxed) < count {
                    let doc = sandbox.render(document, &RenderOptions::default().dpi(72)).expect("renders");
                    assert_eq!(doc.pages().len(), 1);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    start.elapsed()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (scaling_count, total) = if full { (400, 10_000) } else { (8, 40) };
    let document = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/welcome.pdf")).unwrap();
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let done = AtomicUsize::new(0);
    run(&sandbox, &document, 4, 1, &done); // warm up: compiled guest cached, pool slots touched

    let one = run(&sandbox, &document, scaling_count, 1, &done);
    let many = run(&sandbox, &document, scaling_count, cores, &done);
    println!("scaling: {scaling_count} renders in {one:.2?} on 1 thread, {many:.2?} on {cores} threads: {:.2}x", one.as_secs_f64() / many.as_secs_f64());

    done.store(0, Ordering::Relaxed);
    let start_rss = rss_kib();
    let mut samples = vec![(0, start_rss)];
    std::thread::scope(|s| {
        s.spawn(|| run(&sandbox, &document, total, cores, &done));
        let step = (total / 10).max(1);
        let mut next = step;
        while next <= total {
            if done.load(Ordering::Relaxed) >= next {
                samples.push((next, rss_kib()));
                next += step;
            } else {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
    for (renders, rss) in &samples {
        println!("after {renders:>6} renders: RSS {:>7.1} MiB", *rss as f64 / 1024.0);
    }
    let after_first = samples.get(1).map_or(start_rss, |s| s.1);
    let last = samples.last().map_or(start_rss, |s| s.1);
    println!("RSS growth from {} to {total} renders: {:+.1} MiB", samples.get(1).map_or(0, |s| s.0), (last as f64 - after_first as f64) / 1024.0);
}
