//! Office's 48 automatic chart styles (`c:style`): the colours and line widths of series
//! that give none of their own. Office 2007 and 2010 write only the style's number and
//! leave the rest to the reader; this follows the table LibreOffice's import reads them
//! with (oox's `ObjectFormatter`), so that a chart looks as it does there.
//!
//! The styles form six rows of eight. In each row, the first style draws series in greys
//! (tints of the dark text colour), the second in the six accent colours, and the other
//! six in shades of one accent each, darkest first. Rows differ in how wide series lines
//! are and whether filled series have outlines.

use crate::layout::paint::Rgb;
use crate::ooxml::color::{self, Theme};

/// The style Office assumes for a chart that names none.
pub const DEFAULT: u8 = 2;

/// The theme's subtle line (its first line style), which series lines are a multiple of,
/// in points.
const SUBTLE_LINE: f32 = 0.75;

/// The greys of the first style of most rows: the dark text colour at these tints.
const GREYS: [f32; 6] = [0.885, 0.55, 0.78, 0.925, 0.70, 0.30];
/// The greys of styles 41 and 42 (a dark background), lightest first.
const DARK_GREYS: [f32; 6] = [0.05, 0.55, 0.78, 0.15, 0.70, 0.30];

/// A chart style, 1 to 48.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style(u8);

/// What colours the series of a style cycle through.
enum Colors {
    /// Tints of the dark text colour.
    Greys(&'static [f32; 6]),
    /// The six accent colours.
    Accents,
    /// One accent colour (0-based), shaded from dark to light across the series.
    Shades(usize),
}

impl Style {
    /// The style a chart names, or Office's default; numbers outside 1 to 48 are the
    /// default too.
    pub fn new(style: Option<u8>) -> Style {
        Style(style.filter(|s| (1..=48).contains(s)).unwrap_or(DEFAULT))
    }

    fn row(self) -> u8 {
        (self.0 - 1) / 8
    }

    fn column(self) -> u8 {
        (self.0 - 1) % 8
    }

    fn colors(self) -> Colors {
        match (self.0, self.column()) {
            // LibreOffice's table gives style 42 the dark greys of style 41.
            (41 | 42, _) => Colors::Greys(&DARK_GREYS),
            (_, 0) => Colors::Greys(&GREYS),
            (_, 1) => Colors::Accents,
            (_, c) => Colors::Shades(usize::from(c) - 2),
        }
    }

    /// The width of a line, scatter or radar series' line, in points: three times the
    /// theme's subtle line in the first row, five times in most, seven in the fourth.
    pub fn line_width(self) -> f32 {
        SUBTLE_LINE
            * match self.row() {
                0 => 3.0,
                3 => 7.0,
                _ => 5.0,
            }
    }

    /// The colour of series (or, for a plot whose points vary, point) `index` of
    /// `0..=last`.
    pub fn series_color(self, theme: &Theme, index: usize, last: usize) -> Rgb {
        match self.colors() {
            Colors::Accents => accent_round(theme, index),
            Colors::Greys(tints) => {
                let dark = color::scheme(theme, "dk1").unwrap_or([0, 0, 0]);
                cycle(color::tint(dark, tints[index % tints.len()]), index / tints.len(), last / tints.len())
            }
            Colors::Shades(accent) => cycle(color::accent(theme, accent), index, last),
        }
    }

