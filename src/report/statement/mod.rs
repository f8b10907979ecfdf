//! `resilint report`: the resilience statement, for the people around the code.
//!
//! A scan becomes a [`Statement`]: per workload (a named `[[workloads]]` entry, else the root
//! module or template the resources were evaluated from) the tiers' targets per scope, and per
//! component the estimated RPO/RTO of each scope against the target, with the mechanism and the
//! file:line behind each figure, what is unknown and why, and the open findings. A summary says
//! how many components meet their tier in each scope, the worst gaps and, with
//! `--compare previous.json`, what changed since a previous statement.
//!
//! The JSON form ([`json`]) is the statement itself (version 1, fields added, never renamed),
//! so that the next report can compare with it; the HTML ([`html`]) and Markdown ([`markdown`])
//! forms are rendered from it.

pub mod chart;
pub mod compare;
pub mod html;
pub mod json;
pub mod markdown;

use serde::{Deserialize, Serialize};

use super::explain_json::{self, ScopeOut};
use super::{locate, plural, shown};
use crate::config::{Level, Owners, Tier};
use crate::evaluate::Finding;
use crate::evaluate::tier::TierResolver;
use crate::infer::Component;
use crate::infer::estimate::Scope;
use crate::model::Resource;
use crate::scan::Scan;

/// Contract version of the JSON form.
pub const VERSION: u32 = 1;
/// Gaps the summary lists.
pub const WORST_GAPS: usize = 10;

/// The scopes, in the order reports show them.
pub const SCOPES: [Scope; 3] = [Scope::Logical, Scope::Zone, Scope::Region];

/// The resilience statement of a scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Statement {
    /// Contract version.
    pub version: u32,
    /// The scanned paths' base directory name (the repository, usually).
    pub title: String,
    /// The scan's summary line.
    pub scanned: String,
    /// For people who will not read further.
    pub summary: Summary,
    /// The workloads, in the order of their first component.
    pub workloads: Vec<Workload>,
    /// Resources that hold data and are not estimated (RES014): named, never passed.
    #[serde(default)]
    pub not_modelled: Vec<NotModelled>,
    /// What the run has to say besides its resources.
    #[serde(default)]
    pub notices: Vec<String>,
    /// What changed since the statement given to `--compare`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<compare::Changes>,
}

/// The summary.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Components (stateful resources with their replicas and members).
    pub components: usize,
    /// Components that meet every target of their tier in every scope.
    pub meeting_tier: usize,
    /// Components without a tier (RES009/RES010): nothing to meet.
    pub without_tier: usize,
    /// Per scope: how many components meet, miss or cannot be decided.
    pub scopes: Vec<ScopeSummary>,
    /// The largest gaps between estimate and target, worst first.
    pub worst_gaps: Vec<Gap>,
    /// Open findings by level.
    pub findings: FindingCounts,
}

/// Open findings by level.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct FindingCounts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Notes.
    pub note: usize,
}

/// One scope's counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScopeSummary {
    /// `logical`, `zone` or `region`.
    pub scope: String,
    /// Meets its targets.
    pub met: usize,
    /// Misses one (unprotected included).
    pub missed: usize,
    /// Of which nothing covers the scope.
    pub unprotected: usize,
    /// Depends on values that cannot be determined.
    pub unknown: usize,
    /// The tier sets no target for the scope, or there is no tier.
    pub not_evaluated: usize,
}

/// A gap between an estimate and a target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gap {
    /// The component's primary.
    pub address: String,
    /// Its workload.
    pub workload: String,
    /// The scope.
    pub scope: String,
    /// `rpo` or `rto`.
    pub measure: String,
    /// The estimate, seconds (`null`: unprotected).
    pub estimate_seconds: Option<u64>,
    /// The target, seconds.
    pub target_seconds: u64,
}

