//! Checks across knowledge-base entries that the file schema cannot express: families that
//! exist, the fields each protector role maps, mechanism ids that lifecycle caps name.

use super::schema::{DimensionValue, MetricSpec, On, Predicate, QuantitySpec, ResourceSpec, Role};
use super::{KbError, KnowledgeBase};

/// The keys of a family's `fix` table, one per finding that reads it.
const FIX_KEYS: &[&str] = &["backup", "offsite", "region", "zone", "restore-test"];

impl KnowledgeBase {
    /// Validates the knowledge base once every file is added.
    pub(super) fn validate(&self) -> Result<(), KbError> {
        for r in self.resources.values() {
            self.check_resource(r).map_err(|message| KbError {
                file: format!("resource type {}", r.rtype),
                message,
            })?;
        }
        for f in self.families.values() {
            if let Some(key) = f.fix.keys().find(|k| !FIX_KEYS.contains(&k.as_str())) {
                return Err(KbError {
                    file: format!("family {}", f.id),
                    message: format!("unknown `fix` key `{key}` (known: {})", FIX_KEYS.join(", ")),
                });
            }
            for m in &f.lag_metric {
                let known: Vec<&str> = f.replication.iter().map(|r| r.id.as_str()).collect();
                let message = if m.replications.is_empty() {
                    Some("a `lag-metric` needs `replications`, the ids of the replications it watches".to_string())
                } else {
                    m.replications
                        .iter()
                        .find(|r| !known.contains(&r.as_str()))
                        .map(|r| {
                            format!(
                                "`lag-metric` {} names replication `{r}`, which the family does not declare (declared: {})",
                                m.metrics.join(", "),
                                if known.is_empty() { "none".into() } else { known.join(", ") }
                            )
                        })
                };
                let message = message.or_else(|| {
                    m.types
                        .iter()
                        .find(|t| {
                            self.resources.get(t.as_str()).and_then(|r| r.family.as_deref())
                                != Some(f.id.as_str())
                        })
                        .map(|t| {
                            format!(
                                "`lag-metric` {} names type `{t}`, which is not a resource of the family",
                                m.metrics.join(", ")
                            )
                        })
                });
                let message = message.or_else(|| {
                    check_metric(
                        m,
                        &[
                            DimensionValue::Source,
                            DimensionValue::Replica,
                            DimensionValue::ReplicaRegion,
                        ],
                    )
                });
                if let Some(message) = message {
                    return Err(KbError {
                        file: format!("family {}", f.id),
                        message,
                    });
                }
            }
        }
        if let Some(alerts) = &self.backup_alerts {
            for m in &alerts.metric {
                let message = if m.replications.is_empty() {
                    check_metric(m, &[DimensionValue::Vault, DimensionValue::ResourceType])
                } else {
                    Some("a backup metric watches no replication: `replications` is for a family's `lag-metric`".into())
                };
                if let Some(message) = message {
                    return Err(KbError {
                        file: "backup-alerts".into(),
                        message,
                    });
                }
            }
            if alerts.vault_events.is_empty() || alerts.event_detail_types.is_empty() {
                return Err(KbError {
                    file: "backup-alerts".into(),
                    message: "`vault-events` and `event-detail-types` need at least one entry"
                        .into(),
                });
            }
        }
        if let Some(alerts) = &self.azure_backup_alerts {
            let err = |message: String| {
                Err(KbError {
                    file: "azure-backup-alerts".into(),
                    message,
                })
            };
            if alerts.vault.is_empty() {
                return err("`vault` needs at least one entry".into());
            }
            let sources = std::iter::once(&alerts.source)
                .chain(std::iter::once(&alerts.processing_rule.source))
                .chain(alerts.vault.iter().map(|v| &v.source));
            for source in sources {
                if !source.starts_with("https://") {
                    return err(format!("`{source}` is not a documentation URL"));
                }
            }
            // Each workload with a documented alert names its vault with `vault-ref`.
            for t in &alerts.backup_failure_alerts {
                let has_ref = self
                    .resources
                    .get(t)
                    .is_some_and(|r| r.refs.iter().any(|rs| rs.name == alerts.vault_ref));
                if !has_ref {
                    return err(format!(
                        "`{t}` has no `refs` entry named `{}`",
                        alerts.vault_ref
                    ));
                }
            }
        }
        for t in &self.region_tables {
            for r in &t.region {
                if let Some(pair) = &r.pair
                    && !t.region.iter().any(|o| &o.name == pair)
                {
                    return Err(KbError {
                        file: format!("region table {}", t.cloud),
                        message: format!(
                            "region `{}` is paired with `{pair}`, which the table does not list",
                            r.name
                        ),
                    });
                }
                if let Some(m) = &r.multi_region
                    && !t.location.iter().any(|l| &l.name == m)
                {
                    return Err(KbError {
                        file: format!("region table {}", t.cloud),
                        message: format!(
                            "region `{}` is in multi-region `{m}`, which the table does not list",
                            r.name
                        ),
                    });
                }
            }
            for l in &t.location {
                let bad_kind = !["dual-region", "multi-region"].contains(&l.kind.as_str());
                let unknown = l
                    .regions
                    .iter()
                    .find(|name| !t.region.iter().any(|r| &&r.name == name));
                if bad_kind || unknown.is_some() || l.name != l.name.to_lowercase() {
                    return Err(KbError {
                        file: format!("region table {}", t.cloud),
                        message: match unknown {
                            Some(name) => format!(
                                "location `{}` spans `{name}`, which the table does not list",
                                l.name
                            ),
                            None if bad_kind => format!(
                                "location `{}` has kind `{}` (known: dual-region, multi-region)",
                                l.name, l.kind
                            ),
                            None => format!("location `{}` is not in lower case", l.name),
                        },
                    });
                }
            }
        }
        Ok(())
    }

