//! OfficeArt drawings in PowerPoint 97-2003 ([MS-ODRAW]): shape containers with their
//! type, anchor and property table (fill, outline, text box, picture), groups with their
//! child coordinates, freeform outlines, the background shape, and the pictures of the
//! blip store. Each becomes a shape of the shared slide model.

use docsandbox_protocol::bytes::{u16_at, u32_at};

use super::super::model::{Frame, GroupTransform, PartModel, ShapeModel};
use super::records::*;
use super::text::{MasterStyles, TextBody, OTHER};
use crate::layout::paint::{Gradient, Rgb};

/// Deepest nesting of groups followed.
const MAX_GROUP_DEPTH: usize = 16;
/// Most shapes read from one slide or master.
const MAX_SHAPES: usize = 5_000;
/// Most points of one freeform outline.
const MAX_POINTS: usize = 20_000;
/// Master units (576 to the inch) per point.
const UNITS_PER_POINT: f32 = 8.0;
const EMU_PER_POINT: f32 = 12_700.0;

/// What reading a drawing needs: the colour scheme, the document's default shape
/// properties, the pictures, the master's text styles and fonts, and the slide's outline
/// texts (that placeholders refer to by index).
pub(super) struct Art<'a, 'b> {
    pub(super) scheme: [Rgb; 8],
    pub(super) defaults: &'b Properties<'a>,
    pub(super) blips: &'b mut Blips<'a>,
    pub(super) styles: &'b MasterStyles,
    pub(super) fonts: &'b [String],
    pub(super) outline: &'b [TextBody],
    /// The master's shapes' properties, by shape id: a shape that names one of them as
    /// its master (`hspMaster`) takes its properties under its own.
    masters: Option<&'b ShapeProperties<'a>>,
    /// Shapes that are not drawn, for the report.
    pub(super) missing: Vec<String>,
    /// Each shape's properties (over its own master's), by shape id, for the slides
    /// drawn over this drawing.
    pub(super) properties: ShapeProperties<'a>,
    shapes: usize,
}

/// Shapes' properties, by shape id.
pub(super) type ShapeProperties<'a> = std::collections::HashMap<u32, Properties<'a>>;

impl<'a, 'b> Art<'a, 'b> {
    pub(super) fn new(
        scheme: [Rgb; 8],
        defaults: &'b Properties<'a>,
        blips: &'b mut Blips<'a>,
        styles: &'b MasterStyles,
        fonts: &'b [String],
        outline: &'b [TextBody],
    ) -> Self {
        Art { scheme, defaults, blips, styles, fonts, outline, masters: None, missing: Vec::new(), properties: Default::default(), shapes: 0 }
    }

    /// Reads the drawing over the shapes of its master's drawing, if it has a master.
    pub(super) fn over(mut self, masters: Option<&'b ShapeProperties<'a>>) -> Self {
        self.masters = masters;
        self
    }

    /// Reads a PPDrawing record into `part`: its background shape and its shape tree.
    pub(super) fn drawing(&mut self, drawing: Record<'a>, part: &mut PartModel) {
        let Some(dg) = drawing.child(DG_CONTAINER) else { return };
        for child in dg.children() {
            match child.kind {
                SPGR_CONTAINER => self.group(child, None, 0, part),
                SP_CONTAINER => self.background(child, part),
                _ => {}
            }
        }
    }

    fn background(&mut self, container: Record<'a>, part: &mut PartModel) {
        let props = shape_properties(container);
        let value = |pid: u16| props.get(&pid).map(|v| v.0);
        let color = value(0x0181).and_then(|c| self.colour(c)).unwrap_or([255, 255, 255]);
        match value(0x0180).unwrap_or(0) {
            2 | 3 => {
                if let Some(name) = value(0x0186).and_then(|pib| self.picture(pib, part)) {
                    part.background_image = Some(name);
                    part.background_tiled = value(0x0180) == Some(2);
                }
                part.background = Some(color);
            }
            4..=8 => {
                let (colors, gradient, _) = self.gradient(&props, color);
                part.background = Some(color);
                part.background_gradient = Some((colors, gradient));
            }
            _ => part.background = Some(color),
        }
    }

