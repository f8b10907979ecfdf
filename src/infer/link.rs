//! Linking protectors to what they protect: by reference, by name, by ARN (with wildcards) and by
//! tags.

use std::collections::HashMap;

use crate::knowledge::{KnowledgeBase, ResourceSpec, Role};
use crate::model::node::{Kind, Node, UNKNOWN_PART};
use crate::model::{Model, Region, Resource, ResourceId};
use crate::source::Span;

/// What a reference, name or ARN designates.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// These resources of the scan (possibly none of the wanted kind).
    Found(Vec<ResourceId>),
    /// Something outside the scan (a name or ARN no scanned resource has).
    External,
    /// The value cannot be determined.
    Unknown {
        /// Why.
        reason: String,
        /// The expression.
        span: Span,
    },
}

/// A kind of resource to link to: a family, or a protector role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want<'a> {
    /// Resources of this family.
    Family(&'a str),
    /// Protectors with this role.
    Role(Role),
}

/// Indexes of the model for linking.
pub struct Linker<'m> {
    model: &'m Model,
    names: HashMap<(String, String), Vec<ResourceId>>,
    /// The knowledge-base entry of each resource, by resource index.
    specs: Vec<Option<&'m ResourceSpec>>,
    /// Resources of each family.
    families: HashMap<&'m str, Vec<ResourceId>>,
}

