//! Excel 97-2003 workbook encryption ([MS-XLS] 2.2.10, [MS-OFFCRYPTO] 2.3.5–2.3.6): a
//! `FilePass` record near the start of the `Workbook` stream, and every record body after
//! it encrypted with RC4, re-keyed every 1024 bytes of the stream. Both the original RC4
//! scheme (MD5) and the CryptoAPI one (SHA-1, 40- to 128-bit keys) are decrypted. The
//! result is a compound file with the decrypted stream, which the spreadsheet renderer
//! reads like any workbook. The older XOR obfuscation ([`super::xor`]) is undone too.

use std::io::{Cursor, Write};

use docsandbox_protocol::bytes::{u16_at, u32_at};
use docsandbox_protocol::ByteReader;

use super::binary::Scheme;
use super::{candidates, mismatch, DecryptError, Decrypted};

const FILE_PASS: u16 = 0x002F;
const BOUND_SHEET: u16 = 0x0085;
/// Records whose bodies are never encrypted: BOF, FilePass, UsrExcl, FileLock,
/// InterfaceHdr, RRDInfo, RRDHead.
const CLEAR: [u16; 7] = [0x0809, FILE_PASS, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138];
/// The stream is encrypted in blocks of this many bytes, each with its own key.
const BLOCK: usize = 1024;
/// Record type written over `FilePass` once decrypted; no reader knows it, so they skip it.
const UNUSED_RECORD: u16 = 0xFFFF;

/// How many bytes from the start of a `Workbook` stream hold its `FilePass` record, if
/// it has one: the first 16 records, each at most 4 + 8224 bytes.
pub const FILE_PASS_WINDOW: u64 = 16 * (4 + 8224);

/// Whether a workbook is encrypted, from the first [`FILE_PASS_WINDOW`] bytes of its
/// `Workbook` stream (so that a plain workbook need not be read twice).
pub fn is_encrypted(start: &[u8]) -> bool {
    find_file_pass(start).is_some()
}

/// Whether `password` opens a workbook, from the first [`FILE_PASS_WINDOW`] bytes of its
/// `Workbook` stream; `None` when it is not encrypted or its header is damaged.
pub fn password_fits(start: &[u8], password: &str) -> Option<bool> {
    let (_, body) = find_file_pass(start)?;
    let mut fields = ByteReader::new(body);
    match fields.u16().ok()? {
        0 => {
            let (key, verifier) = (fields.u16().ok()?, fields.u16().ok()?);
            let tried = super::xor::password_bytes(password);
            Some(super::xor::key(&tried) == key && super::xor::verifier(&tried) == verifier)
        }
        1 => super::fits(Scheme::parse(&mut fields, "workbook", true).and_then(|scheme| scheme.unlock(password))),
        _ => None,
    }
}

/// Decrypts `workbook` (an encrypted `Workbook` stream) and returns a compound file
/// holding the decrypted stream.
pub fn decrypt(workbook: &[u8], password: &str) -> Result<Decrypted, DecryptError> {
    let Some((file_pass_at, body)) = find_file_pass(workbook) else {
        return Err(DecryptError::Malformed("the workbook has no FilePass record".into()));
    };
    let mut fields = ByteReader::new(body);
    let scheme = match fields.u16()? {
        0 => return decrypt_xor(workbook, file_pass_at, &mut fields, password),
        1 => Scheme::parse(&mut fields, "workbook", true)?,
        n => return Err(DecryptError::Malformed(format!("unknown workbook encryption type {n}"))),
    };
    let keys = scheme.unlock(password)?;
    let mut plain = workbook.to_vec();
    keys.decrypt_blocks(&mut plain, BLOCK);
    let out = decrypt_records(workbook, file_pass_at, |range, from, _| range.copy_from_slice(&plain[from..from + range.len()]));
    rebuilt(out, scheme.name("Excel"))
}

/// The workbook with `FilePass` made a record no reader knows, and `decrypt` applied to
/// every encrypted range after it: the body (at stream position `from`, of a record of
/// `size` bytes) of each record Excel does not leave in clear, but for a BoundSheet8
/// record's sheet offset.
fn decrypt_records(workbook: &[u8], file_pass_at: usize, mut decrypt: impl FnMut(&mut [u8], usize, usize)) -> Vec<u8> {
    let mut out = workbook.to_vec();
    let mut at = 0;
    while let Some((kind, size)) = record_header(workbook, at) {
        let start = at + 4;
        let end = (start + size).min(workbook.len());
        if at == file_pass_at {
            out[at..at + 2].copy_from_slice(&UNUSED_RECORD.to_le_bytes());
        } else if at > file_pass_at && !CLEAR.contains(&kind) {
            let from = if kind == BOUND_SHEET { (start + 4).min(end) } else { start };
            decrypt(&mut out[from..end], from, size);
        }
        at = end;
    }
    out
}

/// The compound file a decrypted workbook stream is rendered from.
fn rebuilt(workbook: Vec<u8>, scheme: String) -> Result<Decrypted, DecryptError> {
    let (compound, _) = compound_with_workbook(workbook).map_err(|e| DecryptError::Malformed(format!("cannot rebuild the decrypted workbook: {e}")))?;
    Ok(Decrypted { bytes: compound, scheme })
}

