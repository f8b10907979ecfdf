//! Google Cloud (issue 12): the facts `explain` gives for each fixture of
//! `testdata/families/gcp-*` (their findings are checked by tests/rules.rs), and the behaviours
//! around them: regions from `region`, `location` and zones, the provider's region or zone,
//! dual- and multi-region locations, labels and `default_labels`, Google durations and
//! crontabs, restore testing declared in the configuration, Google Cloud fix hints.

mod common;

use common::{DAY, backup, explain, resource, run_json, tempdir_with};
use serde_json::{Value, json};

const HOUR: u64 = 3600;

use common::family_fixture as fixture;

fn explain_tf(tf: &str) -> Vec<Value> {
    let dir = tempdir_with(&[("main.tf", tf)]);
    explain(&[dir.path().to_str().expect("utf-8")])
}

#[test]
fn zonal_cloud_sql_with_backups_in_the_multi_region_and_pitr() {
    let rs = fixture("gcp-cloudsql-zonal-pitr");
    let db = resource(&rs, "google_sql_database_instance.orders");
    assert_eq!(db["family"], "gcp-cloud-sql");
    assert_eq!(db["region"], "europe-west1", "the provider's region");
    assert_eq!(db["tier"], "essential", "from settings.user_labels");
    assert_eq!(db["zone_redundant"], false);
    let daily = backup(db, "automated backups (daily)").expect("automated backups");
    assert_eq!(daily["interval_seconds"], DAY);
    assert_eq!(daily["retention_seconds"], 14 * DAY, "14 retained backups");
    assert_eq!(
        daily["regions"],
        json!(["eu"]),
        "no backup location: the multi-region that contains europe-west1"
    );
    let pitr = backup(db, "point-in-time recovery").expect("PITR");
    assert_eq!(pitr["interval_seconds"], 300);
    assert_eq!(pitr["retention_seconds"], 7 * DAY);
    assert_eq!(db["estimates"]["logical"]["rpo_seconds"], 300);
    assert_eq!(db["estimates"]["region"]["rpo_seconds"], DAY);
}

#[test]
fn regional_cloud_sql_with_a_cross_region_replica() {
    let rs = fixture("gcp-cloudsql-regional-replica");
    let db = resource(&rs, "google_sql_database_instance.payments");
    assert_eq!(db["region"], "us-central1");
    assert_eq!(db["zone_redundant"], true, "availability_type = REGIONAL");
    assert_eq!(db["estimates"]["zone"]["rpo_seconds"], 0);
    let daily = backup(db, "automated backups (daily)").expect("backups");
    assert_eq!(daily["regions"], json!(["us-central1"]), "location is set");
    assert_eq!(daily["retention_seconds"], 7 * DAY, "the default count");
    assert!(
        backup(db, "point-in-time recovery").is_some(),
        "binary logs on MySQL"
    );
    assert_eq!(db["replicas"][0]["region"], "us-east1");
    assert_eq!(db["replicas"][0]["rpo_seconds"], 60);
    assert_eq!(db["estimates"]["region"]["rpo_seconds"], 60);
    let replica = resource(&rs, "google_sql_database_instance.payments_replica");
    assert_eq!(
        replica["replica_of"],
        "google_sql_database_instance.payments"
    );
}

#[test]
fn regional_bucket_next_to_a_dual_region_one() {
    let rs = fixture("gcp-storage-regional-and-dual");
    let uploads = resource(&rs, "google_storage_bucket.uploads");
    assert_eq!(
        uploads["region"], "europe-west1",
        "`EUROPE-WEST1` in lower case"
    );
    assert_eq!(uploads["zone_redundant"], true);
    assert_eq!(
        uploads["tier"], "essential",
        "the provider's default_labels"
    );
    let versions = backup(uploads, "object versioning").expect("versioning");
    assert_eq!(
        versions["retention_seconds"],
        30 * DAY,
        "capped by the lifecycle rule"
    );
    let soft = backup(uploads, "soft delete").expect("soft delete by default");
    assert_eq!(soft["retention_seconds"], 7 * DAY);
    assert_eq!(uploads["replicas"], json!([]));
    assert!(uploads["estimates"]["region"].is_null());

    let archive = resource(&rs, "google_storage_bucket.archive");
    assert_eq!(archive["region"], "eur4");
    assert_eq!(archive["regions"], json!(["eur4", "europe-west4"]));
    assert_eq!(archive["replicas"][0]["region"], "europe-west4");
    assert_eq!(archive["replicas"][0]["rpo_seconds"], 900, "ASYNC_TURBO");
    let elsewhere = backup(
        archive,
        "soft-deleted objects kept in the location's other region",
    )
    .expect("soft delete in the other region");
    assert_eq!(elsewhere["retention_seconds"], 14 * DAY);
    assert_eq!(elsewhere["interval_seconds"], 900);
    assert_eq!(archive["estimates"]["region"]["rpo_seconds"], 900);
}

