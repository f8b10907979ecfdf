//! Notices: what a run has to say besides findings. A file it did not open (a link out of the
//! scanned tree, a FIFO), a file it does not support, or why the run could not happen at all
//! (a configuration or command-line error). Each output format carries them: SARIF as tool
//! execution notifications, JSON as `notices`, the human output as `note:` lines.

use crate::config::Level;

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Notice {
    /// How serious it is: an `error` notice means the run did not complete.
    pub level: Level,
    /// What kind of notice it is, stable for tools: [`FILE_NOT_READ`], [`FILE_NOT_SUPPORTED`],
    /// [`RUN_FAILED`].
    pub code: &'static str,
    /// The file it is about, relative to the report base and `/`-separated, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What happened, in one sentence.
    pub message: String,
}

/// A file was not opened (a link out of the scanned tree, a FIFO, a file in `.git`).
pub const FILE_NOT_READ: &str = "file-not-read";
/// A file named on the command line is of a format resilint does not read.
pub const FILE_NOT_SUPPORTED: &str = "file-not-supported";
/// The run did not happen: a configuration or command-line error.
pub const RUN_FAILED: &str = "run-failed";
/// A `[[workloads]]` entry of the configuration matches no resource.
pub const WORKLOAD_UNUSED: &str = "workload-unused";
/// A `--var` (or `[variables]`) value names a variable that no root module declares.
pub const VAR_UNDECLARED: &str = "var-undeclared";
/// A `--var` value is not valid for its variable's type: a usage error.
pub const VAR_INVALID: &str = "var-invalid";
/// A Terragrunt unit is checked with the `mock_outputs` of a dependency.
pub const TERRAGRUNT_MOCKS: &str = "terragrunt-mock-outputs";

impl Notice {
    /// A note about a file.
    pub fn note(code: &'static str, file: String, message: impl Into<String>) -> Notice {
        Notice {
            level: Level::Note,
            code,
            file: Some(file),
            message: message.into(),
        }
    }

    /// A warning, about a file if `file` is given.
    pub fn warning(code: &'static str, file: Option<String>, message: impl Into<String>) -> Notice {
        Notice {
            level: Level::Warning,
            code,
            file,
            message: message.into(),
        }
    }

    /// The error that stopped a run before it could scan (about no file in particular).
    pub fn run_failed(message: impl Into<String>) -> Notice {
        Notice {
            level: Level::Error,
            code: RUN_FAILED,
            file: None,
            message: message.into(),
        }
    }

    /// `file: message`, or the message alone.
    pub fn text(&self) -> String {
        match &self.file {
            Some(f) => format!("{f}: {}", self.message),
            None => self.message.clone(),
        }
    }
}
