//! The command line: `check`, `explain`, `report`, `runbook`, `rules`, `init`, `self-check`.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, Level};
use crate::evaluate::{RULES, RuleMeta};
use crate::knowledge::KnowledgeBase;
use crate::model::terraform::project::VarInputs;
use crate::report::explain_json::ExplainJson;
use crate::report::explain_table::ExplainTable;
use crate::report::github::Github;
use crate::report::human::Human;
use crate::report::json::Json;
use crate::report::junit::Junit;
use crate::report::markdown::Markdown;
use crate::report::sarif::Sarif;
use crate::report::{Emitter, ReportOptions};
use crate::scan::{self, Scan, ScanOptions};
use crate::suppress::baseline::Baseline;
use crate::tree::Tree;

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage or configuration error, or an input that could not be read or parsed.
pub const EXIT_ERROR: u8 = 2;

/// resilint checks that the backups, replicas and placement declared in Terraform and
/// CloudFormation meet the RPO/RTO targets of each resource's resilience tier.
#[derive(Debug, Parser)]
#[command(
    name = "resilint",
    version,
    long_version = crate::version::long(),
    about,
    long_about = None,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check files and directories; report findings.
    Check(CheckArgs),
    /// Show what was inferred for each stateful resource: tier, regions, backups, replicas,
    /// per-scope RPO/RTO estimates, unresolved values.
    Explain(ExplainArgs),
    /// List the rules, or print one rule's documentation.
    Rules(RulesArgs),
    /// Write a resilience statement for the people around the code (HTML, Markdown or JSON):
    /// per workload and component the estimated RPO/RTO against the targets; with --sarif, a
    /// fleet report aggregated from the SARIF of many repositories.
    Report(ReportArgs),
    /// Write a disaster-recovery runbook (Markdown) from the code: per component and scope of
    /// failure, the recovery path the infrastructure supports, with roles and commands.
    Runbook(RunbookArgs),
    /// Write a commented resilint.toml with the default tiers.
    Init(InitArgs),
    /// Check the configuration and the knowledge-base directories a scan would use, without
    /// scanning: every error, and what each directory adds or replaces.
    SelfCheck(SelfCheckArgs),
}

#[derive(Debug, Args)]
struct SelfCheckArgs {
    /// Where to look for resilint.toml (this directory or one above it) [default: .]
    #[arg(value_name = "PATH")]
    path: Option<PathBuf>,
    /// Configuration file [default: resilint.toml in PATH or above]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Extra knowledge-base directory (*.toml); repeatable
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = SelfCheckFormat::Text)]
    format: SelfCheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SelfCheckFormat {
    /// What was loaded, warnings and errors, for people.
    Text,
    /// The same as JSON, for scripts.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// One self-contained HTML page (inline CSS and SVG, no script).
    Html,
    /// GitHub-flavoured Markdown, for wikis and pull-request comments.
    Markdown,
    /// The statement as JSON (what --compare reads).
    Json,
}

#[derive(Debug, Args)]
struct ReportArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Write the report to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// A previous `resilint report --format json`: say what changed since
    #[arg(long, value_name = "PREVIOUS.json")]
    compare: Option<PathBuf>,
    /// The report's title [default: the name of the first PATH]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Aggregate SARIF files (or directories of *.sarif) written by `resilint check` instead
    /// of scanning: the PATHs are SARIF
    #[arg(long)]
    sarif: bool,
}

#[derive(Debug, Args)]
struct RunbookArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Write the runbook to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// The runbook's title [default: the name of the first PATH]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
}