    /// A group container: its own shape (first) gives the child coordinate space.
    fn group(&mut self, container: Record<'a>, parent: Option<GroupTransform>, depth: usize, part: &mut PartModel) {
        let mut transform = parent;
        for (i, child) in container.children().enumerate() {
            if self.shapes >= MAX_SHAPES {
                return;
            }
            match child.kind {
                SP_CONTAINER if i == 0 => {
                    let rect = child.child(FSPGR).and_then(|r| rect32(r.body, false));
                    if let (Some(frame), Some([l, t, w, h])) = (anchor(child, parent), rect) {
                        let [x, y, gw, gh] = frame;
                        transform = Some(GroupTransform { off: (x, y), ext: (gw, gh), ch_off: (l, t), ch_ext: (w, h) });
                    }
                }
                SP_CONTAINER => {
                    self.shapes += 1;
                    if let Some(shape) = self.shape(child, transform, part) {
                        part.shapes.push(shape);
                    }
                }
                SPGR_CONTAINER if depth < MAX_GROUP_DEPTH => self.group(child, transform, depth + 1, part),
                _ => {}
            }
        }
    }

    fn shape(&mut self, container: Record<'a>, transform: Option<GroupTransform>, part: &mut PartModel) -> Option<ShapeModel> {
        let fsp = container.child(FSP)?;
        let flags = u32_at(fsp.body, 4).unwrap_or(0);
        if flags & 0x408 != 0 {
            // Deleted, or a background.
            return None;
        }
        let kind = fsp.instance;
        let mut own = shape_properties(container);
        // Under its own properties, those of the master shape it names (`hspMaster`), as
        // the placeholders PowerPoint writes on slides take their fill and outline from
        // the master's: then the document's defaults.
        let master = own.get(&0x0301).filter(|_| flags & 0x20 != 0).and_then(|m| self.masters?.get(&m.0));
        if let Some(master) = master {
            own = master.iter().map(|(k, v)| (*k, *v)).chain(own).collect();
        }
        let mut props = self.defaults.clone();
        props.extend(own.iter().map(|(k, v)| (*k, *v)));
        if let Some(id) = u32_at(fsp.body, 0) {
            self.properties.insert(id, own);
        }
        let value = |pid: u16| props.get(&pid).map(|v| v.0);
        let rotation = value(0x0004).map_or(0.0, |r| r as i32 as f32 / 65_536.0);
        let mut frame = anchor(container, transform);
        // Turned nearer a quarter than a half turn, a shape's anchor holds its box turned
        // by 90 degrees about the centre ([MS-ODRAW] 2.2.1 rotation).
        if (rotation.rem_euclid(360.0) + 45.0).rem_euclid(180.0) >= 90.0 {
            frame = frame.map(|[x, y, w, h]| [x + (w - h) / 2.0, y + (h - w) / 2.0, h, w]);
        }
        let mut shape = ShapeModel { frame, flip: (flags & 0x40 != 0, flags & 0x80 != 0), font_scale: 1.0, rotation, ..Default::default() };
        let placeholder = container.child(CLIENT_DATA).and_then(|d| d.child(PLACEHOLDER_ATOM)).and_then(|p| p.body.get(4).copied());
        if let Some(kind) = placeholder.filter(|&k| k != 0) {
            let name = match kind {
                1 | 3 | 13 | 15 | 17 => "title",
                7 => "dt",
                8 => "sldNum",
                9 => "ftr",
                10 => "hdr",
                _ => "body",
            };
            shape.placeholder = Some((name.into(), None));
        }
        let text_box = kind == 202 || placeholder.is_some_and(|k| k != 0);
        let picture = kind == 75 || flags & 0x10 != 0;
        // A rounded rectangle whose corners are a few hundredths of its short side (of
        // 21 600) is drawn square: LibreOffice writes its rectangles so.
        let square = kind == 2 && value(0x0147).is_some_and(|a| a < 720);
        shape.geometry = geometry(if square { 1 } else { kind }).map(str::to_owned);
        if kind == 0 || (shape.geometry.is_none() && props.contains_key(&0x0145)) {
            shape.path = path(&props);
        } else if shape.geometry.is_none() {
            shape.geometry = Some("rect".into());
        }
        // Fill: on unless the shape (or the document's defaults) turn it off; text boxes,
        // placeholders and pictures only when their properties turn it on.
        let filled = switch(value(0x01BF), 0x10).unwrap_or(!(text_box || picture) && self.default_on(0x01BF, 0x10));
        if filled {
            let color = value(0x0181).map_or(Some(self.scheme[4]), |c| self.colour(c));
            match value(0x0180).unwrap_or(0) {
                2 | 3 => shape.image = value(0x0186).and_then(|pib| self.picture(pib, part)),
                4..=8 => {
                    let color = color.unwrap_or([255, 255, 255]);
                    let (colors, gradient, alpha) = self.gradient(&props, color);
                    shape.fill = Some(color);
                    shape.gradient = Some((colors, gradient));
                    shape.gradient_alpha = Some(alpha);
                }
                9 => {}
                _ => shape.fill = color,
            }
            shape.fill_alpha = value(0x0182).filter(|&o| o < 0x1_0000).map(|o| (o >> 8) as u8);
        }
        let lined = switch(value(0x01FF), 0x08).unwrap_or(!(text_box || picture) && self.default_on(0x01FF, 0x08));
        if lined {
            let color = value(0x01C0).map_or(Some(self.scheme[1]), |c| self.colour(c));
            let width = value(0x01CB).map_or(0.75, |w| (w as f32 / EMU_PER_POINT).clamp(0.1, 100.0));
            shape.line = color.map(|c| (c, width));
        }
        shape.no_line = shape.line.is_none();
        if let Some(pib) = value(0x0104).filter(|_| picture) {
            shape.image = self.picture(pib, part);
            if shape.image.is_none() && flags & 0x10 != 0 {
                shape.missing = Some("an embedded object without its preview picture".into());
            }
        }
        // Text wrapping: lines run unwrapped when wrapping is off and the shape grows to
        // fit its text (as LibreOffice reads it: otherwise the box still wraps).
        shape.no_wrap = value(0x0085) == Some(2) && switch(value(0x00BF), 0x02) == Some(true);
        shape.anchor = value(0x0087).map(|a| {
            match a {
                1 | 4 => "ctr",
                2 | 5 => "b",
                _ => "t",
            }
            .into()
        });
        if let Some(body) = container.child(CLIENT_TEXTBOX).and_then(|t| self.text(t)) {
            shape.paragraphs = body.paragraphs(self.styles, &self.scheme, self.fonts);
        }
        Some(shape)
    }

