//! What travels between this process and a worker, as byte envelopes on two pipes: the job
//! (request and limits) down, and back the guest's raw output, the worker's confinement
//! layers and its outcome. Both sides are in this crate; the parent still trusts nothing it
//! reads back (guest bytes go through the boundary's checks, text through `clean`).

#[cfg(target_os = "linux")]
use std::io::{Read, Write};
use std::time::Duration;

use docsandbox_protocol::ByteReader;

use super::{Layer, Probe};
use crate::boundary::{clean, Plan};
use crate::Error;
#[cfg(target_os = "linux")]
use crate::Limits;

/// Envelope tags on the worker's output pipe.
pub(crate) const TAG_GUEST_BYTES: u8 = 1;
pub(crate) const TAG_OUTCOME: u8 = 2;
pub(crate) const TAG_LAYERS: u8 = 3;

/// Largest envelope other than guest bytes (the outcome, the layer list): small messages.
pub(crate) const MAX_SMALL_ENVELOPE: u64 = 64 << 10;

/// What a job asks the worker to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobKind {
    /// Render the document.
    Render,
    /// Confine itself, report its layers and exit.
    Layers,
    /// Confine itself and try something forbidden.
    Probe(Probe),
}

/// Magic at the start of a job on the worker's input pipe.
const JOB_MAGIC: &[u8; 4] = b"DSWJ";

/// Writes the worker's confinement layers (worker side), as lines of
/// `active\tname\tdetail`.
#[cfg(target_os = "linux")]
pub(crate) fn write_layers(pipe: &mut dyn Write, layers: &[Layer]) -> std::io::Result<()> {
    let text: String = layers.iter().map(|l| format!("{}\t{}\t{}\n", u8::from(l.active), l.name, l.detail)).collect();
    write_envelope(pipe, TAG_LAYERS, text.as_bytes())
}

pub(crate) fn decode_layers(payload: &[u8]) -> Option<Vec<Layer>> {
    std::str::from_utf8(payload)
        .ok()?
        .lines()
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let active = fields.next()? == "1";
            Some(Layer { active, name: clean(fields.next()?), detail: clean(fields.next()?) })
        })
        .collect()
}

/// Writes guest output bytes to the pipe back to the host (worker side).
#[cfg(target_os = "linux")]
pub(crate) fn write_guest_bytes(pipe: &mut dyn Write, bytes: &[u8]) -> std::io::Result<()> {
    write_envelope(pipe, TAG_GUEST_BYTES, bytes)
}

#[cfg(target_os = "linux")]
fn write_envelope(pipe: &mut dyn Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| std::io::Error::other("envelope too large"))?;
    let mut head = [0u8; 5];
    head[0] = tag;
    head[1..].copy_from_slice(&len.to_le_bytes());
    pipe.write_all(&head)?;
    pipe.write_all(payload)?;
    pipe.flush()
}

/// How the guest ended, as the worker saw it.
#[derive(Debug, PartialEq)]
pub(crate) struct Outcome {
    pub fuel_consumed: u64,
    pub peak_memory: u64,
    pub error: Option<Error>,
}

// ---- The job: this process → worker -------------------------------------------------

#[cfg(target_os = "linux")]
/// A job as the worker receives it.
pub(crate) struct Job {
    pub plan: Plan,
    pub kind: JobKind,
}

pub(crate) fn encode_job(plan: &Plan, kind: JobKind) -> Vec<u8> {
    let l = &plan.limits;
    let mut out = Vec::with_capacity(plan.request.len() + 128);
    out.extend_from_slice(JOB_MAGIC);
    out.push(match kind {
        JobKind::Render => 0,
        JobKind::Probe(Probe::OpenFile) => 1,
        JobKind::Probe(Probe::Socket) => 2,
        JobKind::Probe(Probe::Spawn) => 3,
        JobKind::Layers => 4,
    });
    for value in [l.max_input_bytes, l.fuel, l.deadline.as_nanos().min(u128::from(u64::MAX)) as u64, l.max_memory_bytes, l.max_page_pixels, l.max_output_bytes]
    {
        out.extend_from_slice(&value.to_le_bytes());
    }
    for value in [l.max_pages, l.max_page_side, *l.dpi_range.start(), *l.dpi_range.end(), l.max_report_bytes, plan.first, plan.last] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&(plan.request.len() as u64).to_le_bytes());
    out.extend_from_slice(&plan.request);
    out
}

