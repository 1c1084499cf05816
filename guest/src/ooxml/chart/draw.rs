//! Drawing a [`Chart`] as a figure: the chart area, title and legend, then pie and
//! doughnut plots, a radar plot, or the axes, gridlines and bar, area, line, scatter and
//! bubble plots of a Cartesian chart (with a secondary value axis when a plot has one).

use std::f32::consts::{FRAC_1_SQRT_2, PI, SQRT_2, TAU};

use super::style::Style;
use super::{Axis, Chart, Grouping, Kind, Labels, LegendPosition, Plot, Series, Symbol};
use crate::formats::sheet::number_format::format_number;
use crate::layout::paint::{Align, Block, Box2, Canvas, ImageRef, Painter, Rgb, ShapeKind, SpanStyle, Surface, Text};
use crate::ooxml::color::{self, Theme};

/// The text, gridline and axis colours of a chart that does not give its own. Office
/// writes its own into every chart it makes; these are what LibreOffice (and Office's
/// 2007 chart style) draw for a chart written without them, as libraries write them.
const TEXT: Rgb = [0, 0, 0];
const GRID: Rgb = [0x86, 0x86, 0x86];
const AXIS: Rgb = [0x86, 0x86, 0x86];

/// Gridlines' width when the chart gives none, in points (LibreOffice's hairline).
const GRID_WIDTH: f32 = 0.75;
/// A marker's size when the series gives none, in points.
const MARKER: f32 = 7.0;
/// The width of a chart area's automatic border, in points (the theme's subtle line).
const AREA_BORDER: f32 = 0.75;
/// The share of a chart's width and height kept clear at its edges and below its title.
const LAYOUT_MARGIN: f32 = 0.02;
/// How much further down the title sits, in points (1.35 mm).
const TITLE_DROP: f32 = 3.83;
/// How much lower LibreOffice sets a chart title's text in its box, in ems.
const TITLE_BASELINE: f32 = 0.18;
/// How far beyond a radar's spokes its category labels sit, in ems.
const RADAR_LABEL_GAP: f32 = 0.6;
/// Minor gridlines divide a step into this many parts.
const MINOR_STEPS: usize = 5;
/// Tick marks' length outside the axis, in points.
const TICK: f32 = 4.0;
const FONT: &str = "Calibri";
/// Most categories labelled, gridlines drawn and points drawn per series.
const MAX_TICKS: usize = 60;

/// Draws `chart` into `figure` (see [`Canvas::add_figure`]).
pub fn draw(chart: &Chart, theme: &Theme, painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef) {
    let (Some(on), Some((width, height))) = (figure.surface(), canvas.figure_size(figure)) else { return };
    let base = chart.text_size.unwrap_or(10.0).clamp(4.0, 48.0);
    let last_series = chart.plots.iter().flat_map(|p| &p.series).map(|s| s.index).max().unwrap_or(0);
    let style = Style::new(chart.style);
    let mut draw = Draw { painter, canvas, on, theme, chart, base, style, last_series };
    draw.chart(width, height);
}

struct Draw<'a> {
    painter: &'a mut Painter,
    canvas: &'a mut Canvas,
    on: Surface,
    theme: &'a Theme,
    chart: &'a Chart,
    base: f32,
    /// The chart's automatic style, for series that give no colours or widths.
    style: Style,
    /// The highest series index, which the style's colour cycles count to.
    last_series: usize,
}

/// A legend entry: name, colour, whether it is drawn as a line, and its marker.
type Entry = (String, Rgb, bool, Option<Symbol>);
/// A legend entry with its name laid out.
type LaidEntry = (Text, Rgb, bool, Option<Symbol>);

/// A value axis' scale: lowest and highest value shown, the step between ticks, and the
/// labels' number format.
#[derive(Clone)]
struct Scale {
    lo: f64,
    hi: f64,
    step: f64,
    format: String,
    reversed: bool,
}

impl Scale {
    /// The fraction of the axis' length at which `v` sits.
    fn at(&self, v: f64) -> f32 {
        let f = ((v - self.lo) / (self.hi - self.lo)) as f32;
        if self.reversed {
            1.0 - f
        } else {
            f
        }
    }

    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=MAX_TICKS).map(|i| self.lo + self.step * i as f64).take_while(|v| *v <= self.hi + self.step * 1e-6)
    }
}

/// How LibreOffice's automatic scaling treats an axis (chart2's `ScaleAutomatism`, with
/// the options its plotters set): a value (y) axis takes values far from zero down to
/// zero and moves narrow ones toward it, an x value axis does neither; both add a step
/// where a value lies within a twenty-first of an end, except a radar's and a 100 % one.
#[derive(Clone, Copy)]
struct Expand {
    to_zero: bool,
    close_to_border: bool,
}

impl Expand {
    const VALUES: Expand = Expand { to_zero: true, close_to_border: true };
    const X: Expand = Expand { to_zero: false, close_to_border: true };
}

/// LibreOffice's ceiling on automatic steps, and its floor.
const MOST_STEPS: usize = 10;
const FEWEST_STEPS: usize = 2;

/// A scale over `min..max` (lowest and highest value, step) of at most `most` steps of 1,
/// 2 or 5 times a power of ten (or `unit`, when the axis sets its step), as LibreOffice
/// works it out; `fixed` are the axis' own bounds.
fn nice_scale(min: f64, max: f64, most: usize, fixed: (Option<f64>, Option<f64>), unit: Option<f64>, expand: Expand) -> (f64, f64, f64) {
    let fixed = (fixed.0.filter(|v| v.is_finite()), fixed.1.filter(|v| v.is_finite()));
    let (mut min, mut max) = if min.is_finite() && max.is_finite() && min <= max { (min, max) } else { (0.0, 1.0) };
    if let Some(lo) = fixed.0 {
        min = lo;
    }
    if let Some(hi) = fixed.1 {
        max = hi;
    }
    let (mut auto_min, mut auto_max) = (fixed.0.is_none(), fixed.1.is_none());
    if min > max {
        if auto_max || !auto_min {
            max = min;
        } else {
            min = max;
        }
    }
    // An all-negative range is worked out as its mirror image.
    let mirrored = min < 0.0 && max <= 0.0;
    if mirrored {
        (min, max) = (-max, -min);
        std::mem::swap(&mut auto_min, &mut auto_max);
    }
    let (source_min, source_max) = (min, max);
    let (mut lo, mut hi) = (min, max);
    if auto_min && lo > 0.0 && expand.to_zero {
        if lo == hi || lo / hi < 5.0 / 6.0 {
            lo = 0.0;
        } else {
            lo -= (hi - lo) / 2.0;
        }
    }
    if lo == hi {
        if auto_max || !auto_min {
            hi = if hi == 0.0 { 1.0 } else { hi * 2.0 };
        } else {
            lo = if lo == 0.0 { -1.0 } else { lo / 2.0 };
        }
    }
    let base = if !auto_min {
        lo
    } else if !auto_max {
        hi
    } else {
        0.0
    };
    let unit = unit.filter(|u| u.is_finite() && *u > 0.0 && (hi - lo) / u <= 500.0);
    let most = if unit.is_some() { 500 } else { most.clamp(FEWEST_STEPS, MOST_STEPS) };
    let mut step = unit;
    let (mut magnitude, mut normal) = (0.0, 0.0);
    let (mut axis_lo, mut axis_hi) = (lo, hi);
    for _ in 0..400 {
        let distance = match step {
            Some(d) => d,
            None => {
                if magnitude == 0.0 {
                    let raw = (hi - lo) / most as f64;
                    magnitude = 10f64.powf(raw.log10().floor());
                    normal = match raw / magnitude {
                        n if n <= 1.0 => 1.0,
                        n if n <= 2.0 => 2.0,
                        n if n <= 5.0 => 5.0,
                        _ => {
                            magnitude *= 10.0;
                            1.0
                        }
                    };
                } else if normal == 1.0 {
                    normal = 2.0;
                } else if normal == 2.0 {
                    normal = 5.0;
                } else {
                    normal = 1.0;
                    magnitude *= 10.0;
                }
                normal * magnitude
            }
        };
        if !(distance.is_finite() && distance > 0.0) {
            break;
        }
        (axis_lo, axis_hi) = (lo, hi);
        if auto_min {
            axis_lo = base + ((lo - base) / distance + 1e-9).floor() * distance;
            if expand.close_to_border && axis_lo != 0.0 && (axis_hi - source_min) / (axis_hi - axis_lo) > 20.0 / 21.0 {
                axis_lo -= distance;
            }
        }
        if auto_max {
            axis_hi = base + ((hi - base) / distance - 1e-9).ceil() * distance;
            if expand.close_to_border && axis_hi != 0.0 && (source_max - axis_lo) / (axis_hi - axis_lo) > 20.0 / 21.0 {
                axis_hi += distance;
            }
        }
        if ((axis_hi - axis_lo) / distance + 1e-9).floor() <= most as f64 {
            step = Some(distance);
            break;
        }
        // Too many steps (the room added took one more): the next larger step.
        step = None;
    }
    let step = step.filter(|s| s.is_finite() && *s > 0.0).unwrap_or((axis_hi - axis_lo).abs().max(1e-300));
    let (lo, hi) = if mirrored { (-axis_hi, -axis_lo) } else { (axis_lo, axis_hi) };
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return (0.0, 1.0, 1.0);
    }
    let step = if (hi - lo) / step > MAX_TICKS as f64 { (hi - lo) / MAX_TICKS as f64 } else { step };
    (lo, hi, step)
}

