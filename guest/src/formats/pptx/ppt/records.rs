//! The record layer of PowerPoint 97-2003 ([MS-PPT] 2.3) and of the OfficeArt drawings it
//! holds ([MS-ODRAW] 2.1): 8-byte headers (version and instance, type, length), containers
//! of further records, and the persist directory that maps object ids to stream offsets
//! through the chain of user edits.

use std::collections::{HashMap, HashSet};

pub(super) use crate::formats::officeart::*;

use docsandbox_protocol::bytes::u32_at;

/// Most user edits followed back from the current one (each saves a persist directory).
const MAX_EDITS: usize = 1_000;

/// The newest offset of each persist object, from the edit at `current` back to the first
/// save: older directories are applied first, so newer ones win. Also returns the document
/// container's persist id.
pub(super) fn persist_directory(stream: &[u8], current: usize) -> Option<(HashMap<u32, usize>, u32)> {
    let mut edits = Vec::new();
    let mut seen = HashSet::new();
    let mut at = current;
    while edits.len() < MAX_EDITS && seen.insert(at) {
        let (edit, _) = Record::at(stream, at).filter(|(r, _)| r.kind == USER_EDIT_ATOM)?;
        let last = u32_at(edit.body, 8)? as usize;
        let directory = u32_at(edit.body, 12)? as usize;
        let document = u32_at(edit.body, 16)?;
        edits.push((directory, document));
        if last == 0 {
            break;
        }
        at = last;
    }
    let document = edits.first()?.1;
    let mut map = HashMap::new();
    for (directory, _) in edits.iter().rev() {
        let Some((dir, _)) = Record::at(stream, *directory).filter(|(r, _)| r.kind == PERSIST_DIRECTORY_ATOM) else { continue };
        let mut i = 0;
        while let Some(entry) = u32_at(dir.body, i) {
            let (first, count) = (entry & 0xF_FFFF, (entry >> 20) as usize);
            i += 4;
            for n in 0..count {
                let Some(offset) = u32_at(dir.body, i + n * 4) else { break };
                map.insert(first + n as u32, offset as usize);
            }
            i += count * 4;
        }
    }
    Some((map, document))
}

/// The offset of the newest user edit: from the Current User stream, else the last
/// UserEditAtom found walking the stream's top-level records.
pub(super) fn current_edit(current_user: Option<&[u8]>, stream: &[u8]) -> Option<usize> {
    let named = current_user.and_then(|c| Record::at(c, 0)).and_then(|(r, _)| u32_at(r.body, 8)).map(|o| o as usize);
    if let Some(offset) = named.filter(|&o| Record::at(stream, o).is_some_and(|(r, _)| r.kind == USER_EDIT_ATOM)) {
        return Some(offset);
    }
    let mut offset = 0;
    let mut last = None;
    while let Some((record, next)) = Record::at(stream, offset) {
        if record.kind == USER_EDIT_ATOM {
            last = Some(offset);
        }
        offset = next;
    }
    last
}

/// The persist id of the encryption session (`encryptSessionPersistIdRef`) that the user
/// edit at `edit` names, if its atom is long enough to hold one.
pub(super) fn encryption_session(stream: &[u8], edit: usize) -> Option<u32> {
    Record::at(stream, edit).filter(|(r, _)| r.kind == USER_EDIT_ATOM).and_then(|(r, _)| u32_at(r.body, 28))
}

/// True when the Current User stream says the document is encrypted.
pub(super) fn encrypted(current_user: Option<&[u8]>) -> bool {
    current_user.and_then(|c| Record::at(c, 0)).and_then(|(r, _)| u32_at(r.body, 4)) == Some(0xF3D1_C4DF)
}

pub(super) const DOCUMENT: u16 = 0x03E8;
pub(super) const DOCUMENT_ATOM: u16 = 0x03E9;
pub(super) const SLIDE: u16 = 0x03EE;
pub(super) const SLIDE_ATOM: u16 = 0x03EF;
pub(super) const SLIDE_PERSIST_ATOM: u16 = 0x03F3;
pub(super) const ENVIRONMENT: u16 = 0x03F2;
pub(super) const MAIN_MASTER: u16 = 0x03F8;
pub(super) const DRAWING_GROUP: u16 = 0x040B;
pub(super) const DRAWING: u16 = 0x040C;
pub(super) const COLOR_SCHEME_ATOM: u16 = 0x07F0;
pub(super) const FONT_COLLECTION: u16 = 0x07D5;
pub(super) const OUTLINE_TEXT_REF_ATOM: u16 = 0x0F9E;
pub(super) const TEXT_HEADER_ATOM: u16 = 0x0F9F;
pub(super) const TEXT_CHARS_ATOM: u16 = 0x0FA0;
pub(super) const STYLE_TEXT_PROP_ATOM: u16 = 0x0FA1;
pub(super) const TEXT_MASTER_STYLE_ATOM: u16 = 0x0FA3;
pub(super) const TEXT_BYTES_ATOM: u16 = 0x0FA8;
pub(super) const FONT_ENTITY_ATOM: u16 = 0x0FB7;
pub(super) const PLACEHOLDER_ATOM: u16 = 0x0BC3;
pub(super) const CSTRING: u16 = 0x0FBA;
pub(super) const HEADERS_FOOTERS: u16 = 0x0FD9;
pub(super) const HEADERS_FOOTERS_ATOM: u16 = 0x0FDA;
pub(super) const SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
pub(super) const USER_EDIT_ATOM: u16 = 0x0FF5;
pub(super) const PERSIST_DIRECTORY_ATOM: u16 = 0x1772;
