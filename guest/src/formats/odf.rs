//! OpenDocument text (ODT) and presentations (ODP): their report (macros, embedded
//! objects, external links); drawing them is not implemented yet, and `Unsupported` says so.

use docsandbox_protocol::FailureKind;

use crate::dispatch::{Input, Job};
use crate::ooxml;

/// Sends the begin message and the report for the package, then says rendering is not
/// available (unless the host only asked for the report).
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let (Some(format), Some(mut package)) = (input.format, input.package) else {
        return job.fail(FailureKind::Malformed, "not an OpenDocument package");
    };
    let mut report = job.new_report();
    ooxml::findings(&mut package, &mut report);
    let inspecting = job.request.max_pages == 0;
    let job = job.begin(format, None).report(&report.finish());
    if !inspecting {
        job.fail(FailureKind::Unsupported, &format!("rendering {} documents is not implemented yet (its report is available)", format.name().to_uppercase()));
    }
}
