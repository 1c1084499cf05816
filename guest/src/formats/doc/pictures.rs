//! Pictures: inline ones (a picture character whose properties point into the Data
//! stream: a PICF header, then an OfficeArt shape and its blip store entries, [MS-DOC]
//! 2.9.193), and floating ones (a drawing anchor character, its FSPA in PlcSpaMom, and
//! its shape in the document's OfficeArt drawing, with the picture in the blip store).

use std::collections::HashMap;
use std::rc::Rc;

use docsandbox_protocol::bytes::{u16_at, u32_at};

use super::fib::{self, Fib};
use crate::formats::officeart::{
    properties, switch, Blips, Properties, Record, BSTORE_CONTAINER, DGG_CONTAINER, FBSE, FOPT, FSP, SPGR_CONTAINER, SP_CONTAINER, TERTIARY_FOPT,
};
use crate::formats::rtf::shapes::Shape;
use crate::layout::paint::{Align, Canvas, Float, FloatFrom, Place, Rgb, Wrap};

/// Most shapes indexed from the drawing.
const MAX_SHAPES: usize = 10_000;
/// Deepest group nesting followed.
const MAX_DEPTH: usize = 16;
/// Most blip store entries read after one inline shape.
const MAX_ENTRIES: usize = 64;

/// A picture file with the size (points) and alignment it is shown at.
pub(super) struct Picture {
    pub(super) file: Rc<[u8]>,
    pub(super) width: f32,
    pub(super) height: f32,
    pub(super) align: Option<Align>,
}

/// Why a picture is not shown: what it is, for the report, when that is worth saying.
type Missing = Option<String>;

/// The inline picture whose PICF starts at `offset` of the Data stream.
pub(super) fn inline(data: &[u8], offset: u32) -> Result<Picture, Missing> {
    let damaged = || Some("a damaged picture".to_string());
    let at = offset as usize;
    let len = u32_at(data, at).ok_or_else(damaged)? as usize;
    let picf = data.get(at..at.saturating_add(len).min(data.len())).ok_or_else(damaged)?;
    let header = usize::from(u16_at(picf, 4).ok_or_else(damaged)?);
    let mode = u16_at(picf, 6).unwrap_or(0);
    let twips = |goal: usize, scale: usize| {
        let goal = f32::from(u16_at(picf, goal).unwrap_or(0) as i16).max(0.0);
        let scale = f32::from(u16_at(picf, scale).unwrap_or(1000));
        goal * if scale > 0.0 { scale } else { 1000.0 } / 1000.0 / 20.0
    };
    let (width, height) = (twips(0x1C, 0x20), twips(0x1E, 0x22));
    let mut body = picf.get(header..).ok_or_else(damaged)?;
    if mode == 0x66 {
        let name = usize::from(*body.first().ok_or_else(damaged)?);
        body = body.get(1 + name..).ok_or_else(damaged)?;
    }
    if !matches!(mode, 0x64 | 0x66) {
        return Err(Some("a picture stored as an old-style metafile".into()));
    }
    let (shape, mut next) = Record::at(body, 0).filter(|(r, _)| r.kind == SP_CONTAINER).ok_or_else(damaged)?;
    let mut props = Properties::new();
    if let Some(opt) = shape.child(FOPT) {
        properties(opt, &mut props);
    }
    let mut entries = Vec::new();
    while let Some((record, after)) = Record::at(body, next).filter(|(r, _)| r.kind == FBSE) {
        entries.push(record);
        next = after;
        if entries.len() >= MAX_ENTRIES {
            break;
        }
    }
    let blip = props.get(&0x0104).map_or(1, |p| p.0);
    let file = Blips::from_entries(entries, &[]).get(blip).ok_or_else(|| Some("a picture in an unknown format".to_string()))?;
    Ok(Picture { file, width, height, align: None })
}

/// A floating shape's anchor (FSPA): its shape id and its rectangle in twips.
struct Anchor {
    spid: u32,
    rect: [i32; 4],
    /// What the rectangle is measured from: horizontally (bits 1-2) the margin, the page
    /// or the column; vertically (bits 3-4) the margin, the page or the paragraph.
    flags: u16,
    text_box: bool,
}

