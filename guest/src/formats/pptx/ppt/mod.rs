//! PowerPoint 97-2003 (`.ppt`): the binary twin of PPTX, read into the same slide model and
//! drawn by the same code. The "PowerPoint Document" stream is found through its newest
//! user edit and persist directory ([`records`]); the document gives the slide size,
//! fonts, default text and shape properties, the picture store and the slide lists; each
//! slide and master gives its colour scheme, background and OfficeArt shapes ([`art`]),
//! with text styled from the master's text styles and the text's own runs ([`text`]).
//! The anchor is [MS-PPT] and [MS-ODRAW], as Apache POI's HSLF reads them.

mod art;
mod records;
mod text;

use std::collections::HashMap;

use docsandbox_protocol::bytes::{u16_at, u32_at, ByteReader};
use docsandbox_protocol::{FailureKind, FindingKind, Format};

use super::model::{PartModel, ShapeModel, TextStyles};
use super::Drawing;
use crate::dispatch::Job;
use crate::formats::officeart::{self, Blips, Properties};
use crate::formats::ole2::{read_stream, Compound};
use crate::layout::paint::{self, Canvas, Painter, Rgb};
use crate::report::Report;
use art::Art;
use records::*;
use text::{CharProps, MasterStyles, ParaProps, TextBody};

/// Most slides rendered; more are cut and reported.
const MAX_SLIDES: usize = 2_000;
/// Most texts one slide's outline holds.
const MAX_TEXTS: usize = 10_000;
/// A colour scheme when a slide has none: white background, black text, grey shadows,
/// black title, then Office 97's default fill and accents.
const DEFAULT_SCHEME: [Rgb; 8] =
    [[255, 255, 255], [0, 0, 0], [128, 128, 128], [0, 0, 0], [0xBB, 0xE0, 0xE3], [0x33, 0x33, 0x99], [0, 0x99, 0x99], [0x99, 0xCC, 0]];

/// A slide's persist reference and the texts of its outline, in order.
struct Listed {
    persist: u32,
    id: u32,
    texts: Vec<TextBody>,
}

/// A master read once: its drawing (placeholders kept for what slides inherit), text
/// styles and colour scheme.
struct Master<'a> {
    part: PartModel,
    /// Its shapes' properties, by shape id, for the slide shapes that name one.
    properties: art::ShapeProperties<'a>,
    styles: MasterStyles,
    scheme: [Rgb; 8],
}

/// Whether `password` opens an encrypted presentation; `None` when `file` is not one, or
/// its encryption record cannot be found.
pub(crate) fn password_fits(file: &mut Compound, password: &str) -> Option<bool> {
    let current_user = read_stream(file, "Current User")?;
    if !records::encrypted(Some(&current_user)) {
        return None;
    }
    let stream = read_stream(file, "PowerPoint Document")?;
    let edit = records::current_edit(Some(&current_user), &stream)?;
    let (persist, _) = persist_directory(&stream, edit)?;
    let session = records::encryption_session(&stream, edit)?;
    crate::crypto::fits(crate::crypto::powerpoint::unlock(&stream, &persist, session, password))
}