/// Spoke `i` of `n`'s direction, the first straight up, clockwise.
fn spoke(i: usize, n: usize) -> (f32, f32) {
    let a = -PI / 2.0 + TAU * i as f32 / n.max(1) as f32;
    (a.cos(), a.sin())
}

/// Where spoke `i`'s category label lies for a radar of `radius` centred at `centre`: `gap`
/// beyond the spoke's end, its box pushed outward along the spoke (a label at the top sits
/// above it, one at the right starts at it).
fn radar_label_box(i: usize, n: usize, text: &Text, radius: f32, gap: f32, (cx, cy): (f32, f32)) -> Box2 {
    let (ux, uy) = spoke(i, n);
    let (w, h) = (text.width, text.height());
    let (mx, my) = (cx + (radius + gap) * ux + w / 2.0 * ux, cy + (radius + gap) * uy + h / 2.0 * uy);
    [mx - w / 2.0, my - h / 2.0, mx + w / 2.0, my + h / 2.0]
}

/// The largest radius, and the centre, at which a radar's polygon and its category labels
/// fit `area`, their bounds centred in it, as LibreOffice sizes a radar to leave its
/// labels room (the polygon's own bounds, not its circle's, are centred).
fn radar_fit(names: &[Text], gap: f32, area: Box2) -> (f32, (f32, f32)) {
    let n = names.len();
    let bounds = |radius: f32| {
        let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for (i, text) in names.iter().enumerate() {
            let (ux, uy) = spoke(i, n);
            let [x0, y0, x1, y1] = radar_label_box(i, n, text, radius, gap, (0.0, 0.0));
            b = [b[0].min(x0).min(radius * ux), b[1].min(y0).min(radius * uy), b[2].max(x1).max(radius * ux), b[3].max(y1).max(radius * uy)];
        }
        b
    };
    let (width, height) = (area[2] - area[0], area[3] - area[1]);
    let fits = |radius: f32| {
        let b = bounds(radius);
        b[2] - b[0] <= width && b[3] - b[1] <= height
    };
    // The bounds grow with the radius: halve the interval down to a tenth of a point.
    let (mut lo, mut hi) = (2.0f32, (width.min(height) / 2.0).max(2.0));
    if fits(hi) {
        lo = hi;
    }
    while hi - lo > 0.1 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let b = bounds(lo);
    let centre = ((area[0] + area[2]) / 2.0 - (b[0] + b[2]) / 2.0, (area[1] + area[3]) / 2.0 - (b[1] + b[3]) / 2.0);
    (lo, centre)
}

/// The colour of an axis' line: its own, the default for an axis (or a chart) that gives
/// none, or `None` for a deleted axis or one without a line.
fn axis_line(axis: Option<&Axis>) -> Option<Rgb> {
    axis.map_or(Some(AXIS), |a| if a.deleted { None } else { a.line.unwrap_or(Some(AXIS)) })
}

