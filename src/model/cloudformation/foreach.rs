//! `Fn::ForEach` (the `AWS::LanguageExtensions` transform): a `Resources` entry
//! `Fn::ForEach::<Name>: [Identifier, Collection, {OutputKey: Body}]` stands for one copy of
//! each output per item of the collection, with `${Identifier}` (or `&{Identifier}`, which keeps
//! only letters and digits) replaced in the output key, and `Ref: Identifier` and
//! `${Identifier}` in `Fn::Sub` replaced in the body. Loops nest. The copies keep the spans of
//! what was written, so findings point into the loop.
//!
//! A collection that cannot be resolved (a parameter without a value) expands to nothing, and a
//! note says which resources may be missing.

use super::intrinsics::Resolver;
use crate::model::ModelNote;
use crate::model::node::{Kind, Map, Node};

/// How deep loops may nest.
const MAX_NESTING: usize = 8;

/// Most copies one template may expand to, to bound memory.
const MAX_COPIES: usize = 10_000;

/// The `Resources` of `root` with every `Fn::ForEach` loop expanded, or `None` when there is
/// none (the template is used as it is).
pub fn expand(root: &Node, resolver: &Resolver<'_>, notes: &mut Vec<ModelNote>) -> Option<Node> {
    let Some(Node {
        kind: Kind::Map(resources),
        span,
    }) = root.get("Resources")
    else {
        return None;
    };
    if !resources.iter().any(|e| e.key.starts_with("Fn::ForEach::")) {
        return None;
    }
    let mut out = Map::default();
    let mut copies = 0;
    expand_into(resources, &[], resolver, notes, &mut out, &mut copies, 0);
    let mut new_root = root.clone();
    if let Kind::Map(m) = &mut new_root.kind {
        m.insert("Resources".into(), *span, Node::new(Kind::Map(out), *span));
    }
    Some(new_root)
}

/// One loop variable and its value in the current copy.
type Binding = (String, String);

fn expand_into(
    entries: &Map,
    bindings: &[Binding],
    resolver: &Resolver<'_>,
    notes: &mut Vec<ModelNote>,
    out: &mut Map,
    copies: &mut usize,
    depth: usize,
) {
    for e in entries.iter() {
        let Some(_) = e.key.strip_prefix("Fn::ForEach::") else {
            out.insert(
                substitute_key(&e.key, bindings),
                e.key_span,
                substitute(&e.value, bindings),
            );
            continue;
        };
        let items = e.value.elements();
        let [identifier, collection, output] = items.as_slice() else {
            notes.push(ModelNote::new(
                e.key_span,
                format!(
                    "`{}` needs [identifier, collection, outputs]; its resources are not read",
                    e.key
                ),
            ));
            continue;
        };
        let (Some(identifier), Kind::Map(output)) = (identifier.as_str(), &output.kind) else {
            continue;
        };
        if depth >= MAX_NESTING {
            notes.push(ModelNote::new(
                e.key_span,
                format!(
                    "`{}` nests more than {MAX_NESTING} loops deep; not expanded",
                    e.key
                ),
            ));
            continue;
        }
        let collection = resolver.resolve(&substitute(collection, bindings), 0);
        let values: Option<Vec<String>> = match &collection.kind {
            Kind::List(list) => list
                .iter()
                .map(|v| v.as_str().map(|s| s.into_owned()))
                .collect(),
            _ => None,
        };
        let Some(values) = values else {
            notes.push(ModelNote::new(
                e.key_span,
                format!(
                    "the collection of `{}` is unknown ({}): the resources it makes are not read",
                    e.key,
                    collection
                        .unknown_reason()
                        .unwrap_or_else(|| "not a list of strings".into())
                ),
            ));
            continue;
        };
        for value in values {
            if *copies >= MAX_COPIES {
                notes.push(ModelNote::new(
                    e.key_span,
                    format!(
                        "`{}` makes more than {MAX_COPIES} resources; the rest are not read",
                        e.key
                    ),
                ));
                return;
            }
            *copies += 1;
            let mut inner: Vec<Binding> = bindings.to_vec();
            inner.push((identifier.to_string(), value));
            expand_into(output, &inner, resolver, notes, out, copies, depth + 1);
        }
    }
}

/// An output key with `${x}` and `&{x}` replaced.
fn substitute_key(key: &str, bindings: &[Binding]) -> String {
    let mut out = key.to_string();
    for (name, value) in bindings {
        out = out.replace(&format!("${{{name}}}"), value);
        let alnum: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        out = out.replace(&format!("&{{{name}}}"), &alnum);
    }
    out
}

/// A body with `Ref: x` replaced by the value and `${x}` replaced in `Fn::Sub` strings.
fn substitute(node: &Node, bindings: &[Binding]) -> Node {
    if bindings.is_empty() {
        return node.clone();
    }
    match &node.kind {
        Kind::Map(m) => {
            if m.len() == 1
                && let Some(e) = m.entries().first()
            {
                if e.key == "Ref"
                    && let Some(name) = e.value.as_str()
                    && let Some((_, value)) = bindings.iter().find(|(n, _)| *n == name)
                {
                    return Node::string(value.clone(), node.span);
                }
                if e.key == "Fn::Sub" {
                    let mut sub = Map::default();
                    sub.insert(
                        e.key.clone(),
                        e.key_span,
                        substitute_sub(&e.value, bindings),
                    );
                    return Node::new(Kind::Map(sub), node.span);
                }
            }
            let mut out = Map::default();
            for e in m.iter() {
                out.insert(
                    substitute_key(&e.key, bindings),
                    e.key_span,
                    substitute(&e.value, bindings),
                );
            }
            Node::new(Kind::Map(out), node.span)
        }
        Kind::List(items) => Node::new(
            Kind::List(items.iter().map(|i| substitute(i, bindings)).collect()),
            node.span,
        ),
        _ => node.clone(),
    }
}

/// The argument of `Fn::Sub` with `${x}` replaced in its template string.
fn substitute_sub(arg: &Node, bindings: &[Binding]) -> Node {
    match &arg.kind {
        Kind::String(s) => Node::string(substitute_key(s, bindings), arg.span),
        Kind::List(items) => Node::new(
            Kind::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match (&item.kind, i) {
                        (Kind::String(s), 0) => {
                            Node::string(substitute_key(s, bindings), item.span)
                        }
                        _ => substitute(item, bindings),
                    })
                    .collect(),
            ),
            arg.span,
        ),
        _ => arg.clone(),
    }
}
