//! Static evaluation of Terraform expressions.
//!
//! The evaluator works on hcl-edit's syntax tree and produces located [`Node`]s. What it cannot
//! determine statically becomes [`Kind::Unknown`] with a reason naming the expression; references
//! to other resources' attributes become [`Kind::Ref`]. It never fails and never guesses: an
//! unknown input makes the result unknown. Recursion is bounded by [`MAX_EVAL_DEPTH`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::hcl_edit::expr::{
    BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator,
};
use crate::hcl_edit::template::{Directive, Element, Template};

use super::config::{InFile, ModuleConfig, ResourceDecl, span_of};
use super::functions;
use super::instance::{InstanceInput, ModuleHost, ProviderInfo};
use crate::model::node::{
    Kind, Map, Node, PartialText, Reference, format_number, region_placeholder,
};
use crate::model::{ModelNote, Region, Resource};
use crate::source::{FileId, Span};

/// Stands for the file of a `templatefile()` template, which the scan does not hold.
const TEMPLATE_FILE: FileId = FileId(u32::MAX - 1);

/// Stands for the "file" of a variable value given on the command line or in the environment.
pub const COMMAND_LINE_FILE: FileId = FileId(u32::MAX);

/// How deep expressions, locals and variables may nest before evaluation gives up (unknown).
pub const MAX_EVAL_DEPTH: usize = 96;

/// Largest collection a `for` expression or `count` may produce before evaluation gives up.
pub const MAX_COLLECTION: usize = 10_000;

/// Names bound while evaluating: `count`, `each`, `for` variables and dynamic-block iterators.
/// A persistent list: adding a binding shares the rest instead of copying it.
#[derive(Debug, Clone, Default)]
pub struct Env {
    head: Option<std::rc::Rc<Binding>>,
}

#[derive(Debug)]
struct Binding {
    name: String,
    value: Node,
    parent: Option<std::rc::Rc<Binding>>,
}

impl Env {
    /// An environment with one more binding (shadowing earlier ones of the same name).
    pub fn with(&self, name: impl Into<String>, value: Node) -> Env {
        Env {
            head: Some(std::rc::Rc::new(Binding {
                name: name.into(),
                value,
                parent: self.head.clone(),
            })),
        }
    }

    fn get(&self, name: &str) -> Option<&Node> {
        let mut cur = self.head.as_deref();
        while let Some(b) = cur {
            if b.name == name {
                return Some(&b.value);
            }
            cur = b.parent.as_deref();
        }
        None
    }
}

/// A value computed once on demand: locals, module calls, the instances of resources.
pub(super) enum LocalState<T = Node> {
    /// Being computed: meeting it again is a cycle.
    InProgress,
    /// Computed.
    Done(T),
}

/// Evaluates the expressions of one module instance.
pub struct Evaluator<'m, 'a> {
    pub(super) module: &'m ModuleConfig<'a>,
    /// What the caller passed in.
    pub(super) input: &'m InstanceInput,
    /// Loads child modules.
    pub(super) host: &'m dyn ModuleHost,
    /// The module's directory (absolute), for local module sources.
    pub(super) dir: &'m std::path::Path,
    pub(super) vars: HashMap<String, Node>,
    pub(super) locals: RefCell<HashMap<String, LocalState>>,
    pub(super) providers: RefCell<HashMap<String, ProviderInfo>>,
    /// Values of `module.<name>`, evaluated once.
    pub(super) calls: RefCell<HashMap<String, LocalState>>,
    /// The instances of each resource (`count`/`for_each` expanded), by `<type>.<name>`,
    /// expanded once.
    resources: RefCell<HashMap<String, LocalState<Rc<[Expansion]>>>>,
    /// Resources and notes of child module instances.
    pub(super) children: RefCell<(Vec<Resource>, Vec<ModelNote>)>,
    pub(super) notes: RefCell<Vec<ModelNote>>,
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// An evaluator for one instance of `module`, located in `dir`.
    pub fn new(
        module: &'m ModuleConfig<'a>,
        input: &'m InstanceInput,
        host: &'m dyn ModuleHost,
        dir: &'m std::path::Path,
    ) -> Self {
        let mut ev = Evaluator {
            module,
            input,
            host,
            dir,
            vars: HashMap::new(),
            locals: RefCell::new(HashMap::new()),
            providers: RefCell::new(HashMap::new()),
            calls: RefCell::new(HashMap::new()),
            resources: RefCell::new(HashMap::new()),
            children: RefCell::new((Vec::new(), Vec::new())),
            notes: RefCell::new(Vec::new()),
        };
        ev.vars = ev.evaluate_variables();
        ev
    }

    /// Notes gathered while evaluating (cycles between locals, unevaluated modules).
    pub fn take_notes(&self) -> Vec<ModelNote> {
        std::mem::take(&mut self.notes.borrow_mut())
    }

    /// Resources and notes of the child module instances evaluated so far.
    pub fn take_children(&self) -> (Vec<Resource>, Vec<ModelNote>) {
        std::mem::take(&mut self.children.borrow_mut())
    }

    /// Records a note, with the module calls that bring this instance in.
    pub(super) fn note(&self, span: Span, message: String) {
        self.push_note(ModelNote::new(span, message));
    }

    /// Records a note made elsewhere, with the module calls that bring this instance in.
    pub(super) fn push_note(&self, mut note: ModelNote) {
        note.call_chain = self.input.call_chain.clone();
        self.notes.borrow_mut().push(note);
    }

    fn evaluate_variables(&self) -> HashMap<String, Node> {
        let mut vars = HashMap::new();
        for (name, decl) in &self.module.variables {
            let given = self.input.variables.get(name).cloned();
            let value = match (given, decl.default) {
                (Some(v), _) => v,
                (None, Some(d)) => {
                    let mut v = self.eval(d, &Env::default(), 0);
                    if let Kind::Unknown(u) = &mut v.kind {
                        u.reason = format!(
                            "the default of `var.{name}` cannot be evaluated: {}",
                            u.reason
                        );
                    }
                    v
                }
                (None, None) => Node::unknown(
                    self.missing_variable(name),
                    span_of(decl.block.file, decl.block.node),
                ),
            };
            let value = match decl.type_expr {
                Some(t) => super::variables::convert(self, t, value),
                None => value,
            };
            vars.insert(name.clone(), value);
        }
        vars
    }

    /// Why a variable without default has no value.
    fn missing_variable(&self, name: &str) -> String {
        match self.input.module_key.last() {
            None => format!(
                "`var.{name}` has no value: set it in terraform.tfvars, with --var {name}=... or TF_VAR_{name}, or give it a default"
            ),
            Some(call) => {
                format!("`var.{name}` is not passed to module `{call}` and has no default")
            }
        }
    }

    /// The resource key for an address in this module instance.
    pub fn key(&self, address: &str) -> String {
        resource_key(&self.input.unit, &format!("{}{address}", self.input.prefix))
    }

    /// The full address (with the module prefix) of an address in this instance.
    pub fn address(&self, address: &str) -> String {
        format!("{}{address}", self.input.prefix)
    }

    /// Evaluates an expression of `file`.
    pub fn eval(&self, expr: InFile<'_, Expression>, env: &Env, depth: usize) -> Node {
        self.expr(expr.node, expr.file, env, depth)
    }

