//! A unit's `terraform { source }`: local or remote, and where a source map puts a remote one.
//!
//! Sources use go-getter's form, `<address>//<subdirectory>?<query>`, as Terraform's module
//! sources do: `../../modules//mysql`,
//! `git::git@github.com:acme/modules.git//modules/mysql?ref=v1.2.0`.

use std::path::{Path, PathBuf};

use crate::source::normalize_path;

/// A module source, split.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The address before `//` and the query (`git::git@github.com:acme/modules.git`,
    /// `../../modules`).
    pub address: String,
    /// The subdirectory after `//` (`modules/mysql`), empty when none.
    pub subdir: String,
    /// Whether it names a local path.
    pub local: bool,
}

impl Source {
    /// Splits `text`.
    pub fn parse(text: &str) -> Source {
        let text = text.trim();
        let no_query = text.split_once('?').map_or(text, |(a, _)| a);
        // `//` after a scheme's `://` (and after a forced getter's `::`) separates the
        // subdirectory.
        let skip = no_query
            .find("://")
            .map(|i| i + 3)
            .or_else(|| no_query.find("::").map(|i| i + 2))
            .unwrap_or(0);
        let (address, subdir) = match no_query[skip..].find("//") {
            Some(i) => (
                no_query[..skip + i].to_string(),
                no_query[skip + i + 2..].trim_matches('/').to_string(),
            ),
            None => (no_query.to_string(), String::new()),
        };
        let local = is_local(&address);
        Source {
            address,
            subdir,
            local,
        }
    }

    /// The module directory of a local source for the unit in `unit_dir`, or of a remote one
    /// that `map` (`(remote address, local directory)` pairs) maps; `None` for a remote source
    /// that no entry maps.
    pub fn directory(&self, unit_dir: &Path, map: &[(String, PathBuf)]) -> Option<PathBuf> {
        let base = if self.local {
            unit_dir.join(&self.address)
        } else {
            let wanted = strip_getter(&self.address);
            map.iter()
                .find(|(from, _)| strip_getter(from.split('?').next().unwrap_or("")) == wanted)
                .map(|(_, to)| to.clone())?
        };
        let dir = if self.subdir.is_empty() {
            base
        } else {
            base.join(&self.subdir)
        };
        Some(normalize_path(&dir))
    }
}

/// Whether an address names a local directory: a relative or absolute path, not a URL, a
/// forced getter (`git::`), an SCP-style address (`git@host:repo`) or a host name
/// (`github.com/org/repo`).
fn is_local(address: &str) -> bool {
    if address.contains("::") || address.contains("://") || address.starts_with("git@") {
        return false;
    }
    if address.starts_with('/') || address.starts_with("./") || address.starts_with("../") {
        return true;
    }
    if address == "." || address == ".." {
        return true;
    }
    // `github.com/acme/x`, `bitbucket.org/...`: the first segment is a host.
    let first = address.split('/').next().unwrap_or("");
    !first.contains('.')
}

/// An address without its forced getter (`git::`) and trailing `/`: how two spellings of one
/// remote compare.
fn strip_getter(address: &str) -> &str {
    let a = address.split_once("::").map_or(address, |(_, rest)| rest);
    a.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_addresses_subdirectories_and_queries() {
        let s = Source::parse("git::git@github.com:acme/modules.git//modules/mysql?ref=v0.8.0");
        assert_eq!(s.address, "git::git@github.com:acme/modules.git");
        assert_eq!(s.subdir, "modules/mysql");
        assert!(!s.local);
        let s = Source::parse("https://example.com/m.zip//db");
        assert_eq!(
            (s.address.as_str(), s.subdir.as_str()),
            ("https://example.com/m.zip", "db")
        );
        let s = Source::parse("../../modules//mysql");
        assert_eq!(
            (s.address.as_str(), s.subdir.as_str(), s.local),
            ("../../modules", "mysql", true)
        );
        assert!(Source::parse("../modules/db").local);
        assert!(!Source::parse("github.com/acme/modules//db").local);
        assert!(!Source::parse("tfr:///terraform-aws-modules/vpc/aws?version=5.0.0").local);
    }

    #[test]
    fn maps_remote_sources_to_local_directories() {
        let map = vec![(
            "git::git@github.com:acme/modules.git".to_string(),
            PathBuf::from("/src/modules"),
        )];
        let s = Source::parse("git@github.com:acme/modules.git//modules/mysql?ref=v1");
        assert_eq!(
            s.directory(Path::new("/live/prod"), &map),
            Some(PathBuf::from("/src/modules/modules/mysql"))
        );
        let other = Source::parse("git::git@github.com:acme/other.git//x");
        assert_eq!(other.directory(Path::new("/live"), &map), None);
        let local = Source::parse("../../modules//db");
        assert_eq!(
            local.directory(Path::new("/live/prod/db"), &[]),
            Some(PathBuf::from("/live/modules/db"))
        );
    }
}
