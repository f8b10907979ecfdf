//! RES002 rto-exceeds-target: a scope with a target is covered, but its RTO is worse than the
//! target.

use crate::duration::format as dur;
use crate::evaluate::context::{ComponentContext, Measure};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::Scope;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES002",
    name: "rto-exceeds-target",
    summary: "The estimated recovery time objective is worse than the tier's target.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "rto", "availability"],
    doc: include_str!("../../../rules/docs/RES002-rto-exceeds-target.md"),
};

/// Checks every scope that has an RTO target and is covered.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    for e in cx.exceeded(&META, Measure::Rto, undecided) {
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
                    "{} takes about {} to recover in the {} scope; {} requires {}. The fastest recovery is {}.",
                    cx.primary.address,
                    dur(e.value),
                    e.scope.name(),
                    cx.tier_phrase(),
                    dur(e.target),
                    cx.evidence(e.mechanism),
                ),
                format!("{} RTO {} > {}", e.scope.name(), dur(e.value), dur(e.target)),
                help(e.scope),
                cx.locate(Some(e.mechanism)),
            )
        });
    }
}

fn help(scope: Scope) -> String {
    match scope {
        Scope::Logical => "restores from backup are slow: keep a faster recovery path (point-in-time recovery or versioning), or relax the tier's RTO".into(),
        Scope::Zone => "add a standby in another availability zone (for example a Multi-AZ deployment) so recovery is a failover, not a restore".into(),
        Scope::Region => "run a replica in another region that can be promoted, instead of restoring a backup copy".into(),
    }
}
