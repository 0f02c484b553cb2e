//! Reading inputs, with errors that name the path (`write.rs` writes outputs).

use std::fs::File;
use std::io::Read;
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
