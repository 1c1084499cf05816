//! One folder or file per document format. Each exposes a [`crate::dispatch::Renderer`]
//! named `render`, listed in [`crate::dispatch::Route::renderer`].

pub mod archive;
pub mod doc;
pub mod docx;
pub mod image;
pub mod mail;
pub mod odf;
pub mod officeart;
pub mod ole2;
pub mod pdf;
pub mod pptx;
pub mod rtf;
pub mod sheet;
pub mod text;
