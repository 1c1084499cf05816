//! The optional second layer: rendering each document in a fresh, confined worker process.
//!
//! With [`Isolation::Process`] the WebAssembly sandbox runs inside `docsandbox-worker`, a
//! program that confines itself before it looks at the document (see `worker.rs`): no
//! descriptors but its two pipes, namespaces, an unprivileged user, Landlock, rlimits and a
//! seccomp-bpf allow-list. Should the document ever escape the WebAssembly sandbox, it is
//! still stuck in that process.
//!
//! This process stays in charge: it sends the job down one pipe and reads the guest's raw
//! output back from the other, checking every frame exactly as it does in-process (the
//! worker checks them too, to stop the guest early). A worker that dies, is killed or goes
//! quiet past the deadline becomes a typed error, and the next document gets a new worker.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::{Duration, Instant};

use crate::document::{Stats, Summary};
use crate::session::{clean, Checker, Event, FrameReader, OnPage, Plan, Received};
use crate::{Error, Limits};

/// Where documents are rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Isolation {
    /// In this process, in a fresh WebAssembly instance per document. The default.
    #[default]
    InProcess,
    /// Linux only: in a fresh WebAssembly instance inside a fresh worker process per
    /// document, the worker confined by namespaces, Landlock, rlimits and a seccomp-bpf
    /// allow-list ([`Isolation::layers`] says which are in place). Costs about 0.2 s per
    /// document on a 2-core machine, mostly the worker loading the compiled guest
    /// (`cargo bench --bench sandbox -- isolation`). `worker` is the `docsandbox-worker`
    /// program, built from this crate; [`Isolation::process`] finds it.
    Process {
        /// Path of the `docsandbox-worker` program.
        worker: PathBuf,
    },
}

/// Name of the worker program.
pub const WORKER_PROGRAM: &str = "docsandbox-worker";

impl Isolation {
    /// [`Isolation::Process`] with the worker program from `$DOCSANDBOX_WORKER`, else
    /// `docsandbox-worker` next to the running program or one directory up (where cargo
    /// puts it for tests).
    pub fn process() -> Result<Isolation, Error> {
        if let Some(path) = std::env::var_os("DOCSANDBOX_WORKER") {
            return Ok(Isolation::Process { worker: path.into() });
        }
        let exe = std::env::current_exe().map_err(|e| Error::Setup(format!("cannot locate the running program: {e}")))?;
        exe.ancestors()
            .skip(1)
            .take(2)
            .map(|dir| dir.join(WORKER_PROGRAM))
            .find(|candidate| candidate.is_file())
            .map(|worker| Isolation::Process { worker })
            .ok_or_else(|| Error::Setup(format!("no {WORKER_PROGRAM} program next to {} (set DOCSANDBOX_WORKER)", exe.display())))
    }
}

/// One layer of a worker's confinement, as the worker reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// What the layer is ("seccomp", "landlock", "user namespace"...).
    pub name: String,
    /// Whether it is in place; a layer the kernel lacks is skipped, never silently.
    pub active: bool,
    /// What it covers, or why it was skipped.
    pub detail: String,
}

impl Layer {
    pub(crate) fn active(name: &str, detail: String) -> Layer {
        Layer { name: name.to_owned(), active: true, detail }
    }

    pub(crate) fn skipped(name: &str, detail: String) -> Layer {
        Layer { name: name.to_owned(), active: false, detail }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.name, if self.active { "active" } else { "skipped" }, self.detail)
    }
}

