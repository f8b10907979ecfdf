//! Inline suppressions: `resilint:ignore` comments in Terraform and CloudFormation YAML, and
//! CloudFormation `Metadata: {resilint: {ignore: [...]}}`, with what each one applies to.
//!
//! ```text
//! # resilint:ignore RES004,RES005 reason="DR handled by the platform team" until=2027-06-30
//! ```
//!
//! A comment applies to the block it is written in (anywhere inside a `resource` or `module`
//! block, including before one of its attributes) or to the block that follows it (the line
//! before a `resource` or `module` block, comments and blank lines between allowed). In YAML
//! the blocks are the template's resource entries.

use chrono::NaiveDate;

use super::comments;
use crate::evaluate::{RuleMeta, rule};
use crate::model::node::{Kind, Node};
use crate::model::{Model, ResourceId};
use crate::source::{FileId, Language, SourceFile, SourceMap, Span};

/// The marker of a suppression comment.
pub const MARKER: &str = "resilint:ignore";

/// One suppression.
#[derive(Debug, Clone)]
pub struct Directive {
    /// The rules it names.
    pub rules: Vec<&'static RuleMeta>,
    /// Why (required).
    pub reason: Option<String>,
    /// Last day it applies.
    pub until: Option<NaiveDate>,
    /// Where it is written: the comment, or the metadata entry.
    pub span: Span,
    /// What it applies to.
    pub target: Target,
    /// What is wrong with it; a directive with problems is ignored.
    pub problems: Vec<String>,
}

