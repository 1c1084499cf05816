//! The typed errors of rendering. Every bound and every failure has its own variant.

use std::time::Duration;

/// Why a document could not be rendered, or why rendering stopped early.
///
/// When pages were already produced before the error, the error is not returned on its
/// own: it comes back as [`Document::truncated`](crate::Document::truncated) together with
/// those pages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is larger than [`Limits::max_input_bytes`](crate::Limits::max_input_bytes).
    #[error("the document is {size} bytes, more than the limit of {limit} bytes")]
    InputTooLarge {
        /// Size of the input.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The options are invalid (a DPI outside the allowed range, an empty page range...).
    #[error("invalid options: {0}")]
    InvalidOptions(String),
    /// The page range starts after the document's last page.
    #[error("the page range starts at page {first}, but the document has {page_count} pages")]
    PageRangeOutOfBounds {
        /// First requested page (1-based).
        first: u32,
        /// Pages in the document.
        page_count: u32,
    },
    /// The content is in a format docsandbox does not render; the message names it.
    #[error("unsupported format: {0}")]
    Unsupported(String),
    /// The document is damaged beyond repair.
    #[error("malformed document: {0}")]
    Malformed(String),
    /// The document is encrypted and no password was given.
    #[error("the document is encrypted and needs a password")]
    PasswordRequired,
    /// The document is encrypted and the password given does not open it.
    #[error("the password does not open the document")]
    WrongPassword,
    /// The guest used up its fuel ([`Limits::fuel`](crate::Limits::fuel)).
    #[error("rendering used up its CPU budget of {limit} fuel units")]
    FuelExhausted {
        /// The fuel budget.
        limit: u64,
    },
    /// The guest ran past [`Limits::deadline`](crate::Limits::deadline).
    #[error("rendering ran past its deadline of {limit:?}")]
    DeadlineExceeded {
        /// The deadline.
        limit: Duration,
    },
    /// The guest tried to grow its memory past [`Limits::max_memory_bytes`](crate::Limits::max_memory_bytes).
    #[error("rendering needed more than the memory limit of {limit} bytes")]
    MemoryLimit {
        /// The memory limit in bytes.
        limit: u64,
    },
    /// More pages were requested than [`Limits::max_pages`](crate::Limits::max_pages) allows.
    #[error("the document has more than the {limit} pages that may be rendered")]
    TooManyPages {
        /// The page limit.
        limit: u32,
    },
    /// A page's dimensions exceed [`Limits::max_page_side`](crate::Limits::max_page_side)
    /// or [`Limits::max_page_pixels`](crate::Limits::max_page_pixels).
    #[error("a page of {width}x{height} pixels exceeds the page size limits")]
    PageTooLarge {
        /// Claimed width in pixels.
        width: u32,
        /// Claimed height in pixels.
        height: u32,
    },
    /// The pages together exceed [`Limits::max_output_bytes`](crate::Limits::max_output_bytes).
    #[error("the pages exceed the output limit of {limit} bytes")]
    OutputLimit {
        /// The output limit in bytes.
        limit: u64,
    },
    /// The renderer crashed on this document (a trap, a panic, a stack overflow).
    #[error("the renderer crashed on this document: {0}")]
    GuestCrashed(String),
    /// The guest sent something that breaks the output protocol (a sign of a compromised guest).
    #[error("the renderer broke the output protocol: {0}")]
    ProtocolViolation(String),
    /// The worker process of [`Isolation::Process`](crate::Isolation::Process) died while
    /// rendering this document: a crash, a kill, or a system call its filter forbids (which
    /// only a document that escaped the WebAssembly sandbox could make).
    #[error("the worker process rendering this document died: {0}")]
    WorkerCrashed(String),
    /// The caller's page callback asked to stop.
    #[error("rendering was stopped by the caller")]
    Cancelled,
    /// The sandbox could not be set up (engine, guest module, cache).
    #[error("the sandbox could not be set up: {0}")]
    Setup(String),
}

/// Broad categories of [`Error`], each with a CLI exit code (and FFI status code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad options or usage.
    Usage,
    /// A format docsandbox does not render.
    Unsupported,
    /// A damaged document, or a renderer crash caused by one.
    Malformed,
    /// A resource limit was hit.
    Limit,
    /// A password is needed or wrong.
    Password,
    /// The sandbox itself failed; not the document's fault.
    Internal,
}

impl Error {
    /// The category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidOptions(_) | Error::PageRangeOutOfBounds { .. } => ErrorKind::Usage,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::Malformed(_) | Error::GuestCrashed(_) | Error::ProtocolViolation(_) | Error::WorkerCrashed(_) => ErrorKind::Malformed,
            Error::InputTooLarge { .. }
            | Error::FuelExhausted { .. }
            | Error::DeadlineExceeded { .. }
            | Error::MemoryLimit { .. }
            | Error::TooManyPages { .. }
            | Error::PageTooLarge { .. }
            | Error::OutputLimit { .. }
            | Error::Cancelled => ErrorKind::Limit,
            Error::PasswordRequired | Error::WrongPassword => ErrorKind::Password,
            Error::Setup(_) => ErrorKind::Internal,
        }
    }
}

impl ErrorKind {
    /// A short lower-case name for machine-readable output: `usage`, `unsupported`,
    /// `malformed`, `limit`, `password` or `internal`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Limit => "limit",
            ErrorKind::Password => "password",
            ErrorKind::Internal => "internal",
        }
    }

    /// The `docsandbox` command's exit code for this kind of error when no page was produced.
    /// (Partial output exits with 1 whatever the reason.)
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Usage => 2,
            ErrorKind::Unsupported => 3,
            ErrorKind::Malformed => 4,
            ErrorKind::Limit => 5,
            ErrorKind::Password => 6,
            ErrorKind::Internal => 70,
        }
    }
}
