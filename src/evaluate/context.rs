//! What a component rule sees, and the helpers rules share: verdicts under unknowns, evidence
//! text, locations.

use super::tier::{TierDecl, TierSource};
use super::{Facts, Finding, Input, Related, RuleMeta, Undecided};
use crate::config::Tier;
use crate::infer::estimate::{self, Assume, Scope, ScopeEstimate};
use crate::infer::{Certainty, Component, Disabled, Estimate, Mechanism, Retention};
use crate::model::Resource;
use crate::source::Span;

/// The outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The requirement is met whatever the unknown values are.
    Pass,
    /// It is violated whatever the unknown values are.
    Violation,
    /// It depends on unknown values.
    Undecided,
}

/// Which figure a target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Recovery point objective.
    Rpo,
    /// Recovery time objective.
    Rto,
}

/// A covered scope whose RPO or RTO is worse than the tier's target.
pub struct Exceeded<'a> {
    /// The scope.
    pub scope: Scope,
    /// The estimate, seconds.
    pub value: u64,
    /// The target, seconds.
    pub target: u64,
    /// The mechanism that gives the estimate.
    pub mechanism: &'a Mechanism,
}

/// A component under evaluation.
pub struct ComponentContext<'a> {
    /// Evaluation input.
    pub input: &'a Input<'a>,
    /// The component.
    pub component: &'a Component,
    /// Its primary resource.
    pub primary: &'a Resource,
    /// Its tier.
    pub tier: &'a Tier,
    /// Where the tier was declared.
    pub decl: &'a TierDecl,
    /// Whether the configuration declares its data rebuildable (`rebuildable`): it has no RPO.
    pub rebuildable: bool,
    /// Whether the configuration declares its restores tested (`restore-tested`).
    pub restore_tested: bool,
}

impl<'a> ComponentContext<'a> {
    /// A context.
    pub fn new(
        input: &'a Input<'a>,
        component: &'a Component,
        primary: &'a Resource,
        tier: &'a Tier,
        decl: &'a TierDecl,
    ) -> Self {
        ComponentContext {
            input,
            component,
            primary,
            rebuildable: false,
            restore_tested: false,
            tier,
            decl,
        }
    }

    /// Decides a check from whether it is violated under each assumption.
    pub fn decide(&self, violated: impl Fn(Assume) -> bool) -> Verdict {
        let pessimistic = violated(Assume::Pessimistic);
        if self.input.strict {
            return if pessimistic {
                Verdict::Violation
            } else {
                Verdict::Pass
            };
        }
        match (pessimistic, violated(Assume::Optimistic)) {
            (false, _) => Verdict::Pass,
            (true, true) => Verdict::Violation,
            (true, false) => Verdict::Undecided,
        }
    }

    /// The tier's target for a measure in a scope (`None`: not evaluated).
    pub fn target(&self, measure: Measure, scope: Scope) -> Option<u64> {
        let (rpo, rto) = self.tier.targets(scope);
        match measure {
            Measure::Rpo => rpo,
            Measure::Rto => rto,
        }
    }

