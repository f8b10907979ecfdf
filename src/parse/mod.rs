//! Stage 2: parse files into syntax trees that keep every position.
//!
//! Terraform is parsed with `hcl-edit` (byte spans on every block, attribute and expression);
//! CloudFormation YAML with `saphyr` (line/column on every node, short-form tags kept, alias
//! expansion capped) and JSON with `jsonc-parser` in strict mode. Both CloudFormation forms become
//! the same [`Node`] tree, with short-form tags rewritten to their long form (`!Ref x` becomes
//! `{"Ref": x}`), keeping the tag's span.
//!
//! Parsing never panics on input: every failure is a [`ParseError`] with a position, and each
//! file is parsed under `catch_unwind` as a last line of defence against bugs in the parsers.

pub mod cfn_detect;
pub mod hcl;
pub mod json;
pub mod tf_json;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use crate::model::node::Node;
use crate::source::{FileId, Language, Span};
use crate::tree::{ReadError, Tree};

/// Files larger than this are not parsed (RES000), bounding memory and time.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Deepest nesting accepted when converting a YAML/JSON tree (the parsers bound their own
/// recursion; this bounds ours).
pub const MAX_DEPTH: usize = 256;

/// A parsed file.
#[derive(Debug)]
pub enum Parsed {
    /// A Terraform file.
    Terraform(crate::hcl_edit::structure::Body),
    /// A CloudFormation template (the document root).
    CloudFormation(Node),
    /// A YAML/JSON file that is not a CloudFormation template: ignored.
    NotIac,
}

/// Why a file could not be read or parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Where the problem is (an empty span at the offending position).
    pub span: Span,
    /// What went wrong, in one sentence.
    pub message: String,
}

impl ParseError {
    /// An error at a byte offset.
    pub fn at(file: FileId, offset: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            span: Span::new(file, offset, offset),
            message: message.into(),
        }
    }
}

/// Parses `text` as `language`. `text` is the whole file.
pub fn parse(file: FileId, language: Language, text: &str) -> Result<Parsed, ParseError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(too_large(file, text.len() as u64));
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match language {
        Language::Terraform => hcl::parse(file, text).map(Parsed::Terraform),
        Language::TerraformJson => tf_json::parse(file, text).map(Parsed::Terraform),
        Language::CloudFormationYaml => yaml::parse(file, text).map(cfn_or_not),
        Language::CloudFormationJson => json::parse(file, text).map(cfn_or_not),
        Language::TerraformPlan => Ok(Parsed::NotIac),
    }));
    match result {
        Ok(r) => r,
        Err(_) => Err(ParseError::at(
            file,
            0,
            "internal error while parsing this file (a bug in resilint: please report it with the file)",
        )),
    }
}

fn cfn_or_not(root: Node) -> Parsed {
    if cfn_detect::is_template(&root) {
        Parsed::CloudFormation(root)
    } else {
        Parsed::NotIac
    }
}

/// The error of a file over [`MAX_FILE_BYTES`].
fn too_large(file: FileId, bytes: u64) -> ParseError {
    ParseError::at(
        file,
        0,
        format!(
            "file is too large to scan ({} MiB; the limit is {} MiB)",
            bytes >> 20,
            MAX_FILE_BYTES >> 20
        ),
    )
}

/// The bytes of a file of at most [`MAX_FILE_BYTES`], read through the [`Tree`]: `Err(None)`
/// when the tree refuses it (it records why), else the error located at `FileId(0)`, offset 0.
pub fn read_capped(tree: &Tree, path: &Path) -> Result<Vec<u8>, Option<ParseError>> {
    tree.read(path, MAX_FILE_BYTES as u64).map_err(|e| match e {
        ReadError::Refused(_) => None,
        e => Some(ParseError::at(FileId(0), 0, e.to_string())),
    })
}

/// The text of a file's bytes, and why it is not text if it is not (see [`check_text`]; the
/// text is then decoded lossily, so that the error's position can be shown).
pub fn decode(bytes: &[u8]) -> (Arc<str>, Option<ParseError>) {
    match check_text(FileId(0), bytes) {
        Ok(t) => (Arc::from(t), None),
        Err(e) => (Arc::from(String::from_utf8_lossy(bytes).as_ref()), Some(e)),
    }
}

/// A file's text ([`read_capped`], then [`decode`]), and why it cannot be scanned if it cannot:
/// the text is empty when the file cannot be read or is too large. `None` when the tree refuses
/// the file. Errors are located at `FileId(0)`.
pub fn read_text(tree: &Tree, path: &Path) -> Option<(Arc<str>, Option<ParseError>)> {
    match read_capped(tree, path) {
        Ok(bytes) => Some(decode(&bytes)),
        Err(Some(e)) => Some((Arc::from(""), Some(e))),
        Err(None) => None,
    }
}

/// Checks that `bytes` is text: valid UTF-8 without NUL bytes. Returns the error position.
pub fn check_text(file: FileId, bytes: &[u8]) -> Result<&str, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => match memchr_nul(bytes) {
            Some(pos) => Err(ParseError::at(
                file,
                pos,
                "binary file: it contains a NUL byte",
            )),
            None => Ok(text.strip_prefix('\u{feff}').unwrap_or(text)),
        },
        Err(e) => Err(ParseError::at(
            file,
            e.valid_up_to(),
            format!(
                "file is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}
