//! The pre-commit hook (`.pre-commit-hooks.yaml`) run by the real frameworks: pre-commit (PyPI)
//! and prek. A temporary git repository holds the README's Terraform example
//! (`testdata/examples/terraform`: the resources in `main.tf`, the backup plan and DLM policy
//! covering them in `backup.tf`) and a `.pre-commit-config.yaml` whose `repo:` is this
//! repository and `rev:` its HEAD: the hook as committed is what is tested. The framework builds
//! the hook with `cargo install --path .` once (unoptimised: the profile is overridden through
//! the environment); its home (PRE_COMMIT_HOME / PREK_HOME) and the build's target directory
//! live in this crate's target directory, so later runs reuse them.
//!
//! Skipped when the framework is not installed, unless `RESILINT_REQUIRE_TOOLS=1` (CI), which
//! makes a missing tool a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{copy_dir, external as command, find_tool, git, repo_path, tools_required};

/// A GitHub workflow: YAML that is not a CloudFormation template, matched by the hook's `files`.
const WORKFLOW: &str = "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hello\n";

/// This crate's target directory (the test binary's `resilint` is `<target>/<profile>/resilint`).
fn target_dir() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_resilint"));
    exe.parent()
        .and_then(Path::parent)
        .expect("target directory")
        .to_path_buf()
}

/// This repository's HEAD commit, or None (with a message) when it is not a git checkout.
fn this_repository_head() -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = command("git", root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    if !out.status.success() {
        assert!(
            !tools_required(),
            "{} is not a git repository and RESILINT_REQUIRE_TOOLS=1",
            root.display()
        );
        eprintln!("skipped: {} is not a git repository", root.display());
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A git repository with the example module in `infra/`, a workflow and a config using this
/// repository's hook, and a staged change to `infra/main.tf`.
fn project(head: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    copy_dir(
        &repo_path("testdata/examples/terraform"),
        &root.join("infra"),
    );
    let files = [
        (".github/workflows/ci.yml", WORKFLOW),
        ("package.json", "{\"name\": \"app\"}\n"),
        (
            ".pre-commit-config.yaml",
            &format!(
                "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: resilint\n",
                env!("CARGO_MANIFEST_DIR")
            ),
        ),
    ];
    for (rel, text) in files {
        common::write(root, rel, text.as_bytes());
    }
    git(root, &["init", "--quiet"]);
    git(root, &["add", "--all"]);
    git(root, &["commit", "--quiet", "-m", "init"]);
    // The change under review: the database's backup retention.
    let main = std::fs::read_to_string(root.join("infra/main.tf")).unwrap();
    assert!(main.contains("backup_retention_period = 1\n"), "{main}");
    std::fs::write(
        root.join("infra/main.tf"),
        main.replace(
            "backup_retention_period = 1\n",
            "backup_retention_period = 3\n",
        ),
    )
    .unwrap();
    git(root, &["add", "infra/main.tf"]);
    dir
}

struct Framework {
    /// The executable.
    program: &'static str,
    /// The variable naming its home (the store of repositories and built hooks).
    home_var: &'static str,
}

impl Framework {
    fn run(&self, project: &Path, files: &[&str]) -> (i32, String) {
        let base = target_dir().join("hook-frameworks");
        let mut cmd = command(self.program, project);
        cmd.args(["run", "--color", "never", "--files"])
            .args(files)
            .env(self.home_var, base.join(self.program))
            // One build directory for both frameworks: the second build is incremental (cargo's
            // lock on the directory serialises the two when the tests run in parallel).
            .env("CARGO_TARGET_DIR", base.join("cargo-target"))
            // The framework runs `cargo install` (a release build); what is tested is the
            // hook's behaviour, not its speed: unoptimised, the cold build takes about 30 s
            // instead of 140 s on two cores.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false");
        let started = std::time::Instant::now();
        let out: Output = cmd.output().expect("the framework runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "{} run --files {files:?}: exit {:?} in {:.2}s",
            self.program,
            out.status.code(),
            started.elapsed().as_secs_f64()
        );
        (out.status.code().unwrap_or(-1), text)
    }
}

fn check_hook(framework: Framework) {
    let Some(version) = find_tool(framework.program) else {
        return;
    };
    let Some(head) = this_repository_head() else {
        return;
    };
    eprintln!("{version}; hook at {head}");
    let dir = project(&head);
    let root = dir.path();

    // The changed file: its findings are reported and the hook fails. The first run builds the
    // hook (cargo install), which takes minutes on a cold target directory.
    let (code, out) = framework.run(root, &["infra/main.tf"]);
    assert_eq!(
        code, 1,
        "findings in the changed file fail the hook:\n{out}"
    );
    assert!(out.contains("Failed"), "{out}");
    for code in ["RES002", "RES004", "RES006", "RES007", "RES009"] {
        assert!(out.contains(code), "{code} reported:\n{out}");
    }
    assert!(
        out.contains("infra/main.tf:18:3"),
        "the single-zone database's multi_az line:\n{out}"
    );

    // The backup plan's file alone: the module is loaded as context (the selection resolves),
    // but the findings are located in main.tf, which is context only: nothing to report.
    // The workflow and package.json match `files` but are not CloudFormation: ignored.
    let (code, out) = framework.run(
        root,
        &[
            "infra/backup.tf",
            ".github/workflows/ci.yml",
            "package.json",
        ],
    );
    assert_eq!(code, 0, "nothing located in these files:\n{out}");
    assert!(out.contains("Passed"), "{out}");
    assert!(!out.contains("RES0"), "no finding printed:\n{out}");
    assert!(!out.contains("infra/main.tf"), "file not passed:\n{out}");

    // Only files the hook's `files` pattern matches reach resilint: a README is skipped.
    std::fs::write(root.join("README.md"), "# app\n").unwrap();
    git(root, &["add", "README.md"]);
    let (code, out) = framework.run(root, &["README.md"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("no files to check") || out.contains("Skipped"),
        "{out}"
    );

    // A file resilint cannot parse fails the hook (exit 2, RES000).
    std::fs::write(
        root.join("infra/broken.tf"),
        "resource \"aws_s3_bucket\" {\n",
    )
    .unwrap();
    git(root, &["add", "infra/broken.tf"]);
    let (code, out) = framework.run(root, &["infra/broken.tf"]);
    assert_eq!(code, 1, "a parse error fails the hook:\n{out}");
    assert!(out.contains("RES000"), "{out}");
    assert!(
        out.contains("exit code: 2"),
        "resilint exited with 2:\n{out}"
    );
}

#[test]
fn pre_commit_runs_the_hook_on_the_changed_files() {
    check_hook(Framework {
        program: "pre-commit",
        home_var: "PRE_COMMIT_HOME",
    });
}

#[test]
fn prek_runs_the_hook_on_the_changed_files() {
    check_hook(Framework {
        program: "prek",
        home_var: "PREK_HOME",
    });
}
