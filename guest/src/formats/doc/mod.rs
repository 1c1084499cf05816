//! Word 97-2003 (`.doc`, [MS-DOC]) with its layout: the text through the piece table,
//! character and paragraph properties from the FKPs over the style sheet's, lists, tables
//! from their row-end paragraphs, inline pictures from the Data stream and floating ones
//! from the drawing layer, sections' page size and margins, the default header and footer
//! with page-number fields, and footnotes; all into the paint layer's flow, laid out as
//! RTF is ([`crate::layout::document`]).
//!
//! The parts: [`fib`] (the FIB, the piece table and the property runs), [`sprm`] (property
//! modifiers and the properties they build), [`styles`], [`lists`], [`pictures`]; this
//! file reads the stories into paragraphs, tables and pictures.

mod fib;
mod lists;
mod pictures;
mod sprm;
mod styles;

use std::collections::HashMap;

use docsandbox_protocol::bytes::{u16_at, u32_at};
use docsandbox_protocol::{FailureKind, FindingKind, Format};

use super::ole2::{read_stream, Compound};
use crate::dispatch::Job;
use crate::layout::document::{self, Document, PageBorders};
use crate::layout::paint::{
    self, Align, Block, Borders, Canvas, Cell, Column, Flow, ImageRef, LineModel, LineSpacing, PageSetup, Painter, Row, SpanStyle, TabStop, Table, PICTURE_MARK,
};
use crate::layout::running::{NUMPAGES_FIELD, PAGE_FIELD};
use crate::report::Report;
use fib::{Fib, Run, Text};
use lists::Lists;
use sprm::{apply_chp, apply_pap, apply_sep, apply_tap, Chp, Pap, Sep, Tap};
use styles::Styles;

/// Paragraphs read at most; a document with more is cut there and says so.
pub const MAX_PARAGRAPHS: usize = 25_000;
/// Most pictures decoded from one document.
const MAX_IMAGES: usize = 200;
/// Most footnotes shown.
const MAX_FOOTNOTES: usize = 2_000;

fn pt(twips: i32) -> f32 {
    twips as f32 / 20.0
}

/// Renders a Word 97-2003 document.
pub fn render(job: Job<'_, '_>, file: &mut Compound, mut report: Report) {
    let streams = (read_stream(file, "WordDocument"), read_stream(file, "1Table"), read_stream(file, "0Table"), read_stream(file, "Data"));
    let (Some(mut doc), one, zero, data) = streams else {
        return job.refuse(Format::Doc, &report.finish(), FailureKind::Malformed, "cannot read the Word 97-2003 document: no readable WordDocument stream");
    };
    // The FibBase is always in clear; the rest of the FIB is encrypted with the streams.
    let (Some(0xA5EC), Some(n_fib), Some(flags)) = (u16_at(&doc, 0), u16_at(&doc, 2), u16_at(&doc, 0x0A)) else {
        return job.refuse(Format::Doc, &report.finish(), FailureKind::Malformed, "cannot read the Word 97-2003 document: damaged file information block");
    };
    if n_fib < 0x00C0 {
        return job.refuse(Format::Doc, &report.finish(), FailureKind::Unsupported, "Word 6.0/95 documents are not supported; save it as .docx");
    }
    let table = if flags & 0x0200 != 0 { one } else { zero };
    let (mut table, mut data) = (table.unwrap_or_default(), data.unwrap_or_default());
    if flags & crate::crypto::word::ENCRYPTED != 0 {
        match crate::crypto::word::decrypt(&mut doc, &mut table, &mut data, job.request.password) {
            Ok(scheme) => report.add(FindingKind::Encrypted, &crate::crypto::decrypted_with(&scheme)),
            Err(e) => {
                let (kind, message) = e.failure();
                return job.refuse(Format::Doc, &report.finish(), kind, &message);
            }
        }
    }
    let Some(fib) = Fib::read(&doc) else {
        return job.refuse(Format::Doc, &report.finish(), FailureKind::Malformed, "cannot read the Word 97-2003 document: damaged file information block");
    };
    let Some(text) = fib.part(fib::CLX, &table).and_then(|clx| Text::read(&doc, clx)) else {
        return job.refuse(Format::Doc, &report.finish(), FailureKind::Malformed, "cannot read the Word 97-2003 document: damaged piece table");
    };
    report.add(FindingKind::LegacyFormat, "Word 97-2003 document");
    let word = Word {
        chpx: fib::runs(&doc, fib.part(fib::PLCF_BTE_CHPX, &table), false),
        papx: fib::runs(&doc, fib.part(fib::PLCF_BTE_PAPX, &table), true),
        styles: Styles::read(fib.part(fib::STSHF, &table), &data),
        fonts: styles::fonts(fib.part(fib::STTBF_FFN, &table)),
        drawings: pictures::Drawings::read(&fib, &table, &doc),
        text,
        fib,
        doc: &doc,
        table: &table,
        data: &data,
    };
    let mut canvas = Canvas::new();
    let mut painter = Painter::new();
    let document = Reader::new(&word, &mut canvas, &mut painter).read();
    document::send(job, Format::Doc, document, &mut canvas, &mut painter, report);
}

