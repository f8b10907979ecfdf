//! `resilint report --compare previous.json`: what changed since a previous statement.
//!
//! Components are matched by their root module or template and address. A scope whose verdict
//! gets worse (met → missed, covered → unprotected) is a regression, one that gets better an
//! improvement; a changed estimate with the same verdict is listed as a change.

use serde::{Deserialize, Serialize};

use super::{ComponentReport, ScopeReport, Statement, Verdict};

/// What changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    /// The previous statement's summary line.
    pub previous: String,
    /// Components in this statement only.
    pub added: Vec<String>,
    /// Components in the previous statement only.
    pub removed: Vec<String>,
    /// Scopes whose verdict got worse.
    pub regressed: Vec<ScopeChange>,
    /// Scopes whose verdict got better.
    pub improved: Vec<ScopeChange>,
    /// Scopes whose estimate changed with the same verdict.
    pub changed: Vec<ScopeChange>,
    /// Components meeting their tier before and now.
    pub meeting_tier: (usize, usize),
}

/// One scope of one component, before and after.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScopeChange {
    /// The component's address.
    pub address: String,
    /// The scope.
    pub scope: String,
    /// Verdict and RPO / RTO before (`misses 24h / 1h`).
    pub before: String,
    /// And now.
    pub after: String,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.regressed.is_empty()
            && self.improved.is_empty()
            && self.changed.is_empty()
    }

    /// One sentence per change, regressions first.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let (before, now) = self.meeting_tier;
        if before != now {
            out.push(format!(
                "Components meeting their tier: {before} before, {now} now."
            ));
        }
        let scope = |label: &str, c: &ScopeChange| {
            format!(
                "{label}: {} {}: {} → {}",
                c.address, c.scope, c.before, c.after
            )
        };
        out.extend(self.regressed.iter().map(|c| scope("Worse", c)));
        out.extend(self.improved.iter().map(|c| scope("Better", c)));
        out.extend(self.changed.iter().map(|c| scope("Changed", c)));
        out.extend(self.added.iter().map(|a| format!("New component: {a}")));
        out.extend(self.removed.iter().map(|a| format!("Gone: {a}")));
        out
    }
}

/// How good a verdict is, for ordering: higher is better.
fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Unprotected => 0,
        Verdict::Missed => 1,
        Verdict::Unknown => 2,
        Verdict::NoTier | Verdict::NotEvaluated => 3,
        Verdict::Met => 4,
    }
}

fn text(s: &ScopeReport) -> String {
    format!("{} {} / {}", s.verdict.as_str(), s.rpo_text(), s.rto_text())
}

fn components(st: &Statement) -> Vec<(String, &ComponentReport)> {
    st.workloads
        .iter()
        .flat_map(|w| &w.components)
        .map(|c| (format!("{}\u{0}{}", c.unit, c.address), c))
        .collect()
}

fn find<'a>(list: &[(String, &'a ComponentReport)], key: &str) -> Option<&'a ComponentReport> {
    list.iter().find(|(k, _)| k == key).map(|(_, c)| *c)
}

/// The changes from `previous` to `current`.
pub fn compare(previous: &Statement, current: &Statement) -> Changes {
    let before = components(previous);
    let now = components(current);
    let mut ch = Changes {
        previous: previous.scanned.clone(),
        meeting_tier: (previous.summary.meeting_tier, current.summary.meeting_tier),
        ..Changes::default()
    };
    for (key, c) in &now {
        let Some(old) = find(&before, key) else {
            ch.added.push(c.address.clone());
            continue;
        };
        for s in &c.scopes {
            let Some(o) = old.scopes.iter().find(|o| o.scope == s.scope) else {
                continue;
            };
            let change = ScopeChange {
                address: c.address.clone(),
                scope: s.scope.clone(),
                before: text(o),
                after: text(s),
            };
            if rank(s.verdict) < rank(o.verdict) {
                ch.regressed.push(change);
            } else if rank(s.verdict) > rank(o.verdict) {
                ch.improved.push(change);
            } else if change.before != change.after {
                ch.changed.push(change);
            }
        }
    }
    for (key, c) in &before {
        if find(&now, key).is_none() {
            ch.removed.push(c.address.clone());
        }
    }
    ch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::statement::build;
    use crate::report::testutil::{example_scan, reproducible};

    #[test]
    fn a_statement_compared_with_itself_has_no_changes() {
        let scan = example_scan();
        let st = build(&scan, &reproducible());
        assert!(compare(&st, &st).is_empty());
    }

    #[test]
    fn regressions_improvements_and_new_components_are_told_apart() {
        let scan = example_scan();
        let now = build(&scan, &reproducible());
        let mut before = now.clone();
        let w = &mut before.workloads[0];
        let gone = w.components.remove(0);
        // In the previous statement, one scope that misses now was met, and one that is met
        // now was unprotected.
        let scopes: Vec<(usize, usize)> = w
            .components
            .iter()
            .enumerate()
            .flat_map(|(i, c)| (0..c.scopes.len()).map(move |j| (i, j)))
            .collect();
        let find = |want: fn(Verdict) -> bool| {
            scopes
                .iter()
                .copied()
                .find(|&(i, j)| want(w.components[i].scopes[j].verdict))
                .expect("the examples have such a scope")
        };
        let worse = find(Verdict::is_shortfall);
        let better = find(|v| v == Verdict::Met);
        w.components[worse.0].scopes[worse.1].verdict = Verdict::Met;
        let b = &mut w.components[better.0].scopes[better.1];
        b.verdict = Verdict::Unprotected;
        b.covered = false;
        let (worse_address, better_address) = (
            w.components[worse.0].address.clone(),
            w.components[better.0].address.clone(),
        );
        let ch = compare(&before, &now);
        assert_eq!(ch.added, vec![gone.address.clone()]);
        assert!(ch.removed.is_empty());
        assert_eq!(ch.regressed.len(), 1, "{ch:?}");
        assert_eq!(ch.regressed[0].address, worse_address);
        assert_eq!(ch.improved.len(), 1, "{ch:?}");
        assert_eq!(ch.improved[0].address, better_address);
        assert!(ch.improved[0].before.starts_with("unprotected"));
        let back = compare(&now, &before);
        assert_eq!(back.removed, vec![gone.address]);
        assert!(ch.lines().iter().any(|l| l.starts_with("New component: ")));
        assert!(ch.lines().iter().any(|l| l.starts_with("Worse: ")));
    }
}