#[derive(Debug, Args)]
struct ScanArgs {
    /// Files or directories to scan [default: .]
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Configuration file [default: resilint.toml in the scanned directory or above]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Region CloudFormation templates are deployed to, and of Terraform AWS providers that set
    /// none (overrides `region` in the config; a region written in the configuration wins)
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Terraform workspace, for `terraform.workspace` (overrides `workspace` in the config)
    #[arg(long, value_name = "NAME")]
    workspace: Option<String>,
    /// CloudFormation parameter value, like `aws cloudformation deploy --parameter-overrides`;
    /// repeatable, wins over --parameters and `[parameters]`
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    parameters: Vec<String>,
    /// CloudFormation parameter values in the `aws cloudformation deploy` and `sam deploy` style,
    /// in one argument (`--parameter-overrides "Env=prod Name='a b'"`); repeatable
    #[arg(long = "parameter-overrides", value_name = "KEY=VALUE ...")]
    parameter_overrides: Vec<String>,
    /// The `samconfig.toml` environment whose region and parameter overrides apply [default:
    /// default]
    #[arg(long = "config-env", value_name = "NAME")]
    config_env: Option<String>,
    /// CloudFormation parameter values: the CLI's JSON form
    /// ([{"ParameterKey": ..., "ParameterValue": ...}]) or KEY=VALUE lines; repeatable
    #[arg(long = "parameters", value_name = "FILE")]
    parameter_files: Vec<PathBuf>,
    /// A remote Terragrunt module source read from a local directory, like Terragrunt's
    /// `--source-map` (`git::git@github.com:acme/modules.git=../modules`); repeatable
    #[arg(long = "source-map", value_name = "ADDRESS=DIR")]
    source_maps: Vec<String>,
    /// Extra knowledge-base directory (*.toml); repeatable
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
    /// Treat values that cannot be determined statically as absent
    #[arg(long)]
    strict: bool,
    /// Terraform variable value for the root modules, like `terraform -var`; repeatable
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Terraform variables file (.tfvars or .tfvars.json) for the root modules; repeatable
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// Configuration directory of a Terraform plan JSON (default: the plan file's directory)
    #[arg(long, value_name = "DIR")]
    config_dir: Option<PathBuf>,
    /// Do not read Terraform variables from TF_VAR_<name> environment variables
    #[arg(long)]
    no_tf_var_env: bool,
    /// Worker threads [default: one per core]
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// Code frames, help lines and a summary.
    Human,
    /// SARIF 2.1.0, for GitHub code scanning and other consumers.
    Sarif,
    /// Findings as JSON, for scripts.
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request's diff.
    Github,
    /// A Markdown report of findings and estimates (for $GITHUB_STEP_SUMMARY).
    Markdown,
    /// JUnit XML, for CI systems that read test reports (GitLab, Jenkins).
    Junit,
}

impl CheckFormat {
    fn emitter(self) -> &'static dyn Emitter {
        match self {
            CheckFormat::Human => &Human,
            CheckFormat::Sarif => &Sarif,
            CheckFormat::Json => &Json,
            CheckFormat::Github => &Github,
            CheckFormat::Markdown => &Markdown,
            CheckFormat::Junit => &Junit,
        }
    }
}

/// Where one output goes: a format and a file (`None`: standard output).
#[derive(Debug, Clone, PartialEq)]
struct OutputSpec {
    format: CheckFormat,
    file: Option<PathBuf>,
}

