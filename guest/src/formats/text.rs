//! Plain text and CSV/TSV: the encoding is found from a BOM, valid UTF-8, or chardetng's
//! guess (Shift_JIS, EUC-JP, ISO-2022-JP, Windows code pages...), decoded with
//! encoding_rs, then laid out by the paint layer: text wrapped and paginated in a
//! monospace face, delimited values as a ruled grid with the first row in bold.

use docsandbox_protocol::{FindingKind, Format};

use crate::dispatch::{Input, Job};
use crate::layout::paint::{self, Block, Borders, Canvas, Cell, Flow, PageSetup, Painter, Row, SpanStyle, Table};
use crate::report::Report;

/// Lines (text) or rows (CSV) laid out at most; the rest is cut and reported.
const MAX_LINES: usize = 50_000;
const MAX_ROWS: usize = 5_000;
const MAX_COLUMNS: usize = 64;
/// Characters laid out at most (over all lines), and per paragraph: longer lines are
/// split, which changes nothing since they wrap anyway.
const MAX_CHARS: usize = 2_000_000;
const MAX_LINE_CHARS: usize = 4_000;
/// Characters kept per grid cell.
const MAX_CELL_CHARS: usize = 200;
/// Page: A4 portrait (landscape for wide grids) with 0.75 in margins.
const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 54.0;

/// Whether bytes look like text: a BOM, or no NUL and few other control bytes in the
/// first 8 KiB.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)).count();
    controls * 100 <= head.len()
}

/// Decodes text, returning it with the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    // ISO-2022-JP is 7-bit, so valid UTF-8 too: its escape sequences give it away.
    if let Ok(text) = std::str::from_utf8(bytes).map_err(|_| ()).and_then(|t| if t.contains("\u{1b}$") { Err(()) } else { Ok(t) }) {
        return (text.to_owned(), "UTF-8");
    }
    // ISO-2022-JP is allowed: the text is only drawn, never interpreted.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

/// The delimiter of delimited values: the first lines all split into the same number (at
/// least two) of fields on it.
fn delimiter(text: &str) -> Option<char> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    if lines.len() < 2 {
        return None;
    }
    ['\t', ',', ';'].into_iter().find(|&d| {
        let counts: Vec<usize> = lines.iter().map(|l| split_fields(l, d).len()).collect();
        counts[0] >= 2 && counts.iter().all(|&c| c == counts[0])
    })
}

/// Splits one line of delimited values, honouring double quotes.
fn split_fields(line: &str, delimiter: char) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("a field").push('"');
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(String::new()),
            c => fields.last_mut().expect("a field").push(c),
        }
    }
    fields
}

/// Renders a text document.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let request = job.request;
    let (text, encoding) = decode(request.document);
    let mut report = Report::new(request.max_report_bytes);
    report.add(FindingKind::Encoding, encoding);
    let separator = delimiter(&text);
    let format = if separator.is_some() { Format::Csv } else { Format::Text };
    let begun = job.begin(format, None);
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    match separator {
        Some(d) => grid(&mut painter, &mut canvas, &text, d, &mut report),
        None => plain(&mut painter, &mut canvas, &text, &mut report),
    }
    begun.report(&report.finish()).send_pages(&canvas);
}

fn plain(painter: &mut Painter, canvas: &mut Canvas, text: &str, report: &mut Report) {
    let style = SpanStyle { family: "Liberation Mono".into(), size: 10.0, ..Default::default() };
    let mut items = Vec::new();
    let mut page_break = false;
    let mut chars = 0usize;
    for line in text.lines() {
        if items.len() >= MAX_LINES || chars >= MAX_CHARS {
            report.add(FindingKind::ContentTruncated, &format!("only the first {} lines are shown", items.len()));
            break;
        }
        // A form feed starts a new page, as printers do.
        let (line, next_break) = match line.strip_suffix('\u{C}') {
            Some(l) => (l, true),
            None => (line, false),
        };
        let mut line: Vec<char> = line.chars().filter(|c| !c.is_control() || *c == '\t').take(MAX_CHARS - chars + 1).collect();
        if chars + line.len() > MAX_CHARS {
            line.truncate(MAX_CHARS - chars);
            report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_CHARS} characters are shown"));
        }
        chars += line.len();
        for (i, piece) in line.chunks(MAX_LINE_CHARS).enumerate() {
            let block =
                Block { spans: vec![(piece.iter().collect(), style.clone())], line_height: 1.0, page_break_before: page_break && i == 0, ..Default::default() };
            items.push(Flow::Para(block));
        }
        if line.is_empty() {
            items.push(Flow::Para(Block {
                spans: vec![(String::new(), style.clone())],
                line_height: 1.0,
                page_break_before: page_break,
                ..Default::default()
            }));
        }
        page_break = next_break;
    }
    let setup = PageSetup { width: A4.0, height: A4.1, margin_top: MARGIN, margin_right: MARGIN, margin_bottom: MARGIN, margin_left: MARGIN };
    paint::flow(painter, canvas, &items, setup);
}

