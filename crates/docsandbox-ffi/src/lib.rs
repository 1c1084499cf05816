//! The C ABI of docsandbox (`include/docsandbox.h`).
//!
//! Handles are opaque: `ds_sandbox` (thread-safe: render from many threads at once) and
//! `ds_document` (the pages and report of one render; read it from any thread, free it
//! once). Every function checks its pointers, returns a status code that mirrors the
//! `docsandbox` command's exit codes, and never lets a panic cross into C. The message of
//! the last failure on the calling thread is in `ds_last_error_message`.
//!
//! Memory: everything a `ds_document` hands out (PNG bytes, pixels, the report) lives until
//! `ds_document_free`; what a `ds_page` hands out lives until its callback returns; the
//! strings from `ds_last_error_message` and `ds_version` are owned by the library.
//!
//! ABI stability: within one `DS_VERSION_MAJOR` (and, while it is 0, one
//! `DS_VERSION_MINOR`) functions and constants are only added, never changed or removed,
//! and the structs only grow at their end; the shared library's soname names that version
//! (`libdocsandbox_ffi.so.0.1`). Set `struct_size` in `ds_limits` and `ds_options` to
//! `sizeof` the struct (0 means "this header's size"), so that a newer library reads only
//! the fields the caller's header had.
// The C ABI needs raw pointers; every unsafe block says why it is sound.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]
#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;
use std::time::Duration;

use docsandbox::{Document, Error, FindingKind, Isolation, Limits, Page, PdfImages, RenderOptions, Sandbox};

/// The library's major version (see the ABI stability note above).
pub const DS_VERSION_MAJOR: u32 = 0;
/// The library's minor version.
pub const DS_VERSION_MINOR: u32 = 1;
/// The library's patch version.
pub const DS_VERSION_PATCH: u32 = 0;

/// Success.
pub const DS_OK: i32 = 0;
/// Some pages were rendered, then a limit or a crash stopped the rest; the document holds
/// what was rendered (`ds_last_error_message` says why it stopped).
pub const DS_PARTIAL: i32 = 1;
/// A null pointer, a bad option or an out-of-range index.
pub const DS_USAGE: i32 = 2;
/// A format docsandbox does not render.
pub const DS_UNSUPPORTED: i32 = 3;
/// A damaged document (or one that crashed its renderer).
pub const DS_MALFORMED: i32 = 4;
/// A resource limit was hit before any page: size, fuel, deadline, memory, pages, output.
pub const DS_LIMIT: i32 = 5;
/// The document needs a password, or the one given is wrong.
pub const DS_PASSWORD: i32 = 6;
/// The sandbox itself failed (not the document's fault), or a bug was caught.
pub const DS_INTERNAL: i32 = 70;

/// Resource limits for a sandbox. A field left at 0 takes the library default, so a
/// zero-initialised struct (or a NULL pointer) means "defaults".
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ds_limits {
    /// `sizeof(ds_limits)` as the caller's header has it, or 0 for this header's.
    pub struct_size: u32,
    /// Largest document accepted, in bytes.
    pub max_input_bytes: u64,
    /// CPU budget of one render, in Wasmtime fuel units.
    pub fuel: u64,
    /// Wall-clock budget of one render, in milliseconds.
    pub deadline_ms: u64,
    /// Largest guest memory, in bytes.
    pub max_memory_bytes: u64,
    /// Most pages rendered.
    pub max_pages: u32,
    /// Longest side of one page, in pixels.
    pub max_page_side: u32,
    /// Most pixels in one page.
    pub max_page_pixels: u64,
    /// Most bytes of output (pages and report) from one render.
    pub max_output_bytes: u64,
}

