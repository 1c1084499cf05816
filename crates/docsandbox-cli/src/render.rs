//! `docsandbox render`: one or many documents to PNG or JPEG pages, or to safe PDFs, each
//! with a summary line (or a JSON object) saying what came out.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::ops::{ControlFlow, RangeInclusive};
use std::path::{Path, PathBuf};
use std::time::Duration;

use docsandbox::{Error, ErrorKind, Limits, RenderOptions, Summary};
use indicatif::{ProgressBar, ProgressStyle};

use crate::input::{self, Source};

/// What `render` writes.
#[derive(Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// One PNG per page: `page-0001.png`...
    #[default]
    Png,
    /// One JPEG per page: `page-0001.jpg`... (smaller for photos and scans).
    Jpeg,
    /// One safe PDF made of the page images only.
    Pdf,
}

/// JPEG quality of `--format jpeg` pages when `--jpeg-quality` is not given.
const DEFAULT_JPEG_QUALITY: u8 = 85;

/// The `render` command's arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The documents; `-` reads one from standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Directory for the pages (created if missing), or the PDF file to write. With
    /// several inputs, a directory that gets a folder (or a PDF) per input, named after it.
    /// `-` writes to standard output: the PDF, or the one page asked for.
    #[arg(long, short)]
    out: PathBuf,
    /// `png` or `jpeg`: one image per page; `pdf`: a safe PDF rebuilt from the page images.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
    /// JPEG quality (1-100) of `--format jpeg` pages (default 85), or with `--format pdf`,
    /// compress the page images as JPEG instead of losslessly.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    jpeg_quality: Option<u8>,
    /// Resolution in dots per inch.
    #[arg(long, default_value_t = 150)]
    dpi: u32,
    /// Pages to render, 1-based: `3` or `2-5` or `4-`.
    #[arg(long, value_parser = parse_pages)]
    pages: Option<RangeInclusive<u32>>,
    #[command(flatten)]
    passwords: crate::Passwords,
    /// Stop after this many pages (exit code 1 when the document has more).
    #[arg(long, default_value_t = Limits::default().max_pages)]
    max_pages: u32,
    /// Seconds the renderer may run, per document.
    #[arg(long, default_value_t = Limits::default().deadline.as_secs())]
    deadline: u64,
    /// Draw spreadsheets as on screen: light gridlines and the sheet's name on every page.
    /// Without it, sheets print as Excel prints them, by their own page setup.
    #[arg(long)]
    sheet_gridlines: bool,
    /// Print one JSON object per input (a line each) instead of the summary lines: input,
    /// output, status, exit code, pages written, error and report.
    #[arg(long)]
    json: bool,
}

pub fn parse_pages(text: &str) -> Result<RangeInclusive<u32>, String> {
    let number = |s: &str| s.trim().parse::<u32>().map_err(|_| format!("`{s}` is not a page number"));
    let range = match text.split_once('-') {
        None => number(text).map(|n| n..=n)?,
        Some((a, "")) => number(a)?..=u32::MAX,
        Some((a, b)) => number(a)?..=number(b)?,
    };
    if *range.start() == 0 || range.is_empty() {
        return Err(format!("`{text}` is not a range of pages (they count from 1)"));
    }
    Ok(range)
}

/// Where one document's output goes.
#[derive(Clone)]
enum Target {
    /// Page images in this directory.
    Directory(PathBuf),
    /// The safe PDF at this path.
    File(PathBuf),
    /// Standard output.
    Stdout,
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Directory(path) | Target::File(path) => path.display().to_string(),
            Target::Stdout => "stdout".into(),
        }
    }
}

/// Why a document's output is missing or short.
struct Failure {
    message: String,
    kind: ErrorKind,
    /// From the renderer (the document's doing), rather than from reading or writing files.
    from_render: bool,
}

impl Failure {
    fn render(error: &Error) -> Failure {
        Failure { message: error.to_string(), kind: error.kind(), from_render: true }
    }

    fn usage(message: String) -> Failure {
        Failure { message, kind: ErrorKind::Usage, from_render: false }
    }
}

/// What became of one document.
struct Outcome {
    summary: Option<Summary>,
    failure: Option<Failure>,
    written: Vec<PathBuf>,
}

impl Outcome {
    fn failed(failure: Failure) -> Outcome {
        Outcome { summary: None, failure: Some(failure), written: Vec::new() }
    }