impl<'m> Linker<'m> {
    /// Builds the name index.
    pub fn new(model: &'m Model, kb: &'m KnowledgeBase) -> Linker<'m> {
        let mut names: HashMap<(String, String), Vec<ResourceId>> = HashMap::new();
        let specs: Vec<Option<&'m ResourceSpec>> = model
            .resources
            .iter()
            .map(|r| kb.resource(&r.rtype))
            .collect();
        let mut families: HashMap<&'m str, Vec<ResourceId>> = HashMap::new();
        for r in &model.resources {
            let Some(spec) = specs[r.id.index()] else {
                continue;
            };
            if let Some(f) = spec.family.as_deref() {
                families.entry(f).or_default().push(r.id);
            }
            let Some(key) = kind_key(spec) else {
                continue;
            };
            for name in names_in(spec, r) {
                names.entry((key.clone(), name)).or_default().push(r.id);
            }
        }
        Linker {
            model,
            names,
            specs,
            families,
        }
    }

    /// The knowledge-base entry of a resource.
    pub fn spec(&self, id: ResourceId) -> Option<&'m ResourceSpec> {
        self.specs.get(id.index()).copied().flatten()
    }

    /// The resources whose knowledge-base entry has `role` (the plans, policies, alerts of the
    /// scan), in model order, each with its entry.
    pub fn with_role(
        &self,
        role: Role,
    ) -> impl Iterator<Item = (&'m Resource, &'m ResourceSpec)> + '_ {
        self.model.resources.iter().filter_map(move |r| {
            let spec = self.spec(r.id)?;
            (spec.role == Some(role)).then_some((r, spec))
        })
    }

    /// Whether a resource is of the wanted kind.
    pub fn is(&self, id: ResourceId, want: Want<'_>) -> bool {
        match (self.spec(id), want) {
            (Some(s), Want::Family(f)) => s.family.as_deref() == Some(f),
            (Some(s), Want::Role(r)) => s.role == Some(r),
            (None, _) => false,
        }
    }

    /// Resolves a reference, name or ARN to resources of the wanted kind.
    pub fn resolve(&self, node: &Node, want: Want<'_>) -> Target {
        match &node.kind {
            Kind::Ref(r) => Target::Found(
                self.model
                    .resolve(&r.target)
                    .into_iter()
                    .filter(|id| self.is(*id, want))
                    .collect(),
            ),
            Kind::Null => Target::Found(Vec::new()),
            _ => {
                let Some(text) = node.partial_str() else {
                    return Target::Unknown {
                        reason: node
                            .unknown_reason()
                            .unwrap_or_else(|| "the value is not a name or an ARN".into()),
                        span: node.span,
                    };
                };
                let name = name_of(&text);
                if name.contains(UNKNOWN_PART) || name.is_empty() {
                    return Target::Unknown {
                        reason: node
                            .unknown_reason()
                            .unwrap_or_else(|| format!("`{text}` does not name a resource")),
                        span: node.span,
                    };
                }
                match self.names.get(&(want_key(want), name.to_string())) {
                    Some(ids) => Target::Found(ids.clone()),
                    // A name computed from another resource may still be any resource's name.
                    None if node.is_unknown() => Target::Unknown {
                        reason: node
                            .unknown_reason()
                            .unwrap_or_else(|| format!("`{text}` is not known")),
                        span: node.span,
                    },
                    None => Target::External,
                }
            }
        }
    }

    /// All resources of a family.
    pub fn all_of(&self, family: &str) -> impl Iterator<Item = &'m Resource> + '_ {
        let model = self.model;
        self.families
            .get(family)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(move |id| model.get(*id))
    }

    /// The family of a resource, if it holds data.
    pub fn family(&self, id: ResourceId) -> Option<&'m str> {
        self.spec(id).and_then(|s| s.family.as_deref())
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The resources a resource's conditions read (`refs`): each one's body, or why it
    /// cannot be read.
    pub fn referenced(
        &self,
        r: &'m Resource,
        spec: &'m ResourceSpec,
    ) -> Vec<crate::knowledge::predicate::Referenced<'m>> {
        spec.refs
            .iter()
            .map(|rs| crate::knowledge::predicate::Referenced {
                name: rs.name.as_str(),
                body: self.referenced_one(r, rs).map(|t| &t.body),
            })
            .collect()
    }

    /// The resources of the wanted types that `node` designates: those it references, or, with
    /// `by`, those of `unit` whose attribute `by` holds the name it gives. `Err` with the node's
    /// unknown reason, if any, when it is neither a reference nor (with `by`) a known name.
    pub fn designated(
        &self,
        node: &Node,
        is_type: impl Fn(&str) -> bool,
        by: Option<&str>,
        unit: &str,
    ) -> Result<Vec<ResourceId>, Option<String>> {
        match (&node.kind, by) {
            (Kind::Ref(reference), _) => Ok(self
                .model
                .resolve(&reference.target)
                .into_iter()
                .filter(|id| is_type(&self.model.get(*id).rtype))
                .collect()),
            (_, Some(by)) => match node.as_str() {
                Some(name) => Ok(self
                    .model
                    .resources
                    .iter()
                    .filter(|t| is_type(&t.rtype) && t.unit == unit)
                    .filter(|t| t.attr(by).and_then(Node::as_str).as_deref() == Some(&*name))
                    .map(|t| t.id)
                    .collect()),
                None => Err(node.unknown_reason()),
            },
            _ => Err(node.unknown_reason()),
        }
    }

    /// The resource that the `refs` entry `name` of `r` designates, or why it is not known
    /// (`None` when the entry does not exist).
    pub fn referenced_named(
        &self,
        r: &'m Resource,
        spec: &'m ResourceSpec,
        name: &str,
    ) -> Option<Result<&'m Resource, (String, Span)>> {
        let rs = spec.refs.iter().find(|rs| rs.name == name)?;
        Some(self.referenced_one(r, rs))
    }

    /// The resource one `refs` entry designates.
    fn referenced_one(
        &self,
        r: &'m Resource,
        rs: &crate::knowledge::schema::RefSpec,
    ) -> Result<&'m Resource, (String, Span)> {
        // `a|b`: the first attribute that is set.
        let Some(node) = rs
            .path
            .split('|')
            .find_map(|p| r.attr(p).filter(|n| !n.is_null()))
        else {
            return Err((format!("`{}` is not set", rs.path), r.span));
        };
        let of_type = |id: &ResourceId| rs.types.contains(&self.model.get(*id).rtype);
        // A list of references (a disk's `resource_policies`): the one of the wanted types.
        let node = match &node.kind {
            Kind::List(items) => items
                .iter()
                .find(|item| match &item.kind {
                    Kind::Ref(reference) => {
                        self.model.resolve(&reference.target).iter().any(of_type)
                    }
                    _ => false,
                })
                .or_else(|| (items.len() == 1).then(|| &items[0]))
                .unwrap_or(node),
            _ => node,
        };
        let found = match self.designated(
            node,
            |t| rs.types.iter().any(|x| x == t),
            rs.by.as_deref(),
            &r.unit,
        ) {
            Ok(found) => found,
            Err(why) => {
                let state = match (&rs.by, why) {
                    (Some(_), why) => format!("unknown: {}", why.unwrap_or_default()),
                    (None, Some(why)) => format!("unknown: {why}"),
                    (None, None) => "not in the scanned files".into(),
                };
                return Err((
                    format!("the {} `{}` names is {state}", rs.label, rs.path),
                    node.span,
                ));
            }
        };
        match found.as_slice() {
            [one] => Ok(self.model.get(*one)),
            [] => Err((
                format!(
                    "the {} `{}` names (`{}`) is not in the scanned files",
                    rs.label,
                    rs.path,
                    node.display()
                ),
                node.span,
            )),
            _ => Err((
                format!(
                    "`{}` names one of {} {}s, which one is unknown",
                    rs.path,
                    found.len(),
                    rs.label
                ),
                node.span,
            )),
        }
    }
}

