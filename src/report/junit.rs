//! JUnit XML, for CI systems that read test reports (GitLab, Jenkins).
//!
//! The document has one `<testsuites name="resilint">` holding one `<testsuite name="resilint">`.
//! Each test case is a thing resilint checked:
//!
//! - one `<testcase classname="{file}" name="{address}" file="{file}">` per stateful resource, in
//!   the order `resilint explain` lists them;
//! - one per other resource that a finding is about (none today: findings are about stateful
//!   resources), after them;
//! - one per finding that is about no resource (a file that cannot be parsed, RES000), named
//!   `{CODE} {file}:{line}`, last.
//!
//! Each finding that no suppression hides is put in its test case: an error or a warning as a
//! `<failure type="{CODE}" message="{first sentence}">`, whose text is the code, rule name and
//! level, the full message, the help and `file:line:column`; a note as a paragraph of the test
//! case's `<system-out>` (it does not fail the test). Failures come most severe first, so a
//! reader that shows only a test case's first failure (Jenkins) shows the worst one. A test
//! case without failures passed.
//!
//! Each notice comes last as a test case of its own, named `{code} {file}`: a file that was not
//! read (`file-not-read`) as `<skipped>`, a run that failed (`run-failed`) as `<error>`.
//!
//! `tests` counts the test cases and `failures` the test cases with at least one failure (so
//! `failures` ≤ `tests`); `errors` and `skipped` count the notices of each kind. Times: `time="0"` on every test case
//! (nothing is timed per resource); the suite's `time` is the scan's duration and it has a
//! `timestamp`, except with reproducible output, where the time is 0 and there is no
//! timestamp.
//!
//! Escaping: `&`, `<`, `>`, `"` and `'` become entities everywhere; in attribute values tab,
//! line feed and carriage return become character references (an XML parser would turn them
//! into spaces otherwise), in text a carriage return does. Characters that XML 1.0 does not
//! allow (other C0 control characters, U+FFFE, U+FFFF) are removed, and so are DEL and the C1
//! control characters, which it allows but discourages.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{Emitter, ReportOptions, first_sentence, locate, shown, stateful};
use crate::config::Level;
use crate::evaluate::Finding;
use crate::model::ResourceId;
use crate::scan::Scan;

/// The `junit` format.
pub struct Junit;

/// Whether XML 1.0 output keeps a character (tab, line feed and carriage return are handled by
/// the callers).
fn allowed(c: char) -> bool {
    !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Escapes text content.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an attribute value (for double quotes).
pub fn attr(s: &str) -> String {
    escape(s, true)
}

/// One test case.
struct Case<'a> {
    classname: String,
    name: String,
    file: String,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failures(&self) -> impl Iterator<Item = &&Finding> {
        self.findings.iter().filter(|f| f.level != Level::Note)
    }
}

fn cases<'a>(scan: &'a Scan) -> Vec<Case<'a>> {
    let mut cases = Vec::new();
    let mut by_resource: HashMap<ResourceId, usize> = HashMap::new();
    let resource_case = |id: ResourceId| {
        let r = scan.model.get(id);
        let (file, _) = locate(scan, r.span);
        Case {
            classname: file.to_string(),
            name: r.address.clone(),
            file: file.to_string(),
            findings: Vec::new(),
        }
    };
    // The stateful resources, as `explain_json::entries` lists them.
    for (r, _) in stateful(scan) {
        by_resource.insert(r.id, cases.len());
        cases.push(resource_case(r.id));
    }
    let mut loose = Vec::new();
    for f in shown(scan) {
        match f.resource {
            Some(id) => {
                let i = match by_resource.get(&id) {
                    Some(&i) => i,
                    None => {
                        by_resource.insert(id, cases.len());
                        cases.push(resource_case(id));
                        cases.len() - 1
                    }
                };
                cases[i].findings.push(f);
            }
            None => {
                let (file, r) = locate(scan, f.span);
                loose.push(Case {
                    classname: file.to_string(),
                    name: format!("{} {file}:{}", f.rule.code, r.start.line),
                    file: file.to_string(),
                    findings: vec![f],
                });
            }
        }
    }
    cases.extend(loose);
    for c in &mut cases {
        // Most severe first; stable, so in the findings' order within a level.
        c.findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    }
    cases
}

