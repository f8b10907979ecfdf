//! Peer replication (`replica-of` with `peers = true`): resources of a family that name the
//! same group (the clusters of one Aurora global database) replicate one another. The first
//! declared is the primary; each other is a replica of it. One without a peer in the scan may
//! have peers elsewhere: an uncertain replica in an unknown region, never "single region".

use std::collections::BTreeMap;

use super::Certainty;
use super::own::ComponentBuilder;
use crate::knowledge::predicate::Members;
use crate::knowledge::schema::ReplicaOfSpec;
use crate::model::node::Kind;
use crate::model::{Region, ResourceId};
use crate::source::Span;

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
                    .resolve(target)
                    .into_iter()
                    .flat_map(|g| self.members.of[g.index()].iter().copied())
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

    /// The family of a resource's type.
    fn family_of(&self, id: ResourceId) -> String {
        self.kb
            .resource(&self.model.get(id).rtype)
            .and_then(|s| s.family.clone())
            .unwrap_or_default()
    }

    /// Where a resource names its group.
    fn group_span(&self, id: ResourceId, ro: &ReplicaOfSpec) -> Span {
        let r = self.model.get(id);
        r.body
            .lookup_entry(&ro.path)
            .map(|e| e.span())
            .unwrap_or(r.span)
    }

    /// `peer` replicates `primary`.
    fn peer(&mut self, primary: ResourceId, peer: ResourceId, ro: &ReplicaOfSpec) {
        self.union(primary.index(), peer.index());
        self.is_replica[peer.index()] = true;
        let r = self.model.get(peer);
        let certainty = Certainty::existence(r).and(Certainty::existence(self.model.get(primary)));
        self.record_fed(peer, certainty.clone());
        // A peer with no members in the scan (a headless secondary) serves only once an
        // instance is added: its own figures, when the family has them.
        let def = match &ro.headless_def {
            Some(def) if self.members.counts[peer.index()] == Members::default() => def,
            _ => &ro.def,
        };
        let mech = self.replica_mechanism_of(
            &self.family_of(primary),
            def,
            r,
            primary,
            self.group_span(peer, ro),
            certainty,
        );
        self.record_lag(peer, mech.rpo.clone());
        self.mechanisms[primary.index()].push(mech);
    }

    /// A member whose peers, if any, are not in the scan: they may exist in another region.
    fn lone_peer(&mut self, id: ResourceId, ro: &ReplicaOfSpec, why: String) {
        let span = self.group_span(id, ro);
        let reason = format!("it may have a {} elsewhere: {why}", ro.def.label);
        let mut mech = self.replica_mechanism_of(
            &self.family_of(id),
            &ro.def,
            self.model.get(id),
            id,
            span,
            Certainty::Uncertain {
                reason: reason.clone(),
                span,
            },
        );
        mech.label = ro.def.label.clone();
        mech.region = Region::Unknown { reason };
        self.mechanisms[id.index()].push(mech);
    }
}
