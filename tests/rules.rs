//! Table-driven rule fixtures: every directory `testdata/rules/<CODE>-<scenario>/` (and, for the
//! families of the knowledge base, `testdata/families/<family>-<scenario>/`) holds one
//! variant per front end (`terraform/`, `cloudformation/`) and an `expect.toml` giving, per
//! variant, the exact multiset of `(code, resource)` among the findings of
//! `resilint check <variant dir> --format json`. Every case therefore proves both that rules fire
//! and that the others do not. A scenario that one front end cannot express (a second region in
//! one CloudFormation stack, a Terraform module) has only the other variant.
//!
//! `expect.toml`:
//!
//! ```toml
//! [terraform]
//! findings = [{ code = "RES003", resource = "aws_db_instance.orders" }]
//! [cloudformation]
//! args = ["--region", "eu-west-1"]        # optional extra CLI arguments
//! findings = [{ code = "RES003", resource = "#Orders" }]
//! known_failure = "why"                   # optional: an engine bug, reported
//! ```
//!
//! CloudFormation addresses are `<path relative to the report base>#LogicalId`; in `expect.toml`
//! `#Orders` means "this variant's template (the one `template.yaml` or `template.json`) at
//! `#Orders`", and `other.yaml#Orders` means that file of the variant directory. Findings without
//! a resource (parse errors, module notes) use `resource = ""`.
//!
//! A case marked `known_failure` is reported and does not fail the suite, but the suite fails
//! when it starts passing, so that the marker is removed, or when a file of it does not parse
//! (an unexpected RES000 means the fixture is broken, not the engine). Independently of the
//! expectation, the exit code must be 2 when a RES000 finding is present, else 1 when a finding
//! is a warning or an error, else 0.

use std::collections::BTreeMap;
use std::fmt::Write as _;
mod common;

use std::path::{Path, PathBuf};

use common::root;
use serde::Deserialize;

/// The front ends, in report order, with the name of their variant directory.
const VARIANTS: &[&str] = &["terraform", "cloudformation"];

/// Every rule that has to be shown firing, for each front end.
const RULES: &[&str] = &[
    "RES000", "RES001", "RES002", "RES003", "RES004", "RES005", "RES006", "RES007", "RES008",
    "RES009", "RES010", "RES011", "RES012", "RES013", "RES014", "RES015", "RES016",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    terraform: Option<VariantExpect>,
    cloudformation: Option<VariantExpect>,
}

