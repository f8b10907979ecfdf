//! The command line: subcommands, flags and exit codes, run through the real binary.

mod common;

use common::{codes, run, run_json, tempdir_with};

const EXAMPLE: &str = "testdata/examples/terraform";

#[test]
fn check_reports_findings_and_exits_1() {
    let out = run(&["check", EXAMPLE]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("warning[RES006]"), "{stdout}");
    assert!(
        stdout.contains("multi_az                = false"),
        "code frame: {stdout}"
    );
    assert!(stdout.contains("help:"), "{stdout}");
    assert!(stdout.contains("Scanned 2 files, 9 resources"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn fail_on_controls_the_exit_code() {
    assert_eq!(
        run(&["check", EXAMPLE, "--fail-on", "never"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", EXAMPLE, "--fail-on", "error"]).status.code(),
        Some(1)
    );
    let dir = tempdir_with(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  tags = { resilience-tier = \"non-essential\" }\n}\n",
    )]);
    let p = dir.path().to_str().unwrap();
    // Only a note-level finding (RES003 on a non-essential bucket).
    assert_eq!(run(&["check", p]).status.code(), Some(0));
    assert_eq!(
        run(&["check", p, "--fail-on", "note"]).status.code(),
        Some(1)
    );
}

#[test]
fn select_and_ignore_filter_rules() {
    let (v, _) = run_json(&[
        "check",
        EXAMPLE,
        "--format",
        "json",
        "--select",
        "RES004,single-zone",
    ]);
    let found: Vec<String> = codes(&v).into_iter().map(|(c, _)| c).collect();
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|c| c == "RES004" || c == "RES006"),
        "{found:?}"
    );
    // A prefix ignores every rule it starts: the example has RES00x findings and one RES015.
    let (v, _) = run_json(&["check", EXAMPLE, "--format", "json", "--ignore", "RES00"]);
    let pair = |c: &str, r: &str| (c.to_string(), r.to_string());
    assert_eq!(
        codes(&v),
        [pair("RES015", "aws_dynamodb_table.carts")],
        "{v}"
    );
    let (v, _) = run_json(&[
        "check",
        EXAMPLE,
        "--format",
        "json",
        "--ignore",
        "RES00,recovery-unmonitored",
    ]);
    assert_eq!(codes(&v), [], "{v}");
    let (v, _) = run_json(&["check", EXAMPLE, "--format", "json", "--ignore", "RES004"]);
    assert_eq!(
        codes(&v),
        [
            pair("RES002", "aws_dynamodb_table.carts"),
            pair("RES006", "aws_db_instance.orders"),
            pair("RES007", "aws_dynamodb_table.carts"),
            pair("RES009", "aws_s3_bucket.invoices"),
            pair("RES015", "aws_dynamodb_table.carts"),
        ],
        "every finding but the two RES004"
    );
    // RES011 (the cycle of locals) is not ignored by `RES00`, RES004 is.
    let locals = "testdata/terraform/expressions/locals";
    let (v, _) = run_json(&["check", locals, "--format", "json"]);
    assert_eq!(
        codes(&v),
        [pair("RES004", "aws_db_instance.db"), pair("RES011", "")]
    );
    let (v, _) = run_json(&["check", locals, "--format", "json", "--ignore", "RES00"]);
    assert_eq!(codes(&v), [pair("RES011", "")]);
    let out = run(&["check", EXAMPLE, "--select", "RES999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `RES999`"));
}

#[test]
fn output_file_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.json");
    let out = run(&[
        "check",
        EXAMPLE,
        "--format",
        "json",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    let quiet = run(&["check", EXAMPLE, "--quiet"]);
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("Scanned 2 files"));
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["check", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does/not/exist"));
    assert_eq!(run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["check", EXAMPLE, "--region", "mars-1"]).status.code(),
        Some(2)
    );
}

#[test]
fn config_errors_exit_2_with_the_file_and_problem() {
    let dir = tempdir_with(&[
        ("resilint.toml", "default-tier = \"platinum\"\n"),
        ("main.tf", ""),
    ]);
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("resilint.toml") && err.contains("platinum"),
        "{err}"
    );
    let dir = tempdir_with(&[
        ("resilint.toml", "[figures]\n\"nope/x/rpo\" = \"1m\"\n"),
        ("main.tf", ""),
    ]);
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope/x/rpo"));
}

#[test]
fn config_is_found_above_the_scanned_path_and_applies() {
    let dir = tempdir_with(&[
        ("resilint.toml", "default-tier = \"non-essential\"\n"),
        (
            "infra/main.tf",
            "resource \"aws_dynamodb_table\" \"t\" {\n  name = \"t\"\n}\n",
        ),
    ]);
    let (v, _) = run_json(&[
        "check",
        dir.path().join("infra").to_str().unwrap(),
        "--format",
        "json",
    ]);
    // With a default tier the table is evaluated (no RES009): non-essential needs a backup.
    assert_eq!(
        codes(&v),
        [("RES003".to_string(), "aws_dynamodb_table.t".to_string())]
    );
    // An explicit --config wins.
    let other = tempdir_with(&[("c.toml", "default-tier = \"essential\"\n")]);
    let (v, _) = run_json(&[
        "check",
        dir.path().join("infra").to_str().unwrap(),
        "--format",
        "json",
        "--config",
        other.path().join("c.toml").to_str().unwrap(),
    ]);
    assert_eq!(v["findings"][0]["tier"], "essential");
}

#[test]
fn rules_lists_and_documents() {
    let out = run(&["rules"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    for code in ["RES000", "RES001", "RES011"] {
        assert!(text.contains(code), "{text}");
    }
    let doc = String::from_utf8_lossy(&run(&["rules", "RES004"]).stdout).into_owned();
    assert!(doc.starts_with("# RES004 backup-not-offsite"));
    assert!(doc.contains("## How to fix"));
    let by_name = run(&["rules", "backup-not-offsite"]).stdout;
    assert!(
        by_name.starts_with(b"# RES004 backup-not-offsite\n"),
        "{}",
        String::from_utf8_lossy(&by_name)
    );
    assert_eq!(by_name, run(&["rules", "res004"]).stdout);
    assert_eq!(run(&["rules", "RES404"]).status.code(), Some(2));
    let figures = String::from_utf8_lossy(&run(&["rules", "--figures"]).stdout).into_owned();
    assert!(
        figures.contains("aws-rds-instance/multi-az/rto"),
        "{figures}"
    );
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().to_str().unwrap();
    assert_eq!(run(&["init", p]).status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("resilint.toml")).unwrap();
    assert!(text.contains("[tiers.mission-critical]"));
    // It refuses to overwrite without --force.
    assert_eq!(run(&["init", p]).status.code(), Some(2));
    assert_eq!(run(&["init", p, "--force"]).status.code(), Some(0));
    // The written file is a valid config for a scan.
    std::fs::write(dir.path().join("main.tf"), "").unwrap();
    assert_eq!(run(&["check", p]).status.code(), Some(0));
}

#[test]
fn strict_treats_unknown_values_as_absent() {
    let dir = tempdir_with(&[(
        "main.tf",
        "variable \"days\" {}\nresource \"aws_db_instance\" \"db\" {\n  backup_retention_period = var.days\n  multi_az = true\n  tags = { resilience-tier = \"non-essential\" }\n}\n",
    )]);
    let p = dir.path().to_str().unwrap();
    let (v, _) = run_json(&["check", p, "--format", "json"]);
    assert_eq!(
        codes(&v),
        [("RES011".to_string(), "aws_db_instance.db".to_string())]
    );
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("var.days")
    );
    let (v, _) = run_json(&["check", p, "--format", "json", "--strict"]);
    assert_eq!(
        codes(&v),
        [("RES003".to_string(), "aws_db_instance.db".to_string())]
    );
}

#[test]
fn explicit_files_report_only_their_findings_with_module_context() {
    let dir = tempdir_with(&[
        (
            "db.tf",
            "resource \"aws_db_instance\" \"db\" {\n  backup_retention_period = 0\n  tags = { resilience-tier = \"essential\" }\n}\n",
        ),
        (
            "bucket.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  tags = { resilience-tier = var.tier }\n}\nvariable \"tier\" { default = \"essential\" }\n",
        ),
    ]);
    let (v, _) = run_json(&[
        "check",
        dir.path().join("bucket.tf").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let found = codes(&v);
    assert!(
        found.iter().all(|(_, r)| r == "aws_s3_bucket.b"),
        "{found:?}"
    );
    assert!(found.iter().any(|(c, _)| c == "RES003"), "{found:?}");
}

#[test]
fn protection_across_root_modules_needs_same_account() {
    let files: &[(&str, &str)] = &[
        (
            "backup/main.tf",
            "provider \"aws\" { region = \"eu-west-1\" }\n\
             resource \"aws_backup_plan\" \"p\" {\n  name = \"p\"\n  rule {\n    rule_name = \"hourly\"\n    target_vault_name = \"v\"\n    schedule = \"cron(0 * ? * * *)\"\n  }\n}\n\
             resource \"aws_backup_selection\" \"s\" {\n  name = \"s\"\n  plan_id = aws_backup_plan.p.id\n  iam_role_arn = \"arn:aws:iam::1:role/b\"\n  selection_tag {\n    type = \"STRINGEQUALS\"\n    key = \"backup\"\n    value = \"hourly\"\n  }\n}\n",
        ),
        (
            "db/main.tf",
            "provider \"aws\" { region = \"eu-west-1\" }\n\
             resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  size = 10\n  tags = { backup = \"hourly\", resilience-tier = \"non-essential\" }\n}\n",
        ),
    ];
    let dir = tempdir_with(files);
    let p = dir.path().to_str().unwrap();
    let (v, _) = run_json(&["check", p, "--format", "json"]);
    assert_eq!(
        codes(&v),
        [("RES011".to_string(), "aws_ebs_volume.v".to_string())]
    );
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("same account"),
        "{v}"
    );
    std::fs::write(dir.path().join("resilint.toml"), "same-account = true\n").unwrap();
    let (v, code) = run_json(&["check", p, "--format", "json"]);
    assert!(codes(&v).is_empty(), "{v}");
    assert_eq!(code, 0);
}
