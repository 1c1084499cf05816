//! Text in PowerPoint 97-2003: the paragraph and character property exceptions
//! ([MS-PPT] 2.9.18 TextPFException, 2.9.24 TextCFException) as the master's text styles
//! (TextMasterStyleAtom), the document defaults and each text's own runs
//! (StyleTextPropAtom) write them, and the paragraphs of the shared slide model they make.

use std::collections::HashMap;

use docsandbox_protocol::bytes::ByteReader;

use super::super::model::{Para, RunLook, Spacing};
use crate::layout::paint::{Align, Rgb};

/// Most paragraph or character runs read from one text.
const MAX_RUNS: usize = 10_000;
/// Text types ([MS-PPT] 2.13.33): title, body, notes, other, centred body and title, half
/// and quarter body.
pub(super) const TITLE: u16 = 0;
pub(super) const BODY: u16 = 1;
pub(super) const OTHER: u16 = 4;
pub(super) const CENTER_TITLE: u16 = 6;

/// A colour as written: its own, or an index into the slide's colour scheme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Colour {
    Rgb(Rgb),
    Scheme(u8),
}

impl Colour {
    /// A ColorIndexStruct: red, green, blue, then 0xFE for "these bytes" or a scheme index.
    fn index_struct([r, g, b, index]: [u8; 4]) -> Option<Colour> {
        match index {
            0xFE => Some(Colour::Rgb([r, g, b])),
            0..=7 => Some(Colour::Scheme(index)),
            _ => None,
        }
    }

    pub(super) fn resolve(self, scheme: &[Rgb; 8]) -> Rgb {
        match self {
            Colour::Rgb(rgb) => rgb,
            Colour::Scheme(i) => scheme[usize::from(i).min(7)],
        }
    }
}

/// Paragraph properties as one exception writes them (unset: inherited).
#[derive(Debug, Clone, Default)]
pub(super) struct ParaProps {
    pub(super) bullet: Option<bool>,
    pub(super) bullet_char: Option<char>,
    pub(super) align: Option<u16>,
    /// Where the text and the bullet start, in master units.
    pub(super) left_margin: Option<i16>,
    pub(super) indent: Option<i16>,
    /// Line spacing, space before and after: percentages when positive, master units
    /// when negative.
    pub(super) spacing: [Option<i16>; 3],
}

/// Character properties as one exception writes them (unset: inherited).
#[derive(Debug, Clone, Default)]
pub(super) struct CharProps {
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) underline: Option<bool>,
    pub(super) font: Option<u16>,
    pub(super) size: Option<u16>,
    pub(super) color: Option<Colour>,
    /// Raised (positive) or lowered, in percent of the font size.
    pub(super) position: Option<i16>,
}

impl ParaProps {
    fn over(&self, base: &ParaProps) -> ParaProps {
        ParaProps {
            bullet: self.bullet.or(base.bullet),
            bullet_char: self.bullet_char.or(base.bullet_char),
            align: self.align.or(base.align),
            left_margin: self.left_margin.or(base.left_margin),
            indent: self.indent.or(base.indent),
            spacing: [0, 1, 2].map(|i| self.spacing[i].or(base.spacing[i])),
        }
    }

    /// A TextPFException: its masks, then the fields they say are present, in order.
    pub(super) fn read(r: &mut ByteReader) -> Option<ParaProps> {
        let masks = r.u32().ok()?;
        let mut props = ParaProps::default();
        if masks & 0x0F != 0 {
            let flags = r.u16().ok()?;
            if masks & 0x01 != 0 {
                props.bullet = Some(flags & 0x01 != 0);
            }
        }
        if masks & 0x80 != 0 {
            props.bullet_char = char::from_u32(u32::from(r.u16().ok()?)).filter(|c| !c.is_control()).map(crate::layout::fonts::bullet_symbol);
        }
        for (bit, bytes) in [(0x10, 2), (0x40, 2), (0x20, 4)] {
            if masks & bit != 0 {
                r.skip(bytes).ok()?;
            }
        }
        if masks & 0x800 != 0 {
            props.align = Some(r.u16().ok()?);
        }
        let mut value = |bit: u32| if masks & bit != 0 { r.u16().map(|v| Some(v as i16)) } else { Ok(None) };
        props.spacing = [value(0x1000).ok()?, value(0x2000).ok()?, value(0x4000).ok()?];
        props.left_margin = value(0x100).ok()?;
        props.indent = value(0x400).ok()?;
        if masks & 0x8000 != 0 {
            r.skip(2).ok()?;
        }
        if masks & 0x10_0000 != 0 {
            let stops = r.u16().ok()?;
            r.skip(usize::from(stops) * 4).ok()?;
        }
        // Font alignment, wrap flags, text direction.
        for bit in [0x1_0000, 0xE_0000, 0x20_0000] {
            if masks & bit != 0 {
                r.skip(2).ok()?;
            }
        }
        Some(props)
    }
}

