//! Infrastructure in the forms it is written in (issue 13): SAM templates, and the other forms
//! as they are added. Each test is a scenario whose answer differs when the form is not
//! understood.

mod common;

use common::{backup, explain, resource};
use serde_json::Value;

/// The SAM fixture's template, as addresses name it (relative to the repository).
const PREFIX: &str = "testdata/families/sam-simpletable-globals/cloudformation/template.yaml";

#[test]
fn sam_simple_tables_take_their_globals() {
    let dir = common::repo_path("testdata/families/sam-simpletable-globals/cloudformation");
    let rs = explain(&[dir.to_str().expect("utf-8"), "--region", "eu-west-1"]);
    let orders = resource(&rs, &format!("{PREFIX}#Orders"));
    assert_eq!(orders["family"], "aws-dynamodb-table");
    assert_eq!(orders["tier"], "essential", "from the global Tags map");
    assert_eq!(orders["zone_redundant"], true);
    let pitr = backup(orders, "point-in-time recovery").expect("PITR from Globals");
    assert_eq!(pitr["retention_seconds"], 35 * common::DAY);
    assert_eq!(pitr["line"], 9, "the Globals line that turns it on");
    let sessions = resource(&rs, &format!("{PREFIX}#Sessions"));
    assert!(
        backup(sessions, "point-in-time recovery").is_none(),
        "its own setting wins"
    );
    assert!(
        rs.iter().all(|r| r["type"] != "AWS::Serverless::Function"),
        "a function holds no data"
    );
}

#[test]
fn sam_templates_in_the_corpus_scan_cleanly() {
    // cfn-lint's valid SAM templates: no parse error, and no serverless function or API named
    // as an unmodelled data store.
    let Some(dir) = common::corpus("aws-cloudformation__cfn-lint/test/fixtures/templates/good")
    else {
        return;
    };
    let files: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains("AWS::Serverless-2016-10-31"))
        })
        .filter_map(|p| p.to_str().map(str::to_string))
        .collect();
    assert!(files.len() >= 5, "SAM templates in the corpus: {files:?}");
    let mut args = vec!["check", "--format", "json", "--region", "eu-west-1"];
    args.extend(files.iter().map(String::as_str));
    let (v, _) = common::run_json(&args);
    let codes: Vec<&Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "RES000" || f["code"] == "RES014")
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("Serverless") || f["code"] == "RES000")
        })
        .collect();
    assert!(codes.is_empty(), "{codes:#?}");
}