fn kind_key(spec: &ResourceSpec) -> Option<String> {
    match (&spec.family, spec.role) {
        (Some(f), _) => Some(want_key(Want::Family(f))),
        (None, Some(r)) => Some(want_key(Want::Role(r))),
        _ => None,
    }
}

fn want_key(want: Want<'_>) -> String {
    match want {
        Want::Family(f) => format!("family:{f}"),
        Want::Role(r) => format!("role:{r:?}"),
    }
}

/// A name a resource can be found by: a known string, or a string whose unknown parts are all
/// other resources' attributes ([`crate::model::node::ref_placeholder`]), which equals another
/// such string built the same way.
fn linkable_name(node: &Node) -> Option<std::borrow::Cow<'_, str>> {
    match &node.kind {
        Kind::Unknown(_) => node.partial_str().filter(|p| !p.contains(UNKNOWN_PART)),
        _ => node.as_str(),
    }
}

/// The resource name at the end of an ARN (`arn:aws:rds:r:a:db:mydb` → `mydb`,
/// `arn:aws:dynamodb:r:a:table/t` → `t`, `arn:aws:s3:::b` → `b`), or the text itself.
pub fn name_of(text: &str) -> &str {
    if !text.starts_with("arn:") {
        return text;
    }
    let resource = text.splitn(6, ':').nth(5).unwrap_or("");
    resource.rsplit([':', '/']).next().unwrap_or(resource)
}

/// Whether a resource has tag `key` with a value matching `value` (`*` wildcards allowed when
/// `like`). `None` when its tags cannot be determined.
pub fn tag_matches(r: &Resource, key: &str, value: &str, like: bool) -> Option<bool> {
    match r.tags.get(key) {
        Some(tag) => match tag.value.as_str() {
            Some(v) if !tag.value.is_null() => {
                Some(if like { glob(value, &v) } else { v == value })
            }
            _ => None,
        },
        None => {
            if r.tags.unknown_for(key).is_some() {
                None
            } else {
                Some(false)
            }
        }
    }
}

