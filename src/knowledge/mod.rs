//! Stage 4: the knowledge base: what each resource type means for resilience.
//!
//! The knowledge lives in TOML files under `rules/kb/`, compiled into the binary; users add or
//! override entries with their own directories (`--rules DIR`, or `rules = [...]` in the
//! config). A later definition of a resource type, family or figure replaces an earlier one.

pub mod predicate;
mod resolve;
pub mod schema;
mod validate;

use crate::config::Config;
use crate::tree::{Entry, ReadError, Tree};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use schema::{
    FamilySpec, Figure, FigureSpec, KbFile, MechanismKind, MechanismSpec, ReplicationMode,
    ResourceSpec, Role,
};

/// The knowledge base files shipped with resilint.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/kb/aws/aurora.toml",
        include_str!("../../rules/kb/aws/aurora.toml"),
    ),
    (
        "rules/kb/aws/backup.toml",
        include_str!("../../rules/kb/aws/backup.toml"),
    ),
    (
        "rules/kb/aws/cloudwatch.toml",
        include_str!("../../rules/kb/aws/cloudwatch.toml"),
    ),
    (
        "rules/kb/aws/dlm.toml",
        include_str!("../../rules/kb/aws/dlm.toml"),
    ),
    (
        "rules/kb/aws/docdb.toml",
        include_str!("../../rules/kb/aws/docdb.toml"),
    ),
    (
        "rules/kb/aws/dynamodb.toml",
        include_str!("../../rules/kb/aws/dynamodb.toml"),
    ),
    (
        "rules/kb/aws/ebs.toml",
        include_str!("../../rules/kb/aws/ebs.toml"),
    ),
    (
        "rules/kb/aws/ec2.toml",
        include_str!("../../rules/kb/aws/ec2.toml"),
    ),
    (
        "rules/kb/aws/efs.toml",
        include_str!("../../rules/kb/aws/efs.toml"),
    ),
    (
        "rules/kb/aws/elasticache.toml",
        include_str!("../../rules/kb/aws/elasticache.toml"),
    ),
    (
        "rules/kb/aws/fsx.toml",
        include_str!("../../rules/kb/aws/fsx.toml"),
    ),
    (
        "rules/kb/aws/keyspaces.toml",
        include_str!("../../rules/kb/aws/keyspaces.toml"),
    ),
    (
        "rules/kb/aws/memorydb.toml",
        include_str!("../../rules/kb/aws/memorydb.toml"),
    ),
    (
        "rules/kb/aws/mq.toml",
        include_str!("../../rules/kb/aws/mq.toml"),
    ),
    (
        "rules/kb/aws/msk.toml",
        include_str!("../../rules/kb/aws/msk.toml"),
    ),
    (
        "rules/kb/aws/neptune.toml",
        include_str!("../../rules/kb/aws/neptune.toml"),
    ),
    (
        "rules/kb/aws/opensearch.toml",
        include_str!("../../rules/kb/aws/opensearch.toml"),
    ),
    (
        "rules/kb/aws/rds.toml",
        include_str!("../../rules/kb/aws/rds.toml"),
    ),
    (
        "rules/kb/aws/redshift.toml",
        include_str!("../../rules/kb/aws/redshift.toml"),
    ),
    (
        "rules/kb/aws/s3.toml",
        include_str!("../../rules/kb/aws/s3.toml"),
    ),
    (
        "rules/kb/aws/s3express.toml",
        include_str!("../../rules/kb/aws/s3express.toml"),
    ),
    (
        "rules/kb/aws/secretsmanager.toml",
        include_str!("../../rules/kb/aws/secretsmanager.toml"),
    ),
    (
        "rules/kb/aws/timestream.toml",
        include_str!("../../rules/kb/aws/timestream.toml"),
    ),
    (
        "rules/kb/aws/unmodelled.toml",
        include_str!("../../rules/kb/aws/unmodelled.toml"),
    ),
    (
        "rules/kb/azure/cosmosdb.toml",
        include_str!("../../rules/kb/azure/cosmosdb.toml"),
    ),
    (
        "rules/kb/azure/disk.toml",
        include_str!("../../rules/kb/azure/disk.toml"),
    ),
    (
        "rules/kb/azure/files.toml",
        include_str!("../../rules/kb/azure/files.toml"),
    ),
    (
        "rules/kb/azure/flexible-server.toml",
        include_str!("../../rules/kb/azure/flexible-server.toml"),
    ),
    (
        "rules/kb/azure/monitor.toml",
        include_str!("../../rules/kb/azure/monitor.toml"),
    ),
    (
        "rules/kb/azure/redis.toml",
        include_str!("../../rules/kb/azure/redis.toml"),
    ),
    (
        "rules/kb/azure/regions.toml",
        include_str!("../../rules/kb/azure/regions.toml"),
    ),
    (
        "rules/kb/azure/sql.toml",
        include_str!("../../rules/kb/azure/sql.toml"),
    ),
    (
        "rules/kb/azure/storage.toml",
        include_str!("../../rules/kb/azure/storage.toml"),
    ),
    (
        "rules/kb/azure/unmodelled.toml",
        include_str!("../../rules/kb/azure/unmodelled.toml"),
    ),
    (
        "rules/kb/gcp/alloydb.toml",
        include_str!("../../rules/kb/gcp/alloydb.toml"),
    ),
    (
        "rules/kb/gcp/bigtable.toml",
        include_str!("../../rules/kb/gcp/bigtable.toml"),
    ),
    (
        "rules/kb/gcp/cloudsql.toml",
        include_str!("../../rules/kb/gcp/cloudsql.toml"),
    ),
    (
        "rules/kb/gcp/disk.toml",
        include_str!("../../rules/kb/gcp/disk.toml"),
    ),
    (
        "rules/kb/gcp/filestore.toml",
        include_str!("../../rules/kb/gcp/filestore.toml"),
    ),
    (
        "rules/kb/gcp/firestore.toml",
        include_str!("../../rules/kb/gcp/firestore.toml"),
    ),
    (
        "rules/kb/gcp/monitoring.toml",
        include_str!("../../rules/kb/gcp/monitoring.toml"),
    ),
    (
        "rules/kb/gcp/redis.toml",
        include_str!("../../rules/kb/gcp/redis.toml"),
    ),
    (
        "rules/kb/gcp/regions.toml",
        include_str!("../../rules/kb/gcp/regions.toml"),
    ),
    (
        "rules/kb/gcp/spanner.toml",
        include_str!("../../rules/kb/gcp/spanner.toml"),
    ),
    (
        "rules/kb/gcp/storage.toml",
        include_str!("../../rules/kb/gcp/storage.toml"),
    ),
    (
        "rules/kb/gcp/unmodelled.toml",
        include_str!("../../rules/kb/gcp/unmodelled.toml"),
    ),
];