impl Isolation {
    /// The layers between a document and this system: for [`Isolation::Process`], those a
    /// fresh worker reports once it has confined itself on this kernel (it is started for
    /// the purpose, and renders nothing).
    pub fn layers(&self) -> Result<Vec<Layer>, Error> {
        let wasm = Layer::active(
            "webassembly",
            "a fresh Wasmtime instance per document: no imports but seven harmless WASI calls; bounded fuel, time, memory and output".into(),
        );
        match self {
            Isolation::InProcess => Ok(vec![wasm]),
            Isolation::Process { worker } => {
                let plan = Plan { limits: Limits::default(), first: 1, last: 1, request: Vec::new() };
                // Nothing is rendered, so the run's own result (no pages, no end message)
                // says nothing; what counts is the list.
                let (result, layers) = run_job(worker, plan, JobKind::Layers, &mut |_, _| std::ops::ControlFlow::Continue(()));
                if layers.is_empty() {
                    return Err(match result {
                        Err(e @ (Error::WorkerCrashed(_) | Error::Setup(_) | Error::DeadlineExceeded { .. })) => e,
                        _ => Error::WorkerCrashed("the worker reported no layers".into()),
                    });
                }
                Ok(std::iter::once(wasm).chain(layers).collect())
            }
        }
    }
}

/// Something a test asks the worker to do after it has confined itself, in place of a
/// document, to show that the confinement holds. Each must kill the worker.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// Open a file.
    OpenFile,
    /// Create a socket.
    Socket,
    /// Start a program.
    Spawn,
}

/// Time the worker gets beyond the deadline before it is killed: starting, loading the
/// compiled guest, and sending the last bytes.
const WORKER_GRACE: Duration = Duration::from_secs(5);

/// Envelope tags on the worker's output pipe.
const TAG_GUEST_BYTES: u8 = 1;
const TAG_OUTCOME: u8 = 2;
const TAG_LAYERS: u8 = 3;

/// Largest envelope other than guest bytes (the outcome, the layer list): small messages.
const MAX_SMALL_ENVELOPE: u64 = 64 << 10;

/// Guest bytes are read from the pipe and checked in pieces of at most this size.
const READ_PIECE: usize = 64 << 10;

/// What a job asks the worker to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobKind {
    /// Render the document.
    Render,
    /// Confine itself, report its layers and exit.
    Layers,
    /// Confine itself and try something forbidden.
    Probe(Probe),
}

/// Magic at the start of a job on the worker's input pipe.
const JOB_MAGIC: &[u8; 4] = b"DSWJ";

/// Writes the worker's confinement layers (worker side), as lines of
/// `active\tname\tdetail`.
pub(crate) fn write_layers(pipe: &mut dyn Write, layers: &[Layer]) -> std::io::Result<()> {
    let text: String = layers.iter().map(|l| format!("{}\t{}\t{}\n", u8::from(l.active), l.name, l.detail)).collect();
    write_envelope(pipe, TAG_LAYERS, text.as_bytes())
}

fn decode_layers(payload: &[u8]) -> Option<Vec<Layer>> {
    std::str::from_utf8(payload)
        .ok()?
        .lines()
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let active = fields.next()? == "1";
            Some(Layer { active, name: clean(fields.next()?), detail: clean(fields.next()?) })
        })
        .collect()
}

/// Writes guest output bytes to the pipe back to the host (worker side).
pub(crate) fn write_guest_bytes(pipe: &mut dyn Write, bytes: &[u8]) -> std::io::Result<()> {
    write_envelope(pipe, TAG_GUEST_BYTES, bytes)
}

fn write_envelope(pipe: &mut dyn Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| std::io::Error::other("envelope too large"))?;
    let mut head = [0u8; 5];
    head[0] = tag;
    head[1..].copy_from_slice(&len.to_le_bytes());
    pipe.write_all(&head)?;
    pipe.write_all(payload)?;
    pipe.flush()
}

/// Renders one document in a fresh worker process, handing each page to `on_page`.
pub(crate) fn run(worker: &Path, plan: Plan, probe: Option<Probe>, on_page: &mut OnPage<'_>) -> Result<Summary, Error> {
    let kind = probe.map_or(JobKind::Render, JobKind::Probe);
    run_job(worker, plan, kind, on_page).0
}

