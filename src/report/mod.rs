//! Stage 7: report. One emitter per output format, each writing a finished [`Scan`].

pub mod explain_json;
pub mod explain_table;
pub mod fleet;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod protectors;
pub mod runbook;
pub mod sarif;
pub mod statement;

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use crate::config::Level;
use crate::evaluate::Finding;
use crate::infer::Component;
use crate::model::{Model, Resource};
use crate::scan::Scan;
use crate::source::{Region, SourceMap, Span};

/// Options shared by the emitters.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Use ANSI colours (human output).
    pub color: bool,
    /// Omit the per-finding output and print only the summary (human output).
    pub quiet: bool,
    /// SARIF `automationDetails.id` category (default `resilint`).
    pub category: Option<String>,
    /// Leave run-specific values (times, absolute paths) out, for reproducible output.
    pub reproducible: bool,
    /// Show suppressed findings (human output).
    pub show_suppressed: bool,
}

/// An output format.
pub trait Emitter {
    /// Writes the scan.
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()>;
}

/// Counts of findings by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Notes.
    pub note: usize,
}

impl Counts {
    /// Counts the findings that are not suppressed.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings.iter().filter(|f| !f.is_suppressed()) {
            match f.level {
                Level::Error => c.error += 1,
                Level::Warning => c.warning += 1,
                Level::Note => c.note += 1,
            }
        }
        c
    }
}

/// A stable fingerprint of a finding: rule, unit (module directory or template), resource
/// address and the finding's key (scope, attribute path). Line numbers are not part of it, so it
/// survives code moving around.
pub fn fingerprint(scan: &Scan, f: &Finding) -> String {
    fingerprint_of(&scan.model, &scan.sources, f)
}

