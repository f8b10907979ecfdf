//! Regions of resources that name their own (Azure's `location`), after every resource is built.
//!
//! An AWS resource runs in its provider's region, which the front end resolves. An Azure resource
//! names its region itself, usually through another resource (`azurerm_resource_group.rg.location`)
//! or a parent (`server_id` of an Azure SQL database): those references can only be followed once
//! the whole model exists, so this pass runs after [`Model::new`](super::Model::new). Which types
//! do this, the attribute, and the canonical region names come from the knowledge base's region
//! tables (`rules/kb/azure/regions.toml`).

use super::node::{Kind, Node};
use super::{Model, Region};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::schema::{LocationSpec, RegionTableSpec};

/// How many references are followed from one resource to the one whose region it has.
const MAX_HOPS: usize = 8;

/// Gives every resource of a cloud with a region table its region from its region attribute,
/// or from the resource its knowledge-base entry's `region-from` names.
pub fn apply(model: &mut Model, kb: &KnowledgeBase) {
    if kb.region_tables().is_empty() {
        return;
    }
    let regions: Vec<Option<Region>> = (0..model.resources.len())
        .map(|i| {
            let r = &model.resources[i];
            let table = kb.region_table_for(&r.rtype)?;
            // Only Terraform resources: a CloudFormation template has no Azure resources.
            (r.frontend == super::Frontend::Terraform).then(|| region_of(model, kb, table, i, 0))
        })
        .collect();
    for (r, region) in model.resources.iter_mut().zip(regions) {
        if let Some(region) = region {
            r.region = region;
        }
    }
}

/// The region of resource `i`: its region attribute (the first of `a|b|c` that is set), else
/// its `region-from` parent's, else its provider's where the table says so.
fn region_of(
    model: &Model,
    kb: &KnowledgeBase,
    table: &RegionTableSpec,
    i: usize,
    hops: usize,
) -> Region {
    let r = &model.resources[i];
    if let Some(region) = kb
        .resource(&r.rtype)
        .and_then(|s| s.regions_from.as_deref())
        .and_then(|path| configured_regions(table, &r.body.lookup(path)))
    {
        return region;
    }
    let attributes = table.region_attribute.as_deref().unwrap_or("location");
    if let Some((attribute, node)) = attributes
        .split('|')
        .find_map(|a| r.attr(a).filter(|n| !n.is_null()).map(|n| (a, n)))
    {
        return region_of_node(model, kb, table, node, hops, attribute);
    }
    if let Some(paths) = kb.resource(&r.rtype).and_then(|s| s.region_from.as_deref()) {
        // `a|b`: the first attribute that is set (`storage_account_id|storage_account_name`).
        let path = paths
            .split('|')
            .find(|p| r.attr(p).is_some_and(|n| !n.is_null()))
            .unwrap_or(paths);
        return match r.attr(path).filter(|n| !n.is_null()) {
            Some(node) => region_of_node(model, kb, table, node, hops, path),
            None if table.provider_region => r.region.clone(),
            None => Region::Unknown {
                reason: format!(
                    "`{path}` is not set, so the region of {} is unknown",
                    r.address
                ),
            },
        };
    }
    if table.provider_region {
        // The front end's answer: the provider configuration's region.
        return r.region.clone();
    }
    Region::Unknown {
        reason: format!("{} sets no `{attributes}`", r.address),
    }
}

