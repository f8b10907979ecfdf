//! Trust on real code (issue 9): every fact resilint states is right or honestly unknown. Each
//! test runs a fixture of `testdata/trust/<case>/` (a Terraform and a CloudFormation variant where
//! both exist) and checks the facts `explain --format json` gives and the findings `check`
//! gives. Findings-only cases live in `testdata/rules/` (tests/rules.rs).

mod common;

use common::{resource, run_json};
use serde_json::Value;

/// The explain entries of a fixture variant.
fn explain(case: &str, variant: &str, extra: &[&str]) -> Vec<Value> {
    let dir = format!("testdata/trust/{case}/{variant}");
    let mut args = vec!["explain", "--format", "json", "--region", "eu-west-1"];
    args.extend(extra);
    args.push(&dir);
    let (v, _) = run_json(&args);
    v["resources"].as_array().expect("resources").clone()
}

/// The address of a resource of a variant: Terraform addresses as they are, CloudFormation
/// logical ids as `<template>#Id`.
fn addr(case: &str, variant: &str, name: &str) -> String {
    match variant {
        "cloudformation" => format!("testdata/trust/{case}/cloudformation/template.yaml#{name}"),
        _ => name.to_string(),
    }
}

#[test]
fn a_replica_shows_its_own_facts_and_its_component() {
    // Item 3: a read replica with no multi_az, no retention and no tags was shown with its
    // primary's zone redundancy, backups, tier source, and as its own replica.
    let case = "replica-own-facts";
    for (variant, primary, replica) in [
        (
            "terraform",
            "aws_db_instance.primary",
            "aws_db_instance.replica",
        ),
        ("cloudformation", "Primary", "Replica"),
    ] {
        let rs = explain(case, variant, &[]);
        let (p, r) = (addr(case, variant, primary), addr(case, variant, replica));
        let pe = resource(&rs, &p);
        let re = resource(&rs, &r);
        assert_eq!(pe["zone_redundant"], true, "{variant}");
        assert_eq!(pe["backups"].as_array().map(Vec::len), Some(1), "{variant}");
        assert_eq!(pe["replicas"][0]["mechanism"], format!("read replica {r}"));
        assert_eq!(re["replica_of"], p.as_str());
        assert_eq!(
            re["zone_redundant"], false,
            "{variant}: its own, not its primary's"
        );
        assert_eq!(re["backups"], serde_json::json!([]), "{variant}");
        assert_eq!(
            re["replicas"],
            serde_json::json!([]),
            "{variant}: not its own replica"
        );
        assert_eq!(re["tier"], "essential");
        assert_eq!(re["tier_source"], "tag");
        assert_eq!(re["tier_declared_by"], p.as_str(), "{variant}: inherited");
        for e in [pe, re] {
            assert_eq!(e["component"]["primary"], p.as_str());
            assert_eq!(
                e["component"]["members"],
                serde_json::json!([p.as_str(), r.as_str()])
            );
            // The estimates are the component's: the same on both entries.
            assert_eq!(e["estimates"], pe["estimates"]);
        }
    }
    let rs = explain(case, "terraform", &[]);
    let re = resource(&rs, "aws_db_instance.replica");
    assert_eq!(re["region"], "eu-west-2");
    assert_eq!(re["regions"], serde_json::json!(["eu-west-2"]));
}

/// The findings of `check --format json` on a directory.
fn check(dir: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["check", "--format", "json", "--region", "eu-west-1"];
    args.extend(extra);
    args.push(dir);
    let (v, _) = run_json(&args);
    v["findings"].as_array().expect("findings").clone()
}

#[test]
fn a_suspended_versioning_is_quoted_where_it_is_written() {
    // Item 4: RES003 said "`versioning.enabled` is not set" and pointed at the bucket.
    for (variant, line, quote) in [
        ("terraform", 17, "main.tf:17: `status = \"Suspended\"`"),
        ("cloudformation", 8, "template.yaml:8: `Status: Suspended`"),
    ] {
        let fs = check(
            &format!("testdata/rules/RES003-versioning-suspended/{variant}"),
            &[],
        );
        let f = fs.iter().find(|f| f["code"] == "RES003").expect("RES003");
        assert_eq!(f["line"], line, "{variant}");
        let message = f["message"].as_str().unwrap_or("");
        assert!(message.contains(quote), "{variant}: {message}");
        assert!(!message.contains("not set"), "{variant}: {message}");
    }
}

