//! Password-protected Office and OpenDocument files, decrypted inside the guest: ECMA-376
//! agile and standard encryption (DOCX, XLSX), Excel 97-2003 RC4 and XOR obfuscation
//! (XLS), Word and PowerPoint 97-2003 RC4 and RC4 CryptoAPI (DOC, PPT) and ODF AES-256
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
    // One row of eight columns as wide as the file sets them: two pages across.
    ("odf/pass_protected.ods", "1234", "ods", 2),
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

/// Word and PowerPoint 97-2003 files encrypted by LibreOffice and Apache POI
/// (`scripts/make-encrypted-legacy.py`): the file, the plain file it was made from, its
/// password, and the scheme the report must name.
const LEGACY: [(&str, &str, &str, &str); 3] = [
    ("encrypted-rc4.doc", "layout.doc", "doc-secret", "Word 97-2003 RC4 encryption"),
    ("encrypted-cryptoapi.doc", "layout.doc", "doc-secret", "Word 2002-2003 RC4 CryptoAPI encryption, 40-bit"),
    ("encrypted.ppt", "shapes.ppt", "ppt-secret", "PowerPoint 2002-2003 RC4 CryptoAPI encryption, 40-bit"),
];

fn test_file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/files/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn legacy_word_and_powerpoint_decrypt_to_the_pages_of_their_plain_files() {
    let sandbox = common::sandbox();
    for (name, plain, password, scheme) in LEGACY {
        let bytes = test_file(name);
        let want = sandbox.render(&test_file(plain), &RenderOptions::default().dpi(40)).unwrap();
        let got = sandbox.render(&bytes, &RenderOptions::default().dpi(40).password(password)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.pages().len(), want.pages().len(), "{name}");
        for (i, (a, b)) in got.pages().iter().zip(want.pages()).enumerate() {
            // The encrypted copies were saved again by their writers, which may state a
            // shape's properties differently (LibreOffice: a text box outline's shade), so
            // the pages agree to a few hundred pixels, not to every pixel.
            let differing = a.rgba().chunks_exact(4).zip(b.rgba().chunks_exact(4)).filter(|(p, q)| p != q).count();
            assert!(
                a.width() == b.width() && a.height() == b.height() && differing < 400,
                "{name}: page {} differs from {plain}'s in {differing} pixels",
                i + 1
            );
        }
        let detail = format!("decrypted inside the sandbox with the password given ({scheme})");
        assert!(got.report().findings.iter().any(|f| f.kind == "encrypted" && f.detail == detail), "{name}: {:?}", got.report());
        match sandbox.render(&bytes, &RenderOptions::default()) {
            Err(Error::PasswordRequired) => {}
            other => panic!("{name} without a password: expected PasswordRequired, got {other:?}"),
        }
        match sandbox.render(&bytes, &RenderOptions::default().password(format!("{password}x"))) {
            Err(Error::WrongPassword) => {}
            other => panic!("{name} with a wrong password: expected WrongPassword, got {other:?}"),
        }
    }
}

