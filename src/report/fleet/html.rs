//! The fleet report as one self-contained HTML page (inline CSS, no script).

use std::fmt::Write;

use super::{Fleet, ratio};
use crate::report::html_escape as esc;

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1f24;max-width:1180px;margin:0 auto;padding:24px}h1{font-size:24px}h2{font-size:19px;border-bottom:1px solid #d8dee4;padding-bottom:4px;margin-top:28px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #d8dee4;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f6f8fa;padding:0 3px;word-break:break-all}.bar{display:inline-block;height:10px;background:#2e7d32;vertical-align:middle}.rest{display:inline-block;height:10px;background:#f0c4c4;vertical-align:middle}.warn{color:#c62828}@media print{body{max-width:none;padding:0;font-size:11px}tr{break-inside:avoid}.bar,.rest{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

fn meter(met: usize, of: usize) -> String {
    if of == 0 {
        return "–".into();
    }
    let w = (met as f64 * 120.0 / of as f64).round();
    format!(
        "<span class=\"bar\" style=\"width:{w}px\"></span><span class=\"rest\" style=\"width:{}px\"></span> {}",
        120.0 - w,
        esc(&ratio(met, of))
    )
}

/// Renders the fleet report.
pub fn render(f: &Fleet) -> String {
    let mut s = String::with_capacity(8192);
    let components: usize = f.repositories.iter().map(|r| r.components).sum();
    let meeting: usize = f.repositories.iter().map(|r| r.meeting_tier).sum();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Resilience across the fleet</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Resilience across the fleet</h1>\n<p data-repositories=\"{}\" data-components=\"{components}\" data-meeting=\"{meeting}\">{} repositories, {} runs from {} SARIF files: {} components meet their tier.</p>\n",
        f.repositories.len(),
        f.repositories.len(),
        f.runs,
        f.files,
        esc(&ratio(meeting, components))
    );
    if !f.unreadable.is_empty() {
        s.push_str("<p class=\"warn\"><strong>Files not read:</strong></p><ul>");
        for u in &f.unreadable {
            let _ = write!(s, "<li class=\"warn\">{}</li>", esc(u));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("<h2>Repositories</h2>\n<table class=\"repositories\"><thead><tr><th>Repository</th><th>Components meeting their tier</th><th>Errors</th><th>Warnings</th><th>Notes</th><th>Suppressed</th><th>Parse errors</th></tr></thead><tbody>\n");
    for r in &f.repositories {
        let _ = writeln!(
            s,
            "<tr data-repository=\"{}\"><td><code>{}</code><div>{}</div></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.name),
            esc(&r.name),
            esc(&r.categories.join(", ")),
            meter(r.meeting_tier, r.components),
            r.open.error,
            r.open.warning,
            r.open.note,
            r.suppressed,
            r.parse_errors
        );
    }
    s.push_str("</tbody></table>\n<h2>Tiers</h2>\n<table class=\"tiers\"><thead><tr><th>Tier</th><th>Components meeting it</th><th>Open results</th><th>Repositories</th></tr></thead><tbody>\n");
    for t in &f.tiers {
        let _ = writeln!(
            s,
            "<tr data-tier=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&t.tier),
            esc(&t.tier),
            meter(t.counts.meeting_tier, t.counts.components),
            t.counts.open,
            t.repositories
        );
    }
    s.push_str("</tbody></table>\n");
    if !f.worst_gaps.is_empty() {
        s.push_str("<h2>Worst gaps</h2>\n<ol class=\"gaps\">\n");
        for g in &f.worst_gaps {
            let _ = writeln!(
                s,
                "<li><code>{}</code> <code>{}</code> (<code>{}</code>, {}): {} {} {}</li>",
                esc(&g.repository),
                esc(&g.address),
                esc(&g.location),
                esc(&g.rule),
                esc(g.tier.as_deref().unwrap_or("no tier")),
                esc(g.scope.as_deref().unwrap_or("")),
                esc(&g.text())
            );
        }
        s.push_str("</ol>\n");
    }
    s.push_str("<h2>Rules</h2>\n<table class=\"rules\"><thead><tr><th>Rule</th><th>Open</th><th>Suppressed</th><th>Repositories</th></tr></thead><tbody>\n");
    for r in &f.rules {
        let _ = writeln!(
            s,
            "<tr data-rule=\"{}\"><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.rule),
            esc(&r.rule),
            esc(&r.name),
            r.open,
            r.suppressed,
            r.repositories
        );
    }
    let _ = write!(
        s,
        "</tbody></table>\n<footer><p>Aggregated by resilint {} from SARIF alone.</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    s
}
