//! A sheet as printed pages: the shown range split down, then across, and each page drawn
//! with its caption, fills, gridlines, text and borders.

use std::collections::HashMap;

use super::drawings::{Anchored, Marker, Media};
use super::{caption, SheetModel, CAPTION, DEFAULT_COLUMN, DEFAULT_ROW, GRID, MARGIN_X, MARGIN_Y, MAX_COLUMNS, MAX_ROWS, PAGE};
use crate::layout::paint::{Align, Block, Canvas, Painter, ShapeKind};

/// A page's share of a sheet: the rows and columns it shows.
#[derive(Debug, Clone)]
pub(super) struct Band {
    rows: Vec<u32>,
    columns: Vec<u32>,
}

impl SheetModel {
    fn width(&self, col: u32) -> f32 {
        if self.hidden_columns.iter().any(|(a, b)| (*a..=*b).contains(&col)) {
            return 0.0;
        }
        self.widths.get(&col).copied().or(self.default_column).unwrap_or(DEFAULT_COLUMN)
    }

    fn height(&self, row: u32) -> f32 {
        if self.hidden_rows.contains(&row) {
            return 0.0;
        }
        self.heights.get(&row).copied().or(self.default_row).unwrap_or(DEFAULT_ROW)
    }

    /// The range shown: the print area, or from A1 to the used cells and anchored drawings.
    fn shown(&self) -> Option<((u32, u32), (u32, u32))> {
        if let Some(((r0, c0), (r1, c1))) = self.print_area {
            return Some(((r0, c0), (r1.min(MAX_ROWS - 1), c1.min(MAX_COLUMNS - 1))));
        }
        // Printing starts at A1, as Excel and LibreOffice print, and ends at the last used
        // cell or drawing.
        let corners = self.cells.keys().map(|&(r, c)| (r, c)).chain(self.drawings.iter().map(|d| self.cells_of(d).1));
        corners.fold(None, |range, (r, c)| {
            let (_, (last_row, last_col)) = range.unwrap_or(((0, 0), (r, c)));
            Some(((0, 0), (last_row.max(r).min(MAX_ROWS - 1), last_col.max(c).min(MAX_COLUMNS - 1))))
        })
    }

    /// Distance of a column's left edge from column A, in points.
    fn x_of(&self, col: u32) -> f32 {
        (0..col.min(MAX_COLUMNS)).map(|c| self.width(c)).sum()
    }

    /// Distance of a row's top edge from row 1, in points.
    fn y_of(&self, row: u32) -> f32 {
        (0..row.min(MAX_ROWS)).map(|r| self.height(r)).sum()
    }

    /// A drawing's box in points from A1's corner.
    fn box_of(&self, d: &Anchored) -> [f32; 4] {
        let at = |&(col, dx, row, dy): &Marker| (self.x_of(col) + dx, self.y_of(row) + dy);
        let (x0, y0) = at(&d.from);
        let (x1, y1) = match (&d.to, d.size) {
            (Some(to), _) => at(to),
            (None, Some((w, h))) => (x0 + w, y0 + h),
            (None, None) => (x0, y0),
        };
        [x0, y0, x1.max(x0), y1.max(y0)]
    }

    /// The cells a drawing covers: its first and last (row, column).
    fn cells_of(&self, d: &Anchored) -> ((u32, u32), (u32, u32)) {
        let first = (d.from.2.min(MAX_ROWS - 1), d.from.0.min(MAX_COLUMNS - 1));
        let last = match (&d.to, d.size) {
            (Some(to), _) => (to.2.min(MAX_ROWS - 1), to.0.min(MAX_COLUMNS - 1)),
            (None, size) => {
                let (w, h) = size.unwrap_or_default();
                let mut col = first.1;
                let mut x = self.width(col) - d.from.1;
                while x < w && col + 1 < MAX_COLUMNS {
                    col += 1;
                    x += self.width(col).max(1.0);
                }
                let mut row = first.0;
                let mut y = self.height(row) - d.from.3;
                while y < h && row + 1 < MAX_ROWS {
                    row += 1;
                    y += self.height(row).max(1.0);
                }
                (row, col)
            }
        };
        (first, (last.0.max(first.0), last.1.max(first.1)))
    }
}

/// Splits the shown range into pages: down first, then across.
pub(super) fn bands(model: &SheetModel) -> Vec<Band> {
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
            let (Some(&top), Some(&bottom)) = (rows.first(), rows.last()) else { continue };
            let drawn = model.drawings.iter().any(|d| {
                let ((r0, c0), (r1, c1)) = model.cells_of(d);
                r0 <= bottom && r1 >= top && c0 <= last && c1 >= first
            });
            if drawn || rows.iter().any(|&r| model.cells.range((r, first)..=(r, last)).next().is_some()) {
                bands.push(Band { rows: rows.clone(), columns: columns.clone() });
            }
        }
    }
    bands
}

/// Draws one page of a sheet: caption, fills, gridlines, text, borders, then the charts
/// and pictures anchored over them.
pub(super) fn draw_band(painter: &mut Painter, canvas: &mut Canvas, page: usize, (sheet, model): (usize, &SheetModel), band: &Band, media: &mut Media) {
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
    // Drawings, placed from the band's first cell and cut at its edges (the rest of a
    // drawing is on the neighbouring pages).
    let (Some(&first_col), Some(&first_row)) = (band.columns.first(), band.rows.first()) else { return };
    let (origin_x, origin_y) = (model.x_of(first_col), model.y_of(first_row));
    let mut clipped = false;
    for (index, drawing) in model.drawings.iter().enumerate() {
        let [x0, y0, x1, y1] = model.box_of(drawing);
        let rect = [MARGIN_X + x0 - origin_x, top + y0 - origin_y, MARGIN_X + x1 - origin_x, top + y1 - origin_y];
        if rect[2] <= MARGIN_X || rect[0] >= right || rect[3] <= top || rect[1] >= bottom || x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            continue;
        }
        let Some(figure) = media.figure(painter, canvas, (sheet, index), drawing, (x1 - x0, y1 - y0), &model.name) else { continue };
        if !clipped {
            canvas.clip(page, [MARGIN_X, top, right, bottom]);
            clipped = true;
        }
        canvas.image(page, figure, rect);
    }
    if clipped {
        canvas.end_clip(page);
    }
}
