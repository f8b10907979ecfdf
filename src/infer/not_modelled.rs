//! Resources that hold data but are not estimated: of a type the knowledge base lists as not
//! modelled yet, or members of another resource whose data they hold (an instance of an Aurora
//! cluster). Each is named (RES014), never silently passed over.

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

/// Why a resource whose type is modelled is nonetheless not estimated on its own: it is a
/// member of another resource (or may be), which then holds its data.
pub fn member_of(r: &Resource, kb: &KnowledgeBase) -> Option<NotModelled> {
    let spec = kb.resource(&r.rtype)?.member_of.as_ref()?;
    let entry = r.body.lookup_entry(&spec.path)?;
    let value = &entry.value;
    if value.is_null() {
        return None;
    }
    let member = if value.is_unknown() {
        format!(
            "it may be a member of an {} (`{}` is unknown: {}), whose data, backups and zones would be the cluster's",
            spec.name,
            spec.path,
            value.unknown_reason().unwrap_or_default()
        )
    } else {
        let named = match &value.kind {
            Kind::Ref(reference) => Some(reference.text.clone()),
            _ => value.partial_str().map(|s| s.into_owned()),
        };
        let cluster = match named {
            Some(n) => format!("the {} `{n}`", spec.name),
            None => format!("an {}", spec.name),
        };
        format!(
            "it is a member of {cluster} (`{}`), which holds its data, backups and zones",
            spec.path
        )
    };
    Some(NotModelled {
        resource: r.id,
        what: format!("{} member", spec.name),
        member: Some(member),
    })
}

/// Every resource of the model that holds data and is not estimated, in model order.
pub fn collect(model: &Model, kb: &KnowledgeBase) -> Vec<NotModelled> {
    model
        .resources
        .iter()
        .filter_map(|r| match kb.unmodelled(&r.rtype) {
            Some(what) => Some(NotModelled {
                resource: r.id,
                what: what.to_string(),
                member: None,
            }),
            None => member_of(r, kb),
        })
        .collect()
}
