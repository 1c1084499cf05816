//! Images as documents: PNG, JPEG, GIF (first frame; animation is reported), BMP, TIFF
//! (every page, as faxed referrals have several), WebP and ICO. Decoded with `image` (and
//! `tiff` for multi-page files) under limits that refuse a dimension or decompression bomb
//! from its header, before any pixel is allocated. EXIF orientation is applied.
//!
//! Each image becomes a page whose size in points makes it come out at its own pixel size
//! at the requested resolution (scaled down only when the page limits require it).

use std::io::Cursor;

use docsandbox_protocol::{FailureKind, FindingKind, Format};
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat};

use crate::dispatch::{Input, Job};
use crate::layout::embedded_image::Decoded;
use crate::layout::paint::Canvas;
use crate::report::Report;

/// Most bytes one decoded image may take (a 64-megapixel RGBA image).
const MAX_DECODE_BYTES: u64 = 256 << 20;
/// Longest side accepted from a header.
const MAX_SIDE: u32 = 30_000;
/// Most pages read from a multi-page TIFF.
const MAX_TIFF_PAGES: usize = 1_000;

/// The format of an image document, from its magic bytes.
pub fn format(bytes: &[u8]) -> Option<Format> {
    Some(match image::guess_format(bytes).ok()? {
        ImageFormat::Png => Format::Png,
        ImageFormat::Jpeg => Format::Jpeg,
        ImageFormat::Gif => Format::Gif,
        ImageFormat::Bmp => Format::Bmp,
        ImageFormat::Tiff => Format::Tiff,
        ImageFormat::WebP => Format::Webp,
        ImageFormat::Ico => Format::Ico,
        _ => return None,
    })
}

/// Renders an image document: one page per image (per TIFF page).
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let request = job.request;
    let Some(format) = input.format.or_else(|| self::format(request.document)) else {
        return job.fail(FailureKind::Unsupported, "not an image in a supported format");
    };
    let begun = job.begin(format, None);
    let mut report = Report::new(request.max_report_bytes);
    let images = match format {
        Format::Tiff => tiff_pages(request.document, &mut report),
        _ => decode(request.document).map(|image| vec![image]),
    };
    if format == Format::Gif && gif_frames(request.document) > 1 {
        report.add(FindingKind::Animated, "an animated GIF: the first frame is shown");
    }
    let mut job = begun.report(&report.finish());
    let images = match images {
        Ok(images) if !images.is_empty() => images,
        Ok(_) => return job.fail(FailureKind::Malformed, "the image has no pages"),
        Err(message) => return job.fail(FailureKind::Malformed, &message),
    };
    let mut canvas = Canvas::new();
    let dpi = request.dpi.max(1) as f32;
    for image in images {
        let (w, h) = (image.width, image.height);
        let page = canvas.add_page(w as f32 * 72.0 / dpi, h as f32 * 72.0 / dpi);
        let (pw, ph) = canvas.page_size(page);
        if let Some(image) = canvas.add_image(image.rgba, w, h) {
            canvas.image(page, image, [0.0, 0.0, pw, ph]);
        }
    }
    job.send_pages(&canvas);
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits
}

/// Decodes one image with its EXIF orientation applied.
fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    Ok(Decoded { rgba: rgba.into_raw(), width, height })
}

fn describe(e: image::ImageError) -> String {
    match e {
        image::ImageError::Limits(l) => format!("the image exceeds the decoding limits ({l})"),
        other => format!("cannot decode the image: {other}"),
    }
}

/// The colour type and samples of an uncompressed one-sample page that the `tiff` crate
/// will not convert (1-, 2- and 4-bit palette images), read straight from its strips.
fn uncompressed_strips(decoder: &mut tiff::decoder::Decoder<Cursor<&[u8]>>, bytes: &[u8]) -> Option<(tiff::ColorType, Vec<u8>)> {
    use tiff::tags::Tag;
    let mut tag = |t: Tag, default: u32| decoder.find_tag_unsigned::<u32>(t).ok().flatten().unwrap_or(default);
    let (compression, bits, samples_per_pixel) = (tag(Tag::Compression, 1), tag(Tag::BitsPerSample, 1), tag(Tag::SamplesPerPixel, 1));
    if compression != 1 || samples_per_pixel != 1 || !matches!(bits, 1 | 2 | 4 | 8) {
        return None;
    }
    let color = match decoder.get_tag_u32(Tag::PhotometricInterpretation).ok()? {
        0 | 1 => tiff::ColorType::Gray(bits as u8),
        3 => tiff::ColorType::Palette(bits as u8),
        _ => return None,
    };
    let offsets = decoder.get_tag_u64_vec(Tag::StripOffsets).ok()?;
    let counts = decoder.get_tag_u64_vec(Tag::StripByteCounts).ok()?;
    let mut samples = Vec::new();
    for (offset, count) in offsets.into_iter().zip(counts) {
        if samples.len() as u64 + count > MAX_DECODE_BYTES {
            return None;
        }
        samples.extend_from_slice(bytes.get(usize::try_from(offset).ok()?..usize::try_from(offset.checked_add(count)?).ok()?)?);
    }
    Some((color, samples))
}

/// Number of frames of a GIF, counting at most two. Frames are composed on a canvas of
/// the GIF's logical screen size, which the header states: a screen beyond the decoding
/// limits is not counted at all (found by fuzzing: 63 736 x 63 736 wanted 16 GB).
fn gif_frames(bytes: &[u8]) -> usize {
    let Some(screen) = bytes.get(6..10) else { return 0 };
    let (width, height) = (u16::from_le_bytes([screen[0], screen[1]]) as u64, u16::from_le_bytes([screen[2], screen[3]]) as u64);
    if width > u64::from(MAX_SIDE) || height > u64::from(MAX_SIDE) || width * height * 4 > MAX_DECODE_BYTES {
        return 0;
    }
    let Ok(mut decoder) = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)) else { return 0 };
    if decoder.set_limits(limits()).is_err() {
        return 0;
    }
    decoder.into_frames().take(2).filter(Result::is_ok).count()
}

