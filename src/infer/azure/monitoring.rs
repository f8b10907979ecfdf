//! Monitoring on Azure (RES015): Azure Monitor metric alerts on a replica's lag metric, and the
//! built-in job-failure alerts of Azure Backup vaults routed by alert processing rules. Which
//! metric, in which namespace, and which resource an alert's `scopes` must designate are
//! knowledge-base data (`[[family.lag-metric]]` with `alert = "metric-alert"`), as are the vault
//! types, their alert setting and the processing rule's fields (`[azure-backup-alerts]`); this
//! module reads the resources' shape.
//!
//! Backups into a vault are watched (covered) when the vault's job-failure alerts are on and an
//! enabled alert processing rule, with an action group, certainly covers the vault (its scope
//! is the vault or its resource group), for a workload whose backup-failure alert Azure Backup
//! documents. Nothing notifies (none) when the alerts are off, or when nothing in the scan
//! routes them. Anything else (a scope from a variable or written as an ID, a subscription
//! scope, a rule's `condition` or `schedule`, an activity log or log search alert in the scan)
//! is unknown.

use crate::infer::link::{Linker, resource_names};
use crate::infer::monitoring::{Answers, Coverage, Cx, VaultAlerts, Watch, WatchKind, maybe};
use crate::infer::select::Tri;
use crate::infer::{Certainty, Component, Mechanism};
use crate::knowledge::Role;
use crate::knowledge::schema::{
    AzureBackupAlertsSpec, AzureVaultAlertsSpec, DimensionValue, MetricSpec, ProcessingRuleSpec,
};
use crate::model::Resource;
use crate::model::node::{Kind, Node, UNKNOWN_PART};
use crate::source::Span;

/// One criterion of a metric alert (static or dynamic).
struct Criterion {
    namespace: Result<String, (String, Span)>,
    metric: Result<String, (String, Span)>,
    /// Where it filters the metric's dimensions, which is not evaluated.
    dimensions: Option<Span>,
}

/// An Azure Monitor metric alert, read once.
pub(crate) struct MetricAlert<'m> {
    resource: &'m Resource,
    /// Its `scopes`, each as written.
    scopes: Vec<Node>,
    criteria: Vec<Criterion>,
}

/// Everything on Azure that notifies.
pub(crate) struct Notifiers<'m> {
    alerts: Vec<MetricAlert<'m>>,
}

/// A literal string, or why it is not one.
fn text(n: Option<&Node>, what: &str, span: Span) -> Result<String, (String, Span)> {
    match n.filter(|n| !n.is_null()) {
        None => Err((format!("{what} is not set"), span)),
        Some(n) => match (&n.kind, n.as_str()) {
            (Kind::String(_), Some(s)) => Ok(s.into_owned()),
            _ => Err((
                n.unknown_reason()
                    .unwrap_or_else(|| format!("{what} is not a string")),
                n.span,
            )),
        },
    }
}

/// Reads the metric alerts of the scan.
pub(crate) fn read_notifiers<'m>(linker: &Linker<'m>) -> Notifiers<'m> {
    let mut alerts = Vec::new();
    for (r, spec) in linker.with_role(Role::MetricAlert) {
        let f = |name: &str| spec.field(name).unwrap_or("");
        let scopes = r
            .attr(f("scopes"))
            .map(|n| n.elements().into_iter().cloned().collect())
            .unwrap_or_default();
        let mut criteria = Vec::new();
        for path in [spec.field("criteria"), spec.field("dynamic-criteria")]
            .into_iter()
            .flatten()
        {
            for block in r.body.lookup(path) {
                if block.is_unknown() {
                    let why = (
                        block
                            .unknown_reason()
                            .unwrap_or_else(|| "the alert's criteria are unknown".into()),
                        block.span,
                    );
                    criteria.push(Criterion {
                        namespace: Err(why.clone()),
                        metric: Err(why),
                        dimensions: None,
                    });
                    continue;
                }
                criteria.push(Criterion {
                    namespace: text(
                        block.value_at(f("criteria-namespace")),
                        "the criterion's metric namespace",
                        block.span,
                    ),
                    metric: text(
                        block.value_at(f("criteria-metric")),
                        "the criterion's metric name",
                        block.span,
                    ),
                    dimensions: spec
                        .field("criteria-dimensions")
                        .and_then(|p| block.value_at(p))
                        .filter(|d| !d.is_null())
                        .map(|d| d.span),
                });
            }
        }
        alerts.push(MetricAlert {
            resource: r,
            scopes,
            criteria,
        });
    }
    Notifiers { alerts }
}

