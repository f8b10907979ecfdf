//! A scan's Terraform: which directories are root modules, loading module directories (once,
//! from any thread), installed modules, and the values of root module variables.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use crate::hcl_edit::structure::Body;

mod terragrunt;
pub use terragrunt::UnitRun;

use super::config::{ModuleConfig, span_of};
use super::eval::{COMMAND_LINE_FILE, Env, Evaluator};
use super::instance::{InstanceInput, MAX_INSTANCES, ModuleHost, ParsedDir, ParsedFile};
use super::instantiate;
use crate::knowledge::KnowledgeBase;
use crate::model::node::{Kind, Node, respan};
use crate::model::{ModelNote, Resource};
use crate::parse::{self, ParseError};
use crate::source::{FileId, Language, SourceRegistry, relative_path};
use crate::tree::{Entry, ReadError, Tree};

/// What Terraform would get from outside the configuration: variable values, the workspace, and
/// the region of providers that set none (the environment's).
#[derive(Debug, Clone, Default)]
pub struct VarInputs {
    /// `terraform.workspace` (`--workspace`, or `workspace` in the config).
    pub workspace: Option<String>,
    /// The region of AWS providers that set none, and of root modules without a provider block
    /// (`--region`, or `region` in the config): what `AWS_REGION` would give. A region written in
    /// the configuration always wins.
    pub region: Option<String>,
    /// `--var-file` files (and `var-files` of the config), in order.
    pub files: Vec<PathBuf>,
    /// `--var NAME=VALUE` (and `[variables]` of the config), in order.
    pub vars: Vec<(String, String)>,
    /// Whether to read `TF_VAR_<name>` from the environment.
    pub env: bool,
}

/// A cached parsed directory.
struct Cached {
    strong: Option<Arc<ParsedDir>>,
    weak: Weak<ParsedDir>,
}

/// Loads module directories for a scan and evaluates root modules.
pub struct Project<'a> {
    registry: &'a SourceRegistry,
    tree: &'a Tree,
    kb: &'a KnowledgeBase,
    base: &'a Path,
    vars: &'a VarInputs,
    /// Parsed directories: kept while a root module that will use them is still to come (see
    /// [`Project::plan`]), else while in use.
    cache: Mutex<HashMap<PathBuf, Cached>>,
    /// For each directory, how many root modules still to evaluate reach it.
    uses: Mutex<HashMap<PathBuf, usize>>,
    /// The directories each root module reaches through local module calls.
    reach: HashMap<PathBuf, Vec<PathBuf>>,
    parse_errors: Mutex<Vec<ParseError>>,
    /// Directories evaluated as part of some root module.
    loaded: Mutex<HashSet<PathBuf>>,
    instances: Mutex<HashMap<PathBuf, usize>>,
    installed: Mutex<HashMap<PathBuf, Arc<HashMap<String, PathBuf>>>>,
    /// Files read for `file()` and `templatefile()`.
    files: Mutex<HashMap<PathBuf, Arc<str>>>,
    /// Per directory, where each resource and provider block is: a plan looks up every
    /// resource's block, which a scan of the directory per lookup made quadratic.
    block_index: Mutex<HashMap<PathBuf, Arc<BlockIndex>>>,
    /// The variables some root module declares (for `--var` values that none does).
    declared: Mutex<HashSet<String>>,
    /// `--var` values that are not valid for their variable's type: usage errors.
    invalid_vars: Mutex<Vec<String>>,
    /// Terragrunt configuration files, parsed once (a root file is included by every unit).
    configs: Mutex<HashMap<PathBuf, ConfigResult>>,
}

/// A Terragrunt configuration file parsed, or why it cannot be.
type ConfigResult = Result<Arc<crate::model::terragrunt::ConfigFile>, String>;

/// A block's identity: `["resource", type, name]` or `["provider", name, alias]` (alias empty
/// when none).
type BlockKey = Vec<String>;

/// Where the blocks of a directory are: the first block of each key, as (file, structure)
/// positions in the parsed directory.
type BlockIndex = HashMap<BlockKey, (usize, usize)>;

