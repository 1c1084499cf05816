//! `word/styles.xml`: document defaults, paragraph, character and table styles with their
//! `basedOn` chains, and the run and paragraph property elements they share with direct
//! formatting and list levels.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::tables::BorderSet;
use crate::layout::paint::{Align, Borders, Leader, LineSpacing, Rgb, SpanStyle, Stroke, TabAlign, TabStop};
use crate::ooxml::walk::{self, Handler, Stack};
use crate::ooxml::{self, attr};

/// Stand for the theme's heading and body fonts in [`RunProps::font`] until the theme is
/// applied ([`RunProps::style`]).
const MAJOR: &str = "+major";
const MINOR: &str = "+minor";

pub(super) use crate::ooxml::fonts::{parse_theme, ThemeFonts};

/// Longest `basedOn` chain followed (they can loop).
const MAX_STYLE_DEPTH: usize = 16;

/// Run properties, each unset until some level of the style hierarchy sets it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RunProps {
    pub(super) font: Option<String>,
    pub(super) half_points: Option<f32>,
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) underline: Option<bool>,
    pub(super) strike: Option<bool>,
    pub(super) color: Option<Rgb>,
    /// `vertAlign`: superscript (`Some(true)`), subscript (`Some(false)`) or baseline
    /// (`None` inside, when set to it).
    pub(super) vert_align: Option<Option<bool>>,
    /// The font, size, bold and italic of complex-script text (Arabic, Hebrew...):
    /// `rFonts/@cs`, `szCs`, `bCs`, `iCs`.
    pub(super) cs_font: Option<String>,
    pub(super) cs_half_points: Option<f32>,
    pub(super) cs_bold: Option<bool>,
    pub(super) cs_italic: Option<bool>,
    /// `highlight` (a named colour) and `shd` (the run's shading): the colour behind the
    /// text, `Some(None)` for none. Highlight wins over shading, as in Word.
    pub(super) highlight: Option<Option<Rgb>>,
    pub(super) shading: Option<Option<Rgb>>,
}

impl RunProps {
    /// `self` with every property `over` sets replaced.
    pub(super) fn overlay(&self, over: &RunProps) -> RunProps {
        RunProps {
            font: over.font.clone().or_else(|| self.font.clone()),
            half_points: over.half_points.or(self.half_points),
            bold: over.bold.or(self.bold),
            italic: over.italic.or(self.italic),
            underline: over.underline.or(self.underline),
            strike: over.strike.or(self.strike),
            color: over.color.or(self.color),
            vert_align: over.vert_align.or(self.vert_align),
            cs_font: over.cs_font.clone().or_else(|| self.cs_font.clone()),
            cs_half_points: over.cs_half_points.or(self.cs_half_points),
            highlight: over.highlight.or(self.highlight),
            shading: over.shading.or(self.shading),
            cs_bold: over.cs_bold.or(self.cs_bold),
            cs_italic: over.cs_italic.or(self.cs_italic),
        }
    }

    /// The span style of `text` in these properties: for text in a complex script, Word
    /// takes the complex-script font, size, bold and italic instead.
    pub(super) fn style_of(&self, text: &str, theme: &ThemeFonts) -> SpanStyle {
        if !text.chars().any(complex_script) {
            return self.style(theme);
        }
        let complex = RunProps {
            font: self.cs_font.clone().or_else(|| self.font.clone()),
            half_points: self.cs_half_points.or(self.half_points),
            bold: self.cs_bold.or(self.bold),
            italic: self.cs_italic.or(self.italic),
            ..self.clone()
        };
        complex.style(theme)
    }

    /// The span style these properties give, with theme fonts taken from `theme`.
    pub(super) fn style(&self, theme: &ThemeFonts) -> SpanStyle {
        let family = match self.font.as_deref() {
            Some(MAJOR) => theme.major.clone(),
            Some(MINOR) => theme.minor.clone(),
            Some(font) => font.to_owned(),
            None => "Calibri".into(),
        };
        let style = SpanStyle {
            family,
            size: self.half_points.unwrap_or(20.0) / 2.0,
            bold: self.bold.unwrap_or(false),
            italic: self.italic.unwrap_or(false),
            underline: self.underline.unwrap_or(false),
            strike: self.strike.unwrap_or(false),
            color: self.color.unwrap_or([0, 0, 0]),
            rise: 0.0,
            highlight: self.highlight.flatten().or(self.shading.flatten()),
            hidden: false,
        };
        match self.vert_align.flatten() {
            Some(up) => style.script(up),
            None => style,
        }
    }
}