impl Anchor {
    /// Where this shape floats and how text wraps around it, given the left margin in
    /// points and the shape's properties: a float without items.
    fn float(&self, margin: f32, props: Option<&Properties<'_>>) -> Float {
        let [left, top, right, bottom] = self.rect.map(|t| t as f32 / 20.0);
        let (horizontal, vertical) = ((self.flags >> 1) & 3, (self.flags >> 3) & 3);
        let from = match vertical {
            1 => FloatFrom::Page,
            2 => FloatFrom::Here,
            _ => FloatFrom::Margin,
        };
        // Page-relative floats measure x from the page; the others from the margin.
        let x = match (from == FloatFrom::Page, horizontal == 1) {
            (true, false) => left + margin,
            (false, true) => left - margin,
            _ => left,
        };
        let mut float = Float::over(Vec::new(), [x, top, (right - left).clamp(1.0, 5_000.0)], from);
        float.height = Some((bottom - top).clamp(1.0, 5_000.0));
        // Word 2000's placement, when the shape has it, says what the rectangle is
        // measured from, or how the shape is aligned (posh, posrelh, posv, posrelv).
        let value = |id: u16| props.and_then(|p| p.get(&id)).map(|v| v.0);
        // (posrelh: 0 margin, 1 page, 2 column, 3 character; posrelv: 0 margin, 1 page,
        // 2 paragraph, 3 line.)
        if let Some(relative) = value(0x0390) {
            float.from_x = if relative == 1 { FloatFrom::Page } else { FloatFrom::Margin };
            float.x = Place::At(left);
        }
        if let Some(relative) = value(0x0392) {
            float.from_y = match relative {
                0 => FloatFrom::Margin,
                1 => FloatFrom::Page,
                _ => FloatFrom::Here,
            };
            float.y = Place::At(top);
        }
        let aligned = |position: Option<u32>| match position {
            Some(1 | 4) => Some(Place::Align(Align::Start)),
            Some(2) => Some(Place::Align(Align::Center)),
            Some(3 | 5) => Some(Place::Align(Align::End)),
            _ => None,
        };
        if let Some(place) = aligned(value(0x038F)) {
            float.x = place;
        }
        if let Some(place) = aligned(value(0x0391)) {
            float.y = place;
        }
        // How text wraps around it (FSPA wr, bits 5-8), with Word's default distances
        // from it: 0.125 in across, none down.
        float.wrap = match (self.flags >> 5) & 0xF {
            1 => Wrap::TopBottom,
            3 => Wrap::None,
            _ => Wrap::Around,
        };
        float.gap = [0.0, 9.0, 0.0, 9.0];
        float
    }
}

/// The floating shapes of the main text and the headers: anchors by CP, shapes' properties by id, and the
/// drawing's blip store (its pictures in the WordDocument stream).
pub(super) struct Drawings<'a> {
    anchors: HashMap<u32, Anchor>,
    /// The text box stories by shape id: their CPs in the whole text.
    text_boxes: HashMap<u32, std::ops::Range<u32>>,
    shapes: HashMap<u32, Properties<'a>>,
    /// Each shape's type (its FSP record's instance) and FSP flags, by id.
    kinds: HashMap<u32, (u16, u32)>,
    blips: std::cell::RefCell<Blips<'a>>,
}

