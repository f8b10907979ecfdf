//! Monitoring (RES015): what tells someone that a component's backups failed, or that its
//! replication fell behind.
//!
//! What is shared by every cloud is here (the [`Watch`]es, how a notifier's answers combine,
//! whether a value names a resource); how each cloud's notifiers are read and matched is in
//! `infer/<cloud>/monitoring.rs`.
//!
//! Two things need watching, each from the knowledge base:
//! - **backups** an AWS Backup rule writes to a vault: reported by the vault's notifications
//!   with an event that reports failed jobs (`[backup-alerts] vault-events`), by an EventBridge
//!   rule whose pattern matches a failed backup job's event (which covers every vault of its
//!   account and region), or by an alarm on a failed-jobs metric;
//! - the lag of an **asynchronous replica** whose family names a lag metric for its replication
//!   (`[[family.lag-metric]]`): reported by an alarm on that metric whose dimensions designate
//!   the replica (or its source), in the region where the metric is published.
//!
//! Each [`Watch`] says whether something certainly covers it, certainly nothing does, or that
//! it depends on a value that cannot be determined (an alarm dimension from a variable): rules
//! never turn the last into a violation. Backups Azure Backup writes to a Recovery Services
//! vault or a Backup vault are watched by the vault's built-in job-failure alerts routed by an
//! alert processing rule (`[azure-backup-alerts]`, `infer/azure/monitoring.rs`). A replica whose
//! family names no lag metric, and a resource backed up by anything else, get no watch: they are
//! not evaluated.

use super::aws::monitoring as aws;
use super::azure::monitoring as azure;
use super::gcp::monitoring as gcp;
use super::link::{Linker, resource_names};
use super::select::{Tri, one_account, same_region};
use super::{Certainty, Component, Home, InferOptions, Mechanism};
use crate::knowledge::schema::{DimensionValue, MetricRegion, MetricSpec};
use crate::knowledge::{KnowledgeBase, MechanismKind, ReplicationMode, Role};
use crate::model::node::{Kind, Node};
use crate::model::{Model, Region, Resource, ResourceId};
use crate::source::Span;

/// What must be watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchKind {
    /// Failed backup jobs into a vault.
    Backups,
    /// A replica's lag.
    Lag,
}

/// Whether something notifies.
#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    /// This resource does (a vault's notifications, an EventBridge rule, an alarm).
    By {
        /// The notifier.
        resource: ResourceId,
        /// What it is, for explanations.
        what: String,
    },
    /// It depends on a value that cannot be determined.
    Unknown {
        /// Why.
        reason: String,
        /// The expression.
        span: Span,
    },
    /// Nothing in the scan does.
    None,
}

/// One thing that must tell someone when it goes wrong, and whether something does.
#[derive(Debug, Clone)]
pub struct Watch {
    /// Backups or a replica's lag.
    pub kind: WatchKind,
    /// What is watched, for messages: `vault `main``, `read replica aws_db_instance.replica`.
    pub subject: String,
    /// The resource that declares it, when it is not named in `subject` (the vault resource).
    pub declared_by: Option<ResourceId>,
    /// Where it is declared: the vault (or the rule's vault attribute), the replica.
    pub span: Span,
    /// The member whose data it is about.
    pub protects: ResourceId,
    /// What makes it needed: the AWS Backup rules that write to the vault; the replication.
    pub because: Vec<String>,
    /// Whether it is certainly needed (the rule certainly backs the member up, the replica
    /// certainly exists).
    pub needed: Certainty,
    /// What notifies.
    pub coverage: Coverage,
    /// For a lag: the metric names (namespace first) an alarm should watch, the dimensions it
    /// should set, and the region where the metric is published.
    pub metric: Option<LagHint>,
    /// What almost counts, and why it does not (a vault's notifications that name only
    /// deprecated events, an alarm in another region), with where it is.
    pub near: Vec<(String, Span)>,
    /// For backups into an Azure vault: whether its built-in job-failure alerts are on, for
    /// help texts.
    pub vault_alerts: Option<VaultAlerts>,
}

