//! The RTF reader: tokens interpreted with a stack of group states (character and
//! paragraph formatting, destination) into the paint layer's flow, plus headers and
//! footers, footnotes, page setup and findings.
//!
//! Text is decoded in the code page of its font's charset (or the document's `\ansicpg`),
//! so `\'82\'a0` in a Shift_JIS font is one Japanese character; `\uN` gives Unicode
//! directly and skips its `\ucN` fallback characters. Fields show their result (PAGE and
//! NUMPAGES are filled in per page); objects show their result picture and are reported,
//! never run. Groups nested deeper than [`MAX_DEPTH`] are read as skipped, so hostile
//! nesting costs a counter.

use docsandbox_protocol::FindingKind;
use encoding_rs::Encoding;

use super::lex::{Lexer, Token};
use super::shapes::Shape;
use super::styles::StyleSheet;
use crate::layout::document::Document;
use crate::layout::paint::{
    self, Align, Block, Borders, Canvas, Cell, Column, FloatFrom, Flow, ImageRef, LineModel, LineSpacing, PageSetup, Painter, Rgb, Row, SpanStyle, Stroke,
    TabStop, Table,
};
use crate::layout::running::{NUMPAGES_FIELD, PAGE_FIELD};

/// Deepest group nesting read; deeper groups are skipped.
pub const MAX_DEPTH: usize = 256;
/// Paragraphs read at most; the rest is cut and reported.
pub const MAX_BLOCKS: usize = 25_000;
/// Characters of text kept at most.
const MAX_CHARS: usize = 8 << 20;
/// Pictures decoded at most, and the most bytes of one picture.
const MAX_IMAGES: usize = 200;
const MAX_PICTURE: usize = 32 << 20;
/// Fonts and colours kept from the tables.
const MAX_TABLE_ENTRIES: usize = 4_096;
/// Cells in one table row.
const MAX_CELLS: usize = 64;
/// Words of character styles applied in all (a style is applied each time `\csN` names
/// it); later `\csN` are ignored.
const MAX_STYLE_WORDS: usize = 4 << 20;

/// Destinations whose text is never shown: tables of styles, lists and revisions,
/// document information, object data, fallbacks, bookmarks, annotations, index entries,
/// the headers and footers of left pages.
#[rustfmt::skip]
const SKIPPED: &[&[u8]] = &[
    b"info", b"listtable", b"listoverridetable", b"revtbl", b"rsidtbl", b"xmlnstbl", b"generator", b"nonshppict", b"objdata",
    b"datastore", b"themedata", b"colorschememapping", b"latentstyles", b"pgdsctbl", b"bkmkstart", b"bkmkend", b"fldtype", b"pn", b"annotation",
    b"atnid", b"atnauthor", b"comment", b"private", b"ftnsep", b"ftnsepc", b"ftncn", b"aftnsep", b"aftnsepc", b"template", b"docvar", b"userprops",
    b"xe", b"tc", b"txe", b"picprop", b"blipuid", b"mmathPr", b"wgrffmtfilter", b"headerl", b"footerl",
    // A shape's picture for readers that do not read its instructions; these are read.
    b"shprslt",
];

/// What the text of a group is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Dest {
    /// Shown, in one of the flows.
    Flow(Target),
    /// Not shown.
    Skip,
    FontTable,
    ColorTable,
    Picture,
    FieldInstruction,
    /// `\upr`: its plain child group is the ANSI copy of what its `\*\ud` child holds.
    Upr(Target),
    /// A child group of `\upr`: skipped, unless it is `\*\ud`, read into this flow.
    UprPart(Target),
    ObjectClass,
    /// A shape property (`\sp`): its name (`\sn`) and its value (`\sv`; a picture is
    /// read into the shape).
    ShapeProperty,
    PropertyValue,
    /// The stylesheet, and one style in it.
    StyleSheet,
    StyleEntry,
    PropertyName,
}

/// The flows text can go to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    Body = 0,
    Header = 1,
    Footer = 2,
    Footnote = 3,
    /// The header and footer of a section's first page (`\titlepg`).
    HeaderFirst = 4,
    FooterFirst = 5,
    /// The text of the shape being read (`\shptxt`).
    Shape = 6,
}

impl Target {
    /// Whether the flow holds tables: the body, headers and footers do.
    fn holds_tables(self) -> bool {
        !matches!(self, Target::Footnote | Target::Shape)
    }
}

/// Character formatting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chars {
    pub font: i32,
    /// Half-points.
    size: i32,
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    color: usize,
    /// The colour behind the text (`\highlight`, `\chcbpat`, `\cb`), by colour-table
    /// index; 0 (the automatic colour) is none.
    highlight: usize,
    hidden: bool,
    /// Superscript (`Some(true)`) or subscript (`Some(false)`).
    script: Option<bool>,
    /// Fallback characters after `\uN`.
    pub uc: u32,
    /// Which text the associated words (`\af`, `\afs`, `\ab`, `\ai`) describe: East Asian
    /// after `\dbch`, complex scripts (Arabic, Hebrew...) after `\rtlch`; none after `\loch`,
    /// `\hich` and `\ltrch` (the plain words already describe that text).
    assoc: Option<Script>,
    /// The formatting of East Asian and of complex-script text, where it differs.
    east_asian: Associated,
    complex: Associated,
}

/// The scripts RTF formats apart from the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Script {
    EastAsian,
    Complex,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        match c as u32 {
            0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF => Some(Script::Complex),
            0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF => {
                Some(Script::EastAsian)
            }
            _ => None,
        }
    }
}

/// Associated character formatting: each unset where the plain words apply.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Associated {
    font: Option<i32>,
    size: Option<i32>,
    bold: Option<bool>,
    italic: Option<bool>,
}

impl Chars {
    /// The formatting of text in `script`: its associated formatting over the plain.
    fn of(&self, script: Option<Script>) -> Chars {
        let a = match script {
            Some(Script::EastAsian) => self.east_asian,
            Some(Script::Complex) => self.complex,
            None => return *self,
        };
        Chars {
            font: a.font.unwrap_or(self.font),
            size: a.size.unwrap_or(self.size),
            bold: a.bold.unwrap_or(self.bold),
            italic: a.italic.unwrap_or(self.italic),
            ..*self
        }
    }

    fn associated(&mut self) -> Option<&mut Associated> {
        match self.assoc? {
            Script::EastAsian => Some(&mut self.east_asian),
            Script::Complex => Some(&mut self.complex),
        }
    }
}

/// Paragraph formatting (lengths in twips).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Para {
    /// The paragraph style (`\sN`; 0, Normal, after `\pard`).
    pub style: i32,
    align: Align,
    left: i32,
    right: i32,
    first: i32,
    before: i32,
    after: i32,
    line: i32,
    line_multiple: bool,
    in_table: bool,
    page_break_before: bool,
    keep_next: bool,
    tabs: Tabs,
    /// Which border the next `\brdr...` words describe: top, left, bottom, right, or all
    /// four (`\box`); `None` after a cell's or a row's border word.
    pub border_side: Option<usize>,
    /// Top, left, bottom and right borders, and the space between each and the text.
    borders: [ParaBorder; 4],
    border_space: [i32; 4],
    /// The background (`\cbpat`), the pattern colour (`\cfpat`) and how much of the pattern
    /// covers it (`\shading`, in hundredths of a per cent), by colour-table index.
    shading: (usize, usize, i32),
}

/// One side of a paragraph's border: whether it is drawn, its width in twips, its colour
/// by colour-table index.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct ParaBorder {
    on: bool,
    width: i32,
    color: usize,
}

/// Most tab stops a paragraph keeps.
const MAX_TABS: usize = 32;

/// A paragraph's tab stops (`\txN` after the words that say its kind), kept in place so
/// that the paragraph formatting copies as cheaply as the rest of a group's state.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Tabs {
    /// Position in twips and kind as a Word TBD byte, in the order given.
    stops: [(i32, u8); MAX_TABS],
    len: usize,
    /// The kind the next `\tx` takes.
    pending: u8,
}

impl Para {
    /// Applies `set` to the border side the border words describe (all four after `\box`).
    fn border(&mut self, set: impl Fn(&mut ParaBorder, &mut i32)) {
        let sides = match self.border_side {
            Some(4) => 0..4,
            Some(side @ 0..=3) => side..side + 1,
            _ => return,
        };
        for side in sides {
            set(&mut self.borders[side], &mut self.border_space[side]);
        }
    }
}

impl Tabs {
    fn stops(&self) -> Vec<TabStop> {
        self.stops[..self.len.min(MAX_TABS)].iter().filter_map(|&(pos, tbd)| TabStop::from_tbd(pt(pos), tbd)).collect()
    }
}

/// One group's state.
#[derive(Debug, Clone, Copy)]
struct Group {
    chars: Chars,
    para: Para,
    dest: Dest,
}

/// The picture being read.
#[derive(Default)]
struct Picture {
    kind: Option<&'static str>,
    data: Vec<u8>,
    /// A pending high nibble of hex data.
    nibble: Option<u8>,
    width_goal: i32,
    height_goal: i32,
    width: i32,
    height: i32,
    scale_x: i32,
    scale_y: i32,
}

