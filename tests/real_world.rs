//! Facts about real Terraform in ../shared/corpus (the `examples/` of the terraform-aws-modules
//! repositories), each checked by reading the example and the module it calls: variables passed
//! through one or two modules, `count` on `create_*` flags, `coalesce`/`try`/`lookup`, dynamic
//! blocks, providers handed to modules. Skipped when the corpus is absent, unless
//! `RESILINT_REQUIRE_CORPUS=1`.

mod common;

use common::{DAY, backup, explain, resource};
use serde_json::Value;

/// `explain --format json` of a corpus example, or `None` when the corpus is absent.
fn example(path: &str) -> Option<Vec<Value>> {
    let dir = common::corpus(path)?;
    Some(explain(&[dir.to_str()?]))
}

const RDS: &str = "terraform-aws-modules__terraform-aws-rds/examples";
const DB: &str = "module.db_instance.aws_db_instance.this[0]";

#[test]
fn rds_complete_postgres() {
    let Some(rs) = example(&format!("{RDS}/complete-postgres")) else {
        return;
    };
    // examples/complete-postgres/main.tf: provider region local.region = "eu-west-1",
    // multi_az = true, backup_retention_period = 1, passed through ../../ to
    // modules/db_instance.
    let db = resource(&rs, &format!("module.db.{DB}"));
    assert_eq!(db["region"], "eu-west-1");
    assert_eq!(db["zone_redundant"], true);
    let pitr = backup(db, "automated backups (point-in-time").expect("automated backups");
    assert_eq!(pitr["retention_seconds"], DAY);
    assert_eq!(pitr["interval_seconds"], 300);
    assert_eq!(pitr["certain"], true);
    // module "db_automated_backups_replication" with providers = { aws = aws.region2 }
    // (eu-central-1) and the submodule's default retention_period = 7.
    let replicated = backup(db, "automated backups replicated").expect("replication");
    assert_eq!(replicated["regions"][0], "eu-central-1");
    assert_eq!(replicated["retention_seconds"], 7 * DAY);
    assert_eq!(replicated["certain"], true);
    assert_eq!(db["estimates"]["region"]["certain"], true);
    // module "db_default": backup_retention_period = 0 and no multi_az.
    let default = resource(&rs, &format!("module.db_default.{DB}"));
    assert_eq!(default["backups"], serde_json::json!([]));
    assert_eq!(default["zone_redundant"], false);
    // module "db_disabled": create_db_instance = false gives count = 0.
    assert!(
        !rs.iter().any(|r| r["address"]
            .as_str()
            .is_some_and(|a| a.starts_with("module.db_disabled"))),
        "count = 0 instances do not exist"
    );
}

#[test]
fn rds_cross_region_read_replica() {
    let Some(rs) = example(&format!("{RDS}/cross-region-replica-postgres")) else {
        return;
    };
    // module "replica": replicate_source_db = module.master.db_instance_arn, providers =
    // { aws = aws.region2 } with region2 = "eu-central-1".
    let master = format!("module.master.{DB}");
    let replica = resource(&rs, &format!("module.replica.{DB}"));
    assert_eq!(replica["region"], "eu-central-1");
    assert_eq!(replica["replica_of"], master.as_str());
    // Issue 9, item 3: the replica's own facts, not its master's. module "replica" sets
    // multi_az = false and backup_retention_period = 0, no tags; the master is Multi-AZ with
    // backup_retention_period = 1.
    assert_eq!(replica["zone_redundant"], false);
    assert_eq!(replica["backups"], serde_json::json!([]));
    assert_eq!(replica["replicas"], serde_json::json!([]));
    assert_eq!(replica["regions"], serde_json::json!(["eu-central-1"]));
    let master = resource(&rs, &master);
    assert_eq!(master["region"], "eu-west-1");
    assert_eq!(master["zone_redundant"], true);
    assert_eq!(master["replicas"][0]["region"], "eu-central-1");
    assert_eq!(master["replicas"][0]["mode"], "async");
    assert!(
        master["estimates"]["region"].is_object(),
        "covered by the replica"
    );
    assert_eq!(replica["estimates"], master["estimates"], "the component's");
}