    fn check_resource(&self, r: &ResourceSpec) -> Result<(), String> {
        if r.family.is_none() && r.role.is_none() && r.attaches_to.is_none() {
            return Err("needs a `family`, a `role` or `attaches-to`".into());
        }
        for family in r
            .family
            .iter()
            .chain(r.attaches_to.as_ref().map(|a| &a.family))
            .chain(&r.target_family)
            .chain(r.target_families.values())
        {
            if !self.families.contains_key(family) {
                return Err(format!("unknown family `{family}`"));
            }
        }
        check_fields(r)?;
        if let Some(m) = &r.member_of {
            match (&m.family, &m.name) {
                (Some(f), _) if !self.families.contains_key(f) => {
                    return Err(format!("`member-of` names unknown family `{f}`"));
                }
                (None, None) => return Err("`member-of` needs a `family` or a `name`".into()),
                _ => {}
            }
        }
        check_refs(r)?;
        // Lifecycle caps and unsizing attachments name a mechanism of the family.
        let family = r.mechanism_family();
        let named = r
            .retention_cap
            .iter()
            .map(|c| ("retention-cap", &c.mechanism))
            .chain(r.unsizes.iter().map(|u| ("unsizes", &u.mechanism)));
        for (field, mechanism) in named {
            let known = family
                .and_then(|f| self.families.get(f))
                .is_some_and(|f| f.mechanism.iter().any(|m| &m.id == mechanism));
            if !known {
                return Err(format!(
                    "`{field}` names mechanism `{mechanism}`, which family `{}` does not declare",
                    family.unwrap_or("(none)")
                ));
            }
        }
        Ok(())
    }
}

/// A metric names at least one metric, and its dimensions designate what they can where it is
/// used (a lag metric: the replica, its source or region; a backup metric: the vault or the
/// resource type).
fn check_metric(m: &MetricSpec, allowed: &[DimensionValue]) -> Option<String> {
    if m.metrics.is_empty() || m.metrics.iter().any(|n| n.trim().is_empty()) {
        return Some(format!(
            "a metric of namespace `{}` needs `metrics`, its names",
            m.namespace
        ));
    }
    let role = m.alert_role();
    if !matches!(
        role,
        Role::MetricAlarm | Role::MetricAlert | Role::AlertPolicy
    ) {
        return Some(format!(
            "`alert` of {} is `{}`, which watches no metric (known: metric-alarm, metric-alert, alert-policy)",
            m.metrics.join(", "),
            role.name()
        ));
    }
    match (role, m.scope) {
        (Role::MetricAlert, Some(DimensionValue::Replica | DimensionValue::Source)) => {}
        (Role::MetricAlert, _) => {
            return Some(format!(
                "an Azure Monitor metric ({}) needs `scope`, `replica` or `source`: what the alert's scopes must designate",
                m.metrics.join(", ")
            ));
        }
        (_, Some(_)) => {
            return Some(format!(
                "`scope` of {} is for an Azure Monitor metric alert (`alert = \"metric-alert\"`)",
                m.metrics.join(", ")
            ));
        }
        _ => {}
    }
    if let Some(d) = m
        .dimensions
        .iter()
        .find(|d| d.format.as_ref().is_some_and(|f| !f.ends_with("{name}")))
    {
        return Some(format!(
            "the `format` of dimension `{}` must end with `{{name}}`",
            d.name
        ));
    }
    m.dimensions
        .iter()
        .find(|d| !allowed.contains(&d.value))
        .map(|d| {
            format!(
                "dimension `{}` of {} designates `{:?}`, which does not apply here",
                d.name,
                m.metrics.join(", "),
                d.value
            )
        })
}