/// Renders a PowerPoint 97-2003 presentation: one page per slide at the slide size.
pub fn render(job: Job<'_, '_>, file: &mut Compound, mut report: Report) {
    let current_user = read_stream(file, "Current User");
    let Some(mut stream) = read_stream(file, "PowerPoint Document") else {
        return job.refuse(Format::Ppt, &report.finish(), FailureKind::Malformed, "the PowerPoint Document stream cannot be read");
    };
    let mut pictures = read_stream(file, "Pictures").unwrap_or_default();
    let edit = records::current_edit(current_user.as_deref(), &stream);
    let Some((persist, doc)) = edit.and_then(|edit| persist_directory(&stream, edit)) else {
        return job.refuse(Format::Ppt, &report.finish(), FailureKind::Malformed, "the presentation's document record cannot be found");
    };
    if records::encrypted(current_user.as_deref()) {
        let session = edit.and_then(|edit| records::encryption_session(&stream, edit)).unwrap_or(u32::MAX);
        match crate::crypto::powerpoint::decrypt(&mut stream, &mut pictures, &persist, session, job.request.password) {
            Ok(scheme) => report.add(FindingKind::Encrypted, &crate::crypto::decrypted_with(&scheme)),
            Err(e) => {
                let (kind, message) = e.failure();
                return job.refuse(Format::Ppt, &report.finish(), kind, &message);
            }
        }
    }
    let Some(document) = persist.get(&doc).and_then(|&o| Record::at(&stream, o)).filter(|(r, _)| r.kind == DOCUMENT).map(|(r, _)| r) else {
        return job.refuse(Format::Ppt, &report.finish(), FailureKind::Malformed, "the presentation's document record cannot be found");
    };
    let deck = Deck::read(document, &stream, &persist, &pictures);
    let size = deck.size;
    let mut listed = deck.list(0);
    if listed.len() > MAX_SLIDES {
        report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_SLIDES} slides are shown"));
        listed.truncate(MAX_SLIDES);
    }
    let masters_listed = deck.list(1);
    let mut deck = deck;
    let mut masters: HashMap<u32, Option<std::rc::Rc<Master<'_>>>> = HashMap::new();
    let wanted: Vec<u32> = paint::requested_pages(&job.request, listed.len() as u32).collect();
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let mut images = 0usize;
    let theme = crate::ooxml::color::Theme::default();
    let styles = TextStyles::default();
    for (number, slide) in listed.iter().enumerate() {
        let page = canvas.add_page(size.0, size.1);
        if !wanted.contains(&(number as u32 + 1)) {
            continue;
        }
        let Some(container) = deck.container(slide.persist, SLIDE) else { continue };
        let atom = container.child(SLIDE_ATOM);
        let master_id = atom.and_then(|a| u32_at(a.body, 12)).unwrap_or(0);
        let flags = atom.and_then(|a| u16_at(a.body, 20)).unwrap_or(0x7);
        let master = match masters.get(&master_id) {
            Some(m) => m.clone(),
            None => {
                let m = deck.master(master_id, &masters_listed, 0).map(std::rc::Rc::new);
                masters.insert(master_id, m.clone());
                m
            }
        };
        let scheme = if flags & 0x02 == 0 { scheme_of(container) } else { None }.or(master.as_ref().map(|m| m.scheme)).unwrap_or(DEFAULT_SCHEME);
        let empty = MasterStyles { defaults: deck.defaults.clone(), ..Default::default() };
        let text_styles = master.as_ref().map_or(&empty, |m| &m.styles);
        let mut part = PartModel { show_master_shapes: flags & 0x01 != 0, ..Default::default() };
        let master_shapes = master.as_ref().map(|m| &m.properties);
        let mut art = Art::new(scheme, &deck.shape_defaults, &mut deck.blips, text_styles, &deck.fonts, &slide.texts).over(master_shapes);
        if let Some(drawing) = container.child(DRAWING) {
            art.drawing(drawing, &mut part);
        }
        let missing = std::mem::take(&mut art.missing);
        if let Some(master) = &master {
            let shown = HeadersFooters::of(container).or_else(|| HeadersFooters::of(document)).unwrap_or_default();
            let fields: Vec<ShapeModel> = master.part.shapes.iter().filter_map(|s| shown.field(s, number + 1)).collect();
            part.shapes.splice(0..0, fields);
        }
        if flags & 0x04 != 0 {
            part.background = None;
            part.background_gradient = None;
            part.background_image = None;
        }
        let mut missing_drawn = Vec::new();
        let mut ctx = Drawing {
            painter: &mut painter,
            canvas: &mut canvas,
            page: page.into(),
            package: None,
            images: &mut images,
            styles: &styles,
            theme: &theme,
            fonts: &crate::ooxml::fonts::ThemeFonts::default(),
            table_styles: &super::table::Styles::new(),
            missing: &mut missing_drawn,
        };
        let chain: Vec<&PartModel> = master.iter().map(|m| &m.part).collect();
        super::draw_slide(&mut ctx, page, size, &part, &chain);
        for what in missing.into_iter().chain(missing_drawn) {
            report.add(FindingKind::ContentNotShown, &format!("slide {}: {what}", number + 1));
        }
    }
    if listed.is_empty() {
        canvas.add_page(size.0, size.1);
        report.add(FindingKind::EmptyDocument, "the presentation has no slides");
    }
    report.add(FindingKind::LegacyFormat, "PowerPoint 97-2003 presentation");
    job.begin(Format::Ppt, Some(paint::page_count(&canvas))).report(&report.finish()).send_pages(&canvas);
}

