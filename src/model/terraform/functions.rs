//! Terraform built-in functions that configurations use to compute resilience-relevant values.
//!
//! Each function takes evaluated arguments and returns a value. An unknown argument the result
//! depends on ([`Kind::Unknown`] or [`Kind::Ref`], also nested inside a list or map) makes the
//! result unknown with that argument's reason, except where Terraform's semantics let a known
//! result through regardless: `length()` of a list whose elements are unknown, `keys()` of a map
//! with unknown values, `coalesce()` decided by an earlier argument, `contains()` finding a known
//! equal element, `alltrue()` seeing a known `false`, `startswith()` of a string whose known
//! beginning decides, and so on. Where Terraform would raise an error (a wrong type, an index out
//! of range, an invalid pattern, `one()` of two elements) the result is unknown with the error as
//! reason. A function resilint does not implement yields an unknown value naming it. No input
//! makes a function panic, and results beyond the limits below are unknown rather than computed.
//! `format()`, `formatlist()` and `join()` with unknown parts return partially known strings (see
//! [`crate::model::node::Unknown::partial`]), so an ARN built from a known prefix and an unknown
//! account id still shows its prefix.
//!
//! Implemented:
//! - collections: `alltrue`, `anytrue`, `chunklist`, `coalescelist`, `compact`, `concat`,
//!   `contains`, `distinct`, `element`, `flatten`, `index`, `length`, `matchkeys`, `one`,
//!   `range`, `reverse`, `setintersection`, `setsubtract`, `setunion`, `slice`, `sort`, `sum`
//! - maps: `keys`, `lookup`, `merge`, `values`, `zipmap`
//! - strings: `chomp`, `endswith`, `format`, `formatlist`, `indent`, `join`, `lower`, `replace`,
//!   `split`, `startswith`, `strcontains`, `substr`, `title`, `trim`, `trimprefix`,
//!   `trimspace`, `trimsuffix`, `upper`
//! - regular expressions: `regex`, `regexall` (and `replace` with a `/pattern/`)
//! - numbers: `abs`, `ceil`, `floor`, `max`, `min`, `pow`, `signum`
//! - conversions: `nonsensitive`, `sensitive`, `tobool`, `tolist`, `tomap`, `tonumber`, `toset`,
//!   `tostring`
//! - encodings: `base64decode`, `base64encode`, `jsondecode`, `jsonencode`
//! - general: `coalesce`
//!
//! `can()` and `try()` need lazy evaluation, and `file()`, `fileexists()` and `templatefile()`
//! read the configuration's files through the scan: these live in the evaluator. Functions
//! reading clocks or randomness (`timestamp()`, `uuid()`, ...), the other file and path functions
//! and the network address functions (`cidrsubnet()`, ...) are left unknown.
//!
//! Deliberate approximations:
//! - numbers are `f64` (Terraform's are 512-bit floats);
//! - string lengths, offsets and widths count Unicode scalar values, not grapheme clusters;
//! - patterns are RE2 syntax run by the `regex` crate, rewritten to keep Go's ASCII-only `\d`,
//!   `\w`, `\s` and `\b`;
//! - types are loose: a set is a de-duplicated list, an object is a map, and the only element
//!   type conversion is Terraform's unification of strings with numbers or booleans into strings
//!   (`tolist(["a", 1])` is `["a", "1"]`, `distinct(["1", 1])` is `["1"]`);
//! - a set keeps strings, numbers and booleans in Terraform's order, but other elements (maps,
//!   lists) in the order of first appearance, where Terraform orders them by hash.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt::Write as _;

use regex::{Captures, Match, Regex};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::eval::values_equal;
use crate::model::node::{
    Found, Kind, Map, Node, PartialText, REGION_PLACEHOLDER_START, UNKNOWN_PART, format_number,
};
use crate::source::Span;

type Builtin = fn(Vec<Node>, Span) -> Result<Node, String>;

/// Largest string (in bytes) a function builds.
const MAX_STRING_LEN: usize = 1 << 20;
/// Largest list a function builds.
const MAX_LIST_LEN: usize = 1 << 16;
/// Deepest nesting of lists and maps a function walks.
const MAX_DEPTH: usize = 128;
/// Longest regular expression compiled.
const MAX_PATTERN_LEN: usize = 10_000;
/// Largest precision of a `format()` verb.
const MAX_PRECISION: usize = 1000;
/// Terraform's own limit on the length of `range()`.
const MAX_RANGE: usize = 1024;

/// The implemented functions, by name.
const BUILTINS: &[(&str, Builtin)] = &[
    ("abs", abs),
    ("alltrue", alltrue),
    ("anytrue", anytrue),
    ("base64decode", base64decode),
    ("base64encode", base64encode),
    ("basename", basename),
    ("ceil", ceil),
    ("chomp", chomp),
    ("chunklist", chunklist),
    ("coalesce", coalesce),
    ("coalescelist", coalescelist),
    ("compact", compact),
    ("concat", concat),
    ("contains", contains),
    ("dirname", dirname),
    ("distinct", distinct),
    ("element", element),
    ("endswith", endswith),
    ("flatten", flatten),
    ("floor", floor),
    ("format", format),
    ("formatlist", formatlist),
    ("indent", indent),
    ("index", index),
    ("join", join),
    ("jsondecode", jsondecode),
    ("jsonencode", jsonencode),
    ("keys", keys),
    ("length", length),
    ("lookup", lookup),
    ("lower", lower),
    ("matchkeys", matchkeys),
    ("max", max),
    ("merge", merge),
    ("min", min),
    ("nonsensitive", nonsensitive),
    ("one", one),
    ("pow", pow),
    ("range", range),
    ("regex", regex),
    ("regexall", regexall),
    ("replace", replace),
    ("reverse", reverse),
    ("sensitive", sensitive),
    ("setintersection", setintersection),
    ("setsubtract", setsubtract),
    ("setunion", setunion),
    ("signum", signum),
    ("slice", slice),
    ("sort", sort),
    ("split", split),
    ("startswith", startswith),
    ("strcontains", strcontains),
    ("substr", substr),
    ("sum", sum),
    ("title", title),
    ("tobool", tobool),
    ("tolist", tolist),
    ("tomap", tomap),
    ("tonumber", tonumber),
    ("toset", toset),
    ("tostring", tostring),
    ("trim", trim),
    ("trimprefix", trimprefix),
    ("trimspace", trimspace),
    ("trimsuffix", trimsuffix),
    ("upper", upper),
    ("values", values),
    ("zipmap", zipmap),
];

/// Calls function `name`.
pub fn call(name: &str, args: Vec<Node>, span: Span) -> Node {
    let Some((_, f)) = BUILTINS.iter().find(|(n, _)| *n == name) else {
        return Node::unknown(
            format!("function `{name}()` is not evaluated by resilint"),
            span,
        );
    };
    // An argument that failed fails the call, as in Terraform.
    if let Some(reason) = args.iter().find_map(Node::deep_error) {
        return Node::error(reason, span);
    }
    // A failure is an evaluation error (for `try`/`can`) unless an argument was unknown.
    let depends_on_unknown = args.iter().any(|a| a.deep_unknown().is_some());
    match f(args, span) {
        Ok(mut n) => {
            n.span = span;
            n
        }
        Err(reason) if depends_on_unknown => Node::unknown(reason, span),
        Err(reason) => Node::error(reason, span),
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments: arity, unknown values, conversions
// ---------------------------------------------------------------------------------------------

/// An error message of function `name`.
fn fail(name: &str, msg: impl std::fmt::Display) -> String {
    format!("`{name}()`: {msg}")
}

fn too_large(name: &str) -> String {
    fail(name, "the result is too large for resilint to evaluate")
}

/// The arguments of a function taking exactly `N`.
fn take<const N: usize>(name: &str, args: Vec<Node>) -> Result<[Node; N], String> {
    let given = args.len();
    args.try_into().map_err(|_| {
        fail(
            name,
            format!(
                "takes {N} argument{}, {given} given",
                if N == 1 { "" } else { "s" }
            ),
        )
    })
}

fn arity_between(name: &str, args: &[Node], min: usize, max: usize) -> Result<(), String> {
    if (min..=max).contains(&args.len()) {
        Ok(())
    } else {
        Err(fail(
            name,
            format!("takes {min} to {max} arguments, {} given", args.len()),
        ))
    }
}

fn arity_at_least(name: &str, args: &[Node], min: usize) -> Result<(), String> {
    if args.len() >= min {
        Ok(())
    } else {
        Err(fail(
            name,
            format!("takes at least {min} argument(s), {} given", args.len()),
        ))
    }
}

/// The node, or the reason it is unknown (an unknown value or a reference).
fn known(n: &Node) -> Result<&Node, String> {
    match n.unknown_reason() {
        Some(r) => Err(r),
        None => Ok(n),
    }
}

/// The reason of the first unknown value in `n`, including inside lists and maps.
fn unknown_reason_in(n: &Node) -> Option<String> {
    match n.deep_unknown()? {
        Found::Node(unknown) => unknown.unknown_reason(),
        Found::TooDeep => Some("the value is nested too deeply for resilint to evaluate".into()),
    }
}

/// Fails with the reason of the first unknown value in any of `nodes`.
fn require_known<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Result<(), String> {
    match nodes.into_iter().find_map(unknown_reason_in) {
        Some(r) => Err(r),
        None => Ok(()),
    }
}

/// Why comparing `a` with `b` was undecided.
fn undecided(a: &Node, b: &Node) -> String {
    unknown_reason_in(a)
        .or_else(|| unknown_reason_in(b))
        .unwrap_or_else(|| "a compared value is unknown".into())
}

fn type_name(n: &Node) -> &'static str {
    match n.kind {
        Kind::Null => "null",
        Kind::Bool(_) => "bool",
        Kind::Number(_) => "number",
        Kind::String(_) => "string",
        Kind::List(_) => "list",
        Kind::Map(_) => "map",
        Kind::Ref(_) | Kind::Unknown(_) => "unknown value",
    }
}

/// A string argument; numbers and booleans convert, as Terraform converts them.
fn string_arg(name: &str, what: &str, n: &Node) -> Result<String, String> {
    known(n)?;
    if n.is_null() {
        return Err(fail(name, format!("{what} must not be null")));
    }
    n.as_str().map(Cow::into_owned).ok_or_else(|| {
        fail(
            name,
            format!("{what} must be a string, not a {}", type_name(n)),
        )
    })
}

/// Terraform's conversion of a string to a number (decimal, no surrounding space).
fn parse_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A known number, also from a numeric string.
fn number_value(n: &Node) -> Option<f64> {
    match &n.kind {
        Kind::Number(x) if x.is_finite() => Some(*x),
        Kind::String(s) => parse_number(s),
        _ => None,
    }
}

fn number_arg(name: &str, what: &str, n: &Node) -> Result<f64, String> {
    known(n)?;
    if n.is_null() {
        return Err(fail(name, format!("{what} must not be null")));
    }
    number_value(n).ok_or_else(|| match &n.kind {
        Kind::String(s) => fail(name, format!("{what} must be a number, not {s:?}")),
        Kind::Number(_) => fail(name, format!("{what} is not a finite number")),
        _ => fail(
            name,
            format!("{what} must be a number, not a {}", type_name(n)),
        ),
    })
}

/// A whole number argument.
fn int_arg(name: &str, what: &str, n: &Node) -> Result<i64, String> {
    let x = number_arg(name, what, n)?;
    if x.fract() != 0.0 || x.abs() >= 9.2e18 {
        return Err(fail(name, format!("{what} must be a whole number")));
    }
    Ok(x as i64)
}

/// A known boolean, also from the strings Terraform converts (`"true"`, `"false"`, `"1"`, `"0"`).
fn bool_value(n: &Node) -> Option<bool> {
    match &n.kind {
        Kind::Bool(b) => Some(*b),
        Kind::String(s) if s == "true" || s == "1" => Some(true),
        Kind::String(s) if s == "false" || s == "0" => Some(false),
        _ => None,
    }
}

/// The elements of a list argument (lists, tuples and sets are all lists here).
fn list_arg<'a>(name: &str, what: &str, n: &'a Node) -> Result<&'a [Node], String> {
    known(n)?;
    match &n.kind {
        Kind::List(items) => Ok(items),
        Kind::Null => Err(fail(name, format!("{what} must not be null"))),
        _ => Err(fail(
            name,
            format!("{what} must be a list, not a {}", type_name(n)),
        )),
    }
}

/// Like [`list_arg`], taking the elements.
fn into_list(name: &str, what: &str, n: Node) -> Result<Vec<Node>, String> {
    list_arg(name, what, &n)?;
    match n.kind {
        Kind::List(items) => Ok(items),
        _ => Err(fail(name, format!("{what} must be a list"))),
    }
}

