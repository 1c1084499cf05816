//! ODT: `styles.xml` then `content.xml` read by one element-stack reader into the paint
//! layer's flow: paragraphs and headings with their styles, spans, lists with their labels,
//! tables (column widths, spans, borders, fills), pictures in frames, text boxes, notes,
//! page-number and date fields (dates in their `number:date-style`, from the request's
//! clock unless fixed), and the page layout of the master page the document starts with,
//! with its background. Drawing shapes (rectangles, ellipses, lines, polygons, paths,
//! custom shapes) are drawn by the slides' shape code into figures that float where they
//! are anchored; the header and footer lie beneath the body. A template (`.ott`) opens as
//! LibreOffice opens one, as a new document: its dates are the reader's and its sender
//! fields empty. Placeholders keep their room, unprinted.
//!
//! What is not drawn (embedded objects without a picture, groups of shapes, pictures
//! inside table cells) gets a placeholder or a finding, never a silent gap. Scripts, forms
//! and annotations are never run or shown; the package's findings name them.

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, FindingKind, Format};
use quick_xml::events::BytesStart;

use super::compat::{self, Compat};
use super::slides::{self, Deck};
use super::styles::{self, Chars, Family, ListLevel, PageLayout, Style, Styles, LIST_LEVELS, MAX_STYLES};
use crate::dispatch::Job;
use crate::layout::document::PageBorders;
use crate::layout::paint::{
    self, Align, Block, Borders, Canvas, Cell, Float, FloatFrom, Flow, ImageRef, LineModel, Painter, Place, Row, SpanStyle, Table, Wrap,
};
use crate::layout::running::{self, Running, NUMPAGES_FIELD, PAGE_FIELD};
use crate::layout::{embedded_image, metafile, placeholder};
use crate::ooxml::package::Package;
use crate::ooxml::walk::{self, Handler, Stack};
use crate::ooxml::{self, attr};

/// Paragraphs read at most; the rest is cut and reported.
pub const MAX_BLOCKS: usize = 25_000;
/// Characters of text kept at most.
const MAX_CHARS: usize = 8 << 20;
/// Pictures decoded at most.
const MAX_IMAGES: usize = 200;
/// Grid columns of one table, and master pages kept.
const MAX_COLUMNS: usize = 64;
const MAX_MASTERS: usize = 64;
/// The key of the outline style (heading numbering) among the list styles.
const OUTLINE: &str = "\u{0}outline";
/// Spaces one `text:s` stands for at most.
const MAX_SPACES: usize = 1_000;

/// Renders an ODT package.
pub fn render<'d>(job: Job<'d, '_>, mut package: Package<'d>) {
    let mut report = job.new_report();
    ooxml::findings(&mut package, &mut report);
    let content = match package.read("content.xml") {
        Ok(content) => content,
        // A package of styles alone (a template's) shows as LibreOffice shows it: one empty
        // page of its page layout.
        Err(_) if package.read("styles.xml").is_ok() => Default::default(),
        Err(_) => return job.refuse(Format::Odt, &report.finish(), FailureKind::Malformed, "the document has no readable content.xml"),
    };
    let compat = package.read("settings.xml").map(|xml| Compat::read(&xml)).unwrap_or_default();
    // A template (`.ott`) opens as a new document made from it, as LibreOffice opens one:
    // its dates are the reader's, and its sender fields the reader's own (none here).
    let template = package.read("mimetype").is_ok_and(|m| m.trim_ascii().ends_with(b"-template"));
    let mut canvas = Canvas::new();
    let mut painter = Painter::new();
    let mut reader = Reader::new(&mut package, &mut canvas);
    reader.compat = compat;
    reader.clock = job.request.clock;
    reader.template = template;
    reader.read(&content);
    let Read { styles, masters, start_master, mut body, footnotes, endnotes, figures, findings, truncated, .. } = reader.finish();
    for (kind, detail) in findings {
        report.add(kind, &detail);
    }
    if truncated {
        report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_BLOCKS} paragraphs are shown"));
    }
    let empty = body.iter().all(|item| match item {
        Flow::Para(block) => block.spans.iter().all(|(text, _)| text.trim().is_empty()),
        Flow::PageBreak | Flow::ColumnBreak | Flow::Section { .. } => true,
        _ => false,
    });
    if empty {
        report.add(FindingKind::EmptyDocument, "the document body is empty");
    }
    if !endnotes.is_empty() {
        let rule = SpanStyle { family: "Liberation Serif".into(), size: 10.0, ..Default::default() };
        body.push(Flow::Para(Block {
            spans: vec![("────────────".into(), rule)], space_before: 12.0, line_height: 1.0, ..Default::default()
        }));
        body.extend(endnotes);
    }
    compat.apply(&mut body);
    let mut layout = styles.layout(start_master.as_deref());
    // Page borders run along the margins, round the header, body and footer, which keep
    // the borders' widths and their padding from them, as in LibreOffice.
    let page_borders = layout.borders.iter().any(Option::is_some).then(|| {
        let s = layout.setup;
        let [top, left, bottom, right] = layout.borders;
        PageBorders {
            borders: Borders { top, left, bottom, right },
            space: [s.margin_top, s.margin_left, s.margin_bottom, s.margin_right],
            from_edge: true,
            ..Default::default()
        }
    });
    {
        let width = |i: usize| layout.borders[i].map_or(0.0, |b| b.1);
        let (s, pad) = (&mut layout.setup, layout.padding);
        s.margin_top = (s.margin_top + width(0) + pad[0]).min(s.height / 3.0);
        s.margin_left = (s.margin_left + width(1) + pad[1]).min(s.width / 3.0);
        s.margin_bottom = (s.margin_bottom + width(2) + pad[2]).min(s.height / 3.0);
        s.margin_right = (s.margin_right + width(3) + pad[3]).min(s.width / 3.0);
    }
    // The header and footer of the same master page whose layout the pages take.
    let (mut header, mut footer) = styles.master(start_master.as_deref()).and_then(|m| masters.get(m).cloned()).unwrap_or_default();
    compat.apply(&mut header);
    compat.apply(&mut footer);
    // The header and footer take room from the body, inside the page margins: their height
    // plus their spacing, or the layout's minimum height if that is more. As in LibreOffice,
    // `fo:min-height` counts the spacing in.
    let mut setup = layout.setup;
    let width = (setup.width - setup.margin_left - setup.margin_right).max(36.0);
    if !header.is_empty() {
        let height = (running::height(&mut painter, &mut canvas, &header, width) + layout.header.1).max(layout.header.0);
        setup.margin_top = (setup.margin_top + height).min(setup.height / 2.0);
    }
    if !footer.is_empty() {
        let height = (running::height(&mut painter, &mut canvas, &footer, width) + layout.footer.1).max(layout.footer.0);
        setup.margin_bottom = (setup.margin_bottom + height).min(setup.height / 2.0);
    }
    // Page columns, from the start. Sections with columns of their own divide the page
    // column they are in, as in LibreOffice; their ends go back to it.
    if let Some(columns) = &layout.columns {
        for item in &mut body {
            if let Flow::Section { inside, .. } = item {
                *inside = true;
            }
        }
        body.insert(0, Flow::Section { columns: columns.clone(), new_page: false, inside: false });
    }
    let pages = paint::flow_with_notes(&mut painter, &mut canvas, &body, setup, &footnotes);
    let margins = (layout.setup.margin_top, layout.setup.margin_bottom);
    // The header and footer lie under the body, as LibreOffice draws them: a shape in the
    // header does not cover a picture of the body. Their backgrounds are the areas
    // without the spacing to the body.
    let header_picture = area_picture(layout.header_picture.as_ref(), &styles, &mut package, &mut canvas, &mut report);
    let footer_picture = area_picture(layout.footer_picture.as_ref(), &styles, &mut package, &mut canvas, &mut report);
    canvas.beneath_pages(pages.clone(), |canvas| {
        let (left, right) = (setup.margin_left, setup.width - setup.margin_right);
        let areas = [
            (layout.header_fill, &header_picture, !header.is_empty(), [left, margins.0, right, setup.margin_top - layout.header.1]),
            (
                layout.footer_fill,
                &footer_picture,
                !footer.is_empty(),
                [left, setup.height - setup.margin_bottom + layout.footer.1, right, setup.height - margins.1],
            ),
        ];
        for (fill, picture, present, rect) in areas {
            if present {
                for page in pages.clone() {
                    fill_area(canvas, page, rect, fill, picture.as_ref());
                }
            }
        }
        for (part, flow) in [(Running::Header, &header), (Running::FooterBelowBody(layout.footer.1), &footer)] {
            if !flow.is_empty() {
                running::place(&mut painter, canvas, flow, part, &setup, margins, pages.clone(), pages.clone());
            }
        }
    });
    page_background(&layout, &styles, &mut package, &mut canvas, &mut report, pages.clone());
    if let Some(borders) = page_borders {
        for page in pages.clone() {
            borders.draw(&mut canvas, page, &layout.setup, (0.0, 0.0));
        }
    }
    let mut drawing = slides::Drawing::new(&styles, &mut package, &mut painter, &mut canvas);
    draw_figures(figures, &mut drawing, &mut report, Some("a header or footer"));
    for (kind, detail) in std::mem::take(&mut drawing.findings) {
        report.add(kind, &detail);
    }
    job.begin(Format::Odt, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
}

/// Decodes the picture at `href` in the package onto the canvas: the image and its size in
/// pixels.
fn add_picture(package: &mut Package<'_>, canvas: &mut Canvas, href: &str) -> Option<(ImageRef, u32, u32)> {
    let decoded = package.read(href.trim_start_matches("./")).ok().as_deref().and_then(embedded_image::decode)?;
    let (w, h) = (decoded.width, decoded.height);
    canvas.add_image(decoded.rgba, w, h).map(|image| (image, w, h))
}

/// A background picture `w` × `h` pixels, at 96 pixels to the inch (pictures without a
/// resolution of their own, as LibreOffice takes them), placed as `repeat` says: once
/// (`no-repeat`), stretched over its area (`stretch`), else tiled.
fn background_picture(image: ImageRef, w: u32, h: u32, repeat: &str) -> paint::BackgroundPicture {
    let size = (repeat != "stretch").then_some((w as f32 * 0.75, h as f32 * 0.75));
    paint::BackgroundPicture { image, size, tile: repeat == "repeat" }
}

