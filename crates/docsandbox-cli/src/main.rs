//! `docsandbox`: render and inspect untrusted documents from the command line.
//!
//! Exit codes: 0 ok; 1 partial output; 2 usage; 3 unsupported format; 4 malformed
//! document; 5 a limit was hit before any page; 6 password required or wrong;
//! 70 the sandbox itself failed.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::ops::{ControlFlow, RangeInclusive};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use docsandbox::{Error, Isolation, Limits, RenderOptions, Sandbox};
use indicatif::{ProgressBar, ProgressStyle};

mod serve;

#[derive(Parser)]
#[command(name = "docsandbox", version, about = "Render untrusted documents to images inside a WebAssembly sandbox")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Linux: render each document in a fresh worker process confined by seccomp-bpf and
    /// rlimits, a second layer around the WebAssembly sandbox (needs the
    /// `docsandbox-worker` program next to this one, or `$DOCSANDBOX_WORKER`).
    #[arg(long, global = true)]
    process_isolation: bool,
    /// Say on stderr what the library is doing (loading or compiling the guest...) even
    /// when stderr is not a terminal.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Render a document to PNG pages (DIR/page-0001.png, page-0002.png...) or to one safe
    /// PDF made of the page images only (`--format pdf --out FILE.pdf`).
    Render {
        /// The document.
        input: PathBuf,
        /// Directory for the PNG pages (created if missing), or the PDF file to write.
        #[arg(long, short)]
        out: PathBuf,
        /// `png`: one PNG per page; `pdf`: a safe PDF rebuilt from the page images.
        #[arg(long, value_enum, default_value_t = OutputFormat::Png)]
        format: OutputFormat,
        /// With `--format pdf`: compress the page images as JPEG at this quality (1-100)
        /// instead of losslessly.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
        jpeg_quality: Option<u8>,
        /// Resolution in dots per inch.
        #[arg(long, default_value_t = 150)]
        dpi: u32,
        /// Pages to render, 1-based: `3` or `2-5` or `4-`.
        #[arg(long, value_parser = parse_pages)]
        pages: Option<RangeInclusive<u32>>,
        /// Password for an encrypted document; give it several times to try each in turn.
        #[arg(long)]
        password: Vec<String>,
        /// Let an encrypted e-mail attachment be opened with a password the message body
        /// states ("Password: 1234"). Off by default.
        #[arg(long)]
        passwords_from_message: bool,
        /// Stop after this many pages (exit code 1 when the document has more).
        #[arg(long, default_value_t = Limits::default().max_pages)]
        max_pages: u32,
        /// Seconds the renderer may run.
        #[arg(long, default_value_t = Limits::default().deadline.as_secs())]
        deadline: u64,
    },
    /// Run a web viewer: upload a document in the browser, see its pages and report.
    Serve {
        /// Address to listen on (127.0.0.1: only this machine).
        #[arg(long, default_value = "127.0.0.1")]
        addr: std::net::IpAddr,
        /// Port to listen on (0: any free port; the address is printed).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Largest upload accepted, in MiB.
        #[arg(long, default_value_t = 50)]
        max_upload_mib: usize,
        /// Documents rendered at once (default: the number of cores).
        #[arg(long)]
        workers: Option<usize>,
        /// Uploads that may wait for a worker; more get HTTP 503.
        #[arg(long, default_value_t = 8)]
        queue: usize,
        /// Resolution of the pages shown.
        #[arg(long, default_value_t = 110)]
        dpi: u32,
        /// A host name the viewer also answers to (besides its address and `localhost`),
        /// as browsers send it in `Host`; give it several times for several names. Any other
        /// name is refused, which stops DNS-rebinding attacks.
        #[arg(long)]
        allowed_host: Vec<String>,
        /// Most pages shown of one document.
        #[arg(long, default_value_t = 200)]
        max_pages: u32,
        /// Memory all renders in flight may use together, in MiB; each render reserves its
        /// worst case (the guest's memory plus three pages) before it starts.
        #[arg(long, default_value_t = 2048)]
        memory_budget_mib: u64,
    },
    /// Print the advisory report (active content, links, attachments) as JSON.
    Inspect {
        /// The document.
        input: PathBuf,
        /// Password for an encrypted document; give it several times to try each in turn.
        #[arg(long)]
        password: Vec<String>,
        /// Let an encrypted e-mail attachment be opened with a password the message body
        /// states ("Password: 1234"). Off by default.
        #[arg(long)]
        passwords_from_message: bool,
    },
}

/// What `render` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Png,
    Pdf,
}

