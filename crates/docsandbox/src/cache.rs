//! The on-disk cache of compiled guests: machine code this process maps and runs, so it is
//! only ever read from files no other account could have written.
//!
//! A cache directory is used only when it was opened without following a symlink and
//! `fstat` on that descriptor says it is a directory owned by the effective user and not
//! writable by group or others. A cache file is read only when it was opened relative to
//! that descriptor, without following a symlink, and is a regular file with the same owner
//! and mode rules. New files are written under a fresh name with `O_CREAT | O_EXCL` and
//! mode 0600, then renamed into place. Anything else is refused with a reason; the caller
//! then loads the guest another way (see `engine.rs`).
//!
//! A cache file is the compiled module exactly as `Engine::precompile_module` produced it,
//! so Wasmtime can map it instead of reading it: its code runs from the mapping, and the
//! guest's initial memory is mapped copy-on-write from it. It carries no checksum: what
//! keeps other accounts out is ownership and mode, and a file is only ever renamed into
//! place whole; Wasmtime checks its header, version and settings when it loads it.
//!
//! Only Unix has the ownership and mode bits this relies on; elsewhere there is no disk
//! cache and the guest is compiled in memory.

use std::path::PathBuf;

/// Compiled guests kept in a cache directory (each build of the guest adds one of ~50 MB).
#[cfg(unix)]
pub(crate) const KEEP_CACHED_GUESTS: usize = 4;

/// Where compiled guests are cached, as the engine's settings say.
pub(crate) fn default_dir() -> Option<PathBuf> {
    crate::config::current().cache.dir()
}

#[cfg(unix)]
pub(crate) use unix::CacheDir;

#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::io::Write;
    use std::os::fd::OwnedFd;
    use std::path::{Path, PathBuf};

    use rustix::fs::{fstat, mkdirat, openat, renameat, unlinkat, AtFlags, FileType, Mode, OFlags, Stat, CWD};

    use super::KEEP_CACHED_GUESTS;

    /// An opened cache directory that passed the ownership and mode checks.
    pub(crate) struct CacheDir {
        fd: OwnedFd,
        path: PathBuf,
    }

    /// Why `stat` does not describe something only this user could have written, if so.
    fn untrusted(stat: &Stat, want: FileType) -> Option<String> {
        let euid = rustix::process::geteuid().as_raw();
        let kind = FileType::from_raw_mode(stat.st_mode);
        if kind != want {
            return Some(format!("it is a {kind:?}, not a {want:?}"));
        }
        if stat.st_uid != euid {
            return Some(format!("it is owned by uid {}, not by this user (uid {euid})", stat.st_uid));
        }
        let mode = stat.st_mode & 0o7777;
        if mode & 0o022 != 0 {
            return Some(format!("its mode {mode:04o} lets other users write it"));
        }
        None
    }

    impl CacheDir {
        /// Opens (creating it 0700 if missing) the cache directory at `path`, refusing one
        /// that is a symlink, is not owned by this user, or is writable by others.
        pub(crate) fn open(path: &Path) -> Result<CacheDir, String> {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let fd = match openat(CWD, path, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(rustix::io::Errno::NOENT) => {
                    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                    }
                    match mkdirat(CWD, path, Mode::from_raw_mode(0o700)) {
                        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                        Err(e) => return Err(format!("cannot create it: {e}")),
                    }
                    openat(CWD, path, flags, Mode::empty()).map_err(|e| format!("cannot open it: {e}"))?
                }
                Err(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => return Err("it is a symlink or not a directory".into()),
                Err(e) => return Err(format!("cannot open it: {e}")),
            };
            let stat = fstat(&fd).map_err(|e| format!("cannot stat it: {e}"))?;
            if let Some(why) = untrusted(&stat, FileType::Directory) {
                return Err(why);
            }
            Ok(CacheDir { fd, path: path.to_owned() })
        }

        /// The directory's path, for messages.
        pub(crate) fn path(&self) -> &Path {
            &self.path
        }

        /// The file cached under `name`, opened for reading once it passed the checks:
        /// `Ok(None)` when there is none, `Err` when something is there that this user may
        /// not have written.
        pub(crate) fn open_entry(&self, name: &str) -> Result<Option<File>, String> {
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY;
            let fd = match openat(&self.fd, name, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(rustix::io::Errno::NOENT) => return Ok(None),
                Err(rustix::io::Errno::LOOP) => return Err(format!("{name} is a symlink")),
                Err(e) => return Err(format!("cannot open {name}: {e}")),
            };
            let stat = fstat(&fd).map_err(|e| format!("cannot stat {name}: {e}"))?;
            if let Some(why) = untrusted(&stat, FileType::RegularFile) {
                return Err(format!("{name}: {why}"));
            }
            Ok(Some(File::from(fd)))
        }

        /// Stores `compiled` under `name`: written to a new file (`O_EXCL`, mode 0600) and
        /// renamed into place, so a reader sees the whole file or none; then prunes old ones.
        pub(crate) fn write(&self, name: &str, compiled: &[u8]) -> std::io::Result<()> {
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let mut attempt = 0u32;
            let (tmp, fd) = loop {
                let tmp = format!(".tmp-{}-{}", std::process::id(), unique());
                match openat(&self.fd, tmp.as_str(), flags, Mode::from_raw_mode(0o600)) {
                    Ok(fd) => break (tmp, fd),
                    Err(rustix::io::Errno::EXIST) if attempt < 16 => attempt += 1,
                    Err(e) => return Err(e.into()),
                }
            };
            let written = File::from(fd).write_all(compiled).and_then(|()| Ok(renameat(&self.fd, tmp.as_str(), &self.fd, name)?));
            if written.is_err() {
                let _ = unlinkat(&self.fd, tmp.as_str(), AtFlags::empty());
            }
            written?;
            self.prune(KEEP_CACHED_GUESTS);
            Ok(())
        }

        /// Deletes all but the `keep` most recently written compiled guests.
        pub(crate) fn prune(&self, keep: usize) {
            let Ok(entries) = std::fs::read_dir(&self.path) else {
                return;
            };
            let mut guests: Vec<_> = entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("guest-") && e.path().extension().is_some_and(|x| x == "cwasm"))
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.file_name())))
                .collect();
            guests.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
            for (_, name) in guests.into_iter().skip(keep) {
                let _ = unlinkat(&self.fd, name.as_os_str(), AtFlags::empty());
            }
        }
    }

    /// A value that differs between calls and processes, for temporary names (which
    /// `O_EXCL` makes safe even when guessed).
    fn unique() -> String {
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        format!("{:016x}", hasher.finish())
    }
}

