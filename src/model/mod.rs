//! Stage 3: the resource model.
//!
//! Both front ends produce [`Resource`]s: an address, a type, an evaluated body of located
//! [`Node`]s, merged tags, a [`Region`] and the declaration's position. Everything after this
//! stage (knowledge base, inference, rules) is independent of the source language.

pub mod cloudformation;
pub mod node;
pub mod placement;
pub mod plan;
pub mod region;
pub mod terraform;
pub mod terragrunt;

use std::collections::HashMap;

use node::{Kind, Node};
pub use region::Region;

use crate::source::{FileId, SourceMap, Span};

/// Index of a resource in [`Model::resources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub u32);

impl ResourceId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Which front end declared a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frontend {
    /// Terraform configuration.
    Terraform,
    /// CloudFormation template.
    CloudFormation,
}

/// One declared cloud resource (one instance after `count`/`for_each` expansion).
#[derive(Debug, Clone)]
pub struct Resource {
    /// Position in [`Model::resources`].
    pub id: ResourceId,
    /// Unique key: `<unit>:<address>`.
    pub key: String,
    /// The key without the instance key (`[0]`, `["a"]`), shared by all instances.
    pub base_key: String,
    /// Terraform address (`aws_db_instance.main`, `aws_s3_bucket.b["logs"]`) or CloudFormation
    /// `template.yaml#LogicalId`.
    pub address: String,
    /// The module directory (Terraform) or template path (CloudFormation), relative to the base.
    pub unit: String,
    /// Resource type (`aws_db_instance`, `AWS::RDS::DBInstance`).
    pub rtype: String,
    /// Terraform or CloudFormation.
    pub frontend: Frontend,
    /// The declaration (block header, or the logical id key).
    pub span: Span,
    /// Evaluated attributes and nested blocks, or CloudFormation `Properties`.
    pub body: Node,
    /// Tags, with provider `default_tags` merged in.
    pub tags: Tags,
    /// Where the resource runs.
    pub region: Region,
    /// CloudFormation `Metadata` (resilint reads `Metadata.resilint`).
    pub metadata: Option<Node>,
    /// Set when the resource may not exist (unknown `count`/`for_each`/`Condition`): the reason.
    pub existence_unknown: Option<String>,
    /// For a resource of a Terraform child module: the `module` blocks from the root module
    /// down to it (findings in files that are not reported point at the first of these that is).
    pub call_chain: Vec<Span>,
    /// For a resource of a template that a StackSet deploys: the regions of its stack instances.
    pub stack_set: Option<StackSetRegions>,
}

/// The regions an `AWS::CloudFormation::StackSet` deploys its template to. Each region gets an
/// independent copy of every resource, with its own data: evidence that the resource runs in
/// several regions (RES005), not a copy of its data.
#[derive(Debug, Clone, PartialEq)]
pub struct StackSetRegions {
    /// The StackSet's address.
    pub stack_set: String,
    /// Its stack instances' regions, in order.
    pub regions: Vec<String>,
    /// Where they are listed (`StackInstancesGroup`).
    pub span: Span,
}

impl Resource {
    /// Points everything of this resource written in file `from` at `to`: for text that is not
    /// a file of its own (a StackSet's inline `TemplateBody`, a file Terragrunt generates).
    pub fn relocate(&mut self, from: FileId, to: Span) {
        let move_span = |s: &mut Span| {
            if s.file == from {
                *s = to;
            }
        };
        move_span(&mut self.span);
        node::relocate(&mut self.body, from, to);
        if let Some(m) = &mut self.metadata {
            node::relocate(m, from, to);
        }
        for t in &mut self.tags.entries {
            move_span(&mut t.span);
            node::relocate(&mut t.value, from, to);
        }
        if let Some((_, s)) = &mut self.tags.unknown {
            move_span(s);
        }
        if let Region::Known { span: Some(s), .. } = &mut self.region {
            move_span(s);
        }
    }

    /// The value at a dotted path of the body, if present and single.
    pub fn attr(&self, path: &str) -> Option<&Node> {
        self.body.lookup(path).into_iter().next()
    }
}

/// A resource's tags.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    /// Known tags, resource tags over provider `default_tags`.
    pub entries: Vec<Tag>,
    /// Set when the tags (or some of them) could not be determined: why, and where.
    pub unknown: Option<(String, Span)>,
    /// When the tags are unknown but are one of a few known alternatives (a conditional): the
    /// keys that any of them has. A key outside it is certainly absent.
    pub possible_keys: Option<std::collections::BTreeSet<String>>,
}

