//! The whole sandbox on arbitrary documents under small limits: every input ends in pages
//! or a typed error, and the real guest never breaks the protocol or the host.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use docsandbox::{Error, Limits, RenderOptions, Sandbox};
use libfuzzer_sys::fuzz_target;

fn sandbox() -> &'static Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        let limits = Limits::default().fuel(500_000_000).deadline(Duration::from_secs(5)).max_memory_bytes(128 << 20).max_pages(3).max_page_pixels(2_000_000);
        Sandbox::new(limits).expect("sandbox")
    })
}

fuzz_target!(
    // Loading (on a cold cache, compiling) the guest takes longer than libFuzzer's
    // per-input timeout: do it before the first input.
    init: {
        sandbox();
    },
    |data: &[u8]| {
        match sandbox().render(data, &RenderOptions::default().dpi(36)) {
            Ok(doc) => assert!(doc.pages().len() <= 3),
            Err(Error::Setup(e)) => panic!("setup error on a document: {e}"),
            Err(Error::ProtocolViolation(e)) => panic!("the real guest broke the protocol: {e}"),
            Err(_) => {}
        }
    }
);
