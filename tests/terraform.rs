//! Terraform as Terraform sees it: variables, locals, expressions, count/for_each, dynamic
//! blocks and modules, checked through `explain --format json` on `testdata/terraform/`.

mod common;

use common::{DAY, codes, explain, messages, resource, retention, run, run_json};
use serde_json::Value;

#[test]
fn tfvars_auto_tfvars_and_precedence() {
    let rs = explain(&["testdata/terraform/variables/tfvars"]);
    let db = resource(&rs, "aws_db_instance.orders");
    assert_eq!(
        db["region"], "eu-west-1",
        "provider region from terraform.tfvars"
    );
    assert_eq!(db["tier"], "non-essential", "tag from terraform.tfvars");
    assert_eq!(
        retention(db, "automated backups"),
        Some(14 * DAY),
        "*.auto.tfvars wins over terraform.tfvars"
    );
    assert_eq!(db["zone_redundant"], false, "variable default");
}

#[test]
fn command_line_variables_win() {
    let rs = explain(&[
        "testdata/terraform/variables/tfvars",
        "--var-file",
        "testdata/terraform/variables/tfvars/prod.tfvars.json",
        "--var",
        "retention=30",
    ]);
    let db = resource(&rs, "aws_db_instance.orders");
    assert_eq!(db["tier"], "essential", "from the JSON --var-file");
    assert_eq!(db["zone_redundant"], true, "a bool from JSON");
    assert_eq!(
        retention(db, "automated backups"),
        Some(30 * DAY),
        "--var wins"
    );
}

#[test]
fn environment_variables_have_the_lowest_precedence() {
    let out = common::resilint()
        .args([
            "explain",
            "--format",
            "json",
            "testdata/terraform/variables/tfvars",
        ])
        .env("TF_VAR_retention", "2")
        .env("TF_VAR_multi_az", "true")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rs = v["resources"].as_array().unwrap();
    let db = resource(rs, "aws_db_instance.orders");
    assert_eq!(
        retention(db, "automated backups"),
        Some(14 * DAY),
        "tfvars beat TF_VAR_"
    );
    assert_eq!(
        db["zone_redundant"], true,
        "TF_VAR_multi_az (bool parsed as HCL) beats the default"
    );
    // --no-tf-var-env: the environment is not read.
    let out = common::resilint()
        .args([
            "explain",
            "--format",
            "json",
            "--no-tf-var-env",
            "testdata/terraform/variables/tfvars",
        ])
        .env("TF_VAR_multi_az", "true")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let db = resource(v["resources"].as_array().unwrap(), "aws_db_instance.orders");
    assert_eq!(db["zone_redundant"], false, "{db:#}");
}

