//! RES001 rpo-exceeds-target: a scope with a target is covered, but its RPO is worse than the
//! target.

use crate::duration::format as dur;
use crate::evaluate::context::{ComponentContext, Measure};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::Scope;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES001",
    name: "rpo-exceeds-target",
    summary: "The estimated recovery point objective is worse than the tier's target.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "rpo", "backup"],
    doc: include_str!("../../../rules/docs/RES001-rpo-exceeds-target.md"),
};

/// Checks every scope that has an RPO target and is covered.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    for e in cx.exceeded(&META, Measure::Rpo, undecided) {
        out.push(Finding {
            key: e.scope.name().into(),
            facts: Facts {
                scope: Some(e.scope),
                estimate_seconds: Some(e.value),
                target_seconds: Some(e.target),
                mechanism: Some(e.mechanism.label.clone()),
                ..cx.facts()
            },
            ..cx.finding(
                &META,
                format!(
                    "{} can lose {} of data in the {} scope; {} allows {}. The best recovery point comes from {}.",
                    cx.primary.address,
                    dur(e.value),
                    e.scope.name(),
                    cx.tier_phrase(),
                    dur(e.target),
                    cx.evidence(e.mechanism),
                ),
                format!("{} RPO {} > {}", e.scope.name(), dur(e.value), dur(e.target)),
                help(e.scope, e.target),
                cx.locate(Some(e.mechanism)),
            )
        });
    }
}

fn help(scope: Scope, target: u64) -> String {
    match scope {
        Scope::Logical | Scope::Zone => format!(
            "back up at least every {} (a tighter schedule, or continuous backup / point-in-time recovery)",
            dur(target)
        ),
        Scope::Region => format!(
            "keep a copy in another region that is at most {} behind: a cross-region replica, or cross-region backup copies on a schedule of {} or less",
            dur(target),
            dur(target)
        ),
    }
}
