//! Amazon Data Lifecycle Manager: snapshot policies for EBS volumes and EC2 instances.
//!
//! A policy in state `ENABLED` (the default) targets the volumes of its region that carry at
//! least one of its target tags [U]; a default policy (`DefaultPolicy: VOLUME`) targets every
//! volume of its region. Each schedule snapshots at its interval (`interval` hours, or a cron
//! expression) and keeps `count` snapshots or keeps them for an interval; a cross-region copy
//! rule keeps copies in the target region. Policies targeting `INSTANCE` snapshot the volumes of
//! the instances they target (the knowledge base's `target-families`).

use crate::infer::link::Linker;
use crate::infer::own::region_from_node;
use crate::infer::schedule::{self, Schedule};
use crate::infer::select::{Tri, reaches, tag_condition};
use crate::infer::{Certainty, Component, Estimate, InferOptions, Mechanism, Retention};
use crate::knowledge::predicate::{Context, Fact, NodeExt, eval_quantity_at};
use crate::knowledge::schema::Unit;
use crate::knowledge::{KnowledgeBase, MechanismKind, ResourceSpec, Role};
use crate::model::node::Node;
use crate::model::{Region, Resource, Tags};
use crate::source::Span;

/// Adds DLM snapshot mechanisms to the components of the volumes each policy targets.
pub fn apply(
    kb: &KnowledgeBase,
    linker: &Linker<'_>,
    options: &InferOptions,
    components: &mut [Component],
    index: &[Option<usize>],
) {
    for (policy, spec) in linker.with_role(Role::DlmPolicy) {
        let field = |name: &str| spec.field(name).and_then(|p| policy.body.value_at(p));
        let mut policy_certainty = Certainty::Certain;
        if let Some(state) = field("state") {
            match state.as_str() {
                Some(s) if s.eq_ignore_ascii_case("DISABLED") => continue,
                Some(_) => {}
                None => {
                    policy_certainty = Certainty::Uncertain {
                        reason: format!(
                            "whether {} is enabled is unknown: {}",
                            policy.address,
                            state.unknown_reason().unwrap_or_default()
                        ),
                        span: state.span,
                    }
                }
            }
        }
        // The families it snapshots: a default policy's kind, or its resource types.
        let (families, schedules) = match field("default-policy") {
            Some(kind) => (
                target_families(spec, std::slice::from_ref(&kind)),
                default_policy_schedule(policy, spec),
            ),
            None => (
                target_families(
                    spec,
                    &policy
                        .body
                        .lookup(spec.field("resource-types").unwrap_or("")),
                ),
                policy
                    .body
                    .lookup(spec.field("schedules").unwrap_or(""))
                    .into_iter()
                    .map(|s| read_schedule(spec, s, options))
                    .collect(),
            ),
        };
        let target_tags = field("target-tags").map(|n| Tags::from_node(n, false));
        for family in families {
            let restore = crate::infer::restore_rto(kb, family);
            for r in linker.all_of(family) {
                let Some(ci) = index[r.id.index()] else {
                    continue;
                };
                let targeted = match &target_tags {
                    None => Tri::Yes,
                    Some(tags) => targeted_by(tags, r, policy),
                };
                let in_region = reaches(policy, r, "a DLM policy", options.same_account);
                let Some(certainty) = targeted.and(in_region).certainty() else {
                    continue;
                };
                let certainty = policy_certainty
                    .clone()
                    .and(certainty)
                    .and(Certainty::existence(policy));
                for s in &schedules {
                    components[ci]
                        .mechanisms
                        .extend(s.mechanisms(policy, r, &certainty, &restore));
                }
            }
        }
    }
}

/// The families a policy's resource types (`VOLUME`, `INSTANCE`) target: with no type, or an
/// unknown one, every family the knowledge base maps.
fn target_families<'k>(spec: &'k ResourceSpec, types: &[&Node]) -> Vec<&'k str> {
    let mapped = |t: &str| -> Option<&'k str> {
        match spec.target_families.get(&t.to_ascii_uppercase()) {
            Some(f) => Some(f.as_str()),
            None if spec.target_families.is_empty() && t.eq_ignore_ascii_case("VOLUME") => {
                spec.target_family.as_deref()
            }
            None => None,
        }
    };
    let all = || -> Vec<&'k str> {
        let mut v: Vec<&str> = spec.target_families.values().map(String::as_str).collect();
        v.extend(spec.target_family.as_deref());
        v.sort();
        v.dedup();
        v
    };
    if types.is_empty() || types.iter().any(|t| t.is_unknown()) {
        return all();
    }
    let mut v: Vec<&str> = types
        .iter()
        .filter_map(|t| t.as_str())
        .filter_map(|t| mapped(&t))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A resource is targeted when it has at least one of the target tags.
