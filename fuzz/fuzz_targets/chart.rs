//! The guest's chart reader and drawing natively: the input is a chart part shown in a
//! slide (see `common` for what must hold).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(docsandbox_guest::fuzzing::Parser::Chart, data));
