//! Reading inputs, with errors that name the path (`write.rs` writes outputs).

use super::host::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use logmesh::Error;
use logmesh::layout::{LayoutFile, MAX_LAYOUT_BYTES};
use logmesh::posts::{self, Limits, Parsed};
use logmesh::style::Style;
use logmesh::style::config::parse_config;

use super::{Failure, INVALID, warning};

/// Reads a file of at most `max_bytes` bytes. A file whose length is over the limit is
/// `too_large(length)` without being read; one that grows while it is read is read to
/// `max_bytes + 1` bytes, enough for the parser to report it.
///
/// Only a regular file (or a link to one) is read: a device, a FIFO, a socket or a folder is an
/// error before the file is opened, because opening a FIFO waits for a writer and a device such
/// as `/dev/zero` never ends. The error is an I/O error naming the path (exit status 2).
pub fn read_capped(
    path: &Path,
    max_bytes: usize,
    too_large: impl FnOnce(u64) -> Error,
) -> Result<Vec<u8>, Error> {
    let io_error = |e| Error::io(path.display().to_string(), e);
    let metadata = fs::metadata(path).map_err(io_error)?;
    if !metadata.is_file() {
        return Err(io_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "not a regular file (a {})",
                file_kind(&metadata.file_type())
            ),
        )));
    }
    if metadata.len() > max_bytes as u64 {
        return Err(too_large(metadata.len()));
    }
    let cap = max_bytes as u64 + 1;
    let file = File::open(path).map_err(io_error)?;
    let mut bytes = Vec::with_capacity(metadata.len().min(cap) as usize);
    file.take(cap).read_to_end(&mut bytes).map_err(io_error)?;
    Ok(bytes)
}

/// What a file that is not a regular file is, for the message.
fn file_kind(kind: &fs::FileType) -> &'static str {
    // Natively these are Unix's `FileTypeExt`; the Node CLI's `fs` answers them itself.
    #[cfg(any(unix, target_arch = "wasm32"))]
    {
        #[cfg(unix)]
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_socket() {
            return "socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "device";
        }
    }
    if kind.is_dir() {
        "folder"
    } else {
        "special file"
    }
}

/// Reads a layout file (`--layout`, `--from`) and parses it, its warnings to stderr; an
/// invalid one names the path.
pub fn read_layout(path: &Path) -> Result<LayoutFile, Failure> {
    let bytes = read_capped(path, MAX_LAYOUT_BYTES, LayoutFile::too_large)
        .map_err(|e| Failure::in_file(path, e))?;
    let (file, warnings) = LayoutFile::parse(&bytes).map_err(|e| Failure::in_file(path, e))?;
    for w in &warnings {
        warning(&format!("{}: {w}", path.display()));
    }
    Ok(file)
}

/// Reads and parses a posts file with the default limits.
pub fn read_posts(path: &Path) -> Result<Parsed, Error> {
    let limits = Limits::default();
    let bytes = read_capped(path, limits.max_bytes, |len| posts::too_large(len, &limits))?;
    posts::parse_with(&bytes, &limits)
}

/// The most bytes a style file (`logmesh.toml`) may hold.
pub const MAX_STYLE_BYTES: usize = 1 << 20;

/// Reads a style file (`logmesh.toml`, docs/DESIGN.md, "A site's colours"); an invalid one is
/// an invalid-input failure naming the path and the key. Its contrast warnings go to stderr.
pub fn read_style(path: &Path) -> Result<Style, Failure> {
    let bytes = read_capped(path, MAX_STYLE_BYTES, |len| {
        Error::InvalidArgument(format!(
            "{len} bytes, more than the limit of {MAX_STYLE_BYTES}"
        ))
    })
    .map_err(|e| Failure::in_file(path, e))?;
    let invalid = |message: String| Failure {
        status: INVALID,
        lines: vec![format!("{}: {message}", path.display())],
    };
    let text = String::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text".to_owned()))?;
    let style = parse_config(&text).map_err(invalid)?;
    for w in style.contrast_warnings() {
        warning(&format!("{}: {w}", path.display()));
    }
    Ok(style)
}
