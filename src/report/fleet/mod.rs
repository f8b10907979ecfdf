//! `resilint report --sarif`: a fleet report aggregated from the SARIF that `resilint check`
//! wrote in many repositories (each repository's CI job scans its own code; one job
//! aggregates).
//!
//! Only what resilint puts into SARIF is read: per run, `versionControlProvenance` (the
//! repository and revision), `automationDetails.id` (the category), the run's `properties`
//! (components and how many meet their tier, per tier); per result, the rule, level,
//! location, suppressions and `properties` (`tier`, `scope`, `estimateSeconds`,
//! `targetSeconds`, `address`). Runs of other tools are skipped. A file that cannot be read or
//! is not SARIF is listed as such, and the command exits 2.

pub mod html;
pub mod markdown;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::report::sarif::{Provenance, RunProperties};

/// The largest SARIF file read (GitHub accepts 10 MB gzip; uncompressed files can be larger).
const MAX_FILE: u64 = 256 * 1024 * 1024;
/// Gaps listed.
pub const WORST_GAPS: usize = 20;

/// The aggregate of many runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fleet {
    /// Contract version.
    pub version: u32,
    /// SARIF files read.
    pub files: usize,
    /// resilint runs read.
    pub runs: usize,
    /// Per repository, by name.
    pub repositories: Vec<Repository>,
    /// Per tier, across repositories.
    pub tiers: Vec<TierRow>,
    /// Results per rule, most first.
    pub rules: Vec<RuleRow>,
    /// The largest gaps between estimate and target, across repositories.
    pub worst_gaps: Vec<FleetGap>,
    /// Files that could not be read, with why.
    pub unreadable: Vec<String>,
}

/// One repository (its runs merged: several categories, or several files).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Repository {
    /// The repository: its URI from `versionControlProvenance`, else the SARIF file's name.
    pub name: String,
    /// The revisions scanned.
    pub revisions: Vec<String>,
    /// The categories (`automationDetails.id` without the run id).
    pub categories: Vec<String>,
    /// Components.
    pub components: usize,
    /// Of which meet their tier.
    pub meeting_tier: usize,
    /// Open results by level.
    pub open: Levels,
    /// Suppressed results (inline or baseline): not counted as open.
    pub suppressed: usize,
    /// Files that could not be parsed in the repository (RES000).
    pub parse_errors: usize,
    /// Per tier.
    pub tiers: BTreeMap<String, TierCounts>,
}

/// Results by level.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Levels {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Notes.
    pub note: usize,
}

/// Counts of one tier.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct TierCounts {
    /// Components.
    pub components: usize,
    /// Of which meet the tier.
    pub meeting_tier: usize,
    /// Open results on components of the tier.
    pub open: usize,
}

/// One tier across the fleet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TierRow {
    /// The tier (`none`: components without one).
    pub tier: String,
    /// Counts.
    #[serde(flatten)]
    pub counts: TierCounts,
    /// Repositories with components of this tier.
    pub repositories: usize,
}

/// One rule across the fleet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRow {
    /// Code.
    pub rule: String,
    /// Name (from the runs' rule metadata).
    pub name: String,
    /// Open results.
    pub open: usize,
    /// Suppressed results.
    pub suppressed: usize,
    /// Repositories with an open result.
    pub repositories: usize,
}

/// A gap, from a result's properties.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FleetGap {
    /// Repository.
    pub repository: String,
    /// Rule.
    pub rule: String,
    /// Resource address.
    pub address: String,
    /// File and line.
    pub location: String,
    /// Tier.
    pub tier: Option<String>,
    /// Scope.
    pub scope: Option<String>,
    /// Estimate, seconds (`null`: nothing covers the scope).
    pub estimate_seconds: Option<u64>,
    /// Target, seconds.
    pub target_seconds: u64,
}

impl FleetGap {
    /// estimate / target (unprotected is infinite).
    pub fn factor(&self) -> f64 {
        crate::report::statement::gap_factor(self.estimate_seconds, self.target_seconds)
    }

