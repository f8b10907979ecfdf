//! Azure (issue 11): the facts `explain` gives for each Azure fixture of
//! `testdata/families/azure-*` (their findings are checked by tests/rules.rs), and the
//! behaviours around them: regions from `location` (display names, resource groups, parents),
//! paired regions, backups kept in one zone, restore testing declared in the configuration,
//! Azure fix hints and APRL recommendations in SARIF.

mod common;

use common::{DAY, backup, explain, resource, run_json, tempdir_with};
use serde_json::Value;

use common::family_fixture as fixture;

#[test]
fn lrs_account_keeps_its_versions_in_one_datacenter() {
    let rs = fixture("azure-storage-lrs-versioning");
    let sa = resource(&rs, "azurerm_storage_account.documents");
    // `location = azurerm_resource_group.app.location`, which is "West Europe".
    assert_eq!(sa["region"], "westeurope");
    assert_eq!(sa["zone_redundant"], false);
    let versions = backup(sa, "blob versioning").expect("versioning");
    assert_eq!(versions["single_zone"], "certain");
    assert_eq!(versions["retention_unbounded"], true);
    let soft = backup(sa, "blob soft delete").expect("soft delete");
    assert_eq!(soft["retention_seconds"], 14 * DAY);
    assert_eq!(soft["single_zone"], "certain");
    assert_eq!(sa["replicas"], serde_json::json!([]));
    assert_eq!(sa["estimates"]["logical"]["rpo_seconds"], 0);
    assert!(sa["estimates"]["zone"].is_null(), "{}", sa["estimates"]);
    assert!(sa["estimates"]["region"].is_null(), "{}", sa["estimates"]);
}

#[test]
fn ragzrs_account_is_zone_redundant_with_versions_in_the_paired_region() {
    let rs = fixture("azure-storage-ragzrs");
    let sa = resource(&rs, "azurerm_storage_account.media");
    assert_eq!(sa["region"], "northeurope");
    assert_eq!(sa["zone_redundant"], true);
    assert_eq!(
        sa["regions"],
        serde_json::json!(["northeurope", "westeurope"])
    );
    assert_eq!(sa["replicas"][0]["region"], "westeurope");
    assert_eq!(sa["replicas"][0]["rpo_seconds"], 900);
    let paired = backup(sa, "blob versions replicated to the paired region").expect("paired");
    assert_eq!(paired["regions"], serde_json::json!(["westeurope"]));
    assert!(paired.get("single_zone").is_none());
    let local = backup(sa, "blob versioning").expect("versioning");
    assert!(
        local.get("single_zone").is_none(),
        "ZRS keeps them in three zones"
    );
    assert_eq!(sa["estimates"]["region"]["rpo_seconds"], 900);
    assert_eq!(sa["estimates"]["region"]["rto_seconds"], 3600);
}

#[test]
fn azapi_storage_account_is_read_from_its_arm_body() {
    let rs = fixture("azure-storage-azapi");
    let sa = resource(&rs, "azapi_resource.account");
    assert_eq!(sa["type"], "Microsoft.Storage/storageAccounts");
    assert_eq!(sa["family"], "azure-storage-account");
    assert_eq!(sa["region"], "westus");
    assert_eq!(sa["zone_redundant"], true);
    assert_eq!(sa["replicas"][0]["region"], "eastus");
    let child = sa["backups"]
        .as_array()
        .expect("backups")
        .iter()
        .find(|b| b["mechanism"] == "blob soft delete (azapi_resource.blob_service)")
        .expect("soft delete from the blobServices child");
    assert_eq!(child["retention_seconds"], 14 * DAY);
    assert_eq!(child["certain"], true);
}

