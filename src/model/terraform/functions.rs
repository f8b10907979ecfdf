//! Terraform built-in functions that configurations use to compute resilience-relevant values.
//!
//! Each function takes evaluated arguments and returns a value; any unknown argument makes the
//! result unknown (with that argument's reason), except where Terraform's semantics let a known
//! result through (`coalesce` with a known non-null first argument). A function resilint does not
//! implement yields an unknown value naming it.

use crate::model::node::{Kind, Map, Node};
use crate::source::Span;

type Builtin = fn(Vec<Node>, Span) -> Result<Node, String>;

/// The implemented functions, by name.
const BUILTINS: &[(&str, Builtin)] = &[
    ("coalesce", coalesce),
    ("concat", concat),
    ("contains", contains),
    ("keys", keys),
    ("length", length),
    ("lookup", lookup),
    ("lower", lower),
    ("max", max),
    ("merge", merge),
    ("min", min),
    ("tobool", tobool),
    ("tolist", identity_list),
    ("tomap", tomap),
    ("tonumber", tonumber),
    ("toset", identity_list),
    ("tostring", tostring),
    ("upper", upper),
    ("values", values),
];

/// Calls function `name`.
pub fn call(name: &str, args: Vec<Node>, span: Span) -> Node {
    let Some((_, f)) = BUILTINS.iter().find(|(n, _)| *n == name) else {
        return Node::unknown(
            format!("function `{name}()` is not evaluated by resilint"),
            span,
        );
    };
    // A failure is an evaluation error (for `try`/`can`) unless an argument was unknown.
    let depends_on_unknown = args.iter().any(|a| deep_unknown(a).is_some());
    match f(args, span) {
        Ok(mut n) => {
            n.span = span;
            n
        }
        Err(reason) if depends_on_unknown => Node::unknown(reason, span),
        Err(reason) => Node::error(reason, span),
    }
}

/// The first unknown argument's reason, if any.
fn require_known(args: &[Node]) -> Result<(), String> {
    for a in args {
        if let Some(r) = deep_unknown(a) {
            return Err(r);
        }
    }
    Ok(())
}

fn deep_unknown(n: &Node) -> Option<String> {
    match &n.kind {
        Kind::Unknown(_) | Kind::Ref(_) => n.unknown_reason(),
        Kind::List(items) => items.iter().find_map(deep_unknown),
        Kind::Map(m) => m.entries.iter().find_map(|e| deep_unknown(&e.value)),
        _ => None,
    }
}

fn arity(name: &str, args: &[Node], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "`{name}()` takes {n} argument(s), {} given",
            args.len()
        ))
    }
}

fn string_arg(name: &str, n: &Node) -> Result<String, String> {
    if let Some(r) = n.unknown_reason() {
        return Err(r);
    }
    n.as_str()
        .map(|s| s.into_owned())
        .ok_or_else(|| format!("`{name}()` expects a string"))
}

fn merge(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let mut out = Map::default();
    for a in args {
        match a.kind {
            Kind::Map(m) => {
                for e in m.entries {
                    out.insert(e.key, e.key_span, e.value);
                }
            }
            Kind::Null => {}
            _ => {
                return Err(a
                    .unknown_reason()
                    .unwrap_or_else(|| "`merge()` expects maps".into()));
            }
        }
    }
    Ok(Node::new(Kind::Map(out), span))
}

fn lookup(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    if args.len() != 2 && args.len() != 3 {
        return Err("`lookup()` takes 2 or 3 arguments".into());
    }
    let key = string_arg("lookup", &args[1])?;
    match &args[0].kind {
        Kind::Map(m) => match (m.get(&key), args.get(2)) {
            (Some(v), _) => Ok(v.clone()),
            (None, Some(default)) => Ok(default.clone()),
            (None, None) => Err(format!(
                "`lookup()` found no key {key:?} and has no default"
            )),
        },
        _ => Err(args[0]
            .unknown_reason()
            .unwrap_or_else(|| "`lookup()` expects a map".into())),
    }
}

fn coalesce(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    for a in &args {
        if let Some(r) = a.unknown_reason() {
            return Err(r);
        }
        match &a.kind {
            Kind::Null => continue,
            Kind::String(s) if s.is_empty() => continue,
            _ => return Ok(a.clone()),
        }
    }
    Err("`coalesce()` has no non-null argument".into())
}

fn concat(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let mut out = Vec::new();
    for a in args {
        match a.kind {
            Kind::List(items) => out.extend(items),
            _ => {
                return Err(a
                    .unknown_reason()
                    .unwrap_or_else(|| "`concat()` expects lists".into()));
            }
        }
    }
    Ok(Node::new(Kind::List(out), span))
}

fn contains(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("contains", &args, 2)?;
    require_known(&args)?;
    let Kind::List(items) = &args[0].kind else {
        return Err("`contains()` expects a list".into());
    };
    let found = items
        .iter()
        .any(|i| super::eval::values_equal(i, &args[1]) == Some(true));
    Ok(Node::new(Kind::Bool(found), span))
}

