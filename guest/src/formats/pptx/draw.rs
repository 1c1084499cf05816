//! Drawing a slide's shapes onto its page: geometry, fill and outline, text with what it
//! inherits from its placeholder and the master's text styles, pictures and tables.

use super::geometry::preset_in;
use super::model::Frame;
use super::model::{list_over, LineEnd, ListStyle, Para, PartModel, ShapeModel, Spacing, TextStyles};
use super::parse::is_line;
use super::parse::parse_part;
use super::MAX_IMAGES;
use crate::layout::paint::{self, Align, Block, Canvas, Gradient, Hatch, ImageRef, LineModel, LineSpacing, Painter, Rgb, ShapeKind, SpanStyle, Surface};
use crate::layout::placeholder;
use crate::ooxml;
use crate::ooxml::color::Theme;
use crate::ooxml::fonts::ThemeFonts;
use crate::ooxml::package::Package;

/// How many times a shrink-to-fit shape's interval of scales is halved: to within 1 % of
/// the full size.
const AUTOFIT_STEPS: usize = 7;

/// Most SmartArt drawings drawn on one slide (they do not nest).
const MAX_DIAGRAMS: usize = 50;

/// What drawing a slide needs.
pub(super) struct Drawing<'a, 'd> {
    pub(super) painter: &'a mut Painter,
    pub(super) canvas: &'a mut Canvas,
    /// The page (or, for a diagram in another format, the figure) drawn on.
    pub(super) page: Surface,
    /// The package parts are read from (PPT has none: its pictures travel with the part).
    pub(super) package: Option<&'a mut Package<'d>>,
    pub(super) images: &'a mut usize,
    pub(super) styles: &'a TextStyles,
    pub(super) theme: &'a Theme,
    /// The theme's fonts, for the `+mj-lt` and `+mn-lt` (and East Asian) names runs use.
    pub(super) fonts: &'a ThemeFonts,
    /// The presentation's table styles.
    pub(super) table_styles: &'a super::table::Styles,
    /// What is not shown on this slide, for the report.
    pub(super) missing: &'a mut Vec<String>,
}

/// How a shape sets its text: as a title, as a bulleted body, its anchor (`t`, `ctr`,
/// `b`) and its insets (left, top, right, bottom) in points.
pub(super) struct TextSetup {
    title: bool,
    bulleted: bool,
    anchor: String,
    insets: [f32; 4],
    /// The list style its paragraphs take what they leave unset from: the shape's own,
    /// over its layout's and master's placeholders', over the master's text style for its
    /// kind of placeholder.
    list: ListStyle,
}

impl TextSetup {
    fn of(shape: &ShapeModel, inherited: Option<&ShapeModel>, styles: &TextStyles) -> TextSetup {
        let kind = shape.placeholder.as_ref().map(|p| p.0.as_str());
        let title = matches!(kind, Some("title" | "ctrTitle"));
        // A placeholder without a type is an object placeholder, set as body text.
        let body = matches!(kind, Some("body" | "obj" | ""));
        let anchor = shape.anchor.as_deref().or_else(|| inherited.and_then(|s| s.anchor.as_deref())).unwrap_or(if title { "ctr" } else { "t" });
        // The shape's insets, its placeholder's, or DrawingML's defaults.
        let inset = |k: usize, default: f32| shape.insets[k].or_else(|| inherited.and_then(|s| s.insets[k])).unwrap_or(default);
        // Titles take the master's title style; the other placeholders but dates, footers,
        // slide numbers and headers its body style; everything else its other style.
        let master = match kind {
            _ if title => &styles.title,
            Some("dt" | "ftr" | "sldNum" | "hdr") | None => &styles.other,
            Some(_) => &styles.body,
        };
        let list = match inherited {
            Some(placeholder) => list_over(&shape.list_style, &list_over(&placeholder.list_style, master)),
            None => list_over(&shape.list_style, master),
        };
        TextSetup { title, bulleted: body, anchor: anchor.to_owned(), insets: [inset(0, 7.2), inset(1, 3.6), inset(2, 7.2), inset(3, 3.6)], list }
    }

    /// Text that is not a placeholder's (a table cell's): the master's other style.
    pub(super) fn plain(styles: &TextStyles) -> TextSetup {
        TextSetup { title: false, bulleted: false, anchor: "t".into(), insets: [0.0; 4], list: styles.other.clone() }
    }
}