#[test]
fn sql_database_with_local_backup_storage() {
    let rs = fixture("azure-sql-local-backups");
    let db = resource(&rs, "azurerm_mssql_database.orders");
    // No `location`: its server's, which is its resource group's "Sweden Central".
    assert_eq!(db["region"], "swedencentral");
    assert_eq!(db["zone_redundant"], false);
    let pitr = backup(db, "automated backups (point-in-time restore)").expect("pitr");
    assert_eq!(pitr["interval_seconds"], 600);
    assert_eq!(pitr["retention_seconds"], 14 * DAY);
    assert_eq!(pitr["single_zone"], "certain");
    assert!(backup(db, "geo-replicated backups").is_none());
    assert!(db["estimates"]["zone"].is_null());
}

#[test]
fn sql_database_in_a_failover_group() {
    let rs = fixture("azure-sql-failover-group");
    let db = resource(&rs, "azurerm_mssql_database.ledger");
    assert_eq!(db["region"], "westeurope");
    assert_eq!(db["zone_redundant"], true);
    let replica = &db["replicas"][0];
    assert_eq!(replica["region"], "northeurope");
    assert_eq!(replica["rpo_seconds"], 5);
    // `mode = "Manual"`: a customer-managed failover.
    assert_eq!(replica["rto_seconds"], 30);
    let geo = backup(db, "geo-replicated backups").expect("geo-restore");
    assert_eq!(geo["regions"], serde_json::json!(["northeurope"]));
    assert_eq!(geo["retention_seconds"], 35 * DAY);
    // weekly_retention = "P12W".
    let ltr = backup(db, "long-term retention").expect("ltr");
    assert_eq!(ltr["retention_seconds"], 84 * DAY);
    assert_eq!(ltr["interval_seconds"], 7 * DAY);
}

#[test]
fn an_automatic_failover_group_recovers_after_its_grace_period() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_mssql_server" "a" {
  name     = "a"
  location = "eastus"
}
resource "azurerm_mssql_server" "b" {
  name     = "b"
  location = "westus"
}
resource "azurerm_mssql_database" "db" {
  name      = "db"
  server_id = azurerm_mssql_server.a.id
}
resource "azurerm_mssql_failover_group" "fog" {
  name      = "fog"
  server_id = azurerm_mssql_server.a.id
  databases = [azurerm_mssql_database.db.id]
  partner_server {
    id = azurerm_mssql_server.b.id
  }
  read_write_endpoint_failover_policy {
    mode          = "Automatic"
    grace_minutes = 120
  }
}
"#,
    )]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    let db = resource(&rs, "azurerm_mssql_database.db");
    assert_eq!(db["replicas"][0]["region"], "westus");
    assert_eq!(db["replicas"][0]["rto_seconds"], 2 * 3600);
}

#[test]
fn a_geo_secondary_is_a_replica_and_a_restore_is_not() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_mssql_server" "a" {
  name     = "a"
  location = "eastus"
}
resource "azurerm_mssql_server" "b" {
  name     = "b"
  location = "centralus"
}
resource "azurerm_mssql_database" "primary" {
  name      = "primary"
  server_id = azurerm_mssql_server.a.id
}
resource "azurerm_mssql_database" "secondary" {
  name                        = "secondary"
  server_id                   = azurerm_mssql_server.b.id
  create_mode                 = "Secondary"
  creation_source_database_id = azurerm_mssql_database.primary.id
}
resource "azurerm_mssql_database" "restored" {
  name                        = "restored"
  server_id                   = azurerm_mssql_server.a.id
  create_mode                 = "PointInTimeRestore"
  creation_source_database_id = azurerm_mssql_database.primary.id
  restore_point_in_time       = "2026-01-01T00:00:00Z"
}
"#,
    )]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    let primary = resource(&rs, "azurerm_mssql_database.primary");
    let replicas = primary["replicas"].as_array().expect("replicas");
    assert_eq!(replicas.len(), 1, "{replicas:#?}");
    assert_eq!(replicas[0]["region"], "centralus");
    assert_eq!(replicas[0]["rpo_seconds"], 5);
    let restored = resource(&rs, "azurerm_mssql_database.restored");
    assert_eq!(restored["replica_of"], Value::Null);
}

