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

/// Longest text shown in a code frame before it is cut to an excerpt around the span: a
/// minified template or plan is one line of megabytes, which the frame would otherwise show
/// (and lay out) whole for every finding.
const MAX_WINDOW_BYTES: usize = 2_000;

/// Bytes of context kept on each side of a span in an excerpt.
const EXCERPT_CONTEXT: usize = 80;

/// What a code frame shows of a file around a span.
struct Window<'a> {
    /// The text (whole lines, or an excerpt of one line with `…` where it was cut).
    text: std::borrow::Cow<'a, str>,
    /// The 1-based number of its first line.
    line: usize,
    /// The span's offsets in `text`.
    range: std::ops::Range<usize>,
    /// For an excerpt: the column the frame computes from the excerpt, and the real one.
    columns: Option<(usize, usize)>,
}

/// The lines covering a span, for a snippet, cut to an excerpt when they are very long.
fn window(file: &SourceFile, span: Span) -> Window<'_> {
    let (text, line, range) = lines_around(file, span);
    if text.len() <= MAX_WINDOW_BYTES {
        return Window {
            text: text.into(),
            line,
            range,
            columns: None,
        };
    }
    // The text starts at the span's line. Shown: from a little before the span to a little
    // after it, on that line; only that much of the line is looked at.
    let from = floor_boundary(text, range.start.saturating_sub(EXCERPT_CONTEXT));
    let reach = ceil_boundary(text, range.start + EXCERPT_CONTEXT * 3);
    let line_end = text[range.start..reach]
        .find(['\n', '\r'])
        .map_or(reach, |i| range.start + i);
    let shown_end = range.end.clamp(range.start, line_end);
    let to = ceil_boundary(text, (shown_end + EXCERPT_CONTEXT).min(line_end));
    let (head, tail) = (
        if from > 0 { "…" } else { "" },
        if to < text.len() && !text[to..].starts_with(['\n', '\r']) {
            "…"
        } else {
            ""
        },
    );
    let excerpt = format!("{head}{}{tail}", &text[from..to]);
    let start = head.len() + range.start - from;
    let end = head.len() + shown_end - from;
    let shown_column = excerpt[..start].chars().count() + 1;
    let real_column = file.position(span.start).column as usize;
    Window {
        text: excerpt.into(),
        line,
        range: start..end,
        columns: Some((shown_column, real_column)),
    }
}

/// The lines covering a span: (text, first line number, span offsets in text).
fn lines_around(file: &SourceFile, span: Span) -> (&str, usize, std::ops::Range<usize>) {
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
    // As named or found, relative to where resilint runs; a file loaded from elsewhere (a
    // module outside the scanned paths) relative to the report base, never absolute.
    let display = |file: &SourceFile| {
        if file.path.is_absolute() {
            file.rel_path.clone()
        } else {
            file.path.to_string_lossy().replace('\\', "/")
        }
    };
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
    let main = file.map(|file| window(file, f.span));
    let related: Vec<(Window<'_>, &str, &str)> = f
        .related
        .iter()
        .take(2)
        .zip(&paths)
        .filter_map(|(r, path)| {
            let rf = scan.sources.get(r.span.file)?;
            Some((window(rf, r.span), path.as_str(), r.message.as_str()))
        })
        .collect();
    // Where excerpts moved the column the frame shows: (path:line:shown, path:line:real).
    let mut moved: Vec<(String, String)> = Vec::new();
    let mut note_moved = |w: &Window<'_>, path: &str| {
        if let Some((shown, real)) = w.columns {
            moved.push((
                format!("{path}:{}:{shown}", w.line),
                format!("{path}:{}:{real}", w.line),
            ));
        }
    };
    if let Some(w) = &main {
        note_moved(w, &main_path);
        group = group.element(
            Snippet::source(w.text.as_ref())
                .line_start(w.line)
                .path(main_path.as_str())
                .fold(true)
                .annotation(
                    AnnotationKind::Primary
                        .span(w.range.clone())
                        .label(f.label.as_str()),
                ),
        );
    }
    for (w, path, message) in &related {
        note_moved(w, path);
        group = group.element(
            Snippet::source(w.text.as_ref())
                .line_start(w.line)
                .path(*path)
                .fold(true)
                .annotation(
                    AnnotationKind::Context
                        .span(w.range.clone())
                        .label(*message),
                ),
        );
    }
    if let Some(help) = &f.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    let suppressed = f.suppression.as_ref().map(|s| match s.span {
        Some(at) => format!(
            "suppressed at {}: {}",
            scan.sources.location(at),
            s.justification
        ),
        None => format!("suppressed: {}", s.justification),
    });
    if let Some(note) = &suppressed {
        group = group.element(SnippetLevel::NOTE.message(note.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    let mut rendered = renderer.render(&report);
    // Each frame's header (`path:line:column`, in order) names the real column.
    let mut from = 0;
    for (shown, real) in moved {
        if let Some(i) = rendered[from..].find(&shown) {
            let at = from + i;
            rendered.replace_range(at..at + shown.len(), &real);
            from = at + real.len();
        }
    }
    rendered
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
            let (text, line, range) = lines_around(&f, Span::new(FileId(0), start, end));
            assert_eq!(line, 1);
            assert_eq!(range, want, "span {start}..{end}");
            assert!(text.get(range).is_some(), "span {start}..{end}");
        }
    }
}
