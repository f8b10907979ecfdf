//! The located value tree shared by both front ends.
//!
//! A resource's body (Terraform attributes and nested blocks, CloudFormation `Properties`) is a
//! [`Node`] tree after evaluation: every value, map key and list element keeps the [`Span`] it was
//! read from. Values that cannot be determined statically are [`Kind::Unknown`] with a reason;
//! values that are another resource's attribute (computed at deploy time) are [`Kind::Ref`].

use std::collections::HashMap;

use crate::source::Span;

/// A value with the source range it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the value is.
    pub kind: Kind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of values.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`, or a value explicitly removed (`AWS::NoValue`).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// A list (Terraform tuples, lists, sets and repeated nested blocks; YAML sequences).
    List(Vec<Node>),
    /// A map (objects, nested blocks, YAML mappings), in source order.
    Map(Map),
    /// An attribute of another resource, known only at deploy time.
    Ref(Box<Reference>),
    /// A value that cannot be determined statically.
    Unknown(Box<Unknown>),
}

/// A map that keeps source order and the span of every key. Keys are unique (a later duplicate
/// replaces an earlier one). Lookups in a large map go through an index: a template or plan
/// with tens of thousands of keys in one mapping must not make building it quadratic.
#[derive(Debug, Clone, Default)]
pub struct Map {
    /// Entries in source order.
    entries: Vec<Entry>,
    /// Position of each key, once the map has more than [`Map::INDEXED`] entries. Boxed so that
    /// the many small maps stay one pointer larger, not a whole hash map larger.
    #[allow(clippy::box_collection)]
    index: Option<Box<HashMap<String, usize>>>,
}

impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.entries == other.entries
    }
}

/// An entry of a [`Map`] whose span and value can be changed, but not its key.
#[derive(Debug)]
pub struct EntryMut<'a> {
    /// The key.
    pub key: &'a str,
    /// Where the key was written.
    pub key_span: &'a mut Span,
    /// The value.
    pub value: &'a mut Node,
}

/// One key of a [`Map`].
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Entry {
    /// The span from the key to the end of the value (`backup_retention_period = 1`).
    pub fn span(&self) -> Span {
        self.key_span.to(self.value.span)
    }
}

/// A reference to an attribute of another resource in the same module or template.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The key of the referenced resource (see [`crate::model::Resource::key`]); for a resource
    /// with `count`/`for_each` referenced without an index this is the key without instance key.
    pub target: String,
    /// The attribute (`arn`, `id`, `name`, or the CloudFormation `GetAtt` attribute; empty for `Ref`).
    pub attribute: String,
    /// The expression as written, for messages (`aws_backup_vault.dr.arn`, `!Ref OrdersTable`).
    pub text: String,
}

/// Why a value is unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// A sentence fragment naming the expression and the cause, e.g.
    /// "`var.retention` has no value (set it in terraform.tfvars or with a default)".
    pub reason: String,
    /// For a string built from known and unknown parts (a template, `Fn::Sub`), the known parts
    /// with [`UNKNOWN_PART`] or a [`region_placeholder`] in place of the unknown ones. Lets an
    /// ARN's region be read even when its account id is unknown.
    pub partial: Option<String>,
    /// Whether evaluation failed (a missing attribute, an index out of range, a type error),
    /// rather than depending on a value that is not known: Terraform's `try()` and `can()`
    /// recover from the former only.
    pub error: bool,
    /// The values it can be, when it is one of a few known alternatives (a conditional whose
    /// condition is unknown): a check that gives the same answer for each of them is decided.
    /// At most [`MAX_ALTERNATIVES`]; empty when they are not known.
    pub alternatives: Vec<Node>,
}

/// Most alternatives an unknown value keeps (nested conditionals multiply them).
pub const MAX_ALTERNATIVES: usize = 8;

/// How deep walks through a value's nested lists and maps go ([`Node::find_deep`]).
pub const MAX_WALK_DEPTH: usize = 128;

/// What [`Node::find_deep`] found.
#[derive(Debug, Clone, Copy)]
pub enum Found<'n> {
    /// The first node that matched.
    Node(&'n Node),
    /// No node matched, but the value nests too deeply for all of it to be searched.
    TooDeep,
}

/// Stands for an unknown part of a partially known string.
pub const UNKNOWN_PART: &str = "{?}";

/// Stands for another resource's attribute in a partially known string
/// (`"s3-bucket-${random_pet.this.id}"`): the reference as written, and a hash of the resource
/// and attribute it names, so that two strings built the same way from the same resource are
/// known to be equal, and strings from different resources (another module instance) are not.
/// It holds no `:` or `/`, which would cut an ARN in the wrong place.
pub fn ref_placeholder(r: &Reference) -> String {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same on every run and machine.
    let mut h = std::hash::DefaultHasher::new();
    (&r.target, &r.attribute).hash(&mut h);
    let text: String = r
        .text
        .chars()
        .map(|c| {
            if matches!(c, ':' | '/' | '{' | '}') {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("${{{text}#{:08x}}}", h.finish() as u32)
}

/// How a [`region_placeholder`] begins; it ends at the next `}`.
pub const REGION_PLACEHOLDER_START: &str = "{region=";

/// Stands for "the region of the configuration identified by `key`" in a partially known string
/// (`${AWS::Region}`, `data.aws_region.current.name` of a provider without a known region).
pub fn region_placeholder(key: &str) -> String {
    format!("{REGION_PLACEHOLDER_START}{key}}}")
}

/// A string built from known and unknown parts (a Terraform template, `format()`, `join()`,
/// CloudFormation's `Fn::Sub`). An unknown part is written as its own known text when it is a
/// partially known string, as a [`ref_placeholder`] when it is another resource's attribute, and
/// as [`UNKNOWN_PART`] otherwise; the first reason is kept.
#[derive(Debug, Default)]
pub struct PartialText {
    /// The text so far: the known parts, and placeholders for the unknown ones.
    pub text: String,
    /// Why the first unknown part is unknown.
    unknown: Option<String>,
    /// A part failed to evaluate (see [`Unknown::error`]): the whole string fails.
    error: Option<String>,
    /// An unknown part changed the layout (a width, a precision): the text is not usable.
    lost: bool,
}

impl PartialText {
    /// Appends known text.
    pub fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends a value that is not a known string, unknown for `reason`. A failed evaluation
    /// fails the whole string.
    pub fn push_value(&mut self, value: &Node, reason: String) {
        match &value.kind {
            Kind::Unknown(u) => self
                .text
                .push_str(u.partial.as_deref().unwrap_or(UNKNOWN_PART)),
            Kind::Ref(r) => self.text.push_str(&ref_placeholder(r)),
            _ => self.text.push_str(UNKNOWN_PART),
        }
        if value.is_error() && self.error.is_none() {
            self.error = Some(reason.clone());
        }
        self.unknown.get_or_insert(reason);
    }

    /// Appends an unknown part that has no value to show (an unknown condition or collection).
    pub fn push_unknown(&mut self, reason: String) {
        self.text.push_str(UNKNOWN_PART);
        self.unknown.get_or_insert(reason);
    }

    /// Fails the whole string (an evaluation error inside it).
    pub fn fail(&mut self, reason: impl Into<String>) {
        self.error.get_or_insert_with(|| reason.into());
    }

    /// Records that an unknown part changed the layout of the rest: the string is unknown
    /// without a partial text.
    pub fn lose_layout(&mut self) {
        self.lost = true;
    }

    /// The string: known, partially known, unknown, or failed.
    pub fn finish(self, span: Span) -> Node {
        match (self.error, self.unknown) {
            (Some(reason), _) => Node::error(reason, span),
            (None, None) => Node::string(self.text, span),
            (None, Some(reason)) if self.lost => Node::unknown(reason, span),
            (None, Some(reason)) => Node::unknown_partial(reason, self.text, span),
        }
    }
}

impl Node {
    /// A node of the given kind.
    pub fn new(kind: Kind, span: Span) -> Node {
        Node { kind, span }
    }

    /// An unknown node.
    pub fn unknown(reason: impl Into<String>, span: Span) -> Node {
        Node {
            kind: Kind::Unknown(Box::new(Unknown {
                reason: reason.into(),
                partial: None,
                error: false,
                alternatives: Vec::new(),
            })),
            span,
        }
    }

    /// An unknown node that is one of `alternatives` (see [`Unknown::alternatives`]): each
    /// alternative's own alternatives are taken in, and none are kept past
    /// [`MAX_ALTERNATIVES`] or when one of them failed to evaluate.
    pub fn one_of(reason: impl Into<String>, alternatives: Vec<Node>, span: Span) -> Node {
        let mut flat: Vec<Node> = Vec::new();
        let mut known = true;
        for a in alternatives {
            match &a.kind {
                Kind::Unknown(u) if !u.alternatives.is_empty() => {
                    flat.extend(u.alternatives.iter().cloned())
                }
                Kind::Unknown(_) => known = false,
                _ => flat.push(a),
            }
        }
        if !known || flat.len() > MAX_ALTERNATIVES {
            flat.clear();
        }
        Node {
            kind: Kind::Unknown(Box::new(Unknown {
                reason: reason.into(),
                partial: None,
                error: false,
                alternatives: flat,
            })),
            span,
        }
    }

    /// The values an unknown node can be, when they are known (see [`Unknown::alternatives`]).
    pub fn alternatives(&self) -> &[Node] {
        match &self.kind {
            Kind::Unknown(u) => &u.alternatives,
            _ => &[],
        }
    }

    /// The result of an evaluation that failed (see [`Unknown::error`]).
    pub fn error(reason: impl Into<String>, span: Span) -> Node {
        Node {
            kind: Kind::Unknown(Box::new(Unknown {
                reason: reason.into(),
                partial: None,
                error: true,
                alternatives: Vec::new(),
            })),
            span,
        }
    }

    /// Whether the node is the result of a failed evaluation.
    pub fn is_error(&self) -> bool {
        matches!(&self.kind, Kind::Unknown(u) if u.error)
    }

    /// The first node of the value (itself, or inside its lists and maps, depth first in
    /// order) that `matches`; [`Found::TooDeep`] when none does but the value nests deeper than
    /// [`MAX_WALK_DEPTH`], so that not all of it was searched.
    pub fn find_deep(&self, matches: &dyn Fn(&Node) -> bool) -> Option<Found<'_>> {
        fn walk<'n>(
            n: &'n Node,
            matches: &dyn Fn(&Node) -> bool,
            depth: usize,
            too_deep: &mut bool,
        ) -> Option<&'n Node> {
            if matches(n) {
                return Some(n);
            }
            match &n.kind {
                Kind::List(_) | Kind::Map(_) if depth >= MAX_WALK_DEPTH => {
                    *too_deep = true;
                    None
                }
                Kind::List(items) => items
                    .iter()
                    .find_map(|i| walk(i, matches, depth + 1, too_deep)),
                Kind::Map(m) => m
                    .iter()
                    .find_map(|e| walk(&e.value, matches, depth + 1, too_deep)),
                _ => None,
            }
        }
        let mut too_deep = false;
        match walk(self, matches, 0, &mut too_deep) {
            Some(n) => Some(Found::Node(n)),
            None if too_deep => Some(Found::TooDeep),
            None => None,
        }
    }

    /// Why the first failed evaluation anywhere in the value failed (`[var.m["missing"]]` fails
    /// as a whole in Terraform, as the list holding it does). A part nested too deeply to search
    /// counts as not failed.
    pub fn deep_error(&self) -> Option<&str> {
        match self.find_deep(&Node::is_error)? {
            Found::Node(Node {
                kind: Kind::Unknown(u),
                ..
            }) => Some(&u.reason),
            _ => None,
        }
    }

    /// The first unknown value or reference anywhere in the value (see [`Node::find_deep`]).
    pub fn deep_unknown(&self) -> Option<Found<'_>> {
        self.find_deep(&|n| matches!(n.kind, Kind::Unknown(_) | Kind::Ref(_)))
    }

    /// An unknown string of which some parts are known (see [`Unknown::partial`]).
    pub fn unknown_partial(reason: impl Into<String>, partial: String, span: Span) -> Node {
        Node {
            kind: Kind::Unknown(Box::new(Unknown {
                reason: reason.into(),
                partial: Some(partial),
                error: false,
                alternatives: Vec::new(),
            })),
            span,
        }
    }

    /// The known text of a string: the string itself, or the partial text of an unknown string.
    pub fn partial_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.kind {
            Kind::Unknown(u) => u.partial.as_deref().map(std::borrow::Cow::Borrowed),
            _ => self.as_str(),
        }
    }

    /// A string node.
    pub fn string(s: impl Into<String>, span: Span) -> Node {
        Node {
            kind: Kind::String(s.into()),
            span,
        }
    }

    /// The entry `key` of a map node.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            Kind::Map(m) => m.get_entry(key),
            _ => None,
        }
    }

    /// The value of `key` in a map node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// All nodes reached by a dotted path (`rule.copy_action.destination_vault_arn`).
    ///
    /// Lists are flattened at every step, including the last: a path through repeated nested
    /// blocks yields each block, and a path ending at a list of strings yields each string. An
    /// unknown node met on the way is returned as is, so the caller sees why the path could not
    /// be followed. An empty path yields the node itself (flattened).
    pub fn lookup<'a>(&'a self, path: &str) -> Vec<&'a Node> {
        let mut current: Vec<&Node> = Vec::new();
        flatten_into(self, &mut current);
        if path.is_empty() {
            return current;
        }
        for segment in path.split('.') {
            let mut next = Vec::new();
            for node in current {
                match &node.kind {
                    Kind::Map(m) => {
                        if let Some(v) = m.get(segment) {
                            flatten_into(v, &mut next);
                        }
                    }
                    Kind::Unknown(_) => next.push(node),
                    _ => {}
                }
            }
            current = next;
        }
        current
    }

    /// The value at `path` as written (a list stays a list), when a single entry holds it.
    pub fn value_at(&self, path: &str) -> Option<&Node> {
        self.lookup_entry(path).map(|e| &e.value)
    }

    /// The first node reached by `path` together with the map entry holding it, for locations.
    pub fn lookup_entry<'a>(&'a self, path: &str) -> Option<&'a Entry> {
        let (parent, last) = match path.rsplit_once('.') {
            Some((p, l)) => (self.lookup(p), l),
            None => (vec![self], path),
        };
        parent.into_iter().find_map(|n| n.entry(last))
    }

    /// Whether the node is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }

    /// The reason a node is unknown or a reference (references are unknown values too).
    pub fn unknown_reason(&self) -> Option<String> {
        match &self.kind {
            Kind::Unknown(u) => Some(u.reason.clone()),
            Kind::Ref(r) => Some(format!(
                "`{}` is computed when the resource is created",
                r.text
            )),
            _ => None,
        }
    }

    /// The string value (numbers and booleans are rendered, as CloudFormation does).
    pub fn as_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match &self.kind {
            Kind::String(s) => Some(Cow::Borrowed(s)),
            Kind::Number(n) => Some(Cow::Owned(format_number(*n))),
            Kind::Bool(b) => Some(Cow::Owned(b.to_string())),
            _ => None,
        }
    }

    /// A boolean, also from the strings `true`/`false` (any case), as CloudFormation accepts.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Kind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A number, also from numeric strings.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => Some(*n),
            Kind::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// The elements of a list node (a non-list node is a one-element list).
    pub fn elements(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        flatten_into(self, &mut out);
        out
    }

    /// The reference, if this node is one.
    pub fn as_ref_target(&self) -> Option<&Reference> {
        match &self.kind {
            Kind::Ref(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the node is null.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// A short rendering of the value for messages (`7`, `"Enabled"`, `true`).
    pub fn display(&self) -> String {
        match &self.kind {
            Kind::Null => "null".into(),
            Kind::Bool(b) => b.to_string(),
            Kind::Number(n) => format_number(*n),
            Kind::String(s) => format!("{s:?}"),
            Kind::List(l) => format!("[{} items]", l.len()),
            Kind::Map(m) => format!("{{{} keys}}", m.len()),
            Kind::Ref(r) => r.text.clone(),
            Kind::Unknown(_) => "(unknown)".into(),
        }
    }
}

fn flatten_into<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.kind {
        Kind::List(items) => {
            for item in items {
                // Lists of lists are flattened one level per step only: nested blocks are never
                // lists of lists, and a literal nested list keeps its shape below the first level.
                out.push(item);
            }
        }
        Kind::Null => {}
        _ => out.push(node),
    }
}

impl Map {
    /// Maps up to this size are searched; larger ones are indexed.
    pub const INDEXED: usize = 16;

    /// An empty map.
    pub const fn new() -> Map {
        Map {
            entries: Vec::new(),
            index: None,
        }
    }

    /// The entries, in source order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries, in source order.
    pub fn iter(&self) -> std::slice::Iter<'_, Entry> {
        self.entries.iter()
    }

    /// The entries with changeable spans and values, in source order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = EntryMut<'_>> {
        self.entries.iter_mut().map(|e| EntryMut {
            key: &e.key,
            key_span: &mut e.key_span,
            value: &mut e.value,
        })
    }

    /// The entries, in source order, taken out of the map.
    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// The position of `key` in the entries.
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|e| e.key == key),
        }
    }

    /// The entry for `key`.
    pub fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.position(key).and_then(|i| self.entries.get(i))
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|e| &e.value)
    }

    /// The value for `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let i = self.position(key)?;
        self.entries.get_mut(i).map(|e| &mut e.value)
    }

    /// Keeps the entries for which `keep` holds.
    pub fn retain(&mut self, keep: impl FnMut(&Entry) -> bool) {
        self.entries.retain(keep);
        self.index = None;
        self.reindex();
    }

    /// Appends an entry whose key is new.
    fn push(&mut self, entry: Entry) {
        if let Some(index) = &mut self.index {
            index.insert(entry.key.clone(), self.entries.len());
        }
        self.entries.push(entry);
        self.reindex();
    }

    /// Builds the index once the map is large enough to need it.
    fn reindex(&mut self) {
        if self.index.is_none() && self.entries.len() > Self::INDEXED {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect();
            self.index = Some(Box::new(index));
        }
    }

    /// Inserts or replaces `key`.
    pub fn insert(&mut self, key: String, key_span: Span, value: Node) {
        match self.position(&key).and_then(|i| self.entries.get_mut(i)) {
            Some(e) => {
                e.key_span = key_span;
                e.value = value;
            }
            None => self.push(Entry {
                key,
                key_span,
                value,
            }),
        }
    }

    /// Appends a nested block under `key`: repeated blocks become a list.
    pub fn push_block(&mut self, key: String, key_span: Span, block: Node) {
        match self.position(&key).and_then(|i| self.entries.get_mut(i)) {
            Some(e) => match &mut e.value.kind {
                Kind::List(items) => {
                    e.value.span = e.value.span.to(block.span);
                    items.push(block);
                }
                _ => {
                    let previous = std::mem::replace(&mut e.value, Node::new(Kind::Null, key_span));
                    let span = previous.span.to(block.span);
                    e.value = Node::new(Kind::List(vec![previous, block]), span);
                }
            },
            None => {
                let span = block.span;
                self.push(Entry {
                    key,
                    key_span,
                    value: Node::new(Kind::List(vec![block]), span),
                });
            }
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = &'a Entry;
    type IntoIter = std::slice::Iter<'a, Entry>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// Gives a value, its map keys and everything in it (down to [`MAX_WALK_DEPTH`]) one span: for
/// values reported where they were not written (a plan's values, a command-line value).
/// Points every span of `node` in file `from` (values and keys) at `to`.
pub fn relocate(node: &mut Node, from: crate::source::FileId, to: Span) {
    if node.span.file == from {
        node.span = to;
    }
    match &mut node.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| relocate(i, from, to)),
        Kind::Map(m) => {
            for e in m.iter_mut() {
                if e.key_span.file == from {
                    *e.key_span = to;
                }
                relocate(e.value, from, to);
            }
        }
        _ => {}
    }
}

