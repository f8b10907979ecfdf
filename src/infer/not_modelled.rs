//! Resources that hold data but are not estimated: of a type the knowledge base lists as not
//! modelled yet, or members of another resource whose data they hold (an instance of an Aurora
//! cluster). Each is named (RES014), never silently passed over.

use super::members::MemberLinks;
use crate::knowledge::KnowledgeBase;
use crate::model::node::Kind;
use crate::model::{Model, Resource, ResourceId};

/// One resource that is not estimated.
#[derive(Debug, Clone)]
pub struct NotModelled {
    /// The resource.
    pub resource: ResourceId,
    /// What it is (`Aurora DB cluster`).
    pub what: String,
    /// For a member of another resource: whose data it holds, as a sentence fragment.
    pub member: Option<String>,
}

/// Whether a resource is a member of another (its `member-of` attribute is set), without
/// building the explanation [`member_of`] gives.
pub fn is_member(r: &Resource, kb: &KnowledgeBase) -> bool {
    kb.resource(&r.rtype)
        .and_then(|s| s.member_of.as_ref())
        .and_then(|m| r.body.lookup_entry(&m.path))
        .is_some_and(|e| !e.value.is_null())
}

/// Why a resource whose type is modelled is nonetheless not estimated on its own: it is a
/// member of another resource (or may be), which then holds its data.
pub fn member_of(r: &Resource, kb: &KnowledgeBase) -> Option<NotModelled> {
    let spec = kb.resource(&r.rtype)?.member_of.as_ref()?;
    let name = match (
        &spec.name,
        spec.family.as_deref().and_then(|f| kb.family(f)),
    ) {
        (Some(n), _) => n.as_str(),
        (None, Some(f)) => f.name.as_str(),
        (None, None) => "cluster",
    };
    let entry = r.body.lookup_entry(&spec.path)?;
    let value = &entry.value;
    if value.is_null() {
        return None;
    }
    let member = if value.is_unknown() {
        format!(
            "it may be a member of an {} (`{}` is unknown: {}), whose data, backups and zones would be the cluster's",
            name,
            spec.path,
            value.unknown_reason().unwrap_or_default()
        )
    } else {
        let named = match &value.kind {
            Kind::Ref(reference) => Some(reference.text.clone()),
            _ => value.partial_str().map(|s| s.into_owned()),
        };
        let cluster = match named {
            Some(n) => format!("the {name} `{n}`"),
            None => format!("an {name}"),
        };
        format!(
            "it is a member of {cluster} (`{}`), which holds its data, backups and zones",
            spec.path
        )
    };
    Some(NotModelled {
        resource: r.id,
        what: format!("{name} member"),
        member: Some(member),
    })
}

/// Every resource of the model that holds data and is not estimated, in model order: members
/// found in the scan are their cluster's, and estimated with it.
pub fn collect(model: &Model, kb: &KnowledgeBase, members: &MemberLinks) -> Vec<NotModelled> {
    model
        .resources
        .iter()
        .filter_map(|r| match kb.unmodelled(&r.rtype) {
            Some(what) => Some(NotModelled {
                resource: r.id,
                what: what.to_string(),
                member: None,
            }),
            None if members.is_linked(r.id) => None,
            None => member_of(r, kb),
        })
        .collect()
}