/// A table row being defined and filled.
#[derive(Default, Clone)]
struct RowDef {
    left: i32,
    /// Right edges of the cells, in twips from the left margin.
    edges: Vec<i32>,
    fills: Vec<Option<Rgb>>,
    borders: Vec<Borders>,
    /// Each cell's vertical alignment (`\clvertalt`, `\clvertalc`, `\clvertalb`).
    v_aligns: Vec<Align>,
    /// Each cell's padding (top, left, bottom, right; twips) where it sets one, and how it
    /// is merged: into the cell on its left (`\clmrg`), into the one above (`\clvmrg`).
    paddings: Vec<[Option<i32>; 4]>,
    merged: Vec<(bool, bool)>,
    /// The row's padding for cells without their own (`\trpadd...`).
    row_padding: [Option<i32>; 4],
    /// How the row sits between the margins (`\trql`, `\trqc`, `\trqr`).
    align: Align,
    /// Borders of the row, for cells without their own.
    row_borders: Borders,
    /// The cell property being defined: fill, borders and alignment of the next `\cellx`.
    next_fill: Option<Rgb>,
    next_borders: Borders,
    next_v_align: Align,
    next_padding: [Option<i32>; 4],
    /// Units of the paddings: 0 says a padding is not set.
    next_padding_unit: [Option<i32>; 4],
    next_merge: (bool, bool),
    /// `\trhdr`: a heading row, repeated on each page; `\trkeep`: not split.
    header: bool,
    keep: bool,
    /// `\trrh`: the row's least height, in twips (an exact one, negative, is taken as such).
    min_height: i32,
}

/// Which border the next `\brdr...` words describe.
#[derive(Clone, Copy, PartialEq)]
enum BorderSide {
    CellTop,
    CellLeft,
    CellBottom,
    CellRight,
    RowTop,
    RowLeft,
    RowBottom,
    RowRight,
    RowInsideH,
    RowInsideV,
    /// A paragraph border or another we do not draw.
    Other,
}

/// One flow being built: its items, the paragraph being written, the table being filled.
#[derive(Default)]
struct Sink {
    items: Vec<Flow>,
    runs: Vec<(String, SpanStyle)>,
    /// The pictures set in `runs` (a `PICTURE_MARK` each, in order).
    pictures: Vec<(ImageRef, f32, f32)>,
    /// The table being built, with the column edges it was built for.
    table: Option<(Table, Vec<i32>)>,
    /// Cells of the row being filled, and the paragraphs of the cell being filled.
    cells: Vec<Vec<Block>>,
    cell: Vec<Block>,
    /// Footnotes the paragraph being read refers to.
    notes: Vec<usize>,
}

/// Reads an RTF document, decoding its pictures into `canvas` (EMF pictures are drawn
/// with `painter`).
pub fn read(bytes: &[u8], canvas: &mut Canvas, painter: &mut Painter) -> Document {
    let mut reader = Reader::new(canvas, painter);
    let mut lexer = Lexer::new(bytes);
    while let Some(token) = lexer.next() {
        if reader.blocks > MAX_BLOCKS || reader.chars > MAX_CHARS {
            reader.truncated = true;
            break;
        }
        reader.token(token);
    }
    reader.finish()
}

