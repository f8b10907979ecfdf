//! Stage 6: evaluate components against their tiers and produce findings.
//!
//! Each rule lives in its own file under `rules/` with its metadata; its documentation is a
//! Markdown file under the repository's `rules/docs/`. Component rules report a verdict only when
//! it holds whatever the unknown values are (see [`crate::infer::estimate`]); when the verdict
//! depends on an unknown value they record it, and the driver reports RES011 once per unknown.

pub mod context;
pub mod rules;
pub mod tier;

use crate::config::{Config, Level};
use crate::infer::{Inference, Scope};
use crate::knowledge::KnowledgeBase;
use crate::model::{Model, Resource, ResourceId};
use crate::parse::ParseError;
use crate::source::{SourceMap, Span};

pub use context::ComponentContext;
pub use rules::{RULES, rule};

/// The code of the rule for files that cannot be read or parsed (RES000): its findings are
/// reported wherever the file is, since they decide the exit code.
pub const PARSE_ERROR: &str = "RES000";
use tier::{TierResolution, TierResolver};

/// How a rule's level is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSpec {
    /// Always this level.
    Fixed(Level),
    /// The level configured for the resource's tier.
    Tier,
}

/// A rule's metadata.
#[derive(Debug)]
pub struct RuleMeta {
    /// `RES001`.
    pub code: &'static str,
    /// `rpo-exceeds-target`.
    pub name: &'static str,
    /// One sentence: what it reports.
    pub summary: &'static str,
    /// How the level is decided.
    pub level: LevelSpec,
    /// Tags for SARIF consumers.
    pub tags: &'static [&'static str],
    /// Full documentation (Markdown): what it checks, why it matters, an example, how to fix.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The default level (for tier-dependent rules, the level of the default `essential` tier).
    pub fn default_level(&self) -> Level {
        match self.level {
            LevelSpec::Fixed(l) => l,
            LevelSpec::Tier => Level::Warning,
        }
    }

    /// Where its documentation is published (`…/blob/main/rules/docs/RES001-rpo-exceeds-target.md`).
    pub fn doc_url(&self) -> String {
        format!(
            "{}/blob/main/rules/docs/{}-{}.md",
            crate::report::sarif::INFORMATION_URI,
            self.code,
            self.name
        )
    }

    /// The first paragraph of the documentation after its title: the full description.
    pub fn description(&self) -> String {
        let mut lines = self
            .doc
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty());
        let mut out = Vec::new();
        for l in lines.by_ref() {
            if l.trim().is_empty() || l.starts_with('#') {
                break;
            }
            out.push(l.trim());
        }
        out.join(" ")
    }
}

/// A location that supports a finding (the backup plan, the tier declaration).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// Where.
    pub span: Span,
    /// What it is.
    pub message: String,
}

/// Numbers behind a finding, for machine-readable output.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Facts {
    /// The tier that applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// The scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// The estimate, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate_seconds: Option<u64>,
    /// The target, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_seconds: Option<u64>,
    /// The mechanism that gives the estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    /// Set when the resource may not exist (an unknown `count` or condition): why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub may_not_exist: Option<String>,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static RuleMeta,
    /// Its level.
    pub level: Level,
    /// The message: first sentence states the problem, then the estimate, target and evidence.
    pub message: String,
    /// A short label for the code frame.
    pub label: String,
    /// What to change.
    pub help: Option<String>,
    /// The primary location: the deciding attribute, else the resource.
    pub span: Span,
    /// The resource concerned.
    pub resource: Option<ResourceId>,
    /// Its address.
    pub address: Option<String>,
    /// A stable key within the resource (scope, attribute path), for fingerprints.
    pub key: String,
    /// Evidence.
    pub related: Vec<Related>,
    /// Numbers.
    pub facts: Facts,
    /// Set when an inline suppression or a baseline hides the finding: it stays in SARIF (with
    /// `suppressions`) and out of every other output and of the exit code.
    pub suppression: Option<Suppression>,
    /// For a finding about no resource, found in a module instance: the `module` blocks from the
    /// root down that bring it in (it is reported at the innermost one in the scanned files).
    pub call_chain: Vec<Span>,
}