impl Gap {
    /// How far the estimate is from the target: estimate / target (unprotected is infinite).
    pub fn factor(&self) -> f64 {
        gap_factor(self.estimate_seconds, self.target_seconds)
    }

    /// `24h against 15m (96×)`, `unprotected (target 15m)`.
    pub fn text(&self) -> String {
        gap_text(self.estimate_seconds, self.target_seconds)
    }
}

/// estimate / target, seconds (no estimate: unprotected, infinitely far).
pub fn gap_factor(estimate: Option<u64>, target: u64) -> f64 {
    match estimate {
        None => f64::INFINITY,
        Some(e) => e as f64 / target.max(1) as f64,
    }
}

/// `24h against 15m (96×)`, `unprotected (target 15m)`.
pub fn gap_text(estimate: Option<u64>, target: u64) -> String {
    let t = dur(target);
    match estimate {
        None => format!("unprotected (target {t})"),
        Some(e) => format!(
            "{} against {t} ({:.0}×)",
            dur(e),
            gap_factor(estimate, target)
        ),
    }
}

/// A workload: components reported together, with their targets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Workload {
    /// Its name: the `[[workloads]]` entry's, else the root module or template.
    pub name: String,
    /// `workload` (a named `[[workloads]]` entry) or `unit` (a root module or template).
    pub kind: String,
    /// Who owns it, from `[owners]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owners: Option<Owners>,
    /// The targets of the tiers its components have.
    pub tiers: Vec<TierTargets>,
    /// Its components.
    pub components: Vec<ComponentReport>,
}

/// A tier's targets per scope.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TierTargets {
    /// The tier.
    pub name: String,
    /// Targets of the logical, zone and region scopes.
    pub scopes: Vec<Target>,
}

/// One scope's targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// RPO target, seconds.
    pub rpo_seconds: Option<u64>,
    /// RTO target, seconds.
    pub rto_seconds: Option<u64>,
}

impl Target {
    /// `15m / 1h`, `– / 4h` for a measure without a target, `not evaluated` without either.
    pub fn text(self) -> String {
        let one = |v: Option<u64>| v.map(dur).unwrap_or_else(|| "–".into());
        if self.rpo_seconds.is_none() && self.rto_seconds.is_none() {
            "not evaluated".into()
        } else {
            format!("{} / {}", one(self.rpo_seconds), one(self.rto_seconds))
        }
    }
}

/// A component as the statement reports it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentReport {
    /// The primary's address.
    pub address: String,
    /// Its resource type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Where it is declared.
    pub file: String,
    /// Line.
    pub line: u32,
    /// The root module or template it was evaluated from.
    pub unit: String,
    /// Its region, if known.
    pub region: Option<String>,
    /// The tier, if known.
    pub tier: Option<String>,
    /// Its owner: `[owners]`, else an `owner` or `team` tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `met`, `missed`, `unknown` or `no-tier`.
    pub verdict: Verdict,
    /// Per scope.
    pub scopes: Vec<ScopeReport>,
    /// What could not be determined, and why.
    pub unknowns: Vec<String>,
    /// Open findings on it or its members.
    pub findings: Vec<FindingRef>,
}

/// One scope of a component.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScopeReport {
    /// `logical`, `zone` or `region`.
    pub scope: String,
    /// The verdict against the targets.
    pub verdict: Verdict,
    /// The targets.
    pub target: Target,
    /// The estimated RPO, seconds (`null`: unprotected or unknown).
    pub rpo_seconds: Option<u64>,
    /// The known worst case of an RPO that depends on unknown values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo_upper_bound_seconds: Option<u64>,
    /// The estimated RTO, seconds.
    pub rto_seconds: Option<u64>,
    /// Whether a mechanism covers the scope (`false`: unprotected).
    pub covered: bool,
    /// The mechanism behind the RPO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo_via: Option<Evidence>,
    /// The mechanism behind the RTO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rto_via: Option<Evidence>,
}

