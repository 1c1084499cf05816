//! DrawingML charts (`c:chartSpace`), as PowerPoint slides, Word documents and Excel
//! drawings hold them: [`parse`] reads a chart part into a [`Chart`], [`draw`] draws it
//! as a figure of the paint layer (bar and column, line, pie and doughnut, area, scatter,
//! bubble and radar plots, 3-D forms drawn flat; axes, gridlines, legend, title, data
//! labels). Values come from the chart's own caches (`c:numCache`, `c:strCache`,
//! `c:multiLvlStrCache`) or, for a chart in a workbook written without caches (as openpyxl
//! writes them), from the cells of that workbook its series refer to, as Excel shows them
//! ([`Lookup`]). Nothing is computed from formulas or fetched from links.

mod draw;
mod parse;
mod style;

pub use draw::draw;
pub use parse::parse;

use crate::layout::paint::{Canvas, ImageRef, Painter, Rgb};
use crate::layout::placeholder;
use crate::ooxml::color::Theme;

/// What a chart sits in: a slide, or a page of a document or workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Slide,
    Page,
}

/// Shows a chart part in `figure`: the chart, or a placeholder when it has nothing to
/// draw. Returns what of the chart is not shown, for the report (`"a surface chart"`).
pub fn show(xml: &[u8], theme: &Theme, host: Host, cells: Option<Lookup<'_>>, painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef) -> Vec<String> {
    let mut chart = parse(xml, theme);
    if host == Host::Slide && chart.area_line.is_none() {
        // A chart on a slide has no automatic border (LibreOffice's import draws one
        // round Word's and Excel's charts, not round PowerPoint's).
        chart.area_line = Some(None);
    }
    if let Some(lookup) = cells {
        fill_from_cells(&mut chart, lookup);
    }
    let mut missing: Vec<String> = chart.not_drawn.iter().map(|kind| format!("a {kind}")).collect();
    if chart.truncated {
        missing.push(format!("chart points beyond the first {MAX_POINTS}"));
    }
    let has_values = chart.plots.iter().flat_map(|p| &p.series).any(|s| s.values.iter().any(Option::is_some));
    if !has_values {
        if missing.is_empty() {
            missing.push("a chart without cached values".into());
        }
        let label = missing.join(", ").trim_start_matches("a ").to_owned();
        placeholder::draw(painter, canvas, figure, &label);
        return missing;
    }
    draw(&chart, theme, painter, canvas, figure);
    missing
}

/// A cell a series refers to: the text it shows and, when it holds one, its number.
#[derive(Debug, Clone, PartialEq)]
pub struct CellValue {
    pub text: String,
    pub number: Option<f64>,
}

/// The cells of a reference (`Sheet1!$B$2:$B$5`) in the workbook that holds the chart, in
/// reading order, `None` for empty ones; `None` when the reference names nothing there
/// (another workbook, a defined name, an unknown sheet).
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<Vec<Option<CellValue>>>;

/// Gives each series the data its cache lacks from the cells its references name.
fn fill_from_cells(chart: &mut Chart, lookup: Lookup<'_>) {
    let mut points: usize = chart.plots.iter().flat_map(|p| &p.series).map(|s| s.values.len() + s.categories.len() + s.x.len() + s.sizes.len()).sum();
    let mut take = |reference: &Option<String>, truncated: &mut bool| -> Vec<Option<CellValue>> {
        let Some(cells) = reference.as_deref().and_then(lookup) else { return Vec::new() };
        let room = MAX_POINTS.saturating_sub(points);
        if cells.len() > room {
            *truncated = true;
        }
        let cells: Vec<Option<CellValue>> = cells.into_iter().take(room).collect();
        points += cells.len();
        cells
    };
    let numbers = |cells: Vec<Option<CellValue>>| cells.into_iter().map(|c| c.and_then(|c| c.number)).collect::<Vec<_>>();
    let texts = |cells: Vec<Option<CellValue>>| cells.into_iter().map(|c| c.map(|c| c.text)).collect::<Vec<_>>();
    let mut truncated = false;
    for series in chart.plots.iter_mut().flat_map(|p| p.series.iter_mut()) {
        let refs = std::mem::take(&mut series.refs);
        if series.name.is_empty() {
            let name: Vec<String> = texts(take(&refs.name, &mut truncated)).into_iter().flatten().collect();
            series.name = name.join(" ");
        }
        if series.categories.is_empty() {
            series.categories = texts(take(&refs.categories, &mut truncated));
        }
        if series.values.iter().all(Option::is_none) {
            series.values = numbers(take(&refs.values, &mut truncated));
        }
        if series.x.is_empty() {
            // Text x values count 1, 2, 3... as in a cache.
            let x = take(&refs.x, &mut truncated);
            series.x = x.into_iter().enumerate().map(|(i, c)| c.map(|c| c.number.unwrap_or(i as f64 + 1.0))).collect();
        }
        if series.sizes.is_empty() {
            series.sizes = numbers(take(&refs.sizes, &mut truncated));
        }
    }
    chart.truncated |= truncated;
}

