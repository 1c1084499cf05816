//! Property modifiers (sprms, [MS-DOC] 2.6) and the character, paragraph, table-row and
//! section properties they build. Each group of sprms is applied in order over a base:
//! the style's properties, then the run's or paragraph's own, then the piece's.

use docsandbox_protocol::bytes::{u16_at, u32_at};

use crate::layout::paint::{Rgb, Stroke};

/// The sprms of a property group: each one's code and operand bytes (a variable operand
/// keeps its length prefix).
pub(super) fn each(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let sprm = u16_at(grpprl, at)?;
        let rest = grpprl.get(at + 2..)?;
        // A sprm whose operand runs past the group's end ends it.
        let len = operand_len(sprm, rest).filter(|&len| len <= rest.len())?;
        at += 2 + len;
        Some((sprm, &rest[..len]))
    })
}

/// The length of a sprm's operand, from its size code (`spra`) or its length prefix.
fn operand_len(sprm: u16, rest: &[u8]) -> Option<usize> {
    Some(match sprm >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        _ => match sprm {
            // sprmTDefTable: a two-byte length counting itself less one.
            0xD608 => usize::from(u16_at(rest, 0)?) + 1,
            // sprmPChgTabs: a length of 255 means the tab lists give it.
            0xC615 if *rest.first()? == 255 => {
                let deleted = usize::from(*rest.get(1)?);
                let added = usize::from(*rest.get(2 + deleted * 4)?);
                3 + deleted * 4 + added * 3
            }
            _ => 1 + usize::from(*rest.first()?),
        },
    })
}

/// Character properties.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Chp {
    /// Fonts for ASCII and East Asian text, as indices into the font table.
    pub(super) font: u16,
    pub(super) font_east: u16,
    pub(super) half_points: u16,
    /// Font, size, bold and italic of complex-script (Arabic, Hebrew) text.
    pub(super) font_complex: u16,
    pub(super) half_points_complex: u16,
    pub(super) bold_complex: bool,
    pub(super) italic_complex: bool,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) strike: bool,
    pub(super) underline: bool,
    pub(super) caps: bool,
    pub(super) hidden: bool,
    /// `None` is automatic (black on white).
    pub(super) color: Option<Rgb>,
    /// The colour behind the text: its highlight (sprmCHighlight), else its shading
    /// (sprmCShd80, sprmCShd).
    pub(super) highlight: Option<Rgb>,
    pub(super) shading: Option<Rgb>,
    /// Superscript (1) or subscript (2).
    pub(super) position: u8,
    /// The character is special: a picture, drawing anchor, footnote mark or field char.
    pub(super) special: bool,
    /// Where an inline picture's data starts in the Data stream.
    pub(super) picture: Option<u32>,
    /// The run is an embedded OLE object.
    pub(super) object: bool,
}

impl Default for Chp {
    fn default() -> Self {
        Chp {
            font: 0,
            font_east: 0,
            half_points: 20,
            font_complex: 0,
            half_points_complex: 20,
            bold_complex: false,
            italic_complex: false,
            bold: false,
            italic: false,
            strike: false,
            underline: false,
            caps: false,
            hidden: false,
            color: None,
            highlight: None,
            shading: None,
            position: 0,
            special: false,
            picture: None,
            object: false,
        }
    }
}

/// A toggle operand: off, on, the style's value or its opposite.
fn toggle(operand: u8, style: bool) -> bool {
    match operand {
        0 => false,
        0x80 => style,
        0x81 => !style,
        _ => true,
    }
}

