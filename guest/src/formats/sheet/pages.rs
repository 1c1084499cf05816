//! A sheet as printed pages, as Excel prints it: the shown range split at the page size
//! (or at manual breaks), scaled or fitted to pages, with print titles repeated, down then
//! across (or across then down), centred when asked; each page drawn with its fills, text,
//! borders, printed gridlines and headings, charts and pictures, header and footer.
//!
//! Widths and heights here are in the sheet's own points (100 %); a page's cells are drawn
//! inside a zoom by the print scale.

use std::collections::HashMap;

use super::drawings::{Anchored, Marker, Media};
use super::print::{self, Fields};
use super::{caption, SheetModel, CAPTION, DEFAULT_COLUMN, DEFAULT_ROW, GRID, MAX_COLUMNS, MAX_ROWS};
use crate::layout::paint::{Align, Block, Canvas, Painter, ShapeKind, SpanStyle, Stroke};

/// Printed gridlines and heading boxes: thin black, as Excel prints them.
const PRINTED_GRID: Stroke = ([0, 0, 0], 0.75);
/// Height of the column headings' row.
const HEADING_ROW: f32 = 15.0;

/// A page's share of a sheet: the rows and columns it shows, and whether the print titles
/// are repeated before them.
#[derive(Debug, Clone)]
pub(super) struct Band {
    rows: Vec<u32>,
    columns: Vec<u32>,
    title_rows: bool,
    title_columns: bool,
}

/// A sheet split into pages at one scale.
pub(super) struct Printed {
    pub scale: f32,
    /// Room the row and column headings take (width, height), the same on every page.
    pub heading: (f32, f32),
    pub bands: Vec<Band>,
}

/// How a page is drawn beyond the sheet's own print setup.
#[derive(Clone, Copy)]
pub(super) struct Style<'a> {
    /// Screen-style gridlines and a caption naming the sheet (a render option).
    pub screen: bool,
    /// The print date and time, written out, for `&D` and `&T`.
    pub date: &'a str,
    pub time: &'a str,
    /// The workbook's default font, which headers and footers start from.
    pub font: &'a SpanStyle,
}

impl SheetModel {
    pub(super) fn width(&self, col: u32) -> f32 {
        if self.hidden_columns.iter().any(|(a, b)| (*a..=*b).contains(&col)) {
            return 0.0;
        }
        self.widths.get(&col).copied().or(self.default_column).unwrap_or(DEFAULT_COLUMN)
    }

