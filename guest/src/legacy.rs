//! OLE2 compound files (CFB): legacy binary Office documents, encrypted OOXML packages and
//! Outlook messages. The container is read with the `cfb` crate; what it holds decides the
//! route: Excel workbooks go to the spreadsheet renderer (calamine reads BIFF), Word 97-2003
//! documents show their text (found through the piece table), everything else gets a clear
//! error that names the format. Outlook messages show their headers, body and attachments. The report lists macro storages and embedded objects.

use std::io::{Cursor, Read};

use docsandbox_protocol::{FailureKind, Format, Request};

use crate::output::Output;
use crate::paint::{self, Block, Canvas, Flow, PageSetup, Painter, SpanStyle};
use crate::report::Report;

/// Most bytes read from one stream (a Word document's text and table streams).
const MAX_STREAM: u64 = 64 << 20;
/// Most paragraphs shown from a Word 97-2003 document.
const MAX_PARAGRAPHS: usize = 25_000;

type Compound<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// Renders (or explains) an OLE2 compound file; `dispatch` renders a message's attachments.
pub fn render(request: &Request<'_>, out: &mut Output, depth: usize, dispatch: crate::archive::Dispatch) {
    let mut file = match cfb::CompoundFile::open(Cursor::new(request.document)) {
        Ok(f) => f,
        Err(e) => return out.failure(FailureKind::Malformed, &format!("damaged OLE2 compound file: {e}")),
    };
    let mut report = Report::new(request.max_report_bytes);
    findings(&file, &mut report);
    let has = |file: &Compound, name: &str| file.is_stream(name);
    if has(&file, "EncryptionInfo") && has(&file, "EncryptedPackage") {
        let result = match (read_stream(&mut file, "EncryptionInfo"), read_stream(&mut file, "EncryptedPackage")) {
            (Some(info), Some(package)) => crate::crypto::ooxml::decrypt(&info, &package, request.password),
            _ => Err(crate::crypto::DecryptError::Malformed("the encryption streams cannot be read".into())),
        };
        // The package format is only known once decrypted.
        return crate::crypto::render(request, out, depth, dispatch, Format::Docx, result, report.finish());
    }
    if has(&file, "Workbook")
        && read_stream_start(&mut file, "Workbook", crate::crypto::biff::FILE_PASS_WINDOW).is_some_and(|s| crate::crypto::biff::is_encrypted(&s))
    {
        let result = match read_stream(&mut file, "Workbook") {
            Some(workbook) => crate::crypto::biff::decrypt(&workbook, request.password),
            None => Err(crate::crypto::DecryptError::Malformed("the encrypted Workbook stream cannot be read".into())),
        };
        return crate::crypto::render(request, out, depth, dispatch, Format::Xls, result, report.finish());
    }
    if has(&file, "Workbook") || has(&file, "Book") {
        // calamine's own compound-file reader panics on some damaged containers (found by
        // fuzzing): the cfb crate reads the stream, and calamine gets a clean container.
        let stream = if has(&file, "Workbook") { "Workbook" } else { "Book" };
        let rebuilt = read_stream(&mut file, stream).map(crate::crypto::biff::compound_with_workbook);
        let Some(Ok((rebuilt, dropped))) = rebuilt else {
            out.begin(Format::Xls, None);
            out.report(&report.finish());
            return out.failure(FailureKind::Malformed, &format!("the {stream} stream cannot be read"));
        };
        if dropped > 0 {
            report.add("content-truncated", &format!("{dropped} cell records beyond row {} or column 256 are not shown", crate::sheet::MAX_ROWS));
        }
        return crate::sheet::render_with_report(&Request { document: &rebuilt, ..*request }, Format::Xls, None, report, out);
    }
    if has(&file, "WordDocument") {
        return word(request, &mut file, report, out);
    }
    if has(&file, "__properties_version1.0") {
        let mail = outlook(&mut file);
        return crate::email::show(request, out, depth, dispatch, Format::Msg, mail);
    }
    let (format, name) =
        if has(&file, "PowerPoint Document") { (Some(Format::Ppt), "PowerPoint 97-2003 presentations (.ppt)") } else { (None, "this OLE2 compound file") };
    if let Some(format) = format {
        out.begin(format, None);
        out.report(&report.finish());
    }
    out.failure(FailureKind::Unsupported, &format!("rendering {name} is not supported; save it in a current format (.pptx, .docx...)"));
}