/// Most points read from one chart, over all its series.
pub const MAX_POINTS: usize = 100_000;

/// A chart as its part describes it.
#[derive(Debug, Default, Clone)]
pub struct Chart {
    /// The title's own text, when it has one.
    pub title: Option<String>,
    /// A `c:title` without text, or a title not deleted (`c:autoTitleDeleted val="0"`):
    /// a chart of one series is titled with its name.
    pub auto_title: bool,
    /// A `c:title` without text: a chart of more or fewer series than one shows Office's
    /// "Chart Title" there.
    pub empty_title: bool,
    pub title_deleted: bool,
    pub title_size: Option<f32>,
    /// The title's `b` attribute; Office draws a title bold unless it says otherwise.
    pub title_bold: Option<bool>,
    /// The chart's default text size (`c:chartSpace/c:txPr`).
    pub text_size: Option<f32>,
    pub legend_size: Option<f32>,
    /// Text colours: the chart's default, the title's and the legend's.
    pub text_color: Option<Rgb>,
    pub title_color: Option<Rgb>,
    pub legend_color: Option<Rgb>,
    pub plots: Vec<Plot>,
    pub axes: Vec<Axis>,
    pub legend: Option<LegendPosition>,
    /// The chart area's fill: `None` as Office's default (white), `Some(None)` for none.
    pub area_fill: Option<Option<Rgb>>,
    /// The chart area's border: `None` for Office's automatic one, `Some(None)` for none.
    pub area_line: Option<Option<Rgb>>,
    /// The chart style (`c:style`, 1 to 48; Office's default is 2).
    pub style: Option<u8>,
    pub plot_fill: Option<Option<Rgb>>,
    /// Kinds of plot the chart holds that are not drawn (`"surface chart"`).
    pub not_drawn: Vec<String>,
    /// More points than [`MAX_POINTS`] were cut.
    pub truncated: bool,
}

/// What a plot draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Bar,
    Line,
    Pie,
    Doughnut,
    Area,
    Scatter,
    Bubble,
    Radar,
}

/// How the series of a bar, line or area plot combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    #[default]
    Standard,
    Clustered,
    Stacked,
    Percent,
}

/// Which data labels are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Labels {
    pub value: bool,
    pub percent: bool,
    pub category: bool,
}

impl Labels {
    pub fn any(&self) -> bool {
        self.value || self.percent || self.category
    }
}

/// One plot of a plot area (`c:barChart`, `c:lineChart`...): its series share its kind
/// and axes.
#[derive(Debug, Clone, Default)]
pub struct Plot {
    pub kind: Kind,
    /// Bars run left to right (`c:barDir val="bar"`).
    pub horizontal: bool,
    pub grouping: Grouping,
    pub vary_colors: bool,
    pub series: Vec<Series>,
    pub axis_ids: Vec<i64>,
    /// Gap between bar clusters, in percent of a bar's width.
    pub gap_width: f32,
    /// Doughnut hole, in percent of the diameter.
    pub hole: f32,
    /// Where the first pie slice starts, in degrees clockwise from 12 o'clock.
    pub first_angle: f32,
    /// Markers on lines unless a series says otherwise.
    pub markers: bool,
    /// A radar plot filled, or a scatter plot drawn with lines.
    pub filled: bool,
    pub lines: bool,
    pub labels: Option<Labels>,
}