impl Directive {
    /// The rule codes, for messages (`RES004, RES005`).
    pub fn rule_list(&self) -> String {
        if self.rules.is_empty() {
            return "no rule".into();
        }
        self.rules
            .iter()
            .map(|r| r.code)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a suppression applies to.
#[derive(Debug, Clone)]
pub enum Target {
    /// Findings located in these lines (1-based, inclusive) of a file, or about resources
    /// declared there or brought in by a module block there.
    Lines {
        /// The file.
        file: FileId,
        /// First line.
        first: u32,
        /// Last line.
        last: u32,
        /// What the block is, for messages (`aws_db_instance.orders`, `module.db`).
        name: String,
    },
    /// Findings about one resource (CloudFormation metadata).
    Resource(ResourceId),
    /// Nothing: the comment is not in or before a block.
    Nothing,
}

/// Every suppression of the scanned files and resources.
pub fn collect(model: &Model, sources: &SourceMap) -> Vec<Directive> {
    let mut out = Vec::new();
    for file in sources.iter() {
        if !file.text.contains(MARKER) {
            continue;
        }
        match file.language {
            Language::Terraform => {
                from_comments(file, &comments::hcl(&file.text), hcl_blocks(file), &mut out)
            }
            Language::CloudFormationYaml => from_comments(
                file,
                &comments::yaml(&file.text),
                yaml_blocks(file, model),
                &mut out,
            ),
            _ => {}
        }
    }
    for r in &model.resources {
        if let Some(meta) = &r.metadata {
            from_metadata(r.id, meta, &mut out);
        }
    }
    out
}

/// A block a comment can apply to: its byte range, first and last line, and name.
#[derive(Debug, Clone)]
struct Block {
    start: usize,
    end: usize,
    first: u32,
    last: u32,
    name: String,
}

fn from_comments(
    file: &SourceFile,
    found: &[(usize, usize)],
    mut blocks: Vec<Block>,
    out: &mut Vec<Directive>,
) {
    // In order, for binary searches: a file with a suppression per block must not cost a scan
    // of every block per suppression.
    blocks.sort_by_key(|b| b.start);
    for &(start, end) in found {
        let text = &file.text[start..end];
        let Some(at) = text.find(MARKER) else {
            continue;
        };
        let span = Span::new(file.id, start, end);
        let mut d = parse(&text[at + MARKER.len()..], span);
        d.target = target_of(file, &blocks, found, start, end);
        if matches!(d.target, Target::Nothing) {
            d.problems
                .push("it is not written in or just before a resource or module block".into());
        }
        out.push(d);
    }
}

/// The block a comment at `start..end` is in, or the block right after it. `blocks`: the
/// file's blocks, which do not overlap, by start; `comments`: the file's comments, in order.
fn target_of(
    file: &SourceFile,
    blocks: &[Block],
    comments: &[(usize, usize)],
    start: usize,
    end: usize,
) -> Target {
    let to_target = |b: &Block| Target::Lines {
        file: file.id,
        first: b.first,
        last: b.last,
        name: b.name.clone(),
    };
    let before = blocks.partition_point(|b| b.start <= start);
    if let Some(b) = before.checked_sub(1).and_then(|i| blocks.get(i))
        && start < b.end
    {
        return to_target(b);
    }
    // The next block, with only blank lines and other comments in between.
    let Some(next) = blocks.get(blocks.partition_point(|b| b.start < end)) else {
        return Target::Nothing;
    };
    if only_comments(&file.text, comments, end, next.start) {
        to_target(next)
    } else {
        Target::Nothing
    }
}

/// Whether `text[from..to]` is only whitespace and comments (`comments`: byte ranges, in order).
fn only_comments(text: &str, comments: &[(usize, usize)], from: usize, to: usize) -> bool {
    let blank = |a: usize, b: usize| text.get(a..b).is_some_and(|t| t.trim().is_empty());
    let mut pos = from;
    let first = comments.partition_point(|c| c.0 < from);
    for &(start, end) in comments[first..].iter().take_while(|c| c.0 < to) {
        if !blank(pos, start) {
            return false;
        }
        pos = end.min(to);
    }
    blank(pos, to)
}

/// The `resource` and `module` blocks of a Terraform file.
fn hcl_blocks(file: &SourceFile) -> Vec<Block> {
    let Ok(body) = crate::hcl_edit::parser::parse_body(&file.text) else {
        return Vec::new();
    };
    body.blocks()
        .filter_map(|b| {
            let range = crate::hcl_edit::Span::span(b)?;
            let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
            // Only resources and module calls have findings.
            let name = match (b.ident.as_str(), labels.as_slice()) {
                ("resource", [t, n]) => format!("{t}.{n}"),
                ("module", [n]) => format!("module.{n}"),
                _ => return None,
            };
            Some(Block {
                start: range.start,
                end: range.end,
                first: file.position(range.start as u32).line,
                last: file.position(range.end.saturating_sub(1) as u32).line,
                name,
            })
        })
        .collect()
}

/// The resource entries of a YAML template: from the logical id's line to the last line before
/// the next line indented as much or less.
fn yaml_blocks(file: &SourceFile, model: &Model) -> Vec<Block> {
    let lines: Vec<&str> = file.text.split('\n').collect();
    let line_start = |n: usize| file.offset_of(n, 0);
    model
        .resources
        .iter()
        .filter(|r| r.span.file == file.id)
        .map(|r| {
            let pos = file.position(r.span.start);
            let indent = pos.column.saturating_sub(1) as usize;
            let mut last = pos.line as usize;
            for (i, l) in lines.iter().enumerate().skip(pos.line as usize) {
                let t = l.trim_start();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                if l.len() - t.len() <= indent {
                    break;
                }
                last = i + 1;
            }
            let end = if last < lines.len() {
                line_start(last + 1)
            } else {
                file.text.len()
            };
            Block {
                start: line_start(pos.line as usize),
                end,
                first: pos.line,
                last: last as u32,
                name: r.address.clone(),
            }
        })
        .collect()
}

/// `Metadata: {resilint: {ignore: [{rule: RES004, reason: ..., until: ...}]}}`.
fn from_metadata(id: ResourceId, meta: &Node, out: &mut Vec<Directive>) {
    let Some(ignore) = meta.get("resilint").and_then(|r| r.get("ignore")) else {
        return;
    };
    let entries: Vec<&Node> = match &ignore.kind {
        Kind::List(items) => items.iter().collect(),
        _ => vec![ignore],
    };
    for e in entries {
        let mut d = Directive {
            rules: Vec::new(),
            reason: None,
            until: None,
            span: e.span,
            target: Target::Resource(id),
            problems: Vec::new(),
        };
        let Kind::Map(m) = &e.kind else {
            d.problems.push(
                "an `ignore` entry must be a mapping with `rule`, `reason` and `until`".into(),
            );
            out.push(d);
            continue;
        };
        for entry in m {
            let value = entry.value.as_str().map(|s| s.trim().to_string());
            match (entry.key.as_str(), value) {
                ("rule" | "rules", Some(v)) => add_rules(&mut d, &v),
                ("reason", Some(v)) => d.reason = Some(v),
                ("until", Some(v)) => set_until(&mut d, &v),
                (key, _) => d.problems.push(format!(
                    "`{key}` is not a suppression field (rule, reason, until)"
                )),
            }
        }
        finish(&mut d);
        out.push(d);
    }
}

/// Parses what follows the marker: `RES004[,RES005] reason="..." until=2027-06-30`.
fn parse(rest: &str, span: Span) -> Directive {
    let mut d = Directive {
        rules: Vec::new(),
        reason: None,
        until: None,
        span,
        target: Target::Nothing,
        problems: Vec::new(),
    };
    // Block comments end with `*/`.
    let rest = rest.trim_end().trim_end_matches("*/");
    let mut chars = rest.char_indices().peekable();
    let mut tokens: Vec<String> = Vec::new();
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' {
                // A quoted value, spaces and escaped quotes included.
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, e)) = chars.next() {
                                token.push(e);
                            }
                        }
                        '"' => break,
                        c => token.push(c),
                    }
                }
            } else {
                token.push(c);
            }
        }
        tokens.push(token);
    }
    let mut rules_done = false;
    for t in tokens {
        match t.split_once('=') {
            Some(("reason", v)) => {
                rules_done = true;
                d.reason = Some(v.trim().to_string());
            }
            Some(("until", v)) => {
                rules_done = true;
                set_until(&mut d, v);
            }
            Some((key, _)) => {
                rules_done = true;
                d.problems.push(format!(
                    "`{key}` is not a suppression field (reason, until)"
                ));
            }
            None if !rules_done => add_rules(&mut d, &t),
            None => d
                .problems
                .push(format!("`{t}` is not understood (rules come first)")),
        }
    }
    finish(&mut d);
    d
}

