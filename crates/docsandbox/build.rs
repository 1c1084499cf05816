//! Precompiles the guest (built by the `docsandbox-guest-wasm` crate) to machine code for
//! the build machine, with the library's own engine settings (`src/settings.rs`, included
//! here), so that the first run after a build does not spend seconds compiling it.
//!
//! Writes `OUT_DIR/docsandbox-guest.cwasm` and `OUT_DIR/docsandbox-guest.key` (the cache
//! key the library's engine must have for that code to fit it). Both are empty, and the
//! library compiles on first use, when precompiling makes no sense: a cross build (the
//! build machine's CPU is not the target's), an unoptimised build (Cranelift itself would
//! be unoptimised here and take minutes), DOCSANDBOX_PRECOMPILE=0, or without the
//! `precompile` feature (the fuzz targets turn it off: they need no Wasmtime build here).
#![forbid(unsafe_code)]

use std::env;
use std::path::PathBuf;

#[cfg(feature = "precompile")]
#[allow(dead_code)]
#[path = "src/settings.rs"]
mod settings;

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let wasm_path = PathBuf::from(env::var_os("DEP_DOCSANDBOX_GUEST_WASM").expect("docsandbox-guest-wasm says where the guest is"));
    let sha256 = env::var("DEP_DOCSANDBOX_GUEST_SHA256").expect("docsandbox-guest-wasm gives the guest's digest");
    println!("cargo:rerun-if-changed={}", wasm_path.display());
    println!("cargo:rerun-if-changed=src/settings.rs");
    println!("cargo:rerun-if-env-changed=DOCSANDBOX_PRECOMPILE");
    let cwasm = out_dir.join("docsandbox-guest.cwasm");
    let key = out_dir.join("docsandbox-guest.key");

    let cross = env::var("TARGET").ok() != env::var("HOST").ok();
    let unoptimised = env::var("OPT_LEVEL").is_ok_and(|level| level == "0");
    let refused = env::var_os("DOCSANDBOX_PRECOMPILE").is_some_and(|v| v == "0");
    let compiled = if cross || unoptimised || refused {
        None
    } else {
        let wasm = std::fs::read(&wasm_path).unwrap_or_else(|e| panic!("read {}: {e}", wasm_path.display()));
        precompile(&wasm, &sha256)
    };
    let (compiled, engine_key) = compiled.unwrap_or_default();
    std::fs::write(&cwasm, compiled).expect("write the precompiled guest");
    std::fs::write(&key, engine_key).expect("write the precompiled guest's key");
}

/// Without the `precompile` feature: nothing (the library compiles on first use).
#[cfg(not(feature = "precompile"))]
fn precompile(_wasm: &[u8], _sha256: &str) -> Option<(Vec<u8>, String)> {
    None
}

/// The guest compiled for this machine with the library's fuel-counting engine, and its key.
#[cfg(feature = "precompile")]
fn precompile(wasm: &[u8], sha256: &str) -> Option<(Vec<u8>, String)> {
    // The same engine the library makes first: pooling, falling back to on-demand where the
    // address space is limited (the compiled code is the same for both).
    let engine = wasmtime::Engine::new(&settings::config(true, true, true))
        .or_else(|_| wasmtime::Engine::new(&settings::config(false, true, true)))
        .map_err(|e| println!("cargo:warning=not precompiling the guest: no engine: {e}"))
        .ok()?;
    let started = std::time::Instant::now();
    let compiled = engine.precompile_module(wasm).unwrap_or_else(|e| panic!("precompiling the guest failed: {e}"));
    eprintln!("precompiled the guest in {:.1} s", started.elapsed().as_secs_f64());
    Some((compiled, settings::cache_key(&engine, sha256)))
}
