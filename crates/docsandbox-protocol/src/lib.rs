//! The wire format between the docsandbox host and its WebAssembly guest.
//!
//! Both sides link this crate; it has no dependencies and no `unsafe`, and it is fuzzed
//! (`fuzz/fuzz_targets/protocol.rs`). The channel is deliberately trivial to parse, in the
//! spirit of Dangerzone's pixel stream:
//!
//! * The host writes one [`Request`] to the guest's standard input.
//! * The guest writes a sequence of frames to its standard output. Each frame is a
//!   little-endian `u32` body length followed by the body; the body is one [`Message`].
//!
//! Nothing the guest sends is trusted: [`Message::decode`] checks every length against
//! the bytes actually present, and the host then checks page dimensions against its own
//! limits with checked arithmetic before it copies a single pixel.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use core::fmt;

pub mod bytes;
mod order;

pub use bytes::{ByteReader, Truncated};
pub use order::{FrameOrder, OrderError};

/// Version of this wire format. A guest built against another version is refused.
pub const PROTOCOL_VERSION: u16 = 3;

/// Magic bytes that open every request.
pub const REQUEST_MAGIC: [u8; 4] = *b"DSRQ";

/// Bytes per pixel on the wire: pages are 8-bit RGBA, not premultiplied.
pub const BYTES_PER_PIXEL: u64 = 4;

/// Size of the length prefix in front of every frame.
pub const FRAME_HEADER_LEN: usize = 4;

/// Fixed-size part of a page message before its pixels (tag + index + width + height + dpi).
pub const PAGE_HEADER_LEN: usize = 1 + 4 + 4 + 4 + 4;

/// Why a message or request could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended before a field was complete.
    Truncated,
    /// Bytes were left over after the last field.
    TrailingBytes,
    /// The request did not start with [`REQUEST_MAGIC`].
    BadMagic,
    /// The request was encoded for another [`PROTOCOL_VERSION`].
    VersionMismatch(u16),
    /// A message tag or enumeration value is unknown.
    UnknownTag(u8),
    /// A string field is not valid UTF-8.
    InvalidUtf8,
    /// A page's pixel buffer does not match `width * height * 4`.
    PixelLengthMismatch,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("message truncated"),
            DecodeError::TrailingBytes => f.write_str("trailing bytes after message"),
            DecodeError::BadMagic => f.write_str("bad request magic"),
            DecodeError::VersionMismatch(v) => write!(f, "protocol version {v} is not supported"),
            DecodeError::UnknownTag(t) => write!(f, "unknown tag {t}"),
            DecodeError::InvalidUtf8 => f.write_str("string is not UTF-8"),
            DecodeError::PixelLengthMismatch => f.write_str("pixel buffer length does not match dimensions"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// What the host asks the guest to do with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// Resolution in dots per inch.
    pub dpi: u32,
    /// First page to render, 1-based, inclusive.
    pub first_page: u32,
    /// Last page to render, 1-based, inclusive (`u32::MAX` for "to the end").
    pub last_page: u32,
    /// The guest stops after this many pages; the host enforces it again.
    pub max_pages: u32,
    /// Largest width or height of a page in pixels; the guest lowers the resolution of a
    /// page that would exceed it.
    pub max_page_side: u32,
    /// Largest number of pixels in one page; handled like `max_page_side`.
    pub max_page_pixels: u64,
    /// Largest encoded report the host accepts.
    pub max_report_bytes: u32,
    /// Password for encrypted documents (empty when none was given).
    pub password: &'a str,
    /// Whether an encrypted attachment of a message may be opened with a password that
    /// the message body states (off unless the caller opts in).
    pub passwords_from_message: bool,
    /// Whether sheets are drawn screen-style: light gridlines and a caption naming the
    /// sheet on every page, whatever the sheet's print setup says.
    pub sheet_gridlines: bool,
    /// The date and time that date and time fields print (a sheet's `&D` header), as
    /// seconds since 1970-01-01 in the reader's time zone. The guest has no clock of its
    /// own.
    pub clock: i64,
    /// The document itself.
    pub document: &'a [u8],
}

impl Request<'_> {
    /// Encodes the request.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.password.len() + self.document.len());
        out.extend_from_slice(&REQUEST_MAGIC);
        out.extend_from_slice(&PROTOCOL_VERSION.to_le_bytes());
        for v in [self.dpi, self.first_page, self.last_page, self.max_pages, self.max_page_side] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.max_page_pixels.to_le_bytes());
        out.extend_from_slice(&self.max_report_bytes.to_le_bytes());
        out.extend_from_slice(&self.clock.to_le_bytes());
        out.push(u8::from(self.passwords_from_message) | u8::from(self.sheet_gridlines) << 1);
        put_bytes(&mut out, self.password.as_bytes());
        put_bytes(&mut out, self.document);
        out
    }
}

