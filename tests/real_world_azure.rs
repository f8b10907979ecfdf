//! Facts about real Azure Terraform in ../shared/corpus: the examples of Azure Verified Modules
//! and checkov's Azure test files, each checked by reading the example and the module it calls
//! (module variable defaults, `optional()` object defaults, explicit nulls, `for_each` over maps
//! of objects, azapi bodies). Skipped when the corpus is absent, unless
//! `RESILINT_REQUIRE_CORPUS=1`. The folders added to the corpus with the Azure work (storage,
//! Cosmos DB, PostgreSQL, SQL; see its SOURCES.md) are skipped when absent even then, since an
//! older copy of the corpus does not have them.

mod common;

use common::{DAY, backup, explain, resource};
use serde_json::Value;

/// `explain --format json` of a corpus directory, or `None` when it is absent.
fn example(path: &str) -> Option<Vec<Value>> {
    let dir = common::corpus(path)?;
    Some(explain(&[dir.to_str()?]))
}

/// The same for a folder added to the corpus with the Azure work: skipped when absent.
fn added(path: &str) -> Option<Vec<Value>> {
    let base = common::corpus("")?;
    let dir = base.join(path);
    if !dir.exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    }
    Some(explain(&[dir.to_str()?]))
}

const MYSQL: &str = "Azure__terraform-azurerm-avm-res-dbformysql-flexibleserver/examples";
const BACKUP_VAULT: &str = "Azure__terraform-azurerm-avm-res-dataprotection-backupvault/examples";
const RSV: &str = "Azure__terraform-azurerm-avm-res-recoveryservices-vault/examples";
const CHECKOV: &str = "bridgecrewio__checkov/tests/terraform/checks/resource/azure";

#[test]
fn mysql_flexible_server_default_example() {
    let Some(rs) = example(&format!("{MYSQL}/default")) else {
        return;
    };
    // examples/default/main.tf:44 `location = "centralus"` on the resource group, passed as
    // `location = azurerm_resource_group.this.location` (:60) to the module's `var.location`.
    let db = resource(
        &rs,
        "module.mysql_server.azurerm_mysql_flexible_server.this",
    );
    assert_eq!(db["region"], "centralus");
    // high_availability = { mode = "ZoneRedundant" } (:70-72) through the dynamic block.
    assert_eq!(db["zone_redundant"], true);
    // backup_retention_days: module default null (variables.tf:50-54): Azure's 7 days.
    let pitr = backup(db, "automated backups").expect("pitr");
    assert_eq!(pitr["retention_seconds"], 7 * DAY);
    assert_eq!(pitr["interval_seconds"], 300);
    // geo_redundant_backup_enabled: the module's default is true (variables.tf:142-146), so
    // the backups are also in eastus2, the pair of centralus.
    let geo = backup(db, "geo-redundant backups").expect("geo backups");
    assert_eq!(geo["regions"], serde_json::json!(["eastus2"]));
    assert_eq!(geo["certain"], true);
    assert_eq!(db["estimates"]["region"]["rpo_seconds"], 3600);
}

#[test]
fn checkov_mysql_geo_backup_cases() {
    let Some(rs) = example(&format!("{CHECKOV}/example_MySQLGeoBackupEnabled")) else {
        return;
    };
    // main.tf: `fail` sets no geo flag (provider default false), `fail2` sets false, `pass`
    // true; the resource group is not declared, so every region is unknown.
    for name in ["fail", "fail2"] {
        let db = resource(&rs, &format!("azurerm_mysql_flexible_server.{name}"));
        assert!(backup(db, "geo-redundant backups").is_none(), "{name}");
        assert_eq!(db["region"], Value::Null);
    }
    let pass = resource(&rs, "azurerm_mysql_flexible_server.pass");
    let geo = backup(pass, "geo-redundant backups").expect("geo backups");
    // In the paired region of an unknown region: not named.
    assert_eq!(geo["regions"], serde_json::json!([]));
    assert_eq!(
        backup(pass, "automated backups").expect("pitr")["retention_seconds"],
        7 * DAY
    );
}

