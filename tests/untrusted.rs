//! Untrusted input (issue 8): what a pull request can put in the tree must not make resilint
//! read outside it, hang, or stay silent about what it skipped. Each test is a defect that a
//! mutation campaign found, or a stage the rule "a link out of the tree is never opened" covers.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use common::{resilint, write};
use serde_json::Value;

/// What every test plants outside the scanned tree; it must never reach any output.
const SECRET: &str = "S3CR3T-OUTSIDE-THE-TREE";

/// A scratch area: `input/` is scanned, `outside/` holds the secret in every form a stage reads.
fn area() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "outside/evil.tf",
        format!("locals {{ t = \"{SECRET}\" }}\n").as_bytes(),
    );
    write(
        d,
        "outside/leak.tf",
        format!("resource \"aws_s3_bucket\" \"leak\" {{ bucket = \"{SECRET}\" }}\n").as_bytes(),
    );
    write(d, "outside/secret.txt", SECRET.as_bytes());
    write(
        d,
        "outside/vars.tfvars",
        format!("tier = \"{SECRET}\"\n").as_bytes(),
    );
    write(
        d,
        "outside/stack.yaml",
        format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  {SECRET}:\n    Type: AWS::S3::Bucket\n"
        )
        .as_bytes(),
    );
    write(
        d,
        "outside/resilint.toml",
        format!("default-tier = \"{SECRET}\"\n").as_bytes(),
    );
    write(
        d,
        "outside/kb/x.toml",
        format!("[[resource]]\ntype = \"{SECRET}\"\n").as_bytes(),
    );
    write(
        d,
        "outside/mod/main.tf",
        format!("output \"t\" {{ value = \"{SECRET}\" }}\n").as_bytes(),
    );
    dir
}

/// A bucket whose tier is `tier` (an expression).
fn bucket(tier: &str) -> String {
    format!(
        "resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"b\"\n  tags = {{ resilience-tier = {tier} }}\n}}\n"
    )
}

/// Runs resilint in `dir` with a guard against hangs (a hang fails the test, it does not stall
/// the suite; nothing here measures speed). Returns (stdout, stderr, exit code).
fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = resilint()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Every output format of `check` and `explain` on `input`: none may contain the secret.
/// Returns the JSON output of `check`.
fn assert_no_leak(dir: &Path, extra: &[&str]) -> Value {
    let mut json = Value::Null;
    let formats: [&[&str]; 8] = [
        &["check", "-f", "human"],
        &["check", "-f", "json"],
        &["check", "-f", "sarif"],
        &["check", "-f", "github"],
        &["check", "-f", "markdown"],
        &["check", "-f", "junit"],
        &["explain", "-f", "json"],
        &["explain", "-f", "table"],
    ];
    for f in formats {
        let mut args: Vec<&str> = f.to_vec();
        args.extend(extra);
        args.push("input");
        let (stdout, stderr, code) = run(dir, &args);
        assert!(code >= 0, "{args:?} was killed: {stderr}");
        assert!(!stdout.contains(SECRET), "{args:?} leaked:\n{stdout}");
        assert!(!stderr.contains(SECRET), "{args:?} leaked:\n{stderr}");
        if f == ["check", "-f", "json"] {
            json = serde_json::from_str(&stdout).expect("JSON");
        }
        if f == ["check", "-f", "sarif"] {
            common::sarif::assert_valid(&serde_json::from_str(&stdout).expect("SARIF is JSON"));
        }
    }
    json
}

