//! RES013 suppression-unused: an inline suppression matches no finding, or is malformed.

use crate::config::Level;
use crate::evaluate::{Finding, LevelSpec, RuleMeta};
use crate::source::Span;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES013",
    name: "suppression-unused",
    summary: "An inline suppression matches no finding, or is malformed and ignored.",
    level: LevelSpec::Fixed(Level::Note),
    tags: &["resilience", "suppression"],
    doc: include_str!("../../../rules/docs/RES013-suppression-unused.md"),
};

/// The finding for a suppression at `span` that hid nothing (`target`: what it is written on).
pub fn unused(span: Span, rules: &str, target: &str, key: String) -> Finding {
    Finding {
        key,
        ..Finding::new(
            &META,
            format!(
                "This suppression of {rules} matches no finding of {target}: remove it, or check the rule code and where it is written."
            ),
            "matches nothing",
            "remove the suppression; it applies to the resource or module block it is written on or in",
            span,
        )
    }
}

/// The finding for a malformed suppression, which is ignored.
pub fn malformed(span: Span, problems: &[String], key: String) -> Finding {
    let help = if problems.iter().all(|p| p.contains("not written in")) {
        "move it to the line before the resource or module block, or inside the block"
    } else {
        "write it as `resilint:ignore RES004 reason=\"why\" until=2027-06-30` (until is optional)"
    };
    Finding {
        key,
        ..Finding::new(
            &META,
            format!("This suppression is ignored: {}.", problems.join("; ")),
            "malformed suppression",
            help,
            span,
        )
    }
}