impl ScopeReport {
    /// The RPO as a reader reads it: `15m`, `≤4h`, `?`, `unprotected`.
    pub fn rpo_text(&self) -> String {
        match (self.covered, self.rpo_seconds, self.rpo_upper_bound_seconds) {
            (false, ..) => "unprotected".into(),
            (true, Some(v), _) => dur(v),
            (true, None, Some(u)) => format!("≤{}", dur(u)),
            (true, None, None) => "?".into(),
        }
    }

    /// The RTO as a reader reads it.
    pub fn rto_text(&self) -> String {
        match (self.covered, self.rto_seconds) {
            (false, _) => "unprotected".into(),
            (true, Some(v)) => dur(v),
            (true, None) => "?".into(),
        }
    }
}

/// A mechanism and where it is declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What it is.
    pub mechanism: String,
    /// File.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// An open finding, as the statement lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingRef {
    /// Rule code.
    pub rule: String,
    /// Rule name.
    pub name: String,
    /// `error`, `warning`, `note`.
    pub level: String,
    /// The message.
    pub message: String,
    /// File.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// A resource that holds data and is not estimated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotModelled {
    /// Address.
    pub address: String,
    /// What it is.
    pub what: String,
    /// File.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// A verdict against targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Meets every target.
    Met,
    /// Misses a target.
    Missed,
    /// Nothing covers a scope that has a target.
    Unprotected,
    /// Depends on values that cannot be determined.
    Unknown,
    /// No target applies (no tier, or the tier sets none for the scope).
    NotEvaluated,
    /// The component has no tier.
    NoTier,
}

impl Verdict {
    /// A word for readers.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "meets",
            Verdict::Missed => "misses",
            Verdict::Unprotected => "unprotected",
            Verdict::Unknown => "unknown",
            Verdict::NotEvaluated => "no target",
            Verdict::NoTier => "no tier",
        }
    }

    /// Its JSON name (`not-evaluated`), also the CSS class and `data-verdict` of the HTML.
    pub fn slug(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::Unprotected => "unprotected",
            Verdict::Unknown => "unknown",
            Verdict::NotEvaluated => "not-evaluated",
            Verdict::NoTier => "no-tier",
        }
    }

    /// Whether it falls short of a target.
    pub fn is_shortfall(self) -> bool {
        matches!(self, Verdict::Missed | Verdict::Unprotected)
    }
}

/// The verdict of a scope's estimate against its targets: [`Verdict::NotEvaluated`] without a
/// target, [`Verdict::Unprotected`] when nothing covers it, else met, missed or unknown (an RPO
/// known only by its worst case meets a target that worst case meets).
pub fn scope_verdict(scope: Option<&ScopeOut>, target: Target) -> Verdict {
    if target.rpo_seconds.is_none() && target.rto_seconds.is_none() {
        return Verdict::NotEvaluated;
    }
    let Some(s) = scope else {
        return Verdict::Unprotected;
    };
    let rpo = target
        .rpo_seconds
        .map(|t| match (s.rpo_seconds, s.rpo_upper_bound_seconds) {
            (Some(v), _) if v <= t => Verdict::Met,
            (Some(_), _) => Verdict::Missed,
            (None, Some(u)) if u <= t => Verdict::Met,
            _ => Verdict::Unknown,
        });
    let rto = target.rto_seconds.map(|t| match s.rto_seconds {
        Some(v) if v <= t => Verdict::Met,
        Some(_) => Verdict::Missed,
        None => Verdict::Unknown,
    });
    let verdicts = [rpo, rto];
    if verdicts.contains(&Some(Verdict::Missed)) {
        Verdict::Missed
    } else if verdicts.contains(&Some(Verdict::Unknown)) || !s.certain {
        Verdict::Unknown
    } else {
        Verdict::Met
    }
}