/// A character of a script Word formats with the complex-script properties: Hebrew,
/// Arabic, Syriac, Thaana, N'Ko and their presentation forms.
fn complex_script(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Paragraph properties (lengths in points).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ParaProps {
    pub(super) style: Option<String>,
    pub(super) align: Option<Align>,
    pub(super) before: Option<f32>,
    pub(super) after: Option<f32>,
    /// `w:spacing`'s `line` and `lineRule`.
    pub(super) line: Option<LineSpacing>,
    pub(super) left: Option<f32>,
    pub(super) right: Option<f32>,
    pub(super) first: Option<f32>,
    pub(super) page_break_before: Option<bool>,
    pub(super) num_id: Option<String>,
    pub(super) level: Option<u8>,
    /// `contextualSpacing`: no space between this paragraph and a neighbour of its style.
    pub(super) contextual: Option<bool>,
    /// `autoSpaceDE` and `autoSpaceDN`: space between East Asian text and Latin letters,
    /// and digits (both on unless said otherwise).
    pub(super) autospace: [Option<bool>; 2],
    /// `keepNext`: kept on the page of the paragraph after it.
    pub(super) keep_next: Option<bool>,
    /// `bidi`: a right-to-left paragraph. Its `left` indent and alignment are then its
    /// start's (the right), as Word reads them.
    pub(super) bidi: Option<bool>,
    /// `snapToGrid`: its lines snap to the section's document grid (the default).
    pub(super) snap: Option<bool>,
    /// `tabs`: stops set (`Some`) or cleared (`None`) at a position, in points from the
    /// margin, in order; a level's list clears a stop an earlier level set.
    pub(super) tabs: Vec<(f32, Option<TabStop>)>,
    /// `pBdr`: top, left, bottom, right borders with their space from the text in
    /// points; `Some(None)` is an explicit none.
    pub(super) borders: [Option<Option<(Stroke, f32)>>; 4],
    /// `shd`: the colour behind the paragraph; `Some(None)` shows none.
    pub(super) shading: Option<Option<Rgb>>,
}

impl ParaProps {
    pub(super) fn overlay(&self, over: &ParaProps) -> ParaProps {
        ParaProps {
            style: over.style.clone().or_else(|| self.style.clone()),
            align: over.align.or(self.align),
            before: over.before.or(self.before),
            after: over.after.or(self.after),
            line: over.line.or(self.line),
            left: over.left.or(self.left),
            right: over.right.or(self.right),
            first: over.first.or(self.first),
            page_break_before: over.page_break_before.or(self.page_break_before),
            num_id: over.num_id.clone().or_else(|| self.num_id.clone()),
            level: over.level.or(self.level),
            contextual: over.contextual.or(self.contextual),
            autospace: [over.autospace[0].or(self.autospace[0]), over.autospace[1].or(self.autospace[1])],
            keep_next: over.keep_next.or(self.keep_next),
            bidi: over.bidi.or(self.bidi),
            snap: over.snap.or(self.snap),
            tabs: overlay_tabs(&self.tabs, &over.tabs),
            borders: std::array::from_fn(|i| over.borders[i].or(self.borders[i])),
            shading: over.shading.or(self.shading),
        }
    }

    /// The paragraph's borders and their spaces, as the paint layer takes them.
    pub(super) fn paint_borders(&self) -> (Borders, [f32; 4]) {
        let side = |i: usize| self.borders[i].flatten();
        let borders = Borders { top: side(0).map(|b| b.0), left: side(1).map(|b| b.0), bottom: side(2).map(|b| b.0), right: side(3).map(|b| b.0) };
        (borders, std::array::from_fn(|i| side(i).map_or(0.0, |b| b.1)))
    }

    /// The stops these properties leave set.
    pub(super) fn tab_stops(&self) -> Vec<TabStop> {
        self.tabs.iter().filter_map(|t| t.1).collect()
    }
}

/// Most tab stops a paragraph keeps (Word allows 64).
const MAX_TABS: usize = 64;

/// `base`'s tab stops changed by `over`'s: a stop set or cleared at a position replaces
/// what `base` has there.
fn overlay_tabs(base: &[(f32, Option<TabStop>)], over: &[(f32, Option<TabStop>)]) -> Vec<(f32, Option<TabStop>)> {
    if over.is_empty() {
        return base.to_vec();
    }
    let mut tabs: Vec<(f32, Option<TabStop>)> = base.iter().filter(|(p, _)| !over.iter().any(|(q, _)| (p - q).abs() < 0.5)).cloned().collect();
    tabs.extend(over.iter().cloned());
    tabs.sort_by(|a, b| a.0.total_cmp(&b.0));
    tabs.truncate(MAX_TABS);
    tabs
}

/// A `w:tab` of `w:tabs`: its position and the stop, or `None` when it clears one.
fn tab_stop(e: &BytesStart<'_>) -> Option<(f32, Option<TabStop>)> {
    let position = twips(e, b"pos")?;
    let align = match attr(e, b"val").as_deref() {
        Some("center") => TabAlign::Center,
        Some("right" | "end") => TabAlign::Right,
        Some("decimal") => TabAlign::Decimal,
        Some("clear") => return Some((position, None)),
        // A bar tab draws a vertical line and stops nothing; `num` is a list's stop.
        Some("bar") => return None,
        _ => TabAlign::Left,
    };
    let leader = match attr(e, b"leader").as_deref() {
        Some("dot") => Leader::Dots,
        Some("middleDot") => Leader::MiddleDots,
        Some("hyphen") => Leader::Hyphens,
        Some("underscore") => Leader::Line,
        Some("heavy") => Leader::Heavy,
        _ => Leader::None,
    };
    Some((position, Some(TabStop { position, align, leader })))
}

/// One style from styles.xml.
#[derive(Debug, Clone, Default)]
pub(super) struct Style {
    pub(super) based_on: Option<String>,
    pub(super) para: ParaProps,
    pub(super) run: RunProps,
    pub(super) table_borders: Option<BorderSet>,
    /// `tblCellMar` of a table style (top, left, bottom, right), in points.
    pub(super) table_margins: [Option<f32>; 4],
    /// `tblStylePr`: the run properties and cell fill of parts of a table (first row,
    /// banded rows...), by part.
    pub(super) parts: Vec<(TablePart, RunProps, Option<Rgb>)>,
}

/// The parts of a table a table style formats on their own (`tblStylePr/@type`), in the
/// order Word applies them: later ones win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TablePart {
    Band1Vert,
    Band2Vert,
    Band1Horz,
    Band2Horz,
    FirstCol,
    LastCol,
    FirstRow,
    LastRow,
}

