//! Module calls: `module "name" { source = ...; ... }` evaluated with the values passed to them.
//!
//! Local sources (`./`, `../`) are loaded relative to the calling module; registry and git
//! sources are found where `terraform init` installed them (`.terraform/modules/modules.json` of
//! the root module). Nothing is ever downloaded: a module that is not installed is unknown, and
//! said so once. `count`/`for_each` on a call give instances `module.x[0]`, `module.x["k"]`; the
//! `providers` argument decides which provider configurations (and so regions and default tags)
//! the child sees; without it, the child inherits its caller's default configurations.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::PathBuf;

use crate::hcl_edit::expr::{Expression, ObjectKey};

use super::config::{ModuleCallDecl, span_of};
use super::eval::{Evaluator, LocalState};
use super::instance::{InstanceInput, MAX_MODULE_DEPTH, ProviderInfo};
use super::{header_span, instantiate};
use crate::model::node::{Kind, Map, Node};
use crate::model::{ModelNote, UnevaluatedModule};
use crate::source::Span;

/// Arguments of a `module` block that are not input variables.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "providers",
    "count",
    "for_each",
    "depends_on",
];

impl Evaluator<'_, '_> {
    /// Evaluates `module.<name>` once: its value (an object of its outputs, a list of them with
    /// `count`, a map with `for_each`) is kept in `self.calls`; its resources are collected.
    pub fn module_value(&self, name: &str, depth: usize) {
        if self.calls.borrow().contains_key(name) {
            return;
        }
        let value = match self.module.module_call(name) {
            Some(call) => {
                self.calls
                    .borrow_mut()
                    .insert(name.to_string(), LocalState::InProgress);
                self.evaluate_call(call, depth)
            }
            None => Node::unknown(
                format!("`module.{name}` is not declared in this module"),
                Span::default(),
            ),
        };
        self.calls
            .borrow_mut()
            .insert(name.to_string(), LocalState::Done(value));
    }

    fn evaluate_call(&self, call: &ModuleCallDecl<'_>, depth: usize) -> Node {
        let file = call.block.file;
        let block = call.block.node;
        let span = header_span(file, block);
        let source = match block.body.get_attribute("source").map(|a| &a.value) {
            Some(Expression::String(s)) => s.value().clone(),
            Some(other) => {
                return self.unevaluated(
                    call,
                    span,
                    format!(
                        "its `source = {}` is not a literal string",
                        self.module.quote(span_of(file, other))
                    ),
                );
            }
            None => return self.unevaluated(call, span, "it has no `source`".into()),
        };
        let dir = match self.module_dir(&call.name, &source) {
            Ok(dir) => dir,
            Err(why) => return self.unevaluated(call, span, why),
        };
        if self.input.depth() >= MAX_MODULE_DEPTH {
            return self.unevaluated(
                call,
                span,
                format!("modules nest more than {MAX_MODULE_DEPTH} levels deep here"),
            );
        }
        if self.input.dir_stack.iter().any(|d| d == &dir) {
            return self.unevaluated(call, span, "it calls itself (a cycle of modules)".into());
        }
        let kept = self
            .input
            .loaded
            .borrow()
            .iter()
            .find(|p| p.abs == dir)
            .cloned();
        let parsed = match kept {
            Some(p) => p,
            None => match self.host.load_dir(&dir) {
                Ok(p) => {
                    self.input.loaded.borrow_mut().push(p.clone());
                    p
                }
                Err(why) => return self.unevaluated(call, span, why),
            },
        };
        let repeated = block.body.has_attribute("count") || block.body.has_attribute("for_each");
        let by_key = block.body.has_attribute("for_each");
        let mut values = Vec::new();
        // The same for every instance; evaluated where the first instance needs them.
        let providers = OnceCell::new();
        for inst in self.expand(block, file, depth) {
            if !self.host.count_instance(&self.input.root_dir) {
                return self.unevaluated(
                    call,
                    span,
                    "the root module has too many module instances to evaluate".into(),
                );
            }
            let mut variables = HashMap::new();
            for attr in block.body.attributes() {
                let key = attr.key.as_str();
                if META_ARGUMENTS.contains(&key) {
                    continue;
                }
                let mut v = self.expr(&attr.value, file, &inst.env, depth + 1);
                v.span = span_of(file, &attr.value);
                variables.insert(key.to_string(), v);
            }
            let mut call_chain = self.input.call_chain.clone();
            call_chain.push(span);
            let mut module_key = self.input.module_key.clone();
            module_key.push(call.name.clone());
            let mut dir_stack = self.input.dir_stack.clone();
            dir_stack.push(dir.clone());
            let child = InstanceInput {
                unit: self.input.unit.clone(),
                root_dir: self.input.root_dir.clone(),
                prefix: format!("{}module.{}{}.", self.input.prefix, call.name, inst.suffix),
                variables,
                providers: Some(
                    providers
                        .get_or_init(|| self.passed_providers(call, depth))
                        .clone(),
                ),
                call_chain,
                module_key,
                dir_stack,
                existence_unknown: inst
                    .existence_unknown
                    .clone()
                    .or_else(|| self.input.existence_unknown.clone()),
                loaded: self.input.loaded.clone(),
            };
            let out = instantiate(self.host, &parsed, &child);
            {
                let mut children = self.children.borrow_mut();
                children.0.extend(out.resources);
                children.1.extend(out.notes);
            }
            values.push((inst.key.clone(), Node::new(Kind::Map(out.outputs), span)));
            if let Some(reason) = &inst.existence_unknown
                && repeated
            {
                // One instance stands for an unknown number of them.
                return Node::unknown(
                    format!(
                        "the instances of `module.{}` are unknown: {reason}",
                        call.name
                    ),
                    span,
                );
            }
        }
        if !repeated {
            return values
                .pop()
                .map(|(_, v)| v)
                .unwrap_or_else(|| Node::new(Kind::Null, span));
        }
        if by_key {
            let mut m = Map::default();
            for (k, v) in values {
                m.insert(k.unwrap_or_default(), span, v);
            }
            Node::new(Kind::Map(m), span)
        } else {
            Node::new(
                Kind::List(values.into_iter().map(|(_, v)| v).collect()),
                span,
            )
        }
    }

