//! The root package's integration tests, all through the public API on real input: one test
//! binary, so Wasmtime and the library are linked once rather than once per file.

mod common;

mod archives;
mod charts;
mod doc;
mod email;
mod encrypted;
mod golden_pages;
mod hostile_corpus;
mod hostile_guest;
mod images_text;
mod odp;
mod odt;
mod office;
mod pdf;
mod pdf_corpus;
mod pdf_hostile;
mod pdf_reference;
mod ppt;
mod rtf;
mod safe_pdf;
mod sheets;
mod word_layout;
