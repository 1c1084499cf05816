//! The style sheet (STSH, [MS-DOC] 2.9.271) with each style's properties resolved through
//! its base styles, and the font table (SttbfFfn).

use docsandbox_protocol::bytes::u16_at;

use super::sprm::{apply_chp, apply_pap, Chp, Pap};

/// Most styles read.
const MAX_STYLES: usize = 4_096;
/// Deepest chain of base styles followed.
const MAX_DEPTH: usize = 16;
/// No base style.
const NIL: u16 = 0x0FFF;

/// One style as stored: kind (1 paragraph, 2 character, 3 table), base, and its own
/// paragraph and character property groups.
#[derive(Default, Clone)]
struct Stored<'a> {
    kind: u16,
    base: u16,
    papx: &'a [u8],
    chpx: &'a [u8],
}

/// The styles, resolved.
pub(super) struct Styles<'a> {
    stored: Vec<Stored<'a>>,
    chps: Vec<Chp>,
    paps: Vec<Pap>,
    default: Chp,
}

impl<'a> Styles<'a> {
    /// Reads a style sheet; `data` is the Data stream (for huge property groups).
    pub(super) fn read(stsh: Option<&'a [u8]>, data: &[u8]) -> Self {
        let stsh = stsh.unwrap_or(&[]);
        let header_len = usize::from(u16_at(stsh, 0).unwrap_or(0));
        let count = usize::from(u16_at(stsh, 2).unwrap_or(0)).min(MAX_STYLES);
        let base_len = usize::from(u16_at(stsh, 4).unwrap_or(10));
        let default = Chp { font: u16_at(stsh, 14).unwrap_or(0), font_east: u16_at(stsh, 16).unwrap_or(0), ..Chp::default() };
        let mut stored = Vec::with_capacity(count);
        let mut at = 2 + header_len;
        for _ in 0..count {
            let Some(len) = u16_at(stsh, at).map(usize::from) else { break };
            let std = stsh.get(at + 2..(at + 2 + len).min(stsh.len())).unwrap_or(&[]);
            at += 2 + len;
            stored.push(if len == 0 { Stored { base: NIL, ..Stored::default() } } else { style(std, base_len) });
        }
        let mut styles = Styles { stored, chps: Vec::new(), paps: Vec::new(), default };
        let n = styles.stored.len();
        let (mut chps, mut paps) = (vec![None; n], vec![None; n]);
        for i in 0..n {
            styles.resolve(i, &mut chps, &mut paps, 0, data);
        }
        styles.chps = chps.into_iter().map(Option::unwrap_or_default).collect();
        styles.paps = paps.into_iter().map(Option::unwrap_or_default).collect();
        styles
    }

    fn resolve(&self, i: usize, chps: &mut [Option<Chp>], paps: &mut [Option<Pap>], depth: usize, data: &[u8]) -> (Chp, Pap) {
        if let (Some(c), Some(p)) = (&chps[i], &paps[i]) {
            return (c.clone(), p.clone());
        }
        let s = &self.stored[i];
        let base = usize::from(s.base);
        let (mut chp, mut pap) = if base < self.stored.len() && base != i && depth < MAX_DEPTH {
            self.resolve(base, chps, paps, depth + 1, data)
        } else {
            (self.default.clone(), Pap::default())
        };
        let inherited = chp.clone();
        apply_chp(&mut chp, s.chpx, &inherited, &|_| Vec::new());
        apply_pap(&mut pap, s.papx, data);
        pap.istd = i as u16;
        chps[i] = Some(chp.clone());
        paps[i] = Some(pap.clone());
        (chp, pap)
    }

    /// The character properties of paragraph style `istd` (the default when missing).
    pub(super) fn chp(&self, istd: u16) -> &Chp {
        self.chps.get(usize::from(istd)).unwrap_or(&self.default)
    }

    /// The paragraph properties of paragraph style `istd`.
    pub(super) fn pap(&self, istd: u16) -> Pap {
        self.paps.get(usize::from(istd)).cloned().unwrap_or_else(|| Pap { istd, ..Pap::default() })
    }

    /// The character property groups of character style `istd` and its bases, root first.
    pub(super) fn char_groups(&self, istd: u16) -> Vec<&'a [u8]> {
        let mut groups = Vec::new();
        let mut at = usize::from(istd);
        while let Some(s) = self.stored.get(at).filter(|s| s.kind == 2) {
            groups.push(s.chpx);
            if groups.len() >= MAX_DEPTH || usize::from(s.base) == at {
                break;
            }
            at = usize::from(s.base);
        }
        groups.reverse();
        groups
    }
}

/// One STD: its kind and base from the fixed part, then its name, then its UPXs, each
/// starting on an even offset.
fn style(std: &[u8], base_len: usize) -> Stored<'_> {
    let kind = u16_at(std, 2).unwrap_or(0) & 0xF;
    let base = u16_at(std, 2).unwrap_or(NIL << 4) >> 4;
    let upx_count = usize::from(u16_at(std, 4).unwrap_or(0) & 0xF);
    let name_len = usize::from(u16_at(std, base_len).unwrap_or(0));
    let mut at = base_len + 2 + name_len * 2 + 2;
    let mut upxs: Vec<&[u8]> = Vec::new();
    for _ in 0..upx_count.min(3) {
        at += at % 2;
        let Some(len) = u16_at(std, at).map(usize::from) else { break };
        upxs.push(std.get(at + 2..(at + 2 + len).min(std.len())).unwrap_or(&[]));
        at += 2 + len;
    }
    let get = |i: usize| upxs.get(i).copied().unwrap_or(&[]);
    let (papx, chpx) = match kind {
        // A paragraph UPX starts with the style index.
        1 => (get(0).get(2..).unwrap_or(&[]), get(1)),
        2 => (&[][..], get(0)),
        3 => (get(1).get(2..).unwrap_or(&[]), get(2)),
        _ => (&[][..], &[][..]),
    };
    Stored { kind, base, papx, chpx }
}

/// The font names of the font table, by index.
pub(super) fn fonts(sttbf: Option<&[u8]>) -> Vec<String> {
    let Some(data) = sttbf else { return Vec::new() };
    let count = usize::from(u16_at(data, 0).unwrap_or(0)).min(MAX_STYLES);
    let mut at = 4;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        let Some(&len) = data.get(at) else { break };
        let ffn = data.get(at..(at + 1 + usize::from(len)).min(data.len())).unwrap_or(&[]);
        at += 1 + usize::from(len);
        let name: Vec<u16> = ffn.get(40..).unwrap_or(&[]).chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|&u| u != 0).collect();
        names.push(String::from_utf16_lossy(&name));
    }
    names
}
