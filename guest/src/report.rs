//! The advisory report: a bounded, de-duplicated list of findings.

use docsandbox_protocol::FindingKind;

/// Longest detail string kept, in characters.
const MAX_DETAIL_CHARS: usize = 200;

/// Collects findings up to an encoded size budget agreed with the host.
pub struct Report {
    findings: Vec<(FindingKind, String)>,
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
    pub fn add(&mut self, kind: FindingKind, detail: &str) {
        let detail: String = detail.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_DETAIL_CHARS).collect();
        if self.findings.iter().any(|(k, d)| *k == kind && *d == detail) {
            return;
        }
        let cost = 8 + kind.name().len() + detail.len();
        if self.bytes + cost > self.budget {
            self.truncated = true;
            return;
        }
        self.bytes += cost;
        self.findings.push((kind, detail));
    }

    /// The findings, with a final marker when some were dropped for lack of room.
    pub fn finish(mut self) -> Vec<(FindingKind, String)> {
        if self.truncated {
            self.findings.push((FindingKind::ReportTruncated, "more findings were omitted".into()));
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
        r.add(FindingKind::Uri, "http://x\u{1b}[31m");
        r.add(FindingKind::Uri, "http://x\u{1b}[31m");
        for i in 0..100 {
            r.add(FindingKind::Uri, &format!("http://example.com/{i}"));
        }
        let f = r.finish();
        assert_eq!(f[0], (FindingKind::Uri, "http://x [31m".to_string()));
        assert_eq!(f.last().unwrap().0, FindingKind::ReportTruncated);
        let encoded: usize = f.iter().map(|(k, d)| 8 + k.name().len() + d.len()).sum();
        assert!(encoded <= 200, "{encoded}");
    }
}
