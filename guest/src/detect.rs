//! Format detection from the content's magic bytes (never from a file name).

/// What the document bytes look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A PDF: `%PDF-` within the first KiB, as readers accept it.
    Pdf,
    /// A ZIP container: an Office or OpenDocument package, or an archive.
    Zip,
    /// An OLE2 compound file: legacy Office, encrypted OOXML or an Outlook message.
    Ole2,
    /// An image: PNG, JPEG, GIF, BMP, TIFF, WebP or ICO.
    Image(docsandbox_protocol::Format),
    /// Text that is not in any other format (plain text, CSV, TSV, logs).
    Text,
    /// Rich Text Format (`{\rtf`).
    Rtf,
    /// Nothing we recognise.
    Unknown,
}

/// Recognises the format of `bytes`.
pub fn detect(bytes: &[u8]) -> Detected {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Detected::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Detected::Zip;
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Detected::Ole2;
    }
    if let Some(format) = crate::formats::image::format(bytes) {
        return Detected::Image(format);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Detected::Rtf;
    }
    if crate::formats::text::looks_like_text(bytes) {
        return Detected::Text;
    }
    Detected::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pdf_header_after_junk() {
        let mut doc = vec![b' '; 100];
        doc.extend_from_slice(b"%PDF-1.4\n");
        assert_eq!(detect(&doc), Detected::Pdf);
        assert_eq!(detect(b"PK\x03\x04rest"), Detected::Zip);
        assert_eq!(detect(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1..."), Detected::Ole2);
        assert_eq!(detect(b"hello"), Detected::Text);
        assert_eq!(detect(b"\x00\x01\x02binary"), Detected::Unknown);
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n...."), Detected::Image(docsandbox_protocol::Format::Png));
        assert_eq!(detect(b""), Detected::Unknown);
        assert_eq!(detect(b"{\\rtf1\\ansi hello}"), Detected::Rtf);
    }
}
