//! `Isolation::Process`: the same results as in-process, typed errors across the process
//! boundary, and proof from outside that the worker is confined (its seccomp filter,
//! descriptors and limits, read from /proc while it runs; forbidden calls kill it).
#![cfg(target_os = "linux")]

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use docsandbox::{Error, Isolation, Limits, Probe, RenderOptions, Sandbox};

/// Held by every test: the ones that look for "the" worker in /proc must see only theirs.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn isolated(limits: Limits) -> Sandbox {
    let worker = PathBuf::from(env!("CARGO_BIN_EXE_docsandbox-worker"));
    Sandbox::with_isolation(limits, Isolation::Process { worker }).expect("process-isolated sandbox")
}

fn sample() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/welcome.pdf")).expect("samples/welcome.pdf")
}

/// A plain-text document of about `pages` pages.
fn long_text(pages: usize) -> Vec<u8> {
    (0..pages * 60).map(|i| format!("line {i}: the quick brown fox jumps over the lazy dog\n")).collect::<String>().into_bytes()
}

/// The worker processes this test process has started and that are still alive: each
/// worker as started (which forks into its PID namespace and then only waits) and the
/// confined child that renders.
fn workers() -> Vec<u32> {
    let me = std::process::id();
    let all: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // pid (comm) state ppid ...
            let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
            stat.contains("(docsandbox-work").then_some((pid, ppid))
        })
        .collect();
    let started: Vec<u32> = all.iter().filter(|(_, ppid)| *ppid == me).map(|(pid, _)| *pid).collect();
    all.iter().filter(|(pid, ppid)| *ppid == me || started.contains(ppid) && !started.contains(pid)).map(|(pid, _)| *pid).collect()
}

/// The confined worker that renders: a worker's child when it forked into a PID
/// namespace, else the worker itself.
fn renderer() -> Vec<u32> {
    let me = std::process::id();
    let ppid = |pid: u32| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok()).unwrap_or(0)
    };
    let all = workers();
    let children: Vec<u32> = all.iter().copied().filter(|&pid| ppid(pid) != me).collect();
    if children.is_empty() {
        all
    } else {
        children
    }
}

#[test]
fn pages_and_report_match_in_process_rendering() {
    let _serial = serial();
    let bytes = sample();
    let options = RenderOptions::default().dpi(72);
    let expected = Sandbox::new(Limits::default()).unwrap().render(&bytes, &options).unwrap();
    let got = isolated(Limits::default()).render(&bytes, &options).unwrap();
    assert_eq!(got.pages().len(), expected.pages().len());
    for (a, b) in got.pages().iter().zip(expected.pages()) {
        assert_eq!((a.number(), a.width(), a.height()), (b.number(), b.width(), b.height()));
        assert!(a.rgba() == b.rgba(), "page {} differs", a.number());
    }
    assert_eq!(got.report(), expected.report());
    assert!(got.truncated().is_none());
    assert!(got.stats().fuel_consumed > 0, "the worker reports the fuel it used");
}

#[test]
fn typed_errors_cross_the_process_boundary() {
    let _serial = serial();
    let sandbox = isolated(Limits::default());
    assert!(matches!(sandbox.render(b"\x00\x01binary junk\xff", &RenderOptions::default()), Err(Error::Unsupported(_))));
    assert!(matches!(sandbox.render(b"%PDF-1.7\n garbage", &RenderOptions::default()), Err(Error::Malformed(_))));
    let starved = isolated(Limits::default().fuel(1_000_000));
    assert_eq!(starved.render(&sample(), &RenderOptions::default()).unwrap_err(), Error::FuelExhausted { limit: 1_000_000 });
    let few = isolated(Limits::default().max_pages(2));
    let doc = few.render(&long_text(6), &RenderOptions::default().dpi(36)).unwrap();
    assert_eq!(doc.pages().len(), 2);
    assert_eq!(doc.truncated(), Some(&Error::TooManyPages { limit: 2 }));
    assert_eq!(sandbox.inspect(&sample(), &RenderOptions::default()).unwrap().format.as_deref(), Some("pdf"));
}

#[test]
fn forbidden_system_calls_kill_the_worker() {
    let _serial = serial();
    let sandbox = isolated(Limits::default());
    for probe in [Probe::OpenFile, Probe::Socket, Probe::Spawn] {
        match sandbox.probe_isolation(probe) {
            Err(Error::WorkerCrashed(message)) => {
                assert!(message.contains("signal 31"), "{probe:?}: {message}")
            }
            other => panic!("{probe:?} was not stopped by the filter: {other:?}"),
        }
    }
    // And the next document gets a fresh worker.
    assert_eq!(sandbox.render(&sample(), &RenderOptions::default().dpi(36)).unwrap().pages().len(), 1);
}

