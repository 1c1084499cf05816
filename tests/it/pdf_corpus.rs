//! The PDFs of the shared corpus (`../shared/corpus`, see its MANIFEST.tsv): every file ends
//! in pages or in the typed error its manifest entry calls for, within its limits. Skips,
//! saying so, when the corpus is absent.

use crate::common;

use std::time::{Duration, Instant};

use docsandbox::{Error, Limits, RenderOptions, Sandbox};

/// Limits tight enough that a misbehaving file shows up quickly.
fn limits() -> Limits {
    Limits::default().deadline(Duration::from_secs(20)).max_pages(400)
}

fn options(password: &str) -> RenderOptions {
    let options = RenderOptions::default().dpi(50);
    match password {
        "" | "(empty user password)" => options,
        p if p.starts_with("unknown") => options,
        p if p.contains("SASLprep-normalised: ") => options.password(p.rsplit(": ").next().unwrap()),
        p => options.password(p),
    }
}

#[test]
fn every_corpus_pdf_renders_or_fails_with_a_typed_error() {
    let Some(files) = common::corpus("pdf") else {
        return;
    };
    assert!(files.len() >= 20, "the manifest lists {} PDFs", files.len());
    let sandbox = Sandbox::new(limits()).unwrap();
    for file in files {
        let bytes = std::fs::read(&file.path).unwrap();
        let started = Instant::now();
        let result = sandbox.render(&bytes, &options(&file.password));
        let took = started.elapsed();
        assert!(took < limits().deadline + Duration::from_secs(5), "{}: {took:?}", file.name);
        // The one file whose password nobody knows must ask for it.
        let expected_error = (file.name == "pdf-encrypted/encryption_openpassword.pdf").then_some(Error::PasswordRequired);
        match (&result, &expected_error) {
            (Err(e), Some(expected)) => assert_eq!(e, expected, "{}", file.name),
            (Ok(_), Some(expected)) => panic!("{}: rendered, expected {expected}", file.name),
            (Ok(doc), None) => {
                assert!(!doc.pages().is_empty(), "{}", file.name);
                assert!(doc.truncated().is_none(), "{}: {:?}", file.name, doc.truncated());
                // Normal documents must not come out blank.
                if file.kind == "normal" {
                    let inked = doc.pages().iter().filter(|p| common::ink(p.rgba()) > 0.0005).count();
                    assert!(inked * 2 >= doc.pages().len(), "{}: only {inked} pages have ink", file.name);
                }
            }
            (Err(e), None) => {
                assert!(file.kind == "malformed", "{} ({}): {e}", file.name, file.kind);
                assert!(matches!(e, Error::Malformed(_) | Error::Unsupported(_)), "{}: {e}", file.name);
            }
        }
    }
}

#[test]
fn encrypted_pdfs_need_the_right_password() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, password) in [
        ("pdf-encrypted/issue6010_1.pdf", "abc"),
        ("pdf-encrypted/encrypted-attachment.pdf", "000000"),
        ("pdf-encrypted/saslprep-r6.pdf", "SaSLprep"),
        // As typed: U+00AA and a soft hyphen, which SASLprep turns into "SaSLprep".
        ("pdf-encrypted/saslprep-r6.pdf", "S\u{AA}SL\u{AD}prep"),
    ] {
        let bytes = common::corpus_file(name).unwrap();
        assert_eq!(sandbox.render(&bytes, &RenderOptions::default()).unwrap_err(), Error::PasswordRequired, "{name}");
        assert_eq!(sandbox.render(&bytes, &RenderOptions::default().password("wrong")).unwrap_err(), Error::WrongPassword, "{name}");
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(40).password(password)).unwrap();
        assert!(!doc.pages().is_empty(), "{name}");
        assert!(doc.report().has("encrypted"), "{name}");
    }
    // AES-256 with an empty user password opens without asking.
    let bytes = common::corpus_file("pdf-encrypted/empty_protected.pdf").unwrap();
    let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(40)).unwrap();
    assert_eq!(doc.pages().len(), 1);
    assert!(doc.report().has("encrypted"));
}

#[test]
fn active_content_is_reported() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, kind, detail) in [
        ("pdf-active/javascript.pdf", "javascript", "app.alert"),
        ("pdf-active/javascript.pdf", "open-action", "JavaScript"),
        ("pdf-active/attachment.pdf", "embedded-file", "foo.txt"),
        ("pdf-active/issue17846-launch.pdf", "launch-action", ".pdf"),
        ("pdf-active/veraPDF-6-5-1-t01-fail-a-launch.pdf", "launch-action", "SomeFile.jpeg"),
        ("pdf/GeoTopo-komprimiert.pdf", "uri", "http"),
    ] {
        let report = sandbox.inspect(&common::corpus_file(name).unwrap(), &RenderOptions::default()).unwrap();
        assert!(report.findings.iter().any(|f| f.kind == kind && f.detail.contains(detail)), "{name}: no {kind} finding containing {detail:?} in {report:?}");
    }
}

#[test]
fn japanese_without_embedded_fonts_is_legible() {
    let Some(bytes) = common::corpus_file("pdf-ja/noembed-sjis.pdf") else {
        return;
    };
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(100)).unwrap();
    let page = &doc.pages()[0];
    // The text line near the top holds glyphs drawn with the embedded IPAexGothic: without
    // the fallback it would be empty or tofu boxes. Count ink in the top band.
    let band = &page.rgba()[..(page.width() * 120 * 4) as usize];
    assert!(common::ink(band) > 0.01, "top band ink {}", common::ink(band));
}

#[test]
fn hostile_corpus_pdfs_end_quickly() {
    let Some(files) = common::corpus("pdf") else {
        return;
    };
    let limits = limits().deadline(Duration::from_secs(10));
    let sandbox = Sandbox::new(limits.clone()).unwrap();
    for file in files.iter().filter(|f| f.kind == "hostile") {
        let bytes = std::fs::read(&file.path).unwrap();
        let started = Instant::now();
        let result = sandbox.render(&bytes, &RenderOptions::default());
        assert!(started.elapsed() < Duration::from_secs(15), "{}: {:?}", file.name, started.elapsed());
        match result {
            Ok(doc) => assert!(doc.pages().len() <= limits.max_pages as usize, "{}", file.name),
            Err(e) => assert!(!matches!(e, Error::Setup(_)), "{}: {e}", file.name),
        }
    }
}
