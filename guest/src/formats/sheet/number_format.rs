//! Values as Excel shows them: number formats (General, decimals, thousands, percent,
//! currency, literal text, negatives in parentheses) and date formats.

use calamine::{Data, DataRef};

/// A value as shown, and whether it is a number (right-aligned by default).
pub(super) fn display(value: &Data, format: &str) -> (String, bool) {
    match value {
        Data::Int(i) => (number(*i as f64, format), true),
        Data::Float(f) => (number(*f, format), true),
        Data::String(s) => (s.clone(), false),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).into(), false),
        Data::DateTime(d) => (date(d.as_f64(), format), true),
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), true),
        Data::Error(e) => (e.to_string(), false),
        Data::Empty => (String::new(), false),
    }
}

pub(super) fn display_ref(value: &DataRef<'_>, format: &str) -> (String, bool) {
    match value {
        DataRef::SharedString(s) => ((*s).to_owned(), false),
        DataRef::Int(i) => display(&Data::Int(*i), format),
        DataRef::Float(f) => display(&Data::Float(*f), format),
        DataRef::String(s) => (s.clone(), false),
        DataRef::Bool(b) => display(&Data::Bool(*b), format),
        DataRef::DateTime(d) => display(&Data::DateTime(*d), format),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), true),
        DataRef::Error(e) => (e.to_string(), false),
        DataRef::Empty => (String::new(), false),
    }
}

/// A number as a chart axis or data label shows it in `format` (an Excel number format,
/// dates included).
pub(crate) fn format_number(value: f64, format: &str) -> String {
    let lower = format.to_ascii_lowercase();
    let bare: String = strip_brackets(&lower).split('"').step_by(2).collect();
    if lower != "general" && bare.chars().any(|c| matches!(c, 'y' | 'd' | 'h' | 's' | 'm')) && value.is_finite() && value >= 0.0 {
        date(value, format)
    } else {
        number(value, format)
    }
}

/// A number in an Excel number format: General, fixed decimals, thousands separators,
/// percent, currency symbols and literal text, parentheses for negatives.
fn number(value: f64, format: &str) -> String {
    if !value.is_finite() {
        return "#NUM!".into();
    }
    let sections: Vec<&str> = format.split(';').collect();
    let (section, value) = if value < 0.0 && sections.len() > 1 { (sections[1], -value) } else { (sections[0], value) };
    let section = strip_brackets(section);
    if section.is_empty() || section.eq_ignore_ascii_case("general") || !section.contains(['0', '#']) {
        return general(value);
    }
    let percent = section.contains('%');
    let value = if percent { value * 100.0 } else { value };
    let decimals = section.split_once('.').map_or(0, |(_, d)| d.chars().take_while(|c| matches!(c, '0' | '#' | '?')).count());
    let thousands = section.contains(',') && section.contains(['0', '#']);
    let digits = format!("{:.*}", decimals.min(15), value.abs());
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let int = if thousands { group(int) } else { int.to_owned() };
    let body = if frac.is_empty() { int } else { format!("{int}.{frac}") };
    let sign = if value < 0.0 { "-" } else { "" };
    // Literal text around the digits: currency symbols, quoted text, parentheses.
    let start = section.find(['0', '#', '?']).unwrap_or(0);
    let end = section.rfind(['0', '#', '?']).map_or(section.len(), |i| i + 1);
    let literal = |s: &str| s.replace(['"', '\\', '_', '*'], "").replace("%", "");
    let suffix = literal(&section[end..]);
    format!("{sign}{}{body}{}{}", literal(&section[..start]), suffix.trim_end_matches(' '), if percent { "%" } else { "" })
}

