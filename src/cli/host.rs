//! What the CLI asks of the machine it runs on: files, stdout and stderr, the clock, the process
//! id. Natively that is `std` itself. In the Node CLI (the same code compiled to
//! wasm32-unknown-unknown, where `std::fs` and the clock only fail) it is Node's `fs`,
//! `process` and `Date`, called synchronously through `node/host.js`; [`fs`] there mirrors the
//! few parts of `std::fs` the CLI uses, with the same meaning (`create_new` is `O_EXCL`, a
//! rename replaces a link rather than following it), so `write.rs` and `files.rs` run unchanged.

#[cfg(not(target_arch = "wasm32"))]
pub use std::fs;

#[cfg(target_arch = "wasm32")]
pub use wasm::fs;

/// Writes `text` to stdout (an error when stdout is closed).
pub fn stdout(text: &str) -> std::io::Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }
    #[cfg(target_arch = "wasm32")]
    wasm::call(|| wasm::js::out(1, text))
}

/// Writes `text` to stderr, best effort.
pub fn stderr(text: &str) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::Write;
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    #[cfg(target_arch = "wasm32")]
    let _ = wasm::call(|| wasm::js::out(2, text));
}

/// Whether stderr is a terminal (progress is shown only there; never in the Node CLI).
pub fn stderr_is_terminal() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal()
    }
    #[cfg(target_arch = "wasm32")]
    false
}

/// Nanoseconds since the Unix epoch (0 when the clock is before it).
pub fn now_nanos() -> u128 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    }
    #[cfg(target_arch = "wasm32")]
    {
        (wasm::js::now_ms().max(0.0) as u128) * 1_000_000
    }
}

