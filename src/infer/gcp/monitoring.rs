//! Monitoring on Google Cloud (RES015): Cloud Monitoring alert policies whose conditions name a
//! replica's lag metric. Which metric type, on which monitored resource type, and which
//! resource label designates the replica are knowledge-base data (`[[family.lag-metric]]` with
//! `alert = "alert-policy"`); this module reads the policies' conditions. A filter that names
//! the metric without restricting the resource covers every resource of the project; one that
//! restricts the designating label must name the replica; any other restriction, and a filter
//! or query that is not known as written, is unknown coverage. Backup failures are not
//! evaluated.

use crate::infer::Mechanism;
use crate::infer::link::Linker;
use crate::infer::monitoring::{Answers, Cx};
use crate::infer::select::{Tri, one_account};
use crate::knowledge::Role;
use crate::knowledge::schema::{DimensionSpec, DimensionValue, MetricSpec};
use crate::model::Resource;
use crate::model::node::{Kind, Node, UNKNOWN_PART};
use crate::source::Span;

/// The language of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    /// A Monitoring filter (`condition_threshold.filter`).
    Filter,
    /// Monitoring Query Language.
    Mql,
    /// PromQL.
    Promql,
}

/// One condition of a policy: its filter or query, as far as it is known (unknown parts are
/// placeholders), or why it cannot be read.
struct Condition {
    lang: Lang,
    text: Result<String, (String, Span)>,
    span: Span,
}

/// A Cloud Monitoring alert policy, read once.
pub(crate) struct AlertPolicy<'m> {
    resource: &'m Resource,
    conditions: Vec<Condition>,
}

/// Everything on Google Cloud that notifies.
pub(crate) struct Notifiers<'m> {
    policies: Vec<AlertPolicy<'m>>,
}

/// Reads the alert policies of the scan.
pub(crate) fn read_notifiers<'m>(linker: &Linker<'m>) -> Notifiers<'m> {
    let mut policies = Vec::new();
    for (r, spec) in linker.with_role(Role::AlertPolicy) {
        let mut conditions = Vec::new();
        for c in r.body.lookup(spec.field("conditions").unwrap_or("")) {
            if c.is_unknown() {
                conditions.push(Condition {
                    lang: Lang::Filter,
                    text: Err((
                        c.unknown_reason()
                            .unwrap_or_else(|| "the policy's conditions are unknown".into()),
                        c.span,
                    )),
                    span: c.span,
                });
                continue;
            }
            for (field, lang) in [
                ("threshold-filter", Lang::Filter),
                ("mql-query", Lang::Mql),
                ("promql-query", Lang::Promql),
            ] {
                let Some(n) = spec
                    .field(field)
                    .and_then(|p| c.value_at(p))
                    .filter(|n| !n.is_null())
                else {
                    continue;
                };
                conditions.push(Condition {
                    lang,
                    text: condition_text(n),
                    span: n.span,
                });
            }
        }
        policies.push(AlertPolicy {
            resource: r,
            conditions,
        });
    }
    Notifiers { policies }
}

/// A filter or query as written: a literal, or the known parts of a template.
fn condition_text(n: &Node) -> Result<String, (String, Span)> {
    match &n.kind {
        Kind::String(s) => Ok(s.clone()),
        Kind::Unknown(u) if u.partial.is_some() => Ok(u.partial.clone().unwrap_or_default()),
        _ => Err((
            n.unknown_reason()
                .unwrap_or_else(|| "the condition's filter is not a string".into()),
            n.span,
        )),
    }
}

/// Whether a text holds a part that is not known (a variable, another resource's attribute).
fn has_unknown(text: &str) -> bool {
    text.contains(UNKNOWN_PART) || text.contains("${")
}

/// A metric type as PromQL names it: `cloudsql.googleapis.com/database/replication/replica_lag`
/// is `cloudsql_googleapis_com:database_replication_replica_lag`.
fn promql_name(metric: &str) -> String {
    match metric.split_once('/') {
        Some((domain, path)) => format!(
            "{}:{}",
            domain.replace(['.', '/'], "_"),
            path.replace(['.', '/'], "_")
        ),
        None => metric.replace(['.', '/'], "_"),
    }
}

/// The label restrictions of a Monitoring filter: `resource.labels.NAME = "VALUE"` (or
/// `resource.label.NAME`), with the operator and value as written; and whether the filter has
/// restrictions resilint does not read (another label kind, `OR`, `NOT`, a function).
struct Restrictions {
    labels: Vec<(String, String, Option<String>)>,
    resource_type: Option<String>,
    other: Option<String>,
}

