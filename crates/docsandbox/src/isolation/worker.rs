//! The `docsandbox-worker` program of [`Isolation::Process`](crate::Isolation::Process):
//! renders one document, confined, and exits.
//!
//! Order matters. While the process still has a single thread it drops any inherited
//! descriptor, stops being dumpable, reads the job, and loads the compiled guest (the last
//! file it opens, mapped from a cache it owns and kept open read-only for the guest's
//! copy-on-write memory image; or the build's precompiled guest from its own binary; or,
//! on a CPU the build did not target, compiled in memory on this thread). Then, still
//! single-threaded, it leaves the system: new mount, network, IPC, UTS and PID namespaces,
//! an unprivileged uid when it runs as root, an empty user namespace, and a Landlock domain
//! that grants nothing, which every later thread inherits. It instantiates the guest once,
//! starts the thread the guest will run on, sets its resource limits and installs a
//! seccomp-bpf allow-list on every thread. Only then does the guest see a byte of the
//! document. Each layer the kernel lacks is skipped and named in the layer list the worker
//! sends before anything else.

use std::process::ExitCode;
#[cfg(target_os = "linux")]
use {
    super::wire::{read_job, write_layers, write_outcome, JobKind, Outcome},
    crate::engine::WASM_STACK_BYTES,
    crate::store::{classify_outcome, run_guest, Sink},
    crate::Sandbox,
    std::fs::File,
    std::io::Write,
    std::sync::{Arc, Barrier},
    std::time::Instant,
};

/// The worker's `main`: one job from stdin, the guest's output and the outcome on stdout.
/// Exit status 0 after an outcome was sent, 2 when it could not start.
#[doc(hidden)]
pub fn main() -> ExitCode {
    match serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}: {message}", crate::isolation::WORKER_PROGRAM);
            ExitCode::from(2)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn serve() -> Result<(), String> {
    Err(crate::isolation::unavailable().to_string())
}

#[cfg(target_os = "linux")]
fn serve() -> Result<(), String> {
    confine::close_inherited_descriptors();
    confine::not_dumpable()?;
    let job = read_job(std::io::stdin().lock()).map_err(|e| format!("cannot read the job: {e}"))?;
    // Everything up to the namespaces must happen on this one thread.
    crate::engine::compile_serially();
    // The parent passes its engine settings down (see `isolation/mod.rs`).
    crate::configure(crate::EngineConfig::from_env()).map_err(|e| e.to_string())?;
    let sandbox = Sandbox::new(job.plan.limits.clone()).map_err(|e| e.to_string())?;
    let mut layers = confine::leave_the_system();
    // Wasmtime builds the guest's copy-on-write memory image (a memfd it writes) on the
    // first instantiation: let that happen before the file-size limit forbids writes. This
    // also starts the engine's epoch ticker, inside the Landlock domain.
    sandbox.instantiate_once().map_err(|e| e.to_string())?;
    let pipe = std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned().map_err(|e| format!("stdout: {e}"))?;
    let pipe = SharedPipe(Arc::new(File::from(pipe)));
    let limits = job.plan.limits.clone();
    layers.push(confine::limit_resources(&limits, job.plan.request.len() as u64)?);
    // Again: switching to `nobody` reset the flag to the system's default.
    confine::not_dumpable()?;
    let go = Barrier::new(2);
    std::thread::scope(|scope| {
        let runner = std::thread::Builder::new()
            .name("docsandbox-guest".into())
            .stack_size(WASM_STACK_BYTES + (8 << 20))
            .spawn_scoped(scope, || {
                go.wait();
                if let JobKind::Probe(probe) = job.kind {
                    return probe::attempt(probe);
                }
                let outcome = run_guest(&sandbox.pre, job.plan, Sink::Pipe(Box::new(pipe.clone())), Instant::now());
                let error = classify_outcome(&outcome, &limits);
                let outcome = Outcome { fuel_consumed: outcome.fuel_consumed, peak_memory: outcome.peak_memory, error };
                write_outcome(&mut pipe.clone(), &outcome).map_err(|e| format!("cannot send the outcome: {e}"))
            })
            .map_err(|e| format!("cannot start the guest thread: {e}"))?;
        // Every thread of the process exists now (this one, the guest's, the engine's
        // epoch ticker): the filter covers them all.
        match confine::no_more_processes().and_then(|()| confine::install_filter()) {
            Ok(layer) => layers.push(layer),
            Err(e) => {
                let error = Some(crate::Error::Setup(format!("the worker cannot confine itself: {e}")));
                let _ = write_outcome(&mut pipe.clone(), &Outcome { fuel_consumed: 0, peak_memory: 0, error });
                // The runner is still waiting to start; leave without it.
                std::process::exit(2);
            }
        }
        if write_layers(&mut pipe.clone(), &layers).is_err() || job.kind == JobKind::Layers {
            let _ = write_outcome(&mut pipe.clone(), &Outcome { fuel_consumed: 0, peak_memory: 0, error: None });
            std::process::exit(0);
        }
        go.wait();
        runner.join().map_err(|_| "the guest thread panicked".to_owned())?
    })
}

