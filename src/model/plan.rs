//! Terraform plan JSON (`terraform show -json plan.out > plan.json`), and state JSON
//! (`terraform show -json > state.json`: `values` instead of `planned_values`, no
//! `configuration`, so a resource's region comes from its `region` attribute or its ARN).
//!
//! `planned_values` holds every resource instance with its attributes fully resolved; what is
//! only known after apply (an ARN, an id) is listed in `resource_changes[].change.after_unknown`,
//! and `configuration` says which resources such values refer to (`references`), which provider
//! configuration each resource uses (and so its region), and where module calls load modules
//! from. Each resource is mapped back to its `resource` block in the configuration directory
//! (`--config-dir`, default: the plan file's directory) when that is available, so findings
//! point at HCL lines rather than at the plan.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::node::{Kind, Node, Reference, respan};
use super::terraform::eval::resource_key;
use super::{Frontend, ModelNote, Region, Resource, ResourceId, Tags};
use crate::knowledge::KnowledgeBase;
use crate::source::Span;

/// Whether a JSON text looks like `terraform show -json` output of a plan, or of a state
/// (`values.root_module`, what is deployed).
pub fn is_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"")
            || (text.contains("\"values\"")
                && text.contains("\"root_module\"")
                && text.contains("\"terraform_version\"")))
}

/// Where a block of the configuration and its contents were written.
#[derive(Debug, Clone, Default)]
pub struct BlockSpans {
    /// The block's header (`resource "type" "name"`, `rule`).
    pub header: Span,
    /// The whole block.
    pub block: Span,
    /// Attributes and nested blocks by name; repeated blocks in order.
    pub entries: HashMap<String, Vec<Written>>,
}

/// One attribute or nested block of a [`BlockSpans`].
#[derive(Debug, Clone)]
pub enum Written {
    /// `key = value`: the key's and the value's spans.
    Attribute(Span, Span),
    /// A nested block.
    Block(BlockSpans),
    /// A `dynamic "name"` block: its content is generated, so only its place is known.
    Dynamic(Span, Span),
}

/// Finds `resource` blocks in the configuration: by module directory and `type.name`.
pub trait ConfigLocator {
    /// The block of `type.name` in the module at `dir` (the configuration directory joined with
    /// the module's source path).
    fn locate(&self, dir: &Path, rtype: &str, name: &str) -> Option<BlockSpans>;

    /// The `provider "name"` block with this `alias` (`None`: the default one) in `dir`.
    fn locate_provider(&self, dir: &Path, name: &str, alias: Option<&str>) -> Option<BlockSpans>;
}

/// Builds the resources of a plan. `unit` is the plan file's path relative to the base; `file`
/// its id; `config_dir` the configuration directory; `default_region` the region of providers
/// that set none (`--region`: what `AWS_REGION` gave when the plan was made).
pub fn build_plan<'p>(
    unit: &'p str,
    root: &'p Node,
    kb: &'p KnowledgeBase,
    config_dir: &'p Path,
    locator: &'p dyn ConfigLocator,
    default_region: Option<&'p str>,
) -> (Vec<Resource>, Vec<ModelNote>) {
    let mut b = PlanBuilder {
        unit,
        root,
        kb,
        locator,
        config_dir,
        default_region,
        variables: HashMap::new(),
        unknown_after: HashMap::new(),
        provider_blocks: RefCell::new(HashMap::new()),
        resources: Vec::new(),
        notes: Vec::new(),
    };
    if let Some(Node {
        kind: Kind::Map(vars),
        ..
    }) = root.get("variables")
    {
        for e in vars {
            if let Some(v) = e.value.get("value") {
                b.variables.insert(e.key.clone(), v);
            }
        }
    }
    for change in root.lookup("resource_changes") {
        if let (Some(addr), Some(after)) = (
            change.get("address").and_then(|a| a.as_str()),
            change.get("change").and_then(|c| c.get("after_unknown")),
        ) {
            b.unknown_after.insert(addr.into_owned(), after);
        }
    }
    let config_root = root.get("configuration").and_then(|c| c.get("root_module"));
    // A plan's `planned_values`, or a state's `values` (`terraform show -json` of a state).
    if let Some(planned) = root
        .get("planned_values")
        .or_else(|| root.get("values"))
        .and_then(|p| p.get("root_module"))
    {
        b.module(planned, config_root, config_dir.to_path_buf(), "", 0);
    }
    (b.resources, b.notes)
}