fn targeted_by(tags: &Tags, r: &Resource, policy: &Resource) -> Tri {
    if let Some((reason, span)) = &tags.unknown {
        return Tri::Maybe {
            reason: format!(
                "the target tags of {} are unknown: {reason}",
                policy.address
            ),
            span: *span,
        };
    }
    let mut t = Tri::No;
    for tag in &tags.entries {
        let key = Node::string(tag.key.clone(), tag.span);
        t = t.or(tag_condition(&key, &tag.value, r, false, tag.span));
    }
    t
}

/// One schedule of a policy.
struct DlmSchedule {
    name: String,
    rpo: Estimate,
    cadence: Option<String>,
    retention: Retention,
    span: Span,
    copies: Vec<(Region, Retention, Span)>,
}

impl DlmSchedule {
    fn mechanisms(
        &self,
        policy: &Resource,
        r: &Resource,
        certainty: &Certainty,
        restore: &Estimate,
    ) -> Vec<Mechanism> {
        let label = format!("DLM schedule `{}` of {}", self.name, policy.address);
        let mk = |kind, span, region: Region, retention: Retention, label: String| Mechanism {
            kind,
            id: "dlm".into(),
            label,
            cadence: self.cadence.clone(),
            origin: policy.id,
            protects: r.id,
            span,
            certainty: certainty.clone(),
            rpo: self.rpo.clone(),
            rto: restore.clone(),
            retention: Some(retention),
            region,
            mode: None,
            implicit: None,
            single_zone: None,
            spans_regions: false,
        };
        let mut out = vec![mk(
            MechanismKind::ScheduledBackup,
            self.span,
            r.region.clone(),
            self.retention.clone(),
            label.clone(),
        )];
        for (region, retention, span) in &self.copies {
            out.push(mk(
                MechanismKind::BackupCopy,
                *span,
                region.clone(),
                retention.clone(),
                format!("copy to {} by {label}", region.label()),
            ));
        }
        out
    }
}

fn read_schedule(spec: &ResourceSpec, s: &Node, options: &InferOptions) -> DlmSchedule {
    let get = |field: &str| spec.field(field).and_then(|p| s.first(p));
    let name = get("schedule-name")
        .and_then(|n| n.as_str().map(|x| x.into_owned()))
        .unwrap_or_else(|| "unnamed".into());
    if let Some(reason) = s.unknown_reason() {
        return unknown_schedule(name, reason, s.span);
    }
    let (sched, span) = match (get("create-cron"), get("create-interval")) {
        (Some(cron), _) => (
            cron.as_str()
                .ok_or_else(|| {
                    cron.unknown_reason()
                        .unwrap_or_else(|| "the cron expression is not a string".into())
                })
                .and_then(|c| {
                    schedule::parse_aws_schedule(&c, None, options.now)
                        .map_err(|e| format!("`{c}` is not valid: {e}"))
                }),
            cron.span,
        ),
        (None, Some(interval)) => {
            let unit = get("create-interval-unit")
                .and_then(|u| u.as_str().map(|x| x.into_owned()))
                .unwrap_or_else(|| "HOURS".into());
            (
                interval
                    .as_f64()
                    .ok_or_else(|| {
                        interval
                            .unknown_reason()
                            .unwrap_or_else(|| "the interval is not a number".into())
                    })
                    .and_then(|i| whole_hours(i, &unit)),
                interval.span,
            )
        }
        (None, None) => (Err("the schedule has no create rule".to_string()), s.span),
    };
    let sched = match sched {
        Ok(sc) => sc,
        Err(reason) => return unknown_schedule(name, reason, span),
    };
    let rpo = match sched.max_gap_secs() {
        Some(g) => Estimate::Known {
            secs: g,
            basis: "DLM create rule".into(),
        },
        None => Estimate::Unknown {
            reason: "the schedule stops running".into(),
            span,
            upper: None,
        },
    };
    let retention = retain(
        &get("retain-count"),
        &get("retain-interval"),
        &get("retain-interval-unit"),
        &sched,
        span,
    );
    let copies = spec
        .field("copies")
        .map(|p| s.lookup(p))
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let cget = |f: &str| spec.field(f).and_then(|p| c.first(p));
            let region = cget("copy-target-region")
                .or_else(|| cget("copy-target"))
                .map(region_from_node)
                .unwrap_or(Region::Unknown {
                    reason: "the copy rule names no target region".into(),
                });
            let retention = retain(
                &None,
                &cget("copy-retain-interval"),
                &cget("copy-retain-interval-unit"),
                &sched,
                c.span,
            );
            (region, retention, c.span)
        })
        .collect();
    DlmSchedule {
        name,
        rpo,
        cadence: Some(sched.describe()),
        retention,
        span,
        copies,
    }
}