#[test]
fn backup_vault_disk_backup_through_azapi() {
    let Some(rs) = example(&format!("{BACKUP_VAULT}/disk_backup")) else {
        return;
    };
    // main.tf:60-71: a Premium_LRS disk in centralus, protected by an azapi backup instance
    // (module main.disk_backup.tf:75) whose policy repeats every P1D (main.tf:107) and keeps
    // P30D (:108); the retention rules of the example are never read by the module.
    let disk = resource(&rs, "azurerm_managed_disk.example");
    assert_eq!(disk["region"], "centralus");
    assert_eq!(disk["zone_redundant"], false);
    let b = backup(disk, "Backup vault disk backups").expect("vault backups");
    assert_eq!(b["interval_seconds"], DAY);
    assert_eq!(b["retention_seconds"], 30 * DAY);
    assert_eq!(b["regions"], serde_json::json!(["centralus"]));
    assert_eq!(b["certain"], true);
    assert!(
        disk["estimates"]["region"].is_null(),
        "operational snapshots stay in region"
    );
}

#[test]
fn backup_vault_two_disks_two_policies() {
    let Some(rs) = example(&format!("{BACKUP_VAULT}/flexible_backup")) else {
        return;
    };
    // production-daily: R/…/P1D, default_retention_duration P7D (main.tf:132-133; the
    // operational_default_retention_duration P30D is not read for disks).
    let prod = resource(&rs, "azurerm_managed_disk.example");
    let b = backup(prod, "Backup vault disk backups").expect("production");
    assert_eq!(b["interval_seconds"], DAY);
    assert_eq!(b["retention_seconds"], 7 * DAY);
    // development-weekly: R/…/P1W kept P30D (:160-161).
    let dev = resource(&rs, "azurerm_managed_disk.database");
    let b = backup(dev, "Backup vault disk backups").expect("development");
    assert_eq!(b["interval_seconds"], 7 * DAY);
    assert_eq!(b["retention_seconds"], 30 * DAY);
}

#[test]
fn backup_vault_example_postgresql_server() {
    let Some(rs) = example(&format!("{BACKUP_VAULT}/postgres_flexible_backup")) else {
        return;
    };
    // main.tf:61-85: centralus, zone 1 with ZoneRedundant HA (standby zone 2), geo-redundant
    // backups (eastus2), backup_retention_days unset (7 days).
    let pg = resource(&rs, "azurerm_postgresql_flexible_server.example");
    assert_eq!(pg["region"], "centralus");
    assert_eq!(pg["zone_redundant"], true);
    let pitr = backup(pg, "automated backups").expect("pitr");
    assert_eq!(pitr["retention_seconds"], 7 * DAY);
    assert!(pitr.get("single_zone").is_none());
    let geo = backup(pg, "geo-redundant backups").expect("geo");
    assert_eq!(geo["regions"], serde_json::json!(["eastus2"]));
}

#[test]
fn recovery_services_example_storage_accounts_and_protected_vm() {
    let Some(rs) = example(&format!("{RSV}/05-protected-back-fs-vm")) else {
        return;
    };
    // main.tf:69-97: literal regions. GRS in westus keeps a copy in eastus; ZRS in westus2.
    let wus1 = resource(&rs, "azurerm_storage_account.primary_wus1");
    assert_eq!(wus1["region"], "westus");
    assert_eq!(wus1["replicas"][0]["region"], "eastus");
    assert_eq!(wus1["zone_redundant"], false);
    let wus2 = resource(&rs, "azurerm_storage_account.primary_wus2");
    assert_eq!(wus2["zone_redundant"], true);
    assert_eq!(wus2["replicas"], serde_json::json!([]));
    // The VM is protected through a `source_vm_id` built as a string (main.tf:131) and a policy
    // read from a data source: its data disk (Premium_ZRS, attached to the VM) may be backed
    // up, at an unknown cadence; never "no backup".
    let disk = resource(&rs, "azurerm_managed_disk.vm_wus3");
    assert_eq!(disk["region"], "westus3");
    assert_eq!(disk["zone_redundant"], true);
    let b = backup(disk, "Azure Backup of its virtual machine").expect("vm backup");
    assert_eq!(b["certain"], false);
    assert_eq!(b["interval_seconds"], Value::Null);
    assert_eq!(disk["estimates"]["logical"]["certain"], false);
}