struct PlanBuilder<'p> {
    unit: &'p str,
    root: &'p Node,
    kb: &'p KnowledgeBase,
    locator: &'p dyn ConfigLocator,
    config_dir: &'p Path,
    /// The region of providers that set none.
    default_region: Option<&'p str>,
    /// Root module variable values.
    variables: HashMap<String, &'p Node>,
    /// `after_unknown` flags by resource address.
    unknown_after: HashMap<String, &'p Node>,
    /// The `provider` blocks found so far, by provider configuration key.
    provider_blocks: RefCell<HashMap<String, Option<Rc<BlockSpans>>>>,
    resources: Vec<Resource>,
    notes: Vec<ModelNote>,
}

impl<'p> PlanBuilder<'p> {
    /// One module of `planned_values`, with its `configuration` counterpart, its directory and
    /// the address prefix of its resources (empty for the root module, `module.a["k"].` below).
    fn module(
        &mut self,
        planned: &'p Node,
        config: Option<&'p Node>,
        dir: PathBuf,
        prefix: &str,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        // The module's configured resources by type and name (the first of each wins).
        let mut configured: HashMap<(String, String), &'p Node> = HashMap::new();
        for cr in config.map(|c| c.lookup("resources")).unwrap_or_default() {
            if let (Some(rtype), Some(name)) = (
                cr.get("type").and_then(|t| t.as_str()),
                cr.get("name").and_then(|n| n.as_str()),
            ) {
                configured
                    .entry((rtype.into_owned(), name.into_owned()))
                    .or_insert(cr);
            }
        }
        for r in planned.lookup("resources") {
            if r.get("mode").and_then(|m| m.as_str()).as_deref() != Some("managed") {
                continue;
            }
            self.resource(r, &configured, &dir, prefix);
        }
        for child in planned.lookup("child_modules") {
            let Some(address) = child.get("address").and_then(|a| a.as_str()) else {
                continue;
            };
            // `module.a["k"].module.b[0]` -> the call name of the last step, without index.
            let last = address.rsplit("module.").next().unwrap_or("");
            let name = last.split(['[', '.']).next().unwrap_or("");
            let call = config
                .and_then(|c| c.get("module_calls"))
                .and_then(|m| m.get(name));
            let child_dir = call
                .and_then(|c| c.get("source"))
                .and_then(|s| s.as_str())
                .filter(|s| s.starts_with("./") || s.starts_with("../"))
                .map(|s| dir.join(s.as_ref()))
                .unwrap_or_else(|| dir.join(".terraform/modules").join(name));
            self.module(
                child,
                call.and_then(|c| c.get("module")),
                child_dir,
                &format!("{address}."),
                depth + 1,
            );
        }
    }

