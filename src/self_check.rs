//! `resilint self-check`: loads the configuration and the knowledge base a scan would use and
//! says whether they are valid, without scanning anything. For whoever maintains a shared
//! `resilint.toml` or a directory of knowledge-base files: the same errors a scan would stop
//! at, every one of them in one run, plus what each directory adds or replaces.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::config::Config;
use crate::knowledge::{DirSummary, KbCounts, KnowledgeBase};
use crate::report::plural;
use crate::tree::{ReadError, Tree};
use crate::version;

/// What to check: the configuration named or found from `start`, and extra knowledge-base
/// directories (`--rules`).
#[derive(Debug, Clone, Default)]
pub struct SelfCheckOptions {
    /// `--config`: the configuration file; otherwise `resilint.toml` is looked for from
    /// `start` upwards.
    pub config: Option<PathBuf>,
    /// Where to start looking for `resilint.toml` (`.` when empty).
    pub start: PathBuf,
    /// `--rules` directories, after the configuration's own.
    pub rules_dirs: Vec<PathBuf>,
}

/// One source of knowledge: built in, or a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbSource {
    /// The directory (`None`: the built-in files).
    pub dir: Option<PathBuf>,
    /// What the directory defines (for the built-in files: the file count only).
    pub summary: DirSummary,
}

/// The outcome.
#[derive(Debug, Clone)]
pub struct SelfCheck {
    /// The configuration file in use (`None`: none found, the defaults apply).
    pub config_path: Option<PathBuf>,
    /// The configuration (the defaults when it could not be read).
    pub config: Config,
    /// The built-in knowledge base and each directory that loaded.
    pub sources: Vec<KbSource>,
    /// The whole knowledge base's counts (built in plus the directories that loaded).
    pub counts: KbCounts,
    /// What would stop a scan, each as `file: message`.
    pub errors: Vec<String>,
    /// What is allowed but probably not meant.
    pub warnings: Vec<String>,
}

/// Runs the checks.
pub fn run(options: &SelfCheckOptions) -> SelfCheck {
    let start = if options.start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        options.start.clone()
    };
    let mut named: Vec<PathBuf> = options.config.iter().cloned().collect();
    named.extend(options.rules_dirs.iter().cloned());
    let tree = Tree::new(std::slice::from_ref(&start), &named);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    let config = match Config::load(
        options.config.as_deref(),
        std::slice::from_ref(&start),
        &tree,
    ) {
        Ok(c) => c,
        Err(e) => {
            errors.push(e);
            Config::default()
        }
    };
    // Found but not read (a link out of the tree, which a scan refuses too): not "none found".
    if let (None, None, Some(found)) = (&options.config, &config.path, Config::discover(&start)) {
        warnings.push(format!(
            "{}: not read (a link out of the scanned tree, or not a regular file): the defaults apply",
            found.display()
        ));
    }

    let mut sources = Vec::new();
    let mut kb = match KnowledgeBase::builtin() {
        Ok(kb) => kb,
        Err(e) => {
            errors.push(format!("built-in knowledge base: {e}"));
            KnowledgeBase::default()
        }
    };
    sources.push(KbSource {
        dir: None,
        summary: DirSummary {
            files: crate::knowledge::BUILTIN
                .iter()
                .map(|(name, _)| PathBuf::from(name))
                .collect(),
            ..DirSummary::default()
        },
    });
    // Each directory on top of those that loaded before it, as a scan stacks them: an error
    // in one leaves the others checked.
    let mut loaded: Vec<PathBuf> = Vec::new();
    let mut dirs = config.rules.clone();
    dirs.extend(options.rules_dirs.iter().cloned());
    for dir in dirs {
        let summary = match kb.describe_dir(&dir, &tree) {
            Ok(s) => s,
            Err(e) => {
                errors.push(format!("knowledge base: {e}"));
                continue;
            }
        };
        if summary.files.is_empty() {
            warnings.push(format!(
                "{}: no *.toml files: the directory adds nothing to the knowledge base",
                dir.display()
            ));
        }
        let mut with = loaded.clone();
        with.push(dir.clone());
        match KnowledgeBase::load(&with, &tree) {
            Ok(next) => {
                kb = next;
                loaded.push(dir.clone());
                sources.push(KbSource {
                    dir: Some(dir),
                    summary,
                });
            }
            // A check across the files (an unknown family) names no file: name the directory.
            Err(e) if e.file.contains(&dir.display().to_string()) => {
                errors.push(format!("knowledge base: {e}"))
            }
            Err(e) => errors.push(format!("knowledge base: {}: {e}", dir.display())),
        }
    }
    // `[figures]` against the knowledge base that loaded (built in and the good directories).
    let overrides_checked = Config {
        rules: Vec::new(),
        ..config.clone()
    };
    if let Err(e) = KnowledgeBase::for_config(&overrides_checked, &loaded, &tree) {
        errors.push(e);
    }

    for f in &config.var_files {
        match crate::tree::open_regular(f) {
            Ok(_) => {}
            Err(ReadError::NotFound) => errors.push(format!(
                "{}: variables file {} does not exist",
                config.display_path(),
                f.display()
            )),
            Err(e) => errors.push(format!(
                "{}: variables file {}: {e}",
                config.display_path(),
                f.display()
            )),
        }
    }
    warnings.extend(owners_without_workload(&config));

    SelfCheck {
        config_path: config.path.clone(),
        counts: kb.counts(),
        config,
        sources,
        errors,
        warnings,
    }
}

