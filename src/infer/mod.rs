//! Stage 5: infer how each stateful resource can be recovered.
//!
//! For every stateful resource the knowledge base knows, inference gathers the recovery
//! [`Mechanism`]s that apply to it: those its own attributes give, those of resources that
//! configure it (versioning, replication), its replicas (and their own backups), AWS Backup plans
//! whose selections pick it, DLM policies whose target tags match it, and restore-testing plans
//! that cover it. A resource and its replicas form a [`Component`], the unit that is estimated and
//! reported. [`estimate`] then computes the best RPO/RTO per scope.
//!
//! Nothing unknown is dropped: a mechanism whose existence, figures or region cannot be
//! determined is kept with the reason, so that rules can tell "violates" from "cannot tell".

pub mod aws;
pub mod azure;
pub mod estimate;
pub mod gcp;
pub mod link;
pub mod members;
pub mod monitoring;
pub mod not_modelled;
pub mod own;
mod peers;
pub mod schedule;
pub mod select;
#[cfg(test)]
mod testing;

use crate::knowledge::predicate::Fact;
use crate::knowledge::{Figure, KnowledgeBase, MechanismKind, ReplicationMode};
use crate::model::{Model, Region, ResourceId};
use crate::source::Span;

pub use estimate::{Assume, Scope, ScopeEstimate};

/// Options that affect inference.
#[derive(Debug, Clone)]
pub struct InferOptions {
    /// The start of the window in which schedules are simulated (normally now).
    pub now: chrono::DateTime<chrono::Utc>,
    /// Whether all scanned root modules and templates deploy to one account, so that protection
    /// by tag or ARN pattern across them is certain.
    pub same_account: bool,
}

impl Default for InferOptions {
    fn default() -> Self {
        InferOptions {
            same_account: false,
            now: chrono::Utc::now(),
        }
    }
}

/// Whether something is certainly there, or only possibly.
#[derive(Debug, Clone, PartialEq)]
pub enum Certainty {
    /// Certain.
    Certain,
    /// It depends on a value that cannot be determined statically.
    Uncertain {
        /// Why.
        reason: String,
        /// The undeterminable expression.
        span: Span,
    },
}

impl Certainty {
    /// Certain when `r` certainly exists; else uncertain, since what hangs off a resource that
    /// may not exist (`count` or a condition that is unknown) may not exist either.
    pub fn existence(r: &crate::model::Resource) -> Certainty {
        match &r.existence_unknown {
            None => Certainty::Certain,
            Some(reason) => Certainty::Uncertain {
                reason: format!("{} may not exist: {reason}", r.address),
                span: r.span,
            },
        }
    }

    /// Whether it is certain.
    pub fn is_certain(&self) -> bool {
        matches!(self, Certainty::Certain)
    }

    /// Combines two certainties: uncertain if either is.
    pub fn and(self, other: Certainty) -> Certainty {
        match self {
            Certainty::Certain => other,
            u => u,
        }
    }
}

/// A duration that may be unknown.
#[derive(Debug, Clone, PartialEq)]
pub enum Estimate {
    /// Known, in seconds.
    Known {
        /// Seconds.
        secs: u64,
        /// Where the figure comes from (documentation URL, `heuristic`, or the attribute).
        basis: String,
    },
    /// Unknown.
    Unknown {
        /// Why.
        reason: String,
        /// The undeterminable expression.
        span: Span,
        /// A known worst case, if any (the figure without an optional improvement).
        upper: Option<u64>,
    },
}

impl Estimate {
    /// From a knowledge-base figure.
    pub fn figure(f: &Figure) -> Estimate {
        Estimate::Known {
            secs: f.value,
            basis: f.provenance(),
        }
    }

    /// The seconds, when known.
    pub fn secs(&self) -> Option<u64> {
        match self {
            Estimate::Known { secs, .. } => Some(*secs),
            Estimate::Unknown { .. } => None,
        }
    }
}

/// How long a backup mechanism keeps data.
#[derive(Debug, Clone, PartialEq)]
pub enum Retention {
    /// Until deleted by hand (no expiry configured).
    Unbounded,
    /// A known duration.
    Known {
        /// Seconds.
        secs: u64,
        /// The attribute that sets it (or the resource, for a default).
        span: Span,
        /// Set when a default applies.
        implicit: Option<String>,
    },
    /// Unknown.
    Unknown {
        /// Why.
        reason: String,
        /// The expression.
        span: Span,
    },
}

