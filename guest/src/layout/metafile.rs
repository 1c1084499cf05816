//! EMF and WMF pictures (Windows metafiles, MS-EMF and MS-WMF), the usual form of charts
//! and clip art pasted into Office files from older systems, drawn into a figure of the
//! paint layer:
//! polylines, polygons and Bézier curves (32- and 16-bit), rectangles, rounded rectangles
//! and ellipses, paths, pens, brushes and stock objects, text (`EXTTEXTOUTW`) in its font,
//! size, colour and alignment, bitmaps (`STRETCHDIBITS`, `BITBLT`, `STRETCHBLT`,
//! `ALPHABLEND`; WMF `STRETCHDIB`, `DIBSTRETCHBLT`) with their source boxes and the
//! transparency of masking raster operations, saved and restored states, and
//! the mapping from logical units through the world transform, window and viewport to the
//! picture's frame. EMF+ records are skipped: Office writes EMF records beside them; an
//! EMF+-only picture reports that it drew nothing, and gets a placeholder. WMF records
//! (with or without the placeable header) are played by the same player, their window
//! stretched over the figure.
//!
//! Everything is bounded: records, objects, points and text per picture.

use crate::layout::paint::{Align, Block, Canvas, ImageRef, Painter, Rgb, ShapeKind, SpanStyle, Stroke, Surface};

/// The map mode a WMF is drawn in: its window stretched over the figure.
const WMF_WINDOW: u32 = 100;
/// Most records read, objects kept, points drawn and characters shown in one picture.
const MAX_RECORDS: usize = 200_000;
const MAX_OBJECTS: usize = 10_000;
const MAX_POINTS: usize = 1_000_000;
const MAX_TEXT: usize = 100_000;

/// A picture as the paint layer shows it: a decoded bitmap, or an EMF drawn into a figure
/// of `size` points (its own frame's size when `None`). Otherwise what it is, for a
/// placeholder and the report.
pub fn picture(bytes: &[u8], painter: &mut Painter, canvas: &mut Canvas, size: Option<(f32, f32)>) -> Result<ImageRef, &'static str> {
    if let Some(decoded) = crate::layout::embedded_image::decode(bytes) {
        return canvas.add_image(decoded.rgba, decoded.width, decoded.height).ok_or("a picture too large to draw");
    }
    let kind = crate::layout::embedded_image::undrawn_kind(bytes);
    if Header::read(bytes).is_none() && wmf_records(bytes).is_none() {
        return Err(kind);
    }
    let Some((w, h)) = size.or_else(|| emf_size(bytes)).or_else(|| wmf_size(bytes)) else { return Err(kind) };
    let figure = canvas.add_figure(w, h).ok_or(kind)?;
    if draw_emf(bytes, painter, canvas, figure) || draw_wmf(bytes, painter, canvas, figure) {
        Ok(figure)
    } else {
        canvas.discard_figure(figure);
        Err(kind)
    }
}

/// Draws an EMF or WMF into a figure reserved for it, or a placeholder naming what the
/// bytes are when they do not draw; returns that name when nothing of the picture is shown.
pub fn draw_or_placeholder(bytes: &[u8], painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef) -> Option<&'static str> {
    if draw_emf(bytes, painter, canvas, figure) || draw_wmf(bytes, painter, canvas, figure) {
        return None;
    }
    let what = crate::layout::embedded_image::undrawn_kind(bytes);
    crate::layout::placeholder::draw(painter, canvas, figure, what);
    Some(what)
}

/// The picture frame of an EMF, in points, when the bytes are an EMF.
pub fn emf_size(bytes: &[u8]) -> Option<(f32, f32)> {
    let header = Header::read(bytes)?;
    let (w, h) = (header.frame[2] - header.frame[0], header.frame[3] - header.frame[1]);
    // The frame is in hundredths of a millimetre.
    let points = |v: i32| (v as f32 / 100.0 / 25.4 * 72.0).abs();
    Some((points(w).clamp(1.0, 5000.0), points(h).clamp(1.0, 5000.0))).filter(|(w, h)| *w > 1.0 && *h > 1.0)
}