    /// `24h against 15m (96×)`.
    pub fn text(&self) -> String {
        crate::report::statement::gap_text(self.estimate_seconds, self.target_seconds)
    }
}

/// The SARIF files named: files as they are, directories searched for `*.sarif` and
/// `*.sarif.json` (sorted, so that the report is the same on every machine).
fn sarif_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, 8, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// The `*.sarif` and `*.sarif.json` files under a directory, `depth` levels down at most
/// (symbolic links are not followed).
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        let path = e.path();
        if kind.is_dir() && depth > 0 {
            walk(&path, depth - 1, out);
        } else if kind.is_file() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
                out.push(path);
            }
        }
    }
}

/// Reads SARIF files and directories into a fleet report.
pub fn read(paths: &[PathBuf]) -> Result<Fleet, String> {
    if paths.is_empty() {
        return Err("--sarif: name the SARIF files or directories to aggregate".into());
    }
    let mut fleet = Fleet {
        version: 1,
        ..Fleet::default()
    };
    let mut repos: BTreeMap<String, Repository> = BTreeMap::new();
    let mut rules: BTreeMap<String, (String, usize, usize, Vec<String>)> = BTreeMap::new();
    let mut gaps = Vec::new();
    for file in sarif_files(paths) {
        fleet.files += 1;
        let text = match crate::tree::read_regular_string(&file, MAX_FILE) {
            Ok(t) => t,
            Err(e) => {
                fleet.unreadable.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        let log: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                fleet
                    .unreadable
                    .push(format!("{}: not JSON: {e}", file.display()));
                continue;
            }
        };
        let Some(runs) = log.get("runs").and_then(Value::as_array) else {
            fleet
                .unreadable
                .push(format!("{}: not SARIF (no `runs`)", file.display()));
            continue;
        };
        for run in runs {
            if run.pointer("/tool/driver/name").and_then(Value::as_str) != Some("resilint") {
                continue;
            }
            fleet.runs += 1;
            read_run(run, &file, &mut repos, &mut rules, &mut gaps);
        }
    }
    fleet.repositories = repos.into_values().collect();
    let mut tiers: BTreeMap<String, TierRow> = BTreeMap::new();
    for r in &fleet.repositories {
        for (name, c) in &r.tiers {
            let row = tiers.entry(name.clone()).or_insert_with(|| TierRow {
                tier: name.clone(),
                counts: TierCounts::default(),
                repositories: 0,
            });
            row.counts.components += c.components;
            row.counts.meeting_tier += c.meeting_tier;
            row.counts.open += c.open;
            row.repositories += 1;
        }
    }
    fleet.tiers = tiers.into_values().collect();
    let mut rules: Vec<RuleRow> = rules
        .into_iter()
        .map(|(rule, (name, open, suppressed, repos))| RuleRow {
            rule,
            name,
            open,
            suppressed,
            repositories: repos.len(),
        })
        .collect();
    rules.sort_by(|a, b| b.open.cmp(&a.open).then_with(|| a.rule.cmp(&b.rule)));
    fleet.rules = rules;
    gaps.sort_by(|a: &FleetGap, b: &FleetGap| {
        b.factor()
            .total_cmp(&a.factor())
            .then_with(|| a.repository.cmp(&b.repository))
            .then_with(|| a.address.cmp(&b.address))
    });
    gaps.truncate(WORST_GAPS);
    fleet.worst_gaps = gaps;
    Ok(fleet)
}

/// The repository a run is of: its provenance, else the SARIF file's name without extensions.
fn repository_of(run: &Value, file: &Path) -> (String, Option<String>) {
    let prov: Option<Provenance> = run
        .get("versionControlProvenance")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    match prov {
        Some(p) => (p.repository_uri, p.revision_id),
        None => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let stem = name
                .strip_suffix(".sarif.json")
                .or_else(|| name.strip_suffix(".sarif"))
                .unwrap_or(&name)
                .to_string();
            (stem, None)
        }
    }
}

