//! Nested CloudFormation stacks: an `AWS::CloudFormation::Stack` whose `TemplateURL` is a local
//! path (as `aws cloudformation package` and `sam build` take it) is its child template,
//! evaluated with the `Parameters` the parent passes and in the parent's region.
//!
//! A child's findings point into the child, with the parent's stack resource as a related
//! location (the resources' call chain, as for a Terraform module). A child evaluated through
//! its parent is not evaluated alone with its defaults, unless it was named on the command line.
//! A child that cannot be read (a remote URL, a missing file, an unknown expression) is one note
//! (RES011) at the stack resource, never a guess. StackSets are expanded per region
//! ([`stack_set`]).

mod stack_set;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::build::{Context, UnitBuilt};
use super::inputs::Template;
use crate::model::cloudformation::{Deployment, build_template, stack_key, template_outputs};
use crate::model::node::{Kind, Map, Node};
use crate::model::{ModelNote, Region, Resource};
use crate::parse::{self, Parsed};
use crate::source::{Language, normalize_path, relative_path};

/// How deep stacks may nest.
const MAX_DEPTH: usize = 8;

/// Expands the nested stacks of the built templates: children are built through their parents
/// and appended; a scanned child that a parent evaluates (and that was not named on the command
/// line) loses its stand-alone result.
pub fn expand(
    templates: &[Template],
    paths: &[PathBuf],
    built: &mut Vec<UnitBuilt>,
    cx: &Context<'_>,
) {
    let index: HashMap<&PathBuf, usize> = paths.iter().enumerate().map(|(i, p)| (p, i)).collect();
    let mut expander = Expander {
        templates,
        index,
        cx,
        consumed: HashSet::new(),
        expanded: HashSet::new(),
        children: Vec::new(),
        outputs: HashMap::new(),
    };
    for (i, path) in paths.iter().enumerate() {
        let stacks: Vec<Resource> = built[i]
            .0
            .iter()
            .filter(|r| {
                r.rtype == "AWS::CloudFormation::Stack"
                    || r.rtype == "AWS::CloudFormation::StackSet"
            })
            .cloned()
            .collect();
        let mut visiting = vec![path.clone()];
        for stack in &stacks {
            if stack.rtype == "AWS::CloudFormation::StackSet" {
                expander.stack_set(stack, path, 0);
            } else {
                expander.child(stack, path, &mut visiting, 0);
            }
        }
    }
    let Expander {
        consumed,
        children,
        outputs,
        ..
    } = expander;
    for j in consumed {
        if let Some(slot) = built.get_mut(j) {
            *slot = (Vec::new(), Vec::new(), Vec::new());
        }
    }
    built.extend(children);
    if !outputs.is_empty() {
        for (resources, _, _) in built.iter_mut() {
            for r in resources.iter_mut() {
                read_outputs(r, &outputs);
            }
        }
    }
}

/// Replaces every `!GetAtt Stack.Outputs.<Name>` in a resource by the value the nested stack's
/// output has (itself perhaps another stack's output: followed [`MAX_DEPTH`] deep). The value
/// keeps the place it is read at.
fn read_outputs(r: &mut Resource, outputs: &HashMap<String, Map>) {
    for _ in 0..MAX_DEPTH {
        let mut changed = substitute_outputs(&mut r.body, outputs);
        for t in &mut r.tags.entries {
            changed |= substitute_outputs(&mut t.value, outputs);
        }
        if !changed {
            break;
        }
    }
}

fn substitute_outputs(node: &mut Node, outputs: &HashMap<String, Map>) -> bool {
    match &mut node.kind {
        Kind::Ref(reference) => {
            let Some(name) = reference.attribute.strip_prefix("Outputs.") else {
                return false;
            };
            let Some(stack) = outputs.get(&reference.target) else {
                return false;
            };
            let span = node.span;
            *node = match stack.get(name) {
                Some(v) => Node { span, ..v.clone() },
                None => Node::error(
                    format!(
                        "`{}`: the nested stack has no output `{name}`",
                        reference.text
                    ),
                    span,
                ),
            };
            true
        }
        Kind::List(items) => items
            .iter_mut()
            .fold(false, |c, i| substitute_outputs(i, outputs) | c),
        Kind::Map(m) => m
            .iter_mut()
            .fold(false, |c, e| substitute_outputs(e.value, outputs) | c),
        _ => false,
    }
}

struct Expander<'a, 'c> {
    templates: &'a [Template],
    index: HashMap<&'a PathBuf, usize>,
    cx: &'a Context<'c>,
    /// Scanned templates evaluated through a parent.
    consumed: HashSet<usize>,
    /// Children expanded so far (a second parent gives its copy a unit of its own).
    expanded: HashSet<PathBuf>,
    children: Vec<UnitBuilt>,
    /// The `Outputs` of each nested stack, by the stack resource's key.
    outputs: HashMap<String, Map>,
}

impl Expander<'_, '_> {
    /// Records a note about a stack whose template is not evaluated.
    fn noted(&mut self, note: ModelNote) {
        self.children.push((Vec::new(), vec![note], Vec::new()));
    }

