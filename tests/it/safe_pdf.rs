//! Safe PDF output: a PDF rebuilt on the host from the page pixels only. It must show the
//! same pages, carry none of the original's active content, and read back as plain images.

use crate::common;

use docsandbox::{PdfImages, RenderOptions};

/// Words that would mean something of the original PDF survived.
const ACTIVE: [&str; 9] = ["/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/URI", "/EmbeddedFile", "/AcroForm", "/Font"];

#[test]
fn safe_pdf_keeps_the_pages_and_drops_active_content() {
    let sandbox = common::sandbox();
    let original = common::pdf::text_pdf(&common::pdf::TextPdf {
        pages: 2,
        catalog_extra: "/OpenAction << /S /JavaScript /JS (app.alert('hi')) >>",
        ..Default::default()
    });
    let document = sandbox.render(&original, &RenderOptions::default().dpi(72)).unwrap();
    assert!(document.report().has("javascript"), "{:?}", document.report());

    for images in [PdfImages::Flate, PdfImages::Jpeg(85)] {
        let pdf = document.to_pdf_with(images);
        assert!(pdf.starts_with(b"%PDF-1.7") && pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        for word in ACTIVE {
            assert!(!text.contains(&format!("{word} ")) && !text.contains(&format!("{word}<")), "{images:?}: {word} in the safe PDF");
        }
        // Read back through the sandbox: same page count and sizes, no findings, same pixels
        // (exactly for Flate at the same resolution, closely for JPEG).
        let again = sandbox.render(&pdf, &RenderOptions::default().dpi(72)).unwrap();
        assert!(again.report().findings.is_empty(), "{images:?}: {:?}", again.report());
        assert_eq!(again.pages().len(), 2);
        for (a, b) in document.pages().iter().zip(again.pages()) {
            assert_eq!((a.width(), a.height()), (b.width(), b.height()), "{images:?}");
            let differing = a.rgb().iter().zip(b.rgb()).filter(|(x, y)| x.abs_diff(*y) > 48).count();
            assert!(differing * 100 < a.rgb().len(), "{images:?}: {differing} of {} samples differ", a.rgb().len());
        }
    }
    // Lossless pages of text are smaller than JPEG ones.
    assert!(document.to_pdf().len() < document.to_pdf_with(PdfImages::Jpeg(85)).len());
}

#[test]
fn hostile_corpus_pdfs_come_out_clean() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for name in ["pdf-active/javascript.pdf", "pdf-active/issue17846-launch.pdf"] {
        let document = sandbox.render(&common::corpus_file(name).unwrap(), &RenderOptions::default().dpi(50)).unwrap();
        assert!(!document.report().findings.is_empty(), "{name}");
        let safe = sandbox.inspect(&document.to_pdf(), &RenderOptions::default()).unwrap();
        assert!(safe.findings.is_empty(), "{name}: {safe:?}");
        assert_eq!(safe.page_count, Some(document.pages().len() as u32), "{name}");
    }
}
