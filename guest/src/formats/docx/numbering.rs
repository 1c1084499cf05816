//! `word/numbering.xml`: list definitions (abstract numbering and the instances that use
//! them) and the labels they give paragraphs: counters in Word's number formats, bullets
//! mapped from Symbol and Wingdings code points to Unicode.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::styles::{para_property, run_property, ParaProps, RunProps};
use crate::ooxml::attr;
use crate::ooxml::walk::{self, Handler, Stack};

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    pub(super) start: u32,
    pub(super) format: String,
    pub(super) text: String,
    pub(super) para: ParaProps,
    pub(super) run: RunProps,
}

/// Lists from numbering.xml: abstract definitions and the instances that use them.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    pub(super) abstracts: HashMap<String, Vec<Level>>,
    pub(super) instances: HashMap<String, String>,
}

impl Numbering {
    pub(super) fn levels(&self, num_id: &str) -> Option<&Vec<Level>> {
        self.abstracts.get(self.instances.get(num_id)?)
    }
}

/// Reads numbering.xml.
pub(super) fn parse_numbering(xml: &[u8]) -> Numbering {
    let mut reader = NumberingReader { numbering: Numbering::default(), abstract_id: None, num_id: None };
    walk::walk(xml, &mut reader);
    reader.numbering
}

/// The elements of numbering.xml that matter.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Other,
    Skip,
    Abstract,
    Instance,
    ParaProps,
    RunProps,
}

struct NumberingReader {
    numbering: Numbering,
    /// The abstract definition being read.
    abstract_id: Option<String>,
    /// The list instance being read.
    num_id: Option<String>,
}

impl NumberingReader {
    /// The level being read.
    fn level(&mut self) -> Option<&mut Level> {
        self.abstract_id.as_ref().and_then(|id| self.numbering.abstracts.get_mut(id)).and_then(|l| l.last_mut())
    }
}

impl Handler for NumberingReader {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn start(&mut self, e: &BytesStart<'_>, _: bool, stack: &Stack<Ctx>) -> Ctx {
        match e.local_name().as_ref().as_bytes() {
            b"abstractNum" => {
                self.abstract_id = attr(e, b"abstractNumId");
                return Ctx::Abstract;
            }
            b"lvl" => {
                if let Some(levels) = self.abstract_id.as_ref().map(|id| self.numbering.abstracts.entry(id.clone()).or_default()) {
                    if levels.len() < 9 {
                        levels.push(Level { start: 1, format: "decimal".into(), ..Default::default() });
                    }
                }
            }
            b"num" => {
                self.num_id = attr(e, b"numId");
                return Ctx::Instance;
            }
            b"abstractNumId" => {
                if let (Some(num), Some(id)) = (self.num_id.clone(), attr(e, b"val")) {
                    self.numbering.instances.insert(num, id);
                }
            }
            b"rPrChange" | b"pPrChange" => return Ctx::Skip,
            name => {
                let in_props = stack.nearest(|c| matches!(c, Ctx::ParaProps | Ctx::RunProps));
                let Some(level) = self.level() else { return Ctx::Other };
                match name {
                    b"start" => level.start = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1u32).min(1_000_000),
                    b"numFmt" => level.format = attr(e, b"val").unwrap_or_default(),
                    b"lvlText" => level.text = attr(e, b"val").unwrap_or_default(),
                    b"pPr" => return Ctx::ParaProps,
                    b"rPr" => return Ctx::RunProps,
                    _ if in_props == Some(Ctx::ParaProps) => para_property(e, &mut level.para),
                    _ if in_props == Some(Ctx::RunProps) => run_property(e, &mut level.run, &mut None),
                    _ => {}
                }
            }
        }
        Ctx::Other
    }

    fn end(&mut self, ctx: Ctx, _: &Stack<Ctx>) {
        match ctx {
            Ctx::Abstract => self.abstract_id = None,
            Ctx::Instance => self.num_id = None,
            _ => {}
        }
    }

    fn text(&mut self, _: &str, _: &Stack<Ctx>) {}
}

/// A list label: the level's text with `%1`..`%9` replaced by the counters, each in its
/// level's number format; bullets mapped to Unicode.
pub(super) fn label(levels: &[Level], counters: &[u32; 9], level: usize) -> String {
    let lvl = &levels[level];
    if lvl.format == "bullet" {
        return lvl.text.chars().map(crate::layout::fonts::bullet_symbol).collect();
    }
    if lvl.format == "none" {
        return String::new();
    }
    let mut out = String::new();
    let mut chars = lvl.text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d)) {
                chars.next();
                let i = d as usize - 1;
                let format = levels.get(i).map_or("decimal", |l| l.format.as_str());
                out.push_str(&format_number(counters[i].max(1), format));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A counter in a WordprocessingML number format.
pub(crate) fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" | "upperLetter" => {
            let letter = (b'a' + ((n - 1) % 26) as u8) as char;
            let s = letter.to_string().repeat(((n - 1) / 26 + 1).min(10) as usize);
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c)).collect(),
        "decimalEnclosedCircle" if (1..=20).contains(&n) => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_default(),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let mut out = String::new();
    for (value, digits) in
        [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}
