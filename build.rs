//! Build facts for `resilint --version`: the commit the binary was built from and a digest of
//! the knowledge base compiled into it (`rules/kb/**/*.toml`).
//!
//! The commit comes from, in order: `RESILINT_COMMIT` (set by a packager that builds outside a
//! git checkout), `.cargo_vcs_info.json` (written by `cargo package` into every crate published
//! on crates.io, so `cargo install resilint` knows its commit), then `git` in the source
//! directory. When none answers, the commit is `unknown`: never a guess.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-env-changed=RESILINT_COMMIT");
    println!("cargo:rerun-if-changed=rules/kb");
    let (commit, date) = commit(&root);
    println!("cargo:rustc-env=RESILINT_BUILD_COMMIT={commit}");
    println!("cargo:rustc-env=RESILINT_BUILD_COMMIT_DATE={date}");
    let (files, digest) = kb_digest(&root.join("rules/kb"));
    println!("cargo:rustc-env=RESILINT_BUILD_KB_FILES={files}");
    println!("cargo:rustc-env=RESILINT_BUILD_KB_DIGEST={digest}");
    println!(
        "cargo:rustc-env=RESILINT_BUILD_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
}

/// The commit (12 hex digits) and its date (YYYY-MM-DD, empty when unknown).
fn commit(root: &Path) -> (String, String) {
    if let Ok(c) = std::env::var("RESILINT_COMMIT") {
        let c = c.trim();
        if !c.is_empty() {
            return (short(c), String::new());
        }
    }
    let vcs_info = root.join(".cargo_vcs_info.json");
    if let Ok(text) = std::fs::read_to_string(&vcs_info) {
        println!("cargo:rerun-if-changed={}", vcs_info.display());
        if let Some(sha) = json_string_after(&text, "\"sha1\"") {
            return (short(&sha), String::new());
        }
    }
    if let Some(dir) = git(root, &["rev-parse", "--absolute-git-dir"]) {
        // A new commit moves HEAD or the branch it points at (loose or packed).
        let dir = PathBuf::from(dir);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        println!(
            "cargo:rerun-if-changed={}",
            dir.join("packed-refs").display()
        );
        if let Some(head) = git(root, &["symbolic-ref", "-q", "HEAD"]) {
            let common = git(root, &["rev-parse", "--git-common-dir"])
                .map(|d| root.join(d))
                .unwrap_or(dir);
            println!("cargo:rerun-if-changed={}", common.join(head).display());
        }
        if let Some(line) = git(root, &["log", "-1", "--format=%H %cs"]) {
            let mut parts = line.split_whitespace();
            if let (Some(sha), Some(date)) = (parts.next(), parts.next()) {
                return (short(sha), date.to_string());
            }
        }
    }
    ("unknown".into(), String::new())
}

fn short(sha: &str) -> String {
    sha.chars()
        .filter(char::is_ascii_hexdigit)
        .take(12)
        .collect()
}

/// The string value after `key` in a small JSON text (`.cargo_vcs_info.json`), without a JSON
/// parser in the build script.
fn json_string_after(text: &str, key: &str) -> Option<String> {
    let rest = &text[text.find(key)? + key.len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// How many `*.toml` files the knowledge base has, and the SHA-256 (first 12 hex digits) of
/// their paths and contents in path order: the digest `knowledge::builtin_digest` computes from
/// the compiled-in files (a unit test holds the two together).
fn kb_digest(dir: &Path) -> (usize, String) {
    let mut files = Vec::new();
    collect_toml(dir, dir, &mut files);
    files.sort();
    let mut hash = Sha256::new();
    for (rel, path) in &files {
        let text = std::fs::read(path).unwrap_or_default();
        hash.update(format!("rules/kb/{rel}").as_bytes());
        hash.update([0]);
        hash.update(&text);
        hash.update([0]);
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    (files.len(), hex[..12].to_string())
}

fn collect_toml(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_toml(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path.strip_prefix(base).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
}