/// How a shape's area is filled: a colour (at `alpha`), or a gradient (its two colours at
/// `gradient_alpha`), and a pattern's lines over either.
struct AreaFill {
    color: Option<Rgb>,
    gradient: Option<((Rgb, Rgb), Gradient)>,
    pattern: Option<Hatch>,
    alpha: u8,
    gradient_alpha: (u8, u8),
}

impl Drawing<'_, '_> {
    /// Draws one shape; `inherited` is the layout or master placeholder it stands for.
    pub(super) fn shape(&mut self, shape: &ShapeModel, inherited: Option<&ShapeModel>, part: &PartModel) {
        let Some([x, y, w, h]) = shape.frame.or_else(|| inherited.and_then(|s| s.frame)) else { return };
        let setup = TextSetup::of(shape, inherited, self.styles);
        let [left, top, right, bottom] = setup.insets;
        // A shape that fits its height to its text (`spAutoFit`) is as high as its text
        // and insets, grown or shrunk from its anchored edge (both ways when centred), as
        // LibreOffice lays it out; one without text keeps its size.
        let mut blocks: Vec<Block> = shape.paragraphs.iter().map(|p| self.block(p, &setup, 1.0)).collect();
        let has_text = blocks.iter().flat_map(|b| &b.spans).any(|(t, _)| !t.trim().is_empty());
        let (y, h) = if shape.fit_to_text && has_text && shape.rotation == 0.0 {
            let needed = (self.text_height(&blocks, (w - left - right).max(4.0), shape.no_wrap) + top + bottom).min(10_000.0);
            match setup.anchor.as_str() {
                "b" => (y + h - needed, needed),
                "ctr" => (y + (h - needed) / 2.0, needed),
                _ => (y, needed),
            }
        } else {
            (y, h)
        };
        let rect = [x, y, x + w, y + h];
        let geometry = shape.geometry.as_deref().or_else(|| inherited.and_then(|s| s.geometry.as_deref()));
        let fill = shape.fill.or_else(|| if shape.placeholder.is_some() { inherited.and_then(|s| s.fill) } else { None });
        let gradient = match (shape.fill, shape.placeholder.is_some()) {
            (Some(_), _) => shape.gradient,
            (None, true) => inherited.and_then(|s| s.gradient),
            (None, false) => None,
        };
        let pattern = match (shape.fill.is_some() || shape.pattern.is_some(), shape.placeholder.is_some()) {
            (true, _) => shape.pattern,
            (false, true) => inherited.and_then(|s| s.pattern),
            (false, false) => None,
        };
        // Clockwise degrees, as the page turns counterclockwise radians.
        let angle = -(shape.rotation % 360.0).to_radians();
        let angle = if angle.is_finite() { angle } else { 0.0 };
        let centre = (x + w / 2.0, y + h / 2.0);
        let area =
            AreaFill { color: fill, gradient, pattern, alpha: shape.fill_alpha.unwrap_or(255), gradient_alpha: shape.gradient_alpha.unwrap_or((255, 255)) };
        let line = geometry.is_some_and(is_line);
        // A turned or mirrored shape is drawn level inside a turn about its centre: its
        // outline, fill and picture turn and mirror with it.
        let turned = !line && (angle != 0.0 || shape.flip.0 || shape.flip.1);
        if turned {
            self.canvas.turn(self.page, angle, centre, shape.flip, rect);
        }
        match geometry {
            Some(_) if line => {
                if let Some(stroke) = shape.line {
                    let turn = |p: (f32, f32)| paint::turn(p, angle, centre);
                    let (x0, x1) = if shape.flip.0 { (x + w, x) } else { (x, x + w) };
                    let (y0, y1) = if shape.flip.1 { (y + h, y) } else { (y, y + h) };
                    let (from, to) = (turn((x0, y0)), turn((x1, y1)));
                    self.canvas.line(self.page, from, to, stroke);
                    for (end, (tip, back)) in shape.line_ends.iter().zip([(from, to), (to, from)]) {
                        if let Some(end) = end {
                            self.arrowhead(end, tip, back, stroke);
                        }
                    }
                }
            }
            _ if shape.path.is_some() => {
                let (points, closed) = shape.path.as_ref().expect("matched");
                let outline = ShapeKind::Polygon(points.clone());
                self.fill_area(outline, rect, &area);
                let points = points.iter().map(|(px, py)| (x + px * w, y + py * h)).collect();
                self.canvas.path(self.page, points, *closed, None, shape.line);
            }
            Some(g) => {
                if let Some(kind) = preset_in(g, (w, h)) {
                    self.fill_area(kind.clone(), rect, &area);
                    self.canvas.shape(self.page, kind, rect, None, shape.line);
                }
            }
            None => {}
        }
        if let Some(rid) = &shape.image {
            if let Some(image) = self.image(rid, part, Some((w, h))) {
                let image = self.canvas.cropped(image, shape.crop, (w, h));
                self.canvas.image(self.page, image, rect);
            }
        }
        if turned {
            self.canvas.end_transform(self.page);
        }
        if let Some(table) = &shape.table {
            self.table(table, x, y);
        }
        if let Some(rid) = &shape.chart {
            self.chart(rid, part, rect);
        }
        if let Some(rid) = &shape.diagram {
            if !self.diagram(rid, part, [x, y, w, h]) {
                self.placeholder(rect, "a SmartArt diagram without its cached drawing".into());
            }
        }
        if let Some(what) = &shape.missing {
            self.placeholder(rect, what.clone());
        }
        let inner = [x + left, y + top, (w - left - right).max(4.0), (h - top - bottom).max(0.0)];
        let scale = if shape.autofit { self.fitting_scale(shape, &setup, inner, shape.font_scale) } else { 1.0 };
        if scale != 1.0 {
            blocks = shape.paragraphs.iter().map(|p| self.block(p, &setup, scale)).collect();
        }
        // Text turns with its shape but is not mirrored: a shape flipped top to bottom
        // shows it upside down, as PowerPoint does.
        let text_angle = if shape.flip.1 { angle + std::f32::consts::PI } else { angle };
        let text_turned = !line && text_angle != 0.0;
        if text_turned {
            self.canvas.turn(self.page, text_angle, centre, (false, false), rect);
        }
        self.text_box(&blocks, inner, &setup.anchor, shape.no_wrap);
        if text_turned {
            self.canvas.end_transform(self.page);
        }
    }

