//! What calamine does not read from an Excel 97-2003 workbook ([MS-XLS]): each sheet's
//! column widths (`ColInfo`, `DefColWidth`, `StandardWidth`), row heights and hidden rows
//! (`Row`, `DefaultRowHeight`), print area and titles (the built-in `Lbl` names) and
//! print setup (`Setup`, the four margin records,
//! `Header`, `Footer`, `HCenter`, `VCenter`, `PrintGrid`, `PrintRowCol`, `WsBool`,
//! `HorizontalPageBreaks`, `VerticalPageBreaks`), and the cells' formats: each cell's
//! `XF` (from its cell record), with the workbook's `Font`, `Format` and `Palette` records
//! (BIFF8; an Excel 95 workbook's cells keep the default look). Sheets are found by their
//! `BoundSheet8` records in the globals substream; a record that runs past its stream ends
//! that sheet.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use docsandbox_protocol::bytes::{u16_at, u32_at};

use super::print::PrintSetup;
use super::{CellRange, Look, SheetModel, MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use crate::layout::paint::{Align, Rgb, SpanStyle};

const EOF: u16 = 0x000A;
const BOF: u16 = 0x0809;
const BOUND_SHEET: u16 = 0x0085;
/// Most records read from one sheet; a million-record sheet is read no further.
const MAX_RECORDS: usize = 2_000_000;
/// Most sheets read.
const MAX_SHEETS: usize = 1000;

/// One sheet's layout and print setup.
#[derive(Debug, Default)]
pub(super) struct SheetLayout {
    widths: HashMap<u32, f32>,
    hidden_columns: Vec<(u32, u32)>,
    heights: HashMap<u32, f32>,
    hidden_rows: std::collections::HashSet<u32>,
    default_row: Option<f32>,
    default_column: Option<f32>,
    print: PrintSetup,
    print_area: Option<CellRange>,
    title_rows: Option<(u32, u32)>,
    title_columns: Option<(u32, u32)>,
    /// Each cell's format, by (row, column): an index into the workbook's looks.
    pub(super) formats: HashMap<(u32, u32), u16>,
    /// The sheet's OfficeArt drawing (its `MsoDrawing` records joined): the shapes over
    /// its cells.
    pub(super) drawing: Vec<u8>,
}

/// What [`read`] finds: each sheet's layout by name, the workbook's default font (family,
/// size), and the look of each of its cell formats (`XF`), in order.
#[derive(Default)]
pub(super) struct Workbook {
    pub(super) sheets: HashMap<String, SheetLayout>,
    pub(super) font: Option<(String, f32)>,
    pub(super) looks: Vec<Look>,
    /// The workbook's OfficeArt drawing group (`MsoDrawingGroup` and its `Continue`
    /// records joined), whose blip store holds the sheets' pictures.
    pub(super) drawing_group: Vec<u8>,
}

/// Most bytes of OfficeArt drawing kept from a workbook's globals or one sheet.
const MAX_DRAWING: usize = 64 << 20;

/// Appends a drawing record's body, within [`MAX_DRAWING`].
fn join(drawing: &mut Vec<u8>, body: &[u8]) {
    if drawing.len() + body.len() <= MAX_DRAWING {
        drawing.extend_from_slice(body);
    }
}

impl SheetLayout {
    /// Notes a cell's format, within the caps on the cells shown.
    fn format(&mut self, row: u32, col: u32, xf: u16) {
        if row < MAX_ROWS && col < MAX_COLUMNS && self.formats.len() < MAX_CELLS {
            self.formats.insert((row, col), xf);
        }
    }

    /// Puts the layout into a sheet's model.
    pub(super) fn apply(self, model: &mut SheetModel) {
        model.widths = self.widths;
        model.hidden_columns = self.hidden_columns;
        model.heights = self.heights;
        model.hidden_rows = self.hidden_rows;
        model.default_row = self.default_row;
        model.default_column = self.default_column;
        model.print = self.print;
        model.print_area = self.print_area.or(model.print_area);
        model.title_rows = self.title_rows.or(model.title_rows);
        model.title_columns = self.title_columns.or(model.title_columns);
        model.formats = self.formats;
    }

    /// Takes the sheet's drawing out, to read once its cells are sized.
    pub(super) fn take_drawing(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.drawing)
    }
}