    /// Evaluates an expression.
    pub fn expr(&self, expr: &Expression, file: FileId, env: &Env, depth: usize) -> Node {
        let span = span_of(file, expr);
        if depth > MAX_EVAL_DEPTH {
            return Node::unknown("the expression nests too deeply to evaluate", span);
        }
        let d = depth + 1;
        match expr {
            Expression::Null(_) => Node::new(Kind::Null, span),
            Expression::Bool(b) => Node::new(Kind::Bool(*b.value()), span),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => Node::new(Kind::Number(f), span),
                None => Node::unknown("number out of range", span),
            },
            Expression::String(s) => Node::string(s.value().clone(), span),
            Expression::Array(a) => Node::new(
                Kind::List(a.iter().map(|e| self.expr(e, file, env, d)).collect()),
                span,
            ),
            Expression::Object(o) => {
                let mut map = Map::default();
                for (k, v) in o.iter() {
                    let key_span = span_of(file, k);
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            let kn = self.expr(e, file, env, d);
                            match kn.as_str() {
                                Some(s) => s.into_owned(),
                                None => {
                                    return Node::unknown(
                                        kn.unknown_reason().unwrap_or_else(|| {
                                            "an object key is not a string".into()
                                        }),
                                        span,
                                    );
                                }
                            }
                        }
                    };
                    map.insert(key, key_span, self.expr(v.expr(), file, env, d));
                }
                Node::new(Kind::Map(map), span)
            }
            Expression::StringTemplate(t) => self.template(t, file, env, d, span),
            // The parser has already stripped the indentation of `<<-` heredocs; a `<<` heredoc
            // keeps its own.
            Expression::HeredocTemplate(h) => self.template(&h.template, file, env, d, span),
            Expression::Parenthesis(p) => {
                let mut n = self.expr(p.inner(), file, env, d);
                n.span = span;
                n
            }
            Expression::Variable(v) => self.root(v.as_str(), &[], file, env, d, span),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => self.root(v.as_str(), &t.operators, file, env, d, span),
                other => {
                    let base = self.expr(other, file, env, d);
                    self.apply_ops(base, &t.operators, file, env, d, span)
                }
            },
            Expression::Conditional(c) => {
                let cond = self.expr(&c.cond_expr, file, env, d);
                if cond.is_error() {
                    return Node { span, ..cond };
                }
                match cond.as_bool() {
                    Some(true) => self.expr(&c.true_expr, file, env, d),
                    Some(false) => self.expr(&c.false_expr, file, env, d),
                    None => {
                        let t = self.expr(&c.true_expr, file, env, d);
                        let f = self.expr(&c.false_expr, file, env, d);
                        if values_equal(&t, &f) == Some(true) {
                            Node { span, ..t }
                        } else {
                            // One of the two: a check that both answer alike is decided.
                            Node::one_of(
                                format!(
                                    "the condition of `{}` is unknown: {}",
                                    source_text(file, expr, self),
                                    cond.unknown_reason()
                                        .unwrap_or_else(|| "it is not a boolean".into())
                                ),
                                vec![t, f],
                                span,
                            )
                        }
                    }
                }
            }
            Expression::FuncCall(call) => {
                let name = if call.name.is_namespaced() {
                    let ns: Vec<&str> = call.name.namespace.iter().map(|n| n.as_str()).collect();
                    format!("{}::{}", ns.join("::"), call.name.name.as_str())
                } else {
                    call.name.name.as_str().to_string()
                };
                // `try` and `can` evaluate their arguments lazily.
                match name.as_str() {
                    "try" => return self.try_fn(call, file, env, d, span),
                    "can" => return self.can_fn(call, file, env, d, span),
                    _ => {}
                }
                let mut args: Vec<Node> = call
                    .args
                    .iter()
                    .map(|a| self.expr(a, file, env, d))
                    .collect();
                if call.args.expand_final()
                    && let Some(last) = args.pop()
                {
                    match last.kind {
                        Kind::List(items) => args.extend(items),
                        _ => {
                            return Node::unknown(
                                last.unknown_reason().unwrap_or_else(|| {
                                    "the expanded final argument is not a list".into()
                                }),
                                span,
                            );
                        }
                    }
                }
                match name.as_str() {
                    "file" | "fileexists" | "templatefile" => self.file_fn(&name, args, d, span),
                    _ => match self.host.function(&name, &args, span) {
                        Some(v) => v,
                        None => functions::call(&name, args, span),
                    },
                }
            }
            Expression::UnaryOp(op) => {
                let v = self.expr(&op.expr, file, env, d);
                if v.is_error() {
                    return Node { span, ..v };
                }
                match (op.operator.value(), &v.kind) {
                    (UnaryOperator::Neg, Kind::Number(n)) => Node::new(Kind::Number(-n), span),
                    (UnaryOperator::Not, _) if v.as_bool().is_some() => {
                        Node::new(Kind::Bool(!v.as_bool().unwrap_or(false)), span)
                    }
                    _ => Node::unknown(
                        v.unknown_reason()
                            .unwrap_or_else(|| "invalid operand of a unary operator".into()),
                        span,
                    ),
                }
            }
            Expression::BinaryOp(op) => {
                let l = self.expr(&op.lhs_expr, file, env, d);
                let r = self.expr(&op.rhs_expr, file, env, d);
                match [&l, &r].into_iter().find(|n| n.is_error()) {
                    Some(failed) => Node {
                        span,
                        ..failed.clone()
                    },
                    None => binary(*op.operator.value(), &l, &r, span),
                }
            }
            Expression::ForExpr(f) => self.for_expr(f, file, env, d, span),
        }
    }

    /// `file(path)`, `fileexists(path)` and `templatefile(path, vars)`: files of the
    /// configuration, read through the host (which only reads inside the scanned tree or the
    /// module's own directory). Relative paths start at the root module, as Terraform's working
    /// directory does.
    fn file_fn(&self, name: &str, args: Vec<Node>, depth: usize, span: Span) -> Node {
        if let Some(reason) = args.iter().find_map(Node::deep_error) {
            return Node::error(reason, span);
        }
        let expected = if name == "templatefile" { 2 } else { 1 };
        if args.len() != expected {
            return Node::error(
                format!(
                    "`{name}()` takes {expected} argument(s), not {}",
                    args.len()
                ),
                span,
            );
        }
        let Some(path) = args[0].as_str().filter(|_| !args[0].is_null()) else {
            return Node::unknown(
                args[0]
                    .unknown_reason()
                    .unwrap_or_else(|| format!("the path given to `{name}()` is not a string")),
                span,
            );
        };
        let full = self.input.root_dir.join(path.as_ref());
        let read = self.host.read_file(&full, self.dir);
        match (name, read) {
            (_, Err(reason)) => Node::unknown(format!("`{name}(\"{path}\")`: {reason}"), span),
            ("fileexists", Ok(found)) => Node::new(Kind::Bool(found.is_some()), span),
            (_, Ok(None)) => Node::error(format!("`{name}()`: no file {path}"), span),
            ("file", Ok(Some(text))) => Node::string(text.to_string(), span),
            (_, Ok(Some(text))) => {
                self.render_template(&text, &args[1], path.as_ref(), depth, span)
            }
        }
    }

    /// `templatefile()`: the template evaluated with only `vars` in scope.
    fn render_template(
        &self,
        text: &str,
        vars: &Node,
        path: &str,
        depth: usize,
        span: Span,
    ) -> Node {
        let Kind::Map(m) = &vars.kind else {
            return Node::unknown(
                vars.unknown_reason()
                    .unwrap_or_else(|| "the variables of `templatefile()` are not a map".into()),
                span,
            );
        };
        let template = match crate::hcl_edit::parser::parse_template(text) {
            Ok(t) => t,
            Err(e) => {
                return Node::error(
                    format!(
                        "`templatefile()`: {path} is not a valid template: {}",
                        e.message()
                    ),
                    span,
                );
            }
        };
        let mut scope = Env::default();
        for e in m {
            scope = scope.with(e.key.clone(), e.value.clone());
        }
        // The template's own positions are in a file the scan does not hold: every value it
        // produces takes the call's span.
        let mut out = PartialText::default();
        self.template_into(&template, TEMPLATE_FILE, &scope, depth + 1, &mut out);
        out.finish(span)
    }

    /// `try(a, b, ...)`: the first argument that evaluates without an error. An argument that
    /// depends on an unknown value makes the result unknown (Terraform cannot tell either).
    fn try_fn(
        &self,
        call: &crate::hcl_edit::expr::FuncCall,
        file: FileId,
        env: &Env,
        depth: usize,
        span: Span,
    ) -> Node {
        let mut last_error = None;
        for arg in call.args.iter() {
            let v = self.expr(arg, file, env, depth);
            if let Some(reason) = v.deep_error() {
                last_error = Some(reason.to_owned());
                continue;
            }
            return Node { span, ..v };
        }
        Node::error(
            format!(
                "no argument of `try()` could be evaluated{}",
                last_error
                    .map(|e| format!(" (last: {e})"))
                    .unwrap_or_default()
            ),
            span,
        )
    }

    /// `can(expr)`: whether the expression evaluates without an error.
    fn can_fn(
        &self,
        call: &crate::hcl_edit::expr::FuncCall,
        file: FileId,
        env: &Env,
        depth: usize,
        span: Span,
    ) -> Node {
        let Some(arg) = call.args.iter().next() else {
            return Node::error("`can()` needs an argument", span);
        };
        let v = self.expr(arg, file, env, depth);
        match (&v.kind, v.deep_error().is_some()) {
            (_, true) => Node::new(Kind::Bool(false), span),
            (Kind::Unknown(u), false) => Node::unknown(u.reason.clone(), span),
            _ => Node::new(Kind::Bool(true), span),
        }
    }

    fn template(&self, t: &Template, file: FileId, env: &Env, depth: usize, span: Span) -> Node {
        // A template that is exactly one interpolation yields the value unchanged.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            let mut n = self.expr(&i.expr, file, env, depth);
            n.span = span;
            return n;
        }
        let mut out = PartialText::default();
        self.template_into(t, file, env, depth, &mut out);
        out.finish(span)
    }

    /// Renders a template. Unknown parts are written as placeholders (see
    /// [`crate::model::node::Unknown::partial`]) and the first reason is kept.
    fn template_into(
        &self,
        t: &Template,
        file: FileId,
        env: &Env,
        depth: usize,
        out: &mut PartialText,
    ) {
        if depth > MAX_EVAL_DEPTH {
            out.push_unknown("the template nests too deeply to evaluate".into());
            return;
        }
        for element in t.iter() {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.expr(&i.expr, file, env, depth + 1);
                    match v.as_str() {
                        Some(s) => out.push_str(&s),
                        None => {
                            let reason = v.unknown_reason().unwrap_or_else(|| {
                                format!("`{}` is not a string", source_text(file, &i.expr, self))
                            });
                            out.push_value(&v, reason);
                        }
                    }
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.expr(&ifd.if_expr.cond_expr, file, env, depth + 1);
                        if let Some(reason) = c.deep_error() {
                            out.fail(reason);
                        }
                        match c.as_bool() {
                            Some(true) => {
                                self.template_into(&ifd.if_expr.template, file, env, depth + 1, out)
                            }
                            Some(false) => {
                                if let Some(e) = &ifd.else_expr {
                                    self.template_into(&e.template, file, env, depth + 1, out);
                                }
                            }
                            None => out.push_unknown(c.unknown_reason().unwrap_or_else(|| {
                                "a template `if` condition is not a boolean".into()
                            })),
                        }
                    }
                    Directive::For(ford) => {
                        let fe = &ford.for_expr;
                        let coll = self.expr(&fe.collection_expr, file, env, depth + 1);
                        if let Some(reason) = coll.deep_error() {
                            out.fail(reason);
                        }
                        match iterate(&coll) {
                            Some(items) if items.len() <= MAX_COLLECTION => {
                                for (k, v) in items {
                                    let mut env2 = env.with(fe.value_var.as_str(), v);
                                    if let Some(kv) = &fe.key_var {
                                        env2 = env2.with(kv.as_str(), k);
                                    }
                                    self.template_into(&fe.template, file, &env2, depth + 1, out);
                                }
                            }
                            _ => out.push_unknown(coll.unknown_reason().unwrap_or_else(|| {
                                "a template `for` collection is not iterable".into()
                            })),
                        }
                    }
                },
            }
        }
    }

    fn for_expr(
        &self,
        f: &crate::hcl_edit::expr::ForExpr,
        file: FileId,
        env: &Env,
        depth: usize,
        span: Span,
    ) -> Node {
        let coll = self.expr(&f.intro.collection_expr, file, env, depth);
        let Some(items) = iterate(&coll) else {
            return Node::unknown(
                coll.unknown_reason().unwrap_or_else(|| {
                    "the collection of a `for` expression is not iterable".into()
                }),
                span,
            );
        };
        if items.len() > MAX_COLLECTION {
            return Node::unknown("the `for` expression is too large to evaluate", span);
        }
        let mut list = Vec::new();
        let mut map = Map::default();
        let mut grouped: Vec<(String, Span, Vec<Node>)> = Vec::new();
        for (k, v) in items {
            let mut env2 = env.with(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                env2 = env2.with(kv.as_str(), k);
            }
            if let Some(cond) = &f.cond {
                let c = self.expr(&cond.expr, file, &env2, depth);
                match c.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        return Node::unknown(
                            c.unknown_reason()
                                .unwrap_or_else(|| "a `for` condition is not a boolean".into()),
                            span,
                        );
                    }
                }
            }
            let value = self.expr(&f.value_expr, file, &env2, depth);
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let key = self.expr(ke, file, &env2, depth);
                    let Some(key_str) = key.as_str().map(|s| s.into_owned()) else {
                        return Node::unknown(
                            key.unknown_reason()
                                .unwrap_or_else(|| "a `for` key is not a string".into()),
                            span,
                        );
                    };
                    if f.grouping {
                        match grouped.iter_mut().find(|(k, _, _)| *k == key_str) {
                            Some((_, _, vs)) => vs.push(value),
                            None => grouped.push((key_str, key.span, vec![value])),
                        }
                    } else {
                        map.insert(key_str, key.span, value);
                    }
                }
            }
        }
        if f.key_expr.is_none() {
            Node::new(Kind::List(list), span)
        } else {
            for (k, ks, vs) in grouped {
                map.insert(k, ks, Node::new(Kind::List(vs), span));
            }
            Node::new(Kind::Map(map), span)
        }
    }

    /// Resolves a traversal that starts at a bare name (`var`, `local`, `count`, a resource type...).
    fn root(
        &self,
        name: &str,
        ops: &[crate::hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        env: &Env,
        depth: usize,
        span: Span,
    ) -> Node {
        if let Some(bound) = env.get(name) {
            let keys = self.index_keys(ops, file, env, depth);
            let (base, used) = reach(bound, ops, &keys, span);
            return self.apply_ops(base, &ops[used..], file, env, depth, span);
        }
        if file == TEMPLATE_FILE {
            // A template sees only the variables passed to it, as in Terraform.
            return Node::error(
                format!(
                    "the template refers to `{name}`, which is not among the variables passed to `templatefile()`"
                ),
                span,
            );
        }

        if let Some(bound) = self.host.global(name) {
            let keys = self.index_keys(ops, file, env, depth);
            let (base, used) = reach(bound, ops, &keys, span);
            return self.apply_ops(base, &ops[used..], file, env, depth, span);
        }
        let attr = |i: usize| -> Option<&str> {
            match ops.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
                _ => None,
            }
        };
        let text = || traversal_text(name, ops);
        match name {
            "var" => {
                let Some(var) = attr(0) else {
                    return Node::unknown("`var` must be followed by a variable name", span);
                };
                match self.vars.get(var) {
                    Some(v) => {
                        let rest = &ops[1..];
                        let keys = self.index_keys(rest, file, env, depth);
                        let (base, used) = reach(v, rest, &keys, span);
                        self.apply_ops(base, &rest[used..], file, env, depth, span)
                    }
                    None => {
                        Node::error(format!("`var.{var}` is not declared in this module"), span)
                    }
                }
            }
            "local" => {
                let Some(local) = attr(0) else {
                    return Node::unknown("`local` must be followed by a name", span);
                };
                let rest = &ops[1..];
                let keys = self.index_keys(rest, file, env, depth);
                // Navigate into the cached value without copying all of it.
                let (base, used) = match self.ensure_local(local, depth, span) {
                    Some(reason) => (Node::unknown(reason, span), 0),
                    None => {
                        let locals = self.locals.borrow();
                        match locals.get(local) {
                            Some(LocalState::Done(v)) => reach(v, rest, &keys, span),
                            _ => (
                                Node::unknown(format!("`local.{local}` is not evaluated"), span),
                                0,
                            ),
                        }
                    }
                };
                self.apply_ops(base, &rest[used..], file, env, depth, span)
            }
            "data" => match (attr(0), attr(1), attr(2)) {
                (Some("aws_region"), Some(dname), Some("name" | "id" | "region")) => {
                    self.current_region(dname, depth, span)
                }
                _ => Node::unknown(
                    format!("`{}` is read from the cloud when Terraform plans", text()),
                    span,
                ),
            },
            "module" => {
                let Some(call) = attr(0) else {
                    return Node::unknown("`module` must be followed by a module name", span);
                };
                let rest = &ops[1..];
                let keys = self.index_keys(rest, file, env, depth);
                self.module_value(call, depth);
                let (base, used) = match self.calls.borrow().get(call) {
                    Some(LocalState::Done(v)) => reach(v, rest, &keys, span),
                    _ => (
                        Node::unknown(format!("module `{call}` refers to its own outputs"), span),
                        0,
                    ),
                };
                self.apply_ops(base, &rest[used..], file, env, depth, span)
            }
            "terraform" => match (attr(0), self.host.workspace()) {
                (Some("workspace"), Some(w)) => Node::string(w, span),
                (Some("workspace"), None) => Node::unknown(
                    format!(
                        "`{}` depends on the workspace Terraform runs in (pass --workspace NAME or set `workspace` in resilint.toml)",
                        text()
                    ),
                    span,
                ),
                _ => Node::unknown(format!("`{}` is not known", text()), span),
            },
            "path" => match attr(0) {
                Some("root") => Node::string(".", span),
                // Relative to the root module, as Terraform gives it (`modules/db`, `../..`).
                Some("module") => {
                    let rel = crate::source::relative_path(self.dir, &self.input.root_dir);
                    let rel = if rel.is_empty() { ".".to_string() } else { rel };
                    Node::string(rel, span)
                }
                Some("cwd") => Node::string(self.input.root_dir.display().to_string(), span),
                _ => Node::unknown(format!("`{}` is not known", text()), span),
            },
            "self" | "each" | "count" => Node::unknown(
                format!(
                    "`{}` is only defined inside a resource with `for_each` or `count`",
                    text()
                ),
                span,
            ),
            rtype => match attr(0).and_then(|rname| self.module.resource(rtype, rname)) {
                Some(decl) => self.resource_ref(decl, &ops[1..], file, env, depth, span),
                None => Node::error(
                    format!(
                        "`{}` does not refer to anything declared in this module",
                        text()
                    ),
                    span,
                ),
            },
        }
    }

    /// `data.aws_region.<name>.name`: the region of the data source's provider, which is known
    /// statically when that provider's region is.
    fn current_region(&self, data_name: &str, depth: usize, span: Span) -> Node {
        let provider = self
            .module
            .data
            .iter()
            .find(|d| d.rtype == "aws_region" && d.name == data_name)
            .map(|d| super::provider_reference(d.block.node, "aws_region"))
            .unwrap_or_else(|| "aws".to_string());
        match self.provider_region(&provider, depth) {
            Region::Known { name, .. } => Node::string(name, span),
            Region::Symbolic { key, reason } => Node::unknown_partial(
                format!(
                    "`data.aws_region.{data_name}` is the provider's region, which is unknown: {reason}"
                ),
                region_placeholder(&key),
                span,
            ),
            Region::Unknown { reason } => Node::unknown(reason, span),
        }
    }

    /// The region of a provider configuration (`aws`, `aws.dr`) as this instance sees it.
    /// `depth` is the evaluation depth of the expression asking (0 at the top).
    pub fn provider_region(&self, reference: &str, depth: usize) -> Region {
        self.provider(reference, depth).region
    }

    /// A provider configuration (`aws`, `aws.dr`) as this instance sees it: its own `provider`
    /// block, else the configuration its caller passed in, evaluated once. `depth` is the
    /// evaluation depth of the expression asking (0 at the top).
    pub fn provider(&self, reference: &str, depth: usize) -> ProviderInfo {
        if let Some(p) = self.providers.borrow().get(reference) {
            return p.clone();
        }
        // Guard against a provider region computed from `data.aws_region` of the same provider.
        self.providers.borrow_mut().insert(
            reference.to_string(),
            ProviderInfo {
                region: Region::Unknown {
                    reason: format!("the region of provider `{reference}` depends on itself"),
                },
                default_tags: None,
            },
        );
        let info = self.evaluate_provider(reference, depth);
        self.providers
            .borrow_mut()
            .insert(reference.to_string(), info.clone());
        info
    }

    fn evaluate_provider(&self, reference: &str, depth: usize) -> ProviderInfo {
        let key = format!("{}:{}{reference}", self.input.unit, self.input.prefix);
        let provider_name = reference.split('.').next().unwrap_or(reference);
        // `--region` and `region` in resilint.toml stand for AWS_REGION: AWS providers only.
        let default_region = if provider_name == "aws" {
            self.host.default_region()
        } else {
            None
        };
        let environment = match provider_name {
            "aws" => {
                "the environment (AWS_REGION or the profile); pass --region or set `region` in resilint.toml"
            }
            "google" | "google-beta" => {
                "the environment (GOOGLE_REGION, or the gcloud configuration)"
            }
            _ => "the environment",
        };
        let decl = self
            .module
            .providers
            .iter()
            .find(|p| p.reference() == reference);
        let Some(p) = decl else {
            if let Some(passed) = &self.input.providers {
                return match passed.get(reference) {
                    Some(info) => info.clone(),
                    None => ProviderInfo {
                        region: Region::Symbolic {
                            key,
                            reason: format!(
                                "provider `{reference}` is not passed to module `{}`",
                                self.input.module_key.join(".")
                            ),
                        },
                        default_tags: None,
                    },
                };
            }
            // A root module without the provider block: Terraform configures the default one
            // from the environment (an aliased one must be configured: it is unknown).
            let root = self.input.depth() == 0;
            if let (true, false, Some(r)) = (root, reference.contains('.'), default_region) {
                return ProviderInfo {
                    region: Region::known(r, None),
                    default_tags: None,
                };
            }
            return ProviderInfo {
                region: Region::Symbolic {
                    key,
                    reason: match (root, reference.contains('.')) {
                        (true, true) => {
                            format!("provider `{reference}` is not configured in the root module")
                        }
                        (true, false) => format!(
                            "the root module has no `provider \"{reference}\"` block: the region comes from {environment}"
                        ),
                        (false, true) => format!(
                            "provider `{reference}` is not configured in this module: the calling module passes it in"
                        ),
                        (false, false) => format!(
                            "this module has no `provider \"{reference}\"` block: the region comes from the calling module or the environment"
                        ),
                    },
                },
                default_tags: None,
            };
        };
        let body = &p.block.node.body;
        // Google's providers may name only a zone (`europe-west1-b`): its region.
        let zone = (provider_name != "aws")
            .then(|| body.get_attribute("zone"))
            .flatten();
        let region = match body.get_attribute("region").or(zone) {
            Some(attr) => {
                let v = self.eval(
                    InFile::new(p.block.file, &attr.value),
                    &Env::default(),
                    depth + 1,
                );
                match v.as_str() {
                    Some(name) if !name.is_empty() && !v.is_null() => {
                        let name = if zone.is_some_and(|z| std::ptr::eq(attr, z)) {
                            crate::model::placement::zone_region(&name)
                                .unwrap_or(&name)
                                .to_string()
                        } else {
                            name.to_string()
                        };
                        Region::known(name, Some(v.span))
                    }
                    _ => Region::Symbolic {
                        key,
                        reason: format!(
                            "the region of provider `{reference}` is unknown: {}",
                            v.unknown_reason()
                                .unwrap_or_else(|| "it is not a string".into())
                        ),
                    },
                }
            }
            None => match default_region {
                Some(r) => Region::known(r, None),
                None => Region::Symbolic {
                    key,
                    reason: format!(
                        "provider `{reference}` sets no region: it comes from {environment}"
                    ),
                },
            },
        };
        // AWS: `default_tags { tags = {...} }`; Google: `default_labels = {...}`.
        let default_tags = body
            .get_blocks("default_tags")
            .next()
            .and_then(|b| b.body.get_attribute("tags"))
            .or_else(|| body.get_attribute("default_labels"))
            .map(|a| {
                self.eval(
                    InFile::new(p.block.file, &a.value),
                    &Env::default(),
                    depth + 1,
                )
            });
        ProviderInfo {
            region,
            default_tags,
        }
    }

    /// A reference to a managed resource: `aws_s3_bucket.b.arn`, `aws_s3_bucket.b[0].arn`.
    fn resource_ref(
        &self,
        decl: &ResourceDecl<'_>,
        ops: &[crate::hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        env: &Env,
        depth: usize,
        span: Span,
    ) -> Node {
        let base_address = format!("{}.{}", decl.rtype, decl.name);
        let mut address = base_address.clone();
        let mut rest = ops;
        let body = &decl.block.node.body;
        if body.has_attribute("count") || body.has_attribute("for_each") {
            match rest.first().map(|o| o.value()) {
                // The whole collection of instances: a list (count) or map (for_each) of
                // references, when the instances are known.
                None | Some(TraversalOperator::FullSplat(_) | TraversalOperator::AttrSplat(_)) => {
                    let expansions = match self.resource_instances(decl, depth) {
                        Ok(e) => e,
                        Err(reason) => return Node::unknown(reason, span),
                    };
                    if let Some(collection) = self.instances_of(decl, &expansions, span) {
                        return self.apply_ops(collection, rest, file, env, depth, span);
                    }
                    rest = rest.get(1..).unwrap_or(&[]);
                }
                Some(TraversalOperator::Index(ix)) => {
                    let k = self.expr(ix, file, env, depth);
                    match &k.kind {
                        Kind::Number(n) => {
                            address = format!("{base_address}[{}]", format_number(*n))
                        }
                        Kind::String(s) => address = format!("{base_address}[{s:?}]"),
                        _ => {}
                    }
                    rest = &rest[1..];
                }
                Some(TraversalOperator::LegacyIndex(i)) => {
                    address = format!("{base_address}[{}]", i.value());
                    rest = &rest[1..];
                }
                _ => {}
            }
        }
        let attribute: Vec<String> = rest
            .iter()
            .map(|o| match o.value() {
                TraversalOperator::GetAttr(a) => a.as_str().to_string(),
                TraversalOperator::LegacyIndex(i) => i.value().to_string(),
                _ => "*".to_string(),
            })
            .collect();
        let text = {
            let mut t = address.clone();
            for a in &attribute {
                t.push('.');
                t.push_str(a);
            }
            t
        };
        Node::new(
            Kind::Ref(Box::new(Reference {
                target: self.key(&address),
                attribute: attribute.join("."),
                text,
            })),
            span,
        )
    }

    /// The instances of a resource (its `count` or `for_each` expanded), expanded once.
    /// `Err` while they are being expanded: the resource's `count` or `for_each` refers to its
    /// own instances, directly or through other resources (a cycle). `depth` is the evaluation
    /// depth of the expression asking (0 at the top).
    pub(super) fn resource_instances(
        &self,
        decl: &ResourceDecl<'_>,
        depth: usize,
    ) -> Result<Rc<[Expansion]>, String> {
        let address = format!("{}.{}", decl.rtype, decl.name);
        if let Some(state) = self.resources.borrow().get(&address) {
            return match state {
                LocalState::Done(expansions) => Ok(expansions.clone()),
                LocalState::InProgress => Err(format!(
                    "the `count` or `for_each` of `{}{address}` depends on its own instances (a cycle)",
                    self.input.prefix
                )),
            };
        }
        self.resources
            .borrow_mut()
            .insert(address.clone(), LocalState::InProgress);
        let expansions: Rc<[Expansion]> =
            self.expand(decl.block.node, decl.block.file, depth).into();
        self.resources
            .borrow_mut()
            .insert(address, LocalState::Done(expansions.clone()));
        Ok(expansions)
    }

    /// The instances of a resource with `count` (a list of references) or `for_each` (a map of
    /// references), when the count or keys are known.
    fn instances_of(
        &self,
        decl: &ResourceDecl<'_>,
        expansions: &[Expansion],
        span: Span,
    ) -> Option<Node> {
        if expansions.iter().any(|e| e.existence_unknown.is_some()) {
            return None;
        }
        let reference = |suffix: &str| {
            let address = format!("{}.{}{suffix}", decl.rtype, decl.name);
            Node::new(
                Kind::Ref(Box::new(Reference {
                    target: self.key(&address),
                    attribute: String::new(),
                    text: address,
                })),
                span,
            )
        };
        if decl.block.node.body.has_attribute("for_each") {
            let mut m = Map::default();
            for e in expansions {
                m.insert(
                    e.key.clone().unwrap_or_default(),
                    span,
                    reference(&e.suffix),
                );
            }
            Some(Node::new(Kind::Map(m), span))
        } else {
            Some(Node::new(
                Kind::List(expansions.iter().map(|e| reference(&e.suffix)).collect()),
                span,
            ))
        }
    }

    /// Every local value of the module, evaluated, in name order.
    pub fn all_locals(&self) -> Map {
        let mut names: Vec<(&String, Span)> = self
            .module
            .locals
            .iter()
            .map(|(k, e)| (k, span_of(e.file, e.node)))
            .collect();
        names.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Map::default();
        for (name, span) in names {
            out.insert(name.clone(), span, self.local(name, 0, span));
        }
        out
    }

    fn local(&self, name: &str, depth: usize, span: Span) -> Node {
        match self.ensure_local(name, depth, span) {
            Some(reason) => Node::unknown(reason, span),
            None => match self.locals.borrow().get(name) {
                Some(LocalState::Done(v)) => v.clone(),
                _ => Node::unknown("not evaluated", span),
            },
        }
    }

    /// Evaluates `local.<name>` once; `Some(reason)` when it cannot be (a cycle, undeclared).
    fn ensure_local(&self, name: &str, depth: usize, span: Span) -> Option<String> {
        if let Some(state) = self.locals.borrow().get(name) {
            return match state {
                LocalState::Done(_) => None,
                LocalState::InProgress => {
                    self.note(
                        span,
                        format!("`local.{name}` refers to itself through other locals (a cycle)"),
                    );
                    Some(format!("`local.{name}` is part of a cycle between locals"))
                }
            };
        }
        let Some(expr) = self.module.locals.get(name) else {
            return Some(format!("`local.{name}` is not declared in this module"));
        };
        self.locals
            .borrow_mut()
            .insert(name.to_string(), LocalState::InProgress);
        let value = self.eval(*expr, &Env::default(), depth + 1);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), LocalState::Done(value));
        None
    }

    /// The keys of the leading index operators of a traversal, evaluated before any borrow of
    /// cached values (an index may itself refer to locals).
    fn index_keys(
        &self,
        ops: &[crate::hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        env: &Env,
        depth: usize,
    ) -> Vec<Option<Node>> {
        ops.iter()
            .take_while(|o| {
                matches!(
                    o.value(),
                    TraversalOperator::GetAttr(_)
                        | TraversalOperator::Index(_)
                        | TraversalOperator::LegacyIndex(_)
                )
            })
            .map(|o| match o.value() {
                TraversalOperator::Index(ix) => Some(self.expr(ix, file, env, depth)),
                TraversalOperator::LegacyIndex(i) => {
                    Some(Node::new(Kind::Number(*i.value() as f64), Span::default()))
                }
                _ => None,
            })
            .collect()
    }

    /// Applies attribute access, indexing and splats to a value.
    fn apply_ops(
        &self,
        mut value: Node,
        ops: &[crate::hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        env: &Env,
        depth: usize,
        span: Span,
    ) -> Node {
        for (i, op) in ops.iter().enumerate() {
            if value.is_unknown() {
                return Node { span, ..value };
            }
            if let Kind::Ref(r) = &value.kind {
                // Attribute access into another resource's computed attribute stays a reference.
                let mut r = (**r).clone();
                for op in &ops[i..] {
                    if let TraversalOperator::GetAttr(a) = op.value() {
                        r.text.push('.');
                        r.text.push_str(a.as_str());
                    }
                }
                return Node::new(Kind::Ref(Box::new(r)), span);
            }
            value = match op.value() {
                TraversalOperator::GetAttr(a) => match value.get(a.as_str()) {
                    Some(v) => v.clone(),
                    None => {
                        let what = if value.is_null() {
                            format!("the value before `.{}` is null", a.as_str())
                        } else {
                            format!("the value has no attribute `{}`", a.as_str())
                        };
                        let expr = self.module.quote(span);
                        let reason = if expr.is_empty() {
                            what
                        } else {
                            format!("`{expr}` fails: {what}")
                        };
                        return Node::error(reason, span);
                    }
                },
                TraversalOperator::Index(ix) => {
                    let k = self.expr(ix, file, env, depth);
                    if let Some(reason) = k.unknown_reason() {
                        return Node {
                            span,
                            ..if k.is_error() {
                                Node::error(reason, span)
                            } else {
                                Node::unknown(reason, span)
                            }
                        };
                    }
                    match index(&value, &k) {
                        Ok(v) => v,
                        Err(reason) => return Node::error(reason, span),
                    }
                }
                TraversalOperator::LegacyIndex(ix) => {
                    let k = Node::new(Kind::Number(*ix.value() as f64), span);
                    match index(&value, &k) {
                        Ok(v) => v,
                        Err(reason) => return Node::error(reason, span),
                    }
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match &value.kind {
                        Kind::List(items) => items.clone(),
                        Kind::Null => Vec::new(),
                        _ => vec![value.clone()],
                    };
                    let rest = &ops[i + 1..];
                    let mapped = items
                        .into_iter()
                        .map(|item| self.apply_ops(item, rest, file, env, depth, span))
                        .collect();
                    return Node::new(Kind::List(mapped), span);
                }
            };
        }
        value
    }
}

/// One instance of a block with `count` or `for_each`: its address suffix and bindings.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// `[0]`, `["key"]`, or empty.
    pub suffix: String,
    /// `count.index` or `each.key`/`each.value`.
    pub env: Env,
    /// The `for_each` key.
    pub key: Option<String>,
    /// Set when the count or keys are unknown (one instance that may not exist): why.
    pub existence_unknown: Option<String>,
}

