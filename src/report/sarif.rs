//! SARIF 2.1.0 for GitHub code scanning and other consumers (see `../shared/SARIF.md`).
//!
//! Hand-written serde structs (as ruff and cfn-guard do): one run; every rule with its
//! documentation; results with physical and logical locations, related locations for the
//! evidence, stable `partialFingerprints` and the numbers in `properties`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{Emitter, ReportOptions, fingerprint};
use crate::config::Level;
use crate::evaluate::{Finding, LevelSpec, RULES, RuleMeta, SuppressionKind};
use crate::scan::Scan;
use crate::source::Span;

/// The SARIF emitter.
pub struct Sarif;

/// Where the tool is documented.
pub const INFORMATION_URI: &str = "https://github.com/resilint/resilint";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "resilint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    version_control_provenance: Vec<Provenance>,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

/// The repository and revision scanned (SARIF `versionControlDetails`), from the CI's
/// environment or git: what a fleet report groups runs by.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// The repository's URI.
    pub repository_uri: String,
    /// The commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// The branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
}

/// Run-level numbers a fleet report needs besides the results: how many components there are
/// and how many meet their tier, per tier (results only name what falls short).
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RunProperties {
    /// Stateful components scanned.
    pub components: usize,
    /// Of which meet every target of their tier.
    pub meeting_tier: usize,
    /// Per tier (`none`: no tier).
    pub tiers: BTreeMap<String, TierCount>,
}

/// Components of one tier.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TierCount {
    /// Components.
    pub components: usize,
    /// Of which meet every target of the tier.
    pub meeting_tier: usize,
}

/// The run's properties from a scan.
fn run_properties(scan: &Scan) -> RunProperties {
    let st = super::statement::build(scan, &super::ReportOptions::default());
    let mut p = RunProperties {
        components: st.summary.components,
        meeting_tier: st.summary.meeting_tier,
        tiers: BTreeMap::new(),
    };
    for c in st.workloads.iter().flat_map(|w| &w.components) {
        let t = p
            .tiers
            .entry(c.tier.clone().unwrap_or_else(|| "none".into()))
            .or_default();
        t.components += 1;
        if c.verdict == super::statement::Verdict::Met {
            t.meeting_tier += 1;
        }
    }
    p
}

/// The repository scanned: `RESILINT_REPOSITORY_URI` (with `RESILINT_REVISION`), GitHub
/// Actions' or GitLab CI's variables, else (unless the output must be reproducible) git's
/// `origin` remote and `HEAD`.
pub fn provenance(base: &std::path::Path, reproducible: bool) -> Option<Provenance> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let Some(uri) = env("RESILINT_REPOSITORY_URI") {
        return Some(Provenance {
            repository_uri: uri,
            revision_id: env("RESILINT_REVISION"),
            branch: env("RESILINT_BRANCH"),
        });
    }
    if let (Some(server), Some(repo)) = (env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY")) {
        return Some(Provenance {
            repository_uri: format!("{server}/{repo}"),
            revision_id: env("GITHUB_SHA"),
            branch: env("GITHUB_HEAD_REF").or_else(|| env("GITHUB_REF_NAME")),
        });
    }
    if let Some(uri) = env("CI_PROJECT_URL") {
        return Some(Provenance {
            repository_uri: uri,
            revision_id: env("CI_COMMIT_SHA"),
            branch: env("CI_COMMIT_REF_NAME"),
        });
    }
    if reproducible {
        return None;
    }
    let git = |args: &[&str]| {
        // Only plumbing that reads refs and config: nothing that runs hooks, filters or an
        // fsmonitor of the scanned repository (which may not be trusted).
        std::process::Command::new("git")
            .arg("-C")
            .arg(base)
            .args(["-c", "core.fsmonitor=false"])
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let uri = git(&["remote", "get-url", "origin"])?;
    // A remote URL can carry credentials (https://user:token@host/...): never write them.
    let uri = match (uri.find("://"), uri.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}{}", &uri[..scheme + 3], &uri[at + 1..])
        }
        _ => uri,
    };
    Some(Provenance {
        repository_uri: uri,
        revision_id: git(&["rev-parse", "HEAD"]),
        branch: git(&["rev-parse", "--abbrev-ref", "HEAD"]).filter(|b| b != "HEAD"),
    })
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: &'static [&'static str],
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'a str>,
    /// Recommendations of other catalogues (Azure's APRL) this rule implements, for some
    /// families.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    recommendations: Vec<serde_json::Value>,
}

