//! Spreadsheets (XLSX, XLS, ODS): values from calamine, laid out as printed pages.
//!
//! Each visible sheet becomes pages as Excel prints it: its paper, orientation, margins,
//! scale or fit to pages, print titles, manual breaks, page order, printed gridlines and
//! headings, header and footer ([`print`]). For XLSX the sheet XML also gives column
//! widths, row heights, hidden rows and columns, merged cells, and calamine gives fonts,
//! fills, borders, alignment and number formats; for XLS the sheet's records give its
//! widths, heights and print setup ([`biff`]), and calamine values and merges; ODS gives
//! values. A print area, when defined, limits what is shown. Cells are read sparsely and
//! capped, so a cell at XFD1048576 costs one cell, not a billion. Screen-style gridlines
//! and a caption naming each sheet are a render option, off by default.
//!
//! The parts: this file reads the workbook (calamine, plus the sheet XML for layout);
//! [`pages`] splits sheets into printed pages and draws them; [`print`] is the page setup
//! and header and footer codes; [`number_format`] shows values as Excel's number and
//! date formats do.

mod biff;
mod drawings;
pub(crate) mod number_format;
mod ods;
mod pages;
mod print;

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{DataType, Reader, SheetType, SheetVisible, Sheets, Style};
use docsandbox_protocol::{FailureKind, FindingKind, Format};
use quick_xml::events::Event;

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Align, Block, Canvas, Painter, Rgb, SpanStyle};
use crate::ooxml::package::Package;
use crate::ooxml::{self, attr};
use crate::report::Report;
use number_format::{display, display_ref};
use pages::{draw_page, paginate};
use print::PrintSetup;

/// Cells kept from one workbook, over all sheets; the rest is cut and reported.
const MAX_CELLS: usize = 200_000;
/// Rows and columns shown per sheet (a used range past these is cut and reported).
pub const MAX_ROWS: u32 = 20_000;
const MAX_COLUMNS: u32 = 512;
/// Most runs of hidden columns kept per sheet.
const MAX_COLUMN_RUNS: usize = 4096;
/// Height of the caption naming the sheet, above the cells (screen style only).
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
pub(super) type CellRange = ((u32, u32), (u32, u32));
/// A sheet's print titles: its first and last title row, and column, zero-based.
type Titles = (Option<(u32, u32)>, Option<(u32, u32)>);

