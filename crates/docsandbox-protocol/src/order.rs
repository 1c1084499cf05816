//! The order frames must come in, as an I/O-free state machine: the host's boundary and
//! the fuzz targets check the guest's output with this one set of rules.
//!
//! A run is `begin`, then pages in order (index after index, within the page count and the
//! requested range), with a `report` at most once and a `failure` at most once, after which
//! only `end` may follow; nothing follows `end`.
//! A report names only kinds from [`FindingKind`].

use core::fmt;

use crate::{FindingKind, Message, TAG_END, TAG_PAGE};

/// A frame out of order, or a report naming a kind the protocol does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderError(pub String);

impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OrderError {}

fn fail<T>(message: impl Into<String>) -> Result<T, OrderError> {
    Err(OrderError(message.into()))
}

/// Where a run's frames are in the protocol's order.
#[derive(Debug, Clone)]
pub struct FrameOrder {
    /// The page count the begin message stated (`u32::MAX` when unknown); `None` before it.
    begun: Option<u32>,
    reported: bool,
    failed: bool,
    ended: bool,
    /// The index the next page must have.
    next_index: u32,
    /// The last index the request allows.
    last_index: u32,
}

impl FrameOrder {
    /// The order of a run asked for pages `first..=last` (1-based; `u32::MAX` for "to the
    /// end"): its first page must have index `first - 1`.
    pub fn new(first: u32, last: u32) -> Self {
        FrameOrder { begun: None, reported: false, failed: false, ended: false, next_index: first.saturating_sub(1), last_index: last.saturating_sub(1) }
    }

    /// Checks that a frame whose body starts with `tag` may come now, before its body is
    /// read.
    pub fn start(&self, tag: Option<u8>) -> Result<(), OrderError> {
        if self.ended {
            return fail("data after the end message");
        }
        if self.failed && tag != Some(TAG_END) {
            return fail("data after a failure message");
        }
        if tag == Some(TAG_PAGE) && self.begun.is_none() {
            return fail("a page before the begin message");
        }
        Ok(())
    }

    /// Checks and counts a page with this 0-based index, once [`FrameOrder::start`] let it
    /// come: the next one in order, within the page count and the requested range.
    pub fn page(&mut self, index: u32) -> Result<(), OrderError> {
        let Some(page_count) = self.begun else {
            return fail("a page before the begin message");
        };
        if index != self.next_index || index >= page_count || index > self.last_index {
            return fail(format!("page {} out of order or out of range", u64::from(index) + 1));
        }
        self.next_index = index + 1;
        Ok(())
    }

    /// Takes a decoded message into account (pages are counted by [`FrameOrder::page`]).
    pub fn accept(&mut self, message: &Message<'_>) -> Result<(), OrderError> {
        match message {
            Message::Begin { page_count, .. } => {
                if self.begun.is_some() {
                    return fail("a second begin message");
                }
                self.begun = Some(page_count.unwrap_or(u32::MAX));
            }
            Message::Page(_) => {}
            Message::Report { findings } => {
                if self.reported {
                    return fail("a second report");
                }
                self.reported = true;
                if findings.iter().any(|f| FindingKind::from_name(f.kind).is_none()) {
                    return fail("a finding of a kind not in the protocol's list");
                }
            }
            Message::Failure { .. } => {
                if self.failed {
                    return fail("a second failure message");
                }
                self.failed = true;
            }
            Message::End => self.ended = true,
        }
        Ok(())
    }

    /// Whether the end message has come.
    pub fn ended(&self) -> bool {
        self.ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Finding, Format, TAG_BEGIN, TAG_REPORT};

    fn begin(count: Option<u32>) -> Message<'static> {
        Message::Begin { format: Format::Pdf, page_count: count }
    }

    #[test]
    fn a_well_ordered_run_passes() {
        let mut order = FrameOrder::new(2, 3);
        order.start(Some(TAG_BEGIN)).unwrap();
        order.accept(&begin(Some(5))).unwrap();
        order.start(Some(TAG_REPORT)).unwrap();
        order.accept(&Message::Report { findings: vec![Finding { kind: "javascript", detail: "" }] }).unwrap();
        for index in [1, 2] {
            order.start(Some(TAG_PAGE)).unwrap();
            order.page(index).unwrap();
        }
        order.accept(&Message::End).unwrap();
        assert!(order.ended());
    }

    #[test]
    fn every_rule_is_enforced() {
        let mut order = FrameOrder::new(1, u32::MAX);
        assert!(order.start(Some(TAG_PAGE)).is_err(), "page before begin");
        order.accept(&begin(Some(2))).unwrap();
        assert!(order.accept(&begin(None)).is_err(), "second begin");
        assert!(order.page(1).is_err(), "skipped a page");
        order.page(0).unwrap();
        assert!(order.page(0).is_err(), "repeated a page");
        order.page(1).unwrap();
        assert!(order.page(2).is_err(), "beyond the page count");
        assert!(order.accept(&Message::Report { findings: vec![Finding { kind: "run-me", detail: "" }] }).is_err(), "unlisted kind");
        assert!(order.accept(&Message::Report { findings: vec![] }).is_err(), "second report");
        order.accept(&Message::Failure { kind: crate::FailureKind::Malformed, message: "" }).unwrap();
        assert!(order.start(Some(TAG_PAGE)).is_err(), "after a failure");
        assert!(order.accept(&Message::Failure { kind: crate::FailureKind::Malformed, message: "" }).is_err(), "second failure");
        order.start(Some(TAG_END)).unwrap();
        order.accept(&Message::End).unwrap();
        assert!(order.start(Some(TAG_END)).is_err(), "after the end");
        let mut ranged = FrameOrder::new(1, 1);
        ranged.accept(&begin(None)).unwrap();
        ranged.page(0).unwrap();
        assert!(ranged.page(1).is_err(), "beyond the requested range");
    }
}