fn add_rules(d: &mut Directive, list: &str) {
    for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        match rule(code) {
            Some(r) if ["RES000", "RES012", "RES013"].contains(&r.code) => {
                d.problems.push(format!("{} cannot be suppressed", r.code))
            }
            Some(r) => {
                if !d.rules.iter().any(|x| std::ptr::eq(*x, r)) {
                    d.rules.push(r);
                }
            }
            None => d.problems.push(format!(
                "`{code}` is not a rule (`resilint rules` lists them)"
            )),
        }
    }
}

fn set_until(d: &mut Directive, v: &str) {
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(date) => d.until = Some(date),
        Err(_) => d
            .problems
            .push(format!("`until={v}` is not a date like 2027-06-30")),
    }
}

fn finish(d: &mut Directive) {
    if d.rules.is_empty() && !d.problems.iter().any(|p| p.contains("not a rule")) {
        d.problems.push("it names no rule (like RES004)".into());
    }
    match &d.reason {
        None => d
            .problems
            .push("it gives no reason (add reason=\"...\")".into()),
        Some(r) if r.is_empty() => d.problems.push("its reason is empty".into()),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Directive {
        parse(s, Span::default())
    }

    #[test]
    fn parses_rules_reason_and_until() {
        let d = p(
            r#" RES004,backup-not-offsite, RES005 reason="DR by the \"platform\" team" until=2027-06-30"#,
        );
        assert_eq!(d.rule_list(), "RES004, RES005");
        assert_eq!(d.reason.as_deref(), Some(r#"DR by the "platform" team"#));
        assert_eq!(d.until, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn comments_of_any_kind_may_stand_between_a_suppression_and_its_block() {
        let text = "# resilint:ignore RES004 reason=\"x\"\n/* a note\n   on two lines */\n// more\n\nresource \"aws_db_instance\" \"d\" {\n}\n# resilint:ignore RES004 reason=\"x\"\nlocals { a = 1 }\nresource \"aws_db_instance\" \"e\" {\n}\n";
        let mut sources = SourceMap::default();
        sources.push(
            "main.tf".into(),
            "main.tf".into(),
            Language::Terraform,
            text.into(),
        );
        let targets: Vec<String> = collect(&Model::default(), &sources)
            .iter()
            .map(|d| match &d.target {
                Target::Lines {
                    first, last, name, ..
                } => format!("{name} {first}-{last}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(targets, ["aws_db_instance.d 6-7", "Nothing"]);
    }

    #[test]
    fn problems_are_named() {
        assert!(p(" RES004").problems[0].contains("no reason"));
        assert!(p(" RES999 reason=\"x\"").problems[0].contains("not a rule"));
        assert!(p(" RES004 reason=\"x\" until=soon").problems[0].contains("not a date"));
        assert!(p(" reason=\"x\"").problems[0].contains("names no rule"));
        assert!(p(" RES000 reason=\"x\"").problems[0].contains("cannot be suppressed"));
        assert!(
            p(" RES004 because=\"x\" reason=\"y\"").problems[0].contains("not a suppression field")
        );
        assert!(p(" RES004 reason=\"x\" extra").problems[0].contains("not understood"));
        assert!(p(" RES004 reason=\"\"").problems[0].contains("empty"));
    }
}
