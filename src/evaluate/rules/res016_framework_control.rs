//! RES016 framework-control-unmet: a resource in the scope of an AWS Backup Audit Manager
//! framework control falls short of it, statically: the backup plans that reach it do not give
//! the frequency, retention or cross-region copies the control requires, or none reaches it.
//! The framework is the organisation's declared target, whatever the resource's tier.

use crate::config::Level;
use crate::evaluate::{Facts, Finding, Input, LevelSpec, Related, RuleMeta};
use crate::infer::aws::framework::{Control, in_scope};
use crate::infer::{Component, Mechanism, Retention};
use crate::knowledge::{MechanismKind, Role};

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES016",
    name: "framework-control-unmet",
    summary: "A resource in the scope of a Backup Audit Manager framework control falls short of it.",
    level: LevelSpec::Fixed(Level::Warning),
    tags: &["resilience", "backup", "compliance"],
    doc: include_str!("../../../rules/docs/RES016-framework-control-unmet.md"),
};

const DAY: u64 = 86_400;

/// The controls resilint evaluates statically; the others (encryption, manual deletion, the
/// age of the last recovery point, restore times) depend on the deployed account.
pub const EVALUATED: &[&str] = &[
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
    "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
    "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
    "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
];

/// Checks every component in the scope of every evaluated control.
pub fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    for control in &input.inference.controls {
        if !control.certainty.is_certain() || !EVALUATED.contains(&control.name.as_str()) {
            continue;
        }
        for c in &input.inference.components {
            let primary = input.model.get(c.primary);
            let backup_type = input
                .kb
                .family(&c.family)
                .and_then(|f| f.backup_type.as_deref());
            let names = crate::infer::link::resource_names(primary, input.kb);
            if in_scope(&control.scope, primary, backup_type, &names) != Some(true) {
                continue;
            }
            if let Some(shortfall) = shortfall(input, control, c) {
                out.push(finding(input, control, c, shortfall));
            }
        }
    }
}

/// What falls short, with the target in seconds when there is one.
struct Shortfall {
    what: String,
    target: Option<u64>,
    estimate: Option<u64>,
}

/// The AWS Backup recovery points of a component (rules and their copies): the certain ones,
/// and whether any uncertain one exists.
fn aws_backup<'c>(input: &Input<'_>, c: &'c Component) -> (Vec<&'c Mechanism>, bool) {
    let all: Vec<&Mechanism> = c
        .mechanisms
        .iter()
        .filter(|m| m.kind.is_backup())
        .filter(|m| {
            input
                .kb
                .resource(&input.model.get(m.origin).rtype)
                .and_then(|s| s.role)
                == Some(Role::BackupPlan)
        })
        .collect();
    let uncertain = all.iter().any(|m| !m.certainty.is_certain());
    (
        all.into_iter()
            .filter(|m| m.certainty.is_certain())
            .collect(),
        uncertain,
    )
}

fn retention_at_least(m: &Mechanism, secs: u64) -> Option<bool> {
    match &m.retention {
        Some(Retention::Unbounded) | None => Some(true),
        Some(Retention::Known { secs: s, .. }) => Some(*s >= secs),
        Some(Retention::Unknown { .. }) => None,
    }
}

fn days_param(control: &Control, name: &str, default: u64) -> Option<u64> {
    match control.param(name) {
        None => Some(default * DAY),
        // A parameter is input: an absurd number of days saturates, never overflows.
        Some(v) => v.trim().parse::<u64>().ok().map(|d| d.saturating_mul(DAY)),
    }
}

fn shortfall(input: &Input<'_>, control: &Control, c: &Component) -> Option<Shortfall> {
    // A parameter that cannot be read decides nothing.
    if !control.unknown_params.is_empty() {
        return None;
    }
    let (backups, uncertain) = aws_backup(input, c);
    // What is missing may be given by a plan that may or may not reach it: undecided.
    found(control, c, &backups)?.filter(|_| !uncertain)
}

