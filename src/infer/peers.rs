//! Peer replication (`replica-of` with `peers = true`): resources of a family that name the
//! same group (the clusters of one Aurora global database) replicate one another. The first
//! declared is the primary; each other is a replica of it. One without a peer in the scan may
//! have peers elsewhere: an uncertain replica in an unknown region, never "single region".

use std::collections::BTreeMap;

use super::own::ComponentBuilder;
use super::{Certainty, Estimate, Mechanism};
use crate::knowledge::MechanismKind;
use crate::knowledge::schema::ReplicaOfSpec;
use crate::model::node::Kind;
use crate::model::{Region, ResourceId};

/// What a group is named by: the resource a reference designates, or a literal name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Resource(String),
    Name(String),
}

impl ComponentBuilder<'_> {
    /// Links the peers of every group.
    pub(super) fn peer_groups(&mut self) {
        let mut groups: BTreeMap<(String, GroupKey), Vec<(ResourceId, &ReplicaOfSpec)>> =
            BTreeMap::new();
        for r in &self.model.resources {
            let Some(spec) = self.kb.resource(&r.rtype) else {
                continue;
            };
            let Some(family) = spec.family.as_deref() else {
                continue;
            };
            for ro in spec.replica_of.iter().filter(|ro| ro.peers) {
                let Some(entry) = r.body.lookup_entry(&ro.path) else {
                    continue;
                };
                let key = match &entry.value.kind {
                    Kind::Null => continue,
                    Kind::Ref(reference) => GroupKey::Resource(reference.target.clone()),
                    Kind::String(s) => GroupKey::Name(s.clone()),
                    _ => {
                        let reason = entry
                            .value
                            .unknown_reason()
                            .unwrap_or_else(|| "it is not a name".into());
                        self.lone_peer(r.id, ro, format!("`{}` is unknown: {reason}", ro.path));
                        continue;
                    }
                };
                groups
                    .entry((family.to_string(), key))
                    .or_default()
                    .push((r.id, ro));
            }
        }
        for ((_, key), mut members) in groups {
            // A group resource that names its primary (a Terraform global datastore names its
            // primary replication group, which does not name the group): that primary leads.
            if let GroupKey::Resource(target) = &key {
                let named: Vec<ResourceId> = self
                    .model
                    .resources
                    .iter()
                    .filter(|g| &g.key == target || &g.base_key == target)
                    .flat_map(|g| self.members.of[g.id.index()].iter().copied())
                    .collect();
                if let (Some(&p), Some(&(_, ro))) = (named.first(), members.first())
                    && !members.iter().any(|(id, _)| *id == p)
                {
                    members.insert(0, (p, ro));
                }
            }
            let [(primary, ro), rest @ ..] = members.as_slice() else {
                continue;
            };
            if rest.is_empty() {
                let name = match &key {
                    GroupKey::Resource(k) | GroupKey::Name(k) => k.clone(),
                };
                self.lone_peer(
                    *primary,
                    ro,
                    format!("no other member of `{name}` is in the scanned files"),
                );
                continue;
            }
            for (peer, ro) in rest {
                self.peer(*primary, *peer, ro);
            }
        }
    }

    /// `peer` replicates `primary`.
    fn peer(&mut self, primary: ResourceId, peer: ResourceId, ro: &ReplicaOfSpec) {
        let family = self.model.get(primary).rtype.clone();
        let family = self
            .kb
            .resource(&family)
            .and_then(|s| s.family.clone())
            .unwrap_or_default();
        self.union(primary.index(), peer.index());
        self.is_replica[peer.index()] = true;
        let r = self.model.get(peer);
        let certainty = Certainty::existence(r).and(Certainty::existence(self.model.get(primary)));
        self.record_fed(peer, certainty.clone());
        let figure_id = format!("{family}/{}", ro.def.id);
        let rpo = self
            .kb
            .figure(&format!("{figure_id}/rpo"), &ro.def.rpo.figure());
        let rto = self
            .kb
            .figure(&format!("{figure_id}/rto"), &ro.def.rto.figure());
        self.record_lag(peer, Estimate::figure(&rpo));
        let span = r
            .body
            .lookup_entry(&ro.path)
            .map(|e| e.span())
            .unwrap_or(r.span);
        self.mechanisms[primary.index()].push(Mechanism {
            kind: MechanismKind::Replica,
            id: "replica".into(),
            label: format!("{} {}", ro.def.label, r.address),
            cadence: None,
            origin: peer,
            protects: primary,
            span,
            certainty,
            rpo: Estimate::figure(&rpo),
            rto: Estimate::figure(&rto),
            retention: None,
            region: r.region.clone(),
            mode: Some(ro.def.mode),
            implicit: None,
        });
    }

    /// A member whose peers, if any, are not in the scan: they may exist in another region.
    fn lone_peer(&mut self, id: ResourceId, ro: &ReplicaOfSpec, why: String) {
        let r = self.model.get(id);
        let span = r
            .body
            .lookup_entry(&ro.path)
            .map(|e| e.span())
            .unwrap_or(r.span);
        let family = self
            .kb
            .resource(&r.rtype)
            .and_then(|s| s.family.clone())
            .unwrap_or_default();
        let figure_id = format!("{family}/{}", ro.def.id);
        let rpo = self
            .kb
            .figure(&format!("{figure_id}/rpo"), &ro.def.rpo.figure());
        let rto = self
            .kb
            .figure(&format!("{figure_id}/rto"), &ro.def.rto.figure());
        let reason = format!("it may have a {} elsewhere: {why}", ro.def.label);
        self.mechanisms[id.index()].push(Mechanism {
            kind: MechanismKind::Replica,
            id: "replica".into(),
            label: ro.def.label.clone(),
            cadence: None,
            origin: id,
            protects: id,
            span,
            certainty: Certainty::Uncertain {
                reason: reason.clone(),
                span,
            },
            rpo: Estimate::figure(&rpo),
            rto: Estimate::figure(&rto),
            retention: None,
            region: Region::Unknown { reason },
            mode: Some(ro.def.mode),
            implicit: None,
        });
    }
}
