//! `docsandbox serve` end to end: security headers, a render over HTTP, the upload cap, the
//! 503 when the queue is full, and the page driven in headless Chromium (tests/e2e).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "../../../tests/common/pdf.rs"]
#[allow(dead_code)]
mod pdf;

/// A running viewer, stopped when dropped.
struct Viewer {
    child: Child,
    addr: String,
}

impl Viewer {
    fn start(args: &[&str]) -> Viewer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docsandbox"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.trim().rsplit("http://").next().unwrap().trim_end_matches('/').to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        Viewer { child, addr }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Sends a raw HTTP/1.1 request and returns the status code, headers and body.
    fn request(&self, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let _ = stream.write_all(format!("{head}\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", self.addr, body.len()).as_bytes());
        let _ = stream.write_all(body);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let headers = String::from_utf8_lossy(&response[..split]).to_lowercase();
        let status = headers[9..12].parse().unwrap();
        (status, headers, response[split + 4..].to_vec())
    }

    /// Posts `file` (and a password) as a multipart form to /render.
    fn render(&self, file: &[u8], password: &str) -> (u16, String, Vec<u8>) {
        let boundary = "docsandbox-test-boundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n{password}\r\n--{boundary}--\r\n").as_bytes());
        self.request(&format!("POST /render HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={boundary}"), &body)
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/welcome.pdf")
}

#[test]
fn viewer_renders_over_http_with_strict_headers() {
    let viewer = Viewer::start(&["--max-upload-mib", "1"]);
    let (status, headers, body) = viewer.request("GET / HTTP/1.1", b"");
    assert_eq!(status, 200);
    assert!(headers.contains("content-security-policy: default-src 'none'; script-src 'self'"), "{headers}");
    assert!(headers.contains("x-content-type-options: nosniff") && headers.contains("x-frame-options: deny"), "{headers}");
    assert!(!String::from_utf8_lossy(&body).contains("<script>"), "inline script in the page");

    let (status, _, body) = viewer.render(&std::fs::read(sample()).unwrap(), "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let json = String::from_utf8(body).unwrap();
    assert!(json.contains("\"pages\":[\"iVBORw0KGgo") && json.contains("\"pdf\":\"JVBERi0"), "{}", &json[..200.min(json.len())]);

    // Friendly typed errors.
    let (status, _, body) = viewer.render(b"\x00\xff\x13\x37\x00\x00\xde\xad", "");
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("\"error\":\"unsupported\""));
    // Over the upload cap.
    let (status, _, _) = viewer.render(&vec![b'x'; 2 << 20], "");
    assert_eq!(status, 413);
}

#[test]
fn a_full_queue_gets_503() {
    let viewer = Viewer::start(&["--workers", "1", "--queue", "0", "--dpi", "300"]);
    let slow = pdf::text_pdf(&pdf::TextPdf { pages: 400, ..Default::default() });
    std::thread::scope(|s| {
        let first = s.spawn(|| viewer.render(&slow, "").0);
        std::thread::sleep(Duration::from_millis(700));
        let (status, _, body) = viewer.render(&std::fs::read(sample()).unwrap(), "");
        assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
        assert_eq!(first.join().unwrap(), 200);
    });
    // Free again.
    assert_eq!(viewer.render(&std::fs::read(sample()).unwrap(), "").0, 200);
}

#[test]
fn viewer_works_in_headless_chromium() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    let required = std::env::var_os("DOCSANDBOX_REQUIRE_E2E").is_some();
    let ready = e2e.join("node_modules/playwright-core").is_dir() && Path::new("/usr/bin/chromium").exists() && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        assert!(!required, "DOCSANDBOX_REQUIRE_E2E is set but node, chromium or tests/e2e/node_modules is missing");
        eprintln!("skipping: needs node, /usr/bin/chromium and `npm ci` in tests/e2e (.ci/run installs them)");
        return;
    }
    let viewer = Viewer::start(&[]);
    let mut command = Command::new("node");
    command.arg(e2e.join("viewer.mjs")).arg(viewer.url()).arg(sample());
    let zip = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/archive/TestDataEncryptedAES.zip");
    if zip.exists() {
        command.arg(&zip).arg("TestData");
    } else {
        eprintln!("the corpus is absent: the password ZIP part is skipped");
    }
    let output = command.current_dir(&e2e).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && stdout.contains("viewer ok"), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
}