impl<'a> Request<'a> {
    /// Decodes a request, borrowing the password and document from `bytes`.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = ByteReader::new(bytes);
        if r.take(4)? != REQUEST_MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = r.u16()?;
        if version != PROTOCOL_VERSION {
            return Err(DecodeError::VersionMismatch(version));
        }
        let request = Request {
            dpi: r.u32()?,
            first_page: r.u32()?,
            last_page: r.u32()?,
            max_pages: r.u32()?,
            max_page_side: r.u32()?,
            max_page_pixels: r.u64()?,
            max_report_bytes: r.u32()?,
            clock: r.u64()? as i64,
            passwords_from_message: false,
            sheet_gridlines: false,
            password: "",
            document: &[],
        };
        let flags = r.take(1)?[0];
        if flags > 3 {
            return Err(DecodeError::UnknownTag(flags));
        }
        let request =
            Request { passwords_from_message: flags & 1 != 0, sheet_gridlines: flags & 2 != 0, password: r.str()?, document: r.prefixed()?, ..request };
        r.finish()?;
        Ok(request)
    }
}

/// The document format the guest recognised from the content (never from a file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Format {
    /// Portable Document Format.
    Pdf = 1,
    /// Word (Office Open XML).
    Docx = 2,
    /// Excel (Office Open XML).
    Xlsx = 3,
    /// PowerPoint (Office Open XML).
    Pptx = 4,
    /// OpenDocument text.
    Odt = 5,
    /// OpenDocument spreadsheet.
    Ods = 6,
    /// OpenDocument presentation.
    Odp = 7,
    /// Excel 97-2003 binary workbook.
    Xls = 8,
    /// Word 97-2003 binary document.
    Doc = 9,
    /// PowerPoint 97-2003 binary presentation.
    Ppt = 10,
    /// PNG image.
    Png = 11,
    /// JPEG image.
    Jpeg = 12,
    /// GIF image.
    Gif = 13,
    /// BMP image.
    Bmp = 14,
    /// TIFF image (all pages).
    Tiff = 15,
    /// WebP image.
    Webp = 16,
    /// Windows icon.
    Ico = 17,
    /// Plain text.
    Text = 18,
    /// Comma- or tab-separated values.
    Csv = 19,
    /// ZIP archive (its entries rendered in turn).
    Zip = 20,
    /// Internet message (`.eml`), with its attachments.
    Eml = 21,
    /// Outlook message (`.msg`), with its attachments.
    Msg = 22,
    /// Rich Text Format.
    Rtf = 23,
    /// OpenDocument drawing.
    Odg = 24,
}

impl Format {
    const ALL: [Format; 24] = [
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Pptx,
        Format::Odt,
        Format::Ods,
        Format::Odp,
        Format::Xls,
        Format::Doc,
        Format::Ppt,
        Format::Png,
        Format::Jpeg,
        Format::Gif,
        Format::Bmp,
        Format::Tiff,
        Format::Webp,
        Format::Ico,
        Format::Text,
        Format::Csv,
        Format::Zip,
        Format::Eml,
        Format::Msg,
        Format::Rtf,
        Format::Odg,
    ];

    fn from_u8(v: u8) -> Result<Self, DecodeError> {
        Format::ALL.into_iter().find(|f| *f as u8 == v).ok_or(DecodeError::UnknownTag(v))
    }

    /// A short lower-case name, e.g. `"pdf"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Odt => "odt",
            Format::Ods => "ods",
            Format::Odp => "odp",
            Format::Xls => "xls",
            Format::Doc => "doc",
            Format::Ppt => "ppt",
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Gif => "gif",
            Format::Bmp => "bmp",
            Format::Tiff => "tiff",
            Format::Webp => "webp",
            Format::Ico => "ico",
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Zip => "zip",
            Format::Eml => "eml",
            Format::Msg => "msg",
            Format::Rtf => "rtf",
            Format::Odg => "odg",
        }
    }
}

