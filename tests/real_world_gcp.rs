//! Facts about real Google Cloud Terraform in ../shared/corpus: checkov's Google test files and
//! the cloud-foundation-fabric modules, each checked by reading the file (the line numbers
//! quoted are theirs). Checkov's files declare no provider and no variables, so a resource
//! without `region`, `location` or `zone` is in an unknown region; Fabric's modules are scanned
//! alone, with their variable defaults. Skipped when the corpus is absent, unless
//! `RESILINT_REQUIRE_CORPUS=1`.

mod common;

use common::{DAY, backup, explain, resource};
use serde_json::{Value, json};

/// `explain --format json` of a corpus directory, or `None` when it is absent.
fn example(path: &str) -> Option<Vec<Value>> {
    let dir = common::corpus(path)?;
    Some(explain(&[dir.to_str()?]))
}

const CHECKS: &str = "bridgecrewio__checkov/tests/terraform/checks/resource/gcp";
const GRAPH: &str = "bridgecrewio__checkov/tests/terraform/graph/checks/resources";
const FABRIC: &str = "GoogleCloudPlatform__cloud-foundation-fabric/modules";

fn backups(r: &Value) -> Vec<&str> {
    r["backups"]
        .as_array()
        .map(|b| b.iter().filter_map(|m| m["mechanism"].as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn cloud_sql_backups_switched_off_and_left_unmanaged() {
    let Some(rs) = example(&format!("{CHECKS}/example_CloudSqlMajorVersion")) else {
        return;
    };
    // `fail` (main.tf:1-17): region "us-central1" (:5), no backup_configuration block at all:
    // the API's default decides, so the backups are uncertain, never absent.
    let unmanaged = resource(&rs, "google_sql_database_instance.fail");
    assert_eq!(unmanaged["region"], "us-central1");
    assert_eq!(unmanaged["zone_redundant"], false);
    let daily = backup(unmanaged, "automated backups").expect("uncertain backups");
    assert_eq!(daily["certain"], false);
    // `fail2`: `backup_configuration { enabled = false }` (:56-58), `availability_type =
    // "ZONAL"` (:60): no backups, and the switch is shown.
    let off = resource(&rs, "google_sql_database_instance.fail2");
    assert_eq!(backups(off), Vec::<&str>::new());
    assert!(
        off["not_counted"].to_string().contains("automated backups"),
        "{off}"
    );
    assert!(off["estimates"]["logical"].is_null());
    // `fail3`: enabled, binary logs and PITR all false, `location = "us"` (:166-172): still
    // nothing, the location notwithstanding.
    let fail3 = resource(&rs, "google_sql_database_instance.fail3");
    assert_eq!(backups(fail3), Vec::<&str>::new());
}

#[test]
fn cloud_sql_booleans_written_as_strings() {
    let Some(rs) = example(&format!(
        "{CHECKS}/example_CloudSQLServerContainerDBAuthentication"
    )) else {
        return;
    };
    // `fail` (main.tf:2): `enabled = "true"`, `point_in_time_recovery_enabled = "false"`,
    // `location = "us"` (:12-18): daily backups in the US multi-region, no PITR.
    let db = resource(&rs, "google_sql_database_instance.fail");
    assert_eq!(db["region"], "us-central1");
    let daily = backup(db, "automated backups").expect("backups");
    assert_eq!(daily["certain"], true);
    assert_eq!(daily["regions"], json!(["us"]));
    assert_eq!(
        daily["retention_seconds"],
        7 * DAY,
        "no retained_backups: 7"
    );
    assert!(backup(db, "point-in-time recovery").is_none());
    assert_eq!(db["estimates"]["region"]["rpo_seconds"], DAY);
    // `pass4` (:197-205): `settings { tier = ... }` only.
    let bare = resource(&rs, "google_sql_database_instance.pass4");
    assert_eq!(
        backup(bare, "automated backups").map(|b| b["certain"].clone()),
        Some(json!(false))
    );
}

#[test]
fn cloud_sql_string_and_real_booleans_give_the_same_facts() {
    let Some(rs) = example(&format!("{CHECKS}/example_CloudSQLServerNoPublicIP")) else {
        return;
    };
    // `fail` writes "true"/"false" (:12-18), `pass` true/false (:65-71); `fail_not_list`
    // writes `ip_configuration = { ... }` as an attribute (:209-213) beside its backups.
    let strings = resource(&rs, "google_sql_database_instance.fail");
    let reals = resource(&rs, "google_sql_database_instance.pass");
    let attr = resource(&rs, "google_sql_database_instance.fail_not_list");
    for r in [strings, reals, attr] {
        let daily = backup(r, "automated backups").expect("backups");
        assert_eq!(daily["certain"], true, "{r}");
        assert_eq!(daily["regions"], json!(["us"]));
        assert!(backup(r, "point-in-time recovery").is_none());
    }
    assert_eq!(strings["estimates"], reals["estimates"]);
}

#[test]
fn cloud_sql_replica_of_a_primary_that_is_not_there() {
    let Some(rs) = example(&format!(
        "{GRAPH}/GCPMySQLdbInstancePoint_In_TimeRecoveryBackupIsEnabled"
    )) else {
        return;
    };
    // `pass_1` (:2-15): no region and no provider; `backup_configuration { binary_log_enabled =
    // "true" }` (:10-12) without `enabled`: the provider sends false, so no backups, and binary
    // logs alone are no point-in-time recovery.
    let pass_1 = resource(&rs, "google_sql_database_instance.pass_1");
    assert!(pass_1["region"].is_null());
    assert_eq!(backups(pass_1), Vec::<&str>::new());
    // `replica` (:47-76): `master_instance_name = google_sql_database_instance.default.name`
    // (:52), which is not declared; its own backup block (:65-73) is not credited as certain.
    let replica = resource(&rs, "google_sql_database_instance.replica");
    assert!(replica["region"].is_null());
    assert!(
        replica["backups"]
            .as_array()
            .expect("backups")
            .iter()
            .all(|b| b["certain"] == false),
        "{replica}"
    );
    assert!(replica["unresolved"].to_string().contains("default"));
}

#[test]
fn zonal_cloud_sql_instances_without_backup_blocks() {
    let Some(rs) = example(&format!("{CHECKS}/example_CloudMySqlLocalInfileOff")) else {
        return;
    };
    // Eight instances, all `region = "us-central1"`, none with backup_configuration; all ZONAL
    // but `unknown2` (:100-107), which sets no availability_type (ZONAL by default).
    let sql: Vec<&Value> = rs
        .iter()
        .filter(|r| r["type"] == "google_sql_database_instance")
        .collect();
    assert_eq!(sql.len(), 8);
    for r in sql {
        assert_eq!(r["region"], "us-central1", "{}", r["address"]);
        assert_eq!(r["zone_redundant"], false, "{}", r["address"]);
        let daily = backup(r, "automated backups").expect("uncertain backups");
        assert_eq!(daily["certain"], false);
    }
}

#[test]
fn buckets_with_versioning_written_as_an_attribute() {
    let Some(rs) = example(&format!("{CHECKS}/example_CloudStorageVersioningEnabled")) else {
        return;
    };
    // Three buckets in "EU" (:4, :13, :18): a multi-region, so a copy in another of its
    // regions and soft delete's 7 days by default; `versioning = { enabled = true }` (:20-22)
    // on `pass` only.
    for address in [
        "google_storage_bucket.fail",
        "google_storage_bucket.fail2",
        "google_storage_bucket.pass",
    ] {
        let b = resource(&rs, address);
        assert_eq!(b["region"], "eu");
        assert_eq!(b["replicas"][0]["region"], "another region of eu");
        assert_eq!(b["replicas"][0]["certain"], true);
        assert_eq!(
            backup(b, "soft delete").expect("soft delete")["retention_seconds"],
            7 * DAY
        );
    }
    let pass = resource(&rs, "google_storage_bucket.pass");
    assert!(backup(pass, "object versioning").is_some());
    let fail = resource(&rs, "google_storage_bucket.fail");
    assert!(backup(fail, "object versioning").is_none());
    assert!(fail["not_counted"].to_string().contains("object versions"));
}

#[test]
fn buckets_without_a_location_have_an_unknown_spread() {
    let Some(rs) = example(&format!("{GRAPH}/GCPLogBucketsConfiguredUsingLock")) else {
        return;
    };
    // `log_bucket_good` (:71-78): a locked retention policy and no `location`, no provider:
    // whether the bucket spans regions is unknown, never assumed.
    let b = resource(&rs, "google_storage_bucket.log_bucket_good");
    assert!(b["region"].is_null());
    assert_eq!(b["replicas"][0]["certain"], false);
    assert!(b["unresolved"].to_string().contains("GOOGLE_REGION"));
    // The retention policy (a lock) is no backup.
    assert!(!backups(b).iter().any(|m| m.contains("retention")));
}

#[test]
fn bigtable_instance_with_one_cluster_and_no_zone() {
    let Some(rs) = example(&format!(
        "{CHECKS}/example_BigTableInstanceDeletionProtection"
    )) else {
        return;
    };
    // `fail` (:1-14): one `cluster` without a `zone`, no provider: no replication, in an
    // unknown zone; `my-label = "prod-label"` is no tier.
    let bt = resource(&rs, "google_bigtable_instance.fail");
    assert!(bt["region"].is_null());
    assert_eq!(bt["zone_redundant"], false);
    assert_eq!(bt["replicas"], json!([]));
    assert!(bt["tier"].is_null());
    assert!(
        !bt["unresolved"].to_string().contains("global table"),
        "{bt}"
    );
}

#[test]
fn memorystore_standard_tier_and_the_basic_default() {
    let Some(rs) = example(&format!("{CHECKS}/example_MemorystoreForRedisAuthEnabled")) else {
        return;
    };
    // `pass` (:3-17): `tier = "STANDARD_HA"`, `location_id = "us-central1-a"`,
    // `alternative_location_id = "us-central1-f"`.
    let ha = resource(&rs, "google_redis_instance.pass");
    assert_eq!(ha["region"], "us-central1", "the zone of location_id");
    assert_eq!(ha["zone_redundant"], true);
    // `fail2` (:46-51): no tier (BASIC), no location.
    let basic = resource(&rs, "google_redis_instance.fail2");
    assert_eq!(basic["zone_redundant"], false);
    assert!(basic["estimates"]["zone"].is_null(), "{basic}");
}

#[test]
fn fabric_alloydb_module_defaults() {
    let Some(rs) = example(&format!("{FABRIC}/alloydb")) else {
        return;
    };
    // main.tf:65 `google_alloydb_cluster.primary`; continuous backup from
    // `var.continuous_backup_configuration` (enabled, 14-day window by default); the location
    // is the required `var.location`.
    let cluster = resource(&rs, "google_alloydb_cluster.primary");
    assert!(cluster["region"].is_null());
    assert_eq!(cluster["zone_redundant"], true, "regional storage");
    let pitr = backup(cluster, "continuous backup").expect("continuous backup");
    assert_eq!(pitr["retention_seconds"], 14 * DAY);
    assert_eq!(pitr["certain"], true);
    assert!(backup(cluster, "automated backup policy").is_none());
    assert_eq!(cluster["replicas"], json!([]), "no secondary by default");
}

#[test]
fn fabric_bigtable_module_clusters_are_unknown() {
    let Some(rs) = example(&format!("{FABRIC}/bigtable-instance")) else {
        return;
    };
    // The clusters come from `dynamic "cluster"` over the required `var.clusters`: how many,
    // and where, is unknown; so is any replica.
    let bt = resource(&rs, "google_bigtable_instance.default");
    assert!(bt["region"].is_null());
    assert!(bt["zone_redundant"].is_null(), "{}", bt["zone_redundant"]);
    assert_eq!(bt["replicas"][0]["certain"], false);
}