/// A document's streams and the tables read from them.
struct Word<'a> {
    doc: &'a [u8],
    table: &'a [u8],
    data: &'a [u8],
    fib: Fib<'a>,
    text: Text<'a>,
    chpx: Vec<Run<'a>>,
    papx: Vec<Run<'a>>,
    styles: Styles<'a>,
    fonts: Vec<String>,
    drawings: pictures::Drawings<'a>,
}

/// A flow being built: its items, and the table being filled.
#[derive(Default)]
struct Sink {
    items: Vec<Flow>,
    /// The table being built, with the cell edges of its rows.
    table: Option<(Table, Vec<i16>)>,
    /// The cells of the row being filled, and the paragraphs of the cell being filled.
    cells: Vec<Vec<Block>>,
    cell: Vec<Block>,
    /// The style and contextual spacing of the last paragraph.
    last: Option<(u16, bool)>,
    page_break: bool,
}

/// An open field: whether its code is still being read, the code, and whether its result
/// is replaced (page numbers are filled in per page).
struct Field {
    in_code: bool,
    code: String,
    replaced: bool,
}

/// What one paragraph's characters make: text blocks and pictures, in order.
enum Piece {
    /// Styled text, with the pictures set in it (`PICTURE_MARK`s in the text, in order).
    Text(Vec<(String, SpanStyle)>, Vec<(ImageRef, f32, f32)>),
    /// A floating text box with its content.
    TextBox(Flow),
    Image(Flow),
    PageBreak,
}

struct Reader<'w, 'a, 'c> {
    word: &'w Word<'a>,
    canvas: &'c mut Canvas,
    painter: &'c mut Painter,
    lists: Lists<'a>,
    findings: Vec<(FindingKind, String)>,
    chps: HashMap<(u16, Option<usize>, usize), Chp>,
    paragraphs: usize,
    images: usize,
    footnotes: u32,
    /// Footnotes the main text's paragraph being read refers to (by index).
    notes: Vec<usize>,
    /// Reading a text box's story (text boxes are not followed inside text boxes).
    in_text_box: bool,
    /// CPs where sections end, with their properties.
    sections: Vec<(u32, Sep)>,
    setup: PageSetup,
    /// The line pitch of the document grid, in points, when lines snap to one.
    grid: Option<f32>,
}

impl<'w, 'a, 'c> Reader<'w, 'a, 'c> {
    fn new(word: &'w Word<'a>, canvas: &'c mut Canvas, painter: &'c mut Painter) -> Self {
        let sections = sections(word);
        let sep = sections.first().map(|s| s.1).unwrap_or_default();
        let setup = PageSetup {
            width: pt(sep.width).clamp(72.0, 2_000.0),
            height: pt(sep.height).clamp(72.0, 2_000.0),
            margin_top: pt(sep.top).clamp(0.0, 500.0),
            margin_bottom: pt(sep.bottom).clamp(0.0, 500.0),
            margin_left: pt(sep.left).clamp(0.0, 500.0),
            margin_right: pt(sep.right).clamp(0.0, 500.0),
        };
        Reader {
            lists: Lists::read(word.fib.part_onward(fib::PLF_LST, word.table), word.fib.part(fib::PLF_LFO, word.table)),
            word,
            canvas,
            painter,
            findings: Vec::new(),
            chps: HashMap::new(),
            paragraphs: 0,
            images: 0,
            footnotes: 0,
            notes: Vec::new(),
            in_text_box: false,
            sections,
            setup,
            grid: (sep.grid != 0 && sep.pitch >= 100).then(|| pt(sep.pitch).min(200.0)),
        }
    }

    fn read(mut self) -> Document {
        let ccp = self.word.fib.ccp;
        let mut body = self.story(0..ccp[0]);
        if let Some((_, first)) = self.sections.first().filter(|(_, s)| s.columns > 1) {
            body.insert(0, self.section_start(first));
        }
        let truncated = (self.paragraphs > MAX_PARAGRAPHS).then(|| format!("only the first {MAX_PARAGRAPHS} paragraphs are shown"));
        let footnotes = self.footnotes();
        let sep = self.sections.first().map(|s| s.1).unwrap_or_default();
        let [header, footer, first_header, first_footer] = self.running(ccp[0].saturating_add(ccp[1]));
        let first_page = sep.title_page.then_some((first_header, first_footer));
        Document {
            body,
            header,
            footer,
            first_page,
            footnotes,
            setup: self.setup,
            header_y: pt(sep.header).clamp(0.0, 500.0),
            footer_y: pt(sep.footer).clamp(0.0, 500.0),
            findings: self.findings,
            truncated,
            page_borders: page_borders(&sep),
        }
    }