/// The text of a failure or a note: what, the message, the help, where.
fn details(scan: &Scan, f: &Finding) -> String {
    let (path, r) = locate(scan, f.span);
    let mut s = format!(
        "{} {} ({})\n{}\n",
        f.rule.code,
        f.rule.name,
        f.level.as_str(),
        f.message
    );
    if let Some(help) = &f.help {
        s.push_str(&format!("help: {help}\n"));
    }
    s.push_str(&format!("{path}:{}:{}", r.start.line, r.start.column));
    s
}

/// Renders the document.
pub fn render(scan: &Scan, options: &ReportOptions) -> String {
    let cases = cases(scan);
    let tests = cases.len();
    let failures = cases
        .iter()
        .filter(|c| c.failures().next().is_some())
        .count();
    let (time, timestamp) = if options.reproducible {
        ("0".to_string(), String::new())
    } else {
        (
            format!("{:.3}", scan.stats.elapsed.as_secs_f64()),
            format!(
                " timestamp=\"{}\"",
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S")
            ),
        )
    };
    let errors = scan
        .notices
        .iter()
        .filter(|n| n.level == Level::Error)
        .count();
    let skipped = scan.notices.len() - errors;
    let tests = tests + scan.notices.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"resilint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{time}\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"resilint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time}\"{timestamp}>\n"
    ));
    for c in &cases {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"0\"",
            attr(&c.classname),
            attr(&c.name),
            attr(&c.file)
        );
        if c.findings.is_empty() {
            out.push_str(&open);
            out.push_str("/>\n");
            continue;
        }
        out.push_str(&open);
        out.push_str(">\n");
        for f in c.failures() {
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                attr(f.rule.code),
                attr(first_sentence(&f.message)),
                text(&details(scan, f))
            ));
        }
        let notes: Vec<String> = c
            .findings
            .iter()
            .filter(|f| f.level == Level::Note)
            .map(|f| details(scan, f))
            .collect();
        if !notes.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                text(&notes.join("\n\n"))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    // Notices last: a file that was not read is a skipped test case, a run that failed an
    // erroneous one.
    for n in &scan.notices {
        let file = n.file.as_deref().unwrap_or("");
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"0\">\n",
            attr(file),
            attr(format!("{} {file}", n.code).trim_end()),
            attr(file)
        ));
        let element = if n.level == Level::Error {
            "error"
        } else {
            "skipped"
        };
        out.push_str(&format!(
            "      <{element} type=\"{}\" message=\"{}\"/>\n",
            attr(n.code),
            attr(&n.message)
        ));
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

impl Emitter for Junit {
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render(scan, options).as_bytes())
    }
}

#[cfg(test)]
#[path = "../../tests/common/xml.rs"]
mod xml;

#[cfg(test)]
mod tests {
    use super::xml::{Element, parse};

    use super::*;
    use crate::report::explain_json::entries;
    use crate::report::testutil::{example_scan, reproducible, with_counts};

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            text("a & b < c > d \"e\" 'f'"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
        assert_eq!(
            text("x\u{0}y\u{1b}[0m\u{7f}\u{85}\u{FFFF}z\n\tw\r"),
            "xy[0mz\n\tw&#13;"
        );
        assert_eq!(attr("one\ntwo\tthree\r"), "one&#10;two&#9;three&#13;");
        assert_eq!(text("]]>"), "]]&gt;");
    }