#[test]
fn a_running_worker_is_confined() {
    let _serial = serial();
    let sandbox = isolated(Limits::default());
    let mut inspected = None;
    let doc = sandbox.render_streaming(&long_text(4), &RenderOptions::default().dpi(36), |_, _| {
        // The worker is blocked sending the next page: look at it from outside.
        let pids = renderer();
        assert_eq!(pids.len(), 1, "one worker per document: {pids:?}");
        let pid = pids[0];
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
        // Each descriptor's target, and whether it is open for reading only.
        let fds: Vec<(String, bool)> = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let target = std::fs::read_link(e.path()).map(|t| t.display().to_string()).unwrap_or_default();
                let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", e.file_name().to_string_lossy())).unwrap_or_default();
                let flags = info.lines().find_map(|l| l.strip_prefix("flags:")).map(|f| u32::from_str_radix(f.trim(), 8).unwrap()).unwrap();
                (target, flags & 0o3 == 0)
            })
            .collect();
        inspected = Some((status, limits, fds));
        ControlFlow::Break(())
    });
    assert!(matches!(doc, Ok(ref s) if s.truncated == Some(Error::Cancelled)), "{doc:?}");
    let (status, limits, fds) = inspected.expect("a page arrived");
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned());
    assert_eq!(field("Seccomp:").as_deref(), Some("2"), "seccomp filter mode\n{status}");
    assert_eq!(field("NoNewPrivs:").as_deref(), Some("1"));
    assert_eq!(field("Threads:").as_deref(), Some("3"), "main, guest and epoch ticker only");
    for (fd, read_only) in &fds {
        // Pipes to the parent, /dev/null, and the compiled guest, mapped from the cache
        // (its copy-on-write memory image is mapped from it at instantiation) and open for
        // reading only; or, without a cache, its in-memory image.
        let compiled_guest = fd.ends_with(".cwasm") && Path::new(fd).file_name().unwrap().to_string_lossy().starts_with("guest-") && *read_only;
        assert!(fd.starts_with("pipe:") || fd == "/dev/null" || fd.starts_with("/memfd:") || compiled_guest, "unexpected descriptor {fd} in {fds:?}");
    }
    assert!(!fds.iter().any(|(fd, _)| fd.starts_with("socket:")));
    let limit = |name: &str| limits.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].split_whitespace().take(2).collect::<Vec<_>>().join(" "));
    assert_eq!(limit("Max core file size").as_deref(), Some("0 0"));
    assert_eq!(limit("Max file size").as_deref(), Some("0 0"));
    assert_eq!(limit("Max processes").as_deref(), Some("0 0"));
    let open: usize = limit("Max open files").unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(open <= fds.len() + 3, "no room for more descriptors: limit {open}, open {}", fds.len());
    assert_eq!(field("CapEff:").as_deref(), Some("0000000000000000"), "no capabilities\n{status}");
    assert_eq!(field("CapPrm:").as_deref(), Some("0000000000000000"), "no capabilities\n{status}");
    if std::fs::read_to_string("/proc/self/status").unwrap().lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0")) {
        let uid = field("Uid:").unwrap();
        assert!(uid.split_whitespace().all(|u| u == "65534"), "a worker started by root runs as nobody: Uid {uid}");
    }
    assert!(workers().is_empty(), "the worker is gone after the document");
}

