//! Lists ([MS-DOC] 2.9.147 PlfLst, with the LVLs that follow it; 2.9.146 PlfLfo): each list's levels with their number
//! format, start, label template and the properties they give their paragraphs; list
//! overrides map a paragraph's list index to its list.

use std::collections::HashMap;

use docsandbox_protocol::bytes::{u16_at, u32_at};

/// Most lists and overrides read.
const MAX_LISTS: usize = 4_096;

/// A level of a list.
pub(super) struct Level<'a> {
    start: u32,
    /// The number format (nfc): 0 decimal, 1/2 upper/lower Roman, 3/4 upper/lower
    /// letter, 23 bullet, 255 none...
    format: u8,
    /// The label's template: code units below 9 stand for that level's number.
    text: Vec<u16>,
    pub(super) papx: &'a [u8],
    pub(super) chpx: &'a [u8],
}

/// The lists of a document, and the counters of the numbering so far.
#[derive(Default)]
pub(super) struct Lists<'a> {
    lists: HashMap<i32, Vec<Level<'a>>>,
    overrides: Vec<i32>,
    counters: HashMap<i32, [u32; 9]>,
}

impl<'a> Lists<'a> {
    pub(super) fn read(plf_lst: Option<&'a [u8]>, plf_lfo: Option<&[u8]>) -> Self {
        let mut lists = HashMap::new();
        if let Some(data) = plf_lst {
            let count = usize::from(u16_at(data, 0).unwrap_or(0)).min(MAX_LISTS);
            let mut at = 2 + count * 28;
            for i in 0..count {
                let lstf = 2 + i * 28;
                let (Some(id), Some(&flags)) = (u32_at(data, lstf), data.get(lstf + 26)) else { break };
                let levels = if flags & 1 != 0 { 1 } else { 9 };
                let mut read = Vec::with_capacity(levels);
                for _ in 0..levels {
                    let Some((level, next)) = level(data, at) else { break };
                    read.push(level);
                    at = next;
                }
                lists.insert(id as i32, read);
            }
        }
        let overrides = plf_lfo
            .map(|data| {
                let count = (u32_at(data, 0).unwrap_or(0) as usize).min(MAX_LISTS);
                (0..count).map_while(|i| u32_at(data, 4 + i * 16).map(|id| id as i32)).collect()
            })
            .unwrap_or_default();
        Lists { lists, overrides, counters: HashMap::new() }
    }

    /// The level a paragraph in list override `list` (1-based) at `level` belongs to.
    pub(super) fn level(&self, list: u16, level: u8) -> Option<&Level<'a>> {
        let id = self.overrides.get(usize::from(list).checked_sub(1)?)?;
        let levels = self.lists.get(id)?;
        levels.get(usize::from(level)).or(levels.first())
    }

    /// Counts one more paragraph at `level` of list override `list` and gives its label.
    pub(super) fn next_label(&mut self, list: u16, level: u8) -> Option<String> {
        let id = *self.overrides.get(usize::from(list).checked_sub(1)?)?;
        let levels = self.lists.get(&id)?;
        let level = usize::from(level).min(levels.len().checked_sub(1)?);
        let counters = self.counters.entry(id).or_insert([0; 9]);
        counters[level] = if counters[level] == 0 { levels[level].start } else { counters[level].saturating_add(1) };
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        let lvl = &levels[level];
        if lvl.format == 255 {
            return Some(String::new());
        }
        let mut label = String::new();
        for &u in &lvl.text {
            if u < 9 {
                let i = usize::from(u);
                let (value, format) = match levels.get(i) {
                    Some(l) => (if counters[i] == 0 { l.start } else { counters[i] }, l.format),
                    None => (1, 0),
                };
                label.push_str(&crate::formats::docx::numbering::format_number(value.max(1), nfc_name(format)));
            } else if lvl.format == 23 {
                label.push(crate::layout::fonts::bullet_symbol(char::from_u32(u32::from(u)).unwrap_or('•')));
            } else {
                label.push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'));
            }
        }
        Some(label)
    }
}

/// One LVL: its fixed part, paragraph and character property groups, and label template.
fn level(data: &[u8], at: usize) -> Option<(Level<'_>, usize)> {
    let lvlf = data.get(at..at + 28)?;
    let start = u32_at(lvlf, 0)?.min(1_000_000);
    let (chpx_len, papx_len) = (usize::from(lvlf[24]), usize::from(lvlf[25]));
    let papx = data.get(at + 28..at + 28 + papx_len)?;
    let chpx = data.get(at + 28 + papx_len..at + 28 + papx_len + chpx_len)?;
    let text_at = at + 28 + papx_len + chpx_len;
    let len = usize::from(u16_at(data, text_at)?);
    let text = data.get(text_at + 2..text_at + 2 + len * 2)?.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    Some((Level { start, format: lvlf[4], text, papx, chpx }, text_at + 2 + len * 2))
}

/// The WordprocessingML name of a number format code.
fn nfc_name(nfc: u8) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        14 => "decimalFullWidth",
        18 => "decimalEnclosedCircle",
        22 => "decimalZero",
        _ => "decimal",
    }
}
