//! The body of a WordprocessingML part (document, header, footer, footnote) read into the
//! paint layer's flow: paragraphs with their runs, fields, list labels, tables, images
//! and text boxes, and the first section's page setup.
//!
//! Elements are told apart by their context on an element stack ([`crate::ooxml::walk`]):
//! [`Parser::start`] says what each element opens, [`Parser::end`] finishes it, and
//! [`Parser::text`] puts character data where the innermost context says.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::numbering::{label, Numbering};
use super::styles::{para_property, run_property, toggle, twips, ParaProps, RunProps, Styles, TableLook};
use super::tables::{CellBuf, RowBuf, TableBuf};
use super::{ImageLoader, EMU_PER_POINT, MAX_BLOCKS, MAX_FLOATS};
use crate::layout::paint::{Align, Block, Canvas, Column, Float, FloatFrom, Flow, ImageRef, LineModel, LineSpacing, PageSetup, Place, Rgb, Wrap, PICTURE_MARK};
use crate::layout::running::{NUMPAGES_FIELD, PAGE_FIELD};
use crate::ooxml::walk::{self, Handler, Stack};
use crate::ooxml::{self, attr, reader};

/// A run being read: its text, direct properties and character style.
#[derive(Default)]
pub(super) struct RunBuf {
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
    /// A column break (`w:br w:type="column"`) in it: what follows starts the next column.
    column_break_after: bool,
    /// Its properties hold the `sectPr` that ends a section.
    ends_section: bool,
    /// Footnotes referred to, by their place in the reference order.
    notes: Vec<usize>,
    /// Floating pictures and text boxes anchored in it.
    floats: Vec<Float>,
    /// Pictures set in its text as characters, in order, with their size in points.
    pictures: Vec<(ImageRef, f32, f32)>,
}

/// What a colour in a floating drawing's shape paints: its own fill or outline, or the
/// fill or outline its shape style gives.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Frame {
    Fill,
    Line,
    StyleFill,
    StyleLine,
}

/// A floating drawing (`wp:anchor`) being read.
struct AnchorBuf {
    float: Float,
    /// Inside its text box: where the text box's items start in the parser's items, and
    /// the last paragraph's style outside it, put back after it.
    text_start: Option<usize>,
    last_para: Option<(String, bool)>,
    text_box: bool,
    /// The text box's insets (`wps:bodyPr`), when it sets them: top, left, bottom, right.
    inset: Option<[f32; 4]>,
    /// Its own fill and outline colour (`None` inside: `a:noFill`), when its shape
    /// properties set them; the outline's width; the shape style's fill and outline.
    fill: Option<Option<Rgb>>,
    line: Option<Option<Rgb>>,
    line_width: Option<f32>,
    style_fill: Option<Rgb>,
    style_line: Option<Rgb>,
    /// Its preset geometry is a rectangle (or none is given), so its frame can be drawn.
    rectangular: bool,
}

impl AnchorBuf {
    fn new(e: &BytesStart<'_>) -> AnchorBuf {
        let gap = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).map_or(0.0, |v| (v / EMU_PER_POINT).clamp(0.0, 200.0));
        let mut anchor = AnchorBuf::blank();
        anchor.float.gap = [gap(b"distT"), gap(b"distL"), gap(b"distB"), gap(b"distR")];
        anchor
    }

    /// A VML shape placed absolutely (`position:absolute` in its style): its place, size,
    /// wrapping distances, fill and outline from its style and attributes. `kind` is its
    /// element's name.
    fn vml(e: &BytesStart<'_>, style: &str, kind: &[u8]) -> AnchorBuf {
        let mut anchor = AnchorBuf::blank();
        let props: HashMap<&str, &str> = style.split(';').filter_map(|p| p.split_once(':')).map(|(k, v)| (k.trim(), v.trim())).take(64).collect();
        let length = |key: &str| props.get(key).and_then(|v| vml_length(v));
        let float = &mut anchor.float;
        float.width = length("width").unwrap_or(0.0).clamp(0.0, 5_000.0);
        float.height = length("height").map(|h| h.clamp(1.0, 5_000.0));
        let from = |key: &str| match props.get(key).copied() {
            Some("page") => FloatFrom::Page,
            Some("margin") => FloatFrom::Margin,
            _ => FloatFrom::Here,
        };
        float.from_x = from("mso-position-horizontal-relative");
        float.from_y = from("mso-position-vertical-relative");
        let aligned = |key: &str| match props.get(key).copied() {
            Some("left" | "top" | "inside") => Some(Place::Align(Align::Start)),
            Some("center") => Some(Place::Align(Align::Center)),
            Some("right" | "bottom" | "outside") => Some(Place::Align(Align::End)),
            _ => None,
        };
        let offset = |keys: [&str; 2]| Place::At(keys.iter().find_map(|k| length(k)).unwrap_or(0.0).clamp(-5_000.0, 5_000.0));
        float.x = aligned("mso-position-horizontal").unwrap_or_else(|| offset(["margin-left", "left"]));
        float.y = aligned("mso-position-vertical").unwrap_or_else(|| offset(["margin-top", "top"]));
        let gap = |key: &str, default: f32| length(key).map_or(default, |g| g.clamp(0.0, 200.0));
        float.gap =
            [gap("mso-wrap-distance-top", 0.0), gap("mso-wrap-distance-left", 9.0), gap("mso-wrap-distance-bottom", 0.0), gap("mso-wrap-distance-right", 9.0)];
        // VML shapes are filled white and outlined in black 0.75 pt unless they say not.
        let yes = |k: &[u8]| attr(e, k).is_none_or(|v| !matches!(v.trim(), "f" | "false" | "0"));
        anchor.fill = Some(yes(b"filled").then(|| attr(e, b"fillcolor").and_then(|c| vml_color(&c)).unwrap_or([255, 255, 255])));
        anchor.line = Some(yes(b"stroked").then(|| attr(e, b"strokecolor").and_then(|c| vml_color(&c)).unwrap_or([0, 0, 0])));
        anchor.line_width = Some(attr(e, b"strokeweight").and_then(|w| vml_length(&w)).map_or(0.75, |w| w.clamp(0.0, 50.0)));
        // Only rectangles and text boxes get their frame drawn; other shapes' outlines
        // are paths not read here.
        let text_box_type = attr(e, b"type").is_some_and(|t| t.ends_with("_t202")) || attr(e, b"spt").as_deref() == Some("202");
        anchor.rectangular = kind == b"rect" || text_box_type;
        anchor
    }

    fn blank() -> AnchorBuf {
        let mut float = Float::new(Vec::new(), 0.0);
        float.from_x = FloatFrom::Here;
        float.from_y = FloatFrom::Here;
        AnchorBuf {
            float,
            text_start: None,
            last_para: None,
            text_box: false,
            inset: None,
            fill: None,
            line: None,
            line_width: None,
            style_fill: None,
            style_line: None,
            rectangular: true,
        }
    }

    /// The colour that `frame` is painted with, to be set.
    fn paint(&mut self, frame: Frame) -> &mut Option<Rgb> {
        match frame {
            Frame::Fill => self.fill.get_or_insert(None),
            Frame::Line => self.line.get_or_insert(None),
            Frame::StyleFill => &mut self.style_fill,
            Frame::StyleLine => &mut self.style_line,
        }
    }

    /// The float, with its frame and size settled; `None` when it shows nothing.
    fn finish(mut self) -> Option<Float> {
        let mut float = self.float;
        if self.rectangular {
            float.fill = self.fill.unwrap_or(self.style_fill);
            float.outline = self.line.unwrap_or(self.style_line).map(|c| (c, self.line_width.unwrap_or(0.75)));
        }
        if self.text_box {
            // Word's default insets: 0.1 in across, 0.05 in down.
            float.inset = self.inset.take().unwrap_or([3.6, 7.2, 3.6, 7.2]);
        }
        if float.width <= 0.0 {
            float.width = float.items.iter().find_map(|i| if let Flow::Image { width, .. } = i { Some(*width) } else { None }).unwrap_or(144.0);
        }
        (!float.items.is_empty() || float.fill.is_some() || float.outline.is_some()).then_some(float)
    }
}

