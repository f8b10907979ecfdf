//! The schema of knowledge-base files (`rules/kb/**/*.toml`).
//!
//! A file declares resource **families** (what kind of data a resource holds, how long a restore
//! takes), **resources** (a Terraform or CloudFormation type: its family or protector role, the
//! mechanisms its attributes give, its replica relations, where a protector's fields live) and
//! global **figures**. Every figure has a `source` or is marked `heuristic = true`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One knowledge-base file.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct KbFile {
    /// Resource families.
    #[serde(default)]
    pub family: Vec<FamilySpec>,
    /// Resource types.
    #[serde(default)]
    pub resource: Vec<ResourceSpec>,
    /// Global figures (used by protector semantics).
    #[serde(default)]
    pub figure: Vec<NamedFigure>,
    /// Resource types that hold data but whose recovery resilint does not estimate yet: each
    /// such resource is named (RES014), never silently passed over.
    #[serde(default)]
    pub unmodelled: Vec<UnmodelledSpec>,
    /// The regions of a cloud whose resources name their region themselves (Azure's
    /// `location`): names, display names, pairs and zones.
    #[serde(default)]
    pub region_table: Option<RegionTableSpec>,
    /// What tells someone that an AWS Backup job failed (RES015): vault notification events,
    /// EventBridge events, CloudWatch metrics.
    #[serde(default)]
    pub backup_alerts: Option<BackupAlertsSpec>,
    /// What tells someone that an Azure Backup job failed (RES015): the vaults' built-in
    /// job-failure alerts and the alert processing rules that route them to action groups.
    #[serde(default)]
    pub azure_backup_alerts: Option<AzureBackupAlertsSpec>,
}

/// What notifies someone that an Azure Backup job failed: the built-in Azure Monitor alerts of
/// the vault the job writes to (on unless the vault turns them off), routed to people by an
/// alert processing rule that adds an action group, whose scope covers the vault.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AzureBackupAlertsSpec {
    /// Where the built-in alerts and their routing are documented.
    pub source: String,
    /// The name of the `refs` entry, on a backup resource, that designates its vault (`vault`).
    pub vault_ref: String,
    /// The vault types, with the attribute that turns their job-failure alerts off.
    pub vault: Vec<AzureVaultAlertsSpec>,
    /// The backup resource types whose failed backup jobs raise a built-in alert (Azure
    /// Backup's list of supported workloads). For the others, even routed alerts may not exist.
    pub backup_failure_alerts: Vec<String>,
    /// The alert processing rule type that routes alerts to action groups.
    pub processing_rule: ProcessingRuleSpec,
    /// The resource group type (a scope that is a resource group covers its vaults).
    pub resource_group: String,
    /// Other alert types that may report failed jobs and that resilint does not evaluate (an
    /// activity log alert, a log search alert): when one is in the scan, coverage is unknown.
    #[serde(default)]
    pub not_evaluated: Vec<String>,
    /// Metric namespaces of the vaults: a metric alert on one of them may report failed jobs
    /// (`Backup Health Events`) and is not evaluated.
    #[serde(default)]
    pub metric_namespaces: Vec<String>,
}

/// A vault type and its job-failure alert setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AzureVaultAlertsSpec {
    /// The resource type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The boolean attribute that turns the built-in job-failure alerts on or off, when the
    /// provider has one.
    #[serde(default)]
    pub setting: Option<String>,
    /// Whether the alerts are on when the attribute is not set.
    pub default: bool,
    /// Where this is documented.
    pub source: String,
}

/// Where an alert processing rule keeps its fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ProcessingRuleSpec {
    /// The resource type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The resource IDs it applies to (a resource, a resource group, a subscription).
    pub scopes: String,
    /// The action groups it adds.
    pub action_groups: String,
    /// Whether it is enabled.
    pub enabled: String,
    /// Blocks that narrow which alerts it routes (`condition`, `schedule`): not evaluated.
    #[serde(default)]
    pub narrowing: Vec<String>,
    /// Where this is documented.
    pub source: String,
}

/// What notifies someone that an AWS Backup job failed: the events of a vault's notifications
/// (SNS), the EventBridge events of a job, the CloudWatch metrics of failed jobs. The roles
/// `backup-vault-notifications`, `backup-vault` (`notification-events`), `event-rule` and
/// `metric-alarm` say where each resource type writes them.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BackupAlertsSpec {
    /// Vault notification events any of which reports a failed backup job
    /// (`BACKUP_JOB_COMPLETED`: every job that ends, failed ones included).
    pub vault_events: Vec<String>,
    /// Vault notification events that are accepted but no longer sent (`BACKUP_JOB_FAILED`):
    /// a vault whose notifications name only these notifies no one.
    #[serde(default)]
    pub deprecated_vault_events: Vec<String>,
    /// Where the deprecation is documented.
    #[serde(default)]
    pub deprecated_source: Option<String>,
    /// The EventBridge `source` of the service's events (`aws.backup`).
    pub event_source: String,
    /// The `detail-type` of a backup job's events (`Backup Job State Change`).
    pub event_detail_types: Vec<String>,
    /// The key of `detail` that holds the job's state (`state`).
    #[serde(default)]
    pub event_state: Option<String>,
    /// The states of a failed job, any of which a pattern that filters on the state must
    /// accept (`FAILED`).
    #[serde(default)]
    pub event_failed_states: Vec<String>,
    /// The key of `detail` that holds the resource type (`resourceType`), compared with the
    /// family's `backup-type`.
    #[serde(default)]
    pub event_resource_type: Option<String>,
    /// Where the events are documented.
    pub event_url: String,
    /// CloudWatch metrics of failed jobs (an alarm on one notifies).
    #[serde(default)]
    pub metric: Vec<MetricSpec>,
    /// Where vault notifications are documented.
    pub source: String,
}

