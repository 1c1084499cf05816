//! OpenDocument styles: lengths, font faces, paragraph and text styles with their
//! inheritance (default style of the family, then the `parent-style-name` chain, then the
//! style itself), table, column, row and cell styles, list styles and page layouts.
//!
//! Styles are collected from `styles.xml` (common, automatic and master styles) and then
//! `content.xml` (its automatic styles) by the one reader in [`super::text`]; this file
//! holds what is kept and how it resolves.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use crate::layout::paint::{Align, Block, Borders, Column, Gradient, Leader, LineModel, LineSpacing, PageSetup, Rgb, SpanStyle, Stroke, TabAlign, TabStop};
use crate::ooxml::attr;

/// Styles kept at most, of all kinds together (a real document has hundreds).
pub const MAX_STYLES: usize = 20_000;
/// Deepest `parent-style-name` chain followed (loops and hostile chains end here).
const MAX_CHAIN: usize = 32;
/// List levels ODF defines.
pub const LIST_LEVELS: usize = 10;

/// A length (`2cm`, `0.5in`, `12pt`, `3mm`, `1pc`, `10px`) in points.
pub fn length(value: &str) -> Option<f32> {
    let value = value.trim();
    let split = value.find(|c: char| c.is_ascii_alphabetic() || c == '%').unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f32 = number.trim().parse().ok()?;
    let points = match unit.trim() {
        "in" => number * 72.0,
        "cm" => number * 72.0 / 2.54,
        "mm" => number * 72.0 / 25.4,
        "pt" | "" => number,
        "pc" => number * 12.0,
        "px" => number * 0.75,
        _ => return None,
    };
    points.is_finite().then_some(points.clamp(-100_000.0, 100_000.0))
}

/// A `#rrggbb` colour.
pub fn color(value: &str) -> Option<Rgb> {
    crate::ooxml::hex_color(value.trim().strip_prefix('#')?)
}

/// A border (`0.5pt solid #000000`, `none`): `Some(None)` when it is explicitly none.
pub fn border(value: &str) -> Option<Option<Stroke>> {
    let mut width = None;
    let mut ink = [0, 0, 0];
    for part in value.split_whitespace() {
        match part {
            "none" | "hidden" => return Some(None),
            "thin" => width = Some(0.75),
            "medium" => width = Some(1.5),
            "thick" => width = Some(3.0),
            _ => {
                if let Some(c) = color(part) {
                    ink = c;
                } else if let Some(w) = length(part).filter(|_| part.ends_with(|c: char| c.is_ascii_alphabetic())) {
                    width = Some(w.clamp(0.25, 12.0));
                }
            }
        }
    }
    Some(Some((ink, width.unwrap_or(0.75))))
}

/// A font size: absolute, or relative to the inherited one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    Points(f32),
    Percent(f32),
}

impl Size {
    fn read(value: &str) -> Option<Size> {
        match value.trim().strip_suffix('%') {
            Some(p) => p.trim().parse::<f32>().ok().filter(|p| p.is_finite() && *p > 0.0).map(|p| Size::Percent(p.min(1_000.0))),
            None => length(value).filter(|p| *p > 0.0).map(|p| Size::Points(p.min(1_000.0))),
        }
    }

    fn apply(self, inherited: f32) -> f32 {
        match self {
            Size::Points(p) => p,
            Size::Percent(p) => inherited * p / 100.0,
        }
    }
}

/// Character properties (`style:text-properties`); `None` inherits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextProps {
    pub family: Option<String>,
    pub asian_family: Option<String>,
    pub size: Option<Size>,
    pub asian_size: Option<Size>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub strike: Option<bool>,
    pub color: Option<Rgb>,
    pub hidden: Option<bool>,
    /// `fo:background-color` behind the text (`Some(None)`: transparent).
    pub background: Option<Option<Rgb>>,
}

/// Paragraph properties (`style:paragraph-properties`); `None` inherits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParaProps {
    pub align: Option<Align>,
    pub left: Option<f32>,
    pub right: Option<f32>,
    pub first: Option<f32>,
    pub before: Option<f32>,
    pub after: Option<f32>,
    pub line: Option<LineSpacing>,
    pub break_before: Option<bool>,
    /// `fo:break-after="page"`: the next content starts a page.
    pub break_after: Option<bool>,
    /// `fo:break-before="column"`: the paragraph starts the next column.
    pub column_before: Option<bool>,
    pub contextual: Option<bool>,
    /// Whether lines snap to the page's layout grid (the default where there is one).
    pub snap: Option<bool>,
    /// `style:font-independent-line-spacing`: lines as high as their font's size, whatever
    /// its face (an Impress setting; Writer has none).
    pub font_independent: Option<bool>,
    /// `style:text-autospace`: space between East Asian text and Latin letters or digits.
    pub autospace: Option<bool>,
    /// `style:tab-stops`: positions from the paragraph's left margin (LibreOffice's
    /// default for its own documents). A style that has the element replaces its parent's.
    pub tabs: Option<Vec<TabStop>>,
    /// `style:tab-stop-distance`: the default stops' spacing.
    pub tab_interval: Option<f32>,
    /// `fo:border*` (top, bottom, left, right; `Some(None)`: none) and `fo:padding*`
    /// (the space between each border and the text).
    pub borders: [Option<Option<Stroke>>; 4],
    pub padding: [Option<f32>; 4],
    /// `fo:background-color` behind the paragraph (`Some(None)`: transparent).
    pub shading: Option<Option<Rgb>>,
}

/// Most tab stops a style keeps.
const MAX_TABS: usize = 64;

/// A `style:tab-stop`.
fn tab_stop(e: &BytesStart<'_>) -> Option<TabStop> {
    let position = attr(e, b"position").and_then(|v| length(&v))?;
    let align = match attr(e, b"type").as_deref() {
        Some("center") => TabAlign::Center,
        Some("right") => TabAlign::Right,
        Some("char") => TabAlign::Decimal,
        _ => TabAlign::Left,
    };
    let text = attr(e, b"leader-text").filter(|t| !t.trim().is_empty());
    let leader = match (attr(e, b"leader-style").as_deref(), text.as_deref()) {
        (_, Some(".")) | (Some("dotted"), None) => Leader::Dots,
        (_, Some("·")) => Leader::MiddleDots,
        (_, Some("-")) | (Some("dash" | "long-dash" | "dot-dash" | "dot-dot-dash"), None) => Leader::Hyphens,
        (_, Some("_")) | (Some("solid" | "wave"), None) => Leader::Line,
        (_, Some(_)) => Leader::Dots,
        _ => Leader::None,
    };
    Some(TabStop { position, align, leader })
}

