//! The guest program: one request on stdin, protocol frames on stdout (see the library).
#![deny(unsafe_code)]

use std::io::Read;

/// Run once at build time, and snapshotted (Wasmtime's Wizer, in the host's build script),
/// so that what it prepares is in every instance's initial memory instead of being
/// prepared per document. The guest behaves the same when it has not run.
#[allow(unsafe_code)] // `export_name` is an unsafe attribute: the name is ours alone.
#[export_name = "wizer-initialize"]
pub extern "C" fn wizer_initialize() {
    docsandbox_guest::preinitialize();
}

fn main() {
    let mut input = Vec::new();
    match std::io::stdin().read_to_end(&mut input) {
        Ok(_) => docsandbox_guest::run(&input, Box::new(std::io::stdout())),
        Err(e) => docsandbox_guest::refuse(&format!("cannot read the request: {e}"), Box::new(std::io::stdout())),
    }
}
