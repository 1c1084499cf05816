//! Fonts embedded in the guest, so rendering never depends on the host.
//!
//! Wasmtime maps the module's data segments copy-on-write, so the font costs nothing per
//! document until it is read. Sources and licences: `guest/fonts/SOURCES`.

/// IPAexGothic (IPA Font License 1.0): the fallback for non-embedded CJK fonts.
pub static IPAEX_GOTHIC: &[u8] = include_bytes!("../fonts/ipaexg.ttf");