/// Options for one render. Zero/NULL fields take the defaults: 150 DPI, no password, all
/// pages, no file name, no passwords from e-mail bodies.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ds_options {
    /// `sizeof(ds_options)` as the caller's header has it, or 0 for this header's.
    pub struct_size: u32,
    /// Resolution in dots per inch.
    pub dpi: u32,
    /// First page to render, 1-based (0: the first).
    pub first_page: u32,
    /// Last page to render, 1-based, inclusive (0: the last).
    pub last_page: u32,
    /// Password for an encrypted document (UTF-8, NUL-terminated), or NULL.
    pub password: *const c_char,
    /// The document's file name (UTF-8, NUL-terminated), or NULL; only used to report an
    /// extension that does not match the content.
    pub file_name: *const c_char,
    /// Non-zero: an encrypted e-mail attachment may be opened with a password stated in the
    /// message body.
    pub passwords_from_message: u8,
    /// The date and time a sheet header's date and time fields print, in seconds since
    /// 1970-01-01 in the reader's time zone; 0: the time of rendering, in UTC. Added after
    /// the first version of the struct: a caller whose `struct_size` ends before it gets
    /// the default.
    pub print_time: i64,
    /// Non-zero: spreadsheets are drawn as on screen, with light gridlines and the sheet's
    /// name on every page, instead of by their own page setup. Added with `print_time`.
    pub sheet_gridlines: u8,
}

/// The size of the first `ds_options`, the smallest `struct_size` accepted: up to and
/// including `passwords_from_message`.
const OPTIONS_V1: usize = std::mem::offset_of!(ds_options, passwords_from_message) + 1;

/// A sandbox: the compiled guest and its limits. Thread-safe.
pub struct ds_sandbox {
    sandbox: Sandbox,
}

/// One page handed to a `ds_page_callback`, valid until the callback returns.
pub struct ds_page {
    page: Page,
    png: OnceLock<Vec<u8>>,
}

/// Called by `ds_render_streaming` with each page as soon as it is rendered, on the thread
/// that called `ds_render_streaming`. `page` and everything it hands out are valid until
/// the callback returns. Return 0 to go on, anything else to stop rendering.
pub type ds_page_callback = Option<unsafe extern "C" fn(user_data: *mut c_void, page: *const ds_page) -> i32>;

/// One rendered document: its pages and report.
pub struct ds_document {
    document: Document,
    report_json: CString,
    png: Vec<OnceLock<Vec<u8>>>,
    pdf: OnceLock<Vec<u8>>,
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_error(message: &str) {
    let message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = message);
}

fn status(error: &Error) -> i32 {
    set_error(&error.to_string());
    error.kind().exit_code()
}

/// Runs `f`, turning a panic into `DS_INTERNAL` (or `fallback`) with a message.
fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        set_error("internal error: a bug in docsandbox was caught at the C boundary");
        fallback
    })
}

/// A `&str` from a nullable C string; `Err` when it is not UTF-8.
///
/// # Safety
/// `text` is NULL or points to a NUL-terminated string that stays valid for `'a`.
unsafe fn optional_str<'a>(text: *const c_char, what: &str) -> Result<Option<&'a str>, i32> {
    if text.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null, and the caller promises a NUL-terminated string valid for 'a.
    let text = unsafe { CStr::from_ptr(text) };
    text.to_str().map(Some).map_err(|_| {
        set_error(&format!("{what} is not UTF-8"));
        DS_USAGE
    })
}

impl ds_limits {
    fn to_limits(self) -> Limits {
        let mut limits = Limits::default();
        let pick = |value: u64, default: u64| if value == 0 { default } else { value };
        limits.max_input_bytes = pick(self.max_input_bytes, limits.max_input_bytes);
        limits.fuel = pick(self.fuel, limits.fuel);
        if self.deadline_ms != 0 {
            limits.deadline = Duration::from_millis(self.deadline_ms);
        }
        limits.max_memory_bytes = pick(self.max_memory_bytes, limits.max_memory_bytes);
        if self.max_pages != 0 {
            limits.max_pages = self.max_pages;
        }
        if self.max_page_side != 0 {
            limits.max_page_side = self.max_page_side;
        }
        limits.max_page_pixels = pick(self.max_page_pixels, limits.max_page_pixels);
        limits.max_output_bytes = pick(self.max_output_bytes, limits.max_output_bytes);
        limits
    }
}

/// The library version, e.g. "0.1.0". Owned by the library.
#[no_mangle]
pub extern "C" fn ds_version() -> *const c_char {
    static VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the version has no NUL"),
    };
    VERSION.as_ptr()
}

/// How many kinds of finding a report can name (`docsandbox_protocol::FindingKind`, the
/// one list the library, the report JSON, Python and the viewer share).
#[no_mangle]
pub extern "C" fn ds_finding_kind_count() -> usize {
    FindingKind::ALL.len()
}

