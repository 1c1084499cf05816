//! What a worksheet's drawing part anchors over its cells (SpreadsheetML drawing,
//! `xdr:wsDr`): charts, drawn from their caches, and pictures; anything else a drawing
//! frame holds (SmartArt, an Office 2016 chart, an object without a preview) becomes a
//! placeholder. An Excel 97-2003 sheet's OfficeArt drawing gives its pictures (and the
//! preview pictures of its embedded objects) the same way. Anchors are kept as cell
//! positions and placed on whichever printed pages they overlap.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use docsandbox_protocol::bytes::u16_at;

use super::{SheetModel, MAX_COLUMNS, MAX_ROWS};
use crate::formats::officeart::{shape_properties, Blips, Record, CLIENT_ANCHOR, DG_CONTAINER, SPGR_CONTAINER, SP_CONTAINER};
use crate::layout::paint::{Canvas, ImageRef, Painter};
use crate::layout::placeholder;
use crate::ooxml::chart::CellValue;
use crate::ooxml::color::Theme;
use crate::ooxml::package::Package;
use crate::ooxml::walk::{self, Handler, Stack};
use crate::ooxml::{self, attr};

/// Most anchored drawings read from one sheet, and pictures decoded from one workbook.
const MAX_DRAWINGS: usize = 200;
/// EMUs per point.
const EMU_PER_POINT: f32 = 12_700.0;

/// A cell position with an offset into the cell, in points: (column, dx, row, dy).
pub(super) type Marker = (u32, f32, u32, f32);

/// What a drawing shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Content {
    /// A chart part, by its path in the package.
    Chart(String),
    /// A picture part, by its path, and the part of it shown (`a:srcRect`, as
    /// [`Canvas::cropped`] takes it).
    Picture(String, [f32; 4]),
    /// A SmartArt diagram: the relationship id of its data part, and the drawing part's
    /// folder and relationships it is resolved with.
    Diagram(String, String, HashMap<String, String>),
    /// A drawn shape (rectangle, arrow, text box, connector): the drawing part's path and
    /// the shape's id (`cNvPr`), by which it is found again to draw.
    Shape(String, String),
    /// A picture read from an XLS's blip store.
    Image(std::rc::Rc<[u8]>),
    /// Content that is not drawn, named.
    Missing(String),
}

/// One anchored drawing: where it starts, where it ends (or its size), and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Anchored {
    pub(super) from: Marker,
    pub(super) to: Option<Marker>,
    /// Size in points, for anchors given by one cell and an extent.
    pub(super) size: Option<(f32, f32)>,
    pub(super) content: Content,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Ctx {
    Other,
    Skip,
    Anchor,
    From,
    To,
    Column,
    ColumnOffset,
    Row,
    RowOffset,
}

/// Reads a drawing part at `path`, its relationships resolved with `rels`.
pub(super) fn read(xml: &[u8], path: &str, rels: &HashMap<String, String>) -> Vec<Anchored> {
    let base = base_of(path);
    let mut reader =
        DrawingReader { path: path.to_owned(), base, rels, found: Vec::new(), anchor: None, marker: (0, 0.0, 0, 0.0), text: String::new(), shape: false };
    walk::walk(xml, &mut reader);
    reader.found
}

/// An anchor as far as it is read: from, to, size, content.
type Partial = (Option<Marker>, Option<Marker>, Option<(f32, f32)>, Option<Content>);

/// The folder of a part, with its slash.
fn base_of(path: &str) -> String {
    path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"))
}

struct DrawingReader<'r> {
    /// The drawing part's path and folder.
    path: String,
    base: String,
    rels: &'r HashMap<String, String>,
    found: Vec<Anchored>,
    /// The anchor being read.
    anchor: Option<Partial>,
    marker: Marker,
    text: String,
    /// A shape was opened directly in the anchor; its id comes with its `cNvPr`.
    shape: bool,
}

impl DrawingReader<'_> {
    fn target(&self, rid: Option<String>) -> Option<String> {
        Some(ooxml::resolve_target(&self.base, self.rels.get(&rid?)?))
    }

    fn content(&mut self, content: Content) {
        if let Some(anchor) = self.anchor.as_mut() {
            // The first content of an anchor wins (a group's first member).
            anchor.3.get_or_insert(content);
        }
    }
}

