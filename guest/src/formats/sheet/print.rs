//! How a sheet is printed: its page setup (paper, orientation, margins, scale or fit to
//! pages, centring, gridlines and headings, manual breaks, page order) and its header and
//! footer, as Excel prints them. XLSX gives these in the sheet XML (`pageSetup`,
//! `pageMargins`, `printOptions`, `headerFooter`, `rowBreaks`, `colBreaks`,
//! `sheetPr/pageSetUpPr`); XLS in the sheet's records (`Setup`, the margin records,
//! `Header`, `Footer`, `HCenter`, `VCenter`, `PrintGrid`, `PrintRowCol`, `WsBool`, the
//! page-break records), read by [`super::biff`].

use crate::layout::paint::SpanStyle;

/// Points per inch.
const INCH: f32 = 72.0;
/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;

/// Margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Margins {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    /// From the top edge to the header, and from the bottom edge to the footer.
    pub header: f32,
    pub footer: f32,
}

impl Default for Margins {
    /// Excel's "Normal" margins: 0.7 in at the sides, 0.75 in top and bottom, headers and
    /// footers 0.3 in from the edge.
    fn default() -> Self {
        Margins { left: 0.7 * INCH, right: 0.7 * INCH, top: 0.75 * INCH, bottom: 0.75 * INCH, header: 0.3 * INCH, footer: 0.3 * INCH }
    }
}

/// A header or footer as Excel's format codes give it (`&LLeft&CPage &P of &N`).
pub(super) type Running = String;

/// How one sheet is printed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PrintSetup {
    /// Paper size in points, portrait.
    pub paper: (f32, f32),
    pub landscape: bool,
    /// Printed size as a fraction of the real one (Excel allows 10 %–400 %).
    pub scale: f32,
    /// Fit to this many pages wide and tall (0: as many as needed); replaces `scale`.
    pub fit: Option<(u32, u32)>,
    pub margins: Margins,
    /// Print the cell gridlines, and the row and column headings.
    pub gridlines: bool,
    pub headings: bool,
    /// Centre the printed cells on the page, across and down.
    pub center: (bool, bool),
    /// Header and footer of every page, or of odd pages when `even` is set.
    pub header: Running,
    pub footer: Running,
    /// Header and footer of the first page, when it has its own.
    pub first: Option<(Running, Running)>,
    /// Header and footer of even pages, when they differ from odd ones.
    pub even: Option<(Running, Running)>,
    /// The number of the sheet's first page, when the sheet sets it.
    pub first_page_number: Option<u32>,
    /// Pages numbered across, then down (Excel's default is down, then across).
    pub across_first: bool,
    /// Manual page breaks: the zero-based rows and columns that start a new page.
    pub row_breaks: Vec<u32>,
    pub column_breaks: Vec<u32>,
}

impl Default for PrintSetup {
    /// A sheet that says nothing about printing: A4 portrait at 100 % with Excel's
    /// margins, as LibreOffice prints one (Letter only where the sheet asks for it).
    fn default() -> Self {
        PrintSetup {
            paper: (210.0 * MM, 297.0 * MM),
            landscape: false,
            scale: 1.0,
            fit: None,
            margins: Margins::default(),
            gridlines: false,
            headings: false,
            center: (false, false),
            header: String::new(),
            footer: String::new(),
            first: None,
            even: None,
            first_page_number: None,
            across_first: false,
            row_breaks: Vec::new(),
            column_breaks: Vec::new(),
        }
    }
}

/// Most breaks kept per sheet (Excel allows 1026).
const MAX_BREAKS: usize = 2048;

