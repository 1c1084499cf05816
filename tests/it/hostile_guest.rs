//! A compromised guest, played by tests/guests/hostile.wat: every misbehaviour ends in the
//! right typed error, and the same sandbox keeps working afterwards.

use std::time::{Duration, Instant};

use docsandbox::{Error, Limits, RenderOptions, Sandbox};

fn hostile(limits: Limits) -> Sandbox {
    let wasm = wat::parse_file(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/guests/hostile.wat")).expect("valid WAT");
    Sandbox::with_guest(&wasm, limits).expect("hostile guest loads")
}

fn run(sandbox: &Sandbox, mode: u8) -> Result<docsandbox::Document, Error> {
    sandbox.render(&[mode], &RenderOptions::default())
}

/// The sandbox still renders a well-behaved document.
fn still_works(sandbox: &Sandbox) {
    let doc = run(sandbox, b'P').expect("well-behaved run after a hostile one");
    assert_eq!(doc.pages().len(), 1);
    assert_eq!(doc.pages()[0].rgba(), &[0x80, 0x80, 0x80, 0xff].repeat(4)[..]);
}

#[test]
fn well_behaved_guest_renders() {
    let sandbox = hostile(Limits::default());
    still_works(&sandbox);
    let doc = run(&sandbox, b'P').unwrap();
    assert_eq!(doc.report().format.as_deref(), Some("pdf"));
    assert_eq!(doc.report().page_count, Some(5));
    assert!(doc.truncated().is_none());
}

#[test]
fn endless_loop_runs_out_of_fuel() {
    let sandbox = hostile(Limits::default().fuel(50_000_000));
    assert_eq!(run(&sandbox, b'L').unwrap_err(), Error::FuelExhausted { limit: 50_000_000 });
    still_works(&sandbox);
}

#[test]
fn endless_loop_hits_the_deadline() {
    let deadline = Duration::from_millis(300);
    let sandbox = hostile(Limits::default().fuel(u64::MAX).deadline(deadline));
    let started = Instant::now();
    assert_eq!(run(&sandbox, b'L').unwrap_err(), Error::DeadlineExceeded { limit: deadline });
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "the deadline took {took:?} to fire");
    still_works(&sandbox);
}

#[test]
fn memory_growth_stops_at_the_limit() {
    let sandbox = hostile(Limits::default().max_memory_bytes(16 << 20));
    assert_eq!(run(&sandbox, b'M').unwrap_err(), Error::MemoryLimit { limit: 16 << 20 });
    still_works(&sandbox);
}

#[test]
fn stack_exhaustion_is_a_crash_not_a_host_overflow() {
    let sandbox = hostile(Limits::default());
    match run(&sandbox, b'S') {
        Err(Error::GuestCrashed(message)) => {
            assert!(message.contains("stack overflow"), "{message}")
        }
        other => panic!("expected a crash, got {other:?}"),
    }
    still_works(&sandbox);
}

#[test]
fn oversized_page_is_refused_before_allocation() {
    let sandbox = hostile(Limits::default());
    assert_eq!(run(&sandbox, b'H').unwrap_err(), Error::PageTooLarge { width: 20_000, height: 20_000 });
    still_works(&sandbox);
}

#[test]
fn lying_frame_length_is_a_protocol_violation() {
    let sandbox = hostile(Limits::default());
    assert!(matches!(run(&sandbox, b'X'), Err(Error::ProtocolViolation(_))));
    still_works(&sandbox);
}

#[test]
fn a_finding_of_unlisted_kind_is_a_protocol_violation() {
    let sandbox = hostile(Limits::default());
    match run(&sandbox, b'K').unwrap_err() {
        Error::ProtocolViolation(m) => assert!(m.contains("kind"), "{m}"),
        other => panic!("expected a protocol violation, got {other:?}"),
    }
    still_works(&sandbox);
}

