//! The docsandbox guest, built from `guest/` by this crate's build script for
//! wasm32-wasip1 and embedded here as bytes.
//!
//! A crate of its own so that the guest (minutes of LTO) builds in parallel with Wasmtime,
//! and so that the build script of `docsandbox` can pre-initialise it and precompile it
//! for the build machine (it learns where the file is from this crate's `links` metadata);
//! `docsandbox` embeds that prepared guest, not this one.
#![forbid(unsafe_code)]
#![no_std]

/// The guest as WebAssembly (wasm32-wasip1).
pub static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/docsandbox-guest.wasm"));

/// SHA-256 of [`WASM`] in hex, computed by the build script.
pub static WASM_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/docsandbox-guest.sha256"));