/// The name of finding kind `index` (0 ≤ index < `ds_finding_kind_count()`), as the report
/// JSON's `kind` field writes it, e.g. "vba-macros"; NULL when `index` is out of range.
/// Owned by the library.
#[no_mangle]
pub extern "C" fn ds_finding_kind_name(index: usize) -> *const c_char {
    kind_names().get(index).map_or(std::ptr::null(), |name| name.as_ptr())
}

/// Whether finding kind `index` is a warning (active content, disguise, a bomb), as the
/// report JSON's `warning` field says; false when `index` is out of range.
#[no_mangle]
pub extern "C" fn ds_finding_kind_is_warning(index: usize) -> bool {
    FindingKind::ALL.get(index).is_some_and(|kind| kind.is_warning())
}

/// The finding kinds' names as C strings, made once.
fn kind_names() -> &'static [CString] {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    NAMES.get_or_init(|| FindingKind::ALL.iter().map(|kind| CString::new(kind.name()).unwrap_or_default()).collect())
}

/// The message of the last failure on this thread ("" if none). Valid until the next
/// docsandbox call on this thread.
#[no_mangle]
pub extern "C" fn ds_last_error_message() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Whether a caller's struct declares a size this library can read: 0 (the caller's header
/// is this one) or at least the size of the fields every version has had.
fn size_fits(struct_size: u32, minimum: usize, what: &str) -> Result<(), i32> {
    if struct_size != 0 && (struct_size as usize) < minimum {
        set_error(&format!("{what}.struct_size is {struct_size}, smaller than any version of the struct"));
        return Err(DS_USAGE);
    }
    Ok(())
}

/// Creates a sandbox with `limits` (NULL: the defaults). Returns NULL on failure (see
/// `ds_last_error_message`). Free it with `ds_sandbox_free`.
///
/// The process-wide engine takes its settings from the environment, as the command-line
/// tool does: `DOCSANDBOX_CACHE_DIR` (where the compiled guest is cached; empty: no disk
/// cache) and `DOCSANDBOX_ON_DEMAND_ALLOCATION=1` (no instance pool).
///
/// # Safety
/// `limits` is NULL or points to a valid `ds_limits`.
#[no_mangle]
pub unsafe extern "C" fn ds_sandbox_new(limits: *const ds_limits) -> *mut ds_sandbox {
    // SAFETY: forwarded from the caller's contract; no worker path.
    unsafe { new_sandbox(limits, None) }
}

/// Creates a sandbox like `ds_sandbox_new` that renders each document in a fresh, confined
/// worker process (Linux: seccomp-bpf, rlimits, Landlock, namespaces), a second layer
/// around the WebAssembly sandbox. `worker` is the path of the `docsandbox-worker` program,
/// or NULL to find it next to the running program or at `$DOCSANDBOX_WORKER`. Returns NULL
/// when process isolation cannot be set up here (another OS, no worker program): never a
/// sandbox without it.
///
/// # Safety
/// `limits` is NULL or points to a valid `ds_limits`; `worker` is NULL or a NUL-terminated
/// UTF-8 path.
#[no_mangle]
pub unsafe extern "C" fn ds_sandbox_new_isolated(limits: *const ds_limits, worker: *const c_char) -> *mut ds_sandbox {
    // SAFETY: NULL or NUL-terminated, per the contract.
    let worker = match unsafe { optional_str(worker, "the worker path") } {
        Ok(worker) => worker,
        Err(_) => return std::ptr::null_mut(),
    };
    let isolation = guard(Err(Error::Setup("a panic while finding the worker".into())), || match worker {
        Some(path) => Ok(Isolation::Process { worker: path.into() }),
        None => match std::env::var_os("DOCSANDBOX_WORKER") {
            Some(path) => Ok(Isolation::Process { worker: path.into() }),
            None => Isolation::process(),
        },
    });
    match isolation {
        // SAFETY: forwarded from the caller's contract.
        Ok(isolation) => unsafe { new_sandbox(limits, Some(isolation)) },
        Err(e) => {
            status(&e);
            std::ptr::null_mut()
        }
    }
}

