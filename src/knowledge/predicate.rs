//! Evaluating knowledge-base conditions and quantities against a resource's attributes.

use super::schema::{On, Predicate, QuantitySpec, Unit};
use crate::model::node::{Kind, Node};
use crate::source::Span;

/// A value read from configuration: known (explicitly or by a documented default), or unknown.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact<T> {
    /// Known.
    Known {
        /// The value.
        value: T,
        /// The attribute that decides it, or the resource when a default applies.
        span: Span,
        /// Set when the value is a default for an attribute that is not written: why it applies.
        implicit: Option<String>,
    },
    /// Cannot be determined statically.
    Unknown {
        /// Why.
        reason: String,
        /// The expression.
        span: Span,
    },
}

impl<T: Copy> Fact<T> {
    /// The known value.
    pub fn known(&self) -> Option<T> {
        match self {
            Fact::Known { value, .. } => Some(*value),
            Fact::Unknown { .. } => None,
        }
    }
}

impl<T> Fact<T> {
    /// The span.
    pub fn span(&self) -> Span {
        match self {
            Fact::Known { span, .. } | Fact::Unknown { span, .. } => *span,
        }
    }

    /// The reason, when unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Fact::Unknown { reason, .. } => Some(reason),
            Fact::Known { .. } => None,
        }
    }
}

/// Lookups of one value by dotted path (see [`Node::lookup`]).
pub trait NodeExt {
    /// The first node reached by `path`.
    fn first(&self, path: &str) -> Option<&Node>;

    /// The first node reached by `path` with its location: the whole map entry (key and value)
    /// when one holds it, else the node (paths through lists of items, `rule.status`, have no
    /// single entry).
    fn located(&self, path: &str) -> Option<(Span, &Node)>;
}

impl NodeExt for Node {
    fn first(&self, path: &str) -> Option<&Node> {
        self.lookup(path).into_iter().next()
    }

    fn located(&self, path: &str) -> Option<(Span, &Node)> {
        self.lookup_entry(path)
            .map(|e| (e.span(), &e.value))
            .or_else(|| self.first(path).map(|n| (n.span, n)))
    }
}

/// How many resources are members of a resource (`member-of`): those that certainly exist,
/// and those that may.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Members {
    /// Members that exist.
    pub certain: usize,
    /// Members whose existence is unknown (an unknown `count` or condition).
    pub maybe: usize,
}

/// A resource that conditions read through an attribute of the declaring one (`refs` in the
/// knowledge base): its body, or why it cannot be read.
#[derive(Debug, Clone)]
pub struct Referenced<'a> {
    /// The name conditions use (`policy`).
    pub name: &'a str,
    /// Its body, or why it is not available (not in the scan, unknown reference).
    pub body: Result<&'a Node, (String, Span)>,
}

/// Where a predicate's path is read from.
pub struct Context<'a> {
    /// The current item (a replica block, a rule), or the resource body.
    pub item: &'a Node,
    /// The resource body.
    pub resource: &'a Node,
    /// The resource's declaration span (used when an attribute is absent).
    pub decl: Span,
    /// Its members, for `members-gt`.
    pub members: Members,
    /// Resources read through its attributes (`on = "<name>"`).
    pub refs: &'a [Referenced<'a>],
}

impl<'a> Context<'a> {
    /// A context over a resource body only.
    pub fn resource(body: &'a Node, decl: Span) -> Context<'a> {
        Context {
            item: body,
            resource: body,
            decl,
            members: Members::default(),
            refs: &[],
        }
    }

    /// The same, reading these other resources.
    pub fn with_refs(mut self, refs: &'a [Referenced<'a>]) -> Context<'a> {
        self.refs = refs;
        self
    }

    /// The node a path with `on` is read from, or why it cannot be read.
    pub fn root(&self, on: &On) -> Result<&'a Node, (String, Span)> {
        match on {
            On::Item => Ok(self.item),
            On::Resource => Ok(self.resource),
            On::Ref(name) => match self.refs.iter().find(|r| r.name == name) {
                Some(r) => r.body.clone(),
                None => Err((format!("its `{name}` is not known here"), self.decl)),
            },
        }
    }

    /// The same, with its members counted.
    pub fn with_members(mut self, members: Members) -> Context<'a> {
        self.members = members;
        self
    }

    /// The same resource, another item.
    pub fn with_item(&self, item: &'a Node) -> Context<'a> {
        Context {
            item,
            resource: self.resource,
            decl: self.decl,
            members: self.members,
            refs: self.refs,
        }
    }
}