#[test]
fn hostile_legacy_encryption_ends_fast_with_a_typed_error() {
    let rc4 = test_file("encrypted-rc4.doc");
    let cryptoapi = test_file("encrypted-cryptoapi.doc");
    let ppt = test_file("encrypted.ppt");
    let user_edit = |bytes: &[u8]| {
        let current = common::streams(bytes).into_iter().find(|(n, _)| n == "Current User").unwrap().1;
        u32::from_le_bytes(current[16..20].try_into().unwrap()) as usize
    };
    let edit = user_edit(&ppt);
    let cases: Vec<Case> = vec![
        (
            "Word header longer than the table stream",
            edit_stream(&rc4, "WordDocument", |d| d[0x0E..0x12].copy_from_slice(&u32::MAX.to_le_bytes())),
            "doc-secret",
            |e| matches!(e, Error::Malformed(_)),
        ),
        ("Word header of an unknown version", edit_stream(&rc4, "1Table", |d| d[..4].copy_from_slice(&[9, 0, 9, 0])), "doc-secret", |e| {
            matches!(e, Error::Unsupported(_))
        }),
        ("Word header cut to 20 bytes", edit_stream(&cryptoapi, "WordDocument", |d| d[0x0E..0x12].copy_from_slice(&20u32.to_le_bytes())), "doc-secret", |e| {
            matches!(e, Error::Malformed(_))
        }),
        // The CryptoAPI header's cipher (after the version, flags, size, flags and extra size).
        ("Word CryptoAPI with AES", edit_stream(&cryptoapi, "1Table", |d| d[20..24].copy_from_slice(&0x660Eu32.to_le_bytes())), "doc-secret", |e| {
            matches!(e, Error::Unsupported(_))
        }),
        ("Word XOR obfuscation", edit_stream(&rc4, "WordDocument", |d| d[0x0B] |= 0x80), "doc-secret", |e| matches!(e, Error::Unsupported(_))),
        (
            "Word streams cut in half",
            edit_stream(&edit_stream(&rc4, "1Table", |d| d.truncate(d.len() / 2)), "WordDocument", |d| d.truncate(d.len() / 2)),
            "doc-secret",
            |e| matches!(e, Error::Malformed(_)),
        ),
        (
            "PowerPoint naming an encryption record it does not have",
            edit_stream(&ppt, "PowerPoint Document", |d| d[edit + 8 + 28..edit + 8 + 32].copy_from_slice(&0xFFFFu32.to_le_bytes())),
            "ppt-secret",
            |e| matches!(e, Error::Malformed(_)),
        ),
        (
            "PowerPoint encryption of an unknown version",
            edit_stream(&ppt, "PowerPoint Document", |d| {
                let at = (0..d.len() - 12).find(|&i| d[i + 2..i + 4] == [0x14, 0x2F] && d[i + 8..i + 12] == [4, 0, 2, 0]).unwrap();
                d[at + 8..at + 12].copy_from_slice(&[9, 0, 9, 0]);
            }),
            "ppt-secret",
            |e| matches!(e, Error::Unsupported(_)),
        ),
    ];
    let sandbox = common::sandbox();
    each_ends_fast_with_its_error(&sandbox, cases);
    // A Pictures stream cut short loses the picture, not the slides, and says so.
    let cut = edit_stream(&ppt, "Pictures", |d| d.truncate(9));
    let doc = sandbox.render(&cut, &RenderOptions::default().dpi(30).password("ppt-secret")).unwrap();
    assert_eq!(doc.pages().len(), 3);
    assert!(doc.report().has("content-not-shown"), "{:?}", doc.report());
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
            "workbook whose RC4 header claims XOR obfuscation",
            edit_stream(&rc4, "Workbook", |d| {
                let at = file_pass(d);
                d[at + 4..at + 6].copy_from_slice(&[0, 0]);
            }),
            "password",
            |e| matches!(e, Error::WrongPassword),
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
    each_ends_fast_with_its_error(&common::sandbox(), cases);
}

/// A hostile case: what it is, the file, its password, and the error it must end in.
type Case<'a> = (&'a str, Vec<u8>, &'a str, fn(&Error) -> bool);