struct Reader<'c> {
    canvas: &'c mut Canvas,
    painter: &'c mut Painter,
    group: Group,
    stack: Vec<Group>,
    /// Groups opened beyond [`MAX_DEPTH`], or inside a skipped group, still to close.
    skipped: usize,
    /// The next group is an ignorable destination (`\*`).
    ignorable: bool,
    /// Fallback characters still to skip after `\uN`.
    skip: u32,
    /// Bytes of text waiting to be decoded in their code page, with the style they had.
    pending: Vec<u8>,
    pending_style: Option<Chars>,
    /// A high surrogate from `\uN` waiting for its pair.
    surrogate: Option<u16>,
    ansi: &'static Encoding,
    default_font: i32,
    /// The distance between default tab stops (`\deftab`), in points; 0 until set.
    default_tab: f32,
    /// `\htmautsp`: paragraph spacing collapses to the larger of after and before.
    html_auto_spacing: bool,
    fonts: Vec<(i32, String, &'static Encoding)>,
    /// The font entry being read in the font table.
    font_entry: Option<(i32, String, Option<&'static Encoding>)>,
    colors: Vec<Option<Rgb>>,
    color_entry: [Option<u8>; 3],
    sinks: [Sink; 7],
    footnotes: Vec<Vec<Flow>>,
    row: RowDef,
    border_side: BorderSide,
    picture: Option<Picture>,
    /// The group depth a picture or field started at, to know when it ends.
    picture_depth: usize,
    /// Field instructions, object classes, shape property names being read.
    field_instruction: String,
    /// The group depth of the field instruction being read.
    instruction_depth: usize,
    /// `\titlepg`: the first page has its own header and footer.
    title_page: bool,
    /// The flow the shape being read goes to, and the shape; the group depth of the
    /// shape property being read, and its value.
    shape_target: Target,
    /// A shape inside the text of the shape being read (a logo in a text box): it floats
    /// in that text. Deeper shapes are read as their text.
    inner_shape: Option<Shape>,
    shape: Option<Shape>,
    property_depth: usize,
    property_value: String,
    /// The depth of the shape group being read (`\shpgrp`): the shapes inside it are not
    /// placed (their text and pictures are set in the flow).
    shape_group: Option<usize>,
    fields: Vec<(usize, Option<char>)>,
    images: usize,
    setup: PageSetup,
    setup_done: bool,
    header_y: i32,
    footer_y: i32,
    section_breaks: bool,
    /// Where the section being read starts in the body's flow, and its columns (`\cols`)
    /// and the space between them (`\colsx`, twips).
    section_start: usize,
    section_columns: (i32, i32),
    page_break_pending: bool,
    styles: StyleSheet,
    /// Words of character styles applied so far (see [`MAX_STYLE_WORDS`]).
    style_words: usize,
    findings: Vec<(FindingKind, String)>,
    blocks: usize,
    chars: usize,
    truncated: bool,
}

pub fn default_chars() -> Chars {
    Chars {
        font: 0,
        size: 24,
        bold: false,
        italic: false,
        underline: false,
        strike: false,
        color: 0,
        highlight: 0,
        hidden: false,
        script: None,
        uc: 1,
        assoc: None,
        east_asian: Associated::default(),
        complex: Associated::default(),
    }
}

/// Twips as points.
fn pt(twips: i32) -> f32 {
    twips as f32 / 20.0
}

impl<'c> Reader<'c> {
    fn new(canvas: &'c mut Canvas, painter: &'c mut Painter) -> Self {
        Reader {
            canvas,
            painter,
            group: Group { chars: default_chars(), para: Para::default(), dest: Dest::Flow(Target::Body) },
            stack: Vec::new(),
            skipped: 0,
            ignorable: false,
            skip: 0,
            pending: Vec::new(),
            pending_style: None,
            surrogate: None,
            ansi: encoding_rs::WINDOWS_1252,
            default_font: 0,
            default_tab: 0.0,
            html_auto_spacing: false,
            fonts: Vec::new(),
            font_entry: None,
            colors: Vec::new(),
            color_entry: [None; 3],
            sinks: Default::default(),
            footnotes: Vec::new(),
            row: RowDef::default(),
            border_side: BorderSide::Other,
            picture: None,
            picture_depth: 0,
            field_instruction: String::new(),
            instruction_depth: usize::MAX,
            title_page: false,
            shape_target: Target::Body,
            inner_shape: None,
            shape: None,
            property_depth: usize::MAX,
            property_value: String::new(),
            shape_group: None,
            fields: Vec::new(),
            images: 0,
            setup: PageSetup::default(),
            setup_done: false,
            header_y: 720,
            footer_y: 720,
            section_breaks: true,
            section_start: 0,
            section_columns: (1, 720),
            page_break_pending: false,
            styles: StyleSheet::default(),
            style_words: 0,
            findings: Vec::new(),
            blocks: 0,
            chars: 0,
            truncated: false,
        }
    }

    fn token(&mut self, token: Token<'_>) {
        if self.skipped > 0 {
            match token {
                Token::Open => self.skipped += 1,
                Token::Close => self.skipped -= 1,
                _ => {}
            }
            return;
        }
        match token {
            Token::Open => self.open(),
            Token::Close => self.close(),
            Token::Word(word, parameter) => {
                let ignorable = std::mem::take(&mut self.ignorable);
                if word != b"u" {
                    self.flush_text();
                }
                self.word(word, parameter, ignorable);
            }
            Token::Symbol(b'*') => self.ignorable = true,
            Token::Symbol(c) => {
                self.ignorable = false;
                if self.skip_fallback() {
                    return;
                }
                match c {
                    b'~' => self.text_char('\u{A0}'),
                    b'_' => self.text_char('\u{2011}'),
                    b'-' => {}
                    b'\\' | b'{' | b'}' => self.text_bytes(&[c]),
                    _ => {}
                }
            }
            Token::Hex(byte) => {
                if self.skip_fallback() {
                    return;
                }
                if self.group.dest == Dest::Picture {
                    if let Some(p) = self.picture.as_mut().filter(|p| p.data.len() < MAX_PICTURE) {
                        p.data.push(byte);
                    }
                    return;
                }
                self.text_bytes(&[byte]);
            }
            Token::Binary(data) => {
                if self.group.dest == Dest::Picture {
                    if let Some(p) = self.picture.as_mut().filter(|p| p.data.len() + data.len() <= MAX_PICTURE) {
                        p.data.extend_from_slice(data);
                    }
                }
            }
            Token::Text(text) => {
                self.ignorable = false;
                if self.group.dest == Dest::Picture {
                    self.picture_hex(text);
                    return;
                }
                let mut text = text;
                while self.skip > 0 && !text.is_empty() {
                    self.skip -= 1;
                    text = &text[1..];
                }
                self.text_bytes(text);
            }
        }
    }

    /// Whether a fallback character of `\uN` is being skipped (and counts it).
    fn skip_fallback(&mut self) -> bool {
        if self.skip > 0 {
            self.skip -= 1;
            return true;
        }
        false
    }

    fn open(&mut self) {
        self.flush_text();
        if self.stack.len() >= MAX_DEPTH {
            self.skipped = 1;
            return;
        }
        self.stack.push(self.group);
        match self.group.dest {
            Dest::Upr(target) => self.group.dest = Dest::UprPart(target),
            Dest::StyleSheet => {
                self.group.dest = Dest::StyleEntry;
                self.styles.begin(self.stack.len());
            }
            _ => {}
        }
    }

    fn close(&mut self) {
        self.flush_text();
        self.skip = 0;
        self.ignorable = false;
        let depth = self.stack.len();
        let mut styles_done = false;
        // A MACROBUTTON field shows the text after its macro's name, where it is.
        let macro_text =
            (self.group.dest == Dest::FieldInstruction && depth == self.instruction_depth).then(|| macro_button_text(&self.field_instruction)).flatten();
        match self.group.dest {
            Dest::Picture if depth == self.picture_depth => self.finish_picture(),
            Dest::FontTable => self.finish_font(),
            Dest::StyleEntry if self.styles.depth() == Some(depth) => self.styles.end(),
            Dest::ShapeProperty if depth == self.property_depth => {
                if let Some(shape) = self.inner_shape.as_mut().or(self.shape.as_mut()) {
                    shape.property(self.field_instruction.trim(), &self.property_value);
                }
            }
            Dest::StyleSheet if self.stack.last().is_some_and(|g| g.dest != Dest::StyleSheet) => {
                self.styles.finish(self.default_font);
                styles_done = true;
            }
            _ => {}
        }
        let placeholder = match self.fields.last() {
            Some(&(field_depth, placeholder)) if field_depth == depth => {
                self.fields.pop();
                placeholder
            }
            _ => None,
        };
        let Some(outer) = self.stack.pop() else { return };
        if let (Dest::Flow(Target::Footnote), Dest::Flow(t)) = (self.group.dest, outer.dest) {
            if t != Target::Footnote {
                let sink = &mut self.sinks[Target::Footnote as usize];
                let mut note = std::mem::take(&mut sink.items);
                if !sink.runs.is_empty() {
                    let (spans, pictures) = (std::mem::take(&mut sink.runs), std::mem::take(&mut sink.pictures));
                    note.push(Flow::Para(Block { spans, pictures, line_height: 1.0, ..Default::default() }));
                }
                self.sinks[t as usize].notes.push(self.footnotes.len());
                self.footnotes.push(note);
            }
        }
        self.group = outer;
        if self.inner_shape.as_ref().is_some_and(|s| s.depth == depth) {
            self.finish_inner_shape();
        }
        if self.shape.as_ref().is_some_and(|s| s.depth == depth) {
            self.finish_shape();
        }
        if self.shape_group == Some(depth) {
            self.shape_group = None;
        }
        if let Some(text) = macro_text {
            self.text_str(&text);
        }
        if styles_done {
            // Text before any `\pard` is in Normal.
            if let Some(&(chars, para)) = self.styles.paragraph(0) {
                self.group.chars = Chars { uc: self.group.chars.uc, ..chars };
                self.group.para = para;
            }
        }
        if let Some(c) = placeholder {
            self.text_char(c);
            self.flush_text();
        }
    }

    /// Text bytes in the current code page.
    fn text_bytes(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        match self.group.dest {
            Dest::Flow(_) | Dest::FontTable | Dest::FieldInstruction | Dest::ObjectClass | Dest::PropertyName | Dest::PropertyValue => {}
            Dest::ColorTable => {
                for _ in bytes.iter().filter(|b| **b == b';') {
                    if self.colors.len() < MAX_TABLE_ENTRIES {
                        let [r, g, b] = self.color_entry;
                        let set = r.is_some() || g.is_some() || b.is_some();
                        self.colors.push(set.then(|| [r.unwrap_or(0), g.unwrap_or(0), b.unwrap_or(0)]));
                    }
                    self.color_entry = [None; 3];
                }
                return;
            }
            _ => return,
        }
        if self.pending_style != Some(self.group.chars) {
            self.flush_text();
            self.pending_style = Some(self.group.chars);
        }
        self.pending.extend_from_slice(bytes);
    }

    fn text_char(&mut self, c: char) {
        let mut buffer = [0u8; 4];
        self.text_str(c.encode_utf8(&mut buffer));
    }

    /// Decoded text, into the destination of the group.
    fn text_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.group.dest {
            Dest::Flow(target) => {
                if self.group.chars.hidden {
                    return;
                }
                self.chars += text.len();
                // East Asian and complex-script text in their own formatting.
                let mut rest = text;
                while let Some(first) = rest.chars().next() {
                    let script = Script::of(first);
                    let end = rest.char_indices().find(|&(_, c)| Script::of(c) != script && !c.is_whitespace()).map_or(rest.len(), |(i, _)| i);
                    let (piece, tail) = rest.split_at(end.max(first.len_utf8()));
                    rest = tail;
                    let style = self.style(&self.group.chars.of(script));
                    let sink = &mut self.sinks[target as usize];
                    match sink.runs.last_mut() {
                        Some((last, s)) if *s == style => last.push_str(piece),
                        _ => sink.runs.push((piece.to_owned(), style)),
                    }
                }
            }
            Dest::FontTable => {
                if let Some((_, name, _)) = self.font_entry.as_mut() {
                    for c in text.chars() {
                        if c == ';' {
                            self.finish_font();
                            break;
                        }
                        if name.len() < 64 {
                            name.push(c);
                        }
                    }
                }
            }
            Dest::FieldInstruction | Dest::ObjectClass | Dest::PropertyName if self.field_instruction.len() < 1024 => self.field_instruction.push_str(text),
            Dest::PropertyValue if self.property_value.len() < 64 => self.property_value.push_str(text),
            _ => {}
        }
    }

    /// Decodes the waiting bytes in the code page of the style they were written in.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let chars = self.pending_style.unwrap_or(self.group.chars);
        let encoding = if self.group.dest == Dest::FontTable {
            self.font_entry.as_ref().and_then(|f| f.2).unwrap_or(self.ansi)
        } else {
            self.encoding_of(self.byte_font(&chars))
        };
        let bytes = std::mem::take(&mut self.pending);
        let (text, _) = encoding.decode_without_bom_handling(&bytes);
        let saved = self.group.chars;
        self.group.chars = chars;
        self.text_str(&text);
        self.group.chars = saved;
    }

    /// The font whose code page bytes written in `chars` are in: after `\dbch`, the East
    /// Asian font's, when one is set.
    fn byte_font(&self, chars: &Chars) -> i32 {
        match (chars.assoc, chars.east_asian.font) {
            (Some(Script::EastAsian), Some(font)) => font,
            _ => chars.font,
        }
    }

    fn encoding_of(&self, font: i32) -> &'static Encoding {
        self.fonts.iter().find(|f| f.0 == font).map_or(self.ansi, |f| f.2)
    }

    fn style(&self, chars: &Chars) -> SpanStyle {
        let family = self.fonts.iter().find(|f| f.0 == chars.font).map(|f| f.1.clone()).unwrap_or_default();
        let style = SpanStyle {
            family: if family.is_empty() { "Times New Roman".into() } else { family },
            size: (chars.size as f32 / 2.0).clamp(1.0, 400.0),
            bold: chars.bold,
            italic: chars.italic,
            underline: chars.underline,
            strike: chars.strike,
            color: self.colors.get(chars.color).copied().flatten().unwrap_or([0, 0, 0]),
            rise: 0.0,
            highlight: self.colors.get(chars.highlight).copied().flatten().filter(|_| chars.highlight > 0),
            hidden: false,
        };
        match chars.script {
            Some(up) => style.script(up),
            None => style,
        }
    }

    fn word(&mut self, word: &[u8], parameter: Option<i32>, ignorable: bool) {
        let n = parameter.unwrap_or(0);
        let dest = self.group.dest;
        if let Some(new_dest) = self.destination(word, ignorable) {
            // A destination inside a skipped group stays skipped.
            if dest != Dest::Skip {
                self.group.dest = new_dest;
            }
            return;
        }
        match self.group.dest {
            Dest::Skip
            | Dest::Upr(_)
            | Dest::UprPart(_)
            | Dest::FieldInstruction
            | Dest::ObjectClass
            | Dest::ShapeProperty
            | Dest::PropertyName
            | Dest::PropertyValue => {}
            Dest::Picture => self.picture_word(word, n),
            Dest::FontTable => self.font_word(word, n),
            Dest::ColorTable => match word {
                b"red" => self.color_entry[0] = Some(n.clamp(0, 255) as u8),
                b"green" => self.color_entry[1] = Some(n.clamp(0, 255) as u8),
                b"blue" => self.color_entry[2] = Some(n.clamp(0, 255) as u8),
                _ => {}
            },
            Dest::StyleSheet => {}
            Dest::StyleEntry => self.styles.word(word, parameter),
            Dest::Flow(_) => {
                if !self.style_word(word, n)
                    && !char_word(&mut self.group.chars, word, parameter, self.default_font)
                    && !para_word(&mut self.group.para, word, n)
                {
                    self.flow_word(word, n);
                }
            }
        }
    }

    /// Applies a word that takes a style's formatting; whether it was one. `\pard` gives
    /// the formatting of Normal (style 0), `\plain` the characters of the paragraph's
    /// style, `\sN` both of style N, `\csN` adds character style N's words.
    fn style_word(&mut self, word: &[u8], n: i32) -> bool {
        let g = &mut self.group;
        match word {
            b"pard" => {
                g.para = self.styles.paragraph(0).map_or_else(Para::default, |s| s.1);
            }
            b"plain" => {
                let chars = self.styles.paragraph(g.para.style).map_or_else(|| Chars { font: self.default_font, ..default_chars() }, |s| s.0);
                g.chars = Chars { uc: g.chars.uc, ..chars };
            }
            b"s" => {
                let Some(&(chars, para)) = self.styles.paragraph(n) else {
                    g.para.style = n;
                    return true;
                };
                g.para = Para { in_table: g.para.in_table, ..para };
                g.chars = Chars { uc: g.chars.uc, ..chars };
            }
            b"cs" => {
                // A style's words cost their number each time it is named; they are counted.
                let words = self.styles.character(n).unwrap_or_default();
                if self.style_words + words.len() > MAX_STYLE_WORDS {
                    return true;
                }
                self.style_words += words.len();
                for (word, parameter) in words {
                    char_word(&mut g.chars, word, *parameter, self.default_font);
                }
            }
            _ => return false,
        }
        true
    }

    /// The destination a word starts, if it is one: what the text of its group is.
    fn destination(&mut self, word: &[u8], ignorable: bool) -> Option<Dest> {
        match (self.group.dest, word) {
            // `\*\csN` names a character style, in the stylesheet and in the text.
            (Dest::StyleEntry | Dest::Flow(_), b"cs") | (Dest::StyleEntry, b"ds" | b"ts") => return None,
            _ => {}
        }
        Some(match word {
            b"stylesheet" => Dest::StyleSheet,
            b"fonttbl" => Dest::FontTable,
            b"colortbl" => Dest::ColorTable,
            w if SKIPPED.contains(&w) => Dest::Skip,
            b"header" | b"headerr" => Dest::Flow(Target::Header),
            b"footer" | b"footerr" => Dest::Flow(Target::Footer),
            b"footnote" => Dest::Flow(Target::Footnote),
            b"headerf" => Dest::Flow(Target::HeaderFirst),
            b"footerf" => Dest::Flow(Target::FooterFirst),
            b"pict" => {
                self.picture = Some(Picture { scale_x: 100, scale_y: 100, ..Default::default() });
                self.picture_depth = self.stack.len();
                Dest::Picture
            }
            b"fldinst" => {
                self.field_instruction.clear();
                self.instruction_depth = self.stack.len();
                Dest::FieldInstruction
            }
            b"fldrslt" => {
                // PAGE and NUMPAGES show the page numbers instead of their result;
                // MACROBUTTON its instruction's text, shown already.
                if let Some(placeholder) = self.field_placeholder()? {
                    self.fields.push((self.stack.len(), Some(placeholder)));
                }
                Dest::Skip
            }
            b"objclass" => {
                self.field_instruction.clear();
                Dest::ObjectClass
            }
            b"upr" => match self.group.dest {
                Dest::Flow(t) => Dest::Upr(t),
                _ => Dest::Skip,
            },
            b"ud" => match self.group.dest {
                Dest::UprPart(t) => Dest::Flow(t),
                _ => return None,
            },
            // A shape's properties: its picture (`pib`) is read into it, the others' values
            // too. (Outside a shape, a picture property is set in the text.)
            b"sp" if matches!(self.group.dest, Dest::Flow(_)) => {
                if self.shape.is_none() {
                    self.shape_target = match self.group.dest {
                        Dest::Flow(t) => t,
                        _ => Target::Body,
                    };
                }
                self.property_depth = self.stack.len();
                self.field_instruction.clear();
                self.property_value.clear();
                Dest::ShapeProperty
            }
            b"sn" if self.group.dest == Dest::ShapeProperty => {
                self.field_instruction.clear();
                Dest::PropertyName
            }
            b"sv" if self.group.dest == Dest::ShapeProperty => {
                if self.field_instruction.trim() == "pib" {
                    Dest::Flow(if self.inner_shape.is_some() { Target::Shape } else { self.shape_target })
                } else {
                    self.property_value.clear();
                    Dest::PropertyValue
                }
            }
            b"shp" => {
                match self.group.dest {
                    Dest::Flow(t) if t != Target::Shape && self.shape.is_none() && self.shape_group.is_none() => {
                        self.shape = Some(Shape::new(self.stack.len()));
                        self.shape_target = t;
                    }
                    Dest::Flow(Target::Shape) if self.shape.is_some() && self.inner_shape.is_none() => {
                        self.inner_shape = Some(Shape::new(self.stack.len()));
                    }
                    _ => {}
                }
                return None;
            }
            b"shpgrp" => {
                if self.shape_group.is_none() && self.shape.is_none() {
                    self.shape_group = Some(self.stack.len());
                }
                return None;
            }
            // A shape's text goes into it.
            b"shptxt" if self.shape.is_some() && matches!(self.group.dest, Dest::Flow(_)) => Dest::Flow(Target::Shape),
            // Groups whose text is shown: shapes (their instructions, text boxes, pictures),
            // objects' results, fields, list labels.
            b"shppict" | b"shpinst" | b"shptxt" | b"result" | b"object" | b"field" | b"listtext" | b"pntext" => return None,
            _ if ignorable => Dest::Skip,
            _ => return None,
        })
    }

    fn font_word(&mut self, word: &[u8], n: i32) {
        match word {
            b"f" => {
                self.finish_font();
                self.font_entry = Some((n, String::new(), None));
            }
            b"fcharset" => {
                if let Some(entry) = self.font_entry.as_mut() {
                    entry.2 = charset_encoding(n);
                }
            }
            b"cpg" => {
                if let Some(entry) = self.font_entry.as_mut() {
                    entry.2 = code_page(n).or(entry.2);
                }
            }
            _ => {}
        }
    }

    /// Words of the text flow other than character and paragraph formatting.
    fn flow_word(&mut self, word: &[u8], n: i32) {
        match word {
            // Document.
            b"ansicpg" => self.ansi = code_page(n).unwrap_or(self.ansi),
            b"mac" => self.ansi = encoding_rs::MACINTOSH,
            b"deff" => {
                self.default_font = n;
                self.group.chars.font = n;
            }
            b"deftab" => self.default_tab = pt(n).clamp(0.0, 1_000.0),
            b"htmautsp" => self.html_auto_spacing = true,
            b"paperw" | b"pgwsxn" if !self.setup_done => self.setup.width = pt(n).clamp(36.0, 2000.0),
            b"paperh" | b"pghsxn" if !self.setup_done => self.setup.height = pt(n).clamp(36.0, 2000.0),
            b"margl" | b"marglsxn" if !self.setup_done => self.setup.margin_left = pt(n).clamp(0.0, 1000.0),
            b"margr" | b"margrsxn" if !self.setup_done => self.setup.margin_right = pt(n).clamp(0.0, 1000.0),
            b"margt" | b"margtsxn" if !self.setup_done => self.setup.margin_top = pt(n).clamp(0.0, 1000.0),
            b"margb" | b"margbsxn" if !self.setup_done => self.setup.margin_bottom = pt(n).clamp(0.0, 1000.0),
            b"headery" => self.header_y = n.clamp(0, 20_000),
            b"footery" => self.footer_y = n.clamp(0, 20_000),
            b"sbknone" => self.section_breaks = false,
            b"titlepg" => self.title_page = true,
            b"sbkpage" | b"sbkodd" | b"sbkeven" | b"sbkcol" => self.section_breaks = true,
            b"sectd" => {
                self.section_breaks = true;
                self.section_columns = (1, 720);
            }
            b"cols" => self.section_columns.0 = n.clamp(1, 45),
            b"colsx" => self.section_columns.1 = n.clamp(0, 20_000),
            b"sect" => {
                // A section break ends the paragraph being written; after `\par` it adds
                // no empty one (LibreOffice shows none; neither does Word's layout). Right
                // after a table it ends an empty paragraph: a section cannot end in a table,
                // and LibreOffice adds one there (Word's files always have one).
                self.flush_text();
                let after_table = self.target() == Some(Target::Body) && {
                    let sink = &self.sinks[Target::Body as usize];
                    sink.runs.is_empty() && (sink.table.is_some() || !sink.cells.is_empty() || matches!(sink.items.last(), Some(Flow::Table(_))))
                };
                if after_table || self.target().is_some_and(|t| !self.sinks[t as usize].runs.is_empty()) {
                    self.group.para.in_table = false;
                    self.end_paragraph(false);
                }
                self.setup_done = true;
                self.end_section();
            }
            b"u" => self.unicode(n),
            b"par" => self.end_paragraph(false),
            b"page" => self.end_paragraph(true),
            b"line" | b"nestcell" => self.text_char('\n'),
            b"tab" => self.text_char('\t'),
            b"cell" => self.end_cell(),
            b"row" => self.end_row(),
            // Special characters.
            b"emdash" => self.text_char('—'),
            b"endash" => self.text_char('–'),
            b"bullet" => self.text_char('•'),
            b"lquote" => self.text_char('‘'),
            b"rquote" => self.text_char('’'),
            b"ldblquote" => self.text_char('“'),
            b"rdblquote" => self.text_char('”'),
            b"emspace" => self.text_char('\u{2003}'),
            b"enspace" => self.text_char('\u{2002}'),
            b"qmspace" => self.text_char('\u{2005}'),
            b"chpgn" => self.text_char(PAGE_FIELD),
            b"chftn" => self.text_str(&(self.footnotes.len() + 1).to_string()),
            // Tables.
            b"trowd" => self.row = RowDef::default(),
            b"trleft" => self.row.left = n.clamp(-20_000, 20_000),
            b"trhdr" => self.row.header = true,
            b"trkeep" => self.row.keep = true,
            b"trrh" => self.row.min_height = n.clamp(-31_680, 31_680),
            b"cellx" => {
                if self.row.edges.len() < MAX_CELLS {
                    let fill = self.row.next_fill.take();
                    let borders = std::mem::take(&mut self.row.next_borders);
                    self.row.edges.push(n.clamp(-20_000, 40_000));
                    self.row.fills.push(fill);
                    self.row.borders.push(borders);
                    self.row.v_aligns.push(std::mem::take(&mut self.row.next_v_align));
                    let (values, units) = (std::mem::take(&mut self.row.next_padding), std::mem::take(&mut self.row.next_padding_unit));
                    self.row.paddings.push(std::array::from_fn(|i| values[i].filter(|_| units[i] != Some(0))));
                    self.row.merged.push(std::mem::take(&mut self.row.next_merge));
                }
            }
            b"clbrdrt" | b"clbrdrl" | b"clbrdrb" | b"clbrdrr" | b"trbrdrt" | b"trbrdrl" | b"trbrdrb" | b"trbrdrr" | b"trbrdrh" | b"trbrdrv" => {
                // The border words after these describe a cell's or the row's border.
                self.group.para.border_side = None;
                self.border_side = match word {
                    b"clbrdrt" => BorderSide::CellTop,
                    b"clbrdrl" => BorderSide::CellLeft,
                    b"clbrdrb" => BorderSide::CellBottom,
                    b"clbrdrr" => BorderSide::CellRight,
                    b"trbrdrt" => BorderSide::RowTop,
                    b"trbrdrl" => BorderSide::RowLeft,
                    b"trbrdrb" => BorderSide::RowBottom,
                    b"trbrdrr" => BorderSide::RowRight,
                    b"trbrdrh" => BorderSide::RowInsideH,
                    _ => BorderSide::RowInsideV,
                };
            }
            // Cell and row padding. Word reads `\clpadl` as the top padding and `\clpadt` as
            // the left one (and so for `\trpadd`), whatever the specification says, and
            // writes them so; LibreOffice follows (measured: `\clpadl1440` moves the text an
            // inch down).
            b"clpadl" | b"clpadt" | b"clpadb" | b"clpadr" | b"clpadfl" | b"clpadft" | b"clpadfb" | b"clpadfr" => {
                let side = padding_side(word);
                if word.starts_with(b"clpadf") {
                    self.row.next_padding_unit[side] = Some(n);
                } else {
                    self.row.next_padding[side] = Some(n.clamp(0, 10_000));
                }
            }
            b"trpaddl" | b"trpaddt" | b"trpaddb" | b"trpaddr" => self.row.row_padding[padding_side(word)] = Some(n.clamp(0, 10_000)),
            b"trql" => self.row.align = Align::Start,
            b"trqc" => self.row.align = Align::Center,
            b"trqr" => self.row.align = Align::End,
            b"clmrg" => self.row.next_merge.0 = true,
            b"clvmrg" => self.row.next_merge.1 = true,
            b"clvertalt" => self.row.next_v_align = Align::Start,
            b"clvertalc" => self.row.next_v_align = Align::Center,
            b"clvertalb" => self.row.next_v_align = Align::End,
            b"clcbpat" => self.row.next_fill = self.colors.get(usize::try_from(n).unwrap_or(0)).copied().flatten(),
            b"brdrs" | b"brdrth" | b"brdrdb" | b"brdrsh" | b"brdrdot" | b"brdrdash" | b"brdrhair" | b"brdrtriple" => {
                self.border(|s| *s = Some(([0, 0, 0], 0.5)))
            }
            b"brdrnone" | b"brdrnil" => self.border(|s| *s = None),
            b"brdrw" => self.border(|s| {
                if let Some(stroke) = s.as_mut() {
                    stroke.1 = pt(n).clamp(0.25, 6.0);
                }
            }),
            b"brdrcf" => {
                let color = self.colors.get(usize::try_from(n).unwrap_or(0)).copied().flatten().unwrap_or([0, 0, 0]);
                self.border(|s| {
                    if let Some(stroke) = s.as_mut() {
                        stroke.0 = color;
                    }
                });
            }
            b"shpleft" | b"shptop" | b"shpright" | b"shpbottom" | b"shpwr" | b"shpbxpage" | b"shpbxmargin" | b"shpbxcolumn" | b"shpbypage" | b"shpbymargin"
            | b"shpbypara" => {
                if let Some(shape) = self.open_shape() {
                    let n = n.clamp(-400_000, 400_000);
                    match word {
                        b"shpleft" => shape.rect[0] = n,
                        b"shptop" => shape.rect[1] = n,
                        b"shpright" => shape.rect[2] = n,
                        b"shpbottom" => shape.rect[3] = n,
                        b"shpwr" => shape.wrap = n,
                        b"shpbxpage" => shape.from_x = Some(FloatFrom::Page),
                        b"shpbxmargin" => shape.from_x = Some(FloatFrom::Margin),
                        b"shpbxcolumn" => shape.from_x = Some(FloatFrom::Here),
                        b"shpbypage" => shape.from_y = Some(FloatFrom::Page),
                        b"shpbymargin" => shape.from_y = Some(FloatFrom::Margin),
                        _ => shape.from_y = Some(FloatFrom::Here),
                    }
                }
            }
            // Objects: reported, only their result is shown.
            b"objemb" | b"objlink" | b"objautlink" | b"objupdate" | b"objocx" | b"objhtml" => self.object_word(word),
            _ => {}
        }
    }

    /// Applies a `\brdr...` word to the border it describes.
    fn border(&mut self, apply: impl Fn(&mut Option<Stroke>)) {
        let row = &mut self.row;
        let target = match self.border_side {
            BorderSide::CellTop => &mut row.next_borders.top,
            BorderSide::CellLeft => &mut row.next_borders.left,
            BorderSide::CellBottom => &mut row.next_borders.bottom,
            BorderSide::CellRight => &mut row.next_borders.right,
            BorderSide::RowTop | BorderSide::RowInsideH => &mut row.row_borders.top,
            BorderSide::RowLeft | BorderSide::RowInsideV => &mut row.row_borders.left,
            BorderSide::RowBottom => &mut row.row_borders.bottom,
            BorderSide::RowRight => &mut row.row_borders.right,
            BorderSide::Other => return,
        };
        apply(target);
    }

    fn object_word(&mut self, word: &[u8]) {
        let (kind, what) = match word {
            b"objemb" => (FindingKind::EmbeddedObject, "an embedded OLE object (not run; its picture is shown)"),
            b"objlink" | b"objautlink" => (FindingKind::ExternalOleObject, "an OLE object linked from outside the document"),
            b"objupdate" => (FindingKind::ExternalOleObject, "an OLE object that updates itself when the document opens"),
            b"objocx" => (FindingKind::Activex, "an ActiveX control"),
            _ => (FindingKind::EmbeddedObject, "an embedded HTML object"),
        };
        self.findings.push((kind, what.to_owned()));
    }

    /// `\uN`: a UTF-16 unit (negative values are the upper half), then `\ucN` fallbacks.
    fn unicode(&mut self, n: i32) {
        self.flush_text();
        let unit = (n as i64).rem_euclid(65_536) as u16;
        self.skip = self.group.chars.uc;
        match unit {
            0xD800..=0xDBFF => self.surrogate = Some(unit),
            0xDC00..=0xDFFF => {
                if let Some(high) = self.surrogate.take() {
                    let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                    self.text_char(char::from_u32(c).unwrap_or('\u{FFFD}'));
                }
            }
            _ => {
                self.surrogate = None;
                self.text_char(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'));
            }
        }
    }

    /// PAGE and NUMPAGES fields show the page numbers (`Some(Some(mark))`), MACROBUTTON
    /// its own text and not its result (`Some(None)`); others their result (`None`).
    fn field_placeholder(&mut self) -> Option<Option<char>> {
        let instruction = std::mem::take(&mut self.field_instruction);
        let upper = instruction.trim().to_ascii_uppercase();
        let name = upper.split_whitespace().next().unwrap_or("");
        match name {
            "PAGE" => return Some(Some(PAGE_FIELD)),
            "NUMPAGES" | "SECTIONPAGES" => return Some(Some(NUMPAGES_FIELD)),
            "MACROBUTTON" => return Some(None),
            "DDE" | "DDEAUTO" => self.findings.push((FindingKind::Dde, clip(&instruction))),
            "INCLUDEPICTURE" if upper.contains("://") || upper.contains("\\\\") => self.findings.push((FindingKind::ExternalImage, clip(&instruction))),
            "INCLUDETEXT" | "IMPORT" | "LINK" => self.findings.push((FindingKind::ExternalDocument, clip(&instruction))),
            "HYPERLINK" => self.findings.push((FindingKind::Uri, clip(&instruction))),
            _ => {}
        }
        None
    }

    fn picture_word(&mut self, word: &[u8], n: i32) {
        let Some(p) = self.picture.as_mut() else { return };
        match word {
            b"pngblip" => p.kind = Some("png"),
            b"jpegblip" => p.kind = Some("jpeg"),
            b"emfblip" => p.kind = Some("EMF"),
            b"wmetafile" => p.kind = Some("WMF"),
            b"macpict" => p.kind = Some("PICT"),
            b"dibitmap" | b"wbitmap" => p.kind = Some("bitmap"),
            b"picw" => p.width = n,
            b"pich" => p.height = n,
            b"picwgoal" => p.width_goal = n,
            b"pichgoal" => p.height_goal = n,
            b"picscalex" => p.scale_x = n.clamp(1, 1000),
            b"picscaley" => p.scale_y = n.clamp(1, 1000),
            _ => {}
        }
    }

    /// Hex digits of picture data (whitespace and anything else ignored).
    fn picture_hex(&mut self, text: &[u8]) {
        let Some(p) = self.picture.as_mut() else { return };
        for &b in text {
            let Some(v) = (b as char).to_digit(16) else { continue };
            match p.nibble.take() {
                Some(high) => {
                    if p.data.len() < MAX_PICTURE {
                        p.data.push(high << 4 | v as u8);
                    }
                }
                None => p.nibble = Some(v as u8),
            }
        }
    }

    fn finish_picture(&mut self) {
        let Some(p) = self.picture.take() else { return };
        let Dest::Flow(target) = self.stack.last().map_or(Dest::Skip, |g| g.dest) else { return };
        let kind = p.kind.unwrap_or("unknown");
        if !matches!(kind, "png" | "jpeg" | "EMF" | "WMF") {
            self.findings.push((FindingKind::ContentNotShown, format!("a picture in {kind} format")));
            return;
        }
        if self.images >= MAX_IMAGES {
            return;
        }
        self.images += 1;
        let goal = (p.width_goal > 0 && p.height_goal > 0).then(|| (pt(p.width_goal), pt(p.height_goal)));
        let Ok(image) = crate::layout::metafile::picture(&p.data, self.painter, self.canvas, goal) else {
            self.findings.push((FindingKind::ContentNotShown, format!("a damaged {} picture", kind.to_uppercase())));
            return;
        };
        // A figure's size is in points; an image's in pixels at 96 DPI.
        let (w, h) =
            if image.surface().is_some() { (image.width as f32 / 0.75, image.height as f32 / 0.75) } else { (image.width as f32, image.height as f32) };
        let (w, h) = (w as u32, h as u32);
        // The goal size in twips, else the pixel size at 96 DPI; then the scale.
        let width = if p.width_goal > 0 { pt(p.width_goal) } else { w as f32 * 0.75 } * p.scale_x as f32 / 100.0;
        let height = if p.height_goal > 0 { pt(p.height_goal) } else { h as f32 * 0.75 } * p.scale_y as f32 / 100.0;
        let (width, height) = (width.clamp(1.0, 5000.0), height.clamp(1.0, 5000.0));
        // A shape's picture (`pib`) is drawn in its frame.
        if let Some(shape) = self.inner_shape.as_mut().filter(|_| target == Target::Shape) {
            shape.picture = Some((image, width, height));
            return;
        }
        if let Some(shape) = self.shape.as_mut().filter(|_| target == self.shape_target) {
            shape.picture = Some((image, width, height));
            return;
        }
        // A picture outside a shape is set in the text, a character of its size.
        let style = self.style(&self.group.chars);
        let sink = &mut self.sinks[target as usize];
        if paint::push_picture(&mut sink.runs, &mut sink.pictures, (image, width, height), &style) {
            return;
        }
        let align = self.group.para.align;
        let in_table = self.stack.last().is_some_and(|g| g.para.in_table);
        if in_table {
            // Cells hold paragraphs only.
            self.findings.push((FindingKind::ContentNotShown, "a picture inside a table cell".into()));
            return;
        }
        self.close_table(target);
        if !self.sinks[target as usize].runs.is_empty() {
            // A picture in a line of text ends the text before it.
            let block = self.block(target);
            self.sinks[target as usize].items.push(Flow::Para(Block { space_after: 0.0, ..block }));
        }
        let sink = &mut self.sinks[target as usize];
        sink.items.push(Flow::Image { image, width, height, align });
    }

    /// The shape whose instructions and properties are being read: the inner one, if any.
    fn open_shape(&mut self) -> Option<&mut Shape> {
        self.inner_shape.as_mut().or(self.shape.as_mut())
    }

    /// A shape inside a shape's text ends: it floats in that text, before the paragraph
    /// it is anchored to. (Its own text, if any, was read into the outer shape's.)
    fn finish_inner_shape(&mut self) {
        let Some(shape) = self.inner_shape.take() else { return };
        if let Some(float) = shape.float(Vec::new(), self.canvas) {
            self.sinks[Target::Shape as usize].items.push(Flow::Float(float));
        }
    }

    /// The shape being read ends: it is placed, with its text, in the flow it is anchored
    /// in, before the paragraph it is anchored to.
    fn finish_shape(&mut self) {
        let Some(shape) = self.shape.take() else { return };
        if !self.sinks[Target::Shape as usize].runs.is_empty() {
            let block = self.block(Target::Shape);
            self.sinks[Target::Shape as usize].items.push(Flow::Para(block));
        }
        Self::flush_table(&mut self.sinks[Target::Shape as usize]);
        let items = std::mem::take(&mut self.sinks[Target::Shape as usize].items);
        let Some(float) = shape.float(items, self.canvas) else { return };
        let target = self.shape_target;
        // (In a table, it goes before the table.)
        if !self.group.para.in_table {
            self.close_table(target);
        }
        self.sinks[target as usize].items.push(Flow::Float(float));
    }

    fn finish_font(&mut self) {
        if let Some((id, name, encoding)) = self.font_entry.take() {
            if self.fonts.len() < MAX_TABLE_ENTRIES {
                let name = name.trim().trim_end_matches(';').to_owned();
                self.fonts.push((id, name, encoding.unwrap_or(self.ansi)));
            }
        }
    }

    /// The target flow of the current group.
    fn target(&self) -> Option<Target> {
        match self.group.dest {
            Dest::Flow(t) => Some(t),
            _ => None,
        }
    }

    /// `\par` (or `\page`, which also starts a new page after it).
    fn end_paragraph(&mut self, page_break: bool) {
        let Some(target) = self.target() else { return };
        let mut block = self.block(target);
        let in_table = self.group.para.in_table;
        let collapse = self.html_auto_spacing;
        let sink = &mut self.sinks[target as usize];
        if in_table && target.holds_tables() {
            // `\htmautsp`: the space between two paragraphs is the larger of the two.
            if let (true, Some(last)) = (collapse, sink.cell.last()) {
                block.space_before = (block.space_before - last.space_after).max(0.0);
            }
            sink.cell.push(block);
        } else {
            self.close_table(target);
            let items = &mut self.sinks[target as usize].items;
            if let (true, Some(Flow::Para(last))) = (collapse, items.last()) {
                block.space_before = (block.space_before - last.space_after).max(0.0);
            }
            items.push(Flow::Para(block));
        }
        self.blocks += 1;
        if page_break {
            self.page_break_pending = true;
        }
    }

    /// The paragraph written so far in `target`, as a block.
    fn block(&mut self, target: Target) -> Block {
        let p = self.group.para;
        let runs = std::mem::take(&mut self.sinks[target as usize].runs);
        let pictures = std::mem::take(&mut self.sinks[target as usize].pictures);
        let notes = std::mem::take(&mut self.sinks[target as usize].notes);
        let base = self.style(&self.group.chars);
        let spans = if runs.is_empty() { vec![(String::new(), base)] } else { runs };
        // Exact spacing (negative) and at-least spacing in twips.
        let spacing = match (p.line, p.line_multiple) {
            (0, _) => None,
            (n, true) => Some(LineSpacing::Proportional((n as f32 / 240.0).clamp(0.5, 5.0))),
            (n, false) if n < 0 => Some(LineSpacing::Exact(pt(n.saturating_abs()).clamp(1.0, 1_000.0))),
            (n, false) => Some(LineSpacing::AtLeast(pt(n).min(1_000.0))),
        };
        let (line_height, line_exact, line_at_least) = LineSpacing::block_fields(spacing);
        let page_break_before = p.page_break_before || (target == Target::Body && std::mem::take(&mut self.page_break_pending));
        let color = |i: usize| self.colors.get(i).copied().flatten();
        // `\shading` covers the background with that much of the pattern colour.
        let (back, front, share) = p.shading;
        let shading = match share {
            0 => color(back),
            _ => Some(crate::ooxml::color::mix(color(front).unwrap_or([0, 0, 0]), color(back).unwrap_or([255, 255, 255]), share as f32 / 10_000.0)),
        };
        let side = |i: usize| {
            let b = p.borders[i];
            b.on.then(|| (color(b.color).unwrap_or([0, 0, 0]), pt(b.width).max(0.25)))
        };
        let borders = Borders { top: side(0), left: side(1), bottom: side(2), right: side(3) };
        let border_space = [0, 1, 2, 3].map(|i| if p.borders[i].on { pt(p.border_space[i]) } else { 0.0 });
        Block {
            spans,
            pictures,
            align: p.align,
            indent_left: pt(p.left).max(0.0),
            indent_right: pt(p.right).max(0.0),
            indent_first: pt(p.first),
            space_before: pt(p.before),
            space_after: pt(p.after),
            line_height,
            line_exact,
            line_at_least,
            line_model: LineModel::Writer,
            autospace: true,
            page_break_before,
            keep_with_next: p.keep_next,
            notes,
            tabs: p.tabs.stops(),
            tab_interval: self.default_tab,
            shading,
            borders,
            border_space,
            ..Default::default()
        }
    }

    /// `\cell`: the paragraphs written since the last one fill a cell. (Footnotes and
    /// shapes' text hold no tables: a cell there ends with a tab.)
    fn end_cell(&mut self) {
        let Some(target) = self.target().filter(|t| t.holds_tables()) else {
            return self.text_char('\t');
        };
        let sink = &mut self.sinks[target as usize];
        if !sink.runs.is_empty() || sink.cell.is_empty() {
            let block = self.block(target);
            self.sinks[target as usize].cell.push(block);
            self.blocks += 1;
        }
        let sink = &mut self.sinks[target as usize];
        let cell = std::mem::take(&mut sink.cell);
        if sink.cells.len() < MAX_CELLS {
            sink.cells.push(cell);
        }
    }

    /// `\row`: the cells filled since the last one make a row of the table.
    fn end_row(&mut self) {
        if let Some(target) = self.target().filter(|t| t.holds_tables()) {
            self.build_row(target);
        }
    }

    /// The cells filled so far make a row of `target`'s table.
    fn build_row(&mut self, target: Target) {
        if !self.sinks[target as usize].cell.is_empty() {
            let cell = std::mem::take(&mut self.sinks[target as usize].cell);
            self.sinks[target as usize].cells.push(cell);
        }
        let row = self.row.clone();
        let sink = &mut self.sinks[target as usize];
        let mut cells = std::mem::take(&mut sink.cells);
        if cells.is_empty() {
            return;
        }
        // Column edges: the row's own, or even ones when it defines none.
        let edges: Vec<i32> = if row.edges.len() >= cells.len() {
            row.edges[..cells.len()].to_vec()
        } else {
            (1..=cells.len() as i32).map(|i| row.left + i * 9_000 / cells.len() as i32).collect()
        };
        cells.truncate(edges.len());
        let mut columns = Vec::with_capacity(edges.len());
        let mut left = row.left;
        for &edge in &edges {
            columns.push(pt(edge - left).max(1.0));
            left = edge.max(left);
        }
        let row_borders = row.row_borders;
        // The row's padding: on each side the most any cell asks for, else the row's.
        let mut padding = row.row_padding;
        for cell in row.paddings.iter().take(cells.len()) {
            for (side, value) in cell.iter().enumerate() {
                if let Some(v) = value {
                    padding[side] = Some(padding[side].map_or(*v, |p| p.max(*v)));
                }
            }
        }
        let padding = padding.iter().any(Option::is_some).then(|| {
            let [top, left, bottom, right] = padding;
            [top.map_or(0.0, pt), left.map_or(paint::CELL_PADDING, pt), bottom.map_or(0.0, pt), right.map_or(paint::CELL_PADDING, pt)]
        });
        let mut paint_row =
            Row { min_height: pt(row.min_height.abs()), cells: Vec::with_capacity(cells.len()), padding, header: row.header, cant_split: row.keep };
        let same_table = matches!(&sink.table, Some((_, table_edges)) if *table_edges == edges);
        let mut column = 0;
        for (i, content) in cells.into_iter().enumerate() {
            let own = row.borders.get(i).copied().unwrap_or_default();
            let mut borders = Borders {
                top: own.top.or(row_borders.top),
                bottom: own.bottom.or(row_borders.bottom),
                left: own.left.or(row_borders.left),
                right: own.right.or(row_borders.right),
            };
            let (into_left, into_above) = row.merged.get(i).copied().unwrap_or_default();
            // A cell merged into the one on its left widens it.
            if let (true, Some(last)) = (into_left, paint_row.cells.last_mut()) {
                last.span += 1;
                last.borders.right = borders.right;
                column += 1;
                continue;
            }
            // A cell merged into the one above is empty and joins it.
            let content = if into_above {
                borders.top = None;
                let above = sink.table.as_mut().filter(|_| same_table).and_then(|(table, _)| table.rows.last_mut());
                if let Some(above) = above.and_then(|r| r.cell_at(column)) {
                    above.borders.bottom = None;
                }
                Vec::new()
            } else {
                content
            };
            paint_row.cells.push(Cell {
                span: 1,
                content,
                fill: row.fills.get(i).copied().flatten(),
                borders,
                v_align: row.v_aligns.get(i).copied().unwrap_or_default(),
                picture: None,
            });
            column += 1;
        }
        // A row set right or centred between the margins.
        let width = pt(edges.last().copied().unwrap_or(row.left) - row.left);
        let room = (self.setup.width - self.setup.margin_left - self.setup.margin_right - width).max(0.0);
        let indent = match row.align {
            Align::End => room,
            Align::Center => room / 2.0,
            _ => pt(row.left).max(0.0),
        };
        match sink.table.as_mut() {
            Some((table, _)) if same_table => table.rows.push(paint_row),
            _ => {
                Self::flush_table(sink);
                sink.table = Some((Table { columns, rows: vec![paint_row], indent, ..Default::default() }, edges));
            }
        }
    }

    /// Ends the table being built in `target` (with cells never closed by `\row`), before
    /// something that is not in it.
    fn close_table(&mut self, target: Target) {
        let sink = &self.sinks[target as usize];
        if target.holds_tables() && (!sink.cells.is_empty() || !sink.cell.is_empty()) {
            self.build_row(target);
        }
        Self::flush_table(&mut self.sinks[target as usize]);
    }

    fn flush_table(sink: &mut Sink) {
        if let Some((table, _)) = sink.table.take() {
            sink.items.push(Flow::Table(table));
        }
    }

    /// The section read so far ends (`\sect`, or the document's end): it starts, where it
    /// began, with its columns, on a new page unless `\sbknone`. The words after `\sect`
    /// describe the next section.
    fn end_section(&mut self) {
        let (count, gap) = self.section_columns;
        let columns = if count > 1 { Column::equal(count as usize, pt(gap).clamp(0.0, 500.0)) } else { Vec::new() };
        let items = &mut self.sinks[Target::Body as usize].items;
        let at = self.section_start.min(items.len());
        // A first section of one column changes nothing.
        if at > 0 || !columns.is_empty() {
            items.insert(at, Flow::Section { columns, new_page: self.section_breaks, inside: false });
        }
        self.section_start = items.len();
    }

    fn finish(mut self) -> Document {
        self.flush_text();
        for target in [Target::Body, Target::Header, Target::Footer, Target::HeaderFirst, Target::FooterFirst] {
            self.build_row(target);
            if !self.sinks[target as usize].runs.is_empty() {
                let block = self.block(target);
                self.sinks[target as usize].items.push(Flow::Para(block));
            }
            Self::flush_table(&mut self.sinks[target as usize]);
        }
        self.end_section();
        let [body, header, footer, _, header_first, footer_first, _] = self.sinks;
        Document {
            body: body.items,
            header: header.items,
            footer: footer.items,
            first_page: self.title_page.then_some((header_first.items, footer_first.items)),
            footnotes: self.footnotes,
            setup: self.setup,
            header_y: pt(self.header_y),
            footer_y: pt(self.footer_y),
            findings: self.findings,
            truncated: self.truncated.then(|| format!("only the first {MAX_BLOCKS} paragraphs are shown")),
            page_borders: None,
        }
    }
}