/// A DLM create interval: a whole number of hours (1.5 is not 1).
fn whole_hours(interval: f64, unit: &str) -> Result<Schedule, String> {
    if interval.fract() != 0.0 {
        return Err(format!(
            "the interval {} is not a whole number",
            crate::model::node::format_number(interval)
        ));
    }
    // Whole and finite: the conversion is exact, or saturates far outside the valid intervals.
    schedule::dlm_interval(interval as i64, unit).map_err(|e| e.to_string())
}

fn unknown_schedule(name: String, reason: String, span: Span) -> DlmSchedule {
    DlmSchedule {
        name,
        rpo: Estimate::Unknown {
            reason: reason.clone(),
            span,
            upper: None,
        },
        cadence: None,
        retention: Retention::Unknown { reason, span },
        span,
        copies: Vec::new(),
    }
}

/// Retention from `count` snapshots (count × the shortest gap) or an interval.
fn retain(
    count: &Option<&Node>,
    interval: &Option<&Node>,
    unit: &Option<&Node>,
    sched: &Schedule,
    span: Span,
) -> Retention {
    if let Some(c) = count {
        return match (c.as_f64(), sched.min_gap_secs()) {
            (Some(n), Some(gap)) if n >= 0.0 => Retention::Known {
                secs: (n as u64).saturating_mul(gap),
                span: c.span,
                implicit: None,
            },
            _ => Retention::Unknown {
                reason: c
                    .unknown_reason()
                    .unwrap_or_else(|| "the retain count is not a number".into()),
                span: c.span,
            },
        };
    }
    if let Some(i) = interval {
        let unit = unit.and_then(|u| u.as_str().map(|s| s.to_ascii_uppercase()));
        let factor = match unit.as_deref() {
            Some("DAYS") => 86_400,
            Some("WEEKS") => 7 * 86_400,
            Some("MONTHS") => 30 * 86_400,
            Some("YEARS") => 365 * 86_400,
            _ => {
                return Retention::Unknown {
                    reason: "the retain interval unit is unknown".into(),
                    span: i.span,
                };
            }
        };
        return match i.as_f64() {
            Some(n) if n >= 0.0 => Retention::Known {
                secs: (n as u64).saturating_mul(factor),
                span: i.span,
                implicit: None,
            },
            _ => Retention::Unknown {
                reason: i
                    .unknown_reason()
                    .unwrap_or_else(|| "the retain interval is not a number".into()),
                span: i.span,
            },
        };
    }
    Retention::Unknown {
        reason: "the schedule has no retain rule".into(),
        span,
    }
}

