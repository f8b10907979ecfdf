//! JSON (CloudFormation) to [`Node`], with byte positions, in strict mode.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::{MAX_DEPTH, ParseError};
use crate::model::node::{Kind, Map, Node};
use crate::source::{FileId, Span};

/// Parses a JSON document strictly (no comments, trailing commas or other JSON5 forms).
pub fn parse(file: FileId, text: &str) -> Result<Node, ParseError> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let result = parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
        ParseError::at(file, e.range().start, format!("invalid JSON: {}", e.kind()))
    })?;
    match result.value {
        Some(v) => convert(file, &v, 0),
        None => Ok(Node::new(Kind::Map(Map::default()), Span::new(file, 0, 0))),
    }
}

fn convert(file: FileId, v: &Value<'_>, depth: usize) -> Result<Node, ParseError> {
    let range = v.range();
    let span = Span::new(file, range.start, range.end);
    if depth > MAX_DEPTH {
        return Err(ParseError {
            span,
            message: format!("nesting is deeper than {MAX_DEPTH} levels"),
        });
    }
    let kind = match v {
        Value::StringLit(s) => Kind::String(s.value.to_string()),
        Value::NumberLit(n) => match n.value.parse::<f64>() {
            Ok(f) => Kind::Number(f),
            Err(_) => Kind::String(n.value.to_string()),
        },
        Value::BooleanLit(b) => Kind::Bool(b.value),
        Value::NullKeyword(_) => Kind::Null,
        Value::Array(a) => Kind::List(
            a.elements
                .iter()
                .map(|e| convert(file, e, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => {
            let mut map = Map::default();
            for p in &o.properties {
                let (key, r) = match &p.name {
                    ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                map.insert(
                    key,
                    Span::new(file, r.start, r.end),
                    convert(file, &p.value, depth + 1)?,
                );
            }
            Kind::Map(map)
        }
    };
    Ok(Node::new(kind, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_byte_offsets() {
        let text = "{\"é\": {\"Type\": \"AWS::S3::Bucket\"}}";
        let n = parse(FileId(0), text).unwrap();
        let t = n.get("é").unwrap().get("Type").unwrap();
        assert_eq!(
            &text[t.span.start as usize..t.span.end as usize],
            "\"AWS::S3::Bucket\""
        );
    }

    #[test]
    fn strict_mode_rejects_json5() {
        assert!(parse(FileId(0), "{\"a\": 1,}").is_err());
        assert!(parse(FileId(0), "{\"a\": 1 // c\n}").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        assert!(parse(FileId(0), &"[".repeat(100_000)).is_err());
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        assert!(parse(FileId(0), &deep).is_err());
    }
}