pub(crate) fn respan(node: &mut Node, span: Span) {
    fn walk(node: &mut Node, span: Span, depth: usize) {
        node.span = span;
        if depth >= MAX_WALK_DEPTH {
            return;
        }
        match &mut node.kind {
            Kind::List(items) => items.iter_mut().for_each(|i| walk(i, span, depth + 1)),
            Kind::Map(m) => m.iter_mut().for_each(|e| {
                *e.key_span = span;
                walk(e.value, span, depth + 1);
            }),
            _ => {}
        }
    }
    walk(node, span, 0);
}

/// Renders a number the way a user wrote it: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn sp() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        let mut m = Map::default();
        for (k, v) in entries {
            m.insert(k.to_string(), sp(), v);
        }
        Node::new(Kind::Map(m), sp())
    }

    #[test]
    fn lookup_flattens_blocks_and_lists() {
        let rule = |s: &str| map(vec![("schedule", Node::string(s, sp()))]);
        let mut body = Map::default();
        body.push_block("rule".into(), sp(), rule("a"));
        body.push_block("rule".into(), sp(), rule("b"));
        let body = Node::new(Kind::Map(body), sp());
        let found: Vec<_> = body
            .lookup("rule.schedule")
            .iter()
            .map(|n| n.as_str().unwrap().into_owned())
            .collect();
        assert_eq!(found, ["a", "b"]);
        assert_eq!(body.lookup("rule").len(), 2);
        assert!(body.lookup("missing.x").is_empty());
    }

    #[test]
    fn lookup_stops_at_unknown() {
        let body = map(vec![("rule", Node::unknown("dynamic block", sp()))]);
        let found = body.lookup("rule.schedule");
        assert_eq!(found.len(), 1);
        assert!(found[0].is_unknown());
    }

    #[test]
    fn deep_searches_are_bounded() {
        let mut deep = Node::string("x", sp());
        for _ in 0..MAX_WALK_DEPTH + 5 {
            deep = Node::new(Kind::List(vec![deep]), sp());
        }
        assert!(matches!(deep.deep_unknown(), Some(Found::TooDeep)));
        assert_eq!(deep.deep_error(), None);
        // A match beside a part too deep to search is still found.
        let v = map(vec![
            ("deep", deep),
            ("bad", Node::error("boom", sp())),
            ("later", Node::unknown("why", sp())),
        ]);
        assert_eq!(v.deep_error(), Some("boom"));
        match v.deep_unknown() {
            Some(Found::Node(n)) => assert_eq!(n.unknown_reason().as_deref(), Some("boom")),
            other => panic!("{other:?}"),
        }
        assert!(
            map(vec![("a", Node::string("x", sp()))])
                .deep_unknown()
                .is_none()
        );
    }

    #[test]
    fn lenient_scalars() {
        assert_eq!(Node::string("True", sp()).as_bool(), Some(true));
        assert_eq!(Node::string("7", sp()).as_f64(), Some(7.0));
        assert_eq!(Node::string("x", sp()).as_f64(), None);
        assert_eq!(format_number(7.0), "7");
        assert_eq!(format_number(1.5), "1.5");
    }
}
