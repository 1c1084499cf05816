//! The `docsandbox` command end to end: files written, summary printed, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../../tests/it/common/pdf.rs"]
#[allow(dead_code)]
mod pdf;

fn docsandbox(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docsandbox")).args(args).output().expect("run docsandbox")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/welcome.pdf")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("docsandbox-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(target_os = "linux")]
#[test]
fn process_isolation_renders_the_same_pages_in_a_worker() {
    let (plain, isolated) = (temp_dir("plain"), temp_dir("isolated"));
    let args = |out: &Path| vec!["render".to_owned(), sample().display().to_string(), "--out".into(), out.display().to_string(), "--dpi".into(), "72".into()];
    let result = docsandbox(&args(&plain).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(result.status.code(), Some(0));
    // The worker program sits next to `docsandbox` in the target directory.
    let mut isolated_args = args(&isolated);
    isolated_args.insert(0, "--process-isolation".into());
    let result = docsandbox(&isolated_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    assert_eq!(std::fs::read(plain.join("page-0001.png")).unwrap(), std::fs::read(isolated.join("page-0001.png")).unwrap());
    let missing = Command::new(env!("CARGO_BIN_EXE_docsandbox"))
        .args(["--process-isolation", "inspect", sample().to_str().unwrap()])
        .env("DOCSANDBOX_WORKER", "/nonexistent/docsandbox-worker")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(70), "a missing worker is the sandbox's failure, not the document's");
    std::fs::remove_dir_all(plain).unwrap();
    std::fs::remove_dir_all(isolated).unwrap();
}

#[test]
fn render_writes_numbered_pngs_and_a_summary() {
    let out = temp_dir("render");
    let result = docsandbox(&["render", sample().to_str().unwrap(), "--out", out.to_str().unwrap(), "--dpi", "72"]);
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    let png = std::fs::read(out.join("page-0001.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let stdout = String::from_utf8(result.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("1 of 1 pages"), "{stdout}");
    // Not a terminal: no progress bar on stderr.
    assert!(result.stderr.is_empty(), "{}", String::from_utf8_lossy(&result.stderr));
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn render_can_write_one_safe_pdf() {
    let out = temp_dir("pdf");
    let input = sample();
    for extra in [&[][..], &["--jpeg-quality", "70"][..]] {
        let pdf = out.join("safe.pdf");
        let mut args = vec!["render", input.to_str().unwrap(), "--format", "pdf", "--out", pdf.to_str().unwrap(), "--dpi", "72"];
        args.extend_from_slice(extra);
        let result = docsandbox(&args);
        assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let filter = if extra.is_empty() { "/FlateDecode" } else { "/DCTDecode" };
        assert!(String::from_utf8_lossy(&bytes).contains(filter), "{extra:?}: no {filter}");
    }
    assert_eq!(docsandbox(&["render", sample().to_str().unwrap(), "--format", "pdf", "--out", "x.pdf", "--jpeg-quality", "0"]).status.code(), Some(2));
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn inspect_prints_the_report_as_json() {
    let result = docsandbox(&["inspect", sample().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0));
    let stdout = String::from_utf8(result.stdout).unwrap();
    assert!(stdout.trim_start().starts_with('{') && stdout.contains("\"uri\"") && stdout.contains("https://example.org/"), "{stdout}");
}

#[test]
fn exit_codes_follow_the_error_kind() {
    let dir = temp_dir("codes");
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let code = |args: &[&str]| docsandbox(args).status.code();

    assert_eq!(code(&["render"]), Some(2), "missing arguments");
    assert_eq!(code(&["render", &file("a.pdf", b"%PDF-1.4"), "--out", out, "--dpi", "0"]), Some(2), "bad DPI");
    assert_eq!(code(&["render", &file("a.pdf", b"%PDF-1.4"), "--out", out, "--pages", "0-3"]), Some(2), "bad range");
    assert_eq!(code(&["render", "/nonexistent/file.pdf", "--out", out]), Some(2), "unreadable input");
    assert_eq!(code(&["render", &file("b.bin", b"\x00\xff\x13\x37\x00\x00\xde\xad"), "--out", out]), Some(3), "unsupported");
    assert_eq!(code(&["render", &file("c.pdf", b"%PDF-1.7\n garbage"), "--out", out]), Some(4), "malformed");
    assert_eq!(code(&["render", sample().to_str().unwrap(), "--out", out, "--pages", "5"]), Some(2), "range past the end");
    assert_eq!(code(&["render", sample().to_str().unwrap(), "--out", out, "--deadline", "0"]), Some(2), "zero deadline");

    // A generated three-page PDF cut off after two pages is partial output.
    let three = pdf::text_pdf(&pdf::TextPdf { pages: 3, ..Default::default() });
    let partial = docsandbox(&["render", &file("d.pdf", &three), "--out", out, "--max-pages", "2", "--dpi", "20"]);
    assert_eq!(partial.status.code(), Some(1), "{}", String::from_utf8_lossy(&partial.stderr));
    assert!(String::from_utf8_lossy(&partial.stderr).contains("more than the 2 pages"));
    assert!(Path::new(out).join("page-0002.png").exists() && !Path::new(out).join("page-0003.png").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn password_errors_exit_with_6() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pdf-encrypted/issue6010_1.pdf");
    if !path.exists() {
        eprintln!("SKIPPED: the corpus (../shared/corpus) is absent");
        return;
    }
    let out = temp_dir("password");
    let (path, out) = (path.to_str().unwrap(), out.to_str().unwrap());
    assert_eq!(docsandbox(&["render", path, "--out", out]).status.code(), Some(6));
    assert_eq!(docsandbox(&["render", path, "--out", out, "--password", "nope"]).status.code(), Some(6));
    assert_eq!(docsandbox(&["render", path, "--out", out, "--password", "abc"]).status.code(), Some(0));
}

#[test]
fn passwords_are_tried_in_turn() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/archive/TestDataEncryptedAES.zip");
    if !corpus.exists() {
        eprintln!("SKIPPED: the corpus is absent");
        return;
    }
    let dir = temp_dir("passwords");
    let out = dir.join("out");
    let (input, out) = (corpus.to_str().unwrap(), out.to_str().unwrap());
    let tried = docsandbox(&["render", input, "--out", out, "--dpi", "30", "--password", "wrong", "--password", "TestData"]);
    assert_eq!(tried.status.code(), Some(0), "{}", String::from_utf8_lossy(&tried.stderr));
    let wrong = docsandbox(&["render", input, "--out", out, "--dpi", "30", "--password", "wrong", "--password", "also-wrong"]);
    assert_eq!(wrong.status.code(), Some(1), "the overview is partial output: {}", String::from_utf8_lossy(&wrong.stderr));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("password"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn planted_symlinks_in_the_output_are_replaced_not_followed() {
    let dir = temp_dir("symlinks");
    let out = dir.join("pages");
    std::fs::create_dir_all(&out).unwrap();
    // Another user's file, and symlinks to it where the pages and the PDF will be written.
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("page-0001.png")).unwrap();
    let pdf = dir.join("safe.pdf");
    std::os::unix::fs::symlink(&victim, &pdf).unwrap();

    let result = docsandbox(&["render", sample().to_str().unwrap(), "--out", out.to_str().unwrap(), "--dpi", "36"]);
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    let result = docsandbox(&["render", sample().to_str().unwrap(), "--format", "pdf", "--out", pdf.to_str().unwrap(), "--dpi", "36"]);
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));

    assert_eq!(std::fs::read(&victim).unwrap(), b"precious", "a page was written through the planted symlink");
    let page = out.join("page-0001.png");
    assert!(std::fs::symlink_metadata(&page).unwrap().file_type().is_file(), "the symlink was replaced by the page");
    assert!(std::fs::read(&page).unwrap().starts_with(b"\x89PNG"));
    assert!(std::fs::symlink_metadata(&pdf).unwrap().file_type().is_file());
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["page-0001.png"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn inspect_with_process_isolation_names_the_layers() {
    let result = docsandbox(&["--process-isolation", "inspect", sample().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    let stderr = String::from_utf8_lossy(&result.stderr);
    for layer in ["webassembly", "seccomp", "landlock", "user namespace", "resource limits"] {
        assert!(stderr.contains(&format!("isolation: {layer}: ")), "{layer} missing from\n{stderr}");
    }
    assert!(String::from_utf8_lossy(&result.stdout).starts_with('{'), "the report is still JSON on stdout");
}

#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    use std::process::Stdio;
    // `docsandbox inspect x.pdf | true`: stdout is a pipe whose reader has gone.
    let out = temp_dir("gone-reader");
    let (sample, out) = (sample().display().to_string(), out.display().to_string());
    for args in [vec!["inspect", &sample], vec!["render", &sample, "--out", &out, "--dpi", "36"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docsandbox")).args(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