impl TablePart {
    fn parse(name: &str) -> Option<TablePart> {
        Some(match name {
            "band1Vert" => TablePart::Band1Vert,
            "band2Vert" => TablePart::Band2Vert,
            "band1Horz" => TablePart::Band1Horz,
            "band2Horz" => TablePart::Band2Horz,
            "firstCol" => TablePart::FirstCol,
            "lastCol" => TablePart::LastCol,
            "firstRow" => TablePart::FirstRow,
            "lastRow" => TablePart::LastRow,
            _ => return None,
        })
    }
}

/// Which parts of a table its style formats on their own (`tblLook`): Word's default is
/// the first row, the first column and banded rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TableLook {
    pub(super) first_row: bool,
    pub(super) last_row: bool,
    pub(super) first_col: bool,
    pub(super) last_col: bool,
    pub(super) row_bands: bool,
    pub(super) col_bands: bool,
}

impl Default for TableLook {
    fn default() -> Self {
        TableLook { first_row: true, last_row: false, first_col: true, last_col: false, row_bands: true, col_bands: false }
    }
}

impl TableLook {
    /// `w:tblLook`: its attributes, else its hexadecimal `w:val` bits.
    pub(super) fn parse(e: &BytesStart<'_>) -> TableLook {
        let bits = attr(e, b"val").and_then(|v| u16::from_str_radix(v.trim(), 16).ok()).unwrap_or(0x04A0);
        let flag = |name: &[u8], bit: u16| attr(e, name).map_or(bits & bit != 0, |v| matches!(v.as_str(), "1" | "true" | "on"));
        TableLook {
            first_row: flag(b"firstRow", 0x0020),
            last_row: flag(b"lastRow", 0x0040),
            first_col: flag(b"firstColumn", 0x0080),
            last_col: flag(b"lastColumn", 0x0100),
            row_bands: !flag(b"noHBand", 0x0200),
            col_bands: !flag(b"noVBand", 0x0400),
        }
    }