    pub(super) fn height(&self, row: u32) -> f32 {
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

    /// The print title rows and columns that lie before the shown range's pages, with
    /// their total height and width.
    fn titles(&self) -> (Vec<u32>, Vec<u32>) {
        let rows = self.title_rows.map_or(Vec::new(), |(a, b)| (a..=b.min(MAX_ROWS - 1)).filter(|&r| self.height(r) > 0.0).collect());
        let columns = self.title_columns.map_or(Vec::new(), |(a, b)| (a..=b.min(MAX_COLUMNS - 1)).filter(|&c| self.width(c) > 0.0).collect());
        (rows, columns)
    }

    /// Width of the row headings: room for the largest row number shown.
    fn heading_width(&self, last_row: u32) -> f32 {
        let digits = (last_row + 1).to_string().len() as f32;
        digits * 6.0 + 8.0
    }
}

/// Splits `items` into groups whose sizes fit `limit` (given the group's first item),
/// starting a new group at every item in `breaks` (sorted). Items of no size are skipped;
/// an item larger than the limit gets a group of its own.
fn split(items: impl Iterator<Item = u32>, size: &dyn Fn(u32) -> f32, limit: &dyn Fn(u32) -> f32, breaks: &[u32]) -> Vec<Vec<u32>> {
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let (mut used, mut cap) = (0.0, 0.0);
    for i in items {
        let s = size(i);
        if s <= 0.0 {
            continue;
        }
        let start = match groups.last() {
            None => true,
            Some(group) => !group.is_empty() && (used + s > cap || breaks.binary_search(&i).is_ok()),
        };
        if start {
            groups.push(Vec::new());
            used = 0.0;
            cap = limit(i);
        }
        used += s;
        groups.last_mut().expect("a group").push(i);
    }
    groups
}

/// Splits a sheet into printed pages as its print setup asks: at its scale, or at the
/// largest scale (10 %–100 %, in whole percent) that fits it on the pages asked for, in
/// which case manual breaks are ignored, as Excel ignores them.
pub(super) fn paginate(model: &SheetModel, screen: bool) -> Printed {
    let Some(((r0, c0), (r1, c1))) = model.shown() else { return Printed { scale: 1.0, heading: (0.0, 0.0), bands: Vec::new() } };
    let setup = &model.print;
    let (page_w, page_h) = setup.page();
    let m = setup.margins;
    let area = ((page_w - m.left - m.right).max(36.0), (page_h - m.top - m.bottom).max(36.0));
    let heading = if setup.headings { (model.heading_width(r1), HEADING_ROW) } else { (0.0, 0.0) };
    let top_extra = heading.1 + if screen { CAPTION } else { 0.0 };
    let (title_rows, title_columns) = model.titles();
    let titles_h: f32 = title_rows.iter().map(|&r| model.height(r)).sum();
    let titles_w: f32 = title_columns.iter().map(|&c| model.width(c)).sum();
    let (after_rows, after_columns) = (model.title_rows.map(|t| t.1), model.title_columns.map(|t| t.1));
    let groups = |scale: f32, breaks: bool| {
        let empty: &[u32] = &[];
        let column_limit = |first: u32| area.0 / scale - heading.0 - if after_columns.is_some_and(|t| first > t) { titles_w } else { 0.0 };
        let row_limit = |first: u32| area.1 / scale - top_extra - if after_rows.is_some_and(|t| first > t) { titles_h } else { 0.0 };
        let columns = split(c0..=c1, &|c| model.width(c), &column_limit, if breaks { &setup.column_breaks } else { empty });
        let rows = split(r0..=r1, &|r| model.height(r), &row_limit, if breaks { &setup.row_breaks } else { empty });
        (columns, rows)
    };
    let (scale, (columns, rows)) = match setup.fit {
        Some((wide, tall)) => {
            let fits = |(c, r): &(Vec<Vec<u32>>, Vec<Vec<u32>>)| (wide == 0 || c.len() <= wide as usize) && (tall == 0 || r.len() <= tall as usize);
            let mut percent = 100u32;
            loop {
                let scale = percent as f32 / 100.0;
                let split = groups(scale, false);
                if percent <= 10 || fits(&split) {
                    break (scale, split);
                }
                percent -= 1;
            }
        }
        None => (setup.scale, groups(setup.scale, true)),
    };
    let band = |rows: &Vec<u32>, columns: &Vec<u32>| {
        let (Some(&first), Some(&last), Some(&top), Some(&bottom)) = (columns.first(), columns.last(), rows.first(), rows.last()) else { return None };
        // Pages with nothing on them are not printed, as Excel does.
        let drawn = model.drawings.iter().any(|d| {
            let ((r0, c0), (r1, c1)) = model.cells_of(d);
            r0 <= bottom && r1 >= top && c0 <= last && c1 >= first
        });
        let used = rows.iter().any(|&r| model.cells.range((r, first)..=(r, last)).next().is_some());
        (drawn || used).then(|| Band {
            rows: rows.clone(),
            columns: columns.clone(),
            title_rows: after_rows.is_some_and(|t| top > t),
            title_columns: after_columns.is_some_and(|t| first > t),
        })
    };
    let mut bands = Vec::new();
    if setup.across_first {
        for r in &rows {
            bands.extend(columns.iter().filter_map(|c| band(r, c)));
        }
    } else {
        for c in &columns {
            bands.extend(rows.iter().filter_map(|r| band(r, c)));
        }
    }
    Printed { scale, heading, bands }
}

/// Where one page's rows or columns go: (index, offset, size) in sheet points.
type Track = Vec<(u32, f32, f32)>;
/// The same, by index: offset and size.
type Places = HashMap<u32, (f32, f32)>;

fn track(items: impl Iterator<Item = u32>, size: impl Fn(u32) -> f32, start: f32) -> (Track, f32) {
    let mut at = start;
    let mut out = Vec::new();
    for i in items {
        let s = size(i);
        out.push((i, at, s));
        at += s;
    }
    (out, at)
}

/// A column's letters: 0 -> A, 27 -> AB.
fn column_name(mut col: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Draws one printed page of a sheet: `number` is its number in the workbook, `sheet_page`
/// its number within the sheet (both 1-based), `pages` the workbook's page count.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_page(
    painter: &mut Painter,
    canvas: &mut Canvas,
    page: usize,
    (sheet, model): (usize, &SheetModel),
    (band, printed): (&Band, &Printed),
    (number, sheet_page, pages): (u32, usize, u32),
    style: Style<'_>,
    media: &mut Media,
) {
    let setup = &model.print;
    let (page_w, page_h) = setup.page();
    let m = setup.margins;
    let (title_rows, title_columns) = model.titles();
    let (scale, heading) = (printed.scale, printed.heading);
    let top0 = if style.screen { CAPTION } else { 0.0 };
    let shown_columns = if band.title_columns { title_columns } else { Vec::new() }.into_iter().chain(band.columns.iter().copied());
    let shown_rows = if band.title_rows { title_rows } else { Vec::new() }.into_iter().chain(band.rows.iter().copied());
    let (columns, right) = track(shown_columns, |c| model.width(c), heading.0);
    let (rows, bottom) = track(shown_rows, |r| model.height(r), top0 + heading.1);
    let (left, top) = (heading.0, top0 + heading.1);
    // Where the band's own cells start (after repeated titles).
    let body_left = columns.iter().find(|(c, _, _)| Some(c) == band.columns.first()).map_or(left, |t| t.1);
    let body_top = rows.iter().find(|(r, _, _)| Some(r) == band.rows.first()).map_or(top, |t| t.1);
    let area = (page_w - m.left - m.right, page_h - m.top - m.bottom);
    let origin = (
        m.left + if setup.center.0 { ((area.0 - right * scale) / 2.0).max(0.0) } else { 0.0 },
        m.top + if setup.center.1 { ((area.1 - bottom * scale) / 2.0).max(0.0) } else { 0.0 },
    );
    canvas.zoom(page, scale, origin);
    if style.screen {
        let caption_text = painter.text(canvas, &caption(&model.name), Some(area.0 / scale));
        canvas.text(page, &caption_text, 0.0, 0.0);
    }
    let xs: Places = columns.iter().map(|&(c, x, w)| (c, (x, w))).collect();
    let ys: Places = rows.iter().map(|&(r, y, h)| (r, (y, h))).collect();
    let grid = if style.screen { Some((GRID, 0.25)) } else { setup.gridlines.then_some(PRINTED_GRID) };
    if let Some(stroke) = grid {
        for &(_, x, _) in &columns {
            canvas.line(page, (x, top), (x, bottom), stroke);
        }
        canvas.line(page, (right, top), (right, bottom), stroke);
        for &(_, y, _) in &rows {
            canvas.line(page, (left, y), (right, y), stroke);
        }
        canvas.line(page, (left, bottom), (right, bottom), stroke);
    }
    if setup.headings {
        draw_headings(painter, canvas, page, (&columns, &rows), (left, top, right, bottom), top0);
    }
    let printable_right = (m.left + area.0 - origin.0) / scale;
    draw_cells(painter, canvas, page, model, (&xs, &ys), (&columns, &rows), printable_right);
    // Drawings, placed from the band's first cell and cut at the edges of its cells (the
    // rest of a drawing is on the neighbouring pages).
    if let (Some(&first_col), Some(&first_row)) = (band.columns.first(), band.rows.first()) {
        let (origin_x, origin_y) = (model.x_of(first_col), model.y_of(first_row));
        let mut clipped = false;
        for (index, drawing) in model.drawings.iter().enumerate() {
            let [x0, y0, x1, y1] = model.box_of(drawing);
            let rect = [body_left + x0 - origin_x, body_top + y0 - origin_y, body_left + x1 - origin_x, body_top + y1 - origin_y];
            if rect[2] <= body_left || rect[0] >= right || rect[3] <= body_top || rect[1] >= bottom || x1 - x0 < 1.0 || y1 - y0 < 1.0 {
                continue;
            }
            let Some(figure) = media.figure(painter, canvas, (sheet, index), drawing, (x1 - x0, y1 - y0), &model.name) else { continue };
            if !clipped {
                canvas.clip(page, [body_left, body_top, right, bottom]);
                clipped = true;
            }
            canvas.image(page, figure, rect);
        }
        if clipped {
            canvas.end_clip(page);
        }
    }
    canvas.end_transform(page);
    // The header and footer, at full size in the margins.
    let (header, footer) = setup.running(sheet_page, number);
    let number = setup.first_page_number.map_or(number, |first| first.saturating_add(sheet_page as u32 - 1));
    let fields = Fields { page: number, pages, sheet: &model.name, date: style.date, time: style.time };
    let base = style.font.clone();
    for (code, at_top) in [(header, true), (footer, false)] {
        if code.is_empty() {
            continue;
        }
        let parts = print::parts(code, &fields, &base);
        for (i, runs) in parts.into_iter().enumerate() {
            if runs.is_empty() {
                continue;
            }
            let block = Block { spans: runs, line_height: 1.0, ..Default::default() };
            let laid = painter.text(canvas, &block, Some(page_w - m.left - m.right));
            let width = laid.width.min(page_w);
            let x = match i {
                0 => m.left,
                1 => (page_w - width) / 2.0,
                _ => page_w - m.right - width,
            };
            let y = if at_top { m.header } else { page_h - m.footer - laid.height() };
            canvas.text(page, &laid, x, y);
        }
    }
}

/// Row numbers and column letters, boxed.
fn draw_headings(
    painter: &mut Painter,
    canvas: &mut Canvas,
    page: usize,
    (columns, rows): (&Track, &Track),
    (left, top, right, bottom): (f32, f32, f32, f32),
    top0: f32,
) {
    let style = SpanStyle { family: "Calibri".into(), size: 10.0, ..Default::default() };
    let label = |painter: &mut Painter, canvas: &mut Canvas, text: String, [x0, y0, x1, y1]: [f32; 4]| {
        let block = Block { spans: vec![(text, style.clone())], align: Align::Center, line_height: 1.0, ..Default::default() };
        let laid = painter.text(canvas, &block, Some((x1 - x0).max(1.0)));
        canvas.text(page, &laid, x0, y0 + ((y1 - y0) - laid.height()).max(0.0) / 2.0);
    };
    for &(c, x, w) in columns {
        label(painter, canvas, column_name(c), [x, top0, x + w, top]);
        canvas.line(page, (x, top0), (x, top), PRINTED_GRID);
    }
    for &(r, y, h) in rows {
        label(painter, canvas, (r + 1).to_string(), [0.0, y, left, y + h]);
        canvas.line(page, (0.0, y), (left, y), PRINTED_GRID);
    }
    canvas.shape(page, ShapeKind::Rect, [0.0, top0, right, bottom], None, Some(PRINTED_GRID));
    canvas.line(page, (left, top0), (left, bottom), PRINTED_GRID);
    canvas.line(page, (0.0, top), (right, top), PRINTED_GRID);
}

/// Fills, text and borders of the cells at `xs` and `ys`: every fill first, so that text
/// spilling into an empty neighbour is drawn over its fill, as Excel shows it.
/// Text past the last column runs on to `limit` (the printable width), when no cell beyond
/// holds a value, as LibreOffice prints it.
fn draw_cells(
    painter: &mut Painter,
    canvas: &mut Canvas,
    page: usize,
    model: &SheetModel,
    (xs, ys): (&Places, &Places),
    (columns, rows): (&Track, &Track),
    limit: f32,
) {
    let merged_into = |r: u32, c: u32| model.merges.iter().find(|((r0, c0), (r1, c1))| (*r0..=*r1).contains(&r) && (*c0..=*c1).contains(&c));
    // A cell with a value stops the text of the cell on its left; one that only has a
    // format does not.
    let holds_value = |r: u32, c: u32| model.cells.get(&(r, c)).is_some_and(|(text, _, _)| !text.is_empty()) || merged_into(r, c).is_some();
    let mut borders = Vec::new();
    let mut texts = Vec::new();
    for &(r, y, h) in rows {
        for (ci, &(c, x, w)) in columns.iter().enumerate() {
            let Some((text, look, numeric)) = model.cells.get(&(r, c)) else { continue };
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
                texts.push((r, ci, rect, text, look, *numeric));
            }
            borders.push((rect, look.borders));
        }
    }
    for (r, ci, [x, y, right, bottom], text, look, numeric) in texts {
        let (w, h) = (right - x, bottom - y);
        let align = look.align.unwrap_or(if numeric { Align::End } else { Align::Start });
        let block = Block { spans: vec![(text.clone(), look.font.clone())], align, line_height: 1.0, ..Default::default() };
        let inner = (w - 4.0).max(1.0);
        let laid = painter.text(canvas, &block, if look.wrap || align != Align::Start { Some(inner) } else { None });
        // Bottom-aligned, as Excel does; text spills right over empty cells.
        let ty = (y + h - laid.height() - 1.0).max(y);
        let spill = if align == Align::Start && !look.wrap {
            let needed = x + laid.width + 4.0;
            let mut end = x + w;
            let mut blocked = false;
            for &(k, _, kw) in &columns[ci + 1..] {
                blocked = holds_value(r, k);
                if end >= needed || blocked {
                    break;
                }
                end += kw;
            }
            let last = columns.last().map_or(0, |t| t.0);
            let beyond_empty = || model.cells.range((r, last.saturating_add(1))..=(r, u32::MAX)).all(|(_, (text, _, _))| text.is_empty());
            if end < needed && !blocked && beyond_empty() {
                end = needed.min(limit.max(end));
            }
            end
        } else {
            x + w
        };
        canvas.clip(page, [x, y, spill, y + h]);
        canvas.text(page, &laid, x + 2.0, ty);
        canvas.end_clip(page);
    }
    for ([x0, y0, x1, y1], [top_b, right_b, bottom_b, left_b]) in borders {
        for (stroke, from, to) in [(top_b, (x0, y0), (x1, y0)), (right_b, (x1, y0), (x1, y1)), (bottom_b, (x0, y1), (x1, y1)), (left_b, (x0, y0), (x0, y1))] {
            if let Some(stroke) = stroke {
                canvas.line(page, from, to, stroke);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_respect_limits_breaks_and_oversized_items() {
        let size = |i: u32| if i == 5 { 50.0 } else { 10.0 };
        let groups = split(0..8, &size, &|_| 30.0, &[2]);
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3, 4], vec![5], vec![6, 7]]);
        // A different limit after the first group (room taken by repeated titles).
        let groups = split(0..6, &|_| 10.0, &|first| if first == 0 { 30.0 } else { 20.0 }, &[]);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(16_383), "XFD");
    }
}
