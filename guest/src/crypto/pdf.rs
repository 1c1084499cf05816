//! Owner passwords of PDFs encrypted with the standard security handler, revisions 2–4
//! (RC4 40 to 128 bits, AES-128), which hayro only accepts as user passwords.
//!
//! ISO 32000-1 Algorithm 7: the owner password gives an RC4 key (Algorithm 3, steps a–d)
//! that decrypts the `/O` entry back to the padded user password. hayro is then given
//! that user password. The encryption dictionary is found with a small tolerant scan of
//! the file (its strings are never encrypted), bounded in what it reads.

use super::{Hash, Rc4};

/// ISO 32000-1 7.6.3.3: the bytes a password is padded with to 32.
const PADDING: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C,
    0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];
/// Longest encryption dictionary read.
const MAX_DICT: usize = 64 << 10;

/// What Algorithm 7 needs from the encryption dictionary.
#[derive(Debug, PartialEq)]
struct Standard {
    revision: u32,
    /// File key length in bytes.
    key_length: usize,
    owner: Vec<u8>,
}

/// The user password that `owner_password` unlocks in `document`, when the document is
/// encrypted with the standard handler, revision 2, 3 or 4, and the user password is text.
/// Whether it is right is for the PDF reader to find out.
pub fn user_password_from_owner(document: &[u8], owner_password: &str) -> Option<String> {
    let standard = encryption_dictionary(document)?;
    let padded = user_password(&standard, owner_password.as_bytes())?;
    // The padded user password is the password followed by the start of the padding.
    let length = (0..=32).find(|&n| padded[n..] == PADDING[..32 - n])?;
    String::from_utf8(padded[..length].to_vec()).ok()
}

/// Algorithm 7 steps a and b: the padded user password from an owner password.
fn user_password(standard: &Standard, owner_password: &[u8]) -> Option<[u8; 32]> {
    let mut padded = [0u8; 32];
    let n = owner_password.len().min(32);
    padded[..n].copy_from_slice(&owner_password[..n]);
    padded[n..].copy_from_slice(&PADDING[..32 - n]);
    let mut hash = Hash::Md5.digest(&[&padded]);
    let key_length = if standard.revision == 2 { 5 } else { standard.key_length.clamp(5, 16) };
    if standard.revision >= 3 {
        for _ in 0..50 {
            hash = Hash::Md5.digest(&[&hash[..key_length]]);
        }
    }
    let key = &hash[..key_length];
    let mut user: [u8; 32] = standard.owner.get(..32)?.try_into().ok()?;
    if standard.revision == 2 {
        Rc4::new(key).apply(&mut user);
    } else {
        for i in (0..=19u8).rev() {
            let round: Vec<u8> = key.iter().map(|b| b ^ i).collect();
            Rc4::new(&round).apply(&mut user);
        }
    }
    Some(user)
}

/// The standard handler's revision, key length and `/O` entry, from the last `/Encrypt`
/// the file names (the newest trailer), direct or by reference.
fn encryption_dictionary(document: &[u8]) -> Option<Standard> {
    let at = last_encrypt_key(document)? + b"/Encrypt".len();
    let rest = skip_space(document, at);
    let start = if document[rest..].starts_with(b"<<") {
        rest
    } else {
        // `N G R`: the object `N G obj`, its last definition.
        let (number, after) = integer(document, rest)?;
        let (generation, _) = integer(document, skip_space(document, after))?;
        let header = format!("{number} {generation} obj");
        let mut from = document.len();
        let found = loop {
            let position = rfind(&document[..from], header.as_bytes())?;
            if position == 0 || !document[position - 1].is_ascii_digit() {
                break position;
            }
            from = position;
        };
        find(&document[found..], b"<<")? + found
    };
    let dict = top_level_entries(&document[start..document.len().min(start + MAX_DICT)])?;
    let number = |key: &[u8]| dict.iter().find(|(k, _)| k == key).and_then(|(_, v)| integer(v, 0)).map(|(n, _)| n);
    if dict.iter().find(|(k, _)| k == b"Filter").is_some_and(|(_, v)| !v.starts_with(b"/Standard")) {
        return None;
    }
    let revision = u32::try_from(number(b"R")?).ok().filter(|r| (2..=4).contains(r))?;
    let version = number(b"V").unwrap_or(0);
    let bits = number(b"Length").unwrap_or(if version >= 4 { 128 } else { 40 });
    let owner = dict.iter().find(|(k, _)| k == b"O").and_then(|(_, v)| string(v))?;
    Some(Standard { revision, key_length: usize::try_from(bits / 8).ok()?, owner })
}

/// Where the last `/Encrypt` key of `document` starts (not `/EncryptMetadata`, which an
/// encryption dictionary holds itself).
pub fn last_encrypt_key(document: &[u8]) -> Option<usize> {
    document.windows(9).rposition(|w| &w[..8] == b"/Encrypt" && !w[8].is_ascii_alphanumeric())
}

/// The names at the outermost level of the dictionary starting at `bytes` (`<<`), each
/// with the bytes after it, where its value starts. Names that are values (`/Standard`)
/// are listed too; looking keys up finds the key first, and hayro checks the password
/// this leads to anyway.
fn top_level_entries(bytes: &[u8]) -> Option<Vec<(Vec<u8>, &[u8])>> {
    let mut entries = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 2;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.checked_sub(1)?;
                i += 2;
                if depth == 0 {
                    return Some(entries);
                }
            }
            b'(' => i = skip_literal(bytes, i)?,
            b'<' => i += find(&bytes[i..], b">")? + 1,
            b'/' => {
                let end = (i + 1..bytes.len()).find(|&j| is_delimiter(bytes[j])).unwrap_or(bytes.len());
                if depth == 1 {
                    entries.push((bytes[i + 1..end].to_vec(), &bytes[skip_space(bytes, end)..]));
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    None
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'/' | b'<' | b'>' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'%')
}