/// Every page of a TIFF. A page the `tiff` crate cannot convert falls back to `image`
/// (first page only); a damaged later page ends the list and is reported.
fn tiff_pages(bytes: &[u8], report: &mut Report) -> Result<Vec<Decoded>, String> {
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = MAX_DECODE_BYTES as usize;
    let mut decoder = match tiff::decoder::Decoder::new(Cursor::new(bytes)) {
        Ok(d) => d.with_limits(limits),
        Err(_) => return decode(bytes).map(|i| vec![i]),
    };
    let mut pages = Vec::new();
    loop {
        match tiff_page(&mut decoder, bytes) {
            Ok(page) => pages.push(page),
            Err(e) if pages.is_empty() => return decode(bytes).map(|i| vec![i]).map_err(|_| e),
            Err(e) => {
                report.add(FindingKind::DamagedPage, &format!("TIFF page {}: {e}", pages.len() + 1));
                break;
            }
        }
        if !decoder.more_images() || pages.len() >= MAX_TIFF_PAGES {
            if decoder.more_images() {
                report.add(FindingKind::ContentTruncated, &format!("only the first {MAX_TIFF_PAGES} TIFF pages are shown"));
            }
            break;
        }
        if let Err(e) = decoder.next_image() {
            report.add(FindingKind::DamagedPage, &format!("TIFF page {}: {e}", pages.len() + 1));
            break;
        }
    }
    Ok(pages)
}

fn tiff_page(decoder: &mut tiff::decoder::Decoder<Cursor<&[u8]>>, bytes: &[u8]) -> Result<Decoded, String> {
    use tiff::decoder::DecodingResult;
    use tiff::ColorType;
    let (width, height) = decoder.dimensions().map_err(|e| e.to_string())?;
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) * 4 > MAX_DECODE_BYTES {
        return Err(format!("{width} x {height} pixels exceeds the decoding limits"));
    }
    let white_is_zero = decoder.get_tag_u32(tiff::tags::Tag::PhotometricInterpretation).ok() == Some(0);
    let (color, samples) = match decoder.colortype() {
        Ok(color) => match decoder.read_image().map_err(|e| e.to_string())? {
            DecodingResult::U8(v) => (color, v),
            DecodingResult::U16(v) => (color, v.into_iter().map(|s| (s >> 8) as u8).collect()),
            _ => return Err("unsupported sample format".into()),
        },
        Err(e) => uncompressed_strips(decoder, bytes).ok_or_else(|| e.to_string())?,
    };
    let (w, h) = (width as usize, height as usize);
    let mut rgba = Vec::with_capacity(w * h * 4);
    // The n-bit sample at (x, y) of a bit-packed image (rows padded to whole bytes).
    let packed = |bits: u8, x: usize, y: usize| -> u16 {
        let bits = usize::from(bits);
        let stride = (w * bits).div_ceil(8);
        let bit = x * bits;
        let byte = samples.get(y * stride + bit / 8).copied().unwrap_or(0);
        u16::from((byte >> (8 - bits - bit % 8)) & ((1u16 << bits) - 1) as u8)
    };
    match color {
        ColorType::Gray(bits @ (1 | 2 | 4)) => {
            let max = (1u16 << bits) - 1;
            for y in 0..h {
                for x in 0..w {
                    let v = (packed(bits, x, y) * 255 / max) as u8;
                    let v = if white_is_zero { 255 - v } else { v };
                    rgba.extend_from_slice(&[v, v, v, 255]);
                }
            }
        }
        ColorType::Palette(bits @ (1 | 2 | 4 | 8)) => {
            let map = decoder.get_tag_u16_vec(tiff::tags::Tag::ColorMap).map_err(|e| e.to_string())?;
            let n = 1usize << bits;
            if map.len() < 3 * n {
                return Err("the colour map is too short".into());
            }
            for y in 0..h {
                for x in 0..w {
                    let i = usize::from(packed(bits, x, y));
                    rgba.extend_from_slice(&[(map[i] >> 8) as u8, (map[n + i] >> 8) as u8, (map[2 * n + i] >> 8) as u8, 255]);
                }
            }
        }
        ColorType::Gray(8 | 16) => {
            for &g in samples.iter().take(w * h) {
                let g = if white_is_zero { 255 - g } else { g };
                rgba.extend_from_slice(&[g, g, g, 255]);
            }
        }
        ColorType::GrayA(8 | 16) => samples.chunks_exact(2).take(w * h).for_each(|p| rgba.extend_from_slice(&[p[0], p[0], p[0], p[1]])),
        ColorType::RGB(8 | 16) => samples.chunks_exact(3).take(w * h).for_each(|p| rgba.extend_from_slice(&[p[0], p[1], p[2], 255])),
        ColorType::RGBA(8 | 16) => rgba.extend_from_slice(&samples[..samples.len().min(w * h * 4)]),
        ColorType::CMYK(8) => samples.chunks_exact(4).take(w * h).for_each(|p| {
            let k = 255 - u16::from(p[3]);
            let c = |v: u8| ((255 - u16::from(v)) * k / 255) as u8;
            rgba.extend_from_slice(&[c(p[0]), c(p[1]), c(p[2]), 255]);
        }),
        other => return Err(format!("unsupported TIFF colour type {other:?}")),
    }
    if rgba.len() != w * h * 4 {
        return Err("the image data is shorter than its size".into());
    }
    Ok(Decoded { rgba, width, height })
}