impl From<Option<Fact<u64>>> for Retention {
    /// A retention read from an attribute: unbounded when absent without a default.
    fn from(fact: Option<Fact<u64>>) -> Retention {
        match fact {
            None => Retention::Unbounded,
            Some(Fact::Known {
                value,
                span,
                implicit,
            }) => Retention::Known {
                secs: value,
                span,
                implicit,
            },
            Some(Fact::Unknown { reason, span }) => Retention::Unknown { reason, span },
        }
    }
}

/// One concrete way to recover a component.
#[derive(Debug, Clone)]
pub struct Mechanism {
    /// Kind.
    pub kind: MechanismKind,
    /// The knowledge-base id of its specification (`versioning`, `multi-az`), of the family
    /// replication for a replica (`replica`, `global`), or the protector kind (`aws-backup`,
    /// `dlm`).
    pub id: String,
    /// What it is, for messages (`automated backups (point-in-time recovery)`,
    /// `AWS Backup rule "daily"`).
    pub label: String,
    /// Cadence for messages (`daily`, `every 12 hours`), for scheduled backups.
    pub cadence: Option<String>,
    /// The resource that declares it (the protected resource, a plan, a policy, a replica).
    pub origin: ResourceId,
    /// The member of the component whose data it protects (the primary for its replicas).
    pub protects: ResourceId,
    /// The attribute that decides it (a schedule, `backup_retention_period`, `multi_az`).
    pub span: Span,
    /// Whether it certainly applies.
    pub certainty: Certainty,
    /// Recovery point objective it gives.
    pub rpo: Estimate,
    /// Recovery time objective it gives.
    pub rto: Estimate,
    /// How long it keeps data (backups only).
    pub retention: Option<Retention>,
    /// Where its data or replica lives.
    pub region: Region,
    /// For replicas: synchronous or asynchronous.
    pub mode: Option<ReplicationMode>,
    /// Set when a default value decided it (`backup_retention_period` not set).
    pub implicit: Option<String>,
    /// Set when its data is kept in one zone (backups on locally redundant storage), so that it
    /// does not survive the loss of that zone: certainly, or possibly (with why).
    pub single_zone: Option<Certainty>,
    /// Set when its data is kept in every region of the dual- or multi-region location it is
    /// in (Spanner and Firestore backups in a multi-region configuration), so that it survives
    /// the loss of one of them even in the resource's own location.
    pub spans_regions: bool,
}

/// A mechanism that is configured but switched off (`multi_az = false`); kept to point findings
/// at the attribute to change.
#[derive(Debug, Clone)]
pub struct Disabled {
    /// The member of the component it is written on.
    pub resource: ResourceId,
    /// Kind.
    pub kind: MechanismKind,
    /// What it is.
    pub label: String,
    /// The deciding attribute (or the resource when a default applies).
    pub span: Span,
    /// Set when a default decided it.
    pub implicit: Option<String>,
}

/// A restore-testing plan that covers a component.
#[derive(Debug, Clone)]
pub struct RestoreTest {
    /// The selection or plan resource.
    pub origin: ResourceId,
    /// What it is, for messages.
    pub label: String,
    /// Where.
    pub span: Span,
    /// Whether it certainly covers the component.
    pub certainty: Certainty,
}

/// The region a component lives in.
#[derive(Debug, Clone, PartialEq)]
pub enum Home {
    /// One region (possibly unknown).
    Single(Region),
    /// One of these known regions (a CloudFormation global table deployed to an unnamed region
    /// lists its own copy among its replicas).
    OneOf(Vec<Region>),
}

impl Home {
    /// Whether `region` is outside the home region: `None` when it cannot be decided.
    pub fn is_outside(&self, region: &Region) -> Option<bool> {
        match self {
            Home::Single(h) => h.same_as(region).map(|same| !same),
            Home::OneOf(set) => {
                if set.iter().all(|h| h.same_as(region) == Some(true)) {
                    Some(false)
                } else if set.iter().all(|h| h.same_as(region) == Some(false)) {
                    Some(true)
                } else {
                    None
                }
            }
        }
    }

    /// Why the home region is not known by name, if it is not.
    pub fn unknown_reason(&self) -> Option<String> {
        match self {
            Home::Single(r) => r.unknown_reason().map(str::to_string),
            Home::OneOf(_) => Some(
                "the stack's region is not named (pass --region): it is one of the global table's regions".into(),
            ),
        }
    }

    /// Region names for reports.
    pub fn names(&self) -> Vec<String> {
        match self {
            Home::Single(r) => r.name().map(str::to_string).into_iter().collect(),
            Home::OneOf(set) => set
                .iter()
                .filter_map(|r| r.name().map(str::to_string))
                .collect(),
        }
    }
}