impl Draw<'_> {
    /// Lays out chart text in `color`, or the chart's text colour.
    fn text(&mut self, text: &str, size: f32, width: Option<f32>, align: Align, color: Option<Rgb>) -> Text {
        self.styled(text, size, width, align, color, false)
    }

    fn styled(&mut self, text: &str, size: f32, width: Option<f32>, align: Align, color: Option<Rgb>, bold: bool) -> Text {
        let color = color.or(self.chart.text_color).unwrap_or(TEXT);
        let style = SpanStyle { family: FONT.into(), size, color, bold, ..Default::default() };
        let block = Block { spans: vec![(text.to_owned(), style)], align, line_height: 1.0, ..Default::default() };
        self.painter.text(self.canvas, &block, width)
    }

    fn put(&mut self, text: &Text, x: f32, y: f32) {
        self.canvas.text(self.on, text, x, y);
    }

    fn label_size(&self, axis: Option<&Axis>) -> f32 {
        axis.and_then(|a| a.label_size).unwrap_or(self.base).clamp(3.0, 48.0)
    }

    fn series_color(&self, plot: &Plot, series: &Series) -> Rgb {
        let own = match plot.kind {
            Kind::Line | Kind::Scatter | Kind::Radar if !plot.filled => series.line.or(series.fill),
            _ => series.fill.or(if plot.kind == Kind::Area { None } else { series.line }),
        };
        own.unwrap_or_else(|| self.auto_color(series.index, self.last_series))
    }

    /// The fill of point `i` of a series.
    fn point_color(&self, plot: &Plot, series: &Series, i: usize) -> Rgb {
        if let Some((_, c)) = series.point_fills.iter().rev().find(|(p, _)| *p == i) {
            return *c;
        }
        if plot.vary_colors && (plot.series.len() == 1 || matches!(plot.kind, Kind::Pie | Kind::Doughnut)) {
            let last = plot.series.iter().map(|s| s.values.len()).max().unwrap_or(1).saturating_sub(1);
            return self.auto_color(i, last);
        }
        self.series_color(plot, series)
    }

    /// The chart style's colour for series (or point) `index` of `0..=last`.
    fn auto_color(&self, index: usize, last: usize) -> Rgb {
        self.style.series_color(self.theme, index, last)
    }

    /// A bar's or area's outline: its own, or the chart style's, or none.
    fn filled_outline(&self, series: &Series) -> Option<(Rgb, f32)> {
        if series.no_line {
            return None;
        }
        match series.line {
            Some(c) => Some((c, series.line_width.unwrap_or(0.75))),
            None => self.style.filled_outline(self.theme, series.index),
        }
    }

    fn chart(&mut self, width: f32, height: f32) {
        let chart = self.chart;
        match chart.area_fill {
            None => self.canvas.shape(self.on, ShapeKind::Rect, [0.0, 0.0, width, height], Some([255, 255, 255]), None),
            Some(Some(c)) => self.canvas.shape(self.on, ShapeKind::Rect, [0.0, 0.0, width, height], Some(c), None),
            Some(None) => {}
        }
        // A chart area without a border of its own has Office's automatic one when the
        // chart names a style from 1 to 40: the text colour at a 75 % tint, as
        // LibreOffice's import draws it; styles 41 to 48, a chart naming no style (as
        // libraries write them) and a chart on a slide ([`super::show`]) have none.
        let border = match chart.area_line {
            Some(line) => line,
            None if chart.style.is_some_and(|s| s <= 40) => {
                let text = color::scheme(self.theme, "tx1").unwrap_or(TEXT);
                Some(color::tint(text, 0.75))
            }
            None => None,
        };
        if let Some(c) = border {
            let h = AREA_BORDER / 2.0;
            self.canvas.shape(self.on, ShapeKind::Rect, [h, h, width - h, height - h], None, Some((c, AREA_BORDER)));
        }
        // LibreOffice keeps 2 % of the chart's width and height clear round the plot, and
        // sets the title 1.35 mm further down.
        let pad = (width.min(height) * 0.04).clamp(3.0, 12.0);
        let (dx, dy) = (width * LAYOUT_MARGIN, height * LAYOUT_MARGIN);
        let mut area = [dx, dy, width - dx, height - dy];
        let only_series = chart.plots.iter().flat_map(|p| &p.series).map(|s| s.name.clone()).collect::<Vec<_>>();
        let title = chart
            .title
            .clone()
            .or_else(|| (chart.auto_title && only_series.len() == 1).then(|| only_series[0].clone()).filter(|t| !t.is_empty()))
            .or_else(|| (chart.empty_title && only_series.len() != 1).then(|| "Chart Title".to_owned()));
        if let Some(title) = title.filter(|_| !chart.title_deleted) {
            // 18 pt, or a fifth larger than the chart's own text size (LibreOffice's
            // import, after Office).
            let size = chart.title_size.or(chart.text_size.map(|s| s * 1.2)).unwrap_or(18.0).clamp(4.0, 72.0);
            let text = self.styled(&title, size, Some((area[2] - area[0]).max(10.0)), Align::Center, chart.title_color, chart.title_bold.unwrap_or(true));
            // LibreOffice sets the title's first baseline at the font's full (Windows)
            // ascent, about a fifth of the size lower than a paragraph's line puts it.
            let top = dy + TITLE_DROP;
            self.put(&text, area[0], top + size * TITLE_BASELINE);
            area[1] = top + text.height() + size * TITLE_BASELINE + dy;
        }
        if let Some(position) = chart.legend {
            area = self.legend(position, area, pad, height);
        }
        if area[2] - area[0] < 4.0 || area[3] - area[1] < 4.0 {
            return;
        }
        let round: Vec<&Plot> = chart.plots.iter().filter(|p| matches!(p.kind, Kind::Pie | Kind::Doughnut)).collect();
        let radar: Vec<&Plot> = chart.plots.iter().filter(|p| p.kind == Kind::Radar).collect();
        let cartesian: Vec<&Plot> = chart.plots.iter().filter(|p| !matches!(p.kind, Kind::Pie | Kind::Doughnut | Kind::Radar)).collect();
        if !cartesian.is_empty() {
            self.cartesian(&cartesian, area);
        } else if let Some(plot) = radar.first() {
            self.radar(plot, area);
        } else if let Some(plot) = round.first() {
            self.round(plot, area);
        }
    }

    /// The legend's entries: categories for a plot that colours its points, else series
    /// (bottom to top for horizontal bars, as they are stacked). Each entry has its name,
    /// colour, whether it is a line, and its marker.
    fn legend_entries(&self) -> Vec<Entry> {
        let plots = &self.chart.plots;
        if let [plot] = plots.as_slice() {
            let round = matches!(plot.kind, Kind::Pie | Kind::Doughnut);
            if let (true, Some(series)) = (plot.vary_colors && (round || plot.series.len() == 1), plot.series.first()) {
                let count = series.values.len().max(series.categories.len()).min(MAX_TICKS);
                return (0..count).map(|i| (category(series, i), self.point_color(plot, series, i), false, None)).collect();
            }
        }
        let mut entries: Vec<Entry> = plots
            .iter()
            .flat_map(|p| p.series.iter().map(move |s| (p, s)))
            .take(MAX_TICKS)
            .map(|(p, s)| {
                let name = if s.name.is_empty() { format!("Series{}", s.index + 1) } else { s.name.clone() };
                let linear = matches!(p.kind, Kind::Line | Kind::Scatter | Kind::Radar) && !p.filled;
                // A series drawn without its line shows its marker alone.
                let line = linear && !s.no_line && (p.lines || p.kind != Kind::Scatter);
                let marker = (linear && (s.marker.unwrap_or(p.markers) || !line)).then(|| s.symbol.unwrap_or(Symbol::auto(s.index)));
                (name, self.series_color(p, s), line, marker)
            })
            .collect();
        if plots.first().is_some_and(|p| p.kind == Kind::Bar && p.horizontal) {
            entries.reverse();
        }
        entries
    }

    /// Draws the legend at its side of `area`; returns what is left for the plots. A
    /// legend at the left or right is centred on the chart's whole `height` where it fits,
    /// as LibreOffice places it, not below the title.
    fn legend(&mut self, position: LegendPosition, mut area: [f32; 4], pad: f32, height: f32) -> [f32; 4] {
        let entries = self.legend_entries();
        if entries.is_empty() {
            return area;
        }
        let size = self.chart.legend_size.unwrap_or(self.base).clamp(3.0, 48.0);
        let swatch = size * 0.7;
        let max_width = (area[2] - area[0]) * 0.4;
        let texts: Vec<LaidEntry> =
            entries.iter().map(|(name, c, line, marker)| (self.text(name, size, None, Align::Start, self.chart.legend_color), *c, *line, *marker)).collect();
        let entry_width = |t: &Text| swatch + 4.0 + t.width.min(max_width);
        match position {
            LegendPosition::Right | LegendPosition::Left => {
                let width = texts.iter().map(|(t, ..)| entry_width(t)).fold(0.0, f32::max);
                let total: f32 = texts.iter().map(|(t, ..)| t.height() + 2.0).sum();
                let x = if position == LegendPosition::Right { area[2] - width } else { area[0] };
                let mut y = ((height - total) / 2.0).min(area[3] - total).max(area[1]);
                for (text, c, line, marker) in texts {
                    if y + text.height() > area[3] {
                        break;
                    }
                    self.swatch(x, y, text.height(), swatch, (c, line, marker));
                    self.canvas.clip(self.on, [x, y, x + width, y + text.height()]);
                    self.put(&text, x + swatch + 4.0, y);
                    self.canvas.end_clip(self.on);
                    y += text.height() + 2.0;
                }
                if position == LegendPosition::Right {
                    area[2] -= width + pad;
                } else {
                    area[0] += width + pad;
                }
            }
            LegendPosition::Top | LegendPosition::Bottom => {
                // Rows of entries, each row centred.
                let avail = area[2] - area[0];
                let mut rows: Vec<Vec<LaidEntry>> = vec![Vec::new()];
                let mut used = 0.0;
                for entry in texts {
                    let w = entry_width(&entry.0) + 10.0;
                    if used + w > avail && !rows.last().is_some_and(|r| r.is_empty()) {
                        rows.push(Vec::new());
                        used = 0.0;
                    }
                    used += w;
                    if let Some(row) = rows.last_mut() {
                        row.push(entry);
                    }
                }
                let line = rows.iter().flatten().map(|(t, ..)| t.height()).fold(size, f32::max) + 2.0;
                let rows: Vec<_> = rows.into_iter().take(((area[3] - area[1]) * 0.4 / line).max(1.0) as usize).collect();
                let mut y = if position == LegendPosition::Bottom { area[3] - line * rows.len() as f32 } else { area[1] };
                if position == LegendPosition::Bottom {
                    area[3] = y - pad / 2.0;
                } else {
                    area[1] += line * rows.len() as f32 + pad / 2.0;
                }
                for row in rows {
                    let width: f32 = row.iter().map(|(t, ..)| entry_width(t) + 10.0).sum::<f32>() - 10.0;
                    let mut x = area[0] + (avail - width).max(0.0) / 2.0;
                    for (text, c, line, marker) in row {
                        self.swatch(x, y, text.height(), swatch, (c, line, marker));
                        self.put(&text, x + swatch + 4.0, y);
                        x += entry_width(&text) + 10.0;
                    }
                    y += line;
                }
            }
        }
        area
    }

    fn swatch(&mut self, x: f32, y: f32, line_height: f32, size: f32, (c, line, marker): (Rgb, bool, Option<Symbol>)) {
        let mid = y + line_height / 2.0;
        if line {
            self.canvas.line(self.on, (x - size * 0.3, mid), (x + size * 1.3, mid), (c, 2.0));
        }
        match marker {
            Some(symbol) => self.symbol(symbol, x + size / 2.0, mid, MARKER.min(size * 1.2), c),
            None if !line => self.canvas.shape(self.on, ShapeKind::Rect, [x, mid - size / 2.0, x + size, mid + size / 2.0], Some(c), None),
            None => {}
        }
    }

    /// A value as a data label or axis label shows it.
    fn number(value: f64, format: Option<&str>) -> String {
        match format {
            Some(f) if !f.is_empty() && !f.eq_ignore_ascii_case("general") => format_number(value, f),
            _ => {
                let s = format_number(value, "General");
                if s.is_empty() {
                    value.to_string()
                } else {
                    s
                }
            }
        }
    }

    fn label(&mut self, series: &Series, labels: Labels, i: usize, value: f64, share: Option<f64>) -> Option<Text> {
        let mut parts = Vec::new();
        if labels.category {
            parts.push(category(series, i));
        }
        if labels.value {
            parts.push(Self::number(value, series.format.as_deref()));
        }
        if let (true, Some(share)) = (labels.percent, share) {
            parts.push(format!("{:.0}%", share * 100.0));
        }
        if parts.is_empty() {
            return None;
        }
        Some(self.text(&parts.join("; "), self.base, None, Align::Start, None))
    }

    /// Pie and doughnut plots: slices clockwise from `first_angle`, doughnut series as rings.
    fn round(&mut self, plot: &Plot, area: [f32; 4]) {
        let (cx, cy) = ((area[0] + area[2]) / 2.0, (area[1] + area[3]) / 2.0);
        let series: Vec<&Series> = if plot.kind == Kind::Doughnut { plot.series.iter().take(20).collect() } else { plot.series.iter().take(1).collect() };
        let most_exploded = series.iter().flat_map(|s| s.point_explosions.iter().map(|e| e.1).chain([s.explosion])).fold(0.0, f32::max).min(100.0);
        let radius = (area[2] - area[0]).min(area[3] - area[1]) / 2.0 * 0.95 / (1.0 + most_exploded / 100.0);
        if radius < 1.0 {
            return;
        }
        let rings = series.len().max(1) as f32;
        let hole = if plot.kind == Kind::Doughnut { plot.hole / 100.0 } else { 0.0 };
        let ring = radius * (1.0 - hole) / rings;
        for (k, s) in series.iter().enumerate() {
            let outer = radius - ring * k as f32;
            let inner = if plot.kind == Kind::Doughnut { outer - ring } else { 0.0 };
            let values: Vec<(usize, f64)> = s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v.abs()))).filter(|(_, v)| *v > 0.0).collect();
            let total: f64 = values.iter().map(|v| v.1).sum();
            if !(total > 0.0 && total.is_finite()) {
                continue;
            }
            let labels = s.labels.or(plot.labels).filter(Labels::any);
            let mut angle = (plot.first_angle - 90.0).to_radians();
            for (i, v) in values.into_iter().take(1_000) {
                let sweep = (v / total) as f32 * TAU;
                let explode = s.point_explosions.iter().rev().find(|e| e.0 == i).map_or(s.explosion, |e| e.1).min(100.0) / 100.0 * radius;
                let mid = angle + sweep / 2.0;
                let (ox, oy) = (cx + explode * mid.cos(), cy + explode * mid.sin());
                let steps = ((sweep / TAU) * 120.0).ceil().max(2.0) as usize;
                let arc = |r: f32| (0..=steps).map(move |j| angle + sweep * j as f32 / steps as f32).map(move |a| (ox + r * a.cos(), oy + r * a.sin()));
                let mut points: Vec<(f32, f32)> = arc(outer).collect();
                if inner > 0.0 {
                    points.extend(arc(inner).collect::<Vec<_>>().into_iter().rev());
                } else if sweep < TAU - 1e-3 {
                    points.push((ox, oy));
                }
                let fill = self.point_color(plot, s, i);
                self.canvas.path(self.on, points, true, Some(fill), Some(([255, 255, 255], 0.75)));
                if let Some(labels) = labels {
                    if let Some(text) = self.label(s, labels, i, v, Some(v / total)) {
                        let r = if inner > 0.0 { (outer + inner) / 2.0 } else { outer * 0.65 };
                        let (lx, ly) = (ox + r * mid.cos(), oy + r * mid.sin());
                        self.put(&text, lx - text.width / 2.0, ly - text.height() / 2.0);
                    }
                }
                angle += sweep;
            }
        }
    }

    /// A radar plot: a spoke per category, a polygon per series.
    fn radar(&mut self, plot: &Plot, area: [f32; 4]) {
        let n = plot.series.iter().map(|s| s.values.len().max(s.categories.len())).max().unwrap_or(0).min(MAX_TICKS * 4);
        if n < 3 {
            return;
        }
        let cat_axis = self.category_axis(plot).cloned();
        let size = self.label_size(cat_axis.as_ref());
        let cat_color = cat_axis.as_ref().and_then(|a| a.text_color);
        let labels_from = plot.series.iter().find(|s| !s.categories.is_empty());
        let names: Vec<Text> = (0..n)
            .map(|i| labels_from.map_or_else(|| (i + 1).to_string(), |s| category(s, i)))
            .collect::<Vec<_>>()
            .iter()
            .map(|name| self.text(name, size, None, Align::Start, cat_color))
            .collect();
        let gap = size * RADAR_LABEL_GAP;
        let (radius, (cx, cy)) = radar_fit(&names, gap, area);
        let max = plot.series.iter().flat_map(|s| s.values.iter().flatten()).fold(f64::MIN, |a, b| a.max(*b));
        let min = plot.series.iter().flat_map(|s| s.values.iter().flatten()).fold(f64::MAX, |a, b| a.min(*b));
        // Two steps, as LibreOffice scales a radar's value axis, without room added.
        let expand = Expand { to_zero: true, close_to_border: false };
        let (lo, hi, step) = nice_scale(min, max, FEWEST_STEPS, (None, None), None, expand);
        let at = |i: usize, r: f32| {
            let (ux, uy) = spoke(i, n);
            (cx + r * ux, cy + r * uy)
        };
        let scale = |v: f64| radius * ((v - lo) / (hi - lo)).clamp(0.0, 1.0) as f32;
        // The value axis's labels sit beside the first spoke, as Excel and LibreOffice
        // show them unless the axis is deleted or unlabelled.
        let val_axis = self.value_axis(plot, true).cloned();
        let show_values = val_axis.as_ref().is_none_or(|a| !a.deleted && !a.no_labels);
        let format = val_axis.as_ref().and_then(|a| a.format.clone());
        let mut tick = lo;
        let mut ticks = 0;
        while tick <= hi + step * 1e-6 && ticks <= MAX_TICKS {
            let r = scale(tick);
            self.canvas.path(self.on, (0..n).map(|i| at(i, r)).collect(), true, None, Some((GRID, GRID_WIDTH)));
            if show_values {
                let text = self.text(&Self::number(tick, format.as_deref()), size, None, Align::Start, None);
                let (x, y) = at(0, r);
                self.put(&text, x + 3.0, y - text.height() / 2.0);
            }
            tick += step;
            ticks += 1;
        }
        for (i, text) in names.iter().enumerate() {
            self.canvas.line(self.on, (cx, cy), at(i, radius), (GRID, GRID_WIDTH));
            let [x0, y0, ..] = radar_label_box(i, n, text, radius, gap, (cx, cy));
            self.put(text, x0, y0);
        }
        for s in &plot.series {
            let c = self.series_color(plot, s);
            let points: Vec<(f32, f32)> = (0..n).map(|i| at(i, scale(s.values.get(i).copied().flatten().unwrap_or(lo)))).collect();
            if plot.filled {
                self.canvas.path(self.on, points, true, Some(c), None);
            } else if !s.no_line {
                self.canvas.path(self.on, points, true, None, Some((c, s.line_width.unwrap_or(self.style.line_width()))));
            }
        }
    }

    /// How many steps of `scale` have room along an axis `length` long: its length over
    /// its longest label's width (`across`, labels side by side) or its tallest label's
    /// height, from two to ten.
    fn steps_room(&mut self, scale: &Scale, length: f32, across: bool, size: f32, color: Option<Rgb>) -> usize {
        let mut need = 0.0f32;
        for v in scale.ticks().collect::<Vec<_>>() {
            let text = self.text(&Self::number(v, Some(&scale.format)), size, None, Align::Start, color);
            need = need.max(if across { text.width } else { text.height() });
        }
        if need <= 0.0 || !length.is_finite() {
            return MOST_STEPS;
        }
        ((length / need).floor().max(0.0) as usize).clamp(FEWEST_STEPS, MOST_STEPS)
    }

    /// The value axis of a plot, by its axis ids: for scatter and bubble plots the
    /// vertical one.
    fn value_axis(&self, plot: &Plot, vertical: bool) -> Option<&Axis> {
        let axes: Vec<&Axis> = plot.axis_ids.iter().filter_map(|id| self.chart.axes.iter().find(|a| a.id == *id && a.values)).collect();
        axes.iter().find(|a| matches!(a.position.as_str(), "l" | "r") == vertical).or(axes.first()).copied()
    }

    fn category_axis(&self, plot: &Plot) -> Option<&Axis> {
        plot.axis_ids.iter().filter_map(|id| self.chart.axes.iter().find(|a| a.id == *id && !a.values)).next()
    }

    /// The range a plot's values span, as its grouping stacks them.
    fn range(plot: &Plot, n: usize) -> (f64, f64) {
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        match plot.grouping {
            Grouping::Percent => {
                let negative = plot.series.iter().flat_map(|s| s.values.iter().flatten()).any(|v| *v < 0.0);
                return (if negative { -1.0 } else { 0.0 }, 1.0);
            }
            Grouping::Stacked => {
                for i in 0..n {
                    let (mut pos, mut neg) = (0.0, 0.0);
                    for v in plot.series.iter().filter_map(|s| s.values.get(i).copied().flatten()) {
                        if v >= 0.0 {
                            pos += v;
                        } else {
                            neg += v;
                        }
                    }
                    lo = lo.min(neg);
                    hi = hi.max(pos);
                }
            }
            _ => {
                for v in plot.series.iter().flat_map(|s| s.values.iter().flatten()) {
                    lo = lo.min(*v);
                    hi = hi.max(*v);
                }
            }
        }
        (lo, hi)
    }

    /// A Cartesian chart: axes and gridlines, then each plot in order.
    fn cartesian(&mut self, plots: &[&Plot], area: [f32; 4]) {
        let horizontal = plots.iter().any(|p| p.kind == Kind::Bar && p.horizontal);
        let xy = plots.iter().all(|p| matches!(p.kind, Kind::Scatter | Kind::Bubble));
        let n = plots.iter().flat_map(|p| &p.series).map(|s| s.values.len().max(s.categories.len())).max().unwrap_or(0).clamp(1, 4_000);
        let primary_axis = self.value_axis(plots[0], !horizontal).map(|a| a.id);
        let on_secondary = |d: &Self, p: &Plot| d.value_axis(p, !horizontal).map(|a| a.id) != primary_axis && plots.len() > 1;
        let cat_axis = self.category_axis(plots[0]).cloned();
        let val_axis = self.value_axis(plots[0], !horizontal).cloned();
        let size = self.label_size(val_axis.as_ref());
        let cat_size = self.label_size(cat_axis.as_ref());
        // The value scales.
        let scale_for = |d: &Self, secondary: bool, most: usize| -> Option<Scale> {
            let group: Vec<&&Plot> = plots.iter().filter(|p| on_secondary(d, p) == secondary).collect();
            let first = group.first()?;
            let axis = d.value_axis(first, !horizontal);
            let (mut lo, mut hi) = (f64::MAX, f64::MIN);
            for p in &group {
                let (a, b) = Self::range(p, n);
                lo = lo.min(a);
                hi = hi.max(b);
            }
            // A 100 % plot ends at 100 %, with no room added.
            let percent = group.iter().any(|p| p.grouping == Grouping::Percent);
            let max = axis.and_then(|a| a.max).or(percent.then_some(hi));
            let expand = Expand { close_to_border: !percent, ..Expand::VALUES };
            let (lo, hi, step) = nice_scale(lo, hi, most, (axis.and_then(|a| a.min), max), axis.and_then(|a| a.major_unit), expand);
            let format = axis
                .and_then(|a| a.format.clone())
                .or_else(|| percent.then(|| "0%".to_owned()))
                .or_else(|| group.iter().flat_map(|p| &p.series).find_map(|s| s.format.clone()))
                .unwrap_or_else(|| "General".into());
            Some(Scale { lo, hi, step, format, reversed: axis.is_some_and(|a| a.reversed) })
        };
        // As many steps as labels fit along the axis (LibreOffice measures the labels of
        // a first scale of ten steps): stacked labels by their height, labels side by side
        // by their width.
        let length = if horizontal { (area[2] - area[0]) * 0.8 } else { area[3] - area[1] - cat_size * 1.3 - TICK - 3.0 };
        let value_color = val_axis.as_ref().and_then(|a| a.text_color);
        let fitted = |d: &mut Self, secondary: bool, across: bool, length: f32| -> Option<Scale> {
            let first = scale_for(d, secondary, MOST_STEPS)?;
            let most = d.steps_room(&first, length, across, size, value_color);
            if most < MOST_STEPS {
                scale_for(d, secondary, most)
            } else {
                Some(first)
            }
        };
        let Some(primary) = fitted(self, false, horizontal, length) else { return };
        let secondary = fitted(self, true, horizontal, length).filter(|_| plots.iter().any(|p| on_secondary(self, p)));
        // The x scale of scatter and bubble plots: never taken to zero.
        let x_scale = if xy {
            let xs = plots.iter().flat_map(|p| &p.series).flat_map(|s| {
                if s.x.is_empty() {
                    (1..=s.values.len()).map(|i| Some(i as f64)).collect()
                } else {
                    s.x.clone()
                }
            });
            let (lo, hi) = xs.flatten().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
            let axis = self.value_axis(plots[0], horizontal).cloned();
            let fixed = (axis.as_ref().and_then(|a| a.min), axis.as_ref().and_then(|a| a.max));
            let unit = axis.as_ref().and_then(|a| a.major_unit);
            let format = axis.as_ref().and_then(|a| a.format.clone()).unwrap_or_else(|| "General".into());
            let scale = |most: usize| {
                let (lo, hi, step) = nice_scale(lo, hi, most, fixed, unit, Expand::X);
                Scale { lo, hi, step, format: format.clone(), reversed: axis.as_ref().is_some_and(|a| a.reversed) }
            };
            let first = scale(MOST_STEPS);
            let most = self.steps_room(&first, (area[2] - area[0]) * 0.85, true, cat_size, None);
            Some(if most < MOST_STEPS { scale(most) } else { first })
        } else {
            None
        };
        // Labels and the margins they need.
        let cat_color = cat_axis.as_ref().and_then(|a| a.text_color);
        let show_values = val_axis.as_ref().is_none_or(|a| !a.deleted && !a.no_labels);
        let show_categories = cat_axis.as_ref().is_none_or(|a| !a.deleted && !a.no_labels) || xy;
        let value_texts: Vec<(f64, Text)> = if show_values {
            primary
                .ticks()
                .collect::<Vec<_>>()
                .into_iter()
                .map(|v| (v, self.text(&Self::number(v, Some(&primary.format)), size, None, Align::Start, value_color)))
                .collect()
        } else {
            Vec::new()
        };
        let secondary_texts: Vec<(f64, Text)> = match &secondary {
            Some(s) => s
                .ticks()
                .collect::<Vec<_>>()
                .into_iter()
                .map(|v| (v, self.text(&Self::number(v, Some(&s.format)), size, None, Align::Start, value_color)))
                .collect(),
            None => Vec::new(),
        };
        let names_from = plots.iter().flat_map(|p| &p.series).find(|s| !s.categories.is_empty()).cloned();
        let category_names: Vec<String> = if show_categories && x_scale.is_none() {
            (0..n.min(MAX_TICKS * 4)).map(|i| names_from.as_ref().map_or_else(|| (i + 1).to_string(), |s| category(s, i))).collect()
        } else {
            Vec::new()
        };
        let mut category_texts: Vec<Text> = if !show_categories {
            Vec::new()
        } else if let Some(x) = &x_scale {
            x.ticks().collect::<Vec<_>>().into_iter().map(|v| self.text(&Self::number(v, Some(&x.format)), cat_size, None, Align::Start, cat_color)).collect()
        } else {
            category_names.iter().map(|t| self.text(t, cat_size, None, Align::Start, cat_color)).collect()
        };
        let widest = |texts: &mut dyn Iterator<Item = &Text>| texts.map(|t| t.width).fold(0.0, f32::max);
        let tallest = |texts: &mut dyn Iterator<Item = &Text>| texts.map(|t| t.height()).fold(0.0, f32::max);
        // Axis titles, bold at the chart's text size (as LibreOffice's import sets them):
        // the horizontal axis' below the plot, the vertical axis' turned up beside it.
        let title_size = self.chart.text_size.unwrap_or(10.0).clamp(4.0, 72.0);
        let x_axis = if xy {
            self.value_axis(plots[0], false).cloned()
        } else if horizontal {
            val_axis.clone()
        } else {
            cat_axis.clone()
        };
        let y_axis = if horizontal { cat_axis.clone() } else { val_axis.clone() };
        let mut axis_title = |axis: Option<Axis>| {
            let axis = axis.filter(|a| !a.deleted)?;
            let size = axis.title_size.unwrap_or(title_size).clamp(4.0, 72.0);
            Some(self.styled(axis.title.as_ref()?, size, None, Align::Start, axis.title_color, true))
        };
        let bottom_title = axis_title(x_axis);
        let side_title = axis_title(y_axis);
        // Room for the labels beside their tick marks, and for half a label beyond the
        // plot's far end, where the last value label is centred.
        let value_gap = 4.0 + if val_axis.as_ref().is_none_or(|a| a.ticks) { TICK } else { 0.0 };
        let cat_gap = 3.0 + if cat_axis.as_ref().is_none_or(|a| a.ticks) && x_scale.is_none() { TICK } else { 0.0 };
        // Category labels next to their axis sit beside it where it crosses the values
        // (at zero), as Office and LibreOffice put them: inside the plot when there are
        // negative values, and then the plot takes the room they would have had.
        let crossing = primary.at(primary.lo.max(0.0).min(primary.hi));
        let labels_inside = x_scale.is_none() && cat_axis.as_ref().is_none_or(|a| !a.labels_low) && crossing > 0.01 && crossing < 0.99;
        // Category labels below the plot too wide for their band (estimated before the
        // plot's width is known: the area less the value labels) are broken or turned.
        let rough_band = (area[2] - area[0] - widest(&mut value_texts.iter().map(|v| &v.1)) - value_gap) / n as f32;
        let crowded = !horizontal && x_scale.is_none() && !labels_inside && !category_texts.is_empty() && widest(&mut category_texts.iter()) + 4.0 > rough_band;
        // First, as LibreOffice does, labels are broken into lines as wide as their band,
        // between words, when every word fits and every label then takes three lines at most.
        let wrap = rough_band - 4.0;
        let mut placing = Placing::Level;
        let words_fit = crowded
            && wrap > cat_size
            && category_names.iter().flat_map(|name| name.split_whitespace()).all(|word| {
                let text = self.text(word, cat_size, None, Align::Start, cat_color);
                let fits = text.width <= wrap;
                self.canvas.discard(text);
                fits
            });
        if words_fit {
            let texts: Vec<Text> = category_names.iter().map(|t| self.text(t, cat_size, Some(wrap), Align::Center, cat_color)).collect();
            if texts.iter().all(|t| t.width <= wrap + 0.5 && t.lines.len() <= 3) {
                category_texts = texts;
                placing = Placing::Broken(wrap);
            } else {
                // Measured only: dropped, last first.
                for text in texts.into_iter().rev() {
                    self.canvas.discard(text);
                }
            }
        }
        // Else they are turned 45 degrees, as LibreOffice and Office turn them, when turned
        // ones fit side by side.
        if crowded && placing == Placing::Level && tallest(&mut category_texts.iter()) * SQRT_2 <= rough_band * 1.5 {
            placing = Placing::Turned;
        }
        let mut plot_box = area;
        if horizontal {
            if !labels_inside {
                plot_box[0] += widest(&mut category_texts.iter()).min((area[2] - area[0]) * 0.4) + cat_gap + 1.0;
            }
            plot_box[2] -= value_texts.last().map_or(0.0, |v| v.1.width / 2.0);
            plot_box[3] -= tallest(&mut value_texts.iter().map(|v| &v.1)) + value_gap;
        } else {
            plot_box[0] += widest(&mut value_texts.iter().map(|v| &v.1)) + value_gap;
            plot_box[1] += tallest(&mut value_texts.iter().map(|v| &v.1)) / 2.0;
            plot_box[2] -= if secondary_texts.is_empty() { 0.0 } else { widest(&mut secondary_texts.iter().map(|v| &v.1)) + 4.0 };
            let labels = if labels_inside {
                0.0
            } else if placing == Placing::Turned {
                (widest(&mut category_texts.iter()) + tallest(&mut category_texts.iter())) * FRAC_1_SQRT_2 + cat_gap + 1.0
            } else {
                tallest(&mut category_texts.iter()) + cat_gap + 1.0
            };
            plot_box[3] -= labels;
            if let Some(first) = category_texts.first().filter(|_| placing == Placing::Turned) {
                // The first turned label reaches left of its category: room for it.
                let reach = first.width * FRAC_1_SQRT_2 - rough_band / 2.0;
                plot_box[0] = plot_box[0].max(area[0] + reach);
            }
        }
        plot_box[3] -= bottom_title.as_ref().map_or(0.0, |t| t.height() + 2.0);
        plot_box[0] += side_title.as_ref().map_or(0.0, |t| t.height() + 2.0);
        let [x0, y0, x1, y1] = plot_box;
        if x1 - x0 < 4.0 || y1 - y0 < 4.0 {
            return;
        }
        if let Some(Some(c)) = self.chart.plot_fill {
            self.canvas.shape(self.on, ShapeKind::Rect, plot_box, Some(c), None);
        }
        // Value position along the value axis, in page points.
        let value_at = move |s: &Scale, v: f64| if horizontal { x0 + (x1 - x0) * s.at(v) } else { y1 - (y1 - y0) * s.at(v) };
        // Gridlines and value labels.
        let gridlines = val_axis.as_ref().is_none_or(|a| a.gridlines);
        let grid = val_axis.as_ref().and_then(|a| a.grid_color).unwrap_or(GRID);
        let grid_width = val_axis.as_ref().and_then(|a| a.grid_width).unwrap_or(GRID_WIDTH);
        // The value axis' line and tick marks, unless it has none.
        let value_line = axis_line(val_axis.as_ref());
        let value_ticks = value_line.filter(|_| val_axis.as_ref().is_none_or(|a| a.ticks));
        let grid_line = |d: &mut Self, p: f32| {
            let (from, to) = if horizontal { ((p, y0), (p, y1)) } else { ((x0, p), (x1, p)) };
            d.canvas.line(d.on, from, to, (grid, grid_width));
        };
        let ticks: Vec<f64> = primary.ticks().collect();
        if val_axis.as_ref().is_some_and(|a| a.minor_gridlines) {
            // Minor gridlines: a fifth of a step apart, as Office sets them by default.
            for v in &ticks {
                for k in 1..MINOR_STEPS {
                    let minor = v + primary.step * k as f64 / MINOR_STEPS as f64;
                    if minor < primary.hi - primary.step * 1e-6 {
                        grid_line(self, value_at(&primary, minor));
                    }
                }
            }
        }
        for v in &ticks {
            let p = value_at(&primary, *v);
            if gridlines {
                grid_line(self, p);
            }
            if let Some(c) = value_ticks {
                let (from, to) = if horizontal { ((p, y1), (p, y1 + TICK)) } else { ((x0 - TICK, p), (x0, p)) };
                self.canvas.line(self.on, from, to, (c, 1.0));
            }
        }
        for (v, text) in &value_texts {
            let p = value_at(&primary, *v);
            if horizontal {
                self.put(text, p - text.width / 2.0, y1 + value_gap);
            } else {
                self.put(text, x0 - value_gap - text.width, p - text.height() / 2.0);
            }
        }
        if let Some(c) = value_line {
            let (from, to) = if horizontal { ((x0, y1), (x1, y1)) } else { ((x0, y0), (x0, y1)) };
            self.canvas.line(self.on, from, to, (c, 1.0));
        }
        if let Some(s) = &secondary {
            for (v, text) in &secondary_texts {
                let p = value_at(s, *v);
                self.put(text, x1 + 4.0, p - text.height() / 2.0);
            }
        }
        // Categories: bands along the category axis.
        let mid_category = val_axis.as_ref().is_some_and(|a| a.mid_category) && plots.iter().all(|p| p.kind != Kind::Bar);
        let length = if horizontal { y1 - y0 } else { x1 - x0 };
        let band = if mid_category && n > 1 { length / (n - 1) as f32 } else { length / n as f32 };
        let reversed = cat_axis.as_ref().is_some_and(|a| a.reversed);
        // Start of category i's band, or its point for mid-category axes, in page points.
        let cat_at = move |i: f32| {
            let offset = if mid_category { i * band - band / 2.0 } else { i * band };
            match (horizontal, reversed) {
                (false, false) => x0 + offset,
                (false, true) => x1 - offset - band,
                // Bar charts list the first category at the bottom.
                (true, false) => y1 - offset - band,
                (true, true) => y0 + offset,
            }
        };
        if let Some(x) = &x_scale {
            for (v, text) in x.ticks().collect::<Vec<_>>().into_iter().zip(&category_texts) {
                let p = x0 + (x1 - x0) * x.at(v);
                self.put(text, p - text.width / 2.0, y1 + 3.0);
            }
        } else if !category_texts.is_empty() {
            let every = if horizontal {
                (tallest(&mut category_texts.iter()) / band.max(0.1)).ceil().max(1.0) as usize
            } else if placing == Placing::Turned {
                (tallest(&mut category_texts.iter()) * SQRT_2 / band.max(0.1)).ceil().max(1.0) as usize
            } else {
                ((widest(&mut category_texts.iter()) + 4.0) / band.max(0.1)).ceil().max(1.0) as usize
            };
            // Beside the axis where it crosses the values, or at the plot's edge.
            let at = if labels_inside {
                value_at(&primary, primary.lo.max(0.0).min(primary.hi))
            } else if horizontal {
                x0
            } else {
                y1
            };
            for (i, text) in category_texts.iter().enumerate().step_by(every) {
                let mid = cat_at(i as f32) + band / 2.0;
                if horizontal {
                    self.put(text, at - cat_gap - text.width, mid - text.height() / 2.0);
                } else if placing == Placing::Turned {
                    // Reading up to the right, its end at the category's middle.
                    let pivot = (mid, at + cat_gap);
                    let rect = [mid - text.width, pivot.1, mid, pivot.1 + text.height()];
                    self.canvas.turn(self.on, PI / 4.0, pivot, (false, false), rect);
                    self.put(text, rect[0], rect[1]);
                    self.canvas.end_transform(self.on);
                } else {
                    // Broken labels are centred in their own box, as wide as the band.
                    let width = if let Placing::Broken(width) = placing { width } else { text.width };
                    self.put(text, mid - width / 2.0, at + cat_gap);
                }
            }
        }
        if let Some(title) = bottom_title {
            self.put(&title, (x0 + x1) / 2.0 - title.width / 2.0, area[3] - title.height());
        }
        if let Some(title) = side_title {
            // Turned a quarter counterclockwise about its middle, at the area's left edge.
            let middle = (area[0] + title.height() / 2.0, (y0 + y1) / 2.0);
            let rect = [middle.0 - title.width / 2.0, middle.1 - title.height() / 2.0, middle.0 + title.width / 2.0, middle.1 + title.height() / 2.0];
            self.canvas.turn(self.on, PI / 2.0, middle, (false, false), rect);
            self.put(&title, rect[0], rect[1]);
            self.canvas.end_transform(self.on);
        }
        // The category axis line, at zero, with tick marks between categories.
        let zero = value_at(&primary, primary.lo.max(0.0).min(primary.hi));
        let cat_line = axis_line(cat_axis.as_ref());
        if let Some(c) = cat_line {
            if horizontal {
                self.canvas.line(self.on, (zero, y0), (zero, y1), (c, 1.0));
            } else {
                self.canvas.line(self.on, (x0, zero), (x1, zero), (c, 1.0));
            }
            if x_scale.is_none() && cat_axis.as_ref().is_none_or(|a| a.ticks) && n <= MAX_TICKS * 4 {
                let edges = if mid_category { n.saturating_sub(1) } else { n };
                for i in 0..=edges {
                    let p = if horizontal { y1 - band * i as f32 } else { x0 + band * i as f32 };
                    if horizontal {
                        self.canvas.line(self.on, (zero - TICK, p), (zero, p), (c, 1.0));
                    } else {
                        self.canvas.line(self.on, (p, zero), (p, zero + TICK), (c, 1.0));
                    }
                }
            }
        }
        self.canvas.clip(self.on, [x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0]);
        let order = [Kind::Area, Kind::Bar, Kind::Line, Kind::Scatter, Kind::Bubble];
        for kind in order {
            let bars: Vec<&&Plot> = plots.iter().filter(|p| p.kind == Kind::Bar).collect();
            for plot in plots.iter().filter(|p| p.kind == kind) {
                let scale = if on_secondary(self, plot) { secondary.clone().unwrap_or_else(|| primary.clone()) } else { primary.clone() };
                let values = |v: f64| value_at(&scale, v);
                let frame = Frame { horizontal, band, cat_at: &cat_at, values: &values, n, upward: horizontal && !reversed };
                match kind {
                    Kind::Bar => {
                        // Clustered bar plots on two axes sit side by side, as Excel draws them.
                        let slot = bars.iter().position(|b| std::ptr::eq(**b, *plot)).unwrap_or(0);
                        self.bars(plot, &frame, &scale, (slot, bars.len()));
                    }
                    Kind::Area => self.areas(plot, &frame, &scale),
                    Kind::Line => self.lines(plot, &frame),
                    _ => {
                        if let Some(x) = &x_scale {
                            let xs = |v: f64| x0 + (x1 - x0) * x.at(v);
                            self.scatter(plot, &xs, &values, (x1 - x0).min(y1 - y0));
                        }
                    }
                }
            }
        }
        self.canvas.end_clip(self.on);
    }
}

