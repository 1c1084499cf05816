//! One document in one fresh instance: feeding the request, validating every frame the
//! guest writes, enforcing the limits, and turning the end of the run into a typed result.
//!
//! The guest runs on its own thread; validated pages travel to the caller's thread over a
//! channel of capacity one, so at most a couple of pages are held at a time and the
//! caller's callback (PNG encoding, writing files) overlaps with rendering the next page.

use std::ops::ControlFlow;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::{Duration, Instant};

use docsandbox_protocol::{pixel_len, FailureKind, FindingKind, Format, Message, FRAME_HEADER_LEN, PAGE_HEADER_LEN, TAG_END, TAG_PAGE};
use wasmtime::{InstancePre, ResourceLimiter, Store, Trap, UpdateDeadline};

use crate::document::{Finding, Page, Progress, Report, Stats, Summary};
use crate::engine::{Slots, EPOCH_TICK, WASM_STACK_BYTES};
use crate::wasi::{splitmix64, GuestExit, RANDOM_SEED};
use crate::{Error, Limits};

/// Bytes of guest diagnostics (stderr, e.g. a panic message) kept for error messages.
const MAX_DIAGNOSTICS: usize = 4096;

/// Longest failure message or finding field kept from the guest, in characters.
const MAX_TEXT_CHARS: usize = 500;

/// The caller's page callback.
pub(crate) type OnPage<'a> = dyn FnMut(Page, Progress) -> ControlFlow<()> + 'a;

/// Everything a run needs besides the instance.
pub(crate) struct Plan {
    pub limits: Limits,
    /// First and last requested page, 1-based (`last` may be `u32::MAX`).
    pub first: u32,
    pub last: u32,
    /// The encoded request.
    pub request: Vec<u8>,
}

/// What the guest side hands to the caller's thread.
pub(crate) enum Event {
    Begin { format: Format, page_count: Option<u32> },
    Page(Page),
    Report(Vec<Finding>),
    Failure(FailureKind, String),
    End,
}

/// Where a run's validated output goes.
pub(crate) enum Sink {
    /// As events to the caller's thread (rendering in this process).
    Events(SyncSender<Event>),
    /// As the guest's raw bytes, once checked, to the process that asked for the
    /// rendering (in a worker process; that process checks them again).
    Pipe(Box<dyn std::io::Write + Send>),
}

/// Per-store state: the host side of the guest's imports.
pub(crate) struct HostState {
    input: Vec<u8>,
    input_pos: usize,
    frames: FrameReader,
    checker: Checker,
    sink: Sink,
    diagnostics: Vec<u8>,
    random: u64,
    clock: u64,
    memory_limit: u64,
    peak_memory: u64,
    memory_denied: bool,
    /// Why the host stopped the guest, when it did.
    abort: Option<Error>,
    started: Instant,
    /// Time the guest spent waiting for the caller, which the deadline does not count.
    waiting: Duration,
}

impl HostState {
    /// Copies request bytes into `dst`; returns how many.
    pub(crate) fn read_input(&mut self, dst: &mut [u8]) -> usize {
        let rest = &self.input[self.input_pos..];
        let n = rest.len().min(dst.len());
        dst[..n].copy_from_slice(&rest[..n]);
        self.input_pos += n;
        n
    }

    /// Takes bytes the guest wrote to the protocol channel.
    pub(crate) fn write_output(&mut self, bytes: &[u8]) -> wasmtime::Result<()> {
        if self.abort.is_some() {
            return Err(wasmtime::Error::msg("guest already stopped"));
        }
        // Frames completed before a bad one still reach the caller: nothing valid is lost.
        let mut events = Vec::new();
        let fed = self.frames.feed(bytes, &mut self.checker, &mut events);
        let started = Instant::now();
        let sent = match &mut self.sink {
            Sink::Events(sender) => events.into_iter().try_for_each(|event| sender.send(event).map_err(|_| Error::Cancelled)),
            // After a bad frame, only the frames completed before it are forwarded; the
            // outcome then says what was wrong.
            Sink::Pipe(pipe) => {
                let good = if fed.is_ok() { bytes.len() } else { self.frames.completed };
                crate::isolation::write_guest_bytes(pipe, &bytes[..good]).map_err(|_| Error::Cancelled)
            }
        };
        self.waiting += started.elapsed();
        let result = sent.and(fed);
        result.map_err(|e| {
            self.abort = Some(e);
            wasmtime::Error::msg("stopped by the host")
        })
    }