/// Why a variables file gives no values: where, and what went wrong.
type VarFileError = (crate::source::Span, String);

/// Largest file `file()` or `templatefile()` reads.
const MAX_READ_FILE: u64 = 4 * 1024 * 1024;

use crate::source::lock_ignoring_poison as lock;

impl<'a> Project<'a> {
    /// A project over the files in `registry`.
    pub fn new(
        registry: &'a SourceRegistry,
        tree: &'a Tree,
        kb: &'a KnowledgeBase,
        base: &'a Path,
        vars: &'a VarInputs,
    ) -> Project<'a> {
        Project {
            registry,
            tree,
            kb,
            base,
            vars,
            cache: Mutex::new(HashMap::new()),
            uses: Mutex::new(HashMap::new()),
            reach: HashMap::new(),
            parse_errors: Mutex::new(Vec::new()),
            loaded: Mutex::new(HashSet::new()),
            instances: Mutex::new(HashMap::new()),
            installed: Mutex::new(HashMap::new()),
            files: Mutex::new(HashMap::new()),
            block_index: Mutex::new(HashMap::new()),
            declared: Mutex::new(HashSet::new()),
            invalid_vars: Mutex::new(Vec::new()),
            configs: Mutex::new(HashMap::new()),
        }
    }

    /// Declares which root modules will be evaluated and the directories each reaches through
    /// local module calls (`calls`: directory → called directories), so that a directory shared
    /// by several roots is parsed once and freed after its last user.
    pub fn plan(&mut self, roots: &[PathBuf], calls: &HashMap<PathBuf, Vec<PathBuf>>) {
        let mut uses: HashMap<PathBuf, usize> = HashMap::new();
        for root in roots {
            let mut seen: Vec<PathBuf> = vec![root.clone()];
            let mut stack = vec![root.clone()];
            while let Some(d) = stack.pop() {
                for callee in calls.get(&d).into_iter().flatten() {
                    if !seen.contains(callee) {
                        seen.push(callee.clone());
                        stack.push(callee.clone());
                    }
                }
            }
            for d in &seen {
                *uses.entry(d.clone()).or_insert(0) += 1;
            }
            self.reach.insert(root.clone(), seen);
        }
        self.uses = Mutex::new(uses);
    }

    /// Evaluates the root module in `dir` (absolute, canonical) with its variable values.
    pub fn evaluate_root(&self, dir: &Path) -> (Vec<Resource>, Vec<ModelNote>) {
        let result = match self.load_dir(dir) {
            Ok(parsed) => {
                let (variables, mut notes) =
                    self.root_variables(&parsed.abs, &parsed.bodies(), HashMap::new());
                let input = InstanceInput::root(parsed.rel.clone(), dir.to_path_buf(), variables);
                let out = instantiate(self, &parsed, &input);
                notes.extend(out.notes);
                (out.resources, notes)
            }
            Err(_) => (Vec::new(), Vec::new()),
        };
        // Free the directories no root module still to come needs.
        for d in self.reach.get(dir).into_iter().flatten() {
            let mut uses = lock(&self.uses);
            if let Some(n) = uses.get_mut(d) {
                *n = n.saturating_sub(1);
                if *n == 0
                    && let Some(c) = lock(&self.cache).get_mut(d)
                {
                    c.strong = None;
                }
            }
        }
        result
    }

    /// Directories loaded so far (as roots or as modules of a root).
    pub fn loaded(&self) -> HashSet<PathBuf> {
        lock(&self.loaded).clone()
    }

    /// Parse errors of files loaded on demand.
    pub fn take_parse_errors(&self) -> Vec<ParseError> {
        std::mem::take(&mut lock(&self.parse_errors))
    }

    /// The names of the `--var` (and `[variables]`) values that no evaluated root module
    /// declares, in the order given, each once.
    pub fn undeclared_vars(&self) -> Vec<String> {
        let declared = lock(&self.declared);
        let mut out: Vec<String> = Vec::new();
        for (name, _) in &self.vars.vars {
            if !declared.contains(name) && !out.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }

    /// Why `--var` values are not valid for their variables' types.
    pub fn take_invalid_vars(&self) -> Vec<String> {
        let mut v = std::mem::take(&mut *lock(&self.invalid_vars));
        v.sort();
        v.dedup();
        v
    }

    /// Reads (or takes from the registry) and parses the `.tf` files of a directory. A file the
    /// tree refuses (a link out of it, a FIFO) is left out; the tree records why.
    fn parse_dir(&self, dir: &Path) -> Result<ParsedDir, String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        let has = |p: &Path| entries.iter().any(|e| e.path() == p);
        let mut paths: Vec<(PathBuf, PathBuf)> = entries
            .iter()
            .filter(|e| {
                let p = e.path();
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                // OpenTofu ignores `x.tf` when `x.tofu` is beside it (and `x.tf.json` when
                // `x.tofu.json` is).
                if let Some(stem) = name.strip_suffix(".tf.json") {
                    !has(&p.with_file_name(format!("{stem}.tofu.json")))
                } else if let Some(stem) = name.strip_suffix(".tf") {
                    !has(&p.with_file_name(format!("{stem}.tofu")))
                } else {
                    name.ends_with(".tofu") || name.ends_with(".tofu.json")
                }
            })
            .filter_map(|e| {
                let path = e.path();
                match self.tree.entry(&path, e.file_type().ok()?) {
                    Entry::File(key) => Some((path, key)),
                    _ => None,
                }
            })
            .collect();
        paths.sort();
        let mut files = Vec::new();
        for (path, key) in paths {
            let language = if crate::discover::is_terraform_json(&path) {
                Language::TerraformJson
            } else {
                Language::Terraform
            };
            // A module outside the scanned paths is context, not reported.
            let Some(reg) = self.registered(&path, &key, language) else {
                continue;
            };
            if reg.broken {
                continue;
            }
            match parse::parse(reg.id, language, &reg.text) {
                Ok(parse::Parsed::Terraform(body)) => files.push(ParsedFile {
                    id: reg.id,
                    body,
                    text: reg.text.clone(),
                }),
                Ok(_) => {}
                Err(e) => lock(&self.parse_errors).push(e),
            }
        }
        Ok(ParsedDir {
            abs: dir.to_path_buf(),
            rel: relative_path(dir, self.base),
            files,
        })
    }

    /// The file at `path` (canonical `key`) as the registry holds it, read and registered as
    /// context (not reported) when it is not there yet; `None` when the tree refuses it. A file
    /// that is not text is registered broken, with its error recorded.
    fn registered(
        &self,
        path: &Path,
        key: &Path,
        language: Language,
    ) -> Option<crate::source::Registered> {
        if let Some(r) = self.registry.get(key) {
            return Some(r);
        }
        let (text, broken) = parse::read_text(self.tree, path)?;
        let reg = self.registry.register(
            key.to_path_buf(),
            path.to_path_buf(),
            relative_path(key, self.base),
            language,
            text,
            false,
            broken.is_some(),
        );
        if let Some(mut e) = broken {
            e.span.file = reg.id;
            lock(&self.parse_errors).push(e);
        }
        Some(reg)
    }

    /// Values of the root module's variables: `TF_VAR_<name>`, then `terraform.tfvars`,
    /// `terraform.tfvars.json`, `*.auto.tfvars(.json)` in name order, then `--var-file`, then
    /// `--var`; later sources win, as in Terraform.
    ///
    /// `given`: values from outside Terraform that everything else overrides (a Terragrunt
    /// unit's `inputs`, which Terragrunt passes as `TF_VAR_` variables).
    fn root_variables(
        &self,
        dir: &Path,
        files: &[(FileId, &Body, &str)],
        given: HashMap<String, Node>,
    ) -> (HashMap<String, Node>, Vec<ModelNote>) {
        let config = ModuleConfig::from_files(files);
        let empty = ModuleConfig::default();
        let input = InstanceInput::root(String::new(), dir.to_path_buf(), HashMap::new());
        let ev = Evaluator::new(&empty, &input, self, dir);
        let mut values: HashMap<String, Node> = given;
        let mut notes = Vec::new();
        // Raw strings from the command line and the environment are strings for variables of
        // type string (or without type), and HCL expressions otherwise.
        let raw = |name: &str, text: &str| -> Node {
            let decl = config.variables.get(name);
            let span = decl
                .map(|d| span_of(d.block.file, d.block.node))
                .unwrap_or_default();
            let is_string = decl.and_then(|d| d.type_expr).is_none_or(|t| {
                matches!(t.node, crate::hcl_edit::expr::Expression::Variable(v) if v.as_str() == "string")
            });
            if is_string {
                return Node::string(text, span);
            }
            match crate::hcl_edit::parser::parse_expr(text) {
                Ok(expr) => {
                    // Values parsed from the command line have no file: they point at the
                    // variable's declaration.
                    let mut v = ev.expr(&expr, COMMAND_LINE_FILE, &Env::default(), 0);
                    respan(&mut v, span);
                    v
                }
                Err(_) => Node::unknown(
                    format!("the value given for `var.{name}` is not a valid expression"),
                    span,
                ),
            }
        };
        if self.vars.env {
            for name in config.variables.keys() {
                if let Ok(v) = std::env::var(format!("TF_VAR_{name}")) {
                    values.insert(name.clone(), raw(name, &v));
                }
            }
        }
        let mut var_files: Vec<PathBuf> = Vec::new();
        for name in ["terraform.tfvars", "terraform.tfvars.json"] {
            let p = dir.join(name);
            if std::fs::symlink_metadata(&p).is_ok() {
                var_files.push(p);
            }
        }
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut auto: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                    })
                })
                .collect();
            auto.sort();
            var_files.extend(auto);
        }
        var_files.extend(self.vars.files.iter().cloned());
        for path in var_files {
            match self.read_var_file(&path, &ev) {
                Ok(assignments) => values.extend(assignments),
                Err(Some((span, message))) => notes.push(ModelNote::new(span, message)),
                // Refused by the tree, which records why.
                Err(None) => {}
            }
        }
        lock(&self.declared).extend(config.variables.keys().cloned());
        for (name, text) in &self.vars.vars {
            let value = raw(name, text);
            if let Some(decl) = config.variables.get(name)
                && let Some(why) = invalid_for_type(&value, decl.type_expr.map(|t| t.node))
            {
                lock(&self.invalid_vars).push(format!(
                    "the value `{text}` given for `var.{name}` (--var or [variables]) is not valid: {why}"
                ));
            }
            values.insert(name.clone(), value);
        }
        (values, notes)
    }

    /// The assignments of a `.tfvars` or `.tfvars.json` file; `Err(None)` when the tree refuses
    /// it (one named on the command line is a root of the tree itself).
    fn read_var_file(
        &self,
        path: &Path,
        ev: &Evaluator<'_, '_>,
    ) -> Result<Vec<(String, Node)>, Option<VarFileError>> {
        let key = self.tree.canonical(path);
        let json = path.to_string_lossy().ends_with(".json");
        let reg = match self.registry.get(&key) {
            Some(r) => r,
            None => {
                let (text, problem) = parse::read_text(self.tree, path).ok_or(None)?;
                if let Some(e) = problem {
                    let message = format!("variables file {}: {}", path.display(), e.message);
                    return Err(Some((crate::source::Span::default(), message)));
                }
                self.registry.register(
                    key,
                    path.to_path_buf(),
                    relative_path(path, self.base),
                    if json {
                        Language::TerraformJson
                    } else {
                        Language::Terraform
                    },
                    text,
                    false,
                    false,
                )
            }
        };
        if json {
            let root = parse::json::parse(reg.id, &reg.text)
                .map_err(|e| Some((e.span, format!("variables file: {}", e.message))))?;
            return Ok(match root.kind {
                Kind::Map(m) => m
                    .into_entries()
                    .into_iter()
                    .map(|e| (e.key, e.value))
                    .collect(),
                _ => Vec::new(),
            });
        }
        let body: Body = parse::hcl::parse(reg.id, &reg.text)
            .map_err(|e| Some((e.span, format!("variables file: {}", e.message))))?;
        Ok(body
            .attributes()
            .map(|a| {
                let mut v = ev.expr(&a.value, reg.id, &Env::default(), 0);
                v.span = span_of(reg.id, &a.value);
                (a.key.as_str().to_string(), v)
            })
            .collect())
    }
}

