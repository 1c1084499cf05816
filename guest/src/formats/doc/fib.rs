//! The File Information Block ([MS-DOC] 2.5.1) and the text it points to: the piece table
//! that maps character positions (CPs) to bytes of the WordDocument stream (FCs), and the
//! formatted disk pages (FKPs) that hold character and paragraph properties by FC.

use docsandbox_protocol::bytes::{u16_at, u32_at};

/// Indices of the FibRgFcLcb97 pairs read.
pub(super) const STSHF: usize = 1;
/// The footnote references (a CP and a 2-byte FRD each) and the footnotes' texts.
pub(super) const PLCF_FND_REF: usize = 2;
pub(super) const PLCF_FND_TXT: usize = 3;
pub(super) const PLCF_SED: usize = 6;
pub(super) const PLCF_HDD: usize = 11;
pub(super) const PLCF_BTE_CHPX: usize = 12;
pub(super) const PLCF_BTE_PAPX: usize = 13;
pub(super) const STTBF_FFN: usize = 15;
pub(super) const CLX: usize = 33;
pub(super) const PLC_SPA_MOM: usize = 40;
/// The shapes anchored in headers and footers (CPs from the start of their stories).
pub(super) const PLC_SPA_HDR: usize = 41;
pub(super) const DGG_INFO: usize = 50;
pub(super) const PLCF_TXBX_TXT: usize = 56;
/// The text box stories of the headers' shapes.
pub(super) const PLCF_HDR_TXBX_TXT: usize = 58;
pub(super) const PLF_LST: usize = 73;
pub(super) const PLF_LFO: usize = 74;

/// Most characters read from a document's text (all its stories together).
const MAX_UNITS: usize = 16 << 20;
/// Most FKP pages read for either kind of property.
const MAX_PAGES: usize = 65_536;

/// The FIB fields used past the FibBase: story lengths and the table-stream pointers (the
/// version and flags are read by `render` before decryption).
pub(super) struct Fib<'a> {
    /// Character counts of the main text, footnotes, headers, macros, comments, endnotes,
    /// text boxes and header text boxes.
    pub(super) ccp: [u32; 8],
    fc_lcb: &'a [u8],
}

impl<'a> Fib<'a> {
    pub(super) fn read(doc: &'a [u8]) -> Option<Self> {
        if u16_at(doc, 0)? != 0xA5EC {
            return None;
        }
        let csw = usize::from(u16_at(doc, 0x20)?);
        let lw = 0x22 + csw * 2;
        let cslw = usize::from(u16_at(doc, lw)?);
        let mut ccp = [0; 8];
        for (i, count) in ccp.iter_mut().enumerate() {
            if 3 + i < cslw {
                *count = u32_at(doc, lw + 2 + 12 + i * 4)?;
            }
        }
        let at = lw + 2 + cslw * 4;
        let pairs = usize::from(u16_at(doc, at)?);
        let fc_lcb = doc.get(at + 2..(at + 2 + pairs * 8).min(doc.len()))?;
        Some(Fib { ccp, fc_lcb })
    }

