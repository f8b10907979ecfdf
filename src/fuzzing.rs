//! Harnesses for the fuzz targets (`fuzz/`) and the property tests (`tests/mutations.rs`): each
//! feeds raw input through the stages that take it and checks what must hold for any input.
//!
//! A [`Sandbox`] runs the whole pipeline on one file: it writes the input into a scratch
//! directory, scans that directory and writes every output format, and checks that
//!
//! - every output that is a document (JSON, SARIF, explain JSON) parses as JSON;
//! - nothing from outside the scanned tree reaches any output: next to the input the sandbox
//!   keeps a symbolic link to a file outside the tree, and a `file()` call can name any path,
//!   but the [`SECRET`] the outside files hold must never be printed;
//! - every counted parse error has its RES000 finding.
//!
//! A panic anywhere is the fuzzer's to catch (fuzz targets are built with `panic=abort`).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::knowledge::KnowledgeBase;
use crate::report::explain_json::ExplainJson;
use crate::report::explain_table::ExplainTable;
use crate::report::github::Github;
use crate::report::human::Human;
use crate::report::json::Json;
use crate::report::junit::Junit;
use crate::report::markdown::Markdown;
use crate::report::sarif::Sarif;
use crate::report::{Emitter, ReportOptions};
use crate::scan::{self, ScanOptions};

/// What the files outside the scanned tree hold; no output may contain it.
pub const SECRET: &str = "RESILINT-FUZZ-SECRET-OUTSIDE-THE-TREE";

/// A scratch directory for whole-pipeline runs: `input/` (a git work tree) is scanned;
/// `outside/` holds the secret, and `input/outside.tf` links to it. Removed when dropped.
#[derive(Debug)]
pub struct Sandbox {
    root: PathBuf,
    kb: KnowledgeBase,
}

/// What one run did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Files scanned.
    pub files: usize,
    /// Findings.
    pub findings: usize,
    /// Parse errors.
    pub parse_errors: usize,
    /// Wall time of the scan and the outputs.
    pub elapsed: Duration,
}

