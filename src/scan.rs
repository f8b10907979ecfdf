//! The whole pipeline: discover → parse → model → infer → evaluate.
//!
//! Files are read in parallel and registered in a [`SourceRegistry`]. CloudFormation templates
//! are parsed and modelled one per task. Terraform is evaluated per root module: a directory that
//! no scanned module calls through a local source. Each root task evaluates its module and, through
//! the [`Project`], the modules it calls (loaded once while in use, also from outside the scanned
//! paths and from `.terraform/modules`). Every directory not reached from a root is then
//! evaluated as a root itself, so nothing is left out.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::changes;
use crate::config::{Config, Level};
use crate::discover::{self, Candidate, Kind};
use crate::evaluate::{self, Finding, Related};
use crate::infer::{self, InferOptions, Inference};
use crate::knowledge::KnowledgeBase;
use crate::model::plan::{BlockSpans, ConfigLocator};
use crate::model::terraform::instance::{ModuleHost, ParsedDir};
use crate::model::terraform::project::{Project, VarInputs, local_module_sources};
use crate::model::{self, Model, ModelNote, Resource};
use crate::notice::{self, Notice};
use crate::parse::{self, ParseError, Parsed, cfn_detect};
use crate::report;
use crate::source::{FileId, Language, SourceMap, SourceRegistry, Span, relative_path};
use crate::suppress::{self, baseline::Baseline};
use crate::tree::Tree;

/// What to scan and how.
#[derive(Debug)]
pub struct ScanOptions {
    /// Files and directories.
    pub paths: Vec<PathBuf>,
    /// Configuration.
    pub config: Config,
    /// Knowledge base.
    pub kb: KnowledgeBase,
    /// Treat unknown values as absent.
    pub strict: bool,
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// Start of the schedule-analysis window (normally now).
    pub now: chrono::DateTime<chrono::Utc>,
    /// Terraform variable values given on the command line.
    pub vars: VarInputs,
    /// The configuration directory of plan JSON files (default: each plan's directory).
    pub config_dir: Option<PathBuf>,
    /// Findings accepted in a baseline are suppressed.
    pub baseline: Option<Baseline>,
    /// Report only findings with a location in a file changed since this git revision.
    pub changed_since: Option<String>,
    /// What may be opened ([`Tree::new`] over the paths named on the command line); the
    /// refusals it recorded before the scan (configuration files) are reported with the scan's.
    pub tree: Tree,
}

impl ScanOptions {
    /// Options for scanning `paths` with the default configuration: the tree of those paths,
    /// no variables, a thread per core, the schedule window starting now.
    pub fn for_paths(paths: Vec<PathBuf>, kb: KnowledgeBase) -> ScanOptions {
        ScanOptions {
            tree: Tree::new(&paths),
            paths,
            config: Config::default(),
            kb,
            strict: false,
            jobs: 0,
            now: chrono::Utc::now(),
            vars: VarInputs::default(),
            config_dir: None,
            baseline: None,
            changed_since: None,
        }
    }
}

/// Counts for the summary line and benchmarks.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Files parsed as Terraform or CloudFormation (including those that failed).
    pub files: usize,
    /// Bytes of those files.
    pub bytes: u64,
    /// Resources in the model.
    pub resources: usize,
    /// Stateful components evaluated.
    pub components: usize,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// Baseline entries that matched no finding (fixed since the baseline was written).
    pub baseline_fixed: usize,
}

/// The result of a scan.
#[derive(Debug)]
pub struct Scan {
    /// Base directory of reported paths.
    pub base: PathBuf,
    /// Files.
    pub sources: SourceMap,
    /// Resources.
    pub model: Model,
    /// Components and mechanisms.
    pub inference: Inference,
    /// Findings, sorted, limited to reported files.
    pub findings: Vec<Finding>,
    /// Files that could not be read or parsed.
    pub parse_errors: Vec<ParseError>,
    /// What the run has to say besides findings (files not opened, unsupported files).
    pub notices: Vec<Notice>,
    /// Counts.
    pub stats: Stats,
    /// Configuration used.
    pub config: Config,
    /// Knowledge base used.
    pub kb: KnowledgeBase,
}

