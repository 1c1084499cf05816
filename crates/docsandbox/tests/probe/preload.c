// An attacker inside the real docsandbox-worker, for tests/process_isolation.rs.
//
// Preloaded (LD_PRELOAD) into the worker, it stands for code that escaped the WebAssembly
// sandbox. It interposes write(2); on the first write after the worker has confined itself
// (PR_GET_SECCOMP says 2) it makes the system call named by $DOCSANDBOX_PROBE, aimed at the
// process $DOCSANDBOX_PROBE_PID (the test) and the number or path $DOCSANDBOX_PROBE_ARG.
// A confined worker dies of SIGSYS right there. If the call comes back, the probe carries on
// as if nothing happened, and the worker's normal answer tells the test the wall failed.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);
static const char *action;
static const char *arg;
static pid_t victim;
static int done;

__attribute__((constructor)) static void probe_init(void) {
    real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    action = getenv("DOCSANDBOX_PROBE");
    arg = getenv("DOCSANDBOX_PROBE_ARG");
    const char *pid = getenv("DOCSANDBOX_PROBE_PID");
    victim = pid ? (pid_t)atoi(pid) : 0;
    if (!arg) arg = "";
}

static void attack(void) {
    long n = atol(arg);
    if (strcmp(action, "none") == 0) {
        return;
    } else if (strcmp(action, "pidfd_getfd") == 0) {
        long pidfd = syscall(SYS_pidfd_open, victim, 0);
        long fd = syscall(SYS_pidfd_getfd, pidfd, n, 0);
        real_write((int)fd, "PWNED", 5);
    } else if (strcmp(action, "tgkill") == 0) {
        syscall(SYS_tgkill, (pid_t)n, (pid_t)n, SIGKILL);
    } else if (strcmp(action, "tkill") == 0) {
        syscall(SYS_tkill, (pid_t)n, SIGKILL);
    } else if (strcmp(action, "kill") == 0) {
        syscall(SYS_kill, (pid_t)n, SIGKILL);
    } else if (strcmp(action, "rt_sigqueueinfo") == 0) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        info.si_code = SI_QUEUE;
        syscall(SYS_rt_sigqueueinfo, (pid_t)n, SIGKILL, &info);
    } else if (strcmp(action, "pidfd_send_signal") == 0) {
        long pidfd = syscall(SYS_pidfd_open, (pid_t)n, 0);
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    } else if (strcmp(action, "prlimit") == 0) {
        struct rlimit five = {5, 5};
        syscall(SYS_prlimit64, victim, RLIMIT_NOFILE, &five, NULL);
    } else if (strcmp(action, "fchmodat2") == 0) {
        syscall(452 /* fchmodat2 */, AT_FDCWD, arg, 0666, 0);
    } else if (strcmp(action, "fchmodat") == 0) {
        syscall(SYS_fchmodat, AT_FDCWD, arg, 0666);
    } else if (strcmp(action, "memfd_create") == 0) {
        syscall(SYS_memfd_create, "probe", 0);
    } else if (strcmp(action, "open") == 0) {
#ifdef SYS_open
        syscall(SYS_open, arg, O_RDONLY);
#else
        syscall(SYS_openat, AT_FDCWD, arg, O_RDONLY);
#endif
    } else if (strcmp(action, "openat") == 0) {
        syscall(SYS_openat, AT_FDCWD, arg, O_RDONLY);
    } else if (strcmp(action, "x32_openat") == 0) {
        // x32's openat: the x86-64 number with the x32 bit set.
        syscall(0x40000000 | 257, AT_FDCWD, arg, O_RDONLY);
    } else if (strcmp(action, "socket") == 0) {
        syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
    } else if (strcmp(action, "execve") == 0) {
        char *argv[] = {"/bin/true", NULL};
        char *envp[] = {NULL};
        syscall(SYS_execve, "/bin/true", argv, envp);
    } else if (strcmp(action, "ptrace") == 0) {
        syscall(SYS_ptrace, PTRACE_ATTACH, victim, 0, 0);
    } else if (strcmp(action, "fork") == 0) {
        syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    } else if (strcmp(action, "mmap_exec") == 0) {
        syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else if (strcmp(action, "mprotect_exec") == 0) {
        void *page = (void *)syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_EXEC);
    } else if (strcmp(action, "unshare") == 0) {
        syscall(SYS_unshare, CLONE_NEWUSER);
    } else if (strcmp(action, "io_uring_setup") == 0) {
        char params[120];
        memset(params, 0, sizeof params);
        syscall(SYS_io_uring_setup, 1, params);
    } else if (strcmp(action, "hang") == 0) {
        // Close both pipes and sleep for ever, holding the parent's slot if it lets us.
        close(0);
        close(1);
        for (;;) {
            struct timespec second = {1, 0};
            nanosleep(&second, NULL);
        }
    }
}

ssize_t write(int fd, const void *buf, size_t len) {
    if (!done && action && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2) {
        done = 1;
        attack();
    }
    return real_write(fd, buf, len);
}
