//! PDF: rendered with hayro, inspected with hayro-syntax for the report.

use std::sync::Arc;

use docsandbox_protocol::{FailureKind, FindingKind, Format};
use hayro::hayro_interpret::font::{FontData, FontQuery};
use hayro::hayro_interpret::hayro_cmap::CidFamily;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::object::{Array, Dict, Name, Object};
use hayro::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{render_into, RenderCache, RenderSettings};

use crate::dispatch::{Input, Job};
use crate::layout::fonts;
use crate::layout::paint::{fit_page, requested_pages};
use crate::report::Report;

/// Renders the requested pages of a PDF and sends the report.
pub fn render<'d>(job: Job<'d, '_>, _: Input<'d>) {
    let request = job.request;
    // hayro keeps the data for as long as the document lives; a copy keeps the guest free
    // of leaked buffers (which matters when it runs as a library, as under the fuzzers).
    let data: Arc<Vec<u8>> = Arc::new(request.document.to_vec());
    let opened = open(&data, request.password);
    let (pdf, how) = match opened {
        Ok(opened) => opened,
        Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)) => {
            return if request.password.is_empty() {
                job.fail(FailureKind::PasswordRequired, "the PDF is encrypted and needs a password")
            } else {
                job.fail(FailureKind::WrongPassword, "the password does not open this PDF")
            };
        }
        Err(LoadPdfError::Decryption(e)) => {
            return job.fail(FailureKind::Unsupported, &format!("PDF encryption not supported: {e:?}"));
        }
        // A damaged file whose encryption we could not even set up may still open with the
        // right password (the password is needed to rebuild a broken cross-reference table).
        Err(LoadPdfError::Invalid) if declares_encryption(request.document) => {
            return if request.password.is_empty() {
                job.fail(FailureKind::PasswordRequired, "the PDF is encrypted and damaged; a password may open it")
            } else {
                job.fail(FailureKind::WrongPassword, "the PDF is encrypted and damaged; the password does not open it")
            };
        }
        Err(LoadPdfError::Invalid) => {
            return job.fail(FailureKind::Malformed, "the PDF is damaged beyond repair");
        }
    };
    let pages = pdf.pages();
    let page_count = u32::try_from(pages.len()).unwrap_or(u32::MAX - 1);
    let begun = job.begin(Format::Pdf, Some(page_count));
    let mut report = Report::new(request.max_report_bytes);
    if !request.password.is_empty() || declares_encryption(request.document) {
        report.add(FindingKind::Encrypted, how.unwrap_or("the PDF is encrypted"));
    }
    inspect(&pdf, &mut report);
    let mut job = begun.report(&report.finish());

    let settings = interpreter_settings();
    let cache = RenderCache::new();
    let render_settings = RenderSettings::default();
    let mut ctx = RenderContext::new(1, 1);
    let mut pixmap = Pixmap::new(1, 1);
    let mut resources = Resources::default();

    for number in requested_pages(&request, page_count) {
        if job.window_done() {
            break;
        }
        let page = &pages[(number - 1) as usize];
        let (dpi, width, height) = fit_page(page.render_dimensions(), &request);
        let scale = f64::from(dpi) / 72.0;
        ctx.reset_and_resize(width as u16, height as u16);
        pixmap.resize(width as u16, height as u16);
        let transform = Affine::scale(scale) * page.initial_transform(true).to_kurbo();
        render_into(page, &cache, &settings, &render_settings, &mut ctx, transform);
        ctx.flush();
        ctx.render_with(&mut pixmap, &mut resources, RasterizerSettings { target_init: TargetInit::Clear(WHITE), ..Default::default() });
        // The background is opaque white, so premultiplied and straight RGBA coincide.
        job.page(number - 1, width, height, dpi, pixmap.data_as_u8_slice());
    }
}

