//! OpenDocument text (ODT), presentations (ODP) and drawings (ODG). One reader ([`text`])
//! reads the packages' styles ([`styles`]) and content; ODT flows into pages, the draw
//! pages of ODP and ODG with their master pages are drawn by [`slides`]. [`compat`] reads the
//! layout settings of old Writer documents.

mod compat;
mod geometry;
mod slides;
pub(crate) mod styles;
mod text;

use docsandbox_protocol::{FailureKind, Format};

use crate::dispatch::{Input, Job};
use crate::ooxml;

/// Renders an ODT, or reports an ODP and says it is not drawn.
pub fn render<'d>(job: Job<'d, '_>, input: Input<'d>) {
    let (Some(format), Some(mut package)) = (input.format, input.package) else {
        return job.fail(FailureKind::Malformed, "not an OpenDocument package");
    };
    match format {
        Format::Odt => text::render(job, package),
        Format::Odp | Format::Odg => slides::render(job, format, package),
        _ => {
            let mut report = job.new_report();
            ooxml::findings(&mut package, &mut report);
            job.refuse(format, &report.finish(), FailureKind::Unsupported, &format!("{} documents are not drawn here", format.name().to_uppercase()));
        }
    }
}
