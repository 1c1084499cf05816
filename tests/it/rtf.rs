//! RTF documents through the public API: text in its code page, tables, pictures, headers
//! with page numbers and page breaks drawn where they belong; active content reported and
//! never run; hostile RTF ending fast with pages or a typed error.

use crate::common::{self, pixels_near};

use std::time::{Duration, Instant};

use docsandbox::{ErrorKind, Limits, RenderOptions, Sandbox};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An A4 document (1 inch margins): a header with the page number, a red bold Japanese
/// title in `title`'s encoding, a bordered 2×2 table, a blue 120×60 pt picture, then a
/// second page.
fn sample(title: &str) -> Vec<u8> {
    let picture = hex(&common::solid_png(40, 20, [0, 0, 255]));
    let cell = "\\clbrdrt\\brdrs\\brdrw10\\clbrdrl\\brdrs\\brdrw10\\clbrdrb\\brdrs\\brdrw10\\clbrdrr\\brdrs\\brdrw10";
    format!(
        "{{\\rtf1\\ansi\\ansicpg932\\deff1{{\\fonttbl{{\\f0\\fnil\\fcharset128 MS Mincho;}}{{\\f1\\fswiss\\fcharset0 Arial;}}}}\
{{\\colortbl;\\red255\\green0\\blue0;}}\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440\\headery500\
{{\\header\\pard\\qr\\f1\\fs20 Page {{\\field{{\\*\\fldinst PAGE}}{{\\fldrslt 1}}}}\\par}}\
\\pard\\sa200\\f0\\fs48\\b\\cf1 {title}\\par\\plain\
\\trowd{cell}\\cellx3000{cell}\\cellx6000\\pard\\intbl\\f1\\fs22 A1\\cell B1\\cell\\row\
\\trowd{cell}\\cellx3000{cell}\\cellx6000\\pard\\intbl A2\\cell B2\\cell\\row\
\\pard\\sb200{{\\*\\shppict{{\\pict\\pngblip\\picw40\\pich20\\picwgoal2400\\pichgoal1200 {picture}}}}}{{\\nonshppict{{\\pict\\wmetafile8 0102}}}}\\par\
\\page second page\\par}}"
    )
    .into_bytes()
}