/// A CloudWatch metric that tells something went wrong: a family's replication lag
/// (`[[family.lag-metric]]`), or AWS Backup's failed jobs (`[[backup-alerts.metric]]`). An
/// alarm on it, for the resource, notifies someone (RES015).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MetricSpec {
    /// For a lag metric: the family replications it watches (`replica`, `global`).
    #[serde(default)]
    pub replications: Vec<String>,
    /// The namespace (`AWS/RDS`).
    pub namespace: String,
    /// The metric names, any of which will do (`ReplicaLag`).
    pub metrics: Vec<String>,
    /// The dimensions that say what is watched, compared with the alarm's.
    #[serde(default)]
    pub dimensions: Vec<DimensionSpec>,
    /// Where the metric is published: the replica's region (`replica`, by default) or the
    /// source's (`source`). An alarm elsewhere does not see it.
    #[serde(default)]
    pub region: MetricRegion,
    /// The role of the resource that watches it: a CloudWatch alarm (`metric-alarm`, by
    /// default), an Azure Monitor metric alert (`metric-alert`), a Cloud Monitoring alert
    /// policy (`alert-policy`).
    #[serde(default)]
    pub alert: Option<Role>,
    /// For an Azure Monitor metric alert: what one of its `scopes` must designate (the replica,
    /// or the source when the source publishes the metric).
    #[serde(default)]
    pub scope: Option<DimensionValue>,
    /// The resource types (of the replicated resource) it applies to, when the family holds
    /// several services with different metrics (PostgreSQL and MySQL flexible servers); all
    /// when empty.
    #[serde(default)]
    pub types: Vec<String>,
    /// Documentation that lists the metric and its dimensions.
    pub source: String,
    /// A short explanation.
    #[serde(default)]
    pub note: Option<String>,
}

impl MetricSpec {
    /// The role of the resource that watches it.
    pub fn alert_role(&self) -> Role {
        self.alert.unwrap_or(Role::MetricAlarm)
    }
}

/// A dimension of a [`MetricSpec`]: its name and what its value designates.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DimensionSpec {
    /// The dimension's name (`DBInstanceIdentifier`).
    pub name: String,
    /// What its value designates.
    pub value: DimensionValue,
    /// Whether an alarm may leave it out (the metric is also published without it, or
    /// resilint does not require it); when the alarm gives it, it is compared all the same.
    #[serde(default)]
    pub optional: bool,
    /// How the value writes what it designates, when it is more than its name: Cloud SQL's
    /// `database_id` is `{project}:{name}`. Only the part after the last separator before
    /// `{name}` is compared.
    #[serde(default)]
    pub format: Option<String>,
}

/// What a metric dimension's value designates.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DimensionValue {
    /// The replicated resource, by one of its names (a bucket, a table).
    Source,
    /// The replica resource, by one of its names (a read replica's identifier).
    Replica,
    /// The replica's region (`ReceivingRegion`).
    ReplicaRegion,
    /// The backup vault, by name.
    Vault,
    /// The family's AWS Backup resource type (`RDS`).
    ResourceType,
}

/// Where a metric is published.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MetricRegion {
    /// In the replica's region.
    #[default]
    Replica,
    /// In the source's region.
    Source,
}

/// The regions of one cloud, and which Terraform resource types take their region from an
/// attribute rather than from the provider configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RegionTableSpec {
    /// The cloud (`azure`).
    pub cloud: String,
    /// When the table was last checked against its sources (`2026-12-01`).
    pub version: String,
    /// Where the pairs come from.
    pub pairs_source: String,
    /// Where the zones come from.
    pub zones_source: String,
    /// Terraform type prefixes of the cloud's resources (`azurerm_`, `azapi_`).
    #[serde(default)]
    pub terraform_prefixes: Vec<String>,
    /// The attribute that holds a resource's region (`location`); `a|b|c` tries each in turn
    /// (Google Cloud: `region|location|zone`).
    #[serde(default)]
    pub region_attribute: Option<String>,
    /// Whether a resource that names no region runs in its provider's (Google Cloud's
    /// `region` or `zone` in the provider block), as the front end resolves it; otherwise its
    /// region is unknown (Azure has no provider region).
    #[serde(default)]
    pub provider_region: bool,
    /// The attribute that holds a resource's tags (`tags`; Google Cloud's `labels`).
    #[serde(default)]
    pub tag_attribute: Option<String>,
    /// Prefixes written before a region name that are not part of it (Spanner's
    /// `regional-europe-west1`).
    #[serde(default)]
    pub location_prefixes: Vec<String>,
    /// The regions.
    #[serde(default)]
    pub region: Vec<RegionSpec>,
    /// Locations that span regions (dual-regions, multi-regions), which a resource may name
    /// instead of a region.
    #[serde(default)]
    pub location: Vec<LocationSpec>,
}

