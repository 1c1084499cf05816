//! DrawingML charts (`c:chartSpace`), as PowerPoint slides, Word documents and Excel
//! drawings hold them: [`parse`] reads a chart part into a [`Chart`], [`draw`] draws it
//! as a figure of the paint layer (bar and column, line, pie and doughnut, area, scatter,
//! bubble and radar plots, 3-D forms drawn flat; axes, gridlines, legend, title, data
//! labels). Values come only from the chart's own caches (`c:numCache`, `c:strCache`,
//! `c:multiLvlStrCache`); nothing is computed from formulas or fetched from links.

mod draw;
mod parse;

pub use draw::draw;
pub use parse::parse;

use crate::layout::paint::{Canvas, ImageRef, Painter, Rgb};
use crate::layout::placeholder;
use crate::ooxml::color::Theme;

/// Shows a chart part in `figure`: the chart, or a placeholder when it has nothing to
/// draw. Returns what of the chart is not shown, for the report (`"a surface chart"`).
pub fn show(xml: &[u8], theme: &Theme, painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef) -> Vec<String> {
    let chart = parse(xml, theme);
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
    pub title_deleted: bool,
    pub title_size: Option<f32>,
    /// The chart's default text size (`c:chartSpace/c:txPr`).
    pub text_size: Option<f32>,
    pub legend_size: Option<f32>,
    pub plots: Vec<Plot>,
    pub axes: Vec<Axis>,
    pub legend: Option<LegendPosition>,
    /// The chart area's fill: `None` as Office's default (white), `Some(None)` for none.
    pub area_fill: Option<Option<Rgb>>,
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
    pub axis_ids: Vec<u32>,
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
    pub fill: Option<Rgb>,
    pub no_fill: bool,
    pub line: Option<Rgb>,
    pub no_line: bool,
    pub line_width: Option<f32>,
    /// `Some(false)` when the marker symbol is `none`.
    pub marker: Option<bool>,
    pub smooth: bool,
    pub explosion: f32,
    /// Colours and explosions of single points (`c:dPt`).
    pub point_fills: Vec<(usize, Rgb)>,
    pub point_explosions: Vec<(usize, f32)>,
    pub labels: Option<Labels>,
}

/// An axis.
#[derive(Debug, Clone, Default)]
pub struct Axis {
    pub id: u32,
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
    pub reversed: bool,
    pub no_labels: bool,
    /// Points sit on the category edges (`c:crossBetween val="midCat"`).
    pub mid_category: bool,
    pub title: Option<String>,
    pub label_size: Option<f32>,
}

/// Where the legend sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendPosition {
    Right,
    Left,
    Top,
    Bottom,
}
