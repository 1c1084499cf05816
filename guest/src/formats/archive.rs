//! ZIP archives, also encrypted (ZipCrypto, WinZip AES) with the request's password: an
//! overview page listing every entry (names decoded from UTF-8, or Shift_JIS and other
//! legacy encodings by detection), with sizes, an encrypted flag and per-entry findings;
//! then every entry rendered in turn through the same dispatcher, recursively, each page
//! labelled with the path it came from.
//!
//! One budget covers the whole recursion: expanded bytes, entries and nesting depth are
//! counted across every archive level, so nesting cannot multiply them; entries that
//! declare an extreme compression ratio are not expanded at all.

use std::io::{Cursor, Read};

use docsandbox_protocol::{FailureKind, FindingKind, Format};

use crate::dispatch::{Container, Input, Job};
use crate::layout::paint::{self, Block, Borders, Canvas, Cell, Flow, PageSetup, Painter, Row, SpanStyle, Table};
use crate::report::Report;

/// Deepest nesting of archives (an archive in an archive in an archive...).
pub const MAX_DEPTH: usize = 4;
/// Bytes expanded from all archives of one document together.
const MAX_EXPANDED: u64 = 160 << 20;
/// Entries listed per archive, and entries rendered over the whole document.
const MAX_LISTED: usize = 10_000;
const MAX_RENDERED: u64 = 200;
/// Declared expansion ratio beyond which an entry is not expanded (a bomb).
const MAX_RATIO: u64 = 1_000;

/// Extensions of programs and scripts that run when opened on Windows.
const EXECUTABLE: &[&str] = &[
    "exe", "dll", "scr", "com", "pif", "cpl", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "lnk", "iso", "img", "bat", "cmd", "ps1", "msi", "jar", "reg",
    "chm",
];

/// One entry of the listing.
struct Entry {
    index: usize,
    name: String,
    size: u64,
    packed: u64,
    encrypted: bool,
    dir: bool,
    findings: Vec<(FindingKind, String)>,
}

/// Renders an archive: its listing, then each entry through the dispatcher.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let request = job.request;
    let mut job = job.begin_container(Format::Zip);
    let depth = job.depth();
    let mut report = Report::new(request.max_report_bytes);
    let mut archive = match zip::ZipArchive::new(Cursor::new(request.document)) {
        Ok(a) => a,
        Err(e) => {
            return job.report(report).0.fail(FailureKind::Malformed, &format!("damaged ZIP archive: {e}"));
        }
    };
    let entries = list(&mut archive, &mut report);
    for e in &entries {
        for (kind, detail) in &e.findings {
            report.add(*kind, detail);
        }
    }
    overview(&mut job, &entries);
    let password = (!request.password.is_empty()).then_some(request.password);
    let (mut missing, mut wrong) = (false, false);
    for entry in entries.iter().filter(|e| !e.dir) {
        // When only the report is wanted, entries are still opened for their findings.
        if job.pages_done() || job.budget().entries_rendered >= MAX_RENDERED {
            break;
        }
        if entry.encrypted && password.is_none() {
            missing = true;
            continue;
        }
        if entry.size > (1 << 20) && entry.size / entry.packed.max(1) > MAX_RATIO {
            report.add(FindingKind::CompressionBomb, &format!("{}: {} bytes from {}", entry.name, entry.size, entry.packed));
            continue;
        }
        if depth + 1 >= MAX_DEPTH && is_zip_name(&entry.name) {
            report.add(FindingKind::NestingTooDeep, &entry.name);
            continue;
        }
        let bytes = match read(&mut archive, entry, password, &mut job.budget().bytes_expanded) {
            Ok(b) => b,
            Err(ReadError::WrongPassword) => {
                wrong = true;
                continue;
            }
            Err(ReadError::Budget) => {
                report.add(FindingKind::ArchiveBomb, &format!("more than {MAX_EXPANDED} bytes expanded; {} and later entries not shown", entry.name));
                break;
            }
            Err(ReadError::Damaged(m)) => {
                report.add(FindingKind::EntryNotShown, &format!("{}: {m}", entry.name));
                continue;
            }
        };
        job.budget().entries_rendered += 1;
        job.render_entry(&entry.name, &bytes, None);
    }
    let (job, failure) = job.report(report);
    if missing {
        job.fail(FailureKind::PasswordRequired, "some entries are encrypted: a password is needed to show them");
    } else if wrong {
        job.fail(FailureKind::WrongPassword, "the password does not decrypt the encrypted entries");
    } else if depth == 0 {
        // A single document whose only entry needed a password it did not get is as
        // locked as an encrypted archive.
        if let Some((kind @ (FailureKind::PasswordRequired | FailureKind::WrongPassword), message)) = failure {
            job.fail(kind, &message);
        }
    }
}

