//! Building the model from the inputs: CloudFormation templates are parsed and modelled one per
//! task. Terraform is evaluated per root module: a directory that no scanned module calls
//! through a local source. Each root task evaluates its module and, through the [`Project`], the
//! modules it calls (loaded once while in use, also from outside the scanned paths and from
//! `.terraform/modules`). Plans are mapped onto their configuration. Every directory not reached
//! from a root is then evaluated as a root itself, so nothing is left out.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::inputs::Inputs;
use crate::knowledge::KnowledgeBase;
use crate::model::cloudformation::Deployment;
use crate::model::plan::{BlockSpans, ConfigLocator};
use crate::model::terraform::instance::{ModuleHost, ParsedDir};
use crate::model::terraform::project::{Project, VarInputs, local_module_sources};
use crate::model::{self, ModelNote, Resource};
use crate::parse::{self, ParseError, Parsed, cfn_detect};
use crate::source::{FileId, Language, SourceRegistry, normalize_path};
use crate::tree::Tree;

/// What one unit (a template, a root module, a plan) gives: resources, notes, parse errors.
pub(super) type UnitBuilt = (Vec<Resource>, Vec<ModelNote>, Vec<ParseError>);

/// What building needs besides the inputs.
pub struct Context<'a> {
    /// What may be opened.
    pub tree: &'a Tree,
    /// The files read so far; modules loaded on demand are added.
    pub registry: &'a SourceRegistry,
    /// The knowledge base.
    pub kb: &'a KnowledgeBase,
    /// The base directory of reported paths.
    pub base: &'a Path,
    /// Variable values given outside the configuration.
    pub vars: &'a VarInputs,
    /// How CloudFormation templates are deployed (region, parameter values).
    pub deployment: Deployment<'a>,
    /// The `samconfig.toml` environment to read (`--config-env`; `default`).
    pub sam_config_env: &'a str,
    /// Remote Terragrunt sources mapped to local directories (`--source-map`).
    pub source_map: &'a [(String, PathBuf)],
}

/// The resources, notes and parse errors of every unit.
#[derive(Default)]
pub struct Built {
    /// Resources.
    pub resources: Vec<Resource>,
    /// Notes (values that could not be resolved, modules not evaluated).
    pub notes: Vec<ModelNote>,
    /// Files that did not parse.
    pub parse_errors: Vec<ParseError>,
    /// Files named on the command line that parse but are not templates (relative paths).
    pub not_templates: Vec<String>,
    /// `--var` names that no evaluated root module declares.
    pub undeclared_vars: Vec<String>,
    /// Why `--var` values are not valid for their variables' types.
    pub invalid_vars: Vec<String>,
    /// What the run says besides findings (Terragrunt units checked with mock outputs).
    pub notices: Vec<crate::notice::Notice>,
}

