//! What the Office formats in ZIP packages (OOXML: DOCX, XLSX, PPTX; OpenDocument) share:
//! the package reader under its budget ([`package`]), a safe XML reader and its helpers,
//! relationships, and the findings of a package for the report (macros, external links,
//! DDE, embedded objects).

pub mod chart;
pub mod color;
pub mod fonts;
pub mod package;
pub mod walk;

use docsandbox_protocol::FindingKind;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::report::Report;
use package::{Package, PackageError};

/// Whether the content of an `mc:Choice` that requires the namespace prefixes in
/// `requires` is drawn as the standard content around it (Office 2010+ shape, text-box and
/// picture extensions). Otherwise its `mc:Fallback` is shown: VML objects and Office 2016
/// charts (`cx`) are read from their fallback.
pub fn choice_understood(requires: &str) -> bool {
    // Not `p14`: PowerPoint's ink (`p:contentPart`) needs it, and its fallback is a picture
    // of the ink.
    requires
        .split_whitespace()
        .all(|p| matches!(p, "p15" | "a14" | "a15" | "wps" | "wpg" | "wpc" | "wpi" | "wp14" | "w14" | "w15" | "w16se" | "x14" | "x15" | "c14" | "dsp"))
}

/// Whether an `mc:Choice` requires Office 2016 chart types (chartex), which are not drawn.
pub fn choice_is_chartex(requires: &str) -> bool {
    requires.split_whitespace().any(|p| p.starts_with("cx"))
}

