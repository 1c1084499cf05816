//! Word 97-2003 document encryption ([MS-DOC] 2.2.6.2, [MS-OFFCRYPTO] 2.3.6): the FIB's
//! `fEncrypted` flag, and the encryption header (`lKey` bytes) at the start of the table
//! stream. The WordDocument stream after the 68-byte FibBase, the table stream after the
//! header and the whole Data stream are RC4-encrypted, re-keyed every 512 bytes counted
//! from each stream's start. Both RC4 (MD5) and RC4 CryptoAPI are decrypted, in place;
//! XOR obfuscation (`fObfuscated`, Word 95's scheme kept for compatibility) is refused by
//! name.

use docsandbox_protocol::bytes::{u16_at, u32_at};
use docsandbox_protocol::ByteReader;

use super::binary::{Keys, Scheme};
use super::DecryptError;

/// FibBase flags: the document is encrypted; it is XOR-obfuscated rather than encrypted.
pub const ENCRYPTED: u16 = 0x0100;
const OBFUSCATED: u16 = 0x8000;
/// Bytes at the start of the WordDocument stream left in clear: the FibBase.
const CLEAR_FIB: usize = 68;
/// Streams are re-keyed every this many bytes.
const BLOCK: usize = 512;

/// The three streams of a document, decrypted in place when `password` fits. `doc` is the
/// WordDocument stream, `table` the table stream its FIB names. Returns the scheme's name.
pub fn decrypt(doc: &mut [u8], table: &mut [u8], data: &mut [u8], password: &str) -> Result<String, DecryptError> {
    let (scheme, keys, header_len) = unlock(doc, table, password)?;
    for (stream, clear) in [(doc, CLEAR_FIB), (table, header_len), (data, 0)] {
        let clear = clear.min(stream.len());
        let kept = stream[..clear].to_vec();
        keys.decrypt_blocks(stream, BLOCK);
        stream[..clear].copy_from_slice(&kept);
    }
    Ok(scheme.name("Word"))
}

/// The scheme, the keys and the header's length, when `password` fits; `doc` needs only
/// its FibBase.
pub fn unlock(doc: &[u8], table: &[u8], password: &str) -> Result<(Scheme, Keys, usize), DecryptError> {
    let flags = u16_at(doc, 0x0A).ok_or(DecryptError::Malformed("the file information block is truncated".into()))?;
    if flags & OBFUSCATED != 0 {
        return Err(DecryptError::Unsupported("Word XOR obfuscation (Word 95-compatible encryption)".into()));
    }
    let header_len = u32_at(doc, 0x0E).map_or(usize::MAX, |n| n as usize);
    let Some(header) = table.get(..header_len) else {
        return Err(DecryptError::Malformed("the encryption header is longer than the table stream".into()));
    };
    let scheme = Scheme::parse(&mut ByteReader::new(header), "document", true)?;
    let keys = scheme.unlock(password)?;
    Ok((scheme, keys, header_len))
}