/// Builds every template, root module and plan of the inputs.
pub fn build(inputs: &Inputs, cx: &Context<'_>) -> Built {
    let mut project = Project::new(cx.registry, cx.tree, cx.kb, cx.base, cx.vars);
    // Terragrunt units first: the directories they stand for are not root modules.
    let units = super::terragrunt::units(
        &inputs.terragrunt,
        &project,
        cx.tree,
        cx.base,
        cx.source_map,
    );
    let (graph, roots) = root_modules(inputs, cx.tree, &units.dirs);
    let plan_dirs: HashSet<&PathBuf> = inputs.plans.iter().map(|p| &p.config_dir).collect();
    project.plan(&roots, &graph);
    // Templates synthesized by the CDK deploy to the region their stack's environment names.
    let paths: Vec<PathBuf> = inputs
        .templates
        .iter()
        .map(|t| normalize_path(&cx.base.join(&t.unit)))
        .collect();
    let cdk = super::cdk::stacks(&paths, cx.tree);
    // `sam deploy`'s configuration beside a template: its region and parameter values (those
    // the user gives win).
    let sam = super::samconfig::read_all(&paths, cx.sam_config_env, cx.tree);
    let templates: Vec<(UnitBuilt, bool)> = inputs
        .templates
        .par_iter()
        .zip(paths.par_iter())
        .map(|(t, path)| {
            let sam = path.parent().and_then(|d| sam.get(d));
            let parameters = sam.map(|s| {
                let mut p = s.parameters.clone();
                p.extend(
                    cx.deployment
                        .parameters
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
                p
            });
            let region = cdk
                .get(path)
                .and_then(|s| s.region.as_deref())
                .or_else(|| sam.and_then(|s| s.region.as_deref()))
                .or(cx.deployment.region);
            let deployment = Deployment {
                region,
                parameters: parameters.as_ref().or(cx.deployment.parameters),
                unknown_parameters: None,
            };
            build_template(t.id, &t.unit, &t.text, t.language, &deployment, cx.kb)
        })
        .collect();
    let not_templates: Vec<String> = inputs
        .templates
        .iter()
        .zip(&templates)
        .filter(|(t, (_, is_template))| t.named && !is_template)
        .map(|(t, _)| t.unit.clone())
        .collect();
    let mut built: Vec<UnitBuilt> = templates.into_iter().map(|(u, _)| u).collect();
    super::nested::expand(&inputs.templates, &paths, &mut built, cx);
    built.par_extend(roots.par_iter().map(|dir| {
        let (r, n) = guarded(|| project.evaluate_root(dir));
        (r, n, Vec::new())
    }));
    built.par_extend(units.runs.par_iter().map(|unit| {
        let (r, n) = guarded(|| project.evaluate_unit(unit));
        (r, n, Vec::new())
    }));
    built.push((Vec::new(), units.notes, Vec::new()));
    built.par_extend(
        inputs
            .plans
            .par_iter()
            .map(|p| match parse::json::parse(p.id, &p.text) {
                Ok(root) => {
                    let config = PlanConfig::new(&project);
                    let (r, n) = guarded(|| {
                        model::plan::build_plan(
                            &p.unit,
                            &root,
                            cx.kb,
                            &p.config_dir,
                            &config,
                            cx.vars.region.as_deref(),
                        )
                    });
                    (r, n, Vec::new())
                }
                Err(e) => (Vec::new(), Vec::new(), vec![e]),
            }),
    );
    // Directories reached from no root (a cycle of modules, a missed call): roots themselves.
    let loaded = project.loaded();
    let rest: BTreeSet<&PathBuf> = inputs
        .tf_dirs
        .iter()
        .filter(|d| !loaded.contains(*d) && !plan_dirs.contains(d) && !units.dirs.contains(*d))
        .collect();
    built.par_extend(rest.par_iter().map(|dir| {
        let (r, n) = guarded(|| project.evaluate_root(dir));
        (r, n, Vec::new())
    }));
    let mut out = Built {
        parse_errors: project.take_parse_errors(),
        not_templates,
        // Only when Terraform was scanned: a `--var` means nothing to a template.
        undeclared_vars: if inputs.tf_dirs.is_empty() {
            Vec::new()
        } else {
            project.undeclared_vars()
        },
        invalid_vars: project.take_invalid_vars(),
        notices: units.notices,
        ..Built::default()
    };
    for (r, n, e) in built {
        out.resources.extend(r);
        out.notes.extend(n);
        out.parse_errors.extend(e);
    }
    out
}

/// The calls between scanned module directories (through local sources), and the root modules:
/// directories no scanned module calls, and that no plan or Terragrunt unit (`units`) stands for
/// (a plan is authoritative for its configuration: that directory is not evaluated again).
fn root_modules(
    inputs: &Inputs,
    tree: &Tree,
    units: &HashSet<PathBuf>,
) -> (HashMap<PathBuf, Vec<PathBuf>>, Vec<PathBuf>) {
    let edges: Vec<(PathBuf, Vec<PathBuf>)> = inputs
        .calls
        .par_iter()
        .map(|(dir, text)| {
            let callees = local_module_sources(text)
                .into_iter()
                .filter_map(|s| tree.admit_dir(&normalize_path(&dir.join(s))).ok())
                .collect();
            (dir.clone(), callees)
        })
        .collect();
    let mut graph: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for (dir, callees) in edges {
        graph.entry(dir).or_default().extend(callees);
    }
    let called: HashSet<&PathBuf> = graph.values().flatten().collect();
    let plan_dirs: HashSet<&PathBuf> = inputs.plans.iter().map(|p| &p.config_dir).collect();
    let roots: Vec<PathBuf> = inputs
        .tf_dirs
        .iter()
        .filter(|d| !called.contains(d) && !plan_dirs.contains(d) && !units.contains(*d))
        .cloned()
        .collect();
    (graph, roots)
}

/// The configuration a plan maps its resources back to: the [`Project`]'s blocks, with every
/// module directory the plan looks into kept parsed until the plan is built. The project keeps a
/// directory only while a root module still needs it, and a plan's directories are not roots:
/// without this, each lookup (one per resource, two per provider) would parse the directory
/// again.
struct PlanConfig<'a, 'p> {
    project: &'a Project<'p>,
    kept: RefCell<HashMap<PathBuf, Option<Arc<ParsedDir>>>>,
}

impl<'a, 'p> PlanConfig<'a, 'p> {
    fn new(project: &'a Project<'p>) -> Self {
        PlanConfig {
            project,
            kept: RefCell::new(HashMap::new()),
        }
    }

    /// Loads the module at `dir` once and keeps it.
    fn keep(&self, dir: &Path) {
        if self.kept.borrow().contains_key(dir) {
            return;
        }
        let parsed = self
            .project
            .module_dir(dir, dir)
            .ok()
            .and_then(|d| self.project.load_dir(&d).ok());
        self.kept.borrow_mut().insert(dir.to_path_buf(), parsed);
    }
}

impl ConfigLocator for PlanConfig<'_, '_> {
    fn locate(&self, dir: &Path, rtype: &str, name: &str) -> Option<BlockSpans> {
        self.keep(dir);
        self.project.locate(dir, rtype, name)
    }

    fn locate_provider(&self, dir: &Path, name: &str, alias: Option<&str>) -> Option<BlockSpans> {
        self.keep(dir);
        self.project.locate_provider(dir, name, alias)
    }
}

/// Runs a model builder; a panic (a bug) costs that unit's resources, not the scan.
fn guarded<F: FnOnce() -> (Vec<Resource>, Vec<ModelNote>)>(
    f: F,
) -> (Vec<Resource>, Vec<ModelNote>) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_default()
}