    /// The text of a shape's client text box: its own atoms, or the outline text it refers
    /// to by index.
    fn text(&self, container: Record) -> Option<TextBody> {
        let mut body = TextBody { text_type: OTHER, ..Default::default() };
        let mut found = false;
        for record in container.children() {
            match record.kind {
                TEXT_HEADER_ATOM => body.text_type = u32_at(record.body, 0).map_or(OTHER, |t| t.min(8) as u16),
                TEXT_CHARS_ATOM | TEXT_BYTES_ATOM => {
                    body.set_chars(&record);
                    found = true;
                }
                STYLE_TEXT_PROP_ATOM if found => body.styles(record.body),
                OUTLINE_TEXT_REF_ATOM => return u32_at(record.body, 0).and_then(|i| self.outline.get(i as usize)).cloned(),
                _ => {}
            }
        }
        found.then_some(body)
    }

    /// Whether the document's default properties turn a boolean on (absent: on).
    fn default_on(&self, pid: u16, bit: u32) -> bool {
        switch(self.defaults.get(&pid).map(|v| v.0), bit).unwrap_or(true)
    }

    /// An OfficeArtCOLORREF: its own bytes, or a scheme index; system colours are unknown.
    fn colour(&self, value: u32) -> Option<Rgb> {
        let [r, g, b, flags] = value.to_le_bytes();
        if flags & 0x08 != 0 {
            Some(self.scheme[usize::from(r).min(7)])
        } else if flags & 0x10 != 0 {
            None
        } else {
            Some([r, g, b])
        }
    }