#[test]
fn rtf_draws_text_tables_pictures_headers_and_page_breaks() {
    let sandbox = common::sandbox();
    // "日本語の報告書" in Shift_JIS, as `\'hh` escapes.
    let sjis: String = [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x95, 0xf1, 0x8d, 0x90, 0x8f, 0x91].iter().map(|b| format!("\\'{b:02x}")).collect();
    let doc = sandbox.render(&sample(&sjis), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.report().format.as_deref(), Some("rtf"));
    assert_eq!(doc.report().page_count, Some(2));
    assert_eq!(doc.pages().len(), 2);
    let first = &doc.pages()[0];
    assert_eq!((first.width(), first.height()), (596, 842), "A4 at 72 DPI (rounded up): {}x{}", first.width(), first.height());

    // The title is red, inside the margins, near the top.
    let (red, [_, top, _, bottom]) = pixels_near(first, [255, 0, 0]);
    assert!(red > 200, "{red} red pixels");
    assert!((72..130).contains(&top) && bottom < 140, "title from y {top} to {bottom}");
    // The picture: 120×60 pt of blue, left-aligned at the margin, below the table.
    let (blue, [left, top, right, bottom]) = pixels_near(first, [0, 0, 255]);
    assert!((6_000..8_000).contains(&blue), "{blue} blue pixels");
    assert!(left.abs_diff(72) <= 2 && (right - left).abs_diff(120) <= 2 && (bottom - top).abs_diff(60) <= 2, "picture at {left},{top}-{right},{bottom}");
    // The table's borders: three horizontal lines across its 300 pt, above the picture
    // (a half-point line may fall across two pixel rows: adjacent rows are one line).
    let ruled = |y: u32| (72..372).filter(|x| first.rgba()[((y * first.width() + x) * 4) as usize] < 235).count() > 250;
    // (The picture abuts the table: its first row may share the bottom border's.)
    let lines = (top.saturating_sub(100)..=top).filter(|&y| ruled(y) && !ruled(y - 1)).count();
    assert!(lines >= 3, "{lines} border lines above the picture");
    // The header's page number, right-aligned near the top on both pages; the second page
    // holds its text.
    for page in doc.pages() {
        let band: Vec<u8> = page.rgba()[(20 * page.width() * 4) as usize..(45 * page.width() * 4) as usize].to_vec();
        assert!(common::ink(&band) > 0.0005, "page {}: no header", page.number());
    }
    assert!(common::ink(doc.pages()[1].rgba()) > 0.0005);

    // The same title written as `\uN` escapes draws the same pixels: the code page was right.
    let unicode: String = "日本語の報告書".chars().map(|c| format!("\\u{}?", c as u32)).collect();
    let same = sandbox.render(&sample(&unicode), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(same.pages()[0].rgba(), first.rgba(), "Shift_JIS and Unicode titles differ");
    // And not the pixels of some other text.
    let other = sandbox.render(&sample("\\u26481?\\u20140?"), &RenderOptions::default().dpi(72)).unwrap();
    assert_ne!(other.pages()[0].rgba(), first.rgba());
}

#[test]
fn rtf_active_content_is_reported_and_not_drawn_content_is_named() {
    let sandbox = common::sandbox();
    let rtf = b"{\\rtf1\\ansi{\\field{\\*\\fldinst DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"}{\\fldrslt x}}\
{\\field{\\*\\fldinst INCLUDEPICTURE \"http://example.com/a.png\" \\\\d}{\\fldrslt }}\
{\\object\\objautlink\\objupdate{\\*\\objclass Word.Document.8}{\\*\\objdata 0105000002000000}{\\result shown}}\
{\\pict\\emfblip 0100000058000000}\\par}";
    let report = sandbox.inspect(rtf, &RenderOptions::default()).unwrap();
    assert_eq!(report.format.as_deref(), Some("rtf"));
    for (kind, detail) in
        [("dde", "DDEAUTO"), ("external-image", "http://example.com"), ("external-ole-object", "updates itself"), ("content-not-shown", "EMF")]
    {
        assert!(report.findings.iter().any(|f| f.kind == kind && f.detail.contains(detail)), "no {kind} with {detail:?}: {report:?}");
    }
    assert!(report.findings.iter().find(|f| f.kind == "dde").unwrap().is_warning());
    let doc = sandbox.render(rtf, &RenderOptions::default().dpi(40)).unwrap();
    assert_eq!(doc.pages().len(), 1);
}

#[test]
fn hostile_rtf_ends_fast_with_pages_or_a_typed_error() {
    let sandbox = Sandbox::new(Limits::default().deadline(Duration::from_secs(20))).unwrap();
    let deep = |n: usize| format!("{{\\rtf1 a{}b{}", "{".repeat(n), "}".repeat(n)).into_bytes();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("groups 1 000 000 deep", deep(1_000_000)),
        ("groups opened and never closed", format!("{{\\rtf1 {}x", "{\\b ".repeat(500_000)).into_bytes()),
        ("closing braces only", format!("{{\\rtf1 x{}", "}".repeat(1_000_000)).into_bytes()),
        ("a giant \\bin", b"{\\rtf1 x\\bin2147483647 abc}".to_vec()),
        ("a negative \\bin", b"{\\rtf1 x\\bin-5 abc\\par}".to_vec()),
        ("a 16 MB hex picture", format!("{{\\rtf1{{\\pict\\pngblip {}}}}}", "ab".repeat(8 << 20)).into_bytes()),
        ("300 000 paragraphs", format!("{{\\rtf1 {}}}", "p\\par ".repeat(300_000)).into_bytes()),
        (
            "a table row of 100 000 cells",
            format!("{{\\rtf1\\trowd{}\\pard\\intbl{}\\row}}", "\\cellx100".repeat(100_000), "c\\cell".repeat(100_000)).into_bytes(),
        ),
        ("absurd sizes and indents", b"{\\rtf1\\paperw-5\\paperh99999999999\\fs999999999\\li-999999999\\sl-2147483648 x\\par}".to_vec()),
        ("lone surrogates and \\uc overflow", b"{\\rtf1\\uc99999\\u-10179\\u-10179 x\\u-8694 y\\par}".to_vec()),
        ("a font table loop", format!("{{\\rtf1{{\\fonttbl{}}} x}}", "{\\f1\\fcharset128 a;}".repeat(100_000)).into_bytes()),
    ];
    // Styles based on each other in a circle and 4 000 deep, a character style of many
    // words named a million times; shapes of absurd size, 50 000 of them, and shapes
    // nested in each other's text.
    let chain: String = (0..4_000).map(|i| format!("{{\\s{i}\\sbasedon{}\\fs{} s;}}", i + 1, 20 + i % 50)).collect();
    let circle = "{\\s1\\sbasedon2\\b a;}{\\s2\\sbasedon1\\i b;}";
    let wordy = format!("{{\\*\\cs9{} w;}}", "\\b\\i\\ul\\fs30".repeat(200));
    cases.push((
        "styles in a circle, 4 000 deep and named a million times",
        format!("{{\\rtf1{{\\stylesheet{chain}{circle}{wordy}}}\\s1 a\\par\\s0 b{}\\par}}", "\\cs9 x".repeat(1_000_000)).into_bytes(),
    ));
    let shape = "{\\shp{\\*\\shpinst\\shpleft-2147483648\\shptop99999999\\shpright2147483647\\shpbottom-99999999{\\sp{\\sn shapeType}{\\sv 3}}{\\sp{\\sn fillType}{\\sv 7}}{\\sp{\\sn lineWidth}{\\sv 2147483647}}{\\sp{\\sn fillColor}{\\sv -1}}{\\sp{\\sn fillAngle}{\\sv 99999999999}}}}";
    cases.push(("50 000 shapes of absurd size", format!("{{\\rtf1 {}x\\par}}", shape.repeat(50_000)).into_bytes()));
    cases.push((
        "shapes nested in shapes' text",
        format!("{{\\rtf1 {}x{}\\par}}", "{\\shp{\\*\\shpinst\\shpright999{\\shptxt t\\par ".repeat(2_000), "}}}".repeat(2_000)).into_bytes(),
    ));
    cases.push(("only the magic", b"{\\rtf".to_vec()));
    for (name, rtf) in cases {
        let started = Instant::now();
        let outcome = sandbox.render(&rtf, &RenderOptions::default().dpi(30));
        let took = started.elapsed();
        assert!(took < Duration::from_secs(15), "{name}: {took:?}");
        match outcome {
            Ok(doc) => assert!(!doc.pages().is_empty(), "{name}: no pages"),
            // A bound may stop it; the reader itself never crashes.
            Err(e) => assert_eq!(e.kind(), ErrorKind::Limit, "{name}: {e}"),
        }
    }
}

