//! RES000 parse-error: a file cannot be read or parsed.

use crate::config::Level;
use crate::evaluate::{Finding, LevelSpec, RuleMeta};
use crate::parse::ParseError;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES000",
    name: "parse-error",
    summary: "A file cannot be read or parsed; the rest of the scan goes on.",
    level: LevelSpec::Fixed(Level::Error),
    tags: &["resilience", "parse"],
    doc: include_str!("../../../rules/docs/RES000-parse-error.md"),
};

/// The finding for a file that could not be read or parsed.
pub fn finding(e: &ParseError) -> Finding {
    Finding::new(
        &META,
        format!(
            "This file cannot be parsed: {}.",
            e.message.trim_end_matches('.')
        ),
        "parsing stopped here",
        "fix the syntax error; the other files were scanned",
        e.span,
    )
}