/// A section's `w:cols` as read.
#[derive(Default)]
struct SectionColumns {
    count: usize,
    /// The space between equal columns, in points.
    space: f32,
    equal: bool,
    /// Each column's own width and the space after it (`w:col`), when not equal.
    own: Vec<Column>,
}

impl SectionColumns {
    /// The columns: their own widths, equal shares of the text area, or none for one.
    fn columns(self) -> Vec<Column> {
        if !self.equal && self.own.len() > 1 {
            return self.own;
        }
        if self.count < 2 {
            return Vec::new();
        }
        Column::equal(self.count, self.space)
    }
}

/// A field (`fldChar` begin ... separate ... end): its instruction, and whether its result
/// is being read.
struct Field {
    instruction: String,
    in_result: bool,
    /// PAGE or NUMPAGES: the result is replaced by a placeholder.
    placeholder: Option<char>,
}

/// What an open element is, as far as the body is concerned.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Ctx {
    Other,
    /// Not shown: deleted or moved-away text, `mc:Fallback`, formatting a change replaced.
    Skip,
    Section,
    Table,
    /// `w:tblPr` of the outermost table.
    TableProps,
    CellProps,
    TableBorders,
    CellBorders,
    /// `w:tblCellMar` of the table.
    CellMargins,
    Paragraph,
    ParaProps,
    Run,
    RunProps,
    Text,
    Instruction,
    TextBox,
    /// An embedded object (`w:object`): its preview picture, if it has one.
    Object,
    /// A VML group (`v:group`): its shapes are placed in its own coordinates, not read.
    VmlGroup,
    /// A floating drawing's `wp:anchor`, its position, its shape's properties and colours.
    Anchor,
    PositionH,
    PositionV,
    PositionAlign,
    PosOffset,
    ShapeProps,
    Outline,
    /// A fill whose colour paints this part of the drawing's frame, and that colour.
    Paint(Frame),
    PaintColor(Frame),
    SimpleField,
    /// A picture's `pic:blipFill`: its `a:blip`, then perhaps its crop (`a:srcRect`).
    BlipFill,
}

/// Reads a WordprocessingML part, decoding the images it refers to with `images` (when
/// given) into `canvas`.
pub(super) fn read(xml: &[u8], styles: &Styles, numbering: &Numbering, images: Option<&mut ImageLoader<'_, '_>>, canvas: &mut Canvas) -> Body {
    Parser::read(xml, styles, numbering, images, canvas)
}

/// What a part holds.
pub(super) struct Body {
    /// Its paragraphs, tables and images in order.
    pub(super) items: Vec<Flow>,
    /// Whether it was cut at [`MAX_BLOCKS`] paragraphs.
    pub(super) truncated: bool,
    /// The first section's page setup.
    pub(super) setup: PageSetup,
    /// Distance of the header from the top edge and of the footer from the bottom edge.
    pub(super) header_margin: f32,
    pub(super) footer_margin: f32,
    /// Relationship ids of the first section's default header and footer.
    pub(super) header: Option<String>,
    pub(super) footer: Option<String>,
    /// Its first page's own header and footer (`w:titlePg`), when it has a different one:
    /// `None` inside is an empty header or footer.
    pub(super) first_page: Option<(Option<String>, Option<String>)>,
    /// Its even pages' header and footer, shown when the settings ask for them
    /// (`w:evenAndOddHeaders`).
    pub(super) even_page: (Option<String>, Option<String>),
    /// Ids of the footnotes referred to, in order.
    pub(super) footnote_refs: Vec<String>,
}

/// Reads a WordprocessingML part (document, header, footer, footnote) into a flow.
struct Parser<'a, 'i, 'd> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    /// Where images come from (none for footnotes).
    images: Option<&'a mut ImageLoader<'i, 'd>>,
    canvas: &'a mut Canvas,
    counters: HashMap<String, [u32; 9]>,
    items: Vec<Flow>,
    blocks: usize,
    truncated: bool,
    /// The first section's page setup, once its `sectPr` ends.
    setup: Option<PageSetup>,
    /// The section being read.
    section: PageSetup,
    header_margin: f32,
    footer_margin: f32,
    header: Option<String>,
    footer: Option<String>,
    first_header: Option<String>,
    first_footer: Option<String>,
    even_header: Option<String>,
    even_footer: Option<String>,
    title_page: bool,
    footnote_refs: Vec<String>,
    paragraph: Option<Paragraph>,
    /// Paragraphs interrupted by a text box inside them.
    suspended: Vec<(Paragraph, Option<RunBuf>)>,
    run: Option<RunBuf>,
    fields: Vec<Field>,
    table: Option<TableBuf>,
    table_depth: usize,
    page_break_pending: bool,
    /// Where the section being read starts in `items`, and its columns and start (a new
    /// page, or below the last section: `w:type` continuous) as its `sectPr` says.
    section_start: usize,
    section_columns: SectionColumns,
    section_new_page: bool,
    /// The style and contextual spacing of the paragraph resolved last, and of the one
    /// pushed last (for `contextualSpacing` between neighbours of one style).
    resolved: Option<(String, bool)>,
    last_para: Option<(String, bool)>,
    /// The size of the drawing being read, in points, and its horizontal alignment.
    extent: Option<(f32, f32)>,
    drawing_align: Option<Align>,
    /// Inside a `w:object`: whether its preview picture was placed.
    object_shown: Option<bool>,
    /// The picture of the `pic:blipFill` being read, placed at its end with its crop.
    blip: Option<(ImageRef, [f32; 4])>,
    /// The line pitch of the document grid lines snap to, in points (`w:docGrid` of type
    /// `lines`, `linesAndChars` or `snapToChars`).
    grid: Option<f32>,
    /// The floating drawing being read, and how many were read.
    anchor: Option<AnchorBuf>,
    floats: usize,
}