/// A catalogue recommendation as SARIF properties show it.
fn recommendation_json(r: &crate::knowledge::schema::RecommendationSpec) -> serde_json::Value {
    let mut v = serde_json::json!({
        "catalogue": r.catalogue,
        "id": r.id,
        "title": r.title,
    });
    if let (Some(url), serde_json::Value::Object(m)) = (&r.url, &mut v) {
        m.insert("url".into(), serde_json::Value::String(url.clone()));
    }
    v
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_directory: Option<ArtifactLocation>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<AnyLocation>,
    descriptor: Descriptor,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

/// A physical location naming only a file (a notice about a file that was not read).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileLocation {
    physical_location: FilePhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FilePhysicalLocation {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: BTreeMap<&'static str, serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

/// A result's suppression: inline (a comment, CloudFormation metadata) or external (a baseline).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

/// The SARIF `suppression.kind` of a suppression.
pub fn suppression_kind(kind: SuppressionKind) -> &'static str {
    match kind {
        SuppressionKind::InSource => "inSource",
        SuppressionKind::External => "external",
    }
}

/// A location: a region of a file, or (for notices) a file.
#[derive(Serialize)]
#[serde(untagged)]
enum AnyLocation {
    Region(Location),
    File(FileLocation),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

fn problem_severity(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "recommendation",
    }
}

/// Percent-encodes a relative path for a URI (keeps `/`, unreserved characters).
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn file_uri(dir: &std::path::Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    let s = if s.ends_with('/') { s } else { format!("{s}/") };
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    format!("file://{}", encode_uri_path(&s))
}

fn physical(scan: &Scan, span: Span) -> Option<PhysicalLocation> {
    let file = scan.sources.get(span.file)?;
    let r = file.region(span);
    let (start_line, start_column) = (r.start.line.max(1), r.start.column.max(1));
    let (mut end_line, mut end_column) = (r.end.line.max(start_line), r.end.column.max(1));
    if end_line == start_line && end_column <= start_column {
        end_column = start_column + 1;
    }
    if end_line < start_line {
        end_line = start_line;
    }
    Some(PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: encode_uri_path(&file.rel_path),
            uri_base_id: Some("%SRCROOT%"),
        },
        region: Region {
            start_line,
            start_column,
            end_line,
            end_column,
        },
    })
}

fn rule<'a>(
    meta: &'static RuleMeta,
    security_severity: &'a BTreeMap<String, String>,
    kb: &crate::knowledge::KnowledgeBase,
) -> Rule<'a> {
    let level = meta.default_level();
    let doc = meta.doc.to_string();
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Text {
            text: meta.summary.to_string(),
        },
        full_description: Text {
            text: meta.description(),
        },
        help: Help {
            text: doc.clone(),
            markdown: doc,
        },
        help_uri: meta.doc_url(),
        default_configuration: DefaultConfiguration {
            level: level.as_str(),
        },
        properties: RuleProperties {
            tags: meta.tags,
            precision: match meta.level {
                LevelSpec::Fixed(_) => "very-high",
                LevelSpec::Tier => "high",
            },
            problem_severity: problem_severity(level),
            security_severity: security_severity.get(level.as_str()).map(String::as_str),
            recommendations: kb
                .recommendations(meta.code, None)
                .into_iter()
                .map(recommendation_json)
                .collect(),
        },
    }
}