/// Reads a job from the worker's input pipe.
#[cfg(target_os = "linux")]
pub(crate) fn read_job(mut pipe: impl Read) -> std::io::Result<Job> {
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut head = [0u8; 4 + 1 + 6 * 8 + 7 * 4 + 8];
    pipe.read_exact(&mut head)?;
    if &head[..4] != JOB_MAGIC {
        return Err(invalid("not a docsandbox job"));
    }
    let kind = match head[4] {
        0 => JobKind::Render,
        1 => JobKind::Probe(Probe::OpenFile),
        2 => JobKind::Probe(Probe::Socket),
        3 => JobKind::Probe(Probe::Spawn),
        4 => JobKind::Layers,
        _ => return Err(invalid("unknown job")),
    };
    // `head` was read whole, so every field is there.
    const WHOLE: &str = "the job head is read whole";
    let mut fields = ByteReader::at(&head, 5).expect(WHOLE);
    let [max_input_bytes, fuel, deadline, max_memory_bytes, max_page_pixels, max_output_bytes] = [(); 6].map(|()| fields.u64().expect(WHOLE));
    let [max_pages, max_page_side, dpi_min, dpi_max, max_report_bytes, first, last] = [(); 7].map(|()| fields.u32().expect(WHOLE));
    let len = fields.u64().expect(WHOLE);
    let limits = Limits {
        max_input_bytes,
        fuel,
        deadline: Duration::from_nanos(deadline),
        max_memory_bytes,
        max_page_pixels,
        max_output_bytes,
        max_pages,
        max_page_side,
        dpi_range: dpi_min..=dpi_max,
        max_report_bytes,
    };
    // The request carries the document plus a small header.
    if len > limits.max_input_bytes.saturating_add(1 << 20) {
        return Err(invalid("request larger than the input limit"));
    }
    let mut request = Vec::with_capacity(len as usize);
    pipe.take(len).read_to_end(&mut request)?;
    if request.len() as u64 != len {
        return Err(invalid("truncated job"));
    }
    Ok(Job { plan: Plan { limits, first, last, request }, kind })
}

// ---- The outcome: worker → this process -----------------------------------------------

/// Writes the worker's outcome envelope.
#[cfg(target_os = "linux")]
pub(crate) fn write_outcome(pipe: &mut dyn Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut payload = Vec::new();
    payload.extend_from_slice(&outcome.fuel_consumed.to_le_bytes());
    payload.extend_from_slice(&outcome.peak_memory.to_le_bytes());
    let (tag, a, b, text) = match &outcome.error {
        None => (0u8, 0, 0, ""),
        Some(e) => error_fields(e),
    };
    payload.push(tag);
    payload.extend_from_slice(&a.to_le_bytes());
    payload.extend_from_slice(&b.to_le_bytes());
    payload.extend_from_slice(text.as_bytes());
    write_envelope(pipe, TAG_OUTCOME, &payload)
}

pub(crate) fn decode_outcome(payload: &[u8]) -> Option<Outcome> {
    let mut fields = ByteReader::new(payload);
    let (fuel_consumed, peak_memory) = (fields.u64().ok()?, fields.u64().ok()?);
    let (tag, a, b) = (fields.u8().ok()?, fields.u64().ok()?, fields.u64().ok()?);
    let text = clean(std::str::from_utf8(fields.rest()).ok()?);
    let error = if tag == 0 { None } else { Some(error_from_fields(tag, a, b, text)?) };
    Some(Outcome { fuel_consumed, peak_memory, error })
}

