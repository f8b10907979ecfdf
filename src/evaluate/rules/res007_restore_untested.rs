//! RES007 restore-untested: the tier requires restore testing and no restore-testing plan
//! covers the resource.

use crate::evaluate::context::{ComponentContext, Verdict};
use crate::evaluate::{Finding, LevelSpec, RuleMeta, Undecided};
use crate::infer::Certainty;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES007",
    name: "restore-untested",
    summary: "The tier requires restore testing and no restore-testing plan covers the resource.",
    level: LevelSpec::Tier,
    tags: &["resilience", "reliability", "backup", "testing"],
    doc: include_str!("../../../rules/docs/RES007-restore-untested.md"),
};

/// Checks for a restore-testing plan.
pub fn check(cx: &ComponentContext<'_>, out: &mut Vec<Finding>, undecided: &mut Vec<Undecided>) {
    if !cx.tier.restore_testing || cx.restore_tested {
        return;
    }
    let tests = &cx.component.restore_tests;
    let verdict = cx.decide(|a| {
        !tests
            .iter()
            .any(|t| t.certainty.is_certain() || a == crate::infer::Assume::Optimistic)
    });
    match verdict {
        Verdict::Pass => {}
        Verdict::Undecided => undecided.push(Undecided {
            rule: &META,
            unknowns: tests
                .iter()
                .filter_map(|t| match &t.certainty {
                    Certainty::Uncertain { reason, span } => Some((reason.clone(), *span)),
                    Certainty::Certain => None,
                })
                .collect(),
        }),
        Verdict::Violation if cx.cloud() != "aws" => {
            let cloud = match cx.cloud() {
                "azure" => "Azure",
                "gcp" => "Google Cloud",
                other => other,
            };
            out.push(cx.finding(
                &META,
                format!(
                    "Nothing shows that restores of {} are tested; {} requires restores to be tested regularly, and {cloud} has no restore-testing resource that code can declare.",
                    cx.primary.address,
                    cx.tier_phrase()
                ),
                "restores are never shown to be tested",
                cx.fix("restore-test").unwrap_or_else(|| format!(
                    "test restores outside the code (a restore drill), then declare it: add `{}` to `restore-tested` in resilint.toml",
                    cx.primary.address
                )),
                cx.locate(None),
            ));
        }
        Verdict::Violation => {
            let backup_type = cx
                .input
                .kb
                .family(&cx.component.family)
                .and_then(|f| f.backup_type.clone())
                .unwrap_or_else(|| "its resource type".into());
            out.push(cx.finding(
                &META,
                format!(
                    "No restore-testing plan covers {}; {} requires restores to be tested regularly.",
                    cx.primary.address,
                    cx.tier_phrase()
                ),
                "restores are never tested",
                format!(
                    "add an AWS Backup restore-testing plan and a restore-testing selection for protected resource type `{backup_type}` that includes it"
                ),
                cx.locate(None),
            ));
        }
    }
}
