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

use docsandbox_protocol::bytes::u32_at;

use crate::boundary::{Checker, Event, FrameReader, Plan};
use crate::document::{Stats, Summary};
use crate::session::{OnPage, Received};
use wire::{decode_layers, decode_outcome, encode_job, JobKind, Outcome, MAX_SMALL_ENVELOPE, TAG_GUEST_BYTES, TAG_LAYERS, TAG_OUTCOME};

pub(crate) mod wire;
pub mod worker;
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
    /// [`Isolation::Process`] with `docsandbox-worker` next to the running program or one
    /// directory up (where cargo puts it for tests). Elsewhere, name it:
    /// `Isolation::Process { worker }`.
    ///
    /// Process isolation confines the worker with Linux's own mechanisms; on other systems
    /// this is an [`Error::Setup`] (as is a sandbox asked for it), never a worker without
    /// its confinement.
    pub fn process() -> Result<Isolation, Error> {
        if !cfg!(target_os = "linux") {
            return Err(unavailable());
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

/// Why process isolation cannot be set up on this system.
pub(crate) fn unavailable() -> Error {
    Error::Setup(format!("process isolation is available on Linux only, not on {}: render in process (the WebAssembly sandbox) instead", std::env::consts::OS))
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

    #[cfg(target_os = "linux")]
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
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
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

/// Guest bytes are read from the pipe and checked in pieces of at most this size.
const READ_PIECE: usize = 64 << 10;

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
    // same ownership checks, and allocates instances the same way: it takes this process's
    // engine settings from its environment (`EngineConfig::from_env`).
    if let Some(dir) = crate::cache::default_dir() {
        command.env("DOCSANDBOX_CACHE_DIR", dir);
    } else {
        command.env("DOCSANDBOX_CACHE_DIR", "");
    }
    if crate::config::current().on_demand_allocation {
        command.env("DOCSANDBOX_ON_DEMAND_ALLOCATION", "1");
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

/// Reads envelopes until the worker's outcome or the end of the pipe, checking the
/// guest's bytes as they come, in pieces, and passing the events on. Nothing is buffered
/// beyond what the frame checker has accepted: a declared length is never trusted.
fn read_replies(mut pipe: impl Read, mut checker: Checker, events: &SyncSender<Event>) -> Reply {
    let mut frames = FrameReader::default();
    let mut reply = Reply::default();
    let mut head = [0u8; 5];
    let mut piece = vec![0u8; READ_PIECE];
    while pipe.read_exact(&mut head).is_ok() {
        let len = u64::from(u32_at(&head, 1).expect("a 5-byte envelope head"));
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
