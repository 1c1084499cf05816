//! The advisory report: a bounded, de-duplicated list of findings.

/// Longest detail string kept, in characters.
const MAX_DETAIL_CHARS: usize = 200;

/// Collects findings up to an encoded size budget agreed with the host.
pub struct Report {
    findings: Vec<(String, String)>,
    bytes: usize,
    budget: usize,
    truncated: bool,
}

impl Report {
    /// A report that will encode to at most `budget` bytes.
    pub fn new(budget: u32) -> Self {
        // Keep room for the frame header, the count and the "report-truncated" marker.
        let budget = (budget as usize).saturating_sub(64);
        Report { findings: Vec::new(), bytes: 0, budget, truncated: false }
    }

    /// Adds a finding unless an identical one is already present or the budget is spent.
    pub fn add(&mut self, kind: &str, detail: &str) {
        let detail: String = detail.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_DETAIL_CHARS).collect();
        if self.findings.iter().any(|(k, d)| k == kind && *d == detail) {
            return;
        }
        let cost = 8 + kind.len() + detail.len();
        if self.bytes + cost > self.budget {
            self.truncated = true;
            return;
        }
        self.bytes += cost;
        self.findings.push((kind.to_owned(), detail));
    }

    /// The findings, with a final marker when some were dropped for lack of room.
    pub fn finish(mut self) -> Vec<(String, String)> {
        if self.truncated {
            self.findings.push(("report-truncated".into(), "more findings were omitted".into()));
        }
        self.findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupes_sanitises_and_bounds() {
        let mut r = Report::new(200);
        r.add("uri", "http://x\u{1b}[31m");
        r.add("uri", "http://x\u{1b}[31m");
        for i in 0..100 {
            r.add("uri", &format!("http://example.com/{i}"));
        }
        let f = r.finish();
        assert_eq!(f[0], ("uri".to_string(), "http://x [31m".to_string()));
        assert_eq!(f.last().unwrap().0, "report-truncated");
        let encoded: usize = f.iter().map(|(k, d)| 8 + k.len() + d.len()).sum();
        assert!(encoded <= 200, "{encoded}");
    }
}