    /// Fills a shape's area (its outline `kind` in `rect`): a gradient, else its colour at
    /// its opacity, then a pattern's lines over it.
    fn fill_area(&mut self, kind: ShapeKind, rect: paint::Box2, fill: &AreaFill) {
        match fill.gradient {
            Some(((a, b), gradient)) => {
                let (alpha_a, alpha_b) = fill.gradient_alpha;
                let stops = ([a[0], a[1], a[2], alpha_a], [b[0], b[1], b[2], alpha_b]);
                self.canvas.gradient(self.page, kind.clone(), rect, stops, gradient);
            }
            None => self.canvas.translucent_shape(self.page, kind.clone(), rect, fill.color, None, fill.alpha),
        }
        if let Some(hatch) = fill.pattern {
            self.canvas.hatch(self.page, kind, rect, hatch);
        }
    }

    /// The scale at which a shrink-to-fit shape's text fits its box: 1 when it fits at its
    /// full size, else the largest that fits, found by halving the interval a few times.
    /// The scale the file stored is the floor: below it PowerPoint itself showed the text.
    fn fitting_scale(&mut self, shape: &ShapeModel, setup: &TextSetup, [_, _, w, h]: [f32; 4], stored: f32) -> f32 {
        let height_at = |scale: f32, this: &mut Self| {
            let blocks: Vec<Block> = shape.paragraphs.iter().map(|p| this.block(p, setup, scale)).collect();
            this.text_height(&blocks, w, shape.no_wrap)
        };
        if height_at(1.0, self) <= h {
            return 1.0;
        }
        let (mut low, mut high) = (stored.clamp(0.1, 1.0), 1.0);
        for _ in 0..AUTOFIT_STEPS {
            let middle = (low + high) / 2.0;
            if height_at(middle, self) <= h {
                low = middle;
            } else {
                high = middle;
            }
        }
        low
    }

