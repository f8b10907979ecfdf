//! The Terraform front end: one module directory at a time, evaluated statically.
//!
//! Evaluated here: literals, `var.x` with a default, locals (in dependency order, cycles reported),
//! references between resources, operators, conditionals, `for` expressions, string templates,
//! a set of built-in functions, `count`/`for_each` with known values, `dynamic` blocks with known
//! `for_each`, provider aliases and the `provider` meta-argument, the AWS provider v6 `region`
//! argument and provider `default_tags`. Everything else is unknown, with a reason.

pub mod config;
pub mod eval;
pub mod functions;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use config::{InFile, ModuleConfig, ProviderDecl, span_of};
use eval::{Env, Evaluator, iterate};

use super::node::{Kind, Map, Node};
use super::{Frontend, ModelNote, Region, Resource, ResourceId, Tags};
use crate::knowledge::KnowledgeBase;
use crate::source::{FileId, Span};

/// Meta-arguments that are not part of a resource's configuration.
const META_ATTRIBUTES: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// Builds the resources of one module directory. `unit` is its path relative to the report base.
pub fn build_module(
    unit: &str,
    files: &[(FileId, &Body, &str)],
    kb: &KnowledgeBase,
) -> (Vec<Resource>, Vec<ModelNote>) {
    let config = ModuleConfig::from_files(files);
    let ev = Evaluator::new(&config, unit);
    let builder = ModuleBuilder {
        unit,
        kb,
        config: &config,
        ev: &ev,
        providers: config
            .providers
            .iter()
            .map(|p| (p.reference(), ProviderInfo::evaluate(p, &ev)))
            .collect(),
    };
    let mut resources = Vec::new();
    for decl in &config.resources {
        builder.instances(decl, &mut resources);
    }
    let mut notes = ev.take_notes();
    for call in &config.module_calls {
        let source = call
            .block
            .node
            .body
            .get_attribute("source")
            .map(|a| config.quote(span_of(call.block.file, &a.value)))
            .unwrap_or_default();
        let local = source.trim_matches('"').starts_with("./")
            || source.trim_matches('"').starts_with("../");
        let message = if local {
            format!(
                "module `{}` (source {source}) is not evaluated with the values passed to it; resources in its directory are checked on their own when the directory is scanned",
                call.name
            )
        } else {
            format!(
                "module `{}` (source {source}) is not evaluated: resilint does not resolve remote modules yet, so its resources are not checked",
                call.name
            )
        };
        notes.push(ModelNote {
            span: header_span(call.block.file, call.block.node),
            message,
        });
    }
    (resources, notes)
}

/// The evaluated parts of a provider configuration that resources inherit.
struct ProviderInfo {
    default_tags: Option<Node>,
}

impl ProviderInfo {
    fn evaluate(p: &ProviderDecl<'_>, ev: &Evaluator<'_, '_>) -> ProviderInfo {
        let default_tags = p
            .block
            .node
            .body
            .get_blocks("default_tags")
            .next()
            .and_then(|b| {
                b.body
                    .get_attribute("tags")
                    .map(|a| ev.eval(InFile::new(p.block.file, &a.value), &Env::default(), 0))
            });
        ProviderInfo { default_tags }
    }
}

struct ModuleBuilder<'b, 'a> {
    unit: &'b str,
    kb: &'b KnowledgeBase,
    config: &'b ModuleConfig<'a>,
    ev: &'b Evaluator<'b, 'a>,
    providers: Vec<(String, ProviderInfo)>,
}

/// One instance to build: its address suffix and bindings.
struct Instance {
    suffix: String,
    env: Env,
    existence_unknown: Option<String>,
}

impl ModuleBuilder<'_, '_> {
    fn instances(&self, decl: &config::ResourceDecl<'_>, out: &mut Vec<Resource>) {
        let block = decl.block.node;
        let file = decl.block.file;
        let base_address = format!("{}.{}", decl.rtype, decl.name);
        for inst in self.expand(block, file) {
            let address = format!("{base_address}{}", inst.suffix);
            let body = self.body(&block.body, file, &inst.env, true);
            let provider_ref = provider_reference(block, &decl.rtype);
            let region = self.region(&decl.rtype, &body, &provider_ref);
            let tags = self.tags(&decl.rtype, &body, &provider_ref);
            out.push(Resource {
                id: ResourceId(0),
                key: self.ev.key(&address),
                base_key: self.ev.key(&base_address),
                address,
                unit: self.unit.to_string(),
                rtype: decl.rtype.clone(),
                frontend: Frontend::Terraform,
                span: header_span(file, block),
                body,
                tags,
                region,
                metadata: None,
                existence_unknown: inst.existence_unknown,
            });
        }
    }