impl Expansion {
    /// The one instance of a block without `count` or `for_each`, or (with a reason) the one
    /// instance standing for an unknown number of them.
    pub fn single(existence_unknown: Option<String>) -> Expansion {
        Expansion {
            suffix: String::new(),
            env: Env::default(),
            key: None,
            existence_unknown,
        }
    }
}

impl Evaluator<'_, '_> {
    /// Expands the `count` or `for_each` of a resource or module block into instances. `depth`
    /// is the evaluation depth of the expression asking (0 at the top).
    pub fn expand(
        &self,
        block: &crate::hcl_edit::structure::Block,
        file: FileId,
        depth: usize,
    ) -> Vec<Expansion> {
        let single = |reason: Option<String>| vec![Expansion::single(reason)];
        if let Some(count) = block.body.get_attribute("count") {
            let v = self.eval(InFile::new(file, &count.value), &Env::default(), depth + 1);
            return match v.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_COLLECTION as f64 => (0..n
                    as usize)
                    .map(|i| {
                        let mut m = Map::default();
                        m.insert(
                            "index".into(),
                            v.span,
                            Node::new(Kind::Number(i as f64), v.span),
                        );
                        Expansion {
                            suffix: format!("[{i}]"),
                            env: Env::default().with("count", Node::new(Kind::Map(m), v.span)),
                            key: None,
                            existence_unknown: None,
                        }
                    })
                    .collect(),
                _ => single(Some(format!(
                    "`count = {}` is unknown: {}",
                    self.module.quote(v.span),
                    v.unknown_reason()
                        .unwrap_or_else(|| "it is not a whole number".into())
                ))),
            };
        }
        if let Some(for_each) = block.body.get_attribute("for_each") {
            let v = self.eval(
                InFile::new(file, &for_each.value),
                &Env::default(),
                depth + 1,
            );
            let items = match &v.kind {
                // A set of strings: each.key and each.value are the element.
                Kind::List(items) => items
                    .iter()
                    .map(|i| (i.clone(), i.clone()))
                    .collect::<Vec<_>>(),
                _ => iterate(&v).unwrap_or_default(),
            };
            let known = matches!(v.kind, Kind::List(_) | Kind::Map(_) | Kind::Null)
                && items.iter().all(|(k, _)| k.as_str().is_some());
            if !known || items.len() > MAX_COLLECTION {
                return single(Some(format!(
                    "`for_each = {}` is unknown: {}",
                    self.module.quote(v.span),
                    v.unknown_reason()
                        .unwrap_or_else(|| "its keys are not all known strings".into())
                )));
            }
            return items
                .into_iter()
                .map(|(k, val)| {
                    let key = k.as_str().map(|s| s.into_owned()).unwrap_or_default();
                    let mut m = Map::default();
                    m.insert("key".into(), k.span, k.clone());
                    m.insert("value".into(), val.span, val);
                    Expansion {
                        suffix: format!("[{key:?}]"),
                        env: Env::default().with("each", Node::new(Kind::Map(m), v.span)),
                        key: Some(key),
                        existence_unknown: None,
                    }
                })
                .collect();
        }
        single(None)
    }
}

