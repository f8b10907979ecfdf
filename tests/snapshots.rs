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
