//! SARIF output: valid against the official 2.1.0 schema, and shaped as GitHub code scanning and
//! other consumers require (../shared/SARIF.md).

mod common;

use common::sarif::{assert_valid, validator};
use common::{run, tempdir_with};
use serde_json::Value;

fn sarif(args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let out = run(&all);
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn output_is_valid_against_the_schema() {
    for args in [
        vec!["testdata/examples/terraform"],
        vec!["testdata/examples/cloudformation"],
        vec!["testdata/examples/cloudformation", "--region", "eu-west-1"],
        vec!["testdata/examples", "--category", "infra/prod"],
    ] {
        assert_valid(&sarif(&args));
    }
}

#[test]
fn the_schema_check_can_fail() {
    let mut log = sarif(&["testdata/examples/terraform"]);
    assert!(validator().is_valid(&log));
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator().is_valid(&log), "a 0 line must be rejected");
    let mut log = sarif(&["testdata/examples/terraform"]);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator().is_valid(&log));
}

#[test]
fn parse_failures_become_results_and_notifications() {
    let dir = tempdir_with(&[
        (
            "broken.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket =\n}\n",
        ),
        ("ok.tf", "resource \"aws_s3_bucket\" \"c\" {}\n"),
    ]);
    let log = sarif(&[dir.path().to_str().unwrap()]);
    assert_valid(&log);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.tf"
    );
    let results = run["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "RES000" && r["level"] == "error")
    );
    // The other file is still scanned.
    assert!(results.iter().any(|r| r["ruleId"] == "RES009"));
}

#[test]
fn shape_matches_what_code_scanning_requires() {
    let log = sarif(&["testdata/examples/terraform"]);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "exactly one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "resilint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 17, "every rule that can fire");
    for r in rules {
        for field in ["id", "name"] {
            assert!(r[field].is_string(), "{r}");
        }
        let full = r["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.is_empty() && full.len() <= 1024, "{}", r["id"]);
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## How to fix")
        );
        assert!(r["properties"]["tags"].as_array().unwrap().len() <= 20);
        assert!(
            r["properties"].get("security-severity").is_none(),
            "off by default"
        );
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(
        run["automationDetails"]["id"]
            .as_str()
            .unwrap()
            .starts_with("resilint/")
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let rule_index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[rule_index]["id"], r["ruleId"]);
        let loc = &r["locations"][0];
        let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("testdata/examples/terraform/"),
            "relative to the repository root: {uri}"
        );
        let region = &loc["physicalLocation"]["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().unwrap() >= 1, "{k} in {r}");
        }
        assert!(
            r.get("logicalLocations").is_none(),
            "logical locations belong in the location"
        );
        let fq = loc["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert!(fq.starts_with("aws_"), "{fq}");
        assert_eq!(loc["logicalLocations"][0]["kind"], "resource");
        let fp = r["partialFingerprints"]["resilint/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 32);
        assert!(
            r["partialFingerprints"]
                .get("primaryLocationLineHash")
                .is_none()
        );
        // Every related location is referenced from the message.
        for rel in r["relatedLocations"].as_array().into_iter().flatten() {
            let id = rel["id"].as_u64().unwrap();
            assert!(
                r["message"]["text"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("]({id})")),
                "{r}"
            );
        }
    }
    // Numbers are machine-readable.
    let rpo = results
        .iter()
        .find(|r| r["ruleId"] == "RES002")
        .expect("an RTO finding in the example");
    assert_eq!(rpo["properties"]["tier"], "mission-critical");
    assert_eq!(rpo["properties"]["scope"], "logical");
    assert_eq!(rpo["properties"]["targetSeconds"], 3600);
    assert_eq!(rpo["properties"]["estimateSeconds"], 7200);
}

#[test]
fn fingerprints_survive_moved_lines() {
    let body = "resource \"aws_dynamodb_table\" \"t\" {\n  name = \"t\"\n  tags = { resilience-tier = \"essential\" }\n}\n";
    let dir = tempdir_with(&[("main.tf", body)]);
    let p = dir.path().to_str().unwrap();
    let fingerprints = |log: &Value| -> Vec<(String, String, u64)> {
        let mut v: Vec<_> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["resilint/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = fingerprints(&sarif(&[p]));
    std::fs::write(dir.path().join("main.tf"), format!("# moved\n\n\n{body}")).unwrap();
    let after = fingerprints(&sarif(&[p]));
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "fingerprint changed");
        assert_eq!(b.2 + 3, a.2, "line moved");
    }
}

#[test]
fn security_severity_is_opt_in_and_a_string() {
    let dir = tempdir_with(&[
        ("resilint.toml", "[security-severity]\nerror = \"7.5\"\n"),
        ("main.tf", ""),
    ]);
    let log = sarif(&[dir.path().to_str().unwrap()]);
    assert_valid(&log);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let res000 = rules.iter().find(|r| r["id"] == "RES000").unwrap();
    assert_eq!(res000["properties"]["security-severity"], "7.5");
}

#[test]
fn suppressed_results_carry_suppressions_and_stay_valid() {
    // Inline: a comment (Terraform) and Metadata (CloudFormation) hide RES004.
    for dir in [
        "testdata/rules/RES013-suppression-unused/terraform",
        "testdata/rules/RES013-suppression-unused/cloudformation",
    ] {
        let log = sarif(&[dir, "--region", "eu-west-1"]);
        assert_valid(&log);
        let results = log["runs"][0]["results"].as_array().unwrap();
        let suppressed: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(suppressed.len(), 1, "{dir}: {suppressed:#?}");
        assert_eq!(suppressed[0]["ruleId"], "RES004");
        let s = &suppressed[0]["suppressions"][0];
        assert_eq!(s["kind"], "inSource");
        assert_eq!(
            s["justification"],
            "DR copy lands with the platform migration"
        );
    }
    // A baseline: every result is suppressed with kind external.
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let out = run(&[
        "check",
        "testdata/examples/terraform",
        "--write-baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let log = sarif(&[
        "testdata/examples/terraform",
        "--baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_valid(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(r["suppressions"][0]["kind"], "external", "{r}");
    }
}
