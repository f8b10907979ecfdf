//! RES010 tier-unknown: a declared tier is not defined.

use crate::config::Level;
use crate::evaluate::tier::TierDecl;
use crate::evaluate::{Facts, Finding, Input, LevelSpec, RuleMeta};
use crate::model::Resource;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES010",
    name: "tier-unknown",
    summary: "A resource declares a tier that is not defined.",
    level: LevelSpec::Fixed(Level::Warning),
    tags: &["resilience", "classification"],
    doc: include_str!("../../../rules/docs/RES010-tier-unknown.md"),
};

/// The finding for a declaration naming an undefined tier.
pub fn finding(input: &Input<'_>, primary: &Resource, decl: &TierDecl) -> Finding {
    let declaring = input.model.get(decl.resource);
    let names = input.config.tier_names();
    let suggestion = names
        .iter()
        .min_by_key(|n| strsim(n, &decl.name))
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    Finding {
        rule: &META,
        level: Level::Warning,
        message: format!(
            "{} declares tier `{}`, which is not defined; its targets cannot be checked.",
            declaring.address, decl.name
        ),
        label: format!("unknown tier `{}`", decl.name),
        help: Some(format!(
            "{suggestion}defined tiers: {}; add `[tiers.{}]` to resilint.toml to define it",
            names.join(", "),
            decl.name
        )),
        span: decl.span.unwrap_or(declaring.span),
        resource: Some(primary.id),
        address: Some(primary.address.clone()),
        key: decl.name.clone(),
        related: Vec::new(),
        facts: Facts {
            tier: Some(decl.name.clone()),
            ..Facts::default()
        },
        suppression: None,
    }
}

/// Edit distance, for suggestions.
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
