//! OpenDocument text (ODT) and presentations (ODP). ODT is drawn ([`text`], with its
//! styles from [`styles`]); ODP gives its report (macros, embedded objects, external
//! links), and `Unsupported` says drawing it is not implemented yet.

mod styles;
mod text;

use docsandbox_protocol::{FailureKind, Format};

use crate::dispatch::{Input, Job};
use crate::ooxml;

/// Renders an ODT, or reports an ODP and says it is not drawn.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let (Some(format), Some(mut package)) = (input.format, input.package) else {
        return job.fail(FailureKind::Malformed, "not an OpenDocument package");
    };
    if format == Format::Odt {
        return text::render(job, package);
    }
    let mut report = job.new_report();
    ooxml::findings(&mut package, &mut report);
    let inspecting = job.request.max_pages == 0;
    let job = job.begin(format, None).report(&report.finish());
    if !inspecting {
        job.fail(FailureKind::Unsupported, &format!("rendering {} documents is not implemented yet (its report is available)", format.name().to_uppercase()));
    }
}