/// Whether a criterion's value is one of `wanted` (case-insensitive, as Azure compares metric
/// names and namespaces), or unknown.
fn one_of(
    value: &Result<String, (String, Span)>,
    wanted: &[&str],
    what: &str,
    alert: &Resource,
) -> Tri {
    match value {
        Ok(v) => Tri::from_bool(wanted.iter().any(|w| w.eq_ignore_ascii_case(v))),
        Err((reason, span)) => Tri::Maybe {
            reason: format!("the {what} {} watches is unknown: {reason}", alert.address),
            span: *span,
        },
    }
}

impl Cx<'_, '_> {
    /// Adds what Azure Monitor metric alerts on `spec` say about a replica's lag.
    pub(crate) fn metric_alert_lag(
        &self,
        spec: &MetricSpec,
        m: &Mechanism,
        source: &Resource,
        replica: Option<&Resource>,
        answers: &mut Answers,
    ) {
        let target = match spec.scope {
            Some(DimensionValue::Source) => Some(source),
            _ => replica,
        };
        let metrics: Vec<&str> = spec.metrics.iter().map(String::as_str).collect();
        for a in &self.notifiers.azure.alerts {
            for c in &a.criteria {
                let tri = one_of(&c.metric, &metrics, "metric", a.resource);
                if matches!(tri, Tri::No) {
                    continue;
                }
                let tri = tri.and(one_of(
                    &c.namespace,
                    &[spec.namespace.as_str()],
                    "metric namespace",
                    a.resource,
                ));
                if matches!(tri, Tri::No) {
                    continue;
                }
                let scopes = a.scopes.iter().fold(Tri::No, |acc, s| {
                    acc.or(self.azure_scope(s, target, spec, m, a.resource))
                });
                let dims = match c.dimensions {
                    Some(span) => Tri::Maybe {
                        reason: format!(
                            "{} filters the metric's dimensions, which resilint does not evaluate",
                            a.resource.address
                        ),
                        span,
                    },
                    None => Tri::Yes,
                };
                let tri = tri.and(scopes).and(dims).and(Cx::exists(a.resource));
                answers.add(tri, a.resource, || {
                    format!(
                        "metric alert {} on {}",
                        a.resource.address,
                        c.metric.as_deref().unwrap_or("the lag")
                    )
                });
            }
        }
    }