/// Whether a predicate holds.
pub fn eval_predicate(p: &Predicate, ctx: &Context<'_>) -> Fact<bool> {
    if !p.all.is_empty() {
        return combine(&p.all, ctx, false);
    }
    if !p.any.is_empty() {
        return combine(&p.any, ctx, true);
    }
    if let Some(inner) = &p.not {
        return match eval_predicate(inner, ctx) {
            Fact::Known {
                value,
                span,
                implicit,
            } => Fact::Known {
                value: !value,
                span,
                implicit,
            },
            unknown => unknown,
        };
    }
    if let Some(n) = p.members_gt {
        let m = ctx.members;
        return if m.certain > n {
            Fact::Known {
                value: true,
                span: ctx.decl,
                implicit: None,
            }
        } else if m.certain + m.maybe <= n {
            Fact::Known {
                value: false,
                span: ctx.decl,
                implicit: Some(format!(
                    "it has {} member{} in the scanned files",
                    m.certain,
                    if m.certain == 1 { "" } else { "s" }
                )),
            }
        } else {
            Fact::Unknown {
                reason: format!(
                    "{} of its {} members may not exist",
                    m.maybe,
                    m.certain + m.maybe
                ),
                span: ctx.decl,
            }
        };
    }
    let root = match ctx.root(&p.on) {
        Ok(root) => root,
        Err((reason, span)) => return Fact::Unknown { reason, span },
    };
    // Distinct values of a list (instance zones) or across repeated blocks (the `zone` of each
    // Bigtable `cluster`): the lookup gives the items either way.
    if let Some(n) = p.distinct_gt {
        let nodes = root.lookup(&p.path);
        if !nodes.is_empty() {
            if let Some(unknown) = nodes.iter().find(|x| x.is_unknown()) {
                return Fact::Unknown {
                    reason: unknown.unknown_reason().unwrap_or_default(),
                    span: unknown.span,
                };
            }
            let distinct: std::collections::BTreeSet<String> =
                nodes.iter().map(|x| x.display()).collect();
            return Fact::Known {
                value: distinct.len() > n,
                span: root
                    .located(&p.path)
                    .map_or(nodes[0].span, |(span, _)| span),
                implicit: None,
            };
        }
    }
    match root.located(&p.path) {
        Some((span, node)) if !node.is_null() => {
            // Another resource's attribute is unknown but certainly present.
            if let (Some(present), Kind::Ref(_)) = (p.present, &node.kind) {
                return Fact::Known {
                    value: present,
                    span,
                    implicit: None,
                };
            }
            if let Some(reason) = node.unknown_reason() {
                return Fact::Unknown {
                    reason,
                    span: node.span,
                };
            }
            Fact::Known {
                value: test(p, node),
                span,
                implicit: None,
            }
        }
        _ => {
            for dw in &p.default_when {
                match eval_predicate(&dw.when, ctx) {
                    Fact::Known { value: true, .. } => {
                        return Fact::Known {
                            value: test_value(p, &dw.value),
                            span: ctx.decl,
                            implicit: Some(
                                dw.note
                                    .clone()
                                    .unwrap_or_else(|| format!("`{}` is not set", p.path)),
                            ),
                        };
                    }
                    Fact::Known { value: false, .. } => {}
                    Fact::Unknown { reason, span } => return Fact::Unknown { reason, span },
                }
            }
            if let Some(why) = &p.default_unknown {
                return Fact::Unknown {
                    reason: format!("`{}` is not set, and {why}", p.path),
                    span: ctx.decl,
                };
            }
            match &p.default {
                None if p.present == Some(false) => Fact::Known {
                    value: true,
                    span: ctx.decl,
                    implicit: Some(format!("`{}` is not set", p.path)),
                },
                Some(d) => Fact::Known {
                    value: test_value(p, d),
                    span: ctx.decl,
                    implicit: Some(
                        p.default_note
                            .clone()
                            .unwrap_or_else(|| format!("`{}` is not set", p.path)),
                    ),
                },
                None => Fact::Known {
                    value: false,
                    span: ctx.decl,
                    implicit: Some(format!("`{}` is not set", p.path)),
                },
            }
        }
    }
}

