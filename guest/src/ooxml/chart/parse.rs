//! Reading a chart part into a [`Chart`], with an element-context stack: a colour belongs
//! to the innermost shape properties around it, a cached point to the innermost data
//! reference (name, categories, values, x values, bubble sizes).

use quick_xml::events::BytesStart;

use super::{Axis, Chart, Grouping, Kind, Labels, LegendPosition, Plot, Series, Symbol, MAX_POINTS};
use crate::layout::paint::Rgb;
use crate::ooxml::attr;
use crate::ooxml::color::{self, Theme};
use crate::ooxml::walk::{self, Handler, Stack};

/// Most series and plots read from one chart.
const MAX_SERIES: usize = 1_000;
/// Most points of one series.
const MAX_SERIES_POINTS: usize = 20_000;

/// Which data a cached point belongs to.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Data {
    Name,
    Categories,
    Values,
    X,
    Sizes,
}

/// What a colour inside shape properties sets.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Paints {
    SeriesFill,
    SeriesLine,
    Point,
    Area,
    /// The chart area's border.
    AreaLine,
    PlotArea,
    /// An axis' major gridlines and its own line: only their line colour counts.
    Gridlines,
    AxisLine,
    /// The text colour of the title, an axis, the legend or the whole chart.
    TitleText,
    AxisTitleText,
    AxisText,
    LegendText,
    ChartText,
    Ignored,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Ctx {
    Other,
    Skip,
    Title,
    Legend,
    Plot,
    Series,
    Data(Data),
    /// A level of a multi-level category cache other than the first.
    OtherLevel,
    Point,
    Value,
    FormatCode,
    ShapeProps(Paints),
    Line,
    Fill,
    Gradient,
    Color,
    DataPoint,
    Marker,
    Labels,
    Axis,
    Gridlines,
    TextProps,
    Text,
    /// A data reference's formula (`c:f`).
    Formula,
}

/// Reads a chart part. Anything unreadable is left out; the caller decides what an empty
/// chart means.
pub fn parse(xml: &[u8], theme: &Theme) -> Chart {
    let mut reader = Reader { theme, chart: Chart::default(), point: None, color: None, points: 0, point_index: None, title: None };
    walk::walk(xml, &mut reader);
    reader.chart
}

struct Reader<'t> {
    theme: &'t Theme,
    chart: Chart,
    /// The index of the cached point being read.
    point: Option<usize>,
    /// The colour being read and what it paints.
    color: Option<(Rgb, Paints)>,
    points: usize,
    /// The `c:idx` of the data point being read.
    point_index: Option<usize>,
    /// The text of the title being read.
    title: Option<String>,
}

/// A boolean element: `val` defaults to true.
fn flag(e: &BytesStart<'_>) -> bool {
    attr(e, b"val").is_none_or(|v| v == "1" || v == "true")
}

fn number(e: &BytesStart<'_>, key: &[u8]) -> Option<f64> {
    attr(e, key).and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite())
}

/// A text size in hundredths of a point (`sz`), as points.
fn size(e: &BytesStart<'_>) -> Option<f32> {
    number(e, b"sz").map(|v| (v / 100.0).clamp(1.0, 400.0) as f32)
}

