//! RES012 suppression-expired: an inline suppression's `until` date has passed.

use crate::config::Level;
use crate::evaluate::{Finding, LevelSpec, RuleMeta};
use crate::source::Span;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES012",
    name: "suppression-expired",
    summary: "An inline suppression's `until` date has passed; the findings it covered are reported again.",
    level: LevelSpec::Fixed(Level::Warning),
    tags: &["resilience", "suppression"],
    doc: include_str!("../../../rules/docs/RES012-suppression-expired.md"),
};

/// The finding for an expired suppression written at `span`. `key` identifies the suppression
/// without line numbers (its rules and target), for fingerprints.
pub fn finding(
    span: Span,
    rules: &str,
    until: chrono::NaiveDate,
    reason: &str,
    key: String,
) -> Finding {
    Finding {
        key,
        ..Finding::new(
            &META,
            format!(
                "The suppression of {rules} expired on {until} (reason: {reason}); the findings it covered are reported again."
            ),
            "expired suppression",
            "fix what the rule reports, or agree on a new date and update `until`",
            span,
        )
    }
}
