//! AWS Backup: plans with their rules (schedule, continuous backup, lifecycle, copies), the
//! selections that assign resources to plans, and restore-testing plans.
//!
//! Semantics (AWS Backup developer guide; domain-knowledge §3.13):
//! - a rule's RPO is the largest gap between two runs of its schedule; without a schedule it
//!   takes no periodic backups;
//! - `enable_continuous_backup` gives point-in-time recovery for the services that support it;
//! - recovery points without a lifecycle `delete_after` are kept until deleted;
//! - a `copy_action` keeps a copy in the destination vault's region (from its ARN, or from the
//!   vault resource it references);
//! - a selection picks resources in its plan's region that are listed in `resources` (ARNs,
//!   references, `*` patterns) or match a `selection_tag` (either suffices), that satisfy every
//!   `condition`, and that are not in `not_resources`.

use super::backup_selection::Selection;
use crate::infer::link::{Linker, Target, Want};
use crate::infer::own::region_from_node;
use crate::infer::schedule::{self, Schedule};
use crate::infer::select::{Tri, reaches};
use crate::infer::{
    BackupTarget, Certainty, Component, Disabled, Estimate, InferOptions, Mechanism, RestoreTest,
    Retention,
};
use crate::knowledge::predicate::{Context, Fact, NodeExt, eval_quantity_at};
use crate::knowledge::schema::Unit;
use crate::knowledge::{Figure, KnowledgeBase, MechanismKind, ResourceSpec, Role};
use crate::model::node::Node;
use crate::model::{Model, Region, Resource, ResourceId};
use crate::source::Span;

/// A schedule as read from a rule: its RPO and cadence, or why they are unknown.
struct RuleSchedule {
    rpo: Estimate,
    cadence: Option<String>,
    span: Span,
}

/// One copy action of a rule.
struct Copy {
    region: Region,
    retention: Retention,
    span: Span,
    destination: String,
}

/// One rule of a backup plan.
struct Rule {
    name: String,
    schedule: Option<RuleSchedule>,
    continuous: Fact<bool>,
    retention: Retention,
    copies: Vec<Copy>,
    span: Span,
    /// Set when the rule's target vault is locked (Vault Lock) with limits its retention breaks:
    /// AWS Backup fails its jobs, so it makes no recovery points. Why, and where.
    fails: Option<(String, Span)>,
    /// The vault it writes to.
    vault: Vault,
}

/// The target vault of a rule: what it designates, its name as written, and where.
#[derive(Clone)]
struct Vault {
    target: Target,
    name: Option<String>,
    span: Span,
}

impl Vault {
    /// The vault a rule names in `field` (`target_vault_name`).
    fn read(rule: &Node, field: Option<&str>, linker: &Linker<'_>) -> Vault {
        match field.and_then(|p| rule.lookup_entry(p)) {
            Some(e) => Vault {
                target: linker.resolve(&e.value, Want::Role(Role::BackupVault)),
                name: match &e.value.kind {
                    crate::model::node::Kind::Ref(_) => None,
                    _ => e.value.as_str().map(|s| s.into_owned()),
                },
                span: e.span(),
            },
            None => Vault::unknown("the rule names no target vault".into(), rule.span),
        }
    }

    fn unknown(reason: String, span: Span) -> Vault {
        Vault {
            target: Target::Unknown { reason, span },
            name: None,
            span,
        }
    }
}

/// A backup plan, read once.
struct Plan {
    id: ResourceId,
    rules: Vec<Rule>,
    /// Set when the rules themselves are unknown (a dynamic block over an unknown value).
    unknown_rules: Option<(String, Span)>,
}

