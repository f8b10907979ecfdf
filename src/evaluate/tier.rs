//! Which tier applies to a component (RESILIENCE-MODEL §2, "Declaring a tier").
//!
//! Strongest first: the tier tag (provider `default_tags` merged), CloudFormation
//! `Metadata.resilint.tier`, a workload mapping of the config, the config's `default-tier`. A
//! component takes the strictest tier declared by its members.

use globset::{Glob, GlobMatcher};

use crate::config::{Config, Tier};
use crate::infer::Component;
use crate::model::{Model, Resource, ResourceId};
use crate::source::{SourceMap, Span};

/// Where a tier was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierSource {
    /// A resource tag (or a provider default tag).
    Tag,
    /// CloudFormation `Metadata.resilint.tier`.
    Metadata,
    /// A workload mapping in the config.
    Workload,
    /// The config's `default-tier`.
    Default,
}

impl TierSource {
    /// Name for output.
    pub fn as_str(self) -> &'static str {
        match self {
            TierSource::Tag => "tag",
            TierSource::Metadata => "metadata",
            TierSource::Workload => "workload",
            TierSource::Default => "default",
        }
    }
}

/// A tier declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct TierDecl {
    /// The declared name.
    pub name: String,
    /// How it was declared.
    pub source: TierSource,
    /// Where (absent for workload mappings and the default).
    pub span: Option<Span>,
    /// The member resource that declares it.
    pub resource: ResourceId,
    /// Whether it comes from provider `default_tags`.
    pub from_default_tags: bool,
}

/// The outcome of tier resolution for a component.
#[derive(Debug, Clone)]
pub enum TierResolution {
    /// A defined tier applies.
    Resolved {
        /// The declaration.
        decl: TierDecl,
        /// The tier.
        tier: Tier,
    },
    /// The only declarations name tiers that are not defined (RES010 reports each).
    Undefined,
    /// The tier depends on a value that cannot be determined.
    Unknown {
        /// Why.
        reason: String,
        /// Where.
        span: Span,
    },
    /// No tier is declared and there is no default (RES009).
    Missing,
}

/// Compiled workload mappings.
pub struct TierResolver<'c> {
    config: &'c Config,
    /// Whether an unknown declaration counts as absent (`--strict`).
    strict: bool,
    workloads: Vec<(Vec<GlobMatcher>, Vec<GlobMatcher>, &'c str)>,
    rebuildable: Vec<GlobMatcher>,
    restore_tested: Vec<GlobMatcher>,
}

/// A declaration on one member resource.
enum Declared {
    Name(TierDecl),
    Unknown(String, Span),
}