    /// The parts the cell at `row`, `col` of a `rows` by `cols` table belongs to, in the
    /// order they apply (`None` when the table's size is not known yet: last ones unknown).
    pub(super) fn parts(&self, row: usize, col: usize, rows: Option<usize>, cols: Option<usize>) -> Vec<TablePart> {
        let mut parts = Vec::new();
        let header = usize::from(self.first_row);
        let first_col = usize::from(self.first_col);
        if self.col_bands && col >= first_col {
            parts.push(if (col - first_col).is_multiple_of(2) { TablePart::Band1Vert } else { TablePart::Band2Vert });
        }
        if self.row_bands && row >= header {
            parts.push(if (row - header).is_multiple_of(2) { TablePart::Band1Horz } else { TablePart::Band2Horz });
        }
        if self.first_col && col == 0 {
            parts.push(TablePart::FirstCol);
        }
        if self.last_col && cols.is_some_and(|n| col + 1 == n) {
            parts.push(TablePart::LastCol);
        }
        if self.first_row && row == 0 {
            parts.push(TablePart::FirstRow);
        }
        if self.last_row && rows.is_some_and(|n| row + 1 == n) {
            parts.push(TablePart::LastRow);
        }
        parts
    }
}

/// Everything styles.xml says.
#[derive(Debug, Default)]
pub(super) struct Styles {
    /// The theme's heading and body fonts.
    pub(super) theme: ThemeFonts,
    /// The theme's colours (for drawings).
    pub(super) colors: crate::ooxml::color::Theme,
    pub(super) default_run: RunProps,
    pub(super) default_para: ParaProps,
    pub(super) default_paragraph_style: Option<String>,
    pub(super) styles: HashMap<String, Style>,
    /// The distance between default tab stops (settings.xml's `defaultTabStop`), in
    /// points; 0 when the document does not say.
    pub(super) default_tab: f32,
    /// Paragraph spacing collapses: the larger of one's after and the next's before
    /// ([`Settings::collapse_spacing`]).
    pub(super) collapse_spacing: bool,
}

impl Styles {
    /// Paragraph and run properties of a style with its `basedOn` chain applied.
    pub(super) fn resolve(&self, id: &str) -> (ParaProps, RunProps) {
        let mut chain = Vec::new();
        let mut next = Some(id.to_owned());
        while let Some(id) = next {
            if chain.len() >= MAX_STYLE_DEPTH {
                break;
            }
            let Some(style) = self.styles.get(&id) else { break };
            chain.push(style);
            next = style.based_on.clone().filter(|b| *b != id);
        }
        chain.iter().rev().fold((ParaProps::default(), RunProps::default()), |(p, r), s| (p.overlay(&s.para), r.overlay(&s.run)))
    }

    /// The run properties and fill a table style's parts give a cell in `parts`, following
    /// the style's `basedOn` chain.
    pub(super) fn table_part(&self, id: &str, parts: &[TablePart]) -> (RunProps, Option<Rgb>) {
        let mut chain = Vec::new();
        let mut next = Some(id);
        for _ in 0..MAX_STYLE_DEPTH {
            let Some(style) = next.and_then(|id| self.styles.get(id)) else { break };
            chain.push(style);
            next = style.based_on.as_deref();
        }
        let (mut run, mut fill) = (RunProps::default(), None);
        for part in parts {
            for style in chain.iter().rev() {
                for (p, r, f) in &style.parts {
                    if p == part {
                        run = run.overlay(r);
                        fill = f.or(fill);
                    }
                }
            }
        }
        (run, fill)
    }

