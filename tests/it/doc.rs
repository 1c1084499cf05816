//! Word 97-2003 (`.doc`) through the public API: a document LibreOffice saved in the
//! binary format (`tests/files/layout.doc`, see `scripts/make-doc-sample.py`) drawn with its
//! page size, styles, list numbers, table borders and shading, picture, header page numbers,
//! text box, footnote and page break where they belong; hostile streams ending fast with pages or a
//! typed error.

use crate::common::{self, pixels_near};

use docsandbox::{Error, RenderOptions, Sandbox};

const LAYOUT: &[u8] = include_bytes!("../files/layout.doc");

/// Dark pixels (grey or darker) in a box of a page.
fn ink(page: &docsandbox::Page, [left, top, right, bottom]: [u32; 4]) -> usize {
    let mut count = 0;
    for y in top..bottom.min(page.height()) {
        for x in left..right.min(page.width()) {
            let i = ((y * page.width() + x) * 4) as usize;
            if page.rgba()[i..i + 3].iter().all(|&c| c < 150) {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn doc_draws_styles_lists_tables_pictures_headers_footnotes_and_page_breaks() {
    let doc = common::sandbox().render(LAYOUT, &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    assert_eq!(report.format.as_deref(), Some("doc"));
    assert!(report.has("legacy-format"), "{report:?}");
    assert!(!report.has("content-not-shown"), "{report:?}");
    assert_eq!(doc.pages().len(), 2, "the page break makes a second page");
    let first = &doc.pages()[0];
    assert_eq!((first.width(), first.height()), (596, 842), "A4 from the section properties");

    // The title: red, bold 20 pt, centred under the top margin.
    let (red, [left, top, right, bottom]) = pixels_near(first, [255, 0, 0]);
    assert!(red > 200, "{red} red pixels");
    assert!(((left + right) / 2).abs_diff(298) <= 6, "title centred: {left}..{right}");
    assert!((72..100).contains(&top) && bottom - top >= 12, "title from y {top} to {bottom}");
    // The picture: 2 × 1 in of blue at the left margin.
    let (blue, [left, top, right, bottom]) = pixels_near(first, [0, 0, 255]);
    assert!(blue > 9_000, "{blue} blue pixels");
    assert!(left.abs_diff(72) <= 2 && (right - left).abs_diff(144) <= 3 && (bottom - top).abs_diff(72) <= 3, "picture at {left},{top}-{right},{bottom}");
    let picture_top = top;
    // The table's second row: its first cell shaded cyan, 1.5 in wide, above the picture.
    let (cyan, [left, top, right, _]) = pixels_near(first, [0, 255, 255]);
    assert!(cyan > 800, "{cyan} cyan pixels");
    assert!(left.abs_diff(72) <= 3 && (right - left).abs_diff(106) <= 6 && top < picture_top, "shaded cell at {left},{top}-{right}");
    // Its borders: black vertical lines at the table's left edge and middle, over both rows.
    let table_top = top.saturating_sub(18);
    assert!(ink(first, [70, table_top, 74, top + 10]) >= 20, "left border");
    assert!(ink(first, [176, table_top, 182, top + 10]) >= 20, "middle border");
    // The numbered list, between the paragraph and the table: its labels hang at 0.25 in,
    // its text starts at 0.5 in; nothing at the margin itself.
    let list = [table_top.saturating_sub(40), table_top.saturating_sub(2)];
    assert!(ink(first, [88, list[0], 100, list[1]]) >= 15, "list numbers");
    assert!(ink(first, [106, list[0], 160, list[1]]) >= 60, "list text");
    assert!(ink(first, [60, list[0], 86, list[1]]) == 0, "nothing left of the labels");
    // Green 28 pt text below the picture.
    let (green, [_, top, _, _]) = pixels_near(first, [0, 128, 0]);
    assert!(green > 200 && top > picture_top + 60, "{green} green pixels from y {top}");
    // The header's page number, right-aligned in the top margin on both pages; the
    // numbers differ.
    let header = [440, 25, 525, 60];
    let second = &doc.pages()[1];
    assert!(ink(first, header) > 20 && ink(second, header) > 20, "headers");
    let crop = |page: &docsandbox::Page| -> Vec<u8> {
        (header[1]..header[3])
            .flat_map(|y| (header[0]..header[2]).map(move |x| (x, y)))
            .map(|(x, y)| page.rgba()[((y * page.width() + x) * 4) as usize])
            .collect()
    };
    assert_ne!(crop(first), crop(second), "page numbers differ");
    // The footnote at the foot of page 1, where its reference is: a short rule, then the
    // note, just above the bottom margin (A4, 1 in margins: 770 points down); nothing
    // between it and the body's last line.
    assert!(ink(first, [72, 745, 250, 770]) > 40, "footnote at the foot of page 1");
    assert!(ink(first, [72, 340, 250, 740]) == 0, "the footnote sits at the foot, not after the text");
    // Page 2: its text at the top margin, the floating text box's red text where it is
    // anchored, and no footnote.
    assert!(ink(second, [72, 70, 200, 88]) > 50, "second page text");
    // The box floats at the margin, below the paragraph it is anchored to; its text sits
    // inside its 0.1 in padding and moves nothing else.
    let (red, [left, top, _, bottom]) = pixels_near(second, [255, 0, 0]);
    assert!(red > 40 && (78..=86).contains(&left) && (86..110).contains(&top), "text box text: {red} red pixels at {left},{top}");
    // Its frame: Word's default black outline, 0.1 in left of its text.
    assert!(ink(second, [70, top, 75, bottom]) >= (bottom - top) as usize, "the box's outline left of its text");
    assert!(ink(second, [72, 130, 250, 800]) == 0, "no footnote on page 2");
}

/// The streams of the sample document, for changing.
struct Streams {
    word: Vec<u8>,
    table: Vec<u8>,
    data: Vec<u8>,
}

impl Streams {
    fn sample() -> Self {
        let all = common::streams(LAYOUT);
        let get = |name: &str| all.iter().find(|(n, _)| n == name).map(|(_, d)| d.clone()).unwrap();
        Streams { word: get("WordDocument"), table: get("1Table"), data: get("Data") }
    }

    /// The sample with its main text replaced by `count` empty paragraphs, in one
    /// compressed piece appended to the WordDocument stream.
    fn paragraphs(count: u32) -> Self {
        let mut s = Streams::sample();
        let start = s.word.len() as u32;
        s.word.extend(std::iter::repeat_n(b'\r', count as usize));
        let mut pcdt = vec![0x02];
        pcdt.extend_from_slice(&16u32.to_le_bytes());
        for v in [0, count] {
            pcdt.extend_from_slice(&v.to_le_bytes());
        }
        pcdt.extend_from_slice(&[0, 0]);
        pcdt.extend_from_slice(&((start * 2) | 0x4000_0000).to_le_bytes());
        pcdt.extend_from_slice(&[0, 0]);
        s.put(33, &pcdt);
        s.set(0x4C, count);
        s
    }

    fn bytes(&self) -> Vec<u8> {
        common::compound(&[("WordDocument", &self.word), ("1Table", &self.table), ("Data", &self.data)])
    }

    /// Points FIB pair `index` at `bytes`, appended to the table stream.
    fn put(&mut self, index: usize, bytes: &[u8]) {
        let at = 0x9A + index * 8;
        self.word[at..at + 4].copy_from_slice(&(self.table.len() as u32).to_le_bytes());
        self.word[at + 4..at + 8].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
        self.table.extend_from_slice(bytes);
    }

    fn set(&mut self, at: usize, value: u32) {
        self.word[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// The piece table with `prc` (property groups) before it and every piece's modifier
    /// pointing to the first group.
    fn clx(&self, prc: &[u8]) -> Vec<u8> {
        let fc = u32::from_le_bytes(self.word[0x1A2..0x1A6].try_into().unwrap()) as usize;
        let lcb = u32::from_le_bytes(self.word[0x1A6..0x1AA].try_into().unwrap()) as usize;
        let mut pcdt = self.table[fc..fc + lcb].to_vec();
        let n = (u32::from_le_bytes(pcdt[1..5].try_into().unwrap()) as usize - 4) / 12;
        for i in 0..n {
            let prm = 5 + (n + 1) * 4 + i * 8 + 6;
            pcdt[prm..prm + 2].copy_from_slice(&1u16.to_le_bytes());
        }
        let mut clx = vec![0x01];
        clx.extend_from_slice(&(prc.len() as u16).to_le_bytes());
        clx.extend_from_slice(prc);
        clx.extend_from_slice(&pcdt);
        clx
    }
}

#[test]
fn hostile_doc_ends_fast_with_pages_or_a_typed_error() {
    let sandbox = Sandbox::new(docsandbox::Limits::default()).unwrap();
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut s = Streams::sample();
    s.set(0x4C, u32::MAX);
    cases.push(("a main text of 4 G characters", s.bytes()));
    let mut s = Streams::sample();
    s.set(0x1A2, u32::MAX - 4);
    cases.push(("a piece table past the table stream", s.bytes()));
    cases.push(("400 000 paragraphs", Streams::paragraphs(400_000).bytes()));
    // Everything in the table stream but the piece table is 0xFF: styles, fonts, lists,
    // sections, headers, property bins, drawings.
    let mut s = Streams::sample();
    let fc = u32::from_le_bytes(s.word[0x1A2..0x1A6].try_into().unwrap()) as usize;
    let lcb = u32::from_le_bytes(s.word[0x1A6..0x1AA].try_into().unwrap()) as usize;
    let clx = s.table[fc..fc + lcb].to_vec();
    s.table.iter_mut().for_each(|b| *b = 0xFF);
    s.table[fc..fc + lcb].copy_from_slice(&clx);
    cases.push(("a table stream of 0xFF", s.bytes()));
    // 3 000 styles, each based on the next, the last on the first.
    let mut s = Streams::sample();
    let mut stsh = vec![18, 0];
    stsh.extend_from_slice(&3_000u16.to_le_bytes());
    stsh.extend_from_slice(&[10, 0]);
    stsh.extend_from_slice(&[0; 14]);
    for i in 0..3_000u16 {
        let base = (i + 1) % 3_000;
        let mut std = vec![0, 0];
        std.extend_from_slice(&((base << 4) | 1).to_le_bytes());
        std.extend_from_slice(&2u16.to_le_bytes());
        std.extend_from_slice(&[0; 4]);
        std.extend_from_slice(&[0, 0, 0, 0]);
        std.extend_from_slice(&[4, 0, 0, 0, 0x43, 0x4A]);
        stsh.extend_from_slice(&(std.len() as u16).to_le_bytes());
        stsh.extend_from_slice(&std);
    }
    s.put(1, &stsh);
    cases.push(("3 000 styles based on each other in a ring", s.bytes()));
    // Property groups of sprms claiming 64 KiB operands, a table of 255 cells and a
    // paragraph property group 'in the Data stream' far past its end.
    let mut s = Streams::sample();
    let prc = [0x46, 0x66, 0xFF, 0xFF, 0xFF, 0x7F, 0x08, 0xD6, 0x10, 0x00, 0xFF, 0x08, 0xD6, 0xFF, 0xFF, 0x15, 0xC6, 0xFF, 0xFF];
    let clx = s.clx(&prc);
    s.put(33, &clx);
    cases.push(("sprms of absurd lengths on every piece", s.bytes()));
    // Pictures pointing past a Data stream cut to 10 bytes.
    let mut s = Streams::sample();
    s.data.truncate(10);
    cases.push(("pictures past the Data stream", s.bytes()));
    for (what, bytes) in cases {
        common::ends_with_pages_or_refusal(&sandbox, what, &bytes);
    }
    // Cut at 25 000 paragraphs, and saying so.
    let doc = sandbox.render(&Streams::paragraphs(30_000).bytes(), &RenderOptions::default().dpi(18).pages(1..=1)).unwrap();
    assert!(doc.report().has("content-truncated"), "{:?}", doc.report());
    // A document flagged encrypted without an encryption header is damaged (real encrypted
    // documents are in encrypted.rs); a Word 6.0/95 one is refused by name.
    let mut s = Streams::sample();
    s.word[0x0B] |= 0x01;
    s.word[0x0E..0x12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(sandbox.render(&s.bytes(), &RenderOptions::default()), Err(Error::Malformed(_))));
    let mut s = Streams::sample();
    s.word[2..4].copy_from_slice(&0x0065u16.to_le_bytes());
    match sandbox.render(&s.bytes(), &RenderOptions::default()) {
        Err(Error::Unsupported(message)) => assert!(message.contains("Word 6.0/95"), "{message}"),
        other => panic!("Word 95: {:?}", other.map(|d| d.report().clone())),
    }
}

#[test]
fn a_continuous_section_in_two_columns_fills_both_below_the_heading() {
    // tests/files/columns.doc (scripts/make-columns-sample.py): a red heading, then a
    // continuous section of two columns 3 in wide, 0.5 in apart, holding more blue text
    // than page 1's two columns. Letter, 1 in margins, 72 DPI.
    let doc = common::sandbox().render(include_bytes!("../files/columns.doc"), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 2);
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report().findings);
    let page = &doc.pages()[0];
    let (_, red) = pixels_near(page, [255, 0, 0]);
    let [left, right] = common::blue_halves(page);
    assert!(left[0].abs_diff(72) <= 2 && right[0].abs_diff(324) <= 2, "columns at 72 and 324 pt: {left:?} {right:?}");
    assert!(left[1] > red[3] && right[1] > red[3] && right[1] < red[3] + 30, "both below the heading: {left:?} {right:?} {red:?}");
    assert!(left[3] > 600 && right[3] > 600, "both filled: {left:?} {right:?}");
}

#[test]
fn floating_pictures_and_text_boxes_sit_where_anchored_with_text_wrapped_beside_them() {
    // tests/files/floats.doc (scripts/make-floats-sample.py), Letter, 72 DPI: a red 2 in
    // picture at the left margin and the first paragraph's top, blue text wrapped beside
    // it 9 pt away; a text box 180 × 90 pt right-aligned to the page 2 in from its top,
    // outlined in green, holding magenta text.
    let doc = common::sandbox().render(include_bytes!("../files/floats.doc"), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 1);
    let page = &doc.pages()[0];
    let (_, red) = pixels_near(page, [255, 0, 0]);
    assert!(red.iter().zip([72, 72, 215, 215]).all(|(a, b)| a.abs_diff(b) <= 2), "the picture: {red:?}");
    let (_, outline) = pixels_near(page, [0, 160, 0]);
    assert!(outline.iter().zip([432, 144, 611, 234]).all(|(a, b)| a.abs_diff(b) <= 2), "the text box's outline: {outline:?}");
    let (magenta, text) = pixels_near(page, [255, 0, 255]);
    assert!(magenta > 20 && text[0] > 432 && text[1] > 144 && text[3] < 234, "its text inside it: {text:?}");
    // Blue text: beside the picture it starts right of it; beside the box it ends before
    // it; below both, lines run from margin to margin.
    let blue_rows = |rows: std::ops::Range<u32>| {
        let mut b = [u32::MAX, 0];
        for y in rows {
            for x in 0..page.width() {
                let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
                if p[0] < 60 && p[1] < 60 && p[2] > 200 {
                    b = [b[0].min(x), b[1].max(x)];
                }
            }
        }
        b
    };
    let beside = blue_rows(75..210);
    assert!(beside[0] >= 72 + 144 + 9 - 1, "beside the picture: {beside:?}");
    assert!(blue_rows(150..230)[1] < 432 - 9 + 1, "beside the box: {:?}", blue_rows(150..230));
    let below = blue_rows(240..300);
    assert!(below[0].abs_diff(72) <= 3 && below[1] > 500, "below both: {below:?}");
}

#[test]
fn inline_pictures_sit_in_their_line_and_in_table_cells() {
    // tests/files/inline.doc (scripts/make-floats-sample.py), Letter, 72 DPI: "Before
    // [green 72 × 36 pt picture] after" in blue on the first line; then a table of two
    // 150 pt cells, the second holding a magenta 72 pt square picture.
    let doc = common::sandbox().render(include_bytes!("../files/inline.doc"), &RenderOptions::default().dpi(72)).unwrap();
    common::check_inline_pictures(&doc);
}

#[test]
fn highlighted_and_shaded_runs_show_their_colour_behind_them() {
    // tests/files/highlight.doc (scripts/make-highlight-sample.py), Letter, 72 DPI: 24 pt
    // "aaaa bbbb cccc dddd" from the 1 in margin, "bbbb" highlighted yellow, "dddd" with
    // green run shading.
    let doc = common::sandbox().render(include_bytes!("../files/highlight.doc"), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (yellow, y) = common::pixels_near(page, [255, 255, 0]);
    let (green, g) = common::pixels_near(page, [0, 255, 0]);
    assert!(yellow > 400 && green > 400, "highlight {yellow} px, shading {green} px");
    assert!(y[0] > 72 + 40 && y[2] - y[0] < 80 && y[3] - y[1] >= 20, "behind \"bbbb\": {y:?}");
    assert!(g[0] > y[2] + 30 && g[1].abs_diff(y[1]) <= 2, "behind \"dddd\", later on the line: {g:?}");
}

#[test]
fn page_borders_and_pictures_and_text_boxes_in_the_header_are_drawn() {
    // tests/files/page-border.doc (scripts/make-page-border-sample.py), Letter, 72 DPI: a
    // red page border 12 pt outside the text (margins 60 pt across, the header at 36 pt
    // down, 72 pt up), a 72 × 36 pt blue picture floating in the header and a text box
    // with green "Boxed" beside it. LibreOffice draws the border's box at 60..551 ×
    // 36..719, the picture at 470..540 × 50..85 and the text at 219..252 × 54..62.
    let doc = common::sandbox().render(include_bytes!("../files/page-border.doc"), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (red, [left, top, right, bottom]) = common::pixels_near(page, [255, 0, 0]);
    assert!(red > 1_500, "{red} red px");
    for (got, want) in [(left, 60), (top, 36), (right, 551), (bottom, 719)] {
        assert!(got.abs_diff(want) <= 3, "the border's box {left},{top}-{right},{bottom}");
    }
    // Only its outline: the middle of the page is white.
    let middle = &page.rgba()[((400 * page.width() + 300) * 4) as usize..][..3];
    assert_eq!(middle, [255, 255, 255]);
    let (blue, [x0, y0, x1, y1]) = common::pixels_near(page, [0, 0, 255]);
    assert!(
        blue > 2_000 && x0.abs_diff(470) <= 3 && y0.abs_diff(50) <= 3 && x1.abs_diff(540) <= 3 && y1.abs_diff(85) <= 3,
        "the header's picture at {x0},{y0}-{x1},{y1}"
    );
    let (green, [x0, y0, x1, y1]) = common::pixels_near(page, [0, 160, 0]);
    assert!(green > 15 && x0.abs_diff(219) <= 15 && y0.abs_diff(54) <= 6 && x1 < 300 && y1 < 80, "the header's text box text at {x0},{y0}-{x1},{y1}");
}

#[test]
fn shaded_boxed_headers_are_one_block_footers_end_at_their_distance_and_tables_sit_where_aligned() {
    // tests/files/shaded-header.doc (scripts/make-shaded-header-sample.py), Letter, 1 in
    // margins, 72 DPI. LibreOffice draws: the header's grey (#c0c0c0) shading and border as
    // one block 62..549 × 36..68, the text 9 pt inside it; the footer's text on rows
    // 745..753 (its guard paragraph mark is not a line of it); the 3 in table at the
    // right margin, its left border at x 324.
    let doc = common::sandbox().render(include_bytes!("../files/shaded-header.doc"), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let at = |x: u32, y: u32| common::rgb_at(page, x, y);
    // The space between the text and the border is shaded: left of the text, above it,
    // below it.
    for (x, y) in [(66, 52), (300, 39), (300, 66), (545, 52)] {
        assert_eq!(at(x, y), [192, 192, 192], "the header block at {x},{y}");
    }
    // Its edges, along the row and the column through its middle.
    let grey = |x: u32, y: u32| at(x, y) == [192, 192, 192];
    let across: Vec<u32> = (0..612).filter(|&x| grey(x, 52)).collect();
    let down: Vec<u32> = (0..200).filter(|&y| grey(300, y)).collect();
    let (left, right) = (across.first().copied().unwrap_or(0), across.last().copied().unwrap_or(0));
    let (top, bottom) = (down.first().copied().unwrap_or(0), down.last().copied().unwrap_or(0));
    assert_eq!(down.len() as u32, bottom - top + 1, "one block down, without a white band: {down:?}");
    for (got, want) in [(left, 62), (top, 36), (right, 549), (bottom, 68)] {
        assert!(got.abs_diff(want) <= 2, "the header block {left},{top}-{right},{bottom}");
    }
    // The footer's one line ends 0.5 in above the page's edge, as the footer's distance
    // puts it.
    let footer = (700..792).filter(|&y| ink(page, [60, y, 200, y + 1]) > 0).collect::<Vec<_>>();
    let (first, last) = (footer.first().copied().unwrap_or(0), footer.last().copied().unwrap_or(0));
    assert!(first.abs_diff(745) <= 3 && last.abs_diff(753) <= 3, "the footer's text on rows {first}..{last}");
    // The table's left border: 3 in left of the right margin.
    let border = (250..540).find(|&x| ink(page, [x, 95, x + 1, 96]) > 0).unwrap_or(0);
    assert!(border.abs_diff(324) <= 4, "the right-aligned table starts at x {border}");
}

#[test]
fn a_paragraph_holding_only_anchors_keeps_its_line_and_drawing_shapes_are_drawn() {
    // tests/files/anchor-line.doc (scripts/make-anchor-line-sample.py): Letter, 1 in
    // margins; a first paragraph holding only the anchors of a text box and two drawing
    // shapes, then a blue line. As in
    // LibreOffice (measured: the blue letters at rows 89..96 at 72 DPI), the first
    // paragraph keeps its empty 12 pt line, so the blue line is not at the margin.
    let doc = common::sandbox().render(include_bytes!("../files/anchor-line.doc"), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (mut blue, mut top, mut bottom, mut left) = (0, u32::MAX, 0, u32::MAX);
    for y in 0..page.height() {
        for x in 0..300 {
            let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
            if p[2] > 200 && p[0] < 80 && p[1] < 80 {
                (blue, top, bottom, left) = (blue + 1, top.min(y), bottom.max(y), left.min(x));
            }
        }
    }
    assert!(blue > 20 && left.abs_diff(73) <= 2, "{blue} blue px from {left}");
    assert!(top.abs_diff(89) <= 2 && bottom.abs_diff(96) <= 2, "the blue line one line below the margin: {top}..{bottom}");
    // The text box floats 3 in from the margin, at the first paragraph's top.
    let ink_right: usize = (72..110u32).map(|y| (288..360u32).filter(|&x| page.rgba()[((y * page.width() + x) * 4) as usize] < 100).count()).sum();
    assert!(ink_right > 20, "the text box's frame and text: {ink_right} px");
    // Its two drawing shapes, drawn where LibreOffice draws them (measured: the ellipse at
    // 72,180-143,215, the rectangle at 289,181-359,215): a green ellipse (less than its
    // box) and a red rectangle (its whole box), 1 × 0.5 in, 1.5 in below the paragraph.
    let (green, [gl, gt, gr, gb]) = pixels_near(page, [0, 255, 0]);
    assert!(green > 1_500 && green < 72 * 36 - 300, "an ellipse: {green} px");
    for (got, want) in [(gl, 72), (gt, 180), (gr, 143), (gb, 215)] {
        assert!(got.abs_diff(want) <= 2, "the ellipse at {gl},{gt}-{gr},{gb}");
    }
    let (red, [rl, rt, rr, rb]) = pixels_near(page, [255, 0, 0]);
    assert!(red > 2_300, "a filled rectangle: {red} px");
    for (got, want) in [(rl, 289), (rt, 181), (rr, 359), (rb, 215)] {
        assert!(got.abs_diff(want) <= 2, "the rectangle at {rl},{rt}-{rr},{rb}");
    }
    assert!(!doc.report().has("content-not-shown"), "{:?}", doc.report().findings);
}