/// The process id (temporary file names).
pub fn process_id() -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::process::id()
    }
    #[cfg(target_arch = "wasm32")]
    {
        wasm::js::pid()
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::io;

    use wasm_bindgen::JsValue;

    /// Node's synchronous calls (`node/host.js`); each throws Node's error, with its `code`.
    pub mod js {
        use wasm_bindgen::prelude::*;

        #[wasm_bindgen(module = "/host.js")]
        extern "C" {
            #[wasm_bindgen(catch)]
            pub fn out(fd: u32, text: &str) -> Result<(), JsValue>;
            pub fn now_ms() -> f64;
            pub fn pid() -> u32;
            /// `[kind, size]`: kind 0 file, 1 folder, 2 FIFO, 3 socket, 4 device, 5 link, 6 other.
            #[wasm_bindgen(catch)]
            pub fn stat(path: &str, follow: bool) -> Result<Vec<f64>, JsValue>;
            #[wasm_bindgen(catch)]
            pub fn fstat(fd: u32) -> Result<Vec<f64>, JsValue>;
            #[wasm_bindgen(catch)]
            pub fn open(path: &str, flags: &str) -> Result<u32, JsValue>;
            #[wasm_bindgen(catch)]
            pub fn read(fd: u32, max: u32) -> Result<Vec<u8>, JsValue>;
            #[wasm_bindgen(catch)]
            pub fn write(fd: u32, bytes: &[u8]) -> Result<u32, JsValue>;
            #[wasm_bindgen(catch)]
            pub fn fsync(fd: u32) -> Result<(), JsValue>;
            #[wasm_bindgen(catch)]
            pub fn close(fd: u32) -> Result<(), JsValue>;
            #[wasm_bindgen(catch)]
            pub fn rename(from: &str, to: &str) -> Result<(), JsValue>;
            #[wasm_bindgen(catch)]
            pub fn unlink(path: &str) -> Result<(), JsValue>;
            #[wasm_bindgen(catch)]
            pub fn link(from: &str, to: &str) -> Result<(), JsValue>;
            #[wasm_bindgen(catch)]
            pub fn mkdirp(path: &str) -> Result<(), JsValue>;
            #[wasm_bindgen(catch)]
            pub fn readdir(path: &str) -> Result<Vec<String>, JsValue>;
            #[wasm_bindgen(catch)]
            pub fn realpath(path: &str) -> Result<String, JsValue>;
        }
    }

    /// A JavaScript exception as an `io::Error` of the kind its Node `code` says.
    fn io_error(e: JsValue) -> io::Error {
        let get = |key: &str| {
            js_sys::Reflect::get(&e, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        let kind = match get("code").as_deref() {
            Some("ENOENT") => io::ErrorKind::NotFound,
            Some("EEXIST") => io::ErrorKind::AlreadyExists,
            Some("EACCES" | "EPERM") => io::ErrorKind::PermissionDenied,
            Some("EISDIR") => io::ErrorKind::IsADirectory,
            Some("ENOTDIR") => io::ErrorKind::NotADirectory,
            Some("ENOSPC") => io::ErrorKind::StorageFull,
            Some("EINVAL") => io::ErrorKind::InvalidInput,
            _ => io::ErrorKind::Other,
        };
        // Node's message repeats the path the CLI's own message already names.
        let message = get("code")
            .map(|code| describe(&code).to_string())
            .or_else(|| get("message"))
            .unwrap_or_else(|| "an error in Node".into());
        io::Error::new(kind, message)
    }

    /// The wording `std` gives these errors natively (so both CLIs say the same).
    fn describe(code: &str) -> &str {
        match code {
            "ENOENT" => "No such file or directory (os error 2)",
            "EEXIST" => "File exists (os error 17)",
            "EACCES" => "Permission denied (os error 13)",
            "EPERM" => "Operation not permitted (os error 1)",
            "EISDIR" => "Is a directory (os error 21)",
            "ENOTDIR" => "Not a directory (os error 20)",
            "ENOSPC" => "No space left on device (os error 28)",
            other => other,
        }
    }

    pub fn call<T>(f: impl FnOnce() -> Result<T, JsValue>) -> io::Result<T> {
        f().map_err(io_error)
    }

    /// The parts of `std::fs` the CLI uses, over Node's `fs`.
    pub mod fs {
        use std::ffi::OsString;
        use std::io::{self, Read, Write};
        use std::path::{Path, PathBuf};

        use super::{call, js};

        fn text(path: &Path) -> io::Result<&str> {
            path.to_str()
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not UTF-8"))
        }

        /// What a path is (`std::fs::Metadata`'s questions).
        #[derive(Debug, Clone, Copy)]
        pub struct Metadata {
            kind: u8,
            len: u64,
        }

        /// `std::fs::FileType`'s questions.
        #[derive(Debug, Clone, Copy)]
        pub struct FileType(u8);

        impl FileType {
            pub fn is_dir(&self) -> bool {
                self.0 == 1
            }
            pub fn is_fifo(&self) -> bool {
                self.0 == 2
            }
            pub fn is_socket(&self) -> bool {
                self.0 == 3
            }
            pub fn is_block_device(&self) -> bool {
                false
            }
            pub fn is_char_device(&self) -> bool {
                self.0 == 4
            }
        }

        impl Metadata {
            fn from(v: Vec<f64>) -> Metadata {
                Metadata {
                    kind: v.first().copied().unwrap_or(6.0) as u8,
                    len: v.get(1).copied().unwrap_or(0.0) as u64,
                }
            }
            pub fn is_file(&self) -> bool {
                self.kind == 0
            }
            pub fn is_dir(&self) -> bool {
                self.kind == 1
            }
            pub fn is_symlink(&self) -> bool {
                self.kind == 5
            }
            pub fn len(&self) -> u64 {
                self.len
            }
            pub fn file_type(&self) -> FileType {
                FileType(self.kind)
            }
        }

        pub fn metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
            let path = text(path.as_ref())?;
            call(|| js::stat(path, true)).map(Metadata::from)
        }

        pub fn symlink_metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
            let path = text(path.as_ref())?;
            call(|| js::stat(path, false)).map(Metadata::from)
        }

        /// An open file: a Node file descriptor, closed when dropped.
        #[derive(Debug)]
        pub struct File {
            fd: u32,
        }

        impl File {
            pub fn open(path: impl AsRef<Path>) -> io::Result<File> {
                let path = text(path.as_ref())?;
                call(|| js::open(path, "r")).map(|fd| File { fd })
            }
            pub fn metadata(&self) -> io::Result<Metadata> {
                call(|| js::fstat(self.fd)).map(Metadata::from)
            }
            pub fn sync_all(&self) -> io::Result<()> {
                call(|| js::fsync(self.fd))
            }
        }

        impl Read for File {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let max = buf.len().min(1 << 24) as u32;
                let bytes = call(|| js::read(self.fd, max))?;
                buf[..bytes.len()].copy_from_slice(&bytes);
                Ok(bytes.len())
            }
        }

        impl Write for File {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                call(|| js::write(self.fd, buf)).map(|n| n as usize)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }

        impl Drop for File {
            fn drop(&mut self) {
                let _ = js::close(self.fd);
            }
        }

        /// `OpenOptions::new().write(true).create_new(true)`: Node's `wx` flag (`O_EXCL`).
        #[derive(Debug, Default)]
        pub struct OpenOptions {
            create_new: bool,
        }

        impl OpenOptions {
            pub fn new() -> OpenOptions {
                OpenOptions::default()
            }
            pub fn write(&mut self, _: bool) -> &mut OpenOptions {
                self
            }
            pub fn create_new(&mut self, create_new: bool) -> &mut OpenOptions {
                self.create_new = create_new;
                self
            }
            pub fn open(&self, path: impl AsRef<Path>) -> io::Result<File> {
                let path = text(path.as_ref())?;
                let flags = if self.create_new { "wx" } else { "w" };
                call(|| js::open(path, flags)).map(|fd| File { fd })
            }
        }

        pub fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
            let (from, to) = (text(from.as_ref())?, text(to.as_ref())?);
            call(|| js::rename(from, to))
        }

        pub fn remove_file(path: impl AsRef<Path>) -> io::Result<()> {
            let path = text(path.as_ref())?;
            call(|| js::unlink(path))
        }

        pub fn hard_link(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
            let (from, to) = (text(from.as_ref())?, text(to.as_ref())?);
            call(|| js::link(from, to))
        }

        pub fn create_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
            let path = text(path.as_ref())?;
            call(|| js::mkdirp(path))
        }

        pub fn canonicalize(path: impl AsRef<Path>) -> io::Result<PathBuf> {
            let path = text(path.as_ref())?;
            call(|| js::realpath(path)).map(PathBuf::from)
        }

        /// A folder entry (`std::fs::DirEntry`'s questions).
        #[derive(Debug)]
        pub struct DirEntry {
            folder: PathBuf,
            name: String,
        }

        impl DirEntry {
            pub fn file_name(&self) -> OsString {
                OsString::from(&self.name)
            }
            pub fn path(&self) -> PathBuf {
                self.folder.join(&self.name)
            }
        }

        pub fn read_dir(
            path: impl AsRef<Path>,
        ) -> io::Result<impl Iterator<Item = io::Result<DirEntry>>> {
            let folder = path.as_ref().to_path_buf();
            let names = call(|| js::readdir(text(&folder).unwrap_or_default()))?;
            Ok(names.into_iter().map(move |name| {
                Ok(DirEntry {
                    folder: folder.clone(),
                    name,
                })
            }))
        }
    }
}