struct Header {
    /// The picture frame in hundredths of a millimetre: left, top, right, bottom.
    frame: [i32; 4],
    /// The reference device in pixels and millimetres.
    device: (i32, i32),
    millimeters: (i32, i32),
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn i32_at(b: &[u8], at: usize) -> Option<i32> {
    u32_at(b, at).map(|v| v as i32)
}

fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    Some(i16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn f32_at(b: &[u8], at: usize) -> Option<f32> {
    u32_at(b, at).map(f32::from_bits).filter(|v| v.is_finite())
}

impl Header {
    fn read(b: &[u8]) -> Option<Header> {
        if u32_at(b, 0)? != 1 || b.get(40..44)? != b" EMF" {
            return None;
        }
        let rect = |at: usize| Some([i32_at(b, at)?, i32_at(b, at + 4)?, i32_at(b, at + 8)?, i32_at(b, at + 12)?]);
        Some(Header { frame: rect(24)?, device: (i32_at(b, 72)?, i32_at(b, 76)?), millimeters: (i32_at(b, 80)?, i32_at(b, 84)?) })
    }
}

#[derive(Clone, Copy)]
enum Object {
    Pen(Option<Stroke>),
    Brush(Option<Rgb>),
    Font { height: f32, bold: bool, italic: bool, face: [u16; 32] },
}

/// The drawing state `SAVEDC` keeps.
#[derive(Clone, Copy)]
struct State {
    pen: Option<Stroke>,
    brush: Option<Rgb>,
    font: Option<Object>,
    text_color: Rgb,
    text_align: u32,
    map_mode: u32,
    window_org: (f32, f32),
    window_ext: (f32, f32),
    viewport_org: (f32, f32),
    viewport_ext: (f32, f32),
    /// The world transform: a, b, c, d, e, f.
    world: [f32; 6],
    position: (f32, f32),
    /// The clipping region as a box in figure points (regions and clip paths as their
    /// bounds); `None` for the whole picture.
    clip: Option<[f32; 4]>,
}

/// The box around `points`.
fn bounds(points: impl Iterator<Item = (f32, f32)>) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for (x, y) in points.filter(|(x, y)| x.is_finite() && y.is_finite()) {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    if b[0] > b[2] {
        [0.0; 4]
    } else {
        b
    }
}

fn colorref(v: u32) -> Rgb {
    [(v & 0xFF) as u8, ((v >> 8) & 0xFF) as u8, ((v >> 16) & 0xFF) as u8]
}

/// Draws an EMF into `figure`; false when the bytes are not an EMF this reader can use.
pub fn draw_emf(bytes: &[u8], painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef) -> bool {
    let (Some(header), Some(on), Some((width, height))) = (Header::read(bytes), figure.surface(), canvas.figure_size(figure)) else { return false };
    // Device pixels per hundredth of a millimetre, and the frame in device pixels.
    let px_x = header.device.0 as f32 / (header.millimeters.0 as f32 * 100.0);
    let px_y = header.device.1 as f32 / (header.millimeters.1 as f32 * 100.0);
    if !(px_x.is_finite() && px_y.is_finite() && px_x > 0.0 && px_y > 0.0) {
        return false;
    }
    let frame = header.frame.map(|v| v as f32);
    let (fx, fy) = (frame[0] * px_x, frame[1] * px_y);
    let (fw, fh) = ((frame[2] - frame[0]) * px_x, (frame[3] - frame[1]) * px_y);
    if !(fw.abs() >= 1e-3 && fh.abs() >= 1e-3) {
        return false;
    }
    let mut player = Player::new(painter, canvas, on, (fx, fy, width / fw, height / fh), (width, height), (px_x * 100.0, px_y * 100.0));
    player.canvas.clip(on, [0.0, 0.0, width, height]);
    let mut at = 0usize;
    for _ in 0..MAX_RECORDS {
        let (Some(kind), Some(size)) = (u32_at(bytes, at), u32_at(bytes, at + 4)) else { break };
        let size = size as usize;
        if size < 8 || !size.is_multiple_of(4) {
            break;
        }
        let Some(record) = at.checked_add(size).and_then(|end| bytes.get(at..end)) else { break };
        if kind == 14 || !player.record(kind, record) {
            break;
        }
        at += size;
    }
    player.close_clip();
    player.canvas.end_clip(on);
    // An EMF+ picture whose EMF records draw nothing is not shown, and says so.
    player.drew || !player.emf_plus
}

/// A figure of a path: its points and whether it is closed.
type PathFigure = (Vec<(f32, f32)>, bool);

struct Player<'a> {
    painter: &'a mut Painter,
    canvas: &'a mut Canvas,
    on: Surface,
    /// Device to figure: frame origin in device pixels, and points per device pixel.
    to_figure: (f32, f32, f32, f32),
    /// The figure's size in points.
    figure: (f32, f32),
    px_per_mm: (f32, f32),
    state: State,
    saved: Vec<State>,
    objects: Vec<Option<Object>>,
    /// The figures of the path being defined (`BEGINPATH` .. `ENDPATH`).
    path: Option<Vec<PathFigure>>,
    points: usize,
    text: usize,
    /// Whether anything was drawn (an EMF+ picture without EMF records draws nothing).
    drew: bool,
    /// Whether EMF+ records were seen.
    emf_plus: bool,
    /// Whether the canvas has a clip of the picture's own open.
    clip_open: bool,
}

impl<'a> Player<'a> {
    fn new(painter: &'a mut Painter, canvas: &'a mut Canvas, on: Surface, to_figure: (f32, f32, f32, f32), figure: (f32, f32), px_per_mm: (f32, f32)) -> Self {
        Player {
            painter,
            canvas,
            on,
            to_figure,
            figure,
            px_per_mm,
            state: State {
                pen: Some(([0, 0, 0], 1.0)),
                brush: Some([255, 255, 255]),
                font: None,
                text_color: [0, 0, 0],
                text_align: 0,
                map_mode: 1,
                window_org: (0.0, 0.0),
                window_ext: (1.0, 1.0),
                viewport_org: (0.0, 0.0),
                viewport_ext: (1.0, 1.0),
                world: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                position: (0.0, 0.0),
                clip: None,
            },
            clip_open: false,
            saved: Vec::new(),
            objects: Vec::new(),
            path: None,
            points: 0,
            text: 0,
            drew: false,
            emf_plus: false,
        }
    }

    /// SAVEDC: keeps the drawing state (at most 1 000 deep).
    fn save(&mut self) {
        if self.saved.len() < 1_000 {
            self.saved.push(self.state);
        }
    }

    /// RESTOREDC: back to the state saved at depth `keep`, clip included, dropping the
    /// states saved after it.
    fn restore(&mut self, keep: usize) {
        if keep < self.saved.len() {
            self.state = self.saved[keep];
            self.saved.truncate(keep);
            self.apply_clip();
        }
    }

    /// Makes `clip` the clipping region, intersected with the current one when `and`.
    fn set_clip(&mut self, clip: Option<[f32; 4]>, and: bool) {
        let clip = match (clip, self.state.clip) {
            (Some(a), Some(b)) if and => {
                let (l, t) = (a[0].max(b[0]), a[1].max(b[1]));
                Some([l, t, a[2].min(b[2]).max(l), a[3].min(b[3]).max(t)])
            }
            _ => clip,
        };
        self.state.clip = clip;
        self.apply_clip();
    }

    /// Puts the state's clipping region on the canvas, ending the one before.
    fn apply_clip(&mut self) {
        self.close_clip();
        if let Some(clip) = self.state.clip {
            self.canvas.clip(self.on, clip);
            self.clip_open = true;
        }
    }

    /// Ends the picture's own clip (before the picture ends).
    fn close_clip(&mut self) {
        if self.clip_open {
            self.canvas.end_clip(self.on);
            self.clip_open = false;
        }
    }

    /// The box around logical corners `[l, t, r, b]`, in figure points.
    fn logical_box(&self, [l, t, r, b]: [f32; 4]) -> [f32; 4] {
        let corners = [self.map((l, t)), self.map((r, t)), self.map((r, b)), self.map((l, b))];
        bounds(corners.into_iter())
    }