/// How the category labels below a plot are laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Placing {
    /// Level, one line each (every other one left out where they would overlap).
    Level,
    /// Broken between words into lines this wide, centred below their category.
    Broken(f32),
    /// Turned 45 degrees, reading up to the middle of their category.
    Turned,
}

/// Where categories and values sit in a Cartesian plot.
struct Frame<'f> {
    horizontal: bool,
    band: f32,
    cat_at: &'f dyn Fn(f32) -> f32,
    values: &'f dyn Fn(f64) -> f32,
    n: usize,
    /// Bars of one category run bottom to top: the first series sits nearest the axis'
    /// origin, as in a horizontal bar chart.
    upward: bool,
}

impl Frame<'_> {
    /// A page point from a category-axis and a value-axis position.
    fn point(&self, category: f32, value: f32) -> (f32, f32) {
        if self.horizontal {
            (value, category)
        } else {
            (category, value)
        }
    }

    /// The middle of category `i`.
    fn middle(&self, i: usize) -> f32 {
        (self.cat_at)(i as f32) + self.band / 2.0
    }
}

/// The values of a plot's series as stacked: per series, per category, (from, to).
fn stacked(plot: &Plot, n: usize) -> Vec<Vec<Option<(f64, f64)>>> {
    let totals: Vec<f64> = (0..n).map(|i| plot.series.iter().filter_map(|s| s.values.get(i).copied().flatten()).map(f64::abs).sum()).collect();
    let mut pos = vec![0.0; n];
    let mut neg = vec![0.0; n];
    plot.series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| {
                    let mut v = s.values.get(i).copied().flatten()?;
                    match plot.grouping {
                        Grouping::Stacked | Grouping::Percent => {
                            if plot.grouping == Grouping::Percent {
                                v = if totals[i] > 0.0 { v / totals[i] } else { 0.0 };
                            }
                            let acc = if v >= 0.0 { &mut pos[i] } else { &mut neg[i] };
                            let from = *acc;
                            *acc += v;
                            Some((from, *acc))
                        }
                        _ => Some((0.0, v)),
                    }
                })
                .collect()
        })
        .collect()
}

