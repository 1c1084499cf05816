//! `docsandbox-worker`: the confined process that renders one document for
//! `Isolation::Process`. Not meant to be run by hand; the library starts it.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    docsandbox::worker::main()
}
