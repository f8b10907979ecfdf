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

impl Baseline {
    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
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

    /// A baseline of the reported (not suppressed) findings, with their fingerprints.
    pub fn of(
        findings: &[Finding],
        fingerprints: &[String],
        file_of: impl Fn(&Finding) -> String,
    ) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .zip(fingerprints)
            .filter(|(f, _)| !f.is_suppressed() && f.rule.code != "RES000")
            .map(|(f, fp)| Entry {
                file: file_of(f),
                rule: f.rule.code.to_string(),
                resource: f.address.clone(),
                fingerprint: fp.clone(),
                message: f.message.clone(),
            })
            .collect();
        entries.sort();
        Baseline {
            version: 1,
            findings: entries,
            path: String::new(),
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
            if f.is_suppressed() || f.rule.code == "RES000" {
                continue;
            }
            if let Some(n) = remaining.get_mut(fp.as_str()).filter(|n| **n > 0) {
                *n -= 1;
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::External,
                    justification: format!("accepted in the baseline {}", self.path),
                    span: None,
                });
            }
        }
        remaining.values().sum()
    }
}