impl Finding {
    /// A finding of `rule` at the rule's default level, about no resource, with no key, evidence
    /// or facts: callers set what else they know.
    pub fn new(
        rule: &'static RuleMeta,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
        span: Span,
    ) -> Finding {
        Finding {
            rule,
            level: rule.default_level(),
            message: message.into(),
            label: label.into(),
            help: Some(help.into()),
            span,
            resource: None,
            address: None,
            key: String::new(),
            related: Vec::new(),
            facts: Facts::default(),
            suppression: None,
            call_chain: Vec::new(),
        }
    }

    /// The finding, about a resource.
    pub fn about(self, r: &Resource) -> Finding {
        Finding {
            resource: Some(r.id),
            address: Some(r.address.clone()),
            ..self
        }
    }

    /// Whether a suppression hides the finding.
    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }
}

/// Why a finding is hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// Inline (a comment or CloudFormation metadata) or external (a baseline file).
    pub kind: SuppressionKind,
    /// The reason given (inline), or which baseline.
    pub justification: String,
    /// Where an inline suppression is written.
    pub span: Option<Span>,
}

/// Where a suppression comes from (SARIF `suppression.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// In the scanned source.
    InSource,
    /// Outside it: a baseline.
    External,
}

/// Everything evaluation needs.
pub struct Input<'a> {
    /// The model.
    pub model: &'a Model,
    /// Source files.
    pub sources: &'a SourceMap,
    /// The knowledge base.
    pub kb: &'a KnowledgeBase,
    /// The configuration.
    pub config: &'a Config,
    /// Inference results.
    pub inference: &'a Inference,
    /// Files that could not be read or parsed.
    pub parse_errors: &'a [ParseError],
    /// Treat unknown values as absent.
    pub strict: bool,
}

/// A check whose verdict depends on unknown values (reported as RES011).
#[derive(Debug, Clone)]
pub struct Undecided {
    /// The rule that could not decide.
    pub rule: &'static RuleMeta,
    /// What is unknown, and where.
    pub unknowns: Vec<(String, Span)>,
}

/// Evaluates every component and file and returns the findings, in evaluation order: the scan
/// sorts them with [`sort`] once the suppression findings (RES012, RES013) are added.
pub fn evaluate(input: &Input<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for e in input.parse_errors {
        findings.push(rules::res000_parse_error::finding(e));
    }
    let resolver = TierResolver::new(input.config).strict(input.strict);
    for c in &input.inference.components {
        let primary = input.model.get(c.primary);
        let (resolution, undefined) = resolver.resolve(input.model, input.sources, c);
        for decl in &undefined {
            findings.push(rules::res010_tier_unknown::finding(input, primary, decl));
        }
        match resolution {
            TierResolution::Resolved { decl, tier } => {
                let rebuildable = resolver.is_rebuildable(primary);
                let tier = if rebuildable {
                    tier.without_recovery_point()
                } else {
                    tier
                };
                let mut cx = ComponentContext::new(input, c, primary, &tier, &decl);
                cx.rebuildable = rebuildable;
                cx.restore_tested = resolver.is_restore_tested(primary);
                let mut undecided = Vec::new();
                rules::check_component(&cx, &mut findings, &mut undecided);
                findings.extend(unresolved_findings(&cx, undecided));
            }
            TierResolution::Missing => {
                findings.push(rules::res009_tier_missing::finding(input, primary))
            }
            TierResolution::Undefined => {}
            TierResolution::Unknown { reason, span } => findings.push(
                rules::res011_unresolved_value::tier_unknown(primary, &reason, span),
            ),
        }
    }
    rules::res016_framework_control::check(input, &mut findings);
    for n in &input.inference.not_modelled {
        let r = input.model.get(n.resource);
        let tier = resolver.declared_tier(r, input.sources);
        findings.push(rules::res014_not_modelled::finding(r, n, tier));
    }
    // Modules not evaluated: one finding per source and reason, naming every call.
    let mut modules: Vec<(&str, &str, Vec<&crate::model::ModelNote>)> = Vec::new();
    for note in &input.model.notes {
        match &note.module {
            Some(m) => match modules
                .iter_mut()
                .find(|(s, w, _)| *s == m.source && *w == m.why)
            {
                Some((_, _, group)) => group.push(note),
                None => modules.push((&m.source, &m.why, vec![note])),
            },
            None => findings.push(rules::res011_unresolved_value::model_note(note)),
        }
    }
    for (_, _, group) in &modules {
        findings.push(rules::res011_unresolved_value::modules_not_evaluated(group));
    }
    for f in &mut findings {
        annotate(f, input.model, input.sources);
    }
    findings
}

