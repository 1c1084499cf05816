//! A small PDF writer for generated test documents (correct xref offsets included).

/// Builds a PDF from object bodies; object `i + 1` is `objects[i]`, object 1 the catalog.
pub fn assemble(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}

/// Options for [`text_pdf`].
pub struct TextPdf<'a> {
    pub pages: usize,
    /// Media box width and height in points.
    pub size: (f64, f64),
    /// Extra entries for the catalog, e.g. an `/OpenAction`.
    pub catalog_extra: &'a str,
}

impl Default for TextPdf<'_> {
    fn default() -> Self {
        TextPdf { pages: 1, size: (612.0, 792.0), catalog_extra: "" }
    }
}

/// A PDF whose pages say "Page N" in large Helvetica (a standard, non-embedded font) and
/// carry a black bar whose width grows with N, so pages differ visibly.
pub fn text_pdf(opts: &TextPdf<'_>) -> Vec<u8> {
    let n = opts.pages;
    // 1 catalog, 2 pages, 3 font, then per page: page object and content stream.
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {} >>", opts.catalog_extra),
        format!("<< /Type /Pages /Count {n} /Kids [{}] >>", (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect::<Vec<_>>().join(" ")),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let (w, h) = opts.size;
    for i in 0..n {
        let content = format!("BT /F1 36 Tf 72 {} Td (Page {}) Tj ET 0 0 0 rg 72 {} {} 20 re f", h - 120.0, i + 1, h - 200.0, 20 * (i % 20 + 1));
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + 2 * i));
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    }
    assemble(&objects)
}

/// A one-page PDF with the given content stream (and no resources).
pub fn content_pdf(content: &str) -> Vec<u8> {
    assemble(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Count 1 /Kids [3 0 R] >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".into(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ])
}
