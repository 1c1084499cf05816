//! What the parser reads from slides, layouts and masters, before inheritance: shapes with
//! their frames, fills, outlines, text and tables; backgrounds; master text styles.

use std::collections::HashMap;

use crate::layout::paint::{Align, Gradient, Hatch, Rgb, Stroke};

/// A shape's frame in points: x, y, width, height.
pub(super) type Frame = [f32; 4];

/// A paragraph of a text body, before its defaults are known.
#[derive(Debug, Clone, Default)]
pub(super) struct Para {
    pub(super) runs: Vec<(String, RunLook)>,
    pub(super) align: Option<Align>,
    pub(super) level: usize,
    pub(super) bullet: Option<Option<String>>,
    /// Where the text and the bullet start, in points from the text box's left edge,
    /// when the file says (otherwise by level).
    pub(super) margin: Option<(f32, f32)>,
    /// Line spacing, and space before and after the paragraph, when the file says.
    pub(super) spacing: Spacings,
}

/// A DrawingML spacing (`spcPct` or `spcPts`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Spacing {
    /// A share of single: of one line for line spacing, of the font's size for the space
    /// before or after a paragraph.
    Share(f32),
    Points(f32),
}

/// A paragraph's or text style level's spacings: line (`lnSpc`), before (`spcBef`) and
/// after (`spcAft`).
pub(super) type Spacings = [Option<Spacing>; 3];

/// Run properties as written (unset until inherited).
#[derive(Debug, Clone, Default)]
pub(super) struct RunLook {
    pub(super) size: Option<f32>,
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) underline: bool,
    pub(super) strike: bool,
    pub(super) color: Option<Rgb>,
    pub(super) font: Option<String>,
    /// `baseline`: how far the run is raised (positive, superscript) or lowered, as a
    /// fraction of its font size.
    pub(super) baseline: Option<f32>,
    /// `cap="all"`: shown in capitals.
    pub(super) caps: Option<bool>,
}

impl RunLook {
    /// These properties, with what they leave unset taken from `base`.
    pub(super) fn over(&self, base: &RunLook) -> RunLook {
        RunLook {
            size: self.size.or(base.size),
            bold: self.bold.or(base.bold),
            italic: self.italic.or(base.italic),
            underline: self.underline || base.underline,
            strike: self.strike || base.strike,
            color: self.color.or(base.color),
            font: self.font.clone().or_else(|| base.font.clone()),
            baseline: self.baseline.or(base.baseline),
            caps: self.caps.or(base.caps),
        }
    }
}

/// One level of a list style (`a:lvl1pPr` to `a:lvl9pPr`, in a shape's `a:lstStyle` or a
/// master's text styles): what paragraphs at that level, and their runs, take unless they
/// say otherwise.
#[derive(Debug, Clone, Default)]
pub(super) struct LevelStyle {
    /// The runs' defaults (`a:defRPr`).
    pub(super) run: RunLook,
    pub(super) align: Option<Align>,
    /// The text's left margin (`marL`) and the first line's offset from it (`indent`).
    pub(super) margin: (Option<f32>, Option<f32>),
    pub(super) bullet: Option<Option<String>>,
    pub(super) spacing: Spacings,
}

impl LevelStyle {
    /// This level, with what it leaves unset taken from `base`.
    fn over(&self, base: &LevelStyle) -> LevelStyle {
        LevelStyle {
            run: self.run.over(&base.run),
            align: self.align.or(base.align),
            margin: (self.margin.0.or(base.margin.0), self.margin.1.or(base.margin.1)),
            bullet: self.bullet.clone().or_else(|| base.bullet.clone()),
            spacing: [0, 1, 2].map(|k| self.spacing[k].or(base.spacing[k])),
        }
    }
}

/// A list style: its nine levels.
pub(super) type ListStyle = [LevelStyle; 9];

/// The list style `top`, with what it leaves unset taken from `base`, level by level.
pub(super) fn list_over(top: &ListStyle, base: &ListStyle) -> ListStyle {
    std::array::from_fn(|i| top[i].over(&base[i]))
}

