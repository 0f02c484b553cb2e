//! URLs, ids and links (docs/IMPORT.md, "URLs and ids"): every page gets its URL, the posts their
//! ids, and each raw link becomes an id or a reason it was dropped.

use std::collections::{BTreeSet, HashMap, HashSet};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use url::Url;

use super::markdown::strip_date_prefix;
use super::walk::{File, MARKDOWN, extension};
use super::{Fields, Options, Page, RawLink, Report, Role, Slugify};
use crate::posts::Post;

/// The origin pages are placed on while links are resolved against them.
const PLACEHOLDER: &str = "http://logmesh.invalid";

/// Characters a URL path segment cannot hold as they are.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// Longest id; a longer one is cut and given a hash ([`id_of`]).
const MAX_ID_CHARS: usize = 200;
/// The field limits of posts.json (docs/DESIGN.md): longer values are cut, extra ones dropped.
const MAX_TITLE_CHARS: usize = 500;
const MAX_SUMMARY_CHARS: usize = 2000;
const MAX_TAGS: usize = 64;
const MAX_TAG_CHARS: usize = 100;
const MAX_LINKS: usize = 10_000;

/// Extensions of pages (not assets).
const PAGE_EXTENSIONS: [&str; 5] = ["html", "htm", "md", "markdown", "mdx"];

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// A decoded path as a lookup key: `.`/`..` and empty segments gone, no trailing `/`, no
/// `index.html`, no page extension.
fn key(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    if let Some(last) = segments.last_mut() {
        if let Some(ext) = extension(last)
            && PAGE_EXTENSIONS.contains(&ext.as_str())
        {
            *last = &last[..last.len() - ext.len() - 1];
            if *last == "index" || *last == "_index" {
                segments.pop();
            }
        }
    }
    format!("/{}", segments.join("/"))
}

/// A relative file path with `.`/`..` applied (`None` when it climbs out of its source).
fn normalise_rel(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    Some(segments.join("/"))
}

/// Whether the last segment has an extension of an asset (an image, a PDF, a feed).
fn is_asset(path: &str) -> bool {
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            && ext.bytes().any(|b| b.is_ascii_alphabetic())
            && !PAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// What a URL or a file leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Post(usize),
    Index,
}

/// Why a link was dropped.
type Dropped = &'static str;

struct Tables<'a> {
    by_key: HashMap<String, Target>,
    by_file: HashMap<(usize, String), Target>,
    by_file_lower: HashMap<(usize, String), Target>,
    by_stem: HashMap<(usize, String), Vec<&'a str>>,
    sites: HashSet<String>,
}

/// A page with its place: its key (decoded path), output URL and base for its links.
struct Placed {
    page: Page,
    key: String,
    url: String,
    base: Url,
}

