//! Builds the guest (`guest/`) for wasm32-wasip1 and places it in OUT_DIR; tells
//! dependents where it is (`cargo:wasm=`, read by docsandbox's build script as
//! DEP_DOCSANDBOX_GUEST_WASM).
//!
//! The guest is a separate cargo workspace with its own flags (`guest/.cargo/config.toml`:
//! `+simd128`, a fixed shadow stack) and profile (LTO, `panic = "abort"`). It is always
//! built in release mode, into `<root>/target/guest`, so every host build shares it.
#![forbid(unsafe_code)]

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip1";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().expect("workspace root");
    let guest_dir = root.join("guest");
    let dest = out_dir.join("docsandbox-guest.wasm");

    println!("cargo:rerun-if-env-changed=DOCSANDBOX_GUEST_WASM");
    // Escape hatch for packagers: a guest built elsewhere (same sources, same protocol).
    if let Some(prebuilt) = env::var_os("DOCSANDBOX_GUEST_WASM") {
        println!("cargo:rerun-if-changed={}", Path::new(&prebuilt).display());
        std::fs::copy(&prebuilt, &dest).expect("copy DOCSANDBOX_GUEST_WASM");
        publish(&dest);
        return;
    }

    for path in [
        "guest/src",
        "guest/fonts",
        "guest/Cargo.toml",
        "guest/Cargo.lock",
        "guest/.cargo/config.toml",
        "crates/docsandbox-protocol/src",
        "rust-toolchain.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }

    check_target_installed(&guest_dir);

    // One guest build for every host build (debug, release, fuzz): <root>/target/guest.
    let target_dir = root.join("target").join("guest");
    // `cargo` from PATH (normally rustup's proxy), run in guest/, builds with the toolchain
    // pinned in rust-toolchain.toml even when the host is built with another one
    // (`cargo +nightly fuzz`, for instance).
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&guest_dir).args(["build", "--release", "--locked", "--target", TARGET, "--target-dir"]).arg(&target_dir);
    // Flags meant for the host (sanitizers from cargo-fuzz, coverage, wrappers) must not
    // leak into the guest; the guest's own flags live in guest/.cargo/config.toml.
    for var in [
        "RUSTC",
        "RUSTUP_TOOLCHAIN",
        "RUSTDOC",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PROFILE_RELEASE_DEBUG",
        "CARGO_PROFILE_RELEASE_LTO",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd.status().expect("could not run cargo to build the guest");
    assert!(status.success(), "building the docsandbox guest (guest/) for {TARGET} failed");

    let wasm = target_dir.join(TARGET).join("release").join("docsandbox-guest.wasm");
    std::fs::copy(&wasm, &dest).unwrap_or_else(|e| panic!("copy {}: {e}", wasm.display()));
    publish(&dest);
}

/// Tells dependents' build scripts where the guest is.
fn publish(wasm: &Path) {
    println!("cargo:wasm={}", wasm.display());
}

/// Makes sure the wasm32-wasip1 standard library is in the toolchain the guest builds with:
/// rustup adds the targets of rust-toolchain.toml only when it installs the toolchain
/// itself, so a machine that already had the pinned toolchain lacks it. Adds it with rustup
/// when it can, and otherwise fails with the command that fixes it.
fn check_target_installed(guest_dir: &Path) {
    let installed = || {
        let sysroot = Command::new("rustc")
            .current_dir(guest_dir)
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("RUSTC")
            .args(["--print", "sysroot"])
            .output()
            .expect("run rustc --print sysroot");
        let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
        Path::new(&sysroot).join("lib/rustlib").join(TARGET).exists()
    };
    if installed() {
        return;
    }
    println!("cargo:warning=the Rust target {TARGET} is missing; adding it with `rustup target add {TARGET}`");
    let added = Command::new("rustup").current_dir(guest_dir).env_remove("RUSTUP_TOOLCHAIN").args(["target", "add", TARGET]).status();
    if matches!(added, Ok(status) if status.success()) && installed() {
        return;
    }
    panic!(
        "\n\nThe Rust target {TARGET} is not installed; the docsandbox guest needs it.\n\
         Install it with:\n\n    rustup target add {TARGET}\n\n"
    );
}
