//! The `logmesh` binary end to end: arguments, outputs, files written and exit statuses.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::TempDir;

/// Layout steps in these tests: enough to move every post, few enough for debug builds.
const ITERATIONS: &str = "30";

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or("")
    }

    /// The positions hash from the last line, checked to be `hash: ` + 16 lowercase hex digits.
    fn hash(&self) -> String {
        let hash = self
            .last_line()
            .strip_prefix("hash: ")
            .unwrap_or_else(|| panic!("last line is not a hash line: {:?}", self.stdout));
        assert_eq!(hash.len(), 16, "{hash:?}");
        assert!(
            hash.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{hash:?}"
        );
        hash.to_string()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).expect("stdout is one JSON value")
    }

    fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .collect()
    }
}

fn logmesh<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .args(args)
        .output()
        .expect("binary runs");
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `gen --posts 200 --seed {seed}` into `dir/name`.
fn gen_site(dir: &TempDir, name: &str, seed: u64) -> PathBuf {
    let path = dir.path(name);
    let run = logmesh([
        "gen".as_ref(),
        "--posts".as_ref(),
        "200".as_ref(),
        "--seed".as_ref(),
        seed.to_string().as_ref(),
        "-o".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    path
}

/// `bake POSTS -o LAYOUT --iterations 30` plus `extra`.
fn bake(posts: &Path, layout: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "bake".as_ref(),
        posts.as_os_str(),
        "-o".as_ref(),
        layout.as_os_str(),
        "--iterations".as_ref(),
        ITERATIONS.as_ref(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    logmesh(args)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("file readable");
    serde_json::from_str(&text).expect("file is JSON")
}

const WITH_WARNINGS: &str = r#"{"version": 1, "posts": [
    {"id": "a", "title": "A", "tags": ["x"], "links": ["b", "missing"]},
    {"id": "b", "title": "B", "tags": ["x"], "colour": "red"}
]}"#;

const INVALID: &str = r#"{"version": 1, "posts": [
    {"id": "a", "title": ""},
    {"id": "b", "title": "B", "url": "javascript:alert(1)"}
]}"#;

