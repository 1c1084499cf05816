//! PowerPoint 97-2003 (`.ppt`) through the public API: a deck LibreOffice saved in the
//! binary format (`tests/files/shapes.ppt`, see its recipe) drawn slide by slide with its
//! background, title text, bullets, the master's slide number and footer, shapes, line,
//! picture and freeform where they belong;
//! hostile streams ending fast with pages or a typed error.

use crate::common;

use docsandbox::{Error, RenderOptions, Sandbox};

const DECK: &[u8] = include_bytes!("../files/shapes.ppt");

/// The colour of a page's pixel at (x, y) points, at 72 DPI.
fn pixel(page: &docsandbox::Page, x: u32, y: u32) -> [u8; 3] {
    let i = (y * page.width() + x) as usize * 4;
    let p = &page.rgba()[i..i + 3];
    [p[0], p[1], p[2]]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40)
}

/// Pixels of a box (points at 72 DPI) that are near `rgb`.
fn count_in(page: &docsandbox::Page, rgb: [u8; 3], [left, top, right, bottom]: [u32; 4]) -> usize {
    (top..bottom).flat_map(|y| (left..right).map(move |x| (x, y))).filter(|&(x, y)| near(pixel(page, x, y), rgb)).count()
}

#[test]
fn ppt_draws_backgrounds_text_bullets_shapes_lines_pictures_and_freeforms() {
    let sandbox = common::sandbox();
    let doc = sandbox.render(DECK, &RenderOptions::default().dpi(72)).unwrap();
    let report = doc.report();
    assert_eq!(report.format.as_deref(), Some("ppt"));
    assert!(report.has("legacy-format"), "{report:?}");
    assert!(!report.has("content-not-shown"), "{report:?}");
    assert_eq!(doc.pages().len(), 3, "one page per slide");
    let (one, two, three) = (&doc.pages()[0], &doc.pages()[1], &doc.pages()[2]);
    assert_eq!((one.width(), one.height()), (720, 540), "10 x 7.5 in at 72 DPI");

    // Slide 1: the dark blue background, with the white title and subtitle on it.
    assert!(near(pixel(one, 10, 10), [0x10, 0x20, 0x60]), "background {:?}", pixel(one, 10, 10));
    let title = count_in(one, [255, 255, 255], [54, 150, 666, 270]);
    let subtitle = count_in(one, [255, 255, 255], [108, 290, 612, 420]);
    assert!(title > 600 && subtitle > 200, "title {title}, subtitle {subtitle} white pixels");
    assert!(count_in(one, [255, 255, 255], [0, 0, 720, 140]) == 0, "nothing above the title");

    // Slide 2: a title, then a bullet and its text, and a deeper bullet further right.
    let ink_rows: Vec<u32> = (120..540).filter(|&y| (0..720).any(|x| pixel(two, x, y)[0] < 100)).collect();
    assert!(!ink_rows.is_empty(), "the body is drawn");
    let first_ink = |top: u32, bottom: u32| (0..720).find(|&x| (top..bottom).any(|y| pixel(two, x, y)[0] < 100));
    let body_top = ink_rows[0];
    let second = ink_rows.iter().copied().find(|&y| y > body_top + 30).expect("a second body line");
    let (a, b) = (first_ink(body_top, body_top + 25).unwrap(), first_ink(second, second + 20).unwrap());
    assert!(b > a + 10, "the level-2 bullet ({b}) sits right of the level-1 one ({a})");
    // The master's slide number and footer (black text in light blue boxes, as LibreOffice
    // saved them), on the slide that shows them only.
    let light_blue = [0x72, 0x9F, 0xCF];
    let (number, footer) = ([538, 496, 708, 538], [14, 496, 354, 538]);
    assert!(count_in(two, light_blue, number) > 4_000 && count_in(two, light_blue, footer) > 10_000, "the boxes");
    // Text inside the boxes: pixels darker than the box (its red is 0x72), outline left out.
    let ink = |[l, t, r, b]: [u32; 4]| (t + 3..b - 3).flat_map(|y| (l + 3..r - 3).map(move |x| (x, y))).filter(|&(x, y)| pixel(two, x, y)[0] < 90).count();
    let (digits, words) = (ink(number), ink(footer));
    assert!(digits > 20 && words > 200, "the number ({digits}) and the footer text ({words})");
    for page in [one, three] {
        assert_eq!(count_in(page, light_blue, [10, 490, 715, 540]), 0, "no number or footer where the slide hides them");
    }

    // Slide 3: red rectangle at 0.5 in (square corners), blue ellipse (its corner blank),
    // green line at 3 in, the picture's orange and purple halves, the teal path (a freeform
    // in the file), the black text.
    assert!(count_in(three, [0xE0, 0x10, 0x10], [40, 40, 250, 176]) > 25_000, "red rectangle");
    assert!(near(pixel(three, 37, 37), [0xE0, 0x10, 0x10]), "a square corner {:?}", pixel(three, 37, 37));
    assert!(near(pixel(three, 468, 108), [0x10, 0x10, 0xE0]), "ellipse centre {:?}", pixel(three, 468, 108));
    assert!(!near(pixel(three, 364, 38), [0x10, 0x10, 0xE0]), "the ellipse's corner is not filled");
    assert!(count_in(three, [0, 0xA0, 0], [36, 212, 684, 220]) > 2_000, "green line");
    assert!(count_in(three, [0xFF, 0x80, 0], [40, 256, 140, 390]) > 10_000, "left half of the picture");
    assert!(count_in(three, [0x80, 0, 0x80], [150, 256, 250, 390]) > 10_000, "right half of the picture");
    let teal = count_in(three, [0, 0x80, 0x80], [360, 252, 576, 432]);
    assert!(teal > 30_000, "the path is filled ({teal})");
    assert!(!near(pixel(three, 364, 428), [0, 0x80, 0x80]), "outside the path's slanted edge");
    assert!(count_in(three, [0, 0, 0], [36, 432, 400, 500]) > 400, "text box");
}

