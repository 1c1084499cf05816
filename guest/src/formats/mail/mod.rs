//! E-mail (`.eml`, MIME) parsed with mail-parser: a first page with From, To, Cc, Date and
//! Subject (RFC 2047 decoded, ISO-2022-JP included) and the body as text (an HTML body is
//! reduced to text: nothing remote, nothing executed); then every attachment rendered in
//! turn through the dispatcher, recursively, its pages labelled with its name.
//!
//! Internet messages are read in [`eml`], Outlook `.msg` files in [`msg`] (reached through
//! the OLE2 router), both into the same [`Mail`], shown the same way.
//!
//! The report lists every attachment, and says when the body mentions a password while an
//! attachment is an encrypted archive: the pattern Emotet used to slip past scanners.

use docsandbox_protocol::{FindingKind, Format};
use unicode_normalization::UnicodeNormalization;

use crate::dispatch::Job;
use crate::layout::paint::{self, Block, Canvas, Flow, PageSetup, Painter, SpanStyle};
use crate::report::Report;

pub mod eml;
pub mod msg;

/// Most attachments rendered from one message.
pub(crate) const MAX_ATTACHMENTS: usize = 100;
/// Longest body shown, in characters.
pub(crate) const MAX_BODY_CHARS: usize = 500_000;

/// Whether bytes look like an Internet message: header lines, with a From, Received,
/// MIME-Version or Message-ID among the first ones.
pub fn looks_like_mail(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let first = head.lines().next().unwrap_or_default();
    // An mbox file starts with a "From sender date" separator line.
    let header_like = first.starts_with("from ")
        || first.split_once(':').is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let header_part = head.split("\n\n").next().unwrap_or_default();
    header_like
        && ["\nfrom:", "\nreceived:", "\nmime-version:", "\nmessage-id:", "\nsubject:"].iter().filter(|h| format!("\n{header_part}").contains(*h)).count() >= 2
}

