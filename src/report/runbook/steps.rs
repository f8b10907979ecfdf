//! The recovery steps of `rules/runbook/*.toml`: what to do with a mechanism that covers a scope,
//! and the CLI commands that do it, chosen by kind, family, cloud and mechanism id.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::knowledge::MechanismKind;

/// The built-in steps.
const BUILTIN: &[(&str, &str)] = &[(
    "rules/runbook/recovery.toml",
    include_str!("../../../rules/runbook/recovery.toml"),
)];

/// One step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The mechanism kind it is for.
    pub kind: MechanismKind,
    /// Only for this knowledge-base family.
    #[serde(default)]
    pub family: Option<String>,
    /// Only for families of this cloud (`aws`, `azure`, `gcp`).
    #[serde(default)]
    pub cloud: Option<String>,
    /// Only for this mechanism id (`aws-backup`, `dlm`, `global`).
    #[serde(default)]
    pub mechanism: Option<String>,
    /// What to do, with placeholders.
    pub action: String,
    /// The commands, with placeholders.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Where the commands are documented.
    #[serde(default)]
    pub source: Option<String>,
    /// More placeholders, each read from the first of these attributes of the resource that
    /// the code sets (`resource_group = ["resource_group_name"]`); a reference to another
    /// resource of the scan gives that resource's name.
    #[serde(default)]
    pub values: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    step: Vec<Step>,
}

/// The steps, loaded once.
#[derive(Debug)]
pub struct Steps {
    steps: Vec<Step>,
}

impl Steps {
    /// The built-in steps.
    pub fn builtin() -> Result<Steps, String> {
        let mut steps = Vec::new();
        for (name, text) in BUILTIN {
            let file: File = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            steps.extend(file.step);
        }
        Ok(Steps { steps })
    }

    /// The most specific step for a mechanism of `kind` and id `mechanism` on a resource of
    /// `family`.
    pub fn find(&self, kind: MechanismKind, family: &str, mechanism: &str) -> Option<&Step> {
        let cloud = family.split('-').next().unwrap_or("");
        self.steps
            .iter()
            .filter(|s| s.kind == kind)
            .filter(|s| s.family.as_deref().is_none_or(|f| f == family))
            .filter(|s| s.cloud.as_deref().is_none_or(|c| c == cloud))
            .filter(|s| s.mechanism.as_deref().is_none_or(|m| m == mechanism))
            .max_by_key(|s| {
                (
                    s.family.is_some() && s.mechanism.is_some(),
                    s.family.is_some(),
                    s.cloud.is_some() && s.mechanism.is_some(),
                    s.cloud.is_some() || s.mechanism.is_some(),
                )
            })
    }
}

/// Fills `{name}` placeholders; a value not given becomes `<name>`.
pub fn fill(template: &str, values: &BTreeMap<&str, Option<String>>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end)
                if after[..end]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_') =>
            {
                let key = &after[..end];
                match values.get(key) {
                    Some(Some(v)) => out.push_str(v),
                    Some(None) => out.push_str(&format!("<{}>", key.replace('_', " "))),
                    None => out.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_steps_load_and_the_most_specific_wins() {
        let steps = Steps::builtin().expect("built-in steps");
        let rds = steps
            .find(
                MechanismKind::ContinuousBackup,
                "aws-rds-instance",
                "automated-backups",
            )
            .expect("a step");
        assert!(rds.commands[0].starts_with("aws rds restore-db-instance-to-point-in-time"));
        let backup = steps
            .find(
                MechanismKind::ScheduledBackup,
                "aws-ebs-volume",
                "aws-backup",
            )
            .expect("a step");
        assert!(backup.commands[1].starts_with("aws backup start-restore-job"));
        let global = steps
            .find(MechanismKind::Replica, "aws-aurora-cluster", "global")
            .expect("a step");
        assert!(global.commands[0].contains("failover-global-cluster"));
        let generic = steps
            .find(MechanismKind::Replica, "gcp-spanner-instance", "x")
            .expect("a step");
        assert!(generic.commands.is_empty() && generic.family.is_none());
        for s in &steps.steps {
            for c in &s.commands {
                assert!(
                    c.starts_with("aws ") || c.starts_with("az ") || c.starts_with("gcloud "),
                    "{c}"
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled_or_named() {
        let mut v = BTreeMap::new();
        v.insert("identifier", Some("orders".to_string()));
        v.insert("to_region", None);
        assert_eq!(
            fill("--id {identifier} --region {to_region} {other} {x", &v),
            "--id orders --region <to region> {other} {x"
        );
        assert_eq!(fill("json {\"a\": 1}", &v), "json {\"a\": 1}");
    }
}