/// Opens a PDF with the password given, trying it every way it may be meant: as the user
/// password; SASLprep-normalised (AES-256 revision 6 wants that; people type passwords as
/// they are); as the owner password of revisions 2–4, which hayro only takes as a user
/// password, through the user password it unlocks; and, when it fits none of these but the
/// document has no user password at all, without it (what every reader does with such a file).
/// Says how, when it was not the plain way.
fn open(data: &Arc<Vec<u8>>, password: &str) -> Result<(Pdf, Option<&'static str>), LoadPdfError> {
    let locked = |r: &Result<Pdf, LoadPdfError>| matches!(r, Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)));
    let mut opened = Pdf::new_with_password(data.clone(), password);
    if locked(&opened) {
        if let Some(prepared) = saslprep(password) {
            opened = Pdf::new_with_password(data.clone(), &prepared);
        }
    }
    if locked(&opened) {
        if let Some(user) = crate::crypto::pdf::user_password_from_owner(data, password) {
            if let Ok(pdf) = Pdf::new_with_password(data.clone(), &user) {
                return Ok((pdf, Some("opened with the owner password given")));
            }
        }
    }
    if locked(&opened) && !password.is_empty() {
        if let Ok(pdf) = Pdf::new_with_password(data.clone(), "") {
            return Ok((pdf, Some("the document opens without a password; the password given was not needed")));
        }
    }
    opened.map(|pdf| (pdf, None))
}

/// The SASLprep (RFC 4013) form of a password, when it differs from the password: spaces
/// mapped to U+0020, characters "commonly mapped to nothing" removed, then NFKC.
fn saslprep(password: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let mapped: String = password
        .chars()
        .filter(|c| !matches!(c, '\u{AD}' | '\u{34F}' | '\u{1806}' | '\u{180B}'..='\u{180D}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'))
        .map(|c| if c != ' ' && c.is_whitespace() { ' ' } else { c })
        .collect();
    let prepared: String = mapped.nfkc().collect();
    (prepared != password).then_some(prepared)
}

/// hayro's default settings, plus an embedded Japanese font for non-embedded CJK fonts.
fn interpreter_settings() -> InterpreterSettings {
    let cjk: FontData = Arc::new(fonts::IPAEX_GOTHIC);
    InterpreterSettings {
        font_resolver: Arc::new(move |query| match query {
            FontQuery::Standard(s) => Some(s.get_font_data()),
            FontQuery::Fallback(f) => match f.character_collection.as_ref().map(|c| &c.family) {
                Some(CidFamily::AdobeJapan1 | CidFamily::AdobeGB1 | CidFamily::AdobeCNS1 | CidFamily::AdobeKorea1) => Some((cjk.clone(), 0)),
                _ => Some(f.pick_standard_font().get_font_data()),
            },
        }),
        ..Default::default()
    }
}

/// Whether the file declares an `/Encrypt` dictionary (a cheap, advisory check: the
/// parser already decrypted it if it could).
fn declares_encryption(bytes: &[u8]) -> bool {
    crate::crypto::pdf::last_encrypt_key(bytes).is_some()
}

/// Bounds for walking the document structure, whatever loops it contains.
const MAX_NODES: usize = 20_000;
const MAX_DEPTH: usize = 32;

/// Walks the document structure and records active content, links and attachments.
struct Inspector<'r> {
    report: &'r mut Report,
    nodes: usize,
}

fn inspect(pdf: &Pdf, report: &mut Report) {
    let mut inspector = Inspector { report, nodes: 0 };
    if let Some(catalog) = pdf.xref().get::<Dict<'_>>(pdf.xref().root_id()) {
        inspector.catalog(&catalog);
    }
    for page in pdf.pages().iter() {
        if inspector.spent() {
            break;
        }
        let raw = page.raw();
        if let Some(aa) = raw.get::<Dict<'_>>(b"AA") {
            inspector.additional_actions(&aa, "page");
        }
        if let Some(annots) = raw.get::<Array<'_>>(b"Annots") {
            for annot in annots.iter::<Dict<'_>>() {
                if inspector.tick() {
                    break;
                }
                inspector.annotation(&annot);
            }
        }
    }
    if inspector.spent() {
        inspector.report.add(FindingKind::InspectionTruncated, "the document has too many objects to inspect fully");
    }
}