impl Expect {
    fn variant(&self, name: &str) -> Option<&VariantExpect> {
        match name {
            "terraform" => self.terraform.as_ref(),
            "cloudformation" => self.cloudformation.as_ref(),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantExpect {
    findings: Vec<ExpectedFinding>,
    #[serde(default)]
    args: Vec<String>,
    known_failure: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFinding {
    code: String,
    resource: String,
}

/// One finding as printed by `--format json`.
#[derive(Debug, Clone)]
struct Actual {
    code: String,
    resource: String,
    level: String,
    file: String,
    line: u64,
    message: String,
}

/// What happened to one case.
enum Outcome {
    Pass,
    /// Failed as expected by its `known_failure` marker.
    KnownFailure(String),
    Fail(String),
}

/// The directory reported paths are relative to: the git repository containing `dir`, else `dir`
/// itself (as `resilint` does).
fn report_base(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// `dir` relative to the report base, with `/` separators ("" when it is the base).
fn report_prefix(dir: &Path) -> String {
    let dir = dir.canonicalize().expect("variant directory exists");
    let base = report_base(&dir);
    let rel = dir.strip_prefix(&base).expect("the base is an ancestor");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Expands the `#LogicalId`, `file.yaml#LogicalId` and `dir/file.json#LogicalId` shorthands of a
/// CloudFormation address (the file relative to the variant's directory).
fn expand_resource(resource: &str, variant_dir: &Path) -> Result<String, String> {
    let Some((file, id)) = resource.split_once('#') else {
        return Ok(resource.to_string());
    };
    // A path below the variant (`cdk.out/Stack.template.json#Id`) is relative to it; another
    // path with a `/` is the address as it is.
    if file.contains('/') && !variant_dir.join(file).is_file() {
        return Ok(resource.to_string());
    }
    let file = if file.is_empty() {
        let templates: Vec<&str> = ["template.yaml", "template.json"]
            .into_iter()
            .filter(|t| variant_dir.join(t).is_file())
            .collect();
        match templates.as_slice() {
            [one] => one.to_string(),
            _ => {
                return Err(format!(
                    "`{resource}`: {} must hold exactly one of template.yaml and template.json",
                    variant_dir.display()
                ));
            }
        }
    } else {
        file.to_string()
    };
    let prefix = report_prefix(variant_dir);
    Ok(if prefix.is_empty() {
        format!("{file}#{id}")
    } else {
        format!("{prefix}/{file}#{id}")
    })
}

fn str_field(v: &serde_json::Value, key: &str) -> String {
    v.get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Runs `resilint check` on a variant directory: the findings and the exit code.
fn run_check(rel_dir: &Path, args: &[String]) -> Result<(Vec<Actual>, i32), String> {
    let output = common::resilint()
        .arg("check")
        .arg(rel_dir)
        .args(["--format", "json"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run resilint: {e}"))?;
    let code = output.status.code().unwrap_or(-1);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "output is not JSON ({e}); exit code {code}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let findings = json
        .get("findings")
        .and_then(serde_json::Value::as_array)
        .ok_or("the JSON has no `findings` array")?
        .iter()
        .map(|f| Actual {
            code: str_field(f, "code"),
            resource: str_field(f, "resource"),
            level: str_field(f, "level"),
            file: str_field(f, "file"),
            line: f
                .get("line")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            message: str_field(f, "message"),
        })
        .collect();
    Ok((findings, code))
}

/// The exit code the findings call for (default `--fail-on warning`).
fn expected_exit(findings: &[Actual]) -> i32 {
    if findings.iter().any(|f| f.code == "RES000") {
        2
    } else if findings
        .iter()
        .any(|f| f.level == "warning" || f.level == "error")
    {
        1
    } else {
        0
    }
}

/// Multiset difference `a - b`.
fn minus(a: &[(String, String)], b: &[(String, String)]) -> Vec<(String, String)> {
    let mut rest: BTreeMap<&(String, String), usize> = BTreeMap::new();
    for x in b {
        *rest.entry(x).or_default() += 1;
    }
    let mut out = Vec::new();
    for x in a {
        match rest.get_mut(x) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(x.clone()),
        }
    }
    out
}

/// Compares the findings with the expectation: `None` when they match, else a readable diff.
fn diff(expected: &[(String, String)], actual: &[Actual]) -> Option<String> {
    let mut got: Vec<(String, String)> = actual
        .iter()
        .map(|f| (f.code.clone(), f.resource.clone()))
        .collect();
    got.sort();
    if got == expected {
        return None;
    }
    let mut s = String::new();
    for (code, res) in minus(expected, &got) {
        let _ = writeln!(s, "  missing:    {code} {res:?}");
    }
    for (code, res) in minus(&got, expected) {
        let _ = writeln!(s, "  unexpected: {code} {res:?}");
    }
    let _ = writeln!(s, "  all findings ({}):", actual.len());
    for f in actual {
        let _ = writeln!(
            s,
            "    {} [{}] {:?} at {}:{}\n        {}",
            f.code, f.level, f.resource, f.file, f.line, f.message
        );
    }
    Some(s)
}

/// Runs one case.
fn run_case(variant_dir: &Path, expect: &VariantExpect) -> Outcome {
    let rel = variant_dir.strip_prefix(root()).unwrap_or(variant_dir);
    let mut expected = Vec::new();
    for f in &expect.findings {
        match expand_resource(&f.resource, variant_dir) {
            Ok(r) => expected.push((f.code.clone(), r)),
            Err(e) => return Outcome::Fail(format!("  expect.toml: {e}\n")),
        }
    }
    expected.sort();
    let (actual, exit) = match run_check(rel, &expect.args) {
        Ok(x) => x,
        Err(e) => return Outcome::Fail(format!("  {e}\n")),
    };
    // The exit code must agree with the findings whatever the expectation says.
    let want_exit = expected_exit(&actual);
    if exit != want_exit {
        return Outcome::Fail(format!(
            "  exit code {exit}, but the findings call for {want_exit} (2: RES000, 1: a warning or error, 0: otherwise)\n{}",
            diff(&[], &actual).unwrap_or_default()
        ));
    }
    // A known failure must not hide a fixture that does not even parse.
    let expects_parse_error = expected.iter().any(|(code, _)| code == "RES000");
    if expect.known_failure.is_some()
        && !expects_parse_error
        && actual.iter().any(|f| f.code == "RES000")
    {
        return Outcome::Fail(format!(
            "  a fixture file does not parse (the known_failure marker cannot cover that)\n{}",
            diff(&[], &actual).unwrap_or_default()
        ));
    }
    match (diff(&expected, &actual), &expect.known_failure) {
        (None, None) => Outcome::Pass,
        (Some(d), None) => Outcome::Fail(d),
        (Some(_), Some(why)) => Outcome::KnownFailure(why.clone()),
        (None, Some(why)) => Outcome::Fail(format!(
            "  marked known_failure ({why}) but now passes: remove the marker\n"
        )),
    }
}

fn scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for sub in ["testdata/rules", "testdata/families"] {
        let root = root().join(sub);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&root)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

#[test]
fn rule_fixtures() {
    let mut report = String::new();
    let mut failures = Vec::new();
    let mut known = 0;
    let mut passed = 0;
    // For each front end, the rules some case expects to fire.
    let mut shown: BTreeMap<&str, std::collections::BTreeSet<String>> = BTreeMap::new();
    for dir in scenarios() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = match std::fs::read_to_string(dir.join("expect.toml")) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: cannot read expect.toml: {e}"));
                continue;
            }
        };
        let expect: Expect = match toml::from_str(&text) {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{name}/expect.toml: {e}"));
                continue;
            }
        };
        // A misspelt variant directory would silently not be tested.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() && !VARIANTS.contains(&n.as_str()) {
                    failures.push(format!(
                        "{name}/{n}: not a variant directory ({})",
                        VARIANTS.join(", ")
                    ));
                }
            }
        }
        for variant in VARIANTS {
            let vdir = dir.join(variant);
            let case = format!("{name}/{variant}");
            let Some(vexpect) = expect.variant(variant) else {
                if vdir.exists() {
                    failures.push(format!(
                        "{case}: directory without [{variant}] in expect.toml"
                    ));
                }
                continue;
            };
            if !vdir.is_dir() {
                failures.push(format!(
                    "{case}: [{variant}] in expect.toml but no directory"
                ));
                continue;
            }
            for f in &vexpect.findings {
                shown.entry(variant).or_default().insert(f.code.clone());
            }
            match run_case(&vdir, vexpect) {
                Outcome::Pass => {
                    passed += 1;
                    let _ = writeln!(report, "ok            {case}");
                }
                Outcome::KnownFailure(why) => {
                    known += 1;
                    let _ = writeln!(report, "known failure {case}: {why}");
                }
                Outcome::Fail(d) => {
                    let _ = writeln!(report, "FAILED        {case}");
                    failures.push(format!("{case}:\n{d}"));
                }
            }
        }
    }
    for variant in VARIANTS {
        let codes = shown.get(variant).cloned().unwrap_or_default();
        let missing: Vec<&str> = RULES
            .iter()
            .copied()
            .filter(|c| !codes.contains(*c))
            .collect();
        if !missing.is_empty() {
            failures.push(format!(
                "no {variant} case shows {} firing",
                missing.join(", ")
            ));
        }
    }
    println!("{report}");
    println!(
        "{passed} passed, {known} known failures, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} rule fixture problem(s):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