    /// A paragraph as a block, with what it leaves unset from `setup`'s list style, its
    /// sizes (and spacing in points) times `scale`.
    pub(super) fn block(&self, para: &Para, setup: &TextSetup, scale: f32) -> Block {
        let (title, bulleted) = (setup.title, setup.bulleted);
        let level = &setup.list[para.level.min(8)];
        let [line, before, after] = [0, 1, 2].map(|k| para.spacing[k].or(level.spacing[k]));
        let size = level.run.size.unwrap_or(if title { 44.0 } else { 18.0 });
        let spans: Vec<(String, SpanStyle)> = para
            .runs
            .iter()
            .map(|(text, look)| {
                let look = look.over(&level.run);
                let full = look.size.unwrap_or(size) * scale;
                let text = if look.caps == Some(true) { text.to_uppercase() } else { text.clone() };
                let mut style = SpanStyle {
                    family: self.family(look.font.as_deref(), title),
                    size: full,
                    bold: look.bold.unwrap_or(false),
                    italic: look.italic.unwrap_or(false),
                    underline: look.underline,
                    strike: look.strike,
                    color: look.color.unwrap_or([0, 0, 0]),
                    rise: 0.0,
                    highlight: None,
                    hidden: false,
                };
                // Raised or lowered by its fraction of the full size, at the smaller size
                // superscripts take (as LibreOffice shows PowerPoint's `baseline`).
                if let Some(baseline) = look.baseline {
                    style = SpanStyle { rise: full * baseline, ..style.script(baseline > 0.0) };
                }
                (text, style)
            })
            .collect();
        let first = spans.first().map(|s| s.1.clone()).unwrap_or(SpanStyle {
            family: self.family(level.run.font.as_deref(), title),
            size: size * scale,
            ..Default::default()
        });
        // Space before or after: points, or a share of the first run's full size.
        let first_size = para.runs.first().and_then(|r| r.1.size).unwrap_or(size);
        let gap = |spacing: Option<Spacing>| match spacing {
            Some(Spacing::Points(points)) => points.min(2_000.0),
            Some(Spacing::Share(share)) => share * first_size,
            None => 0.0,
        };
        let (line_height, line_exact, _) = LineSpacing::block_fields(line.map(|l| match l {
            Spacing::Share(share) => LineSpacing::Proportional(share.clamp(0.1, 10.0)),
            Spacing::Points(points) => LineSpacing::Exact(points.max(1.0) * scale),
        }));
        let has_text = spans.iter().any(|(t, _)| !t.trim().is_empty());
        let bullet = match para.bullet.as_ref().or(level.bullet.as_ref()) {
            Some(Some(c)) => Some(c.clone()),
            Some(None) => None,
            None if bulleted && has_text => Some("•".into()),
            None => None,
        };
        let indent = 27.0 * para.level as f32;
        // The paragraph's margins, else its level's: the text's, and the first line's offset.
        let margin = para.margin.or_else(|| match level.margin {
            (None, None) => None,
            (left, first) => Some((left.unwrap_or(0.0), (left.unwrap_or(0.0) + first.unwrap_or(0.0)).max(0.0))),
        });
        let (indent_left, indent_first) = match margin {
            Some((text, bullet_at)) => (text, bullet_at - text),
            None if bullet.is_some() => (indent + 20.0, -20.0),
            None => (indent, 0.0),
        };
        Block {
            spans: if spans.is_empty() { vec![(String::new(), first.clone())] } else { spans },
            align: para.align.or(level.align).unwrap_or(Align::Start),
            indent_left,
            indent_first,
            line_height,
            line_exact,
            line_model: LineModel::Impress,
            space_before: gap(before) * scale,
            space_after: gap(after) * scale,
            marker: bullet.filter(|_| has_text).map(|b| (b, first)),
            ..Default::default()
        }
    }

    /// The face a run's font name stands for: itself, or the theme's face it refers to; the
    /// theme's heading or body face for runs that name none.
    fn family(&self, name: Option<&str>, title: bool) -> String {
        let default = if title { "+mj-lt" } else { "+mn-lt" };
        let name = name.unwrap_or(default);
        self.fonts.resolve(name).or_else(|| self.fonts.resolve(default).filter(|_| name.starts_with('+'))).unwrap_or(name).to_owned()
    }

    /// The height blocks take in a box `w` wide, as `text_box` lays them out.
    pub(super) fn text_height(&mut self, blocks: &[Block], w: f32, no_wrap: bool) -> f32 {
        let mut total = 0.0;
        for (i, block) in blocks.iter().enumerate() {
            let text = self.block_text(block, w, no_wrap);
            total += space_before(i, block) + text.height() + block.space_after;
            self.canvas.discard(text);
        }
        total
    }

    /// A block's text laid out in a box `w` wide, between its indents (its first line's
    /// indent is the marker's business); unwrapped text as wide as its longest line when
    /// that is wider.
    fn block_text(&mut self, block: &Block, w: f32, no_wrap: bool) -> paint::Text {
        let flat = Block { indent_first: 0.0, ..block.clone() };
        let mut inner = (w - block.indent_left - block.indent_right).max(4.0);
        if no_wrap {
            let natural = self.painter.text(self.canvas, &flat, None);
            inner = inner.max(natural.width);
            self.canvas.discard(natural);
        }
        self.painter.text(self.canvas, &flat, Some(inner))
    }