/// `*`-wildcard matching (AWS Backup `StringLike`, ARN patterns).
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Whether an ARN pattern with wildcards (`arn:aws:rds:*:*:db:*`, `*`) selects a resource whose
/// ARN follows `template` (`arn:{partition}:rds:{region}:{account}:db:{name}`). The partition
/// is taken to be `aws`; the account is unknown, so a pattern naming one cannot be decided.
pub fn arn_pattern_matches(
    pattern: &str,
    template: &str,
    region: &Region,
    name: Option<&str>,
) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    let pat: Vec<&str> = pattern.splitn(6, ':').collect();
    let tpl: Vec<&str> = template.splitn(6, ':').collect();
    if pat.len() != 6 || tpl.len() != 6 {
        return Some(false);
    }
    let mut undecided = false;
    for i in 1..6 {
        let p = pat[i];
        let t = tpl[i];
        let actual: Option<String> = match t {
            "{partition}" => Some("aws".into()),
            "{region}" => region.name().map(str::to_string),
            "{account}" => None,
            _ if t.contains("{name}") => name.map(|n| t.replace("{name}", n)),
            _ => Some(t.to_string()),
        };
        match actual {
            // A `*` in the template stands for a part of the ARN the knowledge base cannot
            // name (a Timestream table's database): a mismatch there decides nothing.
            Some(a) if t.contains('*') && !glob(p, &a) => undecided = true,
            Some(a) => {
                if !glob(p, &a) {
                    return Some(false);
                }
            }
            None => {
                if p == "*" {
                    continue;
                }
                // Unknown name: the pattern may still rule the resource type out
                // (`table/*` vs `db:`): compare the literal prefix before `{name}`.
                if t.contains("{name}") {
                    let prefix = t.split("{name}").next().unwrap_or("");
                    let pprefix = p.split('*').next().unwrap_or("");
                    if !(prefix.starts_with(pprefix) || pprefix.starts_with(prefix)) {
                        return Some(false);
                    }
                    if p == format!("{prefix}*") {
                        continue;
                    }
                }
                undecided = true;
            }
        }
    }
    if undecided { None } else { Some(true) }
}

/// The names a resource is known by (the attributes its knowledge-base entry lists as names).
pub fn resource_names(r: &Resource, kb: &KnowledgeBase) -> Vec<String> {
    kb.resource(&r.rtype)
        .map(|spec| names_in(spec, r))
        .unwrap_or_default()
}

fn names_in(spec: &ResourceSpec, r: &Resource) -> Vec<String> {
    spec.names
        .iter()
        .filter_map(|a| r.attr(a).and_then(linkable_name))
        .map(|n| n.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_names() {
        assert_eq!(name_of("arn:aws:rds:eu-west-1:1:db:mydb"), "mydb");
        assert_eq!(
            name_of("arn:aws:dynamodb:eu-west-1:1:table/orders"),
            "orders"
        );
        assert_eq!(name_of("arn:aws:s3:::bucket"), "bucket");
        assert_eq!(name_of("plain"), "plain");
    }

    #[test]
    fn globs() {
        assert!(glob("prod-*", "prod-db"));
        assert!(!glob("prod-*", "dev-db"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
    }

    #[test]
    fn arn_patterns() {
        // A template part the knowledge base cannot name is undecided, never a mismatch.
        let ts = "arn:{partition}:timestream:{region}:{account}:database/*/table/{name}";
        let eu0 = Region::known("eu-west-1", None);
        assert_eq!(
            arn_pattern_matches(
                "arn:aws:timestream:eu-west-1:*:database/iot/table/*",
                ts,
                &eu0,
                Some("r")
            ),
            None
        );
        assert_eq!(
            arn_pattern_matches(
                "arn:aws:timestream:eu-west-1:*:database/*/table/*",
                ts,
                &eu0,
                Some("r")
            ),
            Some(true)
        );
        let rds = "arn:{partition}:rds:{region}:{account}:db:{name}";
        let eu = Region::known("eu-west-1", None);
        let sym = Region::Symbolic {
            key: "k".into(),
            reason: "r".into(),
        };
        assert_eq!(arn_pattern_matches("*", rds, &eu, None), Some(true));
        assert_eq!(
            arn_pattern_matches("arn:aws:rds:*:*:db:*", rds, &sym, None),
            Some(true)
        );
        assert_eq!(
            arn_pattern_matches("arn:aws:dynamodb:*:*:table/*", rds, &eu, Some("x")),
            Some(false)
        );
        assert_eq!(
            arn_pattern_matches("arn:aws:rds:us-east-1:*:db:*", rds, &eu, None),
            Some(false)
        );
        assert_eq!(
            arn_pattern_matches("arn:aws:rds:*:*:db:prod-*", rds, &eu, Some("prod-a")),
            Some(true)
        );
        assert_eq!(
            arn_pattern_matches("arn:aws:rds:*:*:db:prod-*", rds, &eu, None),
            None
        );
        assert_eq!(
            arn_pattern_matches("arn:aws:rds:*:123:db:*", rds, &eu, Some("a")),
            None
        );
    }
}
