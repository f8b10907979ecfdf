//! `resilint report`, `resilint runbook` and the fleet report from SARIF, run as the binary.
//! The HTML is rendered in a real browser (Debian's chromium, headless) when one is installed;
//! with `RESILINT_REQUIRE_TOOLS=1` (CI) a missing browser fails the test instead of skipping it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo_path, root, run, stdout};
use serde_json::Value;

fn statement(args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    serde_json::from_slice(&out.stdout).expect("a JSON statement")
}

fn components(st: &Value) -> Vec<&Value> {
    st["workloads"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|w| w["components"].as_array().into_iter().flatten())
        .collect()
}

/// The primaries `resilint explain` lists: what the report must show.
fn primaries(path: &str) -> Vec<String> {
    let out = run(&["explain", path, "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("explain JSON");
    v["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["address"] == r["component"]["primary"])
        .map(|r| r["address"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_statement_lists_every_component_with_its_figures_and_evidence() {
    let st = statement(&["testdata/examples/terraform"]);
    assert_eq!(st["version"], 1);
    assert_eq!(st["title"], "terraform");
    let listed: Vec<String> = components(&st)
        .iter()
        .map(|c| c["address"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(listed, primaries("testdata/examples/terraform"));
    let orders = components(&st)
        .into_iter()
        .find(|c| c["address"] == "aws_db_instance.orders")
        .expect("orders");
    assert_eq!(orders["tier"], "essential");
    assert_eq!(orders["owner"], "orders", "the default_tags team");
    let logical = &orders["scopes"][0];
    assert_eq!(logical["scope"], "logical");
    assert_eq!(logical["rpo_seconds"], 300);
    assert_eq!(logical["target"]["rpo_seconds"], 3600);
    assert_eq!(logical["verdict"], "met");
    assert_eq!(
        logical["rpo_via"]["file"],
        "testdata/examples/terraform/main.tf"
    );
    let region = &orders["scopes"][2];
    assert_eq!(region["verdict"], "unprotected");
    assert_eq!(region["covered"], false);
    assert!(
        orders["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["rule"] == "RES004"))
    );
    let summary = &st["summary"];
    assert_eq!(summary["components"], listed.len());
    let gaps = summary["worst_gaps"].as_array().expect("gaps");
    assert!(
        gaps.iter()
            .any(|g| g["address"] == "aws_db_instance.orders" && g["scope"] == "region")
    );
}

/// Data declared rebuildable has no RPO target, as for the rules: the statement does not say
/// it misses one.
#[test]
fn rebuildable_data_has_no_rpo_target_in_the_statement() {
    let dir = common::tempdir_with(&[
        (
            "resilint.toml",
            "rebuildable = [\"aws_ebs_volume.cache\"]\n",
        ),
        (
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_ebs_volume\" \"cache\" {\n  availability_zone = \"eu-west-1a\"\n  size = 10\n  tags = { resilience-tier = \"non-essential\" }\n}\n",
        ),
    ]);
    let out = common::run_in(dir.path(), &["report", ".", "-f", "json"]);
    let st: Value = serde_json::from_slice(&out.stdout).expect("statement");
    let c = components(&st)[0].clone();
    assert_eq!(c["address"], "aws_ebs_volume.cache");
    let logical = &c["scopes"][0];
    assert!(logical["target"]["rpo_seconds"].is_null(), "{logical}");
    assert_eq!(logical["verdict"], "not-evaluated", "rebuilt, not restored");
    assert!(c["unknowns"].to_string().contains("declared rebuildable"));
    let check = common::run_in(dir.path(), &["check", ".", "-f", "json"]);
    let v: Value = serde_json::from_slice(&check.stdout).expect("findings");
    assert!(
        !v.to_string().contains("RES001"),
        "the rules agree: no RPO finding"
    );
}

#[test]
fn html_and_markdown_carry_the_same_components() {
    let html = stdout(&["report", "testdata/examples"]);
    let md = stdout(&["report", "testdata/examples", "--format", "markdown"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in ["<script", "<link", "@import", "http://", "https://"] {
        assert!(!html.contains(needle), "{needle}");
    }
    for address in primaries("testdata/examples") {
        assert!(
            html.contains(&format!("data-component=\"{address}\"")),
            "{address}"
        );
        assert!(md.contains(&format!("`{address}`")), "{address}");
    }
    assert!(md.starts_with("# Resilience statement: examples"));
    assert!(md.contains("## Summary"));
}

#[test]
fn compare_reports_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("infra");
    std::fs::create_dir_all(&copy).expect("mkdir");
    for f in ["main.tf", "backup.tf"] {
        std::fs::copy(
            repo_path(&format!("testdata/examples/terraform/{f}")),
            copy.join(f),
        )
        .expect("copy");
    }
    let previous = dir.path().join("previous.json");
    let out = run(&[
        "report",
        copy.to_str().unwrap_or_default(),
        "-f",
        "json",
        "-o",
        previous.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let same = stdout(&[
        "report",
        copy.to_str().unwrap_or_default(),
        "-f",
        "markdown",
        "--compare",
        previous.to_str().unwrap_or_default(),
    ]);
    assert!(
        same.contains("### Changes since the previous report\n\nNo change."),
        "{same}"
    );
    // The table loses its replica: its region scope is no longer covered.
    let main = std::fs::read_to_string(copy.join("main.tf")).expect("read");
    let without = main.replace("  replica {\n    region_name = \"eu-central-1\"\n  }\n", "");
    assert_ne!(main, without, "the fixture has the replica");
    std::fs::write(copy.join("main.tf"), without).expect("write");
    let st = statement(&[
        copy.to_str().unwrap_or_default(),
        "--compare",
        previous.to_str().unwrap_or_default(),
    ]);
    let regressed = st["changes"]["regressed"].as_array().expect("regressed");
    assert!(
        regressed
            .iter()
            .any(|c| c["address"] == "aws_dynamodb_table.carts" && c["scope"] == "region"),
        "{regressed:?}"
    );
    let bad = run(&["report", "testdata/examples", "--compare", "Cargo.toml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--compare"));
}

#[test]
fn the_runbook_gives_paths_commands_and_what_is_missing() {
    let text = stdout(&["runbook", "testdata/examples/terraform"]);
    assert!(text.starts_with("# Disaster-recovery runbook: terraform"));
    for address in primaries("testdata/examples/terraform") {
        assert!(text.contains(&format!("### `{address}`")), "{address}");
    }
    assert!(text.contains("### Roles and responsibilities"));
    assert!(text.contains("| Incident commander | orders |"));
    assert!(text.contains(
        "aws rds restore-db-instance-to-point-in-time --region eu-west-1 --source-db-instance-identifier orders"
    ));
    assert!(
        text.contains("from backup vault `main`"),
        "the vault's name"
    );
    assert!(text.contains("- failed backups into vault `main` · nothing notifies"));
    assert!(text.contains("#### Region loss: no recovery path"));
    assert!(text.contains("Nothing keeps this data outside eu-west-1"));
    assert!(text.contains("send the application's traffic to the replica of `aws_dynamodb_table.carts` in eu-central-1"));
    let cfn = stdout(&["runbook", "testdata/examples/cloudformation"]);
    assert!(
        cfn.contains("<owner: not declared"),
        "placeholders without owners"
    );
}

#[test]
fn runbook_commands_take_names_from_the_code_on_every_cloud() {
    let sql = stdout(&[
        "runbook",
        "testdata/families/azure-sql-local-backups/terraform",
    ]);
    assert!(
        sql.contains(
            "az sql db restore --resource-group <resource group> --server sql-orders --name orders"
        ),
        "{sql}"
    );
    let storage = stdout(&[
        "runbook",
        "testdata/families/azure-storage-ragzrs/terraform",
    ]);
    assert!(
        storage.contains("az storage account failover --name appmedia --resource-group rg-app")
    );
    let cloudsql = stdout(&[
        "runbook",
        "testdata/families/gcp-cloudsql-regional-replica/terraform",
    ]);
    assert!(cloudsql.contains("gcloud sql instances promote-replica payments-replica"));
    assert!(cloudsql.contains("gcloud sql instances clone payments payments-restored"));
}

#[test]
fn owners_come_from_the_configuration() {
    let dir = common::tempdir_with(&[
        (
            "resilint.toml",
            "[[workloads]]\nname = \"shop\"\ntier = \"essential\"\npaths = [\"**\"]\n\n[owners.shop]\nowner = \"Shop team\"\nincident = \"Shop on-call\"\n",
        ),
        (
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_db_instance\" \"db\" {\n  identifier = \"db\"\n  backup_retention_period = 7\n}\n",
        ),
    ]);
    let out = common::run_in(dir.path(), &["runbook", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("## shop"), "{text}");
    assert!(text.contains("| Owner | Shop team |"));
    assert!(text.contains("| Incident commander | Shop on-call |"));
    assert!(text.contains("<recovery lead: not declared"));
    // A misspelt role is a configuration error that names it.
    std::fs::write(
        dir.path().join("resilint.toml"),
        "[owners.shop]\nownr = \"x\"\n",
    )
    .expect("write");
    let out = common::run_in(dir.path(), &["runbook", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[owners.shop]: unknown field `ownr`"), "{err}");
}

/// SARIF of three scans: the Terraform example, the CloudFormation example with every finding
/// in a baseline (so suppressed), and a scan with a parse error (RES000).
fn three_sarif(dir: &Path) -> Vec<PathBuf> {
    let sarif = |name: &str, repo: &str, args: &[&str]| {
        let path = dir.join(name);
        let mut all = vec![
            "check",
            "-f",
            "sarif",
            "-o",
            path.to_str().unwrap_or_default(),
        ];
        all.extend_from_slice(args);
        let out = common::resilint()
            .env("RESILINT_REPOSITORY_URI", repo)
            .args(&all)
            .output()
            .expect("runs");
        assert!(out.status.code().is_some_and(|c| c <= 2));
        path
    };
    let baseline = dir.join("baseline.json");
    let out = run(&[
        "check",
        "testdata/examples/cloudformation",
        "--write-baseline",
        baseline.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    vec![
        sarif(
            "tf.sarif",
            "https://example.com/acme/tf",
            &["testdata/examples/terraform"],
        ),
        sarif(
            "cfn.sarif",
            "https://example.com/acme/cfn",
            &[
                "testdata/examples/cloudformation",
                "--baseline",
                baseline.to_str().unwrap_or_default(),
            ],
        ),
        sarif(
            "broken.sarif",
            "https://example.com/acme/broken",
            &["testdata/rules/RES000-parse-error"],
        ),
    ]
}

#[test]
fn the_fleet_report_aggregates_sarif_of_many_scans() {
    let dir = tempfile::tempdir().expect("tempdir");
    three_sarif(dir.path());
    let out = run(&[
        "report",
        "--sarif",
        dir.path().to_str().unwrap_or_default(),
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let fleet: Value = serde_json::from_slice(&out.stdout).expect("fleet JSON");
    assert_eq!(fleet["files"], 3);
    assert_eq!(fleet["runs"], 3);
    let repos = fleet["repositories"].as_array().expect("repositories");
    let repo = |name: &str| {
        repos
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {repos:?}"))
    };
    let tf = repo("https://example.com/acme/tf");
    assert_eq!(tf["components"], 4);
    assert!(tf["open"]["error"].as_u64() > Some(0));
    assert_eq!(tf["suppressed"], 0);
    let cfn = repo("https://example.com/acme/cfn");
    assert!(cfn["suppressed"].as_u64() > Some(0), "{cfn}");
    assert_eq!(cfn["open"]["error"], 0);
    assert_eq!(cfn["open"]["warning"], 0);
    let broken = repo("https://example.com/acme/broken");
    assert!(broken["parse_errors"].as_u64() > Some(0), "{broken}");
    let rules = fleet["rules"].as_array().expect("rules");
    assert!(
        rules
            .iter()
            .any(|r| r["rule"] == "RES000" && r["open"].as_u64() > Some(0))
    );
    let tiers = fleet["tiers"].as_array().expect("tiers");
    let mc = tiers
        .iter()
        .find(|t| t["tier"] == "mission-critical")
        .expect("mission-critical");
    assert_eq!(mc["repositories"], 2);
    // The HTML and Markdown forms show every repository.
    for format in ["html", "markdown"] {
        let text = stdout(&[
            "report",
            "--sarif",
            dir.path().to_str().unwrap_or_default(),
            "-f",
            format,
        ]);
        for r in repos {
            assert!(text.contains(r["name"].as_str().unwrap_or("?")), "{format}");
        }
    }
    // A file that is not SARIF is named, and the exit code says so.
    std::fs::write(dir.path().join("junk.sarif"), "not json").expect("write");
    let out = run(&["report", "--sarif", dir.path().to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("junk.sarif: not JSON"));
}

/// The headless browser: `chromium` on the PATH or at Debian's path.
fn browser() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|b| which(b))
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn require_browser() -> Option<PathBuf> {
    let b = browser();
    if b.is_none() {
        assert!(
            std::env::var_os("RESILINT_REQUIRE_TOOLS").is_none(),
            "RESILINT_REQUIRE_TOOLS is set and no chromium is installed"
        );
        eprintln!("skipped: no chromium on this machine");
    }
    b
}

/// Renders a page headless and returns its DOM after layout; writes a screenshot too.
fn render(browser: &Path, page: &Path, screenshot: &Path) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}", page.display());
    let common_args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ];
    // One profile per run: a second run on the same profile may hand its URL to the first
    // browser (still exiting) and return without doing anything.
    let profile_arg = |n: &str| format!("--user-data-dir={}", profile.path().join(n).display());
    let dom = Command::new(browser)
        .args(common_args)
        .arg(profile_arg("dom"))
        // (Scripts stay on: headless Chromium's --dump-dom needs them. That the page reads
        // without JavaScript is checked by its having none, in the tests above.)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let shot = Command::new(browser)
        .args(common_args)
        .arg(profile_arg("screenshot"))
        .arg("--window-size=1280,2200")
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let png = std::fs::read(screenshot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a real screenshot"
    );
    // And printed: the print style sheet applies, and a PDF comes out.
    let pdf_path = screenshot.with_extension("pdf");
    let pdf = Command::new(browser)
        .args(common_args)
        .arg(profile_arg("pdf"))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        pdf.status.success(),
        "{}",
        String::from_utf8_lossy(&pdf.stderr)
    );
    let bytes = std::fs::read(&pdf_path).expect("a PDF");
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 5_000,
        "a real PDF"
    );
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

/// Where the screenshots are kept: `target/report-screenshots/` (CI keeps it as an artifact).
fn artifacts() -> PathBuf {
    let dir = root().join("target/report-screenshots");
    std::fs::create_dir_all(&dir).expect("artifact dir");
    dir
}

#[test]
fn the_html_report_renders_in_a_browser_with_every_component_and_figure() {
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = artifacts();
    let page = dir.join("example-report.html");
    let out = run(&[
        "report",
        "testdata/examples",
        "-o",
        page.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let dom = render(&browser, &page, &dir.join("example-report.png"));
    let st = statement(&["testdata/examples"]);
    for c in components(&st) {
        let address = c["address"].as_str().unwrap_or_default();
        let at = dom
            .find(&format!("data-component=\"{address}\""))
            .unwrap_or_else(|| panic!("{address} in the rendered page"));
        let body = &dom[at..];
        let end = body.find("</tbody>").unwrap_or(body.len());
        let body = &body[..end];
        for s in c["scopes"].as_array().into_iter().flatten() {
            let num = |v: &Value| v.as_u64().map(|n| n.to_string()).unwrap_or_default();
            let cell = format!(
                "data-scope=\"{}\" data-verdict=\"{}\" data-rpo=\"{}\" data-rto=\"{}\"",
                s["scope"].as_str().unwrap_or_default(),
                s["verdict"].as_str().unwrap_or_default(),
                num(&s["rpo_seconds"]),
                num(&s["rto_seconds"]),
            );
            assert!(body.contains(&cell), "{address}: {cell}");
        }
    }
    assert!(dom.contains("<svg"), "the chart is in the page");
    let fleet_dir = tempfile::tempdir().expect("tempdir");
    three_sarif(fleet_dir.path());
    let fleet = dir.join("fleet-report.html");
    let out = run(&[
        "report",
        "--sarif",
        fleet_dir.path().to_str().unwrap_or_default(),
        "-o",
        fleet.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let dom = render(&browser, &fleet, &dir.join("fleet-report.png"));
    assert!(dom.contains("data-repository=\"https://example.com/acme/broken\""));
}

#[test]
fn a_report_of_the_whole_corpus_renders() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        assert!(
            std::env::var_os("RESILINT_REQUIRE_CORPUS").is_none(),
            "RESILINT_REQUIRE_CORPUS is set and ../shared/corpus is absent"
        );
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = artifacts();
    let page = dir.join("corpus-report.html");
    let started = std::time::Instant::now();
    let out = run(&[
        "report",
        "../shared/corpus",
        "-o",
        page.to_str().unwrap_or_default(),
    ]);
    let took = started.elapsed();
    // Corpus files that are genuinely invalid make the exit code 2; the report is written.
    assert!(matches!(out.status.code(), Some(0 | 2)));
    let size = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "corpus report: {size} bytes in {:.2}s (debug build)",
        took.as_secs_f64()
    );
    let dom = render(&browser, &page, &dir.join("corpus-report.png"));
    assert!(dom.contains("class=\"headline\""));
    assert!(
        dom.matches("data-component=").count() > 100,
        "the corpus has components"
    );
}
