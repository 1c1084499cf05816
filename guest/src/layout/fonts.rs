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
    let family = SUBSTITUTES.iter().find(|(n, _)| *n == lower).map(|(_, f)| *f).unwrap_or(DEFAULT_FAMILY);
    format!("\"{family}\", \"IPAexGothic\", \"DejaVu Sans\"")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_embedded_families() {
        assert_eq!(family_for("Calibri"), "\"Carlito\", \"IPAexGothic\", \"DejaVu Sans\"");
        assert!(family_for(" ＭＳ 明朝 ").starts_with("\"IPAexMincho\""));
        assert!(family_for("Wingdings").starts_with("\"Liberation Sans\""));
    }
}
