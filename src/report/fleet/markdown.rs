//! The fleet report as Markdown.

use std::fmt::Write;

use super::{Fleet, ratio};
use crate::report::markdown::{cell, code};

/// Renders the fleet report.
pub fn render(f: &Fleet) -> String {
    let mut s = String::with_capacity(4096);
    let components: usize = f.repositories.iter().map(|r| r.components).sum();
    let meeting: usize = f.repositories.iter().map(|r| r.meeting_tier).sum();
    let _ = writeln!(
        s,
        "# Resilience across the fleet\n\n{} repositories, {} runs from {} SARIF files: {} components meet their tier.\n",
        f.repositories.len(),
        f.runs,
        f.files,
        ratio(meeting, components)
    );
    if !f.unreadable.is_empty() {
        s.push_str("**Files not read:**\n\n");
        for u in &f.unreadable {
            let _ = writeln!(s, "- {}", cell(u));
        }
        s.push('\n');
    }
    s.push_str("## Repositories\n\n| Repository | Components meeting their tier | Errors | Warnings | Notes | Suppressed | Parse errors |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for r in &f.repositories {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            code(&r.name),
            ratio(r.meeting_tier, r.components),
            r.open.error,
            r.open.warning,
            r.open.note,
            r.suppressed,
            r.parse_errors
        );
    }
    s.push_str("\n## Tiers\n\n| Tier | Components meeting it | Open results | Repositories |\n| --- | --- | ---: | ---: |\n");
    for t in &f.tiers {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            cell(&t.tier),
            ratio(t.counts.meeting_tier, t.counts.components),
            t.counts.open,
            t.repositories
        );
    }
    if !f.worst_gaps.is_empty() {
        s.push_str("\n## Worst gaps\n\n");
        for (i, g) in f.worst_gaps.iter().enumerate() {
            let _ = writeln!(
                s,
                "{}. {} {} ({}, {}): {} {} {}",
                i + 1,
                code(&g.repository),
                code(&g.address),
                code(&g.location),
                g.rule,
                g.tier.as_deref().unwrap_or("no tier"),
                g.scope.as_deref().unwrap_or(""),
                cell(&g.text())
            );
        }
    }
    s.push_str(
        "\n## Rules\n\n| Rule | Open | Suppressed | Repositories |\n| --- | ---: | ---: | ---: |\n",
    );
    for r in &f.rules {
        let _ = writeln!(
            s,
            "| {} {} | {} | {} | {} |",
            r.rule,
            cell(&r.name),
            r.open,
            r.suppressed,
            r.repositories
        );
    }
    s
}
