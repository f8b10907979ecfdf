//! The release workflow (`.github/workflows/release.yml`) and the container image (`Dockerfile`),
//! checked as far as they can be without GitHub and without a Docker engine.
//!
//! The linters: zizmor (offline) and actionlint (which runs shellcheck on the `run:` scripts when
//! shellcheck is on PATH), check-jsonschema with the workflow schema, hadolint on the Dockerfile;
//! skipped when not installed, unless `RESILINT_REQUIRE_TOOLS=1` (CI). The structure: the
//! targets, least privilege, pinning, that a dry run publishes nothing. And some of the
//! workflow's own scripts, run here on stand-in binaries: the archives they make are the ones
//! the Action downloads, and the image's binaries are laid out where the Dockerfile copies from.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{external, find_tool, lint, repo_path};
use serde_json::{Map, Value};

const WORKFLOW: &str = ".github/workflows/release.yml";

/// The five release targets: what the binaries are built for and what the Action downloads.
const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

fn workflow() -> Value {
    common::yaml::load(&repo_path(WORKFLOW))
}

fn jobs(wf: &Value) -> &Map<String, Value> {
    wf["jobs"].as_object().expect("jobs")
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().expect("steps")
}

/// The step of a job with this name or id.
fn step<'a>(wf: &'a Value, job: &str, name: &str) -> &'a Value {
    steps(&wf["jobs"][job])
        .iter()
        .find(|s| s["name"] == name || s["id"] == name)
        .unwrap_or_else(|| panic!("no step {name:?} in job {job}"))
}

/// The values of one key over a job's matrix `include` list.
fn matrix_values(job: &Value, key: &str) -> Vec<String> {
    job["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix include")
        .iter()
        .filter_map(|e| e[key].as_str().map(str::to_string))
        .collect()
}