/// Table cell properties.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellProps {
    pub fill: Option<Option<Rgb>>,
    /// Top, bottom, left, right.
    pub borders: [Option<Option<Stroke>>; 4],
    /// `style:vertical-align`: top, middle or bottom.
    pub v_align: Option<crate::layout::paint::Align>,
    /// `style:background-image`: the picture's path in the package and `style:repeat`
    /// (`Some(None)`: none).
    pub picture: Option<Option<(String, String)>>,
    /// `fo:padding*`: top, bottom, left, right.
    pub padding: [Option<f32>; 4],
}

/// The style families this reader tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Paragraph,
    Text,
    Table,
    Column,
    Row,
    Cell,
    Graphic,
    /// A slide's background and what it shows of its master (`drawing-page`).
    DrawingPage,
    Section,
    Other,
}

impl Family {
    pub fn read(value: &str) -> Family {
        match value {
            "paragraph" => Family::Paragraph,
            "text" => Family::Text,
            "table" => Family::Table,
            "table-column" => Family::Column,
            "table-row" => Family::Row,
            "table-cell" => Family::Cell,
            "graphic" | "presentation" => Family::Graphic,
            "drawing-page" => Family::DrawingPage,
            "section" => Family::Section,
            _ => Family::Other,
        }
    }
}

/// One style as written, before inheritance.
#[derive(Debug, Clone, Default)]
pub struct Style {
    pub parent: Option<String>,
    pub text: TextProps,
    pub para: ParaProps,
    pub cell: CellProps,
    /// Table: width and left margin; alignment.
    pub width: Option<f32>,
    pub margin_left: Option<f32>,
    pub table_align: Option<Align>,
    /// Column: absolute and relative width.
    pub column_width: Option<f32>,
    pub rel_width: Option<f32>,
    /// Row: least or exact height.
    pub row_height: Option<f32>,
    /// Paragraph: the list style it applies and the master page it starts.
    pub list_style: Option<String>,
    pub master_page: Option<String>,
    /// Graphic: horizontal position.
    pub horizontal: Option<Align>,
    /// Graphic and drawing page: fill, outline and text area.
    pub graphic: GraphicProps,
    /// Section: its columns (`style:columns`).
    pub columns: Option<Vec<Column>>,
}

/// A `style:columns` element: two or more columns of equal shares of the text area the
/// paint layer lays them in, and the gap between them, in points, until its `style:column`
/// elements say otherwise ([`column`]).
pub fn columns(e: &BytesStart<'_>) -> Option<Vec<Column>> {
    let count = attr(e, b"column-count").and_then(|v| v.trim().parse::<usize>().ok()).filter(|&n| n > 1)?;
    let gap = attr(e, b"column-gap").and_then(|v| length(&v)).map_or(0.0, |g| g.clamp(0.0, 500.0));
    Some(Column::equal(count.min(45), gap))
}

/// A `style:column` element, the next of `columns`: its relative width (`style:rel-width`,
/// which takes in its indents) and the indents at its sides, which make the gaps.
pub fn column(columns: &mut [Column], e: &BytesStart<'_>) {
    let Some(k) = columns.iter().position(|c| c.share == 0.0) else { return };
    let share = attr(e, b"rel-width").and_then(|v| v.trim().trim_end_matches('*').parse::<f32>().ok()).filter(|w| w.is_finite() && *w > 0.0);
    let indent = |name: &[u8]| attr(e, name).and_then(|v| length(&v)).map_or(0.0, |v| v.clamp(0.0, 500.0));
    let Some(share) = share else { return };
    columns[k].share = share;
    columns[k].gap = indent(b"end-indent");
    if k > 0 {
        columns[k - 1].gap += indent(b"start-indent");
    }
}

/// How a shape or a slide is filled and outlined, and where its text sits
/// (`style:graphic-properties`, `style:drawing-page-properties`); `None` inherits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphicProps {
    /// `none`, `solid`, `gradient`, `bitmap` or `hatch`.
    pub fill: Option<String>,
    pub fill_color: Option<Rgb>,
    /// The gradient, fill image or hatch the fill names.
    pub gradient: Option<String>,
    pub fill_image: Option<String>,
    pub hatch: Option<String>,
    /// Whether a hatch is drawn over the fill colour (`draw:fill-hatch-solid`).
    pub hatch_solid: Option<bool>,
    /// How a fill image covers its area: `repeat`, `stretch` or `no-repeat`.
    pub repeat: Option<String>,
    /// `none`, `solid` or `dash`.
    pub stroke: Option<String>,
    pub stroke_color: Option<Rgb>,
    pub stroke_width: Option<f32>,
    /// `top`, `middle`, `bottom` or `justify`.
    pub vertical: Option<String>,
    /// A frame's wrapping (`style:wrap`): `none` (above and below), `run-through`,
    /// `left`, `right`, `parallel`, `dynamic` or `biggest`.
    pub wrap: Option<String>,
    /// A frame's `style:horizontal-pos`, `horizontal-rel`, `vertical-pos` and
    /// `vertical-rel`: where it sits and what that is measured from.
    pub anchoring: [Option<String>; 4],
    /// A frame's margins, the text's distance from it: top, left, bottom, right.
    pub margins: [Option<f32>; 4],
    /// A frame's border (`fo:border`), `Some(None)` when it is none.
    pub border: Option<Option<Stroke>>,
    /// Padding: top, bottom, left, right.
    pub padding: [Option<f32>; 4],
    /// The text shrinks until it fits its shape.
    pub shrink: Option<bool>,
    /// Opacity of the fill, 0 to 1, and the opacity gradient it follows instead, if any.
    pub opacity: Option<f32>,
    pub opacity_gradient: Option<String>,
    /// A shadow: shown (`draw:shadow`), its offset right and down in points, its colour and
    /// opacity (0 to 1).
    pub shadow: Option<bool>,
    pub shadow_offset: [Option<f32>; 2],
    pub shadow_color: Option<Rgb>,
    pub shadow_opacity: Option<f32>,
    /// Drawing page: whether the master's header, footer, date and number are shown, and
    /// whether the slide is hidden.
    pub display: [Option<bool>; 4],
    pub hidden: Option<bool>,
}

