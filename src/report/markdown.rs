//! A Markdown report of findings and per-resource estimates, for `$GITHUB_STEP_SUMMARY`.
//!
//! The document (GitHub-flavoured Markdown):
//!
//! - `## resilint` and the summary sentence with the counts (without the timing when the output
//!   must be reproducible), then `No findings.` when there are none.
//! - `### Findings`: a table Level | Rule | Resource | Location | Message, one row per finding
//!   that no suppression hides, in the findings' order (by location), at most
//!   [`MAX_FINDINGS`] rows. The rule code links to its documentation; the help follows the
//!   message after a `<br>`. Text is escaped so that it cannot end a cell or turn into HTML or
//!   emphasis: Markdown punctuation outside code spans is backslash-escaped, `|` everywhere,
//!   newlines become `<br>`.
//! - `### Estimates`: one row per stateful resource (as `resilint explain` lists them), at most
//!   [`MAX_RESOURCES`]: Resource | Tier | RPO / RTO for the logical, zone and region scopes. A
//!   scope reads `5m / 1h (target 15m / 1h)`: the estimate, then the tier's targets when it has
//!   some (`–` for a measure without one); `unprotected` when no mechanism covers the scope; `?`
//!   for a figure that depends on unknown values, `≤4h` when only its worst case is known. ✅
//!   marks a scope that meets every target it has, ❌ one that misses one, ❔ one where it
//!   cannot be decided.
//! - GitHub refuses a step summary over 1 MiB: rows stop before the document would exceed
//!   [`LIMIT`], and a note says what was left out.

use std::io::{self, Write};

use super::explain_json::{ExplainResource, ScopeOut, entries};
use super::{Emitter, ReportOptions, locate, shown, summary};
use crate::config::{Level, Tier};
use crate::duration::format as dur;
use crate::evaluate::Finding;
use crate::infer::estimate::Scope;
use crate::report::statement::{self, Verdict};
use crate::scan::Scan;

/// The `markdown` format.
pub struct Markdown;

/// GitHub's limit for a step summary: 1 MiB.
pub const LIMIT: usize = 1024 * 1024;
/// Rows of the findings table.
pub const MAX_FINDINGS: usize = 100;
/// Rows of the estimates table.
pub const MAX_RESOURCES: usize = 200;
/// Room kept for the closing notes.
const RESERVE: usize = 1024;
/// Characters of one cell's text before it is cut.
const MAX_CELL: usize = 2000;

/// Characters escaped with a backslash outside code spans.
/// (`_` only where it could start or end emphasis: not between two letters or digits.)
const PUNCTUATION: &[char] = &['\\', '*', '_', '[', ']', '<', '>', '&', '|', '~'];

/// Escapes text for a table cell. Code spans (text between equal runs of backticks) are kept,
/// with `|` escaped; elsewhere Markdown punctuation is backslash-escaped. Newlines become `<br>`
/// (a space inside a code span); carriage returns and other control characters are dropped.
/// Text longer than [`MAX_CELL`] characters is cut with `…`.
pub fn cell(text: &str) -> String {
    let cut: String;
    let text = if text.chars().count() > MAX_CELL {
        cut = text.chars().take(MAX_CELL).chain(['…']).collect();
        cut.as_str()
    } else {
        text
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            if let Some(end) = closing_run(&chars, i + run, run) {
                out.extend(std::iter::repeat_n('`', run));
                for &c in &chars[i + run..end] {
                    match c {
                        '|' => out.push_str("\\|"),
                        '\n' => out.push(' '),
                        c if c.is_control() => {}
                        c => out.push(c),
                    }
                }
                out.extend(std::iter::repeat_n('`', run));
                i = end + run;
            } else {
                for _ in 0..run {
                    out.push_str("\\`");
                }
                i += run;
            }
            continue;
        }
        let intraword = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '\n' => out.push_str("<br>"),
            c if c.is_control() => {}
            '_' if intraword(i.checked_sub(1)) && intraword(Some(i + 1)) => out.push('_'),
            c if PUNCTUATION.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Where a run of exactly `run` backticks starts at or after `from`.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let n = chars[i..].iter().take_while(|&&c| c == '`').count();
            if n == run {
                return Some(i);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

/// Text as one code span in a table cell.
pub fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let body: String = text
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('|', "\\|");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "❌ error",
        Level::Warning => "⚠️ warning",
        Level::Note => "ℹ️ note",
    }
}

fn finding_row(scan: &Scan, f: &Finding) -> String {
    let (path, r) = locate(scan, f.span);
    let mut message = cell(&f.message);
    if let Some(help) = &f.help {
        message.push_str("<br>**help:** ");
        message.push_str(&cell(help));
    }
    format!(
        "| {} | [{}]({}) {} | {} | {} | {} |\n",
        level(f.level),
        f.rule.code,
        f.rule.doc_url(),
        f.rule.name,
        f.address.as_deref().map(code).unwrap_or_else(|| "—".into()),
        code(&format!("{path}:{}", r.start.line)),
        message
    )
}