#[test]
fn opentofu_files_take_the_place_of_terraform_files_of_the_same_name() {
    let rs = common::family_fixture("opentofu-tofu-files");
    let table = resource(&rs, "aws_dynamodb_table.orders");
    let pitr = backup(table, "point-in-time recovery").expect("from main.tofu");
    assert!(
        pitr["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("main.tofu")),
        "{pitr}"
    );
    assert_eq!(rs.len(), 1, "main.tf is not read beside main.tofu");
    // A `.tofu` file named on the command line brings its module as a `.tf` file does.
    let file = common::repo_path("testdata/families/opentofu-tofu-files/terraform/main.tofu");
    let rs = explain(&[file.to_str().expect("utf-8")]);
    assert!(
        backup(
            resource(&rs, "aws_dynamodb_table.orders"),
            "point-in-time recovery"
        )
        .is_some()
    );
    let (v, code) = common::run_json(&["check", "--format", "json", file.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{v:#}");
    assert!(
        common::findings_of(&v, "RES000").is_empty(),
        "provider functions are no error"
    );
}

#[test]
fn a_state_is_read_as_what_is_deployed() {
    let rs = common::family_fixture("terraform-state-json");
    let db = resource(&rs, "aws_db_instance.orders");
    assert_eq!(db["region"], "eu-west-1", "from its ARN");
    assert_eq!(
        backup(db, "automated backups").expect("backups")["retention_seconds"],
        7 * common::DAY
    );
    let table = resource(&rs, "module.db.aws_dynamodb_table.t");
    assert_eq!(table["region"], "us-east-1");
    assert_eq!(table["tier"], "non-essential");
    let bucket = resource(&rs, "aws_s3_bucket.logs");
    assert!(bucket["region"].is_null());
    assert!(
        bucket["unresolved"]
            .to_string()
            .contains("a state records no provider configuration")
    );
    // `--region` stands for the provider's region, as for a plan.
    let dir = common::repo_path("testdata/families/terraform-state-json/terraform");
    let rs = explain(&[dir.to_str().expect("utf-8"), "--region", "eu-central-1"]);
    assert_eq!(
        resource(&rs, "aws_s3_bucket.logs")["region"],
        "eu-central-1"
    );
    assert_eq!(
        resource(&rs, "aws_db_instance.orders")["region"],
        "eu-west-1"
    );
}

#[test]
fn for_each_templates_of_the_corpus() {
    // aws-cloudformation-templates `CloudFormation/fn-foreach-ddb.yaml`: one table per name of
    // the literal list (:10-13), `TableName: !Ref TableName` (:17), no point-in-time recovery.
    let Some(file) = common::corpus(
        "aws-cloudformation__aws-cloudformation-templates/CloudFormation/fn-foreach-ddb.yaml",
    ) else {
        return;
    };
    let rs = explain(&[file.to_str().expect("utf-8"), "--region", "us-east-1"]);
    let mut tables: Vec<&str> = rs
        .iter()
        .filter_map(|r| r["address"].as_str())
        .filter_map(|a| a.rsplit('#').next())
        .collect();
    tables.sort_unstable();
    let expected = [
        "DynamoDBLeaderboard",
        "DynamoDBName",
        "DynamoDBPoints",
        "DynamoDBScore",
    ];
    assert_eq!(tables, expected);
    for r in &rs {
        assert_eq!(r["family"], "aws-dynamodb-table");
        assert_eq!(r["line"], 14, "the loop's output key (:14)");
        assert!(backup(r, "point-in-time recovery").is_none());
    }
}

#[test]
fn cdk_stacks_deploy_to_the_region_of_their_environment() {
    let dir = common::repo_path("testdata/families/cdk-stack-environment/cloudformation");
    let dir = dir.to_str().expect("utf-8");
    for args in [vec![dir], vec![dir, "--region", "us-west-2"]] {
        let rs = explain(&args);
        let table = rs
            .iter()
            .find(|r| r["type"] == "AWS::DynamoDB::Table")
            .expect("the table");
        assert_eq!(table["region"], "eu-west-1", "the manifest wins: {args:?}");
        assert_eq!(table["construct_path"], "OrdersStack/OrdersTable/Resource");
    }
    // Without the manifest the region is the deploy-time environment's: unknown.
    let copy = tempfile::tempdir().expect("tempdir");
    let template = "cdk.out/OrdersStack.template.json";
    let text = std::fs::read_to_string(format!("{dir}/{template}")).expect("template");
    common::write(copy.path(), "OrdersStack.template.json", text.as_bytes());
    let rs = explain(&[copy.path().to_str().expect("utf-8")]);
    assert!(rs[0]["region"].is_null(), "{}", rs[0]);
}

#[test]
fn samconfig_environments_give_regions_and_parameters() {
    let dir = common::repo_path("testdata/families/sam-samconfig-environments/cloudformation");
    let dir = dir.to_str().expect("utf-8");
    let orders = |args: &[&str]| {
        let mut all = vec![dir];
        all.extend(args);
        let rs = explain(&all);
        rs.into_iter().next().expect("the table")
    };
    let dev = orders(&[]);
    assert_eq!(dev["region"], "us-east-1");
    assert_eq!(
        dev["tier"], "essential",
        "Tier=essential from parameter_overrides"
    );
    assert!(backup(&dev, "point-in-time recovery").is_none());
    let prod = orders(&["--config-env", "prod"]);
    assert_eq!(prod["region"], "eu-west-1");
    assert!(backup(&prod, "point-in-time recovery").is_some());
    // Values given on the command line win over samconfig.toml's.
    let overridden = orders(&[
        "--config-env",
        "prod",
        "--parameter-overrides",
        "Recovery=false Tier='non-essential'",
    ]);
    assert!(backup(&overridden, "point-in-time recovery").is_none());
    assert_eq!(overridden["tier"], "non-essential");
    let (v, code) = common::run_json(&[
        "check",
        "--format",
        "json",
        "--parameter-overrides",
        "junk",
        dir,
    ]);
    assert_eq!(code, 2, "{v}");
}

#[test]
fn nested_stacks_take_their_parents_parameters_and_region() {
    let dir = common::repo_path("testdata/families/cfn-nested-stack/cloudformation");
    let rs = explain(&[dir.to_str().expect("utf-8"), "--region", "eu-west-1"]);
    assert_eq!(rs.len(), 1, "the child once, through its parent");
    let db = &rs[0];
    assert!(
        db["address"]
            .as_str()
            .is_some_and(|a| a.ends_with("stacks/database.yaml#Orders"))
    );
    assert_eq!(db["region"], "eu-west-1");
    assert_eq!(db["tier"], "essential", "the parent's Tier");
    assert_eq!(
        backup(db, "automated backups").expect("backups")["retention_seconds"],
        common::DAY,
        "the parent's RetentionDays, not the child's 14"
    );
    // The finding names the parent's stack resource as related.
    let (v, _) = common::run_json(&[
        "check",
        "--format",
        "json",
        "--region",
        "eu-west-1",
        dir.to_str().expect("utf-8"),
    ]);
    let res008 = common::findings_of(&v, "RES008");
    assert!(
        res008[0]["related"]
            .to_string()
            .contains("created through this nested stack"),
        "{v:#}"
    );
    // Scanned alone, the child has its defaults.
    let child = dir.join("stacks/database.yaml");
    let rs = explain(&[child.to_str().expect("utf-8"), "--region", "eu-west-1"]);
    assert_eq!(rs[0]["tier"], "non-essential");
}

/// The Terragrunt fixture's directory.
const TERRAGRUNT: &str = "testdata/families/terragrunt-live/terraform";

/// The explained resource evaluated for the Terragrunt unit whose directory ends with `unit`.
fn unit_resource<'a>(rs: &'a [Value], unit: &str) -> &'a Value {
    rs.iter()
        .find(|r| {
            r["evaluated_from"]
                .as_str()
                .is_some_and(|u| u.ends_with(unit))
        })
        .unwrap_or_else(|| panic!("no resource of unit {unit}: {rs:#?}"))
}

#[test]
fn terragrunt_units_run_their_module_with_their_inputs_and_generated_provider() {
    let dir = common::repo_path(TERRAGRUNT);
    let rs = explain(&[dir.to_str().expect("utf-8")]);
    // Three units evaluated, the module not again alone with its defaults, the remote one not
    // guessed.
    assert_eq!(rs.len(), 3, "{rs:#?}");
    let prod = unit_resource(&rs, "live/prod/orders-db");
    assert_eq!(prod["tier"], "mission-critical", "the unit's inputs win");
    assert_eq!(prod["region"], "eu-west-1", "the generated provider's");
    assert_eq!(
        prod["zone_redundant"], false,
        "multi_az = false from inputs"
    );
    assert_eq!(
        common::retention(prod, "automated backups"),
        Some(common::DAY),
        "backup_retention_days = 1 from inputs"
    );
    let staging = unit_resource(&rs, "live/staging/orders-db");
    assert_eq!(staging["tier"], "essential", "the root file's inputs");
    assert_eq!(staging["region"], "eu-central-1", "its own region.hcl");
    assert_eq!(
        common::retention(staging, "automated backups"),
        Some(7 * common::DAY),
        "the module's default"
    );
    let sessions = unit_resource(&rs, "live/prod/sessions");
    assert!(backup(sessions, "point-in-time recovery").is_some());
}

#[test]
fn terragrunt_findings_point_at_the_module_with_the_unit_as_related_location() {
    let (v, code) = common::run_json(&["check", "--format", "json", TERRAGRUNT]);
    assert_eq!(code, 1);
    let rpo: Vec<&Value> = common::findings_of(&v, "RES006");
    assert_eq!(rpo.len(), 1, "only prod turns Multi-AZ off: {rpo:#?}");
    let f = rpo[0];
    assert!(
        f["file"]
            .as_str()
            .is_some_and(|p| p.ends_with("modules/rds/main.tf")),
        "{f}"
    );
    let related = f["related"].as_array().expect("related");
    assert!(
        related.iter().any(|r| {
            r["file"]
                .as_str()
                .is_some_and(|p| p.ends_with("live/prod/orders-db/terragrunt.hcl"))
                && r["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("Terragrunt unit"))
        }),
        "{related:#?}"
    );
    // The remote unit: one note, with the way to read it.
    let notes = common::findings_of(&v, "RES011");
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("--source-map")),
        "{}",
        notes[0]
    );
    // The mock outputs are said to be mocks.
    let notices = v["notices"].as_array().expect("notices");
    assert!(
        notices
            .iter()
            .any(|n| n["code"] == "terragrunt-mock-outputs"
                && n["file"]
                    .as_str()
                    .is_some_and(|f| f.ends_with("live/prod/sessions/terragrunt.hcl"))),
        "{notices:#?}"
    );
}

#[test]
fn a_source_map_reads_a_remote_terragrunt_module_from_a_local_directory() {
    let modules = common::repo_path(&format!("{TERRAGRUNT}/modules"));
    let map = format!(
        "git::https://git.example.com/acme/modules.git={}",
        modules.display()
    );
    let (v, _) = common::run_json(&[
        "check",
        "--format",
        "json",
        TERRAGRUNT,
        "--source-map",
        &map,
    ]);
    assert!(common::findings_of(&v, "RES011").is_empty(), "{v:#}");
    // backup_retention_days = 0 from the legacy unit's inputs: no backup at all.
    let none = common::findings_of(&v, "RES003");
    assert_eq!(none.len(), 1, "{none:#?}");
    let (bad, code) = common::run_json(&[
        "check",
        "--format",
        "json",
        TERRAGRUNT,
        "--source-map",
        "git::https://x/y.git=/no/such/dir",
    ]);
    assert_eq!(code, 2, "{bad:#}");
}

#[test]
fn the_terragrunt_live_example_names_its_remote_modules_and_reads_them_when_mapped() {
    let (Some(live), Some(modules)) = (
        common::corpus("gruntwork-io__terragrunt-infrastructure-live-example"),
        common::corpus("gruntwork-io__terragrunt-infrastructure-modules-example"),
    ) else {
        return;
    };
    let live = live.to_str().expect("utf-8");
    let (v, _) = common::run_json(&["check", "--format", "json", live]);
    let notes = common::findings_of(&v, "RES011");
    // Six units over two remote modules: one note per module source.
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(common::findings_of(&v, "RES000").is_empty(), "{v:#}");
    let map = format!(
        "git::git@github.com:gruntwork-io/terragrunt-infrastructure-modules-example.git={}",
        modules.display()
    );
    let rs = explain(&[live, "--source-map", &map]);
    let dbs: Vec<&Value> = rs
        .iter()
        .filter(|r| r["address"] == "aws_db_instance.mysql")
        .collect();
    assert_eq!(dbs.len(), 3, "qa, stage and prod: {rs:#?}");
    assert!(dbs.iter().all(|d| d["region"] == "us-east-1"), "{dbs:#?}");
    let (v, _) = common::run_json(&["check", "--format", "json", live, "--source-map", &map]);
    assert!(common::findings_of(&v, "RES011").is_empty(), "{v:#}");
}

#[test]
fn terragrunt_inputs_read_from_the_environment_are_unknown_not_the_defaults() {
    let dir = common::tempdir_with(&[
        (
            "root.hcl",
            "inputs = jsondecode(get_env(\"UNIT_INPUTS\", \"{}\"))\n",
        ),
        (
            "live/db/terragrunt.hcl",
            "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\nterraform {\n  source = \"../../modules/db\"\n}\n",
        ),
        (
            "modules/db/main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nvariable \"retention\" {\n  default = 7\n}\n\nresource \"aws_db_instance\" \"db\" {\n  engine                  = \"postgres\"\n  instance_class          = \"db.t4g.micro\"\n  backup_retention_period = var.retention\n  tags = { resilience-tier = \"essential\" }\n}\n",
        ),
    ]);
    let rs = explain(&[dir.path().to_str().expect("utf-8")]);
    assert_eq!(rs.len(), 1, "{rs:#?}");
    let db = &rs[0];
    assert_eq!(
        common::retention(db, "automated backups"),
        None,
        "not the default of 7 days: {db:#}"
    );
    let unresolved = db["unresolved"].to_string();
    assert!(unresolved.contains("get_env"), "{unresolved}");
}

/// A template whose StackSet deploys an inline table to `regions`.
fn stack_set_template(regions: &str) -> String {
    format!(
        r#"Resources:
  Tables:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: tables
      PermissionModel: SELF_MANAGED
      StackInstancesGroup:
        - DeploymentTargets:
            Accounts: ["123456789012"]
          Regions: [{regions}]
      TemplateBody: |
        Resources:
          Sessions:
            Type: AWS::DynamoDB::Table
            Properties:
              KeySchema:
                - AttributeName: id
                  KeyType: HASH
              AttributeDefinitions:
                - AttributeName: id
                  AttributeType: S
              BillingMode: PAY_PER_REQUEST
              Tags:
                - Key: resilience-tier
                  Value: mission-critical
"#
    )
}

#[test]
fn a_stack_set_deploys_its_inline_template_in_every_region() {
    let dir = common::tempdir_with(&[("set.yaml", &stack_set_template("eu-west-1, eu-central-1"))]);
    let path = dir.path().join("set.yaml");
    let path = path.to_str().expect("utf-8");
    let rs = explain(&[path]);
    let tables: Vec<&Value> = rs
        .iter()
        .filter(|r| r["type"] == "AWS::DynamoDB::Table")
        .collect();
    let mut regions: Vec<&str> = tables.iter().filter_map(|t| t["region"].as_str()).collect();
    regions.sort();
    assert_eq!(regions, ["eu-central-1", "eu-west-1"], "{rs:#?}");
    assert!(
        tables
            .iter()
            .all(|t| t["stack_set"]["regions"].as_array().map(Vec::len) == Some(2)),
        "{tables:#?}"
    );
    let (v, _) = common::run_json(&["check", "--format", "json", path]);
    assert!(common::findings_of(&v, "RES005").is_empty(), "{v:#}");
    // No backups in either region: RES003 for each copy, pointing at the inline template.
    let none = common::findings_of(&v, "RES003");
    assert_eq!(none.len(), 2, "{none:#?}");
    assert!(
        none.iter().all(
            |f| f["file"].as_str().is_some_and(|p| p.ends_with("set.yaml"))
                && f["line"].as_u64().is_some_and(|l| l >= 11)
        ),
        "{none:#?}"
    );
    // One region only: the StackSet is no deployment elsewhere.
    let one = common::tempdir_with(&[("set.yaml", &stack_set_template("eu-west-1"))]);
    let (v, _) = common::run_json(&[
        "check",
        "--format",
        "json",
        one.path().join("set.yaml").to_str().expect("utf-8"),
    ]);
    assert_eq!(common::findings_of(&v, "RES005").len(), 1, "{v:#}");
}

#[test]
fn stack_sets_of_the_corpus_deploy_their_embedded_templates_to_their_regions() {
    let Some(file) = common::corpus(
        "aws-cloudformation__aws-cloudformation-templates/CloudFormation/StackSets/log-setup-management.yaml",
    ) else {
        return;
    };
    let (v, _) = common::run_json(&["check", "--format", "json", file.to_str().expect("utf-8")]);
    assert!(common::findings_of(&v, "RES000").is_empty(), "{v:#}");
    // `TemplateBody: !Rain::Embed log-setup-target-accounts.yaml`, to us-east-1 and us-west-2.
    let queues: Vec<String> = common::findings_of(&v, "RES014")
        .iter()
        .filter_map(|f| f["resource"].as_str().map(str::to_string))
        .filter(|r| r.contains("log-setup-target-accounts.yaml@"))
        .collect();
    assert_eq!(queues.len(), 2, "{queues:?}");
    assert!(queues.iter().any(|q| q.contains("@us-east-1#")));
    assert!(queues.iter().any(|q| q.contains("@us-west-2#")));
}

#[test]
fn a_parent_reads_its_nested_stacks_outputs() {
    let dir = common::tempdir_with(&[
        (
            "parent.yaml",
            r#"Resources:
  Data:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: data.yaml
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: hourly
        BackupPlanRule:
          - RuleName: hourly
            TargetBackupVault: !GetAtt Data.Outputs.VaultName
            ScheduleExpression: cron(0 * * * ? *)
            Lifecycle:
              DeleteAfterDays: 35
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: db
        IamRoleArn: arn:aws:iam::123456789012:role/backup
        Resources:
          - !GetAtt Data.Outputs.TableArn
"#,
        ),
        (
            "data.yaml",
            r#"Resources:
  Vault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: main
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      Tags:
        - Key: resilience-tier
          Value: essential
Outputs:
  TableArn:
    Value: !GetAtt Orders.Arn
  VaultName:
    Value: !Ref Vault
"#,
        ),
    ]);
    let parent = dir.path().join("parent.yaml");
    let rs = explain(&[parent.to_str().expect("utf-8"), "--region", "eu-west-1"]);
    let table = rs
        .iter()
        .find(|r| r["type"] == "AWS::DynamoDB::Table")
        .unwrap_or_else(|| panic!("{rs:#?}"));
    // The parent's backup plan reaches the child's table through the child's output.
    let plan = backup(table, "AWS Backup").unwrap_or_else(|| panic!("{table:#}"));
    assert_eq!(plan["retention_seconds"], 35 * common::DAY, "{plan}");
    assert_eq!(plan["interval_seconds"], 3600, "{plan}");
    assert_eq!(
        plan["certain"], true,
        "a nested stack deploys to its parent's account: {plan}"
    );
}

#[test]
fn a_terragrunt_configuration_reads_no_file_outside_the_scanned_tree() {
    let outside =
        common::tempdir_with(&[("secret.hcl", "locals {\n  token = \"SECRET-VALUE\"\n}\n")]);
    let secret = outside.path().join("secret.hcl");
    let unit = format!(
        "locals {{\n  s = read_terragrunt_config(\"{}\")\n}}\n\ninputs = {{\n  name = local.s.locals.token\n}}\n\nterraform {{\n  source = \"../modules/db\"\n}}\n",
        secret.display()
    );
    let dir = common::tempdir_with(&[
        ("live/terragrunt.hcl", unit.as_str()),
        (
            "modules/db/main.tf",
            "variable \"name\" {}\n\nresource \"aws_s3_bucket\" \"b\" {\n  tags = { resilience-tier = var.name }\n}\n",
        ),
    ]);
    let out = common::run(&[
        "explain",
        "--format",
        "json",
        dir.path().to_str().expect("utf-8"),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("aws_s3_bucket.b"),
        "the unit is evaluated: {text}"
    );
    assert!(!text.contains("SECRET-VALUE"), "{text}");
    let out = common::run(&["check", dir.path().to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("SECRET-VALUE"), "{text}");
}

#[test]
fn terraform_json_is_evaluated_as_native_syntax_with_its_own_lines() {
    let rs = common::family_fixture("terraform-json-syntax");
    let db = resource(&rs, "aws_db_instance.orders");
    assert_eq!(
        db["file"].as_str().map(|f| f.ends_with("main.tf.json")),
        Some(true)
    );
    assert_eq!(db["line"], 17, "the resource's name key");
    assert_eq!(db["region"], "eu-west-1");
    let backups = backup(db, "automated backups").expect("backups");
    assert_eq!(
        backups["retention_seconds"],
        common::DAY,
        "from var.retention_days"
    );
    assert_eq!(backups["line"], 22, "the line of `backup_retention_period`");
    let archive = resource(&rs, "module.archive.aws_s3_bucket.archive");
    assert_eq!(
        archive["region"], "eu-central-1",
        "providers = {{aws = aws.dr}}"
    );
    assert_eq!(archive["tier"], "essential");
    // CDKTF's synthesized JSON of the corpus reads without a parse error.
    if let Some(cdktf) = common::corpus(
        "bridgecrewio__checkov/tests/terraform/parser/resources/parser_scenarios/json_807",
    ) {
        let (v, _) =
            common::run_json(&["check", "--format", "json", cdktf.to_str().expect("utf-8")]);
        assert!(common::findings_of(&v, "RES000").is_empty(), "{v:#}");
        assert!(!common::findings_of(&v, "RES009").is_empty(), "{v:#}");
    }
}

#[test]
fn deletion_policies_given_as_intrinsics_change_nothing_resilint_reads() {
    // resilint estimates recovery from backups, replicas and placement; `DeletionPolicy` and
    // `UpdateReplacePolicy` decide what happens when the stack removes a resource, and are not
    // read. Given as intrinsics (with `AWS::LanguageExtensions`), they must not make the
    // template unreadable or a value unknown.
    let dir = common::tempdir_with(&[(
        "t.yaml",
        r#"Transform: AWS::LanguageExtensions
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [IsProd, Retain, Delete]
    UpdateReplacePolicy: !If [IsProd, Retain, Delete]
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
      Tags:
        - Key: resilience-tier
          Value: non-essential
"#,
    )]);
    let file = dir.path().join("t.yaml");
    let (v, code) = common::run_json(&[
        "check",
        "--format",
        "json",
        "--region",
        "eu-west-1",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["findings"].as_array().is_some_and(Vec::is_empty), "{v:#}");
    let rs = explain(&[file.to_str().expect("utf-8"), "--region", "eu-west-1"]);
    assert!(
        backup(&rs[0], "point-in-time recovery").is_some(),
        "{rs:#?}"
    );
}