/// The region a `location` value (or a reference to a resource that has one) designates.
fn region_of_node(
    model: &Model,
    kb: &KnowledgeBase,
    table: &RegionTableSpec,
    node: &Node,
    hops: usize,
    attribute: &str,
) -> Region {
    match &node.kind {
        Kind::String(text) => match canonical(table, text) {
            Some(name) => Region::known(name, Some(node.span)),
            None => {
                let article = if table.cloud.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                Region::Unknown {
                    reason: format!(
                        "`{text}` is not {article} {} region in resilint's table (version {})",
                        table.cloud, table.version
                    ),
                }
            }
        },
        Kind::Ref(reference) if hops < MAX_HOPS => {
            let targets = model.resolve(&reference.target);
            let Some(first) = targets.first() else {
                return Region::Unknown {
                    reason: format!(
                        "`{}` is not a resource in the scanned files, so its region is unknown",
                        reference.text
                    ),
                };
            };
            let target = model.get(*first);
            // `x.location` reads that attribute; `x.id` (a parent) means x's own region.
            let attributes = table.region_attribute.as_deref().unwrap_or("location");
            let read = attributes
                .split('|')
                .find(|a| *a == reference.attribute)
                .or_else(|| reference.attribute.is_empty().then_some(attributes));
            let region = if let Some(attribute) = read {
                match attribute
                    .split('|')
                    .find_map(|a| target.attr(a).filter(|n| !n.is_null()).map(|n| (a, n)))
                {
                    Some((a, n)) => region_of_node(model, kb, table, n, hops + 1, a),
                    None => region_of(model, kb, table, first.index(), hops + 1),
                }
            } else {
                region_of(model, kb, table, first.index(), hops + 1)
            };
            // Instances of a resource with `count`/`for_each` may differ: only a region they
            // all share is known.
            let all_same = targets[1..].iter().all(|t| {
                region_of(model, kb, table, t.index(), hops + 1).same_as(&region) == Some(true)
            });
            if all_same {
                region
            } else {
                Region::Unknown {
                    reason: format!(
                        "the instances of `{}` are in different regions",
                        reference.text
                    ),
                }
            }
        }
        Kind::Ref(reference) => Region::Unknown {
            reason: format!(
                "`{}` is more than {MAX_HOPS} references away from a region",
                reference.text
            ),
        },
        _ => Region::Unknown {
            reason: match node.unknown_reason() {
                Some(why) => format!("the `{attribute}` is unknown: {why}"),
                None => format!("the `{attribute}` is not a region name"),
            },
        },
    }
}

/// The canonical name of a region as users write it: `West Europe`, `westeurope`,
/// `WESTEUROPE` all give `westeurope`; a location that spans regions gives its own name (`EUR4`
/// is `eur4`), a zone its region (`europe-west1-b` is in `europe-west1`), and a table's location
/// prefixes are left out (`regional-europe-west1`). `None` when the table does not have it.
pub fn canonical<'t>(table: &'t RegionTableSpec, text: &str) -> Option<&'t str> {
    let squeezed: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let bare = table
        .location_prefixes
        .iter()
        .find_map(|p| squeezed.strip_prefix(p.as_str()))
        .unwrap_or(&squeezed);
    let region = |name: &str| {
        table
            .region
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.name.as_str())
    };
    region(bare)
        .or_else(|| {
            table
                .location
                .iter()
                .find(|l| l.name == bare)
                .map(|l| l.name.as_str())
        })
        .or_else(|| zone_region(bare).and_then(region))
}

/// The region part of a zone name written as its region and a one-letter suffix
/// (`europe-west1-b` is in `europe-west1`); `None` for anything else.
pub fn zone_region(zone: &str) -> Option<&str> {
    let (region, letter) = zone.rsplit_once('-')?;
    (letter.len() == 1 && letter.chars().all(|c| c.is_ascii_lowercase()) && region.contains('-'))
        .then_some(region)
}

/// A configurable dual-region: two or more known regions, named `a+b` (`europe-west1+europe-west4`).
fn configured_regions(table: &RegionTableSpec, items: &[&Node]) -> Option<Region> {
    let names: Option<Vec<&str>> = items
        .iter()
        .map(|n| match &n.kind {
            Kind::String(text) => {
                canonical(table, text).filter(|c| table.region.iter().any(|r| r.name == *c))
            }
            _ => None,
        })
        .collect();
    match names {
        Some(names) if names.len() >= 2 => Some(Region::known(
            names.join("+"),
            items.first().map(|n| n.span),
        )),
        _ => None,
    }
}