/// Adds AWS Backup mechanisms and restore tests to the components.
pub fn apply(
    model: &Model,
    kb: &KnowledgeBase,
    linker: &Linker<'_>,
    options: &InferOptions,
    components: &mut [Component],
    index: &[Option<usize>],
) {
    let locks = read_vault_locks(model, linker);
    let plans: Vec<Plan> = linker
        .with_role(Role::BackupPlan)
        .map(|(r, spec)| read_plan(r, spec, linker, &locks, options))
        .collect();
    let continuous_rpo = kb
        .global_figure("aws-backup/continuous/rpo")
        .map(|f| Estimate::figure(&f))
        .unwrap_or(Estimate::Known {
            secs: 300,
            basis: "model default".into(),
        });
    let cx = Selections {
        model,
        kb,
        linker,
        options,
        index,
        plans,
        figures: Figures {
            continuous_rpo,
            copy_lag: kb.global_figure("aws-backup/copy/lag"),
        },
        covered: Default::default(),
    };
    for sel in &model.resources {
        let Some(spec) = kb.resource(&sel.rtype) else {
            continue;
        };
        match spec.role {
            Some(Role::BackupSelection) => cx.backup_selection(sel, spec, components),
            Some(Role::RestoreTestingSelection) => {
                cx.restore_testing_selection(sel, spec, components)
            }
            _ => {}
        }
    }
}

/// What selections are evaluated against.
struct Selections<'a> {
    model: &'a Model,
    kb: &'a KnowledgeBase,
    linker: &'a Linker<'a>,
    options: &'a InferOptions,
    index: &'a [Option<usize>],
    plans: Vec<Plan>,
    figures: Figures,
    /// (plan, resource) pairs whose rules a selection certainly added: another selection of the
    /// same plan that picks the resource adds the same mechanisms again (AWS Backup backs a
    /// resource up once per rule however many selections pick it), and many selections over
    /// many resources made that quadratic in mechanisms.
    covered: std::cell::RefCell<std::collections::HashSet<(ResourceId, ResourceId)>>,
}

/// Knowledge-base figures of AWS Backup itself (after overrides).
struct Figures {
    /// RPO of continuous backup.
    continuous_rpo: Estimate,
    /// The time a copy takes to reach its destination vault.
    copy_lag: Option<Figure>,
}

fn read_plan(
    r: &Resource,
    spec: &ResourceSpec,
    linker: &Linker<'_>,
    locks: &[VaultLock],
    options: &InferOptions,
) -> Plan {
    let f = |name: &str| spec.field(name).unwrap_or("");
    let mut rules = Vec::new();
    let mut unknown_rules = None;
    for (i, rule) in r.body.lookup(f("rules")).into_iter().enumerate() {
        if let Some(reason) = rule.unknown_reason() {
            unknown_rules = Some((reason, rule.span));
            continue;
        }
        let name = spec
            .field("rule-name")
            .and_then(|p| rule.get(p).and_then(|n| n.as_str()).map(|s| s.into_owned()))
            .unwrap_or_else(|| format!("#{}", i + 1));
        let ctx = Context::resource(rule, rule.span);
        let timezone = spec
            .field("schedule-timezone")
            .and_then(|p| rule.get(p))
            .and_then(|n| n.as_str().map(|s| s.into_owned()));
        let schedule = rule
            .lookup_entry(f("schedule"))
            .filter(|e| !e.value.is_null())
            .map(|e| read_schedule(&e.value, e.span(), timezone.as_deref(), options));
        let continuous = match rule.lookup_entry(f("continuous")) {
            Some(e) if !e.value.is_null() => match (e.value.as_bool(), e.value.unknown_reason()) {
                (Some(b), _) => Fact::Known {
                    value: b,
                    span: e.span(),
                    implicit: None,
                },
                (None, Some(reason)) => Fact::Unknown {
                    reason,
                    span: e.value.span,
                },
                (None, None) => Fact::Known {
                    value: false,
                    span: e.span(),
                    implicit: None,
                },
            },
            _ => Fact::Known {
                value: false,
                span: rule.span,
                implicit: None,
            },
        };
        let retention = days(f("delete-after-days"), &ctx);
        let copies = rule
            .lookup(f("copy-actions"))
            .into_iter()
            .map(|c| read_copy(c, spec, linker, &retention))
            .collect();
        let fails = vault_lock_breach(rule, spec, linker, locks, &retention);
        let vault = Vault::read(rule, spec.field("target-vault"), linker);
        rules.push(Rule {
            name,
            schedule,
            continuous,
            retention,
            copies,
            span: rule.span,
            fails,
            vault,
        });
    }
    Plan {
        id: r.id,
        rules,
        unknown_rules,
    }
}