/// Column width in the sheet's units (characters of the default font, with padding, as
/// `ColInfo` and XLSX give them) as points, as the XLSX reader converts them.
fn width_points(characters: f32) -> f32 {
    (characters.clamp(0.0, 255.0) * 5.25 + 3.75).min(800.0)
}

/// The layout of each sheet of the workbook in a compound file, its default font and its
/// cell formats; nothing when the file or its stream cannot be read (calamine reports that).
pub(super) fn read(document: &[u8]) -> Workbook {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(document)) else { return Default::default() };
    let mut stream = Vec::new();
    let opened = file.open_stream("/Workbook").or_else(|_| file.open_stream("/Book"));
    if opened.and_then(|mut s| s.read_to_end(&mut stream)).is_err() {
        return Default::default();
    }
    read_workbook(&stream)
}

/// Records of a stream from `at`: (type, body, offset of the next record).
fn record(stream: &[u8], at: usize) -> Option<(u16, &[u8], usize)> {
    let kind = u16_at(stream, at)?;
    let len = usize::from(u16_at(stream, at + 2)?);
    let body = stream.get(at + 4..at + 4 + len)?;
    Some((kind, body, at + 4 + len))
}

fn read_workbook(stream: &[u8]) -> Workbook {
    let Some((BOF, bof, mut at)) = record(stream, 0) else { return Default::default() };
    let biff8 = u16_at(bof, 0) == Some(0x0600);
    let mut positions = Vec::new();
    let mut formats = Formats::default();
    let mut drawing_group = Vec::new();
    let mut previous = 0;
    // Built-in names: (sheet index, 0x06 print area or 0x07 print titles, areas).
    let mut names = Vec::new();
    while let Some((kind, body, next)) = record(stream, at) {
        at = next;
        let continued = previous;
        previous = if kind == 0x003C { previous } else { kind };
        match kind {
            0x00EB => join(&mut drawing_group, body),
            0x003C if continued == 0x00EB => join(&mut drawing_group, body),
            BOUND_SHEET if positions.len() < MAX_SHEETS => {
                if let (Some(position), Some(name)) = (u32_at(body, 0), sheet_name(body.get(6..).unwrap_or_default(), biff8)) {
                    positions.push((name, position as usize));
                }
            }
            // Font: dyHeight in twips, ..., the name at byte 14. The first one is the
            // workbook's default.
            0x0031 if formats.fonts.len() < MAX_FORMATS => {
                if let (Some(_), Some(name)) = (u16_at(body, 0), sheet_name(body.get(14..).unwrap_or_default(), biff8)) {
                    formats.fonts.push(Font::read(body, name));
                }
            }
            0x00E0 if biff8 && formats.xfs.len() < MAX_FORMATS => formats.xfs.push(body.to_vec()),
            0x041E if biff8 => {
                if let (Some(index), Some(count), Some(&flags)) = (u16_at(body, 0), u16_at(body, 2), body.get(4)) {
                    let code = characters(body.get(5..).unwrap_or_default(), usize::from(count).min(255), flags & 1 == 1);
                    formats.codes.insert(index, code);
                }
            }
            0x0092 => {
                let count = usize::from(u16_at(body, 0).unwrap_or(0)).min(56);
                for i in 0..count {
                    if let Some(c) = body.get(2 + i * 4..5 + i * 4) {
                        formats.palette[8 + i] = [c[0], c[1], c[2]];
                    }
                }
            }
            0x0018 if biff8 && names.len() < MAX_SHEETS => names.extend(builtin_name(body)),
            EOF => break,
            _ => {}
        }
    }
    let mut sheets: HashMap<String, SheetLayout> = HashMap::new();
    for (index, (name, position)) in positions.into_iter().enumerate() {
        let mut layout = read_sheet(stream, position, biff8);
        for (_, kind, areas) in names.iter().filter(|(sheet, _, _)| *sheet == index + 1) {
            for &((r0, c0), (r1, c1)) in areas {
                match kind {
                    0x06 if layout.print_area.is_none() => layout.print_area = Some(((r0, c0), (r1, c1))),
                    // A whole-row area is title rows, a whole-column one title columns.
                    0x07 if c0 == 0 && c1 >= 0xFF => layout.title_rows = Some((r0.min(MAX_ROWS - 1), r1.min(MAX_ROWS - 1))),
                    0x07 if r0 == 0 && r1 >= 0xFFFF => layout.title_columns = Some((c0.min(MAX_COLUMNS - 1), c1.min(MAX_COLUMNS - 1))),
                    _ => {}
                }
            }
        }
        sheets.insert(name, layout);
    }
    let font = formats.fonts.first().map(|f| (f.name.clone(), f.size()));
    let default =
        SpanStyle { family: font.as_ref().map_or_else(|| "Arial".into(), |f| f.0.clone()), size: font.as_ref().map_or(10.0, |f| f.1), ..Default::default() };
    let looks = (0..formats.xfs.len()).map(|i| formats.look(i, &default)).collect();
    Workbook { sheets, font, looks, drawing_group }
}