impl GraphicProps {
    fn read(&mut self, e: &BytesStart<'_>) {
        let text = |name: &[u8]| attr(e, name);
        self.fill = text(b"fill").or(self.fill.take());
        self.fill_color = text(b"fill-color").and_then(|v| color(&v)).or(self.fill_color);
        self.gradient = text(b"fill-gradient-name").or(self.gradient.take());
        self.fill_image = text(b"fill-image-name").or(self.fill_image.take());
        self.hatch = text(b"fill-hatch-name").or(self.hatch.take());
        self.hatch_solid = text(b"fill-hatch-solid").map(|v| v == "true").or(self.hatch_solid);
        self.repeat = text(b"repeat").or(self.repeat.take());
        self.stroke = text(b"stroke").or(self.stroke.take());
        self.stroke_color = text(b"stroke-color").and_then(|v| color(&v)).or(self.stroke_color);
        self.stroke_width = text(b"stroke-width").and_then(|v| length(&v)).map(|w| w.clamp(0.0, 100.0)).or(self.stroke_width);
        self.vertical = text(b"textarea-vertical-align").or(self.vertical.take());
        self.wrap = text(b"wrap").or(self.wrap.take());
        for (slot, name) in self.anchoring.iter_mut().zip([b"horizontal-pos".as_slice(), b"horizontal-rel", b"vertical-pos", b"vertical-rel"]) {
            if let Some(v) = text(name) {
                *slot = Some(v);
            }
        }
        if let Some(all) = text(b"margin").and_then(|v| length(&v)) {
            self.margins = [Some(all.clamp(0.0, 200.0)); 4];
        }
        for (i, name) in [b"margin-top".as_slice(), b"margin-left", b"margin-bottom", b"margin-right"].into_iter().enumerate() {
            if let Some(v) = text(name).and_then(|v| length(&v)) {
                self.margins[i] = Some(v.clamp(0.0, 200.0));
            }
        }
        self.border = text(b"border").and_then(|v| border(&v)).or(self.border);
        if let Some(all) = text(b"padding").and_then(|v| length(&v)) {
            self.padding = [Some(all); 4];
        }
        for (i, name) in [b"padding-top".as_slice(), b"padding-bottom", b"padding-left", b"padding-right"].into_iter().enumerate() {
            if let Some(v) = text(name).and_then(|v| length(&v)) {
                self.padding[i] = Some(v.clamp(0.0, 1_000.0));
            }
        }
        // `style:shrink-to-fit` says it; the older `draw:fit-to-size` may say it too.
        if let Some(v) = text(b"shrink-to-fit") {
            self.shrink = Some(v == "true");
        } else if let Some(v) = text(b"fit-to-size") {
            self.shrink = Some(v == "shrink-to-fit");
        }
        self.shadow = text(b"shadow").map(|v| v == "visible").or(self.shadow);
        for (slot, name) in self.shadow_offset.iter_mut().zip([b"shadow-offset-x".as_slice(), b"shadow-offset-y"]) {
            *slot = text(name).and_then(|v| length(&v)).map(|v| v.clamp(-500.0, 500.0)).or(*slot);
        }
        self.shadow_color = text(b"shadow-color").and_then(|v| color(&v)).or(self.shadow_color);
        self.shadow_opacity = text(b"shadow-opacity")
            .and_then(|v| v.trim().strip_suffix('%').and_then(|p| p.trim().parse::<f32>().ok()))
            .filter(|p| p.is_finite())
            .map(|p| (p / 100.0).clamp(0.0, 1.0))
            .or(self.shadow_opacity);
        self.opacity_gradient = text(b"opacity-name").or(self.opacity_gradient.take());
        if let Some(v) = text(b"opacity").and_then(|v| v.trim().strip_suffix('%').and_then(|p| p.trim().parse::<f32>().ok())) {
            self.opacity = Some((v / 100.0).clamp(0.0, 1.0));
        }
        for (i, name) in [b"display-header".as_slice(), b"display-footer", b"display-date-time", b"display-page-number"].into_iter().enumerate() {
            if let Some(v) = text(name) {
                self.display[i] = Some(v == "true");
            }
        }
        if let Some(v) = text(b"visibility") {
            self.hidden = Some(v == "hidden");
        }
    }

    /// These properties with `over`'s set ones taking their place.
    pub fn merge(&mut self, over: &GraphicProps) {
        let o = over.clone();
        self.fill = o.fill.or(self.fill.take());
        self.fill_color = o.fill_color.or(self.fill_color);
        self.gradient = o.gradient.or(self.gradient.take());
        self.fill_image = o.fill_image.or(self.fill_image.take());
        self.hatch = o.hatch.or(self.hatch.take());
        self.hatch_solid = o.hatch_solid.or(self.hatch_solid);
        self.repeat = o.repeat.or(self.repeat.take());
        self.stroke = o.stroke.or(self.stroke.take());
        self.stroke_color = o.stroke_color.or(self.stroke_color);
        self.stroke_width = o.stroke_width.or(self.stroke_width);
        self.vertical = o.vertical.or(self.vertical.take());
        self.wrap = o.wrap.or(self.wrap.take());
        self.border = o.border.or(self.border);
        for i in 0..4 {
            self.anchoring[i] = o.anchoring[i].clone().or(self.anchoring[i].take());
            self.margins[i] = o.margins[i].or(self.margins[i]);
            self.padding[i] = o.padding[i].or(self.padding[i]);
            self.display[i] = o.display[i].or(self.display[i]);
        }
        self.shrink = o.shrink.or(self.shrink);
        self.opacity = o.opacity.or(self.opacity);
        self.opacity_gradient = o.opacity_gradient.or(self.opacity_gradient.take());
        self.hidden = o.hidden.or(self.hidden);
        self.shadow = o.shadow.or(self.shadow);
        self.shadow_offset = [0, 1].map(|i| o.shadow_offset[i].or(self.shadow_offset[i]));
        self.shadow_color = o.shadow_color.or(self.shadow_color);
        self.shadow_opacity = o.shadow_opacity.or(self.shadow_opacity);
    }
}

/// A named fill a style can refer to (`draw:gradient`, `draw:fill-image`, `draw:hatch`).
#[derive(Debug, Clone, PartialEq)]
pub enum FillDef {
    /// A gradient from one colour to another.
    Gradient(Rgb, Rgb, Gradient),
    /// A picture in the package, by its path.
    Image(String),
    /// A hatch: lines of one colour.
    Hatch(crate::layout::paint::Hatch),
    /// An opacity gradient (`draw:opacity`): from one opacity to another, 0 to 1.
    Opacity(f32, f32, Gradient),
}

