//! The whole pipeline, one call per stage: [`discover`] the files, read them ([`inputs`]),
//! parse them and build the model ([`build`]), [`infer`] recovery mechanisms, [`evaluate`] them
//! against the tiers, and [`select`] what is reported.

pub mod build;
pub mod cdk;
pub mod inputs;
pub mod nested;
pub mod samconfig;
pub mod select;
pub mod terragrunt;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::changes;
use crate::config::{Config, Level};
use crate::discover;
use crate::evaluate::{self, Finding};
use crate::infer::{self, InferOptions, Inference};
use crate::knowledge::KnowledgeBase;
use crate::model::Model;
use crate::model::cloudformation::Deployment;
use crate::model::terraform::project::VarInputs;
use crate::notice::{self, Notice};
use crate::parse::ParseError;
use crate::source::{SourceMap, SourceRegistry, relative_path};
use crate::suppress::baseline::Baseline;
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
    /// Remote Terragrunt module sources mapped to local directories (`--source-map`).
    pub source_map: Vec<(String, PathBuf)>,
    /// What may be opened ([`Tree::new`] over the paths named on the command line); the
    /// refusals it recorded before the scan (configuration files) are reported with the scan's.
    pub tree: Tree,
}

impl ScanOptions {
    /// Options for scanning `paths` with the default configuration: the tree of those paths,
    /// no variables, a thread per core, the schedule window starting now.
    pub fn for_paths(paths: Vec<PathBuf>, kb: KnowledgeBase) -> ScanOptions {
        ScanOptions {
            tree: Tree::new(&paths, &[]),
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
            source_map: Vec::new(),
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
    /// Resources that hold data and are not estimated (RES014).
    pub not_modelled: usize,
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
    /// Whether unknown values were treated as absent (`--strict`).
    pub strict: bool,
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
            strict: false,
        }
    }
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
        source_map,
        tree,
    } = options;
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let base = discover::base_dir(&paths);
    // Before the scan: a mistyped revision should not cost one.
    let changed = changed_since
        .as_deref()
        .map(|rev| changes::changed_files(&base, rev))
        .transpose()?;
    let found = discover::discover(&paths, &tree, jobs)?;
    let registry = SourceRegistry::default();
    let inputs = inputs::read_all(
        found.candidates,
        &found.errors,
        &tree,
        &registry,
        &base,
        config_dir.as_deref(),
    );
    let built = build::build(
        &inputs,
        &build::Context {
            tree: &tree,
            registry: &registry,
            kb: &kb,
            base: &base,
            vars: &vars,
            deployment: Deployment {
                region: config.region.as_deref(),
                parameters: Some(&config.parameters),
                unknown_parameters: None,
            },
            sam_config_env: config.sam_config_env.as_deref().unwrap_or("default"),
            source_map: &source_map,
        },
    );
    let (sources, reported) = registry.into_parts();
    let parse_errors = parse_errors(inputs.parse_errors, built.parse_errors);
    let built_not_templates = built.not_templates;
    let built_notices = built.notices;
    let var_notices: Vec<Notice> = built
        .undeclared_vars
        .iter()
        .map(|name| {
            Notice::warning(
                notice::VAR_UNDECLARED,
                None,
                format!(
                    "a value is given for variable `{name}` (--var or [variables]), which no root module declares"
                ),
            )
        })
        .chain(built.invalid_vars.iter().map(|why| Notice {
            level: Level::Error,
            code: notice::VAR_INVALID,
            file: None,
            message: why.clone(),
        }))
        .collect();
    let mut model = Model::new(built.resources, built.notes, &sources);
    crate::model::placement::apply(&mut model, &kb);
    let inference = infer::infer(
        &model,
        &kb,
        &InferOptions {
            now,
            same_account: config.same_account,
        },
    );
    let findings = evaluate::evaluate(&evaluate::Input {
        model: &model,
        sources: &sources,
        kb: &kb,
        config: &config,
        inference: &inference,
        parse_errors: &parse_errors,
        strict,
    });
    let (findings, baseline_fixed) = select::select(
        findings,
        &select::Selection {
            model: &model,
            sources: &sources,
            inference: &inference,
            reported: &reported,
            baseline: baseline.as_ref(),
            changed: changed.as_ref(),
            base: &base,
            today: now.date_naive(),
        },
    );
    let mut notices = notices(&tree, &base);
    notices.extend(
        inputs
            .not_templates
            .iter()
            .chain(&built_not_templates)
            .map(|file| {
                Notice::note(
                    notice::FILE_NOT_SUPPORTED,
                    file.clone(),
                    "neither a CloudFormation template nor a Terraform plan; the file is not scanned",
                )
            }),
    );
    notices.extend(unused_workloads(&config, &model, &sources, &base));
    notices.extend(var_notices);
    notices.extend(built_notices);
    let stats = Stats {
        files: inputs.files,
        bytes: inputs.bytes,
        resources: model.resources.len(),
        components: inference.components.len(),
        not_modelled: inference.not_modelled.len(),
        elapsed: started.elapsed(),
        baseline_fixed,
    };
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
        strict,
    })
}

/// A warning for every `[[workloads]]` entry that matches no resource (most likely a typo).
fn unused_workloads(
    config: &Config,
    model: &Model,
    sources: &SourceMap,
    base: &Path,
) -> Vec<Notice> {
    let resolver = evaluate::tier::TierResolver::new(config);
    let file = config.path.as_deref().map(|p| {
        let cwd = std::env::current_dir().unwrap_or_default();
        relative_path(&crate::source::normalize_path(&cwd.join(p)), base)
    });
    resolver
        .unused_workloads(model, sources)
        .into_iter()
        .filter_map(|i| {
            let w = config.workloads.get(i)?;
            Some(Notice::warning(
                notice::WORKLOAD_UNUSED,
                file.clone(),
                format!(
                    "[[workloads]] entry {} (tier `{}`, paths {:?}, addresses {:?}) matches no resource",
                    i + 1,
                    w.tier,
                    w.paths,
                    w.addresses
                ),
            ))
        })
        .collect()
}

/// The parse errors of reading and of building, each once: a directory parsed again after it
/// was freed (two plans of one configuration, a module needed again by a late root) reports its
/// parse errors again.
fn parse_errors(mut read: Vec<ParseError>, built: Vec<ParseError>) -> Vec<ParseError> {
    read.extend(built);
    read.sort_by_key(|e| (e.span.file, e.span.start));
    read.dedup_by_key(|e| (e.span.file, e.span.start));
    read
}

/// The notices of a scan: every path the tree refused, with its path relative to the base.
fn notices(tree: &Tree, base: &Path) -> Vec<Notice> {
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
    out.sort();
    out
}