    /// The covered scopes whose estimate exceeds the target, whatever the unknown values are;
    /// scopes where it depends on them are recorded as undecided for `rule`. Unprotected scopes
    /// are left to the rules that report them (RES003, RES004).
    pub fn exceeded(
        &self,
        rule: &'static RuleMeta,
        measure: Measure,
        undecided: &mut Vec<Undecided>,
    ) -> Vec<Exceeded<'a>> {
        let mut out = Vec::new();
        for scope in Scope::ALL {
            let Some(target) = self.target(measure, scope) else {
                continue;
            };
            if !self.estimate(scope, Assume::Pessimistic).covered() {
                continue;
            }
            let value = |a: Assume| {
                let e = self.estimate(scope, a);
                match measure {
                    Measure::Rpo => e.rpo,
                    Measure::Rto => e.rto,
                }
            };
            match self.decide(|a| value(a).is_none_or(|(v, _)| v > target)) {
                Verdict::Pass => {}
                Verdict::Undecided => undecided.push(Undecided {
                    rule,
                    unknowns: self.unknowns(
                        |m| estimate::covers(m, scope, &self.component.home, Assume::Optimistic),
                        scope == Scope::Region,
                    ),
                }),
                Verdict::Violation => {
                    if let Some((value, i)) = value(Assume::Pessimistic) {
                        out.push(Exceeded {
                            scope,
                            value,
                            target,
                            mechanism: self.mechanism(i),
                        });
                    }
                }
            }
        }
        out
    }

    /// The estimate of a scope.
    pub fn estimate(&self, scope: Scope, assume: Assume) -> ScopeEstimate {
        estimate::estimate(self.component, scope, assume)
    }

    /// A mechanism by index.
    pub fn mechanism(&self, i: usize) -> &'a Mechanism {
        &self.component.mechanisms[i]
    }

    /// Unknown values among the mechanisms selected by `relevant`: uncertain existence, unknown
    /// figures or retention ([`mechanism_unknowns`]), and with `regions` undecidable regions
    /// (when no mechanism has one, the resource's own region if it is unknown).
    pub fn unknowns(
        &self,
        relevant: impl Fn(&Mechanism) -> bool,
        regions: bool,
    ) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        for m in self.component.mechanisms.iter().filter(|m| relevant(m)) {
            out.extend(mechanism_unknowns(m).map(|(reason, span)| (reason.to_string(), span)));
            if regions && self.component.home.is_outside(&m.region).is_none() {
                let reason = m
                    .region
                    .unknown_reason()
                    .map(str::to_string)
                    .or_else(|| self.component.home.unknown_reason())
                    .unwrap_or_else(|| "the regions cannot be compared".into());
                out.push((reason, m.span));
            }
        }
        if regions
            && out.is_empty()
            && let Some(reason) = self.component.home.unknown_reason()
        {
            out.push((reason, self.primary.span));
        }
        out.sort_by(|a, b| (a.1.file, a.1.start, &a.0).cmp(&(b.1.file, b.1.start, &b.0)));
        out.dedup();
        out
    }

    /// `backup.tf:14`.
    pub fn at(&self, span: Span) -> String {
        self.input.sources.short_location(span)
    }

    /// `main.tf:17: `status = "Suspended"``: where a setting is and what is written there (the
    /// text only when it is one short line).
    pub fn at_quoted(&self, span: Span) -> String {
        let text = self
            .input
            .sources
            .get(span.file)
            .map(|f| f.snippet(span).trim())
            .filter(|t| !t.is_empty() && !t.contains('\n') && t.chars().count() <= 80);
        match text {
            Some(t) => format!("{}: `{t}`", self.at(span)),
            None => self.at(span),
        }
    }

    /// A sentence on replications written in the configuration that do not count (a filtered
    /// S3 replication rule copies part of the data only): ` The replication of part ... (main.tf:12)
    /// is not counted.`, or nothing.
    pub fn uncounted_replicas(&self) -> String {
        let parts: Vec<String> = self
            .component
            .primary_disabled()
            .filter(|d| d.kind == crate::knowledge::MechanismKind::Replica && d.implicit.is_none())
            .map(|d| format!("{} ({})", d.label, self.at(d.span)))
            .collect();
        match parts.as_slice() {
            [] => String::new(),
            [one] => format!(" Not counted: {one}."),
            many => format!(" Not counted: {}.", many.join("; ")),
        }
    }

    /// Evidence for a mechanism: `daily AWS Backup rule `daily` of aws_backup_plan.main (backup.tf:14)`.
    pub fn evidence(&self, m: &Mechanism) -> String {
        let mut s = match &m.cadence {
            Some(c) => format!("{c} {}", m.label),
            None => m.label.clone(),
        };
        s.push_str(&format!(" ({})", self.at(m.span)));
        if let Some(note) = &m.implicit {
            s.push_str(&format!(" [{note}]"));
        }
        s
    }

    /// The primary location for a finding decided by a mechanism: the attribute when the
    /// resource itself declares it, else the resource (the mechanism becomes related evidence).
    pub fn locate(&self, m: Option<&Mechanism>) -> (Span, Vec<Related>) {
        let mut related = Vec::new();
        let span = match m {
            Some(m) if m.origin == self.primary.id && m.implicit.is_none() => m.span,
            Some(m) => {
                related.push(Related {
                    span: m.span,
                    message: m.label.clone(),
                });
                self.primary.span
            }
            None => self.primary.span,
        };
        related.extend(self.tier_related());
        (span, related)
    }

    /// The primary location for a finding about a switched-off mechanism (`multi_az = false`):
    /// the setting when the configuration writes it, else the resource; with the tier
    /// declaration as evidence.
    pub fn locate_disabled(&self, disabled: Option<&Disabled>) -> (Span, Vec<Related>) {
        let span = match disabled {
            Some(d) if d.implicit.is_none() => d.span,
            _ => self.primary.span,
        };
        (span, self.tier_related().into_iter().collect())
    }

    /// The tier declaration as related evidence, when it has a location.
    pub fn tier_related(&self) -> Option<Related> {
        self.decl.span.map(|span| Related {
            span,
            message: format!("tier `{}` declared here", self.tier.name),
        })
    }

    /// `tier `essential``, with where it comes from when it is not a tag.
    pub fn tier_phrase(&self) -> String {
        match self.decl.source {
            TierSource::Tag if self.decl.from_default_tags => {
                let attribute = if self.cloud() == "gcp" {
                    "default_labels"
                } else {
                    "default_tags"
                };
                format!("tier `{}` (provider {attribute})", self.tier.name)
            }
            TierSource::Tag | TierSource::Metadata => format!("tier `{}`", self.tier.name),
            TierSource::Workload => format!("tier `{}` (workload mapping)", self.tier.name),
            TierSource::Default => format!("tier `{}` (default-tier)", self.tier.name),
        }
    }

    /// A finding of a tier-dependent rule about the primary resource, at the tier's level, at the
    /// location and with the evidence that [`Self::locate`] gives, and the tier in its facts.
    /// Callers add the key and other facts (starting from [`Self::facts`]).
    pub fn finding(
        &self,
        rule: &'static RuleMeta,
        message: String,
        label: impl Into<String>,
        help: impl Into<String>,
        (span, related): (Span, Vec<Related>),
    ) -> Finding {
        Finding {
            level: self.tier.level,
            related,
            facts: self.facts(),
            ..Finding::new(rule, message, label, help, span).about(self.primary)
        }
    }

    /// The facts every finding about the component has: its tier.
    pub fn facts(&self) -> Facts {
        Facts {
            tier: Some(self.tier.name.clone()),
            ..Facts::default()
        }
    }

    /// Labels of the backup mechanisms the knowledge base knows for the primary's type, for
    /// help texts (`automated backups (point-in-time recovery)`).
    pub fn backup_options(&self) -> Vec<String> {
        let kb = self.input.kb;
        let mut v: Vec<String> = kb
            .resource(&self.primary.rtype)
            .map(|s| {
                s.mechanism
                    .iter()
                    .filter(|m| m.def.kind.is_backup())
                    .map(|m| m.def.label.clone())
                    .collect()
            })
            .unwrap_or_default();
        if kb
            .family(&self.component.family)
            .is_some_and(|f| f.backup_type.is_some())
        {
            v.push("an AWS Backup plan that selects it".into());
        }
        v
    }

    /// What to change for a finding, in the family's own terms (`fix` in the knowledge base:
    /// `backup`, `offsite`, `region`, `zone`, `restore-test`), when it says.
    pub fn fix(&self, key: &str) -> Option<String> {
        self.input
            .kb
            .family(&self.component.family)
            .and_then(|f| f.fix.get(key).cloned())
    }

    /// The cloud of the component's family (`aws`, `azure`).
    pub fn cloud(&self) -> &str {
        self.input
            .kb
            .family(&self.component.family)
            .map(|f| f.cloud.as_str())
            .unwrap_or("aws")
    }

    /// Human name of the family (`RDS DB instance`).
    pub fn family_name(&self) -> String {
        self.input
            .kb
            .family(&self.component.family)
            .map(|f| f.name.clone())
            .unwrap_or_else(|| self.primary.rtype.clone())
    }
}