impl Scan {
    /// Whether some input could not be read or parsed, or the run failed.
    pub fn had_errors(&self) -> bool {
        !self.parse_errors.is_empty() || self.notices.iter().any(|n| n.level == Level::Error)
    }

    /// The result of a run that could not scan (a configuration or command-line error): no
    /// files, no findings, the error as a notice, so that every output format still writes a
    /// valid document that says why.
    pub fn failed(message: impl Into<String>) -> Scan {
        Scan {
            base: std::env::current_dir().unwrap_or_default(),
            sources: SourceMap::default(),
            model: Model::default(),
            inference: Inference::default(),
            findings: Vec::new(),
            parse_errors: Vec::new(),
            notices: vec![Notice::run_failed(message)],
            stats: Stats::default(),
            config: Config::default(),
            kb: KnowledgeBase::default(),
        }
    }
}

/// A candidate file after reading: its text, or why it is not text.
struct Read {
    language: Language,
    text: Arc<str>,
    error: Option<ParseError>,
}

/// Runs a scan. Fails only on usage errors (a path that does not exist).
pub fn run(options: ScanOptions) -> Result<Scan, String> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .stack_size(8 * 1024 * 1024)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    pool.install(|| run_in_pool(options, started))
}

fn run_in_pool(options: ScanOptions, started: Instant) -> Result<Scan, String> {
    let ScanOptions {
        paths,
        config,
        kb,
        strict,
        jobs,
        now,
        vars,
        config_dir,
        baseline,
        changed_since,
        tree,
    } = options;
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let base = discover::base_dir(&paths);
    // Before the scan: a mistyped revision should not cost one.
    let changed = match &changed_since {
        Some(rev) => Some(changes::changed_files(&base, rev)?),
        None => None,
    };
    let found = discover::discover(&paths, &tree, jobs)?;
    let registry = SourceRegistry::default();
    let candidates = unique_files(&tree, found.candidates);

    // Read every file in parallel; register them in order (stable file ids).
    let read: Vec<Option<Read>> = candidates.par_iter().map(|(_, c)| read(c, &tree)).collect();
    let mut parse_errors = Vec::new();
    let mut stats = Stats::default();
    let mut templates: Vec<(FileId, String, Arc<str>, Language)> = Vec::new();
    let mut plans: Vec<(FileId, String, Arc<str>, PathBuf)> = Vec::new();
    let mut tf_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut calls: Vec<(PathBuf, Arc<str>)> = Vec::new();
    for ((abs, c), r) in candidates.into_iter().zip(read) {
        let rel = relative_path(&abs, &base);
        // A YAML/JSON file that cannot be a template is not part of the scan.
        let Some(r) = r else {
            continue;
        };
        stats.files += 1;
        stats.bytes += r.text.len() as u64;
        let reg = registry.register(
            abs.clone(),
            c.path,
            rel.clone(),
            r.language,
            r.text.clone(),
            c.reported,
            r.error.is_some(),
        );
        if let Some(mut e) = r.error {
            e.span.file = reg.id;
            parse_errors.push(e);
            continue;
        }
        if r.language == Language::TerraformPlan {
            let dir = match &config_dir {
                Some(d) => absolute(d),
                None => abs.parent().map(Path::to_path_buf).unwrap_or_default(),
            };
            plans.push((reg.id, rel, r.text, dir));
        } else if r.language.is_terraform() {
            let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
            calls.push((dir.clone(), r.text.clone()));
            tf_dirs.insert(dir);
        } else {
            templates.push((reg.id, rel, r.text, r.language));
        }
    }
    for e in &found.errors {
        let abs = tree.canonical(&e.path);
        let reg = registry.register(
            abs.clone(),
            e.path.clone(),
            relative_path(&abs, &base),
            Language::Terraform,
            Arc::from(""),
            true,
            true,
        );
        parse_errors.push(ParseError::at(
            reg.id,
            0,
            format!("cannot read: {}", e.message),
        ));
    }

    // Root modules: directories no scanned module calls through a local source.
    let edges: Vec<(PathBuf, Vec<PathBuf>)> = calls
        .par_iter()
        .map(|(dir, text)| {
            let callees = local_module_sources(text)
                .into_iter()
                .filter_map(|s| {
                    tree.admit_dir(&crate::source::normalize_path(&dir.join(s)))
                        .ok()
                })
                .collect();
            (dir.clone(), callees)
        })
        .collect();
    let mut graph: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for (dir, callees) in edges {
        graph.entry(dir).or_default().extend(callees);
    }
    let called: HashSet<&PathBuf> = graph.values().flatten().collect();
    // A plan is authoritative for its configuration: that directory is not evaluated again.
    let plan_dirs: HashSet<&PathBuf> = plans.iter().map(|(_, _, _, d)| d).collect();
    let roots: Vec<PathBuf> = tf_dirs
        .iter()
        .filter(|d| !called.contains(d) && !plan_dirs.contains(d))
        .cloned()
        .collect();

    let region = config.region.as_deref();
    let mut project = Project::new(&registry, &tree, &kb, &base, &vars);
    project.plan(&roots, &graph);
    let mut built: Vec<(Vec<Resource>, Vec<ModelNote>, Vec<ParseError>)> = templates
        .par_iter()
        .map(|(id, unit, text, language)| build_template(*id, unit, text, *language, region, &kb))
        .collect();
    built.par_extend(roots.par_iter().map(|dir| {
        let (r, n) = guarded(|| project.evaluate_root(dir));
        (r, n, Vec::new())
    }));
    built.par_extend(plans.par_iter().map(|(id, unit, text, dir)| {
        match parse::json::parse(*id, text) {
            Ok(root) => {
                let config = PlanConfig::new(&project);
                let (r, n) = guarded(|| model::plan::build_plan(unit, &root, &kb, dir, &config));
                (r, n, Vec::new())
            }
            Err(e) => (Vec::new(), Vec::new(), vec![e]),
        }
    }));
    // Directories reached from no root (a cycle of modules, a missed call): roots themselves.
    let loaded = project.loaded();
    let rest: BTreeSet<&PathBuf> = tf_dirs
        .iter()
        .filter(|d| !loaded.contains(*d) && !plan_dirs.contains(d))
        .collect();
    built.par_extend(rest.par_iter().map(|dir| {
        let (r, n) = guarded(|| project.evaluate_root(dir));
        (r, n, Vec::new())
    }));
    parse_errors.extend(project.take_parse_errors());
    let (mut resources, mut notes) = (Vec::new(), Vec::new());
    for (r, n, e) in built {
        resources.extend(r);
        notes.extend(n);
        parse_errors.extend(e);
    }
    // A directory parsed again after it was freed (two plans of one configuration, a module
    // needed again by a late root) reports its parse errors again.
    parse_errors.sort_by_key(|e| (e.span.file, e.span.start));
    parse_errors.dedup_by_key(|e| (e.span.file, e.span.start));
    drop(project);
    let (sources, reported) = registry.into_parts();

    let model = Model::new(resources, notes, &sources);
    let inference = infer::infer(
        &model,
        &kb,
        &InferOptions {
            now,
            same_account: config.same_account,
        },
    );
    let mut findings = evaluate::evaluate(&evaluate::Input {
        model: &model,
        sources: &sources,
        kb: &kb,
        config: &config,
        inference: &inference,
        parse_errors: &parse_errors,
        strict,
    });
    let is_reported = |f: FileId| reported.get(f.0 as usize).copied().unwrap_or(true);
    for f in &mut findings {
        relocate(f, &model, &is_reported);
    }
    suppress::apply_inline(&mut findings, &model, &sources, now.date_naive());
    evaluate::sort(&mut findings, &sources);
    if let Some(b) = &baseline {
        let fingerprints: Vec<String> = findings
            .iter()
            .map(|f| report::fingerprint_of(&model, &sources, f))
            .collect();
        stats.baseline_fixed = b.apply(&mut findings, &fingerprints);
    }
    // A file that cannot be read or parsed is reported wherever it is: the exit code counts it.
    findings.retain(|f| is_reported(f.span.file) || f.rule.code == evaluate::PARSE_ERROR);
    if let Some(changed) = &changed {
        let file_changed: Vec<bool> = sources
            .iter()
            .map(|s| changed.contains(&crate::source::normalize_path(&base.join(&s.rel_path))))
            .collect();
        let in_changed = |span: Span| {
            file_changed
                .get(span.file.0 as usize)
                .copied()
                .unwrap_or(false)
        };
        // A finding is about a changed file when it is located there, when its evidence is,
        // or when what protects its resource is declared there: a change to a backup plan
        // shows the findings of the databases it covers.
        let component = |f: &Finding| {
            let id = f.resource?;
            let ci = inference.component_of.get(id.index()).copied().flatten()?;
            inference.components.get(ci)
        };
        findings.retain(|f| {
            f.rule.code == evaluate::PARSE_ERROR
                || in_changed(f.span)
                || f.related.iter().any(|r| in_changed(r.span))
                || component(f).is_some_and(|c| {
                    c.members().any(|id| in_changed(model.get(id).span))
                        || c.mechanisms
                            .iter()
                            .any(|m| in_changed(m.span) || in_changed(model.get(m.origin).span))
                        || c.disabled.iter().any(|d| in_changed(d.span))
                        || c.restore_tests.iter().any(|t| in_changed(t.span))
                })
        });
    }
    let notices = notices(&tree, &found.unsupported, &base);
    stats.resources = model.resources.len();
    stats.components = inference.components.len();
    stats.elapsed = started.elapsed();
    Ok(Scan {
        base,
        sources,
        model,
        inference,
        findings,
        parse_errors,
        notices,
        stats,
        config,
        kb,
    })
}

