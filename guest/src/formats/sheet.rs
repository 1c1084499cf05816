//! Spreadsheets (XLSX, XLS, ODS): values from calamine, laid out as printed pages.
//!
//! Each visible sheet becomes pages (down, then across, as Excel prints), each headed by a
//! caption naming the sheet. For XLSX the sheet XML also gives column widths, row heights,
//! hidden rows and columns, merged cells, and calamine gives fonts, fills, borders,
//! alignment and number formats; XLS gives values and merges; ODS gives values. A print
//! area, when defined, limits what is shown. Cells are read sparsely and capped, so a cell
//! at XFD1048576 costs one cell, not a billion.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{Data, DataRef, Reader, SheetType, SheetVisible, Sheets, Style};
use docsandbox_protocol::{FailureKind, FindingKind, Format};
use quick_xml::events::Event;

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Align, Block, Canvas, Painter, Rgb, ShapeKind, SpanStyle};
use crate::ooxml::package::Package;
use crate::ooxml::{self, attr};
use crate::report::Report;

/// Cells kept from one workbook, over all sheets; the rest is cut and reported.
const MAX_CELLS: usize = 200_000;
/// Rows and columns shown per sheet (a used range past these is cut and reported).
pub const MAX_ROWS: u32 = 20_000;
const MAX_COLUMNS: u32 = 512;
/// Page: A4 portrait with Excel's default margins (0.7 in sides, 0.75 in top and bottom).
const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN_X: f32 = 50.4;
const MARGIN_Y: f32 = 54.0;
/// Height of the caption naming the sheet, above the cells.
const CAPTION: f32 = 18.0;
/// Excel's default column width (8.43 characters = 64 px) and row height (20 px), in points.
const DEFAULT_COLUMN: f32 = 48.0;
const DEFAULT_ROW: f32 = 15.0;
const GRID: Rgb = [0xD9, 0xD9, 0xD9];

/// How one cell looks.
#[derive(Debug, Clone, Default)]
struct Look {
    font: SpanStyle,
    fill: Option<Rgb>,
    align: Option<Align>,
    wrap: bool,
    borders: [Option<(Rgb, f32)>; 4],
    format: String,
}

/// A cell range: (first row, first column), (last row, last column), zero-based.
type CellRange = ((u32, u32), (u32, u32));

/// A sheet ready to lay out: cells by (row, column) and its geometry.
#[derive(Default)]
struct SheetModel {
    name: String,
    cells: BTreeMap<(u32, u32), (String, Look, bool)>,
    widths: HashMap<u32, f32>,
    heights: HashMap<u32, f32>,
    hidden_columns: Vec<(u32, u32)>,
    hidden_rows: Vec<u32>,
    merges: Vec<((u32, u32), (u32, u32))>,
    print_area: Option<((u32, u32), (u32, u32))>,
}

/// Renders a workbook read by calamine; `package` is the XLSX or ODS package (for
/// findings and XLSX layout), if any.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let format = input.format.unwrap_or(Format::Xlsx);
    let report = job.new_report();
    render_with_report(job, format, input.package, report);
}