/// Why the guest could not render (some of) a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FailureKind {
    /// The content is of a format the guest does not render; the message names it.
    Unsupported = 1,
    /// The document is damaged beyond what the parser can recover.
    Malformed = 2,
    /// The document is encrypted and no password was given.
    PasswordRequired = 3,
    /// The document is encrypted and the given password is wrong.
    WrongPassword = 4,
    /// The request itself was invalid (a bug in the host, never the document's fault).
    BadRequest = 5,
}

impl FailureKind {
    fn from_u8(v: u8) -> Result<Self, DecodeError> {
        Ok(match v {
            1 => FailureKind::Unsupported,
            2 => FailureKind::Malformed,
            3 => FailureKind::PasswordRequired,
            4 => FailureKind::WrongPassword,
            5 => FailureKind::BadRequest,
            t => return Err(DecodeError::UnknownTag(t)),
        })
    }
}

/// Generates [`FindingKind`]: each kind with its name on the wire and in the report JSON,
/// whether it is a warning (content that acts, or reaches out, when the original is opened),
/// and what it means.
macro_rules! finding_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $warning:literal;)*) => {
        /// What a finding in the advisory report is about. This is the one list: the guest
        /// writes these, the host checks them, and the report JSON, the C ABI
        /// (`ds_finding_kind_name`, `ds_finding_kind_is_warning`), Python
        /// (`docsandbox.FINDING_KINDS`) and the viewer read their names (kebab-case) and
        /// [`FindingKind::is_warning`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FindingKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl FindingKind {
            /// Every kind, in the order listed.
            pub const ALL: &'static [FindingKind] = &[$(FindingKind::$variant,)*];

            /// The kind's name, as on the wire and in the report JSON (`vba-macros`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(FindingKind::$variant => $name,)*
                }
            }

            /// Whether the finding is content that acts, or reaches outside, when the
            /// original document is opened in its own application (scripts, macros,
            /// automatic actions, remote templates, executables, bombs): what a viewer
            /// should show as a warning. The others describe the document.
            pub const fn is_warning(self) -> bool {
                match self {
                    $(FindingKind::$variant => $warning,)*
                }
            }

            /// The kind with this name, if it is one.
            pub fn from_name(name: &str) -> Option<FindingKind> {
                match name {
                    $($name => Some(FindingKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

finding_kinds! {
    // Scripts and automatic actions (PDF).
    /// JavaScript (PDF actions, names tree, form fields).
    Javascript = "javascript", true;
    /// A Launch action: runs a program or opens a file.
    LaunchAction = "launch-action", true;
    /// An action run when the document opens.
    OpenAction = "open-action", true;
    /// Actions run on page or field events.
    AdditionalAction = "additional-action", true;
    /// A form that submits its data to an address.
    SubmitForm = "submit-form", true;
    /// An action importing form data from a file.
    ImportData = "import-data", true;
    /// A link into another document (GoToR, GoToE).
    RemoteGoto = "remote-goto", true;
    /// XFA forms (scriptable XML forms).
    Xfa = "xfa", true;
    /// Movies, sounds, rich media.
    Multimedia = "multimedia", false;
    /// An interactive form.
    Acroform = "acroform", false;
    /// A link to an address.
    Uri = "uri", false;
    /// A file embedded in the document.
    EmbeddedFile = "embedded-file", true;
    // Macros and active content (Office).
    /// VBA macros.
    VbaMacros = "vba-macros", true;
    /// Excel 4.0 (XLM) macro sheets.
    Excel4Macros = "excel4-macros", true;
    /// OpenDocument Basic or script macros.
    Macros = "macros", true;
    /// The content types declare a macro-enabled document.
    MacroEnabled = "macro-enabled", true;
    /// An embedded OLE object.
    EmbeddedObject = "embedded-object", true;
    /// ActiveX controls.
    Activex = "activex", true;
    /// A DDE field or link: runs a command when updated.
    Dde = "dde", true;
    /// A template fetched from an address when the document opens.
    RemoteTemplate = "remote-template", true;
    /// An OLE object linked from outside the document.
    ExternalOleObject = "external-ole-object", true;
    /// A picture loaded from outside the document.
    ExternalImage = "external-image", true;
    /// A frame or sub-document loaded from outside the document.
    ExternalDocument = "external-document", true;
    /// Another external relationship.
    ExternalLink = "external-link", false;
    /// A sheet hidden from view.
    HiddenSheet = "hidden-sheet", false;
    /// A sheet of a workbook and the pages it prints on (pages no longer carry its name).
    Sheet = "sheet", false;
    // Archives and messages.
    /// An executable or script inside an archive or message.
    Executable = "executable", true;
    /// A name with two extensions (`invoice.pdf.exe`).
    DoubleExtension = "double-extension", true;
    /// A name using right-to-left override to disguise its extension.
    RtlOverride = "rtl-override", true;
    /// An entry name that climbs out of its folder (`../`).
    PathTraversal = "path-traversal", true;
    /// An entry encrypted with a password.
    EncryptedEntry = "encrypted-entry", false;
    /// An entry expanding far beyond its packed size.
    CompressionBomb = "compression-bomb", true;
    /// More bytes expanded than the budget allows.
    ArchiveBomb = "archive-bomb", true;
    /// Containers nested deeper than shown.
    NestingTooDeep = "nesting-too-deep", true;
    /// An entry or attachment that could not be shown, and why.
    EntryNotShown = "entry-not-shown", false;
    /// A message attachment.
    Attachment = "attachment", false;
    /// The body mentions a password while an attachment is an encrypted archive.
    PasswordInBody = "password-in-body", true;
    /// An attachment was opened with a password stated in the body.
    PasswordFromMessage = "password-from-message", true;
    // About the document itself.
    /// The document was encrypted (and decrypted inside the sandbox).
    Encrypted = "encrypted", false;
    /// The text encoding a text file was read in.
    Encoding = "encoding", false;
    /// An animated image: the first frame is shown.
    Animated = "animated", false;
    /// A legacy format shown in part.
    LegacyFormat = "legacy-format", false;
    /// A page that could not be drawn in full.
    DamagedPage = "damaged-page", false;
    /// Content beyond the limits is not shown.
    ContentTruncated = "content-truncated", false;
    /// Content of the document that is not drawn on its pages (a picture in a format not
    /// drawn, an object without a picture), so the pages are not the whole document.
    ContentNotShown = "content-not-shown", false;
    /// The document has nothing to show (no slides, an empty body, no visible cells): its
    /// page is blank on purpose.
    EmptyDocument = "empty-document", false;
    /// The inspection stopped early (damage, limits).
    InspectionTruncated = "inspection-truncated", false;
    /// More findings were left out of the report.
    ReportTruncated = "report-truncated", false;
    /// The file's name claims another format than its content has (added by the host).
    ExtensionMismatch = "extension-mismatch", true;
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<str> for FindingKind {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for FindingKind {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// One advisory finding about a document (active content, embedded files, links...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding<'a> {
    /// Machine-readable kind, e.g. `"javascript"`, `"launch-action"`, `"embedded-file"`.
    pub kind: &'a str,
    /// Human-readable detail (a URI, a file name...), possibly empty.
    pub detail: &'a str,
}

/// A message from the guest to the host (the body of one frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message<'a> {
    /// Sent once, before any page: what the document is and how many pages it has.
    Begin {
        /// The detected format.
        format: Format,
        /// Number of pages in the whole document, when known before rendering.
        page_count: Option<u32>,
    },
    /// One rendered page.
    Page(PageView<'a>),
    /// The advisory report; sent at most once, before `End`.
    Report {
        /// What the guest found.
        findings: Vec<Finding<'a>>,
    },
    /// The guest could not go on; sent instead of (or after some) pages.
    Failure {
        /// Category of the failure.
        kind: FailureKind,
        /// Short explanation for people.
        message: &'a str,
    },
    /// The guest finished normally.
    End,
}

/// A page as it arrives on the wire: dimensions plus a borrowed RGBA buffer.
#[derive(Clone, PartialEq, Eq)]
pub struct PageView<'a> {
    /// 0-based page number within the document.
    pub index: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The resolution actually used (lower than requested if the page had to shrink).
    pub dpi: u32,
    /// `width * height * 4` bytes of RGBA.
    pub pixels: &'a [u8],
}

impl fmt::Debug for PageView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageView")
            .field("index", &self.index)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("dpi", &self.dpi)
            .field("pixels", &self.pixels.len())
            .finish()
    }
}

/// Number of pixel bytes for a page of `width` x `height`, or `None` on overflow.
pub fn pixel_len(width: u32, height: u32) -> Option<u64> {
    u64::from(width).checked_mul(u64::from(height))?.checked_mul(BYTES_PER_PIXEL)
}

/// How [`Message::Begin`] encodes an unknown page count.
const UNKNOWN_PAGE_COUNT: u32 = u32::MAX;

/// First body byte of a [`Message::Begin`].
pub const TAG_BEGIN: u8 = 1;
/// First body byte of a [`Message::Page`]; the host checks page headers before buffering.
pub const TAG_PAGE: u8 = 2;
/// First body byte of a [`Message::Report`].
pub const TAG_REPORT: u8 = 3;
/// First body byte of a [`Message::Failure`].
pub const TAG_FAILURE: u8 = 4;
/// First body byte of a [`Message::End`].
pub const TAG_END: u8 = 5;

impl<'a> Message<'a> {
    /// Decodes one frame body. Borrowed fields point into `body`.
    pub fn decode(body: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = ByteReader::new(body);
        let message = match r.u8()? {
            TAG_BEGIN => Message::Begin { format: Format::from_u8(r.u8()?)?, page_count: Some(r.u32()?).filter(|&n| n != UNKNOWN_PAGE_COUNT) },
            TAG_PAGE => {
                let index = r.u32()?;
                let width = r.u32()?;
                let height = r.u32()?;
                let dpi = r.u32()?;
                let pixels = r.rest();
                match pixel_len(width, height) {
                    Some(n) if n == pixels.len() as u64 => {}
                    _ => return Err(DecodeError::PixelLengthMismatch),
                }
                Message::Page(PageView { index, width, height, dpi, pixels })
            }
            TAG_REPORT => {
                let count = r.u32()?;
                // Each finding needs at least 8 bytes, so a lying count cannot make us reserve much.
                let mut findings = Vec::with_capacity((count as usize).min(r.remaining() / 8));
                for _ in 0..count {
                    findings.push(Finding { kind: r.str()?, detail: r.str()? });
                }
                Message::Report { findings }
            }
            TAG_FAILURE => Message::Failure { kind: FailureKind::from_u8(r.u8()?)?, message: r.str()? },
            TAG_END => Message::End,
            t => return Err(DecodeError::UnknownTag(t)),
        };
        r.finish()?;
        Ok(message)
    }

    /// Encodes the message as a complete frame (length prefix included).
    ///
    /// Pages are better written with [`encode_page_header`] followed by the pixels, which
    /// avoids copying the pixel buffer.
    pub fn encode_frame(&self) -> Vec<u8> {
        let mut body = Vec::new();
        match self {
            Message::Begin { format, page_count } => {
                body.push(TAG_BEGIN);
                body.push(*format as u8);
                body.extend_from_slice(&page_count.unwrap_or(UNKNOWN_PAGE_COUNT).to_le_bytes());
            }
            Message::Page(p) => {
                body.extend_from_slice(&encode_page_header(p.index, p.width, p.height, p.dpi)[FRAME_HEADER_LEN..]);
                body.extend_from_slice(p.pixels);
            }
            Message::Report { findings } => {
                body.push(TAG_REPORT);
                body.extend_from_slice(&(findings.len() as u32).to_le_bytes());
                for f in findings {
                    put_bytes(&mut body, f.kind.as_bytes());
                    put_bytes(&mut body, f.detail.as_bytes());
                }
            }
            Message::Failure { kind, message } => {
                body.push(TAG_FAILURE);
                body.push(*kind as u8);
                put_bytes(&mut body, message.as_bytes());
            }
            Message::End => body.push(TAG_END),
        }
        let mut frame = Vec::with_capacity(FRAME_HEADER_LEN + body.len());
        frame.extend_from_slice(&(body.len() as u32).to_le_bytes());
        frame.extend_from_slice(&body);
        frame
    }
}

/// The frame length prefix and page header for a page of `width` x `height`; the caller
/// writes exactly `width * height * 4` pixel bytes after it.
///
/// # Panics
/// If the page is too large for a frame (more than 4 GiB); the guest never renders such pages.
pub fn encode_page_header(index: u32, width: u32, height: u32, dpi: u32) -> [u8; FRAME_HEADER_LEN + PAGE_HEADER_LEN] {
    let body_len =
        pixel_len(width, height).and_then(|n| n.checked_add(PAGE_HEADER_LEN as u64)).and_then(|n| u32::try_from(n).ok()).expect("page too large for one frame");
    let mut out = [0u8; FRAME_HEADER_LEN + PAGE_HEADER_LEN];
    out[0..4].copy_from_slice(&body_len.to_le_bytes());
    out[4] = TAG_PAGE;
    out[5..9].copy_from_slice(&index.to_le_bytes());
    out[9..13].copy_from_slice(&width.to_le_bytes());
    out[13..17].copy_from_slice(&height.to_le_bytes());
    out[17..21].copy_from_slice(&dpi.to_le_bytes());
    out
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).expect("field longer than 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The protocol's decoding on the shared [`ByteReader`]: its errors become [`DecodeError`].
trait Decoding<'a> {
    fn str(&mut self) -> Result<&'a str, DecodeError>;
    fn finish(&self) -> Result<(), DecodeError>;
}

impl<'a> Decoding<'a> for ByteReader<'a> {
    fn str(&mut self) -> Result<&'a str, DecodeError> {
        core::str::from_utf8(self.prefixed()?).map_err(|_| DecodeError::InvalidUtf8)
    }

    fn finish(&self) -> Result<(), DecodeError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes)
        }
    }
}

