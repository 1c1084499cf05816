//! The engine's settings and the key of compiled guest code: shared, as this one file, by
//! the library (`engine.rs`) and its build script (which precompiles the guest for the
//! build machine with exactly these settings), so the two cannot drift apart.

use std::hash::{Hash, Hasher};

use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, OptLevel, PoolingAllocationConfig};

/// Instances that can be alive at once in the process; further renders wait.
pub(crate) const POOL_SLOTS: u32 = 64;

/// The largest linear memory a slot can hold (the wasm32 maximum); the per-document
/// limit is enforced below it by the store's resource limiter.
const SLOT_MEMORY_BYTES: usize = 4 << 30;

/// Native stack the guest's WebAssembly frames may use before a stack-overflow trap.
pub(crate) const WASM_STACK_BYTES: usize = 2 << 20;

/// The engine's settings: with the pooling instance allocator or without, counting fuel or
/// not, compiling on several threads or on the calling one.
pub(crate) fn config(pooling: bool, fuel: bool, parallel: bool) -> Config {
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
        .parallel_compilation(parallel)
        .wasm_simd(true);
    config
}

/// Hex key over the guest's digest and everything that makes compiled code compatible
/// with `engine` (Wasmtime version, settings, CPU features): the compiled-guest cache's
/// file name, and how the library knows the build script's precompiled guest fits it.
pub(crate) fn cache_key(engine: &Engine, wasm_sha256: &str) -> String {
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
    sha.0.update(wasm_sha256.trim().as_bytes());
    engine.precompile_compatibility_hash().hash(&mut sha);
    let digest = sha.0.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