    /// The footnotes, each its own flow, in order.
    fn footnotes(&mut self) -> Vec<Vec<Flow>> {
        let Some(plc) = self.word.fib.part(fib::PLCF_FND_TXT, self.word.table) else { return Vec::new() };
        let base = self.word.fib.ccp[0];
        let cps: Vec<u32> = (0..plc.len() / 4).filter_map(|i| u32_at(plc, i * 4)).collect();
        let mut notes = Vec::new();
        self.footnotes = 0;
        // As many notes as references: the text's last CP pair only holds the footnote
        // story's closing paragraph mark.
        let references = self.word.fib.part(fib::PLCF_FND_REF, self.word.table).map_or(0, |plc| plc.len().saturating_sub(4) / 6);
        for pair in cps.windows(2).take(references.min(MAX_FOOTNOTES)) {
            let (start, end) = (base.saturating_add(pair[0]), base.saturating_add(pair[1]).min(base.saturating_add(self.word.fib.ccp[1])));
            if start < end {
                let flow = self.story(start..end);
                notes.push(flow.into_iter().map(|f| if let Flow::Para(b) = f { Flow::Para(footnote_spacing(b)) } else { f }).collect());
            }
        }
        notes
    }

    /// The first section's default (odd-page) header and footer, then its first page's
    /// ([MS-DOC] 2.9.181 Plcfhdd: six separator stories, then six stories per section:
    /// even and odd headers, even and odd footers, first header and footer).
    fn running(&mut self, base: u32) -> [Vec<Flow>; 4] {
        let Some(plc) = self.word.fib.part(fib::PLCF_HDD, self.word.table) else { return Default::default() };
        let cps: Vec<u32> = (0..plc.len() / 4).filter_map(|i| u32_at(plc, i * 4)).collect();
        let limit = base.saturating_add(self.word.fib.ccp[2]);
        let story = |this: &mut Self, i: usize| {
            let (Some(&a), Some(&b)) = (cps.get(i), cps.get(i + 1)) else { return Vec::new() };
            // (A story ends with a guard paragraph mark that is not part of it: [MS-DOC]
            // 2.3.6, the header document.)
            let (start, end) = (base.saturating_add(a), base.saturating_add(b).min(limit).saturating_sub(1));
            if start >= end {
                return Vec::new();
            }
            let flow = this.story(start..end);
            // A story of empty paragraphs is no header.
            let empty = flow.iter().all(|f| matches!(f, Flow::Para(b) if b.spans.iter().all(|(t, _)| t.trim().is_empty())));
            if empty {
                Vec::new()
            } else {
                flow
            }
        };
        [7, 9, 10, 11].map(|i| story(self, i))
    }

    /// Reads the CPs `range` of a story into a flow.
    fn story(&mut self, range: std::ops::Range<u32>) -> Vec<Flow> {
        let mut sink = Sink::default();
        let units = &self.word.text.units;
        let end = range.end.min(units.len() as u32);
        let mut start = range.start;
        let mut cp = range.start;
        while cp < end {
            if self.paragraphs > MAX_PARAGRAPHS {
                break;
            }
            let u = units[cp as usize];
            if matches!(u, 0x0D | 0x07 | 0x0C) {
                self.paragraph(&mut sink, start..cp, u);
                start = cp + 1;
            }
            cp += 1;
        }
        if start < end && self.paragraphs <= MAX_PARAGRAPHS {
            self.paragraph(&mut sink, start..end, 0x0D);
        }
        self.end_row(&mut sink, None);
        flush_table(&mut sink);
        sink.items
    }

