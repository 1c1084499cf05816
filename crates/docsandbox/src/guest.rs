//! The guest module, built from `guest/` by the build script and embedded here.

/// The guest as WebAssembly (wasm32-wasip1), compiled to machine code on first use.
pub(crate) static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/docsandbox-guest.wasm"));

/// SHA-256 of [`WASM`] in hex, computed by the build script (part of the compiled-code cache key).
pub(crate) static WASM_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/docsandbox-guest.sha256"));
