//! Three-valued matching of selections (AWS Backup selections, restore-testing selections, DLM
//! target tags) against resources.

use super::Certainty;
use super::link::{Linker, Target, Want, arn_pattern_matches, tag_matches};
use crate::knowledge::KnowledgeBase;
use crate::model::node::{Kind, Node};
use crate::model::{Region, Resource};
use crate::source::Span;

/// Yes, no, or "depends on something unknown".
#[derive(Debug, Clone, PartialEq)]
pub enum Tri {
    /// Matches.
    Yes,
    /// Does not match.
    No,
    /// Cannot be decided.
    Maybe {
        /// Why.
        reason: String,
        /// The undeterminable expression.
        span: Span,
    },
}

impl std::ops::Not for Tri {
    type Output = Tri;

    /// Logical not (an undecided value stays undecided).
    fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            m => m,
        }
    }
}

impl Tri {
    /// From a boolean.
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    /// Logical or: yes wins, then maybe.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (m @ Tri::Maybe { .. }, _) | (_, m @ Tri::Maybe { .. }) => m,
            _ => Tri::No,
        }
    }

    /// Logical and: no wins, then maybe.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (m @ Tri::Maybe { .. }, _) | (_, m @ Tri::Maybe { .. }) => m,
            _ => Tri::Yes,
        }
    }

    /// As a certainty of inclusion: `None` for no.
    pub fn certainty(self) -> Option<Certainty> {
        match self {
            Tri::Yes => Some(Certainty::Certain),
            Tri::No => None,
            Tri::Maybe { reason, span } => Some(Certainty::Uncertain { reason, span }),
        }
    }
}

/// Whether a list entry (a reference, a name, an ARN or an ARN pattern) designates `r`.
pub fn entry_selects(
    linker: &Linker<'_>,
    kb: &KnowledgeBase,
    entry: &Node,
    r: &Resource,
    family: &str,
) -> Tri {
    // One of a few alternatives (a conditional whose condition is unknown): decided when they
    // all answer alike (both branches name Aurora clusters: neither is this table).
    let alternatives = entry.alternatives();
    if !alternatives.is_empty() {
        let answers: Vec<Tri> = alternatives
            .iter()
            .map(|a| match &a.kind {
                Kind::List(items) => items.iter().fold(Tri::No, |t, i| {
                    t.or(entry_selects(linker, kb, i, r, family))
                }),
                _ => entry_selects(linker, kb, a, r, family),
            })
            .collect();
        if answers.iter().all(|t| matches!(t, Tri::No)) {
            return Tri::No;
        }
        if answers.iter().all(|t| matches!(t, Tri::Yes)) {
            return Tri::Yes;
        }
        return Tri::Maybe {
            reason: entry
                .unknown_reason()
                .unwrap_or_else(|| "which resources it names is unknown".into()),
            span: entry.span,
        };
    }
    // Patterns with wildcards are matched against the resource's ARN template.
    if let Some(text) = entry.as_str()
        && text.contains('*')
    {
        let Some(template) = kb.family(family).and_then(|f| f.arn.clone()) else {
            return Tri::No;
        };
        let name = kb
            .resource(&r.rtype)
            .and_then(|s| {
                s.names
                    .iter()
                    .find_map(|n| r.attr(n).and_then(|v| v.as_str()))
            })
            .map(|s| s.into_owned());
        return match arn_pattern_matches(&text, &template, &r.region, name.as_deref()) {
            Some(b) => Tri::from_bool(b),
            None => Tri::Maybe {
                reason: format!(
                    "whether `{text}` matches {} cannot be decided (its name, region or account is unknown)",
                    r.address
                ),
                span: entry.span,
            },
        };
    }
    match linker.resolve(entry, Want::Family(family)) {
        Target::Found(ids) => Tri::from_bool(ids.contains(&r.id)),
        Target::External => Tri::No,
        Target::Unknown { reason, span } => Tri::Maybe { reason, span },
    }
}