fn result(scan: &Scan, f: &Finding) -> Option<SarifResult> {
    let mut primary = Location {
        id: None,
        physical_location: physical(scan, f.span)?,
        logical_locations: Vec::new(),
        message: None,
    };
    if let Some(address) = &f.address {
        let name = address
            .rsplit(['.', '#'])
            .next()
            .unwrap_or(address)
            .to_string();
        // A module call (a module not evaluated) or a resource.
        let kind = if f.resource.is_none() && address.starts_with("module.") {
            "module"
        } else {
            "resource"
        };
        primary.logical_locations.push(LogicalLocation {
            name,
            fully_qualified_name: address.clone(),
            kind,
        });
    }
    let related: Vec<Location> = f
        .related
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            Some(Location {
                id: Some(i + 1),
                physical_location: physical(scan, r.span)?,
                logical_locations: Vec::new(),
                message: Some(Text {
                    text: r.message.clone(),
                }),
            })
        })
        .collect();
    let mut text = f.message.clone();
    if !related.is_empty() {
        let links: Vec<String> = related
            .iter()
            .filter_map(|l| {
                let id = l.id?;
                let msg = l.message.as_ref()?.text.replace(['[', ']'], "");
                Some(format!("[{msg}]({id})"))
            })
            .collect();
        text.push_str(&format!(" Evidence: {}.", links.join(", ")));
    }
    if let Some(help) = &f.help {
        text.push_str(&format!(" Fix: {help}."));
    }
    let mut properties = BTreeMap::new();
    let facts = serde_json::to_value(&f.facts).unwrap_or_default();
    if let serde_json::Value::Object(m) = facts {
        for (k, v) in m {
            let key: &'static str = match k.as_str() {
                "tier" => "tier",
                "scope" => "scope",
                "estimate_seconds" => "estimateSeconds",
                "target_seconds" => "targetSeconds",
                "mechanism" => "mechanism",
                "may_not_exist" => "mayNotExist",
                _ => continue,
            };
            properties.insert(key, v);
        }
    }
    if let Some(address) = &f.address {
        properties.insert("address", serde_json::Value::String(address.clone()));
    }
    if let Some(id) = f.resource {
        let r = scan.model.get(id);
        properties.insert("resourceType", serde_json::Value::String(r.rtype.clone()));
        let family = scan.kb.family_of(&r.rtype).map(|f| f.id.as_str());
        let recommendations: Vec<serde_json::Value> = match family {
            Some(family) => scan
                .kb
                .recommendations(f.rule.code, Some(family))
                .into_iter()
                .map(recommendation_json)
                .collect(),
            None => Vec::new(),
        };
        if !recommendations.is_empty() {
            properties.insert("recommendations", serde_json::Value::Array(recommendations));
        }
    }
    let mut fps = BTreeMap::new();
    fps.insert(FINGERPRINT_KEY, fingerprint(scan, f));
    Some(SarifResult {
        rule_id: f.rule.code,
        rule_index: RULES
            .iter()
            .position(|r| std::ptr::eq(*r, f.rule))
            .unwrap_or(0),
        level: f.level.as_str(),
        message: Text { text },
        locations: vec![primary],
        related_locations: related,
        partial_fingerprints: fps,
        properties,
        suppressions: f
            .suppression
            .iter()
            .map(|s| SarifSuppression {
                kind: suppression_kind(s.kind),
                status: "accepted",
                justification: s.justification.clone(),
                location: s.span.and_then(|span| {
                    Some(Location {
                        id: None,
                        physical_location: physical(scan, span)?,
                        logical_locations: Vec::new(),
                        message: None,
                    })
                }),
            })
            .collect(),
    })
}

impl Emitter for Sarif {
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let mut notifications: Vec<Notification> = scan
            .parse_errors
            .iter()
            .filter_map(|e| {
                Some(Notification {
                    level: "error",
                    message: Text {
                        text: e.message.clone(),
                    },
                    locations: vec![AnyLocation::Region(Location {
                        id: None,
                        physical_location: physical(scan, e.span)?,
                        logical_locations: Vec::new(),
                        message: None,
                    })],
                    descriptor: Descriptor { id: "RES000" },
                })
            })
            .collect();
        notifications.extend(scan.notices.iter().map(|n| {
            Notification {
                level: n.level.as_str(),
                message: Text {
                    text: n.message.clone(),
                },
                locations: n
                    .file
                    .iter()
                    .map(|f| {
                        AnyLocation::File(FileLocation {
                            physical_location: FilePhysicalLocation {
                                artifact_location: ArtifactLocation {
                                    uri: encode_uri_path(f),
                                    uri_base_id: Some("%SRCROOT%"),
                                },
                            },
                        })
                    })
                    .collect(),
                descriptor: Descriptor { id: n.code },
            }
        }));
        let category = options
            .category
            .clone()
            .unwrap_or_else(|| "resilint".into());
        let run_id = if options.reproducible {
            String::new()
        } else {
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
        };
        let base = (!options.reproducible).then(|| ArtifactLocation {
            uri: file_uri(&scan.base),
            uri_base_id: None,
        });
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "resilint",
                        full_name: "resilint resilience linter for infrastructure as code",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: INFORMATION_URI,
                        rules: RULES
                            .iter()
                            .map(|r| rule(r, &scan.config.security_severity, &scan.kb))
                            .collect(),
                    },
                },
                automation_details: AutomationDetails {
                    id: format!("{category}/{run_id}"),
                },
                invocations: vec![Invocation {
                    execution_successful: !scan.had_errors(),
                    tool_execution_notifications: notifications,
                    working_directory: base.clone(),
                }],
                original_uri_base_ids: base.map(|b| BTreeMap::from([("%SRCROOT%", b)])),
                column_kind: "unicodeCodePoints",
                version_control_provenance: provenance(&scan.base, options.reproducible)
                    .into_iter()
                    .collect(),
                properties: run_properties(scan),
                results: scan
                    .findings
                    .iter()
                    .filter_map(|f| result(scan, f))
                    .collect(),
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri_path("infra/db.tf"), "infra/db.tf");
        assert_eq!(encode_uri_path("my dir/é.tf"), "my%20dir/%C3%A9.tf");
        assert_eq!(file_uri(std::path::Path::new("/repo")), "file:///repo/");
    }
}