/// One tag.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Key.
    pub key: String,
    /// Value (a string node, or unknown).
    pub value: Node,
    /// Where the key/value pair was written.
    pub span: Span,
    /// Whether it comes from the provider's `default_tags`.
    pub from_default: bool,
}

impl Tags {
    /// The tag with this key.
    pub fn get(&self, key: &str) -> Option<&Tag> {
        self.entries.iter().find(|t| t.key == key)
    }

    /// Why a tag that is not among the known ones may still be set (the tags are unknown, and
    /// the alternatives they can be, if known, have that key); `None` when it is certainly
    /// absent.
    pub fn unknown_for(&self, key: &str) -> Option<&(String, Span)> {
        let unknown = self.unknown.as_ref()?;
        match &self.possible_keys {
            Some(keys) if !keys.contains(key) => None,
            _ => Some(unknown),
        }
    }

    /// Adds a tag unless one with the same key exists (callers add the strongest first).
    pub fn add_if_absent(&mut self, tag: Tag) {
        if self.get(&tag.key).is_none() {
            self.entries.push(tag);
        }
    }

    /// Adds the tags of `other` whose keys are not set yet, and its reason for unknown tags
    /// when there is none yet.
    pub fn merge(&mut self, other: Tags) {
        for tag in other.entries {
            self.add_if_absent(tag);
        }
        if self.unknown.is_none() {
            self.unknown = other.unknown;
            self.possible_keys = other.possible_keys;
        } else if other.unknown.is_some() {
            self.possible_keys = match (self.possible_keys.take(), other.possible_keys) {
                (Some(mut a), Some(b)) => {
                    a.extend(b);
                    Some(a)
                }
                _ => None,
            };
        }
    }

    /// The tags of a value that is one of `alternatives`: a tag all of them set alike is
    /// known; the others are unknown, but only the keys some alternative has can be set.
    fn one_of(alternatives: &[Node], reason: (String, Span), from_default: bool) -> Tags {
        let each: Vec<Tags> = alternatives
            .iter()
            .map(|a| Tags::from_node(a, from_default))
            .collect();
        let mut tags = Tags::default();
        let mut keys = std::collections::BTreeSet::new();
        let mut bounded = true;
        for t in &each {
            keys.extend(t.entries.iter().map(|e| e.key.clone()));
            match &t.possible_keys {
                Some(k) => keys.extend(k.iter().cloned()),
                None if t.unknown.is_some() => bounded = false,
                None => {}
            }
        }
        let Some((first, rest)) = each.split_first() else {
            tags.unknown = Some(reason);
            return tags;
        };
        let mut all_alike =
            bounded && rest.iter().all(|t| t.unknown.is_none()) && first.unknown.is_none();
        for tag in &first.entries {
            let alike = rest.iter().all(|t| {
                t.get(&tag.key).is_some_and(|o| {
                    crate::model::terraform::eval::values_equal(&o.value, &tag.value) == Some(true)
                })
            });
            if alike {
                tags.entries.push(tag.clone());
            } else {
                all_alike = false;
            }
        }
        if rest.iter().any(|t| t.entries.len() != tags.entries.len()) {
            all_alike = false;
        }
        if !all_alike {
            tags.unknown = Some(reason);
            tags.possible_keys = bounded.then_some(keys);
        }
        tags
    }

    /// Reads and merges the tags found at several paths of a body (the first tag of a key wins).
    pub fn from_paths(body: &Node, paths: &[&str]) -> Tags {
        let mut tags = Tags::default();
        for path in paths {
            for node in body.lookup(path) {
                // A path through a list of items (`Replicas.Tags`) yields each item's tags list
                // flattened: `{Key, Value}` maps, read one by one.
                let t = if node.get("Key").is_some() {
                    Tags::from_node(&Node::new(Kind::List(vec![node.clone()]), node.span), false)
                } else {
                    Tags::from_node(node, false)
                };
                tags.merge(t);
            }
        }
        tags
    }

