//! Gives the shared library its soname on ELF platforms: the ABI version, which is the
//! major version, or while that is 0 the major and minor (`libdocsandbox_ffi.so.0.1`), so
//! that programs linked against one ABI never load another.
#![forbid(unsafe_code)]

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    let abi = if major == "0" { format!("0.{minor}") } else { major };
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "freebsd" | "netbsd" | "openbsd" | "android") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libdocsandbox_ffi.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
