//! Monitoring on AWS (RES015): the vaults' notifications, EventBridge rules on failed backup
//! jobs, and CloudWatch alarms on a failed-jobs metric or on a replica's lag metric; the shared
//! [`Watch`] and how answers combine are in [`crate::infer::monitoring`].

use crate::infer::link::{Linker, Target, resource_names};
use crate::infer::monitoring::{Answers, Cx, Watch, WatchKind, literal, maybe};
use crate::infer::select::Tri;
use crate::infer::{BackupTarget, Certainty, Component, Mechanism};
use crate::knowledge::Role;
use crate::knowledge::schema::{
    BackupAlertsSpec, DimensionSpec, DimensionValue, MetricRegion, MetricSpec,
};
use crate::model::node::{Kind, Map, Node};
use crate::model::{Model, Resource};
use crate::source::Span;

/// A vault's notifications, read once.
struct VaultNotification<'m> {
    resource: &'m Resource,
    /// What names the vault (a reference or its name); `None` for a vault's own
    /// notifications (CloudFormation's `Notifications`).
    vault: Option<Node>,
    events: Result<Vec<String>, (String, Span)>,
    span: Span,
}

/// An EventBridge rule, read once.
struct EventRule<'m> {
    resource: &'m Resource,
    pattern: Result<Node, (String, Span)>,
    bus: Tri,
}

/// One metric an alarm watches (its own, or one of its metric queries').
struct AlarmMetric {
    name: Result<String, (String, Span)>,
    namespace: Option<Result<String, (String, Span)>>,
    dimensions: Result<Vec<(String, Node)>, (String, Span)>,
}

/// A CloudWatch alarm, read once.
struct Alarm<'m> {
    resource: &'m Resource,
    metrics: Vec<AlarmMetric>,
}

/// Everything on AWS that notifies.
pub(crate) struct Notifiers<'m> {
    vaults: Vec<VaultNotification<'m>>,
    rules: Vec<EventRule<'m>>,
    alarms: Vec<Alarm<'m>>,
}

/// The backup targets of one member into one vault.
struct Group<'a> {
    targets: Vec<&'a BackupTarget>,
}

/// The targets grouped by member and vault, in order.
fn backup_groups(targets: &[BackupTarget]) -> Vec<Group<'_>> {
    let key = |t: &BackupTarget| -> String {
        let vault = match &t.vault {
            Target::Found(ids) if !ids.is_empty() => format!("{ids:?}"),
            Target::Found(_) | Target::External => {
                format!("name:{}", t.vault_name.as_deref().unwrap_or(""))
            }
            Target::Unknown { reason, .. } => format!("unknown:{reason}"),
        };
        format!("{}/{vault}", t.protects.index())
    };
    let mut groups: Vec<(String, Group<'_>)> = Vec::new();
    for t in targets {
        let k = key(t);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, g)) => g.targets.push(t),
            None => groups.push((k, Group { targets: vec![t] })),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Reads the vault notifications, EventBridge rules and CloudWatch alarms of the scan.