/// Runs one job in a fresh worker; also returns the layers the worker reported.
fn run_job(worker: &Path, plan: Plan, kind: JobKind, on_page: &mut OnPage<'_>) -> (Result<Summary, Error>, Vec<Layer>) {
    let started = Instant::now();
    let limits = plan.limits.clone();
    // The worker is killed at this point whatever it is doing.
    let kill_at = started + limits.deadline + WORKER_GRACE;
    let job = encode_job(&plan, kind);
    let mut command = Command::new(worker);
    command.env_clear().stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
    // The worker loads the compiled guest from the same cache as this process, with the
    // same ownership checks.
    if let Some(dir) = crate::cache::default_dir() {
        command.env("DOCSANDBOX_CACHE_DIR", dir);
    } else {
        command.env("DOCSANDBOX_CACHE_DIR", "");
    }
    if let Some(value) = std::env::var_os("DOCSANDBOX_ON_DEMAND_ALLOCATION") {
        command.env("DOCSANDBOX_ON_DEMAND_ALLOCATION", value);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return (Err(Error::Setup(format!("cannot start the worker {}: {e}", worker.display()))), Vec::new()),
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return (Err(Error::Setup("the worker has no pipes".into())), Vec::new());
    };
    let mut received = Received::new(plan.first, plan.last, limits.max_pages);
    let checker = Checker::new(&plan);
    let (sender, receiver) = sync_channel(1);
    let (answered, reply) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            // The worker reads the whole job before it writes anything.
            if stdin.write_all(&job).is_err() {
                return Reply::default();
            }
            drop(stdin);
            read_replies(stdout, checker, &sender)
        });
        let answered = received.receive(&receiver, on_page, Some(kill_at));
        if !answered || received.cancelled() {
            let _ = child.kill();
        }
        drop(receiver);
        let reply: Reply = reader.join().unwrap_or_default();
        // A worker whose output broke the rules may still be computing: stop it now.
        if reply.abort.is_some() {
            let _ = child.kill();
        }
        (answered, reply)
    });
    // The pipes are closed, but the worker may still live (it may have closed them
    // itself and gone to sleep): it gets until the deadline plus grace, then is killed.
    let (status, killed_late) = match wait_until(&mut child, kill_at + received.callback_time) {
        Ok(ended) => ended,
        Err(e) => return (Err(Error::Setup(format!("cannot wait for the worker: {e}"))), reply.layers),
    };
    let (fuel_consumed, peak_memory_bytes) = reply.outcome.as_ref().map_or((0, 0), |o| (o.fuel_consumed, o.peak_memory));
    let error = if !answered {
        Some(Error::DeadlineExceeded { limit: limits.deadline })
    } else if let Some(abort) = reply.abort {
        Some(abort)
    } else {
        match reply.outcome {
            Some(outcome) => outcome.error,
            None if received.cancelled() => None,
            None if killed_late => Some(Error::DeadlineExceeded { limit: limits.deadline }),
            None => Some(Error::WorkerCrashed(describe(status))),
        }
    };
    (received.finish(error, Stats { fuel_consumed, peak_memory_bytes, wall_time: started.elapsed() }, &limits), reply.layers)
}

