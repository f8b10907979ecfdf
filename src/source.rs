//! Source files, byte spans and their conversion to line/column positions.
//!
//! Every value resilint reasons about remembers where it came from as a [`Span`]: a file and a
//! byte range. Spans are turned into 1-based lines and columns (counted in Unicode code points,
//! which is what SARIF's `columnKind: unicodeCodePoints` declares) only when a report is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// Start byte offset (inclusive).
    pub start: u32,
    /// End byte offset (exclusive).
    pub end: u32,
}

impl Span {
    /// Creates a span; offsets larger than `u32::MAX` are clamped (files are capped well below).
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let (start, end) = (clamp(start), clamp(end));
        Span {
            file,
            start,
            end: end.max(start),
        }
    }

    /// The smallest span covering both `self` and `other` (same file assumed; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line/column position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode code points.
    pub column: u32,
}

/// Start and end of a span as 1-based positions; `end` is exclusive (one past the last character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    /// First character.
    pub start: Position,
    /// One past the last character.
    pub end: Position,
}

/// The language a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    /// Terraform native syntax (`*.tf`).
    Terraform,
    /// Terraform JSON syntax (`*.tf.json`).
    TerraformJson,
    /// A CloudFormation template in YAML.
    CloudFormationYaml,
    /// A CloudFormation template in JSON.
    CloudFormationJson,
    /// Terraform plan JSON (`terraform show -json`).
    TerraformPlan,
}

impl Language {
    /// Whether the file belongs to the Terraform front end.
    pub fn is_terraform(self) -> bool {
        matches!(self, Language::Terraform | Language::TerraformJson)
    }
}

/// One file read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// Its id in the [`SourceMap`].
    pub id: FileId,
    /// The path as it was found (joined to the scan root).
    pub path: PathBuf,
    /// Path relative to the report base (repository root or scan root), `/`-separated.
    pub rel_path: String,
    /// Its language.
    pub language: Language,
    /// The text; empty when the file could not be read.
    pub text: Arc<str>,
    /// Byte offset of each line start.
    line_starts: Vec<u32>,
    /// Character counts at byte offsets, for columns in long lines.
    chars: CharIndex,
}

impl SourceFile {
    /// Builds a source file and its line index.
    pub fn new(
        id: FileId,
        path: PathBuf,
        rel_path: String,
        language: Language,
        text: Arc<str>,
    ) -> SourceFile {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let chars = CharIndex::new(&text);
        SourceFile {
            id,
            path,
            rel_path,
            language,
            text,
            line_starts,
            chars,
        }
    }

