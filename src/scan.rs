//! The whole pipeline: discover → parse → model → infer → evaluate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::discover::{self, Candidate, Kind};
use crate::evaluate::{self, Finding};
use crate::infer::{self, InferOptions, Inference};
use crate::knowledge::KnowledgeBase;
use crate::model::{self, Model, ModelNote, Resource};
use crate::parse::{self, ParseError, Parsed, cfn_detect};
use crate::source::{FileId, Language, SourceMap, relative_path};

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
    /// Counts.
    pub stats: Stats,
    /// Configuration used.
    pub config: Config,
    /// Knowledge base used.
    pub kb: KnowledgeBase,
}

impl Scan {
    /// Whether some input could not be read or parsed.
    pub fn had_errors(&self) -> bool {
        !self.parse_errors.is_empty()
    }
}

/// A file after reading and parsing.
struct Loaded {
    language: Language,
    text: Arc<str>,
    result: Result<Parsed, ParseError>,
}

/// A unit of work: a Terraform module directory, or one YAML/JSON file.
struct Unit {
    /// Module directory or file path, relative to the base.
    name: String,
    /// Candidate indexes (= file ids).
    files: Vec<usize>,
}

/// What processing a unit gives: its files and its resources.
struct UnitOutput {
    files: Vec<(usize, Loaded)>,
    resources: Vec<Resource>,
    notes: Vec<ModelNote>,
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
    } = options;
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let base = discover::base_dir(&paths);
    let found = discover::discover(&paths, jobs)?;
    let candidates = &found.candidates;
    let rel_paths: Vec<String> = candidates
        .par_iter()
        .map(|c| relative_path(&absolute(&c.path), &base))
        .collect();

    // Group files into units; each unit is read, parsed and modelled by one task, and its syntax
    // trees are freed as soon as its resources are built (bounded memory, parallel frees).
    let mut modules: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut units = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        match c.kind {
            Kind::Terraform => {
                let dir = rel_paths[i]
                    .rsplit_once('/')
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_else(|| ".".into());
                modules.entry(dir).or_default().push(i);
            }
            Kind::TerraformJson => {}
            _ => units.push(Unit {
                name: rel_paths[i].clone(),
                files: vec![i],
            }),
        }
    }
    units.extend(
        modules
            .into_iter()
            .map(|(name, files)| Unit { name, files }),
    );
    let region = config.region.as_deref();
    let outputs: Vec<UnitOutput> = units
        .into_par_iter()
        .map(|u| process_unit(u, candidates, region, &kb))
        .collect();

    let mut loaded: Vec<Option<Loaded>> = (0..candidates.len()).map(|_| None).collect();
    let (mut resources, mut notes) = (Vec::new(), Vec::new());
    for out in outputs {
        for (i, l) in out.files {
            loaded[i] = Some(l);
        }
        resources.extend(out.resources);
        notes.extend(out.notes);
    }
    let mut sources = SourceMap::default();
    let mut parse_errors = Vec::new();
    let mut stats = Stats::default();
    let mut reported: Vec<bool> = Vec::with_capacity(candidates.len());
    for ((c, l), rel) in candidates.iter().zip(loaded).zip(rel_paths) {
        reported.push(c.reported);
        let Some(l) = l else {
            sources.push(
                c.path.clone(),
                rel,
                Language::CloudFormationYaml,
                Arc::from(""),
            );
            continue;
        };
        stats.files += 1;
        stats.bytes += l.text.len() as u64;
        if let Err(e) = l.result {
            parse_errors.push(e);
        }
        sources.push(c.path.clone(), rel, l.language, l.text);
    }
    for e in &found.errors {
        let abs = absolute(&e.path);
        let id = sources.push(
            e.path.clone(),
            relative_path(&abs, &base),
            Language::Terraform,
            Arc::from(""),
        );
        reported.push(true);
        parse_errors.push(ParseError::at(id, 0, format!("cannot read: {}", e.message)));
    }
    let model = Model::new(resources, notes);
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
    findings.retain(|f| {
        reported
            .get(f.span.file.0 as usize)
            .copied()
            .unwrap_or(true)
    });
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
        stats,
        config,
        kb,
    })
}

