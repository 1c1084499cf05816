//! The layout compatibility settings of a Writer document (`settings.xml`,
//! `ooo:configuration-settings`) that change where text lands, and their effect on the flow.
//!
//! Documents made by OpenOffice.org 1 and StarOffice, and templates descended from them,
//! set `AddParaTableSpacing` false: the space between two paragraphs is the larger of the
//! first one's space below and the second one's space above, not their sum, and the extra
//! height proportional line spacing gives the first one's last line is taken out of it.
//! `AddParaTableSpacingAtStart` false drops the space above the first paragraph of the
//! document, of a page started by a break and of a table cell; `AddParaSpacingToTableCells`
//! false the space below the last paragraph of a table cell; `AddExternalLeading` false sets
//! lines without their fonts' line gap. Documents without settings take LibreOffice's
//! defaults for its own files (sums, all the spaces, the gap); settings that do not name
//! AddExternalLeading are an old document's, without the gap, as LibreOffice reads them.

use quick_xml::events::BytesStart;

use crate::layout::paint::{Block, Flow, LineModel};
use crate::ooxml::attr;
use crate::ooxml::walk::{self, Handler, Stack};

/// The settings read: `true` when a document does not say, but for `external_leading`
/// (see [`Compat::read`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compat {
    /// `AddParaTableSpacing`: paragraph spacing is summed (else the larger counts).
    pub add_spacing: bool,
    /// `AddParaTableSpacingAtStart`: space above counts at the top of the document and of
    /// a page started by a break.
    pub spacing_at_start: bool,
    /// `AddParaSpacingToTableCells`: the space below a cell's last paragraph counts.
    pub cell_spacing: bool,
    /// `AddExternalLeading`: lines take their fonts' line gap. LibreOffice takes a
    /// document's settings without it for an old document's, which leave the gap out.
    pub external_leading: bool,
}

impl Default for Compat {
    fn default() -> Self {
        Compat { add_spacing: true, spacing_at_start: true, cell_spacing: true, external_leading: true }
    }
}

/// The height of a line as a share of its font's size, for the extra height of
/// proportional spacing (the faces LibreOffice falls back to lie between 1.11 and 1.17).
const LINE_SHARE: f32 = 1.15;

impl Compat {
    /// Reads `settings.xml`. Anything unreadable leaves the defaults.
    pub fn read(settings: &[u8]) -> Compat {
        let mut reader = SettingsReader { compat: Compat::default(), item: None, configuration: false, leading: None };
        walk::walk(settings, &mut reader);
        // Settings that do not name AddExternalLeading are an old document's.
        reader.compat.external_leading = reader.leading.unwrap_or(!reader.configuration);
        reader.compat
    }

    /// Applies the settings to a flow (the body, a header, a footer): the spacing of its own
    /// paragraphs, and the line gap of those and of its frames' paragraphs. Table cells are
    /// set as they are read ([`Compat::apply_to_cell`]); the space around tables is taken
    /// when they are read ([`larger_space`]).
    pub fn apply(&self, body: &mut [Flow]) {
        if !self.external_leading {
            without_line_gap(body);
        }
        if !self.spacing_at_start {
            let mut start = true;
            for item in body.iter_mut() {
                match item {
                    Flow::PageBreak => start = true,
                    Flow::Para(block) => {
                        if start || block.page_break_before {
                            block.space_before = 0.0;
                        }
                        start = false;
                    }
                    Flow::Section { .. } | Flow::Float(_) => {}
                    _ => start = false,
                }
            }
        }
        if !self.add_spacing {
            for n in 1..body.len() {
                let (head, tail) = body.split_at_mut(n);
                if let Some(Flow::Para(next)) = tail.first_mut() {
                    if matches!(head.last(), Some(Flow::Para(_))) && !next.page_break_before {
                        larger_space(head.last_mut(), &mut next.space_before);
                    }
                }
            }
        }
    }