    /// Whether one of an alert's scopes designates `target`: a reference to it (its `.id`), or
    /// a resource ID of the metric's resource type whose last segment is one of its names. A
    /// scope on something else (a resource group, a subscription: a multi-resource alert) is
    /// not evaluated.
    fn azure_scope(
        &self,
        node: &Node,
        target: Option<&Resource>,
        spec: &MetricSpec,
        m: &Mechanism,
        alert: &Resource,
    ) -> Tri {
        let alternatives = node.alternatives();
        if !alternatives.is_empty() {
            let answers: Vec<Tri> = alternatives
                .iter()
                .map(|a| self.azure_scope(a, target, spec, m, alert))
                .collect();
            if answers.iter().all(|t| matches!(t, Tri::No)) {
                return Tri::No;
            }
            if answers.iter().all(|t| matches!(t, Tri::Yes)) {
                return Tri::Yes;
            }
            return maybe(
                node,
                "which resource the alert's scope designates is unknown",
            );
        }
        let Some(target) = target else {
            return Tri::Maybe {
                reason: format!(
                    "the {} is not a resource of the scanned files, so whether the scopes of {} designate it cannot be told",
                    m.label, alert.address
                ),
                span: node.span,
            };
        };
        let not_evaluated = || Tri::Maybe {
            reason: format!(
                "{} is scoped to `{}`, which is not a {} resource: a resource group or subscription scope is not evaluated",
                alert.address,
                node.display(),
                spec.namespace
            ),
            span: node.span,
        };
        let marker = format!("/providers/{}/", spec.namespace.to_ascii_lowercase());
        // The last segment of a resource ID of the metric's type, when it is known.
        let last_segment = |text: &str| -> Option<Node> {
            if !text.to_ascii_lowercase().contains(&marker) {
                return None;
            }
            let last = text.trim_end_matches('/').rsplit('/').next()?;
            (!last.contains(UNKNOWN_PART) && !last.contains("${"))
                .then(|| Node::new(Kind::String(last.to_string()), node.span))
        };
        match &node.kind {
            Kind::Ref(r) => {
                let resolved = self.model.resolve(&r.target);
                if resolved.contains(&target.id) {
                    return Tri::Yes;
                }
                let family = self.linker.family(target.id);
                if !resolved.is_empty()
                    && family.is_some()
                    && resolved.iter().all(|id| self.linker.family(*id) == family)
                {
                    // Another resource of the same family.
                    return Tri::No;
                }
                not_evaluated()
            }
            Kind::String(text) => match last_segment(text) {
                Some(name) => self.names_resource(&name, target),
                None => not_evaluated(),
            },
            Kind::Unknown(u) => match u.partial.as_deref().and_then(last_segment) {
                Some(name) => self.names_resource(&name, target),
                None => maybe(node, "the alert's scope is unknown"),
            },
            _ => maybe(node, "the alert's scope cannot be read"),
        }
    }
}

/// The backups of one member into one vault: the vault (or why it is not known), the backup
/// resource, whether some of them certainly happen, and the first mechanism.
type VaultGroup<'m> = (
    Result<&'m Resource, (String, Span)>,
    &'m Resource,
    Certainty,
    Mechanism,
);

/// Whether an Azure vault's built-in job-failure alerts are on.
enum AlertsState {
    On,
    Off { span: Span },
    Unknown { reason: String, span: Span },
}

impl Cx<'_, '_> {
    /// The watches over backups that Azure Backup writes to a Recovery Services vault or a
    /// Backup vault (`[azure-backup-alerts]`): one per vault (or per backup resource whose vault
    /// cannot be determined).
    pub(crate) fn azure_backup_watches(&self, c: &Component) -> Vec<Watch> {
        let Some(spec) = self.kb.azure_backup_alerts() else {
            return Vec::new();
        };
        // (vault, backup resource, the mechanisms' certainty, the member), first seen first.
        let mut groups: Vec<VaultGroup<'_>> = Vec::new();
        for m in &c.mechanisms {
            if !m.kind.is_backup() {
                continue;
            }
            let origin = self.model.get(m.origin);
            let Some(ospec) = self.linker.spec(origin.id) else {
                continue;
            };
            let Some(vault) = self.linker.referenced_named(origin, ospec, &spec.vault_ref) else {
                continue;
            };
            let vault = vault.and_then(|v| {
                if spec.vault.iter().any(|s| s.rtype == v.rtype) {
                    Ok(v)
                } else {
                    Err((format!("{} is not a vault", v.address), v.span))
                }
            });
            let same = groups.iter_mut().find(|(v, o, _, _)| match (v, &vault) {
                (Ok(a), Ok(b)) => a.id == b.id,
                _ => o.id == origin.id,
            });
            match same {
                Some((_, _, certainty, _)) => {
                    if m.certainty.is_certain() {
                        *certainty = Certainty::Certain;
                    }
                }
                None => groups.push((vault, origin, m.certainty.clone(), m.clone())),
            }
        }
        groups
            .into_iter()
            .map(|(vault, origin, needed, m)| {
                self.azure_backup_watch(spec, vault, origin, needed, &m)
            })
            .collect()
    }

