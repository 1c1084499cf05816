//! PowerPoint tables: cells with their margins, anchors, fills, borders and spans, and the
//! table styles that format a table by region (the whole table, banded rows and columns,
//! the first and last row and column). A style is defined in `ppt/tableStyles.xml`, or is
//! one of PowerPoint's built-in styles, which a file names by id only: the Medium Style 2
//! family (PowerPoint's default, a filled header row over banded rows) and the two plain
//! styles are known here, as LibreOffice knows them.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::draw::{Drawing, TextSetup};
use super::model::{CellModel, Para, TableModel, MAX_TABLE_SIDE};
use super::parse::EMU_PER_POINT;
use crate::layout::paint::{Block, Rgb, Stroke};
use crate::ooxml::attr;
use crate::ooxml::color::{self, Theme};
use crate::ooxml::walk::{self, Handler, Stack};

/// Table styles by id.
pub(super) type Styles = HashMap<String, TableStyle>;

/// Most styles read from one presentation.
const MAX_STYLES: usize = 500;

/// The regions a style formats, in the order they are applied (later ones win): the whole
/// table, odd and even columns, odd and even rows, first row, last row, first column, last
/// column. The element names in a style definition, in that order.
const REGIONS: [&[u8]; 9] = [b"wholeTbl", b"band1V", b"band2V", b"band1H", b"band2H", b"firstRow", b"lastRow", b"firstCol", b"lastCol"];

/// The border sides of a region: left, right, top, bottom, between its rows, between its
/// columns.
const SIDES: [&[u8]; 6] = [b"left", b"right", b"top", b"bottom", b"insideH", b"insideV"];

/// A border that is set (`Some`): a line, or none (`noFill`).
type Border = Option<Option<Stroke>>;

/// How a style formats one region. Unset properties leave what earlier regions set.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RegionStyle {
    /// The cells' fill; `Some(None)` for none.
    fill: Option<Option<Rgb>>,
    /// The text's colour and weight.
    text: Option<Rgb>,
    bold: Option<bool>,
    /// Borders by [`SIDES`].
    borders: [Border; 6],
}

/// A table style: its regions by [`REGIONS`].
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct TableStyle {
    regions: [RegionStyle; 9],
}

/// The styles a `ppt/tableStyles.xml` part defines, by id, with theme colours resolved.
pub(super) fn parse_styles(xml: &[u8], theme: &Theme) -> Styles {
    let mut reader = StyleReader { theme, styles: HashMap::new(), current: None, color: None, line_width: 0.75 };
    walk::walk(xml, &mut reader);
    reader.styles
}

/// The style `id` names: the presentation's own definition, else a built-in one.
pub(super) fn style(id: &str, styles: &Styles, theme: &Theme) -> Option<TableStyle> {
    if let Some(style) = styles.get(id) {
        return Some(style.clone());
    }
    let xml = builtin(id)?;
    parse_styles(xml.as_bytes(), theme).into_values().next()
}