/// A location of a [`RegionTableSpec`] that spans several regions: Google Cloud's dual-regions
/// (`EUR4`) and multi-regions (`US`), Spanner's multi-region instance configurations (`nam3`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LocationSpec {
    /// Canonical name, lower case (`eur4`).
    pub name: String,
    /// `dual-region` or `multi-region`.
    pub kind: String,
    /// The name as the provider's documentation writes it (`EUR4`).
    #[serde(default)]
    pub display: Option<String>,
    /// The regions it spans, when published (empty for the US, EU and ASIA multi-regions,
    /// which Google guarantees only to span at least two regions).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Which products use the name (`storage`, `spanner`, `firestore`).
    #[serde(default)]
    pub products: Vec<String>,
}

/// One region of a [`RegionTableSpec`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RegionSpec {
    /// Canonical name (`westeurope`).
    pub name: String,
    /// Display name (`West Europe`).
    pub display: String,
    /// The paired region, when it has one.
    #[serde(default)]
    pub pair: Option<String>,
    /// Whether it has availability zones.
    pub zones: bool,
    /// The multi-region location that contains it (`eu` for `europe-west1`), where a service
    /// stores backups by default (Cloud SQL).
    #[serde(default)]
    pub multi_region: Option<String>,
}

/// Resource types of one kind of data store that resilint does not estimate yet.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UnmodelledSpec {
    /// What they are, for messages (`Aurora DB cluster`).
    pub name: String,
    /// Their Terraform and CloudFormation types.
    pub types: Vec<String>,
}

/// How a resource's data belongs to another resource (an instance of a cluster).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MemberOfSpec {
    /// The attribute that names the other resource; when it is set, the resource is a member.
    pub path: String,
    /// The family of the other resource, when resilint models it: a member found in the scan
    /// joins its component (its tags can declare the tier) and counts for `members-gt`.
    #[serde(default)]
    pub family: Option<String>,
    /// What the other resource is, for messages, when no family says (`Aurora DB cluster`).
    #[serde(default)]
    pub name: Option<String>,
}

/// A figure (an RPO, an RTO, a lag) with where it comes from.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Figure {
    /// Seconds.
    #[serde(deserialize_with = "crate::duration::deserialize")]
    pub value: u64,
    /// Documentation that states the figure.
    #[serde(default)]
    pub source: Option<String>,
    /// Whether the figure is resilint's estimate rather than a documented value.
    #[serde(default)]
    pub heuristic: bool,
    /// A short explanation.
    #[serde(default)]
    pub note: Option<String>,
}

impl Figure {
    /// Where the figure comes from, for explanations: the source URL or "heuristic".
    pub fn provenance(&self) -> String {
        match (&self.source, self.heuristic) {
            (Some(s), _) => s.clone(),
            (None, true) => "heuristic".into(),
            (None, false) => "unspecified".into(),
        }
    }
}

/// A figure written either as a bare duration string or as a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FigureSpec {
    /// `"5m"`.
    Bare(#[serde(deserialize_with = "crate::duration::deserialize")] u64),
    /// `{ value = "5m", source = "..." }`.
    Full(Figure),
}

impl FigureSpec {
    /// The figure.
    pub fn figure(&self) -> Figure {
        match self {
            FigureSpec::Bare(v) => Figure {
                value: *v,
                source: None,
                heuristic: false,
                note: None,
            },
            FigureSpec::Full(f) => f.clone(),
        }
    }
}

/// A global figure with an id.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NamedFigure {
    /// Id, e.g. `aws-backup/continuous/rpo`.
    pub id: String,
    /// Seconds.
    #[serde(deserialize_with = "crate::duration::deserialize")]
    pub value: u64,
    /// Documentation that states the figure.
    #[serde(default)]
    pub source: Option<String>,
    /// Whether it is an estimate.
    #[serde(default)]
    pub heuristic: bool,
    /// A short explanation.
    #[serde(default)]
    pub note: Option<String>,
}

/// A family of resources that hold the same kind of data.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FamilySpec {
    /// Id, e.g. `aws-rds-instance`.
    pub id: String,
    /// Human name, e.g. `RDS DB instance`.
    pub name: String,
    /// Whether it holds data that cannot be re-created from code.
    #[serde(default = "yes")]
    pub stateful: bool,
    /// The AWS Backup resource type (`RDS`, `DynamoDB`, `S3`, `EBS`), for restore testing and
    /// selections.
    #[serde(default)]
    pub backup_type: Option<String>,
    /// Whether AWS Backup continuous backup (PITR) supports it.
    #[serde(default)]
    pub continuous_backup: bool,
    /// ARN template with `{partition}`, `{region}`, `{account}`, `{name}`.
    #[serde(default)]
    pub arn: Option<String>,
    /// Time to restore from a backup.
    pub restore_rto: FigureSpec,
    /// The mechanisms its resources can have, with their figures: written once here, whichever
    /// front end (Terraform, CloudFormation) maps attributes onto them.
    #[serde(default)]
    pub mechanism: Vec<FamilyMechanism>,
    /// The replications its resources can take part in, with their figures.
    #[serde(default)]
    pub replication: Vec<FamilyReplication>,
    /// The cloud (`aws` by default, `azure`, `gcp`): it decides which restore-testing evidence
    /// exists and the wording of generic help.
    #[serde(default = "aws")]
    pub cloud: String,
    /// What to change, in the service's own terms, by finding: `backup` (RES003), `offsite`
    /// (RES004), `region` (RES005), `zone` (RES006), `restore-test` (RES007). Absent keys get
    /// the generic help.
    #[serde(default)]
    pub fix: BTreeMap<String, String>,
    /// Recommendations of other catalogues that a finding on this family implements (Azure's
    /// APRL): shown in rule metadata and in each SARIF result's properties.
    #[serde(default)]
    pub recommendation: Vec<RecommendationSpec>,
    /// The metrics that watch its replications' lag: an alarm on one, for the replica or its
    /// source, notifies someone when the replication falls behind (RES015). A replication
    /// without one is not evaluated for monitoring.
    #[serde(default)]
    pub lag_metric: Vec<MetricSpec>,
}