/// A message reduced to what is shown: header lines, body text and attachments.
pub struct Mail {
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// Renders a message: the header and body page, then each attachment in turn.
pub fn show(job: Job<'_, '_>, format: Format, mail: Mail) {
    let request = job.request;
    let mut job = job.begin_container(format);
    let mut report = Report::new(request.max_report_bytes);
    let mut painter = Painter::new();
    let mut canvas = Canvas::new();
    let label = SpanStyle { family: "Liberation Sans".into(), size: 10.0, bold: true, color: [0x55, 0x55, 0x55], ..Default::default() };
    let value = SpanStyle { family: "Liberation Sans".into(), size: 10.0, ..Default::default() };
    let line = |name: &str, text: String| {
        Flow::Para(Block { spans: vec![(format!("{name}: "), label.clone()), (text, value.clone())], line_height: 1.0, space_after: 2.0, ..Default::default() })
    };
    let mut items: Vec<Flow> = mail.headers.iter().filter(|(_, v)| !v.is_empty()).map(|(name, v)| line(name, clean(v))).collect();
    if !mail.attachments.is_empty() {
        items.push(line("Attachments", mail.attachments.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")));
    }
    items.push(Flow::Para(Block { spans: vec![("─".repeat(60), value.clone())], line_height: 1.0, space_after: 8.0, ..Default::default() }));
    let body_style = SpanStyle { family: "Liberation Sans".into(), size: 10.5, ..Default::default() };
    for text in mail.body.lines() {
        items.push(Flow::Para(Block { spans: vec![(clean(text), body_style.clone())], line_height: 1.0, ..Default::default() }));
    }
    let setup = PageSetup { width: 595.0, height: 842.0, margin_top: 54.0, margin_right: 54.0, margin_bottom: 54.0, margin_left: 54.0 };
    paint::flow(&mut painter, &mut canvas, &items, setup);
    job.send_all_pages(&canvas);
    let body_lower = mail.body.to_lowercase();
    let mentions_password = PASSWORD_WORDS.iter().any(|w| body_lower.contains(&w.to_lowercase()));
    let candidates = if request.passwords_from_message { password_candidates(&mail.body) } else { Vec::new() };
    for (name, contents) in mail.attachments {
        report.add(FindingKind::Attachment, &format!("{name} ({} bytes)", contents.len()));
        if mentions_password && is_encrypted_zip(&contents) {
            report.add(
                FindingKind::PasswordInBody,
                &format!("the body mentions a password and {name} is an encrypted archive (a pattern used to get malware past scanners)"),
            );
        }
        if job.pages_done() {
            continue;
        }
        // Opt-in: an attachment the given password does not open may be opened with one
        // the body states. (Checking costs a decryption, so only when there are candidates.)
        let given_fails = !candidates.is_empty() && crate::crypto::password_fits(&contents, request.password) == Some(false);
        let from_body = if given_fails { candidates.iter().find(|c| crate::crypto::password_fits(&contents, c) == Some(true)) } else { None };
        if let Some(password) = from_body {
            report.add(FindingKind::PasswordFromMessage, &format!("{name} was opened with a password stated in the message body"));
            job.render_entry(&name, &contents, Some(password));
        } else {
            job.render_entry(&name, &contents, None);
        }
    }
    let _ = job.report(report);
}

/// Words that announce a password in a message body.
const PASSWORD_WORDS: [&str; 12] =
    ["password", "passwort", "kennwort", "mot de passe", "contraseña", "パスワード", "暗証番号", "解凍キー", "pwd", "pw:", "pass:", "密码"];
/// Most candidate passwords taken from one body.
const MAX_CANDIDATES: usize = 8;

/// Passwords a body states: the word after "Password:", "パスワード：", "password is"...,
/// or on the next line when the announcing line ends there. Full-width forms are also
/// tried in their ASCII form, and a trailing full stop both kept and dropped.
pub fn password_candidates(body: &str) -> Vec<String> {
    let lines: Vec<&str> = body.lines().collect();
    let mut found: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for word in PASSWORD_WORDS {
            let Some(at) = find_ignoring_ascii_case(line, word) else { continue };
            let mut rest = strip_announcement(&line[at + word.len()..]);
            if rest.is_empty() {
                rest = lines[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
            }
            let token: String = rest.chars().take_while(|c| !c.is_whitespace() && !"」』】）)\"'、。,，".contains(*c)).take(64).collect();
            let mut variants = vec![token.clone()];
            if let Some(stripped) = token.strip_suffix(['.', ';']) {
                variants.push(stripped.to_owned());
            }
            let ascii: String = token.nfkc().collect();
            variants.push(ascii);
            for v in variants {
                if !v.is_empty() && !found.contains(&v) && found.len() < MAX_CANDIDATES {
                    found.push(v);
                }
            }
        }
    }
    found
}

/// Drops what sits between "password" and the password: separators, "is", "は", quotes.
fn strip_announcement(text: &str) -> &str {
    let mut rest = text;
    loop {
        let before = rest.len();
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || ":：=＝-–「『【（(\"'は".contains(c));
        for filler in ["is ", "IS ", "Is ", "ist ", "est ", "es "] {
            rest = rest.strip_prefix(filler).unwrap_or(rest);
        }
        if rest.len() == before {
            return rest;
        }
    }
}

/// Byte offset of `word` in `line`, ignoring ASCII case.
fn find_ignoring_ascii_case(line: &str, word: &str) -> Option<usize> {
    line.char_indices().map(|(i, _)| i).find(|&i| line.get(i..i + word.len()).is_some_and(|s| s.eq_ignore_ascii_case(word)))
}

/// Text without control characters (tabs kept).
pub(crate) fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\t').collect()
}

/// Whether bytes are a ZIP archive with an encrypted entry (general-purpose flag bit 0 of
/// the first local header, or any central directory entry).
fn is_encrypted_zip(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK\x03\x04") {
        return false;
    }
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return bytes.get(6).is_some_and(|f| f & 1 == 1) };
    (0..archive.len().min(1000)).any(|i| archive.by_index_raw(i).is_ok_and(|f| f.encrypted()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_in_bodies() {
        assert_eq!(password_candidates("Invoice attached.\nPassword: X7f9k2\nRegards"), ["X7f9k2"]);
        assert_eq!(password_candidates("The password is 1234."), ["1234.", "1234"]);
        assert_eq!(password_candidates("パスワード：ａｂｃ１２３\n"), ["ａｂｃ１２３", "abc123"]);
        assert_eq!(password_candidates("解凍パスワードは「Zx9!」です"), ["Zx9!"]);
        assert_eq!(password_candidates("Your password:\n\n   s3cret  \n"), ["s3cret"]);
        assert!(password_candidates("No secrets here.").is_empty());
        let many = "password: a\n".repeat(3) + &(0..20).map(|i| format!("pwd: p{i}\n")).collect::<String>();
        assert_eq!(password_candidates(&many).len(), MAX_CANDIDATES);
    }

    #[test]
    fn mail_is_recognised_by_its_headers() {
        assert!(looks_like_mail(b"Received: from x\r\nFrom: a@b\r\nSubject: hi\r\n\r\nbody"));
        assert!(looks_like_mail(b"From: a@b\nTo: c@d\nSubject: hi\nMIME-Version: 1.0\n\nbody"));
        assert!(!looks_like_mail(b"Subject: notes for the meeting\n\nnothing else"));
        assert!(!looks_like_mail(b"Dear colleague,\nFrom: me\n"));
        assert!(looks_like_mail(b"From someone@example.org Tue May 10 11:28:07 2005\nReturn-Path: <x@y>\nFrom: x@y\nSubject: s\n\nbody"));
    }
}