#[test]
fn validate_valid_file() {
    let run = logmesh(["validate".as_ref(), fixture("small.json").as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "13 posts, 37 edges (25 link, 12 tag), 0 links dropped\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn validate_json_has_the_documented_keys() {
    let run = logmesh([
        "validate".as_ref(),
        fixture("small.json").as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let json = run.json();
    let mut keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "dropped_links",
            "edges",
            "edges_by_kind",
            "errors",
            "posts",
            "warnings"
        ]
    );
    assert_eq!(json["posts"], 13);
    assert_eq!(json["edges"], 37);
    assert_eq!(
        json["edges_by_kind"],
        serde_json::json!({"link": 25, "tag": 12})
    );
    assert_eq!(json["dropped_links"], 0);
    assert_eq!(json["warnings"], serde_json::json!([]));
    assert_eq!(json["errors"], serde_json::json!([]));
}

#[test]
fn validate_reports_warnings_and_exits_0() {
    let dir = TempDir::new("warnings");
    let path = dir.write("posts.json", WITH_WARNINGS);

    let run = logmesh(["validate".as_ref(), path.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "2 posts, 2 edges (1 link, 1 tag), 1 links dropped"
    );
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[1..].iter().all(|l| l.starts_with("warning: ")));
    assert!(run.stdout.contains(r#"no post has the id "missing""#));
    assert!(run.stdout.contains(r#"unknown field "colour""#));

    let json = logmesh(["validate".as_ref(), path.as_os_str(), "--json".as_ref()]).json();
    assert_eq!(json["dropped_links"], 1);
    assert_eq!(json["warnings"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["errors"], serde_json::json!([]));
}

#[test]
fn validate_invalid_file_exits_1_with_every_error() {
    let dir = TempDir::new("invalid");
    let path = dir.write("posts.json", INVALID);

    let run = logmesh(["validate".as_ref(), path.as_os_str()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        errors,
        [
            r#"error: posts[0] (id "a"): title: empty"#,
            r#"error: posts[1] (id "b"): url: scheme "javascript" is not allowed"#,
        ]
    );

    let run = logmesh(["validate".as_ref(), path.as_os_str(), "--json".as_ref()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let json = run.json();
    assert_eq!(json["posts"], 0);
    assert_eq!(json["edges"], 0);
    assert_eq!(json["errors"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["errors"][0], r#"posts[0] (id "a"): title: empty"#);
}

#[test]
fn validate_syntax_error_names_line_and_column() {
    let dir = TempDir::new("syntax");
    let path = dir.write("posts.json", "{\"version\": 1,\n \"posts\": [}");
    let run = logmesh(["validate".as_ref(), path.as_os_str()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error: line 2, column"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_file_exits_2_naming_the_path() {
    let dir = TempDir::new("missing");
    let path = dir.path("no-such-posts.json");
    for json in [false, true] {
        let mut args = vec!["validate".as_ref(), path.as_os_str()];
        if json {
            args.push("--json".as_ref());
        }
        let run = logmesh(args);
        assert_eq!(run.code, 2);
        assert_eq!(run.stdout, "");
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert!(run.stderr.contains("no-such-posts.json"), "{}", run.stderr);
    }
    let run = bake(&path, &dir.path("layout.json"), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-posts.json"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let small = fixture("small.json");
    let small = small.to_str().expect("UTF-8 path");
    for args in [
        &[][..],
        &["validate", small, "--bogus"],
        &["validate"],
        &["frobnicate"],
        &["bake", small],
        &["bake", small, "-o", "x.json", "--iterations", "0"],
        &["bake", small, "-o", "x.json", "--seed", "-1"],
        &["gen", "--posts", "0", "--seed", "1", "-o", "x.json"],
        &["gen", "--posts", "ten", "--seed", "1", "-o", "x.json"],
        &["gen", "--posts", "10", "-o", "x.json"],
    ] {
        let run = logmesh(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    assert!(!Path::new("x.json").exists());
}

#[test]
fn help_and_version_exit_0() {
    for args in [["--help"], ["--version"]] {
        let run = logmesh(args);
        assert_eq!(run.code, 0, "{args:?}");
        assert!(run.stdout.contains("logmesh"), "{}", run.stdout);
    }
}

#[test]
fn gen_output_validates_cleanly() {
    let dir = TempDir::new("gen");
    let path = dir.path("site.json");
    let run = logmesh([
        "gen".as_ref(),
        "--posts".as_ref(),
        "200".as_ref(),
        "--seed".as_ref(),
        "7".as_ref(),
        "-o".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("wrote 200 posts to {}\n", path.display())
    );
    assert_eq!(run.stderr, "");
    assert_eq!(dir.files(), ["site.json"], "no temporary file left");

    let file = read_json(&path);
    assert_eq!(file["version"], 1);

    let run = logmesh(["validate".as_ref(), path.as_os_str(), "--json".as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["posts"], 200);
    assert_eq!(json["dropped_links"], 0);
    assert_eq!(json["warnings"], serde_json::json!([]));
    assert_eq!(json["errors"], serde_json::json!([]));

    // Same count and seed, same bytes.
    let again = gen_site(&dir, "again.json", 7);
    assert_eq!(
        std::fs::read(&path).expect("first"),
        std::fs::read(&again).expect("second")
    );
}

#[test]
fn bake_ends_with_the_hash_of_the_file_it_wrote() {
    let dir = TempDir::new("bake");
    let site = gen_site(&dir, "site.json", 1);
    let layout = dir.path("layout.json");

    let run = bake(&site, &layout, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let hash = run.hash();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("200 posts, "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("layout: fresh, seed 1, 30 iterations\n"),
        "{}",
        run.stdout
    );

    let file = read_json(&layout);
    assert_eq!(file["version"], 1);
    assert_eq!(file["positions_hash"], hash.as_str());
    assert_eq!(file["seed"], 1);
    assert_eq!(file["iterations"], 30);
    assert_eq!(file["positions"].as_object().map(|p| p.len()), Some(200));
    assert_eq!(
        dir.files(),
        ["layout.json", "site.json"],
        "no temporary file left"
    );
}

#[test]
fn bake_default_seed_is_1() {
    let dir = TempDir::new("default-seed");
    let site = gen_site(&dir, "site.json", 1);
    let implicit = bake(&site, &dir.path("a.json"), &[]).hash();
    let explicit = bake(&site, &dir.path("b.json"), &["--seed", "1"]).hash();
    assert_eq!(implicit, explicit);
}

#[test]
fn bake_is_deterministic_per_seed() {
    let dir = TempDir::new("seeds");
    let site = gen_site(&dir, "site.json", 1);
    let first = bake(&site, &dir.path("a.json"), &["--seed", "5"]);
    let second = bake(&site, &dir.path("b.json"), &["--seed", "5"]);
    let other = bake(&site, &dir.path("c.json"), &["--seed", "6"]);
    assert_eq!(first.hash(), second.hash());
    assert_eq!(
        std::fs::read(dir.path("a.json")).expect("a"),
        std::fs::read(dir.path("b.json")).expect("b")
    );
    assert_ne!(first.hash(), other.hash());
}

#[test]
fn bake_ignores_the_order_of_posts_in_the_file() {
    let dir = TempDir::new("shuffled");
    let site = gen_site(&dir, "site.json", 1);
    let mut file = read_json(&site);
    let posts = file["posts"].as_array_mut().expect("posts list");
    // A deterministic shuffle: reverse, then rotate.
    posts.reverse();
    posts.rotate_left(37);
    let shuffled = dir.write("shuffled.json", &file.to_string());
    assert_ne!(
        std::fs::read(&site).expect("site"),
        std::fs::read(&shuffled).expect("shuffled")
    );

    let a = bake(&site, &dir.path("a.json"), &[]);
    let b = bake(&shuffled, &dir.path("b.json"), &[]);
    assert_eq!(a.hash(), b.hash());
}

#[test]
fn bake_from_its_own_layout_reuses_it_exactly() {
    let dir = TempDir::new("exact");
    let site = gen_site(&dir, "site.json", 1);
    let first = dir.path("first.json");
    let hash = bake(&site, &first, &[]).hash();

    // Other layout arguments do not matter: an exact match is used as it is.
    let second = dir.path("second.json");
    let from = first.to_str().expect("UTF-8 path");
    let run = bake(&site, &second, &["--from", from, "--seed", "9"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no warning");
    assert!(run.stdout.contains("reused as is"), "{}", run.stdout);
    assert_eq!(run.hash(), hash);
    assert_eq!(
        read_json(&first)["positions"],
        read_json(&second)["positions"]
    );

    // Writing over the file read from is fine too.
    let run = bake(&site, &first, &["--from", from]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.hash(), hash);
}

/// A UTF-8 byte order mark before a posts or layout file is dropped with a warning.
#[test]
fn a_byte_order_mark_is_accepted_with_a_warning_in_posts_and_layout() {
    let dir = TempDir::new("bom");
    let posts = gen_site(&dir, "posts.json", 3);
    let layout = dir.path("layout.json");
    let first = bake(&posts, &layout, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);

    let bom = |path: &Path, name: &str| {
        let bytes = std::fs::read(path).expect("readable");
        let out = dir.path(name);
        std::fs::write(&out, [&b"\xEF\xBB\xBF"[..], &bytes].concat()).expect("written");
        out
    };
    let posts_bom = bom(&posts, "posts-bom.json");
    let layout_bom = bom(&layout, "layout-bom.json");
    let from = layout_bom.to_str().expect("UTF-8 path");
    let run = bake(&posts_bom, &dir.path("again.json"), &["--from", from]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.hash(), first.hash());
    assert_eq!(
        run.warnings(),
        [
            "warning: document: UTF-8 byte order mark ignored".to_owned(),
            format!("warning: {from}: layout: UTF-8 byte order mark ignored"),
        ]
    );
}

#[test]
fn bake_from_another_site_warns_foreign() {
    let dir = TempDir::new("foreign");
    let site = gen_site(&dir, "site.json", 1);
    let other = dir.path("small-layout.json");
    assert_eq!(bake(&fixture("small.json"), &other, &[]).code, 0);
    let fresh = bake(&site, &dir.path("fresh.json"), &[]).hash();

    let from = other.to_str().expect("UTF-8 path");
    let run = bake(&site, &dir.path("layout.json"), &["--from", from]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("foreign"), "{}", run.stderr);
    // A foreign layout is ignored: the result is a fresh layout.
    assert_eq!(run.hash(), fresh);
}

#[test]
fn bake_from_an_older_version_warns_stale() {
    let dir = TempDir::new("stale");
    let site = gen_site(&dir, "site.json", 1);
    let old = dir.path("old.json");
    assert_eq!(bake(&site, &old, &[]).code, 0);

    // A new post linking to two old ones.
    let mut file = read_json(&site);
    let posts = file["posts"].as_array_mut().expect("posts list");
    let targets = [posts[0]["id"].clone(), posts[1]["id"].clone()];
    posts.push(serde_json::json!({
        "id": "zz-new-post", "title": "A new post", "links": targets
    }));
    let changed = dir.write("changed.json", &file.to_string());

    let from = old.to_str().expect("UTF-8 path");
    let run = bake(&changed, &dir.path("new.json"), &["--from", from]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("stale"), "{}", run.stderr);
    assert_eq!(
        read_json(&dir.path("new.json"))["positions"]
            .as_object()
            .map(|p| p.len()),
        Some(201)
    );
}

#[test]
fn bake_rejects_invalid_inputs() {
    let dir = TempDir::new("bake-invalid");
    let layout = dir.path("layout.json");

    // Invalid posts: every error, exit 1, nothing written.
    let bad_posts = dir.write("bad.json", INVALID);
    let run = bake(&bad_posts, &layout, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 2, "{}", run.stderr);
    assert!(run.stderr.lines().all(|l| l.starts_with("error: ")));
    assert!(!layout.exists());

    // Posts warnings go to stderr; stdout keeps its format.
    let warned = dir.write("warned.json", WITH_WARNINGS);
    let run = bake(&warned, &layout, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.warnings().len(), 2, "{}", run.stderr);
    run.hash();

    // An invalid --from layout: exit 1, the file named, the old output left alone.
    let before = std::fs::read(&layout).expect("layout written");
    let bad_layout = dir.write("bad-layout.json", r#"{"version": 2}"#);
    let from = bad_layout.to_str().expect("UTF-8 path");
    let run = bake(&warned, &layout, &["--from", from]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: ") && run.stderr.contains("bad-layout.json"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&layout).expect("layout kept"), before);

    // A missing --from layout: an I/O error.
    let missing = dir.path("missing-layout.json");
    let from = missing.to_str().expect("UTF-8 path");
    let run = bake(&warned, &layout, &["--from", from]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing-layout.json"), "{}", run.stderr);

    // An output in a folder that does not exist: an I/O error naming it.
    let nowhere = dir.path("no-such-dir").join("layout.json");
    let run = bake(&warned, &nowhere, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-dir"), "{}", run.stderr);
}

/// Whether a run ended with "no GPU adapter" (exit 3): fine on a machine without one, a failure
/// when `CI` is set (CI installs a software adapter).
fn no_adapter(run: &Run) -> bool {
    if run.code != 3 {
        return false;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but there is no GPU adapter: {}",
        run.stderr
    );
    eprintln!("skipping the GPU part: no GPU adapter");
    true
}

/// A small site whose titles, ids and URLs try to break out of HTML and SVG.
const HOSTILE: &str = r#"{"version": 1, "posts": [
  {"id": "a\"><script>alert(1)</script>", "title": "</a><script>alert(1)</script>", "url": "/log/a?x=\"><img src=x onerror=alert(1)>", "tags": ["x"], "links": ["b&c"]},
  {"id": "b&c", "title": "\"><img src=x onerror=alert(1)> & <b>bold</b>", "url": "https://example.com/?a=1&b=<2>", "tags": ["x"]},
  {"id": "plain", "title": "It's \"quoted\" 'text'", "tags": ["y"], "links": ["b&c"]}
]}"#;

#[test]
fn prerender_writes_every_file_and_escapes_hostile_text() {
    let dir = TempDir::new("prerender");
    let posts = dir.write("posts.json", HOSTILE);
    let out = dir.path("out");
    let run = logmesh([
        "prerender".as_ref(),
        posts.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
        "--base-url".as_ref(),
        "/static/mesh/".as_ref(),
    ]);
    let gpu = !no_adapter(&run);
    if gpu {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut expected = vec![
        "embed.html",
        "frame-2d-dark.svg",
        "frame-2d-dark.webp",
        "frame-2d-light.svg",
        "frame-2d-light.webp",
        "frame-3d-dark.svg",
        "frame-3d-dark.webp",
        "frame-3d-light.svg",
        "frame-3d-light.webp",
        "hits-2d.json",
        "hits-3d.json",
        "layout.json",
        "logmesh.css",
        "posts.min.json",
    ];
    if gpu {
        expected.extend([
            "frame-2d-dark.png",
            "frame-2d-light.png",
            "frame-3d-dark.png",
            "frame-3d-light.png",
        ]);
    }
    expected.sort_unstable();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, expected);
    let hash = run.hash();
    let hits: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("hits-3d.json")).expect("hits"))
            .expect("hits JSON");
    assert_eq!(hits["positions_hash"], hash.as_str());
    assert_eq!(hits["posts"].as_array().expect("posts").len(), 3);

    for name in [
        "embed.html",
        "frame-3d-dark.svg",
        "frame-3d-light.svg",
        "frame-2d-dark.svg",
        "frame-2d-light.svg",
    ] {
        let text = std::fs::read_to_string(out.join(name)).expect("readable");
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("<script"),
            "{name} has a script tag:\n{text}"
        );
        assert!(
            !lower.contains("<img src=x"),
            "{name} has an injected tag:\n{text}"
        );
        assert!(
            !lower.contains("<b>"),
            "{name} has an injected tag:\n{text}"
        );
    }
    let embed = std::fs::read_to_string(out.join("embed.html")).expect("embed");
    assert!(
        embed.contains("&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{embed}"
    );
    assert!(
        embed.contains("src=\"/static/mesh/posts.min.json\""),
        "{embed}"
    );
    let extension = if gpu { "png" } else { "svg" };
    assert!(
        embed.contains(&format!("/static/mesh/frame-3d-dark.{extension}")),
        "{embed}"
    );
    // Small touch screens get the 2D frame (the view the element starts there), with its own
    // overlay of links.
    assert!(
        embed.contains(&format!(
            r#"<source media="(pointer: coarse) and (max-device-width: 599px)" srcset="/static/mesh/frame-2d-dark.{extension}""#
        )),
        "{embed}"
    );
    assert!(embed.contains(r#"data-mode="2d""#), "{embed}");
    // WebP frames (from the PNGs, or from the SVGs rasterised without an adapter) are offered
    // first, the PNG or SVG being the fallback.
    assert!(
        embed.contains(
            r#"<source type="image/webp" srcset="/static/mesh/frame-3d-dark.webp" width="1200" height="675">"#
        ),
        "{embed}"
    );
    for name in [
        "frame-2d-dark.webp",
        "frame-2d-light.webp",
        "frame-3d-dark.webp",
        "frame-3d-light.webp",
    ] {
        let bytes = std::fs::read(out.join(name)).expect("written");
        assert_eq!(
            (&bytes[..4], &bytes[8..12]),
            (&b"RIFF"[..], &b"WEBP"[..]),
            "{name}"
        );
    }
    let hits_2d: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("hits-2d.json")).expect("hits"))
            .expect("hits JSON");
    assert_eq!(hits_2d["posts"].as_array().expect("posts").len(), 3);
}

/// Without a GPU adapter (forced here by asking wgpu for a backend this platform lacks),
/// prerender still writes the WebP frames, from the SVG frames rasterised, and embed.html offers
/// them with the SVGs as the fallback; the exit status is 3.
#[test]
fn prerender_without_an_adapter_writes_webp_frames_from_the_svgs() {
    let dir = TempDir::new("prerender-no-gpu");
    let out = dir.path("out");
    let output = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .args(["prerender".as_ref(), fixture("small.json").as_os_str()])
        .args(["--out-dir".as_ref(), out.as_os_str()])
        .env("WGPU_BACKEND", "dx12")
        .output()
        .expect("binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if cfg!(windows) || output.status.code() == Some(0) {
        eprintln!("skipping: this platform has an adapter for WGPU_BACKEND=dx12");
        return;
    }
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(!out.join("frame-3d-dark.png").exists());
    for mode in ["3d", "2d"] {
        for theme in ["dark", "light"] {
            let name = format!("frame-{mode}-{theme}.webp");
            let bytes = std::fs::read(out.join(&name)).expect("written");
            let image = logmesh::render::RgbaImage::decode_webp(&bytes).expect("decodes");
            // The 3D frame at --width x --height (dpr 1), the 2D one at the phone frame's
            // default 390 x 390 CSS px, dpr 3.
            let size = if mode == "3d" {
                (1200, 675)
            } else {
                (1170, 1170)
            };
            assert_eq!((image.width, image.height), size, "{name}");
        }
    }
    let embed = std::fs::read_to_string(out.join("embed.html")).expect("embed");
    assert!(
        embed.contains(r#"<source type="image/webp" srcset="frame-3d-dark.webp""#),
        "{embed}"
    );
    assert!(embed.contains(r#"<img src="frame-3d-dark.svg""#), "{embed}");
}

/// The width and height of a PNG file, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (be(16), be(20))
}

/// The 2D frames are the phone frame (`--phone-width`, `--phone-height`, `--phone-dpr`; the 3D
/// ones stay at `--width`, `--height`, `--dpr`): PNG and WebP of round(W*D) x round(H*D) device
/// px, `hits-2d.json` of that frame, and embed.html's 2D sources carrying its size in CSS px.
#[test]
fn prerender_draws_the_2d_frames_at_the_phone_size() {
    let dir = TempDir::new("prerender-phone");
    let small = fixture("small.json");
    for (flags, phone, desktop) in [
        (
            &[][..],
            (390.0_f64, 390.0_f64, 3.0_f64),
            (1200.0_f64, 675.0_f64, 1.0_f64),
        ),
        (
            &[
                "--phone-width",
                "360",
                "--phone-height",
                "450.5",
                "--phone-dpr",
                "2.5",
                "--dpr",
                "2",
            ][..],
            (360.0, 450.5, 2.5),
            (1200.0, 675.0, 2.0),
        ),
    ] {
        let out = dir.path(&format!("out-{}", flags.len()));
        let mut args = vec![
            "prerender",
            small.to_str().expect("utf-8 path"),
            "--out-dir",
            out.to_str().expect("utf-8 path"),
        ];
        args.extend(flags.iter().copied());
        let run = logmesh(args);
        let gpu = !no_adapter(&run);
        if gpu {
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
        for (mode, (w, h, dpr)) in [("2d", phone), ("3d", desktop)] {
            let device = ((w * dpr).round() as u32, (h * dpr).round() as u32);
            let hits: Value = serde_json::from_str(
                &std::fs::read_to_string(out.join(format!("hits-{mode}.json"))).expect("hits"),
            )
            .expect("hits JSON");
            assert_eq!(
                [&hits["width"], &hits["height"], &hits["dpr"]].map(|v| v.as_f64()),
                [Some(w), Some(h), Some(dpr)],
                "{mode}"
            );
            for theme in ["dark", "light"] {
                let name = format!("frame-{mode}-{theme}");
                let webp = std::fs::read(out.join(format!("{name}.webp"))).expect("webp");
                let image = logmesh::render::RgbaImage::decode_webp(&webp).expect("decodes");
                assert_eq!((image.width, image.height), device, "{name}.webp");
                if gpu {
                    let png = std::fs::read(out.join(format!("{name}.png"))).expect("png");
                    assert_eq!(png_size(&png), device, "{name}.png");
                }
            }
        }
        let embed = std::fs::read_to_string(out.join("embed.html")).expect("embed");
        assert!(!embed.contains("style="), "{embed}");
        let size = format!(r#" width="{}" height="{}">"#, phone.0, phone.1);
        for theme in ["dark", "light"] {
            let file = format!(r#"srcset="frame-2d-{theme}.webp"{size}"#);
            assert!(embed.contains(&file), "{file} in\n{embed}");
        }
        assert!(
            embed.contains(r#"<source type="image/webp" srcset="frame-3d-dark.webp" width="1200" height="675">"#),
            "{embed}"
        );
    }
    let run = logmesh([
        "prerender",
        fixture("small.json").to_str().expect("utf-8 path"),
        "--out-dir",
        dir.path("bad").to_str().expect("utf-8 path"),
        "--phone-dpr",
        "0",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--phone-dpr"), "{}", run.stderr);
}

#[test]
fn prerender_rejects_an_unsafe_base_url() {
    let dir = TempDir::new("prerender-base");
    let out = dir.path("out");
    let run = logmesh([
        "prerender".as_ref(),
        fixture("small.json").as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
        "--base-url".as_ref(),
        "javascript:alert(1)//".as_ref(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
}

/// `--archive-url`: the element's `archive` attribute, and an "All N posts" link as the list's
/// last item, N counting every post.
#[test]
fn prerender_links_the_archive() {
    let dir = TempDir::new("prerender-archive");
    let out = dir.path("out");
    let run = logmesh([
        "prerender".as_ref(),
        fixture("small.json").as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
        "--archive-url".as_ref(),
        "/log/all?from=mesh&x=\"y\"".as_ref(),
    ]);
    if !no_adapter(&run) {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let embed = std::fs::read_to_string(out.join("embed.html")).expect("embed");
    let archive = "/log/all?from=mesh&amp;x=&quot;y&quot;";
    assert!(
        embed.contains(&format!(
            r#"<log-mesh src="posts.min.json" layout="layout.json" archive="{archive}">"#
        )),
        "{embed}"
    );
    let list = &embed[embed.find(r#"<ul class="logmesh-list""#).expect("list")..];
    let items: Vec<&str> = list.lines().filter(|l| l.starts_with("<li")).collect();
    assert_eq!(items.len(), 13 + 1, "every post, then the archive");
    assert_eq!(
        items[13],
        format!(r#"<li class="logmesh-archive"><a href="{archive}">All 13 posts</a></li>"#)
    );
    assert!(list.contains("</li>\n</ul>\n</log-mesh>"), "{list}");

    // Without the flag: no attribute, no archive link.
    let plain = dir.path("plain");
    let run = logmesh([
        "prerender".as_ref(),
        fixture("small.json").as_os_str(),
        "--out-dir".as_ref(),
        plain.as_os_str(),
    ]);
    if !no_adapter(&run) {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let embed = std::fs::read_to_string(plain.join("embed.html")).expect("embed");
    assert!(!embed.contains("archive"), "{embed}");
}

#[test]
fn prerender_rejects_an_unsafe_archive_url() {
    for url in [
        "javascript:alert(1)",
        " JaVaScRiPt:x",
        "data:text/html,x",
        "",
    ] {
        let dir = TempDir::new("prerender-archive-unsafe");
        let out = dir.path("out");
        let run = logmesh([
            "prerender".as_ref(),
            fixture("small.json").as_os_str(),
            "--out-dir".as_ref(),
            out.as_os_str(),
            "--archive-url".as_ref(),
            url.as_ref(),
        ]);
        assert_eq!(run.code, 2, "{url:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("--archive-url: ")
                && run.stderr.contains("is not an http, https or relative URL"),
            "{}",
            run.stderr
        );
        assert!(!out.exists(), "nothing written for {url:?}");
    }
}

#[test]
fn every_visible_post_in_hits_picks_itself_on_the_gpu_and_the_cpu_in_3d_and_2d() {
    let dir = TempDir::new("prerender-hits");
    let out = dir.path("out");
    let run = logmesh([
        "prerender".as_ref(),
        fixture("small.json").as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    let gpu = !no_adapter(&run);
    let layout = out.join("layout.json");
    for mode in ["3d", "2d"] {
        let hits: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("hits-{mode}.json"))).expect("hits"),
        )
        .expect("hits JSON");
        // Each hits file describes its own frame (the 2D one is the phone frame): pick there.
        let frame = ["width", "height", "dpr"].map(|k| hits[k].to_string());
        let visible: Vec<&Value> = hits["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .filter(|p| p["visible"] == true)
            .collect();
        assert!(visible.len() >= 10, "{mode}: {visible:?}");
        for post in visible {
            let at = format!("{},{}", post["x"], post["y"]);
            let backends: &[&str] = if gpu { &["gpu", "cpu"] } else { &["cpu"] };
            for backend in backends {
                let run = logmesh([
                    "pick",
                    fixture("small.json").to_str().expect("utf-8 path"),
                    "--layout",
                    layout.to_str().expect("utf-8 path"),
                    "--at",
                    &at,
                    "--backend",
                    backend,
                    "--mode",
                    mode,
                    "--width",
                    &frame[0],
                    "--height",
                    &frame[1],
                    "--dpr",
                    &frame[2],
                ]);
                assert_eq!(run.code, 0, "{}", run.stderr);
                assert_eq!(
                    run.stdout.trim_end(),
                    post["id"].as_str().expect("id"),
                    "{mode} {backend} at {at}"
                );
            }
        }
    }
}

#[test]
fn pick_verify_finds_the_gpu_and_cpu_in_agreement() {
    for mode in ["3d", "2d"] {
        let run = logmesh([
            "pick",
            fixture("site-1k.json").to_str().expect("utf-8 path"),
            "--verify",
            "3000",
            "--mode",
            mode,
            "--dpr",
            "1.5",
        ]);
        if no_adapter(&run) {
            return;
        }
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        let last = run.last_line();
        let (agree, total) = last
            .strip_prefix("agree: ")
            .and_then(|s| s.split_once('/'))
            .unwrap_or_else(|| panic!("last line {last:?}"));
        assert_eq!(agree, total, "{}", run.stdout);
        assert!(
            total.parse::<u32>().expect("a count") > 2000,
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("ambiguous band: "), "{}", run.stdout);
    }
}

#[test]
fn pick_at_an_empty_pixel_prints_an_empty_line_and_bad_points_are_usage_errors() {
    let small = fixture("small.json");
    let run = logmesh([
        "pick",
        small.to_str().expect("utf-8 path"),
        "--at",
        "1,1",
        "--backend",
        "cpu",
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "\n"), "{}", run.stderr);
    for bad in ["1", "a,b", "1,NaN"] {
        let run = logmesh(["pick", small.to_str().expect("utf-8 path"), "--at", bad]);
        assert_eq!(run.code, 2, "--at {bad}: {}", run.stderr);
    }
    let run = logmesh([
        "pick",
        small.to_str().expect("utf-8 path"),
        "--at",
        "1,1",
        "--width",
        "0",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Runs the binary with `args`, killed after 20 s; returns the exit status (`None` when killed),
/// stderr and how long it ran.
fn logmesh_timed(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, std::time::Duration) {
    use std::io::Read as _;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let code = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status.code();
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (code, stderr, elapsed)
}

/// A device, a FIFO or a socket given as an input file is a usage error, found before the file
/// is opened (opening a FIFO waits for a writer; a device may never end).
#[cfg(unix)]
#[test]
fn inputs_that_are_not_files_are_usage_errors_at_once() {
    let dir = TempDir::new("not-files");
    let fifo = dir.path("fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let small = fixture("small.json");
    let layout = dir.path("layout.json");
    let zero = Path::new("/dev/zero");
    let folder = dir.path("folder");
    std::fs::create_dir(&folder).expect("folder made");
    let cases: [Vec<&std::ffi::OsStr>; 7] = [
        vec!["validate".as_ref(), zero.as_ref()],
        vec!["validate".as_ref(), folder.as_ref()],
        vec!["validate".as_ref(), fifo.as_ref()],
        vec![
            "bake".as_ref(),
            zero.as_ref(),
            "-o".as_ref(),
            layout.as_ref(),
        ],
        vec![
            "bake".as_ref(),
            small.as_ref(),
            "-o".as_ref(),
            layout.as_ref(),
            "--from".as_ref(),
            zero.as_ref(),
        ],
        vec![
            "bake".as_ref(),
            small.as_ref(),
            "-o".as_ref(),
            layout.as_ref(),
            "--from".as_ref(),
            fifo.as_ref(),
        ],
        vec![
            "pick".as_ref(),
            small.as_ref(),
            "--at".as_ref(),
            "1,1".as_ref(),
            "--backend".as_ref(),
            "cpu".as_ref(),
            "--layout".as_ref(),
            zero.as_ref(),
        ],
    ];
    for args in &cases {
        let (code, stderr, elapsed) = logmesh_timed(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            elapsed < std::time::Duration::from_secs(3),
            "{args:?}: {elapsed:?}"
        );
        let named = args
            .iter()
            .find(|a| [zero.as_os_str(), fifo.as_os_str(), folder.as_os_str()].contains(*a))
            .map(|a| a.to_string_lossy().into_owned());
        let line = stderr.lines().next().unwrap_or("");
        assert!(
            line.starts_with("error: ") && named.is_some_and(|n| line.contains(&n)),
            "{args:?}: {stderr}"
        );
        assert!(line.contains("not a regular file"), "{args:?}: {stderr}");
    }
    assert!(!layout.exists());
}

/// A site's own colours (docs/DESIGN.md, "A site's colours"): `--config FILE`, or `logmesh.toml`
/// in the working folder, is baked into every output: the frames' background and posts, the
/// stylesheet, embed.html's labels, and the page data (version 2, `style`), which reads back to
/// the same style. A low contrast is a warning naming the theme and the colour; a bad file is
/// an error naming the file and the key.
#[test]
fn prerender_bakes_the_site_colours() {
    use logmesh::style::config::parse_config;
    use logmesh::style::{Style, Theme};

    let dir = TempDir::new("prerender-style");
    let config = fixture("custom-style.toml");
    let style = parse_config(&std::fs::read_to_string(&config).expect("fixture")).expect("valid");
    // `prerender small.json --out-dir DIR/out [--config FILE]`.
    let prerender = |out: &str, config: Option<&Path>| {
        let mut args = vec![
            "prerender".into(),
            fixture("small.json").into_os_string(),
            "--out-dir".into(),
            dir.path(out).into_os_string(),
        ];
        if let Some(config) = config {
            args.extend(["--config".into(), config.as_os_str().to_owned()]);
        }
        logmesh(args)
    };
    let out = dir.path("out");
    let run = prerender("out", Some(&config));
    let gpu = !no_adapter(&run);
    if gpu {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).expect(name);

    let data = read("posts.min.json");
    assert!(data.starts_with(r#"{"version":2,"style":{"#), "{data}");
    let parsed = logmesh::posts::parse(data.as_bytes()).expect("valid page data");
    assert_eq!(parsed.style.as_ref(), Some(&style));
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);

    let css = read("logmesh.css");
    assert_eq!(css, logmesh::export::embed_css(&style));
    assert!(
        css.contains("stroke: #1b1a2e;") && css.contains("font-family: Georgia"),
        "{css}"
    );
    let embed = read("embed.html");
    assert!(
        embed.contains(r#"font-family="Georgia, &quot;Times New Roman&quot;, serif""#),
        "{embed}"
    );
    assert!(embed.contains(r##"fill="#f4f1de""##), "dark labels");
    assert!(read("frame-3d-dark.svg").contains(r##"fill="#1b1a2e""##));
    assert!(read("frame-2d-light.svg").contains(r##"fill="#fdf6e3""##));
    // The frame's corner is the background (the WebP frame: lossy, so within a few units).
    let webp = std::fs::read(out.join("frame-3d-light.webp")).expect("webp");
    let image = logmesh::render::RgbaImage::decode_webp(&webp).expect("decodes");
    let corner = image.pixel(0, 0).expect("a pixel");
    let background = style.colours(Theme::Light).background;
    assert!(
        (0..3).all(|c| corner[c].abs_diff(background[c]) <= 4),
        "{corner:?} {background:?}"
    );

    // The same file as logmesh.toml in the working folder gives the same page data.
    let cwd = dir.path("site");
    std::fs::create_dir_all(&cwd).expect("folder");
    std::fs::copy(&config, cwd.join("logmesh.toml")).expect("copied");
    let output = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .current_dir(&cwd)
        .args(["prerender".as_ref(), fixture("small.json").as_os_str()])
        .args(["--out-dir".as_ref(), dir.path("out2").as_os_str()])
        .output()
        .expect("binary runs");
    assert!(matches!(output.status.code(), Some(0 | 3)));
    let again = std::fs::read_to_string(dir.path("out2/posts.min.json")).expect("written");
    assert_eq!(again, data);

    // Without one, the built-in look: version 1, no style, the shipped stylesheet.
    let plain = dir.path("plain");
    let run = prerender("plain", None);
    assert!(matches!(run.code, 0 | 3), "{}", run.stderr);
    let data = std::fs::read_to_string(plain.join("posts.min.json")).expect("written");
    assert!(data.starts_with(r#"{"version":1,"posts":"#), "{data}");
    assert_eq!(
        std::fs::read_to_string(plain.join("logmesh.css")).expect("written"),
        logmesh::export::embed_css(&Style::default())
    );

    // Low contrast: warnings, and the page is still written.
    let pale = dir.write(
        "pale.toml",
        "palette = [\"#f0f0f0\", \"#3b82c4\"]\n[dark]\nlabel = \"#303030\"\n",
    );
    let run = prerender("pale", Some(&pale));
    assert!(matches!(run.code, 0 | 3), "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings[0].contains("pale.toml: dark theme: label #303030 has a contrast of"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("light theme: palette[0] #f0f0f0"),
        "{}",
        warnings[1]
    );

    // A bad file: exit 1, the file and the key named, nothing written.
    let bad = dir.write("bad.toml", "[light]\nlabel = \"pink\"\n");
    let run = prerender("bad", Some(&bad));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(r##"bad.toml: light.label: "pink" is not a colour "#rrggbb""##),
        "{}",
        run.stderr
    );
    assert!(!dir.path("bad").exists());
}
