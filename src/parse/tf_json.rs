//! Terraform's JSON syntax (`*.tf.json`, `*.tofu.json`, CDKTF's `cdk.tf.json`), read into the
//! same syntax tree as native syntax, so that it is evaluated the same way.
//!
//! The top-level object's keys are block types (`resource`, `data`, `variable`, `output`,
//! `locals`, `module`, `provider`); their nested objects give the labels, as Terraform's JSON
//! syntax specifies. Every property of a block body becomes an attribute whose value is the
//! JSON value read as an HCL expression in place: a JSON string is a string template
//! (`"${var.days}"`), and objects and arrays are object and tuple constructors, so every value
//! keeps its position in the JSON file. A nested block written as an object (or an array of
//! objects) is read as an object attribute (or a tuple of them), which the model looks into
//! alike. `//` properties are comments. Not read: `terraform`, `moved`, `import`, `check`,
//! `removed`, meta blocks (`lifecycle`, `provisioner`, `connection`) and `dynamic` blocks.

use crate::hcl_edit::expr::{Expression, Object, ObjectKey, ObjectValue};
use crate::hcl_edit::structure::{Attribute, Block, BlockLabel, Body};
use crate::hcl_edit::{Decorated, Ident, SetSpan};

use super::ParseError;
use crate::model::node::{Entry, Kind, Node};
use crate::source::FileId;

/// Block types and how many labels they take.
const BLOCKS: &[(&str, usize)] = &[
    ("resource", 2),
    ("data", 2),
    ("variable", 1),
    ("output", 1),
    ("module", 1),
    ("provider", 1),
    ("locals", 0),
];

/// Properties whose JSON string is an expression, not a template, by block type: a resource's
/// `"provider": "aws.west"`, a variable's `"type": "list(string)"`. Elsewhere (a disk's
/// `"type": "pd-ssd"`) they are strings like any other.
const EXPRESSION_STRINGS: &[(&str, &str)] = &[
    ("resource", "provider"),
    ("data", "provider"),
    ("variable", "type"),
];

/// Meta-arguments and meta blocks of resources and data sources that are not read (and blocks
/// JSON cannot tell from attributes); in other blocks a property of these names is read.
const SKIPPED: &[&str] = &[
    "lifecycle",
    "provisioner",
    "connection",
    "depends_on",
    "dynamic",
];

/// The attribute that carries a CDKTF resource's construct path (its `"//": {"metadata":
/// {"path": ...}}`) into the model: not a name any provider uses.
pub const CDKTF_PATH: &str = "__cdktf_path";

/// Parses a Terraform JSON file into a body of native-syntax blocks.
pub fn parse(file: FileId, text: &str) -> Result<Body, ParseError> {
    let root = super::json::parse(file, text)?;
    let Kind::Map(top) = &root.kind else {
        return Err(ParseError::at(
            file,
            root.span.start as usize,
            "a Terraform JSON file is an object of block types",
        ));
    };
    let mut body = Body::new();
    for entry in top.iter() {
        let Some(&(ident, labels)) = BLOCKS.iter().find(|(b, _)| *b == entry.key) else {
            continue;
        };
        let mut path = Vec::new();
        blocks(
            text,
            ident,
            labels,
            entry,
            &entry.value,
            &mut path,
            &mut body,
        );
    }
    Ok(body)
}

/// The blocks of `value` under the labels in `path`: `labels` more levels of objects (each
/// level may also be an array of objects), then the bodies.
fn blocks<'n>(
    text: &str,
    ident: &str,
    labels: usize,
    head: &'n Entry,
    value: &'n Node,
    path: &mut Vec<&'n Entry>,
    out: &mut Body,
) {
    match &value.kind {
        Kind::List(items) => {
            for item in items {
                blocks(text, ident, labels, head, item, path, out);
            }
        }
        Kind::Map(m) if path.len() < labels => {
            for e in m.iter().filter(|e| e.key != "//") {
                path.push(e);
                blocks(text, ident, labels, head, &e.value, path, out);
                path.pop();
            }
        }
        Kind::Map(_) => out.push(block(text, ident, head, path, value)),
        _ => {}
    }
}

/// One block: its identifier at the innermost label (where findings about it point), its
/// labels, its body.
fn block(text: &str, ident: &str, head: &Entry, path: &[&Entry], value: &Node) -> Block {
    let name_span = path.last().map_or(head.key_span, |e| e.key_span);
    let mut id = Decorated::new(Ident::new(ident));
    id.set_span(name_span.start as usize..name_span.end as usize);
    let mut b = Block::new(id);
    for e in path {
        let mut label = Decorated::new(e.key.clone());
        label.set_span(e.key_span.start as usize..e.key_span.end as usize);
        b.labels.push(BlockLabel::String(label));
    }
    b.body = block_body(text, ident, value);
    b.set_span(name_span.start as usize..value.span.end as usize);
    b
}

