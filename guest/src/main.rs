//! The guest program: one request on stdin, protocol frames on stdout (see the library).
#![forbid(unsafe_code)]

use std::io::Read;

fn main() {
    let mut input = Vec::new();
    match std::io::stdin().read_to_end(&mut input) {
        Ok(_) => docsandbox_guest::run(&input, Box::new(std::io::stdout())),
        Err(e) => docsandbox_guest::refuse(&format!("cannot read the request: {e}"), Box::new(std::io::stdout())),
    }
}
