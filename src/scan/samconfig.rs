//! SAM CLI configuration (`samconfig.toml`, else `samconfig.yaml` or `samconfig.yml`, beside a
//! template, the order the SAM CLI looks for them in): the region and parameter values `sam
//! deploy` would use, for the environment `--config-env` names (`default` otherwise).
//!
//! Read from `[<env>.deploy.parameters]`, then `[<env>.global.parameters]`: `region`, and
//! `parameter_overrides`, either one string (`Env=prod Name="a b"`, as `sam deploy
//! --parameter-overrides` takes it) or a list of `KEY=VALUE` strings.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::tree::Tree;

/// Largest `samconfig.toml` read.
const MAX_BYTES: u64 = 1 << 20;

/// What a `samconfig.toml` gives the templates beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SamDeploy {
    /// The region `sam deploy` deploys to.
    pub region: Option<String>,
    /// Parameter values.
    pub parameters: BTreeMap<String, String>,
}

/// The SAM configuration of each directory holding one of `templates` (absolute paths) that
/// has a `samconfig.toml`, for environment `env`.
pub fn read_all(templates: &[PathBuf], env: &str, tree: &Tree) -> HashMap<PathBuf, SamDeploy> {
    let mut out: HashMap<PathBuf, SamDeploy> = HashMap::new();
    for name in ["samconfig.toml", "samconfig.yaml", "samconfig.yml"] {
        for (dir, text) in super::inputs::files_beside(templates, name, tree, MAX_BYTES) {
            if out.contains_key(&dir) {
                continue;
            }
            let parsed = if name.ends_with(".toml") {
                parse(&text, env)
            } else {
                parse_yaml(&text, env)
            };
            if let Some(d) = parsed {
                out.insert(dir, d);
            }
        }
    }
    out
}

/// The deployment a `samconfig.yaml` text gives for `env` (the TOML file's tables as YAML
/// mappings).
pub fn parse_yaml(text: &str, env: &str) -> Option<SamDeploy> {
    let root = crate::parse::yaml::parse(crate::source::FileId(0), text).ok()?;
    match to_toml(&root, 0)? {
        toml::Value::Table(t) => parse_table(t, env),
        _ => None,
    }
}

/// A YAML value as TOML (nulls and unknown values left out), 16 levels deep at most.
fn to_toml(n: &crate::model::node::Node, depth: usize) -> Option<toml::Value> {
    use crate::model::node::Kind;
    if depth > 16 {
        return None;
    }
    Some(match &n.kind {
        Kind::String(s) => toml::Value::String(s.clone()),
        Kind::Bool(b) => toml::Value::Boolean(*b),
        Kind::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => toml::Value::Integer(*f as i64),
        Kind::Number(f) => toml::Value::Float(*f),
        Kind::List(items) => {
            toml::Value::Array(items.iter().filter_map(|i| to_toml(i, depth + 1)).collect())
        }
        Kind::Map(m) => toml::Value::Table(
            m.iter()
                .filter_map(|e| Some((e.key.clone(), to_toml(&e.value, depth + 1)?)))
                .collect(),
        ),
        _ => return None,
    })
}

/// The deployment a samconfig text gives for `env`; `None` when it is not TOML or has no such
/// environment.
pub fn parse(text: &str, env: &str) -> Option<SamDeploy> {
    parse_table(text.parse().ok()?, env)
}

fn parse_table(doc: toml::Table, env: &str) -> Option<SamDeploy> {
    let env = doc.get(env)?.as_table()?;
    let section = |name: &str| {
        env.get(name)
            .and_then(|c| c.get("parameters"))
            .and_then(|p| p.as_table())
    };
    let sections: Vec<&toml::Table> = ["deploy", "global"]
        .into_iter()
        .filter_map(section)
        .collect();
    let get = |key: &str| sections.iter().find_map(|s| s.get(key));
    let region = get("region").and_then(|r| r.as_str()).map(str::to_string);
    let mut parameters = BTreeMap::new();
    match get("parameter_overrides") {
        Some(toml::Value::String(s)) => parameters.extend(overrides(s)),
        Some(toml::Value::Array(items)) => {
            for item in items.iter().filter_map(|i| i.as_str()) {
                parameters.extend(overrides(item));
            }
        }
        _ => {}
    }
    Some(SamDeploy { region, parameters })
}

/// `KEY=VALUE` pairs separated by spaces, values optionally in double or single quotes
/// (`Env=prod Name="a b"`), as `--parameter-overrides` takes them. Tokens without `=` are
/// skipped.
pub fn overrides(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return out;
        }
        let mut token = String::new();
        let mut quote: Option<char> = None;
        while let Some(&c) = chars.peek() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => token.push(c),
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c.is_whitespace() => break,
                None => token.push(c),
            }
            chars.next();
        }
        if let Some((k, v)) = token.split_once('=')
            && !k.is_empty()
        {
            out.push((k.to_string(), v.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_regions_and_overrides() {
        let text = r#"
version = 0.1
[default.global.parameters]
region = "us-east-1"
[default.deploy.parameters]
stack_name = "app"
parameter_overrides = "Env=dev Retention=\"7\" Name='a b' junk"
[prod.deploy.parameters]
region = "eu-west-1"
parameter_overrides = ["Env=prod", "Retention=35"]
"#;
        let dev = parse(text, "default").unwrap();
        assert_eq!(dev.region.as_deref(), Some("us-east-1"));
        assert_eq!(dev.parameters["Env"], "dev");
        assert_eq!(dev.parameters["Retention"], "7");
        assert_eq!(dev.parameters["Name"], "a b");
        assert_eq!(dev.parameters.len(), 3);
        let prod = parse(text, "prod").unwrap();
        assert_eq!(prod.region.as_deref(), Some("eu-west-1"));
        assert_eq!(prod.parameters["Retention"], "35");
        assert!(parse(text, "staging").is_none());
        assert!(parse("not = [toml", "default").is_none());
    }

    #[test]
    fn yaml_configurations_read_as_toml_ones() {
        let text = "version: 0.1\nprod:\n  deploy:\n    parameters:\n      region: eu-west-1\n      parameter_overrides:\n        - Env=prod\n        - Retention=35\n  global:\n    parameters:\n      region: us-east-1\n";
        let prod = parse_yaml(text, "prod").unwrap();
        assert_eq!(prod.region.as_deref(), Some("eu-west-1"));
        assert_eq!(prod.parameters["Retention"], "35");
        assert!(parse_yaml(text, "default").is_none());
        assert!(parse_yaml("[: no", "prod").is_none());
    }
}
