//! Which findings a scan reports: a finding in a file that is not reported (a module outside the
//! scanned paths) moves to the `module` block that brings its resource in; inline suppressions
//! and a baseline hide what they cover; only findings in reported files stay (and, with
//! `--changed-since`, only those about changed files). A file that cannot be read or parsed is
//! reported wherever it is: the exit code counts it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::evaluate::{self, Finding, Related};
use crate::infer::Inference;
use crate::model::Model;
use crate::report;
use crate::source::{FileId, SourceMap, Span, normalize_path};
use crate::suppress::{self, baseline::Baseline};

/// What deciding needs.
pub struct Selection<'a> {
    /// The resources.
    pub model: &'a Model,
    /// The files.
    pub sources: &'a SourceMap,
    /// Components and mechanisms.
    pub inference: &'a Inference,
    /// Per file, whether its findings are reported.
    pub reported: &'a [bool],
    /// Findings accepted in a baseline are suppressed.
    pub baseline: Option<&'a Baseline>,
    /// The files changed since `--changed-since` (absolute, normalised).
    pub changed: Option<&'a HashSet<PathBuf>>,
    /// The base directory of reported paths.
    pub base: &'a Path,
    /// Today, for the `until` of inline suppressions.
    pub today: chrono::NaiveDate,
}

/// The findings to report, sorted, and how many baseline entries matched none (fixed since).
pub fn select(mut findings: Vec<Finding>, s: &Selection<'_>) -> (Vec<Finding>, usize) {
    let is_reported = |f: FileId| s.reported.get(f.0 as usize).copied().unwrap_or(true);
    for f in &mut findings {
        relocate(f, s.model, &is_reported);
    }
    suppress::apply_inline(&mut findings, s.model, s.sources, s.today);
    evaluate::sort(&mut findings, s.sources);
    let mut fixed = 0;
    if let Some(b) = s.baseline {
        let fingerprints: Vec<String> = findings
            .iter()
            .map(|f| report::fingerprint_of(s.model, s.sources, f))
            .collect();
        fixed = b.apply(&mut findings, &fingerprints);
    }
    findings.retain(|f| is_reported(f.span.file) || f.rule.code == evaluate::PARSE_ERROR);
    if let Some(changed) = s.changed {
        findings.retain(|f| f.rule.code == evaluate::PARSE_ERROR || about_changes(f, s, changed));
    }
    (findings, fixed)
}

/// Whether a finding is about a changed file: it is located there, its evidence is, or what
/// protects its resource is declared there (a change to a backup plan shows the findings of the
/// databases it covers).
fn about_changes(f: &Finding, s: &Selection<'_>, changed: &HashSet<PathBuf>) -> bool {
    let in_changed = |span: Span| {
        s.sources
            .get(span.file)
            .is_some_and(|file| changed.contains(&normalize_path(&s.base.join(&file.rel_path))))
    };
    let component = f.resource.and_then(|id| {
        let ci = s
            .inference
            .component_of
            .get(id.index())
            .copied()
            .flatten()?;
        s.inference.components.get(ci)
    });
    in_changed(f.span)
        || f.related.iter().any(|r| in_changed(r.span))
        || component.is_some_and(|c| {
            c.members().any(|id| in_changed(s.model.get(id).span))
                || c.mechanisms
                    .iter()
                    .any(|m| in_changed(m.span) || in_changed(s.model.get(m.origin).span))
                || c.disabled.iter().any(|d| in_changed(d.span))
                || c.restore_tests.iter().any(|t| in_changed(t.span))
        })
}

/// A finding located in a file that is not reported (a module outside the scanned paths, or in
/// `.terraform/modules`) points at the `module` block that brings the resource in, the
/// innermost one in a reported file; where the resource is declared becomes related evidence.
fn relocate(f: &mut Finding, model: &Model, is_reported: &dyn Fn(FileId) -> bool) {
    if is_reported(f.span.file) {
        return;
    }
    let Some(id) = f.resource else {
        // About no resource (a note from a module instance): at its innermost reported call.
        if let Some(call) = f.call_chain.iter().rev().find(|s| is_reported(s.file)) {
            f.related.insert(
                0,
                Related {
                    span: f.span,
                    message: "found in this module".into(),
                },
            );
            f.span = *call;
        }
        return;
    };
    let r = model.get(id);
    if let Some(call) = r.call_chain.iter().rev().find(|s| is_reported(s.file)) {
        // The call becomes the location: it is no longer related evidence.
        f.related.retain(|x| x.span != *call);
        f.related.insert(
            0,
            Related {
                span: f.span,
                message: format!("{} is declared in this module", r.address),
            },
        );
        f.span = *call;
    }
}