    /// The 1-based position of a byte offset (clamped to the text, snapped to a char boundary).
    pub fn position(&self, offset: u32) -> Position {
        let offset = (offset as usize).min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        // An offset inside a multi-byte character counts up to that character.
        let column = self.chars.chars_before(&self.text, offset)
            - self.chars.chars_before(&self.text, line_start);
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The region of a span.
    pub fn region(&self, span: Span) -> Region {
        Region {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    /// Byte offset of a 1-based line and a 0-based column counted in characters (as YAML parsers
    /// report them). Out-of-range input is clamped.
    pub fn offset_of(&self, line: usize, column_chars: usize) -> usize {
        let idx = line.saturating_sub(1).min(self.line_starts.len() - 1);
        let start = self.line_starts[idx] as usize;
        let end = self
            .line_starts
            .get(idx + 1)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        let first = self.chars.chars_before(&self.text, start);
        self.chars
            .byte_of_char(&self.text, first.saturating_add(column_chars))
            .min(end)
    }

    /// The bytes of 1-based lines `first` to `last` (inclusive) with their terminators: an
    /// offset falls in them exactly when its [`SourceFile::position`] is on one of those lines
    /// (the end of the text counts as on the last line).
    pub fn lines_bytes(&self, first: u32, last: u32) -> std::ops::Range<usize> {
        let start_of = |line: u32| -> Option<usize> {
            let idx = (line as usize).checked_sub(1)?;
            self.line_starts.get(idx).map(|&s| s as usize)
        };
        let start = match start_of(first.max(1)) {
            Some(s) => s,
            None => return 0..0,
        };
        let end = start_of(last.saturating_add(1)).unwrap_or(self.text.len() + 1);
        start..end.max(start)
    }

    /// Byte range of a 1-based line, without its line terminator.
    pub fn line_range(&self, line: u32) -> std::ops::Range<usize> {
        let idx = (line as usize)
            .saturating_sub(1)
            .min(self.line_starts.len() - 1);
        let start = self.line_starts[idx] as usize;
        let mut end = self
            .line_starts
            .get(idx + 1)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    /// The text of a span (empty if it does not fall on character boundaries).
    pub fn snippet(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// The file name used in messages (`backup.tf`).
    pub fn file_name(&self) -> &str {
        self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path)
    }
}

/// Conversions between byte offsets and character counts in one text, in time independent of
/// the line's length: a file of one 10 MB line (a minified plan) has as many positions to
/// convert as findings, and counting from the line start each time made reports quadratic.
/// An ASCII text needs no table; otherwise the byte offset of every [`CharIndex::STRIDE`]th
/// character is kept, and at most that many characters are counted per conversion.
#[derive(Debug, Default)]
pub struct CharIndex {
    /// Byte offsets of characters 0, STRIDE, 2×STRIDE, …; empty for an ASCII text.
    checkpoints: Vec<u32>,
}

impl CharIndex {
    /// Characters between checkpoints.
    pub const STRIDE: usize = 256;

    /// The index of a text.
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex::default();
        }
        let checkpoints = text
            .char_indices()
            .step_by(Self::STRIDE)
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        CharIndex { checkpoints }
    }

    /// The number of characters before byte `offset` (clamped to the text, and moved back to
    /// the start of the character it falls inside).
    pub fn chars_before(&self, text: &str, offset: usize) -> usize {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if self.checkpoints.is_empty() {
            return offset;
        }
        let k = self
            .checkpoints
            .partition_point(|&c| c as usize <= offset)
            .saturating_sub(1);
        let from = self.checkpoints.get(k).map_or(0, |&c| c as usize);
        let counted = text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| !(0x80..0xC0).contains(&b)) // not a UTF-8 continuation byte
            .count();
        k * Self::STRIDE + counted
    }

    /// The byte offset of character `n` (the text's length when it has fewer).
    pub fn byte_of_char(&self, text: &str, n: usize) -> usize {
        if self.checkpoints.is_empty() {
            return n.min(text.len());
        }
        let k = (n / Self::STRIDE).min(self.checkpoints.len() - 1);
        let from = self.checkpoints[k] as usize;
        let rest = n - k * Self::STRIDE;
        text.get(from..)
            .and_then(|t| t.char_indices().nth(rest).map(|(i, _)| from + i))
            .unwrap_or(text.len())
    }
}

/// All files of one scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn push(
        &mut self,
        path: PathBuf,
        rel_path: String,
        language: Language,
        text: Arc<str>,
    ) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(Arc::new(SourceFile::new(
            id, path, rel_path, language, text,
        )));
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).map(|f| f.as_ref())
    }

    /// All files, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().map(|f| f.as_ref())
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `path:line` relative to the report base (`infra/backup.tf:14`).
    pub fn location(&self, span: Span) -> String {
        match self.get(span.file) {
            Some(f) => format!("{}:{}", f.rel_path, f.position(span.start).line),
            None => "?".to_string(),
        }
    }

    /// `file:line` for messages (`backup.tf:14`), using the file name only.
    pub fn short_location(&self, span: Span) -> String {
        match self.get(span.file) {
            Some(f) => format!("{}:{}", f.file_name(), f.position(span.start).line),
            None => "?".to_string(),
        }
    }
}

/// A file as the registry keeps it.
#[derive(Debug, Clone)]
pub struct Registered {
    /// Its id.
    pub id: FileId,
    /// Its text.
    pub text: Arc<str>,
    /// Whether it could not be read as text (already reported; not to be parsed).
    pub broken: bool,
}

/// A path with `.` and `..` resolved textually, without the file system (`..` above a
/// relative path's start is kept).
pub fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !path.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Locks a mutex, also after a thread panicked while holding it: the data guarded here stays
/// consistent (each update is a single insert or push), and a panic costs one unit of the scan,
/// not the scan.
pub(crate) fn lock_ignoring_poison<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Collects the files of a scan while it runs, from several threads; becomes a [`SourceMap`].
/// Files are keyed by their canonical path ([`crate::tree::Tree::canonical`]), so a module
/// directory loaded by several root modules is registered once.
#[derive(Debug, Default)]
pub struct SourceRegistry {
    inner: Mutex<RegistryInner>,
}

#[derive(Debug, Default)]
struct RegistryInner {
    map: SourceMap,
    by_path: HashMap<PathBuf, Registered>,
    reported: Vec<bool>,
}