/// The longest horizontal run of dark pixels on a page, in pixels.
fn longest_dark_run(page: &docsandbox::Page) -> u32 {
    let mut longest = 0;
    for row in page.rgba().chunks_exact(page.width() as usize * 4) {
        let mut run = 0;
        for p in row.chunks_exact(4) {
            run = if p[0] < 128 { run + 1 } else { 0 };
            longest = longest.max(run);
        }
    }
    longest
}

#[test]
fn underline_and_strike_cover_only_the_text_that_carries_them() {
    let sandbox = common::sandbox();
    let line = |word: &str| format!("{{\\rtf1{{\\fonttbl{{\\f0 Arial;}}}}\\f0\\fs48 aaaaaaaa {word} cccccccc\\par}}").into_bytes();
    let plain = sandbox.render(&line("bbbb"), &RenderOptions::default().dpi(72)).unwrap();
    // Plain text has no long horizontal stroke.
    assert!(longest_dark_run(&plain.pages()[0]) < 30);
    for decorated in ["{\\ul bbbb}", "{\\strike bbbb}"] {
        let doc = sandbox.render(&line(decorated), &RenderOptions::default().dpi(72)).unwrap();
        let stroke = longest_dark_run(&doc.pages()[0]);
        // "bbbb" at 24 pt is about 55 px wide; the whole line about 290 px.
        assert!((40..90).contains(&stroke), "{decorated}: a stroke {stroke} px long");
    }
}

/// Rows of `page` (72 DPI) holding an inked run (a thin rule may be grey) at least `length`
/// pixels long.
fn rule_rows(page: &docsandbox::Page, length: u32) -> Vec<u32> {
    let width = page.width() as usize * 4;
    let mut rows = Vec::new();
    for (y, row) in page.rgba().chunks_exact(width).enumerate() {
        let mut run = 0;
        if row.chunks_exact(4).any(|p| {
            run = if p[0] < 200 { run + 1 } else { 0 };
            run >= length
        }) {
            rows.push(y as u32);
        }
    }
    rows
}

#[test]
fn footnotes_sit_at_the_foot_of_the_page_their_reference_is_on() {
    // US Letter, 1 in margins: the text ends 720 points down. 80 paragraphs, each with a
    // footnote; the 20th note is 40 lines long, too tall for a page's foot, so it goes
    // after the body.
    let mut body = String::new();
    for n in 1..=80 {
        let note = if n == 20 { "Long note line.\\line ".repeat(40) } else { format!("Note {n}.") };
        body.push_str(&format!("\\pard\\fs24 Paragraph {n}{{\\super\\chftn}}{{\\footnote\\pard\\fs20{{\\super\\chftn}} {note}\\par}}\\par\n"));
    }
    let rtf =
        format!("{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0\\fswiss Arial;}}}}\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\n{body}}}");
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    assert!(doc.pages().len() >= 4, "{} pages", doc.pages().len());
    let first = &doc.pages()[0];
    // Page 1's foot: the two-inch rule, then its notes down to the bottom margin; nothing
    // of the body runs into them.
    let rules: Vec<u32> = rule_rows(first, 140).into_iter().filter(|&y| y > 300).collect();
    let rule = *rules.first().expect("a footnote rule on page 1");
    assert!(rule < 700, "rule at {rule}");
    assert!(common::ink(&first.rgba()[(rule as usize - 5) * 612 * 4..(rule as usize - 1) * 612 * 4]) == 0.0, "the body runs into the notes");
    assert!(common::ink(&first.rgba()[(rule as usize + 3) * 612 * 4..718 * 612 * 4]) > 0.01, "notes under the rule");
    assert!(common::ink(&first.rgba()[722 * 612 * 4..]) == 0.0, "nothing in the bottom margin");
    // Every page has notes at its foot; on the last, the tall note follows the body's end
    // under a short rule of its own (a line of text), well above the foot's rule.
    for (i, page) in doc.pages().iter().enumerate() {
        assert!(rule_rows(page, 140).iter().any(|&y| y > 300), "page {}: no footnotes at its foot", i + 1);
    }
    let last = doc.pages().last().unwrap();
    let foot_rule = *rule_rows(last, 140).iter().rfind(|&&y| y > 300).unwrap();
    let inked_rows = (72..foot_rule).filter(|&y| common::ink(&last.rgba()[y as usize * 612 * 4..(y as usize + 1) * 612 * 4]) > 0.0).count();
    assert!(inked_rows > 300, "the tall note after the body: {inked_rows} rows of ink above the foot");
}

#[test]
fn a_keep_with_next_heading_is_never_left_alone_at_the_foot_of_a_page() {
    // Letter, 1 in margins. `lines` black filler lines push a red heading marked keep
    // with next (`\keepn`) down the page; a blue paragraph follows it. Whatever the
    // filler, a page that shows the heading shows the blue text under it; and for some
    // filler the heading moves to the next page, where it leads.
    let sandbox = common::sandbox();
    let mut moved = false;
    for lines in 38..=50 {
        let filler = "\\pard\\fs24 Filler line\\par\n".repeat(lines);
        let rtf = format!(
            "{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0\\fswiss Arial;}}}}{{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;}}\
\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\n{filler}\
\\pard\\keepn\\sb120\\b\\fs32\\cf1 Heading\\par\\pard\\plain\\fs24\\cf2 Body text after the heading.\\par}}"
        );
        let doc = sandbox.render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
        for (i, page) in doc.pages().iter().enumerate() {
            let (red, [_, red_top, _, red_bottom]) = pixels_near(page, [255, 0, 0]);
            if red == 0 {
                continue;
            }
            let (blue, [_, blue_top, _, _]) = pixels_near(page, [0, 0, 255]);
            assert!(blue > 0 && blue_top > red_bottom, "{lines} filler lines: the heading is alone at the foot of page {}", i + 1);
            if i > 0 && red_top < 100 {
                moved = true;
            }
        }
    }
    assert!(moved, "the heading never moved to the next page");
}