    /// Keeps the last bytes the guest wrote to stderr.
    pub(crate) fn write_diagnostics(&mut self, bytes: &[u8]) {
        let keep = bytes.len().min(MAX_DIAGNOSTICS);
        self.diagnostics.extend_from_slice(&bytes[bytes.len() - keep..]);
        if self.diagnostics.len() > MAX_DIAGNOSTICS {
            let excess = self.diagnostics.len() - MAX_DIAGNOSTICS;
            self.diagnostics.drain(..excess);
        }
    }

    pub(crate) fn next_random(&mut self) -> u64 {
        splitmix64(&mut self.random)
    }

    pub(crate) fn next_clock_tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

impl ResourceLimiter for HostState {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired as u64 > self.memory_limit {
            self.memory_denied = true;
            return Ok(false);
        }
        self.peak_memory = self.peak_memory.max(desired as u64);
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// Reassembles frames from the byte stream, checking each header before buffering it.
#[derive(Default)]
pub(crate) struct FrameReader {
    len_bytes: Vec<u8>,
    /// Body length announced by the current frame's prefix.
    expected: Option<usize>,
    body: Vec<u8>,
    header_checked: bool,
    /// How many bytes of the last `feed` ended in complete, accepted frames.
    completed: usize,
}

impl FrameReader {
    /// Consumes `bytes`, appending an event for every frame they complete.
    pub(crate) fn feed(&mut self, mut bytes: &[u8], checker: &mut Checker, events: &mut Vec<Event>) -> Result<(), Error> {
        let total = bytes.len();
        self.completed = 0;
        while !bytes.is_empty() {
            let Some(expected) = self.expected else {
                let n = (FRAME_HEADER_LEN - self.len_bytes.len()).min(bytes.len());
                self.len_bytes.extend_from_slice(&bytes[..n]);
                bytes = &bytes[n..];
                if self.len_bytes.len() == FRAME_HEADER_LEN {
                    let len = u32::from_le_bytes(self.len_bytes[..].try_into().expect("4 bytes"));
                    self.expected = Some(len as usize);
                    self.len_bytes.clear();
                    self.body = Vec::new();
                    self.header_checked = false;
                }
                continue;
            };
            // Gather the small fixed header first, check it, and only then reserve the body.
            let want = if self.header_checked { expected } else { expected.min(PAGE_HEADER_LEN) };
            let n = (want - self.body.len()).min(bytes.len());
            self.body.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            if !self.header_checked && self.body.len() == want {
                checker.check_header(&self.body, expected)?;
                self.header_checked = true;
                self.body.reserve_exact(expected - self.body.len());
            }
            if self.header_checked && self.body.len() == expected {
                self.expected = None;
                events.push(checker.accept(std::mem::take(&mut self.body))?);
                self.completed = total - bytes.len();
            }
        }
        Ok(())
    }
}

/// Enforces the protocol's order and the limits on what the guest sends.
pub(crate) struct Checker {
    limits: Limits,
    last: u32,
    /// The page count from the begin message (`u32::MAX` when unknown).
    begun: Option<u32>,
    reported: bool,
    /// A failure message arrived; only the end message may follow.
    failed: bool,
    finished: bool,
    pages: u32,
    next_index: u32,
    output_bytes: u64,
}

impl Checker {
    pub(crate) fn new(plan: &Plan) -> Self {
        Checker {
            limits: plan.limits.clone(),
            last: plan.last,
            begun: None,
            reported: false,
            failed: false,
            finished: false,
            pages: 0,
            next_index: plan.first - 1,
            output_bytes: 0,
        }
    }

    /// Checks a frame before its body is buffered. `head` holds its first bytes (all of
    /// the page header for a page frame).
    fn check_header(&mut self, head: &[u8], len: usize) -> Result<(), Error> {
        let violation = |m: String| Err(Error::ProtocolViolation(m));
        if self.finished {
            return violation("data after the end message".into());
        }
        if self.failed && head.first() != Some(&TAG_END) {
            return violation("data after a failure message".into());
        }
        if head.first() != Some(&TAG_PAGE) || head.len() < PAGE_HEADER_LEN {
            // Not a page: only small messages exist.
            let max = self.limits.max_report_bytes as usize + 1024;
            return if len > max { violation(format!("a {len}-byte message exceeds {max} bytes")) } else { Ok(()) };
        }
        let word = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4 bytes"));
        let (index, width, height) = (word(1), word(5), word(9));
        let Some(page_count) = self.begun else {
            return violation("a page before the begin message".into());
        };
        if self.pages >= self.limits.max_pages {
            return Err(Error::TooManyPages { limit: self.limits.max_pages });
        }
        let pixels = u64::from(width) * u64::from(height);
        if width == 0 || height == 0 || width > self.limits.max_page_side || height > self.limits.max_page_side || pixels > self.limits.max_page_pixels {
            return Err(Error::PageTooLarge { width, height });
        }
        let bytes = pixel_len(width, height).expect("bounded by max_page_pixels");
        if len as u64 != PAGE_HEADER_LEN as u64 + bytes {
            return violation(format!("page frame of {len} bytes for {width}x{height} pixels"));
        }
        if index != self.next_index || index >= page_count || index > self.last.saturating_sub(1) {
            return violation(format!("page {} out of order or out of range", u64::from(index) + 1));
        }
        self.output_bytes += bytes;
        if self.output_bytes > self.limits.max_output_bytes {
            return Err(Error::OutputLimit { limit: self.limits.max_output_bytes });
        }
        self.pages += 1;
        self.next_index = index + 1;
        Ok(())
    }

