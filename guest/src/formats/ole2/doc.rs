//! Word 97-2003 (`.doc`): its main text, found through the piece table; no layout yet.

use docsandbox_protocol::bytes::{u16_at, u32_at};
use docsandbox_protocol::{FailureKind, FindingKind, Format};

use super::{read_stream, Compound};
use crate::dispatch::Job;
use crate::layout::paint::{self, Block, Canvas, Flow, PageSetup, Painter, SpanStyle};
use crate::report::Report;

/// Most paragraphs shown from a Word 97-2003 document.
const MAX_PARAGRAPHS: usize = 25_000;

/// A Word 97-2003 document: its main text, paragraph by paragraph.
pub fn render(job: Job<'_, '_>, file: &mut Compound, mut report: Report) {
    let begun = job.begin(Format::Doc, None);
    let text = match read_stream(file, "WordDocument").ok_or("no readable WordDocument stream").and_then(|doc| {
        let table_name = if u16_at(&doc, 0x0A).ok_or("truncated FIB")? & 0x0200 != 0 { "1Table" } else { "0Table" };
        if u16_at(&doc, 0x0A).unwrap_or(0) & 0x0100 != 0 {
            return Err("encrypted");
        }
        let table = read_stream(file, table_name).ok_or("no table stream")?;
        word_text(&doc, &table).ok_or("damaged piece table")
    }) {
        Ok(text) => text,
        Err("encrypted") => {
            return begun.report(&report.finish()).fail(FailureKind::PasswordRequired, "this Word 97-2003 document is password-encrypted");
        }
        Err(why) => {
            return begun.report(&report.finish()).fail(FailureKind::Malformed, &format!("cannot read the Word 97-2003 document: {why}"));
        }
    };
    report.add(FindingKind::LegacyFormat, "Word 97-2003 document: text only (no layout, tables or images)");
    let style = SpanStyle { family: "Times New Roman".into(), size: 12.0, ..Default::default() };
    let mut items = Vec::new();
    let mut page_break = false;
    for paragraph in text.split(['\r', '\u{7}']).take(MAX_PARAGRAPHS) {
        let mut parts = paragraph.split('\u{C}').peekable();
        while let Some(part) = parts.next() {
            let block = Block {
                spans: vec![(part.to_owned(), style.clone())],
                line_height: 1.0,
                space_after: 4.0,
                page_break_before: page_break,
                ..Default::default()
            };
            items.push(Flow::Para(block));
            page_break = parts.peek().is_some();
        }
    }
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    paint::flow(&mut painter, &mut canvas, &items, PageSetup::default());
    // The page count is only known now; Begin already went out without one.
    begun.report(&report.finish()).send_pages(&canvas);
}

/// The main document text of a Word 97-2003 file, through the piece table ([MS-DOC]
/// 2.4.1): field codes dropped (their results kept), special characters removed.
fn word_text(doc: &[u8], table: &[u8]) -> Option<String> {
    if u16_at(doc, 0)? != 0xA5EC {
        return None;
    }
    let ccp_text = u32_at(doc, 0x4C)? as usize;
    let fc_clx = u32_at(doc, 0x1A2)? as usize;
    let lcb_clx = u32_at(doc, 0x1A6)? as usize;
    let clx = table.get(fc_clx..fc_clx.checked_add(lcb_clx)?)?;
    // Skip Prc entries (0x01), find the Pcdt (0x02).
    let mut at = 0;
    while *clx.get(at)? == 0x01 {
        at += 3 + usize::from(u16_at(clx, at + 1)?);
    }
    if *clx.get(at)? != 0x02 {
        return None;
    }
    let lcb = u32_at(clx, at + 1)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    let n = (plc.len().checked_sub(4)?) / 12;
    let mut text = String::new();
    let mut chars = 0usize;
    for i in 0..n {
        let (cp0, cp1) = (u32_at(plc, i * 4)? as usize, u32_at(plc, (i + 1) * 4)? as usize);
        let count = cp1.checked_sub(cp0)?.min(ccp_text.saturating_sub(chars));
        let fc = u32_at(plc, (n + 1) * 4 + i * 8 + 2)?;
        if fc & 0x4000_0000 != 0 {
            let start = (fc & 0x3FFF_FFFF) as usize / 2;
            let bytes = doc.get(start..start.checked_add(count)?)?;
            text.extend(bytes.iter().map(|&b| cp1252(b)));
        } else {
            let start = fc as usize;
            let bytes = doc.get(start..start.checked_add(count.checked_mul(2)?)?)?;
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            text.push_str(&String::from_utf16_lossy(&units));
        }
        chars += count;
        if chars >= ccp_text {
            break;
        }
    }
    Some(clean_fields(&text))
}

/// Keeps field results and drops field codes (0x13 code 0x14 result 0x15) and object
/// anchors; vertical tabs become line breaks.
fn clean_fields(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // For each open field, whether its code is still being read.
    let mut fields: Vec<bool> = Vec::new();
    for c in text.chars() {
        match c {
            '\u{13}' => fields.push(true),
            '\u{14}' => {
                if let Some(in_code) = fields.last_mut() {
                    *in_code = false;
                }
            }
            '\u{15}' => {
                fields.pop();
            }
            _ if fields.iter().any(|&in_code| in_code) => {}
            '\u{1}' | '\u{8}' | '\u{2}' | '\u{5}' => {}
            '\u{B}' => out.push('\n'),
            c => out.push(c),
        }
    }
    out
}

/// Windows-1252, for compressed (8-bit) pieces.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™',
        'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_codes_are_dropped_and_results_kept() {
        assert_eq!(clean_fields("see \u{13} HYPERLINK \"http://x\" \u{14}the site\u{15}.\u{b}next"), "see the site.\nnext");
        assert_eq!(clean_fields("\u{13}DDEAUTO c:\\\\cmd \u{13}nested\u{15}\u{15}after"), "after");
        assert_eq!(cp1252(0x93), '“');
    }

    #[test]
    fn damaged_piece_tables_are_refused() {
        let mut doc = vec![0u8; 0x200];
        doc[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        doc[0x4C..0x50].copy_from_slice(&10u32.to_le_bytes());
        doc[0x1A2..0x1A6].copy_from_slice(&0u32.to_le_bytes());
        doc[0x1A6..0x1AA].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(word_text(&doc, &[0x02, 0, 0]), None);
        assert_eq!(word_text(&[0; 4], &[]), None);
    }
}
