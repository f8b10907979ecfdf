//! Per-scope RPO/RTO estimates (RESILIENCE-MODEL §3-4).
//!
//! For each scope, the RPO is the smallest RPO among the mechanisms that cover it and the RTO the
//! smallest RTO, independently. A scope no mechanism covers is unprotected (`None`).
//!
//! Unknowns are handled by computing everything twice: under [`Assume::Pessimistic`] an
//! uncertain mechanism is absent, an unknown figure contributes only its known worst case, and an
//! undecidable region comparison is "same region"; under [`Assume::Optimistic`] the opposite. A
//! verdict that is the same both ways is certain; one that differs depends on an unknown value.

use super::{Component, Home, Mechanism, Retention};
use crate::knowledge::MechanismKind;

/// The disruption a target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Corruption, bad deploys, deletion.
    Logical,
    /// Loss of a host or an availability zone.
    Zone,
    /// Loss of a region.
    Region,
}

impl Scope {
    /// All scopes.
    pub const ALL: [Scope; 3] = [Scope::Logical, Scope::Zone, Scope::Region];

    /// Name used in messages and output.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Logical => "logical",
            Scope::Zone => "zone",
            Scope::Region => "region",
        }
    }
}

/// How unknowns are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assume {
    /// Unknowns in the resource's favour.
    Optimistic,
    /// Unknowns against it.
    Pessimistic,
}

/// A scope's best RPO and RTO, with the index of the mechanism that gives each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeEstimate {
    /// Best RPO in seconds and the mechanism giving it.
    pub rpo: Option<(u64, usize)>,
    /// Best RTO in seconds and the mechanism giving it.
    pub rto: Option<(u64, usize)>,
}

impl ScopeEstimate {
    /// Whether some mechanism covers the scope.
    pub fn covered(&self) -> bool {
        self.rpo.is_some() || self.rto.is_some()
    }
}

/// Whether a mechanism is present under the assumption.
pub fn present(m: &Mechanism, assume: Assume) -> bool {
    m.certainty.is_certain() || assume == Assume::Optimistic
}

/// Whether a region is outside the home region under the assumption.
pub fn outside(home: &Home, m: &Mechanism, assume: Assume) -> bool {
    home.is_outside(&m.region)
        .unwrap_or(assume == Assume::Optimistic)
}

/// Whether `m` covers `scope`.
pub fn covers(m: &Mechanism, scope: Scope, home: &Home, assume: Assume) -> bool {
    if !present(m, assume) {
        return false;
    }
    let backup = m.kind.is_backup();
    // A rewind in place needs the resource it rewinds: it does not survive a zone or region.
    // Immutability recovers nothing by itself.
    if (m.kind == MechanismKind::Rewind && scope != Scope::Logical)
        || m.kind == MechanismKind::Immutability
    {
        return false;
    }
    match scope {
        Scope::Logical => backup,
        Scope::Zone => {
            (backup && survives_zone_loss(m, assume))
                || matches!(
                    m.kind,
                    MechanismKind::Standby | MechanismKind::ZoneRedundant
                )
                || (m.kind == MechanismKind::Replica && outside(home, m, assume))
        }
        Scope::Region => {
            (backup || m.kind == MechanismKind::Replica)
                && (m.spans_regions || outside(home, m, assume))
        }
    }
}

/// Whether a mechanism's data survives the loss of the zone it is in: not when it is kept in one
/// zone (locally redundant backup storage); a copy elsewhere is a mechanism of its own.
fn survives_zone_loss(m: &Mechanism, assume: Assume) -> bool {
    match &m.single_zone {
        None => true,
        Some(c) if c.is_certain() => false,
        Some(_) => assume == Assume::Optimistic,
    }
}

fn value(e: &super::Estimate, assume: Assume) -> Option<u64> {
    match e {
        super::Estimate::Known { secs, .. } => Some(*secs),
        super::Estimate::Unknown { upper, .. } => match assume {
            Assume::Optimistic => Some(0),
            Assume::Pessimistic => *upper,
        },
    }
}

