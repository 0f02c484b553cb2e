//! Finding the files: the [`Source`] the import reads through, the walk (dot folders,
//! `node_modules` and excluded paths skipped, each folder once however many links reach it) and
//! format detection.

use std::collections::HashSet;
use std::io;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{Format, ImportError, MAX_FILES, Report};

/// What a path is (links followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
    /// Anything else (a device, a FIFO, a socket, a dangling link): never read.
    Other,
}

/// The files the import reads: `std::fs` natively, Node's `fs` through JavaScript in the wasm
/// CLI. Paths are strings as the user gave them, joined with `/`.
pub trait Source {
    /// What `path` is, following links.
    fn kind(&self, path: &str) -> io::Result<Kind>;
    /// The names in a folder (any order) and what each is, following links.
    fn list(&self, folder: &str) -> io::Result<Vec<(String, Kind)>>;
    /// A folder's identity, the same for every path that reaches it (its canonical path), so a
    /// folder reached twice through links is walked once.
    fn identity(&self, folder: &str) -> io::Result<String>;
    /// A file's bytes; a file longer than `max_bytes` is an error of kind
    /// [`io::ErrorKind::FileTooLarge`], found before it is read.
    fn read(&self, path: &str, max_bytes: usize) -> io::Result<Vec<u8>>;
}

/// Files held in memory (`/`-separated paths, folders implied by them): for tests, the fuzz
/// target, and callers whose files are not on a disk.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl MemorySource {
    /// An empty source.
    pub fn new() -> MemorySource {
        MemorySource::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(path.trim_matches('/').to_string(), bytes.into());
    }

    fn prefix(folder: &str) -> String {
        let folder = folder.trim_matches('/');
        if folder.is_empty() || folder == "." {
            String::new()
        } else {
            format!("{folder}/")
        }
    }
}

impl Source for MemorySource {
    fn kind(&self, path: &str) -> io::Result<Kind> {
        let path = path.trim_matches('/');
        if self.files.contains_key(path) {
            return Ok(Kind::File);
        }
        let prefix = MemorySource::prefix(path);
        if self.files.keys().any(|k| k.starts_with(&prefix)) {
            return Ok(Kind::Folder);
        }
        Err(io::Error::new(io::ErrorKind::NotFound, "not found"))
    }

    fn list(&self, folder: &str) -> io::Result<Vec<(String, Kind)>> {
        let prefix = MemorySource::prefix(folder);
        let mut names: Vec<(String, Kind)> = Vec::new();
        for key in self.files.keys().filter(|k| k.starts_with(&prefix)) {
            let rest = &key[prefix.len()..];
            let entry = match rest.split_once('/') {
                Some((name, _)) => (name.to_string(), Kind::Folder),
                None => (rest.to_string(), Kind::File),
            };
            if names.last() != Some(&entry) {
                names.push(entry);
            }
        }
        Ok(names)
    }

    fn identity(&self, folder: &str) -> io::Result<String> {
        Ok(MemorySource::prefix(folder))
    }

    fn read(&self, path: &str, max_bytes: usize) -> io::Result<Vec<u8>> {
        let bytes = self
            .files
            .get(path.trim_matches('/'))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not found"))?;
        if bytes.len() > max_bytes {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, "too large"));
        }
        Ok(bytes.clone())
    }
}

/// Deepest folder nesting walked.
const MAX_DEPTH: usize = 64;

/// A file found under a source.
#[derive(Debug, Clone)]
pub struct File {
    /// The path to read and report (`root/rel`).
    pub path: String,
    /// Which source (index in the list given).
    pub root: usize,
    /// Its path relative to the source, `/` separated (the file name when the source is a file).
    pub rel: String,
    /// Whether the file was given as a source itself (read whatever its name).
    pub given: bool,
}

