//! PowerPoint 97-2003 presentation encryption ([MS-PPT] 2.3.7, as Apache POI's HSLF reads
//! it): the Current User stream's header token says the file is encrypted; the newest
//! UserEditAtom names the persist object holding the `CryptSession10Container`, whose body
//! is an RC4 CryptoAPI encryption header. Every other persist object in the PowerPoint
//! Document stream is encrypted as one RC4 stream keyed with its persist id as the block
//! number; the user edits and persist directories stay in clear. In the Pictures stream
//! each part of each picture record (its header, its UIDs, its metafile header or tag, its
//! data) is encrypted on its own, with the key of block 0. Both streams are decrypted in
//! place.

use std::collections::HashMap;

use docsandbox_protocol::bytes::u32_at;
use docsandbox_protocol::ByteReader;

use super::binary::{Keys, Scheme};
use super::{DecryptError, Rc4};
use crate::formats::officeart::Record;

/// Record type of the `CryptSession10Container`.
const CRYPT_SESSION: u16 = 0x2F14;
/// Record type of a BLIP store entry, which may carry its picture inside.
const BLIP_STORE_ENTRY: u16 = 0xF007;
/// Record types of metafile pictures (EMF, WMF, PICT): a 34-byte header follows the UIDs.
const METAFILES: [u16; 3] = [0xF01A, 0xF01B, 0xF01C];
/// Picture record instances with a second 16-byte UID.
const TWO_UIDS: [u16; 8] = [0x217, 0x3D5, 0x46B, 0x543, 0x6E1, 0x6E3, 0x6E5, 0x7A9];
/// The parts of a BLIP store entry, each encrypted on its own: types (Windows, Mac), UID,
/// tag, size, reference count, offset, then four single bytes (the third is the name's
/// length).
const STORE_ENTRY_PARTS: [usize; 11] = [1, 1, 16, 2, 4, 4, 4, 1, 1, 1, 1];
/// Most persist objects decrypted; a real deck has a few thousand at most.
const MAX_OBJECTS: usize = 100_000;
/// Most picture records decrypted.
const MAX_PICTURES: usize = 20_000;

/// Decrypts `stream` (the PowerPoint Document stream) and `pictures` (the Pictures
/// stream) in place when `password` fits. `persist` maps persist ids to stream offsets
/// (the newest edit's view), and `session` is the id of the encryption session's object.
/// Returns the scheme's name.
pub fn decrypt(stream: &mut [u8], pictures: &mut [u8], persist: &HashMap<u32, usize>, session: u32, password: &str) -> Result<String, DecryptError> {
    let (scheme, keys) = unlock(stream, persist, session, password)?;
    if persist.len() > MAX_OBJECTS {
        return Err(DecryptError::Malformed(format!("the presentation lists more than {MAX_OBJECTS} objects")));
    }
    decrypt_objects(stream, persist, session, &keys);
    decrypt_pictures(pictures, &keys.block(0));
    Ok(scheme.name("PowerPoint"))
}

/// The scheme and keys, when `password` fits the encryption session's verifier.
pub fn unlock(stream: &[u8], persist: &HashMap<u32, usize>, session: u32, password: &str) -> Result<(Scheme, Keys), DecryptError> {
    let at = persist.get(&session).copied();
    let header = at.and_then(|at| Some((at, record(stream, at)?))).filter(|&(_, (kind, _, _))| kind == CRYPT_SESSION);
    let Some((at, (_, _, len))) = header else {
        return Err(DecryptError::Malformed("the presentation's encryption session record is missing".into()));
    };
    let body = &stream[at + 8..(at + 8).saturating_add(len).min(stream.len())];
    let scheme = Scheme::parse(&mut ByteReader::new(body), "presentation", false)?;
    let keys = scheme.unlock(password)?;
    Ok((scheme, keys))
}

/// Each persist object but the session's, as far as its record reaches and never past
/// the next object, so that hostile overlapping objects cost no more than the stream.
fn decrypt_objects(stream: &mut [u8], persist: &HashMap<u32, usize>, session: u32, keys: &Keys) {
    let mut objects: Vec<(usize, u32)> = persist.iter().map(|(&id, &at)| (at, id)).filter(|&(at, _)| at < stream.len()).collect();
    objects.sort_unstable();
    objects.dedup_by_key(|(at, _)| *at);
    for (i, &(at, id)) in objects.iter().enumerate() {
        let limit = objects.get(i + 1).map_or(stream.len(), |&(next, _)| next);
        if id == session {
            continue;
        }
        let mut rc4 = keys.block(id);
        let head_end = (at + 8).min(limit);
        rc4.apply(&mut stream[at..head_end]);
        let Some(len) = u32_at(&stream[..head_end], at + 4) else { continue };
        let end = head_end.saturating_add(len as usize).min(limit);
        rc4.apply(&mut stream[head_end..end]);
    }
}

/// Each record of the Pictures stream, part by part, each part with a fresh keystream of
/// block 0 (`zero`).
fn decrypt_pictures(pictures: &mut [u8], zero: &Rc4) {
    let mut at: usize = 0;
    for _ in 0..MAX_PICTURES {
        if at.saturating_add(8) > pictures.len() {
            break;
        }
        let part = |pictures: &mut [u8], from: &mut usize, n: usize, end: usize| {
            let to = from.saturating_add(n).min(end);
            zero.clone().apply(&mut pictures[(*from).min(to)..to]);
            *from = to;
        };
        let mut cursor = at;
        part(pictures, &mut cursor, 8, pictures.len());
        let Some((mut kind, mut instance, len)) = record(pictures, at) else { break };
        let end = (at + 8).saturating_add(len).min(pictures.len());
        if kind == BLIP_STORE_ENTRY {
            for n in STORE_ENTRY_PARTS {
                part(pictures, &mut cursor, n, end);
            }
            let name = pictures.get(at + 8 + 33).map_or(0, |&n| usize::from(n));
            part(pictures, &mut cursor, name, end);
            let embedded = cursor;
            part(pictures, &mut cursor, 8, end);
            match record(pictures, embedded) {
                Some((k, i, _)) if cursor < end => (kind, instance) = (k, i),
                _ => cursor = end,
            }
        }
        if cursor < end {
            for _ in 0..if TWO_UIDS.contains(&instance) { 2 } else { 1 } {
                part(pictures, &mut cursor, 16, end);
            }
            part(pictures, &mut cursor, if METAFILES.contains(&kind) { 34 } else { 1 }, end);
            let rest = end - cursor;
            part(pictures, &mut cursor, rest, end);
        }
        at = at.saturating_add(8).saturating_add(len);
    }
}

/// The type, instance and stated body length of the record whose header is at `at`.
fn record(data: &[u8], at: usize) -> Option<(u16, u16, usize)> {
    let (record, next) = Record::at(data, at)?;
    Some((record.kind, record.instance, next - (at + 8)))
}