/// How a known location spreads over regions.
#[derive(Debug, Clone, Copy)]
enum Spread<'k> {
    /// One region.
    Region,
    /// Several: a dual-region or a multi-region.
    Location(&'k LocationSpec),
    /// Several regions the configuration names (`europe-west1+europe-west4`).
    Configured,
}

/// Whether a resource's region is a single region or a location spanning several; why not
/// known otherwise.
fn spread<'k>(kb: &'k KnowledgeBase, home: &Region) -> Result<Spread<'k>, String> {
    let Some(name) = home.name() else {
        return Err(format!(
            "its location is unknown: {}",
            home.unknown_reason().unwrap_or_default()
        ));
    };
    if let Some(l) = kb.location_entry(name) {
        return Ok(Spread::Location(l));
    }
    if name.contains('+') {
        return Ok(Spread::Configured);
    }
    match kb.region_entry(name) {
        Some(_) => Ok(Spread::Region),
        None => Err(format!("resilint's region tables do not know `{name}`")),
    }
}

/// Whether a resource's location spans several regions (a dual- or multi-region location, or
/// regions the configuration names); why not known otherwise.
pub fn spans_regions(kb: &KnowledgeBase, home: &Region) -> Result<bool, String> {
    spread(kb, home).map(|s| !matches!(s, Spread::Region))
}

/// Where the other copy of data in a dual- or multi-region location is: the second region of a
/// dual-region, or another region of a multi-region whose regions are not published.
pub fn geo_region(kb: &KnowledgeBase, home: &Region) -> Region {
    match spread(kb, home) {
        Ok(Spread::Location(l)) => match l.regions.get(1) {
            Some(second) => Region::known(second.clone(), None),
            None => Region::known(format!("another region of {}", l.name), None),
        },
        Ok(Spread::Configured) => {
            let name = home.name().unwrap_or_default();
            let second = name.split('+').nth(1).unwrap_or(name);
            Region::known(second.to_string(), None)
        }
        Ok(Spread::Region) => Region::Unknown {
            reason: format!("{} is a single region", home.label()),
        },
        Err(reason) => Region::Unknown { reason },
    }
}

/// The multi-region that contains a region (Cloud SQL keeps backups there by default).
pub fn multi_region(kb: &KnowledgeBase, home: &Region) -> Region {
    match spread(kb, home) {
        Ok(Spread::Location(_) | Spread::Configured) => home.clone(),
        Ok(Spread::Region) => match home
            .name()
            .and_then(|n| kb.region_entry(n))
            .and_then(|e| e.multi_region.as_ref())
        {
            Some(m) => Region::known(m.clone(), None),
            None => Region::Unknown {
                reason: format!(
                    "resilint's region table names no multi-region that contains {}",
                    home.label()
                ),
            },
        },
        Err(reason) => Region::Unknown { reason },
    }
}

/// The canonical region a node names, in any region table: `None` when the node is not a
/// string or no table has the name.
pub fn canonical_in(kb: &KnowledgeBase, node: &Node) -> Option<String> {
    let text = node.as_str()?;
    kb.region_tables()
        .iter()
        .find_map(|t| canonical(t, &text))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::KnowledgeBase;

    #[test]
    fn display_names_and_case_are_normalised() {
        let kb = KnowledgeBase::builtin().unwrap();
        let table = kb.region_table_for("azurerm_storage_account").unwrap();
        assert_eq!(canonical(table, "West Europe"), Some("westeurope"));
        assert_eq!(canonical(table, "WESTEUROPE"), Some("westeurope"));
        assert_eq!(canonical(table, "eastus2"), Some("eastus2"));
        assert_eq!(canonical(table, "Atlantis"), None);
    }
}