/// Applies the character sprms of `grpprl`; `style` is what toggles refer to, and
/// `char_style` gives a character style's property groups (sprmCIstd), root first.
pub(super) fn apply_chp<'a>(chp: &mut Chp, grpprl: &[u8], style: &Chp, char_style: &dyn Fn(u16) -> Vec<&'a [u8]>) {
    for (sprm, op) in each(grpprl) {
        let b = op.first().copied().unwrap_or(0);
        let w = u16_at(op, 0).unwrap_or(0);
        match sprm {
            0x0835 => chp.bold = toggle(b, style.bold),
            0x0836 => chp.italic = toggle(b, style.italic),
            0x0837 | 0x2A53 => chp.strike = toggle(b, style.strike),
            0x083B => chp.caps = toggle(b, style.caps),
            0x083C => chp.hidden = toggle(b, style.hidden),
            0x2A3E => chp.underline = b != 0,
            0x2A42 => chp.color = ico(b),
            0x6870 => chp.color = colorref(op),
            // An ico index; 0 is none.
            0x2A0C => chp.highlight = ico(b).filter(|_| b != 0),
            0x4866 => chp.shading = shd80(w),
            0xCA71 => chp.shading = shd(op.get(1..).unwrap_or(&[])),
            0x4A43 => chp.half_points = w.clamp(2, 3_276),
            0x2A48 => chp.position = b,
            0x4A4F => chp.font = w,
            0x4A50 => chp.font_east = w,
            0x4A5E => chp.font_complex = w,
            0x4A61 => chp.half_points_complex = w.clamp(2, 3_276),
            0x085C => chp.bold_complex = toggle(b, style.bold_complex),
            0x085D => chp.italic_complex = toggle(b, style.italic_complex),
            0x0855 => chp.special = b != 0,
            0x6A03 => chp.picture = u32_at(op, 0),
            0x080A => chp.object = b != 0,
            0x4A30 => {
                let base = chp.clone();
                for group in char_style(w) {
                    apply_chp(chp, group, &base, &|_| Vec::new());
                }
            }
            _ => {}
        }
    }
}

/// A colour index of Word's 16-colour palette ([MS-DOC] Ico); 0 is automatic.
pub(super) fn ico(i: u8) -> Option<Rgb> {
    const PALETTE: [Rgb; 16] = [
        [0, 0, 0],
        [0, 0, 255],
        [0, 255, 255],
        [0, 255, 0],
        [255, 0, 255],
        [255, 0, 0],
        [255, 255, 0],
        [255, 255, 255],
        [0, 0, 128],
        [0, 128, 128],
        [0, 128, 0],
        [128, 0, 128],
        [128, 0, 0],
        [128, 128, 0],
        [128, 128, 128],
        [192, 192, 192],
    ];
    PALETTE.get(usize::from(i).checked_sub(1)?).copied()
}

/// A COLORREF: red, green, blue, and 0xFF in the last byte for automatic.
pub(super) fn colorref(op: &[u8]) -> Option<Rgb> {
    match op {
        [r, g, b, 0, ..] => Some([*r, *g, *b]),
        _ => None,
    }
}

/// Paragraph properties (lengths in twips).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pap {
    pub(super) istd: u16,
    /// 0 left, 1 centred, 2 right, 3 and more justified.
    pub(super) jc: u8,
    pub(super) left: i32,
    pub(super) right: i32,
    pub(super) first: i32,
    pub(super) before: i32,
    pub(super) after: i32,
    /// Line spacing: a multiple of 240 when `line_multiple`, else at least (positive) or
    /// exactly (negative) this many twips.
    pub(super) line: i16,
    pub(super) line_multiple: bool,
    pub(super) page_break_before: bool,
    pub(super) keep_next: bool,
    pub(super) contextual: bool,
    pub(super) in_table: bool,
    /// The paragraph ends a table row (its properties hold the row's).
    pub(super) row_end: bool,
    pub(super) depth: i32,
    pub(super) inner_cell: bool,
    pub(super) inner_row_end: bool,
    /// The list (1-based override index) and level.
    pub(super) list: u16,
    pub(super) level: u8,
    pub(super) widow_control: bool,
    pub(super) shading: Option<Rgb>,
    /// Tab stops: position in twips from the margin and the TBD byte (alignment in bits
    /// 0-2, leader in bits 3-5), in order of position.
    pub(super) tabs: Vec<(i16, u8)>,
    /// Borders (top, left, bottom, right) with their space from the text, in points.
    pub(super) borders: [Option<(Stroke, f32)>; 4],
}

