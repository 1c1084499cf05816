//! OpenDocument encryption (ODF 1.2 part 3, §3.8–3.9): each part of the package is
//! deflated, then encrypted with AES-256-CBC under a key derived from the password by
//! PBKDF2 (HMAC-SHA1) over a SHA-256 (or SHA-1) "start key"; the manifest holds the salt,
//! IV, iteration count and a checksum of the first kilobyte. The parts the renderers read
//! are decrypted into a new package which is then rendered like any other; the others keep
//! their names (so that macros are still reported) and their encrypted bytes. Blowfish (ODF
//! 1.0/1.1), AES-GCM and Argon2 (ODF 1.4) are reported as unsupported.

use std::io::{Cursor, Read, Write};

use super::{base64, mismatch, Aes, DecryptError, Decrypted, Hash};
use crate::dispatch::{Input, Job};
use crate::ooxml::package::Package;
use crate::ooxml::{attr, reader};
use docsandbox_protocol::Format;

const MANIFEST: &str = "META-INF/manifest.xml";
/// The parts decrypted: what the renderers read. Each costs a PBKDF2 run (about 60 ms in
/// the guest at LibreOffice's 100 000 iterations), so the rest stay encrypted.
const RENDERED_PARTS: [&str; 2] = ["content.xml", "styles.xml"];
/// Most PBKDF2 iterations accepted for one part.
const MAX_ITERATIONS: u32 = 1_000_000;
/// Most bytes one decrypted part may inflate to.
const MAX_PART_BYTES: u64 = 64 << 20;

/// How one part was encrypted, from its `manifest:encryption-data`.
#[derive(Default, Clone)]
struct Part {
    path: String,
    checksum_type: String,
    checksum: Vec<u8>,
    algorithm: String,
    iv: Vec<u8>,
    start_key: String,
    derivation: String,
    iterations: u32,
    key_size: usize,
    salt: Vec<u8>,
}

/// Whether the package's manifest says some of its parts are encrypted.
pub fn is_encrypted(package: &mut Package) -> bool {
    package.has(MANIFEST) && package.read(MANIFEST).is_ok_and(|m| m.windows(15).any(|w| w == b"encryption-data"))
}

/// The renderer of encrypted OpenDocument packages: decrypts them with the request's
/// password and renders the result like any other document.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let format = input.format.unwrap_or(Format::Odt);
    let result = match input.package(job.request.document) {
        Ok(mut package) => decrypt(&mut package, job.request.password),
        Err(e) => Err(DecryptError::Malformed(crate::ooxml::describe(&e))),
    };
    super::render(job, format, result, Vec::new());
}