impl Style {
    /// Reads the property element `e` into this style.
    pub fn properties(&mut self, e: &BytesStart<'_>) {
        match e.local_name().as_ref().as_bytes() {
            b"text-properties" => read_text(&mut self.text, e),
            b"paragraph-properties" => read_para(&mut self.para, e),
            b"columns" => self.columns = columns(e),
            b"column" => {
                if let Some(c) = self.columns.as_mut() {
                    column(c, e);
                }
            }
            b"tab-stops" => self.para.tabs = Some(Vec::new()),
            b"tab-stop" => {
                let tabs = self.para.tabs.get_or_insert_with(Vec::new);
                if let (Some(tab), true) = (tab_stop(e), tabs.len() < MAX_TABS) {
                    tabs.push(tab);
                }
            }
            b"table-cell-properties" => read_cell(&mut self.cell, e),
            // Kept with the cell's properties: a table cell is the one style that draws it.
            b"background-image" => {
                let href = attr(e, b"href").filter(|h| !h.is_empty());
                self.cell.picture = Some(href.map(|h| (h, attr(e, b"repeat").unwrap_or_else(|| "repeat".into()))));
            }
            b"table-properties" => {
                self.width = attr(e, b"width").and_then(|v| length(&v)).filter(|w| *w > 0.0).or(self.width);
                self.margin_left = attr(e, b"margin-left").and_then(|v| length(&v)).or(self.margin_left);
                self.table_align = attr(e, b"align").and_then(|v| align(&v)).or(self.table_align);
                // A table's breaks and its space above and below are kept with the paragraph
                // properties, which a table has none of.
                read_breaks(&mut self.para, e);
                self.para.before = attr(e, b"margin-top").and_then(|v| length(&v)).map(|v| v.clamp(0.0, 1_000.0)).or(self.para.before);
                self.para.after = attr(e, b"margin-bottom").and_then(|v| length(&v)).map(|v| v.clamp(0.0, 1_000.0)).or(self.para.after);
            }
            b"table-column-properties" => {
                self.column_width = attr(e, b"column-width").and_then(|v| length(&v)).filter(|w| *w > 0.0).or(self.column_width);
                self.rel_width = attr(e, b"rel-column-width")
                    .and_then(|v| v.trim().trim_end_matches('*').parse::<f32>().ok())
                    .filter(|w| w.is_finite() && *w > 0.0)
                    .or(self.rel_width);
            }
            b"table-row-properties" => {
                self.row_height =
                    attr(e, b"row-height").or_else(|| attr(e, b"min-row-height")).and_then(|v| length(&v)).filter(|h| *h > 0.0).or(self.row_height);
            }
            b"graphic-properties" | b"drawing-page-properties" => {
                self.horizontal = attr(e, b"horizontal-pos").and_then(|v| match v.as_str() {
                    "center" => Some(Align::Center),
                    "right" | "outside" => Some(Align::End),
                    "left" | "inside" | "from-left" => Some(Align::Start),
                    _ => None,
                });
                self.graphic.read(e);
                // A table cell of a presentation is filled by its graphic properties.
                if let Some(c) = attr(e, b"fill-color").and_then(|v| color(&v)) {
                    if attr(e, b"fill").as_deref() != Some("none") {
                        self.cell.fill = Some(Some(c));
                    }
                }
            }
            _ => {}
        }
    }
}

fn align(value: &str) -> Option<Align> {
    match value {
        "start" | "left" => Some(Align::Start),
        "center" => Some(Align::Center),
        "end" | "right" => Some(Align::End),
        "justify" => Some(Align::Justify),
        _ => None,
    }
}

fn read_text(t: &mut TextProps, e: &BytesStart<'_>) {
    if let Some(v) = attr(e, b"font-name").or_else(|| attr(e, b"font-family")) {
        t.family = Some(v);
    }
    if let Some(v) = attr(e, b"font-name-asian").or_else(|| attr(e, b"font-family-asian")) {
        t.asian_family = Some(v);
    }
    t.size = attr(e, b"font-size").and_then(|v| Size::read(&v)).or(t.size);
    t.asian_size = attr(e, b"font-size-asian").and_then(|v| Size::read(&v)).or(t.asian_size);
    if let Some(v) = attr(e, b"font-weight") {
        t.bold = Some(v == "bold" || v.parse::<u32>().is_ok_and(|w| w >= 600));
    }
    if let Some(v) = attr(e, b"font-style") {
        t.italic = Some(v == "italic" || v == "oblique");
    }
    if let Some(v) = attr(e, b"text-underline-style") {
        t.underline = Some(v != "none");
    }
    if let Some(v) = attr(e, b"text-line-through-style") {
        t.strike = Some(v != "none");
    }
    if let Some(c) = attr(e, b"color").and_then(|v| color(&v)) {
        t.color = Some(c);
    }
    if let Some(v) = attr(e, b"background-color") {
        t.background = Some(color(&v));
    }
    if attr(e, b"use-window-font-color").as_deref() == Some("true") && t.color.is_none() {
        t.color = Some([0, 0, 0]);
    }
    if let Some(v) = attr(e, b"display") {
        t.hidden = Some(v == "none");
    }
}

/// `fo:break-before` and `fo:break-after` of a paragraph or a table: page breaks, and
/// column breaks before.
fn read_breaks(p: &mut ParaProps, e: &BytesStart<'_>) {
    if let Some(v) = attr(e, b"break-before") {
        p.break_before = Some(v == "page");
        p.column_before = Some(v == "column");
    }
    if let Some(v) = attr(e, b"break-after") {
        p.break_after = Some(v == "page");
    }
}

fn read_para(p: &mut ParaProps, e: &BytesStart<'_>) {
    let len = |name: &[u8]| attr(e, name).and_then(|v| length(&v));
    if let Some(all) = len(b"margin") {
        p.left = Some(all);
        p.right = Some(all);
        p.before = Some(all);
        p.after = Some(all);
    }
    p.align = attr(e, b"text-align").and_then(|v| align(&v)).or(p.align);
    p.left = len(b"margin-left").or(p.left);
    p.right = len(b"margin-right").or(p.right);
    p.tab_interval = len(b"tab-stop-distance").filter(|d| *d >= 1.0).or(p.tab_interval);
    if let Some(v) = attr(e, b"background-color") {
        p.shading = Some(color(&v));
    }
    if let Some(v) = attr(e, b"border") {
        p.borders = [border(&v); 4];
    }
    if let Some(v) = len(b"padding") {
        p.padding = [Some(v.clamp(0.0, 100.0)); 4];
    }
    for (i, (b, pad)) in [
        (b"border-top".as_slice(), b"padding-top".as_slice()),
        (b"border-bottom", b"padding-bottom"),
        (b"border-left", b"padding-left"),
        (b"border-right", b"padding-right"),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(v) = attr(e, b) {
            p.borders[i] = border(&v);
        }
        if let Some(v) = len(pad) {
            p.padding[i] = Some(v.clamp(0.0, 100.0));
        }
    }
    p.first = len(b"text-indent").or(p.first);
    p.before = len(b"margin-top").or(p.before);
    p.after = len(b"margin-bottom").or(p.after);
    if let Some(v) = attr(e, b"line-height") {
        p.line = match v.trim().strip_suffix('%') {
            Some(pc) => pc.trim().parse::<f32>().ok().filter(|x| x.is_finite() && *x > 0.0).map(|x| LineSpacing::Proportional(x / 100.0)),
            None if v == "normal" => Some(LineSpacing::Proportional(1.0)),
            None => length(&v).filter(|x| *x > 0.0).map(LineSpacing::Exact),
        }
        .or(p.line);
    }
    if let Some(v) = len(b"line-height-at-least").filter(|x| *x > 0.0) {
        p.line = Some(LineSpacing::AtLeast(v));
    }
    read_breaks(p, e);
    if let Some(v) = attr(e, b"contextual-spacing") {
        p.contextual = Some(v == "true");
    }
    if let Some(v) = attr(e, b"snap-to-layout-grid") {
        p.snap = Some(v != "false");
    }
    if let Some(v) = attr(e, b"text-autospace") {
        p.autospace = Some(v == "ideograph-alpha");
    }
    if let Some(v) = attr(e, b"font-independent-line-spacing") {
        p.font_independent = Some(v == "true");
    }
}