/// `None`: undecided; `Some(None)`: met; `Some(Some(_))`: what falls short.
fn found(control: &Control, c: &Component, backups: &[&Mechanism]) -> Option<Option<Shortfall>> {
    Some(match control.name.as_str() {
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" => backups.is_empty().then(|| Shortfall {
            what: "no AWS Backup plan selects it".into(),
            target: None,
            estimate: None,
        }),
        "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK" => {
            let unit = match control
                .param("requiredFrequencyUnit")
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None | Some("days") => DAY,
                Some("hours") => 3_600,
                Some("minutes") => 60,
                Some(_) => return None,
            };
            let value = match control.param("requiredFrequencyValue") {
                None => 1,
                Some(v) => v.trim().parse::<u64>().ok()?,
            };
            let every = unit.saturating_mul(value);
            let keep = days_param(control, "requiredRetentionDays", 35)?;
            let meets = |m: &&Mechanism| {
                m.rpo.secs().is_some_and(|r| r <= every)
                    && retention_at_least(m, keep) == Some(true)
            };
            if backups.iter().any(meets) {
                return Some(None);
            }
            // Undecidable when a rule's interval or retention is unknown.
            if backups
                .iter()
                .any(|m| m.rpo.secs().is_none() || retention_at_least(m, keep).is_none())
            {
                return None;
            }
            let best = backups.iter().filter_map(|m| m.rpo.secs()).min();
            Some(Shortfall {
                what: format!(
                    "no AWS Backup rule that reaches it runs at least every {} and keeps recovery points {}{}",
                    crate::duration::format(every),
                    crate::duration::format(keep),
                    match best {
                        Some(b) => format!(
                            " (the most frequent runs every {})",
                            crate::duration::format(b)
                        ),
                        None => " (no AWS Backup plan selects it)".into(),
                    }
                ),
                target: Some(every),
                estimate: best,
            })
        }
        "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK" => {
            let keep = days_param(control, "requiredRetentionDays", 35)?;
            let short: Vec<&&Mechanism> = backups
                .iter()
                .filter(|m| retention_at_least(m, keep) == Some(false))
                .collect();
            let Some(first) = short.first() else {
                return Some(None);
            };
            let kept = match &first.retention {
                Some(Retention::Known { secs, .. }) => Some(*secs),
                _ => None,
            };
            Some(Shortfall {
                what: format!(
                    "{} keeps recovery points {} where the control requires {}",
                    first.label,
                    kept.map(crate::duration::format)
                        .unwrap_or_else(|| "?".into()),
                    crate::duration::format(keep)
                ),
                target: Some(keep),
                estimate: kept,
            })
        }
        "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION" => {
            let wanted: Vec<String> = control
                .param("crossRegionList")
                .map(|l| {
                    l.split(',')
                        .map(|r| r.trim().to_string())
                        .filter(|r| !r.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let copies: Vec<&&Mechanism> = backups
                .iter()
                .filter(|m| m.kind == MechanismKind::BackupCopy)
                .collect();
            let ok = |m: &&&Mechanism| match m.region.name() {
                Some(r) if wanted.is_empty() => {
                    c.home.is_outside(&m.region) == Some(true) && !r.is_empty()
                }
                Some(r) => wanted.iter().any(|w| w == r),
                None => false,
            };
            if copies.iter().any(ok) {
                return Some(None);
            }
            if copies.iter().any(|m| m.region.name().is_none()) {
                return None;
            }
            Some(Shortfall {
                what: if wanted.is_empty() {
                    "no AWS Backup rule that reaches it copies its recovery points to another region".into()
                } else {
                    format!(
                        "no AWS Backup rule that reaches it copies its recovery points to {}",
                        wanted.join(" or ")
                    )
                },
                target: None,
                estimate: None,
            })
        }
        _ => None,
    })
}

fn finding(input: &Input<'_>, control: &Control, c: &Component, s: Shortfall) -> Finding {
    let primary = input.model.get(c.primary);
    let framework = input.model.get(control.framework);
    let mut f = Finding::new(
        &META,
        format!(
            "{} falls short of control `{}` of Backup Audit Manager framework {}: {}.",
            primary.address, control.name, framework.address, s.what
        ),
        "framework control not met",
        "add or change an AWS Backup plan rule and selection that reach it as the control requires, or narrow the control's scope",
        primary.span,
    )
    .about(primary);
    f.key = format!("framework-control/{}", control.name);
    f.related.push(Related {
        span: control.span,
        message: format!("control `{}` declared here", control.name),
    });
    f.facts = Facts {
        target_seconds: s.target,
        estimate_seconds: s.estimate,
        ..Facts::default()
    };
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::aws::framework::ControlScope;
    use crate::model::ResourceId;

    fn control(params: &[(&str, &str)]) -> Control {
        Control {
            framework: ResourceId(0),
            name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK".into(),
            span: Default::default(),
            params: params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            unknown_params: Vec::new(),
            scope: ControlScope::default(),
            certainty: crate::infer::Certainty::Certain,
        }
    }

    #[test]
    fn day_parameters_default_parse_and_saturate() {
        assert_eq!(
            days_param(&control(&[]), "requiredRetentionDays", 35),
            Some(35 * DAY)
        );
        let c = control(&[("requiredRetentionDays", " 30 ")]);
        assert_eq!(days_param(&c, "requiredRetentionDays", 35), Some(30 * DAY));
        let huge = control(&[("requiredRetentionDays", "18446744073709551615")]);
        assert_eq!(
            days_param(&huge, "requiredRetentionDays", 35),
            Some(u64::MAX)
        );
        let bad = control(&[("requiredRetentionDays", "a month")]);
        assert_eq!(
            days_param(&bad, "requiredRetentionDays", 35),
            None,
            "undecided, not 35"
        );
    }
}