/// The key of a resource: `<unit>:<address>`.
pub fn resource_key(unit: &str, address: &str) -> String {
    format!("{unit}:{address}")
}

fn traversal_text(name: &str, ops: &[crate::hcl_edit::Decorated<TraversalOperator>]) -> String {
    let mut s = name.to_string();
    for op in ops {
        match op.value() {
            TraversalOperator::GetAttr(a) => {
                s.push('.');
                s.push_str(a.as_str());
            }
            TraversalOperator::LegacyIndex(i) => {
                s.push('.');
                s.push_str(&i.value().to_string());
            }
            TraversalOperator::Index(_) => s.push_str("[...]"),
            TraversalOperator::AttrSplat(_) => s.push_str(".*"),
            TraversalOperator::FullSplat(_) => s.push_str("[*]"),
        }
    }
    s
}

fn source_text(file: FileId, expr: &Expression, ev: &Evaluator<'_, '_>) -> String {
    ev.module.quote(span_of(file, expr))
}

/// [`navigate`], then a copy of what was reached, located at `span`.
fn reach(
    value: &Node,
    ops: &[crate::hcl_edit::Decorated<TraversalOperator>],
    keys: &[Option<Node>],
    span: Span,
) -> (Node, usize) {
    let (reached, used) = navigate(value, ops, keys);
    (
        Node {
            span,
            ..reached.clone()
        },
        used,
    )
}

