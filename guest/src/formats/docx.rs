//! DOCX: `word/document.xml` read with quick-xml into the paint layer's flow of paragraphs,
//! tables and images, with styles from `word/styles.xml` (docDefaults, then the paragraph
//! style chain, then the character style chain, then direct formatting), list labels from
//! `word/numbering.xml`, page size and margins from `sectPr`, the default header and footer
//! on every page (with PAGE and NUMPAGES fields filled in), and footnotes as text after
//! the body. Text boxes are shown in the flow where they are anchored.

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, FindingKind, Format};
use quick_xml::events::{BytesStart, Event};

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Align, Block, Borders, Canvas, Cell, Flow, ImageRef, PageSetup, Painter, Rgb, Row, SpanStyle, Stroke, Table};
use crate::ooxml::package::Package;
use crate::ooxml::{self, attr, reader};
use crate::report::Report;

/// Paragraphs laid out at most (each keeps its layout until drawn; 25 000 is far beyond a
/// 500-page report); a document with more is cut there and says so.
const MAX_BLOCKS: usize = 25_000;
/// Longest `basedOn` chain followed (they can loop).
const MAX_STYLE_DEPTH: usize = 16;
/// Most images decoded from one document.
const MAX_IMAGES: usize = 200;
/// Stands for the current page number in header and footer text until it is known.
const PAGE_FIELD: char = '\u{E000}';
/// Stands for the page count in header and footer text.
const NUMPAGES_FIELD: char = '\u{E001}';
/// EMUs (English Metric Units) per point.
const EMU_PER_POINT: f32 = 12_700.0;

/// Run properties, each unset until some level of the style hierarchy sets it.
#[derive(Debug, Clone, Default, PartialEq)]
struct RunProps {
    font: Option<String>,
    half_points: Option<f32>,
    bold: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
    strike: Option<bool>,
    color: Option<Rgb>,
}

impl RunProps {
    /// `self` with every property `over` sets replaced.
    fn overlay(&self, over: &RunProps) -> RunProps {
        RunProps {
            font: over.font.clone().or_else(|| self.font.clone()),
            half_points: over.half_points.or(self.half_points),
            bold: over.bold.or(self.bold),
            italic: over.italic.or(self.italic),
            underline: over.underline.or(self.underline),
            strike: over.strike.or(self.strike),
            color: over.color.or(self.color),
        }
    }

    fn style(&self) -> SpanStyle {
        SpanStyle {
            family: self.font.clone().unwrap_or_else(|| "Calibri".into()),
            size: self.half_points.unwrap_or(20.0) / 2.0,
            bold: self.bold.unwrap_or(false),
            italic: self.italic.unwrap_or(false),
            underline: self.underline.unwrap_or(false),
            strike: self.strike.unwrap_or(false),
            color: self.color.unwrap_or([0, 0, 0]),
        }
    }
}

/// Paragraph properties (lengths in points).
#[derive(Debug, Clone, Default, PartialEq)]
struct ParaProps {
    style: Option<String>,
    align: Option<Align>,
    before: Option<f32>,
    after: Option<f32>,
    line: Option<f32>,
    left: Option<f32>,
    right: Option<f32>,
    first: Option<f32>,
    page_break_before: Option<bool>,
    num_id: Option<String>,
    level: Option<u8>,
}

impl ParaProps {
    fn overlay(&self, over: &ParaProps) -> ParaProps {
        ParaProps {
            style: over.style.clone().or_else(|| self.style.clone()),
            align: over.align.or(self.align),
            before: over.before.or(self.before),
            after: over.after.or(self.after),
            line: over.line.or(self.line),
            left: over.left.or(self.left),
            right: over.right.or(self.right),
            first: over.first.or(self.first),
            page_break_before: over.page_break_before.or(self.page_break_before),
            num_id: over.num_id.clone().or_else(|| self.num_id.clone()),
            level: over.level.or(self.level),
        }
    }
}

/// One style from styles.xml.
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    para: ParaProps,
    run: RunProps,
    table_borders: Option<BorderSet>,
}

/// Everything styles.xml says.
#[derive(Debug, Default)]
struct Styles {
    default_run: RunProps,
    default_para: ParaProps,
    default_paragraph_style: Option<String>,
    styles: HashMap<String, Style>,
}

impl Styles {
    /// Paragraph and run properties of a style with its `basedOn` chain applied.
    fn resolve(&self, id: &str) -> (ParaProps, RunProps) {
        let mut chain = Vec::new();
        let mut next = Some(id.to_owned());
        while let Some(id) = next {
            if chain.len() >= MAX_STYLE_DEPTH {
                break;
            }
            let Some(style) = self.styles.get(&id) else { break };
            chain.push(style);
            next = style.based_on.clone().filter(|b| *b != id);
        }
        chain.iter().rev().fold((ParaProps::default(), RunProps::default()), |(p, r), s| (p.overlay(&s.para), r.overlay(&s.run)))
    }

    /// The borders a table style (or the first style it is based on that has some) gives.
    fn table_borders(&self, id: &str) -> Option<BorderSet> {
        let mut next = Some(id);
        for _ in 0..MAX_STYLE_DEPTH {
            let style = self.styles.get(next?)?;
            if style.table_borders.is_some() {
                return style.table_borders;
            }
            next = style.based_on.as_deref();
        }
        None
    }
}