/// One shape read from a shape tree.
#[derive(Debug, Clone, Default)]
pub(super) struct ShapeModel {
    /// Placeholder type ("title", "body"...) and index.
    pub(super) placeholder: Option<(String, Option<String>)>,
    pub(super) frame: Option<Frame>,
    pub(super) geometry: Option<String>,
    /// A freeform outline: points in the unit square of the frame, and whether it closes.
    pub(super) path: Option<(Vec<(f32, f32)>, bool)>,
    /// Mirrored horizontally, vertically (which way a line runs).
    pub(super) flip: (bool, bool),
    /// Turned clockwise about its centre, in degrees (outline, fill, picture and text).
    pub(super) rotation: f32,
    pub(super) fill: Option<Rgb>,
    /// A gradient fill: its two colours and shape (`fill` holds their mean).
    pub(super) gradient: Option<((Rgb, Rgb), Gradient)>,
    /// A pattern fill's lines (over `fill`, its background colour, when it has one).
    pub(super) pattern: Option<Hatch>,
    /// The fill's opacity, when not opaque; and its gradient's two colours'.
    pub(super) fill_alpha: Option<u8>,
    /// The shape's own list style (`a:lstStyle` of its text body).
    pub(super) list_style: ListStyle,
    pub(super) gradient_alpha: Option<(u8, u8)>,
    pub(super) line: Option<Stroke>,
    pub(super) no_line: bool,
    /// The outline's arrowheads at its start (`headEnd`) and end (`tailEnd`).
    pub(super) line_ends: [Option<LineEnd>; 2],
    pub(super) paragraphs: Vec<Para>,
    pub(super) anchor: Option<String>,
    /// Lines are not wrapped at the box's width (`wrap="none"`).
    pub(super) no_wrap: bool,
    /// The text's distance from the box's left, top, right and bottom edges, in points,
    /// when the file says (`bodyPr`'s `lIns`, `tIns`, `rIns`, `bIns`).
    pub(super) insets: [Option<f32>; 4],
    /// `normAutofit`: the text shrinks to fit its box. `font_scale` is the scale the file
    /// stored; the text is laid out at the largest that fits, as LibreOffice lays it out.
    pub(super) autofit: bool,
    /// `spAutoFit`: the shape's height follows its text.
    pub(super) fit_to_text: bool,
    pub(super) font_scale: f32,
    pub(super) image: Option<String>,
    /// The part of the picture shown (`a:srcRect`), as [`Canvas::cropped`] takes it.
    ///
    /// [`Canvas::cropped`]: crate::layout::paint::Canvas::cropped
    pub(super) crop: [f32; 4],
    pub(super) table: Option<TableModel>,
    /// A chart part, by relationship id.
    pub(super) chart: Option<String>,
    /// A SmartArt diagram's data part, by relationship id.
    pub(super) diagram: Option<String>,
    /// An embedded object's kind (its program id), shown through its preview picture.
    pub(super) object: Option<String>,
    /// Content that is not drawn, drawn as a placeholder naming it.
    pub(super) missing: Option<String>,
}

/// An arrowhead (`a:headEnd`, `a:tailEnd`): its kind (`triangle`, `stealth`, `arrow`,
/// `diamond`, `oval`), and its width and length in line widths (2, 3 or 5).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LineEnd {
    pub(super) kind: String,
    pub(super) width: f32,
    pub(super) length: f32,
}

/// A table cell (`a:tc`) as its `a:tcPr` sets it; what it leaves unset comes from the
/// table's style.
#[derive(Debug, Clone)]
pub(super) struct CellModel {
    pub(super) paras: Vec<Para>,
    /// Its fill: `Some(None)` for `noFill`.
    pub(super) fill: Option<Option<Rgb>>,
    /// Its left, right, top and bottom borders (`lnL`, `lnR`, `lnT`, `lnB`): `Some(None)`
    /// for a line without fill.
    pub(super) borders: [Option<Option<Stroke>>; 4],
    /// Its left, right, top and bottom margins in points.
    pub(super) margins: [Option<f32>; 4],
    /// Where its text sits: `t`, `ctr` or `b`.
    pub(super) anchor: Option<String>,
    /// How many columns (`gridSpan`) and rows (`rowSpan`) it covers.
    pub(super) span: (usize, usize),
    /// Covered by a cell to its left or above (`hMerge`, `vMerge`): not drawn itself.
    pub(super) merged: bool,
}

