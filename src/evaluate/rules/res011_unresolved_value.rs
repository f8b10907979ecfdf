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

/// Something the model could not evaluate (a cycle between locals, a variables file).
pub fn model_note(n: &ModelNote) -> Finding {
    let mut f = note(
        format!("{}.", n.message.trim_end_matches('.')),
        "not evaluated".into(),
        n.span,
        None,
        n.message.clone(),
    );
    f.call_chain = n.call_chain.clone();
    if let Some(help) = &n.help {
        f.help = Some(help.clone());
    }
    f
}

/// Most other calls of a module source listed as related locations.
const MAX_LISTED_CALLS: usize = 9;

/// Module calls of one source that are not evaluated for one reason: one finding at the first,
/// naming every call, with the fix that applies (`terraform init` for a module not installed).
pub fn modules_not_evaluated(notes: &[&ModelNote]) -> Finding {
    let Some(first) = notes.first() else {
        return Finding::new(&META, "", "", "", Span::default());
    };
    let Some(m) = &first.module else {
        return model_note(first);
    };
    let mut addresses: Vec<&str> = Vec::new();
    for n in notes {
        if let Some(a) = n.module.as_ref().map(|m| m.address.as_str())
            && !addresses.contains(&a)
        {
            addresses.push(a);
        }
    }
    // The fix goes in the help: the reason needs only say what is missing.
    let short;
    let why = if m.not_installed {
        short = format!("its source `{}` is not installed", m.source);
        short.as_str()
    } else {
        m.why.trim_end_matches('.')
    };
    let (one_kind, many_kind) = if m.terragrunt_unit {
        ("Terragrunt unit", "Terragrunt units")
    } else {
        ("Module", "module calls")
    };
    let message = match addresses.as_slice() {
        [one] => {
            format!("{one_kind} `{one}` is not evaluated: {why}; its resources are not checked.")
        }
        many => {
            let shown: Vec<String> = many.iter().take(3).map(|a| format!("`{a}`")).collect();
            let more = match many.len().saturating_sub(3) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!(
                "{} {many_kind} are not evaluated ({}{more}): {why}; their resources are not checked.",
                many.len(),
                shown.join(", ")
            )
        }
    };
    let help = if let Some(help) = &first.help {
        help.as_str()
    } else if m.not_installed {
        "run `terraform init` in the root module, so that .terraform/modules holds the module (resilint reads installed modules and never downloads any)"
    } else if m.why.contains("outside the scanned tree") {
        "scan a directory that holds both the caller and the module (the repository root, say), or run resilint inside the git work tree that holds them"
    } else {
        "give the module a local `source`, or install it with `terraform init`"
    };
    let mut f = Finding::new(&META, message, "not evaluated", help, first.span);
    f.key = format!("module:{}:{why}", m.source);
    f.address = Some(m.address.clone());
    f.call_chain = first.call_chain.clone();
    let mut seen = vec![first.span];
    for n in notes.iter().skip(1) {
        if seen.contains(&n.span) || f.related.len() >= MAX_LISTED_CALLS {
            continue;
        }
        seen.push(n.span);
        f.related.push(crate::evaluate::Related {
            span: n.span,
            message: format!(
                "also called here ({})",
                n.module.as_ref().map(|m| m.address.as_str()).unwrap_or("")
            ),
        });
    }
    f
}