#[test]
fn too_many_pages_keeps_the_allowed_ones() {
    let sandbox = hostile(Limits::default().max_pages(3));
    let doc = run(&sandbox, b'F').expect("partial output");
    assert_eq!(doc.pages().len(), 3);
    assert_eq!(doc.pages().iter().map(|p| p.number()).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(doc.truncated(), Some(&Error::TooManyPages { limit: 3 }));
    still_works(&sandbox);
}

#[test]
fn output_flood_stops_at_the_output_limit() {
    // Each 2x2 page is 16 bytes of pixels: 100 bytes allow 6 pages.
    let sandbox = hostile(Limits::default().max_pages(1_000_000).max_output_bytes(100));
    let doc = run(&sandbox, b'F').expect("partial output");
    assert_eq!(doc.pages().len(), 6);
    assert_eq!(doc.truncated(), Some(&Error::OutputLimit { limit: 100 }));
    still_works(&sandbox);
}

#[test]
fn good_frames_before_a_bad_one_in_the_same_write_are_kept() {
    let sandbox = hostile(Limits::default());
    let doc = run(&sandbox, b'W').expect("partial output");
    assert_eq!(doc.pages().iter().map(|p| p.number()).collect::<Vec<_>>(), [1, 2]);
    assert!(matches!(doc.truncated(), Some(Error::ProtocolViolation(_))));
    still_works(&sandbox);
}

#[test]
fn missing_end_message_is_reported_with_the_pages() {
    let sandbox = hostile(Limits::default());
    let doc = run(&sandbox, b'N').expect("partial output");
    assert_eq!(doc.pages().len(), 1);
    assert!(matches!(doc.truncated(), Some(Error::ProtocolViolation(_))));
}

#[test]
fn trap_in_the_middle_of_a_page_loses_only_that_page() {
    let sandbox = hostile(Limits::default());
    assert!(matches!(run(&sandbox, b'Q'), Err(Error::GuestCrashed(_))));
    still_works(&sandbox);
}

#[test]
fn stderr_flood_is_bounded() {
    let sandbox = hostile(Limits::default());
    match run(&sandbox, b'E') {
        Err(Error::GuestCrashed(message)) => assert!(message.len() < 1024, "{} bytes of diagnostics", message.len()),
        other => panic!("expected a crash, got {other:?}"),
    }
}

#[test]
fn bad_arguments_to_every_import_get_errnos_not_host_faults() {
    let sandbox = hostile(Limits::default());
    let doc = run(&sandbox, b'B').expect("the guest saw errors and carried on");
    assert_eq!(doc.pages().len(), 1);
}

#[test]
fn imports_outside_the_allow_list_are_refused_at_load() {
    for (module, name) in [("wasi_snapshot_preview1", "path_open"), ("wasi_snapshot_preview1", "sock_accept"), ("env", "system")] {
        let wat = format!(
            r#"(module (import "{module}" "{name}" (func (param i32) (result i32)))
                (memory (export "memory") 1) (func (export "_start")))"#
        );
        let err = Sandbox::with_guest(&wat::parse_str(&wat).unwrap(), Limits::default()).unwrap_err();
        assert!(matches!(&err, Error::Setup(m) if m.contains(name)), "{err}");
    }
    // Importing a memory or a table from the host is refused too.
    let wat = r#"(module (import "wasi_snapshot_preview1" "fd_write" (memory 1)) (func (export "_start")))"#;
    assert!(Sandbox::with_guest(&wat::parse_str(wat).unwrap(), Limits::default()).is_err());
}

#[test]
fn hostile_runs_from_many_threads_do_not_disturb_each_other() {
    let sandbox = hostile(Limits::default().fuel(20_000_000));
    std::thread::scope(|s| {
        for i in 0..8 {
            let sandbox = &sandbox;
            s.spawn(move || {
                for _ in 0..5 {
                    if i % 2 == 0 {
                        assert!(matches!(run(sandbox, b'L'), Err(Error::FuelExhausted { .. })));
                    } else {
                        still_works(sandbox);
                    }
                }
            });
        }
    });
}
