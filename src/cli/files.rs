//! Reading inputs and writing outputs, with errors that name the path.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use logmesh::Error;
use logmesh::posts::{self, Limits, Parsed};

/// Reads a file, at most `max_bytes + 1` bytes of it: enough for the parser to report a file
/// over its size limit without first loading all of a huge one.
pub fn read_capped(path: &Path, max_bytes: usize) -> Result<Vec<u8>, Error> {
    let io_error = |e| Error::io(path.display().to_string(), e);
    let file = File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(bytes)
}

/// Reads and parses a posts file with the default limits.
pub fn read_posts(path: &Path) -> Result<Parsed, Error> {
    let limits = Limits::default();
    let bytes = read_capped(path, limits.max_bytes)?;
    posts::parse_with(&bytes, &limits)
}

/// Writes a file atomically: into a temporary file in the same folder, synced, then renamed over
/// `path`, so a reader never sees half a file and a failed run leaves the old one in place.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let io_error = |e| Error::io(path.display().to_string(), e);
    let name = path.file_name().ok_or_else(|| {
        io_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = dir.join(temp_name);

    let result = (|| {
        let mut out = BufWriter::new(File::create(&temp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(io_error(e));
    }
    Ok(())
}