/// A recommendation of another catalogue that a rule implements for a family.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RecommendationSpec {
    /// The catalogue (`APRL`).
    pub catalogue: String,
    /// Its id there (`e6c7e1cc`, the APRL GUID prefix; or the full GUID).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The rule codes whose findings it covers (`RES006`).
    pub rules: Vec<String>,
    /// Where it is documented.
    #[serde(default)]
    pub url: Option<String>,
}

fn aws() -> String {
    "aws".into()
}

/// A mechanism of a family: what it is and its figures. A `[[resource.mechanism]]` of the same
/// id says where the attributes that switch it on and size it are.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FamilyMechanism {
    /// Id, unique within the family (`automated-backups`); figure overrides are
    /// `<family>/<id>/rpo` and `<family>/<id>/rto`.
    pub id: String,
    /// Kind.
    pub kind: MechanismKind,
    /// What it is called in messages.
    pub label: String,
    /// RPO.
    pub rpo: FigureSpec,
    /// RTO (default: the family's restore RTO for backups).
    #[serde(default)]
    pub rto: Option<FigureSpec>,
    /// How long it keeps data when no attribute says: the unit the resources' attributes use
    /// (unless they name another) and the service default.
    #[serde(default)]
    pub retention: Option<RetentionDefault>,
    /// Other RPOs, by name, that a resource's `rpo-when` conditions select.
    #[serde(default)]
    pub cases: BTreeMap<String, Figure>,
}

impl Default for FamilyMechanism {
    fn default() -> Self {
        FamilyMechanism {
            id: String::new(),
            kind: MechanismKind::ScheduledBackup,
            label: String::new(),
            rpo: FigureSpec::Bare(0),
            rto: None,
            retention: None,
            cases: BTreeMap::new(),
        }
    }
}

/// A family's retention unit and default.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RetentionDefault {
    /// Unit of the attributes.
    pub unit: Unit,
    /// Value when no attribute says, in `unit`.
    #[serde(default)]
    pub default: Option<f64>,
}

/// A replication of a family: its figures.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FamilyReplication {
    /// Id, unique within the family (`replica`); figure overrides are `<family>/<id>/rpo` and
    /// `<family>/<id>/rto`.
    pub id: String,
    /// What a replica is called in messages.
    pub label: String,
    /// `sync` or `async`.
    pub mode: ReplicationMode,
    /// Replication lag.
    pub rpo: FigureSpec,
    /// Promotion or failover time.
    pub rto: FigureSpec,
    /// Other lags, by name, that a resource's `rpo-when` conditions select.
    #[serde(default)]
    pub cases: BTreeMap<String, Figure>,
    /// Other failover times, by name, that a resource's `rto-when` conditions select.
    #[serde(default)]
    pub rto_cases: BTreeMap<String, Figure>,
}

impl Default for FamilyReplication {
    fn default() -> Self {
        FamilyReplication {
            id: String::new(),
            label: String::new(),
            mode: ReplicationMode::Async,
            rpo: FigureSpec::Bare(0),
            rto: FigureSpec::Bare(0),
            cases: BTreeMap::new(),
            rto_cases: BTreeMap::new(),
        }
    }
}

fn replica() -> String {
    "replica".into()
}

fn yes() -> bool {
    true
}

/// The role of a resource type that protects others.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// AWS Backup plan.
    BackupPlan,
    /// AWS Backup selection.
    BackupSelection,
    /// AWS Backup vault.
    BackupVault,
    /// AWS Backup Vault Lock configuration (Terraform's separate resource).
    BackupVaultLock,
    /// AWS Backup restore-testing plan.
    RestoreTestingPlan,
    /// AWS Backup restore-testing selection.
    RestoreTestingSelection,
    /// Data Lifecycle Manager policy.
    DlmPolicy,
    /// AWS Backup Audit Manager framework: controls an organisation declares as its targets.
    BackupFramework,
    /// The notifications of an AWS Backup vault (Terraform's separate resource): the events
    /// it sends to an SNS topic.
    BackupVaultNotifications,
    /// An EventBridge rule: its event pattern.
    EventRule,
    /// A CloudWatch metric alarm: the metrics it watches.
    MetricAlarm,
    /// An Azure Monitor metric alert: the resources it scopes and the metrics its criteria
    /// watch.
    MetricAlert,
    /// A Cloud Monitoring alert policy: the metrics its conditions' filters or queries name.
    AlertPolicy,
}

impl Role {
    /// Whether resources of this role must name the family they target (`target-family`).
    pub fn needs_target_family(self) -> bool {
        self == Role::DlmPolicy
    }