#[test]
fn a_replica_key_in_the_stack_region_puts_the_replica_there_without_region() {
    // Item 7, without --region: `${AWS::Region}` in the replica KMS key is the stack's region,
    // whatever it is called, so the replication is same-region: RES005, not RES011.
    let (v, _) = run_json(&[
        "check",
        "--format",
        "json",
        "testdata/rules/RES005-replica-key-in-stack-region/cloudformation",
    ]);
    let codes = common::finding_codes(&v);
    assert!(codes.iter().any(|c| c == "RES005"), "{codes:?}");
    assert!(!codes.iter().any(|c| c == "RES011"), "{codes:?}");
}

/// The explain entries of a directory, with arguments.
fn explain_dir(dir: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["explain", "--format", "json"];
    args.extend(extra);
    args.push(dir);
    let (v, _) = run_json(&args);
    v["resources"].as_array().expect("resources").clone()
}

#[test]
fn the_workspace_is_given_by_flag_or_config() {
    // Item 12: `terraform.workspace` was always unknown.
    let dir = "testdata/trust/workspace/terraform";
    let rs = explain_dir(dir, &[]);
    let b = resource(&rs, "aws_s3_bucket.data");
    assert_eq!(b["tier"], Value::Null);
    let why = b["unresolved"][0].as_str().unwrap_or("");
    assert!(why.contains("pass --workspace NAME"), "{why}");
    let rs = explain_dir(dir, &["--workspace", "prod"]);
    assert_eq!(resource(&rs, "aws_s3_bucket.data")["tier"], "essential");
    let rs = explain_dir(dir, &["--workspace", "dev"]);
    assert_eq!(resource(&rs, "aws_s3_bucket.data")["tier"], "non-essential");
    // From resilint.toml, and the flag wins over it.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo_path(dir), tmp.path());
    std::fs::write(tmp.path().join("resilint.toml"), "workspace = \"prod\"\n").unwrap();
    let d = tmp.path().to_str().unwrap();
    let rs = explain_dir(d, &[]);
    assert_eq!(resource(&rs, "aws_s3_bucket.data")["tier"], "essential");
    let rs = explain_dir(d, &["--workspace", "dev"]);
    assert_eq!(resource(&rs, "aws_s3_bucket.data")["tier"], "non-essential");
}

#[test]
fn a_region_for_providers_that_set_none() {
    // Item 13: --region (or `region` in the config) gives the region of AWS providers that set
    // none and of a root module's default provider; a region written in the configuration wins.
    let base = "testdata/trust/default-region";
    let region = |sub: &str, extra: &[&str], address: &str| {
        let rs = explain_dir(&format!("{base}/{sub}"), extra);
        resource(&rs, address).clone()
    };
    let carts = "aws_dynamodb_table.carts";
    for sub in ["no-region", "no-provider"] {
        let e = region(sub, &[], carts);
        assert_eq!(e["region"], Value::Null, "{sub}");
        let why = e["unresolved"][0].as_str().unwrap_or("");
        assert!(why.contains("pass --region"), "{sub}: {why}");
        assert!(!why.contains("calling module"), "{sub}: {why}");
        assert_eq!(
            region(sub, &["--region", "eu-west-1"], carts)["region"],
            "eu-west-1",
            "{sub}"
        );
    }
    assert_eq!(
        region("written", &["--region", "eu-west-1"], carts)["region"],
        "eu-central-1"
    );
    // An aliased provider the root module does not configure stays unknown, and no calling
    // module is blamed.
    let dr = region(
        "no-provider",
        &["--region", "eu-west-1"],
        "aws_dynamodb_table.dr",
    );
    assert_eq!(dr["region"], Value::Null);
    let why = dr["unresolved"][0].as_str().unwrap_or("");
    assert!(why.contains("not configured in the root module"), "{why}");
}