impl SourceRegistry {
    /// Registers a file (or returns the existing registration of the same canonical `key`).
    /// `reported`: whether findings located in it are reported; a file registered again as
    /// reported becomes reported.
    #[allow(clippy::too_many_arguments)]
    pub fn register(
        &self,
        key: PathBuf,
        path: PathBuf,
        rel_path: String,
        language: Language,
        text: Arc<str>,
        reported: bool,
        broken: bool,
    ) -> Registered {
        let mut inner = lock_ignoring_poison(&self.inner);
        if let Some(r) = inner.by_path.get(&key).cloned() {
            if reported && let Some(flag) = inner.reported.get_mut(r.id.0 as usize) {
                *flag = true;
            }
            return r;
        }
        let id = inner.map.push(path, rel_path, language, text.clone());
        inner.reported.push(reported);
        let r = Registered { id, text, broken };
        inner.by_path.insert(key, r.clone());
        r
    }

    /// Makes findings located in a file reported (a configuration file a plan maps to).
    pub fn mark_reported(&self, id: FileId) {
        let mut inner = lock_ignoring_poison(&self.inner);
        if let Some(r) = inner.reported.get_mut(id.0 as usize) {
            *r = true;
        }
    }

    /// The registration of a canonical path.
    pub fn get(&self, key: &Path) -> Option<Registered> {
        let inner = lock_ignoring_poison(&self.inner);
        inner.by_path.get(key).cloned()
    }

    /// The source map and, per file, whether its findings are reported.
    pub fn into_parts(self) -> (SourceMap, Vec<bool>) {
        let inner = self
            .inner
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (inner.map, inner.reported)
    }
}

/// Turns a path into a `/`-separated string relative to `base` (with `..` steps when it lies
/// outside `base`; absolute only when they share no prefix at all).
pub fn relative_path(path: &Path, base: &Path) -> String {
    use std::path::Component;
    let p: Vec<Component<'_>> = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let b: Vec<Component<'_>> = base
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    for c in &b[common..] {
        if matches!(c, Component::Normal(_)) {
            parts.push("..".into());
        }
    }
    for c in &p[common..] {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            _ => {}
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Creates `path` for writing, with its missing parent directories (`-o sarif=reports/x.sarif`
/// should not need a `mkdir` first).
pub fn create_output_file(path: &Path) -> Result<std::fs::File, String> {
    let create = || {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::File::create(path)
    };
    create().map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            FileId(0),
            PathBuf::from("a.tf"),
            "dir/a.tf".into(),
            Language::Terraform,
            Arc::from(text),
        )
    }

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let f = file("ab\né = 1\n");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 2, column: 1 });
        // 'é' is two bytes: the ' ' after it is column 2.
        assert_eq!(f.position(5), Position { line: 2, column: 2 });
        // Past the end clamps.
        assert_eq!(f.position(1000).line, 3);
    }

    #[test]
    fn char_index_agrees_with_counting() {
        let texts = [
            String::from("plain ascii\nsecond"),
            "é€😀x\n".repeat(300),
            format!("{}é{}", "a".repeat(700), "ü".repeat(600)),
        ];
        for text in &texts {
            let index = CharIndex::new(text);
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            for (n, &b) in boundaries.iter().enumerate() {
                assert_eq!(index.chars_before(text, b), n, "offset {b}");
                assert_eq!(index.byte_of_char(text, n), b, "char {n}");
            }
            // Inside a character: counted up to it.
            for b in (0..text.len()).filter(|&b| !text.is_char_boundary(b)) {
                let start = (0..b).rev().find(|&i| text.is_char_boundary(i)).unwrap();
                assert_eq!(index.chars_before(text, b), text[..start].chars().count());
            }
            assert_eq!(index.byte_of_char(text, usize::MAX / 2), text.len());
            assert_eq!(index.chars_before(text, usize::MAX), boundaries.len() - 1);
        }
    }

    #[test]
    fn offset_of_counts_chars() {
        let f = file("x: 1\néé: 2\n");
        assert_eq!(f.offset_of(2, 0), 5);
        assert_eq!(f.offset_of(2, 2), 9);
        assert_eq!(f.offset_of(99, 0), f.offset_of(3, 0));
    }

    #[test]
    fn line_range_strips_terminators() {
        let f = file("one\r\ntwo\n");
        assert_eq!(&f.text[f.line_range(1)], "one");
        assert_eq!(&f.text[f.line_range(2)], "two");
    }

    #[test]
    fn relative_paths_use_slashes() {
        assert_eq!(
            relative_path(Path::new("/r/infra/db.tf"), Path::new("/r")),
            "infra/db.tf"
        );
        assert_eq!(relative_path(Path::new("/r"), Path::new("/r")), ".");
        assert_eq!(
            relative_path(
                Path::new("/r/modules/db/main.tf"),
                Path::new("/r/envs/prod")
            ),
            "../../modules/db/main.tf"
        );
    }
}