/// `[owners.<name>]` entries that no `[[workloads]]` entry is named after: they still apply to
/// a root module or template of that name, which only a scan knows, so a warning.
fn owners_without_workload(config: &Config) -> Vec<String> {
    let named: Vec<&str> = config
        .workloads
        .iter()
        .filter_map(|w| w.name.as_deref())
        .collect();
    config
        .owners
        .keys()
        .filter(|k| k.as_str() != "*" && !named.contains(&k.as_str()))
        .map(|k| {
            format!(
                "{}: [owners.{k}] names no [[workloads]] entry; it applies only to a root module or template named `{k}`",
                config.display_path()
            )
        })
        .collect()
}

/// `text` with the current directory's prefix taken off the paths in it: the report names
/// files as the user would type them.
fn relative(text: &str) -> String {
    match std::env::current_dir() {
        Ok(cwd) if cwd.parent().is_some() => text.replace(
            &format!("{}{}", cwd.display(), std::path::MAIN_SEPARATOR),
            "",
        ),
        _ => text.to_string(),
    }
}

/// `1 family`, `2 families`.
fn families(n: usize) -> String {
    if n == 1 {
        "1 family".into()
    } else {
        format!("{n} families")
    }
}

impl SelfCheck {
    /// Whether a scan would start: no errors.
    pub fn passed(&self) -> bool {
        self.errors.is_empty()
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let mut out = format!(
            "resilint {}, commit {}, knowledge base {}\n",
            version::VERSION,
            version::commit(),
            version::KB_DIGEST
        );
        match &self.config_path {
            Some(p) => out.push_str(&format!("config: {}\n", p.display())),
            None => out.push_str("config: none read; the defaults apply\n"),
        }
        let c = &self.config;
        let tiers: Vec<&str> = c.tiers.iter().map(|t| t.name.as_str()).collect();
        out.push_str(&format!(
            "  {}: {}; default tier: {}\n",
            plural(tiers.len(), "tier"),
            tiers.join(", "),
            c.default_tier.as_deref().unwrap_or("none")
        ));
        out.push_str(&format!(
            "  {}, owners for {}, {}, {} and {}\n",
            plural(c.workloads.len(), "workload"),
            plural(c.owners.len(), "workload"),
            plural(c.figures.len(), "figure override"),
            plural(c.rebuildable.len(), "rebuildable pattern"),
            plural(c.restore_tested.len(), "restore-tested pattern"),
        ));
        out.push_str("knowledge base:\n");
        for s in &self.sources {
            let d = &s.summary;
            match &s.dir {
                None => out.push_str(&format!(
                    "  built in: {} ({})\n",
                    plural(d.files.len(), "file"),
                    version::KB_DIGEST
                )),
                Some(dir) => {
                    out.push_str(&format!(
                        "  {}: {}: {}, {}, {}, {}\n",
                        dir.display(),
                        plural(d.files.len(), "file"),
                        plural(d.resources, "resource type"),
                        families(d.families),
                        plural(d.figures, "figure"),
                        plural(d.unmodelled, "not-modelled type"),
                    ));
                    if !d.replaced.is_empty() {
                        out.push_str(&format!(
                            "    replaces the built-in or earlier entries of {}\n",
                            d.replaced.join(", ")
                        ));
                    }
                }
            }
        }
        let n = &self.counts;
        out.push_str(&format!(
            "  in all: {}, {}, {}, {}\n",
            plural(n.resources, "resource type"),
            families(n.families),
            plural(n.figures, "figure"),
            plural(n.unmodelled, "not-modelled type"),
        ));
        for w in &self.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        for e in &self.errors {
            out.push_str(&format!("error: {e}\n"));
        }
        if self.passed() {
            out.push_str(
                "self-check passed: the configuration and the knowledge base are valid (nothing was scanned)\n",
            );
        } else {
            out.push_str(&format!(
                "self-check failed: {}; a scan would stop at the first\n",
                plural(self.errors.len(), "error")
            ));
        }
        relative(&out)
    }

    /// The report as JSON, for scripts.
    pub fn json(&self) -> Value {
        let c = &self.config;
        let sources: Vec<Value> = self
            .sources
            .iter()
            .map(|s| {
                let files: Vec<String> = s
                    .summary
                    .files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect();
                match &s.dir {
                    None => json!({ "builtIn": true, "files": files.len(), "digest": version::KB_DIGEST }),
                    Some(dir) => json!({
                        "directory": dir.display().to_string(),
                        "files": files,
                        "resources": s.summary.resources,
                        "replaces": s.summary.replaced,
                        "families": s.summary.families,
                        "figures": s.summary.figures,
                        "unmodelled": s.summary.unmodelled,
                    }),
                }
            })
            .collect();
        json!({
            "version": version::VERSION,
            "commit": version::COMMIT,
            "knowledgeBase": {
                "digest": version::KB_DIGEST,
                "sources": sources,
                "resources": self.counts.resources,
                "families": self.counts.families,
                "figures": self.counts.figures,
                "unmodelled": self.counts.unmodelled,
            },
            "config": {
                "path": self.config_path.as_ref().map(|p| p.display().to_string()),
                "tiers": c.tiers.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
                "defaultTier": c.default_tier,
                "workloads": c.workloads.len(),
                "owners": c.owners.keys().collect::<Vec<_>>(),
                "figureOverrides": c.figures.len(),
            },
            "passed": self.passed(),
            "errors": self.errors,
            "warnings": self.warnings,
        })
    }
}