impl CharProps {
    fn over(&self, base: &CharProps) -> CharProps {
        CharProps {
            bold: self.bold.or(base.bold),
            italic: self.italic.or(base.italic),
            underline: self.underline.or(base.underline),
            font: self.font.or(base.font),
            size: self.size.or(base.size),
            color: self.color.or(base.color),
            position: self.position.or(base.position),
        }
    }

    /// A TextCFException: its masks, the style flags, fonts, size, colour and position.
    pub(super) fn read(r: &mut ByteReader) -> Option<CharProps> {
        let masks = r.u32().ok()?;
        let mut props = CharProps::default();
        if masks & 0xFFFF != 0 {
            let style = r.u16().ok()?;
            let flag = |bit: u32| (masks & bit != 0).then_some(u32::from(style) & bit != 0);
            (props.bold, props.italic, props.underline) = (flag(0x1), flag(0x2), flag(0x4));
        }
        if masks & 0x1_0000 != 0 {
            props.font = Some(r.u16().ok()?);
        }
        // The East Asian, ANSI and symbol fonts.
        for bit in [0x20_0000, 0x40_0000, 0x80_0000] {
            if masks & bit != 0 {
                r.skip(2).ok()?;
            }
        }
        if masks & 0x2_0000 != 0 {
            props.size = Some(r.u16().ok()?).filter(|s| (1..=4000).contains(s));
        }
        if masks & 0x4_0000 != 0 {
            props.color = Colour::index_struct(r.array().ok()?);
        }
        if masks & 0x8_0000 != 0 {
            // Raised (superscript) or lowered, in percent of the font size.
            props.position = Some(r.u16().ok()? as i16);
        }
        Some(props)
    }
}

/// The master's text styles by text type and level, over the document's defaults.
#[derive(Default)]
pub(super) struct MasterStyles {
    pub(super) defaults: (ParaProps, CharProps),
    pub(super) levels: HashMap<u16, Vec<(ParaProps, CharProps)>>,
}

impl MasterStyles {
    /// Reads a TextMasterStyleAtom of `text_type`: up to five levels, each a paragraph and
    /// a character exception (types 5 and up name each level first).
    pub(super) fn add(&mut self, text_type: u16, body: &[u8]) {
        let mut r = ByteReader::new(body);
        let Ok(count) = r.u16() else { return };
        let mut levels = Vec::new();
        for _ in 0..count.min(5) {
            if text_type >= 5 && r.u16().is_err() {
                break;
            }
            let Some(para) = ParaProps::read(&mut r) else { break };
            let Some(chars) = CharProps::read(&mut r) else { break };
            levels.push((para, chars));
        }
        self.levels.insert(text_type, levels);
    }

    /// The properties a paragraph of `text_type` at `level` starts from.
    fn base(&self, text_type: u16, level: usize) -> (ParaProps, CharProps) {
        let at = |t: u16| self.levels.get(&t).and_then(|l| l.get(level).or(l.last())).cloned();
        // Centred and partial bodies change the body's style, the centred title the title's.
        let parent = match text_type {
            5 | 7 | 8 => Some(BODY),
            CENTER_TITLE => Some(TITLE),
            _ => None,
        };
        let mut props = self.defaults.clone();
        for t in parent.into_iter().chain([text_type]) {
            if let Some((p, c)) = at(t) {
                props = (p.over(&props.0), c.over(&props.1));
            }
        }
        props
    }
}

/// One text as a shape holds it: characters, type, and its paragraph and character runs
/// (each covering a count of characters; paragraphs with their indent level).
#[derive(Default, Clone)]
pub(super) struct TextBody {
    pub(super) chars: Vec<u16>,
    pub(super) text_type: u16,
    pub(super) paras: Vec<(usize, u16, ParaProps)>,
    pub(super) runs: Vec<(usize, CharProps)>,
}

