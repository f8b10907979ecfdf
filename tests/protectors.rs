//! Protectors in explain (issue 14): every backup plan, DLM policy and restore-testing plan,
//! with what it gives and what it covers, and a plan that selects nothing said to.

mod common;

use serde_json::Value;

#[test]
fn explain_lists_protectors_with_what_they_give_and_cover() {
    let dir = common::tempdir_with(&[(
        "main.tf",
        r#"provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  engine         = "postgres"
  instance_class = "db.t4g.micro"
  tags           = { resilience-tier = "essential", backup = "daily" }
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 3 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "tagged" {
  name         = "tagged"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}

resource "aws_backup_plan" "unused" {
  name = "unused"
  rule {
    rule_name         = "hourly"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 * * * ? *)"
  }
}
"#,
    )]);
    let path = dir.path().to_str().expect("utf-8");
    let (v, _) = common::run_json(&["explain", "--format", "json", path]);
    let protectors = v["protectors"].as_array().expect("protectors");
    let by = |a: &str| -> &Value {
        protectors
            .iter()
            .find(|p| p["address"] == a)
            .unwrap_or_else(|| panic!("{a}: {protectors:#?}"))
    };
    let daily = by("aws_backup_plan.daily");
    assert_eq!(daily["what"], "AWS Backup plan");
    assert_eq!(
        daily["covers"],
        serde_json::json!(["aws_db_instance.orders"])
    );
    assert_eq!(daily["gives"][0]["interval_seconds"], 86_400);
    assert_eq!(daily["gives"][0]["retention_seconds"], 35 * common::DAY);
    let unused = by("aws_backup_plan.unused");
    assert_eq!(unused["covers"], serde_json::json!([]));
    let table = common::stdout(&["explain", path]);
    assert!(
        table.contains("covers     nothing in this scan: it selects no scanned resource"),
        "{table}"
    );
    assert!(
        table.contains("protector  AWS Backup plan (aws_backup_plan)"),
        "{table}"
    );
}

/// Azure and Google Cloud protect a disk or VM with a resource that attaches a policy to it: it
/// is listed with what it gives and what it covers.
#[test]
fn azure_and_google_attachments_are_protectors() {
    for (fixture, address, covers) in [
        (
            "testdata/families/azure-vm-disk-recovery-services/terraform",
            "azurerm_backup_protected_vm.app",
            "azurerm_managed_disk.data",
        ),
        (
            "testdata/families/gcp-disk-snapshot-schedule/terraform",
            "google_compute_disk_resource_policy_attachment.data_every_4h",
            "google_compute_disk.data",
        ),
    ] {
        let out = common::run(&["explain", fixture, "--format", "json"]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("explain JSON");
        let protectors = v["protectors"].as_array().expect("protectors");
        let p = protectors
            .iter()
            .find(|p| p["address"] == address)
            .unwrap_or_else(|| panic!("{address} in {protectors:?}"));
        assert!(
            p["what"]
                .as_str()
                .is_some_and(|w| w.starts_with("backup attachment"))
        );
        assert!(
            !p["gives"].as_array().expect("gives").is_empty(),
            "{address}"
        );
        assert!(
            p["covers"]
                .as_array()
                .expect("covers")
                .iter()
                .any(|c| c == covers),
            "{address}: {p}"
        );
    }
}
