//! How `logmesh prerender` writes its files (docs/DESIGN.md, "CLI"): each through a temporary
//! file of its own, renamed into place; the whole set or nothing; never through a symbolic link;
//! no temporaries left behind. Every test here passes with a GPU adapter and without one (exit
//! 3: the PNG frames are skipped, everything else is written).
#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::TempDir;

/// What one entry of a folder is: a file's bytes, a link's target, or a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Dir,
}

/// Every entry of `dir` by name (without following links).
fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| {
            let e = e.expect("entry");
            let path = e.path();
            let kind = std::fs::symlink_metadata(&path)
                .expect("metadata")
                .file_type();
            let entry = if kind.is_symlink() {
                Entry::Link(std::fs::read_link(&path).expect("link"))
            } else if kind.is_dir() {
                Entry::Dir
            } else {
                Entry::File(std::fs::read(&path).expect("readable"))
            };
            (e.file_name().to_string_lossy().into_owned(), entry)
        })
        .collect()
}

/// `logmesh prerender small.json --out-dir OUT` plus `extra`: its exit status and stderr.
/// Exit 3 (no GPU adapter) is accepted unless `CI` is set, as the other GPU tests do.
fn prerender(out: &Path, extra: &[&str]) -> (i32, String) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.json");
    let output = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .arg("prerender")
        .arg(&fixture)
        .arg("--out-dir")
        .arg(out)
        .args(extra)
        .output()
        .expect("binary runs");
    let code = output.status.code().expect("exited, not killed");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if code == 3 {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but there is no GPU adapter: {stderr}"
        );
    }
    (code, stderr)
}

/// Whether a run succeeded: 0, or 3 without an adapter.
fn succeeded(code: i32) -> bool {
    code == 0 || code == 3
}

/// The names prerender writes; the PNG frames only with an adapter.
fn expected_names(gpu: bool) -> Vec<String> {
    let mut names = vec![
        "embed.html".to_owned(),
        "hits-2d.json".to_owned(),
        "hits-3d.json".to_owned(),
        "layout.json".to_owned(),
        "logmesh.css".to_owned(),
        "posts.min.json".to_owned(),
    ];
    for mode in ["2d", "3d"] {
        for theme in ["dark", "light"] {
            let mut formats = vec!["svg", "webp"];
            if gpu {
                formats.push("png");
            }
            for format in formats {
                names.push(format!("frame-{mode}-{theme}.{format}"));
            }
        }
    }
    names.sort();
    names
}

/// A run made to fail late (one output's name is a folder, found only when the files are
/// renamed into place, after every frame was drawn and written to its temporary) leaves the
/// previous set byte for byte, and no temporaries.
#[test]
fn a_failed_run_leaves_the_previous_set_untouched() {
    let dir = TempDir::new("failed");
    let out = dir.path("out");
    let (code, stderr) = prerender(&out, &[]);
    assert!(succeeded(code), "{stderr}");
    let gpu = code == 0;

    // The folder in the way is renamed into place late: after the frames and hits, before
    // embed.html.
    std::fs::remove_file(out.join("logmesh.css")).expect("removed");
    std::fs::create_dir(out.join("logmesh.css")).expect("folder in the way");
    let before = snapshot(&out);

    // Another frame size: every frame, both hits files and embed.html would change.
    let (code, stderr) = prerender(&out, &["--width", "800", "--height", "600"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("logmesh.css: a folder has this name"),
        "{stderr}"
    );
    let after = snapshot(&out);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the same names, no temporaries"
    );
    for (name, entry) in &before {
        assert!(after[name] == *entry, "{name} changed");
    }

    // With the folder gone, the same run replaces the set, and leaves nothing else.
    std::fs::remove_dir(out.join("logmesh.css")).expect("removed");
    let (code, stderr) = prerender(&out, &["--width", "800", "--height", "600"]);
    assert!(succeeded(code), "{stderr}");
    let replaced = snapshot(&out);
    assert_eq!(
        replaced.keys().cloned().collect::<Vec<_>>(),
        expected_names(gpu)
    );
    assert!(replaced["hits-3d.json"] != before["hits-3d.json"]);
    assert!(replaced["embed.html"] != before["embed.html"]);
}

