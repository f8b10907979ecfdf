//! RES009 tier-missing: a stateful resource has no declared tier and there is no default tier.

use crate::config::Level;
use crate::evaluate::{Finding, Input, LevelSpec, RuleMeta};
use crate::model::Resource;

/// Metadata.
pub static META: RuleMeta = RuleMeta {
    code: "RES009",
    name: "tier-missing",
    summary: "A stateful resource declares no resilience tier and no default tier is configured.",
    level: LevelSpec::Fixed(Level::Warning),
    tags: &["resilience", "classification"],
    doc: include_str!("../../../rules/docs/RES009-tier-missing.md"),
};

/// The finding for a resource without tier.
pub fn finding(input: &Input<'_>, r: &Resource) -> Finding {
    let family = input
        .kb
        .family_of(&r.rtype)
        .map(|f| f.name.clone())
        .unwrap_or_else(|| r.rtype.clone());
    let key = &input.config.tag_key;
    let how = match r.frontend {
        crate::model::Frontend::Terraform => format!("tags = {{ {key} = \"essential\" }}"),
        crate::model::Frontend::CloudFormation => {
            format!(
                "Tags: [{{ Key: {key}, Value: essential }}] or Metadata: {{ resilint: {{ tier: essential }} }}"
            )
        }
    };
    Finding::new(
        &META,
        format!(
            "{} ({family}) holds data but declares no resilience tier, so its backups and replicas are not checked against any target.",
            r.address
        ),
        "no tier declared",
        format!(
            "declare one of the tiers ({}): {how}; or set `default-tier` in resilint.toml",
            input.config.tier_names().join(", ")
        ),
        r.span,
    )
    .about(r)
}
