//! RES014 not-modelled: a resource holds data that resilint does not estimate yet (a type the
//! knowledge base lists as not modelled, or a member of a resource that holds its data).

use crate::config::Level;
use crate::evaluate::{Finding, LevelSpec, RuleMeta};
use crate::infer::not_modelled::NotModelled;
use crate::model::Resource;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES014",
    name: "not-modelled",
    summary: "A resource holds data whose recovery resilint does not estimate yet.",
    level: LevelSpec::Fixed(Level::Note),
    tags: &["resilience", "coverage"],
    doc: include_str!("../../../rules/docs/RES014-not-modelled.md"),
};

/// The finding for a resource that is not estimated: a note, or a warning when it declares a
/// tier (its targets are then expected to be checked, and are not).
pub fn finding(r: &Resource, n: &NotModelled, declared_tier: Option<Option<String>>) -> Finding {
    let (level, consequence) = match declared_tier {
        Some(Some(t)) => (Level::Warning, format!("its tier `{t}` is not checked")),
        Some(None) => (
            Level::Warning,
            "the tier it declares is not checked".to_string(),
        ),
        None => (
            Level::Note,
            "nothing checks its backups, replicas or zones".to_string(),
        ),
    };
    let mut f = Finding::new(
        &META,
        format!(
            "{} ({}) holds data whose recovery resilint does not estimate yet{}; {consequence}.",
            r.address,
            n.what,
            n.member
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ),
        "not modelled",
        "check its recovery by hand until resilint models it, or suppress this note with a reason",
        r.span,
    )
    .about(r);
    f.level = level;
    f.key = "not-modelled".into();
    f
}