impl ModuleHost for Project<'_> {
    fn load_dir(&self, dir: &Path) -> Result<Arc<ParsedDir>, String> {
        lock(&self.loaded).insert(dir.to_path_buf());
        if let Some(c) = lock(&self.cache).get(dir)
            && let Some(p) = c.strong.clone().or_else(|| c.weak.upgrade())
        {
            return Ok(p);
        }
        let parsed = Arc::new(self.parse_dir(dir)?);
        let shared = lock(&self.uses).get(dir).is_some_and(|n| *n > 1);
        lock(&self.cache).insert(
            dir.to_path_buf(),
            Cached {
                strong: shared.then(|| parsed.clone()),
                weak: Arc::downgrade(&parsed),
            },
        );
        Ok(parsed)
    }

    fn read_file(&self, path: &Path, module_dir: &Path) -> Result<Option<Arc<str>>, String> {
        // Only files of the scanned tree or of the module itself: a configuration must not make
        // resilint put other files of the machine (`/proc/self/environ`) into its report, nor
        // tell whether they exist. Checked on the path as written, then once symbolic links are
        // resolved (the tree refuses links out of it, FIFOs and `.git`).
        let refused = || Err("resilint reads files only inside the scanned directory".to_string());
        let module_dir = self.tree.canonical_dir(module_dir);
        let allowed = |p: &Path| {
            self.tree.contains(p) || module_dir.as_deref().is_some_and(|m| p.starts_with(m))
        };
        if !allowed(&crate::source::normalize_path(path)) {
            return refused();
        }
        let canonical = match self.tree.admit(path) {
            Ok(p) => p,
            Err(ReadError::NotFound) => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        if !allowed(&canonical) {
            return refused();
        }
        if let Some(cached) = lock(&self.files).get(&canonical) {
            return Ok(Some(cached.clone()));
        }
        if canonical.is_dir() {
            return Err(format!("{} is a directory", path.display()));
        }
        let text: Arc<str> = match self.tree.read_string(path, MAX_READ_FILE) {
            Ok(t) => Arc::from(t),
            Err(ReadError::NotFound) => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        lock(&self.files).insert(canonical, text.clone());
        Ok(Some(text))
    }

    fn module_dir(&self, dir: &Path, caller: &Path) -> Result<PathBuf, String> {
        let canonical = self.tree.admit_dir(dir).map_err(|e| match e {
            ReadError::NotFound => "does not exist".to_string(),
            ReadError::Refused(why) => format!("is {why}; resilint does not open it"),
            e => format!("cannot be read ({e})"),
        })?;
        let caller = self
            .tree
            .canonical_dir(caller)
            .unwrap_or_else(|| caller.to_path_buf());
        if self.tree.admits_module(&canonical, &caller) {
            Ok(canonical)
        } else {
            Err("is outside the scanned tree (the scanned directories and the git work tree that holds them); resilint does not open it".to_string())
        }
    }

    fn installed_module(&self, root_dir: &Path, key: &str) -> Option<PathBuf> {
        let table = {
            let mut installed = lock(&self.installed);
            installed
                .entry(root_dir.to_path_buf())
                .or_insert_with(|| Arc::new(read_modules_json(self.tree, root_dir)))
                .clone()
        };
        table.get(key).cloned()
    }

    fn kb(&self) -> &KnowledgeBase {
        self.kb
    }

    fn workspace(&self) -> Option<&str> {
        self.vars.workspace.as_deref()
    }

    fn default_region(&self) -> Option<&str> {
        self.vars.region.as_deref()
    }

    fn count_instance(&self, root_dir: &Path) -> bool {
        let mut counts = lock(&self.instances);
        let n = counts.entry(root_dir.to_path_buf()).or_insert(0);
        *n += 1;
        *n <= MAX_INSTANCES
    }
}

impl Project<'_> {
    /// The first block of the module at `dir` with this key, with where its contents were
    /// written; its file's findings become reported.
    fn find_block(&self, dir: &Path, key: &[&str]) -> Option<crate::model::plan::BlockSpans> {
        let dir = self.tree.canonical_dir(dir)?;
        let parsed = self.load_dir(&dir).ok()?;
        let index = {
            let mut indexes = lock(&self.block_index);
            Arc::clone(
                indexes
                    .entry(dir)
                    .or_insert_with(|| Arc::new(index_blocks(&parsed))),
            )
        };
        let wanted: BlockKey = key.iter().map(|k| (*k).to_string()).collect();
        let &(file, position) = index.get(&wanted)?;
        let f = parsed.files.get(file)?;
        let block = f.body.get(position)?.as_block()?;
        self.registry.mark_reported(f.id);
        Some(written_block(f.id, block, 0))
    }
}