impl<'a, 'i, 'd> Parser<'a, 'i, 'd> {
    /// Reads `xml`, decoding the images it refers to with `images` (when given) into `canvas`.
    fn read(xml: &[u8], styles: &'a Styles, numbering: &'a Numbering, images: Option<&'a mut ImageLoader<'i, 'd>>, canvas: &'a mut Canvas) -> Body {
        let mut parser = Parser {
            styles,
            numbering,
            images,
            canvas,
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
            first_header: None,
            first_footer: None,
            even_header: None,
            even_footer: None,
            title_page: false,
            footnote_refs: Vec::new(),
            paragraph: None,
            suspended: Vec::new(),
            run: None,
            fields: Vec::new(),
            table: None,
            table_depth: 0,
            page_break_pending: false,
            section_start: 0,
            section_columns: SectionColumns::default(),
            section_new_page: true,
            resolved: None,
            last_para: None,
            extent: None,
            drawing_align: None,
            object_shown: None,
            blip: None,
            anchor: None,
            floats: 0,
            grid: doc_grid(xml),
        };
        walk::walk(xml, &mut parser);
        Body {
            items: parser.items,
            truncated: parser.truncated || parser.floats > MAX_FLOATS,
            setup: parser.setup.unwrap_or(parser.section),
            header_margin: parser.header_margin,
            footer_margin: parser.footer_margin,
            header: parser.header,
            footer: parser.footer,
            first_page: parser.title_page.then_some((parser.first_header, parser.first_footer)),
            even_page: (parser.even_header, parser.even_footer),
            footnote_refs: parser.footnote_refs,
        }
    }

