//! The rules, one file each, and the registry.
//!
//! Adding a rule: write `resNNN_name.rs` with its `META` and check, its documentation in
//! `rules/docs/RESNNN-name.md`, list it in [`RULES`] (and in [`check_component`] if it checks
//! components), and add a Terraform and a CloudFormation fixture that fire and that do not.

pub mod res000_parse_error;
pub mod res001_rpo_exceeds_target;
pub mod res002_rto_exceeds_target;
pub mod res003_no_backup;
pub mod res004_backup_not_offsite;
pub mod res005_single_region;
pub mod res006_single_zone;
pub mod res007_restore_untested;
pub mod res008_retention_too_short;
pub mod res009_tier_missing;
pub mod res010_tier_unknown;
pub mod res011_unresolved_value;
pub mod res012_suppression_expired;
pub mod res013_suppression_unused;
pub mod res014_not_modelled;
pub mod res015_recovery_unmonitored;
pub mod res016_framework_control;

use super::context::ComponentContext;
use super::{Finding, RuleMeta, Undecided};

/// Every rule, in code order.
pub static RULES: &[&RuleMeta] = &[
    &res000_parse_error::META,
    &res001_rpo_exceeds_target::META,
    &res002_rto_exceeds_target::META,
    &res003_no_backup::META,
    &res004_backup_not_offsite::META,
    &res005_single_region::META,
    &res006_single_zone::META,
    &res007_restore_untested::META,
    &res008_retention_too_short::META,
    &res009_tier_missing::META,
    &res010_tier_unknown::META,
    &res011_unresolved_value::META,
    &res012_suppression_expired::META,
    &res013_suppression_unused::META,
    &res014_not_modelled::META,
    &res015_recovery_unmonitored::META,
    &res016_framework_control::META,
];

/// The rule with this code (`RES001`) or name (`rpo-exceeds-target`), case-insensitively.
pub fn rule(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Runs the component rules.
pub fn check_component(
    cx: &ComponentContext<'_>,
    out: &mut Vec<Finding>,
    undecided: &mut Vec<Undecided>,
) {
    // Data that can be rebuilt needs no backup, here or offsite (its tier has no RPO either).
    if !cx.rebuildable {
        res003_no_backup::check(cx, out, undecided);
    }
    res001_rpo_exceeds_target::check(cx, out, undecided);
    res002_rto_exceeds_target::check(cx, out, undecided);
    if !cx.rebuildable {
        res004_backup_not_offsite::check(cx, out, undecided);
    }
    res005_single_region::check(cx, out, undecided);
    res006_single_zone::check(cx, out, undecided);
    res007_restore_untested::check(cx, out, undecided);
    res008_retention_too_short::check(cx, out, undecided);
    res015_recovery_unmonitored::check(cx, out, undecided);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sequential_and_documented() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.code, format!("RES{i:03}"));
            assert!(
                r.doc.starts_with(&format!("# {} {}", r.code, r.name)),
                "{} doc title",
                r.code
            );
            for section in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.code);
            }
            assert!(!r.description().is_empty() && r.description().len() <= 1024);
            assert!(!r.summary.is_empty() && r.tags.len() <= 20);
        }
        assert_eq!(rule("res004").unwrap().name, "backup-not-offsite");
        assert_eq!(rule("single-zone").unwrap().code, "RES006");
    }
}