/// The targets of a tier for a scope.
pub fn targets(tier: Option<&Tier>, scope: Scope) -> Target {
    let (rpo_seconds, rto_seconds) = tier.map(|t| t.targets(scope)).unwrap_or_default();
    Target {
        rpo_seconds,
        rto_seconds,
    }
}

/// `15m`, `4h`, `35d`.
pub fn dur(secs: u64) -> String {
    crate::duration::format(secs)
}

/// The name of a scope.
pub fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Logical => "logical",
        Scope::Zone => "zone",
        Scope::Region => "region",
    }
}

/// What a scope means, for readers.
pub fn scope_title(scope: &str) -> &'static str {
    match scope {
        "logical" => "Logical (corruption, deletion)",
        "zone" => "Zone loss",
        "region" => "Region loss",
        _ => "Scope",
    }
}

/// Builds the statement of a scan, titled after its first scanned path (see [`title_of`]).
pub fn build(scan: &Scan, options: &super::ReportOptions) -> Statement {
    let resolver = TierResolver::new(&scan.config).strict(scan.strict);
    let mut workloads: Vec<Workload> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // The open findings of each component (by its primary), gathered in one pass: looking
    // them up per component would be quadratic.
    let mut by_primary: std::collections::HashMap<crate::model::ResourceId, Vec<&Finding>> =
        std::collections::HashMap::new();
    for f in shown(scan) {
        let primary = f
            .resource
            .and_then(|id| {
                scan.inference
                    .component_of
                    .get(id.index())
                    .copied()
                    .flatten()
            })
            .and_then(|ci| scan.inference.components.get(ci))
            .map(|c| c.primary);
        if let Some(p) = primary {
            by_primary.entry(p).or_default().push(f);
        }
    }
    for (name, kind, r, c) in primaries(scan, &resolver) {
        let findings = by_primary.get(&c.primary).map(Vec::as_slice).unwrap_or(&[]);
        let component = component(scan, &resolver, r, c, &name, findings);
        let i = match index.get(&name).copied() {
            Some(i) => i,
            None => {
                index.insert(name.clone(), workloads.len());
                workloads.push(Workload {
                    owners: scan.config.owners_of(&name).cloned(),
                    name,
                    kind: kind.into(),
                    tiers: Vec::new(),
                    components: Vec::new(),
                });
                workloads.len() - 1
            }
        };
        let w = &mut workloads[i];
        if let Some(t) = component.tier.as_deref().and_then(|t| scan.config.tier(t))
            && !w.tiers.iter().any(|x| x.name == t.name)
        {
            w.tiers.push(TierTargets {
                name: t.name.clone(),
                scopes: SCOPES.iter().map(|&s| targets(Some(t), s)).collect(),
            });
        }
        w.components.push(component);
    }
    let not_modelled = explain_json::not_modelled(scan)
        .into_iter()
        .map(|n| NotModelled {
            address: n.address,
            what: n.what,
            file: n.file,
            line: n.line,
        })
        .collect();
    let title = title_of(&scan.base);
    let summary = summarize(scan, &workloads);
    Statement {
        version: VERSION,
        title,
        scanned: super::summary(scan, options),
        summary,
        workloads,
        not_modelled,
        notices: scan.notices.iter().map(|n| n.text()).collect(),
        changes: None,
    }
}

/// A title from a path: its last component (`examples` for `testdata/examples`), the current
/// directory's name for `.`.
pub fn title_of(path: &std::path::Path) -> String {
    let abs = std::env::current_dir().unwrap_or_default().join(path);
    let normal = abs.canonicalize().unwrap_or(abs);
    normal
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "resilint".into())
}

/// The components of a scan, each by its primary, with the name and kind of its workload.
pub(crate) fn primaries<'s>(
    scan: &'s Scan,
    resolver: &TierResolver<'_>,
) -> Vec<(String, &'static str, &'s Resource, &'s Component)> {
    super::stateful(scan)
        .filter(|(r, c)| r.id == c.primary)
        .map(|(r, c)| {
            let (name, kind) = workload_name(scan, resolver, r);
            (name, kind, r, c)
        })
        .collect()
}

