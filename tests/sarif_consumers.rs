//! What each SARIF consumer that security teams use requires of resilint's SARIF (the checklist
//! of `../shared/reference/resilience-anchors-2026.md` §6.5), checked on three scans: the
//! Terraform example, the CloudFormation example with suppressed results, and a scan with a
//! parse error (RES000).

mod common;

use common::run;
use serde_json::Value;

fn logs() -> Vec<(String, Value)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("baseline.json");
    let b = baseline.to_str().unwrap_or_default().to_string();
    let out = run(&[
        "check",
        "testdata/examples/cloudformation",
        "--write-baseline",
        &b,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let scans: Vec<(&str, Vec<&str>)> = vec![
        ("terraform", vec!["testdata/examples/terraform"]),
        (
            "suppressed",
            vec!["testdata/examples/cloudformation", "--baseline", &b],
        ),
        ("parse-error", vec!["testdata/rules/RES000-parse-error"]),
    ];
    scans
        .into_iter()
        .map(|(name, args)| {
            let mut all = vec!["check", "-f", "sarif"];
            all.extend(args);
            let out = run(&all);
            let v: Value = serde_json::from_slice(&out.stdout).expect("SARIF");
            (name.to_string(), v)
        })
        .collect()
}

fn results(log: &Value) -> Vec<&Value> {
    log["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["results"].as_array().into_iter().flatten())
        .collect()
}

fn rules(log: &Value) -> Vec<&Value> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .collect()
}

#[test]
fn the_scans_have_what_the_consumer_tests_need() {
    let logs = logs();
    let by = |n: &str| &logs.iter().find(|(name, _)| name == n).expect("scan").1;
    assert!(results(by("terraform")).len() > 3);
    assert!(
        results(by("suppressed"))
            .iter()
            .all(|r| r["suppressions"].as_array().is_some_and(|s| !s.is_empty()))
    );
    assert!(!results(by("suppressed")).is_empty());
    assert!(
        results(by("parse-error"))
            .iter()
            .any(|r| r["ruleId"] == "RES000")
    );
}

/// DefectDojo's SARIF parser (`dojo/tools/sarif/parser.py`): one finding per `locations[]`
/// entry, `artifactLocation.uri` and `region.startLine` present (KeyError otherwise), no
/// `message.id`, rule help with text (it calls `.startswith('http')` on it), fingerprint keys
/// `name/vN` with a numeric N (ValueError otherwise), `kind` absent or `fail`.
#[test]
fn defectdojo_imports_every_result_once() {
    for (name, log) in logs() {
        for r in results(&log) {
            let locations = r["locations"].as_array().expect("locations");
            assert_eq!(locations.len(), 1, "{name}: one finding per result");
            let phys = &locations[0]["physicalLocation"];
            assert!(phys["artifactLocation"]["uri"].is_string(), "{name}");
            assert!(phys["region"]["startLine"].as_u64() >= Some(1), "{name}");
            assert!(r["message"].get("id").is_none(), "{name}");
            assert!(r.get("kind").is_none() || r["kind"] == "fail", "{name}");
            let fps = r["partialFingerprints"].as_object().expect("fingerprints");
            assert!(!fps.is_empty());
            for key in fps.keys() {
                if let Some((_, version)) = key.rsplit_once('/') {
                    let n = version.trim_start_matches('v');
                    assert!(n.parse::<u32>().is_ok(), "{key}: DefectDojo reads int(N)");
                }
            }
        }
        for rule in rules(&log) {
            assert!(rule["help"]["text"].is_string(), "{}", rule["id"]);
            assert!(rule["helpUri"].is_string(), "{}", rule["id"]);
            let tags = rule["properties"]["tags"].as_array().expect("tags");
            assert!(!tags.is_empty() && tags.len() <= 10, "{}", rule["id"]);
        }
    }
}

/// SonarQube (`sonar.sarifReportPaths`): a missing mandatory field makes it ignore the whole
/// report: `version` 2.1.0, `tool.driver.name`, every result's `message.text` and `ruleId`,
/// `locations[0]` a physical location with `artifactLocation.uri` and `region.startLine`; the
/// severity comes from the rule's `defaultConfiguration.level`.
#[test]
fn sonarqube_finds_every_mandatory_field() {
    for (name, log) in logs() {
        assert_eq!(log["version"], "2.1.0", "{name}");
        for run in log["runs"].as_array().expect("runs") {
            assert_eq!(run["tool"]["driver"]["name"], "resilint");
        }
        for r in results(&log) {
            assert!(
                r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{name}"
            );
            assert!(r["ruleId"].is_string(), "{name}");
            let phys = &r["locations"][0]["physicalLocation"];
            assert!(phys["artifactLocation"]["uri"].is_string(), "{name}");
            assert!(phys["region"]["startLine"].is_u64(), "{name}");
        }
        for rule in rules(&log) {
            let level = rule["defaultConfiguration"]["level"].as_str();
            assert!(
                matches!(level, Some("error" | "warning" | "note")),
                "{}: {level:?}",
                rule["id"]
            );
        }
    }
}

/// GitLab's native SARIF ingestion drops results without `ruleId` or `physicalLocation` and
/// fails the scan when over half are dropped: every result has both. Suppressed results are
/// skipped unless under review: resilint's are `accepted`, so they are skipped, as intended.
#[test]
fn gitlab_keeps_every_result() {
    for (name, log) in logs() {
        let all = results(&log);
        let kept = all
            .iter()
            .filter(|r| {
                r["ruleId"].is_string() && r["locations"][0]["physicalLocation"].is_object()
            })
            .count();
        assert_eq!(kept, all.len(), "{name}");
        for r in all {
            for s in r["suppressions"].as_array().into_iter().flatten() {
                assert_eq!(s["status"], "accepted", "{name}");
            }
        }
    }
}

/// What a fleet report reads: the run's component counts, and per result the address and the
/// numbers.
#[test]
fn runs_carry_what_a_fleet_report_needs() {
    for (name, log) in logs() {
        let run = &log["runs"][0];
        assert!(run["properties"]["components"].is_u64(), "{name}");
        assert!(run["properties"]["meetingTier"].is_u64(), "{name}");
        for r in results(&log).iter().filter(|r| r["ruleId"] != "RES000") {
            if r["ruleId"] == "RES001" || r["ruleId"] == "RES002" {
                assert!(r["properties"]["estimateSeconds"].is_u64(), "{name}");
                assert!(r["properties"]["targetSeconds"].is_u64(), "{name}");
            }
        }
        assert!(
            results(&log)
                .iter()
                .any(|r| r["properties"]["address"].is_string()),
            "{name}"
        );
    }
}

/// `versionControlProvenance`: from `RESILINT_REPOSITORY_URI`, GitHub Actions' variables, or
/// git's `origin` without the credentials a remote URL may carry.
#[test]
fn runs_name_the_repository_they_scanned() {
    // A command without the CI's own variables (the test may run in GitHub Actions).
    let fresh = || {
        let mut cmd = common::resilint();
        for k in [
            "RESILINT_REPOSITORY_URI",
            "GITHUB_SERVER_URL",
            "GITHUB_REPOSITORY",
            "GITHUB_SHA",
            "GITHUB_HEAD_REF",
            "GITHUB_REF_NAME",
            "CI_PROJECT_URL",
        ] {
            cmd.env_remove(k);
        }
        cmd
    };
    let provenance = |cmd: &mut assert_cmd::Command| -> Value {
        let out = cmd.output().expect("runs");
        let v: Value = serde_json::from_slice(&out.stdout).expect("SARIF");
        v["runs"][0]["versionControlProvenance"].clone()
    };
    let args = ["check", "testdata/examples/terraform", "-f", "sarif"];
    let mut cmd = fresh();
    cmd.args(args);
    assert!(
        provenance(&mut cmd).is_null(),
        "reproducible output does not ask git"
    );
    let mut cmd = fresh();
    cmd.args(args);
    cmd.env("RESILINT_REPOSITORY_URI", "https://example.com/acme/infra");
    cmd.env("RESILINT_REVISION", "abc123");
    let p = provenance(&mut cmd);
    assert_eq!(p[0]["repositoryUri"], "https://example.com/acme/infra");
    assert_eq!(p[0]["revisionId"], "abc123");
    let mut cmd = fresh();
    cmd.args(args);
    cmd.env("GITHUB_SERVER_URL", "https://github.com");
    cmd.env("GITHUB_REPOSITORY", "acme/infra");
    cmd.env("GITHUB_SHA", "def456");
    let p = provenance(&mut cmd);
    assert_eq!(p[0]["repositoryUri"], "https://github.com/acme/infra");
    assert_eq!(p[0]["revisionId"], "def456");
    // git, outside reproducible mode: the remote's credentials are left out.
    let git_ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok();
    if !git_ok {
        eprintln!("skipped the git case: no git");
        return;
    }
    let dir = common::tempdir_with(&[("main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n")]);
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "remote",
        "add",
        "origin",
        "https://user:s3cret@example.com/acme/infra.git",
    ]);
    let mut cmd = fresh();
    cmd.current_dir(dir.path())
        .env_remove("RESILINT_REPRODUCIBLE")
        .args(["check", ".", "-f", "sarif"]);
    let p = provenance(&mut cmd);
    assert_eq!(p[0]["repositoryUri"], "https://example.com/acme/infra.git");
    assert!(!p.to_string().contains("s3cret"));
}