/// `all` (`any` false) or `any` (`any` true): the first operand that decides decides; an
/// unknown operand makes the whole unknown unless another decides; else the last operand's fact.
fn combine(operands: &[Predicate], ctx: &Context<'_>, any: bool) -> Fact<bool> {
    let mut unknown = None;
    let mut last = None;
    for op in operands {
        match eval_predicate(op, ctx) {
            f @ Fact::Known { value, .. } if value == any => return f,
            f @ Fact::Known { .. } => last = Some(f),
            u @ Fact::Unknown { .. } => {
                unknown.get_or_insert(u);
            }
        }
    }
    unknown.or(last).unwrap_or(Fact::Known {
        value: !any,
        span: ctx.decl,
        implicit: None,
    })
}

fn test(p: &Predicate, node: &Node) -> bool {
    if let Some(expected) = &p.equals {
        return node_equals(node, expected);
    }
    if !p.one_of.is_empty() {
        return p.one_of.iter().any(|v| node_equals(node, v));
    }
    if let Some(limit) = p.gt {
        return node.as_f64().is_some_and(|v| v > limit);
    }
    if let Some(present) = p.present {
        return present;
    }
    if let Some(nonempty) = p.nonempty {
        let empty = match &node.kind {
            Kind::Null => true,
            Kind::String(s) => s.is_empty(),
            Kind::List(items) => items.is_empty(),
            Kind::Map(m) => m.is_empty(),
            _ => false,
        };
        return empty != nonempty;
    }
    node.as_bool().unwrap_or(false)
}

fn test_value(p: &Predicate, v: &toml::Value) -> bool {
    if let Some(expected) = &p.equals {
        return v == expected;
    }
    if !p.one_of.is_empty() {
        return p.one_of.contains(v);
    }
    if let Some(n) = p.distinct_gt {
        return v.as_array().is_some_and(|a| a.len() > n);
    }
    if let Some(limit) = p.gt {
        return toml_f64(v).is_some_and(|x| x > limit);
    }
    if let Some(present) = p.present {
        // A default for a presence test means "treat as present/absent".
        return v.as_bool().unwrap_or(!present) == present;
    }
    if let Some(nonempty) = p.nonempty {
        return v.as_bool().unwrap_or(!nonempty) == nonempty;
    }
    v.as_bool().unwrap_or(false)
}