/// [`render`], adding to findings already made.
pub fn render_with_report(job: Job<'_, '_>, format: Format, package: Option<Package>, mut report: Report) {
    let request = job.request;
    let mut package = package;
    if let Some(p) = package.as_mut() {
        ooxml::findings(p, &mut report);
    }
    let mut workbook = match open(format, request.document) {
        Ok(w) => w,
        Err((kind, message)) => {
            return job.refuse(format, &report.finish(), kind, &format!("cannot read the workbook: {message}"));
        }
    };
    let layout_paths = package.as_mut().map(sheet_paths).unwrap_or_default();
    let print_areas = print_areas(workbook.defined_names());
    let mut models = Vec::new();
    let mut budget = MAX_CELLS;
    for sheet in workbook.sheets_metadata().to_vec() {
        if sheet.visible != SheetVisible::Visible {
            report.add(FindingKind::HiddenSheet, &sheet.name);
            continue;
        }
        if sheet.typ == SheetType::MacroSheet {
            report.add(FindingKind::Excel4Macros, &format!("macro sheet {:?} (not shown)", sheet.name));
            continue;
        }
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        let mut model = SheetModel { name: sheet.name.clone(), print_area: print_areas.get(&sheet.name).copied(), ..Default::default() };
        let cut = read_cells(&mut workbook, &mut model, &mut budget);
        if let (Some(p), Some(path)) = (package.as_mut(), layout_paths.get(&sheet.name)) {
            if let Ok(xml) = p.read(path) {
                read_layout(&xml, &mut model);
            }
        }
        if let Sheets::Xls(xls) = &workbook {
            for d in xls.merge_cells_by_sheet_name(&sheet.name).unwrap_or_default() {
                model.merges.push((d.start, d.end));
            }
        }
        if cut {
            report.add(
                FindingKind::ContentTruncated,
                &format!("sheet {:?}: only the first {MAX_ROWS} rows, {MAX_COLUMNS} columns and {MAX_CELLS} cells are shown", sheet.name),
            );
        }
        models.push(model);
    }
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let mut pages = Vec::new();
    for (index, model) in models.iter().enumerate() {
        for band in bands(model) {
            pages.push((index, band));
        }
    }
    if pages.is_empty() {
        // An empty workbook still shows a page saying so.
        let page = canvas.add_page(PAGE.0, PAGE.1);
        let text = painter.text(&mut canvas, &caption("(no visible cells)"), None);
        canvas.text(page, &text, MARGIN_X, MARGIN_Y);
    }
    let wanted: Vec<u32> = paint::requested_pages(&request, pages.len() as u32).collect();
    for (number, (index, band)) in pages.iter().enumerate() {
        let page = canvas.add_page(PAGE.0, PAGE.1);
        if wanted.contains(&(number as u32 + 1)) {
            draw_band(&mut painter, &mut canvas, page, &models[*index], band);
        }
    }
    job.begin(format, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
}

/// Opens a workbook with the reader for its format, so errors say what went wrong.
fn open(format: Format, bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, (FailureKind, String)> {
    let cursor = Cursor::new(bytes);
    let opened = match format {
        Format::Xls => calamine::Xls::new(cursor).map(Sheets::Xls).map_err(|e| (matches!(e, calamine::XlsError::Password), e.to_string())),
        Format::Ods => calamine::Ods::new(cursor).map(Sheets::Ods).map_err(|e| (matches!(e, calamine::OdsError::Password), e.to_string())),
        _ => calamine::Xlsx::new(cursor).map(Sheets::Xlsx).map_err(|e| (matches!(e, calamine::XlsxError::Password), e.to_string())),
    };
    opened.map_err(|(password, message)| (if password { FailureKind::PasswordRequired } else { FailureKind::Malformed }, message))
}

fn caption(text: &str) -> Block {
    let style = SpanStyle { family: "Liberation Sans".into(), size: 9.0, bold: true, color: [0x40, 0x40, 0x40], ..Default::default() };
    Block { spans: vec![(text.to_owned(), style)], line_height: 1.0, ..Default::default() }
}

/// Reads a sheet's values (and, for XLSX, styles) into the model. Returns whether the caps
/// cut it.
fn read_cells(workbook: &mut Sheets<Cursor<&[u8]>>, model: &mut SheetModel, budget: &mut usize) -> bool {
    let mut cut = false;
    let mut keep = |model: &mut SheetModel, (row, col): (u32, u32), text: String, look: Look, numeric: bool| {
        if text.is_empty() && look.fill.is_none() && look.borders.iter().all(Option::is_none) {
            return;
        }
        if row >= MAX_ROWS || col >= MAX_COLUMNS || *budget == 0 {
            cut = true;
            return;
        }
        *budget -= 1;
        model.cells.insert((row, col), (text, look, numeric));
    };
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let styles = xlsx.worksheet_style(&model.name).ok();
            let Ok(mut reader) = xlsx.worksheet_cells_reader(&model.name) else { return false };
            while let Ok(Some(cell)) = reader.next_cell() {
                let pos = cell.get_position();
                let look = styles.as_ref().and_then(|s| s.get(pos)).map(look_of).unwrap_or_default();
                let (text, numeric) = display_ref(cell.get_value(), &look.format);
                keep(model, pos, text, look, numeric);
            }
        }
        other => {
            let Ok(range) = other.worksheet_range(&model.name) else { return false };
            for (row, col, value) in range.used_cells() {
                let start = range.start().unwrap_or((0, 0));
                let pos = (start.0 + row as u32, start.1 + col as u32);
                let (text, numeric) = display(value, "");
                keep(model, pos, text, Look::default(), numeric);
            }
        }
    }
    cut
}

