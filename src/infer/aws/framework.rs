//! AWS Backup Audit Manager frameworks (`aws_backup_framework`, `AWS::Backup::Framework`): the
//! controls an organisation declares as its backup targets, read with their parameters and
//! scope. Evaluation (RES016) proves the statically decidable ones from the backup plans that
//! reach each resource in scope.

use crate::infer::Certainty;
use crate::knowledge::predicate::NodeExt;
use crate::knowledge::{KnowledgeBase, Role};
use crate::model::node::{Kind, Node};
use crate::model::{Model, Resource, ResourceId};
use crate::source::Span;

/// One control of a framework.
#[derive(Debug, Clone)]
pub struct Control {
    /// The framework resource.
    pub framework: ResourceId,
    /// `BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK`.
    pub name: String,
    /// The control block.
    pub span: Span,
    /// Its input parameters whose values are known.
    pub params: Vec<(String, String)>,
    /// Parameters whose values are unknown, with why.
    pub unknown_params: Vec<(String, String)>,
    /// Which resources it applies to.
    pub scope: ControlScope,
    /// Whether the framework exists (an unknown `count` or condition).
    pub certainty: Certainty,
}

impl Control {
    /// A parameter's value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The resources a control applies to: all that AWS Backup supports, narrowed by resource
/// types, resource ids and one tag.
#[derive(Debug, Clone, Default)]
pub struct ControlScope {
    /// AWS Backup resource types (`RDS`, `EFS`); `None`: every type.
    pub types: Option<Vec<String>>,
    /// Resource ids (names); empty: any.
    pub ids: Vec<String>,
    /// Tags that must all match.
    pub tags: Vec<(String, String)>,
    /// Set when the scope cannot be read: why.
    pub unknown: Option<String>,
}

/// Whether a control applies to a resource: `Some(true)`, `Some(false)`, or `None` when a tag
/// or the scope is unknown.
pub fn in_scope(
    scope: &ControlScope,
    r: &Resource,
    backup_type: Option<&str>,
    names: &[String],
) -> Option<bool> {
    if scope.unknown.is_some() {
        return None;
    }
    let Some(backup_type) = backup_type else {
        return Some(false);
    };
    if let Some(types) = &scope.types
        && !types.iter().any(|t| t.eq_ignore_ascii_case(backup_type))
    {
        return Some(false);
    }
    if !scope.ids.is_empty() && !names.iter().any(|n| scope.ids.contains(n)) {
        return Some(false);
    }
    let mut unknown = false;
    for (k, v) in &scope.tags {
        match crate::infer::link::tag_matches(r, k, v, false) {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    (!unknown).then_some(true)
}

/// Every control of every framework in the model.
pub fn collect(model: &Model, kb: &KnowledgeBase) -> Vec<Control> {
    let mut out = Vec::new();
    for r in &model.resources {
        let Some(spec) = kb.resource(&r.rtype) else {
            continue;
        };
        if spec.role != Some(Role::BackupFramework) {
            continue;
        }
        let field = |f: &str| spec.field(f).unwrap_or_default();
        for item in r.body.lookup(field("controls")) {
            let Some(name) = item.first(field("control-name")).and_then(Node::as_str) else {
                continue;
            };
            let mut params = Vec::new();
            let mut unknown_params = Vec::new();
            for p in item.lookup(field("parameters")) {
                let Some(pname) = p.first(field("parameter-name")).and_then(Node::as_str) else {
                    continue;
                };
                match p.first(field("parameter-value")) {
                    Some(v) if v.is_unknown() => unknown_params
                        .push((pname.into_owned(), v.unknown_reason().unwrap_or_default())),
                    Some(v) => match &v.kind {
                        Kind::String(s) => params.push((pname.into_owned(), s.clone())),
                        _ => params.push((pname.into_owned(), v.display())),
                    },
                    None => {}
                }
            }
            out.push(Control {
                framework: r.id,
                name: name.into_owned(),
                span: item.span,
                params,
                unknown_params,
                scope: scope(item, spec),
                certainty: Certainty::existence(r),
            });
        }
    }
    out
}

fn scope(item: &Node, spec: &crate::knowledge::ResourceSpec) -> ControlScope {
    let mut scope = ControlScope::default();
    // `lookup` flattens lists: a list of types yields each type.
    let strings =
        |path: Option<&str>, what: &str, scope: &mut ControlScope| -> Option<Vec<String>> {
            let nodes = item.lookup(path?);
            if nodes.is_empty() {
                return None;
            }
            let mut out = Vec::new();
            for n in nodes {
                match (n.unknown_reason(), n.as_str()) {
                    (Some(reason), _) => {
                        scope.unknown = Some(format!("its {what} are unknown: {reason}"))
                    }
                    (None, Some(s)) => out.push(s.into_owned()),
                    (None, None) => {}
                }
            }
            Some(out)
        };
    scope.types = strings(spec.field("scope-types"), "resource types", &mut scope);
    scope.ids = strings(spec.field("scope-ids"), "resource ids", &mut scope).unwrap_or_default();
    let Some(path) = spec.field("scope-tags") else {
        return scope;
    };
    match (spec.field("scope-tag-key"), spec.field("scope-tag-value")) {
        // A list of {Key, Value} (CloudFormation): `lookup` yields each tag.
        (Some(kp), Some(vp)) => {
            for t in item.lookup(path) {
                match (
                    t.first(kp).and_then(Node::as_str),
                    t.first(vp).and_then(Node::as_str),
                ) {
                    (Some(k), Some(v)) => scope.tags.push((k.into_owned(), v.into_owned())),
                    _ => scope.unknown = Some("one of its tags is unknown".into()),
                }
            }
        }
        // A map (Terraform).
        _ => {
            if let Some(node) = item.first(path) {
                if let Some(reason) = node.unknown_reason() {
                    scope.unknown = Some(format!("its tags are unknown: {reason}"));
                }
                if let Kind::Map(m) = &node.kind {
                    for e in m.iter() {
                        match e.value.as_str() {
                            Some(v) => scope.tags.push((e.key.clone(), v.into_owned())),
                            None => {
                                scope.unknown =
                                    Some(format!("the value of its tag `{}` is unknown", e.key))
                            }
                        }
                    }
                }
            }
        }
    }
    scope
}
