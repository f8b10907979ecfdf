//! GitHub Actions workflow commands: an annotation per finding on the pull request diff.
//!
//! Each finding that no suppression hides becomes one command:
//!
//! ```text
//! ::warning file=infra/db.tf,line=12,endLine=12,col=3,endColumn=19,title=RES006 single-zone::message%0Ahelp: ...
//! ```
//!
//! - `::error`, `::warning` or `::notice` (for level note); the title is the rule's code and name.
//! - The path is relative to the repository root (or the scanned directory outside git), as in
//!   the other formats. Lines and columns are the ones the JSON output gives (1-based; the end
//!   column is one past the last character). `col` and `endColumn` are left out when the finding
//!   spans several lines: GitHub accepts columns only on a single-line annotation.
//! - A finding whose file is not known (none today) gets no position, only a title.
//! - The help text follows the message on a new line, as `help: ...`.
//! - Values are escaped as GitHub's toolkit does: `%`, CR and LF in the message; also `:` and
//!   `,` in property values.
//!
//! GitHub shows at most 10 annotations of each level per step (and 50 per job), so at most 10
//! errors, then 10 warnings, then 10 notes are written, each level in the findings' order (by
//! location). When some are left out, the last notice slot says how many (by level) and where
//! to find them, so at most 9 findings are written as notices then. The plain summary line
//! follows the commands, for whoever reads the log.

use std::io::{self, Write};

use super::{Emitter, ReportOptions, locate, plural, shown, summary};
use crate::config::Level;
use crate::evaluate::Finding;
use crate::scan::Scan;

/// The `github` format.
pub struct Github;

/// GitHub's limit of annotations per level in one step.
pub const PER_LEVEL: usize = 10;

/// Escapes a command's message (GitHub toolkit `escapeData`).
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escapes a command's property value (GitHub toolkit `escapeProperty`): also `:` and `,`,
/// which separate properties.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

fn command_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// The workflow command of one finding.
pub fn command(scan: &Scan, f: &Finding) -> String {
    let (path, r) = locate(scan, f.span);
    let line = r.start.line.max(1);
    let end_line = r.end.line.max(line);
    let mut props = Vec::new();
    if !path.is_empty() {
        props.push(format!("file={}", escape_property(path)));
        props.push(format!("line={line}"));
        props.push(format!("endLine={end_line}"));
    }
    if !path.is_empty() && end_line == line {
        let col = r.start.column.max(1);
        props.push(format!("col={col}"));
        props.push(format!("endColumn={}", r.end.column.max(col)));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", f.rule.code, f.rule.name))
    ));
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        command_name(f.level),
        props.join(","),
        escape_data(&message)
    )
}

/// The findings to annotate, most severe first, and the numbers left out per level
/// (error, warning, note).
pub fn select<'a>(findings: &[&'a Finding]) -> (Vec<&'a Finding>, [usize; 3]) {
    let levels = [Level::Error, Level::Warning, Level::Note];
    let total = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let totals = levels.map(total);
    let mut caps = [PER_LEVEL; 3];
    if totals.iter().any(|&n| n > PER_LEVEL) {
        // Keep a notice slot for the overflow notice.
        caps[2] = PER_LEVEL - 1;
    }
    let mut chosen = Vec::new();
    let mut left_out = [0; 3];
    for (i, level) in levels.into_iter().enumerate() {
        chosen.extend(
            findings
                .iter()
                .copied()
                .filter(|f| f.level == level)
                .take(caps[i]),
        );
        left_out[i] = totals[i].saturating_sub(caps[i]);
    }
    (chosen, left_out)
}

/// The notice about findings that are not annotated, if any are left out.
pub fn overflow_notice(left_out: [usize; 3]) -> Option<String> {
    let n: usize = left_out.iter().sum();
    if n == 0 {
        return None;
    }
    let parts: Vec<String> = left_out
        .iter()
        .zip(["error", "warning", "note"])
        .filter(|(n, _)| **n > 0)
        .map(|(n, w)| plural(*n, w))
        .collect();
    let (findings, verb) = if n == 1 {
        ("finding", "is")
    } else {
        ("findings", "are")
    };
    let text = format!(
        "{n} more {findings} ({}) {verb} not shown as annotations (GitHub shows at most {PER_LEVEL} per level per step): see the job summary or the code scanning results.",
        parts.join(", ")
    );
    Some(format!("::notice title=resilint::{}", escape_data(&text)))
}