/// A property that failed, and the output that shows it.
#[derive(Debug)]
pub struct Violation(pub String);

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Sandbox {
    /// A new sandbox in the system's temporary directory.
    pub fn new() -> io::Result<Sandbox> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "resilint-sandbox-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let outside = root.join("outside");
        std::fs::create_dir_all(&outside)?;
        // `input/` is a git work tree, as a CI checkout is: a module source that leaves it
        // (`../outside`) must not be read.
        std::fs::create_dir_all(root.join("input/.git"))?;
        std::fs::write(
            outside.join("secret.tf"),
            format!(
                "locals {{ t = \"{SECRET}\" }}\nresource \"aws_s3_bucket\" \"{SECRET}\" {{ bucket = \"{SECRET}\" }}\n"
            ),
        )?;
        std::fs::write(outside.join("secret.txt"), SECRET)?;
        #[cfg(unix)]
        std::os::unix::fs::symlink("../outside/secret.tf", root.join("input/outside.tf"))?;
        let kb = KnowledgeBase::builtin().map_err(|e| io::Error::other(e.to_string()))?;
        Ok(Sandbox { root, kb })
    }

    /// The scanned directory.
    pub fn input_dir(&self) -> PathBuf {
        self.root.join("input")
    }

    /// Writes a file that stays in the input (the configuration that fuzzed variables files
    /// are read for, say).
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.input_dir().join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, bytes)
    }

    /// Writes `bytes` as `input/<name>`, scans `input/`, writes every output format and checks
    /// the properties above. The file is removed again afterwards.
    pub fn check(&self, name: &str, bytes: &[u8]) -> Result<Outcome, Violation> {
        let path = self.input_dir().join(name);
        std::fs::write(&path, bytes).map_err(|e| Violation(format!("cannot write: {e}")))?;
        let result = self.check_dir(&self.input_dir());
        let _ = std::fs::remove_file(&path);
        result
    }

    /// Scans a directory inside the sandbox's input and checks the properties.
    pub fn check_dir(&self, dir: &Path) -> Result<Outcome, Violation> {
        let started = Instant::now();
        let options = ScanOptions {
            jobs: 1,
            ..ScanOptions::for_paths(vec![dir.to_path_buf()], self.kb.clone())
        };
        let result = scan::run(options).map_err(Violation)?;
        let options = ReportOptions {
            reproducible: true,
            ..ReportOptions::default()
        };
        let emitters: [(&str, &dyn Emitter, bool); 8] = [
            ("human", &Human, false),
            ("json", &Json, true),
            ("sarif", &Sarif, true),
            ("github", &Github, false),
            ("markdown", &Markdown, false),
            ("junit", &Junit, false),
            ("explain-json", &ExplainJson, true),
            ("explain-table", &ExplainTable, false),
        ];
        for (format, emitter, json) in emitters {
            let mut out = Vec::new();
            emitter
                .emit(&result, &options, &mut out)
                .map_err(|e| Violation(format!("{format}: cannot write: {e}")))?;
            let text = String::from_utf8_lossy(&out);
            if text.contains(SECRET) {
                return Err(Violation(format!(
                    "{format}: a file outside the tree reached the output:\n{text}"
                )));
            }
            if json && let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
                return Err(Violation(format!("{format}: not JSON ({e}):\n{text}")));
            }
        }
        // The reports for the people around the code, from the same scan.
        let statement = crate::report::statement::build(&result, &options);
        let reports = [
            (
                "report-html",
                crate::report::statement::html::render(&statement),
                false,
            ),
            (
                "report-markdown",
                crate::report::statement::markdown::render(&statement),
                false,
            ),
            (
                "report-json",
                crate::report::statement::json::render(&statement),
                true,
            ),
            (
                "runbook",
                crate::report::runbook::render(&result, "fuzz"),
                false,
            ),
        ];
        for (format, text, json) in reports {
            if text.contains(SECRET) {
                return Err(Violation(format!(
                    "{format}: a file outside the tree reached the output:\n{text}"
                )));
            }
            if json && let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                return Err(Violation(format!("{format}: not JSON ({e}):\n{text}")));
            }
            if format == "report-html" && text.contains("<script") {
                return Err(Violation(format!(
                    "{format}: a script tag reached the page"
                )));
            }
        }
        for e in &result.parse_errors {
            let named = result
                .findings
                .iter()
                .any(|f| f.rule.code == crate::evaluate::PARSE_ERROR && f.span == e.span);
            if !named {
                return Err(Violation(format!(
                    "a parse error has no RES000 finding: {}",
                    e.message
                )));
            }
        }
        Ok(Outcome {
            files: result.stats.files,
            findings: result.findings.len(),
            parse_errors: result.parse_errors.len(),
            elapsed: started.elapsed(),
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The body of a file fuzz target: checks `data` as the file `name` in one sandbox per process,
/// which `fixed` files (written once) sit beside, and panics on a violated property, which is
/// how a fuzzer learns of it.
pub fn check_file(name: &str, fixed: &[(&str, &str)], data: &[u8]) {
    static SANDBOX: std::sync::OnceLock<Sandbox> = std::sync::OnceLock::new();
    let sandbox = SANDBOX.get_or_init(|| {
        let sandbox = Sandbox::new().unwrap_or_else(|e| panic!("no sandbox: {e}"));
        for (file, text) in fixed {
            if let Err(e) = sandbox.write(file, text.as_bytes()) {
                panic!("cannot write {file}: {e}");
            }
        }
        sandbox
    });
    if let Err(violation) = sandbox.check(name, data) {
        panic!("{violation}");
    }
}

/// Schedules as AWS writes them (`cron(…)`, `rate(…)`, with a time zone) and DLM intervals:
/// `text` is split at its first line break into the expression and the time zone.
pub fn schedules(text: &str) {
    use crate::infer::schedule::{dlm_interval, parse_aws_schedule};
    let (expr, tz) = text.split_once('\n').unwrap_or((text, ""));
    let tz = (!tz.is_empty()).then_some(tz);
    let from = chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
    if let Ok(s) = parse_aws_schedule(expr, tz, from) {
        let _ = (
            s.max_gap_secs(),
            s.min_gap_secs(),
            s.describe(),
            s.last_run(),
        );
    }
    if let Some((n, unit)) = expr.split_once(' ')
        && let Ok(n) = n.parse::<i64>()
    {
        let _ = dlm_interval(n, unit).map(|s| s.max_gap_secs());
    }
}

/// Durations: as `resilint.toml` writes them (`15m`), ISO 8601 durations and repeating
/// intervals; a parsed value formats back without panicking.
pub fn durations(text: &str) {
    use crate::duration::{self, iso8601};
    if let Ok(secs) = duration::parse(text) {
        let _ = duration::format(secs);
    }
    if let Ok(d) = iso8601::parse_duration(text) {
        let _ = (d.min_seconds(), d.max_seconds(), d.exact_seconds());
    }
    if let Ok(i) = iso8601::parse_repeating_interval(text) {
        let _ = i.max_gap_seconds();
    }
}

/// A `resilint.toml`.
pub fn config(text: &str) {
    let _ = crate::config::Config::parse(text, None);
}