/// The values of a mechanism that cannot be determined, each with why and where: whether it
/// exists, its RPO and RTO figures, its retention.
pub fn mechanism_unknowns(m: &Mechanism) -> impl Iterator<Item = (&str, Span)> {
    let existence = match &m.certainty {
        Certainty::Uncertain { reason, span } => Some((reason.as_str(), *span)),
        Certainty::Certain => None,
    };
    let figures = [&m.rpo, &m.rto].into_iter().filter_map(|e| match e {
        Estimate::Unknown { reason, span, .. } => Some((reason.as_str(), *span)),
        _ => None,
    });
    let retention = match &m.retention {
        Some(Retention::Unknown { reason, span }) => Some((reason.as_str(), *span)),
        _ => None,
    };
    let zone = match &m.single_zone {
        Some(Certainty::Uncertain { reason, span }) => Some((reason.as_str(), *span)),
        _ => None,
    };
    existence
        .into_iter()
        .chain(figures)
        .chain(retention)
        .chain(zone)
}

/// Joins phrases with commas and a final "or".
pub fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} or {b}"),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::tier::TierDecl;
    use crate::infer::Home;
    use crate::model::region::Region;
    use crate::report::testutil::example_scan;

    #[test]
    fn an_unknown_home_region_is_what_decides_the_region_when_no_mechanism_says_more() {
        let scan = example_scan();
        let input = Input {
            model: &scan.model,
            sources: &scan.sources,
            kb: &scan.kb,
            config: &scan.config,
            inference: &scan.inference,
            parse_errors: &[],
            strict: false,
        };
        let mut c = scan.inference.components[0].clone();
        c.mechanisms.clear();
        c.home = Home::Single(Region::Unknown {
            reason: "the provider's region is a variable".into(),
        });
        let primary = scan.model.get(c.primary);
        let tier = scan.config.tiers[0].clone();
        let decl = TierDecl {
            name: tier.name.clone(),
            source: TierSource::Default,
            span: None,
            resource: primary.id,
            from_default_tags: false,
        };
        let cx = ComponentContext::new(&input, &c, primary, &tier, &decl);
        assert_eq!(
            cx.unknowns(|_| true, true),
            vec![(
                "the provider's region is a variable".to_string(),
                primary.span
            )]
        );
        assert_eq!(cx.unknowns(|_| true, false), vec![]);
    }
}
