//! The GitHub Action (`action.yml`), run as far as it can be without GitHub.
//!
//! The steps are read from `action.yml` itself and run in order as the runner runs them: each
//! `run:` script with `bash --noprofile --norc -eo pipefail`, its `env:` and `if:` expressions
//! evaluated against simulated `inputs`, `github`, `runner` and `steps` contexts, and fresh
//! `GITHUB_OUTPUT` files read back into `steps.<id>.outputs`. `uses:` steps are recorded with
//! their evaluated `with:` (the cache step answers with a simulated hit or miss), not run. A stub
//! `cargo` stands in for the build: it checks that it was pointed at a crate and installs the
//! test binary. Release downloads go to a small HTTP server the test runs on 127.0.0.1 (serving
//! a directory laid out like GitHub's `releases/download/<tag>/`), named by GITHUB_SERVER_URL.
//! What GitHub itself does (the upload, the cache service, annotations on the diff)
//! is outside the test; the SARIF the upload would get is validated in tests/sarif.rs.
//!
//! The linters (check-jsonschema with the GitHub Actions and workflow schemas, zizmor, shellcheck,
//! `pre-commit validate-config`) check `action.yml` and the README's CI examples. They are
//! skipped when not installed, unless `RESILINT_REQUIRE_TOOLS=1` (CI).

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::{copy_dir, external, find_tool, git, lint, repo_path, run_json};
use saphyr::{LoadableYamlNode, Yaml};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// action.yml as data

/// `action.yml`, as JSON.
fn action() -> Value {
    common::yaml::load(&repo_path("action.yml"))
}

// ---------------------------------------------------------------------------------------------
// Expressions: the subset of GitHub's expression language that action.yml uses (context
// lookups, string literals, ==, !=, &&, ||, !, parentheses, always(), success(), failure()).

/// A value as GitHub turns it into a string (null is empty).
fn to_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        _ => true,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Ident(String),
    Op(&'static str),
}

fn tokenize(expr: &str) -> Vec<Token> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                assert!(i < chars.len(), "unterminated string in {expr:?}");
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Str(s));
        } else if let Some(op) = ["==", "!=", "&&", "||", "!", "(", ")"]
            .into_iter()
            .find(|op| chars[i..].iter().collect::<String>().starts_with(op))
        {
            out.push(Token::Op(op));
            i += op.len();
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || "_.-".contains(chars[i])) {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            panic!("unsupported character {c:?} in expression {expr:?}");
        }
    }
    out
}

/// Evaluates expressions against the contexts and the job's status.
struct Evaluator<'a> {
    contexts: &'a Value,
    failed: bool,
}

impl Evaluator<'_> {
    fn eval(&self, expr: &str) -> Value {
        let tokens = tokenize(expr);
        let mut pos = 0;
        let v = self.or(&tokens, &mut pos);
        assert_eq!(pos, tokens.len(), "trailing tokens in {expr:?}");
        v
    }

    fn or(&self, t: &[Token], pos: &mut usize) -> Value {
        let mut v = self.and(t, pos);
        while t.get(*pos) == Some(&Token::Op("||")) {
            *pos += 1;
            let rhs = self.and(t, pos);
            v = if truthy(&v) { v } else { rhs };
        }
        v
    }

    fn and(&self, t: &[Token], pos: &mut usize) -> Value {
        let mut v = self.comparison(t, pos);
        while t.get(*pos) == Some(&Token::Op("&&")) {
            *pos += 1;
            let rhs = self.comparison(t, pos);
            v = if truthy(&v) { rhs } else { v };
        }
        v
    }

    fn comparison(&self, t: &[Token], pos: &mut usize) -> Value {
        let lhs = self.unary(t, pos);
        match t.get(*pos) {
            Some(Token::Op(op @ ("==" | "!="))) => {
                *pos += 1;
                let rhs = self.unary(t, pos);
                // GitHub compares strings case-insensitively; null equals ''.
                let equal = to_text(&lhs).to_lowercase() == to_text(&rhs).to_lowercase();
                Value::Bool(equal == (*op == "=="))
            }
            _ => lhs,
        }
    }

    fn unary(&self, t: &[Token], pos: &mut usize) -> Value {
        match t.get(*pos) {
            Some(Token::Op("!")) => {
                *pos += 1;
                Value::Bool(!truthy(&self.unary(t, pos)))
            }
            Some(Token::Op("(")) => {
                *pos += 1;
                let v = self.or(t, pos);
                assert_eq!(t.get(*pos), Some(&Token::Op(")")));
                *pos += 1;
                v
            }
            Some(Token::Str(s)) => {
                *pos += 1;
                Value::String(s.clone())
            }
            Some(Token::Ident(name)) => {
                *pos += 1;
                if t.get(*pos) == Some(&Token::Op("(")) {
                    assert_eq!(t.get(*pos + 1), Some(&Token::Op(")")), "{name}() arguments");
                    *pos += 2;
                    return match name.as_str() {
                        "always" => Value::Bool(true),
                        "success" => Value::Bool(!self.failed),
                        "failure" => Value::Bool(self.failed),
                        other => panic!("unsupported function {other}()"),
                    };
                }
                match name.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    path => path
                        .split('.')
                        .fold(self.contexts, |v, key| v.get(key).unwrap_or(&Value::Null))
                        .clone(),
                }
            }
            other => panic!("unexpected token {other:?}"),
        }
    }

    /// A string with its `${{ }}` expressions replaced by their values.
    fn interpolate(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            out.push_str(&to_text(&self.eval(&rest[start + 3..end])));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// A step's `if:`: without a status function, GitHub adds `success() &&`.
    fn condition(&self, cond: Option<&str>) -> bool {
        let Some(cond) = cond else {
            return !self.failed;
        };
        let cond = cond.trim();
        let cond = cond
            .strip_prefix("${{")
            .and_then(|c| c.strip_suffix("}}"))
            .unwrap_or(cond);
        let status = ["always()", "success()", "failure()"]
            .iter()
            .any(|f| cond.contains(f));
        truthy(&self.eval(cond)) && (status || !self.failed)
    }
}

