//! Every hostile and malformed file of the corpus, in every format, ends in `Ok` or a
//! typed document error within its limits, and the host's peak memory stays bounded
//! while they run. (Format-specific expectations are in the per-format suites; this is
//! the sweep that new hostile files join automatically.)

use crate::common;

use std::time::{Duration, Instant};

use docsandbox::{ErrorKind, Limits, RenderOptions, Sandbox};

/// Peak resident memory of this process in MiB (Linux), or 0 where unknown.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or(0, |kib| kib / 1024)
}

#[test]
fn every_hostile_and_malformed_corpus_file_ends_typed_and_bounded() {
    let Some(dir) = common::corpus_dir().filter(|_| common::corpus_present()) else {
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let deadline = Duration::from_secs(20);
    let sandbox = Sandbox::new(Limits::default().deadline(deadline).max_pages(100)).unwrap();
    let mut seen = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 9 || !matches!(cols[2], "hostile" | "malformed") {
            continue;
        }
        let (name, password) = (cols[0], cols[7]);
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let mut options = RenderOptions::default().dpi(50);
        if !password.is_empty() && password != "-" && !password.contains(' ') {
            options = options.password(password);
        }
        let start = Instant::now();
        let outcome = sandbox.render(&bytes, &options);
        let took = start.elapsed();
        match &outcome {
            Ok(doc) => eprintln!("{name}: ok, {} pages in {took:.2?}", doc.pages().len()),
            Err(e) => {
                eprintln!("{name}: {e} ({took:.2?})");
                assert_ne!(e.kind(), ErrorKind::Internal, "{name}: the sandbox itself failed: {e}");
                assert_ne!(e.kind(), ErrorKind::Usage, "{name}: {e}");
            }
        }
        // The deadline is guest time; allow for instantiation and validating the output.
        assert!(took < deadline + Duration::from_secs(5), "{name}: {took:?}");
        seen += 1;
    }
    assert!(seen >= 30, "only {seen} hostile or malformed files in the manifest");
    let peak = peak_rss_mib();
    eprintln!("{seen} files; peak RSS {peak} MiB");
    assert!(peak < 1536, "peak RSS {peak} MiB");
}

/// Every input the fuzzers ever crashed or hung on (`fuzz/regressions/<target>/`, kept in
/// the repository) ends in `Ok` or a typed document error through the whole sandbox.
#[test]
fn every_fuzzer_find_ends_typed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let sandbox = Sandbox::new(Limits::default().deadline(Duration::from_secs(20)).max_pages(20)).unwrap();
    let mut seen = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(target.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let outcome = sandbox.render(&std::fs::read(&path).unwrap(), &RenderOptions::default().dpi(50));
            eprintln!("{}: {:?}", path.display(), outcome.as_ref().map(|d| d.pages().len()));
            // A guest crash is contained, but for these inputs it means the fix regressed.
            if let Err(e) = outcome {
                assert!(!matches!(e.kind(), ErrorKind::Internal | ErrorKind::Usage), "{}: {e}", path.display());
                assert!(!matches!(e, docsandbox::Error::GuestCrashed(_) | docsandbox::Error::ProtocolViolation(_)), "{}: {e}", path.display());
            }
            seen += 1;
        }
    }
    assert!(seen > 0, "no regression inputs under {}", root.display());
}