    /// One paragraph: the characters `range`, ended by `mark` (a paragraph mark, a cell
    /// mark or a page or section break).
    fn paragraph(&mut self, sink: &mut Sink, range: std::ops::Range<u32>, mark: u16) {
        self.paragraphs += 1;
        let mark_cp = range.end.min(self.word.text.units.len().saturating_sub(1) as u32);
        let pap = self.pap_at(mark_cp);
        let row_end = if pap.depth > 1 { false } else { pap.row_end };
        if row_end && mark == 0x07 {
            let tap = self.tap_at(mark_cp);
            return self.end_row(sink, Some(tap));
        }
        if pap.depth > 1 && pap.inner_row_end {
            return;
        }
        let pieces = self.characters(range.clone(), &pap);
        let label = if pap.list > 0 { self.lists.next_label(pap.list, pap.level) } else { None };
        let mark_chp = self.chp_at(range.end, &pap).unwrap_or_else(|| self.word.styles.chp(pap.istd).clone());
        let mut marker = label.filter(|l| !l.is_empty()).map(|l| {
            let mut chp = mark_chp.clone();
            if let Some(level) = self.lists.level(pap.list, pap.level) {
                let base = chp.clone();
                apply_chp(&mut chp, level.chpx, &base, &|_| Vec::new());
            }
            (l, self.span_style(&chp, Script::Latin))
        });
        let in_table = pap.in_table && !row_end;
        if !in_table && (sink.table.is_some() || !sink.cells.is_empty()) {
            self.end_row(sink, None);
            flush_table(sink);
        }
        let count = pieces.len();
        // A break alone ends no paragraph of its own: the paragraph goes on after it.
        let mut pieces = match (pieces.is_empty(), mark) {
            (true, 0x0C) => Vec::new(),
            (true, _) => vec![Piece::Text(Vec::new(), Vec::new())],
            (false, _) => pieces,
        };
        // A paragraph holding only floating drawings' anchors still has its own (empty)
        // line, under them.
        if !pieces.is_empty() && pieces.iter().all(|p| matches!(p, Piece::TextBox(_))) {
            pieces.push(Piece::Text(Vec::new(), Vec::new()));
        }
        for (i, piece) in pieces.into_iter().enumerate() {
            match piece {
                Piece::Text(spans, pictures) => {
                    let spans = if spans.is_empty() { vec![(String::new(), self.span_style(&mark_chp, Script::Latin))] } else { spans };
                    let mut block = self.block(&pap, spans, marker.take());
                    block.pictures = pictures;
                    block.notes = std::mem::take(&mut self.notes);
                    if i + 1 < count.max(1) {
                        block.space_after = 0.0;
                    }
                    if i > 0 {
                        block.space_before = 0.0;
                        block.indent_first = 0.0;
                    }
                    block.page_break_before |= std::mem::take(&mut sink.page_break);
                    if pap.contextual && sink.last == Some((pap.istd, true)) {
                        block.space_before = 0.0;
                        if let Some(Flow::Para(previous)) = sink.items.last_mut().filter(|_| !in_table) {
                            previous.space_after = 0.0;
                        }
                    }
                    sink.last = Some((pap.istd, pap.contextual));
                    if in_table {
                        sink.cell.push(block);
                    } else {
                        sink.items.push(Flow::Para(block));
                    }
                }
                Piece::Image(image) => {
                    if in_table {
                        self.findings.push((FindingKind::ContentNotShown, "a picture inside a table cell".into()));
                    } else {
                        // The picture's paragraph keeps its spacing around it.
                        let spacer = |h: i32| {
                            Flow::Para(Block { spans: vec![(String::new(), SpanStyle::default())], line_exact: Some(pt(h).min(500.0)), ..Default::default() })
                        };
                        if i == 0 && pap.before > 0 {
                            sink.items.push(spacer(pap.before));
                        }
                        sink.items.push(image);
                        if i + 1 == count && pap.after > 0 {
                            sink.items.push(spacer(pap.after));
                        }
                    }
                }
                Piece::PageBreak => sink.page_break = true,
                Piece::TextBox(float) => {
                    if in_table {
                        // Cells hold paragraphs: the box's paragraphs join the cell's.
                        if let Flow::Float(float) = float {
                            if float.items.iter().any(|f| matches!(f, Flow::Image { .. })) {
                                self.findings.push((FindingKind::ContentNotShown, "a picture inside a table cell".into()));
                            }
                            sink.cell.extend(float.items.into_iter().filter_map(|f| if let Flow::Para(b) = f { Some(b) } else { None }));
                        }
                    } else {
                        sink.items.push(float);
                    }
                }
            }
        }
        if in_table && mark == 0x07 {
            let cell = std::mem::take(&mut sink.cell);
            if sink.cells.len() < sprm::MAX_CELLS {
                sink.cells.push(cell);
            }
        }
        if mark == 0x0C {
            match self.sections.iter().position(|(end, _)| *end == range.end + 1).and_then(|i| self.sections.get(i + 1)) {
                // A section break: the next section starts with its columns, on a new
                // page unless it is continuous.
                Some((_, next)) => sink.items.push(self.section_start(next)),
                None if self.breaks_page(range.end) => sink.page_break = true,
                None => {}
            }
        }
    }

    /// Where a section starts in the flow: its columns (equal shares of the text area)
    /// and whether it starts on a new page.
    fn section_start(&self, sep: &Sep) -> Flow {
        let count = usize::from(sep.columns.clamp(1, 45));
        let columns = if count > 1 { Column::equal(count, pt(sep.column_gap).clamp(0.0, 500.0)) } else { Vec::new() };
        Flow::Section { columns, new_page: sep.start != 0, inside: false }
    }

    /// Whether a break character at `cp` starts a new page: a page break does, a section
    /// break when the next section starts on a new page.
    fn breaks_page(&self, cp: u32) -> bool {
        match self.sections.iter().position(|(end, _)| *end == cp + 1) {
            Some(i) => self.sections.get(i + 1).is_none_or(|(_, s)| s.start != 0),
            None => true,
        }
    }

