//! Regions, which may be known, known only by identity, or unknown.

use crate::source::Span;

/// Where a resource (or a backup copy, or a replica) lives.
#[derive(Debug, Clone, PartialEq)]
pub enum Region {
    /// A region name, and where it was set.
    Known {
        /// `eu-west-1`.
        name: String,
        /// Where the name was written (provider `region`, resource `region`, an ARN, ...).
        span: Option<Span>,
    },
    /// The name is not known, but resources with the same `key` share it: the same provider
    /// configuration, or the same CloudFormation stack.
    Symbolic {
        /// Identity of the configuration that decides the region.
        key: String,
        /// Why the name is unknown.
        reason: String,
    },
    /// Nothing is known.
    Unknown {
        /// Why.
        reason: String,
    },
}

impl Region {
    /// A known region.
    pub fn known(name: impl Into<String>, span: Option<Span>) -> Region {
        Region::Known {
            name: name.into(),
            span,
        }
    }

    /// The name, when known.
    pub fn name(&self) -> Option<&str> {
        match self {
            Region::Known { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether two regions are the same: `Some(true/false)` when decidable, `None` when not.
    pub fn same_as(&self, other: &Region) -> Option<bool> {
        match (self, other) {
            (Region::Known { name: a, .. }, Region::Known { name: b, .. }) => Some(a == b),
            (Region::Symbolic { key: a, .. }, Region::Symbolic { key: b, .. }) if a == b => {
                Some(true)
            }
            _ => None,
        }
    }

    /// Why the region is not known by name (`None` for a known region).
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Region::Known { .. } => None,
            Region::Symbolic { reason, .. } | Region::Unknown { reason } => Some(reason),
        }
    }

    /// Name for messages: the region, or `unknown region`.
    pub fn label(&self) -> String {
        match self {
            Region::Known { name, .. } => name.clone(),
            _ => "an unknown region".to_string(),
        }
    }
}

/// The region named by an ARN value: a known string, or a partially known one whose region
/// field is known or is a region placeholder. `None` when the ARN has no region (S3) or the value
/// is not an ARN; `Some(Unknown)` when the region field itself is unknown.
pub fn region_of_arn_node(node: &crate::model::node::Node) -> Option<Region> {
    let text = node.partial_str()?;
    let mut parts = text.splitn(4, ':');
    let (Some("arn"), Some(_), Some(_), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    // The region of a configuration (`${AWS::Region}`): its key may hold colons itself.
    if let Some(key) = rest
        .strip_prefix(crate::model::node::REGION_PLACEHOLDER_START)
        .and_then(|r| r.split_once('}'))
        .map(|(key, _)| key)
    {
        return Some(Region::Symbolic {
            key: key.to_string(),
            reason: format!("the ARN `{text}` names the region of its own configuration"),
        });
    }
    let region = rest.split(':').next().unwrap_or("");
    if is_region_name(region) {
        return Some(Region::known(region, Some(node.span)));
    }
    if region.is_empty() {
        return None;
    }
    Some(Region::Unknown {
        reason: node
            .unknown_reason()
            .unwrap_or_else(|| format!("the region of `{text}` is not a region name")),
    })
}

/// Extracts the region from an ARN (`arn:aws:backup:eu-west-1:123:backup-vault:v`). S3 bucket
/// ARNs carry no region and give `None`, as do malformed ARNs.
pub fn region_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some(_service), Some(region)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if is_region_name(region) {
        Some(region)
    } else {
        None
    }
}

/// Whether a string looks like an AWS region name (`eu-west-1`, `us-gov-west-1`, `cn-north-1`).
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_regions() {
        assert_eq!(
            region_of_arn("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr"),
            Some("eu-west-1")
        );
        assert_eq!(region_of_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(region_of_arn("arn:aws:rds:*:*:db:*"), None);
        assert_eq!(region_of_arn("not-an-arn"), None);
        assert_eq!(
            region_of_arn("arn:aws-us-gov:backup:us-gov-west-1:1:backup-vault:v"),
            Some("us-gov-west-1")
        );
    }

    #[test]
    fn same_region() {
        let a = Region::known("eu-west-1", None);
        let b = Region::known("eu-central-1", None);
        let s = Region::Symbolic {
            key: "p".into(),
            reason: "r".into(),
        };
        assert_eq!(a.same_as(&a), Some(true));
        assert_eq!(a.same_as(&b), Some(false));
        assert_eq!(s.same_as(&s.clone()), Some(true));
        assert_eq!(a.same_as(&s), None);
    }
}