/// Runs a `run:` script as the runner does (`bash -e -o pipefail`) in `cwd` with this
/// environment; returns (exit code, stdout + stderr).
fn run_script(script: &str, cwd: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), script).unwrap();
    let mut cmd = external("bash", cwd);
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(file.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

// ---------------------------------------------------------------------------------------------
// Linters

#[test]
fn the_workflow_passes_zizmor_actionlint_and_its_schema() {
    let root = repo_path("");
    if find_tool("zizmor").is_some() {
        // The default persona at its lowest severity: what CI would be told about.
        lint(
            "zizmor",
            &[
                "--offline",
                "--no-progress",
                "--min-severity",
                "low",
                WORKFLOW,
            ],
            &root,
        );
    }
    if find_tool("actionlint").is_some() {
        // actionlint runs shellcheck on every `run:` script when shellcheck is on PATH (CI
        // has it): say whether it did.
        let shellcheck = find_tool("shellcheck").is_some();
        eprintln!("actionlint with shellcheck: {shellcheck}");
        lint("actionlint", &["-color=false", WORKFLOW], &root);
        // actionlint reports what it is given: a workflow with a known mistake fails.
        let dir = tempfile::tempdir().unwrap();
        let bad = std::fs::read_to_string(repo_path(WORKFLOW))
            .unwrap()
            .replace("runs-on: ubuntu-24.04\n", "runs-on: ${{ matrix.nope }}\n");
        std::fs::write(dir.path().join("bad.yml"), bad).unwrap();
        let out = external("actionlint", dir.path())
            .args(["-color=false", "bad.yml"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "actionlint found nothing wrong");
    }
    if find_tool("check-jsonschema").is_some() {
        lint(
            "check-jsonschema",
            &["--builtin-schema", "vendor.github-workflows", WORKFLOW],
            &root,
        );
    }
}

#[test]
fn the_dockerfile_passes_hadolint() {
    if find_tool("hadolint").is_none() {
        return;
    }
    let root = repo_path("");
    lint(
        "hadolint",
        &["--no-color", "--failure-threshold", "info", "Dockerfile"],
        &root,
    );
    // hadolint runs its rules: an unpinned base image fails (DL3007).
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let bad = text.replace("FROM alpine:3.22", "FROM alpine:latest");
    assert_ne!(bad, text, "the Dockerfile's base changed: update this test");
    std::fs::write(dir.path().join("Dockerfile"), bad).unwrap();
    let out = external("hadolint", dir.path())
        .args(["--no-color", "Dockerfile"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("DL3007"),
        "{out:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Structure

#[test]
fn the_binaries_cover_the_five_targets_and_the_wheels_the_same_platforms() {
    let wf = workflow();
    let binaries = matrix_values(&wf["jobs"]["binaries"], "target");
    assert_eq!(
        binaries.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        TARGETS.into_iter().collect::<BTreeSet<_>>(),
        "{binaries:?}"
    );
    assert_eq!(binaries.len(), TARGETS.len(), "each target once");
    // The wheels: the same platforms (Linux with a glibc and a musl wheel each).
    let wheels: BTreeSet<String> = matrix_values(&wf["jobs"]["wheels"], "target")
        .into_iter()
        .map(|t| t.replace("-linux-gnu", "-linux-musl"))
        .collect();
    assert_eq!(
        wheels,
        TARGETS
            .iter()
            .map(|t| t.to_string())
            .collect::<BTreeSet<_>>()
    );
    // Release builds are --locked.
    let build = step(&wf, "binaries", "Build")["run"].as_str().unwrap();
    assert!(
        build.contains("cargo build --release --locked --target"),
        "{build}"
    );
    for job in ["wheels", "sdist"] {
        let maturin = steps(&wf["jobs"][job])
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("PyO3/maturin-action@"))
            })
            .expect("maturin-action");
        let args = maturin["with"]["args"].as_str().unwrap();
        assert!(args.contains("--out dist"), "{args}");
        if job == "wheels" {
            assert!(args.contains("--release --locked"), "{args}");
        }
    }
}

/// The Action maps every runner it downloads for to a release target, and names the archive as
/// the workflow does.
#[test]
fn the_action_downloads_what_the_workflow_releases() {
    let action = std::fs::read_to_string(repo_path("action.yml")).unwrap();
    let mapped: BTreeSet<&str> = action
        .lines()
        .filter_map(|l| {
            let (runner, rest) = l.trim().split_once(") target=")?;
            assert!(
                [
                    "Linux/X64",
                    "Linux/ARM64",
                    "macOS/X64",
                    "macOS/ARM64",
                    "Windows/X64"
                ]
                .contains(&runner),
                "{runner}"
            );
            rest.split([' ', ';']).next()
        })
        .collect();
    assert_eq!(mapped, TARGETS.into_iter().collect::<BTreeSet<_>>());
    assert!(action.contains(r#"name="resilint-${RELEASE#v}-$target""#));
    assert!(action.contains(r#"Windows/X64) target=x86_64-pc-windows-msvc; ext=zip; exe=.exe ;;"#));
    assert!(action.contains(r#"for file in SHA256SUMS "$name.$ext"; do"#));
    assert!(action.contains("/releases/download/$RELEASE"));

    let wf = workflow();
    let archive = step(&wf, "binaries", "Archive")["run"].as_str().unwrap();
    assert!(archive.contains(r#"name="resilint-$VERSION-$TARGET""#));
    assert!(archive.contains(r#"*windows*) archive="$name.zip""#));
    assert!(archive.contains(r#"*) archive="$name.tar.gz""#));
    // The release carries the archives, their .sha256 and SHA256SUMS.
    let release = step(&wf, "github-release", "Release")["run"]
        .as_str()
        .unwrap();
    for asset in ["./*.tar.gz", "./*.zip", "./*.sha256", "SHA256SUMS"] {
        assert!(release.contains(asset), "{asset} in {release}");
    }
}

#[test]
fn least_privilege_pinned_and_no_expansions_in_scripts() {
    let wf = workflow();
    assert_eq!(
        wf["permissions"],
        Value::Object(Map::new()),
        "top-level permissions: {{}}"
    );
    for (name, job) in jobs(&wf) {
        let permissions = job["permissions"]
            .as_object()
            .unwrap_or_else(|| panic!("job {name} states its permissions"));
        for (scope, level) in permissions {
            assert!(
                level == "read" || level == "write",
                "{name}: {scope}: {level}"
            );
            // What may write: the release, the image, the attestations and their signatures.
            if level == "write" {
                let allowed: &[&str] = match name.as_str() {
                    "attest" => &["id-token", "attestations"],
                    "github-release" => &["contents"],
                    "pypi" => &["id-token"],
                    "container" => &["packages", "id-token", "attestations"],
                    _ => &[],
                };
                assert!(allowed.contains(&scope.as_str()), "{name}: {scope}: write");
            }
        }
        for step in steps(job) {
            if let Some(script) = step["run"].as_str() {
                assert!(
                    !script.contains("${{"),
                    "{name}: values reach scripts through env only: {script}"
                );
            }
            if let Some(uses) = step["uses"].as_str() {
                assert!(!uses.starts_with("actions/cache"), "{name}: no cache");
                if uses.starts_with("actions/checkout@") {
                    assert_eq!(
                        step["with"]["persist-credentials"],
                        Value::Bool(false),
                        "{name}: {step}"
                    );
                }
                if uses.starts_with("PyO3/maturin-action@") {
                    assert_eq!(step["with"]["sccache"], "false", "{name}: no sccache");
                }
            }
        }
    }
    // Every `uses:` (here and in action.yml) is a commit with the version it is in a comment.
    let pin = regex::Regex::new(r"^\s*(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
        .unwrap();
    for file in [WORKFLOW, "action.yml"] {
        let text = std::fs::read_to_string(repo_path(file)).unwrap();
        let uses: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().trim_start_matches("- ").starts_with("uses:"))
            .collect();
        assert!(!uses.is_empty(), "{file}");
        for line in uses {
            assert!(pin.is_match(line), "{file}: not pinned to a commit: {line}");
        }
    }
}

/// A dry run (`workflow_dispatch`) builds everything and publishes nothing: every job that
/// publishes, attests or holds a secret runs only for a tag push that passed the version check.
#[test]
fn a_dry_run_publishes_nothing() {
    let wf = workflow();
    assert!(wf["on"]["push"]["tags"][0] == "v*", "{}", wf["on"]);
    assert!(wf["on"].get("workflow_dispatch").is_some(), "{}", wf["on"]);
    let gate = "needs.version.outputs.publish == 'true'";
    for (name, job) in jobs(&wf) {
        let writes = job["permissions"]
            .as_object()
            .is_some_and(|p| p.values().any(|v| v == "write"));
        let text = job.to_string();
        let secret = text.contains("secrets.");
        let publishes = job.get("environment").is_some();
        match name.as_str() {
            // Builds only; pushes and attests behind the gate, step by step.
            "container" => {
                for s in steps(job) {
                    let uses = s["uses"].as_str().unwrap_or("");
                    if uses.starts_with("docker/login-action@")
                        || uses.starts_with("actions/attest-build-provenance@")
                    {
                        assert_eq!(s["if"], gate, "{s}");
                    }
                    if uses.starts_with("docker/build-push-action@") {
                        assert_eq!(s["with"]["push"], format!("${{{{ {gate} }}}}"), "{s}");
                    }
                }
            }
            _ if writes || secret || publishes => {
                assert_eq!(job["if"], gate, "{name} runs in a dry run");
                let needs = job["needs"].as_array().expect("needs");
                assert!(needs.iter().any(|n| n == "version"), "{name}: {needs:?}");
            }
            _ => assert!(job.get("if").is_none(), "{name} is built in a dry run too"),
        }
    }
    // The publishing jobs' environments and credentials.
    let jobs = jobs(&wf);
    assert_eq!(jobs["pypi"]["environment"]["name"], "pypi");
    assert_eq!(jobs["pypi"]["permissions"]["id-token"], "write");
    assert_eq!(jobs["crates-io"]["environment"]["name"], "crates-io");
    let publish = step(&wf, "crates-io", "cargo publish");
    assert!(
        publish["run"]
            .as_str()
            .unwrap()
            .contains("cargo publish --locked")
    );
    assert_eq!(
        publish["env"]["CARGO_REGISTRY_TOKEN"],
        "${{ secrets.CARGO_REGISTRY_TOKEN }}"
    );
    let mirror = step(&wf, "pre-commit-mirror", "Push the mirror");
    assert_eq!(
        mirror["env"]["DEPLOY_KEY"],
        "${{ secrets.PRE_COMMIT_MIRROR_DEPLOY_KEY }}"
    );
    assert!(
        mirror["env"]["MIRROR"]
            .as_str()
            .unwrap()
            .contains("resilint/resilint-pre-commit"),
        "{mirror}"
    );
    // The template pushed as it is, when it is in this checkout (another branch adds it).
    let template = repo_path("integrations/pre-commit");
    if template.exists() {
        for file in [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"] {
            assert!(
                template.join(file).is_file(),
                "integrations/pre-commit/{file}"
            );
        }
    }
    assert!(
        mirror["run"]
            .as_str()
            .unwrap()
            .contains("cp -R ../resilint/integrations/pre-commit/. ."),
        "{mirror}"
    );
    // The mirror installs the wheel: pushed after PyPI has it.
    assert!(
        jobs["pre-commit-mirror"]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "pypi")
    );
}

// ---------------------------------------------------------------------------------------------
// The workflow's scripts, run here

#[cfg(unix)]
#[test]
fn the_version_check_compares_the_tag_with_cargo_toml() {
    if external("jq", &repo_path(""))
        .arg("--version")
        .output()
        .is_err()
    {
        // GitHub's runners have jq; a machine without it cannot run the script.
        eprintln!("skipped: jq is not installed");
        return;
    }
    let wf = workflow();
    let script = steps(&wf["jobs"]["version"])
        .iter()
        .find(|s| s["id"] == "version")
        .and_then(|s| s["run"].as_str())
        .expect("the version step");
    let root = repo_path("");
    let run = |event: &str, ref_type: &str, ref_name: &str| {
        let output = tempfile::NamedTempFile::new().unwrap();
        let (code, log) = run_script(
            script,
            &root,
            &[
                ("EVENT_NAME", event),
                ("REF_TYPE", ref_type),
                ("REF_NAME", ref_name),
                ("GITHUB_OUTPUT", output.path().to_str().unwrap()),
            ],
        );
        (code, log, std::fs::read_to_string(output.path()).unwrap())
    };
    let tag = format!("v{VERSION}");
    let (code, log, out) = run("push", "tag", &tag);
    assert_eq!(code, 0, "{log}");
    assert_eq!(out, format!("version={VERSION}\npublish=true\n"));
    // Another tag than Cargo.toml's version stops the release.
    let (code, log, out) = run("push", "tag", "v9.9.9");
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!("the tag v9.9.9 is not v{VERSION}")),
        "{log}"
    );
    assert_eq!(out, "");
    // The pre-commit template pins another version: stopped before anything is built.
    // A copy of the checkout by symbolic links (cargo reads the manifest, its targets and the
    // patched crates), with a template of its own.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name();
        if !["integrations", "target", ".git"].contains(&name.to_str().unwrap_or("")) {
            std::os::unix::fs::symlink(root.join(&name), dir.path().join(&name)).unwrap();
        }
    }
    let template = std::fs::read_to_string(root.join("integrations/pre-commit/pyproject.toml"))
        .expect("the pre-commit template");
    let pin = format!("\"resilint=={VERSION}\"");
    assert!(template.contains(&pin), "{template}");
    common::write(
        dir.path(),
        "integrations/pre-commit/pyproject.toml",
        template.replace(&pin, "\"resilint==0.0.1\"").as_bytes(),
    );
    let output = tempfile::NamedTempFile::new().unwrap();
    let (code, log) = run_script(
        script,
        dir.path(),
        &[
            ("EVENT_NAME", "push"),
            ("REF_TYPE", "tag"),
            ("REF_NAME", &tag),
            ("GITHUB_OUTPUT", output.path().to_str().unwrap()),
        ],
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!("does not pin resilint=={VERSION}")),
        "{log}"
    );

    // A dry run from a branch: built, not published.
    let (code, log, out) = run("workflow_dispatch", "branch", "main");
    assert_eq!(code, 0, "{log}");
    assert_eq!(out, format!("version={VERSION}\npublish=false\n"));
    assert!(log.contains("::notice::dry run"), "{log}");
}

/// The Archive step on stand-in binaries for the Linux targets, then the container job's layout
/// step on its archives: what the Dockerfile copies is there, and the archives are named and
/// laid out as the Action expects (tests/action.rs serves archives of that layout).
#[cfg(unix)]
#[test]
fn the_archives_and_the_image_layout_are_what_the_action_and_the_dockerfile_use() {
    let wf = workflow();
    let archive = step(&wf, "binaries", "Archive")["run"].as_str().unwrap();
    let layout = step(&wf, "container", "Binaries for the image")["run"]
        .as_str()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    std::fs::copy(repo_path("README.md"), work.join("README.md")).unwrap();
    let license = repo_path("LICENSE").is_file();
    if license {
        std::fs::copy(repo_path("LICENSE"), work.join("LICENSE")).unwrap();
    }
    std::fs::create_dir_all(work.join("archives")).unwrap();
    for target in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
        let bin = work.join(format!("target/{target}/release/resilint"));
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::write(&bin, format!("#!/bin/sh\necho {target}\n")).unwrap();
        let (code, log) = run_script(archive, work, &[("TARGET", target), ("VERSION", VERSION)]);
        assert_eq!(code, 0, "{log}");
        let name = format!("resilint-{VERSION}-{target}");
        let out = work.join("out");
        assert!(
            !out.join(&name).exists(),
            "the staging directory is removed"
        );
        // What the Action downloads: the archive, and in it <name>/resilint.
        let listing = external("tar", &out)
            .args(["-tzf", &format!("{name}.tar.gz")])
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout);
        let entries: BTreeSet<&str> = listing.lines().map(|l| l.trim_end_matches('/')).collect();
        assert!(
            entries.contains(format!("{name}/resilint").as_str()),
            "{listing}"
        );
        assert!(
            entries.contains(format!("{name}/README.md").as_str()),
            "{listing}"
        );
        assert_eq!(
            entries.contains(format!("{name}/LICENSE").as_str()),
            license,
            "the licence file when there is one: {listing}"
        );
        let check = external("sha256sum", &out)
            .args(["--check", "--strict", &format!("{name}.tar.gz.sha256")])
            .output()
            .unwrap();
        assert!(check.status.success(), "{check:?}");
        for file in [format!("{name}.tar.gz"), format!("{name}.tar.gz.sha256")] {
            std::fs::rename(out.join(&file), work.join("archives").join(&file)).unwrap();
        }
    }

    let output = work.join("github-output");
    let (code, log) = run_script(
        layout,
        work,
        &[
            ("VERSION", VERSION),
            ("OWNER", "ReSilint"),
            ("GITHUB_OUTPUT", output.to_str().unwrap()),
        ],
    );
    assert_eq!(code, 0, "{log}");
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(
        outputs.contains("name=ghcr.io/resilint/resilint\n"),
        "{outputs}"
    );
    let expected_tags = if VERSION.contains('-') {
        format!("tags=ghcr.io/resilint/resilint:{VERSION}\n")
    } else {
        format!("tags=ghcr.io/resilint/resilint:{VERSION},ghcr.io/resilint/resilint:latest\n")
    };
    assert!(outputs.contains(&expected_tags), "{outputs}");

    // The Dockerfile's COPY sources, for each platform the image is built for.
    let dockerfile = std::fs::read_to_string(repo_path("Dockerfile")).unwrap();
    let copies: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY "))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let source = copies[0]
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .nth(1)
        .unwrap();
    let build = step(&wf, "container", "build");
    let platforms = build["with"]["platforms"].as_str().unwrap();
    let dockerignore = std::fs::read_to_string(repo_path(".dockerignore")).unwrap();
    for (platform, target) in [
        ("linux/amd64", "x86_64-unknown-linux-musl"),
        ("linux/arm64", "aarch64-unknown-linux-musl"),
    ] {
        assert!(platforms.contains(platform), "{platforms}");
        let arch = platform.trim_start_matches("linux/");
        let path = source.replace("${TARGETARCH}", arch);
        let copied = std::fs::read_to_string(work.join(&path))
            .unwrap_or_else(|e| panic!("{path} is not laid out by the workflow: {e}"));
        assert!(copied.contains(target), "{path} is the {target} binary");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(work.join(&path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "{path} is executable: {mode:o}");
        assert!(
            dockerignore.lines().any(|l| l == format!("!{path}")),
            ".dockerignore keeps {path} in the build context"
        );
    }
}

#[test]
fn the_dockerfile_runs_resilint_as_a_user_in_src() {
    let text = std::fs::read_to_string(repo_path("Dockerfile")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    let has = |line: &str| lines.contains(&line);
    let from: Vec<&&str> = lines.iter().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(from.len(), 1, "{from:?}");
    // A base with a shell (GitLab runs script lines in it), pinned to a version.
    assert!(
        regex::Regex::new(r"^FROM alpine:\d+\.\d+(@sha256:[0-9a-f]{64})?$")
            .unwrap()
            .is_match(from[0]),
        "{}",
        from[0]
    );
    assert!(has("ARG TARGETARCH"));
    assert!(has("WORKDIR /src"));
    assert!(has(r#"ENTRYPOINT ["resilint"]"#));
    assert!(has(r#"CMD ["check", "."]"#));
    let user = lines
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER");
    let id = user.split(':').next().unwrap();
    assert!(id != "0" && id != "root", "not root: {user}");
    // No RUN: the arm64 image is built without emulation (the workflow sets up none).
    assert!(!lines.iter().any(|l| l.starts_with("RUN ")), "{lines:?}");
    for label in ["source", "licenses", "version", "revision", "title"] {
        assert!(
            text.contains(&format!("org.opencontainers.image.{label}=")),
            "OCI label {label}"
        );
    }
    let cargo = std::fs::read_to_string(repo_path("Cargo.toml")).unwrap();
    let license = cargo
        .lines()
        .find_map(|l| l.strip_prefix("license = "))
        .expect("a licence in Cargo.toml");
    assert!(
        text.contains(&format!("org.opencontainers.image.licenses={license}")),
        "the image's licence is Cargo.toml's: {license}"
    );
}