impl Reader<'_> {
    fn plot(&mut self) -> Option<&mut Plot> {
        self.chart.plots.last_mut()
    }

    fn series(&mut self) -> Option<&mut Series> {
        self.chart.plots.last_mut()?.series.last_mut()
    }

    fn axis(&mut self) -> Option<&mut Axis> {
        self.chart.axes.last_mut()
    }

    /// Where a data-label flag goes: the series' labels, else the plot's.
    fn labels(&mut self, stack: &Stack<Ctx>) -> Option<&mut Labels> {
        if stack.within(Ctx::Series) {
            Some(self.series()?.labels.get_or_insert_with(Labels::default))
        } else {
            Some(self.plot()?.labels.get_or_insert_with(Labels::default))
        }
    }

    /// What a fill here paints.
    fn paints(stack: &Stack<Ctx>, line: bool) -> Paints {
        match stack.nearest(|c| matches!(c, Ctx::ShapeProps(_))) {
            Some(Ctx::ShapeProps(Paints::SeriesFill)) if line => Paints::SeriesLine,
            Some(Ctx::ShapeProps(Paints::Area)) if line => Paints::AreaLine,
            Some(Ctx::ShapeProps(p @ (Paints::Gridlines | Paints::AxisLine))) => {
                if line {
                    p
                } else {
                    Paints::Ignored
                }
            }
            Some(Ctx::ShapeProps(p)) if !line || p == Paints::SeriesLine => p,
            _ => Paints::Ignored,
        }
    }

    fn set_color(&mut self, rgb: Rgb, paints: Paints) {
        let index = self.point_index;
        match paints {
            Paints::SeriesFill => {
                if let Some(s) = self.series() {
                    s.fill = Some(rgb);
                }
            }
            Paints::SeriesLine => {
                if let Some(s) = self.series() {
                    s.line = Some(rgb);
                }
            }
            Paints::Point => {
                if let (Some(s), Some(i)) = (self.series(), index) {
                    if s.point_fills.len() < MAX_SERIES_POINTS {
                        s.point_fills.push((i, rgb));
                    }
                }
            }
            Paints::Area => self.chart.area_fill = Some(Some(rgb)),
            Paints::AreaLine => self.chart.area_line = Some(Some(rgb)),
            Paints::PlotArea => self.chart.plot_fill = Some(Some(rgb)),
            Paints::Gridlines => {
                if let Some(a) = self.axis() {
                    a.grid_color = Some(rgb);
                }
            }
            Paints::AxisLine => {
                if let Some(a) = self.axis() {
                    a.line = Some(Some(rgb));
                }
            }
            Paints::AxisText => {
                if let Some(a) = self.axis() {
                    a.text_color = Some(rgb);
                }
            }
            Paints::TitleText => self.chart.title_color = self.chart.title_color.or(Some(rgb)),
            Paints::AxisTitleText => {
                if let Some(a) = self.axis() {
                    a.title_color = a.title_color.or(Some(rgb));
                }
            }
            Paints::LegendText => self.chart.legend_color = self.chart.legend_color.or(Some(rgb)),
            Paints::ChartText => self.chart.text_color = self.chart.text_color.or(Some(rgb)),
            Paints::Ignored => {}
        }
    }

    /// A cached value `text` at the current point of `data`.
    fn value(&mut self, data: Data, text: &str) {
        let Some(index) = self.point else { return };
        if index >= MAX_SERIES_POINTS {
            return;
        }
        if self.points >= MAX_POINTS {
            self.chart.truncated = true;
            return;
        }
        self.points += 1;
        let Some(series) = self.series() else { return };
        fn put<T: Clone>(list: &mut Vec<Option<T>>, index: usize, value: T) {
            if list.len() <= index {
                list.resize(index + 1, None);
            }
            list[index] = Some(value);
        }
        let parsed = text.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        match data {
            Data::Name => series.name.push_str(text),
            Data::Categories => put(&mut series.categories, index, text.to_owned()),
            Data::Values => {
                if let Some(v) = parsed {
                    put(&mut series.values, index, v);
                }
            }
            Data::X => {
                // Text x values are drawn as 1, 2, 3... as Excel does.
                put(&mut series.x, index, parsed.unwrap_or(index as f64 + 1.0));
            }
            Data::Sizes => {
                if let Some(v) = parsed {
                    put(&mut series.sizes, index, v);
                }
            }
        }
    }
}