/// Macro storages and embedded objects anywhere in the container.
fn findings(file: &Compound, report: &mut Report) {
    for entry in file.walk() {
        let path = entry.path().to_string_lossy().into_owned();
        let name = entry.name();
        if entry.is_storage() && matches!(name, "Macros" | "_VBA_PROJECT_CUR" | "VBA") {
            report.add("vba-macros", &path);
        } else if (entry.is_storage() && (name == "ObjectPool" || name.starts_with("MBD"))) || (entry.is_stream() && name == "\u{1}Ole10Native") {
            report.add("embedded-object", &path);
        }
    }
}

/// An Outlook message's headers, body and attachments, from its property streams
/// ([MS-OXMSG]): `__substg1.0_TTTTYYYY`, tag T and type Y (001F UTF-16, 001E 8-bit,
/// 0102 binary).
fn outlook(file: &mut Compound) -> crate::email::Mail {
    let text = |file: &mut Compound, dir: &str, tag: &str| -> String {
        if let Some(data) = read_stream(file, &format!("{dir}__substg1.0_{tag}001F")) {
            let units: Vec<u16> = data.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            return String::from_utf16_lossy(&units).trim_end_matches('\0').to_owned();
        }
        // 8-bit strings are in the message's code page (Big5, Shift_JIS...): detected.
        read_stream(file, &format!("{dir}__substg1.0_{tag}001E")).map(|d| crate::text::decode(&d).0.trim_end_matches('\0').to_owned()).unwrap_or_default()
    };
    let sender = text(file, "/", "0C1A");
    let sender_address = text(file, "/", "0C1F");
    let from = match (sender.is_empty(), sender_address.is_empty()) {
        (false, false) => format!("{sender} <{sender_address}>"),
        (false, true) => sender,
        _ => sender_address,
    };
    let headers = vec![("From", from), ("To", text(file, "/", "0E04")), ("Cc", text(file, "/", "0E03")), ("Subject", text(file, "/", "0037"))];
    let body = text(file, "/", "1000").chars().take(500_000).collect();
    let mut storages: Vec<String> =
        file.read_root_storage().filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#")).map(|e| e.name().to_owned()).collect();
    storages.sort();
    let mut attachments = Vec::new();
    for storage in storages.into_iter().take(100) {
        let dir = format!("/{storage}/");
        let name = Some(text(file, &dir, "3707")).filter(|n| !n.is_empty()).unwrap_or_else(|| text(file, &dir, "3704"));
        if let Some(data) = read_stream(file, &format!("{dir}__substg1.0_37010102")) {
            attachments.push((if name.is_empty() { storage.clone() } else { name }, data));
        }
    }
    crate::email::Mail { headers, body, attachments }
}

fn read_stream(file: &mut Compound, name: &str) -> Option<Vec<u8>> {
    read_stream_start(file, name, MAX_STREAM)
}

/// The first `limit` bytes of a stream.
fn read_stream_start(file: &mut Compound, name: &str, limit: u64) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    file.open_stream(name).ok()?.take(limit).read_to_end(&mut data).ok()?;
    Some(data)
}

/// A Word 97-2003 document: its main text, paragraph by paragraph.
fn word(request: &Request<'_>, file: &mut Compound, mut report: Report, out: &mut Output) {
    out.begin(Format::Doc, None);
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
            out.report(&report.finish());
            return out.failure(FailureKind::PasswordRequired, "this Word 97-2003 document is password-encrypted");
        }
        Err(why) => {
            out.report(&report.finish());
            return out.failure(FailureKind::Malformed, &format!("cannot read the Word 97-2003 document: {why}"));
        }
    };
    report.add("legacy-format", "Word 97-2003 document: text only (no layout, tables or images)");
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
    out.report(&report.finish());
    // The page count is only known now; Begin already went out without one.
    paint::render_pages(&canvas, request, out);
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
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
