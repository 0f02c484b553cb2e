//! Writing outputs: every file goes first into a temporary file of its own in the output folder,
//! then is renamed into place, so a reader never sees half a file, and a set of files
//! ([`OutputSet`], what `prerender` writes) is replaced whole or not at all.
//!
//! Rules, each against a way a build could go wrong:
//! - **A temporary name nobody can plant a link at.** Each temporary file is created with
//!   `create_new` (`O_CREAT | O_EXCL`: it fails if anything, a symbolic link included, already
//!   has the name, and so never writes through one), under a name made from the process id, a
//!   counter and the clock's nanoseconds, tried again with the next counter when taken.
//! - **Renamed, never opened, at the final name.** A rename replaces whatever had the name (a
//!   symbolic link is replaced, not followed), so a link planted at an output's name never sends
//!   the output elsewhere.
//! - **All or nothing.** An [`OutputSet`] writes every file to its temporary first; only when all
//!   are written does [`OutputSet::commit`] rename them into place, in the order they were added
//!   (`prerender` adds embed.html last, so a page never refers to a frame not yet in place).
//!   Before each rename the file it replaces is kept under a temporary hard link; should a rename
//!   fail, the files already renamed are put back (or removed, where there was none before), so
//!   a failed run leaves the previous set as it was.
//! - **Nothing left behind.** Temporaries and kept copies are removed on success and on failure
//!   alike (an [`OutputSet`] dropped before its commit removes its temporaries).
//!
//! This module never reads inputs (`files.rs` does).

use super::host::fs::{self, OpenOptions};
use std::ffi::{OsStr, OsString};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use logmesh::Error;

/// How many taken names to step over before giving up on a unique one.
const NAME_ATTEMPTS: u32 = 64;

/// Writes one file atomically: [`OutputSet`] with that file alone.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let (dir, name) = split(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    let mut set = OutputSet::new(dir);
    set.add_with(name, write)?;
    set.commit()?;
    Ok(())
}

/// Files written into one folder as a set: each to a temporary file by [`OutputSet::add`], all
/// renamed into place by [`OutputSet::commit`], or, should anything fail, none (see the module
/// docs).
#[derive(Debug)]
pub struct OutputSet {
    dir: PathBuf,
    staged: Vec<Staged>,
}

/// A file written to its temporary name, waiting for the commit.
#[derive(Debug)]
struct Staged {
    temp: PathBuf,
    target: PathBuf,
}

/// A file renamed into place during a commit, and the previous file's kept copy, if there was
/// one.
struct Renamed<'a> {
    target: &'a Path,
    previous: Option<PathBuf>,
}

impl OutputSet {
    /// An empty set of files for `dir` (which must exist).
    pub fn new(dir: &Path) -> OutputSet {
        OutputSet {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
        }
    }

    /// Writes `bytes` to a temporary file that the commit renames to `name` in the folder.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        self.add_with(OsStr::new(name), |out| out.write_all(bytes))
    }

    /// Lets `write` fill a temporary file that the commit renames to `name` in the folder.
    pub fn add_with(
        &mut self,
        name: &OsStr,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Error> {
        let target = self.dir.join(name);
        let io_error = |e| Error::io(target.display().to_string(), e);
        let (temp, file) = create_unique(&self.dir, name, "tmp").map_err(io_error)?;
        let result = (|| {
            let mut out = BufWriter::new(file);
            write(&mut out)?;
            out.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_all()
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&temp);
            return Err(io_error(e));
        }
        self.staged.push(Staged { temp, target });
        Ok(())
    }

    /// Renames every file into place, in the order they were added, and returns their paths. On
    /// failure the files already renamed are put back as they were, every temporary is removed,
    /// and the error names the file whose rename failed.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, Error> {
        let staged = std::mem::take(&mut self.staged);
        let mut renamed: Vec<Renamed<'_>> = Vec::with_capacity(staged.len());
        for (i, file) in staged.iter().enumerate() {
            if let Err(e) = replace(file, &mut renamed) {
                roll_back(&renamed);
                for later in &staged[i..] {
                    let _ = fs::remove_file(&later.temp);
                }
                return Err(Error::io(file.target.display().to_string(), e));
            }
        }
        for file in &renamed {
            if let Some(previous) = &file.previous {
                let _ = fs::remove_file(previous);
            }
        }
        sync_dir(&self.dir);
        Ok(staged.into_iter().map(|file| file.target).collect())
    }
}