/// Waits for the worker to exit, killing it at `kill_at`. Says whether it had to be killed.
fn wait_until(child: &mut Child, kill_at: Instant) -> std::io::Result<(ExitStatus, bool)> {
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, false));
        }
        let now = Instant::now();
        if now >= kill_at {
            let _ = child.kill();
            return Ok((child.wait()?, true));
        }
        std::thread::sleep(pause.min(kill_at - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// What the worker sent besides pages.
#[derive(Default)]
struct Reply {
    /// Why this side stopped reading: a frame that broke the protocol or a limit.
    abort: Option<Error>,
    /// The worker's account of how the guest ended; missing when the worker died.
    outcome: Option<Outcome>,
    /// The worker's confinement, as it reported it.
    layers: Vec<Layer>,
}

/// How the guest ended, as the worker saw it.
#[derive(Debug, PartialEq)]
pub(crate) struct Outcome {
    pub fuel_consumed: u64,
    pub peak_memory: u64,
    pub error: Option<Error>,
}

/// Reads envelopes until the worker's outcome or the end of the pipe, checking the
/// guest's bytes as they come, in pieces, and passing the events on. Nothing is buffered
/// beyond what the frame checker has accepted: a declared length is never trusted.
fn read_replies(mut pipe: impl Read, mut checker: Checker, events: &SyncSender<Event>) -> Reply {
    let mut frames = FrameReader::default();
    let mut reply = Reply::default();
    let mut head = [0u8; 5];
    let mut piece = vec![0u8; READ_PIECE];
    while pipe.read_exact(&mut head).is_ok() {
        let len = u64::from(u32::from_le_bytes(head[1..].try_into().expect("4 bytes")));
        match head[0] {
            TAG_GUEST_BYTES => {
                let mut left = len;
                while left > 0 {
                    let want = usize::try_from(left).unwrap_or(READ_PIECE).min(READ_PIECE);
                    // A lying length just ends in a short read.
                    if pipe.read_exact(&mut piece[..want]).is_err() {
                        return reply;
                    }
                    left -= want as u64;
                    let mut batch = Vec::new();
                    let fed = frames.feed(&piece[..want], &mut checker, &mut batch);
                    if batch.into_iter().any(|event| events.send(event).is_err()) {
                        return reply;
                    }
                    if let Err(e) = fed {
                        reply.abort = Some(e);
                        return reply;
                    }
                }
            }
            TAG_OUTCOME | TAG_LAYERS => {
                if len > MAX_SMALL_ENVELOPE {
                    reply.abort = Some(Error::ProtocolViolation(format!("the worker sent a {len}-byte message")));
                    return reply;
                }
                let mut buffer = Vec::new();
                if pipe.by_ref().take(len).read_to_end(&mut buffer).is_err() || buffer.len() as u64 != len {
                    return reply;
                }
                if head[0] == TAG_LAYERS {
                    match decode_layers(&buffer) {
                        Some(layers) => reply.layers = layers,
                        None => {
                            reply.abort = Some(Error::ProtocolViolation("the worker sent unreadable layers".into()));
                            return reply;
                        }
                    }
                    continue;
                }
                reply.outcome = decode_outcome(&buffer);
                if reply.outcome.is_none() {
                    reply.abort = Some(Error::ProtocolViolation("the worker sent an unreadable outcome".into()));
                }
                return reply;
            }
            tag => {
                reply.abort = Some(Error::ProtocolViolation(format!("the worker sent an unknown envelope {tag}")));
                return reply;
            }
        }
    }
    reply
}

/// How the worker ended, for the error message.
fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => " (SIGABRT)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                24 => " (SIGXCPU)",
                31 => " (SIGSYS: a system call the filter forbids)",
                _ => "",
            };
            return format!("the worker process was killed by signal {signal}{name}");
        }
    }
    format!("the worker process ended without an answer ({status})")
}

// ---- The job: this process → worker -------------------------------------------------

/// A job as the worker receives it.
pub(crate) struct Job {
    pub plan: Plan,
    pub kind: JobKind,
}

fn encode_job(plan: &Plan, kind: JobKind) -> Vec<u8> {
    let l = &plan.limits;
    let mut out = Vec::with_capacity(plan.request.len() + 128);
    out.extend_from_slice(JOB_MAGIC);
    out.push(match kind {
        JobKind::Render => 0,
        JobKind::Probe(Probe::OpenFile) => 1,
        JobKind::Probe(Probe::Socket) => 2,
        JobKind::Probe(Probe::Spawn) => 3,
        JobKind::Layers => 4,
    });
    for value in [l.max_input_bytes, l.fuel, l.deadline.as_nanos().min(u128::from(u64::MAX)) as u64, l.max_memory_bytes, l.max_page_pixels, l.max_output_bytes]
    {
        out.extend_from_slice(&value.to_le_bytes());
    }
    for value in [l.max_pages, l.max_page_side, *l.dpi_range.start(), *l.dpi_range.end(), l.max_report_bytes, plan.first, plan.last] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&(plan.request.len() as u64).to_le_bytes());
    out.extend_from_slice(&plan.request);
    out
}