    /// A logical point in figure points.
    fn map(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let s = &self.state;
        let [a, b, c, d, e, f] = s.world;
        let (wx, wy) = (a * x + c * y + e, b * x + d * y + f);
        let (dx, dy) = match s.map_mode {
            // Anisotropic and isotropic: the window onto the viewport.
            7 | 8 => {
                let sx = if s.window_ext.0 != 0.0 { s.viewport_ext.0 / s.window_ext.0 } else { 1.0 };
                let sy = if s.window_ext.1 != 0.0 { s.viewport_ext.1 / s.window_ext.1 } else { 1.0 };
                ((wx - s.window_org.0) * sx + s.viewport_org.0, (wy - s.window_org.1) * sy + s.viewport_org.1)
            }
            // Physical units, y up.
            2..=6 => {
                let per_mm = match s.map_mode {
                    2 => 10.0,
                    3 => 100.0,
                    4 => 100.0 / 25.4,
                    5 => 1000.0 / 25.4,
                    _ => 1440.0 / 25.4,
                };
                ((wx - s.window_org.0) * self.px_per_mm.0 / per_mm + s.viewport_org.0, -(wy - s.window_org.1) * self.px_per_mm.1 / per_mm + s.viewport_org.1)
            }
            // A WMF: its window onto the whole figure.
            WMF_WINDOW => {
                let (w, h) = self.figure;
                let ex = if s.window_ext.0 != 0.0 { s.window_ext.0 } else { 1.0 };
                let ey = if s.window_ext.1 != 0.0 { s.window_ext.1 } else { 1.0 };
                return ((wx - s.window_org.0) / ex * w, (wy - s.window_org.1) / ey * h);
            }
            _ => (wx - s.window_org.0 + s.viewport_org.0, wy - s.window_org.1 + s.viewport_org.1),
        };
        let (ox, oy, sx, sy) = self.to_figure;
        ((dx - ox) * sx, (dy - oy) * sy)
    }

    /// How long a logical length is in figure points (for pen widths and font sizes).
    fn scale(&self, length: f32) -> f32 {
        let (a, b) = self.map((0.0, 0.0));
        let (c, d) = self.map((0.0, length));
        ((c - a).powi(2) + (d - b).powi(2)).sqrt()
    }

    fn take_points(&mut self, n: usize) -> bool {
        self.points = self.points.saturating_add(n);
        self.points <= MAX_POINTS
    }

    /// Points of a record: `count` points from `at`, 16- or 32-bit.
    fn points_at(&mut self, r: &[u8], at: usize, count: usize, short: bool) -> Option<Vec<(f32, f32)>> {
        if !self.take_points(count) {
            return None;
        }
        let step = if short { 4 } else { 8 };
        if r.len() < at + count.checked_mul(step)? {
            return None;
        }
        Some(
            (0..count)
                .map(|i| {
                    let p = at + i * step;
                    let xy = if short {
                        (f32::from(i16_at(r, p).unwrap_or(0)), f32::from(i16_at(r, p + 2).unwrap_or(0)))
                    } else {
                        (i32_at(r, p).unwrap_or(0) as f32, i32_at(r, p + 4).unwrap_or(0) as f32)
                    };
                    self.map(xy)
                })
                .collect(),
        )
    }

    fn stroke(&self) -> Option<Stroke> {
        self.state.pen.map(|(c, w)| (c, self.scale(w).max(0.25)))
    }

    /// Draws (or adds to the path being defined) a figure of points.
    fn figure(&mut self, points: Vec<(f32, f32)>, closed: bool) {
        if let Some(path) = self.path.as_mut() {
            path.push((points, closed));
            return;
        }
        let fill = if closed { self.state.brush } else { None };
        let stroke = self.stroke();
        self.canvas.path(self.on, points, closed, fill, stroke);
        self.drew = true;
    }

    /// The figures of one poly-polygon or poly-polyline record. Polygons are filled together
    /// with the even-odd rule (the alternate fill mode, the default), so that one inside
    /// another is a hole, then outlined one by one.
    fn figures(&mut self, figures: Vec<Vec<(f32, f32)>>, closed: bool) {
        if !closed || self.path.is_some() {
            for points in figures {
                self.figure(points, closed);
            }
            return;
        }
        if let Some(brush) = self.state.brush {
            self.canvas.area(self.on, figures.clone(), brush, 255);
        }
        let stroke = self.stroke();
        if stroke.is_some() {
            for points in figures {
                self.canvas.path(self.on, points, true, None, stroke);
            }
        }
        self.drew = true;
    }

    fn shape(&mut self, kind: ShapeKind, r: &[u8]) {
        let (Some(l), Some(t), Some(rt), Some(b)) = (i32_at(r, 8), i32_at(r, 12), i32_at(r, 16), i32_at(r, 20)) else { return };
        self.box_shape(kind, [l as f32, t as f32, rt as f32, b as f32]);
    }

    /// A rectangle, rounded rectangle or ellipse over a box in logical units.
    fn box_shape(&mut self, kind: ShapeKind, [l, t, r, b]: [f32; 4]) {
        let (x0, y0) = self.map((l, t));
        let (x1, y1) = self.map((r, b));
        let stroke = self.stroke();
        self.canvas.shape(self.on, kind, [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)], self.state.brush, stroke);
        self.drew = true;
    }

    fn select(&mut self, handle: u32) {
        if handle & 0x8000_0000 != 0 {
            match handle & 0x7FFF_FFFF {
                0 => self.state.brush = Some([255, 255, 255]),
                1 => self.state.brush = Some([192, 192, 192]),
                2 => self.state.brush = Some([128, 128, 128]),
                3 => self.state.brush = Some([64, 64, 64]),
                4 => self.state.brush = Some([0, 0, 0]),
                5 => self.state.brush = None,
                6 => self.state.pen = Some(([255, 255, 255], 0.0)),
                7 => self.state.pen = Some(([0, 0, 0], 0.0)),
                8 => self.state.pen = None,
                _ => {}
            }
            return;
        }
        match self.objects.get(handle as usize).copied().flatten() {
            Some(Object::Pen(pen)) => self.state.pen = pen,
            Some(Object::Brush(brush)) => self.state.brush = brush,
            Some(font @ Object::Font { .. }) => self.state.font = Some(font),
            None => {}
        }
    }

