//! Reference images: pages must match an independent renderer, poppler's `pdftoppm`,
//! pixel by pixel within anti-aliasing tolerance. Skips, saying so, when `pdftoppm` or the
//! corpus is missing (`.ci/run` installs poppler-utils).

use crate::common;

use std::process::Command;

use common::pdf::{text_pdf, TextPdf};
use docsandbox::{Page, RenderOptions};

/// Renders one page with pdftoppm as 8-bit RGB (of the crop box, which is what viewers show), or `None` when pdftoppm is missing.
fn pdftoppm(pdf: &[u8], page: u32, dpi: u32) -> Option<(u32, u32, Vec<u8>)> {
    let dir = std::env::temp_dir().join(format!("docsandbox-ref-{}-{page}-{dpi}-{}", std::process::id(), pdf.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.pdf");
    std::fs::write(&input, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-cropbox", "-r", &dpi.to_string(), "-f", &page.to_string(), "-l", &page.to_string(), "-singlefile"])
        .arg(&input)
        .arg(dir.join("out"))
        .status();
    let Ok(status) = status else {
        eprintln!("SKIPPED: pdftoppm is not installed (apt-get install poppler-utils)");
        return None;
    };
    assert!(status.success());
    let ppm = std::fs::read(dir.join("out.ppm")).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    // Binary PPM: "P6\n<w> <h>\n255\n" then RGB.
    let mut fields = ppm.splitn(5, |b| b.is_ascii_whitespace());
    assert_eq!(fields.next(), Some(&b"P6"[..]));
    let mut num = || std::str::from_utf8(fields.next().unwrap()).unwrap().parse::<u32>().unwrap();
    let (w, h, _max) = (num(), num(), num());
    let data = fields.next().unwrap().to_vec();
    assert_eq!(data.len(), (w * h * 3) as usize);
    Some((w, h, data))
}

/// Compares a page with a reference in 4x4-pixel blocks of luminance, which forgives the
/// anti-aliasing and hinting differences between two good renderers but not a missing
/// glyph, image or line. Returns (mean absolute block difference, share of blocks that
/// differ by more than a fifth of the range).
fn compare(page: &Page, (w, h, reference): &(u32, u32, Vec<u8>)) -> (f64, f64) {
    assert!(page.width().abs_diff(*w) <= 1 && page.height().abs_diff(*h) <= 1, "{}x{} vs {w}x{h}", page.width(), page.height());
    const B: u32 = 4;
    let luma = |px: &[u8]| u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114;
    let (bw, bh) = (page.width().min(*w) / B, page.height().min(*h) / B);
    let (mut sum, mut far) = (0u64, 0u64);
    for by in 0..bh {
        for bx in 0..bw {
            let (mut a, mut b) = (0u32, 0u32);
            for y in by * B..(by + 1) * B {
                for x in bx * B..(bx + 1) * B {
                    a += luma(&page.rgba()[((y * page.width() + x) * 4) as usize..]);
                    b += luma(&reference[((y * w + x) * 3) as usize..]);
                }
            }
            let d = u64::from(a.abs_diff(b) / (1000 * B * B));
            sum += d;
            far += u64::from(d > 51);
        }
    }
    let n = f64::from(bw * bh);
    (sum as f64 / n, far as f64 / n)
}

fn check(name: &str, pdf: &[u8], pages: &[u32], dpi: u32, max_mean: f64, max_far: f64) {
    let sandbox = common::sandbox();
    for &number in pages {
        let Some(reference) = pdftoppm(pdf, number, dpi) else {
            return;
        };
        let doc = sandbox.render(pdf, &RenderOptions::default().dpi(dpi).pages(number..=number)).unwrap();
        let (mean, far) = compare(&doc.pages()[0], &reference);
        eprintln!("{name} page {number}: mean abs diff {mean:.2}, {:.3}% of 4x4 blocks far off", far * 100.0);
        assert!(mean <= max_mean && far <= max_far, "{name} page {number}: mean {mean:.2}, far {far:.4}");
    }
}

#[test]
fn generated_pdf_matches_pdftoppm() {
    check("generated", &text_pdf(&TextPdf { pages: 2, ..Default::default() }), &[1, 2], 72, 2.0, 0.01);
}

#[test]
fn corpus_pdfs_match_pdftoppm() {
    for (name, pages) in [("pdf/tracemonkey.pdf", &[1, 5, 14][..]), ("pdf/freeculture.pdf", &[1, 20][..]), ("pdf-ja/issue16538.pdf", &[1][..])] {
        let Some(pdf) = common::corpus_file(name) else {
            return;
        };
        // Fine stripes (the free culture cover) shift by half a pixel between renderers,
        // which raises the mean; missing content shows in the share of far-off blocks.
        check(name, &pdf, pages, 100, 10.0, 0.02);
    }
}
