//! `docsandbox serve`: a small web viewer. Upload a document (with a password if it has
//! one) and get its pages back as images, streamed as they are rendered, the report beside
//! them, and a safe PDF to download. Everything happens in memory within one request: the
//! document, its pages and the PDF are dropped once the response is sent.
//!
//! Who may talk to it: binds 127.0.0.1 unless told otherwise; every request must name this
//! server in `Host` (its address, `localhost`, or a name given with `--allowed-host`, on any
//! port), which defeats DNS rebinding; a render must come from this server's own page: a foreign
//! `Origin` or a cross-site `Sec-Fetch-Site` is refused, and the request must carry the
//! token the page got from the server, in a header no other site can set without a CORS
//! preflight this server never grants.
//!
//! What it costs: request headers must arrive within [`HEADER_TIMEOUT`], the upload within
//! [`UPLOAD_TIMEOUT`], a connection lasts at most [`CONNECTION_LIFETIME`], and at most
//! [`MAX_CONNECTIONS`] are open. A request counts against `workers` and `queue` only once
//! its upload has arrived, so slow uploaders cannot crowd out real ones. Rendering uses the
//! viewer's own limits ([`limits`]), and every render reserves its worst case from one
//! memory budget shared by all workers. Pages go to the browser as soon as each is
//! rendered and encoded; its pixels are dropped then.
//!
//! How it is run: `/healthz` (alive) and `/readyz` (takes documents: the guest is loaded,
//! no shutdown is under way, and the queue or the memory budget has room for one more) for
//! probes, `/metrics` in Prometheus' text format, one JSON log line per
//! request and per render on stderr with the request's ID (`X-Request-Id`, kept from the
//! caller or made up, and returned), and on SIGTERM or Ctrl-C no new connections while the
//! requests in flight finish, for at most the grace period. The probes and metrics answer
//! whatever `Host` is named (a cluster probes by address) and say nothing of any document.
//!
//! What the page does: a strict Content-Security-Policy (scripts only from this server, no
//! inline code), and document-derived text reaches the DOM as text only, never as HTML.

use std::net::{IpAddr, SocketAddr};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use docsandbox::{Error, ErrorKind, Limits, RenderOptions, Sandbox};
use tokio::sync::{mpsc, Semaphore};

use crate::operations::{self, log, Metrics};

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
                   frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The header carrying the page's token on every render request.
pub const TOKEN_HEADER: &str = "x-docsandbox-token";

/// Time a client has to send a request's headers (each request on a connection).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Time a client has to send a whole upload, from the start of the request.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest a connection may stay open, whatever it is doing.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// Connections open at once; more are closed as soon as they are accepted.
pub const MAX_CONNECTIONS: usize = 128;

/// How the viewer runs.
pub struct Settings {
    pub addr: SocketAddr,
    /// Host names besides the bound address and `localhost` that the viewer answers to.
    pub allowed_hosts: Vec<String>,
    /// Where documents are rendered.
    pub isolation: docsandbox::Isolation,
    pub max_upload_bytes: usize,
    pub workers: usize,
    pub queue: usize,
    pub dpi: u32,
    pub limits: Limits,
    /// Bytes all renders in flight may use together, each counted at its worst case.
    pub memory_budget: u64,
    /// Whether render log lines name the uploaded file.
    pub log_file_names: bool,
    /// How long requests in flight may take to finish after SIGTERM.
    pub shutdown_grace: Duration,
    /// The page token replicas share; a random one when `None`.
    pub token: Option<String>,
}

/// Reads a shared page token from a file: 32 or more letters, digits, `-` or `_`, with
/// surrounding white space ignored.
pub fn read_token(path: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
    let token = text.trim();
    if token.len() < 32 || token.len() > 256 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(format!("the token in {} must be 32 to 256 letters, digits, `-` or `_` (`openssl rand -hex 32` makes one)", path.display()));
    }
    Ok(token.to_owned())
}