#[test]
fn zone_redundant_postgresql_without_geo_backup() {
    let rs = fixture("azure-postgresql-zone-redundant-no-geo-backup");
    let pg = resource(&rs, "azurerm_postgresql_flexible_server.billing");
    assert_eq!(pg["region"], "germanywestcentral");
    assert_eq!(pg["zone_redundant"], true);
    let pitr = backup(pg, "automated backups").expect("pitr");
    assert_eq!(pitr["retention_seconds"], 14 * DAY);
    assert!(pitr.get("single_zone").is_none(), "ZR HA: ZRS backups");
    assert!(backup(pg, "geo-redundant backups").is_none());
    assert_eq!(pg["regions"], serde_json::json!(["germanywestcentral"]));
}

#[test]
fn mysql_with_a_cross_region_replica_and_geo_backups() {
    let rs = fixture("azure-mysql-cross-region-replica");
    let db = resource(&rs, "azurerm_mysql_flexible_server.primary");
    assert_eq!(db["zone_redundant"], false, "same-zone HA");
    let geo = backup(db, "geo-redundant backups").expect("geo backups");
    assert_eq!(geo["regions"], serde_json::json!(["francesouth"]));
    let pitr = backup(db, "automated backups").expect("pitr");
    assert_eq!(pitr["single_zone"], "certain");
    assert_eq!(db["replicas"][0]["region"], "switzerlandnorth");
    let replica = resource(&rs, "azurerm_mysql_flexible_server.replica");
    assert_eq!(
        replica["replica_of"],
        "azurerm_mysql_flexible_server.primary"
    );
}

#[test]
fn cosmos_db_in_two_regions_with_periodic_backups() {
    let rs = fixture("azure-cosmosdb-two-regions-periodic");
    let c = resource(&rs, "azurerm_cosmosdb_account.catalog");
    assert_eq!(
        c["regions"],
        serde_json::json!(["westeurope", "northeurope"])
    );
    assert_eq!(c["zone_redundant"], true);
    let periodic = backup(c, "periodic backups").expect("periodic");
    assert_eq!(periodic["interval_seconds"], 4 * 3600);
    assert_eq!(periodic["retention_seconds"], 8 * 3600);
    let geo = backup(c, "periodic backups on geo-redundant storage").expect("geo");
    assert_eq!(geo["regions"], serde_json::json!(["northeurope"]));
    let replica = &c["replicas"][0];
    assert_eq!(replica["region"], "northeurope");
    // Session consistency: under 15 minutes; service-managed failover.
    assert_eq!(replica["rpo_seconds"], 900);
    assert_eq!(replica["rto_seconds"], 900);
}

#[test]
fn cosmos_db_consistency_decides_the_region_rpo() {
    let account = |consistency: &str, extra: &str| {
        let dir = tempdir_with(&[(
            "main.tf",
            &format!(
                r#"
resource "azurerm_cosmosdb_account" "a" {{
  name                = "a"
  location            = "eastus"
  resource_group_name = "rg"
  offer_type          = "Standard"
  {extra}
  consistency_policy {{
    {consistency}
  }}
  geo_location {{
    location          = "eastus"
    failover_priority = 0
  }}
  geo_location {{
    location          = "westus"
    failover_priority = 1
  }}
}}
"#
            ),
        )]);
        let rs = explain(&[dir.path().to_str().expect("utf-8")]);
        resource(&rs, "azurerm_cosmosdb_account.a")["replicas"][0].clone()
    };
    let strong = account("consistency_level = \"Strong\"", "");
    assert_eq!(strong["rpo_seconds"], 0);
    assert_eq!(strong["rto_seconds"], 3600, "manual failover");
    let bounded = account(
        "consistency_level = \"BoundedStaleness\"\n    max_interval_in_seconds = 600\n    max_staleness_prefix = 100000",
        "multiple_write_locations_enabled = true",
    );
    assert_eq!(bounded["rpo_seconds"], 600);
    assert_eq!(bounded["rto_seconds"], 0, "multi-region writes");
}