#[test]
fn site_recovery_example_does_not_claim_the_data_disks() {
    let Some(rs) = example(&format!("{RSV}/06-site-recovery-vm-replication")) else {
        return;
    };
    // main.tf:121-130: four data disks in westus2; the replicated VMs name only their OS disks,
    // through a data source (:280-288): whether a data disk is replicated is unknown, so its
    // replica in westcentralus (the target resource group's region) is uncertain.
    let disk = resource(&rs, "azurerm_managed_disk.source_data[\"vm1-data1\"]");
    assert_eq!(disk["region"], "westus2");
    let replicas = disk["replicas"].as_array().expect("replicas");
    assert!(!replicas.is_empty());
    assert!(
        replicas.iter().all(|r| r["certain"] == false),
        "{replicas:#?}"
    );
    assert!(replicas.iter().all(|r| r["region"] == "westcentralus"));
    // main.tf:148-158: the staging account is GRS in westus2: its pair is westcentralus.
    let staging = resource(&rs, "azurerm_storage_account.staging");
    assert_eq!(staging["replicas"][0]["region"], "westcentralus");
}

#[test]
fn checkov_storage_replication_and_postgresql_quoted_location() {
    let Some(rs) = example(&format!("{CHECKOV}/example_StorageAccountsUseReplication")) else {
        return;
    };
    // GRS and RAGRS have a geo copy (in the pair of an unknown region), LRS none.
    for name in ["pass", "pass2"] {
        let sa = resource(&rs, &format!("azurerm_storage_account.{name}"));
        assert_eq!(sa["replicas"][0]["region"], Value::Null, "{name}");
        assert_eq!(sa["replicas"][0]["certain"], true, "{name}");
    }
    let fail = resource(&rs, "azurerm_storage_account.fail");
    assert_eq!(fail["replicas"], serde_json::json!([]));
    let Some(rs) = example(&format!(
        "{CHECKOV}/example_PostgreSQLFlexiServerGeoBackupEnabled"
    )) else {
        return;
    };
    // `location = "azurerm_resource_group.example.location"` is a quoted string (:6), not a
    // reference and not a region.
    let pass = resource(&rs, "azurerm_postgresql_flexible_server.pass");
    assert_eq!(pass["region"], Value::Null);
    assert!(
        pass["unresolved"]
            .to_string()
            .contains("not an azure region")
    );
    assert!(backup(pass, "geo-redundant backups").is_some());
    let fail = resource(&rs, "azurerm_postgresql_flexible_server.fail1");
    assert!(backup(fail, "geo-redundant backups").is_none());
}

#[test]
fn sql_database_optional_defaults_and_explicit_nulls() {
    let Some(rs) = added("Azure__terraform-azurerm-avm-res-sql-server/examples/database") else {
        return;
    };
    let db = resource(
        &rs,
        "module.sql_server.module.database[\"my_sample_db\"].azurerm_mssql_database.this",
    );
    // No location: its server's, "AustraliaEast" (examples/database/main.tf:29) normalised.
    assert_eq!(db["region"], "australiaeast");
    // short_term_retention_policy = { retention_days = 1, ... } (:49-52).
    let pitr = backup(db, "automated backups").expect("pitr");
    assert_eq!(pitr["retention_seconds"], DAY);
    // weekly_retention = "P2W1D" (:54-56): 15 days.
    let ltr = backup(db, "long-term retention").expect("ltr");
    assert_eq!(ltr["retention_seconds"], 15 * DAY);
    // storage_account_type = optional(string, "Geo") (variables.database.tf:21): the backups
    // are also in australiasoutheast, and locally in one datacenter.
    assert_eq!(pitr["single_zone"], "certain");
    let geo = backup(db, "geo-replicated backups").expect("geo-restore");
    assert_eq!(geo["regions"], serde_json::json!(["australiasoutheast"]));
    // zone_redundant = optional(bool) passes null, which beats the submodule's default true.
    assert_eq!(db["zone_redundant"], false);
}

