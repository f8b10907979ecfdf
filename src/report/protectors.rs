//! Protectors in explain: each backup plan, DLM policy and restore-testing plan of the scan (and
//! every other resource that gives a component a mechanism without being one of its members,
//! such as an S3 replication configuration, or on Azure and Google Cloud the resource that
//! attaches a backup policy to a disk or VM), with what it gives and which resources it covers.
//! A plan that selects nothing in the scan says so: a platform team that owns only the backup
//! module needs this view.

use serde::Serialize;

use super::explain_json::{ExplainBackup, backup_entry, file_line};
use crate::infer::Component;
use crate::knowledge::MechanismKind;
use crate::knowledge::schema::Role;
use crate::model::ResourceId;
use crate::scan::Scan;

/// One protector.
#[derive(Debug, Serialize)]
pub struct ExplainProtector {
    /// Its address.
    pub address: String,
    /// Its type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// What it is (`AWS Backup plan`).
    pub what: String,
    /// Where it is declared.
    pub file: String,
    /// Line.
    pub line: u32,
    /// What it gives the resources it covers: its backup rules and copies.
    pub gives: Vec<ExplainBackup>,
    /// Other things it gives (a replica, a restore test), in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// The addresses of the resources of the scan it covers, in order.
    pub covers: Vec<String>,
}

/// What a protector role is, in words.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::BackupPlan => "AWS Backup plan",
        Role::DlmPolicy => "Data Lifecycle Manager policy",
        Role::RestoreTestingPlan => "AWS Backup restore-testing plan",
        Role::BackupSelection => "AWS Backup selection",
        Role::BackupVault => "AWS Backup vault",
        Role::BackupVaultLock => "AWS Backup Vault Lock",
        Role::RestoreTestingSelection => "AWS Backup restore-testing selection",
        Role::BackupFramework => "AWS Backup Audit Manager framework",
        Role::BackupVaultNotifications => "AWS Backup vault notifications",
        Role::EventRule => "EventBridge rule",
        Role::MetricAlarm => "CloudWatch alarm",
        Role::MetricAlert => "Azure Monitor metric alert",
        Role::AlertPolicy => "Cloud Monitoring alert policy",
    }
}

/// The protectors of a scan, in declaration order.
pub fn protectors(scan: &Scan) -> Vec<ExplainProtector> {
    let mut out: Vec<(ResourceId, ExplainProtector)> = Vec::new();
    // Plans and policies that cover nothing are listed too.
    for r in &scan.model.resources {
        let role = scan.kb.resource(&r.rtype).and_then(|s| s.role);
        if matches!(
            role,
            Some(Role::BackupPlan | Role::DlmPolicy | Role::RestoreTestingPlan)
        ) {
            entry(scan, &mut out, r.id);
        }
    }
    for c in &scan.inference.components {
        for m in &c.mechanisms {
            // A resource's own settings are not protectors; a separate resource that gives a
            // replica (an S3 replication configuration) is.
            let spec = scan.kb.resource(&scan.model.get(m.origin).rtype);
            let role = spec.and_then(|s| s.role);
            // Azure and Google Cloud protect a resource with a separate resource that attaches a
            // policy to it (a protected VM, a backup instance, a resource-policy attachment).
            let attaches = spec.is_some_and(|s| s.attaches_to.is_some());
            if is_member(c, m.origin)
                || (role.is_none() && !attaches && m.kind != MechanismKind::Replica)
            {
                continue;
            }
            let i = entry(scan, &mut out, m.origin);
            let p = &mut out[i].1;
            if m.kind.is_backup() {
                let b = backup_entry(scan, m);
                if !p.gives.iter().any(|g| g.mechanism == b.mechanism) {
                    p.gives.push(b);
                }
            } else if !p.also.contains(&m.label) {
                p.also.push(m.label.clone());
            }
            let covered = scan.model.get(m.protects).address.clone();
            if !p.covers.contains(&covered) {
                p.covers.push(covered);
            }
        }
        for t in &c.restore_tests {
            let i = entry(scan, &mut out, t.origin);
            let p = &mut out[i].1;
            if !p.also.contains(&t.label) {
                p.also.push(t.label.clone());
            }
            let covered = scan.model.get(c.primary).address.clone();
            if !p.covers.contains(&covered) {
                p.covers.push(covered);
            }
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

/// The position of the protector `id` in `out`, added when it is not there yet.
fn entry(scan: &Scan, out: &mut Vec<(ResourceId, ExplainProtector)>, id: ResourceId) -> usize {
    if let Some(i) = out.iter().position(|(o, _)| *o == id) {
        return i;
    }
    let r = scan.model.get(id);
    let (file, line) = file_line(scan, r.span);
    let spec = scan.kb.resource(&r.rtype);
    let what = match spec.and_then(|s| s.role) {
        Some(role) => role_name(role),
        None if spec.is_some_and(|s| s.attaches_to.is_some()) => {
            "backup attachment (it gives the resources it attaches to the backups of its policy)"
        }
        None => "replication configuration",
    }
    .to_string();
    out.push((
        id,
        ExplainProtector {
            address: r.address.clone(),
            rtype: r.rtype.clone(),
            what,
            file,
            line,
            gives: Vec::new(),
            also: Vec::new(),
            covers: Vec::new(),
        },
    ));
    out.len() - 1
}

fn is_member(c: &Component, id: ResourceId) -> bool {
    c.members().any(|m| m == id)
}
