//! Findings as plain JSON, for scripts.

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, Emitter, ReportOptions, fingerprint, locate};
use crate::scan::Scan;
use crate::source::Span;

/// The JSON emitter.
pub struct Json;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    /// What the run has to say besides findings; a run that failed has one `error` notice.
    notices: &'a [crate::notice::Notice],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    resources: usize,
    stateful: usize,
    not_modelled: usize,
    counts: Counts,
    /// Findings hidden by an inline suppression or a baseline.
    suppressed: usize,
    parse_errors: usize,
}

#[derive(Serialize)]
struct Position {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct JsonRelated {
    #[serde(flatten)]
    position: Position,
    message: String,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    rule: &'static str,
    level: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(flatten)]
    position: Position,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_type: Option<&'a str>,
    fingerprint: String,
    #[serde(flatten)]
    facts: &'a crate::evaluate::Facts,
    related: Vec<JsonRelated>,
    /// Present on suppressed findings (listed only with `--show-suppressed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression>,
}

#[derive(Serialize)]
struct JsonSuppression {
    kind: &'static str,
    justification: String,
}

fn position(scan: &Scan, span: Span) -> Position {
    let (file, r) = locate(scan, span);
    Position {
        file: file.to_string(),
        line: r.start.line,
        column: r.start.column,
        end_line: r.end.line,
        end_column: r.end.column,
    }
}

impl Emitter for Json {
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let findings = scan
            .findings
            .iter()
            .filter(|f| options.show_suppressed || !f.is_suppressed())
            .map(|f| JsonFinding {
                code: f.rule.code,
                rule: f.rule.name,
                level: f.level.as_str(),
                message: &f.message,
                help: f.help.as_deref(),
                position: position(scan, f.span),
                resource: f.address.as_deref(),
                resource_type: f.resource.map(|id| scan.model.get(id).rtype.as_str()),
                fingerprint: fingerprint(scan, f),
                facts: &f.facts,
                related: f
                    .related
                    .iter()
                    .map(|r| JsonRelated {
                        position: position(scan, r.span),
                        message: r.message.clone(),
                    })
                    .collect(),
                suppression: f.suppression.as_ref().map(|s| JsonSuppression {
                    kind: super::sarif::suppression_kind(s.kind),
                    justification: s.justification.clone(),
                }),
            })
            .collect();
        let output = Output {
            version: 1,
            findings,
            notices: &scan.notices,
            summary: Summary {
                files: scan.stats.files,
                resources: scan.stats.resources,
                stateful: scan.stats.components,
                not_modelled: scan.stats.not_modelled,
                counts: Counts::of(&scan.findings),
                suppressed: scan.findings.iter().filter(|f| f.is_suppressed()).count(),
                parse_errors: scan.parse_errors.len(),
            },
        };
        serde_json::to_writer_pretty(&mut *out, &output)?;
        writeln!(out)
    }
}
