//! Excel's XOR obfuscation ([MS-OFFCRYPTO] 2.3.7.1–2.3.7.3, method 1): a 16-bit key and
//! a 16-bit password verifier in the workbook's `FilePass` record, and a 16-byte array,
//! made from the password, that every encrypted byte is XORed with before a 5-bit
//! rotation. Workbooks protected by Excel 95 and earlier use it, and so does malware
//! that wants a file to open without asking (with Excel's default password).

/// The pad bytes after a password in the XOR array.
const PAD: [u8; 15] = [0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00];
/// The key's starting value, by password length.
const INITIAL_CODE: [u16; 15] = [0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3];
/// What each of the 7 low bits of each password character XORs into the key.
#[rustfmt::skip]
const XOR_MATRIX: [u16; 105] = [
    0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF,
    0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40,
    0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A,
    0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0,
    0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10,
    0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C,
    0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC,
    0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4,
];

/// A password as method 1 takes it: its characters as single bytes (Latin-1, others as
/// `?`), at most 15.
pub fn password_bytes(password: &str) -> Vec<u8> {
    password.chars().take(15).map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect()
}

/// 2.3.7.1: the password verifier stored in the file.
pub fn verifier(password: &[u8]) -> u16 {
    let length = u8::try_from(password.len()).unwrap_or(u8::MAX);
    let mut verifier: u16 = 0;
    for &byte in std::iter::once(&length).chain(password).rev() {
        let high = u16::from(verifier & 0x4000 != 0);
        verifier = (((verifier << 1) & 0x7FFF) | high) ^ u16::from(byte);
    }
    verifier ^ 0xCE4B
}

/// 2.3.7.2: the key stored in the file, from which the XOR array is made.
pub fn key(password: &[u8]) -> u16 {
    let Some(&first) = password.len().checked_sub(1).and_then(|i| INITIAL_CODE.get(i)) else { return 0 };
    let mut key = first;
    let mut element = XOR_MATRIX.len();
    for &c in password.iter().rev() {
        let mut c = c;
        for _ in 0..7 {
            element -= 1;
            if c & 0x40 != 0 {
                key ^= XOR_MATRIX[element];
            }
            c <<= 1;
        }
    }
    key
}

/// 2.3.7.2: the 16-byte XOR array.
pub fn array(password: &[u8]) -> [u8; 16] {
    let key = key(password);
    let [high, low] = key.to_be_bytes();
    let xor_ror = |a: u8, b: u8| (a ^ b).rotate_right(1);
    let mut out = [0u8; 16];
    let mut index = password.len();
    if index % 2 == 1 {
        out[index] = xor_ror(PAD[0], high);
        index -= 1;
        out[index] = xor_ror(password[password.len() - 1], low);
    }
    while index > 0 {
        index -= 1;
        out[index] = xor_ror(password[index], high);
        index -= 1;
        out[index] = xor_ror(password[index], low);
    }
    // The pad after the password, from the end, in pairs: the last pair may end one
    // before the pad's start (the odd case above already placed its first byte).
    let mut index = 15usize;
    let mut pad = 15 - password.len().min(15) as isize;
    while pad > 0 {
        out[index] = xor_ror(PAD[pad as usize], high);
        index -= 1;
        pad -= 1;
        out[index] = xor_ror(PAD[pad as usize], low);
        index = index.saturating_sub(1);
        pad -= 1;
    }
    out
}

/// 2.3.7.3: decrypts `data` in place, its first byte at position `index` of the array.
pub fn decrypt(array: &[u8; 16], data: &mut [u8], index: usize) {
    for (i, byte) in data.iter_mut().enumerate() {
        *byte = (*byte ^ array[(index + i) % 16]).rotate_right(5);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_key_and_array_are_consistent() {
        let password = password_bytes("password");
        // The verifier Excel stores for "password" (also the sheet-protection hash of it).
        assert_eq!(verifier(&password), 0x83AF);
        for length in 1..=15 {
            let password = vec![b'a'; length];
            let array = array(&password);
            // An even pad never runs past the array's start, an odd one fills it.
            assert_eq!(array.len(), 16);
        }
        let mut data = *b"plain text bytes";
        let original = data;
        let array = array(&password);
        // Encrypting is rotating left by 5, then XOR; decrypting undoes it.
        for (i, byte) in data.iter_mut().enumerate() {
            *byte = byte.rotate_left(5) ^ array[(3 + i) % 16];
        }
        decrypt(&array, &mut data, 3);
        assert_eq!(data, original);
    }
}