fn read_cell(c: &mut CellProps, e: &BytesStart<'_>) {
    if let Some(v) = attr(e, b"background-color") {
        c.fill = Some(color(&v));
    }
    if let Some(v) = attr(e, b"vertical-align") {
        use crate::layout::paint::Align;
        c.v_align = Some(match v.as_str() {
            "middle" => Align::Center,
            "bottom" => Align::End,
            _ => Align::Start,
        });
    }
    if let Some(b) = attr(e, b"border").and_then(|v| border(&v)) {
        c.borders = [Some(b); 4];
    }
    if let Some(v) = attr(e, b"padding").and_then(|v| length(&v)) {
        c.padding = [Some(v.clamp(0.0, 200.0)); 4];
    }
    for (i, name) in [b"padding-top".as_slice(), b"padding-bottom", b"padding-left", b"padding-right"].into_iter().enumerate() {
        if let Some(v) = attr(e, name).and_then(|v| length(&v)) {
            c.padding[i] = Some(v.clamp(0.0, 200.0));
        }
    }
    for (i, name) in [b"border-top".as_slice(), b"border-bottom", b"border-left", b"border-right"].into_iter().enumerate() {
        if let Some(b) = attr(e, name).and_then(|v| border(&v)) {
            c.borders[i] = Some(b);
        }
    }
}

/// A list level: its label and where the label and the text sit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListLevel {
    /// A bullet character, or a number format (`1`, `a`, `A`, `i`, `I`) with its prefix and suffix.
    pub bullet: Option<String>,
    pub number: Option<(String, String, String)>,
    pub start: u32,
    /// How many levels' numbers the label shows (`1.2.` shows 2).
    pub display_levels: usize,
    /// Left edge of the text and the label's offset from it (negative: hanging).
    pub indent: f32,
    pub label_offset: f32,
    /// The label's size relative to the text's (`fo:font-size="45%"`), if it says one.
    pub label_size: Option<f32>,
}

impl ListLevel {
    /// Reads `style:list-level-properties` or its `style:list-level-label-alignment`.
    pub fn position(&mut self, e: &BytesStart<'_>) {
        let len = |name: &[u8]| attr(e, name).and_then(|v| length(&v));
        match e.local_name().as_ref().as_bytes() {
            b"list-level-label-alignment" => {
                self.indent = len(b"margin-left").unwrap_or(self.indent);
                self.label_offset = len(b"text-indent").unwrap_or(self.label_offset);
            }
            _ => {
                // The older mode: space before the label plus the label's least width.
                if let (before, Some(width)) = (len(b"space-before").unwrap_or(0.0), len(b"min-label-width")) {
                    self.indent = before + width;
                    self.label_offset = -width;
                }
            }
        }
    }
}

/// A page layout: the page, and the least height and spacing of header and footer.
#[derive(Debug, Clone)]
pub struct PageLayout {
    pub setup: PageSetup,
    /// Least height and spacing to the body of the header and of the footer.
    pub header: (f32, f32),
    pub footer: (f32, f32),
    /// The header's and the footer's `fo:background-color`, over their area.
    pub header_fill: Option<Rgb>,
    pub footer_fill: Option<Rgb>,
    /// Their background pictures (`style:background-image`), over the same areas.
    pub header_picture: Option<PagePicture>,
    pub footer_picture: Option<PagePicture>,
    /// The height of one line of the layout grid, when lines snap to one (East Asian
    /// documents: `style:layout-grid-mode="line"`).
    pub grid: Option<f32>,
    /// The page's columns (`style:columns` in its properties).
    pub columns: Option<Vec<Column>>,
    /// Borders around the page's margins (top, left, bottom, right), and the space
    /// between them and the header, body and footer (`fo:padding`).
    pub borders: [Option<Stroke>; 4],
    pub padding: [f32; 4],
    /// The page's background colour and picture, over the area inside its margins or,
    /// with `draw:background-size="full"`, the whole page.
    pub background: Option<Rgb>,
    pub background_picture: Option<PagePicture>,
    pub background_full: bool,
}

/// A page's background picture: a picture in the package (`style:background-image`) or a
/// named fill image (`draw:fill="bitmap"`), with how it repeats (`repeat`, `stretch`,
/// `no-repeat`) and where a single one sits (`style:position`, as `center center`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PagePicture {
    pub href: Option<String>,
    pub fill_name: Option<String>,
    pub repeat: String,
    pub position: String,
}

impl Default for PageLayout {
    /// A4 with 2 cm margins, LibreOffice's default.
    fn default() -> Self {
        let margin = 72.0 / 2.54 * 2.0;
        PageLayout {
            setup: PageSetup { width: 595.3, height: 841.9, margin_top: margin, margin_right: margin, margin_bottom: margin, margin_left: margin },
            header: (0.0, 0.0),
            footer: (0.0, 0.0),
            header_fill: None,
            footer_fill: None,
            header_picture: None,
            footer_picture: None,
            grid: None,
            columns: None,
            borders: [None; 4],
            padding: [0.0; 4],
            background: None,
            background_picture: None,
            background_full: false,
        }
    }
}