impl Inspector<'_> {
    /// Counts one visited node; true when the budget is spent.
    fn tick(&mut self) -> bool {
        self.nodes += 1;
        self.spent()
    }

    fn spent(&self) -> bool {
        self.nodes >= MAX_NODES
    }

    fn catalog(&mut self, catalog: &Dict<'_>) {
        if let Some(action) = catalog.get::<Dict<'_>>(b"OpenAction") {
            // Jumping to a page on open is harmless; anything else is worth a note.
            let kind = action.get::<Name<'_>>(b"S");
            if kind.as_ref().is_some_and(|k| k.as_ref() != b"GoTo") {
                self.report.add(FindingKind::OpenAction, &format!("the document runs a {} action when opened", action_name(&kind)));
            }
            self.action(&action, 0);
        }
        if let Some(aa) = catalog.get::<Dict<'_>>(b"AA") {
            self.additional_actions(&aa, "document");
        }
        if let Some(names) = catalog.get::<Dict<'_>>(b"Names") {
            if let Some(tree) = names.get::<Dict<'_>>(b"JavaScript") {
                let mut scripts = Vec::new();
                self.name_tree(&tree, 0, &mut scripts);
                for (name, value) in scripts {
                    let detail = value.as_ref().and_then(|v| v.clone().into_dict()).map(|d| script_text(&d));
                    self.report.add(FindingKind::Javascript, &detail.unwrap_or(name));
                }
            }
            if let Some(tree) = names.get::<Dict<'_>>(b"EmbeddedFiles") {
                let mut files = Vec::new();
                self.name_tree(&tree, 0, &mut files);
                for (name, value) in files {
                    let file = value.and_then(|v| v.into_dict()).and_then(|d| file_name(&d));
                    self.report.add(FindingKind::EmbeddedFile, &file.unwrap_or(name));
                }
            }
        }
        if let Some(outlines) = catalog.get::<Dict<'_>>(b"Outlines") {
            self.outline(&outlines, 0);
        }
        if let Some(form) = catalog.get::<Dict<'_>>(b"AcroForm") {
            self.report.add(FindingKind::Acroform, "the document has interactive form fields");
            if form.contains_key(b"XFA") {
                self.report.add(FindingKind::Xfa, "the document has an XFA form");
            }
        }
    }

    /// Visits the bookmarks (outline items can carry actions too).
    fn outline(&mut self, parent: &Dict<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut item = parent.get::<Dict<'_>>(b"First");
        while let Some(current) = item {
            if self.tick() {
                return;
            }
            if let Some(action) = current.get::<Dict<'_>>(b"A") {
                self.action(&action, 0);
            }
            self.outline(&current, depth + 1);
            item = current.get::<Dict<'_>>(b"Next");
        }
    }

    fn additional_actions(&mut self, aa: &Dict<'_>, owner: &str) {
        for key in aa.keys() {
            if self.tick() {
                return;
            }
            if let Some(action) = aa.get::<Dict<'_>>(key.as_ref()) {
                self.report.add(FindingKind::AdditionalAction, &format!("{owner} trigger {}", key.as_str()));
                self.action(&action, 0);
            }
        }
    }

    fn annotation(&mut self, annot: &Dict<'_>) {
        let subtype = annot.get::<Name<'_>>(b"Subtype");
        if subtype.as_ref().map(|s| s.as_ref()) == Some(&b"FileAttachment"[..]) {
            let name = annot.get::<Dict<'_>>(b"FS").and_then(|fs| file_name(&fs));
            self.report.add(FindingKind::EmbeddedFile, &name.unwrap_or_else(|| "annotation attachment".into()));
        }
        if let Some(action) = annot.get::<Dict<'_>>(b"A") {
            self.action(&action, 0);
        }
        if let Some(aa) = annot.get::<Dict<'_>>(b"AA") {
            self.additional_actions(&aa, "annotation");
        }
    }

    /// Records one action and the chain that follows it (`/Next`).
    fn action(&mut self, action: &Dict<'_>, depth: usize) {
        if depth > MAX_DEPTH || self.tick() {
            return;
        }
        let kind = action.get::<Name<'_>>(b"S");
        match kind.as_ref().map(|k| k.as_ref()) {
            Some(b"JavaScript") => {
                let text = script_text(action);
                self.report.add(FindingKind::Javascript, &text);
            }
            Some(b"Launch") => {
                let target = action.get::<Dict<'_>>(b"Win").and_then(|w| text(w.get::<Object<'_>>(b"F"))).or_else(|| file_spec(action.get::<Object<'_>>(b"F")));
                self.report.add(FindingKind::LaunchAction, &target.unwrap_or_default());
            }
            Some(b"URI") => {
                let uri = text(action.get::<Object<'_>>(b"URI")).unwrap_or_default();
                self.report.add(FindingKind::Uri, &uri);
            }
            Some(b"GoToR" | b"GoToE") => {
                let target = file_spec(action.get::<Object<'_>>(b"F")).unwrap_or_default();
                self.report.add(FindingKind::RemoteGoto, &target);
            }
            Some(b"SubmitForm") => {
                let target = file_spec(action.get::<Object<'_>>(b"F")).unwrap_or_default();
                self.report.add(FindingKind::SubmitForm, &target);
            }
            Some(b"ImportData") => self.report.add(FindingKind::ImportData, ""),
            Some(b"Rendition" | b"Movie" | b"Sound" | b"RichMediaExecute") => {
                self.report.add(FindingKind::Multimedia, kind.as_ref().map(|k| k.as_str()).unwrap_or_default())
            }
            _ => {}
        }
        match action.get::<Object<'_>>(b"Next") {
            Some(Object::Dict(next)) => self.action(&next, depth + 1),
            Some(Object::Array(next)) => {
                for next in next.iter::<Dict<'_>>() {
                    self.action(&next, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Collects `(key, value)` pairs of a name tree.
    fn name_tree<'a>(&mut self, node: &Dict<'a>, depth: usize, out: &mut Vec<(String, Option<Object<'a>>)>) {
        if depth > MAX_DEPTH || self.tick() {
            return;
        }
        if let Some(names) = node.get::<Array<'a>>(b"Names") {
            let mut items = names.iter::<Object<'a>>();
            while let Some(key) = items.next() {
                if self.tick() {
                    return;
                }
                let value = items.next();
                out.push((text(Some(key)).unwrap_or_default(), value));
            }
        }
        if let Some(kids) = node.get::<Array<'a>>(b"Kids") {
            for kid in kids.iter::<Dict<'a>>() {
                self.name_tree(&kid, depth + 1, out);
            }
        }
    }
}

/// The name of an action kind, for messages.
fn action_name(name: &Option<Name<'_>>) -> String {
    name.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default()
}

/// The script of a JavaScript action, abbreviated (streams are not decoded: a filter
/// bomb must not cost anything here).
fn script_text(action: &Dict<'_>) -> String {
    match action.get::<Object<'_>>(b"JS") {
        Some(Object::String(s)) => decode_text(s.as_bytes()),
        Some(Object::Stream(_)) => "(script in a stream)".into(),
        _ => String::new(),
    }
}

/// The file name of a file specification dictionary.
fn file_name(spec: &Dict<'_>) -> Option<String> {
    text(spec.get::<Object<'_>>(b"UF")).or_else(|| text(spec.get::<Object<'_>>(b"F")))
}

