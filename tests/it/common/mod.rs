//! Shared helpers for the integration tests: the corpus, generated PDFs, a sandbox.
#![allow(dead_code)]

pub mod pdf;
pub mod rc4_pdf;

use std::path::PathBuf;

use docsandbox::{Limits, RenderOptions, Sandbox};

/// `../shared/corpus` next to the repository, or `$DOCSANDBOX_CORPUS`.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DOCSANDBOX_CORPUS").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Whether the corpus is present; prints a skip note when it is not, and fails instead
/// with DOCSANDBOX_REQUIRE_CORPUS=1 (so that a run meant to cover it cannot pass without it).
pub fn corpus_present() -> bool {
    let present = corpus_dir().is_some();
    if !present {
        assert!(
            std::env::var_os("DOCSANDBOX_REQUIRE_CORPUS").is_none_or(|v| v != "1"),
            "DOCSANDBOX_REQUIRE_CORPUS=1, but the corpus (../shared/corpus or $DOCSANDBOX_CORPUS) is absent"
        );
        eprintln!("SKIPPED: the corpus (../shared/corpus or $DOCSANDBOX_CORPUS) is absent");
    }
    present
}

/// One row of the corpus manifest.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub path: PathBuf,
    pub name: String,
    pub format: String,
    pub kind: String,
    pub password: String,
}

/// The corpus files of one format, or `None` (with a note on stderr) when the corpus is absent.
pub fn corpus(format: &str) -> Option<Vec<CorpusFile>> {
    if !corpus_present() {
        return None;
    }
    let dir = corpus_dir()?;
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("read MANIFEST.tsv");
    let files = manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.len() > 8 && cols[1] == format).then(|| CorpusFile {
                path: dir.join(cols[0]),
                name: cols[0].to_owned(),
                format: cols[1].to_owned(),
                kind: cols[2].to_owned(),
                password: cols[7].to_owned(),
            })
        })
        .collect();
    Some(files)
}

/// A corpus file by its manifest path, or `None` (with a note) when the corpus is absent.
pub fn corpus_file(name: &str) -> Option<Vec<u8>> {
    if !corpus_present() {
        return None;
    }
    Some(std::fs::read(corpus_dir()?.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// A sandbox with default limits.
pub fn sandbox() -> Sandbox {
    Sandbox::new(Limits::default()).expect("sandbox")
}

/// Fraction of pixels in an RGBA buffer that are not near-white.
pub fn ink(rgba: &[u8]) -> f64 {
    let dark = rgba.chunks_exact(4).filter(|p| p[..3].iter().any(|&c| c < 200)).count();
    dark as f64 / (rgba.len() / 4).max(1) as f64
}

/// A solid-colour PNG.
pub fn solid_png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&rgb.repeat((width * height) as usize)).unwrap();
    writer.finish().unwrap();
    bytes
}

/// A PNG of four quadrants: red and green above, blue and yellow below.
pub fn quadrants_png(width: u32, height: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let rgb: [u8; 3] = match (x < width / 2, y < height / 2) {
                (true, true) => [255, 0, 0],
                (false, true) => [0, 160, 0],
                (true, false) => [0, 0, 255],
                (false, false) => [255, 255, 0],
            };
            pixels.extend_from_slice(&rgb);
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    bytes
}

/// Checks the first page of a document holding "Before [green 72 × 36 pt picture] after"
/// in blue on its first line at the top margin (1 in), then a table of two 150 pt cells from
/// the left margin (1 in), the second holding a magenta 72 pt square picture, at 72 DPI:
/// the pictures are set in their lines, words on both sides, and none is reported missing.
pub fn check_inline_pictures(doc: &docsandbox::Document) {
    let page = &doc.pages()[0];
    let (_, green) = pixels_near(page, [0, 255, 0]);
    assert!((green[2] - green[0]).abs_diff(72) <= 2 && (green[3] - green[1]).abs_diff(36) <= 2 && (72..80).contains(&green[1]), "{green:?}");
    let blue = |xs: std::ops::Range<u32>, ys: std::ops::Range<u32>| {
        ys.clone()
            .any(|y| xs.clone().any(|x| matches!(&page.rgba()[((y * page.width() + x) * 4) as usize..][..3], [r, g, b] if *r < 60 && *g < 60 && *b > 200)))
    };
    let line = green[1]..green[3] + 3;
    assert!(blue(72..green[0], line.clone()) && blue(green[2] + 1..green[2] + 60, line), "words on both sides of the picture");
    let (magenta, cell) = pixels_near(page, [255, 0, 255]);
    assert!(magenta > 4000 && (222..240).contains(&cell[0]) && cell[1] > green[3], "the picture in the second cell: {cell:?}");
    assert!(!doc.report().findings.iter().any(|f| f.detail.contains("table cell")), "{:?}", doc.report().findings);
}

/// How many pixels of a page are near `rgb`, and the bounding box of them.
pub fn pixels_near(page: &docsandbox::Page, rgb: [u8; 3]) -> (usize, [u32; 4]) {
    let mut count = 0;
    let mut bounds = [u32::MAX, u32::MAX, 0, 0];
    for (i, p) in page.rgba().chunks_exact(4).enumerate() {
        if p[..3].iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < 40) {
            let (x, y) = (i as u32 % page.width(), i as u32 / page.width());
            count += 1;
            bounds = [bounds[0].min(x), bounds[1].min(y), bounds[2].max(x), bounds[3].max(y)];
        }
    }
    (count, bounds)
}

