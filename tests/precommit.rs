//! The pre-commit hooks run by the real frameworks: pre-commit (PyPI) and prek. A temporary git
//! repository holds the README's Terraform example (`testdata/examples/terraform`: the
//! resources in `main.tf`, the backup plan and DLM policy covering them in `backup.tf`) and a
//! `.pre-commit-config.yaml` naming the hook's repository at a commit: the hook as committed is
//! what is tested. Two hooks:
//!
//! - **from source** (`.pre-commit-hooks.yaml`, `language: rust`): `repo:` is this repository
//!   at HEAD. The framework builds the hook with `cargo install --path .` once (unoptimised:
//!   the profile is overridden through the environment); its home (PRE_COMMIT_HOME /
//!   PREK_HOME) and the build's target directory live in this crate's target directory, so
//!   later runs reuse them.
//! - **through the wheel** (`integrations/pre-commit/`, `language: python`, the repository the
//!   release workflow publishes as resilint/resilint-pre-commit): `repo:` is a git repository
//!   made from that directory. The framework installs it, and with it the pinned resilint
//!   wheel, from the local wheel directory `RESILINT_WHEELHOUSE` (which `.ci/run` fills with
//!   the wheel it builds and setuptools) and from no index: no network. A fresh home each
//!   run, so the install is what is measured.
//!
//! Skipped when the framework (or the wheel directory) is missing, unless
//! `RESILINT_REQUIRE_TOOLS=1` (CI), which makes a missing tool a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{
    copy_dir, external as command, find_tool, git, repo_path, tools_required, wheelhouse,
};

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

/// A git repository with the example module in `infra/`, a workflow and a config using the
/// hook of the repository `hooks` at `head`, and a staged change to `infra/main.tf`.
fn project(hooks: &Path, head: &str) -> tempfile::TempDir {
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
                hooks.display()
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

/// Which hook: built from this repository's source, or installed from the wheel.
enum Hook {
    Source,
    /// The wheel directory.
    Wheel(PathBuf),
}

impl Framework {
    fn run(&self, hook: &Hook, home: &Path, project: &Path, files: &[&str]) -> (i32, String) {
        let mut cmd = command(self.program, project);
        cmd.args(["run", "--color", "never", "--files"])
            .args(files)
            .env(self.home_var, home.join(self.program));
        match hook {
            Hook::Source => {
                // One build directory for both frameworks: the second build is incremental
                // (cargo's lock on the directory serialises the two when the tests run in
                // parallel).
                cmd.env("CARGO_TARGET_DIR", home.join("cargo-target"))
                    // The framework runs `cargo install` (a release build); what is tested is
                    // the hook's behaviour, not its speed: unoptimised, the cold build takes
                    // about 30 s instead of 140 s on two cores.
                    .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
                    .env("CARGO_PROFILE_RELEASE_DEBUG", "false");
            }
            Hook::Wheel(wheels) => {
                // pip (pre-commit) and uv (prek) install from the wheel directory and nothing
                // else.
                cmd.env("PIP_NO_INDEX", "1")
                    .env("PIP_FIND_LINKS", wheels)
                    .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
                    .env("UV_NO_INDEX", "1")
                    .env("UV_FIND_LINKS", wheels)
                    .env("UV_OFFLINE", "1");
            }
        }
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

/// A git repository made from `integrations/pre-commit/` (what the release workflow pushes to
/// resilint/resilint-pre-commit), and its commit.
fn wheel_hook_repository() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo_path("integrations/pre-commit"), dir.path());
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "--all"]);
    git(dir.path(), &["commit", "--quiet", "-m", "resilint hook"]);
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    (dir, head)
}