/// A scope's estimate and targets, marked with the verdict of the statement
/// ([`statement::scope_verdict`]).
fn scope_cell(scope: Option<&ScopeOut>, targets: (Option<u64>, Option<u64>)) -> String {
    let (rpo_target, rto_target) = targets;
    let has_target = rpo_target.is_some() || rto_target.is_some();
    let verdict = statement::scope_verdict(
        scope,
        statement::Target {
            rpo_seconds: rpo_target,
            rto_seconds: rto_target,
        },
    );
    let verdict = match verdict {
        Verdict::Unprotected => Verdict::Missed,
        v => v,
    };
    let text = match scope {
        None => "unprotected".to_string(),
        Some(s) => format!("{} / {}", s.rpo_text(), s.rto_text()),
    };
    if !has_target {
        return text;
    }
    let target = |t: Option<u64>| t.map(dur).unwrap_or_else(|| "–".into());
    let mark = match verdict {
        Verdict::Met => "✅",
        Verdict::Missed => "❌",
        _ => "❔",
    };
    let text = if verdict == Verdict::Missed {
        format!("**{text}**")
    } else {
        text
    };
    format!(
        "{mark} {text} (target {} / {})",
        target(rpo_target),
        target(rto_target)
    )
}

fn estimate_row(e: &ExplainResource, tier: Option<&Tier>) -> String {
    let targets = |scope: Scope| tier.map(|t| t.targets(scope)).unwrap_or_default();
    format!(
        "| {} | {} | {} | {} | {} |\n",
        code(&e.address),
        e.tier.as_deref().map(cell).unwrap_or_else(|| "—".into()),
        scope_cell(e.estimates.logical.as_ref(), targets(Scope::Logical)),
        scope_cell(e.estimates.zone.as_ref(), targets(Scope::Zone)),
        scope_cell(e.estimates.region.as_ref(), targets(Scope::Region)),
    )
}

/// A document that stops growing before a size limit.
struct Doc {
    text: String,
    limit: usize,
    /// Whether something was left out for the size limit.
    full: bool,
}

impl Doc {
    /// Appends `s` if it fits with room for the closing notes.
    fn push(&mut self, s: &str) -> bool {
        if self.full || self.text.len() + s.len() + RESERVE > self.limit {
            self.full = true;
            return false;
        }
        self.text.push_str(s);
        true
    }

