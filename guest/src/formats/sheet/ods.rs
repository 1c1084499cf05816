//! What calamine does not read from an OpenDocument spreadsheet: each table's column
//! widths and row heights, hidden rows and columns, print ranges, the look of its cells
//! (font, colour, bold, italic, fill, alignment), and how it prints, from its master page
//! and page layout in `styles.xml` (paper, margins, orientation, scale or fit to pages,
//! centring, printed grid and headers, page order, and the header and footer, turned into
//! Excel's codes so that one drawer serves every format).

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};

use super::print::PrintSetup;
use super::{parse_cell, CellRange, Look, SheetModel, MAX_COLUMNS, MAX_ROWS};
use crate::formats::odf::styles::{color, length};
use crate::layout::paint::{Align, SpanStyle};
use crate::ooxml::{self, attr};

/// Most styles kept from one document.
const MAX_STYLES: usize = 20_000;
/// Most cells given their own look, over all tables.
const MAX_LOOKS: usize = 200_000;

/// One table's layout, look and print setup.
#[derive(Debug, Default)]
pub(super) struct TableLayout {
    widths: HashMap<u32, f32>,
    heights: HashMap<u32, f32>,
    hidden_columns: Vec<(u32, u32)>,
    hidden_rows: HashSet<u32>,
    print_area: Option<CellRange>,
    print: PrintSetup,
    looks: HashMap<(u32, u32), Look>,
}

impl TableLayout {
    /// Puts the layout into a table's model; cells the table styles get their look.
    pub(super) fn apply(self, model: &mut SheetModel) {
        model.widths = self.widths;
        model.heights = self.heights;
        model.hidden_columns = self.hidden_columns;
        model.hidden_rows = self.hidden_rows;
        model.print_area = self.print_area.or(model.print_area);
        model.print = self.print;
        for (pos, look) in self.looks {
            if let Some(cell) = model.cells.get_mut(&pos) {
                cell.1 = look;
            }
        }
    }
}

/// A cell, column, row or table style as far as sheets use it.
#[derive(Debug, Clone, Default)]
struct CellStyle {
    parent: Option<String>,
    family: Option<String>,
    size: Option<f32>,
    bold: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
    color: Option<[u8; 3]>,
    fill: Option<Option<[u8; 3]>>,
    align: Option<Align>,
    wrap: Option<bool>,
    width: Option<f32>,
    height: Option<f32>,
    master: Option<String>,
}

/// A page layout's printing properties, and its header and footer room.
#[derive(Debug, Clone)]
struct Layout {
    setup: PrintSetup,
    /// Height plus spacing of the header and of the footer, when they are shown.
    header: f32,
    footer: f32,
}

impl Default for Layout {
    /// LibreOffice's default page: A4 with 2 cm margins.
    fn default() -> Self {
        let cm2 = 72.0 / 2.54 * 2.0;
        let margins = super::print::Margins { left: cm2, right: cm2, top: cm2, bottom: cm2, header: cm2, footer: cm2 };
        Layout { setup: PrintSetup { margins, ..Default::default() }, header: 0.0, footer: 0.0 }
    }
}

/// A master page: its page layout and its header and footer as Excel codes.
#[derive(Debug, Clone, Default)]
struct Master {
    layout: String,
    header: Option<String>,
    footer: Option<String>,
}

#[derive(Default)]
struct Styles {
    cells: HashMap<String, CellStyle>,
    layouts: HashMap<String, Layout>,
    masters: HashMap<String, Master>,
}

impl Styles {
    /// A style's properties over its parents' (named styles), nearest first.
    fn resolved(&self, name: &str) -> CellStyle {
        let mut chain = Vec::new();
        let mut next = Some(name.to_owned());
        while let Some(n) = next.take() {
            if chain.len() >= 16 {
                break;
            }
            let Some(style) = self.cells.get(&n) else { break };
            next.clone_from(&style.parent);
            chain.push(style);
        }
        let mut out = CellStyle::default();
        for style in chain.into_iter().rev() {
            macro_rules! over {
                ($($f:ident),*) => { $( if style.$f.is_some() { out.$f.clone_from(&style.$f); } )* };
            }
            over!(family, size, bold, italic, underline, color, fill, align, wrap, width, height, master);
        }
        out
    }