    /// Expands `count` and `for_each` into instances.
    fn expand(&self, block: &Block, file: FileId) -> Vec<Instance> {
        let single = |reason: Option<String>| {
            vec![Instance {
                suffix: String::new(),
                env: Env::default(),
                existence_unknown: reason,
            }]
        };
        if let Some(count) = block.body.get_attribute("count") {
            let v = self
                .ev
                .eval(InFile::new(file, &count.value), &Env::default(), 0);
            return match v.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= eval::MAX_COLLECTION as f64 => (0
                    ..n as usize)
                    .map(|i| {
                        let mut m = Map::default();
                        m.insert(
                            "index".into(),
                            v.span,
                            Node::new(Kind::Number(i as f64), v.span),
                        );
                        Instance {
                            suffix: format!("[{i}]"),
                            env: Env::default().with("count", Node::new(Kind::Map(m), v.span)),
                            existence_unknown: None,
                        }
                    })
                    .collect(),
                _ => single(Some(format!(
                    "`count = {}` is unknown: {}",
                    self.config.quote(v.span),
                    v.unknown_reason()
                        .unwrap_or_else(|| "it is not a whole number".into())
                ))),
            };
        }
        if let Some(for_each) = block.body.get_attribute("for_each") {
            let v = self
                .ev
                .eval(InFile::new(file, &for_each.value), &Env::default(), 0);
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
            if !known || items.len() > eval::MAX_COLLECTION {
                return single(Some(format!(
                    "`for_each = {}` is unknown: {}",
                    self.config.quote(v.span),
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
                    Instance {
                        suffix: format!("[{key:?}]"),
                        env: Env::default().with("each", Node::new(Kind::Map(m), v.span)),
                        existence_unknown: None,
                    }
                })
                .collect();
        }
        single(None)
    }

    /// Converts a block body to a map node: attributes evaluated, nested blocks as lists.
    /// `top` is true for the resource block itself, whose meta-arguments are skipped.
    fn body(&self, body: &Body, file: FileId, env: &Env, top: bool) -> Node {
        let mut map = Map::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    if top && META_ATTRIBUTES.contains(&a.key.as_str()) {
                        continue;
                    }
                    let mut v = self.ev.expr(&a.value, file, env, 0);
                    v.span = span_of(file, &a.value);
                    map.insert(a.key.as_str().to_string(), span_of(file, &a.key), v);
                }
                Structure::Block(b) => {
                    let ident = b.ident.as_str();
                    if top && META_BLOCKS.contains(&ident) {
                        continue;
                    }
                    if ident == "dynamic" {
                        self.dynamic(b, file, env, &mut map);
                    } else {
                        let mut node = self.body(&b.body, file, env, false);
                        node.span = span_of(file, b);
                        map.push_block(ident.to_string(), span_of(file, &b.ident), node);
                    }
                }
            }
        }
        Node::new(Kind::Map(map), span_of(file, body))
    }

    /// Expands `dynamic "name" { for_each = ...; content { ... } }` into `name` blocks.
    fn dynamic(&self, b: &Block, file: FileId, env: &Env, map: &mut Map) {
        let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
            return;
        };
        let key_span = b
            .labels
            .first()
            .map(|l| span_of(file, l))
            .unwrap_or_default();
        let Some(content) = b.body.get_blocks("content").next() else {
            return;
        };
        let iterator = b
            .body
            .get_attribute("iterator")
            .and_then(|a| match &a.value {
                Expression::Variable(v) => Some(v.as_str().to_string()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone());
        let coll = match b.body.get_attribute("for_each") {
            Some(a) => self.ev.expr(&a.value, file, env, 0),
            None => Node::unknown("the dynamic block has no `for_each`", span_of(file, b)),
        };
        let items = match &coll.kind {
            Kind::List(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Node::new(Kind::Number(i as f64), v.span), v.clone()))
                    .collect::<Vec<_>>(),
            ),
            _ => iterate(&coll),
        };
        match items {
            Some(items) => {
                for (k, v) in items {
                    let mut m = Map::default();
                    m.insert("key".into(), k.span, k);
                    m.insert("value".into(), v.span, v);
                    let env2 = env.with(iterator.clone(), Node::new(Kind::Map(m), coll.span));
                    let mut node = self.body(&content.body, file, &env2, false);
                    node.span = span_of(file, b);
                    map.push_block(name.clone(), key_span, node);
                }
            }
            None => map.insert(
                name,
                key_span,
                Node::unknown(
                    format!(
                        "the `for_each` of dynamic block `{}` is unknown: {}",
                        b.labels.first().map(|l| l.as_str()).unwrap_or(""),
                        coll.unknown_reason()
                            .unwrap_or_else(|| "it is not a collection".into())
                    ),
                    span_of(file, b),
                ),
            ),
        }
    }

    fn provider(&self, reference: &str) -> Option<&ProviderInfo> {
        self.providers
            .iter()
            .find(|(r, _)| r == reference)
            .map(|(_, p)| p)
    }

    /// Region: the resource's `region` argument (AWS provider v6), else its provider's.
    fn region(&self, rtype: &str, body: &Node, provider_ref: &str) -> Region {
        if rtype.starts_with("aws_")
            && let Some(r) = body.get("region")
        {
            return match r.as_str() {
                Some(name) if !r.is_null() => Region::known(name, Some(r.span)),
                _ if r.is_null() => self.provider_region(provider_ref),
                _ => Region::Unknown {
                    reason: format!(
                        "the `region` argument is unknown: {}",
                        r.unknown_reason().unwrap_or_default()
                    ),
                },
            };
        }
        self.provider_region(provider_ref)
    }

    fn provider_region(&self, provider_ref: &str) -> Region {
        self.ev.provider_region(provider_ref)
    }

    /// Resource `tags` merged over the provider's `default_tags`.
    fn tags(&self, rtype: &str, body: &Node, provider_ref: &str) -> Tags {
        let mut tags = Tags::from_paths(body, &self.kb.tag_paths(rtype, "tags"));
        if let Some(defaults) = self
            .provider(provider_ref)
            .and_then(|p| p.default_tags.as_ref())
        {
            let d = Tags::from_node(defaults, true);
            for t in d.entries {
                tags.add_if_absent(t);
            }
            if tags.unknown.is_none() {
                tags.unknown = d.unknown;
            }
        }
        tags
    }
}