/// A knowledge-base error: which file, and what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct KbError {
    /// The file.
    pub file: String,
    /// What is wrong (TOML errors include line and column).
    pub message: String,
}

/// What one directory of knowledge-base files holds (`resilint self-check`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirSummary {
    /// The `*.toml` files read, in order.
    pub files: Vec<PathBuf>,
    /// Resource types given an entry.
    pub resources: usize,
    /// Of those, the types that already had one (built in or in an earlier directory): the
    /// directory's entry replaces it.
    pub replaced: Vec<String>,
    /// Families defined.
    pub families: usize,
    /// Figures defined.
    pub figures: usize,
    /// Types named as holding data but not modelled.
    pub unmodelled: usize,
}

/// How many entries of each kind the knowledge base has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KbCounts {
    /// Resource types with an entry.
    pub resources: usize,
    /// Families.
    pub families: usize,
    /// Figures, family figures included.
    pub figures: usize,
    /// Types that hold data and are not modelled.
    pub unmodelled: usize,
}

/// The loaded knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    families: HashMap<String, FamilySpec>,
    resources: HashMap<String, ResourceSpec>,
    /// Types that hold data and are not estimated, with what they are.
    unmodelled: HashMap<String, String>,
    figures: HashMap<String, Figure>,
    overrides: HashMap<String, u64>,
    /// Region tables, by cloud.
    region_tables: Vec<schema::RegionTableSpec>,
    /// What tells someone that an AWS Backup job failed.
    backup_alerts: Option<schema::BackupAlertsSpec>,
    /// What tells someone that an Azure Backup job failed.
    azure_backup_alerts: Option<schema::AzureBackupAlertsSpec>,
}

impl KnowledgeBase {
    /// The built-in knowledge base. An error here is a bug in the shipped files (tests load
    /// them), reported like any knowledge-base error rather than by a panic.
    pub fn builtin() -> Result<KnowledgeBase, KbError> {
        KnowledgeBase::load(&[], &Tree::default())
    }