/// The candidates with their canonical paths, one per file: a file named twice (`check t.yaml .`,
/// or named and also the sibling of another named `.tf` file) is read and scanned once, under
/// its first name, and reported when any of its namings is.
fn unique_files(tree: &Tree, candidates: Vec<Candidate>) -> Vec<(PathBuf, Candidate)> {
    let keys: Vec<PathBuf> = candidates
        .par_iter()
        .map(|c| tree.canonical(&c.path))
        .collect();
    let mut index: HashMap<PathBuf, usize> = HashMap::with_capacity(keys.len());
    let mut out: Vec<(PathBuf, Candidate)> = Vec::with_capacity(keys.len());
    for (key, c) in keys.into_iter().zip(candidates) {
        match index.get(&key).and_then(|&i| out.get_mut(i)) {
            Some((_, first)) => first.merge(&c),
            None => {
                index.insert(key.clone(), out.len());
                out.push((key, c));
            }
        }
    }
    out
}

/// A finding located in a file that is not reported (a module outside the scanned paths, or in
/// `.terraform/modules`) points at the `module` block that brings the resource in, the
/// innermost one in a reported file; where the resource is declared becomes related evidence.
fn relocate(f: &mut Finding, model: &Model, is_reported: &dyn Fn(FileId) -> bool) {
    if is_reported(f.span.file) {
        return;
    }
    let Some(id) = f.resource else {
        return;
    };
    let r = model.get(id);
    if let Some(call) = r.call_chain.iter().rev().find(|s| is_reported(s.file)) {
        f.related.insert(
            0,
            Related {
                span: f.span,
                message: format!("{} is declared in this module", r.address),
            },
        );
        f.span = *call;
    }
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
            .module_dir(dir)
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

/// Parses and models a CloudFormation template.
fn build_template(
    id: FileId,
    unit: &str,
    text: &str,
    language: Language,
    region: Option<&str>,
    kb: &KnowledgeBase,
) -> (Vec<Resource>, Vec<ModelNote>, Vec<ParseError>) {
    match parse::parse(id, language, text) {
        Ok(Parsed::CloudFormation(root)) => {
            let (r, n) = guarded(|| model::cloudformation::build_template(unit, &root, region, kb));
            (r, n, Vec::new())
        }
        Ok(_) => (Vec::new(), Vec::new(), Vec::new()),
        // A YAML/JSON file that does not parse is reported only when it clearly claims to be a
        // template; other broken YAML is none of resilint's business.
        Err(e) if cfn_detect::claims_template(text) => (Vec::new(), Vec::new(), vec![e]),
        Err(_) => (Vec::new(), Vec::new(), Vec::new()),
    }
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    abs.canonicalize().unwrap_or(abs)
}

/// The notices of a scan: every path the tree refused, and the named files of an unsupported
/// format, each with its path relative to the base.
fn notices(tree: &Tree, unsupported: &[PathBuf], base: &Path) -> Vec<Notice> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let rel = |p: &Path| relative_path(&crate::source::normalize_path(&cwd.join(p)), base);
    let mut out: Vec<Notice> = tree
        .take_refusals()
        .into_iter()
        .map(|(path, why)| {
            Notice::note(
                notice::FILE_NOT_READ,
                rel(&path),
                format!("{why}; not read"),
            )
        })
        .collect();
    out.extend(unsupported.iter().map(|p| {
        Notice::note(
            notice::FILE_NOT_SUPPORTED,
            rel(p),
            "Terraform JSON (.tf.json) is not supported yet; the file is not scanned",
        )
    }));
    out.sort();
    out
}