/// The resource and provider blocks of a directory, by key (the first of duplicates wins, as
/// Terraform reports duplicates as an error).
fn index_blocks(parsed: &ParsedDir) -> BlockIndex {
    let mut index = BlockIndex::new();
    for (file, f) in parsed.files.iter().enumerate() {
        for (position, structure) in f.body.iter().enumerate() {
            let Some(block) = structure.as_block() else {
                continue;
            };
            let mut key: BlockKey = std::iter::once(block.ident.as_str())
                .chain(block.labels.iter().map(|l| l.as_str()))
                .map(str::to_string)
                .collect();
            match key.first().map(String::as_str) {
                Some("resource") if key.len() == 3 => {}
                Some("provider") if key.len() == 2 => {
                    let alias = block
                        .body
                        .get_attribute("alias")
                        .and_then(|a| match &a.value {
                            crate::hcl_edit::expr::Expression::String(s) => Some(s.as_str()),
                            _ => None,
                        });
                    key.push(alias.unwrap_or("").to_string());
                }
                _ => continue,
            }
            index.entry(key).or_insert((file, position));
        }
    }
    index
}

impl crate::model::plan::ConfigLocator for Project<'_> {
    fn locate(
        &self,
        dir: &Path,
        rtype: &str,
        name: &str,
    ) -> Option<crate::model::plan::BlockSpans> {
        self.find_block(dir, &["resource", rtype, name])
    }

    fn locate_provider(
        &self,
        dir: &Path,
        name: &str,
        alias: Option<&str>,
    ) -> Option<crate::model::plan::BlockSpans> {
        self.find_block(dir, &["provider", name, alias.unwrap_or("")])
    }
}

