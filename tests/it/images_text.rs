//! Images (PNG, JPEG, GIF, BMP, TIFF with every page, WebP) and text (encodings, CSV/TSV
//! grids) rendered through the public API; bombs and damaged files end fast with a typed
//! error.

use crate::common;

use std::time::{Duration, Instant};

use docsandbox::{Error, RenderOptions};

#[test]
fn corpus_images_render_at_their_own_size() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, format) in [
        ("image/dangerzone-sample.png", "png"),
        ("image/dangerzone-sample.jpg", "jpeg"),
        ("image/dangerzone-sample.gif", "gif"),
        ("image/dangerzone-sample.bmp", "bmp"),
        ("image/mandrill.tiff", "tiff"),
        ("image/simple-rgb.webp", "webp"),
        ("image/truncated_jpeg.jpg", "jpeg"),
    ] {
        let bytes = common::corpus_file(name).unwrap();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(72)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.report().format.as_deref(), Some(format), "{name}");
        assert_eq!(doc.pages().len(), 1, "{name}");
        assert!(common::ink(doc.pages()[0].rgba()) > 0.01, "{name}: blank");
    }
    // mandrill.tiff is 512 x 512: the page comes out at the image's own size.
    let doc = sandbox.render(&common::corpus_file("image/mandrill.tiff").unwrap(), &RenderOptions::default()).unwrap();
    assert_eq!((doc.pages()[0].width(), doc.pages()[0].height()), (512, 512));
}

#[test]
fn image_bombs_and_damage_end_fast_with_a_typed_error() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for name in ["image/Bad_reallybig.bmp", "image/huge_iTXt_chunk.png", "image/clusterfuzz-fuzzer_script_tiff-5026894169374720.tif"] {
        let started = Instant::now();
        match sandbox.render(&common::corpus_file(name).unwrap(), &RenderOptions::default()) {
            Err(Error::Malformed(message)) => assert!(!message.is_empty()),
            other => panic!("{name}: expected Malformed, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{name}: {:?}", started.elapsed());
    }
}

/// A baseline TIFF, little-endian, uncompressed 8-bit grey, one strip per page, each page
/// filled with its own grey level.
fn gray_tiff(width: u16, height: u16, levels: &[u8]) -> Vec<u8> {
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    for (i, &level) in levels.iter().enumerate() {
        let ifd_start = out.len();
        let entries = 8u16;
        let ifd_len = 2 + usize::from(entries) * 12 + 4;
        let data_start = (ifd_start + ifd_len) as u32;
        let pixels = u32::from(width) * u32::from(height);
        let next = if i + 1 < levels.len() { data_start + pixels } else { 0 };
        out.extend_from_slice(&entries.to_le_bytes());
        let mut entry = |tag: u16, kind: u16, value: u32| {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        };
        entry(256, 3, u32::from(width)); // ImageWidth
        entry(257, 3, u32::from(height)); // ImageLength
        entry(258, 3, 8); // BitsPerSample
        entry(259, 3, 1); // Compression: none
        entry(262, 3, 1); // Photometric: BlackIsZero
        entry(273, 4, data_start); // StripOffsets
        entry(278, 3, u32::from(height)); // RowsPerStrip
        entry(279, 4, pixels); // StripByteCounts
        out.extend_from_slice(&next.to_le_bytes());
        out.extend(std::iter::repeat_n(level, pixels as usize));
    }
    out
}

