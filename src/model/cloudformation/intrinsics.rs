//! Resolution of CloudFormation intrinsic functions over a template's [`Node`] tree.

use std::cell::RefCell;
use std::collections::HashMap;

use super::{Deployment, resource_key, stack_key};
use crate::model::ModelNote;
use crate::model::node::{
    Kind, Map, Node, PartialText, Reference, UNKNOWN_PART, region_placeholder,
};
use crate::source::Span;

/// Deepest nesting of intrinsic functions and conditions that is resolved.
const MAX_DEPTH: usize = 64;

/// Resolves intrinsic functions of one template.
pub struct Resolver<'t> {
    unit: &'t str,
    region: Option<&'t str>,
    /// Parameter values the user gave.
    values: Option<&'t std::collections::BTreeMap<String, String>>,
    /// Parameters given a value that is unknown, with why.
    unknown_values: Option<&'t std::collections::BTreeMap<String, String>>,
    parameters: HashMap<&'t str, &'t Node>,
    mappings: Option<&'t Node>,
    conditions: HashMap<&'t str, &'t Node>,
    resources: HashMap<&'t str, ()>,
    condition_cache: RefCell<HashMap<String, Result<bool, String>>>,
    notes: RefCell<Vec<ModelNote>>,
}

impl<'t> Resolver<'t> {
    /// A resolver for the template `root` at `unit`, deployed as `deployment` says.
    pub fn new(unit: &'t str, root: &'t Node, deployment: &Deployment<'t>) -> Resolver<'t> {
        let section = |name: &str| -> HashMap<&'t str, &'t Node> {
            match root.get(name).map(|n| &n.kind) {
                Some(Kind::Map(m)) => m.iter().map(|e| (e.key.as_str(), &e.value)).collect(),
                _ => HashMap::new(),
            }
        };
        Resolver {
            unit,
            region: deployment.region,
            values: deployment.parameters,
            unknown_values: deployment.unknown_parameters,
            parameters: section("Parameters"),
            mappings: root.get("Mappings"),
            conditions: section("Conditions"),
            resources: section("Resources").into_keys().map(|k| (k, ())).collect(),
            condition_cache: RefCell::new(HashMap::new()),
            notes: RefCell::new(Vec::new()),
        }
    }

    /// Adds notes gathered before resolving (loops that could not be expanded).
    pub fn add_notes(&self, notes: Vec<ModelNote>) {
        self.notes.borrow_mut().extend(notes);
    }

    /// Notes gathered while resolving (cycles between conditions).
    pub fn take_notes(&self) -> Vec<ModelNote> {
        std::mem::take(&mut self.notes.borrow_mut())
    }

    /// Resolves every intrinsic function in `node`.
    pub fn resolve(&self, node: &Node, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node::unknown("the value nests too deeply to resolve", node.span);
        }
        match &node.kind {
            Kind::Map(m) => {
                if m.len() == 1
                    && let Some(e) = m.entries().first()
                    && (e.key == "Ref" || e.key == "Condition" || e.key.starts_with("Fn::"))
                {
                    return self.intrinsic(&e.key, &e.value, node.span, depth + 1);
                }
                let mut out = Map::default();
                for e in m {
                    let v = self.resolve(&e.value, depth + 1);
                    // `AWS::NoValue` removes the property.
                    if !v.is_null() || e.value.is_null() {
                        out.insert(e.key.clone(), e.key_span, v);
                    }
                }
                Node::new(Kind::Map(out), node.span)
            }
            Kind::List(items) => Node::new(
                Kind::List(
                    items
                        .iter()
                        .map(|i| self.resolve(i, depth + 1))
                        .filter(|n| !n.is_null())
                        .collect(),
                ),
                node.span,
            ),
            _ => node.clone(),
        }
    }