/// The index after the literal string starting at `start` (`(`), nested parentheses and
/// escapes included.
fn skip_literal(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A string value (literal or hex) at the start of `bytes`.
fn string(bytes: &[u8]) -> Option<Vec<u8>> {
    match bytes.first()? {
        b'(' => {
            let end = skip_literal(bytes, 0)?;
            let inner = &bytes[1..end - 1];
            let mut out = Vec::with_capacity(inner.len());
            let mut i = 0;
            while i < inner.len() {
                let b = inner[i];
                i += 1;
                if b != b'\\' {
                    out.push(b);
                    continue;
                }
                let Some(&e) = inner.get(i) else { break };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'\r' => {
                        if inner.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    b'0'..=b'7' => {
                        let mut value = u32::from(e - b'0');
                        for _ in 0..2 {
                            match inner.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(value as u8);
                    }
                    other => out.push(other),
                }
            }
            Some(out)
        }
        b'<' => {
            let end = find(bytes, b">")?;
            let digits: Vec<u8> = bytes[1..end].iter().filter_map(|b| (*b as char).to_digit(16)).map(|d| d as u8).collect();
            Some(digits.chunks(2).map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0)).collect())
        }
        _ => None,
    }
}

/// A non-negative integer at `at` and the index after it.
fn integer(bytes: &[u8], at: usize) -> Option<(u64, usize)> {
    let digits = bytes.get(at..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let value = std::str::from_utf8(&bytes[at..at + digits]).ok()?.parse().ok()?;
    Some((value, at + digits))
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Algorithm 3: the `/O` entry a writer makes from the two passwords.
    fn owner_entry(revision: u32, key_length: usize, owner: &[u8], user: &[u8]) -> Vec<u8> {
        let pad = |p: &[u8]| -> [u8; 32] {
            let mut out = [0u8; 32];
            let n = p.len().min(32);
            out[..n].copy_from_slice(&p[..n]);
            out[n..].copy_from_slice(&PADDING[..32 - n]);
            out
        };
        let mut hash = Hash::Md5.digest(&[&pad(owner)]);
        let n = if revision == 2 { 5 } else { key_length };
        if revision >= 3 {
            for _ in 0..50 {
                hash = Hash::Md5.digest(&[&hash[..n]]);
            }
        }
        let mut out = pad(user);
        Rc4::new(&hash[..n]).apply(&mut out);
        if revision >= 3 {
            for i in 1..=19u8 {
                let key: Vec<u8> = hash[..n].iter().map(|b| b ^ i).collect();
                Rc4::new(&key).apply(&mut out);
            }
        }
        out.to_vec()
    }

    fn literal(bytes: &[u8]) -> Vec<u8> {
        let mut out = b"(".to_vec();
        for b in bytes {
            out.extend(format!("\\{b:03o}").as_bytes());
        }
        out.push(b')');
        out
    }

    #[test]
    fn owner_passwords_give_the_user_password_for_revisions_2_to_4() {
        for (revision, version, bits) in [(2, 1, 40), (3, 2, 128), (3, 2, 40), (4, 4, 128)] {
            let o = owner_entry(revision, bits / 8, b"ownerpw", b"userpw");
            let hexed: String = o.iter().map(|b| format!("{b:02X}")).collect();
            for o_text in [format!("<{hexed}>").into_bytes(), literal(&o)] {
                let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n7 0 obj\n<< /Filter /Standard /CF << /StdCF << /Length 16 >> >> /O ".to_vec();
                pdf.extend(&o_text);
                pdf.extend(
                    format!(" /U <00> /P -4 /R {revision} /V {version} /Length {bits} >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 7 0 R >>\n").as_bytes(),
                );
                assert_eq!(user_password_from_owner(&pdf, "ownerpw").as_deref(), Some("userpw"), "R{revision} {bits} bits");
                assert_ne!(user_password_from_owner(&pdf, "wrong").as_deref(), Some("userpw"));
            }
        }
        // A direct encryption dictionary ending in /EncryptMetadata.
        let o = owner_entry(4, 16, b"ownerpw", b"userpw");
        let hexed: String = o.iter().map(|b| format!("{b:02x}")).collect();
        let pdf = format!("trailer << /Encrypt << /Filter /Standard /R 4 /V 4 /O <{hexed}> /U <00> /P -4 /EncryptMetadata false >> >>");
        assert_eq!(user_password_from_owner(pdf.as_bytes(), "ownerpw").as_deref(), Some("userpw"));
        // An empty user password comes back empty.
        let o = owner_entry(2, 5, b"owner", b"");
        let hexed: String = o.iter().map(|b| format!("{b:02x}")).collect();
        let pdf = format!("trailer << /Encrypt << /Filter/Standard/R 2/V 1/O<{hexed}>/U<00>/P -4>> >>");
        assert_eq!(user_password_from_owner(pdf.as_bytes(), "owner").as_deref(), Some(""));
    }

    #[test]
    fn damaged_dictionaries_give_nothing() {
        for pdf in [
            &b"trailer << /Encrypt 9 0 R >>"[..],
            b"/Encrypt << /R 2 /O (short) >>",
            b"/Encrypt << /R 6 /O <00> >>",
            b"/Encrypt << /R 2 /O (unterminated",
            b"/Encrypt <<<<<<>>",
            b"/Encrypt",
            b"/Encrypt 99999999999999999999 0 R",
        ] {
            assert_eq!(user_password_from_owner(pdf, "x"), None, "{:?}", String::from_utf8_lossy(pdf));
        }
    }
}