/// The key of a tag condition: `aws:ResourceTag/team` → `team`.
pub fn tag_key(key: &str) -> &str {
    key.strip_prefix("aws:ResourceTag/").unwrap_or(key)
}

/// Whether `r` has tag `key` = `value` (`like`: with `*` wildcards); unknown keys or values in
/// the condition, or unknown tags on the resource, give `Maybe`.
pub fn tag_condition(key: &Node, value: &Node, r: &Resource, like: bool, span: Span) -> Tri {
    let (Some(k), Some(v)) = (key.as_str(), value.as_str()) else {
        let n = if key.as_str().is_none() { key } else { value };
        return Tri::Maybe {
            reason: n
                .unknown_reason()
                .unwrap_or_else(|| "a tag condition is not a string".into()),
            span: n.span,
        };
    };
    match tag_matches(r, tag_key(&k), &v, like) {
        Some(b) => Tri::from_bool(b),
        None => {
            let (reason, tspan) = r
                .tags
                .unknown_for(tag_key(&k))
                .cloned()
                .or_else(|| {
                    r.tags
                        .get(tag_key(&k))
                        .map(|t| (t.value.unknown_reason().unwrap_or_default(), t.span))
                })
                .unwrap_or_else(|| ("its tags are unknown".into(), span));
            Tri::Maybe {
                reason: format!("the tags of {} are unknown: {reason}", r.address),
                span: tspan,
            }
        }
    }
}

/// Whether a protector in `protector_region` can act on a resource in `region` (AWS Backup and
/// DLM act within their own region).
pub fn same_region(protector_region: &Region, region: &Region, what: &str, span: Span) -> Tri {
    match protector_region.same_as(region) {
        Some(b) => Tri::from_bool(b),
        None => Tri::Maybe {
            reason: format!(
                "{what} only acts in its own region, and whether that is the resource's region is unknown: {}",
                protector_region
                    .unknown_reason()
                    .or_else(|| region.unknown_reason())
                    .unwrap_or("the regions are not known")
            ),
            span,
        },
    }
}

/// Whether two CloudFormation resources belong to one stack and its nested stacks, which are
/// deployed to the parent's account (a StackSet's copies may go to other accounts: not these).
fn one_stack_tree(a: &Resource, b: &Resource) -> bool {
    let root = |r: &Resource| {
        (r.frontend == crate::model::Frontend::CloudFormation && r.stack_set.is_none())
            .then(|| r.call_chain.first().map_or(r.span.file, |s| s.file))
    };
    matches!((root(a), root(b)), (Some(x), Some(y)) if x == y)
}

/// Whether a protector (a backup plan, a DLM policy) can act on a resource: it must be in the
/// same region and, when they are declared in different root modules or templates, in the same
/// account, which is unknown unless the configuration says all scanned code deploys to one
/// account (`same_account`).
pub fn reaches(protector: &Resource, r: &Resource, what: &str, same_account: bool) -> Tri {
    same_region(&protector.region, &r.region, what, protector.span).and(one_account(
        protector,
        r,
        what,
        same_account,
    ))
}

/// Whether two resources are deployed to the same account: certainly when they are declared in
/// the same root module or template (or its nested stacks), or when the configuration says all
/// scanned code deploys to one account (`same_account`); unknown otherwise.
pub fn one_account(protector: &Resource, r: &Resource, what: &str, same_account: bool) -> Tri {
    if same_account || protector.unit == r.unit || one_stack_tree(protector, r) {
        return Tri::Yes;
    }
    Tri::Maybe {
        reason: format!(
            "{} ({what}) is declared in `{}` and {} in `{}`: whether both are deployed to the same account is unknown (set `same-account = true` in resilint.toml if they are)",
            protector.address, protector.unit, r.address, r.unit
        ),
        span: protector.span,
    }
}
