//! A machine where the pinned toolchain is installed without wasm32-wasip1 (rustup adds the
//! targets of rust-toolchain.toml only when it installs the toolchain itself). The real
//! build script runs through cargo, in a scratch target directory, with a `rustc` on PATH
//! whose sysroot lacks the target and a `rustup` that either fails (offline, say) or adds
//! it. Either way the outcome comes in the first seconds, before any long compile: a clear
//! error naming the command to run, or the target added, saying so.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn script(path: &Path, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn real_sysroot() -> PathBuf {
    let out = Command::new("rustc").args(["--print", "sysroot"]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Builds this crate with fake `rustc` and `rustup` in front of PATH; `rustup` runs `add`.
fn build_with(scratch: &Path, add: &str) -> Output {
    let bin = scratch.join("bin");
    let sysroot = scratch.join("sysroot");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(sysroot.join("lib/rustlib")).unwrap();
    let real = real_sysroot().join("bin/rustc");
    // `rustc --print sysroot` answers the fake sysroot (no wasm32-wasip1 in it); anything
    // else is the real compiler, so a build that goes on builds for real.
    script(
        &bin.join("rustc"),
        &format!("if [ \"$1\" = --print ] && [ \"$2\" = sysroot ]; then echo {}; exit 0; fi\nexec {} \"$@\"", sysroot.display(), real.display()),
    );
    script(&bin.join("rustup"), &format!("echo \"rustup $*\" >> {}\n{add}", scratch.join("rustup.log").display()));
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--locked", "-p", "docsandbox-guest-wasm", "--target-dir"])
        .arg(scratch.join("target"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", path)
        .env("RUSTC", &real)
        .env_remove("DOCSANDBOX_GUEST_WASM")
        .output()
        .unwrap()
}

#[test]
fn a_missing_target_is_added_or_named_before_the_long_build() {
    let scratch = std::env::temp_dir().join(format!("docsandbox-missing-target-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);

    // rustup cannot add it: the build fails at once, naming the command.
    let failed = build_with(&scratch, "echo 'error: could not download' >&2; exit 1");
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success(), "{err}");
    assert!(err.contains("is not installed") && err.contains("rustup target add wasm32-wasip1"), "{err}");
    assert!(!err.contains("Compiling docsandbox-guest "), "the guest build started: {err}");
    let log = std::fs::read_to_string(scratch.join("rustup.log")).unwrap();
    assert_eq!(log.trim(), "rustup target add wasm32-wasip1", "the build script tried to add the target itself");

    // rustup adds it: the build says so and goes on (to the guest build, which the rest of
    // the suite has already done, so it is quick).
    let sysroot = scratch.join("sysroot");
    let added = build_with(&scratch, &format!("mkdir -p {}/lib/rustlib/wasm32-wasip1", sysroot.display()));
    let err = String::from_utf8_lossy(&added.stderr);
    assert!(added.status.success(), "{err}");
    assert!(err.contains("wasm32-wasip1 is missing; adding it with `rustup target add wasm32-wasip1`"), "{err}");

    std::fs::remove_dir_all(&scratch).unwrap();
}