/// Where and how `render` writes the pages.
struct Destination {
    path: PathBuf,
    format: OutputFormat,
    images: docsandbox::PdfImages,
}

fn parse_pages(text: &str) -> Result<RangeInclusive<u32>, String> {
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

/// Prints the library's warnings on stderr (an untrusted cache directory, say), and on a
/// terminal also what it is doing when that takes a while (compiling the guest).
struct StderrLog;

/// Whether to print the library's progress lines too: stderr is a terminal (found once at
/// start) or `--verbose` was given.
static SAY_PROGRESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl log::Log for StderrLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        let terminal = SAY_PROGRESS.load(std::sync::atomic::Ordering::Relaxed);
        metadata.target().starts_with("docsandbox") && (metadata.level() <= log::Level::Warn || (terminal && metadata.level() <= log::Level::Info))
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("docsandbox: {}", record.args());
        }
    }

    fn flush(&self) {}
}

fn main() -> ExitCode {
    SAY_PROGRESS.store(std::io::stderr().is_terminal(), std::sync::atomic::Ordering::Relaxed);
    if log::set_logger(&StderrLog).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if cli.verbose {
        SAY_PROGRESS.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    // The library takes its settings from the program: this one reads them from the environment.
    if let Err(e) = docsandbox::configure(docsandbox::EngineConfig::from_env()) {
        return ExitCode::from(fail(&e));
    }
    if cli.process_isolation {
        let named = std::env::var_os("DOCSANDBOX_WORKER").map(|worker| Isolation::Process { worker: worker.into() });
        match named.map_or_else(Isolation::process, Ok) {
            Ok(isolation) => {
                let _ = ISOLATION.set(isolation);
            }
            Err(e) => return ExitCode::from(fail(&e)),
        }
    }
    let code = match cli.command {
        Command::Render { input, out, format, jpeg_quality, dpi, pages, password, passwords_from_message, max_pages, deadline } => {
            let images = jpeg_quality.map_or(docsandbox::PdfImages::Flate, docsandbox::PdfImages::Jpeg);
            let out = Destination { path: out, format, images };
            let mut options = RenderOptions::default().dpi(dpi).passwords_from_message(passwords_from_message);
            options.pages = pages;
            options.file_name = file_name(&input);
            let limits = Limits::default().max_pages(max_pages).deadline(Duration::from_secs(deadline));
            with_passwords(&password, options, |options, last| render(&input, &out, options, limits.clone(), last))
        }
        Command::Serve { addr, port, max_upload_mib, workers, queue, dpi, allowed_host, max_pages, memory_budget_mib } => {
            let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            let settings = serve::Settings {
                addr: std::net::SocketAddr::new(addr, port),
                max_upload_bytes: max_upload_mib << 20,
                workers,
                queue,
                dpi,
                allowed_hosts: allowed_host,
                isolation: ISOLATION.get().cloned().unwrap_or_default(),
                limits: serve::limits((max_upload_mib as u64) << 20, max_pages),
                memory_budget: memory_budget_mib << 20,
            };
            match serve::run(settings) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("docsandbox: {e}");
                    70
                }
            }
        }
        Command::Inspect { input, password, passwords_from_message } => {
            let mut options = RenderOptions::default().passwords_from_message(passwords_from_message);
            options.file_name = file_name(&input);
            with_passwords(&password, options, |options, last| inspect(&input, options, last))
        }
    };
    ExitCode::from(code)
}

/// Exit code for a missing or wrong password: the next password may be tried.
const PASSWORD_EXIT: u8 = 6;

/// Runs `run` with each password in turn (or none), stopping at the first outcome that is
/// not a password failure. `run` is told whether this is the last attempt, so that it
/// only reports a password failure then.
fn with_passwords(passwords: &[String], options: RenderOptions, mut run: impl FnMut(&RenderOptions, bool) -> u8) -> u8 {
    if passwords.is_empty() {
        return run(&options, true);
    }
    let mut code = PASSWORD_EXIT;
    for (i, password) in passwords.iter().enumerate() {
        code = run(&options.clone().password(password.clone()), i + 1 == passwords.len());
        if code != PASSWORD_EXIT {
            break;
        }
    }
    code
}

/// Whether an error is about the password.
fn password_error(error: &Error) -> bool {
    matches!(error, Error::PasswordRequired | Error::WrongPassword)
}

/// The input's file name, for the report's extension check.
fn file_name(input: &Path) -> Option<String> {
    input.file_name().map(|n| n.to_string_lossy().into_owned())
}

fn read_input(input: &Path) -> Result<Vec<u8>, u8> {
    std::fs::read(input).map_err(|e| {
        eprintln!("docsandbox: cannot read {}: {e}", input.display());
        2
    })
}

