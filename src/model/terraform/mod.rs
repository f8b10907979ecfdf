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
pub mod instance;
pub mod modules;
pub mod project;
pub mod variables;

use std::cell::OnceCell;
use std::rc::Rc;

use crate::hcl_edit::expr::Expression;
use crate::hcl_edit::structure::{Block, Body, Structure};

use config::{ModuleConfig, span_of};
use eval::{Env, Evaluator, iterate};
use instance::{InstanceInput, InstanceOutput, ModuleHost, ParsedDir, ProviderInfo};

use super::node::{Kind, Map, Node};
use super::{Frontend, Region, Resource, ResourceId, Tags};
use crate::knowledge::KnowledgeBase;
use crate::source::{FileId, Span};

/// Meta-arguments that are not part of a resource's configuration.
const META_ATTRIBUTES: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    crate::parse::tf_json::CDKTF_PATH,
];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// Evaluates one instance of the module in `dir`: its resources, those of the modules it
/// calls (recursively), notes, and its outputs.
pub fn instantiate(
    host: &dyn ModuleHost,
    dir: &ParsedDir,
    input: &InstanceInput,
) -> InstanceOutput {
    instantiate_files(host, &dir.abs, &dir.bodies(), input)
}

/// Evaluates one instance of the module made of `files`, located in `dir` (a Terragrunt unit's
/// module with the unit's own and generated files).
pub fn instantiate_files(
    host: &dyn ModuleHost,
    dir: &std::path::Path,
    files: &[(FileId, &Body, &str)],
    input: &InstanceInput,
) -> InstanceOutput {
    let config = ModuleConfig::from_files(files);
    let ev = Evaluator::new(&config, input, host, dir);
    let builder = ModuleBuilder {
        kb: host.kb(),
        ev: &ev,
    };
    let mut resources = Vec::new();
    for decl in &config.resources {
        builder.instances(decl, &mut resources);
    }
    // Every module call is evaluated, referenced or not: its resources count.
    for call in &config.module_calls {
        ev.module_value(&call.name, 0);
    }
    let mut outputs = Map::default();
    for (name, expr) in &config.outputs {
        let span = span_of(expr.file, expr.node);
        outputs.insert(name.clone(), span, ev.eval(*expr, &Env::default(), 0));
    }
    let (children, child_notes) = ev.take_children();
    resources.extend(children);
    let mut notes = ev.take_notes();
    notes.extend(child_notes);
    InstanceOutput {
        resources,
        notes,
        outputs,
    }
}

struct ModuleBuilder<'b, 'a> {
    kb: &'b KnowledgeBase,
    ev: &'b Evaluator<'b, 'a>,
}