#[test]
fn cloudformation_parameters_are_given_by_flag_file_or_config() {
    // Item 14: parameter values win over defaults; without value or default they stay unknown.
    let dir = "testdata/trust/parameters/cloudformation";
    let orders = |extra: &[&str]| {
        let mut args = vec!["--region", "eu-west-1"];
        args.extend(extra);
        let rs = explain_dir(dir, &args);
        rs[0].clone()
    };
    let retention = |e: &Value| e["backups"][0]["retention_seconds"].as_u64();
    let e = orders(&[]);
    assert_eq!(e["tier"], Value::Null);
    assert_eq!(retention(&e), Some(86_400), "the default");
    assert!(
        e["unresolved"][0]
            .as_str()
            .unwrap_or("")
            .contains("pass --parameter Tier=VALUE"),
        "{e:#}"
    );
    let e = orders(&["--parameters", "testdata/trust/parameters/params.json"]);
    assert_eq!(
        (
            e["tier"].as_str(),
            e["zone_redundant"].as_bool(),
            retention(&e)
        ),
        (Some("essential"), Some(true), Some(14 * 86_400))
    );
    let e = orders(&["--parameters", "testdata/trust/parameters/params.env"]);
    assert_eq!(
        (
            e["tier"].as_str(),
            e["zone_redundant"].as_bool(),
            retention(&e)
        ),
        (Some("non-essential"), Some(false), Some(7 * 86_400))
    );
    // --parameter wins over the file.
    let e = orders(&[
        "--parameters",
        "testdata/trust/parameters/params.json",
        "--parameter",
        "Retention=3",
    ]);
    assert_eq!(retention(&e), Some(3 * 86_400));
    // [parameters] in resilint.toml, under the file and the flag.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo_path(dir), tmp.path());
    std::fs::write(
        tmp.path().join("resilint.toml"),
        "[parameters]\nRetention = 21\nMultiAZ = \"true\"\nTier = \"essential\"\n",
    )
    .unwrap();
    let d = tmp.path().to_str().unwrap();
    let rs = explain_dir(d, &["--region", "eu-west-1"]);
    assert_eq!(retention(&rs[0]), Some(21 * 86_400));
    let rs = explain_dir(d, &["--region", "eu-west-1", "--parameter", "Retention=2"]);
    assert_eq!(retention(&rs[0]), Some(2 * 86_400));
    // A malformed value is a usage error.
    let out = common::run(&["check", "--parameter", "oops", dir]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_bare_file_name_finds_the_configuration_beside_it() {
    // Item 15: `check main.tf` ignored resilint.toml in the current directory, `./main.tf` found
    // it; the findings then differed (RES009 instead of RES003).
    let dir = common::tempdir_with(&[
        (
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
        ),
        ("resilint.toml", "default-tier = \"essential\"\n"),
    ]);
    let codes = |file: &str| {
        let (v, _) = common::run_json_in(dir.path(), &["check", "--format", "json", file]);
        let mut c: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["code"].as_str().map(str::to_string))
            .collect();
        c.sort();
        c
    };
    let bare = codes("main.tf");
    assert_eq!(bare, codes("./main.tf"));
    assert!(bare.contains(&"RES003".to_string()), "{bare:?}");
    assert!(!bare.contains(&"RES009".to_string()), "{bare:?}");
}

#[test]
fn strict_treats_unknown_tags_as_absent() {
    // Item 16: every RES011 about tags recommends --strict, which still said "cannot tell which
    // tier applies"; explain --strict shows the same view.
    let dir = "testdata/trust/workspace/terraform";
    let codes = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend(extra);
        args.push(dir);
        common::finding_codes(&run_json(&args).0)
    };
    assert_eq!(codes(&[]), ["RES011"]);
    assert_eq!(codes(&["--strict"]), ["RES009"]);
    let rs = explain_dir(dir, &["--strict"]);
    let b = resource(&rs, "aws_s3_bucket.data");
    assert_eq!(b["tier"], Value::Null);
    assert_eq!(b["unresolved"], serde_json::json!([]), "{b:#}");
    // With a default tier, --strict falls back to it.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo_path(dir), tmp.path());
    std::fs::write(
        tmp.path().join("resilint.toml"),
        "default-tier = \"essential\"\n",
    )
    .unwrap();
    let rs = explain_dir(tmp.path().to_str().unwrap(), &["--strict"]);
    assert_eq!(
        resource(&rs, "aws_s3_bucket.data")["tier_source"],
        "default"
    );
}