/// A page's, header's or footer's background picture, decoded: from the package, or the
/// named fill image it refers to; `None` (reported) for one linked from outside.
fn area_picture<'p>(
    picture: Option<&'p styles::PagePicture>,
    styles: &Styles,
    package: &mut Package<'_>,
    canvas: &mut Canvas,
    report: &mut crate::report::Report,
) -> Option<(paint::BackgroundPicture, &'p str)> {
    let p = picture?;
    let href = p.href.clone().or_else(|| match p.fill_name.as_ref().and_then(|n| styles.fills.get(n)) {
        Some(styles::FillDef::Image(href)) => Some(href.clone()),
        _ => None,
    })?;
    if href.contains(':') {
        report.add(FindingKind::ContentNotShown, "a background picture linked from outside the document");
        return None;
    }
    let (image, w, h) = add_picture(package, canvas, &href)?;
    Some((background_picture(image, w, h, &p.repeat), &p.position))
}

/// Fills `area` of `page` with a background colour, then its picture: a single one where
/// its position says (centred by default) along each axis; tiles from the area's top left
/// corner.
fn fill_area(canvas: &mut Canvas, page: usize, area: paint::Box2, color: Option<paint::Rgb>, picture: Option<&(paint::BackgroundPicture, &str)>) {
    if area[2] <= area[0] || area[3] <= area[1] {
        return;
    }
    if let Some(color) = color {
        canvas.shape(page, paint::ShapeKind::Rect, area, Some(color), None);
    }
    let Some((picture, position)) = picture else { return };
    let (w, h) = picture.size.unwrap_or_default();
    let words: Vec<&str> = position.split_whitespace().collect();
    let along = |lo: f32, hi: f32, size: f32, start: &str, end: &str| {
        if picture.tile || words.contains(&start) {
            lo
        } else if words.contains(&end) {
            hi - size
        } else {
            (lo + hi - size) / 2.0
        }
    };
    let origin = (along(area[0], area[2], w, "left", "right"), along(area[1], area[3], h, "top", "bottom"));
    picture.draw_from(canvas, page.into(), area, origin);
}

/// Draws the page layout's background colour and picture beneath everything on `pages`:
/// inside the margins (before the page borders' room is taken), or over the whole page.
fn page_background(
    layout: &PageLayout,
    styles: &Styles,
    package: &mut Package<'_>,
    canvas: &mut Canvas,
    report: &mut crate::report::Report,
    pages: std::ops::Range<usize>,
) {
    let picture = area_picture(layout.background_picture.as_ref(), styles, package, canvas, report);
    if layout.background.is_none() && picture.is_none() {
        return;
    }
    let s = &layout.setup;
    let area = if layout.background_full {
        [0.0, 0.0, s.width, s.height]
    } else {
        [s.margin_left, s.margin_top, s.width - s.margin_right, s.height - s.margin_bottom]
    };
    for page in pages {
        canvas.beneath(page, |canvas| fill_area(canvas, page, area, layout.background, picture.as_ref()));
    }
}

/// Draws the figures reserved while reading (metafiles, placeholders) once pages are laid
/// out, and reports what they do not show.
/// `unplaced` names where a figure on no page is (a header or footer), or `None` to leave
/// those unreported (a slide that was not asked for).
pub fn draw_figures(figures: Vec<(ImageRef, Figure)>, drawing: &mut slides::Drawing, report: &mut crate::report::Report, unplaced: Option<&str>) {
    for (figure, content) in figures {
        let missing = match content {
            Figure::Metafile(bytes) => metafile::draw_or_placeholder(&bytes, drawing.painter, drawing.canvas, figure),
            Figure::Missing(what) => {
                placeholder::draw(drawing.painter, drawing.canvas, figure, what);
                Some(what)
            }
            Figure::Shape(shape) => {
                let place = match drawing.canvas.page_of(figure) {
                    Some(page) => format!("page {}", page + 1),
                    None => unplaced.unwrap_or("a header or footer").to_owned(),
                };
                drawing.shape_figure(&shape, figure, &place);
                None
            }
        };
        if let Some(what) = missing {
            match (drawing.canvas.page_of(figure), unplaced) {
                (Some(page), _) => report.add(FindingKind::ContentNotShown, &format!("page {}: {what}", page + 1)),
                (None, Some(place)) => report.add(FindingKind::ContentNotShown, &format!("{place}: {what}")),
                (None, None) => {}
            }
        }
    }
}

/// What a document read by [`Reader`] holds.
pub struct Read {
    pub styles: Styles,
    masters: HashMap<String, (Vec<Flow>, Vec<Flow>)>,
    start_master: Option<String>,
    body: Vec<Flow>,
    /// Each footnote's flow, referred to by index from the paragraphs that cite it.
    footnotes: Vec<Vec<Flow>>,
    /// Endnotes, after the body.
    endnotes: Vec<Flow>,
    pub figures: Vec<(ImageRef, Figure)>,
    pub findings: Vec<(FindingKind, String)>,
    truncated: bool,
    pub deck: Option<Deck>,
}

/// Which part is being read.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Styles,
    Content,
}

/// What a figure reserved in the flow will show.
pub enum Figure {
    Metafile(Vec<u8>),
    Missing(&'static str),
    /// A drawing shape, moved into the figure's coordinates.
    Shape(Box<slides::Drawn>),
}

/// The element contexts the reader tells apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ctx {
    Skip,
    Other,
    /// A custom shape's `draw:enhanced-geometry`, whose equations are read.
    Geometry,
    FontFace,
    /// A style (or default style) being read into `Reader::style`.
    Style,
    ListStyle,
    ListLevel,
    PageLayout,
    HeaderStyle,
    FooterStyle,
    MasterPage,
    /// A master page's header or footer: its own flow.
    Header,
    Footer,
    Body,
    Para,
    /// A span whose characters were pushed.
    Span,
    /// A `text:placeholder`: its text takes its room, unprinted.
    Placeholder,
    /// Another element inside a paragraph (a link, a field, a bookmark): its text is shown.
    Inline,
    /// A page-number or page-count field in a header or footer: its cached text is not shown.
    Field,
    Note,
    NoteCitation,
    NoteBody,
    List,
    ListItem,
    Table,
    /// `table:table-header-rows`: the rows inside repeat on each page.
    HeaderRows,
    /// `text:section` of the body, in columns of its own.
    Section,
    Row,
    Cell,
    Frame,
    TextBox,
    /// A presentation's slide, a shape on a slide or master page, a group of shapes, and a
    /// footer, header or date declaration.
    DrawPage,
    Drawn,
    Group,
    Decl,
    /// A `number:date-style`, and a text part of it.
    DateStyle,
    DateText,
}

/// A flow being filled: the body, a header or footer, a note, a text box or a table cell.
#[derive(Default)]
struct Sink {
    items: Vec<Flow>,
    /// The style of the last paragraph (for contextual spacing).
    last_style: Option<String>,
    /// A table cell's style and column span.
    cell: Option<(Option<String>, usize)>,
}

/// A paragraph being read.
struct Para {
    block: Block,
    /// Pictures and text boxes anchored in it, shown before its text.
    pending: Vec<Flow>,
    style: Option<String>,
    contextual: bool,
    /// Whether something anchored in it leaves its line below (anything not `as-char`).
    keeps_line: bool,
    /// Whether a page break follows it (in the body only).
    break_after: bool,
}

/// A list being read: its style and whether its current item has had its label.
struct List {
    style: Option<String>,
    labelled: bool,
}

/// A table being read.
struct TableBuild {
    style: Style,
    /// Absolute and relative width of each grid column.
    columns: Vec<(Option<f32>, Option<f32>)>,
    rows: Vec<Row>,
    /// Covered cells still to skip in the current row (those a spanning cell covers).
    covered: usize,
    /// The cell style of cells that name none: per grid column, and of the current row.
    column_cells: Vec<Option<String>>,
    row_cells: Option<String>,
}

/// A frame being read.
#[derive(Default)]
struct Frame {
    size: (f32, f32),
    align: Align,
    as_char: bool,
    image: Option<ImageRef>,
    /// Picture bytes that decoded to no image (a metafile, or a kind not drawn).
    undrawn: Option<Vec<u8>>,
    object: bool,
    text: Vec<Flow>,
    /// For a frame anchored to a paragraph or a page (not set as a character): the float
    /// it is, without its items yet.
    float: Option<Float>,
}

/// A drawing shape of a text document being read: the shape, the float it is when
/// anchored to a paragraph or page (`None`: set as a character), and the room its style's
/// outline and shadow take around its box, in points.
struct TextShape {
    drawn: slides::Drawn,
    float: Option<Float>,
    margin: f32,
}

/// The one reader of `styles.xml` and `content.xml`.
pub struct Reader<'a, 'd> {
    package: &'a mut Package<'d>,
    /// A presentation's slides and master pages, when reading one.
    pub deck: Option<Deck>,
    canvas: &'a mut Canvas,
    part: Part,
    styles: Styles,
    /// The style being read: family, name (`None` for a default style) and what it says.
    style: Option<(Family, Option<String>, Style)>,
    list_style: Option<(String, Vec<ListLevel>)>,
    level: usize,
    layout: Option<(String, PageLayout)>,
    master: Option<String>,
    /// Header and footer flows of each master page.
    masters: HashMap<String, (Vec<Flow>, Vec<Flow>)>,
    /// The master page of the first paragraph or table, if its style names one.
    start_master: Option<String>,
    started: bool,
    sinks: Vec<Sink>,
    paras: Vec<Para>,
    chars: Vec<Chars>,
    lists: Vec<List>,
    counters: HashMap<String, [u32; LIST_LEVELS]>,
    tables: Vec<TableBuild>,
    frames: Vec<Frame>,
    /// A text document's drawing shapes being read, innermost last, and how many were kept.
    shapes: Vec<TextShape>,
    shapes_kept: usize,
    /// The figures those shapes are drawn in (apart from `figures`, whose count is capped).
    shape_figures: Vec<(ImageRef, Figure)>,
    /// Open `text:section`s: whether each set columns of its own.
    sections: Vec<bool>,
    citation: String,
    body: Vec<Flow>,
    footnotes: Vec<Vec<Flow>>,
    endnotes: Vec<Flow>,
    /// Whether the note being read is an endnote.
    endnote: bool,
    figures: Vec<(ImageRef, Figure)>,
    findings: Vec<(FindingKind, String)>,
    images: usize,
    /// The document's layout settings.
    compat: Compat,
    /// The moment date fields print, in seconds since 1970 (the request's clock).
    pub clock: i64,
    /// Whether the document is a template, opened as a new document made from it.
    pub template: bool,
    /// The date style being read: its name and parts.
    date_style: Option<(String, Vec<styles::DatePart>)>,
    /// Whether its parts go in the locale's order (`number:automatic-order`).
    date_automatic: bool,
    /// Cell background pictures by path, decoded once (`None`: it did not decode).
    cell_pictures: HashMap<String, Option<(ImageRef, u32, u32)>>,
    blocks: usize,
    text_chars: usize,
    truncated: bool,
}