impl Drop for OutputSet {
    /// A set dropped before its commit (a later step failed) removes its temporaries.
    fn drop(&mut self) {
        for file in &self.staged {
            let _ = fs::remove_file(&file.temp);
        }
    }
}

/// Keeps the file at `file.target` (if any) under a hard link of its own, then renames the
/// temporary over it; records what it did in `renamed`.
fn replace<'a>(file: &'a Staged, renamed: &mut Vec<Renamed<'a>>) -> io::Result<()> {
    if fs::symlink_metadata(&file.target).is_ok_and(|meta| meta.is_dir()) {
        // Neither a hard link nor a rename can replace it; say why in words.
        return Err(io::Error::other("a folder has this name"));
    }
    let previous = keep_previous(&file.target)?;
    if let Err(e) = fs::rename(&file.temp, &file.target) {
        if let Some(previous) = &previous {
            let _ = fs::remove_file(previous);
        }
        return Err(e);
    }
    renamed.push(Renamed {
        target: &file.target,
        previous,
    });
    Ok(())
}

/// Puts back what the renames in `renamed` replaced, newest first: the kept copy renamed over
/// the new file, or the new file removed where there was none before. Best effort: this runs
/// only after another error, which is the one reported.
fn roll_back(renamed: &[Renamed<'_>]) {
    for file in renamed.iter().rev() {
        let _ = match &file.previous {
            Some(previous) => fs::rename(previous, file.target),
            None => fs::remove_file(file.target),
        };
    }
}

/// A second name (a hard link) for the file at `target`, so a failed commit can put it back;
/// `None` when nothing has that name. A symbolic link is linked itself, never followed.
fn keep_previous(target: &Path) -> io::Result<Option<PathBuf>> {
    let (dir, name) = split(target)?;
    for _ in 0..NAME_ATTEMPTS {
        let kept = dir.join(unique_name(name, "old"));
        match fs::hard_link(target, &kept) {
            Ok(()) => return Ok(Some(kept)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(taken())
}

/// Creates a new file `.{name}.{pid}-{counter}-{nanos}.{suffix}` in `dir`, failing rather than
/// opening anything that already has the name (a symbolic link included).
fn create_unique(dir: &Path, name: &OsStr, suffix: &str) -> io::Result<(PathBuf, fs::File)> {
    for _ in 0..NAME_ATTEMPTS {
        let path = dir.join(unique_name(name, suffix));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(taken())
}

/// `.{name}.{pid}-{counter}-{nanos}.{suffix}`: hidden, beside the file it stands for, and
/// different on every call (the counter) and across processes and runs (the pid and the clock).
fn unique_name(name: &OsStr, suffix: &str) -> OsString {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = super::host::now_nanos();
    let mut unique = OsString::from(".");
    unique.push(name);
    unique.push(format!(
        ".{}-{counter}-{nanos}.{suffix}",
        super::host::process_id()
    ));
    unique
}

/// The folder of `path` (`.` for a bare name) and its file name.
fn split(path: &Path) -> io::Result<(&Path, &OsStr)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    Ok((dir, name))
}

fn taken() -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name beside it",
    )
}

/// Makes the renames durable where the platform allows it (best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir().join(unique_name(OsStr::new(name), "test"));
            fs::create_dir_all(&dir).expect("temp dir created");
            TempDir(dir)
        }

        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }

        fn names(&self) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(&self.0)
                .expect("readable")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).expect("readable")
    }

    /// A link planted where the earlier writer put its temporary file
    /// (`.{name}.{pid}.tmp`, known in advance) is not written through.
    #[cfg(unix)]
    #[test]
    fn a_link_at_the_old_predictable_temporary_name_is_not_followed() {
        let dir = TempDir::new("write-old-temp");
        let outside = TempDir::new("write-outside");
        let victim = outside.path("victim.txt");
        fs::write(&victim, "untouched").expect("written");
        let planted = dir.path(&format!(".layout.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).expect("link planted");

        write_atomically(&dir.path("layout.json"), |out| out.write_all(b"new")).expect("written");

        assert_eq!(read(&victim), "untouched");
        assert_eq!(read(&dir.path("layout.json")), "new");
        assert!(
            fs::symlink_metadata(&planted)
                .expect("still there")
                .is_symlink()
        );
        let planted_name = planted
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert_eq!(dir.names(), [planted_name, "layout.json".to_owned()]);
    }

    /// A link at the output's own name is replaced, not followed.
    #[cfg(unix)]
    #[test]
    fn a_link_at_the_final_name_is_replaced_not_followed() {
        let dir = TempDir::new("write-final");
        let outside = TempDir::new("write-outside");
        let victim = outside.path("victim.txt");
        fs::write(&victim, "untouched").expect("written");
        std::os::unix::fs::symlink(&victim, dir.path("embed.html")).expect("link planted");

        let mut set = OutputSet::new(&dir.0);
        set.add("embed.html", b"new").expect("staged");
        set.commit().expect("committed");

        assert_eq!(read(&victim), "untouched");
        let meta = fs::symlink_metadata(dir.path("embed.html")).expect("written");
        assert!(meta.is_file(), "a plain file now");
        assert_eq!(read(&dir.path("embed.html")), "new");
        assert_eq!(dir.names(), ["embed.html"]);
    }

    /// A temporary name that is taken (by anything) is skipped, never opened.
    #[test]
    fn temporary_files_are_created_new() {
        let dir = TempDir::new("write-new");
        let name = OsStr::new("a.json");
        let (first, _) = create_unique(&dir.0, name, "tmp").expect("created");
        let (second, _) = create_unique(&dir.0, name, "tmp").expect("created");
        assert_ne!(first, second);
        let error = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&first)
            .expect_err("taken");
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        let text = first
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let pid = std::process::id().to_string();
        assert!(
            text.starts_with(".a.json.") && text.ends_with(".tmp"),
            "{text}"
        );
        assert!(text.contains(&pid), "{text}");
    }

    /// A rename that fails part way through a commit (here, one output's name is a folder) puts
    /// back every file already renamed, and leaves no temporaries or kept copies.
    #[test]
    fn a_failed_commit_leaves_the_previous_set() {
        let dir = TempDir::new("write-roll-back");
        fs::write(dir.path("a.txt"), "old a").expect("written");
        fs::create_dir(dir.path("c.txt")).expect("folder in the way");
        fs::write(dir.path("d.txt"), "old d").expect("written");

        let mut set = OutputSet::new(&dir.0);
        for name in ["a.txt", "b.txt", "c.txt", "d.txt"] {
            set.add(name, format!("new {name}").as_bytes())
                .expect("staged");
        }
        let error = set.commit().expect_err("c.txt is a folder");
        assert!(error.to_string().contains("c.txt"), "{error}");
        assert!(
            error.to_string().contains("a folder has this name"),
            "{error}"
        );

        assert_eq!(read(&dir.path("a.txt")), "old a");
        assert_eq!(read(&dir.path("d.txt")), "old d");
        assert!(dir.path("c.txt").is_dir());
        assert_eq!(dir.names(), ["a.txt", "c.txt", "d.txt"]);
    }

    #[test]
    fn a_commit_replaces_every_file_and_leaves_nothing_else() {
        let dir = TempDir::new("write-commit");
        fs::write(dir.path("a.txt"), "old a").expect("written");
        let mut set = OutputSet::new(&dir.0);
        set.add("a.txt", b"new a").expect("staged");
        set.add("b.txt", b"new b").expect("staged");
        assert_eq!(dir.names().len(), 3, "two temporaries beside a.txt");
        let written = set.commit().expect("committed");
        assert_eq!(written, [dir.path("a.txt"), dir.path("b.txt")]);
        assert_eq!(read(&dir.path("a.txt")), "new a");
        assert_eq!(read(&dir.path("b.txt")), "new b");
        assert_eq!(dir.names(), ["a.txt", "b.txt"]);
    }

    #[test]
    fn a_set_dropped_before_its_commit_removes_its_temporaries() {
        let dir = TempDir::new("write-drop");
        fs::write(dir.path("a.txt"), "old a").expect("written");
        let mut set = OutputSet::new(&dir.0);
        set.add("a.txt", b"new a").expect("staged");
        let failed = set.add_with(OsStr::new("b.txt"), |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        drop(set);
        assert_eq!(read(&dir.path("a.txt")), "old a");
        assert_eq!(dir.names(), ["a.txt"]);
    }
}