/// Every `on = "<name>"` names one of the resource's `refs`: a typo would otherwise make the
/// condition unknown everywhere.
fn check_refs(r: &ResourceSpec) -> Result<(), String> {
    let mut names: Vec<&On> = Vec::new();
    fn predicate<'p>(p: &'p Predicate, out: &mut Vec<&'p On>) {
        out.push(&p.on);
        for q in p.all.iter().chain(&p.any) {
            predicate(q, out);
        }
        if let Some(q) = &p.not {
            predicate(q, out);
        }
        for dw in &p.default_when {
            predicate(&dw.when, out);
        }
    }
    let quantity = |q: &'_ Option<QuantitySpec>| q.as_ref().map(|q| q.on.clone());
    let mut owned: Vec<On> = Vec::new();
    for m in r
        .mechanism
        .iter()
        .chain(r.replicas.iter().flat_map(|rs| &rs.mechanism))
    {
        for p in [&m.applies, &m.enabled, &m.single_zone_when]
            .into_iter()
            .flatten()
        {
            predicate(p, &mut names);
        }
        for w in &m.rpo_when {
            predicate(&w.when, &mut names);
        }
        owned.extend(quantity(&m.retention));
        owned.extend(quantity(&m.interval));
        owned.push(m.region_on.clone());
    }
    for rs in &r.replicas {
        for p in rs.enabled.iter().chain(&rs.partial_when) {
            predicate(p, &mut names);
        }
        for w in rs.rpo_when.iter().chain(&rs.rto_when) {
            predicate(&w.when, &mut names);
        }
        owned.extend(quantity(&rs.rpo));
        owned.extend(quantity(&rs.rto));
    }
    for on in names.into_iter().chain(owned.iter()) {
        if let On::Ref(name) = on
            && !r.refs.iter().any(|d| &d.name == name)
        {
            return Err(format!(
                "`on = \"{name}\"` names no entry of `refs` (declare {{ name = \"{name}\", path = ..., types = [...] }}, or use \"item\" or \"resource\")"
            ));
        }
    }
    Ok(())
}