/// The viewer's limits for one document: the library's defaults made smaller where they
/// would let one upload hold gigabytes (pages are streamed, so a page at a time).
pub fn limits(max_upload_bytes: u64, max_pages: u32) -> Limits {
    Limits::default()
        .max_input_bytes(max_upload_bytes)
        .max_pages(max_pages)
        .max_memory_bytes(512 << 20)
        .max_page_side(8_000)
        .max_page_pixels(16_000_000)
        .max_output_bytes(1 << 30)
        .deadline(Duration::from_secs(30))
}

/// The most one render can hold at once: the guest's memory plus three pages (one in the
/// guest, one crossing over, one being encoded).
fn worst_case(limits: &Limits) -> u64 {
    limits.max_memory_bytes + 3 * 4 * limits.max_page_pixels
}

struct Shared {
    sandbox: Sandbox,
    renders: Arc<Semaphore>,
    /// The shared memory budget, in MiB.
    memory: Arc<Semaphore>,
    /// MiB one render reserves from `memory`.
    render_mib: u32,
    /// Requests rendering or waiting to; more than workers + queue are turned away.
    admitted: AtomicUsize,
    capacity: usize,
    dpi: u32,
    /// The `Host` values (lower case) this server answers to.
    hosts: Vec<String>,
    /// The secret the page carries and every render must present.
    token: String,
    /// The memory budget, in MiB.
    budget_mib: u64,
    /// Requests rendering now (the rest of `admitted` waits).
    rendering: AtomicUsize,
    /// Set once a shutdown began: not ready any more.
    shutting_down: AtomicBool,
    metrics: Metrics,
    /// Request IDs made here: a prefix for this process, then a counter.
    id_prefix: String,
    next_id: AtomicU64,
    log_file_names: bool,
}

/// The ID of the request being served, for its log lines.
#[derive(Clone)]
struct RequestId(String);

/// Serves until the process is stopped. Prints the address it listens on first.
pub fn run(settings: Settings) -> Result<(), String> {
    let sandbox = Sandbox::with_isolation(settings.limits.clone(), settings.isolation.clone()).map_err(|e| e.to_string())?;
    let render_mib = worst_case(&settings.limits).div_ceil(1 << 20);
    let budget_mib = settings.memory_budget >> 20;
    if budget_mib < render_mib {
        return Err(format!("a memory budget of {budget_mib} MiB cannot hold one render ({render_mib} MiB at worst with these limits)"));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(settings.addr).await.map_err(|e| format!("cannot listen on {}: {e}", settings.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let shared = Arc::new(Shared {
            sandbox,
            renders: Arc::new(Semaphore::new(settings.workers.max(1))),
            memory: Arc::new(Semaphore::new(usize::try_from(budget_mib).unwrap_or(usize::MAX).min(Semaphore::MAX_PERMITS))),
            render_mib: u32::try_from(render_mib).unwrap_or(u32::MAX),
            admitted: AtomicUsize::new(0),
            capacity: settings.workers.max(1) + settings.queue,
            dpi: settings.dpi,
            hosts: host_names(addr, &settings.allowed_hosts),
            token: settings.token.clone().unwrap_or_else(new_token),
            budget_mib,
            rendering: AtomicUsize::new(0),
            shutting_down: AtomicBool::new(false),
            metrics: Metrics::default(),
            id_prefix: new_token()[..8].to_owned(),
            next_id: AtomicU64::new(1),
            log_file_names: settings.log_file_names,
        });
        let app = Router::new()
            .route("/", get(index))
            .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", include_str!("viewer/app.js")) }))
            .route("/app.css", get(|| async { asset("text/css; charset=utf-8", include_str!("viewer/app.css")) }))
            .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
            .route("/render", post(render))
            .route("/healthz", get(|| async { ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok\n") }))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics))
            .layer(DefaultBodyLimit::max(settings.max_upload_bytes))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), gate))
            .layer(axum::middleware::map_response(security_headers))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), observe))
            .with_state(Arc::clone(&shared));
        println!("docsandbox viewer listening on http://{addr}/");
        log("info", "listening", serde_json::json!({ "addr": addr.to_string(), "workers": settings.workers.max(1), "queue": settings.queue }));
        accept(listener, app, &shared, settings.shutdown_grace).await
    });
    // Renders still running after the grace period are abandoned with the process.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Whether the viewer takes a new document now, and if not why: not while shutting down,