    /// The fields every resource of this role must map.
    pub fn required_fields(self) -> &'static [&'static str] {
        match self {
            Role::BackupPlan => &[
                "rules",
                "schedule",
                "continuous",
                "delete-after-days",
                "copy-actions",
                "copy-destination",
            ],
            Role::BackupSelection => &["plan", "resources"],
            Role::BackupVault | Role::RestoreTestingPlan => &[],
            Role::BackupVaultLock => &["vault"],
            Role::RestoreTestingSelection => &["plan", "resource-type", "resources"],
            Role::DlmPolicy => &["resource-types", "target-tags", "schedules"],
            Role::BackupFramework => &[
                "controls",
                "control-name",
                "parameters",
                "parameter-name",
                "parameter-value",
            ],
            Role::BackupVaultNotifications => &["vault", "events"],
            Role::EventRule => &["event-pattern"],
            Role::MetricAlarm => &[
                "metric-name",
                "namespace",
                "dimensions",
                "queries",
                "query-metric-name",
                "query-namespace",
                "query-dimensions",
            ],
            Role::MetricAlert => &[
                "scopes",
                "criteria",
                "criteria-namespace",
                "criteria-metric",
            ],
            Role::AlertPolicy => &["conditions", "threshold-filter"],
        }
    }

    /// The fields the semantics of this role read besides the required ones (a field not listed
    /// in either is an error: it would be silently ignored).
    pub fn optional_fields(self) -> &'static [&'static str] {
        match self {
            Role::BackupPlan => &[
                "rule-name",
                "schedule-timezone",
                "copy-delete-after-days",
                "target-vault",
            ],
            Role::BackupSelection => &[
                "not-resources",
                "tags",
                "tag-key",
                "tag-value",
                "conditions-equals",
                "conditions-like",
                "conditions-not-equals",
                "conditions-not-like",
                "condition-key",
                "condition-value",
            ],
            Role::BackupVault => &["lock-min-days", "lock-max-days", "notification-events"],
            Role::BackupVaultLock => &["lock-min-days", "lock-max-days"],
            Role::RestoreTestingPlan => &[],
            Role::RestoreTestingSelection => &[
                "conditions-equals",
                "conditions-not-equals",
                "condition-key",
                "condition-value",
            ],
            Role::DlmPolicy => &[
                "state",
                "schedule-name",
                "create-interval",
                "create-interval-unit",
                "create-cron",
                "retain-count",
                "retain-interval",
                "retain-interval-unit",
                "copies",
                "copy-target",
                "copy-target-region",
                "copy-retain-interval",
                "copy-retain-interval-unit",
                "default-policy",
                "default-create-interval-days",
                "default-retain-interval-days",
                "default-copy-targets",
            ],
            Role::BackupFramework => &[
                "scope-types",
                "scope-ids",
                "scope-tags",
                "scope-tag-key",
                "scope-tag-value",
            ],
            Role::BackupVaultNotifications => &[],
            Role::EventRule => &["event-bus"],
            Role::MetricAlarm => &["dimension-name", "dimension-value"],
            Role::MetricAlert => &["dynamic-criteria", "criteria-dimensions"],
            Role::AlertPolicy => &["mql-query", "promql-query"],
        }
    }

    /// The name used in knowledge-base files (`backup-plan`).
    pub fn name(self) -> &'static str {
        match self {
            Role::BackupPlan => "backup-plan",
            Role::BackupSelection => "backup-selection",
            Role::BackupVault => "backup-vault",
            Role::BackupVaultLock => "backup-vault-lock",
            Role::RestoreTestingPlan => "restore-testing-plan",
            Role::RestoreTestingSelection => "restore-testing-selection",
            Role::DlmPolicy => "dlm-policy",
            Role::BackupFramework => "backup-framework",
            Role::BackupVaultNotifications => "backup-vault-notifications",
            Role::EventRule => "event-rule",
            Role::MetricAlarm => "metric-alarm",
            Role::MetricAlert => "metric-alert",
            Role::AlertPolicy => "alert-policy",
        }
    }
}

/// A resource type.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ResourceSpec {
    /// `aws_db_instance`, `AWS::RDS::DBInstance`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Its family, for resources that hold data.
    #[serde(default)]
    pub family: Option<String>,
    /// Its role, for protectors.
    #[serde(default)]
    pub role: Option<Role>,
    /// Attributes that hold the resource's name (matched against literal names and ARNs).
    #[serde(default)]
    pub names: Vec<String>,
    /// Where its tags are (default: `tags` in Terraform, `Tags` in CloudFormation). Several
    /// paths are merged, the first tag of a key winning.
    #[serde(default)]
    pub tags: Vec<String>,
    /// For a resource that configures another (a versioning or replication resource): how to
    /// find that other resource.
    #[serde(default)]
    pub attaches_to: Option<AttachSpec>,
    /// Mechanisms its attributes give.
    #[serde(default)]
    pub mechanism: Vec<MechanismSpec>,
    /// How it is a replica of another resource.
    #[serde(default)]
    pub replica_of: Vec<ReplicaOfSpec>,
    /// The replicas it declares.
    #[serde(default)]
    pub replicas: Vec<ReplicasSpec>,
    /// Limits on how long a mechanism keeps data (lifecycle rules).
    #[serde(default)]
    pub retention_cap: Vec<RetentionCapSpec>,
    /// For an attachment that changes a mechanism of the resource it configures in a way the
    /// knowledge base cannot size (a Redshift snapshot schedule sets the snapshot cadence): that
    /// mechanism's RPO becomes unknown, with this reason, never the family's figure.
    #[serde(default)]
    pub unsizes: Vec<UnsizeSpec>,
    /// For protectors: where each semantic field is (a dotted path).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// For a protector that targets one family (a DLM policy: EBS volumes): that family.
    #[serde(default)]
    pub target_family: Option<String>,
    /// For a DLM policy: the family each of its resource types targets (`VOLUME`, `INSTANCE`);
    /// absent, `target-family` for every type.
    #[serde(default)]
    pub target_families: BTreeMap<String, String>,
    /// When set on a resource, its data is another resource's (a cluster member's is the
    /// cluster's): it has no backups or zone verdict of its own and is not estimated alone.
    #[serde(default)]
    pub member_of: Option<MemberOfSpec>,
    /// For a type whose statefulness depends on its settings (an ElastiCache cluster holds data
    /// with Redis or Valkey, nothing that survives a restart with Memcached): when this is known
    /// not to hold, the resource is not stateful and is not estimated; unknown counts as
    /// stateful.
    #[serde(default)]
    pub stateful_when: Option<Predicate>,
    /// For a resource that has no region of its own (an Azure SQL database): the attribute
    /// that references the resource whose region it has (`server_id`); `a|b` tries `a`, then
    /// `b`.
    #[serde(default)]
    pub region_from: Option<String>,
    /// Path of a list of regions that, when it names two or more known regions, places the
    /// resource in all of them (a configurable dual-region bucket's
    /// `custom_placement_config.data_locations`), whatever its region attribute says.
    #[serde(default)]
    pub regions_from: Option<String>,
    /// Other resources its conditions and quantities read (`on = "<name>"`): a backup policy
    /// named by a protected item, the vault it is kept in.
    #[serde(default)]
    pub refs: Vec<RefSpec>,
}

