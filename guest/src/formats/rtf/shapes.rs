//! Drawing shapes (`\shp`): rectangles, ellipses, lines and text boxes placed over the
//! page, with their fill (solid or shaded), outline and picture, as Word and LibreOffice
//! write their floating frames, text boxes and pictures.
//!
//! A shape's instructions (`\shpinst`) give its rectangle in twips (`\shpleft`...), what
//! that is measured from (`\shpbxpage`, `\shpbypara`..., or the `posrelh`/`posrelv`
//! properties), how text wraps around it (`\shpwr`), and its properties by name
//! (`{\sp{\sn fillColor}{\sv 255}}`): those of [MS-ODRAW], read as Word 97's drawing
//! layer reads them. Its text (`\shptxt`) is laid out inside it.

use crate::layout::paint::{Align, Canvas, Float, FloatFrom, Flow, Gradient, ImageRef, Place, Rgb, ShapeKind, Wrap};

/// EMUs in a point: OfficeArt lengths (line widths, text insets, wrap distances).
const EMU_PER_POINT: f32 = 12_700.0;

/// A shape being read.
#[derive(Debug, Default)]
pub struct Shape {
    /// The group depth of its `\shp`.
    pub depth: usize,
    /// Left, top, right, bottom in twips.
    pub rect: [i32; 4],
    /// What `rect` is measured from across and down, when the instructions say.
    pub from_x: Option<FloatFrom>,
    pub from_y: Option<FloatFrom>,
    /// `\shpwrN`: 1 above and below, 2 and 4 around, 3 none.
    pub wrap: i32,
    /// Its properties, by name, as numbers (the rest are not read).
    props: Vec<(&'static str, i64)>,
    /// The picture it shows (`pib`), with its size in points.
    pub picture: Option<(ImageRef, f32, f32)>,
}

/// The properties read, with their names.
const NAMES: &[&str] = &[
    "shapeType",
    "fillColor",
    "fillBackColor",
    "fillType",
    "fFilled",
    "fillAngle",
    "fillFocus",
    "lineColor",
    "lineWidth",
    "fLine",
    "posh",
    "posrelh",
    "posv",
    "posrelv",
    "dxTextLeft",
    "dyTextTop",
    "dxTextRight",
    "dyTextBottom",
    "dxWrapDistLeft",
    "dyWrapDistTop",
    "dxWrapDistRight",
    "dyWrapDistBottom",
    "fHidden",
    "fFlipH",
    "fFlipV",
];

impl Shape {
    pub fn new(depth: usize) -> Self {
        Shape { depth, wrap: 2, ..Default::default() }
    }

    /// A property read as `name` = `value`; those not drawn are ignored.
    pub fn property(&mut self, name: &str, value: &str) {
        let Some(&name) = NAMES.iter().find(|n| **n == name) else { return };
        let Ok(value) = value.trim().parse::<i64>() else { return };
        self.props.retain(|p| p.0 != name);
        self.props.push((name, value));
    }

    fn value(&self, name: &str) -> Option<i64> {
        self.props.iter().find(|p| p.0 == name).map(|p| p.1)
    }

    fn on(&self, name: &str, default: bool) -> bool {
        self.value(name).map_or(default, |v| v != 0)
    }

    /// An OfficeArt colour property: its own bytes (0x00BBGGRR); scheme and system colours
    /// are unknown here.
    fn color(&self, name: &str) -> Option<Rgb> {
        let v = self.value(name)?;
        let [r, g, b, flags, ..] = v.to_le_bytes();
        (flags == 0 && (0..=0xFF_FFFF).contains(&v)).then_some([r, g, b])
    }

    /// An EMU length property in points.
    fn length(&self, name: &str, default: f32) -> f32 {
        self.value(name).map_or(default, |v| (v as f32 / EMU_PER_POINT).clamp(0.0, 1_000.0))
    }