    fn azure_backup_watch(
        &self,
        spec: &AzureBackupAlertsSpec,
        vault: Result<&Resource, (String, Span)>,
        origin: &Resource,
        needed: Certainty,
        m: &Mechanism,
    ) -> Watch {
        let because = vec![m.label.clone()];
        let (subject, declared_by, span) = match &vault {
            Ok(v) => match resource_names(v, self.kb)
                .into_iter()
                .next()
                .or_else(|| v.attr("name").and_then(crate::infer::monitoring::literal))
            {
                Some(n) if !n.contains(UNKNOWN_PART) && !n.contains("${") => {
                    (format!("vault `{n}`"), Some(v.id), v.span)
                }
                _ => (format!("vault {}", v.address), None, v.span),
            },
            Err((_, span)) => ("a vault that cannot be determined".into(), None, *span),
        };
        let vspec = vault
            .as_ref()
            .ok()
            .and_then(|v| spec.vault.iter().find(|s| s.rtype == v.rtype));
        let setting = vspec.and_then(|s| s.setting.clone());
        let state = match (&vault, vspec) {
            (Ok(v), Some(vs)) => alerts_state(v, vs),
            (Err((reason, span)), _) => AlertsState::Unknown {
                reason: reason.clone(),
                span: *span,
            },
            (Ok(v), None) => AlertsState::Unknown {
                reason: format!("{} is not a known vault type", v.address),
                span: v.span,
            },
        };
        // What routes the vault's alerts to an action group.
        let mut answers = Answers::default();
        let mut near = Vec::new();
        for r in &self.model.resources {
            if r.rtype != spec.processing_rule.rtype {
                continue;
            }
            let tri = match &vault {
                Ok(v) => self.processing_rule_routes(&spec.processing_rule, spec, r, v),
                Err((reason, span)) => Tri::Maybe {
                    reason: format!(
                        "whether {} routes the alerts of the vault cannot be told: {reason}",
                        r.address
                    ),
                    span: *span,
                },
            };
            if let (AlertsState::Off { .. }, Tri::Yes) = (&state, &tri) {
                near.push((
                    format!(
                        "{} routes the vault's alerts, but the vault's built-in job-failure alerts are turned off",
                        r.address
                    ),
                    r.span,
                ));
            }
            answers.add(tri, r, || {
                format!("alert processing rule {} (its action groups)", r.address)
            });
        }
        let (routing, _) = answers.coverage();
        // Other notifiers that may report failed jobs, which are not evaluated.
        let other = self.model.resources.iter().find(|r| {
            spec.not_evaluated.contains(&r.rtype)
                || self.notifiers.azure.alerts.iter().any(|a| {
                    a.resource.id == r.id
                        && a.criteria.iter().any(|c| {
                            !matches!(
                                one_of(
                                    &c.namespace,
                                    &spec
                                        .metric_namespaces
                                        .iter()
                                        .map(String::as_str)
                                        .collect::<Vec<_>>(),
                                    "metric namespace",
                                    a.resource,
                                ),
                                Tri::No
                            )
                        })
                })
        });
        let other_unknown = || {
            other.map(|r| Coverage::Unknown {
                reason: format!(
                    "{} may report failed backup jobs, which resilint does not evaluate",
                    r.address
                ),
                span: r.span,
            })
        };
        let documented = spec.backup_failure_alerts.contains(&origin.rtype);
        let coverage = match (&vault, &state, routing) {
            // A vault outside the scan (or not determined): what routes its alerts may be
            // declared with it.
            (Err((reason, span)), _, _) => Coverage::Unknown {
                reason: format!("the vault the backups go to is not known: {reason}"),
                span: *span,
            },
            (Ok(_), state, routing) => {
                self.vault_coverage(state, routing, documented, origin, other_unknown)
            }
        };
        let vault_alerts = Some(match state {
            AlertsState::Off { .. } => VaultAlerts::Off {
                setting: setting.clone().unwrap_or_default(),
            },
            _ => VaultAlerts::On { setting },
        });
        let span = match (&state, span) {
            (AlertsState::Off { span }, _) => *span,
            (_, s) => s,
        };
        Watch {
            kind: WatchKind::Backups,
            subject,
            declared_by,
            span,
            protects: m.protects,
            because,
            needed,
            coverage,
            metric: None,
            near,
            vault_alerts,
        }
    }