impl Handler for Reader<'_> {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, stack: &Stack<Ctx>) -> Ctx {
        let local = e.local_name();
        let name = local.as_ref().as_bytes();
        let in_series = stack.within(Ctx::Series);
        match name {
            // Single-point labels, extension lists and external data say nothing we draw.
            b"dLbl" | b"extLst" | b"externalData" | b"userShapes" | b"pivotSource" => return Ctx::Skip,
            b"title" => {
                self.title = Some(String::new());
                return Ctx::Title;
            }
            // The chart's style (`c14:style` writes it plus 100), which decides its
            // automatic formatting.
            b"style" if stack.depth() <= 4 && !stack.within(Ctx::Plot) => {
                if let Some(v) = number(e, b"val").filter(|v| (1.0..=148.0).contains(v)) {
                    self.chart.style = Some(if v > 100.0 { v - 100.0 } else { v } as u8);
                }
            }
            b"autoTitleDeleted" if !stack.within(Ctx::Axis) => {
                // Kept explicitly: a chart of one series is titled with its name.
                self.chart.title_deleted = flag(e);
                self.chart.auto_title |= !self.chart.title_deleted;
            }
            b"legend" => {
                self.chart.legend = Some(LegendPosition::Right);
                return Ctx::Legend;
            }
            b"legendPos" if stack.within(Ctx::Legend) => {
                self.chart.legend = Some(match attr(e, b"val").as_deref() {
                    Some("l") => LegendPosition::Left,
                    Some("t") => LegendPosition::Top,
                    Some("b") => LegendPosition::Bottom,
                    _ => LegendPosition::Right,
                });
            }
            b"barChart" | b"bar3DChart" | b"lineChart" | b"line3DChart" | b"stockChart" | b"pieChart" | b"pie3DChart" | b"ofPieChart" | b"doughnutChart"
            | b"areaChart" | b"area3DChart" | b"scatterChart" | b"bubbleChart" | b"radarChart"
                if !empty && !stack.within(Ctx::Plot) =>
            {
                if self.chart.plots.len() >= MAX_SERIES {
                    return Ctx::Skip;
                }
                let kind = match name {
                    b"barChart" | b"bar3DChart" => Kind::Bar,
                    b"lineChart" | b"line3DChart" | b"stockChart" => Kind::Line,
                    b"pieChart" | b"pie3DChart" | b"ofPieChart" => Kind::Pie,
                    b"doughnutChart" => Kind::Doughnut,
                    b"areaChart" | b"area3DChart" => Kind::Area,
                    b"scatterChart" => Kind::Scatter,
                    b"bubbleChart" => Kind::Bubble,
                    _ => Kind::Radar,
                };
                let grouping = if kind == Kind::Bar { Grouping::Clustered } else { Grouping::Standard };
                let markers = matches!(kind, Kind::Line | Kind::Scatter | Kind::Radar) && name != b"line3DChart";
                self.chart.plots.push(Plot { kind, grouping, gap_width: 150.0, hole: 50.0, markers, lines: true, ..Default::default() });
                return Ctx::Plot;
            }
            // An Office 2016 chart (`cx:chartSpace`): its series name their layout.
            b"series" if attr(e, b"layoutId").is_some() => {
                let layout = attr(e, b"layoutId").unwrap_or_default().chars().filter(char::is_ascii_alphanumeric).take(40).collect::<String>();
                let what = format!("{layout} chart (Office 2016 chartex)");
                if !self.chart.not_drawn.contains(&what) && self.chart.not_drawn.len() < 8 {
                    self.chart.not_drawn.push(what);
                }
                return Ctx::Skip;
            }
            b"surfaceChart" | b"surface3DChart" => {
                self.chart.not_drawn.push("surface chart".into());
                return Ctx::Skip;
            }
            b"barDir" if stack.within(Ctx::Plot) => {
                if let Some(p) = self.plot() {
                    p.horizontal = attr(e, b"val").as_deref() == Some("bar");
                }
            }
            b"grouping" if stack.within(Ctx::Plot) => {
                if let Some(p) = self.plot() {
                    p.grouping = match attr(e, b"val").as_deref() {
                        Some("stacked") => Grouping::Stacked,
                        Some("percentStacked") => Grouping::Percent,
                        Some("clustered") => Grouping::Clustered,
                        _ if p.kind == Kind::Bar => Grouping::Clustered,
                        _ => Grouping::Standard,
                    };
                }
            }
            b"varyColors" if stack.within(Ctx::Plot) && !in_series => {
                if let Some(p) = self.plot() {
                    p.vary_colors = flag(e);
                }
            }
            b"gapWidth" if stack.within(Ctx::Plot) => {
                let v = number(e, b"val");
                if let (Some(p), Some(v)) = (self.plot(), v) {
                    p.gap_width = v.clamp(0.0, 500.0) as f32;
                }
            }
            b"holeSize" => {
                let v = number(e, b"val");
                if let (Some(p), Some(v)) = (self.plot(), v) {
                    p.hole = v.clamp(1.0, 90.0) as f32;
                }
            }
            b"firstSliceAng" => {
                let v = number(e, b"val");
                if let (Some(p), Some(v)) = (self.plot(), v) {
                    p.first_angle = v.clamp(0.0, 360.0) as f32;
                }
            }
            b"scatterStyle" => {
                let style = attr(e, b"val").unwrap_or_default();
                if let Some(p) = self.plot() {
                    p.lines = !matches!(style.as_str(), "marker" | "none");
                    p.markers = matches!(style.as_str(), "lineMarker" | "marker" | "smoothMarker");
                }
            }
            b"radarStyle" => {
                let filled = attr(e, b"val").as_deref() == Some("filled");
                if let Some(p) = self.plot() {
                    p.filled = filled;
                    p.markers = attr(e, b"val").as_deref() == Some("marker");
                }
            }
            b"marker" if stack.top() == Some(Ctx::Plot) => {
                let on = flag(e);
                if let Some(p) = self.plot() {
                    p.markers = on;
                }
            }
            b"axId" if stack.top() == Some(Ctx::Plot) => {
                let id = number(e, b"val").map(|v| v as i64);
                if let (Some(p), Some(id)) = (self.plot(), id) {
                    if p.axis_ids.len() < 4 {
                        p.axis_ids.push(id);
                    }
                }
            }
            b"ser" if !empty && stack.within(Ctx::Plot) => {
                let Some(p) = self.plot() else { return Ctx::Skip };
                if p.series.len() >= MAX_SERIES {
                    return Ctx::Skip;
                }
                let index = p.series.len();
                p.series.push(Series { index, ..Default::default() });
                return Ctx::Series;
            }
            b"idx" if stack.top() == Some(Ctx::Series) => {
                let v = number(e, b"val").map(|v| v as usize);
                if let (Some(s), Some(v)) = (self.series(), v) {
                    s.index = v.min(10_000);
                }
            }
            b"idx" if stack.top() == Some(Ctx::DataPoint) => self.point_index = number(e, b"val").map(|v| v as usize),
            b"tx" if stack.top() == Some(Ctx::Series) => return Ctx::Data(Data::Name),
            b"cat" if in_series => return Ctx::Data(Data::Categories),
            b"val" if in_series => return Ctx::Data(Data::Values),
            b"xVal" if in_series => return Ctx::Data(Data::X),
            b"yVal" if in_series => return Ctx::Data(Data::Values),
            b"bubbleSize" if in_series => return Ctx::Data(Data::Sizes),
            b"lvl" if stack.within(Ctx::Data(Data::Categories)) => {
                // The first level of a multi-level cache holds the innermost labels.
                if stack.within(Ctx::OtherLevel) || self.series().is_some_and(|s| !s.categories.is_empty()) {
                    return Ctx::OtherLevel;
                }
            }
            b"pt" if stack.nearest(|c| matches!(c, Ctx::Data(_))).is_some() && !stack.within(Ctx::OtherLevel) => {
                self.point = number(e, b"idx").map(|v| v as usize);
                return Ctx::Point;
            }
            b"v" if stack.top() == Some(Ctx::Point) || stack.top() == Some(Ctx::Data(Data::Name)) => {
                if stack.top() == Some(Ctx::Data(Data::Name)) {
                    self.point = Some(0);
                }
                return Ctx::Value;
            }
            b"formatCode" if stack.within(Ctx::Data(Data::Values)) || stack.within(Ctx::Data(Data::Categories)) => return Ctx::FormatCode,
            b"f" if in_series && stack.nearest(|c| matches!(c, Ctx::Data(_))).is_some() => return Ctx::Formula,
            b"smooth" if in_series => {
                let on = flag(e);
                if let Some(s) = self.series() {
                    s.smooth = on;
                }
            }
            b"explosion" if in_series => {
                let v = number(e, b"val").unwrap_or(0.0).clamp(0.0, 400.0) as f32;
                let point = stack.within(Ctx::DataPoint).then_some(self.point_index).flatten();
                if let Some(s) = self.series() {
                    match point {
                        Some(i) if s.point_explosions.len() < MAX_SERIES_POINTS => s.point_explosions.push((i, v)),
                        Some(_) => {}
                        None => s.explosion = v,
                    }
                }
            }
            b"marker" if in_series => return Ctx::Marker,
            b"symbol" if stack.top() == Some(Ctx::Marker) => {
                let val = attr(e, b"val").unwrap_or_default();
                if let Some(s) = self.series() {
                    s.marker = Some(val != "none");
                    s.symbol = Symbol::from_name(&val);
                }
            }
            b"size" if stack.top() == Some(Ctx::Marker) => {
                let v = number(e, b"val").map(|v| v.clamp(2.0, 72.0) as f32);
                if let Some(s) = self.series() {
                    s.marker_size = v;
                }
            }
            b"dPt" if in_series => {
                self.point_index = None;
                return Ctx::DataPoint;
            }
            b"dLbls" => return Ctx::Labels,
            b"showVal" | b"showPercent" | b"showCatName" if stack.top() == Some(Ctx::Labels) => {
                let on = flag(e);
                if let Some(labels) = self.labels(stack) {
                    match name {
                        b"showVal" => labels.value = on,
                        b"showPercent" => labels.percent = on,
                        _ => labels.category = on,
                    }
                }
            }
            b"delete" if stack.top() == Some(Ctx::Labels) => {
                if flag(e) {
                    if let Some(labels) = self.labels(stack) {
                        *labels = Labels::default();
                    }
                }
            }
            b"catAx" | b"valAx" | b"dateAx" | b"serAx" if !empty => {
                if self.chart.axes.len() >= 16 {
                    return Ctx::Skip;
                }
                // Without `c:majorTickMark`, an axis has crossing tick marks.
                self.chart.axes.push(Axis { values: name == b"valAx", position: "b".into(), ticks: true, ..Default::default() });
                return Ctx::Axis;
            }
            _ if stack.top() == Some(Ctx::Axis) && !matches!(name, b"spPr" | b"txPr") => {
                let val = attr(e, b"val");
                let Some(axis) = self.axis() else { return Ctx::Other };
                match name {
                    b"axId" => axis.id = val.and_then(|v| v.parse().ok()).unwrap_or(0),
                    b"delete" => axis.deleted = flag(e),
                    b"axPos" => axis.position = val.unwrap_or_default(),
                    b"numFmt" => {
                        if attr(e, b"sourceLinked").is_none_or(|v| v == "0" || v == "false") {
                            axis.format = attr(e, b"formatCode");
                        }
                    }
                    b"majorGridlines" => axis.gridlines = true,
                    b"minorGridlines" => axis.minor_gridlines = true,
                    b"majorUnit" => axis.major_unit = number(e, b"val").filter(|u| u.is_finite() && *u > 0.0),
                    b"majorTickMark" => axis.ticks = val.as_deref() != Some("none"),
                    b"tickLblPos" => {
                        axis.no_labels = val.as_deref() == Some("none");
                        axis.labels_low = val.as_deref() == Some("low");
                    }
                    b"crossBetween" => axis.mid_category = val.as_deref() == Some("midCat"),
                    _ => {}
                }
                if name == b"majorGridlines" && !empty {
                    return Ctx::Gridlines;
                }
            }
            b"min" | b"max" | b"orientation" if stack.within(Ctx::Axis) => {
                let v = number(e, b"val");
                let reversed = attr(e, b"val").as_deref() == Some("maxMin");
                if let Some(axis) = self.axis() {
                    match name {
                        b"min" => axis.min = v,
                        b"max" => axis.max = v,
                        _ => axis.reversed = reversed,
                    }
                }
            }
            b"spPr" => {
                let paints = if stack.top() == Some(Ctx::Gridlines) {
                    Paints::Gridlines
                } else if stack.top() == Some(Ctx::Axis) {
                    Paints::AxisLine
                } else if in_series {
                    if stack.within(Ctx::DataPoint) {
                        Paints::Point
                    } else if stack.within(Ctx::Marker) || stack.within(Ctx::Labels) {
                        Paints::Ignored
                    } else {
                        Paints::SeriesFill
                    }
                } else if stack.top() == Some(Ctx::Other) && stack.within(Ctx::Plot) {
                    Paints::Ignored
                } else if stack.depth() == 1 {
                    Paints::Area
                } else if !stack.within(Ctx::Plot) && !stack.within(Ctx::Axis) && !stack.within(Ctx::Legend) && !stack.within(Ctx::Title) && stack.depth() == 3
                {
                    Paints::PlotArea
                } else {
                    Paints::Ignored
                };
                return Ctx::ShapeProps(paints);
            }
            b"ln" if stack.top().is_some_and(|c| matches!(c, Ctx::ShapeProps(_))) => {
                let width = number(e, b"w").map(|w| (w / 12_700.0).clamp(0.1, 20.0) as f32);
                if Self::paints(stack, false) == Paints::SeriesFill {
                    if let Some(s) = self.series() {
                        s.line_width = width.or(s.line_width);
                    }
                } else if stack.top() == Some(Ctx::ShapeProps(Paints::Gridlines)) {
                    if let Some(a) = self.axis() {
                        a.grid_width = width;
                    }
                }
                return Ctx::Line;
            }
            b"noFill" => {
                let line = stack.top() == Some(Ctx::Line);
                match (Self::paints(stack, line), line) {
                    (Paints::SeriesFill, false) => {
                        if let Some(s) = self.series() {
                            s.no_fill = true;
                        }
                    }
                    (Paints::SeriesLine, true) => {
                        if let Some(s) = self.series() {
                            s.no_line = true;
                        }
                    }
                    (Paints::Area, false) => self.chart.area_fill = Some(None),
                    (Paints::AreaLine, true) => self.chart.area_line = Some(None),
                    (Paints::PlotArea, false) => self.chart.plot_fill = Some(None),
                    (Paints::Gridlines, true) => {
                        if let Some(a) = self.axis() {
                            a.gridlines = false;
                        }
                    }
                    (Paints::AxisLine, true) => {
                        if let Some(a) = self.axis() {
                            a.line = Some(None);
                        }
                    }
                    _ => {}
                }
            }
            b"solidFill" if !empty => return Ctx::Fill,
            b"gradFill" if !empty => return Ctx::Gradient,
            b"srgbClr" | b"schemeClr" | b"sysClr" | b"prstClr" if stack.within(Ctx::Fill) || stack.within(Ctx::Gradient) => {
                let line = stack.within(Ctx::Line);
                let paints = Self::paints(stack, line);
                // A gradient paints with its first stop.
                let taken = stack.within(Ctx::Gradient)
                    && match paints {
                        Paints::SeriesFill => self.series().is_some_and(|s| s.fill.is_some()),
                        _ => true,
                    };
                self.color = if taken { None } else { color::base_color(e, self.theme).map(|rgb| (rgb, paints)) };
                return Ctx::Color;
            }
            _ if stack.top() == Some(Ctx::Color) => {
                if let Some((rgb, _)) = self.color.as_mut() {
                    *rgb = color::modify(*rgb, e);
                }
            }
            b"txPr" => return Ctx::TextProps,
            b"defRPr" | b"rPr" => {
                let sz = size(e);
                let paints = if stack.within(Ctx::Title) && !stack.within(Ctx::Axis) {
                    self.chart.title_size = self.chart.title_size.or(sz);
                    if let Some(b) = attr(e, b"b") {
                        self.chart.title_bold = self.chart.title_bold.or(Some(b == "1" || b == "true"));
                    }
                    Paints::TitleText
                } else if stack.within(Ctx::Title) {
                    // An axis title's own text.
                    if let Some(axis) = self.axis().filter(|_| sz.is_some()) {
                        axis.title_size = axis.title_size.or(sz);
                    }
                    Paints::AxisTitleText
                } else if stack.within(Ctx::Axis) {
                    if let Some(axis) = self.axis().filter(|_| sz.is_some()) {
                        axis.label_size = axis.label_size.or(sz);
                    }
                    Paints::AxisText
                } else if stack.within(Ctx::Legend) {
                    self.chart.legend_size = self.chart.legend_size.or(sz);
                    Paints::LegendText
                } else if stack.within(Ctx::TextProps) && stack.depth() <= 5 && !stack.within(Ctx::Plot) {
                    self.chart.text_size = self.chart.text_size.or(sz);
                    Paints::ChartText
                } else {
                    Paints::Ignored
                };
                if !empty {
                    return Ctx::ShapeProps(paints);
                }
            }
            b"t" if stack.within(Ctx::Title) => return Ctx::Text,
            b"v" if stack.within(Ctx::Title) => return Ctx::Text,
            b"p" if stack.within(Ctx::Title) => {
                if let Some(t) = self.title.as_mut().filter(|t| !t.is_empty()) {
                    t.push('\n');
                }
            }
            _ => {}
        }
        Ctx::Other
    }

    fn end(&mut self, ctx: Ctx, stack: &Stack<Ctx>) {
        match ctx {
            Ctx::Color => {
                if let Some((rgb, paints)) = self.color.take() {
                    self.set_color(rgb, paints);
                }
            }
            Ctx::Point => self.point = None,
            Ctx::Title => {
                let text = self.title.take().map(|t| t.trim().to_owned()).unwrap_or_default();
                if stack.within(Ctx::Axis) {
                    if let Some(axis) = self.axis() {
                        axis.title = Some(text).filter(|t| !t.is_empty());
                    }
                } else if text.is_empty() {
                    self.chart.auto_title = true;
                    self.chart.empty_title = true;
                } else {
                    self.chart.title = Some(text);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
        match stack.top() {
            Some(Ctx::Text) => {
                if let Some(t) = self.title.as_mut() {
                    if t.len() < 1_000 {
                        t.push_str(text);
                    }
                }
            }
            Some(Ctx::Value) => {
                if let Some(Ctx::Data(data)) = stack.nearest(|c| matches!(c, Ctx::Data(_))) {
                    if data == Data::Name && self.series().is_some_and(|s| s.name.len() > 1_000) {
                        return;
                    }
                    self.value(data, text);
                }
            }
            Some(Ctx::Formula) => {
                let Some(Ctx::Data(data)) = stack.nearest(|c| matches!(c, Ctx::Data(_))) else { return };
                let Some(series) = self.series() else { return };
                let refs = &mut series.refs;
                let slot = match data {
                    Data::Name => &mut refs.name,
                    Data::Categories => &mut refs.categories,
                    Data::Values => &mut refs.values,
                    Data::X => &mut refs.x,
                    Data::Sizes => &mut refs.sizes,
                };
                let formula = slot.get_or_insert_with(String::new);
                if formula.len() + text.len() <= 1_000 {
                    formula.push_str(text);
                }
            }
            Some(Ctx::FormatCode) => {
                let code = text.trim().to_owned();
                let categories = stack.within(Ctx::Data(Data::Categories));
                if let Some(s) = self.series() {
                    let format = if categories { &mut s.category_format } else { &mut s.format };
                    if format.is_none() && code.len() < 200 {
                        *format = Some(code);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = r#"<c:chartSpace xmlns:c="c" xmlns:a="a"><c:chart>
      <c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:rPr sz="1600"/><a:t>Infections &amp; beds</a:t></a:r></a:p></c:rich></c:tx></c:title>
      <c:autoTitleDeleted val="0"/>
      <c:plotArea><c:layout/>
        <c:barChart><c:barDir val="col"/><c:grouping val="stacked"/><c:varyColors val="0"/>
          <c:ser><c:idx val="0"/><c:order val="0"/>
            <c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>Ward A</c:v></c:pt></c:strCache></c:strRef></c:tx>
            <c:spPr><a:solidFill><a:schemeClr val="accent2"><a:lumMod val="50000"/></a:schemeClr></a:solidFill><a:ln w="12700"><a:noFill/></a:ln></c:spPr>
            <c:dPt><c:idx val="1"/><c:spPr><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></c:spPr></c:dPt>
            <c:dLbls><c:showVal val="1"/><c:showPercent val="0"/></c:dLbls>
            <c:cat><c:multiLvlStrRef><c:multiLvlStrCache><c:ptCount val="3"/>
              <c:lvl><c:pt idx="0"><c:v>Jan</c:v></c:pt><c:pt idx="1"><c:v>Feb</c:v></c:pt><c:pt idx="2"><c:v>Mar</c:v></c:pt></c:lvl>
              <c:lvl><c:pt idx="0"><c:v>Q1</c:v></c:pt></c:lvl></c:multiLvlStrCache></c:multiLvlStrRef></c:cat>
            <c:val><c:numRef><c:f>Sheet1!$B$2:$B$4</c:f><c:numCache><c:formatCode>0.0%</c:formatCode><c:ptCount val="3"/><c:pt idx="0"><c:v>0.5</c:v></c:pt><c:pt idx="2"><c:v>1e400</c:v></c:pt></c:numCache></c:numRef></c:val>
          </c:ser>
          <c:gapWidth val="80"/><c:axId val="11"/><c:axId val="22"/></c:barChart>
        <c:surfaceChart><c:ser/></c:surfaceChart>
        <c:catAx><c:axId val="11"/><c:delete val="0"/><c:axPos val="b"/></c:catAx>
        <c:valAx><c:axId val="22"/><c:scaling><c:orientation val="minMax"/><c:max val="2"/></c:scaling><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="0%" sourceLinked="0"/></c:valAx>
      </c:plotArea>
      <c:legend><c:legendPos val="b"/></c:legend></c:chart></c:chartSpace>"#;

    #[test]
    fn a_chart_part_reads_into_plots_series_and_axes() {
        let chart = parse(CHART.as_bytes(), &Theme::new());
        assert_eq!(chart.title.as_deref(), Some("Infections & beds"));
        assert_eq!(chart.title_size, Some(16.0));
        assert_eq!(chart.legend, Some(LegendPosition::Bottom));
        assert_eq!(chart.not_drawn, ["surface chart"]);
        assert_eq!(chart.plots.len(), 1);
        let plot = &chart.plots[0];
        assert_eq!((plot.kind, plot.horizontal, plot.grouping, plot.gap_width), (Kind::Bar, false, Grouping::Stacked, 80.0));
        assert_eq!(plot.axis_ids, [11, 22]);
        let s = &plot.series[0];
        assert_eq!(s.name, "Ward A");
        assert_eq!(s.categories, [Some("Jan".into()), Some("Feb".into()), Some("Mar".into())]);
        // Missing and non-finite points stay gaps.
        assert_eq!(s.values, [Some(0.5)]);
        assert_eq!(s.format.as_deref(), Some("0.0%"));
        // accent2 (ED7D31) at half its lightness.
        assert!(s.fill.unwrap().iter().zip([0x84, 0x3C, 0x0C]).all(|(a, b)| a.abs_diff(b) <= 2), "{:?}", s.fill);
        assert!(s.no_line && !s.no_fill);
        assert_eq!(s.point_fills, [(1, [255, 0, 0])]);
        assert_eq!(s.labels, Some(Labels { value: true, percent: false, category: false }));
        let value_axis = chart.axes.iter().find(|a| a.values).unwrap();
        assert_eq!((value_axis.id, value_axis.max, value_axis.gridlines, value_axis.format.as_deref()), (22, Some(2.0), true, Some("0%")));
    }

    #[test]
    fn axes_keep_signed_ids_line_and_text_colours() {
        let xml = r#"<c:chartSpace xmlns:c="c" xmlns:a="a"><c:chart>
          <c:title><c:tx><c:rich><a:p><a:pPr><a:defRPr b="0"/></a:pPr><a:r><a:t>T</a:t></a:r></a:p></c:rich></c:tx></c:title>
          <c:plotArea><c:scatterChart><c:scatterStyle val="lineMarker"/>
            <c:ser><c:idx val="0"/><c:marker><c:symbol val="triangle"/><c:size val="9"/></c:marker><c:yVal><c:numLit><c:pt idx="0"><c:v>1</c:v></c:pt></c:numLit></c:yVal></c:ser>
            <c:axId val="-2115720072"/><c:axId val="-2115723560"/></c:scatterChart>
          <c:valAx><c:axId val="-2115720072"/><c:axPos val="b"/><c:majorTickMark val="none"/>
            <c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:valAx>
          <c:valAx><c:axId val="-2115723560"/><c:axPos val="l"/>
            <c:majorGridlines><c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>
            <c:spPr><a:ln><a:solidFill><a:srgbClr val="112233"/></a:solidFill></a:ln></c:spPr>
            <c:txPr><a:bodyPr/><a:p><a:pPr><a:defRPr sz="900"><a:solidFill><a:srgbClr val="595959"/></a:solidFill></a:defRPr></a:pPr></a:p></c:txPr></c:valAx>
          </c:plotArea></c:chart>
          <c:txPr><a:p><a:pPr><a:defRPr><a:solidFill><a:srgbClr val="0000FF"/></a:solidFill></a:defRPr></a:pPr></a:p></c:txPr></c:chartSpace>"#;
        let chart = parse(xml.as_bytes(), &Theme::new());
        assert_eq!(chart.plots[0].axis_ids, [-2115720072, -2115723560]);
        let x = chart.axes.iter().find(|a| a.id == -2115720072).unwrap();
        assert_eq!((x.line, x.ticks, x.grid_color), (Some(None), false, None));
        let y = chart.axes.iter().find(|a| a.id == -2115723560).unwrap();
        assert_eq!((y.gridlines, y.grid_color, y.line, y.ticks), (true, Some([0xD9; 3]), Some(Some([0x11, 0x22, 0x33])), true));
        assert_eq!(y.grid_width, Some(0.75));
        assert_eq!((y.text_color, y.label_size), (Some([0x59; 3]), Some(9.0)));
        assert_eq!((chart.text_color, chart.title_bold), (Some([0, 0, 0xFF]), Some(false)));
        let s = &chart.plots[0].series[0];
        assert_eq!((s.symbol, s.marker_size, s.marker), (Some(Symbol::Triangle), Some(9.0), Some(true)));
    }

    #[test]
    fn hostile_charts_stay_bounded() {
        let mut xml = String::from("<c:chartSpace><c:chart><c:plotArea><c:lineChart><c:ser><c:val><c:numCache>");
        for i in 0..150_000 {
            xml.push_str(&format!("<c:pt idx=\"{}\"><c:v>{i}</c:v></c:pt>", i * 7));
        }
        xml.push_str(
            r#"<c:pt idx="18446744073709551615"><c:v>1</c:v></c:pt></c:numCache></c:val></c:ser></c:lineChart></c:plotArea></c:chart></c:chartSpace>"#,
        );
        let chart = parse(xml.as_bytes(), &Theme::new());
        assert!(chart.plots[0].series[0].values.len() <= MAX_SERIES_POINTS);
        assert!(parse(b"<c:chartSpace><c:chart><c:title>", &Theme::new()).plots.is_empty());
    }
}
