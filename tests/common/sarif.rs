//! The official SARIF 2.1.0 schema, kept in tests/data, as a validator.

use serde_json::Value;

use super::repo_path;

/// The schema, validating formats too (`uri`, `date-time`, ...).
pub fn validator() -> jsonschema::Validator {
    let path = repo_path("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("schema readable");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Fails, listing every error, unless `log` is valid SARIF 2.1.0.
pub fn assert_valid(log: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is not valid:\n{}",
        errors.join("\n")
    );
}