    /// Builds the child of `stack` (a resource of the template at `parent`), and its children.
    fn child(
        &mut self,
        stack: &Resource,
        parent: &Path,
        visiting: &mut Vec<PathBuf>,
        depth: usize,
    ) {
        let note = |message: String| {
            not_evaluated(
                stack,
                "nested stack",
                &message,
                "give the nested stack a local `TemplateURL` (a path relative to this template, as `aws cloudformation package` and `sam build` take it) and scan it with its parent",
            )
        };
        let url = match stack.attr("TemplateURL") {
            Some(n) => match n.as_str() {
                Some(s) if !n.is_unknown() => s.into_owned(),
                _ => {
                    let why = n.unknown_reason().unwrap_or_default();
                    self.noted(note(format!("its `TemplateURL` is unknown: {why}")));
                    return;
                }
            },
            None => return,
        };
        if url.contains("://") {
            self.noted(note(format!(
                    "its template `{url}` is not on this machine (resilint never downloads templates; give a local path, as `aws cloudformation package` takes)"
                )));
            return;
        }
        let Some(dir) = parent.parent() else { return };
        let path = normalize_path(&dir.join(&url));
        if visiting.contains(&path) || depth >= MAX_DEPTH {
            self.noted(note(format!(
                "its template `{url}` nests into itself, or more than {MAX_DEPTH} stacks deep"
            )));
            return;
        }
        let Some((id, text, rel, language)) = self.source(&path) else {
            self.noted(note(format!("its template `{url}` cannot be read (it does not exist, or resilint may not open it)")));
            return;
        };
        let root = match parse::parse(id, language, &text) {
            Ok(Parsed::CloudFormation(root)) => root,
            Ok(_) => {
                self.noted(note(format!("`{url}` is not a CloudFormation template")));
                return;
            }
            Err(e) => {
                self.children.push((Vec::new(), Vec::new(), vec![e]));
                return;
            }
        };
        let (known, unknown) = passed_parameters(stack);
        let unit = if self.expanded.insert(path.clone()) {
            rel
        } else {
            format!("{rel}@{}", stack.address)
        };
        let deployment = Deployment {
            region: stack.region.name(),
            parameters: Some(&known),
            unknown_parameters: Some(&unknown),
        };
        let (mut resources, mut notes) = build_template(&unit, &root, &deployment, self.cx.kb);
        self.outputs.insert(
            stack.key.clone(),
            template_outputs(&unit, &root, &deployment),
        );
        let mut chain = stack.call_chain.clone();
        chain.push(stack.span);
        let own_stack = stack_key(&unit);
        for r in &mut resources {
            r.call_chain = chain.clone();
            // A nested stack is deployed in its parent's region.
            if matches!(&r.region, Region::Symbolic { key, .. } if *key == own_stack) {
                r.region = stack.region.clone();
            }
        }
        for n in &mut notes {
            n.call_chain = chain.clone();
        }
        let grandchildren: Vec<Resource> = resources
            .iter()
            .filter(|r| r.rtype == "AWS::CloudFormation::Stack")
            .cloned()
            .collect();
        self.children.push((resources, notes, Vec::new()));
        visiting.push(path.clone());
        for g in &grandchildren {
            self.child(g, &path, visiting, depth + 1);
        }
        visiting.pop();
    }

    /// The child template's file: a scanned one (then consumed, unless named on the command
    /// line), or read and registered now.
    fn source(
        &mut self,
        path: &PathBuf,
    ) -> Option<(crate::source::FileId, std::sync::Arc<str>, String, Language)> {
        if let Some(&j) = self.index.get(path) {
            let t = &self.templates[j];
            if !t.named {
                self.consumed.insert(j);
            }
            return Some((t.id, t.text.clone(), t.unit.clone(), t.language));
        }
        let text = self
            .cx
            .tree
            .read_string(path, parse::MAX_FILE_BYTES as u64)
            .ok()?;
        let language = if text.trim_start().starts_with('{') {
            Language::CloudFormationJson
        } else {
            Language::CloudFormationYaml
        };
        let rel = relative_path(path, self.cx.base);
        let registered = self.cx.registry.register(
            self.cx.tree.canonical(path),
            path.clone(),
            rel.clone(),
            language,
            std::sync::Arc::from(text),
            true,
            false,
        );
        Some((registered.id, registered.text, rel, language))
    }
}

/// A note at a stack (or StackSet) resource whose template is not evaluated: why, and what to
/// do.
fn not_evaluated(stack: &Resource, what: &str, message: &str, help: &str) -> ModelNote {
    let mut n = ModelNote::new(
        stack.span,
        format!(
            "{what} {}: {message}; its resources are not checked",
            stack.address
        ),
    );
    n.call_chain = stack.call_chain.clone();
    n.help = Some(help.to_string());
    n
}

/// The parameter values a stack resource passes: known ones as text, unknown ones with why.
fn passed_parameters(stack: &Resource) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let Some(Node {
        kind: Kind::Map(params),
        ..
    }) = stack.attr("Parameters")
    else {
        return (BTreeMap::new(), BTreeMap::new());
    };
    parameter_values(
        &format!("the parent stack {}", stack.address),
        params.iter().map(|e| (e.key.clone(), Some(&e.value))),
    )
}

/// Parameter values as a child template takes them (`List` values joined with commas), split
/// into known ones and unknown ones with why; `by` names who passes them.
fn parameter_values<'n>(
    by: &str,
    values: impl Iterator<Item = (String, Option<&'n Node>)>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut known = BTreeMap::new();
    let mut unknown = BTreeMap::new();
    for (key, value) in values {
        let text = value.and_then(|v| match &v.kind {
            Kind::String(s) => Some(s.clone()),
            Kind::Number(_) | Kind::Bool(_) => Some(v.display()),
            Kind::List(items) => items
                .iter()
                .map(|i| i.as_str().map(|s| s.into_owned()))
                .collect::<Option<Vec<String>>>()
                .map(|v| v.join(",")),
            _ => None,
        });
        match text {
            Some(t) => {
                known.insert(key, t);
            }
            None => {
                let why = value
                    .and_then(Node::unknown_reason)
                    .unwrap_or_else(|| "it is not a plain value".into());
                unknown.insert(
                    key.clone(),
                    format!("{by} passes `{key}` a value that is unknown: {why}"),
                );
            }
        }
    }
    (known, unknown)
}