/// Without Unix ownership and modes there is no cache directory to trust.
#[cfg(not(unix))]
pub(crate) struct CacheDir;

#[cfg(not(unix))]
use std::path::Path;

#[cfg(not(unix))]
impl CacheDir {
    pub(crate) fn open(_path: &Path) -> Result<CacheDir, String> {
        Err("file ownership cannot be checked on this platform".into())
    }

    pub(crate) fn path(&self) -> &Path {
        Path::new("")
    }

    pub(crate) fn open_entry(&self, _name: &str) -> Result<Option<std::fs::File>, String> {
        Ok(None)
    }

    pub(crate) fn write(&self, _name: &str, _compiled: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, SystemTime};

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("docsandbox-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        dir
    }

    fn contents(cache: &CacheDir, name: &str) -> Option<Vec<u8>> {
        use std::io::Read;
        let mut bytes = Vec::new();
        cache.open_entry(name).unwrap()?.read_to_end(&mut bytes).unwrap();
        Some(bytes)
    }

    #[test]
    fn entries_are_written_private_and_whole() {
        let dir = temp_dir("written");
        let cache = CacheDir::open(&dir).unwrap();
        assert_eq!(contents(&cache, "guest-x.cwasm"), None);
        cache.write("guest-x.cwasm", b"compiled").unwrap();
        assert_eq!(contents(&cache, "guest-x.cwasm"), Some(b"compiled".to_vec()));
        cache.write("guest-x.cwasm", b"compiled again").unwrap();
        assert_eq!(contents(&cache, "guest-x.cwasm"), Some(b"compiled again".to_vec()));
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["guest-x.cwasm"], "no temporary file is left behind");
        let mode = std::fs::metadata(dir.join("guest-x.cwasm")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn writable_or_linked_entries_are_refused() {
        let dir = temp_dir("refused");
        let cache = CacheDir::open(&dir).unwrap();
        cache.write("guest-a.cwasm", b"compiled").unwrap();
        std::fs::set_permissions(dir.join("guest-a.cwasm"), std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(cache.open_entry("guest-a.cwasm").unwrap_err().contains("mode"));
        std::os::unix::fs::symlink(dir.join("guest-a.cwasm"), dir.join("guest-b.cwasm")).unwrap();
        assert!(cache.open_entry("guest-b.cwasm").unwrap_err().contains("symlink"));
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(CacheDir::open(&dir).err().unwrap().contains("mode"));
        let link = dir.with_extension("link");
        let _ = std::fs::remove_file(&link);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(CacheDir::open(&link).err().unwrap().contains("symlink"));
        std::fs::remove_file(link).unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn cache_keeps_only_the_newest_guests() {
        let dir = temp_dir("prune");
        let now = SystemTime::now();
        for i in 0..6u64 {
            let file = std::fs::File::create(dir.join(format!("guest-{i}.cwasm"))).unwrap();
            file.set_modified(now - Duration::from_secs(100 * (6 - i))).unwrap();
        }
        std::fs::write(dir.join("unrelated.txt"), b"keep me").unwrap();
        CacheDir::open(&dir).unwrap().prune(4);
        let mut left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["guest-2.cwasm", "guest-3.cwasm", "guest-4.cwasm", "guest-5.cwasm", "unrelated.txt"]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