impl<'a, 'd> Reader<'a, 'd> {
    pub fn new(package: &'a mut Package<'d>, canvas: &'a mut Canvas) -> Self {
        Reader {
            package,
            deck: None,
            canvas,
            part: Part::Styles,
            styles: Styles::default(),
            style: None,
            list_style: None,
            level: 0,
            layout: None,
            master: None,
            masters: HashMap::new(),
            start_master: None,
            started: false,
            sinks: Vec::new(),
            paras: Vec::new(),
            chars: Vec::new(),
            lists: Vec::new(),
            counters: HashMap::new(),
            tables: Vec::new(),
            frames: Vec::new(),
            shapes: Vec::new(),
            shapes_kept: 0,
            shape_figures: Vec::new(),
            sections: Vec::new(),
            citation: String::new(),
            body: Vec::new(),
            footnotes: Vec::new(),
            endnotes: Vec::new(),
            endnote: false,
            figures: Vec::new(),
            findings: Vec::new(),
            cell_pictures: HashMap::new(),
            compat: Compat::default(),
            clock: 0,
            template: false,
            date_style: None,
            date_automatic: false,
            images: 0,
            blocks: 0,
            text_chars: 0,
            truncated: false,
        }
    }

    /// Reads `styles.xml`, then `content`.
    pub fn read(&mut self, content: &[u8]) {
        if let Ok(xml) = self.package.read("styles.xml") {
            self.part = Part::Styles;
            walk::walk(&xml, self);
        }
        self.part = Part::Content;
        walk::walk(content, self);
    }

    pub fn finish(self) -> Read {
        let Reader { styles, masters, start_master, body, footnotes, endnotes, mut figures, shape_figures, findings, truncated, deck, .. } = self;
        figures.extend(shape_figures);
        Read { styles, masters, start_master, body, footnotes, endnotes, figures, findings, truncated, deck }
    }

    fn note(&mut self, kind: FindingKind, detail: String) {
        if self.findings.len() < 200 && !self.findings.iter().any(|(k, d)| *k == kind && *d == detail) {
            self.findings.push((kind, detail));
        }
    }

    /// Places a finished item where it belongs: into the open paragraph (shown before its
    /// text) or the innermost flow.
    fn place(&mut self, item: Flow, as_char: bool) {
        if let Some(para) = self.paras.last_mut() {
            // A picture set as a character is one, of its size, in the paragraph's line.
            if let (true, Flow::Image { image, width, height, .. }, Some(chars)) = (as_char, &item, self.chars.last()) {
                if paint::push_picture(&mut para.block.spans, &mut para.block.pictures, (*image, *width, *height), &chars.style) {
                    return;
                }
            }
            para.keeps_line |= !as_char;
            para.pending.push(item);
        } else if let Some(sink) = self.sinks.last_mut() {
            sink.last_style = None;
            sink.items.push(item);
        }
    }

    /// The width the body has on the starting page.
    fn content_width(&self) -> f32 {
        if let Some(shape) = self.deck.as_ref().and_then(|d| d.open.last()).or(self.shapes.last().map(|s| &s.drawn)) {
            return shape.rect[2].max(12.0);
        }
        let s = self.styles.layout(self.start_master.as_deref()).setup;
        (s.width - s.margin_left - s.margin_right).max(36.0)
    }

    /// Whether what is read now goes into the body's own flow: not a cell, a frame, a note
    /// or a header.
    fn in_body(&self) -> bool {
        self.part == Part::Content && self.sinks.len() == 1 && self.tables.is_empty()
    }

    /// Notes the master page a document's first paragraph or table starts.
    fn first_content(&mut self, family: Family, style: Option<&str>) {
        if !self.started && self.in_body() {
            self.started = true;
            self.start_master = style.and_then(|s| self.styles.master_of(family, s));
        }
    }

    fn start_style(&mut self, e: &BytesStart<'_>, default: bool) -> Ctx {
        if self.styles.count >= MAX_STYLES {
            return Ctx::Skip;
        }
        let family = Family::read(&attr(e, b"family").unwrap_or_default());
        let name = if default { None } else { Some(attr(e, b"name").unwrap_or_default()) };
        let style = Style {
            parent: attr(e, b"parent-style-name"),
            list_style: attr(e, b"list-style-name"),
            master_page: attr(e, b"master-page-name"),
            ..Default::default()
        };
        self.style = Some((family, name, style));
        Ctx::Style
    }

    fn end_style(&mut self) {
        let Some((family, name, style)) = self.style.take() else { return };
        self.styles.count += 1;
        match name {
            Some(name) => {
                self.styles.styles.insert((family, name), style);
            }
            None => {
                self.styles.defaults.insert(family, style);
            }
        }
    }

    /// The next label of `level` (0-based) of the list style `key`: its bullet, or its
    /// number with as many higher levels' numbers before it as the level displays.
    fn label(&mut self, key: String, level: usize) -> Option<String> {
        let levels = self.styles.lists.get(&key)?;
        let props = levels.get(level)?;
        if let Some(bullet) = &props.bullet {
            return Some(bullet.clone()).filter(|b| !b.is_empty());
        }
        let (_, prefix, suffix) = props.number.as_ref()?;
        let counters = self.counters.entry(key).or_insert([0; LIST_LEVELS]);
        counters[level] = if counters[level] == 0 { props.start.max(1) } else { counters[level].saturating_add(1) };
        counters[level + 1..].fill(0);
        let first = (level + 1).saturating_sub(props.display_levels.max(1));
        let parts: Vec<String> = (first..=level)
            .filter_map(|l| {
                let format = levels.get(l)?.number.as_ref().map_or("1", |n| n.0.as_str());
                Some(styles::number_label(format, counters[l].max(1)))
            })
            .filter(|p| !p.is_empty())
            .collect();
        let label = format!("{prefix}{}{suffix}", parts.join("."));
        (!parts.is_empty()).then_some(label)
    }

    /// A paragraph (`heading`: the 0-based outline level of a `text:h`).
    fn start_para(&mut self, e: &BytesStart<'_>, heading: Option<usize>) -> Ctx {
        if self.blocks >= MAX_BLOCKS {
            self.truncated = true;
            return Ctx::Skip;
        }
        self.blocks += 1;
        let name = attr(e, b"style-name");
        self.first_content(Family::Paragraph, name.as_deref());
        let resolved = match self.deck.as_ref().and_then(|d| d.open.last()) {
            // In a slide's shape, the shape's style comes first; an outline's deeper list
            // levels take the master's style of their level.
            Some(shape) => {
                let style = shape.style.as_deref().map(|s| self.outline_style(s, self.lists.len()));
                self.styles.paragraph_in((style.as_deref(), shape.text_style.as_deref()), name.as_deref(), None)
            }
            None => {
                let grid = self.styles.layout(self.start_master.as_deref()).grid;
                self.styles.paragraph(name.as_deref(), grid)
            }
        };
        let mut block = resolved.block;
        if self.deck.is_some() && block.line_model == LineModel::Writer {
            // Slides space their lines as the presentation program does, not as Writer:
            // by their size alone when their style says so (Impress's model), else by
            // their fonts' metrics.
            block.line_model = LineModel::Css;
        }
        let mut chars = resolved.chars;
        // A paragraph in a list takes its level's indents and, first in its item, its label.
        if let Some(list) = self.lists.last() {
            let level = (self.lists.len() - 1).min(LIST_LEVELS - 1);
            let style_name = list.style.clone().or(resolved.list_style);
            let labelled = list.labelled;
            let levels = style_name.as_ref().and_then(|s| self.styles.lists.get(s));
            let props = levels.and_then(|l| l.get(level)).cloned().unwrap_or_else(|| ListLevel {
                indent: 18.0 * (level + 1) as f32,
                label_offset: -18.0,
                ..Default::default()
            });
            block.indent_left = props.indent;
            // Only a labelled paragraph hangs its label; a list header or an item's later
            // paragraph starts where the text does.
            block.indent_first = if labelled { 0.0 } else { props.label_offset };
            if !labelled {
                let label = self.label(style_name.unwrap_or_default(), level);
                let mut style = chars.style.clone();
                style.size *= props.label_size.unwrap_or(1.0);
                block.marker = label.map(|l| (l, style));
                if let Some(list) = self.lists.last_mut() {
                    list.labelled = true;
                }
            }
        } else if let Some(level) = heading {
            // A heading outside lists is numbered by the outline style, when it numbers.
            let numbered = self
                .styles
                .lists
                .get(OUTLINE)
                .and_then(|l| l.get(level))
                .is_some_and(|l| l.bullet.is_some() || l.number.as_ref().is_some_and(|n| !n.0.is_empty()));
            if numbered {
                block.marker = self.label(OUTLINE.into(), level).map(|l| (l, chars.style.clone()));
                let props = &self.styles.lists[OUTLINE][level];
                if props.indent != 0.0 || props.label_offset != 0.0 {
                    block.indent_left = props.indent;
                    block.indent_first = props.label_offset;
                }
            }
        }
        if chars.asian_family.is_empty() {
            chars.asian_family.clone_from(&chars.style.family);
        }
        self.chars.push(chars);
        let break_after = resolved.break_after && self.in_body();
        if resolved.column_before && self.in_body() {
            if let Some(sink) = self.sinks.last_mut() {
                sink.items.push(Flow::ColumnBreak);
            }
        }
        self.paras.push(Para { block, pending: Vec::new(), style: name, contextual: resolved.contextual, keeps_line: false, break_after });
        Ctx::Para
    }

