//! The process-wide Wasmtime engine, and loading the guest without compiling it per document.
//!
//! One [`Engine`] serves every [`Sandbox`](crate::Sandbox) in the process: pooling
//! allocator, copy-on-write memory images, fuel, and epoch interruption driven by one
//! ticker thread. The guest's machine code is precompiled by the build script for the build
//! machine, or compiled once on another; either way it is kept in the compiled-guest cache
//! (`cache.rs`), keyed by the guest's hash and the engine's compatibility hash (Wasmtime
//! version, settings, CPU features), and mapped from there.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Engine, Module};

use crate::cache::CacheDir;
use crate::{cache, settings, Error};

pub(crate) use crate::settings::{POOL_SLOTS, WASM_STACK_BYTES};

/// How often the epoch advances; the deadline's resolution.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// How the guest's CPU use is bounded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CpuBound {
    /// Fuel (deterministic instruction budget) plus the epoch deadline: the default.
    FuelAndDeadline,
    /// The epoch deadline alone; exists to measure what fuel costs.
    DeadlineOnly,
}

/// The shared engines, one per [`CpuBound`], each created on first use.
static ENGINES: [OnceLock<Result<Engine, Error>>; 2] = [OnceLock::new(), OnceLock::new()];

/// Whether each engine's epoch ticker has been started.
static TICKERS: [std::sync::Once; 2] = [std::sync::Once::new(), std::sync::Once::new()];

/// Set by the worker before it creates an engine: compile on the calling thread only, so
/// that no thread exists before it confines itself.
static SERIAL: AtomicBool = AtomicBool::new(false);

/// Makes engines created from now on compile on the calling thread alone.
#[cfg(target_os = "linux")]
pub(crate) fn compile_serially() {
    SERIAL.store(true, Ordering::SeqCst);
}