    /// Lays blocks out in a box, anchored top, middle or bottom, clipped to the slide.
    /// Unwrapped text is laid out as wide as its longest line when that is wider.
    pub(super) fn text_box(&mut self, blocks: &[Block], [x, y, w, h]: [f32; 4], anchor: &str, no_wrap: bool) {
        if blocks.iter().all(|b| b.spans.iter().all(|(t, _)| t.trim().is_empty())) {
            return;
        }
        let mut laid = Vec::new();
        let mut total = 0.0;
        for (i, block) in blocks.iter().enumerate() {
            let marker = block.marker.as_ref().map(|(label, style)| {
                let b = Block { spans: vec![(label.clone(), style.clone())], line_height: block.line_height, ..Default::default() };
                self.painter.text(self.canvas, &b, None)
            });
            let text = self.block_text(block, w, no_wrap);
            let before = space_before(i, block);
            total += before + text.height() + block.space_after;
            laid.push((before, block.indent_left, block.indent_first, text, marker, block.space_after));
        }
        let mut top = match anchor {
            "ctr" => y + (h - total) / 2.0,
            "b" => y + h - total,
            _ => y,
        };
        for (before, indent, first, text, marker, after) in laid {
            top += before;
            if let Some(marker) = marker {
                self.canvas.text(self.page, &marker, x + indent + first, top);
            }
            self.canvas.text(self.page, &text, x + indent, top);
            top += text.height() + after;
        }
    }

    /// An arrowhead at `tip` of a line coming from `back`, in the line's colour: as wide
    /// and as long as its factors times the line's width, counted at least 2 pt (as
    /// LibreOffice sizes them, so thin lines keep visible heads).
    fn arrowhead(&mut self, end: &LineEnd, tip: (f32, f32), back: (f32, f32), stroke: paint::Stroke) {
        let (dx, dy) = (tip.0 - back.0, tip.1 - back.1);
        let length = (dx * dx + dy * dy).sqrt();
        if !length.is_finite() || length < 0.01 {
            return;
        }
        let base = stroke.1.max(2.0);
        let (along, half) = (end.length * base, end.width * base / 2.0);
        let (ux, uy) = (dx / length, dy / length);
        let at = |a: f32, s: f32| (tip.0 - ux * a - uy * s, tip.1 - uy * a + ux * s);
        let color = Some(stroke.0);
        match end.kind.as_str() {
            "arrow" => {
                let open = (stroke.0, stroke.1.max(0.75));
                self.canvas.path(self.page, vec![at(along, half), tip, at(along, -half)], false, None, Some(open));
            }
            "stealth" => self.canvas.path(self.page, vec![tip, at(along, half), at(along * 0.6, 0.0), at(along, -half)], true, color, None),
            // A diamond and an oval are centred on the tip.
            "diamond" => self.canvas.path(self.page, vec![at(-along / 2.0, 0.0), at(0.0, half), at(along / 2.0, 0.0), at(0.0, -half)], true, color, None),
            "oval" => {
                let points = (0..16).map(|i| {
                    let t = i as f32 * std::f32::consts::TAU / 16.0;
                    at(-along / 2.0 * t.cos(), half * t.sin())
                });
                self.canvas.path(self.page, points.collect(), true, color, None);
            }
            _ => self.canvas.path(self.page, vec![tip, at(along, half), at(along, -half)], true, color, None),
        }
    }

    /// A picture over the whole slide of `size`: stretched, or tiled at its own size (96
    /// pixels to the inch) when there are not too many tiles.
    pub(super) fn background_picture(&mut self, image: ImageRef, tiled: bool, (w, h): (f32, f32)) {
        let (tw, th) = (image.width as f32 * 0.75, image.height as f32 * 0.75);
        let tiles = (w / tw.max(0.1)).ceil() * (h / th.max(0.1)).ceil();
        if !tiled || !(1.0..=400.0).contains(&tiles) {
            return self.canvas.image(self.page, image, [0.0, 0.0, w, h]);
        }
        self.canvas.clip(self.page, [0.0, 0.0, w, h]);
        let mut y = 0.0;
        while y < h {
            let mut x = 0.0;
            while x < w {
                self.canvas.image(self.page, image, [x, y, x + tw, y + th]);
                x += tw;
            }
            y += th;
        }
        self.canvas.end_clip(self.page);
    }