    fn end_para(&mut self) {
        let mark = self.chars.pop().map(|c| c.style);
        let Some(Para { mut block, pending, style, contextual, keeps_line, break_after }) = self.paras.pop() else { return };
        // An empty paragraph's line is as high as its own font makes it.
        if block.spans.is_empty() {
            block.spans.push((String::new(), mark.unwrap_or_default()));
        }
        let Some(sink) = self.sinks.last_mut() else { return };
        let has_text = block.spans.iter().any(|(t, _)| !t.trim().is_empty());
        // Contextual spacing: no space between neighbouring paragraphs of one style.
        if contextual && style.is_some() && sink.last_style == style && pending.is_empty() {
            if let Some(Flow::Para(prev)) = sink.items.last_mut() {
                prev.space_after = 0.0;
            }
            block.space_before = 0.0;
        }
        // A picture set as a character is the paragraph's line; one anchored to it stands
        // above the paragraph's own (empty) line.
        let only_pictures = !pending.is_empty() && !has_text && block.marker.is_none() && !keeps_line;
        sink.items.extend(pending);
        if only_pictures {
            sink.last_style = None;
            if break_after {
                sink.items.push(Flow::PageBreak);
            }
            return;
        }
        // Collapsed white space may leave a trailing space.
        if let Some((text, _)) = block.spans.last_mut() {
            let trimmed = text.trim_end_matches(' ').len();
            text.truncate(trimmed);
        }
        if !self.compat.add_spacing {
            if let Some(Flow::Table(_)) = sink.items.last() {
                compat::larger_space(sink.items.last_mut(), &mut block.space_before);
            }
        }
        sink.last_style = style;
        sink.items.push(Flow::Para(block));
        if break_after {
            sink.items.push(Flow::PageBreak);
        }
    }

