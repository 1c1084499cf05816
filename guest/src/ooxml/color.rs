//! DrawingML colours: a theme's colour scheme, the colour elements (`srgbClr`,
//! `schemeClr`, `sysClr`, `prstClr`) and the modifiers Office writes inside them
//! (`lumMod`, `lumOff`, `tint`, `shade`), which decide most theme-derived colours.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::{attr, hex_color, reader};
use crate::layout::paint::{Hatch, Rgb};

/// Scheme colour name (`accent1`, `dk1`, and the aliases `tx1`, `bg1`...) -> colour.
pub type Theme = HashMap<String, Rgb>;

/// The accent colours of Office's default theme (2013 and later), used when a document
/// has no theme.
pub const OFFICE_ACCENTS: [Rgb; 6] = [[0x44, 0x72, 0xC4], [0xED, 0x7D, 0x31], [0xA5, 0xA5, 0xA5], [0xFF, 0xC0, 0x00], [0x5B, 0x9B, 0xD5], [0x70, 0xAD, 0x47]];

/// The colour scheme of a theme part.
pub fn theme_colors(xml: &[u8]) -> Theme {
    let mut colors = HashMap::new();
    let mut reader = reader(xml);
    let mut current: Option<String> = None;
    let mut in_scheme = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref().as_bytes() == b"clrScheme" => in_scheme = true,
            Ok(Event::End(e)) if e.local_name().as_ref().as_bytes() == b"clrScheme" => break,
            Ok(Event::Start(e)) if in_scheme => current = Some(String::from_utf8_lossy(e.local_name().as_ref().as_bytes()).into_owned()),
            Ok(Event::Empty(e)) if in_scheme => {
                let value = match e.local_name().as_ref().as_bytes() {
                    b"srgbClr" => attr(&e, b"val"),
                    b"sysClr" => attr(&e, b"lastClr"),
                    _ => None,
                };
                if let (Some(name), Some(rgb)) = (current.clone(), value.and_then(|v| hex_color(&v))) {
                    colors.insert(name, rgb);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    for (alias, name) in [("tx1", "dk1"), ("bg1", "lt1"), ("tx2", "dk2"), ("bg2", "lt2")] {
        if let Some(c) = colors.get(name).copied() {
            colors.insert(alias.into(), c);
        }
    }
    colors
}

/// The colour a WordprocessingML shading (`w:shd`) shows: its fill, with its pattern's
/// share of the foreground colour (`w:color`) mixed in, as Word and LibreOffice print the
/// fine patterns (`pct25` a quarter, `solid` all of it; stripes and crosses about half, thin
/// ones a quarter). `auto` is white behind and black in front. `None` when nothing shows
/// (`nil`, or `clear` without a fill).
pub fn shading(e: &BytesStart<'_>) -> Option<Rgb> {
    let color = |name: &[u8]| attr(e, name).filter(|v| v != "auto").and_then(|v| hex_color(&v));
    let (front, back) = (color(b"color"), color(b"fill"));
    let pattern = attr(e, b"val").unwrap_or_default();
    let share = match pattern.as_str() {
        "nil" => return None,
        "solid" => 1.0,
        p if p.starts_with("pct") => match p[3..].parse::<f32>() {
            // pct12, pct37, pct62 and pct87 are eighths.
            Ok(n) if [12.0, 37.0, 62.0, 87.0].contains(&n) => (n + 0.5) / 100.0,
            Ok(n) if (0.0..=100.0).contains(&n) => n / 100.0,
            _ => 0.0,
        },
        p if p.starts_with("thin") => 0.25,
        p if p.ends_with("Stripe") || p.ends_with("Cross") => 0.5,
        _ => 0.0,
    };
    if share == 0.0 {
        return back;
    }
    Some(mix(front.unwrap_or([0, 0, 0]), back.unwrap_or([255, 255, 255]), share))
}

/// `share` of `front` over `behind`: how a shading pattern that covers that much of its
/// background looks from afar.
pub fn mix(front: Rgb, behind: Rgb, share: f32) -> Rgb {
    std::array::from_fn(|i| (f32::from(front[i]) * share + f32::from(behind[i]) * (1.0 - share)).round() as u8)
}

/// A DrawingML preset pattern (`a:pattFill prst`) as the hatch LibreOffice shows it in its
/// place, with lines of `color`: the 8 by 8 pixel patterns become single, double or triple
/// hatches of about their density and direction. The mapping follows LibreOffice's import
/// (oox `hatchmap.hxx`), so that pages compare with its rendering; unknown names are a
/// light diagonal hatch.
pub fn pattern_hatch(preset: &str, color: Rgb) -> Hatch {
    // Crossings (1 single, 2 double, 3 triple), distance in millimetres, degrees.
    let (crossings, mm, angle): (u8, f32, f32) = match preset {
        // Percentages: denser and more crossed as the share of foreground grows.
        "pct5" => (1, 2.5, 45.0),
        "pct10" => (1, 2.0, 45.0),
        "pct20" => (1, 1.5, 45.0),
        "pct25" => (2, 2.0, 45.0),
        "pct30" => (2, 1.75, 45.0),
        "pct40" => (2, 1.5, 45.0),
        "pct50" => (2, 1.25, 45.0),
        "pct60" => (3, 1.5, 45.0),
        "pct70" => (3, 1.25, 45.0),
        "pct75" => (3, 1.0, 45.0),
        "pct80" => (3, 0.75, 45.0),
        "pct90" => (3, 0.5, 45.0),
        // Lines across, up and down, at their spacing.
        "horz" | "wave" => (1, 1.0, 0.0),
        "ltHorz" | "narHorz" => (1, 0.5, 0.0),
        "dkHorz" => (1, 0.25, 0.0),
        "dashHorz" => (1, 1.5, 0.0),
        "zigZag" => (1, 0.75, 0.0),
        "vert" => (1, 1.0, 90.0),
        "ltVert" | "narVert" => (1, 0.5, 90.0),
        "dkVert" => (1, 0.25, 90.0),
        "dashVert" => (1, 1.5, 90.0),
        // Diagonals: "up" rises to the right, "down" falls.
        "upDiag" | "wdUpDiag" => (1, 1.0, 45.0),
        "ltUpDiag" | "dkUpDiag" => (1, 0.5, 45.0),
        "dashUpDiag" => (1, 1.5, 45.0),
        "dnDiag" | "wdDnDiag" => (1, 1.0, 135.0),
        "ltDnDiag" | "dkDnDiag" => (1, 0.5, 135.0),
        "dashDnDiag" => (1, 1.5, 135.0),
        "shingle" => (1, 2.0, 135.0),
        "smConfetti" => (1, 2.0, 60.0),
        "lgConfetti" => (1, 1.0, 60.0),
        // Grids and checks: two directions.
        "cross" | "lgGrid" => (2, 1.0, 0.0),
        "smGrid" => (2, 0.5, 0.0),
        "dotGrid" => (2, 4.0, 0.0),
        "horzBrick" => (2, 3.0, 0.0),
        "diagCross" | "lgCheck" | "solidDmnd" | "openDmnd" => (2, 1.0, 45.0),
        "smCheck" => (2, 0.5, 45.0),
        "trellis" => (2, 0.75, 45.0),
        "weave" => (2, 1.5, 45.0),
        "diagBrick" | "dotDmnd" => (2, 3.0, 45.0),
        "sphere" => (3, 1.0, 0.0),
        "plaid" => (3, 2.0, 90.0),
        "divot" => (3, 4.0, 45.0),
        _ => (1, 1.0, 45.0),
    };
    Hatch { color, distance: mm * 72.0 / 25.4, angle, crossings }
}

/// Accent colour `i` (0-based, wrapping after six) of `theme`, or of Office's default theme.
pub fn accent(theme: &Theme, i: usize) -> Rgb {
    theme.get(&format!("accent{}", i % 6 + 1)).copied().unwrap_or(OFFICE_ACCENTS[i % 6])
}

/// The colour a colour element names, before its modifiers; `None` for elements that are
/// not colours or name nothing known.
pub fn base_color(e: &BytesStart<'_>, theme: &Theme) -> Option<Rgb> {
    match e.local_name().as_ref().as_bytes() {
        b"srgbClr" => attr(e, b"val").and_then(|v| hex_color(&v)),
        b"sysClr" => attr(e, b"lastClr").and_then(|v| hex_color(&v)),
        b"schemeClr" => {
            let name = attr(e, b"val")?;
            let name = match name.as_str() {
                "phClr" => "accent1",
                other => other,
            };
            scheme(theme, name)
        }
        b"prstClr" => match attr(e, b"val")?.as_str() {
            "black" => Some([0, 0, 0]),
            "white" => Some([255, 255, 255]),
            "red" => Some([255, 0, 0]),
            "green" => Some([0, 128, 0]),
            "blue" => Some([0, 0, 255]),
            "yellow" => Some([255, 255, 0]),
            "gray" | "grey" => Some([128, 128, 128]),
            _ => None,
        },
        _ => None,
    }
}

/// Scheme colour `name` (`tx1`, `accent2`...) of `theme`, or of Office's default scheme
/// when the theme lacks it.
pub fn scheme(theme: &Theme, name: &str) -> Option<Rgb> {
    theme.get(name).copied().or_else(|| default_scheme(name))
}

/// Office's default scheme, for documents without a theme.
fn default_scheme(name: &str) -> Option<Rgb> {
    Some(match name {
        "dk1" | "tx1" => [0, 0, 0],
        "lt1" | "bg1" => [255, 255, 255],
        "dk2" | "tx2" => [0x44, 0x54, 0x6A],
        "lt2" | "bg2" => [0xE7, 0xE6, 0xE6],
        _ => {
            let i: usize = name.strip_prefix("accent")?.parse().ok()?;
            *OFFICE_ACCENTS.get(i.checked_sub(1)?)?
        }
    })
}

/// Applies a colour modifier element (`lumMod`, `lumOff`, `tint`, `shade`) to `rgb`;
/// other elements leave it as it is.
pub fn modify(rgb: Rgb, e: &BytesStart<'_>) -> Rgb {
    let Some(value) = attr(e, b"val").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()) else { return rgb };
    let v = (value / 100_000.0).clamp(0.0, 10.0);
    match e.local_name().as_ref().as_bytes() {
        b"lumMod" => luminance(rgb, |l| l * v),
        b"lumOff" => luminance(rgb, |l| l + v),
        // Towards white by (1 - v), towards black by (1 - v), in linear light as Office
        // mixes them (and LibreOffice after it): a 40 % tint of 4472C4 is CFD5EA.
        b"tint" => tint(rgb, v),
        b"shade" => shade(rgb, v),
        _ => rgb,
    }
}

/// `rgb` tinted towards white, keeping `share` of it (DrawingML's `tint`).
pub fn tint(rgb: Rgb, share: f32) -> Rgb {
    rgb.map(|c| from_linear(1.0 - (1.0 - to_linear(c)) * share.clamp(0.0, 1.0)))
}

/// `rgb` shaded towards black, keeping `share` of it (DrawingML's `shade`).
pub fn shade(rgb: Rgb, share: f32) -> Rgb {
    rgb.map(|c| from_linear(to_linear(c) * share.clamp(0.0, 1.0)))
}

/// An sRGB channel in linear light, 0 to 1.
fn to_linear(c: u8) -> f32 {
    let c = f32::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// A channel in linear light back to sRGB.
fn from_linear(l: f32) -> u8 {
    let l = l.clamp(0.0, 1.0);
    let c = if l <= 0.003_130_8 { l * 12.92 } else { 1.055 * l.powf(1.0 / 2.4) - 0.055 };
    (c * 255.0).round() as u8
}

/// Changes the HSL lightness of a colour.
pub fn luminance(rgb: Rgb, f: impl Fn(f32) -> f32) -> Rgb {
    let [r, g, b] = rgb.map(|c| f32::from(c) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    let (h, s) = if d == 0.0 {
        (0.0, 0.0)
    } else {
        let s = if l > 0.5 { d / (2.0 - max - min) } else { d / (max + min) };
        let h = if max == r {
            (g - b) / d + if g < b { 6.0 } else { 0.0 }
        } else if max == g {
            (b - r) / d + 2.0
        } else {
            (r - g) / d + 4.0
        };
        (h / 6.0, s)
    };
    let l = f(l).clamp(0.0, 1.0);
    if s == 0.0 {
        let c = (l * 255.0).round() as u8;
        return [c, c, c];
    }
    let q = if l < 0.5 { l * (1.0 + s) } else { l + s - l * s };
    let p = 2.0 * l - q;
    let channel = |t: f32| {
        let t = t.rem_euclid(1.0);
        let v = if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        };
        (v * 255.0).round().clamp(0.0, 255.0) as u8
    };
    [channel(h + 1.0 / 3.0), channel(h), channel(h - 1.0 / 3.0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(xml: &str) -> BytesStart<'static> {
        BytesStart::from_content(xml.to_owned(), xml.find(' ').unwrap_or(xml.len()))
    }

    #[test]
    fn modifiers_change_lightness_as_office_does() {
        // Office's "Blue, Accent 1, Lighter 40%" is accent1 with lumMod 60000 lumOff 40000.
        let base = [0x44, 0x72, 0xC4];
        let lighter = modify(modify(base, &element(r#"a:lumMod val="60000""#)), &element(r#"a:lumOff val="40000""#));
        assert!(lighter.iter().zip([0x8F, 0xAA, 0xDC]).all(|(a, b)| a.abs_diff(b) <= 2), "{lighter:?}");
        // "Darker 50%" is lumMod 50000.
        let darker = modify(base, &element(r#"a:lumMod val="50000""#));
        assert!(darker.iter().zip([0x1F, 0x38, 0x64]).all(|(a, b)| a.abs_diff(b) <= 2), "{darker:?}");
        // Tints and shades mix in linear light: PowerPoint's Medium Style 2 table fills
        // are accent1 tinted 40 % and 20 %.
        assert_eq!(modify(base, &element(r#"a:tint val="40000""#)), [0xCF, 0xD5, 0xEA]);
        assert_eq!(modify(base, &element(r#"a:tint val="20000""#)), [0xE9, 0xEB, 0xF5]);
        assert_eq!(modify([255, 255, 255], &element(r#"a:shade val="50000""#)), [188, 188, 188]);
        assert_eq!(modify([0, 0, 0], &element(r#"a:tint val="50000""#)), [188, 188, 188]);
        // Nonsense values change nothing or stay in range.
        assert_eq!(modify(base, &element(r#"a:lumMod val="x""#)), base);
        let _ = modify(base, &element(r#"a:lumOff val="-99999999""#));
    }

    #[test]
    fn scheme_colours_fall_back_to_office_defaults() {
        let theme = Theme::new();
        assert_eq!(base_color(&element(r#"a:schemeClr val="accent2""#), &theme), Some([0xED, 0x7D, 0x31]));
        assert_eq!(base_color(&element(r#"a:schemeClr val="accent9""#), &theme), None);
        assert_eq!(accent(&theme, 7), [0xED, 0x7D, 0x31]);
    }
}
