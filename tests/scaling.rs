//! Scaling: four times the input may cost about four times the time, never sixteen. Each case
//! generates an input of n and of 4n resources (or anchors, or keys), scans it and writes every
//! machine format, and asserts that the ratio of the two times stays below 8: a quadratic step
//! gives about 16. The ratio is measured within one run (each size's best of three), so the
//! machine's speed does not matter; no absolute time is asserted.
//!
//! These would have caught issue 8's defects 4 (plan JSON on one line: every column counted from
//! the line start) and 5 (YAML mappings with tens of thousands of keys: every insertion searched
//! the map).

use std::path::Path;
use std::time::{Duration, Instant};

use resilint::knowledge::KnowledgeBase;
use resilint::report::explain_json::ExplainJson;
use resilint::report::human::Human;
use resilint::report::json::Json;
use resilint::report::sarif::Sarif;
use resilint::report::{Emitter, ReportOptions};
use resilint::scan::{self, ScanOptions};

/// The largest ratio of the time for 4n to the time for n that passes.
const MAX_RATIO: f64 = 8.0;

/// One scan of `path` with every output written to nowhere; its wall time.
fn time_once(path: &Path) -> Duration {
    let kb = KnowledgeBase::builtin().expect("knowledge base");
    let started = Instant::now();
    let options = ScanOptions {
        jobs: 1,
        ..ScanOptions::for_paths(vec![path.to_path_buf()], kb)
    };
    let result = scan::run(options).expect("scan");
    let emitters: [&dyn Emitter; 4] = [&Json, &Sarif, &Human, &ExplainJson];
    for e in emitters {
        e.emit(&result, &ReportOptions::default(), &mut std::io::sink())
            .expect("writes");
    }
    assert!(
        result.stats.files >= 1,
        "{} was not scanned",
        path.display()
    );
    assert!(result.parse_errors.is_empty(), "{:?}", result.parse_errors);
    started.elapsed()
}

/// The best of three scans.
fn time(path: &Path) -> Duration {
    (0..3).map(|_| time_once(path)).min().unwrap_or_default()
}

/// Writes the input for `n` with `generate` into a fresh directory as `name`, for n and 4n, and
/// returns the ratio of their times.
fn ratio(name: &str, n: usize, generate: fn(usize) -> String) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let small = dir.path().join("small");
    let large = dir.path().join("large");
    for (d, count) in [(&small, n), (&large, 4 * n)] {
        std::fs::create_dir_all(d).expect("mkdir");
        std::fs::write(d.join(name), generate(count)).expect("write");
    }
    // Warm up (page cache, allocator), then measure.
    time_once(&small);
    let (t1, t4) = (time(&small), time(&large));
    t4.as_secs_f64() / t1.as_secs_f64().max(1e-6)
}

fn terraform(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "resource \"aws_s3_bucket\" \"b{i}\" {{\n  bucket = \"b{i}\"\n  tags = {{ resilience-tier = \"essential\" }}\n}}\n"
            )
        })
        .collect()
}

/// Each bucket with a suppression comment, all selected by tag by one backup plan's selections.
fn terraform_suppressed(n: usize) -> String {
    let mut s: String = (0..n)
        .map(|i| {
            format!(
                "# resilint:ignore RES009 reason=\"test\"\nresource \"aws_s3_bucket\" \"b{i}\" {{\n  bucket = \"b{i}\"\n  tags = {{ backup = \"yes\" }}\n}}\n"
            )
        })
        .collect();
    s.push_str("resource \"aws_backup_plan\" \"p\" {\n  name = \"p\"\n  rule {\n    rule_name = \"daily\"\n    target_vault_name = \"v\"\n    schedule = \"cron(0 5 ? * * *)\"\n  }\n}\n");
    for i in 0..3 {
        s.push_str(&format!("resource \"aws_backup_selection\" \"s{i}\" {{\n  plan_id = aws_backup_plan.p.id\n  name = \"s{i}\"\n  iam_role_arn = \"arn:aws:iam::1:role/x\"\n  selection_tag {{\n    type = \"STRINGEQUALS\"\n    key = \"backup\"\n    value = \"yes\"\n  }}\n}}\n"));
    }
    s
}

