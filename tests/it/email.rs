//! E-mail: headers and body on the first page, attachments rendered after it (labelled),
//! the Emotet pattern (a password in the body, an encrypted archive attached) reported.

use crate::common;

use docsandbox::RenderOptions;

/// Standard base64 with line breaks, for building MIME parts.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in data.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn message(body: &str, attachments: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut m = String::from(
        "From: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\r\nTo: ward3@hospital.example\r\nSubject: =?ISO-2022-JP?B?GyRCJTUlcyVXJWsbKEI=?= results\r\nDate: Mon, 23 Nov 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
    );
    m.push_str(body);
    m.push_str("\r\n");
    for (name, kind, data) in attachments {
        m.push_str(&format!("--b1\r\nContent-Type: {kind}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n", base64(data)));
    }
    m.push_str("--b1--\r\n");
    m.into_bytes()
}

#[test]
fn headers_body_and_attachments_are_shown() {
    let sandbox = common::sandbox();
    let pdf = common::pdf::text_pdf(&common::pdf::TextPdf { pages: 2, ..Default::default() });
    let mail = message("Please find the scan attached.\r\nRegards", &[("scan.pdf", "application/pdf", &pdf)]);
    let doc = sandbox.render(&mail, &RenderOptions::default().dpi(40)).unwrap();
    let report = doc.report();
    assert_eq!(report.format.as_deref(), Some("eml"));
    assert!(report.findings.iter().any(|f| f.kind == "attachment" && f.detail.starts_with("scan.pdf")), "{report:?}");
    // The message page, then the PDF's two pages.
    assert_eq!(doc.pages().len(), 3, "{report:?}");
    assert!(common::ink(doc.pages()[0].rgba()) > 0.001);
    assert!(!report.has("password-in-body"));
}

#[test]
fn a_password_in_the_body_with_an_encrypted_archive_is_reported() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    let zip = common::corpus_file("archive/TestDataEncryptedAES.zip").unwrap();
    let mail = message("Invoice attached. Password: TestData", &[("invoice.zip", "application/zip", &zip)]);
    let report = sandbox.inspect(&mail, &RenderOptions::default()).unwrap();
    assert!(report.has("password-in-body"), "{report:?}");
    // The archive's own findings come with their path.
    assert!(report.findings.iter().any(|f| f.kind == "encrypted-entry" && f.detail.starts_with("invoice.zip: ")), "{report:?}");
}

#[test]
fn passwords_from_the_body_open_attachments_only_when_asked() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    let zip = common::corpus_file("archive/TestDataEncryptedAES.zip").unwrap();
    let docx = common::corpus_file("docx/bug53475-password-is-solrcell.docx").unwrap();
    let mail = message(
        "請求書を送ります。\nパスワード：TestData\n\nThe report's password is solrcell.",
        &[("invoice.zip", "application/zip", &zip), ("report.docx", "application/octet-stream", &docx)],
    );
    // By default the attachments stay closed: mail page, the archive's overview, no more.
    let closed = sandbox.render(&mail, &RenderOptions::default().dpi(30)).unwrap();
    let not_shown = closed.report().findings.iter().filter(|f| f.kind == "entry-not-shown").count();
    assert!(not_shown >= 2, "{:?}", closed.report());
    assert!(!closed.report().has("password-from-message"));

    let opened = sandbox.render(&mail, &RenderOptions::default().dpi(30).passwords_from_message(true)).unwrap();
    let report = opened.report();
    for name in ["invoice.zip", "report.docx"] {
        assert!(report.findings.iter().any(|f| f.kind == "password-from-message" && f.detail.starts_with(name)), "{name}: {report:?}");
    }
    assert!(!report.has("entry-not-shown"), "{report:?}");
    assert!(report.findings.iter().any(|f| f.kind == "encrypted" && f.detail.starts_with("report.docx: ")), "{report:?}");
    assert!(opened.pages().len() > closed.pages().len() + 1, "{} vs {} pages", opened.pages().len(), closed.pages().len());

    // A body stating the wrong password opens nothing.
    let wrong = message("Password: NotIt", &[("invoice.zip", "application/zip", &zip)]);
    let report = sandbox.inspect(&wrong, &RenderOptions::default().passwords_from_message(true)).unwrap();
    assert!(!report.has("password-from-message") && report.has("entry-not-shown"), "{report:?}");
}