/// Reads the `-o` values: `FORMAT=FILE`, `FORMAT`, or `FILE` (in `default`). `-` is standard
/// output. At most one output may go to standard output.
fn output_specs(values: &[String], default: CheckFormat) -> Result<Vec<OutputSpec>, String> {
    let format = |name: &str| CheckFormat::from_str(name, true).ok();
    let file = |path: &str| (path != "-").then(|| PathBuf::from(path));
    let mut specs: Vec<OutputSpec> = values
        .iter()
        .map(|v| match v.split_once('=') {
            Some((f, path)) if format(f).is_some() && !path.is_empty() => OutputSpec {
                format: format(f).unwrap_or(default),
                file: file(path),
            },
            _ => match format(v) {
                Some(f) => OutputSpec {
                    format: f,
                    file: None,
                },
                None => OutputSpec {
                    format: default,
                    file: file(v),
                },
            },
        })
        .collect();
    if specs.is_empty() {
        specs.push(OutputSpec {
            format: default,
            file: None,
        });
    }
    if specs.iter().filter(|s| s.file.is_none()).count() > 1 {
        return Err("-o: only one output can go to standard output".into());
    }
    Ok(specs)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Exit with 1 when a finding has this level or a higher one
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Report only these rules (codes, code prefixes or names; comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Do not report these rules (codes, code prefixes or names)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Do not colour the output
    #[arg(long)]
    no_color: bool,
    /// Print only the summary line (human format)
    #[arg(long, short = 'q')]
    quiet: bool,
    /// SARIF automationDetails category (several uploads per commit need distinct ones)
    #[arg(long, value_name = "NAME", default_value = "resilint")]
    category: String,
    /// Report only findings not in this baseline file (see --write-baseline)
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file (then they are not reported) and exit 0
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Report only findings located (or with evidence) in files changed since this git revision
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Also show suppressed findings, with their reason, in the human and JSON output (SARIF
    /// always has them, with a suppression)
    #[arg(long)]
    show_suppressed: bool,
    /// Where to write: FILE (in --format), FORMAT (to standard output) or FORMAT=FILE;
    /// repeatable, so one run writes several formats (-o sarif=results.sarif -o human)
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    output: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    /// A table for reviewers.
    Table,
    /// The stable JSON contract (version 1).
    Json,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ExplainFormat::Table)]
    format: ExplainFormat,
    /// Write the output to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// A rule code or name: print its documentation
    code: Option<String>,
    /// List the knowledge-base figures that `[figures]` in resilint.toml can override
    #[arg(long, conflicts_with = "code")]
    figures: bool,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Directory to write resilint.toml to [default: .]
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Overwrite an existing file
    #[arg(long)]
    force: bool,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            if e.use_stderr() {
                // A consumer waiting for a document gets one that says what was wrong.
                let args: Vec<String> = std::env::args_os()
                    .skip(1)
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect();
                let rendered = e.render().to_string();
                let message = rendered
                    .lines()
                    .next()
                    .unwrap_or("invalid command line")
                    .trim_start_matches("error: ");
                write_failure(&raw_outputs(&args), message, None);
            }
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(a) => check(a),
        Command::Explain(a) => explain(a),
        Command::Rules(a) => rules(a),
        Command::Report(a) => report(a),
        Command::Runbook(a) => runbook(a),
        Command::Init(a) => init(a),
        Command::SelfCheck(a) => self_check(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// What `check` adds to a scan: a baseline, a git revision to compare with.
#[derive(Default)]
struct CheckScan {
    baseline: Option<Baseline>,
    changed_since: Option<String>,
}

/// The paths named on the command line besides the scanned ones: each is trusted as it is
/// ([`Tree::new`]).
fn named_paths(a: &ScanArgs) -> Vec<PathBuf> {
    let mut named = Vec::new();
    named.extend(a.config.iter().cloned());
    named.extend(a.rules_dirs.iter().cloned());
    named.extend(a.var_files.iter().cloned());
    named.extend(a.config_dir.iter().cloned());
    named.extend(a.parameter_files.iter().cloned());
    named.extend(source_maps(a).into_iter().flatten().map(|(_, dir)| dir));
    named
}

/// The `--source-map ADDRESS=DIR` pairs. The address is split at the last `=`: go-getter
/// addresses hold `=` only in their query (`?ref=v1`), which a source map leaves out.
fn source_maps(a: &ScanArgs) -> Result<Vec<(String, PathBuf)>, String> {
    a.source_maps
        .iter()
        .map(|m| match m.rsplit_once('=') {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
                Ok((from.trim().to_string(), PathBuf::from(to.trim())))
            }
            _ => Err(format!("--source-map {m}: expected ADDRESS=DIR")),
        })
        .collect()
}

/// Loads the config and knowledge base and runs the scan.
fn run_scan(a: &ScanArgs, extra: CheckScan) -> Result<Scan, String> {
    let tree = Tree::new(&a.paths, &named_paths(a));
    let mut config = Config::load(a.config.as_deref(), &a.paths, &tree)?;
    if let Some(r) = &a.region {
        if !crate::model::region::is_region_name(r) {
            return Err(format!(
                "--region {r}: not an AWS region name (like eu-west-1)"
            ));
        }
        config.region = Some(r.clone());
    }
    let kb = KnowledgeBase::for_config(&config, &a.rules_dirs, &tree)?;
    if let Some(w) = &a.workspace {
        config.workspace = Some(w.clone());
    }
    for f in &a.parameter_files {
        config.parameters.extend(parameters_file(f)?);
    }
    for p in &a.parameter_overrides {
        let pairs = crate::scan::samconfig::overrides(p);
        if pairs.is_empty() {
            return Err(format!(
                "--parameter-overrides {p}: expected KEY=VALUE pairs separated by spaces"
            ));
        }
        config.parameters.extend(pairs);
    }
    if let Some(env) = &a.config_env {
        config.sam_config_env = Some(env.clone());
    }
    for p in &a.parameters {
        match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                config
                    .parameters
                    .insert(k.trim().to_string(), v.to_string());
            }
            _ => return Err(format!("--parameter {p}: expected KEY=VALUE")),
        }
    }
    let mut vars = VarInputs {
        workspace: config.workspace.clone(),
        region: config.region.clone(),
        files: config.var_files.clone(),
        vars: config.variables.clone(),
        env: !a.no_tf_var_env,
    };
    vars.files.extend(a.var_files.iter().cloned());
    for v in &a.vars {
        match v.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                vars.vars.push((name.trim().to_string(), value.to_string()))
            }
            _ => return Err(format!("--var {v}: expected NAME=VALUE")),
        }
    }
    for f in &vars.files {
        match crate::tree::open_regular(f) {
            Ok(_) => {}
            Err(crate::tree::ReadError::NotFound) => {
                return Err(format!("variables file {} does not exist", f.display()));
            }
            Err(e) => return Err(format!("variables file {}: {e}", f.display())),
        }
    }
    let source_map = source_maps(a)?
        .into_iter()
        .map(|(from, to)| {
            let abs = std::env::current_dir().unwrap_or_default().join(&to);
            match abs.canonicalize() {
                Ok(d) if d.is_dir() => Ok((from, d)),
                _ => Err(format!(
                    "--source-map {from}={}: no such directory",
                    to.display()
                )),
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    scan::run(ScanOptions {
        source_map,
        vars,
        baseline: extra.baseline,
        changed_since: extra.changed_since,
        config_dir: a.config_dir.clone(),
        paths: a.paths.clone(),
        config,
        kb,
        strict: a.strict,
        jobs: a.jobs,
        now: chrono::Utc::now(),
        tree,
    })
}

/// The CloudFormation parameter values of a file: the CloudFormation CLI's JSON form
/// (`[{"ParameterKey": "Env", "ParameterValue": "prod"}]`), a template configuration
/// (`{"Parameters": {"Env": "prod"}}`), or `KEY=VALUE` lines (blank lines and `#` comments
/// skipped).
fn parameters_file(path: &Path) -> Result<Vec<(String, String)>, String> {
    let fail = |why: String| format!("--parameters {}: {why}", path.display());
    let text =
        crate::tree::read_regular_string(path, 4 * 1024 * 1024).map_err(|e| fail(e.to_string()))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| fail(format!("not JSON: {e}")))?;
        let as_text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Some(list) = v.as_array() {
            return list
                .iter()
                .map(
                    |p| match (p["ParameterKey"].as_str(), p.get("ParameterValue")) {
                        (Some(k), Some(v)) => Ok((k.to_string(), as_text(v))),
                        _ => Err(fail(
                            "each entry needs a ParameterKey and a ParameterValue".into(),
                        )),
                    },
                )
                .collect();
        }
        if let Some(map) = v["Parameters"].as_object() {
            return Ok(map.iter().map(|(k, v)| (k.clone(), as_text(v))).collect());
        }
        return Err(fail(
            "expected [{\"ParameterKey\": ..., \"ParameterValue\": ...}] or {\"Parameters\": {...}}"
                .into(),
        ));
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(fail(format!("`{l}` is not KEY=VALUE"))),
        })
        .collect()
}

