//! The Python ctypes bindings (`python/docsandbox.py`) render documents through the shared
//! library: runs `python/test_docsandbox.py` with python3 (skipped, saying so, without it).

use std::path::Path;
use std::process::Command;

mod shared;

#[test]
fn python_bindings_render_documents() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipping: python3 is not installed");
        return;
    }
    let library = shared::shared_library();
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("python");
    let output = Command::new("python3")
        .arg("-B")
        .arg(python.join("test_docsandbox.py"))
        .arg("-v")
        .current_dir(&python)
        .env("DOCSANDBOX_LIB", &library)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stderr.contains("OK"), "{}\n{stderr}", String::from_utf8_lossy(&output.stdout));
}
