//! The OfficeArt layer ([MS-ODRAW]) that PowerPoint 97-2003 slides and Word 97-2003
//! documents share: 8-byte record headers with containers of further records, property
//! tables (FOPT) with their complex data, and the blip store whose entries hold or point
//! to the pictures (PNG, JPEG, DIB, EMF, WMF, PICT), read into picture files.

use std::collections::HashMap;
use std::io::Read;
use std::rc::Rc;

use docsandbox_protocol::bytes::{u16_at, u32_at};

/// Largest picture inflated from a compressed metafile.
const MAX_PICTURE: u64 = 64 << 20;

/// One record: its header's fields and its body, cut to the bytes present.
#[derive(Clone, Copy)]
pub(crate) struct Record<'a> {
    pub(crate) instance: u16,
    pub(crate) kind: u16,
    pub(crate) body: &'a [u8],
}

impl<'a> Record<'a> {
    /// The record whose header starts at `offset`; its body is cut at the end of `data`
    /// (a record that claims more bytes than there are keeps what is there).
    pub(crate) fn at(data: &'a [u8], offset: usize) -> Option<(Record<'a>, usize)> {
        let head = u16_at(data, offset)?;
        let kind = u16_at(data, offset + 2)?;
        let len = u32_at(data, offset + 4)? as usize;
        let start = offset + 8;
        let end = start.saturating_add(len).min(data.len());
        Some((Record { instance: head >> 4, kind, body: &data[start..end] }, start.saturating_add(len)))
    }

    /// The records inside a container record, in order.
    pub(crate) fn children(&self) -> Children<'a> {
        Children { data: self.body, offset: 0 }
    }

    /// The first child of `kind`.
    pub(crate) fn child(&self, kind: u16) -> Option<Record<'a>> {
        self.children().find(|r| r.kind == kind)
    }
}

/// The UTF-16 code units of little-endian text bytes (an odd last byte dropped).
pub(crate) fn units(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]))
}

/// The records of a container, one after the other, until the bytes end.
pub(crate) struct Children<'a> {
    data: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for Children<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let (record, next) = Record::at(self.data, self.offset)?;
        self.offset = next;
        Some(record)
    }
}

/// A property table: each property's value, and its complex data when it has some.
pub(crate) type Properties<'a> = HashMap<u16, (u32, &'a [u8])>;

/// Adds the properties of an FOPT record (later tables override earlier ones).
pub(crate) fn properties<'a>(record: Record<'a>, into: &mut Properties<'a>) {
    let body = record.body;
    let count = usize::from(record.instance);
    let mut complex = count * 6;
    for i in 0..count {
        let (Some(id), Some(value)) = (u16_at(body, i * 6), u32_at(body, i * 6 + 2)) else { break };
        let data = if id & 0x8000 != 0 {
            let start = complex.min(body.len());
            let mut len = value as usize;
            // Geometry arrays whose stated length leaves out their 6-byte header, as many
            // writers store them (Apache POI reads them the same way).
            let pid = id & 0x3FFF;
            if (0x0140..0x0180).contains(&pid) && array(&body[start..]).is_some_and(|(_, size, count)| size * count == len) {
                len += 6;
            }
            complex = complex.saturating_add(len);
            &body[start..complex.min(body.len())]
        } else {
            &[][..]
        };
        into.insert(id & 0x3FFF, (value, data));
    }
}

/// The properties of a shape container: its primary, secondary and tertiary property
/// tables, later ones over earlier ones.
pub(crate) fn shape_properties(shape: Record<'_>) -> Properties<'_> {
    let mut props = Properties::new();
    for record in shape.children().filter(|r| matches!(r.kind, FOPT | SECONDARY_FOPT | TERTIARY_FOPT)) {
        properties(record, &mut props);
    }
    props
}

/// A boolean property: `bit` when its "use" bit (16 higher) says it is set.
pub(crate) fn switch(value: Option<u32>, bit: u32) -> Option<bool> {
    value.filter(|v| v & (bit << 16) != 0).map(|v| v & bit != 0)
}

/// The pictures of the blip store, read on first use.
pub(crate) struct Blips<'a> {
    entries: Vec<Record<'a>>,
    pictures: &'a [u8],
    cache: HashMap<u32, Option<Rc<[u8]>>>,
}

impl<'a> Blips<'a> {
    /// The entries of a blip store container; `pictures` is the stream their offsets
    /// point into (PowerPoint's Pictures stream, Word's WordDocument stream).
    pub(crate) fn new(store: Option<Record<'a>>, pictures: &'a [u8]) -> Self {
        Self::from_entries(store.map(|s| s.children().filter(|r| r.kind == FBSE).collect()).unwrap_or_default(), pictures)
    }

    /// Blip store entries found elsewhere (after an inline shape in Word's Data stream).
    pub(crate) fn from_entries(entries: Vec<Record<'a>>, pictures: &'a [u8]) -> Self {
        Blips { entries, pictures, cache: HashMap::new() }
    }

