//! ZIP archives: an overview page, then every entry rendered in turn (recursively) with
//! its path on each page; encrypted entries with the password; dangerous names reported;
//! bombs end fast.

use crate::common;

use std::io::Write;
use std::time::{Duration, Instant};

use docsandbox::{Error, RenderOptions};

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn encrypted_archives_open_with_their_password_only() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for name in ["archive/TestDataEncryptedAES.zip", "archive/TestDataEncryptedZipCrypto.zip"] {
        let bytes = common::corpus_file(name).unwrap();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50).password("TestData")).unwrap();
        assert_eq!(doc.report().format.as_deref(), Some("zip"));
        assert!(doc.truncated().is_none(), "{name}: {:?}", doc.truncated());
        // The overview, then the three text files.
        assert!(doc.pages().len() >= 4, "{name}: {} pages", doc.pages().len());
        assert_eq!(doc.report().findings.iter().filter(|f| f.kind == "encrypted-entry").count(), 3, "{name}");
        // Without the password the overview still shows; the rest needs it.
        let locked = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap();
        assert_eq!(locked.pages().len(), 1, "{name}");
        assert!(matches!(locked.truncated(), Some(Error::PasswordRequired)), "{name}: {:?}", locked.truncated());
        let wrong = sandbox.render(&bytes, &RenderOptions::default().dpi(50).password("guess")).unwrap();
        assert!(matches!(wrong.truncated(), Some(Error::WrongPassword)), "{name}: {:?}", wrong.truncated());
    }
}

#[test]
fn archive_bombs_end_fast() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, password) in [("archive/zbsm.zip", None), ("archive/42.zip", Some("42")), ("archive/42.zip", None), ("archive/sample-11k-pages.pdf.zip", None)] {
        let mut options = RenderOptions::default().dpi(20);
        options.password = password.map(str::to_owned);
        let started = Instant::now();
        match sandbox.render(&common::corpus_file(name).unwrap(), &options) {
            Ok(doc) => assert!(!doc.pages().is_empty(), "{name}"),
            Err(e @ (Error::TooManyPages { .. } | Error::Malformed(_) | Error::PasswordRequired)) => eprintln!("{name}: {e}"),
            Err(e) => panic!("{name}: {e}"),
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{name}: {:?}", started.elapsed());
    }
    let slip = sandbox.inspect(&common::corpus_file("archive/zip-slip.zip").unwrap(), &RenderOptions::default()).unwrap();
    assert!(slip.has("path-traversal"), "{slip:?}");
}

#[test]
fn entries_render_recursively_and_dangerous_names_are_reported() {
    let sandbox = common::sandbox();
    let pdf = common::pdf::text_pdf(&common::pdf::TextPdf::default());
    let inner = zip(&[("scan.pdf", &pdf), ("notes.txt", b"Follow-up in two weeks.\n")]);
    let outer = zip(&[
        ("referral/inner.zip", &inner),
        ("invoice.pdf.exe", b"MZ\x90\x00"),
        ("report\u{202E}fdp.scr", b"MZ\x90\x00\x03\x00"),
        ("letter.txt", b"Dear colleague,\n"),
    ]);
    let doc = sandbox.render(&outer, &RenderOptions::default().dpi(40)).unwrap();
    let report = doc.report();
    assert_eq!(report.format.as_deref(), Some("zip"));
    for kind in ["executable", "double-extension", "rtl-override"] {
        assert!(report.has(kind), "no {kind}: {report:?}");
    }
    // Outer overview, inner overview, the PDF, the inner text, and the letter: the
    // programs are listed but are not documents.
    assert_eq!(doc.pages().len(), 5, "{report:?}");
    // Entry pages carry a grey label strip above the document's own page.
    let pdf_page = &doc.pages()[2];
    let top_row = &pdf_page.rgba()[..(pdf_page.width() * 4) as usize];
    assert!(top_row.chunks_exact(4).all(|p| p[..3] == [0xEE, 0xEE, 0xEE]), "no label strip on the PDF page: {:?}", &top_row[..16]);
    assert!(report.findings.iter().any(|f| f.kind == "entry-not-shown" && f.detail.starts_with("invoice.pdf.exe")), "{report:?}");
    assert!(report.findings.iter().any(|f| f.kind == "rtl-override" && f.detail == "report<U+202E>fdp.scr"), "{report:?}");
    // A page range picks pages across entries.
    let two = sandbox.render(&outer, &RenderOptions::default().dpi(40).pages(3..=4)).unwrap();
    assert_eq!(two.pages().iter().map(|p| p.number()).collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn macros_inside_an_archive_are_reported_with_their_path() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    let docm = common::corpus_file("docx/SimpleMacro.docm").unwrap();
    let archive = zip(&[("mail/attachment.docm", &docm)]);
    let report = sandbox.inspect(&archive, &RenderOptions::default()).unwrap();
    assert!(report.findings.iter().any(|f| f.kind == "vba-macros" && f.detail.starts_with("mail/attachment.docm: ")), "{report:?}");
}

/// A stored ZIP whose entry names are raw bytes with the UTF-8 flag off, as Windows
/// Explorer and most Japanese archivers write them (Shift_JIS).
fn zip_with_raw_names(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let offset = out.len() as u32;
        let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
        // Local header: version 20, no flags, stored, no time.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let (cd_offset, cd_size, count) = (out.len() as u32, central.len() as u32, entries.len() as u16);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    out
}

#[test]
fn shift_jis_entry_names_are_decoded() {
    // "請求書.pdf.exe", "見積書/説明.txt" in Shift_JIS, and the text itself in Shift_JIS.
    let invoice = b"\x90\xbf\x8b\x81\x8f\x91.pdf.exe";
    let notes = b"\x8c\xa9\x90\xcf\x8f\x91/\x90\xe0\x96\xbe.txt";
    let text = b"\x90\xe0\x96\xbe\x8f\x91\x82\xcc\x93\xe0\x97\x65\x82\xc5\x82\xb7\x81\x42\n";
    let archive = zip_with_raw_names(&[(invoice, b"MZ\x90\x00"), (notes, text)]);
    let doc = common::sandbox().render(&archive, &RenderOptions::default().dpi(40)).unwrap();
    let report = doc.report();
    assert!(report.findings.iter().any(|f| f.kind == "double-extension" && f.detail.contains("請求書.pdf.exe")), "{report:?}");
    assert!(report.findings.iter().any(|f| f.kind == "entry-not-shown" && f.detail.starts_with("請求書.pdf.exe")), "{report:?}");
    assert!(report.findings.iter().any(|f| f.detail.starts_with("見積書/説明.txt: ") && f.detail.contains("Shift_JIS")), "{report:?}");
    // The overview and the text entry.
    assert_eq!(doc.pages().len(), 2, "{report:?}");
}