/// Follows attribute accesses and known indexes into a value by reference, as far as they lead to
/// known values: the node reached and how many operators were used. The caller copies only what
/// it reached and applies the remaining operators (which report why they cannot be followed).
fn navigate<'n>(
    mut value: &'n Node,
    ops: &[crate::hcl_edit::Decorated<TraversalOperator>],
    keys: &[Option<Node>],
) -> (&'n Node, usize) {
    let mut used = 0;
    for (op, key) in ops.iter().zip(keys) {
        let next = match (op.value(), key, &value.kind) {
            (TraversalOperator::GetAttr(a), _, Kind::Map(m)) => m.get(a.as_str()),
            (
                TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_),
                Some(k),
                Kind::List(items),
            ) => k
                .as_f64()
                .filter(|i| *i >= 0.0 && i.fract() == 0.0)
                .and_then(|i| items.get(i as usize)),
            (TraversalOperator::Index(_), Some(k), Kind::Map(m)) => {
                k.as_str().and_then(|s| m.get(&s))
            }
            _ => None,
        };
        match next {
            Some(n) => {
                value = n;
                used += 1;
            }
            None => break,
        }
    }
    (value, used)
}

/// Key/value pairs of a collection for `for` expressions and `for_each`: lists give (index,
/// value), maps give (key, value). `None` for unknown or scalar values.
pub fn iterate(coll: &Node) -> Option<Vec<(Node, Node)>> {
    match &coll.kind {
        Kind::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(Kind::Number(i as f64), v.span), v.clone()))
                .collect(),
        ),
        Kind::Map(m) => Some(
            m.iter()
                .map(|e| (Node::string(e.key.clone(), e.key_span), e.value.clone()))
                .collect(),
        ),
        Kind::Null => Some(Vec::new()),
        _ => None,
    }
}

