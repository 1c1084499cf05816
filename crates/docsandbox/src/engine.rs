//! The process-wide Wasmtime engine, and loading the guest without compiling it per document.
//!
//! One [`Engine`] serves every [`Sandbox`](crate::Sandbox) in the process: pooling
//! allocator, copy-on-write memory images, fuel, and epoch interruption driven by one
//! ticker thread. The guest is compiled to machine code once and cached on disk, keyed by
//! the guest's hash and the engine's compatibility hash (Wasmtime version and settings).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, Module, OptLevel, PoolingAllocationConfig};

use crate::Error;

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

/// The shared engine for `bound`.
pub(crate) fn engine(bound: CpuBound) -> Result<&'static Engine, Error> {
    let fuel = bound == CpuBound::FuelAndDeadline;
    ENGINES[usize::from(!fuel)]
        .get_or_init(|| {
            // The pool reserves a few hundred GiB of address space up front. Where that is
            // refused (valgrind, `ulimit -v`), fall back to on-demand instances: slower to
            // create, same limits. DOCSANDBOX_ON_DEMAND_ALLOCATION=1 asks for them directly.
            let on_demand = std::env::var_os("DOCSANDBOX_ON_DEMAND_ALLOCATION").is_some_and(|v| v == "1");
            let engine = if on_demand { Engine::new(&config(false, fuel)) } else { Engine::new(&config(true, fuel)).or_else(|_| Engine::new(&config(false, fuel))) }
                .map_err(|e| Error::Setup(format!("wasmtime engine: {e}")))?;
            start_epoch_ticker(&engine);
            Ok(engine)
        })
        .as_ref()
        .map_err(Clone::clone)
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
        .parallel_compilation(true)
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

/// The embedded guest, compiled for this engine: from the on-disk cache when possible.
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

/// Where compiled guests are cached: `$DOCSANDBOX_CACHE_DIR`, else the user's cache
/// directory. An empty `DOCSANDBOX_CACHE_DIR` turns the disk cache off.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCSANDBOX_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("docsandbox"))
}

/// `wasm_sha256` is the guest's digest, computed at build time so start-up need not hash it.
fn load_cached(engine: &Engine, wasm: &[u8], wasm_sha256: &str) -> Result<Module, Error> {
    let Some(dir) = cache_dir() else { return compile(engine, wasm) };
    let path = dir.join(format!("guest-{}.cwasm", cache_key(engine, wasm_sha256)));
    if let Some(module) = read_cache(engine, &path) {
        return Ok(module);
    }
    let compiled = engine.precompile_module(wasm).map_err(|e| Error::Setup(format!("cannot compile the guest: {e}")))?;
    // A cache that cannot be written only costs time on the next start.
    let _ = write_cache(&dir, &path, &compiled);
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

/// A cache file is the SHA-256 of the compiled module followed by the module.
fn read_cache(engine: &Engine, path: &Path) -> Option<Module> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() < 32 || Sha256::digest(&bytes[32..])[..] != bytes[..32] {
        return None;
    }
    deserialize(engine, &bytes[32..])
}

fn write_cache(dir: &Path, path: &Path, compiled: &[u8]) -> std::io::Result<()> {
    create_private_dir(dir)?;
    let tmp = dir.join(format!(".tmp-{}-{:?}", std::process::id(), std::thread::current().id()));
    let mut contents = Sha256::digest(compiled).to_vec();
    contents.extend_from_slice(compiled);
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    prune_cache(dir, KEEP_CACHED_GUESTS);
    Ok(())
}

/// Compiled guests kept in the cache (each build of the guest adds one of ~20 MB).
const KEEP_CACHED_GUESTS: usize = 4;

/// Deletes all but the `keep` most recently written compiled guests.
fn prune_cache(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut guests: Vec<_> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("guest-") && e.path().extension().is_some_and(|x| x == "cwasm"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    guests.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, path) in guests.into_iter().skip(keep) {
        let _ = std::fs::remove_file(path);
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[allow(unsafe_code)]
fn deserialize(engine: &Engine, compiled: &[u8]) -> Option<Module> {
    // SAFETY: `Module::deserialize` trusts its input to be machine code produced by
    // `Engine::precompile_module`. Ours is: either we just produced it, or it comes from
    // our private cache directory (created 0700), was written atomically by this code,
    // and its SHA-256 matched, so it is byte-for-byte what a compatible engine produced.
    // Wasmtime additionally checks the version and settings in the header and refuses a
    // mismatch. Someone able to write the user's cache directory can already replace the
    // user's programs, so this adds no new trust.
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
    use std::time::{Duration, SystemTime};

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("docsandbox-engine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn corrupted_cache_files_are_never_deserialized() {
        let dir = temp_dir("corrupt");
        let engine = engine(CpuBound::FuelAndDeadline).unwrap();
        let path = dir.join("guest-x.cwasm");
        for contents in [vec![], vec![0u8; 64], {
            // A valid checksum over bytes that are not a compiled module.
            let mut c = Sha256::digest(b"not a module").to_vec();
            c.extend_from_slice(b"not a module");
            c
        }] {
            std::fs::write(&path, contents).unwrap();
            assert!(read_cache(engine, &path).is_none());
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn cache_keeps_only_the_newest_guests() {
        let dir = temp_dir("prune");
        let now = SystemTime::now();
        for i in 0..6u64 {
            let file = std::fs::File::create(dir.join(format!("guest-{i}.cwasm"))).unwrap();
            file.set_modified(now - Duration::from_secs(100 * (6 - i))).unwrap();
        }
        std::fs::write(dir.join("unrelated.txt"), b"keep me").unwrap();
        prune_cache(&dir, 4);
        let mut left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["guest-2.cwasm", "guest-3.cwasm", "guest-4.cwasm", "guest-5.cwasm", "unrelated.txt"]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
