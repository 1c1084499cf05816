//! The guest's ODT reader (styles, content, its pictures) natively (see `common` for what must hold).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(docsandbox_guest::fuzzing::Parser::Odt, data));