/// Reads a job from the worker's input pipe.
pub(crate) fn read_job(mut pipe: impl Read) -> std::io::Result<Job> {
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut head = [0u8; 4 + 1 + 6 * 8 + 7 * 4 + 8];
    pipe.read_exact(&mut head)?;
    if &head[..4] != JOB_MAGIC {
        return Err(invalid("not a docsandbox job"));
    }
    let kind = match head[4] {
        0 => JobKind::Render,
        1 => JobKind::Probe(Probe::OpenFile),
        2 => JobKind::Probe(Probe::Socket),
        3 => JobKind::Probe(Probe::Spawn),
        4 => JobKind::Layers,
        _ => return Err(invalid("unknown job")),
    };
    let u64_at = |i: usize| u64::from_le_bytes(head[5 + 8 * i..13 + 8 * i].try_into().expect("8 bytes"));
    let u32_at = |i: usize| u32::from_le_bytes(head[53 + 4 * i..57 + 4 * i].try_into().expect("4 bytes"));
    let limits = Limits {
        max_input_bytes: u64_at(0),
        fuel: u64_at(1),
        deadline: Duration::from_nanos(u64_at(2)),
        max_memory_bytes: u64_at(3),
        max_page_pixels: u64_at(4),
        max_output_bytes: u64_at(5),
        max_pages: u32_at(0),
        max_page_side: u32_at(1),
        dpi_range: u32_at(2)..=u32_at(3),
        max_report_bytes: u32_at(4),
    };
    let (first, last) = (u32_at(5), u32_at(6));
    let len = u64::from_le_bytes(head[81..89].try_into().expect("8 bytes"));
    // The request carries the document plus a small header.
    if len > limits.max_input_bytes.saturating_add(1 << 20) {
        return Err(invalid("request larger than the input limit"));
    }
    let mut request = Vec::with_capacity(len as usize);
    pipe.take(len).read_to_end(&mut request)?;
    if request.len() as u64 != len {
        return Err(invalid("truncated job"));
    }
    Ok(Job { plan: Plan { limits, first, last, request }, kind })
}

// ---- The outcome: worker → this process -----------------------------------------------

/// Writes the worker's outcome envelope.
pub(crate) fn write_outcome(pipe: &mut dyn Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut payload = Vec::new();
    payload.extend_from_slice(&outcome.fuel_consumed.to_le_bytes());
    payload.extend_from_slice(&outcome.peak_memory.to_le_bytes());
    let (tag, a, b, text) = match &outcome.error {
        None => (0u8, 0, 0, ""),
        Some(e) => error_fields(e),
    };
    payload.push(tag);
    payload.extend_from_slice(&a.to_le_bytes());
    payload.extend_from_slice(&b.to_le_bytes());
    payload.extend_from_slice(text.as_bytes());
    write_envelope(pipe, TAG_OUTCOME, &payload)
}