/// Where a block and its contents were written, for mapping plan values back to HCL.
fn written_block(
    file: crate::source::FileId,
    block: &crate::hcl_edit::structure::Block,
    depth: usize,
) -> crate::model::plan::BlockSpans {
    use crate::hcl_edit::structure::Structure;
    use crate::model::plan::Written;
    let mut out = crate::model::plan::BlockSpans {
        header: super::header_span(file, block),
        block: span_of(file, block),
        entries: HashMap::new(),
    };
    if depth > 32 {
        return out;
    }
    for s in block.body.iter() {
        let (key, written) = match s {
            Structure::Attribute(a) => (
                a.key.as_str().to_string(),
                Written::Attribute(span_of(file, &a.key), span_of(file, &a.value)),
            ),
            Structure::Block(b) if b.ident.as_str() == "dynamic" => {
                let Some(label) = b.labels.first() else {
                    continue;
                };
                (
                    label.as_str().to_string(),
                    Written::Dynamic(super::header_span(file, b), span_of(file, b)),
                )
            }
            Structure::Block(b) => (
                b.ident.as_str().to_string(),
                Written::Block(written_block(file, b, depth + 1)),
            ),
        };
        out.entries.entry(key).or_default().push(written);
    }
    out
}

/// Why a value given on the command line is not valid for a variable of type `ty`: it does not
/// evaluate to a value (it names something, as `abc` does), or it is not a `number` or `bool`
/// when that is the type. Complex types are checked only for evaluating.
fn invalid_for_type(
    value: &Node,
    ty: Option<&crate::hcl_edit::expr::Expression>,
) -> Option<String> {
    if value.is_unknown() {
        return Some(value.unknown_reason().unwrap_or_default());
    }
    let name = match ty {
        Some(crate::hcl_edit::expr::Expression::Variable(v)) => v.as_str(),
        _ => return None,
    };
    let text = value.as_str();
    let fits = match name {
        "number" => {
            matches!(value.kind, Kind::Number(_))
                || text.is_some_and(|t| t.trim().parse::<f64>().is_ok())
        }
        "bool" => {
            matches!(value.kind, Kind::Bool(_)) || text.is_some_and(|t| t == "true" || t == "false")
        }
        _ => true,
    };
    (!fits).then(|| format!("a {name} is required"))
}

