//! What this binary is: its version, the commit it was built from and the knowledge base
//! compiled into it (`resilint --version`, `resilint self-check`). The facts come from
//! `build.rs`.

use std::sync::LazyLock;

/// The version (Cargo.toml's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit the binary was built from (12 hex digits), or `unknown`.
pub const COMMIT: &str = env!("RESILINT_BUILD_COMMIT");

/// The commit's date (YYYY-MM-DD), or empty when unknown.
pub const COMMIT_DATE: &str = env!("RESILINT_BUILD_COMMIT_DATE");

/// The target triple the binary was built for.
pub const TARGET: &str = env!("RESILINT_BUILD_TARGET");

/// The number of knowledge-base files compiled in (`rules/kb/**/*.toml`).
pub const KB_FILES: &str = env!("RESILINT_BUILD_KB_FILES");

/// The knowledge base's version: the first 12 hex digits of the SHA-256 of its files' paths and
/// contents. The knowledge base ships inside the binary, so it has no release of its own; the
/// digest tells two builds with the same knowledge from two without.
pub const KB_DIGEST: &str = env!("RESILINT_BUILD_KB_DIGEST");

/// The commit with its date when known: `818bcc3a1b2c (2026-12-02)`.
pub fn commit() -> String {
    if COMMIT_DATE.is_empty() {
        COMMIT.to_string()
    } else {
        format!("{COMMIT} ({COMMIT_DATE})")
    }
}

/// The knowledge base in one line: `1a2b3c4d5e6f (63 files, built in)`.
pub fn knowledge_base() -> String {
    format!("{KB_DIGEST} ({KB_FILES} files, built in)")
}

/// `resilint --version`'s text after the program name.
pub fn long() -> &'static str {
    static LONG: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{VERSION}\ncommit: {}\nknowledge base: {}\ntarget: {TARGET}",
            commit(),
            knowledge_base()
        )
    });
    &LONG
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::BUILTIN;
    use sha2::{Digest, Sha256};

    /// build.rs hashes the files in `rules/kb`; the binary compiles in the files `BUILTIN`
    /// lists. The same digest means the same files with the same contents.
    #[test]
    fn the_digest_is_that_of_the_compiled_in_knowledge_base() {
        let mut files: Vec<&(&str, &str)> = BUILTIN.iter().collect();
        files.sort();
        let mut hash = Sha256::new();
        for (name, text) in &files {
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(text.as_bytes());
            hash.update([0]);
        }
        let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(KB_DIGEST, &hex[..12]);
        assert_eq!(KB_FILES, files.len().to_string());
    }

    #[test]
    fn the_long_version_says_version_commit_and_knowledge_base() {
        let long = long();
        assert!(long.starts_with(&format!("{VERSION}\ncommit: ")), "{long}");
        assert!(
            long.contains(&format!("\nknowledge base: {KB_DIGEST} (")),
            "{long}"
        );
        assert!(COMMIT == "unknown" || COMMIT.len() == 12, "{COMMIT}");
    }
}
