//! What resilint opens, and what it refuses to.
//!
//! resilint runs in CI on pull requests from people the repository owner does not control, and
//! what it prints is uploaded to code scanning. Every file any stage opens (discovery, Terraform
//! module loading, variables files, `file()` and `templatefile()`, plans, the configuration and
//! knowledge-base files it names) goes through a [`Tree`]:
//!
//! - **Only regular files are read.** The type is checked before opening and again on the opened
//!   handle, and the open itself does not block, so a FIFO, a socket or a device can neither hang
//!   a scan nor stream into it.
//! - **A symbolic link is followed only inside the tree.** A path that goes through a link (in
//!   any component) is opened only when the path it resolves to lies inside the tree: the
//!   scanned directories (the directory of a scanned file), the git work trees that contain
//!   them, and the other paths the command line names. Git stores links, so a pull request can add one that points at
//!   anything on the runner; such a link is never opened, whichever stage meets it, and each one
//!   gets one [`Refusal`] that the scan reports as a notice.
//! - **Nothing inside a `.git` directory is read**: `actions/checkout` keeps the job's token in
//!   `.git/config`.
//! - **Every read is capped** by the caller's limit, checked before reading and while reading.
//!
//! Paths that reach no link are not restricted here, with two exceptions: a module called from
//! inside a git work tree is read only inside the tree ([`Tree::admits_module`]), and `file()`
//! has a stricter rule of its own.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, FileType, Metadata};
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::source::{lock_ignoring_poison, normalize_path};

/// Why a path is not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link, or a path through one, that resolves to outside the tree. `link` is the
    /// link's text as written, when the path itself is the link.
    LinkOutside {
        /// The link's text (`../outside/evil.tf`).
        link: Option<String>,
    },
    /// Not a regular file: what it is (`a FIFO`).
    NotRegular(&'static str),
    /// Inside a `.git` directory.
    GitDir,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::LinkOutside { link: Some(link) } => write!(
                f,
                "a symbolic link to `{link}`, which is outside the scanned tree"
            ),
            Refusal::LinkOutside { link: None } => {
                f.write_str("reached through a symbolic link that leads outside the scanned tree")
            }
            Refusal::NotRegular(what) => write!(f, "not a regular file ({what})"),
            Refusal::GitDir => f.write_str("inside a `.git` directory"),
        }
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// It may not be opened.
    Refused(Refusal),
    /// It does not exist.
    NotFound,
    /// It is larger than the caller's limit.
    TooLarge {
        /// Its size (or what was read before giving up).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading failed.
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Refused(r) => write!(f, "{r}; resilint does not open it"),
            ReadError::NotFound => f.write_str("cannot read: no such file or directory"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "file is too large to scan ({} MiB; the limit is {} MiB)",
                size >> 20,
                limit >> 20
            ),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        }
    }
}

/// What a directory entry is, for the stages that list directories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file (possibly through a link inside the tree): its canonical path.
    File(PathBuf),
    /// A directory that is not a link.
    Dir,
    /// A link to a directory inside the tree (not followed by directory walks, which would
    /// otherwise loop or scan the same files twice).
    LinkedDir,
    /// Refused (and recorded), or gone.
    Skip,
}

/// The scanned tree: where links may lead, and the refusals met so far.
#[derive(Debug, Default)]
pub struct Tree {
    /// Canonical directories inside which links may be followed.
    roots: Vec<PathBuf>,
    /// Canonical forms of directories, so that a file's canonical path costs one `lstat` rather
    /// than a `readlink` per path component.
    dirs: Mutex<HashMap<PathBuf, PathBuf>>,
    /// Paths refused, each once, by the absolute path as it was met (links not resolved).
    refused: Mutex<BTreeMap<PathBuf, Refusal>>,
    /// The git work trees among the roots: a module called from inside one is read only inside
    /// the tree (see [`Tree::admits_module`]).
    work_trees: Vec<PathBuf>,
}

