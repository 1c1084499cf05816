//! The IPAex fonts (Gothic and Mincho) that the docsandbox guest embeds for Japanese text.
//! The crate has no code: docsandbox-guest-wasm's build script finds the files through this
//! crate's `links` metadata (DEP_DOCSANDBOX_GUEST_FONTS_DIR) when it builds the guest from
//! the published crates. The fonts are under the IPA Font License 1.0
//! (`fonts/LICENSE-IPA-1.0.txt`).
#![forbid(unsafe_code)]
#![no_std]
