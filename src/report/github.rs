//! GitHub Actions workflow commands: an annotation per finding on the pull request diff.

use std::io::{self, Write};

use super::{Emitter, ReportOptions};
use crate::scan::Scan;

/// The `github` format.
pub struct Github;

impl Emitter for Github {
    fn emit(&self, _scan: &Scan, _options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "the github format is not written yet")
    }
}