    /// The cell being read, in the outermost table.
    fn cell(&mut self) -> Option<&mut CellBuf> {
        self.table.as_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.cells.last_mut())
    }

    /// A property element of the first section: page size, margins, header and footer.
    fn section_property(&mut self, e: &BytesStart<'_>) {
        let first = self.setup.is_none();
        let s = &mut self.section;
        match e.local_name().as_ref().as_bytes() {
            b"pgSz" => {
                s.width = twips(e, b"w").filter(|w| *w >= 36.0).unwrap_or(s.width).min(2000.0);
                s.height = twips(e, b"h").filter(|h| *h >= 36.0).unwrap_or(s.height).min(2000.0);
            }
            b"type" => self.section_new_page = !matches!(attr(e, b"val").as_deref(), Some("continuous" | "nextColumn")),
            b"cols" => {
                let c = &mut self.section_columns;
                c.count = attr(e, b"num").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).clamp(1, 45);
                c.space = twips(e, b"space").map_or(36.0, |v| v.clamp(0.0, 1000.0));
                c.equal = attr(e, b"equalWidth").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"));
            }
            b"col" => {
                let c = &mut self.section_columns;
                if c.own.len() < 45 {
                    c.own.push(Column {
                        width: twips(e, b"w").unwrap_or(0.0).clamp(0.0, 2000.0),
                        gap: twips(e, b"space").unwrap_or(0.0).clamp(0.0, 1000.0),
                        share: 0.0,
                    });
                }
            }
            b"pgMar" => {
                let m = |k: &[u8], d: f32| twips(e, k).map(f32::abs).unwrap_or(d).min(1000.0);
                s.margin_top = m(b"top", s.margin_top);
                s.margin_bottom = m(b"bottom", s.margin_bottom);
                s.margin_left = m(b"left", s.margin_left);
                s.margin_right = m(b"right", s.margin_right);
                if first {
                    self.header_margin = m(b"header", self.header_margin);
                    self.footer_margin = m(b"footer", self.footer_margin);
                }
            }
            name @ (b"headerReference" | b"footerReference") if first => {
                let id = attr(e, b"id");
                match (attr(e, b"type").as_deref(), name == b"headerReference") {
                    (None | Some("default"), true) => self.header = id,
                    (None | Some("default"), false) => self.footer = id,
                    (Some("first"), true) => self.first_header = id,
                    (Some("first"), false) => self.first_footer = id,
                    (Some("even"), true) => self.even_header = id,
                    (Some("even"), false) => self.even_footer = id,
                    _ => {}
                }
            }
            b"titlePg" if first => self.title_page = !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off")),
            _ => {}
        }
    }

    /// A property element of the outermost table, its rows and cells.
    fn table_property(&mut self, e: &BytesStart<'_>, parent: Option<Ctx>) -> Ctx {
        let Some(t) = self.table.as_mut() else { return Ctx::Other };
        match e.local_name().as_ref().as_bytes() {
            b"gridCol" => t.grid.push(twips(e, b"w").unwrap_or(0.0).clamp(0.0, 2000.0)),
            b"tblStyle" => t.style = attr(e, b"val"),
            b"tblInd" => t.indent = twips(e, b"w").unwrap_or(0.0).clamp(-200.0, 1000.0),
            b"tblBorders" => return Ctx::TableBorders,
            b"tcBorders" => return Ctx::CellBorders,
            b"tr" => t.rows.push(RowBuf::default()),
            b"trHeight" => {
                if let Some(row) = t.rows.last_mut() {
                    row.min_height = twips(e, b"val").unwrap_or(0.0).clamp(0.0, 1500.0);
                }
            }
            b"tblLook" => t.look = TableLook::parse(e),
            b"jc" => {
                t.align = match attr(e, b"val").as_deref() {
                    Some("center") => Align::Center,
                    Some("right" | "end") => Align::End,
                    _ => Align::Start,
                }
            }
            b"bidiVisual" => t.right_to_left = toggle(e),
            b"tblHeader" => {
                if let Some(row) = t.rows.last_mut() {
                    row.header = toggle(e);
                }
            }
            b"cantSplit" => {
                if let Some(row) = t.rows.last_mut() {
                    row.cant_split = toggle(e);
                }
            }
            b"tc" => {
                if let Some(row) = t.rows.last_mut() {
                    row.cells.push(CellBuf { span: 1, ..Default::default() });
                }
            }
            b"tcPr" => return Ctx::CellProps,
            name @ (b"gridSpan" | b"vMerge" | b"shd" | b"vAlign") if parent == Some(Ctx::CellProps) => {
                if let Some(cell) = self.cell() {
                    match name {
                        b"gridSpan" => cell.span = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1usize).clamp(1, 64),
                        b"vMerge" => cell.v_merge = Some(attr(e, b"val").as_deref() == Some("restart")),
                        b"vAlign" => {
                            cell.v_align = match attr(e, b"val").as_deref() {
                                Some("center") => Align::Center,
                                Some("bottom") => Align::End,
                                _ => Align::Start,
                            }
                        }
                        _ => cell.fill = ooxml::color::shading(e),
                    }
                }
            }
            _ => return Ctx::Other,
        }
        Ctx::Other
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

    /// Reads an element of the floating drawing being read (outside its text box): its
    /// position, wrapping, size, insets and frame. Returns the context it opens, if any.
    fn anchor_property(&mut self, e: &BytesStart<'_>, parent: Option<Ctx>) -> Option<Ctx> {
        let theme = &self.styles.colors;
        let anchor = self.anchor.as_mut()?;
        let emu = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).map(|v| v / EMU_PER_POINT).filter(|v| v.is_finite());
        let local = e.local_name();
        match local.as_ref().as_bytes() {
            name @ (b"positionH" | b"positionV") => {
                let from = match attr(e, b"relativeFrom").as_deref() {
                    Some("page" | "leftMargin" | "rightMargin" | "insideMargin" | "outsideMargin" | "topMargin" | "bottomMargin") => FloatFrom::Page,
                    Some("margin") => FloatFrom::Margin,
                    _ => FloatFrom::Here,
                };
                return Some(if name == b"positionH" {
                    anchor.float.from_x = from;
                    Ctx::PositionH
                } else {
                    anchor.float.from_y = from;
                    Ctx::PositionV
                });
            }
            b"align" if matches!(parent, Some(Ctx::PositionH | Ctx::PositionV)) => return Some(Ctx::PositionAlign),
            b"posOffset" if matches!(parent, Some(Ctx::PositionH | Ctx::PositionV)) => return Some(Ctx::PosOffset),
            b"wrapSquare" | b"wrapTight" | b"wrapThrough" => anchor.float.wrap = Wrap::Around,
            // VML's `w10:wrap` and `v:textbox`.
            b"wrap" => {
                anchor.float.wrap = match attr(e, b"type").as_deref() {
                    Some("square" | "tight" | "through") => Wrap::Around,
                    Some("topAndBottom") => Wrap::TopBottom,
                    _ => Wrap::None,
                }
            }
            b"textbox" => {
                if let Some(inset) = attr(e, b"inset") {
                    let mut sides = inset.split(',').map(|v| vml_length(v.trim()).map(|v| v.clamp(0.0, 200.0)));
                    let [l, t, r, b] = [7.2, 3.6, 7.2, 3.6].map(|d| sides.next().flatten().unwrap_or(d));
                    anchor.inset = Some([t, l, b, r]);
                }
            }
            b"wrapTopAndBottom" => anchor.float.wrap = Wrap::TopBottom,
            b"wrapNone" => anchor.float.wrap = Wrap::None,
            b"extent" if parent == Some(Ctx::Anchor) => {
                if let (Some(w), Some(h)) = (emu(b"cx"), emu(b"cy")) {
                    anchor.float.width = w.clamp(1.0, 5_000.0);
                    anchor.float.height = Some(h.clamp(1.0, 5_000.0));
                }
                // Also the size of the picture inside.
                return None;
            }
            b"bodyPr" => {
                let inset = |k: &[u8], d: f32| emu(k).map_or(d, |v| v.clamp(0.0, 200.0));
                anchor.inset = Some([inset(b"tIns", 3.6), inset(b"lIns", 7.2), inset(b"bIns", 3.6), inset(b"rIns", 7.2)]);
            }
            b"prstGeom" => anchor.rectangular = matches!(attr(e, b"prst").as_deref(), Some("rect") | None),
            b"spPr" => return Some(Ctx::ShapeProps),
            b"ln" if parent == Some(Ctx::ShapeProps) => {
                anchor.line_width = emu(b"w").map(|w| w.clamp(0.0, 50.0));
                return Some(Ctx::Outline);
            }
            b"noFill" if parent == Some(Ctx::ShapeProps) => anchor.fill = Some(None),
            b"noFill" if parent == Some(Ctx::Outline) => anchor.line = Some(None),
            b"solidFill" if parent == Some(Ctx::ShapeProps) => return Some(Ctx::Paint(Frame::Fill)),
            b"solidFill" if parent == Some(Ctx::Outline) => return Some(Ctx::Paint(Frame::Line)),
            b"fillRef" if attr(e, b"idx").is_some_and(|i| i != "0") => return Some(Ctx::Paint(Frame::StyleFill)),
            b"lnRef" if attr(e, b"idx").is_some_and(|i| i != "0") => return Some(Ctx::Paint(Frame::StyleLine)),
            _ => match parent {
                Some(Ctx::Paint(frame)) => {
                    let color = crate::ooxml::color::base_color(e, theme)?;
                    *anchor.paint(frame) = Some(color);
                    return Some(Ctx::PaintColor(frame));
                }
                Some(Ctx::PaintColor(frame)) => {
                    // A modifier of the colour just read (lumMod, shade...).
                    if let Some(color) = anchor.paint(frame).as_mut() {
                        *color = crate::ooxml::color::modify(*color, e);
                    }
                }
                _ => {}
            },
        }
        None
    }

    /// Whether text now is the cached result of a field that is filled in at layout.
    fn in_replaced_result(&self) -> bool {
        self.fields.iter().any(|f| f.in_result && f.placeholder.is_some())
    }

    /// An embedded object without a preview picture: a placeholder of its size in the text,
    /// so the gap is visible, and a finding when the figures are drawn.
    fn object_missing(&mut self) {
        let (w, h) = self.extent.take().unwrap_or((144.0, 72.0));
        let Some(images) = self.images.as_deref_mut() else { return };
        let Some(figure) = images.reserve(self.canvas, Some((w, h)), super::Figure::Missing("an embedded object without a preview")) else { return };
        self.add_picture(figure, w, h);
    }

    /// A picture read from the file, at the size of its drawing (or its own) and with the
    /// part `crop` shows.
    fn place_loaded(&mut self, image: ImageRef, crop: [f32; 4]) {
        let (w, h) = self.extent.take().unwrap_or((image.width as f32 * 0.75, image.height as f32 * 0.75));
        let image = self.canvas.cropped(image, crop, (w, h));
        self.add_picture(image, w, h);
        if self.object_shown.is_some() {
            self.object_shown = Some(true);
        }
    }

    /// A picture `w` by `h` points: in the floating drawing being read, or in the
    /// paragraph.
    fn add_picture(&mut self, image: ImageRef, w: f32, h: f32) {
        if let Some(anchor) = self.anchor.as_mut().filter(|a| a.text_start.is_none()) {
            anchor.float.items.push(Flow::Image { image, width: w, height: h, align: Align::Start });
        } else if let (Some(p), Some(run)) = (self.paragraph.as_mut(), self.run.as_mut()) {
            // In the text, as a character of its size (as Word sets inline pictures).
            run.text.push(PICTURE_MARK);
            p.pictures.push((image, w, h));
        } else if let Some(p) = self.paragraph.as_mut() {
            p.images.push((image, w, h, self.drawing_align));
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(run) = self.run.as_mut() {
            run.text.push_str(text);
        }
    }

    fn end_paragraph(&mut self, mut p: Paragraph) {
        let break_after = p.break_after;
        let (p_column_break, ends_section) = (p.column_break_after, p.ends_section);
        let has_text = p.runs.iter().any(|r| !r.text.trim().is_empty());
        let images = std::mem::take(&mut p.images);
        let notes = std::mem::take(&mut p.notes);
        let floats = std::mem::take(&mut p.floats);
        if ends_section && !has_text && images.is_empty() && notes.is_empty() && floats.is_empty() && self.table_depth == 0 {
            // An empty paragraph that only carries a section break: LibreOffice drops it.
            self.section_start = self.items.len();
            self.page_break_pending |= break_after;
            return;
        }
        let mut block = Block { notes, ..self.resolve_paragraph(p) };
        block.page_break_before |= std::mem::take(&mut self.page_break_pending);
        let align = block.align;
        let resolved = self.resolved.take();
        let page_break = block.page_break_before && self.table_depth == 0;
        if page_break && (!floats.is_empty() || !(has_text || images.is_empty())) {
            // A page break before a paragraph of pictures only, or before the floats
            // anchored in it, which go on the new page.
            self.items.push(Flow::PageBreak);
        }
        // Floats go just before the paragraph they are anchored in: placed from its top,
        // and it wraps around them.
        let anchored_at = self.items.len();
        if has_text || images.is_empty() {
            self.push_paragraph(block, resolved);
        }
        if self.table_depth == 0 && !floats.is_empty() {
            let at = anchored_at.min(self.items.len());
            self.items.splice(at..at, floats.into_iter().map(Flow::Float));
        }
        if self.table_depth == 0 {
            for (image, width, height, own) in images {
                self.items.push(Flow::Image { image, width, height, align: own.unwrap_or(align) });
            }
        }
        self.page_break_pending = break_after;
        if p_column_break && self.table_depth == 0 {
            self.items.push(Flow::ColumnBreak);
        }
        if ends_section {
            self.section_start = self.items.len();
        }
    }

    /// The paragraph just before the one being pushed, in its cell or in the body.
    fn previous_block(&mut self) -> Option<&mut Block> {
        if self.table_depth > 0 {
            self.table.as_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.cells.last_mut()).and_then(|c| c.content.last_mut())
        } else {
            // The first paragraph of a floating text box has none.
            let first = self.anchor.as_ref().and_then(|a| a.text_start).unwrap_or(0);
            let len = self.items.len();
            match self.items.last_mut() {
                Some(Flow::Para(p)) if len > first => Some(p),
                _ => None,
            }
        }
    }

    /// Pushes a paragraph of `style` (with its contextual spacing): next to one of the same
    /// style, the spacing between them goes where either asks for contextual spacing.
    fn push_paragraph(&mut self, mut block: Block, style: Option<(String, bool)>) {
        let previous = std::mem::replace(&mut self.last_para, style.clone());
        if let (Some((id, contextual)), Some((previous_id, previous_contextual))) = (style, previous) {
            if id == previous_id {
                if let Some(last) = self.previous_block() {
                    if contextual {
                        block.space_before = 0.0;
                    }
                    if previous_contextual {
                        last.space_after = 0.0;
                    }
                }
            }
        }
        if self.styles.collapse_spacing && !block.page_break_before {
            // The space between two paragraphs is the larger of the first's after and the
            // second's before (ISO/IEC 29500-1 17.3.1.33), unless the settings ask for
            // Word 97's sum. (After a page break, the first's is on the page before.)
            if let Some(last) = self.previous_block() {
                block.space_before = (block.space_before - last.space_after).max(0.0);
            }
        }
        self.push_block(block);
    }

    fn push_block(&mut self, block: Block) {
        self.blocks += 1;
        if self.blocks > MAX_BLOCKS {
            self.truncated = true;
            return;
        }
        if self.table_depth > 0 {
            if let Some(cell) = self.table.as_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.cells.last_mut()) {
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
        // A style the document does not define is the default paragraph style, as in Word.
        let style_id = paragraph.props.style.clone().filter(|id| styles.styles.contains_key(id)).or_else(|| styles.default_paragraph_style.clone());
        let (style_para, style_run) = style_id.as_deref().map(|id| styles.resolve(id)).unwrap_or_default();
        // In a table, the table style's paragraph and run properties come between the
        // document defaults and the paragraph style (ECMA-376 17.7.2).
        let table = self.table.as_ref().filter(|_| self.table_depth > 0);
        let table_style = table.and_then(|t| t.style.as_deref()).map(|id| styles.resolve(id));
        let (table_para, table_run) = table_style.unwrap_or_default();
        // And the run properties of the parts of the table the cell is in (its first row,
        // a banded row...), as far as they are known while reading (not the last row).
        let part_run = match (table, table.and_then(|t| t.current_cell())) {
            (Some(t), Some((row, col))) => t.style.as_deref().map(|id| styles.table_part(id, &t.look.parts(row, col, None, None)).0).unwrap_or_default(),
            _ => RunProps::default(),
        };
        let table_run = table_run.overlay(&part_run);
        let mut para = styles.default_para.overlay(&table_para).overlay(&style_para);
        let direct = &paragraph.props;
        let num_id = direct.num_id.clone().or_else(|| para.num_id.clone()).filter(|id| id != "0");
        let level = direct.level.or(para.level).unwrap_or(0).min(8);
        let base_run = styles.default_run.overlay(&table_run).overlay(&style_run);
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
                        let mut style = base_run.overlay(&lvl.run).style(&styles.theme);
                        style.underline = false;
                        marker = Some((label, style));
                    }
                }
            }
        }
        let para = para.overlay(direct);
        let (borders, border_space) = para.paint_borders();
        self.resolved = Some((style_id.clone().unwrap_or_default(), para.contextual.unwrap_or(false)));
        let spans = paragraph
            .runs
            .into_iter()
            .filter(|run| !run.text.is_empty())
            .map(|run| {
                let char_run = run.char_style.as_deref().map(|id| styles.resolve(id).1).unwrap_or_default();
                let style = base_run.overlay(&char_run).overlay(&run.props).style_of(&run.text, &styles.theme);
                (run.text, style)
            })
            .collect::<Vec<_>>();
        let spans = if spans.is_empty() { vec![(String::new(), base_run.style(&styles.theme))] } else { spans };
        // On a document grid, each line takes whole steps of its pitch (as many as the
        // line needs), as Word and LibreOffice lay East Asian documents; an exact height
        // sets the line whether or not there is a grid.
        let (line_height, line_exact, line_at_least) = LineSpacing::block_fields(para.line);
        let line_grid = self.grid.filter(|_| para.snap != Some(false) && line_exact.is_none());
        // A right-to-left paragraph's `left` indent is its start's: the right.
        let rtl = para.bidi.unwrap_or(false);
        let (start, end) = (para.left.unwrap_or(0.0).max(0.0), para.right.unwrap_or(0.0).max(0.0));
        let (indent_left, indent_right) = if rtl { (end, start) } else { (start, end) };
        Block {
            spans,
            align: para.align.unwrap_or_default(),
            indent_left,
            indent_right,
            right_to_left: Some(rtl),
            indent_first: para.first.unwrap_or(0.0),
            space_before: para.before.unwrap_or(0.0).max(0.0),
            space_after: para.after.unwrap_or(0.0).max(0.0),
            line_height,
            line_exact,
            line_at_least,
            line_model: LineModel::Writer,
            line_grid,
            autospace: para.autospace.iter().any(|a| a.unwrap_or(true)),
            page_break_before: para.page_break_before.unwrap_or(false),
            keep_with_next: para.keep_next.unwrap_or(false),
            marker,
            tabs: para.tab_stops(),
            tab_interval: styles.default_tab,
            borders,
            border_space,
            shading: para.shading.flatten(),
            pictures: paragraph.pictures,
            ..Default::default()
        }
    }
}