impl TextBody {
    /// Takes the characters of a TextCharsAtom (UTF-16) or TextBytesAtom (one byte each).
    pub(super) fn set_chars(&mut self, atom: &super::records::Record) {
        self.chars = match atom.kind {
            super::records::TEXT_BYTES_ATOM => atom.body.iter().map(|&b| u16::from(b)).collect(),
            _ => super::records::units(atom.body).collect(),
        };
    }

    /// Reads a StyleTextPropAtom for the characters already read: paragraph runs cover the
    /// text and one more character, then character runs do the same.
    pub(super) fn styles(&mut self, body: &[u8]) {
        let mut r = ByteReader::new(body);
        let total = self.chars.len() + 1;
        let mut covered = 0usize;
        while covered < total && self.paras.len() < MAX_RUNS {
            let (Ok(count), Ok(level)) = (r.u32(), r.u16()) else { return };
            let Some(props) = ParaProps::read(&mut r) else { return };
            self.paras.push((count as usize, level, props));
            covered = covered.saturating_add((count as usize).max(1));
        }
        covered = 0;
        while covered < total && self.runs.len() < MAX_RUNS {
            let Ok(count) = r.u32() else { return };
            let Some(props) = CharProps::read(&mut r) else { return };
            self.runs.push((count as usize, props));
            covered = covered.saturating_add((count as usize).max(1));
        }
    }

    /// The paragraphs of the slide model, with every property resolved.
    pub(super) fn paragraphs(&self, styles: &MasterStyles, scheme: &[Rgb; 8], fonts: &[String]) -> Vec<Para> {
        let mut out = Vec::new();
        let (mut para_run, mut para_left) = (0usize, self.paras.first().map_or(usize::MAX, |p| p.0));
        let (mut char_run, mut char_left) = (0usize, self.runs.first().map_or(usize::MAX, |r| r.0));
        let mut para: Option<(Para, ParaProps, CharProps)> = None;
        let empty = CharProps::default();
        let title = matches!(self.text_type, TITLE | CENTER_TITLE);
        for (i, &unit) in self.chars.iter().chain([&0x0D]).enumerate() {
            while para_left == 0 && para_run + 1 < self.paras.len() {
                para_run += 1;
                para_left = self.paras[para_run].0;
            }
            while char_left == 0 && char_run + 1 < self.runs.len() {
                char_run += 1;
                char_left = self.runs[char_run].0;
            }
            para_left = para_left.saturating_sub(1);
            char_left = char_left.saturating_sub(1);
            let (para_model, _, base_chars) = para.get_or_insert_with(|| {
                let (level, own) = self.paras.get(para_run).map_or((0, ParaProps::default()), |p| (usize::from(p.1).min(4), p.2.clone()));
                let (base_para, base_chars) = styles.base(self.text_type, level);
                (Para { level, ..Default::default() }, own.over(&base_para), base_chars)
            });
            if unit == 0x0D || i == self.chars.len() {
                let (mut model, props, _) = para.take().expect("set above");
                model.align = props.align.map(|a| match a {
                    1 => Align::Center,
                    2 => Align::End,
                    3 => Align::Justify,
                    _ => Align::Start,
                });
                model.bullet = Some(props.bullet.unwrap_or(false).then(|| props.bullet_char.unwrap_or('•').to_string()));
                let points = |v: i16| (f32::from(v) / 8.0).clamp(0.0, 2000.0);
                if props.left_margin.is_some() || props.indent.is_some() {
                    model.margin = Some((props.left_margin.map_or(0.0, points), props.indent.map_or(0.0, points)));
                }
                // Percentages of one line (of the paragraph's first size), or master units.
                let size = model.runs.first().and_then(|r| r.1.size).unwrap_or(18.0);
                let [line, before, after] = props.spacing;
                model.spacing[0] = match line {
                    Some(l) if l > 0 => Some(Spacing::Share((f32::from(l) / 100.0).clamp(0.5, 10.0))),
                    Some(l) if l < 0 => Some(Spacing::Points(points(l.saturating_neg()))),
                    _ => None,
                };
                let space =
                    |v: Option<i16>| v.map(|v| Spacing::Points(if v >= 0 { f32::from(v) / 100.0 * size * 1.2 } else { points(v.saturating_neg()) }.min(500.0)));
                model.spacing[1] = space(before);
                model.spacing[2] = space(after);
                out.push(model);
                if i == self.chars.len() {
                    break;
                }
                continue;
            }
            let chars = self.runs.get(char_run).map_or(&empty, |r| &r.1).over(base_chars);
            let default_colour = if title { Colour::Scheme(3) } else { Colour::Scheme(1) };
            let look = RunLook {
                size: Some(f32::from(chars.size.unwrap_or(18))),
                bold: chars.bold,
                italic: chars.italic,
                underline: chars.underline.unwrap_or(false),
                strike: false,
                color: Some(chars.color.unwrap_or(default_colour).resolve(scheme)),
                font: chars.font.and_then(|f| fonts.get(usize::from(f))).or(fonts.first()).cloned(),
                baseline: chars.position.filter(|p| *p != 0).map(|p| f32::from(p.clamp(-100, 100)) / 100.0),
                caps: None,
            };
            let c = match unit {
                0x0B => '\n',
                0x09 => '\t',
                u => char::from_u32(u32::from(u)).filter(|c| !c.is_control()).unwrap_or('\u{FFFD}'),
            };
            match para_model.runs.last_mut() {
                Some((text, last)) if same_look(last, &look) => text.push(c),
                _ => para_model.runs.push((c.to_string(), look)),
            }
        }
        out
    }
}