/// Applies a character formatting word; whether it was one.
pub fn char_word(c: &mut Chars, word: &[u8], parameter: Option<i32>, default_font: i32) -> bool {
    let n = parameter.unwrap_or(0);
    let on = parameter != Some(0);
    match word {
        b"plain" => *c = Chars { font: default_font, uc: c.uc, ..default_chars() },
        b"f" => c.font = n,
        b"fs" => c.size = n.clamp(2, 800),
        b"b" => c.bold = on,
        b"i" => c.italic = on,
        b"ul" | b"uld" | b"uldb" | b"ulw" | b"ulth" | b"uldash" | b"ulwave" => c.underline = on,
        b"ulnone" => c.underline = false,
        b"strike" | b"striked" => c.strike = on,
        b"cf" => c.color = usize::try_from(n).unwrap_or(0),
        b"highlight" | b"chcbpat" | b"cb" => c.highlight = usize::try_from(n).unwrap_or(0),
        b"v" => c.hidden = on,
        b"super" => c.script = Some(true),
        b"sub" => c.script = Some(false),
        b"nosupersub" => c.script = None,
        b"uc" => c.uc = n.clamp(0, 16) as u32,
        b"dbch" => c.assoc = Some(Script::EastAsian),
        b"rtlch" => c.assoc = Some(Script::Complex),
        b"loch" | b"hich" | b"ltrch" => c.assoc = None,
        b"af" | b"afs" | b"ab" | b"ai" => {
            if let Some(a) = c.associated() {
                match word {
                    b"af" => a.font = Some(n),
                    b"afs" => a.size = Some(n.clamp(2, 800)),
                    b"ab" => a.bold = Some(on),
                    _ => a.italic = Some(on),
                }
            }
        }
        _ => return false,
    }
    true
}

