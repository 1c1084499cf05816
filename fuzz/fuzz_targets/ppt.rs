//! The guest's PowerPoint 97-2003 reader (records, persist directory, OfficeArt shapes, text runs) natively (see `common` for what must hold).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(docsandbox_guest::fuzzing::Parser::Ppt, data));