    fn keep(&mut self, handle: u32, object: Object) {
        let i = handle as usize;
        if i < MAX_OBJECTS {
            if self.objects.len() <= i {
                self.objects.resize(i + 1, None);
            }
            self.objects[i] = Some(object);
        }
    }

    fn text_out(&mut self, r: &[u8]) -> Option<()> {
        // EMRTEXT after bounds (16), graphics mode and scales (12).
        let (x, y) = (i32_at(r, 36)? as f32, i32_at(r, 40)? as f32);
        let chars = (u32_at(r, 44)? as usize).min(MAX_TEXT);
        let offset = u32_at(r, 48)? as usize;
        let raw = r.get(offset..offset.checked_add(chars * 2)?)?;
        let units: Vec<u16> = raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        self.put_text(String::from_utf16_lossy(&units), (x, y))
    }

    /// Text at a logical point, in the selected font, colour and alignment.
    fn put_text(&mut self, text: String, (x, y): (f32, f32)) -> Option<()> {
        self.text = self.text.saturating_add(text.len());
        if self.text > MAX_TEXT || text.trim().is_empty() {
            return None;
        }
        let (height, bold, italic, face) = match self.state.font {
            Some(Object::Font { height, bold, italic, face }) => (height, bold, italic, face),
            _ => (12.0, false, false, [0; 32]),
        };
        let family = String::from_utf16_lossy(&face[..face.iter().position(|c| *c == 0).unwrap_or(32)]);
        // A negative height is the characters' height; a positive one the cell's.
        let size = (self.scale(height.abs()) * if height < 0.0 { 1.0 } else { 0.85 }).clamp(1.0, 400.0);
        let style = SpanStyle {
            family: if family.is_empty() { "Arial".into() } else { family },
            size,
            bold,
            italic,
            color: self.state.text_color,
            ..Default::default()
        };
        let laid = self.painter.text(self.canvas, &Block { spans: vec![(text, style)], align: Align::Start, line_height: 1.0, ..Default::default() }, None);
        let (px, py) = if self.state.text_align & 1 != 0 { self.map(self.state.position) } else { self.map((x, y)) };
        let align = self.state.text_align;
        let left = match align & 6 {
            6 => px - laid.width / 2.0,
            2 => px - laid.width,
            _ => px,
        };
        let top = match align & 24 {
            24 => py - size * 0.9,
            8 => py - laid.height(),
            _ => py,
        };
        self.canvas.text(self.on, &laid, left, top);
        self.drew = true;
        Some(())
    }

    /// EMF bitmap records: `STRETCHDIBITS` (81; its source measured from the bitmap's
    /// lower-left corner, as GDI reads a bottom-up DIB), and `BITBLT` (76), `STRETCHBLT`
    /// (77) and `ALPHABLEND` (114; its blend function where the others have a raster
    /// operation), copied from a device context (measured from the top). A block transfer
    /// without a bitmap paints with a brush, which is not drawn.
    fn bitmap(&mut self, kind: u32, r: &[u8]) -> Option<()> {
        let at = |o: usize| i32_at(r, o);
        let (dest, source, rop, bmi_at, from_bottom) = match kind {
            81 => {
                let (x, y) = (at(24)?, at(28)?);
                ([x, y, at(72)?, at(76)?], [at(32)?, at(36)?, at(40)?, at(44)?], u32_at(r, 68)?, 48, true)
            }
            _ => {
                let dest = [at(24)?, at(28)?, at(32)?, at(36)?];
                let (cx, cy) = if kind != 76 { (at(100)?, at(104)?) } else { (dest[2], dest[3]) };
                let rop = if kind == 114 { ALPHA_BLEND } else { u32_at(r, 40)? };
                (dest, [at(44)?, at(48)?, cx, cy], rop, 84, false)
            }
        };
        let (off_bmi, cb_bmi, off_bits, cb_bits) =
            (u32_at(r, bmi_at)? as usize, u32_at(r, bmi_at + 4)? as usize, u32_at(r, bmi_at + 8)? as usize, u32_at(r, bmi_at + 12)? as usize);
        if cb_bmi == 0 {
            return None;
        }
        let bmi = r.get(off_bmi..off_bmi.checked_add(cb_bmi)?)?;
        let bits = r.get(off_bits..off_bits.checked_add(cb_bits)?)?;
        let [x, y, cx, cy] = dest.map(|v| v as f32);
        self.dib(bmi, bits, [x, y, x + cx, y + cy], Blit { source, from_bottom, rop })
    }

    /// Draws a packed bitmap (its header and palette in `info`) over the logical box
    /// `[l, t, r, b]`: the part of it in `blit.source`, with the raster operation's
    /// transparency.
    fn dib(&mut self, info: &[u8], bits: &[u8], [l, t, r, b]: [f32; 4], blit: Blit) -> Option<()> {
        let decoded = match if blit.rop == ALPHA_BLEND { with_alpha(info, bits) } else { None } {
            Some(decoded) => decoded,
            None => {
                // A BMP file around the bitmap.
                let mut file = Vec::with_capacity(14 + info.len() + bits.len());
                file.extend_from_slice(b"BM");
                file.extend_from_slice(&((14 + info.len() + bits.len()) as u32).to_le_bytes());
                file.extend_from_slice(&[0; 4]);
                file.extend_from_slice(&((14 + info.len()) as u32).to_le_bytes());
                file.extend_from_slice(info);
                file.extend_from_slice(bits);
                crate::layout::embedded_image::decode(&file)?
            }
        };
        // A core header's bitmap is always stored bottom-up; an info header's unless its
        // height is negative.
        let bottom_up = u32_at(info, 0) == Some(12) || i32_at(info, 8).is_some_and(|h| h > 0);
        // A bitmap shrunk as it was decoded is copied whole.
        let stored_width =
            if u32_at(info, 0) == Some(12) { i16_at(info, 4).map_or(0, |w| u32::from(w.unsigned_abs())) } else { i32_at(info, 4).unwrap_or(0).unsigned_abs() };
        let blit = if stored_width == decoded.width { blit } else { Blit { source: [0; 4], ..blit } };
        let (rgba, width, height) = blit.apply(decoded, bottom_up)?;
        let image = self.canvas.add_image(rgba, width, height)?;
        let (x0, y0) = self.map((l, t));
        let (x1, y1) = self.map((r, b));
        self.canvas.image(self.on, image, [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]);
        self.drew = true;
        Some(())
    }

