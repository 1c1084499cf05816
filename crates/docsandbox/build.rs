//! Prepares the guest (built by the `docsandbox-guest-wasm` crate) for fast starts:
//! 1. pre-initialises it: runs its `wizer-initialize` export once and snapshots the memory
//!    (Wasmtime's Wizer), so work every document would repeat (decompressing hayro's CMap
//!    bundle) is done at build time and mapped copy-on-write at run time;
//! 2. precompiles that to machine code for the build machine, with the library's own engine
//!    settings (`src/settings.rs`, included here), so that the first run after a build
//!    does not spend seconds compiling it.
//!
//! Writes `OUT_DIR/docsandbox-guest.wasm` and `.sha256` (the guest the library embeds),
//! `.cwasm` and `.key` (the cache key the library's engine must have for that code to fit
//! it). The guest is the one built, and `.cwasm` and `.key` are empty (the library
//! compiles on first use), when this makes no sense: a cross build (the
//! build machine's CPU is not the target's), an unoptimised build (Cranelift itself would
//! be unoptimised here and take minutes), DOCSANDBOX_PRECOMPILE=0, or without the
//! `precompile` feature (the fuzz targets turn it off: they need no Wasmtime build here).
#![forbid(unsafe_code)]

use std::env;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

#[cfg(feature = "precompile")]
#[allow(dead_code)]
#[path = "src/settings.rs"]
mod settings;

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let wasm_path = PathBuf::from(env::var_os("DEP_DOCSANDBOX_GUEST_WASM").expect("docsandbox-guest-wasm says where the guest is"));
    println!("cargo:rerun-if-changed={}", wasm_path.display());
    println!("cargo:rerun-if-changed=src/settings.rs");
    println!("cargo:rerun-if-env-changed=DOCSANDBOX_PRECOMPILE");

    let cross = env::var("TARGET").ok() != env::var("HOST").ok();
    let unoptimised = env::var("OPT_LEVEL").is_ok_and(|level| level == "0");
    let refused = env::var_os("DOCSANDBOX_PRECOMPILE").is_some_and(|v| v == "0");
    let prepare = !(cross || unoptimised || refused);
    let built = std::fs::read(&wasm_path).unwrap_or_else(|e| panic!("read {}: {e}", wasm_path.display()));
    let wasm = if prepare { preinitialize(built) } else { built };
    let digest: String = Sha256::digest(&wasm).iter().map(|b| format!("{b:02x}")).collect();
    let (compiled, engine_key) = if prepare { precompile(&wasm, &digest) } else { None }.unwrap_or_default();
    std::fs::write(out_dir.join("docsandbox-guest.wasm"), wasm).expect("write the guest");
    std::fs::write(out_dir.join("docsandbox-guest.sha256"), &digest).expect("write the guest's digest");
    std::fs::write(out_dir.join("docsandbox-guest.cwasm"), compiled).expect("write the precompiled guest");
    std::fs::write(out_dir.join("docsandbox-guest.key"), engine_key).expect("write the precompiled guest's key");
}

/// Without the `precompile` feature: the guest as built.
#[cfg(not(feature = "precompile"))]
fn preinitialize(built: Vec<u8>) -> Vec<u8> {
    built
}

/// Without the `precompile` feature: no precompiled code (the library compiles on first use).
#[cfg(not(feature = "precompile"))]
fn precompile(_wasm: &[u8], _digest: &str) -> Option<(Vec<u8>, String)> {
    None
}

/// The guest pre-initialised ([`snapshot`]).
#[cfg(feature = "precompile")]
fn preinitialize(built: Vec<u8>) -> Vec<u8> {
    let started = std::time::Instant::now();
    let wasm = snapshot(&built).unwrap_or_else(|e| panic!("pre-initialising the guest failed: {e:?}"));
    eprintln!("pre-initialised the guest in {:.1} s", started.elapsed().as_secs_f64());
    wasm
}

/// `wasm` (whose SHA-256 in hex is `digest`) compiled for this machine with the library's
/// fuel-counting engine, with the key the library's engine must have for it to fit.
#[cfg(feature = "precompile")]
fn precompile(wasm: &[u8], digest: &str) -> Option<(Vec<u8>, String)> {
    // The same engine the library makes first: pooling, falling back to on-demand where the
    // address space is limited (the compiled code is the same for both).
    let engine = match wasmtime::Engine::new(&settings::config(true, true, true)).or_else(|_| wasmtime::Engine::new(&settings::config(false, true, true))) {
        Ok(engine) => engine,
        Err(e) => {
            println!("cargo:warning=not precompiling the guest: no engine: {e}");
            return None;
        }
    };
    let started = std::time::Instant::now();
    let compiled = engine.precompile_module(wasm).unwrap_or_else(|e| panic!("precompiling the guest failed: {e}"));
    eprintln!("precompiled the guest in {:.1} s", started.elapsed().as_secs_f64());
    Some((compiled, settings::cache_key(&engine, digest)))
}

/// Runs the guest's `wizer-initialize` export once and snapshots the result as a new module
/// whose initial memory holds what it prepared (Wasmtime's Wizer). The run has no WASI:
/// every import traps, so the snapshot cannot depend on anything outside the guest.
#[cfg(feature = "precompile")]
fn snapshot(wasm: &[u8]) -> wasmtime::Result<Vec<u8>> {
    use std::future::Future;
    use wasmtime::{Config, Engine, ExternType, Instance, Linker, Module, OptLevel, Store, Val};
    use wasmtime_wizer::{InstanceState, SnapshotVal, ValType, Wizer};

    struct State {
        store: Store<()>,
        instance: Instance,
    }
    impl InstanceState for State {
        async fn global_get(&mut self, name: &str, _: ValType) -> SnapshotVal {
            let global = self.instance.get_global(&mut self.store, name).expect("an exported global");
            match global.get(&mut self.store) {
                Val::I32(x) => SnapshotVal::I32(x),
                Val::I64(x) => SnapshotVal::I64(x),
                Val::F32(x) => SnapshotVal::F32(x),
                Val::F64(x) => SnapshotVal::F64(x),
                Val::V128(x) => SnapshotVal::V128(x.as_u128()),
                other => panic!("a global of unsupported type: {other:?}"),
            }
        }
        async fn memory_contents(&mut self, name: &str, contents: impl FnOnce(&[u8]) + Send) {
            let memory = self.instance.get_memory(&mut self.store, name).expect("an exported memory");
            contents(memory.data(&self.store))
        }
    }

    let wizer = Wizer::new();
    let (cx, instrumented) = wizer.instrument(wasm)?;
    let mut config = Config::new();
    // Compiled only to run one function once: fastest to compile.
    config.wasm_simd(true).cranelift_opt_level(OptLevel::None);
    let engine = Engine::new(&config)?;
    let module = Module::new(&engine, &instrumented)?;
    let mut linker = Linker::new(&engine);
    for import in module.imports() {
        if let ExternType::Func(ty) = import.ty() {
            let name = format!("{}::{}", import.module(), import.name());
            linker.func_new(import.module(), import.name(), ty, move |_, _, _| wasmtime::bail!("pre-initialisation called {name}"))?;
        }
    }
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    instance.get_typed_func::<(), ()>(&mut store, wizer.get_init_func())?.call(&mut store, ())?;
    let mut state = State { store, instance };
    // The snapshot's futures are ready at once: State answers synchronously.
    let mut snapshot = std::pin::pin!(wizer.snapshot(&cx, &mut state));
    match snapshot.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(result) => result,
        std::task::Poll::Pending => wasmtime::bail!("the snapshot did not complete"),
    }
}