impl PrintSetup {
    /// The page size in points, turned for landscape.
    pub fn page(&self) -> (f32, f32) {
        let (w, h) = self.paper;
        if self.landscape {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// The header and footer of a page, by its number within the sheet (1-based) and in
    /// the workbook.
    pub fn running(&self, sheet_page: usize, number: u32) -> (&str, &str) {
        if let Some((h, f)) = self.first.as_ref().filter(|_| sheet_page == 1) {
            return (h, f);
        }
        match &self.even {
            Some((h, f)) if number.is_multiple_of(2) => (h, f),
            _ => (&self.header, &self.footer),
        }
    }

    /// Sets the paper from Excel's `paperSize` code (`ST_PaperSize`, also XLS `Setup`);
    /// unknown codes keep the paper as it was.
    pub fn set_paper_code(&mut self, code: u32) {
        if let Some(paper) = paper_size(code) {
            self.paper = paper;
        }
    }

    /// Sets the scale from a percentage, as Excel bounds it.
    pub fn set_scale_percent(&mut self, percent: f32) {
        if percent.is_finite() && percent > 0.0 {
            self.scale = percent.clamp(10.0, 400.0) / 100.0;
        }
    }

    /// Sets one margin from inches, bounded to something printable.
    pub fn margin_inches(value: f64) -> Option<f32> {
        (value.is_finite() && value >= 0.0).then(|| (value.min(20.0) as f32) * INCH)
    }

    /// Adds a manual break before zero-based row or column `at`.
    pub fn add_break(&mut self, rows: bool, at: u32) {
        let list = if rows { &mut self.row_breaks } else { &mut self.column_breaks };
        if at > 0 && list.len() < MAX_BREAKS {
            list.push(at);
        }
    }
}

/// Paper sizes by Excel's code, portrait, in points; the common ones of `ST_PaperSize`.
fn paper_size(code: u32) -> Option<(f32, f32)> {
    let inches = |w: f32, h: f32| Some((w * INCH, h * INCH));
    let mm = |w: f32, h: f32| Some((w * MM, h * MM));
    match code {
        1 | 2 | 18 => inches(8.5, 11.0),
        3 | 17 => inches(11.0, 17.0),
        4 => inches(17.0, 11.0),
        5 => inches(8.5, 14.0),
        6 => inches(5.5, 8.5),
        7 => inches(7.25, 10.5),
        8 => mm(297.0, 420.0),
        9 | 10 => mm(210.0, 297.0),
        11 => mm(148.0, 210.0),
        12 => mm(257.0, 364.0),
        13 => mm(182.0, 257.0),
        14 => inches(8.5, 13.0),
        15 => mm(215.0, 275.0),
        16 => inches(10.0, 14.0),
        19 => inches(3.875, 8.875),
        20 => inches(4.125, 9.5),
        27 => mm(110.0, 220.0),
        28 => mm(162.0, 229.0),
        29 => mm(324.0, 458.0),
        30 => mm(229.0, 324.0),
        31 => mm(114.0, 162.0),
        33 => mm(250.0, 353.0),
        34 => mm(176.0, 250.0),
        43 => mm(100.0, 148.0),
        66 => mm(420.0, 594.0),
        70 => mm(105.0, 148.0),
        _ => None,
    }
}

/// What the fields of a header or footer stand for on one page.
pub(super) struct Fields<'a> {
    pub page: u32,
    pub pages: u32,
    pub sheet: &'a str,
    /// The print date and time, already written out.
    pub date: &'a str,
    pub time: &'a str,
}

/// The three parts of a header or footer (left, centre, right), each as styled runs.
pub(super) type Parts = [Vec<(String, SpanStyle)>; 3];

/// Most characters of one header or footer (Excel allows 255).
const MAX_RUNNING: usize = 2048;

/// Splits a header or footer into its left, centre and right parts, with its fields
/// filled in and its font codes applied to `base`. Codes: `&L` `&C` `&R` (part), `&P`
/// (page, with `+n`/`-n`), `&N` (pages), `&A` (sheet), `&D` `&T` (date, time), `&F` `&Z`
/// (file name and path: not known inside the sandbox, left out), `&G` (picture: left
/// out), `&&`, `&"font,style"`, `&nn` (size), `&B` `&I` `&U` `&E` `&S` `&X` `&Y` (bold,
/// italic, underline, double underline, strike, superscript, subscript, each toggled),
/// `&Krrggbb` (colour; theme colours `&Kxx+nnn` fall back to black).
pub(super) fn parts(code: &str, fields: &Fields<'_>, base: &SpanStyle) -> Parts {
    let mut parts: Parts = Default::default();
    let mut part = 1;
    let mut style = base.clone();
    let (mut superscript, mut subscript) = (false, false);
    let chars: Vec<char> = code.chars().take(MAX_RUNNING).collect();
    let mut i = 0;
    let push = |parts: &mut Parts, part: usize, text: &str, style: &SpanStyle, (sup, sub): (bool, bool)| {
        if text.is_empty() {
            return;
        }
        let style = if sup || sub { style.clone().script(sup) } else { style.clone() };
        match parts[part].last_mut() {
            Some((t, s)) if *s == style => t.push_str(text),
            _ => parts[part].push((text.to_owned(), style)),
        }
    };
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '&' {
            push(&mut parts, part, &c.to_string(), &style, (superscript, subscript));
            continue;
        }
        let Some(&code) = chars.get(i) else { break };
        i += 1;
        let mut text = String::new();
        match code.to_ascii_uppercase() {
            '&' => text.push('&'),
            'L' => part = 0,
            'C' => part = 1,
            'R' => part = 2,
            'P' => {
                let mut page = i64::from(fields.page);
                // `&P+2`, `&P-1`: page arithmetic.
                if let Some(&sign @ ('+' | '-')) = chars.get(i) {
                    let digits: String = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).take(5).collect();
                    if let Ok(n) = digits.parse::<i64>() {
                        page += if sign == '+' { n } else { -n };
                        i += 1 + digits.len();
                    }
                }
                text = page.to_string();
            }
            'N' => text = fields.pages.to_string(),
            'A' => text = fields.sheet.to_owned(),
            'D' => text = fields.date.to_owned(),
            'T' => text = fields.time.to_owned(),
            'F' | 'Z' | 'G' => {}
            'B' => style.bold = !style.bold,
            'I' => style.italic = !style.italic,
            'U' | 'E' => style.underline = !style.underline,
            'S' => style.strike = !style.strike,
            'X' => (superscript, subscript) = (!superscript, false),
            'Y' => (subscript, superscript) = (!subscript, false),
            'K' => {
                let hex: String = chars[i..].iter().take(6).collect();
                if let Some(color) = crate::ooxml::hex_color(&hex).filter(|_| hex.len() == 6) {
                    style.color = color;
                } else {
                    style.color = base.color;
                }
                i += hex.len().min(6);
            }
            '"' => {
                let end = chars[i..].iter().position(|&c| c == '"').map_or(chars.len(), |p| i + p);
                let spec: String = chars[i..end].iter().collect();
                i = (end + 1).min(chars.len());
                let (font, kind) = spec.split_once(',').unwrap_or((&spec, ""));
                let font = font.trim();
                if !font.is_empty() && font != "-" {
                    style.family = font.to_owned();
                }
                let kind = kind.to_ascii_lowercase();
                if !kind.is_empty() {
                    style.bold = kind.contains("bold");
                    style.italic = kind.contains("italic") || kind.contains("oblique");
                }
            }
            d if d.is_ascii_digit() => {
                let digits: String = std::iter::once(d).chain(chars[i..].iter().copied().take_while(char::is_ascii_digit).take(2)).collect();
                i += digits.len() - 1;
                if let Ok(size) = digits.parse::<f32>() {
                    style.size = size.clamp(1.0, 409.0);
                }
            }
            _ => {}
        }
        push(&mut parts, part, &text, &style, (superscript, subscript));
    }
    parts
}

