//! The pixels of every normal corpus document, pinned: a hash of each of the first three
//! pages at 50 DPI, compared with `tests/golden/pages.tsv`. Refactoring must leave them
//! unchanged; a change that means to alter pages updates the list on purpose, with
//! `DOCSANDBOX_BLESS=1 cargo test --release --test it golden_pages`, and says why in its
//! commit. Pixels come from WebAssembly, so they are the same on every machine.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use docsandbox::RenderOptions;
use sha2::{Digest, Sha256};

fn golden_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/pages.tsv")
}

/// `name page` → `width height sha256`, for every page rendered now.
fn current() -> Option<BTreeMap<String, String>> {
    let dir = common::corpus_dir();
    if dir.is_none() {
        common::corpus_present();
        return None;
    }
    let sandbox = common::sandbox();
    let mut pages = BTreeMap::new();
    for format in ["pdf", "docx", "pptx", "xlsx", "xls", "ods", "odt", "odp", "eml", "msg", "png", "jpeg", "gif", "bmp", "tiff", "webp", "txt", "csv"] {
        for file in common::corpus(format).unwrap().into_iter().filter(|f| f.kind == "normal") {
            let bytes = std::fs::read(&file.path).unwrap();
            let mut options = RenderOptions::default().dpi(50);
            options.pages = Some(1..=3);
            match sandbox.render(&bytes, &options) {
                Ok(doc) => {
                    for page in doc.pages() {
                        let digest: String = Sha256::digest(page.rgba()).iter().map(|b| format!("{b:02x}")).collect();
                        pages.insert(format!("{}\t{}", file.name, page.number()), format!("{}\t{}\t{digest}", page.width(), page.height()));
                    }
                }
                Err(e) => {
                    pages.insert(format!("{}\t-", file.name), format!("error\t{e}"));
                }
            }
        }
    }
    Some(pages)
}

fn parse(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let mut cols = l.splitn(3, '\t');
            let (name, page, rest) = (cols.next()?, cols.next()?, cols.next()?);
            Some((format!("{name}\t{page}"), rest.to_owned()))
        })
        .collect()
}

#[test]
fn every_normal_corpus_page_keeps_its_pixels() {
    let Some(now) = current() else { return };
    if std::env::var_os("DOCSANDBOX_BLESS").is_some_and(|v| v == "1") {
        let mut text = String::from("# document\tpage\twidth\theight\tsha256 of the RGBA pixels (first 3 pages, 50 DPI); see tests/it/golden_pages.rs\n");
        for (key, value) in &now {
            writeln!(text, "{key}\t{value}").unwrap();
        }
        std::fs::write(golden_file(), text).unwrap();
        eprintln!("wrote {} pages to {}", now.len(), golden_file().display());
        return;
    }
    let pinned = parse(&std::fs::read_to_string(golden_file()).expect("tests/golden/pages.tsv"));
    let mut differences = Vec::new();
    for key in pinned.keys().chain(now.keys()).collect::<std::collections::BTreeSet<_>>() {
        match (pinned.get(key), now.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => differences.push(format!("{}: pinned {a:?}, now {b:?}", key.replace('\t', " page "))),
        }
    }
    assert!(differences.is_empty(), "{} pages changed (bless on purpose with DOCSANDBOX_BLESS=1):\n{}", differences.len(), differences.join("\n"));
    assert!(now.len() > 40, "too few pages rendered: {}", now.len());
}