    /// The bytes of pair `index` in `table` (the table stream), when it has any.
    pub(super) fn part(&self, index: usize, table: &'a [u8]) -> Option<&'a [u8]> {
        let fc = u32_at(self.fc_lcb, index * 8)? as usize;
        let lcb = u32_at(self.fc_lcb, index * 8 + 4)? as usize;
        if lcb == 0 {
            return None;
        }
        table.get(fc..fc.checked_add(lcb)?)
    }

    /// The bytes of `table` from pair `index`'s start on: for structures followed by
    /// more data than their length covers (the list levels after PlfLst).
    pub(super) fn part_onward(&self, index: usize, table: &'a [u8]) -> Option<&'a [u8]> {
        self.part(index, table)?;
        table.get(u32_at(self.fc_lcb, index * 8)? as usize..)
    }
}

/// A piece of text: CPs `cp..end` stored from byte `fc` of the WordDocument stream, in
/// Windows-1252 (compressed) or UTF-16, with its property modifier.
pub(super) struct Piece {
    pub(super) cp: u32,
    pub(super) end: u32,
    pub(super) fc: u32,
    pub(super) compressed: bool,
    pub(super) prm: u16,
}

/// The whole text, as UTF-16 code units by CP, with its pieces and the property groups
/// (`Prc`) that pieces may refer to.
pub(super) struct Text<'a> {
    pub(super) units: Vec<u16>,
    pub(super) pieces: Vec<Piece>,
    pub(super) prc: Vec<&'a [u8]>,
}

impl<'a> Text<'a> {
    /// Reads the text through the piece table in `clx` ([MS-DOC] 2.9.38).
    pub(super) fn read(doc: &[u8], clx: &'a [u8]) -> Option<Self> {
        let mut prc = Vec::new();
        let mut at = 0;
        while *clx.get(at)? == 0x01 {
            let len = usize::from(u16_at(clx, at + 1)?);
            prc.push(clx.get(at + 3..at + 3 + len)?);
            at += 3 + len;
        }
        if *clx.get(at)? != 0x02 {
            return None;
        }
        let lcb = u32_at(clx, at + 1)? as usize;
        let plc = clx.get(at + 5..at.checked_add(5 + lcb)?.min(clx.len()))?;
        let n = plc.len().checked_sub(4)? / 12;
        let mut units = Vec::new();
        let mut pieces = Vec::with_capacity(n);
        for i in 0..n {
            let (cp, end) = (u32_at(plc, i * 4)?, u32_at(plc, (i + 1) * 4)?);
            // CPs must follow on: a piece table that jumps is damaged.
            if cp as usize != units.len() || end < cp {
                return None;
            }
            let pcd = (n + 1) * 4 + i * 8;
            let raw = u32_at(plc, pcd + 2)?;
            let prm = u16_at(plc, pcd + 6)?;
            let compressed = raw & 0x4000_0000 != 0;
            let count = ((end - cp) as usize).min(MAX_UNITS - units.len());
            let fc = if compressed { (raw & 0x3FFF_FFFF) / 2 } else { raw };
            let start = fc as usize;
            if compressed {
                let bytes = doc.get(start..start.checked_add(count)?)?;
                // Windows-1252 is one BMP character per byte: CPs stay one unit each.
                units.extend(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.encode_utf16());
            } else {
                let bytes = doc.get(start..start.checked_add(count.checked_mul(2)?)?)?;
                units.extend(bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])));
            }
            pieces.push(Piece { cp, end: cp + count as u32, fc, compressed, prm });
            if units.len() >= MAX_UNITS {
                break;
            }
        }
        Some(Text { units, pieces, prc })
    }

    /// The piece holding `cp`, by index.
    pub(super) fn piece_of(&self, cp: u32) -> Option<usize> {
        let i = self.pieces.partition_point(|p| p.cp <= cp).checked_sub(1)?;
        (cp < self.pieces[i].end).then_some(i)
    }

    /// The stream offset of the character at `cp`, and its piece.
    pub(super) fn fc_of(&self, cp: u32) -> Option<(u32, usize)> {
        let i = self.piece_of(cp)?;
        let p = &self.pieces[i];
        let offset = cp - p.cp;
        Some((p.fc + if p.compressed { offset } else { offset * 2 }, i))
    }

    /// The property group a piece's modifier refers to (a complex `Prm`); simple
    /// modifiers (single sprms written by fast saves) are not read.
    pub(super) fn piece_sprms(&self, piece: usize) -> &'a [u8] {
        let prm = self.pieces.get(piece).map_or(0, |p| p.prm);
        if prm & 1 == 1 {
            self.prc.get(usize::from(prm >> 1)).copied().unwrap_or(&[])
        } else {
            &[]
        }
    }
}

/// A run of properties from an FKP: bytes `start..end` of the WordDocument stream, its
/// paragraph style (for paragraph runs) and its property group.
pub(super) struct Run<'a> {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) istd: u16,
    pub(super) grpprl: &'a [u8],
}

/// The character (`papx == false`) or paragraph property runs of a bin table `plc`,
/// sorted by position.
pub(super) fn runs<'a>(doc: &'a [u8], plc: Option<&[u8]>, papx: bool) -> Vec<Run<'a>> {
    let mut runs = Vec::new();
    let Some(plc) = plc else { return runs };
    let n = (plc.len().saturating_sub(4) / 8).min(MAX_PAGES);
    for i in 0..n {
        let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4) else { break };
        let offset = (pn & 0x3F_FFFF) as usize * 512;
        let Some(page) = doc.get(offset..offset + 512) else { continue };
        let count = usize::from(page[511]);
        for k in 0..count {
            let (Some(start), Some(end)) = (u32_at(page, k * 4), u32_at(page, (k + 1) * 4)) else { break };
            let table = (count + 1) * 4;
            let (istd, grpprl) = if papx {
                let Some(&b) = page.get(table + k * 13) else { break };
                papx_in_fkp(page, usize::from(b) * 2).unwrap_or((0, &[]))
            } else {
                let Some(&b) = page.get(table + k) else { break };
                let at = usize::from(b) * 2;
                let grpprl = if at == 0 { &[][..] } else { page.get(at + 1..(at + 1 + usize::from(page[at])).min(511)).unwrap_or(&[]) };
                (0, grpprl)
            };
            if start < end {
                runs.push(Run { start, end, istd, grpprl });
            }
        }
    }
    runs.sort_by_key(|r| r.start);
    runs
}

/// A PapxInFkp: its style and property group.
fn papx_in_fkp(page: &[u8], at: usize) -> Option<(u16, &[u8])> {
    if at == 0 {
        return None;
    }
    let cb = usize::from(*page.get(at)?);
    let (start, len) = if cb == 0 { (at + 2, usize::from(*page.get(at + 1)?) * 2) } else { (at + 1, cb * 2 - 1) };
    let data = page.get(start..(start + len).min(511))?;
    Some((u16_at(data, 0)?, data.get(2..)?))
}

/// The run holding stream offset `fc`, by index.
pub(super) fn run_at(runs: &[Run], fc: u32) -> Option<usize> {
    let i = runs.partition_point(|r| r.start <= fc).checked_sub(1)?;
    (fc < runs[i].end).then_some(i)
}