impl ModuleBuilder<'_, '_> {
    fn instances(&self, decl: &config::ResourceDecl<'_>, out: &mut Vec<Resource>) {
        let block = decl.block.node;
        let file = decl.block.file;
        let base_address = format!("{}.{}", decl.rtype, decl.name);
        let input = self.ev.input;
        // Nothing is being expanded yet, so the instances are known or unknown, never a cycle.
        let expansions = self
            .ev
            .resource_instances(decl, 0)
            .unwrap_or_else(|reason| Rc::from([eval::Expansion::single(Some(reason))]));
        let provider_ref = provider_reference(block, &decl.rtype);
        // Evaluated after the first instance's body, as each instance's body comes first.
        let provider = OnceCell::new();
        for inst in expansions.iter() {
            let address = format!("{base_address}{}", inst.suffix);
            let body = self.body(&block.body, file, &inst.env, true);
            let provider = provider.get_or_init(|| self.ev.provider(&provider_ref, 0));
            let rtype = effective_type(&decl.rtype, &body);
            let region = region(&rtype, &body, provider);
            let tags = self.tags(&rtype, &body, provider);
            // CDKTF: named by its construct path (`app/logs`), which is what its authors wrote.
            let construct_path = block
                .body
                .get_attribute(crate::parse::tf_json::CDKTF_PATH)
                .and_then(|a| {
                    self.ev
                        .expr(&a.value, file, &inst.env, 0)
                        .as_str()
                        .map(|s| s.into_owned())
                });
            let metadata = construct_path.as_ref().map(|p| {
                let mut m = Map::default();
                m.insert(
                    "cdktf:path".into(),
                    span_of(file, block),
                    Node::string(p, span_of(file, block)),
                );
                Node::new(Kind::Map(m), span_of(file, block))
            });
            let shown = match &construct_path {
                Some(p) => format!("{p}{}", inst.suffix),
                None => self.ev.address(&address),
            };
            out.push(Resource {
                id: ResourceId(0),
                key: self.ev.key(&address),
                base_key: self.ev.key(&base_address),
                address: shown,
                unit: input.unit.clone(),
                rtype,
                frontend: Frontend::Terraform,
                span: header_span(file, block),
                body,
                tags,
                region,
                metadata,
                existence_unknown: inst
                    .existence_unknown
                    .clone()
                    .or_else(|| input.existence_unknown.clone()),
                call_chain: input.call_chain.clone(),
                stack_set: None,
            });
        }
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
            // Blocks the configuration may or may not generate: one unknown block beside the
            // static blocks of the same type (they always exist), never in their place.
            None => map.push_block(
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

    /// Resource `tags` merged over the provider's `default_tags`.
    fn tags(&self, rtype: &str, body: &Node, provider: &ProviderInfo) -> Tags {
        // The cloud's own attribute (Google's `labels`) unless the type names its own paths.
        let default = self
            .kb
            .region_table_for(rtype)
            .and_then(|t| t.tag_attribute.as_deref())
            .unwrap_or("tags");
        let paths = self.kb.tag_paths(rtype, default);
        let mut tags = Tags::from_paths(body, &paths);
        // Google's `default_labels` reach only a top-level `labels` (not Cloud SQL's
        // `settings.user_labels`).
        let reaches = default == "tags" || paths.contains(&default);
        if let Some(defaults) = provider.default_tags.as_ref().filter(|_| reaches) {
            tags.merge(Tags::from_node(defaults, true));
        }
        tags
    }
}

/// The type the knowledge base knows a resource by: its Terraform type, except for the AzAPI
/// provider's generic resources, which are the Azure Resource Manager type their `type` names
/// (`azapi_resource` with `type = "Microsoft.Storage/storageAccounts@2023-05-01"` is a
/// `Microsoft.Storage/storageAccounts`). A `type` that is not a known string keeps the generic
/// type, which the knowledge base does not know.
fn effective_type(rtype: &str, body: &Node) -> String {
    if rtype == "azapi_resource"
        && let Some(arm) = body.get("type").and_then(Node::as_str)
        && let Some((arm_type, _version)) = arm.split_once('@')
        && arm_type.contains('/')
    {
        return arm_type.to_string();
    }
    rtype.to_string()
}

/// Region: the resource's `region` argument (AWS provider v6), else its provider's.
fn region(rtype: &str, body: &Node, provider: &ProviderInfo) -> Region {
    if rtype.starts_with("aws_")
        && let Some(r) = body.get("region")
    {
        return match r.as_str() {
            Some(name) if !r.is_null() => Region::known(name, Some(r.span)),
            _ if r.is_null() => provider.region.clone(),
            _ => Region::Unknown {
                reason: format!(
                    "the `region` argument is unknown: {}",
                    r.unknown_reason().unwrap_or_default()
                ),
            },
        };
    }
    provider.region.clone()
}

/// `aws` or `aws.alias`, from the `provider` meta-argument or the type's prefix.
pub(crate) fn provider_reference(block: &Block, rtype: &str) -> String {
    block
        .body
        .get_attribute("provider")
        .and_then(|attr| reference_name(&attr.value))
        .unwrap_or_else(|| rtype.split('_').next().unwrap_or(rtype).to_string())
}

/// The provider configuration a reference expression names (`aws`, `aws.dr`): its root and
/// attribute names.
fn reference_name(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.as_str().to_string()),
        Expression::Traversal(t) => {
            let Expression::Variable(v) = &t.expr else {
                return None;
            };
            let mut s = v.as_str().to_string();
            for op in &t.operators {
                if let crate::hcl_edit::expr::TraversalOperator::GetAttr(a) = op.value() {
                    s.push('.');
                    s.push_str(a.as_str());
                }
            }
            Some(s)
        }
        _ => None,
    }
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

