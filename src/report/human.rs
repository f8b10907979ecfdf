//! Human output: a code frame per finding (rustc/ruff style), a help line, and a summary.

use std::io::{self, Write};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

use super::{Emitter, ReportOptions, summary};
use crate::config::Level;
use crate::evaluate::Finding;
use crate::scan::Scan;
use crate::source::{SourceFile, Span};

/// The human emitter.
pub struct Human;

impl Emitter for Human {
    fn emit(&self, scan: &Scan, options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let renderer = if options.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Unicode);
        if !options.quiet {
            for f in &scan.findings {
                if f.is_suppressed() && !options.show_suppressed {
                    continue;
                }
                writeln!(out, "{}\n", render(scan, f, &renderer))?;
            }
        }
        for n in &scan.notices {
            if !options.quiet || n.level == Level::Error {
                writeln!(out, "{}[{}]: {}", n.level.as_str(), n.code, n.text())?;
            }
        }
        writeln!(out, "{}", summary(scan, options))
    }
}

fn level(l: Level) -> SnippetLevel<'static> {
    match l {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
        Level::Note => SnippetLevel::NOTE,
    }
}

/// The lines covering a span, for a snippet: (text, first line number, span offsets in text).
fn window(file: &SourceFile, span: Span) -> (&str, usize, std::ops::Range<usize>) {
    let region = file.region(span);
    let first = file.line_range(region.start.line);
    let last = file.line_range(region.end.line.max(region.start.line));
    // Show at most 6 lines of a long span (a whole block): its head is what matters.
    let last = if region.end.line > region.start.line + 5 {
        file.line_range(region.start.line + 5)
    } else {
        last
    };
    let text = file.text.get(first.start..last.end).unwrap_or("");
    // Offsets inside a multi-byte character are snapped outwards to its boundaries.
    let start = floor_boundary(text, (span.start as usize).saturating_sub(first.start));
    let end = ceil_boundary(text, (span.end as usize).saturating_sub(first.start)).max(start);
    // An empty span marks the character it stands on.
    let end = if end == start {
        text.get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(end, |c| start + c.len_utf8())
    } else {
        end
    };
    (text, region.start.line as usize, start..end)
}

/// `i` clamped to the text and moved back to a character boundary.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `i` clamped to the text and moved forward to a character boundary.
fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Renders one finding.
pub fn render(scan: &Scan, f: &Finding, renderer: &Renderer) -> String {
    let mut group = Group::with_title(
        level(f.level)
            .primary_title(f.message.as_str())
            .id(f.rule.code),
    );
    let file = scan.sources.get(f.span.file);
    let display = |file: &SourceFile| file.path.to_string_lossy().replace('\\', "/");
    let paths: Vec<String> = f
        .related
        .iter()
        .take(2)
        .map(|r| {
            scan.sources
                .get(r.span.file)
                .map(display)
                .unwrap_or_default()
        })
        .collect();
    let main_path = file.map(display).unwrap_or_default();
    if let Some(file) = file {
        let (text, line, range) = window(file, f.span);
        group = group.element(
            Snippet::source(text)
                .line_start(line)
                .path(main_path.as_str())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(range).label(f.label.as_str())),
        );
    }
    for (r, path) in f.related.iter().take(2).zip(&paths) {
        if let Some(rf) = scan.sources.get(r.span.file) {
            let (text, line, range) = window(rf, r.span);
            group = group.element(
                Snippet::source(text)
                    .line_start(line)
                    .path(path.as_str())
                    .fold(true)
                    .annotation(
                        AnnotationKind::Context
                            .span(range)
                            .label(r.message.as_str()),
                    ),
            );
        }
    }
    if let Some(help) = &f.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    let suppressed = f.suppression.as_ref().map(|s| match s.span {
        Some(at) => format!(
            "suppressed at {}: {}",
            scan.sources.short_location(at),
            s.justification
        ),
        None => format!("suppressed: {}", s.justification),
    });
    if let Some(note) = &suppressed {
        group = group.element(SnippetLevel::NOTE.message(note.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    renderer.render(&report)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::source::{FileId, Language};

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            FileId(0),
            PathBuf::from("main.tf"),
            "main.tf".into(),
            Language::Terraform,
            Arc::from(text),
        )
    }

    #[test]
    fn spans_inside_a_multi_byte_character_are_snapped_to_its_boundaries() {
        // `é` is bytes 5..7 and `€` bytes 10..13 of the line.
        let f = file("name=\u{e9}; x\u{20ac}\nnext\n");
        for (start, end, want) in [
            (6, 6, 5..7),   // empty, inside `é`: the whole character
            (6, 11, 5..13), // from inside `é` to inside `€`
            (11, 12, 10..13),
            (12, 12, 10..13),
            (13, 13, 13..13),
            (0, 40, 0..19), // past the end of the file: clamped
        ] {
            let (text, line, range) = window(&f, Span::new(FileId(0), start, end));
            assert_eq!(line, 1);
            assert_eq!(range, want, "span {start}..{end}");
            assert!(text.get(range).is_some(), "span {start}..{end}");
        }
    }
}
