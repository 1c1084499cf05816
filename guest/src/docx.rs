//! DOCX: paragraphs and runs from `word/document.xml` with style inheritance from
//! `word/styles.xml` (docDefaults, then the paragraph style chain, then the character style
//! chain, then direct formatting), page size and margins from `sectPr`, laid out and
//! paginated by the paint layer.
//!
//! First slice: text with fonts, sizes, weights, italics, underline, strike-through and
//! colours; alignment, indents, spacing, line spacing, page and line breaks. Tables are
//! flattened to their cells' paragraphs; images, numbering, headers and footers are not
//! drawn yet.

use std::collections::HashMap;

use docsandbox_protocol::{FailureKind, Format, Request};
use quick_xml::events::{BytesStart, Event};

use crate::office::{self, attr, reader};
use crate::output::Output;
use crate::package::Package;
use crate::paint::{self, Align, Block, PageSetup, Painter, Rgb, SpanStyle};
use crate::report::Report;

/// Paragraphs laid out at most (each keeps its layout until drawn; 25 000 is far beyond a
/// 500-page report); a document with more is cut there and says so.
const MAX_BLOCKS: usize = 25_000;
/// Longest `basedOn` chain followed (they can loop).
const MAX_STYLE_DEPTH: usize = 16;

/// Run properties, each unset until some level of the style hierarchy sets it.
#[derive(Debug, Clone, Default, PartialEq)]
struct RunProps {
    font: Option<String>,
    half_points: Option<f32>,
    bold: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
    strike: Option<bool>,
    color: Option<Rgb>,
}

impl RunProps {
    /// `self` with every property `over` sets replaced.
    fn overlay(&self, over: &RunProps) -> RunProps {
        RunProps {
            font: over.font.clone().or_else(|| self.font.clone()),
            half_points: over.half_points.or(self.half_points),
            bold: over.bold.or(self.bold),
            italic: over.italic.or(self.italic),
            underline: over.underline.or(self.underline),
            strike: over.strike.or(self.strike),
            color: over.color.or(self.color),
        }
    }

    fn style(&self) -> SpanStyle {
        SpanStyle {
            family: self.font.clone().unwrap_or_else(|| "Calibri".into()),
            size: self.half_points.unwrap_or(20.0) / 2.0,
            bold: self.bold.unwrap_or(false),
            italic: self.italic.unwrap_or(false),
            underline: self.underline.unwrap_or(false),
            strike: self.strike.unwrap_or(false),
            color: self.color.unwrap_or([0, 0, 0]),
        }
    }
}

/// Paragraph properties (lengths in points).
#[derive(Debug, Clone, Default, PartialEq)]
struct ParaProps {
    style: Option<String>,
    align: Option<Align>,
    before: Option<f32>,
    after: Option<f32>,
    line: Option<f32>,
    left: Option<f32>,
    right: Option<f32>,
    first: Option<f32>,
    page_break_before: Option<bool>,
}

impl ParaProps {
    fn overlay(&self, over: &ParaProps) -> ParaProps {
        ParaProps {
            style: over.style.clone().or_else(|| self.style.clone()),
            align: over.align.or(self.align),
            before: over.before.or(self.before),
            after: over.after.or(self.after),
            line: over.line.or(self.line),
            left: over.left.or(self.left),
            right: over.right.or(self.right),
            first: over.first.or(self.first),
            page_break_before: over.page_break_before.or(self.page_break_before),
        }
    }
}

/// One style from styles.xml.
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    para: ParaProps,
    run: RunProps,
}

/// Everything styles.xml says.
#[derive(Debug, Default)]
struct Styles {
    default_run: RunProps,
    default_para: ParaProps,
    default_paragraph_style: Option<String>,
    styles: HashMap<String, Style>,
}