/// A resource that a resource's conditions read through one of its attributes.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RefSpec {
    /// The name predicates use in `on` (`policy`).
    pub name: String,
    /// The attribute holding a reference to it, or its name; `a|b` tries `a`, then `b`.
    pub path: String,
    /// The types it can have.
    pub types: Vec<String>,
    /// When the attribute holds a name rather than a reference: the attribute of those types
    /// that holds it (`name`).
    #[serde(default)]
    pub by: Option<String>,
    /// What it is, for messages (`backup policy`).
    pub label: String,
}

impl ResourceSpec {
    /// The family whose mechanisms its mappings name: its own, or that of the resource it
    /// configures.
    pub fn mechanism_family(&self) -> Option<&str> {
        self.family
            .as_deref()
            .or(self.attaches_to.as_ref().map(|a| a.family.as_str()))
    }

    /// The path of a protector field (validated at load time for required fields).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// How an attachment resource names the resource it configures.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AttachSpec {
    /// Attribute holding a reference, name or ARN of the target.
    pub path: String,
    /// Family of the target.
    pub family: String,
    /// When `path` names a resource that is linked to the targets by other resources (a
    /// virtual machine, whose disks are attached by `azurerm_virtual_machine_data_disk_attachment`):
    /// those link resources.
    #[serde(default)]
    pub through: Option<ThroughSpec>,
    /// When the target is found by a name that is unique only within a parent (a file share
    /// within its storage account): the attachment's attribute naming that parent and the
    /// target's, which must designate the same resource.
    #[serde(default)]
    pub same: Option<SameSpec>,
}

/// An attachment's parent and its target's, which must be the same resource.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SameSpec {
    /// The attachment's attribute (`source_storage_account_id`).
    pub path: String,
    /// The target's attribute (`storage_account_id|storage_account_name`; `a|b` tries `a`,
    /// then `b`).
    pub target: String,
}

/// Link resources between what an attachment names and the resources it configures.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ThroughSpec {
    /// The link resources' type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Their attribute that references what the attachment names.
    pub from: String,
    /// Their attribute that references a target, or `self` when they are the targets.
    pub to: String,
}

/// The kinds of recovery mechanisms.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MechanismKind {
    /// Backups on a schedule.
    ScheduledBackup,
    /// Continuous backup / point-in-time recovery.
    ContinuousBackup,
    /// A copy of backups kept elsewhere.
    BackupCopy,
    /// Object versioning.
    Versioning,
    /// Rewinding the data in place to an earlier time (Aurora Backtrack): it recovers from
    /// logical damage only, not from the loss of a zone or region.
    Rewind,
    /// A synchronous standby.
    Standby,
    /// Storage that is replicated across zones by the service.
    ZoneRedundant,
    /// A live replica.
    Replica,
    /// Data that cannot be deleted or overwritten for a time (S3 Object Lock): shown, never
    /// counted as a recovery point (the lock runs from a version's creation, so it keeps no
    /// state longer than versioning does).
    Immutability,
}

impl MechanismKind {
    /// Whether it is a backup (keeps past states, so it recovers from logical damage).
    pub fn is_backup(self) -> bool {
        matches!(
            self,
            MechanismKind::ScheduledBackup
                | MechanismKind::ContinuousBackup
                | MechanismKind::BackupCopy
                | MechanismKind::Versioning
                | MechanismKind::Rewind
        )
    }
}

