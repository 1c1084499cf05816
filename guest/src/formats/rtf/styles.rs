//! The stylesheet (`\stylesheet`): paragraph styles (`\sN`) and character styles
//! (`\csN`), each with the style it is based on (`\sbasedon`).
//!
//! A paragraph style is resolved once, when the stylesheet ends, into the character and
//! paragraph formatting it gives (its base's, then its own words), so that `\sN` in the
//! text costs a copy. A character style keeps its words (its base's first), applied over
//! the formatting in effect where `\csN` is written. LibreOffice writes a style's own
//! words only and leaves them out of the text that uses it, so without its styles such a
//! document's text comes out in the wrong size, font and spacing; Word writes them in both
//! places, and reads the same either way.

use std::collections::HashMap;

use super::read::{char_word, default_chars, para_word, Chars, Para};

/// Styles kept; the rest are ignored.
const MAX_STYLES: usize = 4_096;
/// Words kept of one style, and of a character style with its bases.
const MAX_WORDS: usize = 128;
/// Bases followed at most (a longer or circular chain stops there).
const MAX_CHAIN: usize = 16;

/// A control word and its parameter, as written.
pub type Word = (Box<[u8]>, Option<i32>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Paragraph,
    Character,
    /// Section and table styles, which are not applied.
    Other,
}

/// A style as read: its kind and number, its base and its formatting words.
struct Entry {
    kind: Kind,
    id: i32,
    based_on: Option<i32>,
    words: Vec<Word>,
}

#[derive(Default)]
pub struct StyleSheet {
    entries: Vec<Entry>,
    /// The entry being read and the group depth it was opened at.
    reading: Option<(Entry, usize)>,
    paragraph: HashMap<i32, (Chars, Para)>,
    character: HashMap<i32, Vec<Word>>,
}

impl StyleSheet {
    /// A style's group opens at `depth`.
    pub fn begin(&mut self, depth: usize) {
        self.end();
        self.reading = Some((Entry { kind: Kind::Paragraph, id: 0, based_on: None, words: Vec::new() }, depth));
    }

    /// The depth the style being read was opened at.
    pub fn depth(&self) -> Option<usize> {
        self.reading.as_ref().map(|r| r.1)
    }

    /// A word of the style being read.
    pub fn word(&mut self, word: &[u8], parameter: Option<i32>) {
        let Some((entry, _)) = self.reading.as_mut() else { return };
        let n = parameter.unwrap_or(0);
        match word {
            b"s" => (entry.kind, entry.id) = (Kind::Paragraph, n),
            b"cs" => (entry.kind, entry.id) = (Kind::Character, n),
            b"ds" | b"ts" | b"tsrowd" => entry.kind = Kind::Other,
            b"sbasedon" => entry.based_on = Some(n),
            // Style attributes that are not formatting.
            b"snext" | b"slink" | b"sautoupd" | b"shidden" | b"ssemihidden" | b"sunhideused" | b"sqformat" | b"spriority" | b"slocked" | b"styrsid"
            | b"additive" | b"sreply" | b"spersonal" | b"scompose" => {}
            _ if entry.words.len() < MAX_WORDS => entry.words.push((word.into(), parameter)),
            _ => {}
        }
    }

    /// The style being read ends.
    pub fn end(&mut self) {
        if let Some((entry, _)) = self.reading.take() {
            if self.entries.len() < MAX_STYLES {
                self.entries.push(entry);
            }
        }
    }

    /// The stylesheet ends: paragraph styles are resolved, character styles flattened.
    pub fn finish(&mut self, default_font: i32) {
        self.end();
        let entries = std::mem::take(&mut self.entries);
        // The last style of each kind and number.
        let mut index: HashMap<(u8, i32), usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            index.insert((e.kind as u8, e.id), i);
        }
        let by_id = |kind: Kind, id: i32| index.get(&(kind as u8, id)).map(|&i| &entries[i]);
        for entry in &entries {
            // The chain from the style to its first base, at most MAX_CHAIN long.
            let mut chain = vec![entry];
            while let Some(base) = chain.last().and_then(|e| e.based_on).and_then(|b| by_id(entry.kind, b)) {
                if chain.len() >= MAX_CHAIN || chain.iter().any(|e| std::ptr::eq(*e, base)) {
                    break;
                }
                chain.push(base);
            }
            let words = chain.iter().rev().flat_map(|e| e.words.iter());
            match entry.kind {
                Kind::Paragraph => {
                    let mut chars = default_chars();
                    chars.font = default_font;
                    let mut para = Para::default();
                    for (word, parameter) in words {
                        if !char_word(&mut chars, word, *parameter, default_font) {
                            para_word(&mut para, word, parameter.unwrap_or(0));
                        }
                    }
                    para.style = entry.id;
                    para.border_side = None;
                    self.paragraph.insert(entry.id, (chars, para));
                }
                Kind::Character => {
                    self.character.insert(entry.id, words.take(MAX_WORDS).cloned().collect());
                }
                Kind::Other => {}
            }
        }
    }

    /// The formatting paragraph style `id` gives.
    pub fn paragraph(&self, id: i32) -> Option<&(Chars, Para)> {
        self.paragraph.get(&id)
    }

    /// The words of character style `id`, its bases' first.
    pub fn character(&self, id: i32) -> Option<&[Word]> {
        self.character.get(&id).map(Vec::as_slice)
    }
}