    fn look(&self, name: &str, base: &SpanStyle) -> Look {
        let s = self.resolved(name);
        let font = SpanStyle {
            family: s.family.unwrap_or_else(|| base.family.clone()),
            size: s.size.unwrap_or(base.size),
            bold: s.bold.unwrap_or(false),
            italic: s.italic.unwrap_or(false),
            underline: s.underline.unwrap_or(false),
            color: s.color.unwrap_or(base.color),
            ..base.clone()
        };
        Look { font, fill: s.fill.flatten(), align: s.align, wrap: s.wrap.unwrap_or(false), ..Default::default() }
    }
}

/// Font face name -> family, from `office:font-face-decls`.
type Faces = HashMap<String, String>;

/// Reads `style:style`, `style:default-style`, page layouts and master pages from
/// `styles.xml` or the automatic styles of `content.xml` into `styles`.
fn read_styles(xml: &[u8], styles: &mut Styles, faces: &mut Faces) {
    let mut reader = ooxml::reader(xml);
    let mut style: Option<(String, CellStyle)> = None;
    let mut layout: Option<(String, Layout, bool)> = None;
    let mut master: Option<(String, Master)> = None;
    // Inside a master page's header or footer: which, its region, and the text so far.
    let mut running: Option<(bool, char, [String; 3], bool)> = None;
    let mut field_depth = 0usize;
    loop {
        let event = reader.read_event();
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                let name = e.local_name();
                match name.as_ref().as_bytes() {
                    b"font-face" => {
                        if let (Some(n), Some(family)) = (attr(e, b"name"), attr(e, b"font-family")) {
                            if faces.len() < MAX_STYLES {
                                faces.insert(n, family.trim_matches(['\'', '"']).to_owned());
                            }
                        }
                    }
                    b"style" | b"default-style" => {
                        let name = attr(e, b"name").unwrap_or_else(|| format!("#default-{}", attr(e, b"family").unwrap_or_default()));
                        let s = CellStyle { parent: attr(e, b"parent-style-name"), master: attr(e, b"master-page-name"), ..Default::default() };
                        if empty {
                            if styles.cells.len() < MAX_STYLES {
                                styles.cells.insert(name, s);
                            }
                        } else {
                            style = Some((name, s));
                        }
                    }
                    b"text-properties" => {
                        if let Some((_, s)) = style.as_mut() {
                            read_text(s, e, faces);
                        }
                    }
                    b"table-cell-properties" => {
                        if let Some((_, s)) = style.as_mut() {
                            match attr(e, b"background-color").as_deref() {
                                Some("transparent") => s.fill = Some(None),
                                Some(v) => s.fill = color(v).map(Some).or(s.fill),
                                None => {}
                            }
                            if let Some(wrap) = attr(e, b"wrap-option") {
                                s.wrap = Some(wrap == "wrap");
                            }
                        }
                    }
                    b"paragraph-properties" => {
                        if let Some((_, s)) = style.as_mut() {
                            s.align = match attr(e, b"text-align").as_deref() {
                                Some("center") => Some(Align::Center),
                                Some("end" | "right") => Some(Align::End),
                                Some("start" | "left") => Some(Align::Start),
                                Some("justify") => Some(Align::Justify),
                                _ => s.align,
                            };
                        }
                    }
                    b"table-column-properties" => {
                        if let Some((_, s)) = style.as_mut() {
                            s.width = attr(e, b"column-width").and_then(|v| length(&v)).map(|w| w.clamp(0.0, 800.0));
                        }
                    }
                    b"table-row-properties" => {
                        if let Some((_, s)) = style.as_mut() {
                            s.height = attr(e, b"row-height").and_then(|v| length(&v)).map(|h| h.clamp(0.0, 409.0));
                        }
                    }
                    b"page-layout" => layout = Some((attr(e, b"name").unwrap_or_default(), Layout::default(), true)),
                    b"page-layout-properties" => {
                        if let Some((_, l, _)) = layout.as_mut() {
                            read_page(&mut l.setup, e);
                        }
                    }
                    b"header-style" => {
                        if let Some((_, _, header)) = layout.as_mut() {
                            *header = true;
                        }
                    }
                    b"footer-style" => {
                        if let Some((_, _, header)) = layout.as_mut() {
                            *header = false;
                        }
                    }
                    b"header-footer-properties" => {
                        if let Some((_, l, header)) = layout.as_mut() {
                            // LibreOffice counts the spacing to the cells in the height.
                            let len = |k: &[u8]| attr(e, k).and_then(|v| length(&v)).map_or(0.0, |v| v.clamp(0.0, 300.0));
                            let room = len(b"min-height").max(len(b"height"));
                            if *header {
                                l.header = room;
                            } else {
                                l.footer = room;
                            }
                        }
                    }
                    b"master-page" => {
                        let m = Master { layout: attr(e, b"page-layout-name").unwrap_or_default(), ..Default::default() };
                        master = Some((attr(e, b"name").unwrap_or_default(), m));
                    }
                    which @ (b"header" | b"footer") if master.is_some() && !empty => {
                        let shown = attr(e, b"display").as_deref() != Some("false");
                        running = Some((which == b"header", 'C', Default::default(), shown));
                    }
                    region @ (b"region-left" | b"region-center" | b"region-right") => {
                        if let Some((_, part, _, _)) = running.as_mut() {
                            *part = match region {
                                b"region-left" => 'L',
                                b"region-right" => 'R',
                                _ => 'C',
                            };
                        }
                    }
                    field @ (b"sheet-name" | b"page-number" | b"page-count" | b"date" | b"time" | b"title" | b"file-name") => {
                        if let Some((_, part, parts, _)) = running.as_mut() {
                            let code = match field {
                                b"sheet-name" => "&A",
                                b"page-number" => "&P",
                                b"page-count" => "&N",
                                b"date" => "&D",
                                b"time" => "&T",
                                _ => "",
                            };
                            parts[region_index(*part)].push_str(code);
                            if !empty {
                                field_depth += 1;
                            }
                        }
                    }
                    b"p" if !empty => {
                        // Paragraphs of one region stack as lines; here they join with a space.
                        if let Some((_, part, parts, _)) = running.as_mut() {
                            let text = &mut parts[region_index(*part)];
                            if !text.is_empty() {
                                text.push(' ');
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(ref t)) => {
                if let Some((_, part, parts, _)) = running.as_mut().filter(|_| field_depth == 0) {
                    parts[region_index(*part)].push_str(&t.replace('&', "&&"));
                }
            }
            Ok(Event::GeneralRef(ref r)) => {
                if let Some((_, part, parts, _)) = running.as_mut().filter(|_| field_depth == 0) {
                    parts[region_index(*part)].push_str(&ooxml::reference_text(r).replace('&', "&&"));
                }
            }
            Ok(Event::End(ref e)) => match e.local_name().as_ref().as_bytes() {
                b"style" | b"default-style" => {
                    if let Some((name, s)) = style.take() {
                        if styles.cells.len() < MAX_STYLES {
                            styles.cells.insert(name, s);
                        }
                    }
                }
                b"page-layout" => {
                    if let Some((name, l, _)) = layout.take() {
                        if styles.layouts.len() < MAX_STYLES {
                            styles.layouts.insert(name, l);
                        }
                    }
                }
                b"master-page" => {
                    if let Some((name, m)) = master.take() {
                        if styles.masters.len() < MAX_STYLES {
                            styles.masters.insert(name, m);
                        }
                    }
                }
                b"header" | b"footer" => {
                    if let (Some((header, _, parts, shown)), Some((_, m))) = (running.take(), master.as_mut()) {
                        let code = format!("&L{}&C{}&R{}", parts[0].trim(), parts[1].trim(), parts[2].trim());
                        let code = if shown && parts.iter().any(|p| !p.trim().is_empty()) { Some(code) } else { None };
                        if header {
                            m.header = code;
                        } else {
                            m.footer = code;
                        }
                    }
                }
                b"sheet-name" | b"page-number" | b"page-count" | b"date" | b"time" | b"title" | b"file-name" => field_depth = field_depth.saturating_sub(1),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => return,
            _ => {}
        }
    }
}

fn region_index(part: char) -> usize {
    match part {
        'L' => 0,
        'R' => 2,
        _ => 1,
    }
}

fn read_text(s: &mut CellStyle, e: &BytesStart<'_>, faces: &Faces) {
    if let Some(name) = attr(e, b"font-name") {
        s.family = Some(faces.get(&name).cloned().unwrap_or(name));
    } else if let Some(family) = attr(e, b"font-family") {
        s.family = Some(family.trim_matches(['\'', '"']).to_owned());
    }
    if let Some(size) = attr(e, b"font-size").and_then(|v| length(&v)).filter(|v| *v > 0.0) {
        s.size = Some(size.clamp(1.0, 200.0));
    }
    if let Some(weight) = attr(e, b"font-weight") {
        s.bold = Some(weight == "bold" || weight.parse::<u32>().is_ok_and(|w| w >= 600));
    }
    if let Some(style) = attr(e, b"font-style") {
        s.italic = Some(style == "italic" || style == "oblique");
    }
    if let Some(underline) = attr(e, b"text-underline-style") {
        s.underline = Some(underline != "none");
    }
    if let Some(c) = attr(e, b"color").and_then(|v| color(&v)) {
        s.color = Some(c);
    }
}

/// `style:page-layout-properties` of a spreadsheet's page layout.
fn read_page(p: &mut PrintSetup, e: &BytesStart<'_>) {
    let len = |k: &[u8]| attr(e, k).and_then(|v| length(&v));
    let (w, h) = (len(b"page-width").filter(|w| (36.0..=14_400.0).contains(w)), len(b"page-height").filter(|h| (36.0..=14_400.0).contains(h)));
    if let (Some(w), Some(h)) = (w, h) {
        // The page is given as printed; the setup keeps it portrait.
        p.paper = (w.min(h), w.max(h));
        p.landscape = w > h;
    }
    if let Some(orientation) = attr(e, b"print-orientation") {
        p.landscape = orientation == "landscape";
    }
    let m = &mut p.margins;
    for (key, value) in [(&b"margin-left"[..], &mut m.left), (b"margin-right", &mut m.right), (b"margin-top", &mut m.top), (b"margin-bottom", &mut m.bottom)] {
        if let Some(v) = len(key).filter(|v| (0.0..=1000.0).contains(v)) {
            *value = v;
        }
    }
    if let Some(print) = attr(e, b"print") {
        p.gridlines = print.split_whitespace().any(|w| w == "grid");
        p.headings = print.split_whitespace().any(|w| w == "headers");
    }
    if let Some(scale) = attr(e, b"scale-to").and_then(|v| v.trim_end_matches('%').parse::<f32>().ok()) {
        p.set_scale_percent(scale);
    }
    let pages = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<u32>().ok()).map(|n| n.min(32_767));
    match (pages(b"scale-to-X"), pages(b"scale-to-Y"), pages(b"scale-to-pages")) {
        (x, y, _) if x.is_some() || y.is_some() => p.fit = Some((x.unwrap_or(0), y.unwrap_or(0))),
        (_, _, Some(1)) => p.fit = Some((1, 1)),
        _ => {}
    }
    p.center = match attr(e, b"table-centering").as_deref() {
        Some("horizontal") => (true, false),
        Some("vertical") => (false, true),
        Some("both") => (true, true),
        _ => (false, false),
    };
    p.across_first = attr(e, b"print-page-order").as_deref() == Some("ltr");
    p.first_page_number = attr(e, b"first-page-number").and_then(|v| v.parse::<u32>().ok()).map(|n| n.min(32_767));
}

/// Each table's layout, look and print setup by name, from `styles.xml` and `content.xml`.
pub(super) fn read(styles_xml: &[u8], content: &[u8], base: &SpanStyle) -> HashMap<String, TableLayout> {
    let mut styles = Styles::default();
    let mut faces = Faces::new();
    read_styles(styles_xml, &mut styles, &mut faces);
    read_styles(content, &mut styles, &mut faces);
    let mut tables = HashMap::new();
    let mut reader = ooxml::reader(content);
    let mut table: Option<(String, TableLayout)> = None;
    let (mut row, mut col) = (0u32, 0u32);
    // Columns declared so far, and the default cell style of the first ones.
    let mut columns = 0u32;
    let mut column_styles: Vec<Option<String>> = Vec::new();
    let mut row_style: Option<String> = None;
    let mut row_repeat = 1u32;
    let mut looks = 0usize;
    let mut look_cache: HashMap<String, Look> = HashMap::new();
    loop {
        let event = reader.read_event();
        let empty = matches!(event, Ok(Event::Empty(_)));
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => match e.local_name().as_ref().as_bytes() {
                b"table" => {
                    let mut layout = TableLayout::default();
                    let master = attr(e, b"style-name").and_then(|s| styles.resolved(&s).master).unwrap_or_else(|| "Default".into());
                    layout.print = print_setup(&styles, &master);
                    layout.print_area = attr(e, b"print-ranges").and_then(|r| print_range(&r));
                    table = Some((attr(e, b"name").unwrap_or_default(), layout));
                    (row, col, columns) = (0, 0, 0);
                    column_styles.clear();
                }
                b"table-column" => {
                    let Some((_, layout)) = table.as_mut() else { continue };
                    let repeat = repeated(e, b"number-columns-repeated");
                    let width = attr(e, b"style-name").and_then(|s| styles.resolved(&s).width);
                    let hidden = matches!(attr(e, b"visibility").as_deref(), Some("collapse" | "filter"));
                    let default_style = attr(e, b"default-cell-style-name");
                    let first = columns;
                    columns = columns.saturating_add(repeat);
                    // Columns past the shown limit cost a counter only.
                    if first >= MAX_COLUMNS {
                        continue;
                    }
                    let last = (columns - 1).min(MAX_COLUMNS - 1);
                    for c in first..=last {
                        if let Some(w) = width {
                            layout.widths.insert(c, w);
                        }
                        column_styles.push(default_style.clone());
                    }
                    if hidden && layout.hidden_columns.len() < super::MAX_COLUMN_RUNS {
                        layout.hidden_columns.push((first, last));
                    }
                }
                b"table-row" => {
                    let Some((_, layout)) = table.as_mut() else { continue };
                    let repeat = repeated(e, b"number-rows-repeated");
                    let height = attr(e, b"style-name").and_then(|s| styles.resolved(&s).height);
                    let hidden = matches!(attr(e, b"visibility").as_deref(), Some("collapse" | "filter"));
                    // A run of repeated rows past the shown limit is not stored.
                    for r in row..row.saturating_add(repeat).min(MAX_ROWS) {
                        if let Some(h) = height {
                            layout.heights.insert(r, h);
                        }
                        if hidden {
                            layout.hidden_rows.insert(r);
                        }
                    }
                    row_style = attr(e, b"default-cell-style-name");
                    col = 0;
                    // The row's cells follow until its end, where the row count moves on.
                    if empty {
                        row = row.saturating_add(repeat);
                    } else {
                        row_repeat = repeat;
                    }
                }
                b"table-cell" | b"covered-table-cell" => {
                    let Some((_, layout)) = table.as_mut() else { continue };
                    let repeat = repeated(e, b"number-columns-repeated");
                    let style = attr(e, b"style-name").or_else(|| row_style.clone()).or_else(|| column_styles.get(col as usize).cloned().flatten());
                    if let Some(style) = style.filter(|_| row < MAX_ROWS && looks < MAX_LOOKS) {
                        let look = look_cache.entry(style.clone()).or_insert_with(|| styles.look(&style, base)).clone();
                        for c in col..col.saturating_add(repeat).min(MAX_COLUMNS).min(col + 1024) {
                            layout.looks.insert((row, c), look.clone());
                            looks += 1;
                        }
                    }
                    col = col.saturating_add(repeat);
                }
                _ => {}
            },
            Ok(Event::End(ref e)) => match e.local_name().as_ref().as_bytes() {
                b"table-row" => row = row.saturating_add(row_repeat),
                b"table" => {
                    if let Some((name, layout)) = table.take() {
                        if tables.len() < 10_000 {
                            tables.insert(name, layout);
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => return tables,
            _ => {}
        }
    }
}

/// A repeat count: at least 1, and bounded (a count of a million costs a counter only).
fn repeated(e: &BytesStart<'_>, key: &[u8]) -> u32 {
    attr(e, key).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).clamp(1, 1 << 20)
}

/// The print setup of a master page's page layout, with its header and footer.
fn print_setup(styles: &Styles, master: &str) -> PrintSetup {
    let Some(m) = styles.masters.get(master).or_else(|| styles.masters.get("Default")) else {
        return Layout::default().setup;
    };
    let layout = styles.layouts.get(&m.layout).cloned().unwrap_or_default();
    let mut setup = layout.setup;
    // ODF's margins reach to the header and footer; the cells start below the header.
    let (top, bottom) = (setup.margins.top, setup.margins.bottom);
    setup.margins.header = top;
    setup.margins.footer = bottom;
    if let Some(header) = &m.header {
        setup.header.clone_from(header);
        setup.margins.top = top + layout.header;
    }
    if let Some(footer) = &m.footer {
        setup.footer.clone_from(footer);
        setup.margins.bottom = bottom + layout.footer;
    }
    setup
}

/// The first range of `table:print-ranges` (`Sheet1.A1:Sheet1.F30`, `$Sheet1.$A$1:.$F$30`).
fn print_range(ranges: &str) -> Option<CellRange> {
    let first = ranges.split_whitespace().next()?.replace('$', "");
    let (a, b) = first.split_once(':').unwrap_or((&first, &first));
    let cell = |s: &str| parse_cell(s.rsplit_once('.').map_or(s, |(_, c)| c));
    let (a, b) = (cell(a)?, cell(b)?);
    Some(((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:office="o" xmlns:style="s" xmlns:table="t" xmlns:text="x" xmlns:fo="f""#;

    #[test]
    fn tables_get_widths_heights_looks_and_their_master_pages_setup() {
        let styles = format!(
            r#"<office:document-styles {NS}><office:styles><style:style style:name="Default" style:family="table-cell"><style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"/></style:style><style:style style:name="Heading" style:parent-style-name="Default" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style></office:styles>
            <office:automatic-styles><style:page-layout style:name="Mpm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-right="2cm" style:print="grid headers" style:scale-to-X="1" style:scale-to-Y="0" style:table-centering="horizontal"/><style:header-style><style:header-footer-properties fo:min-height="0.75cm" fo:margin-bottom="0.25cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.75cm" fo:margin-top="0.25cm"/></style:footer-style></style:page-layout></office:automatic-styles>
            <office:master-styles><style:master-page style:name="Default" style:page-layout-name="Mpm1"><style:header><text:p><text:sheet-name>???</text:sheet-name> &amp; co</text:p></style:header><style:footer><style:region-right><text:p>Page <text:page-number>1</text:page-number></text:p></style:region-right></style:footer></style:master-page></office:master-styles></office:document-styles>"#
        );
        let content = format!(
            r##"<office:document-content {NS}><office:automatic-styles><style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="2in"/></style:style><style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:row-height="0.5in"/></style:style><style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Heading"><style:table-cell-properties fo:background-color="#ff0000"/></style:style></office:automatic-styles>
            <office:body><office:spreadsheet><table:table table:name="Beds" table:print-ranges="Beds.A1:Beds.C9"><table:table-column table:style-name="co1" table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/><table:table-row table:style-name="ro1"><table:table-cell table:style-name="ce1"><text:p>x</text:p></table:table-cell><table:table-cell/></table:table-row><table:table-row table:number-rows-repeated="1048570" table:visibility="collapse"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:style-name="ce1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"##
        );
        let base = SpanStyle { family: "Liberation Sans".into(), size: 10.0, ..Default::default() };
        let tables = read(styles.as_bytes(), content.as_bytes(), &base);
        let beds = &tables["Beds"];
        assert_eq!((beds.widths[&0], beds.widths[&1]), (144.0, 144.0));
        assert_eq!(beds.hidden_columns, vec![(2, 2)]);
        assert_eq!(beds.heights[&0], 36.0);
        assert_eq!(beds.hidden_rows.len() as u32, MAX_ROWS - 1);
        let look = &beds.looks[&(0, 0)];
        assert!(look.font.bold && look.fill == Some([255, 0, 0]) && look.font.family == "Liberation Sans");
        // The last row comes after the million repeated ones (and is past the limit).
        assert!(!beds.looks.contains_key(&(1, 2)));
        assert_eq!(beds.print_area, Some(((0, 0), (8, 2))));
        let p = &beds.print;
        assert!(p.landscape && p.gridlines && p.headings && p.center == (true, false));
        assert_eq!(p.fit, Some((1, 0)));
        assert_eq!(p.header, "&L&C&A && co&R");
        assert_eq!(p.footer, "&L&C&RPage &P");
        let cm = 72.0 / 2.54;
        assert!((p.margins.header - cm).abs() < 0.01 && (p.margins.top - 1.75 * cm).abs() < 0.01, "{:?}", p.margins);
        // Sides the layout does not set keep LibreOffice's 2 cm.
        assert!((p.margins.left - 2.0 * cm).abs() < 0.01);
    }
}