// ---------------------------------------------------------------------------------------------
// The simulated runner

/// What a test sets up: the workspace, the inputs and the event.
struct Runner {
    workspace: PathBuf,
    runner_temp: PathBuf,
    inputs: BTreeMap<&'static str, String>,
    event_name: &'static str,
    event: Value,
    action_repository: String,
    /// `github.action_ref`: the ref in `uses: owner/repo@REF` (empty for a local action).
    action_ref: String,
    /// Environment variables GitHub sets that a test changes (GITHUB_SERVER_URL).
    env: Vec<(&'static str, String)>,
    cache_hit: bool,
    /// A directory that replaces the system `PATH` for the steps (the stub cargo stays first).
    programs: Option<PathBuf>,
}

/// One step as it ran (or did not).
#[derive(Debug)]
struct StepRun {
    name: String,
    ran: bool,
    code: Option<i32>,
    uses: Option<String>,
    with: BTreeMap<String, String>,
    stdout: String,
    stderr: String,
}

/// The whole action's run.
struct ActionRun {
    steps: Vec<StepRun>,
    outputs: BTreeMap<String, String>,
    summary: String,
    cargo_calls: Vec<String>,
    failed: bool,
}

impl ActionRun {
    fn step(&self, name: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no step {name:?} in {:?}", self.steps))
    }

    fn output(&self, name: &str) -> &str {
        self.outputs.get(name).map_or("", String::as_str)
    }

    /// Everything the steps printed, as the job log shows it.
    fn log(&self) -> String {
        self.steps
            .iter()
            .map(|s| format!("{}{}", s.stdout, s.stderr))
            .collect()
    }
}

const CARGO_STUB: &str = r#"#!/usr/bin/env bash
# Stands in for `cargo install`: records the call, checks the source and installs the test binary.
set -euo pipefail
printf '%s\n' "$*" >> "$CARGO_LOG"
root=""; src=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift ;;
    --path) src="$2"; shift ;;
  esac
  shift
done
[ -f "$src/Cargo.toml" ] || { echo "cargo stub: no Cargo.toml in '$src'" >&2; exit 101; }
mkdir -p "$root/bin"
cp "$RESILINT_BIN" "$root/bin/resilint"
"#;

/// Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks.
fn parse_outputs(text: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            out.insert(name.to_string(), Value::String(value.join("\n")));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), Value::String(value.to_string()));
        }
    }
    out
}

impl Runner {
    fn new(workspace: &Path, runner_temp: &Path) -> Runner {
        Runner {
            workspace: workspace.to_path_buf(),
            runner_temp: runner_temp.to_path_buf(),
            inputs: BTreeMap::new(),
            event_name: "pull_request",
            event: json!({}),
            action_repository: "resilint/resilint".to_string(),
            action_ref: String::new(),
            env: Vec::new(),
            cache_hit: false,
            programs: None,
        }
    }

    fn input(mut self, name: &'static str, value: &str) -> Runner {
        self.inputs.insert(name, value.to_string());
        self
    }