#[test]
fn passwords_from_the_body_open_encrypted_word_excel_and_powerpoint_97_attachments() {
    // The Emotet pattern: an encrypted .doc attached, its password in the body.
    let file = |name: &str| std::fs::read(format!("{}/tests/files/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let (doc, cryptoapi, ppt) = (file("encrypted-rc4.doc"), file("encrypted-cryptoapi.doc"), file("encrypted.ppt"));
    let mail = message(
        "請求書を添付します。パスワード：doc-secret\nThe slides' password is ppt-secret",
        &[("invoice.doc", "application/msword", &doc), ("order.doc", "application/msword", &cryptoapi), ("slides.ppt", "application/vnd.ms-powerpoint", &ppt)],
    );
    let sandbox = common::sandbox();
    let closed = sandbox.inspect(&mail, &RenderOptions::default()).unwrap();
    assert!(!closed.has("password-from-message"), "{closed:?}");
    let opened = sandbox.inspect(&mail, &RenderOptions::default().passwords_from_message(true)).unwrap();
    for name in ["invoice.doc", "order.doc", "slides.ppt"] {
        assert!(opened.findings.iter().any(|f| f.kind == "password-from-message" && f.detail.starts_with(name)), "{name}: {opened:?}");
        assert!(opened.findings.iter().any(|f| f.kind == "encrypted" && f.detail.starts_with(&format!("{name}: decrypted"))), "{name}: {opened:?}");
    }
    if common::corpus_present() {
        let xls = common::corpus_file("xls/password.xls").unwrap();
        let mail = message("Figures attached. Password: password", &[("figures.xls", "application/vnd.ms-excel", &xls)]);
        let opened = sandbox.inspect(&mail, &RenderOptions::default().passwords_from_message(true)).unwrap();
        assert!(opened.findings.iter().any(|f| f.kind == "password-from-message" && f.detail.starts_with("figures.xls")), "{opened:?}");
    }
}

#[test]
fn corpus_mail_renders() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for name in ["email/attachment_pdf.eml", "email/japanese_iso_2022.eml", "email/raw_email_encoded_stack_level_too_deep.eml"] {
        let doc = sandbox.render(&common::corpus_file(name).unwrap(), &RenderOptions::default().dpi(40)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.report().format.as_deref(), Some("eml"), "{name}");
        assert!(common::ink(doc.pages()[0].rgba()) > 0.0005, "{name}: blank");
    }
}

#[test]
fn outlook_messages_show_headers_body_and_attachments() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    let doc = sandbox.render(&common::corpus_file("email/attachment_msg_pdf.msg").unwrap(), &RenderOptions::default().dpi(40)).unwrap();
    assert_eq!(doc.report().format.as_deref(), Some("msg"));
    assert!(doc.report().findings.iter().any(|f| f.kind == "attachment" && f.detail.contains(".pdf")), "{:?}", doc.report());
    // The message page, then the attached PDF's page.
    assert_eq!(doc.pages().len(), 2);
    // 8-bit properties in Big5 decode, and a fuzzed message still ends with a typed outcome.
    let big5 = sandbox.render(&common::corpus_file("email/chinese-traditional.msg").unwrap(), &RenderOptions::default().dpi(40)).unwrap();
    assert!(common::ink(big5.pages()[0].rgba()) > 0.002);
    match sandbox.render(&common::corpus_file("email/clusterfuzz-POIHSMFFuzzer-4848576776503296.msg").unwrap(), &RenderOptions::default().dpi(40)) {
        Ok(_) | Err(docsandbox::Error::Malformed(_) | docsandbox::Error::Unsupported(_)) => {}
        Err(e) => panic!("fuzzed msg: {e}"),
    }
}
