//! Helpers shared by the integration tests: run the real binary, parse its JSON.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path below the repository root.
pub fn repo_path(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The built binary, run from the repository root, without colour and with reproducible output.
pub fn resilint() -> Command {
    let mut cmd = Command::cargo_bin("resilint").expect("binary is built");
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env("RESILINT_REPRODUCIBLE", "1");
    cmd
}

/// Runs `resilint <args>` and returns the output.
pub fn run(args: &[&str]) -> Output {
    resilint().args(args).output().expect("runs")
}

/// Runs a command that prints JSON on stdout and parses it.
pub fn run_json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = run(args);
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

/// (code, resource) pairs of a `check --format json` output, sorted.
pub fn codes(v: &serde_json::Value) -> Vec<(String, String)> {
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
