//! The `docsandbox-worker` program of [`Isolation::Process`](crate::Isolation::Process):
//! renders one document, confined, and exits.
//!
//! Order matters: it drops any inherited descriptor, reads the job, loads the compiled
//! guest (the last file it opens) and instantiates it once, starts the thread the guest will run on, and only then
//! confines itself — resource limits, then a seccomp-bpf filter on every thread — before
//! the guest sees a byte of the document. The filter kills the whole process on any
//! system call that opens a file, makes a socket, starts a process or thread, or changes
//! the file system, credentials or namespaces.

use std::fs::File;
use std::io::Write;
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::Instant;

use crate::engine::WASM_STACK_BYTES;
use crate::isolation::{read_job, write_outcome, Outcome, Probe};
use crate::session::{classify_outcome, run_guest, Sink};
use crate::Sandbox;

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
    Err("process isolation is only available on Linux".into())
}

#[cfg(target_os = "linux")]
fn serve() -> Result<(), String> {
    confine::close_inherited_descriptors();
    let job = read_job(std::io::stdin().lock()).map_err(|e| format!("cannot read the job: {e}"))?;
    let sandbox = Sandbox::new(job.plan.limits.clone()).map_err(|e| e.to_string())?;
    // Wasmtime builds the guest's copy-on-write memory image (a memfd it writes) on the
    // first instantiation: let that happen before the file-size limit forbids writes.
    sandbox.instantiate_only().map_err(|e| e.to_string())?;
    let pipe = std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned().map_err(|e| format!("stdout: {e}"))?;
    let pipe = SharedPipe(Arc::new(File::from(pipe)));
    let limits = job.plan.limits.clone();
    confine::limit_resources(&limits, job.plan.request.len() as u64)?;
    let go = Barrier::new(2);
    std::thread::scope(|scope| {
        let runner = std::thread::Builder::new()
            .name("docsandbox-guest".into())
            .stack_size(WASM_STACK_BYTES + (8 << 20))
            .spawn_scoped(scope, || {
                go.wait();
                if let Some(probe) = job.probe {
                    return attempt(probe);
                }
                let outcome = run_guest(&sandbox.pre, job.plan, Sink::Pipe(Box::new(pipe.clone())), Instant::now());
                let error = classify_outcome(&outcome, &limits);
                let outcome = Outcome { fuel_consumed: outcome.fuel_consumed, peak_memory: outcome.peak_memory, error };
                write_outcome(&mut pipe.clone(), &outcome).map_err(|e| format!("cannot send the outcome: {e}"))
            })
            .map_err(|e| format!("cannot start the guest thread: {e}"))?;
        // Every thread of the process exists now (this one, the guest's, the engine's
        // epoch ticker): the filter covers them all.
        if let Err(e) = confine::install_filter() {
            let error = Some(crate::Error::Setup(format!("the worker cannot confine itself: {e}")));
            let _ = write_outcome(&mut pipe.clone(), &Outcome { fuel_consumed: 0, peak_memory: 0, error });
            // The runner is still waiting to start; leave without it.
            std::process::exit(2);
        }
        go.wait();
        runner.join().map_err(|_| "the guest thread panicked".to_owned())?
    })
}

/// Does what a probe asks; the filter must kill the process before this returns.
fn attempt(probe: Probe) -> Result<(), String> {
    let survived = match probe {
        Probe::OpenFile => std::fs::File::open("/etc/hostname").map(drop).map_err(|e| e.to_string()),
        Probe::Socket => std::net::UdpSocket::bind("127.0.0.1:0").map(drop).map_err(|e| e.to_string()),
        Probe::Spawn => std::process::Command::new("/bin/true").status().map(drop).map_err(|e| e.to_string()),
    };
    Err(format!("the filter let {probe:?} through ({survived:?})"))
}

/// The output pipe, shared by the guest's sink and the final outcome.
#[derive(Clone)]
struct SharedPipe(Arc<File>);

impl Write for SharedPipe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        (&*self.0).write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self.0).flush()
    }
}

#[cfg(target_os = "linux")]
mod confine {
    //! Linux confinement: descriptors, resource limits, the seccomp-bpf filter.

    use std::collections::BTreeMap;