#[test]
fn superscript_sits_above_the_baseline_and_subscript_below() {
    // 40 pt: a black X, a red superscript 2 and a blue subscript 2 after it.
    let rtf = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;}\
\\pard\\fs80 X{\\super\\cf1 2}X{\\sub\\cf2 2}X\\par}";
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let (_, [_, x_top, _, x_bottom]) = pixels_near(page, [0, 0, 0]);
    let (red, [_, red_top, _, red_bottom]) = pixels_near(page, [255, 0, 0]);
    let (blue, [_, blue_top, _, blue_bottom]) = pixels_near(page, [0, 0, 255]);
    assert!(red > 20 && blue > 20, "{red} red, {blue} blue pixels");
    let height = x_bottom - x_top;
    // Smaller than the X, the superscript's foot well above the X's baseline and its top
    // near the X's top; the subscript's foot below the baseline.
    assert!(red_bottom - red_top < height * 3 / 4 && blue_bottom - blue_top < height * 3 / 4, "script digits are smaller");
    assert!(red_bottom + height / 4 < x_bottom && red_top + 4 < x_top + height / 4, "superscript at {red_top}..{red_bottom}, X at {x_top}..{x_bottom}");
    assert!(blue_bottom > x_bottom + 1, "subscript at {blue_top}..{blue_bottom}, X at {x_top}..{x_bottom}");
}

#[test]
fn a_footnote_referred_to_outside_the_body_text_still_shows_after_it() {
    // A note referred to from the header: no page's text refers to it, so it cannot sit
    // at a page's foot; it comes after the body (in red) rather than being lost.
    let rtf = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red255\\green0\\blue0;}\
{\\header\\pard Header{\\super\\chftn}{\\footnote\\pard\\cf1\\fs40 Header note.\\par}\\par}\\pard\\fs24 Body text.\\par}";
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    let (red, _) = pixels_near(&doc.pages()[0], [255, 0, 0]);
    assert!(red > 50, "the header's note is not shown: {red} red pixels");
}

#[test]
fn tab_stops_and_heading_rows_follow_the_control_words() {
    // Letter, 1 in margins, 72 DPI: a right stop with dots at 6 in (\tqr\tldot\tx8640),
    // the red number ends there; a heading row (\trhdr, cyan) over 80 rows repeats on
    // every page.
    let row = |fill: &str, text: &str| format!("\\trowd{fill}\\cellx4000\\pard\\intbl {text}\\cell\\row");
    let rows: String = (0..80).map(|i| row("", &format!("row {i}"))).collect();
    let rtf = format!(
        "{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0\\fswiss Arial;}}}}{{\\colortbl;\\red255\\green0\\blue0;\\red0\\green255\\blue255;}}\
\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\
\\pard\\tqr\\tldot\\tx8640\\fs32\\b Contents\\tab{{\\cf1 42}}\\par\\plain\\fs22\
\\trowd\\trhdr\\clcbpat2\\cellx4000\\pard\\intbl Heading\\cell\\row{rows}\\pard after\\par}}"
    );
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    let (red, r) = pixels_near(&doc.pages()[0], [255, 0, 0]);
    assert!(red > 10 && r[2].abs_diff(72 + 432) <= 2, "the number ends at the stop: {r:?}");
    assert!(doc.pages().len() >= 2);
    for (n, page) in doc.pages().iter().enumerate() {
        let (cyan, c) = pixels_near(page, [0, 255, 255]);
        // Under the contents line on page 1, at the top of the text area after it.
        let top = if n == 0 { 110 } else { 74 };
        assert!(cyan > 500 && c[1] <= top, "page {}: the heading row at the top: {c:?}", n + 1);
    }
}

#[test]
fn a_continuous_section_in_two_columns_fills_both_below_the_heading() {
    // The RTF that scripts/make-columns-sample.py saves as tests/files/columns.doc: the
    // second section (\sect\sectd\sbknone\cols2\colsx720) continues on page 1 in two
    // columns 3 in wide, 0.5 in apart. Letter, 1 in margins, 72 DPI.
    let lines: String = (0..80).map(|i| format!("\\pard\\plain\\b\\fs32\\cf2 Column text {i}\\par\n")).collect();
    let rtf = format!(
        "{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0\\fswiss Arial;}}}}{{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;}}\
\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\n\\sectd\\pard\\plain\\b\\fs32\\cf1 Heading across the page\\par\n\
\\sect\\sectd\\sbknone\\cols2\\colsx720\n{lines}}}"
    );
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(doc.pages().len(), 2);
    let page = &doc.pages()[0];
    let (_, red) = pixels_near(page, [255, 0, 0]);
    let [left, right] = common::blue_halves(page);
    assert!(left[0].abs_diff(72) <= 2 && right[0].abs_diff(324) <= 2, "columns at 72 and 324 pt: {left:?} {right:?}");
    assert!(left[1] > red[3] && right[1] > red[3] && right[1] < red[3] + 30, "both below the heading: {left:?} {right:?} {red:?}");
}