#[test]
fn zonal_disk_with_a_four_hourly_schedule_and_a_regional_disk_without_snapshots() {
    let rs = fixture("gcp-disk-snapshot-schedule");
    let data = resource(&rs, "google_compute_disk.data");
    assert_eq!(data["region"], "europe-west1", "the provider's zone");
    assert_eq!(data["zone_redundant"], false);
    let snapshots = backup(data, "snapshot schedule").expect("schedule");
    assert_eq!(snapshots["interval_seconds"], 4 * HOUR);
    assert_eq!(snapshots["retention_seconds"], 14 * DAY);
    assert_eq!(snapshots["regions"], json!(["eu"]), "storage_locations");
    assert_eq!(data["estimates"]["region"]["rpo_seconds"], 4 * HOUR);

    let shared = resource(&rs, "google_compute_region_disk.shared");
    assert_eq!(shared["zone_redundant"], true);
    assert_eq!(shared["backups"], json!([]));
    assert!(shared["estimates"]["logical"].is_null());
    assert_eq!(shared["estimates"]["zone"]["rpo_seconds"], 0);
}

#[test]
fn spanner_multi_region_configuration_is_a_synchronous_replica() {
    let rs = fixture("gcp-spanner-multi-region");
    let ledger = resource(&rs, "google_spanner_database.ledger");
    assert_eq!(ledger["region"], "nam6", "the instance's configuration");
    assert_eq!(ledger["replicas"][0]["region"], "us-east1");
    assert_eq!(ledger["replicas"][0]["rpo_seconds"], 0);
    let daily = backup(ledger, "backup schedule").expect("schedule");
    assert_eq!(daily["interval_seconds"], DAY, "`0 3 * * *`");
    assert_eq!(daily["retention_seconds"], 30 * DAY, "`2592000s`");
    let pitr = backup(ledger, "point-in-time recovery").expect("version retention");
    assert_eq!(pitr["retention_seconds"], 7 * DAY, "`7d`");
    assert_eq!(ledger["estimates"]["region"]["rpo_seconds"], 0);

    let sessions = resource(&rs, "google_spanner_database.sessions");
    assert_eq!(sessions["region"], "us-central1", "regional-us-central1");
    assert_eq!(sessions["replicas"], json!([]));
    let pitr = backup(sessions, "point-in-time recovery").expect("the default");
    assert_eq!(pitr["retention_seconds"], HOUR);
}

#[test]
fn bigtable_clusters_and_a_firestore_multi_region() {
    let rs = fixture("gcp-bigtable-firestore");
    let events = resource(&rs, "google_bigtable_instance.events");
    assert_eq!(events["region"], "europe-west1", "the first cluster's zone");
    assert_eq!(events["zone_redundant"], true, "clusters in two zones");
    assert_eq!(events["replicas"].as_array().map(Vec::len), Some(1));
    assert_eq!(events["replicas"][0]["region"], "europe-west4");

    let profiles = resource(&rs, "google_firestore_database.profiles");
    assert_eq!(profiles["region"], "eur3");
    let weekly = backup(profiles, "backup schedule").expect("weekly");
    assert_eq!(weekly["interval_seconds"], 7 * DAY);
    assert_eq!(weekly["retention_seconds"], 98 * DAY, "`8467200s`");
    assert_eq!(profiles["estimates"]["region"]["rpo_seconds"], 0);
}