#[cfg(target_os = "linux")]
/// The output pipe, shared by the guest's sink and the final outcome.
#[derive(Clone)]
struct SharedPipe(Arc<File>);

#[cfg(target_os = "linux")]
impl Write for SharedPipe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        (&*self.0).write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self.0).flush()
    }
}

#[cfg(target_os = "linux")]
mod probe {
    //! What a test asks a confined worker to try instead of rendering.

    use crate::isolation::Probe;

    /// Does what a probe asks; the filter must kill the process before this returns.
    pub fn attempt(probe: Probe) -> Result<(), String> {
        let survived = match probe {
            Probe::OpenFile => std::fs::File::open("/etc/hostname").map(drop).map_err(|e| e.to_string()),
            Probe::Socket => std::net::UdpSocket::bind("127.0.0.1:0").map(drop).map_err(|e| e.to_string()),
            Probe::Spawn => std::process::Command::new("/bin/true").status().map(drop).map_err(|e| e.to_string()),
        };
        Err(format!("the filter let {probe:?} through ({survived:?})"))
    }
}

#[cfg(target_os = "linux")]
mod confine {
    //! Linux confinement: descriptors, namespaces, credentials, Landlock, resource limits
    //! and the seccomp-bpf allow-list.

    use std::collections::BTreeMap;

    use rustix::process::{setrlimit, Resource, Rlimit};
    use seccompiler::{
        BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op, SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch,
    };

    use crate::isolation::Layer;
    use crate::Limits;

    /// Bytes of heap the worker itself may use besides the guest's memory and the job:
    /// the engine, the compiled guest's data, a page in flight.
    const HOST_HEAP_BYTES: u64 = 1 << 30;

    /// The uid and gid a worker started as root drops to (`nobody`).
    const NOBODY: u32 = 65534;