/// A calamine style as a cell look.
fn look_of(style: &Style) -> Look {
    let rgb = |c: &calamine::Color| [c.red, c.green, c.blue];
    let mut look = Look { font: SpanStyle { family: "Calibri".into(), size: 11.0, ..Default::default() }, ..Default::default() };
    if let Some(font) = &style.font {
        if let Some(name) = &font.name {
            look.font.family = name.clone();
        }
        look.font.size = font.size.map_or(11.0, |s| (s as f32).clamp(1.0, 200.0));
        look.font.bold = font.is_bold();
        look.font.italic = font.is_italic();
        look.font.underline = font.has_underline();
        look.font.strike = font.has_strikethrough();
        if let Some(c) = &font.color {
            look.font.color = rgb(c);
        }
    }
    if let Some(fill) = style.fill.as_ref().filter(|f| f.is_visible()) {
        look.fill = fill.get_color().map(|c| rgb(&c));
    }
    if let Some(alignment) = &style.alignment {
        use calamine::HorizontalAlignment as H;
        look.align = match alignment.horizontal {
            H::Left => Some(Align::Start),
            H::Center | H::CenterContinuous => Some(Align::Center),
            H::Right => Some(Align::End),
            H::Justify | H::Distributed => Some(Align::Justify),
            _ => None,
        };
        look.wrap = alignment.wrap_text;
    }
    if let Some(borders) = &style.borders {
        let side = |b: &calamine::Border| {
            use calamine::BorderStyle as B;
            let width = match b.style {
                B::None => return None,
                B::Medium | B::MediumDashed | B::MediumDashDot | B::MediumDashDotDot | B::Double => 1.0,
                B::Thick => 1.5,
                _ => 0.5,
            };
            Some((b.color.as_ref().map_or([0, 0, 0], rgb), width))
        };
        look.borders = [side(&borders.top), side(&borders.right), side(&borders.bottom), side(&borders.left)];
    }
    if let Some(format) = &style.number_format {
        look.format = format.format_code.clone();
    }
    look
}

/// Column widths, row heights, hidden rows and columns and merged cells from a sheet's XML.
fn read_layout(xml: &[u8], model: &mut SheetModel) {
    let mut reader = ooxml::reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"col" => {
                    let n = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                    let (Some(min), Some(max)) = (n(b"min"), n(b"max")) else { continue };
                    let (min, max) = (min.saturating_sub(1).min(MAX_COLUMNS), max.saturating_sub(1).min(MAX_COLUMNS));
                    if attr(&e, b"hidden").is_some_and(|h| h == "1" || h == "true") {
                        model.hidden_columns.push((min, max));
                    }
                    if let Some(width) = attr(&e, b"width").and_then(|v| v.parse::<f32>().ok()).filter(|w| w.is_finite()) {
                        for c in min..=max {
                            model.widths.insert(c, (width.clamp(0.0, 255.0) * 5.25 + 3.75).min(800.0));
                        }
                    }
                }
                b"row" => {
                    let Some(row) = attr(&e, b"r").and_then(|v| v.parse::<u32>().ok()).map(|r| r.saturating_sub(1)) else { continue };
                    if row >= MAX_ROWS {
                        continue;
                    }
                    if attr(&e, b"hidden").is_some_and(|h| h == "1" || h == "true") {
                        model.hidden_rows.push(row);
                    }
                    if let Some(ht) = attr(&e, b"ht").and_then(|v| v.parse::<f32>().ok()).filter(|h| h.is_finite()) {
                        model.heights.insert(row, ht.clamp(0.0, 409.0));
                    }
                }
                b"mergeCell" => {
                    if let Some(range) = attr(&e, b"ref").and_then(|r| parse_range(&r)) {
                        if model.merges.len() < 10_000 {
                            model.merges.push(range);
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => return,
            _ => {}
        }
    }
}

/// Sheet name -> sheet XML entry, from the workbook part and its relationships.
fn sheet_paths(package: &mut Package) -> HashMap<String, String> {
    let rels = package.read("xl/_rels/workbook.xml.rels").map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
    let mut paths = HashMap::new();
    let Ok(xml) = package.read("xl/workbook.xml") else { return paths };
    let mut reader = ooxml::reader(&xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref().as_bytes() == b"sheet" => {
                if let (Some(name), Some(target)) = (attr(&e, b"name"), attr(&e, b"id").and_then(|id| rels.get(&id))) {
                    paths.insert(name, ooxml::resolve_target("xl/", target));
                }
            }
            Ok(Event::Eof) | Err(_) => return paths,
            _ => {}
        }
    }
}

