//! The chart of a workload: per component and scope, the estimated RPO and RTO against the
//! target on a log-time axis (one minute to sixty days), as inline SVG (no script, no font
//! download; it prints as it shows).
//!
//! A bar runs from the left edge to the estimate: green when it meets the target, red when it
//! misses it, grey and hatched when it depends on unknown values (drawn to its known worst
//! case, if any). A scope that nothing covers is a red dashed bar across the whole axis,
//! labelled `unprotected`. The target is a dark tick across the row.

use std::fmt::Write;

use super::{ComponentReport, ScopeReport, Verdict, dur};
use crate::report::html_escape as esc;

/// The left end of the axis: one minute (0 is drawn there too).
const MIN: f64 = 60.0;
/// The right end: sixty days.
const MAX: f64 = 60.0 * 86_400.0;
/// Tick marks.
const TICKS: [(u64, &str); 8] = [
    (60, "1m"),
    (300, "5m"),
    (900, "15m"),
    (3_600, "1h"),
    (14_400, "4h"),
    (86_400, "24h"),
    (604_800, "7d"),
    (2_592_000, "30d"),
];

const LABEL_W: f64 = 300.0;
const PANEL_W: f64 = 300.0;
const GAP_W: f64 = 30.0;
const ROW_H: f64 = 18.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 22.0;

/// One row: a component's scope.
struct Row<'a> {
    label: String,
    scope: &'a ScopeReport,
}

/// How one measure of a row compares with its target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Met,
    Missed,
    Unknown,
    Unprotected,
    NoTarget,
}

fn x_of(secs: f64, left: f64) -> f64 {
    let v = secs.clamp(MIN, MAX);
    left + (v.ln() - MIN.ln()) / (MAX.ln() - MIN.ln()) * PANEL_W
}