/// # Safety
/// `limits` is NULL or points to a valid `ds_limits`.
unsafe fn new_sandbox(limits: *const ds_limits, isolation: Option<Isolation>) -> *mut ds_sandbox {
    // SAFETY: the caller promises NULL or a valid, aligned ds_limits; it is copied out.
    let limits = unsafe { limits.as_ref() }.copied().unwrap_or_default();
    if size_fits(limits.struct_size, std::mem::size_of::<ds_limits>(), "ds_limits").is_err() {
        return std::ptr::null_mut();
    }
    guard(std::ptr::null_mut(), || {
        let made = docsandbox::configure(docsandbox::EngineConfig::from_env()).and_then(|()| match isolation {
            Some(isolation) => Sandbox::with_isolation(limits.to_limits(), isolation),
            None => Sandbox::new(limits.to_limits()),
        });
        match made {
            Ok(sandbox) => Box::into_raw(Box::new(ds_sandbox { sandbox })),
            Err(e) => {
                status(&e);
                std::ptr::null_mut()
            }
        }
    })
}

/// Frees a sandbox (NULL is ignored). No render may be running on it.
///
/// # Safety
/// `sandbox` is NULL or was returned by `ds_sandbox_new` and not freed yet.
#[no_mangle]
pub unsafe extern "C" fn ds_sandbox_free(sandbox: *mut ds_sandbox) {
    if !sandbox.is_null() {
        // SAFETY: the caller promises it came from Box::into_raw in ds_sandbox_new, once.
        drop(unsafe { Box::from_raw(sandbox) });
    }
}

/// Renders `len` bytes at `data` with `opts` (NULL: defaults). On `DS_OK` or `DS_PARTIAL`,
/// `*out` receives a document to free with `ds_document_free`; otherwise `*out` is NULL
/// and `ds_last_error_message` says why.
///
/// # Safety
/// `sandbox` is a live sandbox; `data` points to `len` readable bytes (or `len` is 0);
/// `opts` is NULL or valid, with its strings NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn ds_render(sandbox: *const ds_sandbox, data: *const u8, len: usize, opts: *const ds_options, out: *mut *mut ds_document) -> i32 {
    // SAFETY: forwarded from the caller's contract.
    let (sandbox, bytes, options) = match unsafe { render_arguments("ds_render", sandbox, data, len, opts, out) } {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    guard(DS_INTERNAL, || {
        let (document, code) = match sandbox.sandbox.render(bytes, &options) {
            Ok(document) => {
                let code = match document.truncated() {
                    Some(reason) => {
                        set_error(&reason.to_string());
                        DS_PARTIAL
                    }
                    None => DS_OK,
                };
                (document, code)
            }
            Err(e) => return status(&e),
        };
        let report_json = CString::new(document.report().to_json()).unwrap_or_default();
        let png = document.pages().iter().map(|_| OnceLock::new()).collect();
        let handle = Box::new(ds_document { document, report_json, png, pdf: OnceLock::new() });
        // SAFETY: `out` was checked non-null and writable above.
        unsafe { *out = Box::into_raw(handle) };
        code
    })
}

/// Checks and reads the arguments every render takes, and clears `*out`.
///
/// # Safety
/// As for [`ds_render`]; the references must not outlive the call.
unsafe fn render_arguments<'a>(
    function: &str,
    sandbox: *const ds_sandbox,
    data: *const u8,
    len: usize,
    opts: *const ds_options,
    out: *mut *mut ds_document,
) -> Result<(&'a ds_sandbox, &'a [u8], RenderOptions), i32> {
    if out.is_null() {
        set_error(&format!("{function}: `out` is NULL"));
        return Err(DS_USAGE);
    }
    // SAFETY: `out` is non-null and the caller promises it is writable.
    unsafe { *out = std::ptr::null_mut() };
    // SAFETY: NULL or a live sandbox, per the contract; it is only borrowed for the call.
    let Some(sandbox) = (unsafe { sandbox.as_ref() }) else {
        set_error(&format!("{function}: `sandbox` is NULL"));
        return Err(DS_USAGE);
    };
    if data.is_null() && len > 0 {
        set_error(&format!("{function}: `data` is NULL"));
        return Err(DS_USAGE);
    }
    let bytes: &[u8] = if len == 0 {
        &[]
    } else {
        // SAFETY: non-null, and the caller promises `len` readable bytes that outlive the call.
        unsafe { std::slice::from_raw_parts(data, len) }
    };
    let options = if opts.is_null() {
        RenderOptions::default()
    } else {
        // SAFETY: non-null and, per the contract, a valid ds_options of the caller's
        // version; its strings are NULL or NUL-terminated.
        unsafe { options(opts) }?
    };
    Ok((sandbox, bytes, options))
}