    /// Plays one record; false to stop.
    fn record(&mut self, kind: u32, r: &[u8]) -> bool {
        let u = |at: usize| u32_at(r, at).unwrap_or(0);
        let i = |at: usize| i32_at(r, at).unwrap_or(0) as f32;
        match kind {
            // Poly records: bounds, then count and points.
            2..=6 | 85..=89 => {
                let short = kind >= 85;
                let count = u(24) as usize;
                let Some(mut points) = self.points_at(r, 28, count, short) else { return self.points <= MAX_POINTS };
                let op = if short { kind - 83 } else { kind };
                if matches!(op, 2 | 5) {
                    if op == 5 {
                        points.insert(0, self.map(self.state.position));
                    }
                    points = flatten_beziers(&points);
                } else if op == 6 {
                    points.insert(0, self.map(self.state.position));
                }
                if matches!(op, 5 | 6) && count > 0 {
                    // The current position moves to the last point, kept in logical units.
                    let at = 28 + (count.saturating_sub(1)) * if short { 4 } else { 8 };
                    self.state.position =
                        if short { (f32::from(i16_at(r, at).unwrap_or(0)), f32::from(i16_at(r, at + 2).unwrap_or(0))) } else { (i(at), i(at + 4)) };
                }
                if matches!(op, 5 | 6) {
                    if let Some(path) = self.path.as_mut() {
                        match path.last_mut() {
                            Some((figure, false)) => figure.extend(points.into_iter().skip(1)),
                            _ => path.push((points, false)),
                        }
                        return true;
                    }
                }
                self.figure(points, op == 3);
            }
            // Poly-poly records: bounds, polygon count, point count, counts, points.
            7 | 8 | 90 | 91 => {
                let short = kind >= 90;
                let (polys, total) = (u(24) as usize, u(28) as usize);
                if polys > 100_000 || r.len() < 32 + polys * 4 {
                    return true;
                }
                let counts: Vec<usize> = (0..polys).map(|k| u(32 + k * 4) as usize).collect();
                let Some(points) = self.points_at(r, 32 + polys * 4, total, short) else { return self.points <= MAX_POINTS };
                let closed = matches!(kind, 8 | 91);
                let mut rest = points.as_slice();
                let mut figures = Vec::with_capacity(counts.len());
                for &n in &counts {
                    let n = n.min(rest.len());
                    figures.push(rest[..n].to_vec());
                    rest = &rest[n..];
                }
                self.figures(figures, closed);
            }
            9 => self.state.window_ext = (i(8), i(12)),
            10 => self.state.window_org = (i(8), i(12)),
            11 => self.state.viewport_ext = (i(8), i(12)),
            12 => self.state.viewport_org = (i(8), i(12)),
            17 => self.state.map_mode = u(8),
            22 => self.state.text_align = u(8),
            24 => self.state.text_color = colorref(u(8)),
            27 => self.state.position = (i(8), i(12)),
            54 => {
                let from = self.map(self.state.position);
                self.state.position = (i(8), i(12));
                let to = self.map(self.state.position);
                match self.path.as_mut() {
                    Some(path) => match path.last_mut() {
                        Some((figure, false)) => figure.push(to),
                        _ => path.push((vec![from, to], false)),
                    },
                    None => {
                        if let Some(stroke) = self.stroke() {
                            self.canvas.line(self.on, from, to, stroke);
                            self.drew = true;
                        }
                    }
                }
            }
            33 => self.save(),
            34 => {
                let back = i32_at(r, 8).unwrap_or(-1);
                let keep = if back < 0 {
                    self.saved.len().saturating_sub(back.unsigned_abs() as usize)
                } else {
                    (back as usize).saturating_sub(1).min(self.saved.len())
                };
                self.restore(keep);
            }
            30 => {
                // INTERSECTCLIPRECT, in logical units.
                let clip = self.logical_box([i(8), i(12), i(16), i(20)]);
                self.set_clip(Some(clip), true);
            }
            75 => {
                // EXTSELECTCLIPRGN: a region in device units, as its bounds; none resets.
                let (size, mode) = (u(8), u(12));
                let (ox, oy, sx, sy) = self.to_figure;
                let device = |x: f32, y: f32| ((x - ox) * sx, (y - oy) * sy);
                if size == 0 && mode == 5 {
                    self.set_clip(None, false);
                } else if size >= 32 && matches!(mode, 1 | 5) {
                    let corners = [device(i(32), i(36)), device(i(40), i(44))];
                    self.set_clip(Some(bounds(corners.into_iter())), mode == 1);
                }
            }
            67 => {
                // SELECTCLIPPATH: the path's bounds.
                let mode = u(8);
                let figures = self.path.take().unwrap_or_default();
                let points: Vec<(f32, f32)> = figures.into_iter().flat_map(|(p, _)| p).collect();
                if !points.is_empty() && matches!(mode, 1 | 5) {
                    self.set_clip(Some(bounds(points.into_iter())), mode == 1);
                }
            }
            35 => {
                if let Some(m) = (0..6).map(|k| f32_at(r, 8 + k * 4)).collect::<Option<Vec<_>>>() {
                    self.state.world = [m[0], m[1], m[2], m[3], m[4], m[5]];
                }
            }
            36 => {
                let Some(m) = (0..6).map(|k| f32_at(r, 8 + k * 4)).collect::<Option<Vec<_>>>() else { return true };
                let w = self.state.world;
                match u(32) {
                    1 => self.state.world = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                    // Left-multiply: the new transform applies first.
                    2 => self.state.world = compose([m[0], m[1], m[2], m[3], m[4], m[5]], w),
                    3 => self.state.world = compose(w, [m[0], m[1], m[2], m[3], m[4], m[5]]),
                    4 => self.state.world = [m[0], m[1], m[2], m[3], m[4], m[5]],
                    _ => {}
                }
            }
            37 => self.select(u(8)),
            38 => {
                let (style, width, color) = (u(12), i(16), colorref(u(24)));
                self.keep(u(8), Object::Pen((style & 0xF != 5).then_some((color, width))));
            }
            95 => {
                // After the handle and the offsets and sizes of a pattern bitmap: LogPenEx.
                let (style, width, color) = (u(28), u(32) as f32, colorref(u(40)));
                self.keep(u(8), Object::Pen((style & 0xF != 5).then_some((color, width))));
            }
            39 => {
                let (style, color) = (u(12), colorref(u(16)));
                self.keep(u(8), Object::Brush((style != 1).then_some(color)));
            }
            40 => {
                if let Some(slot) = self.objects.get_mut(u(8) as usize) {
                    *slot = None;
                }
            }
            82 => {
                let height = i(12);
                let weight = i32_at(r, 28).unwrap_or(400);
                let italic = r.get(32).is_some_and(|v| *v != 0);
                let mut face = [0u16; 32];
                for (k, slot) in face.iter_mut().enumerate() {
                    *slot = r.get(40 + k * 2..42 + k * 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
                }
                self.keep(u(8), Object::Font { height, bold: weight >= 600, italic, face });
            }
            42 => self.shape(ShapeKind::Ellipse, r),
            43 => self.shape(ShapeKind::Rect, r),
            44 => self.shape(ShapeKind::RoundRect, r),
            59 => self.path = Some(Vec::new()),
            61 => {
                if let Some((_, closed)) = self.path.as_mut().and_then(|p| p.last_mut()) {
                    *closed = true;
                }
            }
            62..=64 => {
                // Fill, stroke and fill, stroke the path defined.
                let figures = self.path.take().unwrap_or_default();
                let fill = if kind != 64 { self.state.brush } else { None };
                let stroke = if kind != 62 { self.stroke() } else { None };
                for (points, closed) in figures {
                    self.canvas.path(self.on, points, closed || fill.is_some(), fill, stroke);
                    self.drew = true;
                }
            }
            60 => {}
            84 => {
                let _ = self.text_out(r);
            }
            70 => self.emf_plus |= u(12) == 0x2B46_4D45,
            76 | 77 | 81 | 114 => {
                let _ = self.bitmap(kind, r);
            }
            _ => {}
        }
        true
    }
}

/// The size of a WMF in points, from its placeable header (`0x9AC6CDD7`); `None` for a
/// WMF without one (its size is not known) or bytes that are not a WMF.
pub fn wmf_size(bytes: &[u8]) -> Option<(f32, f32)> {
    if u32_at(bytes, 0)? != 0x9AC6_CDD7 {
        return None;
    }
    let (l, t, r, b) = (i16_at(bytes, 6)?, i16_at(bytes, 8)?, i16_at(bytes, 10)?, i16_at(bytes, 12)?);
    let inch = f32::from(u16::from_le_bytes(bytes.get(14..16)?.try_into().ok()?));
    if inch <= 0.0 {
        return None;
    }
    let size = |a: i16, b: i16| (f32::from(b) - f32::from(a)).abs() / inch * 72.0;
    Some((size(l, r).clamp(1.0, 5000.0), size(t, b).clamp(1.0, 5000.0))).filter(|(w, h)| *w > 1.0 && *h > 1.0)
}

/// Where a WMF's records start: after its placeable header, if any, and its META_HEADER
/// (type 1 or 2, nine words long). `None` for bytes that are not a WMF.
fn wmf_records(bytes: &[u8]) -> Option<usize> {
    let base = if u32_at(bytes, 0)? == 0x9AC6_CDD7 { 22 } else { 0 };
    let word = |at: usize| bytes.get(at..at + 2).map(|w| u16::from_le_bytes([w[0], w[1]]));
    (matches!(word(base)?, 1 | 2) && word(base + 2)? == 9).then_some(base + 18)
}

/// Draws a WMF (with a placeable header, or a bare one as RTF holds) into `figure`: its window, or else its bounding
/// box, stretched over the figure. False when the bytes are not a WMF this reader can use.
pub fn draw_wmf(bytes: &[u8], painter: &mut Painter, canvas: &mut Canvas, figure: ImageRef) -> bool {
    let (Some(on), Some((width, height)), Some(mut at)) = (figure.surface(), canvas.figure_size(figure), wmf_records(bytes)) else { return false };
    let mut player = Player::new(painter, canvas, on, (0.0, 0.0, 1.0, 1.0), (width, height), (1.0, 1.0));
    player.state.map_mode = WMF_WINDOW;
    if wmf_size(bytes).is_some() {
        // Until the WMF sets its window: the placeable header's bounding box.
        let (l, t, r, b) = (i16_at(bytes, 6).unwrap_or(0), i16_at(bytes, 8).unwrap_or(0), i16_at(bytes, 10).unwrap_or(0), i16_at(bytes, 12).unwrap_or(0));
        player.state.window_org = (f32::from(l), f32::from(t));
        player.state.window_ext = (f32::from(r) - f32::from(l), f32::from(b) - f32::from(t));
    }
    player.canvas.clip(on, [0.0, 0.0, width, height]);
    for _ in 0..MAX_RECORDS {
        let (Some(words), Some(function)) = (u32_at(bytes, at), bytes.get(at + 4..at + 6).map(|f| u16::from_le_bytes([f[0], f[1]]))) else { break };
        let size = (words as usize).saturating_mul(2);
        let Some(record) = (size >= 6).then(|| at.checked_add(size).and_then(|end| bytes.get(at..end))).flatten() else { break };
        if function == 0 || !player.wmf_record(function, record) {
            break;
        }
        at += size;
    }
    player.close_clip();
    player.canvas.end_clip(on);
    true
}

impl Player<'_> {
    /// A free slot of the WMF object table: the lowest unused index.
    fn wmf_keep(&mut self, object: Option<Object>) {
        let slot = self.objects.iter().position(Option::is_none).unwrap_or(self.objects.len());
        if slot < MAX_OBJECTS {
            if slot == self.objects.len() {
                self.objects.push(None);
            }
            // Objects not drawn with (palettes, regions) still take their slot.
            self.objects[slot] = Some(object.unwrap_or(Object::Brush(None)));
        }
    }

