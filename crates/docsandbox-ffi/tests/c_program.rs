//! The C ABI from C and C++: `tests/c/render_documents.c` and `tests/c/example.cpp` are
//! compiled with the system compilers against `include/docsandbox.h` and the shared
//! library, then run on the shipped sample and corpus documents (expected outcomes come
//! from the Rust API), from several threads, and under valgrind when it is installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use docsandbox::{Limits, RenderOptions, Sandbox};

mod shared;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn compile(compiler: &str, source: &str, output: &str, extra: &[&str]) -> PathBuf {
    let out = std::env::temp_dir().join(format!("{output}-{}", std::process::id()));
    let library = shared::shared_library();
    let lib = library.parent().unwrap();
    let status = Command::new(compiler)
        .args(extra)
        .arg("-Wall")
        .arg("-Werror")
        .arg("-I")
        .arg(root().join("crates/docsandbox-ffi/include"))
        .arg(root().join(source))
        .arg("-L")
        .arg(lib)
        .arg("-ldocsandbox_ffi")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lpthread")
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(status.success(), "{compiler} failed on {source}");
    out
}

/// `FILE:STATUS:PAGES[:PASSWORD]` arguments, with the outcome the Rust API gives.
fn jobs() -> Vec<String> {
    let sandbox = Sandbox::new(Limits::default().deadline(Duration::from_secs(60))).unwrap();
    let mut files: Vec<(PathBuf, Option<&str>)> = vec![(root().join("samples/welcome.pdf"), None)];
    let corpus = root().join("../shared/corpus");
    if corpus.is_dir() {
        for (name, password) in [
            ("pdf-encrypted/issue6010_1.pdf", None),
            ("pdf-encrypted/issue6010_1.pdf", Some("abc")),
            ("docx/dangerzone-sample.docx", None),
            ("xlsx/60320-protected.xlsx", Some("Test001!!")),
            ("archive/TestDataEncryptedAES.zip", Some("TestData")),
            ("email/japanese_iso_2022.eml", None),
            ("archive/zbsm.zip", None),
        ] {
            files.push((corpus.join(name), password));
        }
    } else {
        eprintln!("skipping corpus documents: ../shared/corpus is absent");
    }
    files
        .into_iter()
        .map(|(path, password)| {
            let bytes = std::fs::read(&path).unwrap();
            let mut options = RenderOptions::default().dpi(50);
            if let Some(p) = password {
                options = options.password(p);
            }
            let (status, pages) = match sandbox.render(&bytes, &options) {
                Ok(doc) => (i32::from(doc.truncated().is_some()), doc.pages().len()),
                Err(e) => (e.kind().exit_code(), 0),
            };
            let mut arg = format!("{}:{status}:{pages}", path.display());
            if let Some(p) = password {
                arg.push_str(&format!(":{p}"));
            }
            arg
        })
        .collect()
}

#[test]
fn c_program_renders_documents_from_several_threads() {
    let program = compile("cc", "tests/c/render_documents.c", "render_documents", &["-std=c11", "-O1"]);
    let output = Command::new(&program).arg("--threads").arg("3").args(jobs()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && stdout.contains("all checks passed"), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    std::fs::remove_file(program).unwrap();
}

#[test]
fn cpp_example_writes_the_first_page() {
    let program = compile("c++", "tests/c/example.cpp", "example", &["-std=c++17"]);
    let png = std::env::temp_dir().join(format!("docsandbox-example-{}.png", std::process::id()));
    let output = Command::new(&program).arg(root().join("samples/welcome.pdf")).arg(&png).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("1 pages; report: {"));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    std::fs::remove_file(png).unwrap();
    std::fs::remove_file(program).unwrap();
}

#[test]
fn c89_program_streams_pages_as_they_come() {
    // Strict C89: the header has no `//` comments, and the streaming API fits old compilers.
    let program = compile("cc", "tests/c/stream_pages.c", "stream_pages", &["-std=c89", "-O1"]);
    for document in ["tests/files/shapes.ppt", "samples/welcome.pdf"] {
        let output = Command::new(&program).arg(root().join(document)).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success() && stdout.contains("all checks passed"), "{document}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    }
    std::fs::remove_file(program).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn the_shared_library_names_its_abi_version() {
    let library = shared::shared_library();
    let Ok(output) = Command::new("readelf").arg("-d").arg(&library).output() else {
        eprintln!("skipping: readelf is not installed");
        return;
    };
    let dynamic = String::from_utf8_lossy(&output.stdout);
    assert!(dynamic.contains(&format!("Library soname: [{}]", shared::soname())), "{dynamic}");
}

#[test]
fn c_program_is_clean_under_valgrind() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("skipping: valgrind is not installed (apt-get install valgrind)");
        return;
    }
    let program = compile("cc", "tests/c/render_documents.c", "render_documents_vg", &["-std=c11", "-O0", "-g"]);
    let jobs = jobs();
    // The sample and the password-protected XLSX: a renderer, the decryption, errors paths.
    let picked: Vec<&String> = jobs.iter().filter(|j| j.contains("welcome.pdf") || j.contains("60320") || j.contains("issue6010_1.pdf:6")).collect();
    // Under valgrind the library falls back to on-demand instances, whose compiled guest
    // has its own cache entry. Fill it natively first: compiling the 31 MB guest under
    // valgrind takes minutes. On a CPU with AVX-512 valgrind reports other CPU features, the
    // entry does not fit, and the guest is compiled under valgrind anyway; valgrind then
    // flags wasmparser, third-party code, during that compile (see tests/c/valgrind.supp).
    let warm = Command::new(&program).args(&picked).env("DOCSANDBOX_ON_DEMAND_ALLOCATION", "1").output().unwrap();
    assert!(warm.status.success(), "{}", String::from_utf8_lossy(&warm.stderr));
    let output = Command::new("valgrind")
        .args(["--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite"])
        .arg(format!("--suppressions={}", root().join("tests/c/valgrind.supp").display()))
        .arg(&program)
        .args(picked)
        // Valgrind cannot map the instance pool; the library must notice and fall back.
        .env_remove("DOCSANDBOX_ON_DEMAND_ALLOCATION")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{}\n{stderr}", String::from_utf8_lossy(&output.stdout));
    assert!(stderr.contains("ERROR SUMMARY: 0 errors") && stderr.contains("definitely lost: 0 bytes"), "{stderr}");
    std::fs::remove_file(program).unwrap();
}
