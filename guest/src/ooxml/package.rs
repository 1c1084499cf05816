//! ZIP-based document packages (OOXML, OpenDocument) read under a budget: the entry count
//! and every byte expanded are counted, and no declared size is trusted.

use std::io::{Cursor, Read};

use zip::ZipArchive;

/// Most entries a package may list.
pub const MAX_ENTRIES: usize = 20_000;
/// Most bytes expanded from one package, over all entries read.
pub const MAX_EXPANDED_BYTES: u64 = 256 << 20;

/// Why a package could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageError {
    /// Not a readable ZIP (truncated, damaged central directory...).
    Malformed(String),
    /// More entries, or more expanded bytes, than the budget allows (a bomb).
    Budget(String),
}

/// An opened package.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    expanded: u64,
}

impl<'a> Package<'a> {
    /// Opens a package, refusing one with too many entries.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, PackageError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| PackageError::Malformed(e.to_string()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(PackageError::Budget(format!("{} entries (at most {MAX_ENTRIES})", archive.len())));
        }
        let names = archive.file_names().map(|n| n.map(|n| n.into_owned())).collect::<Result<_, _>>().map_err(|e| PackageError::Malformed(e.to_string()))?;
        Ok(Package { archive, names, expanded: 0 })
    }

    /// Entry names, as stored.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether an entry exists.
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Reads an entry in full, charging what it expands to against the budget.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, PackageError> {
        let left = MAX_EXPANDED_BYTES - self.expanded;
        let entry = self.archive.by_name(name).map_err(|e| PackageError::Malformed(format!("{name}: {e}")))?;
        let mut data = Vec::new();
        // Read one byte past the budget to tell "exactly at the limit" from "over it".
        let read = entry.take(left + 1).read_to_end(&mut data);
        self.expanded += data.len() as u64;
        if data.len() as u64 > left {
            return Err(PackageError::Budget(format!("more than {MAX_EXPANDED_BYTES} bytes expanded")));
        }
        read.map_err(|e| PackageError::Malformed(format!("{name}: {e}")))?;
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip(entries: &[(&str, &[u8])]) -> &'static [u8] {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner().leak()
    }

    #[test]
    fn reads_entries_and_counts_what_they_expand_to() {
        let mut p = Package::open(zip(&[("a.xml", b"<a/>"), ("b/c.bin", &[7; 1000])])).unwrap();
        assert_eq!(p.names(), ["a.xml", "b/c.bin"]);
        assert!(p.has("b/c.bin") && !p.has("c.bin"));
        assert_eq!(p.read("b/c.bin").unwrap().len(), 1000);
        assert_eq!(p.expanded, 1000);
        assert!(matches!(p.read("missing"), Err(PackageError::Malformed(_))));
    }

    #[test]
    fn truncated_packages_are_malformed() {
        let bytes = zip(&[("a.xml", b"<a/>")]);
        assert!(matches!(Package::open(&bytes[..bytes.len() - 10]), Err(PackageError::Malformed(_))));
    }
}