    /// Decodes a complete, header-checked frame into an event.
    fn accept(&mut self, body: Vec<u8>) -> Result<Event, Error> {
        let message = Message::decode(&body).map_err(|e| Error::ProtocolViolation(e.to_string()))?;
        let violation = |m: &str| Err(Error::ProtocolViolation(m.into()));
        Ok(match message {
            Message::Begin { format, page_count } => {
                if self.begun.is_some() {
                    return violation("a second begin message");
                }
                self.begun = Some(page_count.unwrap_or(u32::MAX));
                Event::Begin { format, page_count }
            }
            Message::Page(page) => {
                let (index, width, height, dpi) = (page.index, page.width, page.height, page.dpi);
                Event::Page(Page { index, width, height, dpi, frame: body })
            }
            Message::Report { findings } => {
                if self.reported {
                    return violation("a second report");
                }
                self.reported = true;
                let mut checked = Vec::with_capacity(findings.len());
                for f in &findings {
                    // The guest only writes kinds from the one list; any other is a guest
                    // that no longer does what it was built to do.
                    let Some(kind) = FindingKind::from_name(f.kind) else {
                        return violation("a finding of a kind not in the protocol's list");
                    };
                    checked.push(Finding { kind, detail: clean(f.detail) });
                }
                Event::Report(checked)
            }
            Message::Failure { kind, message } => {
                if self.failed {
                    return violation("a second failure message");
                }
                self.failed = true;
                Event::Failure(kind, clean(message))
            }
            Message::End => {
                self.finished = true;
                Event::End
            }
        })
    }
}

/// Text from the guest, made safe to print: no control, bidi or invisible formatting
/// characters, bounded.
pub(crate) fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || invisible(c) { ' ' } else { c }).take(MAX_TEXT_CHARS).collect()
}

/// Characters that change how surrounding text displays, or show nothing at all: bidi
/// marks, embeddings, overrides and isolates; zero-width spaces and joiners; the word
/// joiner and invisible operators; the byte-order mark; interlinear annotation marks.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{061C}' // ARABIC LETTER MARK
        | '\u{180E}' // MONGOLIAN VOWEL SEPARATOR
        | '\u{200B}'..='\u{200F}' // ZWSP, ZWNJ, ZWJ, LRM, RLM
        | '\u{202A}'..='\u{202E}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}' // isolates and deprecated format characters
        | '\u{FEFF}' // zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

