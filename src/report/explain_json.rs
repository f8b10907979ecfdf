//! `resilint explain --format json`: what was inferred for each stateful resource.
//!
//! This is a stable contract (version 1): fields may be added, never renamed. A scope that no
//! mechanism covers is `null`; an unknown number is `null` with the reason in `unresolved`.
//!
//! Each entry is one stateful resource, a member of a component (a primary and its replicas,
//! which recover together). What the entry says of the resource is its own: its region, zones,
//! backups, replicas and settings that do not count. What belongs to the component is said as
//! such: `component` (its primary and members), the tier (with `tier_declared_by`, the member
//! whose tag or metadata declares it), restore testing and the per-scope `estimates`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, ReportOptions, locate, stateful};
use crate::duration;
use crate::evaluate::context::mechanism_unknowns;
use crate::evaluate::tier::{TierResolution, TierResolver};
use crate::infer::estimate::{self, Assume, Scope};
use crate::infer::{Component, Mechanism, Retention};
use crate::knowledge::{MechanismKind, ReplicationMode};
use crate::model::Resource;
use crate::scan::Scan;
use crate::source::Span;

/// The JSON explain emitter.
pub struct ExplainJson;

/// The document.
#[derive(Debug, Serialize)]
pub struct Explain<'a> {
    /// Contract version.
    pub version: u32,
    /// One entry per stateful resource.
    pub resources: Vec<ExplainResource>,
    /// Resources that hold data and are not estimated (RES014).
    pub not_modelled: Vec<ExplainNotModelled>,
    /// Backup plans, DLM policies and restore-testing plans: what each gives and covers.
    pub protectors: Vec<super::protectors::ExplainProtector>,
    /// What the run has to say besides its resources (files not read; why a run failed).
    pub notices: &'a [crate::notice::Notice],
}

/// One stateful resource.
/// The StackSet a resource's template is deployed by.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainStackSet {
    /// The StackSet's address.
    pub address: String,
    /// The regions of its stack instances.
    pub regions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ExplainResource {
    /// Address.
    pub address: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// File, relative to the base directory.
    pub file: String,
    /// Line of the declaration.
    pub line: u32,
    /// Knowledge-base family.
    pub family: String,
    /// The root module (its directory) or template it was evaluated from: two root modules that
    /// call one module give its resources the same address, told apart by this.
    pub evaluated_from: String,
    /// The CDK construct path of a synthesized resource (`OrdersStack/Table/Resource`, its
    /// `aws:cdk:path` metadata); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub construct_path: Option<String>,
    /// For a resource of a StackSet's template: the StackSet and the regions of its stack
    /// instances (independent copies, each with its own data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_set: Option<ExplainStackSet>,
    /// The tier that applies, if known.
    pub tier: Option<String>,
    /// Where the tier comes from: `tag`, `metadata`, `workload`, `default`.
    pub tier_source: Option<&'static str>,
    /// The member whose tag or metadata declares the tier (a replica inherits its primary's).
    pub tier_declared_by: Option<String>,
    /// The component this resource belongs to: its primary and all its members.
    pub component: ExplainComponent,
    /// Always true: only stateful resources are listed.
    pub stateful: bool,
    /// For a replica: the address of the component's primary resource.
    pub replica_of: Option<String>,
    /// For a member of a cluster (an instance): the cluster, whose data, backups and zones
    /// are the member's; it has none of its own (`zone_redundant` is `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_of: Option<String>,
    /// The resource's own region, if known.
    pub region: Option<String>,
    /// Its region and the regions of its live replicas (known names only).
    pub regions: Vec<String>,
    /// Whether its own standby or zone-redundant storage protects it (`null`: unknown).
    pub zone_redundant: Option<bool>,
    /// Backup mechanisms of its data.
    pub backups: Vec<ExplainBackup>,
    /// What keeps its data from being deleted without being a recovery point (S3 Object Lock).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub protections: Vec<ExplainBackup>,
    /// Its live replicas.
    pub replicas: Vec<ExplainReplica>,
    /// Restore-testing plans covering the component.
    pub restore_testing: Vec<String>,
    /// What must tell someone that the component's backups failed or its replication fell
    /// behind, and what does (RES015), one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub monitoring: Vec<String>,
    /// Mechanisms written on it that do not count: switched off (`multi_az = false`), or
    /// covering only part of the data (a filtered S3 replication rule).
    pub not_counted: Vec<NotCounted>,
    /// The component's per-scope estimates (its members recover together: a replica's
    /// backups can give its primary's region estimate).
    pub estimates: Estimates,
    /// What could not be determined, and why.
    pub unresolved: Vec<String>,
}