/// A symbolic link planted at an output's name, pointing outside the folder, is replaced by the
/// output, never written through.
#[cfg(unix)]
#[test]
fn links_at_output_names_are_not_written_through() {
    let dir = TempDir::new("links");
    let out = dir.path("out");
    let outside = dir.path("outside");
    std::fs::create_dir_all(&out).expect("created");
    std::fs::create_dir_all(&outside).expect("created");
    let planted = [
        "embed.html",
        "layout.json",
        "frame-3d-dark.png",
        "frame-3d-dark.webp",
    ];
    for name in planted {
        let victim = outside.join(name);
        std::fs::write(&victim, "untouched").expect("written");
        std::os::unix::fs::symlink(&victim, out.join(name)).expect("link planted");
    }

    let (code, stderr) = prerender(&out, &[]);
    assert!(succeeded(code), "{stderr}");
    let gpu = code == 0;
    for name in planted {
        assert!(
            std::fs::read(outside.join(name)).expect("readable") == b"untouched",
            "{name} was written through its link"
        );
    }
    let written = snapshot(&out);
    for (name, entry) in &written {
        let png = name.ends_with(".png");
        match entry {
            Entry::File(_) => {}
            // Without an adapter no PNG is written, so the link stays as it was.
            Entry::Link(_) if png && !gpu => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    let mut names = expected_names(gpu);
    if !gpu {
        names.push("frame-3d-dark.png".to_owned());
        names.sort();
    }
    assert_eq!(written.keys().cloned().collect::<Vec<_>>(), names);
}

/// The embed.html prerender writes needs no inline style (docs/DESIGN.md, "embed.html and
/// logmesh.css"): no tag is `<style>` and none has a `style` attribute, for the small site and
/// the 1,000-post one (titles are escaped, so every `<` starts a tag).
#[test]
fn embed_html_has_no_inline_style() {
    for fixture in ["small.json", "site-1k.json"] {
        let dir = TempDir::new("no-style");
        let out = dir.path("out");
        let posts = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let output = Command::new(env!("CARGO_BIN_EXE_logmesh"))
            .arg("prerender")
            .arg(&posts)
            .arg("--out-dir")
            .arg(&out)
            .args(["--base-url", "/static/mesh/", "--archive-url", "/log/all"])
            .output()
            .expect("binary runs");
        let code = output.status.code().expect("exited");
        assert!(
            succeeded(code),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let embed = std::fs::read_to_string(out.join("embed.html")).expect("embed.html");
        let tags: Vec<&str> = embed
            .split('<')
            .skip(1)
            .map(|rest| &rest[..rest.find('>').expect("tag ends")])
            .collect();
        assert!(tags.len() > 100, "{fixture}: {} tags", tags.len());
        for tag in tags {
            let name = tag.split([' ', '/']).next().unwrap_or("");
            assert!(!name.eq_ignore_ascii_case("style"), "{fixture}: <{tag}>");
            assert!(
                !tag.to_ascii_lowercase().contains(" style="),
                "{fixture}: <{tag}>"
            );
        }
    }
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory").len()
}

/// `--local 1` on the 1,000-post fixture (docs/DESIGN.md, "Local graph"): for every post, its
/// fragment (with `local` and `depth`, the frames inline, the centre ringed, no `style`), its
/// page data (with `centre`) and its layout, at most 8 kB gzip in all; names safe and distinct
/// without case; `local/index.json` names them.
#[test]
fn every_post_gets_a_small_local_graph() {
    let out = TempDir::new("local");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-1k.json");
    let output = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .arg("prerender")
        .arg(&fixture)
        .arg("--out-dir")
        .arg(&out.0)
        .args(["--local", "1", "--base-url", "/g/"])
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        succeeded(output.status.code().unwrap_or(-1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("wrote 1000 local graphs (3001 files)"),
        "{stdout}"
    );
    let dir = out.path("local");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).expect("index.json"))
            .expect("JSON");
    let names = index["names"].as_object().expect("names");
    assert_eq!((names.len(), index["depth"].as_u64()), (1000, Some(1)));
    let mut folded = std::collections::HashSet::new();
    let mut largest = (0, String::new());
    for (id, name) in names {
        let name = name.as_str().expect("a name");
        assert!(folded.insert(name.to_lowercase()), "{name} twice");
        assert!(!name.contains(['/', '\\', '.']), "{name}");
        let read = |ext: &str| std::fs::read(dir.join(format!("{name}{ext}"))).expect("written");
        let (html, json, layout) = (read(".html"), read(".json"), read(".layout.json"));
        let total = gzip_len(&html) + gzip_len(&json) + gzip_len(&layout);
        if total > largest.0 {
            largest = (total, id.clone());
        }
        let html = String::from_utf8(html).expect("UTF-8");
        let attr = logmesh::export::escape::escape_attr(id);
        assert!(
            html.contains(&format!(r#" local="{attr}" depth="1""#)),
            "{id}"
        );
        assert!(html.contains(&format!(
            r#"src="/g/local/{}.json""#,
            name.replace('%', "%25")
        )));
        assert!(
            !html.contains(" style=") && !html.contains("<style") && !html.contains("<picture")
        );
        assert_eq!(
            html.matches(r#"<svg class="logmesh-frame""#).count(),
            2,
            "{id}"
        );
        assert_eq!(html.matches(r#"class="logmesh-centre""#).count(), 2, "{id}");
        let parsed = logmesh::posts::parse(&json).expect("valid page data");
        assert_eq!(parsed.centre.as_deref(), Some(id.as_str()));
        assert!(parsed.posts.len() <= logmesh::local::MAX_LOCAL_POSTS);
    }
    println!(
        "largest local graph: {} bytes gzip ({})",
        largest.0, largest.1
    );
    assert!(largest.0 <= 8 * 1024, "{largest:?}");
}