    /// Plays one WMF record; false to stop.
    fn wmf_record(&mut self, function: u16, r: &[u8]) -> bool {
        let w = |k: usize| f32::from(i16_at(r, 6 + k * 2).unwrap_or(0));
        let word = |k: usize| u16::from_le_bytes([r.get(6 + k * 2).copied().unwrap_or(0), r.get(7 + k * 2).copied().unwrap_or(0)]);
        let color = |k: usize| colorref(u32_at(r, 6 + k * 2).unwrap_or(0));
        match function {
            0x020B => self.state.window_org = (w(1), w(0)),
            0x020C => self.state.window_ext = (w(1), w(0)),
            0x0209 => self.state.text_color = color(0),
            0x012E => self.state.text_align = u32::from(word(0)),
            0x0214 => self.state.position = (w(1), w(0)),
            0x0213 => {
                let from = self.map(self.state.position);
                self.state.position = (w(1), w(0));
                let to = self.map(self.state.position);
                if let Some(stroke) = self.stroke() {
                    self.canvas.line(self.on, from, to, stroke);
                    self.drew = true;
                }
            }
            0x0325 | 0x0324 => {
                let count = usize::from(word(0));
                let Some(points) = self.points_at(r, 8, count, true) else { return self.points <= MAX_POINTS };
                self.figure(points, function == 0x0324);
            }
            0x0538 => {
                let polys = usize::from(word(0));
                let counts: Vec<usize> = (0..polys.min(10_000)).map(|k| usize::from(word(1 + k))).collect();
                let mut at = 8 + polys * 2;
                let mut figures = Vec::with_capacity(counts.len());
                for n in counts {
                    let Some(points) = self.points_at(r, at, n, true) else { return self.points <= MAX_POINTS };
                    figures.push(points);
                    at += n * 4;
                }
                self.figures(figures, true);
            }
            0x041B => self.box_shape(ShapeKind::Rect, [w(3), w(2), w(1), w(0)]),
            0x0418 => self.box_shape(ShapeKind::Ellipse, [w(3), w(2), w(1), w(0)]),
            0x061C => self.box_shape(ShapeKind::RoundRect, [w(5), w(4), w(3), w(2)]),
            0x012D => {
                let handle = usize::from(word(0));
                match self.objects.get(handle).copied().flatten() {
                    Some(Object::Pen(pen)) => self.state.pen = pen,
                    Some(Object::Brush(brush)) => self.state.brush = brush,
                    Some(font @ Object::Font { .. }) => self.state.font = Some(font),
                    None => {}
                }
            }
            0x01F0 => {
                if let Some(slot) = self.objects.get_mut(usize::from(word(0))) {
                    *slot = None;
                }
            }
            0x02FA => self.wmf_keep(Some(Object::Pen((word(0) & 0xF != 5).then(|| (color(3), w(1)))))),
            0x02FC => self.wmf_keep(Some(Object::Brush((word(0) != 1).then(|| color(1))))),
            0x02FB => {
                let mut face = [0u16; 32];
                for (k, slot) in face.iter_mut().enumerate() {
                    match r.get(24 + k).copied() {
                        Some(0) | None => break,
                        Some(c) => *slot = u16::from(c),
                    }
                }
                let italic = r.get(16).is_some_and(|v| *v != 0);
                self.wmf_keep(Some(Object::Font { height: w(0), bold: w(4) >= 600.0, italic, face }));
            }
            // Palettes, pattern brushes and regions take a slot too.
            0x00F7 | 0x01F9 | 0x0142 | 0x06FF => self.wmf_keep(None),
            0x001E => self.save(),
            0x0127 => {
                let back = i16_at(r, 6).unwrap_or(-1);
                let keep = if back < 0 { self.saved.len().saturating_sub(usize::from(back.unsigned_abs())) } else { self.saved.len().saturating_sub(1) };
                self.restore(keep);
            }
            0x0416 => {
                // INTERSECTCLIPRECT: bottom, right, top, left.
                let clip = self.logical_box([w(3), w(2), w(1), w(0)]);
                self.set_clip(Some(clip), true);
            }
            0x0521 => {
                let length = usize::from(word(0));
                let Some(text) = r.get(8..8 + length) else { return true };
                let at = 8 + length.next_multiple_of(2);
                let (y, x) = (i16_at(r, at).unwrap_or(0), i16_at(r, at + 2).unwrap_or(0));
                let _ = self.put_text(encoding_rs::WINDOWS_1252.decode(text).0.into_owned(), (f32::from(x), f32::from(y)));
            }
            0x0A32 => {
                let (y, x, length, options) = (w(0), w(1), usize::from(word(2)), word(3));
                let start = 14 + if options & 6 != 0 { 8 } else { 0 };
                let Some(text) = r.get(start..start + length) else { return true };
                let _ = self.put_text(encoding_rs::WINDOWS_1252.decode(text).0.into_owned(), (x, y));
            }
            // STRETCHDIB (source from the bitmap's lower-left corner) and DIBSTRETCHBLT
            // (from a device context's top): the raster operation, the source and
            // destination boxes, then a packed bitmap.
            0x0F43 | 0x0B41 => {
                let stretch_dib = function == 0x0F43;
                let (first, dib) = if stretch_dib { (3, 28) } else { (2, 26) };
                let rop = u32::from(word(0)) | u32::from(word(1)) << 16;
                let source = [w(first + 3), w(first + 2), w(first + 1), w(first)].map(|v| v as i32);
                let (dh, dw, dy, dx) = (w(first + 4), w(first + 5), w(first + 6), w(first + 7));
                if let Some(packed) = r.get(dib..) {
                    let bits_at = dib_bits_offset(packed);
                    if let Some(at) = bits_at.filter(|at| *at <= packed.len()) {
                        let blit = Blit { source, from_bottom: stretch_dib, rop };
                        let _ = self.dib(&packed[..at], &packed[at..], [dx, dy, dx + dw, dy + dh], blit);
                    }
                }
            }
            _ => {}
        }
        true
    }
}