    /// Coverage of a known vault: its alerts' state, what routes them, whether its workload's
    /// backup-failure alert is documented, and the notifiers that are not evaluated.
    fn vault_coverage(
        &self,
        state: &AlertsState,
        routing: Coverage,
        documented: bool,
        origin: &Resource,
        other_unknown: impl Fn() -> Option<Coverage>,
    ) -> Coverage {
        match (state, routing) {
            (AlertsState::Off { .. }, _) => other_unknown().unwrap_or(Coverage::None),
            (AlertsState::On, Coverage::By { resource, what }) if documented => {
                Coverage::By { resource, what }
            }
            (AlertsState::On, Coverage::By { resource, .. }) => Coverage::Unknown {
                reason: format!(
                    "{} routes the vault's alerts, but Azure Backup does not document a backup-failure alert for {}",
                    self.model.get(resource).address,
                    origin.rtype
                ),
                span: self.model.get(resource).span,
            },
            (AlertsState::Unknown { reason, span }, Coverage::By { .. }) => Coverage::Unknown {
                reason: format!(
                    "whether the vault's built-in job-failure alerts are on is unknown: {reason}"
                ),
                span: *span,
            },
            (_, u @ Coverage::Unknown { .. }) => u,
            // Alerts on or unknown, and nothing routes them: nothing notifies either way.
            (_, Coverage::None) => other_unknown().unwrap_or(Coverage::None),
        }
    }

    /// Whether an alert processing rule certainly adds an action group to the alerts of `vault`.
    fn processing_rule_routes(
        &self,
        ps: &ProcessingRuleSpec,
        spec: &AzureBackupAlertsSpec,
        r: &Resource,
        vault: &Resource,
    ) -> Tri {
        let enabled = match r.attr(&ps.enabled).filter(|n| !n.is_null()) {
            None => Tri::Yes,
            Some(n) => match n.as_bool() {
                Some(b) => Tri::from_bool(b),
                None => maybe(n, "whether the rule is enabled is unknown"),
            },
        };
        let groups = match r.attr(&ps.action_groups).filter(|n| !n.is_null()) {
            None => Tri::No,
            Some(n) if n.is_unknown() => maybe(n, "the rule's action groups are unknown"),
            Some(n) => Tri::from_bool(!n.elements().is_empty()),
        };
        let narrowing = ps
            .narrowing
            .iter()
            .filter_map(|b| r.attr(b).filter(|n| !n.is_null()).map(|n| (b, n)))
            .fold(Tri::Yes, |acc, (b, n)| {
                acc.and(Tri::Maybe {
                    reason: format!(
                        "{} routes only the alerts its `{b}` selects, which resilint does not evaluate",
                        r.address
                    ),
                    span: n.span,
                })
            });
        let scopes = match r.attr(&ps.scopes).filter(|n| !n.is_null()) {
            None => Tri::No,
            Some(n) if n.is_unknown() && n.elements().is_empty() => {
                maybe(n, "the rule's scopes are unknown")
            }
            Some(n) => n
                .elements()
                .into_iter()
                .fold(Tri::No, |acc, s| acc.or(self.scope_covers(s, vault, spec))),
        };
        Cx::exists(r)
            .and(enabled)
            .and(groups)
            .and(scopes)
            .and(narrowing)
    }