#[test]
fn pictures_in_the_text_sit_in_their_line_and_in_table_cells() {
    // "Before [green 72 × 36 pt picture] after" in blue, then a row of two 150 pt cells, the
    // second holding a magenta 72 pt square picture. A4, 1 in margins, 72 DPI.
    let green = hex(&common::solid_png(20, 10, [0, 255, 0]));
    let magenta = hex(&common::solid_png(20, 20, [255, 0, 255]));
    let rtf = format!(
        "{{\\rtf1\\ansi{{\\colortbl;\\red0\\green0\\blue255;}}\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440\
\\pard\\b\\fs28\\cf1 Before {{\\*\\shppict{{\\pict\\pngblip\\picwgoal1440\\pichgoal720 {green}}}}} after\\par\
\\trowd\\cellx3000\\cellx6000\\pard\\intbl Cell\\cell {{\\pict\\pngblip\\picwgoal1440\\pichgoal1440 {magenta}}}\\cell\\row\\pard\\par}}"
    );
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    common::check_inline_pictures(&doc);
}

#[test]
fn cells_sit_at_their_vertical_alignment_in_a_row_of_set_height() {
    // A row at least 144 pt tall (`\trrh2880`): top, centre and bottom cells, red, blue
    // and green, on A4 with 1 inch margins at 72 DPI.
    let rtf = "{\\rtf1\\ansi{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;\\red0\\green160\\blue0;}\
\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440\
\\trowd\\trrh2880\\clvertalt\\cellx3000\\clvertalc\\cellx6000\\clvertalb\\cellx9000\
\\pard\\intbl\\fs32\\b\\cf1 Top\\cell\\cf2 Centre\\cell\\cf3 Bottom\\cell\\row\\pard\\par}";
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let middle = |rgb: [u8; 3]| {
        let (n, b) = pixels_near(page, rgb);
        assert!(n > 10, "{rgb:?} is drawn");
        (b[1] + b[3]) / 2
    };
    assert!(middle([255, 0, 0]) < 72 + 30);
    assert!(middle([0, 0, 255]).abs_diff(72 + 72) <= 5, "centred: {}", middle([0, 0, 255]));
    let bottom = middle([0, 160, 0]);
    assert!(bottom > 72 + 144 - 30 && bottom < 72 + 144, "at the bottom: {bottom}");
}

#[test]
fn east_asian_and_complex_script_text_take_their_associated_formatting() {
    // After `\dbch` the associated words (`\afs`, `\ab`) format East Asian text, after
    // `\rtlch` Arabic and Hebrew; Latin text keeps the plain words' 10 pt. As LibreOffice and
    // Word write Japanese RTF: the kanji (red) at 24 pt, the Arabic (green) at 24 pt, the
    // Latin letters (blue) at 10 pt.
    let rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\fnil\\fcharset128 MS Gothic;}}\
{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;\\red0\\green160\\blue0;}\\margl1440\\margr1440\\margt1440\\margb1440\
\\pard{\\rtlch\\afs48 \\ltrch\\loch\\f0\\fs20\\dbch\\af1\\afs48\\ab\\cf1 \\u26085?\\u26412?\\cf2 HHH\\cf3  \\u1576?\\u1576?\\u1576?}\\par}";
    let doc = common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let height = |rgb: [u8; 3]| {
        let (n, b) = pixels_near(page, rgb);
        assert!(n > 5, "{rgb:?} is drawn");
        b[3] - b[1]
    };
    let (kanji, latin, arabic) = (height([255, 0, 0]), height([0, 0, 255]), height([0, 160, 0]));
    assert!(kanji >= 17, "the kanji at 24 pt: {kanji}");
    assert!(latin <= 9, "the letters at 10 pt: {latin}");
    assert!(arabic >= 10, "the Arabic at 24 pt: {arabic}");
}

#[test]
fn highlighted_text_shows_its_colour_behind_it_only() {
    // `\highlight2` picks the colour table's second entry (yellow) behind "bbbb" only.
    let rtf = b"{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;\\red255\\green255\\blue0;}\\f0\\fs48 aaaa {\\highlight2 bbbb} cccc\\par}";
    let doc = common::sandbox().render(rtf, &RenderOptions::default().dpi(72)).unwrap();
    let (yellow, [left, top, right, bottom]) = common::pixels_near(&doc.pages()[0], [255, 255, 0]);
    assert!(yellow > 500, "the highlight: {yellow} px");
    // "aaaa " at 24 pt is about 75 px from the 1 inch margin; "bbbb" about 55 px wide.
    assert!(left > 72 + 50 && right - left < 90 && bottom - top >= 20, "behind \"bbbb\" only: {left}..{right} x {top}..{bottom}");
    let plain = common::sandbox().render(b"{\\rtf1\\f0\\fs48 aaaa {\\highlight0 bbbb} cccc\\par}", &RenderOptions::default().dpi(72)).unwrap();
    assert_eq!(common::pixels_near(&plain.pages()[0], [255, 255, 0]).0, 0, "\\highlight0 is none");
}

/// Paper of 612 × 792 pt with 1 inch margins, Arial, red (1), blue (2), green (3).
const HEAD: &str = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;\\red0\\green160\\blue0;}\
\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440";

fn render72(rtf: &str) -> docsandbox::Document {
    common::sandbox().render(rtf.as_bytes(), &RenderOptions::default().dpi(72)).unwrap()
}

