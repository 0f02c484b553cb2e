//! `logmesh import` on the fixture sites of `tests/fixtures/import/` (docs/IMPORT.md): each
//! folder's `args.txt` gives the arguments, `expected.json` the exact posts.json and
//! `expected-report.txt` the report's counts.
#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::TempDir;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn logmesh(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_logmesh"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("logmesh runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The report's counts: `posts`, `resolved`, `skipped REASON`, `dropped REASON`.
fn report_counts(stderr: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let list = |counts: &mut BTreeMap<String, usize>, prefix: &str, text: &str| {
        for part in text.split(", ") {
            let (n, reason) = part.split_once(' ').expect("`N reason`");
            counts.insert(format!("{prefix} {reason}"), n.parse().expect("a count"));
        }
    };
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("import: ") {
            let n = rest.split(' ').next().unwrap_or_default();
            counts.insert("posts".into(), n.parse().expect("posts count"));
        } else if let Some(rest) = line.strip_prefix("skipped ") {
            let (_, reasons) = rest.split_once(": ").expect("skipped N: ...");
            list(&mut counts, "skipped", reasons);
        } else if let Some(rest) = line.strip_prefix("links: ") {
            let (resolved, dropped) = rest.split_once("; dropped ").unwrap_or((rest, ""));
            let n = resolved.strip_suffix(" resolved").expect("N resolved");
            counts.insert("resolved".into(), n.parse().expect("resolved count"));
            if let Some((_, reasons)) = dropped.split_once(": ") {
                list(&mut counts, "dropped", reasons);
            }
        }
    }
    counts
}

fn check_fixture(name: &str) {
    let dir = fixtures().join(name);
    let args_text = std::fs::read_to_string(dir.join("args.txt")).expect("args.txt");
    let out = TempDir::new(&format!("import-{}", name.replace('/', "-")));
    let output = out.path("posts.json");
    let mut args: Vec<&str> = vec!["import"];
    args.extend(args_text.lines().filter(|l| !l.is_empty()));
    let output_text = output.display().to_string();
    args.extend(["-o", &output_text]);
    let run = logmesh(&dir, &args);
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    assert!(run.stdout.starts_with("wrote "), "{}", run.stdout);

    let written = std::fs::read_to_string(&output).expect("posts.json written");
    // A valid posts file, without a warning.
    let parsed = logmesh::posts::parse(written.as_bytes()).expect("valid posts.json");
    assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
    let got: Value = serde_json::from_str(&written).expect("JSON");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json is JSON");
    if got != expected {
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
        panic!(
            "{name}: posts.json differs\n--- got\n{}\n--- expected\n{}\n--- report\n{}",
            pretty(&got),
            pretty(&expected),
            run.stderr
        );
    }

    let counts = report_counts(&run.stderr);
    let expected_report =
        std::fs::read_to_string(dir.join("expected-report.txt")).expect("expected-report.txt");
    for line in expected_report.lines().filter(|l| !l.trim().is_empty()) {
        let (what, n) = line.rsplit_once(' ').expect("`what N`");
        let n: usize = n.parse().expect("a count");
        assert_eq!(
            counts.get(what).copied().unwrap_or(0),
            n,
            "{name}: report {what:?}\n{}",
            run.stderr
        );
    }

    // The same import again gives the same bytes.
    let again = logmesh(&dir, &args);
    assert_eq!(again.code, 0);
    assert_eq!(
        std::fs::read_to_string(&output).expect("rewritten"),
        written
    );
}

#[test]
fn hugo_yaml_folder() {
    check_fixture("hugo-yaml");
}

#[test]
fn jekyll_posts_folder() {
    check_fixture("jekyll");
}

#[test]
fn zola_toml_folder() {
    check_fixture("zola");
}

#[test]
fn obsidian_vault() {
    check_fixture("obsidian");
}

#[test]
fn built_html_site() {
    check_fixture("html-site");
}

#[test]
fn rss_feed() {
    check_fixture("feeds/rss");
}

#[test]
fn atom_feed() {
    check_fixture("feeds/atom");
}

#[test]
fn json_feed() {
    check_fixture("feeds/json");
}

