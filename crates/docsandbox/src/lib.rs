//! # docsandbox
//!
//! Renders untrusted documents to page images inside a capability-free WebAssembly
//! sandbox. Every parser and renderer runs in a guest module (built from `guest/` for
//! `wasm32-wasip1`); this crate runs each document in a fresh Wasmtime instance that has
//! no files, no network, no environment and no real clock, and that is bounded in fuel,
//! wall-clock time, memory and output. The guest hands back raw pixels only; this crate
//! checks them and encodes the PNG itself.
//!
//! ```
//! use docsandbox::{Limits, RenderOptions, Sandbox};
//!
//! let sandbox = Sandbox::new(Limits::default())?; // Send + Sync: share it across threads
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/welcome.pdf");
//! let bytes = std::fs::read(path)?; // an attachment
//! let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72))?;
//! let out = std::env::temp_dir();
//! for page in doc.pages() {
//!     std::fs::write(out.join(format!("page-{:04}.png", page.number())), page.to_png())?;
//! }
//! assert_eq!(doc.pages().len(), 1);
//! if doc.report().has("javascript") {
//!     eprintln!("note: the document contains JavaScript (it was not run)");
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Security model: the document is assumed to take over the guest. What protects the
//! host is Wasmtime's isolation, an import list of seven harmless WASI functions
//! ([`ALLOWED_IMPORTS`]), the [`Limits`], and the rule that only validated pixels cross
//! back. The [`Report`] is advisory: it comes from the guest.
#![deny(unsafe_code)]
#![deny(missing_docs)]

mod boundary;
mod cache;
mod config;
mod document;
mod engine;
mod error;
mod isolation;
mod limits;
mod options;
pub mod safe_pdf;
mod session;
mod settings;
mod store;
mod wasi;
pub use isolation::worker;

use std::ops::{ControlFlow, RangeInclusive};

use docsandbox_protocol::Request;
use wasmtime::{ExternType, InstancePre, Linker, Module};

pub use config::{configure, CacheLocation, EngineConfig};
pub use docsandbox_protocol::FindingKind;
pub use document::{Document, Finding, Page, Progress, Report, Stats, Summary};
pub use error::{Error, ErrorKind};
#[cfg(feature = "testing")]
pub use isolation::Probe;
pub use isolation::{Isolation, Layer, WORKER_PROGRAM};
pub use limits::Limits;
pub use options::RenderOptions;
pub use safe_pdf::PdfImages;
pub use wasi::{ALLOWED_IMPORTS, WASI_MODULE};

use boundary::Plan;
use store::HostState;

/// A document sandbox: the guest, ready to instantiate, plus the limits every document
/// gets. Cheap to share (`Send + Sync`); render from as many threads as you like. Up to 64
/// documents render at once in a process (the engine's instance pool); more wait their turn.
pub struct Sandbox {
    pre: InstancePre<HostState>,
    limits: Limits,
    isolation: Isolation,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("limits", &self.limits).field("isolation", &self.isolation).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A sandbox running the embedded guest.
    ///
    /// The first call in a process loads the compiled guest: from the on-disk cache
    /// ([`EngineConfig::cache`], by default `~/.cache/docsandbox`), else from the
    /// precompiled copy embedded in the library, else compiling it (a few seconds, once per
    /// machine the build did not target). Later calls are cheap.
    pub fn new(limits: Limits) -> Result<Sandbox, Error> {
        let engine = engine::engine(engine::CpuBound::FuelAndDeadline)?;
        Sandbox::from_module(engine::embedded_guest(engine, engine::CpuBound::FuelAndDeadline)?, limits)
    }

    /// A sandbox running the embedded guest with the given isolation: with
    /// [`Isolation::Process`] (Linux), every document is rendered in a fresh confined
    /// worker process, a second layer around the WebAssembly sandbox.
    pub fn with_isolation(limits: Limits, isolation: Isolation) -> Result<Sandbox, Error> {
        let mut sandbox = Sandbox::new(limits)?;
        if let Isolation::Process { worker } = &isolation {
            if !cfg!(target_os = "linux") {
                return Err(isolation::unavailable());
            }
            if !worker.is_file() {
                return Err(Error::Setup(format!("the worker program {} does not exist", worker.display())));
            }
        }
        sandbox.isolation = isolation;
        Ok(sandbox)
    }