impl Default for CellModel {
    fn default() -> Self {
        CellModel { paras: Vec::new(), fill: None, borders: [None; 4], margins: [None; 4], anchor: None, span: (1, 1), merged: false }
    }
}

/// A table: column widths and rows (least height, cells), in points, and the style that
/// formats its regions.
#[derive(Debug, Clone, Default)]
pub(super) struct TableModel {
    pub(super) columns: Vec<f32>,
    pub(super) rows: Vec<(f32, Vec<CellModel>)>,
    /// Its style's id (`a:tableStyleId`): a style of `ppt/tableStyles.xml` or built in.
    pub(super) style: Option<String>,
    /// Which regions the style formats on their own (`a:tblPr`): first row, last row,
    /// first column, last column, banded rows, banded columns.
    pub(super) regions: [bool; 6],
    /// Whether rows or columns beyond [`MAX_TABLE_SIDE`] were cut.
    pub(super) cut: bool,
}

/// Most rows, and most columns, read of a table (PowerPoint makes at most 75).
pub(super) const MAX_TABLE_SIDE: usize = 100;

impl TableModel {
    /// Whether the table has all the columns (`gridCol`), rows (`tr`) or cells in its
    /// last row (`tc`) it may have.
    pub(super) fn full(&self, element: &[u8]) -> bool {
        let count = match element {
            b"gridCol" => self.columns.len(),
            b"tr" => self.rows.len(),
            _ => self.rows.last().map_or(0, |r| r.1.len()),
        };
        count >= MAX_TABLE_SIDE
    }
}

/// A slide, layout or master part: its shapes, background and relationships.
#[derive(Default)]
pub(super) struct PartModel {
    pub(super) shapes: Vec<ShapeModel>,
    pub(super) background: Option<Rgb>,
    pub(super) background_gradient: Option<((Rgb, Rgb), Gradient)>,
    /// A pattern background's lines, over `background`.
    pub(super) background_pattern: Option<Hatch>,
    /// A picture background, by relationship id, stretched or tiled.
    pub(super) background_image: Option<String>,
    pub(super) background_tiled: bool,
    pub(super) rels: HashMap<String, String>,
    /// Pictures that travel with the part rather than through a relationship (PPT's
    /// blips), by the name a shape's `image` gives.
    pub(super) pictures: HashMap<String, std::rc::Rc<[u8]>>,
    pub(super) base: String,
    pub(super) show_master_shapes: bool,
}

/// The master's text styles (`p:txStyles`): for titles, for body placeholders, and for
/// other text.
#[derive(Default)]
pub(super) struct TextStyles {
    pub(super) title: ListStyle,
    pub(super) body: ListStyle,
    pub(super) other: ListStyle,
}

/// A group's mapping from child coordinates to its parent's.
#[derive(Clone, Copy)]
pub(super) struct GroupTransform {
    pub(super) off: (f32, f32),
    pub(super) ext: (f32, f32),
    pub(super) ch_off: (f32, f32),
    pub(super) ch_ext: (f32, f32),
}

impl GroupTransform {
    pub(super) fn apply(&self, [x, y, w, h]: Frame) -> Frame {
        let sx = if self.ch_ext.0 > 0.0 { self.ext.0 / self.ch_ext.0 } else { 1.0 };
        let sy = if self.ch_ext.1 > 0.0 { self.ext.1 / self.ch_ext.1 } else { 1.0 };
        [self.off.0 + (x - self.ch_off.0) * sx, self.off.1 + (y - self.ch_off.1) * sy, w * sx, h * sy]
    }
}