    /// A block of `spans` with the paragraph's alignment, indents and spacing.
    fn block(&self, pap: &Pap, spans: Vec<(String, SpanStyle)>, marker: Option<(String, SpanStyle)>) -> Block {
        let spacing = match (pap.line, pap.line_multiple) {
            (0, _) => None,
            (n, true) => Some(LineSpacing::Proportional((f32::from(n) / 240.0).clamp(0.5, 5.0))),
            (n, false) if n < 0 => Some(LineSpacing::Exact(pt(i32::from(n).abs()).clamp(1.0, 1_000.0))),
            (n, false) => Some(LineSpacing::AtLeast(pt(i32::from(n)).min(1_000.0))),
        };
        let (line_height, line_exact, line_at_least) = LineSpacing::block_fields(spacing);
        // On a document grid, each line takes whole steps of the pitch (as many as its
        // text at its spacing needs).
        let line_grid = self.grid.filter(|_| line_exact.is_none());
        Block {
            pictures: Vec::new(),
            right_to_left: None,
            no_line_gap: false,
            spans,
            align: align(pap.jc),
            indent_left: pt(pap.left).clamp(0.0, 1_000.0),
            indent_right: pt(pap.right).clamp(0.0, 1_000.0),
            indent_first: pt(pap.first).clamp(-1_000.0, 1_000.0),
            space_before: pt(pap.before).clamp(0.0, 1_000.0),
            space_after: pt(pap.after).clamp(0.0, 1_000.0),
            line_height,
            line_exact,
            line_at_least,
            line_model: LineModel::Writer,
            line_grid,
            autospace: true,
            page_break_before: pap.page_break_before,
            keep_with_next: pap.keep_next,
            marker,
            widow_control: pap.widow_control,
            shading: pap.shading,
            notes: Vec::new(),
            tabs: pap.tabs.iter().filter_map(|&(pos, tbd)| TabStop::from_tbd(pt(i32::from(pos)), tbd)).collect(),
            tab_interval: 0.0,
            borders: Borders {
                top: pap.borders[0].map(|b| b.0),
                left: pap.borders[1].map(|b| b.0),
                bottom: pap.borders[2].map(|b| b.0),
                right: pap.borders[3].map(|b| b.0),
            },
            border_space: std::array::from_fn(|i| pap.borders[i].map_or(0.0, |b| b.1)),
        }
    }