    /// How this sandbox isolates documents.
    pub fn isolation(&self) -> &Isolation {
        &self.isolation
    }

    /// A sandbox whose CPU use is bounded by the deadline alone, without fuel: not
    /// deterministic, and [`Limits::fuel`] is ignored. Exists to measure what fuel costs
    /// (`cargo bench --bench sandbox -- interruption`).
    #[cfg(feature = "testing")]
    pub fn new_deadline_only(limits: Limits) -> Result<Sandbox, Error> {
        let engine = engine::engine(engine::CpuBound::DeadlineOnly)?;
        Sandbox::from_module(engine::embedded_guest(engine, engine::CpuBound::DeadlineOnly)?, limits)
    }

    /// A sandbox running another guest module (WebAssembly binary).
    ///
    /// Meant for testing the sandbox itself with deliberately hostile guests, and for
    /// fuzzing. The module is held to the same import allow-list and limits.
    pub fn with_guest(wasm: &[u8], limits: Limits) -> Result<Sandbox, Error> {
        let engine = engine::engine(engine::CpuBound::FuelAndDeadline)?;
        Sandbox::from_module(&engine::compile(engine, wasm)?, limits)
    }

    fn from_module(module: &Module, limits: Limits) -> Result<Sandbox, Error> {
        limits.validate().map_err(Error::InvalidOptions)?;
        check_imports(module)?;
        let mut linker = Linker::new(module.engine());
        wasi::add_to_linker(&mut linker).map_err(|e| Error::Setup(e.to_string()))?;
        let pre = linker.instantiate_pre(module).map_err(|e| Error::Setup(format!("cannot link the guest: {e}")))?;
        Ok(Sandbox { pre, limits, isolation: Isolation::InProcess })
    }

    /// The limits every document gets.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Renders a document, keeping every page.
    ///
    /// Returns an error when no page could be produced. When some pages were produced and
    /// then a limit or a failure stopped the rest, they come back with the reason in
    /// [`Document::truncated`].
    pub fn render(&self, bytes: &[u8], options: &RenderOptions) -> Result<Document, Error> {
        let mut pages = Vec::new();
        let summary = self.render_streaming(bytes, options, |page, _| {
            pages.push(page);
            ControlFlow::Continue(())
        })?;
        Ok(Document { pages, summary })
    }