    /// 0 in full; 1 partial output; 6 a password case, whether or not an overview page came
    /// out; else the error kind's code.
    fn exit_code(&self) -> u8 {
        let pages = self.summary.as_ref().map_or(0, |s| s.pages_rendered);
        match &self.failure {
            None => 0,
            Some(f) if f.kind == ErrorKind::Password => f.kind.exit_code() as u8,
            Some(f) if f.from_render && pages > 0 => 1,
            Some(f) => f.kind.exit_code() as u8,
        }
    }

    fn password_failure(&self) -> bool {
        self.failure.as_ref().is_some_and(|f| f.kind == ErrorKind::Password)
    }
}

/// Runs `render`: each input in turn, returning the exit code of the first one that did
/// not render in full (0 when all did).
pub fn run(args: Args, quiet: bool) -> u8 {
    let passwords = match input::passwords(&args.passwords.password, args.passwords.password_file.as_deref()) {
        Ok(p) => p,
        Err(message) => return usage(&message),
    };
    let sources: Vec<Source> = args.inputs.iter().cloned().map(Source::new).collect();
    if sources.iter().filter(|s| **s == Source::Stdin).count() > 1 {
        return usage("`-` (standard input) can be given only once");
    }
    let to_stdout = args.out.as_os_str() == "-";
    if to_stdout && sources.len() > 1 {
        return usage("`--out -` writes one document to standard output: give one input");
    }
    if to_stdout && std::io::stdout().is_terminal() {
        return usage("`--out -` writes image data to standard output, which is a terminal: redirect it to a file or a program");
    }
    let quality = match (args.format, args.jpeg_quality) {
        (OutputFormat::Png, Some(_)) => return usage("`--jpeg-quality` applies to `--format jpeg` or `--format pdf`"),
        (_, quality) => quality,
    };
    let targets = if to_stdout { vec![Target::Stdout] } else { targets(&sources, &args.out, args.format) };
    let mut options =
        RenderOptions::default().dpi(args.dpi).passwords_from_message(args.passwords.passwords_from_message).sheet_gridlines(args.sheet_gridlines);
    options.pages = args.pages.clone();
    let limits = Limits::default().max_pages(args.max_pages).deadline(Duration::from_secs(args.deadline));
    let sandbox = match crate::sandbox(limits) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let job = Job { sandbox: &sandbox, format: args.format, quality, quiet };
    // Summaries go to stdout, unless the document itself does.
    let report_to_stderr = to_stdout;
    let mut first_failure = 0;
    let mut counts = [0usize; 3];
    for (source, target) in sources.iter().zip(&targets) {
        let mut options = options.clone();
        options.file_name = source.file_name();
        let outcome = job.render(source, target, &options, &passwords);
        let code = outcome.exit_code();
        if first_failure == 0 {
            first_failure = code;
        }
        counts[match (code, outcome.summary.as_ref().map_or(0, |s| s.pages_rendered)) {
            (0, _) => 0,
            (_, 0) => 2,
            _ => 1,
        }] += 1;
        if let Some(failure) = &outcome.failure {
            let stopped = if outcome.written.is_empty() { "" } else { "stopped early: " };
            eprintln!("docsandbox: {}: {stopped}{}", source.name(), failure.message);
        }
        let line = if args.json { json_line(source, target, &outcome, code) } else { text_line(source, target, &outcome) };
        if let Some(line) = line.filter(|_| !quiet || args.json) {
            if report_to_stderr {
                eprintln!("{line}");
            } else {
                crate::say(format_args!("{line}"));
            }
        }
    }
    if sources.len() > 1 && !quiet && !args.json {
        crate::say(format_args!("{} documents: {} rendered in full, {} in part, {} not at all", sources.len(), counts[0], counts[1], counts[2]));
    }
    first_failure
}

fn usage(message: &str) -> u8 {
    eprintln!("docsandbox: {message}");
    2
}

/// Each input's destination: `out` itself for one input, else a folder (or PDF) in `out`
/// per input, named after it, with `-2`, `-3`... when names repeat.
fn targets(sources: &[Source], out: &Path, format: OutputFormat) -> Vec<Target> {
    let make = |path: PathBuf| if format == OutputFormat::Pdf { Target::File(path) } else { Target::Directory(path) };
    if sources.len() == 1 {
        return vec![make(out.to_path_buf())];
    }
    let mut taken = HashSet::new();
    sources
        .iter()
        .map(|source| {
            let stem = source.stem();
            let name = (1..)
                .map(|n| if n == 1 { stem.clone() } else { format!("{stem}-{n}") })
                .find(|name| taken.insert(name.to_lowercase()))
                .expect("an unused name exists");
            make(out.join(if format == OutputFormat::Pdf { format!("{name}.pdf") } else { name }))
        })
        .collect()
}