fn keys(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("keys", &args, 1)?;
    match &args[0].kind {
        Kind::Map(m) => {
            let mut ks: Vec<Node> = m
                .entries
                .iter()
                .map(|e| Node::string(e.key.clone(), e.key_span))
                .collect();
            ks.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            Ok(Node::new(Kind::List(ks), span))
        }
        _ => Err(args[0]
            .unknown_reason()
            .unwrap_or_else(|| "`keys()` expects a map".into())),
    }
}

fn values(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("values", &args, 1)?;
    match &args[0].kind {
        Kind::Map(m) => {
            let mut entries: Vec<_> = m.entries.iter().collect();
            entries.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(Node::new(
                Kind::List(entries.into_iter().map(|e| e.value.clone()).collect()),
                span,
            ))
        }
        _ => Err(args[0]
            .unknown_reason()
            .unwrap_or_else(|| "`values()` expects a map".into())),
    }
}

fn length(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("length", &args, 1)?;
    let n = match &args[0].kind {
        Kind::List(items) => items.len(),
        Kind::Map(m) => m.len(),
        Kind::String(s) => s.chars().count(),
        _ => {
            return Err(args[0]
                .unknown_reason()
                .unwrap_or_else(|| "`length()` expects a collection or string".into()));
        }
    };
    Ok(Node::new(Kind::Number(n as f64), span))
}

fn lower(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("lower", &args, 1)?;
    Ok(Node::string(
        string_arg("lower", &args[0])?.to_lowercase(),
        span,
    ))
}

fn upper(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("upper", &args, 1)?;
    Ok(Node::string(
        string_arg("upper", &args[0])?.to_uppercase(),
        span,
    ))
}

fn numbers(name: &str, args: &[Node]) -> Result<Vec<f64>, String> {
    require_known(args)?;
    args.iter()
        .map(|a| {
            a.as_f64()
                .ok_or_else(|| format!("`{name}()` expects numbers"))
        })
        .collect()
}

fn min(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let ns = numbers("min", &args)?;
    ns.into_iter()
        .reduce(f64::min)
        .map(|n| Node::new(Kind::Number(n), span))
        .ok_or_else(|| "`min()` needs at least one argument".into())
}

fn max(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let ns = numbers("max", &args)?;
    ns.into_iter()
        .reduce(f64::max)
        .map(|n| Node::new(Kind::Number(n), span))
        .ok_or_else(|| "`max()` needs at least one argument".into())
}

fn tostring(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("tostring", &args, 1)?;
    match &args[0].kind {
        Kind::Null => Ok(Node::new(Kind::Null, span)),
        _ => Ok(Node::string(string_arg("tostring", &args[0])?, span)),
    }
}

fn tonumber(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("tonumber", &args, 1)?;
    if let Some(r) = args[0].unknown_reason() {
        return Err(r);
    }
    match &args[0].kind {
        Kind::Null => Ok(Node::new(Kind::Null, span)),
        _ => args[0]
            .as_f64()
            .map(|n| Node::new(Kind::Number(n), span))
            .ok_or_else(|| "`tonumber()` argument is not a number".into()),
    }
}

fn tobool(args: Vec<Node>, span: Span) -> Result<Node, String> {
    arity("tobool", &args, 1)?;
    if let Some(r) = args[0].unknown_reason() {
        return Err(r);
    }
    match &args[0].kind {
        Kind::Null => Ok(Node::new(Kind::Null, span)),
        _ => args[0]
            .as_bool()
            .map(|b| Node::new(Kind::Bool(b), span))
            .ok_or_else(|| "`tobool()` argument is not a boolean".into()),
    }
}

fn identity_list(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    let Some(a) = args.into_iter().next() else {
        return Err("missing argument".into());
    };
    match &a.kind {
        Kind::List(_) | Kind::Null => Ok(a),
        _ => Err(a
            .unknown_reason()
            .unwrap_or_else(|| "expected a list".into())),
    }
}

fn tomap(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    let Some(a) = args.into_iter().next() else {
        return Err("missing argument".into());
    };
    match &a.kind {
        Kind::Map(_) | Kind::Null => Ok(a),
        _ => Err(a
            .unknown_reason()
            .unwrap_or_else(|| "expected a map".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn s(v: &str) -> Node {
        Node::string(v, Span::default())
    }

    #[test]
    fn merge_later_wins() {
        let mut a = Map::default();
        a.insert("k".into(), Span::default(), s("1"));
        a.insert("x".into(), Span::default(), s("x"));
        let mut b = Map::default();
        b.insert("k".into(), Span::default(), s("2"));
        let r = call(
            "merge",
            vec![
                Node::new(Kind::Map(a), Span::default()),
                Node::new(Kind::Map(b), Span::default()),
            ],
            Span::default(),
        );
        assert_eq!(r.get("k").unwrap().as_str().unwrap(), "2");
        assert_eq!(r.get("x").unwrap().as_str().unwrap(), "x");
    }

    #[test]
    fn unknown_arguments_and_functions() {
        let u = Node::unknown("var.x has no value", Span::default());
        assert!(
            call("lower", vec![u], Span::default())
                .unknown_reason()
                .unwrap()
                .contains("var.x")
        );
        assert!(
            call("cidrsubnet", vec![], Span::default())
                .unknown_reason()
                .unwrap()
                .contains("cidrsubnet")
        );
        assert_eq!(
            call("max", vec![s("3"), s("9")], Span::default()).as_f64(),
            Some(9.0)
        );
    }
}
