//! Word tables: the outermost table of a part as it is read (grid, rows, cells with spans,
//! vertical merges, fills and borders), resolved against its table style into a paint
//! table. Nested tables' paragraphs join their cell.

use quick_xml::events::BytesStart;

use super::styles::{Styles, TableLook};
use crate::layout::paint::{Align, Block, Borders, Cell, Rgb, Row, Stroke, Table, CELL_PADDING};
use crate::ooxml::{self, attr};

/// Border sides as a table or cell gives them; `Some(None)` is an explicit "no border".
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct BorderSet {
    pub(super) top: Option<Option<Stroke>>,
    pub(super) bottom: Option<Option<Stroke>>,
    pub(super) left: Option<Option<Stroke>>,
    pub(super) right: Option<Option<Stroke>>,
    pub(super) inside_h: Option<Option<Stroke>>,
    pub(super) inside_v: Option<Option<Stroke>>,
}

impl BorderSet {
    pub(super) fn set(&mut self, e: &BytesStart<'_>) {
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

    pub(super) fn overlay(&self, over: &BorderSet) -> BorderSet {
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
pub(super) fn border(e: &BytesStart<'_>) -> Option<Stroke> {
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
pub(super) struct CellBuf {
    pub(super) span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    pub(super) v_merge: Option<bool>,
    pub(super) fill: Option<Rgb>,
    pub(super) borders: BorderSet,
    pub(super) content: Vec<Block>,
    /// `vAlign`: top, center or bottom.
    pub(super) v_align: Align,
}

/// A table being read (only the outermost; nested tables' paragraphs join their cell).
#[derive(Default)]
pub(super) struct TableBuf {
    pub(super) grid: Vec<f32>,
    pub(super) style: Option<String>,
    pub(super) borders: BorderSet,
    pub(super) indent: f32,
    pub(super) rows: Vec<RowBuf>,
    /// `tblCellMar`: the cells' default margins (top, left, bottom, right), in points.
    pub(super) margins: [Option<f32>; 4],
    /// `tblLook`: which parts its style formats on their own.
    pub(super) look: TableLook,
    /// `jc`: where the table sits between the margins, from its start side. `left` and
    /// `right` are read as start and end, as Word writes them for both directions.
    pub(super) align: Align,
    /// `bidiVisual`: a right-to-left table, whose first cell is its rightmost.
    pub(super) right_to_left: bool,
}

impl TableBuf {
    /// The grid row and column of the cell being read.
    pub(super) fn current_cell(&self) -> Option<(usize, usize)> {
        let row = self.rows.last()?;
        let col = row.cells.iter().rev().skip(1).map(|c| c.span.max(1)).sum();
        Some((self.rows.len() - 1, col))
    }
}

/// A `w:tblCellMar` side (`w:top w:w="0" w:type="dxa"`) into `margins`.
pub(super) fn set_margin(margins: &mut [Option<f32>; 4], e: &BytesStart<'_>) {
    let side = match e.local_name().as_ref().as_bytes() {
        b"top" => 0,
        b"left" | b"start" => 1,
        b"bottom" => 2,
        b"right" | b"end" => 3,
        _ => return,
    };
    // Only widths in twips (`dxa`, the default); percentages of a cell are rare.
    if attr(e, b"type").is_none_or(|t| t == "dxa") {
        margins[side] = super::styles::twips(e, b"w").map(|w| w.clamp(0.0, 200.0));
    }
}

/// A row being read: `trHeight`, `tblHeader`, `cantSplit` and its cells.
#[derive(Default)]
pub(super) struct RowBuf {
    pub(super) min_height: f32,
    pub(super) header: bool,
    pub(super) cant_split: bool,
    pub(super) cells: Vec<CellBuf>,
}

impl TableBuf {
    /// Resolves borders and merges into a paint table.
    pub(super) fn finish(self, styles: &Styles, content_width: f32) -> Table {
        let style_borders = self.style.as_deref().and_then(|s| styles.table_borders(s)).unwrap_or_default();
        // Word's default cell margins: 0.075 in left and right, none above and below.
        let style_margins = self.style.as_deref().map(|s| styles.table_margins(s)).unwrap_or_default();
        let default = [0.0, CELL_PADDING, 0.0, CELL_PADDING];
        let padding: [f32; 4] = std::array::from_fn(|i| self.margins[i].or(style_margins[i]).unwrap_or(default[i]));
        let borders = style_borders.overlay(&self.borders);
        let columns = self.rows.iter().map(|row| row.cells.iter().map(|c| c.span.max(1)).sum::<usize>()).max().unwrap_or(1);
        let grid = if self.grid.len() >= columns && self.grid.iter().sum::<f32>() > 10.0 { self.grid } else { vec![content_width / columns as f32; columns] };
        let row_count = self.rows.len();
        let mut rows: Vec<Row> = Vec::with_capacity(row_count);
        // Grid column -> index in the previous row, to suppress borders inside merges.
        for (r, RowBuf { min_height, header, cant_split, cells }) in self.rows.into_iter().enumerate() {
            let mut row = Row { min_height, cells: Vec::new(), padding: Some(padding), header, cant_split };
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
                    if let Some(above) = rows.last_mut().and_then(|prev| prev.cell_at(column)) {
                        above.borders.bottom = None;
                    }
                }
                let content = if cell.v_merge == Some(false) { Vec::new() } else { cell.content };
                // Without its own fill, a cell takes its table style's for the parts it is in.
                let fill = cell.fill.or_else(|| {
                    let parts = self.look.parts(r, column, Some(row_count), Some(grid.len()));
                    self.style.as_deref().and_then(|s| styles.table_part(s, &parts).1)
                });
                row.cells.push(Cell { span, content, fill, borders: resolved, v_align: cell.v_align, picture: None });
                column += span;
            }
            // Text sits inside its cell's borders, as LibreOffice lays Word tables out: a
            // row is taller by its top border's width, the last row by its bottom one's too.
            let widest =
                |side: fn(&Borders) -> Option<Stroke>| row.cells.iter().filter_map(|c| side(&c.borders)).map(|s| s.1.clamp(0.0, 20.0)).fold(0.0, f32::max);
            let (top, bottom) = (widest(|b| b.top), widest(|b| b.bottom));
            if let Some(p) = row.padding.as_mut() {
                p[0] += top;
                if r + 1 == row_count {
                    p[2] += bottom;
                }
            }
            rows.push(row);
        }
        // Placed across the line when it is laid out, where the section's width is known:
        // the indent counts from the start margin, the right one for a right-to-left table.
        let (align, indent) = match (self.align, self.right_to_left) {
            (Align::Center, _) => (Align::Center, 0.0),
            (Align::End, false) => (Align::End, 0.0),
            (Align::Start | Align::Justify, true) => (Align::End, self.indent),
            (Align::End, true) => (Align::Start, 0.0),
            _ => (Align::Start, self.indent),
        };
        let mut table = Table { columns: grid, rows, indent, align, ..Default::default() };
        if self.right_to_left {
            mirror(&mut table);
        }
        table
    }
}

/// Turns a table read in logical order into its right-to-left picture: the grid and each
/// row's cells reversed, each cell's left and right borders swapped. A row with fewer cells
/// than the grid keeps them at its start, the right, after an empty cell.
fn mirror(table: &mut Table) {
    let columns = table.columns.len();
    table.columns.reverse();
    for row in &mut table.rows {
        let used: usize = row.cells.iter().map(|c| c.span.max(1)).sum();
        row.cells.reverse();
        for cell in &mut row.cells {
            std::mem::swap(&mut cell.borders.left, &mut cell.borders.right);
        }
        if used < columns {
            row.cells.insert(0, Cell { span: columns - used, ..Default::default() });
        }
    }
}
