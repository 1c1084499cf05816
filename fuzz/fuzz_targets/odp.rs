//! The guest's ODP and ODG reader (master pages, shapes, fills, text) natively (see `common` for what must hold).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(docsandbox_guest::fuzzing::Parser::Odp, data));
