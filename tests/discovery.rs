//! Which files a scan reads, end to end: a file named twice is scanned once and reported when
//! any of its namings is; large YAML/JSON that is not a template is skipped without being read;
//! `.tf.json` is not read.

mod common;

use std::path::Path;

use common::{resilint, tempdir_with, write};

/// A database without a tier: one RES009 warning each.
fn db(name: &str) -> String {
    format!("resource \"aws_db_instance\" \"{name}\" {{\n  engine = \"postgres\"\n}}\n")
}

const TEMPLATE: &str = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n";

/// Runs `resilint check --format json <args>` in `dir`: the JSON output, the exit code and
/// standard error.
fn check_in(dir: &Path, args: &[&str]) -> (serde_json::Value, i32, String) {
    let out = resilint()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("output of {args:?} is not JSON ({e}):\n{stdout}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (v, out.status.code().unwrap_or(-1), stderr)
}

/// The findings' (code, resource) pairs, sorted, repeats kept.
fn findings(v: &serde_json::Value) -> Vec<(String, String)> {
    common::codes(v)
}

#[test]
fn a_file_named_and_walked_is_scanned_once() {
    let dir = tempdir_with(&[("t.yaml", TEMPLATE)]);
    let (v, code, _) = check_in(dir.path(), &["t.yaml", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        [("RES009".to_string(), "t.yaml#Db".to_string())]
    );
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["resources"], 1);
}

#[test]
fn a_named_tf_file_and_its_module_count_once() {
    let dir = tempdir_with(&[("a.tf", &db("a")), ("b.tf", &db("b"))]);
    for named in ["./a.tf", "a.tf"] {
        let (v, code, _) = check_in(dir.path(), &[named]);
        assert_eq!(code, 1, "{named}");
        assert_eq!(v["summary"]["files"], 2, "{named}");
        assert_eq!(v["summary"]["resources"], 2, "{named}");
        // b.tf is context: only a.tf's finding is reported.
        assert_eq!(
            findings(&v),
            [("RES009".to_string(), "aws_db_instance.a".to_string())],
            "{named}"
        );
    }
}

#[test]
fn a_named_file_that_is_also_context_is_reported() {
    let dir = tempdir_with(&[("d/a.tf", &db("a")), ("d/b.tf", &db("b"))]);
    let (v, code, _) = check_in(&dir.path().join("d"), &["../d/a.tf", "b.tf"]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(
        findings(&v),
        [
            ("RES009".to_string(), "aws_db_instance.a".to_string()),
            ("RES009".to_string(), "aws_db_instance.b".to_string()),
        ]
    );
}

#[test]
fn terraform_json_is_read_named_or_walked() {
    let json = r#"{"resource": {"aws_db_instance": {"x": {"engine": "postgres", "backup_retention_period": 0}}}}"#;
    let dir = tempdir_with(&[("a.tf", &db("a")), ("x.tf.json", json)]);
    // Named, with its module's other file as context: only its own findings are reported.
    let (v, code, _) = check_in(dir.path(), &["x.tf.json"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["notices"], serde_json::json!([]));
    let files: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(
        !files.is_empty() && files.iter().all(|f| *f == "x.tf.json"),
        "{files:?}"
    );
    // Walked, both files are scanned.
    let (v, code, _) = check_in(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["notices"], serde_json::json!([]));
}

/// JSON data over the 16 MiB limit, starting with `start`.
fn big_json(start: &str) -> Vec<u8> {
    let mut bytes = format!("{{{start}\"data\": [").into_bytes();
    while bytes.len() <= 17 * 1024 * 1024 {
        bytes.extend_from_slice(
            b"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",",
        );
    }
    bytes.extend_from_slice(b"\"x\"]}\n");
    bytes
}

/// The RES000 messages of a `check --format json` output.
fn parse_errors(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == "RES000")
        .map(|f| {
            format!(
                "{}: {}",
                f["file"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn large_data_found_in_a_directory_is_skipped() {
    let dir = tempdir_with(&[("a.tf", &db("a"))]);
    write(dir.path(), "data.json", &big_json(""));
    let (v, code, _) = check_in(dir.path(), &["."]);
    assert_eq!(parse_errors(&v), Vec::<String>::new());
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files"], 1);
    // Named, it is reported as too large.
    let (v, code, _) = check_in(dir.path(), &["data.json"]);
    let errors = parse_errors(&v);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("file is too large to scan (17 MiB; the limit is 16 MiB)"),
        "{errors:?}"
    );
    assert_eq!(code, 2);
}

#[test]
fn a_large_template_found_in_a_directory_is_reported_as_too_large() {
    let dir = tempdir_with(&[("a.tf", &db("a"))]);
    let template = big_json("\"AWSTemplateFormatVersion\": \"2010-09-09\", ");
    write(dir.path(), "stack.json", &template);
    let plan = big_json("\"format_version\": \"1.2\", \"planned_values\": {}, ");
    write(dir.path(), "plan.json", &plan);
    let (v, code, _) = check_in(dir.path(), &["."]);
    let errors = parse_errors(&v);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| e.contains("file is too large to scan")),
        "{errors:?}"
    );
    assert_eq!(code, 2);
}
