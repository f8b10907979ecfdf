//! Helpers shared by the integration tests: run the real binary, parse its JSON.
#![allow(dead_code)]

pub mod sarif;
pub mod xml;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path below the repository root.
pub fn repo_path(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The built binary, run from the repository root, without colour and with reproducible output.
/// The developer's `TF_VAR_*` variables are removed: resilint reads them as Terraform does, and
/// they would change the results.
pub fn resilint() -> Command {
    let mut cmd = Command::cargo_bin("resilint").expect("binary is built");
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env("RESILINT_REPRODUCIBLE", "1");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TF_VAR_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// Runs `resilint <args>` and returns the output.
pub fn run(args: &[&str]) -> Output {
    resilint().args(args).output().expect("runs")
}

/// Runs `resilint <args>` in `dir` and returns the output.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    resilint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

/// The standard output of `resilint <args>`, as text.
pub fn stdout(args: &[&str]) -> String {
    String::from_utf8_lossy(&run(args).stdout).into_owned()
}

/// Runs a command that prints JSON on stdout and parses it.
pub fn run_json(args: &[&str]) -> (Value, i32) {
    run_json_in(&root(), args)
}

/// Runs a command that prints JSON on stdout in `dir` and parses it.
pub fn run_json_in(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = run_in(dir, args);
    let code = out.status.code().unwrap_or(-1);
    let text = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "output of {args:?} is not JSON ({e}):\n{text}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, code)
}

/// The messages of the findings with this code in a `check --format json` output, in order.
pub fn messages(v: &Value, code: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == code)
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect()
}

/// One day in seconds.
pub const DAY: u64 = 86_400;

/// The resources of `explain --format json <args>`.
pub fn explain(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let (v, _) = run_json(&all);
    v["resources"].as_array().cloned().unwrap_or_default()
}

/// The resource of an `explain` list with this address; fails listing the addresses otherwise.
pub fn resource<'a>(rs: &'a [Value], address: &str) -> &'a Value {
    rs.iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| {
            panic!(
                "no {address} in {:#?}",
                rs.iter().map(|r| &r["address"]).collect::<Vec<_>>()
            )
        })
}

/// The first backup of an `explain` resource whose mechanism starts with `mechanism_prefix`.
pub fn backup<'a>(r: &'a Value, mechanism_prefix: &str) -> Option<&'a Value> {
    r["backups"].as_array()?.iter().find(|b| {
        b["mechanism"]
            .as_str()
            .is_some_and(|m| m.starts_with(mechanism_prefix))
    })
}

/// The retention in seconds of that backup, when it has one.
pub fn retention(r: &Value, mechanism_prefix: &str) -> Option<u64> {
    backup(r, mechanism_prefix)?["retention_seconds"].as_u64()
}

/// (code, resource) pairs of a `check --format json` output, sorted.
pub fn codes(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["code"].as_str().unwrap_or("").to_string(),
                        f["resource"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `explain --format json` of the Terraform variant of `testdata/families/<name>`.
pub fn family_fixture(name: &str) -> Vec<Value> {
    let dir = repo_path(&format!("testdata/families/{name}/terraform"));
    explain(&[dir.to_str().expect("utf-8 path")])
}

/// The findings with this code in a `check --format json` output.
pub fn findings_of<'a>(v: &'a Value, code: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["code"] == code).collect())
        .unwrap_or_default()
}

/// `check --format json` of a directory: its JSON document.
pub fn check_dir(dir: &Path) -> Value {
    run_json(&[
        "check",
        "--format",
        "json",
        dir.to_str().expect("utf-8 path"),
    ])
    .0
}

/// The codes of the findings in a `check --format json` output, in order.
pub fn finding_codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Writes files into a fresh temporary directory: `(relative path, contents)`.
pub fn tempdir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        write(dir.path(), rel, text.as_bytes());
    }
    dir
}

/// Writes a file, creating parent directories.
pub fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, bytes).expect("write");
}

