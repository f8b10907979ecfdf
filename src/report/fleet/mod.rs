//! Fleet report (in progress).
pub mod html;
pub mod markdown;
use std::path::PathBuf;
/// A fleet.
#[derive(Debug, Default, serde::Serialize)]
pub struct Fleet { /// Unreadable.
 pub unreadable: Vec<String> }
/// Reads.
pub fn read(_p: &[PathBuf]) -> Result<Fleet, String> { Ok(Fleet::default()) }
/// JSON.
pub fn json(f: &Fleet) -> String { serde_json::to_string_pretty(f).unwrap_or_default() }
