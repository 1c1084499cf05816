//! `docsandbox serve` end to end, over real connections: security headers, a streamed
//! render, the upload cap, the 503 when the queue is full, refusal of foreign hosts,
//! origins and tokenless requests, slow clients, the memory bomb, and the page driven in
//! headless Chromium (tests/e2e).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "../../../tests/it/common/pdf.rs"]
#[allow(dead_code)]
mod pdf;

/// A running viewer, stopped when dropped.
struct Viewer {
    child: Child,
    addr: String,
    /// The token from the viewer's page.
    token: String,
    /// What it logged on stderr so far.
    logs: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Viewer {
    fn start(args: &[&str]) -> Viewer {
        Viewer::start_with(args, &[])
    }

    /// Starts a viewer with these arguments and environment variables.
    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Viewer {
        let mut command = Command::new(env!("CARGO_BIN_EXE_docsandbox"));
        command.arg("serve").args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        if !env.iter().any(|(name, _)| *name == "DOCSANDBOX_PORT") {
            command.args(["--port", "0"]);
        }
        let mut child = command.envs(env.iter().copied()).spawn().unwrap();
        let logs = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let sink = std::sync::Arc::clone(&logs);
        std::thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.trim().rsplit("http://").next().unwrap().trim_end_matches('/').to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        let mut viewer = Viewer { child, addr, token: String::new(), logs };
        let (status, _, page) = viewer.request("GET / HTTP/1.1", b"");
        assert_eq!(status, 200);
        let page = String::from_utf8(page).unwrap();
        let marker = "name=\"docsandbox-token\" content=\"";
        let at = page.find(marker).expect("the page carries a token") + marker.len();
        viewer.token = page[at..at + 64].to_owned();
        viewer
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Sends a raw HTTP/1.1 request (with this viewer's Host) and returns the status code,
    /// headers and body.
    fn request(&self, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        self.request_as(&self.addr, head, body)
    }

    /// Sends a raw HTTP/1.1 request naming `host` in its Host header.
    fn request_as(&self, host: &str, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let _ = stream.write_all(format!("{head}\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes());
        let _ = stream.write_all(body);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        parse_response(&response)
    }

    /// Posts `file` (and a password) as a multipart form to /render, as the viewer's page does.
    fn render(&self, file: &[u8], password: &str) -> (u16, String, Vec<u8>) {
        self.render_with(&self.addr, &format!("{TOKEN_HEADER}: {}", self.token), file, password)
    }

    /// Posts a render with the given Host and extra header lines.
    fn render_with(&self, host: &str, extra: &str, file: &[u8], password: &str) -> (u16, String, Vec<u8>) {
        let (content_type, body) = form(file, password);
        let extra = if extra.is_empty() { String::new() } else { format!("\r\n{extra}") };
        self.request_as(host, &format!("POST /render HTTP/1.1\r\nContent-Type: {content_type}{extra}"), &body)
    }
}

const TOKEN_HEADER: &str = "X-Docsandbox-Token";

/// A multipart form with the file and the password: (content type, body).
fn form(file: &[u8], password: &str) -> (String, Vec<u8>) {
    let boundary = "docsandbox-test-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n{password}\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Status, lower-cased headers and the body (de-chunked) of a raw response.
fn parse_response(response: &[u8]) -> (u16, String, Vec<u8>) {
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let headers = String::from_utf8_lossy(&response[..split]).to_lowercase();
    let status = headers[9..12].parse().unwrap();
    let mut body = response[split + 4..].to_vec();
    if headers.contains("transfer-encoding: chunked") {
        let mut plain = Vec::new();
        let mut rest = &body[..];
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            plain.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 4 + size..];
        }
        body = plain;
    }
    (status, headers, body)
}

/// The NDJSON lines of a streamed render.
fn lines(body: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(body).lines().map(str::to_owned).collect()
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

    let (status, headers, body) = viewer.render(&std::fs::read(sample()).unwrap(), "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(headers.contains("content-type: application/x-ndjson"), "{headers}");
    let lines = lines(&body);
    assert!(
        lines[0].starts_with("{") && lines[0].contains("\"type\":\"page\"") && lines[0].contains("\"png\":\"iVBORw0KGgo"),
        "{}",
        &lines[0][..200.min(lines[0].len())]
    );
    let last = lines.last().unwrap();
    assert!(last.contains("\"type\":\"done\"") && last.contains("\"pdf\":\"JVBERi0") && last.contains("\"report\""), "{}", &last[..200.min(last.len())]);

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
fn requests_from_other_sites_render_nothing() {
    let viewer = Viewer::start(&[]);
    let doc = std::fs::read(sample()).unwrap();
    let token = format!("{TOKEN_HEADER}: {}", viewer.token);
    let port = viewer.addr.rsplit(':').next().unwrap().to_owned();
    // DNS rebinding: the attacker's name resolving to this machine.
    for host in ["attacker.example", &format!("attacker.example:{port}"), &format!("127.0.0.1.nip.io:{port}")] {
        let (status, _, body) = viewer.request_as(host, "GET / HTTP/1.1", b"");
        assert_eq!(status, 421, "GET / with Host {host}");
        assert!(!String::from_utf8_lossy(&body).contains(&viewer.token), "the token leaked to Host {host}");
        let (status, _, body) = viewer.render_with(host, &token, &doc, "");
        assert_eq!(status, 421, "render with Host {host}: {}", String::from_utf8_lossy(&body));
    }
    // A cross-site form post (no preflight needed) or fetch, with or without the token.
    for extra in [
        "Origin: http://attacker.example".to_owned(),
        format!("Origin: http://attacker.example\r\n{token}"),
        format!("Sec-Fetch-Site: cross-site\r\n{token}"),
        format!("Sec-Fetch-Site: same-site\r\n{token}"),
        format!("Origin: null\r\n{token}"),
        // No token, or a wrong one.
        String::new(),
        format!("{TOKEN_HEADER}: {}", "0".repeat(64)),
        format!("Origin: http://{}", viewer.addr),
    ] {
        let (status, _, body) = viewer.render_with(&viewer.addr, &extra, &doc, "");
        assert_eq!(status, 403, "{extra:?}: {}", String::from_utf8_lossy(&body));
        assert!(!String::from_utf8_lossy(&body).contains("iVBORw0KGgo"));
    }
    // The viewer's own page: same origin, same-origin fetch, the token.
    let own = format!("Origin: http://{}\r\nSec-Fetch-Site: same-origin\r\n{token}", viewer.addr);
    assert_eq!(viewer.render_with(&viewer.addr, &own, &doc, "").0, 200);
    let localhost = format!("localhost:{port}");
    assert_eq!(viewer.render_with(&localhost, &format!("Origin: http://{localhost}\r\n{token}"), &doc, "").0, 200);
}

#[test]
fn a_name_given_with_allowed_host_is_answered() {
    let viewer = Viewer::start(&["--allowed-host", "viewer.hospital.example"]);
    let port = viewer.addr.rsplit(':').next().unwrap().to_owned();
    let host = format!("viewer.hospital.example:{port}");
    assert_eq!(viewer.request_as(&host, "GET / HTTP/1.1", b"").0, 200);
    assert_eq!(viewer.request_as(&format!("other.example:{port}"), "GET / HTTP/1.1", b"").0, 421);
    // Behind a balancer or a TLS ingress, `Host` carries their port (or none) and the page's
    // origin is https.
    for host in ["viewer.hospital.example", "viewer.hospital.example:443", "VIEWER.hospital.example:8080"] {
        assert_eq!(viewer.request_as(host, "GET / HTTP/1.1", b"").0, 200, "{host}");
    }
    let doc = std::fs::read(sample()).unwrap();
    let token = format!("{TOKEN_HEADER}: {}", viewer.token);
    let behind_tls = format!("Origin: https://viewer.hospital.example\r\nSec-Fetch-Site: same-origin\r\n{token}");
    assert_eq!(viewer.render_with("viewer.hospital.example", &behind_tls, &doc, "").0, 200);
    let foreign = format!("Origin: https://attacker.example\r\n{token}");
    assert_eq!(viewer.render_with("viewer.hospital.example", &foreign, &doc, "").0, 403);
    assert_eq!(viewer.request_as("viewer.hospital.example.attacker.example", "GET / HTTP/1.1", b"").0, 421);
}

#[test]
fn slow_clients_do_not_stop_real_uploads() {
    let viewer = Viewer::start(&["--workers", "2", "--queue", "8"]);
    let doc = std::fs::read(sample()).unwrap();
    // Ten uploads that trickle: headers and part of the body, then nothing.
    let (content_type, body) = form(&doc, "");
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut stream = TcpStream::connect(&viewer.addr).unwrap();
        let head = format!(
            "POST /render HTTP/1.1\r\nHost: {}\r\n{TOKEN_HEADER}: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            viewer.addr,
            viewer.token,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body[..100]).unwrap();
        slow.push(stream);
    }
    std::thread::sleep(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let (status, _, answer) = viewer.render(&doc, "");
    assert_eq!(status, 200, "a real upload behind ten slow ones: {}", String::from_utf8_lossy(&answer));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    drop(slow);
}

#[test]
fn half_a_header_is_closed_within_ten_seconds() {
    let viewer = Viewer::start(&[]);
    let mut stream = TcpStream::connect(&viewer.addr).unwrap();
    stream.write_all(format!("POST /render HTTP/1.1\r\nHost: {}\r\nContent-Ty", viewer.addr).as_bytes()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(started.elapsed() < Duration::from_secs(10), "the connection stayed open {:?}", started.elapsed());
}

/// The peak resident memory of a process, from /proc.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap().to_owned();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_page_size_bomb_stays_within_a_gibibyte() {
    let viewer = Viewer::start(&[]);
    // 13 all but blank pages of 200 x 200 inches (14 400 pt, PDF's largest): 22 000 px a
    // side at the viewer's DPI.
    let bomb = pdf::text_pdf(&pdf::TextPdf { pages: 13, size: (14_400.0, 14_400.0), ..Default::default() });
    let started = std::time::Instant::now();
    let (status, _, body) = viewer.render(&bomb, "");
    let lines = lines(&body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(lines.iter().filter(|l| l.contains("\"type\":\"page\"")).count(), 13, "every page shown");
    let peak = peak_rss_kib(viewer.pid());
    assert!(peak < 1 << 20, "the viewer peaked at {} MiB", peak >> 10);
    eprintln!("13-page bomb: {:?}, peak RSS {} MiB", started.elapsed(), peak >> 10);
}

#[test]
fn viewer_works_in_headless_chromium() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    let required = std::env::var_os("DOCSANDBOX_REQUIRE_E2E").is_some();
    let ready =
        e2e.join("node_modules/playwright-core").is_dir() && Path::new("/usr/bin/chromium").exists() && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        assert!(!required, "DOCSANDBOX_REQUIRE_E2E is set but node, chromium or tests/e2e/node_modules is missing");
        eprintln!("skipping: needs node, /usr/bin/chromium and `npm ci` in tests/e2e (.ci/run installs them)");
        return;
    }
    let viewer = Viewer::start(&[]);
    let mut command = Command::new("node");
    let three_slides = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/files/shapes.ppt");
    command.arg(e2e.join("viewer.mjs")).arg(viewer.url()).arg(sample()).arg(three_slides);
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

#[test]
fn every_finding_kind_has_plain_words_in_the_viewer() {
    let script = include_str!("../src/viewer/app.js");
    for kind in docsandbox::FindingKind::ALL {
        assert!(script.contains(&format!("  \"{}\": [\"", kind.name())), "the viewer has no plain words for {}", kind.name());
    }
}

/// The viewer's JSON log lines so far.
fn log_lines(viewer: &Viewer) -> Vec<serde_json::Value> {
    viewer.logs.lock().unwrap().lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))).collect()
}

/// The value of one sample in a Prometheus text exposition.
fn sample_value(metrics: &str, name: &str) -> Option<f64> {
    metrics.lines().find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')).and_then(|v| v.trim().parse().ok()))
}

#[test]
fn probes_metrics_and_logs_for_operators() {
    // Settings from the environment, as a container passes them.
    let viewer = Viewer::start_with(&[], &[("DOCSANDBOX_PORT", "0"), ("DOCSANDBOX_ALLOWED_HOST", "viewer.example,other.example"), ("DOCSANDBOX_QUEUE", "3")]);
    let port = viewer.addr.rsplit(':').next().unwrap().to_owned();
    assert_eq!(viewer.request_as(&format!("other.example:{port}"), "GET / HTTP/1.1", b"").0, 200, "DOCSANDBOX_ALLOWED_HOST was read");

    // A cluster probes by the pod's address: any Host.
    for path in ["/healthz", "/readyz", "/metrics"] {
        let (status, headers, _) = viewer.request_as("10.1.2.3:8080", &format!("GET {path} HTTP/1.1"), b"");
        assert_eq!(status, 200, "{path}");
        assert!(headers.contains("x-request-id: "), "{headers}");
    }
    let doc = std::fs::read(sample()).unwrap();
    let token = format!("{TOKEN_HEADER}: {}", viewer.token);
    let (status, headers, _) = viewer.render_with(&viewer.addr, &format!("{token}\r\nX-Request-Id: trace-42"), &doc, "");
    assert_eq!(status, 200);
    assert!(headers.contains("x-request-id: trace-42"), "the caller's request ID is kept: {headers}");
    assert_eq!(viewer.render(b"%PDF-1.7\n garbage", "").0, 422);
    let (status, headers, _) = viewer.render_with(&viewer.addr, "X-Request-Id: <script>", &doc, "");
    assert_eq!(status, 403, "no token");
    assert!(!headers.contains("<script>"), "a request ID that is not plain is replaced");

    let (_, _, body) = viewer.request("GET /metrics HTTP/1.1", b"");
    let metrics = String::from_utf8(body).unwrap();
    assert_eq!(sample_value(&metrics, "docsandbox_renders_total{format=\"pdf\",outcome=\"ok\"}"), Some(1.0), "{metrics}");
    assert_eq!(sample_value(&metrics, "docsandbox_renders_total{format=\"unknown\",outcome=\"malformed\"}"), Some(1.0), "{metrics}");
    assert_eq!(sample_value(&metrics, "docsandbox_pages_rendered_total"), Some(1.0));
    assert_eq!(sample_value(&metrics, "docsandbox_render_duration_seconds_count"), Some(2.0));
    assert_eq!(sample_value(&metrics, "docsandbox_refused_total"), Some(1.0));
    assert_eq!(sample_value(&metrics, "docsandbox_queue_depth"), Some(0.0));
    assert_eq!(sample_value(&metrics, "docsandbox_ready"), Some(1.0));
    assert!(sample_value(&metrics, "docsandbox_memory_budget_bytes").is_some_and(|v| v > 0.0));
    for line in metrics.lines().filter(|l| !l.starts_with('#')) {
        assert!(line.rsplit_once(' ').is_some_and(|(_, v)| v.parse::<f64>().is_ok()), "not a sample: {line}");
    }

    // One JSON line per request and per render, with the request ID, and no file name.
    std::thread::sleep(Duration::from_millis(200));
    let logs = log_lines(&viewer);
    let render = logs.iter().find(|l| l["event"] == "render" && l["request_id"] == "trace-42").expect("the render is logged under its ID");
    assert_eq!((render["format"].as_str(), render["outcome"].as_str(), render["pages"].as_u64()), (Some("pdf"), Some("ok"), Some(1)));
    assert!(logs.iter().any(|l| l["event"] == "request" && l["request_id"] == "trace-42" && l["status"] == 200));
    assert!(logs.iter().any(|l| l["event"] == "render" && l["outcome"] == "malformed" && l["error"] == "malformed"));
    let text = viewer.logs.lock().unwrap().clone();
    assert!(!text.contains("upload.bin") && !text.contains("garbage"), "no file names or document content in the logs: {text}");

    let named = Viewer::start(&["--log-file-names"]);
    assert_eq!(named.render(&doc, "").0, 200);
    std::thread::sleep(Duration::from_millis(200));
    assert!(log_lines(&named).iter().any(|l| l["event"] == "render" && l["file_name"] == "upload.bin"), "named when asked");
}

#[cfg(unix)]
#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits() {
    let mut viewer = Viewer::start(&["--shutdown-grace", "20"]);
    let doc = std::fs::read(sample()).unwrap();
    let (content_type, body) = form(&doc, "");
    // A request in flight: headers and half its upload sent.
    let mut stream = TcpStream::connect(&viewer.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /render HTTP/1.1\r\nHost: {}\r\n{TOKEN_HEADER}: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        viewer.addr,
        viewer.token,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..body.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill").args(["-TERM", &viewer.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    // No new connections once the shutdown began...
    assert!(TcpStream::connect(&viewer.addr).is_err(), "still accepting after SIGTERM");
    // ...but the request in flight is answered in full.
    stream.write_all(&body[body.len() / 2..]).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let (status, _, response) = parse_response(&response);
    assert_eq!(status, 200);
    assert!(lines(&response).last().is_some_and(|l| l.contains("\"type\":\"done\"")), "the whole render was sent");
    // Then the process ends, cleanly.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = viewer.child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "still running after the request finished");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let logs = log_lines(&viewer);
    assert!(logs.iter().any(|l| l["event"] == "shutdown" && l["signal"] == "SIGTERM"));
    assert!(logs.iter().any(|l| l["event"] == "stopped" && l["drained"] == true));
}

#[test]
fn replicas_sharing_a_token_file_take_each_others_pages() {
    let dir = std::env::temp_dir().join(format!("docsandbox-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, format!("{}\n", "a1b2c3d4".repeat(8))).unwrap();
    let file = file.to_str().unwrap();
    let (one, two) = (Viewer::start(&["--token-file", file]), Viewer::start_with(&[], &[("DOCSANDBOX_TOKEN_FILE", file)]));
    assert_eq!(one.token, two.token, "both pages carry the shared token");
    // The page came from one replica; the balancer sends the render to the other.
    let doc = std::fs::read(sample()).unwrap();
    assert_eq!(two.render_with(&two.addr, &format!("{TOKEN_HEADER}: {}", one.token), &doc, "").0, 200);
    // A weak or missing token file stops the start with a usage error.
    std::fs::write(dir.join("weak"), "secret").unwrap();
    for bad in [dir.join("weak"), dir.join("missing")] {
        let result = Command::new(env!("CARGO_BIN_EXE_docsandbox")).args(["serve", "--port", "0", "--token-file", bad.to_str().unwrap()]).output().unwrap();
        assert_eq!(result.status.code(), Some(2), "{}", String::from_utf8_lossy(&result.stderr));
    }
    std::fs::remove_dir_all(dir).unwrap();
}