/// A resource that holds data and is not estimated.
#[derive(Debug, Serialize)]
pub struct ExplainNotModelled {
    /// Address.
    pub address: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// File, relative to the base directory.
    pub file: String,
    /// Line of the declaration.
    pub line: u32,
    /// What it is (`Aurora DB cluster`).
    pub what: String,
    /// For a member of another resource: whose data it holds.
    pub member_of: Option<String>,
}

/// A backup (or immutability) mechanism as explain lists it.
pub fn backup_entry(scan: &Scan, m: &Mechanism) -> ExplainBackup {
    let (file, line) = file_line(scan, m.span);
    let (retention_seconds, retention_unbounded) = match &m.retention {
        Some(Retention::Known { secs, .. }) => (Some(*secs), false),
        Some(Retention::Unbounded) | None => (None, true),
        Some(Retention::Unknown { .. }) => (None, false),
    };
    ExplainBackup {
        mechanism: m.label.clone(),
        kind: m.kind,
        interval_seconds: m.rpo.secs(),
        retention_seconds,
        retention_unbounded,
        regions: m.region.name().map(str::to_string).into_iter().collect(),
        single_zone: m.single_zone.as_ref().map(|c| {
            if c.is_certain() {
                "certain"
            } else {
                "possible"
            }
        }),
        certain: m.certainty.is_certain(),
        file,
        line,
    }
}

/// The resources of a scan that hold data and are not estimated.
pub fn not_modelled(scan: &Scan) -> Vec<ExplainNotModelled> {
    scan.inference
        .not_modelled
        .iter()
        .map(|n| {
            let r = scan.model.get(n.resource);
            let (file, line) = file_line(scan, r.span);
            ExplainNotModelled {
                address: r.address.clone(),
                rtype: r.rtype.clone(),
                file,
                line,
                what: n.what.clone(),
                member_of: n.member.clone(),
            }
        })
        .collect()
}

/// The component a resource belongs to.
#[derive(Debug, Serialize)]
pub struct ExplainComponent {
    /// The address of its primary.
    pub primary: String,
    /// The addresses of its members: the primary, then its replicas.
    pub members: Vec<String>,
}