impl Handler for Parser<'_, '_, '_> {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn done(&self) -> bool {
        self.truncated
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, stack: &Stack<Ctx>) -> Ctx {
        let parent = stack.top();
        let name = e.local_name();
        if self.anchor.is_some() && stack.within(Ctx::Anchor) && !stack.within(Ctx::TextBox) {
            if let Some(ctx) = self.anchor_property(e, parent) {
                return ctx;
            }
        }
        match name.as_ref().as_bytes() {
            b"Fallback" | b"delText" | b"del" | b"moveFrom" | b"rPrChange" | b"pPrChange" | b"sectPrChange" => return Ctx::Skip,
            b"sectPr" => {
                self.section_columns = SectionColumns::default();
                self.section_new_page = true;
                return Ctx::Section;
            }
            _ if stack.within(Ctx::Section) => self.section_property(e),
            b"tbl" if !empty => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.table = Some(TableBuf::default());
                }
                return Ctx::Table;
            }
            b"top" | b"bottom" | b"left" | b"right" | b"start" | b"end" if parent == Some(Ctx::CellMargins) => {
                if let Some(t) = self.table.as_mut().filter(|_| self.table_depth == 1) {
                    super::tables::set_margin(&mut t.margins, e);
                }
            }
            b"tblCellMar" if self.table_depth == 1 && stack.top() != Some(Ctx::CellProps) => return Ctx::CellMargins,
            b"top" | b"bottom" | b"left" | b"right" | b"start" | b"end" | b"insideH" | b"insideV"
                if matches!(parent, Some(Ctx::TableBorders | Ctx::CellBorders)) =>
            {
                if parent == Some(Ctx::TableBorders) {
                    if let Some(t) = self.table.as_mut() {
                        t.borders.set(e);
                    }
                } else if let Some(cell) = self.cell() {
                    cell.borders.set(e);
                }
            }
            b"tblPr" if self.table_depth == 1 && parent == Some(Ctx::Table) => return Ctx::TableProps,
            b"jc" | b"bidiVisual" if self.table_depth == 1 && parent == Some(Ctx::TableProps) => return self.table_property(e, parent),
            b"gridCol" | b"tblStyle" | b"tblInd" | b"tblBorders" | b"tcBorders" | b"tr" | b"trHeight" | b"tblHeader" | b"cantSplit" | b"tc" | b"tcPr"
            | b"tblLook" | b"gridSpan" | b"vMerge" | b"vAlign"
                if self.table_depth == 1 && (parent != Some(Ctx::RunProps) && parent != Some(Ctx::ParaProps)) =>
            {
                return self.table_property(e, parent);
            }
            b"shd" if self.table_depth == 1 && parent == Some(Ctx::CellProps) => return self.table_property(e, parent),
            b"txbxContent" if !empty => {
                // A text box inside a paragraph: its paragraphs go into the floating drawing
                // it is in, or else into the flow here.
                if let Some(p) = self.paragraph.take() {
                    self.suspended.push((p, self.run.take()));
                }
                if let Some(anchor) = self.anchor.as_mut().filter(|a| a.text_start.is_none()) {
                    anchor.text_start = Some(self.items.len());
                    anchor.last_para = self.last_para.take();
                    anchor.text_box = true;
                }
                return Ctx::TextBox;
            }
            b"shape" | b"rect" | b"roundrect"
                if self.table_depth == 0
                    && self.anchor.is_none()
                    && self.paragraph.is_some()
                    && !stack.within(Ctx::Object)
                    && !stack.within(Ctx::VmlGroup)
                    && attr(e, b"style").is_some_and(|s| s.replace(' ', "").contains("position:absolute")) =>
            {
                self.floats += 1;
                if self.floats > MAX_FLOATS {
                    return Ctx::Skip;
                }
                let style = attr(e, b"style").unwrap_or_default();
                self.anchor = Some(AnchorBuf::vml(e, &style, name.as_ref().as_bytes()));
                self.extent = vml_size(&style).or(self.extent);
                return Ctx::Anchor;
            }
            b"group" if !empty && stack.within(Ctx::Run) => return Ctx::VmlGroup,
            b"anchor" if !empty && self.table_depth == 0 && self.anchor.is_none() && self.paragraph.is_some() => {
                self.floats += 1;
                if self.floats > MAX_FLOATS {
                    return Ctx::Skip;
                }
                self.anchor = Some(AnchorBuf::new(e));
                self.extent = None;
                return Ctx::Anchor;
            }
            // An empty paragraph written as `<w:p/>`: still in the default paragraph style,
            // so its line is that style's font's.
            b"p" if empty => self.end_paragraph(Paragraph::default()),
            b"p" => {
                self.paragraph = Some(Paragraph::default());
                return Ctx::Paragraph;
            }
            b"pPr" => return Ctx::ParaProps,
            b"r" if !empty => {
                self.run = Some(RunBuf::default());
                return Ctx::Run;
            }
            b"rPr" if self.run.is_some() => return Ctx::RunProps,
            b"t" => return Ctx::Text,
            b"instrText" => return Ctx::Instruction,
            b"tab" if self.run.is_some() && !stack.within(Ctx::ParaProps) => self.push_text("\t"),
            b"noBreakHyphen" => self.push_text("\u{2011}"),
            b"sym" => {
                let c = attr(e, b"char").and_then(|c| u32::from_str_radix(&c, 16).ok()).and_then(char::from_u32);
                self.push_text(&crate::layout::fonts::bullet_symbol(c.unwrap_or('•')).to_string());
            }
            b"br" | b"cr" if self.run.is_some() => {
                if attr(e, b"type").as_deref() == Some("page") {
                    if let Some(p) = self.paragraph.as_mut() {
                        p.break_after = true;
                    }
                } else if attr(e, b"type").as_deref() == Some("column") {
                    if let Some(p) = self.paragraph.as_mut() {
                        p.column_break_after = true;
                    }
                } else {
                    self.push_text("\n");
                }
            }
            b"footnoteReference" => {
                if let Some(id) = attr(e, b"id") {
                    if let Some(p) = self.paragraph.as_mut() {
                        p.notes.push(self.footnote_refs.len());
                    }
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
                return Ctx::SimpleField;
            }
            b"positionH" => return Ctx::PositionH,
            b"align" if parent == Some(Ctx::PositionH) => return Ctx::PositionAlign,
            b"drawing" => self.drawing_align = None,
            b"object" if stack.top() == Some(Ctx::Run) || stack.within(Ctx::Run) => {
                // The object's own size (`w:dxaOrig`, `w:dyaOrig`), until its VML shape says.
                self.extent = twips(e, b"dxaOrig").zip(twips(e, b"dyaOrig")).map(|(w, h)| (w.clamp(1.0, 5000.0), h.clamp(1.0, 5000.0)));
                if empty {
                    self.object_missing();
                } else {
                    self.object_shown = Some(false);
                    return Ctx::Object;
                }
            }
            b"extent" => {
                let emu = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).map(|v| (v / EMU_PER_POINT).clamp(1.0, 5000.0));
                self.extent = emu(b"cx").zip(emu(b"cy"));
            }
            b"shape" => {
                // A VML shape's size, for the picture inside it.
                if let Some(style) = attr(e, b"style") {
                    self.extent = vml_size(&style).or(self.extent);
                }
            }
            b"blip" | b"imagedata" | b"chart" | b"relIds" => {
                let rid = attr(e, b"embed").or_else(|| attr(e, b"id")).or_else(|| attr(e, b"dm"));
                let size = self.extent;
                // A picture only linked to (`r:link`, a file or web address) is never
                // fetched: a placeholder of its size shows where it would be.
                let linked = rid.is_none() && name.as_ref() == "blip" && attr(e, b"link").is_some();
                let loaded = match (rid, self.images.as_deref_mut()) {
                    (Some(rid), Some(images)) => match name.as_ref().as_bytes() {
                        b"chart" => images.chart(&rid, self.canvas, size),
                        b"relIds" => images.diagram(&rid, self.canvas, size),
                        _ => images.load(&rid, self.canvas, size),
                    },
                    _ => None,
                };
                let loaded = match (loaded, self.images.as_deref_mut()) {
                    (None, Some(images)) if linked => images.reserve(self.canvas, size, super::Figure::Missing("a linked picture, which is never fetched")),
                    (loaded, _) => loaded,
                };
                match loaded {
                    Some(image) if name.as_ref() == "blip" && stack.top() == Some(Ctx::BlipFill) => self.blip = Some((image, [0.0; 4])),
                    Some(image) => self.place_loaded(image, [0.0; 4]),
                    None => {}
                }
            }
            b"blipFill" if !empty => {
                self.blip = None;
                return Ctx::BlipFill;
            }
            b"srcRect" if stack.top() == Some(Ctx::BlipFill) => {
                if let Some((_, crop)) = self.blip.as_mut() {
                    *crop = crate::ooxml::source_rect(e);
                }
            }
            _ => match stack.nearest(|c| matches!(c, Ctx::RunProps | Ctx::ParaProps)) {
                Some(Ctx::RunProps) => {
                    if let Some(run) = self.run.as_mut() {
                        run_property(e, &mut run.props, &mut run.char_style);
                    }
                }
                Some(Ctx::ParaProps) => {
                    if let Some(p) = self.paragraph.as_mut() {
                        para_property(e, &mut p.props);
                    }
                }
                _ => {}
            },
        }
        Ctx::Other
    }

    fn end(&mut self, ctx: Ctx, _: &Stack<Ctx>) {
        match ctx {
            Ctx::Section => {
                if self.setup.is_none() {
                    self.setup = Some(self.section);
                }
                // The section that ends here gets its columns and its start where it began.
                let columns = std::mem::take(&mut self.section_columns).columns();
                let at = self.section_start.min(self.items.len());
                self.items.insert(at, Flow::Section { columns, new_page: self.section_new_page, inside: false });
                // A section break inside a paragraph: the next section starts after it.
                if let Some(p) = self.paragraph.as_mut() {
                    p.ends_section = true;
                }
            }
            Ctx::SimpleField => {
                self.fields.pop();
            }
            Ctx::BlipFill => {
                if let Some((image, crop)) = self.blip.take() {
                    self.place_loaded(image, crop);
                }
            }
            Ctx::Object => {
                if self.object_shown.take() == Some(false) {
                    self.object_missing();
                }
            }
            Ctx::Run => {
                if let (Some(r), Some(p)) = (self.run.take(), self.paragraph.as_mut()) {
                    p.runs.push(r);
                }
            }
            Ctx::Paragraph => {
                if let Some(p) = self.paragraph.take() {
                    self.end_paragraph(p);
                }
            }
            Ctx::TextBox => {
                if let Some(anchor) = self.anchor.as_mut() {
                    if let Some(start) = anchor.text_start.take() {
                        let start = start.min(self.items.len());
                        anchor.float.items.extend(self.items.drain(start..));
                        self.last_para = anchor.last_para.take();
                    }
                }
                if let Some((p, run)) = self.suspended.pop() {
                    self.paragraph = Some(p);
                    self.run = run;
                }
            }
            Ctx::Anchor => {
                let float = self.anchor.take().and_then(AnchorBuf::finish);
                match (float, self.paragraph.as_mut()) {
                    (Some(float), Some(p)) => p.floats.push(float),
                    (Some(float), None) => self.items.push(Flow::Float(float)),
                    _ => {}
                }
            }
            Ctx::Table => {
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

    fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
        let across = stack.nearest(|c| matches!(c, Ctx::PositionH | Ctx::PositionV)) == Some(Ctx::PositionH);
        match stack.top() {
            Some(Ctx::PositionAlign) => {
                let align = match text.trim() {
                    "center" => Align::Center,
                    "right" | "outside" | "bottom" => Align::End,
                    _ => Align::Start,
                };
                if across {
                    self.drawing_align = Some(align);
                }
                if let Some(anchor) = self.anchor.as_mut() {
                    *(if across { &mut anchor.float.x } else { &mut anchor.float.y }) = Place::Align(align);
                }
            }
            Some(Ctx::PosOffset) => {
                if let (Some(anchor), Ok(emu)) = (self.anchor.as_mut(), text.trim().parse::<f32>()) {
                    let points = (emu / EMU_PER_POINT).clamp(-5_000.0, 5_000.0);
                    *(if across { &mut anchor.float.x } else { &mut anchor.float.y }) = Place::At(if points.is_finite() { points } else { 0.0 });
                }
            }
            Some(Ctx::Instruction) => {
                if let Some(f) = self.fields.last_mut().filter(|f| f.instruction.len() < 4096) {
                    f.instruction.push_str(text);
                }
            }
            Some(Ctx::Text) if !self.in_replaced_result() => self.push_text(text),
            _ => {}
        }
    }
}

/// The footnotes referred to, in reference order, each as paragraphs led by its number.
pub(super) fn footnotes(xml: &[u8], ids: &[String], styles: &Styles, numbering: &Numbering) -> Vec<Vec<Flow>> {
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
                    let mut canvas = Canvas::new();
                    let parser = read(&xml[start..end.min(xml.len())], styles, numbering, None, &mut canvas);
                    notes.insert(id, parser.items);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let mut flows = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let mut flow = Vec::new();
        for (i, item) in notes.get(id).into_iter().flatten().enumerate() {
            let Flow::Para(block) = item else { continue };
            let mut block = block.clone();
            if i == 0 {
                let style = block.spans.first().map(|(_, s)| s.clone()).unwrap_or_default();
                block.spans.insert(0, (format!("{} ", n + 1), style));
            }
            flow.push(Flow::Para(block));
        }
        flows.push(flow);
    }
    flows
}