/// The files of the `file-not-read` notices of a JSON output.
fn not_read(v: &Value) -> Vec<String> {
    v["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .filter(|n| n["code"] == "file-not-read")
        .map(|n| n["file"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_linked_tf_file_outside_the_tree_is_never_read() {
    let dir = area();
    let d = dir.path();
    write(d, "input/main.tf", bucket("local.t").as_bytes());
    symlink("../outside/evil.tf", d.join("input/evil.tf")).unwrap();
    symlink("../outside/leak.tf", d.join("input/leak.tf")).unwrap();
    let v = assert_no_leak(d, &[]);
    // One notice per link, naming it; the tier is unknown, not the secret.
    assert_eq!(not_read(&v), ["evil.tf", "leak.tf"], "{v:#}");
    let notice = &v["notices"][0]["message"];
    assert_eq!(
        notice,
        "a symbolic link to `../outside/evil.tf`, which is outside the scanned tree; not read"
    );
    assert_eq!(common::finding_codes(&v), ["RES011"], "{v:#}");
    // explain lists only the resource of the tree.
    let (out, _, _) = run(d, &["explain", "-f", "json", "input"]);
    let e: Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = e["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["file"].as_str())
        .collect();
    assert_eq!(files, ["main.tf"]);
}

#[test]
fn a_link_inside_the_tree_is_followed() {
    let dir = area();
    let d = dir.path();
    write(d, "repo/common/tier.tf", b"locals { t = \"essential\" }\n");
    write(d, "repo/env/main.tf", bucket("local.t").as_bytes());
    symlink("../common/tier.tf", d.join("repo/env/tier.tf")).unwrap();
    // The tree is what is scanned: `repo` holds the link's target.
    let (out, _, _) = run(d, &["check", "-f", "json", "repo"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(not_read(&v), Vec::<String>::new());
    let tiers: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["tier"].as_str())
        .collect();
    assert!(
        !tiers.is_empty() && tiers.iter().all(|t| *t == "essential"),
        "{v:#}"
    );
    // Scanning only `repo/env`, the same link leads out of the tree (no git repository here).
    let (out, _, _) = run(d, &["check", "-f", "json", "repo/env"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(not_read(&v), ["tier.tf"], "{v:#}");
}

#[test]
fn the_git_work_tree_is_the_tree() {
    let dir = area();
    let d = dir.path();
    write(d, "repo/common/tier.tf", b"locals { t = \"essential\" }\n");
    write(d, "repo/env/main.tf", bucket("local.t").as_bytes());
    symlink("../common/tier.tf", d.join("repo/env/tier.tf")).unwrap();
    common::git(&d.join("repo"), &["init", "-q"]);
    // The link's target is outside the scanned directory but inside its git work tree.
    let (out, _, _) = run(d, &["check", "-f", "json", "repo/env"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(not_read(&v), Vec::<String>::new(), "{v:#}");
    // `.git` itself is never read, even through file().
    write(d, "repo/.git/token", SECRET.as_bytes());
    write(
        d,
        "repo/env/main.tf",
        bucket("file(\"${path.module}/../.git/token\")").as_bytes(),
    );
    let (out, _, _) = run(d, &["check", "-f", "json", "repo/env"]);
    assert!(!out.contains(SECRET), "{out}");
}

#[test]
fn every_stage_refuses_links_out_of_the_tree() {
    let dir = area();
    let d = dir.path();
    // file(), templatefile() and fileexists().
    write(
        d,
        "input/main.tf",
        format!(
            "{}{}{}{}",
            bucket("file(\"data.txt\")"),
            "resource \"aws_s3_bucket\" \"t\" {\n  bucket = \"t\"\n  tags = { resilience-tier = templatefile(\"tpl.txt\", {}) }\n}\n",
            "resource \"aws_s3_bucket\" \"e\" {\n  bucket = \"e\"\n  tags = { resilience-tier = fileexists(\"data.txt\") ? \"x\" : \"y\" }\n}\n",
            "variable \"tier\" {\n  type = string\n}\nresource \"aws_s3_bucket\" \"v\" {\n  bucket = \"v\"\n  tags = { resilience-tier = var.tier }\n}\nmodule \"m\" {\n  source = \"./mod\"\n}\nresource \"aws_s3_bucket\" \"m\" {\n  bucket = \"m\"\n  tags = { resilience-tier = module.m.t }\n}\n",
        )
        .as_bytes(),
    );
    symlink("../outside/secret.txt", d.join("input/data.txt")).unwrap();
    symlink("../outside/secret.txt", d.join("input/tpl.txt")).unwrap();
    // Variables files, a module source, a CloudFormation template, the configuration and the
    // knowledge base it names, installed modules.
    symlink("../outside/vars.tfvars", d.join("input/terraform.tfvars")).unwrap();
    symlink("../outside/mod", d.join("input/mod")).unwrap();
    symlink("../outside/stack.yaml", d.join("input/stack.yaml")).unwrap();
    symlink("../outside/resilint.toml", d.join("input/resilint.toml")).unwrap();
    write(
        d,
        "input/.terraform/modules/modules.json",
        b"{\"Modules\": []}",
    );
    let v = assert_no_leak(d, &[]);
    let mut files = not_read(&v);
    files.sort();
    assert_eq!(
        files,
        [
            "data.txt",
            "mod",
            "resilint.toml",
            "stack.yaml",
            "terraform.tfvars",
            "tpl.txt"
        ],
        "{v:#}"
    );
    // A configuration inside the tree whose knowledge-base directory holds a link out of it.
    std::fs::remove_file(d.join("input/resilint.toml")).unwrap();
    write(d, "input/resilint.toml", b"rules = [\"kb\"]\n");
    std::fs::create_dir_all(d.join("input/kb")).unwrap();
    symlink("../../outside/kb/x.toml", d.join("input/kb/x.toml")).unwrap();
    let v = assert_no_leak(d, &[]);
    assert!(not_read(&v).contains(&"kb/x.toml".to_string()), "{v:#}");
}

#[test]
fn a_plan_linked_from_outside_is_not_read() {
    let dir = area();
    let d = dir.path();
    write(
        d,
        "outside/plan.json",
        format!(
            "{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{\"resources\": [{{\"address\": \"aws_s3_bucket.{SECRET}\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"{SECRET}\", \"values\": {{}}}}]}}}}}}"
        )
        .as_bytes(),
    );
    std::fs::create_dir_all(d.join("input")).unwrap();
    symlink("../outside/plan.json", d.join("input/plan.json")).unwrap();
    let v = assert_no_leak(d, &[]);
    assert_eq!(not_read(&v), ["plan.json"]);
}

#[test]
fn a_link_to_a_system_file_is_named_and_not_read() {
    // Defect 2: the link was read, failed to parse, and counted an error no finding named.
    let dir = area();
    let d = dir.path();
    write(d, "input/main.tf", bucket("\"essential\"").as_bytes());
    symlink("/etc/passwd", d.join("input/passwd.tf")).unwrap();
    let (out, _, code) = run(d, &["check", "-f", "json", "input"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(not_read(&v), ["passwd.tf"]);
    assert_eq!(v["summary"]["parse_errors"], 0);
    assert_ne!(code, 2, "a refused link is not an input error");
    assert!(!out.contains("root:"), "{out}");
}

#[test]
fn every_counted_parse_error_has_a_finding_with_its_path() {
    // A broken file in a module outside the scanned directory (context, not reported) still
    // decides the exit code: its RES000 is reported.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "env/main.tf",
        b"module \"db\" {\n  source = \"../modules/db\"\n}\n",
    );
    write(
        d,
        "modules/db/main.tf",
        b"resource \"aws_s3_bucket\" \"b\" {}\n",
    );
    write(d, "modules/db/broken.tf", b"resource \"x\" {\n");
    let (out, _, code) = run(d, &["check", "-f", "json", "env"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 2);
    assert_eq!(v["summary"]["parse_errors"], 1);
    let errors: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "RES000")
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(errors, ["../modules/db/broken.tf"], "{v:#}");
}

/// Makes a FIFO.
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn fifos_never_hang_a_scan() {
    // Defect 3: file() on a FIFO blocked forever. Every place a path from the input is opened.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "input/main.tf",
        format!(
            "{}{}{}",
            bucket("file(\"fifo\")"),
            "resource \"aws_s3_bucket\" \"t\" {\n  bucket = templatefile(\"fifo\", {})\n}\n",
            "resource \"aws_s3_bucket\" \"e\" {\n  bucket = fileexists(\"fifo\") ? \"a\" : \"b\"\n}\n",
        )
        .as_bytes(),
    );
    mkfifo(&d.join("input/fifo"));
    mkfifo(&d.join("input/pipe.tf"));
    mkfifo(&d.join("input/stack.yaml"));
    mkfifo(&d.join("input/terraform.tfvars"));
    mkfifo(&d.join("input/resilint.toml"));
    for args in [
        &["check", "-f", "json", "input"][..],
        &["explain", "-f", "json", "input"],
        &["check", "-f", "json", "input/main.tf"],
        &["check", "-f", "json", "input/pipe.tf"],
    ] {
        let (out, stderr, code) = run(d, args);
        assert!(code == 0 || code == 1, "{args:?}: {code} {stderr}");
        let v: Value = serde_json::from_str(&out).expect("JSON");
        let files = not_read(&v);
        for name in ["pipe.tf", "stack.yaml", "terraform.tfvars", "resilint.toml"] {
            if args.len() == 4 && args[3] == "input" {
                assert!(files.iter().any(|f| f == name), "{args:?}: {files:?}");
            }
        }
        assert!(
            v["notices"].as_array().unwrap().iter().all(|n| n["message"]
                .as_str()
                .unwrap_or("")
                .contains("not a regular file")),
            "{v:#}"
        );
    }
    // Paths named on the command line for other purposes.
    for args in [
        &["check", "--config", "input/fifo", "input"][..],
        &["check", "--baseline", "input/fifo", "input"],
        &["check", "--var-file", "input/fifo", "input"],
    ] {
        let (_, stderr, code) = run(d, args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_failed_run_still_writes_a_valid_document() {
    // Defect 6: a configuration or command-line error printed nothing on standard output.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "main.tf", bucket("\"essential\"").as_bytes());
    write(d, "resilint.toml", b"default-tier = [\n");
    for args in [
        // A configuration error, and a command-line error that clap rejects.
        &["check", "-f", "sarif", "."][..],
        &["check", "--format=sarif", "--fail-on", "bogus", "."],
    ] {
        let (out, stderr, code) = run(d, args);
        assert_eq!(code, 2, "{args:?}");
        let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        common::sarif::assert_valid(&log);
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let n = &invocation["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "error");
        assert_eq!(n["descriptor"]["id"], "run-failed");
        assert!(!n["message"]["text"].as_str().unwrap().is_empty());
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
        assert!(stderr.contains("error"), "{stderr}");
    }
    for args in [
        &["check", "-f", "json", "."][..],
        &["check", "-fjson", "--select", "RES999", "."],
        &["explain", "--format", "json", "."],
    ] {
        let (out, _, code) = run(d, args);
        assert_eq!(code, 2, "{args:?}");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(v["notices"][0]["level"], "error", "{v:#}");
        assert_eq!(v["notices"][0]["code"], "run-failed", "{v:#}");
    }
    // Every document output, also to files; the human one stays on standard error.
    let (out, stderr, code) = run(
        d,
        &[
            "check",
            "-o",
            "sarif=out/r.sarif",
            "-o",
            "junit=out/r.xml",
            "-o",
            "json=out/r.json",
            "-o",
            "github=out/r.txt",
            "-o",
            "markdown=out/r.md",
            ".",
        ],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(stderr.contains("resilint.toml"), "{stderr}");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/r.sarif")).unwrap()).unwrap();
    common::sarif::assert_valid(&sarif);
    let junit = std::fs::read_to_string(d.join("out/r.xml")).unwrap();
    let doc = common::xml::parse(&junit);
    let suite = &doc.all("testsuite")[0];
    assert_eq!(suite.attr("errors"), "1", "{junit}");
    assert!(
        std::fs::read_to_string(d.join("out/r.txt"))
            .unwrap()
            .starts_with("::error title=resilint run-failed::")
    );
    assert!(
        std::fs::read_to_string(d.join("out/r.md"))
            .unwrap()
            .contains("run-failed")
    );
}

#[test]
fn a_file_named_on_the_command_line_does_not_widen_the_tree() {
    // A variables file outside the scanned directory is trusted as itself, not its directory.
    let dir = area();
    let d = dir.path();
    write(d, "outside/ok.tfvars", b"tier = \"essential\"\n");
    write(
        d,
        "input/main.tf",
        format!("variable \"tier\" {{}}\n{}", bucket("file(\"data.txt\")")).as_bytes(),
    );
    symlink("../outside/secret.txt", d.join("input/data.txt")).unwrap();
    let v = assert_no_leak(d, &["--var-file", "outside/ok.tfvars"]);
    assert_eq!(not_read(&v), ["data.txt"], "{v:#}");
}

#[test]
fn a_module_call_from_a_git_work_tree_stays_inside_it() {
    let dir = area();
    let d = dir.path();
    write(
        d,
        "input/main.tf",
        b"module \"m\" {\n  source = \"../outside\"\n}\n",
    );
    // Outside any git work tree the bounds of the project are unknown: the source is followed
    // as Terraform follows it (the bucket of outside/leak.tf is found).
    let (out, _, _) = run(d, &["check", "-f", "json", "input"]);
    assert!(out.contains("module.m.aws_s3_bucket.leak"), "{out}");
    // Inside one (a CI checkout), a source that leaves it is one RES011 and never opened.
    common::git(&d.join("input"), &["init", "-q"]);
    let v = assert_no_leak(d, &[]);
    let res011: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "RES011")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        res011.len() == 1 && res011[0].contains("`../outside` is outside the scanned tree"),
        "{v:#}"
    );
    // A module elsewhere in the same work tree is read.
    write(
        d,
        "repo/modules/db/main.tf",
        bucket("\"essential\"").as_bytes(),
    );
    write(
        d,
        "repo/env/main.tf",
        b"module \"db\" {\n  source = \"../modules/db\"\n}\n",
    );
    common::git(&d.join("repo"), &["init", "-q"]);
    let (out, _, _) = run(d, &["check", "-f", "json", "repo/env"]);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["summary"]["resources"], 1, "{v:#}");
}