/// The workload a component's primary belongs to: a named `[[workloads]]` entry that matches
/// it, else the root module or template it was evaluated from.
fn workload_name(scan: &Scan, resolver: &TierResolver<'_>, r: &Resource) -> (String, &'static str) {
    if let Some(name) = resolver
        .workload_of(r, &scan.sources)
        .and_then(|i| scan.config.workloads.get(i))
        .and_then(|w| w.name.clone())
    {
        return (name, "workload");
    }
    let unit = if r.unit.is_empty() { "." } else { &r.unit };
    (unit.to_string(), "unit")
}

fn component(
    scan: &Scan,
    resolver: &TierResolver<'_>,
    r: &Resource,
    c: &Component,
    workload: &str,
    findings: &[&Finding],
) -> ComponentReport {
    let e = explain_json::entry(scan, resolver, r, c);
    let tier = e
        .tier
        .as_deref()
        .and_then(|t| resolver.effective_tier(t, &r.address));
    let tier = tier.as_ref();
    let rebuildable = resolver.is_rebuildable(r);
    let evidence = |i: Option<usize>| {
        let m = c.mechanisms.get(i?)?;
        let (file, line) = explain_json::file_line(scan, m.span);
        Some(Evidence {
            mechanism: m.label.clone(),
            file,
            line,
        })
    };
    let scopes: Vec<ScopeReport> = SCOPES
        .iter()
        .map(|&scope| {
            let detail = explain_json::scope_detail(c, scope, scan.strict);
            let target = targets(tier, scope);
            let out = detail.as_ref().map(|d| &d.out);
            ScopeReport {
                scope: scope_name(scope).into(),
                // Rebuildable data that nothing covers is rebuilt, not restored: how long that
                // takes is not in the code, and the rules do not judge it.
                verdict: if tier.is_some() && !(rebuildable && out.is_none()) {
                    scope_verdict(out, target)
                } else {
                    Verdict::NotEvaluated
                },
                target,
                rpo_seconds: out.and_then(|o| o.rpo_seconds),
                rpo_upper_bound_seconds: out.and_then(|o| o.rpo_upper_bound_seconds),
                rto_seconds: out.and_then(|o| o.rto_seconds),
                covered: out.is_some(),
                rpo_via: detail.as_ref().and_then(|d| evidence(d.rpo_via)),
                rto_via: detail
                    .as_ref()
                    .filter(|d| d.rto_via != d.rpo_via)
                    .and_then(|d| evidence(d.rto_via)),
            }
        })
        .collect();
    let verdict = if tier.is_none() {
        Verdict::NoTier
    } else if scopes.iter().any(|s| s.verdict.is_shortfall()) {
        Verdict::Missed
    } else if scopes.iter().any(|s| s.verdict == Verdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::Met
    };
    let findings = findings
        .iter()
        .map(|f| {
            let (file, region) = locate(scan, f.span);
            FindingRef {
                rule: f.rule.code.into(),
                name: f.rule.name.into(),
                level: f.level.as_str().into(),
                message: f.message.clone(),
                file: file.into(),
                line: region.start.line,
            }
        })
        .collect();
    let owner = scan
        .config
        .owners_of(workload)
        .and_then(|o| o.owner.clone())
        .or_else(|| tag_owner(r));
    ComponentReport {
        address: e.address,
        rtype: e.rtype,
        file: e.file,
        line: e.line,
        unit: e.evaluated_from,
        region: e.region,
        tier: e.tier,
        owner,
        verdict,
        scopes,
        unknowns: {
            let mut u = e.unresolved;
            if rebuildable {
                u.push("declared rebuildable (`rebuildable` in resilint.toml): a scope that nothing covers is recovered by rebuilding the data, and how long that takes is not in the code".into());
            }
            u
        },
        findings,
    }
}