fn restrictions(filter: &str) -> Restrictions {
    let mut out = Restrictions {
        labels: Vec::new(),
        resource_type: None,
        other: None,
    };
    // Outside the placeholders of unknown parts (`${google_sql_database_instance.r.project}`).
    let mut plain = String::new();
    let mut rest = filter;
    while let Some(i) = rest.find("${") {
        plain.push_str(&rest[..i]);
        rest = rest[i..].find('}').map_or("", |j| &rest[i + j + 1..]);
    }
    plain.push_str(rest);
    for word in [
        " OR ",
        "NOT ",
        "-resource",
        "-metric",
        "metric.label",
        "metadata.",
        "group.id",
        "project =",
        "project=",
        "resource.labels.project_id",
        "resource.label.project_id",
    ] {
        if plain.contains(word) && out.other.is_none() {
            out.other = Some(format!("`{}`", word.trim()));
        }
    }
    // Each `resource.label(s).NAME OP VALUE`.
    let mut rest = filter;
    while let Some(i) = rest.find("resource.label") {
        let after = &rest[i + "resource.label".len()..];
        let after = after.strip_prefix('s').unwrap_or(after);
        let Some(after) = after.strip_prefix('.') else {
            rest = after;
            continue;
        };
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '"')
            .collect();
        let tail = after[name.len()..].trim_start();
        let name = name.trim_matches('"').to_string();
        let (op, value_text) = if let Some(t) = tail.strip_prefix("!=") {
            ("!=", t)
        } else if let Some(t) = tail.strip_prefix("=~") {
            ("=~", t)
        } else if let Some(t) = tail.strip_prefix('=') {
            ("=", t)
        } else if let Some(t) = tail.strip_prefix(':') {
            (":", t)
        } else {
            ("", tail)
        };
        let value_text = value_text.trim_start();
        let value = value_text
            .strip_prefix('"')
            .and_then(|v| v.find('"').map(|j| v[..j].to_string()));
        out.labels.push((name, op.to_string(), value));
        rest = value_text;
    }
    // `resource.type = "X"`.
    if let Some(i) = filter.find("resource.type") {
        let tail = filter[i + "resource.type".len()..].trim_start();
        if let Some(v) = tail.strip_prefix('=').map(str::trim_start)
            && let Some(v) = v.strip_prefix('"')
            && let Some(j) = v.find('"')
        {
            out.resource_type = Some(v[..j].to_string());
        }
    }
    out
}

/// The part of a label value that names the resource: after the last separator of `format`
/// before `{name}` (`{project}:{name}` → after the last `:`).
fn name_part<'t>(value: &'t str, d: &DimensionSpec) -> &'t str {
    let Some(prefix) = d
        .format
        .as_deref()
        .and_then(|f| f.strip_suffix("{name}"))
        .filter(|p| !p.is_empty())
    else {
        return value;
    };
    match prefix.chars().last() {
        Some(sep) => value.rsplit_once(sep).map_or(value, |(_, n)| n),
        None => value,
    }
}

impl Cx<'_, '_> {
    /// Adds what Cloud Monitoring alert policies on `spec` say about a replica's lag.
    pub(crate) fn alert_policy_lag(
        &self,
        spec: &MetricSpec,
        m: &Mechanism,
        source: &Resource,
        replica: Option<&Resource>,
        answers: &mut Answers,
    ) {
        for p in &self.notifiers.gcp.policies {
            for c in &p.conditions {
                let tri = match &c.text {
                    Ok(text) => self.condition_covers(text, c, spec, m, source, replica, p),
                    Err((reason, span)) => Tri::Maybe {
                        reason: format!(
                            "a condition of {} is unknown: {reason}",
                            p.resource.address
                        ),
                        span: *span,
                    },
                };
                if matches!(tri, Tri::No) {
                    continue;
                }
                let tri = tri.and(Cx::exists(p.resource));
                answers.add(tri, p.resource, || {
                    format!(
                        "alert policy {} on {}",
                        p.resource.address,
                        spec.metrics.join(", ")
                    )
                });
            }
        }
    }

