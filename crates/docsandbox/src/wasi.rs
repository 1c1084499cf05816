//! The guest's entire view of the outside world: seven WASI preview1 functions, none of
//! which reaches a file, a socket, the environment or real time.
//!
//! | import | what the guest gets |
//! |---|---|
//! | `fd_read` | fd 0 is the request; every other descriptor is closed |
//! | `fd_write` | fd 1 is the protocol channel, fd 2 a bounded diagnostics buffer |
//! | `environ_get`, `environ_sizes_get` | an empty environment |
//! | `random_get` | a fixed-seed pseudo-random stream (same input, same pixels) |
//! | `clock_time_get` | a virtual clock that starts at 2000-01-01 and ticks 1 µs per call |
//! | `proc_exit` | ends the guest |
//!
//! This is written out by hand rather than taken from `wasmtime-wasi`: that crate's
//! preview1 layer brings the component model, an async runtime and a whole filesystem
//! implementation, all of which would sit unused on the trusted side. Here every byte the
//! guest can reach is in this file, and a module importing anything else is refused.

use wasmtime::{Caller, Extern, Linker, Memory};

use crate::store::{GuestExit, HostState};

/// WASI's module name.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

/// Every import a guest may have. A module that imports anything else is refused at load.
pub const ALLOWED_IMPORTS: &[&str] = &["fd_read", "fd_write", "environ_get", "environ_sizes_get", "random_get", "clock_time_get", "proc_exit"];

const ERRNO_SUCCESS: i32 = 0;
const ERRNO_BADF: i32 = 8;
const ERRNO_FAULT: i32 = 21;
const ERRNO_INVAL: i32 = 28;

/// Most iovecs accepted in one call (Linux's IOV_MAX).
const MAX_IOVS: u32 = 1024;

/// Virtual wall clock origin: 2000-01-01T00:00:00Z in nanoseconds since the Unix epoch.
const VIRTUAL_EPOCH_NS: u64 = 946_684_800_000_000_000;

/// Defines the allowed imports in `linker`.
pub(crate) fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    linker.func_wrap(WASI_MODULE, "fd_read", fd_read)?;
    linker.func_wrap(WASI_MODULE, "fd_write", fd_write)?;
    linker.func_wrap(WASI_MODULE, "environ_get", |_: Caller<'_, HostState>, _: i32, _: i32| ERRNO_SUCCESS)?;
    linker.func_wrap(WASI_MODULE, "environ_sizes_get", environ_sizes_get)?;
    linker.func_wrap(WASI_MODULE, "random_get", random_get)?;
    linker.func_wrap(WASI_MODULE, "clock_time_get", clock_time_get)?;
    linker.func_wrap(WASI_MODULE, "proc_exit", |_: Caller<'_, HostState>, code: i32| -> wasmtime::Result<()> { Err(wasmtime::Error::new(GuestExit(code))) })?;
    Ok(())
}

fn memory(caller: &mut Caller<'_, HostState>) -> wasmtime::Result<Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(m)) => Ok(m),
        _ => Err(wasmtime::Error::msg("guest exports no memory")),
    }
}

/// `len` bytes at `ptr`, or `None` if they are not all inside `mem`.
fn slice(mem: &[u8], ptr: u32, len: u32) -> Option<&[u8]> {
    let start = usize::try_from(ptr).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    mem.get(start..end)
}

fn slice_mut(mem: &mut [u8], ptr: u32, len: u32) -> Option<&mut [u8]> {
    let start = usize::try_from(ptr).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    mem.get_mut(start..end)
}

fn read_u32(mem: &[u8], ptr: u32) -> Option<u32> {
    docsandbox_protocol::bytes::u32_at(slice(mem, ptr, 4)?, 0)
}

fn write_bytes(mem: &mut [u8], ptr: u32, bytes: &[u8]) -> bool {
    match slice_mut(mem, ptr, bytes.len() as u32) {
        Some(dst) => {
            dst.copy_from_slice(bytes);
            true
        }
        None => false,
    }
}

/// The `(ptr, len)` pairs of an iovec array, or `None` if any lies outside `mem`.
fn iovecs(mem: &[u8], iovs: u32, count: u32) -> Option<Vec<(u32, u32)>> {
    (0..count)
        .map(|i| {
            let at = iovs.checked_add(i.checked_mul(8)?)?;
            let (ptr, len) = (read_u32(mem, at)?, read_u32(mem, at.checked_add(4)?)?);
            slice(mem, ptr, len)?;
            Some((ptr, len))
        })
        .collect()
}