/// Parses and models a CloudFormation template; also whether it is one (a file that parses as
/// YAML or JSON and has no template's shape is not).
fn build_template(
    id: FileId,
    unit: &str,
    text: &str,
    language: Language,
    deployment: &Deployment<'_>,
    kb: &KnowledgeBase,
) -> (UnitBuilt, bool) {
    match parse::parse(id, language, text) {
        Ok(Parsed::CloudFormation(root)) => {
            let (r, n) =
                guarded(|| model::cloudformation::build_template(unit, &root, deployment, kb));
            ((r, n, Vec::new()), true)
        }
        Ok(_) => ((Vec::new(), Vec::new(), Vec::new()), false),
        // A YAML/JSON file that does not parse is reported only when it clearly claims to be a
        // template; other broken YAML is none of resilint's business.
        Err(e) if cfn_detect::claims_template(text) => ((Vec::new(), Vec::new(), vec![e]), true),
        Err(_) => ((Vec::new(), Vec::new(), Vec::new()), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_parses_its_configuration_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.tf"), "resource \"aws_s3_bucket\" \"b\" {}\n").unwrap();
        // A file that does not parse: each parse of the directory reports it once more.
        std::fs::write(d.join("broken.tf"), "resource {\n").unwrap();
        let registry = SourceRegistry::default();
        let tree = Tree::default();
        let kb = KnowledgeBase::builtin().unwrap();
        let vars = VarInputs::default();
        let project = Project::new(&registry, &tree, &kb, d, &vars);
        let config = PlanConfig::new(&project);
        for _ in 0..3 {
            assert!(config.locate(d, "aws_s3_bucket", "b").is_some());
            assert!(config.locate_provider(d, "aws", None).is_none());
        }
        assert_eq!(project.take_parse_errors().len(), 1);
    }
}
