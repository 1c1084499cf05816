//! Decryption of password-protected documents, done inside the guest with the password
//! from the request. Each scheme has its own module; they share the primitives here and
//! hand back the document as it was before it was encrypted, which is then rendered like
//! any other.
//!
//! - [`ooxml`]: ECMA-376 (MS-OFFCRYPTO) agile and standard encryption of DOCX/XLSX/PPTX.
//! - [`binary`]: the RC4 schemes of the Office 97-2003 binary formats, used by
//!   [`biff`] (Excel 97-2003 workbooks, also their XOR obfuscation, [`xor`]), [`word`]
//!   (Word 97-2003 documents) and [`powerpoint`] (PowerPoint 97-2003 presentations).
//! - [`odf`]: OpenDocument encryption (AES-256-CBC with PBKDF2).
//! - [`pdf`]: owner passwords of PDFs (standard handler, revisions 2-4), for hayro.

pub mod biff;
pub mod binary;
pub mod odf;
pub mod ooxml;
pub mod pdf;
pub mod powerpoint;
pub mod word;
pub mod xor;

use aes::cipher::{Array, BlockCipherDecrypt, KeyInit};
use docsandbox_protocol::{ByteReader, FailureKind, FindingKind, Format, Truncated};
use sha1::Digest;

use crate::dispatch::Job;

/// Why a document could not be decrypted.
#[derive(Debug, PartialEq)]
pub enum DecryptError {
    /// No password was given (and the default one did not fit).
    PasswordRequired,
    /// The password given does not fit.
    WrongPassword,
    /// An encryption scheme the guest does not implement.
    Unsupported(String),
    /// The encryption headers are damaged or implausible.
    Malformed(String),
}

impl DecryptError {
    /// The failure the host sees.
    pub fn failure(&self) -> (FailureKind, String) {
        match self {
            DecryptError::PasswordRequired => (FailureKind::PasswordRequired, "the document is encrypted and needs a password".into()),
            DecryptError::WrongPassword => (FailureKind::WrongPassword, "the password does not open this document".into()),
            DecryptError::Unsupported(what) => (FailureKind::Unsupported, format!("the document is encrypted with {what}, which is not supported")),
            DecryptError::Malformed(what) => (FailureKind::Malformed, format!("damaged encryption: {what}")),
        }
    }
}

/// Renders a decrypted document through the dispatcher as if it had arrived in clear, with the
/// container's `findings` and the scheme noted in its report; or, when decryption failed,
/// announces `format`, reports the findings and says why.
pub fn render(mut job: Job<'_, '_>, format: Format, result: Result<Decrypted, DecryptError>, findings: Vec<(FindingKind, String)>) {
    // A decrypted document may itself be encrypted; each layer is smaller, but a stack of
    // them would still nest the renderers deeply.
    let layers = job.budget().decryptions;
    job.budget().decryptions += 1;
    let result = match result {
        Ok(_) if layers >= MAX_DECRYPTIONS => Err(DecryptError::Malformed(format!("more than {MAX_DECRYPTIONS} encrypted documents inside one another"))),
        other => other,
    };
    match result {
        Ok(decrypted) => {
            for (kind, detail) in &findings {
                job.note(*kind, detail);
            }
            job.note(FindingKind::Encrypted, &decrypted_with(&decrypted.scheme));
            job.render_decrypted(&decrypted.bytes);
        }
        Err(e) => {
            let (kind, message) = e.failure();
            job.refuse(format, &findings, kind, &message);
        }
    }
}

/// The `encrypted` finding's detail for a document decrypted with `scheme`.
pub fn decrypted_with(scheme: &str) -> String {
    format!("decrypted inside the sandbox with the password given ({scheme})")
}

/// Whether `password` opens `document`, for the formats whose passwords can be checked
/// without rendering: encrypted ZIP archives, ECMA-376 encrypted Office files, and
/// encrypted Word, Excel and PowerPoint 97-2003 files. `None` when the document is none
/// of these, or is not encrypted.
pub fn password_fits(document: &[u8], password: &str) -> Option<bool> {
    use crate::formats::ole2::{read_stream, read_stream_start};
    if document.starts_with(b"PK\x03\x04") {
        return crate::formats::archive::zip_password_fits(document, password);
    }
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(document)).ok()?;
    if file.is_stream("EncryptedPackage") {
        let info = read_stream_start(&mut file, "EncryptionInfo", 1 << 20)?;
        return Some(ooxml::password_fits(&info, password));
    }
    if let Some(doc) = read_stream(&mut file, "WordDocument") {
        let flags = docsandbox_protocol::bytes::u16_at(&doc, 0x0A)?;
        let table = read_stream(&mut file, if flags & 0x0200 != 0 { "1Table" } else { "0Table" })?;
        return if flags & word::ENCRYPTED != 0 { fits(word::unlock(&doc, &table, password)) } else { None };
    }
    if file.is_stream("Workbook") {
        return biff::password_fits(&read_stream_start(&mut file, "Workbook", biff::FILE_PASS_WINDOW)?, password);
    }
    crate::formats::pptx::ppt::password_fits(&mut file, password)
}

