//! The resilience statement as one self-contained HTML file: inline CSS and SVG, no script,
//! no external font, image or stylesheet, so that it opens offline, reads without JavaScript
//! and prints (the navigation is left out on paper and workloads do not split across pages
//! where they fit on one).
//!
//! Each component's rows carry `data-component`, and each scope cell `data-scope`,
//! `data-verdict`, `data-rpo` and `data-rto` (seconds, empty when unknown), so that tests and
//! scripts can read the figures from the DOM.

use std::fmt::Write;

use super::{ComponentReport, Evidence, ScopeReport, Statement, chart, headline, scope_title};
use crate::report::html_escape as esc;

const STYLE: &str = r#"
:root { --ok:#2e7d32; --bad:#c62828; --unk:#6b7280; --ink:#1b1f24; --muted:#57606a; --line:#d8dee4; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.scanned, .muted { color: var(--muted); }
p.headline { font-size: 17px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
table.components { table-layout: fixed; }
table.components col.c { width: 22%; } table.components col.t { width: 10%; } table.components col.s { width: 22.6%; }
td { overflow-wrap: anywhere; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: 0 3px; border-radius: 3px; word-break: break-all; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.met { background: var(--ok); } .missed, .unprotected { background: var(--bad); } .unknown { background: var(--unk); }
.not-evaluated, .no-tier { background: #9aa4ae; }
.via { color: var(--muted); font-size: 12px; }
td.missed-cell, td.unprotected-cell { background: #fdf0f0; }
td.met-cell { background: #f1f8f2; }
td.unknown-cell { background: #f4f5f7; }
ul.details { margin: 2px 0; padding-left: 18px; }
figure { margin: 8px 0 14px; overflow-x: auto; }
figcaption { color: var(--muted); font-size: 12px; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg.chart text.panel { font-weight: 600; font-size: 12px; }
svg.chart text.tick { fill: var(--muted); }
svg.chart text.bad { fill: var(--bad); font-weight: 600; }
nav ul { columns: 2; padding-left: 18px; }
nav li { overflow-wrap: anywhere; break-inside: avoid; }
.legend span { margin-right: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  section.workload { break-inside: avoid-page; }
  tr, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  td.missed-cell, td.unprotected-cell, td.met-cell, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Renders the statement.
pub fn render(st: &Statement) -> String {
    let mut s = String::with_capacity(16 * 1024 + st.summary.components * 2048);
    let title = esc(&st.title);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"resilint {}\">\n<title>Resilience statement: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = write!(
        s,
        "<header>\n<h1>Resilience statement: {title}</h1>\n<p class=\"scanned\">{}</p>\n</header>\n",
        esc(&st.scanned)
    );
    summary(&mut s, st);
    if st.workloads.len() > 1 {
        s.push_str("<nav>\n<h2>Workloads</h2>\n<ul>\n");
        for (i, w) in st.workloads.iter().enumerate() {
            let _ = writeln!(
                s,
                "<li><a href=\"#w{i}\">{}</a> ({})</li>",
                esc(&w.name),
                crate::report::plural(w.components.len(), "component")
            );
        }
        s.push_str("</ul>\n</nav>\n");
    }
    for (i, w) in st.workloads.iter().enumerate() {
        workload(&mut s, i, w);
    }
    if !st.not_modelled.is_empty() {
        s.push_str("<section id=\"not-modelled\">\n<h2>Not modelled</h2>\n<p>These resources hold data and resilint does not estimate their recovery yet (RES014): nothing here says they are protected.</p>\n<ul>\n");
        for n in &st.not_modelled {
            let _ = writeln!(
                s,
                "<li data-not-modelled=\"{}\"><code>{}</code>: {} (<code>{}:{}</code>)</li>",
                esc(&n.address),
                esc(&n.address),
                esc(&n.what),
                esc(&n.file),
                n.line
            );
        }
        s.push_str("</ul>\n</section>\n");
    }
    if !st.notices.is_empty() {
        s.push_str("<section id=\"notices\">\n<h2>Notices</h2>\n<ul>\n");
        for n in &st.notices {
            let _ = writeln!(s, "<li>{}</li>", esc(n));
        }
        s.push_str("</ul>\n</section>\n");
    }
    let _ = write!(
        s,
        "<footer>Generated by resilint {} from the infrastructure code alone: estimates, not measurements. RPO is the data a recovery can lose, RTO the time it takes.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    s
}

fn summary(s: &mut String, st: &Statement) {
    let sm = &st.summary;
    let _ = write!(
        s,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"headline\" data-meeting=\"{}\" data-components=\"{}\">{}</p>\n",
        sm.meeting_tier,
        sm.components,
        esc(&headline(sm))
    );
    let _ = writeln!(
        s,
        "<p>Open findings: {} errors, {} warnings, {} notes.</p>",
        sm.findings.error, sm.findings.warning, sm.findings.note
    );
    s.push_str("<table class=\"scopes\">\n<thead><tr><th>Scope</th><th>Meet</th><th>Miss</th><th>of which unprotected</th><th>Unknown</th><th>No target</th></tr></thead>\n<tbody>\n");
    for sc in &sm.scopes {
        let _ = writeln!(
            s,
            "<tr data-scope=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&sc.scope),
            esc(scope_title(&sc.scope)),
            sc.met,
            sc.missed,
            sc.unprotected,
            sc.unknown,
            sc.not_evaluated
        );
    }
    s.push_str("</tbody>\n</table>\n");
    if !sm.worst_gaps.is_empty() {
        s.push_str("<h3>Worst gaps</h3>\n<ol class=\"gaps\">\n");
        for g in &sm.worst_gaps {
            let _ = writeln!(
                s,
                "<li><code>{}</code> ({}): {} {} {}</li>",
                esc(&g.address),
                esc(&g.workload),
                esc(&g.scope),
                esc(&g.measure.to_uppercase()),
                esc(&g.text())
            );
        }
        s.push_str("</ol>\n");
    }
    if let Some(ch) = &st.changes {
        s.push_str("<h3>Changes since the previous report</h3>\n");
        if ch.is_empty() {
            s.push_str("<p>No change.</p>\n");
        } else {
            s.push_str("<ul class=\"changes\">\n");
            for line in ch.lines() {
                let _ = writeln!(s, "<li>{}</li>", esc(&line));
            }
            s.push_str("</ul>\n");
        }
    }
    s.push_str("</section>\n");
}

fn workload(s: &mut String, i: usize, w: &super::Workload) {
    let _ = write!(
        s,
        "<section class=\"workload\" id=\"w{i}\" data-workload=\"{}\">\n<h2>{} <span class=\"muted\">({})</span></h2>\n",
        esc(&w.name),
        esc(&w.name),
        if w.kind == "workload" {
            "workload"
        } else {
            "root module or template"
        }
    );
    if let Some(o) = w.owners.as_ref().and_then(|o| o.owner.as_deref()) {
        let _ = writeln!(s, "<p>Owner: {}</p>", esc(o));
    }
    if !w.tiers.is_empty() {
        s.push_str("<table class=\"targets\">\n<thead><tr><th>Tier</th><th>Logical RPO / RTO</th><th>Zone RPO / RTO</th><th>Region RPO / RTO</th></tr></thead>\n<tbody>\n");
        for t in &w.tiers {
            let _ = write!(s, "<tr><td>{}</td>", esc(&t.name));
            for sc in &t.scopes {
                let _ = write!(s, "<td>{}</td>", esc(&sc.text()));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody>\n</table>\n");
    }
    if let Some(svg) = chart::render(&w.components) {
        s.push_str("<figure>\n");
        s.push_str(&svg);
        s.push_str("\n<figcaption class=\"legend\"><span><i class=\"swatch\" style=\"background:#2e7d32\"></i>meets the target</span><span><i class=\"swatch\" style=\"background:#c62828\"></i>misses it</span><span><i class=\"swatch\" style=\"background:#9aa4ae\"></i>depends on unknown values</span><span><i class=\"swatch\" style=\"background:#5c6bc0\"></i>no target</span><span>▮ dark tick: the target</span>Log-time axis, one minute to sixty days.</figcaption>\n</figure>\n");
    }
    s.push_str("<table class=\"components\">\n<colgroup><col class=\"c\"><col class=\"t\"><col class=\"s\"><col class=\"s\"><col class=\"s\"></colgroup>\n<thead><tr><th>Component</th><th>Tier</th><th>Logical</th><th>Zone</th><th>Region</th></tr></thead>\n");
    for c in &w.components {
        component(s, c);
    }
    s.push_str("</table>\n</section>\n");
}

fn evidence(e: &Evidence) -> String {
    format!(
        "{} (<code>{}:{}</code>)",
        esc(&e.mechanism),
        esc(&e.file),
        e.line
    )
}

fn scope_cell(s: &mut String, sc: &ScopeReport) {
    let verdict = sc.verdict.slug();
    let num = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let _ = write!(
        s,
        "<td class=\"{verdict}-cell\" data-scope=\"{}\" data-verdict=\"{verdict}\" data-rpo=\"{}\" data-rto=\"{}\" data-target-rpo=\"{}\" data-target-rto=\"{}\">",
        esc(&sc.scope),
        num(sc.rpo_seconds),
        num(sc.rto_seconds),
        num(sc.target.rpo_seconds),
        num(sc.target.rto_seconds),
    );
    let _ = write!(
        s,
        "<span class=\"badge {verdict}\">{}</span> <strong>{} / {}</strong>",
        sc.verdict.as_str(),
        esc(&sc.rpo_text()),
        esc(&sc.rto_text())
    );
    if sc.target.rpo_seconds.is_some() || sc.target.rto_seconds.is_some() {
        let _ = write!(
            s,
            " <span class=\"muted\">target {}</span>",
            esc(&sc.target.text())
        );
    }
    if let Some(v) = &sc.rpo_via {
        let _ = write!(s, "<div class=\"via\">RPO: {}</div>", evidence(v));
    }
    if let Some(v) = &sc.rto_via {
        let _ = write!(s, "<div class=\"via\">RTO: {}</div>", evidence(v));
    }
    s.push_str("</td>");
}

fn component(s: &mut String, c: &ComponentReport) {
    let verdict = c.verdict.slug();
    let _ = write!(
        s,
        "<tbody data-component=\"{}\" data-unit=\"{}\" data-verdict=\"{verdict}\">\n<tr><td><code>{}</code><div class=\"via\">{} · <code>{}:{}</code>{}{}</div></td><td>{}<div><span class=\"badge {verdict}\">{}</span></div></td>",
        esc(&c.address),
        esc(&c.unit),
        esc(&c.address),
        esc(&c.rtype),
        esc(&c.file),
        c.line,
        c.region
            .as_deref()
            .map(|r| format!(" · {}", esc(r)))
            .unwrap_or_default(),
        c.owner
            .as_deref()
            .map(|o| format!(" · owner {}", esc(o)))
            .unwrap_or_default(),
        c.tier.as_deref().map(esc).unwrap_or_else(|| "—".into()),
        c.verdict.as_str(),
    );
    for sc in &c.scopes {
        scope_cell(s, sc);
    }
    s.push_str("</tr>\n");
    if !c.unknowns.is_empty() || !c.findings.is_empty() {
        s.push_str("<tr class=\"details\"><td colspan=\"5\">");
        if !c.unknowns.is_empty() {
            s.push_str("<strong>Unknown:</strong><ul class=\"details\">");
            for u in &c.unknowns {
                let _ = write!(s, "<li>{}</li>", esc(u));
            }
            s.push_str("</ul>");
        }
        if !c.findings.is_empty() {
            s.push_str("<strong>Open findings:</strong><ul class=\"details\">");
            for f in &c.findings {
                let _ = write!(
                    s,
                    "<li data-rule=\"{}\">{} <code>{}</code> {}: {} (<code>{}:{}</code>)</li>",
                    esc(&f.rule),
                    esc(&f.level),
                    esc(&f.rule),
                    esc(&f.name),
                    esc(crate::report::first_sentence(&f.message)),
                    esc(&f.file),
                    f.line
                );
            }
            s.push_str("</ul>");
        }
        s.push_str("</td></tr>\n");
    }
    s.push_str("</tbody>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::statement::build;
    use crate::report::testutil::{example_scan, reproducible};

    #[test]
    fn the_page_is_self_contained_and_lists_every_component() {
        let scan = example_scan();
        let st = build(&scan, &reproducible());
        let html = render(&st);
        for needle in [
            "<script", "http://", "https://", "@import", "<link", "url(http",
        ] {
            assert!(!html.contains(needle), "{needle} in the report");
        }
        for w in &st.workloads {
            for c in &w.components {
                assert!(
                    html.contains(&format!("data-component=\"{}\"", esc(&c.address))),
                    "{}",
                    c.address
                );
            }
        }
        assert!(html.contains("<svg"));
        assert!(html.contains("@media print"));
    }

    #[test]
    fn text_from_the_code_is_escaped() {
        let scan = example_scan();
        let mut st = build(&scan, &reproducible());
        st.title = "<b>x</b>".into();
        st.notices = vec!["a <script>alert(1)</script>".into()];
        let html = render(&st);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
    }
}
