//! Hostile and broken input: every failure is a located RES000, the rest of the scan goes on,
//! the exit code is 2, and time and memory stay bounded. No input may make resilint panic.

mod common;

use common::{run, run_json, tempdir_with, write};

/// Scans `dir` and returns (RES000 messages with file:line:column, other (code, resource), exit code).
/// A hang would show as the test harness's timeout; no timing is asserted.
fn scan(dir: &std::path::Path) -> (Vec<String>, Vec<(String, String)>, i32) {
    let (v, code) = run_json(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let mut errors = Vec::new();
    let mut others = Vec::new();
    for f in v["findings"].as_array().unwrap() {
        if f["code"] == "RES000" {
            errors.push(format!(
                "{}:{}:{} {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["message"].as_str().unwrap()
            ));
        } else {
            others.push((
                f["code"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    errors.sort();
    (errors, others, code)
}

#[test]
fn broken_files_are_located_and_the_rest_is_scanned() {
    let dir = tempdir_with(&[
        ("good.tf", "resource \"aws_s3_bucket\" \"ok\" {}\n"),
        (
            "bad.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\n}\n",
        ),
        (
            "stack.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: [1, 2\n",
        ),
        ("other.yaml", "name: not a template\nlist: [1, 2\n"),
    ]);
    let (errors, others, code) = scan(dir.path());
    assert_eq!(code, 2);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("bad.tf:2:"), "{errors:?}");
    assert!(errors[1].starts_with("stack.yaml:"), "{errors:?}");
    // Unrelated broken YAML is not a template: ignored silently.
    assert!(errors.iter().all(|e| !e.contains("other.yaml")));
    assert_eq!(
        others,
        [("RES009".to_string(), "aws_s3_bucket.ok".to_string())]
    );
}

#[test]
fn binary_and_invalid_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "binary.tf", b"resource \0\x01\x02");
    write(
        dir.path(),
        "latin1.tf",
        b"# caf\xe9\nresource \"aws_s3_bucket\" \"b\" {}\n",
    );
    write(
        dir.path(),
        "template.json",
        b"{\"AWSTemplateFormatVersion\": \"\xff\xfe\"}",
    );
    let (errors, _, code) = scan(dir.path());
    assert_eq!(code, 2);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("binary.tf:1:10") && e.contains("NUL")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("latin1.tf:1:") && e.contains("UTF-8")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("template.json:1:")),
        "{errors:?}"
    );
}

#[test]
fn yaml_alias_bombs_are_rejected_quickly() {
    let mut y = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    y.push_str("Resources: {}\n");
    let dir = tempdir_with(&[("bomb.yaml", &y)]);
    let (errors, _, code) = scan(dir.path());
    assert_eq!(code, 2);
    assert!(
        errors[0].contains("alias") || errors[0].contains("billion"),
        "{errors:?}"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep_json = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let deep_hcl = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut deep_yaml = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..2_000 {
        deep_yaml.push_str(&" ".repeat(i + 2));
        deep_yaml.push_str("k:\n");
    }
    let dir = tempdir_with(&[
        ("deep.json", &deep_json),
        ("deep.tf", &deep_hcl),
        ("deep.yaml", &deep_yaml),
    ]);
    let (errors, _, code) = scan(dir.path());
    assert_eq!(code, 2);
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn deep_expressions_and_long_local_chains_evaluate_without_crashing() {
    let mut locals = String::from("locals {\n  l0 = 1\n");
    for i in 1..3_000 {
        locals.push_str(&format!("  l{i} = local.l{} + 1\n", i - 1));
    }
    locals.push_str("  cyc_a = local.cyc_b\n  cyc_b = local.cyc_a\n}\n");
    locals.push_str(
        "resource \"aws_db_instance\" \"db\" {\n  backup_retention_period = local.l2999\n  allocated_storage = local.cyc_a\n  tags = { resilience-tier = \"essential\" }\n}\n",
    );
    let dir = tempdir_with(&[("main.tf", &locals)]);
    let (v, code) = run_json(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{v}");
    // Both are unknown and said so, never guessed: the cycle, and the chain deeper than the
    // evaluator goes (the retention of the database's automated backups).
    let notes = common::messages(&v, "RES011");
    assert!(
        notes
            .iter()
            .any(|m| m.contains("`local.cyc_a` refers to itself through other locals")),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|m| m.contains("aws_db_instance.db")
            && m.contains("the expression nests too deeply to evaluate")),
        "{notes:#?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let dir = tempdir_with(&[("main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n")]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("dangling.tf")).unwrap();
    let (_, others, _) = scan(dir.path());
    assert_eq!(
        others,
        [("RES009".to_string(), "aws_s3_bucket.b".to_string())]
    );
}

#[test]
fn empty_and_whitespace_files() {
    let dir = tempdir_with(&[
        ("empty.tf", ""),
        ("ws.tf", "\n\n  \n"),
        ("empty.yaml", ""),
        ("bom.tf", "\u{feff}resource \"aws_s3_bucket\" \"b\" {}\n"),
    ]);
    let (errors, others, code) = scan(dir.path());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(code, 1);
    assert_eq!(
        others,
        [("RES009".to_string(), "aws_s3_bucket.b".to_string())]
    );
}

#[test]
fn oversized_files_are_reported_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let big = "# x\n".repeat(5 * 1024 * 1024);
    write(dir.path(), "big.tf", big.as_bytes());
    let (errors, _, code) = scan(dir.path());
    assert_eq!(code, 2);
    assert!(errors[0].contains("too large"), "{errors:?}");
}

#[test]
fn garbage_in_every_language_never_panics() {
    // A small deterministic fuzz: byte soup and mangled real templates.
    let seeds = [
        "resource \"aws_db_instance\" \"x\" { backup_retention_period = var.x[0].y[*] ? { for k, v in local.m : k => v... } : null }\n",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      BackupRetentionPeriod: !If [C, !Ref P, !GetAtt [A, B]]\n",
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"T\": {\"Type\": \"AWS::DynamoDB::GlobalTable\", \"Properties\": {\"Replicas\": [{\"Region\": {\"Ref\": \"AWS::Region\"}}]}}}}\n",
        "# resilint:ignore RES004,x reason=\"a \\\"b\" until=2027-02-30\nresource \"aws_s3_bucket\" \"b\" { /* resilint:ignore RES009 reason=\"r\" */ x = <<EOT\n# resilint:ignore\nEOT\n}\n",
        "Resources:\n  # resilint:ignore RES009 reason='x'\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: {resilint: {ignore: [{rule: RES009, reason: x, until: 1}, 7]}}\n",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for (n, seed) in seeds.iter().enumerate() {
        for i in 0..40 {
            let mut bytes = seed.as_bytes().to_vec();
            for _ in 0..(i % 7 + 1) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let pos = (state as usize) % bytes.len();
                match state % 3 {
                    0 => bytes[pos] = (state >> 8) as u8,
                    1 => {
                        bytes.remove(pos);
                    }
                    _ => bytes.insert(pos, b"{[(\"'!:$%"[(state % 9) as usize]),
                }
            }
            let ext = ["tf", "yaml", "json", "tf", "yaml"][n];
            write(dir.path(), &format!("f{n}_{i}/x.{ext}"), &bytes);
        }
    }
    let out = run(&["check", dir.path().to_str().unwrap(), "--format", "sarif"]);
    let code = out.status.code();
    assert!(
        matches!(code, Some(0..=2)),
        "no crash: {code:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid SARIF JSON");
}

#[test]
fn module_trees_that_fan_out_are_bounded() {
    // Twenty levels of modules each calling the next twice: 2^20 instances if expanded. The
    // root evaluates up to its instance limit and reports the rest as not evaluated.
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..20 {
        let body = if i < 19 {
            format!(
                "module \"a\" {{\n  source = \"../m{n}\"\n}}\nmodule \"b\" {{\n  source = \"../m{n}\"\n}}\nresource \"aws_s3_bucket\" \"b\" {{}}\n",
                n = i + 1
            )
        } else {
            "resource \"aws_s3_bucket\" \"b\" {}\n".to_string()
        };
        files.push((format!("m{i}/main.tf"), body));
    }
    files.push((
        "root/main.tf".into(),
        "module \"top\" {\n  source = \"../m0\"\n}\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    let dir = tempdir_with(&refs);
    let (v, code) = run_json(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let resources = v["summary"]["resources"].as_u64().unwrap();
    assert!(resources <= 5_000, "{resources} resources");
    assert!(
        common::messages(&v, "RES011")
            .iter()
            .any(|m| m.contains("too many module instances")),
        "the limit is reported"
    );
}
