//! `resilint.toml`: tiers and their targets, how tiers are declared, and figure overrides.
//!
//! The file is found at the scan root or in a directory above it (the first one wins), or given
//! with `--config`. Every setting has a default; tiers given in the file are merged field by
//! field over the default tiers of the resilience model, and new tiers can be added.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::duration;
use crate::infer::estimate::Scope;
use crate::tree::{ReadError, Tree};

/// Name of the configuration file.
pub const FILE_NAME: &str = "resilint.toml";

/// Largest configuration file read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Severity of a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Informational.
    Note,
    /// Should be fixed.
    Warning,
    /// Must be fixed.
    Error,
}

impl Level {
    /// `error`, `warning`, `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// A tier and its targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Name (`essential`).
    pub name: String,
    /// RPO target for the logical and zone scopes, seconds.
    pub rpo: Option<u64>,
    /// RTO target for the logical and zone scopes, seconds.
    pub rto: Option<u64>,
    /// RPO target for the region scope, seconds (`None`: not evaluated).
    pub region_rpo: Option<u64>,
    /// RTO target for the region scope, seconds.
    pub region_rto: Option<u64>,
    /// A live replica in a second region is required.
    pub multi_region: bool,
    /// A standby or zone-redundant storage is required.
    pub zone_redundant: bool,
    /// A backup outside the resource's region is required.
    pub offsite_backups: bool,
    /// A restore-testing plan must cover the resource.
    pub restore_testing: bool,
    /// Someone must be notified when the resource's backups fail or its replication falls
    /// behind (RES015).
    pub monitoring: bool,
    /// Minimum backup retention, seconds.
    pub min_retention: Option<u64>,
    /// Level of violations.
    pub level: Level,
}

impl Tier {
    /// The same tier for data that can be rebuilt: no RPO, retention, offsite backups,
    /// restore testing or monitoring of backups and replication lag (both are about losing
    /// data); availability (RTO, zones, regions) as before.
    pub fn without_recovery_point(&self) -> Tier {
        Tier {
            rpo: None,
            region_rpo: None,
            offsite_backups: false,
            restore_testing: false,
            monitoring: false,
            min_retention: None,
            ..self.clone()
        }
    }

    /// The (RPO, RTO) targets of a scope, seconds: the region targets for the region scope, the
    /// others for the logical and zone scopes (`None`: not evaluated).
    pub fn targets(&self, scope: Scope) -> (Option<u64>, Option<u64>) {
        match scope {
            Scope::Logical | Scope::Zone => (self.rpo, self.rto),
            Scope::Region => (self.region_rpo, self.region_rto),
        }
    }
}

/// Raw tier settings as written in the file (every field optional, for merging).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct TierOverride {
    rpo: Option<String>,
    rto: Option<String>,
    region_rpo: Option<String>,
    region_rto: Option<String>,
    multi_region: Option<bool>,
    zone_redundant: Option<bool>,
    offsite_backups: Option<bool>,
    restore_testing: Option<bool>,
    monitoring: Option<bool>,
    min_retention: Option<String>,
    level: Option<Level>,
}

/// A workload mapping: resources matched by path and/or address globs get a tier.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Workload {
    /// A name for reports and runbooks (`payments`), and the key of its `[owners]` entry.
    #[serde(default)]
    pub name: Option<String>,
    /// The tier.
    pub tier: String,
    /// Globs on file paths relative to the base (`infra/payments/**`); any may match.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Globs on resource addresses (`aws_db_instance.orders*`, `module.db.*`); any may match.
    #[serde(default)]
    pub addresses: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawConfig {
    default_tier: Option<String>,
    tag_key: Option<String>,
    region: Option<String>,
    workspace: Option<String>,
    #[serde(default)]
    rules: Vec<PathBuf>,
    /// In file order (the `preserve_order` feature of `toml`): added tiers keep it.
    #[serde(default)]
    tiers: IndexMap<String, TierOverride>,
    #[serde(default)]
    workloads: Vec<Workload>,
    #[serde(default)]
    rebuildable: Vec<String>,
    #[serde(default)]
    restore_tested: Vec<String>,
    #[serde(default)]
    figures: HashMap<String, String>,
    security_severity: Option<BTreeMap<String, String>>,
    same_account: Option<bool>,
    #[serde(default)]
    variables: BTreeMap<String, toml::Value>,
    #[serde(default)]
    var_files: Vec<PathBuf>,
    #[serde(default)]
    parameters: BTreeMap<String, toml::Value>,
    /// Read by hand ([`owners`]) for precise errors: a name, or a table of roles.
    #[serde(default)]
    owners: BTreeMap<String, toml::Value>,
}

