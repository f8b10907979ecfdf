//! The Terragrunt front end: a unit's `terragrunt.hcl`, evaluated statically into what
//! Terragrunt hands Terraform: the module source, `inputs` (the module's variables), and the
//! files `generate` blocks write (a provider with its region).
//!
//! Evaluated here: `locals`, `include` blocks (their locals, inputs, `terraform` and `generate`
//! blocks merged under the child's; `expose`d includes as `include.<name>`), `dependency`
//! blocks (`outputs` unknown unless `mock_outputs` are given), `feature` defaults, and
//! Terragrunt's path functions (`find_in_parent_folders()`, `read_terragrunt_config()`,
//! `get_terragrunt_dir()`, `path_relative_to_include()`, ...). What Terragrunt learns only when
//! it runs (`get_env()`, `run_cmd()`, the account) is unknown, with a reason.

mod functions;
pub mod source;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::hcl_edit::structure::{Block, Structure};

use crate::knowledge::KnowledgeBase;
use crate::model::ModelNote;
use crate::model::node::{Kind, Map, Node};
use crate::model::terraform::config::{ModuleConfig, span_of};
use crate::model::terraform::eval::{Env, Evaluator};
use crate::model::terraform::instance::InstanceInput;
use crate::source::{FileId, Span};

use functions::ConfigHost;

/// Deepest chain of `include` and `read_terragrunt_config()` that is followed.
pub const MAX_CONFIG_DEPTH: usize = 8;

/// A parsed Terragrunt configuration file.
#[derive(Debug)]
pub struct ConfigFile {
    /// Its absolute path.
    pub path: PathBuf,
    /// Its id.
    pub id: FileId,
    /// Its syntax tree.
    pub body: crate::hcl_edit::structure::Body,
    /// Its text.
    pub text: Arc<str>,
}

/// Where a unit's configuration files come from: parsed once each, through the scan's tree.
pub trait ConfigFiles: Sync {
    /// The parsed HCL file at `path` (absolute) read for the unit in `unit_dir`, or why it
    /// cannot be read (a parse error is recorded by the implementation, and also gives `Err`).
    fn parse(&self, path: &Path, unit_dir: &Path) -> Result<Arc<ConfigFile>, String>;
    /// The knowledge base (the evaluator's functions need it).
    fn kb(&self) -> &KnowledgeBase;
}

/// A file a `generate` block writes.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The block's label (`provider`).
    pub name: String,
    /// The file name it writes (`provider.tf`).
    pub path: String,
    /// Its contents.
    pub contents: String,
    /// The `generate` block: where what comes from the file is reported.
    pub span: Span,
}

/// What Terragrunt hands Terraform for one unit.
#[derive(Debug, Clone)]
pub struct UnitConfig {
    /// The unit's `terragrunt.hcl`.
    pub file: FileId,
    /// Its directory (absolute).
    pub dir: PathBuf,
    /// `terraform { source }` (the child's, else an include's), with where it was written;
    /// `None` when no configuration sets one (Terraform runs in the unit's directory).
    pub source: Option<Node>,
    /// `inputs`, merged: the module's variable values.
    pub inputs: Map,
    /// Why some `inputs` are not known (an included file's `inputs` that cannot be evaluated):
    /// every variable not set otherwise is then unknown, not its default.
    pub inputs_unknown: Option<(String, Span)>,
    /// Files `generate` blocks write, by name (the child's replace an include's).
    pub generated: Vec<Generated>,
    /// `mock_outputs` used for dependencies: (dependency name, where).
    pub mocks: Vec<(String, Span)>,
    /// Files included (they are not units of their own).
    pub included: Vec<PathBuf>,
    /// What could not be evaluated.
    pub notes: Vec<ModelNote>,
}

/// What one configuration file says, evaluated for a unit.
#[derive(Debug, Default)]
struct FileConfig {
    locals: Map,
    inputs: Option<Node>,
    source: Option<Node>,
    generated: Vec<Generated>,
    /// The file's top-level attributes and `locals`, as `read_terragrunt_config()` and an
    /// exposed include give them.
    value: Map,
    mocks: Vec<(String, Span)>,
    included: Vec<PathBuf>,
    notes: Vec<ModelNote>,
}