/// The built-in job-failure alerts of an Azure vault.
#[derive(Debug, Clone, PartialEq)]
pub enum VaultAlerts {
    /// Turned off by this attribute.
    Off {
        /// The attribute (`monitoring.alerts_for_all_job_failures_enabled`).
        setting: String,
    },
    /// On (or unknown): what is missing is their routing.
    On {
        /// The attribute that turns them off, when the vault type has one.
        setting: Option<String>,
    },
}

/// How to watch a replica's lag, for help texts.
#[derive(Debug, Clone, PartialEq)]
pub struct LagHint {
    /// The role of what should watch it: a CloudWatch alarm (`metric-alarm`), an Azure Monitor
    /// metric alert (`metric-alert`), a Cloud Monitoring alert policy (`alert-policy`).
    pub alert: Role,
    /// The namespace (`AWS/RDS`, `Microsoft.DBforMySQL/flexibleServers`), or the monitored
    /// resource type (`cloudsql_database`).
    pub namespace: String,
    /// For an Azure metric alert: what its scopes must designate (`` `mysql-replica` ``).
    pub scope: Option<String>,
    /// The metric names.
    pub metrics: Vec<String>,
    /// The dimensions to set and what they designate (`DBInstanceIdentifier` = the replica's
    /// identifier), with the value when it is known.
    pub dimensions: Vec<(String, String)>,
    /// The region where the metric is published.
    pub region: Region,
}

/// One line for explanations: what is watched, and what watches it.
pub fn describe(w: &Watch) -> String {
    let what = match w.kind {
        WatchKind::Backups => format!("failed backups into {}", w.subject),
        WatchKind::Lag => format!("lag of the {}", w.subject),
    };
    let by = match &w.coverage {
        Coverage::By { what, .. } => format!("notified by {what}"),
        Coverage::Unknown { reason, .. } => format!("unknown: {reason}"),
        Coverage::None => "nothing notifies".into(),
    };
    let uncertain = if w.needed.is_certain() {
        ""
    } else {
        " (uncertain)"
    };
    format!("{what} · {by}{uncertain}")
}

/// Everything in the scan that notifies, per cloud.
pub(crate) struct Notifiers<'m> {
    /// Vault notifications, EventBridge rules, CloudWatch alarms.
    pub(crate) aws: aws::Notifiers<'m>,
    /// Azure Monitor metric alerts and alert processing rules.
    pub(crate) azure: azure::Notifiers<'m>,
    /// Cloud Monitoring alert policies.
    pub(crate) gcp: gcp::Notifiers<'m>,
}

/// Adds the watches of every component.
pub fn apply(
    model: &Model,
    kb: &KnowledgeBase,
    linker: &Linker<'_>,
    options: &InferOptions,
    components: &mut [Component],
) {
    let notifiers = Notifiers {
        aws: aws::read_notifiers(model, linker),
        azure: azure::read_notifiers(linker),
        gcp: gcp::read_notifiers(linker),
    };
    let cx = Cx {
        model,
        kb,
        linker,
        same_account: options.same_account,
        notifiers: &notifiers,
    };
    for c in components.iter_mut() {
        let mut watches = cx.backup_watches(c);
        watches.extend(cx.azure_backup_watches(c));
        for m in &c.mechanisms {
            if let Some(w) = cx.lag_watch(c, m) {
                watches.push(w);
            }
        }
        c.watches = watches;
    }
}

/// A string written literally (not a reference).
pub(crate) fn literal(n: &Node) -> Option<String> {
    match &n.kind {
        Kind::String(_) | Kind::Number(_) => n.as_str().map(|s| s.into_owned()),
        _ => None,
    }
}

/// What the watches are computed from.
pub(crate) struct Cx<'a, 'm> {
    pub(crate) model: &'m Model,
    pub(crate) kb: &'m KnowledgeBase,
    pub(crate) linker: &'a Linker<'m>,
    pub(crate) same_account: bool,
    pub(crate) notifiers: &'a Notifiers<'m>,
}