/// The `[owners]` entries: `name = "Team"` (every role) or `[owners.name]` with roles.
fn owners(raw: BTreeMap<String, toml::Value>) -> Result<BTreeMap<String, Owners>, String> {
    raw.into_iter()
        .map(|(k, v)| {
            let owners = match v {
                toml::Value::String(name) => Owners {
                    owner: Some(name.clone()),
                    incident: Some(name.clone()),
                    recovery: Some(name.clone()),
                    communication: Some(name),
                },
                toml::Value::Table(t) => Owners::deserialize(toml::Value::Table(t))
                    .map_err(|e| format!("[owners.{k}]: {}", e.message()))?,
                other => {
                    return Err(format!(
                        "[owners] {k}: expected a name or a table of roles (owner, incident, recovery, communication), got {}",
                        other.type_str()
                    ));
                }
            };
            Ok((k, owners))
        })
        .collect()
}

/// Who does what when a workload's data must be recovered (`[owners.<workload>]`); a role not
/// given is a placeholder in the runbook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Owners {
    /// Who owns the data (reports name them).
    #[serde(default)]
    pub owner: Option<String>,
    /// Who declares the incident and decides to recover.
    #[serde(default)]
    pub incident: Option<String>,
    /// Who runs the recovery.
    #[serde(default)]
    pub recovery: Option<String>,
    /// Who tells the people affected.
    #[serde(default)]
    pub communication: Option<String>,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from, if from a file.
    pub path: Option<PathBuf>,
    /// Tiers, in definition order: the default tiers, then the tiers the file adds, in the
    /// order it writes them.
    pub tiers: Vec<Tier>,
    /// Tier of resources that declare none.
    pub default_tier: Option<String>,
    /// Tag key that declares a tier.
    pub tag_key: String,
    /// The region CloudFormation templates are deployed to, and that of Terraform AWS
    /// providers that set none (what `AWS_REGION` would give).
    pub region: Option<String>,
    /// `terraform.workspace`.
    pub workspace: Option<String>,
    /// Extra knowledge-base directories (absolute, or relative to the config file).
    pub rules: Vec<PathBuf>,
    /// Workload mappings.
    pub workloads: Vec<Workload>,
    /// Address globs of resources whose data can be rebuilt (a cache warmed from the database):
    /// they have no RPO and are judged on availability only.
    pub rebuildable: Vec<String>,
    /// Address globs of resources whose restores are tested outside the code (a restore drill
    /// on Azure or Google Cloud, which have no restore-testing resource): RES007 accepts them.
    pub restore_tested: Vec<String>,
    /// Figure overrides, seconds.
    pub figures: HashMap<String, u64>,
    /// SARIF `security-severity` per level (off when empty).
    pub security_severity: BTreeMap<String, String>,
    /// Whether all scanned root modules and templates deploy to one account (protection by tag
    /// or ARN pattern across them is then certain rather than unknown).
    pub same_account: bool,
    /// Terraform variable values for root modules (`[variables]`), as `--var` gives them.
    pub variables: Vec<(String, String)>,
    /// Terraform variables files for root modules (relative to the config file).
    pub var_files: Vec<PathBuf>,
    /// CloudFormation parameter values (`[parameters]`, then `--parameters`, then
    /// `--parameter`): they win over the templates' defaults.
    pub parameters: BTreeMap<String, String>,
    /// The `samconfig.toml` environment to read (`--config-env`; `default` when unset).
    pub sam_config_env: Option<String>,
    /// Owners by workload name (a `[[workloads]]` entry's `name`, a tier name, or `*` for
    /// every workload), for reports and runbooks.
    pub owners: BTreeMap<String, Owners>,
}