#[test]
fn paragraphs_take_their_styles_formatting_as_libreoffice_writes_it() {
    // As LibreOffice writes RTF: a style holds its own words only, and the text names the
    // style without repeating them. Heading (1) is based on Normal (0, 10 pt) and adds 36 pt
    // red; Emphasis (10) is a blue character style based on another (11, bold).
    let rtf = |sheet: &str| {
        format!(
            "{HEAD}{sheet}\\pard\\plain\\s1 Heading\\par\\pard\\plain\\s0 Normal text {{\\cs10 emphasised}} and \
{{\\field{{\\*\\fldinst MACROBUTTON None Click here}}}}\\par}}"
        )
    };
    let sheet =
        "{\\stylesheet{\\s0\\fs20 Normal;}{\\s1\\sbasedon0\\sb0\\sa600\\cf1\\fs72 Heading;}{\\*\\cs11\\b Strong;}{\\*\\cs10\\sbasedon11\\cf2 Emphasis;}}";
    let styled = render72(&rtf(sheet));
    let page = &styled.pages()[0];
    let (red, [_, top, _, bottom]) = pixels_near(page, [255, 0, 0]);
    // "Heading" at 36 pt: capitals about 26 px tall.
    assert!(red > 300 && bottom - top >= 22, "the heading in red at 36 pt: {red} px, {top}..{bottom}");
    let (blue, [_, blue_top, _, _]) = pixels_near(page, [0, 0, 255]);
    assert!(blue > 40, "the character style's blue: {blue} px");
    // 30 pt below the heading (its space after), the 10 pt line.
    assert!(blue_top > bottom + 25, "the body line sits below the heading's spacing: {blue_top} after {bottom}");
    // The MACROBUTTON field shows its prompt: the line is longer than without it.
    let without = render72(&rtf(sheet).replace("Click here", ""));
    assert!(common::ink(page.rgba()) > common::ink(without.pages()[0].rgba()) * 1.05, "the macro button's text is shown");
    // Without the stylesheet the heading is neither red nor large.
    let plain = render72(&rtf(""));
    assert_eq!(pixels_near(&plain.pages()[0], [255, 0, 0]).0, 0);
}

#[test]
fn paragraph_shading_borders_and_shapes_are_drawn_where_they_are() {
    // A green-shaded paragraph with a box border; a blue rectangle 1 inch from the page's
    // corner; a text box with red text; a shaded rectangle, white at the top and bright
    // green below.
    let rect = |at: &str, props: &str, text: &str| format!("{{\\shp{{\\*\\shpinst{at}\\shpbxpage\\shpbypage\\shpwr3{props}{text}}}}}");
    let sp = |name: &str, value: &str| format!("{{\\sp{{\\sn {name}}}{{\\sv {value}}}}}");
    let blue = rect("\\shpleft1440\\shptop7200\\shpright2880\\shpbottom8640", &(sp("fillColor", "16711680") + &sp("fLine", "0")), "");
    let text_box = rect("\\shpleft4320\\shptop7200\\shpright7200\\shpbottom8640", &sp("shapeType", "202"), "{\\shptxt\\pard\\plain\\fs28\\cf1 boxed\\par}");
    let shaded = rect(
        "\\shpleft7920\\shptop7200\\shpright10080\\shpbottom10080",
        &(sp("fillType", "7") + &sp("fillColor", "65280") + &sp("fillBackColor", "16777215") + &sp("fLine", "0")),
        "",
    );
    let doc = render72(&format!("{HEAD}\\pard\\cbpat3\\box\\brdrs\\brdrw30\\brdrcf2\\brsp100\\fs24 shaded\\par\\pard {blue}{text_box}{shaded}anchor\\par}}"));
    let page = &doc.pages()[0];
    let (green, [left, top, right, _]) = pixels_near(page, [0, 160, 0]);
    assert!(green > 3000 && left <= 80 && right >= 530 && top < 80, "the shading spans the text area: {green} px, {left}..{right}");
    let (_, [b_left, b_top, b_right, _]) = pixels_near(page, [0, 0, 255]);
    assert!(b_left < left && b_right > right && b_top < top, "the box border is outside the shading: {b_left}..{b_right} from {b_top}");
    // The rectangle: 72..144 across, 360..432 down.
    let (filled, [x0, y0, x1, y1]) = pixels_near(page, [0, 0, 255]);
    assert!(filled > 4500, "{filled} blue px");
    let blue_rect = (x0.min(72), y0, x1, y1);
    let (_, [rx0, ry0, rx1, ry1]) = {
        let mut bounds = [u32::MAX, u32::MAX, 0, 0];
        for y in 300..500u32 {
            for x in 0..200u32 {
                let p = &page.rgba()[((y * page.width() + x) * 4) as usize..][..3];
                if p == [0, 0, 255] {
                    bounds = [bounds[0].min(x), bounds[1].min(y), bounds[2].max(x), bounds[3].max(y)];
                }
            }
        }
        (0, bounds)
    };
    assert!(
        rx0.abs_diff(72) <= 1 && ry0.abs_diff(360) <= 1 && rx1.abs_diff(143) <= 1 && ry1.abs_diff(431) <= 1,
        "rectangle at {rx0},{ry0}-{rx1},{ry1} ({blue_rect:?})"
    );
    // The text box: outlined, its red text inside it.
    let (red, [tx0, ty0, tx1, ty1]) = pixels_near(page, [255, 0, 0]);
    assert!(red > 15 && tx0 > 216 && tx1 < 360 && ty0 > 360 && ty1 < 432, "the text box's text at {tx0},{ty0}-{tx1},{ty1}");
    // The shaded rectangle: near white at its top, green at its bottom.
    let at = |x: u32, y: u32| page.rgba()[((y * page.width() + x) * 4) as usize..][..3].to_vec();
    let (top_colour, bottom_colour) = (at(468, 364), at(468, 500));
    assert!(top_colour[0] > 200 && bottom_colour[0] < 60 && bottom_colour[1] > 200, "shading from {top_colour:?} to {bottom_colour:?}");
}

