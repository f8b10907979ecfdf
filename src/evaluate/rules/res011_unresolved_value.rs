//! RES011 unresolved-value: a value that decides a verdict cannot be determined statically.

use crate::config::Level;
use crate::evaluate::context::ComponentContext;
use crate::evaluate::{Finding, LevelSpec, RuleMeta};
use crate::model::{ModelNote, Resource};
use crate::source::Span;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES011",
    name: "unresolved-value",
    summary: "A value that decides a verdict cannot be determined statically.",
    level: LevelSpec::Fixed(Level::Note),
    tags: &["resilience", "unresolved"],
    doc: include_str!("../../../rules/docs/RES011-unresolved-value.md"),
};

fn note(
    message: String,
    label: String,
    span: Span,
    resource: Option<&Resource>,
    key: String,
) -> Finding {
    let f = Finding {
        key,
        ..Finding::new(
            &META,
            message,
            label,
            "give the value statically (a variable default, a literal, --region), or run with --strict to treat it as absent",
            span,
        )
    };
    match resource {
        Some(r) => f.about(r),
        None => f,
    }
}

/// Checks of a component that an unknown value leaves undecided.
pub fn undecided(cx: &ComponentContext<'_>, reason: &str, span: Span, rules: &[&str]) -> Finding {
    let mut f = note(
        format!(
            "Cannot tell whether {} meets {} ({}): {}.",
            cx.primary.address,
            cx.tier_phrase(),
            rules.join(", "),
            reason.trim_end_matches('.')
        ),
        "unknown value".into(),
        span,
        Some(cx.primary),
        format!("{}:{reason}", rules.join(",")),
    );
    f.facts.tier = Some(cx.tier.name.clone());
    if span != cx.primary.span {
        f.related.push(crate::evaluate::Related {
            span: cx.primary.span,
            message: format!("{} is declared here", cx.primary.address),
        });
    }
    f
}

/// A component whose tier cannot be determined.
pub fn tier_unknown(primary: &Resource, reason: &str, span: Span) -> Finding {
    note(
        format!(
            "Cannot tell which tier applies to {}: {}.",
            primary.address,
            reason.trim_end_matches('.')
        ),
        "tier unknown".into(),
        span,
        Some(primary),
        format!("tier:{reason}"),
    )
}

/// Something the model could not evaluate (a module call, a cycle between locals).
pub fn model_note(n: &ModelNote) -> Finding {
    note(
        format!("{}.", n.message.trim_end_matches('.')),
        "not evaluated".into(),
        n.span,
        None,
        n.message.clone(),
    )
}
