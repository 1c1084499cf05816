//! ECMA-376 document encryption ([MS-OFFCRYPTO] 2.3.4): a DOCX, XLSX or PPTX package
//! encrypted with a password is stored in an OLE2 compound file as two streams,
//! `EncryptionInfo` (how) and `EncryptedPackage` (the package). Both the agile scheme
//! (Office 2010 and later: an XML header, any hash, AES-CBC in 4096-byte segments) and the
//! standard scheme (Office 2007: SHA-1, AES-ECB) are decrypted here. The package's HMAC
//! (agile `dataIntegrity`) is not checked: the decrypted package is parsed as untrusted
//! input like any other.

use docsandbox_protocol::ByteReader;

use super::{base64, candidates, mismatch, utf16le, Aes, BinaryHeader, DecryptError, Decrypted, Hash};
use crate::ooxml::{attr, reader};

/// Most hashing rounds accepted; the specification's own ceiling.
const MAX_SPIN_COUNT: u32 = 10_000_000;
/// Agile packages are encrypted in segments of this many bytes, each with its own IV.
const SEGMENT: usize = 4096;

/// Whether `password` opens a package whose `EncryptionInfo` stream is `info`.
pub fn password_fits(info: &[u8], password: &str) -> bool {
    unlock(info, password).is_ok()
}

/// The package key and the scheme's name, if `password` fits.
fn unlock(info: &[u8], password: &str) -> Result<(Key, &'static str), DecryptError> {
    let mut fields = ByteReader::new(info);
    let version = (fields.u16()?, fields.u16()?);
    let tried = candidates(password);
    Ok(match version {
        (4, 4) => {
            fields.u32()?; // reserved
            let agile = Agile::parse(fields.rest())?;
            let key = agile.key(tried).ok_or_else(|| mismatch(password))?;
            (Key::Agile(agile, key), "ECMA-376 agile encryption")
        }
        (2..=4, 2) => {
            let standard = Standard::parse(&mut fields)?;
            let key = standard.key(tried)?.ok_or_else(|| mismatch(password))?;
            (Key::Standard(key), "ECMA-376 standard encryption")
        }
        (3 | 4, 3) => return Err(DecryptError::Unsupported("ECMA-376 extensible encryption (a third-party cryptographic provider)".into())),
        (major, minor) => return Err(DecryptError::Malformed(format!("unknown encryption version {major}.{minor}"))),
    })
}

/// Decrypts the package held in `info` (the `EncryptionInfo` stream) and `package` (the
/// `EncryptedPackage` stream) with `password`.
pub fn decrypt(info: &[u8], package: &[u8], password: &str) -> Result<Decrypted, DecryptError> {
    let (key, scheme) = unlock(info, password)?;
    let mut fields = ByteReader::new(package);
    let size = fields.u64()?;
    let mut data = fields.rest().to_vec();
    if size > data.len() as u64 {
        return Err(DecryptError::Malformed(format!("the encrypted package claims {size} bytes but holds {}", data.len())));
    }
    let bits = match &key {
        Key::Agile(agile, key) => {
            let cipher = Aes::new(key)?;
            for (i, segment) in data.chunks_mut(SEGMENT).enumerate() {
                let iv = agile.data.hash.digest(&[&agile.data.salt, &(i as u32).to_le_bytes()]);
                cipher.decrypt_cbc(&iv, segment);
            }
            key.len() * 8
        }
        Key::Standard(key) => {
            Aes::new(key)?.decrypt_ecb(&mut data);
            key.len() * 8
        }
    };
    data.truncate(size as usize);
    Ok(Decrypted { bytes: data, scheme: format!("{scheme}, AES-{bits}") })
}

enum Key {
    Agile(Agile, Vec<u8>),
    Standard(Vec<u8>),
}

/// Parameters shared by the agile `keyData` and password `encryptedKey` elements.
struct Params {
    salt: Vec<u8>,
    hash: Hash,
    key_bits: usize,
}

/// The agile header: how the package is encrypted (`keyData`) and how the package key is
/// wrapped with the password.
struct Agile {
    data: Params,
    password: Params,
    spin_count: u32,
    verifier_input: Vec<u8>,
    verifier_value: Vec<u8>,
    key_value: Vec<u8>,
}