/// Where a resource's attributes give one of its family's mechanisms: the figures are the
/// family's (`[[family.mechanism]]` of the same id), the paths are the resource type's.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MechanismSpec {
    /// The family mechanism's id (`automated-backups`).
    pub id: String,
    /// When the mechanism exists for the resource at all (Aurora storage on a cluster that is
    /// not a Multi-AZ DB cluster): when this is known not to hold, it is not reported as
    /// switched off, it simply is not there. Absent means always.
    #[serde(default)]
    pub applies: Option<Predicate>,
    /// When it is on; absent means always.
    #[serde(default)]
    pub enabled: Option<Predicate>,
    /// How long it keeps data: the attribute, and its unit and default when they differ from
    /// the family's.
    #[serde(default)]
    pub retention: Option<QuantitySpec>,
    /// Where its data lives: a path holding a region name, or `self` for the region of the
    /// declaring resource (default: the protected resource's region); `paired` (the paired
    /// region), `geo` (the other region of a dual- or multi-region location) and `multi-region`
    /// (the multi-region that contains the region). `path|keyword` reads the path when it is set
    /// and falls back to the keyword.
    #[serde(default)]
    pub region: Option<String>,
    /// What the region path is read from (a `refs` name: the schedule policy of a disk).
    #[serde(default)]
    pub region_on: On,
    /// Whether its data is kept in every region of the location it is in (backups of a
    /// Spanner database in a multi-region configuration), not only in one of them.
    #[serde(default)]
    pub across_location: bool,
    /// RPO under conditions, first match wins: each names one of the family mechanism's
    /// `cases`.
    #[serde(default)]
    pub rpo_when: Vec<WhenCase>,
    /// In `[[resource.replicas.mechanism]]`: what the destination's own mechanism of this id
    /// gives stands for this one. On a destination in the scan, its retention caps (its
    /// lifecycle) apply, and when it declares the mechanism itself, that declaration replaces
    /// this one; on a destination outside the scan, how long it keeps data is unknown.
    #[serde(default)]
    pub destination_mechanism: Option<String>,
    /// When this holds, the mechanism's data is kept in one zone (backups on locally
    /// redundant storage): it does not survive the loss of that zone. Absent: backups are kept
    /// in storage that spans the region's zones.
    #[serde(default)]
    pub single_zone_when: Option<Predicate>,
    /// For a backup whose cadence an attribute sets (`interval_in_minutes`, a policy's
    /// repeating interval): its RPO, read from there. A `rpo-when` case that matches comes
    /// first.
    #[serde(default)]
    pub interval: Option<QuantitySpec>,
    /// The family's definition, filled in when the knowledge base is loaded.
    #[serde(skip)]
    pub def: FamilyMechanism,
}

/// A condition on an attribute.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Predicate {
    /// Dotted path (empty for `all`, `any`, `not` and `members-gt`, which read no attribute).
    #[serde(default)]
    pub path: String,
    /// True when the value equals this.
    #[serde(default)]
    pub equals: Option<toml::Value>,
    /// True when the value is a number greater than this.
    #[serde(default)]
    pub gt: Option<f64>,
    /// True when the attribute is present (and not null).
    #[serde(default)]
    pub present: Option<bool>,
    /// True when the attribute holds something: not null, not `""`, not an empty list or map.
    #[serde(default)]
    pub nonempty: Option<bool>,
    /// True when the value equals one of these.
    #[serde(default)]
    pub one_of: Vec<toml::Value>,
    /// True when the value is a list of more than this many distinct items (instance zones).
    #[serde(default)]
    pub distinct_gt: Option<usize>,
    /// True when every one of these holds.
    #[serde(default)]
    pub all: Vec<Predicate>,
    /// True when at least one of these holds.
    #[serde(default)]
    pub any: Vec<Predicate>,
    /// True when this does not hold.
    #[serde(default)]
    pub not: Option<Box<Predicate>>,
    /// True when more than this many resources are members of this one (`member-of`): a
    /// cluster with more than one instance has a reader to fail over to.
    #[serde(default)]
    pub members_gt: Option<usize>,
    /// The value assumed when the attribute is absent.
    #[serde(default)]
    pub default: Option<toml::Value>,
    /// Why that default applies (shown in explanations).
    #[serde(default)]
    pub default_note: Option<String>,
    /// Defaults that apply under conditions, before `default`.
    #[serde(default)]
    pub default_when: Vec<DefaultWhen>,
    /// When the attribute is absent and no `default-when` applies, the service default is not
    /// documented: the condition is unknown (with this reason), never false.
    #[serde(default)]
    pub default_unknown: Option<String>,
    /// What the path is read from: the current item (default) or the whole resource.
    #[serde(default)]
    pub on: On,
}

/// What a predicate's path is read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum On {
    /// The current item (a replica block, a rule), or the resource body outside lists.
    #[default]
    Item,
    /// The whole resource, from within an item.
    Resource,
    /// Another resource, one of the declaring resource's `refs` (by name).
    Ref(String),
}

impl<'de> Deserialize<'de> for On {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<On, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "item" => On::Item,
            "resource" => On::Resource,
            _ => On::Ref(s),
        })
    }
}

/// A conditional default.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DefaultWhen {
    /// The condition.
    pub when: Box<Predicate>,
    /// The default value under it.
    pub value: toml::Value,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// A figure that applies under a condition: one of the family's named `cases`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct WhenCase {
    /// The condition.
    pub when: Predicate,
    /// The case's name in the family mechanism or replication.
    pub case: String,
    /// The case's figure, filled in when the knowledge base is loaded.
    #[serde(skip)]
    pub figure: Figure,
}

/// Units of quantities read from attributes.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
    /// Weeks.
    Weeks,
    /// An ISO 8601 duration (`P7D`, `PT4H`) or repeating interval (`R/2024-01-01T02:00:00Z/PT4H`,
    /// whose period counts), or a list of them (the longest counts).
    Iso8601,
    /// A list of weekday names (`["Tuesday", "Saturday"]`): the longest gap between two of
    /// them, a week for one day.
    Weekdays,
    /// A Google Cloud duration: a number and a unit letter (`86400s`, `3.5s`, `1h`, `7d`); a
    /// plain number is seconds.
    Duration,
    /// A five-field crontab (`0 2 * * *`): the longest gap between two runs, in UTC.
    Crontab,
}

