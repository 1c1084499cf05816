//! `docsandbox`: render and inspect untrusted documents from the command line.
//!
//! Exit codes: 0 ok; 1 partial output; 2 usage; 3 unsupported format; 4 malformed
//! document; 5 a limit was hit before any page; 6 password required or wrong (even when an
//! overview page came out); 70 the sandbox itself failed. With several inputs, the code of
//! the first one that did not render in full.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use docsandbox::{Error, Isolation, Limits, RenderOptions, Sandbox};

mod input;
mod operations;
mod render;
mod serve;

#[derive(Parser)]
#[command(name = "docsandbox", version, about = "Render untrusted documents to images inside a WebAssembly sandbox")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Linux: render each document in a fresh worker process confined by seccomp-bpf and
    /// rlimits, a second layer around the WebAssembly sandbox (needs the
    /// `docsandbox-worker` program next to this one, or `$DOCSANDBOX_WORKER`).
    #[arg(long, global = true, env = "DOCSANDBOX_PROCESS_ISOLATION")]
    process_isolation: bool,
    /// Say on stderr what the library is doing (loading or compiling the guest...) even
    /// when stderr is not a terminal.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Print no summary lines or notes, only errors (and what `--json` or `inspect` asks for).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
}

/// Passwords for an encrypted document, tried in turn: `--password` values, the lines of
/// `--password-file`, then `$DOCSANDBOX_PASSWORD`.
#[derive(clap::Args)]
struct Passwords {
    /// Password for an encrypted document; give it several times to try each in turn. It is
    /// visible to other users in the process list: prefer `--password-file` or
    /// `$DOCSANDBOX_PASSWORD`.
    #[arg(long)]
    password: Vec<String>,
    /// A file of passwords to try, one per line.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// Let an encrypted e-mail attachment be opened with a password the message body
    /// states ("Password: 1234"). Off by default.
    #[arg(long)]
    passwords_from_message: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Render documents to PNG or JPEG pages (DIR/page-0001.png...) or to safe PDFs made of
    /// the page images only (`--format pdf --out FILE.pdf`).
    Render(render::Args),
    /// Run a web viewer: upload a document in the browser, see its pages and report. Every
    /// setting can also come from the environment (`DOCSANDBOX_PORT=8080`...).
    Serve {
        /// Address to listen on (127.0.0.1: only this machine).
        #[arg(long, env = "DOCSANDBOX_ADDR", default_value = "127.0.0.1")]
        addr: std::net::IpAddr,
        /// Port to listen on (0: any free port; the address is printed).
        #[arg(long, env = "DOCSANDBOX_PORT", default_value_t = 8080)]
        port: u16,
        /// Largest upload accepted, in MiB.
        #[arg(long, env = "DOCSANDBOX_MAX_UPLOAD_MIB", default_value_t = 50)]
        max_upload_mib: usize,
        /// Documents rendered at once (default: the number of cores).
        #[arg(long, env = "DOCSANDBOX_WORKERS")]
        workers: Option<usize>,
        /// Uploads that may wait for a worker; more get HTTP 503.
        #[arg(long, env = "DOCSANDBOX_QUEUE", default_value_t = 8)]
        queue: usize,
        /// Resolution of the pages shown.
        #[arg(long, env = "DOCSANDBOX_DPI", default_value_t = 110)]
        dpi: u32,
        /// A host name the viewer also answers to (besides its address and `localhost`), on
        /// any port, as browsers send it in `Host`; give it several times for several names
        /// (`DOCSANDBOX_ALLOWED_HOST=a,b`). Any other name is refused, which stops
        /// DNS-rebinding attacks.
        #[arg(long, env = "DOCSANDBOX_ALLOWED_HOST", value_delimiter = ',')]
        allowed_host: Vec<String>,
        /// Most pages shown of one document.
        #[arg(long, env = "DOCSANDBOX_MAX_PAGES", default_value_t = 200)]
        max_pages: u32,
        /// Memory all renders in flight may use together, in MiB; each render reserves its
        /// worst case (the guest's memory plus three pages) before it starts.
        #[arg(long, env = "DOCSANDBOX_MEMORY_BUDGET_MIB", default_value_t = 2048)]
        memory_budget_mib: u64,
        /// Name the uploaded file in the render log lines (off: logs carry no file names).
        #[arg(long, env = "DOCSANDBOX_LOG_FILE_NAMES")]
        log_file_names: bool,
        /// Seconds the requests in flight may take to finish after SIGTERM or Ctrl-C.
        #[arg(long, env = "DOCSANDBOX_SHUTDOWN_GRACE", default_value_t = 30)]
        shutdown_grace: u64,
        /// A file holding the page token (32 or more letters, digits, `-` or `_`) instead of
        /// a random one per start: replicas behind one balancer must share it, since the
        /// page may come from one replica and the render go to another.
        #[arg(long, env = "DOCSANDBOX_TOKEN_FILE", value_name = "FILE")]
        token_file: Option<PathBuf>,
    },
    /// Print the advisory report (active content, links, attachments) as JSON; also what
    /// was learnt before an error (an encrypted file's format, say).
    Inspect {
        /// The document; `-` reads it from standard input.
        input: PathBuf,
        #[command(flatten)]
        passwords: Passwords,
    },
    /// Print a shell completion script: `docsandbox completions bash > /etc/bash_completion.d/docsandbox`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `docsandbox man | man -l -`.
    Man,
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
        Command::Render(args) => render::run(args, cli.quiet),
        Command::Serve {
            addr,
            port,
            max_upload_mib,
            workers,
            queue,
            dpi,
            allowed_host,
            max_pages,
            memory_budget_mib,
            log_file_names,
            shutdown_grace,
            token_file,
        } => {
            let token = match token_file.as_deref().map(serve::read_token).transpose() {
                Ok(token) => token,
                Err(message) => {
                    eprintln!("docsandbox: {message}");
                    return ExitCode::from(2);
                }
            };
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
                log_file_names,
                shutdown_grace: std::time::Duration::from_secs(shutdown_grace),
                token,
            };
            match serve::run(settings) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("docsandbox: {e}");
                    70
                }
            }
        }
        Command::Inspect { input, passwords } => inspect(&input::Source::new(input), &passwords),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "docsandbox", &mut out);
            print_bytes(&out)
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => print_bytes(&out),
                Err(e) => {
                    eprintln!("docsandbox: cannot write the manual: {e}");
                    70
                }
            }
        }
    };
    ExitCode::from(code)
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

