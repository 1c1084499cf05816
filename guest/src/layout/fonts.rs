//! Fonts embedded in the guest, so rendering never depends on the host, and the table that
//! maps the font names documents use to them.
//!
//! Wasmtime maps the module's data segments copy-on-write, so the fonts cost nothing per
//! document until they are read. Sources and licences: `guest/fonts/SOURCES`.

/// IPAexGothic (IPA Font License 1.0): Japanese, and the fallback for non-embedded CJK fonts.
pub static IPAEX_GOTHIC: &[u8] = include_bytes!("../../fonts/ipaexg.ttf");

/// IPAexMincho (IPA Font License 1.0): the serif Japanese face (MS Mincho, Yu Mincho).
pub static IPAEX_MINCHO: &[u8] = include_bytes!("../../fonts/ipaexm.ttf");

/// Every embedded font, registered with the paint layer's font database.
pub static EMBEDDED: &[&[u8]] = &[
    IPAEX_GOTHIC,
    IPAEX_MINCHO,
    include_bytes!("../../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSans-BoldItalic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
    include_bytes!("../../fonts/LiberationMono-Regular.ttf"),
    include_bytes!("../../fonts/LiberationMono-Bold.ttf"),
    include_bytes!("../../fonts/Carlito-Regular.ttf"),
    include_bytes!("../../fonts/Carlito-Bold.ttf"),
    include_bytes!("../../fonts/Carlito-Italic.ttf"),
    include_bytes!("../../fonts/Carlito-BoldItalic.ttf"),
    include_bytes!("../../fonts/Caladea-Regular.ttf"),
    include_bytes!("../../fonts/Caladea-Bold.ttf"),
    include_bytes!("../../fonts/Caladea-Italic.ttf"),
    include_bytes!("../../fonts/Caladea-BoldItalic.ttf"),
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
];

/// Document font names (lower case) and the embedded family that stands in for each.
/// Extend it here: the first entry whose name matches wins.
pub static SUBSTITUTES: &[(&str, &str)] = &[
    ("arial", "Liberation Sans"),
    ("helvetica", "Liberation Sans"),
    ("liberation sans", "Liberation Sans"),
    ("times new roman", "Liberation Serif"),
    ("times", "Liberation Serif"),
    ("liberation serif", "Liberation Serif"),
    ("courier new", "Liberation Mono"),
    ("courier", "Liberation Mono"),
    ("liberation mono", "Liberation Mono"),
    ("calibri", "Carlito"),
    ("calibri light", "Carlito"),
    ("carlito", "Carlito"),
    ("cambria", "Caladea"),
    ("caladea", "Caladea"),
    ("ms gothic", "IPAexGothic"),
    ("ms pgothic", "IPAexGothic"),
    ("meiryo", "IPAexGothic"),
    ("yu gothic", "IPAexGothic"),
    ("游ゴシック", "IPAexGothic"),
    ("ｍｓ ゴシック", "IPAexGothic"),
    ("ｍｓ ｐゴシック", "IPAexGothic"),
    ("ms mincho", "IPAexMincho"),
    ("ms pmincho", "IPAexMincho"),
    ("yu mincho", "IPAexMincho"),
    ("ｍｓ 明朝", "IPAexMincho"),
    ("ｍｓ ｐ明朝", "IPAexMincho"),
    ("游明朝", "IPAexMincho"),
    ("ipaexmincho", "IPAexMincho"),
    ("ipaexgothic", "IPAexGothic"),
    ("noto serif cjk jp", "IPAexMincho"),
    ("noto sans cjk jp", "IPAexGothic"),
    ("ipaex明朝", "IPAexMincho"),
    ("ipaexゴシック", "IPAexGothic"),
    ("ipamincho", "IPAexMincho"),
    ("ipagothic", "IPAexGothic"),
    ("ipa明朝", "IPAexMincho"),
    ("ipaゴシック", "IPAexGothic"),
    ("century", "Liberation Serif"),
    ("dejavu serif", "Liberation Serif"),
    ("freeserif", "Liberation Serif"),
    ("freesans", "Liberation Sans"),
    ("dejavu sans", "DejaVu Sans"),
    // Wide humanist sans faces: DejaVu Sans (Bitstream Vera's descendant) has Verdana's
    // proportions, and is what LibreOffice falls back to for them on Linux.
    ("bitstream vera sans", "DejaVu Sans"),
    ("verdana", "DejaVu Sans"),
    ("tahoma", "DejaVu Sans"),
    ("noto sans", "DejaVu Sans"),
    ("open sans", "DejaVu Sans"),
    ("lucida sans", "DejaVu Sans"),
    ("lucidasans", "DejaVu Sans"),
    ("lucida sans unicode", "DejaVu Sans"),
    ("lucida grande", "DejaVu Sans"),
    ("georgia", "Liberation Serif"),
    ("garamond", "Liberation Serif"),
    ("book antiqua", "Liberation Serif"),
    ("palatino linotype", "Liberation Serif"),
    ("noto serif", "Liberation Serif"),
    ("consolas", "Liberation Mono"),
    ("lucida console", "Liberation Mono"),
    ("arial unicode ms", "DejaVu Sans"),
    ("simplified arabic", "DejaVu Sans"),
    ("traditional arabic", "DejaVu Sans"),
];

/// Family used for names the table does not know.
pub const DEFAULT_FAMILY: &str = "Liberation Sans";

/// A CSS-style font stack for a document font name: its substitute, then IPAexGothic for
/// characters the substitute lacks (kana, kanji), then DejaVu Sans (Arabic, Hebrew,
/// Cyrillic, Greek, symbols).
pub fn family_for(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let family = SUBSTITUTES.iter().find(|(n, _)| *n == lower).map(|(_, f)| *f).unwrap_or_else(|| kind_of(&lower));
    format!("\"{family}\", \"IPAexGothic\", \"DejaVu Sans\"")
}

/// The embedded family for a font name the table does not know, by what its name says it
/// is: monospaced, serif, or (as most unknown faces are) sans.
fn kind_of(lower: &str) -> &'static str {
    if ["mono", "courier", "console", "typewriter"].iter().any(|w| lower.contains(w)) {
        "Liberation Mono"
    } else if (lower.contains("serif") && !lower.contains("sans")) || lower.ends_with(" roman") {
        "Liberation Serif"
    } else {
        DEFAULT_FAMILY
    }
}