fn decode_outcome(payload: &[u8]) -> Option<Outcome> {
    let word = |i: usize| payload.get(i..i + 8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    let (fuel_consumed, peak_memory) = (word(0)?, word(8)?);
    let (tag, a, b) = (*payload.get(16)?, word(17)?, word(25)?);
    let text = clean(std::str::from_utf8(payload.get(33..)?).ok()?);
    let error = if tag == 0 { None } else { Some(error_from_fields(tag, a, b, text)?) };
    Some(Outcome { fuel_consumed, peak_memory, error })
}

/// An error as a tag, two numbers and a text.
fn error_fields(error: &Error) -> (u8, u64, u64, &str) {
    match error {
        Error::InputTooLarge { size, limit } => (1, *size, *limit, ""),
        Error::InvalidOptions(m) => (2, 0, 0, m),
        Error::PageRangeOutOfBounds { first, page_count } => (3, u64::from(*first), u64::from(*page_count), ""),
        Error::Unsupported(m) => (4, 0, 0, m),
        Error::Malformed(m) => (5, 0, 0, m),
        Error::PasswordRequired => (6, 0, 0, ""),
        Error::WrongPassword => (7, 0, 0, ""),
        Error::FuelExhausted { limit } => (8, *limit, 0, ""),
        Error::DeadlineExceeded { limit } => (9, limit.as_nanos().min(u128::from(u64::MAX)) as u64, 0, ""),
        Error::MemoryLimit { limit } => (10, *limit, 0, ""),
        Error::TooManyPages { limit } => (11, u64::from(*limit), 0, ""),
        Error::PageTooLarge { width, height } => (12, u64::from(*width), u64::from(*height), ""),
        Error::OutputLimit { limit } => (13, *limit, 0, ""),
        Error::GuestCrashed(m) => (14, 0, 0, m),
        Error::ProtocolViolation(m) => (15, 0, 0, m),
        Error::Cancelled => (16, 0, 0, ""),
        Error::Setup(m) => (17, 0, 0, m),
        Error::WorkerCrashed(m) => (18, 0, 0, m),
    }
}

fn error_from_fields(tag: u8, a: u64, b: u64, text: String) -> Option<Error> {
    let small = |n: u64| u32::try_from(n).ok();
    Some(match tag {
        1 => Error::InputTooLarge { size: a, limit: b },
        2 => Error::InvalidOptions(text),
        3 => Error::PageRangeOutOfBounds { first: small(a)?, page_count: small(b)? },
        4 => Error::Unsupported(text),
        5 => Error::Malformed(text),
        6 => Error::PasswordRequired,
        7 => Error::WrongPassword,
        8 => Error::FuelExhausted { limit: a },
        9 => Error::DeadlineExceeded { limit: Duration::from_nanos(a) },
        10 => Error::MemoryLimit { limit: a },
        11 => Error::TooManyPages { limit: small(a)? },
        12 => Error::PageTooLarge { width: small(a)?, height: small(b)? },
        13 => Error::OutputLimit { limit: a },
        14 => Error::GuestCrashed(text),
        15 => Error::ProtocolViolation(text),
        16 => Error::Cancelled,
        17 => Error::Setup(text),
        18 => Error::WorkerCrashed(text),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_survives_the_pipe() {
        let errors = [
            Error::InputTooLarge { size: 5, limit: 4 },
            Error::InvalidOptions("dpi".into()),
            Error::PageRangeOutOfBounds { first: 9, page_count: 2 },
            Error::Unsupported("RTF".into()),
            Error::Malformed("bad xref".into()),
            Error::PasswordRequired,
            Error::WrongPassword,
            Error::FuelExhausted { limit: 77 },
            Error::DeadlineExceeded { limit: Duration::from_millis(1500) },
            Error::MemoryLimit { limit: 1 << 29 },
            Error::TooManyPages { limit: 3 },
            Error::PageTooLarge { width: 1, height: 2 },
            Error::OutputLimit { limit: 10 },
            Error::GuestCrashed("trap".into()),
            Error::ProtocolViolation("second begin".into()),
            Error::Cancelled,
            Error::Setup("engine".into()),
            Error::WorkerCrashed("signal".into()),
        ];
        for error in errors {
            let outcome = Outcome { fuel_consumed: 12, peak_memory: 34, error: Some(error) };
            let mut pipe = Vec::new();
            write_outcome(&mut pipe, &outcome).unwrap();
            assert_eq!(pipe[0], TAG_OUTCOME);
            assert_eq!(decode_outcome(&pipe[5..]), Some(outcome));
        }
        assert_eq!(decode_outcome(&[0; 20]), None);
    }

    #[test]
    fn a_job_survives_the_pipe() {
        let limits = Limits::default().fuel(123).deadline(Duration::from_millis(4567)).max_pages(9);
        let plan = Plan { limits: limits.clone(), first: 2, last: u32::MAX, request: b"request bytes".to_vec() };
        let job = read_job(&encode_job(&plan, JobKind::Probe(Probe::Socket))[..]).unwrap();
        assert_eq!(job.plan.limits, limits);
        assert_eq!((job.plan.first, job.plan.last, &job.plan.request[..]), (2, u32::MAX, &b"request bytes"[..]));
        assert_eq!(job.kind, JobKind::Probe(Probe::Socket));
        let encoded = encode_job(&plan, JobKind::Render);
        assert!(read_job(&encoded[..encoded.len() - 1]).is_err());
    }
}