/// Most tab stops a paragraph keeps (Word allows 64).
const MAX_TABS: usize = 64;

impl Default for Pap {
    fn default() -> Self {
        Pap {
            istd: 0,
            jc: 0,
            left: 0,
            right: 0,
            first: 0,
            before: 0,
            after: 0,
            line: 240,
            line_multiple: true,
            page_break_before: false,
            keep_next: false,
            contextual: false,
            in_table: false,
            row_end: false,
            depth: 0,
            inner_cell: false,
            inner_row_end: false,
            list: 0,
            level: 0,
            widow_control: true,
            shading: None,
            tabs: Vec::new(),
            borders: [None; 4],
        }
    }
}

/// Applies sprmPChgTabsPapx or sprmPChgTabs (`with_close`: each deleted position has a
/// tolerance after the list): the stops at the deleted positions go, the added ones come
/// (replacing a stop at the same position).
fn change_tabs(pap: &mut Pap, op: &[u8], with_close: bool) {
    let i16_at = |at: usize| u16_at(op, at).map(|v| v as i16);
    let deleted = usize::from(op.first().copied().unwrap_or(0));
    let close_at = 1 + deleted * 2;
    for k in 0..deleted {
        let Some(pos) = i16_at(1 + k * 2) else { return };
        let close = if with_close { i16_at(close_at + k * 2).unwrap_or(0).unsigned_abs() } else { 0 };
        pap.tabs.retain(|&(p, _)| p.abs_diff(pos) > close);
    }
    let add_at = if with_close { close_at + deleted * 2 } else { close_at };
    let added = usize::from(op.get(add_at).copied().unwrap_or(0));
    for k in 0..added {
        let (Some(pos), Some(&tbd)) = (i16_at(add_at + 1 + k * 2), op.get(add_at + 1 + added * 2 + k)) else { return };
        pap.tabs.retain(|&(p, _)| p != pos);
        if pap.tabs.len() < MAX_TABS {
            pap.tabs.push((pos, tbd));
        }
    }
    pap.tabs.sort_by_key(|t| t.0);
}

/// Applies the paragraph sprms of `grpprl`. A huge property group kept in the Data stream
/// (sprmPHugePapx) is read from `data`.
pub(super) fn apply_pap(pap: &mut Pap, grpprl: &[u8], data: &[u8]) {
    for (sprm, op) in each(grpprl) {
        let b = op.first().copied().unwrap_or(0);
        let w = u16_at(op, 0).unwrap_or(0);
        let i = i32::from(w as i16);
        match sprm {
            0x4600 => pap.istd = w,
            0x2403 | 0x2461 => pap.jc = b,
            0x2406 => pap.keep_next = b != 0,
            0x2407 => pap.page_break_before = b != 0,
            0x260A => pap.level = b.min(8),
            0x460B => pap.list = w,
            0x840E | 0x845D => pap.right = i,
            0x840F | 0x845E => pap.left = i,
            0x8411 | 0x8460 => pap.first = i,
            0x6412 => {
                pap.line = w as i16;
                pap.line_multiple = u16_at(op, 2) == Some(1);
            }
            0xA413 => pap.before = i32::from(w),
            0xA414 => pap.after = i32::from(w),
            0x2416 => pap.in_table = b != 0,
            0x2417 => pap.row_end = b != 0,
            0x6649 => pap.depth = u32_at(op, 0).map_or(0, |d| d.min(64) as i32),
            0x244B => pap.inner_cell = b != 0,
            0x244C => pap.inner_row_end = b != 0,
            0x246D => pap.contextual = b != 0,
            0x2431 => pap.widow_control = b != 0,
            0x442D => pap.shading = shd80(w),
            0xC64D => pap.shading = shd(op.get(1..).unwrap_or(&[])),
            // sprmPBrcTop80..Right80, then sprmPBrcTop..Right.
            0x6424..=0x6427 => pap.borders[usize::from(sprm - 0x6424)] = brc80(op).map(|s| (s, f32::from(op.get(3).map_or(0, |b| b & 0x1F)))),
            0xC64E..=0xC651 => {
                let b = op.get(1..).unwrap_or(&[]);
                pap.borders[usize::from(sprm - 0xC64E)] = brc(b).map(|s| (s, f32::from(b.get(6).map_or(0, |b| b & 0x1F))));
            }
            0xC60D => change_tabs(pap, op.get(1..).unwrap_or(&[]), false),
            0xC615 => change_tabs(pap, op.get(1..).unwrap_or(&[]), true),
            0x6645 | 0x6646 => {
                // Not recursive: a huge group inside a huge group is ignored.
                let at = u32_at(op, 0).unwrap_or(u32::MAX) as usize;
                if let Some(len) = u16_at(data, at) {
                    let group = data.get(at + 2..(at + 2 + usize::from(len)).min(data.len())).unwrap_or(&[]);
                    let huge = group.chunks(2).any(|c| c == [0x45, 0x66] || c == [0x46, 0x66]);
                    if !huge {
                        apply_pap(pap, group, &[]);
                    }
                }
            }
            _ => {}
        }
    }
}