#[test]
fn managed_disk_backed_up_every_four_hours_by_a_backup_vault() {
    let rs = fixture("azure-disk-backup-vault-4h");
    let d = resource(&rs, "azurerm_managed_disk.data");
    assert_eq!(d["region"], "eastus2");
    assert_eq!(d["zone_redundant"], false);
    let b = backup(d, "Backup vault disk backups").expect("vault backups");
    assert_eq!(b["interval_seconds"], 4 * 3600);
    assert_eq!(b["retention_seconds"], 7 * DAY);
    assert_eq!(b["regions"], serde_json::json!(["eastus2"]));
    assert_eq!(b["certain"], true);
}

#[test]
fn vm_backup_covers_the_disks_attached_to_the_vm() {
    let rs = fixture("azure-vm-disk-recovery-services");
    let d = resource(&rs, "azurerm_managed_disk.data");
    assert_eq!(d["region"], "uksouth");
    assert_eq!(d["zone_redundant"], true);
    let b = backup(d, "Azure Backup of its virtual machine").expect("vm backup");
    assert_eq!(b["interval_seconds"], 4 * 3600);
    assert_eq!(b["retention_seconds"], 30 * DAY);
    assert_eq!(
        b["single_zone"], "certain",
        "a geo-redundant vault is LRS locally"
    );
    let crr = backup(d, "Azure Backup recovery points restorable").expect("cross-region restore");
    assert_eq!(crr["regions"], serde_json::json!(["ukwest"]));
    assert_eq!(crr["interval_seconds"], 36 * 3600);
}

#[test]
fn site_recovery_replicates_only_the_disks_it_names() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_site_recovery_fabric" "target" {
  name                = "target"
  resource_group_name = "rg"
  recovery_vault_name = "rsv"
  location            = "West US 2"
}
resource "azurerm_managed_disk" "os" {
  name                 = "os"
  location             = "westus3"
  storage_account_type = "Premium_LRS"
}
resource "azurerm_managed_disk" "data" {
  name                 = "data"
  location             = "westus3"
  storage_account_type = "Premium_LRS"
}
resource "azurerm_site_recovery_replicated_vm" "vm" {
  name                      = "vm"
  target_recovery_fabric_id = azurerm_site_recovery_fabric.target.id
  managed_disk {
    disk_id = azurerm_managed_disk.os.id
  }
}
"#,
    )]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    let os = resource(&rs, "azurerm_managed_disk.os");
    assert_eq!(os["replicas"][0]["region"], "westus2");
    assert_eq!(os["replicas"][0]["rpo_seconds"], 300);
    let data = resource(&rs, "azurerm_managed_disk.data");
    assert_eq!(data["replicas"], serde_json::json!([]));
}

#[test]
fn redis_zones_and_persistence() {
    let rs = fixture("azure-redis-zones-persistence");
    let sessions = resource(&rs, "azurerm_redis_cache.sessions");
    assert_eq!(sessions["zone_redundant"], true);
    let rdb = backup(sessions, "RDB persistence").expect("rdb");
    assert_eq!(rdb["interval_seconds"], 3600);
    assert_eq!(rdb["retention_seconds"], 3600);
    let cache = resource(&rs, "azurerm_redis_cache.cache");
    assert_eq!(cache["zone_redundant"], false);
    assert_eq!(cache["backups"], serde_json::json!([]));
}

#[test]
fn an_unknown_location_is_unknown_and_so_is_its_pair() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
variable "location" {
  type = string
}
resource "azurerm_storage_account" "a" {
  name                     = "a"
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
  blob_properties {
    versioning_enabled = true
  }
  tags = { resilience-tier = "essential" }
}
"#,
    )]);
    let path = dir.path().to_str().expect("utf-8");
    let rs = explain(&[path]);
    let sa = resource(&rs, "azurerm_storage_account.a");
    assert_eq!(sa["region"], Value::Null);
    assert_eq!(sa["replicas"][0]["region"], Value::Null);
    let unresolved = sa["unresolved"].to_string();
    assert!(
        unresolved.contains("paired region is unknown"),
        "{unresolved}"
    );
    // The versions are in the paired region, whichever it is: no claim that every backup is in
    // one region (RES004); it cannot be decided (RES011).
    let (v, _) = run_json(&["check", "--format", "json", path]);
    let codes = common::finding_codes(&v);
    assert!(!codes.contains(&"RES004".to_string()), "{codes:?}");
    assert!(codes.contains(&"RES011".to_string()), "{codes:?}");
}

