//! `member-of`: resources whose data is another's (an instance of a cluster). A member found in
//! the scan joins its cluster's component and is counted (`members-gt`); one whose cluster is
//! not in the scan, is unknown, or is of a family resilint does not model is named as not
//! estimated (RES014).

use super::Certainty;
use super::link::{Linker, Target, Want};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::predicate::Members;
use crate::model::{Model, ResourceId};

/// The members of every resource, by resource index.
#[derive(Debug, Default)]
pub struct MemberLinks {
    /// For each resource that is a member found in the scan: the resources it belongs to.
    pub of: Vec<Vec<ResourceId>>,
    /// For each resource: how many members it has.
    pub counts: Vec<Members>,
}

impl MemberLinks {
    /// Links every member to its cluster.
    pub fn new(model: &Model, kb: &KnowledgeBase, linker: &Linker<'_>) -> MemberLinks {
        let n = model.resources.len();
        let mut links = MemberLinks {
            of: vec![Vec::new(); n],
            counts: vec![Members::default(); n],
        };
        for r in &model.resources {
            let Some(spec) = kb.resource(&r.rtype).and_then(|s| s.member_of.as_ref()) else {
                continue;
            };
            let Some(family) = spec.family.as_deref() else {
                continue;
            };
            let Some(value) = r.body.lookup_entry(&spec.path).map(|e| &e.value) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let Target::Found(ids) = linker.resolve(value, Want::Family(family)) else {
                continue;
            };
            let certain = Certainty::existence(r).is_certain();
            for id in &ids {
                let c = &mut links.counts[id.index()];
                if certain {
                    c.certain += 1;
                } else {
                    c.maybe += 1;
                }
            }
            links.of[r.id.index()] = ids;
        }
        links
    }

    /// Whether the resource is a member found in the scan.
    pub fn is_linked(&self, id: ResourceId) -> bool {
        self.of.get(id.index()).is_some_and(|v| !v.is_empty())
    }
}
