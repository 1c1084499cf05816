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
    assert_eq!(wrong.status.code(), Some(6), "a password case like any other: {}", String::from_utf8_lossy(&wrong.stderr));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("password"));
    assert!(Path::new(out).join("page-0001.png").exists(), "the overview page is still written");
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

/// Runs `docsandbox` with `stdin` as its standard input and extra environment variables.
fn docsandbox_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut command = Command::new(env!("CARGO_BIN_EXE_docsandbox"));
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("run docsandbox");
    let mut input = child.stdin.take().unwrap();
    // The process may stop reading (and close its end) before taking it all.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn legacy_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/files").join(name)
}

#[test]
fn stdin_and_stdout_stand_in_for_files() {
    let dir = temp_dir("stdio");
    let sample_bytes = std::fs::read(sample()).unwrap();
    // The reference: the same page written to a file.
    let out = dir.join("pages");
    assert_eq!(docsandbox(&["render", sample().to_str().unwrap(), "--out", out.to_str().unwrap(), "--dpi", "40"]).status.code(), Some(0));
    let page = std::fs::read(out.join("page-0001.png")).unwrap();

    let piped = docsandbox_with(&["render", "-", "--out", "-", "--dpi", "40"], &sample_bytes, &[]);
    assert_eq!(piped.status.code(), Some(0), "{}", String::from_utf8_lossy(&piped.stderr));
    assert_eq!(piped.stdout, page, "stdout holds exactly the page's PNG");
    assert!(String::from_utf8_lossy(&piped.stderr).contains("stdin: pdf, 1 of 1 pages rendered to stdout"), "the summary goes to stderr");

    // A three-page document: stdout takes one page, chosen with --pages; never a mix.
    let three = pdf::text_pdf(&pdf::TextPdf { pages: 3, ..Default::default() });
    let refused = docsandbox_with(&["render", "-", "--out", "-", "--dpi", "20"], &three, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty(), "nothing half-written to stdout");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--pages N"), "{}", String::from_utf8_lossy(&refused.stderr));
    let second = docsandbox_with(&["render", "-", "--out", "-", "--dpi", "20", "--pages", "2", "--format", "jpeg"], &three, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", String::from_utf8_lossy(&second.stderr));
    assert!(second.stdout.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
    // The safe PDF of all three pages on stdout.
    let pdf = docsandbox_with(&["render", "-", "--out", "-", "--dpi", "20", "--format", "pdf"], &three, &[]);
    assert_eq!(pdf.status.code(), Some(0), "{}", String::from_utf8_lossy(&pdf.stderr));
    assert!(pdf.stdout.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf.stdout).contains("/Count 3"));

    // inspect reads stdin too.
    let inspected = docsandbox_with(&["inspect", "-"], &sample_bytes, &[]);
    assert_eq!(inspected.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&inspected.stdout).contains("https://example.org/"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn many_inputs_each_get_their_own_output_and_a_json_line() {
    let dir = temp_dir("batch");
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    // Two inputs with the same name, a damaged one, a missing one and a directory.
    std::fs::write(a.join("report.pdf"), pdf::text_pdf(&pdf::TextPdf { pages: 3, ..Default::default() })).unwrap();
    std::fs::copy(sample(), b.join("report.pdf")).unwrap();
    std::fs::write(dir.join("broken.pdf"), b"%PDF-1.7\n garbage").unwrap();
    let out = dir.join("out");
    let inputs = [a.join("report.pdf"), b.join("report.pdf"), dir.join("broken.pdf"), dir.join("missing.pdf"), dir.clone()];
    let mut args = vec!["render".to_owned(), "--out".into(), out.display().to_string(), "--dpi".into(), "20".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    let text = docsandbox(&args);
    assert_eq!(text.status.code(), Some(4), "the first failure's code (malformed): {}", String::from_utf8_lossy(&text.stderr));
    assert_eq!(files_in(&out), ["report", "report-2"], "a folder per rendered input, and none for the failures");
    assert_eq!(files_in(&out.join("report")), ["page-0001.png", "page-0002.png", "page-0003.png"]);
    assert_eq!(files_in(&out.join("report-2")), ["page-0001.png"]);
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(stdout.ends_with("5 documents: 2 rendered in full, 0 in part, 3 not at all\n"), "{stdout}");
    let stderr = String::from_utf8(text.stderr).unwrap();
    assert!(stderr.contains("missing.pdf: no such file"), "{stderr}");
    assert!(stderr.contains("a directory, not a document"), "{stderr}");

    let mut json_args = args.clone();
    json_args.push("--json");
    let json = docsandbox(&json_args);
    let lines: Vec<serde_json::Value> = String::from_utf8(json.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    let field = |i: usize, name: &str| lines[i][name].clone();
    assert_eq!(field(0, "status"), "ok");
    assert_eq!(field(0, "pages_rendered"), 3);
    assert_eq!(field(0, "files").as_array().unwrap().len(), 3);
    assert_eq!(field(1, "report")["findings"][0]["kind"], "uri");
    assert_eq!(field(2, "status"), "failed");
    assert_eq!(field(2, "error")["kind"], "malformed");
    assert_eq!(field(2, "exit_code"), 4);
    assert_eq!(field(3, "error")["kind"], "usage");
    assert_eq!(field(4, "exit_code"), 2);

    // Safe PDFs, one per input, in a folder that does not exist yet.
    let pdfs = dir.join("pdfs");
    let pdf_args: Vec<String> = ["render", "--format", "pdf", "--dpi", "20", "--out", pdfs.to_str().unwrap()]
        .into_iter()
        .map(str::to_owned)
        .chain(inputs[..2].iter().map(|p| p.display().to_string()))
        .collect();
    let result = docsandbox(&pdf_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    assert_eq!(files_in(&pdfs), ["report-2.pdf", "report.pdf"]);
    assert!(std::fs::read(pdfs.join("report.pdf")).unwrap().starts_with(b"%PDF-"));

    let mut quiet_args = args.clone();
    quiet_args.push("--quiet");
    let quiet = docsandbox(&quiet_args);
    assert!(quiet.stdout.is_empty(), "--quiet prints no summary");
    assert!(!quiet.stderr.is_empty(), "but still says what failed");
    assert_eq!(quiet.status.code(), Some(4));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn jpeg_pages_and_old_pages_cleared() {
    let dir = temp_dir("jpeg");
    let out = dir.join("pages");
    std::fs::create_dir_all(&out).unwrap();
    // Pages of an earlier, longer document, and a file of the user's own.
    let three = dir.join("three.pdf");
    std::fs::write(&three, pdf::text_pdf(&pdf::TextPdf { pages: 3, ..Default::default() })).unwrap();
    assert_eq!(docsandbox(&["render", three.to_str().unwrap(), "--out", out.to_str().unwrap(), "--dpi", "20"]).status.code(), Some(0));
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    std::fs::write(out.join("page-1.png"), b"mine too").unwrap();

    let result = docsandbox(&["render", sample().to_str().unwrap(), "--out", out.to_str().unwrap(), "--dpi", "20", "--format", "jpeg", "--jpeg-quality", "60"]);
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    assert_eq!(files_in(&out), ["notes.txt", "page-0001.jpg", "page-1.png"], "no page of the earlier document is left beside this one's");
    assert!(String::from_utf8_lossy(&result.stderr).contains("removed 3 pages an earlier render left"));
    assert!(std::fs::read(out.join("page-0001.jpg")).unwrap().starts_with(&[0xFF, 0xD8, 0xFF]));
    assert_eq!(
        docsandbox(&["render", sample().to_str().unwrap(), "--out", out.to_str().unwrap(), "--jpeg-quality", "60"]).status.code(),
        Some(2),
        "JPEG quality for PNG pages"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn passwords_come_from_a_file_or_the_environment_and_inspect_keeps_its_report() {
    let dir = temp_dir("password-file");
    let document = legacy_file("encrypted-rc4.doc");
    let (document, out) = (document.to_str().unwrap(), dir.join("out"));
    let out = out.to_str().unwrap();
    let passwords = dir.join("passwords");
    std::fs::write(&passwords, "wrong\r\n\ndoc-secret\n").unwrap();
    let from_file = docsandbox(&["render", document, "--out", out, "--dpi", "20", "--password-file", passwords.to_str().unwrap()]);
    assert_eq!(from_file.status.code(), Some(0), "{}", String::from_utf8_lossy(&from_file.stderr));
    let from_env = docsandbox_with(&["render", document, "--out", out, "--dpi", "20"], b"", &[("DOCSANDBOX_PASSWORD", "doc-secret")]);
    assert_eq!(from_env.status.code(), Some(0), "{}", String::from_utf8_lossy(&from_env.stderr));
    let wrong = docsandbox_with(&["render", document, "--out", out, "--dpi", "20"], b"", &[("DOCSANDBOX_PASSWORD", "nope")]);
    assert_eq!(wrong.status.code(), Some(6));
    assert_eq!(docsandbox(&["render", document, "--out", out, "--password-file", "/nonexistent/pw"]).status.code(), Some(2));

    // Without the password, inspect still prints what it learnt, and exits 6.
    let inspected = docsandbox(&["inspect", document]);
    assert_eq!(inspected.status.code(), Some(6));
    let report: serde_json::Value = serde_json::from_slice(&inspected.stdout).expect("the report is printed");
    assert_eq!(report["format"], "doc");
    assert!(String::from_utf8_lossy(&inspected.stderr).contains("needs a password"));
    let opened = docsandbox(&["inspect", document, "--password-file", passwords.to_str().unwrap()]);
    assert_eq!(opened.status.code(), Some(0));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&opened.stdout).unwrap()["page_count"], 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn completions_and_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let result = docsandbox(&["completions", shell]);
        assert_eq!(result.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(result.stdout).unwrap();
        assert!(script.contains("docsandbox") && script.contains("password-file"), "{shell}: {script}");
    }
    let man = docsandbox(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let man = String::from_utf8(man.stdout).unwrap();
    assert!(man.contains(".TH docsandbox 1") && man.contains("render"), "{man}");
}

#[test]
fn sheets_print_by_their_setup_unless_gridlines_are_asked_for() {
    let dir = temp_dir("sheet-gridlines");
    let sheet = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/files/print-setup.xls");
    let (printed, screen) = (dir.join("printed"), dir.join("screen"));
    for (out, extra) in [(&printed, None), (&screen, Some("--sheet-gridlines"))] {
        let mut args = vec!["render", sheet.to_str().unwrap(), "--out", out.to_str().unwrap(), "--dpi", "30", "--pages", "1"];
        args.extend(extra);
        let result = docsandbox(&args);
        assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    }
    let page = |dir: &Path| std::fs::read(dir.join("page-0001.png")).unwrap();
    assert_ne!(page(&printed), page(&screen), "--sheet-gridlines changed nothing");
    std::fs::remove_dir_all(dir).unwrap();
}