    /// Appends a closing note (which the reserve leaves room for).
    fn note(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// A table: header, then rows (of `total`, at most `cap`), then `more(n)` for the rows left
    /// out.
    fn table(
        &mut self,
        header: &str,
        rows: impl Iterator<Item = String>,
        total: usize,
        cap: usize,
        more: impl Fn(usize) -> String,
    ) {
        let mut written = 0;
        if self.push(header) {
            for row in rows.take(cap) {
                if !self.push(&row) {
                    break;
                }
                written += 1;
            }
        }
        if written < total {
            self.note(&format!("\n{}\n", more(total - written)));
        }
    }
}

/// Renders the report, at most `limit` bytes long.
pub fn render(scan: &Scan, options: &ReportOptions, limit: usize) -> String {
    let mut doc = Doc {
        text: String::new(),
        limit,
        full: false,
    };
    doc.push(&format!(
        "## resilint\n\n{}\n",
        cell(&summary(scan, options))
    ));
    if !scan.notices.is_empty() {
        doc.push("\n### Notices\n\n");
        for n in &scan.notices {
            doc.push(&format!(
                "- **{}** `{}`: {}\n",
                n.level.as_str(),
                n.code,
                cell(&n.text())
            ));
        }
    }
    let findings: Vec<&Finding> = shown(scan).collect();
    if findings.is_empty() {
        doc.push("\nNo findings.\n");
    } else {
        doc.push("\n### Findings\n\n");
        doc.table(
            "| Level | Rule | Resource | Location | Message |\n| --- | --- | --- | --- | --- |\n",
            findings.iter().map(|f| finding_row(scan, f)),
            findings.len(),
            MAX_FINDINGS,
            |n| {
                format!(
                    "…and {} (see the SARIF or JSON output).",
                    super::plural(n, "more finding")
                )
            },
        );
    }
    let resources = entries(scan);
    let resolver = crate::evaluate::tier::TierResolver::new(&scan.config);
    let mut estimates_shown = true;
    if !doc.push("\n### Estimates\n\n") {
        estimates_shown = false;
    } else if resources.is_empty() {
        doc.push("No stateful resources found.\n");
    } else {
        doc.push(
            "Estimated RPO / RTO per scope of failure. ✅ meets the tier's targets, ❌ misses one, ❔ depends on values that cannot be determined; `?` is unknown, `unprotected` means nothing covers the scope.\n\n",
        );
        doc.table(
            "| Resource | Tier | Logical RPO / RTO | Zone RPO / RTO | Region RPO / RTO |\n| --- | --- | --- | --- | --- |\n",
            resources.iter().map(|e| {
                let tier = e
                    .tier
                    .as_deref()
                    .and_then(|t| resolver.effective_tier(t, &e.component.primary));
                estimate_row(e, tier.as_ref())
            }),
            resources.len(),
            MAX_RESOURCES,
            |n| {
                format!(
                    "…and {} (see `resilint explain`).",
                    super::plural(n, "more stateful resource")
                )
            },
        );
    }
    if doc.full {
        doc.note(&format!(
            "\n*The report was cut to stay within GitHub's 1 MiB limit for a step summary{}.*\n",
            if estimates_shown {
                ""
            } else {
                "; the estimates are left out (see `resilint explain`)"
            }
        ));
    }
    let mut text = doc.text;
    if text.len() > limit {
        // Only with a limit smaller than the reserve.
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

impl Emitter for Markdown {
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render(scan, options, LIMIT).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{example_scan, reproducible, with_counts};

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(cell("tier `a|b` is *odd*"), "tier `a\\|b` is \\*odd\\*");
        assert_eq!(
            cell("<script> & x_y _em_ [l](u) a#b"),
            "\\<script\\> \\& x_y \\_em\\_ \\[l\\](u) a#b"
        );
        assert_eq!(cell("one ` tick"), "one \\` tick");
        assert_eq!(cell("cr\r\nlf"), "cr<br>lf");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`x"), "`` `x ``");
        let long = "x".repeat(MAX_CELL + 10);
        assert_eq!(cell(&long).chars().count(), MAX_CELL + 1);
    }

    #[test]
    fn scope_cells_compare_with_targets() {
        let s = |rpo, rto, ub| ScopeOut {
            rpo_seconds: rpo,
            rto_seconds: rto,
            via: None,
            rto_via: None,
            rpo_upper_bound_seconds: ub,
            certain: true,
        };
        let t = (Some(900), Some(3600));
        assert_eq!(
            scope_cell(Some(&s(Some(300), Some(3600), None)), t),
            "✅ 5m / 1h (target 15m / 1h)"
        );
        assert_eq!(
            scope_cell(Some(&s(Some(86_400), Some(3600), None)), t),
            "❌ **24h / 1h** (target 15m / 1h)"
        );
        assert_eq!(
            scope_cell(Some(&s(None, Some(60), Some(600))), t),
            "✅ ≤10m / 1m (target 15m / 1h)"
        );
        assert_eq!(
            scope_cell(Some(&s(None, None, None)), t),
            "❔ ? / ? (target 15m / 1h)"
        );
        assert_eq!(scope_cell(None, t), "❌ **unprotected** (target 15m / 1h)");
        assert_eq!(scope_cell(None, (None, None)), "unprotected");
        assert_eq!(
            scope_cell(Some(&s(Some(0), Some(60), None)), (None, Some(30))),
            "❌ **0s / 1m** (target – / 30s)"
        );
    }

    #[test]
    fn report_of_the_examples() {
        let scan = example_scan();
        let text = render(&scan, &reproducible(), LIMIT);
        assert!(text.starts_with("## resilint\n\nScanned 3 files"), "{text}");
        let summary = text.lines().nth(2).unwrap_or("");
        assert!(summary.starts_with("Scanned 3 files"), "{text}");
        assert!(!summary.contains(" in "), "no timing: {text}");
        assert!(text.contains("### Findings"), "{text}");
        assert!(text.contains("| Level | Rule | Resource | Location | Message |"));
        assert!(text.contains("### Estimates"), "{text}");
        let rows = text.lines().filter(|l| l.starts_with("| ")).count();
        // Two headers and their separators, the findings and the resources.
        let findings = scan.findings.len();
        assert_eq!(rows, 4 + findings + entries(&scan).len(), "{text}");
    }

    #[test]
    fn no_findings_is_said() {
        let mut scan = example_scan();
        scan.findings.clear();
        let text = render(&scan, &reproducible(), LIMIT);
        assert!(text.contains("\nNo findings.\n"), "{text}");
        assert!(!text.contains("### Findings"), "{text}");
    }

    #[test]
    fn at_most_100_findings_and_no_suppressed_ones() {
        let mut scan = example_scan();
        with_counts(&mut scan, 60, 40, 30);
        let text = render(&scan, &reproducible(), LIMIT);
        let rows = text
            .lines()
            .filter(|l| l.starts_with("| ❌") || l.starts_with("| ⚠️") || l.starts_with("| ℹ️"))
            .count();
        assert_eq!(rows, MAX_FINDINGS, "{text}");
        assert!(
            text.contains("\n…and 30 more findings (see the SARIF or JSON output).\n"),
            "{text}"
        );
        assert!(!text.contains("hidden by a baseline"), "{text}");
    }

    #[test]
    fn stays_within_the_size_limit() {
        let mut scan = example_scan();
        with_counts(&mut scan, 50, 0, 0);
        for f in &mut scan.findings {
            f.message = "long | message ".repeat(100);
        }
        let limit = 20_000;
        let text = render(&scan, &reproducible(), limit);
        assert!(text.len() <= limit, "{}", text.len());
        assert!(text.contains("more findings (see the SARIF or JSON output)"));
        assert!(text.contains("1 MiB limit"), "{text}");
        // The estimates did not fit either, and that is said.
        assert!(text.contains("the estimates are left out"), "{text}");
        // A tiny limit still holds.
        assert!(render(&scan, &reproducible(), 100).len() <= 100);
    }
}