/// Renders like `ds_render`, but hands each page to `on_page` (with `user_data`) as soon as
/// it is rendered, and keeps none: memory stays at one page whatever the document's length.
/// On `DS_OK` or `DS_PARTIAL` (a limit, a crash, or the callback asked to stop), `*out`
/// receives a document with the report and no pages, to free with `ds_document_free`.
///
/// # Safety
/// As for `ds_render`; `on_page` is a valid function that does not unwind into Rust.
#[no_mangle]
pub unsafe extern "C" fn ds_render_streaming(
    sandbox: *const ds_sandbox,
    data: *const u8,
    len: usize,
    opts: *const ds_options,
    on_page: ds_page_callback,
    user_data: *mut c_void,
    out: *mut *mut ds_document,
) -> i32 {
    // SAFETY: forwarded from the caller's contract.
    let (sandbox, bytes, options) = match unsafe { render_arguments("ds_render_streaming", sandbox, data, len, opts, out) } {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    let Some(on_page) = on_page else {
        set_error("ds_render_streaming: `on_page` is NULL");
        return DS_USAGE;
    };
    guard(DS_INTERNAL, || {
        let streamed = sandbox.sandbox.render_streaming(bytes, &options, |page, _| {
            let page = ds_page { page, png: OnceLock::new() };
            // SAFETY: the caller promises a valid callback; `page` outlives the call.
            match unsafe { on_page(user_data, &page) } {
                0 => ControlFlow::Continue(()),
                _ => ControlFlow::Break(()),
            }
        });
        let summary = match streamed {
            Ok(summary) => summary,
            Err(e) => return status(&e),
        };
        let code = match &summary.truncated {
            Some(reason) => {
                set_error(&reason.to_string());
                DS_PARTIAL
            }
            None => DS_OK,
        };
        let report_json = CString::new(summary.report.to_json()).unwrap_or_default();
        let document = Document::from(summary);
        let handle = Box::new(ds_document { document, report_json, png: Vec::new(), pdf: OnceLock::new() });
        // SAFETY: `out` was checked non-null and writable by render_arguments.
        unsafe { *out = Box::into_raw(handle) };
        code
    })
}

/// The 1-based number of a streamed page in the document (0 for NULL).
///
/// # Safety
/// `page` is NULL or the page passed to the running callback.
#[no_mangle]
pub unsafe extern "C" fn ds_page_number(page: *const ds_page) -> u32 {
    // SAFETY: NULL or the live page, per the contract.
    unsafe { page.as_ref() }.map_or(0, |p| p.page.number())
}

/// Points `*data`/`*len` at a streamed page's pixels (RGBA, row by row) and stores its
/// size in `*width`/`*height` (each may be NULL). Valid until the callback returns.
///
/// # Safety
/// `page` is the page passed to the running callback; `data` and `len` are writable;
/// `width` and `height` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ds_page_rgba(page: *const ds_page, data: *mut *const u8, len: *mut usize, width: *mut u32, height: *mut u32) -> i32 {
    if let Err(code) = check_out("ds_page_rgba", data, len) {
        return code;
    }
    // SAFETY: NULL or the live page, per the contract.
    let Some(page) = (unsafe { page.as_ref() }) else {
        set_error("ds_page_rgba: `page` is NULL");
        return DS_USAGE;
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { hand_out_pixels(&page.page, data, len, width, height) };
    DS_OK
}

/// Points `*data`/`*len` at a streamed page as PNG bytes (encoded on the first call).
/// Valid until the callback returns.
///
/// # Safety
/// `page` is the page passed to the running callback; `data` and `len` are writable.
#[no_mangle]
pub unsafe extern "C" fn ds_page_png(page: *const ds_page, data: *mut *const u8, len: *mut usize) -> i32 {
    if let Err(code) = check_out("ds_page_png", data, len) {
        return code;
    }
    // SAFETY: NULL or the live page, per the contract.
    let Some(page) = (unsafe { page.as_ref() }) else {
        set_error("ds_page_png: `page` is NULL");
        return DS_USAGE;
    };
    guard(DS_INTERNAL, || {
        let png = page.png.get_or_init(|| page.page.to_png());
        // SAFETY: both pointers were checked non-null; the caller promises they are writable.
        unsafe { hand_out(png, data, len) };
        DS_OK
    })
}

/// # Safety
/// `o` points to a readable, aligned ds_options of at least its own `struct_size` bytes
/// (the whole struct when that is 0), whose strings are NULL or NUL-terminated and valid
/// for the call.
unsafe fn options(o: *const ds_options) -> Result<RenderOptions, i32> {
    // SAFETY: every version of the struct starts with `struct_size`.
    let size = unsafe { o.cast::<u32>().read() };
    size_fits(size, OPTIONS_V1, "ds_options")?;
    let size = if size == 0 { std::mem::size_of::<ds_options>() } else { (size as usize).min(std::mem::size_of::<ds_options>()) };
    // Only the fields the caller's header had are read; the rest keep their zero default.
    let mut copy = std::mem::MaybeUninit::<ds_options>::zeroed();
    // SAFETY: the caller's struct has `size` readable bytes, and `copy` as many writable
    // ones; they cannot overlap. All-zero bytes are a valid ds_options (integers and NULL
    // pointers), so `copy` is initialised whatever the caller's size.
    let o = unsafe {
        std::ptr::copy_nonoverlapping(o.cast::<u8>(), copy.as_mut_ptr().cast::<u8>(), size);
        copy.assume_init()
    };
    let mut options = RenderOptions::default();
    if o.print_time != 0 {
        options = options.print_time(o.print_time);
    }
    options = options.sheet_gridlines(o.sheet_gridlines != 0);
    if o.dpi != 0 {
        options = options.dpi(o.dpi);
    }
    // SAFETY: forwarded from the caller's contract.
    if let Some(password) = unsafe { optional_str(o.password, "the password") }? {
        options = options.password(password);
    }
    // SAFETY: forwarded from the caller's contract.
    if let Some(name) = unsafe { optional_str(o.file_name, "the file name") }? {
        options = options.file_name(name);
    }
    if o.first_page != 0 || o.last_page != 0 {
        let last = if o.last_page == 0 { u32::MAX } else { o.last_page };
        options = options.pages(o.first_page.max(1)..=last);
    }
    Ok(options.passwords_from_message(o.passwords_from_message != 0))
}

/// Frees a document (NULL is ignored); everything it handed out becomes invalid.
///
/// # Safety
/// `document` is NULL or was returned by `ds_render` and not freed yet.
#[no_mangle]
pub unsafe extern "C" fn ds_document_free(document: *mut ds_document) {
    if !document.is_null() {
        // SAFETY: the caller promises it came from Box::into_raw in ds_render, once.
        drop(unsafe { Box::from_raw(document) });
    }
}

/// Number of pages in a document (0 for NULL).
///
/// # Safety
/// `document` is NULL or a live document.
#[no_mangle]
pub unsafe extern "C" fn ds_document_page_count(document: *const ds_document) -> usize {
    // SAFETY: NULL or a live document, per the contract.
    unsafe { document.as_ref() }.map_or(0, |d| d.document.pages().len())
}

/// The page at `index` (0-based) of a live document, or a usage status.
///
/// # Safety
/// `document` is NULL or a live document; the reference must not outlive it.
unsafe fn page<'a>(document: *const ds_document, index: usize) -> Result<(&'a ds_document, &'a Page), i32> {
    // SAFETY: NULL or a live document, per the contract.
    let Some(document) = (unsafe { document.as_ref() }) else {
        set_error("the document is NULL");
        return Err(DS_USAGE);
    };
    match document.document.pages().get(index) {
        Some(page) => Ok((document, page)),
        None => {
            set_error(&format!("page index {index} is out of range ({} pages)", document.document.pages().len()));
            Err(DS_USAGE)
        }
    }
}