impl Draw<'_> {
    fn bars(&mut self, plot: &Plot, frame: &Frame<'_>, scale: &Scale, (slot, slots): (usize, usize)) {
        let stacking = matches!(plot.grouping, Grouping::Stacked | Grouping::Percent);
        let count = if stacking { 1 } else { plot.series.len().max(1) } * slots.max(1);
        let gap = plot.gap_width / 100.0;
        let bar = frame.band / (count as f32 + gap);
        let base = scale.lo.max(0.0).min(scale.hi);
        let values = stacked(plot, frame.n);
        for (j, (s, spans)) in plot.series.iter().zip(&values).enumerate() {
            let column = slot * if stacking { 1 } else { plot.series.len() } + if stacking { 0 } else { j };
            let column = if frame.upward { count - 1 - column.min(count - 1) } else { column };
            let labels = s.labels.or(plot.labels).filter(Labels::any);
            for (i, span) in spans.iter().enumerate().take(4_000) {
                let Some((from, to)) = *span else { continue };
                let from = if stacking { from } else { base };
                let start = (frame.cat_at)(i as f32) + gap * bar / 2.0 + column as f32 * bar;
                let (a, b) = ((frame.values)(from), (frame.values)(to));
                let (p0, p1) = (frame.point(start, a), frame.point(start + bar, b));
                let rect = [p0.0.min(p1.0), p0.1.min(p1.1), p0.0.max(p1.0), p0.1.max(p1.1)];
                let fill = (!s.no_fill).then(|| self.point_color(plot, s, i));
                let outline = self.filled_outline(s);
                self.canvas.shape(self.on, ShapeKind::Rect, rect, fill, outline);
                if let Some(labels) = labels {
                    let value = s.values.get(i).copied().flatten().unwrap_or(to);
                    if let Some(text) = self.label(s, labels, i, value, None) {
                        let (cx, cy) = ((rect[0] + rect[2]) / 2.0, (rect[1] + rect[3]) / 2.0);
                        let (x, y) = match (stacking, frame.horizontal) {
                            (true, _) => (cx - text.width / 2.0, cy - text.height() / 2.0),
                            (false, false) => (cx - text.width / 2.0, if to >= 0.0 { rect[1] - text.height() } else { rect[3] }),
                            (false, true) => (if to >= 0.0 { rect[2] + 2.0 } else { rect[0] - text.width - 2.0 }, cy - text.height() / 2.0),
                        };
                        self.put(&text, x, y);
                    }
                }
            }
        }
    }

    fn areas(&mut self, plot: &Plot, frame: &Frame<'_>, scale: &Scale) {
        let values = stacked(plot, frame.n);
        let base = scale.lo.max(0.0).min(scale.hi);
        for (s, spans) in plot.series.iter().zip(&values) {
            let points: Vec<(usize, f64, f64)> = spans
                .iter()
                .enumerate()
                .map(|(i, span)| span.map_or((i, base, base), |(a, b)| (i, if plot.grouping == Grouping::Standard { base } else { a }, b)))
                .collect();
            if points.is_empty() {
                continue;
            }
            let mut outline: Vec<(f32, f32)> = points.iter().map(|(i, _, to)| frame.point(frame.middle(*i), (frame.values)(*to))).collect();
            outline.extend(points.iter().rev().map(|(i, from, _)| frame.point(frame.middle(*i), (frame.values)(*from))));
            let fill = (!s.no_fill).then(|| self.series_color(plot, s));
            let line = self.filled_outline(s);
            self.canvas.path(self.on, outline, true, fill, line);
        }
    }

    fn lines(&mut self, plot: &Plot, frame: &Frame<'_>) {
        let values = stacked(plot, frame.n);
        for (s, spans) in plot.series.iter().zip(&values) {
            let c = self.series_color(plot, s);
            let width = s.line_width.unwrap_or(self.style.line_width());
            let points: Vec<Option<(f32, f32)>> =
                spans.iter().enumerate().map(|(i, span)| span.map(|(_, to)| frame.point(frame.middle(i), (frame.values)(to)))).collect();
            if !s.no_line {
                // A gap in the values breaks the line.
                for run in points.split(Option::is_none) {
                    let run: Vec<(f32, f32)> = run.iter().flatten().copied().collect();
                    let run = if s.smooth { smooth(&run) } else { run };
                    self.canvas.path(self.on, run, false, None, Some((c, width)));
                }
            }
            if s.marker.unwrap_or(plot.markers) {
                for (x, y) in points.iter().flatten().take(4_000) {
                    self.marker(s, *x, *y, c);
                }
            }
            let labels = s.labels.or(plot.labels).filter(Labels::any);
            if let Some(labels) = labels {
                for (i, p) in points.iter().enumerate().take(MAX_TICKS * 4) {
                    let (Some((x, y)), Some(v)) = (p, s.values.get(i).copied().flatten()) else { continue };
                    if let Some(text) = self.label(s, labels, i, v, None) {
                        self.put(&text, x - text.width / 2.0, y - text.height() - 3.0);
                    }
                }
            }
        }
    }

    fn scatter(&mut self, plot: &Plot, xs: &dyn Fn(f64) -> f32, ys: &dyn Fn(f64) -> f32, room: f32) {
        let biggest = plot.series.iter().flat_map(|s| s.sizes.iter().flatten()).fold(0.0f64, |a, b| a.max(b.abs()));
        for s in &plot.series {
            let c = self.series_color(plot, s);
            let points: Vec<Option<(f32, f32, f64)>> = s
                .values
                .iter()
                .enumerate()
                .take(20_000)
                .map(|(i, v)| {
                    let x = if s.x.is_empty() { Some(i as f64 + 1.0) } else { s.x.get(i).copied().flatten() };
                    Some((xs(x?), ys((*v)?), s.sizes.get(i).copied().flatten().unwrap_or(0.0)))
                })
                .collect();
            if plot.kind == Kind::Bubble {
                for (x, y, size) in points.iter().flatten() {
                    let r = if biggest > 0.0 { (size.abs() / biggest).sqrt() as f32 * room * 0.125 } else { 0.0 };
                    if r > 0.0 {
                        self.canvas.shape(self.on, ShapeKind::Ellipse, [x - r, y - r, x + r, y + r], Some(c), Some(([255, 255, 255], 0.5)));
                    }
                }
                self.point_labels(plot, s, &points, true);
                continue;
            }
            if plot.lines && !s.no_line {
                for run in points.split(Option::is_none) {
                    let run: Vec<(f32, f32)> = run.iter().flatten().map(|p| (p.0, p.1)).collect();
                    let run = if s.smooth { smooth(&run) } else { run };
                    self.canvas.path(self.on, run, false, None, Some((c, s.line_width.unwrap_or(self.style.line_width()))));
                }
            }
            if s.marker.unwrap_or(plot.markers) || !plot.lines || s.no_line {
                for (x, y, _) in points.iter().flatten() {
                    self.marker(s, *x, *y, c);
                }
            }
            self.point_labels(plot, s, &points, false);
        }
    }

    /// The data labels of a scatter or bubble series: right of each point, as Office
    /// places them by default, or on a bubble's centre.
    fn point_labels(&mut self, plot: &Plot, s: &Series, points: &[Option<(f32, f32, f64)>], centred: bool) {
        let Some(labels) = s.labels.or(plot.labels).filter(Labels::any) else { return };
        for (i, p) in points.iter().enumerate().take(MAX_TICKS * 4) {
            let (Some((x, y, _)), Some(v)) = (p, s.values.get(i).copied().flatten()) else { continue };
            if let Some(text) = self.label(s, labels, i, v, None) {
                let x = if centred { x - text.width / 2.0 } else { x + MARKER / 2.0 + 2.0 };
                self.put(&text, x, y - text.height() / 2.0);
            }
        }
    }
}