/// An Shd80 shading: foreground and background colour indices and a pattern; solid
/// (pattern 1) shows the foreground, clear (0) the background.
fn shd80(w: u16) -> Option<Rgb> {
    let (fore, back, pattern) = ((w & 0x1F) as u8, ((w >> 5) & 0x1F) as u8, w >> 10);
    match pattern {
        1 => ico(fore).or(Some([0, 0, 0])),
        _ => ico(back),
    }
}

/// An Shd shading: foreground and background COLORREFs and a pattern.
fn shd(b: &[u8]) -> Option<Rgb> {
    let pattern = u16_at(b, 8)?;
    match pattern {
        1 => colorref(b.get(..4)?).or(Some([0, 0, 0])),
        _ => colorref(b.get(4..8)?),
    }
}

/// Most cells of one row.
pub(super) const MAX_CELLS: usize = 63;

/// One cell's definition.
#[derive(Debug, Clone, Default)]
pub(super) struct Tc {
    /// Merged into the cell on its left (horizontal merging, old style).
    pub(super) merged: bool,
    /// Merged into the cell above.
    pub(super) merged_up: bool,
    /// Top, left, bottom and right borders.
    pub(super) borders: [Option<Stroke>; 4],
    pub(super) fill: Option<Rgb>,
}

/// A table row's properties (lengths in twips).
#[derive(Debug, Clone, Default)]
pub(super) struct Tap {
    /// Cell edges from the left margin: one more than there are cells.
    pub(super) edges: Vec<i16>,
    pub(super) cells: Vec<Tc>,
    /// Least (positive) or exact (negative) height.
    pub(super) height: i16,
    /// Table borders: top, left, bottom, right, inside horizontal, inside vertical.
    pub(super) borders: [Option<Stroke>; 6],
    /// Half the space between cells: the cells' left and right padding, unless set.
    pub(super) gap_half: i16,
    /// Cell padding: top, left, bottom, right, where the row sets it.
    pub(super) padding: [Option<i16>; 4],
    /// sprmTTableHeader: a heading row, repeated on each page the table goes on to.
    pub(super) header: bool,
    /// sprmTFCantSplit: the row is not split across pages.
    pub(super) cant_split: bool,
    /// sprmTJc: how the row sits between the margins (0 left, 1 centred, 2 right).
    pub(super) jc: u8,
}

