//! The CI formats (github, markdown, junit) on real scans: JUnit parsed in full by an XML parser
//! and checked against the JSON findings and the explain list; several formats (these, SARIF,
//! JSON and human) from one scan.

mod common;

use common::xml::parse;
use common::{codes, run, run_json, stdout, tempdir_with};
use serde_json::Value;

#[test]
fn junit_is_well_formed_and_matches_the_findings() {
    let doc = parse(&stdout(&[
        "check",
        "testdata/examples",
        "--format",
        "junit",
    ]));
    let (json, _) = run_json(&["check", "testdata/examples", "--format", "json"]);
    let (explain, _) = run_json(&["explain", "testdata/examples", "--format", "json"]);
    assert_eq!(doc.name, "testsuites");
    let suite = doc.all("testsuite");
    assert_eq!(suite.len(), 1);
    let cases = suite[0].all("testcase");
    let resources = explain["resources"].as_array().expect("resources");
    assert_eq!(cases.len(), resources.len());
    for (c, r) in cases.iter().zip(resources) {
        assert_eq!(c.attr("name"), r["address"].as_str().unwrap_or_default());
        assert_eq!(c.attr("classname"), r["file"].as_str().unwrap_or_default());
    }
    let findings = json["findings"].as_array().expect("findings");
    let failing: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f["level"] != "note")
        .map(|f| {
            (
                f["resource"].as_str().unwrap_or_default().to_string(),
                f["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut got: Vec<(String, String)> = cases
        .iter()
        .flat_map(|c| {
            c.all("failure")
                .into_iter()
                .map(|f| (c.attr("name").to_string(), f.attr("type").to_string()))
        })
        .collect();
    let mut want = failing.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let failed_cases = cases
        .iter()
        .filter(|c| !c.all("failure").is_empty())
        .count();
    assert_eq!(doc.attr("tests"), cases.len().to_string());
    assert_eq!(doc.attr("failures"), failed_cases.to_string());
    assert_eq!(suite[0].attr("failures"), failed_cases.to_string());
    // The failure's message is the first sentence of the finding's.
    for f in cases.iter().flat_map(|c| c.all("failure")) {
        let m = f.attr("message");
        assert!(m.ends_with('.') && !m.contains(". "), "{m}");
        assert!(f.text.contains(m), "{}", f.text);
    }
}

#[test]
fn junit_gives_a_file_that_cannot_be_parsed_its_own_case() {
    let dir = tempdir_with(&[
        (
            "ok.tf",
            "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n",
        ),
        (
            "broken.tf",
            "resource \"aws_s3_bucket\" \"x\" {\n  bucket = <\"&\n",
        ),
    ]);
    let path = dir.path().to_string_lossy().into_owned();
    let doc = parse(&stdout(&["check", &path, "--format", "junit"]));
    let cases = doc.all("testsuite")[0].all("testcase");
    let broken: Vec<_> = cases
        .iter()
        .filter(|c| c.attr("name").starts_with("RES000 "))
        .collect();
    assert_eq!(broken.len(), 1, "{doc:#?}");
    assert!(broken[0].attr("name").ends_with("broken.tf:2"), "{doc:#?}");
    assert_eq!(broken[0].all("failure").len(), 1);
    assert_eq!(broken[0].all("failure")[0].attr("type"), "RES000");
}

#[test]
fn several_formats_from_one_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (xml, md, gh) = (file("junit.xml"), file("summary.md"), file("github.txt"));
    let (sarif, json) = (file("r.sarif"), file("r.json"));
    let out = run(&[
        "check",
        "testdata/examples",
        "-o",
        &format!("junit={xml}"),
        "-o",
        &format!("markdown={md}"),
        "-o",
        &format!("github={gh}"),
        "-o",
        &format!("sarif={sarif}"),
        "-o",
        &format!("json={json}"),
        "-o",
        "human",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("error[RES002]"), "{human}");
    let read = |p: &str| std::fs::read_to_string(p).expect("written");
    parse(&read(&xml));
    let md = read(&md);
    assert!(md.starts_with("## resilint\n"), "{md}");
    assert!(md.contains("### Estimates"), "{md}");
    let sarif: Value = serde_json::from_str(&read(&sarif)).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let (separate, _) = run_json(&["check", "testdata/examples", "--format", "json"]);
    let written: Value = serde_json::from_str(&read(&json)).expect("JSON");
    assert_eq!(
        codes(&written),
        codes(&separate),
        "one analysis, the same findings"
    );
    let gh = read(&gh);
    let findings = separate["findings"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(gh.lines().filter(|l| l.starts_with("::")).count(), findings);
    assert!(
        gh.lines().last().unwrap_or("").starts_with("Scanned "),
        "{gh}"
    );
    // Two outputs cannot share standard output.
    let out = run(&["check", "testdata/examples", "-o", "human", "-o", "json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_findings_in_every_ci_format() {
    let dir = tempdir_with(&[(
        "main.tf",
        "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n}\n",
    )]);
    let path = dir.path().to_string_lossy().into_owned();
    let gh = stdout(&["check", &path, "--format", "github"]);
    assert_eq!(gh.lines().count(), 1, "{gh}");
    assert!(
        gh.starts_with("Scanned 1 file, 1 resource (0 stateful): 0 errors"),
        "{gh}"
    );
    let md = stdout(&["check", &path, "--format", "markdown"]);
    assert!(md.contains("\nNo findings.\n"), "{md}");
    assert!(md.contains("No stateful resources found."), "{md}");
    let doc = parse(&stdout(&["check", &path, "--format", "junit"]));
    assert_eq!(doc.attr("tests"), "0");
    assert_eq!(doc.all("testsuite")[0].attr("failures"), "0");
}