impl<'a> Drawings<'a> {
    pub(super) fn read(fib: &Fib<'a>, table: &'a [u8], doc: &'a [u8]) -> Self {
        // Anchors by CP in the whole text: those of the headers' shapes count from the
        // start of the header stories, after the main text and the footnotes.
        let mut anchors = HashMap::new();
        let header_base = fib.ccp[0].saturating_add(fib.ccp[1]);
        for (part, base) in [(fib::PLC_SPA_MOM, 0), (fib::PLC_SPA_HDR, header_base)] {
            let Some(plc) = fib.part(part, table) else { continue };
            let n = plc.len().saturating_sub(4) / 30;
            for i in 0..n.min(MAX_SHAPES) {
                let (Some(cp), Some(fspa)) = (u32_at(plc, i * 4), plc.get((n + 1) * 4 + i * 26..(n + 1) * 4 + i * 26 + 26)) else { break };
                let int = |o: usize| u32_at(fspa, o).unwrap_or(0) as i32;
                let flags = u16_at(fspa, 20).unwrap_or(0);
                anchors
                    .insert(base.saturating_add(cp), Anchor { spid: int(0) as u32, rect: [int(4), int(8), int(12), int(16)], flags, text_box: int(22) != 0 });
            }
        }
        // Text box stories (PlcftxbxTxt): CPs from the start of the text box text, each
        // with an FTXBXS naming its shape (lid, at offset 14).
        // (The headers' text boxes follow the main text's, with their own table.)
        let mut text_boxes = HashMap::new();
        for (part, stories) in [(fib::PLCF_TXBX_TXT, 6), (fib::PLCF_HDR_TXBX_TXT, 7)] {
            let Some(plc) = fib.part(part, table) else { continue };
            let base = fib.ccp[..stories].iter().fold(0u32, |a, &c| a.saturating_add(c));
            let end = base.saturating_add(fib.ccp[stories]);
            let n = plc.len().saturating_sub(4) / 26;
            for i in 0..n.min(MAX_SHAPES) {
                let (Some(a), Some(b), Some(lid)) = (u32_at(plc, i * 4), u32_at(plc, (i + 1) * 4), u32_at(plc, (n + 1) * 4 + i * 22 + 14)) else { break };
                let (a, b) = (base.saturating_add(a).min(end), base.saturating_add(b).min(end));
                if a < b {
                    text_boxes.insert(lid, a..b);
                }
            }
        }
        let mut shapes = HashMap::new();
        let mut kinds = HashMap::new();
        let mut store = None;
        if let Some(content) = fib.part(fib::DGG_INFO, table) {
            if let Some((group, mut next)) = Record::at(content, 0).filter(|(r, _)| r.kind == DGG_CONTAINER) {
                store = group.child(BSTORE_CONTAINER);
                // Then each drawing: 0 for the main text, 1 for headers (shape ids are
                // unique across them).
                while let Some(&label) = content.get(next) {
                    let Some((drawing, after)) = Record::at(content, next + 1) else { break };
                    if label <= 1 {
                        index(drawing, &mut shapes, &mut kinds, 0);
                    }
                    next = after;
                }
            }
        }
        Drawings { anchors, text_boxes, shapes, kinds, blips: std::cell::RefCell::new(Blips::new(store, doc)) }
    }

    /// The text box anchored at `cp`: its text as CPs of the whole text, and the float it
    /// is (without its items yet), given the left margin in points.
    pub(super) fn text_box(&self, cp: u32, margin: f32) -> Option<(std::ops::Range<u32>, Float)> {
        // (Some writers leave the anchor's text box count at 0: the story names its shape.)
        let anchor = self.anchors.get(&cp)?;
        let story = self.text_boxes.get(&anchor.spid).cloned()?;
        let props = self.shapes.get(&anchor.spid);
        let mut float = anchor.float(margin, props);
        // Inside a text box: Word's default internal margins, 0.1 in and 0.05 in.
        float.inset = [3.6, 7.2, 3.6, 7.2];
        // Its frame: filled white and outlined in black 0.75 pt unless its shape says
        // otherwise.
        let value = |id: u16| props.and_then(|p| p.get(&id)).map(|v| v.0);
        let color = |id: u16, default: Rgb| value(id).filter(|v| v >> 24 == 0).map_or(default, |v| [v as u8, (v >> 8) as u8, (v >> 16) as u8]);
        float.fill = switch(value(0x01BF), 0x10).unwrap_or(true).then(|| color(0x0181, [255, 255, 255]));
        let width = value(0x01CB).map_or(0.75, |w| (w as f32 / 12_700.0).clamp(0.0, 20.0));
        float.outline = switch(value(0x01FF), 0x08).unwrap_or(true).then(|| (color(0x01C0, [0, 0, 0]), width));
        Some((story, float))
    }