/// The line pitch of a part's document grid, in points, when its lines snap to one: the
/// last section's `w:docGrid` (the body's own, which most documents have alone).
fn doc_grid(xml: &[u8]) -> Option<f32> {
    let mut reader = ooxml::reader(xml);
    let mut grid = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "docGrid" => {
                let snaps = matches!(attr(&e, b"type").as_deref(), Some("lines" | "linesAndChars" | "snapToChars"));
                grid = twips(&e, b"linePitch").filter(|p| snaps && *p >= 5.0).map(|p| p.min(200.0));
            }
            Ok(Event::Eof) | Err(_) => return grid,
            _ => {}
        }
    }
}

/// A VML length (`12pt`, `1in`, `2.5cm`, `40px`; a bare number is in points).
fn vml_length(value: &str) -> Option<f32> {
    let value = value.trim();
    let (number, unit) = value.split_at(value.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(value.len()));
    let number = number.trim().parse::<f32>().ok()?;
    let points = number
        * match unit {
            "in" => 72.0,
            "cm" => 72.0 / 2.54,
            "mm" => 72.0 / 25.4,
            "px" => 0.75,
            _ => 1.0,
        };
    points.is_finite().then_some(points)
}

/// A VML colour: `#rrggbb`, `#rgb`, or a few names, before any `[index]` suffix.
fn vml_color(value: &str) -> Option<Rgb> {
    let value = value.split_whitespace().next()?;
    if let Some(hex) = value.strip_prefix('#') {
        return match hex.len() {
            3 => ooxml::hex_color(&hex.chars().flat_map(|c| [c, c]).collect::<String>()),
            _ => ooxml::hex_color(hex.get(..6)?),
        };
    }
    Some(match value {
        "black" => [0, 0, 0],
        "white" => [255, 255, 255],
        "red" => [255, 0, 0],
        "green" => [0, 128, 0],
        "blue" => [0, 0, 255],
        "yellow" => [255, 255, 0],
        "gray" | "grey" => [128, 128, 128],
        "silver" => [192, 192, 192],
        "navy" => [0, 0, 128],
        _ => return None,
    })
}