    /// The float the shape is, holding `items` (its text), drawing its frame into a new
    /// figure of `canvas` when it is not a plain rectangle; `None` for a hidden shape.
    pub fn float(&self, items: Vec<Flow>, canvas: &mut Canvas) -> Option<Float> {
        if self.on("fHidden", false) {
            return None;
        }
        let [left, top, right, bottom] = self.rect.map(|t| (t as f32 / 20.0).clamp(-20_000.0, 20_000.0));
        let (width, height) = ((right - left).abs(), (bottom - top).abs());
        let kind = self.value("shapeType").unwrap_or(1);
        let is_line = matches!(kind, 20 | 32..=40);
        let mut items = items;
        let picture_only = items.is_empty() && self.picture.is_some();
        if let Some((image, w, h)) = self.picture {
            // A picture fills its shape's frame; a frame without a size takes the picture's.
            let (w, h) = if width >= 1.0 && height >= 1.0 { (width, height) } else { (w, h) };
            items.insert(0, Flow::Image { image, width: w, height: h, align: Align::Start });
        }
        let mut float = Float::new(items, width.max(1.0));
        float.height = (height >= 1.0 || is_line).then_some(height.max(0.5));
        // Across: the instructions' reference, else posrelh (0 margin, 1 page, 2 column,
        // 3 character); down: else posrelv (0 margin, 1 page, 2 paragraph, 3 line).
        float.from_x = self.from_x.unwrap_or(match self.value("posrelh") {
            Some(1) => FloatFrom::Page,
            Some(0) => FloatFrom::Margin,
            _ => FloatFrom::Here,
        });
        float.from_y = self.from_y.unwrap_or(match self.value("posrelv") {
            Some(0) => FloatFrom::Margin,
            Some(1) => FloatFrom::Page,
            _ => FloatFrom::Here,
        });
        let aligned = |position: Option<i64>| match position {
            Some(1 | 4) => Some(Place::Align(Align::Start)),
            Some(2) => Some(Place::Align(Align::Center)),
            Some(3 | 5) => Some(Place::Align(Align::End)),
            _ => None,
        };
        float.x = aligned(self.value("posh")).unwrap_or(Place::At(left.min(right)));
        float.y = aligned(self.value("posv")).unwrap_or(Place::At(top.min(bottom)));
        float.wrap = match self.wrap {
            1 => Wrap::TopBottom,
            3 => Wrap::None,
            _ => Wrap::Around,
        };
        float.gap =
            [self.length("dyWrapDistTop", 0.0), self.length("dxWrapDistLeft", 9.0), self.length("dyWrapDistBottom", 0.0), self.length("dxWrapDistRight", 9.0)];
        float.inset = [self.length("dyTextTop", 3.6), self.length("dxTextLeft", 7.2), self.length("dyTextBottom", 3.6), self.length("dxTextRight", 7.2)];
        if picture_only {
            float.inset = [0.0; 4];
        }
        self.frame(float, (width, height), picture_only, canvas)
    }

    /// Gives `float` (the shape's place, `width` by `height` points) the shape's look: a
    /// plain filled rectangle as the float's own fill and outline; any other outline, a
    /// line or a shaded fill drawn into a new figure of `canvas` stretched over its box.
    /// `picture_only`: the shape shows a picture, whose frame is drawn only when its
    /// properties turn it on.
    pub fn frame(&self, mut float: Float, (width, height): (f32, f32), picture_only: bool, canvas: &mut Canvas) -> Option<Float> {
        let [left, top, right, bottom] = self.rect.map(|t| (t as f32 / 20.0).clamp(-20_000.0, 20_000.0));
        let kind = self.value("shapeType").unwrap_or(1);
        let is_line = matches!(kind, 20 | 32..=40);
        // Fill and outline: on unless turned off, but a picture's only when turned on.
        let filled = self.on("fFilled", !picture_only) && !is_line;
        let fill = filled.then(|| self.color("fillColor").unwrap_or([255, 255, 255]));
        let outline = self.on("fLine", !picture_only).then(|| (self.color("lineColor").unwrap_or([0, 0, 0]), self.length("lineWidth", 0.75).clamp(0.1, 50.0)));
        let shaded = matches!(self.value("fillType"), Some(4..=8));
        let geometry = match kind {
            3 => Some(ShapeKind::Ellipse),
            2 => Some(ShapeKind::RoundRect),
            _ => None,
        };
        if !shaded && geometry.is_none() && !is_line {
            float.fill = fill;
            float.outline = outline;
            return Some(float);
        }
        // Anything else is drawn into a figure stretched over the float's box.
        let (w, h) = (width.max(1.0), height.max(1.0));
        let figure = canvas.add_figure(w, h)?;
        let on = figure.surface()?;
        let rect = [0.0, 0.0, w, h];
        if is_line {
            let (flip_h, flip_v) = (self.on("fFlipH", false) != (right < left), self.on("fFlipV", false) != (bottom < top));
            let (x0, x1) = if flip_h { (w, 0.0) } else { (0.0, w) };
            let (y0, y1) = if flip_v { (h, 0.0) } else { (0.0, h) };
            if let Some(stroke) = outline {
                canvas.line(on, (x0, y0), (x1, y1), stroke);
            }
        } else {
            let kind = geometry.unwrap_or(ShapeKind::Rect);
            match fill {
                Some(color) if shaded => {
                    let (colors, gradient) = self.gradient(color);
                    canvas.gradient(
                        on,
                        kind.clone(),
                        rect,
                        ([colors.0[0], colors.0[1], colors.0[2], 255], [colors.1[0], colors.1[1], colors.1[2], 255]),
                        gradient,
                    );
                    canvas.shape(on, kind, rect, None, outline);
                }
                _ => canvas.shape(on, kind, rect, fill, outline),
            }
        }
        float.picture = Some(figure);
        Some(float)
    }

    /// A shaded fill's colours in order and direction, as LibreOffice shows them
    /// (measured): without a focus from the back colour at the top to the fill colour at
    /// the bottom; with a focus of 100 the other way; of 50 the fill colour at both edges
    /// and the back colour in the middle.
    fn gradient(&self, color: Rgb) -> ((Rgb, Rgb), Gradient) {
        let back = self.color("fillBackColor").unwrap_or([255, 255, 255]);
        let angle = self.value("fillAngle").map_or(0.0, |a| (a as i32 as f32 / 65_536.0).clamp(-360.0, 360.0));
        let linear = |axial| Gradient::Linear { angle, axial, border: 0.0 };
        match self.value("fillFocus").unwrap_or(0) {
            50 | -50 => ((color, back), linear(true)),
            f if f.abs() > 50 => ((color, back), linear(false)),
            _ => ((back, color), linear(false)),
        }
    }
}
