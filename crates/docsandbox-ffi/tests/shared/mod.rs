//! Helpers shared by the C and Python tests.

use std::path::PathBuf;

/// The shared library cargo built for this test run: next to the test binary
/// (target/<profile>/deps) under `cargo test`, or one level up after `cargo build`.
pub fn shared_library() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    let found = [Some(deps), deps.parent()]
        .into_iter()
        .flatten()
        .flat_map(|dir| ["libdocsandbox_ffi.so", "libdocsandbox_ffi.dylib"].map(|name| dir.join(name)))
        .find(|lib| lib.exists());
    let library = found.unwrap_or_else(|| panic!("no libdocsandbox_ffi.so in or above {}", deps.display()));
    // Programs linked against it look for its soname (build.rs): give it one beside it, as
    // an installation does.
    #[cfg(target_os = "linux")]
    {
        let soname = library.with_file_name(soname());
        match std::os::unix::fs::symlink("libdocsandbox_ffi.so", &soname) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => panic!("cannot link {}: {e}", soname.display()),
            _ => {}
        }
    }
    library
}

/// The shared library's soname: `libdocsandbox_ffi.so.MAJOR`, or `.so.0.MINOR` before 1.0.
#[allow(dead_code)]
pub fn soname() -> String {
    let (major, minor) = (env!("CARGO_PKG_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MINOR"));
    if major == "0" {
        format!("libdocsandbox_ffi.so.0.{minor}")
    } else {
        format!("libdocsandbox_ffi.so.{major}")
    }
}