/// The best RPO and RTO of a scope.
///
/// When the home region is one of several (a CloudFormation global table deployed to an unnamed
/// region), the estimate is computed for each possible home: the pessimistic estimate is the worst
/// of them, the optimistic one the best.
pub fn estimate(c: &Component, scope: Scope, assume: Assume) -> ScopeEstimate {
    match &c.home {
        Home::Single(_) => estimate_at(c, &c.home, scope, assume),
        Home::OneOf(set) => {
            let each = set
                .iter()
                .map(|h| estimate_at(c, &Home::Single(h.clone()), scope, assume));
            let pick = |a: Option<(u64, usize)>, b: Option<(u64, usize)>| match (a, b, assume) {
                (Some(x), Some(y), Assume::Pessimistic) => Some(if y.0 > x.0 { y } else { x }),
                (Some(x), Some(y), Assume::Optimistic) => Some(if y.0 < x.0 { y } else { x }),
                (None, _, Assume::Pessimistic) | (_, None, Assume::Pessimistic) => None,
                (x, y, Assume::Optimistic) => x.or(y),
            };
            each.reduce(|a, b| ScopeEstimate {
                rpo: pick(a.rpo, b.rpo),
                rto: pick(a.rto, b.rto),
            })
            .unwrap_or_default()
        }
    }
}

fn estimate_at(c: &Component, home: &Home, scope: Scope, assume: Assume) -> ScopeEstimate {
    let mut est = ScopeEstimate::default();
    for (i, m) in c.mechanisms.iter().enumerate() {
        if !covers(m, scope, home, assume) {
            continue;
        }
        if let Some(v) = value(&m.rpo, assume)
            && est.rpo.is_none_or(|(best, _)| v < best)
        {
            est.rpo = Some((v, i));
        }
        if let Some(v) = value(&m.rto, assume)
            && est.rto.is_none_or(|(best, _)| v < best)
        {
            est.rto = Some((v, i));
        }
    }
    // On a tie, credit the RTO to the mechanism that gives the RPO.
    if let (Some((_, ri)), Some((best, _))) = (est.rpo, est.rto)
        && value(&c.mechanisms[ri].rto, assume) == Some(best)
    {
        est.rto = Some((best, ri));
    }
    est
}

/// Whether, for every possible home region (pessimistic) or for some (optimistic), a present
/// mechanism selected by `pick` lies outside it: the index of one.
fn outside_home(c: &Component, assume: Assume, pick: impl Fn(&Mechanism) -> bool) -> Option<usize> {
    let find = |home: &Home| {
        c.mechanisms.iter().position(|m| {
            pick(m) && present(m, assume) && (m.spans_regions || outside(home, m, assume))
        })
    };
    match &c.home {
        Home::Single(_) => find(&c.home),
        Home::OneOf(set) => {
            let mut found = set.iter().map(|h| find(&Home::Single(h.clone())));
            match assume {
                Assume::Pessimistic => {
                    found.try_fold(None, |acc: Option<usize>, f| f.map(|i| acc.or(Some(i))))?
                }
                Assume::Optimistic => found.flatten().next(),
            }
        }
    }
}

/// A backup (or the backups of a replica) kept outside the home region: the index of one.
pub fn offsite_backup(c: &Component, assume: Assume) -> Option<usize> {
    outside_home(c, assume, |m| m.kind.is_backup())
}

/// A live replica in another region: the index of one.
pub fn replica_elsewhere(c: &Component, assume: Assume) -> Option<usize> {
    outside_home(c, assume, |m| m.kind == MechanismKind::Replica)
}

/// A standby or zone-redundant storage: the index of one.
pub fn zone_redundancy(c: &Component, assume: Assume) -> Option<usize> {
    c.mechanisms.iter().position(|m| {
        matches!(
            m.kind,
            MechanismKind::Standby | MechanismKind::ZoneRedundant
        ) && present(m, assume)
    })
}