/// The colour of a page's pixel at (`x`, `y`).
pub fn rgb_at(page: &docsandbox::Page, x: u32, y: u32) -> [u8; 3] {
    <[u8; 3]>::try_from(&page.rgba()[((y * page.width() + x) * 4) as usize..][..3]).unwrap()
}

/// Pixels of a page close to a colour.
pub fn pixels_like(page: &docsandbox::Page, rgb: [u8; 3]) -> usize {
    page.rgba().chunks_exact(4).filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) < 40)).count()
}

/// A ZIP package with a content-types part and the given entries.
pub fn package(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The namespaces of OpenDocument content and styles.
const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0""#;

/// An OpenDocument package of `mimetype` (stored first, as the format requires) holding
/// `content` and `styles` inside their root elements, and `extra` entries.
pub fn odf(mimetype: &str, content: &str, styles: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(mimetype.as_bytes()).unwrap();
    let content = format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>{content}</office:document-content>"#);
    let styles = format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}>{styles}</office:document-styles>"#);
    for (name, data) in [("content.xml", content.as_bytes()), ("styles.xml", styles.as_bytes())].into_iter().chain(extra.iter().copied()) {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Asserts that `got` and `want` both have `pages` pages, alike pixel for pixel (`what`
/// names `want` in the message).
pub fn assert_same_pages(got: &docsandbox::Document, want: &docsandbox::Document, pages: usize, what: &str) {
    assert_eq!(got.pages().len(), pages);
    assert_eq!(want.pages().len(), pages);
    for (n, (a, b)) in got.pages().iter().zip(want.pages()).enumerate() {
        assert!(a.rgba() == b.rgba(), "page {} differs from {what}", n + 1);
    }
}

/// Renders an encrypted test file with `password` at 72 DPI, after checking that it asks
/// for a password without one and refuses a wrong one.
pub fn opens_with_password_only(sandbox: &Sandbox, bytes: &[u8], password: &str) -> docsandbox::Document {
    match sandbox.render(bytes, &RenderOptions::default()) {
        Err(docsandbox::Error::PasswordRequired) => {}
        other => panic!("without a password: {other:?}"),
    }
    match sandbox.render(bytes, &RenderOptions::default().password(format!("{password}x"))) {
        Err(docsandbox::Error::WrongPassword) => {}
        other => panic!("with a wrong password: {other:?}"),
    }
    sandbox.render(bytes, &RenderOptions::default().dpi(72).password(password)).unwrap()
}

/// A compound file (CFB) holding `streams`.
pub fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        file.create_stream(name).unwrap().write_all(data).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// The root streams of a compound file, by name.
pub fn streams(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = file.read_root_storage().filter(|e| e.is_stream()).map(|e| e.name().to_owned()).collect();
    names
        .into_iter()
        .map(|name| {
            let mut data = Vec::new();
            file.open_stream(&name).unwrap().read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// Renders a hostile document at 36 DPI: it must end within 20 s with pages, or be refused
/// as malformed or unsupported; `what` names it in failures.
pub fn ends_with_pages_or_refusal(sandbox: &Sandbox, what: &str, bytes: &[u8]) {
    let started = std::time::Instant::now();
    match sandbox.render(bytes, &docsandbox::RenderOptions::default().dpi(36)) {
        Ok(doc) => assert!(!doc.pages().is_empty(), "{what}: no pages"),
        Err(docsandbox::Error::Malformed(_) | docsandbox::Error::Unsupported(_)) => {}
        Err(other) => panic!("{what}: {other:?}"),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{what} took {:?}", started.elapsed());
}

/// Where the blue (#0000FF) text of a page is, in its left and right halves: each half's
/// bounding box, `[u32::MAX, u32::MAX, 0, 0]` when it has none.
pub fn blue_halves(page: &docsandbox::Page) -> [[u32; 4]; 2] {
    let mut halves = [[u32::MAX, u32::MAX, 0, 0]; 2];
    for y in 0..page.height() {
        for x in 0..page.width() {
            let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
            if p[0] < 60 && p[1] < 60 && p[2] > 200 {
                let b = &mut halves[usize::from(x >= page.width() / 2)];
                *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
        }
    }
    halves
}

/// The rows where each line of blue text ends (its baseline, for text without descenders),
/// top to bottom.
pub fn blue_baselines(page: &docsandbox::Page) -> Vec<u32> {
    let blue = |y: u32| {
        (0..page.width()).any(|x| {
            let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
            p[2] > 150 && p[0] < 120 && p[1] < 120
        })
    };
    let rows: Vec<bool> = (0..page.height()).map(blue).collect();
    (1..rows.len()).filter(|&y| rows[y - 1] && !rows[y]).map(|y| y as u32).collect()
}