/// Renders a DOCX package: report first, then pages.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let request = job.request;
    let mut package = match input.package(request.document) {
        Ok(package) => package,
        Err(e) => return job.refuse_package(Format::Docx, &e),
    };
    let mut report = Report::new(request.max_report_bytes);
    ooxml::findings(&mut package, &mut report);
    let styles = package.read("word/styles.xml").map(|xml| parse_styles(&xml)).unwrap_or_default();
    let numbering = package.read("word/numbering.xml").map(|xml| parse_numbering(&xml)).unwrap_or_default();
    let rels = package.read("word/_rels/document.xml.rels").map(|xml| ooxml::relationships_by_id(&xml)).unwrap_or_default();
    let document = match package.read("word/document.xml") {
        Ok(xml) => xml,
        Err(e) => {
            return job.refuse(Format::Docx, &report.finish(), FailureKind::Malformed, &ooxml::describe(&e));
        }
    };
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let mut images = ImageLoader { package: &mut package, rels: &rels, base: "word/", loaded: 0 };
    let mut body = Parser::new(&styles, &numbering);
    body.parse(&document, &mut images, &mut canvas);
    let setup = body.setup.unwrap_or(body.section);
    let mut items = std::mem::take(&mut body.items);
    // Footnotes as text after the body, numbered as their references were.
    if !body.footnote_refs.is_empty() {
        if let Ok(xml) = images.package.read("word/footnotes.xml") {
            items.extend(footnotes(&xml, &body.footnote_refs, &styles, &numbering));
        }
    }
    if body.truncated {
        report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_BLOCKS} paragraphs are shown"));
    }
    let pages = paint::flow(&mut painter, &mut canvas, &items, setup);
    // The default header and footer on every page.
    for (kind, rid) in [(Part::Header, &body.header), (Part::Footer, &body.footer)] {
        let Some(target) = rid.as_ref().and_then(|id| rels.get(id)) else { continue };
        let name = ooxml::resolve_target("word/", target);
        let part_rels = ooxml::rels_name(&name);
        let part_rels = images.package.read(&part_rels).map(|xml| ooxml::relationships_by_id(&xml)).unwrap_or_default();
        let Ok(xml) = images.package.read(&name) else { continue };
        let mut loader = ImageLoader { package: images.package, rels: &part_rels, base: "word/", loaded: images.loaded };
        let mut parser = Parser::new(&styles, &numbering);
        parser.parse(&xml, &mut loader, &mut canvas);
        images.loaded = loader.loaded;
        place_running(&mut painter, &mut canvas, &parser.items, kind, &setup, &body, pages.clone());
    }
    let page_count = paint::page_count(&canvas);
    job.begin(Format::Docx, Some(page_count)).report(&report.finish()).send_pages(&canvas);
}

/// A header or a footer.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Header,
    Footer,
}

/// Places a header or footer on each page: headers down from the header margin, footers
/// up from the footer margin. Text with page fields is laid out per page.
fn place_running(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], part: Part, setup: &PageSetup, body: &Parser<'_>, pages: std::ops::Range<usize>) {
    let width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
    let total = pages.len();
    let has_fields = items.iter().any(|i| matches!(i, Flow::Para(b) if b.spans.iter().any(|(t, _)| t.contains([PAGE_FIELD, NUMPAGES_FIELD]))));
    let mut shared = None;
    for (n, page) in pages.enumerate() {
        let texts = match (&shared, has_fields) {
            (Some(texts), false) => Vec::clone(texts),
            _ => {
                let texts = running_texts(painter, canvas, items, width, n + 1, total);
                if !has_fields {
                    shared = Some(texts.clone());
                }
                texts
            }
        };
        let height: f32 = texts.iter().map(|(h, _)| *h).sum();
        let mut y = match part {
            Part::Header => body.header_margin,
            Part::Footer => setup.height - body.footer_margin - height,
        };
        for (h, placed) in texts {
            match placed {
                Placed::Text(text, x) => canvas.text(page, &text, setup.margin_left + x, y),
                Placed::Image(image, w) => canvas.image(page, image, [setup.margin_left, y, setup.margin_left + w, y + h]),
            }
            y += h;
        }
    }
}

/// A laid-out header or footer item.
#[derive(Clone)]
enum Placed {
    Text(paint::Text, f32),
    Image(ImageRef, f32),
}

fn running_texts(painter: &mut Painter, canvas: &mut Canvas, items: &[Flow], width: f32, page: usize, total: usize) -> Vec<(f32, Placed)> {
    let mut texts = Vec::new();
    for item in items {
        match item {
            Flow::Para(block) => {
                let mut block = block.clone();
                for (text, _) in &mut block.spans {
                    if text.contains([PAGE_FIELD, NUMPAGES_FIELD]) {
                        *text = text.replace(PAGE_FIELD, &page.to_string()).replace(NUMPAGES_FIELD, &total.to_string());
                    }
                }
                let inner = (width - block.indent_left - block.indent_right).max(12.0);
                let text = painter.text(canvas, &block, Some(inner));
                texts.push((text.height() + block.space_after, Placed::Text(text, block.indent_left)));
            }
            Flow::Image { image, width: w, height: h, .. } => {
                let scale = (width / w).min(1.0);
                texts.push((h * scale, Placed::Image(*image, w * scale)));
            }
            Flow::Table(_) => {}
        }
    }
    texts
}

/// Decodes the images a part refers to, by relationship id, under a per-document cap.
struct ImageLoader<'a, 'd> {
    package: &'a mut Package<'d>,
    rels: &'a HashMap<String, String>,
    base: &'static str,
    loaded: usize,
}