/// Whether an unlocking says the password fits: `None` when the encryption is damaged or
/// not supported, so that no password is known to fit or not.
pub fn fits<T>(unlocked: Result<T, DecryptError>) -> Option<bool> {
    match unlocked {
        Ok(_) => Some(true),
        Err(DecryptError::WrongPassword | DecryptError::PasswordRequired) => Some(false),
        Err(_) => None,
    }
}

/// Most documents decrypted in one run (an encrypted document inside another, inside
/// another...).
const MAX_DECRYPTIONS: usize = 16;

/// A decrypted document and a short description of how it was protected.
pub struct Decrypted {
    pub bytes: Vec<u8>,
    pub scheme: String,
}

/// The password Excel uses when a workbook is encrypted "without" one (read-only
/// recommended); tried when the request carries no password.
pub const DEFAULT_PASSWORD: &str = "VelvetSweatshop";

/// The passwords to try: the given one, or the default when none was given.
pub fn candidates(password: &str) -> &str {
    if password.is_empty() {
        DEFAULT_PASSWORD
    } else {
        password
    }
}

/// The error for a password that did not fit.
pub fn mismatch(password: &str) -> DecryptError {
    if password.is_empty() {
        DecryptError::PasswordRequired
    } else {
        DecryptError::WrongPassword
    }
}

/// The bytes of a base64 attribute value (salts, IVs, wrapped keys), if it decodes.
pub fn base64(value: &str) -> Option<Vec<u8>> {
    use ::base64::Engine;
    ::base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()
}