/// `Key` → directory from `.terraform/modules/modules.json`, for the directories the tree
/// admits.
fn read_modules_json(tree: &Tree, root_dir: &Path) -> HashMap<String, PathBuf> {
    let path = root_dir.join(".terraform/modules/modules.json");
    let Ok(text) = tree.read_string(&path, parse::MAX_FILE_BYTES as u64) else {
        return HashMap::new();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    for m in v["Modules"].as_array().into_iter().flatten() {
        if let (Some(key), Some(dir)) = (m["Key"].as_str(), m["Dir"].as_str())
            && !key.is_empty()
            && let Ok(d) = tree.admit_dir(&crate::source::normalize_path(&root_dir.join(dir)))
        {
            out.insert(key.to_string(), d);
        }
    }
    out
}

/// Local module sources called from a `.tf` file, found textually (before parsing) to tell root
/// modules from the modules they call. A miss only delays a directory to the end of the scan,
/// where every directory not reached from a root is evaluated as a root itself.
pub fn local_module_sources(text: &str) -> Vec<String> {
    let local = |v: &str| v.starts_with("./") || v.starts_with("../") || v == "." || v == "..";
    // Terraform JSON: `{"module": {"db": {"source": "./db"}}}`.
    if text.trim_start().starts_with('{') {
        let Ok(serde_json::Value::Object(top)) = serde_json::from_str::<serde_json::Value>(text)
        else {
            return Vec::new();
        };
        let calls: Vec<&serde_json::Value> = match top.get("module") {
            Some(serde_json::Value::Array(items)) => items.iter().collect(),
            Some(m) => vec![m],
            None => Vec::new(),
        };
        return calls
            .iter()
            .filter_map(|m| m.as_object())
            .flat_map(|m| m.values())
            .filter_map(|call| call.get("source")?.as_str())
            .filter(|s| local(s))
            .map(str::to_string)
            .collect();
    }
    let mut out = Vec::new();
    let mut in_module = false;
    for line in text.lines() {
        let mut t = line.trim_start();
        if t.starts_with("module ") && t.contains('{') {
            in_module = true;
            // `module "x" { source = "./x" }` on one line.
            t = t.split_once('{').map(|(_, r)| r.trim_start()).unwrap_or("");
        }
        if in_module {
            if let Some(rest) = t.strip_prefix("source")
                && let Some(value) = rest.trim_start().strip_prefix('=')
            {
                let v = value.trim().trim_end_matches('}').trim().trim_matches('"');
                if local(v) {
                    out.push(v.to_string());
                }
                in_module = false;
            } else if line.starts_with('}') {
                in_module = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_local_module_sources() {
        let text = "module \"db\" {\n  source = \"../modules/db\"\n}\nmodule \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n}\nmodule \"x\" {\n  version = \"1\"\n}\nmodule \"y\" { source = \"./y\" }\n";
        assert_eq!(local_module_sources(text), ["../modules/db", "./y"]);
    }
}
