//! What the formats other than PDF draw with: the paint layer (text layout, flowing pages,
//! tables, shapes, drawing to pixels), headers and footers on every page, the embedded
//! fonts and the decoding of pictures embedded in documents.

pub mod document;
pub mod embedded_image;
pub mod fonts;
pub mod metafile;
pub mod paint;
pub mod placeholder;
pub mod running;