/// Print areas from the defined names: `_xlnm.Print_Area` = `'Sheet 1'!$A$1:$D$20`.
fn print_areas(names: &[(String, String)]) -> HashMap<String, CellRange> {
    let mut areas = HashMap::new();
    for (name, formula) in names {
        if !name.eq_ignore_ascii_case("_xlnm.Print_Area") && !name.eq_ignore_ascii_case("Print_Area") {
            continue;
        }
        // Only the first area of a multi-area print range.
        let first = formula.split(',').next().unwrap_or_default();
        let Some((sheet, range)) = first.rsplit_once('!') else { continue };
        let sheet = sheet.trim_matches('\'').replace("''", "'");
        if let Some(range) = parse_range(&range.replace('$', "")) {
            areas.insert(sheet, range);
        }
    }
    areas
}

/// `B2:D10` (or `B2`) as zero-based ((row, col), (row, col)).
fn parse_range(text: &str) -> Option<((u32, u32), (u32, u32))> {
    let mut parts = text.split(':');
    let a = parse_cell(parts.next()?)?;
    let b = parts.next().map_or(Some(a), parse_cell)?;
    Some(((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1))))
}

fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = text[..letters].bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: u32 = text[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// A page's share of a sheet: the rows and columns it shows.
#[derive(Debug, Clone)]
struct Band {
    rows: Vec<u32>,
    columns: Vec<u32>,
}

impl SheetModel {
    fn width(&self, col: u32) -> f32 {
        if self.hidden_columns.iter().any(|(a, b)| (*a..=*b).contains(&col)) {
            return 0.0;
        }
        self.widths.get(&col).copied().unwrap_or(DEFAULT_COLUMN)
    }

    fn height(&self, row: u32) -> f32 {
        if self.hidden_rows.contains(&row) {
            return 0.0;
        }
        self.heights.get(&row).copied().unwrap_or(DEFAULT_ROW)
    }

    /// The range shown: the print area, or from A1 to the last used cell.
    fn shown(&self) -> Option<((u32, u32), (u32, u32))> {
        if let Some(((r0, c0), (r1, c1))) = self.print_area {
            return Some(((r0, c0), (r1.min(MAX_ROWS - 1), c1.min(MAX_COLUMNS - 1))));
        }
        let last_row = self.cells.keys().map(|k| k.0).max()?;
        let last_col = self.cells.keys().map(|k| k.1).max()?;
        let first_row = self.cells.keys().map(|k| k.0).min()?;
        let first_col = self.cells.keys().map(|k| k.1).min()?;
        Some(((first_row, first_col), (last_row, last_col)))
    }
}

/// Splits the shown range into pages: down first, then across.
fn bands(model: &SheetModel) -> Vec<Band> {
    let Some(((r0, c0), (r1, c1))) = model.shown() else { return Vec::new() };
    let (page_w, page_h) = (PAGE.0 - 2.0 * MARGIN_X, PAGE.1 - 2.0 * MARGIN_Y - CAPTION);
    let split = |items: Vec<u32>, size: &dyn Fn(u32) -> f32, limit: f32| {
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut used = f32::INFINITY;
        for i in items {
            let s = size(i);
            if s <= 0.0 {
                continue;
            }
            if used + s > limit {
                groups.push(Vec::new());
                used = 0.0;
            }
            used += s;
            groups.last_mut().expect("a group").push(i);
        }
        groups
    };
    let column_groups = split((c0..=c1).collect(), &|c| model.width(c), page_w);
    let row_groups = split((r0..=r1).collect(), &|r| model.height(r), page_h);
    let mut bands = Vec::new();
    for columns in &column_groups {
        let (Some(&first), Some(&last)) = (columns.first(), columns.last()) else { continue };
        for rows in &row_groups {
            // Pages with nothing on them are not printed, as Excel does.
            if rows.iter().any(|&r| model.cells.range((r, first)..=(r, last)).next().is_some()) {
                bands.push(Band { rows: rows.clone(), columns: columns.clone() });
            }
        }
    }
    bands
}

/// Draws one page of a sheet: caption, fills, gridlines, text, borders.
fn draw_band(painter: &mut Painter, canvas: &mut Canvas, page: usize, model: &SheetModel, band: &Band) {
    let caption_text = painter.text(canvas, &caption(&model.name), Some(PAGE.0 - 2.0 * MARGIN_X));
    canvas.text(page, &caption_text, MARGIN_X, MARGIN_Y);
    let top = MARGIN_Y + CAPTION;
    let mut xs = HashMap::new();
    let mut x = MARGIN_X;
    for &c in &band.columns {
        xs.insert(c, (x, model.width(c)));
        x += model.width(c);
    }
    let mut ys = HashMap::new();
    let mut y = top;
    for &r in &band.rows {
        ys.insert(r, (y, model.height(r)));
        y += model.height(r);
    }
    let (right, bottom) = (x, y);
    // Light gridlines, as on screen, so values stay readable.
    for &(x, _) in xs.values() {
        canvas.line(page, (x, top), (x, bottom), (GRID, 0.25));
    }
    canvas.line(page, (right, top), (right, bottom), (GRID, 0.25));
    for &(y, _) in ys.values() {
        canvas.line(page, (MARGIN_X, y), (right, y), (GRID, 0.25));
    }
    canvas.line(page, (MARGIN_X, bottom), (right, bottom), (GRID, 0.25));
    let merged_into = |r: u32, c: u32| model.merges.iter().find(|((r0, c0), (r1, c1))| (*r0..=*r1).contains(&r) && (*c0..=*c1).contains(&c));
    let mut borders = Vec::new();
    for &r in &band.rows {
        for &c in &band.columns {
            let Some((text, look, numeric)) = model.cells.get(&(r, c)) else { continue };
            let (Some(&(x, w)), Some(&(y, h))) = (xs.get(&c), ys.get(&r)) else { continue };
            // A merged region spans to its last row and column on this page.
            let (w, h) = match merged_into(r, c) {
                Some(((r0, c0), (r1, c1))) if (*r0, *c0) == (r, c) => (
                    (c..=*c1).filter_map(|k| xs.get(&k)).map(|v| v.1).sum::<f32>().max(w),
                    (r..=*r1).filter_map(|k| ys.get(&k)).map(|v| v.1).sum::<f32>().max(h),
                ),
                Some(_) => continue,
                None => (w, h),
            };
            let rect = [x, y, x + w, y + h];
            canvas.shape(page, ShapeKind::Rect, rect, look.fill, None);
            if !text.is_empty() {
                let align = look.align.unwrap_or(if *numeric { Align::End } else { Align::Start });
                let block = Block { spans: vec![(text.clone(), look.font.clone())], align, line_height: 1.0, ..Default::default() };
                let inner = (w - 4.0).max(1.0);
                let laid = painter.text(canvas, &block, if look.wrap || align != Align::Start { Some(inner) } else { None });
                // Bottom-aligned, as Excel does; text spills right over empty cells.
                let ty = (y + h - laid.height() - 1.0).max(y);
                let spill = if align == Align::Start && !look.wrap {
                    let mut end = x + w;
                    let mut k = c + 1;
                    while end < x + laid.width + 4.0 && !model.cells.contains_key(&(r, k)) {
                        match xs.get(&k) {
                            Some(&(_, kw)) => end += kw,
                            None => break,
                        }
                        k += 1;
                    }
                    end
                } else {
                    x + w
                };
                canvas.clip(page, [x, y, spill, y + h]);
                canvas.text(page, &laid, x + 2.0, ty);
                canvas.end_clip(page);
            }
            borders.push((rect, look.borders));
        }
    }
    for ([x0, y0, x1, y1], [top_b, right_b, bottom_b, left_b]) in borders {
        for (stroke, from, to) in [(top_b, (x0, y0), (x1, y0)), (right_b, (x1, y0), (x1, y1)), (bottom_b, (x0, y1), (x1, y1)), (left_b, (x0, y0), (x0, y1))] {
            if let Some(stroke) = stroke {
                canvas.line(page, from, to, stroke);
            }
        }
    }
}

/// A value as shown, and whether it is a number (right-aligned by default).
fn display(value: &Data, format: &str) -> (String, bool) {
    match value {
        Data::Int(i) => (number(*i as f64, format), true),
        Data::Float(f) => (number(*f, format), true),
        Data::String(s) => (s.clone(), false),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).into(), false),
        Data::DateTime(d) => (date(d.as_f64(), format), true),
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), true),
        Data::Error(e) => (e.to_string(), false),
        Data::Empty => (String::new(), false),
    }
}