/// How documents are isolated: set once from the command line.
static ISOLATION: std::sync::OnceLock<Isolation> = std::sync::OnceLock::new();

fn sandbox(limits: Limits) -> Result<Sandbox, u8> {
    Sandbox::with_isolation(limits, ISOLATION.get().cloned().unwrap_or_default()).map_err(|e| fail(&e))
}

/// Writes a line to stdout. A reader that went away (`docsandbox inspect x.pdf | head`) is
/// not an error worth a panic: the output is simply no longer wanted.
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// Prints an error and returns its exit code.
fn fail(error: &Error) -> u8 {
    eprintln!("docsandbox: {error}");
    error.kind().exit_code() as u8
}

fn render(input: &Path, destination: &Destination, options: &RenderOptions, limits: Limits, last: bool) -> u8 {
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let out = destination.path.as_path();
    if destination.format == OutputFormat::Png {
        if let Err(e) = std::fs::create_dir_all(out) {
            eprintln!("docsandbox: cannot create {}: {e}", out.display());
            return 2;
        }
    }
    let sandbox = match sandbox(limits) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(ProgressStyle::with_template("{msg} [{bar:30}] page {pos}/{len} {elapsed}").expect("valid template"));
        bar.set_message(input.display().to_string());
        bar
    });
    let mut write_error = None;
    let mut pdf_pages = Vec::new();
    let result = sandbox.render_streaming(&bytes, options, |page, done| {
        let path = out.join(format!("page-{:04}.png", page.number()));
        let written = match destination.format {
            OutputFormat::Png => write_new(&path, |file| page.write_png(std::io::BufWriter::new(file))),
            OutputFormat::Pdf => {
                pdf_pages.push(page);
                Ok(())
            }
        };
        if let Some(bar) = &progress {
            bar.set_length(u64::from(done.expected.unwrap_or(done.rendered)));
            bar.set_position(u64::from(done.rendered));
        }
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                write_error = Some(format!("cannot write {}: {e}", path.display()));
                ControlFlow::Break(())
            }
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if destination.format == OutputFormat::Pdf && !pdf_pages.is_empty() {
        let pdf = docsandbox::safe_pdf::write(&pdf_pages, destination.images);
        if let Err(e) = write_new(out, |mut file| std::io::Write::write_all(&mut file, &pdf)) {
            write_error = Some(format!("cannot write {}: {e}", out.display()));
        }
    }
    if let Some(message) = write_error {
        eprintln!("docsandbox: {message}");
        return 2;
    }
    match result {
        Err(e) if password_error(&e) && !last => PASSWORD_EXIT,
        Err(e) => fail(&e),
        Ok(summary) if summary.truncated.as_ref().is_some_and(password_error) && !last => PASSWORD_EXIT,
        Ok(summary) => {
            let findings = summary.report.findings.len();
            let format = summary.report.format.as_deref().unwrap_or("document");
            say(format_args!(
                "{}: {format}, {} of {} pages rendered to {} in {:.2?}; {findings} finding{}{}",
                input.display(),
                summary.pages_rendered,
                summary.report.page_count.unwrap_or(summary.pages_rendered),
                out.display(),
                summary.stats.wall_time,
                if findings == 1 { "" } else { "s" },
                if findings > 0 { " (see `docsandbox inspect`)" } else { "" },
            ));
            match summary.truncated {
                Some(reason) => {
                    eprintln!("docsandbox: stopped early: {reason}");
                    1
                }
                None => 0,
            }
        }
    }
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

fn inspect(input: &Path, options: &RenderOptions, last: bool) -> u8 {
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let sandbox = match sandbox(Limits::default()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(isolation @ Isolation::Process { .. }) = ISOLATION.get() {
        match isolation.layers() {
            Ok(layers) => layers.iter().for_each(|layer| eprintln!("isolation: {layer}")),
            Err(e) => return fail(&e),
        }
    }
    match sandbox.inspect(&bytes, options) {
        Ok(report) => {
            say(format_args!("{}", report.to_json()));
            0
        }
        Err(e) if password_error(&e) && !last => PASSWORD_EXIT,
        Err(e) => fail(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_pages;

    #[test]
    fn page_ranges() {
        assert_eq!(parse_pages("3"), Ok(3..=3));
        assert_eq!(parse_pages("2-5"), Ok(2..=5));
        assert_eq!(parse_pages("4-"), Ok(4..=u32::MAX));
        assert!(parse_pages("0").is_err());
        assert!(parse_pages("5-2").is_err());
        assert!(parse_pages("x").is_err());
    }
}