/// A series with its cached values and look.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// `c:idx`: picks the series' default colour.
    pub index: usize,
    pub name: String,
    pub categories: Vec<Option<String>>,
    pub values: Vec<Option<f64>>,
    /// Scatter and bubble x values.
    pub x: Vec<Option<f64>>,
    pub sizes: Vec<Option<f64>>,
    /// The values' number format.
    pub format: Option<String>,
    /// The number format of categories cached as numbers (dates, mostly).
    pub category_format: Option<String>,
    pub fill: Option<Rgb>,
    pub no_fill: bool,
    pub line: Option<Rgb>,
    pub no_line: bool,
    pub line_width: Option<f32>,
    /// `Some(false)` when the marker symbol is `none`.
    pub marker: Option<bool>,
    /// The marker's own symbol and size (points), when the series names them.
    pub symbol: Option<Symbol>,
    pub marker_size: Option<f32>,
    pub smooth: bool,
    pub explosion: f32,
    /// Colours and explosions of single points (`c:dPt`).
    pub point_fills: Vec<(usize, Rgb)>,
    pub point_explosions: Vec<(usize, f32)>,
    pub labels: Option<Labels>,
    /// The cell references (`c:f`) of its name, categories, values, x values and sizes.
    pub refs: Refs,
}

/// A series' cell references, as its `c:f` elements give them.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    pub name: Option<String>,
    pub categories: Option<String>,
    pub values: Option<String>,
    pub x: Option<String>,
    pub sizes: Option<String>,
}

/// An axis.
#[derive(Debug, Clone, Default)]
pub struct Axis {
    /// Office writes signed ids (`-2115723560`).
    pub id: i64,
    /// A value axis (`c:valAx`), as opposed to a category, date or series axis.
    pub values: bool,
    pub deleted: bool,
    /// `l`, `r`, `t` or `b`.
    pub position: String,
    /// The labels' number format, unless linked to the source.
    pub format: Option<String>,
    pub gridlines: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The step between major ticks the axis sets (`c:majorUnit`).
    pub major_unit: Option<f64>,
    /// Minor gridlines are drawn (`c:minorGridlines`), between the major ones.
    pub minor_gridlines: bool,
    /// The labels sit at the low end of the crossing axis (`c:tickLblPos val="low"`)
    /// rather than next to this axis wherever it crosses.
    pub labels_low: bool,
    pub reversed: bool,
    pub no_labels: bool,
    /// Points sit on the category edges (`c:crossBetween val="midCat"`).
    pub mid_category: bool,
    pub title: Option<String>,
    /// The title's own text size and colour.
    pub title_size: Option<f32>,
    pub title_color: Option<Rgb>,
    pub label_size: Option<f32>,
    pub text_color: Option<Rgb>,
    /// The major gridlines' colour.
    pub grid_color: Option<Rgb>,
    pub grid_width: Option<f32>,
    /// The axis line: `None` as the default, `Some(None)` when it has no line.
    pub line: Option<Option<Rgb>>,
    /// Major tick marks are drawn (`c:majorTickMark` other than `none`).
    pub ticks: bool,
}

/// A line or scatter marker's shape (`c:symbol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Square,
    Diamond,
    Triangle,
    /// LibreOffice's third automatic symbol.
    TriangleDown,
    Circle,
    X,
    Star,
    Plus,
    Dash,
    Dot,
}

impl Symbol {
    /// The symbol of an automatic marker, by the series' index, in the order LibreOffice
    /// gives them when it draws an Office chart.
    pub fn auto(index: usize) -> Symbol {
        const ORDER: [Symbol; 7] = [Symbol::Square, Symbol::Diamond, Symbol::TriangleDown, Symbol::Triangle, Symbol::Circle, Symbol::Star, Symbol::X];
        ORDER[index % ORDER.len()]
    }

    /// A `c:symbol` value; `None` for `none`, `auto` and anything unknown.
    pub fn from_name(name: &str) -> Option<Symbol> {
        Some(match name {
            "square" => Symbol::Square,
            "diamond" => Symbol::Diamond,
            "triangle" => Symbol::Triangle,
            "circle" => Symbol::Circle,
            "x" => Symbol::X,
            "star" => Symbol::Star,
            "plus" => Symbol::Plus,
            "dash" => Symbol::Dash,
            "dot" => Symbol::Dot,
            _ => return None,
        })
    }
}

/// Where the legend sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendPosition {
    Right,
    Left,
    Top,
    Bottom,
}