/// How a bitmap record copies its bitmap: the source box `[x, y, width, height]` in the
/// bitmap's pixels (measured from its lower-left corner when `from_bottom` and the bitmap
/// is stored bottom-up), and the raster operation.
struct Blit {
    source: [i32; 4],
    from_bottom: bool,
    rop: u32,
}

/// Raster operations whose result depends on what is under the bitmap: ANDed, its white
/// leaves the page as it is; ORed or XORed, its black does. Together they draw icons and
/// masked pictures (the mask ANDed, then the picture XORed over it), shown here with
/// those pixels transparent.
const SRCAND: u32 = 0x0088_00C6;
const SRCPAINT: u32 = 0x00EE_0086;
const SRCINVERT: u32 = 0x0066_0046;
/// Not a raster operation: `ALPHABLEND`'s mark, for a bitmap drawn with its own alpha.
const ALPHA_BLEND: u32 = u32::MAX;

/// A 32-bit bitmap (no compression, or bit fields) with its fourth byte as alpha, as
/// `ALPHABLEND` draws it: colours premultiplied, so they are divided back out. A bitmap
/// whose alpha is zero everywhere is opaque (as writers that leave it unset mean).
fn with_alpha(info: &[u8], bits: &[u8]) -> Option<crate::layout::embedded_image::Decoded> {
    if u32_at(info, 0)? < 40 || u16::from_le_bytes(info.get(14..16)?.try_into().ok()?) != 32 || !matches!(u32_at(info, 16)?, 0 | 3) {
        return None;
    }
    let (width, height) = (i32_at(info, 4)?.unsigned_abs(), i32_at(info, 8)?);
    let rows = height.unsigned_abs();
    if width == 0 || rows == 0 || u64::from(width) * u64::from(rows) > 16 << 20 {
        return None;
    }
    let stride = width as usize * 4;
    let pixels = bits.get(..stride * rows as usize)?;
    let opaque = pixels.chunks_exact(4).all(|p| p[3] == 0);
    let mut rgba = Vec::with_capacity(pixels.len());
    for row in 0..rows as usize {
        // Bottom-up unless the height is negative.
        let stored = if height > 0 { rows as usize - 1 - row } else { row };
        for p in pixels[stored * stride..(stored + 1) * stride].chunks_exact(4) {
            let alpha = if opaque { 255 } else { p[3] };
            let undo = |c: u8| if alpha == 0 || opaque { c } else { (u32::from(c) * 255 / u32::from(alpha)).min(255) as u8 };
            rgba.extend_from_slice(&[undo(p[2]), undo(p[1]), undo(p[0]), alpha]);
        }
    }
    Some(crate::layout::embedded_image::Decoded { rgba, width, height: rows })
}

