//! Office packages (DOCX, XLSX, PPTX, OpenDocument): recognised from their content,
//! inspected for macros, external links and DDE; DOCX rendered by the paint layer, the
//! others refused with a clear `Unsupported` for now. Hostile packages end fast.

mod common;

use std::time::{Duration, Instant};

use docsandbox::{Error, RenderOptions};

#[test]
fn office_findings_are_reported() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, format, kind, detail) in [
        ("docx/SimpleMacro.docm", "docx", "vba-macros", "vbaProject.bin"),
        ("docx/SimpleMacro.docm", "docx", "macro-enabled", ""),
        ("docx/dde-test.docx", "docx", "dde", "DDE"),
        ("docx/sample_with_external_link_to_doc.docx", "docx", "external-ole-object", "http"),
        ("docx/stress011-un-report.docx", "docx", "uri", "http"),
        ("xlsx/vba.xlsm", "xlsx", "vba-macros", "vbaProject.bin"),
        ("xlsx/link-external-workbook-b.xlsx", "xlsx", "external-link", ".xls"),
        ("pptx/SimpleMacro.pptm", "pptx", "vba-macros", "vbaProject.bin"),
    ] {
        let report = sandbox.inspect(&common::corpus_file(name).unwrap(), &RenderOptions::default()).unwrap();
        assert_eq!(report.format.as_deref(), Some(format), "{name}");
        assert_eq!(report.page_count.is_some(), format == "docx", "{name}: only DOCX is laid out yet");
        assert!(
            report.findings.iter().any(|f| f.kind == kind && f.detail.contains(detail)),
            "{name}: no {kind} finding containing {detail:?} in {report:?}"
        );
    }
}

#[test]
fn plain_office_documents_are_recognised_and_clean() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, format) in [
        ("xlsx/dangerzone-sample.xlsx", "xlsx"),
        ("pptx/dangerzone-sample.pptx", "pptx"),
        ("odf/dangerzone-sample.odt", "odt"),
        ("odf/dangerzone-sample.ods", "ods"),
        ("odf/dangerzone-sample.odp", "odp"),
    ] {
        let bytes = common::corpus_file(name).unwrap();
        let report = sandbox.inspect(&bytes, &RenderOptions::default()).unwrap();
        assert_eq!(report.format.as_deref(), Some(format), "{name}");
        assert!(!report.has("vba-macros") && !report.has("dde"), "{name}: {report:?}");
        match sandbox.render(&bytes, &RenderOptions::default()) {
            Err(Error::Unsupported(message)) => assert!(message.contains(&format.to_uppercase()), "{message}"),
            other => panic!("{name}: expected Unsupported, got {other:?}"),
        }
    }
}

#[test]
fn hostile_and_damaged_packages_end_fast_with_a_typed_outcome() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for name in [
        "docx/ExternalEntityInText.docx",
        "xlsx/54764-billion-laughs.xlsx",
        "xlsx/poc-xmlbomb.xlsx",
        "odf/issue_594_dos.ods",
        "docx/truncated62886.docx",
        "pptx/clusterfuzz-POIXSLFFuzzer-6254434927378432.pptx",
        "archive/zbsm.zip",
        "archive/42.zip",
        "archive/invalid_cde_number_of_files_allocation_greater_offset.zip",
    ] {
        let bytes = common::corpus_file(name).unwrap();
        let started = Instant::now();
        let result = sandbox.inspect(&bytes, &RenderOptions::default());
        assert!(started.elapsed() < Duration::from_secs(5), "{name}: {:?}", started.elapsed());
        match result {
            Ok(_) | Err(Error::Malformed(_) | Error::Unsupported(_)) => {}
            Err(e) => panic!("{name}: {e}"),
        }
    }
    // A truncated package is damaged, not unsupported.
    let truncated = common::corpus_file("docx/truncated62886.docx").unwrap();
    assert!(matches!(sandbox.inspect(&truncated, &RenderOptions::default()), Err(Error::Malformed(_))));
}

#[test]
fn docx_renders_text_with_styles_and_japanese() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, min_pages) in [("docx/dangerzone-sample.docx", 1), ("docx/stress019-japanese.docx", 5), ("docx/stress011-un-report.docx", 10)] {
        let bytes = common::corpus_file(name).unwrap();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(50)).unwrap();
        assert!(doc.pages().len() >= min_pages, "{name}: {} pages", doc.pages().len());
        assert!(doc.truncated().is_none(), "{name}");
        assert!(common::ink(doc.pages()[0].rgba()) > 0.002, "{name}: page 1 is blank");
        // Page size comes from sectPr: A4 for the Japanese call for proposals.
        if name.contains("japanese") {
            let page = &doc.pages()[0];
            assert_eq!((page.width(), page.height()), (414, 585), "{name}");
        }
    }
}

#[test]
fn generated_hostile_docx_end_with_a_typed_outcome() {
    let sandbox = common::sandbox();
    let document = |body: &str| {
        docx(&format!(r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#))
    };
    let cases = [
        // 200 000 nested elements.
        document(&format!("{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}", "<w:sdt><w:sdtContent>".repeat(100_000), "</w:sdtContent></w:sdt>".repeat(100_000))),
        // 300 000 empty paragraphs: the paragraph cap cuts them off.
        document(&"<w:p/>".repeat(300_000)),
        // A 2 MB paragraph of one word repeated.
        document(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "overflow ".repeat(230_000))),
        // An internal entity bomb in the document part.
        docx(r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&c;&c;&c;</w:t></w:r></w:p></w:body></w:document>"#),
        // Absurd page size and font size.
        document(r#"<w:p><w:r><w:rPr><w:sz w:val="4000000"/></w:rPr><w:t>big</w:t></w:r></w:p><w:sectPr><w:pgSz w:w="99999999" w:h="1"/></w:sectPr>"#),
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let started = std::time::Instant::now();
        match sandbox.render(bytes, &RenderOptions::default().dpi(30)) {
            Ok(doc) => assert!(!doc.pages().is_empty(), "case {i}"),
            Err(Error::FuelExhausted { .. } | Error::DeadlineExceeded { .. } | Error::Malformed(_)) => {}
            Err(e) => panic!("case {i}: {e}"),
        }
        assert!(started.elapsed() < Duration::from_secs(40), "case {i}: {:?}", started.elapsed());
    }
    // The entity bomb's references stay unexpanded text, and the paragraph cap is reported.
    let report = sandbox.inspect(&cases[1], &RenderOptions::default()).unwrap();
    assert!(report.has("content-truncated"), "{report:?}");
}

/// A minimal DOCX package around a document part.
fn docx(document_xml: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document_xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}