    /// Renders like [`Sandbox::render`], but splits a long document's pages into up to
    /// `instances` contiguous ranges rendered at the same time, each in its own instance and
    /// each within the limits on its own. Worth it for long PDFs when cores are free. A
    /// document of unknown length, with fewer than two pages per instance, or asking for
    /// more pages than [`Limits::max_pages`] renders in one instance as usual. Costs one
    /// extra read of the document's structure, to count its pages.
    pub fn render_parallel(&self, bytes: &[u8], options: &RenderOptions, instances: usize) -> Result<Document, Error> {
        let started = std::time::Instant::now();
        let count = if instances > 1 { self.inspect(bytes, options)?.page_count } else { None };
        let (first, last) = options.pages.as_ref().map_or((1, u32::MAX), |r| (*r.start(), *r.end()));
        let Some(last) = count.map(|count| last.min(count)).filter(|&last| last >= first) else {
            return self.render(bytes, options);
        };
        let wanted = last - first + 1;
        let instances = u32::try_from(instances).unwrap_or(u32::MAX);
        if wanted < 2 * instances || wanted > self.limits.max_pages {
            return self.render(bytes, options);
        }
        let chunk = wanted.div_ceil(instances);
        let ranges: Vec<RangeInclusive<u32>> =
            (0..instances).map(|i| first + i * chunk..=(first + (i + 1) * chunk - 1).min(last)).filter(|r| !r.is_empty()).collect();
        let results: Vec<Result<Document, Error>> = std::thread::scope(|s| {
            let handles: Vec<_> = ranges.into_iter().map(|range| s.spawn(move || self.render(bytes, &options.clone().pages(range)))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::Setup("a render thread panicked".into())))).collect()
        });
        // Stitch the ranges back in order; the first failure ends the document there, as
        // it would have in one instance.
        let mut pages = Vec::new();
        let mut summary: Option<Summary> = None;
        for result in results {
            let document = match result {
                Ok(document) => document,
                Err(e) => match summary.as_mut() {
                    None => return Err(e),
                    Some(summary) => {
                        summary.truncated = Some(e);
                        break;
                    }
                },
            };
            let stopped = document.summary.truncated.clone();
            match summary.as_mut() {
                None => summary = Some(document.summary.clone()),
                Some(summary) => {
                    summary.stats.fuel_consumed += document.summary.stats.fuel_consumed;
                    summary.stats.peak_memory_bytes = summary.stats.peak_memory_bytes.max(document.summary.stats.peak_memory_bytes);
                    summary.truncated = stopped.clone();
                }
            }
            pages.extend(document.pages);
            if stopped.is_some() {
                break;
            }
        }
        let mut summary = summary.expect("at least one range");
        summary.pages_rendered = u32::try_from(pages.len()).unwrap_or(u32::MAX);
        summary.stats.wall_time = started.elapsed();
        Ok(Document { pages, summary })
    }

    /// Renders a document, handing each page to `on_page` as soon as it is ready, with
    /// the [`Progress`] so far, and keeping none. Return [`ControlFlow::Break`] from the
    /// callback to stop early (the summary then says [`Error::Cancelled`]).
    ///
    /// Time spent in the callback does not count against [`Limits::deadline`].
    pub fn render_streaming(
        &self,
        bytes: &[u8],
        options: &RenderOptions,
        mut on_page: impl FnMut(Page, Progress) -> ControlFlow<()>,
    ) -> Result<Summary, Error> {
        let plan = self.plan(bytes, options, self.limits.max_pages)?;
        let mut summary = self.run(plan, &mut on_page)?;
        summary.report.check_extension(options.file_name.as_deref());
        Ok(summary)
    }

    /// Reads the document's structure and returns the advisory report without rendering
    /// any page.
    pub fn inspect(&self, bytes: &[u8], options: &RenderOptions) -> Result<Report, Error> {
        let summary = self.inspect_summary(bytes, options)?;
        match summary.truncated {
            Some(error) => Err(error),
            None => Ok(summary.report),
        }
    }

    /// Inspects like [`Sandbox::inspect`], but keeps what the guest reported before an
    /// error it ended with (an encrypted document without its password, a damaged part):
    /// the error is then in [`Summary::truncated`], beside the report. Returns an error on
    /// its own only when nothing was learnt about the document.
    pub fn inspect_summary(&self, bytes: &[u8], options: &RenderOptions) -> Result<Summary, Error> {
        let plan = self.plan(bytes, options, 0)?;
        let mut summary = self.run(plan, &mut |_, _| ControlFlow::Continue(()))?;
        summary.report.check_extension(options.file_name.as_deref());
        Ok(summary)
    }

    /// Creates one fresh instance of the guest and drops it without running it: the fixed
    /// cost every document pays. Exists for benchmarks.
    #[cfg(feature = "testing")]
    pub fn instantiate_only(&self) -> Result<(), Error> {
        self.instantiate_once()
    }

    /// Creates one fresh instance and drops it (the worker warms up with it).
    pub(crate) fn instantiate_once(&self) -> Result<(), Error> {
        store::instantiate_only(&self.pre, self.plan(b"", &RenderOptions::default(), 0)?)
    }

    /// Asks a confined worker to do something its filter forbids instead of rendering; the
    /// worker must die and this must return [`Error::WorkerCrashed`]. Exists for tests.
    #[cfg(feature = "testing")]
    pub fn probe_isolation(&self, probe: Probe) -> Result<Summary, Error> {
        let Isolation::Process { worker } = &self.isolation else {
            return Err(Error::InvalidOptions("not a process-isolated sandbox".into()));
        };
        let plan = self.plan(b"", &RenderOptions::default(), 0)?;
        isolation::run(worker, plan, Some(probe), &mut |_, _| ControlFlow::Continue(()))
    }

    /// Renders one planned document where the isolation says.
    fn run(&self, plan: Plan, on_page: &mut session::OnPage<'_>) -> Result<Summary, Error> {
        match &self.isolation {
            Isolation::InProcess => session::run(&self.pre, plan, on_page),
            Isolation::Process { worker } => isolation::run(worker, plan, None, on_page),
        }
    }

    fn plan(&self, bytes: &[u8], options: &RenderOptions, max_pages: u32) -> Result<Plan, Error> {
        let limits = &self.limits;
        let size = bytes.len() as u64;
        if size > limits.max_input_bytes {
            return Err(Error::InputTooLarge { size, limit: limits.max_input_bytes });
        }
        if !limits.dpi_range.contains(&options.dpi) {
            return Err(Error::InvalidOptions(format!(
                "{} DPI is outside the allowed range {}..={}",
                options.dpi,
                limits.dpi_range.start(),
                limits.dpi_range.end()
            )));
        }
        let (first, last) = match &options.pages {
            Some(range) if *range.start() == 0 || range.is_empty() => {
                return Err(Error::InvalidOptions(format!("page range {}-{} is empty or starts at 0 (pages count from 1)", range.start(), range.end())))
            }
            Some(range) => (*range.start(), *range.end()),
            None => (1, u32::MAX),
        };
        let request = Request {
            dpi: options.dpi,
            first_page: first,
            last_page: last,
            max_pages,
            max_page_side: limits.max_page_side,
            max_page_pixels: limits.max_page_pixels,
            max_report_bytes: limits.max_report_bytes,
            password: options.password.as_deref().unwrap_or(""),
            passwords_from_message: options.passwords_from_message,
            sheet_gridlines: options.sheet_gridlines,
            clock: options.print_time.unwrap_or_else(options::now),
            document: bytes,
        }
        .encode();
        Ok(Plan { limits: limits.clone().max_pages(max_pages), first, last, request })
    }
}

