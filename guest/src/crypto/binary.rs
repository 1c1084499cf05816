//! The RC4 encryption the Office 97-2003 binary formats share ([MS-OFFCRYPTO] 2.3.5–2.3.6):
//! an encryption header (the original RC4 scheme with MD5 key derivation, or RC4 CryptoAPI
//! with SHA-1 and 40- to 128-bit keys), a password verifier, and a key per "block". What a
//! block is differs by format: Excel re-keys every 1024 bytes of its stream
//! ([`super::biff`]), Word every 512 bytes of each stream ([`super::word`]), PowerPoint once
//! per persist object and picture part ([`super::powerpoint`]).

use docsandbox_protocol::ByteReader;

use super::{candidates, mismatch, utf16le, BinaryHeader, DecryptError, Hash, Rc4};

/// A binary document's encryption scheme, from its `EncryptionVersionInfo` on.
pub enum Scheme {
    /// RC4 with MD5 key derivation (Office 97-2000).
    Rc4 { salt: Vec<u8>, verifier: Vec<u8>, verifier_hash: Vec<u8> },
    /// RC4 CryptoAPI with SHA-1 key derivation (Office XP-2003).
    CryptoApi { key_bytes: usize, salt: Vec<u8>, verifier: Vec<u8>, verifier_hash: Vec<u8> },
}

/// What the per-block keys are derived from, once the password is known to fit.
pub struct Keys {
    hash: Hash,
    base: Vec<u8>,
    key_bytes: usize,
}

impl Keys {
    /// The RC4 keystream of block `block`, from its start.
    pub fn block(&self, block: u32) -> Rc4 {
        let mut key = self.hash.digest(&[&self.base, &block.to_le_bytes()]);
        key.truncate(self.key_bytes);
        if key.len() == 5 {
            // 40-bit CryptoAPI keys are used as 128-bit keys padded with zeros.
            key.resize(16, 0);
        }
        Rc4::new(&key)
    }

    /// Decrypts `data`, a whole stream, re-keyed every `block_size` bytes from its start.
    pub fn decrypt_blocks(&self, data: &mut [u8], block_size: usize) {
        for (block, chunk) in data.chunks_mut(block_size).enumerate() {
            self.block(block as u32).apply(chunk);
        }
    }
}

impl Scheme {
    /// Reads the version and what follows it. `what` names the document in errors
    /// ("workbook", "document"...); `rc4` is false for formats that only know CryptoAPI.
    pub fn parse(fields: &mut ByteReader<'_>, what: &str, rc4: bool) -> Result<Scheme, DecryptError> {
        match (fields.u16()?, fields.u16()?) {
            (1, 1) if rc4 => Ok(Scheme::Rc4 { salt: fields.take(16)?.to_vec(), verifier: fields.take(16)?.to_vec(), verifier_hash: fields.take(16)?.to_vec() }),
            (2..=4, 2) => {
                let BinaryHeader { algorithm, key_bits, salt, verifier, verifier_hash, .. } = BinaryHeader::parse(fields, 20)?;
                let key_bits = if key_bits == 0 { 40 } else { key_bits };
                if algorithm != 0x6801 || !(40..=128).contains(&key_bits) || key_bits % 8 != 0 {
                    return Err(DecryptError::Unsupported(format!("{what} CryptoAPI encryption with algorithm {algorithm:#06x} and {key_bits}-bit keys")));
                }
                Ok(Scheme::CryptoApi { key_bytes: key_bits as usize / 8, salt, verifier, verifier_hash })
            }
            (major, minor) => Err(DecryptError::Unsupported(format!("{what} RC4 encryption version {major}.{minor}"))),
        }
    }

    /// The scheme's name for the report, for documents made by `program` ("Excel", "Word").
    pub fn name(&self, program: &str) -> String {
        match self {
            Scheme::Rc4 { .. } => format!("{program} 97-2003 RC4 encryption"),
            Scheme::CryptoApi { key_bytes, .. } => format!("{program} 2002-2003 RC4 CryptoAPI encryption, {}-bit", key_bytes * 8),
        }
    }

    /// The keys, when `password` (or, when none is given, Excel's default) fits.
    pub fn unlock(&self, password: &str) -> Result<Keys, DecryptError> {
        let keys = self.keys(candidates(password));
        if self.verify(&keys) {
            Ok(keys)
        } else {
            Err(mismatch(password))
        }
    }

    fn keys(&self, password: &str) -> Keys {
        match self {
            Scheme::Rc4 { salt, .. } => {
                let h0 = Hash::Md5.digest(&[&utf16le(password)]);
                let mut buffer = Vec::with_capacity(16 * 21);
                for _ in 0..16 {
                    buffer.extend_from_slice(&h0[..5]);
                    buffer.extend_from_slice(salt);
                }
                let h1 = Hash::Md5.digest(&[&buffer]);
                Keys { hash: Hash::Md5, base: h1[..5].to_vec(), key_bytes: 16 }
            }
            Scheme::CryptoApi { key_bytes, salt, .. } => Keys { hash: Hash::Sha1, base: Hash::Sha1.digest(&[salt, &utf16le(password)]), key_bytes: *key_bytes },
        }
    }

    /// Whether the keys decrypt the verifier to a value matching its hash.
    fn verify(&self, keys: &Keys) -> bool {
        let (verifier, verifier_hash) = match self {
            Scheme::Rc4 { verifier, verifier_hash, .. } | Scheme::CryptoApi { verifier, verifier_hash, .. } => (verifier, verifier_hash),
        };
        let mut rc4 = keys.block(0);
        let mut verifier = verifier.clone();
        rc4.apply(&mut verifier);
        let mut verifier_hash = verifier_hash.clone();
        rc4.apply(&mut verifier_hash);
        keys.hash.digest(&[&verifier]) == verifier_hash[..keys.hash.len()]
    }
}