/// What every finding about a resource says of it: that it may not exist (its `count` or
/// condition is unknown), and which `module` block creates it, when a module does.
fn annotate(f: &mut Finding, model: &Model, sources: &SourceMap) {
    let Some(id) = f.resource else {
        return;
    };
    let r = model.get(id);
    if let Some(reason) = &r.existence_unknown {
        f.message = format!(
            "{} {} may not exist: {}.",
            f.message.trim_end(),
            r.address,
            reason.trim_end_matches('.')
        );
        f.facts.may_not_exist = Some(reason.clone());
    }
    if let Some(call) = r.call_chain.last()
        && !f.related.iter().any(|x| x.span == *call)
    {
        let message = match r.frontend {
            // A nested CloudFormation stack: the parent's `AWS::CloudFormation::Stack`.
            crate::model::Frontend::CloudFormation => {
                format!("{} is created through this nested stack", r.address)
            }
            // A Terragrunt unit's module: the unit's `terragrunt.hcl`.
            _ if sources
                .get(call.file)
                .is_some_and(|s| s.rel_path.ends_with("terragrunt.hcl")) =>
            {
                format!(
                    "{} is created through the Terragrunt unit `{}`",
                    r.address, r.unit
                )
            }
            _ => {
                let module = r
                    .address
                    .rsplit_once(&format!(".{}.", r.rtype))
                    .map(|(m, _)| m)
                    .unwrap_or("the module");
                format!("{} is created through `{module}`", r.address)
            }
        };
        f.related.push(Related {
            span: *call,
            message,
        });
    }
}

/// Sorts findings by file path, position, rule and key: the same order every run.
pub fn sort(findings: &mut [Finding], sources: &SourceMap) {
    let path = |f: crate::source::FileId| sources.get(f).map(|s| s.rel_path.as_str()).unwrap_or("");
    findings.sort_by(|a, b| {
        (
            path(a.span.file),
            a.span.start,
            a.rule.code,
            &a.key,
            &a.address,
        )
            .cmp(&(
                path(b.span.file),
                b.span.start,
                b.rule.code,
                &b.key,
                &b.address,
            ))
    });
}

/// Groups undecided checks by unknown value: one RES011 per distinct reason, at the first place
/// it was found, naming the checks it blocks. The same expression seen through several
/// mechanisms (a retention that also decides whether backups are on) gives one finding.
fn unresolved_findings(cx: &ComponentContext<'_>, undecided: Vec<Undecided>) -> Vec<Finding> {
    // (span, reason) -> rules; a later entry with the same span keeps the shortest reason.
    let mut groups: Vec<(Span, String, Vec<&'static str>)> = Vec::new();
    for u in undecided {
        let unknowns = if u.unknowns.is_empty() {
            vec![(
                "a value that decides it cannot be determined".to_string(),
                cx.primary.span,
            )]
        } else {
            u.unknowns
        };
        for (reason, span) in unknowns {
            let existing = groups
                .iter_mut()
                .find(|(s, r, _)| *r == reason || *s == span);
            match existing {
                Some((_, r, rules)) => {
                    if reason.len() < r.len() {
                        *r = reason;
                    }
                    if !rules.contains(&u.rule.name) {
                        rules.push(u.rule.name);
                    }
                }
                None => groups.push((span, reason, vec![u.rule.name])),
            }
        }
    }
    groups
        .into_iter()
        .map(|(span, reason, rules)| {
            rules::res011_unresolved_value::undecided(cx, &reason, span, &rules)
        })
        .collect()
}