impl ImageLoader<'_, '_> {
    fn load(&mut self, rid: &str, canvas: &mut Canvas) -> Option<ImageRef> {
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

/// The footnotes referred to, in reference order, each as paragraphs led by its number.
fn footnotes(xml: &[u8], ids: &[String], styles: &Styles, numbering: &Numbering) -> Vec<Flow> {
    let mut notes: HashMap<String, Vec<Flow>> = HashMap::new();
    let mut reader = reader(xml);
    // Split the part into its footnotes and parse each one's paragraphs.
    let mut depth_start: Option<(String, usize)> = None;
    loop {
        let position = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref().as_bytes() == b"footnote" => depth_start = attr(&e, b"id").map(|id| (id, position)),
            Ok(Event::End(e)) if e.local_name().as_ref().as_bytes() == b"footnote" => {
                if let Some((id, start)) = depth_start.take() {
                    let end = reader.buffer_position() as usize;
                    let mut parser = Parser::new(styles, numbering);
                    let mut canvas = Canvas::new();
                    parser.parse_without_images(&xml[start..end.min(xml.len())], &mut canvas);
                    notes.insert(id, parser.items);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let rule = SpanStyle { family: "Calibri".into(), size: 10.0, ..Default::default() };
    let mut flow = vec![Flow::Para(Block {
        spans: vec![("────────────".into(), rule)], space_before: 12.0, line_height: 1.0, ..Default::default()
    })];
    for (n, id) in ids.iter().enumerate() {
        for (i, item) in notes.get(id).into_iter().flatten().enumerate() {
            let Flow::Para(block) = item else { continue };
            let mut block = block.clone();
            if i == 0 {
                let style = block.spans.first().map(|(_, s)| s.clone()).unwrap_or_default();
                block.spans.insert(0, (format!("{} ", n + 1), style));
            }
            flow.push(Flow::Para(block));
        }
    }
    flow
}

/// Twips (1/20 pt) in an attribute, as points.
fn twips(e: &BytesStart<'_>, local: &[u8]) -> Option<f32> {
    attr(e, local)?.parse::<f32>().ok().filter(|v| v.is_finite()).map(|v| (v / 20.0).clamp(-10_000.0, 10_000.0))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`).
fn toggle(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off" | "none"))
}

/// Applies a property element inside `w:rPr`.
fn run_property(e: &BytesStart<'_>, run: &mut RunProps, char_style: &mut Option<String>) {
    match e.local_name().as_ref().as_bytes() {
        b"rStyle" => *char_style = attr(e, b"val"),
        b"rFonts" => {
            let theme = attr(e, b"asciiTheme").map(|t| if t.starts_with("major") { "Calibri Light" } else { "Calibri" }.to_owned());
            run.font = attr(e, b"ascii").or_else(|| attr(e, b"hAnsi")).or(theme).or_else(|| attr(e, b"eastAsia")).or(run.font.take());
        }
        b"sz" => run.half_points = attr(e, b"val").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| v.clamp(2.0, 800.0)),
        b"b" => run.bold = Some(toggle(e)),
        b"i" => run.italic = Some(toggle(e)),
        b"u" => run.underline = Some(toggle(e)),
        b"strike" | b"dstrike" => run.strike = Some(toggle(e)),
        b"color" => run.color = attr(e, b"val").and_then(|v| ooxml::hex_color(&v)),
        _ => {}
    }
}

/// Applies a property element inside `w:pPr`.
fn para_property(e: &BytesStart<'_>, para: &mut ParaProps) {
    match e.local_name().as_ref().as_bytes() {
        b"pStyle" => para.style = attr(e, b"val"),
        b"jc" => {
            para.align = match attr(e, b"val").as_deref() {
                Some("center") => Some(Align::Center),
                Some("right" | "end") => Some(Align::End),
                Some("both" | "distribute") => Some(Align::Justify),
                Some(_) => Some(Align::Start),
                None => None,
            }
        }
        b"spacing" => {
            para.before = twips(e, b"before").or(para.before);
            para.after = twips(e, b"after").or(para.after);
            if let Some(line) = attr(e, b"line").and_then(|v| v.parse::<f32>().ok()) {
                // "auto" lines are 240ths of a single line; exact and at-least are twips,
                // taken relative to a 12 pt line.
                let multiple = match attr(e, b"lineRule").as_deref() {
                    None | Some("auto") => line / 240.0,
                    _ => line / 20.0 / 14.0,
                };
                para.line = Some(multiple.clamp(0.5, 5.0));
            }
        }
        b"ind" => {
            para.left = twips(e, b"left").or_else(|| twips(e, b"start")).or(para.left);
            para.right = twips(e, b"right").or_else(|| twips(e, b"end")).or(para.right);
            para.first = twips(e, b"firstLine").or_else(|| twips(e, b"hanging").map(|h| -h)).or(para.first);
        }
        b"pageBreakBefore" => para.page_break_before = Some(toggle(e)),
        b"numId" => para.num_id = attr(e, b"val"),
        b"ilvl" => para.level = attr(e, b"val").and_then(|v| v.parse().ok()),
        _ => {}
    }
}

fn parse_styles(xml: &[u8]) -> Styles {
    let mut styles = Styles::default();
    let mut reader = reader(xml);
    // Where property elements go: the docDefaults, or the style being read.
    let mut current: Option<(String, Style)> = None;
    let (mut in_rpr_default, mut in_ppr_default, mut in_rpr, mut in_ppr, mut in_borders) = (false, false, false, false, false);
    let mut ignored_char_style = None;
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                match e.local_name().as_ref().as_bytes() {
                    b"rPrDefault" => in_rpr_default = true,
                    b"pPrDefault" => in_ppr_default = true,
                    b"style" if !empty => {
                        let id = attr(e, b"styleId").unwrap_or_default();
                        if attr(e, b"type").as_deref() == Some("paragraph") && attr(e, b"default").is_some_and(|d| d == "1" || d == "true") {
                            styles.default_paragraph_style = Some(id.clone());
                        }
                        current = Some((id, Style::default()));
                    }
                    b"basedOn" => {
                        if let Some((_, s)) = current.as_mut() {
                            s.based_on = attr(e, b"val");
                        }
                    }
                    b"rPr" if !empty => in_rpr = true,
                    b"pPr" if !empty => in_ppr = true,
                    b"tblBorders" if !empty => in_borders = true,
                    _ if in_borders => {
                        if let Some((_, s)) = current.as_mut() {
                            s.table_borders.get_or_insert_with(BorderSet::default).set(e);
                        }
                    }
                    _ if in_rpr => {
                        let target = match current.as_mut() {
                            Some((_, s)) => &mut s.run,
                            None if in_rpr_default => &mut styles.default_run,
                            None => continue,
                        };
                        run_property(e, target, &mut ignored_char_style);
                    }
                    _ if in_ppr => {
                        let target = match current.as_mut() {
                            Some((_, s)) => &mut s.para,
                            None if in_ppr_default => &mut styles.default_para,
                            None => continue,
                        };
                        para_property(e, target);
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref().as_bytes() {
                b"rPrDefault" => in_rpr_default = false,
                b"pPrDefault" => in_ppr_default = false,
                b"rPr" => in_rpr = false,
                b"pPr" => in_ppr = false,
                b"tblBorders" => in_borders = false,
                b"style" => {
                    if let Some((id, style)) = current.take() {
                        styles.styles.insert(id, style);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// A run being read: its text, direct properties and character style.
#[derive(Default)]
struct RunBuf {
    text: String,
    props: RunProps,
    char_style: Option<String>,
}

/// A paragraph being read: its properties, runs, images and whether a page break ends it.
#[derive(Default)]
struct Paragraph {
    props: ParaProps,
    runs: Vec<RunBuf>,
    /// Images with their size in points and, for anchored ones, their own alignment.
    images: Vec<(ImageRef, f32, f32, Option<Align>)>,
    break_after: bool,
}

/// A field (`fldChar` begin ... separate ... end): its instruction, and whether its result
/// is being read.
struct Field {
    instruction: String,
    in_result: bool,
    /// PAGE or NUMPAGES: the result is replaced by a placeholder.
    placeholder: Option<char>,
}

/// Border sides as a table or cell gives them; `Some(None)` is an explicit "no border".
#[derive(Debug, Clone, Copy, Default)]
struct BorderSet {
    top: Option<Option<Stroke>>,
    bottom: Option<Option<Stroke>>,
    left: Option<Option<Stroke>>,
    right: Option<Option<Stroke>>,
    inside_h: Option<Option<Stroke>>,
    inside_v: Option<Option<Stroke>>,
}

impl BorderSet {
    fn set(&mut self, e: &BytesStart<'_>) {
        let stroke = border(e);
        match e.local_name().as_ref().as_bytes() {
            b"top" => self.top = Some(stroke),
            b"bottom" => self.bottom = Some(stroke),
            b"left" | b"start" => self.left = Some(stroke),
            b"right" | b"end" => self.right = Some(stroke),
            b"insideH" => self.inside_h = Some(stroke),
            b"insideV" => self.inside_v = Some(stroke),
            _ => {}
        }
    }

    fn overlay(&self, over: &BorderSet) -> BorderSet {
        BorderSet {
            top: over.top.or(self.top),
            bottom: over.bottom.or(self.bottom),
            left: over.left.or(self.left),
            right: over.right.or(self.right),
            inside_h: over.inside_h.or(self.inside_h),
            inside_v: over.inside_v.or(self.inside_v),
        }
    }
}

/// A border element (`w:top w:val="single" w:sz="4" w:color="FF0000"`): sizes are eighths
/// of a point.
fn border(e: &BytesStart<'_>) -> Option<Stroke> {
    let val = attr(e, b"val").unwrap_or_default();
    if matches!(val.as_str(), "nil" | "none" | "") {
        return None;
    }
    let width = attr(e, b"sz").and_then(|v| v.parse::<f32>().ok()).map_or(0.5, |s| (s / 8.0).clamp(0.25, 6.0));
    let color = attr(e, b"color").and_then(|c| ooxml::hex_color(&c)).unwrap_or([0, 0, 0]);
    Some((color, width))
}

/// A cell being read.
#[derive(Default)]
struct CellBuf {
    span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    v_merge: Option<bool>,
    fill: Option<Rgb>,
    borders: BorderSet,
    content: Vec<Block>,
}

/// A table being read (only the outermost; nested tables' paragraphs join their cell).
#[derive(Default)]
struct TableBuf {
    grid: Vec<f32>,
    style: Option<String>,
    borders: BorderSet,
    indent: f32,
    rows: Vec<(f32, Vec<CellBuf>)>,
}

impl TableBuf {
    /// Resolves borders and merges into a paint table.
    fn finish(self, styles: &Styles, content_width: f32) -> Table {
        let style_borders = self.style.as_deref().and_then(|s| styles.table_borders(s)).unwrap_or_default();
        let borders = style_borders.overlay(&self.borders);
        let columns = self.rows.iter().map(|(_, cells)| cells.iter().map(|c| c.span.max(1)).sum::<usize>()).max().unwrap_or(1);
        let grid = if self.grid.len() >= columns && self.grid.iter().sum::<f32>() > 10.0 { self.grid } else { vec![content_width / columns as f32; columns] };
        let row_count = self.rows.len();
        let mut rows: Vec<Row> = Vec::with_capacity(row_count);
        // Grid column -> index in the previous row, to suppress borders inside merges.
        for (r, (min_height, cells)) in self.rows.into_iter().enumerate() {
            let mut row = Row { min_height, cells: Vec::new() };
            let mut column = 0;
            for cell in cells {
                let span = cell.span.max(1);
                let side = |edge: bool, outer: Option<Option<Stroke>>, inner: Option<Option<Stroke>>| if edge { outer } else { inner }.flatten();
                let b = cell.borders;
                let mut resolved = Borders {
                    top: b.top.unwrap_or_else(|| side(r == 0, borders.top, borders.inside_h)),
                    bottom: b.bottom.unwrap_or_else(|| side(r + 1 == row_count, borders.bottom, borders.inside_h)),
                    left: b.left.unwrap_or_else(|| side(column == 0, borders.left, borders.inside_v)),
                    right: b.right.unwrap_or_else(|| side(column + span >= grid.len(), borders.right, borders.inside_v)),
                };
                if cell.v_merge == Some(false) {
                    resolved.top = None;
                    // The cell above, in the same grid column, loses its bottom border.
                    if let Some(above) = rows.last_mut().and_then(|prev| cell_at(prev, column)) {
                        above.borders.bottom = None;
                    }
                }
                let content = if cell.v_merge == Some(false) { Vec::new() } else { cell.content };
                row.cells.push(Cell { span, content, fill: cell.fill, borders: resolved });
                column += span;
            }
            rows.push(row);
        }
        Table { columns: grid, rows, indent: self.indent }
    }
}

/// The cell of a row that starts at a grid column.
fn cell_at(row: &mut Row, column: usize) -> Option<&mut Cell> {
    let mut at = 0;
    for cell in &mut row.cells {
        if at == column {
            return Some(cell);
        }
        at += cell.span.max(1);
    }
    None
}

/// Which border set a border element belongs to.
#[derive(Clone, Copy, PartialEq)]
enum BorderTarget {
    Table,
    Cell,
}

/// Reads a WordprocessingML part (document, header, footer, footnote) into a flow.
struct Parser<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    counters: HashMap<String, [u32; 9]>,
    items: Vec<Flow>,
    blocks: usize,
    truncated: bool,
    /// The first section's page setup, once its `sectPr` ends.
    setup: Option<PageSetup>,
    section: PageSetup,
    header_margin: f32,
    footer_margin: f32,
    header: Option<String>,
    footer: Option<String>,
    footnote_refs: Vec<String>,
    paragraph: Option<Paragraph>,
    /// Paragraphs interrupted by a text box inside them.
    suspended: Vec<(Paragraph, Option<RunBuf>)>,
    run: Option<RunBuf>,
    fields: Vec<Field>,
    table: Option<TableBuf>,
    table_depth: usize,
    borders: Option<BorderTarget>,
    page_break_pending: bool,
}

impl<'a> Parser<'a> {
    fn new(styles: &'a Styles, numbering: &'a Numbering) -> Self {
        Parser {
            styles,
            numbering,
            counters: HashMap::new(),
            items: Vec::new(),
            blocks: 0,
            truncated: false,
            setup: None,
            section: PageSetup::default(),
            header_margin: 36.0,
            footer_margin: 36.0,
            header: None,
            footer: None,
            footnote_refs: Vec::new(),
            paragraph: None,
            suspended: Vec::new(),
            run: None,
            fields: Vec::new(),
            table: None,
            table_depth: 0,
            borders: None,
            page_break_pending: false,
        }
    }

    fn parse_without_images(&mut self, xml: &[u8], canvas: &mut Canvas) {
        self.parse_with(xml, None, canvas);
    }

    fn parse(&mut self, xml: &[u8], images: &mut ImageLoader<'_, '_>, canvas: &mut Canvas) {
        self.parse_with(xml, Some(images), canvas);
    }

    fn parse_with(&mut self, xml: &[u8], mut images: Option<&mut ImageLoader<'_, '_>>, canvas: &mut Canvas) {
        let mut reader = reader(xml);
        let (mut in_ppr, mut in_rpr, mut in_text, mut in_instr, mut in_sect, mut in_tcpr) = (false, false, false, false, false, false);
        // Depth inside subtrees whose text must not show (deleted text, fallbacks).
        let mut skip_depth = 0usize;
        // The size of the drawing being read, in points, and its horizontal alignment.
        let mut extent: Option<(f32, f32)> = None;
        let (mut in_position_h, mut in_align) = (false, false);
        let mut drawing_align: Option<Align> = None;
        loop {
            if self.truncated {
                return;
            }
            let event = reader.read_event();
            match &event {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let empty = matches!(event, Ok(Event::Empty(_)));
                    if skip_depth > 0 {
                        skip_depth += usize::from(!empty);
                        continue;
                    }
                    let name = e.local_name();
                    match name.as_ref().as_bytes() {
                        b"Fallback" | b"delText" | b"del" | b"moveFrom" if !empty => skip_depth = 1,
                        b"sectPr" if !empty => in_sect = true,
                        b"pgSz" if in_sect => {
                            let s = &mut self.section;
                            s.width = twips(e, b"w").filter(|w| *w >= 36.0).unwrap_or(s.width).min(2000.0);
                            s.height = twips(e, b"h").filter(|h| *h >= 36.0).unwrap_or(s.height).min(2000.0);
                        }
                        b"pgMar" if in_sect => {
                            let s = &mut self.section;
                            let m = |k: &[u8], d: f32| twips(e, k).map(f32::abs).unwrap_or(d).min(1000.0);
                            s.margin_top = m(b"top", s.margin_top);
                            s.margin_bottom = m(b"bottom", s.margin_bottom);
                            s.margin_left = m(b"left", s.margin_left);
                            s.margin_right = m(b"right", s.margin_right);
                            if self.setup.is_none() {
                                self.header_margin = m(b"header", self.header_margin);
                                self.footer_margin = m(b"footer", self.footer_margin);
                            }
                        }
                        b"headerReference" | b"footerReference" if in_sect && self.setup.is_none() => {
                            if matches!(attr(e, b"type").as_deref(), None | Some("default")) {
                                let id = attr(e, b"id");
                                if name.as_ref() == "headerReference" {
                                    self.header = id;
                                } else {
                                    self.footer = id;
                                }
                            }
                        }
                        b"tbl" if !empty => {
                            self.table_depth += 1;
                            if self.table_depth == 1 {
                                self.table = Some(TableBuf::default());
                            }
                        }
                        b"gridCol" if self.table_depth == 1 => {
                            if let Some(t) = self.table.as_mut() {
                                t.grid.push(twips(e, b"w").unwrap_or(0.0).clamp(0.0, 2000.0));
                            }
                        }
                        b"tblStyle" if self.table_depth == 1 => {
                            if let Some(t) = self.table.as_mut() {
                                t.style = attr(e, b"val");
                            }
                        }
                        b"tblInd" if self.table_depth == 1 => {
                            if let Some(t) = self.table.as_mut() {
                                t.indent = twips(e, b"w").unwrap_or(0.0).clamp(-200.0, 1000.0);
                            }
                        }
                        b"tblBorders" if self.table_depth == 1 && !empty => self.borders = Some(BorderTarget::Table),
                        b"tcBorders" if self.table_depth == 1 && !empty => self.borders = Some(BorderTarget::Cell),
                        b"top" | b"bottom" | b"left" | b"right" | b"start" | b"end" | b"insideH" | b"insideV" if self.borders.is_some() => {
                            if let Some(t) = self.table.as_mut() {
                                match self.borders {
                                    Some(BorderTarget::Table) => t.borders.set(e),
                                    _ => {
                                        if let Some(cell) = t.rows.last_mut().and_then(|r| r.1.last_mut()) {
                                            cell.borders.set(e);
                                        }
                                    }
                                }
                            }
                        }
                        b"tr" if self.table_depth == 1 => {
                            if let Some(t) = self.table.as_mut() {
                                t.rows.push((0.0, Vec::new()));
                            }
                        }
                        b"trHeight" if self.table_depth == 1 => {
                            if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                                row.0 = twips(e, b"val").unwrap_or(0.0).clamp(0.0, 1500.0);
                            }
                        }
                        b"tc" if self.table_depth == 1 => {
                            if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                                row.1.push(CellBuf { span: 1, ..Default::default() });
                            }
                        }
                        b"tcPr" if self.table_depth == 1 && !empty => in_tcpr = true,
                        b"gridSpan" | b"vMerge" | b"shd" if in_tcpr => {
                            if let Some(cell) = self.table.as_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.1.last_mut()) {
                                match name.as_ref().as_bytes() {
                                    b"gridSpan" => cell.span = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1usize).clamp(1, 64),
                                    b"vMerge" => cell.v_merge = Some(attr(e, b"val").as_deref() == Some("restart")),
                                    _ => cell.fill = attr(e, b"fill").and_then(|f| ooxml::hex_color(&f)),
                                }
                            }
                        }
                        b"txbxContent" if !empty => {
                            // A text box inside a paragraph: its paragraphs go into the flow here.
                            if let Some(p) = self.paragraph.take() {
                                self.suspended.push((p, self.run.take()));
                            }
                        }
                        b"p" if empty => self.push_block(Block { line_height: 1.0, ..Default::default() }),
                        b"p" => self.paragraph = Some(Paragraph::default()),
                        b"pPr" if !empty => in_ppr = true,
                        b"r" if !empty => self.run = Some(RunBuf::default()),
                        b"rPr" if !empty && self.run.is_some() => in_rpr = true,
                        b"t" if !empty => in_text = true,
                        b"instrText" if !empty => in_instr = true,
                        b"tab" if self.run.is_some() && !in_ppr => self.push_text("\t"),
                        b"noBreakHyphen" => self.push_text("\u{2011}"),
                        b"sym" => {
                            let c = attr(e, b"char").and_then(|c| u32::from_str_radix(&c, 16).ok()).and_then(char::from_u32);
                            self.push_text(&symbol(c.unwrap_or('•')).to_string());
                        }
                        b"br" | b"cr" if self.run.is_some() => {
                            if attr(e, b"type").as_deref() == Some("page") {
                                if let Some(p) = self.paragraph.as_mut() {
                                    p.break_after = true;
                                }
                            } else {
                                self.push_text("\n");
                            }
                        }
                        b"footnoteReference" => {
                            if let Some(id) = attr(e, b"id") {
                                self.footnote_refs.push(id);
                                let n = self.footnote_refs.len().to_string();
                                self.push_text(&format!("\u{2009}{n}"));
                            }
                        }
                        b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                            Some("begin") => self.fields.push(Field { instruction: String::new(), in_result: false, placeholder: None }),
                            Some("separate") => self.field_result(),
                            Some("end") => {
                                if self.fields.last().is_some_and(|f| !f.in_result) {
                                    self.field_result();
                                }
                                self.fields.pop();
                            }
                            _ => {}
                        },
                        b"fldSimple" => {
                            self.fields.push(Field { instruction: attr(e, b"instr").unwrap_or_default(), in_result: false, placeholder: None });
                            self.field_result();
                            if empty {
                                self.fields.pop();
                            }
                        }
                        b"positionH" if !empty => in_position_h = true,
                        b"align" if in_position_h && !empty => in_align = true,
                        b"drawing" => drawing_align = None,
                        b"extent" => {
                            let emu = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).map(|v| (v / EMU_PER_POINT).clamp(1.0, 5000.0));
                            extent = emu(b"cx").zip(emu(b"cy"));
                        }
                        b"blip" | b"imagedata" => {
                            let rid = attr(e, b"embed").or_else(|| attr(e, b"id"));
                            let loaded = rid.zip(images.as_deref_mut()).and_then(|(rid, images)| images.load(&rid, canvas));
                            if let (Some(image), Some(p)) = (loaded, self.paragraph.as_mut()) {
                                let (w, h) = extent.take().unwrap_or((image.width as f32 * 0.75, image.height as f32 * 0.75));
                                p.images.push((image, w, h, drawing_align));
                            }
                        }
                        _ if in_rpr => {
                            if let Some(run) = self.run.as_mut() {
                                run_property(e, &mut run.props, &mut run.char_style);
                            }
                        }
                        _ if in_ppr => {
                            if let Some(p) = self.paragraph.as_mut() {
                                para_property(e, &mut p.props);
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Event::Text(t)) if skip_depth == 0 => {
                    let text = std::borrow::Cow::Borrowed(&**t);
                    if in_align {
                        drawing_align = match text.trim() {
                            "center" => Some(Align::Center),
                            "right" | "outside" => Some(Align::End),
                            _ => Some(Align::Start),
                        };
                    } else if in_instr {
                        if let Some(f) = self.fields.last_mut().filter(|f| f.instruction.len() < 4096) {
                            f.instruction.push_str(&text);
                        }
                    } else if in_text && !self.in_replaced_result() {
                        self.push_text(&text);
                    }
                }
                Ok(Event::GeneralRef(r)) if in_text && skip_depth == 0 && !self.in_replaced_result() => self.push_text(&ooxml::reference_text(r)),
                Ok(Event::End(e)) => {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                        continue;
                    }
                    match e.local_name().as_ref().as_bytes() {
                        b"sectPr" => {
                            in_sect = false;
                            if self.setup.is_none() {
                                self.setup = Some(self.section);
                            }
                            // A section break inside a paragraph starts the next section on a new page.
                            if in_ppr || self.paragraph.is_some() {
                                if let Some(p) = self.paragraph.as_mut() {
                                    p.break_after = true;
                                }
                            }
                        }
                        b"pPr" => in_ppr = false,
                        b"rPr" => in_rpr = false,
                        b"t" => in_text = false,
                        b"instrText" => in_instr = false,
                        b"positionH" => in_position_h = false,
                        b"align" => in_align = false,
                        b"tcPr" => in_tcpr = false,
                        b"tblBorders" | b"tcBorders" => self.borders = None,
                        b"fldSimple" => {
                            self.fields.pop();
                        }
                        b"r" => {
                            if let (Some(r), Some(p)) = (self.run.take(), self.paragraph.as_mut()) {
                                p.runs.push(r);
                            }
                        }
                        b"p" => {
                            if let Some(p) = self.paragraph.take() {
                                self.end_paragraph(p);
                            }
                        }
                        b"txbxContent" => {
                            if let Some((p, run)) = self.suspended.pop() {
                                self.paragraph = Some(p);
                                self.run = run;
                            }
                        }
                        b"tbl" => {
                            self.table_depth = self.table_depth.saturating_sub(1);
                            if self.table_depth == 0 {
                                if let Some(table) = self.table.take() {
                                    let width = (self.section.width - self.section.margin_left - self.section.margin_right).max(36.0);
                                    self.items.push(Flow::Table(table.finish(self.styles, width)));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }

    /// A field's instruction is complete: PAGE and NUMPAGES become placeholders.
    fn field_result(&mut self) {
        let Some(field) = self.fields.last_mut() else { return };
        field.in_result = true;
        let placeholder = match field.instruction.split_whitespace().next().map(str::to_ascii_uppercase).as_deref() {
            Some("PAGE") => Some(PAGE_FIELD),
            Some("NUMPAGES") => Some(NUMPAGES_FIELD),
            _ => None,
        };
        field.placeholder = placeholder;
        if let Some(c) = placeholder {
            if self.run.is_none() {
                if let Some(p) = self.paragraph.as_mut() {
                    p.runs.push(RunBuf { text: c.to_string(), ..Default::default() });
                }
            } else {
                self.push_text(&c.to_string());
            }
        }
    }

    /// Whether text now is the cached result of a field that is filled in at layout.
    fn in_replaced_result(&self) -> bool {
        self.fields.iter().any(|f| f.in_result && f.placeholder.is_some())
    }

    fn push_text(&mut self, text: &str) {
        if let Some(run) = self.run.as_mut() {
            run.text.push_str(text);
        }
    }

    fn end_paragraph(&mut self, mut p: Paragraph) {
        let break_after = p.break_after;
        let has_text = p.runs.iter().any(|r| !r.text.trim().is_empty());
        let images = std::mem::take(&mut p.images);
        let mut block = self.resolve_paragraph(p);
        block.page_break_before |= std::mem::take(&mut self.page_break_pending);
        let align = block.align;
        if has_text || images.is_empty() {
            self.push_block(block);
        }
        if self.table_depth == 0 {
            for (image, width, height, own) in images {
                self.items.push(Flow::Image { image, width, height, align: own.unwrap_or(align) });
            }
        }
        self.page_break_pending = break_after;
    }

    fn push_block(&mut self, block: Block) {
        self.blocks += 1;
        if self.blocks > MAX_BLOCKS {
            self.truncated = true;
            return;
        }
        if self.table_depth > 0 {
            if let Some(cell) = self.table.as_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.1.last_mut()) {
                cell.content.push(block);
                return;
            }
        }
        self.items.push(Flow::Para(block));
    }

    /// Resolves a paragraph's properties through the style hierarchy and its list level
    /// into a block.
    fn resolve_paragraph(&mut self, paragraph: Paragraph) -> Block {
        let styles = self.styles;
        let style_id = paragraph.props.style.clone().or_else(|| styles.default_paragraph_style.clone());
        let (style_para, style_run) = style_id.as_deref().map(|id| styles.resolve(id)).unwrap_or_default();
        let mut para = styles.default_para.overlay(&style_para);
        let direct = &paragraph.props;
        let num_id = direct.num_id.clone().or_else(|| para.num_id.clone()).filter(|id| id != "0");
        let level = direct.level.or(para.level).unwrap_or(0).min(8);
        let base_run = styles.default_run.overlay(&style_run);
        let mut marker = None;
        if let Some(num_id) = num_id {
            if let Some(levels) = self.numbering.levels(&num_id) {
                let counters = self.counters.entry(num_id).or_insert([0; 9]);
                if let Some(lvl) = levels.get(level as usize) {
                    counters[level as usize] = if counters[level as usize] == 0 { lvl.start } else { counters[level as usize] + 1 };
                    for deeper in counters.iter_mut().skip(level as usize + 1) {
                        *deeper = 0;
                    }
                    para = para.overlay(&lvl.para);
                    let label = label(levels, counters, level as usize);
                    if !label.is_empty() {
                        let mut style = base_run.overlay(&lvl.run).style();
                        style.underline = false;
                        marker = Some((label, style));
                    }
                }
            }
        }
        let para = para.overlay(direct);
        let spans = paragraph
            .runs
            .into_iter()
            .filter(|run| !run.text.is_empty())
            .map(|run| {
                let char_run = run.char_style.as_deref().map(|id| styles.resolve(id).1).unwrap_or_default();
                (run.text, base_run.overlay(&char_run).overlay(&run.props).style())
            })
            .collect::<Vec<_>>();
        let spans = if spans.is_empty() { vec![(String::new(), base_run.style())] } else { spans };
        Block {
            spans,
            align: para.align.unwrap_or_default(),
            indent_left: para.left.unwrap_or(0.0).max(0.0),
            indent_right: para.right.unwrap_or(0.0).max(0.0),
            indent_first: para.first.unwrap_or(0.0),
            space_before: para.before.unwrap_or(0.0).max(0.0),
            space_after: para.after.unwrap_or(0.0).max(0.0),
            line_height: para.line.unwrap_or(1.0),
            page_break_before: para.page_break_before.unwrap_or(false),
            marker,
        }
    }
}

/// Maps Symbol and Wingdings private-use code points used for bullets to Unicode.
fn symbol(c: char) -> char {
    match c as u32 {
        0xF0B7 | 0xB7 => '•',
        0xF0A7 | 0xF0A8 => '▪',
        0xF0D8 => '➢',
        0xF0FC => '✓',
        0xF076 => '❖',
        0xF06E => '■',
        0xF06F => '□',
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    para: ParaProps,
    run: RunProps,
}

/// Lists from numbering.xml: abstract definitions and the instances that use them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    instances: HashMap<String, String>,
}

impl Numbering {
    fn levels(&self, num_id: &str) -> Option<&Vec<Level>> {
        self.abstracts.get(self.instances.get(num_id)?)
    }
}

fn parse_numbering(xml: &[u8]) -> Numbering {
    let mut numbering = Numbering::default();
    let mut reader = reader(xml);
    let mut abstract_id: Option<String> = None;
    let mut num_id: Option<String> = None;
    let (mut in_ppr, mut in_rpr) = (false, false);
    let mut ignored = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"abstractNum" => abstract_id = attr(&e, b"abstractNumId"),
                b"lvl" => {
                    if let Some(levels) = abstract_id.as_ref().map(|id| numbering.abstracts.entry(id.clone()).or_default()) {
                        if levels.len() < 9 {
                            levels.push(Level { start: 1, format: "decimal".into(), ..Default::default() });
                        }
                    }
                }
                b"num" => num_id = attr(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(num), Some(id)) = (num_id.clone(), attr(&e, b"val")) {
                        numbering.instances.insert(num, id);
                    }
                }
                name => {
                    let Some(level) = abstract_id.as_ref().and_then(|id| numbering.abstracts.get_mut(id)).and_then(|l| l.last_mut()) else { continue };
                    match name {
                        b"start" => level.start = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1u32).min(1_000_000),
                        b"numFmt" => level.format = attr(&e, b"val").unwrap_or_default(),
                        b"lvlText" => level.text = attr(&e, b"val").unwrap_or_default(),
                        b"pPr" => in_ppr = true,
                        b"rPr" => in_rpr = true,
                        _ if in_ppr => para_property(&e, &mut level.para),
                        _ if in_rpr => run_property(&e, &mut level.run, &mut ignored),
                        _ => {}
                    }
                }
            },
            Ok(Event::End(e)) => match e.local_name().as_ref().as_bytes() {
                b"abstractNum" => abstract_id = None,
                b"num" => num_id = None,
                b"pPr" => in_ppr = false,
                b"rPr" => in_rpr = false,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    numbering
}

/// A list label: the level's text with `%1`..`%9` replaced by the counters, each in its
/// level's number format; bullets mapped to Unicode.
fn label(levels: &[Level], counters: &[u32; 9], level: usize) -> String {
    let lvl = &levels[level];
    if lvl.format == "bullet" {
        return lvl.text.chars().map(symbol).collect();
    }
    if lvl.format == "none" {
        return String::new();
    }
    let mut out = String::new();
    let mut chars = lvl.text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d)) {
                chars.next();
                let i = d as usize - 1;
                let format = levels.get(i).map_or("decimal", |l| l.format.as_str());
                out.push_str(&format_number(counters[i].max(1), format));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A counter in a WordprocessingML number format.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" | "upperLetter" => {
            let letter = (b'a' + ((n - 1) % 26) as u8) as char;
            let s = letter.to_string().repeat(((n - 1) / 26 + 1).min(10) as usize);
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c)).collect(),
        "decimalEnclosedCircle" if (1..=20).contains(&n) => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_default(),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let mut out = String::new();
    for (value, digits) in
        [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraphs of a document part, its page setup and whether it was cut short.
    fn parse_document(xml: &[u8], styles: &Styles) -> (Vec<Block>, PageSetup, bool) {
        let numbering = Numbering::default();
        let mut parser = Parser::new(styles, &numbering);
        parser.parse_without_images(xml, &mut Canvas::new());
        let blocks = parser.items.iter().filter_map(|i| if let Flow::Para(b) = i { Some(b.clone()) } else { None }).collect();
        (blocks, parser.setup.unwrap_or(parser.section), parser.truncated)
    }

    const STYLES: &[u8] = br#"<w:styles xmlns:w="w">
        <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault>
        <w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:color w:val="2F5496"/></w:rPr></w:style>
        <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
        <w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style>
    </w:styles>"#;

    #[test]
    fn styles_inherit_from_defaults_to_direct_formatting() {
        let styles = parse_styles(STYLES);
        let doc = br#"<w:document xmlns:w="w"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">plain </w:t></w:r><w:r><w:rPr><w:rStyle w:val="Strong"/><w:i/><w:color w:val="FF0000"/></w:rPr><w:t>bold red italic</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Loop"/></w:pPr><w:r><w:br w:type="page"/><w:t>loop</w:t></w:r></w:p>
            <w:p><w:r><w:t>after the break</w:t></w:r><w:r><w:instrText>HIDDEN</w:instrText></w:r></w:p>
            <w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr>
        </w:body></w:document>"#;
        let (blocks, setup, truncated) = parse_document(doc, &styles);
        assert!(!truncated);
        assert_eq!((setup.width.round(), setup.height.round(), setup.margin_left), (595.0, 842.0, 90.0));
        assert_eq!(blocks.len(), 4);
        let title = &blocks[0];
        assert_eq!(title.align, Align::Center);
        assert_eq!(title.spans[0].1, SpanStyle { family: "Calibri".into(), size: 16.0, bold: true, color: [0x2F, 0x54, 0x96], ..Default::default() });
        assert_eq!(title.space_after, 8.0);
        let second = &blocks[1];
        assert_eq!(second.spans[0].0, "plain ");
        assert_eq!(second.spans[0].1.size, 11.0);
        assert!(!second.spans[0].1.bold);
        assert_eq!(second.spans[1].1, SpanStyle { family: "Calibri".into(), size: 11.0, bold: true, italic: true, color: [255, 0, 0], ..Default::default() });
        assert!(blocks[3].page_break_before, "the page break in paragraph 3 moves paragraph 4");
        assert_eq!(blocks[3].spans.len(), 1, "field codes are not shown: {:?}", blocks[3].spans);
    }

    #[test]
    fn absurd_values_are_clamped() {
        let doc = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:rPr><w:sz w:val="99999999"/></w:rPr><w:t>x</w:t></w:r></w:p>
            <w:sectPr><w:pgSz w:w="999999999" w:h="-5"/></w:sectPr></w:body></w:document>"#;
        let (blocks, setup, _) = parse_document(doc, &Styles::default());
        assert_eq!(blocks[0].spans[0].1.size, 400.0);
        assert!(setup.width <= 2000.0 && setup.height >= 36.0);
    }
}
