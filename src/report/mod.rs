//! Stage 7: report. One emitter per output format, each writing a finished [`Scan`].

pub mod explain_json;
pub mod explain_table;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use crate::config::Level;
use crate::evaluate::Finding;
use crate::model::Model;
use crate::scan::Scan;
use crate::source::SourceMap;

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

/// The one-line summary printed after human output.
pub fn summary_line(scan: &Scan) -> String {
    let c = Counts::of(&scan.findings);
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
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
    format!(
        "Scanned {}, {} ({} stateful): {}, {}, {}{hidden} in {:.2}s.",
        plural(scan.stats.files, "file"),
        plural(scan.stats.resources, "resource"),
        scan.stats.components,
        plural(c.error, "error"),
        plural(c.warning, "warning"),
        plural(c.note, "note"),
        scan.stats.elapsed.as_secs_f64()
    )
}
