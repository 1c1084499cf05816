//! Outlook messages (`.msg`, [MS-OXMSG]): their property streams read from the OLE2
//! container the router opened, into the [`Mail`] every message is shown as.

use super::Mail;
use crate::formats::ole2::{read_stream, Compound};

/// An Outlook message's headers, body and attachments, from its property streams
/// ([MS-OXMSG]): `__substg1.0_TTTTYYYY`, tag T and type Y (001F UTF-16, 001E 8-bit,
/// 0102 binary).
pub fn read(file: &mut Compound) -> Mail {
    let text = |file: &mut Compound, dir: &str, tag: &str| -> String {
        if let Some(data) = read_stream(file, &format!("{dir}__substg1.0_{tag}001F")) {
            let units: Vec<u16> = data.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            return String::from_utf16_lossy(&units).trim_end_matches('\0').to_owned();
        }
        // 8-bit strings are in the message's code page (Big5, Shift_JIS...): detected.
        read_stream(file, &format!("{dir}__substg1.0_{tag}001E"))
            .map(|d| crate::formats::text::decode(&d).0.trim_end_matches('\0').to_owned())
            .unwrap_or_default()
    };
    let sender = text(file, "/", "0C1A");
    let sender_address = text(file, "/", "0C1F");
    let from = match (sender.is_empty(), sender_address.is_empty()) {
        (false, false) => format!("{sender} <{sender_address}>"),
        (false, true) => sender,
        _ => sender_address,
    };
    let headers = vec![("From", from), ("To", text(file, "/", "0E04")), ("Cc", text(file, "/", "0E03")), ("Subject", text(file, "/", "0037"))];
    let body = text(file, "/", "1000").chars().take(500_000).collect();
    let mut storages: Vec<String> =
        file.read_root_storage().filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#")).map(|e| e.name().to_owned()).collect();
    storages.sort();
    let mut attachments = Vec::new();
    for storage in storages.into_iter().take(100) {
        let dir = format!("/{storage}/");
        let name = Some(text(file, &dir, "3707")).filter(|n| !n.is_empty()).unwrap_or_else(|| text(file, &dir, "3704"));
        if let Some(data) = read_stream(file, &format!("{dir}__substg1.0_37010102")) {
            attachments.push((if name.is_empty() { storage.clone() } else { name }, data));
        }
    }
    Mail { headers, body, attachments }
}
