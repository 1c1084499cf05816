//! The compiled-guest cache is machine code the process runs, so it must only ever be
//! loaded from files no other account could have written. Attacked from outside: the real
//! `docsandbox` binary is pointed (DOCSANDBOX_CACHE_DIR) at cache directories holding a
//! swapped entry, a compiled guest that would end every render with
//! exit status 77. A control shows the swap does take effect from a directory the user
//! owns alone; every untrusted arrangement is refused, and rendering still works.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A guest that, if it ever ran, would stop at once with exit status 77.
const EVIL_GUEST: &str = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") i32.const 77 call $exit))"#;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/welcome.pdf")
}

/// A scratch cache directory, removed with the pages and links beside it when the test
/// ends (each holds a compiled guest of some 50 MB).
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for extension in ["pages", "uncached"] {
            let _ = std::fs::remove_dir_all(self.0.with_extension(extension));
        }
        let _ = std::fs::remove_file(self.0.with_extension("link"));
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("docsandbox-cache-trust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown_nobody(path: &Path) {
    let status = Command::new("chown").args(["-h", "65534:65534"]).arg(path).status().unwrap();
    assert!(status.success(), "chown {}", path.display());
}

/// Runs `docsandbox render` with `cache` as the compiled-guest cache.
fn render(cache: &Path, extra: &[&str]) -> Output {
    let out = cache.with_extension("pages");
    Command::new(env!("CARGO_BIN_EXE_docsandbox"))
        .args(extra)
        .arg("render")
        .arg(sample())
        .arg("--out")
        .arg(&out)
        .arg("--dpi")
        .arg("36")
        .env("DOCSANDBOX_CACHE_DIR", cache)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The forged entry's name and contents.
fn forged() -> (String, Vec<u8>) {
    docsandbox::forge_cache_entry(&wat::parse_str(EVIL_GUEST).unwrap()).unwrap()
}

#[test]
fn a_swapped_entry_runs_from_a_private_directory_so_the_attack_is_real() {
    let (name, evil) = forged();
    let dir = scratch("control");
    set_mode(&dir, 0o700);
    std::fs::write(dir.join(&name), &evil).unwrap();
    set_mode(&dir.join(&name), 0o600);
    let output = render(&dir, &[]);
    assert!(!output.status.success() && stderr(&output).contains("status 77"), "the forged guest did not run: {}", stderr(&output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_swapped_entry_is_never_loaded_from_what_others_could_write() {
    let (name, evil) = forged();
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let plant = |dir: &Path, mode: u32| {
        std::fs::write(dir.join(&name), &evil).unwrap();
        set_mode(&dir.join(&name), mode);
    };
    let mut cases: Vec<(&str, PathBuf, Vec<&str>)> = Vec::new();
    // The scratch directories, removed when the test ends.
    let mut scratches = Vec::new();

    // A world-writable directory (a shared volume), also as the confined worker sees it.
    let open = scratch("world-writable");
    plant(&open, 0o600);
    set_mode(&open, 0o777);
    cases.push(("world-writable directory", open.to_path_buf(), vec![]));
    if cfg!(target_os = "linux") {
        cases.push(("world-writable directory, process isolation", open.to_path_buf(), vec!["--process-isolation"]));
    }
    scratches.push(open);
    // A group-writable directory.
    let group = scratch("group-writable");
    plant(&group, 0o600);
    set_mode(&group, 0o770);
    cases.push(("group-writable directory", group.to_path_buf(), vec![]));
    scratches.push(group);
    // A private directory whose entry is a symlink to the forged file elsewhere.
    let elsewhere = scratch("elsewhere");
    plant(&elsewhere, 0o600);
    let linked = scratch("linked-file");
    set_mode(&linked, 0o700);
    std::os::unix::fs::symlink(elsewhere.join(&name), linked.join(&name)).unwrap();
    cases.push(("entry that is a symlink", linked.to_path_buf(), vec![]));
    scratches.push(linked);
    // The cache directory itself a symlink to a private directory holding the forged entry.
    let target = scratch("link-target");
    plant(&target, 0o600);
    set_mode(&target, 0o700);
    let dir_link = target.with_extension("link");
    let _ = std::fs::remove_file(&dir_link);
    std::os::unix::fs::symlink(&target, &dir_link).unwrap();
    cases.push(("directory that is a symlink", dir_link, vec![]));
    scratches.extend([elsewhere, target]);
    // A private directory with an entry anyone may write.
    let writable_file = scratch("writable-file");
    set_mode(&writable_file, 0o700);
    plant(&writable_file, 0o666);
    cases.push(("world-writable entry", writable_file.to_path_buf(), vec![]));
    scratches.push(writable_file);
    if root {
        // A directory owned by another account, and an entry owned by another account.
        let foreign = scratch("foreign-dir");
        plant(&foreign, 0o644);
        chown_nobody(&foreign.join(&name));
        set_mode(&foreign, 0o755);
        chown_nobody(&foreign);
        cases.push(("directory owned by nobody", foreign.to_path_buf(), vec![]));
        scratches.push(foreign);
        let foreign_file = scratch("foreign-file");
        set_mode(&foreign_file, 0o700);
        plant(&foreign_file, 0o644);
        chown_nobody(&foreign_file.join(&name));
        cases.push(("entry owned by nobody", foreign_file.to_path_buf(), vec![]));
        scratches.push(foreign_file);
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root, so that files can be given to nobody");
        eprintln!("not root: the cases owned by another account are skipped");
    }

    for (case, dir, extra) in &cases {
        let output = render(dir, extra);
        let err = stderr(&output);
        assert!(output.status.success(), "{case}: rendering failed (was the forged guest loaded?): {err}");
        assert!(!err.contains("status 77"), "{case}: {err}");
        assert!(dir.with_extension("pages").join("page-0001.png").is_file(), "{case}: no page");
        // Said once, on stderr.
        assert_eq!(err.matches("docsandbox: not ").count(), 1, "{case}: the refusal is said once: {err}");
    }
    // The forged entry in a directory that was refused is left alone, never loaded or replaced.
    let again = render(&cases[0].1, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
}

/// The first run after a build: the guest was precompiled by the build script for this
/// machine, so nothing is compiled at run time. The compiled guest is written to an empty
/// cache directory (private, whole) and mapped from there on later runs; with the cache
/// turned off it is loaded from the library itself. `--verbose` makes the library's
/// progress lines (said on a terminal) visible here.
#[test]
fn the_first_run_compiles_nothing_and_fills_the_cache() {
    let dir = scratch("first-run");
    std::fs::remove_dir(&dir).unwrap();
    let first = render(&dir, &["--verbose"]);
    let err = stderr(&first);
    assert!(first.status.success(), "{err}");
    assert!(!err.contains("compiling"), "the first run compiled the guest: {err}");
    assert_eq!(err.matches("cached the compiled guest").count(), 1, "{err}");
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].file_name().unwrap().to_string_lossy().starts_with("guest-"), "{entries:?}");
    assert_eq!(std::fs::metadata(&entries[0]).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);

    let again = render(&dir, &["--verbose"]);
    let err = stderr(&again);
    assert!(again.status.success(), "{err}");
    assert!(!err.contains("compiling") && !err.contains("cached"), "the second run did not just load the cache: {err}");

    let uncached = Command::new(env!("CARGO_BIN_EXE_docsandbox"))
        .args(["--verbose", "render"])
        .arg(sample())
        .arg("--out")
        .arg(dir.with_extension("uncached"))
        .args(["--dpi", "36"])
        .env("DOCSANDBOX_CACHE_DIR", "")
        .output()
        .unwrap();
    let err = stderr(&uncached);
    assert!(uncached.status.success(), "{err}");
    assert!(!err.contains("compiling"), "without a cache the guest was compiled: {err}");
    let _ = std::fs::remove_dir_all(dir.with_extension("uncached"));
    let _ = std::fs::remove_dir_all(dir.with_extension("pages"));
    std::fs::remove_dir_all(dir).unwrap();
}