    /// Adds text to the open paragraph in the current characters.
    fn push_text(&mut self, text: &str, collapse: bool) {
        let (Some(para), Some(chars)) = (self.paras.last_mut(), self.chars.last()) else { return };
        if chars.hidden || self.text_chars >= MAX_CHARS {
            return;
        }
        let mut out = String::with_capacity(text.len());
        let mut space = para.block.spans.last().is_none_or(|(t, _)| t.is_empty() || t.ends_with([' ', '\n', '\t']));
        for c in text.chars() {
            if collapse && matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !space {
                    out.push(' ');
                    space = true;
                }
            } else {
                out.push(c);
                space = false;
            }
        }
        if out.is_empty() {
            return;
        }
        self.text_chars += out.len();
        // East Asian text takes the East Asian font and size.
        let style = if out.chars().any(is_east_asian) {
            SpanStyle { family: chars.asian_family.clone(), size: chars.asian_size, ..chars.style.clone() }
        } else {
            chars.style.clone()
        };
        match para.block.spans.last_mut() {
            Some((last, s)) if *s == style => last.push_str(&out),
            _ => para.block.spans.push((out, style)),
        }
    }

    fn start_table(&mut self, e: &BytesStart<'_>) -> Ctx {
        let name = attr(e, b"style-name");
        self.first_content(Family::Table, name.as_deref());
        let style = name.map(|n| self.styles.merged(Family::Table, &n)).unwrap_or_default();
        if style.para.break_before == Some(true) && self.in_body() {
            if let Some(sink) = self.sinks.last_mut() {
                sink.items.push(Flow::PageBreak);
            }
        }
        self.tables.push(TableBuild { style, columns: Vec::new(), rows: Vec::new(), covered: 0, column_cells: Vec::new(), row_cells: None });
        Ctx::Table
    }

    fn end_table(&mut self) {
        let Some(build) = self.tables.pop() else { return };
        let grid = build.rows.iter().map(|r| r.cells.iter().map(|c| c.span).sum::<usize>()).max().unwrap_or(0).clamp(1, MAX_COLUMNS);
        let available = self.content_width();
        let width = build.style.width.unwrap_or(available).clamp(12.0, 20_000.0);
        let mut columns = build.columns;
        columns.resize(grid.max(columns.len()).min(MAX_COLUMNS), (None, None));
        let widths: Vec<f32> = if columns.iter().all(|(a, _)| a.is_some()) {
            columns.iter().map(|(a, _)| a.unwrap_or(0.0)).collect()
        } else if columns.iter().all(|(_, r)| r.is_some()) {
            let total: f32 = columns.iter().map(|(_, r)| r.unwrap_or(0.0)).sum();
            columns.iter().map(|(_, r)| width * r.unwrap_or(0.0) / total.max(1e-3)).collect()
        } else {
            vec![width / columns.len() as f32; columns.len()]
        };
        let total: f32 = widths.iter().sum();
        let indent = match build.style.table_align {
            Some(Align::Center) => ((available - total) / 2.0).max(0.0),
            Some(Align::End) => (available - total).max(0.0),
            _ => build.style.margin_left.unwrap_or(0.0).max(0.0),
        };
        let (space_before, space_after) = (build.style.para.before.unwrap_or(0.0), build.style.para.after.unwrap_or(0.0));
        let mut table = Table { columns: widths, rows: build.rows, indent, space_before, space_after, align: Align::Start };
        if table.rows.is_empty() {
            return;
        }
        let break_after = build.style.para.break_after == Some(true) && self.in_body();
        if let Some(sink) = self.sinks.last_mut() {
            if !self.compat.add_spacing {
                compat::larger_space(sink.items.last_mut(), &mut table.space_before);
            }
            sink.last_style = None;
            sink.items.push(Flow::Table(table));
            if break_after {
                sink.items.push(Flow::PageBreak);
            }
        }
    }

    fn start_cell(&mut self, e: &BytesStart<'_>) -> Ctx {
        let Some(table) = self.tables.last_mut() else { return Ctx::Other };
        let span: usize = attr(e, b"number-columns-spanned").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, MAX_COLUMNS);
        table.covered = span - 1;
        // A cell without a style takes its row's default, else its column's.
        let column = table.rows.last().map_or(0, |r| r.cells.iter().map(|c| c.span).sum::<usize>());
        let style = attr(e, b"style-name").or_else(|| table.row_cells.clone()).or_else(|| table.column_cells.get(column).cloned().flatten());
        self.sinks.push(Sink { cell: Some((style, span)), ..Default::default() });
        Ctx::Cell
    }

    fn end_cell(&mut self) {
        let Some(sink) = self.sinks.pop() else { return };
        let (style, span) = sink.cell.unwrap_or((None, 1));
        let mut content = Vec::new();
        let mut dropped = false;
        flatten(sink.items, &mut content, &mut dropped);
        self.compat.apply_to_cell(&mut content);
        if dropped {
            self.note(FindingKind::ContentNotShown, "a picture inside a table cell".into());
        }
        let style = style.map(|n| self.styles.merged(Family::Cell, &n)).unwrap_or_default();
        let [top, bottom, left, right] = style.cell.borders.map(Option::flatten);
        let picture = style.cell.picture.clone().flatten().and_then(|(href, repeat)| self.cell_picture(&href, &repeat));
        let cell = Cell {
            span,
            content,
            fill: style.cell.fill.flatten(),
            borders: paint::Borders { top, bottom, left, right },
            v_align: style.cell.v_align.unwrap_or_default(),
            picture,
        };
        // The paint layer pads a row's cells alike: by the most any cell of the row asks
        // for (none when a cell's style says nothing, as in LibreOffice), each side's border
        // width added, as LibreOffice keeps the text clear of the borders.
        let edge = |b: Option<paint::Stroke>| b.map_or(0.0, |s| s.1.clamp(0.0, 50.0));
        let [top, bottom, left, right] = style.cell.padding.map(|p| p.unwrap_or(0.0));
        let borders = &cell.borders;
        let [top, bottom, left, right] = [top + edge(borders.top), bottom + edge(borders.bottom), left + edge(borders.left), right + edge(borders.right)];
        if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
            if row.cells.iter().map(|c| c.span).sum::<usize>() < MAX_COLUMNS {
                let [t, l, b, r] = row.padding.unwrap_or_default();
                row.padding = Some([t.max(top), l.max(left), b.max(bottom), r.max(right)]);
                row.cells.push(cell);
            }
        }
    }

    fn start_frame(&mut self, e: &BytesStart<'_>) -> Ctx {
        let len = |name: &[u8]| attr(e, name).and_then(|v| styles::length(&v)).filter(|v| *v > 0.0);
        let size = (len(b"width").unwrap_or(144.0), len(b"height").unwrap_or(72.0));
        let style = attr(e, b"style-name").map(|n| self.styles.merged(Family::Graphic, &n)).unwrap_or_default();
        let align = style.horizontal.unwrap_or_default();
        let anchor = attr(e, b"anchor-type");
        let as_char = anchor.as_deref() == Some("as-char");
        // Frames in the body's flow float, and those in its frames' text (a logo in a text
        // box); those in table cells, deeper in frames and on slides stay in their flow.
        let floats = !as_char && self.deck.is_none() && self.tables.is_empty() && self.frames.len() <= 1;
        let float = floats.then(|| frame_float(e, &style.graphic, anchor.as_deref() == Some("page"), size.0));
        self.frames.push(Frame { size, align, as_char, float, ..Default::default() });
        Ctx::Frame
    }

    fn end_frame(&mut self) {
        let Some(mut frame) = self.frames.pop() else { return };
        let (width, height) = frame.size;
        // A picture that did not decode shows as a figure: a metafile drawn later, or a
        // placeholder naming it.
        if frame.image.is_none() && frame.text.is_empty() {
            if let Some(content) = undrawn(frame.undrawn.take(), frame.object) {
                frame.image = self.figure((width, height), content);
            }
        }
        if let Some(mut float) = frame.float.take() {
            if let Some(image) = frame.image {
                float.items = vec![Flow::Image { image, width, height, align: Align::Start }];
                float.inset = [0.0; 4];
            } else if !frame.text.is_empty() {
                float.items = std::mem::take(&mut frame.text);
            }
            if !float.items.is_empty() {
                return self.place(Flow::Float(float), false);
            }
        }
        if let Some(image) = frame.image {
            return self.place(Flow::Image { image, width, height, align: frame.align }, frame.as_char);
        }
        for item in frame.text {
            self.place(item, frame.as_char);
        }
    }

    /// A slide's or master page's draw page.
    fn start_page(&mut self, e: &BytesStart<'_>) -> Ctx {
        let Some(deck) = &mut self.deck else { return Ctx::Skip };
        if deck.slides.len() > slides::MAX_SLIDES {
            return Ctx::Skip;
        }
        deck.slides.push(slides::Slide {
            master: attr(e, b"master-page-name"),
            style: attr(e, b"style-name"),
            shapes: Vec::new(),
            uses: [attr(e, b"use-footer-name"), attr(e, b"use-date-time-name"), attr(e, b"use-header-name")],
        });
        Ctx::DrawPage
    }

    /// A shape on a slide or master page: its own flow for its text.
    fn start_drawn(&mut self, e: &BytesStart<'_>, name: &[u8], stack: &Stack<Ctx>) -> Ctx {
        let on_master = stack.within(Ctx::MasterPage);
        let master = if on_master { self.master.clone() } else { None };
        let Some(deck) = &mut self.deck else { return Ctx::Skip };
        if deck.shapes >= slides::MAX_SHAPES {
            self.truncated = true;
            return Ctx::Skip;
        }
        deck.shapes += 1;
        let drawn = slides::start_shape(e, name, master);
        if name == b"frame" {
            self.frames.push(Frame { size: (drawn.rect[2], drawn.rect[3]), ..Default::default() });
        }
        deck.open.push(drawn);
        self.sinks.push(Sink::default());
        Ctx::Drawn
    }

    /// The innermost shape being read, on a slide or in a text document.
    fn open_shape(&mut self) -> Option<&mut slides::Drawn> {
        match &mut self.deck {
            Some(deck) => deck.open.last_mut(),
            None => self.shapes.last_mut().map(|s| &mut s.drawn),
        }
    }

    /// A drawing shape in a text document: floating where its anchor and style place it,
    /// or set as a character. Its text is read into a flow of its own.
    fn start_shape(&mut self, e: &BytesStart<'_>, name: &[u8]) -> Ctx {
        if self.shapes_kept >= slides::MAX_SHAPES {
            self.note(FindingKind::ContentTruncated, format!("only the first {} drawing shapes are shown", slides::MAX_SHAPES));
            return Ctx::Skip;
        }
        self.shapes_kept += 1;
        let drawn = slides::start_shape(e, name, None);
        let style = drawn.style.as_ref().map(|n| self.styles.merged(Family::Graphic, n)).unwrap_or_default();
        let anchor = attr(e, b"anchor-type");
        // In a table cell it stays in the cell's flow, as frames do.
        let floats = anchor.as_deref() != Some("as-char") && self.tables.is_empty();
        let g = &style.graphic;
        let float = floats.then(|| frame_float(e, g, anchor.as_deref() == Some("page"), drawn.rect[2]));
        let stroke = if g.stroke.as_deref() == Some("none") { 0.0 } else { g.stroke_width.unwrap_or(0.0).clamp(0.5, 100.0) };
        let shadow = if g.shadow == Some(true) { g.shadow_offset.iter().map(|o| o.unwrap_or(5.67).abs()).fold(0.0, f32::max).min(100.0) } else { 0.0 };
        self.shapes.push(TextShape { drawn, float, margin: stroke / 2.0 + shadow + 1.0 });
        self.sinks.push(Sink::default());
        Ctx::Drawn
    }

    /// Ends a text document's shape: it is drawn into a figure of its box, with room for
    /// its outline and shadow, and the figure floats (or stands in the line) in its place.
    fn end_shape(&mut self) {
        let items = self.sinks.pop().map(|s| s.items).unwrap_or_default();
        let Some(TextShape { mut drawn, float, margin }) = self.shapes.pop() else { return };
        drawn.text = items;
        slides::finish_geometry(&mut drawn);
        let [x0, y0, x1, y1] = drawn.bounds();
        if ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let (width, height) = (x1 - x0 + 2.0 * margin, y1 - y0 + 2.0 * margin);
        drawn.shift((margin - x0, margin - y0));
        let Some(figure) = self.canvas.add_figure(width, height) else { return };
        self.shape_figures.push((figure, Figure::Shape(Box::new(drawn))));
        match float {
            Some(mut float) => {
                let at = |place: Place, v: f32| if let Place::At(_) = place { Place::At((v - margin).clamp(-5_000.0, 5_000.0)) } else { place };
                float.x = at(float.x, x0);
                float.y = at(float.y, y0);
                float.width = width;
                float.height = Some(height);
                // The shape draws its own fill, outline and text.
                float.fill = None;
                float.outline = None;
                float.inset = [0.0; 4];
                float.picture = Some(figure);
                self.place(Flow::Float(float), false);
            }
            None => self.place(Flow::Image { image: figure, width, height, align: Align::Start }, true),
        }
    }

    fn end_drawn(&mut self) {
        if self.deck.is_none() {
            return self.end_shape();
        }
        let Some(mut drawn) = self.deck.as_mut().and_then(|d| d.open.pop()) else { return };
        let items = self.sinks.pop().map(|s| s.items).unwrap_or_default();
        if matches!(drawn.geometry, slides::Geometry::Frame) {
            if let Some(frame) = self.frames.pop() {
                drawn.text = frame.text;
                drawn.image = frame.image;
                // A frame holding text or a table shows it, not its replacement picture.
                if drawn.image.is_none() && drawn.text.is_empty() && items.is_empty() {
                    if let Some(content) = undrawn(frame.undrawn, frame.object) {
                        drawn.image = self.figure((drawn.rect[2], drawn.rect[3]), content);
                    }
                }
            }
        }
        drawn.text.extend(items);
        slides::finish_geometry(&mut drawn);
        let Some(deck) = &mut self.deck else { return };
        match drawn.master.clone() {
            Some(master) => deck.masters.entry(master).or_default().0.push(drawn),
            None => {
                if let Some(slide) = deck.slides.last_mut() {
                    slide.shapes.push(drawn);
                }
            }
        }
    }

    /// The style of an outline shape's paragraphs at list depth `depth`: the master's
    /// `…-outlineN` style of that level, when the shape's style descends from `…-outline1`.
    fn outline_style(&self, style: &str, depth: usize) -> String {
        if depth >= 2 {
            let mut name = Some(style.to_owned());
            for _ in 0..8 {
                let Some(n) = name.take() else { break };
                if let Some(prefix) = n.strip_suffix("-outline1") {
                    let level = format!("{prefix}-outline{}", depth.min(9));
                    if self.styles.styles.contains_key(&(Family::Graphic, level.clone())) {
                        return level;
                    }
                    break;
                }
                name = self.styles.styles.get(&(Family::Graphic, n)).and_then(|s| s.parent.clone());
            }
        }
        style.to_owned()
    }

    /// A figure of `size` in the flow, drawn once the document is laid out.
    fn reserve(&mut self, (width, height): (f32, f32), align: Align, as_char: bool, content: Figure) {
        if let Some(figure) = self.figure((width, height), content) {
            self.place(Flow::Image { image: figure, width, height, align }, as_char);
        }
    }

    /// A new figure of `size`, drawn with `content` once the document is laid out.
    fn figure(&mut self, (width, height): (f32, f32), content: Figure) -> Option<ImageRef> {
        if self.figures.len() >= MAX_IMAGES {
            return None;
        }
        let figure = self.canvas.add_figure(width, height)?;
        self.figures.push((figure, content));
        Some(figure)
    }

    /// A cell's background picture from the package, placed as `repeat` says (see
    /// [`background_picture`]).
    fn cell_picture(&mut self, href: &str, repeat: &str) -> Option<paint::BackgroundPicture> {
        if !self.cell_pictures.contains_key(href) {
            if href.contains(':') {
                self.note(FindingKind::ContentNotShown, "a picture linked from outside the document".into());
                return None;
            }
            if self.images >= MAX_IMAGES {
                return None;
            }
            self.images += 1;
            let image = add_picture(self.package, self.canvas, href);
            self.cell_pictures.insert(href.to_string(), image);
        }
        let (image, w, h) = self.cell_pictures.get(href).copied().flatten()?;
        Some(background_picture(image, w, h, repeat))
    }

    /// A `draw:image` in the open frame: the first one that decodes is shown.
    fn image(&mut self, e: &BytesStart<'_>) {
        let Some(frame) = self.frames.last() else { return };
        if frame.image.is_some() || self.images >= MAX_IMAGES {
            return;
        }
        let Some(href) = attr(e, b"href") else { return };
        if href.contains(':') {
            // An external picture is never fetched.
            return self.note(FindingKind::ContentNotShown, "a picture linked from outside the document".into());
        }
        let Ok(bytes) = self.package.read(href.trim_start_matches("./")) else { return };
        self.images += 1;
        let image = embedded_image::decode(&bytes).and_then(|d| self.canvas.add_image(d.rgba, d.width, d.height));
        if let Some(frame) = self.frames.last_mut() {
            match image {
                Some(image) => frame.image = Some(image),
                None => frame.undrawn = Some(bytes),
            }
        }
    }
}

