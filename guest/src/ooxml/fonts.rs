//! A theme's fonts (`a:fontScheme`): the heading (major) and body (minor) faces, Latin and
//! East Asian, which text names as `+mj-lt`, `+mn-ea` and so on (DrawingML) or through
//! `w:asciiTheme` (WordprocessingML).

use quick_xml::events::BytesStart;

use super::attr;
use super::walk::{self, Handler, Stack};

/// The theme's heading (major) and body (minor) fonts: Latin, and East Asian when the
/// theme names one.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeFonts {
    pub major: String,
    pub minor: String,
    pub major_ea: Option<String>,
    pub minor_ea: Option<String>,
}

impl Default for ThemeFonts {
    /// Office's default theme since 2013.
    fn default() -> Self {
        ThemeFonts { major: "Calibri Light".into(), minor: "Calibri".into(), major_ea: None, minor_ea: None }
    }
}

impl ThemeFonts {
    /// The face a DrawingML theme font reference (`+mj-lt`, `+mn-ea`...) stands for; `None`
    /// for a name that is not one (or one this theme does not fill).
    pub fn resolve(&self, name: &str) -> Option<&str> {
        match name {
            "+mj-lt" | "+mj-cs" => Some(&self.major),
            "+mn-lt" | "+mn-cs" => Some(&self.minor),
            "+mj-ea" => Some(self.major_ea.as_deref().unwrap_or(&self.major)),
            "+mn-ea" => Some(self.minor_ea.as_deref().unwrap_or(&self.minor)),
            _ => None,
        }
    }
}

/// The theme fonts of a theme part (`a:majorFont` and `a:minorFont`, their `a:latin` and
/// `a:ea`).
pub fn parse_theme(xml: &[u8]) -> ThemeFonts {
    #[derive(Clone, Copy, PartialEq)]
    enum Ctx {
        Other,
        Skip,
        Major,
        Minor,
    }
    struct Theme(ThemeFonts);
    impl Handler for Theme {
        type Ctx = Ctx;
        const SKIP: Ctx = Ctx::Skip;
        fn start(&mut self, e: &BytesStart<'_>, _: bool, stack: &Stack<Ctx>) -> Ctx {
            let name = e.local_name();
            match name.as_ref().as_bytes() {
                b"majorFont" => Ctx::Major,
                b"minorFont" => Ctx::Minor,
                kind @ (b"latin" | b"ea") => {
                    let typeface = attr(e, b"typeface").filter(|t| !t.is_empty());
                    let fonts = &mut self.0;
                    match (stack.top(), kind, typeface) {
                        (Some(Ctx::Major), b"latin", Some(t)) => fonts.major = t,
                        (Some(Ctx::Minor), b"latin", Some(t)) => fonts.minor = t,
                        (Some(Ctx::Major), _, t) => fonts.major_ea = t.or(fonts.major_ea.take()),
                        (Some(Ctx::Minor), _, t) => fonts.minor_ea = t.or(fonts.minor_ea.take()),
                        _ => {}
                    }
                    Ctx::Other
                }
                _ => Ctx::Other,
            }
        }
        fn end(&mut self, _: Ctx, _: &Stack<Ctx>) {}
        fn text(&mut self, _: &str, _: &Stack<Ctx>) {}
    }
    let mut theme = Theme(ThemeFonts::default());
    walk::walk(xml, &mut theme);
    theme.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_fonts_resolve_drawingml_references() {
        let fonts = parse_theme(
            br#"<a:theme><a:themeElements><a:fontScheme><a:majorFont><a:latin typeface="Georgia"/><a:ea typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Arial"/><a:ea typeface="Meiryo"/></a:minorFont></a:fontScheme></a:themeElements></a:theme>"#,
        );
        assert_eq!(fonts.resolve("+mj-lt"), Some("Georgia"));
        assert_eq!(fonts.resolve("+mj-ea"), Some("Georgia"));
        assert_eq!(fonts.resolve("+mn-ea"), Some("Meiryo"));
        assert_eq!(fonts.resolve("+mn-lt"), Some("Arial"));
        assert_eq!(fonts.resolve("Arial"), None);
    }
}