    fn resource(
        &mut self,
        r: &Node,
        configured: &HashMap<(String, String), &'p Node>,
        dir: &Path,
        module_prefix: &str,
    ) {
        let (Some(address), Some(rtype), Some(name)) = (
            r.get("address").and_then(|a| a.as_str()),
            r.get("type").and_then(|t| t.as_str()),
            r.get("name").and_then(|n| n.as_str()),
        ) else {
            return;
        };
        let (address, rtype, name) = (address.into_owned(), rtype.into_owned(), name.into_owned());
        let config_resource = configured.get(&(rtype.clone(), name.clone())).copied();
        let mut body = r
            .get("values")
            .cloned()
            .unwrap_or_else(|| Node::new(Kind::Map(Default::default()), r.span));
        // Values known only after apply: a reference when the configuration says to what.
        if let Some(unknown) = self.unknown_after.get(&address) {
            let expressions = config_resource.map(|c| c.get("expressions").unwrap_or(&EMPTY));
            self.fill_unknown(&mut body, unknown, expressions, module_prefix, 0);
        }
        let mut span = r.span;
        if let Some(found) = self.locator.locate(dir, &rtype, &name) {
            span = found.header;
            relocate(&mut body, &found, 0);
        }
        let provider = self.provider(config_resource);
        let region = self.region(&body, &provider);
        let tags = self.tags(&body, &rtype, &provider);
        let base = format!("{module_prefix}{rtype}.{name}");
        self.resources.push(Resource {
            id: ResourceId(0),
            key: resource_key(self.unit, &address),
            base_key: resource_key(self.unit, &base),
            address,
            unit: self.unit.to_string(),
            rtype,
            frontend: Frontend::Terraform,
            span,
            body,
            tags,
            region,
            metadata: None,
            existence_unknown: None,
            call_chain: Vec::new(),
            stack_set: None,
        });
    }

    /// Puts in the values Terraform knows only after apply (`after_unknown` flags, omitted from
    /// the values): a reference when the configuration says which resource such a value comes
    /// from, an unknown value otherwise. `expressions` is the configuration of this block (`None`
    /// when the plan has none): an unknown attribute the configuration does not set is computed
    /// by the provider, the same as an absent attribute in HCL, so it stays absent.
    fn fill_unknown(
        &self,
        value: &mut Node,
        flags: &Node,
        expressions: Option<&Node>,
        prefix: &str,
        depth: usize,
    ) {
        let (Kind::Map(flags), Kind::Map(values)) = (&flags.kind, &mut value.kind) else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        for flag in flags {
            let expression = expressions.map(|e| e.get(&flag.key));
            let configured = !matches!(expression, Some(None));
            let expression = expression.flatten();
            match &flag.value.kind {
                Kind::Bool(true) if !configured => {
                    values.retain(|e| e.key != flag.key);
                }
                Kind::Bool(true) => {
                    let v = self.computed(&flag.key, expression, 0, 1, prefix, flag.key_span);
                    values.insert(flag.key.clone(), flag.key_span, v);
                }
                Kind::List(items) if items.iter().any(has_unknown) => {
                    if values.get(&flag.key).is_none() {
                        let empty = Node::new(Kind::List(Vec::new()), flag.key_span);
                        values.insert(flag.key.clone(), flag.key_span, empty);
                    }
                    let Some(target) = values.get_mut(&flag.key) else {
                        continue;
                    };
                    match expression {
                        Some(e) if is_expression(e) => {
                            self.fill_list(target, items, &flag.key, e, prefix)
                        }
                        _ => {
                            let blocks = expression.map(Node::elements).unwrap_or_default();
                            let Kind::List(elements) = &mut target.kind else {
                                continue;
                            };
                            for (i, (element, f)) in elements.iter_mut().zip(items).enumerate() {
                                let block = match blocks.len() {
                                    0 => None,
                                    1 => Some(blocks[0]),
                                    _ => blocks.get(i).copied(),
                                };
                                let block = block.or(expressions.map(|_| &EMPTY));
                                self.fill_unknown(element, f, block, prefix, depth + 1);
                            }
                        }
                    }
                }
                Kind::Map(_) if has_unknown(&flag.value) => {
                    let Some(target) = values.get_mut(&flag.key) else {
                        continue;
                    };
                    // A map attribute's unknown values, or a single nested block.
                    let inner = expression.filter(|e| !is_expression(e));
                    let inner = inner.or(expressions.map(|_| &EMPTY));
                    self.fill_unknown(target, &flag.value, inner, prefix, depth + 1);
                }
                _ => {}
            }
        }
    }