    /// A drawing shape anchored at `cp` that holds no picture and no text (a rectangle,
    /// an ellipse, a line), as the float that draws it, given the left margin in points:
    /// placed as its anchor says, and drawn as RTF's shapes are, from the same OfficeArt
    /// properties. `None` for other shapes (a custom outline is reported by the caller).
    pub(super) fn shape(&self, cp: u32, margin: f32, canvas: &mut Canvas) -> Option<Float> {
        let anchor = self.anchors.get(&cp)?;
        let props = self.shapes.get(&anchor.spid)?;
        let &(kind, flags) = self.kinds.get(&anchor.spid)?;
        // Rectangles, rounded rectangles, ellipses, lines and plain text-box frames only.
        if props.contains_key(&0x0104) || anchor.text_box || !matches!(kind, 1..=3 | 20 | 32..=40 | 202) {
            return None;
        }
        let mut shape = Shape::new(0);
        shape.rect = anchor.rect;
        let value = |id: u16| props.get(&id).map(|v| v.0);
        shape.property("shapeType", &kind.to_string());
        for (id, name) in [
            (0x0180, "fillType"),
            (0x0181, "fillColor"),
            (0x0183, "fillBackColor"),
            (0x018B, "fillAngle"),
            (0x018C, "fillFocus"),
            (0x01C0, "lineColor"),
            (0x01CB, "lineWidth"),
        ] {
            if let Some(v) = value(id) {
                shape.property(name, &v.to_string());
            }
        }
        for (on, name) in [(switch(value(0x01BF), 0x10), "fFilled"), (switch(value(0x01FF), 0x08), "fLine")] {
            if let Some(on) = on {
                shape.property(name, if on { "1" } else { "0" });
            }
        }
        // (FSP flags: fFlipH 0x40, fFlipV 0x80.)
        shape.property("fFlipH", if flags & 0x40 != 0 { "1" } else { "0" });
        shape.property("fFlipV", if flags & 0x80 != 0 { "1" } else { "0" });
        let float = anchor.float(margin, Some(props));
        let size = (float.width, float.height.unwrap_or(1.0));
        shape.frame(float, size, false, canvas)
    }

    /// The float the shape anchored at `cp` is (without its items), given the left
    /// margin in points.
    pub(super) fn float(&self, cp: u32, margin: f32) -> Option<Float> {
        let anchor = self.anchors.get(&cp)?;
        Some(anchor.float(margin, self.shapes.get(&anchor.spid)))
    }

    /// The floating picture anchored at `cp`, aligned as it sits in `content` (the width
    /// between the margins, in twips).
    pub(super) fn anchored(&self, cp: u32, content: i32) -> Result<Picture, Missing> {
        let anchor = self.anchors.get(&cp).ok_or(None)?;
        let props = self.shapes.get(&anchor.spid);
        let blip = props.and_then(|p| p.get(&0x0104)).map(|p| p.0);
        let Some(blip) = blip else {
            return Err(Some(if anchor.text_box { "a text box".into() } else { "a drawing shape".into() }));
        };
        let file = self.blips.borrow_mut().get(blip).ok_or_else(|| Some("a picture in an unknown format".to_string()))?;
        let [left, top, right, bottom] = anchor.rect;
        let (width, height) = ((right.saturating_sub(left)) as f32 / 20.0, (bottom.saturating_sub(top)) as f32 / 20.0);
        let content = i64::from(content);
        let align = (content > 0).then(|| {
            let middle = (i64::from(left) + i64::from(right)) / 2;
            if (middle - content / 2).abs() < content / 10 {
                Align::Center
            } else if middle > content / 2 {
                Align::End
            } else {
                Align::Start
            }
        });
        Ok(Picture { file, width, height, align })
    }
}

/// Indexes the property tables of the shapes in a drawing (or group) by shape id.
fn index<'a>(container: Record<'a>, shapes: &mut HashMap<u32, Properties<'a>>, kinds: &mut HashMap<u32, (u16, u32)>, depth: usize) {
    for record in container.children() {
        if shapes.len() >= MAX_SHAPES {
            return;
        }
        match record.kind {
            SPGR_CONTAINER if depth < MAX_DEPTH => index(record, shapes, kinds, depth + 1),
            SP_CONTAINER => {
                let fsp_record = record.child(FSP);
                if let Some(fsp) = fsp_record.and_then(|f| u32_at(f.body, 0)) {
                    if let Some(f) = fsp_record {
                        kinds.insert(fsp, (f.instance, u32_at(f.body, 4).unwrap_or(0)));
                    }
                    let mut props = Properties::new();
                    // The tertiary table holds Word 2000's placement (posh, posrelh...).
                    for opt in [record.child(FOPT), record.child(TERTIARY_FOPT)].into_iter().flatten() {
                        properties(opt, &mut props);
                    }
                    shapes.insert(fsp, props);
                }
            }
            _ if record.kind == 0xF002 && depth < MAX_DEPTH => index(record, shapes, kinds, depth + 1),
            _ => {}
        }
    }
}