/// A block body: one attribute per property.
fn block_body(text: &str, ident: &str, value: &Node) -> Body {
    let mut body = Body::new();
    let Kind::Map(m) = &value.kind else {
        return body;
    };
    for e in m.iter() {
        if e.key == "//"
            && let Some(path) = e.value.get("metadata").and_then(|m| m.get("path"))
            && let Some(expr) = expression(text, path)
        {
            let mut a = Attribute::new(Decorated::new(Ident::new(CDKTF_PATH)), expr);
            a.set_span(path.span.start as usize..path.span.end as usize);
            body.push(a);
        }
        let meta = matches!(ident, "resource" | "data") && SKIPPED.contains(&e.key.as_str());
        if e.key == "//" || meta {
            continue;
        }
        let Ok(key) = Ident::try_new(e.key.as_str()) else {
            continue;
        };
        let expr = if ident == "module" && e.key == "providers" {
            providers(text, &e.value)
        } else if EXPRESSION_STRINGS.contains(&(ident, e.key.as_str())) {
            unquoted(text, &e.value)
        } else {
            expression(text, &e.value)
        };
        let Some(expr) = expr else { continue };
        let mut k = Decorated::new(key);
        k.set_span(e.key_span.start as usize..e.key_span.end as usize);
        let mut a = Attribute::new(k, expr);
        a.set_span(e.key_span.start as usize..e.value.span.end as usize);
        body.push(a);
    }
    body
}

/// A JSON value as the HCL expression it reads as, in place.
fn expression(text: &str, value: &Node) -> Option<Expression> {
    crate::hcl_edit::parser::parse_expr_in(text, value.span.start as usize..value.span.end as usize)
}

/// A JSON string holding an expression (`"aws.west"`): the text between its quotes.
fn unquoted(text: &str, value: &Node) -> Option<Expression> {
    let (start, end) = (value.span.start as usize, value.span.end as usize);
    if matches!(value.kind, Kind::String(_)) && end >= start + 2 {
        crate::hcl_edit::parser::parse_expr_in(text, start + 1..end - 1)
    } else {
        expression(text, value)
    }
}

/// A module's `providers`: `{"aws": "aws.west"}`, each value an expression.
fn providers(text: &str, value: &Node) -> Option<Expression> {
    let Kind::Map(m) = &value.kind else {
        return expression(text, value);
    };
    let mut object = Object::new();
    for e in m.iter() {
        let key = Ident::try_new(e.key.as_str()).ok()?;
        let v = unquoted(text, &e.value)?;
        object.insert(ObjectKey::Ident(Decorated::new(key)), ObjectValue::new(v));
    }
    let mut expr = Expression::Object(object);
    expr.set_span(value.span.start as usize..value.span.end as usize);
    Some(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_labels_and_values_keep_their_places() {
        let text = r#"{
  "//": "a comment",
  "variable": {"days": {"type": "number", "default": 7}},
  "resource": {
    "aws_db_instance": {
      "a": {"backup_retention_period": "${var.days}", "provider": "aws.west"},
      "b": [{"multi_az": true, "lifecycle": {"prevent_destroy": true}}]
    }
  },
  "locals": [{"x": 1}, {"y": "z"}]
}"#;
        let body = parse(FileId(0), text).unwrap();
        let blocks: Vec<&Block> = body.blocks().collect();
        assert_eq!(blocks.len(), 5);
        let a = blocks[1];
        assert_eq!(a.ident.as_str(), "resource");
        let labels: Vec<&str> = a.labels.iter().map(|l| l.as_str()).collect();
        assert_eq!(labels, ["aws_db_instance", "a"]);
        let span = crate::hcl_edit::Span::span(&a.ident).unwrap();
        assert_eq!(&text[span], "\"a\"");
        let retention = a.body.get_attribute("backup_retention_period").unwrap();
        let span = crate::hcl_edit::Span::span(&retention.value).unwrap();
        assert_eq!(&text[span], "\"${var.days}\"");
        assert!(matches!(
            a.body.get_attribute("provider").unwrap().value,
            Expression::Traversal(_)
        ));
        let b = blocks[2];
        assert!(b.body.get_attribute("lifecycle").is_none());
        assert!(matches!(
            blocks[0].body.get_attribute("type").unwrap().value,
            Expression::Variable(_)
        ));
        // `type` is an expression only in a variable.
        let disk = r#"{"resource": {"google_compute_disk": {"d": {"type": "pd-ssd"}}}}"#;
        let body = parse(FileId(0), disk).unwrap();
        let d = body.blocks().next().unwrap();
        assert!(matches!(
            d.body.get_attribute("type").unwrap().value,
            Expression::String(_)
        ));
        assert!(parse(FileId(0), "[1]").is_err());
        let cdktf = r#"{"resource": {"aws_s3_bucket": {"b_1A2B": {"//": {"metadata": {"path": "app/logs", "uniqueId": "b"}}}}}}"#;
        let body = parse(FileId(0), cdktf).unwrap();
        let b = body.blocks().next().unwrap();
        assert!(b.body.get_attribute(CDKTF_PATH).is_some());
        assert!(parse(FileId(0), "{\"resource\": ").is_err());
    }
}
