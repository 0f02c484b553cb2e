//! Hostile inputs against the `logmesh` binary: the memory and time a run may take, measured
//! from outside (Linux: the child's peak resident size, `VmHWM` in `/proc/<pid>/status`).
#![cfg(all(feature = "cli", target_os = "linux"))]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::TempDir;

/// What a watched run of the binary gave.
#[derive(Debug)]
struct Watched {
    /// The exit status, `None` when the run was killed for going over a ceiling.
    code: Option<i32>,
    stderr: String,
    /// The largest resident size seen, in bytes.
    peak_bytes: u64,
    elapsed: Duration,
}

/// The child's peak resident size so far, in bytes (`VmHWM`), while it runs.
fn peak_resident(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs the binary with `args`, polling its peak resident size every millisecond; kills it when
/// that passes `kill_above_bytes` or the run passes `kill_after` (so a regression fails the
/// test instead of exhausting the machine).
fn watch(args: &[&std::ffi::OsStr], kill_above_bytes: u64, kill_after: Duration) -> Watched {
    let dir = TempDir::new("watch-out");
    let err = dir.path("stderr");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("binary runs");
    let mut peak_bytes = 0;
    let code = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status.code();
        }
        if let Some(bytes) = peak_resident(child.id()) {
            peak_bytes = peak_bytes.max(bytes);
        }
        if peak_bytes > kill_above_bytes || start.elapsed() > kill_after {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    Watched {
        code,
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        peak_bytes,
        elapsed: start.elapsed(),
    }
}

const MB: u64 = 1024 * 1024;

fn write_file(path: &Path, parts: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("file created"));
    parts(&mut file).expect("file written");
    file.flush().expect("file flushed");
}

/// One post whose id is 10,000,000 characters and which links to 1,100 missing posts: every
/// problem of that post names it, and naming it must not copy the id each time.
#[test]
fn an_over_long_id_is_not_copied_into_every_message() {
    let dir = TempDir::new("long-id");
    let posts = dir.path("posts.json");
    write_file(&posts, |f| {
        f.write_all(br#"{"version": 1, "posts": [{"id": ""#)?;
        f.write_all(&vec![b'a'; 10_000_000])?;
        f.write_all(br#"", "title": "Long", "links": ["#)?;
        for i in 0..1100 {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}\"missing-{i}\"")?;
        }
        f.write_all(b"]}]}")
    });
    let out = dir.path("out");
    let commands: [Vec<&std::ffi::OsStr>; 3] = [
        vec!["validate".as_ref(), posts.as_ref()],
        vec!["bake".as_ref(), posts.as_ref(), "-o".as_ref(), out.as_ref()],
        vec![
            "prerender".as_ref(),
            posts.as_ref(),
            "--out-dir".as_ref(),
            out.as_ref(),
        ],
    ];
    let expected = format!(
        "posts[0] (id \"{}…\"): id: 10000000 characters, more than the limit of 200",
        "a".repeat(60)
    );
    for args in &commands {
        let run = watch(args, 1024 * MB, Duration::from_secs(60));
        eprintln!(
            "{:?}: peak {} MB in {:?}",
            args[0],
            run.peak_bytes / MB,
            run.elapsed
        );
        assert!(
            run.peak_bytes < 300 * MB,
            "{:?}: peak {} MB: {run:?}",
            args[0],
            run.peak_bytes / MB
        );
        assert_eq!(run.code, Some(1), "{:?}: {}", args[0], run.stderr);
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("error: ") && l.ends_with(&expected)),
            "{:?}: {}",
            args[0],
            run.stderr
        );
        assert!(run.stderr.len() < 10_000, "{} bytes", run.stderr.len());
    }
    assert!(!out.exists());
}

/// More posts than the limit (1,000,000) is found while the list is read: the reader stops at the
/// first post over the limit, so neither the rest of the file nor a post object per entry is
/// built.
#[test]
fn too_many_posts_are_refused_while_the_list_is_read() {
    let dir = TempDir::new("many-posts");
    // Empty objects (3 bytes a post) and small real posts (about 28 bytes a post).
    type Post = fn(usize) -> String;
    let cases: [(&str, Post, u64); 2] = [
        ("empty.json", |_| "{}".to_owned(), 100 * MB),
        (
            "small.json",
            |i| format!(r#"{{"id":"p{i}","title":"t"}}"#),
            256 * MB,
        ),
    ];
    for (name, post, max_peak) in cases {
        let posts = dir.path(name);
        let mut over_limit_at = 0;
        write_file(&posts, |f| {
            let head = br#"{"version": 1, "posts": ["#;
            f.write_all(head)?;
            let mut at = head.len();
            for i in 0..1_100_000 {
                let text = if i == 0 {
                    post(i)
                } else {
                    format!(",{}", post(i))
                };
                if i == 1_000_000 {
                    over_limit_at = at + 1;
                }
                f.write_all(text.as_bytes())?;
                at += text.len();
            }
            f.write_all(b"]}")
        });
        let run = watch(
            &["validate".as_ref(), posts.as_os_str()],
            1024 * MB,
            Duration::from_secs(60),
        );
        eprintln!(
            "{name}: peak {} MB in {:?}",
            run.peak_bytes / MB,
            run.elapsed
        );
        assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
        // The error is at the 1,000,001st post (1-based column: byte offset + 1).
        let expected = format!(
            "error: line 1, column {}: a list or object of more than 1000000 entries (at most \
             1000000 posts)",
            over_limit_at + 1
        );
        assert_eq!(run.stderr.trim_end(), expected, "{name}");
        assert!(
            run.peak_bytes < max_peak,
            "{name}: peak {} MB",
            run.peak_bytes / MB
        );
    }
}

/// A file longer than its limit (256 MB) is refused from its length, before it is read: the
/// message gives the real length, and the run costs no memory for it.
#[test]
fn files_over_the_size_limit_are_refused_without_being_read() {
    let dir = TempDir::new("huge");
    let huge = dir.path("huge.json");
    let len: u64 = 300_000_000;
    // Sparse: no disk space is used.
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(len))
        .expect("file made");
    let small = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.json");
    let out = dir.path("layout.json");
    let cases: [(Vec<&std::ffi::OsStr>, String); 2] = [
        (
            vec!["validate".as_ref(), huge.as_ref()],
            format!("error: document: {len} bytes, more than the limit of 268435456"),
        ),
        (
            vec![
                "bake".as_ref(),
                small.as_ref(),
                "-o".as_ref(),
                out.as_ref(),
                "--from".as_ref(),
                huge.as_ref(),
            ],
            format!(
                "error: {}: layout: {len} bytes, more than the limit of 268435456",
                huge.display()
            ),
        ),
    ];
    for (args, expected) in &cases {
        let run = watch(args, 1024 * MB, Duration::from_secs(60));
        eprintln!(
            "{:?}: peak {} MB in {:?}",
            args[0],
            run.peak_bytes / MB,
            run.elapsed
        );
        assert_eq!(run.code, Some(1), "{:?}: {}", args[0], run.stderr);
        assert!(
            run.stderr.lines().any(|l| l == expected),
            "{:?}: {}",
            args[0],
            run.stderr
        );
        assert!(
            run.peak_bytes < 100 * MB,
            "{:?}: peak {} MB",
            args[0],
            run.peak_bytes / MB
        );
    }
    assert!(!out.exists());
}