/// A built-in style PowerPoint names by id only, written as its definition.
fn builtin(id: &str) -> Option<String> {
    let accent = match id.to_ascii_uppercase().as_str() {
        "{073A0DAA-6AF3-43AB-8588-CEC1D06C72B9}" => "dk1",
        "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}" => "accent1",
        "{21E4AEA4-8DFA-4A89-87EB-49C32662AFE0}" => "accent2",
        "{F5AB1C69-6EDB-4FF4-983F-18BD219EF322}" => "accent3",
        "{00A15C55-8517-42AA-B614-E9B94910E393}" => "accent4",
        "{7DF18680-E054-41AD-8BC1-D1AEF772440D}" => "accent5",
        "{93296810-A885-4BE3-A3E7-6D5BEEA58F35}" => "accent6",
        // No Style, Table Grid: thin text-coloured lines everywhere, no fill.
        "{5940675A-B579-460E-94D1-54222C63F5DA}" => {
            let line = r#"<a:ln w="12700"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill></a:ln>"#;
            let sides: String = ["left", "right", "top", "bottom", "insideH", "insideV"].iter().map(|s| format!("<a:{s}>{line}</a:{s}>")).collect();
            return Some(format!(
                r#"<a:tblStyle styleId="{id}"><a:wholeTbl><a:tcTxStyle><a:schemeClr val="tx1"/></a:tcTxStyle><a:tcStyle><a:tcBdr>{sides}</a:tcBdr><a:fill><a:noFill/></a:fill></a:tcStyle></a:wholeTbl></a:tblStyle>"#
            ));
        }
        // No Style, No Grid.
        "{2D5ABB26-0587-4C30-8999-92F81FD0307C}" => {
            return Some(format!(
                r#"<a:tblStyle styleId="{id}"><a:wholeTbl><a:tcTxStyle><a:schemeClr val="tx1"/></a:tcTxStyle><a:tcStyle><a:fill><a:noFill/></a:fill></a:tcStyle></a:wholeTbl></a:tblStyle>"#
            ));
        }
        _ => return None,
    };
    // Medium Style 2: white lines between cells filled with a light tint of the colour,
    // every other row a darker tint, the first and last row and column filled with the
    // colour itself, in bold white; thicker white lines below the first row and above the
    // last.
    let light = |line: &str| format!(r#"<a:ln w="{line}"><a:solidFill><a:schemeClr val="lt1"/></a:solidFill></a:ln>"#);
    let sides: String = ["left", "right", "top", "bottom", "insideH", "insideV"].iter().map(|s| format!("<a:{s}>{}</a:{s}>", light("12700"))).collect();
    let tint = |t: u32| format!(r#"<a:fill><a:solidFill><a:schemeClr val="{accent}"><a:tint val="{t}"/></a:schemeClr></a:solidFill></a:fill>"#);
    let strong = |border: &str| {
        format!(
            r#"<a:tcTxStyle b="on"><a:schemeClr val="lt1"/></a:tcTxStyle><a:tcStyle><a:tcBdr>{border}</a:tcBdr><a:fill><a:solidFill><a:schemeClr val="{accent}"/></a:solidFill></a:fill></a:tcStyle>"#
        )
    };
    Some(format!(
        r#"<a:tblStyle styleId="{id}"><a:wholeTbl><a:tcTxStyle><a:schemeClr val="dk1"/></a:tcTxStyle><a:tcStyle><a:tcBdr>{sides}</a:tcBdr>{whole}</a:tcStyle></a:wholeTbl><a:band1H><a:tcStyle>{band}</a:tcStyle></a:band1H><a:band1V><a:tcStyle>{band}</a:tcStyle></a:band1V><a:lastCol>{last_col}</a:lastCol><a:firstCol>{first_col}</a:firstCol><a:lastRow>{last_row}</a:lastRow><a:firstRow>{first_row}</a:firstRow></a:tblStyle>"#,
        whole = tint(20_000),
        band = tint(40_000),
        last_col = strong(""),
        first_col = strong(""),
        last_row = strong(&format!("<a:top>{}</a:top>", light("38100"))),
        first_row = strong(&format!("<a:bottom>{}</a:bottom>", light("38100"))),
    ))
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Ctx {
    Other,
    Skip,
    Style,
    Region(usize),
    /// The region's text: a colour directly inside (or inside its `fontRef`).
    Text,
    /// A region's borders (`a:tcBdr`).
    Borders,
    /// A border side, and the line inside it.
    Side(usize),
    /// The region's fill (`a:fill`, or a theme fill by reference).
    Fill,
    Color,
}

struct StyleReader<'a> {
    theme: &'a Theme,
    styles: Styles,
    /// The style being read: its id and definition.
    current: Option<(String, TableStyle)>,
    color: Option<Rgb>,
    /// The width of the border line being read, in points.
    line_width: f32,
}

impl StyleReader<'_> {
    fn region(&mut self, stack: &Stack<Ctx>) -> Option<&mut RegionStyle> {
        let Some(Ctx::Region(i)) = stack.nearest(|c| matches!(c, Ctx::Region(_))) else { return None };
        self.current.as_mut().map(|(_, style)| &mut style.regions[i])
    }
}

impl Handler for StyleReader<'_> {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn done(&self) -> bool {
        self.styles.len() >= MAX_STYLES
    }

    fn start(&mut self, e: &BytesStart<'_>, _: bool, stack: &Stack<Ctx>) -> Ctx {
        let name = e.local_name();
        let name = name.as_ref().as_bytes();
        match name {
            b"tblStyle" => {
                self.current = attr(e, b"styleId").map(|id| (id, TableStyle::default()));
                Ctx::Style
            }
            _ if stack.top() == Some(Ctx::Style) => REGIONS.iter().position(|r| *r == name).map_or(Ctx::Skip, Ctx::Region),
            b"tcTxStyle" => {
                let bold = attr(e, b"b").map(|b| b == "on");
                if let Some(region) = self.region(stack) {
                    region.bold = bold.or(region.bold);
                }
                Ctx::Text
            }
            b"tcBdr" => Ctx::Borders,
            _ if stack.top() == Some(Ctx::Borders) => SIDES.iter().position(|s| *s == name).map_or(Ctx::Skip, Ctx::Side),
            b"ln" if matches!(stack.top(), Some(Ctx::Side(_))) => {
                self.line_width =
                    attr(e, b"w").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map_or(0.75, |v| (v / EMU_PER_POINT).clamp(0.1, 50.0));
                stack.top().unwrap_or(Ctx::Other)
            }
            b"lnRef" if matches!(stack.top(), Some(Ctx::Side(_))) => {
                // A theme line by index: the Office themes' widths.
                self.line_width = match attr(e, b"idx").as_deref() {
                    Some("2") => 1.0,
                    Some("3") => 1.5,
                    _ => 0.5,
                };
                stack.top().unwrap_or(Ctx::Other)
            }
            b"fill" | b"fillRef" => {
                if name == b"fillRef" && attr(e, b"idx").as_deref() == Some("0") {
                    if let Some(region) = self.region(stack) {
                        region.fill = Some(None);
                    }
                }
                Ctx::Fill
            }
            b"noFill" => {
                let side = stack.nearest(|c| matches!(c, Ctx::Side(_) | Ctx::Fill));
                if let Some(region) = self.region(stack) {
                    match side {
                        Some(Ctx::Side(s)) => region.borders[s] = Some(None),
                        Some(Ctx::Fill) => region.fill = Some(None),
                        _ => {}
                    }
                }
                Ctx::Other
            }
            b"srgbClr" | b"schemeClr" | b"sysClr" | b"prstClr" => {
                self.color = color::base_color(e, self.theme);
                Ctx::Color
            }
            _ if stack.top() == Some(Ctx::Color) => {
                if let Some(rgb) = self.color.as_mut() {
                    *rgb = color::modify(*rgb, e);
                }
                Ctx::Other
            }
            _ => Ctx::Other,
        }
    }

    fn end(&mut self, ctx: Ctx, stack: &Stack<Ctx>) {
        match ctx {
            Ctx::Style => {
                if let Some((id, style)) = self.current.take() {
                    self.styles.insert(id, style);
                }
            }
            Ctx::Color => {
                let Some(rgb) = self.color.take() else { return };
                let target = stack.nearest(|c| matches!(c, Ctx::Text | Ctx::Side(_) | Ctx::Fill));
                let width = self.line_width;
                if let Some(region) = self.region(stack) {
                    match target {
                        Some(Ctx::Text) => region.text = Some(rgb),
                        Some(Ctx::Side(s)) => region.borders[s] = Some(Some((rgb, width))),
                        Some(Ctx::Fill) => region.fill = Some(Some(rgb)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, _: &str, _: &Stack<Ctx>) {}
}

/// What a cell gets from its table's style: fill, text colour and weight, and borders
/// (left, right, top, bottom).
#[derive(Debug, Clone, Default, PartialEq)]
struct CellLook {
    fill: Option<Rgb>,
    text: Option<Rgb>,
    bold: Option<bool>,
    borders: [Option<Stroke>; 4],
}

/// A cell's look from `style`: each region that covers the cell (by `regions`, the flags
/// of the table, as [`TableModel::regions`]) formats it in turn, its borders taken from
/// the region's outer sides where the cell's edge lies on them and from its inside lines
/// elsewhere.
fn cell_look(style: &TableStyle, regions: [bool; 6], (rows, cols): (usize, usize), (r, c): (usize, usize), (row_span, col_span): (usize, usize)) -> CellLook {
    let [first_row, last_row, first_col, last_col, band_row, band_col] = regions;
    let (r1, c1) = (r + row_span - 1, c + col_span - 1);
    let band_r = r.saturating_sub(usize::from(first_row));
    let band_c = c.saturating_sub(usize::from(first_col));
    let whole = (0, rows - 1, 0, cols - 1);
    // Each region that applies, with its bounds: first row, last row, first column, last column.
    let covering: [(bool, (usize, usize, usize, usize)); 9] = [
        (true, whole),
        (band_col && band_c % 2 == 0, (0, rows - 1, c, c1)),
        (band_col && band_c % 2 == 1, (0, rows - 1, c, c1)),
        (band_row && band_r % 2 == 0, (r, r1, 0, cols - 1)),
        (band_row && band_r % 2 == 1, (r, r1, 0, cols - 1)),
        (first_row && r == 0, (0, 0, 0, cols - 1)),
        (last_row && r1 == rows - 1, (rows - 1, rows - 1, 0, cols - 1)),
        (first_col && c == 0, (0, rows - 1, 0, 0)),
        (last_col && c1 == cols - 1, (0, rows - 1, cols - 1, cols - 1)),
    ];
    let mut look = CellLook::default();
    for (region, (applies, (top, bottom, left, right))) in style.regions.iter().zip(covering) {
        if !applies {
            continue;
        }
        if let Some(fill) = region.fill {
            look.fill = fill;
        }
        look.text = region.text.or(look.text);
        look.bold = region.bold.or(look.bold);
        let edges = [(c == left, 0, 5), (c1 == right, 1, 5), (r == top, 2, 4), (r1 == bottom, 3, 4)];
        for (k, (outer, side, inside)) in edges.into_iter().enumerate() {
            if let Some(border) = region.borders[if outer { side } else { inside }] {
                look.borders[k] = border;
            }
        }
    }
    look
}

/// DrawingML's default cell margins: left, right, top, bottom.
const CELL_MARGINS: [f32; 4] = [7.2, 7.2, 3.6, 3.6];

impl Drawing<'_, '_> {
    /// Draws a table with its top left corner at (`x`, `y`): rows as high as their text
    /// needs (at least their own height), spanning cells over their rows and columns,
    /// fills first, then borders over them, then text.
    pub(super) fn table(&mut self, table: &TableModel, x: f32, y: f32) {
        let rows = table.rows.len();
        // Every grid position has a cell; those a spanning cell covers are marked merged.
        let cols = table.columns.len().max(table.rows.iter().map(|r| r.1.len()).max().unwrap_or(0));
        if table.cut {
            self.missing.push(format!("table cells beyond {MAX_TABLE_SIDE} rows or columns"));
        }
        if rows == 0 || cols == 0 {
            return;
        }
        let style = table.style.as_deref().and_then(|id| super::table::style(id, self.table_styles, self.theme)).unwrap_or_default();
        let column_at = |i: usize| table.columns.get(i).copied().unwrap_or(72.0);
        let plain = TextSetup::plain(self.styles);
        // Each cell drawn: row, column, spans, look and blocks.
        let mut cells = Vec::new();
        for (r, (_, row)) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.merged) {
                let span = (cell.span.1.min(rows - r), cell.span.0.min(cols - c));
                let look = cell_look(&style, table.regions, (rows, cols), (r, c), span);
                let blocks: Vec<Block> = cell.paras.iter().map(|p| self.block(&styled(p, &look), &plain, 1.0)).collect();
                cells.push((r, c, span, look, blocks, cell));
            }
        }
        // Row heights: single-row cells first, then rows grown for the cells spanning them.
        let mut heights: Vec<f32> = table.rows.iter().map(|r| r.0).collect();
        let mut needed = Vec::with_capacity(cells.len());
        for (_, c, (_, col_span), _, blocks, cell) in &cells {
            let [left, right, top, bottom] = margins(cell);
            let width: f32 = (*c..c + col_span).map(column_at).sum();
            needed.push(self.text_height(blocks, (width - left - right).max(4.0), false) + top + bottom);
        }
        for pass in [false, true] {
            for ((r, _, (row_span, _), ..), need) in cells.iter().zip(&needed) {
                if (*row_span > 1) != pass {
                    continue;
                }
                let have: f32 = heights[*r..r + row_span].iter().sum();
                if *need > have {
                    heights[r + row_span - 1] += need - have;
                }
            }
        }
        let tops: Vec<f32> = heights.iter().scan(y, |top, h| Some(std::mem::replace(top, *top + h))).collect();
        let lefts: Vec<f32> = (0..cols).scan(x, |left, i| Some(std::mem::replace(left, *left + column_at(i)))).collect();
        let rect_of = |r: usize, c: usize, (row_span, col_span): (usize, usize)| {
            let (x0, y0) = (lefts[c], tops[r]);
            [x0, y0, x0 + (c..c + col_span).map(column_at).sum::<f32>(), y0 + heights[r..r + row_span].iter().sum::<f32>()]
        };
        for (r, c, span, look, _, cell) in &cells {
            let fill = match cell.fill {
                Some(fill) => fill,
                None => look.fill,
            };
            if let Some(fill) = fill {
                self.canvas.shape(self.page, crate::layout::paint::ShapeKind::Rect, rect_of(*r, *c, *span), Some(fill), None);
            }
        }
        for (r, c, span, look, _, cell) in &cells {
            let [x0, y0, x1, y1] = rect_of(*r, *c, *span);
            let edges = [((x0, y0), (x0, y1)), ((x1, y0), (x1, y1)), ((x0, y0), (x1, y0)), ((x0, y1), (x1, y1))];
            for (k, (from, to)) in edges.into_iter().enumerate() {
                let border = match cell.borders[k] {
                    Some(border) => border,
                    None => look.borders[k],
                };
                if let Some(stroke) = border {
                    self.canvas.line(self.page, from, to, stroke);
                }
            }
        }
        for (r, c, span, _, blocks, cell) in &cells {
            let [x0, y0, x1, y1] = rect_of(*r, *c, *span);
            let [left, right, top, bottom] = margins(cell);
            let inner = [x0 + left, y0 + top, (x1 - x0 - left - right).max(4.0), (y1 - y0 - top - bottom).max(0.0)];
            self.text_box(blocks, inner, cell.anchor.as_deref().unwrap_or("t"), false);
        }
    }
}

/// A cell's margins: left, right, top, bottom.
fn margins(cell: &CellModel) -> [f32; 4] {
    [0, 1, 2, 3].map(|k| cell.margins[k].unwrap_or(CELL_MARGINS[k]))
}

/// A cell's paragraph with the text colour and weight its table's style gives runs that
/// set none.
fn styled(para: &Para, look: &CellLook) -> Para {
    let mut para = para.clone();
    for (_, run) in &mut para.runs {
        run.color = run.color.or(look.text);
        run.bold = run.bold.or(look.bold);
    }
    para
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme() -> Theme {
        [("accent1", [0x44, 0x72, 0xC4]), ("lt1", [255, 255, 255]), ("dk1", [0, 0, 0])].into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    #[test]
    fn the_default_style_fills_the_header_with_the_accent_and_bands_the_rows() {
        let style = style("{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}", &Styles::new(), &theme()).expect("built in");
        // First row and banded rows on, as PowerPoint inserts a table.
        let flags = [true, false, false, false, true, false];
        let header = cell_look(&style, flags, (4, 3), (0, 1), (1, 1));
        assert_eq!(header.fill, Some([0x44, 0x72, 0xC4]));
        assert_eq!((header.text, header.bold), (Some([255, 255, 255]), Some(true)));
        // Its bottom border is the thick white line; the sides between cells thin white.
        assert_eq!(header.borders[3], Some(([255, 255, 255], 3.0)));
        assert_eq!(header.borders[0], Some(([255, 255, 255], 1.0)));
        // The first body row takes the darker band, the next the lighter whole-table tint.
        let band1 = cell_look(&style, flags, (4, 3), (1, 0), (1, 1)).fill.expect("filled");
        let band2 = cell_look(&style, flags, (4, 3), (2, 0), (1, 1)).fill.expect("filled");
        assert!(band1[0] < band2[0] && band2[0] < 255, "{band1:?} {band2:?}");
        assert_eq!(cell_look(&style, flags, (4, 3), (2, 0), (1, 1)).text, Some([0, 0, 0]));
        // Without the header flag the first row is a band like the others.
        let plain = cell_look(&style, [false, false, false, false, true, false], (4, 3), (0, 1), (1, 1));
        assert_eq!(plain.fill, Some(band1));
    }

    #[test]
    fn a_style_defined_in_the_file_wins_and_unknown_ids_have_none() {
        let xml = br#"<a:tblStyleLst xmlns:a="a"><a:tblStyle styleId="{X}"><a:wholeTbl><a:tcStyle><a:tcBdr><a:insideH><a:ln w="25400"><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></a:ln></a:insideH><a:bottom><a:ln><a:noFill/></a:ln></a:bottom></a:tcBdr><a:fill><a:solidFill><a:schemeClr val="accent1"><a:lumMod val="50000"/></a:schemeClr></a:solidFill></a:fill></a:tcStyle></a:wholeTbl></a:tblStyle></a:tblStyleLst>"#;
        let styles = parse_styles(xml, &theme());
        let style = style("{X}", &styles, &theme()).expect("defined");
        let middle = cell_look(&style, [false; 6], (3, 1), (1, 0), (1, 1));
        assert_eq!(middle.borders[2], Some(([255, 0, 0], 2.0)));
        assert_eq!(middle.borders[3], Some(([255, 0, 0], 2.0)));
        assert_eq!(cell_look(&style, [false; 6], (3, 1), (2, 0), (1, 1)).borders[3], None);
        assert!(middle.fill.is_some_and(|f| f[2] < 0xC4));
        assert_eq!(super::style("{nothing}", &styles, &theme()), None);
    }
}