/// What every document of one `render` call shares: the sandbox and how pages are written.
struct Job<'a> {
    sandbox: &'a docsandbox::Sandbox,
    format: OutputFormat,
    quality: Option<u8>,
    quiet: bool,
}

impl Job<'_> {
    /// Renders one document with each password in turn (or none), stopping at the first
    /// outcome that is not a password failure.
    fn render(&self, source: &Source, target: &Target, options: &RenderOptions, passwords: &[String]) -> Outcome {
        let bytes = match source.read(self.sandbox.limits().max_input_bytes) {
            Ok(bytes) => bytes,
            Err(e) => return Outcome::failed(Failure { message: e.message, kind: e.kind, from_render: false }),
        };
        input::each_password(options, passwords, |options| self.render_once(&bytes, source, target, &options), Outcome::password_failure)
    }

    /// Renders one document once and writes its pages.
    fn render_once(&self, bytes: &[u8], source: &Source, target: &Target, options: &RenderOptions) -> Outcome {
        let created = matches!(target, Target::Directory(dir) if !dir.exists());
        let outcome = self.write(bytes, source, target, options);
        // A folder made for this document but left empty would only mislead.
        if let (true, Target::Directory(dir)) = (created && outcome.written.is_empty(), target) {
            let _ = std::fs::remove_dir(dir);
        }
        outcome
    }

    fn write(&self, bytes: &[u8], source: &Source, target: &Target, options: &RenderOptions) -> Outcome {
        let (sandbox, format, quality, quiet) = (self.sandbox, self.format, self.quality, self.quiet);
        // A PDF's folder (a batch's `--out`, say) is made as a page folder is.
        if let Target::File(path) = target {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                if let Err(e) = std::fs::create_dir_all(parent) {
                    return Outcome::failed(Failure::usage(format!("cannot create {}: {e}", parent.display())));
                }
            }
        }
        if let Target::Directory(dir) = target {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return Outcome::failed(Failure::usage(format!("cannot create {}: {e}", dir.display())));
            }
            match remove_old_pages(dir) {
                Ok(0) => {}
                Ok(n) if !quiet => eprintln!("docsandbox: removed {n} page{} an earlier render left in {}", if n == 1 { "" } else { "s" }, dir.display()),
                Ok(_) => {}
                Err(e) => return Outcome::failed(Failure::usage(format!("cannot clear the old pages from {}: {e}", dir.display()))),
            }
        }
        let progress = (std::io::stderr().is_terminal() && !quiet).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(ProgressStyle::with_template("{msg} [{bar:30}] page {pos}/{len} {elapsed}").expect("valid template"));
            bar.set_message(source.name());
            bar
        });
        let mut written = Vec::new();
        let mut write_failure = None;
        let mut kept = Vec::new();
        let result = sandbox.render_streaming(bytes, options, |page, done| {
            if let Some(bar) = &progress {
                bar.set_length(u64::from(done.expected.unwrap_or(done.rendered)));
                bar.set_position(u64::from(done.rendered));
            }
            let outcome = match (target, format) {
                (Target::Directory(dir), OutputFormat::Png | OutputFormat::Jpeg) => {
                    let extension = if format == OutputFormat::Png { "png" } else { "jpg" };
                    let path = dir.join(format!("page-{:04}.{extension}", page.number()));
                    let result = write_new(&path, |mut file| match format {
                        OutputFormat::Png => page.write_png(std::io::BufWriter::new(file)),
                        _ => file.write_all(&page.to_jpeg(quality.unwrap_or(DEFAULT_JPEG_QUALITY))?),
                    });
                    result.map(|()| written.push(path.clone())).map_err(|e| format!("cannot write {}: {e}", path.display()))
                }
                (Target::Stdout, OutputFormat::Png | OutputFormat::Jpeg) if done.rendered > 1 || done.expected.is_some_and(|n| n > 1) => Err(format!(
                    "`--out -` writes one page to standard output, but {} pages are wanted: choose one with `--pages N`",
                    done.expected.unwrap_or(done.rendered)
                )),
                _ => {
                    kept.push(page);
                    Ok(())
                }
            };
            match outcome {
                Ok(()) => ControlFlow::Continue(()),
                Err(message) => {
                    write_failure = Some(message);
                    ControlFlow::Break(())
                }
            }
        });
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        if write_failure.is_none() && !kept.is_empty() {
            if let Err(message) = write_kept(&kept, target, format, quality) {
                write_failure = Some(message);
            } else if let Target::File(path) = target {
                written.push(path.clone());
            } else {
                written.push(PathBuf::from("-"));
            }
        }
        match (result, write_failure) {
            (result, Some(message)) => Outcome { summary: result.ok(), failure: Some(Failure::usage(message)), written },
            (Err(e), None) => Outcome { summary: None, failure: Some(Failure::render(&e)), written },
            (Ok(summary), None) => {
                let failure = summary.truncated.as_ref().map(Failure::render);
                Outcome { summary: Some(summary), failure, written }
            }
        }
    }
}

