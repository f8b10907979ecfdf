//! RES004 backup-not-offsite: the tier requires offsite backups and none is kept outside the
//! resource's region, or the tier has a region target and nothing covers the region scope.

use crate::duration::format as dur;
use crate::evaluate::context::{ComponentContext, Verdict};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::estimate::{self, Assume, Scope};
use crate::knowledge::MechanismKind;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES004",
    name: "backup-not-offsite",
    summary: "No backup or replica is kept outside the resource's region.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "backup", "disaster-recovery"],
    doc: include_str!("../../../rules/docs/RES004-backup-not-offsite.md"),
};

/// Checks offsite backups and the region scope.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    // Fires on its own: a resource with no backup at all gets RES003 too, since an in-region
    // backup would fix only that one (RESILIENCE-MODEL.md, rule codes).
    let region_target = cx.tier.region_rpo.or(cx.tier.region_rto);
    let offsite = if cx.tier.offsite_backups {
        cx.decide(|a| estimate::offsite_backup(cx.component, a).is_none())
    } else {
        Verdict::Pass
    };
    let region = if region_target.is_some() {
        cx.decide(|a| !cx.estimate(Scope::Region, a).covered())
    } else {
        Verdict::Pass
    };
    let relevant =
        |m: &crate::infer::Mechanism| m.kind.is_backup() || m.kind == MechanismKind::Replica;
    if offsite == Verdict::Violation || region == Verdict::Violation {
        let home = cx.component.home.names().join(", ");
        let place = if home.is_empty() {
            "its own region".to_string()
        } else {
            home
        };
        let mut needs = Vec::new();
        if offsite == Verdict::Violation {
            needs.push("backups kept in another region".to_string());
        }
        if region == Verdict::Violation {
            let t = [
                cx.tier.region_rpo.map(|v| format!("RPO {}", dur(v))),
                cx.tier.region_rto.map(|v| format!("RTO {}", dur(v))),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ");
            needs.push(format!("a region-loss {t}, which nothing covers"));
        }
        let has_replica_elsewhere =
            estimate::replica_elsewhere(cx.component, Assume::Pessimistic).is_some();
        let note = if has_replica_elsewhere {
            " Its replica in another region copies every change, including deletions, so it is not a backup."
        } else {
            ""
        };
        let note = format!("{note}{}", cx.uncounted_replicas());
        out.push(Finding {
            facts: Facts {
                scope: Some(Scope::Region),
                target_seconds: cx.tier.region_rpo,
                ..cx.facts()
            },
            ..cx.finding(
                &META,
                format!(
                    "{} keeps every backup in {place}, so losing that region loses the data; {} requires {}.{note}",
                    cx.primary.address,
                    cx.tier_phrase(),
                    needs.join(" and "),
                ),
                "no backup outside the region",
                cx.fix("offsite").unwrap_or_else(|| match cx.cloud() {
                    "aws" => "copy backups to a vault in another region (an AWS Backup copy_action, a DLM cross-region copy rule, or RDS automated backups replication), or enable backups on a replica that runs in another region".into(),
                    _ => "keep backups in another region (geo-redundant backup storage, or a copy to a vault in another region), or enable backups on a replica that runs in another region".into(),
                }),
                cx.locate(None),
            )
        });
    } else if offsite == Verdict::Undecided || region == Verdict::Undecided {
        undecided.push(Undecided {
            rule: &META,
            unknowns: cx.unknowns(relevant, true),
        });
    }
}