pub(crate) fn resolve(
    pages: Vec<Page>,
    files: &[File],
    options: &Options,
    sites: &[String],
    report: &mut Report,
) -> Vec<Post> {
    let posts_key = key(&decode(&options.posts_url));
    let mut tables = Tables {
        by_key: HashMap::new(),
        by_file: HashMap::new(),
        by_file_lower: HashMap::new(),
        by_stem: HashMap::new(),
        sites: sites
            .iter()
            .filter_map(|s| Url::parse(s).ok())
            .map(|u| u.origin().ascii_serialization())
            .collect(),
    };
    for f in files {
        let stem = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        let stem = stem
            .rsplit_once('.')
            .map_or(stem, |(s, _)| s)
            .to_lowercase();
        tables
            .by_stem
            .entry((f.root, stem))
            .or_default()
            .push(&f.rel);
    }

    // Place every page; posts first come, first served (path order).
    let mut posts: Vec<(Placed, Fields, String)> = Vec::new();
    let mut others: Vec<Placed> = Vec::new();
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    for page in pages {
        let (path, slash) = page_path(
            &page,
            &posts_key,
            options.permalink.as_deref(),
            options.slugify,
        );
        let key = key(&path);
        let url = output_url(&path, options.trailing_slash || slash);
        let Ok(base) = Url::parse(&format!("{PLACEHOLDER}{url}")) else {
            report.skip("malformed", &page.file, Some("no usable URL"));
            continue;
        };
        let placed = Placed {
            page,
            key,
            url,
            base,
        };
        match placed.page.role.clone() {
            Role::Post(fields) => {
                let id = id_of(&placed.key, &posts_key);
                if id.is_empty() {
                    report.skip("index page", &placed.page.file, None);
                    others.push(Placed {
                        page: Page {
                            role: Role::Index("index page"),
                            ..placed.page
                        },
                        ..placed
                    });
                    continue;
                }
                if let Some(first) = owner.get(&placed.key).or_else(|| owner.get(&id)) {
                    let why = format!("duplicate URL of {first}");
                    report.skip("duplicate URL", &placed.page.file, Some(&why));
                    continue;
                }
                owner.insert(placed.key.clone(), placed.page.file.clone());
                owner.insert(id.clone(), placed.page.file.clone());
                ids.insert(id.clone());
                posts.push((placed, fields, id));
            }
            Role::Index(reason) => {
                report.skip(reason, &placed.page.file, None);
                others.push(placed);
            }
            Role::Redirect(_) => others.push(placed),
        }
    }

    for (i, (placed, _, _)) in posts.iter().enumerate() {
        tables.by_key.insert(placed.key.clone(), Target::Post(i));
        tables.add_file(&placed.page, Target::Post(i));
    }
    for placed in &others {
        if let Role::Index(_) = placed.page.role {
            tables
                .by_key
                .entry(placed.key.clone())
                .or_insert(Target::Index);
            tables.add_file(&placed.page, Target::Index);
        }
    }
    for (i, (placed, _, _)) in posts.iter().enumerate() {
        for alias in &placed.page.aliases {
            if let Ok(url) = placed.base.join(alias)
                && tables.internal(&url)
            {
                tables
                    .by_key
                    .entry(key(&decode(url.path())))
                    .or_insert(Target::Post(i));
            }
        }
    }
    for placed in &others {
        if let Role::Redirect(target) = &placed.page.role {
            report.skip("redirect", &placed.page.file, Some(target));
            if let Ok(Target::Post(i)) = tables.url(&placed.base, target, None) {
                tables
                    .by_key
                    .entry(placed.key.clone())
                    .or_insert(Target::Post(i));
                tables.add_file(&placed.page, Target::Post(i));
            }
        }
    }

    let mut out = Vec::with_capacity(posts.len());
    for (i, (placed, fields, id)) in posts.iter().enumerate() {
        let mut links = BTreeSet::new();
        let mut dropped: HashSet<(Dropped, &RawLink)> = HashSet::new();
        for raw in &placed.page.links {
            let target = match raw {
                RawLink::Url(href) => tables.url(&placed.base, href, Some(&placed.page)),
                RawLink::File(path) => tables.file(placed.page.root, path),
                RawLink::Wiki(name) => tables.wiki(&placed.page, name),
            };
            match target {
                Ok(Target::Post(j)) if j == i => {
                    if dropped.insert(("same page", raw)) {
                        report.drop_link("same page", &placed.page.file, raw.text());
                    }
                }
                Ok(Target::Post(j)) => {
                    links.insert(posts[j].2.clone());
                }
                Ok(Target::Index) => {
                    if dropped.insert(("index page", raw)) {
                        report.drop_link("index page", &placed.page.file, raw.text());
                    }
                }
                Err(reason) => {
                    if dropped.insert((reason, raw)) {
                        report.drop_link(reason, &placed.page.file, raw.text());
                    }
                }
            }
        }
        report.resolved += links.len();
        let mut tags: Vec<String> = fields
            .tags
            .iter()
            .map(|t| cut(t, MAX_TAG_CHARS))
            .take(MAX_TAGS)
            .collect();
        tags.sort();
        tags.dedup();
        out.push(Post {
            id: id.clone(),
            title: cut(&fields.title, MAX_TITLE_CHARS),
            url: Some(placed.url.clone()),
            date: fields.date,
            tags,
            links: links.into_iter().take(MAX_LINKS).collect(),
            summary: fields.summary.as_deref().map(|s| cut(s, MAX_SUMMARY_CHARS)),
            weight: None,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

impl RawLink {
    fn text(&self) -> &str {
        match self {
            RawLink::Url(s) | RawLink::File(s) | RawLink::Wiki(s) => s,
        }
    }
}

impl<'a> Tables<'a> {
    fn add_file(&mut self, page: &Page, target: Target) {
        if page.rel.is_empty() {
            return;
        }
        self.by_file
            .entry((page.root, page.rel.clone()))
            .or_insert(target);
        self.by_file_lower
            .entry((page.root, page.rel.to_lowercase()))
            .or_insert(target);
    }

    /// Whether an absolute URL is on this site.
    fn internal(&self, url: &Url) -> bool {
        let origin = url.origin().ascii_serialization();
        origin == PLACEHOLDER || self.sites.contains(&origin)
    }

    /// A link written in a page (or a redirect's target): as a browser resolves it, then the
    /// page's own folder for a relative path.
    fn url(&self, base: &Url, href: &str, page: Option<&Page>) -> Result<Target, Dropped> {
        if href.starts_with('#') {
            return Err("same page");
        }
        let url = base.join(href).map_err(|_| "missing target")?;
        if !matches!(url.scheme(), "http" | "https") || !self.internal(&url) {
            return Err("external");
        }
        let path = decode(url.path());
        if let Some(target) = self.by_key.get(&key(&path)) {
            return Ok(*target);
        }
        let relative = !href.contains(':') && !href.starts_with('/');
        // A site serves a page at `/a/b/` or `/a/b` whatever posts.json says; a relative link
        // is written for one of the two, so it is tried against the other too.
        if relative {
            let mut other = base.clone();
            match base.path().strip_suffix('/') {
                Some(path) if !path.is_empty() => other.set_path(path),
                Some(_) => {}
                None => other.set_path(&format!("{}/", base.path())),
            }
            if let Ok(url) = other.join(href)
                && let Some(target) = self.by_key.get(&key(&decode(url.path())))
            {
                return Ok(*target);
            }
        }
        if relative && let Some(page) = page.filter(|p| !p.rel.is_empty()) {
            let written = href.split(['?', '#']).next().unwrap_or(href);
            let folder = page.rel.rsplit_once('/').map_or("", |(f, _)| f);
            if let Ok(target) = self.file(page.root, &format!("{folder}/{}", decode(written))) {
                return Ok(target);
            }
        }
        if is_asset(&path) {
            return Err("asset");
        }
        Err("missing target")
    }

    /// A file path from a source's root (Zola's `@/`, a relative link's fallback).
    fn file(&self, root: usize, path: &str) -> Result<Target, Dropped> {
        let path = path.split('#').next().unwrap_or(path);
        let p = normalise_rel(path).ok_or("missing target")?;
        let candidates = [
            p.clone(),
            format!("{p}.md"),
            format!("{p}.markdown"),
            format!("{p}.mdx"),
            format!("{p}/index.md"),
            format!("{p}/_index.md"),
            format!("{p}.html"),
            format!("{p}/index.html"),
        ];
        candidates
            .into_iter()
            .find_map(|c| self.by_file.get(&(root, c)).copied())
            .ok_or(if is_asset(&p) {
                "asset"
            } else {
                "missing target"
            })
    }

    /// A file named by a wikilink or a shortcode, case-insensitively as Obsidian does: `./x` or
    /// `../x` from the page's folder; `a/x` from the source's root, else the first file (in path
    /// order) whose path ends with it; a bare `x`, the file of that name in the page's folder,
    /// else the first anywhere. A Markdown extension may be left out.
    fn wiki(&self, page: &Page, name: &str) -> Result<Target, Dropped> {
        let name = name.trim().trim_start_matches('/');
        let lower = name.to_lowercase();
        if let Some(ext) = extension(&lower)
            && !MARKDOWN.contains(&ext.as_str())
            && is_asset(&lower)
        {
            return Err("asset");
        }
        let folder = page.rel.rsplit_once('/').map_or("", |(f, _)| f);
        let with_extensions = |p: &str| {
            let mut all = vec![p.to_string()];
            all.extend(MARKDOWN.iter().map(|ext| format!("{p}.{ext}")));
            all
        };
        let exact = |p: &str| {
            with_extensions(p)
                .into_iter()
                .find_map(|c| self.by_file_lower.get(&(page.root, c)).copied())
        };
        if lower.starts_with("./") || lower.starts_with("../") {
            let path = normalise_rel(&format!("{}/{lower}", folder.to_lowercase()))
                .ok_or("missing target")?;
            return exact(&path).ok_or("missing target");
        }
        if let Some(target) = exact(&lower) {
            return Ok(target);
        }
        if lower.contains('/') {
            let suffixes = with_extensions(&lower);
            let mut matches: Vec<(&String, Target)> = self
                .by_file_lower
                .iter()
                .filter(|((root, rel), _)| {
                    *root == page.root
                        && suffixes.iter().any(|s| {
                            rel.ends_with(&format!("/{s}")) || s.ends_with(&format!("/{rel}"))
                        })
                })
                .map(|((_, rel), target)| (rel, *target))
                .collect();
            matches.sort_by(|a, b| a.0.cmp(b.0));
            return matches.first().map(|m| m.1).ok_or("missing target");
        }
        let stem = match extension(&lower) {
            Some(ext) if MARKDOWN.contains(&ext.as_str()) => &lower[..lower.len() - ext.len() - 1],
            _ => &lower,
        };
        let files = self
            .by_stem
            .get(&(page.root, stem.to_string()))
            .ok_or("missing target")?;
        let in_folder = |rel: &&&str| rel.rsplit_once('/').map_or("", |(f, _)| f) == folder;
        files
            .iter()
            .find(in_folder)
            .into_iter()
            .chain(files.iter())
            .find_map(|rel| self.by_file.get(&(page.root, (*rel).to_string())).copied())
            .ok_or("missing target")
    }
}

/// Jekyll's permalink styles, by name.
const PERMALINK_STYLES: [(&str, &str); 3] = [
    ("date", "/:categories/:year/:month/:day/:title:output_ext"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("none", "/:categories/:title:output_ext"),
];

/// A permalink pattern with its style names expanded.
pub(crate) fn permalink_pattern(pattern: &str) -> String {
    PERMALINK_STYLES
        .iter()
        .find(|(name, _)| *name == pattern)
        .map_or(pattern, |(_, p)| p)
        .to_string()
}

/// The decoded path of a page's URL (docs/IMPORT.md, "URLs and ids"), and whether a permalink
/// pattern asks for a trailing slash.
fn page_path(
    page: &Page,
    posts_key: &str,
    permalink: Option<&str>,
    slugify: Option<Slugify>,
) -> (String, bool) {
    if let Some(url) = &page.url {
        let path = match Url::parse(url) {
            Ok(u) => decode(u.path()),
            Err(_) => format!("/{}", decode(url.trim_start_matches('/'))),
        };
        return (path, false);
    }
    let slug = |segment: &str| slugify.map_or_else(|| segment.to_string(), |s| s.apply(segment));
    let mut segments: Vec<String> = page.rel.split('/').map(slug).collect();
    segments.pop();
    let last = page.rel.rsplit('/').next().unwrap_or(&page.rel);
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    let index = stem == "index" || stem == "_index";
    let filename = slug(strip_date_prefix(stem));
    if !index {
        segments.push(filename.clone());
    }
    if let Some(slug) = &page.slug {
        segments.pop();
        segments.push(slug.trim_matches('/').to_string());
    }
    let base = posts_key.trim_end_matches('/');
    let date = match &page.role {
        Role::Post(fields) => fields.date,
        _ => None,
    };
    let pattern = permalink.map(permalink_pattern);
    let expanded = match (pattern, date) {
        (Some(pattern), Some(date)) if !index => {
            let slug = segments.last().cloned().unwrap_or_default();
            let categories: Vec<String> = page
                .categories
                .iter()
                .map(|c| c.trim().to_lowercase().replace(' ', "-"))
                .filter(|c| !c.is_empty())
                .collect();
            let folder = page.rel.rsplit_once('/').map_or("", |(f, _)| f);
            let values = [
                (":output_ext", ".html".to_string()),
                (":categories", categories.join("/")),
                (":short_year", format!("{:02}", date.year % 100)),
                (":i_month", date.month.to_string()),
                (":i_day", date.day.to_string()),
                (":year", format!("{:04}", date.year)),
                (":month", format!("{:02}", date.month)),
                (":day", format!("{:02}", date.day)),
                (":title", slug.clone()),
                (":slug", slug),
                (
                    ":section",
                    folder.split('/').next().unwrap_or("").to_string(),
                ),
                (":filename", filename),
                (":path", segments.join("/")),
            ];
            let mut path = pattern.clone();
            for (name, value) in values {
                path = path.replace(name, &value);
            }
            Some((path, pattern.ends_with('/')))
        }
        _ => None,
    };
    match expanded {
        Some((path, slash)) => (format!("{base}/{}", path.trim_start_matches('/')), slash),
        None => (format!("{base}/{}", segments.join("/")), false),
    }
}

/// A page's path as the URL posts.json gets: empty segments dropped, each segment
/// percent-encoded, with or without the trailing slash (never after a last segment holding a
/// `.`, like `feed.xml` or `post.html`).
fn output_url(path: &str, trailing_slash: bool) -> String {
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    let mut url = format!("/{}", segments.join("/"));
    let last = segments.last().map_or("", String::as_str);
    if trailing_slash && !last.is_empty() && !last.contains('.') {
        url.push('/');
    }
    url
}

/// A post's id: its key relative to `--posts-url`, else its whole path; cut with a hash past
/// [`MAX_ID_CHARS`]; control characters (from percent-decoding) become `_`.
fn id_of(key: &str, posts_key: &str) -> String {
    let rest = if posts_key == "/" {
        key
    } else if key == posts_key {
        ""
    } else {
        key.strip_prefix(posts_key)
            .filter(|r| r.starts_with('/'))
            .unwrap_or(key)
    };
    let id: String = rest
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    if id.chars().count() <= MAX_ID_CHARS {
        return id;
    }
    let hash = crate::hash::fnv1a(id.as_bytes());
    let head: String = id.chars().take(MAX_ID_CHARS - 17).collect();
    format!("{head}~{hash}")
}

/// `s` cut to `max` characters (the last one `…`).
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_what_a_server_ignores() {
        assert_eq!(key("/blog/a/"), "/blog/a");
        assert_eq!(key("/blog/a/index.html"), "/blog/a");
        assert_eq!(key("/blog/a.html"), "/blog/a");
        assert_eq!(key("/blog/./x/../a.md"), "/blog/a");
        assert_eq!(key("/"), "/");
        assert_eq!(key("/v1.2-release"), "/v1.2-release");
    }

    #[test]
    fn ids_are_relative_to_the_posts_url_and_bounded() {
        assert_eq!(id_of("/blog/2024/hello", "/blog"), "2024/hello");
        assert_eq!(id_of("/blog", "/blog"), "");
        assert_eq!(id_of("/blogroll", "/blog"), "blogroll");
        assert_eq!(id_of("/about", "/"), "about");
        let long = format!("/{}", "x".repeat(300));
        let id = id_of(&long, "/");
        assert_eq!(id.chars().count(), 200);
        assert_eq!(id, id_of(&long, "/"));
        assert_ne!(id, id_of(&format!("{long}y"), "/"));
    }

    #[test]
    fn urls_are_encoded_and_slashed_on_request() {
        assert_eq!(output_url("/notes/My Note", false), "/notes/My%20Note");
        assert_eq!(output_url("/blog/a", true), "/blog/a/");
        assert_eq!(output_url("/feed.xml", true), "/feed.xml");
        assert_eq!(output_url("/", true), "/");
    }

    #[test]
    fn assets_have_an_extension_with_a_letter() {
        assert!(is_asset("/files/doc.pdf"));
        assert!(is_asset("pic.PNG"));
        assert!(!is_asset("/blog/v1.2"));
        assert!(!is_asset("/blog/a.html"));
        assert!(!is_asset("/blog/a"));
    }
}