    fn run(&self) -> ActionRun {
        let action = action();
        let mut inputs = Map::new();
        for (name, spec) in action["inputs"].as_object().expect("inputs") {
            inputs.insert(name.clone(), Value::String(to_text(&spec["default"])));
        }
        for (name, value) in &self.inputs {
            assert!(inputs.contains_key(*name), "action.yml has no input {name}");
            inputs.insert(name.to_string(), Value::String(value.clone()));
        }
        let root = repo_path("");
        let action_path = root.to_string_lossy().trim_end_matches('/').to_string();
        let mut contexts = json!({
            "inputs": inputs,
            "github": {
                "action_path": action_path,
                "action_repository": self.action_repository,
                "action_ref": self.action_ref,
                "event_name": self.event_name,
                "event": self.event,
                "workspace": self.workspace,
            },
            "runner": {"os": "Linux", "arch": "X64", "temp": self.runner_temp},
            "steps": {},
        });

        let files = tempfile::tempdir().expect("tempdir");
        let stub_dir = files.path().join("stub");
        std::fs::create_dir_all(&stub_dir).unwrap();
        let cargo = stub_dir.join("cargo");
        std::fs::write(&cargo, CARGO_STUB).unwrap();
        make_executable(&cargo);
        let cargo_log = files.path().join("cargo.log");
        let summary = files.path().join("step-summary.md");
        std::fs::write(&summary, "").unwrap();
        let system_path = match &self.programs {
            Some(dir) => dir.display().to_string(),
            None => std::env::var("PATH").unwrap_or_default(),
        };
        let path = format!("{}:{system_path}", stub_dir.display());

        let mut failed = false;
        let mut steps = Vec::new();
        for (i, step) in action["runs"]["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .enumerate()
        {
            let eval = Evaluator {
                contexts: &contexts,
                failed,
            };
            let name = to_text(&step["name"]);
            let mut record = StepRun {
                name: name.clone(),
                ran: eval.condition(step["if"].as_str()),
                code: None,
                uses: step["uses"].as_str().map(str::to_string),
                with: BTreeMap::new(),
                stdout: String::new(),
                stderr: String::new(),
            };
            if !record.ran {
                steps.push(record);
                continue;
            }
            let mut outputs = Map::new();
            if let Some(uses) = &record.uses {
                for (k, v) in step["with"].as_object().into_iter().flatten() {
                    record.with.insert(k.clone(), eval.interpolate(&to_text(v)));
                }
                if uses.starts_with("actions/cache@") {
                    outputs.insert("cache-hit".into(), json!(self.cache_hit.to_string()));
                }
            } else {
                let script = step["run"].as_str().expect("a step runs or uses");
                assert_eq!(step["shell"], "bash", "{name}: shell");
                let script_path = files.path().join(format!("step-{i}.sh"));
                std::fs::write(&script_path, script).unwrap();
                let output_file = files.path().join(format!("output-{i}"));
                std::fs::write(&output_file, "").unwrap();
                let mut cmd = external("bash", &self.workspace);
                // A test run inside GitHub Actions must not see the real job's files.
                for (var, _) in std::env::vars() {
                    if var.starts_with("GITHUB_") || var.starts_with("RUNNER_") {
                        cmd.env_remove(var);
                    }
                }
                cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
                    .arg(&script_path)
                    .env("PATH", &path)
                    .env("CARGO_LOG", &cargo_log)
                    .env("RESILINT_BIN", env!("CARGO_BIN_EXE_resilint"))
                    .env("GITHUB_ACTIONS", "true")
                    .env("GITHUB_WORKSPACE", &self.workspace)
                    .env("GITHUB_ACTION_PATH", &action_path)
                    .env("GITHUB_EVENT_NAME", self.event_name)
                    .env("GITHUB_OUTPUT", &output_file)
                    .env("GITHUB_STEP_SUMMARY", &summary)
                    .env("GITHUB_ENV", files.path().join("env"))
                    .env("GITHUB_PATH", files.path().join("path"))
                    .env("RUNNER_TEMP", &self.runner_temp)
                    .env("RUNNER_OS", "Linux")
                    .env("RUNNER_ARCH", "X64")
                    // Downloads go to the test's own server on 127.0.0.1, never to a proxy.
                    .env("NO_PROXY", "127.0.0.1,localhost")
                    .env("no_proxy", "127.0.0.1,localhost");
                for (k, v) in &self.env {
                    cmd.env(k, v);
                }
                for (k, v) in step["env"].as_object().into_iter().flatten() {
                    cmd.env(k, eval.interpolate(&to_text(v)));
                }
                let out = cmd.output().expect("bash runs");
                record.code = out.status.code();
                record.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                record.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                outputs = parse_outputs(&std::fs::read_to_string(&output_file).unwrap());
                failed |= record.code != Some(0);
            }
            if let Some(id) = step["id"].as_str() {
                contexts["steps"][id] = json!({ "outputs": outputs });
            }
            steps.push(record);
        }

        let eval = Evaluator {
            contexts: &contexts,
            failed,
        };
        let outputs = action["outputs"]
            .as_object()
            .expect("outputs")
            .iter()
            .map(|(name, spec)| (name.clone(), eval.interpolate(&to_text(&spec["value"]))))
            .collect();
        ActionRun {
            steps,
            outputs,
            summary: std::fs::read_to_string(&summary).unwrap(),
            cargo_calls: std::fs::read_to_string(&cargo_log)
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect(),
            failed,
        }
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

/// A workspace holding a copy of testdata/examples, and a runner temp directory.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("workspace");
    copy_dir(&repo_path("testdata/examples"), &ws);
    let temp = dir.path().join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    (dir, ws, temp)
}

/// The number of findings `resilint check` reports for these arguments (errors, warnings and
/// notes; suppressed ones not counted).
fn expected_findings(args: &[&str]) -> u64 {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (v, _) = run_json(&all);
    let counts = &v["summary"]["counts"];
    ["error", "warning", "note"]
        .iter()
        .map(|l| counts[l].as_u64().expect("count"))
        .sum()
}

fn read_sarif(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    serde_json::from_str(&text).expect("SARIF is JSON")
}

/// The SARIF run's `automationDetails.id` is `<category>/<run>`.
fn assert_category(sarif: &Value, category: &str) {
    let details = &sarif["runs"][0]["automationDetails"];
    let id = details["id"].as_str().unwrap_or("");
    assert!(id.starts_with(&format!("{category}/")), "{details}");
}

/// The annotations (workflow commands with a file) a log holds, by command.
fn annotations<'a>(log: &'a str, command: &str) -> Vec<&'a str> {
    let prefix = format!("::{command} file=");
    log.lines().filter(|l| l.starts_with(&prefix)).collect()
}

// ---------------------------------------------------------------------------------------------
// Releases: an HTTP server standing in for github.com's release downloads

/// Serves the files under `root` over HTTP on 127.0.0.1: `GET /a/b` answers `root/a/b` with 200,
/// or 404 when there is no such file. A file `x.status` beside `x` holding a status line
/// (`500 Internal Server Error`) answers that instead. Every request's path is recorded.
struct Server {
    root: PathBuf,
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        std::fs::create_dir_all(root).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (log, dir) = (Arc::clone(&requests), root.to_path_buf());
        // The thread ends with the test process; each connection is answered and closed.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Ok(read_half) = stream.try_clone() else {
                    continue;
                };
                let mut reader = BufReader::new(read_half);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                // The headers, up to the blank line: read so that the client sees a reply to a
                // whole request.
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(n) if n > 0 && header.trim_end() != "" => {}
                        _ => break,
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                log.lock().unwrap().push(path.clone());
                let file = dir.join(path.trim_start_matches('/'));
                let status_file = PathBuf::from(format!("{}.status", file.display()));
                let (status, body) = if path.contains("..") {
                    ("404 Not Found".to_string(), b"not found".to_vec())
                } else if let Ok(status) = std::fs::read_to_string(&status_file) {
                    (status.trim().to_string(), b"error".to_vec())
                } else {
                    match std::fs::read(&file) {
                        Ok(body) if file.is_file() => ("200 OK".to_string(), body),
                        _ => ("404 Not Found".to_string(), b"not found".to_vec()),
                    }
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        Server {
            root: root.to_path_buf(),
            url,
            requests,
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// resilint's version, as the release's tag and archive names carry it.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The archive the action downloads on the simulated runner (Linux X64).
fn linux_archive(version: &str) -> String {
    format!("resilint-{version}-x86_64-unknown-linux-musl.tar.gz")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(bytes))
}

/// Publishes a release of `repo` on the server as the release workflow lays it out: the Linux
/// x86_64 archive (`resilint-<version>-<target>/` holding the test binary and README.md) and
/// SHA256SUMS listing it, with another target's line first. Returns the release's directory.
fn publish_release(server: &Server, repo: &str, tag: &str) -> PathBuf {
    let version = tag.trim_start_matches('v');
    let dir = server.root.join(repo).join("releases/download").join(tag);
    let name = format!("resilint-{version}-x86_64-unknown-linux-musl");
    let staging = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(staging.path().join(&name)).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_resilint"),
        staging.path().join(&name).join("resilint"),
    )
    .unwrap();
    std::fs::copy(
        repo_path("README.md"),
        staging.path().join(&name).join("README.md"),
    )
    .unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let archive = dir.join(linux_archive(version));
    let out = external("tar", staging.path())
        .args(["-czf", archive.to_str().unwrap(), &name])
        .output()
        .expect("tar runs");
    assert!(out.status.success(), "{out:?}");
    let sum = sha256_hex(&std::fs::read(&archive).unwrap());
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!(
            "{}  resilint-{version}-aarch64-apple-darwin.tar.gz\n{sum}  {}\n",
            "0".repeat(64),
            linux_archive(version)
        ),
    )
    .unwrap();
    dir
}

