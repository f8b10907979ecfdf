//! YAML (CloudFormation) to [`Node`], with positions and short-form intrinsic tags.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use saphyr_parser::{Marker, Parser};

use super::{MAX_DEPTH, ParseError};
use crate::model::node::{Kind, Map, Node};
use crate::source::{CharIndex, FileId, Span};

/// Parses a YAML document. An empty stream is an empty map; only the first document is used.
pub fn parse(file: FileId, text: &str) -> Result<Node, ParseError> {
    let lines = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let docs = MarkedYaml::load_from_parser(&mut parser).map_err(|e| {
        let m = e.marker();
        ParseError::at(
            file,
            lines.offset(text, m),
            format!("invalid YAML: {}", e.info()),
        )
    })?;
    let Some(doc) = docs.first() else {
        return Ok(Node::new(Kind::Map(Map::default()), Span::new(file, 0, 0)));
    };
    let conv = Converter { file, text, lines };
    conv.node(doc, 0)
}

/// Turns saphyr's markers (a character index from the start) into byte offsets, in time
/// independent of the line's length.
struct Offsets(CharIndex);

impl Offsets {
    fn new(text: &str) -> Offsets {
        Offsets(CharIndex::new(text))
    }

    fn offset(&self, text: &str, m: &Marker) -> usize {
        self.0.byte_of_char(text, m.index())
    }
}

struct Converter<'a> {
    file: FileId,
    text: &'a str,
    lines: Offsets,
}

