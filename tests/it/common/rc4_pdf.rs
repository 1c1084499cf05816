//! RC4-encrypted PDFs as a standard-security-handler writer makes them, for password tests.

/// ISO 32000-1 7.6.3.3: the bytes a password is padded with.
const PADDING: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C,
    0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

fn md5(parts: &[&[u8]]) -> Vec<u8> {
    use md5::Digest;
    let mut hash = md5::Md5::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().to_vec()
}

fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: Vec<u8> = (0..=255).collect();
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, j as usize);
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            b ^ s[s[i as usize].wrapping_add(s[j as usize]) as usize]
        })
        .collect()
}

fn padded(password: &[u8]) -> Vec<u8> {
    let n = password.len().min(32);
    [&password[..n], &PADDING[..32 - n]].concat()
}

/// The one-page [`super::pdf::text_pdf`], encrypted as a standard-security-handler writer does it:
/// RC4 with a `bits`-bit key, revision 2 (40 bits) or 3, with these user and owner
/// passwords (ISO 32000-1 algorithms 1–5; written independently of docsandbox and hayro).
pub fn rc4_encrypted_pdf(revision: u32, bits: usize, user: &str, owner: &str) -> Vec<u8> {
    let n = if revision == 2 { 5 } else { bits / 8 };
    let id = b"docsandbox-test-id".to_vec();
    let permissions: i32 = -4;
    // Algorithm 3: the O entry.
    let mut hash = md5(&[&padded(owner.as_bytes())]);
    if revision >= 3 {
        for _ in 0..50 {
            hash = md5(&[&hash[..n]]);
        }
    }
    let mut o = rc4(&hash[..n], &padded(user.as_bytes()));
    if revision >= 3 {
        for i in 1..=19u8 {
            o = rc4(&hash[..n].iter().map(|b| b ^ i).collect::<Vec<_>>(), &o);
        }
    }
    // Algorithm 2: the file key.
    let mut key = md5(&[&padded(user.as_bytes()), &o, &permissions.to_le_bytes(), &id]);
    if revision >= 3 {
        for _ in 0..50 {
            key = md5(&[&key[..n]]);
        }
    }
    let key = key[..n].to_vec();
    // Algorithms 4 and 5: the U entry.
    let u = if revision == 2 {
        rc4(&key, &PADDING)
    } else {
        let mut u = rc4(&key, &md5(&[&PADDING, &id]));
        for i in 1..=19u8 {
            u = rc4(&key.iter().map(|b| b ^ i).collect::<Vec<_>>(), &u);
        }
        [u, vec![0; 16]].concat()
    };
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02X}")).collect::<String>();
    // Algorithm 1: each stream with its object's key.
    let content = b"BT /F1 36 Tf 72 672 Td (Page 1) Tj ET 0 0 0 rg 72 592 20 20 re f";
    let object_key = md5(&[&key, &5u32.to_le_bytes()[..3], &[0, 0]]);
    let encrypted = rc4(&object_key[..(n + 5).min(16)], content);
    let version = if revision == 2 { 1 } else { 2 };
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>".to_vec(),
        [format!("<< /Length {} >>\nstream\n", encrypted.len()).into_bytes(), encrypted, b"\nendstream".to_vec()].concat(),
        format!("<< /Filter /Standard /V {version} /R {revision} /Length {bits} /O <{}> /U <{}> /P {permissions} >>", hex(&o), hex(&u)).into_bytes(),
    ];
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R /Encrypt 6 0 R /ID [<{}> <{}>] >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1, hex(&id), hex(&id))
            .as_bytes(),
    );
    out
}