pub(crate) fn globs(patterns: &[String]) -> Result<GlobSet, ImportError> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| ImportError::Usage(format!("--exclude {p:?}: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| ImportError::Usage(format!("--exclude: {e}")))
}

/// Every file under `root` (or `root` itself when it is a file), in path order.
pub(crate) fn files(
    source: &dyn Source,
    root: &str,
    index: usize,
    exclude: &GlobSet,
    report: &mut Report,
) -> Result<Vec<File>, ImportError> {
    let io_error = |path: &str, source| ImportError::Io {
        path: path.to_string(),
        source,
    };
    match source.kind(root).map_err(|e| io_error(root, e))? {
        Kind::File => {
            let rel = root.rsplit('/').next().unwrap_or(root).to_string();
            return Ok(vec![File {
                path: root.to_string(),
                root: index,
                rel,
                given: true,
            }]);
        }
        Kind::Other => {
            return Err(ImportError::Usage(format!(
                "{root}: not a file or a folder"
            )));
        }
        Kind::Folder => {}
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    // Depth-first, names sorted, so the order is the same on every machine.
    let mut stack = vec![(String::new(), 0usize)];
    while let Some((rel, depth)) = stack.pop() {
        let folder = join(root, &rel);
        let identity = source.identity(&folder).unwrap_or_else(|_| folder.clone());
        if !seen.insert(identity) || depth > MAX_DEPTH {
            continue;
        }
        let mut entries = match source.list(&folder) {
            Ok(entries) => entries,
            Err(e) if rel.is_empty() => return Err(io_error(&folder, e)),
            Err(e) => {
                report.skip("malformed", &folder, Some(&e.to_string()));
                continue;
            }
        };
        entries.sort_by(|a, b| b.0.cmp(&a.0));
        let mut folders = Vec::new();
        for (name, kind) in entries.into_iter().rev() {
            if name.starts_with('.') || name == "node_modules" {
                continue;
            }
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if exclude.is_match(&child) {
                if kind == Kind::File && wanted_any(&child) {
                    report.skip("excluded", &join(root, &child), None);
                }
                continue;
            }
            match kind {
                Kind::Folder => folders.push((child, depth + 1)),
                Kind::File if wanted_any(&child) => {
                    if out.len() >= MAX_FILES {
                        return Err(ImportError::Usage(format!(
                            "{root}: more than {MAX_FILES} files to read"
                        )));
                    }
                    out.push(File {
                        path: join(root, &child),
                        root: index,
                        rel: child,
                        given: false,
                    });
                }
                _ => {}
            }
        }
        // Pushed in reverse so the first folder (by name) is walked first.
        stack.extend(folders.into_iter().rev());
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn join(root: &str, rel: &str) -> String {
    if rel.is_empty() {
        root.to_string()
    } else if root.ends_with('/') {
        format!("{root}{rel}")
    } else {
        format!("{root}/{rel}")
    }
}

/// The file's extension, lower case.
pub(crate) fn extension(name: &str) -> Option<String> {
    let last = name.rsplit('/').next().unwrap_or(name);
    let (stem, ext) = last.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

pub(crate) const MARKDOWN: [&str; 3] = ["md", "markdown", "mdx"];
const HTML: [&str; 2] = ["html", "htm"];
const FEED: [&str; 5] = ["xml", "rss", "atom", "json", "feed"];

fn wanted_any(rel: &str) -> bool {
    [Format::Markdown, Format::Html, Format::Feed]
        .into_iter()
        .any(|f| wanted(f, rel))
}

/// Whether the reader of `format` reads a file of this name.
pub(crate) fn wanted(format: Format, rel: &str) -> bool {
    let Some(ext) = extension(rel) else {
        return false;
    };
    match format {
        Format::Markdown => MARKDOWN.contains(&ext.as_str()),
        Format::Html => HTML.contains(&ext.as_str()),
        Format::Feed => FEED.contains(&ext.as_str()),
    }
}

/// The format of `root` (docs/IMPORT.md, "Format detection").
pub(crate) fn detect(
    source: &dyn Source,
    root: &str,
    files: &[File],
) -> Result<Format, ImportError> {
    if source.kind(root).ok() == Some(Kind::File) {
        if wanted(Format::Markdown, root) {
            return Ok(Format::Markdown);
        }
        if wanted(Format::Html, root) {
            return Ok(Format::Html);
        }
        return Ok(Format::Feed);
    }
    if files.iter().any(|f| wanted(Format::Markdown, &f.rel)) {
        return Ok(Format::Markdown);
    }
    if files.iter().any(|f| wanted(Format::Html, &f.rel)) {
        return Ok(Format::Html);
    }
    Err(ImportError::Usage(format!(
        "{root}: no Markdown or HTML files found (pass --format, or a feed file)"
    )))
}