/// A default policy snapshots every volume (or instance) of its region every `CreateInterval`
/// days.
fn default_policy_schedule(policy: &Resource, spec: &ResourceSpec) -> Vec<DlmSchedule> {
    // AWS defaults: create every day, retain 7 days [U].
    let ctx = Context::resource(&policy.body, policy.span);
    let days = |field: &str, default: f64| {
        eval_quantity_at(spec.field(field), Unit::Days, Some(default), &ctx)
    };
    let (rpo, span) = match days("default-create-interval-days", 1.0) {
        Some(Fact::Known { value, span, .. }) => (
            Estimate::Known {
                secs: value,
                basis: "DLM default policy CreateInterval".into(),
            },
            span,
        ),
        Some(Fact::Unknown { reason, span }) => (
            Estimate::Unknown {
                reason,
                span,
                upper: None,
            },
            span,
        ),
        None => (
            Estimate::Unknown {
                reason: "the policy has no create interval".into(),
                span: policy.span,
                upper: None,
            },
            policy.span,
        ),
    };
    let retention = Retention::from(days("default-retain-interval-days", 7.0));
    let copies = spec
        .field("default-copy-targets")
        .map(|p| policy.body.lookup(p))
        .unwrap_or_default()
        .into_iter()
        .map(|t| (region_from_node(t), retention.clone(), t.span))
        .collect();
    let cadence = rpo
        .secs()
        .map(|s| format!("every {}", crate::duration::format(s)));
    vec![DlmSchedule {
        name: "default policy".into(),
        rpo,
        cadence,
        retention,
        span,
        copies,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::testing::{component, infer_cfn, kb};

    const VOLUME: &str = "
  Vol:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 10
      Tags: [{ Key: backup, Value: daily }]
";

    /// A tag-targeted policy with one schedule.
    fn tagged_policy(create_rule: &str) -> String {
        format!(
            "
  Policy:
    Type: AWS::DLM::LifecyclePolicy
    Properties:
      PolicyDetails:
        ResourceTypes: [VOLUME]
        TargetTags: [{{ Key: backup, Value: daily }}]
        Schedules:
          - Name: s
            CreateRule: {create_rule}
            RetainRule: {{ Count: 3 }}
"
        )
    }

    fn dlm_mechanisms(policy: &str) -> Vec<Mechanism> {
        let kb = kb();
        let (model, inf) = infer_cfn(&kb, &format!("Resources:{VOLUME}{policy}"));
        component(&model, &inf, "Vol")
            .mechanisms
            .iter()
            .filter(|m| m.id == "dlm")
            .cloned()
            .collect()
    }

    #[test]
    fn huge_default_policy_intervals_do_not_overflow() {
        let ms = dlm_mechanisms(
            "
  Default:
    Type: AWS::DLM::LifecyclePolicy
    Properties: { DefaultPolicy: VOLUME, CreateInterval: 1e15, RetainInterval: 1e15 }
",
        );
        assert_eq!(ms.len(), 1);
        assert!(ms[0].rpo.secs().is_some_and(|s| s > 1_000_000), "{ms:?}");
        assert!(
            matches!(ms[0].retention, Some(Retention::Known { secs, .. }) if secs > 1_000_000),
            "{ms:?}"
        );
    }

    #[test]
    fn default_policy_intervals_follow_eval_quantity() {
        let ms = dlm_mechanisms(
            "
  Default:
    Type: AWS::DLM::LifecyclePolicy
    Properties: { DefaultPolicy: VOLUME, CreateInterval: -3 }
",
        );
        assert!(
            matches!(&ms[0].rpo, Estimate::Unknown { reason, .. } if reason.contains("non-negative")),
            "{ms:?}"
        );
        assert!(
            matches!(ms[0].retention, Some(Retention::Known { secs, implicit: Some(_), .. }) if secs == 7 * 86_400),
            "{ms:?}"
        );
    }

    #[test]
    fn interval_schedules_are_whole_hours() {
        let ms = dlm_mechanisms(&tagged_policy("{ Interval: 12, IntervalUnit: HOURS }"));
        assert_eq!(ms.len(), 1, "{ms:?}");
        assert_eq!(ms[0].rpo.secs(), Some(12 * 3_600));
        assert!(
            matches!(ms[0].retention, Some(Retention::Known { secs, .. }) if secs == 36 * 3_600),
            "{ms:?}"
        );
        for fractional in ["1.5", "12.7"] {
            let ms = dlm_mechanisms(&tagged_policy(&format!(
                "{{ Interval: {fractional}, IntervalUnit: HOURS }}"
            )));
            assert!(
                matches!(&ms[0].rpo, Estimate::Unknown { reason, .. }
                    if reason == &format!("the interval {fractional} is not a whole number")),
                "{fractional}: {ms:?}"
            );
        }
    }

    #[test]
    fn cron_schedules_go_through_the_aws_cron_parser() {
        let ms = dlm_mechanisms(&tagged_policy("{ CronExpression: 'cron(0 9 ? * * *)' }"));
        assert_eq!(ms[0].rpo.secs(), Some(86_400));
        assert_eq!(ms[0].cadence.as_deref(), Some("daily"));
        assert!(
            matches!(ms[0].retention, Some(Retention::Known { secs, .. }) if secs == 3 * 86_400),
            "{ms:?}"
        );
        let ms = dlm_mechanisms(&tagged_policy("{ CronExpression: 'cron(0 9 * * * *)' }"));
        assert!(
            matches!(&ms[0].rpo, Estimate::Unknown { reason, .. } if reason.contains("is not valid")),
            "both day fields set: {ms:?}"
        );
    }
}