#[test]
fn sql_database_submodule_defaults_apply_when_omitted() {
    let Some(rs) =
        added("Azure__terraform-azurerm-avm-res-sql-server/examples/database_with_existing_server")
    else {
        return;
    };
    // Only name and sql_server are passed: modules/database/variables.tf defaults apply,
    // zone_redundant = true (:382-386), 35 days of PITR (:305-313), Geo backups (:328-332).
    let db = resource(&rs, "module.sql_database.azurerm_mssql_database.this");
    assert_eq!(db["region"], "australiaeast");
    assert_eq!(db["zone_redundant"], true);
    let pitr = backup(db, "automated backups").expect("pitr");
    assert_eq!(pitr["retention_seconds"], 35 * DAY);
    assert!(backup(db, "long-term retention").is_none());
}

#[test]
fn cosmos_db_default_example_from_optional_defaults() {
    let Some(rs) =
        added("Azure__terraform-azurerm-avm-res-documentdb-databaseaccount/examples/default")
    else {
        return;
    };
    let c = resource(&rs, "module.cosmos.azurerm_cosmosdb_account.this");
    // examples/default/main.tf:46: spaincentral, which has no paired region.
    assert_eq!(c["region"], "spaincentral");
    // backup: type = optional(string, "Continuous"), tier = optional(string,
    // "Continuous30Days") (variables.account.optionals.tf:50-51); the periodic fields are
    // forced to null (main.tf:51-53).
    let b = backup(c, "continuous backup (30 days").expect("continuous backup");
    assert_eq!(b["retention_seconds"], 30 * DAY);
    assert_eq!(b["interval_seconds"], 100);
    assert!(backup(c, "periodic backups").is_none());
    // One geo_location from local.default_geo_location (locals.tf:6-10), zone-redundant.
    assert_eq!(c["zone_redundant"], true);
    assert_eq!(c["replicas"], serde_json::json!([]));
    assert_eq!(c["regions"], serde_json::json!(["spaincentral"]));
}

#[test]
fn cosmos_db_max_account_periodic_backups() {
    let Some(rs) =
        added("Azure__terraform-azurerm-avm-res-documentdb-databaseaccount/examples/max-account")
    else {
        return;
    };
    // main.tf:72-77: Periodic every 1440 minutes, kept 8 hours, Geo storage; northeurope.
    let c = resource(&rs, "module.cosmos.azurerm_cosmosdb_account.this");
    assert_eq!(c["region"], "northeurope");
    let p = backup(c, "periodic backups ").expect("periodic");
    assert_eq!(p["interval_seconds"], DAY);
    assert_eq!(p["retention_seconds"], 8 * 3600);
    let geo = backup(c, "periodic backups on geo-redundant storage").expect("geo");
    assert_eq!(geo["regions"], serde_json::json!(["westeurope"]));
    assert_eq!(c["zone_redundant"], false);
}

#[test]
fn postgresql_default_example() {
    let Some(rs) =
        added("Azure__terraform-azurerm-avm-res-dbforpostgresql-flexibleserver/examples/default")
    else {
        return;
    };
    // examples/default/main.tf:43 australiaeast; HA ZoneRedundant with standby zone 2 (:67-70);
    // geo_redundant_backup_enabled = true (:66).
    let pg = resource(&rs, "module.test.azurerm_postgresql_flexible_server.this");
    assert_eq!(pg["region"], "australiaeast");
    assert_eq!(pg["zone_redundant"], true);
    let geo = backup(pg, "geo-redundant backups").expect("geo");
    assert_eq!(geo["regions"], serde_json::json!(["australiasoutheast"]));
}