/// Applies the table sprms of a row-end paragraph's `grpprl`.
pub(super) fn apply_tap(tap: &mut Tap, grpprl: &[u8]) {
    for (sprm, op) in each(grpprl) {
        match sprm {
            0xD608 => define_table(tap, op.get(2..).unwrap_or(&[])),
            0x9407 => tap.height = u16_at(op, 0).unwrap_or(0) as i16,
            0x5400 | 0x548A => tap.jc = op.first().copied().unwrap_or(0),
            0x3404 => tap.header = op.first().is_some_and(|&b| b != 0),
            0x3403 | 0x3644 => tap.cant_split = op.first().is_some_and(|&b| b != 0),
            0x9602 => tap.gap_half = u16_at(op, 0).unwrap_or(0) as i16,
            // sprmTCellPadding and sprmTCellPaddingDefault (for the row; per-cell values
            // are taken for the whole row too); width type 3 is twips.
            0xD632 | 0xD634 => {
                let (Some(&sides), Some(&kind), Some(width)) = (op.get(3), op.get(4), u16_at(op, 5)) else { continue };
                if kind == 3 || width == 0 {
                    for (side, bit) in [(0, 1), (1, 2), (2, 4), (3, 8)] {
                        if sides & bit != 0 {
                            tap.padding[side] = Some(width.min(2_000) as i16);
                        }
                    }
                }
            }
            0xD605 => {
                for (i, brc) in op.get(1..).unwrap_or(&[]).chunks_exact(4).take(6).enumerate() {
                    tap.borders[i] = brc80(brc);
                }
            }
            0xD613 => {
                for (i, b) in op.get(1..).unwrap_or(&[]).chunks_exact(8).take(6).enumerate() {
                    tap.borders[i] = brc(b);
                }
            }
            0xD609 => {
                for (i, shd) in op.get(1..).unwrap_or(&[]).chunks_exact(2).enumerate().take(MAX_CELLS) {
                    let back = (u16::from_le_bytes([shd[0], shd[1]]) >> 5) & 0x1F;
                    cell(tap, i).fill = ico(back as u8).filter(|_| back != 0);
                }
            }
            0xD612 | 0xD616 | 0xD60C => {
                let first = match sprm {
                    0xD612 => 0,
                    0xD616 => 22,
                    _ => 44,
                };
                for (i, shd) in op.get(1..).unwrap_or(&[]).chunks_exact(10).enumerate().take(22) {
                    cell(tap, first + i).fill = colorref(&shd[4..8]);
                }
            }
            0xD620 | 0xD62F => {
                let (Some(&start), Some(&end), Some(&which)) = (op.get(1), op.get(2), op.get(3)) else { continue };
                let stroke = if sprm == 0xD620 { op.get(4..8).and_then(brc80) } else { op.get(4..12).and_then(brc) };
                for i in usize::from(start)..usize::from(end).min(MAX_CELLS) {
                    let c = cell(tap, i);
                    for (side, bit) in [(0, 1), (1, 2), (2, 4), (3, 8)] {
                        if which & bit != 0 {
                            c.borders[side] = stroke;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The cell `i` of a row, added when missing.
fn cell(tap: &mut Tap, i: usize) -> &mut Tc {
    if tap.cells.len() <= i {
        tap.cells.resize(i + 1, Tc::default());
    }
    &mut tap.cells[i]
}

/// sprmTDefTable: the cell count, the edges, then each cell's TC80.
fn define_table(tap: &mut Tap, data: &[u8]) {
    let count = usize::from(data.first().copied().unwrap_or(0)).min(MAX_CELLS);
    tap.edges = (0..=count).map_while(|i| u16_at(data, 1 + i * 2).map(|e| e as i16)).collect();
    let count = tap.edges.len().saturating_sub(1);
    let tcs = 1 + (count + 1) * 2;
    tap.cells = (0..count)
        .map(|i| {
            let Some(tc) = data.get(tcs + i * 20..tcs + i * 20 + 20) else { return Tc::default() };
            let flags = u16::from_le_bytes([tc[0], tc[1]]);
            let border = |k: usize| brc80(&tc[4 + k * 4..8 + k * 4]);
            Tc {
                merged: flags & 0x0002 != 0,
                merged_up: flags & 0x0020 != 0 && flags & 0x0040 == 0,
                borders: [border(0), border(1), border(2), border(3)],
                fill: None,
            }
        })
        .collect();
}

/// A Brc80 border: width in eighths of a point, type, colour index.
fn brc80(b: &[u8]) -> Option<Stroke> {
    let [width, kind, colour, ..] = *b else { return None };
    if matches!(kind, 0 | 0xFF) || b == [0xFF; 4] {
        return None;
    }
    Some((ico(colour).unwrap_or([0, 0, 0]), border_width(width, kind)))
}

/// A Brc border: colour, width in eighths of a point, type.
fn brc(b: &[u8]) -> Option<Stroke> {
    let (width, kind) = (*b.get(4)?, *b.get(5)?);
    if matches!(kind, 0 | 0xFF) || b.iter().all(|&x| x == 0xFF) {
        return None;
    }
    Some((colorref(b).unwrap_or([0, 0, 0]), border_width(width, kind)))
}

/// A border's width in points: double lines (type 3) drawn as one line of their width.
fn border_width(eighths: u8, kind: u8) -> f32 {
    let w = (f32::from(eighths) / 8.0).max(0.25);
    if kind == 3 {
        w * 3.0
    } else {
        w
    }
}

/// Section properties (lengths in twips).
#[derive(Debug, Clone, Copy)]
pub(super) struct Sep {
    pub(super) width: i32,
    pub(super) height: i32,
    pub(super) left: i32,
    pub(super) right: i32,
    pub(super) top: i32,
    pub(super) bottom: i32,
    pub(super) header: i32,
    pub(super) footer: i32,
    /// How the section starts: 0 continuous, else on a new page.
    pub(super) start: u8,
    pub(super) columns: u16,
    /// The space between columns (sprmSDxaColumns), in twips.
    pub(super) column_gap: i32,
    /// The document grid (East Asian layout): 0 none, else lines snap to `pitch`.
    pub(super) grid: u16,
    pub(super) pitch: i32,
    /// The first page has its own header and footer.
    pub(super) title_page: bool,
    /// Page borders (top, left, bottom, right) with each one's space in points and
    /// whether it has a shadow; which pages and from where (sprmSPgbProp).
    pub(super) page_borders: [Option<(Stroke, f32, bool)>; 4],
    pub(super) page_border_props: u16,
}

impl Default for Sep {
    /// US Letter, as [MS-DOC] gives the defaults.
    fn default() -> Self {
        Sep {
            width: 12_240,
            height: 15_840,
            left: 1_800,
            right: 1_800,
            top: 1_440,
            bottom: 1_440,
            header: 720,
            footer: 720,
            start: 2,
            columns: 1,
            column_gap: 720,
            grid: 0,
            pitch: 0,
            title_page: false,
            page_borders: [None; 4],
            page_border_props: 0,
        }
    }
}

/// Applies the section sprms of `grpprl`.
pub(super) fn apply_sep(sep: &mut Sep, grpprl: &[u8]) {
    for (sprm, op) in each(grpprl) {
        let w = u16_at(op, 0).unwrap_or(0);
        match sprm {
            0xB01F => sep.width = i32::from(w),
            0xB020 => sep.height = i32::from(w),
            0xB021 => sep.left = i32::from(w as i16),
            0xB022 => sep.right = i32::from(w as i16),
            0x9023 => sep.top = i32::from(w as i16).abs(),
            0x9024 => sep.bottom = i32::from(w as i16).abs(),
            0xB017 => sep.header = i32::from(w),
            0xB018 => sep.footer = i32::from(w),
            0x3009 => sep.start = op.first().copied().unwrap_or(2),
            0x500B => sep.columns = w.saturating_add(1),
            0x900C => sep.column_gap = i32::from(w as i16).clamp(0, 20_000),
            0x5032 => sep.grid = w,
            0x300A => sep.title_page = op.first().is_some_and(|&b| b != 0),
            0x9031 => sep.pitch = i32::from(w as i16),
            // sprmSBrcTop80..Right80, then sprmSBrcTop..Right (which win, coming after).
            0x702B..=0x702E => {
                let space = op.get(3).copied().unwrap_or(0);
                sep.page_borders[usize::from(sprm - 0x702B)] = brc80(op).map(|s| (s, f32::from(space & 0x1F), space & 0x20 != 0));
            }
            0xD234..=0xD237 => {
                let b = op.get(1..).unwrap_or_default();
                let space = b.get(6).copied().unwrap_or(0);
                sep.page_borders[usize::from(sprm - 0xD234)] = brc(b).map(|s| (s, f32::from(space & 0x1F), space & 0x20 != 0));
            }
            0x522F => sep.page_border_props = w,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_are_cut_by_their_size_codes() {
        // Bold on, 12 pt, a COLORREF, then a variable-length operand.
        let grpprl = [0x35, 0x08, 0x01, 0x43, 0x4A, 24, 0, 0x70, 0x68, 255, 0, 0, 0, 0x26, 0xD6, 2, 7, 9];
        let all: Vec<(u16, Vec<u8>)> = each(&grpprl).map(|(s, o)| (s, o.to_vec())).collect();
        assert_eq!(all, vec![(0x0835, vec![1]), (0x4A43, vec![24, 0]), (0x6870, vec![255, 0, 0, 0]), (0xD626, vec![2, 7, 9])]);
        let mut chp = Chp::default();
        apply_chp(&mut chp, &grpprl, &Chp::default(), &|_| Vec::new());
        assert!(chp.bold);
        assert_eq!((chp.half_points, chp.color), (24, Some([255, 0, 0])));
        // A truncated sprm ends the group: its operand is not read short.
        assert_eq!(each(&[0x43, 0x4A]).count(), 0);
        assert_eq!(each(&[0x08, 0xD6, 0xFF, 0xFF]).count(), 0);
        assert_eq!(each(&[0x35, 0x08, 0x01, 0x43, 0x4A, 24]).count(), 1);
    }

    #[test]
    fn toggles_follow_the_style() {
        let style = Chp { bold: true, ..Chp::default() };
        let mut chp = style.clone();
        apply_chp(&mut chp, &[0x35, 0x08, 0x81], &style, &|_| Vec::new());
        assert!(!chp.bold);
        apply_chp(&mut chp, &[0x35, 0x08, 0x80], &style, &|_| Vec::new());
        assert!(chp.bold);
    }

    #[test]
    fn table_definitions_give_edges_merges_and_borders() {
        // Two cells at 0..2000..4000; the second merged into the first, a single black
        // half-point top border on the first.
        let mut data = vec![2u8];
        for e in [0i16, 2000, 4000] {
            data.extend_from_slice(&e.to_le_bytes());
        }
        let mut tc = [0u8; 20];
        tc[4..8].copy_from_slice(&[4, 1, 1, 0]);
        data.extend_from_slice(&tc);
        let mut merged = [0u8; 20];
        merged[0] = 0x02;
        data.extend_from_slice(&merged);
        let mut grpprl = vec![0x08, 0xD6];
        grpprl.extend_from_slice(&(data.len() as u16 + 1).to_le_bytes());
        grpprl.extend_from_slice(&data);
        let mut tap = Tap::default();
        apply_tap(&mut tap, &grpprl);
        assert_eq!(tap.edges, vec![0, 2000, 4000]);
        assert_eq!(tap.cells[0].borders[0], Some(([0, 0, 0], 0.5)));
        assert!(tap.cells[1].merged && !tap.cells[0].merged);
    }
}