    /// A list attribute whose elements are partly unknown: the unknown ones are the resources
    /// the expression refers to, in order, when there are as many of those as unknown elements.
    fn fill_list(&self, list: &mut Node, flags: &[Node], key: &str, expr: &Node, prefix: &str) {
        let Kind::List(known) = &mut list.kind else {
            return;
        };
        let unknown = flags.iter().filter(|f| f.as_bool() == Some(true)).count();
        let mut known = std::mem::take(known).into_iter();
        let same_length = known.len() == flags.len();
        let mut out = Vec::with_capacity(flags.len());
        let mut nth = 0;
        for f in flags {
            let is_unknown = f.as_bool() == Some(true);
            // Unknown elements are omitted from the values, or left as nulls in their place.
            let element = if same_length || !is_unknown {
                known.next()
            } else {
                None
            };
            if is_unknown {
                out.push(self.computed(key, Some(expr), nth, unknown, prefix, list.span));
                nth += 1;
            } else if let Some(e) = element {
                out.push(e);
            }
        }
        list.kind = Kind::List(out);
    }

    /// The value of a computed attribute: the `nth` of `of` unknown values of `key`.
    fn computed(
        &self,
        key: &str,
        expr: Option<&Node>,
        nth: usize,
        of: usize,
        prefix: &str,
        span: Span,
    ) -> Node {
        let references = resource_references(expr);
        match references.get(nth) {
            Some((address, attribute, text)) if references.len() == of => Node::new(
                Kind::Ref(Box::new(Reference {
                    target: resource_key(self.unit, &format!("{prefix}{address}")),
                    attribute: attribute.clone(),
                    text: text.clone(),
                })),
                span,
            ),
            _ if references.is_empty() => Node::unknown(
                format!("`{key}` is only known when the plan is applied"),
                span,
            ),
            _ => Node::unknown(
                format!(
                    "`{key}` is only known when the plan is applied (it is computed from {})",
                    references
                        .iter()
                        .map(|(_, _, t)| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                span,
            ),
        }
    }

    /// The provider configuration a resource uses: its key and configuration, or why unknown.
    fn provider(&self, config: Option<&Node>) -> Result<(String, &'p Node), String> {
        let keys: Vec<String> = match config {
            Some(c) => match c.get("provider_config_key").and_then(|k| k.as_str()) {
                Some(k) => vec![k.into_owned()],
                // OpenTofu: one key per provider instance (`provider = aws.by_region[each.key]`).
                None => c
                    .lookup("provider_config_keys")
                    .into_iter()
                    .filter_map(|k| k.as_str().map(|s| s.into_owned()))
                    .collect(),
            },
            None => Vec::new(),
        };
        match keys.as_slice() {
            [key] => self
                .provider_config(key)
                .ok_or_else(|| format!("the plan does not show provider configuration `{key}`")),
            [] if self.root.get("configuration").is_none() => Err(
                "a state records no provider configuration, and the resource has no ARN that names its region".into(),
            ),
            [] => {
                Err("the plan does not say which provider configuration the resource uses".into())
            }
            _ => Err(format!(
                "the resource uses one of the providers {}",
                keys.join(", ")
            )),
        }
    }

    /// The `provider` block of a root module provider configuration, in the configuration
    /// (looked up once per key).
    fn provider_block(&self, key: &str) -> Option<Rc<BlockSpans>> {
        if let Some(found) = self.provider_blocks.borrow().get(key) {
            return found.clone();
        }
        let found = self.find_provider_block(key).map(Rc::new);
        self.provider_blocks
            .borrow_mut()
            .insert(key.to_string(), found.clone());
        found
    }

    fn find_provider_block(&self, key: &str) -> Option<BlockSpans> {
        if key.contains(':') {
            return None;
        }
        let (name, alias) = match key.split_once('.') {
            Some((n, a)) => (n, Some(a)),
            None => (key, None),
        };
        self.locator.locate_provider(self.config_dir, name, alias)
    }

    /// The resource's region: its own `region` attribute, else its provider configuration's.
    fn region(&self, body: &Node, provider: &Result<(String, &Node), String>) -> Region {
        if let Some(r) = body.get("region").and_then(|r| r.as_str()) {
            return Region::known(r, body.get("region").map(|n| n.span));
        }
        let (key, provider) = match provider {
            Ok(p) => p,
            // A state records no provider configurations, but a deployed resource's ARN names
            // its region.
            Err(reason) => {
                let state = self.root.get("configuration").is_none();
                return match body.get("arn").and_then(super::region::region_of_arn_node) {
                    Some(r @ Region::Known { .. }) => r,
                    _ => match self.default_region.filter(|_| state) {
                        Some(r) => Region::known(r, None),
                        None => Region::Unknown {
                            reason: reason.clone(),
                        },
                    },
                };
            }
        };
        let expr = provider.get("expressions").and_then(|e| e.get("region"));
        let span = || {
            let block = self.provider_block(key)?;
            match block.entries.get("region")?.first()? {
                Written::Attribute(_, value) => Some(*value),
                _ => None,
            }
        };
        if let Some(v) = expr
            .and_then(|e| e.get("constant_value"))
            .and_then(|v| v.as_str())
        {
            return Region::known(v, span());
        }
        let var = expr
            .map(|e| e.lookup("references"))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| r.as_str().map(|s| s.into_owned()))
            .find_map(|r| r.strip_prefix("var.").map(str::to_string));
        // Root module variables only: the plan does not show the values of module inputs.
        let root_provider = !key.contains(':');
        if let Some(name) = var
            .filter(|_| root_provider)
            .and_then(|v| self.variables.get(&v))
            .and_then(|v| v.as_str())
        {
            return Region::known(name, span());
        }
        if let (None, Some(r)) = (expr, self.default_region) {
            return Region::known(r, None);
        }
        Region::Symbolic {
            key: format!("{}:{key}", self.unit),
            reason: match expr {
                None => format!(
                    "provider `{key}` sets no region: it comes from the environment (AWS_REGION); pass --region or set `region` in resilint.toml"
                ),
                Some(_) => format!("the plan does not show the region of provider `{key}`"),
            },
        }
    }

    /// The resource's tags: `tags` as written, then what `tags_all` adds (the provider's
    /// `default_tags`, located at the provider block when it is found).
    fn tags(&self, body: &Node, rtype: &str, provider: &Result<(String, &Node), String>) -> Tags {
        let (own, all) = (body.get("tags"), body.get("tags_all"));
        if own.is_none() && all.is_none() {
            return Tags::from_paths(body, &self.kb.tag_paths(rtype, "tags"));
        }
        let mut tags = own
            .filter(|t| !t.is_null())
            .map(|t| Tags::from_node(t, false))
            .unwrap_or_default();
        if let Some(all) = all.filter(|t| !t.is_null()) {
            let default_tags = provider
                .as_ref()
                .ok()
                .and_then(|(key, _)| self.provider_block(key))
                .and_then(|b| match b.entries.get("default_tags")?.first()? {
                    Written::Block(d) => match d.entries.get("tags")?.first()? {
                        Written::Attribute(k, v) => Some(k.to(*v)),
                        _ => None,
                    },
                    _ => None,
                });
            let mut defaults = Tags::from_node(all, true);
            if let Some(span) = default_tags {
                for tag in &mut defaults.entries {
                    tag.span = span;
                    tag.value.span = span;
                }
            }
            tags.merge(defaults);
        }
        tags
    }

    /// The provider configuration a key names. Terraform 1.1+ and OpenTofu give resources of
    /// child modules the key of the configuration they use; earlier versions give
    /// `call:aws`, which names no configuration when the provider is inherited. Default
    /// (unaliased) providers are inherited implicitly, so the nearest configuration up the
    /// module path is the one; an aliased one must be passed explicitly, and the plan does not
    /// say how, so it stays unknown.
    fn provider_config(&self, key: &str) -> Option<(String, &'p Node)> {
        let configs = self.root.get("configuration")?.get("provider_config")?;
        if let Some(p) = configs.get(key) {
            return Some((key.to_string(), p));
        }
        let (path, provider) = key.rsplit_once(':')?;
        if provider.contains('.') {
            return None;
        }
        let mut path = path.to_string();
        loop {
            path = match path.rfind(".module.") {
                Some(i) => path[..i].to_string(),
                None => String::new(),
            };
            let candidate = if path.is_empty() {
                provider.to_string()
            } else {
                format!("{path}:{provider}")
            };
            if let Some(p) = configs.get(&candidate) {
                return Some((candidate, p));
            }
            if path.is_empty() {
                return None;
            }
        }
    }
}

/// Nesting bound for plan values.
const MAX_DEPTH: usize = 64;

/// The configuration of a block that sets nothing.
static EMPTY: Node = Node {
    kind: Kind::Map(crate::model::node::Map::new()),
    span: Span {
        file: crate::source::FileId(0),
        start: 0,
        end: 0,
    },
};

/// Whether `after_unknown` flags mark anything unknown.
fn has_unknown(flags: &Node) -> bool {
    match &flags.kind {
        Kind::Bool(b) => *b,
        Kind::List(items) => items.iter().any(has_unknown),
        Kind::Map(m) => m.iter().any(|e| has_unknown(&e.value)),
        _ => false,
    }
}

/// Whether a configuration node is an expression (`constant_value`, `references`) rather than
/// the attributes of a nested block.
fn is_expression(node: &Node) -> bool {
    match &node.kind {
        Kind::Map(m) => {
            !m.is_empty()
                && m.iter()
                    .all(|e| e.key == "references" || e.key == "constant_value")
        }
        _ => false,
    }
}

/// The resources an expression refers to, in order, without repeats: (address, attribute, text).
/// Terraform lists `aws_db_instance.x.arn` and then `aws_db_instance.x`; the second adds nothing.
fn resource_references(expr: Option<&Node>) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for r in expr.map(|e| e.lookup("references")).unwrap_or_default() {
        let Some(text) = r.as_str() else { continue };
        let Some((address, attribute)) = resource_reference(&text) else {
            continue;
        };
        match out.iter_mut().find(|(a, _, _)| *a == address) {
            Some(existing) if existing.1.is_empty() => {
                *existing = (address, attribute, text.into_owned())
            }
            Some(_) => {}
            None => out.push((address, attribute, text.into_owned())),
        }
    }
    out
}