/// nor when an upload would be turned away (the queue is full and the memory budget has no
/// room for another render). A replica that is merely busy stays ready: its queue holds
/// the upload, and taking every busy replica out of a Service would leave none.
fn readiness(shared: &Shared) -> Result<(), &'static str> {
    if shared.shutting_down.load(Ordering::SeqCst) {
        return Err("shutting down");
    }
    let queue_full = shared.admitted.load(Ordering::SeqCst) >= shared.capacity;
    if queue_full && shared.memory.available_permits() < shared.render_mib as usize {
        return Err("the queue is full and the memory budget has no room for another render");
    }
    Ok(())
}

async fn readyz(State(shared): State<Arc<Shared>>) -> Response {
    let text = |status, body: String| (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response();
    match readiness(&shared) {
        Ok(()) => text(StatusCode::OK, "ready\n".into()),
        Err(why) => text(StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {why}\n")),
    }
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let admitted = shared.admitted.load(Ordering::SeqCst);
    let rendering = shared.rendering.load(Ordering::SeqCst);
    let free_mib = shared.memory.available_permits() as u64;
    let gauges = operations::Gauges {
        queued: admitted.saturating_sub(rendering),
        rendering,
        memory_reserved_bytes: shared.budget_mib.saturating_sub(free_mib) << 20,
        memory_budget_bytes: shared.budget_mib << 20,
        ready: readiness(&shared).is_ok(),
    };
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], shared.metrics.exposition(&gauges)).into_response()
}

/// Gives each request its ID (returned in `X-Request-Id`) and logs it when answered. Only
/// the viewer's own paths are named in the log; probes are not logged.
async fn observe(State(shared): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    let given = request.headers().get("x-request-id").and_then(|v| v.to_str().ok());
    let id = operations::request_id(given, &shared.next_id, &shared.id_prefix);
    let method = request.method().as_str().to_owned();
    let path: &'static str = ["/", "/app.js", "/app.css", "/favicon.ico", "/render", "/healthz", "/readyz", "/metrics"]
        .into_iter()
        .find(|known| *known == request.uri().path())
        .unwrap_or("(other)");
    request.extensions_mut().insert(RequestId(id.clone()));
    let started = Instant::now();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    if !matches!(path, "/healthz" | "/readyz" | "/metrics") {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        log("info", "request", serde_json::json!({ "request_id": id, "method": method, "path": path, "status": response.status().as_u16(), "ms": ms }));
    }
    response
}

/// What stops the server: SIGTERM (as Kubernetes sends) or Ctrl-C.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = terminate => "SIGTERM",
            _ = tokio::signal::ctrl_c() => "SIGINT",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// Accepts connections, each with the timeouts and the cap, until a shutdown signal; then
/// lets the connections in flight finish for at most `grace`.
async fn accept(listener: tokio::net::TcpListener, app: Router, shared: &Shared, grace: Duration) -> Result<(), String> {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            signal = &mut stop => {
                shared.shutting_down.store(true, Ordering::SeqCst);
                log("info", "shutdown", serde_json::json!({ "signal": signal, "in_flight": shared.admitted.load(Ordering::SeqCst), "grace_s": grace.as_secs() }));
                break;
            }
        };
        let (stream, _) = match accepted {
            Ok(accepted) => accepted,
            // Out of descriptors, say: wait a moment rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
            drop(permit);
        });
    }
    drop(listener);
    let drained = tokio::time::timeout(grace, graceful.shutdown()).await.is_ok();
    log(if drained { "info" } else { "warn" }, "stopped", serde_json::json!({ "drained": drained }));
    Ok(())
}