/// `DS_USAGE` (with a message naming `function`) unless both output pointers are non-null.
fn check_out(function: &str, data: *mut *const u8, len: *mut usize) -> Result<(), i32> {
    if data.is_null() || len.is_null() {
        set_error(&format!("{function}: `data` or `len` is NULL"));
        return Err(DS_USAGE);
    }
    Ok(())
}

/// Points `*data`/`*len` at `bytes`.
///
/// # Safety
/// `data` and `len` are non-null and writable (see [`check_out`]).
unsafe fn hand_out(bytes: &[u8], data: *mut *const u8, len: *mut usize) {
    // SAFETY: per this function's contract.
    unsafe {
        *data = bytes.as_ptr();
        *len = bytes.len();
    }
}

/// Points `*data`/`*len` at page `index` (0-based) as PNG bytes, owned by the document.
///
/// # Safety
/// `document` is a live document; `data` and `len` are writable.
#[no_mangle]
pub unsafe extern "C" fn ds_document_page_png(document: *const ds_document, index: usize, data: *mut *const u8, len: *mut usize) -> i32 {
    if let Err(code) = check_out("ds_document_page_png", data, len) {
        return code;
    }
    // SAFETY: forwarded from the caller's contract.
    let (document, page) = match unsafe { page(document, index) } {
        Ok(found) => found,
        Err(code) => return code,
    };
    guard(DS_INTERNAL, || {
        let png = document.png[index].get_or_init(|| page.to_png());
        // SAFETY: both pointers were checked non-null; the caller promises they are writable.
        unsafe { hand_out(png, data, len) };
        DS_OK
    })
}