#[test]
fn the_first_page_takes_its_own_header_and_tables_sit_where_their_rows_say() {
    // A red first-page header, a blue one on the others; a right-aligned one-cell table
    // 2 inches wide, its cell padded 1 inch at the top (Word's \clpadl), and a row of three
    // cells whose middle one is merged into the first.
    let cell = "\\clbrdrt\\brdrs\\brdrw10\\clbrdrl\\brdrs\\brdrw10\\clbrdrb\\brdrs\\brdrw10\\clbrdrr\\brdrs\\brdrw10";
    let doc = render72(&format!(
        "{HEAD}\\titlepg{{\\headerf\\pard\\fs40\\cf1 FIRST\\par}}{{\\header\\pard\\fs40\\cf2 OTHERS\\par}}\
\\trowd\\trqr{cell}\\clpadfl3\\clpadl1440\\cellx2880\\pard\\intbl\\fs24\\cf3 padded\\cell\\row\
\\trowd{cell}\\clmgf\\cellx2880{cell}\\clmrg\\cellx5760{cell}\\cellx8640\\pard\\plain\\intbl A\\cell B\\cell C\\cell\\row\
\\pard\\page second\\par}}"
    ));
    assert_eq!(doc.pages().len(), 2);
    let [first, second] = [&doc.pages()[0], &doc.pages()[1]];
    assert!(pixels_near(first, [255, 0, 0]).0 > 100 && pixels_near(first, [0, 0, 255]).0 == 0, "page 1 has the first-page header only");
    assert!(pixels_near(second, [0, 0, 255]).0 > 100 && pixels_near(second, [255, 0, 0]).0 == 0, "page 2 has the other header");
    // The padded cell's text: in the right half, an inch below the table's top (72).
    let (green, [left, top, right, _]) = pixels_near(first, [0, 160, 0]);
    assert!(green > 15 && left > 540 - 144 && right < 540 && top >= 72 + 72, "padded text at {left}..{right}, from {top}");
    // The merged row has no line at 216, where its first cell ended before the merge.
    let row_y = (top..top + 100).find(|&y| {
        let dark = (0..first.width()).filter(|&x| first.rgba()[((y * first.width() + x) * 4) as usize] < 128).count();
        dark > 300
    });
    let row_y = row_y.expect("the second row's top border") + 6;
    let at = |x: u32| first.rgba()[((row_y * first.width() + x) * 4) as usize] < 160;
    assert!((356..=364).any(at) && (500..=508).any(at), "the lines of the merged cell's right edge and the last cell's");
    assert!(!(206..=226).any(at), "no line where the merged cell's edge was");
}

#[test]
fn paragraphs_shaded_alike_share_their_shading_across_the_space_between_them() {
    // Two green paragraphs 30 pt apart, then a third 30 pt below with another shade: the
    // green runs unbroken from the first line to the second, as in Word and LibreOffice;
    // the space before the third is not shaded.
    let doc = render72(&format!(
        "{HEAD}{{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;\\red0\\green160\\blue0;}}\
\\pard\\cbpat3\\sa600\\fs24 one\\par two\\par\\pard\\cbpat2\\sb600 three\\par}}"
    ));
    let page = &doc.pages()[0];
    let column = |x: u32| (0..page.height()).map(move |y| &page.rgba()[((y * page.width() + x) * 4) as usize..][..3]);
    // (A seam where two fills meet at a fraction of a pixel may blend a little white in.)
    let near = |p: &[u8], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) < 70);
    let green: Vec<u32> = column(400).enumerate().filter(|(_, p)| near(p, [0, 160, 0])).map(|(y, _)| y as u32).collect();
    let (top, bottom) = (green[0], *green.last().unwrap());
    assert_eq!(green.len() as u32, bottom - top + 1, "the green is unbroken from {top} to {bottom}");
    assert!(bottom - top >= 55, "it spans both lines and the 30 pt between them: {top}..{bottom}");
    let blue_top = column(400).position(|p| near(p, [0, 0, 255])).unwrap() as u32;
    assert!(blue_top >= bottom + 25, "the space above the blue paragraph stays white: green ends {bottom}, blue starts {blue_top}");
}

#[test]
fn a_table_in_the_header_keeps_its_cells_apart() {
    // A header holding a bordered row of two cells, "left" and a red "RIGHT" in the
    // second, which starts 3.25 in from the margin (306 pt from the page's edge); then the
    // body's own text below.
    let cell = "\\clbrdrb\\brdrs\\brdrw10";
    let doc = render72(&format!(
        "{HEAD}{{\\header\\trowd{cell}\\cellx4680{cell}\\cellx9360\\pard\\intbl\\fs24 left\\cell{{\\cf1 RIGHT}}\\cell\\row\\pard\\par}}\
\\pard\\fs24 body\\par}}"
    ));
    let page = &doc.pages()[0];
    let (red, [left, top, _, bottom]) = pixels_near(page, [255, 0, 0]);
    assert!(red > 10 && (306..330).contains(&left), "the second cell's text at x {left}");
    assert!(bottom < 72, "in the header, above the body: {top}..{bottom}");
    // The cells' bottom border runs across both cells, below the text.
    let rows = rule_rows(page, 400);
    assert!(rows.iter().any(|&y| y > bottom && y < 90), "the row's border under the header's text: {rows:?}");
}

