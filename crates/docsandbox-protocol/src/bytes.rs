//! The one little-endian byte reader of the project: the protocol's decoders, the worker's
//! envelopes, and the guest's binary formats (encryption headers, Word 97 structures) all
//! read through it, so a length is checked against the bytes present in one place.

use core::fmt;

/// Fewer bytes left than a read needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncated;

impl fmt::Display for Truncated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("truncated")
    }
}

impl std::error::Error for Truncated {}

/// Reads little-endian values from the front of a byte slice; every read is checked.
#[derive(Debug, Clone)]
pub struct ByteReader<'a> {
    bytes: &'a [u8],
}

impl<'a> ByteReader<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        ByteReader { bytes }
    }

    /// A reader over `bytes` from `offset` on (`Truncated` past the end).
    pub fn at(bytes: &'a [u8], offset: usize) -> Result<Self, Truncated> {
        bytes.get(offset..).map(ByteReader::new).ok_or(Truncated)
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Truncated> {
        if n > self.bytes.len() {
            return Err(Truncated);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// The next `N` bytes, as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Truncated> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Result<(), Truncated> {
        self.take(n).map(drop)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, Truncated> {
        Ok(self.array::<1>()?[0])
    }

    /// A little-endian `u16`.
    pub fn u16(&mut self) -> Result<u16, Truncated> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// A little-endian `u32`.
    pub fn u32(&mut self) -> Result<u32, Truncated> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A little-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, Truncated> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// Bytes preceded by their `u32` length.
    pub fn prefixed(&mut self) -> Result<&'a [u8], Truncated> {
        let len = self.u32()?;
        self.take(usize::try_from(len).map_err(|_| Truncated)?)
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.bytes)
    }
}

/// The little-endian `u16` at `offset`, if the bytes reach that far.
pub fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    ByteReader::at(bytes, offset).and_then(|mut r| r.u16()).ok()
}

/// The little-endian `u32` at `offset`, if the bytes reach that far.
pub fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    ByteReader::at(bytes, offset).and_then(|mut r| r.u32()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_checked() {
        let mut r = ByteReader::new(&[1, 2, 0, 3, 0, 0, 0, 9]);
        assert_eq!(r.u8(), Ok(1));
        assert_eq!(r.u16(), Ok(2));
        assert_eq!(r.u32(), Ok(3));
        assert_eq!(r.u16(), Err(Truncated));
        assert_eq!(r.rest(), &[9]);
        assert_eq!(u32_at(&[0, 5, 0, 0, 0], 1), Some(5));
        assert_eq!(u32_at(&[0, 5, 0, 0], 1), None);
        assert_eq!(u16_at(&[1, 2], usize::MAX), None);
        assert!(ByteReader::new(&[255, 255, 255, 255, 1]).prefixed().is_err());
    }
}