/// Reads one candidate: `None` for a YAML/JSON file that cannot be a template or a plan, and for
/// a file the tree refuses.
fn read(c: &Candidate, tree: &Tree) -> Option<Read> {
    let is_iac = |text: &str| cfn_detect::may_be_template(text) || model::plan::is_plan(text);
    // A large YAML/JSON file found in a directory is most likely data: it is not read unless
    // its beginning looks like a template or a plan (then it is reported as too large).
    if c.kind != Kind::Terraform
        && !c.named
        && std::fs::metadata(&c.path).is_ok_and(|m| m.len() > parse::MAX_FILE_BYTES as u64)
        && !is_iac(&head(&c.path))
    {
        return None;
    }
    let (mut language, (text, error)) = match parse::read_capped(tree, &c.path) {
        Ok(bytes) => (language_of(c.kind, &bytes), parse::decode(&bytes)),
        Err(None) => return None,
        Err(Some(e)) => {
            return Some(Read {
                language: language_of(c.kind, b""),
                text: Arc::from(""),
                error: Some(e),
            });
        }
    };
    // Only templates and plans matter among YAML/JSON files: a cheap check avoids parsing the
    // rest.
    if c.kind != Kind::Terraform {
        if language == Language::CloudFormationJson && model::plan::is_plan(&text) {
            language = Language::TerraformPlan;
        } else if !cfn_detect::may_be_template(&text) {
            return None;
        }
    }
    Some(Read {
        language,
        text,
        error,
    })
}

/// The beginning of a file, for a look at what it is without reading it all.
fn head(path: &Path) -> String {
    const HEAD_BYTES: u64 = 4096;
    let mut bytes = Vec::new();
    if let Ok((f, _)) = crate::tree::open_regular(path) {
        let _ = f.take(HEAD_BYTES).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn language_of(kind: Kind, bytes: &[u8]) -> Language {
    match kind {
        Kind::Terraform => Language::Terraform,
        Kind::Json => Language::CloudFormationJson,
        Kind::Yaml => Language::CloudFormationYaml,
        Kind::Sniff => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'{') {
                Language::CloudFormationJson
            } else {
                Language::CloudFormationYaml
            }
        }
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