    fn intrinsic(&self, name: &str, arg: &Node, span: Span, depth: usize) -> Node {
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(&target, span),
                None => Node::unknown("`Ref` needs a name", span),
            },
            "Fn::GetAtt" => {
                let parts: Vec<String> = match &arg.kind {
                    Kind::String(s) => s.splitn(2, '.').map(str::to_string).collect(),
                    Kind::List(items) => items
                        .iter()
                        .map(|i| {
                            self.resolve(i, depth)
                                .as_str()
                                .map(|s| s.into_owned())
                                .unwrap_or_default()
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                match parts.as_slice() {
                    [res, attr] if self.resources.contains_key(res.as_str()) => Node::new(
                        Kind::Ref(Box::new(Reference {
                            target: resource_key(self.unit, res),
                            attribute: attr.clone(),
                            text: format!("!GetAtt {res}.{attr}"),
                        })),
                        span,
                    ),
                    _ => Node::unknown(
                        "`Fn::GetAtt` does not name a resource of this template",
                        span,
                    ),
                }
            }
            "Fn::Sub" => self.sub(arg, span, depth),
            "Fn::Join" => self.join(arg, span, depth),
            "Fn::If" => {
                let items = arg.elements();
                let [cond, then, otherwise] = items.as_slice() else {
                    return Node::unknown("`Fn::If` needs [condition, value, value]", span);
                };
                let Some(cond_name) = cond.as_str() else {
                    return Node::unknown("`Fn::If` needs a condition name", span);
                };
                match self.condition(&cond_name, depth) {
                    Ok(true) => self.resolve(then, depth),
                    Ok(false) => self.resolve(otherwise, depth),
                    Err(reason) => {
                        let a = self.resolve(then, depth);
                        let b = self.resolve(otherwise, depth);
                        if crate::model::terraform::eval::values_equal(&a, &b) == Some(true) {
                            a
                        } else {
                            // One of the two: a check that both answer alike is decided.
                            Node::one_of(
                                format!("condition `{cond_name}` is unknown: {reason}"),
                                vec![a, b],
                                span,
                            )
                        }
                    }
                }
            }
            "Fn::Select" => {
                let items = arg.elements();
                let [index, list] = items.as_slice() else {
                    return Node::unknown("`Fn::Select` needs [index, list]", span);
                };
                let index = self.resolve(index, depth);
                let list = self.resolve(list, depth);
                match (index.as_f64(), &list.kind) {
                    (Some(i), Kind::List(items)) if i >= 0.0 => match items.get(i as usize) {
                        Some(v) => v.clone(),
                        None => Node::unknown("`Fn::Select` index is out of range", span),
                    },
                    _ => Node::unknown(
                        list.unknown_reason()
                            .or_else(|| index.unknown_reason())
                            .unwrap_or_else(|| "`Fn::Select` arguments are not known".into()),
                        span,
                    ),
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg, span, depth),
            // `AWS::LanguageExtensions`.
            "Fn::Length" => match &self.resolve(arg, depth).kind {
                Kind::List(items) => Node::new(Kind::Number(items.len() as f64), span),
                _ => Node::unknown("the list `Fn::Length` counts is unknown", span),
            },
            "Fn::ToJsonString" => match json_text(&self.resolve(arg, depth), 0) {
                Some(text) => Node::string(text, span),
                None => Node::unknown("what `Fn::ToJsonString` writes is not fully known", span),
            },
            "Fn::GetAZs" => {
                Node::unknown("`Fn::GetAZs` lists the zones of the deploy region", span)
            }
            "Fn::ImportValue" => {
                Node::unknown("`Fn::ImportValue` reads another stack's export", span)
            }
            "Condition" => match arg.as_str().map(|c| self.condition(&c, depth)) {
                Some(Ok(b)) => Node::new(Kind::Bool(b), span),
                Some(Err(r)) => Node::unknown(r, span),
                None => Node::unknown("`Condition` needs a name", span),
            },
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                match self.condition_expr(name, arg, depth) {
                    Ok(b) => Node::new(Kind::Bool(b), span),
                    Err(r) => Node::unknown(r, span),
                }
            }
            other => Node::unknown(format!("`{other}` is not evaluated by resilint"), span),
        }
    }

    fn reference(&self, target: &str, span: Span) -> Node {
        match target {
            "AWS::NoValue" => Node::new(Kind::Null, span),
            "AWS::Region" => match self.region {
                Some(r) => Node::string(r, span),
                None => Node::unknown_partial(
                    "`AWS::Region` is the region the stack is deployed to (pass --region to name it)",
                    region_placeholder(&stack_key(self.unit)),
                    span,
                ),
            },
            "AWS::Partition" => Node::unknown(
                "`AWS::Partition` depends on where the stack is deployed",
                span,
            ),
            p if p.starts_with("AWS::") => Node::unknown(
                format!("`{p}` is only known when the stack is deployed"),
                span,
            ),
            name => {
                if let Some(param) = self.parameters.get(name) {
                    if let Some(why) = self.unknown_values.and_then(|v| v.get(name)) {
                        return Node::unknown(why.clone(), span);
                    }
                    if let Some(value) = self.values.and_then(|v| v.get(name)) {
                        return parameter_value(param, value, span);
                    }
                    return match param.get("Default") {
                        // A list type's default is written as one comma-separated string.
                        Some(Node {
                            kind: Kind::String(d),
                            ..
                        }) => parameter_value(param, d, span),
                        Some(d) => {
                            let mut v = self.resolve(d, 0);
                            v.span = span;
                            v
                        }
                        None => Node::unknown(
                            format!(
                                "parameter `{name}` has no default: its value is given when the stack is deployed (pass --parameter {name}=VALUE, --parameters FILE or set it in [parameters])"
                            ),
                            span,
                        ),
                    };
                }
                if self.resources.contains_key(name) {
                    return Node::new(
                        Kind::Ref(Box::new(Reference {
                            target: resource_key(self.unit, name),
                            attribute: String::new(),
                            text: format!("!Ref {name}"),
                        })),
                        span,
                    );
                }
                Node::unknown(format!("`Ref {name}` names nothing in this template"), span)
            }
        }
    }

    fn sub(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let (template, vars) = match &arg.kind {
            Kind::String(s) => (s.clone(), None),
            Kind::List(items) if items.len() == 2 => match items[0].as_str() {
                Some(s) => (s.into_owned(), Some(&items[1])),
                None => return Node::unknown("`Fn::Sub` needs a string", span),
            },
            _ => return Node::unknown("`Fn::Sub` needs a string", span),
        };
        let mut out = PartialText::default();
        let mut rest = template.as_str();
        while let Some(pos) = rest.find("${") {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[pos..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push_str("}");
                continue;
            }
            let value = match vars.and_then(|v| v.get(name)) {
                Some(v) => self.resolve(v, depth),
                None => match name.split_once('.') {
                    Some((res, attr)) if self.resources.contains_key(res) => Node::new(
                        Kind::Ref(Box::new(Reference {
                            target: resource_key(self.unit, res),
                            attribute: attr.to_string(),
                            text: format!("${{{name}}}"),
                        })),
                        span,
                    ),
                    _ => self.reference(name, span),
                },
            };
            match value.as_str() {
                Some(s) => out.push_str(&s),
                None => out.push_value(
                    &value,
                    value
                        .unknown_reason()
                        .unwrap_or_else(|| format!("`${{{name}}}` is not a string")),
                ),
            }
        }
        out.push_str(rest);
        out.finish(span)
    }

    fn join(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let items = arg.elements();
        let [sep, list] = items.as_slice() else {
            return Node::unknown("`Fn::Join` needs [separator, list]", span);
        };
        let sep = self
            .resolve(sep, depth)
            .as_str()
            .map(|s| s.into_owned())
            .unwrap_or_default();
        let list = self.resolve(list, depth);
        let Kind::List(parts) = &list.kind else {
            return Node::unknown(
                list.unknown_reason()
                    .unwrap_or_else(|| "`Fn::Join` needs a list".into()),
                span,
            );
        };
        let mut out = Vec::new();
        let mut reason = None;
        for p in parts {
            match p.as_str() {
                Some(s) => out.push(s.into_owned()),
                None => {
                    out.push(
                        p.partial_str()
                            .map(|s| s.into_owned())
                            .unwrap_or_else(|| UNKNOWN_PART.into()),
                    );
                    if reason.is_none() {
                        reason = p.unknown_reason();
                    }
                }
            }
        }
        match reason {
            None => Node::string(out.join(&sep), span),
            Some(r) => Node::unknown_partial(r, out.join(&sep), span),
        }
    }

    fn find_in_map(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let items = arg.elements();
        if items.len() < 3 {
            return Node::unknown("`Fn::FindInMap` needs [map, key, key]", span);
        }
        let keys: Vec<Node> = items[..3].iter().map(|k| self.resolve(k, depth)).collect();
        let mut current = match self.mappings {
            Some(m) => m,
            None => return Node::unknown("the template has no `Mappings`", span),
        };
        for k in &keys {
            let Some(key) = k.as_str() else {
                return Node::unknown(
                    k.unknown_reason()
                        .unwrap_or_else(|| "a `Fn::FindInMap` key is not a string".into()),
                    span,
                );
            };
            match current.get(&key) {
                Some(next) => current = next,
                None => {
                    return Node::unknown(format!("`Fn::FindInMap` finds no key {key:?}"), span);
                }
            }
        }
        let mut v = self.resolve(current, depth);
        v.span = span;
        v
    }

    /// Evaluates a named condition.
    pub fn condition(&self, name: &str, depth: usize) -> Result<bool, String> {
        if let Some(r) = self.condition_cache.borrow().get(name) {
            return r.clone();
        }
        if depth > MAX_DEPTH {
            return Err("conditions nest too deeply".into());
        }
        let Some(expr) = self.conditions.get(name) else {
            return Err(format!("condition `{name}` is not defined"));
        };
        self.condition_cache.borrow_mut().insert(
            name.to_string(),
            Err(format!("condition `{name}` refers to itself")),
        );
        let result = match &expr.kind {
            Kind::Map(m) if m.len() == 1 => {
                let e = &m.entries()[0];
                self.condition_expr(&e.key, &e.value, depth + 1)
            }
            _ => self
                .resolve(expr, depth + 1)
                .as_bool()
                .ok_or_else(|| format!("condition `{name}` is not a boolean")),
        };
        if let Err(r) = &result
            && r.contains("refers to itself")
        {
            self.notes.borrow_mut().push(ModelNote::new(
                expr.span,
                format!("condition `{name}` refers to itself"),
            ));
        }
        self.condition_cache
            .borrow_mut()
            .insert(name.to_string(), result.clone());
        result
    }

    fn condition_expr(&self, op: &str, arg: &Node, depth: usize) -> Result<bool, String> {
        let operand = |n: &Node| -> Result<bool, String> {
            match &n.kind {
                Kind::Map(m) if m.len() == 1 => {
                    let e = &m.entries()[0];
                    if e.key == "Condition" {
                        let c = e.value.as_str().ok_or("`Condition` needs a name")?;
                        self.condition(&c, depth + 1)
                    } else {
                        self.condition_expr(&e.key, &e.value, depth + 1)
                    }
                }
                _ => self
                    .resolve(n, depth + 1)
                    .as_bool()
                    .ok_or_else(|| "a condition operand is not a boolean".to_string()),
            }
        };
        let items = arg.elements();
        match op {
            "Fn::Equals" => {
                let [a, b] = items.as_slice() else {
                    return Err("`Fn::Equals` needs two values".into());
                };
                let (a, b) = (self.resolve(a, depth), self.resolve(b, depth));
                match (a.as_str(), b.as_str()) {
                    (Some(x), Some(y)) => Ok(x == y),
                    _ => Err(a
                        .unknown_reason()
                        .or_else(|| b.unknown_reason())
                        .unwrap_or_else(|| {
                            "`Fn::Equals` compares values that are not known".into()
                        })),
                }
            }
            "Fn::Not" => items
                .first()
                .map(|n| operand(n).map(|b| !b))
                .unwrap_or(Err("`Fn::Not` needs a condition".into())),
            "Fn::And" | "Fn::Or" => {
                let is_and = op == "Fn::And";
                let mut unknown = None;
                for n in items {
                    match operand(n) {
                        Ok(b) if b != is_and => return Ok(b),
                        Ok(_) => {}
                        Err(r) => unknown = Some(r),
                    }
                }
                match unknown {
                    Some(r) => Err(r),
                    None => Ok(is_and),
                }
            }
            "Condition" => {
                let c = arg.as_str().ok_or("`Condition` needs a name")?;
                self.condition(&c, depth + 1)
            }
            other => Err(format!("`{other}` is not a condition function")),
        }
    }
}

/// A parameter's given value: a list for the list types (`CommaDelimitedList`, `List<...>`),
/// else the string.
fn parameter_value(param: &Node, value: &str, span: Span) -> Node {
    let is_list = param.get("Type").and_then(|t| t.as_str()).is_some_and(|t| {
        let t = t.trim();
        t == "CommaDelimitedList" || t.starts_with("List<")
    });
    if is_list {
        let items = value
            .split(',')
            .map(|v| Node::string(v.trim(), span))
            .collect();
        return Node::new(Kind::List(items), span);
    }
    Node::string(value, span)
}

/// A fully known value as compact JSON text (`Fn::ToJsonString`); `None` when any part is
/// unknown or a reference.
fn json_text(node: &Node, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match &node.kind {
        Kind::Null => "null".into(),
        Kind::Bool(b) => b.to_string(),
        Kind::Number(n) => crate::model::node::format_number(*n),
        Kind::String(s) => serde_json::to_string(s.as_str()).ok()?,
        Kind::List(items) => {
            let parts: Option<Vec<String>> =
                items.iter().map(|i| json_text(i, depth + 1)).collect();
            format!("[{}]", parts?.join(","))
        }
        Kind::Map(m) => {
            let parts: Option<Vec<String>> = m
                .iter()
                .map(|e| {
                    Some(format!(
                        "{}:{}",
                        serde_json::to_string(&e.key).ok()?,
                        json_text(&e.value, depth + 1)?
                    ))
                })
                .collect();
            format!("{{{}}}", parts?.join(","))
        }
        Kind::Ref(_) | Kind::Unknown(_) => return None,
    })
}