/// A mechanism that is configured but does not count.
#[derive(Debug, Serialize)]
pub struct NotCounted {
    /// What it is, and why it does not count.
    pub mechanism: String,
    /// Where it is decided.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// A backup mechanism.
#[derive(Debug, Serialize)]
pub struct ExplainBackup {
    /// What it is.
    pub mechanism: String,
    /// `scheduled-backup`, `continuous-backup`, `backup-copy`, `versioning`.
    pub kind: MechanismKind,
    /// Largest gap between two recovery points (its RPO), seconds.
    pub interval_seconds: Option<u64>,
    /// How long recovery points are kept, seconds (`null` when unbounded or unknown).
    pub retention_seconds: Option<u64>,
    /// True when recovery points are kept until deleted.
    pub retention_unbounded: bool,
    /// Where the recovery points are kept.
    pub regions: Vec<String>,
    /// Set when they are kept in one zone of that region (backups on locally redundant
    /// storage), so that they do not survive its loss: `certain` or `possible`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single_zone: Option<&'static str>,
    /// Whether it certainly applies.
    pub certain: bool,
    /// Where it is declared.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// A live replica.
#[derive(Debug, Serialize)]
pub struct ExplainReplica {
    /// What it is.
    pub mechanism: String,
    /// Its region, if known.
    pub region: Option<String>,
    /// `sync` or `async`.
    pub mode: ReplicationMode,
    /// Replication lag (RPO), seconds.
    pub rpo_seconds: Option<u64>,
    /// Failover time (RTO), seconds.
    pub rto_seconds: Option<u64>,
    /// Whether it certainly exists.
    pub certain: bool,
    /// Where it is declared.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// Estimates per scope.
#[derive(Debug, Serialize)]
pub struct Estimates {
    /// Corruption, deletion.
    pub logical: Option<ScopeOut>,
    /// Loss of a zone.
    pub zone: Option<ScopeOut>,
    /// Loss of a region.
    pub region: Option<ScopeOut>,
}

/// One scope's estimate.
#[derive(Debug, Serialize)]
pub struct ScopeOut {
    /// Best RPO, seconds (`null` when it depends on unknown values).
    pub rpo_seconds: Option<u64>,
    /// Best RTO, seconds.
    pub rto_seconds: Option<u64>,
    /// The mechanism giving the RPO.
    pub via: Option<String>,
    /// The mechanism giving the RTO, when different.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto_via: Option<String>,
    /// Known worst case of an RPO that depends on unknown values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpo_upper_bound_seconds: Option<u64>,
    /// Whether the scope is certainly covered.
    pub certain: bool,
}

impl ScopeOut {
    /// The RPO for a reader: `15m`, `≤4h` when only its worst case is known, `?` when unknown.
    pub fn rpo_text(&self) -> String {
        match (self.rpo_seconds, self.rpo_upper_bound_seconds) {
            (Some(v), _) => duration::format(v),
            (None, Some(u)) => format!("≤{}", duration::format(u)),
            (None, None) => "?".into(),
        }
    }

