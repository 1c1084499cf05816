//! The docsandbox guest, built from `guest/` for wasm32-wasip1 by this crate's build
//! script. The crate has no code: it exists so that the guest (minutes of LTO) builds in
//! parallel with Wasmtime, and so that docsandbox's build script, which learns where the
//! file is from this crate's `links` metadata (DEP_DOCSANDBOX_GUEST_WASM), can
//! pre-initialise it and precompile it for the build machine. docsandbox embeds that
//! prepared guest.
#![forbid(unsafe_code)]
#![no_std]