/// What the document container gives: slide size, fonts, default text and shape
/// properties, the picture store, and the slide lists.
struct Deck<'a> {
    stream: &'a [u8],
    persist: &'a HashMap<u32, usize>,
    document: Record<'a>,
    size: (f32, f32),
    fonts: Vec<String>,
    defaults: (ParaProps, CharProps),
    shape_defaults: Properties<'a>,
    blips: Blips<'a>,
}

impl<'a> Deck<'a> {
    fn read(document: Record<'a>, stream: &'a [u8], persist: &'a HashMap<u32, usize>, pictures: &'a [u8]) -> Deck<'a> {
        // The slide size in master units (576 to the inch).
        let size = document
            .child(DOCUMENT_ATOM)
            .and_then(|a| Some((u32_at(a.body, 0)? as i32 as f32 / 8.0, u32_at(a.body, 4)? as i32 as f32 / 8.0)))
            .filter(|(w, h)| (72.0..=4000.0).contains(w) && (72.0..=4000.0).contains(h))
            .unwrap_or((720.0, 540.0));
        let environment = document.child(ENVIRONMENT);
        let fonts = environment
            .and_then(|e| e.child(FONT_COLLECTION))
            .map(|c| {
                c.children()
                    .filter(|r| r.kind == FONT_ENTITY_ATOM)
                    .map(|r| {
                        let name: Vec<u16> = units(r.body).take(32).take_while(|&u| u != 0).collect();
                        String::from_utf16_lossy(&name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut defaults = (ParaProps::default(), CharProps::default());
        if let Some(env) = environment {
            if let Some(cf) = env.child(0x0FA4) {
                defaults.1 = CharProps::read(&mut ByteReader::new(cf.body)).unwrap_or_default();
            }
            if let Some(pf) = env.child(0x0FA5) {
                let mut r = ByteReader::new(pf.body);
                if r.skip(2).is_ok() {
                    defaults.0 = ParaProps::read(&mut r).unwrap_or_default();
                }
            }
        }
        let dgg = document.child(DRAWING_GROUP).and_then(|g| g.child(DGG_CONTAINER));
        let mut shape_defaults = Properties::new();
        if let Some(opt) = dgg.and_then(|d| d.child(FOPT)) {
            officeart::properties(opt, &mut shape_defaults);
        }
        let blips = Blips::new(dgg.and_then(|d| d.child(BSTORE_CONTAINER)), pictures);
        Deck { stream, persist, document, size, fonts, defaults, shape_defaults, blips }
    }

    /// The slides (instance 0) or masters (instance 1) listed, with their outline texts.
    fn list(&self, instance: u16) -> Vec<Listed> {
        let mut out: Vec<Listed> = Vec::new();
        let Some(list) = self.document.children().find(|r| r.kind == SLIDE_LIST_WITH_TEXT && r.instance == instance) else { return out };
        let mut texts = 0usize;
        for record in list.children() {
            match record.kind {
                SLIDE_PERSIST_ATOM => {
                    let (Some(persist), Some(id)) = (u32_at(record.body, 0), u32_at(record.body, 12)) else { continue };
                    out.push(Listed { persist, id, texts: Vec::new() });
                    if out.len() > MAX_SLIDES * 4 {
                        break;
                    }
                }
                TEXT_HEADER_ATOM if texts < MAX_TEXTS * 10 => {
                    if let Some(slide) = out.last_mut().filter(|s| s.texts.len() < MAX_TEXTS) {
                        texts += 1;
                        slide.texts.push(TextBody { text_type: u32_at(record.body, 0).map_or(text::OTHER, |t| t.min(8) as u16), ..Default::default() });
                    }
                }
                TEXT_CHARS_ATOM | TEXT_BYTES_ATOM | STYLE_TEXT_PROP_ATOM => {
                    let Some(body) = out.last_mut().and_then(|s| s.texts.last_mut()) else { continue };
                    match record.kind {
                        STYLE_TEXT_PROP_ATOM => body.styles(record.body),
                        _ => body.set_chars(&record),
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The container a persist id names, when it is of `kind`.
    fn container(&self, persist: u32, kind: u16) -> Option<Record<'a>> {
        let (record, _) = Record::at(self.stream, *self.persist.get(&persist)?)?;
        (record.kind == kind).then_some(record)
    }

    /// The master with slide id `id`: a main master, or a title master over its own main
    /// master (whose styles and decorations it takes where it has none).
    fn master(&mut self, id: u32, listed: &[Listed], depth: usize) -> Option<Master<'a>> {
        let entry = listed.iter().find(|m| m.id == id)?;
        let (record, _) = Record::at(self.stream, *self.persist.get(&entry.persist)?)?;
        if !matches!(record.kind, MAIN_MASTER | SLIDE) {
            return None;
        }
        let parent = match record.kind {
            SLIDE if depth == 0 => record.child(SLIDE_ATOM).and_then(|a| u32_at(a.body, 12)).and_then(|p| self.master(p, listed, 1)),
            _ => None,
        };
        let mut styles = MasterStyles { defaults: self.defaults.clone(), ..Default::default() };
        for atom in record.children().filter(|r| r.kind == TEXT_MASTER_STYLE_ATOM) {
            styles.add(atom.instance, atom.body);
        }
        if let Some(parent) = &parent {
            for (t, levels) in &parent.styles.levels {
                styles.levels.entry(*t).or_insert_with(|| levels.clone());
            }
        }
        let scheme = scheme_of(record).or(parent.as_ref().map(|p| p.scheme)).unwrap_or(DEFAULT_SCHEME);
        let mut part = PartModel { show_master_shapes: true, ..Default::default() };
        let parent_shapes = parent.as_ref().map(|p| &p.properties);
        let mut art = Art::new(scheme, &self.shape_defaults, &mut self.blips, &styles, &self.fonts, &entry.texts).over(parent_shapes);
        if let Some(drawing) = record.child(DRAWING) {
            art.drawing(drawing, &mut part);
        }
        let properties = std::mem::take(&mut art.properties);
        if let Some(parent) = parent {
            if part.background.is_none() {
                part.background = parent.part.background;
                part.background_gradient = parent.part.background_gradient;
                part.background_image = parent.part.background_image.clone();
                part.background_tiled = parent.part.background_tiled;
            }
            part.pictures.extend(parent.part.pictures.clone());
        }
        Some(Master { part, properties, styles, scheme })
    }
}

/// Which of the master's date, slide number and footer a slide shows, with its own footer
/// and fixed date text (a HeadersFooters container: the slide's, else the document's).
#[derive(Default)]
struct HeadersFooters {
    flags: u16,
    date: Option<String>,
    footer: Option<String>,
}

impl HeadersFooters {
    fn of(container: Record) -> Option<HeadersFooters> {
        // The document holds one per kind of page: instance 3 is the slides'.
        let hf = container.children().find(|r| r.kind == HEADERS_FOOTERS && (container.kind != DOCUMENT || r.instance == 3))?;
        let flags = hf.child(HEADERS_FOOTERS_ATOM).and_then(|a| u16_at(a.body, 2)).unwrap_or(0);
        let string = |instance: u16| {
            hf.children().find(|r| r.kind == CSTRING && r.instance == instance).map(|r| {
                let text: Vec<u16> = units(r.body).take(1_000).collect();
                String::from_utf16_lossy(&text)
            })
        };
        Some(HeadersFooters { flags, date: string(0), footer: string(2) })
    }

    /// The master placeholder `shape` as this slide shows it: the slide number, the
    /// footer or a fixed date in place of its field, or nothing when it is off.
    fn field(&self, shape: &ShapeModel, number: usize) -> Option<ShapeModel> {
        let text = match shape.placeholder.as_ref()?.0.as_str() {
            "sldNum" if self.flags & 0x08 != 0 => number.to_string(),
            "ftr" if self.flags & 0x20 != 0 => self.footer.clone()?,
            // A fixed date only: today's date would make the page differ by the day.
            "dt" if self.flags & 0x05 == 0x05 => self.date.clone()?,
            _ => return None,
        };
        let mut shape = shape.clone();
        shape.placeholder = None;
        let mut first = true;
        for para in &mut shape.paragraphs {
            for (run, _) in &mut para.runs {
                *run = if std::mem::take(&mut first) { text.clone() } else { String::new() };
            }
        }
        Some(shape)
    }
}

/// A slide's or master's current colour scheme (ColorSchemeAtom, instance 1).
fn scheme_of(container: Record) -> Option<[Rgb; 8]> {
    let atom = container.children().find(|r| r.kind == COLOR_SCHEME_ATOM && r.instance == 1)?;
    let mut scheme = [[0; 3]; 8];
    for (i, colour) in scheme.iter_mut().enumerate() {
        let bytes = atom.body.get(i * 4..i * 4 + 3)?;
        *colour = [bytes[0], bytes[1], bytes[2]];
    }
    Some(scheme)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A record: version and instance, type, then the body.
    fn record(version: u16, instance: u16, kind: u16, body: &[u8]) -> Vec<u8> {
        let mut out = ((instance << 4) | version).to_le_bytes().to_vec();
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(body);
        out
    }

    fn container(kind: u16, children: &[Vec<u8>]) -> Vec<u8> {
        record(0xF, 0, kind, &children.concat())
    }

    fn words(values: &[u32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A PowerPoint Document stream as PowerPoint writes one, cut to the bone: a document
    /// listing two slides (the first with a title in its outline), the first slide with a
    /// green background and a red rectangle whose text is that outline title, then the
    /// user edit and its persist directory.
    pub(crate) fn minimal_stream() -> Vec<u8> {
        let title: Vec<u8> = "Ward".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let list = record(
            0xF,
            0,
            SLIDE_LIST_WITH_TEXT,
            &[
                record(0, 0, SLIDE_PERSIST_ATOM, &words(&[2, 0, 1, 256, 0])),
                record(0, 0, TEXT_HEADER_ATOM, &words(&[0])),
                record(0, 0, TEXT_CHARS_ATOM, &title),
                record(0, 0, SLIDE_PERSIST_ATOM, &words(&[3, 0, 0, 257, 0])),
            ]
            .concat(),
        );
        // 4800 × 3600 master units: 600 × 450 points.
        let document = container(DOCUMENT, &[record(0, 1, DOCUMENT_ATOM, &words(&[4800, 3600, 0, 0, 0, 0, 0, 0, 0, 0])), list]);
        let fopt = |entries: &[(u16, u32)]| {
            let body: Vec<u8> = entries.iter().flat_map(|(id, v)| [id.to_le_bytes().to_vec(), v.to_le_bytes().to_vec()].concat()).collect();
            record(3, entries.len() as u16, FOPT, &body)
        };
        let anchor: Vec<u8> = [800i16, 800, 2400, 1600].iter().flat_map(|v| v.to_le_bytes()).collect();
        let shapes = container(
            SPGR_CONTAINER,
            &[
                container(SP_CONTAINER, &[record(2, 0, FSPGR, &[0; 16]), record(2, 0, FSP, &words(&[1024, 5]))]),
                container(
                    SP_CONTAINER,
                    &[
                        record(2, 1, FSP, &words(&[1025, 0xA00])),
                        fopt(&[(0x0181, 0x0000_00FF), (0x01BF, 0x0010_0010)]),
                        record(0, 0, CLIENT_ANCHOR, &anchor),
                        container(CLIENT_TEXTBOX, &[record(0, 0, OUTLINE_TEXT_REF_ATOM, &words(&[0]))]),
                    ],
                ),
            ],
        );
        let background = container(SP_CONTAINER, &[record(2, 1, FSP, &words(&[1026, 0xC00])), fopt(&[(0x0181, 0x0000_FF00)])]);
        let drawing = container(DRAWING, &[container(DG_CONTAINER, &[shapes, background])]);
        let slide_atom = [words(&[0, 0, 0, 0, 0]), vec![0, 0, 0, 0]].concat();
        let first = container(SLIDE, &[record(2, 0, SLIDE_ATOM, &slide_atom), drawing]);
        let second = container(SLIDE, &[record(2, 0, SLIDE_ATOM, &slide_atom)]);
        let mut stream = Vec::new();
        let mut offsets = Vec::new();
        for part in [document, first, second] {
            offsets.push(stream.len() as u32);
            stream.extend_from_slice(&part);
        }
        let directory_at = stream.len() as u32;
        stream.extend(record(0, 0, PERSIST_DIRECTORY_ATOM, &words(&[(3 << 20) | 1, offsets[0], offsets[1], offsets[2]])));
        stream.extend(record(0, 0, USER_EDIT_ATOM, &[words(&[256]), vec![0, 0, 0, 3], words(&[0, directory_at, 1, 4, 1])].concat()));
        stream
    }

    #[test]
    fn a_slide_is_read_through_its_edit_and_persist_directory() {
        let stream = minimal_stream();
        let edit = records::current_edit(None, &stream).expect("the user edit is found by walking the stream");
        let (persist, doc) = persist_directory(&stream, edit).unwrap();
        assert_eq!((doc, persist.len()), (1, 3));
        let (document, _) = Record::at(&stream, persist[&1]).unwrap();
        let mut deck = Deck::read(document, &stream, &persist, &[]);
        assert_eq!(deck.size, (600.0, 450.0));
        let listed = deck.list(0);
        assert_eq!(listed.iter().map(|s| (s.persist, s.id, s.texts.len())).collect::<Vec<_>>(), vec![(2, 256, 1), (3, 257, 0)]);
        let slide = deck.container(2, SLIDE).unwrap();
        let styles = MasterStyles::default();
        let mut part = PartModel::default();
        let mut art = Art::new(DEFAULT_SCHEME, &deck.shape_defaults, &mut deck.blips, &styles, &deck.fonts, &listed[0].texts);
        art.drawing(slide.child(DRAWING).unwrap(), &mut part);
        assert_eq!(part.background, Some([0, 255, 0]));
        assert_eq!(part.shapes.len(), 1);
        let shape = &part.shapes[0];
        assert_eq!(shape.frame, Some([100.0, 100.0, 200.0, 100.0]));
        assert_eq!(shape.fill, Some([255, 0, 0]));
        assert_eq!(shape.geometry.as_deref(), Some("rect"));
        assert_eq!(shape.paragraphs.len(), 1);
        assert_eq!(shape.paragraphs[0].runs[0].0, "Ward");
        // A title takes the scheme's title colour.
        assert_eq!(shape.paragraphs[0].runs[0].1.color, Some(DEFAULT_SCHEME[3]));
    }

    #[test]
    fn edits_that_loop_or_point_nowhere_end() {
        let mut stream = minimal_stream();
        let edit = records::current_edit(None, &stream).unwrap();
        // The edit names itself as the one before it.
        stream[edit + 8 + 8..edit + 8 + 12].copy_from_slice(&(edit as u32).to_le_bytes());
        assert!(persist_directory(&stream, edit).is_some());
        assert!(persist_directory(&stream, 3).is_none());
        assert!(records::current_edit(None, &stream[..20]).is_none());
    }
}