impl Emitter for Github {
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let findings: Vec<&Finding> = shown(scan).collect();
        let (chosen, left_out) = select(&findings);
        for f in chosen {
            writeln!(out, "{}", command(scan, f))?;
        }
        if let Some(notice) = overflow_notice(left_out) {
            writeln!(out, "{notice}")?;
        }
        // Not on the diff: a notice names a file that was not read, or why the run failed.
        for n in &scan.notices {
            let command = match n.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "notice",
            };
            writeln!(
                out,
                "::{command} title={}::{}",
                escape_property(&format!("resilint {}", n.code)),
                escape_data(&n.text())
            )?;
        }
        writeln!(out, "{}", summary(scan, options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{example_scan, reproducible, with_counts};

    fn render(scan: &Scan) -> String {
        let mut out = Vec::new();
        Github
            .emit(scan, &reproducible(), &mut out)
            .expect("writes to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    fn count(text: &str, prefix: &str) -> usize {
        text.lines().filter(|l| l.starts_with(prefix)).count()
    }

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(
            escape_data("50% done\r\nnext: a, b"),
            "50%25 done%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    }

    #[test]
    fn one_command_per_finding_with_help_on_a_new_line() {
        let mut scan = example_scan();
        with_counts(&mut scan, 1, 1, 1);
        scan.findings[0].message = "odd: 100%, really\nsecond line".into();
        scan.findings[0].help = Some("do, this".into());
        let text = render(&scan);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("::error file="), "{text}");
        assert!(lines[1].starts_with("::warning file="), "{text}");
        assert!(lines[2].starts_with("::notice file="), "{text}");
        assert!(
            lines[2].ends_with("::odd: 100%25, really%0Asecond line%0Ahelp: do, this"),
            "{text}"
        );
        let title = format!(
            "title={} {}::",
            scan.findings[0].rule.code, scan.findings[0].rule.name
        );
        assert!(lines[2].contains(&title), "{text}");
        assert!(!text.contains("hidden by a baseline"), "{text}");
        assert!(lines[3].starts_with("Scanned "), "{text}");
        assert!(!lines[3].contains(" in "), "{text}");
    }

    #[test]
    fn positions_and_columns_only_on_one_line() {
        let scan = example_scan();
        for f in &scan.findings {
            let c = command(&scan, f);
            let (path, r) = locate(&scan, f.span);
            assert!(
                c.contains(&format!("file={path},line={},", r.start.line)),
                "{c}"
            );
            assert_eq!(c.contains(",col="), r.start.line == r.end.line, "{c}");
        }
    }

    #[test]
    fn at_most_ten_per_level_and_a_notice_for_the_rest() {
        let mut scan = example_scan();
        with_counts(&mut scan, 13, 25, 11);
        let text = render(&scan);
        assert_eq!(count(&text, "::error "), 10, "{text}");
        assert_eq!(count(&text, "::warning "), 10, "{text}");
        // 9 findings and the overflow notice.
        assert_eq!(count(&text, "::notice file="), 9, "{text}");
        assert_eq!(count(&text, "::notice title=resilint::"), 1, "{text}");
        assert!(
            text.contains("::notice title=resilint::20 more findings (3 errors, 15 warnings, 2 notes) are not shown as annotations (GitHub shows at most 10 per level per step): see the job summary or the code scanning results."),
            "{text}"
        );
        // Most severe first; within a level in order.
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("::error ") && first.ends_with("::error 0"),
            "{text}"
        );
        assert!(text.contains("::warning 9\n") && !text.contains("::warning 10\n"));
        assert!(text.contains("::note 8\n") && !text.contains("::note 9\n"));
        let notice = text.find("title=resilint").unwrap_or(0);
        assert!(text[..notice].contains("::note 8"), "the notice comes last");
    }

    #[test]
    fn ten_notes_fit_when_nothing_else_is_left_out() {
        let mut scan = example_scan();
        with_counts(&mut scan, 10, 0, 10);
        let text = render(&scan);
        assert_eq!(count(&text, "::error "), 10);
        assert_eq!(count(&text, "::notice file="), 10);
        assert!(!text.contains("title=resilint"));

        with_counts(&mut scan, 11, 0, 3);
        let text = render(&scan);
        assert_eq!(count(&text, "::error "), 10);
        assert_eq!(count(&text, "::notice file="), 3);
        assert!(text.contains("::notice title=resilint::1 more finding (1 error) is not shown"));
    }
}