/// The entries of a map argument (maps and objects are both maps here).
fn map_arg<'a>(name: &str, what: &str, n: &'a Node) -> Result<&'a Map, String> {
    known(n)?;
    match &n.kind {
        Kind::Map(m) => Ok(m),
        Kind::Null => Err(fail(name, format!("{what} must not be null"))),
        _ => Err(fail(
            name,
            format!("{what} must be a map, not a {}", type_name(n)),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Values: construction, type unification, set semantics, partially known strings
// ---------------------------------------------------------------------------------------------

fn null(span: Span) -> Node {
    Node::new(Kind::Null, span)
}

fn boolean(b: bool, span: Span) -> Node {
    Node::new(Kind::Bool(b), span)
}

fn list(items: Vec<Node>, span: Span) -> Node {
    Node::new(Kind::List(items), span)
}

/// A number node; non-finite results (overflow) are errors.
fn number(name: &str, x: f64, span: Span) -> Result<Node, String> {
    if x.is_finite() {
        Ok(Node::new(Kind::Number(x), span))
    } else {
        Err(fail(name, "the result is not a finite number"))
    }
}

/// Which kinds of known values a collection holds.
#[derive(Default)]
struct Kinds {
    string: bool,
    number: bool,
    boolean: bool,
    list: bool,
    map: bool,
}

impl Kinds {
    fn of<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Kinds {
        let mut k = Kinds::default();
        for n in nodes {
            match n.kind {
                Kind::String(_) => k.string = true,
                Kind::Number(_) => k.number = true,
                Kind::Bool(_) => k.boolean = true,
                Kind::List(_) => k.list = true,
                Kind::Map(_) => k.map = true,
                Kind::Null | Kind::Unknown(_) | Kind::Ref(_) => {}
            }
        }
        k
    }

    /// Terraform's type unification: `Ok(true)` when numbers and booleans must become strings
    /// (they are mixed with strings), `Err` when the kinds have no common type.
    fn unified(&self) -> Result<bool, ()> {
        let primitives = [self.string, self.number, self.boolean]
            .iter()
            .filter(|b| **b)
            .count();
        let collections = [self.list, self.map].iter().filter(|b| **b).count();
        if collections > 1 || (collections == 1 && primitives > 0) {
            return Err(());
        }
        match primitives {
            0 | 1 => Ok(false),
            _ if self.string => Ok(true),
            _ => Err(()),
        }
    }
}

/// A number or boolean converted to a string; other values unchanged.
fn stringify(n: Node) -> Node {
    match n.kind {
        Kind::Number(x) => Node::string(format_number(x), n.span),
        Kind::Bool(b) => Node::string(b.to_string(), n.span),
        _ => n,
    }
}

/// Converts the elements of a collection to one type as Terraform does when it builds a list,
/// set or map: strings mixed with numbers or booleans make them all strings.
fn unify(name: &str, what: &str, items: Vec<Node>) -> Result<Vec<Node>, String> {
    match Kinds::of(&items).unified() {
        Err(()) => Err(fail(name, format!("{what} must all have the same type"))),
        Ok(true) => Ok(items.into_iter().map(stringify).collect()),
        Ok(false) => Ok(items),
    }
}

/// A text identifying a known value, equal for equal values (sets and `distinct()`).
fn canonical(n: &Node) -> Result<String, String> {
    let mut out = String::new();
    canonical_into(n, 0, &mut out)?;
    Ok(out)
}

fn canonical_into(n: &Node, depth: usize, out: &mut String) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("the value is nested too deeply for resilint to evaluate".into());
    }
    match &n.kind {
        Kind::Null => out.push('z'),
        Kind::Bool(b) => out.push(if *b { 'T' } else { 'F' }),
        Kind::Number(x) => {
            let x = if *x == 0.0 { 0.0 } else { *x };
            let _ = write!(out, "n{x:?};");
        }
        Kind::String(s) => {
            let _ = write!(out, "s{}:{s}", s.len());
        }
        Kind::List(items) => {
            out.push('[');
            for i in items {
                canonical_into(i, depth + 1, out)?;
                out.push(',');
            }
            out.push(']');
        }
        Kind::Map(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for e in entries {
                let _ = write!(out, "{}:{}", e.key.len(), e.key);
                canonical_into(&e.value, depth + 1, out)?;
                out.push(',');
            }
            out.push('}');
        }
        Kind::Unknown(_) | Kind::Ref(_) => {
            return Err(n.unknown_reason().unwrap_or_default());
        }
    }
    Ok(())
}

/// How Terraform orders two set elements of the same primitive type.
fn set_order(a: &Node, b: &Node) -> Option<Ordering> {
    match (&a.kind, &b.kind) {
        (Kind::String(x), Kind::String(y)) => Some(x.cmp(y)),
        (Kind::Number(x), Kind::Number(y)) => Some(x.total_cmp(y)),
        (Kind::Bool(x), Kind::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Orders set elements as Terraform does: strings lexically, numbers numerically, `false` before
/// `true`. Other elements keep their order (Terraform's order for them is by hash).
fn sort_set(items: &mut [Node]) {
    if items.windows(2).all(|w| set_order(&w[0], &w[1]).is_some()) {
        items.sort_by(|a, b| set_order(a, b).unwrap_or(Ordering::Equal));
    }
}

/// Checks set elements: known (an unknown element could equal another) and not null.
fn set_elements(name: &str, items: &[Node]) -> Result<(), String> {
    require_known(items)?;
    if items.iter().any(Node::is_null) {
        return Err(fail(name, "a set cannot contain null values"));
    }
    Ok(())
}

/// De-duplicates and orders the (known, unified) elements of a set.
fn into_set(items: Vec<Node>) -> Result<Vec<Node>, String> {
    let mut out = dedup(items)?;
    sort_set(&mut out);
    Ok(out)
}

/// The (known, unified) elements without duplicates, first occurrences kept in order.
fn dedup(items: Vec<Node>) -> Result<Vec<Node>, String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for i in items {
        if seen.insert(canonical(&i)?) {
            out.push(i);
        }
    }
    Ok(out)
}

/// A string argument that may be known only in part.
enum Text {
    Known(String),
    /// The known segments between unknown parts: the first is the string's beginning and the
    /// last its end.
    Partial {
        segments: Vec<String>,
        reason: String,
    },
}

fn text_arg(name: &str, what: &str, n: &Node) -> Result<Text, String> {
    if let Kind::Unknown(u) = &n.kind
        && let Some(segments) = u.partial.as_deref().and_then(partial_segments)
    {
        return Ok(Text::Partial {
            segments,
            reason: u.reason.clone(),
        });
    }
    string_arg(name, what, n).map(Text::Known)
}

/// Splits the text of a partially known string at its placeholders ([`UNKNOWN_PART`] and region
/// placeholders); `None` when it has none (nothing tells where the unknown parts are).
fn partial_segments(text: &str) -> Option<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = text;
    loop {
        let q = rest.find(UNKNOWN_PART);
        let r = rest.find(REGION_PLACEHOLDER_START);
        let (start, end) = match (q, r) {
            (None, None) => {
                segments.push(rest.to_string());
                break;
            }
            (Some(q), r) if r.is_none_or(|r| q < r) => (q, q + UNKNOWN_PART.len()),
            (_, Some(r)) => match rest[r..].find('}') {
                Some(c) => (r, r + c + 1),
                None => (r, rest.len()),
            },
            (Some(_), None) => return None,
        };
        segments.push(rest[..start].to_string());
        rest = &rest[end..];
    }
    (segments.len() > 1).then_some(segments)
}

// ---------------------------------------------------------------------------------------------
// General
// ---------------------------------------------------------------------------------------------

/// `coalesce(vals...)`: the first argument that is neither null nor an empty string. An unknown
/// argument before it makes the result unknown; one after it does not matter.
fn coalesce(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    const NAME: &str = "coalesce";
    let to_string = Kinds::of(&args)
        .unified()
        .map_err(|()| fail(NAME, "all arguments must have the same type"))?;
    for a in args {
        known(&a)?;
        match &a.kind {
            Kind::Null => continue,
            Kind::String(s) if s.is_empty() => continue,
            _ => return Ok(if to_string { stringify(a) } else { a }),
        }
    }
    Err(fail(NAME, "no non-null, non-empty-string arguments"))
}

/// `sensitive(value)`: resilint does not track sensitivity.
fn sensitive(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    let [v] = take("sensitive", args)?;
    Ok(v)
}

/// `nonsensitive(value)`: resilint does not track sensitivity.
fn nonsensitive(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    let [v] = take("nonsensitive", args)?;
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// Collections
// ---------------------------------------------------------------------------------------------

/// `alltrue(list)`: a known `false` (or null) decides even when other elements are unknown.
fn alltrue(args: Vec<Node>, span: Span) -> Result<Node, String> {
    bool_fold("alltrue", args, span, false)
}

/// `anytrue(list)`: a known `true` decides even when other elements are unknown.
fn anytrue(args: Vec<Node>, span: Span) -> Result<Node, String> {
    bool_fold("anytrue", args, span, true)
}

/// Looks for a `decisive` element; without one the result is `!decisive`.
fn bool_fold(name: &str, args: Vec<Node>, span: Span, decisive: bool) -> Result<Node, String> {
    let [l] = take(name, args)?;
    let items = list_arg(name, "the list", &l)?;
    if items
        .iter()
        .any(|i| i.unknown_reason().is_none() && !i.is_null() && bool_value(i).is_none())
    {
        return Err(fail(name, "the list must contain only booleans"));
    }
    let mut unknown = None;
    for i in items {
        if let Some(r) = i.unknown_reason() {
            unknown.get_or_insert(r);
        } else if i.is_null() {
            // Terraform: a null element makes `alltrue()` false and is skipped by `anytrue()`.
            if !decisive {
                return Ok(boolean(false, span));
            }
        } else if bool_value(i) == Some(decisive) {
            return Ok(boolean(decisive, span));
        }
    }
    match unknown {
        Some(r) => Err(r),
        None => Ok(boolean(!decisive, span)),
    }
}

/// `chunklist(list, size)`: consecutive chunks of `size` elements (size 0: the list itself).
fn chunklist(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "chunklist";
    let [l, size] = take(NAME, args)?;
    let size = int_arg(NAME, "the size", &size)?;
    if size < 0 {
        return Err(fail(NAME, "the size argument must be positive"));
    }
    let items = into_list(NAME, "the list", l)?;
    if items.is_empty() {
        return Ok(list(items, span));
    }
    if size == 0 {
        return Ok(list(vec![list(items, span)], span));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let chunks = items.chunks(size).map(|c| list(c.to_vec(), span)).collect();
    Ok(list(chunks, span))
}

/// `coalescelist(lists...)`: the first non-empty list.
fn coalescelist(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    const NAME: &str = "coalescelist";
    arity_at_least(NAME, &args, 1)?;
    if args.iter().any(|a| {
        !matches!(
            a.kind,
            Kind::List(_) | Kind::Null | Kind::Unknown(_) | Kind::Ref(_)
        )
    }) {
        return Err(fail(NAME, "arguments must be lists or tuples"));
    }
    for a in args {
        known(&a)?;
        match &a.kind {
            Kind::List(items) if !items.is_empty() => return Ok(a),
            _ => continue,
        }
    }
    Err(fail(NAME, "no non-null arguments"))
}

/// `compact(list)`: the list of strings without nulls and empty strings.
fn compact(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "compact";
    let [l] = take(NAME, args)?;
    let items = into_list(NAME, "the list", l)?;
    require_known(&items)?;
    let mut out = Vec::new();
    for i in items {
        match &i.kind {
            Kind::Null => {}
            Kind::String(s) if s.is_empty() => {}
            Kind::String(_) | Kind::Number(_) | Kind::Bool(_) => out.push(stringify(i)),
            _ => return Err(fail(NAME, "the list must contain only strings")),
        }
    }
    Ok(list(out, span))
}

/// `concat(lists...)`.
fn concat(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "concat";
    arity_at_least(NAME, &args, 1)?;
    let mut out = Vec::new();
    for a in args {
        out.extend(into_list(NAME, "every argument", a)?);
    }
    Ok(list(out, span))
}

/// `contains(list, value)`: true as soon as a known element equals `value`; false only when every
/// element is known to differ.
fn contains(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "contains";
    let [l, value] = take(NAME, args)?;
    let items = list_arg(NAME, "the list", &l)?;
    if items.is_empty() {
        return Ok(boolean(false, span));
    }
    known(&value)?;
    let mut unknown = None;
    for i in items {
        match values_equal(i, &value) {
            Some(true) => return Ok(boolean(true, span)),
            Some(false) => {}
            None => {
                unknown.get_or_insert_with(|| undecided(i, &value));
            }
        }
    }
    match unknown {
        Some(r) => Err(r),
        None => Ok(boolean(false, span)),
    }
}

/// `distinct(list)`: the list without duplicates, first occurrences kept.
fn distinct(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "distinct";
    let [l] = take(NAME, args)?;
    let items = into_list(NAME, "the list", l)?;
    require_known(&items)?;
    let items = unify(NAME, "the list's elements", items)?;
    Ok(list(dedup(items)?, span))
}

/// `element(list, index)`: the index wraps around (modulo the length).
fn element(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    const NAME: &str = "element";
    let [l, index] = take(NAME, args)?;
    let index = int_arg(NAME, "the index", &index)?;
    if index < 0 {
        return Err(fail(
            NAME,
            "cannot use element function with a negative index",
        ));
    }
    let items = into_list(NAME, "the list", l)?;
    if items.is_empty() {
        return Err(fail(NAME, "cannot use element function with an empty list"));
    }
    let len = items.len() as u64;
    let k = usize::try_from(index.unsigned_abs() % len).unwrap_or(0);
    items
        .into_iter()
        .nth(k)
        .ok_or_else(|| fail(NAME, "the index is out of range"))
}

/// `flatten(list)`: nested lists replaced by their elements, recursively. An unknown element
/// could be a list, so it makes the result unknown.
fn flatten(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "flatten";
    let [l] = take(NAME, args)?;
    let items = list_arg(NAME, "the list", &l)?;
    let mut out = Vec::new();
    flatten_into(items, 0, &mut out)?;
    Ok(list(out, span))
}

fn flatten_into(items: &[Node], depth: usize, out: &mut Vec<Node>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(fail(
            "flatten",
            "the list is nested too deeply for resilint to evaluate",
        ));
    }
    for i in items {
        match &i.kind {
            Kind::List(inner) => flatten_into(inner, depth + 1, out)?,
            Kind::Unknown(_) | Kind::Ref(_) => return Err(known(i).err().unwrap_or_default()),
            _ => out.push(i.clone()),
        }
    }
    Ok(())
}

/// `index(list, value)`: the index of the first element equal to `value`. An unknown element
/// before it makes the result unknown.
fn index(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "index";
    let [l, value] = take(NAME, args)?;
    let items = list_arg(NAME, "the list", &l)?;
    if items.is_empty() {
        return Err(fail(NAME, "cannot search an empty list"));
    }
    for (k, i) in items.iter().enumerate() {
        match values_equal(i, &value) {
            Some(true) => return number(NAME, k as f64, span),
            Some(false) => {}
            None => return Err(undecided(i, &value)),
        }
    }
    Err(fail(NAME, "item not found"))
}

/// `length(value)`: of a list or map (known even when its elements are unknown), or of a string
/// in characters.
fn length(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "length";
    let [v] = take(NAME, args)?;
    known(&v)?;
    let n = match &v.kind {
        Kind::List(items) => items.len(),
        Kind::Map(m) => m.len(),
        Kind::String(s) => s.chars().count(),
        Kind::Null => return Err(fail(NAME, "the argument must not be null")),
        _ => {
            return Err(fail(
                NAME,
                "the argument must be a string, a collection type, or a structural type",
            ));
        }
    };
    number(NAME, n as f64, span)
}

/// `matchkeys(values, keys, searchset)`: the values whose key (same position) is in `searchset`.
fn matchkeys(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "matchkeys";
    let [values, keys, searchset] = take(NAME, args)?;
    let values = into_list(NAME, "`values`", values)?;
    let keys = into_list(NAME, "`keys`", keys)?;
    let searchset = into_list(NAME, "`searchset`", searchset)?;
    if values.len() != keys.len() {
        return Err(fail(NAME, "length of keys and values should be equal"));
    }
    if searchset.is_empty() {
        return Ok(list(Vec::new(), span));
    }
    require_known(keys.iter().chain(&searchset))?;
    // Terraform converts the keys and the search set to one type before comparing.
    let key_count = keys.len();
    let mut all = keys;
    all.extend(searchset);
    let all = unify(NAME, "keys and searchset elements", all)?;
    let (keys, search) = all.split_at(key_count);
    let out = values
        .into_iter()
        .zip(keys)
        .filter(|(_, k)| search.iter().any(|s| values_equal(k, s) == Some(true)))
        .map(|(v, _)| v)
        .collect();
    Ok(list(out, span))
}

/// `one(list)`: null for an empty list, the element of a one-element list, else an error.
fn one(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "one";
    let [l] = take(NAME, args)?;
    let mut items = into_list(NAME, "the argument", l)?;
    match items.len() {
        0 => Ok(null(span)),
        1 => items.pop().ok_or_else(|| fail(NAME, "the list is empty")),
        n => Err(fail(
            NAME,
            format!(
                "must be a list, set, or tuple value with either zero or one elements; it has {n}"
            ),
        )),
    }
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`.
fn range(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "range";
    arity_between(NAME, &args, 1, 3)?;
    let mut nums = Vec::with_capacity(3);
    for (a, what) in args
        .iter()
        .zip(["the first argument", "the limit", "the step"])
    {
        nums.push(number_arg(NAME, what, a)?);
    }
    let (start, end, step) = match nums[..] {
        [end] => (0.0, end, if end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (start, end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (start, end, step),
        _ => return Err(fail(NAME, "must have one, two, or three arguments")),
    };
    if step == 0.0 {
        return Err(fail(NAME, "step must not be zero"));
    }
    let down = step < 0.0;
    if down && end > start {
        return Err(fail(
            NAME,
            "end must be less than start when step is negative",
        ));
    }
    if !down && end < start {
        return Err(fail(
            NAME,
            "end must be greater than start when step is positive",
        ));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (down && x > end) || (!down && x < end) {
        if out.len() >= MAX_RANGE {
            return Err(fail(
                NAME,
                "more than 1024 values were generated; either decrease the difference between \
                 start and end or use a smaller step",
            ));
        }
        out.push(Node::new(Kind::Number(x), span));
        x += step;
    }
    Ok(list(out, span))
}

/// `reverse(list)`.
fn reverse(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "reverse";
    let [l] = take(NAME, args)?;
    let mut items = into_list(NAME, "the argument", l)?;
    items.reverse();
    Ok(list(items, span))
}

/// The arguments of a set function as sets of one element type.
fn set_operands(name: &str, args: Vec<Node>) -> Result<Vec<Vec<Node>>, String> {
    let mut sizes = Vec::with_capacity(args.len());
    let mut all = Vec::new();
    for a in args {
        let items = into_list(name, "every argument", a)?;
        set_elements(name, &items)?;
        sizes.push(items.len());
        all.extend(items);
    }
    let mut all = unify(name, "the sets' elements", all)?.into_iter();
    Ok(sizes
        .into_iter()
        .map(|n| all.by_ref().take(n).collect())
        .collect())
}

/// `setunion(sets...)`.
fn setunion(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "setunion";
    arity_at_least(NAME, &args, 1)?;
    let sets = set_operands(NAME, args)?;
    Ok(list(into_set(sets.into_iter().flatten().collect())?, span))
}

/// `setintersection(sets...)`.
fn setintersection(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "setintersection";
    arity_at_least(NAME, &args, 1)?;
    let mut sets = set_operands(NAME, args)?.into_iter();
    let first = sets.next().unwrap_or_default();
    let others = sets
        .map(|s| s.iter().map(canonical).collect::<Result<HashSet<_>, _>>())
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for i in first {
        let key = canonical(&i)?;
        if others.iter().all(|o| o.contains(&key)) {
            out.push(i);
        }
    }
    Ok(list(into_set(out)?, span))
}

/// `setsubtract(a, b)`: the elements of `a` not in `b`.
fn setsubtract(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "setsubtract";
    let [a, b] = take(NAME, args)?;
    let mut sets = set_operands(NAME, vec![a, b])?.into_iter();
    let (a, b) = (
        sets.next().unwrap_or_default(),
        sets.next().unwrap_or_default(),
    );
    let remove = b.iter().map(canonical).collect::<Result<HashSet<_>, _>>()?;
    let mut out = Vec::new();
    for i in a {
        if !remove.contains(&canonical(&i)?) {
            out.push(i);
        }
    }
    Ok(list(into_set(out)?, span))
}

/// `slice(list, start, end)`: the elements from `start` (inclusive) to `end` (exclusive).
fn slice(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "slice";
    let [l, start, end] = take(NAME, args)?;
    let start = int_arg(NAME, "the start index", &start)?;
    let end = int_arg(NAME, "the end index", &end)?;
    if start < 0 {
        return Err(fail(NAME, "start index must not be less than zero"));
    }
    if end < 0 {
        return Err(fail(NAME, "end index must not be less than zero"));
    }
    let items = into_list(NAME, "the list", l)?;
    let len = items.len() as i64;
    if start > len {
        return Err(fail(
            NAME,
            "start index must not be greater than the length of the list",
        ));
    }
    if end > len {
        return Err(fail(
            NAME,
            "end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(fail(NAME, "start index must not be greater than end index"));
    }
    let (start, count) = (start as usize, (end - start) as usize);
    Ok(list(
        items.into_iter().skip(start).take(count).collect(),
        span,
    ))
}

/// `sort(list)`: the strings in lexical order (numbers and booleans convert to strings).
fn sort(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "sort";
    let [l] = take(NAME, args)?;
    let items = into_list(NAME, "the list", l)?;
    require_known(&items)?;
    let mut out = Vec::with_capacity(items.len());
    for (k, i) in items.into_iter().enumerate() {
        match i.kind {
            Kind::Null => {
                return Err(fail(
                    NAME,
                    format!("given list element {k} is null; a null string cannot be sorted"),
                ));
            }
            Kind::String(_) | Kind::Number(_) | Kind::Bool(_) => out.push(stringify(i)),
            _ => return Err(fail(NAME, "the list must contain only strings")),
        }
    }
    out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    Ok(list(out, span))
}

/// `sum(list)`.
fn sum(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "sum";
    let [l] = take(NAME, args)?;
    let items = list_arg(NAME, "the argument", &l)?;
    if items.is_empty() {
        return Err(fail(NAME, "cannot sum an empty list"));
    }
    require_known(items)?;
    let mut total = 0.0;
    for i in items {
        total += number_value(i).ok_or_else(|| {
            fail(
                NAME,
                "argument must be list, set, or tuple of number values",
            )
        })?;
    }
    number(NAME, total, span)
}

// ---------------------------------------------------------------------------------------------
// Maps
// ---------------------------------------------------------------------------------------------

/// `keys(map)`: the keys in lexical order (known even when the values are unknown).
fn keys(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "keys";
    let [m] = take(NAME, args)?;
    let m = map_arg(NAME, "the argument", &m)?;
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    let ks = entries
        .into_iter()
        .map(|e| Node::string(e.key.clone(), e.key_span))
        .collect();
    Ok(list(ks, span))
}

/// `lookup(map, key, default?)`.
fn lookup(args: Vec<Node>, _span: Span) -> Result<Node, String> {
    const NAME: &str = "lookup";
    arity_between(NAME, &args, 2, 3)?;
    let mut args = args.into_iter();
    let (Some(m), Some(key), default) = (args.next(), args.next(), args.next()) else {
        return Err(fail(NAME, "takes 2 or 3 arguments"));
    };
    let m = map_arg(NAME, "the first argument", &m)?;
    let key = string_arg(NAME, "the key", &key)?;
    match (m.get(&key), default) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default),
        (None, None) => Err(fail(NAME, format!("lookup failed to find key {key:?}"))),
    }
}

/// `merge(maps...)`: later keys win; null arguments are skipped.
fn merge(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "merge";
    let mut out = Map::default();
    for a in args {
        known(&a)?;
        match a.kind {
            Kind::Map(m) => {
                for e in m.into_entries() {
                    out.insert(e.key, e.key_span, e.value);
                }
            }
            Kind::Null => {}
            _ => {
                return Err(fail(
                    NAME,
                    format!("arguments must be maps or objects, not a {}", type_name(&a)),
                ));
            }
        }
    }
    Ok(Node::new(Kind::Map(out), span))
}

/// `values(map)`: the values in the lexical order of their keys.
fn values(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "values";
    let [m] = take(NAME, args)?;
    map_arg(NAME, "the argument", &m)?;
    let Kind::Map(m) = m.kind else {
        return Err(fail(NAME, "the argument must be a map"));
    };
    let mut entries = m.into_entries();
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(list(entries.into_iter().map(|e| e.value).collect(), span))
}

/// `zipmap(keys, values)`.
fn zipmap(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "zipmap";
    let [ks, vs] = take(NAME, args)?;
    let ks = list_arg(NAME, "the keys", &ks)?;
    let mut names = Vec::with_capacity(ks.len());
    for (k, key) in ks.iter().enumerate() {
        known(key)?;
        if key.is_null() {
            return Err(fail(NAME, format!("keys list has null value at index {k}")));
        }
        let name = key
            .as_str()
            .ok_or_else(|| fail(NAME, "the keys must be strings"))?;
        names.push((name.into_owned(), key.span));
    }
    let vs = into_list(NAME, "the values", vs)?;
    if names.len() != vs.len() {
        return Err(fail(
            NAME,
            format!(
                "number of keys ({}) does not match number of values ({})",
                names.len(),
                vs.len()
            ),
        ));
    }
    let mut out = Map::default();
    for ((key, key_span), v) in names.into_iter().zip(vs) {
        out.insert(key, key_span, v);
    }
    Ok(Node::new(Kind::Map(out), span))
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/// A function of one string.
fn string_fn(
    name: &str,
    args: Vec<Node>,
    span: Span,
    f: impl FnOnce(&str) -> String,
) -> Result<Node, String> {
    let [s] = take(name, args)?;
    let s = string_arg(name, "the argument", &s)?;
    Ok(Node::string(f(&s), span))
}

/// The two string arguments of a function.
fn two_strings(name: &str, args: Vec<Node>, second: &str) -> Result<(String, String), String> {
    let [a, b] = take(name, args)?;
    Ok((
        string_arg(name, "the string", &a)?,
        string_arg(name, second, &b)?,
    ))
}

fn lower(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("lower", args, span, |s| s.chars().map(go_lower).collect())
}

fn upper(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("upper", args, span, |s| s.chars().map(go_upper).collect())
}

/// Go's `unicode.ToUpper`: a character's simple upper case (`ß` stays `ß`; Rust's full mapping
/// would make it `SS`).
fn go_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`: a character's simple lower case, without Rust's context-dependent
/// final sigma (`İ` becomes `i`).
fn go_lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// `title(str)`: the first letter of every word upper-cased (Go's `strings.Title`).
fn title(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("title", args, span, |s| {
        let mut out = String::with_capacity(s.len());
        let mut after_separator = true;
        for c in s.chars() {
            out.push(if after_separator { go_upper(c) } else { c });
            after_separator = is_word_separator(c);
        }
        out
    })
}

/// Go's `strings.Title` word separators.
fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    !(c.is_alphabetic() || c.is_numeric()) && c.is_whitespace()
}

fn trimspace(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("trimspace", args, span, |s| s.trim().to_string())
}

/// `dirname(path)`: all but the last part of a path (`.` when there is one part), as Go's
/// `filepath.Dir` gives it.
fn dirname(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("dirname", args, span, |s| {
        let trimmed = s.trim_end_matches('/');
        match trimmed.rfind('/') {
            Some(0) => "/".to_string(),
            Some(i) => trimmed[..i].trim_end_matches('/').to_string(),
            None if s.starts_with('/') => "/".to_string(),
            None => ".".to_string(),
        }
    })
}

/// `basename(path)`: the last part of a path.
fn basename(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("basename", args, span, |s| {
        let trimmed = s.trim_end_matches('/');
        match trimmed.rsplit_once('/') {
            Some((_, last)) => last.to_string(),
            None if trimmed.is_empty() && s.starts_with('/') => "/".to_string(),
            None if trimmed.is_empty() => ".".to_string(),
            None => trimmed.to_string(),
        }
    })
}

/// `chomp(str)`: the string without trailing newlines (`\n`, `\r\n`, `\r`).
fn chomp(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("chomp", args, span, |s| {
        s.trim_end_matches(['\r', '\n']).to_string()
    })
}

/// `trim(str, cutset)`: the string without leading and trailing characters of `cutset`.
fn trim(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let (s, cutset) = two_strings("trim", args, "the cutset")?;
    Ok(Node::string(
        s.trim_matches(|c| cutset.contains(c)).to_string(),
        span,
    ))
}

fn trimprefix(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let (s, prefix) = two_strings("trimprefix", args, "the prefix")?;
    let out = s.strip_prefix(prefix.as_str()).unwrap_or(&s).to_string();
    Ok(Node::string(out, span))
}

fn trimsuffix(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let (s, suffix) = two_strings("trimsuffix", args, "the suffix")?;
    let out = s.strip_suffix(suffix.as_str()).unwrap_or(&s).to_string();
    Ok(Node::string(out, span))
}

/// `indent(spaces, str)`: spaces added before every line but the first.
fn indent(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "indent";
    let [spaces, s] = take(NAME, args)?;
    let spaces = int_arg(NAME, "the number of spaces", &spaces)?;
    let s = string_arg(NAME, "the string", &s)?;
    let spaces = usize::try_from(spaces)
        .map_err(|_| fail(NAME, "the number of spaces must not be negative"))?;
    let lines = s.matches('\n').count();
    if spaces.saturating_mul(lines).saturating_add(s.len()) > MAX_STRING_LEN {
        return Err(too_large(NAME));
    }
    let pad = format!("\n{}", " ".repeat(spaces));
    Ok(Node::string(s.replace('\n', &pad), span))
}

/// `join(separator, lists...)`. Unknown elements make a partially known string.
fn join(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "join";
    arity_at_least(NAME, &args, 2)?;
    let mut args = args.into_iter();
    let sep = string_arg(
        NAME,
        "the separator",
        &args.next().unwrap_or_else(|| null(span)),
    )?;
    let mut out = PartialText::default();
    let mut first = true;
    for (k, l) in args.enumerate() {
        let items = list_arg(NAME, "every list", &l)?;
        for (e, i) in items.iter().enumerate() {
            if !first {
                out.text.push_str(&sep);
            }
            first = false;
            if let Some(r) = unknown_reason_in(i) {
                out.push_value(i, r);
            } else if i.is_null() {
                return Err(fail(
                    NAME,
                    format!(
                        "element {e} of list {} is null; cannot concatenate null values",
                        k + 1
                    ),
                ));
            } else {
                let s = i
                    .as_str()
                    .ok_or_else(|| fail(NAME, "the lists must contain only strings"))?;
                out.text.push_str(&s);
            }
            if out.text.len() > MAX_STRING_LEN {
                return Err(too_large(NAME));
            }
        }
    }
    Ok(out.finish(span))
}

/// `split(separator, str)`.
fn split(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "split";
    let [sep, s] = take(NAME, args)?;
    let sep = string_arg(NAME, "the separator", &sep)?;
    let s = string_arg(NAME, "the string", &s)?;
    let parts: Vec<&str> = if sep.is_empty() {
        // Go splits into characters (and an empty string into nothing).
        s.char_indices()
            .map(|(i, c)| &s[i..i + c.len_utf8()])
            .take(MAX_LIST_LEN + 1)
            .collect()
    } else {
        s.split(sep.as_str()).take(MAX_LIST_LEN + 1).collect()
    };
    if parts.len() > MAX_LIST_LEN {
        return Err(too_large(NAME));
    }
    Ok(list(
        parts.into_iter().map(|p| Node::string(p, span)).collect(),
        span,
    ))
}

/// `substr(str, offset, length)`: in characters; a negative offset counts from the end, a
/// negative length takes the rest.
fn substr(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "substr";
    let [s, offset, length] = take(NAME, args)?;
    let s = string_arg(NAME, "the string", &s)?;
    let mut offset = int_arg(NAME, "the offset", &offset)?;
    let length = int_arg(NAME, "the length", &length)?;
    if offset < 0 {
        offset = offset.saturating_add(s.chars().count() as i64);
    } else if length == 0 {
        return Ok(Node::string("", span));
    }
    // Terraform quirk: a length of 0 with a negative offset takes the rest of the string.
    let skip = usize::try_from(offset.max(0)).unwrap_or(usize::MAX);
    let rest = s.chars().skip(skip);
    let out: String = match usize::try_from(length) {
        Ok(n) if n > 0 => rest.take(n).collect(),
        _ => rest.collect(),
    };
    Ok(Node::string(out, span))
}

/// `startswith(str, prefix)`: also decided by the known beginning of a partially known string.
fn startswith(args: Vec<Node>, span: Span) -> Result<Node, String> {
    affix("startswith", args, span, true)
}

/// `endswith(str, suffix)`: also decided by the known end of a partially known string.
fn endswith(args: Vec<Node>, span: Span) -> Result<Node, String> {
    affix("endswith", args, span, false)
}

fn affix(name: &str, args: Vec<Node>, span: Span, start: bool) -> Result<Node, String> {
    let [s, affix] = take(name, args)?;
    let affix = string_arg(
        name,
        if start { "the prefix" } else { "the suffix" },
        &affix,
    )?;
    match text_arg(name, "the string", &s)? {
        Text::Known(s) => Ok(boolean(
            if start {
                s.starts_with(&affix)
            } else {
                s.ends_with(&affix)
            },
            span,
        )),
        Text::Partial { segments, reason } => {
            let edge = if start {
                segments.first()
            } else {
                segments.last()
            };
            let edge = edge.map(String::as_bytes).unwrap_or_default();
            let affix = affix.as_bytes();
            let n = edge.len().min(affix.len());
            let agree = if start {
                edge[..n] == affix[..n]
            } else {
                edge[edge.len() - n..] == affix[affix.len() - n..]
            };
            if !agree {
                Ok(boolean(false, span))
            } else if edge.len() >= affix.len() {
                Ok(boolean(true, span))
            } else {
                Err(reason)
            }
        }
    }
}

/// `strcontains(str, substr)`: also true when a known part of a partially known string
/// contains `substr`.
fn strcontains(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "strcontains";
    let [s, sub] = take(NAME, args)?;
    let sub = string_arg(NAME, "the substring", &sub)?;
    match text_arg(NAME, "the string", &s)? {
        Text::Known(s) => Ok(boolean(s.contains(&sub), span)),
        Text::Partial { segments, reason } => {
            if segments.iter().any(|seg| seg.contains(&sub)) {
                Ok(boolean(true, span))
            } else {
                Err(reason)
            }
        }
    }
}

/// `replace(str, substr, replacement)`: `substr` wrapped in slashes is a regular expression, and
/// the replacement may then refer to groups (`$1`, `${name}`).
fn replace(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "replace";
    let [s, sub, rep] = take(NAME, args)?;
    let s = string_arg(NAME, "the string", &s)?;
    let sub = string_arg(NAME, "the substring", &sub)?;
    let rep = string_arg(NAME, "the replacement", &rep)?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let re = compile_regex(NAME, &sub[1..sub.len() - 1])?;
        // Groups lie within the match: this bounds one expansion before it is made.
        let refs = rep.matches('$').count();
        let mut out = String::new();
        let mut last = 0;
        for caps in re.captures_iter(&s) {
            let Some(m) = caps.get(0) else { continue };
            out.push_str(s.get(last..m.start()).unwrap_or_default());
            let bound = refs.saturating_mul(m.len()).saturating_add(rep.len());
            if out.len().saturating_add(bound) > MAX_STRING_LEN {
                return Err(too_large(NAME));
            }
            caps.expand(&rep, &mut out);
            last = m.end();
        }
        out.push_str(s.get(last..).unwrap_or_default());
        return Ok(Node::string(out, span));
    }
    let count = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(sub.as_str()).count()
    };
    let size = s
        .len()
        .saturating_add(count.saturating_mul(rep.len()))
        .saturating_sub(count.saturating_mul(sub.len()));
    if size > MAX_STRING_LEN {
        return Err(too_large(NAME));
    }
    Ok(Node::string(s.replace(sub.as_str(), &rep), span))
}

// ---------------------------------------------------------------------------------------------
// Regular expressions
// ---------------------------------------------------------------------------------------------

/// Compiles a Terraform (Go RE2) pattern with the `regex` crate, which reads the same syntax
/// except that its `\d`, `\w`, `\s` and `\b` are Unicode-aware; they are rewritten to Go's
/// ASCII meaning.
fn compile_regex(name: &str, pattern: &str) -> Result<Regex, String> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(fail(
            name,
            "the pattern is too long for resilint to evaluate",
        ));
    }
    let invalid = |e: &str| fail(name, format!("invalid regexp pattern {pattern:?}: {e}"));
    let translated = go_pattern(pattern).map_err(|e| invalid(&e))?;
    Regex::new(&translated).map_err(|e| {
        let msg = e.to_string();
        invalid(msg.lines().last().unwrap_or_default().trim())
    })
}