fn check_hook(framework: Framework, hook: Hook) {
    let Some(version) = find_tool(framework.program) else {
        return;
    };
    // The hook's repository, the framework's home.
    let (repository, head, home, _scratch) = match &hook {
        Hook::Source => {
            let Some(head) = this_repository_head() else {
                return;
            };
            let home = target_dir().join("hook-frameworks");
            (repo_path(""), head, home, None)
        }
        Hook::Wheel(_) => {
            let (repo, head) = wheel_hook_repository();
            let home = tempfile::tempdir().expect("tempdir");
            let paths = (repo.path().to_path_buf(), home.path().to_path_buf());
            (paths.0, head, paths.1, Some((repo, home)))
        }
    };
    eprintln!("{version}; hook at {} {head}", repository.display());
    let dir = project(&repository, &head);
    let root = dir.path();
    let run = |files: &[&str]| framework.run(&hook, &home, root, files);

    // The changed file: its findings are reported and the hook fails. The first run installs
    // the hook: a build (cargo install, minutes on a cold target directory) or the wheel.
    let (code, out) = run(&["infra/main.tf"]);
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
    let (code, out) = run(&[
        "infra/backup.tf",
        ".github/workflows/ci.yml",
        "package.json",
    ]);
    assert_eq!(code, 0, "nothing located in these files:\n{out}");
    assert!(out.contains("Passed"), "{out}");
    assert!(!out.contains("RES0"), "no finding printed:\n{out}");
    assert!(!out.contains("infra/main.tf"), "file not passed:\n{out}");

    // Only files the hook's `files` pattern matches reach resilint: a README is skipped.
    std::fs::write(root.join("README.md"), "# app\n").unwrap();
    git(root, &["add", "README.md"]);
    let (code, out) = run(&["README.md"]);
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
    let (code, out) = run(&["infra/broken.tf"]);
    assert_eq!(code, 1, "a parse error fails the hook:\n{out}");
    assert!(out.contains("RES000"), "{out}");
    assert!(
        out.contains("exit code: 2"),
        "resilint exited with 2:\n{out}"
    );
}

const PRE_COMMIT: Framework = Framework {
    program: "pre-commit",
    home_var: "PRE_COMMIT_HOME",
};

const PREK: Framework = Framework {
    program: "prek",
    home_var: "PREK_HOME",
};

#[test]
fn pre_commit_runs_the_hook_on_the_changed_files() {
    check_hook(PRE_COMMIT, Hook::Source);
}

#[test]
fn prek_runs_the_hook_on_the_changed_files() {
    check_hook(PREK, Hook::Source);
}

#[test]
fn pre_commit_runs_the_wheel_hook() {
    if let Some(wheels) = wheelhouse() {
        check_hook(PRE_COMMIT, Hook::Wheel(wheels));
    }
}

/// prek installs Python hooks with uv: the uv on the PATH (CI's tools have it), offline.
#[test]
fn prek_runs_the_wheel_hook() {
    if find_tool("uv").is_none() {
        return;
    }
    if let Some(wheels) = wheelhouse() {
        check_hook(PREK, Hook::Wheel(wheels));
    }
}

/// The two hook definitions match the same files the same way, and the wheel hook's package
/// pins the wheel of this version: the release pushes `integrations/pre-commit/` as it is.
#[test]
fn the_wheel_hook_pins_this_version() {
    let read = |rel: &str| std::fs::read_to_string(repo_path(rel)).expect(rel);
    let source = read(".pre-commit-hooks.yaml");
    let wheel = read("integrations/pre-commit/.pre-commit-hooks.yaml");
    let field = |text: &str, name: &str| -> String {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_string()
    };
    for name in ["- id", "entry", "files", "require_serial"] {
        assert_eq!(field(&source, name), field(&wheel, name), "{name}");
    }
    assert_eq!(field(&source, "language"), "rust");
    assert_eq!(field(&wheel, "language"), "python");
    let pyproject = read("integrations/pre-commit/pyproject.toml");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        pyproject.contains(&format!("\nversion = \"{version}\"\n")),
        "{pyproject}"
    );
    assert!(
        pyproject.contains(&format!("dependencies = [\"resilint=={version}\"]")),
        "{pyproject}"
    );
    // The wheel is named after the crate: `pip install resilint` is the binary.
    let root_pyproject = read("pyproject.toml");
    assert!(
        root_pyproject.contains("\nname = \"resilint\"\n"),
        "{root_pyproject}"
    );
    assert!(
        root_pyproject.contains("\nbindings = \"bin\"\n"),
        "{root_pyproject}"
    );
}