fn terraform_object(n: usize) -> String {
    let keys: Vec<String> = (0..n).map(|i| format!("  k{i} = \"v{i}\"\n")).collect();
    format!(
        "locals {{\n m = {{\n{}  }}\n}}\n{}",
        keys.concat(),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = local.m.k0\n}\n"
    )
}

const TEMPLATE_HEAD: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n";

fn yaml_resources(n: usize) -> String {
    let mut s = String::from(TEMPLATE_HEAD);
    for i in 0..n {
        s.push_str(&format!(
            "  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: resilience-tier\n          Value: essential\n"
        ));
    }
    s
}

fn yaml_anchors(n: usize) -> String {
    let mut s = format!("{TEMPLATE_HEAD}  B:\n    Type: AWS::S3::Bucket\n");
    for i in 0..n {
        s.push_str(&format!("k{i}: &a{i} v{i}\n"));
    }
    s
}

fn yaml_flow_anchors(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("&a{i} v{i}")).collect();
    format!(
        "{TEMPLATE_HEAD}  B:\n    Type: AWS::S3::Bucket\nX: [{}]\n",
        items.join(", ")
    )
}

fn yaml_keys(n: usize) -> String {
    let mut s = format!("{TEMPLATE_HEAD}  B:\n    Type: AWS::S3::Bucket\nX:\n");
    for i in 0..n {
        s.push_str(&format!("  k{i}: v{i}\n"));
    }
    s
}

fn json_resources(n: usize) -> String {
    let resources: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "\"B{i}\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"Tags\": [{{\"Key\": \"resilience-tier\", \"Value\": \"essential\"}}]}}}}"
            )
        })
        .collect();
    format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{{}}}}}\n",
        resources.join(",\n")
    )
}

/// A plan on one line, as `terraform show -json` writes it.
fn plan(n: usize) -> String {
    let resources: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{{\"address\": \"aws_s3_bucket.b[{i}]\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"b\", \"index\": {i}, \"provider_name\": \"registry.terraform.io/hashicorp/aws\", \"values\": {{\"bucket\": \"b{i}\", \"tags\": {{\"resilience-tier\": \"essential\"}}}}}}"
            )
        })
        .collect();
    format!(
        "{{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.0\", \"planned_values\": {{\"root_module\": {{\"resources\": [{}]}}}}}}",
        resources.join(", ")
    )
}

/// A case: what it is, the file name, n, and the generator of an input of a given size.
type Case = (&'static str, &'static str, usize, fn(usize) -> String);

/// One test, so that the cases run one after another and not beside each other's threads.
#[test]
fn four_times_the_input_costs_less_than_eight_times_the_time() {
    let cases: [Case; 9] = [
        ("terraform resources", "main.tf", 1_000, terraform),
        (
            "terraform suppressions and selections",
            "main.tf",
            1_000,
            terraform_suppressed,
        ),
        (
            "terraform object of many keys",
            "main.tf",
            5_000,
            terraform_object,
        ),
        ("yaml resources", "stack.yaml", 1_000, yaml_resources),
        ("yaml anchored keys", "stack.yaml", 5_000, yaml_anchors),
        (
            "yaml anchors in one flow sequence",
            "stack.yaml",
            5_000,
            yaml_flow_anchors,
        ),
        ("yaml keys in one mapping", "stack.yaml", 5_000, yaml_keys),
        ("json resources", "stack.json", 1_000, json_resources),
        ("plan on one line", "plan.json", 3_000, plan),
    ];
    let mut failures = Vec::new();
    for (what, name, n, generate) in cases {
        let r = ratio(name, n, generate);
        eprintln!("{what}: n = {n}, time(4n) / time(n) = {r:.2}");
        if r >= MAX_RATIO {
            failures.push(format!("{what}: ×{r:.1} for 4× the input"));
        }
    }
    assert!(failures.is_empty(), "superlinear: {failures:?}");
}