/// How an include's configuration merges with the child's.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Merge {
    Shallow,
    Deep,
    None,
}

/// Evaluates the unit whose `terragrunt.hcl` is `path` (absolute).
pub fn evaluate_unit(files: &dyn ConfigFiles, path: &Path) -> Result<UnitConfig, String> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let parsed = files.parse(path, &dir)?;
    let config = evaluate_file(files, &parsed, &dir, &[], 0);
    Ok(UnitConfig {
        file: parsed.id,
        dir,
        source: config.source,
        inputs_unknown: config.inputs.as_ref().and_then(|n| match &n.kind {
            Kind::Map(_) => None,
            _ => Some((
                n.unknown_reason()
                    .unwrap_or_else(|| "`inputs` is not an object".into()),
                n.span,
            )),
        }),
        inputs: match config.inputs {
            Some(Node {
                kind: Kind::Map(m), ..
            }) => m,
            _ => Map::default(),
        },
        generated: config.generated,
        mocks: config.mocks,
        included: config.included,
        notes: config.notes,
    })
}

/// Evaluates one configuration file for the unit in `unit_dir`: its includes first (merged
/// under it), then its dependencies, then everything else. `inherited`: the includes of the
/// child that includes this file (their directories are what `get_parent_terragrunt_dir()`
/// and `path_relative_to_include()` give in an included file).
fn evaluate_file(
    files: &dyn ConfigFiles,
    file: &ConfigFile,
    unit_dir: &Path,
    inherited: &[(String, PathBuf)],
    depth: usize,
) -> FileConfig {
    let file_dir = file
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| unit_dir.to_path_buf());
    let bodies = [(file.id, &file.body, file.text.as_ref())];
    let module = ModuleConfig::from_files(&bodies);
    let input = InstanceInput::root(String::new(), unit_dir.to_path_buf(), HashMap::new());
    let mut host = ConfigHost::new(files, unit_dir, &file_dir, depth);
    for (name, dir) in inherited {
        host.add_include(name, dir);
    }
    let mut out = FileConfig::default();

    // Includes: their paths may use functions, not locals.
    let mut includes: Vec<(FileConfig, Merge, String, Span)> = Vec::new();
    for block in blocks(file, "include") {
        let name = block
            .labels
            .first()
            .map(|l| l.as_str().to_string())
            .unwrap_or_default();
        let span = span_of(file.id, block);
        let (path, merge) = {
            let ev = Evaluator::new(&module, &input, &host, unit_dir);
            let attr = |key: &str| {
                block
                    .body
                    .get_attribute(key)
                    .map(|a| ev.expr(&a.value, file.id, &Env::default(), 0))
            };
            let merge = match attr("merge_strategy").and_then(|m| m.as_str().map(|s| s.to_string()))
            {
                Some(s) if s == "deep" => Merge::Deep,
                Some(s) if s == "no_merge" => Merge::None,
                _ => Merge::Shallow,
            };
            (attr("path"), merge)
        };
        let Some(path) = path else {
            out.notes
                .push(note(span, "an `include` block sets no `path`"));
            continue;
        };
        let Some(path) = path.as_str().map(|s| s.to_string()) else {
            out.notes.push(note(
                span,
                &format!(
                    "the path of include `{name}` is not known: {}",
                    path.unknown_reason().unwrap_or_default()
                ),
            ));
            continue;
        };
        let abs = crate::source::normalize_path(&file_dir.join(&path));
        if depth >= MAX_CONFIG_DEPTH {
            out.notes.push(note(
                span,
                &format!("include `{name}` nests too deeply to evaluate"),
            ));
            continue;
        }
        match files.parse(&abs, unit_dir) {
            Ok(parent) => {
                let parent_dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
                host.add_include(&name, &parent_dir);
                let mut evaluated =
                    evaluate_file(files, &parent, unit_dir, host.includes(), depth + 1);
                evaluated.included.push(parent.path.clone());
                includes.push((evaluated, merge, name, span));
            }
            Err(why) => out.notes.push(note(
                span,
                &format!("include `{name}` ({path}) cannot be read: {why}"),
            )),
        }
    }
    // What a value of this file that has no place of its own (the `include` object) points at.
    let here = file_span(file);
    let mut include_values = Map::default();
    for (c, _, name, span) in &includes {
        // Terragrunt gives `include.<name>` only for exposed includes; resilint gives every
        // one, which changes nothing for a configuration Terragrunt accepts.
        include_values.insert(name.clone(), *span, map_node(c.value.clone(), *span));
    }
    host.bind("include", map_node(include_values, here));
    host.bind("feature", features(&module, &input, &host, file, unit_dir));
    let (dependencies, mocks) = dependencies(&module, &input, &host, file, unit_dir);
    host.bind("dependency", dependencies);
    out.mocks = mocks;

    let ev = Evaluator::new(&module, &input, &host, unit_dir);
    out.locals = ev.all_locals();
    out.value
        .insert("locals".into(), here, map_node(out.locals.clone(), here));
    for s in file.body.iter() {
        match s {
            Structure::Attribute(a) => {
                let v = ev.expr(&a.value, file.id, &Env::default(), 0);
                out.value
                    .insert(a.key.as_str().to_string(), span_of(file.id, a), v.clone());
                if a.key.as_str() == "inputs" {
                    out.inputs = Some(v);
                }
            }
            Structure::Block(b) if b.ident.as_str() == "terraform" => {
                if let Some(a) = b.body.get_attribute("source") {
                    out.source = Some(ev.expr(&a.value, file.id, &Env::default(), 0));
                }
            }
            Structure::Block(b) if b.ident.as_str() == "generate" => {
                if let Some(g) = generated(&ev, b, file.id, &mut out.notes) {
                    out.generated.push(g);
                }
            }
            _ => {}
        }
    }
    out.notes.extend(ev.take_notes());
    for (parent, merge, _, _) in includes {
        merge_under(&mut out, parent, merge);
    }
    out
}