impl Styles {
    /// Paragraph and run properties of a style with its `basedOn` chain applied.
    fn resolve(&self, id: &str) -> (ParaProps, RunProps) {
        let mut chain = Vec::new();
        let mut next = Some(id.to_owned());
        while let Some(id) = next {
            if chain.len() >= MAX_STYLE_DEPTH {
                break;
            }
            let Some(style) = self.styles.get(&id) else { break };
            chain.push(style);
            next = style.based_on.clone().filter(|b| *b != id);
        }
        chain.iter().rev().fold((ParaProps::default(), RunProps::default()), |(p, r), s| (p.overlay(&s.para), r.overlay(&s.run)))
    }
}

/// Renders a DOCX package: report first, then pages.
pub fn render(request: &Request<'static>, mut package: Package, out: &mut Output) {
    let mut report = Report::new(request.max_report_bytes);
    office::findings(&mut package, &mut report);
    let styles = match package.read("word/styles.xml") {
        Ok(xml) => parse_styles(&xml),
        Err(_) => Styles::default(),
    };
    let document = match package.read("word/document.xml") {
        Ok(xml) => xml,
        Err(e) => {
            out.begin(Format::Docx, None);
            out.report(&report.finish());
            return out.failure(FailureKind::Malformed, &office::describe(&e));
        }
    };
    let (blocks, setup, truncated) = parse_document(&document, &styles);
    if truncated {
        report.add("content-truncated", &format!("only the first {MAX_BLOCKS} paragraphs are shown"));
    }
    let mut painter = Painter::new();
    let laid = painter.lay_out(&blocks, setup);
    let page_count = u32::try_from(laid.page_count()).unwrap_or(u32::MAX - 1);
    out.begin(Format::Docx, Some(page_count));
    out.report(&report.finish());
    paint::render_pages(&laid, request, page_count, out);
}