impl PageLayout {
    /// Reads `style:page-layout-properties`.
    pub fn page(&mut self, e: &BytesStart<'_>) {
        let len = |name: &[u8]| attr(e, name).and_then(|v| length(&v));
        let s = &mut self.setup;
        s.width = len(b"page-width").filter(|w| (36.0..=14_400.0).contains(w)).unwrap_or(s.width);
        s.height = len(b"page-height").filter(|h| (36.0..=14_400.0).contains(h)).unwrap_or(s.height);
        if let Some(m) = len(b"margin") {
            (s.margin_top, s.margin_right, s.margin_bottom, s.margin_left) = (m, m, m, m);
        }
        s.margin_top = len(b"margin-top").unwrap_or(s.margin_top);
        s.margin_bottom = len(b"margin-bottom").unwrap_or(s.margin_bottom);
        s.margin_left = len(b"margin-left").unwrap_or(s.margin_left);
        s.margin_right = len(b"margin-right").unwrap_or(s.margin_right);
        if matches!(attr(e, b"layout-grid-mode").as_deref(), Some("line" | "both")) {
            let base = len(b"layout-grid-base-height").unwrap_or(0.0) + len(b"layout-grid-ruby-height").unwrap_or(0.0);
            self.grid = (4.0..=200.0).contains(&base).then_some(base);
        }
        for (i, side) in ["top", "left", "bottom", "right"].iter().enumerate() {
            let all = attr(e, b"border").and_then(|v| border(&v));
            let own = attr(e, format!("border-{side}").as_bytes()).and_then(|v| border(&v));
            self.borders[i] = own.or(all).flatten();
            let pad = len(format!("padding-{side}").as_bytes()).or_else(|| len(b"padding"));
            self.padding[i] = pad.unwrap_or(0.0).clamp(0.0, 200.0);
        }
        // The background: the drawing fill LibreOffice writes now, or the older colour
        // (a `style:background-image` child adds a picture).
        match attr(e, b"fill").as_deref() {
            Some("none") => self.background = None,
            Some("solid") => self.background = attr(e, b"fill-color").and_then(|v| color(&v)),
            Some("bitmap") => {
                self.background_picture = attr(e, b"fill-image-name").map(|name| PagePicture {
                    fill_name: Some(name),
                    repeat: attr(e, b"repeat").unwrap_or_else(|| "repeat".into()),
                    position: "center".into(),
                    ..Default::default()
                })
            }
            _ => self.background = attr(e, b"background-color").and_then(|v| color(&v)).or(self.background),
        }
        self.background_full = attr(e, b"background-size").as_deref() == Some("full");
        // Margins that leave no room are shrunk to a quarter of the page each.
        s.margin_left = s.margin_left.clamp(0.0, s.width / 4.0);
        s.margin_right = s.margin_right.clamp(0.0, s.width / 4.0);
        s.margin_top = s.margin_top.clamp(0.0, s.height / 4.0);
        s.margin_bottom = s.margin_bottom.clamp(0.0, s.height / 4.0);
    }

    /// Reads `style:header-footer-properties` of the header (`header`) or the footer.
    pub fn running(&mut self, e: &BytesStart<'_>, header: bool) {
        let len = |name: &[u8]| attr(e, name).and_then(|v| length(&v)).map(|v| v.clamp(0.0, 1_000.0));
        let height = len(b"min-height").or_else(|| len(b"height")).unwrap_or(0.0);
        let fill = attr(e, b"background-color").and_then(|v| color(&v));
        if header {
            self.header = (height, len(b"margin-bottom").unwrap_or(0.0));
            self.header_fill = fill;
        } else {
            self.footer = (height, len(b"margin-top").unwrap_or(0.0));
            self.footer_fill = fill;
        }
    }
}

/// Every style of a document.
#[derive(Default)]
pub struct Styles {
    pub styles: HashMap<(Family, String), Style>,
    pub defaults: HashMap<Family, Style>,
    /// Font face name → (family name, generic family).
    pub fonts: HashMap<String, (String, String)>,
    pub lists: HashMap<String, Vec<ListLevel>>,
    pub layouts: HashMap<String, PageLayout>,
    /// Master page name → its page layout's name.
    pub masters: HashMap<String, String>,
    pub first_master: Option<String>,
    /// Named gradients, fill images and hatches.
    pub fills: HashMap<String, FillDef>,
    /// Date styles (`number:date-style`) by name: how date fields print.
    pub dates: HashMap<String, Vec<DatePart>>,
    pub count: usize,
}

/// A part of a date style.
#[derive(Debug, Clone, PartialEq)]
pub enum DatePart {
    /// The day of the month: two digits when long.
    Day { long: bool },
    /// The month: its name when textual (in full when long), else its number.
    Month { textual: bool, long: bool },
    /// The year: four digits when long, else two.
    Year { long: bool },
    /// The day of the week's name: in full when long.
    Weekday { long: bool },
    /// Text between the parts.
    Text(String),
}

/// A date style's parts in the order and with the separators of the US English locale
/// LibreOffice uses by default, for a style whose order follows the locale: the weekday,
/// then the month, day and year, as `Wednesday, December 3, 2026` or `12/03/26`.
pub fn locale_order(parts: &[DatePart]) -> Vec<DatePart> {
    let find = |f: fn(&DatePart) -> bool| parts.iter().find(|p| f(p)).cloned();
    let weekday = find(|p| matches!(p, DatePart::Weekday { .. }));
    let month = find(|p| matches!(p, DatePart::Month { .. }));
    let day = find(|p| matches!(p, DatePart::Day { .. }));
    let year = find(|p| matches!(p, DatePart::Year { .. }));
    let textual = matches!(month, Some(DatePart::Month { textual: true, .. }));
    let mut out = Vec::new();
    let mut gap = String::new();
    for (part, next_gap) in [(weekday, ", "), (month, if textual { " " } else { "/" }), (day, if textual { ", " } else { "/" }), (year, "")] {
        if let Some(part) = part {
            if !gap.is_empty() {
                out.push(DatePart::Text(std::mem::take(&mut gap)));
            }
            out.push(part);
            gap = next_gap.to_string();
        }
    }
    out
}

/// Most parts read into one date style.
pub const MAX_DATE_PARTS: usize = 16;