/// Puts an included file's configuration under the child's: the child's source, inputs and
/// generated files win.
fn merge_under(child: &mut FileConfig, parent: FileConfig, merge: Merge) {
    child.included.extend(parent.included);
    child.notes.extend(parent.notes);
    child.mocks.extend(parent.mocks);
    if merge == Merge::None {
        return;
    }
    if child.source.is_none() {
        child.source = parent.source;
    }
    for g in parent.generated {
        if !child.generated.iter().any(|c| c.name == g.name) {
            child.generated.push(g);
        }
    }
    child.inputs = match (parent.inputs, child.inputs.take()) {
        (None, c) => c,
        (p, None) => p,
        (Some(p), Some(c)) => Some(merge_values(p, c, merge == Merge::Deep)),
    };
}

/// `c` over `p`: keys of `c` replace those of `p` (maps merged key by key when `deep`).
fn merge_values(p: Node, c: Node, deep: bool) -> Node {
    match (p.kind, c.kind) {
        (Kind::Map(mut pm), Kind::Map(cm)) => {
            for e in cm.iter() {
                let value = match (deep, pm.get(&e.key)) {
                    (true, Some(old)) => merge_values(old.clone(), e.value.clone(), true),
                    _ => e.value.clone(),
                };
                pm.insert(e.key.clone(), e.key_span, value);
            }
            Node::new(Kind::Map(pm), c.span)
        }
        // One of them is unknown (or not an object): the merge is as unknown as it is.
        (pk, ck) => {
            let pn = Node::new(pk, p.span);
            if matches!(ck, Kind::Map(_)) {
                pn
            } else {
                Node::new(ck, c.span)
            }
        }
    }
}