/// Rewrites a Go pattern for the `regex` crate (see [`compile_regex`]). Inside a character class,
/// `[` and the set operators `&&`, `~~` of the `regex` crate are literal in Go, so they are
/// escaped.
fn go_pattern(pattern: &str) -> Result<String, String> {
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = r"\t\n\f\r ";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err("trailing backslash at end of expression".into());
                };
                let set = match e {
                    'd' | 'D' => Some(DIGIT),
                    'w' | 'W' => Some(WORD),
                    's' | 'S' => Some(SPACE),
                    _ => None,
                };
                match (set, e.is_ascii_uppercase(), in_class) {
                    (Some(set), false, true) => out.push_str(set),
                    (Some(set), false, false) => {
                        let _ = write!(out, "[{set}]");
                    }
                    // A negated class nested in a class is a union in the `regex` crate.
                    (Some(set), true, _) => {
                        let _ = write!(out, "[^{set}]");
                    }
                    (None, ..) if matches!(e, 'b' | 'B') && !in_class => {
                        let _ = write!(out, r"(?-u:\{e})");
                    }
                    (None, ..) if matches!(e, '<' | '>') => {
                        return Err(format!("invalid escape sequence: \\{e}"));
                    }
                    (None, ..) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if in_class => {
                if chars.peek() == Some(&':') {
                    // A POSIX class (`[:alpha:]`), copied through its closing `:]`.
                    out.push('[');
                    let mut prev = '[';
                    loop {
                        let Some(p) = chars.next() else {
                            return Err("missing closing ]".into());
                        };
                        out.push(p);
                        if prev == ':' && p == ']' {
                            break;
                        }
                        prev = p;
                    }
                } else {
                    out.push_str(r"\[");
                }
            }
            '[' => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                // A `]` first in a class is literal.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str(r"\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// What `regex()` returns for a pattern.
#[derive(Clone, Copy)]
enum Shape {
    /// No capture groups: the match.
    Whole,
    /// Unnamed groups: a list of them.
    Unnamed,
    /// Named groups: a map of them.
    Named,
}

fn regex_shape(name: &str, re: &Regex) -> Result<Shape, String> {
    let (mut named, mut unnamed) = (0, 0);
    for n in re.capture_names().skip(1) {
        if n.is_some() {
            named += 1;
        } else {
            unnamed += 1;
        }
    }
    match (named, unnamed) {
        (0, 0) => Ok(Shape::Whole),
        (0, _) => Ok(Shape::Unnamed),
        (_, 0) => Ok(Shape::Named),
        _ => Err(fail(
            name,
            "invalid regexp pattern: cannot mix both named and unnamed capture groups",
        )),
    }
}

/// A match as Terraform returns it; a group that did not participate is null.
fn capture_value(re: &Regex, caps: &Captures, shape: Shape, span: Span) -> Node {
    let group = |m: Option<Match>| match m {
        Some(m) => Node::string(m.as_str(), span),
        None => null(span),
    };
    match shape {
        Shape::Whole => group(caps.get(0)),
        Shape::Unnamed => list(caps.iter().skip(1).map(group).collect(), span),
        Shape::Named => {
            let mut m = Map::default();
            for (i, n) in re.capture_names().enumerate().skip(1) {
                if let Some(n) = n {
                    m.insert(n.to_string(), span, group(caps.get(i)));
                }
            }
            Node::new(Kind::Map(m), span)
        }
    }
}

/// `regex(pattern, string)`: the first match (see [`Shape`]); no match is an error.
fn regex(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "regex";
    let [pattern, s] = take(NAME, args)?;
    let pattern = string_arg(NAME, "the pattern", &pattern)?;
    let re = compile_regex(NAME, &pattern)?;
    let shape = regex_shape(NAME, &re)?;
    let s = string_arg(NAME, "the string", &s)?;
    match re.captures(&s) {
        Some(caps) => Ok(capture_value(&re, &caps, shape, span)),
        None => Err(fail(
            NAME,
            format!("pattern {pattern:?} did not match any part of the given string"),
        )),
    }
}

/// `regexall(pattern, string)`: every match (see [`Shape`]).
fn regexall(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "regexall";
    let [pattern, s] = take(NAME, args)?;
    let pattern = string_arg(NAME, "the pattern", &pattern)?;
    let re = compile_regex(NAME, &pattern)?;
    let shape = regex_shape(NAME, &re)?;
    let s = string_arg(NAME, "the string", &s)?;
    let mut out = Vec::new();
    for caps in re.captures_iter(&s) {
        if out.len() >= MAX_LIST_LEN {
            return Err(too_large(NAME));
        }
        out.push(capture_value(&re, &caps, shape, span));
    }
    Ok(list(out, span))
}

// ---------------------------------------------------------------------------------------------
// format() and formatlist()
// ---------------------------------------------------------------------------------------------

/// `format(spec, values...)`: Terraform's verbs `%v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q
/// %%` with flags (`-+ 0#`), width, precision and explicit argument indexes (`%[2]s`).
fn format(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "format";
    arity_at_least(NAME, &args, 1)?;
    let spec = string_arg(NAME, "the format", &args[0])?;
    format_node(&spec, &args[1..], span).map_err(|e| fail(NAME, e))
}

/// `formatlist(spec, values...)`: `format()` for each element of the list arguments (which must
/// have one length); other arguments repeat.
fn formatlist(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "formatlist";
    arity_at_least(NAME, &args, 1)?;
    let spec = string_arg(NAME, "the format", &args[0])?;
    let values = &args[1..];
    let mut len: Option<(usize, usize)> = None;
    for (i, a) in values.iter().enumerate() {
        known(a)?;
        if let Kind::List(items) = &a.kind {
            match len {
                None => len = Some((items.len(), i)),
                Some((l, j)) if l != items.len() => {
                    return Err(fail(
                        NAME,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} \
                             of length {l}",
                            i + 2,
                            items.len(),
                            j + 2
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let n = len.map_or(1, |(l, _)| l);
    let mut out = Vec::with_capacity(n.min(MAX_LIST_LEN));
    let mut total = 0usize;
    for k in 0..n {
        let row: Vec<Node> = values
            .iter()
            .map(|a| match &a.kind {
                Kind::List(items) => items.get(k).cloned().unwrap_or_else(|| null(a.span)),
                _ => a.clone(),
            })
            .collect();
        let item = format_node(&spec, &row, span)
            .map_err(|e| fail(NAME, format!("error on format iteration {k}: {e}")))?;
        total += item.partial_str().map_or(0, |s| s.len());
        if total > 4 * MAX_STRING_LEN {
            return Err(too_large(NAME));
        }
        out.push(item);
    }
    Ok(list(out, span))
}

/// Formats `args` by `spec`. An unknown argument makes the result unknown (a partially known
/// string where the layout allows); errors are then not reported, as in Terraform.
fn format_node(spec: &str, args: &[Node], span: Span) -> Result<Node, String> {
    match format_text(spec, args) {
        Ok(out) => Ok(out.finish(span)),
        Err(e) => match args.iter().find_map(unknown_reason_in) {
            Some(reason) => Ok(Node::unknown(reason, span)),
            None => Err(e),
        },
    }
}

/// One `%` verb of a format string.
#[derive(Default)]
struct Verb<'a> {
    raw: &'a str,
    offset: usize,
    /// 1-based argument index.
    arg: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    minus: bool,
    plus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn format_text(spec: &str, args: &[Node]) -> Result<PartialText, String> {
    let bytes = spec.as_bytes();
    let mut out = PartialText::default();
    let (mut i, mut literal, mut next_arg, mut highest) = (0, 0, 1usize, 0usize);
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.text.push_str(&spec[literal..i]);
        if bytes.get(i + 1) == Some(&b'%') {
            out.text.push('%');
            i += 2;
            literal = i;
            continue;
        }
        let verb = parse_verb(spec, i, next_arg)?;
        highest = highest.max(verb.arg);
        let arg = verb
            .arg
            .checked_sub(1)
            .and_then(|k| args.get(k))
            .ok_or_else(|| {
                format!(
                    "not enough arguments for {:?} at {}: need index {} but have {} total",
                    verb.raw,
                    verb.offset,
                    verb.arg,
                    args.len()
                )
            })?;
        match unknown_reason_in(arg) {
            Some(reason) => {
                if verb.width.is_some() || verb.prec.is_some() {
                    out.lose_layout();
                }
                out.push_value(arg, reason);
            }
            None => format_verb(&verb, arg, &mut out.text)?,
        }
        if out.text.len() > MAX_STRING_LEN {
            return Err("the result is too large for resilint to evaluate".into());
        }
        next_arg = verb.arg.saturating_add(1);
        i = verb.offset + verb.raw.len();
        literal = i;
    }
    out.text.push_str(&spec[literal..]);
    if highest < args.len() {
        return Err(if highest == 0 {
            "too many arguments; no verbs in format string".into()
        } else {
            format!("too many arguments; only {highest} used by format string")
        });
    }
    Ok(out)
}

/// Parses the verb starting with the `%` at `start`: flags, width, precision, argument index,
/// letter.
fn parse_verb(spec: &str, start: usize, next_arg: usize) -> Result<Verb<'_>, String> {
    let bytes = spec.as_bytes();
    let unexpected = |i: usize| match spec.get(i..).and_then(|s| s.chars().next()) {
        Some(c) => format!("unrecognized format character {c:?} at offset {i}"),
        None => format!("invalid format string starting at offset {start}"),
    };
    let mut v = Verb {
        offset: start,
        arg: next_arg,
        ..Verb::default()
    };
    let mut i = start + 1;
    while let Some(b) = bytes.get(i) {
        match b {
            b'0' => v.zero = true,
            b'#' => v.sharp = true,
            b'-' => v.minus = true,
            b'+' => v.plus = true,
            b' ' => v.space = true,
            _ => break,
        }
        i += 1;
    }
    if matches!(bytes.get(i), Some(b'1'..=b'9')) {
        let (n, j) = decimal(bytes, i)?;
        if n > MAX_STRING_LEN {
            return Err("the width is too large for resilint to evaluate".into());
        }
        v.width = Some(n);
        i = j;
    }
    if bytes.get(i) == Some(&b'.') {
        let (n, j) = decimal(bytes, i + 1)?;
        if n > MAX_PRECISION {
            return Err("the precision is too large for resilint to evaluate".into());
        }
        v.prec = Some(n);
        i = j;
    }
    if bytes.get(i) == Some(&b'[') {
        if !matches!(bytes.get(i + 1), Some(b'1'..=b'9')) {
            return Err(unexpected(i + 1));
        }
        let (n, j) = decimal(bytes, i + 1)?;
        if bytes.get(j) != Some(&b']') {
            return Err(unexpected(j));
        }
        v.arg = n;
        i = j + 1;
    }
    match bytes.get(i) {
        Some(b) if b.is_ascii_alphabetic() => v.mode = char::from(*b),
        _ => return Err(unexpected(i)),
    }
    v.raw = &spec[start..=i];
    Ok(v)
}

/// The decimal number at `i` (possibly empty, 0) and the index after it.
fn decimal(bytes: &[u8], mut i: usize) -> Result<(usize, usize), String> {
    let mut n = 0usize;
    while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(usize::from(b - b'0')))
            .ok_or("a number in the format string is too large")?;
        i += 1;
    }
    Ok((n, i))
}

fn format_verb(v: &Verb, arg: &Node, out: &mut String) -> Result<(), String> {
    let unsupported =
        |why: &str| format!("unsupported value for {:?} at {}: {why}", v.raw, v.offset);
    if v.mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted"));
    }
    match v.mode {
        'v' => {
            let text = match (&arg.kind, v.sharp) {
                (Kind::String(s), false) => Cow::Borrowed(s.as_str()),
                (Kind::Number(x), false) if x.is_finite() => Cow::Owned(float_text(*x, 'g', None)),
                _ => Cow::Owned(json_encode(arg).map_err(|e| unsupported(&e))?),
            };
            pad(v, &text, out);
        }
        't' => {
            let b = bool_value(arg).ok_or_else(|| unsupported("a bool is required"))?;
            out.push_str(if b { "true" } else { "false" });
        }
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let x = number_value(arg).ok_or_else(|| unsupported("a number is required"))?;
            format_integer(v, x, out).map_err(|e| unsupported(&e))?;
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let x = number_value(arg).ok_or_else(|| unsupported("a number is required"))?;
            format_float(v, x, out);
        }
        's' | 'q' => {
            let s = arg
                .as_str()
                .ok_or_else(|| unsupported("a string is required"))?;
            // Terraform truncates to a positive precision (in characters).
            let s = match v.prec {
                Some(p) if p > 0 => match s.char_indices().nth(p) {
                    Some((end, _)) => &s[..end],
                    None => &s,
                },
                _ => &s,
            };
            if v.mode == 's' {
                pad(v, s, out);
            } else {
                let mut q = String::new();
                json_quote_into(s, &mut q);
                pad(v, &q, out);
            }
        }
        m => {
            return Err(format!(
                "unsupported format verb {m:?} in {:?} at offset {}",
                v.raw, v.offset
            ));
        }
    }
    Ok(())
}