/// The `owner` or `team` tag (label) of a resource, when known.
pub fn tag_owner(r: &Resource) -> Option<String> {
    ["owner", "team", "Owner", "Team"].iter().find_map(|k| {
        let tag = r.tags.get(k)?;
        tag.value.as_str().map(|s| s.into_owned())
    })
}

fn summarize(scan: &Scan, workloads: &[Workload]) -> Summary {
    let mut summary = Summary {
        scopes: SCOPES
            .iter()
            .map(|&s| ScopeSummary {
                scope: scope_name(s).into(),
                ..ScopeSummary::default()
            })
            .collect(),
        ..Summary::default()
    };
    let mut gaps = Vec::new();
    for w in workloads {
        for c in &w.components {
            summary.components += 1;
            match c.verdict {
                Verdict::Met => summary.meeting_tier += 1,
                Verdict::NoTier => summary.without_tier += 1,
                _ => {}
            }
            for (s, counts) in c.scopes.iter().zip(summary.scopes.iter_mut()) {
                match s.verdict {
                    Verdict::Met => counts.met += 1,
                    Verdict::Missed => counts.missed += 1,
                    Verdict::Unprotected => {
                        counts.missed += 1;
                        counts.unprotected += 1;
                    }
                    Verdict::Unknown => counts.unknown += 1,
                    Verdict::NotEvaluated | Verdict::NoTier => counts.not_evaluated += 1,
                }
                gaps.extend(scope_gaps(w, c, s));
            }
        }
    }
    gaps.sort_by(|a, b| {
        b.factor()
            .total_cmp(&a.factor())
            .then_with(|| a.address.cmp(&b.address))
    });
    gaps.truncate(WORST_GAPS);
    summary.worst_gaps = gaps;
    for f in shown(scan) {
        match f.level {
            Level::Error => summary.findings.error += 1,
            Level::Warning => summary.findings.warning += 1,
            Level::Note => summary.findings.note += 1,
        }
    }
    summary
}

/// The gaps of one scope: each measure whose known estimate exceeds its target, or both when
/// nothing covers the scope.
fn scope_gaps(w: &Workload, c: &ComponentReport, s: &ScopeReport) -> Vec<Gap> {
    let gap = |measure: &str, estimate: Option<u64>, target: u64| Gap {
        address: c.address.clone(),
        workload: w.name.clone(),
        scope: s.scope.clone(),
        measure: measure.into(),
        estimate_seconds: estimate,
        target_seconds: target,
    };
    let mut out = Vec::new();
    match s.verdict {
        Verdict::Unprotected => {
            if let Some(t) = s.target.rpo_seconds.or(s.target.rto_seconds) {
                let measure = if s.target.rpo_seconds.is_some() {
                    "rpo"
                } else {
                    "rto"
                };
                out.push(gap(measure, None, t));
            }
        }
        Verdict::Missed => {
            if let (Some(e), Some(t)) = (s.rpo_seconds, s.target.rpo_seconds)
                && e > t
            {
                out.push(gap("rpo", Some(e), t));
            }
            if let (Some(e), Some(t)) = (s.rto_seconds, s.target.rto_seconds)
                && e > t
            {
                out.push(gap("rto", Some(e), t));
            }
        }
        _ => {}
    }
    out
}