    /// A shaded fill: from the fill colour to the back colour along its angle; a focus
    /// of 100 runs the other way, of ±50 out from the middle.
    /// Also returns the two colours' opacities (fill and back opacity), in the same order.
    /// Shading out from the centre or the shape's outline goes from the fill colour at the
    /// edge to the back colour in the middle; "shaped" shading is drawn radial.
    fn gradient(&self, props: &Properties, color: Rgb) -> ((Rgb, Rgb), Gradient, (u8, u8)) {
        let value = |pid: u16| props.get(&pid).map(|v| v.0);
        let back = value(0x0183).and_then(|c| self.colour(c)).unwrap_or([255, 255, 255]);
        let angle = value(0x018B).map_or(0.0, |a| a as i32 as f32 / 65536.0);
        let focus = value(0x018C).map_or(0, |f| f as i32);
        let alpha = |pid: u16| value(pid).map_or(255, |o| (o.min(0x1_0000) >> 8).min(255) as u8);
        let (fill_alpha, back_alpha) = (alpha(0x0182), alpha(0x0184));
        let linear = |axial| Gradient::Linear { angle, axial, border: 0.0 };
        match (value(0x0180), focus) {
            (Some(5 | 6), _) => ((color, back), Gradient::Radial { cx: 0.5, cy: 0.5, border: 0.0 }, (fill_alpha, back_alpha)),
            (_, 50 | -50) => ((back, color), linear(true), (back_alpha, fill_alpha)),
            (_, f) if !(-50..=50).contains(&f) => ((back, color), linear(false), (back_alpha, fill_alpha)),
            _ => ((color, back), linear(false), (fill_alpha, back_alpha)),
        }
    }

    /// A blip by 1-based index, made one of the part's pictures; its name. A blip that
    /// cannot be found is reported.
    fn picture(&mut self, index: u32, part: &mut PartModel) -> Option<String> {
        let name = format!("blip{index}");
        if !part.pictures.contains_key(&name) {
            let Some(picture) = self.blips.get(index) else {
                let what = format!("a picture that cannot be read (picture {index} of the picture store)");
                if !self.missing.contains(&what) {
                    self.missing.push(what);
                }
                return None;
            };
            part.pictures.insert(name.clone(), picture);
        }
        Some(name)
    }
}

/// A shape's frame in points: its client anchor on the slide (master units), or its
/// child anchor in its group's coordinates.
fn anchor(container: Record, transform: Option<GroupTransform>) -> Option<Frame> {
    if let (Some(child), Some(t)) = (container.child(CHILD_ANCHOR), transform) {
        return rect32(child.body, false).map(|f| t.apply(f));
    }
    let client = container.child(CLIENT_ANCHOR)?;
    let [x, y, w, h] = if client.body.len() >= 16 {
        rect32(client.body, true)?
    } else {
        let v = |i: usize| u16_at(client.body, i * 2).map(|v| f32::from(v as i16));
        let (top, left, right, bottom) = (v(0)?, v(1)?, v(2)?, v(3)?);
        [left, top, right - left, bottom - top]
    };
    Some([x / UNITS_PER_POINT, y / UNITS_PER_POINT, w / UNITS_PER_POINT, h / UNITS_PER_POINT])
}

/// Four 32-bit values as x, y, width, height: left, top, right, bottom, or (`top_first`)
/// top, left, right, bottom.
fn rect32(body: &[u8], top_first: bool) -> Option<Frame> {
    let v = |i: usize| u32_at(body, i * 4).map(|v| v as i32 as f32);
    let (a, b, right, bottom) = (v(0)?, v(1)?, v(2)?, v(3)?);
    let (left, top) = if top_first { (b, a) } else { (a, b) };
    Some([left, top, right - left, bottom - top]).filter(|f| f.iter().all(|v| v.is_finite()))
}

