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
    found.unwrap_or_else(|| panic!("no libdocsandbox_ffi.so in or above {}", deps.display()))
}