#[test]
fn regions_are_normalised_and_unknown_names_are_not_guessed() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_managed_disk" "display" {
  name                 = "a"
  location             = "East US 2"
  storage_account_type = "Premium_LRS"
}
resource "azurerm_managed_disk" "quoted_reference" {
  name                 = "b"
  location             = "azurerm_resource_group.example.location"
  storage_account_type = "Premium_LRS"
}
"#,
    )]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    assert_eq!(
        resource(&rs, "azurerm_managed_disk.display")["region"],
        "eastus2"
    );
    let quoted = resource(&rs, "azurerm_managed_disk.quoted_reference");
    assert_eq!(quoted["region"], Value::Null);
}

#[test]
fn restore_testing_on_azure_is_declared_in_the_configuration() {
    let tf = r#"
resource "azurerm_cosmosdb_account" "a" {
  name                = "a"
  location            = "eastus"
  resource_group_name = "rg"
  offer_type          = "Standard"
  consistency_policy {
    consistency_level = "Strong"
  }
  geo_location {
    location          = "eastus"
    failover_priority = 0
    zone_redundant    = true
  }
  backup {
    type = "Continuous"
  }
  tags = { resilience-tier = "mission-critical" }
}
"#;
    let untested = tempdir_with(&[("main.tf", tf)]);
    let v = common::check_dir(untested.path());
    let res007 = common::findings_of(&v, "RES007");
    assert_eq!(res007.len(), 1, "{v:#}");
    let text = format!("{} {}", res007[0]["message"], res007[0]["help"]);
    assert!(
        text.contains("Azure has no restore-testing resource"),
        "{text}"
    );
    assert!(text.contains("restore-tested"), "{text}");
    assert!(!text.contains("AWS Backup"), "{text}");
    let tested = tempdir_with(&[
        ("main.tf", tf),
        (
            "resilint.toml",
            "restore-tested = [\"azurerm_cosmosdb_account.*\"]\n",
        ),
    ]);
    let v = common::check_dir(tested.path());
    assert!(
        !common::finding_codes(&v).contains(&"RES007".to_string()),
        "{v:#}"
    );
}

#[test]
fn fixes_name_azure_settings_and_sarif_carries_aprl_ids() {
    let dir = common::repo_path("testdata/families/azure-storage-lrs-versioning/terraform");
    let dir = dir.to_str().expect("utf-8");
    let (v, _) = run_json(&["check", "--format", "json", dir]);
    let helps: Vec<String> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["help"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        helps
            .iter()
            .any(|h| h.contains("account_replication_type = \"GZRS\"")),
        "{helps:?}"
    );
    assert!(!helps.iter().any(|h| h.contains("AWS")), "{helps:?}");
    let (sarif, _) = run_json(&["check", "--format", "sarif", dir]);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let res006 = results
        .iter()
        .find(|r| r["ruleId"] == "RES006")
        .expect("RES006");
    assert_eq!(
        res006["properties"]["recommendations"][0]["id"], "e6c7e1cc",
        "{res006:#}"
    );
    assert_eq!(
        res006["properties"]["recommendations"][0]["catalogue"],
        "APRL"
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = rules.iter().find(|r| r["id"] == "RES006").expect("rule");
    let ids: Vec<&str> = rule["properties"]["recommendations"]
        .as_array()
        .expect("rule recommendations")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"e6c7e1cc") && ids.contains(&"ca87914f"),
        "{ids:?}"
    );
}

