//! Terragrunt units in a [`Project`]: their configuration files read once through the tree, and
//! each unit's module evaluated as Terraform runs it, with the unit's `inputs` and the files its
//! `generate` blocks write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Project, lock};
use crate::knowledge::KnowledgeBase;
use crate::model::node::Node;
use crate::model::terraform::config::ModuleConfig;
use crate::model::terraform::instance::{InstanceInput, ModuleHost};
use crate::model::terraform::instantiate_files;
use crate::model::terragrunt::{ConfigFile, ConfigFiles, UnitConfig};
use crate::model::{ModelNote, Resource};
use crate::parse;
use crate::source::{FileId, Language, Span};
use crate::tree::ReadError;

/// A Terragrunt unit as Terraform runs it.
#[derive(Debug)]
pub struct UnitRun {
    /// Its evaluated configuration.
    pub config: UnitConfig,
    /// Its directory relative to the report base: resource keys start with it.
    pub unit: String,
    /// The module Terraform runs (canonical): the source's directory, or the unit's own.
    pub module_dir: PathBuf,
    /// Where the unit brings the module in (its `source`, else its `terragrunt.hcl`).
    pub call: Span,
}

impl ConfigFiles for Project<'_> {
    fn parse(&self, path: &Path, _unit_dir: &Path) -> Result<Arc<ConfigFile>, String> {
        let canonical = self.tree.admit(path).map_err(|e| match e {
            ReadError::NotFound => "it does not exist".to_string(),
            e => e.to_string(),
        })?;
        // Stricter than a module call: a configuration read from outside the tree (an
        // absolute `read_terragrunt_config("/etc/...")`) could put another file's text into a
        // parse error's code frame, work tree or not.
        if !self.tree.contains(&canonical) {
            return Err("it is outside the scanned tree; resilint does not open it".into());
        }
        if let Some(f) = lock(&self.configs).get(&canonical) {
            return f.clone();
        }
        let parsed = self.parse_config(path, &canonical);
        lock(&self.configs).insert(canonical, parsed.clone());
        parsed
    }

    fn kb(&self) -> &KnowledgeBase {
        self.kb
    }
}

impl Project<'_> {
    /// Reads (or takes from the registry) and parses one Terragrunt configuration file.
    fn parse_config(&self, path: &Path, canonical: &Path) -> Result<Arc<ConfigFile>, String> {
        let reg = self
            .registered(path, canonical, Language::Terraform)
            .ok_or("it cannot be read")?;
        if reg.broken {
            return Err("it is not text".into());
        }
        match parse::hcl::parse(reg.id, &reg.text) {
            Ok(body) => Ok(Arc::new(ConfigFile {
                path: canonical.to_path_buf(),
                id: reg.id,
                body,
                text: reg.text.clone(),
            })),
            Err(e) => {
                lock(&self.parse_errors).push(e);
                Err("it does not parse".into())
            }
        }
    }

    /// Evaluates a Terragrunt unit: its module's files, the unit directory's own `.tf` files
    /// and the generated ones, with the unit's `inputs` as the lowest-precedence variable
    /// values. Every resource and note carries the unit's `source` as its call; what comes from
    /// a generated file (a provider's region) points at its `generate` block.
    pub fn evaluate_unit(&self, run: &UnitRun) -> (Vec<Resource>, Vec<ModelNote>) {
        let mut notes: Vec<ModelNote> = run.config.notes.clone();
        let module = match self.load_dir(&run.module_dir) {
            Ok(m) => m,
            Err(why) => {
                notes.push(ModelNote::new(
                    run.call,
                    format!("the unit's module cannot be read: {why}"),
                ));
                return (Vec::new(), with_call(notes, run.call));
            }
        };
        // Terragrunt copies the unit's own files beside the module's.
        let own = match self.tree.canonical_dir(&run.config.dir) {
            Some(d) if d != run.module_dir => self.load_dir(&d).ok(),
            _ => None,
        };
        let generated: Vec<(crate::model::terraform::instance::ParsedFile, Span)> = run
            .config
            .generated
            .iter()
            .filter_map(|g| self.parse_generated(run, g, &mut notes))
            .collect();
        let mut files = module.bodies();
        if let Some(own) = &own {
            files.extend(own.bodies());
        }
        files.extend(
            generated
                .iter()
                .map(|(f, _)| (f.id, &f.body, f.text.as_ref())),
        );
        let given: HashMap<String, Node> = run
            .config
            .inputs
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        let (mut variables, var_notes) = self.root_variables(&run.module_dir, &files, given);
        notes.extend(var_notes);
        if let Some((why, span)) = &run.config.inputs_unknown {
            let config = ModuleConfig::from_files(&files);
            for name in config.variables.keys() {
                variables
                    .entry(name.clone())
                    .or_insert_with(|| Node::unknown(why.clone(), *span));
            }
        }
        let mut input = InstanceInput::root(run.unit.clone(), run.module_dir.clone(), variables);
        input.call_chain = vec![run.call];
        let mut out = instantiate_files(self, &run.module_dir, &files, &input);
        notes.append(&mut out.notes);
        let moved: Vec<(FileId, Span)> = generated.iter().map(|(f, s)| (f.id, *s)).collect();
        for r in &mut out.resources {
            for (from, to) in &moved {
                r.relocate(*from, *to);
            }
        }
        for n in &mut notes {
            if let Some((_, to)) = moved.iter().find(|(id, _)| *id == n.span.file) {
                n.span = *to;
            }
        }
        (out.resources, with_call(notes, run.call))
    }

    /// Registers and parses a file a `generate` block writes: it is context, never reported
    /// itself (what comes from it is relocated to the block).
    fn parse_generated(
        &self,
        run: &UnitRun,
        g: &crate::model::terragrunt::Generated,
        notes: &mut Vec<ModelNote>,
    ) -> Option<(crate::model::terraform::instance::ParsedFile, Span)> {
        let is_terraform = g.path.ends_with(".tf") || g.path.ends_with(".tofu");
        if !is_terraform {
            return None;
        }
        // A key no real file has: the generated file lives in Terragrunt's working directory.
        let key = run.config.dir.join(".terragrunt-generated").join(&g.path);
        let text: Arc<str> = Arc::from(g.contents.as_str());
        let reg = self.registry.register(
            key.clone(),
            key,
            format!("{}/{}", run.unit, g.path),
            Language::Terraform,
            text,
            false,
            false,
        );
        match parse::hcl::parse(reg.id, &reg.text) {
            Ok(body) => Some((
                crate::model::terraform::instance::ParsedFile {
                    id: reg.id,
                    body,
                    text: reg.text.clone(),
                },
                g.span,
            )),
            Err(e) => {
                notes.push(ModelNote::new(
                    g.span,
                    format!(
                        "the file `generate \"{}\"` writes ({}) does not parse: {}",
                        g.name, g.path, e.message
                    ),
                ));
                None
            }
        }
    }
}

/// Notes of a unit carry its call, so that one in a file that is not reported is shown there.
fn with_call(mut notes: Vec<ModelNote>, call: Span) -> Vec<ModelNote> {
    for n in &mut notes {
        if n.call_chain.first() != Some(&call) {
            n.call_chain.insert(0, call);
        }
    }
    notes
}