/// A protector maps every field its role requires, no field its role does not read, and names
/// its target family when its role needs one.
fn check_fields(r: &ResourceSpec) -> Result<(), String> {
    let Some(role) = r.role else {
        if let Some(f) = r.fields.keys().next() {
            return Err(format!(
                "field `{f}`: only a resource with a `role` maps fields"
            ));
        }
        if r.target_family.is_some() {
            return Err("`target-family` is only for a `dlm-policy` role".into());
        }
        return Ok(());
    };
    for f in role.required_fields() {
        if r.field(f).is_none() {
            return Err(format!("role needs field `{f}`"));
        }
    }
    for f in r.fields.keys() {
        if !role.required_fields().contains(&f.as_str())
            && !role.optional_fields().contains(&f.as_str())
        {
            return Err(format!(
                "unknown field `{f}` for role `{}` (known: {})",
                role.name(),
                [role.required_fields(), role.optional_fields()]
                    .concat()
                    .join(", ")
            ));
        }
    }
    match (&r.target_family, role.needs_target_family()) {
        (None, true) => Err("its role needs a `target-family`".into()),
        (Some(_), false) => Err("`target-family` is only for a `dlm-policy` role".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::BUILTIN;
    use super::*;

    /// Validates the built-in files plus `text`: the error message, if any.
    fn validate_with(text: &str) -> Result<(), String> {
        let mut kb = KnowledgeBase::default();
        for (name, builtin) in BUILTIN {
            kb.add_file(name, builtin).map_err(|e| e.to_string())?;
        }
        kb.add_file("user.toml", text).map_err(|e| e.to_string())?;
        kb.finish().map_err(|e| e.to_string())
    }

    const DLM_FIELDS: &str =
        "[resource.fields]\nresource-types = 'a'\ntarget-tags = 'b'\nschedules = 'c'\n";

    #[test]
    fn lag_metrics_name_replications_of_their_family() {
        let family = |metric: &str| {
            validate_with(&format!(
                "[[family]]\nid = 'x'\nname = 'X'\nrestore-rto = '1h'\n[[family.replication]]\nid = 'replica'\nlabel = 'replica'\nmode = 'async'\nrpo = '1m'\nrto = '1m'\n{metric}"
            ))
        };
        let ok = "[[family.lag-metric]]\nreplications = ['replica']\nnamespace = 'N'\nmetrics = ['Lag']\ndimensions = [{ name = 'Id', value = 'replica' }]\nsource = 'https://example.com'\n";
        assert_eq!(family(ok), Ok(()));
        let e = family(&ok.replace("['replica']", "['global']")).unwrap_err();
        assert!(e.contains("replication `global`"), "{e}");
        let e = family(&ok.replace("'replica' }", "'vault' }")).unwrap_err();
        assert!(e.contains("does not apply"), "{e}");
        let e = family(&ok.replace("['Lag']", "[]")).unwrap_err();
        assert!(e.contains("needs `metrics`"), "{e}");
        // An Azure Monitor metric says what the alert's scopes designate; only it does.
        let azure = "[[family.lag-metric]]\nreplications = ['replica']\nalert = 'metric-alert'\nnamespace = 'N'\nmetrics = ['Lag']\nscope = 'replica'\nsource = 'https://example.com'\n";
        assert_eq!(family(azure), Ok(()));
        let e = family(&azure.replace("scope = 'replica'\n", "")).unwrap_err();
        assert!(e.contains("needs `scope`"), "{e}");
        let e = family(&format!("{ok}scope = 'replica'\n")).unwrap_err();
        assert!(e.contains("for an Azure Monitor metric alert"), "{e}");
        let e = family(&azure.replace("'metric-alert'", "'backup-plan'")).unwrap_err();
        assert!(e.contains("watches no metric"), "{e}");
        let e = family(&format!("{ok}types = ['aws_db_instance']\n")).unwrap_err();
        assert!(e.contains("not a resource of the family"), "{e}");
        let gcp = "[[family.lag-metric]]\nreplications = ['replica']\nalert = 'alert-policy'\nnamespace = 'r'\nmetrics = ['m']\ndimensions = [{ name = 'id', value = 'replica', optional = true, format = '{name}:{project}' }]\nsource = 'https://example.com'\n";
        let e = family(gcp).unwrap_err();
        assert!(e.contains("must end with `{name}`"), "{e}");
        let e = validate_with(
            "[[resource]]\ntype = 'x'\nrole = 'metric-alarm'\n[resource.fields]\nmetric-name = 'm'\n",
        )
        .unwrap_err();
        assert!(e.contains("role needs field `namespace`"), "{e}");
    }

    #[test]
    fn dlm_policies_name_an_existing_target_family() {
        let dlm = |extra: &str| {
            validate_with(&format!(
                "[[resource]]\ntype = 'x'\nrole = 'dlm-policy'\n{extra}{DLM_FIELDS}"
            ))
        };
        assert_eq!(dlm("target-family = 'aws-ebs-volume'\n"), Ok(()));
        let e = dlm("").unwrap_err();
        assert!(e.contains("needs a `target-family`"), "{e}");
        let e = dlm("target-family = 'nope'\n").unwrap_err();
        assert!(e.contains("unknown family `nope`"), "{e}");
        let e = validate_with(
            "[[resource]]\ntype = 'x'\nrole = 'backup-vault'\ntarget-family = 'aws-ebs-volume'\n",
        )
        .unwrap_err();
        assert!(e.contains("only for a `dlm-policy`"), "{e}");
    }

    #[test]
    fn protector_fields_are_those_their_role_reads() {
        let e = validate_with(
            "[[resource]]\ntype = 'x'\nrole = 'backup-vault'\n[resource.fields]\nvault = 'a'\n",
        )
        .unwrap_err();
        assert!(
            e.contains("unknown field `vault` for role `backup-vault`"),
            "{e}"
        );
        let e = validate_with(&format!(
            "[[resource]]\ntype = 'x'\nrole = 'dlm-policy'\ntarget-family = 'aws-ebs-volume'\n{DLM_FIELDS}retain-cuont = 'x'\n"
        ))
        .unwrap_err();
        assert!(e.contains("unknown field `retain-cuont`"), "{e}");
        assert!(
            e.contains("retain-count"),
            "the known fields are listed: {e}"
        );
        let e = validate_with(
            "[[resource]]\ntype = 'x'\nfamily = 'aws-ebs-volume'\n[resource.fields]\nplan = 'a'\n",
        )
        .unwrap_err();
        assert!(
            e.contains("only a resource with a `role` maps fields"),
            "{e}"
        );
        assert_eq!(
            validate_with("[[resource]]\ntype = 'x'\nrole = 'restore-testing-plan'\n"),
            Ok(()),
            "a restore-testing plan needs no field"
        );
    }

    #[test]
    fn retention_caps_name_a_mechanism_of_the_family() {
        let cap = |mechanism: &str| {
            validate_with(&format!(
                "[[resource]]\ntype = 'x'\nattaches-to = {{ path = 'bucket', family = 'aws-s3-bucket' }}\n\
                 [[resource.retention-cap]]\nmechanism = '{mechanism}'\npath = 'days'\nunit = 'days'\n"
            ))
        };
        assert_eq!(cap("versioning"), Ok(()));
        let e = cap("versoning").unwrap_err();
        assert!(
            e.contains("mechanism `versoning`, which family `aws-s3-bucket` does not declare"),
            "{e}"
        );
    }

    #[test]
    fn predicates_read_from_the_item_or_the_resource_only() {
        let on = |value: &str| {
            validate_with(&format!(
                "[[resource]]\ntype = 'x'\nfamily = 'aws-s3-bucket'\n\
                 [[resource.mechanism]]\nid = 'versioning'\n\
                 enabled = {{ path = 'a', equals = true, on = '{value}' }}\n"
            ))
        };
        assert_eq!(on("resource"), Ok(()));
        assert_eq!(on("item"), Ok(()));
        let e = on("resorce").unwrap_err();
        assert!(
            e.contains("`on = \"resorce\"` names no entry of `refs`"),
            "{e}"
        );
        let with_ref = validate_with(
            "[[resource]]\ntype = 'x'\nfamily = 'aws-s3-bucket'\n\
             refs = [{ name = 'policy', path = 'p', types = ['y'], label = 'policy' }]\n\
             [[resource.mechanism]]\nid = 'versioning'\n\
             enabled = { path = 'a', equals = true, on = 'policy' }\n",
        );
        assert_eq!(with_ref, Ok(()));
    }

    #[test]
    fn figures_are_written_once_on_the_family() {
        let mapping = |body: &str| {
            validate_with(&format!(
                "[[resource]]\ntype = 'x'\nfamily = 'aws-s3-bucket'\n[[resource.mechanism]]\n{body}"
            ))
        };
        assert_eq!(mapping("id = 'versioning'\n"), Ok(()));
        // A mapping repeats no figure: the family's is the one.
        let e = mapping("id = 'versioning'\nrpo = '0s'\n").unwrap_err();
        assert!(e.contains("unknown field `rpo`"), "{e}");
        let e = mapping("id = 'versoning'\n").unwrap_err();
        assert!(
            e.contains("mechanism `versoning` is not a mechanism of family `aws-s3-bucket`")
                && e.contains("known: regional-storage, versioning"),
            "{e}"
        );
        let e = mapping("id = 'versioning'\nrpo-when = [{ when = { path = 'a', present = true }, case = 'fast' }]\n")
            .unwrap_err();
        assert!(e.contains("names case `fast`"), "{e}");
        let e = validate_with(
            "[[resource]]\ntype = 'x'\nfamily = 'aws-s3-bucket'\n[[resource.replicas]]\nreplication = 'mirror'\n",
        )
        .unwrap_err();
        assert!(
            e.contains("replication `mirror` is not a replication"),
            "{e}"
        );
    }

    #[test]
    fn every_family_mapping_shares_the_family_figures() {
        let mut kb = KnowledgeBase::default();
        for (name, builtin) in BUILTIN {
            kb.add_file(name, builtin).unwrap();
        }
        kb.finish().unwrap();
        // The DynamoDB drift the issue names: GlobalTable had lost regional storage's note.
        for t in [
            "aws_dynamodb_table",
            "AWS::DynamoDB::Table",
            "AWS::DynamoDB::GlobalTable",
        ] {
            let m = kb
                .resource(t)
                .unwrap()
                .mechanism
                .iter()
                .find(|m| m.id == "regional-storage");
            assert!(
                m.unwrap().def.rpo.figure().note.is_some(),
                "{t}: regional storage has its family's note"
            );
        }
    }
}