/// Refuses a module that imports anything outside [`ALLOWED_IMPORTS`] or lacks the
/// exports the host needs.
fn check_imports(module: &Module) -> Result<(), Error> {
    for import in module.imports() {
        let allowed = import.module() == WASI_MODULE && ALLOWED_IMPORTS.contains(&import.name()) && matches!(import.ty(), ExternType::Func(_));
        if !allowed {
            return Err(Error::Setup(format!("the guest imports {}::{}, which is not on the allow-list", import.module(), import.name())));
        }
    }
    let has = |name: &str, memory: bool| {
        module.exports().any(|e| e.name() == name && matches!((e.ty(), memory), (ExternType::Memory(_), true) | (ExternType::Func(_), false)))
    };
    if !has("memory", true) || !has("_start", false) {
        return Err(Error::Setup("the guest must export `memory` and `_start`".into()));
    }
    Ok(())
}

/// A compiled-guest cache entry holding `wasm` compiled for this machine, with a valid
/// checksum, under the file name the embedded guest's entry has: `(name, contents)`. Exists
/// so that tests can plant a swapped cache file and check it is never loaded from a
/// directory or file another account could have written.
#[cfg(feature = "testing")]
pub fn forge_cache_entry(wasm: &[u8]) -> Result<(String, Vec<u8>), Error> {
    let engine = engine::engine(engine::CpuBound::FuelAndDeadline)?;
    let compiled = engine.precompile_module(wasm).map_err(|e| Error::Setup(format!("cannot compile: {e}")))?;
    Ok((engine::cache_file_name(&settings::cache_key(engine, engine::guest::WASM_SHA256)), compiled))
}

/// The imports of the embedded guest, as `(module, name)` pairs (for audits and tests).
pub fn guest_imports() -> Result<Vec<(String, String)>, Error> {
    let module = engine::embedded_guest(engine::engine(engine::CpuBound::FuelAndDeadline)?, engine::CpuBound::FuelAndDeadline)?;
    Ok(module.imports().map(|i| (i.module().to_owned(), i.name().to_owned())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Sandbox>();
        check::<Document>();
    }
}