/// The date `seconds` after 1970-01-01 as `parts` print it, in the US English names
/// LibreOffice uses by default; without parts, its default short date (`12/03/26`).
pub fn format_date(seconds: i64, parts: Option<&[DatePart]>) -> String {
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    const DAYS: [&str; 7] = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"];
    let days = seconds.div_euclid(86_400);
    let (year, month, day) = crate::calendar::civil_from_days(days);
    let default = [
        DatePart::Month { textual: false, long: true },
        DatePart::Text("/".into()),
        DatePart::Day { long: true },
        DatePart::Text("/".into()),
        DatePart::Year { long: false },
    ];
    let name = |names: &[&str], i: usize, long: bool| {
        let n = names[i % names.len()];
        if long {
            n.to_string()
        } else {
            n.chars().take(3).collect()
        }
    };
    parts
        .unwrap_or(&default)
        .iter()
        .map(|part| match part {
            DatePart::Day { long: true } => format!("{day:02}"),
            DatePart::Day { long: false } => day.to_string(),
            DatePart::Month { textual: true, long } => name(&MONTHS, month as usize - 1, *long),
            DatePart::Month { textual: false, long: true } => format!("{month:02}"),
            DatePart::Month { textual: false, long: false } => month.to_string(),
            DatePart::Year { long: true } => year.to_string(),
            DatePart::Year { long: false } => format!("{:02}", year.rem_euclid(100)),
            DatePart::Weekday { long } => name(&DAYS, days.rem_euclid(7) as usize, *long),
            DatePart::Text(text) => text.clone(),
        })
        .collect()
}

/// A resolved paragraph: the block's paragraph settings and the base span style.
pub struct Resolved {
    pub block: Block,
    pub chars: Chars,
    pub contextual: bool,
    /// Whether a page break follows the paragraph.
    pub break_after: bool,
    /// Whether the paragraph starts the next column.
    pub column_before: bool,
    pub list_style: Option<String>,
}

/// Resolved character formatting, Latin and East Asian.
#[derive(Debug, Clone, PartialEq)]
pub struct Chars {
    pub style: SpanStyle,
    pub asian_family: String,
    pub asian_size: f32,
    pub hidden: bool,
}

impl Default for Chars {
    fn default() -> Self {
        Chars {
            style: SpanStyle { family: "Liberation Serif".into(), size: 12.0, ..Default::default() },
            asian_family: String::new(),
            asian_size: 12.0,
            hidden: false,
        }
    }
}

impl Styles {
    /// The chain of a style, outermost ancestor first (without the family default).
    fn chain(&self, family: Family, name: &str) -> Vec<&Style> {
        let mut chain = Vec::new();
        let mut next = Some(name.to_string());
        while let Some(name) = next.take() {
            if chain.len() >= MAX_CHAIN {
                break;
            }
            let Some(style) = self.styles.get(&(family, name)) else { break };
            next.clone_from(&style.parent);
            chain.push(style);
        }
        chain.reverse();
        chain
    }

    /// A font face's family name (a font-face declaration, or the name itself).
    fn font(&self, name: &str) -> String {
        match self.fonts.get(name) {
            Some((family, generic)) => {
                // Unknown serif faces are shown in the serif font, not the sans default.
                let known = crate::layout::fonts::SUBSTITUTES.iter().any(|(n, _)| *n == family.trim().to_lowercase());
                if !known && generic == "roman" {
                    "Liberation Serif".into()
                } else {
                    family.clone()
                }
            }
            None => name.trim_matches(['\'', '"']).to_string(),
        }
    }

    /// Applies text properties over inherited characters.
    pub fn apply_text(&self, chars: &mut Chars, t: &TextProps) {
        if let Some(f) = &t.family {
            chars.style.family = self.font(f);
        }
        if let Some(f) = &t.asian_family {
            chars.asian_family = self.font(f);
        }
        if let Some(s) = t.size {
            chars.style.size = s.apply(chars.style.size).clamp(1.0, 1_000.0);
        }
        if let Some(s) = t.asian_size {
            chars.asian_size = s.apply(chars.asian_size).clamp(1.0, 1_000.0);
        }
        let s = &mut chars.style;
        s.bold = t.bold.unwrap_or(s.bold);
        s.italic = t.italic.unwrap_or(s.italic);
        s.underline = t.underline.unwrap_or(s.underline);
        s.strike = t.strike.unwrap_or(s.strike);
        s.color = t.color.unwrap_or(s.color);
        if let Some(background) = t.background {
            s.highlight = background;
        }
        chars.hidden = t.hidden.unwrap_or(chars.hidden);
    }

    /// Characters of a text style over `base`.
    pub fn span(&self, base: &Chars, name: &str) -> Chars {
        let mut chars = base.clone();
        for style in self.chain(Family::Text, name) {
            self.apply_text(&mut chars, &style.text);
        }
        chars
    }

    /// A paragraph style with everything it inherits (the paragraph default style first),
    /// its lines snapped to `grid` (a line height in points) unless it says otherwise.
    pub fn paragraph(&self, name: Option<&str>, grid: Option<f32>) -> Resolved {
        self.paragraph_in((None, None), name, grid)
    }

    /// A paragraph in a shape whose graphic or presentation style and text style are
    /// `shape` (the graphic default style, the shape's style and its text style come
    /// before the paragraph's own).
    pub fn paragraph_in(&self, (shape, text): (Option<&str>, Option<&str>), name: Option<&str>, grid: Option<f32>) -> Resolved {
        let mut chars = Chars::default();
        let mut para = ParaProps::default();
        let mut list_style = None;
        let default = self.defaults.get(&Family::Paragraph);
        let graphic =
            shape.map(|s| self.defaults.get(&Family::Graphic).into_iter().chain(self.chain(Family::Graphic, s)).collect::<Vec<_>>()).unwrap_or_default();
        let text = text.map(|n| self.chain(Family::Paragraph, n)).unwrap_or_default();
        let chain = name.map(|n| self.chain(Family::Paragraph, n)).unwrap_or_default();
        for style in default.into_iter().chain(graphic).chain(text).chain(chain) {
            self.apply_text(&mut chars, &style.text);
            merge_para(&mut para, &style.para);
            if style.list_style.is_some() {
                list_style.clone_from(&style.list_style);
            }
        }
        if chars.asian_family.is_empty() {
            chars.asian_family.clone_from(&chars.style.family);
        }
        let (line_height, line_exact, line_at_least) = LineSpacing::block_fields(para.line);
        // On a layout grid, each line takes as many grid lines as it needs.
        let line_grid = grid.filter(|_| para.snap.unwrap_or(true) && line_exact.is_none());
        let line_height = line_height.clamp(0.3, 10.0);
        let block = Block {
            align: para.align.unwrap_or_default(),
            indent_left: para.left.unwrap_or(0.0),
            indent_right: para.right.unwrap_or(0.0),
            indent_first: para.first.unwrap_or(0.0),
            space_before: para.before.unwrap_or(0.0).max(0.0),
            space_after: para.after.unwrap_or(0.0).max(0.0),
            line_height,
            line_exact,
            line_at_least,
            line_model: if para.font_independent == Some(true) { LineModel::Impress } else { LineModel::Writer },
            line_grid,
            autospace: para.autospace.unwrap_or(false),
            page_break_before: para.break_before.unwrap_or(false),
            // Measured from the paragraph's indent, which the paint layer's are not.
            tabs: para.tabs.iter().flatten().map(|t| TabStop { position: t.position + para.left.unwrap_or(0.0), ..*t }).collect(),
            tab_interval: para.tab_interval.unwrap_or(0.0),
            borders: Borders {
                top: para.borders[0].flatten(),
                bottom: para.borders[1].flatten(),
                left: para.borders[2].flatten(),
                right: para.borders[3].flatten(),
            },
            border_space: [0, 2, 1, 3].map(|i| para.padding[i].unwrap_or(0.0)),
            shading: para.shading.flatten(),
            ..Default::default()
        };
        Resolved {
            block,
            chars,
            contextual: para.contextual.unwrap_or(false),
            break_after: para.break_after.unwrap_or(false),
            column_before: para.column_before.unwrap_or(false),
            list_style,
        }
    }

