//! RES015 recovery-unmonitored: the tier requires monitoring and nothing notifies anyone when
//! the resource's backups fail or its replication falls behind.
//!
//! What needs watching and what watches it are inferred ([`crate::infer::monitoring`], per cloud
//! in `infer/<cloud>/monitoring.rs`) from the
//! knowledge base: the vaults AWS Backup writes the resource's backups to, and the asynchronous
//! replicas whose family names a lag metric (a CloudWatch alarm on AWS, an Azure Monitor metric
//! alert on Azure, a Cloud Monitoring alert policy on Google Cloud), and the Azure Backup vaults
//! a resource is backed up to (their built-in job-failure alerts, routed by an alert processing
//! rule). Anything else (backups a service takes itself, Google Cloud backups, a replication
//! without a known lag metric) is not evaluated: no finding.

use crate::evaluate::context::{ComponentContext, Verdict};
use crate::evaluate::{Facts, Finding, LevelSpec, Related, RuleMeta, Undecided};
use crate::infer::monitoring::{Coverage, VaultAlerts, Watch, WatchKind};
use crate::infer::{Assume, Certainty};
use crate::knowledge::Role;
use crate::model::Frontend;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES015",
    name: "recovery-unmonitored",
    summary: "The tier requires monitoring and nothing notifies anyone when the resource's backups fail or its replication falls behind.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "monitoring", "backup"],
    doc: include_str!("../../../rules/docs/RES015-recovery-unmonitored.md"),
};

/// Checks that something notifies when each watched thing goes wrong.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    if !cx.tier.monitoring {
        return;
    }
    for w in &cx.component.watches {
        let verdict = cx.decide(|a| {
            // `--strict` treats what may not exist (a replica, a plan's selection) as absent:
            // then nothing needs watching.
            let needed = w.needed.is_certain() || (a == Assume::Pessimistic && !cx.input.strict);
            let covered = match &w.coverage {
                Coverage::By { .. } => true,
                Coverage::Unknown { .. } => a == Assume::Optimistic,
                Coverage::None => false,
            };
            needed && !covered
        });
        match verdict {
            Verdict::Pass => {}
            Verdict::Undecided => {
                let mut unknowns = Vec::new();
                if let Certainty::Uncertain { reason, span } = &w.needed {
                    unknowns.push((reason.clone(), *span));
                }
                if let Coverage::Unknown { reason, span } = &w.coverage {
                    unknowns.push((reason.clone(), *span));
                }
                undecided.push(Undecided {
                    rule: &META,
                    unknowns,
                });
            }
            Verdict::Violation => out.push(finding(cx, w)),
        }
    }
}

/// ` Not counted: X (file:line); Y (file:line).`, or nothing.
fn near(cx: &ComponentContext<'_>, w: &Watch) -> String {
    let parts: Vec<String> = w
        .near
        .iter()
        .map(|(what, span)| format!("{what} ({})", cx.at(*span)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" Not counted: {}.", parts.join("; "))
    }
}

/// The first type of a role written for the resource's front end (`aws_cloudwatch_event_rule`,
/// `AWS::Events::Rule`).
fn type_for(cx: &ComponentContext<'_>, role: Role) -> Option<String> {
    let cfn = cx.primary.frontend == Frontend::CloudFormation;
    cx.input
        .kb
        .types_with_role(role)
        .into_iter()
        .find(|t| t.contains("::") == cfn)
        .map(str::to_string)
}

