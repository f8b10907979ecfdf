//! Files changed since a git revision, for `--changed-since REF`: what a pull request or a
//! working copy changes against REF (committed, staged, unstaged and untracked files).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::source::normalize_path;

/// The absolute paths of the files changed between `rev` and the working tree of the git
/// repository that contains `dir`.
pub fn changed_files(dir: &Path, rev: &str) -> Result<HashSet<PathBuf>, String> {
    let root = git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("--changed-since needs a git repository: {e}"))?;
    let root = PathBuf::from(root.trim_end_matches(['\n', '\r']));
    if rev.starts_with('-') {
        return Err(format!("--changed-since {rev}: not a revision"));
    }
    let commit = format!("{rev}^{{commit}}");
    git(&root, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|_| {
        format!(
            "--changed-since {rev}: no such commit in this repository; in a shallow clone, fetch it first (git fetch --depth=1 origin {rev}, or actions/checkout with fetch-depth: 0)"
        )
    })?;
    // Against the working tree: commits since REF, staged and unstaged changes. Comparing two
    // trees needs no history, so this works in a shallow clone once REF is fetched.
    let diff = git(
        &root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "-z",
            rev,
            "--",
        ],
    )?;
    let untracked = git(&root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    let root = root.canonicalize().unwrap_or(root);
    Ok(diff
        .split('\0')
        .chain(untracked.split('\0'))
        .filter(|p| !p.is_empty())
        .map(|p| normalize_path(&root.join(p)))
        .collect())
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed a path that is not UTF-8".to_string())
}
