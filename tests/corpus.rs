//! The real-world corpus in ../shared/corpus (Terraform and CloudFormation written by others):
//! everything is scanned without a panic, and only files that are genuinely invalid fail to parse.
//! Skipped when the corpus is absent, unless `RESILINT_REQUIRE_CORPUS=1`.

mod common;

use common::{CORPUS, repo_path, run};

/// Files of the corpus that are not valid Terraform / CloudFormation, and why. Most are the
/// negative test inputs of other linters.
const INVALID: &[(&str, &str)] = &[
    (
        "aws-cloudformation__cfn-lint/test/fixtures/templates/bad/core/config_invalid_json.json",
        "missing comma",
    ),
    (
        "aws-cloudformation__cfn-lint/test/fixtures/templates/bad/core/config_invalid_yaml.yaml",
        "broken block mapping",
    ),
    (
        "aws-cloudformation__cfn-lint/test/fixtures/templates/bad/duplicate.yaml",
        "duplicate key",
    ),
    (
        "aws-cloudformation__cfn-lint/test/fixtures/templates/bad/json_parse.json",
        "missing colon",
    ),
    (
        "aws-cloudformation__cfn-lint/test/fixtures/templates/bad/template.yaml",
        "broken block mapping",
    ),
    (
        "bridgecrewio__checkov/tests/cloudformation/graph/graph_runner/resources/complex_jsonpath_if_condition/example.yaml",
        "a flow sequence's closing bracket is not indented below its key (YAML 1.2; libyaml tolerates it)",
    ),
    (
        "bridgecrewio__checkov/tests/cloudformation/parser/success_triple_quotes_string.json",
        "Python triple quotes are not JSON",
    ),
    (
        "bridgecrewio__checkov/tests/cloudformation/runner/resources/invalid.json",
        "unterminated object",
    ),
    (
        "bridgecrewio__checkov/tests/cloudformation/runner/resources/invalid.yaml",
        "duplicate key",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/checks/data/aws/example_AdminPolicyDocument/main.tf",
        "a block inside an object constructor",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/checks/data/aws/example_StarActionPolicyDocument/main.tf",
        "a block inside an object constructor",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/checks/resource/alicloud/example_RDSInstanceSSL/main.tf",
        "attribute defined twice in a block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/checks/resource/oci/example_SecurityListUnrestrictedIngress22/main.tf",
        "quoted attribute name in a block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/graph/checks/resources/S3BucketVersioning/main.tf",
        "`}` on the line of an attribute in a multi-line block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/graph/resources/variable_rendering/render_from_module_def_sg/main.tf",
        "invalid escape `\\/`",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/graph/variable_rendering/test_resources/list_entry_module_var/module/main.tf",
        "attribute defined twice in a block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/parser/resources/hcl_timeout/main.tf",
        "unterminated function call",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/parser/resources/parser_scenarios/bad_tf_nested_modules_enable/skip_bad_tf_example.tf",
        "attribute defined twice in a block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/parser/resources/parser_scenarios/maze_of_variables/maze.tf",
        "`${` inside an interpolation",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/parser/skip_bad_tf_example.tf",
        "attribute defined twice in a block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/runner/resources/example/example.tf",
        "attribute defined twice in a block",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/runner/resources/example/invalid.tf",
        "not HCL",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/runner/resources/hcl_timeout/main.tf",
        "unterminated function call",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/runner/resources/invalid_terraform_syntax/bad_tf_1.tf",
        "broken structure",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/runner/resources/invalid_terraform_syntax/bad_tf_2.tf",
        "broken structure",
    ),
    (
        "bridgecrewio__checkov/tests/terraform/runner/resources/unbalanced_eval_brackets/main.tf",
        "unbalanced brackets",
    ),
];

#[test]
fn corpus_scans_without_panics_and_only_invalid_files_fail() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    let out = run(&[
        "check",
        corpus.to_str().unwrap(),
        "--format",
        "json",
        "--jobs",
        "2",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(2),
        "invalid files make the exit code 2\n{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let prefix = corpus.canonicalize().unwrap();
    let mut failed: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "RES000")
        .map(|f| {
            // Paths are relative to the repository containing the corpus, or to the corpus.
            let file = f["file"].as_str().unwrap().to_string();
            let abs = repo_path(&file);
            match abs
                .canonicalize()
                .ok()
                .and_then(|a| a.strip_prefix(&prefix).ok().map(|p| p.to_path_buf()))
            {
                Some(rel) => rel.to_string_lossy().into_owned(),
                None => file.trim_start_matches(&format!("{CORPUS}/")).to_string(),
            }
        })
        .collect();
    failed.sort();
    failed.dedup();
    let mut expected: Vec<String> = INVALID.iter().map(|(f, _)| f.to_string()).collect();
    expected.sort();
    let unexpected: Vec<&String> = failed.iter().filter(|f| !expected.contains(f)).collect();
    let fixed: Vec<&String> = expected.iter().filter(|f| !failed.contains(f)).collect();
    assert!(
        unexpected.is_empty(),
        "valid files fail to parse: {unexpected:#?}"
    );
    assert!(
        fixed.is_empty(),
        "files listed as invalid now parse (update INVALID): {fixed:#?}"
    );
    let summary = &v["summary"];
    assert!(summary["files"].as_u64().unwrap() > 6_000, "{summary}");
    assert!(summary["resources"].as_u64().unwrap() > 15_000, "{summary}");
}

#[test]
fn corpus_sarif_is_one_valid_log() {
    let Some(corpus) = common::corpus("terraform-aws-modules__terraform-aws-rds") else {
        return;
    };
    let out = run(&["check", corpus.to_str().unwrap(), "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF JSON");
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    common::sarif::assert_valid(&log);
}
