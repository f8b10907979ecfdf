//! `resilint explain` as a table a reviewer reads.

use std::io::{self, Write};

use super::explain_json::{ExplainResource, ScopeOut, entries};
use super::{Emitter, ReportOptions};
use crate::duration::format as dur;
use crate::knowledge::ReplicationMode;
use crate::scan::Scan;

/// The table emitter.
pub struct ExplainTable;

fn secs(v: Option<u64>) -> String {
    v.map(dur).unwrap_or_else(|| "?".into())
}

fn scope_line(name: &str, s: &Option<ScopeOut>) -> String {
    match s {
        None => format!("{name:<8} unprotected"),
        Some(s) => {
            let mut line = format!(
                "{name:<8} RPO {:<6} RTO {:<6} via {}",
                s.rpo_text(),
                s.rto_text(),
                s.via.as_deref().unwrap_or("?")
            );
            if let Some(v) = &s.rto_via {
                line.push_str(&format!("; RTO via {v}"));
            }
            if !s.certain {
                line.push_str(" (uncertain)");
            }
            line
        }
    }
}

/// A labelled row of the table; lines after the first are indented under it.
fn row(out: &mut String, key: &str, lines: Vec<String>) {
    for (i, l) in lines.iter().enumerate() {
        let k = if i == 0 { key } else { "" };
        out.push_str(&format!("  {k:<11}{l}\n"));
    }
}

/// Renders one resource.
pub fn render(e: &ExplainResource) -> String {
    let mut out = format!("{}  ({}:{})\n", e.address, e.file, e.line);
    let tier = match (&e.tier, e.tier_source, &e.tier_declared_by) {
        (Some(t), Some(s), Some(by)) if *by != e.address => format!("{t} ({s} of {by})"),
        (Some(t), Some(s), _) => format!("{t} ({s})"),
        _ => "none".into(),
    };
    row(
        &mut out,
        "type",
        vec![format!("{} ({})", e.rtype, e.family)],
    );
    if let Some(c) = &e.construct_path {
        row(&mut out, "construct", vec![c.clone()]);
    }
    // A module outside the root (or Terragrunt unit) it is evaluated for: which one.
    let from_here = e.evaluated_from == "."
        || e.file.starts_with(&format!("{}/", e.evaluated_from))
        || e.file == e.evaluated_from;
    if !from_here {
        row(&mut out, "from", vec![e.evaluated_from.clone()]);
    }
    if let Some(s) = &e.stack_set {
        row(
            &mut out,
            "stackset",
            vec![format!(
                "{} deploys it to {} (independent copies, each with its own data)",
                s.address,
                s.regions.join(", ")
            )],
        );
    }
    if let Some(p) = &e.replica_of {
        row(
            &mut out,
            "replica of",
            vec![format!(
                "{p} (the estimates are of both, which recover together)"
            )],
        );
    }
    if let Some(c) = &e.member_of {
        row(
            &mut out,
            "member of",
            vec![format!(
                "{c} (its data, backups and zones are the cluster's)"
            )],
        );
    }
    row(&mut out, "tier", vec![tier]);
    row(
        &mut out,
        "regions",
        vec![if e.regions.is_empty() {
            "unknown".into()
        } else {
            e.regions.join(", ")
        }],
    );
    row(
        &mut out,
        "zones",
        vec![match e.zone_redundant {
            Some(true) => "zone-redundant".into(),
            Some(false) => "single zone".into(),
            None if e.member_of.is_some() => "the cluster's".into(),
            None => "unknown".into(),
        }],
    );
    let backups: Vec<String> = e.backups.iter().map(backup_text).collect();
    row(
        &mut out,
        "backups",
        if backups.is_empty() && e.member_of.is_some() {
            vec!["the cluster's".into()]
        } else if backups.is_empty() {
            vec!["none".into()]
        } else {
            backups
        },
    );
    if !e.protections.is_empty() {
        let locks: Vec<String> = e
            .protections
            .iter()
            .map(|p| {
                format!(
                    "{} · {} · {}:{}{}",
                    p.mechanism,
                    match p.retention_seconds {
                        Some(s) => format!("{} from each version's creation", dur(s)),
                        None => "retention ?".into(),
                    },
                    p.file,
                    p.line,
                    if p.certain { "" } else { " (uncertain)" }
                )
            })
            .collect();
        row(&mut out, "locked", locks);
    }
    let replicas: Vec<String> = e
        .replicas
        .iter()
        .map(|r| {
            let mode = match r.mode {
                ReplicationMode::Sync => "sync",
                ReplicationMode::Async => "async",
            };
            format!(
                "{} · {mode} · lag {} · failover {} · {}:{}{}",
                r.mechanism,
                secs(r.rpo_seconds),
                secs(r.rto_seconds),
                r.file,
                r.line,
                if r.certain { "" } else { " (uncertain)" }
            )
        })
        .collect();
    row(
        &mut out,
        "replicas",
        if replicas.is_empty() {
            vec!["none".into()]
        } else {
            replicas
        },
    );
    if !e.restore_testing.is_empty() {
        row(&mut out, "restores", e.restore_testing.clone());
    }
    if !e.monitoring.is_empty() {
        row(&mut out, "monitoring", e.monitoring.clone());
    }
    if !e.not_counted.is_empty() {
        let lines = e
            .not_counted
            .iter()
            .map(|n| format!("{} · {}:{}", n.mechanism, n.file, n.line))
            .collect();
        row(&mut out, "unused", lines);
    }
    row(
        &mut out,
        "estimates",
        vec![
            scope_line("logical", &e.estimates.logical),
            scope_line("zone", &e.estimates.zone),
            scope_line("region", &e.estimates.region),
        ],
    );
    if !e.unresolved.is_empty() {
        row(&mut out, "unresolved", e.unresolved.clone());
    }
    out
}