    /// The automatic outline of a bar, area or pie series, if the style gives one: white
    /// in the second row, a half shade of the series' own accent (or of the dark colour) in
    /// the fifth, each as wide as the theme's subtle line.
    pub fn filled_outline(self, theme: &Theme, index: usize) -> Option<(Rgb, f32)> {
        let color = match (self.row(), self.colors()) {
            (1, _) => color::scheme(theme, "lt1").unwrap_or([255, 255, 255]),
            (4, Colors::Greys(_)) => color::shade(color::scheme(theme, "dk1").unwrap_or([0, 0, 0]), 0.5),
            (4, Colors::Accents) => color::shade(color::accent(theme, index), 0.5),
            (4, Colors::Shades(accent)) => color::shade(color::accent(theme, accent), 0.5),
            _ => return None,
        };
        Some((color, SUBTLE_LINE))
    }
}

/// The accent pattern's colour `index`: the six accents, then the same darker and lighter
/// in further rounds, as Office cycles them.
fn accent_round(theme: &Theme, index: usize) -> Rgb {
    const ROUNDS: [(f32, f32); 6] = [(1.0, 0.0), (0.6, 0.0), (0.8, 0.2), (0.8, 0.0), (0.6, 0.4), (0.5, 0.0)];
    let base = color::accent(theme, index);
    let (modulate, offset) = ROUNDS[(index / 6) % ROUNDS.len()];
    if (modulate, offset) == (1.0, 0.0) {
        base
    } else {
        color::luminance(base, |l| l * modulate + offset)
    }
}

/// Round `round` of `0..=last` through a colour pattern: the first rounds darker, the last
/// lighter, in even steps between a 70 % shade and a 70 % tint that leave both ends out
/// (so one round is the colour itself, three are shaded by 35 %, as is, and tinted by 35 %).
fn cycle(base: Rgb, round: usize, last: usize) -> Rgb {
    let amount = (round + 1) as f32 / (last + 2) as f32 * 1.4 - 0.7;
    if amount < -1e-4 {
        color::shade(base, 1.0 + amount)
    } else if amount > 1e-4 {
        color::tint(base, 1.0 - amount)
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_set_series_line_widths_by_row() {
        assert_eq!(Style::new(None).line_width(), 2.25);
        assert_eq!(Style::new(Some(2)).line_width(), 2.25);
        assert_eq!(Style::new(Some(18)).line_width(), 3.75);
        assert_eq!(Style::new(Some(26)).line_width(), 5.25);
        assert_eq!(Style::new(Some(42)).line_width(), 3.75);
        assert_eq!(Style::new(Some(0)), Style::new(Some(99)));
    }

    #[test]
    fn single_accent_styles_shade_then_tint_their_series() {
        let theme = Theme::default();
        // Style 3 is accent 1 alone: of three series the middle one is accent 1 itself,
        // the first darker and the last lighter.
        let style = Style::new(Some(3));
        let colors: Vec<Rgb> = (0..3).map(|i| style.series_color(&theme, i, 2)).collect();
        assert_eq!(colors[1], color::accent(&theme, 0));
        let sum = |c: Rgb| c.iter().map(|&v| u32::from(v)).sum::<u32>();
        assert!(sum(colors[0]) < sum(colors[1]) && sum(colors[1]) < sum(colors[2]), "{colors:?}");
        // Style 8 is accent 6; one series is the accent itself.
        assert_eq!(Style::new(Some(8)).series_color(&theme, 0, 0), color::accent(&theme, 5));
        // Style 2 is the accents; style 1 is grey.
        assert_eq!(Style::new(Some(2)).series_color(&theme, 4, 5), color::accent(&theme, 4));
        let [r, g, b] = Style::new(Some(1)).series_color(&theme, 0, 5);
        assert!(r == g && g == b && r > 0, "{r} {g} {b}");
    }

    #[test]
    fn series_beyond_six_take_darker_and_lighter_accents() {
        let theme = Theme::new();
        assert_eq!(accent_round(&theme, 0), color::OFFICE_ACCENTS[0]);
        assert_ne!(accent_round(&theme, 6), accent_round(&theme, 0));
        assert_ne!(accent_round(&theme, 12), accent_round(&theme, 6));
    }

    #[test]
    fn outlines_of_filled_series_follow_the_row() {
        let theme = Theme::default();
        assert_eq!(Style::new(Some(2)).filled_outline(&theme, 0), None);
        assert_eq!(Style::new(Some(10)).filled_outline(&theme, 0), Some(([255, 255, 255], 0.75)));
        let (c, _) = Style::new(Some(34)).filled_outline(&theme, 1).unwrap();
        assert_eq!(c, color::shade(color::accent(&theme, 1), 0.5));
    }
}