/// Most fonts and cell formats read from a workbook (Excel allows about 4 000 formats).
const MAX_FORMATS: usize = 8_000;

/// A `Font` record (BIFF8 and BIFF5 alike, but for the name's form).
struct Font {
    name: String,
    /// Twentieths of a point.
    height: u16,
    italic: bool,
    strike: bool,
    bold: bool,
    underline: bool,
    /// A colour index (`0x7FFF`: automatic).
    color: u16,
    /// 1 superscript, 2 subscript.
    script: u16,
}

impl Font {
    /// Its size in points.
    fn size(&self) -> f32 {
        (f32::from(self.height) / 20.0).clamp(1.0, 200.0)
    }

    fn read(body: &[u8], name: String) -> Font {
        let field = |at: usize| u16_at(body, at).unwrap_or(0);
        let flags = field(2);
        Font {
            name,
            height: field(0),
            italic: flags & 0x02 != 0,
            strike: flags & 0x08 != 0,
            bold: field(6) >= 600,
            underline: body.get(10).is_some_and(|&u| u != 0),
            color: field(4),
            script: field(8),
        }
    }
}

/// The workbook's fonts, cell formats (`XF` bodies), number format codes and palette.
struct Formats {
    fonts: Vec<Font>,
    xfs: Vec<Vec<u8>>,
    codes: HashMap<u16, String>,
    palette: [Rgb; 64],
}

impl Default for Formats {
    fn default() -> Self {
        let mut palette = [[0, 0, 0]; 64];
        for (i, rgb) in DEFAULT_PALETTE.iter().enumerate() {
            palette[i] = [(rgb >> 16) as u8, (rgb >> 8) as u8, *rgb as u8];
        }
        Formats { fonts: Vec::new(), xfs: Vec::new(), codes: HashMap::new(), palette }
    }
}

/// Excel 97's colours by index: eight fixed ones, then the 56 of the default palette that
/// a `Palette` record replaces.
const DEFAULT_PALETTE: [u32; 64] = [
    0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, // fixed
    0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, //
    0x800000, 0x008000, 0x000080, 0x808000, 0x800080, 0x008080, 0xC0C0C0, 0x808080, //
    0x9999FF, 0x993366, 0xFFFFCC, 0xCCFFFF, 0x660066, 0xFF8080, 0x0066CC, 0xCCCCFF, //
    0x000080, 0xFF00FF, 0xFFFF00, 0x00FFFF, 0x800080, 0x800000, 0x008080, 0x0000FF, //
    0x00CCFF, 0xCCFFFF, 0xCCFFCC, 0xFFFF99, 0x99CCFF, 0xFF99CC, 0xCC99FF, 0xFFCC99, //
    0x3366FF, 0x33CCCC, 0x99CC00, 0xFFCC00, 0xFF9900, 0xFF6600, 0x666699, 0x969696, //
    0x003366, 0x339966, 0x003300, 0x333300, 0x993300, 0x993366, 0x333399, 0x333333, //
];