fn index(value: &Node, key: &Node) -> Result<Node, String> {
    if let Some(reason) = key.unknown_reason() {
        return Err(reason);
    }
    match (&value.kind, &key.kind) {
        (Kind::List(items), _) => {
            let i = key.as_f64().ok_or("a list index is not a number")?;
            if i < 0.0 || i.fract() != 0.0 {
                return Err(format!("invalid list index {}", format_number(i)));
            }
            items
                .get(i as usize)
                .cloned()
                .ok_or_else(|| format!("list index {} is out of range", format_number(i)))
        }
        (Kind::Map(m), _) => {
            let k = key.as_str().ok_or("a map key is not a string")?;
            m.get(&k)
                .cloned()
                .ok_or_else(|| format!("the map has no key {k:?}"))
        }
        _ => Err("the value cannot be indexed".into()),
    }
}

/// Deep equality of known values; `None` when either side is (or contains) an unknown value.
pub fn values_equal(a: &Node, b: &Node) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (Kind::Unknown(_) | Kind::Ref(_), _) | (_, Kind::Unknown(_) | Kind::Ref(_)) => None,
        (Kind::Null, Kind::Null) => Some(true),
        (Kind::Bool(x), Kind::Bool(y)) => Some(x == y),
        (Kind::Number(x), Kind::Number(y)) => Some(x == y),
        (Kind::String(x), Kind::String(y)) => Some(x == y),
        (Kind::List(x), Kind::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for (p, q) in x.iter().zip(y) {
                match values_equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = false,
                    Some(true) => {}
                }
            }
            if all { Some(true) } else { None }
        }
        (Kind::Map(x), Kind::Map(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for e in x {
                match y.get(&e.key) {
                    None => return Some(false),
                    Some(v) => match values_equal(&e.value, v) {
                        Some(false) => return Some(false),
                        None => all = false,
                        Some(true) => {}
                    },
                }
            }
            if all { Some(true) } else { None }
        }
        _ => Some(false),
    }
}