/// The SVG chart of a workload's components, or `None` when no scope of any component has an
/// estimate or a target to draw.
pub fn render(components: &[ComponentReport]) -> Option<String> {
    let rows: Vec<Row<'_>> = components
        .iter()
        .flat_map(|c| {
            c.scopes
                .iter()
                .filter(|s| s.verdict != Verdict::NotEvaluated || s.covered)
                .map(move |s| Row {
                    label: format!("{} · {}", short(&c.address), s.scope),
                    scope: s,
                })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let width = LABEL_W + 2.0 * PANEL_W + GAP_W + 20.0;
    let height = TOP + rows.len() as f64 * ROW_H + BOTTOM;
    let mut s = String::with_capacity(512 + rows.len() * 600);
    let _ = write!(
        s,
        r##"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="Estimated RPO and RTO against targets, log-time axis"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#d0d4da"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a919b" stroke-width="3"/></pattern></defs>"##
    );
    for (p, title) in ["RPO (data lost)", "RTO (time to recover)"]
        .iter()
        .enumerate()
    {
        let left = LABEL_W + p as f64 * (PANEL_W + GAP_W);
        let _ = write!(s, r#"<text x="{left}" y="12" class="panel">{title}</text>"#);
        for (secs, label) in TICKS {
            let x = x_of(secs as f64, left);
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{y0}" x2="{x:.1}" y2="{y1}" stroke="#e3e6ea"/><text x="{x:.1}" y="{ty}" class="tick" text-anchor="middle">{label}</text>"##,
                y0 = TOP - 6.0,
                y1 = height - BOTTOM,
                ty = TOP - 10.0,
            );
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + i as f64 * ROW_H;
        if i % 2 == 0 {
            let _ = write!(
                s,
                r##"<rect x="0" y="{y}" width="{width}" height="{ROW_H}" fill="#f6f7f9"/>"##
            );
        }
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty:.1}" class="row" text-anchor="end">{label}</text>"#,
            x = LABEL_W - 8.0,
            ty = y + ROW_H - 5.0,
            label = esc(&ellipsis(&row.label, 44)),
        );
        let sc = row.scope;
        let rpo = (
            sc.rpo_seconds.or(sc.rpo_upper_bound_seconds),
            sc.target.rpo_seconds,
            sc.rpo_text(),
        );
        let rto = (sc.rto_seconds, sc.target.rto_seconds, sc.rto_text());
        for (p, (estimate, target, text)) in [rpo, rto].into_iter().enumerate() {
            let left = LABEL_W + p as f64 * (PANEL_W + GAP_W);
            let known = match p {
                0 => sc.rpo_seconds.is_some(),
                _ => sc.rto_seconds.is_some(),
            };
            let mark = mark(sc, estimate, known, target);
            bar(&mut s, left, y, estimate, target, mark, &row.label, &text);
        }
    }
    s.push_str("</svg>");
    Some(s)
}

fn mark(sc: &ScopeReport, estimate: Option<u64>, known: bool, target: Option<u64>) -> Mark {
    if !sc.covered {
        return if target.is_some() {
            Mark::Unprotected
        } else {
            Mark::NoTarget
        };
    }
    match (estimate, target) {
        (Some(e), Some(t)) if e > t && known => Mark::Missed,
        (Some(e), Some(t)) if e <= t && (known || sc.verdict == Verdict::Met) => Mark::Met,
        (_, None) if known => Mark::NoTarget,
        _ => Mark::Unknown,
    }
}

#[allow(clippy::too_many_arguments)]
fn bar(
    s: &mut String,
    left: f64,
    y: f64,
    estimate: Option<u64>,
    target: Option<u64>,
    mark: Mark,
    label: &str,
    text: &str,
) {
    let by = y + 3.0;
    let bh = ROW_H - 6.0;
    let target_text = target.map(dur).unwrap_or_else(|| "none".into());
    let title = format!("{label}: {text} (target {target_text})");
    match mark {
        Mark::Unprotected => {
            let _ = write!(
                s,
                r##"<rect x="{left}" y="{by}" width="{PANEL_W}" height="{bh}" fill="#fde8e8" stroke="#c62828" stroke-dasharray="4 3"><title>{t}</title></rect><text x="{tx}" y="{ty:.1}" class="val bad">unprotected</text>"##,
                t = esc(&title),
                tx = left + 4.0,
                ty = y + ROW_H - 5.0,
            );
        }
        _ => {
            let end = match estimate {
                Some(e) => x_of(e as f64, left).max(left + 2.0),
                None => left + 2.0,
            };
            let (fill, class) = match mark {
                Mark::Met => ("#2e7d32", "val"),
                Mark::Missed => ("#c62828", "val bad"),
                Mark::NoTarget => ("#5c6bc0", "val"),
                _ => ("url(#hatch)", "val"),
            };
            let _ = write!(
                s,
                r#"<rect x="{left}" y="{by}" width="{w:.1}" height="{bh}" fill="{fill}"><title>{t}</title></rect><text x="{tx:.1}" y="{ty:.1}" class="{class}">{v}</text>"#,
                w = end - left,
                t = esc(&title),
                tx = (end + 4.0).min(left + PANEL_W - 30.0),
                ty = y + ROW_H - 5.0,
                v = esc(text),
            );
        }
    }
    if let Some(t) = target {
        let x = x_of(t as f64, left);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{y0:.1}" x2="{x:.1}" y2="{y1:.1}" stroke="#1b1f24" stroke-width="2"><title>target {tt}</title></line>"##,
            y0 = y + 1.0,
            y1 = y + ROW_H - 1.0,
            tt = esc(&target_text),
        );
    }
}

/// An address short enough for a row label: a template's logical ID without the template's
/// path, and at most 34 characters, cut at the front (the end tells resources apart).
fn short(address: &str) -> String {
    let a = address
        .rsplit_once('#')
        .map(|(_, id)| id)
        .unwrap_or(address);
    let n = a.chars().count();
    if n <= 34 {
        a.to_string()
    } else {
        let keep: String = a.chars().skip(n - 33).collect();
        format!("…{keep}")
    }
}

/// Cuts a label to `n` characters with `…`.
fn ellipsis(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let keep: String = s.chars().take(n - 1).collect();
        format!("{keep}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_is_logarithmic_and_clamped() {
        let a = x_of(60.0, 0.0);
        let b = x_of(3_600.0, 0.0);
        let c = x_of(216_000.0, 0.0);
        assert!((a - 0.0).abs() < 1e-9);
        assert!(
            ((b - a) - (c - b)).abs() < 1e-6,
            "equal ratios, equal steps"
        );
        assert!((x_of(0.0, 0.0) - 0.0).abs() < 1e-9);
        assert!((x_of(1e12, 0.0) - PANEL_W).abs() < 1e-9);
    }

    #[test]
    fn labels_are_cut() {
        assert_eq!(ellipsis("abc", 5), "abc");
        assert_eq!(ellipsis("abcdef", 4), "abc…");
        assert_eq!(short("t.yaml#Orders"), "Orders");
        assert_eq!(short(&"m.".repeat(30)).chars().count(), 34);
    }
}