impl Draw<'_> {
    /// A series' marker centred on `(x, y)`.
    fn marker(&mut self, series: &Series, x: f32, y: f32, c: Rgb) {
        let symbol = series.symbol.unwrap_or(Symbol::auto(series.index));
        self.symbol(symbol, x, y, series.marker_size.unwrap_or(MARKER), c);
    }

    fn symbol(&mut self, symbol: Symbol, x: f32, y: f32, size: f32, c: Rgb) {
        let r = size / 2.0;
        let on = self.on;
        let canvas = &mut *self.canvas;
        match symbol {
            Symbol::Square => canvas.shape(on, ShapeKind::Rect, [x - r, y - r, x + r, y + r], Some(c), None),
            Symbol::Circle => canvas.shape(on, ShapeKind::Ellipse, [x - r, y - r, x + r, y + r], Some(c), None),
            Symbol::Dot => canvas.shape(on, ShapeKind::Ellipse, [x - r / 2.0, y - r / 2.0, x + r / 2.0, y + r / 2.0], Some(c), None),
            Symbol::Diamond => canvas.path(on, vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)], true, Some(c), None),
            Symbol::Triangle => canvas.path(on, vec![(x, y - r), (x + r, y + r), (x - r, y + r)], true, Some(c), None),
            Symbol::TriangleDown => canvas.path(on, vec![(x - r, y - r), (x + r, y - r), (x, y + r)], true, Some(c), None),
            Symbol::Dash => canvas.line(on, (x - r, y), (x + r, y), (c, (size / 4.0).max(1.0))),
            Symbol::X | Symbol::Plus | Symbol::Star => {
                let width = (size / 6.0).max(0.75);
                if symbol != Symbol::Plus {
                    canvas.line(on, (x - r, y - r), (x + r, y + r), (c, width));
                    canvas.line(on, (x - r, y + r), (x + r, y - r), (c, width));
                }
                if symbol != Symbol::X {
                    canvas.line(on, (x, y - r), (x, y + r), (c, width));
                    canvas.line(on, (x - r, y), (x + r, y), (c, width));
                }
            }
        }
    }
}