#[test]
fn a_killed_worker_is_a_typed_error_and_the_next_document_gets_a_new_one() {
    let _serial = serial();
    let sandbox = isolated(Limits::default());
    let mut killed = false;
    let summary = sandbox
        .render_streaming(&long_text(4), &RenderOptions::default().dpi(36), |_, _| {
            if !killed {
                for pid in workers() {
                    std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status().unwrap();
                }
                killed = true;
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    match summary.truncated {
        Some(Error::WorkerCrashed(message)) => assert!(message.contains("signal 9"), "{message}"),
        other => panic!("expected a worker crash, got {other:?}"),
    }
    assert!(summary.pages_rendered >= 1);
    let doc = sandbox.render(&long_text(4), &RenderOptions::default().dpi(36)).unwrap();
    assert!(doc.truncated().is_none() && doc.pages().len() >= 4);
}

#[test]
fn a_worker_past_its_deadline_is_stopped() {
    let _serial = serial();
    // Fuel high, deadline short: the worker's own deadline stops the guest.
    let sandbox = isolated(Limits::default().deadline(Duration::from_millis(50)));
    let result = sandbox.render(&long_text(400), &RenderOptions::default().dpi(300));
    let error = match result {
        Ok(doc) => doc.truncated().cloned(),
        Err(e) => Some(e),
    };
    assert_eq!(error, Some(Error::DeadlineExceeded { limit: Duration::from_millis(50) }));
}

#[test]
fn a_missing_worker_program_is_a_setup_error() {
    let _serial = serial();
    let missing = Isolation::Process { worker: "/nonexistent/docsandbox-worker".into() };
    assert!(matches!(Sandbox::with_isolation(Limits::default(), missing), Err(Error::Setup(_))));
}

/// A stand-in worker program: a shell script.
fn fake_worker(name: &str, script: &str) -> Sandbox {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::temp_dir().join(format!("docsandbox-fake-worker-{name}-{}", std::process::id()));
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    Sandbox::with_isolation(Limits::default().deadline(Duration::from_millis(100)), Isolation::Process { worker: path }).unwrap()
}

#[test]
fn a_compromised_worker_is_held_to_the_same_checks() {
    let _serial = serial();
    // A page before the begin message, as a worker taken over by the document might send.
    let lying = fake_worker(
        "lying",
        r"cat >/dev/null; printf '\001\031\000\000\000\025\000\000\000\002\000\000\000\000\001\000\000\000\001\000\000\000\110\000\000\000\377\377\377\377'",
    );
    assert!(matches!(lying.render(&sample(), &RenderOptions::default()), Err(Error::ProtocolViolation(m)) if m.contains("before the begin")));
    // An envelope claiming 4 GiB, then nothing.
    let short = fake_worker("short", r"cat >/dev/null; printf '\001\377\377\377\377abc'");
    assert!(matches!(short.render(&sample(), &RenderOptions::default()), Err(Error::WorkerCrashed(_))));
    // A worker that exits without a word.
    let silent = fake_worker("silent", "exit 3");
    assert!(matches!(silent.render(&sample(), &RenderOptions::default()), Err(Error::WorkerCrashed(m)) if m.contains("exit status: 3")));
    // A worker that hangs is killed after the deadline and a grace period.
    let hanging = fake_worker("hanging", "cat >/dev/null; exec sleep 600");
    let started = std::time::Instant::now();
    assert_eq!(hanging.render(&sample(), &RenderOptions::default()).unwrap_err(), Error::DeadlineExceeded { limit: Duration::from_millis(100) });
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// The attacker preloaded into the real worker (tests/probe/preload.c), compiled once.
fn preload_probe() -> Option<PathBuf> {
    static PROBE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    PROBE
        .get_or_init(|| {
            let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/probe/preload.c");
            let out = std::env::temp_dir().join(format!("docsandbox-probe-{}.so", std::process::id()));
            let status = std::process::Command::new("cc").args(["-shared", "-fPIC", "-O1", "-o"]).arg(&out).arg(source).arg("-ldl").status();
            match status {
                Ok(s) if s.success() => Some(out),
                _ => {
                    assert!(std::env::var_os("CI").is_none(), "cc is needed for the preloaded probe in CI");
                    eprintln!("skipping: no C compiler for the preloaded probe");
                    None
                }
            }
        })
        .clone()
}

/// A sandbox whose worker is the real `docsandbox-worker` with the probe preloaded, told to
/// make `action` against `arg` once it is confined.
fn attacked(probe: &std::path::Path, action: &str, arg: &str, limits: Limits) -> Sandbox {
    use std::os::unix::fs::PermissionsExt;
    let wrapper = std::env::temp_dir().join(format!("docsandbox-attacked-worker-{action}-{}", std::process::id()));
    let worker = env!("CARGO_BIN_EXE_docsandbox-worker");
    let script = format!(
        "#!/bin/sh\nexport LD_PRELOAD='{}' DOCSANDBOX_PROBE='{action}' DOCSANDBOX_PROBE_ARG='{arg}' DOCSANDBOX_PROBE_PID='{}'\nexec '{worker}'\n",
        probe.display(),
        std::process::id()
    );
    std::fs::write(&wrapper, script).unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    Sandbox::with_isolation(limits, Isolation::Process { worker: wrapper }).unwrap()
}

fn killed_by_the_filter(result: Result<docsandbox::Document, Error>) -> bool {
    let error = match result {
        Ok(doc) => doc.truncated().cloned(),
        Err(e) => Some(e),
    };
    matches!(error, Some(Error::WorkerCrashed(ref m)) if m.contains("SIGSYS"))
}

/// This process's open-file limit, as /proc shows it.
fn own_nofile() -> String {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    limits.lines().find(|l| l.starts_with("Max open files")).unwrap().to_owned()
}

#[test]
fn code_in_the_confined_worker_cannot_reach_its_parent_or_the_system() {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::PermissionsExt;
    let _serial = serial();
    let Some(probe) = preload_probe() else { return };
    let options = RenderOptions::default().dpi(36);

    // The control: the probe itself (preloaded, asking PR_GET_SECCOMP) does not disturb a render.
    let doc = attacked(&probe, "none", "", Limits::default()).render(&sample(), &options);
    assert!(matches!(&doc, Ok(d) if d.truncated().is_none() && d.pages().len() == 1), "the probe breaks rendering by itself: {doc:?}");

    // A file this process holds open, a file of the user's, and another process of the user.
    let held_path = std::env::temp_dir().join(format!("docsandbox-held-{}", std::process::id()));
    let held = std::fs::File::create(&held_path).unwrap();
    let private = std::env::temp_dir().join(format!("docsandbox-private-{}", std::process::id()));
    std::fs::write(&private, b"secret").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut bystander = std::process::Command::new("sleep").arg("120").spawn().unwrap();
    let nofile = own_nofile();
    let victim = bystander.id().to_string();
    let fd = held.as_raw_fd().to_string();
    let path = private.display().to_string();
    let attacks: [(&str, &str); 20] = [
        ("pidfd_getfd", &fd),
        ("tgkill", &victim),
        ("tkill", &victim),
        ("kill", &victim),
        ("rt_sigqueueinfo", &victim),
        ("pidfd_send_signal", &victim),
        ("prlimit", ""),
        ("fchmodat2", &path),
        ("fchmodat", &path),
        ("memfd_create", ""),
        ("open", &path),
        ("openat", &path),
        ("x32_openat", &path),
        ("socket", ""),
        ("execve", ""),
        ("ptrace", ""),
        ("fork", ""),
        ("mmap_exec", ""),
        ("mprotect_exec", ""),
        ("unshare", ""),
    ];
    for (action, arg) in attacks {
        let result = attacked(&probe, action, arg, Limits::default()).render(&sample(), &options);
        assert!(killed_by_the_filter(result.clone()), "{action} was not stopped by the filter: {result:?}");
        assert_eq!(std::fs::read(&held_path).unwrap(), b"", "{action}: the worker wrote into a descriptor of its parent");
        assert!(bystander.try_wait().unwrap().is_none(), "{action}: the worker killed another process of the user");
        assert_eq!(own_nofile(), nofile, "{action}: the worker changed its parent's limits");
        assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600, "{action}: the worker changed a user's file");
    }
    bystander.kill().unwrap();
    let _ = bystander.wait();
    let _ = std::fs::remove_file(held_path);
    let _ = std::fs::remove_file(private);
}

#[test]
fn a_worker_that_closes_its_pipes_and_sleeps_is_killed_at_the_deadline() {
    let _serial = serial();
    let Some(probe) = preload_probe() else { return };
    let deadline = Duration::from_secs(1);
    let sandbox = attacked(&probe, "hang", "", Limits::default().deadline(deadline));
    let started = std::time::Instant::now();
    let result = sandbox.render(&sample(), &RenderOptions::default().dpi(36));
    let elapsed = started.elapsed();
    assert_eq!(result.unwrap_err(), Error::DeadlineExceeded { limit: deadline });
    // Deadline plus the worker's 5 s grace, and a little time to notice.
    assert!(elapsed < deadline + Duration::from_secs(8), "took {elapsed:?}");
    assert!(workers().is_empty(), "the sleeping worker is gone");
}

#[test]
fn the_worker_reports_its_layers() {
    let _serial = serial();
    let worker = PathBuf::from(env!("CARGO_BIN_EXE_docsandbox-worker"));
    let layers = Isolation::Process { worker }.layers().unwrap();
    let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
    for name in ["webassembly", "user namespace", "namespaces", "landlock", "capabilities", "resource limits", "seccomp"] {
        assert!(names.contains(&name), "no {name} layer in {layers:?}");
    }
    // The WebAssembly sandbox, the allow-list and the limits need nothing of the kernel
    // beyond seccomp; the rest may be skipped, but then say why.
    for layer in &layers {
        assert!(!layer.detail.is_empty(), "{layer}");
        if ["webassembly", "seccomp", "resource limits"].contains(&layer.name.as_str()) {
            assert!(layer.active, "{layer}");
        }
    }
    if std::env::var_os("CI").is_some() {
        // The CI machine's kernel has them all (Linux 6.x, unprivileged user namespaces).
        assert!(layers.iter().all(|l| l.active), "{layers:#?}");
    }
    assert_eq!(Isolation::InProcess.layers().unwrap().len(), 1);
}
