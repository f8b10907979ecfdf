//! RES005 single-region: the tier requires multi-region and no live replica or deployment (a
//! StackSet's stack instance) runs in a second region.

use crate::evaluate::context::{ComponentContext, Verdict};
use crate::evaluate::{Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate;
use crate::knowledge::MechanismKind;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES005",
    name: "single-region",
    summary: "The tier requires a live replica in a second region and there is none.",
    level: LevelSpec::Tier,
    tags: &[
        "resilience",
        "reliability",
        "multi-region",
        "disaster-recovery",
    ],
    doc: include_str!("../../../rules/docs/RES005-single-region.md"),
};

/// Checks for a replica in another region.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    if !cx.tier.multi_region || deployed_elsewhere(cx) {
        return;
    }
    match cx.decide(|a| estimate::replica_elsewhere(cx.component, a).is_none()) {
        Verdict::Pass => {}
        Verdict::Undecided => undecided.push(Undecided {
            rule: &META,
            unknowns: cx.unknowns(|m| m.kind == MechanismKind::Replica, true),
        }),
        Verdict::Violation => {
            let home = cx.component.home.names().join(", ");
            let place = if home.is_empty() {
                "one region".to_string()
            } else {
                home
            };
            let options: Vec<String> = cx
                .input
                .kb
                .resource(&cx.primary.rtype)
                .map(|s| {
                    s.replicas
                        .iter()
                        .map(|r| r.def.label.clone())
                        .chain(
                            s.replica_of
                                .iter()
                                .map(|r| format!("a cross-region {}", r.def.label)),
                        )
                        .collect()
                })
                .unwrap_or_default();
            let help = if let Some(fix) = cx.fix("region") {
                fix
            } else if options.is_empty() {
                "deploy a replica in a second region".to_string()
            } else {
                format!("add a {} in a second region", options.join(" or a "))
            };
            out.push(cx.finding(
                &META,
                format!(
                    "{} runs only in {place}; {} requires a live replica in a second region.{}",
                    cx.primary.address,
                    cx.tier_phrase(),
                    cx.uncounted_replicas()
                ),
                "single region",
                help,
                cx.locate(None),
            ));
        }
    }
}

/// Whether a StackSet deploys the component's template to a region besides its own: an
/// independent deployment in a second region, which is what RES005 asks for (its data is not
/// copied: the region scope's estimate, and RES004, still say so).
fn deployed_elsewhere(cx: &ComponentContext<'_>) -> bool {
    let home = cx.component.home.names();
    home.len() == 1
        && cx.primary.stack_set.as_ref().is_some_and(|s| {
            s.regions
                .iter()
                .any(|r| !home.iter().any(|h| h.as_str() == r.as_str()))
        })
}
