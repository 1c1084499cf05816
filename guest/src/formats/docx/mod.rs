//! DOCX: `word/document.xml` read with quick-xml into the paint layer's flow of paragraphs,
//! tables and images, with styles from `word/styles.xml` (docDefaults, then the paragraph
//! style chain, then the character style chain, then direct formatting), list labels from
//! `word/numbering.xml`, page size and margins from `sectPr`, the default header and footer
//! on every page (with PAGE and NUMPAGES fields filled in), and footnotes at the foot of
//! the page their reference is on. Floating pictures and text boxes (`wp:anchor`) float
//! where their anchor puts them, the text wrapped around them.

//!
//! The parts: [`styles`] (styles.xml and the property elements), [`numbering`] (lists),
//! [`tables`], [`body`] (the element-stack reader of document, header, footer and footnote
//! parts); this file puts them together and places headers and footers.

mod body;
pub(crate) mod numbering;
mod styles;
mod tables;

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, FindingKind, Format};

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Canvas, ImageRef, PageSetup, Painter};
use crate::layout::placeholder;
use crate::layout::running::{self, Running};
use crate::ooxml;
use crate::ooxml::package::Package;
use crate::report::Report;
use numbering::parse_numbering;
use styles::{parse_styles, parse_theme};

/// Paragraphs laid out at most (each keeps its layout until drawn; 25 000 is far beyond a
/// 500-page report); a document with more is cut there and says so.
const MAX_BLOCKS: usize = 25_000;
/// Most floating pictures and text boxes read from one part; later ones are counted as
/// blocks that were cut.
const MAX_FLOATS: usize = 2_000;
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
        styles.colors = ooxml::color::theme_colors(&xml);
    }
    let settings = package.read("word/settings.xml").map(|xml| styles::parse_settings(&xml)).unwrap_or_default();
    styles.default_tab = settings.default_tab.unwrap_or(0.0);
    styles.collapse_spacing = settings.collapse_spacing;
    let numbering = package.read("word/numbering.xml").map(|xml| parse_numbering(&xml)).unwrap_or_default();
    let document = match package.read("word/document.xml") {
        Ok(xml) => xml,
        Err(e) => {
            return job.refuse(Format::Docx, &report.finish(), FailureKind::Malformed, &ooxml::describe(&e));
        }
    };
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let colors = styles.colors.clone();
    let mut images = ImageLoader { package: &mut package, rels: &rels, base: "word/", loaded: 0, figures: Vec::new() };
    let mut body = body::read(&document, &styles, &numbering, Some(&mut images), &mut canvas);
    let setup = body.setup;
    let items = std::mem::take(&mut body.items);
    // Footnotes at the foot of their pages, numbered as their references were.
    let notes = match images.package.read("word/footnotes.xml") {
        Ok(xml) if !body.footnote_refs.is_empty() => body::footnotes(&xml, &body.footnote_refs, &styles, &numbering),
        _ => Vec::new(),
    };
    if body.truncated {
        report
            .add(FindingKind::ContentTruncated, &format!("only the first {MAX_BLOCKS} paragraphs and {MAX_FLOATS} floating pictures or text boxes are shown"));
    }
    let empty = items.iter().all(|item| match item {
        paint::Flow::Para(block) => block.spans.iter().all(|(text, _)| text.trim().is_empty()),
        paint::Flow::PageBreak | paint::Flow::ColumnBreak | paint::Flow::Section { .. } => true,
        _ => false,
    });
    if empty {
        report.add(FindingKind::EmptyDocument, "the document body is empty");
    }
    // The headers and footers the pages use, read first: one taller than its margin
    // pushes the body's text away from the page's edge, as Word lays pages out.
    let mut running_parts: HashMap<String, Vec<paint::Flow>> = HashMap::new();
    let used = [&body.header, &body.footer, &body.even_page.0, &body.even_page.1]
        .into_iter()
        .chain(body.first_page.iter().flat_map(|(h, f)| [h, f]))
        .flatten()
        .cloned()
        .collect::<Vec<_>>();
    for rid in used {
        if running_parts.contains_key(&rid) {
            continue;
        }
        let Some(target) = rels.get(&rid) else { continue };
        let name = ooxml::resolve_target("word/", target);
        let part_rels = images.package.read(&ooxml::rels_name(&name)).map(|xml| ooxml::relationships_by_id(&xml)).unwrap_or_default();
        let Ok(xml) = images.package.read(&name) else { continue };
        let mut loader = ImageLoader { package: images.package, rels: &part_rels, base: "word/", loaded: images.loaded, figures: Vec::new() };
        let parser = body::read(&xml, &styles, &numbering, Some(&mut loader), &mut canvas);
        images.loaded = loader.loaded;
        images.figures.append(&mut loader.figures);
        running_parts.insert(rid, parser.items);
    }
    let margins = (body.header_margin, body.footer_margin);
    let width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
    let mut text_area = |setup: PageSetup, (header, footer): (&Option<String>, &Option<String>)| {
        let mut setup = setup;
        let height = |rid: &Option<String>, painter: &mut Painter, canvas: &mut Canvas| {
            rid.as_ref().and_then(|r| running_parts.get(r)).map_or(0.0, |items| running::height(painter, canvas, items, width))
        };
        let (top, bottom) = (height(header, &mut painter, &mut canvas), height(footer, &mut painter, &mut canvas));
        if top > 0.0 {
            setup.margin_top = setup.margin_top.max(margins.0 + top).min(setup.height / 2.0);
        }
        if bottom > 0.0 {
            setup.margin_bottom = setup.margin_bottom.max(margins.1 + bottom).min(setup.height / 2.0);
        }
        setup
    };
    let (first_header, first_footer) = body.first_page.clone().unwrap_or_default();
    let rest_setup = text_area(setup, (&body.header, &body.footer));
    let first_setup = if body.first_page.is_some() { text_area(setup, (&first_header, &first_footer)) } else { rest_setup };
    let pages = paint::flow_pages(&mut painter, &mut canvas, &items, [first_setup, rest_setup], &notes);
    // Each page's header and footer: the first page's own (`w:titlePg`; without a
    // first-page part it has none), the even pages' own when the settings ask for them
    // (`w:evenAndOddHeaders`), else the default ones.
    let even_and_odd = settings.even_and_odd_headers;
    let part_of = |page: usize| {
        if page == pages.start && body.first_page.is_some() {
            (&first_header, &first_footer)
        } else if even_and_odd && (page - pages.start) % 2 == 1 {
            (&body.even_page.0, &body.even_page.1)
        } else {
            (&body.header, &body.footer)
        }
    };
    let mut parts: Vec<(Running, Option<String>, Vec<usize>)> = Vec::new();
    for page in pages.clone() {
        let (header, footer) = part_of(page);
        for (kind, rid) in [(Running::Header, header), (Running::Footer, footer)] {
            match parts.iter_mut().find(|(k, r, _)| *k == kind && r == rid) {
                Some((_, _, on)) => on.push(page),
                None => parts.push((kind, rid.clone(), vec![page])),
            }
        }
    }
    // Headers and footers lie beneath the body, as Word draws them: a letterhead's
    // full-page picture in the header does not cover the letter.
    canvas.beneath_pages(pages.clone(), |canvas| {
        for (kind, rid, on) in parts {
            let Some(items) = rid.as_ref().and_then(|id| running_parts.get(id)) else { continue };
            running::place(&mut painter, canvas, items, kind, &setup, margins, on, pages.clone());
        }
    });
    // Charts and placeholders, drawn into the figures reserved where they are anchored.
    for (figure, content) in std::mem::take(&mut images.figures) {
        let missing = match content {
            Figure::Chart(path) => match images.package.read(&path) {
                Ok(xml) => ooxml::chart::show(&xml, &colors, ooxml::chart::Host::Page, None, &mut painter, &mut canvas, figure),
                Err(_) => {
                    placeholder::draw(&mut painter, &mut canvas, figure, "a chart whose part is missing");
                    vec!["a chart whose part is missing".into()]
                }
            },
            Figure::Metafile(bytes) => {
                crate::layout::metafile::draw_or_placeholder(&bytes, &mut painter, &mut canvas, figure).map(String::from).into_iter().collect()
            }
            Figure::Diagram(path) => {
                if crate::formats::pptx::draw_diagram(images.package, &path, &colors, &mut painter, &mut canvas, figure) {
                    Vec::new()
                } else {
                    placeholder::draw(&mut painter, &mut canvas, figure, "a SmartArt diagram without its cached drawing");
                    vec!["a SmartArt diagram without its cached drawing".into()]
                }
            }
            Figure::Missing(what) => {
                placeholder::draw(&mut painter, &mut canvas, figure, what);
                vec![what.into()]
            }
        };
        let page = canvas.page_of(figure).map_or_else(|| "a header or footer".into(), |p| format!("page {}", p + 1));
        for what in missing {
            report.add(FindingKind::ContentNotShown, &format!("{page}: {what}"));
        }
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
    /// Figures reserved in the flow, drawn once the body is read.
    figures: Vec<(ImageRef, Figure)>,
}

