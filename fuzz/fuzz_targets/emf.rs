//! The guest's EMF player natively: the input is a picture shown in a Word document (see
//! `common` for what must hold).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(docsandbox_guest::fuzzing::Parser::Emf, data));
