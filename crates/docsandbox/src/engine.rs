//! The process-wide Wasmtime engine, and loading the guest without compiling it per document.
//!
//! One [`Engine`] serves every [`Sandbox`](crate::Sandbox) in the process: pooling
//! allocator, copy-on-write memory images, fuel, and epoch interruption driven by one
//! ticker thread. The guest is compiled to machine code once and cached on disk, keyed by
//! the guest's hash and the engine's compatibility hash (Wasmtime version and settings).

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, Module, OptLevel, PoolingAllocationConfig};

use crate::cache::CacheDir;
use crate::{cache, Error};

/// Instances that can be alive at once in the process; further renders wait.
pub(crate) const POOL_SLOTS: u32 = 64;

/// How often the epoch advances; the deadline's resolution.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// The largest linear memory a slot can hold (the wasm32 maximum); the per-document
/// limit is enforced below it by the store's resource limiter.
const SLOT_MEMORY_BYTES: usize = 4 << 30;

/// Native stack the guest's WebAssembly frames may use before a stack-overflow trap.
pub(crate) const WASM_STACK_BYTES: usize = 2 << 20;

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
            // create, same limits. DOCSANDBOX_ON_DEMAND_ALLOCATION=1 asks for them directly.
            let on_demand = std::env::var_os("DOCSANDBOX_ON_DEMAND_ALLOCATION").is_some_and(|v| v == "1");
            if on_demand { Engine::new(&config(false, fuel)) } else { Engine::new(&config(true, fuel)).or_else(|_| Engine::new(&config(false, fuel))) }
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

/// The engine's settings, with the pooling instance allocator or without, counting fuel or not.
fn config(pooling: bool, fuel: bool) -> Config {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(POOL_SLOTS)
        .total_memories(POOL_SLOTS)
        .total_tables(POOL_SLOTS)
        .max_memories_per_module(1)
        .max_tables_per_module(1)
        .max_memory_size(SLOT_MEMORY_BYTES)
        // Keep a little of each slot resident so reuse does not fault it all in again.
        .linear_memory_keep_resident(1 << 20);

    let strategy = if pooling { InstanceAllocationStrategy::Pooling(pool) } else { InstanceAllocationStrategy::OnDemand };
    let mut config = Config::new();
    config
        .allocation_strategy(strategy)
        .memory_init_cow(true)
        .consume_fuel(fuel)
        .epoch_interruption(true)
        .max_wasm_stack(WASM_STACK_BYTES)
        .cranelift_opt_level(OptLevel::Speed)
        .parallel_compilation(!SERIAL.load(Ordering::SeqCst))
        .wasm_simd(true);
    config
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

/// The embedded guest, compiled for this engine: from the on-disk cache when it can be trusted.
pub(crate) fn embedded_guest(engine: &Engine, bound: CpuBound) -> Result<&'static Module, Error> {
    static GUESTS: [OnceLock<Result<Module, Error>>; 2] = [OnceLock::new(), OnceLock::new()];
    GUESTS[usize::from(bound == CpuBound::DeadlineOnly)]
        .get_or_init(|| load_cached(engine, crate::guest::WASM, crate::guest::WASM_SHA256))
        .as_ref()
        .map_err(Clone::clone)
}

/// Compiles a guest module without any cache (hostile-guest tests, custom guests).
pub(crate) fn compile(engine: &Engine, wasm: &[u8]) -> Result<Module, Error> {
    Module::new(engine, wasm).map_err(|e| Error::Setup(format!("cannot compile the guest: {e}")))
}

/// The file name a guest with this digest is cached under for `engine`.
pub(crate) fn cache_file_name(engine: &Engine, wasm_sha256: &str) -> String {
    format!("guest-{}.cwasm", cache_key(engine, wasm_sha256))
}

/// `wasm_sha256` is the guest's digest, computed at build time so start-up need not hash it.
fn load_cached(engine: &Engine, wasm: &[u8], wasm_sha256: &str) -> Result<Module, Error> {
    let Some(path) = cache::default_dir() else {
        return compile(engine, wasm);
    };
    let dir = match CacheDir::open(&path) {
        Ok(dir) => dir,
        Err(why) => {
            log::warn!("not using the compiled-guest cache {}: {why}; compiling the guest in memory (a few seconds)", path.display());
            return compile(engine, wasm);
        }
    };
    let name = cache_file_name(engine, wasm_sha256);
    match dir.read(&name) {
        Ok(Some(compiled)) => {
            if let Some(module) = deserialize(engine, &compiled) {
                return Ok(module);
            }
        }
        Ok(None) => {}
        Err(why) => log::warn!("not loading the compiled guest from {}: {why}; compiling it again", dir.path().display()),
    }
    log::info!("compiling the guest into {} (a few seconds, once per build)", dir.path().display());
    let compiled = engine.precompile_module(wasm).map_err(|e| Error::Setup(format!("cannot compile the guest: {e}")))?;
    // A cache that cannot be written only costs time on the next start.
    if let Err(e) = dir.write(&name, &compiled) {
        log::warn!("cannot write the compiled guest to {}: {e}", dir.path().display());
    }
    deserialize(engine, &compiled).ok_or_else(|| Error::Setup("freshly compiled guest did not load".into()))
}

/// Hex key over the guest bytes and everything that makes compiled code compatible.
fn cache_key(engine: &Engine, wasm_sha256: &str) -> String {
    struct Sha(Sha256);
    impl Hasher for Sha {
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
        fn finish(&self) -> u64 {
            unreachable!("only the digest is used")
        }
    }
    let mut sha = Sha(Sha256::new());
    sha.0.update(wasm_sha256.as_bytes());
    engine.precompile_compatibility_hash().hash(&mut sha);
    let digest = sha.0.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[allow(unsafe_code)]
fn deserialize(engine: &Engine, compiled: &[u8]) -> Option<Module> {
    // SAFETY: `Module::deserialize` trusts its input to be machine code produced by
    // `Engine::precompile_module`. Ours is: either we just produced it, or `CacheDir::read`
    // opened it relative to a directory descriptor without following symlinks, and both
    // that directory and the file are owned by this user and writable by no one else, so
    // only this user (or root) can have written it, and this code writes only what
    // `precompile_module` returned. Its SHA-256 matched, so it is undamaged. Wasmtime
    // additionally checks the version and settings in the header and refuses a mismatch.
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