#[test]
fn modules_not_installed_are_one_note_per_source_with_the_fix() {
    // Item 17: one note per module source, listing its calls, saying what to do, and the notes
    // of a local module outside the scanned directory reported at its block.
    let fs = check("testdata/trust/modules-not-installed/envs/prod", &[]);
    let notes: Vec<&Value> = fs.iter().filter(|f| f["code"] == "RES011").collect();
    assert_eq!(notes.len(), 3, "{notes:#?}");
    let sqs = notes
        .iter()
        .find(|f| f["message"].as_str().unwrap_or("").contains("sqs"))
        .expect("the sqs calls");
    let message = sqs["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("4 module calls are not evaluated"),
        "{message}"
    );
    assert_eq!(sqs["related"].as_array().map(Vec::len), Some(3), "{sqs:#}");
    for n in &notes {
        let help = n["help"].as_str().unwrap_or("");
        assert!(help.contains("terraform init"), "{help}");
        assert!(!help.contains("--region"), "{help}");
        assert_eq!(
            n["file"],
            "testdata/trust/modules-not-installed/envs/prod/main.tf"
        );
    }
    let cache = notes
        .iter()
        .find(|f| f["message"].as_str().unwrap_or("").contains("elasticache"))
        .expect("the nested module's call");
    assert_eq!(cache["line"], 28, "at the `module \"app\"` block");
}

