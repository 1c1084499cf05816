//! `include/docsandbox.h` is what cbindgen generates from `src/lib.rs` now, with block
//! comments only (C89). Run with
//! `DOCSANDBOX_BLESS=1` to rewrite it after changing the C ABI.

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new().with_crate(crate_dir).with_config(config).generate().expect("cbindgen runs").write(&mut generated);
    // cbindgen writes its C++ guards' comments as `//`, which C89 does not have.
    let generated = String::from_utf8(generated)
        .expect("the header is UTF-8")
        .replace("#endif // __cplusplus", "#endif /* __cplusplus */")
        .replace("#endif  // __cplusplus", "#endif  /* __cplusplus */")
        .replace("}  // extern \"C\"", "}  /* extern \"C\" */")
        .into_bytes();
    let path = crate_dir.join("include/docsandbox.h");
    if std::env::var_os("DOCSANDBOX_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "include/docsandbox.h is stale; regenerate it with `DOCSANDBOX_BLESS=1 cargo test --release -p docsandbox-ffi --test header`"
    );
}
