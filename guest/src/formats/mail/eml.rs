//! Internet messages (`.eml`, MIME; an mbox file's first message), parsed with mail-parser.

use docsandbox_protocol::Format;
use mail_parser::{MessageParser, MimeHeaders};

use super::{clean, Mail, MAX_ATTACHMENTS, MAX_BODY_CHARS};
use crate::dispatch::{Input, Job};

/// Renders an Internet message: headers and body, then its attachments.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let request = job.request;
    let raw = match request.document.strip_prefix(b"From ") {
        Some(rest) => rest.iter().position(|&b| b == b'\n').map_or(rest, |i| &rest[i + 1..]),
        None => request.document,
    };
    let Some(message) = MessageParser::default().parse(raw) else {
        return job.refuse(Format::Eml, &[], docsandbox_protocol::FailureKind::Malformed, "the message cannot be parsed");
    };
    let address = |a: Option<&mail_parser::Address<'_>>| -> String {
        a.map(|a| {
            a.iter()
                .map(|addr| match (addr.name(), addr.address()) {
                    (Some(n), Some(e)) => format!("{n} <{e}>"),
                    (Some(n), None) => n.to_owned(),
                    (None, Some(e)) => e.to_owned(),
                    (None, None) => String::new(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
    };
    let mail = Mail {
        headers: vec![
            ("From", address(message.from())),
            ("To", address(message.to())),
            ("Cc", address(message.cc())),
            ("Date", message.date().map(|d| d.to_rfc822()).unwrap_or_default()),
            ("Subject", message.subject().unwrap_or_default().to_owned()),
        ],
        body: message.body_text(0).map(|b| b.chars().take(MAX_BODY_CHARS).collect()).unwrap_or_default(),
        attachments: message
            .attachments()
            .enumerate()
            .take(MAX_ATTACHMENTS)
            .map(|(i, part)| (part.attachment_name().map(clean).unwrap_or_else(|| format!("attachment-{}", i + 1)), part.contents().to_vec()))
            .collect(),
    };
    super::show(job, Format::Eml, mail);
}