/// The label of category `i`: the cached name, else its number.
/// Category `i` of a series as its axis shows it: a category cached as a number (a
/// date, mostly) in the cache's number format; text as it is.
fn category(series: &Series, i: usize) -> String {
    let Some(text) = series.categories.get(i).cloned().flatten() else { return (i + 1).to_string() };
    match (text.trim().parse::<f64>().ok().filter(|v| v.is_finite()), &series.category_format) {
        (Some(v), Some(format)) => Draw::number(v, Some(format)),
        _ => text,
    }
}

/// A smooth curve through `points` (Catmull-Rom, as Office's smoothed lines look).
fn smooth(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    if points.len() < 3 || points.len() > 5_000 {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(points.len() * 8);
    for i in 0..points.len() - 1 {
        let p0 = points[i.saturating_sub(1)];
        let (p1, p2) = (points[i], points[i + 1]);
        let p3 = points[(i + 2).min(points.len() - 1)];
        for step in 0..8 {
            let t = step as f32 / 8.0;
            let (t2, t3) = (t * t, t * t * t);
            let f = |a: f32, b: f32, c: f32, d: f32| 0.5 * (2.0 * b + (c - a) * t + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2 + (3.0 * b - a - 3.0 * c + d) * t3);
            out.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
        }
    }
    out.push(points[points.len() - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_take_round_steps_and_start_at_zero_as_libreoffice_does() {
        let y = |lo, hi, most| nice_scale(lo, hi, most, (None, None), None, Expand::VALUES);
        assert_eq!(y(0.0, 93.0, 5), (0.0, 100.0, 20.0));
        // A value within a twenty-first of the top takes one more step; when that is one
        // too many, the next larger step: 97 of 100 is too close, and 0..120 six steps.
        assert_eq!(y(0.0, 97.0, 5), (0.0, 150.0, 50.0));
        assert_eq!(y(0.0, 97.0, 10), (0.0, 120.0, 20.0));
        assert_eq!(y(2.0, 19.0, 10), (0.0, 20.0, 2.0));
        assert_eq!(y(0.0, 45.0, 10), (0.0, 50.0, 5.0));
        // Negative values: the same, mirrored.
        assert_eq!(y(-45.0, -3.0, 10), (-50.0, 0.0, 5.0));
        assert_eq!(y(-4.5, 5.0, 6), (-6.0, 6.0, 2.0));
        // Values far from zero keep the axis off it, moved down by half their spread.
        assert_eq!(y(950.0, 1000.0, 10), (920.0, 1010.0, 10.0));
        assert_eq!(y(10.0, 90.0, 5).0, 0.0);
        // An x axis is not taken to zero.
        assert_eq!(nice_scale(0.7, 2.6, 6, (None, None), None, Expand::X), (0.5, 3.0, 0.5));
        // Fewer than two steps or more than ten are never asked for.
        assert_eq!(y(0.0, 10.0, 1), (0.0, 20.0, 10.0));
        assert_eq!(y(0.0, 10.0, 40), (0.0, 12.0, 2.0));
        // Fixed bounds and a set step are kept; nonsense stays finite.
        assert_eq!(nice_scale(0.0, 97.0, 5, (Some(-50.0), Some(50.0)), None, Expand::VALUES), (-50.0, 50.0, 20.0));
        assert_eq!(nice_scale(0.0, 97.0, 5, (None, None), Some(25.0), Expand::VALUES), (0.0, 125.0, 25.0));
        let (lo, hi, step) = y(f64::NAN, f64::INFINITY, 5);
        assert!(lo.is_finite() && hi > lo && step > 0.0);
        let (lo, hi, step) = nice_scale(0.0, 1e300, 5, (None, Some(1e-300)), Some(1e-306), Expand::VALUES);
        assert!(hi > lo && step > 0.0 && ((hi - lo) / step) <= MAX_TICKS as f64 + 1.0, "{lo} {hi} {step}");
    }
}
