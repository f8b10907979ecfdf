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
    let suggestion = nearest(&names, &decl.name)
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    let f = Finding::new(
        &META,
        format!(
            "{} declares tier `{}`, which is not defined; its targets cannot be checked.",
            declaring.address, decl.name
        ),
        format!("unknown tier `{}`", decl.name),
        format!(
            "{suggestion}defined tiers: {}; add `[tiers.{}]` to resilint.toml to define it",
            names.join(", "),
            decl.name
        ),
        decl.span.unwrap_or(declaring.span),
    );
    Finding {
        key: decl.name.clone(),
        facts: Facts {
            tier: Some(decl.name.clone()),
            ..Facts::default()
        },
        ..f.about(primary)
    }
}

/// The defined tier closest to a declared name, when it is close enough to be a misspelling:
/// at most max(2, a third of the name's length) edits away.
fn nearest<'a>(names: &[&'a str], declared: &str) -> Option<&'a str> {
    let limit = (declared.chars().count() / 3).max(2);
    names
        .iter()
        .map(|n| (strsim(n, declared), *n))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d <= limit)
        .map(|(_, n)| n)
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

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["mission-critical", "essential", "non-essential"];

    #[test]
    fn suggests_a_close_name_only() {
        assert_eq!(nearest(NAMES, "esential"), Some("essential"));
        assert_eq!(nearest(NAMES, "Essential"), Some("essential"));
        assert_eq!(nearest(NAMES, "mision-critcal"), Some("mission-critical"));
        assert_eq!(nearest(NAMES, "non-essentail"), Some("non-essential"));
        assert_eq!(nearest(NAMES, "xyzzy-unrelated"), None);
        assert_eq!(nearest(NAMES, "gold"), None);
        assert_eq!(nearest(&[], "essential"), None);
    }
}