impl Config {
    /// The owners of a workload: its `[owners]` entry, else the `*` entry.
    pub fn owners_of(&self, workload: &str) -> Option<&Owners> {
        self.owners.get(workload).or_else(|| self.owners.get("*"))
    }
}

/// A configuration error.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// The default tiers of the resilience model (RESILIENCE-MODEL §2).
pub fn default_tiers() -> Vec<Tier> {
    let h = 3600;
    let d = 86_400;
    vec![
        Tier {
            name: "mission-critical".into(),
            rpo: Some(15 * 60),
            rto: Some(h),
            region_rpo: Some(15 * 60),
            region_rto: Some(h),
            multi_region: true,
            zone_redundant: true,
            offsite_backups: true,
            restore_testing: true,
            monitoring: true,
            min_retention: Some(30 * d),
            level: Level::Error,
        },
        Tier {
            name: "essential".into(),
            rpo: Some(h),
            rto: Some(4 * h),
            region_rpo: Some(24 * h),
            region_rto: Some(24 * h),
            multi_region: false,
            zone_redundant: true,
            offsite_backups: true,
            restore_testing: false,
            monitoring: false,
            min_retention: Some(7 * d),
            level: Level::Warning,
        },
        Tier {
            name: "non-essential".into(),
            rpo: Some(24 * h),
            rto: Some(72 * h),
            region_rpo: None,
            region_rto: None,
            multi_region: false,
            zone_redundant: false,
            offsite_backups: false,
            restore_testing: false,
            monitoring: false,
            min_retention: Some(d),
            level: Level::Note,
        },
    ]
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            tiers: default_tiers(),
            default_tier: None,
            tag_key: "resilience-tier".into(),
            region: None,
            workspace: None,
            rules: Vec::new(),
            workloads: Vec::new(),
            rebuildable: Vec::new(),
            restore_tested: Vec::new(),
            figures: HashMap::new(),
            security_severity: BTreeMap::new(),
            same_account: false,
            variables: Vec::new(),
            var_files: Vec::new(),
            parameters: BTreeMap::new(),
            sam_config_env: None,
            owners: BTreeMap::new(),
        }
    }
}