    /// Whether one condition's filter or query watches the lag of the replica.
    #[allow(clippy::too_many_arguments)]
    fn condition_covers(
        &self,
        text: &str,
        c: &Condition,
        spec: &MetricSpec,
        m: &Mechanism,
        source: &Resource,
        replica: Option<&Resource>,
        p: &AlertPolicy<'_>,
    ) -> Tri {
        let policy = p.resource;
        let mentions = spec.metrics.iter().any(|metric| {
            text.contains(metric.as_str())
                || (c.lang == Lang::Promql && text.contains(&promql_name(metric)))
        });
        if !mentions {
            return if has_unknown(text) {
                Tri::Maybe {
                    reason: format!(
                        "a condition of {} is only partly known, so whether it names {} cannot be told",
                        policy.address,
                        spec.metrics.join(", ")
                    ),
                    span: c.span,
                }
            } else {
                Tri::No
            };
        }
        let designated = |value: DimensionValue| match value {
            DimensionValue::Source => Some(source),
            _ => replica,
        };
        let anchor = spec
            .dimensions
            .first()
            .and_then(|d| designated(d.value))
            .or(replica)
            .unwrap_or(source);
        // Every resource of the type in the project: certain when the policy is in the
        // replica's project.
        let whole_project = || {
            one_account(
                policy,
                anchor,
                "a Cloud Monitoring alert policy",
                self.same_account,
            )
        };
        let not_evaluated = |what: String| Tri::Maybe {
            reason: format!(
                "a condition of {} restricts the metric by {what}, which resilint does not evaluate",
                policy.address
            ),
            span: c.span,
        };
        match c.lang {
            Lang::Mql if text.contains("filter") => not_evaluated("an MQL `filter`".into()),
            Lang::Promql if text.contains('{') && !text.contains("{}") => {
                not_evaluated("a PromQL label matcher".into())
            }
            Lang::Mql | Lang::Promql => whole_project(),
            Lang::Filter => {
                let r = restrictions(text);
                if let Some(t) = &r.resource_type
                    && !has_unknown(t)
                    && *t != spec.namespace
                {
                    return Tri::No;
                }
                if let Some(other) = r.other {
                    return not_evaluated(other);
                }
                let mut tri = Tri::Yes;
                let mut restricted = false;
                for (label, op, value) in &r.labels {
                    let Some(d) = spec.dimensions.iter().find(|d| d.name == *label) else {
                        return not_evaluated(format!("`resource.labels.{label}`"));
                    };
                    restricted = true;
                    let one = match (op.as_str(), value) {
                        ("=", Some(v)) => self.label_names(v, d, designated(d.value), m, policy, c),
                        _ => not_evaluated(format!("`resource.labels.{label} {op}`")),
                    };
                    tri = tri.and(one);
                }
                if restricted { tri } else { whole_project() }
            }
        }
    }

    /// Whether a label value (`shop:payments-replica`) designates `target`.
    fn label_names(
        &self,
        value: &str,
        d: &DimensionSpec,
        target: Option<&Resource>,
        m: &Mechanism,
        policy: &Resource,
        c: &Condition,
    ) -> Tri {
        let Some(target) = target else {
            return Tri::Maybe {
                reason: format!(
                    "the {} is not a resource of the scanned files, so whether {} names it cannot be told",
                    m.label, policy.address
                ),
                span: c.span,
            };
        };
        let name = name_part(value, d);
        if has_unknown(name) {
            // `${google_sql_database_instance.replica.name}` in the same configuration.
            if let Some(reference) = name
                .strip_prefix("${")
                .and_then(|n| n.split('#').next())
                .and_then(|n| n.strip_suffix(".name"))
                && reference == target.address
                && policy.unit == target.unit
            {
                return Tri::Yes;
            }
            return Tri::Maybe {
                reason: format!(
                    "the `{}` that a condition of {} restricts to is not known as written",
                    d.name, policy.address
                ),
                span: c.span,
            };
        }
        self.names_resource(&Node::new(Kind::String(name.to_string()), c.span), target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promql_names() {
        assert_eq!(
            promql_name("cloudsql.googleapis.com/database/replication/replica_lag"),
            "cloudsql_googleapis_com:database_replication_replica_lag"
        );
    }

    #[test]
    fn filter_restrictions() {
        let r = restrictions(
            r#"metric.type = "cloudsql.googleapis.com/database/replication/replica_lag" AND resource.type = "cloudsql_database" AND resource.labels.database_id = "shop:payments-replica""#,
        );
        assert_eq!(r.resource_type.as_deref(), Some("cloudsql_database"));
        assert_eq!(
            r.labels,
            vec![(
                "database_id".to_string(),
                "=".to_string(),
                Some("shop:payments-replica".to_string())
            )]
        );
        assert!(r.other.is_none());
        let r = restrictions(r#"metric.type = "x" AND resource.label."database_id" =~ "shop:.*""#);
        assert_eq!(r.labels[0].1, "=~");
        assert!(
            restrictions(r#"metric.type = "x" OR metric.type = "y""#)
                .other
                .is_some()
        );
        assert!(
            restrictions(r#"metric.type = "x" AND resource.labels.project_id = "p""#)
                .other
                .is_some()
        );
    }
}
