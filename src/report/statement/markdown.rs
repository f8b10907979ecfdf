//! The resilience statement as GitHub-flavoured Markdown, for wikis and pull-request comments:
//! the summary, then per workload its targets and a table of its components (✅ meets, ❌
//! misses, ❔ unknown), with the mechanism and file:line behind each figure and the open
//! findings.

use std::fmt::Write;

use super::{ComponentReport, NotModelled, ScopeReport, Statement, Verdict, headline, scope_title};
use crate::report::markdown::{cell, code};

/// Renders the statement.
pub fn render(st: &Statement) -> String {
    let mut s = String::with_capacity(4096 + st.summary.components * 512);
    let _ = writeln!(s, "# Resilience statement: {}\n", cell(&st.title));
    let _ = writeln!(s, "{}\n", cell(&st.scanned));
    summary(&mut s, st);
    for w in &st.workloads {
        let _ = writeln!(
            s,
            "## {} ({})\n",
            cell(&w.name),
            if w.kind == "workload" {
                "workload"
            } else {
                "root module or template"
            }
        );
        if let Some(o) = w.owners.as_ref().and_then(|o| o.owner.as_deref()) {
            let _ = writeln!(s, "Owner: {}\n", cell(o));
        }
        if !w.tiers.is_empty() {
            s.push_str("| Tier | Logical RPO / RTO | Zone RPO / RTO | Region RPO / RTO |\n| --- | --- | --- | --- |\n");
            for t in &w.tiers {
                let cells: Vec<String> = t.scopes.iter().map(|x| x.text()).collect();
                let _ = writeln!(s, "| {} | {} |", cell(&t.name), cells.join(" | "));
            }
            s.push('\n');
        }
        s.push_str(
            "| Component | Tier | Logical | Zone | Region |\n| --- | --- | --- | --- | --- |\n",
        );
        for c in &w.components {
            row(&mut s, c);
        }
        s.push('\n');
        details(&mut s, &w.components);
    }
    if !st.not_modelled.is_empty() {
        s.push_str("## Not modelled\n\nThese resources hold data and resilint does not estimate their recovery yet (RES014): nothing here says they are protected.\n\n");
        not_modelled_list(&mut s, &st.not_modelled);
    }
    if !st.notices.is_empty() {
        s.push_str("## Notices\n\n");
        for n in &st.notices {
            let _ = writeln!(s, "- {}", cell(n));
        }
        s.push('\n');
    }
    s.push_str("*Estimates from the infrastructure code alone, not measurements. RPO is the data a recovery can lose, RTO the time it takes.*\n");
    s
}

/// The resources that are not modelled, a list item each (the runbook lists them too).
pub fn not_modelled_list(s: &mut String, list: &[NotModelled]) {
    for n in list {
        let _ = writeln!(
            s,
            "- {}: {} ({})",
            code(&n.address),
            cell(&n.what),
            code(&format!("{}:{}", n.file, n.line))
        );
    }
    s.push('\n');
}

fn summary(s: &mut String, st: &Statement) {
    let sm = &st.summary;
    let _ = writeln!(s, "## Summary\n\n**{}**\n", cell(&headline(sm)));
    let _ = writeln!(
        s,
        "Open findings: {} errors, {} warnings, {} notes.\n",
        sm.findings.error, sm.findings.warning, sm.findings.note
    );
    s.push_str("| Scope | Meet | Miss | of which unprotected | Unknown | No target |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for sc in &sm.scopes {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            scope_title(&sc.scope),
            sc.met,
            sc.missed,
            sc.unprotected,
            sc.unknown,
            sc.not_evaluated
        );
    }
    s.push('\n');
    if !sm.worst_gaps.is_empty() {
        s.push_str("### Worst gaps\n\n");
        for (i, g) in sm.worst_gaps.iter().enumerate() {
            let _ = writeln!(
                s,
                "{}. {} ({}): {} {} {}",
                i + 1,
                code(&g.address),
                cell(&g.workload),
                g.scope,
                g.measure.to_uppercase(),
                cell(&g.text())
            );
        }
        s.push('\n');
    }
    if let Some(ch) = &st.changes {
        s.push_str("### Changes since the previous report\n\n");
        if ch.is_empty() {
            s.push_str("No change.\n\n");
        } else {
            for line in ch.lines() {
                let _ = writeln!(s, "- {}", cell(&line));
            }
            s.push('\n');
        }
    }
}

fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "✅",
        Verdict::Missed | Verdict::Unprotected => "❌",
        Verdict::Unknown => "❔",
        Verdict::NotEvaluated | Verdict::NoTier => "",
    }
}

fn scope_cell(sc: &ScopeReport) -> String {
    let figures = format!("{} / {}", sc.rpo_text(), sc.rto_text());
    let mut text = match sc.verdict {
        Verdict::Missed | Verdict::Unprotected => format!("{} **{figures}**", mark(sc.verdict)),
        Verdict::NotEvaluated | Verdict::NoTier => figures,
        v => format!("{} {figures}", mark(v)),
    };
    if sc.target.rpo_seconds.is_some() || sc.target.rto_seconds.is_some() {
        text.push_str(&format!(" (target {})", sc.target.text()));
    }
    if let Some(v) = &sc.rpo_via {
        text.push_str(&format!(
            "<br>{}, {}",
            cell(&v.mechanism),
            code(&format!("{}:{}", v.file, v.line))
        ));
    }
    text
}

fn row(s: &mut String, c: &ComponentReport) {
    let scopes: Vec<String> = c.scopes.iter().map(scope_cell).collect();
    let _ = writeln!(
        s,
        "| {}<br>{} | {} | {} |",
        code(&c.address),
        code(&format!("{}:{}", c.file, c.line)),
        c.tier.as_deref().map(cell).unwrap_or_else(|| "—".into()),
        scopes.join(" | ")
    );
}

fn details(s: &mut String, components: &[ComponentReport]) {
    let with: Vec<&ComponentReport> = components
        .iter()
        .filter(|c| !c.unknowns.is_empty() || !c.findings.is_empty())
        .collect();
    if with.is_empty() {
        return;
    }
    s.push_str("<details><summary>Unknowns and open findings</summary>\n\n");
    for c in with {
        let _ = writeln!(s, "- {}", code(&c.address));
        for u in &c.unknowns {
            let _ = writeln!(s, "  - unknown: {}", cell(u));
        }
        for f in &c.findings {
            let _ = writeln!(
                s,
                "  - {} {} {}: {} ({})",
                f.level,
                code(&f.rule),
                f.name,
                cell(crate::report::first_sentence(&f.message)),
                code(&format!("{}:{}", f.file, f.line))
            );
        }
    }
    s.push_str("\n</details>\n\n");
}
