//! `docsandbox serve`: a small web viewer. Upload a document (with a password if it has
//! one) and get its pages back as images, the report beside them, and a safe PDF to
//! download. Everything happens in memory within one request: the document, its pages and
//! the PDF are dropped once the response is sent.
//!
//! Defences: binds 127.0.0.1 unless told otherwise; request bodies are capped; at most
//! `workers` documents render at once and `queue` more may wait (beyond that: 503); a
//! strict Content-Security-Policy (scripts only from this server, no inline code); the page
//! puts document-derived text into the DOM as text only, never as HTML.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use docsandbox::{Error, ErrorKind, Limits, RenderOptions, Sandbox};
use tokio::sync::Semaphore;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
                   frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// How the viewer runs.
pub struct Settings {
    pub addr: SocketAddr,
    /// Where documents are rendered.
    pub isolation: docsandbox::Isolation,
    pub max_upload_bytes: usize,
    pub workers: usize,
    pub queue: usize,
    pub dpi: u32,
    pub limits: Limits,
}

struct Shared {
    sandbox: Sandbox,
    renders: Semaphore,
    /// Requests rendering or waiting to; more than workers + queue are turned away.
    admitted: AtomicUsize,
    capacity: usize,
    dpi: u32,
}

/// Serves until the process is stopped. Prints the address it listens on first.
pub fn run(settings: Settings) -> Result<(), String> {
    let sandbox = Sandbox::with_isolation(settings.limits.clone(), settings.isolation.clone()).map_err(|e| e.to_string())?;
    let shared = Arc::new(Shared {
        sandbox,
        renders: Semaphore::new(settings.workers.max(1)),
        admitted: AtomicUsize::new(0),
        capacity: settings.workers.max(1) + settings.queue,
        dpi: settings.dpi,
    });
    let app = Router::new()
        .route("/", get(|| async { asset("text/html; charset=utf-8", include_str!("viewer/index.html")) }))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", include_str!("viewer/app.js")) }))
        .route("/app.css", get(|| async { asset("text/css; charset=utf-8", include_str!("viewer/app.css")) }))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/render", post(render))
        .layer(DefaultBodyLimit::max(settings.max_upload_bytes))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(shared);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(settings.addr).await.map_err(|e| format!("cannot listen on {}: {e}", settings.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("docsandbox viewer listening on http://{addr}/");
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
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
struct Admission<'a>(&'a AtomicUsize);

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn render(State(shared): State<Arc<Shared>>, mut form: Multipart) -> Response {
    if shared.admitted.fetch_add(1, Ordering::SeqCst) >= shared.capacity {
        shared.admitted.fetch_sub(1, Ordering::SeqCst);
        return problem(StatusCode::SERVICE_UNAVAILABLE, "busy", "The viewer is busy; try again in a moment.".into());
    }
    let _admission = Admission(&shared.admitted);
    let (mut bytes, mut password, mut name) = (None, None, None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(e) => return problem(e.status(), "upload", format!("The upload failed: {}", e.body_text())),
                };
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
            Err(e) => return problem(e.status(), "upload", format!("The upload failed: {}", e.body_text())),
        }
    }
    let Some(bytes) = bytes else {
        return problem(StatusCode::BAD_REQUEST, "upload", "Choose a file to view.".into());
    };
    let Ok(_permit) = shared.renders.acquire().await else {
        return problem(StatusCode::SERVICE_UNAVAILABLE, "busy", "The viewer is shutting down.".into());
    };
    let worker = Arc::clone(&shared);
    let rendered = tokio::task::spawn_blocking(move || {
        let mut options = RenderOptions::default().dpi(worker.dpi);
        if let Some(p) = password {
            options = options.password(p);
        }
        if let Some(n) = name {
            options = options.file_name(n);
        }
        worker.sandbox.render(&bytes, &options).map(|document| {
            let engine = base64::engine::general_purpose::STANDARD;
            let pages: Vec<String> = document.pages().iter().map(|p| engine.encode(p.to_png())).collect();
            serde_json::json!({
                "report": document.report(),
                "pages": pages,
                "pdf": engine.encode(document.to_pdf_with(docsandbox::PdfImages::Jpeg(85))),
                "stopped": document.truncated().map(ToString::to_string),
            })
        })
    })
    .await;
    match rendered {
        Ok(Ok(body)) => Json(body).into_response(),
        Ok(Err(e)) => friendly(&e),
        Err(_) => problem(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Rendering failed unexpectedly.".into()),
    }
}

/// The typed error as a status code and a message for people.
fn friendly(error: &Error) -> Response {
    let (status, kind, message) = match (error.kind(), error) {
        (_, Error::PasswordRequired) => (StatusCode::UNPROCESSABLE_ENTITY, "password", "This document is password-protected. Enter its password and try again.".to_owned()),
        (ErrorKind::Password, _) => (StatusCode::UNPROCESSABLE_ENTITY, "password", "That password does not open this document.".to_owned()),
        (ErrorKind::Unsupported, _) => (StatusCode::UNPROCESSABLE_ENTITY, "unsupported", format!("This kind of file cannot be shown: {error}")),
        (ErrorKind::Malformed, _) => (StatusCode::UNPROCESSABLE_ENTITY, "malformed", format!("This file is damaged or deliberately malformed: {error}")),
        (ErrorKind::Limit, _) => (StatusCode::UNPROCESSABLE_ENTITY, "limit", format!("This file needs more than the viewer allows: {error}")),
        (ErrorKind::Usage, _) => (StatusCode::BAD_REQUEST, "usage", error.to_string()),
        (ErrorKind::Internal, _) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", error.to_string()),
    };
    problem(status, kind, message)
}