    /// Reads tags from a node: a map (`tags = {...}`), or a CloudFormation list of
    /// `{Key, Value}`.
    pub fn from_node(node: &Node, from_default: bool) -> Tags {
        let mut tags = Tags::default();
        match &node.kind {
            Kind::Map(m) => {
                for e in m {
                    tags.add_if_absent(Tag {
                        key: e.key.clone(),
                        value: e.value.clone(),
                        span: e.span(),
                        from_default,
                    });
                }
            }
            Kind::List(items) => {
                for item in items {
                    match (item.get("Key"), item.get("Value")) {
                        (Some(k), Some(v)) => match k.as_str() {
                            Some(key) => tags.add_if_absent(Tag {
                                key: key.into_owned(),
                                value: v.clone(),
                                // From `Key` to the end of the value (a YAML mapping's own span
                                // runs on to the next token).
                                span: item
                                    .entry("Key")
                                    .map(|e| e.key_span)
                                    .unwrap_or(k.span)
                                    .to(v.span),
                                from_default,
                            }),
                            None => {
                                tags.unknown = Some((
                                    k.unknown_reason()
                                        .unwrap_or_else(|| "a tag key is not a string".into()),
                                    k.span,
                                ))
                            }
                        },
                        _ if item.is_unknown() => {
                            tags.unknown = item.unknown_reason().map(|r| (r, item.span))
                        }
                        _ => {}
                    }
                }
            }
            Kind::Null => {}
            _ => {
                let reason = (
                    node.unknown_reason()
                        .unwrap_or_else(|| "tags are not a map".into()),
                    node.span,
                );
                if !node.alternatives().is_empty() {
                    return Tags::one_of(node.alternatives(), reason, from_default);
                }
                tags.unknown = Some(reason)
            }
        }
        tags
    }
}

/// A note from model building that is not tied to a rule verdict (an unevaluated module, a
/// cycle between locals). Reported as RES011 when it affects a resource, else shown in `explain`.
#[derive(Debug, Clone)]
pub struct ModelNote {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// The `module` blocks from the root down to the module instance it was found in (empty in
    /// a root module): a note in a module outside the scanned files is reported at the
    /// innermost call in them.
    pub call_chain: Vec<Span>,
    /// For a module call that is not evaluated: which, and why (notes of one source are
    /// reported together).
    pub module: Option<UnevaluatedModule>,
    /// What to do about it, when the general RES011 help does not fit (a nested stack whose
    /// template is remote).
    pub help: Option<String>,
}

/// A module call that is not evaluated.
#[derive(Debug, Clone)]
pub struct UnevaluatedModule {
    /// Its `source` as written (empty when it is not a literal string).
    pub source: String,
    /// Its address (`module.db`, `module.app.module.queue`).
    pub address: String,
    /// Why it is not evaluated.
    pub why: String,
    /// Whether `terraform init` would make it evaluable (it is not installed).
    pub not_installed: bool,
    /// Whether it is a Terragrunt unit (`address` is then the unit's directory).
    pub terragrunt_unit: bool,
}

impl ModelNote {
    /// A note at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> ModelNote {
        ModelNote {
            span,
            message: message.into(),
            call_chain: Vec::new(),
            module: None,
            help: None,
        }
    }
}

/// All resources of a scan.
#[derive(Debug, Default)]
pub struct Model {
    /// Resources in a deterministic order (by file, then position).
    pub resources: Vec<Resource>,
    /// Notes from model building.
    pub notes: Vec<ModelNote>,
    by_key: HashMap<String, ResourceId>,
    by_base_key: HashMap<String, Vec<ResourceId>>,
}

impl Model {
    /// Builds the model from resources produced by the front ends: sorts them by file path and
    /// position (deterministic whatever the order of parallel work), assigns ids, indexes keys.
    pub fn new(
        mut resources: Vec<Resource>,
        mut notes: Vec<ModelNote>,
        sources: &SourceMap,
    ) -> Model {
        let path =
            |f: crate::source::FileId| sources.get(f).map(|s| s.rel_path.as_str()).unwrap_or("");
        resources.sort_by(|a, b| {
            (path(a.span.file), a.span.start, &a.key).cmp(&(
                path(b.span.file),
                b.span.start,
                &b.key,
            ))
        });
        notes.sort_by(|a, b| {
            (path(a.span.file), a.span.start, &a.message).cmp(&(
                path(b.span.file),
                b.span.start,
                &b.message,
            ))
        });
        notes.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        let mut by_key = HashMap::with_capacity(resources.len());
        let mut by_base_key: HashMap<String, Vec<ResourceId>> = HashMap::new();
        for (i, r) in resources.iter_mut().enumerate() {
            r.id = ResourceId(u32::try_from(i).unwrap_or(u32::MAX));
            by_key.insert(r.key.clone(), r.id);
            by_base_key
                .entry(r.base_key.clone())
                .or_default()
                .push(r.id);
        }
        Model {
            resources,
            notes,
            by_key,
            by_base_key,
        }
    }

    /// The resource with this id.
    pub fn get(&self, id: ResourceId) -> &Resource {
        &self.resources[id.index()]
    }

    /// The resources a reference designates (several for an unindexed reference to a resource
    /// with `count`/`for_each`).
    pub fn resolve(&self, target: &str) -> Vec<ResourceId> {
        if let Some(id) = self.by_key.get(target) {
            return vec![*id];
        }
        self.by_base_key.get(target).cloned().unwrap_or_default()
    }
}
