//! Suppressions, baselines, diff-aware runs and several outputs from one run, through the binary.

mod common;

use std::path::Path;

use common::{git, repo_path, resilint, run_json, tempdir_with};
use serde_json::Value;

const DB: &str = r#"provider "aws" {
  region = "eu-west-1"
}

# resilint:ignore RES004 reason="DR copy lands with the platform migration" until=2099-12-31
resource "aws_db_instance" "orders" {
  identifier              = "orders"
  backup_retention_period = 7
  # resilint:ignore single-zone reason="a standby is not worth it for this database"
  multi_az = false
  tags = {
    resilience-tier = "essential"
  }
}
"#;

fn codes_in(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn stdout_of(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = resilint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn inline_suppressions_hide_findings_from_output_and_exit_code() {
    let dir = tempdir_with(&[("main.tf", DB)]);
    let (human, code) = stdout_of(dir.path(), &["check", "."]);
    assert_eq!(code, 0, "{human}");
    assert!(
        human.ends_with("Scanned 1 file, 1 resource (1 stateful): 0 errors, 0 warnings, 0 notes (2 suppressed).\n"),
        "{human}"
    );
    let (shown, _) = stdout_of(dir.path(), &["check", ".", "--show-suppressed"]);
    assert!(
        shown.contains("warning[RES004]") && shown.contains("warning[RES006]"),
        "{shown}"
    );
    assert!(
        shown.contains("suppressed at main.tf:9: a standby is not worth it for this database"),
        "{shown}"
    );
    let (json, _) = stdout_of(dir.path(), &["check", ".", "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(codes_in(&v).is_empty(), "{v}");
    let (json, _) = stdout_of(
        dir.path(),
        &["check", ".", "--format", "json", "--show-suppressed"],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(codes_in(&v), ["RES004", "RES006"]);
    assert_eq!(v["findings"][0]["suppression"]["kind"], "inSource");
}

#[test]
fn removing_the_comment_brings_the_finding_back() {
    let without = DB.replace(
        "  # resilint:ignore single-zone reason=\"a standby is not worth it for this database\"\n",
        "",
    );
    let dir = tempdir_with(&[("main.tf", &without)]);
    let (json, code) = stdout_of(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(codes_in(&v), ["RES006"]);
}

fn copy_examples(dir: &Path) {
    for name in ["main.tf", "backup.tf"] {
        std::fs::copy(
            repo_path("testdata/examples/terraform").join(name),
            dir.join(name),
        )
        .unwrap();
    }
}

#[test]
fn baselines_report_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    let (all, _) = stdout_of(dir.path(), &["check", ".", "--format", "json"]);
    let all: Value = serde_json::from_str(&all).unwrap();
    let total = codes_in(&all).len();
    assert!(total > 3);

    let (_, code) = stdout_of(
        dir.path(),
        &["check", ".", "--write-baseline", "resilint-baseline.json"],
    );
    assert_eq!(code, 0, "writing a baseline accepts what is there");
    let baseline: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("resilint-baseline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), total);

    let with = ["check", ".", "--baseline", "resilint-baseline.json"];
    let (human, code) = stdout_of(dir.path(), &with);
    assert_eq!(code, 0, "{human}");
    assert!(human.contains(&format!("({total} suppressed)")), "{human}");

    // Lines move: the baseline still matches (fingerprints hold no line numbers).
    let main = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    std::fs::write(dir.path().join("main.tf"), format!("\n\n\n# moved\n{main}")).unwrap();
    let (_, code) = stdout_of(dir.path(), &with);
    assert_eq!(code, 0);

    // A new problem is reported, and only it.
    std::fs::write(
        dir.path().join("new.tf"),
        "resource \"aws_ebs_volume\" \"scratch\" {\n  availability_zone = \"eu-west-1a\"\n  size = 10\n}\n",
    )
    .unwrap();
    let mut args = with.to_vec();
    args.extend(["--format", "json"]);
    let (json, code) = stdout_of(dir.path(), &args);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(codes_in(&v), ["RES009"]);
    assert_eq!(v["findings"][0]["resource"], "aws_ebs_volume.scratch");

    // A fixed finding leaves its entry unmatched, which the summary says.
    std::fs::remove_file(dir.path().join("new.tf")).unwrap();
    let main = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    let start = main
        .find("resource \"aws_s3_bucket\" \"invoices\"")
        .unwrap();
    let end = start + main[start..].find("\n}\n").unwrap() + 3;
    std::fs::write(
        dir.path().join("main.tf"),
        format!("{}{}", &main[..start], &main[end..]),
    )
    .unwrap();
    let (human, code) = stdout_of(dir.path(), &with);
    assert_eq!(code, 0);
    assert!(human.contains("1 baseline entry fixed"), "{human}");
}

#[test]
fn a_baseline_that_is_not_one_is_a_usage_error() {
    let dir = tempdir_with(&[
        ("main.tf", DB),
        ("b.json", "{\"version\": 7, \"findings\": []}"),
    ]);
    let out = resilint()
        .current_dir(dir.path())
        .args(["check", ".", "--baseline", "b.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("baseline version 7"));
}

#[test]
fn changed_since_reports_what_a_change_touches() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    copy_examples(&repo);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "first"]);
    let first = git(&repo, &["rev-parse", "HEAD"]);

    // Nothing changed: nothing to report.
    let (json, code) = stdout_of(
        &repo,
        &["check", ".", "--format", "json", "--changed-since", "HEAD"],
    );
    assert_eq!(code, 0, "{json}");

    // A change to the backup plan: the database it protects is reported, the others are not.
    let backup = std::fs::read_to_string(repo.join("backup.tf")).unwrap();
    std::fs::write(
        repo.join("backup.tf"),
        backup.replace("delete_after = 30", "delete_after = 31"),
    )
    .unwrap();
    git(&repo, &["commit", "-qam", "second"]);
    let (json, code) = stdout_of(
        &repo,
        &["check", ".", "--format", "json", "--changed-since", &first],
    );
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    let resources: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"].as_str().unwrap_or(""))
        .collect();
    assert!(!resources.is_empty());
    assert!(
        resources.iter().all(|r| *r == "aws_db_instance.orders"),
        "{resources:?}"
    );

    // An unknown revision is a usage error that says what to do.
    let out = resilint()
        .current_dir(&repo)
        .args(["check", ".", "--changed-since", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("git fetch --depth=1 origin no-such-branch")
    );

    // A shallow clone: the revision is missing until it is fetched, then it works.
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", repo.display());
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let out = resilint()
        .current_dir(&shallow)
        .args(["check", ".", "--changed-since", &first])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(&shallow, &["fetch", "-q", "--depth", "1", "origin", &first]);
    let (json, code) = stdout_of(
        &shallow,
        &["check", ".", "--format", "json", "--changed-since", &first],
    );
    assert_eq!(code, 1, "{json}");
    let v2: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(codes_in(&v2), codes_in(&v));
}

#[test]
fn several_outputs_from_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("r.sarif");
    let json = dir.path().join("r.json");
    let out = resilint()
        .args([
            "check",
            "testdata/examples/terraform",
            "-o",
            &format!("sarif={}", sarif.display()),
            "-o",
            &format!("json={}", json.display()),
            "-o",
            "human",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("error[RES002]"), "{human}");
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let (j, _) = run_json(&["check", "testdata/examples/terraform", "--format", "json"]);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        codes_in(&written),
        codes_in(&j),
        "one analysis, the same findings"
    );
    // Two outputs cannot share standard output.
    let out = resilint()
        .args([
            "check",
            "testdata/examples/terraform",
            "-o",
            "human",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