fn fd_read(mut caller: Caller<'_, HostState>, fd: i32, iovs: i32, count: i32, nread: i32) -> wasmtime::Result<i32> {
    if fd != 0 {
        return Ok(ERRNO_BADF);
    }
    if count as u32 > MAX_IOVS {
        return Ok(ERRNO_INVAL);
    }
    let memory = memory(&mut caller)?;
    let (mem, state) = memory.data_and_store_mut(&mut caller);
    let Some(iovs) = iovecs(mem, iovs as u32, count as u32) else {
        return Ok(ERRNO_FAULT);
    };
    let mut total = 0u32;
    for (ptr, len) in iovs {
        let n = state.read_input(slice_mut(mem, ptr, len).expect("checked by iovecs"));
        total += n as u32;
        if n < len as usize {
            break;
        }
    }
    Ok(if write_bytes(mem, nread as u32, &total.to_le_bytes()) { ERRNO_SUCCESS } else { ERRNO_FAULT })
}

fn fd_write(mut caller: Caller<'_, HostState>, fd: i32, iovs: i32, count: i32, nwritten: i32) -> wasmtime::Result<i32> {
    if fd != 1 && fd != 2 {
        return Ok(ERRNO_BADF);
    }
    if count as u32 > MAX_IOVS {
        return Ok(ERRNO_INVAL);
    }
    let memory = memory(&mut caller)?;
    let (mem, state) = memory.data_and_store_mut(&mut caller);
    let Some(iovs) = iovecs(mem, iovs as u32, count as u32) else {
        return Ok(ERRNO_FAULT);
    };
    let mut total = 0u32;
    for (ptr, len) in iovs {
        let bytes = slice(mem, ptr, len).expect("checked by iovecs");
        if fd == 1 {
            // A protocol violation or a limit stops the guest here, with a trap.
            state.write_output(bytes)?;
        } else {
            state.write_diagnostics(bytes);
        }
        total = total.saturating_add(len);
    }
    Ok(if write_bytes(mem, nwritten as u32, &total.to_le_bytes()) { ERRNO_SUCCESS } else { ERRNO_FAULT })
}

fn environ_sizes_get(mut caller: Caller<'_, HostState>, count: i32, size: i32) -> wasmtime::Result<i32> {
    let memory = memory(&mut caller)?;
    let mem = memory.data_mut(&mut caller);
    let ok = write_bytes(mem, count as u32, &0u32.to_le_bytes()) && write_bytes(mem, size as u32, &0u32.to_le_bytes());
    Ok(if ok { ERRNO_SUCCESS } else { ERRNO_FAULT })
}

fn random_get(mut caller: Caller<'_, HostState>, buf: i32, len: i32) -> wasmtime::Result<i32> {
    let memory = memory(&mut caller)?;
    let (mem, state) = memory.data_and_store_mut(&mut caller);
    let Some(dst) = slice_mut(mem, buf as u32, len as u32) else {
        return Ok(ERRNO_FAULT);
    };
    for chunk in dst.chunks_mut(8) {
        let word = state.next_random().to_le_bytes();
        chunk.copy_from_slice(&word[..chunk.len()]);
    }
    Ok(ERRNO_SUCCESS)
}

fn clock_time_get(mut caller: Caller<'_, HostState>, clock: i32, _precision: i64, out: i32) -> wasmtime::Result<i32> {
    if !(0..=3).contains(&clock) {
        return Ok(ERRNO_INVAL);
    }
    let memory = memory(&mut caller)?;
    let (mem, state) = memory.data_and_store_mut(&mut caller);
    let ticks = state.next_clock_tick();
    // Realtime starts at the virtual epoch; the monotonic and CPU clocks start at zero.
    let base = if clock == 0 { VIRTUAL_EPOCH_NS } else { 0 };
    let now = base.saturating_add(ticks.saturating_mul(1_000));
    Ok(if write_bytes(mem, out as u32, &now.to_le_bytes()) { ERRNO_SUCCESS } else { ERRNO_FAULT })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked_with_overflow_in_mind() {
        let mem = [0u8; 16];
        assert!(slice(&mem, 0, 16).is_some());
        assert!(slice(&mem, 1, 16).is_none());
        assert!(slice(&mem, u32::MAX, 2).is_none());
        assert!(read_u32(&mem, 13).is_none());
        // An iovec array whose end wraps around.
        assert!(iovecs(&mem, u32::MAX - 3, 1).is_none());
    }
}
