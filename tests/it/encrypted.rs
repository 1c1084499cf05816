//! Password-protected Office and OpenDocument files, decrypted inside the guest: ECMA-376
//! agile and standard encryption (DOCX, XLSX), Excel 97-2003 RC4 (XLS) and ODF AES-256
//! (ODS). Without the password they fail with `PasswordRequired`, with a wrong one with
//! `WrongPassword`; damaged or hostile encryption headers end fast with a typed error.
//! (Encrypted PDFs are in `pdf_corpus.rs`, encrypted ZIPs in `archives.rs`.)

use crate::common;

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use docsandbox::{Error, RenderOptions};

/// Corpus file, password, format, and how many pages it has.
const ENCRYPTED: [(&str, &str, &str, usize); 4] = [
    ("docx/bug53475-password-is-solrcell.docx", "solrcell", "docx", 1),
    ("xlsx/60320-protected.xlsx", "Test001!!", "xlsx", 12),
    ("xls/password.xls", "password", "xls", 1),
    ("odf/pass_protected.ods", "1234", "ods", 1),
];

#[test]
fn encrypted_documents_render_with_their_password() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, password, format, pages) in ENCRYPTED {
        let bytes = common::corpus_file(name).unwrap();
        let document = sandbox.render(&bytes, &RenderOptions::default().dpi(40).password(password)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = document.report();
        assert_eq!(report.format.as_deref(), Some(format), "{name}");
        assert_eq!(document.pages().len(), pages, "{name}");
        assert!(common::ink(document.pages()[0].rgba()) > 0.0005, "{name}: the first page is blank");
        assert!(report.findings.iter().any(|f| f.kind == "encrypted" && f.detail.contains("decrypted")), "{name}: {report:?}");
    }
}

#[test]
fn a_missing_or_wrong_password_is_a_typed_error() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, password, _, _) in ENCRYPTED {
        let bytes = common::corpus_file(name).unwrap();
        match sandbox.render(&bytes, &RenderOptions::default()) {
            Err(Error::PasswordRequired) => {}
            other => panic!("{name} without a password: expected PasswordRequired, got {other:?}"),
        }
        let wrong = format!("{password}x");
        match sandbox.render(&bytes, &RenderOptions::default().password(wrong)) {
            Err(Error::WrongPassword) => {}
            other => panic!("{name} with a wrong password: expected WrongPassword, got {other:?}"),
        }
    }
}

/// A copy of a compound file with one stream changed by `edit`.
fn edit_stream(bytes: &[u8], stream: &str, edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut source = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut target = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    let entries: Vec<(String, bool)> = source.walk().skip(1).map(|e| (e.path().to_string_lossy().into_owned(), e.is_storage())).collect();
    for (path, storage) in entries {
        if storage {
            target.create_storage(&path).unwrap();
            continue;
        }
        let mut data = Vec::new();
        source.open_stream(&path).unwrap().read_to_end(&mut data).unwrap();
        if path.trim_start_matches('/') == stream {
            edit(&mut data);
        }
        target.create_stream(&path).unwrap().write_all(&data).unwrap();
    }
    target.flush().unwrap();
    target.into_inner().into_inner()
}

/// A copy of a ZIP package with one entry changed by `edit`.
fn edit_entry(bytes: &[u8], entry: &str, edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut target = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut file = source.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == entry {
            edit(&mut data);
        }
        target.start_file(name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
        target.write_all(&data).unwrap();
    }
    target.finish().unwrap().into_inner()
}

fn replace(data: &mut Vec<u8>, from: &str, to: &str) {
    let text = String::from_utf8_lossy(data).replace(from, to);
    assert_ne!(text.as_bytes(), data.as_slice(), "{from} not found");
    *data = text.into_bytes();
}