/// A stateful resource with its replicas and protectors.
#[derive(Debug, Clone)]
pub struct Component {
    /// The primary resource (reported on).
    pub primary: ResourceId,
    /// Replica resources in the scan (not the primary).
    pub replicas: Vec<ResourceId>,
    /// Family id.
    pub family: String,
    /// Where the primary lives.
    pub home: Home,
    /// Recovery mechanisms.
    pub mechanisms: Vec<Mechanism>,
    /// Mechanisms that are switched off, on any member (see [`Component::primary_disabled`]).
    pub disabled: Vec<Disabled>,
    /// Restore-testing plans covering it.
    pub restore_tests: Vec<RestoreTest>,
    /// Set when the primary is a replica of a resource outside the scan.
    pub external_source: Option<String>,
    /// The AWS Backup rules that back its members up, with their target vaults.
    pub backup_targets: Vec<BackupTarget>,
    /// What must tell someone that its backups failed or its replication fell behind, and
    /// whether something does (RES015).
    pub watches: Vec<monitoring::Watch>,
}

/// An AWS Backup rule that backs up a member of a component, and the vault it writes to: a
/// failed job is reported by the vault's notifications, an EventBridge rule or an alarm.
#[derive(Debug, Clone)]
pub struct BackupTarget {
    /// The plan.
    pub plan: ResourceId,
    /// The rule's name (`None` when the plan's rules are unknown).
    pub rule: Option<String>,
    /// The member it backs up.
    pub protects: ResourceId,
    /// The vault: resources of the scan it designates, a name outside the scan, or unknown.
    pub vault: link::Target,
    /// The vault's name as written, when it is known (`main`, `Default`).
    pub vault_name: Option<String>,
    /// Where the rule names its vault (the rule when it names none).
    pub span: Span,
    /// Whether the rule certainly backs the member up.
    pub certainty: Certainty,
}

impl Component {
    /// All members: the primary, then replicas.
    pub fn members(&self) -> impl Iterator<Item = ResourceId> + '_ {
        std::iter::once(self.primary).chain(self.replicas.iter().copied())
    }

    /// The switched-off mechanisms written on the primary, which findings point at.
    pub fn primary_disabled(&self) -> impl Iterator<Item = &Disabled> + '_ {
        self.disabled.iter().filter(|d| d.resource == self.primary)
    }
}

/// What inference found.
#[derive(Debug, Default)]
pub struct Inference {
    /// Components, in primary resource order.
    pub components: Vec<Component>,
    /// For each resource: the component it belongs to, if stateful and known.
    pub component_of: Vec<Option<usize>>,
    /// Resources that hold data and are not estimated (RES014).
    pub not_modelled: Vec<not_modelled::NotModelled>,
    /// Backup Audit Manager framework controls (RES016).
    pub controls: Vec<aws::framework::Control>,
}

/// Runs inference over the model.
pub fn infer(model: &Model, kb: &KnowledgeBase, options: &InferOptions) -> Inference {
    let linker = link::Linker::new(model, kb);
    let members = members::MemberLinks::new(model, kb, &linker);
    let mut builder = own::ComponentBuilder::new(model, kb, &linker, &members);
    builder.own_mechanisms();
    let mut components = builder.finish();
    let index = component_index(model, &components);
    aws::backup::apply(model, kb, &linker, options, &mut components, &index);
    aws::dlm::apply(kb, &linker, options, &mut components, &index);
    monitoring::apply(model, kb, &linker, options, &mut components);
    for c in &mut components {
        c.mechanisms
            .sort_by_key(|m| (m.kind as u8, m.span.file, m.span.start));
    }
    Inference {
        component_of: index,
        components,
        not_modelled: not_modelled::collect(model, kb, &members),
        controls: aws::framework::collect(model, kb),
    }
}

/// The time to restore a resource of `family` from a backup (knowledge base, after overrides).
pub fn restore_rto(kb: &KnowledgeBase, family: &str) -> Estimate {
    match restore_figure(kb, family) {
        Some(f) => Estimate::figure(&f),
        None => Estimate::Unknown {
            reason: format!("no restore time is known for family `{family}`"),
            span: Span::default(),
            upper: None,
        },
    }
}

/// The figure `{family}/restore/rto`, after overrides; `None` for an unknown family.
pub fn restore_figure(kb: &KnowledgeBase, family: &str) -> Option<Figure> {
    let f = kb.family(family)?;
    Some(kb.figure(&format!("{family}/restore/rto"), &f.restore_rto.figure()))
}

fn component_index(model: &Model, components: &[Component]) -> Vec<Option<usize>> {
    let mut index = vec![None; model.resources.len()];
    for (i, c) in components.iter().enumerate() {
        for m in c.members() {
            index[m.index()] = Some(i);
        }
    }
    index
}