/// One output: an emitter and where it goes (`None`: standard output).
struct Sink {
    emitter: &'static dyn Emitter,
    file: Option<PathBuf>,
    /// Whether a program reads it (every format but the human ones): such an output is written
    /// even when the run fails, as a valid document that says why.
    document: bool,
}

impl OutputSpec {
    fn sink(&self) -> Sink {
        Sink {
            emitter: self.format.emitter(),
            file: self.file.clone(),
            document: self.format != CheckFormat::Human,
        }
    }
}

impl ExplainFormat {
    fn sink(self, file: Option<PathBuf>) -> Sink {
        match self {
            ExplainFormat::Table => Sink {
                emitter: &ExplainTable,
                file,
                document: false,
            },
            ExplainFormat::Json => Sink {
                emitter: &ExplainJson,
                file,
                document: true,
            },
        }
    }
}

/// Writes a scan with an emitter to a file or standard output.
fn emit(
    emitter: &dyn Emitter,
    scan: &Scan,
    options: &ReportOptions,
    file: &Option<PathBuf>,
) -> Result<(), String> {
    let mut out = writer(file)?;
    emitter
        .emit(scan, options, &mut out)
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// After a run that could not scan (the message says why; it also goes to standard error):
/// every document output gets a valid document with the error as a notice, so that a consumer
/// (a SARIF upload, a script reading JSON) reads why rather than failing on empty input.
fn write_failure(sinks: &[Sink], message: &str, category: Option<&str>) {
    let scan = Scan::failed(message);
    let options = ReportOptions {
        category: category.map(str::to_string),
        reproducible: std::env::var_os("RESILINT_REPRODUCIBLE").is_some(),
        ..ReportOptions::default()
    };
    for sink in sinks.iter().filter(|s| s.document) {
        // Best effort: the error itself is reported on standard error either way.
        let _ = emit(sink.emitter, &scan, &options, &sink.file);
    }
}

/// The outputs a command line asks for, read without clap (which has just rejected it), so that
/// a command-line error still gives a document to whoever expects one: `check` with `--format`
/// / `-f` and `-o` / `--output`, `explain` with `--format json`.
fn raw_outputs(args: &[String]) -> Vec<Sink> {
    let mut formats: Vec<&str> = Vec::new();
    let mut files: Vec<&str> = Vec::new();
    let mut it = args.iter().map(String::as_str);
    let command = it.next();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => match arg.get(..2) {
                Some(short @ ("-f" | "-o")) if arg.len() > 2 => (short, arg.get(2..)),
                _ => (arg, None),
            },
        };
        let list = match name {
            "--format" | "-f" => &mut formats,
            "--output" | "-o" => &mut files,
            "--" => break,
            _ => continue,
        };
        if let Some(v) = inline.or_else(|| it.next()) {
            list.push(v);
        }
    }
    match command {
        Some("check") => {
            let default = formats
                .last()
                .and_then(|f| CheckFormat::from_str(f, true).ok())
                .unwrap_or(CheckFormat::Human);
            let values: Vec<String> = files.iter().map(|f| f.to_string()).collect();
            output_specs(&values, default)
                .map(|specs| specs.iter().map(OutputSpec::sink).collect())
                .unwrap_or_default()
        }
        Some("explain") => match formats.last().map(|f| ExplainFormat::from_str(f, true)) {
            Some(Ok(format)) => vec![format.sink(files.last().map(PathBuf::from))],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn writer(output: &Option<PathBuf>) -> Result<Box<dyn Write>, String> {
    Ok(match output {
        Some(p) => Box::new(BufWriter::new(crate::source::create_output_file(p)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Rules matching a selector: a code, a code prefix (`RES00`) or a name.
fn select_rules(selectors: &[String]) -> Result<Vec<&'static RuleMeta>, String> {
    let mut out = Vec::new();
    for s in selectors {
        let s = s.trim();
        let matched: Vec<&'static RuleMeta> = RULES
            .iter()
            .copied()
            .filter(|r| {
                r.name.eq_ignore_ascii_case(s)
                    || r.code
                        .to_ascii_uppercase()
                        .starts_with(&s.to_ascii_uppercase())
            })
            .collect();
        if matched.is_empty() || s.is_empty() {
            return Err(format!("unknown rule `{s}` (`resilint rules` lists them)"));
        }
        out.extend(matched);
    }
    Ok(out)
}

fn check(a: CheckArgs) -> Result<u8, String> {
    let outputs = output_specs(&a.output, a.format)?;
    match run_check(&a) {
        Ok(scan) => write_check(&a, &outputs, scan),
        Err(message) => {
            let sinks: Vec<Sink> = outputs.iter().map(OutputSpec::sink).collect();
            write_failure(&sinks, &message, Some(&a.category));
            Err(message)
        }
    }
}

/// Everything `check` does before writing: the rule selection, the baseline, the scan.
fn run_check(a: &CheckArgs) -> Result<Scan, String> {
    let selected = if a.select.is_empty() {
        None
    } else {
        Some(select_rules(&a.select)?)
    };
    let ignored = select_rules(&a.ignore)?;
    if a.write_baseline.is_some() && a.changed_since.is_some() {
        return Err(
            "--write-baseline records every finding: it cannot be combined with --changed-since"
                .into(),
        );
    }
    let baseline = match &a.baseline {
        Some(p) => Some(Baseline::read(p)?),
        None => None,
    };
    let mut scan = run_scan(
        &a.scan,
        CheckScan {
            baseline,
            changed_since: a.changed_since.clone(),
        },
    )?;
    if let Some(path) = &a.write_baseline {
        write_baseline(&mut scan, path)?;
    }
    scan.findings.retain(|f| {
        selected
            .as_ref()
            .is_none_or(|s| s.iter().any(|r| std::ptr::eq(*r, f.rule)))
            && !ignored.iter().any(|r| std::ptr::eq(*r, f.rule))
    });
    Ok(scan)
}

/// Writes a finished scan to every output and decides the exit code.
fn write_check(a: &CheckArgs, outputs: &[OutputSpec], scan: Scan) -> Result<u8, String> {
    let reproducible = std::env::var_os("RESILINT_REPRODUCIBLE").is_some();
    for spec in outputs {
        let color = spec.format == CheckFormat::Human
            && spec.file.is_none()
            && !a.no_color
            && std::env::var_os("NO_COLOR").is_none()
            && io::stdout().is_terminal();
        let options = ReportOptions {
            color,
            quiet: a.quiet,
            category: Some(a.category.clone()),
            reproducible,
            show_suppressed: a.show_suppressed,
        };
        emit(spec.format.emitter(), &scan, &options, &spec.file)?;
    }
    if scan.had_errors() {
        return Ok(EXIT_ERROR);
    }
    let threshold = match a.fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warning => Some(Level::Warning),
        FailOn::Note => Some(Level::Note),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|t| {
        scan.findings
            .iter()
            .any(|f| !f.is_suppressed() && f.level >= t)
    });
    Ok(if failing { EXIT_FINDINGS } else { EXIT_OK })
}

/// Records every finding that no inline suppression hides (baselined ones included, so that
/// rewriting a baseline keeps what is still there) and suppresses them for this run's output.
fn write_baseline(scan: &mut Scan, path: &Path) -> Result<(), String> {
    let (model, sources) = (&scan.model, &scan.sources);
    let baseline = Baseline::record(&mut scan.findings, path, |f| {
        let file = sources
            .get(f.span.file)
            .map(|s| s.rel_path.clone())
            .unwrap_or_default();
        (file, crate::report::fingerprint_of(model, sources, f))
    });
    baseline.write(path)?;
    eprintln!(
        "Wrote a baseline of {} findings to {}.",
        baseline.findings.len(),
        path.display()
    );
    Ok(())
}

fn explain(a: ExplainArgs) -> Result<u8, String> {
    let sink = a.format.sink(a.output.clone());
    let scan = run_scan(&a.scan, CheckScan::default()).inspect_err(|message| {
        write_failure(std::slice::from_ref(&sink), message, None);
    })?;
    emit(sink.emitter, &scan, &ReportOptions::default(), &sink.file)?;
    Ok(if scan.had_errors() {
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}

/// Writes text to a file or standard output.
fn write_text(file: &Option<PathBuf>, text: &str) -> Result<(), String> {
    let mut out = writer(file)?;
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// A report's title: `--title`, else the name of the first scanned path.
fn title(given: &Option<String>, paths: &[PathBuf]) -> String {
    match (given, paths.first()) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => crate::report::statement::title_of(p),
        (None, None) => crate::report::statement::title_of(Path::new(".")),
    }
}

fn report(a: ReportArgs) -> Result<u8, String> {
    use crate::report::statement;
    if a.sarif {
        if a.compare.is_some() {
            return Err(
                "--compare compares statements of one scan; it cannot be combined with --sarif"
                    .into(),
            );
        }
        let fleet = crate::report::fleet::read(&a.scan.paths)?;
        let text = match a.format {
            ReportFormat::Html => crate::report::fleet::html::render(&fleet),
            ReportFormat::Markdown => crate::report::fleet::markdown::render(&fleet),
            ReportFormat::Json => crate::report::fleet::json(&fleet),
        };
        write_text(&a.output, &text)?;
        return Ok(if fleet.unreadable.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERROR
        });
    }
    let previous = match &a.compare {
        Some(p) => {
            let text = crate::tree::read_regular_string(p, 64 * 1024 * 1024)
                .map_err(|e| format!("--compare {}: {e}", p.display()))?;
            Some(
                statement::json::parse(&text)
                    .map_err(|e| format!("--compare {}: {e}", p.display()))?,
            )
        }
        None => None,
    };
    let scan = run_scan(&a.scan, CheckScan::default())?;
    let options = ReportOptions {
        reproducible: std::env::var_os("RESILINT_REPRODUCIBLE").is_some(),
        ..ReportOptions::default()
    };
    let mut st = statement::build(&scan, &options);
    st.title = title(&a.title, &a.scan.paths);
    if let Some(prev) = &previous {
        st.changes = Some(statement::compare::compare(prev, &st));
    }
    let text = match a.format {
        ReportFormat::Html => statement::html::render(&st),
        ReportFormat::Markdown => statement::markdown::render(&st),
        ReportFormat::Json => statement::json::render(&st),
    };
    write_text(&a.output, &text)?;
    Ok(if scan.had_errors() {
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}

fn runbook(a: RunbookArgs) -> Result<u8, String> {
    let scan = run_scan(&a.scan, CheckScan::default())?;
    let text = crate::report::runbook::render(&scan, &title(&a.title, &a.scan.paths));
    write_text(&a.output, &text)?;
    Ok(if scan.had_errors() {
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}

fn rules(a: RulesArgs) -> Result<u8, String> {
    let mut out = io::stdout().lock();
    let write = |out: &mut io::StdoutLock<'_>, s: String| {
        out.write_all(s.as_bytes()).map_err(|e| e.to_string())
    };
    if a.figures {
        let kb = KnowledgeBase::builtin().map_err(|e| e.to_string())?;
        let mut s = String::from("Figures that `[figures]` in resilint.toml can override:\n");
        for id in kb.figure_ids() {
            s.push_str(&format!("  {id}\n"));
        }
        return write(&mut out, s).map(|_| EXIT_OK);
    }
    match a.code {
        Some(code) => match crate::evaluate::rule(&code) {
            Some(r) => write(&mut out, format!("{}\n", r.doc.trim_end())).map(|_| EXIT_OK),
            None => Err(format!(
                "unknown rule `{code}` (`resilint rules` lists them)"
            )),
        },
        None => {
            let mut s = String::new();
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in RULES {
                let level = match r.level {
                    crate::evaluate::LevelSpec::Fixed(l) => l.as_str(),
                    crate::evaluate::LevelSpec::Tier => "tier",
                };
                s.push_str(&format!(
                    "{}  {:<width$} {:<8} {}\n",
                    r.code, r.name, level, r.summary
                ));
            }
            s.push_str("\n`tier`: the level configured for the resource's tier (error, warning, note by default).\nRun `resilint rules CODE` for a rule's documentation.\n");
            write(&mut out, s).map(|_| EXIT_OK)
        }
    }
}

fn self_check(a: SelfCheckArgs) -> Result<u8, String> {
    let result = crate::self_check::run(&crate::self_check::SelfCheckOptions {
        config: a.config,
        start: a.path.unwrap_or_default(),
        rules_dirs: a.rules_dirs,
    });
    let text = match a.format {
        SelfCheckFormat::Text => result.text(),
        SelfCheckFormat::Json => format!("{:#}\n", result.json()),
    };
    write_text(&None, &text)?;
    Ok(if result.passed() { EXIT_OK } else { EXIT_ERROR })
}

fn init(a: InitArgs) -> Result<u8, String> {
    let dir = a.dir.unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(config::FILE_NAME);
    if path.exists() && !a.force {
        return Err(format!(
            "{} already exists (use --force to overwrite it)",
            path.display()
        ));
    }
    std::fs::write(&path, config::init_template())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("Wrote {}", path.display());
    Ok(EXIT_OK)
}
