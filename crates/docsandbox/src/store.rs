//! The Wasmtime side of one document: a fresh [`Store`] with the document's limits (memory,
//! fuel, epoch deadline), the host state behind the guest's imports ([`HostState`], which
//! feeds every byte the guest writes through the boundary's checks), running `_start` on
//! the current thread, and classifying how the run ended.

use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use wasmtime::{InstancePre, ResourceLimiter, Store, Trap, UpdateDeadline};

use crate::boundary::{clean, Checker, Event, FrameReader, Plan};
use crate::engine::{Slots, EPOCH_TICK};
use crate::{Error, Limits};

/// Bytes of guest diagnostics (stderr, e.g. a panic message) kept for error messages.
const MAX_DIAGNOSTICS: usize = 4096;

/// Seed of the deterministic random stream.
pub(crate) const RANDOM_SEED: u64 = 0x6473_616e_6462_6f78; // "dsandbox"

/// The guest's request to end (WASI `proc_exit`), carried as a trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GuestExit(pub i32);

impl std::fmt::Display for GuestExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "guest exited with status {}", self.0)
    }
}

impl std::error::Error for GuestExit {}

/// Where a run's validated output goes.
pub(crate) enum Sink {
    /// As events to the caller's thread (rendering in this process).
    Events(std::sync::mpsc::SyncSender<Event>),
    /// As the guest's raw bytes, once checked, to the process that asked for the
    /// rendering (in a worker process; that process checks them again).
    #[cfg(target_os = "linux")]
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
            #[cfg(target_os = "linux")]
            Sink::Pipe(pipe) => {
                let good = if fed.is_ok() { bytes.len() } else { self.frames.completed };
                crate::isolation::wire::write_guest_bytes(pipe, &bytes[..good]).map_err(|_| Error::Cancelled)
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

/// How the guest's thread ended.
pub(crate) struct GuestOutcome {
    result: wasmtime::Result<()>,
    abort: Option<Error>,
    memory_denied: bool,
    pub(crate) peak_memory: u64,
    pub(crate) fuel_consumed: u64,
    diagnostics: String,
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

/// SplitMix64: small, fast and deterministic; the guest only seeds hash maps with it.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