impl From<Truncated> for DecodeError {
    fn from(_: Truncated) -> Self {
        DecodeError::Truncated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(frame: &[u8]) -> &[u8] {
        let len = u32::from_le_bytes(frame[..4].try_into().unwrap()) as usize;
        assert_eq!(len, frame.len() - 4);
        &frame[4..]
    }

    #[test]
    fn request_round_trips() {
        let doc = b"%PDF-1.7 ...";
        let req = Request {
            dpi: 150,
            first_page: 2,
            last_page: 9,
            max_pages: 1000,
            max_page_side: 10_000,
            max_page_pixels: 50_000_000,
            max_report_bytes: 65_536,
            password: "pässword",
            passwords_from_message: true,
            sheet_gridlines: true,
            clock: -1_796_200_000,
            document: doc,
        };
        let bytes = req.encode();
        assert_eq!(Request::decode(&bytes), Ok(req));
        for cut in 0..bytes.len() {
            assert!(Request::decode(&bytes[..cut]).is_err(), "cut at {cut} decoded");
        }
        let mut wrong = bytes.clone();
        wrong[4] = 9;
        assert_eq!(Request::decode(&wrong), Err(DecodeError::VersionMismatch(9)));
    }

    #[test]
    fn messages_round_trip() {
        let pixels = [7u8; 2 * 3 * 4];
        let messages = [
            Message::Begin { format: Format::Pdf, page_count: Some(12) },
            Message::Begin { format: Format::Docx, page_count: None },
            Message::Page(PageView { index: 4, width: 2, height: 3, dpi: 72, pixels: &pixels }),
            Message::Report { findings: vec![Finding { kind: "javascript", detail: "app.alert(1)" }] },
            Message::Failure { kind: FailureKind::WrongPassword, message: "nope" },
            Message::End,
        ];
        for format in Format::ALL {
            assert_eq!(Format::from_u8(format as u8), Ok(format));
        }
        for m in messages {
            let frame = m.encode_frame();
            assert_eq!(Message::decode(body(&frame)), Ok(m));
        }
    }

    #[test]
    fn page_header_matches_encoder() {
        let pixels = [1u8; 4];
        let frame = Message::Page(PageView { index: 0, width: 1, height: 1, dpi: 96, pixels: &pixels }).encode_frame();
        assert_eq!(&frame[..FRAME_HEADER_LEN + PAGE_HEADER_LEN], &encode_page_header(0, 1, 1, 96));
    }

    #[test]
    fn lying_pages_are_rejected() {
        let mut frame = encode_page_header(0, 100, 100, 72).to_vec();
        frame.extend_from_slice(&[0; 16]);
        assert_eq!(Message::decode(&frame[4..]), Err(DecodeError::PixelLengthMismatch));
        // Dimensions whose product overflows u64 arithmetic in naive code.
        let mut body = vec![TAG_PAGE];
        for v in [0, u32::MAX, u32::MAX, 72] {
            body.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(Message::decode(&body), Err(DecodeError::PixelLengthMismatch));
    }

    #[test]
    fn lying_report_counts_do_not_allocate() {
        let mut body = vec![TAG_REPORT];
        body.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(Message::decode(&body), Err(DecodeError::Truncated));
    }

    #[test]
    fn finding_kinds_have_one_kebab_case_name_each() {
        let mut names = std::collections::HashSet::new();
        for &kind in FindingKind::ALL {
            let name = kind.name();
            assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{name}");
            assert!(!name.starts_with('-') && !name.ends_with('-') && !name.contains("--"), "{name}");
            assert!(names.insert(name), "{name} twice");
            assert_eq!(FindingKind::from_name(name), Some(kind));
        }
        assert_eq!(FindingKind::from_name("not-a-kind"), None);
        assert!(FindingKind::Javascript.is_warning() && !FindingKind::Encoding.is_warning());
    }
}