    /// Notes once that a module call is not evaluated, and gives its value as unknown.
    fn unevaluated(&self, call: &ModuleCallDecl<'_>, span: Span, why: String) -> Node {
        let address = format!("{}module.{}", self.input.prefix, call.name);
        let source = match call
            .block
            .node
            .body
            .get_attribute("source")
            .map(|a| &a.value)
        {
            Some(Expression::String(s)) => s.value().clone(),
            _ => String::new(),
        };
        let mut note = ModelNote::new(
            span,
            format!("module `{address}` is not evaluated: {why}; its resources are not checked"),
        );
        note.module = Some(UnevaluatedModule {
            not_installed: why.contains("is not installed"),
            terragrunt_unit: false,
            source,
            address,
            why: why.clone(),
        });
        self.push_note(note);
        Node::unknown(
            format!("`module.{}` is not evaluated: {why}", call.name),
            span,
        )
    }

    /// The directory of a module source: local paths relative to this module, others where
    /// `terraform init` installed them.
    fn module_dir(&self, name: &str, source: &str) -> Result<PathBuf, String> {
        if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
        {
            let dir = crate::source::normalize_path(&self.dir.join(source));
            return self
                .host
                .module_dir(&dir, self.dir)
                .map_err(|why| format!("its source directory `{source}` {why}"));
        }
        let mut key = self.input.module_key.clone();
        key.push(name.to_string());
        match self
            .host
            .installed_module(&self.input.root_dir, &key.join("."))
        {
            Some(dir) => Ok(dir),
            None => Err(format!(
                "its source `{source}` is not installed (run `terraform init` so that .terraform/modules holds it; resilint never downloads modules)"
            )),
        }
    }

    /// The provider configurations a module call passes: the `providers` map, or else the
    /// caller's default (unaliased) configurations.
    fn passed_providers(
        &self,
        call: &ModuleCallDecl<'_>,
        depth: usize,
    ) -> HashMap<String, ProviderInfo> {
        let mut out = HashMap::new();
        let explicit = call.block.node.body.get_attribute("providers");
        match explicit.map(|a| &a.value) {
            Some(Expression::Object(o)) => {
                for (k, v) in o.iter() {
                    let child_name = match k {
                        ObjectKey::Ident(i) => Some(i.as_str().to_string()),
                        ObjectKey::Expression(e) => reference_text(e),
                    };
                    if let (Some(child_name), Some(caller_ref)) =
                        (child_name, reference_text(v.expr()))
                    {
                        out.insert(child_name, self.provider(&caller_ref, depth));
                    }
                }
            }
            _ => {
                let mut defaults: Vec<String> = self
                    .module
                    .providers
                    .iter()
                    .filter(|p| p.alias.is_none())
                    .map(|p| p.name.clone())
                    .collect();
                if let Some(passed) = &self.input.providers {
                    defaults.extend(passed.keys().filter(|k| !k.contains('.')).cloned());
                }
                defaults.push("aws".into());
                defaults.sort();
                defaults.dedup();
                for name in defaults {
                    let info = self.provider(&name, depth);
                    out.insert(name, info);
                }
            }
        }
        out
    }
}

/// `aws` or `aws.alias` from a provider reference expression, or from a string.
fn reference_text(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().clone()),
        _ => super::reference_name(e),
    }
}
