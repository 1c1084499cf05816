//! What comes out of the sandbox: validated pages, an advisory report, statistics.

use std::time::Duration;

use docsandbox_protocol::{FindingKind, PAGE_HEADER_LEN};
use serde::Serialize;

use crate::Error;

/// One rendered page: validated RGBA pixels, encoded to PNG by the host on request.
#[derive(Clone, PartialEq, Eq)]
pub struct Page {
    pub(crate) index: u32,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) dpi: u32,
    /// The whole frame body as received; the pixels start at `PAGE_HEADER_LEN`
    /// (kept this way so a page is never copied after validation).
    pub(crate) frame: Vec<u8>,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page").field("number", &self.number()).field("width", &self.width).field("height", &self.height).field("dpi", &self.dpi).finish()
    }
}

impl Page {
    /// 1-based page number within the document.
    pub fn number(&self) -> u32 {
        self.index + 1
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The resolution the page was rendered at: the requested one, or lower when the page
    /// had to shrink to fit [`Limits::max_page_side`](crate::Limits::max_page_side).
    pub fn dpi(&self) -> u32 {
        self.dpi
    }

    /// The pixels, row by row, 4 bytes (R, G, B, A) per pixel.
    pub fn rgba(&self) -> &[u8] {
        &self.frame[PAGE_HEADER_LEN..]
    }

    /// Encodes the page as an opaque RGB PNG (any transparency is composited over white).
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_png(&mut out).expect("writing to a Vec cannot fail");
        out
    }

    /// Writes the page as an opaque RGB PNG to `writer`.
    pub fn write_png<W: std::io::Write>(&self, writer: W) -> std::io::Result<()> {
        let mut encoder = png::Encoder::new(writer, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
        writer.write_image_data(&self.rgb()).map_err(std::io::Error::other)?;
        writer.finish().map_err(std::io::Error::other)
    }

    /// Encodes the page as a baseline JPEG at `quality` (1–100), in grayscale when every
    /// pixel is gray. JPEG cannot hold a side longer than 65 535 pixels: such a page is an
    /// error of kind [`std::io::ErrorKind::InvalidInput`].
    pub fn to_jpeg(&self, quality: u8) -> std::io::Result<Vec<u8>> {
        let (gray, samples) = self.samples();
        encode_jpeg(&samples, self.width, self.height, gray, quality)
    }

    /// The opaque pixels as the fewest channels that hold them: `(true, gray samples)`
    /// when every pixel is gray (a third of the data for text pages), else `(false, RGB)`.
    pub(crate) fn samples(&self) -> (bool, Vec<u8>) {
        let rgb = self.rgb();
        if rgb.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2]) {
            (true, rgb.iter().step_by(3).copied().collect())
        } else {
            (false, rgb)
        }
    }

    /// The pixels as opaque RGB, 3 bytes per pixel, any transparency composited over white.
    pub fn rgb(&self) -> Vec<u8> {
        let rgba = self.rgba();
        let mut rgb = vec![0u8; rgba.len() / 4 * 3];
        for (out, px) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
            let a = u32::from(px[3]);
            if a == 255 {
                out.copy_from_slice(&px[..3]);
            } else {
                for (o, &c) in out.iter_mut().zip(&px[..3]) {
                    // Straight alpha over white: c*a + 255*(1-a), in 0..=255.
                    *o = ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
                }
            }
        }
        rgb
    }
}

/// Baseline JPEG of `samples` (gray or RGB), `width` × `height`, at `quality` (clamped to 1–100).
pub(crate) fn encode_jpeg(samples: &[u8], width: u32, height: u32, gray: bool, quality: u8) -> std::io::Result<Vec<u8>> {
    let too_large = || std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("a {width}x{height} page is too large for JPEG"));
    let (w, h) = (u16::try_from(width).map_err(|_| too_large())?, u16::try_from(height).map_err(|_| too_large())?);
    let color = if gray { jpeg_encoder::ColorType::Luma } else { jpeg_encoder::ColorType::Rgb };
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100)).encode(samples, w, h, color).map_err(std::io::Error::other)?;
    Ok(out)
}

/// One advisory finding about the document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// What it is about. Compares equal to its name too: `finding.kind == "javascript"`.
    pub kind: FindingKind,
    /// Detail (a URI, a file name, the start of a script), stripped of control characters.
    pub detail: String,
}

impl Finding {
    /// Whether this is content that acts, or reaches outside, when the original document is
    /// opened in its own application: what a viewer shows as a warning.
    pub fn is_warning(&self) -> bool {
        self.kind.is_warning()
    }
}

/// In JSON: `{"kind": "javascript", "detail": "...", "warning": true}`.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Finding", 3)?;
        s.serialize_field("kind", self.kind.name())?;
        s.serialize_field("detail", &self.detail)?;
        s.serialize_field("warning", &self.kind.is_warning())?;
        s.end()
    }
}