/// [`fingerprint`] from the model and the sources (before a [`Scan`] exists).
pub fn fingerprint_of(model: &Model, sources: &SourceMap, f: &Finding) -> String {
    let (unit, address) = match f.resource {
        Some(id) => {
            let r = model.get(id);
            (r.unit.as_str(), r.address.as_str())
        }
        None => (
            sources
                .get(f.span.file)
                .map(|s| s.rel_path.as_str())
                .unwrap_or(""),
            "",
        ),
    };
    let mut h = Sha256::new();
    for part in [f.rule.code, unit, address, f.key.as_str()] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The one-line summary printed after human output, with the scan's duration when `timing`.
pub fn summary_line(scan: &Scan, timing: bool) -> String {
    let c = Counts::of(&scan.findings);
    let suppressed = scan.findings.iter().filter(|f| f.is_suppressed()).count();
    let mut hidden = Vec::new();
    if suppressed > 0 {
        hidden.push(format!("{suppressed} suppressed"));
    }
    if scan.stats.baseline_fixed > 0 {
        hidden.push(format!(
            "{} baseline {} fixed",
            scan.stats.baseline_fixed,
            if scan.stats.baseline_fixed == 1 {
                "entry"
            } else {
                "entries"
            }
        ));
    }
    let hidden = if hidden.is_empty() {
        String::new()
    } else {
        format!(" ({})", hidden.join(", "))
    };
    let timing = if timing {
        format!(" in {:.2}s", scan.stats.elapsed.as_secs_f64())
    } else {
        String::new()
    };
    let not_modelled = match scan.stats.not_modelled {
        0 => String::new(),
        n => format!(", {n} not modelled"),
    };
    format!(
        "Scanned {}, {} ({} stateful{not_modelled}): {}, {}, {}{hidden}{timing}.",
        plural(scan.stats.files, "file"),
        plural(scan.stats.resources, "resource"),
        scan.stats.components,
        plural(c.error, "error"),
        plural(c.warning, "warning"),
        plural(c.note, "note"),
    )
}

/// The summary line as an emitter prints it: without the timing when the output must be
/// reproducible (it varies between runs).
pub fn summary(scan: &Scan, options: &ReportOptions) -> String {
    summary_line(scan, !options.reproducible)
}

/// The file (relative to the report base, `/`-separated) and 1-based region of a span; an empty
/// path and 1:1 when the file is not known.
pub fn locate(scan: &Scan, span: Span) -> (&str, Region) {
    match scan.sources.get(span.file) {
        Some(f) => (f.rel_path.as_str(), f.region(span)),
        None => {
            let p = crate::source::Position { line: 1, column: 1 };
            ("", Region { start: p, end: p })
        }
    }
}

/// The first sentence of a message: up to the first `. ` (a dot inside an address or a file
/// name is not followed by a space), else the whole message.
pub fn first_sentence(message: &str) -> &str {
    let message = message.trim();
    match message.find(". ") {
        Some(i) => &message[..=i],
        None => message,
    }
}

/// Escapes text for HTML (text content and double-quoted attribute values alike); control
/// characters are dropped.
pub fn html_escape(s: &str) -> String {
    junit::attr(s)
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The stateful resources, in model order, each with its component (primary and replicas
/// alike): the resources `resilint explain` lists.
pub fn stateful(scan: &Scan) -> impl Iterator<Item = (&Resource, &Component)> {
    scan.model.resources.iter().filter_map(|r| {
        let ci = scan
            .inference
            .component_of
            .get(r.id.index())
            .copied()
            .flatten()?;
        Some((r, scan.inference.components.get(ci)?))
    })
}

/// The findings that are shown: every finding that no suppression hides.
pub fn shown(scan: &Scan) -> impl Iterator<Item = &Finding> {
    scan.findings.iter().filter(|f| !f.is_suppressed())
}

#[cfg(test)]
pub(crate) mod testutil {
    //! A real scan of `testdata/examples` for the emitters' unit tests, and findings made from it.

    use std::path::PathBuf;

    use super::ReportOptions;
    use crate::config::Level;
    use crate::evaluate::{Finding, Suppression, SuppressionKind};
    use crate::knowledge::KnowledgeBase;
    use crate::scan::{self, Scan, ScanOptions};

    /// Options for output that is the same every run (no timing, no timestamp).
    pub fn reproducible() -> ReportOptions {
        ReportOptions {
            reproducible: true,
            ..ReportOptions::default()
        }
    }

    /// Scans `testdata/examples` (which has findings of every level).
    pub fn example_scan() -> Scan {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let options = ScanOptions {
            jobs: 1,
            ..ScanOptions::for_paths(
                vec![root.join("testdata/examples")],
                KnowledgeBase::builtin().expect("built-in knowledge base"),
            )
        };
        scan::run(options).expect("scan of the examples")
    }

    /// A finding of the scan with another level and message, and no help.
    pub fn finding_like(scan: &Scan, level: Level, message: &str) -> Finding {
        let mut f = scan.findings[0].clone();
        f.level = level;
        f.message = message.to_string();
        f.help = None;
        f.suppression = None;
        f
    }

    /// Replaces the scan's findings with `errors`, `warnings` and `notes` made-up findings
    /// (messages `error 0`, `warning 0`, ...), plus one suppressed error.
    pub fn with_counts(scan: &mut Scan, errors: usize, warnings: usize, notes: usize) {
        let mut out = Vec::new();
        for (level, n) in [
            (Level::Note, notes),
            (Level::Error, errors),
            (Level::Warning, warnings),
        ] {
            for i in 0..n {
                out.push(finding_like(
                    scan,
                    level,
                    &format!("{} {i}", level.as_str()),
                ));
            }
        }
        let mut hidden = finding_like(scan, Level::Error, "hidden by a baseline");
        hidden.suppression = Some(Suppression {
            kind: SuppressionKind::External,
            justification: "baseline".into(),
            span: None,
        });
        out.push(hidden);
        scan.findings = out;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::report::testutil::{example_scan, with_counts};

    #[test]
    fn the_summary_has_the_timing_unless_reproducible() {
        let mut scan = example_scan();
        with_counts(&mut scan, 1, 2, 0);
        scan.stats.elapsed = Duration::from_millis(12_345);
        let timed = summary(&scan, &ReportOptions::default());
        assert!(timed.ends_with(": 1 error, 2 warnings, 0 notes (1 suppressed) in 12.35s."));
        let reproducible = summary(&scan, &testutil::reproducible());
        assert!(reproducible.ends_with(": 1 error, 2 warnings, 0 notes (1 suppressed)."));
        assert!(!reproducible.contains(" in "), "{reproducible}");
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
    }

    #[test]
    fn stateful_resources_skip_a_component_that_is_not_there() {
        let mut scan = example_scan();
        let n = stateful(&scan).count();
        assert_eq!(n, scan.inference.component_of.iter().flatten().count());
        assert_eq!(explain_json::entries(&scan).len(), n);
        let Some(slot) = scan.inference.component_of.iter_mut().flatten().next() else {
            panic!("the examples have stateful resources");
        };
        *slot = usize::MAX;
        assert_eq!(stateful(&scan).count(), n - 1);
        assert_eq!(explain_json::entries(&scan).len(), n - 1);
        scan.inference.component_of.clear();
        assert_eq!(stateful(&scan).count(), 0);
    }
}