/// The shared engine for `bound`. Creating it starts no thread: the epoch ticker starts
/// with the first store ([`start_ticking`]).
pub(crate) fn engine(bound: CpuBound) -> Result<&'static Engine, Error> {
    let fuel = bound == CpuBound::FuelAndDeadline;
    ENGINES[usize::from(!fuel)]
        .get_or_init(|| {
            // The pool reserves a few hundred GiB of address space up front. Where that is
            // refused (valgrind, `ulimit -v`), fall back to on-demand instances: slower to
            // create, same limits. `EngineConfig::on_demand_allocation` asks for them directly.
            let on_demand = crate::config::current().on_demand_allocation;
            let parallel = !SERIAL.load(Ordering::SeqCst);
            let config = |pooling| settings::config(pooling, fuel, parallel);
            if on_demand { Engine::new(&config(false)) } else { Engine::new(&config(true)).or_else(|_| Engine::new(&config(false))) }
                .map_err(|e| Error::Setup(format!("wasmtime engine: {e}")))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Starts `engine`'s epoch ticker if it is not running yet; every store needs it.
pub(crate) fn start_ticking(engine: &Engine) {
    for (slot, once) in ENGINES.iter().zip(&TICKERS) {
        if slot.get().is_some_and(|e| e.as_ref().is_ok_and(|e| Engine::same(e, engine))) {
            once.call_once(|| start_epoch_ticker(engine));
        }
    }
}

/// Whether stores of this engine count fuel.
pub(crate) fn consumes_fuel(engine: &Engine) -> bool {
    !ENGINES[1].get().is_some_and(|other| other.as_ref().is_ok_and(|other| Engine::same(other, engine)))
}

/// Advances the engine's epoch every [`EPOCH_TICK`] for as long as the process lives.
fn start_epoch_ticker(engine: &Engine) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("docsandbox-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .expect("spawn the epoch ticker thread");
}

/// The guest as the build script prepared it (pre-initialised, see `build.rs`), and its
/// SHA-256 in hex, computed there so start-up need not hash it.
pub(crate) mod guest {
    pub(crate) static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/docsandbox-guest.wasm"));
    pub(crate) static WASM_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/docsandbox-guest.sha256"));
}

/// [`guest::WASM`] compiled by the build script for the build machine (empty when it did not).
static PRECOMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/docsandbox-guest.cwasm"));

/// The [`settings::cache_key`] an engine must have for [`PRECOMPILED`] to fit it.
static PRECOMPILED_KEY: &str = include_str!(concat!(env!("OUT_DIR"), "/docsandbox-guest.key"));

/// The embedded guest, compiled for this engine.
pub(crate) fn embedded_guest(engine: &Engine, bound: CpuBound) -> Result<&'static Module, Error> {
    static GUESTS: [OnceLock<Result<Module, Error>>; 2] = [OnceLock::new(), OnceLock::new()];
    GUESTS[usize::from(bound == CpuBound::DeadlineOnly)].get_or_init(|| load(engine, guest::WASM, guest::WASM_SHA256)).as_ref().map_err(Clone::clone)
}

/// Compiles a guest module without any cache (hostile-guest tests, custom guests).
pub(crate) fn compile(engine: &Engine, wasm: &[u8]) -> Result<Module, Error> {
    Module::new(engine, wasm).map_err(|e| Error::Setup(format!("cannot compile the guest: {e}")))
}

/// The file name a compiled guest with this [`settings::cache_key`] is cached under.
pub(crate) fn cache_file_name(key: &str) -> String {
    format!("guest-{key}.cwasm")
}

/// Loads the guest, fastest way first:
/// 1. its compiled form in the cache directory, mapped from the file: no copy, and the
///    guest's initial memory is mapped copy-on-write from the same file;
/// 2. otherwise the build script's precompiled guest when it fits this engine (the machine
///    it was built on), written to the cache and mapped from there, or, with no usable
///    cache, loaded from memory;
/// 3. otherwise (another CPU, other settings) compiled here, once, saying so, and cached.
///
/// `wasm_sha256` is the guest's digest, computed at build time so start-up need not hash it.
fn load(engine: &Engine, wasm: &[u8], wasm_sha256: &str) -> Result<Module, Error> {
    let key = settings::cache_key(engine, wasm_sha256);
    let name = cache_file_name(&key);
    let dir = cache::default_dir().and_then(|path| {
        CacheDir::open(&path).map_err(|why| log::warn!("not using the compiled-guest cache {}: {why}; loading the guest without it", path.display())).ok()
    });
    if let Some(dir) = &dir {
        match dir.open_entry(&name) {
            Ok(Some(file)) => {
                if let Some(module) = deserialize_file(engine, file) {
                    return Ok(module);
                }
            }
            Ok(None) => {}
            Err(why) => log::warn!("not loading the compiled guest from {}: {why}; replacing it", dir.path().display()),
        }
    }

    let fresh;
    let compiled: &[u8] = if !PRECOMPILED.is_empty() && PRECOMPILED_KEY.trim() == key {
        PRECOMPILED
    } else {
        log::info!("compiling the guest for this machine (several seconds, once per build and machine)");
        fresh = engine.precompile_module(wasm).map_err(|e| Error::Setup(format!("cannot compile the guest: {e}")))?;
        &fresh
    };
    if let Some(dir) = &dir {
        // A cache that cannot be written only costs time on the next start.
        match dir.write(&name, compiled).map_err(|e| e.to_string()).and_then(|()| dir.open_entry(&name)) {
            Ok(Some(file)) => {
                log::info!("cached the compiled guest in {}", dir.path().display());
                if let Some(module) = deserialize_file(engine, file) {
                    return Ok(module);
                }
            }
            Ok(None) => {}
            Err(e) => log::warn!("cannot cache the compiled guest in {}: {e}", dir.path().display()),
        }
    }
    deserialize(engine, compiled).ok_or_else(|| Error::Setup("the compiled guest did not load".into()))
}

#[allow(unsafe_code)]
fn deserialize_file(engine: &Engine, file: std::fs::File) -> Option<Module> {
    // SAFETY: `Module::deserialize_open_file` trusts the file to hold machine code produced
    // by `Engine::precompile_module`, and to stay unchanged while mapped. `CacheDir` opened
    // it relative to a directory descriptor without following symlinks, and both that
    // directory and the file are owned by this user and writable by no one else, so only
    // this user (or root) can have written or can change it; this code only ever writes
    // what `precompile_module` returned, under a temporary name renamed into place whole.
    // Wasmtime additionally checks the header, version and settings and refuses a mismatch.
    unsafe { Module::deserialize_open_file(engine, file).ok() }
}

#[allow(unsafe_code)]
fn deserialize(engine: &Engine, compiled: &[u8]) -> Option<Module> {
    // SAFETY: `Module::deserialize` trusts its input to be machine code produced by
    // `Engine::precompile_module`. Ours is: either we just produced it, or it is the
    // build script's output embedded in this library, made by `precompile_module` with
    // this engine's settings (its key matched). Wasmtime additionally checks the version
    // and settings in the header and refuses a mismatch.
    unsafe { Module::deserialize(engine, compiled).ok() }
}

/// A counting semaphore over the pool's instance slots.
pub(crate) struct Slots {
    free: Mutex<u32>,
    freed: Condvar,
}

/// A held slot, returned on drop.
pub(crate) struct SlotGuard<'a>(&'a Slots);

impl Slots {
    /// The process-wide slots.
    pub(crate) fn global() -> &'static Slots {
        static SLOTS: Slots = Slots { free: Mutex::new(POOL_SLOTS), freed: Condvar::new() };
        &SLOTS
    }

    /// Waits for a free slot.
    pub(crate) fn acquire(&self) -> SlotGuard<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        SlotGuard(self)
    }
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_checksum_over_junk_does_not_load() {
        let engine = engine(CpuBound::FuelAndDeadline).unwrap();
        assert!(deserialize(engine, b"not a module").is_none());
    }
}