impl<'c> TierResolver<'c> {
    /// Compiles the config's workload globs (validated when the config was read).
    pub fn new(config: &'c Config) -> TierResolver<'c> {
        let compile = |gs: &[String]| -> Vec<GlobMatcher> {
            gs.iter()
                .filter_map(|g| Glob::new(g).ok().map(|g| g.compile_matcher()))
                .collect()
        };
        TierResolver {
            config,
            strict: false,
            workloads: config
                .workloads
                .iter()
                .map(|w| (compile(&w.paths), compile(&w.addresses), w.tier.as_str()))
                .collect(),
            rebuildable: compile(&config.rebuildable),
            restore_tested: compile(&config.restore_tested),
        }
    }

    /// Whether the configuration declares a resource's data rebuildable.
    pub fn is_rebuildable(&self, r: &Resource) -> bool {
        self.is_rebuildable_address(&r.address)
    }

    /// [`TierResolver::is_rebuildable`] by address.
    pub fn is_rebuildable_address(&self, address: &str) -> bool {
        self.rebuildable.iter().any(|g| g.is_match(address))
    }

    /// The tier named `name` as it applies to the component whose primary is `primary`: without
    /// its recovery-point targets when the data is rebuildable, as the rules apply it.
    pub fn effective_tier(&self, name: &str, primary: &str) -> Option<Tier> {
        let tier = self.config.tier(name)?;
        Some(if self.is_rebuildable_address(primary) {
            tier.without_recovery_point()
        } else {
            tier.clone()
        })
    }

    /// Whether the configuration declares that a resource's restores are tested
    /// (`restore-tested`).
    pub fn is_restore_tested(&self, r: &Resource) -> bool {
        self.restore_tested.iter().any(|g| g.is_match(&r.address))
    }

    /// With `--strict`: a declaration that cannot be determined counts as absent, so the next
    /// source (metadata, a workload, the default tier) decides, or none does (RES009).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The declarations a resource makes, strongest first.
    fn declared(&self, r: &Resource, sources: &SourceMap) -> Option<Declared> {
        match self.declared_as_written(r, sources) {
            Some(Declared::Unknown(..)) if self.strict => self.workload(r, sources),
            d => d,
        }
    }

    /// The declarations a resource makes, strongest first, unknown ones included.
    fn declared_as_written(&self, r: &Resource, sources: &SourceMap) -> Option<Declared> {
        if let Some(tag) = r.tags.get(&self.config.tag_key) {
            return Some(match tag.value.as_str() {
                Some(name) if !tag.value.is_null() => Declared::Name(TierDecl {
                    name: name.into_owned(),
                    source: TierSource::Tag,
                    span: Some(tag.span),
                    resource: r.id,
                    from_default_tags: tag.from_default,
                }),
                _ => Declared::Unknown(
                    format!(
                        "the `{}` tag of {} is unknown: {}",
                        self.config.tag_key,
                        r.address,
                        tag.value.unknown_reason().unwrap_or_default()
                    ),
                    tag.span,
                ),
            });
        }
        if let Some(t) = r
            .metadata
            .as_ref()
            .and_then(|m| m.get("resilint"))
            .and_then(|m| m.entry("tier"))
        {
            return Some(match t.value.as_str() {
                Some(name) => Declared::Name(TierDecl {
                    name: name.into_owned(),
                    source: TierSource::Metadata,
                    span: Some(t.span()),
                    resource: r.id,
                    from_default_tags: false,
                }),
                None => Declared::Unknown(
                    format!(
                        "`Metadata.resilint.tier` of {} is unknown: {}",
                        r.address,
                        t.value.unknown_reason().unwrap_or_default()
                    ),
                    t.span(),
                ),
            });
        }
        self.workload(r, sources)
    }

    /// Whether `[[workloads]]` entry `i` matches a resource: its paths match the declaring
    /// file and its addresses the address (a list not given matches; neither given, nothing).
    fn workload_matches(&self, i: usize, r: &Resource, sources: &SourceMap) -> bool {
        let Some((paths, addresses, _)) = self.workloads.get(i) else {
            return false;
        };
        let path = sources
            .get(r.span.file)
            .map(|f| f.rel_path.as_str())
            .unwrap_or("");
        let path_ok = paths.is_empty() || paths.iter().any(|g| g.is_match(path));
        let addr_ok = addresses.is_empty() || addresses.iter().any(|g| g.is_match(&r.address));
        path_ok && addr_ok && !(paths.is_empty() && addresses.is_empty())
    }

    /// The first `[[workloads]]` entry (by position) that matches a resource, for reports that
    /// group resources by workload.
    pub fn workload_of(&self, r: &Resource, sources: &SourceMap) -> Option<usize> {
        (0..self.workloads.len()).find(|&i| self.workload_matches(i, r, sources))
    }

    /// The `[[workloads]]` entries (by position) that match no resource of the model.
    pub fn unused_workloads(&self, model: &Model, sources: &SourceMap) -> Vec<usize> {
        (0..self.workloads.len())
            .filter(|&i| {
                !model
                    .resources
                    .iter()
                    .any(|r| self.workload_matches(i, r, sources))
            })
            .collect()
    }

    /// The tier a `[[workloads]]` mapping gives a resource: the first entry that matches.
    fn workload(&self, r: &Resource, sources: &SourceMap) -> Option<Declared> {
        for (i, (_, _, tier)) in self.workloads.iter().enumerate() {
            if self.workload_matches(i, r, sources) {
                return Some(Declared::Name(TierDecl {
                    name: (*tier).to_string(),
                    source: TierSource::Workload,
                    span: None,
                    resource: r.id,
                    from_default_tags: false,
                }));
            }
        }
        None
    }

    /// Whether a single resource declares a tier (its tag, metadata or a workload mapping),
    /// and which when it is known. For resources outside components.
    pub fn declared_tier(&self, r: &Resource, sources: &SourceMap) -> Option<Option<String>> {
        match self.declared(r, sources)? {
            Declared::Name(d) => Some(Some(d.name)),
            Declared::Unknown(..) => Some(None),
        }
    }

    /// The tier of a component, and the declarations of its members that name an undefined tier
    /// (RES010 reports each), from one pass over the members.
    pub fn resolve(
        &self,
        model: &Model,
        sources: &SourceMap,
        c: &Component,
    ) -> (TierResolution, Vec<TierDecl>) {
        let mut best: Option<(usize, TierDecl, &Tier)> = None;
        let mut unknown: Option<(String, Span)> = None;
        let mut undefined = Vec::new();
        for m in c.members() {
            match self.declared(model.get(m), sources) {
                Some(Declared::Name(d)) => match self.config.tier(&d.name) {
                    None => undefined.push(d),
                    Some(tier) => {
                        let rank = self.config.strictness(&d.name);
                        if best.as_ref().is_none_or(|(r, ..)| rank < *r) {
                            best = Some((rank, d, tier));
                        }
                    }
                },
                Some(Declared::Unknown(reason, span)) => {
                    unknown.get_or_insert((reason, span));
                }
                None => {}
            }
        }
        let resolution = match (best, unknown) {
            (Some((_, decl, tier)), _) => TierResolution::Resolved {
                decl,
                tier: tier.clone(),
            },
            (None, Some((reason, span))) => TierResolution::Unknown { reason, span },
            (None, None) if !undefined.is_empty() => TierResolution::Undefined,
            (None, None) => self.undeclared(model, c),
        };
        (resolution, undefined)
    }

    /// The tier of a component none of whose members declares one: the default tier, else
    /// unknown when the primary's tags are, else missing.
    fn undeclared(&self, model: &Model, c: &Component) -> TierResolution {
        match self
            .config
            .default_tier
            .as_ref()
            .and_then(|d| self.config.tier(d))
        {
            Some(tier) => TierResolution::Resolved {
                decl: TierDecl {
                    name: tier.name.clone(),
                    source: TierSource::Default,
                    span: None,
                    resource: c.primary,
                    from_default_tags: false,
                },
                tier: tier.clone(),
            },
            None => {
                let primary = model.get(c.primary);
                match primary
                    .tags
                    .unknown_for(&self.config.tag_key)
                    .filter(|_| !self.strict)
                {
                    Some((reason, span)) => TierResolution::Unknown {
                        reason: format!(
                            "the tags of {} are unknown, so its tier cannot be read: {reason}",
                            primary.address
                        ),
                        span: *span,
                    },
                    None => TierResolution::Missing,
                }
            }
        }
    }
}
