//! Raster images embedded in documents, decoded with `image` under limits and scaled down
//! to what a page can show, so a huge picture costs neither memory nor time twice.

use std::io::Cursor;

/// Most bytes the decoder may allocate for one image.
const MAX_DECODE_BYTES: u64 = 256 << 20;
/// Longest side, in pixels, an image is kept at once decoded (enough for a full page at
/// 300 DPI).
pub const MAX_KEPT_SIDE: u32 = 3000;

/// A decoded image: RGBA8 pixels, not premultiplied.
pub struct Decoded {
    pub rgba: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decodes an image of any supported format, refusing one whose header promises more than
/// the limits before anything is allocated. `None` for anything unreadable.
pub fn decode(bytes: &[u8]) -> Option<Decoded> {
    decode_as_is(bytes).or_else(|| {
        // A PNG cut off after its image data, without its end chunk (as some Office
        // exports write them): viewers show it, so it is read with the end chunk added.
        let ended = bytes.windows(4).rev().take(64).any(|w| w == b"IEND");
        let end: &[u8] = b"\0\0\0\0IEND\xAE\x42\x60\x82";
        (bytes.starts_with(b"\x89PNG") && !ended).then(|| [bytes, end].concat()).and_then(|b| decode_as_is(&b))
    })
}

fn decode_as_is(bytes: &[u8]) -> Option<Decoded> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(30_000);
    limits.max_image_height = Some(30_000);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    let image = if image.width().max(image.height()) > MAX_KEPT_SIDE { image.thumbnail(MAX_KEPT_SIDE, MAX_KEPT_SIDE) } else { image };
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    Some(Decoded { rgba: rgba.into_raw(), width, height })
}

/// What a picture that [`decode`] cannot draw is, for a placeholder and the report.
pub fn undrawn_kind(bytes: &[u8]) -> &'static str {
    match bytes {
        [1, 0, 0, 0, ..] if bytes.get(40..44) == Some(b" EMF") => "an EMF picture",
        [0xD7, 0xCD, 0xC6, 0x9A, ..] | [1, 0, 9, 0, ..] | [2, 0, 9, 0, ..] => "a WMF picture",
        [b'I', b'I', 0x2A, 0, ..] | [b'M', b'M', 0, 0x2A, ..] => "a TIFF picture",
        _ if bytes.starts_with(b"%PDF") => "a PDF picture",
        _ if bytes.windows(4).take(512).any(|w| w == b"<svg") => "an SVG picture",
        _ => "a picture that could not be decoded",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbaImage::from_pixel(width, height, image::Rgba([200, 10, 10, 255])).write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn decodes_and_scales_down_large_images() {
        let small = decode(&png(3, 2)).unwrap();
        assert_eq!((small.width, small.height, small.rgba.len()), (3, 2, 24));
        let large = decode(&png(4000, 100)).unwrap();
        assert_eq!((large.width, large.height), (3000, 75));
        assert!(decode(b"not an image").is_none());
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert!(decode(&truncated).is_none());
        // Without its end chunk, the picture still shows.
        let mut unended = png(5, 4);
        unended.truncate(unended.len() - 12);
        assert_eq!(decode(&unended).map(|d| (d.width, d.height)), Some((5, 4)));
    }

    #[test]
    fn refuses_dimension_bombs_before_allocating() {
        // A PNG header claiming 100 000 x 100 000 pixels, with no data behind it.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(decode(&bytes).is_none());
    }
}