/// The float a frame anchored to a paragraph (or the page, `on_page`) is, `width` wide,
/// as its attributes and graphic style place it: without its items yet.
fn frame_float(e: &BytesStart<'_>, g: &styles::GraphicProps, on_page: bool, width: f32) -> Float {
    let len = |name: &[u8]| attr(e, name).and_then(|v| styles::length(&v)).filter(|v| v.is_finite());
    let mut float = Float::new(Vec::new(), width);
    float.height = len(b"height").filter(|h| *h > 0.0);
    let [h_pos, h_rel, v_pos, v_rel] = g.anchoring.clone();
    let from = |rel: Option<&str>| match rel {
        Some("page" | "page-start-margin" | "page-end-margin" | "page-left-margin" | "page-right-margin") => FloatFrom::Page,
        Some("page-content") => FloatFrom::Margin,
        // Anchored to the page, there is no paragraph to measure from: the page it is.
        _ if on_page => FloatFrom::Page,
        _ => FloatFrom::Here,
    };
    float.from_x = from(h_rel.as_deref());
    float.from_y = from(v_rel.as_deref());
    float.x = match h_pos.as_deref() {
        Some("center") => Place::Align(Align::Center),
        Some("right" | "outside") => Place::Align(Align::End),
        Some("left" | "inside") => Place::Align(Align::Start),
        _ => Place::At(len(b"x").unwrap_or(0.0).clamp(-5_000.0, 5_000.0)),
    };
    float.y = match v_pos.as_deref() {
        Some("middle" | "center") => Place::Align(Align::Center),
        Some("bottom") => Place::Align(Align::End),
        Some("top") => Place::Align(Align::Start),
        _ => Place::At(len(b"y").unwrap_or(0.0).clamp(-5_000.0, 5_000.0)),
    };
    // `none` leaves the sides empty; without a wrapping the frame stands alone too.
    float.wrap = match g.wrap.as_deref() {
        Some("run-through") => Wrap::None,
        Some("none") | None => Wrap::TopBottom,
        Some(_) => Wrap::Around,
    };
    float.gap = g.margins.map(|m| m.unwrap_or(0.0));
    if g.fill.as_deref() == Some("solid") {
        float.fill = g.fill_color;
    }
    // A text box drawn as a shape (a `draw:frame` of Draw's styles) has a stroke rather
    // than a border: a width of 0 is a hairline.
    float.outline = g.border.flatten().or_else(|| match g.stroke.as_deref() {
        Some("solid" | "dash") => Some((g.stroke_color.unwrap_or([0, 0, 0]), g.stroke_width.unwrap_or(0.0).max(0.5))),
        _ => None,
    });
    let [top, bottom, left, right] = g.padding.map(|p| p.unwrap_or(0.0).clamp(0.0, 200.0));
    float.inset = [top, left, bottom, right];
    float
}

/// What a frame whose picture did not decode shows: a metafile drawn later, or a
/// placeholder naming what it holds; `None` for an empty frame.
fn undrawn(bytes: Option<Vec<u8>>, object: bool) -> Option<Figure> {
    Some(match bytes {
        Some(bytes) if metafile::emf_size(&bytes).or_else(|| metafile::wmf_size(&bytes)).is_some() => Figure::Metafile(bytes),
        Some(bytes) => Figure::Missing(if object { "an embedded object" } else { embedded_image::undrawn_kind(&bytes) }),
        None if object => Figure::Missing("an embedded object without a picture"),
        None => return None,
    })
}

/// Table cells hold paragraphs: nested tables give their cells' paragraphs, a picture
/// becomes a paragraph of its own, and a floating frame's content is set where it is
/// anchored. `dropped` says that a picture could not be kept.
fn flatten(items: Vec<Flow>, out: &mut Vec<Block>, dropped: &mut bool) {
    for item in items {
        match item {
            Flow::Para(block) => out.push(block),
            Flow::Table(table) => {
                for row in table.rows {
                    for cell in row.cells {
                        out.extend(cell.content);
                    }
                }
            }
            // A picture anchored in a cell's paragraph: a paragraph of its own holding it.
            Flow::Image { image, width, height, align } => {
                let mut block = Block { align, line_height: 1.0, ..Default::default() };
                let style = SpanStyle { size: 1.0, ..Default::default() };
                if paint::push_picture(&mut block.spans, &mut block.pictures, (image, width, height), &style) {
                    out.push(block);
                } else {
                    *dropped = true;
                }
            }
            // A frame floating in a cell is set in the cell's flow, where it is anchored.
            Flow::Float(float) => flatten(float.items, out, dropped),
            Flow::PageBreak | Flow::ColumnBreak | Flow::Section { .. } => {}
        }
    }
}

