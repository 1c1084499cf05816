//! Builds the guest (`guest/`) for wasm32-wasip1 and places it in OUT_DIR; tells
//! dependents where it is (`cargo:wasm=`, read by docsandbox's build script as
//! DEP_DOCSANDBOX_GUEST_WASM).
//!
//! The guest is a separate cargo workspace with its own flags (`guest/.cargo/config.toml`:
//! `+simd128`, a fixed shadow stack) and profile (LTO, `panic = "abort"`). It is always
//! built in release mode.
//!
//! Where its source comes from:
//! - **In the repository** (`<root>/guest` exists), from there, into `<root>/target/guest`,
//!   so every host build (debug, release, fuzz) shares one guest build. When the repository
//!   is a checkout in cargo's own cache (`cargo add --git`) or cannot be written, the guest
//!   is built in the target directory of the build instead, never beside the source.
//! - **From the published crate**, which carries the guest's source as `guest-src/`, and its
//!   Japanese fonts through docsandbox-guest-fonts: `assemble` puts the tree back together
//!   in OUT_DIR (a directory with a `Cargo.toml` cannot travel in a crate) and the guest is
//!   built in the target directory of the build.
#![forbid(unsafe_code)]

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip1";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let dest = out_dir.join("docsandbox-guest.wasm");

    println!("cargo:rerun-if-env-changed=DOCSANDBOX_GUEST_WASM");
    // Escape hatch for packagers: a guest built elsewhere (same sources, same protocol).
    if let Some(prebuilt) = env::var_os("DOCSANDBOX_GUEST_WASM") {
        println!("cargo:rerun-if-changed={}", Path::new(&prebuilt).display());
        std::fs::copy(&prebuilt, &dest).expect("copy DOCSANDBOX_GUEST_WASM");
        publish(&dest);
        return;
    }

    let repository = manifest_dir.join("../..");
    let in_repository = repository.join("guest/Cargo.toml").is_file();
    let (guest_dir, target_dir) = if in_repository {
        let root = repository.canonicalize().expect("workspace root");
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
        let shared = root.join("target").join("guest");
        let target_dir = if in_cargo_home(&root) || std::fs::create_dir_all(&shared).is_err() { build_target_dir(&out_dir) } else { shared };
        (root.join("guest"), target_dir)
    } else {
        println!("cargo:rerun-if-changed=guest-src");
        let fonts = PathBuf::from(env::var_os("DEP_DOCSANDBOX_GUEST_FONTS_DIR").expect("docsandbox-guest-fonts says where its fonts are"));
        let tree = out_dir.join("source");
        assemble(&manifest_dir.join("guest-src"), &fonts, &tree).unwrap_or_else(|e| panic!("putting the guest's source together in {}: {e}", tree.display()));
        (tree.join("guest"), build_target_dir(&out_dir))
    };

    check_target_installed(&guest_dir, in_repository);

    // In the repository, `cargo` from PATH (normally rustup's proxy), run in guest/, builds
    // with the toolchain pinned in rust-toolchain.toml even when the host is built with
    // another one (`cargo +nightly fuzz`, for instance). From the published crate, the
    // guest builds with the toolchain that builds the host.
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&guest_dir).args(["build", "--release", "--locked", "--target", TARGET, "--target-dir"]).arg(&target_dir);
    if in_repository {
        cmd.env_remove("RUSTUP_TOOLCHAIN");
    }
    // Flags meant for the host (sanitizers from cargo-fuzz, coverage, wrappers) must not
    // leak into the guest; the guest's own flags live in guest/.cargo/config.toml.
    for var in [
        "RUSTC",
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
fn check_target_installed(guest_dir: &Path, in_repository: bool) {
    let command = |program: &str| {
        let mut cmd = Command::new(program);
        cmd.current_dir(guest_dir);
        if in_repository {
            cmd.env_remove("RUSTUP_TOOLCHAIN");
        }
        cmd
    };
    let installed = || {
        let sysroot = command("rustc").env_remove("RUSTC").args(["--print", "sysroot"]).output().expect("run rustc --print sysroot");
        let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
        Path::new(&sysroot).join("lib/rustlib").join(TARGET).exists()
    };
    if installed() {
        return;
    }
    println!("cargo:warning=the Rust target {TARGET} is missing; adding it with `rustup target add {TARGET}`");
    let added = command("rustup").args(["target", "add", TARGET]).status();
    if matches!(added, Ok(status) if status.success()) && installed() {
        return;
    }
    panic!(
        "\n\nThe Rust target {TARGET} is not installed; the docsandbox guest needs it.\n\
         Install it with:\n\n    rustup target add {TARGET}\n\n"
    );
}

/// Whether `dir` is inside cargo's home (its git checkouts and registry sources), which
/// builds must not write into.
fn in_cargo_home(dir: &Path) -> bool {
    let home = env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    home.and_then(|home| home.canonicalize().ok()).is_some_and(|home| dir.starts_with(home))
}

/// `docsandbox-guest/` in the target directory of this build: the nearest ancestor of
/// OUT_DIR that cargo tagged as a build directory (CACHEDIR.TAG), or else OUT_DIR. Not
/// `guest/`, which a build in the repository may share: the two builds' final files would
/// overwrite each other.
fn build_target_dir(out_dir: &Path) -> PathBuf {
    out_dir.ancestors().find(|dir| dir.join("CACHEDIR.TAG").is_file()).unwrap_or(out_dir).join("docsandbox-guest")
}

/// Puts the guest's tree back together from the published crate's `guest-src/` and the
/// fonts crate: `<tree>/guest/{Cargo.toml, Cargo.lock, .cargo/config.toml, src, fonts}` and
/// `<tree>/crates/docsandbox-protocol/{Cargo.toml, src}`, the layout of the repository, so
/// the guest's manifest and lock file apply unchanged.
fn assemble(source: &Path, fonts: &Path, tree: &Path) -> std::io::Result<()> {
    let guest = tree.join("guest");
    let protocol = tree.join("crates").join("docsandbox-protocol");
    if tree.exists() {
        std::fs::remove_dir_all(tree)?;
    }
    std::fs::create_dir_all(guest.join(".cargo"))?;
    std::fs::copy(source.join("guest-manifest.toml"), guest.join("Cargo.toml"))?;
    std::fs::copy(source.join("guest-lockfile.lock"), guest.join("Cargo.lock"))?;
    std::fs::copy(source.join("guest-cargo-config.toml"), guest.join(".cargo").join("config.toml"))?;
    copy_tree(&source.join("src"), &guest.join("src"))?;
    copy_tree(&source.join("fonts"), &guest.join("fonts"))?;
    copy_tree(fonts, &guest.join("fonts"))?;
    copy_tree(&source.join("protocol-src"), &protocol.join("src"))?;
    // The repository's protocol manifest takes its fields from the workspace; this one says
    // them (it has no dependencies).
    let version = env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    std::fs::write(
        protocol.join("Cargo.toml"),
        format!("[package]\nname = \"docsandbox-protocol\"\nversion = \"{version}\"\nedition = \"2021\"\nlicense = \"Apache-2.0 OR MIT\"\n"),
    )
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