#[test]
fn every_page_of_a_multi_page_tiff_is_rendered() {
    let sandbox = common::sandbox();
    let doc = sandbox.render(&gray_tiff(40, 30, &[0, 128, 255]), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.report().format.as_deref(), Some("tiff"));
    assert_eq!(doc.pages().len(), 3);
    for (page, level) in doc.pages().iter().zip([0u8, 128, 255]) {
        assert_eq!((page.width(), page.height()), (40, 30));
        let centre = ((15 * 40 + 20) * 4) as usize;
        assert!(page.rgba()[centre].abs_diff(level) <= 2, "page {}: {} vs {level}", page.number(), page.rgba()[centre]);
    }
    // The corpus' three 1-bit palette pages (green, red, blue) at their own pixel size,
    // at any resolution.
    if let Some(bytes) = common::corpus_file("image/multipage.tiff") {
        for dpi in [72, 150, 300] {
            let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(dpi)).unwrap();
            let pages: Vec<_> = doc.pages().iter().map(|p| (p.width(), p.height(), p.rgba()[..4].to_vec())).collect();
            assert_eq!(pages, [(10, 10, vec![0, 128, 0, 255]), (10, 10, vec![255, 0, 0, 255]), (20, 20, vec![0, 0, 255, 255])], "{dpi} DPI");
            assert!(doc.pages().iter().all(|p| p.rgba().chunks_exact(4).all(|px| px == &p.rgba()[..4])), "pages are not one solid colour");
        }
    }
    // A header promising 60 000 x 60 000 pixels is refused before decoding.
    let mut bomb = gray_tiff(1, 1, &[7]);
    bomb[18..20].copy_from_slice(&60_000u16.to_le_bytes());
    bomb[30..32].copy_from_slice(&60_000u16.to_le_bytes());
    assert!(matches!(sandbox.render(&bomb, &RenderOptions::default()), Err(Error::Malformed(_))));
}

#[test]
fn text_in_japanese_encodings_and_delimited_values() {
    if !common::corpus_present() {
        return;
    }
    let sandbox = common::sandbox();
    for (name, format, encoding, min_pages) in [
        ("text/shift_jis-ude_4.txt", "text", "Shift_JIS", 5),
        ("text/iso-2022-jp-ude_1.txt", "text", "ISO-2022-JP", 1),
        ("text/uspop-null.csv", "csv", "UTF-8", 1),
        ("text/worldcitiespop.csv", "csv", "UTF-8", 100),
    ] {
        let doc = sandbox.render(&common::corpus_file(name).unwrap(), &RenderOptions::default().dpi(40)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = doc.report();
        assert_eq!(report.format.as_deref(), Some(format), "{name}");
        assert!(report.findings.iter().any(|f| f.kind == "encoding" && f.detail == encoding), "{name}: {report:?}");
        assert!(doc.pages().len() >= min_pages, "{name}: {} pages", doc.pages().len());
        assert!(common::ink(doc.pages()[0].rgba()) > 0.005, "{name}: page 1 blank");
    }
}

#[test]
fn generated_text_decodes_and_hostile_text_is_capped() {
    let sandbox = common::sandbox();
    // UTF-16LE with a BOM.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Patient notes 患者\n".repeat(50).encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let doc = sandbox.render(&utf16, &RenderOptions::default().dpi(40)).unwrap();
    assert!(doc.report().findings.iter().any(|f| f.detail == "UTF-16LE"), "{:?}", doc.report());
    assert!(common::ink(doc.pages()[0].rgba()) > 0.002);
    // Tab-separated values become a grid.
    let tsv = "name\tward\tbed\n".to_owned() + &"Yamada\t3F\t12\n".repeat(30);
    assert_eq!(sandbox.inspect(tsv.as_bytes(), &RenderOptions::default()).unwrap().format.as_deref(), Some("csv"));
    // 8 MB on one line, and 3 million empty lines: both capped, both fast.
    for (name, bytes) in [("one long line", "x".repeat(8 << 20).into_bytes()), ("many lines", "\n".repeat(3_000_000).into_bytes())] {
        let started = Instant::now();
        let doc = sandbox.render(&bytes, &RenderOptions::default().dpi(20).pages(1..=2)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!doc.pages().is_empty());
        assert!(doc.report().has("content-truncated"), "{name}: {:?}", doc.report());
        assert!(started.elapsed() < Duration::from_secs(60), "{name}: {:?}", started.elapsed());
    }
}