/// An error as a tag, two numbers and a text.
#[cfg(target_os = "linux")]
fn error_fields(error: &Error) -> (u8, u64, u64, &str) {
    match error {
        Error::InputTooLarge { size, limit } => (1, *size, *limit, ""),
        Error::InvalidOptions(m) => (2, 0, 0, m),
        Error::PageRangeOutOfBounds { first, page_count } => (3, u64::from(*first), u64::from(*page_count), ""),
        Error::Unsupported(m) => (4, 0, 0, m),
        Error::Malformed(m) => (5, 0, 0, m),
        Error::PasswordRequired => (6, 0, 0, ""),
        Error::WrongPassword => (7, 0, 0, ""),
        Error::FuelExhausted { limit } => (8, *limit, 0, ""),
        Error::DeadlineExceeded { limit } => (9, limit.as_nanos().min(u128::from(u64::MAX)) as u64, 0, ""),
        Error::MemoryLimit { limit } => (10, *limit, 0, ""),
        Error::TooManyPages { limit } => (11, u64::from(*limit), 0, ""),
        Error::PageTooLarge { width, height } => (12, u64::from(*width), u64::from(*height), ""),
        Error::OutputLimit { limit } => (13, *limit, 0, ""),
        Error::GuestCrashed(m) => (14, 0, 0, m),
        Error::ProtocolViolation(m) => (15, 0, 0, m),
        Error::Cancelled => (16, 0, 0, ""),
        Error::Setup(m) => (17, 0, 0, m),
        Error::WorkerCrashed(m) => (18, 0, 0, m),
    }
}

fn error_from_fields(tag: u8, a: u64, b: u64, text: String) -> Option<Error> {
    let small = |n: u64| u32::try_from(n).ok();
    Some(match tag {
        1 => Error::InputTooLarge { size: a, limit: b },
        2 => Error::InvalidOptions(text),
        3 => Error::PageRangeOutOfBounds { first: small(a)?, page_count: small(b)? },
        4 => Error::Unsupported(text),
        5 => Error::Malformed(text),
        6 => Error::PasswordRequired,
        7 => Error::WrongPassword,
        8 => Error::FuelExhausted { limit: a },
        9 => Error::DeadlineExceeded { limit: Duration::from_nanos(a) },
        10 => Error::MemoryLimit { limit: a },
        11 => Error::TooManyPages { limit: small(a)? },
        12 => Error::PageTooLarge { width: small(a)?, height: small(b)? },
        13 => Error::OutputLimit { limit: a },
        14 => Error::GuestCrashed(text),
        15 => Error::ProtocolViolation(text),
        16 => Error::Cancelled,
        17 => Error::Setup(text),
        18 => Error::WorkerCrashed(text),
        _ => return None,
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn every_error_survives_the_pipe() {
        let errors = [
            Error::InputTooLarge { size: 5, limit: 4 },
            Error::InvalidOptions("dpi".into()),
            Error::PageRangeOutOfBounds { first: 9, page_count: 2 },
            Error::Unsupported("RTF".into()),
            Error::Malformed("bad xref".into()),
            Error::PasswordRequired,
            Error::WrongPassword,
            Error::FuelExhausted { limit: 77 },
            Error::DeadlineExceeded { limit: Duration::from_millis(1500) },
            Error::MemoryLimit { limit: 1 << 29 },
            Error::TooManyPages { limit: 3 },
            Error::PageTooLarge { width: 1, height: 2 },
            Error::OutputLimit { limit: 10 },
            Error::GuestCrashed("trap".into()),
            Error::ProtocolViolation("second begin".into()),
            Error::Cancelled,
            Error::Setup("engine".into()),
            Error::WorkerCrashed("signal".into()),
        ];
        for error in errors {
            let outcome = Outcome { fuel_consumed: 12, peak_memory: 34, error: Some(error) };
            let mut pipe = Vec::new();
            write_outcome(&mut pipe, &outcome).unwrap();
            assert_eq!(pipe[0], TAG_OUTCOME);
            assert_eq!(decode_outcome(&pipe[5..]), Some(outcome));
        }
        assert_eq!(decode_outcome(&[0; 20]), None);
    }

    #[test]
    fn a_job_survives_the_pipe() {
        let limits = Limits::default().fuel(123).deadline(Duration::from_millis(4567)).max_pages(9);
        let plan = Plan { limits: limits.clone(), first: 2, last: u32::MAX, request: b"request bytes".to_vec() };
        let job = read_job(&encode_job(&plan, JobKind::Probe(Probe::Socket))[..]).unwrap();
        assert_eq!(job.plan.limits, limits);
        assert_eq!((job.plan.first, job.plan.last, &job.plan.request[..]), (2, u32::MAX, &b"request bytes"[..]));
        assert_eq!(job.kind, JobKind::Probe(Probe::Socket));
        let encoded = encode_job(&plan, JobKind::Render);
        assert!(read_job(&encoded[..encoded.len() - 1]).is_err());
    }
}
