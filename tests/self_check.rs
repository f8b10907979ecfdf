//! `resilint --version` and `resilint self-check`: what the binary is, and whether a
//! configuration and its knowledge-base directories are valid, without scanning
//! (testdata/self-check/).

mod common;

use common::{resilint, run, tempdir_with};

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_says_version_commit_knowledge_base_and_target() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    let v = text(&out);
    let lines: Vec<&str> = v.lines().collect();
    assert_eq!(lines.len(), 4, "{v}");
    assert_eq!(lines[0], format!("resilint {}", env!("CARGO_PKG_VERSION")));
    // Built from this git checkout: a 12-digit commit and its date.
    let commit = lines[1].strip_prefix("commit: ").expect("commit line");
    let sha = commit.split_whitespace().next().unwrap_or("");
    assert!(
        sha == "unknown" || (sha.len() == 12 && sha.chars().all(|c| c.is_ascii_hexdigit())),
        "{v}"
    );
    let kb = lines[2]
        .strip_prefix("knowledge base: ")
        .expect("knowledge-base line");
    let digest = kb.split_whitespace().next().unwrap_or("");
    assert_eq!(digest.len(), 12, "{v}");
    assert!(kb.contains(" files, built in)"), "{v}");
    assert!(lines[3].starts_with("target: "), "{v}");
    // -V is the short form.
    let short = text(&run(&["-V"]));
    assert_eq!(short.trim(), lines[0]);
}

#[test]
fn a_valid_configuration_and_knowledge_base_pass() {
    let out = run(&["self-check", "testdata/self-check/valid"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("config: testdata/self-check/valid/resilint.toml\n"),
        "{t}"
    );
    assert!(t.contains("default tier: essential"), "{t}");
    assert!(
        t.contains("1 workload, owners for 2 workloads, 1 figure override"),
        "{t}"
    );
    assert!(
        t.contains("testdata/self-check/valid/kb: 1 file: 2 resource types, 0 families, 0 figures, 1 not-modelled type\n"),
        "{t}"
    );
    assert!(
        t.contains("replaces the built-in or earlier entries of aws_dynamodb_table\n"),
        "{t}"
    );
    assert!(
        t.contains("warning: testdata/self-check/valid/resilint.toml: [owners.ledger] names no [[workloads]] entry"),
        "{t}"
    );
    assert!(!t.contains("error:"), "{t}");
    assert!(t.ends_with("self-check passed: the configuration and the knowledge base are valid (nothing was scanned)\n"), "{t}");
}

#[test]
fn every_error_is_reported_in_one_run() {
    let out = run(&["self-check", "testdata/self-check/invalid"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    let errors: Vec<&str> = t.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 5, "{t}");
    assert!(
        errors[0].contains("kb-syntax/broken.toml: TOML parse error at line 3, column 19"),
        "{t}"
    );
    assert!(
        errors[1].contains("kb-semantic: resource type acme_queue: unknown family `acme-queue`"),
        "{t}"
    );
    assert!(
        errors[2].contains("no-such-dir: cannot read the rules directory"),
        "{t}"
    );
    assert!(
        errors[3].contains("[figures] has no figure `aws-rds-instance/no-such-mechanism/rpo`"),
        "{t}"
    );
    assert!(
        errors[4].contains("variables file testdata/self-check/invalid/prod.tfvars does not exist"),
        "{t}"
    );
    assert!(
        t.ends_with("self-check failed: 5 errors; a scan would stop at the first\n"),
        "{t}"
    );
    // A scan with the same configuration stops at an error, with the same message.
    let scan = run(&["check", "testdata/self-check/invalid"]);
    assert_eq!(scan.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&scan.stderr);
    assert!(
        stderr.contains("broken.toml: TOML parse error at line 3, column 19"),
        "{stderr}"
    );
}

#[test]
fn json_for_scripts() {
    let out = run(&["self-check", "-f", "json", "testdata/self-check/invalid"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["passed"], false);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["knowledgeBase"]["sources"][0]["builtIn"], true);
    assert_eq!(v["config"]["figureOverrides"], 2);
    // No directory loaded: the built-in knowledge base alone.
    let builtin = v["knowledgeBase"]["resources"].as_u64().expect("count");

    let out = run(&[
        "self-check",
        "--format",
        "json",
        "testdata/self-check/valid",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["passed"], true);
    let dir = &v["knowledgeBase"]["sources"][1];
    assert!(
        dir["directory"]
            .as_str()
            .unwrap_or("")
            .ends_with("valid/kb"),
        "{v}"
    );
    assert_eq!(dir["replaces"], serde_json::json!(["aws_dynamodb_table"]));
    // One type added, one replaced.
    assert_eq!(v["knowledgeBase"]["resources"].as_u64(), Some(builtin + 1));
}

#[test]
fn rules_directories_and_config_from_the_command_line() {
    let dir = tempdir_with(&[
        ("custom.toml", "default-tier = \"platinum\"\n"),
        ("kb/empty/readme.md", "no toml files here\n"),
    ]);
    let config = dir.path().join("custom.toml");
    let kb = dir.path().join("kb/empty");
    let out = resilint()
        .args(["self-check", "--config"])
        .arg(&config)
        .arg("--rules")
        .arg(&kb)
        .output()
        .expect("runs");
    let t = text(&out);
    // An unknown default tier is a configuration error.
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("platinum"), "{t}");
    // The directory is still checked: it holds no *.toml file.
    assert!(
        t.contains("no *.toml files: the directory adds nothing"),
        "{t}"
    );

    // Without a configuration anywhere above: the defaults.
    let empty = tempdir_with(&[("main.tf", "")]);
    let out = resilint()
        .arg("self-check")
        .arg(empty.path())
        .output()
        .expect("runs");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("config: none read; the defaults apply"), "{t}");
    assert!(!t.contains("warning:"), "{t}");
}

/// A `resilint.toml` that links out of the tree is refused, as a scan refuses it: said, not
/// passed over as if there were none.
#[cfg(unix)]
#[test]
fn a_configuration_linking_out_of_the_tree_is_not_read_and_said() {
    let outside = tempdir_with(&[("resilint.toml", "default-tier = \"essential\"\n")]);
    let inside = tempdir_with(&[("main.tf", "")]);
    std::os::unix::fs::symlink(
        outside.path().join("resilint.toml"),
        inside.path().join("resilint.toml"),
    )
    .expect("symlink");
    let out = resilint()
        .arg("self-check")
        .arg(inside.path())
        .output()
        .expect("runs");
    let t = text(&out);
    assert!(t.contains("config: none read; the defaults apply"), "{t}");
    assert!(
        t.contains("resilint.toml: not read (a link out of the scanned tree"),
        "{t}"
    );
    assert!(t.contains("default tier: none"), "{t}");
}