    /// Applies the settings to the paragraphs of a table cell.
    pub fn apply_to_cell(&self, blocks: &mut [Block]) {
        if !self.add_spacing {
            for n in 1..blocks.len() {
                let (head, tail) = blocks.split_at_mut(n);
                if let (Some(prev), Some(next)) = (head.last_mut(), tail.first_mut()) {
                    let extra = line_extra(prev);
                    collapse(&mut prev.space_after, extra, &mut next.space_before);
                }
            }
        }
        if !self.external_leading {
            for block in blocks.iter_mut() {
                block.no_line_gap = true;
            }
        }
        if !self.cell_spacing {
            if let Some(last) = blocks.last_mut() {
                last.space_after = 0.0;
            }
        }
        if !self.spacing_at_start {
            if let Some(first) = blocks.first_mut() {
                first.space_before = 0.0;
            }
        }
    }
}

/// Sets the paragraphs of `flow`, and of the frames in it, without their fonts' line gap.
/// (Table cells are set as they are read.)
fn without_line_gap(flow: &mut [Flow]) {
    for item in flow {
        match item {
            Flow::Para(block) => block.no_line_gap = true,
            Flow::Float(float) => without_line_gap(&mut float.items),
            _ => {}
        }
    }
}

/// Under the larger-space rule, the space between `prev` (a paragraph or a table) and what
/// follows it, whose space above is `above`: the larger of the two, less the extra height
/// of a paragraph's last line under proportional spacing, all of it set below `prev`.
pub fn larger_space(prev: Option<&mut Flow>, above: &mut f32) {
    match prev {
        Some(Flow::Para(block)) => {
            let extra = line_extra(block);
            collapse(&mut block.space_after, extra, above);
        }
        Some(Flow::Table(table)) => collapse(&mut table.space_after, 0.0, above),
        _ => {}
    }
}

fn collapse(below: &mut f32, extra: f32, above: &mut f32) {
    let gap = below.max(*above);
    *below = if gap > 0.0 { (gap - extra).max(0.0) } else { 0.0 };
    *above = 0.0;
}

/// The extra height proportional spacing gives the last line of `block`.
fn line_extra(block: &Block) -> f32 {
    if block.line_model != LineModel::Writer || block.line_exact.is_some() || block.line_at_least.is_some() {
        return 0.0;
    }
    let size = block.spans.last().map_or(12.0, |(_, s)| s.size);
    (block.line_height - 1.0).max(0.0) * size * LINE_SHARE
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Other,
    Skip,
    Item,
}

struct SettingsReader {
    compat: Compat,
    /// The name of the open `config:config-item`.
    item: Option<String>,
    /// Whether the document has configuration settings, and what AddExternalLeading says.
    configuration: bool,
    leading: Option<bool>,
}

impl Handler for SettingsReader {
    type Ctx = Ctx;
    const SKIP: Ctx = Ctx::Skip;

    fn start(&mut self, e: &BytesStart<'_>, _empty: bool, _stack: &Stack<Ctx>) -> Ctx {
        match e.local_name().as_ref().as_bytes() {
            // The view settings hold nothing that changes the pages.
            b"config-item-set" if attr(e, b"name").is_some_and(|n| n.ends_with("view-settings")) => Ctx::Skip,
            b"config-item-set" => {
                self.configuration |= attr(e, b"name").is_some_and(|n| n.ends_with("configuration-settings"));
                Ctx::Other
            }
            b"config-item" => {
                self.item = attr(e, b"name");
                Ctx::Item
            }
            _ => Ctx::Other,
        }
    }

    fn end(&mut self, ctx: Ctx, _stack: &Stack<Ctx>) {
        if ctx == Ctx::Item {
            self.item = None;
        }
    }

    fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
        if stack.top() != Some(Ctx::Item) {
            return;
        }
        let value = match text.trim() {
            "true" => true,
            "false" => false,
            _ => return,
        };
        match self.item.as_deref() {
            Some("AddParaTableSpacing") => self.compat.add_spacing = value,
            Some("AddParaTableSpacingAtStart") => self.compat.spacing_at_start = value,
            Some("AddParaSpacingToTableCells") => self.compat.cell_spacing = value,
            Some("AddExternalLeading") => self.leading = Some(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::paint::{Block, SpanStyle};

    const SETTINGS: &str = r#"<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" xmlns:ooo="http://openoffice.org/2004/office"><office:settings>
      <config:config-item-set config:name="ooo:view-settings"><config:config-item config:name="AddParaTableSpacing" config:type="boolean">true</config:config-item></config:config-item-set>
      <config:config-item-set config:name="ooo:configuration-settings">
        <config:config-item config:name="AddParaTableSpacing" config:type="boolean">false</config:config-item>
        <config:config-item config:name="AddParaTableSpacingAtStart" config:type="boolean">false</config:config-item>
        <config:config-item config:name="AddParaSpacingToTableCells" config:type="boolean">false</config:config-item>
      </config:config-item-set></office:settings></office:document-settings>"#;

    fn para(before: f32, after: f32, line_height: f32) -> Flow {
        Flow::Para(Block {
            spans: vec![("x".into(), SpanStyle { size: 10.0, ..Default::default() })],
            space_before: before,
            space_after: after,
            line_height,
            line_model: LineModel::Writer,
            ..Default::default()
        })
    }

    fn spacing(flow: &[Flow]) -> Vec<(f32, f32)> {
        flow.iter().filter_map(|f| if let Flow::Para(b) = f { Some((b.space_before, b.space_after)) } else { None }).collect()
    }

    #[test]
    fn reads_the_configuration_not_the_view() {
        let old = Compat { add_spacing: false, spacing_at_start: false, cell_spacing: false, external_leading: false };
        assert_eq!(Compat::read(SETTINGS.as_bytes()), old);
        let leading = SETTINGS.replace("</config:config-item-set></office:settings>", r#"<config:config-item config:name="AddExternalLeading" config:type="boolean">true</config:config-item></config:config-item-set></office:settings>"#);
        assert_eq!(Compat::read(leading.as_bytes()), Compat { external_leading: true, ..old });
        assert_eq!(Compat::read(b"<not xml"), Compat::default());
    }

    #[test]
    fn the_larger_space_counts_less_the_line_extra() {
        let mut flow = vec![para(5.0, 20.0, 1.0), para(10.0, 0.0, 1.5), para(30.0, 0.0, 1.0), Flow::PageBreak, para(8.0, 0.0, 1.0)];
        let old = Compat { add_spacing: false, spacing_at_start: false, cell_spacing: false, external_leading: true };
        old.apply(&mut flow);
        // The first paragraph loses its space above; 20 beats 10; 30 beats 0 less the
        // second paragraph's extra half line (0.5 × 10 × 1.15); after a break no space above.
        assert_eq!(spacing(&flow)[..2], [(0.0, 20.0), (0.0, 30.0 - 5.75)]);
        assert_eq!(spacing(&flow)[2..], [(0.0, 0.0), (0.0, 0.0)]);
        // In a cell: the larger space, none above the first paragraph and none below the last.
        let mut cell: Vec<Block> =
            [para(5.0, 20.0, 1.0), para(10.0, 6.0, 1.0)].into_iter().filter_map(|f| if let Flow::Para(b) = f { Some(b) } else { None }).collect();
        old.apply_to_cell(&mut cell);
        assert_eq!(cell.iter().map(|b| (b.space_before, b.space_after)).collect::<Vec<_>>(), [(0.0, 20.0), (0.0, 0.0)]);
        // The defaults change nothing.
        let mut flow = vec![para(5.0, 20.0, 1.0), para(10.0, 0.0, 1.5)];
        Compat::default().apply(&mut flow);
        assert_eq!(spacing(&flow), [(5.0, 20.0), (10.0, 0.0)]);
    }
}