impl Unit {
    /// Seconds per unit (1 for ISO 8601 texts, which carry their own units).
    pub fn seconds(self) -> u64 {
        match self {
            Unit::Seconds | Unit::Iso8601 | Unit::Weekdays | Unit::Duration | Unit::Crontab => 1,
            Unit::Minutes => 60,
            Unit::Hours => 3600,
            Unit::Days => 86_400,
            Unit::Weeks => 604_800,
        }
    }
}

/// A duration read from an attribute.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct QuantitySpec {
    /// Dotted path (absent: always the default).
    #[serde(default)]
    pub path: Option<String>,
    /// Unit of the attribute (absent in a resource mapping: the family's).
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Value when absent, in `unit`.
    #[serde(default)]
    pub default: Option<f64>,
    /// What the path is read from (as for predicates).
    #[serde(default)]
    pub on: On,
}

/// A replica relation declared on the replica (`replicate_source_db`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ReplicaOfSpec {
    /// Attribute naming the source (reference, name or ARN).
    pub path: String,
    /// The family replication whose figures apply (default `replica`).
    #[serde(default = "replica")]
    pub replication: String,
    /// Whether `path` names a group rather than a source: resources of the family that name
    /// the same group replicate one another (the clusters of a global database). The first one
    /// declared is the primary.
    #[serde(default)]
    pub peers: bool,
    /// The family replication that applies instead when the replica has no members (a headless
    /// global database secondary, which needs an instance before it can serve).
    #[serde(default)]
    pub headless: Option<String>,
    /// When the attribute makes it a replica (`create_mode = "Secondary"`; the same attribute
    /// names the source of a restore otherwise). Absent: whenever it is set.
    #[serde(default)]
    pub when: Option<Predicate>,
    /// The family's definition, filled in when the knowledge base is loaded.
    #[serde(skip)]
    pub def: FamilyReplication,
    /// The definition of `headless`, filled in when the knowledge base is loaded.
    #[serde(skip)]
    pub headless_def: Option<FamilyReplication>,
}

/// Synchronous or asynchronous replication.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicationMode {
    /// Synchronous.
    Sync,
    /// Asynchronous.
    Async,
}

/// Replicas declared by the source (DynamoDB `replica` blocks, S3 replication rules).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ReplicasSpec {
    /// When the replicas are declared on another resource that this one names (a Keyspaces
    /// table's keyspace): `each`, `region`, `enabled` and `on = "resource"` then read that one.
    #[serde(default)]
    pub via: Option<ViaSpec>,
    /// Path of the repeated items, each one replica (absent: the resource itself is one replica).
    #[serde(default)]
    pub each: Option<String>,
    /// Whether the items include the resource's own copy (CloudFormation global tables).
    #[serde(default)]
    pub includes_self: bool,
    /// The family replication whose figures apply (default `replica`).
    #[serde(default = "replica")]
    pub replication: String,
    /// When an item is active.
    #[serde(default)]
    pub enabled: Option<Predicate>,
    /// When an item copies only part of the data (an S3 replication rule with a prefix or tag
    /// filter): then it does not protect the resource and is reported as not counted.
    #[serde(default)]
    pub partial_when: Vec<Predicate>,
    /// Path of the replica's region name, or `self` (the declaring resource's region).
    #[serde(default)]
    pub region: Option<String>,
    /// Path of a reference or ARN of a destination resource whose region is the replica's.
    #[serde(default)]
    pub destination: Option<String>,
    /// Paths of ARNs that must be in the destination's region (the replica's KMS key), read
    /// when the destination is not in the scan: `${AWS::Region}` there puts the replica in the
    /// stack's own region.
    #[serde(default)]
    pub destination_region: Vec<String>,
    /// Lag under conditions: each names one of the family replication's `cases`.
    #[serde(default)]
    pub rpo_when: Vec<WhenCase>,
    /// Lag read from an attribute when no `rpo-when` case matches (Cosmos DB's bounded
    /// staleness interval).
    #[serde(default)]
    pub rpo: Option<QuantitySpec>,
    /// Failover time under conditions (a manual or automatic failover policy): each names one
    /// of the family replication's `rto-cases`.
    #[serde(default)]
    pub rto_when: Vec<WhenCase>,
    /// Failover time read from an attribute when no `rto-when` case matches (an automatic
    /// failover's grace period).
    #[serde(default)]
    pub rto: Option<QuantitySpec>,
    /// Mechanisms of the replica itself (its own point-in-time recovery).
    #[serde(default)]
    pub mechanism: Vec<MechanismSpec>,
    /// The family's definition, filled in when the knowledge base is loaded.
    #[serde(skip)]
    pub def: FamilyReplication,
}

/// A mechanism whose RPO an attachment makes unknown.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UnsizeSpec {
    /// The mechanism id.
    pub mechanism: String,
    /// Why its RPO is unknown.
    pub reason: String,
}

/// The resource that declares another's replicas.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ViaSpec {
    /// The attribute of this resource that names it (a reference or its name).
    pub path: String,
    /// Its type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Its attribute that holds the name.
    pub name: String,
}

/// A lifecycle rule that limits how long a mechanism keeps data.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RetentionCapSpec {
    /// The mechanism id it limits.
    pub mechanism: String,
    /// Path of repeated rules.
    #[serde(default)]
    pub each: Option<String>,
    /// When a rule is active.
    #[serde(default)]
    pub enabled: Option<Predicate>,
    /// Path of the limit in a rule.
    pub path: String,
    /// Unit of the limit.
    pub unit: Unit,
}