fn finding(cx: &ComponentContext<'_>, w: &Watch) -> Finding {
    let member = cx.input.model.get(w.protects);
    let (message, label, help, key) = match w.kind {
        WatchKind::Backups if w.vault_alerts.is_some() => {
            let rule = cx
                .input
                .kb
                .azure_backup_alerts()
                .map(|a| a.processing_rule.rtype.clone())
                .unwrap_or_else(|| "alert processing rule".into());
            let route = format!(
                "an {rule} whose `scopes` include the vault or its resource group, with `add_action_group_ids`"
            );
            let (why, help) = match &w.vault_alerts {
                Some(VaultAlerts::Off { setting }) => {
                    // `monitoring.alerts_for_all_job_failures_enabled` as written in HCL.
                    let written = |value: &str| match setting.split_once('.') {
                        Some((block, attr)) => format!("{block} {{ {attr} = {value} }}"),
                        None => format!("{setting} = {value}"),
                    };
                    (
                        format!(
                            "whose built-in job-failure alerts are turned off (`{}`)",
                            written("false")
                        ),
                        format!("set `{}` on the vault, and add {route}", written("true")),
                    )
                }
                _ => (
                    "whose built-in job-failure alerts no alert processing rule routes to an action group".to_string(),
                    format!("add {route}, so that the vault's built-in job-failure alerts notify someone"),
                ),
            };
            (
                backups_message(cx, w, &member.address, &why),
                "failed backups notify no one",
                help,
                format!("monitoring/backups/{}", w.subject),
            )
        }
        WatchKind::Backups => {
            let alerts = cx.input.kb.backup_alerts();
            let events = alerts
                .map(|a| a.vault_events.join(" or "))
                .unwrap_or_default();
            let source = alerts.map(|a| a.event_source.clone()).unwrap_or_default();
            let notifications = match (
                type_for(cx, Role::BackupVaultNotifications),
                cx.primary.frontend,
            ) {
                (Some(t), _) => format!("{t} for {} with {events}", w.subject),
                (None, Frontend::CloudFormation) => format!(
                    "`Notifications` with `BackupVaultEvents` {events} on {}",
                    w.subject
                ),
                (None, _) => format!("vault notifications with {events}"),
            };
            let rule = type_for(cx, Role::EventRule).unwrap_or_else(|| "EventBridge rule".into());
            // When deprecated events are what the configuration relies on, say so.
            let deprecated = match alerts.and_then(|a| a.deprecated_vault_events.first()) {
                Some(d) if !w.near.is_empty() => {
                    format!(" (it reports failed jobs too; `{d}` is deprecated and no longer sent)")
                }
                _ => String::new(),
            };
            (
                backups_message(
                    cx,
                    w,
                    &member.address,
                    "which has no notification for failed jobs, and no EventBridge rule or alarm watches failed backup jobs",
                ),
                "failed backups notify no one",
                format!(
                    "add {notifications}{deprecated}, or an {rule} on `{source}` events of failed backup jobs"
                ),
                format!("monitoring/backups/{}", w.subject),
            )
        }
        WatchKind::Lag => {
            let hint = w.metric.as_ref();
            let metrics = hint
                .map(|h| {
                    h.metrics
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                })
                .unwrap_or_default();
            let namespace = hint.map(|h| h.namespace.clone()).unwrap_or_default();
            let dims = hint
                .map(|h| {
                    h.dimensions
                        .iter()
                        .map(|(name, value)| format!("{name} = {value}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let region = hint
                .and_then(|h| h.region.name().map(str::to_string))
                .map(|r| format!(" in {r}"))
                .unwrap_or_default();
            let alert = hint.map_or(Role::MetricAlarm, |h| h.alert);
            let alert_type = type_for(cx, alert);
            let alarm = alert_type.clone().unwrap_or_else(|| "alarm".into());
            let scope = hint
                .and_then(|h| h.scope.clone())
                .unwrap_or_else(|| "the replica".into());
            let (message, help) = match alert {
                Role::MetricAlert => (
                    format!(
                        "Nothing notifies anyone when the replication of {} falls behind; {} requires monitoring. No {} scoped to {scope} has a criterion on {metrics} (namespace `{namespace}`): the lag of its {} ({}).{}",
                        member.address,
                        cx.tier_phrase(),
                        alert_type
                            .as_deref()
                            .unwrap_or("Azure Monitor metric alert"),
                        w.subject,
                        cx.at(w.span),
                        near(cx, w)
                    ),
                    format!(
                        "add an {} with `scopes` = [the id of {scope}] and a `criteria` block on metric {metrics} (`metric_namespace = \"{namespace}\"`), whose action group notifies someone",
                        alert_type
                            .as_deref()
                            .unwrap_or("Azure Monitor metric alert")
                    ),
                ),
                Role::AlertPolicy => {
                    let labels = hint
                        .map(|h| {
                            h.dimensions
                                .iter()
                                .map(|(name, value)| format!("`resource.labels.{name}` = {value}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    let restrict = if labels.is_empty() {
                        String::new()
                    } else {
                        format!(", unrestricted or restricted to {labels}")
                    };
                    (
                        format!(
                            "Nothing notifies anyone when the replication of {} falls behind; {} requires monitoring. No {} has a condition on {metrics} (resource type `{namespace}`){restrict}: the lag of its {} ({}).{}",
                            member.address,
                            cx.tier_phrase(),
                            alert_type
                                .as_deref()
                                .unwrap_or("Cloud Monitoring alert policy"),
                            w.subject,
                            cx.at(w.span),
                            near(cx, w)
                        ),
                        format!(
                            "add a {} whose `condition_threshold.filter` names `metric.type` {metrics} and `resource.type = \"{namespace}\"`, with a notification channel",
                            alert_type
                                .as_deref()
                                .unwrap_or("Cloud Monitoring alert policy")
                        ),
                    )
                }
                _ => (
                    format!(
                        "Nothing notifies anyone when the replication of {} falls behind; {} requires monitoring. No alarm{region} watches {metrics} ({namespace}) with {dims}: the lag of its {} ({}).{}",
                        member.address,
                        cx.tier_phrase(),
                        w.subject,
                        cx.at(w.span),
                        near(cx, w)
                    ),
                    format!(
                        "add an {alarm} on {metrics} (namespace `{namespace}`) with dimensions {dims}{region}, whose action notifies someone"
                    ),
                ),
            };
            (
                message,
                "replication lag notifies no one",
                help,
                format!("monitoring/lag/{}", w.subject),
            )
        }
    };

    let (span, mut related) = cx.locate(None);
    related.insert(
        0,
        Related {
            span: w.span,
            message: match w.kind {
                WatchKind::Backups => format!("backups go to {}", w.subject),
                WatchKind::Lag => w.subject.clone(),
            },
        },
    );
    // What almost counts is evidence too (and a change to it shows the finding in a
    // diff-aware run).
    for (what, span) in &w.near {
        related.push(Related {
            span: *span,
            message: format!("not counted: {what}"),
        });
    }
    let mut f = cx.finding(&META, message, label, help, (span, related));
    f.key = key;
    f.facts = Facts {
        mechanism: Some(w.subject.clone()),
        ..cx.facts()
    };
    f
}

/// Where the watched thing is declared: `aws_backup_vault.main, backup.tf:1`, or `backup.tf:12`.
fn declared(cx: &ComponentContext<'_>, w: &Watch) -> String {
    match w.declared_by {
        Some(id) => format!("{}, {}", cx.input.model.get(id).address, cx.at(w.span)),
        None => cx.at(w.span),
    }
}

/// The first letter in upper case.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Joins phrases with commas and a final "and".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// `Nothing notifies anyone when backups of X fail; tier … requires monitoring. AWS Backup rule
/// … writes to vault … (backup.tf:3), <why>.` and what almost counts.
fn backups_message(cx: &ComponentContext<'_>, w: &Watch, address: &str, why: &str) -> String {
    format!(
        "Nothing notifies anyone when backups of {address} fail; {} requires monitoring. {} {} to {} ({}), {why}.{}",
        cx.tier_phrase(),
        capitalize(&and_list(&w.because)),
        if w.because.len() == 1 {
            "writes"
        } else {
            "write"
        },
        w.subject,
        declared(cx, w),
        near(cx, w)
    )
}
