//! Baselines: the findings a team accepts when adopting resilint on a large repository.
//! `--write-baseline FILE` records them; `--baseline FILE` hides them, so only new findings
//! are reported. Findings are matched by fingerprint (rule, module or template, resource
//! address and the attribute path or scope), never by line, so moving code keeps them matched.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::evaluate::{Finding, Suppression, SuppressionKind};

/// A baseline file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// The accepted findings.
    pub findings: Vec<Entry>,
    /// The file it was read from, for justifications.
    #[serde(skip)]
    pub path: String,
}

/// One accepted finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The file it was reported in (for people reading the baseline; not matched).
    pub file: String,
    /// Rule code.
    pub rule: String,
    /// Resource address, if any (for people; not matched).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The finding's fingerprint: what is matched.
    pub fingerprint: String,
    /// The message when it was recorded (for people; not matched).
    #[serde(default)]
    pub message: String,
}

/// Largest baseline file read.
const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

impl Baseline {
    /// Reads a baseline file (a path named on the command line: only a regular file is read).
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = crate::tree::read_regular_string(path, MAX_BASELINE_BYTES)
            .map_err(|e| format!("the baseline {}: {e}", path.display()))?;
        let mut b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a resilint baseline: {e}", path.display()))?;
        if b.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (1 is)",
                path.display(),
                b.version
            ));
        }
        b.path = path.display().to_string();
        Ok(b)
    }

    /// Whether a baseline records and hides a finding: not a parse error (RES000), and not
    /// suppressed in the source (one a baseline already hides is recorded again, so that
    /// rewriting a baseline keeps what is still there).
    pub fn covers(f: &Finding) -> bool {
        f.rule.code != "RES000"
            && f.suppression
                .as_ref()
                .is_none_or(|s| s.kind == SuppressionKind::External)
    }

    /// The baseline to be written at `path`: every finding it [covers](Baseline::covers), which
    /// it then hides. `describe` gives a finding's file and fingerprint.
    pub fn record(
        findings: &mut [Finding],
        path: &Path,
        describe: impl Fn(&Finding) -> (String, String),
    ) -> Baseline {
        let mut baseline = Baseline {
            version: 1,
            findings: Vec::new(),
            path: path.display().to_string(),
        };
        for f in findings.iter_mut().filter(|f| Baseline::covers(f)) {
            let (file, fingerprint) = describe(f);
            baseline.findings.push(Entry {
                file,
                rule: f.rule.code.to_string(),
                resource: f.address.clone(),
                fingerprint,
                message: f.message.clone(),
            });
            if f.suppression.is_none() {
                f.suppression = Some(baseline.suppression());
            }
        }
        baseline.findings.sort();
        baseline
    }

    /// How a finding this baseline accepts is hidden.
    fn suppression(&self) -> Suppression {
        Suppression {
            kind: SuppressionKind::External,
            justification: format!("accepted in the baseline {}", self.path),
            span: None,
        }
    }

    /// Writes the baseline as JSON.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        let mut file = crate::source::create_output_file(path)?;
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Hides the findings the baseline accepts (each entry hides one finding); returns how many
    /// entries matched nothing (fixed since).
    pub fn apply(&self, findings: &mut [Finding], fingerprints: &[String]) -> usize {
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for e in &self.findings {
            *remaining.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        for (f, fp) in findings.iter_mut().zip(fingerprints) {
            if f.is_suppressed() || !Baseline::covers(f) {
                continue;
            }
            if let Some(n) = remaining.get_mut(fp.as_str()).filter(|n| **n > 0) {
                *n -= 1;
                f.suppression = Some(self.suppression());
            }
        }
        remaining.values().sum()
    }
}