/// Excel's built-in number formats (the ones a workbook does not write out), by index.
fn builtin_format(index: u16) -> &'static str {
    match index {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 => "\"$\"#,##0_);(\"$\"#,##0)",
        6 => "\"$\"#,##0_);[Red](\"$\"#,##0)",
        7 => "\"$\"#,##0.00_);(\"$\"#,##0.00)",
        8 => "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "m/d/yyyy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yyyy h:mm",
        37 => "#,##0_);(#,##0)",
        38 => "#,##0_);[Red](#,##0)",
        39 => "#,##0.00_);(#,##0.00)",
        40 => "#,##0.00_);[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mm:ss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => "",
    }
}

impl Formats {
    /// A colour index as a colour: the palette's, else `automatic` (the system's window
    /// text or background, and 0x7FFF, the automatic colour).
    fn color(&self, index: u16, automatic: Rgb) -> Rgb {
        self.palette.get(usize::from(index)).copied().unwrap_or(automatic)
    }

    /// The look of cell format `index` (a BIFF8 `XF`): its font, number format,
    /// horizontal alignment and wrapping, borders and fill.
    fn look(&self, index: usize, default: &SpanStyle) -> Look {
        let mut look = Look { font: default.clone(), ..Default::default() };
        let Some(xf) = self.xfs.get(index) else { return look };
        let field = |at: usize| u16_at(xf, at).unwrap_or(0);
        // Font 4 is never written: indices above it count from 5.
        let font_index = usize::from(field(0));
        if let Some(font) = self.fonts.get(if font_index >= 4 { font_index - 1 } else { font_index }) {
            let style = &mut look.font;
            if !font.name.is_empty() {
                style.family = font.name.clone();
            }
            style.size = font.size();
            (style.bold, style.italic, style.underline, style.strike) = (font.bold, font.italic, font.underline, font.strike);
            style.color = self.color(font.color, [0, 0, 0]);
            if matches!(font.script, 1 | 2) {
                style.size *= 0.64;
                style.rise = if font.script == 1 { style.size * 0.5 } else { -style.size * 0.25 };
            }
        }
        let format = field(2);
        look.format = self.codes.get(&format).cloned().unwrap_or_else(|| builtin_format(format).to_owned());
        let alignment = xf.get(6).copied().unwrap_or(0);
        look.align = match alignment & 0x07 {
            1 => Some(Align::Start),
            2 | 6 => Some(Align::Center),
            3 => Some(Align::End),
            5 | 7 => Some(Align::Justify),
            _ => None,
        };
        look.wrap = alignment & 0x08 != 0;
        let (lines, more) = (u32_at(xf, 10).unwrap_or(0), u32_at(xf, 14).unwrap_or(0));
        let side = |style: u32, color: u32| -> Option<(Rgb, f32)> {
            let width = match style & 0x0F {
                0 => return None,
                2 | 6 | 8 | 10 | 12 | 13 => 1.0,
                5 => 1.5,
                _ => 0.5,
            };
            Some((self.color((color & 0x7F) as u16, [0, 0, 0]), width))
        };
        // Top, right, bottom, left.
        look.borders = [side(lines >> 8, more), side(lines >> 4, lines >> 23), side(lines >> 12, more >> 7), side(lines, lines >> 16)];
        let pattern = more >> 26;
        let colors = field(18);
        let (fore, back) = (self.color(colors & 0x7F, [0, 0, 0]), self.color((colors >> 7) & 0x7F, [255, 255, 255]));
        look.fill = match pattern {
            0 => None,
            1 => Some(fore),
            // The dotted greys by their share of foreground; lines and hatches as half.
            3 => Some(crate::ooxml::color::mix(fore, back, 0.75)),
            4 => Some(crate::ooxml::color::mix(fore, back, 0.25)),
            17 => Some(crate::ooxml::color::mix(fore, back, 0.125)),
            18 => Some(crate::ooxml::color::mix(fore, back, 0.0625)),
            _ => Some(crate::ooxml::color::mix(fore, back, 0.5)),
        };
        look
    }
}