/// The preset geometry of a shape type ([MS-ODRAW] 2.4.24 MSOSPT): the DrawingML preset
/// of the same shape; None for a freeform.
fn geometry(kind: u16) -> Option<&'static str> {
    Some(match kind {
        1 | 75 | 202 => "rect",
        2 => "roundRect",
        3 => "ellipse",
        4 => "diamond",
        5 => "triangle",
        6 => "rtTriangle",
        7 => "parallelogram",
        8 => "trapezoid",
        9 => "hexagon",
        10 => "octagon",
        11 => "plus",
        12 => "star5",
        13 | 14 => "rightArrow",
        15 => "homePlate",
        16 => "cube",
        21 => "plaque",
        22 => "can",
        23 => "donut",
        53 => "ribbon",
        54 => "ribbon2",
        55 => "chevron",
        56 => "pentagon",
        57 => "noSmoking",
        58 => "star8",
        59 => "star16",
        60 => "star32",
        61 => "wedgeRectCallout",
        62 => "wedgeRoundRectCallout",
        63 => "wedgeEllipseCallout",
        64 => "wave",
        65 => "foldedCorner",
        66 => "leftArrow",
        67 => "downArrow",
        68 => "upArrow",
        69 => "leftRightArrow",
        70 => "upDownArrow",
        71 => "irregularSeal1",
        72 => "irregularSeal2",
        73 => "lightningBolt",
        74 => "heart",
        76 => "quadArrow",
        84 => "bevel",
        92 => "star24",
        94 => "notchedRightArrow",
        96 => "smileyFace",
        106 => "cloudCallout",
        109 => "flowChartProcess",
        110 => "flowChartDecision",
        111 => "flowChartInputOutput",
        112 => "flowChartPredefinedProcess",
        113 => "flowChartInternalStorage",
        114 => "flowChartDocument",
        115 => "flowChartMultidocument",
        116 => "flowChartTerminator",
        117 => "flowChartPreparation",
        118 => "flowChartManualInput",
        119 => "flowChartManualOperation",
        120 => "flowChartConnector",
        121 => "flowChartPunchedCard",
        123 => "flowChartSummingJunction",
        124 => "flowChartOr",
        125 => "flowChartCollate",
        126 => "flowChartSort",
        127 => "flowChartExtract",
        128 => "flowChartMerge",
        129 => "flowChartOfflineStorage",
        132 => "flowChartMagneticDisk",
        135 => "flowChartDelay",
        176 => "flowChartAlternateProcess",
        177 => "flowChartOffpageConnector",
        183 => "sun",
        184 => "moon",
        187 => "star4",
        189..=200 => "actionButtonBlank",
        20 | 32..=40 => "line",
        _ => return None,
    })
}