impl Handler for DrawingReader<'_> {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn done(&self) -> bool {
        self.found.len() >= MAX_DRAWINGS
    }

    fn start(&mut self, e: &BytesStart<'_>, _: bool, stack: &Stack<Ctx>) -> Ctx {
        let local = e.local_name();
        match local.as_ref().as_bytes() {
            b"twoCellAnchor" | b"oneCellAnchor" | b"absoluteAnchor" => {
                self.anchor = Some((None, None, None, None));
                self.shape = false;
                return Ctx::Anchor;
            }
            b"sp" | b"cxnSp" if stack.top() == Some(Ctx::Anchor) => self.shape = true,
            b"grpSp" if stack.top() == Some(Ctx::Anchor) => self.content(Content::Missing("a group of drawn shapes".into())),
            b"cNvPr" if self.shape => {
                self.shape = false;
                if let Some(id) = attr(e, b"id") {
                    self.content(Content::Shape(self.path.clone(), id));
                }
            }
            b"Choice" if !ooxml::choice_understood(&attr(e, b"Requires").unwrap_or_default()) => {
                if ooxml::choice_is_chartex(&attr(e, b"Requires").unwrap_or_default()) {
                    self.content(Content::Missing("an Office 2016 chart (chartex)".into()));
                }
                return Ctx::Skip;
            }
            b"from" if stack.top() == Some(Ctx::Anchor) => {
                self.marker = (0, 0.0, 0, 0.0);
                return Ctx::From;
            }
            b"to" if stack.top() == Some(Ctx::Anchor) => {
                self.marker = (0, 0.0, 0, 0.0);
                return Ctx::To;
            }
            b"col" if matches!(stack.top(), Some(Ctx::From | Ctx::To)) => return Ctx::Column,
            b"colOff" if matches!(stack.top(), Some(Ctx::From | Ctx::To)) => return Ctx::ColumnOffset,
            b"row" if matches!(stack.top(), Some(Ctx::From | Ctx::To)) => return Ctx::Row,
            b"rowOff" if matches!(stack.top(), Some(Ctx::From | Ctx::To)) => return Ctx::RowOffset,
            b"pos" if stack.top() == Some(Ctx::Anchor) => {
                // An absolute anchor: points from the sheet's corner, kept as an offset into A1.
                let emu = |k: &[u8]| {
                    attr(e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map_or(0.0, |v| (v / EMU_PER_POINT).clamp(0.0, 100_000.0))
                };
                if let Some(a) = self.anchor.as_mut() {
                    a.0 = Some((0, emu(b"x"), 0, emu(b"y")));
                }
            }
            b"ext" if stack.top() == Some(Ctx::Anchor) => {
                let emu = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| (v / EMU_PER_POINT).clamp(1.0, 10_000.0));
                if let Some(a) = self.anchor.as_mut() {
                    a.2 = emu(b"cx").zip(emu(b"cy"));
                }
            }
            b"chart" if stack.within(Ctx::Anchor) => {
                if let Some(path) = self.target(attr(e, b"id")) {
                    self.content(Content::Chart(path));
                }
            }
            b"blip" if stack.within(Ctx::Anchor) => {
                if let Some(path) = self.target(attr(e, b"embed")) {
                    self.content(Content::Picture(path, [0.0; 4]));
                }
            }
            b"srcRect" if stack.within(Ctx::Anchor) => {
                if let Some((_, _, _, Some(Content::Picture(_, crop)))) = self.anchor.as_mut() {
                    *crop = ooxml::source_rect(e);
                }
            }
            b"relIds" if stack.within(Ctx::Anchor) => {
                let content = match attr(e, b"dm") {
                    Some(rid) => Content::Diagram(rid, self.base.clone(), self.rels.clone()),
                    None => Content::Missing("a SmartArt diagram without its cached drawing".into()),
                };
                self.content(content);
            }
            _ => {}
        }
        Ctx::Other
    }

    fn end(&mut self, ctx: Ctx, _: &Stack<Ctx>) {
        match ctx {
            Ctx::Column | Ctx::ColumnOffset | Ctx::Row | Ctx::RowOffset => {
                let text = std::mem::take(&mut self.text);
                let number = text.trim().parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(0.0);
                let cell = number.clamp(0.0, 1_048_575.0) as u32;
                let offset = (number / f64::from(EMU_PER_POINT)).clamp(0.0, 10_000.0) as f32;
                match ctx {
                    Ctx::Column => self.marker.0 = cell,
                    Ctx::ColumnOffset => self.marker.1 = offset,
                    Ctx::Row => self.marker.2 = cell,
                    _ => self.marker.3 = offset,
                }
            }
            Ctx::From | Ctx::To => {
                if let Some(a) = self.anchor.as_mut() {
                    if ctx == Ctx::From {
                        a.0 = Some(self.marker);
                    } else {
                        a.1 = Some(self.marker);
                    }
                }
            }
            Ctx::Anchor => {
                if let Some((Some(from), to, size, Some(content))) = self.anchor.take() {
                    if to.is_some() || size.is_some() {
                        self.found.push(Anchored { from, to, size, content });
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
        if matches!(stack.top(), Some(Ctx::Column | Ctx::ColumnOffset | Ctx::Row | Ctx::RowOffset)) && self.text.len() < 32 {
            self.text.push_str(text);
        }
    }
}

/// Draws anchored content into figures, once each, for every page it is placed on.
pub(super) struct Media<'p, 'd, 'm> {
    /// The workbook's sheets, whose cells charts without caches refer to.
    sheets: &'m [SheetModel],
    pub(super) package: Option<&'p mut Package<'d>>,
    pub(super) theme: Theme,
    /// Figures already drawn, by sheet and drawing index.
    figures: HashMap<(usize, usize), Option<ImageRef>>,
    pictures: usize,
    /// What is not shown, for the report.
    pub(super) missing: Vec<String>,
}

impl<'p, 'd, 'm> Media<'p, 'd, 'm> {
    pub(super) fn new(package: Option<&'p mut Package<'d>>, theme: Theme, sheets: &'m [SheetModel]) -> Self {
        Media { sheets, package, theme, figures: HashMap::new(), pictures: 0, missing: Vec::new() }
    }

    /// The figure or picture of drawing `index` of sheet `sheet`, `size` points large.
    pub(super) fn figure(
        &mut self,
        painter: &mut Painter,
        canvas: &mut Canvas,
        (sheet, index): (usize, usize),
        anchored: &Anchored,
        size: (f32, f32),
        name: &str,
    ) -> Option<ImageRef> {
        if let Some(done) = self.figures.get(&(sheet, index)) {
            return *done;
        }
        let made = self.make(painter, canvas, anchored, size, name);
        self.figures.insert((sheet, index), made);
        made
    }

    fn make(&mut self, painter: &mut Painter, canvas: &mut Canvas, anchored: &Anchored, size: (f32, f32), name: &str) -> Option<ImageRef> {
        let read = |package: &mut Option<&mut Package>, path: &str| package.as_deref_mut().and_then(|p| p.read(path).ok());
        let missing = |media: &mut Self, painter: &mut Painter, canvas: &mut Canvas, what: &str| {
            media.missing.push(format!("sheet {name:?}: {what}"));
            let figure = canvas.add_figure(size.0, size.1)?;
            placeholder::draw(painter, canvas, figure, what);
            Some(figure)
        };
        match &anchored.content {
            Content::Chart(path) => {
                let Some(xml) = read(&mut self.package, path) else { return missing(self, painter, canvas, "a chart whose part is missing") };
                let figure = canvas.add_figure(size.0, size.1)?;
                let sheets = self.sheets;
                let lookup = move |reference: &str| cells(sheets, reference);
                for what in ooxml::chart::show(&xml, &self.theme, ooxml::chart::Host::Page, Some(&lookup), painter, canvas, figure) {
                    self.missing.push(format!("sheet {name:?}: {what}"));
                }
                Some(figure)
            }
            Content::Picture(..) | Content::Image(_) => {
                if self.pictures >= MAX_DRAWINGS {
                    return None;
                }
                self.pictures += 1;
                let (bytes, crop) = match &anchored.content {
                    Content::Picture(path, crop) => (read(&mut self.package, path)?.into(), *crop),
                    Content::Image(bytes) => (bytes.clone(), [0.0; 4]),
                    _ => return None,
                };
                match crate::layout::metafile::picture(&bytes, painter, canvas, Some(size)) {
                    Ok(image) => Some(canvas.cropped(image, crop, size)),
                    Err(what) => missing(self, painter, canvas, what),
                }
            }
            Content::Diagram(rid, base, rels) => {
                let Some(package) = self.package.as_deref_mut() else { return missing(self, painter, canvas, "a SmartArt diagram without its cached drawing") };
                let figure = canvas.add_figure(size.0, size.1)?;
                let shown = ooxml::diagram_drawing(package, rels, base, rid)
                    .is_some_and(|part| crate::formats::pptx::draw_diagram(package, &part, &self.theme, painter, canvas, figure));
                if shown {
                    Some(figure)
                } else {
                    missing(self, painter, canvas, "a SmartArt diagram without its cached drawing")
                }
            }
            Content::Shape(path, id) => {
                let shown = match (read(&mut self.package, path), self.package.as_deref_mut()) {
                    (Some(xml), Some(package)) => shape_fragment(&xml, id).and_then(|fragment| {
                        let figure = canvas.add_figure(size.0, size.1)?;
                        if crate::formats::pptx::draw_shape(package, fragment, &self.theme, painter, canvas, figure, size) {
                            Some(figure)
                        } else {
                            canvas.discard_figure(figure);
                            None
                        }
                    }),
                    _ => None,
                };
                shown.or_else(|| missing(self, painter, canvas, "a drawn shape that could not be read"))
            }
            Content::Missing(what) => missing(self, painter, canvas, what),
        }
    }
}

/// The pictures of an XLS sheet's OfficeArt `drawing` (its shapes with a blip, from the
/// workbook's blip store: pictures and the previews of embedded objects), anchored by
/// their client anchors (a column and 1/1024 of its width, a row and 1/256 of its height,
/// for each corner), with the sheet's cells sized as `model` sizes them.
pub(super) fn read_officeart(drawing: &[u8], blips: &mut Blips, model: &SheetModel) -> Vec<Anchored> {
    let mut found = Vec::new();
    let Some((dg, _)) = Record::at(drawing, 0).filter(|(r, _)| r.kind == DG_CONTAINER) else { return found };
    // Shapes at any depth of the group tree, as far as the caps allow.
    let mut stack = vec![(dg, 0usize)];
    while let Some((container, depth)) = stack.pop() {
        for child in container.children() {
            if found.len() >= MAX_DRAWINGS {
                return found;
            }
            match child.kind {
                SPGR_CONTAINER if depth < 16 => stack.push((child, depth + 1)),
                SP_CONTAINER => found.extend(officeart_picture(child, blips, model)),
                _ => {}
            }
        }
    }
    found
}

fn officeart_picture(shape: Record, blips: &mut Blips, model: &SheetModel) -> Option<Anchored> {
    let pib = shape_properties(shape).get(&0x0104)?.0;
    let anchor = shape.child(CLIENT_ANCHOR)?.body;
    let field = |i: usize| u16_at(anchor, 2 + i * 2).map(u32::from);
    let marker = |col: u32, dx: u32, row: u32, dy: u32| {
        let (col, row) = (col.min(MAX_COLUMNS - 1), row.min(MAX_ROWS - 1));
        (col, model.width(col) * dx.min(1024) as f32 / 1024.0, row, model.height(row) * dy.min(256) as f32 / 256.0)
    };
    let from = marker(field(0)?, field(1)?, field(2)?, field(3)?);
    let to = marker(field(4)?, field(5)?, field(6)?, field(7)?);
    let content = match blips.get(pib) {
        Some(bytes) => Content::Image(bytes),
        None => Content::Missing("a picture missing from the workbook".into()),
    };
    Some(Anchored { from, to: Some(to), size: None, content })
}

/// The XML of the shape (`sp`, `cxnSp`) whose own `cNvPr` has `id`, from a drawing part.
fn shape_fragment<'x>(xml: &'x [u8], id: &str) -> Option<&'x [u8]> {
    let mut reader = ooxml::reader(xml);
    // Open shapes: where each starts, and whether its id was the one wanted.
    let mut open: Vec<(usize, bool, bool)> = Vec::new();
    loop {
        let before = usize::try_from(reader.buffer_position()).ok()?;
        match reader.read_event() {
            Ok(Event::Start(e)) if matches!(e.local_name().as_ref().as_bytes(), b"sp" | b"cxnSp") => {
                if open.len() >= 64 {
                    return None;
                }
                open.push((before, false, false));
            }
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref().as_bytes() == b"cNvPr" => {
                if let Some((_, seen, matched)) = open.last_mut().filter(|(_, seen, _)| !seen) {
                    (*seen, *matched) = (true, attr(&e, b"id").as_deref() == Some(id));
                }
            }
            Ok(Event::End(e)) if matches!(e.local_name().as_ref().as_bytes(), b"sp" | b"cxnSp") => {
                if let Some((start, _, true)) = open.pop() {
                    return xml.get(start..usize::try_from(reader.buffer_position()).ok()?);
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// The cells of `reference` (`Sheet1!$B$2:$B$5`, `'My data'!A1`) among `sheets`, in
/// reading order. References to other workbooks (`[1]Sheet1!A1`), defined names and unions
/// resolve to nothing.
fn cells(sheets: &[SheetModel], reference: &str) -> Option<Vec<Option<CellValue>>> {
    let (sheet, range) = reference.trim().rsplit_once('!')?;
    let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => sheet.to_owned(),
    };
    if sheet.contains('[') || range.contains(',') {
        return None;
    }
    let model = sheets.iter().find(|m| m.name.eq_ignore_ascii_case(&sheet))?;
    let (first, last) = range.split_once(':').unwrap_or((range, range));
    let ((r0, c0), (r1, c1)) = (cell_position(first)?, cell_position(last)?);
    let (rows, columns) = (r0.min(r1)..=r0.max(r1), c0.min(c1)..=c0.max(c1));
    if rows.clone().count().saturating_mul(columns.clone().count()) > ooxml::chart::MAX_POINTS {
        return None;
    }
    let mut out = Vec::new();
    for r in rows {
        for c in columns.clone() {
            out.push(model.cells.get(&(r, c)).map(|(text, ..)| CellValue { text: text.clone(), number: model.numbers.get(&(r, c)).copied() }));
        }
    }
    Some(out)
}

/// A cell's zero-based (row, column) from `$B$2` or `B2`.
fn cell_position(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.trim().replace('$', "");
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let column = letters.chars().fold(0u32, |n, c| n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)) - 1;
    let row: u32 = digits.parse().ok().filter(|r| (1..=1_048_576).contains(r))?;
    Some((row - 1, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::officeart::FOPT;

    fn record(version: u16, kind: u16, body: &[u8]) -> Vec<u8> {
        [version.to_le_bytes().to_vec(), kind.to_le_bytes().to_vec(), (body.len() as u32).to_le_bytes().to_vec(), body.to_vec()].concat()
    }

    #[test]
    fn xls_pictures_are_anchored_by_their_cells_and_bad_drawings_end() {
        // A picture shape (blip 1) from B2 at half its width to D4, then a shape without a
        // blip, which is not a picture.
        let opt = record(0x13, FOPT, &[0x0104u16.to_le_bytes().to_vec(), 1u32.to_le_bytes().to_vec()].concat());
        let anchor: Vec<u8> = [0u16, 1, 512, 1, 0, 3, 0, 3, 128].iter().flat_map(|v| v.to_le_bytes()).collect();
        let picture = record(0x0F, SP_CONTAINER, &[opt.clone(), record(0, CLIENT_ANCHOR, &anchor)].concat());
        let plain = record(0x0F, SP_CONTAINER, &record(0, CLIENT_ANCHOR, &anchor));
        let drawing = record(0x0F, DG_CONTAINER, &record(0x0F, SPGR_CONTAINER, &[picture, plain].concat()));
        let model = SheetModel { default_column: Some(40.0), default_row: Some(20.0), ..Default::default() };
        let mut blips = Blips::from_entries(Vec::new(), &[]);
        let found = read_officeart(&drawing, &mut blips, &model);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].from, (1, 20.0, 1, 0.0));
        assert_eq!(found[0].to, Some((3, 0.0, 3, 10.0)));
        // The store has no such picture: a placeholder says so.
        assert!(matches!(found[0].content, Content::Missing(_)));
        // Cut anywhere, or nested past the depth cap, a drawing ends without a panic.
        for cut in 0..drawing.len() {
            let _ = read_officeart(&drawing[..cut], &mut blips, &model);
        }
        let mut deep = record(0x0F, SP_CONTAINER, &[opt, record(0, CLIENT_ANCHOR, &anchor)].concat());
        for _ in 0..10_000 {
            deep = record(0x0F, SPGR_CONTAINER, &deep);
        }
        assert!(read_officeart(&record(0x0F, DG_CONTAINER, &deep), &mut blips, &model).is_empty());
    }

    #[test]
    fn chart_references_resolve_to_the_cells_they_name() {
        assert_eq!(cell_position("$B$2"), Some((1, 1)));
        assert_eq!(cell_position("AA10"), Some((9, 26)));
        assert_eq!(cell_position("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in ["B0", "B1048577", "ABCD1", "12", "B", "B-1"] {
            assert_eq!(cell_position(bad), None, "{bad}");
        }
        let mut sheet = SheetModel { name: "My 'data'".into(), ..Default::default() };
        sheet.cells.insert((1, 1), ("1,5".into(), Default::default(), true));
        sheet.numbers.insert((1, 1), 1.5);
        sheet.cells.insert((3, 1), ("n/a".into(), Default::default(), false));
        let sheets = [sheet];
        let found = cells(&sheets, "'My ''data'''!$B$2:$B$4").unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], Some(CellValue { text: "1,5".into(), number: Some(1.5) }));
        assert_eq!(found[1], None);
        assert_eq!(found[2], Some(CellValue { text: "n/a".into(), number: None }));
        // Other workbooks, unions, unknown sheets and huge ranges resolve to nothing.
        for reference in ["[1]Sheet1!$B$2", "'My ''data'''!B2,'My ''data'''!B3", "Other!B2", "'My ''data'''!A1:XFD1048576", "B2"] {
            assert_eq!(cells(&sheets, reference), None, "{reference}");
        }
    }

    #[test]
    fn anchors_read_with_their_cells_offsets_and_content() {
        let rels: HashMap<String, String> =
            [("rId1".to_owned(), "../charts/chart1.xml".to_owned()), ("rId2".to_owned(), "../media/image1.png".to_owned())].into();
        let xml = br#"<xdr:wsDr xmlns:xdr="x" xmlns:a="a" xmlns:r="r" xmlns:c="c">
          <xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>127000</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
            <xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>15</xdr:row><xdr:rowOff>63500</xdr:rowOff></xdr:to>
            <xdr:graphicFrame><a:graphic><a:graphicData><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>
          <xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="1270000" cy="635000"/>
            <xdr:pic><xdr:blipFill><a:blip r:embed="rId2"/></xdr:blipFill></xdr:pic></xdr:oneCellAnchor>
          <xdr:twoCellAnchor><xdr:from><xdr:col>-5</xdr:col><xdr:row>99999999999</xdr:row></xdr:from><xdr:to><xdr:col>1</xdr:col><xdr:row>1</xdr:row></xdr:to><xdr:sp/></xdr:twoCellAnchor>
        </xdr:wsDr>"#;
        let found = read(xml, "xl/drawings/drawing1.xml", &rels);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            Anchored { from: (3, 10.0, 1, 0.0), to: Some((9, 0.0, 15, 5.0)), size: None, content: Content::Chart("xl/charts/chart1.xml".into()) }
        );
        assert_eq!(found[1].size, Some((100.0, 50.0)));
        assert_eq!(found[1].content, Content::Picture("xl/media/image1.png".into(), [0.0; 4]));
    }
}