    /// Closes every descriptor but stdin, stdout and stderr, whatever the parent leaked.
    #[allow(unsafe_code)]
    pub fn close_inherited_descriptors() {
        // SAFETY: called first thing in `main`, before this program opens any descriptor
        // of its own, so no live object owns a descriptor above 2. close_range(2) takes no
        // pointers; on kernels without it the call fails with ENOSYS and nothing changes.
        unsafe {
            libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32);
        }
    }

    /// No core dumps, and no ptrace or /proc access by other processes of this user.
    #[allow(unsafe_code)]
    pub fn not_dumpable() -> Result<(), String> {
        // SAFETY: prctl(PR_SET_DUMPABLE, 0) takes no pointers and only changes a flag of
        // this process.
        let rc = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
        if rc != 0 {
            return Err(format!("prctl(PR_SET_DUMPABLE): {}", std::io::Error::last_os_error()));
        }
        Ok(())
    }

    /// unshare(2) with `flags`.
    #[allow(unsafe_code)]
    fn unshare(flags: libc::c_int) -> Result<(), std::io::Error> {
        // SAFETY: unshare takes no pointers; it only changes this process's namespaces.
        if unsafe { libc::unshare(flags) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    /// Leaves the system, as far as the kernel lets an unprivileged process: new mount,
    /// network (no interfaces), IPC, UTS and PID namespaces; when running as root, uid and
    /// gid `nobody` with no groups; an empty user namespace; a Landlock domain that grants
    /// no file, network or signal access. Must run while the process has one thread (user
    /// namespaces and Landlock apply to the calling thread and those it starts later).
    /// Returns every layer, active or skipped with the reason.
    pub fn leave_the_system() -> Vec<Layer> {
        let mut layers = Vec::new();
        let others = libc::CLONE_NEWNS | libc::CLONE_NEWNET | libc::CLONE_NEWIPC | libc::CLONE_NEWUTS | libc::CLONE_NEWPID;
        let root = rustix::process::geteuid().is_root();
        // Root can enter the other namespaces before dropping its uid; anyone else needs a
        // user namespace first, so they all come with it below.
        let mut others_done = root && unshare(others).is_ok();
        if root {
            layers.push(match drop_root() {
                Ok(()) => Layer::active("unprivileged user", format!("running as root: switched to uid and gid {NOBODY} with no groups")),
                Err(e) => Layer::skipped("unprivileged user", format!("running as root, and cannot switch to uid {NOBODY}: {e}")),
            });
        }
        let with_user = if others_done { libc::CLONE_NEWUSER } else { libc::CLONE_NEWUSER | others };
        match unshare(with_user) {
            Ok(()) => {
                others_done |= with_user & others != 0;
                layers.push(Layer::active("user namespace", "an empty one: no uid or gid is mapped, no capability outside it".into()));
            }
            Err(e) => layers.push(Layer::skipped("user namespace", format!("the kernel refused one: {e}"))),
        }
        let names = "mount, network (no interfaces), IPC, UTS and PID namespaces";
        layers.push(if others_done {
            Layer::active("namespaces", names.into())
        } else {
            Layer::skipped("namespaces", format!("{names}: not available without a user namespace"))
        });
        if others_done {
            // A process that unshared its PID namespace cannot start threads; its first
            // child is the new namespace's init and can. The rest happens in that child.
            if let Err(e) = fork_into_namespace() {
                layers.push(Layer::skipped("pid namespace", format!("cannot start a process in it: {e}")));
            }
        }
        layers.push(landlock::restrict());
        layers.push(match drop_capabilities() {
            Ok(()) => Layer::active("capabilities", "none: emptied, including those a new user namespace grants".into()),
            Err(e) => Layer::skipped("capabilities", format!("cannot drop them: {e}")),
        });
        layers
    }

    /// Empties the effective, permitted and inheritable capability sets (a new user
    /// namespace grants a full set inside it).
    #[allow(unsafe_code)]
    fn drop_capabilities() -> Result<(), std::io::Error> {
        #[repr(C)]
        struct Header {
            version: u32,
            pid: i32,
        }
        #[repr(C)]
        #[derive(Clone, Copy)]
        struct Data {
            effective: u32,
            permitted: u32,
            inheritable: u32,
        }
        const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
        let header = Header { version: LINUX_CAPABILITY_VERSION_3, pid: 0 };
        let data = [Data { effective: 0, permitted: 0, inheritable: 0 }; 2];
        // SAFETY: capset reads a version-3 header and two data structs, both live locals
        // laid out as the kernel's __user_cap_header_struct and __user_cap_data_struct.
        if unsafe { libc::syscall(libc::SYS_capset, &header as *const Header, data.as_ptr()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// Forks. The parent stays behind, confined to waiting, and ends as the child ends (same
    /// exit status, or killed by the same signal), so the host sees one process. The child,
    /// first in the new PID namespace, is killed if the parent dies, and returns.
    #[allow(unsafe_code)]
    fn fork_into_namespace() -> Result<(), std::io::Error> {
        // SAFETY: the process has one thread (checked by the caller's order: no thread is
        // started before this), so the child is a complete copy with no lock held by a
        // thread that does not exist in it.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if pid == 0 {
            // SAFETY: prctl(PR_SET_PDEATHSIG) takes a signal number and no pointers.
            unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) };
            return Ok(());
        }
        wait_for(pid)
    }

    /// The parent's life after the fork: drop the pipes (the child has them), confine
    /// itself to waiting, and end as the child ended.
    #[allow(unsafe_code)]
    fn wait_for(child: libc::pid_t) -> ! {
        // SAFETY: closing this process's copies of stdin and stdout, which nothing in it
        // uses from here on; setrlimit and the seccomp filter take valid pointers to
        // locals; waitpid writes into a local int; signal and raise take plain integers.
        unsafe {
            libc::close(0);
            libc::close(1);
            let none = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            libc::setrlimit(libc::RLIMIT_CORE, &none);
            let _ = install_waiter_filter();
            let mut status = 0;
            while libc::waitpid(child, &mut status, 0) < 0 {
                if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                    libc::_exit(70);
                }
            }
            if libc::WIFSIGNALED(status) {
                let signal = libc::WTERMSIG(status);
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
                libc::_exit(128 + signal);
            }
            libc::_exit(libc::WEXITSTATUS(status));
        }
    }

    /// The waiting parent may only wait, signal itself and exit.
    fn install_waiter_filter() -> Result<(), String> {
        let pid = u64::from(std::process::id());
        let mut rules = unconditionally(&[
            libc::SYS_wait4,
            libc::SYS_waitid,
            libc::SYS_rt_sigaction,
            libc::SYS_rt_sigprocmask,
            libc::SYS_rt_sigreturn,
            libc::SYS_getpid,
            libc::SYS_gettid,
            libc::SYS_exit,
            libc::SYS_exit_group,
        ]);
        rules.insert(libc::SYS_tgkill, equal(0, pid));
        rules.insert(libc::SYS_kill, equal(0, pid));
        seccompiler::apply_filter(&program(rules)?).map_err(|e| format!("seccomp: {e}"))
    }

    /// Switches a root process to `nobody`, with no supplementary groups.
    #[allow(unsafe_code)]
    fn drop_root() -> Result<(), std::io::Error> {
        let check = |rc: libc::c_int| {
            if rc == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        };
        // SAFETY: setgroups gets a null pointer with a count of 0 (clear the list), and the
        // set*id calls take plain integers. The process has one thread, so the change
        // covers all of it.
        unsafe {
            check(libc::setgroups(0, std::ptr::null()))?;
            check(libc::setresgid(NOBODY, NOBODY, NOBODY))?;
            check(libc::setresuid(NOBODY, NOBODY, NOBODY))?;
        }
        if rustix::process::geteuid().is_root() || rustix::process::getuid().is_root() {
            return Err(std::io::Error::other("still root after setresuid"));
        }
        Ok(())
    }

    mod landlock {
        //! A Landlock domain that handles every access right the kernel knows and grants
        //! none of them.

        use crate::isolation::Layer;

        const CREATE_RULESET_VERSION: u32 = 1;

        #[repr(C)]
        struct RulesetAttr {
            handled_access_fs: u64,
            handled_access_net: u64,
            scoped: u64,
        }

        /// Applies the domain to this thread and every thread it starts from now on.
        #[allow(unsafe_code)]
        pub fn restrict() -> Layer {
            // SAFETY: with a null attribute, size 0 and the VERSION flag, the call only
            // returns the ABI version; it reads no memory.
            let abi = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, std::ptr::null::<RulesetAttr>(), 0usize, CREATE_RULESET_VERSION) };
            if abi < 1 {
                return Layer::skipped("landlock", format!("not available in this kernel: {}", std::io::Error::last_os_error()));
            }
            // File system rights: 13 in ABI 1, REFER in 2, TRUNCATE in 3, IOCTL_DEV in 5.
            let fs_bits = match abi {
                1 => 13,
                2 => 14,
                3 | 4 => 15,
                _ => 16,
            };
            let attr = RulesetAttr {
                handled_access_fs: (1u64 << fs_bits) - 1,
                // TCP bind and connect, from ABI 4.
                handled_access_net: if abi >= 4 { 0b11 } else { 0 },
                // Abstract unix sockets and signals to processes outside the domain, from ABI 6.
                scoped: if abi >= 6 { 0b11 } else { 0 },
            };
            let size = match abi {
                1..=3 => 8,
                4 | 5 => 16,
                _ => std::mem::size_of::<RulesetAttr>(),
            };
            // SAFETY: `attr` is a live, initialised struct of at least `size` bytes, laid
            // out as the kernel's landlock_ruleset_attr.
            let fd = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, &attr as *const RulesetAttr, size, 0u32) };
            if fd < 0 {
                return Layer::skipped("landlock", format!("cannot create a ruleset: {}", std::io::Error::last_os_error()));
            }
            // SAFETY: PR_SET_NO_NEW_PRIVS takes no pointers (Landlock requires it without
            // CAP_SYS_ADMIN; seccomp sets it too). landlock_restrict_self takes the ruleset
            // descriptor just created and no pointers; the descriptor is closed right after.
            let restricted = unsafe {
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && libc::syscall(libc::SYS_landlock_restrict_self, fd as libc::c_int, 0u32) == 0
            };
            let error = std::io::Error::last_os_error();
            // SAFETY: `fd` is the ruleset descriptor created above and owned by nothing else.
            unsafe { libc::close(fd as libc::c_int) };
            if !restricted {
                return Layer::skipped("landlock", format!("cannot restrict the process: {error}"));
            }
            let scope = if abi >= 6 { ", signals and abstract sockets outside the worker" } else { "" };
            let net = if abi >= 4 { ", TCP bind and connect" } else { "" };
            Layer::active("landlock", format!("ABI {abi}: no file access{net}{scope}"))
        }
    }

    /// The highest descriptor number open in this process, plus one.
    #[allow(unsafe_code)]
    fn descriptors_in_use() -> u64 {
        (0..4096)
            // SAFETY: F_GETFD on any integer only queries the descriptor table.
            .filter(|&fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1)
            .max()
            .map_or(3, |fd| fd as u64 + 1)
    }

    /// No core dumps (they would hold the document), no file writes, no descriptor beyond
    /// those open now, heap bounded by the job's memory limit, CPU bounded past the
    /// deadline.
    pub fn limit_resources(limits: &Limits, request_bytes: u64) -> Result<Layer, String> {
        let exact = |n: u64| Rlimit { current: Some(n), maximum: Some(n) };
        let open = descriptors_in_use();
        let heap = limits.max_memory_bytes.saturating_add(request_bytes.saturating_mul(2)).saturating_add(HOST_HEAP_BYTES);
        let cpu = limits.deadline.as_secs().saturating_add(5);
        let settings = [
            (Resource::Core, exact(0)),
            (Resource::Fsize, exact(0)),
            (Resource::Nofile, exact(open)),
            (Resource::Data, exact(heap)),
            (Resource::Cpu, Rlimit { current: Some(cpu), maximum: Some(cpu + 5) }),
        ];
        for (resource, limit) in settings {
            setrlimit(resource, limit).map_err(|e| format!("setrlimit {resource:?}: {e}"))?;
        }
        Ok(Layer::active(
            "resource limits",
            format!("no core dumps, no file writes, no new processes, {open} descriptors (those open), {} MiB of heap, {cpu} s of CPU", heap >> 20),
        ))
    }

    /// No new process or thread for this user: set once the last thread has started
    /// (threads count against it).
    pub fn no_more_processes() -> Result<(), String> {
        setrlimit(Resource::Nproc, Rlimit { current: Some(0), maximum: Some(0) }).map_err(|e| format!("setrlimit Nproc: {e}"))
    }

    /// Rules allowing a call only when `arg` has none of the bits of `mask` set.
    fn without_bits(arg: u8, mask: u64) -> Vec<SeccompRule> {
        vec![SeccompRule::new(vec![Cond::new(arg, Len::Qword, Op::MaskedEq(mask), 0).expect("valid condition")]).expect("valid rule")]
    }

    /// Rules allowing a call only when `arg` equals `value`.
    fn equal(arg: u8, value: u64) -> Vec<SeccompRule> {
        vec![SeccompRule::new(vec![Cond::new(arg, Len::Qword, Op::Eq, value).expect("valid condition")]).expect("valid rule")]
    }

    /// The only system calls a confined worker may make: those it was seen making over the
    /// samples and the corpus under strace (`scripts/worker-syscalls.sh`), plus the ones
    /// rarer paths need (Wasmtime's trap handling, the C library's abort, a thread's first
    /// steps): moving bytes over its pipes, memory for the guest (never executable: the
    /// guest's code was mapped before confinement), threads waiting on each other, the
    /// clock, and signals to itself. Anything else kills the process.
    fn allowed() -> BTreeMap<i64, Vec<SeccompRule>> {
        let pid = u64::from(std::process::id());
        let exec = libc::PROT_EXEC as u64;
        let mut calls = unconditionally(&[
            // The pipes.
            libc::SYS_read,
            libc::SYS_write,
            libc::SYS_writev,
            libc::SYS_close,
            // Memory (mmap and mprotect below, without PROT_EXEC).
            libc::SYS_munmap,
            libc::SYS_madvise,
            libc::SYS_mremap,
            libc::SYS_brk,
            // Threads and time.
            libc::SYS_futex,
            libc::SYS_sched_yield,
            libc::SYS_sched_getaffinity,
            libc::SYS_nanosleep,
            libc::SYS_clock_nanosleep,
            libc::SYS_clock_gettime,
            libc::SYS_gettid,
            libc::SYS_getpid,
            libc::SYS_getrandom,
            // What a thread started just before the filter does first.
            libc::SYS_set_robust_list,
            libc::SYS_rseq,
            // Signals: Wasmtime turns faults in guest code into traps with a handler.
            libc::SYS_rt_sigreturn,
            libc::SYS_rt_sigprocmask,
            libc::SYS_rt_sigaction,
            libc::SYS_sigaltstack,
            libc::SYS_restart_syscall,
            // Ending.
            libc::SYS_exit,
            libc::SYS_exit_group,
        ]);
        calls.insert(libc::SYS_mmap, without_bits(2, exec));
        calls.insert(libc::SYS_mprotect, without_bits(2, exec));
        // Signals to its own threads only (abort, thread interruption).
        calls.insert(libc::SYS_tgkill, equal(0, pid));
        // Naming its own thread (a thread started just before the filter may get there
        // only after it), and asking whether seccomp is on (harmless; a test's probe waits
        // for it).
        let mut prctl = equal(0, libc::PR_SET_NAME as u64);
        prctl.extend(equal(0, libc::PR_GET_SECCOMP as u64));
        calls.insert(libc::SYS_prctl, prctl);
        calls
    }

    /// Installs the allow-list on every thread of the process (seccomp's TSYNC), with
    /// no-new-privileges set. Calls of another architecture and x32 calls kill the process.
    pub fn install_filter() -> Result<Layer, String> {
        let rules = allowed();
        let count = rules.len();
        seccompiler::apply_filter_all_threads(&program(rules)?).map_err(|e| format!("seccomp: {e}"))?;
        Ok(Layer::active("seccomp", format!("allow-list of {count} system calls, on every thread; anything else kills the worker")))
    }

    /// Rules allowing each of `calls` whatever its arguments.
    fn unconditionally(calls: &[i64]) -> BTreeMap<i64, Vec<SeccompRule>> {
        calls.iter().map(|&call| (call, Vec::new())).collect()
    }

    /// The filter allowing exactly `rules` and killing the process on anything else, on
    /// another architecture, or on an x32 call number.
    fn program(rules: BTreeMap<i64, Vec<SeccompRule>>) -> Result<BpfProgram, String> {
        let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| format!("seccomp: {e}"))?;
        let filter = SeccompFilter::new(rules, SeccompAction::KillProcess, SeccompAction::Allow, arch).map_err(|e| format!("seccomp: {e}"))?;
        let mut program: BpfProgram = filter.try_into().map_err(|e| format!("seccomp: {e:?}"))?;
        reject_x32(&mut program);
        Ok(program)
    }

    /// Inserts, right after seccompiler's architecture check, a check that kills the
    /// process on any call number with the x32 bit (or above) set. (The allow-list already
    /// lacks them; this says it outright.)
    fn reject_x32(program: &mut BpfProgram) {
        const X32_SYSCALL_BIT: u32 = 0x4000_0000;
        // The architecture check is three instructions: load arch, jump if equal, kill.
        let load_nr = seccompiler::sock_filter { code: 0x20, jt: 0, jf: 0, k: 0 }; // BPF_LD | BPF_W | BPF_ABS, offset of nr
        let jge = seccompiler::sock_filter { code: 0x35, jt: 0, jf: 1, k: X32_SYSCALL_BIT }; // BPF_JMP | BPF_JGE | BPF_K
        let kill = seccompiler::sock_filter { code: 0x06, jt: 0, jf: 0, k: libc::SECCOMP_RET_KILL_PROCESS }; // BPF_RET | BPF_K
        program.splice(3..3, [load_nr, jge, kill]);
    }
}