impl Converter<'_> {
    fn span(&self, n: &MarkedYaml) -> Span {
        let start = self.lines.offset(self.text, &n.span.start);
        let end = self.lines.offset(self.text, &n.span.end);
        Span::new(self.file, start, end.max(start))
    }

    fn node(&self, n: &MarkedYaml, depth: usize) -> Result<Node, ParseError> {
        let span = self.span(n);
        self.node_at(n, span, depth)
    }

    /// Converts `n`, using `span` as its position (tagged scalars carry no span of their own).
    fn node_at(&self, n: &MarkedYaml, span: Span, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError {
                span,
                message: format!("nesting is deeper than {MAX_DEPTH} levels"),
            });
        }
        let kind = match &n.data {
            YamlData::Value(s) => scalar(s),
            YamlData::Representation(raw, _, _) => Kind::String(raw.to_string()),
            YamlData::Sequence(items) => Kind::List(
                items
                    .iter()
                    .map(|i| self.node(i, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            YamlData::Mapping(m) => {
                let mut map = Map::default();
                for (k, v) in m.iter() {
                    // A key may carry a (non-specific) tag: `! "Ref": x` is the key `Ref`.
                    let key_data = match &k.data {
                        YamlData::Tagged(_, inner) => &inner.data,
                        d => d,
                    };
                    let key = match key_data {
                        YamlData::Value(s) => scalar_text(s),
                        YamlData::Representation(raw, _, _) => raw.to_string(),
                        _ => {
                            return Err(ParseError {
                                span: self.span(k),
                                message: "complex mapping keys are not supported in CloudFormation templates".into(),
                            });
                        }
                    };
                    map.insert(key, self.span(k), self.node(v, depth + 1)?);
                }
                Kind::Map(map)
            }
            YamlData::Tagged(tag, inner) => return self.tagged(tag, inner, span, depth),
            YamlData::Alias(_) | YamlData::BadValue => Kind::Null,
        };
        Ok(Node::new(kind, span))
    }

    /// Rewrites `!Ref x` to `{"Ref": x}`, `!GetAtt a.b` to `{"Fn::GetAtt": [a, b]}`, `!Rain::X` to
    /// `{"Rain::X": ...}` and every other `!Name` to `{"Fn::Name": ...}`, keeping the tag's span. Core-schema tags (`!!str`) are
    /// applied to the value.
    fn tagged(
        &self,
        tag: &saphyr_parser::Tag,
        inner: &MarkedYaml,
        span: Span,
        depth: usize,
    ) -> Result<Node, ParseError> {
        // The inner node of a tagged scalar has a default (0:0) span: use the tag's.
        let inner_span = {
            let s = self.span(inner);
            if s.start == 0 && s.end == 0 { span } else { s }
        };
        let value = self.node_at(inner, inner_span, depth + 1)?;
        if tag.handle != "!" {
            if tag.suffix == "str"
                && let Some(s) = value.as_str()
            {
                return Ok(Node::string(s.into_owned(), span));
            }
            return Ok(Node { span, ..value });
        }
        let name = match tag.suffix.as_str() {
            "Ref" => "Ref".to_string(),
            "Condition" => "Condition".to_string(),
            // AWS Rain's directives (`!Rain::Embed file`) are written as in JSON.
            other if other.starts_with("Rain::") => other.to_string(),
            other => format!("Fn::{other}"),
        };
        let value = if name == "Fn::GetAtt" {
            match &value.kind {
                Kind::String(s) => {
                    // `!GetAtt Resource.Attr.With.Dots`: the first dot splits resource and attribute.
                    let (res, attr) = s.split_once('.').unwrap_or((s.as_str(), ""));
                    Node::new(
                        Kind::List(vec![
                            Node::string(res, value.span),
                            Node::string(attr, value.span),
                        ]),
                        value.span,
                    )
                }
                _ => value,
            }
        } else {
            value
        };
        let mut map = Map::default();
        map.insert(name, span, value);
        Ok(Node::new(Kind::Map(map), span))
    }
}

fn scalar(s: &Scalar<'_>) -> Kind {
    match s {
        Scalar::Null => Kind::Null,
        Scalar::Boolean(b) => Kind::Bool(*b),
        Scalar::Integer(i) => Kind::Number(*i as f64),
        Scalar::FloatingPoint(f) => Kind::Number(f.into_inner()),
        Scalar::String(s) => Kind::String(s.to_string()),
    }
}

fn scalar_text(s: &Scalar<'_>) -> String {
    match s {
        Scalar::Null => "null".into(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.into_inner().to_string(),
        Scalar::String(s) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(FileId(0), text).expect("valid yaml")
    }

    #[test]
    fn short_form_tags_become_long_form() {
        let n = parse_ok("A: !Ref Env\nB: !GetAtt Table.Arn\nC: !Sub 'x-${AWS::Region}'\n");
        let a = n.get("A").unwrap();
        assert_eq!(a.get("Ref").unwrap().as_str().unwrap(), "Env");
        let b = n.get("B").unwrap().get("Fn::GetAtt").unwrap();
        let parts: Vec<_> = b
            .elements()
            .iter()
            .map(|x| x.as_str().unwrap().into_owned())
            .collect();
        assert_eq!(parts, ["Table", "Arn"]);
        assert!(n.get("C").unwrap().get("Fn::Sub").is_some());
    }

    #[test]
    fn tagged_keys_are_plain_keys() {
        // From cfn-lint's good/no_value.yaml: a non-specific tag on a flow mapping key.
        let n = parse_ok("A: [ x, ! \"Ref\": \"AWS::AccountId\" ]\n");
        let items = n.get("A").unwrap().elements();
        assert_eq!(
            items[1].get("Ref").unwrap().as_str().unwrap(),
            "AWS::AccountId"
        );
    }

    #[test]
    fn spans_point_at_values() {
        let text = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n";
        let n = parse_ok(text);
        let ty = n
            .get("Resources")
            .unwrap()
            .get("Db")
            .unwrap()
            .get("Type")
            .unwrap();
        assert_eq!(
            &text[ty.span.start as usize..ty.span.end as usize],
            "AWS::RDS::DBInstance"
        );
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(FileId(0), "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"));
        let dup = parse(FileId(0), "a: 1\na: 2\n").unwrap_err();
        assert!(dup.message.contains("duplicate") || dup.message.contains("duplicated"));
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(FileId(0), &y).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(FileId(0), &deep).is_err());
        let mut block = String::new();
        for i in 0..400 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert!(parse(FileId(0), &block).is_err());
    }
}