/// One Vault Lock: the vault it locks, the resource that declares it (the vault itself in
/// CloudFormation, a lock resource in Terraform), and its limits in days.
struct VaultLock {
    vault: ResourceId,
    declared_by: ResourceId,
    min_days: Option<u64>,
    max_days: Option<u64>,
}

/// Every Vault Lock of the model, read once.
fn read_vault_locks(model: &Model, linker: &Linker<'_>) -> Vec<VaultLock> {
    let mut locks = Vec::new();
    for r in &model.resources {
        let Some(spec) = linker.spec(r.id) else {
            continue;
        };
        let limit = |field: &str| -> Option<u64> {
            let n = spec.field(field).and_then(|p| r.attr(p))?;
            n.as_f64().filter(|v| *v >= 0.0).map(|v| v as u64)
        };
        let (min_days, max_days) = (limit("lock-min-days"), limit("lock-max-days"));
        if min_days.is_none() && max_days.is_none() {
            continue;
        }
        let vaults = match spec.role {
            Some(Role::BackupVault) => vec![r.id],
            // A lock that may not exist decides nothing.
            Some(Role::BackupVaultLock) if Certainty::existence(r).is_certain() => {
                match spec
                    .field("vault")
                    .and_then(|p| r.attr(p))
                    .map(|n| linker.resolve(n, Want::Role(Role::BackupVault)))
                {
                    Some(Target::Found(ids)) => ids,
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        locks.extend(vaults.into_iter().map(|vault| VaultLock {
            vault,
            declared_by: r.id,
            min_days,
            max_days,
        }));
    }
    locks
}

/// Whether a rule's retention breaks the Vault Lock of its target vault (a backup job outside
/// the lock's minimum and maximum retention fails): why, and where the retention is written.
/// Only known values decide.
fn vault_lock_breach(
    rule: &Node,
    spec: &ResourceSpec,
    linker: &Linker<'_>,
    locks: &[VaultLock],
    retention: &Retention,
) -> Option<(String, Span)> {
    let Retention::Known { secs, span, .. } = retention else {
        return None;
    };
    let days = secs / 86_400;
    let vault = spec.field("target-vault").and_then(|p| rule.get(p))?;
    let Target::Found(vaults) = linker.resolve(vault, Want::Role(Role::BackupVault)) else {
        return None;
    };
    let model = linker.model();
    for lock in locks.iter().filter(|l| vaults.contains(&l.vault)) {
        let breach = match (lock.min_days, lock.max_days) {
            (_, Some(max)) if days > max => format!("allows at most {max}"),
            (Some(min), _) if days < min => format!("requires at least {min}"),
            _ => continue,
        };
        return Some((
            format!(
                "it keeps recovery points {days} days in {}, whose Vault Lock ({}) {breach}: AWS Backup fails its jobs",
                model.get(lock.vault).address,
                model.get(lock.declared_by).address
            ),
            *span,
        ));
    }
    None
}

/// A lifecycle `delete_after` in days: unbounded when absent.
fn days(path: &str, ctx: &Context<'_>) -> Retention {
    Retention::from(eval_quantity_at(Some(path), Unit::Days, None, ctx))
}

fn read_schedule(
    node: &Node,
    span: Span,
    timezone: Option<&str>,
    options: &InferOptions,
) -> RuleSchedule {
    match node.as_str() {
        Some(expr) => match schedule::parse_aws_schedule(&expr, timezone, options.now) {
            Ok(s) => schedule_estimate(&s, &expr, span),
            Err(e) => RuleSchedule {
                rpo: Estimate::Unknown {
                    reason: format!("the schedule `{expr}` is not valid: {e}"),
                    span: node.span,
                    upper: None,
                },
                cadence: None,
                span,
            },
        },
        None => RuleSchedule {
            rpo: Estimate::Unknown {
                reason: node
                    .unknown_reason()
                    .unwrap_or_else(|| "the schedule is not a string".into()),
                span: node.span,
                upper: None,
            },
            cadence: None,
            span,
        },
    }
}

fn schedule_estimate(s: &Schedule, expr: &str, span: Span) -> RuleSchedule {
    match s.max_gap_secs() {
        Some(gap) => RuleSchedule {
            rpo: Estimate::Known {
                secs: gap,
                basis: format!("largest gap between runs of `{expr}`"),
            },
            cadence: Some(s.describe()),
            span,
        },
        None => RuleSchedule {
            rpo: Estimate::Unknown {
                reason: format!("the schedule `{expr}` stops running (or runs only once)"),
                span,
                upper: None,
            },
            cadence: Some(s.describe()),
            span,
        },
    }
}

fn read_copy(
    c: &Node,
    spec: &ResourceSpec,
    linker: &Linker<'_>,
    rule_retention: &Retention,
) -> Copy {
    let dest_path = spec.field("copy-destination").unwrap_or("");
    let dest = c.first(dest_path);
    let (region, destination) = match dest {
        Some(d) => {
            let region = match linker.resolve(d, Want::Role(Role::BackupVault)) {
                Target::Found(ids) if !ids.is_empty() => linker.model().get(ids[0]).region.clone(),
                _ => region_from_node(d),
            };
            let text = match d.as_ref_target() {
                Some(r) => r.text.clone(),
                None => d
                    .partial_str()
                    .map(|s| s.into_owned())
                    .unwrap_or_else(|| "an unknown vault".into()),
            };
            (region, text)
        }
        None => (
            Region::Unknown {
                reason: "the copy action names no destination vault".into(),
            },
            "an unnamed vault".into(),
        ),
    };
    let ctx = Context::resource(c, c.span);
    let retention = match spec.field("copy-delete-after-days") {
        Some(p) => match days(p, &ctx) {
            // Without its own lifecycle a copy follows the rule's [U].
            Retention::Unbounded => rule_retention.clone(),
            r => r,
        },
        None => rule_retention.clone(),
    };
    Copy {
        region,
        retention,
        span: c.span,
        destination,
    }
}

impl<'a> Selections<'a> {
    /// The resources a selection may pick: when it lists only references (the common case), just
    /// those; otherwise every resource that belongs to a component.
    fn candidates(&self, sel: &Selection<'_>) -> Vec<(&'a Resource, usize)> {
        if sel.only_references() {
            let mut out: Vec<(&Resource, usize)> = sel
                .resources
                .iter()
                .filter_map(|e| e.as_ref_target())
                .flat_map(|r| self.model.resolve(&r.target))
                .filter_map(|id| self.index[id.index()].map(|ci| (self.model.get(id), ci)))
                .collect();
            out.sort_by_key(|(r, _)| r.id);
            out.dedup_by_key(|(r, _)| r.id);
            return out;
        }
        members(self.model, self.index).collect()
    }

    /// Which resources a selection picks, and the plans it assigns them to.
    fn backup_selection(&self, sel: &Resource, spec: &ResourceSpec, components: &mut [Component]) {
        let (model, kb, linker, options) = (self.model, self.kb, self.linker, self.options);
        let (plans, figures) = (&self.plans, &self.figures);
        let plan_node = spec.field("plan").and_then(|p| sel.attr(p));
        let selected_plans: Vec<&Plan> =
            match plan_node.map(|n| linker.resolve(n, Want::Role(Role::BackupPlan))) {
                Some(Target::Found(ids)) => plans.iter().filter(|p| ids.contains(&p.id)).collect(),
                _ => Vec::new(),
            };
        if selected_plans.is_empty() {
            // The plan is outside the scan or unknown: the selection's effect cannot be estimated.
            return;
        }
        let selection = Selection::read(sel, spec);
        // A selection or a plan that may not exist selects nothing for certain.
        let exists = Certainty::existence(sel);
        for (r, ci) in self.candidates(&selection) {
            let Some(family) = linker.family(r.id) else {
                continue;
            };
            // AWS Backup protects only the resource types it supports (`backup-type`): a
            // selection of `*` does not back up an ElastiCache group.
            if kb.family(family).is_none_or(|f| f.backup_type.is_none()) {
                continue;
            }
            let picked = selection.backup_selects(linker, kb, r, family);
            for plan in &selected_plans {
                if self.covered.borrow().contains(&(plan.id, r.id)) {
                    continue;
                }
                let plan_res = model.get(plan.id);
                let in_region = reaches(plan_res, r, "an AWS Backup plan", options.same_account);
                let Some(certainty) = picked.clone().and(in_region).certainty() else {
                    continue;
                };
                let certainty = certainty
                    .and(exists.clone())
                    .and(Certainty::existence(plan_res));
                if certainty.is_certain() {
                    self.covered.borrow_mut().insert((plan.id, r.id));
                }
                let supports_continuous = kb.family(family).is_some_and(|f| f.continuous_backup);
                let restore_rto = crate::infer::restore_rto(kb, family);
                let c = &mut components[ci];
                let target = |rule: Option<String>, vault: &Vault| BackupTarget {
                    plan: plan.id,
                    rule,
                    protects: r.id,
                    vault: vault.target.clone(),
                    vault_name: vault.name.clone(),
                    span: vault.span,
                    certainty: certainty.clone(),
                };
                if let Some((reason, span)) = &plan.unknown_rules {
                    c.backup_targets.push(target(
                        None,
                        &Vault::unknown(
                            format!("the rules of {} are unknown: {reason}", plan_res.address),
                            *span,
                        ),
                    ));
                    c.mechanisms.push(unknown_rule_mechanism(
                        plan_res,
                        r,
                        reason,
                        *span,
                        &certainty,
                        &restore_rto,
                    ));
                }
                for rule in &plan.rules {
                    c.backup_targets
                        .push(target(Some(rule.name.clone()), &rule.vault));
                    add_rule(
                        c,
                        plan_res,
                        r,
                        rule,
                        &certainty,
                        supports_continuous,
                        figures,
                        &restore_rto,
                    );
                }
            }
        }
    }
}

fn unknown_rule_mechanism(
    plan: &Resource,
    r: &Resource,
    reason: &str,
    span: Span,
    certainty: &Certainty,
    restore_rto: &Estimate,
) -> Mechanism {
    Mechanism {
        kind: MechanismKind::ScheduledBackup,
        id: "aws-backup".into(),
        label: format!("AWS Backup rules of {}", plan.address),
        cadence: None,
        origin: plan.id,
        protects: r.id,
        span,
        certainty: certainty.clone().and(Certainty::Uncertain {
            reason: format!("the rules of {} are unknown: {reason}", plan.address),
            span,
        }),
        rpo: Estimate::Unknown {
            reason: reason.to_string(),
            span,
            upper: None,
        },
        rto: restore_rto.clone(),
        retention: Some(Retention::Unknown {
            reason: reason.to_string(),
            span,
        }),
        region: r.region.clone(),
        mode: None,
        implicit: None,
        single_zone: None,
        spans_regions: false,
    }
}

#[allow(clippy::too_many_arguments)]
fn add_rule(
    c: &mut Component,
    plan: &Resource,
    r: &Resource,
    rule: &Rule,
    certainty: &Certainty,
    supports_continuous: bool,
    figures: &Figures,
    restore_rto: &Estimate,
) {
    let label = format!("AWS Backup rule `{}` of {}", rule.name, plan.address);
    if let Some((why, span)) = &rule.fails {
        // Its jobs fail: no recovery points. Findings point at the retention to change.
        if certainty.is_certain() {
            c.disabled.push(Disabled {
                resource: r.id,
                kind: MechanismKind::ScheduledBackup,
                label: format!("{label} ({why})"),
                span: *span,
                implicit: None,
            });
        }
        return;
    }
    let base = |kind,
                rpo: Estimate,
                span,
                retention: Retention,
                region: Region,
                label: String,
                cadence| Mechanism {
        kind,
        id: "aws-backup".into(),
        label,
        cadence,
        origin: plan.id,
        protects: r.id,
        span,
        certainty: certainty.clone(),
        rpo,
        rto: restore_rto.clone(),
        retention: Some(retention),
        region,
        mode: None,
        implicit: None,
        single_zone: None,
        spans_regions: false,
    };
    if let Some(s) = &rule.schedule {
        c.mechanisms.push(base(
            MechanismKind::ScheduledBackup,
            s.rpo.clone(),
            s.span,
            rule.retention.clone(),
            r.region.clone(),
            label.clone(),
            s.cadence.clone(),
        ));
    }
    let continuous = match &rule.continuous {
        Fact::Known {
            value: true, span, ..
        } => Some((*span, certainty.clone())),
        Fact::Unknown { reason, span } => Some((
            *span,
            certainty.clone().and(Certainty::Uncertain {
                reason: format!("whether continuous backup is on is unknown: {reason}"),
                span: *span,
            }),
        )),
        Fact::Known { value: false, .. } => None,
    };
    if let Some((span, certainty)) = continuous.filter(|_| supports_continuous) {
        let mut m = base(
            MechanismKind::ContinuousBackup,
            figures.continuous_rpo.clone(),
            span,
            cap_continuous(&rule.retention),
            r.region.clone(),
            format!("continuous backup of {label}"),
            None,
        );
        m.certainty = certainty;
        c.mechanisms.push(m);
    }
    for copy in &rule.copies {
        let rpo = match &rule.schedule {
            Some(s) => after_copy_lag(&s.rpo, figures.copy_lag.as_ref()),
            None => Estimate::Unknown {
                reason: format!(
                    "rule `{}` has no schedule, so its copies are not periodic",
                    rule.name
                ),
                span: rule.span,
                upper: None,
            },
        };
        c.mechanisms.push(base(
            MechanismKind::BackupCopy,
            rpo,
            copy.span,
            copy.retention.clone(),
            copy.region.clone(),
            format!("copy to {} by {label}", copy.destination),
            rule.schedule.as_ref().and_then(|s| s.cadence.clone()),
        ));
    }
}

/// A copy arrives in its destination vault the copy lag after the backup it copies: its RPO is
/// the schedule's plus that lag (domain knowledge §6: "backup interval + copy lag").
fn after_copy_lag(rpo: &Estimate, lag: Option<&Figure>) -> Estimate {
    let Some(lag) = lag.filter(|l| l.value > 0) else {
        return rpo.clone();
    };
    match rpo {
        Estimate::Known { secs, basis } => Estimate::Known {
            secs: secs.saturating_add(lag.value),
            basis: format!(
                "{basis}, plus a copy lag of {} ({})",
                crate::duration::format(lag.value),
                lag.provenance()
            ),
        },
        Estimate::Unknown {
            reason,
            span,
            upper,
        } => Estimate::Unknown {
            reason: reason.clone(),
            span: *span,
            upper: upper.map(|u| u.saturating_add(lag.value)),
        },
    }
}

/// Continuous backups are kept at most 35 days.
fn cap_continuous(r: &Retention) -> Retention {
    const MAX: u64 = 35 * 86_400;
    match r {
        Retention::Unbounded => Retention::Known {
            secs: MAX,
            span: Span::default(),
            implicit: Some("continuous backups are kept at most 35 days".into()),
        },
        Retention::Known {
            secs,
            span,
            implicit,
        } => Retention::Known {
            secs: (*secs).min(MAX),
            span: *span,
            implicit: implicit.clone(),
        },
        u => u.clone(),
    }
}

/// The resources that belong to a component, with the component's index.
fn members<'m>(
    model: &'m Model,
    index: &'m [Option<usize>],
) -> impl Iterator<Item = (&'m Resource, usize)> + 'm {
    model
        .resources
        .iter()
        .filter_map(move |r| index[r.id.index()].map(|ci| (r, ci)))
}

impl Selections<'_> {
    fn restore_testing_selection(
        &self,
        sel: &Resource,
        spec: &ResourceSpec,
        components: &mut [Component],
    ) {
        let (model, kb, linker, index, options) =
            (self.model, self.kb, self.linker, self.index, self.options);
        let plan = spec
            .field("plan")
            .and_then(|p| sel.attr(p))
            .map(|n| linker.resolve(n, Want::Role(Role::RestoreTestingPlan)));
        let plan_label = match &plan {
            Some(Target::Found(ids)) if !ids.is_empty() => model.get(ids[0]).address.clone(),
            _ => return,
        };
        let rtype = spec
            .field("resource-type")
            .and_then(|p| sel.attr(p))
            .and_then(|n| n.as_str().map(|s| s.into_owned()));
        let selection = Selection::read(sel, spec);
        for (r, ci) in members(model, index) {
            let Some(family) = linker.family(r.id) else {
                continue;
            };
            let Some(backup_type) = kb.family(family).and_then(|f| f.backup_type.as_deref()) else {
                continue;
            };
            let type_match = match &rtype {
                Some(t) => Tri::from_bool(t.eq_ignore_ascii_case(backup_type)),
                None => Tri::Maybe {
                    reason: "the protected resource type is unknown".into(),
                    span: sel.span,
                },
            };
            let picked = selection.restore_test_selects(linker, kb, r, family);
            let in_region = reaches(
                sel,
                r,
                "an AWS Backup restore-testing selection",
                options.same_account,
            );
            if let Some(certainty) = type_match.and(picked).and(in_region).certainty() {
                let certainty = certainty.and(Certainty::existence(sel));
                components[ci].restore_tests.push(RestoreTest {
                    origin: sel.id,
                    label: format!("restore testing by {} ({plan_label})", sel.address),
                    span: sel.span,
                    certainty,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::testing::{component, infer_cfn, kb};

    const TEMPLATE: &str = r#"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: bp
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: v
            ScheduleExpression: "cron(0 5 ? * * *)"
            CopyActions: [{ DestinationBackupVaultArn: "arn:aws:backup:us-east-1:123456789012:backup-vault:dr" }]
  Sel:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection: { SelectionName: s, IamRoleArn: r, Resources: [!GetAtt Db.DBInstanceArn] }
"#;

    fn copy_rpo(overrides: &[(&str, u64)]) -> Estimate {
        let mut kb = kb();
        kb.set_overrides(overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect());
        let (model, inf) = infer_cfn(&kb, TEMPLATE);
        let c = component(&model, &inf, "Db");
        let copy = c
            .mechanisms
            .iter()
            .find(|m| m.kind == MechanismKind::BackupCopy)
            .expect("the rule's copy");
        assert_eq!(copy.region.name(), Some("us-east-1"));
        copy.rpo.clone()
    }

    #[test]
    fn copies_arrive_after_the_copy_lag() {
        assert_eq!(copy_rpo(&[]).secs(), Some(86_400), "no lag by default");
        let rpo = copy_rpo(&[("aws-backup/copy/lag", 3_600)]);
        assert_eq!(rpo.secs(), Some(86_400 + 3_600));
        assert!(
            matches!(&rpo, Estimate::Known { basis, .. } if basis.contains("copy lag of 1h (resilint.toml)")),
            "{rpo:?}"
        );
    }
}