/// The longest retention among backups: `Some(None)` for unbounded, `Some(Some(secs))`, or `None`
/// when there are no backups; with the index of the mechanism.
pub fn longest_retention(c: &Component, assume: Assume) -> Option<(Option<u64>, usize)> {
    let mut best: Option<(Option<u64>, usize)> = None;
    for (i, m) in c.mechanisms.iter().enumerate() {
        if !m.kind.is_backup() || !present(m, assume) {
            continue;
        }
        let v = match &m.retention {
            None | Some(Retention::Unbounded) => None,
            Some(Retention::Known { secs, .. }) => Some(*secs),
            Some(Retention::Unknown { .. }) => match assume {
                Assume::Optimistic => None,
                Assume::Pessimistic => continue,
            },
        };
        let better = match (&best, v) {
            (None, _) => true,
            (Some((Some(_), _)), None) => true,
            (Some((Some(b), _)), Some(x)) => x > *b,
            (Some((None, _)), _) => false,
        };
        if better {
            best = Some((v, i));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::{Certainty, Estimate};
    use crate::model::{Region, ResourceId};
    use crate::source::Span;

    fn mech(kind: MechanismKind, rpo: u64, rto: u64, region: &str, certain: bool) -> Mechanism {
        Mechanism {
            kind,
            id: "x".into(),
            label: format!("{kind:?}"),
            cadence: None,
            origin: ResourceId(0),
            protects: ResourceId(0),
            span: Span::default(),
            certainty: if certain {
                Certainty::Certain
            } else {
                Certainty::Uncertain {
                    reason: "r".into(),
                    span: Span::default(),
                }
            },
            rpo: Estimate::Known {
                secs: rpo,
                basis: "t".into(),
            },
            rto: Estimate::Known {
                secs: rto,
                basis: "t".into(),
            },
            retention: kind.is_backup().then_some(Retention::Known {
                secs: 86_400,
                span: Span::default(),
                implicit: None,
            }),
            region: Region::known(region, None),
            mode: None,
            implicit: None,
            single_zone: None,
            spans_regions: false,
        }
    }

    fn component(mechanisms: Vec<Mechanism>) -> Component {
        Component {
            primary: ResourceId(0),
            replicas: vec![],
            family: "f".into(),
            home: Home::Single(Region::known("eu-west-1", None)),
            mechanisms,
            disabled: vec![],
            restore_tests: vec![],
            backup_targets: vec![],
            watches: vec![],
            external_source: None,
        }
    }

    #[test]
    fn scopes_take_the_best_covering_mechanism() {
        let c = component(vec![
            mech(
                MechanismKind::ContinuousBackup,
                300,
                3600,
                "eu-west-1",
                true,
            ),
            mech(MechanismKind::Standby, 0, 120, "eu-west-1", true),
            mech(MechanismKind::Replica, 60, 600, "eu-central-1", true),
        ]);
        let logical = estimate(&c, Scope::Logical, Assume::Pessimistic);
        assert_eq!(logical.rpo, Some((300, 0)));
        let zone = estimate(&c, Scope::Zone, Assume::Pessimistic);
        assert_eq!(zone.rpo, Some((0, 1)));
        assert_eq!(zone.rto, Some((120, 1)));
        let region = estimate(&c, Scope::Region, Assume::Pessimistic);
        assert_eq!(region.rpo, Some((60, 2)));
        assert_eq!(offsite_backup(&c, Assume::Pessimistic), None);
        assert_eq!(replica_elsewhere(&c, Assume::Pessimistic), Some(2));
    }

    #[test]
    fn uncertain_mechanisms_count_only_optimistically() {
        let c = component(vec![mech(
            MechanismKind::ScheduledBackup,
            86_400,
            3600,
            "eu-west-1",
            false,
        )]);
        assert!(!estimate(&c, Scope::Logical, Assume::Pessimistic).covered());
        assert!(estimate(&c, Scope::Logical, Assume::Optimistic).covered());
    }

    #[test]
    fn an_unknown_home_among_known_regions_takes_the_worst_case() {
        let mut c = component(vec![
            mech(MechanismKind::Replica, 1, 300, "us-east-1", true),
            mech(MechanismKind::Replica, 1, 300, "eu-west-1", true),
        ]);
        c.home = Home::OneOf(vec![
            Region::known("us-east-1", None),
            Region::known("eu-west-1", None),
        ]);
        assert!(estimate(&c, Scope::Region, Assume::Pessimistic).covered());
        assert!(replica_elsewhere(&c, Assume::Pessimistic).is_some());
    }
}