#[test]
fn rds_same_region_read_replica() {
    let Some(rs) = example(&format!("{RDS}/replica-postgres")) else {
        return;
    };
    // replicate_source_db = module.master.db_instance_identifier (a name, same region).
    let replica = resource(&rs, &format!("module.replica.{DB}"));
    assert_eq!(replica["region"], "eu-west-1");
    assert_eq!(
        replica["replica_of"],
        format!("module.master.{DB}").as_str()
    );
    let master = resource(&rs, &format!("module.master.{DB}"));
    assert_eq!(
        master["estimates"]["region"],
        Value::Null,
        "no copy elsewhere"
    );
}

#[test]
fn rds_blue_green_retention_from_coalesce() {
    let Some(rs) = example(&format!("{RDS}/blue-green-deployment")) else {
        return;
    };
    // The mysql instance sets no backup_retention_period; modules/db_instance/main.tf gives
    // `var.blue_green_update != null ? coalesce(var.backup_retention_period, 1) : ...`, and
    // blue_green_update is set, so retention is 1 day.
    let mysql = resource(&rs, &format!("module.mysql.{DB}"));
    let pitr = backup(mysql, "automated backups (point-in-time").expect("automated backups");
    assert_eq!(pitr["retention_seconds"], DAY);
    assert_eq!(mysql["zone_redundant"], true, "multi_az = true");
}

const S3: &str = "terraform-aws-modules__terraform-aws-s3-bucket/examples";
const BUCKET: &str = "aws_s3_bucket.this[0]";