#[test]
fn regions_come_from_the_resource_then_its_zone_then_the_provider() {
    let rs = explain_tf(
        r#"
provider "google" {
  zone = "asia-northeast1-a"
}
provider "google" {
  alias  = "eu"
  region = "europe-west4"
}
resource "google_compute_disk" "from_provider_zone" {
  name = "a"
}
resource "google_compute_disk" "own_zone" {
  name = "b"
  zone = "us-east1-c"
}
resource "google_compute_disk" "aliased" {
  provider = google.eu
  name     = "c"
}
resource "google_sql_database_instance" "beta" {
  provider         = google-beta
  name             = "d"
  database_version = "POSTGRES_16"
  settings { tier = "db-f1-micro" }
}
resource "google_storage_bucket" "nowhere" {
  name     = "e"
  location = "ATLANTIS1"
}
"#,
    );
    assert_eq!(
        resource(&rs, "google_compute_disk.from_provider_zone")["region"],
        "asia-northeast1"
    );
    assert_eq!(
        resource(&rs, "google_compute_disk.own_zone")["region"],
        "us-east1"
    );
    assert_eq!(
        resource(&rs, "google_compute_disk.aliased")["region"],
        "europe-west4"
    );
    let beta = resource(&rs, "google_sql_database_instance.beta");
    assert!(
        beta["region"].is_null(),
        "google-beta has no provider block: {beta}"
    );
    let why = beta["unresolved"].to_string();
    assert!(why.contains("GOOGLE_REGION"), "{why}");
    assert!(!why.contains("AWS_REGION"), "{why}");
    // Without a backup_configuration block the API's default is not documented: unknown.
    assert!(why.contains("backup_configuration"), "{why}");
    let nowhere = resource(&rs, "google_storage_bucket.nowhere");
    assert!(nowhere["region"].is_null());
    assert!(nowhere["unresolved"].to_string().contains("ATLANTIS1"));
}

#[test]
fn default_labels_do_not_reach_cloud_sql_user_labels() {
    let rs = explain_tf(
        r#"
provider "google" {
  region         = "europe-west1"
  default_labels = { resilience-tier = "essential" }
}
resource "google_sql_database_instance" "db" {
  name             = "db"
  database_version = "POSTGRES_16"
  settings { tier = "db-f1-micro" }
}
resource "google_storage_bucket" "b" {
  name     = "b"
  location = "EU"
}
"#,
    );
    assert!(resource(&rs, "google_sql_database_instance.db")["tier"].is_null());
    let bucket = resource(&rs, "google_storage_bucket.b");
    assert_eq!(bucket["tier"], "essential");
    assert_eq!(bucket["region"], "eu");
    assert_eq!(bucket["replicas"][0]["region"], "another region of eu");
    assert_eq!(bucket["replicas"][0]["rpo_seconds"], 12 * HOUR);
}

#[test]
fn unknown_location_makes_the_geo_copy_uncertain_not_absent() {
    let rs = explain_tf(
        r#"
variable "location" {}
resource "google_storage_bucket" "b" {
  name     = "b"
  location = var.location
}
"#,
    );
    let b = resource(&rs, "google_storage_bucket.b");
    assert_eq!(b["replicas"][0]["certain"], false, "{b}");
    assert!(b["estimates"]["region"]["certain"] == false, "{b}");
}

#[test]
fn weekly_snapshot_schedules_and_backup_dr_plans() {
    let rs = explain_tf(
        r#"
provider "google" {
  region = "us-central1"
}
resource "google_compute_resource_policy" "weekly" {
  name = "weekly"
  snapshot_schedule_policy {
    schedule {
      weekly_schedule {
        day_of_weeks {
          day        = "MONDAY"
          start_time = "02:00"
        }
        day_of_weeks {
          day        = "FRIDAY"
          start_time = "02:00"
        }
      }
    }
    retention_policy { max_retention_days = 35 }
  }
}
resource "google_compute_disk" "a" {
  name = "a"
  zone = "us-central1-a"
}
resource "google_compute_disk_resource_policy_attachment" "a" {
  name = google_compute_resource_policy.weekly.name
  disk = google_compute_disk.a.name
  zone = "us-central1-a"
}
resource "google_backup_dr_backup_plan" "hourly" {
  location       = "us-central1"
  backup_plan_id = "hourly"
  resource_type  = "compute.googleapis.com/Disk"
  backup_vault   = "v"
  backup_rules {
    rule_id               = "every-6h"
    backup_retention_days = 10
    standard_schedule {
      recurrence_type  = "HOURLY"
      hourly_frequency = 6
      time_zone        = "UTC"
      backup_window {
        start_hour_of_day = 0
        end_hour_of_day   = 24
      }
    }
  }
}
resource "google_compute_region_disk" "b" {
  name          = "b"
  replica_zones = ["us-central1-a", "us-central1-b"]
}
resource "google_backup_dr_backup_plan_association" "b" {
  location                   = "us-central1"
  backup_plan_association_id = "b"
  resource                   = google_compute_region_disk.b.id
  resource_type              = "compute.googleapis.com/Disk"
  backup_plan                = google_backup_dr_backup_plan.hourly.id
}
"#,
    );
    let a = resource(&rs, "google_compute_disk.a");
    let weekly = backup(a, "snapshot schedule").expect("weekly schedule");
    assert_eq!(weekly["interval_seconds"], 4 * DAY, "Friday to Monday");
    assert_eq!(weekly["retention_seconds"], 35 * DAY);
    assert_eq!(
        weekly["regions"],
        json!(["us"]),
        "no storage_locations: the nearest multi-region"
    );
    let b = resource(&rs, "google_compute_region_disk.b");
    let plan = backup(b, "Backup and DR backup plan").expect("plan");
    assert_eq!(plan["interval_seconds"], 6 * HOUR);
    assert_eq!(plan["retention_seconds"], 10 * DAY);
}

