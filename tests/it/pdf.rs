//! PDF rendering through the public API: generated documents, the corpus, the report.

use crate::common;

use std::ops::ControlFlow;

use common::pdf::{text_pdf, TextPdf};
use common::rc4_pdf::rc4_encrypted_pdf;
use docsandbox::{Error, Limits, RenderOptions, Sandbox};

#[test]
fn renders_a_generated_pdf_at_the_requested_resolution() {
    let doc = common::sandbox().render(&text_pdf(&TextPdf { pages: 3, ..Default::default() }), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 3);
    assert_eq!(doc.report().format.as_deref(), Some("pdf"));
    assert_eq!(doc.report().page_count, Some(3));
    assert!(doc.truncated().is_none());
    for (i, page) in doc.pages().iter().enumerate() {
        assert_eq!((page.number(), page.width(), page.height(), page.dpi()), (i as u32 + 1, 612, 792, 72));
        assert_eq!(page.rgba().len(), 612 * 792 * 4);
        // Text and a bar were drawn, on white.
        let ink = common::ink(page.rgba());
        assert!(ink > 0.001 && ink < 0.2, "page {} ink {ink}", i + 1);
    }
    // Pages differ: the bar grows with the page number.
    assert!(common::ink(doc.pages()[2].rgba()) > common::ink(doc.pages()[0].rgba()));
    let stats = doc.stats();
    assert!(stats.fuel_consumed > 0 && stats.peak_memory_bytes > 0 && !stats.wall_time.is_zero());
}

#[test]
fn png_output_decodes_to_the_same_pixels() {
    let doc = common::sandbox().render(&text_pdf(&TextPdf::default()), &RenderOptions::default().dpi(50)).unwrap();
    let page = &doc.pages()[0];
    let png = page.to_png();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height, info.color_type), (page.width(), page.height(), png::ColorType::Rgb));
    let rgb: Vec<u8> = page.rgba().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    assert_eq!(&buf[..info.buffer_size()], &rgb[..]);
}

#[test]
fn page_ranges_select_pages() {
    let pdf = text_pdf(&TextPdf { pages: 6, ..Default::default() });
    let sandbox = common::sandbox();
    let doc = sandbox.render(&pdf, &RenderOptions::default().dpi(30).pages(2..=4)).unwrap();
    assert_eq!(doc.pages().iter().map(|p| p.number()).collect::<Vec<_>>(), [2, 3, 4]);
    // A range running past the end stops at the last page.
    let doc = sandbox.render(&pdf, &RenderOptions::default().dpi(30).pages(5..=99)).unwrap();
    assert_eq!(doc.pages().iter().map(|p| p.number()).collect::<Vec<_>>(), [5, 6]);
    assert_eq!(sandbox.render(&pdf, &RenderOptions::default().pages(7..=9)).unwrap_err(), Error::PageRangeOutOfBounds { first: 7, page_count: 6 });
    assert!(matches!(sandbox.render(&pdf, &RenderOptions::default().pages(0..=2)), Err(Error::InvalidOptions(_))));
}

#[test]
fn options_and_input_are_checked_before_running() {
    let sandbox = Sandbox::new(Limits::default().max_input_bytes(1000)).unwrap();
    assert_eq!(sandbox.render(&[b'x'; 1001], &RenderOptions::default()).unwrap_err(), Error::InputTooLarge { size: 1001, limit: 1000 });
    assert!(matches!(sandbox.render(b"%PDF-", &RenderOptions::default().dpi(5000)), Err(Error::InvalidOptions(_))));
    assert!(matches!(Sandbox::new(Limits::default().max_memory_bytes(5)), Err(Error::InvalidOptions(_))));
}