/// Decrypts a workbook protected with XOR obfuscation ([MS-XLS] 2.2.10, [MS-OFFCRYPTO]
/// 2.3.7): `fields` are the `FilePass` record's key and verifier. Each encrypted byte at
/// stream position `p` of a record of `size` bytes uses array entry `(p + size) % 16`
/// (as LibreOffice's import does); record headers, the records that are never encrypted
/// and a BoundSheet8's sheet offset stay in clear.
fn decrypt_xor(workbook: &[u8], file_pass_at: usize, fields: &mut ByteReader<'_>, password: &str) -> Result<Decrypted, DecryptError> {
    let (key, verifier) = (fields.u16()?, fields.u16()?);
    let tried = super::xor::password_bytes(candidates(password));
    if super::xor::key(&tried) != key || super::xor::verifier(&tried) != verifier {
        return Err(mismatch(password));
    }
    let array = super::xor::array(&tried);
    let out = decrypt_records(workbook, file_pass_at, |range, from, size| super::xor::decrypt(&array, range, (from + size) % 16));
    rebuilt(out, "Excel XOR obfuscation".into())
}

/// A fresh, well-formed compound file holding only a `Workbook` stream: what calamine is
/// given, so that its own compound-file reader never sees the original container. The
/// stream is tamed first ([`tame`]); returns the file and how many cells were left out.
pub fn compound_with_workbook(mut workbook: Vec<u8>) -> std::io::Result<(Vec<u8>, usize)> {
    let dropped = tame(&mut workbook);
    // Version 3 (512-byte sectors), as Excel writes: calamine refuses a version 4 file
    // without a mini stream.
    let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
    file.create_stream("/Workbook")?.write_all(&workbook)?;
    file.flush()?;
    Ok((file.into_inner().into_inner(), dropped))
}

/// Record type of a sheet's Dimensions (its used range).
const DIMENSIONS: u16 = 0x0200;
/// Records of one cell (row, column first), and of a run of cells in a row (row, first
/// column, ..., last column).
const CELL_RECORDS: [u16; 8] = [0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6];
const CELL_RUN_RECORDS: [u16; 2] = [0x00BD, 0x00BE];
/// Rows and columns of cells kept (the renderer shows fewer: `sheet::MAX_ROWS`).
const KEPT_ROWS: u16 = crate::formats::sheet::MAX_ROWS as u16;
const KEPT_COLUMNS: u16 = 256;

/// Makes a workbook stream safe for calamine's habits, which fuzzing found: it trusts a
/// sheet's stream offset (clamped here to the stream), it reserves room for every cell of
/// the range a sheet's Dimensions record declares (65 536 x 256 cells is hundreds of MB,
/// and an end before the start wraps to petabytes),
/// and it stores each sheet as a dense grid spanning its farthest cell, then copies it (two
/// cells at A1 and IV65536 take over 1 GB). Dimensions records are emptied (they are only
/// a hint, and an empty range is legal) and cells beyond the rows and columns the renderer
/// shows are turned into records calamine skips. Returns how many cell records were.
fn tame(workbook: &mut [u8]) -> usize {
    let mut dropped = 0;
    let mut at = 0;
    while let Some((kind, size)) = record_header(workbook, at) {
        let (start, end) = (at + 4, (at + 4 + size).min(workbook.len()));
        let word = |i: usize| u16_at(&workbook[..end], start + i);
        let beyond = match kind {
            // A sheet's stream offset past the end: calamine slices there unchecked and
            // panics (found by fuzzing). Pointing it at the end leaves that sheet empty.
            BOUND_SHEET if end - start >= 4 => {
                let offset = u32_at(workbook, start).unwrap_or(0);
                if offset as usize > workbook.len() {
                    let clamped = u32::try_from(workbook.len()).unwrap_or(u32::MAX);
                    workbook[start..start + 4].copy_from_slice(&clamped.to_le_bytes());
                }
                false
            }
            DIMENSIONS => {
                workbook[start..end].fill(0);
                false
            }
            k if CELL_RECORDS.contains(&k) => word(0).is_some_and(|row| row >= KEPT_ROWS) || word(2).is_some_and(|col| col >= KEPT_COLUMNS),
            k if CELL_RUN_RECORDS.contains(&k) => {
                let last = (end - start).checked_sub(2).and_then(word);
                word(0).is_some_and(|row| row >= KEPT_ROWS) || [word(2), last].into_iter().flatten().any(|col| col >= KEPT_COLUMNS)
            }
            _ => false,
        };
        if beyond {
            workbook[at..at + 2].copy_from_slice(&UNUSED_RECORD.to_le_bytes());
            dropped += 1;
        }
        at = end;
    }
    dropped
}

/// The type and body size of the BIFF record at `at`, if its header is there.
fn record_header(workbook: &[u8], at: usize) -> Option<(u16, usize)> {
    Some((u16_at(workbook, at)?, usize::from(u16_at(workbook, at.checked_add(2)?)?)))
}

/// Where the `FilePass` record starts and its body, if the workbook globals have one.
fn find_file_pass(workbook: &[u8]) -> Option<(usize, &[u8])> {
    let mut at = 0;
    // It comes right after the globals' BOF; a few records of slack are plenty (the
    // count matches FILE_PASS_WINDOW).
    for _ in 0..16 {
        let (kind, size) = record_header(workbook, at)?;
        let body = workbook.get(at + 4..at + 4 + size)?;
        if kind == FILE_PASS {
            return Some((at, body));
        }
        at += 4 + size;
    }
    None
}