#[test]
fn resources_of_a_shared_module_say_where_they_come_from() {
    // Items 18 and 19: a finding on a resource made inside a shared module has the calling
    // `module` block as related location; explain says which root it was evaluated from; a
    // resource that may not exist says so in the message and in a SARIF property.
    let dir = "testdata/trust/shared-module";
    let fs = check(dir, &[]);
    assert!(!fs.is_empty());
    for f in &fs {
        let related: Vec<&str> = f["related"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["file"].as_str())
            .collect();
        let resource = f["resource"].as_str().unwrap_or("");
        let root = if resource.ends_with("[0]") { "a" } else { "b" };
        assert!(
            related.contains(&format!("{dir}/envs/{root}/main.tf").as_str()),
            "{f:#}"
        );
        let message = f["message"].as_str().unwrap_or("");
        assert_eq!(root == "b", message.contains("may not exist"), "{message}");
        assert_eq!(root == "b", f.get("may_not_exist").is_some(), "{f:#}");
    }
    let roots: Vec<(String, String)> = explain_dir(dir, &[])
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap_or("").to_string(),
                r["evaluated_from"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        roots,
        [
            (
                "module.db.aws_s3_bucket.this[0]".to_string(),
                format!("{dir}/envs/a")
            ),
            (
                "module.db.aws_s3_bucket.this".to_string(),
                format!("{dir}/envs/b")
            ),
        ]
    );
    let (log, _) = run_json(&["check", "--format", "sarif", dir]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let may_not: Vec<bool> = results
        .iter()
        .map(|r| r["properties"]["mayNotExist"].is_string())
        .collect();
    assert!(
        may_not.contains(&true) && may_not.contains(&false),
        "{may_not:?}"
    );
    // Scanned alone, a root's findings point at its module block, and the module's lines are
    // printed relative to the repository, never as absolute paths.
    let out = common::run(&["check", &format!("{dir}/envs/a")]);
    let text = String::from_utf8_lossy(&out.stdout);
    let root = common::root();
    assert!(!text.contains(root.to_str().unwrap()), "{text}");
    assert!(
        text.contains(&format!("{dir}/modules/db/main.tf")),
        "{text}"
    );
}

#[test]
fn every_sarif_result_about_a_resource_or_module_call_has_a_logical_location() {
    // Item 20.
    for dir in [
        "testdata/trust/modules-not-installed/envs/prod",
        "testdata/rules/RES013-suppression-unused/terraform",
        "testdata/trust/shared-module",
    ] {
        let (log, _) = run_json(&["check", "--format", "sarif", dir]);
        for r in log["runs"][0]["results"].as_array().unwrap() {
            let message = r["message"]["text"].as_str().unwrap_or("");
            if message.contains("not written in or just before") {
                continue; // a suppression comment about nothing
            }
            let logical = &r["locations"][0]["logicalLocations"][0];
            assert!(logical["fullyQualifiedName"].is_string(), "{dir}: {r:#}");
            let kind = logical["kind"].as_str().unwrap_or("");
            assert!(kind == "resource" || kind == "module", "{kind}");
        }
    }
}

#[test]
fn a_workload_that_matches_nothing_is_reported() {
    // Item 21: `[[workloads]]` is first match wins, paths and addresses combine, and an entry
    // that matches nothing is most likely a typo: a warning notice.
    let dir = common::tempdir_with(&[
        (
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nmodule \"pay\" {\n  source = \"./pay\"\n}\nresource \"aws_s3_bucket\" \"ledger\" {\n  bucket = \"l\"\n}\n",
        ),
        (
            "pay/main.tf",
            "resource \"aws_s3_bucket\" \"ledger\" {\n  bucket = \"p\"\n}\n",
        ),
        (
            "resilint.toml",
            "[[workloads]]\ntier = \"mission-critical\"\naddresses = [\"module.pay.*\"]\n\n[[workloads]]\ntier = \"non-essential\"\naddresses = [\"*aws_s3_bucket.ledger\"]\n\n[[workloads]]\ntier = \"essential\"\naddresses = [\"aws_s3_bucket.ledgr\"]\n",
        ),
    ]);
    let (v, _) = common::run_json_in(dir.path(), &["explain", "--format", "json", "."]);
    let rs = v["resources"].as_array().unwrap();
    // The first entry wins for the module's bucket; the second reaches the root's.
    assert_eq!(
        resource(rs, "module.pay.aws_s3_bucket.ledger")["tier"],
        "mission-critical"
    );
    assert_eq!(
        resource(rs, "aws_s3_bucket.ledger")["tier"],
        "non-essential"
    );
    let notices = v["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert_eq!(notices[0]["code"], "workload-unused");
    assert_eq!(notices[0]["level"], "warning");
    assert_eq!(notices[0]["file"], "resilint.toml");
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("[[workloads]] entry 3 (tier `essential`")
    );
}

#[test]
fn small_ones_found_on_the_way() {
    // Item 22.
    let dir = common::tempdir_with(&[
        (
            "main.tf",
            "variable \"days\" {\n  type = number\n}\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_db_instance\" \"db\" {\n  backup_retention_period = var.days\n  tags = { resilience-tier = \"essential\" }\n}\n",
        ),
        ("ci.yaml", "name: ci\non: push\n"),
    ]);
    let run = |args: &[&str]| {
        let mut a = vec!["check", "--format", "json"];
        a.extend(args);
        common::run_json_in(dir.path(), &a)
    };
    // A --var for a variable no root declares: a warning, like Terraform.
    let (v, code) = run(&["--var", "days=7", "--var", "nope=1", "."]);
    assert_eq!(code, 1);
    assert_eq!(v["notices"][0]["code"], "var-undeclared", "{v:#}");
    assert_eq!(v["notices"][0]["level"], "warning");
    // A value that is not valid for the variable's type: an error (exit 2).
    let (v, code) = run(&["--var", "days=abc", "main.tf"]);
    assert_eq!(code, 2);
    let n = &v["notices"][0];
    assert_eq!(
        (n["code"].as_str(), n["level"].as_str()),
        (Some("var-invalid"), Some("error"))
    );
    assert!(
        n["message"].as_str().unwrap_or("").contains("`var.days`"),
        "{n}"
    );
    // A YAML file named on the command line that is not a template: a note, not silence.
    let (v, code) = run(&["ci.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["files"], 0);
    assert_eq!(v["notices"][0]["code"], "file-not-supported", "{v:#}");
    assert_eq!(v["notices"][0]["file"], "ci.yaml");
    // The JSON summary counts suppressed findings.
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n# resilint:ignore RES003,RES004 reason=\"test\"\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  tags = { resilience-tier = \"essential\" }\n}\n",
    )
    .unwrap();
    let (v, _) = run(&["main.tf"]);
    assert_eq!(v["summary"]["suppressed"], 2, "{v:#}");
    // `check --help` says what the README says of --show-suppressed.
    let help = common::stdout(&["check", "--help"]);
    assert!(help.contains("human and JSON output"), "{help}");
}

#[test]
fn object_lock_is_shown_never_counted() {
    // Issue 10 (and 9, item 2): a default retention protects each version from its creation,
    // so it keeps no state longer than versioning: listed under `protections`, not `backups`.
    let case = "object-lock";
    for variant in ["terraform", "cloudformation"] {
        let rs = explain(case, variant, &[]);
        let name = if variant == "terraform" {
            "aws_s3_bucket.audit"
        } else {
            "Audit"
        };
        let audit = resource(&rs, &addr(case, variant, name));
        assert_eq!(
            audit["protections"][0]["retention_seconds"],
            30 * 86_400,
            "{variant}"
        );
        assert_eq!(
            audit["backups"].as_array().map(Vec::len),
            Some(1),
            "{variant}: versioning only"
        );
        let plain = addr(
            case,
            variant,
            if variant == "terraform" {
                "aws_s3_bucket.plain"
            } else {
                "Plain"
            },
        );
        assert!(
            resource(&rs, &plain).get("protections").is_none(),
            "{variant}"
        );
    }
}