fn grid(painter: &mut Painter, canvas: &mut Canvas, text: &str, delimiter: char, report: &mut Report) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if rows.len() == MAX_ROWS {
            report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_ROWS} rows are shown"));
            break;
        }
        let mut fields = split_fields(line, delimiter);
        if fields.len() > MAX_COLUMNS {
            fields.truncate(MAX_COLUMNS);
        }
        rows.push(fields.into_iter().map(|f| f.chars().filter(|c| !c.is_control()).take(MAX_CELL_CHARS).collect()).collect());
    }
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1);
    // Column widths from the longest value (in characters), between 4 and 40; the
    // heading's bold letters count a sixth wider.
    let mut widths = vec![4usize; columns];
    for (r, row) in rows.iter().enumerate() {
        for (i, field) in row.iter().enumerate() {
            let count = field.chars().count();
            let count = if r == 0 { count + count.div_ceil(6) } else { count };
            widths[i] = widths[i].max(count.min(40));
        }
    }
    let natural: Vec<f32> = widths.iter().map(|&w| w as f32 * 5.0 + 2.0 * paint::CELL_PADDING).collect();
    let total: f32 = natural.iter().sum();
    let (page_w, page_h) = if total > A4.0 - 2.0 * MARGIN { (A4.1, A4.0) } else { A4 };
    let content = page_w - 2.0 * MARGIN;
    let scale = (content / total).min(1.0);
    let rule = Some(([0xA0, 0xA0, 0xA0], 0.5));
    let borders = Borders { top: rule, bottom: rule, left: rule, right: rule };
    let table_rows = rows
        .into_iter()
        .enumerate()
        .map(|(r, fields)| Row {
            // The first row, in bold, is taken for the heading and repeated on each page.
            header: r == 0,
            cells: (0..columns)
                .map(|i| {
                    let style = SpanStyle { family: "Liberation Sans".into(), size: 9.0, bold: r == 0, ..Default::default() };
                    let value = fields.get(i).cloned().unwrap_or_default();
                    Cell {
                        span: 1,
                        content: vec![Block { spans: vec![(value, style)], line_height: 1.0, ..Default::default() }],
                        fill: None,
                        borders,
                        ..Default::default()
                    }
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let table = Table { columns: natural.iter().map(|w| w * scale).collect(), rows: table_rows, indent: 0.0, ..Default::default() };
    let setup = PageSetup { width: page_w, height: page_h, margin_top: MARGIN, margin_right: MARGIN, margin_bottom: MARGIN, margin_left: MARGIN };
    paint::flow(painter, canvas, &[Flow::Table(table)], setup);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        let (text, name) = decode("日本語のテキストです。これはシフトJISで書かれています。".as_bytes());
        assert_eq!((text.as_str(), name), ("日本語のテキストです。これはシフトJISで書かれています。", "UTF-8"));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("日本語のテキストです。これはシフトJISで書かれています。");
        assert_eq!(decode(&sjis), ("日本語のテキストです。これはシフトJISで書かれています。".into(), "Shift_JIS"));
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("日本語のテキストです。");
        assert_eq!(decode(&jis).1, "ISO-2022-JP");
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("hi".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16), ("hi".into(), "UTF-16LE"));
        assert!(looks_like_text(&utf16) && looks_like_text(b"plain\n") && !looks_like_text(b"\x00\x01binary"));
    }

    #[test]
    fn delimited_values_are_recognised() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), Some(','));
        assert_eq!(delimiter("a\tb\n1\t2\n"), Some('\t'));
        assert_eq!(delimiter("Dear Sir,\nI write, as promised, to say\n"), None);
        assert_eq!(split_fields(r#"x,"a, ""quoted"" b",z"#, ','), ["x", r#"a, "quoted" b"#, "z"]);
    }
}