fn display_ref(value: &DataRef<'_>, format: &str) -> (String, bool) {
    match value {
        DataRef::SharedString(s) => ((*s).to_owned(), false),
        DataRef::Int(i) => display(&Data::Int(*i), format),
        DataRef::Float(f) => display(&Data::Float(*f), format),
        DataRef::String(s) => (s.clone(), false),
        DataRef::Bool(b) => display(&Data::Bool(*b), format),
        DataRef::DateTime(d) => display(&Data::DateTime(*d), format),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), true),
        DataRef::Error(e) => (e.to_string(), false),
        DataRef::Empty => (String::new(), false),
    }
}

/// A number in an Excel number format: General, fixed decimals, thousands separators,
/// percent, currency symbols and literal text, parentheses for negatives.
fn number(value: f64, format: &str) -> String {
    if !value.is_finite() {
        return "#NUM!".into();
    }
    let sections: Vec<&str> = format.split(';').collect();
    let (section, value) = if value < 0.0 && sections.len() > 1 { (sections[1], -value) } else { (sections[0], value) };
    let section = strip_brackets(section);
    if section.is_empty() || section.eq_ignore_ascii_case("general") || !section.contains(['0', '#']) {
        return general(value);
    }
    let percent = section.contains('%');
    let value = if percent { value * 100.0 } else { value };
    let decimals = section.split_once('.').map_or(0, |(_, d)| d.chars().take_while(|c| matches!(c, '0' | '#' | '?')).count());
    let thousands = section.contains(',') && section.contains(['0', '#']);
    let digits = format!("{:.*}", decimals.min(15), value.abs());
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let int = if thousands { group(int) } else { int.to_owned() };
    let body = if frac.is_empty() { int } else { format!("{int}.{frac}") };
    let sign = if value < 0.0 { "-" } else { "" };
    // Literal text around the digits: currency symbols, quoted text, parentheses.
    let start = section.find(['0', '#', '?']).unwrap_or(0);
    let end = section.rfind(['0', '#', '?']).map_or(section.len(), |i| i + 1);
    let literal = |s: &str| s.replace(['"', '\\', '_', '*'], "").replace("%", "");
    let suffix = literal(&section[end..]);
    format!("{sign}{}{body}{}{}", literal(&section[..start]), suffix.trim_end_matches(' '), if percent { "%" } else { "" })
}

