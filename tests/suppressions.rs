//! Suppressions, baselines and diff-aware runs, through the binary.

mod common;

use common::{codes, copy_dir, git, repo_path, run_in, run_json_in, tempdir_with};
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

#[test]
fn inline_suppressions_hide_findings_from_output_and_exit_code() {
    let dir = tempdir_with(&[("main.tf", DB)]);
    let out = run_in(dir.path(), &["check", "."]);
    let human = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{human}");
    assert!(
        human.ends_with("Scanned 1 file, 1 resource (1 stateful): 0 errors, 0 warnings, 0 notes (2 suppressed).\n"),
        "{human}"
    );
    let out = run_in(dir.path(), &["check", ".", "--show-suppressed"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("warning[RES004]") && shown.contains("warning[RES006]"),
        "{shown}"
    );
    assert!(
        shown.contains("suppressed at main.tf:9: a standby is not worth it for this database"),
        "{shown}"
    );
    let (v, _) = run_json_in(dir.path(), &["check", ".", "--format", "json"]);
    assert!(codes(&v).is_empty(), "{v}");
    let (v, _) = run_json_in(
        dir.path(),
        &["check", ".", "--format", "json", "--show-suppressed"],
    );
    assert_eq!(
        codes(&v),
        [
            ("RES004".to_string(), "aws_db_instance.orders".to_string()),
            ("RES006".to_string(), "aws_db_instance.orders".to_string())
        ]
    );
    assert_eq!(v["findings"][0]["suppression"]["kind"], "inSource");
}

#[test]
fn removing_the_comment_brings_the_finding_back() {
    let without = DB.replace(
        "  # resilint:ignore single-zone reason=\"a standby is not worth it for this database\"\n",
        "",
    );
    let dir = tempdir_with(&[("main.tf", &without)]);
    let (v, code) = run_json_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&v),
        [("RES006".to_string(), "aws_db_instance.orders".to_string())]
    );
}

#[test]
fn baselines_report_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_path("testdata/examples/terraform"), dir.path());
    let (all, _) = run_json_in(dir.path(), &["check", ".", "--format", "json"]);
    let total = codes(&all).len();
    assert!(total > 3);

    let out = run_in(
        dir.path(),
        &["check", ".", "--write-baseline", "resilint-baseline.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "writing a baseline accepts what is there"
    );
    let baseline: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("resilint-baseline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), total);

    let with = ["check", ".", "--baseline", "resilint-baseline.json"];
    let out = run_in(dir.path(), &with);
    let human = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{human}");
    assert!(human.contains(&format!("({total} suppressed)")), "{human}");

    // Lines move: the baseline still matches (fingerprints hold no line numbers).
    let main = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    std::fs::write(dir.path().join("main.tf"), format!("\n\n\n# moved\n{main}")).unwrap();
    assert_eq!(run_in(dir.path(), &with).status.code(), Some(0));

    // A new problem is reported, and only it.
    std::fs::write(
        dir.path().join("new.tf"),
        "resource \"aws_ebs_volume\" \"scratch\" {\n  availability_zone = \"eu-west-1a\"\n  size = 10\n}\n",
    )
    .unwrap();
    let mut args = with.to_vec();
    args.extend(["--format", "json"]);
    let (v, code) = run_json_in(dir.path(), &args);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&v),
        [("RES009".to_string(), "aws_ebs_volume.scratch".to_string())]
    );
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
    let out = run_in(dir.path(), &with);
    let human = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(human.contains("1 baseline entry fixed"), "{human}");
}

#[test]
fn a_baseline_that_is_not_one_is_a_usage_error() {
    let dir = tempdir_with(&[
        ("main.tf", DB),
        ("b.json", "{\"version\": 7, \"findings\": []}"),
    ]);
    let out = run_in(dir.path(), &["check", ".", "--baseline", "b.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("baseline version 7"));
}

#[test]
fn changed_since_reports_what_a_change_touches() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    copy_dir(&repo_path("testdata/examples/terraform"), &repo);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "first"]);
    let first = git(&repo, &["rev-parse", "HEAD"]);

    // Nothing changed: nothing to report.
    let (v, code) = run_json_in(
        &repo,
        &["check", ".", "--format", "json", "--changed-since", "HEAD"],
    );
    assert_eq!(code, 0, "{v}");

    // A change to the backup plan: the database it protects is reported, the others are not.
    let backup = std::fs::read_to_string(repo.join("backup.tf")).unwrap();
    std::fs::write(
        repo.join("backup.tf"),
        backup.replace("delete_after = 30", "delete_after = 31"),
    )
    .unwrap();
    git(&repo, &["commit", "-qam", "second"]);
    let (v, code) = run_json_in(
        &repo,
        &["check", ".", "--format", "json", "--changed-since", &first],
    );
    assert_eq!(code, 1);
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
    let out = run_in(&repo, &["check", ".", "--changed-since", "no-such-branch"]);
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
    let out = run_in(&shallow, &["check", ".", "--changed-since", &first]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(&shallow, &["fetch", "-q", "--depth", "1", "origin", &first]);
    let (v2, code) = run_json_in(
        &shallow,
        &["check", ".", "--format", "json", "--changed-since", &first],
    );
    assert_eq!(code, 1, "{v2}");
    assert_eq!(codes(&v2), codes(&v));
}