/// Decrypts the parts the renderers read with `password` and returns a new package holding
/// them in clear, with the unencrypted parts copied and the manifest left out.
pub fn decrypt(package: &mut Package, password: &str) -> Result<Decrypted, DecryptError> {
    let manifest = package.read(MANIFEST).map_err(|e| DecryptError::Malformed(crate::ooxml::describe(&e)))?;
    let parts = parse_manifest(&manifest)?;
    if password.is_empty() {
        return Err(DecryptError::PasswordRequired);
    }
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut decrypted = 0;
    let mut left_out = 0;
    let write = |writer: &mut zip::ZipWriter<Cursor<Vec<u8>>>, name: &str, data: &[u8]| -> Result<(), DecryptError> {
        writer
            .start_file(name, stored)
            .and_then(|_| writer.write_all(data).map_err(Into::into))
            .map_err(|e| DecryptError::Malformed(format!("cannot rebuild the package: {e}")))
    };
    let names = package.names().to_vec();
    let mut written = Vec::new();
    for name in names.iter().filter(|n| n.as_str() != MANIFEST && !n.ends_with('/')) {
        let data = package.read(name).map_err(|e| DecryptError::Malformed(crate::ooxml::describe(&e)))?;
        match parts.iter().find(|p| &p.path == name) {
            None => {
                write(&mut writer, name, &data)?;
                written.push(name.clone());
            }
            Some(part) if RENDERED_PARTS.contains(&name.as_str()) => {
                let clear = decrypt_part(part, &data, password)?;
                decrypted += 1;
                write(&mut writer, name, &clear)?;
                written.push(name.clone());
            }
            // Kept under its name (still encrypted) for the report's name-based findings.
            Some(_) => {
                write(&mut writer, name, &data)?;
                written.push(name.clone());
                left_out += 1;
            }
        }
    }
    // A manifest naming the parts, without encryption data (readers insist on one).
    let mut manifest = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
    );
    for name in &written {
        manifest.push_str(&format!(r#"<manifest:file-entry manifest:full-path="{}" manifest:media-type=""/>"#, quick_xml::escape::escape(name.as_str())));
    }
    manifest.push_str("</manifest:manifest>");
    write(&mut writer, MANIFEST, manifest.as_bytes())?;
    if decrypted == 0 {
        return Err(DecryptError::Malformed("the manifest lists neither content.xml nor styles.xml as encrypted".into()));
    }
    let bytes = writer.finish().map_err(|e| DecryptError::Malformed(format!("cannot rebuild the package: {e}")))?.into_inner();
    let mut scheme = "OpenDocument encryption, AES-256-CBC with PBKDF2".to_owned();
    if left_out > 0 {
        scheme.push_str(&format!("; {left_out} parts not needed to render (metadata, pictures, macros...) left encrypted"));
    }
    Ok(Decrypted { bytes, scheme })
}

/// One part in clear: decrypted, checked against its checksum, unpadded and inflated.
fn decrypt_part(part: &Part, data: &[u8], password: &str) -> Result<Vec<u8>, DecryptError> {
    let unsupported = |what: &str| DecryptError::Unsupported(format!("OpenDocument encryption with {what}"));
    if part.algorithm != "http://www.w3.org/2001/04/xmlenc#aes256-cbc" {
        return Err(unsupported(&part.algorithm));
    }
    if part.derivation != "PBKDF2" {
        return Err(unsupported(&format!("{} key derivation", part.derivation)));
    }
    if part.iterations == 0 || part.iterations > MAX_ITERATIONS || part.key_size != 32 || part.iv.len() != 16 {
        return Err(DecryptError::Malformed(format!(
            "{}: {} PBKDF2 iterations, a {}-byte key and a {}-byte IV",
            part.path,
            part.iterations,
            part.key_size,
            part.iv.len()
        )));
    }
    let start_key = match part.start_key.as_str() {
        "" | "SHA1" | "http://www.w3.org/2000/09/xmldsig#sha1" => Hash::Sha1.digest(&[password.as_bytes()]),
        "http://www.w3.org/2000/09/xmldsig#sha256" | "http://www.w3.org/2001/04/xmlenc#sha256" => Hash::Sha256.digest(&[password.as_bytes()]),
        other => return Err(unsupported(&format!("the {other} start key"))),
    };
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(&start_key, &part.salt, part.iterations, &mut key);
    if !data.len().is_multiple_of(16) || data.is_empty() {
        return Err(DecryptError::Malformed(format!("{}: {} encrypted bytes, not whole AES blocks", part.path, data.len())));
    }
    let mut clear = data.to_vec();
    Aes::new(&key)?.decrypt_cbc(&part.iv, &mut clear);
    let checksum_hash = match part.checksum_type.rsplit(['#', '/']).next().unwrap_or("").to_ascii_lowercase().as_str() {
        "sha256-1k" => Some(Hash::Sha256),
        "sha1-1k" | "1k" => Some(Hash::Sha1),
        _ => None,
    };
    let padding = *clear.last().unwrap_or(&0) as usize;
    if !(1..=16).contains(&padding) {
        return Err(mismatch(password));
    }
    clear.truncate(clear.len() - padding);
    if let Some(hash) = checksum_hash {
        if hash.digest(&[&clear[..clear.len().min(1024)]]) != part.checksum {
            return Err(mismatch(password));
        }
    }
    let mut inflated = Vec::new();
    flate2::read::DeflateDecoder::new(clear.as_slice()).take(MAX_PART_BYTES + 1).read_to_end(&mut inflated).map_err(|_| mismatch(password))?;
    if inflated.len() as u64 > MAX_PART_BYTES {
        return Err(DecryptError::Malformed(format!("{} inflates to more than {} MiB", part.path, MAX_PART_BYTES >> 20)));
    }
    Ok(inflated)
}

/// The encryption parameters of every encrypted part named in the manifest.
fn parse_manifest(xml: &[u8]) -> Result<Vec<Part>, DecryptError> {
    let b64 = |v: Option<String>| v.as_deref().and_then(base64).unwrap_or_default();
    let mut reader = reader(xml);
    let mut buf = Vec::new();
    let mut parts = Vec::new();
    let mut current = Part::default();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                b"file-entry" => current = Part { path: attr(&e, b"full-path").unwrap_or_default(), ..Part::default() },
                b"encryption-data" => {
                    current.checksum_type = attr(&e, b"checksum-type").unwrap_or_default();
                    current.checksum = b64(attr(&e, b"checksum"));
                    parts.push(current.clone());
                }
                b"algorithm" => {
                    if let Some(part) = parts.last_mut() {
                        part.algorithm = attr(&e, b"algorithm-name").unwrap_or_default();
                        part.iv = b64(attr(&e, b"initialisation-vector"));
                    }
                }
                b"start-key-generation" => {
                    if let Some(part) = parts.last_mut() {
                        part.start_key = attr(&e, b"start-key-generation-name").unwrap_or_default();
                    }
                }
                b"key-derivation" => {
                    if let Some(part) = parts.last_mut() {
                        part.derivation = attr(&e, b"key-derivation-name").unwrap_or_default();
                        part.iterations = attr(&e, b"iteration-count").and_then(|v| v.parse().ok()).unwrap_or(0);
                        part.key_size = attr(&e, b"key-size").and_then(|v| v.parse().ok()).unwrap_or(16);
                        part.salt = b64(attr(&e, b"salt"));
                    }
                }
                _ => {}
            },
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(DecryptError::Malformed(format!("the package manifest: {e}"))),
        }
        buf.clear();
    }
    Ok(parts)
}