/// A password as UTF-16LE, the form Office hashes.
pub fn utf16le(password: &str) -> Vec<u8> {
    password.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// The hash functions the schemes name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The hash named in an ECMA-376 agile header.
    pub fn from_name(name: &str) -> Option<Hash> {
        Some(match name.to_ascii_uppercase().as_str() {
            "MD5" => Hash::Md5,
            "SHA1" | "SHA-1" => Hash::Sha1,
            "SHA256" | "SHA-256" => Hash::Sha256,
            "SHA384" | "SHA-384" => Hash::Sha384,
            "SHA512" | "SHA-512" => Hash::Sha512,
            _ => return None,
        })
    }

    /// Digest length in bytes.
    pub fn len(self) -> usize {
        match self {
            Hash::Md5 => 16,
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The digest of the concatenation of `parts`.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for part in parts {
                d.update(part);
            }
            d.finalize().to_vec()
        }
        match self {
            Hash::Md5 => run::<md5::Md5>(parts),
            Hash::Sha1 => run::<sha1::Sha1>(parts),
            Hash::Sha256 => run::<sha2::Sha256>(parts),
            Hash::Sha384 => run::<sha2::Sha384>(parts),
            Hash::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// An AES key schedule of any of the three key sizes.
pub enum Aes {
    Aes128(aes::Aes128),
    Aes192(aes::Aes192),
    Aes256(aes::Aes256),
}

impl Aes {
    /// A cipher for a 16-, 24- or 32-byte key.
    pub fn new(key: &[u8]) -> Result<Aes, DecryptError> {
        Ok(match key.len() {
            16 => Aes::Aes128(aes::Aes128::new_from_slice(key).expect("16-byte key")),
            24 => Aes::Aes192(aes::Aes192::new_from_slice(key).expect("24-byte key")),
            32 => Aes::Aes256(aes::Aes256::new_from_slice(key).expect("32-byte key")),
            n => return Err(DecryptError::Malformed(format!("an AES key of {} bits", n * 8))),
        })
    }

    fn decrypt_block(&self, block: &mut [u8]) {
        let block: &mut Array<u8, _> = block.try_into().expect("16-byte block");
        match self {
            Aes::Aes128(c) => c.decrypt_block(block),
            Aes::Aes192(c) => c.decrypt_block(block),
            Aes::Aes256(c) => c.decrypt_block(block),
        }
    }

    /// Decrypts whole blocks in ECB mode; a trailing partial block is left as it is.
    pub fn decrypt_ecb(&self, data: &mut [u8]) {
        for block in data.chunks_exact_mut(16) {
            self.decrypt_block(block);
        }
    }

    /// Decrypts whole blocks in CBC mode with `iv` (its first 16 bytes, zero-padded); a
    /// trailing partial block is left as it is.
    pub fn decrypt_cbc(&self, iv: &[u8], data: &mut [u8]) {
        let mut previous = [0u8; 16];
        let n = iv.len().min(16);
        previous[..n].copy_from_slice(&iv[..n]);
        for block in data.chunks_exact_mut(16) {
            let saved: [u8; 16] = block.try_into().expect("16-byte chunk");
            self.decrypt_block(block);
            for (b, p) in block.iter_mut().zip(previous) {
                *b ^= p;
            }
            previous = saved;
        }
    }
}

/// The RC4 stream cipher (used by the Office 97-2003 binary formats' encryption; broken,
/// but that is the format).
#[derive(Clone)]
pub struct Rc4 {
    state: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    /// A keystream for `key` (1 to 256 bytes).
    pub fn new(key: &[u8]) -> Rc4 {
        let mut state = [0u8; 256];
        for (i, s) in state.iter_mut().enumerate() {
            *s = i as u8;
        }
        let mut j = 0u8;
        for i in 0..256 {
            j = j.wrapping_add(state[i]).wrapping_add(key[i % key.len()]);
            state.swap(i, j as usize);
        }
        Rc4 { state, i: 0, j: 0 }
    }

    /// XORs `data` with the next bytes of the keystream.
    pub fn apply(&mut self, data: &mut [u8]) {
        for byte in data {
            self.i = self.i.wrapping_add(1);
            self.j = self.j.wrapping_add(self.state[self.i as usize]);
            self.state.swap(self.i as usize, self.j as usize);
            let k = self.state[(self.state[self.i as usize].wrapping_add(self.state[self.j as usize])) as usize];
            *byte ^= k;
        }
    }
}

/// The binary encryption header and password verifier shared by ECMA-376 standard
/// encryption and RC4 CryptoAPI ([MS-OFFCRYPTO] 2.3.2–2.3.3), read after the version.
pub struct BinaryHeader {
    /// Cipher: 0x660E/F, 0x6610 AES-128/192/256; 0x6801 RC4.
    pub algorithm: u32,
    /// Hash: 0x8004 SHA-1 (0: the default, SHA-1).
    pub hash: u32,
    /// Key size in bits as stored (0: the cipher's default).
    pub key_bits: u32,
    pub salt: Vec<u8>,
    pub verifier: Vec<u8>,
    pub verifier_hash: Vec<u8>,
}

impl BinaryHeader {
    /// Reads the header and verifier; the encrypted verifier hash is `hash_bytes` long (20
    /// for RC4, 32 for AES, whose blocks pad it).
    pub fn parse(fields: &mut ByteReader<'_>, hash_bytes: usize) -> Result<BinaryHeader, DecryptError> {
        fields.u32()?; // flags
        let header_size = fields.u32()? as usize;
        let mut header = ByteReader::new(fields.take(header_size)?);
        header.u32()?; // flags
        header.u32()?; // size extra
        let (algorithm, hash, key_bits) = (header.u32()?, header.u32()?, header.u32()?);
        let salt_size = fields.u32()? as usize;
        let salt = fields.take(salt_size.min(64))?.to_vec();
        let verifier = fields.take(16)?.to_vec();
        fields.u32()?; // verifier hash size
        let verifier_hash = fields.take(hash_bytes)?.to_vec();
        Ok(BinaryHeader { algorithm, hash, key_bits, salt, verifier, verifier_hash })
    }
}

impl From<Truncated> for DecryptError {
    fn from(_: Truncated) -> Self {
        DecryptError::Malformed("the encryption header is truncated".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_matches_the_published_test_vector() {
        // RFC 6229 is for longer keys; this is the classic "Key"/"Plaintext" vector.
        let mut data = *b"Plaintext";
        Rc4::new(b"Key").apply(&mut data);
        assert_eq!(data, [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3]);
    }

    #[test]
    fn aes_cbc_decrypts_the_nist_vector() {
        // NIST SP 800-38A F.2.2, first block (CBC-AES128.Decrypt).
        let key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let mut block = hex("7649abac8119b246cee98e9b12e9197d");
        Aes::new(&key).unwrap().decrypt_cbc(&iv, &mut block);
        assert_eq!(block, hex("6bc1bee22e409f96e93d7e117393172a"));
    }

    #[test]
    fn truncated_headers_are_errors() {
        let mut f = ByteReader::new(&[1, 0, 2]);
        assert_eq!(f.u16().unwrap(), 1);
        assert!(matches!(f.u32().map_err(DecryptError::from), Err(DecryptError::Malformed(_))));
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }
}