/// Applies a paragraph formatting word; whether it was one.
pub fn para_word(p: &mut Para, word: &[u8], n: i32) -> bool {
    match word {
        b"pard" => *p = Para::default(),
        b"ql" => p.align = Align::Start,
        b"qc" => p.align = Align::Center,
        b"qr" => p.align = Align::End,
        b"qj" | b"qd" => p.align = Align::Justify,
        b"li" | b"lin" => p.left = n.clamp(-20_000, 20_000),
        b"ri" | b"rin" => p.right = n.clamp(-20_000, 20_000),
        b"fi" => p.first = n.clamp(-20_000, 20_000),
        b"sb" => p.before = n.clamp(0, 20_000),
        b"sa" => p.after = n.clamp(0, 20_000),
        b"sl" => p.line = n.clamp(-20_000, 20_000),
        b"slmult" => p.line_multiple = n != 0,
        b"intbl" => p.in_table = true,
        // Paragraph borders: the side, then its kind, width, colour and space.
        b"brdrt" => p.border_side = Some(0),
        b"brdrl" => p.border_side = Some(1),
        b"brdrb" => p.border_side = Some(2),
        b"brdrr" => p.border_side = Some(3),
        b"box" => p.border_side = Some(4),
        // Borders between paragraphs and bars beside them are not drawn.
        b"brdrbtw" | b"brdrbar" => p.border_side = Some(5),
        b"brdrs" | b"brdrth" | b"brdrdb" | b"brdrsh" | b"brdrdot" | b"brdrdash" | b"brdrdashsm" | b"brdrhair" | b"brdrtriple" | b"brdrthtnsg"
        | b"brdrtnthsg" | b"brdrwavy" | b"brdrinset" | b"brdroutset" | b"brdremboss" | b"brdrengrave" | b"brdrdashd" | b"brdrdashdd"
            if p.border_side.is_some() =>
        {
            p.border(|b, _| b.on = true)
        }
        b"brdrnone" | b"brdrnil" if p.border_side.is_some() => p.border(|b, _| b.on = false),
        b"brdrw" if p.border_side.is_some() => p.border(|b, _| b.width = n.clamp(0, 255)),
        b"brdrcf" if p.border_side.is_some() => p.border(|b, _| b.color = usize::try_from(n).unwrap_or(0)),
        b"brsp" if p.border_side.is_some() => p.border(|_, space| *space = n.clamp(0, 2_000)),
        b"cbpat" => p.shading.0 = usize::try_from(n).unwrap_or(0),
        b"cfpat" => p.shading.1 = usize::try_from(n).unwrap_or(0),
        b"shading" => p.shading.2 = n.clamp(0, 10_000),
        b"pagebb" => p.page_break_before = true,
        b"keepn" => p.keep_next = true,
        // A tab stop's kind, then its position.
        b"tqr" => p.tabs.pending = (p.tabs.pending & !7) | 2,
        b"tqc" => p.tabs.pending = (p.tabs.pending & !7) | 1,
        b"tqdec" => p.tabs.pending = (p.tabs.pending & !7) | 3,
        b"tldot" => p.tabs.pending = (p.tabs.pending & 7) | (1 << 3),
        b"tlhyph" => p.tabs.pending = (p.tabs.pending & 7) | (2 << 3),
        b"tlul" | b"tleq" => p.tabs.pending = (p.tabs.pending & 7) | (3 << 3),
        b"tlth" => p.tabs.pending = (p.tabs.pending & 7) | (4 << 3),
        b"tlmdot" => p.tabs.pending = (p.tabs.pending & 7) | (5 << 3),
        b"tx" | b"tb" => {
            let kind = if word == b"tb" { 4 } else { std::mem::take(&mut p.tabs.pending) };
            p.tabs.pending = 0;
            if p.tabs.len < MAX_TABS {
                p.tabs.stops[p.tabs.len] = (n.clamp(-20_000, 40_000), kind);
                p.tabs.len += 1;
            }
        }
        _ => return false,
    }
    true
}