    use rustix::process::{setrlimit, Resource, Rlimit};
    use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};

    use crate::Limits;

    /// Bytes of heap the worker itself may use besides the guest's memory and the job:
    /// the engine, the compiled guest's data, a page in flight.
    const HOST_HEAP_BYTES: u64 = 1 << 30;

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

    /// No core dumps (they would hold the document), no file writes, no more descriptors
    /// than are open now, heap bounded by the job's memory limit, CPU bounded past the
    /// deadline.
    pub fn limit_resources(limits: &Limits, request_bytes: u64) -> Result<(), String> {
        let exact = |n: u64| Rlimit { current: Some(n), maximum: Some(n) };
        let open = std::fs::read_dir("/proc/self/fd").map(|d| d.count() as u64).unwrap_or(16);
        let heap = limits.max_memory_bytes.saturating_add(request_bytes.saturating_mul(2)).saturating_add(HOST_HEAP_BYTES);
        let cpu = limits.deadline.as_secs().saturating_add(5);
        let settings = [
            (Resource::Core, exact(0)),
            (Resource::Fsize, exact(0)),
            (Resource::Nofile, exact(open + 3)),
            (Resource::Data, exact(heap)),
            (Resource::Cpu, Rlimit { current: Some(cpu), maximum: Some(cpu + 5) }),
        ];
        for (resource, limit) in settings {
            setrlimit(resource, limit).map_err(|e| format!("setrlimit {resource:?}: {e}"))?;
        }
        Ok(())
    }

    /// System calls that kill the process: everything a document that escaped the
    /// WebAssembly sandbox would want and the worker never needs after start-up.
    fn forbidden() -> Vec<i64> {
        let mut calls = vec![
            // Files: opening, creating, changing the file system.
            libc::SYS_openat,
            libc::SYS_openat2,
            libc::SYS_open_by_handle_at,
            libc::SYS_name_to_handle_at,
            libc::SYS_linkat,
            libc::SYS_unlinkat,
            libc::SYS_renameat,
            libc::SYS_renameat2,
            libc::SYS_mkdirat,
            libc::SYS_symlinkat,
            libc::SYS_mknodat,
            libc::SYS_fchmodat,
            libc::SYS_fchownat,
            libc::SYS_truncate,
            libc::SYS_mount,
            libc::SYS_umount2,
            libc::SYS_pivot_root,
            libc::SYS_chroot,
            libc::SYS_swapon,
            libc::SYS_swapoff,
            // Network.
            libc::SYS_socket,
            libc::SYS_socketpair,
            libc::SYS_connect,
            libc::SYS_bind,
            libc::SYS_listen,
            libc::SYS_accept,
            libc::SYS_accept4,
            // Processes and threads.
            libc::SYS_execve,
            libc::SYS_execveat,
            libc::SYS_clone,
            libc::SYS_clone3,
            libc::SYS_ptrace,
            libc::SYS_process_vm_readv,
            libc::SYS_process_vm_writev,
            libc::SYS_kill,
            // Privileges, namespaces, the kernel.
            libc::SYS_setuid,
            libc::SYS_setgid,
            libc::SYS_setreuid,
            libc::SYS_setregid,
            libc::SYS_setresuid,
            libc::SYS_setresgid,
            libc::SYS_setgroups,
            libc::SYS_unshare,
            libc::SYS_setns,
            libc::SYS_bpf,
            libc::SYS_perf_event_open,
            libc::SYS_userfaultfd,
            libc::SYS_keyctl,
            libc::SYS_add_key,
            libc::SYS_request_key,
            libc::SYS_init_module,
            libc::SYS_finit_module,
            libc::SYS_delete_module,
            libc::SYS_kexec_load,
            libc::SYS_reboot,
            libc::SYS_io_uring_setup,
            libc::SYS_io_uring_enter,
            libc::SYS_io_uring_register,
        ];
        #[cfg(target_arch = "x86_64")]
        calls.extend([
            libc::SYS_open,
            libc::SYS_creat,
            libc::SYS_link,
            libc::SYS_unlink,
            libc::SYS_rename,
            libc::SYS_mkdir,
            libc::SYS_rmdir,
            libc::SYS_symlink,
            libc::SYS_mknod,
            libc::SYS_chmod,
            libc::SYS_chown,
            libc::SYS_lchown,
            libc::SYS_fork,
            libc::SYS_vfork,
            libc::SYS_uselib,
        ]);
        calls
    }

    /// Installs the filter on every thread of the process (seccomp's TSYNC), with
    /// no-new-privileges set.
    pub fn install_filter() -> Result<(), String> {
        let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| format!("seccomp: {e}"))?;
        let rules: BTreeMap<i64, Vec<seccompiler::SeccompRule>> = forbidden().into_iter().map(|call| (call, Vec::new())).collect();
        let filter = SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::KillProcess, arch).map_err(|e| format!("seccomp: {e}"))?;
        let program: BpfProgram = filter.try_into().map_err(|e| format!("seccomp: {e:?}"))?;
        seccompiler::apply_filter_all_threads(&program).map_err(|e| format!("seccomp: {e}"))
    }
}
