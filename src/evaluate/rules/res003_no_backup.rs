//! RES003 no-backup: a stateful resource has no backup, PITR or versioning, so the `logical`
//! scope is unprotected.

use crate::evaluate::context::{ComponentContext, Verdict, or_list};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::Scope;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES003",
    name: "no-backup",
    summary: "A stateful resource has no backup, point-in-time recovery or versioning.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "backup"],
    doc: include_str!("../../../rules/docs/RES003-no-backup.md"),
};

/// Checks the logical scope.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    match cx.decide(|a| !cx.estimate(Scope::Logical, a).covered()) {
        Verdict::Pass => {}
        Verdict::Undecided => undecided.push(Undecided {
            rule: &META,
            unknowns: cx.unknowns(|m| m.kind.is_backup(), false),
        }),
        Verdict::Violation => {
            // Point at a backup setting that is switched off, if there is one: one written in
            // the configuration before one that is off by default.
            let backup_off = |d: &&crate::infer::Disabled| d.kind.is_backup();
            let disabled = cx
                .component
                .primary_disabled()
                .filter(backup_off)
                .find(|d| d.implicit.is_none())
                .or_else(|| cx.component.primary_disabled().find(backup_off));
            let off = disabled
                .map(|d| match &d.implicit {
                    Some(note) => format!(" ({} is off: {note})", d.label),
                    None => format!(" ({} is off at {})", d.label, cx.at_quoted(d.span)),
                })
                .unwrap_or_default();
            let target = cx.tier.rpo;
            out.push(Finding {
                facts: Facts {
                    scope: Some(Scope::Logical),
                    target_seconds: target,
                    ..cx.facts()
                },
                ..cx.finding(
                    &META,
                    format!(
                        "{} has no backup: nothing protects its data from deletion or corruption{off}; {} requires an RPO of {}.",
                        cx.primary.address,
                        cx.tier_phrase(),
                        target.map(crate::duration::format).unwrap_or_else(|| "a recovery point".into()),
                    ),
                    "no backup",
                    cx.fix("backup")
                        .unwrap_or_else(|| format!("add {}", or_list(&cx.backup_options()))),
                    cx.locate_disabled(disabled),
                )
            });
        }
    }
}
