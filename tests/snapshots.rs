//! Snapshots of every output format on the examples (reviewed with `cargo insta review`).

mod common;

use common::stdout;

#[test]
fn human_terraform() {
    insta::assert_snapshot!(stdout(&["check", "testdata/examples/terraform"]));
}

#[test]
fn human_cloudformation() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "testdata/examples/cloudformation",
        "--region",
        "eu-west-1"
    ]));
}

#[test]
fn sarif_terraform() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "testdata/examples/terraform",
        "--format",
        "sarif"
    ]));
}

#[test]
fn json_cloudformation() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "testdata/examples/cloudformation",
        "--format",
        "json"
    ]));
}

#[test]
fn explain_table_terraform() {
    insta::assert_snapshot!(stdout(&["explain", "testdata/examples/terraform"]));
}

#[test]
fn explain_json_cloudformation() {
    insta::assert_snapshot!(stdout(&[
        "explain",
        "testdata/examples/cloudformation",
        "--format",
        "json"
    ]));
}

#[test]
fn rules_list() {
    insta::assert_snapshot!(stdout(&["rules"]));
}

#[test]
fn github_examples() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "testdata/examples",
        "--format",
        "github"
    ]));
}

#[test]
fn markdown_examples() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "testdata/examples",
        "--format",
        "markdown"
    ]));
}

#[test]
fn junit_examples() {
    insta::assert_snapshot!(stdout(&["check", "testdata/examples", "--format", "junit"]));
}

#[test]
fn report_markdown_examples() {
    insta::assert_snapshot!(stdout(&[
        "report",
        "testdata/examples",
        "--format",
        "markdown"
    ]));
}

#[test]
fn report_html_examples() {
    insta::assert_snapshot!(stdout(&["report", "testdata/examples"]));
}

#[test]
fn runbook_examples() {
    insta::assert_snapshot!(stdout(&["runbook", "testdata/examples"]));
}

/// The fleet report of the two examples' SARIF, as if from two repositories.
#[test]
fn fleet_report_examples() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, path) in [
        ("cloudformation", "testdata/examples/cloudformation"),
        ("terraform", "testdata/examples/terraform"),
    ] {
        let file = dir.path().join(format!("{name}.sarif"));
        let out = common::resilint()
            .env(
                "RESILINT_REPOSITORY_URI",
                format!("https://example.com/acme/{name}"),
            )
            .args(["check", path, "-f", "sarif", "-o"])
            .arg(&file)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
    }
    let out = common::resilint()
        .args(["report", "--sarif", "-f", "markdown"])
        .arg(dir.path())
        .output()
        .expect("runs");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