/// Pads to the verb's width (in characters) with spaces or zeros, on the left or (`-`) right.
fn pad(v: &Verb, s: &str, out: &mut String) {
    let missing = v.width.map_or(0, |w| w.saturating_sub(s.chars().count()));
    let fill = if v.zero { '0' } else { ' ' };
    if !v.minus {
        out.extend(std::iter::repeat_n(fill, missing));
    }
    out.push_str(s);
    if v.minus {
        out.extend(std::iter::repeat_n(fill, missing));
    }
}

/// `%b %d %o %x %X` as Go formats a big integer.
fn format_integer(v: &Verb, x: f64, out: &mut String) -> Result<(), String> {
    if x.fract() != 0.0 {
        return Err("an integer is required".into());
    }
    let a = x.abs();
    let digits = if a < 2f64.powi(128) {
        let n = a as u128;
        match v.mode {
            'b' => format!("{n:b}"),
            'o' => format!("{n:o}"),
            'x' => format!("{n:x}"),
            'X' => format!("{n:X}"),
            _ => n.to_string(),
        }
    } else if v.mode == 'd' {
        format!("{a:.0}")
    } else {
        return Err("the number is too large for resilint to format".into());
    };
    let sign = if x < 0.0 {
        "-"
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let prefix = match (v.sharp, v.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(p) = v.prec {
        if digits.len() < p {
            zeros = p - digits.len();
        } else if digits == "0" && p == 0 {
            return Ok(());
        }
    }
    let len = sign.len() + prefix.len() + zeros + digits.len();
    let (mut left, mut right) = (0, 0);
    if let Some(w) = v.width
        && len < w
    {
        let d = w - len;
        if v.minus {
            right = d;
        } else if v.zero && v.prec.is_none() {
            zeros = d;
        } else {
            left = d;
        }
    }
    out.extend(std::iter::repeat_n(' ', left));
    out.push_str(sign);
    out.push_str(prefix);
    out.extend(std::iter::repeat_n('0', zeros));
    out.push_str(&digits);
    out.extend(std::iter::repeat_n(' ', right));
    Ok(())
}

/// `%e %E %f %g %G` as Go formats a big float.
fn format_float(v: &Verb, x: f64, out: &mut String) {
    let body = float_text(x.abs(), v.mode, v.prec);
    let sign = if x.is_sign_negative() {
        "-"
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let missing = v
        .width
        .map_or(0, |w| w.saturating_sub(sign.len() + body.len()));
    if v.minus {
        out.push_str(sign);
        out.push_str(&body);
        out.extend(std::iter::repeat_n(' ', missing));
    } else if v.zero {
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', missing));
        out.push_str(&body);
    } else {
        out.extend(std::iter::repeat_n(' ', missing));
        out.push_str(sign);
        out.push_str(&body);
    }
}

/// A finite number in Go's `%e`, `%f` or `%g` (default precisions 6, 6 and shortest); the sign
/// is written only for `%g` without a precision (`%v`).
fn float_text(x: f64, mode: char, prec: Option<usize>) -> String {
    match mode {
        'e' | 'E' => {
            let s = format!("{:.*e}", prec.unwrap_or(6), x.abs());
            go_exponent(&s, mode)
        }
        'f' => format!("{:.*}", prec.unwrap_or(6), x.abs()),
        _ => {
            let sign = if x.is_sign_negative() && prec.is_none() {
                "-"
            } else {
                ""
            };
            format!("{sign}{}", go_g(x.abs(), prec, mode == 'G'))
        }
    }
}

/// Rust's `1.5e3` as Go's `1.5e+03`.
fn go_exponent(s: &str, e: char) -> String {
    let Some((mantissa, exp)) = s.split_once('e') else {
        return s.to_string();
    };
    let exp: i64 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{e}{sign}{:02}", exp.unsigned_abs())
}

/// Go's `%g` of a non-negative finite number (`math/big`'s rules: with the shortest precision,
/// exponents from -4 to 5 are written without exponent).
fn go_g(a: f64, prec: Option<usize>, upper: bool) -> String {
    if a == 0.0 {
        return "0".into();
    }
    let raw = match prec {
        None => format!("{a:e}"),
        Some(p) => format!("{:.*e}", p.max(1) - 1, a),
    };
    let (mantissa, exp) = raw.split_once('e').unwrap_or((&raw, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    let nd = digits.len() as i64;
    let dp = exp + 1;
    let mut p = prec.map_or(nd, |p| p.max(1) as i64);
    let mut eprec = p;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let digit = |i: i64| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i))
            .map_or('0', |d| char::from(*d))
    };
    let mut out = String::new();
    if exp < -4 || exp >= eprec {
        p = p.min(nd);
        out.push(digit(0));
        if p > 1 {
            out.push('.');
            (1..p).for_each(|i| out.push(digit(i)));
        }
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(
            out,
            "{}{sign}{:02}",
            if upper { 'E' } else { 'e' },
            exp.unsigned_abs()
        );
    } else {
        if p > dp {
            p = nd;
        }
        if dp > 0 {
            (0..dp).for_each(|i| out.push(digit(i)));
        } else {
            out.push('0');
        }
        let decimals = (p - dp).max(0);
        if decimals > 0 {
            out.push('.');
            (0..decimals).for_each(|i| out.push(digit(dp + i)));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// A function of one number.
fn number_fn(name: &str, args: Vec<Node>, span: Span, f: fn(f64) -> f64) -> Result<Node, String> {
    let [x] = take(name, args)?;
    let x = number_arg(name, "the argument", &x)?;
    number(name, f(x), span)
}

fn abs(args: Vec<Node>, span: Span) -> Result<Node, String> {
    number_fn("abs", args, span, f64::abs)
}

fn ceil(args: Vec<Node>, span: Span) -> Result<Node, String> {
    number_fn("ceil", args, span, f64::ceil)
}

fn floor(args: Vec<Node>, span: Span) -> Result<Node, String> {
    number_fn("floor", args, span, f64::floor)
}

fn signum(args: Vec<Node>, span: Span) -> Result<Node, String> {
    number_fn("signum", args, span, |x| {
        if x == 0.0 { 0.0 } else { x.signum() }
    })
}

fn pow(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "pow";
    let [x, y] = take(NAME, args)?;
    let x = number_arg(NAME, "the base", &x)?;
    let y = number_arg(NAME, "the exponent", &y)?;
    number(NAME, x.powf(y), span)
}

/// The numbers of `min()` and `max()` (at least one).
fn numbers(name: &str, args: &[Node]) -> Result<Vec<f64>, String> {
    arity_at_least(name, args, 1)?;
    args.iter()
        .map(|a| number_arg(name, "every argument", a))
        .collect()
}

fn min(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let ns = numbers("min", &args)?;
    number("min", ns.into_iter().fold(f64::INFINITY, f64::min), span)
}

fn max(args: Vec<Node>, span: Span) -> Result<Node, String> {
    let ns = numbers("max", &args)?;
    number(
        "max",
        ns.into_iter().fold(f64::NEG_INFINITY, f64::max),
        span,
    )
}

// ---------------------------------------------------------------------------------------------
// Type conversions
// ---------------------------------------------------------------------------------------------

/// The error of a conversion function given a value it cannot convert.
fn cannot_convert(name: &str, v: &Node, to: &str) -> String {
    fail(name, format!("cannot convert a {} to {to}", type_name(v)))
}

fn tostring(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "tostring";
    let [v] = take(NAME, args)?;
    known(&v)?;
    match &v.kind {
        Kind::Null => Ok(null(span)),
        _ => v
            .as_str()
            .map(|s| Node::string(s, span))
            .ok_or_else(|| cannot_convert(NAME, &v, "a string")),
    }
}

fn tonumber(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "tonumber";
    let [v] = take(NAME, args)?;
    known(&v)?;
    match &v.kind {
        Kind::Null => Ok(null(span)),
        Kind::String(s) => parse_number(s)
            .map(|x| Node::new(Kind::Number(x), span))
            .ok_or_else(|| fail(NAME, format!("cannot convert {s:?} to a number"))),
        Kind::Number(x) => number(NAME, *x, span),
        _ => Err(cannot_convert(NAME, &v, "a number")),
    }
}

fn tobool(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "tobool";
    let [v] = take(NAME, args)?;
    known(&v)?;
    match &v.kind {
        Kind::Null => Ok(null(span)),
        _ => bool_value(&v)
            .map(|b| boolean(b, span))
            .ok_or_else(|| fail(NAME, format!("cannot convert {} to a bool", v.display()))),
    }
}

/// `tolist(value)`: a list (or set), with its elements converted to one type.
fn tolist(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "tolist";
    let [v] = take(NAME, args)?;
    known(&v)?;
    match v.kind {
        Kind::Null => Ok(null(span)),
        Kind::List(items) => Ok(list(unify(NAME, "the elements", items)?, span)),
        _ => Err(cannot_convert(NAME, &v, "a list")),
    }
}

/// `toset(value)`: the de-duplicated elements, ordered as Terraform orders sets.
fn toset(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "toset";
    let [v] = take(NAME, args)?;
    known(&v)?;
    match v.kind {
        Kind::Null => Ok(null(span)),
        // One element has nothing to be a duplicate of: the set holds it, whatever of it is
        // known only after apply (an object with a resource's `location`).
        Kind::List(items) if items.len() == 1 && !items[0].is_null() && !items[0].is_unknown() => {
            Ok(list(items, span))
        }
        Kind::List(items) => {
            set_elements(NAME, &items)?;
            let items = unify(NAME, "the elements", items)?;
            Ok(list(into_set(items)?, span))
        }
        _ => Err(cannot_convert(NAME, &v, "a set")),
    }
}

/// `tomap(value)`: a map, with its values converted to one type.
fn tomap(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "tomap";
    let [v] = take(NAME, args)?;
    known(&v)?;
    match v.kind {
        Kind::Null => Ok(null(span)),
        Kind::Map(m) => {
            let (keys, vals): (Vec<_>, Vec<_>) = m
                .into_entries()
                .into_iter()
                .map(|e| ((e.key, e.key_span), e.value))
                .unzip();
            let vals = unify(NAME, "the values", vals)?;
            let mut out = Map::default();
            for ((k, ks), v) in keys.into_iter().zip(vals) {
                out.insert(k, ks, v);
            }
            Ok(Node::new(Kind::Map(out), span))
        }
        _ => Err(cannot_convert(NAME, &v, "a map")),
    }
}

// ---------------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------------

/// `jsonencode(value)`: compact JSON with map keys sorted, numbers without exponent, and `<`,
/// `>`, `&`, U+2028 and U+2029 escaped, as Terraform writes it.
///
/// With unknown parts the result is unknown, but keeps the known ones: its partial text is the
/// JSON with each unknown value written as the string [`UNKNOWN_PART`], so that a reader of the
/// document (an EventBridge pattern's `source`) still sees what is known.
fn jsonencode(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "jsonencode";
    let [v] = take(NAME, args)?;
    if let Err(reason) = require_known([&v]) {
        let mut partial = String::new();
        return match json_encode_into(&v, 0, &mut partial, true) {
            Ok(()) => Ok(Node::unknown_partial(reason, partial, span)),
            Err(_) => Err(reason),
        };
    }
    let text = json_encode(&v).map_err(|e| fail(NAME, e))?;
    Ok(Node::string(text, span))
}

fn json_encode(n: &Node) -> Result<String, String> {
    let mut out = String::new();
    json_encode_into(n, 0, &mut out, false)?;
    Ok(out)
}

/// Writes `n` as JSON; with `partial`, unknown values as the string [`UNKNOWN_PART`].
fn json_encode_into(n: &Node, depth: usize, out: &mut String, partial: bool) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("the value is nested too deeply for resilint to evaluate".into());
    }
    if out.len() > MAX_STRING_LEN {
        return Err("the result is too large for resilint to evaluate".into());
    }
    match &n.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(x) if x.is_finite() => out.push_str(&format_number(*x)),
        Kind::Number(_) => return Err("a number is not finite".into()),
        Kind::String(s) => json_quote_into(s, out),
        Kind::List(items) => {
            out.push('[');
            for (k, i) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                json_encode_into(i, depth + 1, out, partial)?;
            }
            out.push(']');
        }
        Kind::Map(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (k, e) in entries.into_iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                json_quote_into(&e.key, out);
                out.push(':');
                json_encode_into(&e.value, depth + 1, out, partial)?;
            }
            out.push('}');
        }
        Kind::Unknown(_) | Kind::Ref(_) if partial => json_quote_into(UNKNOWN_PART, out),
        Kind::Unknown(_) | Kind::Ref(_) => return Err(n.unknown_reason().unwrap_or_default()),
    }
    Ok(())
}