    fn build(src: &str) -> (Vec<Resource>, Vec<crate::model::ModelNote>) {
        let body = crate::hcl_edit::parser::parse_body(src).unwrap();
        let kb = KnowledgeBase::builtin().unwrap();
        let host = instance::NoModules { kb: &kb };
        let dir = ParsedDir {
            abs: "/nowhere".into(),
            rel: "infra".into(),
            files: vec![instance::ParsedFile {
                id: FileId(0),
                body,
                text: src.into(),
            }],
        };
        let input = InstanceInput::root("infra".into(), "/nowhere".into(), Default::default());
        let out = instantiate(&host, &dir, &input);
        (out.resources, out.notes)
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
    fn try_skips_values_holding_an_error() {
        // The terraform-aws-s3-bucket replication idiom: the first alternative fails inside a
        // list, so `try` moves on, and `flatten` of a failed value fails too.
        let (rs, _) = build(
            r#"
variable "cfg" { default = { rules = [{ id = "a" }, { id = "b" }] } }
resource "aws_s3_bucket_replication_configuration" "r" {
  dynamic "rule" {
    for_each = flatten(try([var.cfg["rule"]], [var.cfg["rules"]], []))
    content { id = rule.value.id }
  }
  role = can([var.cfg["role"]]) ? "x" : "none"
  bad  = try(flatten([var.cfg["nope"]]), "fallback")
}
"#,
        );
        let body = &rs[0].body;
        let ids: Vec<String> = body
            .lookup("rule.id")
            .iter()
            .filter_map(|n| n.as_str().map(|s| s.into_owned()))
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(
            body.get("role").and_then(|r| r.as_str()).as_deref(),
            Some("none")
        );
        assert_eq!(
            body.get("bad").and_then(|r| r.as_str()).as_deref(),
            Some("fallback")
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

    #[test]
    fn count_referring_to_its_own_instances_is_unknown() {
        let (rs, _) = build(
            r#"
resource "aws_s3_bucket" "a" { count = length(aws_s3_bucket.a) }
resource "aws_s3_bucket" "b" { count = length(aws_s3_bucket.c) }
resource "aws_s3_bucket" "c" { count = length(aws_s3_bucket.b) }
resource "aws_s3_bucket" "d" { for_each = toset(aws_s3_bucket.d[*].id) }
"#,
        );
        let addrs: Vec<_> = rs.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "aws_s3_bucket.a",
                "aws_s3_bucket.b",
                "aws_s3_bucket.c",
                "aws_s3_bucket.d"
            ]
        );
        for r in &rs {
            let why = r.existence_unknown.as_deref().unwrap_or_default();
            // `b` sees `c` as unknown, `c` sees `b` expanding: the cycle is named there.
            if r.address != "aws_s3_bucket.b" {
                assert!(why.contains("depends on its own instances"), "{why}");
            } else {
                assert!(why.contains("aws_s3_bucket.c"), "{why}");
            }
        }
    }

    #[test]
    fn long_count_chains_are_expanded_once() {
        let mut src = String::from("resource \"aws_s3_bucket\" \"r0\" { count = 1 }\n");
        for i in 1..2000 {
            src.push_str(&format!(
                "resource \"aws_s3_bucket\" \"r{i}\" {{ count = length(aws_s3_bucket.r{}) }}\n",
                i - 1
            ));
        }
        let (rs, _) = build(&src);
        assert_eq!(rs.len(), 2000);
        for (i, r) in rs.iter().enumerate() {
            assert_eq!(r.address, format!("aws_s3_bucket.r{i}[0]"));
            assert!(r.existence_unknown.is_none(), "{:?}", r.existence_unknown);
        }
    }
    /// A chain of `n` provider configurations, each taking its region from
    /// `data.aws_region` of the previous one, and a bucket in the last.
    fn provider_chain(n: usize) -> String {
        let mut src = String::from(
            "provider \"aws\" { region = \"eu-west-1\" }\ndata \"aws_region\" \"p0\" {}\n",
        );
        for i in 1..n {
            src.push_str(&format!(
                "locals {{ r{i} = data.aws_region.p{}.name }}\n\
                 provider \"aws\" {{\n  alias  = \"p{i}\"\n  region = local.r{i}\n}}\n\
                 data \"aws_region\" \"p{i}\" {{ provider = aws.p{i} }}\n",
                i - 1
            ));
        }
        src.push_str(&format!(
            "resource \"aws_s3_bucket\" \"x\" {{ provider = aws.p{} }}\n",
            n - 1
        ));
        src
    }

    #[test]
    fn evaluation_depth_holds_across_providers_and_expansions() {
        let (rs, _) = build(&provider_chain(5));
        assert_eq!(rs[0].region.name(), Some("eu-west-1"));
        // Too deep to follow: unknown, not a stack overflow.
        let (rs, _) = build(&provider_chain(200));
        let why = rs[0].region.unknown_reason().unwrap_or_default();
        assert!(why.contains("too deeply"), "{why}");

        // The same for a chain of counts whose first link is declared last.
        let mut src = String::new();
        for i in (1..2000).rev() {
            src.push_str(&format!(
                "resource \"aws_s3_bucket\" \"r{i}\" {{ count = length(aws_s3_bucket.r{}) }}\n",
                i - 1
            ));
        }
        src.push_str("resource \"aws_s3_bucket\" \"r0\" { count = 1 }\n");
        let (rs, _) = build(&src);
        assert_eq!(rs.len(), 2000);
        assert!(rs[0].existence_unknown.is_some());
        assert_eq!(rs[1999].address, "aws_s3_bucket.r0[0]");
    }
}