    /// The built-in knowledge base extended with every `*.toml` file below each directory (the
    /// [`Tree`] decides what may be opened: linked directories are not followed, links out of
    /// the tree are refused).
    pub fn load(extra_dirs: &[PathBuf], tree: &Tree) -> Result<KnowledgeBase, KbError> {
        let mut kb = KnowledgeBase::default();
        for (name, text) in BUILTIN {
            kb.add_file(name, text)?;
        }
        for dir in extra_dirs {
            for path in toml_files(dir, tree, 0)? {
                let text = match tree.read_string(&path, MAX_KB_FILE_BYTES) {
                    Ok(text) => text,
                    Err(ReadError::Refused(_)) => continue,
                    Err(e) => {
                        return Err(KbError {
                            file: path.display().to_string(),
                            message: e.to_string(),
                        });
                    }
                };
                kb.add_file(&path.display().to_string(), &text)?;
            }
        }
        kb.finish()?;
        Ok(kb)
    }

    /// The knowledge base of a run: built in, plus the configuration's `rules` directories and
    /// `extra_dirs` (`--rules`), with the configuration's `[figures]` overrides, each of which
    /// must name a figure.
    pub fn for_config(
        config: &Config,
        extra_dirs: &[PathBuf],
        tree: &Tree,
    ) -> Result<KnowledgeBase, String> {
        let mut dirs = config.rules.clone();
        dirs.extend(extra_dirs.iter().cloned());
        let mut kb =
            KnowledgeBase::load(&dirs, tree).map_err(|e| format!("knowledge base: {e}"))?;
        let known = kb.figure_ids();
        // The first unknown id in name order: the same message on every run.
        if let Some(id) = config.figures.keys().filter(|id| !known.contains(id)).min() {
            return Err(format!(
                "{}: [figures] has no figure `{id}` (`resilint rules --figures` lists them)",
                config.display_path()
            ));
        }
        kb.set_overrides(config.figures.clone());
        Ok(kb)
    }

    /// How many entries of each kind it has.
    pub fn counts(&self) -> KbCounts {
        KbCounts {
            resources: self.resources.len(),
            families: self.families.len(),
            figures: self.figure_ids().len(),
            unmodelled: self.unmodelled.len(),
        }
    }

    /// What the `*.toml` files below `dir` define, against this knowledge base (which types
    /// they replace). Reads and parses the files only: [`KnowledgeBase::load`] checks them.
    pub fn describe_dir(&self, dir: &Path, tree: &Tree) -> Result<DirSummary, KbError> {
        let mut summary = DirSummary::default();
        for path in toml_files(dir, tree, 0)? {
            let name = path.display().to_string();
            let text = match tree.read_string(&path, MAX_KB_FILE_BYTES) {
                Ok(text) => text,
                Err(ReadError::Refused(_)) => continue,
                Err(e) => {
                    return Err(KbError {
                        file: name,
                        message: e.to_string(),
                    });
                }
            };
            let file: KbFile = toml::from_str(&text).map_err(|e| KbError {
                file: name,
                message: e.to_string().trim().to_string(),
            })?;
            summary.resources += file.resource.len();
            summary.replaced.extend(
                file.resource
                    .iter()
                    .filter(|r| self.resources.contains_key(&r.rtype))
                    .map(|r| r.rtype.clone()),
            );
            summary.families += file.family.len();
            summary.figures += file.figure.len();
            summary.unmodelled += file.unmodelled.iter().map(|u| u.types.len()).sum::<usize>();
            summary.files.push(path);
        }
        Ok(summary)
    }

    /// Once every file is added: gives the mappings their families' definitions and checks
    /// the whole.
    pub(crate) fn finish(&mut self) -> Result<(), KbError> {
        self.resolve()?;
        self.validate()
    }