/// What a reserved figure will show.
pub(super) enum Figure {
    /// A chart part, by its path in the package.
    Chart(String),
    /// An EMF or WMF picture.
    Metafile(Vec<u8>),
    /// A SmartArt diagram's cached drawing part, by its path.
    Diagram(String),
    /// A placeholder naming content that is not drawn.
    Missing(&'static str),
}

impl ImageLoader<'_, '_> {
    /// Decodes the picture `rid` names; a picture that cannot be drawn (EMF, WMF...) gets a
    /// placeholder of `size` points, or of its own size when unknown.
    pub(super) fn load(&mut self, rid: &str, canvas: &mut Canvas, size: Option<(f32, f32)>) -> Option<ImageRef> {
        if self.loaded >= MAX_IMAGES {
            return None;
        }
        let target = self.rels.get(rid)?;
        let bytes = self.package.read(&ooxml::resolve_target(self.base, target)).ok()?;
        self.loaded += 1;
        match crate::layout::embedded_image::decode(&bytes) {
            Some(decoded) => canvas.add_image(decoded.rgba, decoded.width, decoded.height),
            None => match crate::layout::metafile::emf_size(&bytes).or_else(|| crate::layout::metafile::wmf_size(&bytes)) {
                Some(own) => self.reserve(canvas, size.or(Some(own)), Figure::Metafile(bytes)),
                None => self.reserve(canvas, size, Figure::Missing(crate::layout::embedded_image::undrawn_kind(&bytes))),
            },
        }
    }