/// How the guest's thread ended.
pub(crate) struct GuestOutcome {
    result: wasmtime::Result<()>,
    abort: Option<Error>,
    memory_denied: bool,
    pub(crate) peak_memory: u64,
    pub(crate) fuel_consumed: u64,
    diagnostics: String,
}

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
        match error {
            Some(e) if pages_rendered == 0 => Err(e),
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

/// A fresh store for one document: its limits, fuel, deadline and host state.
fn new_store(pre: &InstancePre<HostState>, plan: Plan, sink: Sink, started: Instant) -> wasmtime::Result<Store<HostState>> {
    let limits = &plan.limits;
    let (fuel, deadline) = (limits.fuel, limits.deadline);
    let state = HostState {
        checker: Checker::new(&plan),
        memory_limit: limits.max_memory_bytes,
        input: plan.request,
        input_pos: 0,
        frames: FrameReader::default(),
        sink,
        diagnostics: Vec::new(),
        random: RANDOM_SEED,
        clock: 0,
        peak_memory: 0,
        memory_denied: false,
        abort: None,
        started,
        waiting: Duration::ZERO,
    };
    crate::engine::start_ticking(pre.module().engine());
    let mut store = Store::new(pre.module().engine(), state);
    store.limiter(|state| state);
    if crate::engine::consumes_fuel(store.engine()) {
        store.set_fuel(fuel)?;
    }
    store.set_epoch_deadline(ticks(deadline));
    store.epoch_deadline_callback(move |ctx| {
        let state = ctx.data();
        let used = state.started.elapsed().saturating_sub(state.waiting);
        Ok(match deadline.checked_sub(used) {
            Some(left) if !left.is_zero() => UpdateDeadline::Continue(ticks(left)),
            _ => UpdateDeadline::Interrupt,
        })
    });
    Ok(store)
}

/// Creates a fresh store and instance and drops them unused: the fixed cost of a document.
pub(crate) fn instantiate_only(pre: &InstancePre<HostState>, plan: Plan) -> Result<(), Error> {
    let _slot = Slots::global().acquire();
    let (events, _receiver) = sync_channel(1);
    let mut store = new_store(pre, plan, Sink::Events(events), Instant::now()).map_err(|e| Error::Setup(e.to_string()))?;
    pre.instantiate(&mut store).map_err(|e| Error::Setup(e.to_string()))?;
    Ok(())
}

/// The guest's side: instantiate, run `_start`, and record how it ended.
pub(crate) fn run_guest(pre: &InstancePre<HostState>, plan: Plan, sink: Sink, started: Instant) -> GuestOutcome {
    let fuel = plan.limits.fuel;
    let mut store = match new_store(pre, plan, sink, started) {
        Ok(store) => store,
        Err(e) => return GuestOutcome { result: Err(e), abort: None, memory_denied: false, peak_memory: 0, fuel_consumed: 0, diagnostics: String::new() },
    };
    let result = pre.instantiate(&mut store).and_then(|instance| {
        let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
        match start.call(&mut store, ()) {
            Err(e) if e.downcast_ref::<GuestExit>() == Some(&GuestExit(0)) => Ok(()),
            other => other,
        }
    });
    // Without fuel (a deadline-only engine) nothing is counted.
    let fuel_left = store.get_fuel().unwrap_or(fuel);
    let state = store.into_data();
    GuestOutcome {
        result,
        abort: state.abort,
        memory_denied: state.memory_denied,
        peak_memory: state.peak_memory,
        fuel_consumed: fuel.saturating_sub(fuel_left),
        diagnostics: clean(String::from_utf8_lossy(&state.diagnostics).trim()),
    }
}

fn ticks(duration: Duration) -> u64 {
    (duration.as_nanos().div_ceil(EPOCH_TICK.as_nanos())).max(1) as u64
}

/// The error the guest's side of a run ended with, if any: a limit, a trap, the host
/// stopping it.
pub(crate) fn classify_outcome(outcome: &GuestOutcome, limits: &Limits) -> Option<Error> {
    if let Some(abort) = &outcome.abort {
        return Some(abort.clone());
    }
    if let Err(error) = &outcome.result {
        if outcome.memory_denied {
            return Some(Error::MemoryLimit { limit: limits.max_memory_bytes });
        }
        let detail = |what: &str| {
            if outcome.diagnostics.is_empty() {
                what.to_owned()
            } else {
                format!("{what}: {}", outcome.diagnostics)
            }
        };
        return Some(match error.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => Error::FuelExhausted { limit: limits.fuel },
            Some(Trap::Interrupt) => Error::DeadlineExceeded { limit: limits.deadline },
            Some(Trap::StackOverflow) => Error::GuestCrashed(detail("stack overflow")),
            Some(trap) => Error::GuestCrashed(detail(&trap.to_string())),
            None => match error.downcast_ref::<GuestExit>() {
                Some(exit) => Error::GuestCrashed(detail(&exit.to_string())),
                None => Error::Setup(format!("{error:#}")),
            },
        });
    }
    None
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

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn report_text_loses_controls_bidi_and_invisible_characters() {
        let hostile = "in\u{202E}voice\u{200F}.pdf\u{200E}\u{061C}\u{200B}\u{200D}\u{2060}\u{FEFF}\u{2066}x\u{2069}\n\u{7}";
        let cleaned = clean(hostile);
        assert_eq!(cleaned, "in voice .pdf       x   ");
        assert!(cleaned.chars().all(|c| c == ' ' || c.is_alphanumeric() || c == '.'));
        // Ordinary text, Japanese included, is kept.
        assert_eq!(clean("請求書 2026.pdf"), "請求書 2026.pdf");
    }
}