fn is_zip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

/// Lists entries with their findings, names decoded.
fn list(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, report: &mut Report) -> Vec<Entry> {
    if archive.len() > MAX_LISTED {
        report.add(FindingKind::ContentTruncated, &format!("{} entries; only the first {MAX_LISTED} are listed", archive.len()));
    }
    let mut raw = Vec::new();
    for index in 0..archive.len().min(MAX_LISTED) {
        let Ok(file) = archive.by_index_raw(index) else { continue };
        raw.push((index, file.name_raw().to_vec(), file.size(), file.compressed_size(), file.encrypted(), file.is_dir()));
    }
    // Names that are not UTF-8 are decoded together, so that the detector sees enough text.
    let legacy: Vec<u8> = raw.iter().filter(|r| std::str::from_utf8(&r.1).is_err()).flat_map(|r| r.1.iter().copied().chain(*b"\n")).collect();
    let encoding = if legacy.is_empty() {
        encoding_rs::UTF_8
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(&legacy, true);
        detector.guess(Some(b"jp"), chardetng::Utf8Detection::Deny)
    };
    raw.into_iter()
        .map(|(index, name, size, packed, encrypted, dir)| {
            let name = match std::str::from_utf8(&name) {
                Ok(n) => n.to_owned(),
                Err(_) => encoding.decode(&name).0.into_owned(),
            };
            let findings = entry_findings(&name, encrypted);
            Entry { index, name, size, packed, encrypted, dir, findings }
        })
        .collect()
}

/// Findings about one entry's name.
fn entry_findings(name: &str, encrypted: bool) -> Vec<(FindingKind, String)> {
    let mut findings = Vec::new();
    let lower = name.to_lowercase();
    let file = lower.rsplit(['/', '\\']).next().unwrap_or_default();
    let parts: Vec<&str> = file.split('.').collect();
    let extension = parts.last().copied().unwrap_or_default();
    if parts.len() >= 2 && EXECUTABLE.contains(&extension) {
        findings.push((FindingKind::Executable, name.to_owned()));
        if parts.len() >= 3 && !parts[parts.len() - 2].is_empty() {
            findings.push((FindingKind::DoubleExtension, name.to_owned()));
        }
    }
    if name.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200F}')) {
        let shown: String = name
            .chars()
            .map(|c| if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200F}') { format!("<U+{:04X}>", c as u32) } else { c.to_string() })
            .collect();
        findings.push((FindingKind::RtlOverride, shown));
    }
    let traversal = name.starts_with(['/', '\\']) || name.split(['/', '\\']).any(|p| p == "..") || name.as_bytes().get(1) == Some(&b':');
    if traversal {
        findings.push((FindingKind::PathTraversal, name.to_owned()));
    }
    if encrypted {
        findings.push((FindingKind::EncryptedEntry, name.to_owned()));
    }
    findings
}

/// Why an entry could not be read.
enum ReadError {
    WrongPassword,
    Budget,
    Damaged(String),
}

/// Reads (and decrypts) an entry, charging the shared budget; the declared size is never
/// trusted.
fn read(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, entry: &Entry, password: Option<&str>, expanded: &mut u64) -> Result<Vec<u8>, ReadError> {
    let file = match (entry.encrypted, password) {
        (true, Some(p)) => archive.by_index_decrypt(entry.index, p.as_bytes()),
        _ => archive.by_index(entry.index),
    };
    let file = match file {
        Ok(f) => f,
        Err(zip::result::ZipError::InvalidPassword) => return Err(ReadError::WrongPassword),
        Err(e) => return Err(ReadError::Damaged(e.to_string())),
    };
    let left = MAX_EXPANDED.saturating_sub(*expanded);
    let mut data = Vec::new();
    let result = file.take(left + 1).read_to_end(&mut data);
    *expanded += data.len() as u64;
    if data.len() as u64 > left {
        return Err(ReadError::Budget);
    }
    match result {
        Ok(_) => Ok(data),
        // AES entries check their authentication code at the end: a wrong password that
        // passed the quick check fails here.
        Err(e) if e.to_string().to_lowercase().contains("password") || e.to_string().contains("authentication") => Err(ReadError::WrongPassword),
        Err(e) => Err(ReadError::Damaged(e.to_string())),
    }
}