fn same_look(a: &RunLook, b: &RunLook) -> bool {
    a.size == b.size
        && a.bold == b.bold
        && a.italic == b.italic
        && a.underline == b.underline
        && a.color == b.color
        && a.font == b.font
        && a.baseline == b.baseline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> [Rgb; 8] {
        [[255, 255, 255], [0, 0, 0], [128, 128, 128], [0, 0, 200], [0, 150, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]]
    }

    #[test]
    fn runs_split_paragraphs_and_take_the_master_style() {
        let mut styles = MasterStyles::default();
        // Body level 1: 28 pt, bulleted with '-'; level 2: 20 pt.
        let mut body = vec![2, 0];
        for (size, bullet) in [(28u16, b'-'), (20, b'*')] {
            body.extend_from_slice(&(0x81u32).to_le_bytes());
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&u16::from(bullet).to_le_bytes());
            body.extend_from_slice(&0x2_0000u32.to_le_bytes());
            body.extend_from_slice(&size.to_le_bytes());
        }
        styles.add(BODY, &body);
        let mut text = TextBody { chars: "One\rTwo".encode_utf16().collect(), text_type: BODY, ..Default::default() };
        // Paragraph runs: 4 characters at level 0, 4 at level 1; one character run, bold
        // and in scheme colour 4.
        let mut atom = Vec::new();
        for level in [0u16, 1] {
            atom.extend_from_slice(&4u32.to_le_bytes());
            atom.extend_from_slice(&level.to_le_bytes());
            atom.extend_from_slice(&0u32.to_le_bytes());
        }
        atom.extend_from_slice(&8u32.to_le_bytes());
        atom.extend_from_slice(&(0x4_0001u32).to_le_bytes());
        atom.extend_from_slice(&1u16.to_le_bytes());
        atom.extend_from_slice(&[0, 0, 0, 4]);
        text.styles(&atom);
        let paras = text.paragraphs(&styles, &scheme(), &["Arial".into()]);
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].runs[0].0, "One");
        assert_eq!(paras[1].runs[0].0, "Two");
        assert_eq!(paras[0].bullet, Some(Some("-".into())));
        assert_eq!(paras[1].bullet, Some(Some("*".into())));
        assert_eq!(paras[0].runs[0].1.size, Some(28.0));
        assert_eq!(paras[1].runs[0].1.size, Some(20.0));
        assert_eq!(paras[1].runs[0].1.bold, Some(true));
        assert_eq!(paras[1].runs[0].1.color, Some([0, 150, 0]));
        assert_eq!(paras[0].runs[0].1.font.as_deref(), Some("Arial"));
    }

    #[test]
    fn damaged_runs_keep_the_text() {
        let mut text = TextBody { chars: "Hello".encode_utf16().collect(), text_type: OTHER, ..Default::default() };
        text.styles(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF]);
        let paras = text.paragraphs(&MasterStyles::default(), &scheme(), &[]);
        assert_eq!(paras.len(), 1);
        assert_eq!(paras[0].runs[0].0, "Hello");
    }
}
