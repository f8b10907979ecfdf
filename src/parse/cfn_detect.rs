//! Recognising CloudFormation templates by content.
//!
//! A YAML or JSON file is a template when its root is a mapping with `AWSTemplateFormatVersion`,
//! or with a `Resources` mapping whose entries have a `Type` starting with `AWS::` (or a SAM /
//! custom `::` type next to at least one `AWS::` type). Other YAML/JSON is ignored silently.

use crate::model::node::{Kind, Node};

/// Cheap textual pre-check run before parsing: files that cannot be templates are not parsed.
pub fn may_be_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("AWS::"))
}

/// Whether unparsable text clearly means to be a template: it names `AWSTemplateFormatVersion`,
/// or has a top-level `Resources` key and an `AWS::` resource type.
pub fn claims_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    let resources_key = text.lines().any(|l| {
        let l = l.trim_start_matches('{').trim_start();
        (l.starts_with("Resources:") || l.starts_with("\"Resources\""))
            && !l.starts_with("Resources: [")
    });
    resources_key
        && (text.contains("Type: AWS::")
            || text.contains("\"Type\": \"AWS::")
            || text.contains("Type: \"AWS::")
            || text.contains("Type: 'AWS::"))
}

/// Whether a parsed document is a CloudFormation template.
pub fn is_template(root: &Node) -> bool {
    let Kind::Map(m) = &root.kind else {
        return false;
    };
    if m.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(Node {
        kind: Kind::Map(resources),
        ..
    }) = m.get("Resources")
    else {
        return false;
    };
    resources.iter().any(|e| {
        e.value
            .get("Type")
            .and_then(|t| t.as_str().map(|s| s.starts_with("AWS::")))
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;
    use crate::source::FileId;

    fn detect(text: &str) -> bool {
        may_be_template(text) && is_template(&yaml::parse(FileId(0), text).unwrap())
    }

    #[test]
    fn recognises_templates() {
        assert!(detect(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"
        ));
        assert!(detect("Resources:\n  B:\n    Type: AWS::S3::Bucket\n"));
    }

    #[test]
    fn ignores_other_yaml() {
        assert!(!detect("name: ci\non: [push]\n"));
        assert!(!detect("Resources:\n  B:\n    Type: Custom::Thing\n"));
        assert!(!detect("Resources: [AWS::S3::Bucket]\n"));
    }
}