    /// The picture file (PNG, JPEG, BMP, EMF, WMF...) of the 1-based blip `index`.
    pub(crate) fn get(&mut self, index: u32) -> Option<Rc<[u8]>> {
        if let Some(found) = self.cache.get(&index) {
            return found.clone();
        }
        let found = self.read(index).map(Rc::from);
        self.cache.insert(index, found.clone());
        found
    }

    fn read(&self, index: u32) -> Option<Vec<u8>> {
        let entry = self.entries.get((index as usize).checked_sub(1)?)?;
        // An FBSE: types, id, tag, size, references, the offset in the Pictures stream,
        // then its name and, in some files, the blip itself.
        let name_len = usize::from(*entry.body.get(33)?);
        let inline = entry.body.get(36 + name_len..).filter(|rest| rest.len() > 8);
        let (blip, _) = match inline {
            Some(rest) => Record::at(rest, 0)?,
            None => Record::at(self.pictures, u32_at(entry.body, 28)? as usize)?,
        };
        picture_file(blip)
    }
}

/// The file a blip record holds: bitmaps after their ids and tag byte (a DIB given its
/// file header), metafiles after their ids and header, inflated when compressed.
fn picture_file(blip: Record) -> Option<Vec<u8>> {
    let ids = if blip.instance & 1 == 1 { 32 } else { 16 };
    match blip.kind {
        0xF01A..=0xF01C => {
            let header = blip.body.get(ids..ids + 34)?;
            let data = blip.body.get(ids + 34..)?;
            if header[32] == 0 {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(data).take(MAX_PICTURE).read_to_end(&mut out).ok()?;
                Some(out)
            } else {
                Some(data.to_vec())
            }
        }
        0xF01F => {
            let dib = blip.body.get(ids + 1..)?;
            let header = u32_at(dib, 0)?;
            let bits = u16_at(dib, 14)?;
            let compression = u32_at(dib, 16).unwrap_or(0);
            let used = u32_at(dib, 32).unwrap_or(0);
            let colours = if used > 0 {
                used
            } else if bits <= 8 {
                1 << bits
            } else {
                0
            };
            let masks = if compression == 3 && header == 40 { 12 } else { 0 };
            let offset = 14u32.checked_add(header)?.checked_add(colours.checked_mul(4)?)?.checked_add(masks)?;
            let mut file = b"BM".to_vec();
            file.extend_from_slice(&u32::try_from(dib.len() + 14).ok()?.to_le_bytes());
            file.extend_from_slice(&[0; 4]);
            file.extend_from_slice(&offset.to_le_bytes());
            file.extend_from_slice(dib);
            Some(file)
        }
        0xF01D | 0xF01E | 0xF029 | 0xF02A => Some(blip.body.get(ids + 1..)?.to_vec()),
        _ => None,
    }
}

/// An IMsoArray: element count, allocated count and element size, then the elements
/// (those present), their size and count.
pub(crate) fn array(data: &[u8]) -> Option<(&[u8], usize, usize)> {
    let count = usize::from(u16_at(data, 0)?);
    let size = match u16_at(data, 4)? {
        0xFFF0 => 4,
        s => usize::from(s),
    };
    let rest = data.get(6..)?;
    Some((&rest[..(count * size.max(1)).min(rest.len())], size, count))
}

pub(crate) const DGG_CONTAINER: u16 = 0xF000;
pub(crate) const BSTORE_CONTAINER: u16 = 0xF001;
pub(crate) const DG_CONTAINER: u16 = 0xF002;
pub(crate) const SPGR_CONTAINER: u16 = 0xF003;
pub(crate) const SP_CONTAINER: u16 = 0xF004;
pub(crate) const FBSE: u16 = 0xF007;
pub(crate) const FSPGR: u16 = 0xF009;
pub(crate) const FSP: u16 = 0xF00A;
pub(crate) const FOPT: u16 = 0xF00B;
pub(crate) const CLIENT_TEXTBOX: u16 = 0xF00D;
pub(crate) const CHILD_ANCHOR: u16 = 0xF00F;
pub(crate) const CLIENT_ANCHOR: u16 = 0xF010;
pub(crate) const CLIENT_DATA: u16 = 0xF011;
pub(crate) const SECONDARY_FOPT: u16 = 0xF121;
pub(crate) const TERTIARY_FOPT: u16 = 0xF122;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dib_blips_get_a_file_header() {
        // A 1 × 1, 24-bit DIB after one id and the tag byte.
        let mut body = vec![0u8; 17];
        let mut dib = vec![0u8; 40];
        dib[0] = 40;
        dib[4] = 1;
        dib[8] = 1;
        dib[12] = 1;
        dib[14] = 24;
        body.extend_from_slice(&dib);
        body.extend_from_slice(&[0, 0, 255, 0]);
        let record = Record { instance: 0x7A8, kind: 0xF01F, body: &body };
        let file = picture_file(record).unwrap();
        assert_eq!(&file[..2], b"BM");
        assert_eq!(u32_at(&file, 10), Some(54));
        let decoded = crate::layout::embedded_image::decode(&file).expect("a BMP");
        assert_eq!((decoded.width, decoded.height), (1, 1));
    }
}