/// `3 of 5 components with a tier meet their tier's RPO and RTO targets in every scope.` (The tier's other
/// requirements, such as restore testing, show as open findings.)
pub fn headline(s: &Summary) -> String {
    let with_tier = s.components - s.without_tier;
    if s.components == 0 {
        return "No stateful resources found.".into();
    }
    if with_tier == 0 {
        return format!(
            "No component declares a tier ({} without one): nothing is checked against targets.",
            plural(s.components, "component")
        );
    }
    let mut text = format!(
        "{} of {} with a tier {} in every scope",
        s.meeting_tier,
        plural(with_tier, "component"),
        if s.meeting_tier == 1 {
            "meets its tier's RPO and RTO targets"
        } else {
            "meet their tier's RPO and RTO targets"
        },
    );
    if s.without_tier > 0 {
        text.push_str(&format!(
            "; {} no tier",
            match s.without_tier {
                1 => "1 component has".to_string(),
                n => format!("{n} components have"),
            }
        ));
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{example_scan, reproducible};

    fn out(rpo: Option<u64>, upper: Option<u64>, rto: Option<u64>) -> ScopeOut {
        ScopeOut {
            rpo_seconds: rpo,
            rto_seconds: rto,
            via: None,
            rto_via: None,
            rpo_upper_bound_seconds: upper,
            certain: true,
        }
    }

    #[test]
    fn verdicts_follow_the_targets() {
        let t = Target {
            rpo_seconds: Some(900),
            rto_seconds: Some(3600),
        };
        let none = Target::default();
        assert_eq!(scope_verdict(None, none), Verdict::NotEvaluated);
        assert_eq!(scope_verdict(None, t), Verdict::Unprotected);
        let met = out(Some(300), None, Some(600));
        assert_eq!(scope_verdict(Some(&met), t), Verdict::Met);
        let missed = out(Some(86_400), None, Some(600));
        assert_eq!(scope_verdict(Some(&missed), t), Verdict::Missed);
        let bounded = out(None, Some(600), Some(600));
        assert_eq!(scope_verdict(Some(&bounded), t), Verdict::Met);
        let unknown = out(None, None, Some(600));
        assert_eq!(scope_verdict(Some(&unknown), t), Verdict::Unknown);
        let mut uncertain = out(Some(300), None, Some(600));
        uncertain.certain = false;
        assert_eq!(scope_verdict(Some(&uncertain), t), Verdict::Unknown);
    }

    #[test]
    fn the_example_statement_counts_what_it_lists() {
        let scan = example_scan();
        let s = build(&scan, &reproducible());
        let listed: usize = s.workloads.iter().map(|w| w.components.len()).sum();
        assert_eq!(s.summary.components, listed);
        assert!(listed > 0);
        for (i, scope) in s.summary.scopes.iter().enumerate() {
            let total = scope.met + scope.missed + scope.unknown + scope.not_evaluated;
            assert_eq!(total, listed, "{}", scope.scope);
            let unprotected = s
                .workloads
                .iter()
                .flat_map(|w| &w.components)
                .filter(|c| c.scopes[i].verdict == Verdict::Unprotected)
                .count();
            assert_eq!(scope.unprotected, unprotected);
        }
        assert!(!s.summary.worst_gaps.is_empty());
        let factors: Vec<f64> = s.summary.worst_gaps.iter().map(Gap::factor).collect();
        assert!(factors.windows(2).all(|w| w[0] >= w[1]), "{factors:?}");
    }

    #[test]
    fn gaps_read_as_numbers() {
        let g = Gap {
            address: "a".into(),
            workload: "w".into(),
            scope: "logical".into(),
            measure: "rpo".into(),
            estimate_seconds: Some(86_400),
            target_seconds: 900,
        };
        assert_eq!(g.text(), "24h against 15m (96×)");
        let u = Gap {
            estimate_seconds: None,
            ..g
        };
        assert_eq!(u.text(), "unprotected (target 15m)");
        assert!(u.factor().is_infinite());
    }

    #[test]
    fn the_headline_reads_well_at_the_edges() {
        let mut s = Summary::default();
        assert_eq!(headline(&s), "No stateful resources found.");
        s.components = 3;
        s.without_tier = 3;
        assert!(headline(&s).starts_with("No component declares a tier (3 components"));
        s.without_tier = 1;
        s.meeting_tier = 1;
        assert_eq!(
            headline(&s),
            "1 of 2 components with a tier meets its tier's RPO and RTO targets in every scope; 1 component has no tier."
        );
    }
}