/// Removes `[Red]`, `[$¥-411]` (keeping the symbol) and similar bracketed codes.
fn strip_brackets(section: &str) -> String {
    let mut out = String::new();
    let mut rest = section;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else { break };
        let inner = &rest[open + 1..open + close];
        if let Some(symbol) = inner.strip_prefix('$') {
            out.push_str(symbol.split('-').next().unwrap_or_default());
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn group(int: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Excel's General format: up to 9 significant digits, trailing zeros dropped.
fn general(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    if value.abs() >= 1e11 || value.abs() < 1e-9 {
        return format!("{value:.5E}");
    }
    let digits = (8 - value.abs().log10().floor() as i32).clamp(0, 10) as usize;
    let s = format!("{value:.digits$}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A date serial in a date format: years, months, days, hours, minutes, seconds and
/// literal text; names of months in English.
fn date(serial: f64, format: &str) -> String {
    let format = strip_brackets(format.split(';').next().unwrap_or_default());
    let format = if format.trim().is_empty() || format.eq_ignore_ascii_case("general") { "yyyy-mm-dd".to_owned() } else { format };
    let (y, mo, d) = civil(serial);
    let seconds = ((serial.fract().abs() * 86_400.0).round() as u32).min(86_399);
    let (h, mi, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let ampm = format.to_ascii_lowercase().contains("am/pm");
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    let mut last_was_hour = false;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&k| k.eq_ignore_ascii_case(&c)).count();
        match c.to_ascii_lowercase() {
            '"' => {
                let end = chars[i + 1..].iter().position(|&k| k == '"').map_or(chars.len(), |p| i + 1 + p);
                out.extend(&chars[i + 1..end]);
                i = end + 1;
                continue;
            }
            '\\' => {
                if let Some(&k) = chars.get(i + 1) {
                    out.push(k);
                }
                i += 2;
                continue;
            }
            'y' => out.push_str(&if run <= 2 { format!("{:02}", y % 100) } else { y.to_string() }),
            'd' => out.push_str(&match run {
                1 => d.to_string(),
                2 => format!("{d:02}"),
                _ => String::new(),
            }),
            'm' if last_was_hour || chars[i + run..].iter().find(|k| k.is_ascii_alphabetic()).is_some_and(|k| k.eq_ignore_ascii_case(&'s')) => {
                out.push_str(&if run == 1 { mi.to_string() } else { format!("{mi:02}") })
            }
            'm' => out.push_str(&match run {
                1 => mo.to_string(),
                2 => format!("{mo:02}"),
                3 => MONTHS[(mo - 1) as usize][..3].to_owned(),
                _ => MONTHS[(mo - 1) as usize].to_owned(),
            }),
            'h' => {
                let hour = if ampm { (h + 11) % 12 + 1 } else { h };
                out.push_str(&if run == 1 { hour.to_string() } else { format!("{hour:02}") });
            }
            's' => out.push_str(&if run == 1 { s.to_string() } else { format!("{s:02}") }),
            'a' if ampm && chars[i..].iter().take(5).collect::<String>().eq_ignore_ascii_case("am/pm") => {
                out.push_str(if h < 12 { "AM" } else { "PM" });
                i += 5;
                continue;
            }
            'e' | 'g' | '_' | '*' | '@' => {}
            _ => out.extend(&chars[i..i + run]),
        }
        if c.is_ascii_alphabetic() {
            last_was_hour = c.eq_ignore_ascii_case(&'h');
        }
        i += run;
    }
    out
}

/// Year, month, day of an Excel date serial (1900 system, with its phantom 29 Feb 1900).
fn civil(serial: f64) -> (i64, u32, u32) {
    let mut days = serial.floor() as i64;
    if days >= 60 {
        days -= 1;
    }
    // Days since 1899-12-31 -> days since 1970-01-01.
    crate::calendar::civil_from_days(days - 25_568)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_their_formats() {
        assert_eq!(number(1234.5, "General"), "1234.5");
        assert_eq!(number(1234567.891, "#,##0.00"), "1,234,567.89");
        assert_eq!(number(0.256, "0.0%"), "25.6%");
        assert_eq!(number(-42.0, "\"$\"#,##0;(\"$\"#,##0)"), "($42)");
        assert_eq!(number(1500.0, "[$¥-411]#,##0"), "¥1,500");
        assert_eq!(number(3.0, "0.000"), "3.000");
        assert_eq!(general(1.0 / 3.0), "0.333333333");
    }

    #[test]
    fn dates_follow_their_formats() {
        assert_eq!(civil(1.0), (1900, 1, 1));
        assert_eq!(civil(61.0), (1900, 3, 1));
        assert_eq!(civil(45_000.0), (2023, 3, 15));
        assert_eq!(date(45_000.5, "yyyy/mm/dd hh:mm"), "2023/03/15 12:00");
        assert_eq!(date(45_000.0, "d-mmm-yy"), "15-Mar-23");
        assert_eq!(date(45_000.0, "yyyy\"年\"m\"月\"d\"日\""), "2023年3月15日");
        assert_eq!(date(45_000.75, "h:mm AM/PM"), "6:00 PM");
    }
}