    /// Whether a processing rule's scope covers `vault`: the vault itself, or its resource
    /// group (by reference, or by a name written the same way). A subscription, or a scope
    /// written as an ID, cannot be matched with the vault's subscription: unknown.
    fn scope_covers(&self, node: &Node, vault: &Resource, spec: &AzureBackupAlertsSpec) -> Tri {
        let alternatives = node.alternatives();
        if !alternatives.is_empty() {
            let answers: Vec<Tri> = alternatives
                .iter()
                .map(|a| self.scope_covers(a, vault, spec))
                .collect();
            if answers.iter().all(|t| matches!(t, Tri::No)) {
                return Tri::No;
            }
            if answers.iter().all(|t| matches!(t, Tri::Yes)) {
                return Tri::Yes;
            }
            return maybe(node, "which scope the rule designates is unknown");
        }
        let unknown = |what: String| Tri::Maybe {
            reason: what,
            span: node.span,
        };
        match &node.kind {
            Kind::Ref(reference) => {
                let resolved = self.model.resolve(&reference.target);
                if resolved.contains(&vault.id) {
                    return Tri::Yes;
                }
                if resolved.is_empty() {
                    return unknown(format!(
                        "the scope `{}` is not a resource of the scanned files",
                        node.display()
                    ));
                }
                let groups: Vec<&Resource> = resolved
                    .iter()
                    .map(|id| self.model.get(*id))
                    .filter(|g| g.rtype == spec.resource_group)
                    .collect();
                if groups.len() == resolved.len() {
                    return groups
                        .iter()
                        .fold(Tri::No, |acc, g| acc.or(self.in_group(vault, g)));
                }
                if resolved.iter().all(|id| {
                    let t = &self.model.get(*id).rtype;
                    spec.vault.iter().any(|v| &v.rtype == t)
                }) {
                    // Another vault.
                    return Tri::No;
                }
                unknown(format!(
                    "whether the scope `{}` covers {} is not evaluated",
                    node.display(),
                    vault.address
                ))
            }
            _ => unknown(match node.unknown_reason() {
                Some(why) => format!("the scope of the alert processing rule is unknown: {why}"),
                None => format!(
                    "whether the scope `{}` is the subscription or resource group of {} cannot be told",
                    node.display(),
                    vault.address
                ),
            }),
        }
    }

    /// Whether `vault` is in the resource group `group`.
    fn in_group(&self, vault: &Resource, group: &Resource) -> Tri {
        let Some(rg) = vault.attr("resource_group_name").filter(|n| !n.is_null()) else {
            return Tri::Maybe {
                reason: format!("the resource group of {} is not set", vault.address),
                span: vault.span,
            };
        };
        match &rg.kind {
            Kind::Ref(reference) => {
                let resolved = self.model.resolve(&reference.target);
                if resolved.contains(&group.id) {
                    Tri::Yes
                } else if !resolved.is_empty() {
                    Tri::No
                } else {
                    maybe(rg, "the vault's resource group is unknown")
                }
            }
            Kind::String(_) => {
                let name = group
                    .attr("name")
                    .and_then(crate::infer::monitoring::literal);
                match (rg.as_str(), name) {
                    (Some(a), Some(b)) => Tri::from_bool(a.eq_ignore_ascii_case(&b)),
                    _ => Tri::Maybe {
                        reason: format!("the name of {} is unknown", group.address),
                        span: group.span,
                    },
                }
            }
            _ => maybe(rg, "the vault's resource group is unknown"),
        }
    }
}

/// Whether a vault's built-in job-failure alerts are on.
fn alerts_state(vault: &Resource, vs: &AzureVaultAlertsSpec) -> AlertsState {
    let Some(setting) = &vs.setting else {
        return if vs.default {
            AlertsState::On
        } else {
            AlertsState::Off { span: vault.span }
        };
    };
    match vault.attr(setting).filter(|n| !n.is_null()) {
        None if vs.default => AlertsState::On,
        None => AlertsState::Off { span: vault.span },
        Some(n) => match n.as_bool() {
            Some(true) => AlertsState::On,
            Some(false) => AlertsState::Off { span: n.span },
            None => AlertsState::Unknown {
                reason: n
                    .unknown_reason()
                    .unwrap_or_else(|| format!("`{setting}` is not a boolean")),
                span: n.span,
            },
        },
    }
}
