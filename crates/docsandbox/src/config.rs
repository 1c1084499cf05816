//! Process-wide settings of the engine every [`Sandbox`](crate::Sandbox) shares: where the
//! compiled guest is cached and how instances get their memory. The library reads none of
//! these from the environment (only `XDG_CACHE_HOME`/`HOME`, to find the user's cache
//! directory): programs choose, explicitly with [`configure`], or from their
//! environment with [`EngineConfig::from_env`] (the CLI, the C ABI and the worker do).

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::Error;

/// Where compiled guests are cached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheLocation {
    /// The user's cache directory, as the platform has it: on Linux and other Unix systems
    /// `$XDG_CACHE_HOME/docsandbox`, else `~/.cache/docsandbox`; on macOS
    /// `~/Library/Caches/docsandbox`; on Windows `%LOCALAPPDATA%\docsandbox` (where this
    /// version keeps no disk cache yet: it loads the embedded precompiled guest). None when
    /// the variables it comes from are unset.
    #[default]
    UserCache,
    /// This directory (created if missing; it must belong to this user and be private).
    At(PathBuf),
    /// No disk cache: the guest is loaded from the library's embedded precompiled copy, or
    /// compiled in memory on every start on a CPU the build did not target.
    Off,
}

impl CacheLocation {
    /// The directory this resolves to, if any.
    pub fn dir(&self) -> Option<PathBuf> {
        match self {
            CacheLocation::At(dir) => Some(dir.clone()),
            CacheLocation::Off => None,
            CacheLocation::UserCache => user_cache_dir(std::env::consts::OS, |name| std::env::var_os(name)).map(|base| base.join("docsandbox")),
        }
    }
}

/// The user's cache directory on `os`, from the environment variables `var` reads.
fn user_cache_dir(os: &str, var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let var = |name: &str| var(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    match os {
        "macos" | "ios" => var("HOME").map(|home| home.join("Library").join("Caches")),
        "windows" => var("LOCALAPPDATA"),
        _ => var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|home| home.join(".cache"))),
    }
}

/// Settings of the process-wide engine. Set them with [`configure`] before the first
/// sandbox; without that call, the defaults apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EngineConfig {
    /// Where the compiled guest is cached.
    pub cache: CacheLocation,
    /// Create instances on demand instead of from a pool that reserves address space up
    /// front. The pool is faster; where the reservation is refused (valgrind, `ulimit -v`)
    /// the engine falls back to on-demand instances by itself.
    pub on_demand_allocation: bool,
}

impl EngineConfig {
    /// With the compiled guest cached at `location`.
    pub fn cache(mut self, location: CacheLocation) -> Self {
        self.cache = location;
        self
    }

    /// With instances created on demand (`true`) or pooled (`false`, the default).
    pub fn on_demand_allocation(mut self, on_demand: bool) -> Self {
        self.on_demand_allocation = on_demand;
        self
    }

    /// The settings a program's environment asks for: `DOCSANDBOX_CACHE_DIR` (a directory;
    /// empty turns the disk cache off) and `DOCSANDBOX_ON_DEMAND_ALLOCATION=1`. For programs
    /// that let their users configure docsandbox this way; the library never reads them.
    pub fn from_env() -> Self {
        let cache = match std::env::var_os("DOCSANDBOX_CACHE_DIR") {
            Some(dir) if dir.is_empty() => CacheLocation::Off,
            Some(dir) => CacheLocation::At(dir.into()),
            None => CacheLocation::UserCache,
        };
        let on_demand_allocation = std::env::var_os("DOCSANDBOX_ON_DEMAND_ALLOCATION").is_some_and(|v| v == "1");
        EngineConfig { cache, on_demand_allocation }
    }
}

static CONFIG: OnceLock<EngineConfig> = OnceLock::new();

/// Sets the engine's settings for this process. Call it before the first sandbox; calling
/// it again with the same settings is harmless, with others an error, as is calling it
/// after a sandbox already started the engine with different ones.
pub fn configure(config: EngineConfig) -> Result<(), Error> {
    let current = CONFIG.get_or_init(|| config.clone());
    if *current == config {
        Ok(())
    } else {
        Err(Error::InvalidOptions(format!("the engine is already configured ({current:?}); configure it once, before the first sandbox")))
    }
}

/// The settings in force (the defaults unless [`configure`] came first).
pub(crate) fn current() -> &'static EngineConfig {
    CONFIG.get_or_init(EngineConfig::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve() {
        assert_eq!(CacheLocation::At("/x".into()).dir(), Some(PathBuf::from("/x")));
        assert_eq!(CacheLocation::Off.dir(), None);
        let env = |pairs: &'static [(&'static str, &'static str)]| move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.into());
        let home = &[("HOME", "/home/a"), ("LOCALAPPDATA", "C:\\Users\\a\\AppData\\Local")];
        assert_eq!(user_cache_dir("linux", env(home)), Some(PathBuf::from("/home/a/.cache")));
        assert_eq!(user_cache_dir("linux", env(&[("XDG_CACHE_HOME", "/c"), ("HOME", "/home/a")])), Some(PathBuf::from("/c")));
        assert_eq!(user_cache_dir("macos", env(home)), Some(PathBuf::from("/home/a/Library/Caches")));
        assert_eq!(user_cache_dir("windows", env(home)), Some(PathBuf::from("C:\\Users\\a\\AppData\\Local")));
        assert_eq!(user_cache_dir("linux", env(&[("HOME", "")])), None, "an empty variable is unset");
        assert_eq!(
            EngineConfig::default().cache(CacheLocation::Off).on_demand_allocation(true),
            EngineConfig { cache: CacheLocation::Off, on_demand_allocation: true }
        );
    }

    #[test]
    fn settings_are_fixed_once_chosen() {
        // No test in this crate configures anything else, so the defaults are in force.
        configure(EngineConfig::default()).unwrap();
        assert!(matches!(configure(EngineConfig::default().on_demand_allocation(true)), Err(Error::InvalidOptions(_))));
        assert_eq!(current(), &EngineConfig::default());
    }
}
