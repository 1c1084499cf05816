//! OLE2 compound files (CFB): legacy binary Office documents, encrypted OOXML packages and
//! Outlook messages. The container is read with the `cfb` crate; what it holds decides the
//! route: Excel workbooks go to the spreadsheet renderer (calamine reads BIFF), Word 97-2003
//! documents go to the Word renderer, PowerPoint 97-2003
//! presentations go to the slide renderer, everything else gets a clear error. Outlook messages show their headers, body and attachments. The report lists macro storages and embedded objects.

use std::io::{Cursor, Read};

use docsandbox_protocol::{FailureKind, FindingKind, Format};

use crate::dispatch::{Input, Job};
use crate::report::Report;

/// Most bytes read from one stream (a Word document's text and table streams).
const MAX_STREAM: u64 = 64 << 20;

pub(crate) type Compound<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// Renders (or explains) an OLE2 compound file, through the renderer its streams call for.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let request = job.request;
    let mut file = match cfb::CompoundFile::open(Cursor::new(request.document)) {
        Ok(f) => f,
        Err(e) => return job.fail(FailureKind::Malformed, &format!("damaged OLE2 compound file: {e}")),
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
        return crate::crypto::render(job, Format::Docx, result, report.finish());
    }
    if has(&file, "Workbook")
        && read_stream_start(&mut file, "Workbook", crate::crypto::biff::FILE_PASS_WINDOW).is_some_and(|s| crate::crypto::biff::is_encrypted(&s))
    {
        let result = match read_stream(&mut file, "Workbook") {
            Some(workbook) => crate::crypto::biff::decrypt(&workbook, request.password),
            None => Err(crate::crypto::DecryptError::Malformed("the encrypted Workbook stream cannot be read".into())),
        };
        return crate::crypto::render(job, Format::Xls, result, report.finish());
    }
    if has(&file, "Workbook") || has(&file, "Book") {
        // calamine's own compound-file reader panics on some damaged containers (found by
        // fuzzing): the cfb crate reads the stream, and calamine gets a clean container.
        let stream = if has(&file, "Workbook") { "Workbook" } else { "Book" };
        let rebuilt = read_stream(&mut file, stream).map(crate::crypto::biff::compound_with_workbook);
        let Some(Ok((rebuilt, dropped))) = rebuilt else {
            return job.refuse(Format::Xls, &report.finish(), FailureKind::Malformed, &format!("the {stream} stream cannot be read"));
        };
        if dropped > 0 {
            report.add(
                FindingKind::ContentTruncated,
                &format!("{dropped} cell records beyond row {} or column 256 are not shown", crate::formats::sheet::MAX_ROWS),
            );
        }
        return crate::formats::sheet::render_with_report(job.with_document(&rebuilt), Format::Xls, None, report);
    }
    if has(&file, "WordDocument") {
        return crate::formats::doc::render(job, &mut file, report);
    }
    if has(&file, "__properties_version1.0") {
        let mail = crate::formats::mail::msg::read(&mut file);
        return crate::formats::mail::show(job, Format::Msg, mail);
    }
    if has(&file, "PowerPoint Document") {
        return crate::formats::pptx::ppt::render(job, &mut file, report);
    }
    job.fail(FailureKind::Unsupported, "rendering this OLE2 compound file is not supported; save it in a current format (.pptx, .docx...)")
}

/// Macro storages and embedded objects anywhere in the container.
fn findings(file: &Compound, report: &mut Report) {
    for entry in file.walk() {
        let path = entry.path().to_string_lossy().into_owned();
        let name = entry.name();
        if entry.is_storage() && matches!(name, "Macros" | "_VBA_PROJECT_CUR" | "VBA") {
            report.add(FindingKind::VbaMacros, &path);
        } else if (entry.is_storage() && (name == "ObjectPool" || name.starts_with("MBD"))) || (entry.is_stream() && name == "\u{1}Ole10Native") {
            report.add(FindingKind::EmbeddedObject, &path);
        }
    }
}

pub(crate) fn read_stream(file: &mut Compound, name: &str) -> Option<Vec<u8>> {
    read_stream_start(file, name, MAX_STREAM)
}

/// The first `limit` bytes of a stream.
pub(crate) fn read_stream_start(file: &mut Compound, name: &str, limit: u64) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    file.open_stream(name).ok()?.take(limit).read_to_end(&mut data).ok()?;
    Some(data)
}