impl Agile {
    fn parse(xml: &[u8]) -> Result<Agile, DecryptError> {
        let malformed = |what: &str| DecryptError::Malformed(format!("agile encryption header: {what}"));
        let mut reader = reader(xml);
        let mut buf = Vec::new();
        let mut data = None;
        let mut password = None;
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => match e.local_name().as_ref().as_bytes() {
                    b"keyData" => data = Some(params(&e)?),
                    b"encryptedKey" if password.is_none() => {
                        let get = |name: &[u8]| attr(&e, name).as_deref().and_then(base64);
                        let spin_count = attr(&e, b"spinCount").and_then(|v| v.parse::<u32>().ok()).ok_or_else(|| malformed("no spin count"))?;
                        if spin_count > MAX_SPIN_COUNT {
                            return Err(malformed(&format!("a spin count of {spin_count}")));
                        }
                        let p = params(&e)?;
                        password = Some((
                            p,
                            spin_count,
                            get(b"encryptedVerifierHashInput").ok_or_else(|| malformed("no verifier"))?,
                            get(b"encryptedVerifierHashValue").ok_or_else(|| malformed("no verifier hash"))?,
                            get(b"encryptedKeyValue").ok_or_else(|| malformed("no key"))?,
                        ));
                    }
                    _ => {}
                },
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(malformed(&e.to_string())),
            }
            buf.clear();
        }
        let data = data.ok_or_else(|| malformed("no keyData"))?;
        let (password, spin_count, verifier_input, verifier_value, key_value) =
            password.ok_or_else(|| DecryptError::Unsupported("agile encryption without a password key (certificate encryption)".into()))?;
        Ok(Agile { data, password, spin_count, verifier_input, verifier_value, key_value })
    }

    /// The package key, if `password` fits.
    fn key(&self, password: &str) -> Option<Vec<u8>> {
        let p = &self.password;
        let mut h = p.hash.digest(&[&p.salt, &utf16le(password)]);
        for i in 0..self.spin_count {
            h = p.hash.digest(&[&i.to_le_bytes(), &h]);
        }
        let unwrap = |block_key: &[u8], encrypted: &[u8]| -> Option<Vec<u8>> {
            let mut key = p.hash.digest(&[&h, block_key]);
            key.resize(p.key_bits / 8, 0x36);
            let mut out = encrypted.to_vec();
            Aes::new(&key).ok()?.decrypt_cbc(&p.salt, &mut out);
            Some(out)
        };
        let input = unwrap(&[0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79], &self.verifier_input)?;
        let value = unwrap(&[0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e], &self.verifier_value)?;
        let expected = p.hash.digest(&[input.get(..p.salt.len())?]);
        if value.get(..expected.len())? != expected.as_slice() {
            return None;
        }
        let key = unwrap(&[0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6], &self.key_value)?;
        key.get(..self.data.key_bits / 8).map(<[u8]>::to_vec)
    }
}

/// Reads the cipher parameters of a `keyData` or `encryptedKey` element; only AES in CBC
/// mode is defined for password encryption.
fn params(e: &quick_xml::events::BytesStart<'_>) -> Result<Params, DecryptError> {
    let cipher = attr(e, b"cipherAlgorithm").unwrap_or_default();
    let chaining = attr(e, b"cipherChaining").unwrap_or_default();
    if cipher != "AES" || chaining != "ChainingModeCBC" {
        return Err(DecryptError::Unsupported(format!("agile encryption with {cipher} {chaining}")));
    }
    let hash_name = attr(e, b"hashAlgorithm").unwrap_or_default();
    let hash = Hash::from_name(&hash_name).ok_or_else(|| DecryptError::Unsupported(format!("agile encryption with the {hash_name} hash")))?;
    let salt = attr(e, b"saltValue").as_deref().and_then(base64).unwrap_or_default();
    let key_bits = attr(e, b"keyBits").and_then(|v| v.parse().ok()).unwrap_or(0);
    let block_size = attr(e, b"blockSize").and_then(|v| v.parse().ok()).unwrap_or(0);
    if !matches!(key_bits, 128 | 192 | 256) || block_size != 16 || salt.is_empty() || salt.len() > 64 {
        return Err(DecryptError::Malformed(format!("agile encryption with {key_bits}-bit keys, {block_size}-byte blocks and a {}-byte salt", salt.len())));
    }
    Ok(Params { salt, hash, key_bits })
}

/// The standard header: an AES key derived from the password with SHA-1, and a verifier.
struct Standard {
    key_bytes: usize,
    salt: Vec<u8>,
    verifier: Vec<u8>,
    verifier_hash: Vec<u8>,
}

impl Standard {
    fn parse(fields: &mut ByteReader<'_>) -> Result<Standard, DecryptError> {
        let BinaryHeader { algorithm, hash, key_bits, salt, verifier, verifier_hash } = BinaryHeader::parse(fields, 32)?;
        if !matches!(algorithm, 0x660E..=0x6610) {
            return Err(DecryptError::Unsupported(format!("standard encryption with algorithm {algorithm:#06x} (only AES is defined for packages)")));
        }
        if hash != 0x8004 && hash != 0 {
            return Err(DecryptError::Unsupported(format!("standard encryption with hash {hash:#06x}")));
        }
        if !matches!(key_bits, 128 | 192 | 256) {
            return Err(DecryptError::Malformed(format!("standard encryption with {key_bits}-bit keys")));
        }
        Ok(Standard { key_bytes: key_bits as usize / 8, salt, verifier, verifier_hash })
    }

    /// The AES key, if `password` fits.
    fn key(&self, password: &str) -> Result<Option<Vec<u8>>, DecryptError> {
        let mut h = Hash::Sha1.digest(&[&self.salt, &utf16le(password)]);
        for i in 0..50_000u32 {
            h = Hash::Sha1.digest(&[&i.to_le_bytes(), &h]);
        }
        let h = Hash::Sha1.digest(&[&h, &0u32.to_le_bytes()]);
        let derive = |pad: u8| {
            let mut buf = [pad; 64];
            for (b, x) in buf.iter_mut().zip(&h) {
                *b ^= x;
            }
            Hash::Sha1.digest(&[&buf])
        };
        let mut key = derive(0x36);
        key.extend(derive(0x5c));
        key.truncate(self.key_bytes);
        let cipher = Aes::new(&key)?;
        let mut verifier = self.verifier.clone();
        cipher.decrypt_ecb(&mut verifier);
        let mut verifier_hash = self.verifier_hash.clone();
        cipher.decrypt_ecb(&mut verifier_hash);
        Ok((Hash::Sha1.digest(&[&verifier]) == verifier_hash[..20]).then_some(key))
    }
}