#[test]
fn page_number_fields_in_the_body_and_its_tables_show_the_page_and_the_count() {
    // "Page N of M" in a paragraph and in a table cell on each of three pages, as fields:
    // each page must look as if the numbers had been typed in (the fields' stale results
    // say 9 of 9).
    let field = |code: &str| format!("{{\\field{{\\*\\fldinst {code}}}{{\\fldrslt 9}}}}");
    let page = |n: &str, of: &str| {
        format!("\\pard\\f0\\fs24 Page {n} of {of}\\par\\trowd\\cellx4000\\pard\\intbl Sheet {n}/{of}\\cell\\row\\pard\\par", n = n, of = of)
    };
    let document = |pages: [String; 3]| {
        format!("{{\\rtf1\\ansi{{\\fonttbl{{\\f0 Arial;}}}}\\paperw8000\\paperh6000\\margl720\\margr720\\margt720\\margb720 {}}}", pages.join("\\page "))
            .into_bytes()
    };
    let (p, of) = (field("PAGE"), field("NUMPAGES"));
    let with_fields = document([page(&p, &of), page(&p, &of), page(&p, &of)]);
    let typed = document([page("1", "3"), page("2", "3"), page("3", "3")]);
    let sandbox = common::sandbox();
    let options = RenderOptions::default().dpi(72);
    let (fields, typed) = (sandbox.render(&with_fields, &options).unwrap(), sandbox.render(&typed, &options).unwrap());
    common::assert_same_pages(&fields, &typed, 3, "the typed numbers");
}

#[test]
fn an_empty_underlined_or_highlighted_paragraph_draws_nothing() {
    // Word draws no underline, strike-through or highlight for a paragraph mark alone: the
    // empty paragraph between "A" and "B" (underlined, struck through, yellow-highlighted
    // in the document) only takes its line.
    let rtf =
        b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255\\green255\\blue0;}\\f0\\fs24 A\\par\\ul\\strike\\highlight1\\par\\plain\\f0\\fs24 B\\par}";
    let doc = common::sandbox().render(rtf, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let inked = |y: u32| (0..page.width()).any(|x| page.rgba()[((y * page.width() + x) * 4) as usize..][..3] != [255, 255, 255]);
    let rows: Vec<u32> = (0..page.height()).filter(|&y| inked(y)).collect();
    // Two runs of rows: "A" and "B", 2 lines apart, and nothing between them.
    let gaps = rows.windows(2).filter(|w| w[1] > w[0] + 1).count();
    assert_eq!(gaps, 1, "rows with ink: {rows:?}");
    let (a_end, b_start) = rows.windows(2).find(|w| w[1] > w[0] + 1).map(|w| (w[0], w[1])).unwrap();
    assert!(b_start - a_end > 12, "the empty paragraph still takes its line: {a_end}..{b_start}");
}

#[test]
fn a_picture_shape_inside_a_text_box_floats_in_its_text() {
    // A text box 1 inch from the page's corner, 5 inches wide, without an outline; inside
    // its text, a picture shape 3 inches from the box's left edge (its column), 1 inch
    // square, anchored to the paragraph, and a red word. As LibreOffice shows such a
    // letterhead, the picture sits in the box at its offset and the word stays on the
    // box's first line, not below the picture.
    let sp = |name: &str, value: &str| format!("{{\\sp{{\\sn {name}}}{{\\sv {value}}}}}");
    let blue = hex(&common::solid_png(10, 10, [0, 0, 255]));
    let picture = format!(
        "{{\\shp{{\\*\\shpinst\\shpleft4320\\shptop0\\shpright5760\\shpbottom1440\\shpbxcolumn\\shpbypara\\shpwr2{}{}{{\\sp{{\\sn pib}}{{\\sv {{\\pict\\pngblip\\picw10\\pich10\\picwgoal1440\\pichgoal1440 {blue}}}}}}}}}}}",
        sp("shapeType", "75"),
        sp("fLine", "0")
    );
    let text_box = format!(
        "{{\\shp{{\\*\\shpinst\\shpleft1440\\shptop1440\\shpright8640\\shpbottom4320\\shpbxpage\\shpbypage\\shpwr3{}{}{}{}{}{{\\shptxt\\pard\\plain\\fs24\\cf1 {picture}Sender\\par}}}}}}",
        sp("shapeType", "202"),
        sp("fLine", "0"),
        sp("dxTextLeft", "0"),
        sp("dyTextTop", "0"),
        sp("fFilled", "0")
    );
    let doc = render72(&format!("{HEAD}\\pard {text_box}anchor\\par}}"));
    let page = &doc.pages()[0];
    let (blues, [bl, bt, br, bb]) = pixels_near(page, [0, 0, 255]);
    assert!(blues > 4_500, "the picture is drawn: {blues} px");
    for (got, want) in [(bl, 72 + 216), (bt, 72), (br, 72 + 216 + 71), (bb, 72 + 71)] {
        assert!(got.abs_diff(want) <= 2, "1 in square, 3 in into the box at 1 in, 1 in: {bl},{bt}-{br},{bb}");
    }
    let (reds, [rl, rt, _, rb]) = pixels_near(page, [255, 0, 0]);
    assert!(reds > 10 && rl.abs_diff(72) <= 3, "the box's word at its left edge: {reds} px at {rl}");
    assert!(rt >= 72 && rb < 95, "on the box's first line, beside the picture: {rt}..{rb}");
}
