//! Gives every resource mapping its family's definitions: a `[[resource.mechanism]]` or a
//! replica relation names a family mechanism or replication by id and says only where its
//! attributes are; the kind, label and figures are the family's, written once.

use super::schema::{FamilySpec, MechanismSpec, WhenCase};
use super::{KbError, KnowledgeBase};
use crate::knowledge::Figure;
use std::collections::BTreeMap;

impl KnowledgeBase {
    /// Fills in every mapping's family definitions; an id the family does not declare is an
    /// error naming the resource type.
    pub(super) fn resolve(&mut self) -> Result<(), KbError> {
        let families = &self.families;
        for r in self.resources.values_mut() {
            let Some(family_id) = r.mechanism_family() else {
                continue;
            };
            let err = |message: String| KbError {
                file: format!("resource type {}", r.rtype),
                message,
            };
            // An unknown family is reported by validation.
            let Some(family) = families.get(family_id) else {
                continue;
            };
            for m in r.mechanism.iter_mut() {
                resolve_mechanism(m, family).map_err(err)?;
            }
            for rs in r.replicas.iter_mut() {
                let def = replication(family, &rs.replication).map_err(err)?;
                resolve_cases(&mut rs.rpo_when, &def.cases, &def.id, family).map_err(err)?;
                resolve_cases(&mut rs.rto_when, &def.rto_cases, &def.id, family).map_err(err)?;
                rs.def = def;
                for m in rs.mechanism.iter_mut() {
                    resolve_mechanism(m, family).map_err(err)?;
                }
            }
            for ro in r.replica_of.iter_mut() {
                ro.def = replication(family, &ro.replication).map_err(err)?;
                if let Some(h) = &ro.headless {
                    ro.headless_def = Some(replication(family, h).map_err(err)?);
                }
            }
        }
        Ok(())
    }
}

fn resolve_mechanism(m: &mut MechanismSpec, family: &FamilySpec) -> Result<(), String> {
    let Some(def) = family.mechanism.iter().find(|d| d.id == m.id) else {
        return Err(format!(
            "mechanism `{}` is not a mechanism of family `{}` (declare its kind, label and \
             figures once, as a [[family.mechanism]] with that id; known: {})",
            m.id,
            family.id,
            known(family.mechanism.iter().map(|d| d.id.as_str()))
        ));
    };
    resolve_cases(&mut m.rpo_when, &def.cases, &def.id, family)?;
    if let Some(default) = &def.retention {
        let q = m.retention.get_or_insert(super::schema::QuantitySpec {
            path: None,
            unit: None,
            default: None,
            on: Default::default(),
        });
        q.unit = q.unit.or(Some(default.unit));
        if q.default.is_none() {
            q.default = default.default;
        }
    }
    if let Some(q) = &m.retention
        && q.unit.is_none()
    {
        return Err(format!(
            "mechanism `{}`: `retention` needs a `unit` (here or in the family's mechanism)",
            m.id
        ));
    }
    m.def = def.clone();
    Ok(())
}

fn replication(family: &FamilySpec, id: &str) -> Result<super::schema::FamilyReplication, String> {
    family
        .replication
        .iter()
        .find(|d| d.id == id)
        .cloned()
        .ok_or_else(|| {
            format!(
                "replication `{id}` is not a replication of family `{}` (declare its label, \
                 mode and figures once, as a [[family.replication]] with that id; known: {})",
                family.id,
                known(family.replication.iter().map(|d| d.id.as_str()))
            )
        })
}

fn resolve_cases(
    when: &mut [WhenCase],
    cases: &BTreeMap<String, Figure>,
    owner: &str,
    family: &FamilySpec,
) -> Result<(), String> {
    for w in when {
        let Some(f) = cases.get(&w.case) else {
            return Err(format!(
                "`rpo-when` or `rto-when` names case `{}`, which `{owner}` of family `{}` does \
                 not declare (known: {})",
                w.case,
                family.id,
                known(cases.keys().map(String::as_str))
            ));
        };
        w.figure = f.clone();
    }
    Ok(())
}

fn known<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}