/// Collects the answers of several notifiers: the first that covers wins, else the first
/// that may, else none.
#[derive(Default)]
pub(crate) struct Answers {
    by: Option<(ResourceId, String)>,
    maybe: Option<(String, Span)>,
    pub(crate) near: Vec<(String, Span)>,
}

impl Answers {
    pub(crate) fn add(&mut self, tri: Tri, r: &Resource, what: impl FnOnce() -> String) {
        match tri {
            Tri::Yes if self.by.is_none() => self.by = Some((r.id, what())),
            Tri::Maybe { reason, span } if self.maybe.is_none() => {
                self.maybe = Some((reason, span));
            }
            _ => {}
        }
    }

    pub(crate) fn coverage(self) -> (Coverage, Vec<(String, Span)>) {
        let coverage = match (self.by, self.maybe) {
            (Some((resource, what)), _) => Coverage::By { resource, what },
            (None, Some((reason, span))) => Coverage::Unknown { reason, span },
            (None, None) => Coverage::None,
        };
        (coverage, self.near)
    }
}

impl<'m> Cx<'_, 'm> {
    /// Whether `r` exists for certain: a notifier that may not exist covers nothing for certain.
    pub(crate) fn exists(r: &Resource) -> Tri {
        match Certainty::existence(r) {
            Certainty::Certain => Tri::Yes,
            Certainty::Uncertain { reason, span } => Tri::Maybe { reason, span },
        }
    }

    /// Whether `notifier` is in `region` (where what it watches happens) and in the account of
    /// `anchor`.
    pub(crate) fn place(
        &self,
        notifier: &Resource,
        region: &Region,
        anchor: &Resource,
        what: &str,
    ) -> Tri {
        same_region(&notifier.region, region, what, notifier.span).and(one_account(
            notifier,
            anchor,
            what,
            self.same_account,
        ))
    }

    /// Whether `node` (an alarm dimension's value) designates `target`: a reference to it, or
    /// one of its names. A literal that is not one of its known names does not; when its name
    /// is unknown or chosen at creation, it cannot be told.
    pub(crate) fn names_resource(&self, node: &Node, target: &Resource) -> Tri {
        let alternatives = node.alternatives();
        if !alternatives.is_empty() {
            let answers: Vec<Tri> = alternatives
                .iter()
                .map(|a| self.names_resource(a, target))
                .collect();
            if answers.iter().all(|t| matches!(t, Tri::No)) {
                return Tri::No;
            }
            if answers.iter().all(|t| matches!(t, Tri::Yes)) {
                return Tri::Yes;
            }
            return maybe(node, "which resource the dimension names is unknown");
        }
        match &node.kind {
            Kind::Ref(r) => Tri::from_bool(self.model.resolve(&r.target).contains(&target.id)),
            Kind::String(_) | Kind::Number(_) => {
                let text = node.as_str().unwrap_or_default();
                let names = resource_names(target, self.kb);
                if names.iter().any(|n| *n == text) {
                    return Tri::Yes;
                }
                let spec = self.linker.spec(target.id);
                let attrs: Vec<&Node> = spec
                    .map(|s| s.names.iter().filter_map(|a| target.attr(a)).collect())
                    .unwrap_or_default();
                let known = |n: &&Node| {
                    !n.is_unknown() && n.as_ref_target().is_none() && n.as_str().is_some()
                };
                if !attrs.is_empty() && attrs.iter().all(known) {
                    return Tri::No;
                }
                let why = match attrs.iter().find(|n| !known(n)) {
                    Some(n) => n
                        .unknown_reason()
                        .unwrap_or_else(|| "its name is not a string".into()),
                    None => "its name is chosen when it is created".into(),
                };
                Tri::Maybe {
                    reason: format!(
                        "whether `{text}` is the name of {} cannot be told: {why}",
                        target.address
                    ),
                    span: node.span,
                }
            }
            Kind::Null => Tri::No,
            _ => maybe(node, "the dimension's value cannot be read"),
        }
    }

    /// The watch over an asynchronous replica's lag, when its family names a lag metric for
    /// its replication.
    fn lag_watch(&self, c: &Component, m: &Mechanism) -> Option<Watch> {
        if m.kind != MechanismKind::Replica || m.mode != Some(ReplicationMode::Async) {
            return None;
        }
        let family = self.kb.family(&c.family)?;
        let specs: Vec<&MetricSpec> = family
            .lag_metric
            .iter()
            .filter(|l| l.replications.contains(&m.id))
            .filter(|l| l.types.is_empty() || l.types.contains(&self.model.get(m.protects).rtype))
            .collect();
        if specs.is_empty() {
            return None;
        }
        let source = self.model.get(m.protects);
        // The replica resource, when it is one of the scan (a read replica, a secondary
        // cluster); a replica the source declares (a global table's region) is none.
        let replica = (m.origin != m.protects && self.linker.family(m.origin) == Some(&c.family))
            .then(|| self.model.get(m.origin));
        let mut answers = Answers::default();
        for spec in &specs {
            match spec.alert_role() {
                Role::MetricAlert => self.metric_alert_lag(spec, m, source, replica, &mut answers),
                Role::AlertPolicy => self.alert_policy_lag(spec, m, source, replica, &mut answers),
                _ => self.alarm_lag(spec, m, source, replica, &mut answers),
            }
        }
        let spec = specs[0];
        let dimensions = spec
            .dimensions
            .iter()
            // A Cloud Monitoring filter may leave the label out; the hint says what it would be.
            .filter(|d| !d.optional || spec.alert_role() == Role::AlertPolicy)
            .map(|d| {
                let what = match d.value {
                    DimensionValue::Replica => match replica {
                        Some(r) => self.shown_name(r),
                        None => "the replica's name".into(),
                    },
                    DimensionValue::Source => self.shown_name(source),
                    DimensionValue::ReplicaRegion => m.region.label(),
                    _ => String::new(),
                };
                let what = match &d.format {
                    Some(f) if what.starts_with('`') => {
                        format!("`{}`", f.replace("{name}", what.trim_matches('`')))
                    }
                    _ => what,
                };
                (d.name.clone(), what)
            })
            .collect();
        let (coverage, near) = answers.coverage();
        // A template deployed to an unnamed region that lists its own region among the
        // replicas (a global table): an entry may be the resource itself.
        let mut needed = m.certainty.clone();
        if let Home::OneOf(set) = &c.home
            && set.iter().any(|h| h.same_as(&m.region) == Some(true))
        {
            needed = needed.and(Certainty::Uncertain {
                reason: c.home.unknown_reason().unwrap_or_default(),
                span: m.span,
            });
        }
        Some(Watch {
            kind: WatchKind::Lag,
            subject: m.label.clone(),
            declared_by: None,
            span: m.span,
            protects: m.protects,
            because: vec![m.label.clone()],
            needed,
            coverage,
            metric: Some(LagHint {
                alert: spec.alert_role(),
                scope: spec.scope.map(|s| match s {
                    DimensionValue::Source => self.shown_name(source),
                    _ => match replica {
                        Some(r) => self.shown_name(r),
                        None => "the replica".into(),
                    },
                }),
                namespace: spec.namespace.clone(),
                metrics: spec.metrics.clone(),
                dimensions,
                region: match spec.region {
                    MetricRegion::Replica => m.region.clone(),
                    MetricRegion::Source => source.region.clone(),
                },
            }),
            near,
            vault_alerts: None,
        })
    }

    /// A resource's name for a help text: `` `orders` ``, or `the name of X` when it is not
    /// known as written.
    fn shown_name(&self, r: &Resource) -> String {
        match resource_names(r, self.kb).into_iter().next() {
            Some(n) if !n.contains(crate::model::node::UNKNOWN_PART) && !n.contains("${") => {
                format!("`{n}`")
            }
            _ => format!("the name of {}", r.address),
        }
    }
}

/// Undecided because of `node`, with its reason when it has one.
pub(crate) fn maybe(node: &Node, fallback: &str) -> Tri {
    Tri::Maybe {
        reason: node.unknown_reason().unwrap_or_else(|| fallback.into()),
        span: node.span,
    }
}