    /// A placeholder over `rect` saying what is not shown there, and a note for the report.
    fn placeholder(&mut self, [x0, y0, x1, y1]: [f32; 4], what: String) {
        if let Some(figure) = self.canvas.add_figure(x1 - x0, y1 - y0) {
            placeholder::draw(self.painter, self.canvas, figure, &what);
            self.canvas.image(self.page, figure, [x0, y0, x1, y1]);
        }
        self.missing.push(what);
    }

    /// A chart part drawn over `rect`.
    fn chart(&mut self, rid: &str, part: &PartModel, rect: [f32; 4]) {
        let target = part.rels.get(rid).map(|target| ooxml::resolve_target(&part.base, target));
        let xml = target.zip(self.package.as_deref_mut()).and_then(|(target, package)| package.read(&target).ok());
        let Some(xml) = xml else {
            return self.placeholder(rect, "a chart whose part is missing".into());
        };
        let Some(figure) = self.canvas.add_figure(rect[2] - rect[0], rect[3] - rect[1]) else { return };
        let missing = ooxml::chart::show(&xml, self.theme, ooxml::chart::Host::Slide, None, self.painter, self.canvas, figure);
        self.canvas.image(self.page, figure, rect);
        self.missing.extend(missing);
    }

    /// A SmartArt diagram from its cached drawing part (`dsp:drawing`), whose shapes sit in
    /// the frame's coordinates. False when the diagram has no cached drawing.
    fn diagram(&mut self, data_rid: &str, part: &PartModel, [x, y, _, _]: Frame) -> bool {
        if self.missing.len() > MAX_DIAGRAMS * 4 {
            return false;
        }
        let Some(package) = self.package.as_deref_mut() else { return false };
        match ooxml::diagram_drawing(package, &part.rels, &part.base, data_rid) {
            Some(path) => self.diagram_part(&path, (x, y)),
            None => false,
        }
    }

    /// Draws the shapes of a diagram's drawing part at `path`, offset by `origin`.
    pub(super) fn diagram_part(&mut self, path: &str, (x, y): (f32, f32)) -> bool {
        let Some(package) = self.package.as_deref_mut() else { return false };
        let Ok(xml) = package.read(path) else { return false };
        let rels = package.read(&ooxml::rels_name(path)).map(|x| ooxml::relationships_by_id(&x)).unwrap_or_default();
        let base = path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
        let mut drawing = PartModel { rels, base, show_master_shapes: true, ..Default::default() };
        parse_part(&xml, self.theme, &mut drawing);
        for mut shape in std::mem::take(&mut drawing.shapes) {
            // Diagrams inside diagrams are not followed.
            shape.diagram = None;
            shape.frame = shape.frame.map(|[sx, sy, sw, sh]| [x + sx, y + sy, sw, sh]);
            self.shape(&shape, None, &drawing);
        }
        true
    }

    /// The picture `rid` names, for a frame of `size` points.
    pub(super) fn image(&mut self, rid: &str, part: &PartModel, size: Option<(f32, f32)>) -> Option<ImageRef> {
        if *self.images >= MAX_IMAGES {
            return None;
        }
        *self.images += 1;
        let bytes = match part.pictures.get(rid) {
            Some(bytes) => bytes.to_vec(),
            None => {
                let target = part.rels.get(rid)?;
                self.package.as_deref_mut()?.read(&ooxml::resolve_target(&part.base, target)).ok()?
            }
        };
        match crate::layout::metafile::picture(&bytes, self.painter, self.canvas, size) {
            Ok(image) => Some(image),
            Err(what) => {
                // A placeholder of the frame's size, named.
                let (w, h) = size?;
                let figure = self.canvas.add_figure(w, h)?;
                placeholder::draw(self.painter, self.canvas, figure, what);
                self.missing.push(what.into());
                Some(figure)
            }
        }
    }
}

/// The space above the `i`th block of a text box: none above the first, as LibreOffice
/// sets slide text (its space before is measured from the paragraph above).
fn space_before(i: usize, block: &Block) -> f32 {
    if i == 0 {
        0.0
    } else {
        block.space_before
    }
}

/// A colour with full opacity.
pub(super) fn opaque([r, g, b]: Rgb) -> [u8; 4] {
    [r, g, b, 255]
}
