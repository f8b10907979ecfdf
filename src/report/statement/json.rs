//! The resilience statement as JSON: the [`Statement`] itself (version 1), which a later
//! `resilint report --compare` reads back.

use super::{Statement, VERSION};

/// Renders the statement.
pub fn render(st: &Statement) -> String {
    let mut s = serde_json::to_string_pretty(st).unwrap_or_else(|e| {
        // Serializing plain data cannot fail; say so in the document if it ever does.
        format!("{{\"error\": {:?}}}", e.to_string())
    });
    s.push('\n');
    s
}

/// Reads a statement written by `resilint report --format json`.
pub fn parse(text: &str) -> Result<Statement, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "statement version {v}; this resilint reads {VERSION}"
            ));
        }
        None => {
            return Err(
                "not a resilience statement (`resilint report --format json` writes one)".into(),
            );
        }
    }
    serde_json::from_value(value).map_err(|e| format!("not a resilience statement: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::statement::build;
    use crate::report::testutil::{example_scan, reproducible};

    #[test]
    fn a_statement_reads_back_as_written() {
        let scan = example_scan();
        let st = build(&scan, &reproducible());
        let text = render(&st);
        let back = parse(&text).expect("reads back");
        assert_eq!(render(&back), text);
        assert!(parse("{}").is_err());
        assert!(parse("[").is_err());
        assert!(parse("{\"version\": 99}").unwrap_err().contains("99"));
    }
}