/// A file specification given as a string or a dictionary.
fn file_spec(obj: Option<Object<'_>>) -> Option<String> {
    match obj? {
        Object::Dict(d) => file_name(&d),
        other => text(Some(other)),
    }
}

/// A PDF string or name as text.
fn text(obj: Option<Object<'_>>) -> Option<String> {
    match obj? {
        Object::String(s) => Some(decode_text(s.as_bytes())),
        Object::Name(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

/// Decodes a PDF text string: UTF-16BE with a BOM, UTF-8 with a BOM, or else bytes as Latin-1
/// (close enough to PDFDocEncoding for a report).
fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
        char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect()
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_decode() {
        assert_eq!(decode_text(&[0xFE, 0xFF, 0x30, 0x42]), "あ");
        assert_eq!(decode_text(b"caf\xe9"), "café");
    }

    #[test]
    fn saslprep_maps_and_normalises() {
        assert_eq!(saslprep("S\u{AA}SL\u{AD}prep").as_deref(), Some("SaSLprep"));
        assert_eq!(saslprep("I\u{AD}X").as_deref(), Some("IX"));
        assert_eq!(saslprep("a\u{2003}b").as_deref(), Some("a b"));
        assert_eq!(saslprep("plain"), None);
    }

    #[test]
    fn encryption_marker() {
        assert!(declares_encryption(b"trailer << /Encrypt 5 0 R >>"));
        assert!(!declares_encryption(b"<< /EncryptMetadata false >>"));
    }
}
