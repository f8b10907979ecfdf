//! Input variables: type constraints with `optional()` defaults.
//!
//! Values come from the caller (a `module` block), or for a root module from `terraform.tfvars`,
//! `*.auto.tfvars` (and their `.json` forms), `--var-file`, `--var` and `TF_VAR_<name>` (see
//! `crate::scan`); else from the variable's `default`. A variable with no value is unknown.

use crate::hcl_edit::expr::{Expression, FuncCall, ObjectKey};

use super::config::InFile;
use super::eval::{Env, Evaluator};
use crate::model::node::{Kind, Map, Node};

/// Applies a type constraint to a value the way Terraform converts it: attributes an object
/// type declares `optional(T, default)` get their default (or null) when absent, recursively
/// through lists, sets, maps, tuples and objects. Other values pass unchanged.
pub fn convert(ev: &Evaluator<'_, '_>, ty: InFile<'_, Expression>, value: Node) -> Node {
    convert_expr(ev, ty.file, ty.node, value, 0)
}

fn convert_expr(
    ev: &Evaluator<'_, '_>,
    file: crate::source::FileId,
    ty: &Expression,
    value: Node,
    depth: usize,
) -> Node {
    if depth > 32 {
        return value;
    }
    let Expression::FuncCall(call) = ty else {
        return value;
    };
    let name = call.name.name.as_str();
    let arg = call.args.iter().next();
    match (name, arg, value.kind) {
        ("list" | "set", Some(elem), Kind::List(items)) => Node::new(
            Kind::List(
                items
                    .into_iter()
                    .map(|i| convert_expr(ev, file, elem, i, depth + 1))
                    .collect(),
            ),
            value.span,
        ),
        ("map", Some(elem), Kind::Map(m)) => {
            let mut out = Map::default();
            for e in m.into_entries() {
                let v = convert_expr(ev, file, elem, e.value, depth + 1);
                out.insert(e.key, e.key_span, v);
            }
            Node::new(Kind::Map(out), value.span)
        }
        ("tuple", Some(Expression::Array(types)), Kind::List(items)) => Node::new(
            Kind::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| match types.get(i) {
                        Some(t) => convert_expr(ev, file, t, item, depth + 1),
                        None => item,
                    })
                    .collect(),
            ),
            value.span,
        ),
        ("object", Some(Expression::Object(attrs)), Kind::Map(mut m)) => {
            for (k, v) in attrs.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                    ObjectKey::Expression(_) => continue,
                };
                let (attr_ty, default) = match v.expr() {
                    Expression::FuncCall(f) if f.name.name.as_str() == "optional" => optional(f),
                    other => (Some(other), None),
                };
                match m.get_mut(&key) {
                    Some(slot) => {
                        if let Some(t) = attr_ty {
                            let old = std::mem::replace(slot, Node::new(Kind::Null, value.span));
                            *slot = convert_expr(ev, file, t, old, depth + 1);
                        }
                    }
                    None => {
                        if matches!(v.expr(), Expression::FuncCall(f) if f.name.name.as_str() == "optional")
                        {
                            let filled = match default {
                                Some(d) => {
                                    let dv = ev.expr(d, file, &Env::default(), 0);
                                    match attr_ty {
                                        Some(t) => convert_expr(ev, file, t, dv, depth + 1),
                                        None => dv,
                                    }
                                }
                                None => Node::new(Kind::Null, value.span),
                            };
                            m.insert(key, value.span, filled);
                        }
                    }
                }
            }
            Node::new(Kind::Map(m), value.span)
        }
        (_, _, kind) => Node::new(kind, value.span),
    }
}

/// The type and default of `optional(T)` / `optional(T, default)`.
fn optional(f: &FuncCall) -> (Option<&Expression>, Option<&Expression>) {
    let mut args = f.args.iter();
    (args.next(), args.next())
}