/// A freeform's outline in its frame's unit square: the vertices and segment commands of
/// its first sub-path, curves flattened.
fn path(props: &Properties) -> Option<(Vec<(f32, f32)>, bool)> {
    let value = |pid: u16, default: i32| props.get(&pid).map_or(default, |v| v.0 as i32) as f32;
    let (left, top) = (value(0x0140, 0), value(0x0141, 0));
    let (w, h) = ((value(0x0142, 21_600) - left).max(1.0), (value(0x0143, 21_600) - top).max(1.0));
    let vertices: Vec<(f32, f32)> = {
        let (data, size, _) = array(props.get(&0x0145)?.1)?;
        let step = if size == 8 { 8 } else { 4 };
        data.chunks_exact(step)
            .take(MAX_POINTS)
            .map(|c| {
                let (x, y) = if step == 8 {
                    (i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32, i32::from_le_bytes([c[4], c[5], c[6], c[7]]) as f32)
                } else {
                    (f32::from(i16::from_le_bytes([c[0], c[1]])), f32::from(i16::from_le_bytes([c[2], c[3]])))
                };
                ((x - left) / w, (y - top) / h)
            })
            .collect()
    };
    let segments: Vec<u16> = props.get(&0x0146).and_then(|p| array(p.1)).map(|(data, _, _)| units(data).collect()).unwrap_or_default();
    if segments.is_empty() {
        return (vertices.len() >= 2).then_some((vertices, false));
    }
    let mut points = Vec::new();
    let mut next = vertices.iter().copied();
    let mut closed = false;
    'segments: for segment in segments {
        let count = usize::from(segment & 0x1FFF).max(1);
        match segment >> 13 {
            0 => points.extend(next.by_ref().take(count)),
            1 => {
                for _ in 0..count {
                    let (Some(c1), Some(c2), Some(end)) = (next.next(), next.next(), next.next()) else { break 'segments };
                    let start = points.last().copied().unwrap_or(c1);
                    for step in 1..=8 {
                        let t = step as f32 / 8.0;
                        let u = 1.0 - t;
                        let at = |a: f32, b: f32, c: f32, d: f32| u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d;
                        points.push((at(start.0, c1.0, c2.0, end.0), at(start.1, c1.1, c2.1, end.1)));
                    }
                }
            }
            2 if !points.is_empty() => break,
            2 => points.extend(next.next()),
            3 => closed = true,
            4 => break,
            // Escapes (arcs and the like) take their own vertices, skipped.
            5 => {
                next.by_ref().take(usize::from(segment & 0xFF)).for_each(drop);
            }
            _ => {}
        }
        if points.len() > MAX_POINTS {
            break;
        }
    }
    (points.len() >= 2).then_some((points, closed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fopt(entries: &[(u16, u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(((entries.len() as u16) << 4) | 3).to_le_bytes());
        out.extend_from_slice(&FOPT.to_le_bytes());
        out.extend_from_slice(&((entries.len() * 6) as u32).to_le_bytes());
        for (id, value) in entries {
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        out
    }

    #[test]
    fn properties_switches_and_colours() {
        let bytes = fopt(&[(0x0181, 0x0800_0004), (0x01BF, 0x0010_0000), (0x01C0, 0x0000_FF00)]);
        let (record, _) = Record::at(&bytes, 0).unwrap();
        let mut props = Properties::new();
        properties(record, &mut props);
        assert_eq!(switch(props.get(&0x01BF).map(|v| v.0), 0x10), Some(false));
        assert_eq!(switch(None, 0x10), None);
        let mut blips = Blips::new(None, &[]);
        let scheme = [[9, 9, 9]; 8];
        let styles = MasterStyles::default();
        let art = Art::new(scheme, &props, &mut blips, &styles, &[], &[]);
        assert_eq!(art.colour(props[&0x0181].0), Some([9, 9, 9]));
        assert_eq!(art.colour(props[&0x01C0].0), Some([0, 255, 0]));
    }

    #[test]
    fn freeform_outlines_follow_their_segments() {
        // Three vertices in a 100 × 100 space: move, line, line, close, end.
        let mut vertices = vec![3, 0, 3, 0, 0xF0, 0xFF];
        for (x, y) in [(0i16, 0i16), (100, 0), (50, 100)] {
            vertices.extend_from_slice(&x.to_le_bytes());
            vertices.extend_from_slice(&y.to_le_bytes());
        }
        let mut segments = vec![4, 0, 4, 0, 2, 0];
        for s in [0x4000u16, 0x0002, 0x6001, 0x8000] {
            segments.extend_from_slice(&s.to_le_bytes());
        }
        let mut props = Properties::new();
        props.insert(0x0142, (100, &[][..]));
        props.insert(0x0143, (100, &[][..]));
        props.insert(0x0145, (0, &vertices[..]));
        props.insert(0x0146, (0, &segments[..]));
        let (points, closed) = path(&props).unwrap();
        assert_eq!(points, vec![(0.0, 0.0), (1.0, 0.0), (0.5, 1.0)]);
        assert!(closed);
    }
}
