//! The guest's Word 97-2003 reader (FIB, piece table, FKPs, sprms, style sheet, lists, tables, pictures) natively (see `common` for what must hold).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(docsandbox_guest::fuzzing::Parser::Doc, data));