/// Reads, parses and models one unit. Syntax trees are dropped before returning; only the texts
/// (for reports) and parse errors are kept.
fn process_unit(
    unit: Unit,
    candidates: &[Candidate],
    region: Option<&str>,
    kb: &KnowledgeBase,
) -> UnitOutput {
    let loaded: Vec<(usize, Loaded)> = unit
        .files
        .par_iter()
        .filter_map(|&i| load(FileId(i as u32), &candidates[i]).map(|l| (i, l)))
        .collect();
    let (resources, notes) = guarded(|| match loaded.as_slice() {
        [
            (
                _,
                Loaded {
                    result: Ok(Parsed::CloudFormation(root)),
                    ..
                },
            ),
        ] => model::cloudformation::build_template(&unit.name, root, region, kb),
        files => {
            let bodies: Vec<(FileId, &hcl_edit::structure::Body, &str)> = files
                .iter()
                .filter_map(|(i, l)| match &l.result {
                    Ok(Parsed::Terraform(body)) => Some((FileId(*i as u32), body, l.text.as_ref())),
                    _ => None,
                })
                .collect();
            if bodies.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                model::terraform::build_module(&unit.name, &bodies, kb)
            }
        }
    });
    let files = loaded
        .into_iter()
        .map(|(i, l)| {
            let result = match l.result {
                Ok(_) => Ok(Parsed::NotIac),
                Err(e) => Err(e),
            };
            (i, Loaded { result, ..l })
        })
        .collect();
    UnitOutput {
        files,
        resources,
        notes,
    }
}

/// Runs a model builder; a panic (a bug) costs that unit's resources, not the scan.
fn guarded<F: FnOnce() -> (Vec<Resource>, Vec<ModelNote>)>(
    f: F,
) -> (Vec<Resource>, Vec<ModelNote>) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_default()
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    abs.canonicalize().unwrap_or(abs)
}

/// Reads and parses one file; `None` for a YAML/JSON file that is not a template.
fn load(id: FileId, c: &Candidate) -> Option<Loaded> {
    let bytes = match std::fs::read(&c.path) {
        Ok(b) => b,
        Err(e) => {
            return Some(Loaded {
                language: language_of(c.kind, b""),
                text: Arc::from(""),
                result: Err(ParseError::at(id, 0, format!("cannot read: {e}"))),
            });
        }
    };
    if bytes.len() > parse::MAX_FILE_BYTES {
        if c.kind != Kind::Terraform && !c.reported {
            return None;
        }
        return Some(Loaded {
            language: language_of(c.kind, &bytes),
            text: Arc::from(""),
            result: Err(ParseError::at(
                id,
                0,
                format!(
                    "file is too large to scan ({} MiB; the limit is {} MiB)",
                    bytes.len() / (1024 * 1024),
                    parse::MAX_FILE_BYTES / (1024 * 1024)
                ),
            )),
        });
    }
    let language = language_of(c.kind, &bytes);
    match c.kind {
        Kind::TerraformJson => return None,
        Kind::Terraform => {}
        _ => {
            // Only templates matter among YAML/JSON files: a cheap check avoids parsing the rest.
            let prefix = String::from_utf8_lossy(&bytes);
            if !cfn_detect::may_be_template(&prefix) {
                return None;
            }
        }
    }
    let text = match parse::check_text(id, &bytes) {
        Ok(t) => Arc::<str>::from(t),
        Err(e) => {
            return Some(Loaded {
                language,
                text: Arc::from(String::from_utf8_lossy(&bytes).as_ref()),
                result: Err(e),
            });
        }
    };
    let result = parse::parse(id, language, &text);
    if matches!(result, Ok(Parsed::NotIac)) {
        return None;
    }
    // A YAML/JSON file that does not parse is reported only when it clearly claims to be a
    // template; other broken YAML is none of resilint's business.
    if result.is_err() && !language.is_terraform() && !cfn_detect::claims_template(&text) {
        return None;
    }
    Some(Loaded {
        language,
        text,
        result,
    })
}

fn language_of(kind: Kind, bytes: &[u8]) -> Language {
    match kind {
        Kind::Terraform => Language::Terraform,
        Kind::TerraformJson => Language::TerraformJson,
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