/// The path of a SmartArt diagram's cached drawing part (`dsp:drawing`): the diagram's
/// data part (`rels[data_rid]`, relative to `base`) names it by a relationship of the same
/// part. `None` when the diagram has none.
pub fn diagram_drawing(package: &mut Package, rels: &std::collections::HashMap<String, String>, base: &str, data_rid: &str) -> Option<String> {
    let data = package.read(&resolve_target(base, rels.get(data_rid)?)).ok()?;
    let mut reader = reader(&data);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref().as_bytes() == b"dataModelExt" => {
                let rid = attr(&e, b"relId")?;
                return Some(resolve_target(base, rels.get(&rid)?));
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Describes a package error for people.
pub fn describe(error: &PackageError) -> String {
    match error {
        PackageError::Malformed(m) => format!("damaged package: {m}"),
        PackageError::Budget(m) => format!("package bomb: {m}"),
    }
}

/// Records macros, embedded objects, external relationships and DDE.
pub fn findings(package: &mut Package, report: &mut Report) {
    if let Err(e) = scan(package, report) {
        report.add(FindingKind::InspectionTruncated, &describe(&e));
    }
}

fn scan(package: &mut Package, report: &mut Report) -> Result<(), PackageError> {
    let names = package.names().to_vec();
    for name in &names {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("vbaproject.bin") {
            report.add(FindingKind::VbaMacros, name);
        } else if lower.starts_with("xl/macrosheets/") {
            report.add(FindingKind::Excel4Macros, name);
        } else if lower.starts_with("basic/") || lower.starts_with("scripts/") {
            report.add(FindingKind::Macros, name);
        } else if lower.contains("/embeddings/") || lower.starts_with("object ") {
            report.add(FindingKind::EmbeddedObject, name);
        } else if lower.contains("/activex/") {
            report.add(FindingKind::Activex, name);
        }
    }
    if package.has("[Content_Types].xml") && contains_ignore_case(&package.read("[Content_Types].xml")?, b"macroEnabled") {
        report.add(FindingKind::MacroEnabled, "the content types declare a macro-enabled document");
    }
    for name in names.iter().filter(|n| n.ends_with(".rels")) {
        relationships(&package.read(name)?, report);
    }
    for name in names.iter().filter(|n| is_word_part(n)) {
        word_fields(&package.read(name)?, report);
    }
    for name in names.iter().filter(|n| n.starts_with("xl/externalLinks/") && n.ends_with(".xml")) {
        dde_links(&package.read(name)?, report);
    }
    Ok(())
}

fn is_word_part(name: &str) -> bool {
    name.starts_with("word/") && name.ends_with(".xml") && ["document", "header", "footer", "footnotes", "endnotes"].iter().any(|p| name[5..].starts_with(p))
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// A namespace-less XML reader that never expands entities or reads a DTD: quick-xml
/// reports a DOCTYPE as an event and leaves `&entity;` references alone.
pub fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    reader
}

/// Attribute value by local name (prefixes ignored). Only the five predefined entities and
/// character references are resolved; anything else stays as written.
pub fn attr(e: &quick_xml::events::BytesStart<'_>, local: &[u8]) -> Option<String> {
    let a = e.attributes().flatten().find(|a| a.key.local_name().as_ref().as_bytes() == local)?;
    Some(a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_else(|_| a.value.clone().into_owned()))
}

/// An `xsd:boolean` attribute by local name: `Some(true)` for `1` or `true`, `Some(false)`
/// for anything else written, `None` when absent.
pub fn on_off(e: &quick_xml::events::BytesStart<'_>, local: &[u8]) -> Option<bool> {
    attr(e, local).map(|v| v == "1" || v == "true")
}

/// A picture's crop (`a:srcRect`): the fractions of the image cut from its left, top,
/// right and bottom, written in thousandths of a percent (`l="25000"` cuts a quarter).
/// Negative values pad the image.
pub fn source_rect(e: &quick_xml::events::BytesStart<'_>) -> [f32; 4] {
    [b"l".as_slice(), b"t", b"r", b"b"].map(|k| attr(e, k).and_then(|v| v.parse::<f32>().ok()).filter(|v| v.is_finite()).map_or(0.0, |v| v / 100_000.0))
}

/// The text an entity or character reference in content stands for: predefined entities
/// and character references only; any other `&name;` is kept literally, never expanded.
pub fn reference_text(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = String::from_utf8_lossy(r.as_bytes());
    match &*name {
        "quot" => "\"".into(),
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "apos" => "'".into(),
        other => format!("&{other};"),
    }
}

/// A colour written as six hex digits (`2F5496`), as OOXML does; `None` for anything else
/// (`auto`, theme names).
pub fn hex_color(value: &str) -> Option<crate::layout::paint::Rgb> {
    if value.len() != 6 || !value.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&value[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Internal relationships of a part, by id: `rId5` -> `media/image1.png`.
pub fn relationships_by_id(xml: &[u8]) -> std::collections::HashMap<String, String> {
    let mut map = std::collections::HashMap::new();
    let mut reader = reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref().as_bytes() == b"Relationship" => {
                if attr(&e, b"TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    map.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => return map,
            Ok(_) => {}
        }
    }
}

/// The package entry a relationship target names, relative to the folder of the part that
/// refers to it (`base`, ending in `/`): `../media/a.png` from `ppt/slides/` is
/// `ppt/media/a.png`. Absolute targets start at the package root.
pub fn resolve_target(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { base.split('/').filter(|p| !p.is_empty()).collect() };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The relationships part of a part: `word/header1.xml` -> `word/_rels/header1.xml.rels`.
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// External targets in a relationships part.
fn relationships(xml: &[u8], report: &mut Report) {
    let mut reader = reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref().as_bytes() == b"Relationship" => {
                if attr(&e, b"TargetMode").as_deref() != Some("External") {
                    continue;
                }
                let target = attr(&e, b"Target").unwrap_or_default();
                let kind = attr(&e, b"Type").unwrap_or_default();
                let kind = match kind.rsplit('/').next().unwrap_or_default() {
                    "attachedTemplate" => FindingKind::RemoteTemplate,
                    "hyperlink" => FindingKind::Uri,
                    "oleObject" => FindingKind::ExternalOleObject,
                    "image" => FindingKind::ExternalImage,
                    "frame" | "subDocument" => FindingKind::ExternalDocument,
                    _ => FindingKind::ExternalLink,
                };
                report.add(kind, &target);
            }
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// DDE and DDEAUTO field codes in a Word part (simple fields and complex ones whose
/// instruction is split across runs).
fn word_fields(xml: &[u8], report: &mut Report) {
    let mut reader = reader(xml);
    let mut instruction: Option<String> = None;
    let mut in_instr_text = false;
    let check = |code: &str, report: &mut Report| {
        let first = code.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        if first == "DDE" || first == "DDEAUTO" {
            report.add(FindingKind::Dde, code.trim());
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"fldSimple" => check(&attr(&e, b"instr").unwrap_or_default(), report),
                b"fldChar" => match attr(&e, b"fldCharType").as_deref() {
                    Some("begin") => instruction = Some(String::new()),
                    Some("separate" | "end") => {
                        if let Some(code) = instruction.take() {
                            check(&code, report);
                        }
                    }
                    _ => {}
                },
                b"instrText" => in_instr_text = true,
                _ => {}
            },
            Ok(Event::Text(t)) if in_instr_text => {
                if let Some(code) = instruction.as_mut().filter(|c| c.len() < 4096) {
                    code.push_str(&t);
                }
            }
            Ok(Event::GeneralRef(r)) if in_instr_text => {
                if let Some(code) = instruction.as_mut().filter(|c| c.len() < 4096) {
                    code.push_str(&reference_text(&r));
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref().as_bytes() == b"instrText" => in_instr_text = false,
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// DDE links in a spreadsheet's external link parts.
fn dde_links(xml: &[u8], report: &mut Report) {
    let mut reader = reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref().as_bytes() == b"ddeLink" => {
                let service = attr(&e, b"ddeService").unwrap_or_default();
                let topic = attr(&e, b"ddeTopic").unwrap_or_default();
                report.add(FindingKind::Dde, &format!("{service}|{topic}"));
            }
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(f: impl Fn(&mut Report)) -> Vec<(FindingKind, String)> {
        let mut report = Report::new(1 << 16);
        f(&mut report);
        report.finish()
    }

    #[test]
    fn external_relationships_are_classified() {
        let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>
            <Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
            <Relationship Id="r3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>
        </Relationships>"#;
        assert_eq!(
            found(|r| relationships(rels, r)),
            [(FindingKind::RemoteTemplate, "http://evil.example/t.dotm".into()), (FindingKind::Uri, "https://example.org/".into())]
        );
    }

    #[test]
    fn dde_fields_are_found_even_when_split_across_runs() {
        let xml = br#"<w:document xmlns:w="w"><w:body><w:p>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r>
            <w:r><w:instrText> DDEAUTO c:\\windows\\system32\\cmd.exe </w:instrText></w:r>
            <w:r><w:instrText>&quot;/k calc.exe&quot; &custom;</w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r>
            <w:fldSimple w:instr=" PAGE "/>
            <w:fldSimple w:instr="dde excel sheet1"/>
        </w:p></w:body></w:document>"#;
        let f = found(|r| word_fields(xml, r));
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].1.starts_with("DDEAUTO") && f[0].1.ends_with(r#""/k calc.exe" &custom;"#), "{f:?}");
        assert_eq!(f[1].1, "dde excel sheet1");
    }

    #[test]
    fn relationship_targets_resolve_against_their_part() {
        assert_eq!(resolve_target("ppt/slides/", "../media/image1.png"), "ppt/media/image1.png");
        assert_eq!(resolve_target("word/", "media/a.png"), "word/media/a.png");
        assert_eq!(resolve_target("word/", "/customXml/item.xml"), "customXml/item.xml");
        assert_eq!(resolve_target("word/", "../../../../etc/passwd"), "etc/passwd");
        assert_eq!(rels_name("ppt/slides/slide1.xml"), "ppt/slides/_rels/slide1.xml.rels");
        let rels = br#"<Relationships><Relationship Id="rId1" Target="media/a.png"/><Relationship Id="rId2" Target="http://x" TargetMode="External"/></Relationships>"#;
        let map = relationships_by_id(rels);
        assert_eq!(map.len(), 1);
        assert_eq!(map["rId1"], "media/a.png");
    }

    #[test]
    fn entities_are_never_expanded() {
        let xml = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <Relationships><Relationship Type="x/hyperlink" Target="&b;" TargetMode="External"/></Relationships>"#;
        assert_eq!(found(|r| relationships(xml, r)), [(FindingKind::Uri, "&b;".into())]);
    }
}
