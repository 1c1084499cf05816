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
    /// The document's file name, if known. It never decides the format (the content
    /// does); when its extension names another format, the report says so.
    pub file_name: Option<String>,
    /// Whether an encrypted attachment of an e-mail may be opened with a password stated in
    /// the message body ("Password: 1234"), as the recipient would. Off by default: it
    /// opens exactly what the sender meant to slip past scanners.
    pub passwords_from_message: bool,
    /// Whether sheets are drawn as on screen, with light gridlines and a caption naming
    /// the sheet on every page. Off by default: sheets print as Excel prints them, by
    /// their own page setup.
    pub sheet_gridlines: bool,
    /// The date and time that date and time fields print (a sheet header's `&D` and
    /// `&T`), as seconds since 1970-01-01 in the reader's time zone. `None` (the default):
    /// the time of rendering, in UTC. Set it for renders that must not change from day to
    /// day.
    pub print_time: Option<i64>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { dpi: 150, password: None, pages: None, file_name: None, passwords_from_message: false, sheet_gridlines: false, print_time: None }
    }
}

impl std::fmt::Debug for RenderOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderOptions")
            .field("dpi", &self.dpi)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("pages", &self.pages)
            .field("file_name", &self.file_name)
            .field("passwords_from_message", &self.passwords_from_message)
            .field("sheet_gridlines", &self.sheet_gridlines)
            .field("print_time", &self.print_time)
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

    /// Lets an encrypted e-mail attachment be opened with a password found in the body
    /// (see [`RenderOptions::passwords_from_message`]).
    #[must_use]
    pub fn passwords_from_message(mut self, allow: bool) -> Self {
        self.passwords_from_message = allow;
        self
    }

    /// Gives the document's file name, so that the report can flag an extension that does
    /// not match the content (`invoice.pdf` that is a Word file).
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Draws sheets screen-style (see [`RenderOptions::sheet_gridlines`]).
    #[must_use]
    pub fn sheet_gridlines(mut self, on: bool) -> Self {
        self.sheet_gridlines = on;
        self
    }

    /// Sets the date and time that date fields print (see [`RenderOptions::print_time`]).
    #[must_use]
    pub fn print_time(mut self, seconds_since_1970: i64) -> Self {
        self.print_time = Some(seconds_since_1970);
        self
    }

    /// Limits rendering to a range of pages (1-based, inclusive).
    #[must_use]
    pub fn pages(mut self, pages: RangeInclusive<u32>) -> Self {
        self.pages = Some(pages);
        self
    }
}

/// Now, in seconds since 1970-01-01 UTC (0 if the system clock is before 1970).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}
