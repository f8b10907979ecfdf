//! CDK cloud assemblies (`cdk.out`): the stack each synthesized template is, and the region its
//! environment names.
//!
//! `cdk synth` writes `manifest.json` beside the templates. Each artifact of type
//! `aws:cloudformation:stack` names its template (`properties.templateFile`) and its environment
//! (`aws://ACCOUNT/REGION`; `unknown-region` when the app leaves it to the deploy-time
//! environment). A nested assembly (a stage) is a directory with a manifest of its own, found
//! the same way beside its templates. The region a manifest names is written in the app, so it
//! wins over `--region`, as a region written in Terraform does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::source::normalize_path;
use crate::tree::Tree;

/// Largest `manifest.json` read.
const MAX_MANIFEST_BYTES: u64 = 4 << 20;

/// What a cloud assembly says of one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdkStack {
    /// The stack's artifact id (`OrdersStack`).
    pub name: String,
    /// The region of its environment, when it names one.
    pub region: Option<String>,
}

/// The stacks of the cloud assemblies beside the given templates (absolute paths), by template.
pub fn stacks(templates: &[PathBuf], tree: &Tree) -> HashMap<PathBuf, CdkStack> {
    super::inputs::files_beside(templates, "manifest.json", tree, MAX_MANIFEST_BYTES)
        .into_iter()
        .flat_map(|(dir, text)| read_manifest(&dir, &text))
        .collect()
}

/// The stacks one manifest lists, by template path.
fn read_manifest(dir: &Path, text: &str) -> Vec<(PathBuf, CdkStack)> {
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(artifacts) = manifest.get("artifacts").and_then(|a| a.as_object()) else {
        return Vec::new();
    };
    artifacts
        .iter()
        .filter(|(_, a)| a.get("type").and_then(|t| t.as_str()) == Some("aws:cloudformation:stack"))
        .filter_map(|(name, a)| {
            let file = a.get("properties")?.get("templateFile")?.as_str()?;
            let region = a
                .get("environment")
                .and_then(|e| e.as_str())
                .and_then(|e| e.strip_prefix("aws://"))
                .and_then(|e| e.split_once('/'))
                .map(|(_, region)| region)
                .filter(|r| !r.is_empty() && *r != "unknown-region")
                .map(str::to_string);
            Some((
                normalize_path(&dir.join(file)),
                CdkStack {
                    name: name.clone(),
                    region,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_and_their_environments() {
        let text = r#"{"version":"36.0.0","artifacts":{
          "OrdersStack":{"type":"aws:cloudformation:stack","environment":"aws://123456789012/eu-west-1",
            "properties":{"templateFile":"OrdersStack.template.json"}},
          "Agnostic":{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/unknown-region",
            "properties":{"templateFile":"Agnostic.template.json"}},
          "Tree":{"type":"cdk:tree","properties":{"file":"tree.json"}}}}"#;
        let mut stacks = read_manifest(Path::new("/app/cdk.out"), text);
        stacks.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(stacks.len(), 2);
        assert_eq!(
            stacks[0].0,
            PathBuf::from("/app/cdk.out/Agnostic.template.json")
        );
        assert_eq!(stacks[0].1.region, None);
        assert_eq!(stacks[1].1.name, "OrdersStack");
        assert_eq!(stacks[1].1.region.as_deref(), Some("eu-west-1"));
        assert!(read_manifest(Path::new("/x"), "not json").is_empty());
    }
}