    /// The RTO for a reader: `1h`, or `?` when unknown.
    pub fn rto_text(&self) -> String {
        self.rto_seconds
            .map(duration::format)
            .unwrap_or_else(|| "?".into())
    }
}

/// The file and 1-based line of a span, as [`locate`] gives them (an empty path and line 1 when
/// the file is not known).
pub(crate) fn file_line(scan: &Scan, span: Span) -> (String, u32) {
    let (file, r) = locate(scan, span);
    (file.to_string(), r.start.line)
}

/// A scope's estimate; with `--strict`, what is unknown counts as absent (the pessimistic view
/// is the only one).
fn scope_out(c: &Component, scope: Scope, strict: bool) -> Option<ScopeOut> {
    scope_detail(c, scope, strict).map(|d| d.out)
}

/// A scope's estimate with the mechanisms (indexes into the component's) that give its RPO and
/// its RTO, so that a report can say where each figure is declared.
pub(crate) struct ScopeDetail {
    /// The estimate as explain gives it.
    pub out: ScopeOut,
    /// The mechanism giving the RPO.
    pub rpo_via: Option<usize>,
    /// The mechanism giving the RTO.
    pub rto_via: Option<usize>,
}

/// [`scope_out`] with the deciding mechanisms.
pub(crate) fn scope_detail(c: &Component, scope: Scope, strict: bool) -> Option<ScopeDetail> {
    let pess = estimate::estimate(c, scope, Assume::Pessimistic);
    let opt = if strict {
        pess
    } else {
        estimate::estimate(c, scope, Assume::Optimistic)
    };
    if !pess.covered() && !opt.covered() {
        return None;
    }
    let label = |i: usize| c.mechanisms[i].label.clone();
    let certain_rpo = pess.rpo.is_some() && pess.rpo.map(|x| x.0) == opt.rpo.map(|x| x.0);
    let certain_rto = pess.rto.is_some() && pess.rto.map(|x| x.0) == opt.rto.map(|x| x.0);
    let rpo_via = pess.rpo.or(opt.rpo).map(|(_, i)| label(i));
    let rto_via = pess.rto.or(opt.rto).map(|(_, i)| label(i));
    let out = ScopeOut {
        rpo_seconds: certain_rpo.then(|| pess.rpo.map(|x| x.0)).flatten(),
        rto_seconds: certain_rto.then(|| pess.rto.map(|x| x.0)).flatten(),
        rto_via: if rto_via != rpo_via { rto_via } else { None },
        via: rpo_via,
        rpo_upper_bound_seconds: if certain_rpo {
            None
        } else {
            pess.rpo.map(|x| x.0)
        },
        certain: pess.covered(),
    };
    Some(ScopeDetail {
        out,
        rpo_via: pess.rpo.or(opt.rpo).map(|(_, i)| i),
        rto_via: pess.rto.or(opt.rto).map(|(_, i)| i),
    })
}

/// Reasons a mechanism is not fully known: its unknown values, and for a backup or a replica
/// an unknown region (the resource's own unknown region is listed once, apart).
fn mechanism_unresolved(c: &Component, m: &Mechanism, out: &mut Vec<String>) {
    out.extend(mechanism_unknowns(m).map(|(reason, _)| reason.to_string()));
    if (m.kind.is_backup() || m.kind == MechanismKind::Replica)
        && c.home.is_outside(&m.region).is_none()
        && let Some(r) = m.region.unknown_reason()
    {
        out.push(format!("{}: {r}", m.label));
    }
}

/// Builds the explain entries of a scan.
pub fn entries(scan: &Scan) -> Vec<ExplainResource> {
    let resolver = TierResolver::new(&scan.config).strict(scan.strict);
    stateful(scan)
        .map(|(r, c)| entry(scan, &resolver, r, c))
        .collect()
}

/// The explain entry of one stateful resource.
pub(crate) fn entry(
    scan: &Scan,
    resolver: &TierResolver<'_>,
    r: &Resource,
    c: &Component,
) -> ExplainResource {
    let (file, line) = file_line(scan, r.span);
    let mut unresolved = Vec::new();
    let (tier, tier_source, tier_declared_by) =
        match resolver.resolve(&scan.model, &scan.sources, c).0 {
            TierResolution::Resolved { decl, tier } => {
                let by = decl
                    .span
                    .is_some()
                    .then(|| scan.model.get(decl.resource).address.clone());
                (Some(tier.name), Some(decl.source.as_str()), by)
            }
            TierResolution::Unknown { reason, .. } => {
                unresolved.push(reason);
                (None, None, None)
            }
            TierResolution::Undefined | TierResolution::Missing => (None, None, None),
        };
    if let Some(reason) = &r.existence_unknown {
        unresolved.push(format!("{} may not exist: {reason}", r.address));
    }
    let is_primary = r.id == c.primary;
    let own_region_unknown = if is_primary {
        c.home.unknown_reason()
    } else {
        r.region.unknown_reason().map(str::to_string)
    };
    if let Some(reason) = own_region_unknown {
        unresolved.push(format!("region: {reason}"));
    }
    if let (true, Some(s)) = (is_primary, &c.external_source) {
        unresolved.push(s.clone());
    }
    // The resource's own facts: what protects its data.
    let mine: Vec<&Mechanism> = c.mechanisms.iter().filter(|m| m.protects == r.id).collect();
    let mut regions = if is_primary {
        c.home.names()
    } else {
        r.region.name().map(str::to_string).into_iter().collect()
    };
    let mut backups = Vec::new();
    let mut protections = Vec::new();
    let mut replicas = Vec::new();
    for m in &mine {
        mechanism_unresolved(c, m, &mut unresolved);
        let (mfile, mline) = file_line(scan, m.span);
        if m.kind == MechanismKind::Replica {
            if let Some(name) = m.region.name()
                && !regions.iter().any(|x| x == name)
                && m.certainty.is_certain()
            {
                regions.push(name.to_string());
            }
            replicas.push(ExplainReplica {
                mechanism: m.label.clone(),
                region: m.region.name().map(str::to_string),
                mode: m.mode.unwrap_or(ReplicationMode::Async),
                rpo_seconds: m.rpo.secs(),
                rto_seconds: m.rto.secs(),
                certain: m.certainty.is_certain(),
                file: mfile,
                line: mline,
            });
        } else if m.kind.is_backup() || m.kind == MechanismKind::Immutability {
            let list = if m.kind.is_backup() {
                &mut backups
            } else {
                &mut protections
            };
            list.push(backup_entry(scan, m));
        }
    }
    unresolved.sort();
    unresolved.dedup();
    let zonal = |m: &&&Mechanism| {
        matches!(
            m.kind,
            MechanismKind::Standby | MechanismKind::ZoneRedundant
        )
    };
    let zone_redundant = if mine.iter().filter(zonal).any(|m| m.certainty.is_certain()) {
        Some(true)
    } else if mine.iter().any(|m| zonal(&m)) && !scan.strict {
        None
    } else {
        Some(false)
    };
    let address = |id| scan.model.get(id).address.clone();
    let member = !is_primary && crate::infer::not_modelled::is_member(r, &scan.kb);
    let zone_redundant = if member { None } else { zone_redundant };
    ExplainResource {
        address: r.address.clone(),
        rtype: r.rtype.clone(),
        file,
        line,
        family: c.family.clone(),
        evaluated_from: r.unit.clone(),
        construct_path: r
            .metadata
            .as_ref()
            .and_then(|m| m.get("aws:cdk:path").or_else(|| m.get("cdktf:path")))
            .and_then(|p| p.as_str())
            .map(|p| p.into_owned()),
        stack_set: r.stack_set.as_ref().map(|s| ExplainStackSet {
            address: s.stack_set.clone(),
            regions: s.regions.clone(),
        }),
        tier,
        tier_source,
        tier_declared_by,
        component: ExplainComponent {
            primary: address(c.primary),
            members: c.members().map(address).collect(),
        },
        stateful: true,
        replica_of: (!is_primary && !member).then(|| address(c.primary)),
        member_of: member.then(|| address(c.primary)),
        region: r.region.name().map(str::to_string),
        regions,
        zone_redundant,
        backups,
        protections,
        replicas,
        restore_testing: c
            .restore_tests
            .iter()
            .map(|t| {
                if t.certainty.is_certain() {
                    t.label.clone()
                } else {
                    format!("{} (uncertain)", t.label)
                }
            })
            .collect(),
        monitoring: c
            .watches
            .iter()
            .map(crate::infer::monitoring::describe)
            .collect(),
        not_counted: c
            .disabled
            .iter()
            .filter(|d| d.resource == r.id)
            // Settings written in the configuration, not defaults (an absent attribute is not
            // news), and not a mechanism that another setting does turn on.
            .filter(|d| d.implicit.is_none())
            .filter(|d| !mine.iter().any(|m| m.label == d.label))
            .map(|d| {
                let (file, line) = file_line(scan, d.span);
                NotCounted {
                    mechanism: match d.kind {
                        MechanismKind::Replica => d.label.clone(),
                        _ => format!("{} is off", d.label),
                    },
                    file,
                    line,
                }
            })
            .collect(),
        estimates: Estimates {
            logical: scope_out(c, Scope::Logical, scan.strict),
            zone: scope_out(c, Scope::Zone, scan.strict),
            region: scope_out(c, Scope::Region, scan.strict),
        },
        unresolved,
    }
}

impl Emitter for ExplainJson {
    fn emit(&self, scan: &Scan, _options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let doc = Explain {
            version: 1,
            resources: entries(scan),
            not_modelled: not_modelled(scan),
            protectors: super::protectors::protectors(scan),
            notices: &scan.notices,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::example_scan;
    use crate::source::FileId;

    #[test]
    fn lines_are_one_based_even_for_an_unknown_file() {
        let scan = example_scan();
        let unknown = Span::new(FileId(u32::MAX), 0, 0);
        assert_eq!(file_line(&scan, unknown), (String::new(), 1));
        let (path, region) = locate(&scan, unknown);
        assert_eq!((path, region.start.line), ("", 1));
        let first = scan.findings.first().map(|f| f.span).unwrap_or(unknown);
        let (file, line) = file_line(&scan, first);
        let (path, region) = locate(&scan, first);
        assert_eq!((file.as_str(), line), (path, region.start.line));
        assert!(line >= 1 && !file.is_empty());
    }
}