/// The host names (lower case, without a port) this server answers to: its address,
/// `localhost` and the loopback addresses when it listens on them, and the names given. The
/// port in `Host` is not compared: behind a balancer or an ingress it is theirs, not this
/// server's, and DNS rebinding is about the name.
fn host_names(addr: SocketAddr, allowed: &[String]) -> Vec<String> {
    let mut names: Vec<String> = allowed.iter().map(|h| host_name(&h.trim().to_ascii_lowercase()).to_owned()).filter(|h| !h.is_empty()).collect();
    let ip = addr.ip();
    if ip.is_loopback() || ip.is_unspecified() {
        names.extend(["localhost".into(), "127.0.0.1".into(), "[::1]".into()]);
    }
    if !ip.is_unspecified() {
        names.push(match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        });
    }
    names
}

/// The name in a `Host` value: `name` of `name:8080`, `[::1]` of `[::1]:8080`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// A fresh random token (32 bytes from the OS, hex).
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        // Without /dev/urandom: std's per-process random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(i);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses requests not meant for this server: a `Host` it does not answer to (DNS
/// rebinding), and, for anything but reading the page and its assets, a foreign `Origin`,
/// a cross-site fetch or a missing token.
async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let reading = request.method() == Method::GET || request.method() == Method::HEAD;
    if reading && matches!(request.uri().path(), "/healthz" | "/readyz" | "/metrics") {
        return next.run(request).await;
    }
    let refused = |response: Response| {
        shared.metrics.refused();
        response
    };
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_ascii_lowercase);
    let Some(host) = host.filter(|h| shared.hosts.iter().any(|name| name == host_name(h))) else {
        return refused(problem(StatusCode::MISDIRECTED_REQUEST, "host", "This viewer does not answer to that host name.".into()));
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        // Plain HTTP, or HTTPS ended at a proxy in front (which passes `Host` on).
        let origin = origin.to_str().unwrap_or("");
        if origin != format!("http://{host}") && origin != format!("https://{host}") {
            return refused(problem(StatusCode::FORBIDDEN, "origin", "Requests from other sites are refused.".into()));
        }
    }
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !reading {
        if site == "cross-site" || site == "same-site" {
            return refused(problem(StatusCode::FORBIDDEN, "origin", "Requests from other sites are refused.".into()));
        }
        if !token_matches(headers, &shared.token) {
            return refused(problem(StatusCode::FORBIDDEN, "token", "Reload the viewer page and try again.".into()));
        }
    }
    next.run(request).await
}

/// Constant-time comparison of the request's token with ours.
fn token_matches(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers.get(TOKEN_HEADER).map(HeaderValue::as_bytes) else {
        return false;
    };
    given.len() == token.len() && given.iter().zip(token.as_bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The viewer page, carrying this server's token.
async fn index(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let accepted = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let page = include_str!("viewer/index.html").replace("{{TOKEN}}", &shared.token).replace("{{LANG}}", language(accepted));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::VARY, "Accept-Language")], page).into_response()
}

/// The viewer's languages.
const LANGUAGES: [&str; 2] = ["en", "ja"];

/// The language of the viewer's page: the one of [`LANGUAGES`] the browser's
/// `Accept-Language` ranks highest (`ja-JP;q=0.9, en;q=0.8`), English when it names none.
fn language(accepted: &str) -> &'static str {
    let mut best = ("en", 0.0f32);
    for entry in accepted.split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok())).unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(language) = LANGUAGES.iter().find(|l| **l == primary) {
            if q > best.1 {
                best = (language, q);
            }
        }
    }
    best.0
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// A JSON error the page shows as a friendly message.
fn problem(status: StatusCode, kind: &str, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": kind, "message": message }))).into_response()
}

