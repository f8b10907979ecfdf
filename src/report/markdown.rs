//! A Markdown report of findings and per-resource estimates, for `$GITHUB_STEP_SUMMARY`.

use std::io::{self, Write};

use super::{Emitter, ReportOptions};
use crate::scan::Scan;

/// The `markdown` format.
pub struct Markdown;

impl Emitter for Markdown {
    fn emit(&self, _scan: &Scan, _options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "the markdown format is not written yet")
    }
}