impl Config {
    /// Parses a configuration file's text.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
        let file = path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| FILE_NAME.to_string());
        let err = |message: String| ConfigError {
            file: file.clone(),
            message,
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| err(e.to_string().trim().to_string()))?;
        let mut cfg = Config {
            path: path.map(Path::to_path_buf),
            ..Config::default()
        };
        for (name, o) in raw.tiers {
            let dur =
                |field: &str, v: &Option<String>| -> Result<Option<Option<u64>>, ConfigError> {
                    match v.as_deref() {
                        None => Ok(None),
                        Some("none") | Some("") => Ok(Some(None)),
                        Some(s) => duration::parse(s)
                            .map(|d| Some(Some(d)))
                            .map_err(|e| err(format!("tiers.{name}.{field}: {e}"))),
                    }
                };
            let base = cfg.tiers.iter().position(|t| t.name == name);
            let mut t = match base {
                Some(i) => cfg.tiers[i].clone(),
                None => Tier {
                    name: name.clone(),
                    rpo: None,
                    rto: None,
                    region_rpo: None,
                    region_rto: None,
                    multi_region: false,
                    zone_redundant: false,
                    offsite_backups: false,
                    restore_testing: false,
                    monitoring: false,
                    min_retention: None,
                    level: Level::Warning,
                },
            };
            if let Some(v) = dur("rpo", &o.rpo)? {
                t.rpo = v;
            }
            if let Some(v) = dur("rto", &o.rto)? {
                t.rto = v;
            }
            if let Some(v) = dur("region-rpo", &o.region_rpo)? {
                t.region_rpo = v;
            }
            if let Some(v) = dur("region-rto", &o.region_rto)? {
                t.region_rto = v;
            }
            if let Some(v) = dur("min-retention", &o.min_retention)? {
                t.min_retention = v;
            }
            t.multi_region = o.multi_region.unwrap_or(t.multi_region);
            t.zone_redundant = o.zone_redundant.unwrap_or(t.zone_redundant);
            t.offsite_backups = o.offsite_backups.unwrap_or(t.offsite_backups);
            t.restore_testing = o.restore_testing.unwrap_or(t.restore_testing);
            t.monitoring = o.monitoring.unwrap_or(t.monitoring);
            t.level = o.level.unwrap_or(t.level);
            match base {
                Some(i) => cfg.tiers[i] = t,
                None => cfg.tiers.push(t),
            }
        }
        if let Some(d) = raw.default_tier {
            if cfg.tier(&d).is_none() {
                return Err(err(format!(
                    "default-tier `{d}` is not a defined tier (defined: {})",
                    cfg.tier_names().join(", ")
                )));
            }
            cfg.default_tier = Some(d);
        }
        for w in &raw.workloads {
            if cfg.tier(&w.tier).is_none() {
                return Err(err(format!(
                    "workload tier `{}` is not a defined tier",
                    w.tier
                )));
            }
            for g in w.paths.iter().chain(&w.addresses) {
                globset::Glob::new(g).map_err(|e| err(format!("invalid glob `{g}`: {e}")))?;
            }
        }
        cfg.workloads = raw.workloads;
        cfg.owners = owners(raw.owners).map_err(err)?;
        for g in &raw.rebuildable {
            globset::Glob::new(g)
                .map_err(|e| err(format!("invalid glob `{g}` in rebuildable: {e}")))?;
        }
        cfg.rebuildable = raw.rebuildable;
        for g in &raw.restore_tested {
            globset::Glob::new(g)
                .map_err(|e| err(format!("invalid glob `{g}` in restore-tested: {e}")))?;
        }
        cfg.restore_tested = raw.restore_tested;
        cfg.same_account = raw.same_account.unwrap_or(false);
        for (name, value) in raw.variables {
            // Strings are given as they are; other TOML values as the HCL/JSON they look like.
            let text = match value {
                toml::Value::String(s) => s,
                other => serde_json::to_string(&other).unwrap_or_default(),
            };
            cfg.variables.push((name, text));
        }
        for (name, value) in raw.parameters {
            // CloudFormation parameter values are strings; lists are comma-delimited.
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            cfg.parameters.insert(name, text);
        }
        if let Some(k) = raw.tag_key {
            cfg.tag_key = k;
        }
        if let Some(r) = raw.region {
            if !crate::model::region::is_region_name(&r) {
                return Err(err(format!("region `{r}` is not an AWS region name")));
            }
            cfg.region = Some(r);
        }
        if let Some(w) = raw.workspace {
            if w.trim().is_empty() {
                return Err(err("workspace: empty".into()));
            }
            cfg.workspace = Some(w);
        }
        let base = path.and_then(Path::parent).unwrap_or(Path::new("."));
        cfg.rules = raw.rules.iter().map(|p| base.join(p)).collect();
        cfg.var_files = raw.var_files.iter().map(|p| base.join(p)).collect();
        for (id, v) in raw.figures {
            let secs = duration::parse(&v).map_err(|e| err(format!("figures.\"{id}\": {e}")))?;
            cfg.figures.insert(id, secs);
        }
        if let Some(sev) = raw.security_severity {
            for (level, score) in &sev {
                if !matches!(level.as_str(), "error" | "warning" | "note") {
                    return Err(err(format!("security-severity: unknown level `{level}`")));
                }
                if score
                    .parse::<f64>()
                    .map_or(true, |s| !(0.0..=10.0).contains(&s))
                {
                    return Err(err(format!(
                        "security-severity.{level}: `{score}` is not a score from 0.0 to 10.0"
                    )));
                }
            }
            cfg.security_severity = sev;
        }
        Ok(cfg)
    }

    /// Reads a configuration file found in the scanned tree: the [`Tree`] decides whether it may
    /// be opened. `Ok(None)` when it refuses (a link out of the tree; it records why).
    pub fn read(path: &Path, tree: &Tree) -> Result<Option<Config>, ConfigError> {
        match tree.read_string(path, MAX_CONFIG_BYTES) {
            Ok(text) => Config::parse(&text, Some(path)).map(Some),
            Err(ReadError::Refused(_)) => Ok(None),
            Err(e) => Err(ConfigError {
                file: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    /// Reads a configuration file named on the command line (only regular files are read).
    pub fn read_named(path: &Path) -> Result<Config, ConfigError> {
        let text =
            crate::tree::read_regular_string(path, MAX_CONFIG_BYTES).map_err(|e| ConfigError {
                file: path.display().to_string(),
                message: e.to_string(),
            })?;
        Config::parse(&text, Some(path))
    }

    /// The configuration of a run: the file named by `--config`, else the `resilint.toml` found
    /// from the first scanned path (or `.`) upwards, else the defaults.
    pub fn load(named: Option<&Path>, paths: &[PathBuf], tree: &Tree) -> Result<Config, String> {
        match named {
            Some(p) => Config::read_named(p).map_err(|e| e.to_string()),
            None => {
                let start = paths
                    .first()
                    .map(PathBuf::as_path)
                    .unwrap_or(Path::new("."));
                Ok(Config::discover(start)
                    .map(|p| Config::read(&p, tree))
                    .transpose()
                    .map_err(|e| e.to_string())?
                    .flatten()
                    .unwrap_or_default())
            }
        }
    }

    /// The configuration file's name for messages (`resilint.toml` for the defaults).
    pub fn display_path(&self) -> String {
        self.path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| FILE_NAME.into())
    }

    /// Finds `resilint.toml` in `start` or a directory above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = if start.is_file() {
            // A bare file name (`main.tf`, as pre-commit passes files at the repository root)
            // is in the current directory.
            match start.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            }
        } else {
            start
        };
        let start = start.canonicalize().ok()?;
        // Anything of that name but a directory: a link or a FIFO is then refused by the tree,
        // with a notice, rather than silently passed over.
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()))
    }

    /// The tier with this name.
    pub fn tier(&self, name: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.name == name)
    }

    /// Tier names, in definition order.
    pub fn tier_names(&self) -> Vec<&str> {
        self.tiers.iter().map(|t| t.name.as_str()).collect()
    }

    /// Strictness rank of a tier (0 = strictest): by RPO, then RTO, then definition order.
    pub fn strictness(&self, name: &str) -> usize {
        let mut order: Vec<(u64, u64, usize, &str)> = self
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    t.rpo.unwrap_or(u64::MAX),
                    t.rto.unwrap_or(u64::MAX),
                    i,
                    t.name.as_str(),
                )
            })
            .collect();
        order.sort();
        order
            .iter()
            .position(|(_, _, _, n)| *n == name)
            .unwrap_or(usize::MAX)
    }
}