/// A sheet ready to lay out: cells by (row, column) and its geometry.
#[derive(Default)]
struct SheetModel {
    name: String,
    cells: BTreeMap<(u32, u32), (String, Look, bool)>,
    /// The numbers of numeric cells, for the charts that refer to them.
    numbers: HashMap<(u32, u32), f64>,
    widths: HashMap<u32, f32>,
    heights: HashMap<u32, f32>,
    hidden_columns: Vec<(u32, u32)>,
    hidden_rows: std::collections::HashSet<u32>,
    merges: Vec<((u32, u32), (u32, u32))>,
    print_area: Option<((u32, u32), (u32, u32))>,
    /// Rows and columns repeated on every page (`_xlnm.Print_Titles`), zero-based.
    title_rows: Option<(u32, u32)>,
    title_columns: Option<(u32, u32)>,
    print: PrintSetup,
    /// The sheet's own default row height and column width (`sheetFormatPr`), in points.
    default_row: Option<f32>,
    default_column: Option<f32>,
    /// The sheet's drawing part, by relationship id, and what it anchors.
    drawing: Option<String>,
    drawings: Vec<drawings::Anchored>,
    /// An XLS sheet's cell formats, by (row, column): indices into the workbook's looks.
    formats: HashMap<(u32, u32), u16>,
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
    let print_titles = print_titles(workbook.defined_names());
    let mut ods_tables = match (format, package.as_mut()) {
        (Format::Ods, Some(p)) => {
            let styles = p.read("styles.xml").unwrap_or_default();
            let content = p.read("content.xml").unwrap_or_default();
            let base = SpanStyle { family: "Liberation Sans".into(), size: 10.0, ..Default::default() };
            ods::read(&styles, &content, &base)
        }
        _ => HashMap::new(),
    };
    let biff::Workbook { sheets: mut biff_sheets, font: biff_font, looks: biff_looks, drawing_group } =
        if format == Format::Xls { biff::read(request.document) } else { Default::default() };
    let font = match (format, biff_font) {
        (Format::Xls, Some((family, size))) => SpanStyle { family, size, ..Default::default() },
        // Excel 97's default font; LibreOffice's for a spreadsheet.
        (Format::Xls, None) => SpanStyle { family: "Arial".into(), size: 10.0, ..Default::default() },
        (Format::Ods, _) => SpanStyle { family: "Liberation Sans".into(), size: 10.0, ..Default::default() },
        _ => package.as_mut().and_then(|p| p.read("xl/styles.xml").ok()).and_then(|x| default_xlsx_font(&x)).unwrap_or_else(|| SpanStyle {
            family: "Calibri".into(),
            size: 11.0,
            ..Default::default()
        }),
    };
    // An XLS's pictures: the blip store of its drawing group.
    let group = crate::formats::officeart::Record::at(&drawing_group, 0).map(|(r, _)| r);
    let mut xls_blips = crate::formats::officeart::Blips::new(group.and_then(|g| g.child(crate::formats::officeart::BSTORE_CONTAINER)), &[]);
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
        let (title_rows, title_columns) = print_titles.get(&sheet.name).copied().unwrap_or_default();
        let mut model =
            SheetModel { name: sheet.name.clone(), print_area: print_areas.get(&sheet.name).copied(), title_rows, title_columns, ..Default::default() };
        let mut xls_drawing = Vec::new();
        if let Some(mut layout) = biff_sheets.remove(&sheet.name) {
            xls_drawing = layout.take_drawing();
            layout.apply(&mut model);
        }
        let cut = read_cells(&mut workbook, &mut model, &mut budget, &font, &biff_looks);
        if !xls_drawing.is_empty() {
            model.drawings = drawings::read_officeart(&xls_drawing, &mut xls_blips, &model);
        }
        if let Some(layout) = ods_tables.remove(&sheet.name) {
            layout.apply(&mut model);
        }
        if let (Some(p), Some(path)) = (package.as_mut(), layout_paths.get(&sheet.name)) {
            if let Ok(xml) = p.read(path) {
                read_layout(&xml, &mut model);
            }
            // Charts and pictures anchored over the cells.
            let rels = p.read(&ooxml::rels_name(path)).map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
            if let Some(drawing) = model
                .drawing
                .as_ref()
                .and_then(|id| rels.get(id))
                .map(|t| ooxml::resolve_target(&format!("{}/", path.rsplit_once('/').map_or("xl/worksheets", |(d, _)| d)), t))
            {
                if let Ok(xml) = p.read(&drawing) {
                    let drawing_rels = p.read(&ooxml::rels_name(&drawing)).map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
                    model.drawings = drawings::read(&xml, &drawing, &drawing_rels);
                }
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
    let theme = package.as_mut().and_then(|p| p.read("xl/theme/theme1.xml").ok()).map(|x| ooxml::color::theme_colors(&x)).unwrap_or_default();
    let mut media = drawings::Media::new(package.as_mut(), theme, &models);
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let screen = request.sheet_gridlines;
    let printed: Vec<_> = models.iter().map(|m| paginate(m, screen)).collect();
    let total: usize = printed.iter().map(|p| p.bands.len()).sum();
    if total == 0 {
        // An empty workbook shows one blank page, as Excel and LibreOffice print it.
        let (w, h) = models.first().map_or_else(|| PrintSetup::default().page(), |m| m.print.page());
        canvas.add_page(w, h);
        report.add(FindingKind::EmptyDocument, "the workbook has no visible cells");
    }
    // The report names every sheet and its pages, which no longer carry a caption.
    let mut first_page = 1;
    for (model, sheet_pages) in models.iter().zip(&printed) {
        let count = sheet_pages.bands.len();
        let pages = match count {
            0 => "nothing to print".to_owned(),
            1 => format!("page {first_page}"),
            n => format!("pages {first_page}-{}", first_page + n - 1),
        };
        report.add(FindingKind::Sheet, &format!("{:?}: {pages}", model.name));
        first_page += count;
    }
    let (date, time) = print::date_and_time(request.clock);
    let style = pages::Style { screen, date: &date, time: &time, font: &font };
    let wanted: std::collections::HashSet<u32> = paint::requested_pages(&request, total as u32).collect();
    let mut number = 0u32;
    for (index, (model, sheet_pages)) in models.iter().zip(&printed).enumerate() {
        for (within, band) in sheet_pages.bands.iter().enumerate() {
            number += 1;
            let (w, h) = model.print.page();
            let page = canvas.add_page(w, h);
            if wanted.contains(&number) {
                let numbers = (number, within + 1, total as u32);
                draw_page(&mut painter, &mut canvas, page, (index, model), (band, sheet_pages), numbers, style, &mut media);
            }
        }
    }
    for what in std::mem::take(&mut media.missing) {
        report.add(FindingKind::ContentNotShown, &what);
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

/// Reads a sheet's values and styles into the model (an XLS's from `looks`, by the cell
/// formats its layout gave). Returns whether the caps cut it.
fn read_cells(workbook: &mut Sheets<Cursor<&[u8]>>, model: &mut SheetModel, budget: &mut usize, font: &SpanStyle, looks: &[Look]) -> bool {
    let plain = Look { font: font.clone(), ..Default::default() };
    let mut cut = false;
    let mut keep = |model: &mut SheetModel, (row, col): (u32, u32), text: String, look: Look, number: Option<f64>| {
        if text.is_empty() && look.fill.is_none() && look.borders.iter().all(Option::is_none) {
            return;
        }
        if row >= MAX_ROWS || col >= MAX_COLUMNS || *budget == 0 {
            cut = true;
            return;
        }
        *budget -= 1;
        if let Some(n) = number {
            model.numbers.insert((row, col), n);
        }
        model.cells.insert((row, col), (text, look, number.is_some()));
    };
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let styles = xlsx.worksheet_style(&model.name).ok();
            let Ok(mut reader) = xlsx.worksheet_cells_reader(&model.name) else { return false };
            while let Ok(Some(cell)) = reader.next_cell() {
                let pos = cell.get_position();
                let look = styles.as_ref().and_then(|s| s.get(pos)).map(|s| look_of(s, font)).unwrap_or_else(|| plain.clone());
                let (text, numeric) = display_ref(cell.get_value(), &look.format);
                let number = numeric.then(|| cell.get_value().as_f64()).flatten();
                keep(model, pos, text, look, number);
            }
        }
        other => {
            let Ok(range) = other.worksheet_range(&model.name) else { return false };
            let formats = std::mem::take(&mut model.formats);
            let look_at = |pos: (u32, u32)| formats.get(&pos).and_then(|&i| looks.get(usize::from(i))).unwrap_or(&plain);
            let start = range.start().unwrap_or((0, 0));
            for (row, col, value) in range.used_cells() {
                let pos = (start.0 + row as u32, start.1 + col as u32);
                let look = look_at(pos);
                let (text, numeric) = display(value, &look.format);
                let number = numeric.then(|| value.as_f64()).flatten();
                keep(model, pos, text, look.clone(), number);
            }
            // Cells without a value that have a fill or borders, in order.
            let mut blank: Vec<(u32, u32)> = formats.keys().copied().filter(|pos| !model.cells.contains_key(pos)).collect();
            blank.sort_unstable();
            for pos in blank {
                let look = look_at(pos);
                if look.fill.is_some() || look.borders.iter().any(Option::is_some) {
                    keep(model, pos, String::new(), look.clone(), None);
                }
            }
        }
    }
    cut
}

/// A calamine style as a cell look.
fn look_of(style: &Style, default_font: &SpanStyle) -> Look {
    let rgb = |c: &calamine::Color| [c.red, c.green, c.blue];
    let mut look = Look { font: default_font.clone(), ..Default::default() };
    if let Some(font) = &style.font {
        if let Some(name) = &font.name {
            look.font.family = name.clone();
        }
        look.font.size = font.size.map_or(default_font.size, |s| (s as f32).clamp(1.0, 200.0));
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

/// Column widths, row heights, hidden rows and columns, merged cells and the print setup
/// from a sheet's XML.
fn read_layout(xml: &[u8], model: &mut SheetModel) {
    let mut reader = ooxml::reader(xml);
    // Header and footer text being read, and in which element; which break list is open.
    let mut running: Option<(Vec<u8>, String)> = None;
    let mut rows_breaks = true;
    let (mut fit_to_page, mut fit) = (false, (1u32, 1u32));
    let (mut different_first, mut different_even) = (false, false);
    let mut texts: HashMap<Vec<u8>, String> = HashMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"col" => {
                    let n = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                    let (Some(min), Some(max)) = (n(b"min"), n(b"max")) else { continue };
                    let (min, max) = (min.saturating_sub(1).min(MAX_COLUMNS), max.saturating_sub(1).min(MAX_COLUMNS));
                    if attr(&e, b"hidden").is_some_and(|h| h == "1" || h == "true") && model.hidden_columns.len() < MAX_COLUMN_RUNS {
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
                        model.hidden_rows.insert(row);
                    }
                    if let Some(ht) = attr(&e, b"ht").and_then(|v| v.parse::<f32>().ok()).filter(|h| h.is_finite()) {
                        model.heights.insert(row, ht.clamp(0.0, 409.0));
                    }
                }
                b"drawing" => model.drawing = attr(&e, b"id"),
                b"sheetFormatPr" => {
                    let number = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite());
                    model.default_row = number(b"defaultRowHeight").map(|h| h.clamp(1.0, 409.0));
                    // Characters of the default font, as column widths are given.
                    model.default_column = number(b"defaultColWidth").map(|w| (w.clamp(0.0, 255.0) * 5.25 + 3.75).min(800.0));
                }
                b"mergeCell" => {
                    if let Some(range) = attr(&e, b"ref").and_then(|r| parse_range(&r)) {
                        if model.merges.len() < 10_000 {
                            model.merges.push(range);
                        }
                    }
                }
                b"pageSetUpPr" => fit_to_page = ooxml::on_off(&e, b"fitToPage") == Some(true),
                b"pageMargins" => {
                    let margins = &mut model.print.margins;
                    for (key, value) in [
                        (&b"left"[..], &mut margins.left),
                        (b"right", &mut margins.right),
                        (b"top", &mut margins.top),
                        (b"bottom", &mut margins.bottom),
                        (b"header", &mut margins.header),
                        (b"footer", &mut margins.footer),
                    ] {
                        if let Some(v) = attr(&e, key).and_then(|v| v.parse::<f64>().ok()).and_then(PrintSetup::margin_inches) {
                            *value = v;
                        }
                    }
                }
                b"pageSetup" => {
                    let print = &mut model.print;
                    let number = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                    // A sheet that has a page setup but names no paper prints on Letter,
                    // the schema's default.
                    print.set_paper_code(number(b"paperSize").unwrap_or(1));
                    print.landscape = attr(&e, b"orientation").as_deref() == Some("landscape");
                    if let Some(scale) = number(b"scale") {
                        print.set_scale_percent(scale as f32);
                    }
                    fit = (number(b"fitToWidth").unwrap_or(1).min(32_767), number(b"fitToHeight").unwrap_or(1).min(32_767));
                    if ooxml::on_off(&e, b"useFirstPageNumber") == Some(true) {
                        print.first_page_number = number(b"firstPageNumber");
                    }
                    print.across_first = attr(&e, b"pageOrder").as_deref() == Some("overThenDown");
                }
                b"printOptions" => {
                    model.print.gridlines = ooxml::on_off(&e, b"gridLines") == Some(true);
                    model.print.headings = ooxml::on_off(&e, b"headings") == Some(true);
                    model.print.center = (ooxml::on_off(&e, b"horizontalCentered") == Some(true), ooxml::on_off(&e, b"verticalCentered") == Some(true));
                }
                b"headerFooter" => {
                    different_first = ooxml::on_off(&e, b"differentFirst") == Some(true);
                    different_even = ooxml::on_off(&e, b"differentOddEven") == Some(true);
                }
                name @ (b"oddHeader" | b"oddFooter" | b"evenHeader" | b"evenFooter" | b"firstHeader" | b"firstFooter") => {
                    running = Some((name.to_vec(), String::new()));
                }
                b"rowBreaks" => rows_breaks = true,
                b"colBreaks" => rows_breaks = false,
                b"brk" => {
                    if let Some(id) = attr(&e, b"id").and_then(|v| v.parse::<u32>().ok()) {
                        model.print.add_break(rows_breaks, id);
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if let Some((_, text)) = running.as_mut() {
                    text.push_str(&t);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, text)) = running.as_mut() {
                    text.push_str(&ooxml::reference_text(&r));
                }
            }
            Ok(Event::End(e)) => {
                if running.as_ref().is_some_and(|(name, _)| name.as_slice() == e.local_name().as_ref().as_bytes()) {
                    if let Some((name, text)) = running.take() {
                        texts.insert(name, text);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let print = &mut model.print;
    if fit_to_page {
        print.fit = Some(fit);
    }
    let mut take = |name: &[u8]| texts.remove(name).unwrap_or_default();
    print.header = take(b"oddHeader");
    print.footer = take(b"oddFooter");
    let (first, even) = ((take(b"firstHeader"), take(b"firstFooter")), (take(b"evenHeader"), take(b"evenFooter")));
    print.first = different_first.then_some(first);
    print.even = different_even.then_some(even);
    print.row_breaks.sort_unstable();
    print.column_breaks.sort_unstable();
}

/// The workbook's default font: the first of `styles.xml`'s fonts, which the Normal style
/// uses.
fn default_xlsx_font(xml: &[u8]) -> Option<SpanStyle> {
    let mut reader = ooxml::reader(xml);
    let mut style = SpanStyle::default();
    let mut in_font = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"font" => in_font = true,
                b"sz" if in_font => {
                    style.size = attr(&e, b"val").and_then(|v| v.parse::<f32>().ok()).filter(|s| s.is_finite()).unwrap_or(11.0).clamp(1.0, 200.0)
                }
                b"name" if in_font => style.family = attr(&e, b"val")?,
                _ => {}
            },
            Ok(Event::End(e)) if in_font && e.local_name().as_ref().as_bytes() == b"font" => return Some(style).filter(|s| !s.family.is_empty()),
            Ok(Event::Eof) | Err(_) => return None,
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

/// Print titles from the defined names: `_xlnm.Print_Titles` = `'Data'!$A:$B,'Data'!$1:$2`,
/// as (rows, columns) by sheet name.
fn print_titles(names: &[(String, String)]) -> HashMap<String, Titles> {
    let mut titles: HashMap<String, Titles> = HashMap::new();
    for (name, formula) in names {
        if !name.eq_ignore_ascii_case("_xlnm.Print_Titles") && !name.eq_ignore_ascii_case("Print_Titles") {
            continue;
        }
        for part in formula.split(',').take(2) {
            let Some((sheet, range)) = part.rsplit_once('!') else { continue };
            let sheet = sheet.trim().trim_matches('\'').replace("''", "'");
            let range = range.replace('$', "");
            let (a, b) = range.split_once(':').unwrap_or((&range, &range));
            let entry = titles.entry(sheet).or_default();
            if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                if a >= 1 && b >= 1 {
                    entry.0 = Some(((a.min(b) - 1).min(MAX_ROWS - 1), (a.max(b) - 1).min(MAX_ROWS - 1)));
                }
            } else if let (Some(a), Some(b)) = (parse_cell(&format!("{a}1")), parse_cell(&format!("{b}1"))) {
                entry.1 = Some((a.1.min(b.1).min(MAX_COLUMNS - 1), a.1.max(b.1).min(MAX_COLUMNS - 1)));
            }
        }
    }
    titles
}

/// `B2:D10` (or `B2`) as zero-based ((row, col), (row, col)).
fn parse_range(text: &str) -> Option<((u32, u32), (u32, u32))> {
    let mut parts = text.split(':');
    let a = parse_cell(parts.next()?)?;
    let b = parts.next().map_or(Some(a), parse_cell)?;
    Some(((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1))))
}

pub(super) fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = text[..letters].bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: u32 = text[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_absurd_ones_fail() {
        assert_eq!(parse_range("B2:D10"), Some(((1, 1), (9, 3))));
        assert_eq!(parse_range("XFD1048576"), Some(((1_048_575, 16_383), (1_048_575, 16_383))));
        assert_eq!(parse_range("A0"), None);
        assert_eq!(parse_range("ABCD1"), None);
        let areas = print_areas(&[("_xlnm.Print_Area".into(), "'My Sheet'!$A$1:$C$3".into())]);
        assert_eq!(areas["My Sheet"], ((0, 0), (2, 2)));
        let titles =
            print_titles(&[("_xlnm.Print_Titles".into(), "'My Sheet'!$B:$A,'My Sheet'!$1:$2".into()), ("_xlnm.Print_Titles".into(), "Other!$3:$3".into())]);
        assert_eq!(titles["My Sheet"], (Some((0, 1)), Some((0, 1))));
        assert_eq!(titles["Other"], (Some((2, 2)), None));
    }
}