/// A moment as Excel's `&D` and `&T` print it in the US English locale LibreOffice
/// uses by default: `12/02/2026` and `08:13:45`. `seconds` counts from 1970-01-01.
pub(super) fn date_and_time(seconds: i64) -> (String, String) {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (year, month, day) = crate::calendar::civil_from_days(days);
    (format!("{month:02}/{day:02}/{year}"), format!("{:02}:{:02}:{:02}", rest / 3600, rest / 60 % 60, rest % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(parts: &Parts) -> [String; 3] {
        parts.clone().map(|runs| runs.into_iter().map(|(t, _)| t).collect())
    }

    #[test]
    fn header_codes_fill_fields_and_style_runs() {
        let fields = Fields { page: 3, pages: 12, sheet: "Data", date: "12/02/2026", time: "08:00:00" };
        let base = SpanStyle { family: "Calibri".into(), size: 11.0, ..Default::default() };
        let parts = parts("&LLeft &A&CPage &P of &N&R&D &&&\"Arial,Bold\"&14Big&P+2", &fields, &base);
        assert_eq!(texts(&parts), ["Left Data".to_owned(), "Page 3 of 12".into(), "12/02/2026 &Big5".into()]);
        let big = &parts[2].last().unwrap().1;
        assert_eq!((big.family.as_str(), big.bold, big.size), ("Arial", true, 14.0));
        // Toggles and colours; a dangling `&` and an unknown code are dropped.
        let parts = super::parts("&B&KFF0000red&B plain&Q&", &fields, &base);
        assert_eq!(parts[1][0].0, "red");
        assert_eq!((parts[1][0].1.bold, parts[1][0].1.color), (true, [255, 0, 0]));
        assert_eq!(parts[1][1].0, " plain");
        assert!(!parts[1][1].1.bold);
        // No code at all: everything in the centre.
        assert_eq!(texts(&super::parts("Confidential", &fields, &base))[1], "Confidential");
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(date_and_time(0), ("01/01/1970".into(), "00:00:00".into()));
        assert_eq!(date_and_time(1_796_200_000).0, "12/02/2026");
        assert_eq!(date_and_time(951_782_400).0, "02/29/2000");
        assert_eq!(date_and_time(-86_400).0, "12/31/1969");
    }

    #[test]
    fn paper_codes_and_orientation() {
        let mut setup = PrintSetup::default();
        setup.set_paper_code(1);
        setup.landscape = true;
        assert_eq!(setup.page(), (792.0, 612.0));
        setup.set_paper_code(9999);
        assert_eq!(setup.page(), (792.0, 612.0));
        setup.set_scale_percent(1.0);
        assert_eq!(setup.scale, 0.1);
    }
}