/// Writes the pages kept until the end: the safe PDF (to its file or stdout), or the one
/// page for stdout.
fn write_kept(pages: &[docsandbox::Page], target: &Target, format: OutputFormat, quality: Option<u8>) -> Result<(), String> {
    let bytes = match format {
        OutputFormat::Pdf => docsandbox::safe_pdf::write(pages, quality.map_or(docsandbox::PdfImages::Flate, docsandbox::PdfImages::Jpeg)),
        OutputFormat::Png => pages[0].to_png(),
        OutputFormat::Jpeg => pages[0].to_jpeg(quality.unwrap_or(DEFAULT_JPEG_QUALITY)).map_err(|e| format!("cannot encode the page: {e}"))?,
    };
    match target {
        Target::File(path) => write_new(path, |mut file| file.write_all(&bytes)).map_err(|e| format!("cannot write {}: {e}", path.display())),
        Target::Stdout => crate::write_stdout(&bytes),
        Target::Directory(_) => unreachable!("pages in a directory are written as they come"),
    }
}

/// Removes the page images (`page-NNNN.png` or `.jpg`) an earlier render left in `dir`, so
/// that no page of another document sits beside this one's. Symlinks are removed, never
/// followed. Returns how many were removed.
fn remove_old_pages(dir: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(number) = name.strip_prefix("page-").and_then(|n| n.strip_suffix(".png").or_else(|| n.strip_suffix(".jpg"))) else {
            continue;
        };
        if number.len() >= 4 && number.bytes().all(|b| b.is_ascii_digit()) && !entry.file_type()?.is_dir() {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Writes a file without ever writing through what is already at `path`: the contents go
/// to a new file beside it (created exclusively, so a planted symlink or file is never
/// opened), which is then renamed over `path` (replacing a symlink, not its target).
fn write_new(path: &Path, write: impl FnOnce(std::fs::File) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let mut attempt = 0u32;
    let (tmp, file) = loop {
        let tmp = dir.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = write(file).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The summary line of one document, when it produced anything.
fn text_line(source: &Source, target: &Target, outcome: &Outcome) -> Option<String> {
    let summary = outcome.summary.as_ref()?;
    if outcome.written.is_empty() {
        return None;
    }
    let findings = summary.report.findings.len();
    let format = summary.report.format.as_deref().unwrap_or("document");
    Some(format!(
        "{}: {format}, {} of {} pages rendered to {} in {:.2?}; {findings} finding{}{}",
        source.name(),
        summary.pages_rendered,
        summary.report.page_count.unwrap_or(summary.pages_rendered),
        target.describe(),
        summary.stats.wall_time,
        if findings == 1 { "" } else { "s" },
        if findings > 0 { " (see `docsandbox inspect`)" } else { "" },
    ))
}

/// One document's outcome as one line of JSON.
fn json_line(source: &Source, target: &Target, outcome: &Outcome, code: u8) -> Option<String> {
    let summary = outcome.summary.as_ref();
    let status = match code {
        0 => "ok",
        _ if summary.is_some_and(|s| s.pages_rendered > 0) => "partial",
        _ => "failed",
    };
    let value = serde_json::json!({
        "input": source.name(),
        "output": target.describe(),
        "status": status,
        "exit_code": code,
        "format": summary.and_then(|s| s.report.format.clone()),
        "page_count": summary.and_then(|s| s.report.page_count),
        "pages_rendered": summary.map_or(0, |s| s.pages_rendered),
        "files": outcome.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "error": outcome.failure.as_ref().map(|f| serde_json::json!({"kind": f.kind.name(), "message": f.message})),
        "report": summary.map(|s| &s.report),
        "wall_time_ms": summary.map(|s| s.stats.wall_time.as_secs_f64() * 1000.0),
    });
    Some(value.to_string())
}