/// `aws` or `aws.alias`, from the `provider` meta-argument or the type's prefix.
pub(crate) fn provider_reference(block: &Block, rtype: &str) -> String {
    if let Some(attr) = block.body.get_attribute("provider") {
        match &attr.value {
            Expression::Variable(v) => return v.as_str().to_string(),
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    let mut s = v.as_str().to_string();
                    for op in &t.operators {
                        if let hcl_edit::expr::TraversalOperator::GetAttr(a) = op.value() {
                            s.push('.');
                            s.push_str(a.as_str());
                        }
                    }
                    return s;
                }
            }
            _ => {}
        }
    }
    rtype.split('_').next().unwrap_or(rtype).to_string()
}

/// The span of a block's header: the identifier through the last label.
pub fn header_span(file: FileId, block: &Block) -> Span {
    let start = span_of(file, &block.ident);
    match block.labels.last() {
        Some(l) => start.to(span_of(file, l)),
        None => start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(src: &str) -> (Vec<Resource>, Vec<ModelNote>) {
        let body = hcl_edit::parser::parse_body(src).unwrap();
        build_module(
            "infra",
            &[(FileId(0), &body, src)],
            &KnowledgeBase::builtin().unwrap(),
        )
    }

    #[test]
    fn region_default_tags_and_aliases() {
        let (rs, _) = build(
            r#"
provider "aws" {
  region = "eu-west-1"
  default_tags { tags = { resilience-tier = "essential", team = "a" } }
}
provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}
resource "aws_s3_bucket" "main" { tags = { team = "b" } }
resource "aws_s3_bucket" "dr" { provider = aws.dr }
resource "aws_s3_bucket" "v6" { region = "us-east-1" }
"#,
        );
        assert_eq!(rs.len(), 3);
        assert_eq!(rs[0].region.name(), Some("eu-west-1"));
        assert_eq!(rs[0].tags.get("team").unwrap().value.as_str().unwrap(), "b");
        assert!(rs[0].tags.get("resilience-tier").unwrap().from_default);
        assert_eq!(rs[1].region.name(), Some("eu-central-1"));
        assert!(rs[1].tags.get("resilience-tier").is_none());
        assert_eq!(rs[2].region.name(), Some("us-east-1"));
        assert_eq!(rs[0].key, "infra:aws_s3_bucket.main");
    }

    #[test]
    fn count_for_each_and_dynamic() {
        let (rs, _) = build(
            r#"
variable "names" { default = ["a", "b"] }
resource "aws_ebs_volume" "v" { count = 2 }
resource "aws_s3_bucket" "b" { for_each = toset(var.names) }
resource "aws_s3_bucket" "u" { count = var.unset }
resource "aws_backup_plan" "p" {
  dynamic "rule" {
    for_each = { daily = "cron(0 5 ? * * *)" }
    content {
      rule_name = rule.key
      schedule  = rule.value
    }
  }
}
"#,
        );
        let addrs: Vec<_> = rs.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "aws_ebs_volume.v[0]",
                "aws_ebs_volume.v[1]",
                "aws_s3_bucket.b[\"a\"]",
                "aws_s3_bucket.b[\"b\"]",
                "aws_s3_bucket.u",
                "aws_backup_plan.p"
            ]
        );
        assert!(rs[4].existence_unknown.is_some());
        let plan = &rs[5];
        assert_eq!(
            plan.attr("rule.schedule").unwrap().as_str().unwrap(),
            "cron(0 5 ? * * *)"
        );
        assert_eq!(
            plan.attr("rule.rule_name").unwrap().as_str().unwrap(),
            "daily"
        );
    }

    #[test]
    fn unknown_provider_region_is_symbolic() {
        let (rs, notes) = build(
            r#"
resource "aws_s3_bucket" "a" {}
resource "aws_s3_bucket" "b" {}
module "m" { source = "terraform-aws-modules/s3-bucket/aws" }
"#,
        );
        assert_eq!(rs[0].region.same_as(&rs[1].region), Some(true));
        assert!(rs[0].region.name().is_none());
        assert_eq!(notes.len(), 1);
    }
}
