//! RES008 retention-too-short: the longest backup retention is below the tier's minimum.

use crate::duration::format as dur;
use crate::evaluate::context::{ComponentContext, Verdict};
use crate::evaluate::{Facts, Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::Retention;
use crate::infer::estimate::{self, Assume};

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES008",
    name: "retention-too-short",
    summary: "Backups are not kept as long as the tier requires.",
    level: LevelSpec::Tier,
    tags: &["resilience", "backup", "retention"],
    doc: include_str!("../../../rules/docs/RES008-retention-too-short.md"),
};

/// Checks the longest retention.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    let Some(min) = cx.tier.min_retention else {
        return;
    };
    // Without backups RES003 reports the resource.
    if estimate::longest_retention(cx.component, Assume::Optimistic).is_none() {
        return;
    }
    let too_short = |a: Assume| match estimate::longest_retention(cx.component, a) {
        None => true,
        Some((None, _)) => false,
        Some((Some(secs), _)) => secs < min,
    };
    match cx.decide(too_short) {
        Verdict::Pass => {}
        Verdict::Undecided => undecided.push(Undecided {
            rule: &META,
            unknowns: cx.unknowns(|m| m.kind.is_backup(), false),
        }),
        Verdict::Violation => {
            let Some((Some(secs), i)) =
                estimate::longest_retention(cx.component, Assume::Pessimistic)
            else {
                return;
            };
            let m = cx.mechanism(i);
            // Point at the attribute that sets the retention when the resource declares it.
            let (mut span, mut related) = cx.locate(Some(m));
            if let Some(Retention::Known {
                span: rspan,
                implicit: None,
                ..
            }) = &m.retention
            {
                if m.origin == cx.primary.id {
                    span = *rspan;
                } else if let Some(r) = related.first_mut() {
                    r.span = *rspan;
                }
            }
            let default_note = match &m.retention {
                Some(Retention::Known {
                    implicit: Some(note),
                    ..
                }) => format!(" ({note})"),
                _ => String::new(),
            };
            out.push(Finding {
                facts: Facts {
                    estimate_seconds: Some(secs),
                    target_seconds: Some(min),
                    mechanism: Some(m.label.clone()),
                    ..cx.facts()
                },
                ..cx.finding(
                    &META,
                    format!(
                        "{} keeps backups for at most {}{default_note}; {} requires at least {}. The longest-kept backups are {}.",
                        cx.primary.address,
                        dur(secs),
                        cx.tier_phrase(),
                        dur(min),
                        cx.evidence(m),
                    ),
                    format!("retention {} < {}", dur(secs), dur(min)),
                    format!("keep backups for at least {}", dur(min)),
                    (span, related),
                )
            });
        }
    }
}