/// A JSON string as Go's `encoding/json` writes it.
fn json_quote_into(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `jsondecode(string)`: objects become maps, arrays lists.
fn jsondecode(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "jsondecode";
    let [s] = take(NAME, args)?;
    let s = string_arg(NAME, "the argument", &s)?;
    let mut de = serde_json::Deserializer::from_str(&s);
    let node = JsonSeed { span }
        .deserialize(&mut de)
        .and_then(|n| de.end().map(|()| n))
        .map_err(|e| fail(NAME, e))?;
    Ok(node)
}

/// Builds a [`Node`] from JSON; a key repeated in an object is an error, as in Terraform.
#[derive(Clone, Copy)]
struct JsonSeed {
    span: Span,
}

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(null(self.span))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Node, E> {
        Ok(boolean(b, self.span))
    }

    fn visit_i64<E: de::Error>(self, x: i64) -> Result<Node, E> {
        Ok(Node::new(Kind::Number(x as f64), self.span))
    }

    fn visit_u64<E: de::Error>(self, x: u64) -> Result<Node, E> {
        Ok(Node::new(Kind::Number(x as f64), self.span))
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Node, E> {
        if x.is_finite() {
            Ok(Node::new(Kind::Number(x), self.span))
        } else {
            Err(E::custom("a number is out of range"))
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Node, E> {
        Ok(Node::string(s, self.span))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element_seed(self)? {
            items.push(n);
        }
        Ok(list(items, self.span))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut m = Map::default();
        let mut seen = HashSet::new();
        while let Some(key) = access.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!(
                    "duplicate {key:?} property in JSON object"
                )));
            }
            let value = access.next_value_seed(self)?;
            m.insert(key, self.span, value);
        }
        Ok(Node::new(Kind::Map(m), self.span))
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64encode(string)`: standard alphabet, padded.
fn base64encode(args: Vec<Node>, span: Span) -> Result<Node, String> {
    string_fn("base64encode", args, span, |s| {
        let bytes = s.as_bytes();
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for k in 0..4 {
                if k <= chunk.len() {
                    out.push(char::from(BASE64[((n >> (18 - 6 * k)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    })
}

/// `base64decode(string)`: standard alphabet, padded (line breaks ignored, as Go does); the
/// decoded bytes must be UTF-8.
fn base64decode(args: Vec<Node>, span: Span) -> Result<Node, String> {
    const NAME: &str = "base64decode";
    let [s] = take(NAME, args)?;
    let s = string_arg(NAME, "the argument", &s)?;
    let input: Vec<u8> = s.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    let invalid = |at: usize| fail(NAME, format!("illegal base64 data at input byte {at}"));
    if !input.len().is_multiple_of(4) {
        return Err(invalid(input.len() - input.len() % 4));
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let quads = input.len() / 4;
    for (q, quad) in input.chunks(4).enumerate() {
        let mut n = 0u32;
        let mut pad = 0;
        for (k, &c) in quad.iter().enumerate() {
            let at = q * 4 + k;
            let v = if c == b'=' {
                // Padding only at the end: `xx==` or `xxx=`.
                if q + 1 != quads || k < 2 || (k == 2 && quad.get(3) != Some(&b'=')) {
                    return Err(invalid(at));
                }
                pad += 1;
                0
            } else if pad > 0 {
                return Err(invalid(at));
            } else {
                BASE64
                    .iter()
                    .position(|&b| b == c)
                    .ok_or_else(|| invalid(at))? as u32
            };
            n = (n << 6) | v;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    String::from_utf8(out)
        .map(|s| Node::string(s, span))
        .map_err(|_| {
            fail(
                NAME,
                "the result of decoding the provided string is not valid UTF-8",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::node::Reference;
    use crate::source::FileId;

    // --- Building arguments and reading results -----------------------------------------------

    fn sp() -> Span {
        Span::default()
    }

    fn s(v: &str) -> Node {
        Node::string(v, sp())
    }

    fn n(x: impl Into<f64>) -> Node {
        Node::new(Kind::Number(x.into()), sp())
    }

    fn b(x: bool) -> Node {
        boolean(x, sp())
    }

    fn nul() -> Node {
        null(sp())
    }

    fn l(items: Vec<Node>) -> Node {
        list(items, sp())
    }

    fn strs(items: &[&str]) -> Node {
        l(items.iter().map(|x| s(x)).collect())
    }

    fn m(entries: Vec<(&str, Node)>) -> Node {
        let mut map = Map::default();
        for (k, v) in entries {
            map.insert(k.into(), sp(), v);
        }
        Node::new(Kind::Map(map), sp())
    }

    fn unk(reason: &str) -> Node {
        Node::unknown(reason, sp())
    }

    fn partial(text: &str) -> Node {
        Node::unknown_partial("var.p has no value", text.into(), sp())
    }

    fn reference() -> Node {
        Node::new(
            Kind::Ref(Box::new(Reference {
                target: "aws_s3_bucket.b".into(),
                attribute: "arn".into(),
                text: "aws_s3_bucket.b.arn".into(),
            })),
            sp(),
        )
    }

    /// A compact rendering: JSON-like, keys in stored order, `?` for an unknown value (followed
    /// by its partial text in parentheses, if any).
    fn show(n: &Node) -> String {
        match &n.kind {
            Kind::Null => "null".into(),
            Kind::Bool(x) => x.to_string(),
            Kind::Number(x) => format_number(*x),
            Kind::String(x) => serde_json::to_string(x).unwrap_or_default(),
            Kind::List(items) => {
                let parts: Vec<String> = items.iter().map(show).collect();
                format!("[{}]", parts.join(","))
            }
            Kind::Map(map) => {
                let parts: Vec<String> = map
                    .iter()
                    .map(|e| format!("{}:{}", e.key, show(&e.value)))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            Kind::Ref(_) => "?ref".into(),
            Kind::Unknown(u) => match &u.partial {
                Some(p) => format!("?({p})"),
                None => "?".into(),
            },
        }
    }

    /// The rendered result of a call.
    fn run(name: &str, args: Vec<Node>) -> String {
        show(&call(name, args, sp()))
    }

    /// The reason of a call's unknown result; fails the test if the result is known.
    fn reason(name: &str, args: Vec<Node>) -> String {
        let r = call(name, args, sp());
        r.unknown_reason()
            .unwrap_or_else(|| panic!("`{name}()` gave a known value: {}", show(&r)))
    }

    /// Asserts the call is unknown with a reason containing `fragment`.
    #[track_caller]
    fn fails(name: &str, args: Vec<Node>, fragment: &str) {
        let r = reason(name, args);
        assert!(r.contains(fragment), "`{name}()`: {r:?} lacks {fragment:?}");
    }

    // --- Dispatch -----------------------------------------------------------------------------

    #[test]
    fn unimplemented_functions_are_unknown_and_spans_are_the_calls() {
        fails("cidrsubnet", vec![], "`cidrsubnet()` is not evaluated");
        fails("timestamp", vec![], "not evaluated by resilint");
        let span = Span::new(FileId(3), 10, 20);
        let r = call("concat", vec![strs(&["a"])], span);
        assert_eq!(r.span, span);
        assert_eq!(call("one", vec![strs(&[])], span).span, span);
        assert_eq!(call("lower", vec![], span).span, span);
    }

    #[test]
    fn builtins_are_sorted_and_unique() {
        assert!(BUILTINS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    // --- General ------------------------------------------------------------------------------

    #[test]
    fn coalesce_skips_nulls_and_empty_strings() {
        assert_eq!(
            run("coalesce", vec![nul(), s(""), s("a"), unk("u")]),
            r#""a""#
        );
        assert_eq!(run("coalesce", vec![n(1), n(2)]), "1");
        // Strings mixed with numbers unify to strings.
        assert_eq!(run("coalesce", vec![s(""), n(1)]), r#""1""#);
        assert_eq!(run("coalesce", vec![l(vec![]), strs(&["a"])]), "[]");
        fails(
            "coalesce",
            vec![nul(), unk("var.x has no value"), s("a")],
            "var.x",
        );
        fails("coalesce", vec![reference(), s("a")], "aws_s3_bucket.b.arn");
        fails("coalesce", vec![nul(), s("")], "no non-null");
        fails("coalesce", vec![], "no non-null");
        fails("coalesce", vec![s("a"), strs(&["b"])], "same type");
    }

    #[test]
    fn sensitive_and_nonsensitive_are_identities() {
        assert_eq!(run("sensitive", vec![s("x")]), r#""x""#);
        assert_eq!(run("nonsensitive", vec![strs(&["x"])]), r#"["x"]"#);
        fails("nonsensitive", vec![unk("u")], "u");
        fails("sensitive", vec![], "takes 1 argument, 0 given");
    }

    // --- Collections --------------------------------------------------------------------------

    #[test]
    fn alltrue_and_anytrue() {
        assert_eq!(run("alltrue", vec![l(vec![])]), "true");
        assert_eq!(run("alltrue", vec![l(vec![b(true), s("true")])]), "true");
        assert_eq!(run("alltrue", vec![l(vec![unk("u"), b(false)])]), "false");
        assert_eq!(run("alltrue", vec![l(vec![nul()])]), "false");
        fails("alltrue", vec![l(vec![b(true), unk("u")])], "u");
        fails("alltrue", vec![l(vec![b(false), n(1)])], "only booleans");
        fails("alltrue", vec![unk("u")], "u");
        assert_eq!(run("anytrue", vec![l(vec![])]), "false");
        assert_eq!(run("anytrue", vec![l(vec![unk("u"), b(true)])]), "true");
        assert_eq!(run("anytrue", vec![l(vec![nul(), s("false")])]), "false");
        fails("anytrue", vec![l(vec![b(false), reference()])], "computed");
        fails("anytrue", vec![nul()], "must not be null");
    }

    #[test]
    fn chunklist_splits_into_chunks() {
        let abc = || strs(&["a", "b", "c"]);
        assert_eq!(run("chunklist", vec![abc(), n(2)]), r#"[["a","b"],["c"]]"#);
        assert_eq!(run("chunklist", vec![abc(), n(0)]), r#"[["a","b","c"]]"#);
        assert_eq!(run("chunklist", vec![abc(), n(1e18)]), r#"[["a","b","c"]]"#);
        assert_eq!(run("chunklist", vec![l(vec![]), n(2)]), "[]");
        assert_eq!(run("chunklist", vec![l(vec![unk("u")]), n(1)]), "[[?]]");
        fails("chunklist", vec![abc(), n(-1)], "positive");
        fails("chunklist", vec![abc(), n(1.5)], "whole number");
        fails("chunklist", vec![abc(), unk("size")], "size");
    }

    #[test]
    fn coalescelist_returns_the_first_non_empty_list() {
        assert_eq!(
            run("coalescelist", vec![l(vec![]), nul(), strs(&["a"])]),
            r#"["a"]"#
        );
        assert_eq!(
            run("coalescelist", vec![strs(&["a"]), unk("u")]),
            r#"["a"]"#
        );
        fails("coalescelist", vec![l(vec![]), unk("var.l")], "var.l");
        fails("coalescelist", vec![l(vec![]), l(vec![])], "no non-null");
        fails(
            "coalescelist",
            vec![strs(&["a"]), s("x")],
            "lists or tuples",
        );
        fails("coalescelist", vec![], "at least 1");
    }

    #[test]
    fn compact_removes_nulls_and_empty_strings() {
        assert_eq!(
            run("compact", vec![l(vec![s("a"), s(""), nul(), n(1)])]),
            r#"["a","1"]"#
        );
        assert_eq!(run("compact", vec![l(vec![])]), "[]");
        fails("compact", vec![l(vec![s("a"), unk("u")])], "u");
        fails("compact", vec![l(vec![strs(&["a"])])], "only strings");
    }

    #[test]
    fn concat_joins_lists() {
        assert_eq!(
            run("concat", vec![strs(&["a"]), strs(&["b", "c"]), l(vec![])]),
            r#"["a","b","c"]"#
        );
        assert_eq!(
            run("concat", vec![l(vec![unk("u")]), strs(&["b"])]),
            r#"[?,"b"]"#
        );
        fails("concat", vec![unk("var.l"), strs(&["b"])], "var.l");
        fails("concat", vec![strs(&["a"]), s("b")], "must be a list");
        fails("concat", vec![nul()], "must not be null");
        fails("concat", vec![], "at least 1");
    }

    #[test]
    fn contains_needs_a_known_equal_element_or_all_known() {
        let ab = || strs(&["a", "b"]);
        assert_eq!(run("contains", vec![ab(), s("b")]), "true");
        assert_eq!(run("contains", vec![ab(), s("c")]), "false");
        assert_eq!(
            run("contains", vec![l(vec![unk("u"), s("b")]), s("b")]),
            "true"
        );
        fails("contains", vec![l(vec![unk("u"), s("b")]), s("c")], "u");
        assert_eq!(run("contains", vec![l(vec![]), unk("u")]), "false");
        fails("contains", vec![ab(), unk("var.v")], "var.v");
        fails("contains", vec![unk("var.l"), s("a")], "var.l");
        // Terraform compares without conversion.
        assert_eq!(run("contains", vec![strs(&["1"]), n(1)]), "false");
        assert_eq!(
            run(
                "contains",
                vec![l(vec![m(vec![("k", n(1))])]), m(vec![("k", n(1))])]
            ),
            "true"
        );
        fails("contains", vec![nul(), s("a")], "must not be null");
        fails("contains", vec![m(vec![]), s("a")], "must be a list");
    }

    #[test]
    fn distinct_keeps_first_occurrences() {
        assert_eq!(
            run("distinct", vec![strs(&["b", "a", "b", "c", "a"])]),
            r#"["b","a","c"]"#
        );
        assert_eq!(
            run("distinct", vec![l(vec![s("a"), n(1), s("1")])]),
            r#"["a","1"]"#
        );
        let obj = || m(vec![("k", n(1))]);
        assert_eq!(run("distinct", vec![l(vec![obj(), obj()])]), "[{k:1}]");
        fails("distinct", vec![l(vec![s("a"), unk("u")])], "u");
        fails("distinct", vec![l(vec![n(1), b(true)])], "same type");
    }

    #[test]
    fn element_wraps_around() {
        let abc = || strs(&["a", "b", "c"]);
        assert_eq!(run("element", vec![abc(), n(1)]), r#""b""#);
        assert_eq!(run("element", vec![abc(), n(4)]), r#""b""#);
        assert_eq!(run("element", vec![abc(), s("2")]), r#""c""#);
        assert_eq!(
            run("element", vec![l(vec![unk("u"), s("b")]), n(1)]),
            r#""b""#
        );
        fails("element", vec![l(vec![unk("u"), s("b")]), n(0)], "u");
        fails("element", vec![abc(), n(-1)], "negative index");
        fails("element", vec![l(vec![]), n(0)], "empty list");
        fails("element", vec![abc(), n(0.5)], "whole number");
        fails("element", vec![unk("var.l"), n(0)], "var.l");
        fails("element", vec![abc(), unk("var.i")], "var.i");
        fails("element", vec![s("abc"), n(0)], "must be a list");
    }

    #[test]
    fn flatten_is_recursive() {
        let nested = l(vec![
            l(vec![s("a"), strs(&["b"])]),
            s("c"),
            l(vec![]),
            l(vec![l(vec![l(vec![n(1)])])]),
        ]);
        assert_eq!(run("flatten", vec![nested]), r#"["a","b","c",1]"#);
        assert_eq!(
            run(
                "flatten",
                vec![l(vec![nul(), m(vec![("k", strs(&["x"]))])])]
            ),
            r#"[null,{k:["x"]}]"#
        );
        // An unknown element could be a list.
        fails("flatten", vec![l(vec![strs(&["a"]), unk("u")])], "u");
        fails("flatten", vec![s("a")], "must be a list");
        let mut deep = s("x");
        for _ in 0..(MAX_DEPTH + 5) {
            deep = l(vec![deep]);
        }
        fails("flatten", vec![deep], "nested too deeply");
    }

    #[test]
    fn index_finds_the_first_equal_element() {
        assert_eq!(run("index", vec![strs(&["a", "b", "b"]), s("b")]), "1");
        assert_eq!(run("index", vec![l(vec![s("b"), unk("u")]), s("b")]), "0");
        fails("index", vec![l(vec![unk("u"), s("b")]), s("b")], "u");
        fails("index", vec![strs(&["a"]), s("c")], "item not found");
        fails("index", vec![l(vec![]), s("a")], "empty list");
        fails("index", vec![strs(&["a"]), unk("var.v")], "var.v");
    }

    #[test]
    fn length_of_collections_and_strings() {
        assert_eq!(run("length", vec![l(vec![unk("u"), reference()])]), "2");
        assert_eq!(run("length", vec![m(vec![("a", unk("u"))])]), "1");
        assert_eq!(run("length", vec![s("héllo")]), "5");
        assert_eq!(run("length", vec![s("")]), "0");
        assert_eq!(run("length", vec![l(vec![])]), "0");
        fails("length", vec![unk("var.l")], "var.l");
        fails("length", vec![partial("a-{?}")], "var.p");
        fails("length", vec![n(5)], "string, a collection type");
        fails("length", vec![nul()], "must not be null");
        fails("length", vec![s("a"), s("b")], "takes 1 argument, 2 given");
    }

    #[test]
    fn matchkeys_selects_by_keys() {
        assert_eq!(
            run(
                "matchkeys",
                vec![
                    strs(&["i-1", "i-2", "i-3"]),
                    strs(&["us-west", "us-east", "us-east"]),
                    strs(&["us-east"]),
                ]
            ),
            r#"["i-2","i-3"]"#
        );
        assert_eq!(
            run(
                "matchkeys",
                vec![l(vec![unk("u"), s("b")]), strs(&["x", "y"]), strs(&["x"])]
            ),
            "[?]"
        );
        // Keys and search set convert to one type.
        assert_eq!(
            run(
                "matchkeys",
                vec![strs(&["a", "b"]), l(vec![n(1), n(2)]), strs(&["2"])]
            ),
            r#"["b"]"#
        );
        assert_eq!(
            run("matchkeys", vec![strs(&["a"]), strs(&["x"]), l(vec![])]),
            "[]"
        );
        fails(
            "matchkeys",
            vec![strs(&["a"]), l(vec![unk("u")]), strs(&["x"])],
            "u",
        );
        fails(
            "matchkeys",
            vec![strs(&["a"]), strs(&["x", "y"]), strs(&["x"])],
            "should be equal",
        );
    }

    #[test]
    fn one_takes_zero_or_one_element() {
        assert_eq!(run("one", vec![l(vec![])]), "null");
        assert_eq!(run("one", vec![strs(&["a"])]), r#""a""#);
        assert_eq!(run("one", vec![l(vec![unk("u")])]), "?");
        fails(
            "one",
            vec![strs(&["a", "b"])],
            "zero or one elements; it has 2",
        );
        fails("one", vec![unk("var.l")], "var.l");
        fails("one", vec![nul()], "must not be null");
        fails("one", vec![m(vec![])], "must be a list");
    }

    #[test]
    fn range_like_terraform() {
        assert_eq!(run("range", vec![n(3)]), "[0,1,2]");
        assert_eq!(run("range", vec![n(-3)]), "[0,-1,-2]");
        assert_eq!(run("range", vec![n(0)]), "[]");
        assert_eq!(run("range", vec![n(1), n(4)]), "[1,2,3]");
        assert_eq!(run("range", vec![n(4), n(1)]), "[4,3,2]");
        assert_eq!(run("range", vec![n(0), n(1), n(0.25)]), "[0,0.25,0.5,0.75]");
        assert_eq!(run("range", vec![n(10), n(0), n(-5)]), "[10,5]");
        fails("range", vec![n(0), n(10), n(0)], "must not be zero");
        fails("range", vec![n(0), n(10), n(-1)], "less than start");
        fails("range", vec![n(10), n(0), n(1)], "greater than start");
        fails("range", vec![n(0), n(2000)], "more than 1024");
        fails(
            "range",
            vec![n(1e20), n(1e20 + 1e6), n(1)],
            "more than 1024",
        );
        fails("range", vec![unk("var.n")], "var.n");
        fails("range", vec![], "takes 1 to 3");
        fails("range", vec![n(1), n(2), n(3), n(4)], "takes 1 to 3");
    }

    #[test]
    fn reverse_reverses_lists() {
        assert_eq!(
            run("reverse", vec![l(vec![s("a"), unk("u"), n(3)])]),
            r#"[3,?,"a"]"#
        );
        assert_eq!(run("reverse", vec![l(vec![])]), "[]");
        fails("reverse", vec![s("abc")], "must be a list");
    }

    #[test]
    fn set_functions() {
        assert_eq!(
            run("setunion", vec![strs(&["b", "a"]), strs(&["c", "a"])]),
            r#"["a","b","c"]"#
        );
        assert_eq!(
            run("setunion", vec![l(vec![n(3), n(1)]), l(vec![n(2)])]),
            "[1,2,3]"
        );
        assert_eq!(
            run("setunion", vec![l(vec![n(1)]), strs(&["a"])]),
            r#"["1","a"]"#
        );
        assert_eq!(
            run(
                "setintersection",
                vec![
                    strs(&["a", "b", "c"]),
                    strs(&["b", "c", "d"]),
                    strs(&["c", "b"])
                ]
            ),
            r#"["b","c"]"#
        );
        assert_eq!(
            run("setintersection", vec![strs(&["b", "a", "b"])]),
            r#"["a","b"]"#
        );
        assert_eq!(
            run(
                "setsubtract",
                vec![strs(&["a", "b", "c"]), strs(&["a", "c"])]
            ),
            r#"["b"]"#
        );
        fails("setunion", vec![strs(&["a"]), l(vec![unk("u")])], "u");
        fails("setsubtract", vec![strs(&["a"]), unk("var.s")], "var.s");
        fails("setintersection", vec![l(vec![nul()])], "null");
        fails("setunion", vec![], "at least 1");
        fails("setsubtract", vec![strs(&["a"])], "takes 2 arguments");
    }

    #[test]
    fn slice_checks_bounds() {
        let abcd = || strs(&["a", "b", "c", "d"]);
        assert_eq!(run("slice", vec![abcd(), n(1), n(3)]), r#"["b","c"]"#);
        assert_eq!(run("slice", vec![abcd(), n(0), n(0)]), "[]");
        assert_eq!(run("slice", vec![abcd(), n(4), n(4)]), "[]");
        assert_eq!(
            run("slice", vec![l(vec![unk("u"), s("b")]), n(1), n(2)]),
            r#"["b"]"#
        );
        fails("slice", vec![abcd(), n(3), n(1)], "greater than end index");
        fails("slice", vec![abcd(), n(0), n(5)], "length of the list");
        fails("slice", vec![abcd(), n(5), n(5)], "length of the list");
        fails("slice", vec![abcd(), n(-1), n(1)], "less than zero");
        fails("slice", vec![unk("var.l"), n(0), n(1)], "var.l");
    }

    #[test]
    fn sort_is_lexical_on_strings() {
        assert_eq!(
            run("sort", vec![strs(&["c", "a", "B"])]),
            r#"["B","a","c"]"#
        );
        assert_eq!(
            run("sort", vec![l(vec![n(10), n(9), s("x")])]),
            r#"["10","9","x"]"#
        );
        fails("sort", vec![l(vec![s("a"), unk("u")])], "u");
        fails("sort", vec![l(vec![nul()])], "null");
        fails("sort", vec![l(vec![strs(&["a"])])], "only strings");
    }

    #[test]
    fn sum_adds_numbers() {
        assert_eq!(run("sum", vec![l(vec![n(1), n(2.5), s("3")])]), "6.5");
        assert_eq!(run("sum", vec![l(vec![n(-1)])]), "-1");
        fails("sum", vec![l(vec![])], "empty list");
        fails("sum", vec![l(vec![n(1), unk("u")])], "u");
        fails("sum", vec![l(vec![nul()])], "number values");
        fails("sum", vec![l(vec![s("x")])], "number values");
        fails(
            "sum",
            vec![l(vec![n(1e308), n(1e308)])],
            "not a finite number",
        );
    }

    // --- Maps ---------------------------------------------------------------------------------

    #[test]
    fn keys_and_values_are_sorted_by_key() {
        let map = || m(vec![("b", s("2")), ("a", unk("u")), ("c", n(3))]);
        assert_eq!(run("keys", vec![map()]), r#"["a","b","c"]"#);
        assert_eq!(run("values", vec![map()]), r#"[?,"2",3]"#);
        assert_eq!(run("keys", vec![m(vec![])]), "[]");
        fails("keys", vec![unk("var.m")], "var.m");
        fails("values", vec![reference()], "computed");
        fails("keys", vec![strs(&["a"])], "must be a map");
        fails("values", vec![nul()], "must not be null");
    }

    #[test]
    fn lookup_with_and_without_default() {
        let map = || m(vec![("a", n(1)), ("u", unk("var.u"))]);
        assert_eq!(run("lookup", vec![map(), s("a")]), "1");
        assert_eq!(run("lookup", vec![map(), s("b"), n(2)]), "2");
        assert_eq!(run("lookup", vec![map(), s("a"), unk("d")]), "1");
        fails("lookup", vec![map(), s("u"), n(0)], "var.u");
        fails("lookup", vec![map(), s("b")], "failed to find key \"b\"");
        fails("lookup", vec![unk("var.m"), s("a"), n(1)], "var.m");
        fails("lookup", vec![map(), unk("var.k"), n(1)], "var.k");
        fails("lookup", vec![strs(&["a"]), s("a"), n(1)], "must be a map");
        fails("lookup", vec![map()], "takes 2 to 3");
    }

    #[test]
    fn merge_later_wins() {
        assert_eq!(
            run(
                "merge",
                vec![
                    m(vec![("k", s("1")), ("x", s("x"))]),
                    nul(),
                    m(vec![("k", s("2")), ("u", unk("u"))]),
                ]
            ),
            r#"{k:"2",x:"x",u:?}"#
        );
        assert_eq!(run("merge", vec![]), "{}");
        fails("merge", vec![m(vec![("a", n(1))]), unk("var.m")], "var.m");
        fails("merge", vec![s("x")], "maps or objects");
    }

    #[test]
    fn zipmap_pairs_keys_with_values() {
        assert_eq!(
            run("zipmap", vec![strs(&["a", "b"]), l(vec![n(1), unk("u")])]),
            "{a:1,b:?}"
        );
        assert_eq!(
            run("zipmap", vec![strs(&["a", "a"]), l(vec![n(1), n(2)])]),
            "{a:2}"
        );
        assert_eq!(
            run("zipmap", vec![l(vec![n(1)]), strs(&["x"])]),
            r#"{1:"x"}"#
        );
        fails(
            "zipmap",
            vec![strs(&["a"]), l(vec![n(1), n(2)])],
            "does not match",
        );
        fails("zipmap", vec![l(vec![unk("k")]), l(vec![n(1)])], "k");
        fails(
            "zipmap",
            vec![l(vec![nul()]), l(vec![n(1)])],
            "null value at index 0",
        );
        fails(
            "zipmap",
            vec![strs(&["a"]), m(vec![("a", n(1))])],
            "must be a list",
        );
    }

    // --- Strings ------------------------------------------------------------------------------

    #[test]
    fn case_functions() {
        assert_eq!(run("lower", vec![s("AbÇ")]), r#""abç""#);
        assert_eq!(run("upper", vec![s("AbÇ")]), r#""ABÇ""#);
        assert_eq!(run("lower", vec![n(5)]), r#""5""#);
        // Go's simple case mappings.
        assert_eq!(run("upper", vec![s("straße")]), r#""STRAßE""#);
        assert_eq!(run("lower", vec![s("ΣΑΣ İ")]), r#""σασ i""#);
        assert_eq!(
            run("title", vec![s("hello world-foo_bar élan 1st")]),
            r#""Hello World-Foo_bar Élan 1st""#
        );
        fails("lower", vec![unk("var.s")], "var.s");
        fails("upper", vec![nul()], "must not be null");
        fails("title", vec![strs(&["a"])], "must be a string");
    }

    #[test]
    fn trimming_functions() {
        assert_eq!(run("trimspace", vec![s(" \t a b \n")]), r#""a b""#);
        assert_eq!(run("chomp", vec![s("a\nb\r\n\n")]), r#""a\nb""#);
        assert_eq!(run("trim", vec![s("?!hello?!"), s("!?")]), r#""hello""#);
        assert_eq!(run("trim", vec![s("abc"), s("")]), r#""abc""#);
        assert_eq!(
            run("trimprefix", vec![s("helloworld"), s("hello")]),
            r#""world""#
        );
        assert_eq!(run("trimprefix", vec![s("hello"), s("x")]), r#""hello""#);
        assert_eq!(
            run("trimsuffix", vec![s("helloworld"), s("world")]),
            r#""hello""#
        );
        fails("trim", vec![s("a"), unk("c")], "c");
        fails("trimsuffix", vec![s("a")], "takes 2 arguments");
    }

    #[test]
    fn indent_pads_following_lines() {
        assert_eq!(run("indent", vec![n(2), s("a\nb\n")]), r#""a\n  b\n  ""#);
        fails("indent", vec![n(-1), s("a")], "negative");
        fails("indent", vec![n(1e9), s("a\nb")], "too large");
    }

    #[test]
    fn join_builds_partial_strings() {
        assert_eq!(run("join", vec![s(","), strs(&["a", "b"])]), r#""a,b""#);
        assert_eq!(
            run("join", vec![s("-"), strs(&["a"]), strs(&["b", "c"])]),
            r#""a-b-c""#
        );
        assert_eq!(run("join", vec![s(","), l(vec![])]), r#""""#);
        assert_eq!(
            run("join", vec![s(","), l(vec![n(1), b(true)])]),
            r#""1,true""#
        );
        assert_eq!(
            run(
                "join",
                vec![s(":"), l(vec![s("arn"), unk("u"), partial("b-{?}")])]
            ),
            "?(arn:{?}:b-{?})"
        );
        fails("join", vec![s(","), l(vec![unk("var.x")])], "var.x");
        fails("join", vec![s(","), unk("var.l")], "var.l");
        fails(
            "join",
            vec![s(","), l(vec![nul()])],
            "element 0 of list 1 is null",
        );
        fails("join", vec![s(","), l(vec![strs(&["a"])])], "only strings");
        fails("join", vec![s(",")], "at least 2");
    }

    #[test]
    fn split_like_go() {
        assert_eq!(
            run("split", vec![s(","), s("a,b,,c")]),
            r#"["a","b","","c"]"#
        );
        assert_eq!(run("split", vec![s(","), s("")]), r#"[""]"#);
        assert_eq!(run("split", vec![s(""), s("aé")]), r#"["a","é"]"#);
        assert_eq!(run("split", vec![s(""), s("")]), "[]");
        fails("split", vec![s(","), unk("var.s")], "var.s");
        fails(
            "split",
            vec![s(""), s(&"x".repeat(MAX_LIST_LEN + 1))],
            "too large",
        );
    }

    #[test]
    fn substr_counts_characters() {
        assert_eq!(
            run("substr", vec![s("hello world"), n(1), n(4)]),
            r#""ello""#
        );
        assert_eq!(run("substr", vec![s("hello"), n(-3), n(-1)]), r#""llo""#);
        assert_eq!(run("substr", vec![s("hello"), n(-3), n(2)]), r#""ll""#);
        assert_eq!(run("substr", vec![s("hello"), n(-10), n(2)]), r#""he""#);
        assert_eq!(run("substr", vec![s("hello"), n(10), n(2)]), r#""""#);
        assert_eq!(run("substr", vec![s("hello"), n(1), n(100)]), r#""ello""#);
        assert_eq!(run("substr", vec![s("hello"), n(0), n(0)]), r#""""#);
        // Terraform's quirk: a zero length with a negative offset takes the rest.
        assert_eq!(run("substr", vec![s("hello"), n(-2), n(0)]), r#""lo""#);
        assert_eq!(run("substr", vec![s("héllo"), n(1), n(1)]), r#""é""#);
        fails("substr", vec![s("hello"), n(1.5), n(1)], "whole number");
        fails("substr", vec![unk("var.s"), n(0), n(1)], "var.s");
    }

    #[test]
    fn startswith_and_endswith_use_known_parts() {
        assert_eq!(run("startswith", vec![s("hello"), s("he")]), "true");
        assert_eq!(run("startswith", vec![s("hello"), s("x")]), "false");
        let arn = || partial("arn:aws:s3:::{?}-logs");
        assert_eq!(run("startswith", vec![arn(), s("arn:aws:")]), "true");
        assert_eq!(run("startswith", vec![arn(), s("arn:aws-cn:")]), "false");
        assert_eq!(run("endswith", vec![arn(), s("-logs")]), "true");
        assert_eq!(run("endswith", vec![arn(), s("-data")]), "false");
        fails("endswith", vec![arn(), s("prod-logs")], "var.p");
        fails("startswith", vec![partial("ar{?}"), s("arn:")], "var.p");
        assert_eq!(
            run(
                "endswith",
                vec![
                    partial("s3.{region=aws}.amazonaws.com"),
                    s(".amazonaws.com")
                ]
            ),
            "true"
        );
        // Without placeholders nothing tells where the unknown part is.
        fails("startswith", vec![partial("abc"), s("a")], "var.p");
        fails("startswith", vec![unk("var.s"), s("")], "var.s");
        fails("endswith", vec![reference(), s("x")], "computed");
        fails("startswith", vec![s("a"), unk("var.p2")], "var.p2");
    }

    #[test]
    fn strcontains_uses_known_parts() {
        assert_eq!(run("strcontains", vec![s("hello"), s("ell")]), "true");
        assert_eq!(run("strcontains", vec![s("hello"), s("x")]), "false");
        assert_eq!(
            run("strcontains", vec![partial("a-{?}-prod"), s("prod")]),
            "true"
        );
        fails("strcontains", vec![partial("a-{?}"), s("x")], "var.p");
    }

    #[test]
    fn replace_literal_and_regex() {
        assert_eq!(
            run("replace", vec![s("hello world"), s("o"), s("0")]),
            r#""hell0 w0rld""#
        );
        assert_eq!(
            run("replace", vec![s("abc"), s(""), s("-")]),
            r#""-a-b-c-""#
        );
        assert_eq!(run("replace", vec![s("a/"), s("/"), s("x")]), r#""ax""#);
        assert_eq!(
            run("replace", vec![s("hello"), s("/l+/"), s("L")]),
            r#""heLo""#
        );
        assert_eq!(
            run(
                "replace",
                vec![s("2023-01-15"), s(r"/(\d+)-(\d+)-(\d+)/"), s("$3/$2/$1")]
            ),
            r#""15/01/2023""#
        );
        assert_eq!(
            run("replace", vec![s("abc"), s("/(?P<x>b)/"), s("[${x}]$$")]),
            r#""a[b]$c""#
        );
        assert_eq!(
            run("replace", vec![s("abc"), s("/x*/"), s("-")]),
            r#""-a-b-c-""#
        );
        fails(
            "replace",
            vec![s("a"), s("/(/"), s("x")],
            "invalid regexp pattern",
        );
        fails("replace", vec![s("a"), unk("var.r"), s("x")], "var.r");
        let big = "x".repeat(1000);
        fails(
            "replace",
            vec![s(&"a".repeat(2000)), s("a"), s(&big)],
            "too large",
        );
        fails(
            "replace",
            vec![s(&"a".repeat(2000)), s("/a/"), s(&big)],
            "too large",
        );
        let many_refs = "$0".repeat(1000);
        fails(
            "replace",
            vec![s(&"a".repeat(2000)), s("/.+/"), s(&many_refs)],
            "too large",
        );
    }

    // --- Regular expressions ------------------------------------------------------------------

    #[test]
    fn regex_returns_match_groups_or_named_groups() {
        assert_eq!(run("regex", vec![s("[a-z]+"), s("123abc456")]), r#""abc""#);
        assert_eq!(
            run("regex", vec![s(r"(\d+)-(\d+)"), s("10-20")]),
            r#"["10","20"]"#
        );
        assert_eq!(
            run("regex", vec![s(r"(?P<a>\d+)-(?P<b>\d+)"), s("1-2")]),
            r#"{a:"1",b:"2"}"#
        );
        assert_eq!(run("regex", vec![s("(a)|(b)"), s("b")]), r#"[null,"b"]"#);
        fails("regex", vec![s("x"), s("abc")], "did not match");
        fails("regex", vec![s("(a)(?P<n>b)"), s("ab")], "cannot mix");
        fails("regex", vec![s("["), s("a")], "invalid regexp pattern");
        fails("regex", vec![unk("var.p"), s("a")], "var.p");
        fails("regex", vec![s("a"), unk("var.s")], "var.s");
    }

    #[test]
    fn regexall_returns_every_match() {
        assert_eq!(
            run("regexall", vec![s(r"\d+"), s("a1b22c333")]),
            r#"["1","22","333"]"#
        );
        assert_eq!(run("regexall", vec![s("x"), s("abc")]), "[]");
        assert_eq!(
            run("regexall", vec![s(r"(\w)(\d)"), s("a1 b2")]),
            r#"[["a","1"],["b","2"]]"#
        );
        fails(
            "regexall",
            vec![s(""), s(&"x".repeat(MAX_LIST_LEN + 1))],
            "too large",
        );
    }

    #[test]
    fn patterns_have_go_semantics() {
        // `\d`, `\w`, `\s` and `\b` are ASCII-only in Go.
        assert_eq!(run("replace", vec![s("٣3"), s(r"/\d/"), s("x")]), r#""٣x""#);
        assert_eq!(run("regex", vec![s(r"\w+"), s("héllo")]), r#""h""#);
        assert_eq!(run("regex", vec![s(r"\s+"), s("a\u{a0}\t b")]), r#""\t ""#);
        assert_eq!(
            run("regexall", vec![s(r"\bfoo\b"), s("foo éfoo")]),
            r#"["foo","foo"]"#
        );
        assert_eq!(run("regex", vec![s(r"[\d-]+"), s("a12-3b")]), r#""12-3""#);
        assert_eq!(run("regex", vec![s(r"[^\D]+"), s("ab12")]), r#""12""#);
        assert_eq!(run("regex", vec![s(r"\D+"), s("ab12")]), r#""ab""#);
        assert_eq!(run("regex", vec![s("[[:alpha:]]+"), s("12ab")]), r#""ab""#);
        // In Go, `]` first in a class, `[` and `&&` inside one are literal.
        assert_eq!(run("regex", vec![s("[]a]+"), s("x]a]y")]), r#""]a]""#);
        assert_eq!(run("regex", vec![s("[[a]+"), s("x[a[y")]), r#""[a[""#);
        assert_eq!(run("regex", vec![s("[a&&b]+"), s("x&&aby")]), r#""&&ab""#);
        assert_eq!(run("regex", vec![s(r"\\d"), s(r"1\d")]), r#""\\d""#);
        assert_eq!(run("regex", vec![s(r"\pL+"), s("1é2")]), r#""é""#);
        fails("regex", vec![s(r"\<a"), s("a")], "invalid escape");
        fails("regex", vec![s("a\\"), s("a")], "trailing backslash");
        fails(
            "regex",
            vec![s(&"a".repeat(MAX_PATTERN_LEN + 1)), s("a")],
            "too long",
        );
    }

    // --- format() and formatlist() -------------------------------------------------------------

    fn fmt(spec: &str, args: Vec<Node>) -> String {
        let mut all = vec![s(spec)];
        all.extend(args);
        run("format", all)
    }

    #[test]
    fn format_strings_and_defaults() {
        assert_eq!(fmt("Hello, %s!", vec![s("Ander")]), r#""Hello, Ander!""#);
        assert_eq!(
            fmt("%v %v %v %v", vec![s("a"), n(1.5), b(true), nul()]),
            r#""a 1.5 true null""#
        );
        assert_eq!(fmt("%v", vec![l(vec![n(1), s("a")])]), r#""[1,\"a\"]""#);
        assert_eq!(
            fmt("%v", vec![m(vec![("b", n(1)), ("a", n(2))])]),
            r#""{\"a\":2,\"b\":1}""#
        );
        assert_eq!(fmt("%#v", vec![s("a")]), r#""\"a\"""#);
        assert_eq!(
            fmt("%q", vec![s("a\"<b>")]),
            r#""\"a\\\"\\u003cb\\u003e\"""#
        );
        assert_eq!(fmt("%s", vec![n(42)]), r#""42""#);
        assert_eq!(fmt("%t %t", vec![b(true), s("false")]), r#""true false""#);
        assert_eq!(
            fmt(
                "%5s|%-5s|%.2s|%05s",
                vec![s("ab"), s("ab"), s("abcdef"), s("ab")]
            ),
            r#""   ab|ab   |ab|000ab""#
        );
        // A precision of zero does not truncate (Terraform's behaviour).
        assert_eq!(fmt("%.0s", vec![s("abc")]), r#""abc""#);
        assert_eq!(fmt("100%% %s", vec![s("x")]), r#""100% x""#);
        assert_eq!(fmt("%[2]s %[1]s", vec![s("a"), s("b")]), r#""b a""#);
        assert_eq!(fmt("%[2]s %s", vec![s("a"), s("b"), s("c")]), r#""b c""#);
        assert_eq!(fmt("%[1]s %[1]s", vec![s("a")]), r#""a a""#);
        assert_eq!(fmt("é%sé", vec![s("x")]), r#""éxé""#);
        assert_eq!(fmt("plain", vec![]), r#""plain""#);
    }

    #[test]
    fn format_numbers() {
        assert_eq!(fmt("%d", vec![n(42)]), r#""42""#);
        assert_eq!(fmt("%d", vec![s("12")]), r#""12""#);
        assert_eq!(
            fmt("%5d|%-5d|%05d|%-05d", vec![n(42), n(42), n(42), n(42)]),
            r#""   42|42   |00042|42   ""#
        );
        assert_eq!(
            fmt("%+d % d %05d", vec![n(5), n(5), n(-42)]),
            r#""+5  5 -0042""#
        );
        assert_eq!(
            fmt(
                "%x %X %o %b %#x %#o",
                vec![n(255), n(255), n(8), n(5), n(255), n(8)]
            ),
            r#""ff FF 10 101 0xff 010""#
        );
        assert_eq!(
            fmt("%.3d|%6.3d|%.0d", vec![n(7), n(-7), n(0)]),
            r#""007|  -007|""#
        );
        assert_eq!(fmt("%d", vec![n(1e20)]), r#""100000000000000000000""#);
        assert_eq!(fmt("%f", vec![n(1.23456)]), r#""1.234560""#);
        assert_eq!(fmt("%.2f", vec![n(1.23456)]), r#""1.23""#);
        assert_eq!(
            fmt(
                "%8.2f|%-8.2f|%08.2f|%+.1f",
                vec![n(1.23456), n(1.23456), n(-1.23456), n(2.0)]
            ),
            r#""    1.23|1.23    |-0001.23|+2.0""#
        );
        assert_eq!(fmt("%e", vec![n(123456.0)]), r#""1.234560e+05""#);
        assert_eq!(fmt("%.2E", vec![n(0.000123)]), r#""1.23E-04""#);
        assert_eq!(fmt("%g", vec![n(0.0001)]), r#""0.0001""#);
        assert_eq!(fmt("%g", vec![n(0.00001)]), r#""1e-05""#);
        assert_eq!(fmt("%g", vec![n(123456.0)]), r#""123456""#);
        assert_eq!(fmt("%g", vec![n(1234567.0)]), r#""1.234567e+06""#);
        assert_eq!(fmt("%G", vec![n(1e-7)]), r#""1E-07""#);
        assert_eq!(fmt("%.3g", vec![n(1234.0)]), r#""1.23e+03""#);
        assert_eq!(fmt("%.3g", vec![n(100.0)]), r#""100""#);
        assert_eq!(fmt("%.2g", vec![n(0.5)]), r#""0.5""#);
        assert_eq!(fmt("%g", vec![n(0.0)]), r#""0""#);
        // `%v` of a number is Go's shortest `%g` of a big float.
        assert_eq!(
            fmt("%v %v %v %v", vec![n(42), n(-0.5), n(1000000), n(12345678)]),
            r#""42 -0.5 1e+06 1.2345678e+07""#
        );
        assert_eq!(fmt("%6v|%-6v", vec![n(1.5), n(-2)]), r#""   1.5|-2    ""#);
    }

    #[test]
    fn format_errors() {
        let err = |spec: &str, args: Vec<Node>, fragment: &str| {
            let mut all = vec![s(spec)];
            all.extend(args);
            fails("format", all, fragment);
        };
        err("%d", vec![n(1.5)], "an integer is required");
        err("%d", vec![s("x")], "a number is required");
        err("%t", vec![n(1)], "a bool is required");
        err("%s", vec![strs(&["a"])], "a string is required");
        err("%s", vec![nul()], "null value cannot be formatted");
        err("%s", vec![], "not enough arguments");
        err(
            "%s",
            vec![s("a"), s("b")],
            "too many arguments; only 1 used",
        );
        err("x", vec![s("a")], "no verbs in format string");
        err("%y", vec![n(1)], "unsupported format verb 'y'");
        err("abc%", vec![], "invalid format string");
        err("%!", vec![n(1)], "unrecognized format character '!'");
        err("%5", vec![n(1)], "invalid format string");
        err("%[0]d", vec![n(1)], "unrecognized format character '0'");
        err("%[1d", vec![n(1)], "unrecognized format character 'd'");
        err("%[99999999999999999999999]d", vec![n(1)], "too large");
        err("%999999999d", vec![n(1)], "width is too large");
        err("%.99999f", vec![n(1)], "precision is too large");
        err("%[3]d", vec![n(1)], "need index 3 but have 1");
        fails("format", vec![], "at least 1");
        fails("format", vec![unk("var.f"), s("a")], "var.f");
        let huge = s(&"x".repeat(MAX_STRING_LEN));
        err("%s%s", vec![huge.clone(), huge], "too large");
    }

    #[test]
    fn format_with_unknown_arguments_is_partially_known() {
        assert_eq!(
            fmt("arn:aws:s3:::%s", vec![unk("var.b has no value")]),
            "?(arn:aws:s3:::{?})"
        );
        assert_eq!(fmt("%s-%s", vec![partial("a{?}"), s("b")]), "?(a{?}-b)");
        // A reference keeps which attribute of which resource it is, as in a template.
        let placeholder = match &reference().kind {
            Kind::Ref(r) => crate::model::node::ref_placeholder(r),
            _ => unreachable!(),
        };
        assert_eq!(
            fmt("%s/%v", vec![reference(), l(vec![unk("u")])]),
            format!("?({placeholder}/{{?}})")
        );
        // A width around an unknown part leaves no usable text.
        assert_eq!(fmt("%5s!", vec![unk("u")]), "?");
        let r = reason("format", vec![s("%s"), unk("var.b has no value")]);
        assert!(r.contains("var.b"));
        // Terraform reports no error while an argument is unknown.
        fails("format", vec![s("%d"), unk("var.n"), s("extra")], "var.n");
    }

    #[test]
    fn formatlist_iterates_over_lists() {
        let fl = |args: Vec<Node>| run("formatlist", args);
        assert_eq!(
            fl(vec![s("%s-%s"), strs(&["a", "b"]), s("x")]),
            r#"["a-x","b-x"]"#
        );
        assert_eq!(
            fl(vec![s("%s=%s"), strs(&["a", "b"]), strs(&["1", "2"])]),
            r#"["a=1","b=2"]"#
        );
        assert_eq!(fl(vec![s("%s"), l(vec![])]), "[]");
        assert_eq!(fl(vec![s("x")]), r#"["x"]"#);
        assert_eq!(
            fl(vec![s("id-%s"), l(vec![unk("u"), s("b")])]),
            r#"[?(id-{?}),"id-b"]"#
        );
        fails(
            "formatlist",
            vec![s("%s"), strs(&["a"]), strs(&["b", "c"])],
            "inconsistent",
        );
        fails("formatlist", vec![s("%s"), unk("var.l")], "var.l");
        fails(
            "formatlist",
            vec![s("%d"), strs(&["a"])],
            "error on format iteration 0",
        );
    }

    // --- Numbers ------------------------------------------------------------------------------

    #[test]
    fn number_functions() {
        assert_eq!(run("abs", vec![n(-3)]), "3");
        assert_eq!(run("ceil", vec![n(1.2)]), "2");
        assert_eq!(run("ceil", vec![s("1.5")]), "2");
        assert_eq!(run("floor", vec![n(-1.2)]), "-2");
        assert_eq!(run("signum", vec![n(-5)]), "-1");
        assert_eq!(run("signum", vec![n(0)]), "0");
        assert_eq!(run("pow", vec![n(2), n(10)]), "1024");
        assert_eq!(run("max", vec![n(1), s("9"), n(3)]), "9");
        assert_eq!(run("min", vec![n(3), n(-1)]), "-1");
        fails("abs", vec![unk("var.n")], "var.n");
        fails("abs", vec![s("x")], "must be a number");
        fails("abs", vec![s(" 1")], "must be a number");
        fails("floor", vec![nul()], "must not be null");
        fails("ceil", vec![n(f64::NAN)], "not a finite number");
        fails("pow", vec![n(10), n(400)], "not a finite number");
        fails("max", vec![], "at least 1");
        fails("max", vec![unk("var.a"), n(1)], "var.a");
        fails("min", vec![b(true)], "must be a number");
    }

    // --- Conversions --------------------------------------------------------------------------

    #[test]
    fn primitive_conversions() {
        assert_eq!(run("tostring", vec![n(1.5)]), r#""1.5""#);
        assert_eq!(run("tostring", vec![b(true)]), r#""true""#);
        assert_eq!(run("tostring", vec![nul()]), "null");
        fails("tostring", vec![strs(&["a"])], "cannot convert a list");
        fails("tostring", vec![unk("var.s")], "var.s");
        assert_eq!(run("tonumber", vec![s("42")]), "42");
        assert_eq!(run("tonumber", vec![s("-1.5e2")]), "-150");
        assert_eq!(run("tonumber", vec![nul()]), "null");
        fails("tonumber", vec![s(" 42")], "cannot convert");
        fails("tonumber", vec![s("inf")], "cannot convert");
        fails("tonumber", vec![b(true)], "cannot convert a bool");
        assert_eq!(run("tobool", vec![s("true")]), "true");
        assert_eq!(run("tobool", vec![s("0")]), "false");
        assert_eq!(run("tobool", vec![nul()]), "null");
        fails("tobool", vec![s("True")], "cannot convert");
        fails("tobool", vec![n(1)], "cannot convert");
        fails("tobool", vec![reference()], "computed");
    }

    #[test]
    fn collection_conversions() {
        assert_eq!(run("tolist", vec![l(vec![s("a"), n(1)])]), r#"["a","1"]"#);
        assert_eq!(run("tolist", vec![l(vec![unk("u"), s("a")])]), r#"[?,"a"]"#);
        assert_eq!(run("tolist", vec![nul()]), "null");
        fails("tolist", vec![l(vec![n(1), b(true)])], "same type");
        fails("tolist", vec![m(vec![])], "cannot convert a map");
        fails("tolist", vec![unk("var.l")], "var.l");
        assert_eq!(run("toset", vec![strs(&["b", "a", "b"])]), r#"["a","b"]"#);
        assert_eq!(run("toset", vec![l(vec![n(3), n(1), n(3)])]), "[1,3]");
        assert_eq!(
            run("toset", vec![l(vec![b(true), b(false)])]),
            "[false,true]"
        );
        assert_eq!(run("toset", vec![l(vec![s("a"), n(1)])]), r#"["1","a"]"#);
        let obj = |k: &str| m(vec![(k, n(1))]);
        assert_eq!(
            run("toset", vec![l(vec![obj("b"), obj("a"), obj("b")])]),
            "[{b:1},{a:1}]"
        );
        assert_eq!(run("toset", vec![nul()]), "null");
        fails("toset", vec![l(vec![s("a"), unk("u")])], "u");
        fails("toset", vec![l(vec![nul()])], "null values");
        fails("toset", vec![s("a")], "cannot convert a string");
        assert_eq!(
            run(
                "tomap",
                vec![m(vec![("a", n(1)), ("b", s("x")), ("c", unk("u"))])]
            ),
            r#"{a:"1",b:"x",c:?}"#
        );
        assert_eq!(run("tomap", vec![nul()]), "null");
        fails("tomap", vec![strs(&["a"])], "cannot convert a list");
        fails(
            "tomap",
            vec![m(vec![("a", n(1)), ("b", strs(&["x"]))])],
            "same type",
        );
    }

    // --- Encodings ----------------------------------------------------------------------------

    #[test]
    fn jsonencode_like_terraform() {
        let v = m(vec![
            ("b", l(vec![n(1), b(true), nul(), n(0.1)])),
            ("a", s("<x> & \u{2028}\n\u{1}\u{8}")),
        ]);
        assert_eq!(
            run("jsonencode", vec![v]),
            serde_json::to_string(
                r#"{"a":"\u003cx\u003e \u0026 \u2028\n\u0001\b","b":[1,true,null,0.1]}"#
            )
            .unwrap()
        );
        assert_eq!(
            run("jsonencode", vec![n(1e21)]),
            r#""1000000000000000000000""#
        );
        assert_eq!(run("jsonencode", vec![nul()]), r#""null""#);
        fails("jsonencode", vec![m(vec![("a", unk("var.a"))])], "var.a");
        fails("jsonencode", vec![n(f64::INFINITY)], "not finite");
    }

    #[test]
    fn jsondecode_builds_nodes() {
        assert_eq!(
            run(
                "jsondecode",
                vec![s(r#"{"a":[1,"x",null,true],"b":{"c":1.5},"e":{}}"#)]
            ),
            r#"{a:[1,"x",null,true],b:{c:1.5},e:{}}"#
        );
        assert_eq!(run("jsondecode", vec![s(" 42 ")]), "42");
        let doc = r#"{"z":[1,{"y":"<"}],"a":-0.5}"#;
        let encoded = call(
            "jsonencode",
            vec![call("jsondecode", vec![s(doc)], sp())],
            sp(),
        );
        assert_eq!(
            show(&encoded),
            serde_json::to_string(r#"{"a":-0.5,"z":[1,{"y":"\u003c"}]}"#).unwrap()
        );
        fails("jsondecode", vec![s("")], "EOF");
        fails("jsondecode", vec![s(r#"{"a":1,"a":2}"#)], "duplicate \"a\"");
        fails("jsondecode", vec![s("[1] x")], "trailing");
        fails("jsondecode", vec![s("1e400")], "out of range");
        fails("jsondecode", vec![s(&"[".repeat(500))], "recursion limit");
        fails("jsondecode", vec![unk("var.j")], "var.j");
    }

    #[test]
    fn base64_round_trips() {
        assert_eq!(
            run("base64encode", vec![s("Hello, World!")]),
            r#""SGVsbG8sIFdvcmxkIQ==""#
        );
        assert_eq!(run("base64encode", vec![s("")]), r#""""#);
        assert_eq!(run("base64encode", vec![s("ab")]), r#""YWI=""#);
        assert_eq!(run("base64encode", vec![s("abc")]), r#""YWJj""#);
        assert_eq!(
            run("base64decode", vec![s("SGVsbG8sIFdvcmxkIQ==")]),
            r#""Hello, World!""#
        );
        assert_eq!(run("base64decode", vec![s("YW\r\nI=")]), r#""ab""#);
        assert_eq!(run("base64decode", vec![s("")]), r#""""#);
        fails("base64decode", vec![s("YWI")], "illegal base64 data");
        fails("base64decode", vec![s("Y===")], "illegal base64 data");
        fails("base64decode", vec![s("YW=I")], "illegal base64 data");
        fails("base64decode", vec![s("YWI=YWI=")], "illegal base64 data");
        fails("base64decode", vec![s("*AAA")], "illegal base64 data");
        fails("base64decode", vec![s("/w==")], "not valid UTF-8");
        fails("base64encode", vec![unk("var.s")], "var.s");
    }

    // --- Robustness ---------------------------------------------------------------------------

    /// Values meant to break functions: nulls, unknowns (also nested), extreme and non-finite
    /// numbers, odd format strings and patterns, long strings, deep and wide collections.
    fn nasty_values() -> Vec<Node> {
        let mut deep = s("x");
        for _ in 0..(MAX_DEPTH + 10) {
            deep = l(vec![deep]);
        }
        let mut deep_map = n(1);
        for _ in 0..(MAX_DEPTH + 10) {
            deep_map = m(vec![("k", deep_map)]);
        }
        vec![
            nul(),
            b(true),
            n(0.0),
            n(-0.0),
            n(-1.0),
            n(2.5),
            n(1e300),
            n(-1e300),
            n(f64::MAX),
            n(9.3e18),
            n(f64::NAN),
            n(f64::INFINITY),
            n(1e-300),
            s(""),
            s("a"),
            s("%999999999d"),
            s("%[99999]v%.999f%"),
            s("%#v %q %-+ 0x %[1]e"),
            s("/(a+)+$/"),
            s("/[/"),
            s("{\"a\":"),
            s("-12"),
            s("true"),
            s("é\u{0}\u{2028}"),
            s(&"ab,".repeat(20_000)),
            partial("arn:{?}:{region=aws"),
            unk("u"),
            reference(),
            l(vec![]),
            l(vec![nul(), unk("u"), l(vec![reference()])]),
            l(vec![n(1), s("1"), b(false), n(f64::NAN)]),
            l((0..1000).map(n).collect()),
            strs(&["b", "a", "b"]),
            m(vec![]),
            m(vec![("a", unk("u")), ("b", l(vec![nul()]))]),
            deep,
            deep_map,
        ]
    }

    #[test]
    fn no_function_panics() {
        let values = nasty_values();
        let small: Vec<&Node> = values.iter().step_by(3).collect();
        for (name, _) in BUILTINS {
            let mut calls: Vec<Vec<Node>> = vec![vec![]];
            for a in &values {
                calls.push(vec![a.clone()]);
                for b in &values {
                    calls.push(vec![a.clone(), b.clone()]);
                }
            }
            for a in &small {
                for b in &small {
                    for c in &small {
                        calls.push(vec![(*a).clone(), (*b).clone(), (*c).clone()]);
                    }
                }
            }
            calls.push(values.clone());
            for args in calls {
                let r = call(name, args, sp());
                if let Kind::String(text) = &r.kind {
                    assert!(
                        text.len() <= 4 * MAX_STRING_LEN,
                        "`{name}()` built a huge string"
                    );
                }
            }
        }
    }
}
