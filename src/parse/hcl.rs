//! Terraform native syntax, parsed with `hcl-edit` (spans on every node).

use crate::hcl_edit::structure::Body;

use super::ParseError;
use crate::source::FileId;

/// Parses a `.tf` file.
pub fn parse(file: FileId, text: &str) -> Result<Body, ParseError> {
    crate::hcl_edit::parser::parse_body(text).map_err(|e| {
        let offset = e.location().offset();
        let message = e.message().trim();
        let message = if message.is_empty() {
            "invalid HCL".to_string()
        } else {
            format!("invalid HCL: {message}")
        };
        ParseError::at(file, offset, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_offsets() {
        let err = parse(FileId(0), "resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert!(err.span.start > 0);
        assert!(err.message.starts_with("invalid HCL"));
    }

    /// What Terraform accepts and the vendored hcl-edit was patched for
    /// (src/vendored/hcl_edit/PATCHES.md).
    #[test]
    fn accepts_what_terraform_accepts() {
        let multiline_for = "locals {\n  a = { for k in x : k => k == \"a\" ? 1 :\n    2\n  }\n}\n";
        let repeated_key = "locals {\n  b = { x = 1, x = 2 }\n}\n";
        let heredoc = "locals {\n  c = <<EOF\nsh -c \"x << EOF\nhi\nEOF\"\nEOF\n}\n";
        for src in [multiline_for, repeated_key, heredoc] {
            assert!(parse(FileId(0), src).is_ok(), "{src}");
        }
    }

    #[test]
    fn hostile_input_is_an_error_not_a_crash() {
        for input in [
            "[".repeat(10_000),
            "(".repeat(100_000),
            "{".to_string(),
            "\"unterminated".into(),
            "x = <<EOT\nno end".into(),
        ] {
            assert!(parse(FileId(0), &input).is_err(), "{input:.20}");
        }
    }
}