/// The overview pages: a title and a table of the entries.
fn overview(job: &mut Container<'_, '_>, entries: &[Entry]) {
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let style = |size: f32, bold: bool| SpanStyle { family: "Liberation Sans".into(), size, bold, ..Default::default() };
    let block = |text: String, style: SpanStyle| Block { spans: vec![(text, style)], line_height: 1.0, ..Default::default() };
    let files = entries.iter().filter(|e| !e.dir).count();
    let encrypted = entries.iter().filter(|e| e.encrypted).count();
    let title = format!("ZIP archive: {files} files{}", if encrypted > 0 { format!(", {encrypted} encrypted") } else { String::new() });
    let rule = Some(([0xA0, 0xA0, 0xA0], 0.5));
    let borders = Borders { top: rule, bottom: rule, left: rule, right: rule };
    let cell = |text: String, bold: bool, red: bool| Cell {
        span: 1,
        content: vec![block(text, SpanStyle { color: if red { [0xB0, 0x10, 0x10] } else { [0, 0, 0] }, ..style(8.5, bold) })],
        fill: None,
        borders,
        ..Default::default()
    };
    let mut rows = vec![Row {
        header: true,
        cells: ["Name", "Size", "Packed", "Encrypted", "Findings"].map(|h| cell(h.into(), true, false)).to_vec(),
        ..Default::default()
    }];
    for e in entries {
        let findings: Vec<&str> = e.findings.iter().filter(|(k, _)| *k != FindingKind::EncryptedEntry).map(|(k, _)| k.name()).collect();
        rows.push(Row {
            cells: vec![
                cell(e.name.chars().filter(|c| !c.is_control()).collect(), false, false),
                cell(if e.dir { "folder".into() } else { e.size.to_string() }, false, false),
                cell(if e.dir { String::new() } else { e.packed.to_string() }, false, false),
                cell(if e.encrypted { "yes".into() } else { String::new() }, false, false),
                cell(findings.join(", "), false, !findings.is_empty()),
            ],
            ..Default::default()
        });
    }
    let setup = PageSetup { width: 595.0, height: 842.0, margin_top: 54.0, margin_right: 54.0, margin_bottom: 54.0, margin_left: 54.0 };
    let items = [
        Flow::Para(Block { space_after: 10.0, ..block(title, style(14.0, true)) }),
        Flow::Table(Table { columns: vec![230.0, 55.0, 55.0, 45.0, 102.0], rows, indent: 0.0, ..Default::default() }),
    ];
    paint::flow(&mut painter, &mut canvas, &items, setup);
    job.send_all_pages(&canvas);
}

/// Most bytes read from an entry to check a candidate password.
const MAX_CHECK_BYTES: u64 = 4 << 20;

/// Whether `password` opens an encrypted ZIP: its smallest encrypted entry decrypts and
/// passes its CRC or authentication check (up to the first few MiB). `None` when `bytes`
/// is not a ZIP with encrypted entries.
pub fn zip_password_fits(bytes: &[u8], password: &str) -> Option<bool> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let smallest = (0..archive.len().min(1000))
        .filter_map(|i| archive.by_index_raw(i).ok().filter(|f| f.encrypted() && f.is_file()).map(|f| (f.compressed_size(), i)))
        .min()?
        .1;
    let fits = match archive.by_index_decrypt(smallest, password.as_bytes()) {
        Ok(file) => std::io::copy(&mut file.take(MAX_CHECK_BYTES), &mut std::io::sink()).is_ok(),
        Err(_) => false,
    };
    Some(fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_names_are_flagged() {
        let kinds = |name: &str| entry_findings(name, false).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(kinds("invoice.pdf.exe"), ["executable", "double-extension"]);
        assert_eq!(kinds("setup.msi"), ["executable"]);
        assert_eq!(kinds("report\u{202E}fdp.exe"), ["executable", "rtl-override"]);
        assert_eq!(kinds("../../etc/cron.d/x"), ["path-traversal"]);
        assert_eq!(kinds("C:\\Windows\\evil.txt"), ["path-traversal"]);
        assert!(kinds("docs/letter.docx").is_empty());
        assert!(kinds("exe").is_empty());
    }
}