impl Tree {
    /// The tree of a run that scans `scanned` (files and directories): each scanned directory
    /// (a scanned file's directory) is a root, and so is the git work tree containing it. The
    /// other paths the command line names (`--config`, `--rules`, `--var-file`,
    /// `--config-dir`) are trusted as they are: each is a root itself, a file not making its
    /// directory one (a `--var-file` in `/tmp` must not let links reach all of `/tmp`).
    pub fn new(scanned: &[PathBuf], named: &[PathBuf]) -> Tree {
        let cwd = std::env::current_dir().unwrap_or_default();
        let canonical = |p: &Path| cwd.join(p).canonicalize().ok();
        let mut roots: Vec<PathBuf> = Vec::new();
        let mut work_trees: Vec<PathBuf> = Vec::new();
        let scanned: Vec<PathBuf> = if scanned.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            scanned.to_vec()
        };
        for path in &scanned {
            let Some(c) = canonical(path) else {
                continue;
            };
            let dir = if c.is_dir() {
                c
            } else {
                match c.parent() {
                    Some(p) => p.to_path_buf(),
                    None => continue,
                }
            };
            if let Some(git) = crate::discover::git_root(&dir) {
                work_trees.push(git.clone());
                roots.push(git);
            }
            roots.push(dir);
        }
        roots.extend(named.iter().filter_map(|p| canonical(p)));
        roots.sort();
        roots.dedup();
        work_trees.sort();
        work_trees.dedup();
        Tree {
            roots,
            work_trees,
            ..Tree::default()
        }
    }

    /// A tree with exactly these canonical roots (tests, library callers).
    pub fn with_roots(roots: Vec<PathBuf>) -> Tree {
        Tree {
            roots,
            ..Tree::default()
        }
    }

    /// The roots, canonical.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Whether a canonical path lies inside the tree.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// Whether the module directory `module` (canonical) may be loaded for a call from the
    /// module in `caller` (canonical). A caller inside a git work tree, the unit a pull request
    /// controls and CI checks out, may reach only the tree, so that a configuration cannot print
    /// `.tf` files from elsewhere on the runner (another checkout on a self-hosted runner) into
    /// its findings; outside any work tree (an unpacked archive) the project's bounds are not
    /// known and sources are followed as Terraform follows them.
    pub fn admits_module(&self, module: &Path, caller: &Path) -> bool {
        self.contains(module) || !self.work_trees.iter().any(|w| caller.starts_with(w))
    }

    /// The canonical absolute path of a file (relative paths start at the current directory);
    /// the path itself when it cannot be resolved. Nothing is recorded: this only names files.
    pub fn canonical(&self, path: &Path) -> PathBuf {
        let abs = absolute(path);
        let is_link = std::fs::symlink_metadata(&abs).map_or(true, |m| m.file_type().is_symlink());
        if let (false, Some(dir), Some(name)) = (is_link, abs.parent(), abs.file_name()) {
            return match self.canonical_dir(dir) {
                Some(d) => d.join(name),
                None => abs,
            };
        }
        abs.canonicalize().unwrap_or(abs)
    }

    /// The canonical form of a directory (an absolute path), cached; `None` when it does not
    /// exist. Built from the canonical parent, so each directory costs one `lstat`.
    pub fn canonical_dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(d) = lock_ignoring_poison(&self.dirs).get(dir) {
            return Some(d.clone());
        }
        let meta = std::fs::symlink_metadata(dir).ok()?;
        let resolved = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) if !meta.file_type().is_symlink() => {
                self.canonical_dir(parent)?.join(name)
            }
            // The root, a symbolic link, or a path ending in `..`.
            _ => dir.canonicalize().ok()?,
        };
        lock_ignoring_poison(&self.dirs).insert(dir.to_path_buf(), resolved.clone());
        Some(resolved)
    }

    /// Whether `path` may be opened: its canonical path, or why not (a refusal is recorded, once
    /// per path). Does not check the file type of what a link leads to; [`Tree::read`] does.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let abs = absolute(path);
        let meta = std::fs::symlink_metadata(&abs)?;
        let is_link = meta.file_type().is_symlink();
        let canonical = if is_link {
            abs.canonicalize()?
        } else {
            self.canonical(&abs)
        };
        if canonical != normalize_path(&abs) && !self.contains(&canonical) {
            let link = is_link
                .then(|| std::fs::read_link(&abs).ok())
                .flatten()
                .map(|l| l.to_string_lossy().into_owned());
            return Err(self.refuse(path, Refusal::LinkOutside { link }));
        }
        if self.in_git_dir(&canonical) {
            return Err(self.refuse(path, Refusal::GitDir));
        }
        if !is_link && let Some(what) = special_kind(meta.file_type()) {
            return Err(self.refuse(path, Refusal::NotRegular(what)));
        }
        Ok(canonical)
    }

    /// The canonical form of a directory that may be read (a module source), or why not.
    pub fn admit_dir(&self, dir: &Path) -> Result<PathBuf, ReadError> {
        let canonical = self.admit(dir)?;
        if canonical.is_dir() {
            Ok(canonical)
        } else {
            Err(ReadError::NotFound)
        }
    }

    /// Reads a file of at most `limit` bytes, if it may be opened (see [`Tree::admit`]).
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.admit(path)?;
        read_regular(path, limit).map_err(|e| match e {
            ReadError::Refused(r) => self.refuse(path, r),
            e => e,
        })
    }

    /// Reads a file as UTF-8 text (see [`Tree::read`]); a file that is not text is an I/O error.
    pub fn read_string(&self, path: &Path, limit: u64) -> Result<String, ReadError> {
        let bytes = self.read(path, limit)?;
        String::from_utf8(bytes).map_err(|_| {
            ReadError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not UTF-8 text",
            ))
        })
    }

    /// What the entry `path` of a directory listing is, from its `lstat` type: links are
    /// resolved (and refused when they lead outside), special files are refused.
    pub fn entry(&self, path: &Path, file_type: FileType) -> Entry {
        if file_type.is_dir() {
            return Entry::Dir;
        }
        if file_type.is_file() {
            return match self.admit(path) {
                Ok(canonical) => Entry::File(canonical),
                Err(_) => Entry::Skip,
            };
        }
        if !file_type.is_symlink() {
            if let Some(what) = special_kind(file_type) {
                self.refuse(path, Refusal::NotRegular(what));
            }
            return Entry::Skip;
        }
        let Ok(canonical) = self.admit(path) else {
            return Entry::Skip;
        };
        match std::fs::metadata(&canonical) {
            Ok(m) if m.is_dir() => Entry::LinkedDir,
            Ok(m) if m.is_file() => Entry::File(canonical),
            Ok(m) => {
                if let Some(what) = special_kind(m.file_type()) {
                    self.refuse(path, Refusal::NotRegular(what));
                }
                Entry::Skip
            }
            Err(_) => Entry::Skip,
        }
    }

    /// Records that `path` was refused (once per path) and returns the error to pass on.
    pub fn refuse(&self, path: &Path, why: Refusal) -> ReadError {
        lock_ignoring_poison(&self.refused)
            .entry(normalize_path(&absolute(path)))
            .or_insert_with(|| why.clone());
        ReadError::Refused(why)
    }

    /// The paths refused so far (absolute, links not resolved), in path order, each once; taken
    /// out of the tree.
    pub fn take_refusals(&self) -> Vec<(PathBuf, Refusal)> {
        std::mem::take(&mut *lock_ignoring_poison(&self.refused))
            .into_iter()
            .collect()
    }

    /// Whether a canonical path is inside a `.git` directory below the root that contains it
    /// (or anywhere, for a path outside every root).
    fn in_git_dir(&self, canonical: &Path) -> bool {
        let below = self
            .roots
            .iter()
            .filter_map(|r| canonical.strip_prefix(r).ok())
            .min_by_key(|rest| rest.components().count())
            .unwrap_or(canonical);
        below
            .components()
            .any(|c| matches!(c, Component::Normal(n) if n == ".git"))
    }
}