/// A built-in `Lbl` (BIFF8) for the print area (0x06) or print titles (0x07): its sheet
/// (1-based), kind and the areas of its formula (`PtgArea3d` tokens, alone or in a
/// `PtgMemFunc` union).
fn builtin_name(body: &[u8]) -> Option<(usize, u8, Vec<CellRange>)> {
    let flags = u16_at(body, 0)?;
    let (count, formula_len, sheet) = (usize::from(*body.get(3)?), usize::from(u16_at(body, 4)?), usize::from(u16_at(body, 8)?));
    if flags & 0x20 == 0 || count != 1 || sheet == 0 {
        return None;
    }
    // The name: a flags byte, then one character, one byte or two.
    let wide = body.get(14)? & 1 == 1;
    let kind = *body.get(15)?;
    let start = 16 + usize::from(wide);
    let rgce = body.get(start..start + formula_len)?;
    if kind != 0x06 && kind != 0x07 {
        return None;
    }
    let mut areas = Vec::new();
    let mut i = 0;
    while i < rgce.len() && areas.len() < 8 {
        match rgce[i] {
            0x29 | 0x49 | 0x69 => i += 3,
            0x10 => i += 1,
            0x3B | 0x5B | 0x7B => {
                let field = |k: usize| u16_at(rgce, i + k).map(u32::from);
                let (r0, r1, c0, c1) = (field(3)?, field(5)?, field(7)? & 0x3FFF, field(9)? & 0x3FFF);
                areas.push(((r0.min(r1), c0.min(c1)), (r0.max(r1), c0.max(c1))));
                i += 11;
            }
            _ => break,
        }
    }
    Some((sheet, kind, areas))
}

/// A `ShortXLUnicodeString` (BIFF8) or a byte string (BIFF5, read as Latin-1).
fn sheet_name(body: &[u8], biff8: bool) -> Option<String> {
    let count = usize::from(*body.first()?);
    if !biff8 {
        return Some(body.get(1..1 + count)?.iter().map(|&b| char::from(b)).collect());
    }
    let wide = body.get(1)? & 1 == 1;
    Some(characters(body.get(2..)?, count, wide))
}

/// `count` characters, one byte (Latin-1) or two (UTF-16LE) each, as far as `bytes` holds them.
fn characters(bytes: &[u8], count: usize, wide: bool) -> String {
    if wide {
        let units: Vec<u16> = bytes.chunks_exact(2).take(count).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().take(count).map(|&b| char::from(b)).collect()
    }
}

/// A `Header` or `Footer` body: empty for none, else an `XLUnicodeString` (BIFF8) or a
/// byte string (BIFF5).
fn running(body: &[u8], biff8: bool) -> String {
    if body.is_empty() {
        return String::new();
    }
    if !biff8 {
        let count = usize::from(body[0]);
        return characters(body.get(1..).unwrap_or_default(), count, false);
    }
    let (Some(count), Some(&flags)) = (u16_at(body, 0), body.get(2)) else { return String::new() };
    characters(body.get(3..).unwrap_or_default(), usize::from(count), flags & 1 == 1)
}

fn float(body: &[u8]) -> Option<f64> {
    Some(f64::from_le_bytes(body.get(..8)?.try_into().ok()?))
}