/// `feature.<name>.value`: each `feature` block's `default` (what Terragrunt uses unless the
/// command line sets the feature).
fn features(
    module: &ModuleConfig<'_>,
    input: &InstanceInput,
    host: &ConfigHost<'_>,
    file: &ConfigFile,
    unit_dir: &Path,
) -> Node {
    let ev = Evaluator::new(module, input, host, unit_dir);
    let mut map = Map::default();
    for b in blocks(file, "feature") {
        let Some(name) = b.labels.first() else {
            continue;
        };
        let span = span_of(file.id, b);
        let value = match b.body.get_attribute("default") {
            Some(a) => ev.expr(&a.value, file.id, &Env::default(), 0),
            None => Node::new(Kind::Null, span),
        };
        let mut f = Map::default();
        f.insert("value".into(), span, value);
        map.insert(name.as_str().to_string(), span, map_node(f, span));
    }
    map_node(map, file_span(file))
}

/// `dependency.<name>`: each `dependency` block's `outputs`, which are `mock_outputs` when
/// given (recorded, so that what rests on them is said to) and unknown otherwise: another
/// unit's outputs exist only once it is applied.
fn dependencies(
    module: &ModuleConfig<'_>,
    input: &InstanceInput,
    host: &ConfigHost<'_>,
    file: &ConfigFile,
    unit_dir: &Path,
) -> (Node, Vec<(String, Span)>) {
    let ev = Evaluator::new(module, input, host, unit_dir);
    let mut map = Map::default();
    let mut mocks = Vec::new();
    for b in blocks(file, "dependency") {
        let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
            continue;
        };
        let span = span_of(file.id, b);
        let config_path = b
            .body
            .get_attribute("config_path")
            .map(|a| ev.expr(&a.value, file.id, &Env::default(), 0))
            .and_then(|n| n.as_str().map(|s| s.to_string()))
            .unwrap_or_else(|| "?".into());
        let outputs = match b.body.get_attribute("mock_outputs") {
            Some(a) => {
                let v = ev.expr(&a.value, file.id, &Env::default(), 0);
                mocks.push((name.clone(), span_of(file.id, a)));
                v
            }
            None => Node::unknown(
                format!(
                    "`dependency.{name}.outputs` are the outputs of the unit in `{config_path}`, known only once it is applied (give `mock_outputs` to check with assumed values)"
                ),
                span,
            ),
        };
        let mut d = Map::default();
        d.insert("outputs".into(), span, outputs);
        map.insert(name, span, map_node(d, span));
    }
    (map_node(map, file_span(file)), mocks)
}

/// A `generate` block: the file it writes, unless it is disabled or its contents are unknown
/// (then a note says so).
fn generated(
    ev: &Evaluator<'_, '_>,
    b: &Block,
    file: FileId,
    notes: &mut Vec<ModelNote>,
) -> Option<Generated> {
    let name = b.labels.first()?.as_str().to_string();
    let span = span_of(file, b);
    let attr = |k: &str| {
        b.body
            .get_attribute(k)
            .map(|a| ev.expr(&a.value, file, &Env::default(), 0))
    };
    if attr("disable").and_then(|d| d.as_bool()) == Some(true) {
        return None;
    }
    let path = attr("path")?.as_str()?.into_owned();
    let contents = attr("contents")?;
    match contents.as_str() {
        Some(text) => Some(Generated {
            name,
            path,
            contents: text.into_owned(),
            span,
        }),
        None => {
            notes.push(note(
                span,
                &format!(
                    "the contents `generate \"{name}\"` writes to {path} are not known ({}); what that file configures is not evaluated",
                    contents.unknown_reason().unwrap_or_default()
                ),
            ));
            None
        }
    }
}

fn blocks<'f>(file: &'f ConfigFile, ident: &'f str) -> impl Iterator<Item = &'f Block> + 'f {
    file.body
        .blocks()
        .filter(move |b| b.ident.as_str() == ident)
}

/// The beginning of a file: where a value of it with no place of its own points.
fn file_span(file: &ConfigFile) -> Span {
    Span {
        file: file.id,
        start: 0,
        end: 0,
    }
}

fn map_node(map: Map, span: Span) -> Node {
    Node::new(Kind::Map(map), span)
}

fn note(span: Span, message: &str) -> ModelNote {
    ModelNote {
        span,
        message: message.to_string(),
        call_chain: Vec::new(),
        module: None,
        help: None,
    }
}