#[test]
fn cloud_sql_replicas_have_no_backups_of_their_own() {
    let rs = fixture("gcp-cloudsql-regional-replica");
    let replica = resource(&rs, "google_sql_database_instance.payments_replica");
    assert_eq!(replica["region"], "us-east1");
    assert!(
        !replica["unresolved"]
            .to_string()
            .contains("backup_configuration"),
        "{replica}"
    );
}

#[test]
fn restore_testing_and_fixes_speak_google_cloud() {
    let dir = common::repo_path("testdata/families/gcp-cloudsql-zonal-pitr/terraform");
    let (v, _) = run_json(&["check", "--format", "json", dir.to_str().expect("utf-8")]);
    let res006 = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "RES006")
        .expect("RES006");
    let help = res006["help"].as_str().unwrap_or("");
    assert!(help.contains("availability_type = \"REGIONAL\""), "{help}");
    assert!(!help.contains("multi_az"), "{help}");

    let tf = r#"
provider "google" {
  region = "europe-west1"
}
resource "google_spanner_instance" "i" {
  name         = "i"
  config       = "eur3"
  display_name = "i"
}
resource "google_spanner_database" "d" {
  instance                 = google_spanner_instance.i.name
  name                     = "d"
  version_retention_period = "7d"
}
resource "google_spanner_backup_schedule" "s" {
  instance           = google_spanner_instance.i.name
  database           = google_spanner_database.d.name
  retention_duration = "3024000s"
  spec {
    cron_spec { text = "0 */12 * * *" }
  }
  full_backup_spec {}
}
"#;
    let config = "default-tier = \"mission-critical\"\n";
    let untested = tempdir_with(&[("main.tf", tf), ("resilint.toml", config)]);
    let v = common::check_dir(untested.path());
    let res007 = common::findings_of(&v, "RES007");
    assert_eq!(res007.len(), 1, "{v:#}");
    let text = format!("{} {}", res007[0]["message"], res007[0]["help"]);
    assert!(
        text.contains("Google Cloud has no restore-testing resource"),
        "{text}"
    );
    assert!(!text.contains("AWS Backup"), "{text}");
    assert_eq!(
        common::finding_codes(&v),
        vec!["RES007".to_string()],
        "a 12-hourly schedule kept 35 days in eur3 meets the rest: {v:#}"
    );
    let tested = tempdir_with(&[
        ("main.tf", tf),
        (
            "resilint.toml",
            "default-tier = \"mission-critical\"\nrestore-tested = [\"google_spanner_database.*\"]\n",
        ),
    ]);
    let v = common::check_dir(tested.path());
    assert_eq!(common::finding_codes(&v), Vec::<String>::new(), "{v:#}");
}

#[test]
fn configurable_dual_region_buckets_are_in_the_two_regions_they_name() {
    let rs = explain_tf(
        r#"
resource "google_storage_bucket" "pair" {
  name     = "pair"
  location = "EU"
  rpo      = "ASYNC_TURBO"
  custom_placement_config {
    data_locations = ["EUROPE-WEST1", "EUROPE-WEST4"]
  }
}
"#,
    );
    let b = resource(&rs, "google_storage_bucket.pair");
    assert_eq!(b["region"], "europe-west1+europe-west4");
    assert_eq!(b["replicas"][0]["region"], "europe-west4");
    assert_eq!(b["replicas"][0]["rpo_seconds"], 900);
}

#[test]
fn module_providers_carry_google_regions() {
    let dir = tempdir_with(&[
        (
            "main.tf",
            r#"
provider "google" {
  region = "us-central1"
}
provider "google" {
  alias  = "dr"
  region = "europe-west1"
}
module "primary" {
  source = "./db"
}
module "dr" {
  source    = "./db"
  providers = { google = google.dr }
}
"#,
        ),
        (
            "db/main.tf",
            r#"
resource "google_compute_region_disk" "d" {
  name          = "d"
  replica_zones = ["x-a", "x-b"]
}
"#,
        ),
    ]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    assert_eq!(
        resource(&rs, "module.primary.google_compute_region_disk.d")["region"],
        "us-central1"
    );
    assert_eq!(
        resource(&rs, "module.dr.google_compute_region_disk.d")["region"],
        "europe-west1"
    );
}