/// Renders each case with its password: each must end in its error within 10 s.
fn each_ends_fast_with_its_error(sandbox: &docsandbox::Sandbox, cases: Vec<Case>) {
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

/// Excel's XOR obfuscation, method 1 ([MS-OFFCRYPTO] 2.3.7.1–2.3.7.3), as a writer applies
/// it: the key and verifier for `FilePass`, and the 16-byte array.
mod xor_writer {
    const PAD: [u8; 15] = [0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00];
    const INITIAL: [u16; 15] = [0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3];
    #[rustfmt::skip]
    const MATRIX: [u16; 105] = [
        0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF,
        0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40,
        0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A,
        0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0,
        0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10,
        0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C,
        0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC,
        0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4,
    ];

    pub fn verifier(password: &[u8]) -> u16 {
        let mut bytes = vec![password.len() as u8];
        bytes.extend_from_slice(password);
        bytes.iter().rev().fold(0u16, |v, &b| ((v >> 14) & 1 | (v << 1) & 0x7FFF) ^ u16::from(b)) ^ 0xCE4B
    }

    pub fn key(password: &[u8]) -> u16 {
        let mut key = INITIAL[password.len() - 1];
        // Character i (from the start) uses matrix rows 7*(15 - len + i) .. +7.
        let first = 7 * (15 - password.len());
        for (i, &c) in password.iter().enumerate() {
            for bit in 0..7 {
                if c & (1 << bit) != 0 {
                    key ^= MATRIX[first + 7 * i + bit];
                }
            }
        }
        key
    }

    /// The array: password bytes, then the pad, each XORed with the key's high byte (even
    /// positions get the low byte) and rotated right by one.
    pub fn array(password: &[u8]) -> [u8; 16] {
        let [high, low] = key(password).to_be_bytes();
        let mut plain = password.to_vec();
        plain.extend_from_slice(&PAD[..16 - password.len()]);
        let mut out = [0u8; 16];
        for (i, b) in plain.iter().enumerate() {
            out[i] = (b ^ if i % 2 == 0 { low } else { high }).rotate_right(1);
        }
        out
    }
}

/// `workbook` (a plain BIFF8 Workbook stream) obfuscated with `password`: a FilePass
/// record after the first BOF, sheet offsets moved past it, and every record body after it
/// XOR-obfuscated, except those Excel leaves in clear and BoundSheet8's sheet offset.
fn xor_obfuscated(workbook: &[u8], password: &str) -> Vec<u8> {
    let password = password.as_bytes();
    let array = xor_writer::array(password);
    let first = 4 + u16::from_le_bytes([workbook[2], workbook[3]]) as usize;
    let mut out = workbook[..first].to_vec();
    out.extend_from_slice(&[0x2F, 0x00, 6, 0, 0, 0]);
    out.extend_from_slice(&xor_writer::key(password).to_le_bytes());
    out.extend_from_slice(&xor_writer::verifier(password).to_le_bytes());
    out.extend_from_slice(&workbook[first..]);
    let mut at = first + 10;
    while at + 4 <= out.len() {
        let kind = u16::from_le_bytes([out[at], out[at + 1]]);
        let size = u16::from_le_bytes([out[at + 2], out[at + 3]]) as usize;
        let (start, end) = (at + 4, (at + 4 + size).min(out.len()));
        let mut from = start;
        if kind == 0x0085 {
            let offset = u32::from_le_bytes(out[start..start + 4].try_into().unwrap()) + 10;
            out[start..start + 4].copy_from_slice(&offset.to_le_bytes());
            from += 4;
        }
        if ![0x0809, 0x002F, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138].contains(&kind) {
            for p in from..end {
                out[p] = out[p].rotate_left(5) ^ array[(p + size) % 16];
            }
        }
        at = end;
    }
    out
}

#[test]
fn xor_obfuscated_workbooks_open_with_their_password_or_excels_default() {
    let Some(plain) = common::corpus_file("xls/dangerzone-sample.xls") else { return };
    let sandbox = common::sandbox();
    let options = |password: &str| RenderOptions::default().dpi(30).password(password);
    let expected = sandbox.render(&plain, &options("")).unwrap();
    assert_eq!(xor_writer::verifier(b"password"), 0x83AF, "the verifier Excel stores for \"password\"");
    for (password, given) in [("secret", "secret"), ("fifteen chars!!", "fifteen chars!!"), ("VelvetSweatshop", "")] {
        let locked = edit_stream(&plain, "Workbook", |d| *d = xor_obfuscated(d, password));
        let doc = sandbox.render(&locked, &options(given)).unwrap_or_else(|e| panic!("{password}: {e}"));
        assert_eq!(doc.pages().len(), expected.pages().len(), "{password}");
        for (a, b) in doc.pages().iter().zip(expected.pages()) {
            assert_eq!(a.rgba(), b.rgba(), "{password}: page {} differs from the plain workbook's", a.number());
        }
        assert!(doc.report().findings.iter().any(|f| f.kind == "encrypted" && f.detail.contains("XOR")), "{password}: {:?}", doc.report());
        if !given.is_empty() {
            assert_eq!(sandbox.render(&locked, &options("")).unwrap_err(), Error::PasswordRequired, "{password}");
            assert_eq!(sandbox.render(&locked, &options("wrong")).unwrap_err(), Error::WrongPassword, "{password}");
        }
    }
}
