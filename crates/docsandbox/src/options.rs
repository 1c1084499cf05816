//! Per-document options: resolution, password, page range.

use std::ops::RangeInclusive;

/// How to render one document.
/// ```
/// let options = docsandbox::RenderOptions::default().dpi(100).pages(1..=3).password("secret");
/// assert_eq!(options.dpi, 100);
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// Resolution in dots per inch (default 150). Must lie in [`Limits::dpi_range`](crate::Limits::dpi_range).
    pub dpi: u32,
    /// Password for encrypted documents.
    pub password: Option<String>,
    /// Pages to render, 1-based and inclusive (default: all).
    pub pages: Option<RangeInclusive<u32>>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { dpi: 150, password: None, pages: None }
    }
}

impl std::fmt::Debug for RenderOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderOptions")
            .field("dpi", &self.dpi)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("pages", &self.pages)
            .finish()
    }
}

impl RenderOptions {
    /// Sets the resolution.
    #[must_use]
    pub fn dpi(mut self, dpi: u32) -> Self {
        self.dpi = dpi;
        self
    }

    /// Sets the password.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Limits rendering to a range of pages (1-based, inclusive).
    #[must_use]
    pub fn pages(mut self, pages: RangeInclusive<u32>) -> Self {
        self.pages = Some(pages);
        self
    }
}