fn binary(op: BinaryOperator, l: &Node, r: &Node, span: Span) -> Node {
    use BinaryOperator as B;
    let unknown = |l: &Node, r: &Node| {
        Node::unknown(
            l.unknown_reason()
                .or_else(|| r.unknown_reason())
                .unwrap_or_else(|| format!("invalid operands for `{}`", op.as_str())),
            span,
        )
    };
    match op {
        B::Eq | B::NotEq => match values_equal(l, r) {
            Some(eq) => Node::new(Kind::Bool(eq == (op == B::Eq)), span),
            None => unknown(l, r),
        },
        B::And | B::Or => match (l.as_bool(), r.as_bool()) {
            (Some(a), Some(b)) => {
                Node::new(Kind::Bool(if op == B::And { a && b } else { a || b }), span)
            }
            // Short-circuit on a known side that decides the result.
            (Some(false), None) | (None, Some(false)) if op == B::And => {
                Node::new(Kind::Bool(false), span)
            }
            (Some(true), None) | (None, Some(true)) if op == B::Or => {
                Node::new(Kind::Bool(true), span)
            }
            _ => unknown(l, r),
        },
        _ => match (l.as_f64(), r.as_f64()) {
            (Some(a), Some(b)) => {
                let kind = match op {
                    B::Plus => Kind::Number(a + b),
                    B::Minus => Kind::Number(a - b),
                    B::Mul => Kind::Number(a * b),
                    B::Div if b != 0.0 => Kind::Number(a / b),
                    B::Mod if b != 0.0 => Kind::Number(a % b),
                    B::Less => Kind::Bool(a < b),
                    B::LessEq => Kind::Bool(a <= b),
                    B::Greater => Kind::Bool(a > b),
                    B::GreaterEq => Kind::Bool(a >= b),
                    _ => return Node::unknown("division by zero", span),
                };
                Node::new(kind, span)
            }
            _ => unknown(l, r),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::node::UNKNOWN_PART;
    use crate::model::terraform::config::ModuleConfig;

    fn eval_local(src: &str, name: &str) -> Node {
        let kb = crate::knowledge::KnowledgeBase::builtin().unwrap();
        eval_local_with(src, name, &super::super::instance::NoModules { kb: &kb })
    }

    fn eval_local_with(src: &str, name: &str, host: &dyn ModuleHost) -> Node {
        let body = crate::hcl_edit::parser::parse_body(src).unwrap();
        let files = [(FileId(0), &body, src)];
        let m = ModuleConfig::from_files(&files);
        let input = InstanceInput::root(".".into(), ".".into(), HashMap::new());
        let ev = Evaluator::new(&m, &input, host, std::path::Path::new("."));
        ev.local(name, 0, Span::default())
    }

    /// A host whose files are the given (name, text) pairs, found by file name.
    struct Files<'a> {
        kb: &'a crate::knowledge::KnowledgeBase,
        files: &'a [(&'a str, &'a str)],
    }

    impl ModuleHost for Files<'_> {
        fn load_dir(
            &self,
            dir: &std::path::Path,
        ) -> Result<std::sync::Arc<super::super::instance::ParsedDir>, String> {
            Err(format!("{} is not loaded here", dir.display()))
        }

        fn installed_module(&self, _: &std::path::Path, _: &str) -> Option<std::path::PathBuf> {
            None
        }

        fn kb(&self) -> &crate::knowledge::KnowledgeBase {
            self.kb
        }

        fn count_instance(&self, _: &std::path::Path) -> bool {
            true
        }

        fn read_file(
            &self,
            path: &std::path::Path,
            _: &std::path::Path,
        ) -> Result<Option<std::sync::Arc<str>>, String> {
            let name = path.file_name().and_then(|n| n.to_str());
            Ok(self
                .files
                .iter()
                .find(|(n, _)| Some(*n) == name)
                .map(|(_, text)| std::sync::Arc::from(*text)))
        }
    }

    #[test]
    fn templates_see_only_the_variables_passed_to_them() {
        let kb = crate::knowledge::KnowledgeBase::builtin().unwrap();
        let host = Files {
            kb: &kb,
            files: &[
                ("own.tpl", "name-${env}"),
                ("var.tpl", "name-${var.env}"),
                ("local.tpl", "name-${local.own}"),
                ("resource.tpl", "${aws_s3_bucket.b.id}"),
                ("path.tpl", "${path.module}"),
            ],
        };
        let src = r#"
variable "env" { default = "prod" }
resource "aws_s3_bucket" "b" {}
locals {
  own       = templatefile("own.tpl", { env = "dev" })
  var       = templatefile("var.tpl", { env = "dev" })
  local     = templatefile("local.tpl", {})
  resource  = templatefile("resource.tpl", {})
  path      = templatefile("path.tpl", {})
  recovered = try(templatefile("var.tpl", {}), "none")
}
"#;
        let eval = |name: &str| eval_local_with(src, name, &host);
        assert_eq!(eval("own").as_str().as_deref(), Some("name-dev"));
        for name in ["var", "local", "resource", "path"] {
            let v = eval(name);
            assert!(v.is_error(), "{name}: {v:?}");
            let why = v.unknown_reason().unwrap_or_default();
            assert!(why.contains("not among the variables passed"), "{why}");
        }
        assert_eq!(eval("recovered").as_str().as_deref(), Some("none"));
    }

    #[test]
    fn heredocs_keep_their_text_and_indented_ones_lose_the_common_indentation() {
        let src = "locals {\n  plain = <<EOF\nprovider \"aws\" {\n  region = \"${\"eu-west-1\"}\"\n}\nEOF\n  indented = <<-EOT\n    a\n      b\n    EOT\n}\n";
        assert_eq!(
            eval_local(src, "plain").as_str().as_deref(),
            Some("provider \"aws\" {\n  region = \"eu-west-1\"\n}\n")
        );
        assert_eq!(
            eval_local(src, "indented").as_str().as_deref(),
            Some("a\n  b\n")
        );
    }

    #[test]
    fn literals_vars_and_locals() {
        let src = r#"
variable "days" { default = 7 }
variable "nodefault" {}
locals {
  a = var.days * 2
  b = "x-${var.days}"
  c = var.nodefault
  d = { k = [1, 2, 3] }
  e = local.d.k[1]
  f = true ? "yes" : "no"
  g = [for x in [1, 2] : x + 1]
  h = { for k, v in { a = 1 } : k => v * 10 }
  i = local.j
  j = local.i
}
"#;
        assert_eq!(eval_local(src, "a").as_f64(), Some(14.0));
        assert_eq!(eval_local(src, "b").as_str().unwrap(), "x-7");
        let c = eval_local(src, "c");
        assert!(c.unknown_reason().unwrap().contains("var.nodefault"));
        assert_eq!(eval_local(src, "e").as_f64(), Some(2.0));
        assert_eq!(eval_local(src, "f").as_str().unwrap(), "yes");
        assert_eq!(eval_local(src, "g").elements()[1].as_f64(), Some(3.0));
        assert_eq!(eval_local(src, "h").get("a").unwrap().as_f64(), Some(10.0));
        assert!(eval_local(src, "i").is_unknown());
    }

    #[test]
    fn references_become_refs() {
        let src = r#"
resource "aws_s3_bucket" "b" {}
resource "aws_s3_bucket" "c" { count = 2 }
locals {
  a = aws_s3_bucket.b.arn
  b = aws_s3_bucket.c[1].arn
  c = "${aws_s3_bucket.b.arn}"
  d = data.aws_region.current.name
}
"#;
        let a = eval_local(src, "a");
        let r = a.as_ref_target().unwrap();
        assert_eq!(r.target, ".:aws_s3_bucket.b");
        assert_eq!(r.attribute, "arn");
        assert_eq!(
            eval_local(src, "b").as_ref_target().unwrap().target,
            ".:aws_s3_bucket.c[1]"
        );
        assert!(eval_local(src, "c").as_ref_target().is_some());
        assert!(
            eval_local(src, "d")
                .unknown_reason()
                .unwrap()
                .contains("data.aws_region")
        );
    }

    #[test]
    fn format_keeps_a_reference_like_a_template() {
        let src = r#"
resource "aws_s3_bucket" "b" {}
resource "aws_s3_bucket" "c" {}
locals {
  t = "${aws_s3_bucket.b.id}-logs"
  f = format("%s-logs", aws_s3_bucket.b.id)
  j = join("-", [aws_s3_bucket.b.id, "logs"])
  other = format("%s-logs", aws_s3_bucket.c.id)
}
"#;
        let text = |name: &str| {
            let v = eval_local(src, name);
            assert!(v.is_unknown());
            v.partial_str().unwrap_or_default().into_owned()
        };
        let t = text("t");
        assert!(t.ends_with("-logs") && !t.contains(UNKNOWN_PART), "{t}");
        assert_eq!(text("f"), t);
        assert_eq!(text("j"), t);
        assert_ne!(text("other"), t);
    }

    #[test]
    fn deep_local_chains_are_bounded() {
        let mut src = String::from("locals {\n l0 = 1\n");
        for i in 1..500 {
            src.push_str(&format!(" l{i} = local.l{} + 1\n", i - 1));
        }
        src.push_str("}\n");
        let v = eval_local(&src, "l499");
        assert!(v.is_unknown());
        assert_eq!(eval_local(&src, "l10").as_f64(), Some(11.0));
    }
}