fn toml_f64(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Compares a node with a knowledge-base value, leniently for strings that hold booleans or
/// numbers (CloudFormation writes `"true"` and `"7"`).
pub fn node_equals(node: &Node, expected: &toml::Value) -> bool {
    match expected {
        toml::Value::Boolean(b) => node.as_bool() == Some(*b),
        toml::Value::Integer(i) => node.as_f64() == Some(*i as f64),
        toml::Value::Float(f) => node.as_f64() == Some(*f),
        toml::Value::String(s) => matches!(&node.kind, Kind::String(v) if v == s),
        _ => false,
    }
}

/// Reads a duration attribute: `None` when absent without a default.
pub fn eval_quantity(q: &QuantitySpec, ctx: &Context<'_>) -> Option<Fact<u64>> {
    // Loading the knowledge base gives every mechanism's retention a unit (the family's).
    let unit = q.unit?;
    match ctx.root(&q.on) {
        Ok(root) => eval_quantity_at(q.path.as_deref(), unit, q.default, &ctx.with_item(root)),
        Err((reason, span)) => Some(Fact::Unknown { reason, span }),
    }
}

/// Reads a duration at `path` (in `unit`, `default` when absent) of the current item: `None`
/// when absent without a default. Values too large for seconds are clamped, never wrapped.
pub fn eval_quantity_at(
    path: Option<&str>,
    unit: Unit,
    default: Option<f64>,
    ctx: &Context<'_>,
) -> Option<Fact<u64>> {
    let textual = match unit {
        Unit::Iso8601 => Some(iso8601_seconds as fn(&Node) -> Option<Result<u64, String>>),
        Unit::Weekdays => Some(weekday_gap_seconds as fn(&Node) -> Option<Result<u64, String>>),
        Unit::Duration => Some(google_duration_seconds as fn(&Node) -> Option<Result<u64, String>>),
        Unit::Crontab => Some(crontab_gap_seconds as fn(&Node) -> Option<Result<u64, String>>),
        _ => None,
    };
    // Weekdays written as repeated blocks (`day_of_weeks { day = "MONDAY" }`): all of them.
    if let (Unit::Weekdays, Some(p)) = (unit, path) {
        let days = ctx.item.lookup(p);
        if days.len() > 1 {
            let span = days[0].span;
            let list = Node::new(Kind::List(days.into_iter().cloned().collect()), span);
            return weekday_gap_seconds(&list).map(|result| match result {
                Ok(value) => Fact::Known {
                    value,
                    span,
                    implicit: None,
                },
                Err(reason) => Fact::Unknown { reason, span },
            });
        }
    }
    let unit = unit.seconds() as f64;
    let seconds = |v: f64| (v * unit).min(u64::MAX as f64 / 2.0) as u64;
    match path.and_then(|p| ctx.item.located(p)) {
        Some((span, node)) if !node.is_null() => {
            if let Some(reason) = node.unknown_reason() {
                return Some(Fact::Unknown {
                    reason,
                    span: node.span,
                });
            }
            if let Some(read) = textual
                && let Some(result) = read(node)
            {
                return Some(match result {
                    Ok(value) => Fact::Known {
                        value,
                        span,
                        implicit: None,
                    },
                    Err(reason) => Fact::Unknown { reason, span },
                });
            }
            match node.as_f64() {
                Some(v) if v >= 0.0 && v.is_finite() => Some(Fact::Known {
                    value: seconds(v),
                    span,
                    implicit: None,
                }),
                _ => Some(Fact::Unknown {
                    reason: format!("`{}` is not a non-negative number", node.display()),
                    span,
                }),
            }
        }
        _ => default.map(|d| Fact::Known {
            value: seconds(d.max(0.0)),
            span: ctx.decl,
            implicit: Some(match path {
                Some(p) => format!("`{p}` is not set"),
                None => "the service default".to_string(),
            }),
        }),
    }
}

/// The seconds a Google Cloud duration gives (`86400s`, `1h`, `7d`; fractions of a second, as in
/// `3.5s`, are dropped), read as resilint's own durations are. `None` for a plain number
/// (seconds, read as such).
fn google_duration_seconds(node: &Node) -> Option<Result<u64, String>> {
    let text = node.as_str()?;
    let text = text.trim();
    if text.parse::<f64>().is_ok() {
        return None;
    }
    let whole = match text.strip_suffix('s').and_then(|t| t.split_once('.')) {
        Some((seconds, fraction)) if fraction.chars().all(|c| c.is_ascii_digit()) => {
            format!("{seconds}s")
        }
        _ => text.to_string(),
    };
    Some(crate::duration::parse(&whole))
}

/// The longest gap between two runs of a five-field crontab (`0 */4 * * *`), in UTC.
fn crontab_gap_seconds(node: &Node) -> Option<Result<u64, String>> {
    let text = node.as_str()?;
    Some(crate::infer::schedule::crontab_max_gap(&text))
}

/// The longest gap between the days of a list of weekday names (a weekly schedule on those
/// days): 7 days for one day, 4 for Tuesday and Saturday. `None` when the node is not a list.
fn weekday_gap_seconds(node: &Node) -> Option<Result<u64, String>> {
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let Kind::List(items) = &node.kind else {
        return None;
    };
    let mut days = Vec::new();
    for item in items {
        if let Some(reason) = item.unknown_reason() {
            return Some(Err(reason));
        }
        let Some(name) = item.as_str() else {
            return Some(Err(format!("`{}` is not a weekday", item.display())));
        };
        let lower = name.to_ascii_lowercase();
        let Some(day) = NAMES
            .iter()
            .position(|n| *n == lower || n.get(..3) == Some(lower.as_str()))
        else {
            return Some(Err(format!("`{name}` is not a weekday")));
        };
        days.push(day as u64);
    }
    days.sort_unstable();
    days.dedup();
    let gap = match days.as_slice() {
        [] => return Some(Err("no weekday is given".into())),
        [_] => 7,
        _ => days
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain(days.first().zip(days.last()).map(|(f, l)| f + 7 - l))
            .max()
            .unwrap_or(7),
    };
    Some(Ok(gap * 86_400))
}

/// The seconds an ISO 8601 text gives: a duration (`P7D`), the period of a repeating interval
/// (`R/2024-01-01T02:00:00+00:00/PT4H`), or the longest of a list of them. `None` when the node
/// is not text (a plain number of seconds).
fn iso8601_seconds(node: &Node) -> Option<Result<u64, String>> {
    use crate::duration::iso8601;
    let one = |n: &Node| -> Result<u64, String> {
        if let Some(reason) = n.unknown_reason() {
            return Err(reason);
        }
        let Some(text) = n.as_str() else {
            return Err(format!("`{}` is not an ISO 8601 text", n.display()));
        };
        let secs = if text.trim_start().starts_with(['R', 'r']) {
            iso8601::parse_repeating_interval(&text)?.max_gap_seconds()
        } else {
            // A calendar duration (`P1M`) counts at its shortest: a retention is never
            // overstated.
            iso8601::parse_duration(&text)?.min_seconds()
        };
        secs.ok_or_else(|| format!("`{text}` is too long a duration"))
    };
    match &node.kind {
        Kind::String(_) => Some(one(node)),
        Kind::List(items) if !items.is_empty() => Some(
            items
                .iter()
                .map(one)
                .try_fold(0, |acc, r| r.map(|s| acc.max(s))),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::schema::Predicate;
    use crate::parse::yaml;
    use crate::source::FileId;

    fn pred(toml_text: &str) -> Predicate {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn predicates_with_defaults() {
        let mut body = yaml::parse(FileId(0), "a: 3\nb: Enabled\n").unwrap();
        if let Kind::Map(m) = &mut body.kind {
            m.insert(
                "c".into(),
                Span::default(),
                Node::unknown("parameter X has no default", Span::default()),
            );
        }
        let ctx = Context::resource(&body, Span::default());
        assert_eq!(
            eval_predicate(&pred("path = 'a'\ngt = 0"), &ctx).known(),
            Some(true)
        );
        assert_eq!(
            eval_predicate(&pred("path = 'b'\nequals = 'Enabled'"), &ctx).known(),
            Some(true)
        );
        let d = eval_predicate(&pred("path = 'x'\ngt = 0\ndefault = 1"), &ctx);
        assert!(matches!(
            d,
            Fact::Known {
                value: true,
                implicit: Some(_),
                ..
            }
        ));
        assert_eq!(
            eval_predicate(&pred("path = 'x'\nequals = true"), &ctx).known(),
            Some(false)
        );
        assert!(matches!(
            eval_predicate(&pred("path = 'c'\nequals = true"), &ctx),
            Fact::Unknown { .. }
        ));
        let dw = pred(
            "path = 'x'\ngt = 0\ndefault = 1\ndefault-when = [{ when = { path = 'a', present = true }, value = 0 }]",
        );
        assert_eq!(eval_predicate(&dw, &ctx).known(), Some(false));
    }
}