fn read_run(
    run: &Value,
    file: &Path,
    repos: &mut BTreeMap<String, Repository>,
    rules: &mut BTreeMap<String, (String, usize, usize, Vec<String>)>,
    gaps: &mut Vec<FleetGap>,
) {
    let (name, revision) = repository_of(run, file);
    let repo = repos.entry(name.clone()).or_insert_with(|| Repository {
        name: name.clone(),
        ..Repository::default()
    });
    if let Some(rev) = revision
        && !repo.revisions.contains(&rev)
    {
        repo.revisions.push(rev);
    }
    if let Some(id) = run.pointer("/automationDetails/id").and_then(Value::as_str) {
        let category = id
            .rsplit_once('/')
            .map(|(c, _)| c)
            .unwrap_or(id)
            .to_string();
        if !repo.categories.contains(&category) {
            repo.categories.push(category);
        }
    }
    if let Some(p) = run
        .get("properties")
        .and_then(|p| serde_json::from_value::<RunProperties>(p.clone()).ok())
    {
        repo.components += p.components;
        repo.meeting_tier += p.meeting_tier;
        for (tier, c) in p.tiers {
            let t = repo.tiers.entry(tier).or_default();
            t.components += c.components;
            t.meeting_tier += c.meeting_tier;
        }
    }
    let names: BTreeMap<&str, &str> = run
        .pointer("/tool/driver/rules")
        .and_then(Value::as_array)
        .map(|rs| {
            rs.iter()
                .filter_map(|r| Some((r.get("id")?.as_str()?, r.get("name")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let results = run
        .get("results")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for result in results {
        let Some(rule) = result.get("ruleId").and_then(Value::as_str) else {
            continue;
        };
        let suppressed = result
            .get("suppressions")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty());
        let entry = rules
            .entry(rule.to_string())
            .or_insert_with(|| (names.get(rule).unwrap_or(&"").to_string(), 0, 0, Vec::new()));
        if suppressed {
            entry.2 += 1;
            repo.suppressed += 1;
            continue;
        }
        entry.1 += 1;
        if !entry.3.contains(&name) {
            entry.3.push(name.clone());
        }
        if rule == "RES000" {
            repo.parse_errors += 1;
        }
        match result
            .get("level")
            .and_then(Value::as_str)
            .unwrap_or("warning")
        {
            "error" => repo.open.error += 1,
            "note" => repo.open.note += 1,
            _ => repo.open.warning += 1,
        }
        let props = result.get("properties");
        let prop = |k: &str| props.and_then(|p| p.get(k));
        let tier = prop("tier").and_then(Value::as_str).map(str::to_string);
        if let Some(t) = &tier {
            repo.tiers.entry(t.clone()).or_default().open += 1;
        }
        if let Some(target) = prop("targetSeconds").and_then(Value::as_u64) {
            let estimate = prop("estimateSeconds").and_then(Value::as_u64);
            // A result without an estimate is a gap only for the rules that say nothing covers
            // the scope; a note about an unknown value is not one.
            if estimate.is_some_and(|e| e > target)
                || (estimate.is_none() && matches!(rule, "RES003" | "RES004" | "RES005" | "RES006"))
            {
                let loc = result.pointer("/locations/0/physicalLocation");
                let uri = loc
                    .and_then(|l| l.pointer("/artifactLocation/uri"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let line = loc
                    .and_then(|l| l.pointer("/region/startLine"))
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                gaps.push(FleetGap {
                    repository: name.clone(),
                    rule: rule.to_string(),
                    address: prop("address")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    location: format!("{uri}:{line}"),
                    tier,
                    scope: prop("scope").and_then(Value::as_str).map(str::to_string),
                    estimate_seconds: estimate,
                    target_seconds: target,
                });
            }
        }
    }
}

/// The fleet report as JSON.
pub fn json(f: &Fleet) -> String {
    let mut s = serde_json::to_string_pretty(f).unwrap_or_default();
    s.push('\n');
    s
}

/// `3/5` and a percentage, for compliance cells.
pub fn ratio(met: usize, of: usize) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{met}/{of} ({:.0}%)", met as f64 * 100.0 / of as f64)
    }
}