/// Writes bytes to stdout, quietly giving up when the reader went away.
fn print_bytes(bytes: &[u8]) -> u8 {
    match write_stdout(bytes) {
        Err(message) => {
            eprintln!("docsandbox: {message}");
            74
        }
        Ok(()) => 0,
    }
}

/// Writes bytes to stdout. A reader that stopped reading (`| head`) did not want the rest:
/// that is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write to standard output: {e}")),
        _ => Ok(()),
    }
}

/// Prints an error and returns its exit code.
fn fail(error: &Error) -> u8 {
    eprintln!("docsandbox: {error}");
    error.kind().exit_code() as u8
}

/// `inspect`: prints the report the guest made, trying each password in turn, even when
/// the document then failed (the exit code says how).
fn inspect(source: &input::Source, passwords: &Passwords) -> u8 {
    let tries = match input::passwords(&passwords.password, passwords.password_file.as_deref()) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("docsandbox: {message}");
            return 2;
        }
    };
    let sandbox = match sandbox(Limits::default()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let bytes = match source.read(sandbox.limits().max_input_bytes) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("docsandbox: {}: {}", source.name(), e.message);
            return e.kind.exit_code() as u8;
        }
    };
    if let Some(isolation @ Isolation::Process { .. }) = ISOLATION.get() {
        match isolation.layers() {
            Ok(layers) => layers.iter().for_each(|layer| eprintln!("isolation: {layer}")),
            Err(e) => return fail(&e),
        }
    }
    let mut options = RenderOptions::default().passwords_from_message(passwords.passwords_from_message);
    options.file_name = source.file_name();
    let result = input::each_password(
        &options,
        &tries,
        |options| sandbox.inspect_summary(&bytes, &options),
        |result| match result {
            Ok(summary) => summary.truncated.as_ref().is_some_and(password_error),
            Err(e) => password_error(e),
        },
    );
    match result {
        Ok(summary) => {
            say(format_args!("{}", summary.report.to_json()));
            summary.truncated.map_or(0, |e| fail_on(source, &e))
        }
        Err(e) => fail_on(source, &e),
    }
}

/// Prints an error about a document and returns its exit code.
fn fail_on(source: &input::Source, error: &Error) -> u8 {
    eprintln!("docsandbox: {}: {error}", source.name());
    error.kind().exit_code() as u8
}

/// Whether an error is about the password.
fn password_error(error: &Error) -> bool {
    matches!(error, Error::PasswordRequired | Error::WrongPassword)
}

#[cfg(test)]
mod tests {
    use super::render::parse_pages;

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