/// Twips (1/20 pt) in an attribute, as points.
fn twips(e: &BytesStart<'_>, local: &[u8]) -> Option<f32> {
    attr(e, local)?.parse::<f32>().ok().filter(|v| v.is_finite()).map(|v| (v / 20.0).clamp(-10_000.0, 10_000.0))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`).
fn toggle(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off" | "none"))
}

/// Applies a property element inside `w:rPr`.
fn run_property(e: &BytesStart<'_>, run: &mut RunProps, char_style: &mut Option<String>) {
    match e.local_name().as_ref() {
        b"rStyle" => *char_style = attr(e, b"val"),
        b"rFonts" => {
            let theme = attr(e, b"asciiTheme").map(|t| if t.starts_with("major") { "Calibri Light" } else { "Calibri" }.to_owned());
            run.font = attr(e, b"ascii").or_else(|| attr(e, b"hAnsi")).or(theme).or_else(|| attr(e, b"eastAsia")).or(run.font.take());
        }
        b"sz" => run.half_points = attr(e, b"val").and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map(|v| v.clamp(2.0, 800.0)),
        b"b" => run.bold = Some(toggle(e)),
        b"i" => run.italic = Some(toggle(e)),
        b"u" => run.underline = Some(toggle(e)),
        b"strike" | b"dstrike" => run.strike = Some(toggle(e)),
        b"color" => run.color = attr(e, b"val").and_then(|v| parse_color(&v)),
        _ => {}
    }
}

/// Applies a property element inside `w:pPr`.
fn para_property(e: &BytesStart<'_>, para: &mut ParaProps) {
    match e.local_name().as_ref() {
        b"pStyle" => para.style = attr(e, b"val"),
        b"jc" => {
            para.align = match attr(e, b"val").as_deref() {
                Some("center") => Some(Align::Center),
                Some("right" | "end") => Some(Align::End),
                Some("both" | "distribute") => Some(Align::Justify),
                Some(_) => Some(Align::Start),
                None => None,
            }
        }
        b"spacing" => {
            para.before = twips(e, b"before").or(para.before);
            para.after = twips(e, b"after").or(para.after);
            if let Some(line) = attr(e, b"line").and_then(|v| v.parse::<f32>().ok()) {
                // "auto" lines are 240ths of a single line; exact and at-least are twips,
                // taken relative to a 12 pt line.
                let multiple = match attr(e, b"lineRule").as_deref() {
                    None | Some("auto") => line / 240.0,
                    _ => line / 20.0 / 14.0,
                };
                para.line = Some(multiple.clamp(0.5, 5.0));
            }
        }
        b"ind" => {
            para.left = twips(e, b"left").or_else(|| twips(e, b"start")).or(para.left);
            para.right = twips(e, b"right").or_else(|| twips(e, b"end")).or(para.right);
            para.first = twips(e, b"firstLine").or_else(|| twips(e, b"hanging").map(|h| -h)).or(para.first);
        }
        b"pageBreakBefore" => para.page_break_before = Some(toggle(e)),
        _ => {}
    }
}

fn parse_color(value: &str) -> Option<Rgb> {
    if value.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&value[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn parse_styles(xml: &[u8]) -> Styles {
    let mut styles = Styles::default();
    let mut reader = reader(xml);
    // Where property elements go: the docDefaults, or the style being read.
    let mut current: Option<(String, Style)> = None;
    let (mut in_rpr_default, mut in_ppr_default, mut in_rpr, mut in_ppr) = (false, false, false, false);
    let mut ignored_char_style = None;
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                match e.local_name().as_ref() {
                    b"rPrDefault" => in_rpr_default = true,
                    b"pPrDefault" => in_ppr_default = true,
                    b"style" if !empty => {
                        let id = attr(e, b"styleId").unwrap_or_default();
                        if attr(e, b"type").as_deref() == Some("paragraph") && attr(e, b"default").is_some_and(|d| d == "1" || d == "true") {
                            styles.default_paragraph_style = Some(id.clone());
                        }
                        current = Some((id, Style::default()));
                    }
                    b"basedOn" => {
                        if let Some((_, s)) = current.as_mut() {
                            s.based_on = attr(e, b"val");
                        }
                    }
                    b"rPr" if !empty => in_rpr = true,
                    b"pPr" if !empty => in_ppr = true,
                    _ if in_rpr => {
                        let target = match current.as_mut() {
                            Some((_, s)) => &mut s.run,
                            None if in_rpr_default => &mut styles.default_run,
                            None => continue,
                        };
                        run_property(e, target, &mut ignored_char_style);
                    }
                    _ if in_ppr => {
                        let target = match current.as_mut() {
                            Some((_, s)) => &mut s.para,
                            None if in_ppr_default => &mut styles.default_para,
                            None => continue,
                        };
                        para_property(e, target);
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"rPrDefault" => in_rpr_default = false,
                b"pPrDefault" => in_ppr_default = false,
                b"rPr" => in_rpr = false,
                b"pPr" => in_ppr = false,
                b"style" => {
                    if let Some((id, style)) = current.take() {
                        styles.styles.insert(id, style);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// A paragraph being read: its properties, runs and whether a page break ends it.
#[derive(Default)]
struct Paragraph {
    props: ParaProps,
    runs: Vec<(String, RunProps, Option<String>)>,
    break_after: bool,
}

/// Reads the body into blocks and the first section's page setup. The flag says whether
/// the paragraph cap cut it short.
fn parse_document(xml: &[u8], styles: &Styles) -> (Vec<Block>, PageSetup, bool) {
    let mut reader = reader(xml);
    let mut blocks = Vec::new();
    let mut setup: Option<PageSetup> = None;
    let mut paragraph: Option<Paragraph> = None;
    let mut run: Option<(String, RunProps, Option<String>)> = None;
    let (mut in_ppr, mut in_rpr, mut in_text) = (false, false, false);
    // Depth inside subtrees whose text must not show (deleted text, fallbacks, field codes).
    let mut skip_depth = 0usize;
    let mut page_break_pending = false;
    let mut section = PageSetup::default();
    let mut in_sect = false;
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                let name = e.local_name();
                let name = name.as_ref();
                if skip_depth > 0 {
                    if !empty {
                        skip_depth += 1;
                    }
                    continue;
                }
                match name {
                    b"Fallback" | b"delText" | b"instrText" | b"del" if !empty => skip_depth = 1,
                    b"sectPr" if !empty => in_sect = true,
                    b"pgSz" if in_sect => {
                        section.width = twips(e, b"w").filter(|w| *w >= 36.0).unwrap_or(section.width).min(2000.0);
                        section.height = twips(e, b"h").filter(|h| *h >= 36.0).unwrap_or(section.height).min(2000.0);
                    }
                    b"pgMar" if in_sect => {
                        let m = |k: &[u8], d: f32| twips(e, k).map(f32::abs).unwrap_or(d);
                        section.margin_top = m(b"top", section.margin_top);
                        section.margin_bottom = m(b"bottom", section.margin_bottom);
                        section.margin_left = m(b"left", section.margin_left);
                        section.margin_right = m(b"right", section.margin_right);
                    }
                    b"p" if empty => {
                        blocks.push(Block { line_height: 1.0, ..Default::default() });
                        if blocks.len() >= MAX_BLOCKS {
                            return (blocks, setup.unwrap_or(section), true);
                        }
                    }
                    b"p" => paragraph = Some(Paragraph::default()),
                    b"pPr" if !empty => in_ppr = true,
                    b"r" if !empty => run = Some((String::new(), RunProps::default(), None)),
                    b"rPr" if !empty && run.is_some() => in_rpr = true,
                    b"t" if !empty => in_text = true,
                    b"tab" if run.is_some() && !in_ppr => push_text(&mut run, "\t"),
                    b"br" | b"cr" if run.is_some() => {
                        if attr(e, b"type").as_deref() == Some("page") {
                            if let Some(p) = paragraph.as_mut() {
                                p.break_after = true;
                            }
                        } else {
                            push_text(&mut run, "\n");
                        }
                    }
                    _ if in_rpr => {
                        if let Some((_, props, char_style)) = run.as_mut() {
                            run_property(e, props, char_style);
                        }
                    }
                    _ if in_ppr => {
                        if let Some(p) = paragraph.as_mut() {
                            para_property(e, &mut p.props);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_text && skip_depth == 0 => push_text(&mut run, &String::from_utf8_lossy(t)),
            Ok(Event::GeneralRef(r)) if in_text && skip_depth == 0 => push_text(&mut run, &office::reference_text(r)),
            Ok(Event::End(e)) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"sectPr" => {
                        in_sect = false;
                        setup.get_or_insert(section);
                    }
                    b"pPr" => in_ppr = false,
                    b"rPr" => in_rpr = false,
                    b"t" => in_text = false,
                    b"r" => {
                        if let (Some(r), Some(p)) = (run.take(), paragraph.as_mut()) {
                            p.runs.push(r);
                        }
                    }
                    b"p" => {
                        if let Some(p) = paragraph.take() {
                            let break_after = p.break_after;
                            let mut block = to_block(p, styles);
                            block.page_break_before |= std::mem::take(&mut page_break_pending);
                            blocks.push(block);
                            page_break_pending = break_after;
                            if blocks.len() >= MAX_BLOCKS {
                                return (blocks, setup.unwrap_or(section), true);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    (blocks, setup.unwrap_or(section), false)
}

fn push_text(run: &mut Option<(String, RunProps, Option<String>)>, text: &str) {
    if let Some((t, _, _)) = run.as_mut() {
        t.push_str(text);
    }
}

/// Resolves a paragraph's properties through the style hierarchy into a block.
fn to_block(paragraph: Paragraph, styles: &Styles) -> Block {
    let style_id = paragraph.props.style.clone().or_else(|| styles.default_paragraph_style.clone());
    let (style_para, style_run) = style_id.as_deref().map(|id| styles.resolve(id)).unwrap_or_default();
    let para = styles.default_para.overlay(&style_para).overlay(&paragraph.props);
    let base_run = styles.default_run.overlay(&style_run);
    let spans = paragraph
        .runs
        .into_iter()
        .filter(|(text, _, _)| !text.is_empty())
        .map(|(text, direct, char_style)| {
            let char_run = char_style.as_deref().map(|id| styles.resolve(id).1).unwrap_or_default();
            (text, base_run.overlay(&char_run).overlay(&direct).style())
        })
        .collect::<Vec<_>>();
    let spans = if spans.is_empty() { vec![(String::new(), base_run.style())] } else { spans };
    Block {
        spans,
        align: para.align.unwrap_or_default(),
        indent_left: para.left.unwrap_or(0.0).max(0.0),
        indent_right: para.right.unwrap_or(0.0).max(0.0),
        indent_first: para.first.unwrap_or(0.0),
        space_before: para.before.unwrap_or(0.0).max(0.0),
        space_after: para.after.unwrap_or(0.0).max(0.0),
        line_height: para.line.unwrap_or(1.0),
        page_break_before: para.page_break_before.unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &[u8] = br#"<w:styles xmlns:w="w">
        <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault>
        <w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:color w:val="2F5496"/></w:rPr></w:style>
        <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
        <w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style>
    </w:styles>"#;

    #[test]
    fn styles_inherit_from_defaults_to_direct_formatting() {
        let styles = parse_styles(STYLES);
        let doc = br#"<w:document xmlns:w="w"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">plain </w:t></w:r><w:r><w:rPr><w:rStyle w:val="Strong"/><w:i/><w:color w:val="FF0000"/></w:rPr><w:t>bold red italic</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Loop"/></w:pPr><w:r><w:br w:type="page"/><w:t>loop</w:t></w:r></w:p>
            <w:p><w:r><w:t>after the break</w:t></w:r><w:r><w:instrText>HIDDEN</w:instrText></w:r></w:p>
            <w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr>
        </w:body></w:document>"#;
        let (blocks, setup, truncated) = parse_document(doc, &styles);
        assert!(!truncated);
        assert_eq!((setup.width.round(), setup.height.round(), setup.margin_left), (595.0, 842.0, 90.0));
        assert_eq!(blocks.len(), 4);
        let title = &blocks[0];
        assert_eq!(title.align, Align::Center);
        assert_eq!(title.spans[0].1, SpanStyle { family: "Calibri".into(), size: 16.0, bold: true, color: [0x2F, 0x54, 0x96], ..Default::default() });
        assert_eq!(title.space_after, 8.0);
        let second = &blocks[1];
        assert_eq!(second.spans[0].0, "plain ");
        assert_eq!(second.spans[0].1.size, 11.0);
        assert!(!second.spans[0].1.bold);
        assert_eq!(second.spans[1].1, SpanStyle { family: "Calibri".into(), size: 11.0, bold: true, italic: true, color: [255, 0, 0], ..Default::default() });
        assert!(blocks[3].page_break_before, "the page break in paragraph 3 moves paragraph 4");
        assert_eq!(blocks[3].spans.len(), 1, "field codes are not shown: {:?}", blocks[3].spans);
    }

    #[test]
    fn absurd_values_are_clamped() {
        let doc = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:rPr><w:sz w:val="99999999"/></w:rPr><w:t>x</w:t></w:r></w:p>
            <w:sectPr><w:pgSz w:w="999999999" w:h="-5"/></w:sectPr></w:body></w:document>"#;
        let (blocks, setup, _) = parse_document(doc, &Styles::default());
        assert_eq!(blocks[0].spans[0].1.size, 400.0);
        assert!(setup.width <= 2000.0 && setup.height >= 36.0);
    }
}
