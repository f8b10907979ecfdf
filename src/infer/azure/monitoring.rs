//! Monitoring on Azure (RES015): Azure Monitor metric alerts on a replica's lag metric. Which
//! metric, in which namespace, and which resource an alert's `scopes` must designate are
//! knowledge-base data (`[[family.lag-metric]]` with `alert = "metric-alert"`); this module
//! reads the alerts' shape. Azure Backup job-failure alerts are not evaluated.

use crate::infer::Mechanism;
use crate::infer::link::Linker;
use crate::infer::monitoring::{Answers, Cx, maybe};
use crate::infer::select::Tri;
use crate::knowledge::Role;
use crate::knowledge::schema::{DimensionValue, MetricSpec};
use crate::model::node::{Kind, Node, UNKNOWN_PART};
use crate::model::{Model, Resource};
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
pub(crate) fn read_notifiers<'m>(model: &'m Model, linker: &Linker<'m>) -> Notifiers<'m> {
    let mut alerts = Vec::new();
    for r in &model.resources {
        let Some(spec) = linker.spec(r.id) else {
            continue;
        };
        if spec.role != Some(Role::MetricAlert) {
            continue;
        }
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