/// A runner for the action used as `acme/resilint@<action_ref>`, downloading from `server`.
fn release_runner(ws: &Path, temp: &Path, server: &Server, action_ref: &str) -> Runner {
    let mut runner = Runner::new(ws, temp);
    runner.action_repository = "acme/resilint".into();
    runner.action_ref = action_ref.into();
    runner.env.push(("GITHUB_SERVER_URL", server.url.clone()));
    runner
}

// ---------------------------------------------------------------------------------------------
// The action's behaviour

#[test]
fn a_pull_request_with_the_defaults() {
    let (_dir, ws, temp) = workspace();
    let run = Runner::new(&ws, &temp).run();
    let expected = expected_findings(&[ws.to_str().unwrap()]);
    assert!(expected > 0);

    // The build: cargo install of the action's own source into the runner's temp directory.
    let key_step = run.step("Cache key");
    assert_eq!(key_step.code, Some(0), "{key_step:?}");
    assert_eq!(run.cargo_calls.len(), 1, "{:?}", run.cargo_calls);
    let call = &run.cargo_calls[0];
    assert!(
        call.starts_with("install --locked --force --path "),
        "{call}"
    );
    assert!(
        call.contains(&format!("--root {}/resilint", temp.display())),
        "{call}"
    );
    let cache = run.step("Cache resilint");
    assert!(cache.ran);
    assert!(
        cache.with["key"].starts_with("resilint-Linux-X64-"),
        "{:?}",
        cache.with
    );
    assert!(cache.with["key"].contains("-src-"), "{:?}", cache.with);
    assert!(
        cache.with["path"].contains(&format!("{}/resilint/bin", temp.display())),
        "{:?}",
        cache.with
    );

    // The check: outputs, annotations, the readable report folded, the job summary.
    let check = run.step("Run resilint");
    assert_eq!(check.code, Some(0), "the step itself succeeds: {check:?}");
    assert_eq!(run.output("exit-code"), "1");
    assert_eq!(run.output("findings"), expected.to_string());
    assert_eq!(run.output("sarif-file"), "resilint.sarif");
    let sarif = read_sarif(&ws.join("resilint.sarif"));
    let unsuppressed = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert_eq!(unsuppressed as u64, expected);
    assert_category(&sarif, "resilint");
    let errors = annotations(&check.stdout, "error");
    let warnings = annotations(&check.stdout, "warning");
    assert!(
        !errors.is_empty() && !warnings.is_empty(),
        "{}",
        check.stdout
    );
    assert!(errors.len() <= 10 && warnings.len() <= 10);
    assert!(
        errors[0].contains("title=RES0"),
        "annotations are titled by rule: {}",
        errors[0]
    );
    assert!(
        check.stdout.contains("::group::resilint report\n"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("::endgroup::"));
    assert!(
        check.stdout.contains("help:"),
        "the readable report is in the log"
    );
    assert!(run.summary.contains("resilint"), "{}", run.summary);
    assert!(
        run.summary.contains("| "),
        "the summary has tables: {}",
        run.summary
    );

    // The upload gets the SARIF file and the category; the last step fails the job.
    let upload = run.step("Upload SARIF to code scanning");
    assert!(upload.ran);
    assert!(
        upload
            .uses
            .as_deref()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@")),
        "{upload:?}"
    );
    assert_eq!(upload.with["sarif_file"], "resilint.sarif");
    assert_eq!(upload.with["category"], "resilint");
    let result = run.step("Result");
    assert_eq!(result.code, Some(1), "{result:?}");
    assert!(run.failed);

    // A second run restored from the cache builds nothing.
    let mut again = Runner::new(&ws, &temp);
    again.cache_hit = true;
    let run = again.run();
    assert!(run.cargo_calls.is_empty(), "{:?}", run.cargo_calls);
    assert!(
        run.step("Install resilint")
            .stdout
            .contains("restored from the cache")
    );
    assert_eq!(run.output("findings"), expected.to_string());
}

#[test]
fn without_annotations_upload_or_failure() {
    let (_dir, ws, temp) = workspace();
    let run = Runner::new(&ws, &temp)
        .input("annotations", "false")
        .input("upload-sarif", "false")
        .input("fail-on", "never")
        .input("category", "infra/resilience")
        .input("sarif-file", "reports/scan.sarif")
        .input("path", "terraform\ncloudformation")
        .run();
    let log = run.log();
    assert_eq!(run.output("exit-code"), "0", "{log}");
    assert!(annotations(&log, "error").is_empty(), "{log}");
    assert!(annotations(&log, "warning").is_empty(), "{log}");
    assert!(
        log.contains("error[RES"),
        "the readable report instead: {log}"
    );
    assert!(!log.contains("::group::"));
    assert_eq!(run.output("sarif-file"), "reports/scan.sarif");
    let sarif = read_sarif(&ws.join("reports/scan.sarif"));
    assert_category(&sarif, "infra/resilience");
    let expected = expected_findings(&[
        ws.join("terraform").to_str().unwrap(),
        ws.join("cloudformation").to_str().unwrap(),
    ]);
    assert_eq!(run.output("findings"), expected.to_string());
    assert!(!run.step("Upload SARIF to code scanning").ran);
    assert_eq!(run.step("Result").code, Some(0));
    assert!(!run.failed);
}

#[test]
fn only_changed_on_pull_requests_and_pushes() {
    let (_dir, ws, temp) = workspace();
    git(&ws, &["init", "--quiet"]);
    git(&ws, &["add", "--all"]);
    git(&ws, &["commit", "--quiet", "-m", "base"]);
    let base = git(&ws, &["rev-parse", "HEAD"]);
    // The change under review: the Terraform backup plan (its findings are on the databases it
    // covers, related to the plan).
    let backup = ws.join("terraform/backup.tf");
    let text = std::fs::read_to_string(&backup).unwrap();
    std::fs::write(&backup, format!("{text}\n# reviewed\n")).unwrap();

    let everything = expected_findings(&[ws.to_str().unwrap()]);
    let changed = expected_findings(&[ws.to_str().unwrap(), "--changed-since", &base]);
    assert!(
        changed > 0 && changed < everything,
        "{changed} of {everything}"
    );

    let mut pr = Runner::new(&ws, &temp).input("only-changed", "true");
    pr.event = json!({"pull_request": {"base": {"sha": base}}});
    let run = pr.run();
    assert_eq!(run.output("findings"), changed.to_string(), "{}", run.log());
    assert!(
        run.step("Run resilint")
            .stdout
            .contains(&format!("--changed-since {base}"))
    );

    let mut push = Runner::new(&ws, &temp).input("only-changed", "true");
    push.event_name = "push";
    push.event = json!({ "before": base });
    assert_eq!(push.run().output("findings"), changed.to_string());

    // A push that creates a branch has no base: everything, with a notice.
    push.event = json!({"before": "0000000000000000000000000000000000000000"});
    let run = push.run();
    assert_eq!(run.output("findings"), everything.to_string());
    assert!(
        run.log()
            .contains("::notice title=resilint::only-changed applies"),
        "{}",
        run.log()
    );

    // A base the checkout lacks and cannot fetch: resilint's clear error, exit code 2, no upload.
    let mut missing = Runner::new(&ws, &temp).input("only-changed", "true");
    missing.event =
        json!({"pull_request": {"base": {"sha": "1234567890abcdef1234567890abcdef12345678"}}});
    let run = missing.run();
    assert_eq!(run.output("exit-code"), "2", "{}", run.log());
    assert!(
        run.log()
            .contains("::warning title=resilint::only-changed: could not fetch")
    );
    assert!(!run.step("Upload SARIF to code scanning").ran);
    assert_eq!(run.step("Result").code, Some(2));
}

#[test]
fn a_baseline_leaves_only_new_findings() {
    let (_dir, ws, temp) = workspace();
    let out = common::resilint()
        .current_dir(&ws)
        .args(["check", "--write-baseline", "resilint-baseline.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let run = Runner::new(&ws, &temp)
        .input("baseline", "resilint-baseline.json")
        .run();
    assert_eq!(run.output("findings"), "0", "{}", run.log());
    assert_eq!(run.output("exit-code"), "0");
    assert!(annotations(&run.log(), "error").is_empty());
    // Baselined findings stay in the SARIF, suppressed (kind external), for code scanning.
    let sarif = read_sarif(&ws.join("resilint.sarif"));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert!(
        results
            .iter()
            .all(|r| r["suppressions"][0]["kind"] == "external"),
        "{results:?}"
    );
    assert_eq!(run.step("Result").code, Some(0));
}

/// The programs the action's scripts and the stub cargo run, and nothing else: no jq, no
/// python3, and no rustc (the cache key says `none` instead of the toolchain).
const SCRIPT_PROGRAMS: &[&str] = &[
    "bash",
    "cat",
    "cp",
    "cut",
    "find",
    "git",
    "mkdir",
    "mktemp",
    "rm",
    "sed",
    "sha256sum",
    "sort",
    "tr",
];

/// A directory of links to `SCRIPT_PROGRAMS`, found on this machine's PATH.
#[cfg(unix)]
fn only_script_programs(dir: &Path) -> PathBuf {
    let bin = dir.join("only-script-programs");
    std::fs::create_dir_all(&bin).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    for program in SCRIPT_PROGRAMS {
        let found = std::env::split_paths(&path)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{program} is not on PATH"));
        std::os::unix::fs::symlink(found, bin.join(program)).unwrap();
    }
    bin
}

#[cfg(unix)]
#[test]
fn findings_are_counted_without_jq_python_or_rustc() {
    let (dir, ws, temp) = workspace();
    let mut runner = Runner::new(&ws, &temp);
    runner.programs = Some(only_script_programs(dir.path()));
    let run = runner.run();
    for step in ["Cache key", "Install resilint", "Run resilint"] {
        assert_eq!(run.step(step).code, Some(0), "{:?}", run.step(step));
    }
    let expected = expected_findings(&[ws.to_str().unwrap()]);
    assert!(expected > 0);
    assert_eq!(
        run.output("findings"),
        expected.to_string(),
        "{}",
        run.log()
    );
    assert_eq!(run.output("exit-code"), "1");
    assert_eq!(run.output("sarif-file"), "resilint.sarif");
    assert!(run.step("Upload SARIF to code scanning").ran);
    assert_eq!(run.step("Result").code, Some(1));

    // Nothing to report: 0, not empty.
    let mut clean = Runner::new(&ws, &temp).input("path", "terraform/backup.tf");
    clean.programs = runner.programs.clone();
    let run = clean.run();
    assert_eq!(
        expected_findings(&[ws.join("terraform/backup.tf").to_str().unwrap()]),
        0
    );
    assert_eq!(run.output("findings"), "0", "{}", run.log());
    assert_eq!(run.output("exit-code"), "0");
}

#[test]
fn a_configuration_error_fails_without_an_upload() {
    let (_dir, ws, temp) = workspace();
    let run = Runner::new(&ws, &temp)
        .input("config", "missing.toml")
        .run();
    assert_eq!(run.output("exit-code"), "2");
    assert_eq!(run.output("sarif-file"), "", "no SARIF to upload");
    // The SARIF says why, and is not uploaded: no results would close every open alert.
    let sarif = std::fs::read_to_string(ws.join("resilint.sarif")).expect("a SARIF document");
    assert!(sarif.contains("\"id\": \"run-failed\""), "{sarif}");
    assert!(sarif.contains("missing.toml"), "{sarif}");
    assert!(!run.step("Upload SARIF to code scanning").ran);
    let result = run.step("Result");
    assert_eq!(result.code, Some(2));
    assert!(
        result.stdout.contains("::error title=resilint::"),
        "{result:?}"
    );
    assert!(
        run.log().contains("missing.toml"),
        "the cause is in the log"
    );
}

#[test]
fn inputs_are_never_shell_code() {
    let (_dir, ws, temp) = workspace();
    let run = Runner::new(&ws, &temp)
        .input("path", "$(touch pwned1) `touch pwned2` ;touch pwned3")
        .input("category", "x\"; touch pwned4; echo \"")
        .input("config", "$(touch pwned5)")
        .run();
    for i in 1..=5 {
        assert!(
            !ws.join(format!("pwned{i}")).exists(),
            "input ran as code: {}",
            run.log()
        );
    }
    assert_eq!(run.output("exit-code"), "2", "{}", run.log());
}

#[test]
fn version_builds_a_tag_without_a_release() {
    let root = repo_path("");
    if !root.join(".git").exists() {
        eprintln!("skipped: {} is not a git checkout", root.display());
        return;
    }
    let (dir, ws, temp) = workspace();
    // Releases from the test's HTTP server (which has none: 404); the repository itself from a
    // local path, which git is told to use for the server's URL (the server speaks no git).
    let server = Server::start(&dir.path().join("server"));
    let repos = dir.path().join("repos");
    let repo = repos.join("acme/resilint.git");
    std::fs::create_dir_all(&repos).unwrap();
    git(
        &repos,
        &[
            "clone",
            "--quiet",
            "--bare",
            root.to_str().unwrap(),
            repo.to_str().unwrap(),
        ],
    );
    git(&repo, &["tag", "v9.9.9", "HEAD"]);

    let mut runner = release_runner(&ws, &temp, &server, "").input("version", "v9.9.9");
    runner.env.extend([
        ("GIT_CONFIG_COUNT", "1".to_string()),
        (
            "GIT_CONFIG_KEY_0",
            format!("url.file://{}/.insteadOf", repos.display()),
        ),
        ("GIT_CONFIG_VALUE_0", format!("{}/", server.url)),
    ]);
    let run = runner.run();
    let install = run.step("Install resilint");
    assert_eq!(install.code, Some(0), "{install:?}");
    assert_eq!(
        server.requests(),
        ["/acme/resilint/releases/download/v9.9.9/SHA256SUMS"]
    );
    assert!(
        install.stdout.contains("(HTTP 404); building from source"),
        "{install:?}"
    );
    assert_eq!(run.cargo_calls.len(), 1);
    assert!(
        run.cargo_calls[0].contains(&format!("--path {}/resilint/source ", temp.display())),
        "{:?}",
        run.cargo_calls
    );
    assert!(
        !temp.join("resilint/source").exists(),
        "the source is removed"
    );
    assert!(
        run.step("Cache resilint").with["key"].ends_with("-release-v9.9.9"),
        "{:?}",
        run.step("Cache resilint").with
    );
    assert_eq!(run.output("exit-code"), "1");
}

#[test]
fn a_release_tag_downloads_the_release_binary() {
    let (dir, ws, temp) = workspace();
    let server = Server::start(&dir.path().join("server"));
    let tag = format!("v{VERSION}");
    publish_release(&server, "acme/resilint", &tag);
    let expected = expected_findings(&[ws.to_str().unwrap()]);

    // `uses: acme/resilint@v<version>`.
    let run = release_runner(&ws, &temp, &server, &tag).run();
    let install = run.step("Install resilint");
    assert_eq!(install.code, Some(0), "{install:?}");
    assert!(
        run.cargo_calls.is_empty(),
        "no build: {:?}",
        run.cargo_calls
    );
    let base = format!("/acme/resilint/releases/download/{tag}");
    assert_eq!(
        server.requests(),
        [
            format!("{base}/SHA256SUMS"),
            format!("{base}/{}", linux_archive(VERSION))
        ]
    );
    assert!(
        install
            .stdout
            .contains(&format!("{} downloaded, SHA-256 ", linux_archive(VERSION))),
        "{install:?}"
    );
    assert!(install.stdout.contains("verified against SHA256SUMS"));
    assert!(
        install.stdout.contains(&format!("resilint {VERSION}")),
        "the installed binary runs: {install:?}"
    );
    assert!(temp.join("resilint/bin/resilint").is_file());
    assert!(
        !temp.join("resilint/download").exists(),
        "the download is removed"
    );
    let cache = run.step("Cache resilint");
    assert!(
        cache.with["key"].ends_with(&format!("-release-{tag}")),
        "{:?}",
        cache.with
    );
    // The downloaded binary runs the check.
    assert_eq!(
        run.output("findings"),
        expected.to_string(),
        "{}",
        run.log()
    );
    assert_eq!(run.output("exit-code"), "1");
    assert_eq!(run.step("Result").code, Some(1));

    // The version input wins over the action's ref.
    let (_dir2, ws2, temp2) = workspace();
    let run = release_runner(&ws2, &temp2, &server, "main")
        .input("version", &tag)
        .run();
    assert_eq!(run.step("Install resilint").code, Some(0), "{}", run.log());
    assert!(run.cargo_calls.is_empty(), "{:?}", run.cargo_calls);
    assert_eq!(run.output("findings"), expected.to_string());
}

#[test]
fn a_tag_without_a_release_or_binary_is_built() {
    let (dir, ws, temp) = workspace();
    let server = Server::start(&dir.path().join("server"));
    // No release at all: SHA256SUMS is 404.
    let run = release_runner(&ws, &temp, &server, "v9.9.9").run();
    let install = run.step("Install resilint");
    assert_eq!(install.code, Some(0), "{install:?}");
    assert!(
        install
            .stdout
            .contains("resilint v9.9.9: http://127.0.0.1:")
            && install
                .stdout
                .contains("/SHA256SUMS does not exist (HTTP 404); building from source"),
        "{install:?}"
    );
    assert_eq!(run.cargo_calls.len(), 1, "{:?}", run.cargo_calls);
    let action_path = repo_path("").display().to_string();
    assert!(
        run.cargo_calls[0].contains(&format!("--path {} ", action_path.trim_end_matches('/'))),
        "the action's own source: {:?}",
        run.cargo_calls
    );
    assert_eq!(run.output("exit-code"), "1", "{}", run.log());

    // A release without this runner's archive (SHA256SUMS but no Linux x86_64 archive).
    let dir88 = publish_release(&server, "acme/resilint", "v9.9.8");
    std::fs::remove_file(dir88.join(linux_archive("9.9.8"))).unwrap();
    let (_d, ws, temp) = workspace();
    let run = release_runner(&ws, &temp, &server, "v9.9.8").run();
    let install = run.step("Install resilint");
    assert_eq!(install.code, Some(0), "{install:?}");
    assert!(
        install.stdout.contains(&format!(
            "{} does not exist (HTTP 404); building from source",
            linux_archive("9.9.8")
        )),
        "{install:?}"
    );
    assert_eq!(run.cargo_calls.len(), 1, "{:?}", run.cargo_calls);
}

#[test]
fn a_branch_or_an_unsupported_runner_is_built_without_a_download() {
    let (dir, ws, temp) = workspace();
    let server = Server::start(&dir.path().join("server"));
    publish_release(&server, "acme/resilint", &format!("v{VERSION}"));
    // A branch (and a tag that is not v<semver>): nothing is asked of the server.
    for r in ["main", "release-1", "v1", &format!("v{VERSION}x")] {
        let (_d, ws, temp) = workspace();
        let run = release_runner(&ws, &temp, &server, r).run();
        let install = run.step("Install resilint");
        assert_eq!(install.code, Some(0), "{install:?}");
        assert!(
            install.stdout.contains(&format!(
                "resilint {r}: not a release tag; building from source"
            )),
            "{install:?}"
        );
        assert_eq!(run.cargo_calls.len(), 1, "{r}: {:?}", run.cargo_calls);
        assert!(
            run.step("Cache resilint").with["key"].contains("-src-"),
            "{:?}",
            run.step("Cache resilint").with
        );
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // A release tag on a runner the release has no binary for (32-bit ARM Linux).
    let mut runner = release_runner(&ws, &temp, &server, &format!("v{VERSION}"));
    runner.env.push(("RUNNER_ARCH", "ARM".to_string()));
    let run = runner.run();
    let install = run.step("Install resilint");
    assert_eq!(install.code, Some(0), "{install:?}");
    assert!(
        install
            .stdout
            .contains("no release binary for Linux ARM; building from source"),
        "{install:?}"
    );
    assert_eq!(run.cargo_calls.len(), 1);
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// A download that fails verification fails the step: no build instead, no binary installed,
/// resilint does not run.
fn assert_install_fails(run: &ActionRun, temp: &Path, message: &str) {
    let install = run.step("Install resilint");
    assert_eq!(install.code, Some(1), "{install:?}");
    assert!(
        install
            .stdout
            .contains(&format!("::error title=resilint::{message}")),
        "{message:?} in {install:?}"
    );
    assert!(
        run.cargo_calls.is_empty(),
        "no fallback build: {:?}",
        run.cargo_calls
    );
    assert!(!temp.join("resilint/bin/resilint").exists());
    assert!(!run.step("Run resilint").ran);
    assert!(run.failed);
}

#[test]
fn a_download_that_fails_verification_fails_the_step() {
    let (dir, ws, temp) = workspace();
    let server = Server::start(&dir.path().join("server"));
    let tag = format!("v{VERSION}");
    let release = publish_release(&server, "acme/resilint", &tag);
    let archive = linux_archive(VERSION);
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let good = sha256_hex(&std::fs::read(release.join(&archive)).unwrap());

    // The checksum does not match the archive.
    let bad = "f".repeat(64);
    std::fs::write(release.join("SHA256SUMS"), sums.replace(&good, &bad)).unwrap();
    let run = release_runner(&ws, &temp, &server, &tag).run();
    assert_install_fails(
        &run,
        &temp,
        &format!("checksum mismatch for {archive}: SHA256SUMS says {bad}, the download is {good}"),
    );

    // SHA256SUMS does not list the archive.
    let other = sums
        .lines()
        .filter(|l| !l.contains(&archive))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(release.join("SHA256SUMS"), other + "\n").unwrap();
    let run = release_runner(&ws, &temp, &server, &tag).run();
    assert_install_fails(
        &run,
        &temp,
        &format!("the release's SHA256SUMS has no checksum for {archive}"),
    );

    // A corrupt archive whose checksum matches: it does not unpack.
    let corrupt = b"not a gzip archive".to_vec();
    std::fs::write(release.join(&archive), &corrupt).unwrap();
    std::fs::write(
        release.join("SHA256SUMS"),
        format!("{}  {archive}\n", sha256_hex(&corrupt)),
    )
    .unwrap();
    let run = release_runner(&ws, &temp, &server, &tag).run();
    assert_install_fails(&run, &temp, &format!("{archive} does not unpack"));

    // The server fails (neither the file nor a 404): no silent build either.
    std::fs::write(
        release.join("SHA256SUMS.status"),
        "500 Internal Server Error",
    )
    .unwrap();
    let run = release_runner(&ws, &temp, &server, &tag).run();
    assert_install_fails(&run, &temp, "could not download http://127.0.0.1:");
    assert!(run.log().contains("SHA256SUMS (HTTP 500)"), "{}", run.log());
}

// ---------------------------------------------------------------------------------------------
// Linters on action.yml and on the README's examples

/// zizmor's policy for the README examples: `resilint/resilint` is referenced by tag (this
/// repository cannot know its own future release commits); every other action by commit.
const ZIZMOR_CONFIG: &str = "rules:\n  unpinned-uses:\n    config:\n      policies:\n        resilint/*: ref-pin\n        \"*\": hash-pin\n";

#[test]
fn action_yml_passes_its_schema_zizmor_and_shellcheck() {
    let root = repo_path("");
    if find_tool("check-jsonschema").is_some() {
        lint(
            "check-jsonschema",
            &["--builtin-schema", "vendor.github-actions", "action.yml"],
            &root,
        );
    }
    if find_tool("zizmor").is_some() {
        lint(
            "zizmor",
            &[
                "--offline",
                "--no-progress",
                "--min-severity",
                "low",
                "action.yml",
            ],
            &root,
        );
    }
    let action = action();
    let scripts: Vec<&str> = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|step| step["run"].as_str())
        .collect();
    assert!(!scripts.is_empty());
    for script in &scripts {
        assert!(
            !script.contains("${{"),
            "inputs reach scripts through env only: {script}"
        );
    }
    if find_tool("shellcheck").is_some() {
        let dir = tempfile::tempdir().unwrap();
        for (i, script) in scripts.iter().enumerate() {
            let path = dir.path().join(format!("step-{i}.sh"));
            std::fs::write(&path, format!("#!/usr/bin/env bash\n{script}")).unwrap();
            lint("shellcheck", &[path.to_str().unwrap()], dir.path());
        }
    }
}

/// The README's fenced YAML examples whose first line names their file (`# .gitlab-ci.yml`).
fn readme_examples() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```yaml" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        if let Some(name) = block.first().and_then(|l| l.strip_prefix("# ")) {
            let name = name.split_whitespace().next().unwrap_or("");
            if name.ends_with(".yml") || name.ends_with(".yaml") {
                out.push((name.to_string(), block.join("\n") + "\n"));
            }
        }
    }
    out
}

#[test]
fn readme_ci_examples_are_valid() {
    let examples = readme_examples();
    let named = |pred: &dyn Fn(&str) -> bool| -> Vec<&(String, String)> {
        examples.iter().filter(|(n, _)| pred(n)).collect()
    };
    let workflows = named(&|n| n.starts_with(".github/workflows/"));
    let pre_commit = named(&|n| n == ".pre-commit-config.yaml");
    let gitlab = named(&|n| n == ".gitlab-ci.yml");
    assert!(
        workflows.len() >= 2,
        "with and without code scanning: {examples:?}"
    );
    assert!(
        workflows
            .iter()
            .any(|(_, t)| t.contains("security-events: write")),
        "a workflow uploads to code scanning"
    );
    assert!(
        workflows
            .iter()
            .any(|(_, t)| t.contains("upload-sarif: false")),
        "a workflow without code scanning"
    );
    assert_eq!(pre_commit.len(), 1, "{examples:?}");
    // The build from source, and the container image (README, Install).
    assert!(gitlab.len() >= 2, "{examples:?}");
    assert!(
        gitlab
            .iter()
            .any(|(_, t)| t.contains("ghcr.io/resilint/resilint:")),
        "a GitLab example runs the container image: {examples:?}"
    );

    // Every example is YAML.
    for (name, text) in &examples {
        Yaml::load_from_str(text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"));
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, (name, text)) in examples.iter().enumerate() {
        // Several examples may name the same file: each gets its own directory.
        common::write(&dir.path().join(i.to_string()), name, text.as_bytes());
    }
    let file = |i: usize| -> String {
        dir.path()
            .join(i.to_string())
            .join(&examples[i].0)
            .to_string_lossy()
            .into_owned()
    };
    let index = |pred: &dyn Fn(&str) -> bool| -> Vec<usize> {
        (0..examples.len())
            .filter(|i| pred(&examples[*i].0))
            .collect()
    };
    if find_tool("check-jsonschema").is_some() {
        for i in index(&|n| n.starts_with(".github/workflows/")) {
            lint(
                "check-jsonschema",
                &["--builtin-schema", "vendor.github-workflows", &file(i)],
                dir.path(),
            );
        }
        for i in index(&|n| n == ".gitlab-ci.yml") {
            lint(
                "check-jsonschema",
                &["--builtin-schema", "vendor.gitlab-ci", &file(i)],
                dir.path(),
            );
        }
    }
    if find_tool("zizmor").is_some() {
        let config = dir.path().join("zizmor.yml");
        std::fs::write(&config, ZIZMOR_CONFIG).unwrap();
        for i in index(&|n| n.starts_with(".github/workflows/")) {
            lint(
                "zizmor",
                &[
                    "--offline",
                    "--no-progress",
                    "--min-severity",
                    "low",
                    "--config",
                    config.to_str().unwrap(),
                    &file(i),
                ],
                dir.path(),
            );
        }
    }
    for tool in ["pre-commit", "prek"] {
        if find_tool(tool).is_some() {
            for i in index(&|n| n == ".pre-commit-config.yaml") {
                lint(tool, &["validate-config", &file(i)], dir.path());
            }
        }
    }
}
