//! DOCX: `word/document.xml` read with quick-xml into the paint layer's flow of paragraphs,
//! tables and images, with styles from `word/styles.xml` (docDefaults, then the paragraph
//! style chain, then the character style chain, then direct formatting), list labels from
//! `word/numbering.xml`, page size and margins from `sectPr`, the default header and footer
//! on every page (with PAGE and NUMPAGES fields filled in), and footnotes as text after
//! the body. Text boxes are shown in the flow where they are anchored.

//!
//! The parts: [`styles`] (styles.xml and the property elements), [`numbering`] (lists),
//! [`tables`], [`body`] (the element-stack reader of document, header, footer and footnote
//! parts); this file puts them together and places headers and footers.

mod body;
mod numbering;
mod styles;
mod tables;

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, FindingKind, Format};

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Canvas, ImageRef, Painter};
use crate::layout::running::{self, Running};
use crate::ooxml;
use crate::ooxml::package::Package;
use crate::report::Report;
use numbering::parse_numbering;
use styles::{parse_styles, parse_theme};

/// Paragraphs laid out at most (each keeps its layout until drawn; 25 000 is far beyond a
/// 500-page report); a document with more is cut there and says so.
const MAX_BLOCKS: usize = 25_000;
/// Most images decoded from one document.
const MAX_IMAGES: usize = 200;
/// EMUs (English Metric Units) per point.
const EMU_PER_POINT: f32 = 12_700.0;
/// Renders a DOCX package: report first, then pages.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let request = job.request;
    let mut package = match input.package(request.document) {
        Ok(package) => package,
        Err(e) => return job.refuse_package(Format::Docx, &e),
    };
    let mut report = Report::new(request.max_report_bytes);
    ooxml::findings(&mut package, &mut report);
    let rels = package.read("word/_rels/document.xml.rels").map(|xml| ooxml::relationships_by_id(&xml)).unwrap_or_default();
    let mut styles = package.read("word/styles.xml").map(|xml| parse_styles(&xml)).unwrap_or_default();
    let theme = rels.values().find(|t| t.starts_with("theme/")).map(|t| ooxml::resolve_target("word/", t)).unwrap_or_else(|| "word/theme/theme1.xml".into());
    if let Ok(xml) = package.read(&theme) {
        styles.theme = parse_theme(&xml);
    }
    let numbering = package.read("word/numbering.xml").map(|xml| parse_numbering(&xml)).unwrap_or_default();
    let document = match package.read("word/document.xml") {
        Ok(xml) => xml,
        Err(e) => {
            return job.refuse(Format::Docx, &report.finish(), FailureKind::Malformed, &ooxml::describe(&e));
        }
    };
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let mut images = ImageLoader { package: &mut package, rels: &rels, base: "word/", loaded: 0 };
    let mut body = body::read(&document, &styles, &numbering, Some(&mut images), &mut canvas);
    let setup = body.setup;
    let mut items = std::mem::take(&mut body.items);
    // Footnotes as text after the body, numbered as their references were.
    if !body.footnote_refs.is_empty() {
        if let Ok(xml) = images.package.read("word/footnotes.xml") {
            items.extend(body::footnotes(&xml, &body.footnote_refs, &styles, &numbering));
        }
    }
    if body.truncated {
        report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_BLOCKS} paragraphs are shown"));
    }
    let pages = paint::flow(&mut painter, &mut canvas, &items, setup);
    // The default header and footer on every page.
    for (kind, rid) in [(Running::Header, &body.header), (Running::Footer, &body.footer)] {
        let Some(target) = rid.as_ref().and_then(|id| rels.get(id)) else { continue };
        let name = ooxml::resolve_target("word/", target);
        let part_rels = ooxml::rels_name(&name);
        let part_rels = images.package.read(&part_rels).map(|xml| ooxml::relationships_by_id(&xml)).unwrap_or_default();
        let Ok(xml) = images.package.read(&name) else { continue };
        let mut loader = ImageLoader { package: images.package, rels: &part_rels, base: "word/", loaded: images.loaded };
        let parser = body::read(&xml, &styles, &numbering, Some(&mut loader), &mut canvas);
        let items = parser.items;
        images.loaded = loader.loaded;
        running::place(&mut painter, &mut canvas, &items, kind, &setup, (body.header_margin, body.footer_margin), pages.clone());
    }
    let page_count = paint::page_count(&canvas);
    job.begin(Format::Docx, Some(page_count)).report(&report.finish()).send_pages(&canvas);
}

/// Decodes the images a part refers to, by relationship id, under a per-document cap.
pub(super) struct ImageLoader<'a, 'd> {
    package: &'a mut Package<'d>,
    rels: &'a HashMap<String, String>,
    base: &'static str,
    loaded: usize,
}

impl ImageLoader<'_, '_> {
    pub(super) fn load(&mut self, rid: &str, canvas: &mut Canvas) -> Option<ImageRef> {
        if self.loaded >= MAX_IMAGES {
            return None;
        }
        let target = self.rels.get(rid)?;
        let bytes = self.package.read(&ooxml::resolve_target(self.base, target)).ok()?;
        self.loaded += 1;
        let decoded = crate::layout::embedded_image::decode(&bytes)?;
        canvas.add_image(decoded.rgba, decoded.width, decoded.height)
    }
}