#[test]
fn a_region_without_zones_says_so_in_the_zone_fix() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_managed_disk" "d" {
  name                 = "d"
  location             = "westcentralus"
  storage_account_type = "Premium_LRS"
  tags = { resilience-tier = "essential" }
}
"#,
    )]);
    let v = common::check_dir(dir.path());
    let res006 = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "RES006")
        .expect("RES006");
    assert!(
        res006["help"]
            .as_str()
            .is_some_and(|h| h.starts_with("westcentralus has no availability zones")),
        "{res006:#}"
    );
}

#[test]
fn managed_instance_databases_take_the_instance_settings_and_its_failover_group() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_mssql_managed_instance" "primary" {
  name                   = "mi-primary"
  location               = "eastus"
  zone_redundant_enabled = true
  storage_account_type   = "GZRS"
}
resource "azurerm_mssql_managed_instance" "secondary" {
  name     = "mi-secondary"
  location = "westus"
}
resource "azurerm_mssql_managed_database" "orders" {
  name                      = "orders"
  managed_instance_id       = azurerm_mssql_managed_instance.primary.id
  short_term_retention_days = 14
}
resource "azurerm_mssql_managed_instance_failover_group" "fog" {
  name                        = "fog"
  location                    = "eastus"
  managed_instance_id         = azurerm_mssql_managed_instance.primary.id
  partner_managed_instance_id = azurerm_mssql_managed_instance.secondary.id
  read_write_endpoint_failover_policy {
    mode          = "Automatic"
    grace_minutes = 60
  }
}
"#,
    )]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    let db = resource(&rs, "azurerm_mssql_managed_database.orders");
    assert_eq!(db["region"], "eastus");
    assert_eq!(db["zone_redundant"], true);
    let pitr = backup(db, "automated backups").expect("pitr");
    assert_eq!(pitr["retention_seconds"], 14 * DAY);
    assert!(pitr.get("single_zone").is_none(), "GZRS backup storage");
    assert_eq!(db["replicas"][0]["region"], "westus");
    assert_eq!(db["replicas"][0]["rto_seconds"], 3600);
}

#[test]
fn a_weekly_vm_policy_is_as_far_apart_as_its_days() {
    let dir = tempdir_with(&[(
        "main.tf",
        r#"
resource "azurerm_linux_virtual_machine" "vm" {
  name     = "vm"
  location = "eastus"
}
resource "azurerm_managed_disk" "d" {
  name                 = "d"
  location             = "eastus"
  storage_account_type = "Premium_ZRS"
}
resource "azurerm_virtual_machine_data_disk_attachment" "a" {
  managed_disk_id    = azurerm_managed_disk.d.id
  virtual_machine_id = azurerm_linux_virtual_machine.vm.id
}
resource "azurerm_recovery_services_vault" "v" {
  name              = "v"
  location          = "eastus"
  storage_mode_type = "ZoneRedundant"
}
resource "azurerm_backup_policy_vm" "weekly" {
  name                = "weekly"
  recovery_vault_name = azurerm_recovery_services_vault.v.name
  backup {
    frequency = "Weekly"
    time      = "22:00"
    weekdays  = ["Tuesday", "Saturday"]
  }
  retention_weekly {
    count    = 7
    weekdays = ["Tuesday", "Saturday"]
  }
}
resource "azurerm_backup_protected_vm" "vm" {
  recovery_vault_name = azurerm_recovery_services_vault.v.name
  source_vm_id        = azurerm_linux_virtual_machine.vm.id
  backup_policy_id    = azurerm_backup_policy_vm.weekly.id
}
"#,
    )]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    let d = resource(&rs, "azurerm_managed_disk.d");
    let b = backup(d, "Azure Backup of its virtual machine").expect("vm backup");
    // Tuesday to Saturday: 4 days; Saturday to Tuesday: 3.
    assert_eq!(b["interval_seconds"], 4 * DAY);
    assert_eq!(b["retention_seconds"], 49 * DAY);
    assert!(b.get("single_zone").is_none(), "a zone-redundant vault");
}