    /// The characters `range` of a paragraph as styled text, pictures and page breaks.
    fn characters(&mut self, range: std::ops::Range<u32>, pap: &Pap) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut spans: Vec<(Vec<u16>, Chp, Script)> = Vec::new();
        let mut pictures: Vec<(ImageRef, f32, f32)> = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        for cp in range {
            let Some(&u) = self.word.text.units.get(cp as usize) else { break };
            let chp = self.chp_at(cp, pap).unwrap_or_default();
            match u {
                0x13 => {
                    fields.push(Field { in_code: true, code: String::new(), replaced: false });
                    continue;
                }
                0x14 => {
                    if let Some(field) = fields.last_mut() {
                        field.in_code = false;
                        let word = field.code.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                        let stands = match word.as_str() {
                            "PAGE" => Some(PAGE_FIELD),
                            "NUMPAGES" | "SECTIONPAGES" => Some(NUMPAGES_FIELD),
                            _ => None,
                        };
                        if let Some(c) = stands {
                            field.replaced = true;
                            push_unit(&mut spans, c as u16, &chp, Script::Latin);
                        }
                    }
                    continue;
                }
                0x15 => {
                    fields.pop();
                    continue;
                }
                _ => {}
            }
            if let Some(field) = fields.last_mut().filter(|f| f.in_code) {
                if field.code.len() < 256 {
                    field.code.extend(char::from_u32(u32::from(u)));
                }
                continue;
            }
            if fields.iter().any(|f| f.replaced || f.in_code) || chp.hidden {
                continue;
            }
            let unit = match u {
                0x09 => u,
                0x0B => u16::from(b'\n'),
                0x1E => u16::from(b'-'),
                0x0C => {
                    flush_spans(self, &mut spans, &mut pictures, &mut pieces);
                    pieces.push(Piece::PageBreak);
                    continue;
                }
                0x01 | 0x08 if chp.special => {
                    let text_box = if u == 0x08 { self.word.drawings.text_box(cp, self.setup.margin_left) } else { None };
                    if let Some((story, mut float)) = text_box {
                        if !self.in_text_box {
                            flush_spans(self, &mut spans, &mut pictures, &mut pieces);
                            self.in_text_box = true;
                            let items = self.story(story);
                            self.in_text_box = false;
                            float.items = items;
                            pieces.push(Piece::TextBox(Flow::Float(float)));
                        }
                        continue;
                    }
                    if u == 0x08 && !self.in_text_box {
                        if let Some(float) = self.word.drawings.shape(cp, self.setup.margin_left, self.canvas) {
                            flush_spans(self, &mut spans, &mut pictures, &mut pieces);
                            pieces.push(Piece::TextBox(Flow::Float(float)));
                            continue;
                        }
                    }
                    if let Some(image) = self.picture(cp, u, &chp, pap) {
                        // An inline picture is a character of its size in the line, as
                        // Word sets it.
                        if let (0x01, Flow::Image { image, width, height, .. }) = (u, &image) {
                            if pictures.len() < paint::MAX_PICTURES {
                                pictures.push((*image, *width, *height));
                                push_unit(&mut spans, PICTURE_MARK as u16, &chp, Script::Latin);
                                continue;
                            }
                        }
                        flush_spans(self, &mut spans, &mut pictures, &mut pieces);
                        // A floating picture floats where its anchor says; text wraps
                        // around it as the anchor says.
                        match (u, self.word.drawings.float(cp, self.setup.margin_left)) {
                            (0x08, Some(mut float)) if !self.in_text_box => {
                                if let Flow::Image { width, .. } = &image {
                                    float.width = *width;
                                }
                                float.items = vec![image];
                                pieces.push(Piece::TextBox(Flow::Float(float)));
                            }
                            _ => pieces.push(Piece::Image(image)),
                        }
                    }
                    continue;
                }
                0x02 if chp.special => {
                    // A reference in the main text (the footnotes' own marks refer to nothing).
                    if cp < self.word.fib.ccp[0] {
                        self.notes.push(self.footnotes as usize);
                    }
                    self.footnotes += 1;
                    for d in self.footnotes.to_string().encode_utf16() {
                        push_unit(&mut spans, d, &Chp { position: 1, ..chp.clone() }, Script::Latin);
                    }
                    continue;
                }
                _ if u < 0x20 => continue,
                _ => u,
            };
            push_unit(&mut spans, unit, &chp, script(unit));
        }
        flush_spans(self, &mut spans, &mut pictures, &mut pieces);
        pieces
    }

    /// The character properties at `cp`: the paragraph style's, then the run's, then the
    /// piece's.
    fn chp_at(&mut self, cp: u32, pap: &Pap) -> Option<Chp> {
        let (fc, piece) = self.word.text.fc_of(cp)?;
        let run = fib::run_at(&self.word.chpx, fc);
        let key = (pap.istd, run, piece);
        if let Some(chp) = self.chps.get(&key) {
            return Some(chp.clone());
        }
        let styles = &self.word.styles;
        let style = styles.chp(pap.istd);
        let mut chp = style.clone();
        let groups = |istd: u16| styles.char_groups(istd);
        if let Some(run) = run {
            apply_chp(&mut chp, self.word.chpx[run].grpprl, style, &groups);
        }
        apply_chp(&mut chp, self.word.text.piece_sprms(piece), style, &groups);
        if self.chps.len() < 100_000 {
            self.chps.insert(key, chp.clone());
        }
        Some(chp)
    }

    /// The paragraph properties of the paragraph whose mark is at `cp`: its style's, its
    /// list level's, then its own and its piece's.
    fn pap_at(&self, cp: u32) -> Pap {
        let Some((fc, piece)) = self.word.text.fc_of(cp) else { return self.word.styles.pap(0) };
        let (istd, grpprl) = fib::run_at(&self.word.papx, fc).map_or((0, &[][..]), |i| (self.word.papx[i].istd, self.word.papx[i].grpprl));
        let own = |pap: &mut Pap| {
            apply_pap(pap, grpprl, self.word.data);
            apply_pap(pap, self.word.text.piece_sprms(piece), self.word.data);
        };
        let mut pap = self.word.styles.pap(istd);
        own(&mut pap);
        if pap.list > 0 {
            if let Some(level) = self.lists.level(pap.list, pap.level) {
                let (list, at) = (pap.list, pap.level);
                pap = self.word.styles.pap(istd);
                apply_pap(&mut pap, level.papx, self.word.data);
                own(&mut pap);
                (pap.list, pap.level) = (list, at);
            }
        }
        pap.istd = istd;
        pap
    }

    fn span_style(&self, chp: &Chp, script: Script) -> SpanStyle {
        let (font, half_points, bold, italic) = match script {
            Script::Latin => (chp.font, chp.half_points, chp.bold, chp.italic),
            Script::EastAsian => (chp.font_east, chp.half_points, chp.bold, chp.italic),
            Script::Complex => (chp.font_complex, chp.half_points_complex, chp.bold_complex, chp.italic_complex),
        };
        let style = SpanStyle {
            family: self.word.fonts.get(usize::from(font)).cloned().unwrap_or_else(|| "Times New Roman".into()),
            size: f32::from(half_points) / 2.0,
            bold,
            italic,
            underline: chp.underline,
            strike: chp.strike,
            color: chp.color.unwrap_or([0, 0, 0]),
            rise: 0.0,
            highlight: chp.highlight.or(chp.shading),
            hidden: false,
        };
        // sprmCIss: 1 superscript, 2 subscript.
        match chp.position {
            1 => style.script(true),
            2 => style.script(false),
            _ => style,
        }
    }

    /// A picture: inline (a picture character pointing into the Data stream) or floating
    /// (a drawing anchor), placed in the flow.
    fn picture(&mut self, cp: u32, unit: u16, chp: &Chp, pap: &Pap) -> Option<Flow> {
        let found = if unit == 0x01 {
            if chp.object && chp.picture.is_none() {
                return None;
            }
            pictures::inline(self.word.data, chp.picture?)
        } else {
            let sep = self.sections.first().map(|s| s.1).unwrap_or_default();
            self.word.drawings.anchored(cp, sep.width - sep.left - sep.right)
        };
        let picture = match found {
            Ok(p) => p,
            Err(what) => {
                if let Some(what) = what {
                    self.findings.push((FindingKind::ContentNotShown, what));
                }
                return None;
            }
        };
        if self.images >= MAX_IMAGES {
            return None;
        }
        self.images += 1;
        let size = (picture.width > 0.0 && picture.height > 0.0).then_some((picture.width, picture.height));
        let image = match crate::layout::metafile::picture(&picture.file, self.painter, self.canvas, size) {
            Ok(image) => image,
            Err(kind) => {
                self.findings.push((FindingKind::ContentNotShown, format!("a picture in {kind} format")));
                return None;
            }
        };
        let (width, height) = match size {
            Some(s) => s,
            None if image.surface().is_some() => (image.width as f32, image.height as f32),
            None => (image.width as f32 * 0.75, image.height as f32 * 0.75),
        };
        // A picture in a justified paragraph sits at the start.
        let align = picture.align.unwrap_or(match align(pap.jc) {
            Align::Justify => Align::Start,
            a => a,
        });
        Some(Flow::Image { image, width: width.clamp(1.0, 5_000.0), height: height.clamp(1.0, 5_000.0), align })
    }

    /// Ends the row being filled, with the properties of its row-end paragraph (or even
    /// columns when it has none), adding it to the table being built.
    fn end_row(&mut self, sink: &mut Sink, tap: Option<Tap>) {
        if !sink.cell.is_empty() {
            let cell = std::mem::take(&mut sink.cell);
            sink.cells.push(cell);
        }
        let cells = std::mem::take(&mut sink.cells);
        if cells.is_empty() {
            return;
        }
        let mut tap = tap.unwrap_or_default();
        let content = self.setup.width - self.setup.margin_left - self.setup.margin_right;
        if tap.edges.len() != cells.len() + 1 {
            let n = cells.len() as i32;
            let width = (content * 20.0) as i32;
            tap.edges = (0..=n).map(|i| (i * width / n) as i16).collect();
            tap.cells.resize(cells.len(), Default::default());
        }
        let edges = tap.edges.clone();
        let columns: Vec<f32> = edges.windows(2).map(|w| pt(i32::from(w[1]) - i32::from(w[0])).max(1.0)).collect();
        let last = cells.len() - 1;
        let gap = tap.gap_half.clamp(0, 2_000);
        let [top, left, bottom, right] = tap.padding;
        let padding = [top.unwrap_or(0), left.unwrap_or(gap), bottom.unwrap_or(0), right.unwrap_or(gap)].map(|t| pt(i32::from(t)));
        let mut row =
            Row { min_height: pt(i32::from(tap.height).abs()), cells: Vec::new(), padding: Some(padding), header: tap.header, cant_split: tap.cant_split };
        let first_row = sink.table.as_ref().is_none_or(|(_, e)| *e != edges);
        for (i, content) in cells.into_iter().enumerate() {
            let tc = tap.cells.get(i).cloned().unwrap_or_default();
            if tc.merged {
                if let Some(previous) = row.cells.last_mut() {
                    previous.span += 1;
                    previous.content.extend(content.into_iter().filter(|b| b.spans.iter().any(|(t, _)| !t.is_empty())));
                    continue;
                }
            }
            let [top, left, bottom, right] = tc.borders;
            let t = &tap.borders;
            let borders = Borders {
                top: top.or(if first_row { t[0] } else { t[4] }),
                left: left.or(if i == 0 { t[1] } else { t[5] }),
                bottom: bottom.or(t[2]).or(t[4]),
                right: right.or(if i == last { t[3] } else { t[5] }),
            };
            let content = if tc.merged_up { Vec::new() } else { content };
            row.cells.push(Cell { span: 1, content, fill: tc.fill, borders, v_align: Align::Start, picture: None });
        }
        match sink.table.as_mut() {
            Some((table, table_edges)) if *table_edges == edges => table.rows.push(row),
            _ => {
                flush_table(sink);
                // The first cell's left edge, moved in by its padding (as Word and
                // LibreOffice place a row whose edge is out in the margin); a row set
                // right or centred takes the room its cells leave.
                let room = (content - pt(i32::from(edges[edges.len() - 1]) - i32::from(edges[0]))).max(0.0);
                let indent = match tap.jc {
                    1 => room / 2.0,
                    2 => room,
                    _ => (pt(i32::from(edges[0])) + padding[1]).max(-self.setup.margin_left),
                };
                sink.table = Some((Table { columns, rows: vec![row], indent, ..Default::default() }, edges));
            }
        }
    }

    /// The table properties of the row-end paragraph whose mark is at `cp`.
    fn tap_at(&self, cp: u32) -> Tap {
        let mut tap = Tap::default();
        if let Some((fc, piece)) = self.word.text.fc_of(cp) {
            if let Some(run) = fib::run_at(&self.word.papx, fc) {
                apply_tap(&mut tap, self.word.papx[run].grpprl);
            }
            apply_tap(&mut tap, self.word.text.piece_sprms(piece));
        }
        tap
    }
}