    /// Adds the definitions of one file (replacing earlier ones with the same type or id).
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), KbError> {
        let file: KbFile = toml::from_str(text).map_err(|e| KbError {
            file: name.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        for f in file.family {
            self.families.insert(f.id.clone(), f);
        }
        if let Some(alerts) = file.backup_alerts {
            self.backup_alerts = Some(alerts);
        }
        if let Some(alerts) = file.azure_backup_alerts {
            self.azure_backup_alerts = Some(alerts);
        }
        if let Some(table) = file.region_table {
            self.region_tables.retain(|t| t.cloud != table.cloud);
            self.region_tables.push(table);
        }
        for r in file.resource {
            self.unmodelled.remove(&r.rtype);
            self.resources.insert(r.rtype.clone(), r);
        }
        for u in file.unmodelled {
            for t in u.types {
                self.unmodelled.insert(t, u.name.clone());
            }
        }
        for f in file.figure {
            self.figures.insert(
                f.id.clone(),
                Figure {
                    value: f.value,
                    source: f.source,
                    heuristic: f.heuristic,
                    note: f.note,
                },
            );
        }
        Ok(())
    }

    /// Replaces figures by id (from the config's `[figures]` table).
    pub fn set_overrides(&mut self, overrides: HashMap<String, u64>) {
        self.overrides = overrides;
    }

    /// The resource type's entry.
    pub fn resource(&self, rtype: &str) -> Option<&ResourceSpec> {
        self.resources.get(rtype)
    }

    /// What a type that holds data but is not estimated yet is (`Aurora DB cluster`); a type
    /// with a `[[resource]]` entry is modelled, whatever file lists it here.
    pub fn unmodelled(&self, rtype: &str) -> Option<&str> {
        if self.resources.contains_key(rtype) {
            return None;
        }
        self.unmodelled.get(rtype).map(String::as_str)
    }

    /// The paths of a resource type's tags, or `default` when the knowledge base names none.
    pub fn tag_paths<'a>(&'a self, rtype: &str, default: &'a str) -> Vec<&'a str> {
        match self.resource(rtype) {
            Some(r) if !r.tags.is_empty() => r.tags.iter().map(String::as_str).collect(),
            _ => vec![default],
        }
    }

    /// The region table of the cloud whose Terraform resources of this type name their own
    /// region (`azurerm_*`, `azapi_*`: `location`), or whose type maps onto a family of that
    /// cloud (an `azapi_resource` read as `Microsoft.Storage/storageAccounts`).
    pub fn region_table_for(&self, rtype: &str) -> Option<&schema::RegionTableSpec> {
        let cloud = self
            .resources
            .get(rtype)
            .and_then(|r| r.mechanism_family())
            .and_then(|f| self.families.get(f))
            .map(|f| f.cloud.as_str());
        self.region_tables.iter().find(|t| {
            Some(t.cloud.as_str()) == cloud
                || t.terraform_prefixes
                    .iter()
                    .any(|p| rtype.starts_with(p.as_str()))
        })
    }

    /// A location spanning regions (a dual- or multi-region) by canonical name, in any table.
    pub fn location_entry(&self, name: &str) -> Option<&schema::LocationSpec> {
        self.region_tables
            .iter()
            .flat_map(|t| t.location.iter())
            .find(|l| l.name == name)
    }

    /// A region entry by canonical name, in any table.
    pub fn region_entry(&self, name: &str) -> Option<&schema::RegionSpec> {
        self.region_tables
            .iter()
            .flat_map(|t| t.region.iter())
            .find(|r| r.name == name)
    }

    /// The recommendations of other catalogues (APRL) that findings of `rule` on resources
    /// of `family` implement; every family's when `family` is `None`, without repeats.
    pub fn recommendations(
        &self,
        rule: &str,
        family: Option<&str>,
    ) -> Vec<&schema::RecommendationSpec> {
        let mut families: Vec<&FamilySpec> = match family {
            Some(f) => self.families.get(f).into_iter().collect(),
            None => self.families.values().collect(),
        };
        families.sort_by(|a, b| a.id.cmp(&b.id));
        let mut out: Vec<&schema::RecommendationSpec> = Vec::new();
        for f in families {
            for r in &f.recommendation {
                if r.rules.iter().any(|c| c == rule)
                    && !out
                        .iter()
                        .any(|o| o.catalogue == r.catalogue && o.id == r.id)
                {
                    out.push(r);
                }
            }
        }
        out
    }

    /// The resource types of a role, sorted (`aws_backup_vault_notifications`).
    pub fn types_with_role(&self, role: Role) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .resources
            .values()
            .filter(|r| r.role == Some(role))
            .map(|r| r.rtype.as_str())
            .collect();
        v.sort();
        v
    }

    /// What tells someone that an AWS Backup job failed (`[backup-alerts]`).
    pub fn backup_alerts(&self) -> Option<&schema::BackupAlertsSpec> {
        self.backup_alerts.as_ref()
    }

    /// What tells someone that an Azure Backup job failed (`[azure-backup-alerts]`).
    pub fn azure_backup_alerts(&self) -> Option<&schema::AzureBackupAlertsSpec> {
        self.azure_backup_alerts.as_ref()
    }

    /// The region tables.
    pub fn region_tables(&self) -> &[schema::RegionTableSpec] {
        &self.region_tables
    }

    /// A family.
    pub fn family(&self, id: &str) -> Option<&FamilySpec> {
        self.families.get(id)
    }

    /// The family of a resource type, if it holds data.
    pub fn family_of(&self, rtype: &str) -> Option<&FamilySpec> {
        self.resource(rtype)
            .and_then(|r| r.family.as_deref())
            .and_then(|f| self.family(f))
    }

    /// A figure by id, after the user's overrides; `default` when the knowledge base has none.
    pub fn figure(&self, id: &str, default: &Figure) -> Figure {
        let mut f = self
            .figures
            .get(id)
            .cloned()
            .unwrap_or_else(|| default.clone());
        if let Some(v) = self.overrides.get(id) {
            f.value = *v;
            f.source = Some("resilint.toml".into());
            f.heuristic = false;
        }
        f
    }

    /// A global figure by id (`aws-backup/continuous/rpo`).
    pub fn global_figure(&self, id: &str) -> Option<Figure> {
        let f = self.figures.get(id)?;
        Some(self.figure(id, f))
    }

    /// Ids of every figure that can be overridden, sorted (for documentation and validation).
    pub fn figure_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.figures.keys().cloned().collect();
        for (f, family) in &self.families {
            let defined = family
                .mechanism
                .iter()
                .map(|m| &m.id)
                .chain(family.replication.iter().map(|r| &r.id));
            for id in defined {
                ids.push(format!("{f}/{id}/rpo"));
                ids.push(format!("{f}/{id}/rto"));
            }
            ids.push(format!("{f}/restore/rto"));
        }
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Largest knowledge-base file read.
const MAX_KB_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Deepest directory nesting searched for knowledge-base files.
const MAX_KB_DEPTH: usize = 32;

fn toml_files(dir: &Path, tree: &Tree, depth: usize) -> Result<Vec<PathBuf>, KbError> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| KbError {
        file: dir.display().to_string(),
        message: format!("cannot read the rules directory: {e}"),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        if file_type.is_dir() && depth < MAX_KB_DEPTH {
            out.extend(toml_files(&path, tree, depth + 1)?);
        } else if is_toml && matches!(tree.entry(&path, file_type), Entry::File(_)) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knowledge_base_loads() {
        let kb = KnowledgeBase::builtin().expect("valid built-in knowledge base");
        for t in [
            "aws_db_instance",
            "AWS::RDS::DBInstance",
            "aws_dynamodb_table",
            "AWS::DynamoDB::GlobalTable",
            "aws_s3_bucket",
            "aws_s3_bucket_versioning",
            "aws_ebs_volume",
            "aws_backup_plan",
            "AWS::Backup::BackupSelection",
            "aws_dlm_lifecycle_policy",
        ] {
            assert!(kb.resource(t).is_some(), "{t}");
        }
        assert_eq!(
            kb.family_of("aws_db_instance").unwrap().name,
            "RDS DB instance"
        );
        assert!(
            kb.figure_ids()
                .contains(&"aws-rds-instance/multi-az/rto".to_string())
        );
    }

    #[test]
    fn every_kb_file_is_compiled_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/kb");
        let files = toml_files(&dir, &Tree::default(), 0).unwrap();
        for f in files {
            let rel = f
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap()
                .to_string_lossy()
                .trim_start_matches('/')
                .replace('\\', "/");
            assert!(
                BUILTIN.iter().any(|(n, _)| *n == rel),
                "{rel} is not in BUILTIN"
            );
        }
    }

    #[test]
    fn user_files_are_validated() {
        let mut kb = KnowledgeBase::default();
        let e = kb
            .add_file("x.toml", "[[resource]]\ntype = 'a'\nfamly = 'b'\n")
            .unwrap_err();
        assert!(e.message.contains("famly"), "{e}");
        kb.add_file("y.toml", "[[resource]]\ntype = 'a'\nfamily = 'nope'\n")
            .unwrap();
        assert!(kb.finish().unwrap_err().message.contains("unknown family"));
    }
}
