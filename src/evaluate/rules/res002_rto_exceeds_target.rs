//! RES002 rto-exceeds-target: a scope with a target is covered, but its RTO is worse than the
//! target.

use crate::evaluate::context::{ComponentContext, Verdict, dur};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::{Assume, Scope, covers};

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES002",
    name: "rto-exceeds-target",
    summary: "The estimated recovery time objective is worse than the tier's target.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "rto", "availability"],
    doc: include_str!("../../../rules/docs/RES002-rto-exceeds-target.md"),
};

fn target(cx: &ComponentContext<'_>, scope: Scope) -> Option<u64> {
    match scope {
        Scope::Logical | Scope::Zone => cx.tier.rto,
        Scope::Region => cx.tier.region_rto,
    }
}

/// Checks every scope that has a target and is covered.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    for scope in Scope::ALL {
        let Some(target) = target(cx, scope) else {
            continue;
        };
        if !cx.estimate(scope, Assume::Pessimistic).covered() {
            continue;
        }
        let rto = |a: Assume| cx.estimate(scope, a).rto;
        match cx.decide(|a| rto(a).is_none_or(|(v, _)| v > target)) {
            Verdict::Pass => {}
            Verdict::Undecided => cx.undecided(
                &META,
                cx.unknowns(
                    |m| covers(m, scope, &cx.component.home, Assume::Optimistic),
                    scope == Scope::Region,
                ),
                undecided,
            ),
            Verdict::Violation => {
                let Some((value, i)) = rto(Assume::Pessimistic) else {
                    continue;
                };
                let m = cx.mechanism(i);
                let (span, related) = cx.locate(Some(m));
                out.push(cx.finding(
                    &META,
                    format!(
                        "{} takes about {} to recover in the {} scope; {} requires {}. The fastest recovery is {}.",
                        cx.primary.address,
                        dur(value),
                        scope.name(),
                        cx.tier_phrase(),
                        dur(target),
                        cx.evidence(m),
                    ),
                    format!("{} RTO {} > {}", scope.name(), dur(value), dur(target)),
                    Some(help(scope)),
                    span,
                    related,
                    scope.name(),
                    Facts {
                        scope: Some(scope),
                        estimate_seconds: Some(value),
                        target_seconds: Some(target),
                        mechanism: Some(m.label.clone()),
                        ..Facts::default()
                    },
                ));
            }
        }
    }
}

fn help(scope: Scope) -> String {
    match scope {
        Scope::Logical => "restores from backup are slow: keep a faster recovery path (point-in-time recovery or versioning), or relax the tier's RTO".into(),
        Scope::Zone => "add a standby in another availability zone (for example a Multi-AZ deployment) so recovery is a failover, not a restore".into(),
        Scope::Region => "run a replica in another region that can be promoted, instead of restoring a backup copy".into(),
    }
}