impl Blit {
    /// The part of the bitmap copied, with the pixels the raster operation leaves alone
    /// transparent; `None` when nothing of it is copied.
    fn apply(&self, decoded: crate::layout::embedded_image::Decoded, bottom_up: bool) -> Option<(Vec<u8>, u32, u32)> {
        let (width, height) = (decoded.width as i64, decoded.height as i64);
        let [sx, sy, sw, sh] = self.source.map(i64::from);
        // A source box that is empty or outside the bitmap copies all of it, as the
        // pictures that write a zero source box expect.
        let (sx, sw) = if sw <= 0 || sx < 0 || sx + sw > width { (0, width) } else { (sx, sw) };
        let (sy, sh) = if sh <= 0 || sy < 0 || sy + sh > height { (0, height) } else { (sy, sh) };
        let top = if self.from_bottom && bottom_up { height - sy - sh } else { sy };
        let mut rgba = Vec::with_capacity((sw * sh * 4) as usize);
        for row in top..top + sh {
            let start = ((row * width + sx) * 4) as usize;
            rgba.extend_from_slice(decoded.rgba.get(start..start + (sw * 4) as usize)?);
        }
        let clear: Option<fn(&[u8]) -> bool> = match self.rop {
            SRCAND => Some(|p| p[..3].iter().all(|&c| c >= 0xF8)),
            SRCPAINT | SRCINVERT => Some(|p| p[..3].iter().all(|&c| c <= 0x07)),
            _ => None,
        };
        if let Some(clear) = clear {
            for pixel in rgba.chunks_exact_mut(4).filter(|p| clear(p)) {
                pixel[3] = 0;
            }
        }
        Some((rgba, sw as u32, sh as u32))
    }
}

/// Where the bits of a packed bitmap start: after its header, colour masks and palette.
fn dib_bits_offset(packed: &[u8]) -> Option<usize> {
    let header = u32_at(packed, 0)? as usize;
    if !(12..=1024).contains(&header) {
        return None;
    }
    if header == 12 {
        let bits = usize::from(u16::from_le_bytes(packed.get(10..12)?.try_into().ok()?));
        return Some(12 + if bits <= 8 { (1 << bits) * 3 } else { 0 });
    }
    let bits = usize::from(u16::from_le_bytes(packed.get(14..16)?.try_into().ok()?));
    let compression = u32_at(packed, 16)?;
    let used = u32_at(packed, 32)? as usize;
    let colors = if used > 0 {
        used.min(256)
    } else if bits <= 8 {
        1 << bits
    } else {
        0
    };
    let masks = if compression == 3 && header == 40 { 12 } else { 0 };
    Some(header + masks + colors * 4)
}

/// The product of two transforms: `first` applied, then `then`.
fn compose(first: [f32; 6], then: [f32; 6]) -> [f32; 6] {
    let [a1, b1, c1, d1, e1, f1] = first;
    let [a2, b2, c2, d2, e2, f2] = then;
    [a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2, e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2]
}

/// Cubic Bézier segments (a start point, then three points per curve) as a polyline.
fn flatten_beziers(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let Some(&start) = points.first() else { return Vec::new() };
    let mut out = vec![start];
    let mut p0 = start;
    for c in points[1..].chunks_exact(3) {
        let (p1, p2, p3) = (c[0], c[1], c[2]);
        for step in 1..=12 {
            let t = step as f32 / 12.0;
            let u = 1.0 - t;
            let (a, b, cc, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push((a * p0.0 + b * p1.0 + cc * p2.0 + d * p3.0, a * p0.1 + b * p1.1 + cc * p2.1 + d * p3.1));
        }
        p0 = p3;
    }
    out
}
