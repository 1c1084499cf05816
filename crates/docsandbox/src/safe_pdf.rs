//! Safe PDF output, as Dangerzone makes it: a new PDF written on the host from the
//! validated page pixels only. Each page is one image filling a page of the same physical
//! size; no text, font, link, script, form or attachment of the original can reach it,
//! because nothing of the original is read.

use std::io::Write;

use crate::{Document, Page};

/// How page images are compressed in a safe PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfImages {
    /// Lossless (Flate): exactly the rendered pixels. Small for text pages.
    #[default]
    Flate,
    /// JPEG at this quality (1–100): smaller for photos and scans, slightly soft text.
    Jpeg(u8),
}

/// Writes `pages` as a PDF, one image per page.
pub fn write(pages: &[Page], images: PdfImages) -> Vec<u8> {
    let mut pdf = Builder::new(images);
    pages.iter().for_each(|page| pdf.add(page));
    pdf.finish()
}

/// The safe PDF of a rendered document (here rather than in `document.rs`, so that the
/// dependency runs one way: this module knows pages, pages know nothing of it).
impl Document {
    /// The pages as a safe PDF: a new file holding only the validated page images
    /// (lossless), nothing of the original document. See [this module](crate::safe_pdf).
    pub fn to_pdf(&self) -> Vec<u8> {
        write(&self.pages, PdfImages::default())
    }

    /// The pages as a safe PDF with the images compressed as chosen.
    pub fn to_pdf_with(&self, images: PdfImages) -> Vec<u8> {
        write(&self.pages, images)
    }
}

/// Builds a safe PDF one page at a time, keeping only each page's compressed image, so
/// that a page's pixels can be dropped as soon as it is added.
pub struct Builder {
    images: PdfImages,
    pdf: Writer,
    pages: usize,
}

impl Builder {
    /// An empty PDF whose page images will be compressed as `images` says.
    pub fn new(images: PdfImages) -> Builder {
        let mut pdf = Writer::default();
        pdf.out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
        // Objects: 1 catalog, 2 page tree (written last), 3 info; then per page: page,
        // content, image.
        pdf.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
        pdf.object(3, b"<< /Producer (docsandbox safe PDF: page images only) >>");
        Builder { images, pdf, pages: 0 }
    }

    /// Appends one page.
    pub fn add(&mut self, page: &Page) {
        let id = 4 + 3 * self.pages;
        let dpi = f64::from(page.dpi().max(1));
        let (w, h) = (f64::from(page.width()) * 72.0 / dpi, f64::from(page.height()) * 72.0 / dpi);
        self.pdf.object(
            id,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.3} {h:.3}] /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                id + 2,
                id + 1
            )
            .as_bytes(),
        );
        let content = format!("q {w:.3} 0 0 {h:.3} 0 0 cm /Im0 Do Q");
        self.pdf.stream(id + 1, "", content.as_bytes());
        let (filter, space, data) = encode(page, self.images);
        let dict = format!(
            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /{space} /BitsPerComponent 8 /Filter /{filter}",
            page.width(),
            page.height()
        );
        self.pdf.stream(id + 2, &dict, &data);
        self.pages += 1;
    }

    /// Pages added so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// The finished PDF.
    pub fn finish(mut self) -> Vec<u8> {
        let kids: Vec<String> = (0..self.pages).map(|i| format!("{} 0 R", 4 + 3 * i)).collect();
        self.pdf.object(2, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), self.pages).as_bytes());
        self.pdf.finish(3 + 3 * self.pages)
    }
}

/// The page's pixels compressed for an image XObject: the filter that decodes them, the
/// colour space (gray when every pixel is gray, a third of the data for text pages) and the
/// bytes.
fn encode(page: &Page, images: PdfImages) -> (&'static str, &'static str, Vec<u8>) {
    let (gray, samples) = page.samples();
    let space = if gray { "DeviceGray" } else { "DeviceRGB" };
    if let PdfImages::Jpeg(quality) = images {
        if let Ok(jpeg) = crate::document::encode_jpeg(&samples, page.width(), page.height(), gray, quality) {
            return ("DCTDecode", space, jpeg);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&samples).expect("writing to a Vec cannot fail");
    ("FlateDecode", space, z.finish().expect("writing to a Vec cannot fail"))
}

/// Appends numbered objects and remembers where each starts, for the cross-reference table.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    offsets: Vec<(usize, usize)>,
}

impl Writer {
    fn object(&mut self, id: usize, body: &[u8]) {
        self.offsets.push((id, self.out.len()));
        self.out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object(id, &body);
    }

    fn finish(mut self, last_id: usize) -> Vec<u8> {
        self.offsets.sort_unstable();
        let xref = self.out.len();
        self.out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", last_id + 1).as_bytes());
        for (_, offset) in &self.offsets {
            self.out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        self.out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n", last_id + 1).as_bytes());
        self.out
    }
}