/// Removes `[Red]`, `[$¥-411]` (keeping the symbol) and similar bracketed codes.
fn strip_brackets(section: &str) -> String {
    let mut out = String::new();
    let mut rest = section;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else { break };
        let inner = &rest[open + 1..open + close];
        if let Some(symbol) = inner.strip_prefix('$') {
            out.push_str(symbol.split('-').next().unwrap_or_default());
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn group(int: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Excel's General format: up to 9 significant digits, trailing zeros dropped.
fn general(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    if value.abs() >= 1e11 || value.abs() < 1e-9 {
        return format!("{value:.5E}");
    }
    let digits = (8 - value.abs().log10().floor() as i32).clamp(0, 10) as usize;
    let s = format!("{value:.digits$}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A date serial in a date format: years, months, days, hours, minutes, seconds and
/// literal text; names of months in English.
fn date(serial: f64, format: &str) -> String {
    let format = strip_brackets(format.split(';').next().unwrap_or_default());
    let format = if format.trim().is_empty() || format.eq_ignore_ascii_case("general") { "yyyy-mm-dd".to_owned() } else { format };
    let (y, mo, d) = civil(serial);
    let seconds = ((serial.fract().abs() * 86_400.0).round() as u32).min(86_399);
    let (h, mi, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let ampm = format.to_ascii_lowercase().contains("am/pm");
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    let mut last_was_hour = false;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&k| k.eq_ignore_ascii_case(&c)).count();
        match c.to_ascii_lowercase() {
            '"' => {
                let end = chars[i + 1..].iter().position(|&k| k == '"').map_or(chars.len(), |p| i + 1 + p);
                out.extend(&chars[i + 1..end]);
                i = end + 1;
                continue;
            }
            '\\' => {
                if let Some(&k) = chars.get(i + 1) {
                    out.push(k);
                }
                i += 2;
                continue;
            }
            'y' => out.push_str(&if run <= 2 { format!("{:02}", y % 100) } else { y.to_string() }),
            'd' => out.push_str(&match run {
                1 => d.to_string(),
                2 => format!("{d:02}"),
                _ => String::new(),
            }),
            'm' if last_was_hour || chars[i + run..].iter().find(|k| k.is_ascii_alphabetic()).is_some_and(|k| k.eq_ignore_ascii_case(&'s')) => {
                out.push_str(&if run == 1 { mi.to_string() } else { format!("{mi:02}") })
            }
            'm' => out.push_str(&match run {
                1 => mo.to_string(),
                2 => format!("{mo:02}"),
                3 => MONTHS[(mo - 1) as usize][..3].to_owned(),
                _ => MONTHS[(mo - 1) as usize].to_owned(),
            }),
            'h' => {
                let hour = if ampm { (h + 11) % 12 + 1 } else { h };
                out.push_str(&if run == 1 { hour.to_string() } else { format!("{hour:02}") });
            }
            's' => out.push_str(&if run == 1 { s.to_string() } else { format!("{s:02}") }),
            'a' if ampm && chars[i..].iter().take(5).collect::<String>().eq_ignore_ascii_case("am/pm") => {
                out.push_str(if h < 12 { "AM" } else { "PM" });
                i += 5;
                continue;
            }
            'e' | 'g' | '_' | '*' | '@' => {}
            _ => out.extend(&chars[i..i + run]),
        }
        if c.is_ascii_alphabetic() {
            last_was_hour = c.eq_ignore_ascii_case(&'h');
        }
        i += run;
    }
    out
}

/// Year, month, day of an Excel date serial (1900 system, with its phantom 29 Feb 1900).
fn civil(serial: f64) -> (i64, u32, u32) {
    let mut days = serial.floor() as i64;
    if days >= 60 {
        days -= 1;
    }
    // Days since 1899-12-31 -> days since 1970-01-01.
    let z = days - 25_568 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_their_formats() {
        assert_eq!(number(1234.5, "General"), "1234.5");
        assert_eq!(number(1234567.891, "#,##0.00"), "1,234,567.89");
        assert_eq!(number(0.256, "0.0%"), "25.6%");
        assert_eq!(number(-42.0, "\"$\"#,##0;(\"$\"#,##0)"), "($42)");
        assert_eq!(number(1500.0, "[$¥-411]#,##0"), "¥1,500");
        assert_eq!(number(3.0, "0.000"), "3.000");
        assert_eq!(general(1.0 / 3.0), "0.333333333");
    }

    #[test]
    fn dates_follow_their_formats() {
        assert_eq!(civil(1.0), (1900, 1, 1));
        assert_eq!(civil(61.0), (1900, 3, 1));
        assert_eq!(civil(45_000.0), (2023, 3, 15));
        assert_eq!(date(45_000.5, "yyyy/mm/dd hh:mm"), "2023/03/15 12:00");
        assert_eq!(date(45_000.0, "d-mmm-yy"), "15-Mar-23");
        assert_eq!(date(45_000.0, "yyyy\"年\"m\"月\"d\"日\""), "2023年3月15日");
        assert_eq!(date(45_000.75, "h:mm AM/PM"), "6:00 PM");
    }

    #[test]
    fn ranges_parse_and_absurd_ones_fail() {
        assert_eq!(parse_range("B2:D10"), Some(((1, 1), (9, 3))));
        assert_eq!(parse_range("XFD1048576"), Some(((1_048_575, 16_383), (1_048_575, 16_383))));
        assert_eq!(parse_range("A0"), None);
        assert_eq!(parse_range("ABCD1"), None);
        let areas = print_areas(&[("_xlnm.Print_Area".into(), "'My Sheet'!$A$1:$C$3".into())]);
        assert_eq!(areas["My Sheet"], ((0, 0), (2, 2)));
    }
}