/// Whether a character is set in the East Asian font (kana, CJK ideographs, full-width forms).
fn is_east_asian(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Elements whose content is never shown: declarations, forms, annotations, tracked
/// changes, index templates, the headers and footers of first and left pages.
#[rustfmt::skip]
const SKIPPED: &[&[u8]] = &[
    b"sequence-decls", b"variable-decls", b"user-field-decls", b"forms", b"annotation", b"annotation-end", b"tracked-changes", b"change-info",
    b"table-of-content-source", b"alphabetical-index-source", b"illustration-index-source", b"table-index-source", b"object-index-source",
    b"user-index-source", b"bibliography-source", b"index-title-template", b"header-left", b"footer-left", b"header-first", b"footer-first",
    b"contour-polygon", b"ruby-text", b"scripts", b"notes", b"event-listeners", b"deletion", b"handout-master",
];

/// Drawing shapes not drawn (groups; shapes in slides' frames): shown as placeholders of
/// their size.
const SHAPES: &[&[u8]] = &[b"custom-shape", b"rect", b"ellipse", b"polygon", b"polyline", b"path", b"g", b"circle", b"regular-polygon"];

impl Handler for Reader<'_, '_> {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, stack: &Stack<Ctx>) -> Ctx {
        let local = e.local_name();
        let name = local.as_ref().as_bytes();
        if SKIPPED.contains(&name) {
            return Ctx::Skip;
        }
        let inline = matches!(stack.top(), Some(Ctx::Para | Ctx::Span | Ctx::Inline));
        match (stack.top(), name) {
            // Declarations and styles.
            (_, b"font-face") => {
                if let (Some(n), Some(f)) = (attr(e, b"name"), attr(e, b"font-family")) {
                    let family = f.trim().trim_matches(['\'', '"']).to_string();
                    self.styles.fonts.insert(n, (family, attr(e, b"font-family-generic").unwrap_or_default()));
                }
                Ctx::FontFace
            }
            (_, b"date-style") if self.paras.is_empty() => {
                self.date_style = attr(e, b"name").map(|n| (n, Vec::new()));
                self.date_automatic = attr(e, b"automatic-order").as_deref() == Some("true");
                Ctx::DateStyle
            }
            (Some(Ctx::DateStyle), b"day" | b"month" | b"year" | b"day-of-week" | b"text") => {
                let long = attr(e, b"style").as_deref() == Some("long");
                let part = match name {
                    b"day" => styles::DatePart::Day { long },
                    b"month" => styles::DatePart::Month { textual: attr(e, b"textual").as_deref() == Some("true"), long },
                    b"year" => styles::DatePart::Year { long },
                    b"day-of-week" => styles::DatePart::Weekday { long },
                    _ => styles::DatePart::Text(String::new()),
                };
                if let Some((_, parts)) = self.date_style.as_mut().filter(|(_, p)| p.len() < styles::MAX_DATE_PARTS) {
                    parts.push(part);
                }
                if name == b"text" {
                    Ctx::DateText
                } else {
                    Ctx::Other
                }
            }
            (_, b"style") if self.paras.is_empty() => self.start_style(e, false),
            (_, b"default-style") => self.start_style(e, true),
            (_, b"list-style" | b"outline-style") if self.paras.is_empty() => {
                let key = if name == b"outline-style" { Some(OUTLINE.into()) } else { attr(e, b"name") };
                // A list style inside a graphic or presentation style is that style's.
                if let (Some((_, _, style)), Some(key)) = (&mut self.style, &key) {
                    style.list_style = Some(key.clone());
                }
                self.list_style = key.map(|n| (n, vec![ListLevel::default(); LIST_LEVELS]));
                Ctx::ListStyle
            }
            (Some(Ctx::ListStyle), b"list-level-style-bullet" | b"list-level-style-number" | b"list-level-style-image" | b"outline-level-style") => {
                self.level = attr(e, b"level").and_then(|l| l.parse::<usize>().ok()).unwrap_or(1).clamp(1, LIST_LEVELS) - 1;
                if let Some((_, levels)) = &mut self.list_style {
                    let level = &mut levels[self.level];
                    match name {
                        b"list-level-style-bullet" => {
                            level.bullet =
                                Some(attr(e, b"bullet-char").unwrap_or_else(|| "•".into()).chars().take(2).map(crate::layout::fonts::bullet_symbol).collect())
                        }
                        b"list-level-style-number" | b"outline-level-style" => {
                            let text = |n: &[u8]| attr(e, n).unwrap_or_default().chars().take(8).collect::<String>();
                            level.number = Some((text(b"num-format"), text(b"num-prefix"), text(b"num-suffix")));
                            level.start = attr(e, b"start-value").and_then(|v| v.parse().ok()).unwrap_or(1);
                            level.display_levels = attr(e, b"display-levels").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, LIST_LEVELS);
                        }
                        _ => level.bullet = Some("•".into()),
                    }
                }
                Ctx::ListLevel
            }
            (Some(Ctx::ListLevel | Ctx::Other), b"list-level-properties" | b"list-level-label-alignment") if stack.within(Ctx::ListLevel) => {
                let level = self.level;
                if let Some((_, levels)) = &mut self.list_style {
                    levels[level].position(e);
                }
                Ctx::Other
            }
            (Some(Ctx::ListLevel), b"text-properties") => {
                let size = attr(e, b"font-size").and_then(|v| v.trim().strip_suffix('%').and_then(|p| p.trim().parse::<f32>().ok()));
                let level = self.level;
                if let (Some((_, levels)), Some(size)) = (&mut self.list_style, size.filter(|p| p.is_finite())) {
                    levels[level].label_size = Some((size / 100.0).clamp(0.1, 4.0));
                }
                Ctx::Other
            }
            (Some(Ctx::Style), _) | (Some(Ctx::Other), _) if self.style.is_some() && !stack.within(Ctx::ListStyle) => {
                if let Some((_, _, style)) = &mut self.style {
                    style.properties(e);
                }
                Ctx::Other
            }
            (_, b"gradient" | b"fill-image" | b"hatch" | b"opacity") if self.style.is_none() && self.paras.is_empty() => {
                slides::fill_definition(&mut self.styles, e);
                Ctx::Skip
            }
            (_, b"page-layout") => {
                self.layout = attr(e, b"name").map(|n| (n, PageLayout::default()));
                Ctx::PageLayout
            }
            // The page's background picture, or its header's or footer's.
            (Some(Ctx::Other), b"background-image") if stack.within(Ctx::PageLayout) => {
                if let (Some((_, layout)), Some(href)) = (&mut self.layout, attr(e, b"href").filter(|h| !h.is_empty())) {
                    let picture = Some(styles::PagePicture {
                        href: Some(href),
                        repeat: attr(e, b"repeat").unwrap_or_else(|| "repeat".into()),
                        position: attr(e, b"position").unwrap_or_else(|| "center".into()),
                        ..Default::default()
                    });
                    if stack.within(Ctx::HeaderStyle) {
                        layout.header_picture = picture;
                    } else if stack.within(Ctx::FooterStyle) {
                        layout.footer_picture = picture;
                    } else {
                        layout.background_picture = picture;
                    }
                }
                Ctx::Skip
            }
            (Some(Ctx::PageLayout), b"page-layout-properties") => {
                if let Some((_, layout)) = &mut self.layout {
                    layout.page(e);
                }
                Ctx::Other
            }
            (Some(Ctx::Other), b"columns") if stack.within(Ctx::PageLayout) => {
                if let Some((_, layout)) = &mut self.layout {
                    layout.columns = styles::columns(e);
                }
                Ctx::Other
            }
            (Some(Ctx::Other), b"column") if stack.within(Ctx::PageLayout) => {
                if let Some(columns) = self.layout.as_mut().and_then(|(_, l)| l.columns.as_mut()) {
                    styles::column(columns, e);
                }
                Ctx::Other
            }
            (Some(Ctx::PageLayout), b"header-style") => Ctx::HeaderStyle,
            (Some(Ctx::PageLayout), b"footer-style") => Ctx::FooterStyle,
            (Some(c @ (Ctx::HeaderStyle | Ctx::FooterStyle)), b"header-footer-properties") => {
                if let Some((_, layout)) = &mut self.layout {
                    layout.running(e, c == Ctx::HeaderStyle);
                }
                Ctx::Other
            }
            (_, b"master-page") => {
                let (Some(name), Some(layout)) = (attr(e, b"name"), attr(e, b"page-layout-name")) else { return Ctx::Skip };
                if self.styles.masters.len() >= MAX_MASTERS {
                    return Ctx::Skip;
                }
                self.styles.first_master.get_or_insert_with(|| name.clone());
                self.styles.masters.insert(name.clone(), layout);
                if let Some(deck) = &mut self.deck {
                    deck.masters.entry(name.clone()).or_default().1 = attr(e, b"style-name");
                }
                self.master = Some(name);
                Ctx::MasterPage
            }
            (Some(Ctx::MasterPage), b"header" | b"footer") => {
                if attr(e, b"display").as_deref() == Some("false") {
                    return Ctx::Skip;
                }
                self.sinks.push(Sink::default());
                if name == b"header" {
                    Ctx::Header
                } else {
                    Ctx::Footer
                }
            }
            // A presentation's slides, declarations and shapes.
            (_, b"page") if self.deck.is_some() && self.part == Part::Content && self.sinks.is_empty() => self.start_page(e),
            (_, b"footer-decl" | b"header-decl" | b"date-time-decl") if self.sinks.is_empty() => {
                if let (Some(deck), Some(decl)) = (&mut self.deck, attr(e, b"name")) {
                    deck.decl = Some((decl, String::new(), attr(e, b"source").as_deref() == Some("current")));
                }
                Ctx::Decl
            }
            (Some(Ctx::DrawPage | Ctx::MasterPage | Ctx::Group), b"g") if self.deck.is_some() => Ctx::Group,
            (Some(Ctx::DrawPage | Ctx::MasterPage | Ctx::Group), shape) if self.deck.is_some() && slides::SHAPES.contains(&shape) => {
                self.start_drawn(e, shape, stack)
            }
            (Some(Ctx::Drawn), b"enhanced-geometry") => {
                if let Some(shape) = self.open_shape() {
                    slides::enhanced_geometry(shape, e);
                }
                Ctx::Geometry
            }
            (Some(Ctx::Geometry), b"equation") => {
                if let Some(shape) = self.open_shape() {
                    slides::equation(shape, e);
                }
                Ctx::Skip
            }
            (Some(Ctx::Geometry), _) => Ctx::Skip,
            (Some(Ctx::MasterPage), _) => Ctx::Skip,
            // The body.
            (_, b"text") if self.part == Part::Content && stack.depth() <= 2 && self.sinks.is_empty() => {
                self.sinks.push(Sink::default());
                Ctx::Body
            }
            (top, b"p" | b"h") if !self.sinks.is_empty() => {
                let heading = (name == b"h" && attr(e, b"is-list-header").as_deref() != Some("true"))
                    .then(|| attr(e, b"outline-level").and_then(|l| l.parse::<usize>().ok()).unwrap_or(1).clamp(1, LIST_LEVELS) - 1);
                let ctx = self.start_para(e, heading);
                // A note's first paragraph starts with its citation.
                if top == Some(Ctx::NoteBody) && !self.citation.is_empty() && ctx == Ctx::Para {
                    let citation = std::mem::take(&mut self.citation);
                    let mut small = self.chars.last().map(|c| c.style.clone()).unwrap_or_default();
                    small.size *= 0.75;
                    if let Some(para) = self.paras.last_mut() {
                        para.block.spans.push((format!("{citation} "), small));
                    }
                }
                ctx
            }
            // A placeholder ("<Enter your text here>") keeps its room but is left blank, as
            // LibreOffice prints it: it is shown on screen only, to be typed over.
            (_, b"placeholder") if inline => {
                let mut chars = self.chars.last().cloned().unwrap_or_default();
                chars.style.hidden = true;
                self.chars.push(chars);
                Ctx::Placeholder
            }
            (_, b"span") if inline => {
                let base = self.chars.last().cloned().unwrap_or_default();
                let chars = match attr(e, b"style-name") {
                    Some(n) => self.styles.span(&base, &n),
                    None => base,
                };
                self.chars.push(chars);
                Ctx::Span
            }
            (_, b"s") if inline => {
                let count = attr(e, b"c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPACES);
                self.push_text(&" ".repeat(count), false);
                Ctx::Other
            }
            (_, b"tab") if inline => {
                self.push_text("\t", false);
                Ctx::Other
            }
            (_, b"line-break") if inline => {
                self.push_text("\n", false);
                Ctx::Other
            }
            (_, b"footer" | b"date-time" | b"header") if inline && self.deck.is_some() => {
                let field = match name {
                    b"footer" => slides::FOOTER_FIELD,
                    b"header" => slides::HEADER_FIELD,
                    _ => slides::DATE_FIELD,
                };
                self.push_text(&field.to_string(), false);
                Ctx::Field
            }
            // A date field prints the reader's date unless it is fixed to the one it holds
            // (LibreOffice prints an empty one's date too, and a template's).
            (_, b"date") if inline && (attr(e, b"fixed").as_deref() != Some("true") || empty || self.template) => {
                let style = attr(e, b"data-style-name");
                let date = styles::format_date(self.clock, style.and_then(|n| self.styles.dates.get(&n)).map(Vec::as_slice));
                self.push_text(&date, false);
                Ctx::Field
            }
            // A template's sender fields hold its author's details; a document made from it
            // shows the reader's.
            (_, field) if inline && self.template && field.starts_with(b"sender-") && attr(e, b"fixed").as_deref() != Some("true") => Ctx::Skip,
            (_, b"page-number" | b"page-count") if inline => {
                self.push_text(&(if name == b"page-number" { PAGE_FIELD } else { NUMPAGES_FIELD }).to_string(), false);
                Ctx::Field
            }
            (_, b"note") if inline => {
                // A footnote goes to the foot of the page its citing paragraph ends on.
                self.endnote = attr(e, b"note-class").as_deref() == Some("endnote");
                if !self.endnote {
                    let index = self.footnotes.len();
                    if let Some(para) = self.paras.last_mut() {
                        para.block.notes.push(index);
                    }
                }
                Ctx::Note
            }
            (Some(Ctx::Note), b"note-citation") => Ctx::NoteCitation,
            (Some(Ctx::Note), b"note-body") => {
                self.sinks.push(Sink::default());
                Ctx::NoteBody
            }
            (_, b"list") if !self.sinks.is_empty() => {
                let outer = self.lists.last().and_then(|l| l.style.clone());
                let style = attr(e, b"style-name").or(outer);
                if self.lists.is_empty() && attr(e, b"continue-numbering").as_deref() != Some("true") && attr(e, b"continue-list").is_none() {
                    if let Some(s) = &style {
                        self.counters.remove(s);
                    }
                }
                self.lists.push(List { style, labelled: true });
                Ctx::List
            }
            (Some(Ctx::List), b"list-item" | b"list-header") => {
                if let Some(list) = self.lists.last_mut() {
                    list.labelled = name == b"list-header";
                }
                Ctx::ListItem
            }
            (_, b"section") if self.sinks.len() == 1 && self.paras.is_empty() => {
                // A section in columns of its own: they start here and end with it (back to
                // the page's, empty here and filled in once the page is known).
                let columns = attr(e, b"style-name").and_then(|n| self.styles.merged(Family::Section, &n).columns);
                // One entry per open section (the walker bounds the nesting).
                self.sections.push(columns.is_some());
                if let (Some(columns), Some(sink)) = (columns, self.sinks.last_mut()) {
                    sink.items.push(Flow::Section { columns, new_page: false, inside: false });
                }
                Ctx::Section
            }
            (_, b"table") if !self.sinks.is_empty() => self.start_table(e),
            (Some(Ctx::Table | Ctx::Other), b"table-column") if stack.nearest(|c| c == Ctx::Table).is_some() => {
                let repeat: usize = attr(e, b"number-columns-repeated").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, MAX_COLUMNS);
                let style = attr(e, b"style-name").map(|n| self.styles.merged(Family::Column, &n)).unwrap_or_default();
                if let Some(table) = self.tables.last_mut() {
                    let room = MAX_COLUMNS.saturating_sub(table.columns.len());
                    table.columns.extend(std::iter::repeat_n((style.column_width, style.rel_width), repeat.min(room)));
                    table.column_cells.extend(std::iter::repeat_n(attr(e, b"default-cell-style-name"), repeat.min(room)));
                }
                Ctx::Other
            }
            (Some(Ctx::Table), b"table-header-rows") => Ctx::HeaderRows,
            (Some(Ctx::Table | Ctx::Other | Ctx::HeaderRows), b"table-row") if stack.nearest(|c| c == Ctx::Table).is_some() => {
                let height = attr(e, b"style-name").and_then(|n| self.styles.merged(Family::Row, &n).row_height).unwrap_or(0.0);
                // Heading rows count only at the table's top, as the paint layer repeats them.
                let header = stack.top() == Some(Ctx::HeaderRows);
                if let Some(table) = self.tables.last_mut() {
                    table.covered = 0;
                    table.row_cells = attr(e, b"default-cell-style-name");
                    let header = header && table.rows.iter().all(|r| r.header);
                    table.rows.push(Row { min_height: height.min(2_000.0), cells: Vec::new(), padding: None, header, ..Default::default() });
                }
                Ctx::Row
            }
            (Some(Ctx::Row), b"table-cell") => self.start_cell(e),
            (Some(Ctx::Row), b"covered-table-cell") => {
                // Cells a spanning cell covers are skipped; cells a row span covers keep their place.
                if let Some(table) = self.tables.last_mut() {
                    if table.covered > 0 {
                        table.covered -= 1;
                    } else if let Some(row) = table.rows.last_mut() {
                        row.cells.push(Cell { span: 1, ..Default::default() });
                    }
                }
                Ctx::Skip
            }
            (_, b"frame") if !self.sinks.is_empty() => self.start_frame(e),
            (Some(Ctx::Frame | Ctx::Drawn), b"image") if !self.frames.is_empty() => {
                self.image(e);
                Ctx::Skip
            }
            (Some(Ctx::Frame | Ctx::Drawn), b"object" | b"object-ole") => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.object = true;
                }
                Ctx::Skip
            }
            (Some(Ctx::Frame | Ctx::Drawn), b"text-box") if !self.frames.is_empty() => {
                self.sinks.push(Sink::default());
                Ctx::TextBox
            }
            // A text document's drawing shape, drawn where it is anchored.
            (_, shape)
                if self.deck.is_none()
                    && shape != b"frame"
                    && slides::SHAPES.contains(&shape)
                    && !self.sinks.is_empty()
                    && self.frames.len() <= 1
                    && stack.nearest(|c| c == Ctx::Drawn).is_none() =>
            {
                self.start_shape(e, shape)
            }
            (_, shape) if SHAPES.contains(&shape) && !self.sinks.is_empty() && stack.nearest(|c| c == Ctx::Frame).is_none() => {
                let len = |n: &[u8]| attr(e, n).and_then(|v| styles::length(&v)).filter(|v| *v > 0.0);
                if let (Some(w), Some(h)) = (len(b"width"), len(b"height")) {
                    let as_char = attr(e, b"anchor-type").as_deref() == Some("as-char");
                    self.reserve((w, h), Align::Start, as_char, Figure::Missing("a drawing shape"));
                }
                Ctx::Skip
            }
            _ if inline => Ctx::Inline,
            _ => Ctx::Other,
        }
    }

    fn end(&mut self, ctx: Ctx, _: &Stack<Ctx>) {
        match ctx {
            Ctx::Style => self.end_style(),
            Ctx::ListStyle => {
                if let Some((name, levels)) = self.list_style.take() {
                    self.styles.count += 1;
                    self.styles.lists.insert(name, levels);
                }
            }
            Ctx::PageLayout => {
                if let Some((name, layout)) = self.layout.take() {
                    self.styles.layouts.insert(name, layout);
                }
            }
            Ctx::Header | Ctx::Footer => {
                let Some(sink) = self.sinks.pop() else { return };
                let Some(master) = self.master.clone() else { return };
                let entry = self.masters.entry(master).or_default();
                if ctx == Ctx::Header {
                    entry.0 = sink.items;
                } else {
                    entry.1 = sink.items;
                }
            }
            Ctx::Body => {
                if let Some(sink) = self.sinks.pop() {
                    self.body = sink.items;
                }
            }
            Ctx::Para => self.end_para(),
            Ctx::Span | Ctx::Placeholder => {
                self.chars.pop();
            }
            Ctx::NoteBody => {
                if let Some(sink) = self.sinks.pop() {
                    if self.endnote {
                        self.endnotes.extend(sink.items);
                    } else {
                        self.footnotes.push(sink.items);
                    }
                }
            }
            Ctx::Note => self.citation.clear(),
            Ctx::List => {
                self.lists.pop();
            }
            Ctx::Table => self.end_table(),
            Ctx::Section => {
                if self.sections.pop() == Some(true) {
                    // Back to the page's columns (filled in once the page is known).
                    if let Some(sink) = self.sinks.last_mut() {
                        sink.items.push(Flow::Section { columns: Vec::new(), new_page: false, inside: false });
                    }
                }
            }
            Ctx::Cell => self.end_cell(),
            Ctx::Frame => self.end_frame(),
            Ctx::Drawn => self.end_drawn(),
            Ctx::DateStyle => {
                if let Some((name, parts)) = self.date_style.take() {
                    let parts = if self.date_automatic { styles::locale_order(&parts) } else { parts };
                    self.styles.dates.insert(name, parts);
                }
            }
            Ctx::Decl => {
                if let Some(deck) = &mut self.deck {
                    if let Some((name, text, current)) = deck.decl.take() {
                        // A date from the clock is not known inside the sandbox.
                        deck.decls.insert(name, if current { String::new() } else { text });
                    }
                }
            }
            Ctx::TextBox => {
                if let Some(sink) = self.sinks.pop() {
                    if let Some(frame) = self.frames.last_mut() {
                        frame.text = sink.items;
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
        match stack.top() {
            Some(Ctx::Para | Ctx::Span | Ctx::Inline) => self.push_text(text, true),
            // Printed without the angle brackets it is written with.
            Some(Ctx::Placeholder) => {
                let text = text.trim();
                let text = text.strip_prefix('<').unwrap_or(text);
                self.push_text(text.strip_suffix('>').unwrap_or(text), true);
            }
            Some(Ctx::DateText) => {
                if let Some(styles::DatePart::Text(part)) = self.date_style.as_mut().and_then(|(_, p)| p.last_mut()) {
                    if part.len() < 64 {
                        part.push_str(text);
                    }
                }
            }
            Some(Ctx::Decl) => {
                if let Some((_, decl, _)) = self.deck.as_mut().and_then(|d| d.decl.as_mut()) {
                    if decl.len() < 1_000 {
                        decl.push_str(text);
                    }
                }
            }
            Some(Ctx::NoteCitation) => {
                let citation: String = text.trim().chars().take(16).collect();
                let mut small = self.chars.last().map(|c| c.style.clone()).unwrap_or_default();
                small.size *= 0.75;
                if let Some(para) = self.paras.last_mut() {
                    para.block.spans.push((citation.clone(), small));
                }
                self.citation = citation;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// The body flow of a package holding `content` and `styles`.
    fn body(content: &str, styles: &str) -> Vec<Flow> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, data) in [("content.xml", content), ("styles.xml", styles)] {
            zip.start_file(name, stored).unwrap();
            zip.write_all(data.as_bytes()).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        let mut package = Package::open(&bytes).unwrap();
        let mut canvas = Canvas::new();
        let mut reader = Reader::new(&mut package, &mut canvas);
        walk::walk(styles.as_bytes(), &mut reader);
        reader.part = Part::Content;
        walk::walk(content.as_bytes(), &mut reader);
        std::mem::take(&mut reader.body)
    }

    /// Each paragraph's label (empty for none) and text.
    fn labels(items: &[Flow]) -> Vec<(String, String)> {
        let text = |b: &Block| b.spans.iter().map(|(t, _)| t.as_str()).collect::<String>();
        items
            .iter()
            .filter_map(|i| if let Flow::Para(b) = i { Some((b.marker.as_ref().map(|m| m.0.clone()).unwrap_or_default(), text(b))) } else { None })
            .collect()
    }

    #[test]
    fn headings_and_lists_are_numbered_as_their_styles_say() {
        let styles = r#"<s><office:styles><text:outline-style style:name="Outline">
            <text:outline-level-style text:level="1" style:num-format="1" style:num-suffix="."/>
            <text:outline-level-style text:level="2" style:num-format="1" style:num-suffix="." text:display-levels="2"/>
            </text:outline-style>
            <text:list-style style:name="L"><text:list-level-style-number text:level="1" style:num-format="a" style:num-suffix=")"/>
            <text:list-level-style-number text:level="2" style:num-format="i" text:display-levels="2" style:num-prefix="(" style:num-suffix=")"/></text:list-style>
            <text:list-style style:name="B"><text:list-level-style-bullet text:level="1" text:bullet-char="&#xF0B7;"/></text:list-style></office:styles></s>"#;
        let content = r#"<c><office:body><office:text>
            <text:h text:outline-level="1">Intro</text:h><text:h text:outline-level="2">Scope</text:h><text:h text:outline-level="2">Terms</text:h>
            <text:h text:outline-level="1">Method</text:h><text:h text:outline-level="2">Data</text:h>
            <text:list text:style-name="L"><text:list-item><text:p>first</text:p><text:list><text:list-item><text:p>inner</text:p></text:list-item>
            <text:list-item><text:p>inner two</text:p></text:list-item></text:list><text:p>same item</text:p></text:list-item>
            <text:list-item><text:p>second</text:p></text:list-item></text:list>
            <text:list text:style-name="B"><text:list-item><text:p>dot</text:p></text:list-item></text:list>
            <text:p>  spaced   <text:span>out</text:span><text:s text:c="2"/>kept<text:a xlink:href="x">link</text:a></text:p>
            </office:text></office:body></c>"#;
        let got = labels(&body(content, styles));
        let want = [
            ("1.", "Intro"),
            ("1.1.", "Scope"),
            ("1.2.", "Terms"),
            ("2.", "Method"),
            ("2.1.", "Data"),
            ("a)", "first"),
            ("(a.i)", "inner"),
            ("(a.ii)", "inner two"),
            ("", "same item"),
            ("b)", "second"),
            ("•", "dot"),
            ("", "spaced out  keptlink"),
        ];
        assert_eq!(got, want.map(|(l, t)| (l.to_string(), t.to_string())));
    }
}