/// File extensions of each format the guest names.
const EXTENSIONS: &[(&str, &[&str])] = &[
    ("pdf", &["pdf"]),
    ("docx", &["docx", "docm", "dotx", "dotm"]),
    ("xlsx", &["xlsx", "xlsm", "xltx", "xltm"]),
    ("pptx", &["pptx", "pptm", "potx", "potm", "ppsx", "ppsm"]),
    ("odt", &["odt", "ott"]),
    ("ods", &["ods", "ots"]),
    ("odp", &["odp", "otp"]),
    ("odg", &["odg", "otg"]),
    ("xls", &["xls", "xlt"]),
    ("doc", &["doc", "dot"]),
    ("ppt", &["ppt", "pps", "pot"]),
    ("png", &["png"]),
    ("jpeg", &["jpg", "jpeg", "jpe", "jfif"]),
    ("gif", &["gif"]),
    ("bmp", &["bmp", "dib"]),
    ("tiff", &["tif", "tiff"]),
    ("webp", &["webp"]),
    ("ico", &["ico"]),
    ("text", &["txt", "log", "text"]),
    ("csv", &["csv", "tsv"]),
    ("zip", &["zip"]),
    ("eml", &["eml"]),
    ("msg", &["msg"]),
    ("rtf", &["rtf"]),
];

/// What the guest said it found in the document.
///
/// **Advisory only**: the report comes from the untrusted side of the sandbox. It is
/// bounded in size and sanitised, but a compromised guest could lie in it. The pages are
/// what the sandbox guarantees: plain pixels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Format detected from the content, e.g. `"pdf"`.
    pub format: Option<String>,
    /// Pages in the document, as the guest counted them.
    pub page_count: Option<u32>,
    /// The findings, in the order the guest reported them.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether any finding has the given kind (a [`FindingKind`] or its name).
    pub fn has<K>(&self, kind: K) -> bool
    where
        FindingKind: PartialEq<K>,
    {
        self.findings.iter().any(|f| f.kind == kind)
    }

    /// Adds an `extension-mismatch` finding when a file name's extension belongs to a
    /// different format than the one the guest detected. Unknown extensions say nothing.
    pub(crate) fn check_extension(&mut self, file_name: Option<&str>) {
        let (Some(name), Some(format)) = (file_name, self.format.as_deref()) else {
            return;
        };
        let Some((_, extension)) = name.rsplit_once('.') else {
            return;
        };
        let extension = extension.to_ascii_lowercase();
        let Some(expected) = EXTENSIONS.iter().find(|(_, exts)| exts.contains(&extension.as_str())).map(|(f, _)| *f) else {
            return;
        };
        if expected != format {
            let detail = format!("the name ends in .{extension} but the content is {}", format.to_uppercase());
            self.findings.insert(0, Finding { kind: FindingKind::ExtensionMismatch, detail });
        }
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises")
    }
}

/// What rendering one document cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Fuel the guest used.
    pub fuel_consumed: u64,
    /// Largest size the guest's linear memory reached, in bytes.
    pub peak_memory_bytes: u64,
    /// Wall-clock time of the whole render, host work included.
    pub wall_time: Duration,
}

/// How far a streaming render has come, handed to the callback with each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Pages handed over so far, this one included.
    pub rendered: u32,
    /// Pages the render is expected to produce in all (the page range, cut to the page
    /// limit, as the document's page count allows), when the page count is known.
    pub expected: Option<u32>,
}

/// The outcome of a streaming render: everything but the pages, which went to the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// The advisory report.
    pub report: Report,
    /// Costs.
    pub stats: Stats,
    /// Pages handed to the callback.
    pub pages_rendered: u32,
    /// Why rendering stopped before the requested pages were all produced, if it did; after
    /// [`Sandbox::inspect_summary`](crate::Sandbox::inspect_summary), the error the inspection ended with.
    pub truncated: Option<Error>,
}

/// A rendered document: its pages, the advisory report and statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub(crate) pages: Vec<Page>,
    pub(crate) summary: Summary,
}

/// The document of a streaming render: its report, costs and stop reason, and no pages
/// (they went to the callback).
impl From<Summary> for Document {
    fn from(summary: Summary) -> Document {
        Document { pages: Vec::new(), summary }
    }
}

impl Document {
    /// The rendered pages, in document order.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// Takes the pages out of the document.
    pub fn into_pages(self) -> Vec<Page> {
        self.pages
    }

    /// The advisory report (see [`Report`] on how far to trust it).
    pub fn report(&self) -> &Report {
        &self.summary.report
    }

    /// What rendering cost.
    pub fn stats(&self) -> &Stats {
        &self.summary.stats
    }

    /// Why the pages stop short of what was asked (a limit, a crash midway), if they do.
    pub fn truncated(&self) -> Option<&Error> {
        self.summary.truncated.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_composites_transparency_over_white() {
        let pixels = [[10, 20, 30, 255], [10, 20, 30, 0], [0, 0, 0, 128], [200, 100, 0, 51]];
        let mut frame = vec![0; PAGE_HEADER_LEN];
        frame.extend(pixels.iter().flatten());
        let page = Page { index: 0, width: 4, height: 1, dpi: 72, frame };
        assert_eq!(page.rgb(), [10, 20, 30, 255, 255, 255, 127, 127, 127, 244, 224, 204]);
    }
}