/// Maps Symbol and Wingdings private-use code points used for bullets to Unicode.
pub fn bullet_symbol(c: char) -> char {
    match c as u32 {
        0xF0B7 | 0xB7 => '•',
        0xF0A7 | 0xF0A8 => '▪',
        0xF0D8 => '➢',
        0xF0FC => '✓',
        0xF076 => '❖',
        0xF06E => '■',
        0xF06F => '□',
        0xF06C => '●',
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

/// Which symbol font a family is, for its private-use code points (see [`symbol_char`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SymbolFont {
    /// Adobe's Symbol: Greek letters and mathematical signs.
    Symbol,
    /// Wingdings and Webdings: pictures, of which bullets are what documents use.
    Dingbats,
    /// Any other font: a symbol font of its own (a barcode, say), which none of the
    /// embedded faces has.
    Other,
}

impl SymbolFont {
    pub fn of(family: &str) -> SymbolFont {
        let lower = family.trim().to_ascii_lowercase();
        if lower == "symbol" || lower == "symbol mt" {
            SymbolFont::Symbol
        } else if lower.starts_with("wingdings") || lower.starts_with("webdings") || lower.starts_with("zapf dingbats") {
            SymbolFont::Dingbats
        } else {
            SymbolFont::Other
        }
    }
}

/// Greek letters at Symbol's code points for `A`–`Z` and `a`–`z`.
const SYMBOL_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
const SYMBOL_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";

/// What a symbol font's character at U+F020–U+F0FF stands for. Word and the other Office
/// formats write symbol-font text there (the font's own code plus F000), and none of the
/// embedded faces has glyphs for it. As LibreOffice shows such text: Symbol's Greek letters
/// and signs as their Unicode characters, Wingdings' bullets as bullets, and any other
/// font's codes as the ASCII characters they sit on (a barcode font's digits as digits).
/// Other characters are returned as they are.
pub fn symbol_char(c: char, font: SymbolFont) -> char {
    let code = c as u32;
    if !(0xF020..=0xF0FF).contains(&code) {
        return c;
    }
    let low = (code - 0xF000) as u8;
    match font {
        SymbolFont::Dingbats => bullet_symbol(c),
        SymbolFont::Other => char::from(low),
        SymbolFont::Symbol => match low {
            b'A'..=b'Z' => SYMBOL_UPPER.chars().nth(usize::from(low - b'A')).unwrap_or('?'),
            b'a'..=b'z' => SYMBOL_LOWER.chars().nth(usize::from(low - b'a')).unwrap_or('?'),
            0x22 => '∀',
            0x24 => '∃',
            0x27 => '∋',
            0x2A => '∗',
            0x2D => '−',
            0x40 => '≅',
            0x5C => '∴',
            0x5E => '⊥',
            0xA3 => '≤',
            0xA5 => '∞',
            0xAC => '←',
            0xAD => '↑',
            0xAE => '→',
            0xAF => '↓',
            0xB0 => '°',
            0xB1 => '±',
            0xB3 => '≥',
            0xB4 => '×',
            0xB6 => '∂',
            0xB7 => '•',
            0xB8 => '÷',
            0xB9 => '≠',
            0xBA => '≡',
            0xBB => '≈',
            0xC5 => '⊕',
            0xC6 => '∅',
            0xC7 => '∩',
            0xC8 => '∪',
            0xCE => '∈',
            0xD2 | 0xE2 => '®',
            0xD3 | 0xE3 => '©',
            0xD4 | 0xE4 => '™',
            0xD6 => '√',
            0xD8 => '¬',
            0xD9 => '∧',
            0xDA => '∨',
            0xE5 => '∑',
            0xF2 => '∫',
            0x20..=0x7E => char::from(low),
            _ => '•',
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_embedded_families() {
        assert_eq!(family_for("Calibri"), "\"Carlito\", \"IPAexGothic\", \"DejaVu Sans\"");
        assert!(family_for(" ＭＳ 明朝 ").starts_with("\"IPAexMincho\""));
        assert!(family_for("Wingdings").starts_with("\"Liberation Sans\""));
    }

    #[test]
    fn symbol_font_codes_stand_for_what_they_show() {
        let show = |text: &str, family: &str| text.chars().map(|c| symbol_char(c, SymbolFont::of(family))).collect::<String>();
        // A barcode font's digits, Symbol's Greek and signs, Wingdings' bullets.
        assert_eq!(show("\u{F031}\u{F036}\u{F032}", "C39T30Lfz"), "162");
        assert_eq!(show("\u{F061}\u{F062}\u{F057}\u{F0B3}", "Symbol"), "αβΩ≥");
        assert_eq!(show("\u{F0A7}\u{F0FC}", "Wingdings"), "▪✓");
        // Other text is left alone.
        assert_eq!(show("a1 α", "Symbol"), "a1 α");
    }
}