/// The width and height of a VML shape's `style` (`width:415.5pt;height:3in`), in points.
fn vml_size(style: &str) -> Option<(f32, f32)> {
    let mut size = (None, None);
    for part in style.split(';') {
        let Some((key, value)) = part.split_once(':') else { continue };
        let points = vml_length(value).map(|p| p.clamp(1.0, 5000.0));
        match key.trim() {
            "width" => size.0 = points,
            "height" => size.1 = points,
            _ => {}
        }
    }
    size.0.zip(size.1)
}

#[cfg(test)]
mod tests {
    use super::super::styles::parse_styles;
    use super::*;
    use crate::layout::paint::SpanStyle;

    /// The paragraphs of a document part, its page setup and whether it was cut short.
    fn parse_document(xml: &[u8], styles: &Styles) -> (Vec<Block>, PageSetup, bool) {
        let numbering = Numbering::default();
        let mut canvas = Canvas::new();
        let parser = read(xml, styles, &numbering, None, &mut canvas);
        let blocks = parser.items.iter().filter_map(|i| if let Flow::Para(b) = i { Some(b.clone()) } else { None }).collect();
        (blocks, parser.setup, parser.truncated)
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
    fn theme_fonts_come_from_the_theme() {
        let mut styles = parse_styles(
            br#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/></w:rPr></w:rPrDefault></w:docDefaults>
            <w:style w:type="paragraph" w:styleId="H"><w:rPr><w:rFonts w:asciiTheme="majorHAnsi"/></w:rPr></w:style></w:styles>"#,
        );
        styles.theme = super::super::styles::parse_theme(
            br#"<a:theme><a:themeElements><a:fontScheme><a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Georgia"/></a:minorFont></a:fontScheme></a:themeElements></a:theme>"#,
        );
        let doc = br#"<w:document><w:body><w:p><w:pPr><w:pStyle w:val="H"/></w:pPr><w:r><w:t>h</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:body></w:document>"#;
        let (blocks, _, _) = parse_document(doc, &styles);
        assert_eq!((blocks[0].spans[0].1.family.as_str(), blocks[1].spans[0].1.family.as_str()), ("Cambria", "Georgia"));
    }

    #[test]
    fn contextual_spacing_and_undefined_styles() {
        let styles = parse_styles(
            br#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:spacing w:before="100" w:after="200"/></w:pPr></w:pPrDefault></w:docDefaults>
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="List"><w:basedOn w:val="Normal"/><w:pPr><w:contextualSpacing/></w:pPr></w:style></w:styles>"#,
        );
        let doc = br#"<w:document><w:body>
            <w:p><w:pPr><w:pStyle w:val="List"/></w:pPr><w:r><w:t>one</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="List"/></w:pPr><w:r><w:t>two</w:t></w:r></w:p>
            <w:p><w:r><w:t>after</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Undefined"/></w:pPr><w:r><w:t>undefined</w:t></w:r></w:p>
        </w:body></w:document>"#;
        let (blocks, _, _) = parse_document(doc, &styles);
        let spacing: Vec<(f32, f32)> = blocks.iter().map(|b| (b.space_before, b.space_after)).collect();
        assert_eq!(spacing, vec![(5.0, 0.0), (0.0, 10.0), (5.0, 10.0), (5.0, 10.0)]);
        // A style the document does not define is the default paragraph style: 12 pt.
        assert_eq!(blocks[3].spans[0].1.size, 12.0);
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
