//! Office packages (DOCX, XLSX, PPTX, OpenDocument) from the corpus: recognised from their
//! content, inspected for macros, external links and DDE, and refused for rendering with a
//! clear `Unsupported` until the layout engine lands. Hostile packages end fast.

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
        assert_eq!(report.page_count, None, "{name}: pages are not laid out yet");
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
        ("docx/dangerzone-sample.docx", "docx"),
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