/// A paragraph's alignment code: 0 left, 1 centred, 2 right, the rest justified.
fn align(jc: u8) -> Align {
    match jc {
        0 => Align::Start,
        1 => Align::Center,
        2 => Align::End,
        _ => Align::Justify,
    }
}

/// Adds a code unit to the spans, starting a new span where the properties change.
fn push_unit(spans: &mut Vec<(Vec<u16>, Chp, Script)>, unit: u16, chp: &Chp, script: Script) {
    match spans.last_mut() {
        Some((units, c, s)) if c == chp && *s == script => units.push(unit),
        _ => spans.push((vec![unit], chp.clone(), script)),
    }
}

/// Which of a run's fonts a character is set in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Script {
    Latin,
    EastAsian,
    /// Arabic, Hebrew and the other right-to-left scripts.
    Complex,
}

fn script(unit: u16) -> Script {
    match unit {
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF => Script::Complex,
        0x2E80..=0xD7FF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF => Script::EastAsian,
        _ => Script::Latin,
    }
}

/// The spans so far become a text piece.
fn flush_spans(reader: &Reader, spans: &mut Vec<(Vec<u16>, Chp, Script)>, pictures: &mut Vec<(ImageRef, f32, f32)>, pieces: &mut Vec<Piece>) {
    if spans.is_empty() {
        return;
    }
    let text = spans
        .drain(..)
        .map(|(units, chp, script)| {
            let text = String::from_utf16_lossy(&units);
            let text = if chp.caps { text.to_uppercase() } else { text };
            (text, reader.span_style(&chp, script))
        })
        .collect();
    pieces.push(Piece::Text(text, std::mem::take(pictures)));
}

