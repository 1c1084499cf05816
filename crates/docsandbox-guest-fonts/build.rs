//! Tells docsandbox-guest-wasm's build script where the fonts are
//! (DEP_DOCSANDBOX_GUEST_FONTS_DIR). It only reads them when it builds the guest from the
//! published crates; in the repository it takes them from `guest/fonts`.
#![forbid(unsafe_code)]

fn main() {
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("fonts");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:dir={}", dir.display());
}