#[test]
fn unset_variables_are_unknown_and_named() {
    let dir = common::tempdir_with(&[(
        "main.tf",
        "variable \"days\" {}\nprovider \"aws\" { region = \"eu-west-1\" }\nresource \"aws_db_instance\" \"db\" {\n  backup_retention_period = var.days\n  multi_az = true\n  tags = { resilience-tier = \"essential\" }\n}\n",
    )]);
    let (v, _) = run_json(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let msgs = messages(&v, "RES011");
    assert!(!msgs.is_empty(), "{v}");
    assert!(
        msgs.iter()
            .any(|m| m
                .contains("`var.days` has no value: set it in terraform.tfvars, with --var days=")),
        "{msgs:?}"
    );
}

#[test]
fn optional_attributes_get_their_defaults() {
    let rs = explain(&["testdata/terraform/variables/optional"]);
    let db = resource(&rs, "aws_db_instance.db");
    assert_eq!(retention(db, "automated backups"), Some(7 * DAY));
    assert_eq!(db["zone_redundant"], true);
    assert_eq!(
        db["tier"], "essential",
        "coalesce over an optional attribute without default (null)"
    );
}

#[test]
fn locals_expressions_and_cycles() {
    let rs = explain(&["testdata/terraform/expressions/locals"]);
    let db = resource(&rs, "aws_db_instance.db");
    assert_eq!(
        retention(db, "automated backups"),
        Some(35 * DAY),
        "7 * 5 through a conditional"
    );
    assert_eq!(db["tier"], "essential", "merge() of maps built from locals");
    let (v, _) = run_json(&[
        "check",
        "testdata/terraform/expressions/locals",
        "--format",
        "json",
    ]);
    assert!(
        messages(&v, "RES011")
            .iter()
            .any(|m| m.contains("refers to itself through other locals")),
        "{v}"
    );
}

#[test]
fn count_for_each_and_dynamic_blocks() {
    let rs = explain(&["testdata/terraform/expressions/dynamic"]);
    let orders = resource(&rs, "aws_dynamodb_table.t[\"orders\"]");
    let carts = resource(&rs, "aws_dynamodb_table.t[\"carts\"]");
    assert_eq!(orders["tier"], "essential");
    assert_eq!(retention(orders, "point-in-time recovery"), Some(35 * DAY));
    assert_eq!(
        carts["backups"].as_array().unwrap().len(),
        0,
        "each.value decides PITR"
    );
    for i in 0..2 {
        let v = resource(&rs, &format!("aws_ebs_volume.v[{i}]"));
        let rules: Vec<&str> = v["backups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["mechanism"].as_str().unwrap())
            .collect();
        assert_eq!(
            rules,
            [
                "AWS Backup rule `hourly` of aws_backup_plan.p",
                "AWS Backup rule `daily` of aws_backup_plan.p"
            ],
            "dynamic rules, and a selection over [for v in aws_ebs_volume.v : v.arn]"
        );
        assert_eq!(v["estimates"]["logical"]["rpo_seconds"], 3600);
    }
}

#[test]
fn nested_modules_pass_inputs_down_and_outputs_up() {
    let rs = explain(&["testdata/terraform/modules/nested"]);
    let db = resource(&rs, "module.shop.module.orders_db.aws_db_instance.this");
    assert_eq!(
        db["region"], "eu-west-1",
        "default provider inherited two levels down"
    );
    assert_eq!(
        db["tier"], "essential",
        "default_tags of the inherited provider"
    );
    assert_eq!(db["tier_source"], "tag");
    assert_eq!(
        retention(db, "automated backups"),
        Some(14 * DAY),
        "passed through two modules"
    );
    assert_eq!(
        db["zone_redundant"], true,
        "the inner module's variable default"
    );
    assert!(
        db["backups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["mechanism"] == "AWS Backup rule `daily` of aws_backup_plan.daily"),
        "the root selects it through a module output: {db:#}"
    );
}

#[test]
fn count_and_for_each_on_module_calls() {
    let (v, _) = run_json(&[
        "check",
        "testdata/terraform/modules/count-for-each",
        "--format",
        "json",
    ]);
    assert_eq!(
        codes(&v),
        [
            (
                "RES003".to_string(),
                "module.logs[0].aws_s3_bucket.this".to_string()
            ),
            (
                "RES003".to_string(),
                "module.logs[1].aws_s3_bucket.this".to_string()
            ),
            (
                "RES004".to_string(),
                "module.data[\"carts\"].aws_s3_bucket.this".to_string()
            ),
            (
                "RES004".to_string(),
                "module.data[\"orders\"].aws_s3_bucket.this".to_string()
            ),
        ]
    );
}

#[test]
fn providers_passed_to_a_module_decide_its_region() {
    let rs = explain(&["testdata/terraform/modules/providers"]);
    let table = resource(&rs, "aws_dynamodb_table.orders");
    assert_eq!(
        table["regions"],
        serde_json::json!(["eu-west-1", "eu-central-1"])
    );
    assert_eq!(table["replicas"][0]["region"], "eu-central-1");
    let replica = resource(&rs, "module.replica.aws_dynamodb_table_replica.this");
    assert_eq!(replica["replica_of"], "aws_dynamodb_table.orders");
    assert_eq!(replica["region"], "eu-central-1");
}

#[test]
fn installed_modules_are_read_and_findings_point_at_the_module_block() {
    let (v, _) = run_json(&[
        "check",
        "testdata/terraform/modules/installed",
        "--format",
        "json",
    ]);
    let f = v["findings"].as_array().unwrap();
    assert_eq!(
        codes(&v),
        [
            (
                "RES003".to_string(),
                "module.db.aws_db_instance.this".to_string()
            ),
            (
                "RES004".to_string(),
                "module.db.aws_db_instance.this".to_string()
            ),
            (
                "RES006".to_string(),
                "module.db.aws_db_instance.this".to_string()
            ),
        ]
    );
    for finding in f {
        assert_eq!(
            finding["file"],
            "testdata/terraform/modules/installed/main.tf"
        );
        assert_eq!(finding["line"], 6, "the module block");
        assert!(
            finding["related"][0]["file"]
                .as_str()
                .unwrap()
                .contains(".terraform/modules/db/main.tf")
        );
    }
}

#[test]
fn modules_that_are_not_installed_are_reported_once() {
    let out = run(&[
        "check",
        "testdata/terraform/modules/not-installed",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = messages(&v, "RES011");
    assert_eq!(notes.len(), 1, "once, not per instance: {v}");
    let msg = &notes[0];
    assert!(msg.contains("terraform-aws-modules/vpc/aws"), "{msg}");
    let help = v["findings"][0]["help"].as_str().unwrap_or("");
    assert!(help.contains("terraform init"), "{help}");
}

/// The facts `explain` gives for each resource, minus nothing: what a plan and its
/// configuration must agree on.
fn facts(rs: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = rs
        .iter()
        .map(|r| {
            format!(
                "{} {}:{} region={} tier={} backups={} replicas={} estimates={} unresolved={}",
                r["address"],
                r["file"],
                r["line"],
                r["region"],
                r["tier"],
                r["backups"],
                r["replicas"],
                r["estimates"],
                r["unresolved"]
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn plan_json_resources_regions_and_references() {
    let rs = explain(&["testdata/terraform/plan/plan.json"]);
    assert_eq!(
        rs.len(),
        4,
        "managed stateful resources of the plan: {rs:#?}"
    );
    let db = resource(&rs, "aws_db_instance.orders");
    assert_eq!(db["region"], "eu-west-1", "provider region from var.region");
    assert_eq!(db["tier"], "essential", "tags_all from default_tags");
    assert_eq!(db["file"], "testdata/terraform/plan/main.tf");
    assert_eq!(db["line"], 17, "the resource block in the configuration");
    // The selection's `resources` is known only after apply: the configuration's references
    // say it is the database's ARN.
    let hourly = &db["backups"][0];
    assert_eq!(hourly["interval_seconds"], 3600);
    assert_eq!(hourly["retention_seconds"], 14 * DAY);
    assert_eq!(hourly["certain"], true);
    assert_eq!(hourly["line"], 40, "the rule block");
    // A reference nested in a block: copy_action.destination_vault_arn.
    let copy = db["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["mechanism"].as_str().unwrap().starts_with("copy to"))
        .expect("the copy to the dr vault");
    assert_eq!(copy["regions"][0], "eu-central-1", "the vault's provider");
    assert_eq!(copy["retention_seconds"], 30 * DAY);
    assert_eq!(db["estimates"]["region"]["rpo_seconds"], 3600);
    let bucket = resource(&rs, "aws_s3_bucket.archive");
    assert_eq!(bucket["region"], "eu-central-1", "aliased provider");
    // Computed attributes the configuration does not set (`versioning`,
    // `replication_configuration`) are absent, as in HCL, not unknown.
    assert_eq!(bucket["unresolved"], serde_json::json!([]));
    for i in 0..2 {
        let t = resource(
            &rs,
            &format!("module.sessions.aws_dynamodb_table.sessions[{i}]"),
        );
        assert_eq!(
            t["file"],
            "testdata/terraform/plan/modules/sessions/main.tf"
        );
        assert_eq!(t["region"], "eu-west-1", "inherited provider");
        assert_eq!(
            t["backups"],
            serde_json::json!([]),
            "point_in_time_recovery unset"
        );
    }
}

#[test]
fn plan_json_agrees_with_its_configuration() {
    let from_plan = explain(&["testdata/terraform/plan/plan.json"]);
    let from_hcl = explain(&[
        "testdata/terraform/plan/main.tf",
        "--var",
        "region=eu-west-1",
    ]);
    assert_eq!(facts(&from_plan), facts(&from_hcl));
    let (v, code) = run_json(&["check", "testdata/terraform/plan", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&v),
        vec![
            (
                "RES003".into(),
                "module.sessions.aws_dynamodb_table.sessions[0]".into()
            ),
            (
                "RES003".into(),
                "module.sessions.aws_dynamodb_table.sessions[1]".into()
            ),
            (
                "RES004".into(),
                "module.sessions.aws_dynamodb_table.sessions[0]".into()
            ),
            (
                "RES004".into(),
                "module.sessions.aws_dynamodb_table.sessions[1]".into()
            ),
            ("RES009".into(), "aws_s3_bucket.archive".into()),
        ],
        "the directory's configuration is not evaluated a second time"
    );
}

#[test]
fn plan_json_elsewhere_with_and_without_config_dir() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::copy(
        common::repo_path("testdata/terraform/plan/plan.json"),
        &plan,
    )
    .unwrap();
    let plan = plan.to_str().unwrap();
    let alone = explain(&[plan]);
    let db = resource(&alone, "aws_db_instance.orders");
    assert!(
        db["file"].as_str().unwrap().ends_with("plan.json"),
        "no configuration: the plan itself is the location: {db}"
    );
    assert_eq!(db["region"], "eu-west-1");
    let mapped = explain(&[plan, "--config-dir", "testdata/terraform/plan"]);
    let db = resource(&mapped, "aws_db_instance.orders");
    // Paths are relative to the plan's directory (the first path given), outside the repository.
    assert!(
        db["file"]
            .as_str()
            .unwrap()
            .ends_with("testdata/terraform/plan/main.tf"),
        "{db}"
    );
    assert_eq!(db["line"], 17);
}

#[test]
fn names_computed_from_other_resources_link_to_the_same_computation() {
    let rs = explain(&["testdata/terraform/expressions/computed-names"]);
    let replica = resource(&rs, "aws_s3_bucket.replica");
    assert_eq!(replica["replica_of"], "aws_s3_bucket.source");
    let source = resource(&rs, "aws_s3_bucket.source");
    assert_eq!(source["replicas"][0]["region"], "eu-central-1");
    assert_eq!(source["estimates"]["region"]["certain"], true);
    let other = resource(&rs, "aws_s3_bucket.other");
    assert_eq!(
        other["replica_of"],
        Value::Null,
        "built from another random_id"
    );
    assert_eq!(other["regions"], serde_json::json!(["eu-west-1"]));
}

#[test]
fn files_of_the_configuration_are_read() {
    let rs = explain(&["testdata/terraform/expressions/files"]);
    // fileexists() + jsondecode(file()) of application_variables.json, as platform repositories
    // do, decide the provider region and point-in-time recovery.
    let carts = resource(&rs, "aws_dynamodb_table.carts");
    assert_eq!(carts["region"], "eu-west-1");
    assert_eq!(retention(carts, "point-in-time recovery"), Some(35 * DAY));
    // templatefile() with `${path.module}` renders the tags.
    assert_eq!(carts["tier"], "essential");
    // In a module, path.module is the module's directory and its file is read.
    let db = resource(&rs, "module.db.aws_db_instance.this");
    assert_eq!(retention(db, "automated backups"), Some(7 * DAY));
    assert_eq!(db["zone_redundant"], true);
    // A file outside the scanned directory is never read: unknown, and said so.
    let (v, _) = run_json(&[
        "check",
        "testdata/terraform/expressions/files",
        "--format",
        "json",
    ]);
    let notes = messages(&v, "RES011");
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0].contains("aws_s3_bucket.host")
            && notes[0].contains("reads files only inside the scanned directory"),
        "{}",
        notes[0]
    );
}

#[test]
fn regions_providers_data_sources_and_workspace() {
    let rs = explain(&["testdata/terraform/regions"]);
    let orders = resource(&rs, "aws_dynamodb_table.orders");
    assert_eq!(
        orders["region"], "eu-west-1",
        "provider region from a variable"
    );
    assert_eq!(
        orders["tier"], "essential",
        "default_tags of the default provider"
    );
    let archive = resource(&rs, "aws_dynamodb_table.archive");
    assert_eq!(archive["region"], "eu-central-1");
    assert_eq!(
        archive["tier"], "non-essential",
        "default_tags of the provider it uses"
    );
    let reports = resource(&rs, "aws_dynamodb_table.reports");
    assert_eq!(
        reports["region"], "us-east-1",
        "resource-level region (provider v6)"
    );
    // data.aws_region.current.name is the provider's region; the account id from
    // data.aws_caller_identity is unknown but does not hide the region of the ARN.
    let copy = orders["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["mechanism"].as_str().unwrap().starts_with("copy to"))
        .expect("the copy");
    assert_eq!(copy["regions"][0], "eu-west-1");
    assert_eq!(copy["certain"], true);
    // terraform.workspace is unknown.
    let db = resource(&rs, "aws_db_instance.db");
    let unresolved = db["unresolved"].to_string();
    assert!(unresolved.contains("terraform.workspace"), "{unresolved}");
    assert_eq!(retention(db, "automated backups"), None);
}