#[test]
fn nothing_importable_is_exit_1_and_a_missing_source_exit_2() {
    let dir = TempDir::new("import-empty");
    std::fs::create_dir_all(dir.path("site")).expect("folder");
    dir.write("site/_index.md", "---\ntitle: Home\n---\n");
    let run = logmesh(&dir.0, &["import", "site", "-o", "posts.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: nothing importable found"),
        "{}",
        run.stderr
    );
    assert!(!dir.path("posts.json").exists());

    let run = logmesh(&dir.0, &["import", "nowhere", "-o", "posts.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nowhere"), "{}", run.stderr);
    let run = logmesh(
        &dir.0,
        &["import", "site", "--format", "pdf", "-o", "p.json"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn malformed_files_are_reported_and_skipped() {
    let dir = TempDir::new("import-malformed");
    std::fs::create_dir_all(dir.path("site")).expect("folder");
    dir.write(
        "site/good.md",
        "---\ntitle: Good\n---\n[bad](bad.md) [bomb](bomb.md)\n",
    );
    dir.write("site/bad.md", "---\ntitle: [unclosed\n---\nbody\n");
    std::fs::write(dir.path("site/binary.md"), b"---\ntitle: \xff\n---\n").expect("written");
    // An alias bomb: ten aliases per level, nine levels (10^9 values if expanded).
    let mut bomb = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    bomb.push_str("title: Bomb\n---\n");
    dir.write("site/bomb.md", &bomb);
    let run = logmesh(&dir.0, &["import", "site", "-o", "posts.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "site/bad.md: malformed: YAML front matter",
        "site/binary.md: malformed: invalid UTF-8 at byte 11",
        "site/bomb.md: malformed: YAML front matter: more than 10000 values",
        "skipped 3: 3 malformed",
        "links: 0 resolved; dropped 2: 2 missing target",
    ] {
        assert!(run.stderr.contains(line), "{line:?} in\n{}", run.stderr);
    }
    let posts = logmesh::posts::parse(&std::fs::read(dir.path("posts.json")).expect("written"))
        .expect("valid");
    assert_eq!(posts.posts.len(), 1);
}

#[test]
fn drafts_future_posts_exclusions_and_link_loops() {
    let dir = TempDir::new("import-flags");
    std::fs::create_dir_all(dir.path("site/drafts")).expect("folder");
    std::fs::create_dir_all(dir.path("site/.git")).expect("folder");
    dir.write(
        "site/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n[b](b.md)",
    );
    dir.write("site/b.md", "---\ntitle: B\ndraft: true\n---\n");
    dir.write("site/c.md", "---\ntitle: C\ndate: 2999-01-01\n---\n");
    dir.write("site/drafts/d.md", "# D\n");
    dir.write("site/.git/e.md", "# E\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", dir.path("site/drafts/loop")).expect("link");
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["import", "site", "-o", "posts.json"];
        all.extend(args);
        let run = logmesh(&dir.0, &all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let parsed = logmesh::posts::parse(&std::fs::read(dir.path("posts.json")).expect("w"))
            .expect("valid");
        parsed.posts.into_iter().map(|p| p.id).collect()
    };
    assert_eq!(ids(&[]), ["a", "drafts/d"]);
    assert_eq!(ids(&["--include-drafts"]), ["a", "b", "drafts/d"]);
    assert_eq!(ids(&["--include-future"]), ["a", "c", "drafts/d"]);
    assert_eq!(ids(&["--exclude", "drafts/**"]), ["a"]);
    assert_eq!(ids(&["--exclude", "drafts"]), ["a"]);
}

#[test]
fn prerender_imports_sources_itself() {
    let dir = TempDir::new("import-prerender");
    let zola = fixtures().join("zola");
    let hash = |run: &Run| -> String {
        assert!(matches!(run.code, 0 | 3), "{}", run.stderr);
        let last = run.stdout.lines().last().unwrap_or_default();
        last.strip_prefix("hash: ")
            .expect("a hash line")
            .to_string()
    };
    let posts = dir.path("posts.json").display().to_string();
    let run = logmesh(
        &zola,
        &["import", "content", "--posts-url", "/blog/", "-o", &posts],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = |name: &str| dir.path(name).display().to_string();
    let from_file = logmesh(&zola, &["prerender", &posts, "--out-dir", &out("a")]);
    let from_sources = logmesh(
        &zola,
        &[
            "prerender",
            "content",
            "--posts-url",
            "/blog/",
            "--out-dir",
            &out("b"),
        ],
    );
    assert_eq!(hash(&from_file), hash(&from_sources));
    assert!(
        from_sources.stderr.contains("import: 5 posts"),
        "{}",
        from_sources.stderr
    );
    for name in ["posts.min.json", "layout.json", "embed.html"] {
        assert_eq!(
            std::fs::read(dir.path("a").join(name)).expect("a"),
            std::fs::read(dir.path("b").join(name)).expect("b"),
            "{name}"
        );
    }
    // Post URLs carry --posts-url; --base-url stays the prefix of the file URLs.
    let embed = std::fs::read_to_string(dir.path("b/embed.html")).expect("embed.html");
    assert!(embed.contains("href=\"/blog/"), "{embed}");
}

#[test]
fn astro_content_collection() {
    check_fixture("astro");
}

/// Posts by id: (url, links).
fn imported(dir: &Path, args: &[&str]) -> (BTreeMap<String, (String, Vec<String>)>, String) {
    let mut all = vec!["import"];
    all.extend(args);
    all.extend(["-o", "posts.json"]);
    let run = logmesh(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parsed = logmesh::posts::parse(&std::fs::read(dir.join("posts.json")).expect("written"))
        .expect("valid");
    let posts = parsed
        .posts
        .into_iter()
        .map(|p| (p.id, (p.url.unwrap_or_default(), p.links)))
        .collect();
    (posts, run.stderr)
}

#[test]
fn jekyll_permalinks_come_from_its_config_or_the_flag() {
    let dir = TempDir::new("import-jekyll-config");
    std::fs::create_dir_all(dir.path("_posts")).expect("folder");
    dir.write(
        "_config.yml",
        "title: A blog\npermalink: pretty\nbaseurl: /blog\n",
    );
    dir.write(
        "_posts/2015-11-20-ai.md",
        "---\ntitle: AI\ndate: 2015-11-14 11:00:00\ncategories: [Short Stories]\n---\n\
         See [the other]({% post_url 2011-04-27-cifar %}).\n",
    );
    dir.write(
        "_posts/2011-04-27-cifar.md",
        "---\ntitle: CIFAR\n---\nBack to [ai](/blog/short-stories/2015/11/14/ai/).\n",
    );
    let (posts, report) = imported(&dir.0, &["_posts"]);
    assert!(
        report.contains("permalink \"pretty\" from _config.yml, posts under its baseurl \"/blog\""),
        "{report}"
    );
    // Jekyll dates the URL by the front matter's date, not the file name's.
    let ai = "short-stories/2015/11/14/ai";
    assert_eq!(
        posts[ai],
        (
            "/blog/short-stories/2015/11/14/ai/".into(),
            vec!["2011/04/27/cifar".into()]
        )
    );
    assert_eq!(posts["2011/04/27/cifar"].1, vec![ai.to_string()]);

    // The flag wins over the config; Jekyll's `date` style ends in .html.
    let (posts, _) = imported(
        &dir.0,
        &["_posts", "--permalink", "date", "--posts-url", "/"],
    );
    assert_eq!(
        posts["short-stories/2015/11/14/ai"].0,
        "/short-stories/2015/11/14/ai.html"
    );
    let (posts, _) = imported(&dir.0, &["_posts", "--permalink", "/:year/:slug/"]);
    assert_eq!(posts["2015/ai"].0, "/2015/ai/");
}

#[test]
fn obsidian_vaults_as_quartz_publishes_them() {
    let dir = TempDir::new("import-quartz");
    std::fs::create_dir_all(dir.path("vault/Concepts")).expect("folder");
    std::fs::create_dir_all(dir.path("vault/Fleeting")).expect("folder");
    dir.write("vault/index.md", "# Home\n[[Concepts/ABA problem]]\n");
    dir.write("vault/Concepts/index.md", "# Concepts\nAll of them.\n");
    dir.write(
        "vault/Concepts/ABA problem.md",
        "See [[Q&A 100%?]], [[../Fleeting/draft|a draft]] and [[./missing]].\n\n\
         | a | b |\n|---|---|\n| [[Q&A 100%?\\|q]] | x |\n",
    );
    dir.write(
        "vault/Concepts/Q&A 100%?.md",
        "Back to [the problem](/Concepts/ABA-problem).\n",
    );
    dir.write("vault/Fleeting/draft.md", "A draft.\n");
    dir.write("vault/Concepts/draft.md", "Another note called draft.\n");
    let (posts, report) = imported(
        &dir.0,
        &["vault", "--slugify", "quartz", "--exclude", "Fleeting/**"],
    );
    assert_eq!(
        posts.keys().collect::<Vec<_>>(),
        [
            "Concepts/ABA-problem",
            "Concepts/Q-and-A-100-percent",
            "Concepts/draft"
        ]
    );
    assert_eq!(posts["Concepts/ABA-problem"].0, "/Concepts/ABA-problem");
    // The escaped pipe of a table is read; a path-qualified link to an excluded file is not
    // sent to another file of that name.
    assert_eq!(
        posts["Concepts/ABA-problem"].1,
        vec!["Concepts/Q-and-A-100-percent".to_string()]
    );
    assert_eq!(
        posts["Concepts/Q-and-A-100-percent"].1,
        vec!["Concepts/ABA-problem".to_string()]
    );
    assert!(
        report.contains("vault/Concepts/index.md: index page"),
        "{report}"
    );
    assert!(
        report.contains("missing target \"../Fleeting/draft\""),
        "{report}"
    );
}