/// An external program run in `cwd`, free of the variables of an enclosing git invocation (a
/// test run from a git hook must not act on this repository), of the developer's global and
/// system git configuration (`commit.gpgsign`, `core.hooksPath`, ... would break the tests'
/// commits) and without colour.
pub fn external(program: &str, cwd: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.current_dir(cwd);
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_CEILING_DIRECTORIES",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs git in `dir` (with an identity for commits) and returns its standard output, trimmed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = external("git", dir)
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs a linter (zizmor, actionlint, hadolint, ...) in `cwd`, which must succeed; returns what
/// it printed.
pub fn lint(program: &str, args: &[&str], cwd: &Path) -> String {
    let out = external(program, cwd)
        .args(args)
        .output()
        .expect("linter runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program} {args:?} failed:\n{text}");
    text
}

/// The wheel directory `RESILINT_WHEELHOUSE` (which `.ci/run` fills with the wheel and source
/// distribution it builds), holding a resilint wheel of this version; None (skipped) when
/// unset, unless tools are required.
pub fn wheelhouse() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("RESILINT_WHEELHOUSE").map(PathBuf::from) else {
        assert!(
            !tools_required(),
            "RESILINT_WHEELHOUSE is not set and RESILINT_REQUIRE_TOOLS=1"
        );
        eprintln!("skipped: RESILINT_WHEELHOUSE (a directory with the resilint wheel) is not set");
        return None;
    };
    assert!(
        wheelhouse_file(&dir, ".whl").is_some(),
        "{} holds no resilint-{}-*.whl",
        dir.display(),
        env!("CARGO_PKG_VERSION")
    );
    Some(dir)
}

/// The file of this version of resilint in a wheel directory whose name ends in `suffix`
/// (`.whl`, `.tar.gz`): `resilint-<version>-<tags>.whl`, `resilint-<version>.tar.gz`.
pub fn wheelhouse_file(dir: &Path, suffix: &str) -> Option<PathBuf> {
    let prefix = format!("resilint-{}", env!("CARGO_PKG_VERSION"));
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            n.ends_with(suffix)
                && (n.starts_with(&format!("{prefix}-")) || n == format!("{prefix}{suffix}"))
        })
}

/// Whether a missing external tool (pre-commit, zizmor, ...) fails a test instead of skipping
/// it: `RESILINT_REQUIRE_TOOLS=1`, as CI sets.
pub fn tools_required() -> bool {
    std::env::var("RESILINT_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// The first line `tool --version` prints when the tool is installed. Otherwise None, with a
/// message, so that the test skips; or a failure when tools are required.
pub fn find_tool(tool: &str) -> Option<String> {
    match std::process::Command::new(tool).arg("--version").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            Some(text.lines().next().unwrap_or("").trim().to_string())
        }
        _ => {
            assert!(
                !tools_required(),
                "{tool} is not installed and RESILINT_REQUIRE_TOOLS=1"
            );
            eprintln!(
                "skipped: {tool} is not installed (RESILINT_REQUIRE_TOOLS=1 makes this a failure)"
            );
            None
        }
    }
}

/// The real-world corpus (Terraform and CloudFormation written by others), beside the repository.
pub const CORPUS: &str = "../shared/corpus";

/// Whether an absent corpus fails the corpus tests instead of skipping them:
/// `RESILINT_REQUIRE_CORPUS=1`, as CI sets when the corpus is present.
pub fn corpus_required() -> bool {
    std::env::var("RESILINT_REQUIRE_CORPUS").is_ok_and(|v| v == "1")
}

/// A path in the corpus (`""`: the corpus itself) when it exists. Otherwise None, with a
/// message, so that the test skips; or a failure when the corpus is required.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let base = repo_path(CORPUS);
    let path = if rel.is_empty() { base } else { base.join(rel) };
    if path.exists() {
        return Some(path);
    }
    assert!(
        !corpus_required(),
        "{} is absent and RESILINT_REQUIRE_CORPUS=1",
        path.display()
    );
    eprintln!(
        "skipped: {} is absent (RESILINT_REQUIRE_CORPUS=1 makes this a failure)",
        path.display()
    );
    None
}

/// Copies a directory tree (regular files only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