fn record(version: u16, instance: u16, kind: u16, body: &[u8]) -> Vec<u8> {
    let mut out = ((instance << 4) | version).to_le_bytes().to_vec();
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out
}

fn words(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A stream of one document and `slides` (each a Slide container's body), with its user
/// edit and persist directory.
fn stream(document: Vec<u8>, slides: &[Vec<u8>]) -> Vec<u8> {
    let parts: Vec<(u16, Vec<u8>)> = slides.iter().map(|s| (0x03EE, s.clone())).collect();
    stream_of(document, &parts)
}

/// A stream of one document and `parts` (each a record's kind and body: slides, masters),
/// persist ids 2 and up in order, with its user edit and persist directory.
fn stream_of(document: Vec<u8>, parts: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut stream = Vec::new();
    let mut offsets = Vec::new();
    for part in std::iter::once(record(0xF, 0, 0x03E8, &document)).chain(parts.iter().map(|(kind, body)| record(0xF, 0, *kind, body))) {
        offsets.push(stream.len() as u32);
        stream.extend(part);
    }
    let directory = stream.len() as u32;
    let mut entries = vec![((offsets.len() as u32) << 20) | 1];
    entries.extend(&offsets);
    stream.extend(record(0, 0, 0x1772, &words(&entries)));
    stream.extend(record(0, 0, 0x0FF5, &[words(&[256]), vec![0, 0, 0, 3], words(&[0, directory, 1, 4, 1])].concat()));
    stream
}

/// A document record's body listing `count` slides, persist ids 2 and up.
fn listing(count: u32, texts: &[u8]) -> Vec<u8> {
    let persists: Vec<u8> = (0..count).flat_map(|i| record(0, 0, 0x03F3, &words(&[i + 2, 0, 0, 256 + i, 0]))).collect();
    [record(0, 1, 0x03E9, &words(&[5760, 4320, 0, 0, 0, 0, 0, 0, 0, 0])), record(0xF, 0, 0x0FF0, &[persists, texts.to_vec()].concat())].concat()
}

/// A slide whose drawing holds `shapes` (SpContainer bodies) nested in `depth` groups.
fn slide(shapes: &[Vec<u8>], depth: usize) -> Vec<u8> {
    slide_over(shapes, depth, 0)
}

/// [`slide`] over the master with slide id `master`.
fn slide_over(shapes: &[Vec<u8>], depth: usize, master: u32) -> Vec<u8> {
    let mut tree: Vec<u8> = shapes.iter().flat_map(|s| record(0xF, 0, 0xF004, s)).collect();
    for _ in 0..depth {
        let group = record(
            0xF,
            0,
            0xF004,
            &[record(1, 0, 0xF009, &words(&[0, 0, 100, 100])), record(2, 0, 0xF00A, &words(&[1, 0x201])), record(0, 0, 0xF00F, &words(&[0, 0, 100, 100]))]
                .concat(),
        );
        tree = record(0xF, 0, 0xF003, &[group, tree].concat());
    }
    let patriarch = record(0xF, 0, 0xF004, &record(2, 0, 0xF00A, &words(&[1, 5])));
    let drawing = record(0xF, 0, 0x040C, &record(0xF, 0, 0xF002, &record(0xF, 0, 0xF003, &[patriarch, tree].concat())));
    [record(2, 0, 0x03EF, &[words(&[0, 0, 0, master, 0]), vec![7, 0, 0, 0]].concat()), drawing].concat()
}

fn shape(kind: u16, properties: &[(u16, u32)], extra: &[u8]) -> Vec<u8> {
    shape_at(kind, (2, 0xA00), properties, [100, 100, 2000, 1500], extra)
}

/// A shape with its id and flags, its properties and its anchor (top, left, right,
/// bottom in master units, 8 to the point).
fn shape_at(kind: u16, (id, flags): (u32, u32), properties: &[(u16, u32)], anchor: [i16; 4], extra: &[u8]) -> Vec<u8> {
    let fopt: Vec<u8> = properties.iter().flat_map(|(id, v)| [id.to_le_bytes().to_vec(), v.to_le_bytes().to_vec()].concat()).collect();
    let anchor: Vec<u8> = anchor.iter().flat_map(|v| v.to_le_bytes()).collect();
    [record(2, kind, 0xF00A, &words(&[id, flags])), record(3, properties.len() as u16, 0xF00B, &fopt), record(0, 0, 0xF010, &anchor), extra.to_vec()].concat()
}

#[test]
fn hostile_ppt_ends_fast_with_pages_or_a_typed_error() {
    let sandbox = Sandbox::new(docsandbox::Limits::default()).unwrap();
    let filled = [(0x0181u16, 0x0000_00FFu32), (0x01BF, 0x0010_0010)];
    // A freeform claiming 60 000 vertices and segments, with a few present.
    let mut vertices = vec![0x60, 0xEA, 0x60, 0xEA, 0xF0, 0xFF];
    vertices.extend((0..4000u32).flat_map(|i| [(i % 200) as u8, 0, (i % 97) as u8, 0]));
    let mut segments = vec![0x60, 0xEA, 0x60, 0xEA, 2, 0];
    segments.extend((0..4000).flat_map(|_| [0xFF, 0x3F]));
    let freeform_opt: Vec<u8> = [(0x8145u16, vertices.len() as u32 - 6), (0x8146, segments.len() as u32)]
        .iter()
        .flat_map(|(id, v)| [id.to_le_bytes().to_vec(), v.to_le_bytes().to_vec()].concat())
        .chain(vertices.iter().copied())
        .chain(segments.iter().copied())
        .collect();
    let freeform =
        [record(2, 0, 0xF00A, &words(&[2, 0xA00])), record(3, 2, 0xF00B, &freeform_opt), record(0, 0, 0xF010, &[0, 0, 0, 0, 0x10, 0x27, 0x10, 0x27])].concat();
    // Text runs claiming billions of characters, and a huge run count.
    let chars: Vec<u8> = "x\r".repeat(20_000).encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let runs: Vec<u8> = (0..30_000).flat_map(|_| [words(&[u32::MAX]), vec![0, 0], words(&[0x0002_0000]), vec![0xFF, 0xFF]].concat()).collect();
    let text = record(0xF, 0, 0xF00D, &[record(0, 0, 0x0F9F, &words(&[1])), record(0, 0, 0x0FA0, &chars), record(0, 0, 0x0FA1, &runs)].concat());
    let outline_ref = record(0xF, 0, 0xF00D, &record(0, 0, 0x0F9E, &words(&[u32::MAX])));
    let blip = [(0x0104u16, 7u32), (0x01BF, 0x0010_0010)];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("groups 3 000 deep", stream(listing(1, &[]), &[slide(&[shape(1, &filled, &[])], 3_000)])),
        ("60 000 shapes", stream(listing(1, &[]), &[slide(&vec![shape(1, &filled, &[]); 60_000], 0)])),
        ("3 000 slides", stream(listing(3_000, &[]), &vec![slide(&[shape(3, &filled, &[])], 0); 3_000])),
        ("a freeform of absurd counts", stream(listing(1, &[]), &[slide(&[freeform], 0)])),
        ("text runs of absurd lengths", stream(listing(1, &[]), &[slide(&[shape(202, &[], &text)], 0)])),
        (
            "an outline reference out of range, a picture missing",
            stream(listing(1, &[]), &[slide(&[shape(1, &filled, &outline_ref), shape(75, &blip, &[])], 0)]),
        ),
        ("a persist directory pointing past the end", {
            let mut s = stream(listing(1, &[]), &[slide(&[], 0)]);
            let at = s.len() - 8 - 28 - 8 - 12;
            s[at + 8 + 4..at + 8 + 8].copy_from_slice(&u32::MAX.to_le_bytes());
            s
        }),
        ("records claiming 4 GiB", [record(0xF, 0, 0x03E8, &[]), vec![0xFF; 4]].concat().into_iter().chain(record(0, 0, 0x0FF5, &[0xFF; 28])).collect()),
    ];
    for (what, stream) in cases {
        common::ends_with_pages_or_refusal(&sandbox, what, &common::compound(&[("PowerPoint Document", &stream)]));
    }
    // A presentation that says it is encrypted but names no encryption record is damaged
    // (real encrypted decks are in encrypted.rs).
    let user = record(0, 0, 0x0FF6, &[words(&[0x14, 0xF3D1_C4DF, 0]), vec![0; 12]].concat());
    let bytes = common::compound(&[("PowerPoint Document", &stream(listing(1, &[]), &[slide(&[], 0)])), ("Current User", &user)]);
    match sandbox.render(&bytes, &RenderOptions::default().password("any")) {
        Err(Error::Malformed(message)) => assert!(message.contains("encryption"), "{message}"),
        other => panic!("encrypted: {other:?}"),
    }
}

#[test]
fn ppt_turned_shapes_keep_their_anchor_box() {
    // A red rectangle turned 90 degrees: its anchor (12.5 to 250 points across, 12.5 to
    // 187.5 down) holds its box already turned, so the red fills the anchor exactly.
    let turned = [(0x0004u16, 90u32 << 16), (0x0181, 0x0000_00FF), (0x01BF, 0x0010_0010)];
    let bytes = common::compound(&[("PowerPoint Document", &stream(listing(1, &[]), &[slide(&[shape(1, &turned, &[])], 0)]))]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    let red = |x: u32, y: u32| near(pixel(page, x, y), [255, 0, 0]);
    assert!(red(20, 100) && red(240, 20) && red(130, 180), "the anchor box is filled");
    assert!(!red(131, 200) && !red(131, 5), "nothing beyond it");
}

#[test]
fn ppt_fill_opacity_shows_what_lies_below() {
    // A white rectangle at half opacity over a black one: grey.
    let black = [(0x0181u16, 0u32), (0x01BF, 0x0010_0010)];
    let half_white = [(0x0181u16, 0x00FF_FFFFu32), (0x0182, 0x8000), (0x01BF, 0x0010_0010)];
    let bytes = common::compound(&[("PowerPoint Document", &stream(listing(1, &[]), &[slide(&[shape(1, &black, &[]), shape(1, &half_white, &[])], 0)]))]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let grey = pixel(&doc.pages()[0], 100, 100);
    assert!(grey.iter().all(|&c| (100..160).contains(&c)), "{grey:?}");
}

/// A slide shape that names a master shape (`hspMaster`, with the flag that it has one)
/// takes the master shape's properties under its own, as PowerPoint writes its slide
/// placeholders: a fill turned off on the master stays off (the document's defaults would
/// fill it), and a fill colour set there is the slide shape's.
#[test]
fn ppt_shapes_take_their_master_shapes_properties() {
    const MASTER_ID: u32 = 0x8000_0000;
    let red_fill = [(0x0181u16, 0x0000_00FFu32), (0x01BF, 0x0010_0010), (0x01FF, 0x0008_0000)];
    let unfilled = [(0x01BFu16, 0x0010_0000u32), (0x01FF, 0x0008_0000)];
    // The master's two shapes, in its top half.
    let master =
        slide(&[shape_at(1, (0x401, 0xA00), &red_fill, [100, 100, 1000, 1000], &[]), shape_at(1, (0x402, 0xA00), &unfilled, [100, 2000, 3000, 1000], &[])], 0);
    // The slide's, in the bottom half: one over each master shape, and one over none.
    let over = |master: u32, left: i16| shape_at(1, (0x800 + master, 0x220), &[(0x0301, master)], [2000, left, left + 900, 2900], &[]);
    let own = shape_at(1, (0x900, 0xA00), &[], [2000, 4000, 4900, 2900], &[]);
    let slide = slide_over(&[over(0x401, 100), over(0x402, 2000), own], 0, MASTER_ID);
    let master_list = record(0xF, 1, 0x0FF0, &record(0, 0, 0x03F3, &words(&[2, 0, 0, MASTER_ID, 0])));
    let slide_list = record(0xF, 0, 0x0FF0, &record(0, 0, 0x03F3, &words(&[3, 0, 0, 256, 0])));
    let document = [record(0, 1, 0x03E9, &words(&[5760, 4320, 0, 0, 0, 0, 0, 0, 0, 0])), master_list, slide_list].concat();
    let bytes = common::compound(&[("PowerPoint Document", &stream_of(document, &[(0x03F8, master), (0x03EE, slide)]))]);
    let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
    let page = &doc.pages()[0];
    // Master units are 8 to the point: the slide's shapes span 250 to 362 points down.
    let (over_red, over_unfilled, own) = ([25, 262, 100, 350], [262, 262, 362, 350], [512, 262, 600, 350]);
    assert!(count_in(page, [255, 0, 0], over_red) > 6_000, "the master's red fill");
    assert_eq!(count_in(page, [255, 255, 255], over_unfilled), 100 * 88, "the master's fill turned off");
    assert!(count_in(page, [255, 255, 255], own) < 100, "a shape with no master is filled by default");
}

/// OfficeArt shape types are drawn as the presets of the same shape: a five-pointed star
/// (type 12) leaves its box's corners empty, and a lightning bolt (73) its top right.
#[test]
fn ppt_shape_types_draw_their_outline() {
    let red = [(0x0181u16, 0x0000_00FFu32), (0x01BF, 0x0010_0010), (0x01FF, 0x0008_0000)];
    for kind in [12u16, 73] {
        let bytes = common::compound(&[("PowerPoint Document", &stream(listing(1, &[]), &[slide(&[shape(kind, &red, &[])], 0)]))]);
        let doc = common::sandbox().render(&bytes, &RenderOptions::default().dpi(72)).unwrap();
        let page = &doc.pages()[0];
        // The anchor box runs from 12.5 to 250 points across and 12.5 to 187.5 down.
        let filled = count_in(page, [255, 0, 0], [13, 13, 250, 187]);
        assert!(filled > 3_000 && filled < 28_000, "type {kind}: {filled} red pixels of the box's 41 000");
        assert!(!near(pixel(page, 245, 20), [255, 0, 0]), "type {kind}: the top right corner is empty");
    }
}