/// The commented configuration `resilint init` writes.
pub fn init_template() -> String {
    let mut s = String::from(
        "# resilint configuration. Every setting is optional; the values below are the defaults.\n\
         # Durations are written like 15m, 4h, 35d.\n\n\
         # Tier of stateful resources that declare none (unset: such resources are reported, RES009).\n\
         # default-tier = \"essential\"\n\n\
         # Tag (or label) that declares a resource's tier: resilience-tier = \"essential\".\n\
         tag-key = \"resilience-tier\"\n\n\
         # Region CloudFormation templates are deployed to (templates do not name it), and the\n\
         # region of Terraform AWS providers that set none (a region written in them wins).\n\
         # region = \"eu-west-1\"\n\n\
         # Terraform workspace: the value of `terraform.workspace`.\n\
         # workspace = \"prod\"\n\n\
         # Whether every scanned root module and template deploys to the same account. When false,\n\
         # a backup plan or DLM policy that selects resources of another root module or template by\n\
         # tag or ARN pattern may or may not reach them (reported as unknown, RES011).\n\
         same-account = false\n\n\
         # Extra knowledge-base directories (*.toml), relative to this file.\n\
         # rules = [\"resilint-rules\"]\n\n",
    );
    for t in default_tiers() {
        let d = |v: Option<u64>| v.map(duration::format).unwrap_or_else(|| "none".into());
        let q = |v: Option<u64>| format!("\"{}\"", d(v));
        // `key = value` padded to one column, so that the comments line up.
        let lines: [(&str, String, &str); 11] = [
            ("rpo", q(t.rpo), "logical and zone scopes"),
            ("rto", q(t.rto), ""),
            (
                "region-rpo",
                q(t.region_rpo),
                "region scope (\"none\": not evaluated)",
            ),
            ("region-rto", q(t.region_rto), ""),
            (
                "multi-region",
                t.multi_region.to_string(),
                "a live replica in a second region",
            ),
            (
                "zone-redundant",
                t.zone_redundant.to_string(),
                "a standby or zone-redundant storage",
            ),
            (
                "offsite-backups",
                t.offsite_backups.to_string(),
                "a backup kept in another region",
            ),
            (
                "restore-testing",
                t.restore_testing.to_string(),
                "an AWS Backup restore-testing plan covers it",
            ),
            (
                "monitoring",
                t.monitoring.to_string(),
                "failed backups and replica lag notify someone",
            ),
            ("min-retention", q(t.min_retention), ""),
            (
                "level",
                format!("\"{}\"", t.level.as_str()),
                "level of violations: error, warning or note",
            ),
        ];
        s.push_str(&format!("[tiers.{}]\n", t.name));
        for (key, value, comment) in lines {
            let setting = format!("{key} = {value}");
            if comment.is_empty() {
                s.push_str(&format!("{setting}\n"));
            } else {
                s.push_str(&format!("{setting:<24}# {comment}\n"));
            }
        }
        s.push('\n');
    }
    s.push_str(
        "# Workload mappings: a tier for resources matched by file path and/or address globs.\n\
         # [[workloads]]\n\
         # name = \"payments\"\n\
         # tier = \"mission-critical\"\n\
         # paths = [\"infra/payments/**\"]\n\
         # addresses = [\"aws_db_instance.ledger*\"]\n\n\
         # Who owns a workload's recovery (by workload name, tier name or \"*\"), for `resilint\n\
         # report` and `resilint runbook`; an `owner` or `team` tag on a resource is used otherwise.\n\
         # [owners.payments]\n\
         # owner = \"Payments team\"\n\
         # incident = \"Payments on-call (PagerDuty: payments-primary)\"\n\
         # recovery = \"Platform on-call\"\n\
         # communication = \"#payments-status\"\n\n\
         # Override knowledge-base figures by id (`resilint rules --figures` lists them).\n\
         # [figures]\n\
         # \"aws-rds-instance/multi-az/rto\" = \"90s\"\n\n\
         # SARIF security-severity per level (off by default: it turns results into security alerts).\n\
         # [security-severity]\n\
         # error = \"7.0\"\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_example_is_a_valid_configuration() {
        let readme = include_str!("../README.md");
        let start = readme
            .find("Every setting is optional:\n\n```toml\n")
            .map(|i| i + "Every setting is optional:\n\n```toml\n".len())
            .expect("the README's configuration example");
        let end = start + readme[start..].find("```").expect("its end");
        let cfg = Config::parse(&readme[start..end], None).expect("it parses");
        assert_eq!(cfg.workspace.as_deref(), Some("prod"));
        assert_eq!(
            cfg.parameters.get("Env").map(String::as_str),
            Some("production")
        );
        assert!(cfg.tier("gold").is_some());
    }

    #[test]
    fn init_template_comments_line_up() {
        let t = init_template();
        let columns: Vec<usize> = t
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" # "))
            .filter_map(|l| l.find('#'))
            .collect();
        assert!(columns.len() > 10, "{t}");
        assert!(columns.iter().all(|&c| c == columns[0]), "{columns:?}\n{t}");
    }

    #[test]
    fn init_template_round_trips_to_the_defaults() {
        let cfg = Config::parse(&init_template(), None).expect("template parses");
        assert_eq!(cfg.tiers, default_tiers());
        assert_eq!(cfg.tag_key, "resilience-tier");
    }

    #[test]
    fn tiers_merge_and_extend() {
        let cfg = Config::parse(
            "default-tier = \"gold\"\n[tiers.essential]\nrpo = \"30m\"\n[tiers.gold]\nrpo = \"5m\"\nrto = \"30m\"\nlevel = \"error\"\n",
            None,
        )
        .unwrap();
        let e = cfg.tier("essential").unwrap();
        assert_eq!(e.rpo, Some(1800));
        assert_eq!(
            e.rto,
            Some(4 * 3600),
            "unchanged fields keep their defaults"
        );
        assert_eq!(cfg.tier("gold").unwrap().level, Level::Error);
        assert_eq!(cfg.strictness("gold"), 0);
        assert_eq!(cfg.strictness("non-essential"), 3);
    }

    #[test]
    fn monitoring_is_a_tier_setting() {
        let d = default_tiers();
        assert!(d[0].monitoring, "mission-critical requires monitoring");
        assert!(!d[1].monitoring && !d[2].monitoring);
        let cfg = Config::parse(
            "[tiers.essential]\nmonitoring = true\n[tiers.gold]\nrpo = \"5m\"\n",
            None,
        )
        .unwrap();
        assert!(cfg.tier("essential").unwrap().monitoring);
        assert!(
            !cfg.tier("gold").unwrap().monitoring,
            "added tiers require nothing"
        );
        assert!(!d[0].without_recovery_point().monitoring);
        assert!(init_template().contains("monitoring = true"));
    }

    #[test]
    fn added_tiers_keep_the_order_of_the_file() {
        let cfg = Config::parse(
            "[tiers.zeta]\nrpo = \"2h\"\nrto = \"8h\"\n[tiers.essential]\nrto = \"3h\"\n[tiers.alpha]\nrpo = \"2h\"\nrto = \"8h\"\n",
            None,
        )
        .unwrap();
        assert_eq!(
            cfg.tier_names(),
            [
                "mission-critical",
                "essential",
                "non-essential",
                "zeta",
                "alpha"
            ]
        );
        // Equal targets: the tier defined first is the stricter.
        assert!(cfg.strictness("zeta") < cfg.strictness("alpha"));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(
            Config::parse("default-tier = \"nope\"", None)
                .unwrap_err()
                .message
                .contains("nope")
        );
        assert!(
            Config::parse("[tiers.x]\nrpo = \"5 parsecs\"", None)
                .unwrap_err()
                .message
                .contains("tiers.x.rpo")
        );
        assert!(
            Config::parse("tag_key = \"x\"", None).is_err(),
            "unknown keys are rejected"
        );
        assert!(Config::parse("region = \"mars\"", None).is_err());
    }
}
