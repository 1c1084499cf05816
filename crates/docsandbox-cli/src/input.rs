//! Where a document and its passwords come from: a file or standard input (`-`), and
//! passwords from the command line, a file or the environment.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

/// The environment variable holding a password to try, so that it need not appear in the
/// process list as `--password` does.
pub const PASSWORD_VARIABLE: &str = "DOCSANDBOX_PASSWORD";

/// Largest password file read, in bytes.
const MAX_PASSWORD_FILE: u64 = 1 << 20;

/// A document to read: `-` on the command line is standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn new(argument: PathBuf) -> Source {
        if argument.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::File(argument)
        }
    }

    /// How messages name it.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "stdin".into(),
            Source::File(path) => path.display().to_string(),
        }
    }

    /// The file name, for the report's extension check (none for stdin).
    pub fn file_name(&self) -> Option<String> {
        match self {
            Source::Stdin => None,
            Source::File(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
        }
    }

    /// A name for this document's own output in a batch: the file name without its
    /// extension, or `stdin`.
    pub fn stem(&self) -> String {
        let stem = match self {
            Source::Stdin => "stdin".into(),
            Source::File(path) => path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        if stem.is_empty() || stem.starts_with('.') {
            format!("document{stem}")
        } else {
            stem
        }
    }

    /// Reads the whole document, refusing more than `limit` bytes without reading them all.
    pub fn read(&self, limit: u64) -> Result<Vec<u8>, Unreadable> {
        match self {
            Source::Stdin => {
                let stdin = std::io::stdin();
                if stdin.is_terminal() {
                    return Err(Unreadable::usage(
                        "`-` reads the document from standard input, but that is a terminal: pipe or redirect the document into it".into(),
                    ));
                }
                read_at_most(stdin.lock(), limit)
            }
            Source::File(path) => {
                let unreadable = |e: std::io::Error| Unreadable::usage(describe(&e));
                if std::fs::metadata(path).map_err(unreadable)?.is_dir() {
                    return Err(Unreadable::usage("a directory, not a document".into()));
                }
                read_at_most(std::fs::File::open(path).map_err(unreadable)?, limit)
            }
        }
    }
}

/// Why a document could not be read (to be said after its name), and the kind of error.
#[derive(Debug)]
pub struct Unreadable {
    pub message: String,
    /// `usage` (exit 2) or `limit` (exit 5).
    pub kind: docsandbox::ErrorKind,
}

impl Unreadable {
    fn usage(message: String) -> Unreadable {
        Unreadable { message, kind: docsandbox::ErrorKind::Usage }
    }
}

fn read_at_most(reader: impl Read, limit: u64) -> Result<Vec<u8>, Unreadable> {
    let mut bytes = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Unreadable::usage(describe(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(Unreadable { message: format!("larger than the limit of {limit} bytes"), kind: docsandbox::ErrorKind::Limit });
    }
    Ok(bytes)
}

/// A file error in plain words, to be said after the file's name.
fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied (this account may not read it)".into(),
        _ => format!("cannot be read: {error}"),
    }
}

/// Runs `attempt` with `options` and each password in turn (once without one when there
/// are none), stopping at the first result `wrong_password` does not reject; returns the
/// last result.
pub fn each_password<T>(
    options: &docsandbox::RenderOptions,
    passwords: &[String],
    mut attempt: impl FnMut(docsandbox::RenderOptions) -> T,
    wrong_password: impl Fn(&T) -> bool,
) -> T {
    let mut result = None;
    for password in passwords {
        let tried = attempt(options.clone().password(password.clone()));
        let again = wrong_password(&tried);
        result = Some(tried);
        if !again {
            break;
        }
    }
    result.unwrap_or_else(|| attempt(options.clone()))
}

/// The passwords to try, in order: those given with `--password`, the lines of
/// `--password-file`, then `$DOCSANDBOX_PASSWORD`.
pub fn passwords(given: &[String], file: Option<&Path>) -> Result<Vec<String>, String> {
    let mut passwords = given.to_vec();
    if let Some(path) = file {
        let unreadable = |e: std::io::Error| format!("{}: {}", path.display(), describe(&e));
        if std::fs::metadata(path).map_err(unreadable)?.is_dir() {
            return Err(format!("{}: a directory, not a password file", path.display()));
        }
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(unreadable)?
            .take(MAX_PASSWORD_FILE)
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the password file {}: {e}", path.display()))?;
        // One password per line; a line's own spaces belong to its password.
        passwords.extend(text.lines().map(|line| line.strip_suffix('\r').unwrap_or(line)).filter(|line| !line.is_empty()).map(str::to_owned));
    }
    if let Some(password) = std::env::var_os(PASSWORD_VARIABLE) {
        let password = password.into_string().map_err(|_| format!("${PASSWORD_VARIABLE} is not valid UTF-8"))?;
        if !password.is_empty() {
            passwords.push(password);
        }
    }
    Ok(passwords)
}
