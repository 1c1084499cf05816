//! The Python package (`python/`) renders documents through the shared library: runs
//! `python/tests/test_docsandbox.py` with python3 and unittest against the source tree
//! (skipped, saying so, without python3). `scripts/test.sh` runs the same tests with pytest
//! against the wheel installed in a fresh venv.

use std::path::Path;
use std::process::Command;

mod shared;

#[test]
fn python_package_renders_documents() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipping: python3 is not installed");
        return;
    }
    let library = shared::shared_library();
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../python");
    let mut command = Command::new("python3");
    command.arg("-B").arg(python.join("tests/test_docsandbox.py")).arg("-v").env("PYTHONPATH", python.join("src")).env("DOCSANDBOX_LIB", &library);
    // The worker program cargo built beside the library, for the process-isolation test.
    let worker = library.parent().and_then(|dir| [dir, dir.parent().unwrap_or(dir)].into_iter().map(|d| d.join("docsandbox-worker")).find(|w| w.exists()));
    if let Some(worker) = worker {
        command.env("DOCSANDBOX_WORKER", worker);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stderr.contains("OK"), "{}\n{stderr}", String::from_utf8_lossy(&output.stdout));
}