/// Releases an admission when the request ends, however it ends.
struct Admission(Arc<Shared>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts a render in flight while it lives.
struct Rendering(Arc<Shared>);

impl Rendering {
    fn start(shared: &Arc<Shared>) -> Rendering {
        shared.rendering.fetch_add(1, Ordering::SeqCst);
        Rendering(Arc::clone(shared))
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        self.0.rendering.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The uploaded form.
struct Upload {
    bytes: Bytes,
    password: Option<String>,
    name: Option<String>,
}

async fn read_form(mut form: Multipart) -> Result<Upload, Response> {
    let (mut bytes, mut password, mut name) = (None, None, None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let data = field.bytes().await.map_err(|e| problem(e.status(), "upload", format!("The upload failed: {}", e.body_text())))?;
                match field_name.as_str() {
                    "file" => {
                        bytes = Some(data);
                        name = file_name;
                    }
                    "password" if !data.is_empty() => password = Some(String::from_utf8_lossy(&data).into_owned()),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => return Err(problem(e.status(), "upload", format!("The upload failed: {}", e.body_text()))),
        }
    }
    let bytes = bytes.ok_or_else(|| problem(StatusCode::BAD_REQUEST, "upload", "Choose a file to view.".into()))?;
    Ok(Upload { bytes, password, name })
}

/// What the render thread sends to the response.
enum Streamed {
    /// One NDJSON line.
    Line(Bytes),
    /// The document failed before any page: answer with an error status instead.
    Failed(Error),
}

async fn render(State(shared): State<Arc<Shared>>, Extension(RequestId(id)): Extension<RequestId>, form: Multipart) -> Response {
    let upload = match tokio::time::timeout(UPLOAD_TIMEOUT, read_form(form)).await {
        Ok(Ok(upload)) => upload,
        Ok(Err(response)) => return response,
        Err(_) => return problem(StatusCode::REQUEST_TIMEOUT, "upload", "The upload took too long.".into()),
    };
    // Only a complete upload takes a place in the queue.
    if shared.admitted.fetch_add(1, Ordering::SeqCst) >= shared.capacity {
        shared.admitted.fetch_sub(1, Ordering::SeqCst);
        shared.metrics.busy();
        return problem(StatusCode::SERVICE_UNAVAILABLE, "busy", "The viewer is busy; try again in a moment.".into());
    }
    let admission = Admission(Arc::clone(&shared));
    let worker = Arc::clone(&shared.renders).acquire_owned().await;
    let memory = Arc::clone(&shared.memory).acquire_many_owned(shared.render_mib).await;
    let (Ok(worker), Ok(memory)) = (worker, memory) else {
        return problem(StatusCode::SERVICE_UNAVAILABLE, "busy", "The viewer is shutting down.".into());
    };
    let (sender, mut receiver) = mpsc::channel::<Streamed>(2);
    let renderer = Arc::clone(&shared);
    tokio::task::spawn_blocking(move || {
        // Held until the render ends: the place in the queue, the worker and the memory.
        let _held = (admission, worker, memory, Rendering::start(&renderer));
        stream_document(&renderer, upload, &sender, &id);
    });
    // Wait for the first line: a document that fails before any page gets an error status.
    match receiver.recv().await {
        None => problem(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Rendering failed unexpectedly.".into()),
        Some(Streamed::Failed(e)) => friendly(&e),
        Some(Streamed::Line(first)) => {
            let rest = futures_util::stream::unfold(receiver, |mut receiver| async move {
                match receiver.recv().await {
                    Some(Streamed::Line(line)) => Some((Ok::<Bytes, std::convert::Infallible>(line), receiver)),
                    Some(Streamed::Failed(_)) | None => None,
                }
            });
            let body = Body::from_stream(futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(first) }), rest));
            ([(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")], body).into_response()
        }
    }
}

/// One JSON value as an NDJSON line.
fn line(value: &serde_json::Value) -> Bytes {
    let mut text = value.to_string();
    text.push('\n');
    Bytes::from(text)
}

/// Renders the upload on this (blocking) thread, sending each page as a line as soon as it
/// is encoded, then a last line with the report and the safe PDF. Stops when the client
/// goes away. A failure before any page is sent as [`Streamed::Failed`].
fn stream_document(shared: &Shared, upload: Upload, sender: &mpsc::Sender<Streamed>, request_id: &str) {
    let started = Instant::now();
    let mut options = RenderOptions::default().dpi(shared.dpi);
    if let Some(p) = upload.password {
        options = options.password(p);
    }
    let file_name = upload.name.clone();
    if let Some(n) = upload.name {
        options = options.file_name(n);
    }
    let engine = base64::engine::general_purpose::STANDARD;
    let mut pdf = docsandbox::safe_pdf::Builder::new(docsandbox::PdfImages::Jpeg(85));
    let result = shared.sandbox.render_streaming(&upload.bytes, &options, |page, progress| {
        pdf.add(&page);
        let value = serde_json::json!({
            "type": "page",
            "number": page.number(),
            "width": page.width(),
            "height": page.height(),
            "expected": progress.expected,
            "png": engine.encode(page.to_png()),
        });
        // The page's pixels are dropped here; only its PNG and JPEG remain.
        drop(page);
        match sender.blocking_send(Streamed::Line(line(&value))) {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    });
    // Counted and logged: the format, the outcome, the pages and the time, never the
    // document's text or the guest's messages (which come from the document).
    let (format, outcome, pages, error) = match &result {
        Err(e) => (None, e.kind().name(), 0, Some(e)),
        Ok(summary) => {
            let outcome = match &summary.truncated {
                None => "ok",
                Some(Error::Cancelled) => "cancelled",
                Some(_) => "partial",
            };
            (summary.report.format.as_deref(), outcome, summary.pages_rendered, summary.truncated.as_ref())
        }
    };
    let format = format.unwrap_or("unknown");
    shared.metrics.render(format, outcome, pages, started.elapsed(), error);
    let mut fields = serde_json::json!({
        "request_id": request_id,
        "format": format,
        "outcome": outcome,
        "error": error.map(|e| e.kind().name()),
        "pages": pages,
        "bytes": upload.bytes.len(),
        "ms": started.elapsed().as_secs_f64() * 1000.0,
    });
    if let (true, Some(name)) = (shared.log_file_names, file_name) {
        fields["file_name"] = serde_json::Value::String(name);
    }
    log("info", "render", fields);
    let last = match result {
        Err(e) => {
            let _ = sender.blocking_send(Streamed::Failed(e));
            return;
        }
        Ok(summary) => serde_json::json!({
            "type": "done",
            "report": summary.report,
            "pages": summary.pages_rendered,
            "pdf": engine.encode(pdf.finish()),
            "stopped": summary.truncated.as_ref().map(ToString::to_string),
        }),
    };
    let _ = sender.blocking_send(Streamed::Line(line(&last)));
}

/// The typed error as a status code and a message for people.
fn friendly(error: &Error) -> Response {
    let (status, kind, message) = match (error.kind(), error) {
        (_, Error::PasswordRequired) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "password", "This document is password-protected. Enter its password and try again.".to_owned())
        }
        (ErrorKind::Password, _) => (StatusCode::UNPROCESSABLE_ENTITY, "password", "That password does not open this document.".to_owned()),
        (ErrorKind::Unsupported, _) => (StatusCode::UNPROCESSABLE_ENTITY, "unsupported", format!("This kind of file cannot be shown: {error}")),
        (ErrorKind::Malformed, _) => (StatusCode::UNPROCESSABLE_ENTITY, "malformed", format!("This file is damaged or deliberately malformed: {error}")),
        (ErrorKind::Limit, _) => (StatusCode::UNPROCESSABLE_ENTITY, "limit", format!("This file needs more than the viewer allows: {error}")),
        (ErrorKind::Usage, _) => (StatusCode::BAD_REQUEST, "usage", error.to_string()),
        // Internal, and any kind a later library version adds.
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal", error.to_string()),
    };
    problem(status, kind, message)
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn the_page_speaks_the_browsers_best_language() {
        assert_eq!(language("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"), "ja");
        assert_eq!(language("en-GB,en;q=0.9,ja;q=0.8"), "en");
        assert_eq!(language("fr-FR,fr;q=0.9,ja;q=0.5"), "ja");
        assert_eq!(language("de"), "en");
        assert_eq!(language(""), "en");
        assert_eq!(language("en;q=0.2, JA;q=0.3"), "ja");
    }
}