    #[test]
    fn awkward_text_survives_a_parser() {
        let mut scan = example_scan();
        with_counts(&mut scan, 1, 0, 1);
        let nasty = "a & b <c> \"d\" 'e' ]]> \u{1}\u{1b}f\nsecond\tline\r\nend. More";
        for f in &mut scan.findings {
            f.message = nasty.into();
            f.help = Some("<help> & more".into());
        }
        let doc = parse(&render(&scan, &reproducible()));
        let suite = &doc.all("testsuite")[0];
        let failure = suite
            .all("testcase")
            .iter()
            .flat_map(|c| c.all("failure"))
            .next()
            .expect("a failure");
        assert_eq!(
            failure.attr("message"),
            "a & b <c> \"d\" 'e' ]]> f\nsecond\tline\r\nend."
        );
        assert!(
            failure.text.contains(
                "a & b <c> \"d\" 'e' ]]> f\nsecond\tline\r\nend. More\nhelp: <help> & more\n"
            ),
            "{:?}",
            failure.text
        );
        let out: Vec<&Element> = suite
            .all("testcase")
            .iter()
            .flat_map(|c| c.all("system-out"))
            .collect();
        assert_eq!(out.len(), 1);
        assert!(
            out[0].text.contains("(note)\na & b <c>"),
            "{:?}",
            out[0].text
        );
    }

    #[test]
    fn one_case_per_stateful_resource_with_its_failures() {
        let scan = example_scan();
        let doc = parse(&render(&scan, &reproducible()));
        assert_eq!(doc.name, "testsuites");
        assert_eq!(doc.attr("name"), "resilint");
        let suites = doc.all("testsuite");
        assert_eq!(suites.len(), 1);
        let suite = suites[0];
        assert_eq!(suite.attr("errors"), "0");
        assert_eq!(suite.attr("skipped"), "0");
        assert_eq!(suite.attr("time"), "0");
        assert!(suite.attrs.iter().all(|(k, _)| k != "timestamp"));
        let cases = suite.all("testcase");
        let resources = entries(&scan);
        // The examples' findings are all about stateful resources.
        assert!(scan.findings.iter().all(|f| f.resource.is_some()));
        assert_eq!(cases.len(), resources.len());
        for (c, e) in cases.iter().zip(&resources) {
            assert_eq!(c.attr("name"), e.address);
            assert_eq!(c.attr("classname"), e.file);
            assert_eq!(c.attr("time"), "0");
        }
        let failing = cases
            .iter()
            .filter(|c| !c.all("failure").is_empty())
            .count();
        assert_eq!(suite.attr("tests"), cases.len().to_string());
        assert_eq!(suite.attr("failures"), failing.to_string());
        assert_eq!(doc.attr("failures"), failing.to_string());
        let failures: usize = cases.iter().map(|c| c.all("failure").len()).sum();
        let notes: usize = cases
            .iter()
            .flat_map(|c| c.all("system-out"))
            .map(|o| o.text.matches("(note)\n").count())
            .sum();
        let counts = crate::report::Counts::of(&scan.findings);
        assert_eq!(failures, counts.error + counts.warning);
        assert_eq!(notes, counts.note);
        // Errors before warnings within a test case.
        for c in &cases {
            let levels: Vec<bool> = c
                .all("failure")
                .iter()
                .map(|f| f.text.contains("(error)\n"))
                .collect();
            assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
        }
    }

    #[test]
    fn findings_without_a_resource_get_their_own_case_and_suppressed_ones_none() {
        let mut scan = example_scan();
        with_counts(&mut scan, 2, 1, 0);
        scan.findings[0].resource = None;
        scan.findings[0].address = None;
        let (file, r) = locate(&scan, scan.findings[0].span);
        let name = format!("{} {file}:{}", scan.findings[0].rule.code, r.start.line);
        let doc = parse(&render(&scan, &reproducible()));
        let cases = doc.all("testsuite")[0].all("testcase");
        let last = cases.last().expect("a case");
        assert_eq!(last.attr("name"), name);
        assert_eq!(last.all("failure").len(), 1);
        let failures: usize = cases.iter().map(|c| c.all("failure").len()).sum();
        // Two errors and a warning; the suppressed error is left out.
        assert_eq!(failures, 3);
        assert!(!cases.iter().any(|c| {
            c.all("failure")
                .iter()
                .any(|f| f.text.contains("hidden by a baseline"))
        }));
    }

    #[test]
    fn times_when_not_reproducible() {
        let scan = example_scan();
        let doc = parse(&render(&scan, &ReportOptions::default()));
        let suite = doc.all("testsuite")[0];
        assert!(suite.attr("timestamp").len() == "2026-01-01T00:00:00".len());
        assert!(suite.attr("time").parse::<f64>().is_ok());
    }
}
