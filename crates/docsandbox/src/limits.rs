//! Resource limits for one document, with defaults and chainable setters.

use std::ops::RangeInclusive;
use std::time::Duration;

/// Bounds on everything a document may make the sandbox do.
///
/// Every bound, when exceeded, ends in its own [`Error`](crate::Error) variant.
/// ```
/// use std::time::Duration;
/// let limits = docsandbox::Limits::default().max_pages(50).deadline(Duration::from_secs(10));
/// assert_eq!(limits.max_pages, 50);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted input in bytes (default 100 MiB).
    pub max_input_bytes: u64,
    /// Fuel (roughly, WebAssembly instructions) one document may use (default 40 billion,
    /// tens of seconds of work). Deterministic: the same input stops at the same point.
    pub fuel: u64,
    /// Wall-clock time the guest may run for one document (default 30 s). Time the host
    /// spends in the caller's page callback is not counted.
    pub deadline: Duration,
    /// Largest guest linear memory in bytes (default 512 MiB).
    pub max_memory_bytes: u64,
    /// Most pages rendered for one document (default 1000). Further pages are cut off
    /// and reported as [`Error::TooManyPages`](crate::Error::TooManyPages).
    pub max_pages: u32,
    /// Largest width or height of a page in pixels (default 10 000, as Dangerzone and
    /// Qubes). Larger pages are rendered at a lower resolution to fit.
    pub max_page_side: u32,
    /// Most pixels in one page (default 40 million: A0 at 150 DPI fits).
    pub max_page_pixels: u64,
    /// Most raw pixel bytes (4 per pixel) over all pages of a document (default 2 GiB).
    pub max_output_bytes: u64,
    /// Accepted resolutions in DPI (default 18..=600).
    pub dpi_range: RangeInclusive<u32>,
    /// Largest advisory report in bytes (default 64 KiB).
    pub max_report_bytes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 100 << 20,
            fuel: 40_000_000_000,
            deadline: Duration::from_secs(30),
            max_memory_bytes: 512 << 20,
            max_pages: 1000,
            max_page_side: 10_000,
            max_page_pixels: 40_000_000,
            max_output_bytes: 2 << 30,
            dpi_range: 18..=600,
            max_report_bytes: 64 << 10,
        }
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        impl Limits {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(mut self, value: $ty) -> Self {
                    self.$name = value;
                    self
                }
            )*
        }
    };
}

setters! {
    /// Sets [`Limits::max_input_bytes`].
    max_input_bytes: u64;
    /// Sets [`Limits::fuel`].
    fuel: u64;
    /// Sets [`Limits::deadline`].
    deadline: Duration;
    /// Sets [`Limits::max_memory_bytes`].
    max_memory_bytes: u64;
    /// Sets [`Limits::max_pages`].
    max_pages: u32;
    /// Sets [`Limits::max_page_side`].
    max_page_side: u32;
    /// Sets [`Limits::max_page_pixels`].
    max_page_pixels: u64;
    /// Sets [`Limits::max_output_bytes`].
    max_output_bytes: u64;
    /// Sets [`Limits::dpi_range`].
    dpi_range: RangeInclusive<u32>;
    /// Sets [`Limits::max_report_bytes`].
    max_report_bytes: u32;
}

impl Limits {
    /// Largest value accepted for [`Limits::max_input_bytes`]: the request must fit the
    /// protocol's 32-bit length, with room for its header.
    pub const MAX_INPUT_BYTES: u64 = (4 << 30) - (1 << 20);
    /// Largest value accepted for [`Limits::max_page_side`].
    pub const MAX_PAGE_SIDE: u32 = 1 << 16;
    /// Largest value accepted for [`Limits::max_page_pixels`]: a page's RGBA must fit the
    /// guest's 4 GiB memory.
    pub const MAX_PAGE_PIXELS: u64 = 1 << 28;
    /// Longest accepted [`Limits::deadline`].
    pub const MAX_DEADLINE: Duration = Duration::from_secs(24 * 60 * 60);
    /// Highest accepted resolution.
    pub const MAX_DPI: u32 = 10_000;

    /// Checks that the limits make sense on their own and together.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let checks = [
            (self.max_memory_bytes >= 1 << 20, "max_memory_bytes must be at least 1 MiB".to_owned()),
            (self.max_memory_bytes <= 4 << 30, "max_memory_bytes cannot exceed 4 GiB (wasm32)".to_owned()),
            (self.max_input_bytes <= Self::MAX_INPUT_BYTES, format!("max_input_bytes cannot exceed {} bytes", Self::MAX_INPUT_BYTES)),
            (self.fuel > 0, "fuel must be positive".to_owned()),
            (!self.deadline.is_zero(), "deadline must be positive".to_owned()),
            (self.deadline <= Self::MAX_DEADLINE, "deadline cannot exceed 24 hours".to_owned()),
            (self.max_page_side > 0 && self.max_page_pixels > 0, "page size limits must be positive".to_owned()),
            (self.max_page_side <= Self::MAX_PAGE_SIDE, format!("max_page_side cannot exceed {}", Self::MAX_PAGE_SIDE)),
            (self.max_page_pixels <= Self::MAX_PAGE_PIXELS, format!("max_page_pixels cannot exceed {}", Self::MAX_PAGE_PIXELS)),
            (!self.dpi_range.is_empty() && *self.dpi_range.start() > 0, "dpi_range must be a non-empty range of positive values".to_owned()),
            (*self.dpi_range.end() <= Self::MAX_DPI, format!("dpi_range cannot go above {} DPI", Self::MAX_DPI)),
            (self.max_report_bytes >= 1024, "max_report_bytes must be at least 1 KiB".to_owned()),
            (self.max_report_bytes <= 64 << 20, "max_report_bytes cannot exceed 64 MiB".to_owned()),
        ];
        match checks.into_iter().find(|(ok, _)| !ok) {
            Some((_, message)) => Err(message),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_limits_are_refused() {
        assert!(Limits::default().validate().is_ok());
        for limits in [
            Limits::default().max_page_pixels(u64::MAX),
            Limits::default().max_input_bytes(u64::MAX),
            Limits::default().max_input_bytes(5 << 30),
            Limits::default().max_page_side(u32::MAX),
            Limits::default().deadline(Duration::MAX),
            Limits::default().dpi_range(1..=u32::MAX),
            Limits::default().max_report_bytes(u32::MAX),
        ] {
            assert!(limits.validate().is_err(), "{limits:?}");
        }
    }
}