/// Opens a regular file for reading without blocking: the type is checked on the opened handle,
/// so a FIFO put in a file's place cannot hang the read.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(unix))]
    {
        // No non-blocking open: check the type first.
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(ReadError::Refused(Refusal::NotRegular(kind_name(
                meta.file_type(),
            ))));
        }
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::Refused(Refusal::NotRegular(kind_name(
            meta.file_type(),
        ))));
    }
    Ok((file, meta))
}

/// The bytes of a regular file of at most `limit` bytes: the size is checked before reading,
/// and reading stops past the limit (a file that grows meanwhile).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a regular file as UTF-8 text (a path named on the command line: no tree rule).
pub fn read_regular_string(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_regular(path, limit)?).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })
}

/// `path` made absolute against the current directory.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}

/// What a file type that is neither a regular file, a directory nor a link is.
fn special_kind(t: FileType) -> Option<&'static str> {
    (!t.is_file() && !t.is_dir() && !t.is_symlink()).then(|| kind_name(t))
}

/// A file type in words.
fn kind_name(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let inside = root.join("input");
        let outside = root.join("outside");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.tf"), "locals { t = \"SECRET\" }\n").unwrap();
        std::fs::write(inside.join("main.tf"), "").unwrap();
        (dir, inside, outside)
    }

    #[test]
    fn links_inside_the_tree_are_followed_and_links_out_are_refused_once() {
        let (_d, inside, outside) = setup();
        symlink("main.tf", inside.join("same.tf")).unwrap();
        symlink("../outside/secret.tf", inside.join("evil.tf")).unwrap();
        symlink(&outside, inside.join("dir")).unwrap();
        let tree = Tree::with_roots(vec![inside.clone()]);
        assert_eq!(
            tree.admit(&inside.join("same.tf")).unwrap(),
            inside.join("main.tf")
        );
        for _ in 0..2 {
            assert!(matches!(
                tree.read(&inside.join("evil.tf"), 1024),
                Err(ReadError::Refused(Refusal::LinkOutside { .. }))
            ));
        }
        // Through a linked directory: the link is a component, not the file itself.
        assert!(tree.read(&inside.join("dir/secret.tf"), 1024).is_err());
        let refused = tree.take_refusals();
        assert_eq!(
            refused,
            [
                (
                    inside.join("dir/secret.tf"),
                    Refusal::LinkOutside { link: None }
                ),
                (
                    inside.join("evil.tf"),
                    Refusal::LinkOutside {
                        link: Some("../outside/secret.tf".into())
                    }
                ),
            ]
        );
        // A path outside the tree that reaches no link is not this module's business.
        assert!(tree.read(&outside.join("secret.tf"), 1024).is_ok());
    }

    #[test]
    fn fifos_are_refused_without_blocking() {
        let (_d, inside, _) = setup();
        let fifo = inside.join("fifo.tf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let tree = Tree::with_roots(vec![inside.clone()]);
        assert!(matches!(
            tree.read(&fifo, 1024),
            Err(ReadError::Refused(Refusal::NotRegular("a FIFO")))
        ));
        // Opened directly (the check that cannot race).
        assert!(matches!(
            read_regular(&fifo, 1024),
            Err(ReadError::Refused(Refusal::NotRegular("a FIFO")))
        ));
        symlink("fifo.tf", inside.join("link.tf")).unwrap();
        assert!(tree.read(&inside.join("link.tf"), 1024).is_err());
    }

    #[test]
    fn git_directories_are_never_read() {
        let (_d, inside, _) = setup();
        std::fs::create_dir_all(inside.join(".git")).unwrap();
        std::fs::write(inside.join(".git/config"), "token").unwrap();
        let tree = Tree::with_roots(vec![inside.clone()]);
        assert!(matches!(
            tree.read(&inside.join(".git/config"), 1024),
            Err(ReadError::Refused(Refusal::GitDir))
        ));
    }

    #[test]
    fn reads_are_capped() {
        let (_d, inside, _) = setup();
        std::fs::write(inside.join("big.tf"), vec![b'x'; 2048]).unwrap();
        let tree = Tree::with_roots(vec![inside.clone()]);
        assert!(matches!(
            tree.read(&inside.join("big.tf"), 1024),
            Err(ReadError::TooLarge { size: 2048, .. })
        ));
    }
}