/// Points `*data`/`*len` at page `index`'s pixels (RGBA, 4 bytes each, row by row, owned
/// by the document) and stores its size in `*width`/`*height` (each may be NULL).
///
/// # Safety
/// `document` is a live document; `data` and `len` are writable; `width` and `height` are
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ds_document_page_rgba(
    document: *const ds_document,
    index: usize,
    data: *mut *const u8,
    len: *mut usize,
    width: *mut u32,
    height: *mut u32,
) -> i32 {
    if let Err(code) = check_out("ds_document_page_rgba", data, len) {
        return code;
    }
    // SAFETY: forwarded from the caller's contract.
    let (_, page) = match unsafe { page(document, index) } {
        Ok(found) => found,
        Err(code) => return code,
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { hand_out_pixels(page, data, len, width, height) };
    DS_OK
}

/// Points `*data`/`*len` at the page's pixels and stores its size where asked.
///
/// # Safety
/// `data` and `len` are non-null and writable; `width` and `height` are NULL or writable.
unsafe fn hand_out_pixels(page: &Page, data: *mut *const u8, len: *mut usize, width: *mut u32, height: *mut u32) {
    // SAFETY: `data` and `len` per this function's contract; `width` and `height` are
    // written only when non-null.
    unsafe {
        hand_out(page.rgba(), data, len);
        if !width.is_null() {
            *width = page.width();
        }
        if !height.is_null() {
            *height = page.height();
        }
    }
}

/// The advisory report as JSON (UTF-8, NUL-terminated), owned by the document; NULL for a
/// NULL document.
///
/// # Safety
/// `document` is NULL or a live document.
#[no_mangle]
pub unsafe extern "C" fn ds_document_report_json(document: *const ds_document) -> *const c_char {
    // SAFETY: NULL or a live document, per the contract.
    unsafe { document.as_ref() }.map_or(std::ptr::null(), |d| d.report_json.as_ptr())
}

/// Points `*data`/`*len` at the document as a safe PDF: the page images only (lossless),
/// nothing of the original. Owned by the document.
///
/// # Safety
/// `document` is a live document; `data` and `len` are writable.
#[no_mangle]
pub unsafe extern "C" fn ds_document_pdf(document: *const ds_document, data: *mut *const u8, len: *mut usize) -> i32 {
    // SAFETY: NULL or a live document, per the contract.
    let Some(document) = (unsafe { document.as_ref() }) else {
        set_error("ds_document_pdf: the document is NULL");
        return DS_USAGE;
    };
    if let Err(code) = check_out("ds_document_pdf", data, len) {
        return code;
    }
    guard(DS_INTERNAL, || {
        let pdf = document.pdf.get_or_init(|| document.document.to_pdf_with(PdfImages::Flate));
        // SAFETY: both pointers were checked non-null; the caller promises they are writable.
        unsafe { hand_out(pdf, data, len) };
        DS_OK
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_constants_are_the_crate_version() {
        let version = [super::DS_VERSION_MAJOR, super::DS_VERSION_MINOR, super::DS_VERSION_PATCH].map(|n| n.to_string()).join(".");
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
    }
}