fn flush_table(sink: &mut Sink) {
    if let Some((table, _)) = sink.table.take() {
        sink.items.push(Flow::Table(table));
    }
}

/// A footnote paragraph keeps at most 2 pt of space before it: notes stand close together.
fn footnote_spacing(mut block: Block) -> Block {
    block.space_before = block.space_before.min(2.0);
    block
}

/// The sections: the CP each ends at, with its properties ([MS-DOC] 2.8.26 PlcfSed).
fn sections(word: &Word) -> Vec<(u32, Sep)> {
    let Some(plc) = word.fib.part(fib::PLCF_SED, word.table) else { return vec![(word.fib.ccp[0], Sep::default())] };
    let n = plc.len().saturating_sub(4) / 16;
    (0..n.min(1_000))
        .filter_map(|i| {
            let end = u32_at(plc, (i + 1) * 4)?;
            let fc = u32_at(plc, (n + 1) * 4 + i * 12 + 2)?;
            let mut sep = Sep::default();
            if fc != u32::MAX {
                let len = usize::from(u16_at(word.doc, fc as usize)?);
                let grpprl = word.doc.get(fc as usize + 2..(fc as usize + 2 + len).min(word.doc.len()))?;
                apply_sep(&mut sep, grpprl);
            }
            Some((end, sep))
        })
        .collect()
}

/// The section's page borders ([MS-DOC] 2.9.195 SPgbProp: which pages in bits 0-2, where
/// they are measured from in bits 5-7).
fn page_borders(sep: &Sep) -> Option<PageBorders> {
    if sep.page_borders.iter().all(Option::is_none) {
        return None;
    }
    let side = |i: usize| sep.page_borders[i].map(|b| b.0);
    let apply_to = sep.page_border_props & 7;
    Some(PageBorders {
        borders: Borders { top: side(0), left: side(1), bottom: side(2), right: side(3) },
        space: [0, 1, 2, 3].map(|i| sep.page_borders[i].map_or(0.0, |b| b.1)),
        from_edge: (sep.page_border_props >> 5) & 7 == 1,
        shadow: sep.page_borders.iter().flatten().any(|b| b.2),
        first_only: apply_to == 1,
        not_first: apply_to == 2,
    })
}
