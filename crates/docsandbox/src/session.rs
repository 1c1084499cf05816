//! One document rendered in this process: the guest runs on its own thread (see
//! `store.rs`), and validated pages travel to the caller's thread over a channel of
//! capacity one, so at most a couple of pages are held at a time and the caller's callback
//! (PNG encoding, writing files) overlaps with rendering the next page. What the caller
//! received becomes a [`Summary`] or a typed error.

use std::ops::ControlFlow;
use std::sync::mpsc::{sync_channel, Receiver};
use std::time::{Duration, Instant};

use docsandbox_protocol::FailureKind;
use wasmtime::InstancePre;

use crate::boundary::{Event, Plan};
use crate::document::{Page, Progress, Report, Stats, Summary};
use crate::engine::{Slots, WASM_STACK_BYTES};
use crate::store::{classify_outcome, run_guest, HostState, Sink};
use crate::{Error, Limits};

/// The caller's page callback.
pub(crate) type OnPage<'a> = dyn FnMut(Page, Progress) -> ControlFlow<()> + 'a;

/// Renders one document in a fresh instance, handing each page to `on_page`.
pub(crate) fn run(pre: &InstancePre<HostState>, plan: Plan, on_page: &mut OnPage<'_>) -> Result<Summary, Error> {
    let asked = Instant::now();
    let _slot = Slots::global().acquire();
    // The deadline counts from here: time spent waiting for a slot is not the guest's.
    let started = Instant::now();
    let (sender, receiver) = sync_channel(1);
    let limits = plan.limits.clone();
    let (first, last) = (plan.first, plan.last);

    let mut received = Received::new(first, last, limits.max_pages);
    let outcome = std::thread::scope(|scope| {
        // Owned by this closure so that, should the caller's callback panic, the receiver is
        // dropped while unwinding, which unblocks the guest thread the scope then joins.
        let receiver = receiver;
        let guest = std::thread::Builder::new()
            .name("docsandbox-guest".into())
            .stack_size(WASM_STACK_BYTES + (8 << 20))
            .spawn_scoped(scope, || run_guest(pre, plan, Sink::Events(sender), started))
            .map_err(|e| Error::Setup(format!("cannot start the guest thread: {e}")))?;
        received.receive(&receiver, on_page, None);
        drop(receiver);
        guest.join().map_err(|_| Error::Setup("the guest thread panicked".into()))
    })?;

    let stats = Stats { fuel_consumed: outcome.fuel_consumed, peak_memory_bytes: outcome.peak_memory, wall_time: asked.elapsed() };
    let error = classify_outcome(&outcome, &limits);
    received.finish(error, stats, &limits)
}

impl Received {
    /// The result of a run that received this, given the error the guest's side ended with.
    pub(crate) fn finish(self, error: Option<Error>, stats: Stats, limits: &Limits) -> Result<Summary, Error> {
        let Received { report, pages_rendered, failure, ended, cancelled, first, last, .. } = self;
        let error = if cancelled { Some(Error::Cancelled) } else { error.or_else(|| classify_messages(failure, ended)) };
        let error = error.or_else(|| {
            // (`max_pages == 0` is an inspection: no pages were wanted.)
            if limits.max_pages == 0 {
                return None;
            }
            let page_count = report.page_count.unwrap_or(u32::MAX);
            if first > page_count {
                return Some(Error::PageRangeOutOfBounds { first, page_count });
            }
            (pages_wanted(first, last, page_count) > pages_rendered && pages_rendered == limits.max_pages)
                .then_some(Error::TooManyPages { limit: limits.max_pages })
        });
        // An inspection that learnt what the document is keeps its report with the error
        // (an encrypted file's format and findings are worth having without its password).
        let inspection_with_report = limits.max_pages == 0 && report.format.is_some();
        match error {
            Some(e) if pages_rendered == 0 && !inspection_with_report => Err(e),
            truncated => Ok(Summary { report, stats, pages_rendered, truncated }),
        }
    }
}

/// Pages of the range `first..=last` that a document of `page_count` pages has.
fn pages_wanted(first: u32, last: u32, page_count: u32) -> u32 {
    if first > page_count {
        0
    } else {
        last.min(page_count) - first + 1
    }
}

/// What the caller's side has received from the guest.
pub(crate) struct Received {
    report: Report,
    pages_rendered: u32,
    failure: Option<(FailureKind, String)>,
    ended: bool,
    cancelled: bool,
    /// The requested range and page limit.
    first: u32,
    last: u32,
    max_pages: u32,
    /// Time the caller's callback took.
    pub(crate) callback_time: Duration,
}

impl Received {
    pub(crate) fn new(first: u32, last: u32, max_pages: u32) -> Self {
        Received {
            report: Report::default(),
            pages_rendered: 0,
            failure: None,
            ended: false,
            cancelled: false,
            first,
            last,
            max_pages,
            callback_time: Duration::ZERO,
        }
    }

    /// Whether the caller's callback stopped the run.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancelled
    }

    /// Receives events until the guest's side is done or the callback stops. With a
    /// `watchdog`, gives up when no event has come by then, not counting the time the
    /// callback took, and returns `false`.
    pub(crate) fn receive(&mut self, receiver: &Receiver<Event>, on_page: &mut OnPage<'_>, watchdog: Option<Instant>) -> bool {
        let (first, last, max_pages) = (self.first, self.last, self.max_pages);
        let mut expected = None;
        loop {
            let event = match watchdog {
                None => receiver.recv().ok(),
                Some(at) => match receiver.recv_timeout((at + self.callback_time).saturating_duration_since(Instant::now())) {
                    Ok(event) => Some(event),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return false,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => None,
                },
            };
            let Some(event) = event else { return true };
            match event {
                Event::Begin { format, page_count } => {
                    self.report.format = Some(format.name().to_owned());
                    self.report.page_count = page_count;
                    expected = page_count.map(|n| pages_wanted(first, last, n).min(max_pages));
                }
                Event::Report(findings) => self.report.findings = findings,
                Event::Page(page) => {
                    self.pages_rendered += 1;
                    let progress = Progress { rendered: self.pages_rendered, expected: expected.map(|n: u32| n.max(self.pages_rendered)) };
                    let started = Instant::now();
                    let flow = on_page(page, progress);
                    self.callback_time += started.elapsed();
                    if flow.is_break() {
                        self.cancelled = true;
                        return true;
                    }
                }
                Event::Failure(kind, message) => self.failure = Some((kind, message)),
                Event::End => self.ended = true,
            }
        }
    }
}

/// The error the guest's messages amount to, if any: the failure it stated, or the lack
/// of an end message.
fn classify_messages(failure: Option<(FailureKind, String)>, ended: bool) -> Option<Error> {
    if let Some((kind, message)) = failure {
        return Some(match kind {
            FailureKind::Unsupported => Error::Unsupported(message),
            FailureKind::Malformed => Error::Malformed(message),
            FailureKind::PasswordRequired => Error::PasswordRequired,
            FailureKind::WrongPassword => Error::WrongPassword,
            FailureKind::BadRequest => Error::Setup(format!("the guest refused the request: {message}")),
        });
    }
    if !ended {
        return Some(Error::ProtocolViolation("the guest stopped without an end message".into()));
    }
    None
}