    /// The cell margins a table style gives, each side from the nearest style in its
    /// `basedOn` chain that sets it.
    pub(super) fn table_margins(&self, id: &str) -> [Option<f32>; 4] {
        let mut margins = [None; 4];
        let mut next = Some(id);
        for _ in 0..MAX_STYLE_DEPTH {
            let Some(style) = next.and_then(|id| self.styles.get(id)) else { break };
            for (m, own) in margins.iter_mut().zip(style.table_margins) {
                *m = m.or(own);
            }
            next = style.based_on.as_deref();
        }
        margins
    }

    /// The borders a table style (or the first style it is based on that has some) gives.
    pub(super) fn table_borders(&self, id: &str) -> Option<BorderSet> {
        let mut next = Some(id);
        for _ in 0..MAX_STYLE_DEPTH {
            let style = self.styles.get(next?)?;
            if style.table_borders.is_some() {
                return style.table_borders;
            }
            next = style.based_on.as_deref();
        }
        None
    }
}

/// Twips (1/20 pt) in an attribute, as points.
pub(super) fn twips(e: &BytesStart<'_>, local: &[u8]) -> Option<f32> {
    attr(e, local)?.parse::<f32>().ok().filter(|v| v.is_finite()).map(|v| (v / 20.0).clamp(-10_000.0, 10_000.0))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`).
pub(super) fn toggle(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off" | "none"))
}

/// Applies a property element inside `w:rPr`.
pub(super) fn run_property(e: &BytesStart<'_>, run: &mut RunProps, char_style: &mut Option<String>) {
    match e.local_name().as_ref().as_bytes() {
        b"rStyle" => *char_style = attr(e, b"val"),
        b"rFonts" => {
            let theme = attr(e, b"asciiTheme").or_else(|| attr(e, b"hAnsiTheme")).map(|t| if t.starts_with("major") { MAJOR } else { MINOR }.to_owned());
            run.cs_font = attr(e, b"cs").or(run.cs_font.take());
            run.font = attr(e, b"ascii").or_else(|| attr(e, b"hAnsi")).or(theme).or_else(|| attr(e, b"eastAsia")).or(run.font.take());
        }
        b"szCs" => run.cs_half_points = attr(e, b"val").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| v.clamp(2.0, 800.0)),
        b"bCs" => run.cs_bold = Some(toggle(e)),
        b"iCs" => run.cs_italic = Some(toggle(e)),
        b"sz" => run.half_points = attr(e, b"val").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| v.clamp(2.0, 800.0)),
        b"b" => run.bold = Some(toggle(e)),
        b"i" => run.italic = Some(toggle(e)),
        b"u" => run.underline = Some(toggle(e)),
        b"strike" | b"dstrike" => run.strike = Some(toggle(e)),
        b"vertAlign" => {
            run.vert_align = Some(match attr(e, b"val").as_deref() {
                Some("superscript") => Some(true),
                Some("subscript") => Some(false),
                _ => None,
            })
        }
        b"color" => run.color = attr(e, b"val").and_then(|v| ooxml::hex_color(&v)),
        b"highlight" => run.highlight = Some(attr(e, b"val").and_then(|v| highlight_color(&v))),
        b"shd" => run.shading = Some(ooxml::color::shading(e)),
        _ => {}
    }
}

/// A highlight colour by its name (`ST_HighlightColor`); `none` and unknown names are none.
fn highlight_color(name: &str) -> Option<Rgb> {
    Some(match name {
        "black" => [0, 0, 0],
        "blue" => [0, 0, 255],
        "cyan" => [0, 255, 255],
        "green" => [0, 255, 0],
        "magenta" => [255, 0, 255],
        "red" => [255, 0, 0],
        "yellow" => [255, 255, 0],
        "white" => [255, 255, 255],
        "darkBlue" => [0, 0, 128],
        "darkCyan" => [0, 128, 128],
        "darkGreen" => [0, 128, 0],
        "darkMagenta" => [128, 0, 128],
        "darkRed" => [128, 0, 0],
        "darkYellow" => [128, 128, 0],
        "darkGray" => [128, 128, 128],
        "lightGray" => [192, 192, 192],
        _ => return None,
    })
}

/// Applies a property element inside `w:pPr`.
pub(super) fn para_property(e: &BytesStart<'_>, para: &mut ParaProps) {
    match e.local_name().as_ref().as_bytes() {
        b"pStyle" => para.style = attr(e, b"val"),
        b"jc" => {
            para.align = match attr(e, b"val").as_deref() {
                Some("center") => Some(Align::Center),
                Some("right" | "end") => Some(Align::End),
                Some("both" | "distribute") => Some(Align::Justify),
                Some(_) => Some(Align::Start),
                None => None,
            }
        }
        b"spacing" => {
            para.before = twips(e, b"before").or(para.before);
            para.after = twips(e, b"after").or(para.after);
            if let Some(line) = attr(e, b"line").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()) {
                // "auto" lines are 240ths of a single line; exact and at-least are twips.
                para.line = Some(match attr(e, b"lineRule").as_deref() {
                    Some("exact") => LineSpacing::Exact((line.abs() / 20.0).clamp(1.0, 1_000.0)),
                    Some("atLeast") => LineSpacing::AtLeast((line / 20.0).clamp(0.0, 1_000.0)),
                    _ => LineSpacing::Proportional((line / 240.0).clamp(0.5, 5.0)),
                });
            }
        }
        b"ind" => {
            para.left = twips(e, b"left").or_else(|| twips(e, b"start")).or(para.left);
            para.right = twips(e, b"right").or_else(|| twips(e, b"end")).or(para.right);
            para.first = twips(e, b"firstLine").or_else(|| twips(e, b"hanging").map(|h| -h)).or(para.first);
        }
        b"pageBreakBefore" => para.page_break_before = Some(toggle(e)),
        b"contextualSpacing" => para.contextual = Some(toggle(e)),
        b"autoSpaceDE" => para.autospace[0] = Some(toggle(e)),
        b"autoSpaceDN" => para.autospace[1] = Some(toggle(e)),
        b"keepNext" => para.keep_next = Some(toggle(e)),
        b"bidi" => para.bidi = Some(toggle(e)),
        b"snapToGrid" => para.snap = Some(toggle(e)),
        b"shd" => para.shading = Some(crate::ooxml::color::shading(e)),
        name @ (b"top" | b"left" | b"start" | b"bottom" | b"right" | b"end") => {
            let side = match name {
                b"top" => 0,
                b"left" | b"start" => 1,
                b"bottom" => 2,
                _ => 3,
            };
            // `w:space` is in points.
            let space = attr(e, b"space").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map_or(0.0, |v| v.clamp(0.0, 31.0));
            para.borders[side] = Some(super::tables::border(e).map(|stroke| (stroke, space)));
        }
        b"tab" => {
            if let Some(tab) = tab_stop(e) {
                para.tabs = overlay_tabs(&para.tabs, &[tab]);
            }
        }
        b"numId" => para.num_id = attr(e, b"val"),
        b"ilvl" => para.level = attr(e, b"val").and_then(|v| v.parse().ok()),
        _ => {}
    }
}

/// What `word/settings.xml` says that changes the pages.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(super) struct Settings {
    /// `defaultTabStop`, in points.
    pub(super) default_tab: Option<f32>,
    /// `evenAndOddHeaders`: even pages have their own header and footer.
    pub(super) even_and_odd_headers: bool,
    /// Spacing between paragraphs is the larger of the two, the standard's rule, unless
    /// `compat/doNotUseHTMLParagraphAutoSpacing` asks for the sum. A package without
    /// settings.xml sums too: LibreOffice, the reference pages are compared with, lays such
    /// files out so (measured; also reported in eigenpal/docx-editor#372).
    pub(super) collapse_spacing: bool,
}

/// Reads settings.xml.
pub(super) fn parse_settings(xml: &[u8]) -> Settings {
    let mut settings = Settings { collapse_spacing: true, ..Settings::default() };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"defaultTabStop" => settings.default_tab = twips(&e, b"val").filter(|v| *v >= 1.0),
                b"evenAndOddHeaders" => settings.even_and_odd_headers = toggle(&e),
                b"doNotUseHTMLParagraphAutoSpacing" => settings.collapse_spacing = !toggle(&e),
                _ => {}
            },
            Ok(quick_xml::events::Event::Eof) | Err(_) => return settings,
            _ => {}
        }
        buf.clear();
    }
}

/// Reads styles.xml.
pub(super) fn parse_styles(xml: &[u8]) -> Styles {
    let mut reader = StylesReader { styles: Styles::default(), current: None };
    walk::walk(xml, &mut reader);
    reader.styles
}

/// The elements of styles.xml that matter.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Other,
    Skip,
    RunDefault,
    ParaDefault,
    Style,
    RunProps,
    ParaProps,
    TableBorders,
    Conditional,
    CellMargins,
}

struct StylesReader {
    styles: Styles,
    /// The style being read.
    current: Option<(String, Style)>,
}

impl Handler for StylesReader {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, stack: &Stack<Ctx>) -> Ctx {
        match e.local_name().as_ref().as_bytes() {
            b"rPrDefault" => Ctx::RunDefault,
            b"pPrDefault" => Ctx::ParaDefault,
            // The formatting a tracked change replaced.
            b"rPrChange" | b"pPrChange" => Ctx::Skip,
            // A table style's formatting of parts of the table (first row, banding...): its
            // borders are still taken for the table's, its text formatting is not.
            b"tblStylePr" => {
                if let (Some((_, s)), Some(part)) = (self.current.as_mut(), attr(e, b"type").as_deref().and_then(TablePart::parse)) {
                    if s.parts.len() < 16 {
                        s.parts.push((part, RunProps::default(), None));
                    }
                }
                Ctx::Conditional
            }
            b"style" if !empty => {
                let id = attr(e, b"styleId").unwrap_or_default();
                if attr(e, b"type").as_deref() == Some("paragraph") && attr(e, b"default").is_some_and(|d| d == "1" || d == "true") {
                    self.styles.default_paragraph_style = Some(id.clone());
                }
                self.current = Some((id, Style::default()));
                Ctx::Style
            }
            b"basedOn" => {
                if let Some((_, s)) = self.current.as_mut() {
                    s.based_on = attr(e, b"val");
                }
                Ctx::Other
            }
            b"rPr" => Ctx::RunProps,
            b"pPr" => Ctx::ParaProps,
            b"tblBorders" => Ctx::TableBorders,
            b"tblCellMar" => Ctx::CellMargins,
            _ => {
                if e.local_name().as_ref().as_bytes() == b"shd" && stack.within(Ctx::Conditional) && !stack.within(Ctx::RunProps) {
                    if let Some(part) = self.current.as_mut().and_then(|(_, s)| s.parts.last_mut()) {
                        part.2 = ooxml::color::shading(e);
                    }
                    return Ctx::Other;
                }
                if stack.top() == Some(Ctx::CellMargins) && !stack.within(Ctx::Conditional) {
                    if let Some((_, s)) = self.current.as_mut() {
                        super::tables::set_margin(&mut s.table_margins, e);
                    }
                    return Ctx::Other;
                }
                match stack.nearest(|c| matches!(c, Ctx::TableBorders | Ctx::RunProps | Ctx::ParaProps)) {
                    Some(Ctx::TableBorders) => {
                        if let Some((_, s)) = self.current.as_mut() {
                            s.table_borders.get_or_insert_with(BorderSet::default).set(e);
                        }
                    }
                    Some(Ctx::RunProps) if stack.within(Ctx::Conditional) => {
                        if let Some(part) = self.current.as_mut().and_then(|(_, s)| s.parts.last_mut()) {
                            run_property(e, &mut part.1, &mut None);
                        }
                    }
                    Some(Ctx::ParaProps) if stack.within(Ctx::Conditional) => {}
                    Some(Ctx::RunProps) => {
                        let target = match self.current.as_mut() {
                            Some((_, s)) => &mut s.run,
                            None if stack.within(Ctx::RunDefault) => &mut self.styles.default_run,
                            None => return Ctx::Other,
                        };
                        run_property(e, target, &mut None);
                    }
                    Some(Ctx::ParaProps) => {
                        let target = match self.current.as_mut() {
                            Some((_, s)) => &mut s.para,
                            None if stack.within(Ctx::ParaDefault) => &mut self.styles.default_para,
                            None => return Ctx::Other,
                        };
                        para_property(e, target);
                    }
                    _ => {}
                }
                Ctx::Other
            }
        }
    }

    fn end(&mut self, ctx: Ctx, _: &Stack<Ctx>) {
        if ctx == Ctx::Style {
            if let Some((id, style)) = self.current.take() {
                self.styles.styles.insert(id, style);
            }
        }
    }

    fn text(&mut self, _: &str, _: &Stack<Ctx>) {}
}