impl Emitter for ExplainTable {
    fn emit(&self, scan: &Scan, _options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let entries = entries(scan);
        let others = super::explain_json::not_modelled(scan);
        if entries.is_empty() && others.is_empty() {
            writeln!(out, "No stateful resources found.")?;
        }
        for e in &entries {
            writeln!(out, "{}", render(e))?;
        }
        for n in &others {
            writeln!(
                out,
                "{}  ({}:{})\n  type       {} ({})\n  estimates  not modelled: resilint does not estimate its recovery yet{}\n",
                n.address,
                n.file,
                n.line,
                n.rtype,
                n.what,
                n.member_of
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            )?;
        }
        for p in super::protectors::protectors(scan) {
            writeln!(out, "{}", render_protector(&p))?;
        }
        for n in &scan.notices {
            writeln!(out, "{}[{}]: {}", n.level.as_str(), n.code, n.text())?;
        }
        Ok(())
    }
}

/// One backup as a line: what, how often, how long, where, declared where.
pub fn backup_text(b: &super::explain_json::ExplainBackup) -> String {
    let kept = match (b.retention_seconds, b.retention_unbounded) {
        (Some(s), _) => format!("kept {}", dur(s)),
        (None, true) => "kept until deleted".into(),
        (None, false) => "kept ?".into(),
    };
    format!(
        "{} · every {} · {kept} · {}{} · {}:{}{}",
        b.mechanism,
        secs(b.interval_seconds),
        if b.regions.is_empty() {
            "region ?".into()
        } else {
            b.regions.join(", ")
        },
        match b.single_zone {
            Some("certain") => " (one zone)",
            Some(_) => " (possibly one zone)",
            None => "",
        },
        b.file,
        b.line,
        if b.certain { "" } else { " (uncertain)" }
    )
}

/// A protector: what it is, what it gives, what it covers.
pub fn render_protector(p: &super::protectors::ExplainProtector) -> String {
    let mut out = format!("{}  ({}:{})\n", p.address, p.file, p.line);
    row(
        &mut out,
        "protector",
        vec![format!("{} ({})", p.what, p.rtype)],
    );
    let mut gives: Vec<String> = p.gives.iter().map(backup_text).collect();
    gives.extend(p.also.iter().cloned());
    if !gives.is_empty() {
        row(&mut out, "gives", gives);
    }
    row(
        &mut out,
        "covers",
        if p.covers.is_empty() {
            vec!["nothing in this scan: it selects no scanned resource".into()]
        } else {
            p.covers.clone()
        },
    );
    out
}
