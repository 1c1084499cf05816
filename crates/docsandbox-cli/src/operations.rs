//! What `docsandbox serve` tells the people and systems that run it: Prometheus metrics,
//! structured JSON log lines and request IDs. None of it carries document content; file
//! names only when the operator asks (`--log-file-names`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Upper bounds of the render latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 12] = [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0];

/// Counters since start.
#[derive(Default)]
pub struct Metrics {
    /// Renders by (format, outcome).
    renders: Mutex<BTreeMap<(String, &'static str), u64>>,
    /// Renders at or under each bucket's bound (not cumulative here; summed when printed).
    latency: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
    pages: AtomicU64,
    worker_crashes: AtomicU64,
    guest_crashes: AtomicU64,
    /// Uploads turned away because the queue was full.
    busy: AtomicU64,
    /// Requests refused by the Host, Origin or token checks.
    refused: AtomicU64,
}

/// The moment's gauges, read when `/metrics` is asked for.
pub struct Gauges {
    pub queued: usize,
    pub rendering: usize,
    pub memory_reserved_bytes: u64,
    pub memory_budget_bytes: u64,
    pub ready: bool,
}

impl Metrics {
    /// Counts one finished render.
    pub fn render(&self, format: &str, outcome: &'static str, pages: u32, took: Duration, error: Option<&docsandbox::Error>) {
        *self.renders.lock().unwrap_or_else(std::sync::PoisonError::into_inner).entry((format.to_owned(), outcome)).or_default() += 1;
        let seconds = took.as_secs_f64();
        if let Some(bucket) = LATENCY_BUCKETS.iter().position(|&bound| seconds <= bound) {
            self.latency[bucket].fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_micros.fetch_add(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
        self.pages.fetch_add(u64::from(pages), Ordering::Relaxed);
        match error {
            Some(docsandbox::Error::WorkerCrashed(_)) => self.worker_crashes.fetch_add(1, Ordering::Relaxed),
            Some(docsandbox::Error::GuestCrashed(_)) => self.guest_crashes.fetch_add(1, Ordering::Relaxed),
            _ => 0,
        };
    }

    pub fn busy(&self) {
        self.busy.fetch_add(1, Ordering::Relaxed);
    }

    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in Prometheus' text exposition format (version 0.0.4).
    pub fn exposition(&self, gauges: &Gauges) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let metric = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            name.to_owned()
        };
        let name = metric(&mut out, "docsandbox_renders_total", "counter", "Documents rendered, by detected format and outcome.");
        let renders = self.renders.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        for ((format, outcome), count) in &renders {
            let _ = writeln!(out, "{name}{{format=\"{}\",outcome=\"{outcome}\"}} {count}", label(format));
        }
        let name = metric(&mut out, "docsandbox_render_duration_seconds", "histogram", "Time from a complete upload to the last page sent.");
        let mut cumulative = 0;
        for (bound, count) in LATENCY_BUCKETS.iter().zip(&self.latency) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.latency_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
        let counters = [
            ("docsandbox_pages_rendered_total", "Pages rendered and sent.", &self.pages),
            ("docsandbox_worker_crashes_total", "Worker processes that died while rendering (process isolation).", &self.worker_crashes),
            ("docsandbox_guest_crashes_total", "Renders the guest crashed on (a trap, a panic).", &self.guest_crashes),
            ("docsandbox_busy_total", "Uploads turned away with 503 because the queue was full.", &self.busy),
            ("docsandbox_refused_total", "Requests refused by the Host, Origin or token checks.", &self.refused),
        ];
        for (name, help, value) in counters {
            let name = metric(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        let gauges = [
            ("docsandbox_queue_depth", "Uploads waiting for a worker.", gauges.queued as u64),
            ("docsandbox_renders_in_flight", "Documents rendering now.", gauges.rendering as u64),
            ("docsandbox_memory_reserved_bytes", "Memory budget the renders in flight have reserved.", gauges.memory_reserved_bytes),
            ("docsandbox_memory_budget_bytes", "The memory budget all renders share.", gauges.memory_budget_bytes),
            ("docsandbox_ready", "1 when the viewer takes new documents.", u64::from(gauges.ready)),
        ];
        for (name, help, value) in gauges {
            let name = metric(&mut out, name, "gauge", help);
            let _ = writeln!(out, "{name} {value}");
        }
        out
    }
}

/// A label value with Prometheus' escapes (formats are the guest's names, but keep it safe).
fn label(value: &str) -> String {
    value.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).take(32).collect()
}

/// Writes one JSON log line to stderr: the time, the level, the event and its fields.
pub fn log(level: &str, event: &str, fields: serde_json::Value) {
    let mut line = serde_json::json!({
        "ts": SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| (d.as_millis() as f64) / 1000.0),
        "level": level,
        "event": event,
    });
    if let (Some(line), serde_json::Value::Object(fields)) = (line.as_object_mut(), fields) {
        line.extend(fields);
    }
    eprintln!("{line}");
}

/// A request's ID: the caller's `X-Request-Id` when it is short and plain, else a new one.
pub fn request_id(given: Option<&str>, counter: &AtomicU64, prefix: &str) -> String {
    match given {
        Some(id) if !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) => id.to_owned(),
        _ => format!("{prefix}-{:06}", counter.fetch_add(1, Ordering::Relaxed)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_kept_only_when_plain() {
        let counter = AtomicU64::new(7);
        assert_eq!(request_id(Some("abc-123"), &counter, "p"), "abc-123");
        assert_eq!(request_id(Some("a\"b"), &counter, "p"), "p-000007");
        assert_eq!(request_id(None, &counter, "p"), "p-000008");
        assert_eq!(request_id(Some(&"x".repeat(65)), &counter, "p"), "p-000009");
    }

    #[test]
    fn the_histogram_is_cumulative() {
        let metrics = Metrics::default();
        metrics.render("pdf", "ok", 3, Duration::from_millis(40), None);
        metrics.render("pdf", "ok", 1, Duration::from_secs(3), None);
        let gauges = Gauges { queued: 0, rendering: 0, memory_reserved_bytes: 0, memory_budget_bytes: 1, ready: true };
        let text = metrics.exposition(&gauges);
        assert!(text.contains("docsandbox_render_duration_seconds_bucket{le=\"0.05\"} 1\n"), "{text}");
        assert!(text.contains("docsandbox_render_duration_seconds_bucket{le=\"5\"} 2\n"), "{text}");
        assert!(text.contains("docsandbox_renders_total{format=\"pdf\",outcome=\"ok\"} 2\n"), "{text}");
        assert!(text.contains("docsandbox_pages_rendered_total 4\n"), "{text}");
    }
}