    /// A SmartArt diagram whose data part `rid` names, shown from its cached drawing.
    pub(super) fn diagram(&mut self, rid: &str, canvas: &mut Canvas, size: Option<(f32, f32)>) -> Option<ImageRef> {
        let content = match ooxml::diagram_drawing(self.package, self.rels, self.base, rid) {
            Some(path) => Figure::Diagram(path),
            None => Figure::Missing("a SmartArt diagram without its cached drawing"),
        };
        self.reserve(canvas, size, content)
    }

    /// A chart part `rid` names, shown in a figure of `size` points.
    pub(super) fn chart(&mut self, rid: &str, canvas: &mut Canvas, size: Option<(f32, f32)>) -> Option<ImageRef> {
        let path = ooxml::resolve_target(self.base, self.rels.get(rid)?);
        self.reserve(canvas, size, Figure::Chart(path))
    }

    /// A figure of `size` points (6 by 3.5 inches when unknown) for `content`.
    pub(super) fn reserve(&mut self, canvas: &mut Canvas, size: Option<(f32, f32)>, content: Figure) -> Option<ImageRef> {
        if self.figures.len() >= MAX_IMAGES {
            return None;
        }
        let (w, h) = size.unwrap_or((432.0, 252.0));
        let figure = canvas.add_figure(w, h)?;
        self.figures.push((figure, content));
        Some(figure)
    }
}