    /// A style of another family with its chain merged (later wins).
    pub fn merged(&self, family: Family, name: &str) -> Style {
        let mut out = self.defaults.get(&family).cloned().unwrap_or_default();
        for style in self.chain(family, name) {
            merge_para(&mut out.para, &style.para);
            let c = &style.cell;
            out.cell.fill = c.fill.or(out.cell.fill);
            out.cell.v_align = c.v_align.or(out.cell.v_align);
            out.cell.picture = c.picture.clone().or(out.cell.picture.take());
            for i in 0..4 {
                out.cell.padding[i] = c.padding[i].or(out.cell.padding[i]);
                out.cell.borders[i] = c.borders[i].or(out.cell.borders[i]);
            }
            out.width = style.width.or(out.width);
            out.margin_left = style.margin_left.or(out.margin_left);
            out.table_align = style.table_align.or(out.table_align);
            out.column_width = style.column_width.or(out.column_width);
            out.rel_width = style.rel_width.or(out.rel_width);
            out.columns = style.columns.clone().or(out.columns.take());
            out.row_height = style.row_height.or(out.row_height);
            out.horizontal = style.horizontal.or(out.horizontal);
            out.graphic.merge(&style.graphic);
            out.master_page = style.master_page.clone().or(out.master_page);
        }
        out
    }

    /// The master page a paragraph or table style starts, if any.
    pub fn master_of(&self, family: Family, name: &str) -> Option<String> {
        self.styles.get(&(family, name.to_string())).and_then(|s| s.master_page.clone()).filter(|m| !m.is_empty())
    }

    /// The master page a document starts with: the one named, if it exists, else
    /// "Standard", else the first one.
    pub fn master<'a>(&'a self, named: Option<&'a str>) -> Option<&'a str> {
        named.filter(|m| self.masters.contains_key(*m)).or_else(|| self.masters.contains_key("Standard").then_some("Standard")).or(self.first_master.as_deref())
    }

    /// The page layout of the master page [`Styles::master`] chooses for `named`.
    pub fn layout(&self, named: Option<&str>) -> PageLayout {
        self.master(named).and_then(|m| self.masters.get(m)).and_then(|l| self.layouts.get(l)).cloned().unwrap_or_default()
    }
}

fn merge_para(p: &mut ParaProps, over: &ParaProps) {
    p.align = over.align.or(p.align);
    p.left = over.left.or(p.left);
    p.right = over.right.or(p.right);
    p.first = over.first.or(p.first);
    p.before = over.before.or(p.before);
    p.after = over.after.or(p.after);
    p.line = over.line.or(p.line);
    p.break_before = over.break_before.or(p.break_before);
    p.break_after = over.break_after.or(p.break_after);
    p.column_before = over.column_before.or(p.column_before);
    p.contextual = over.contextual.or(p.contextual);
    p.snap = over.snap.or(p.snap);
    p.font_independent = over.font_independent.or(p.font_independent);
    p.autospace = over.autospace.or(p.autospace);
    if over.tabs.is_some() {
        p.tabs.clone_from(&over.tabs);
    }
    p.tab_interval = over.tab_interval.or(p.tab_interval);
    p.shading = over.shading.or(p.shading);
    for i in 0..4 {
        p.borders[i] = over.borders[i].or(p.borders[i]);
        p.padding[i] = over.padding[i].or(p.padding[i]);
    }
}

/// A list label for `n` in number format `format` (`1`, `a`, `A`, `i`, `I`; empty: none).
pub fn number_label(format: &str, n: u32) -> String {
    match format {
        "a" | "A" => {
            let mut n = n.max(1);
            let mut s = Vec::new();
            while n > 0 && s.len() < 8 {
                n -= 1;
                s.push(b'a' + (n % 26) as u8);
                n /= 26;
            }
            s.reverse();
            let s = String::from_utf8(s).unwrap_or_default();
            if format == "A" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "i" | "I" => {
            let mut n = n.clamp(1, 3_999);
            let mut s = String::new();
            for (value, numeral) in [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ] {
                while n >= value {
                    s.push_str(numeral);
                    n -= value;
                }
            }
            if format == "I" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "" => String::new(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_borders_read_in_points() {
        assert_eq!(length("1in"), Some(72.0));
        assert!((length("2.54cm").unwrap() - 72.0).abs() < 0.01);
        assert!((length("25.4mm").unwrap() - 72.0).abs() < 0.01);
        assert_eq!(length("12pt"), Some(12.0));
        assert_eq!(length("1pc"), Some(12.0));
        assert_eq!(length("wide"), None);
        assert_eq!(length("NaNpt"), None);
        assert_eq!(border("0.5pt solid #ff0000"), Some(Some(([255, 0, 0], 0.5))));
        assert_eq!(border("none"), Some(None));
        assert_eq!(Size::read("150%"), Some(Size::Percent(150.0)));
    }

    #[test]
    fn list_labels_follow_their_format() {
        assert_eq!(number_label("1", 12), "12");
        assert_eq!(number_label("a", 28), "ab");
        assert_eq!(number_label("I", 14), "XIV");
        assert_eq!(number_label("", 3), "");
    }

    #[test]
    fn parent_chains_end_even_when_they_loop() {
        let mut styles = Styles::default();
        for (name, parent) in [("A", "B"), ("B", "A")] {
            let style = Style { parent: Some(parent.into()), ..Default::default() };
            styles.styles.insert((Family::Paragraph, name.into()), style);
        }
        assert_eq!(styles.chain(Family::Paragraph, "A").len(), MAX_CHAIN);
    }
}