pub(crate) fn read_notifiers<'m>(model: &'m Model, linker: &Linker<'m>) -> Notifiers<'m> {
    let mut out = Notifiers {
        vaults: Vec::new(),
        rules: Vec::new(),
        alarms: Vec::new(),
    };
    for r in &model.resources {
        let Some(spec) = linker.spec(r.id) else {
            continue;
        };
        let field = |name: &str| spec.field(name);
        match spec.role {
            Some(Role::BackupVaultNotifications) => {
                let vault = field("vault")
                    .and_then(|p| r.attr(p))
                    .cloned()
                    .unwrap_or_else(|| {
                        Node::unknown(format!("{} names no vault", r.address), r.span)
                    });
                out.vaults.push(VaultNotification {
                    resource: r,
                    vault: Some(vault),
                    events: strings(field("events").and_then(|p| r.attr(p)), r.span),
                    span: field("events")
                        .and_then(|p| r.body.lookup_entry(p))
                        .map_or(r.span, |e| e.span()),
                });
            }
            Some(Role::BackupVault) => {
                let Some(entry) = field("notification-events").and_then(|p| r.body.lookup_entry(p))
                else {
                    continue;
                };
                out.vaults.push(VaultNotification {
                    resource: r,
                    vault: None,
                    events: strings(Some(&entry.value), entry.span()),
                    span: entry.span(),
                });
            }
            Some(Role::EventRule) => {
                // A rule without an event pattern runs on a schedule: it matches no event.
                let Some(pattern) = field("event-pattern")
                    .and_then(|p| r.attr(p))
                    .filter(|n| !n.is_null())
                    .map(event_pattern)
                else {
                    continue;
                };
                let bus = default_bus(field("event-bus").and_then(|p| r.attr(p)), r);
                out.rules.push(EventRule {
                    resource: r,
                    pattern,
                    bus,
                });
            }
            Some(Role::MetricAlarm) => {
                let metrics = alarm_metrics(r, spec);
                if !metrics.is_empty() {
                    out.alarms.push(Alarm {
                        resource: r,
                        metrics,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// A list of strings (or one string), or why it cannot be read.
fn strings(n: Option<&Node>, span: Span) -> Result<Vec<String>, (String, Span)> {
    let Some(n) = n else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in n.elements() {
        if e.is_null() {
            continue;
        }
        match e.as_str() {
            Some(s) if !e.is_unknown() => out.push(s.into_owned()),
            _ => {
                return Err((
                    e.unknown_reason()
                        .unwrap_or_else(|| "the events are not strings".into()),
                    if e.span == Span::default() {
                        span
                    } else {
                        e.span
                    },
                ));
            }
        }
    }
    Ok(out)
}

/// An event pattern as a node: written as a map (CloudFormation), or as JSON text (Terraform's
/// `jsonencode(...)` or a heredoc). A `jsonencode` of partly unknown values keeps the known
/// parts, the others unknown.
fn event_pattern(n: &Node) -> Result<Node, (String, Span)> {
    match &n.kind {
        Kind::Map(_) => Ok(n.clone()),
        Kind::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => Ok(from_json(&v, n.span, "")),
            Err(e) => Err((format!("the event pattern is not valid JSON: {e}"), n.span)),
        },
        Kind::Unknown(u) => match u
            .partial
            .as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        {
            Some(v) => Ok(from_json(&v, n.span, &u.reason)),
            None => Err((u.reason.clone(), n.span)),
        },
        _ => Err((
            n.unknown_reason()
                .unwrap_or_else(|| "the event pattern is not a JSON object".into()),
            n.span,
        )),
    }
}

/// A JSON value as a node, every part at `span`; a string holding an unknown part is unknown
/// for `reason`.
fn from_json(v: &serde_json::Value, span: Span, reason: &str) -> Node {
    use serde_json::Value;
    let kind = match v {
        Value::Null => Kind::Null,
        Value::Bool(b) => Kind::Bool(*b),
        Value::Number(x) => Kind::Number(x.as_f64().unwrap_or(0.0)),
        // An unknown part, another resource's attribute or a region placeholder.
        Value::String(s)
            if s.contains(crate::model::node::UNKNOWN_PART)
                || s.contains("${")
                || s.contains(crate::model::node::REGION_PLACEHOLDER_START) =>
        {
            return Node::unknown(reason, span);
        }
        Value::String(s) => Kind::String(s.clone()),
        Value::Array(items) => {
            Kind::List(items.iter().map(|i| from_json(i, span, reason)).collect())
        }
        Value::Object(o) => {
            let mut m = Map::default();
            for (k, v) in o {
                m.insert(k.clone(), span, from_json(v, span, reason));
            }
            Kind::Map(m)
        }
    };
    Node::new(kind, span)
}

/// Whether an EventBridge rule listens on the default event bus, where AWS services send
/// their events.
fn default_bus(bus: Option<&Node>, r: &Resource) -> Tri {
    let Some(bus) = bus.filter(|b| !b.is_null()) else {
        return Tri::Yes;
    };
    if bus.as_ref_target().is_some() {
        // A reference to an event bus resource: a custom bus.
        return Tri::No;
    }
    match bus.as_str() {
        Some(name) if !bus.is_unknown() => {
            Tri::from_bool(name == "default" || name.ends_with(":event-bus/default"))
        }
        _ => Tri::Maybe {
            reason: format!(
                "the event bus of {} is unknown: {}",
                r.address,
                bus.unknown_reason().unwrap_or_default()
            ),
            span: bus.span,
        },
    }
}

/// The metrics an alarm watches: its own metric and those of its metric queries.
fn alarm_metrics(r: &Resource, spec: &crate::knowledge::ResourceSpec) -> Vec<AlarmMetric> {
    let f = |name: &str| spec.field(name).unwrap_or("");
    let (dim_name, dim_value) = (spec.field("dimension-name"), spec.field("dimension-value"));
    let read = |node: &Node, name: &str, namespace: &str, dims: &str| -> Option<AlarmMetric> {
        let name_node = node.value_at(name).filter(|n| !n.is_null())?;
        let text = |n: &Node| match n.as_str() {
            Some(s) if !n.is_unknown() && n.as_ref_target().is_none() => Ok(s.into_owned()),
            _ => Err((
                n.unknown_reason()
                    .unwrap_or_else(|| "the metric name is not a string".into()),
                n.span,
            )),
        };
        Some(AlarmMetric {
            name: text(name_node),
            namespace: node.value_at(namespace).filter(|n| !n.is_null()).map(text),
            dimensions: dimensions(node.value_at(dims), dim_name, dim_value),
        })
    };
    let mut out = Vec::new();
    out.extend(read(
        &r.body,
        f("metric-name"),
        f("namespace"),
        f("dimensions"),
    ));
    for q in r.body.lookup(f("queries")) {
        if q.is_unknown() {
            out.push(AlarmMetric {
                name: Err((
                    q.unknown_reason()
                        .unwrap_or_else(|| "the metric queries are unknown".into()),
                    q.span,
                )),
                namespace: None,
                dimensions: Ok(Vec::new()),
            });
            continue;
        }
        out.extend(read(
            q,
            f("query-metric-name"),
            f("query-namespace"),
            f("query-dimensions"),
        ));
    }
    out
}

/// An alarm's dimensions: a map (Terraform), or a list of name/value items (CloudFormation).
fn dimensions(
    n: Option<&Node>,
    name_field: Option<&str>,
    value_field: Option<&str>,
) -> Result<Vec<(String, Node)>, (String, Span)> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Ok(Vec::new());
    };
    let unknown = |n: &Node| {
        (
            n.unknown_reason()
                .unwrap_or_else(|| "the alarm's dimensions cannot be read".into()),
            n.span,
        )
    };
    match (name_field, value_field) {
        (Some(name), Some(value)) => {
            let mut out = Vec::new();
            for item in n.elements() {
                if item.is_unknown() {
                    return Err(unknown(item));
                }
                let Some(key) = item.get(name) else {
                    continue;
                };
                match key.as_str() {
                    Some(k) if !key.is_unknown() => out.push((
                        k.into_owned(),
                        item.get(value)
                            .cloned()
                            .unwrap_or_else(|| Node::new(Kind::Null, item.span)),
                    )),
                    _ => return Err(unknown(key)),
                }
            }
            Ok(out)
        }
        _ => match &n.kind {
            Kind::Map(m) => Ok(m.iter().map(|e| (e.key.clone(), e.value.clone())).collect()),
            _ => Err(unknown(n)),
        },
    }
}

impl Cx<'_, '_> {
    /// The watches over a component's backups: those AWS Backup writes to a vault.
    pub(crate) fn backup_watches(&self, c: &Component) -> Vec<Watch> {
        let mut watches = Vec::new();
        if let Some(alerts) = self.kb.backup_alerts() {
            for group in backup_groups(&c.backup_targets) {
                watches.push(self.backup_watch(c, alerts, &group));
            }
        }
        watches
    }

    /// The watch over one member's backups into one vault.
    fn backup_watch(&self, c: &Component, alerts: &BackupAlertsSpec, g: &Group<'_>) -> Watch {
        let first = g.targets[0];
        let member = self.model.get(first.protects);
        let backup_type = self
            .kb
            .family(&c.family)
            .and_then(|f| f.backup_type.as_deref());
        let vault_res: Option<&Resource> = match &first.vault {
            Target::Found(ids) if ids.len() == 1 => Some(self.model.get(ids[0])),
            _ => None,
        };
        let vault_name = vault_res
            .and_then(|v| resource_names(v, self.kb).into_iter().next())
            .or_else(|| first.vault_name.clone());
        let (subject, declared_by) = match (vault_res, &vault_name) {
            (Some(v), Some(n)) => (format!("vault `{n}`"), Some(v.id)),
            (Some(v), None) => (format!("vault {}", v.address), None),
            (None, Some(n)) => (format!("vault `{n}`"), None),
            (None, None) => ("a vault that cannot be determined".into(), None),
        };
        let needed = match g.targets.iter().find(|t| t.certainty.is_certain()) {
            Some(_) => Certainty::Certain,
            None => first.certainty.clone(),
        };
        let because = g
            .targets
            .iter()
            .map(|t| match &t.rule {
                Some(rule) => format!(
                    "AWS Backup rule `{rule}` of {}",
                    self.model.get(t.plan).address
                ),
                None => format!("the AWS Backup rules of {}", self.model.get(t.plan).address),
            })
            .collect();
        let mut answers = Answers::default();
        // The vault's notifications.
        for n in &self.notifiers.aws.vaults {
            let same = self.same_vault(first, n);
            if matches!(same, Tri::No) {
                continue;
            }
            let place = match vault_res {
                Some(v) => self.place(n.resource, &v.region, v, "a vault's notifications"),
                None => self.place(
                    n.resource,
                    &member.region,
                    member,
                    "a vault's notifications",
                ),
            };
            let events = match &n.events {
                Ok(events) => {
                    let reports = events.iter().any(|e| alerts.vault_events.contains(e));
                    if !reports {
                        let deprecated: Vec<&String> = events
                            .iter()
                            .filter(|e| alerts.deprecated_vault_events.contains(e))
                            .collect();
                        if !deprecated.is_empty() && matches!(same, Tri::Yes) {
                            answers.near.push((
                                format!(
                                    "the notifications of {} report failed jobs with {}, {} AWS Backup no longer sends",
                                    n.resource.address,
                                    deprecated
                                        .iter()
                                        .map(|e| format!("`{e}`"))
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                    if deprecated.len() == 1 {
                                        "a deprecated event"
                                    } else {
                                        "deprecated events"
                                    }
                                ),
                                n.span,
                            ));
                        }
                    }
                    Tri::from_bool(reports)
                }
                Err((reason, span)) => Tri::Maybe {
                    reason: format!("the events of {} are unknown: {reason}", n.resource.address),
                    span: *span,
                },
            };
            let tri = same.and(events).and(place).and(Cx::exists(n.resource));
            answers.add(tri, n.resource, || {
                format!("the notifications of {} ({})", n.resource.address, {
                    alerts.vault_events.join(", ")
                })
            });
        }
        // EventBridge rules on failed backup jobs: every vault of their account and region.
        for e in &self.notifiers.aws.rules {
            let pattern = match &e.pattern {
                Ok(p) => backup_pattern(p, alerts, backup_type, e.resource),
                Err((reason, span)) => Tri::Maybe {
                    reason: format!(
                        "the event pattern of {} is unknown: {reason}",
                        e.resource.address
                    ),
                    span: *span,
                },
            };
            if matches!(pattern, Tri::No) {
                continue;
            }
            let tri = pattern
                .and(e.bus.clone())
                .and(self.place(e.resource, &member.region, member, "an EventBridge rule"))
                .and(Cx::exists(e.resource));
            answers.add(tri, e.resource, || {
                format!(
                    "EventBridge rule {} on `{}`",
                    e.resource.address, alerts.event_source
                )
            });
        }
        // Alarms on a failed-jobs metric.
        for a in &self.notifiers.aws.alarms {
            for spec in &alerts.metric {
                for am in &a.metrics {
                    let tri = self.metric_matches(am, spec, a.resource, |d, node| match d.value {
                        DimensionValue::Vault => self.names_vault(node, first, vault_res),
                        DimensionValue::ResourceType => match (node.as_str(), backup_type) {
                            (Some(t), Some(b)) if !node.is_unknown() => Tri::from_bool(t == b),
                            _ => maybe(node, "the alarm's resource type is unknown"),
                        },
                        _ => Tri::No,
                    });
                    if matches!(tri, Tri::No) {
                        continue;
                    }
                    let tri = tri
                        .and(self.place(a.resource, &member.region, member, "a CloudWatch alarm"))
                        .and(Cx::exists(a.resource));
                    answers.add(tri, a.resource, || {
                        format!(
                            "alarm {} on {}",
                            a.resource.address,
                            spec.metrics.join(", ")
                        )
                    });
                }
            }
        }
        // A vault that cannot be determined, or that is not in the scan (the `Default` vault,
        // one another configuration creates), may have notifications that are not seen here.
        match &first.vault {
            Target::Unknown { reason, span } => answers.add(
                Tri::Maybe {
                    reason: reason.clone(),
                    span: *span,
                },
                member,
                String::new,
            ),
            Target::Found(ids) if !ids.is_empty() => {}
            _ => answers.add(
                Tri::Maybe {
                    reason: format!(
                        "{subject} is not in the scanned files, so whether its notifications report failed backup jobs cannot be told"
                    ),
                    span: first.span,
                },
                member,
                String::new,
            ),
        }
        let (coverage, near) = answers.coverage();
        Watch {
            kind: WatchKind::Backups,
            subject,
            declared_by,
            span: vault_res.map_or(first.span, |v| v.span),
            protects: first.protects,
            because,
            needed,
            coverage,
            metric: None,
            near,
            vault_alerts: None,
        }
    }

    /// Whether a vault's notifications are about the vault a rule writes to.
    fn same_vault(&self, t: &BackupTarget, n: &VaultNotification<'_>) -> Tri {
        let Some(node) = &n.vault else {
            // A vault's own notifications.
            return match &t.vault {
                Target::Found(ids) => Tri::from_bool(ids.contains(&n.resource.id)),
                _ => Tri::No,
            };
        };
        match &t.vault {
            Target::Unknown { .. } => Tri::No, // reported once, by the caller
            Target::Found(ids) if !ids.is_empty() => ids.iter().fold(Tri::No, |acc, id| {
                acc.or(self.names_resource(node, self.model.get(*id)))
            }),
            _ => self.names_vault(node, t, None),
        }
    }

    /// Whether an alarm dimension names the vault a rule writes to.
    fn names_vault(&self, node: &Node, t: &BackupTarget, vault: Option<&Resource>) -> Tri {
        match vault {
            Some(v) => self.names_resource(node, v),
            None => match (literal(node), &t.vault_name) {
                (Some(a), Some(b)) => Tri::from_bool(&a == b),
                // A reference designates a resource of the scan, which this vault is not.
                (None, _) if node.as_ref_target().is_some() => Tri::No,
                (Some(_), None) => Tri::No,
                (None, _) => maybe(node, "the vault it names is unknown"),
            },
        }
    }

    /// Whether an alarm's metric is `spec` for what `dimension` says: the name and namespace,
    /// then each dimension of the spec (required ones must be given).
    fn metric_matches(
        &self,
        am: &AlarmMetric,
        spec: &MetricSpec,
        alarm: &Resource,
        dimension: impl Fn(&DimensionSpec, &Node) -> Tri,
    ) -> Tri {
        let name = match &am.name {
            Ok(n) => Tri::from_bool(spec.metrics.contains(n)),
            Err((reason, span)) => Tri::Maybe {
                reason: format!("the metric {} watches is unknown: {reason}", alarm.address),
                span: *span,
            },
        };
        if matches!(name, Tri::No) {
            return Tri::No;
        }
        let namespace = match &am.namespace {
            None => Tri::Yes,
            Some(Ok(ns)) => Tri::from_bool(*ns == spec.namespace),
            Some(Err((reason, span))) => Tri::Maybe {
                reason: format!(
                    "the namespace of the metric {} watches is unknown: {reason}",
                    alarm.address
                ),
                span: *span,
            },
        };
        let dims = match &am.dimensions {
            Err((reason, span)) => Tri::Maybe {
                reason: format!(
                    "the dimensions of the metric {} watches are unknown: {reason}",
                    alarm.address
                ),
                span: *span,
            },
            Ok(given) => spec.dimensions.iter().fold(Tri::Yes, |acc, d| {
                let one = match given.iter().find(|(k, _)| *k == d.name) {
                    Some((_, v)) => dimension(d, v),
                    None => Tri::from_bool(d.optional),
                };
                acc.and(one)
            }),
        };
        name.and(namespace).and(dims)
    }

    /// Adds what CloudWatch alarms on `spec` say about a replica's lag.
    pub(crate) fn alarm_lag(
        &self,
        spec: &MetricSpec,
        m: &Mechanism,
        source: &Resource,
        replica: Option<&Resource>,
        answers: &mut Answers,
    ) {
        let (region, anchor) = match spec.region {
            MetricRegion::Replica => (&m.region, replica.unwrap_or(source)),
            MetricRegion::Source => (&source.region, source),
        };
        for a in &self.notifiers.aws.alarms {
            for am in &a.metrics {
                let tri = self.metric_matches(am, spec, a.resource, |d, node| {
                    self.lag_dimension(d, node, m, source, replica)
                });
                if matches!(tri, Tri::No) {
                    continue;
                }
                let place = self.place(a.resource, region, anchor, "a CloudWatch alarm");
                if matches!(place, Tri::No) {
                    answers.near.push((
                        format!(
                            "{} watches {} from {}, but the metric is published in {}",
                            a.resource.address,
                            am.name.as_deref().unwrap_or("the metric"),
                            a.resource.region.label(),
                            region.label()
                        ),
                        a.resource.span,
                    ));
                    continue;
                }
                let tri = tri.and(place).and(Cx::exists(a.resource));
                answers.add(tri, a.resource, || {
                    format!(
                        "alarm {} on {}",
                        a.resource.address,
                        am.name.as_deref().unwrap_or("the lag")
                    )
                });
            }
        }
    }

    /// Whether an alarm's lag dimension designates what the spec says.
    fn lag_dimension(
        &self,
        d: &DimensionSpec,
        node: &Node,
        m: &Mechanism,
        source: &Resource,
        replica: Option<&Resource>,
    ) -> Tri {
        match d.value {
            DimensionValue::Source => self.names_resource(node, source),
            DimensionValue::Replica => match replica {
                Some(r) => self.names_resource(node, r),
                None => Tri::Maybe {
                    reason: format!(
                        "the {} is not a resource of the scanned files, so whether `{}` names it cannot be told",
                        m.label,
                        node.display()
                    ),
                    span: node.span,
                },
            },
            DimensionValue::ReplicaRegion => match (node.as_str(), m.region.name()) {
                (Some(given), Some(region))
                    if !node.is_unknown() && node.as_ref_target().is_none() =>
                {
                    Tri::from_bool(given.eq_ignore_ascii_case(region))
                }
                (Some(_), None) if !node.is_unknown() && node.as_ref_target().is_none() => {
                    Tri::Maybe {
                        reason: format!(
                            "the region of the {} is unknown: {}",
                            m.label,
                            m.region.unknown_reason().unwrap_or_default()
                        ),
                        span: node.span,
                    }
                }
                _ => maybe(node, "the alarm's region dimension is unknown"),
            },
            DimensionValue::Vault | DimensionValue::ResourceType => Tri::No,
        }
    }
}

/// Whether an event pattern matches the event of a failed backup job of `backup_type`: its
/// `source` and `detail-type` (at least one of them given) accept the service's, and every
/// filter on `detail` accepts a failed job of that type. Filters resilint does not evaluate
/// (a vault, an account) make it unknown, never a match.
fn backup_pattern(
    p: &Node,
    alerts: &BackupAlertsSpec,
    backup_type: Option<&str>,
    rule: &Resource,
) -> Tri {
    let Kind::Map(map) = &p.kind else {
        return maybe(p, "the event pattern is not a JSON object");
    };
    let source = map.get("source");
    let detail_type = map.get("detail-type");
    if source.is_none() && detail_type.is_none() {
        return Tri::No;
    }
    let mut tri = Tri::Yes;
    if let Some(s) = source {
        tri = tri.and(accepts(s, &[alerts.event_source.as_str()]));
    }
    if let Some(d) = detail_type {
        let wanted: Vec<&str> = alerts
            .event_detail_types
            .iter()
            .map(String::as_str)
            .collect();
        tri = tri.and(accepts(d, &wanted));
    }
    if matches!(tri, Tri::No) {
        return Tri::No;
    }
    for e in map.iter() {
        match e.key.as_str() {
            "source" | "detail-type" => {}
            "detail" => match &e.value.kind {
                Kind::Map(detail) => {
                    for d in detail.iter() {
                        let one = if Some(d.key.as_str()) == alerts.event_state.as_deref() {
                            let failed: Vec<&str> = alerts
                                .event_failed_states
                                .iter()
                                .map(String::as_str)
                                .collect();
                            accepts(&d.value, &failed)
                        } else if Some(d.key.as_str()) == alerts.event_resource_type.as_deref() {
                            match backup_type {
                                Some(b) => accepts(&d.value, &[b]),
                                None => Tri::No,
                            }
                        } else {
                            Tri::Maybe {
                                reason: format!(
                                    "{} filters backup events by `detail.{}`, which resilint does not evaluate",
                                    rule.address, d.key
                                ),
                                span: d.value.span,
                            }
                        };
                        tri = tri.and(one);
                    }
                }
                _ => tri = tri.and(maybe(&e.value, "the pattern's `detail` cannot be read")),
            },
            other => {
                tri = tri.and(Tri::Maybe {
                    reason: format!(
                        "{} filters events by `{other}`, which resilint does not evaluate",
                        rule.address
                    ),
                    span: e.value.span,
                })
            }
        }
    }
    tri
}

/// Whether a pattern's list of values (or one value) accepts one of `wanted`: an equal string,
/// or the content filters `prefix`, `anything-but` and `equals-ignore-case`; other filters
/// and unknown values cannot be told.
fn accepts(n: &Node, wanted: &[&str]) -> Tri {
    let mut tri = Tri::No;
    for e in n.elements() {
        let one = match &e.kind {
            Kind::String(s) => Tri::from_bool(wanted.contains(&s.as_str())),
            Kind::Map(m) if m.len() == 1 => {
                let f = &m.entries()[0];
                let texts: Vec<String> = f
                    .value
                    .elements()
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| s.into_owned()))
                    .collect();
                match f.key.as_str() {
                    "prefix" => Tri::from_bool(
                        texts
                            .iter()
                            .any(|p| wanted.iter().any(|w| w.starts_with(p.as_str()))),
                    ),
                    "anything-but" => {
                        Tri::from_bool(wanted.iter().any(|w| !texts.iter().any(|t| t == w)))
                    }
                    "equals-ignore-case" => Tri::from_bool(
                        texts
                            .iter()
                            .any(|t| wanted.iter().any(|w| w.eq_ignore_ascii_case(t))),
                    ),
                    _ => maybe(
                        e,
                        "the pattern uses a content filter resilint does not evaluate",
                    ),
                }
            }
            _ => maybe(e, "a value of the event pattern cannot be read"),
        };
        tri = tri.or(one);
    }
    tri
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Node {
        from_json(
            &serde_json::from_str(text).unwrap(),
            Span::default(),
            "unknown",
        )
    }

    fn alerts() -> BackupAlertsSpec {
        crate::knowledge::KnowledgeBase::builtin()
            .unwrap()
            .backup_alerts()
            .cloned()
            .expect("the built-in knowledge base says what reports failed backup jobs")
    }

    fn rule() -> Resource {
        let kb = crate::infer::testing::kb();
        let (model, _) = crate::infer::testing::infer_cfn(
            &kb,
            "Resources:\n  R:\n    Type: AWS::Events::Rule\n",
        );
        model.resources[0].clone()
    }

    #[test]
    fn backup_patterns() {
        let (a, r) = (alerts(), rule());
        let m = |p: &str| backup_pattern(&json(p), &a, Some("RDS"), &r);
        assert_eq!(m(r#"{"source": ["aws.backup"]}"#), Tri::Yes);
        assert_eq!(
            m(
                r#"{"source": ["aws.backup"], "detail-type": ["Backup Job State Change"], "detail": {"state": ["FAILED"], "resourceType": ["RDS"]}}"#
            ),
            Tri::Yes
        );
        assert_eq!(
            m(r#"{"detail-type": ["Backup Job State Change"]}"#),
            Tri::Yes
        );
        // Only successes, another service, another resource type, copy jobs.
        assert_eq!(
            m(r#"{"source": ["aws.backup"], "detail": {"state": ["COMPLETED"]}}"#),
            Tri::No
        );
        assert_eq!(m(r#"{"source": ["aws.ec2"]}"#), Tri::No);
        assert_eq!(
            m(r#"{"source": ["aws.backup"], "detail": {"resourceType": ["EFS"]}}"#),
            Tri::No
        );
        assert_eq!(
            m(r#"{"source": ["aws.backup"], "detail-type": ["Copy Job State Change"]}"#),
            Tri::No
        );
        assert_eq!(m(r#"{"account": ["123456789012"]}"#), Tri::No);
        // Filters resilint does not evaluate: cannot tell.
        assert!(matches!(
            m(r#"{"source": ["aws.backup"], "detail": {"backupVaultName": ["main"]}}"#),
            Tri::Maybe { .. }
        ));
        assert!(matches!(
            m(r#"{"source": ["aws.backup"], "account": ["123456789012"]}"#),
            Tri::Maybe { .. }
        ));
        // An unknown part decides nothing when a known one already rules the rule out.
        let partial = from_json(
            &serde_json::from_str(r#"{"source": ["aws.s3"], "detail": {"bucket": ["{?}"]}}"#)
                .unwrap(),
            Span::default(),
            "unknown",
        );
        assert_eq!(backup_pattern(&partial, &a, Some("RDS"), &r), Tri::No);
    }

    #[test]
    fn content_filters() {
        assert_eq!(
            accepts(&json(r#"["aws.backup"]"#), &["aws.backup"]),
            Tri::Yes
        );
        assert_eq!(accepts(&json(r#""aws.backup""#), &["aws.backup"]), Tri::Yes);
        assert_eq!(accepts(&json(r#"["aws.ec2"]"#), &["aws.backup"]), Tri::No);
        assert_eq!(
            accepts(&json(r#"[{"prefix": "aws."}]"#), &["aws.backup"]),
            Tri::Yes
        );
        assert_eq!(
            accepts(&json(r#"[{"anything-but": "COMPLETED"}]"#), &["FAILED"]),
            Tri::Yes
        );
        assert_eq!(
            accepts(&json(r#"[{"anything-but": ["FAILED"]}]"#), &["FAILED"]),
            Tri::No
        );
        assert!(matches!(
            accepts(&json(r#"[{"numeric": [">", 0]}]"#), &["FAILED"]),
            Tri::Maybe { .. }
        ));
    }
}
