//! The published crates carry the guest's source through links: `guest-src/` here, and the
//! Japanese fonts in docsandbox-guest-fonts (build.rs, `assemble`). A file added to
//! `guest/fonts` or a link left dangling would only show when someone builds from
//! crates.io; this test shows it here. (`cargo package` in scripts/test.sh builds from the
//! packages themselves.)
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn crates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn every_guest_font_travels_in_exactly_one_crate() {
    let guest_fonts = crates().join("../guest/fonts").canonicalize().unwrap();
    let mut carried: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (crate_name, dir) in [("docsandbox-guest-wasm", "docsandbox-guest-wasm/guest-src/fonts"), ("docsandbox-guest-fonts", "docsandbox-guest-fonts/fonts")] {
        let dir = crates().join(dir);
        for name in names(&dir) {
            let target = dir.join(&name).canonicalize().unwrap_or_else(|e| panic!("{name} in {crate_name} does not resolve: {e}"));
            assert_eq!(target, guest_fonts.join(&name), "{name} in {crate_name} is not a link to guest/fonts/{name}");
            carried.entry(name).or_default().push(crate_name);
        }
    }
    for name in names(&guest_fonts) {
        match carried.get(&name).map(Vec::as_slice) {
            Some([_]) => {}
            Some(several) => panic!("guest/fonts/{name} travels in {several:?}"),
            None => panic!("guest/fonts/{name} is in no published crate: link it from guest-src/fonts or docsandbox-guest-fonts/fonts"),
        }
    }
}

#[test]
fn the_guest_source_links_resolve_to_the_guest() {
    let source = crates().join("docsandbox-guest-wasm/guest-src");
    for (link, target) in [
        ("src", "../guest/src"),
        ("guest-manifest.toml", "../guest/Cargo.toml"),
        ("guest-lockfile.lock", "../guest/Cargo.lock"),
        ("guest-cargo-config.toml", "../guest/.cargo/config.toml"),
        ("protocol-src", "docsandbox-protocol/src"),
    ] {
        let resolved = source.join(link).canonicalize().unwrap_or_else(|e| panic!("guest-src/{link} does not resolve: {e}"));
        assert_eq!(resolved, crates().join(target).canonicalize().unwrap(), "guest-src/{link}");
    }
    // The guest's manifest must not reach outside what `assemble` rebuilds: guest/ and the
    // protocol crate beside it.
    let manifest = std::fs::read_to_string(source.join("guest-manifest.toml")).unwrap();
    for line in manifest.lines().filter(|line| line.contains("path =")) {
        assert!(line.contains("path = \"src/") || line.contains("path = \"../crates/docsandbox-protocol\""), "{line}");
    }
}