/// Reads one sheet substream, from its `BOF` at `at`.
fn read_sheet(stream: &[u8], at: usize, biff8: bool) -> SheetLayout {
    let mut layout = SheetLayout::default();
    // XLS's margins when a sheet does not give them: 0.75 in at the sides, 1 in top and
    // bottom, 0.5 in for the header and footer.
    let margins = &mut layout.print.margins;
    (margins.left, margins.right, margins.top, margins.bottom, margins.header, margins.footer) = (54.0, 54.0, 72.0, 72.0, 36.0, 36.0);
    let Some((BOF, _, mut at)) = record(stream, at) else { return layout };
    let mut depth = 0usize;
    let mut fit_to_page = false;
    let mut fit = (1, 1);
    for _ in 0..MAX_RECORDS {
        let Some((kind, body, next)) = record(stream, at) else { break };
        at = next;
        match kind {
            BOF => depth += 1,
            EOF if depth == 0 => break,
            EOF => depth -= 1,
            _ if depth > 0 => {}
            // Cell records: row, column, format; MulRk and MulBlank: row, first column,
            // then a format (and a number) per column.
            0x0201 | 0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 => {
                if let (Some(row), Some(col), Some(xf)) = (u16_at(body, 0), u16_at(body, 2), u16_at(body, 4)) {
                    layout.format(u32::from(row), u32::from(col), xf);
                }
            }
            0x00EC => join(&mut layout.drawing, body),
            0x00BD | 0x00BE => {
                let (Some(row), Some(first)) = (u16_at(body, 0), u16_at(body, 2)) else { continue };
                let step = if kind == 0x00BD { 6 } else { 2 };
                let count = body.len().saturating_sub(6) / step;
                for i in 0..count {
                    if let Some(xf) = u16_at(body, 4 + i * step) {
                        layout.format(u32::from(row), u32::from(first) + i as u32, xf);
                    }
                }
            }
            0x0208 => {
                // Row: rw, colMic, colMac, miyRw (twips), reserved, unused, flags.
                let (Some(row), Some(height)) = (u16_at(body, 0), u16_at(body, 6)) else { continue };
                let row = u32::from(row);
                if row >= MAX_ROWS {
                    continue;
                }
                if body.get(12).is_some_and(|f| f & 0x20 != 0) {
                    layout.hidden_rows.insert(row);
                }
                layout.heights.insert(row, (f32::from(height & 0x7FFF) / 20.0).min(409.0));
            }
            0x007D => {
                // ColInfo: colFirst, colLast, coldx (1/256 character), ixfe, flags.
                let (Some(first), Some(last), Some(width), Some(flags)) = (u16_at(body, 0), u16_at(body, 2), u16_at(body, 4), u16_at(body, 8)) else {
                    continue;
                };
                let (first, last) = (u32::from(first).min(MAX_COLUMNS), u32::from(last).min(MAX_COLUMNS));
                if flags & 1 == 1 && layout.hidden_columns.len() < super::MAX_COLUMN_RUNS {
                    layout.hidden_columns.push((first, last.max(first)));
                }
                for c in first..=last {
                    layout.widths.insert(c, width_points(f32::from(width) / 256.0));
                }
            }
            // DefColWidth: characters, without the padding a width carries.
            0x0055 => {
                if layout.default_column.is_none() {
                    layout.default_column = u16_at(body, 0).map(|w| (f32::from(w) * 7.0 + 5.0).min(1200.0) * 0.75);
                }
            }
            // StandardWidth: 1/256 character; wins over DefColWidth.
            0x0099 => layout.default_column = u16_at(body, 0).map(|w| width_points(f32::from(w) / 256.0)),
            0x0225 => layout.default_row = u16_at(body, 2).map(|h| (f32::from(h & 0x7FFF) / 20.0).clamp(1.0, 409.0)),
            0x00A1 => {
                let field = |i| u16_at(body, i);
                let flags = field(10).unwrap_or(0);
                let print = &mut layout.print;
                print.across_first = flags & 1 == 1;
                // fNoPls: the paper, scale and orientation fields are not set.
                if flags & 4 == 0 {
                    if let Some(code) = field(0).filter(|&c| c != 0) {
                        print.set_paper_code(u32::from(code));
                    }
                    if let Some(scale) = field(2) {
                        print.set_scale_percent(f32::from(scale));
                    }
                    print.landscape = flags & 0x40 == 0 && flags & 2 == 0;
                }
                if flags & 0x80 != 0 {
                    print.first_page_number = field(4).map(|p| u32::from(p).min(32_767));
                }
                fit = (u32::from(field(6).unwrap_or(1)), u32::from(field(8).unwrap_or(1)));
                let inches = |i: usize| body.get(i..).and_then(float).and_then(PrintSetup::margin_inches);
                if let Some(v) = inches(16) {
                    print.margins.header = v;
                }
                if let Some(v) = inches(24) {
                    print.margins.footer = v;
                }
            }
            0x0026..=0x0029 => {
                if let Some(v) = float(body).and_then(PrintSetup::margin_inches) {
                    let m = &mut layout.print.margins;
                    *[&mut m.left, &mut m.right, &mut m.top, &mut m.bottom][usize::from(kind - 0x0026)] = v;
                }
            }
            0x0014 => layout.print.header = running(body, biff8),
            0x0015 => layout.print.footer = running(body, biff8),
            0x0083 => layout.print.center.0 = u16_at(body, 0) == Some(1),
            0x0084 => layout.print.center.1 = u16_at(body, 0) == Some(1),
            0x002B => layout.print.gridlines = u16_at(body, 0) == Some(1),
            0x002A => layout.print.headings = u16_at(body, 0) == Some(1),
            0x0081 => fit_to_page = u16_at(body, 0).is_some_and(|f| f & 0x0100 != 0),
            0x001B | 0x001A => {
                // Page breaks: a count, then (row or column, start, end) of 2 bytes each
                // (BIFF8), or the row or column alone (BIFF5).
                let step = if biff8 { 6 } else { 2 };
                let count = usize::from(u16_at(body, 0).unwrap_or(0));
                for i in 0..count {
                    let Some(at) = u16_at(body, 2 + i * step) else { break };
                    layout.print.add_break(kind == 0x001B, u32::from(at));
                }
            }
            _ => {}
        }
    }
    if fit_to_page {
        layout.print.fit = Some(fit);
    }
    layout.print.row_breaks.sort_unstable();
    layout.print.column_breaks.sort_unstable();
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn sheet_records_give_layout_and_print_setup() {
        let bof = rec(BOF, &[0x00, 0x06, 0x05, 0x00]);
        let mut globals = bof.clone();
        let font = rec(0x0031, &[[0xC8, 0].as_slice(), &[0; 12], b"\x05\x00Arial"].concat());
        globals.extend(&font);
        let name = [b"\x04\x00Data".as_slice()].concat();
        let sheet_at = bof.len() + font.len() + 4 + 6 + name.len() + 4;
        let mut bound = (sheet_at as u32).to_le_bytes().to_vec();
        bound.extend_from_slice(&[0, 0]);
        bound.extend_from_slice(&name);
        globals.extend(rec(BOUND_SHEET, &bound));
        globals.extend(rec(EOF, &[]));
        assert_eq!(globals.len(), sheet_at);
        let mut setup = vec![0u8; 34];
        setup[0] = 9; // A4
        setup[2] = 80; // 80 %
        setup[6] = 1; // one page wide, any number tall
        setup[10] = 0; // landscape (fPortrait clear)
        setup[16..24].copy_from_slice(&0.25f64.to_le_bytes());
        let mut sheet = bof.clone();
        for r in [
            rec(0x0208, &[4, 0, 0, 0, 3, 0, 0x90, 0x01, 0, 0, 0, 0, 0x20, 0, 0, 0]),
            rec(0x007D, &[1, 0, 2, 0, 0, 0x14, 0, 0, 1, 0, 0, 0]),
            rec(0x00A1, &setup),
            rec(0x0026, &1.0f64.to_le_bytes()),
            rec(0x0015, b"\x0a\x00\x00Page &P of"),
            rec(0x002B, &[1, 0]),
            rec(0x0081, &[0x00, 0x01]),
            rec(0x001B, &[1, 0, 20, 0, 0, 0, 255, 0]),
            // A chart substream inside the sheet is skipped.
            bof.clone(),
            rec(0x0014, b"\x03\x00\x00bad"),
            rec(EOF, &[]),
            rec(EOF, &[]),
            rec(0x0014, b"\x03\x00\x00bad"),
        ] {
            sheet.extend(r);
        }
        globals.extend(sheet);
        let Workbook { sheets, font, .. } = read_workbook(&globals);
        assert_eq!(font, Some(("Arial".to_owned(), 10.0)));
        let layout = &sheets["Data"];
        assert_eq!(layout.heights[&4], 20.0);
        assert_eq!(layout.hidden_rows, [4].into());
        assert_eq!(layout.widths[&2], width_points(20.0));
        let (w, h) = layout.print.page();
        assert!(w > h && (w - 841.89).abs() < 0.1, "{w} x {h}: A4 landscape");
        assert_eq!(layout.print.scale, 0.8);
        assert_eq!((layout.print.margins.left, layout.print.margins.header), (72.0, 18.0));
        assert_eq!(layout.print.footer, "Page &P of");
        assert!(layout.print.header.is_empty());
        assert!(layout.print.gridlines);
        assert_eq!(layout.print.fit, Some((1, 0)));
        assert_eq!(layout.print.row_breaks, vec![20]);
        // A truncated stream reads nothing, and never panics.
        for cut in 0..globals.len() {
            let _ = read_workbook(&globals[..cut]);
        }
    }
}
