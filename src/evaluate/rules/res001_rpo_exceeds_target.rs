//! RES001 rpo-exceeds-target: a scope with a target is covered, but its RPO is worse than the
//! target.

use crate::evaluate::context::{ComponentContext, Verdict, dur};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::{Assume, Scope, covers};

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES001",
    name: "rpo-exceeds-target",
    summary: "The estimated recovery point objective is worse than the tier's target.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "rpo", "backup"],
    doc: include_str!("../../../rules/docs/RES001-rpo-exceeds-target.md"),
};

/// The RPO target of a scope for a tier.
pub fn target(cx: &ComponentContext<'_>, scope: Scope) -> Option<u64> {
    match scope {
        Scope::Logical | Scope::Zone => cx.tier.rpo,
        Scope::Region => cx.tier.region_rpo,
    }
}

/// Checks every scope that has a target and is covered.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    for scope in Scope::ALL {
        let Some(target) = target(cx, scope) else {
            continue;
        };
        // An unprotected scope is reported by RES003/RES004, not here.
        if !cx.estimate(scope, Assume::Pessimistic).covered() {
            continue;
        }
        let rpo = |a: Assume| cx.estimate(scope, a).rpo;
        match cx.decide(|a| rpo(a).is_none_or(|(v, _)| v > target)) {
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
                let Some((value, i)) = rpo(Assume::Pessimistic) else {
                    continue;
                };
                let m = cx.mechanism(i);
                let (span, related) = cx.locate(Some(m));
                out.push(cx.finding(
                    &META,
                    format!(
                        "{} can lose {} of data in the {} scope; {} allows {}. The best recovery point comes from {}.",
                        cx.primary.address,
                        dur(value),
                        scope.name(),
                        cx.tier_phrase(),
                        dur(target),
                        cx.evidence(m),
                    ),
                    format!("{} RPO {} > {}", scope.name(), dur(value), dur(target)),
                    Some(help(scope, target)),
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