#[test]
fn hostile_encryption_headers_end_fast_with_a_typed_error() {
    if !common::corpus_present() {
        return;
    }
    let agile = common::corpus_file("xlsx/60320-protected.xlsx").unwrap();
    let standard = common::corpus_file("docx/bug53475-password-is-solrcell.docx").unwrap();
    let rc4 = common::corpus_file("xls/password.xls").unwrap();
    let odf = common::corpus_file("odf/pass_protected.ods").unwrap();
    let info_prefix = 8;
    /// (what, file, password, the expected error).
    type Case<'a> = (&'a str, Vec<u8>, &'a str, fn(&Error) -> bool);
    let cases: Vec<Case> = vec![
        (
            "agile spin count of four billion",
            edit_stream(&agile, "EncryptionInfo", |d| replace(d, "spinCount=\"100000\"", "spinCount=\"4000000000\"")),
            "Test001!!",
            |e| matches!(e, Error::Malformed(_)),
        ),
        ("agile header with a 7-bit key", edit_stream(&agile, "EncryptionInfo", |d| replace(d, "keyBits=\"128\"", "keyBits=\"7\"")), "Test001!!", |e| {
            matches!(e, Error::Malformed(_))
        }),
        ("agile header that is not XML", edit_stream(&agile, "EncryptionInfo", |d| d.truncate(info_prefix + 40)), "Test001!!", |e| {
            matches!(e, Error::Malformed(_))
        }),
        ("package claiming 2^64 bytes", edit_stream(&agile, "EncryptedPackage", |d| d[..8].copy_from_slice(&u64::MAX.to_le_bytes())), "Test001!!", |e| {
            matches!(e, Error::Malformed(_))
        }),
        ("package cut in half", edit_stream(&agile, "EncryptedPackage", |d| d.truncate(d.len() / 2)), "Test001!!", |e| matches!(e, Error::Malformed(_))),
        ("standard header cut short", edit_stream(&standard, "EncryptionInfo", |d| d.truncate(30)), "solrcell", |e| matches!(e, Error::Malformed(_))),
        ("unknown encryption version", edit_stream(&standard, "EncryptionInfo", |d| d[..4].copy_from_slice(&[9, 0, 9, 0])), "solrcell", |e| {
            matches!(e, Error::Malformed(_))
        }),
        (
            "workbook with an unknown RC4 version",
            edit_stream(&rc4, "Workbook", |d| {
                let at = file_pass(d);
                d[at + 6..at + 10].copy_from_slice(&[9, 0, 9, 0]);
            }),
            "password",
            |e| matches!(e, Error::Unsupported(_)),
        ),
        (
            "workbook with XOR obfuscation",
            edit_stream(&rc4, "Workbook", |d| {
                let at = file_pass(d);
                d[at + 4..at + 6].copy_from_slice(&[0, 0]);
            }),
            "password",
            |e| matches!(e, Error::Unsupported(_)),
        ),
        (
            "ODF with two billion PBKDF2 iterations",
            edit_entry(&odf, "META-INF/manifest.xml", |d| replace(d, "iteration-count=\"100000\"", "iteration-count=\"2000000000\"")),
            "1234",
            |e| matches!(e, Error::Malformed(_)),
        ),
        (
            "ODF with Blowfish",
            edit_entry(&odf, "META-INF/manifest.xml", |d| replace(d, "http://www.w3.org/2001/04/xmlenc#aes256-cbc", "Blowfish CFB")),
            "1234",
            |e| matches!(e, Error::Unsupported(_)),
        ),
        ("ODF with a damaged part", edit_entry(&odf, "content.xml", |d| d.truncate(d.len() - 5)), "1234", |e| matches!(e, Error::Malformed(_))),
    ];
    let sandbox = common::sandbox();
    for (what, bytes, password, expected) in cases {
        let start = Instant::now();
        match sandbox.render(&bytes, &RenderOptions::default().dpi(30).password(password)) {
            Err(e) if expected(&e) => {}
            other => panic!("{what}: unexpected outcome {other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{what}: took {:?}", start.elapsed());
    }
}

/// Offset of the FilePass record in a Workbook stream.
fn file_pass(workbook: &[u8]) -> usize {
    let mut at = 0;
    while u16::from_le_bytes([workbook[at], workbook[at + 1]]) != 0x002F {
        at += 4 + u16::from_le_bytes([workbook[at + 2], workbook[at + 3]]) as usize;
    }
    at
}
