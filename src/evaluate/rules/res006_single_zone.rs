//! RES006 single-zone: the tier requires zone redundancy and the resource has no standby or
//! zone-redundant storage.

use crate::evaluate::context::{ComponentContext, Verdict};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::{self, Scope};
use crate::knowledge::MechanismKind;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES006",
    name: "single-zone",
    summary: "The tier requires zone redundancy and the resource has no standby or zone-redundant storage.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "availability", "multi-az"],
    doc: include_str!("../../../rules/docs/RES006-single-zone.md"),
};

/// Checks for a standby or zone-redundant storage.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    if !cx.tier.zone_redundant {
        return;
    }
    match cx.decide(|a| estimate::zone_redundancy(cx.component, a).is_none()) {
        Verdict::Pass => {}
        Verdict::Undecided => undecided.push(Undecided {
            rule: &META,
            unknowns: cx.unknowns(|m| zonal_kind(m.kind), false),
        }),
        Verdict::Violation => {
            let disabled = cx.component.primary_disabled().find(|d| zonal_kind(d.kind));
            let what = match disabled {
                Some(d) => format!("its {} is off", d.label),
                None => format!(
                    "{} data lives in a single availability zone",
                    cx.family_name()
                ),
            };
            let help = match (cx.fix("zone"), disabled) {
                (Some(fix), _) => fix,
                (None, Some(d)) => format!("turn on the {}", d.label),
                (None, None) => "use a zone-redundant deployment option, or keep a standby in another availability zone".into(),
            };
            // A region without availability zones (the knowledge base's region table) has no
            // zone-redundant option: only a copy in another region survives the loss of its
            // datacenter.
            let help = match cx
                .component
                .home
                .names()
                .first()
                .and_then(|name| cx.input.kb.region_entry(name))
            {
                Some(region) if !region.zones => format!(
                    "{} has no availability zones, so no zone-redundant option exists there: keep a replica or backups in another region, or move to a region with zones",
                    region.name
                ),
                _ => help,
            };
            out.push(Finding {
                facts: Facts {
                    scope: Some(Scope::Zone),
                    ..cx.facts()
                },
                ..cx.finding(
                    &META,
                    format!(
                        "{} has no standby in another availability zone ({what}); {} requires zone redundancy, so losing its zone means restoring from backup.",
                        cx.primary.address,
                        cx.tier_phrase(),
                    ),
                    "single availability zone",
                    help,
                    cx.locate_disabled(disabled),
                )
            });
        }
    }
}

fn zonal_kind(k: MechanismKind) -> bool {
    matches!(k, MechanismKind::Standby | MechanismKind::ZoneRedundant)
}