#[test]
fn s3_cross_region_replication() {
    let Some(rs) = example(&format!("{S3}/s3-replication")) else {
        return;
    };
    // module "s3_bucket" (eu-west-1) replicates to "arn:aws:s3:::${local.destination_bucket_name}",
    // the bucket of module "replica_bucket" with providers = { aws = aws.replica }
    // (eu-central-1). Both names come from random_pet.this.id. The rules are chosen by
    // flatten(try([var.replication_configuration["rule"]], [...["rules"]], [])). Rules 1 and 2
    // filter on prefixes "one" and "two" (rule 1 has Replication Time Control, 15 minutes):
    // they copy part of the bucket and do not count. Rule 3 (`prefix = ""`) and rule 4 (no
    // filter) copy everything, without RTC: 1 hour.
    let source = format!("module.s3_bucket.{BUCKET}");
    let replica = resource(&rs, &format!("module.replica_bucket.{BUCKET}"));
    assert_eq!(replica["region"], "eu-central-1");
    assert_eq!(replica["replica_of"], source.as_str());
    let source = resource(&rs, &source);
    assert_eq!(source["region"], "eu-west-1");
    let replicas = source["replicas"].as_array().unwrap();
    assert!(!replicas.is_empty());
    assert!(replicas.iter().all(|r| r["region"] == "eu-central-1"));
    assert_eq!(replicas.len(), 2, "{replicas:#?}");
    assert!(replicas.iter().all(|r| r["rpo_seconds"] == 3600));
    let not_counted = source["not_counted"].as_array().unwrap();
    assert_eq!(not_counted.len(), 2, "{not_counted:#?}");
    assert_eq!(source["estimates"]["region"]["rpo_seconds"], 3600);
    assert!(source["unresolved"].as_array().unwrap().is_empty());
    // Issue 9, items 2 and 3: the replica bucket's versioning is its own (module
    // "replica_bucket" sets versioning = { enabled = true } and no lifecycle), listed on its
    // entry, in eu-central-1, kept until deleted; the source lists only its own versioning.
    // Both are one component, whose region estimate the replica's versions give.
    let replica_versions = backup(replica, "object versioning").expect("the replica's own");
    assert_eq!(replica_versions["regions"][0], "eu-central-1");
    assert_eq!(replica_versions["retention_unbounded"], true);
    assert_eq!(replica["replicas"], serde_json::json!([]));
    let own: Vec<&str> = source["backups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["regions"][0].as_str())
        .collect();
    assert_eq!(own, ["eu-west-1"], "the source's own versioning only");
    assert_eq!(replica["component"], source["component"]);
    assert_eq!(replica["estimates"], source["estimates"]);
    assert!(
        source["estimates"]["region"]["via"]
            .as_str()
            .unwrap_or("")
            .contains("module.replica_bucket"),
        "{:#}",
        source["estimates"]
    );
}

#[test]
fn s3_versioning_with_noncurrent_expiration() {
    let Some(rs) = example(&format!("{S3}/complete")) else {
        return;
    };
    // module "s3_bucket": versioning = { status = true }, lifecycle rule
    // noncurrent_version_expiration = { days = 300 }.
    let bucket = resource(&rs, &format!("module.s3_bucket.{BUCKET}"));
    let versioning = backup(bucket, "object versioning").expect("versioning");
    assert_eq!(versioning["retention_seconds"], 300 * DAY);
    assert_eq!(bucket["region"], "eu-west-1");
    // module "log_bucket" sets no versioning.
    let logs = resource(&rs, &format!("module.log_bucket.{BUCKET}"));
    assert_eq!(logs["backups"], serde_json::json!([]));
}

const DYNAMODB: &str = "terraform-aws-modules__terraform-aws-dynamodb-table/examples";

#[test]
fn dynamodb_global_table_replica_with_pitr() {
    let Some(rs) = example(&format!("{DYNAMODB}/global-tables")) else {
        return;
    };
    // replica_regions = [{ region_name = "us-east-1", point_in_time_recovery = true }] into a
    // dynamic "replica" block with lookup(); the table's own PITR is off (variable default
    // false) and the retention period null, so AWS's 35 days apply to the replica.
    let table = resource(&rs, "module.dynamodb_table.aws_dynamodb_table.this[0]");
    assert_eq!(table["region"], "eu-west-1");
    assert_eq!(table["replicas"][0]["region"], "us-east-1");
    assert!(backup(table, "point-in-time recovery (").is_none());
    let replica_pitr =
        backup(table, "point-in-time recovery of the global table replica").expect("replica");
    assert_eq!(replica_pitr["regions"][0], "us-east-1");
    assert_eq!(replica_pitr["retention_seconds"], 35 * DAY);
}

#[test]
fn dynamodb_basic_without_pitr_and_disabled_table() {
    let Some(rs) = example(&format!("{DYNAMODB}/basic")) else {
        return;
    };
    // point_in_time_recovery_enabled defaults to false; module "disabled_dynamodb_table" has
    // create_table = false.
    assert_eq!(rs.len(), 1, "{rs:#?}");
    let table = resource(&rs, "module.dynamodb_table.aws_dynamodb_table.this[0]");
    assert_eq!(table["backups"], serde_json::json!([]));
    assert_eq!(table["zone_redundant"], true, "DynamoDB spans three zones");
}

const AURORA: &str = "terraform-aws-modules__terraform-aws-rds-aurora/examples";

#[test]
fn aurora_global_cluster() {
    let Some(rs) = example(&format!("{AURORA}/global-cluster")) else {
        return;
    };
    // examples/global-cluster/main.tf: module "aurora_primary" (provider region eu-west-1) and
    // module "aurora_secondary" with region = local.secondary_region ("us-east-1"), both with
    // global_cluster_identifier = aws_rds_global_cluster.this.id and instances = two each.
    let primary = "module.aurora_primary.aws_rds_cluster.this[0]";
    let secondary = "module.aurora_secondary.aws_rds_cluster.this[0]";
    let p = resource(&rs, primary);
    assert_eq!(p["region"], "eu-west-1");
    assert_eq!(
        p["zone_redundant"], true,
        "Aurora storage spans three zones"
    );
    assert_eq!(p["replicas"][0]["region"], "us-east-1");
    assert_eq!(p["replicas"][0]["rpo_seconds"], 1);
    assert_eq!(p["replicas"][0]["certain"], true);
    assert_eq!(p["estimates"]["region"]["rpo_seconds"], 1);
    let s = resource(&rs, secondary);
    assert_eq!(s["region"], "us-east-1", "the module's region input");
    assert_eq!(s["replica_of"], primary);
    // Backups cannot be turned off on Aurora: the module's backup_retention_period is null,
    // so the default of one day applies, in each cluster's own region.
    let pitr = backup(p, "automated backups").expect("automated backups");
    assert_eq!(pitr["retention_seconds"], DAY);
    assert_eq!(pitr["certain"], true);
    assert_eq!(
        backup(s, "automated backups").expect("secondary")["regions"][0],
        "us-east-1"
    );
    // The instances (aws_rds_cluster_instance.this, for_each over two) are members, with a
    // reader to fail over to.
    let i = resource(
        &rs,
        "module.aurora_primary.aws_rds_cluster_instance.this[\"0\"]",
    );
    assert_eq!(i["member_of"], primary);
    assert_eq!(p["estimates"]["zone"]["rto_seconds"], 60);
}

#[test]
fn efs_complete() {
    let Some(rs) = example("terraform-aws-modules__terraform-aws-efs/examples/complete") else {
        return;
    };
    // examples/complete/main.tf: module "efs" with enable_backup_policy = true and
    // replication_configuration_destination = { region = "eu-west-2" }, provider eu-west-1;
    // the module (main.tf) creates aws_efs_backup_policy and aws_efs_replication_configuration.
    let efs = resource(&rs, "module.efs.aws_efs_file_system.this[0]");
    assert_eq!(efs["region"], "eu-west-1");
    assert_eq!(efs["zone_redundant"], true, "a Regional file system");
    let daily = backup(efs, "automatic backups").expect("the backup policy");
    assert_eq!(daily["interval_seconds"], DAY);
    assert_eq!(daily["retention_seconds"], 35 * DAY);
    assert_eq!(daily["certain"], true);
    assert_eq!(efs["replicas"][0]["region"], "eu-west-2");
    assert_eq!(efs["replicas"][0]["certain"], true);
    // module "efs_default": the module's create_backup_policy and enable_backup_policy default
    // to true; no replication.
    let default = resource(&rs, "module.efs_default.aws_efs_file_system.this[0]");
    assert!(backup(default, "automatic backups").is_some());
    assert_eq!(default["replicas"], serde_json::json!([]));
    // module "efs_disabled": create = false.
    assert!(
        !rs.iter().any(|r| r["address"]
            .as_str()
            .is_some_and(|a| a.starts_with("module.efs_disabled"))),
        "create = false creates nothing"
    );
}

const ELASTICACHE: &str = "terraform-aws-modules__terraform-aws-elasticache/examples";

#[test]
fn elasticache_global_replication_group() {
    let Some(rs) = example(&format!("{ELASTICACHE}/redis-global-replication-group")) else {
        return;
    };
    // examples/redis-global-replication-group/main.tf: module "elasticache_primary" (default
    // provider, us-east-1) with create_primary_global_replication_group = true, and module
    // "elasticache_secondary" (providers = { aws = aws.euwest1 }) with
    // global_replication_group_id = module.elasticache_primary.global_replication_group_id. The
    // global group names the primary (primary_replication_group_id); the primary does not name it.
    let primary = "module.elasticache_primary.aws_elasticache_replication_group.global[0]";
    let secondary = "module.elasticache_secondary.aws_elasticache_replication_group.global[0]";
    let p = resource(&rs, primary);
    assert_eq!(p["region"], "us-east-1");
    assert_eq!(p["replicas"][0]["region"], "eu-west-1");
    assert_eq!(p["replicas"][0]["certain"], true);
    assert_eq!(resource(&rs, secondary)["replica_of"], primary);
    // The module's snapshot_retention_limit is null: ElastiCache's default of 0 keeps none;
    // multi_az_enabled defaults to false: one zone.
    assert_eq!(p["backups"], serde_json::json!([]));
    assert_eq!(p["zone_redundant"], false);
    let global = "module.elasticache_primary.aws_elasticache_global_replication_group.this[0]";
    assert_eq!(resource(&rs, global)["member_of"], primary);
}

#[test]
fn elasticache_cluster_mode_and_memcached() {
    // examples/redis-cluster-mode/main.tf: cluster_mode_enabled, two shards of three replicas,
    // multi_az_enabled = true (the module then forces automatic failover), no snapshots.
    if let Some(rs) = example(&format!("{ELASTICACHE}/redis-cluster-mode")) {
        let g = resource(
            &rs,
            "module.elasticache.aws_elasticache_replication_group.this[0]",
        );
        assert_eq!(g["zone_redundant"], true);
        assert_eq!(g["backups"], serde_json::json!([]));
    }
    // examples/memcached-cluster/main.tf: engine = "memcached" keeps nothing that survives a
    // restart: not stateful, not listed.
    if let Some(rs) = example(&format!("{ELASTICACHE}/memcached-cluster")) {
        assert!(rs.is_empty(), "{rs:?}");
    }
}

#[test]
fn cloudformation_efs_and_neptune() {
    const CFN: &str = "aws-cloudformation__aws-cloudformation-templates";
    // EFS/EFSAccessPoint.yaml: a Regional file system (no AvailabilityZoneName) without a
    // BackupPolicy: zone-redundant, no backups (the API default for Regional is off).
    if let Some(rs) = example(&format!("{CFN}/EFS/EFSAccessPoint.yaml")) {
        let fs = resource(&rs, "EFSAccessPoint.yaml#EFSFileSystem");
        assert_eq!(fs["zone_redundant"], true);
        assert_eq!(fs["backups"], serde_json::json!([]));
    }
    // NeptuneDB/Neptune.yaml: BackupRetentionPeriod: !Ref BackupRetentionPeriod, whose Default
    // is 31; the DBInstance names the cluster in DBClusterIdentifier.
    if let Some(rs) = example(&format!("{CFN}/NeptuneDB/Neptune.yaml")) {
        let c = resource(&rs, "Neptune.yaml#NeptuneDBCluster");
        assert_eq!(
            c["zone_redundant"], true,
            "the cluster volume spans three zones"
        );
        let pitr = backup(c, "automated backups").expect("continuous backups");
        assert_eq!(pitr["retention_seconds"], 31 * DAY);
        let i = resource(&rs, "Neptune.yaml#NeptuneDBInstance");
        assert_eq!(i["member_of"], "Neptune.yaml#NeptuneDBCluster");
    }
}

#[test]
fn s3_directory_buckets_live_in_one_zone() {
    // examples/directory-bucket/main.tf: modules "simple" and "complete" create
    // aws_s3_directory_bucket (S3 Express One Zone) with a location of type AvailabilityZone.
    let Some(rs) =
        example("terraform-aws-modules__terraform-aws-s3-bucket/examples/directory-bucket")
    else {
        return;
    };
    for m in ["simple", "complete"] {
        let b = resource(&rs, &format!("module.{m}.aws_s3_directory_bucket.this[0]"));
        assert_eq!(b["zone_redundant"], false, "{m}");
        assert_eq!(b["backups"], serde_json::json!([]), "{m}");
    }
}

#[test]
fn redshift_automated_snapshots() {
    // checkov's example_RedshiftClusterAutoSnap/main.tf: `pass` keeps automated snapshots 7
    // days, `pass2` sets nothing (the default of 1 day), `fail` sets
    // automated_snapshot_retention_period = 0, which turns them off. Snapshots run every 8 hours.
    let Some(rs) = example(
        "bridgecrewio__checkov/tests/terraform/checks/resource/aws/example_RedshiftClusterAutoSnap",
    ) else {
        return;
    };
    for (address, days) in [
        ("aws_redshift_cluster.pass", 7),
        ("aws_redshift_cluster.pass2", 1),
    ] {
        let s = backup(resource(&rs, address), "automated snapshots").expect(address);
        assert_eq!(s["interval_seconds"], 8 * 3_600, "{address}");
        assert_eq!(s["retention_seconds"], days * DAY, "{address}");
    }
    let fail = resource(&rs, "aws_redshift_cluster.fail");
    assert_eq!(fail["backups"], serde_json::json!([]));
    assert_eq!(fail["zone_redundant"], false, "no Multi-AZ, no relocation");
}
