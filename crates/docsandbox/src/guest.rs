//! The guest module, built from `guest/` by the build script and embedded here.

/// The guest as WebAssembly (wasm32-wasip1), compiled to machine code on first use.
pub(crate) static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/docsandbox-guest.wasm"));