/// `aws_s3_bucket.b["k"].arn` → (`aws_s3_bucket.b["k"]`, `arn`). `var.x`, `module.x.y`, `data.x.y`
/// and the like are not resources.
fn resource_reference(r: &str) -> Option<(String, String)> {
    let (rtype, rest) = r.split_once('.')?;
    const NOT_RESOURCES: [&str; 10] = [
        "var",
        "local",
        "module",
        "data",
        "each",
        "count",
        "path",
        "self",
        "terraform",
        "provider",
    ];
    if NOT_RESOURCES.contains(&rtype) || rest.is_empty() {
        return None;
    }
    // The name, then an optional index (which may hold dots inside quotes), then the attribute.
    let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
    let mut end = name_end;
    if rest[name_end..].starts_with('[') {
        let mut quoted = false;
        let mut escaped = false;
        for (i, c) in rest[name_end..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ']' if !quoted => {
                    end = name_end + i + 1;
                    break;
                }
                _ => {}
            }
        }
        if end == name_end {
            return None;
        }
    }
    let attribute = rest[end..].strip_prefix('.').unwrap_or("");
    let attribute = attribute.split(['.', '[']).next().unwrap_or("");
    Some((format!("{rtype}.{}", &rest[..end]), attribute.to_string()))
}

/// Moves the spans of a resource's values from the plan to the configuration where they were
/// written: attributes to their `key = value`, nested blocks to the blocks, one by one.
fn relocate(node: &mut Node, written: &BlockSpans, depth: usize) {
    let Kind::Map(m) = &mut node.kind else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    for e in m.iter_mut() {
        let Some(places) = written.entries.get(e.key) else {
            continue;
        };
        match places.as_slice() {
            [Written::Attribute(key, value)] | [Written::Dynamic(key, value), ..] => {
                *e.key_span = *key;
                respan(e.value, *value);
            }
            blocks => {
                let blocks: Vec<&BlockSpans> = blocks
                    .iter()
                    .filter_map(|w| match w {
                        Written::Block(b) => Some(b),
                        _ => None,
                    })
                    .collect();
                let Some(first) = blocks.first() else {
                    continue;
                };
                *e.key_span = first.header;
                match &mut e.value.kind {
                    Kind::List(items) if items.len() == blocks.len() => {
                        e.value.span = first.block.to(blocks[blocks.len() - 1].block);
                        for (item, b) in items.iter_mut().zip(&blocks) {
                            item.span = b.block;
                            relocate(item, b, depth + 1);
                        }
                    }
                    Kind::Map(_) if blocks.len() == 1 => {
                        e.value.span = first.block;
                        relocate(e.value, first, depth + 1);
                    }
                    // Blocks added by the provider or a mismatch: the first block stands for all.
                    _ => respan(e.value, first.block),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A configuration directory without the blocks.
    struct NoBlocks;

    impl ConfigLocator for NoBlocks {
        fn locate(&self, _: &Path, _: &str, _: &str) -> Option<BlockSpans> {
            None
        }

        fn locate_provider(&self, _: &Path, _: &str, _: Option<&str>) -> Option<BlockSpans> {
            None
        }
    }

    #[test]
    fn the_module_prefix_comes_from_the_module_address() {
        // Instance keys that repeat the resource's `type.name`.
        let text = r#"{
          "format_version": "1.2",
          "planned_values": {"root_module": {
            "resources": [{"address": "aws_db_instance.d[\"aws_db_instance.d\"]",
              "mode": "managed", "type": "aws_db_instance", "name": "d", "values": {}}],
            "child_modules": [{"address": "module.m[\"aws_db_instance.d\"]",
              "resources": [{"address": "module.m[\"aws_db_instance.d\"].aws_db_instance.d[\"aws_db_instance.d\"]",
                "mode": "managed", "type": "aws_db_instance", "name": "d", "values": {}}]}]
          }}
        }"#;
        let root = crate::parse::json::parse(crate::source::FileId(0), text).unwrap();
        let kb = KnowledgeBase::builtin().unwrap();
        let (resources, _) = build_plan("plan.json", &root, &kb, Path::new("."), &NoBlocks, None);
        let base_keys: Vec<&str> = resources.iter().map(|r| r.base_key.as_str()).collect();
        assert_eq!(
            base_keys,
            [
                "plan.json:aws_db_instance.d",
                r#"plan.json:module.m["aws_db_instance.d"].aws_db_instance.d"#
            ]
        );
    }

    #[test]
    fn references_to_resources() {
        let r = |s: &str| resource_reference(s).map(|(a, b)| format!("{a} | {b}"));
        assert_eq!(
            r("aws_db_instance.x.arn").as_deref(),
            Some("aws_db_instance.x | arn")
        );
        assert_eq!(
            r("aws_s3_bucket.b[0]").as_deref(),
            Some("aws_s3_bucket.b[0] | ")
        );
        assert_eq!(
            r(r#"aws_s3_bucket.b["a.b]"].arn"#).as_deref(),
            Some(r#"aws_s3_bucket.b["a.b]"] | arn"#)
        );
        assert_eq!(r("aws_s3_bucket.b[\"x").as_deref(), None);
        assert_eq!(r("var.region"), None);
        assert_eq!(r("module.m.out"), None);
        assert!(is_plan(
            "{\"format_version\":\"1.2\",\"planned_values\":{}}"
        ));
    }
}