#[test]
fn streaming_hands_over_pages_in_order_and_can_stop() {
    let pdf = text_pdf(&TextPdf { pages: 8, ..Default::default() });
    let sandbox = common::sandbox();
    let mut seen = Vec::new();
    let summary = sandbox
        .render_streaming(&pdf, &RenderOptions::default().dpi(20), |page, progress| {
            assert_eq!(progress.expected, Some(8));
            assert_eq!(progress.rendered, page.number());
            seen.push(page.number());
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(seen, (1..=8).collect::<Vec<_>>());
    assert_eq!(summary.pages_rendered, 8);
    assert!(summary.truncated.is_none());

    let mut seen = 0;
    let summary = sandbox
        .render_streaming(&pdf, &RenderOptions::default().dpi(20), |_, _| {
            seen += 1;
            if seen == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!((seen, summary.pages_rendered), (3, 3));
    assert_eq!(summary.truncated, Some(Error::Cancelled));
    // The sandbox is fine afterwards.
    assert_eq!(sandbox.render(&pdf, &RenderOptions::default().dpi(20)).unwrap().pages().len(), 8);
}

#[test]
fn page_limit_returns_the_first_pages_and_the_reason() {
    let pdf = text_pdf(&TextPdf { pages: 12, ..Default::default() });
    let sandbox = Sandbox::new(Limits::default().max_pages(5)).unwrap();
    let doc = sandbox.render(&pdf, &RenderOptions::default().dpi(20)).unwrap();
    assert_eq!(doc.pages().len(), 5);
    assert_eq!(doc.truncated(), Some(&Error::TooManyPages { limit: 5 }));
}

#[test]
fn huge_pages_shrink_to_the_side_limit() {
    // A 200 x 200 inch poster at 300 DPI would be 60 000 pixels a side.
    let pdf = text_pdf(&TextPdf { size: (14_400.0, 14_400.0), ..Default::default() });
    let limits = Limits::default();
    let doc = Sandbox::new(limits.clone()).unwrap().render(&pdf, &RenderOptions::default().dpi(300)).unwrap();
    let page = &doc.pages()[0];
    assert!(page.width() <= limits.max_page_side && page.height() <= limits.max_page_side);
    assert!(u64::from(page.width()) * u64::from(page.height()) <= limits.max_page_pixels);
    assert!(page.dpi() < 300);
}

#[test]
fn report_lists_active_content_and_links() {
    let js = "/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> /Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >> >> /AcroForm << /Fields [] /XFA 9 0 R >>";
    let pdf = text_pdf(&TextPdf { catalog_extra: js, ..Default::default() });
    let sandbox = common::sandbox();
    let report = sandbox.inspect(&pdf, &RenderOptions::default()).unwrap();
    for kind in ["open-action", "javascript", "embedded-file", "acroform", "xfa"] {
        assert!(report.has(kind), "missing {kind} in {report:?}");
    }
    assert!(report.findings.iter().any(|f| f.kind == "javascript" && f.detail.contains("app.alert(1)")));
    assert!(report.findings.iter().any(|f| f.kind == "embedded-file" && f.detail == "a.exe"));
    // The JSON says which findings are warnings, from the one list in the protocol crate.
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    for finding in json["findings"].as_array().unwrap() {
        let warning = !matches!(finding["kind"].as_str().unwrap(), "acroform");
        assert_eq!(finding["warning"], serde_json::Value::Bool(warning), "{finding}");
    }
    // A plain document has nothing to report.
    assert!(sandbox.inspect(&text_pdf(&TextPdf::default()), &RenderOptions::default()).unwrap().findings.is_empty());
}

#[test]
fn not_a_pdf_is_unsupported_or_malformed() {
    let sandbox = common::sandbox();
    assert!(matches!(sandbox.render(b"\x00\x01\x02 binary junk", &RenderOptions::default()), Err(Error::Unsupported(_))));
    // A bare OLE2 header: a compound file too damaged to say what it holds.
    assert!(matches!(sandbox.render(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", &RenderOptions::default()), Err(Error::Malformed(_))));
    assert!(matches!(sandbox.render(b"\x89PNG\r\n\x1a\n", &RenderOptions::default()), Err(Error::Malformed(_))));
    assert!(matches!(sandbox.render(b"PK\x03\x04 truncated zip", &RenderOptions::default()), Err(Error::Malformed(_))));
    assert!(matches!(sandbox.render(b"%PDF-1.7\n garbage", &RenderOptions::default()), Err(Error::Malformed(_))));
    assert!(matches!(sandbox.render(b"", &RenderOptions::default()), Err(Error::Unsupported(_))));
}

#[test]
fn rendering_is_deterministic() {
    let pdf = text_pdf(&TextPdf { pages: 2, ..Default::default() });
    let sandbox = common::sandbox();
    let a = sandbox.render(&pdf, &RenderOptions::default().dpi(96)).unwrap();
    let b = sandbox.render(&pdf, &RenderOptions::default().dpi(96)).unwrap();
    assert_eq!(a.pages(), b.pages());
    assert_eq!(a.stats().fuel_consumed, b.stats().fuel_consumed, "fuel is deterministic too");
    if let Some(bytes) = common::corpus_file("pdf/tracemonkey.pdf") {
        let options = RenderOptions::default().dpi(72).pages(1..=2);
        assert_eq!(sandbox.render(&bytes, &options).unwrap().pages(), sandbox.render(&bytes, &options).unwrap().pages());
    }
}

#[test]
fn one_sandbox_serves_many_threads() {
    let sandbox = common::sandbox();
    let pdf = text_pdf(&TextPdf { pages: 2, ..Default::default() });
    let expected = sandbox.render(&pdf, &RenderOptions::default().dpi(40)).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..5 {
                    assert_eq!(sandbox.render(&pdf, &RenderOptions::default().dpi(40)).unwrap().pages(), expected.pages());
                }
            });
        }
    });
}

#[test]
fn guest_imports_stay_inside_the_allow_list() {
    let imports = docsandbox::guest_imports().unwrap();
    assert!(!imports.is_empty());
    for (module, name) in &imports {
        assert_eq!(module, docsandbox::WASI_MODULE);
        assert!(docsandbox::ALLOWED_IMPORTS.contains(&name.as_str()), "the guest imports {module}::{name}");
    }
}

#[test]
fn a_panicking_callback_propagates_without_hanging() {
    let pdf = text_pdf(&TextPdf { pages: 5, ..Default::default() });
    let sandbox = common::sandbox();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sandbox.render_streaming(&pdf, &RenderOptions::default().dpi(20), |_, _| panic!("the caller's bug"))
    }));
    assert!(result.is_err());
    assert_eq!(sandbox.render(&pdf, &RenderOptions::default().dpi(20)).unwrap().pages().len(), 5);
}

