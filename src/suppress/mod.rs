//! Stage 6b: suppressions, between evaluate and report. Inline suppressions (comments and
//! CloudFormation metadata) and baselines hide findings, which stay in SARIF with a
//! `suppressions` entry and leave every other output and the exit code. Expired suppressions
//! (RES012) and suppressions that hide nothing or are malformed (RES013) become findings.

pub mod baseline;
pub mod comments;
pub mod inline;

use chrono::NaiveDate;

use crate::evaluate::rules::{res012_suppression_expired, res013_suppression_unused};
use crate::evaluate::{Finding, Suppression, SuppressionKind};
use std::collections::HashMap;

use crate::model::{Model, ResourceId};
use crate::source::{FileId, SourceMap, Span};
use inline::{Directive, Target};

/// Applies the inline suppressions of the scanned files to `findings` (all of them, before any
/// filtering, so that "unused" means unused) and adds RES012/RES013 findings.
pub fn apply_inline(
    findings: &mut Vec<Finding>,
    model: &Model,
    sources: &SourceMap,
    today: NaiveDate,
) {
    let directives = inline::collect(model, sources);
    let index = Places::new(findings, model);
    let mut extra = Vec::new();
    for d in &directives {
        let key = directive_key(d, model);
        if !d.problems.is_empty() {
            let f = res013_suppression_unused::malformed(d.span, &d.problems, key);
            extra.push(with_target(f, d, model));
            continue;
        }
        let reason = d.reason.clone().unwrap_or_default();
        if let Some(until) = d.until.filter(|u| *u < today) {
            let f =
                res012_suppression_expired::finding(d.span, &d.rule_list(), until, &reason, key);
            extra.push(with_target(f, d, model));
            continue;
        }
        let mut used = false;
        for i in index.candidates(d, sources) {
            let Some(f) = findings.get_mut(i) else {
                continue;
            };
            if f.is_suppressed() || !d.rules.iter().any(|r| std::ptr::eq(*r, f.rule)) {
                continue;
            }
            if applies(d, f, model, sources) {
                used = true;
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification: reason.clone(),
                    span: Some(d.span),
                });
            }
        }
        if !used {
            let f = res013_suppression_unused::unused(
                d.span,
                &d.rule_list(),
                &target_name(d, model),
                key,
            );
            extra.push(with_target(f, d, model));
        }
    }
    findings.extend(extra);
}

/// Where the findings are, so that each suppression looks only at the findings it may cover
/// rather than at all of them (a file with a suppression per resource made that quadratic).
struct Places {
    /// Per file, the start offsets of the spans a `Lines` target is matched against (the
    /// finding's, its resource's and its module calls'), with the finding's index, sorted.
    by_file: HashMap<FileId, Vec<(u32, usize)>>,
    /// The findings about each resource.
    by_resource: HashMap<ResourceId, Vec<usize>>,
}

impl Places {
    fn new(findings: &[Finding], model: &Model) -> Places {
        let mut by_file: HashMap<FileId, Vec<(u32, usize)>> = HashMap::new();
        let mut by_resource: HashMap<ResourceId, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            let mut place = |s: Span| by_file.entry(s.file).or_default().push((s.start, i));
            place(f.span);
            if let Some(id) = f.resource {
                by_resource.entry(id).or_default().push(i);
                let r = model.get(id);
                place(r.span);
                r.call_chain.iter().for_each(|s| place(*s));
            }
        }
        for places in by_file.values_mut() {
            places.sort_unstable();
        }
        Places {
            by_file,
            by_resource,
        }
    }

    /// The findings a directive may cover, in finding order, each once.
    fn candidates(&self, d: &Directive, sources: &SourceMap) -> Vec<usize> {
        let mut out: Vec<usize> = match &d.target {
            Target::Nothing => Vec::new(),
            Target::Resource(id) => self.by_resource.get(id).cloned().unwrap_or_default(),
            Target::Lines {
                file, first, last, ..
            } => {
                let (Some(places), Some(src)) = (self.by_file.get(file), sources.get(*file)) else {
                    return Vec::new();
                };
                let bytes = src.lines_bytes(*first, *last);
                let from = places.partition_point(|(at, _)| (*at as usize) < bytes.start);
                let to = places.partition_point(|(at, _)| (*at as usize) < bytes.end);
                places
                    .get(from..to)
                    .unwrap_or_default()
                    .iter()
                    .map(|(_, i)| *i)
                    .collect()
            }
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Names the block a RES012/RES013 finding is about, as its resource address.
fn with_target(mut f: Finding, d: &Directive, model: &Model) -> Finding {
    if !matches!(d.target, Target::Nothing) {
        f.address = Some(target_name(d, model));
    }
    f
}

/// Whether a suppression covers a finding: the finding is located in the block, or is about a
/// resource declared in it or brought in by a module block in it.
fn applies(d: &Directive, f: &Finding, model: &Model, sources: &SourceMap) -> bool {
    match &d.target {
        Target::Nothing => false,
        Target::Resource(id) => f.resource == Some(*id),
        Target::Lines {
            file, first, last, ..
        } => {
            let inside = |s: Span| {
                s.file == *file
                    && sources
                        .get(s.file)
                        .map(|src| src.position(s.start).line)
                        .is_some_and(|l| *first <= l && l <= *last)
            };
            inside(f.span)
                || f.resource.is_some_and(|id| {
                    let r = model.get(id);
                    inside(r.span) || r.call_chain.iter().any(|s| inside(*s))
                })
        }
    }
}

fn target_name(d: &Directive, model: &Model) -> String {
    match &d.target {
        Target::Lines { name, .. } => name.clone(),
        Target::Resource(id) => model.get(*id).address.clone(),
        Target::Nothing => "anything".into(),
    }
}

/// A key for the fingerprint of a RES012/RES013 finding: the rules and the target, not lines.
fn directive_key(d: &Directive, model: &Model) -> String {
    format!("suppression:{}:{}", d.rule_list(), target_name(d, model))
}