/// The side (top, left, bottom, right) a padding word sets, by its last letter: with
/// Word's swap, `l` is the top and `t` the left.
fn padding_side(word: &[u8]) -> usize {
    match word.last() {
        Some(b'l') => 0,
        Some(b't') => 1,
        Some(b'b') => 2,
        _ => 3,
    }
}

/// The text a MACROBUTTON field shows: its instruction after the macro's name.
fn macro_button_text(instruction: &str) -> Option<String> {
    let rest = instruction.trim_start();
    let rest = rest.strip_prefix("MACROBUTTON").or_else(|| rest.strip_prefix("macrobutton"))?.trim_start();
    let name_end = rest.find(char::is_whitespace)?;
    Some(rest[name_end..].trim().to_owned()).filter(|t| !t.is_empty())
}

/// A field instruction or name, cut for the report.
fn clip(text: &str) -> String {
    text.trim().chars().take(200).collect()
}

/// The encoding of an RTF font charset (`\fcharsetN`); `None` for ANSI and unknown ones,
/// which use the document's code page.
fn charset_encoding(charset: i32) -> Option<&'static Encoding> {
    Some(match charset {
        77 => encoding_rs::MACINTOSH,
        128 => encoding_rs::SHIFT_JIS,
        129 | 130 => encoding_rs::EUC_KR,
        134 => encoding_rs::GBK,
        136 => encoding_rs::BIG5,
        161 => encoding_rs::WINDOWS_1253,
        162 => encoding_rs::WINDOWS_1254,
        163 => encoding_rs::WINDOWS_1258,
        177 => encoding_rs::WINDOWS_1255,
        178 => encoding_rs::WINDOWS_1256,
        186 => encoding_rs::WINDOWS_1257,
        204 => encoding_rs::WINDOWS_1251,
        222 => encoding_rs::WINDOWS_874,
        238 => encoding_rs::WINDOWS_1250,
        _ => return None,
    })
}