#[test]
fn parallel_rendering_gives_the_same_pages_as_one_instance() {
    let sandbox = common::sandbox();
    let pdf = common::pdf::text_pdf(&common::pdf::TextPdf { pages: 23, ..Default::default() });
    let numbers = |doc: &docsandbox::Document| doc.pages().iter().map(|p| p.number()).collect::<Vec<_>>();
    for range in [None, Some(5..=20), Some(22..=40)] {
        let mut options = RenderOptions::default().dpi(30);
        if let Some(r) = range.clone() {
            options = options.pages(r);
        }
        let one = sandbox.render(&pdf, &options).unwrap();
        for instances in [2, 3, 8] {
            let many = sandbox.render_parallel(&pdf, &options, instances).unwrap();
            assert_eq!(numbers(&many), numbers(&one), "{range:?} over {instances}");
            assert!(many.pages().iter().zip(one.pages()).all(|(a, b)| a.rgba() == b.rgba()), "{range:?} over {instances}: pixels differ");
            assert_eq!(many.report(), one.report());
            assert!(many.truncated().is_none());
        }
    }
    // The page limit holds as in one instance.
    let limited = Sandbox::new(Limits::default().max_pages(4)).unwrap();
    let doc = limited.render_parallel(&pdf, &RenderOptions::default().dpi(30), 2).unwrap();
    assert_eq!(doc.pages().len(), 4);
    assert!(matches!(doc.truncated(), Some(Error::TooManyPages { .. })), "{:?}", doc.truncated());
}

#[test]
fn rc4_pdfs_open_with_the_user_or_the_owner_password() {
    let sandbox = common::sandbox();
    let options = |password: &str| RenderOptions::default().dpi(30).password(password);
    let clear = sandbox.render(&text_pdf(&TextPdf::default()), &RenderOptions::default().dpi(30)).unwrap();
    for (revision, bits) in [(2, 40), (3, 40), (3, 128)] {
        let name = format!("RC4 {bits} bits, revision {revision}");
        let pdf = rc4_encrypted_pdf(revision, bits, "userpw", "ownerpw");
        assert_eq!(sandbox.render(&pdf, &RenderOptions::default()).unwrap_err(), Error::PasswordRequired, "{name}");
        assert_eq!(sandbox.render(&pdf, &options("wrong")).unwrap_err(), Error::WrongPassword, "{name}");
        for password in ["userpw", "ownerpw"] {
            let doc = sandbox.render(&pdf, &options(password)).unwrap_or_else(|e| panic!("{name}, {password}: {e}"));
            assert_eq!(doc.pages()[0].rgba(), clear.pages()[0].rgba(), "{name}, {password}: not the document's pixels");
            let encrypted = doc.report().findings.iter().find(|f| f.kind == "encrypted").unwrap_or_else(|| panic!("{name}: no encrypted finding"));
            assert_eq!(encrypted.detail.contains("owner password"), password == "ownerpw", "{name}: {}", encrypted.detail);
        }
    }
    // No user password: it opens without one, and with any password given.
    let open = rc4_encrypted_pdf(2, 40, "", "ownerpw");
    for password in ["", "ownerpw", "anything"] {
        let doc = sandbox.render(&open, &options(password)).unwrap_or_else(|e| panic!("{password:?}: {e}"));
        assert_eq!(doc.pages()[0].rgba(), clear.pages()[0].rgba(), "{password:?}");
    }
}