/// The encoding of a Windows code page number (`\ansicpgN`, `\cpgN`).
fn code_page(page: i32) -> Option<&'static Encoding> {
    Some(match page {
        874 => encoding_rs::WINDOWS_874,
        932 => encoding_rs::SHIFT_JIS,
        936 => encoding_rs::GBK,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        866 => encoding_rs::IBM866,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        10000 => encoding_rs::MACINTOSH,
        20866 => encoding_rs::KOI8_R,
        20932 | 51932 => encoding_rs::EUC_JP,
        50220..=50222 => encoding_rs::ISO_2022_JP,
        65001 => encoding_rs::UTF_8,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rtf: &[u8]) -> Vec<Flow> {
        read(rtf, &mut Canvas::new(), &mut crate::layout::paint::Painter::new()).body
    }

    fn texts(flow: &[Flow]) -> Vec<String> {
        flow.iter()
            .filter_map(|f| match f {
                Flow::Para(b) => Some(b.spans.iter().map(|(t, _)| t.as_str()).collect()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn japanese_in_shift_jis_fonts_and_unicode_escapes() {
        let rtf = b"{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fcharset128 \\'82\\'6c\\'82\\'72 \\'96\\'be\\'92\\'a9;}{\\f1\\fcharset0 Arial;}}
\\pard\\f0\\fs24 \\'93\\'fa\\'96\\'7b\\'8c\\'ea\\par
\\f1 caf\\u233?s \\uc2\\u26085\\'93\\'fa end\\par}";
        let doc = read(rtf, &mut Canvas::new(), &mut crate::layout::paint::Painter::new());
        assert_eq!(texts(&doc.body), vec!["日本語", "cafés 日 end"]);
        let Flow::Para(first) = &doc.body[0] else { panic!() };
        assert_eq!(first.spans[0].1.family, "ＭＳ 明朝");
        assert_eq!(first.spans[0].1.size, 12.0);
    }

    #[test]
    fn formatting_is_scoped_by_groups() {
        let rtf = b"{\\rtf1{\\colortbl;\\red255\\green0\\blue0;}\\pard\\qc\\sa240 plain {\\b\\cf1 bold red} plain\\par}";
        let flow = body(rtf);
        let Flow::Para(block) = &flow[0] else { panic!() };
        assert_eq!(block.align, Align::Center);
        assert_eq!(block.space_after, 12.0);
        let styles: Vec<(&str, bool, Rgb)> = block.spans.iter().map(|(t, s)| (t.as_str(), s.bold, s.color)).collect();
        assert_eq!(styles, vec![("plain ", false, [0, 0, 0]), ("bold red", true, [255, 0, 0]), (" plain", false, [0, 0, 0])]);
    }

    #[test]
    fn tables_rows_and_cells() {
        let rtf = b"{\\rtf1\\trowd\\cellx2000\\clcbpat1\\cellx5000 \\pard\\intbl a\\cell b\\cell\\row\\trowd\\cellx2000\\cellx5000 \\pard\\intbl c\\cell d\\cell\\row\\pard after\\par}";
        let flow = body(rtf);
        assert_eq!(flow.len(), 2);
        let Flow::Table(table) = &flow[0] else { panic!("{flow:?}") };
        assert_eq!(table.columns, vec![100.0, 150.0]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1].cells[1].content[0].spans[0].0, "d");
        assert_eq!(texts(&flow[1..]), vec!["after"]);
    }

    #[test]
    fn hidden_destinations_fields_and_objects() {
        let rtf = b"{\\rtf1{\\info{\\title secret}}{\\*\\unknown x}{\\stylesheet{\\s0 Normal;}}
{\\field{\\*\\fldinst DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"}{\\fldrslt shown}}
{\\object\\objautlink\\objupdate{\\*\\objclass Word.Document.8}{\\*\\objdata 0105}{\\result result}}\\par
{\\header page {\\field{\\*\\fldinst PAGE}{\\fldrslt 1}} of {\\field{\\*\\fldinst NUMPAGES}{\\fldrslt 9}}\\par}}";
        let doc = read(rtf, &mut Canvas::new(), &mut crate::layout::paint::Painter::new());
        assert_eq!(texts(&doc.body), vec!["shownresult"]);
        assert_eq!(texts(&doc.header), vec![format!("page {PAGE_FIELD} of {NUMPAGES_FIELD}")]);
        let kinds: Vec<FindingKind> = doc.findings.iter().map(|f| f.0).collect();
        assert!(kinds.contains(&FindingKind::Dde), "{:?}", doc.findings);
        assert!(kinds.contains(&FindingKind::ExternalOleObject));
    }

    #[test]
    fn hostile_nesting_and_unbalanced_braces_end() {
        // "b" is a million groups deep (skipped); "c" is ten deep, where text still shows.
        let deep = format!("{{\\rtf1 a{}b{}c\\par}}", "{".repeat(1_000_000), "}".repeat(999_990));
        let flow = body(deep.as_bytes());
        assert_eq!(texts(&flow), vec!["ac"]);
        assert_eq!(texts(&body(b"}}}{\\rtf1 x\\par}}}}{{{")), vec!["x"]);
        assert_eq!(texts(&body(b"{\\rtf1 x\\bin2147483647 ")), vec!["x"]);
    }
}
