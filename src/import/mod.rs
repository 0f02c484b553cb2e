//! `logmesh import`: a site's own files (Markdown, built HTML, a feed) to posts (docs/IMPORT.md is
//! the rule book). Pure Rust over a [`Source`] that lists and reads files, so the same code runs
//! in the native CLI (`std::fs`) and in a wasm module whose files come from JavaScript.
//!
//! Three steps: [`walk`] finds the files, each format's reader turns a file into [`Page`]s (title,
//! date, tags, raw links, aliases, or why it is not a post), and [`resolve`] gives every post its
//! URL and id and turns raw links into ids, counting what it drops for the [`Report`].

mod feed;
mod front;
mod html;
mod markdown;
mod resolve;
mod walk;

use std::collections::BTreeMap;
use std::fmt;
use std::io;

use crate::posts::{Date, Post};

pub use walk::{Kind, MemorySource, Source};

/// Largest file the import reads; a larger one is skipped (`too large`).
pub const MAX_FILE_BYTES: usize = 16 << 20;
/// Most files the import reads from its sources together.
pub const MAX_FILES: usize = 1_000_000;
/// Detail lines of each kind the report prints before `... and N more`.
pub const MAX_DETAIL_LINES: usize = 50;

/// Which reader a source needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A folder of Markdown files with front matter.
    Markdown,
    /// A built site's HTML files.
    Html,
    /// A JSON Feed, RSS or Atom file.
    Feed,
}

impl Format {
    /// The name used by `--format` and the report.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Feed => "feed",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "feed" => Ok(Format::Feed),
            _ => Err(format!("{s:?} is not one of markdown, html, feed")),
        }
    }
}

/// A generator's rule for turning a file name into a URL segment (`--slugify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slugify {
    /// Quartz (Obsidian vaults): white space to `-`, `&` to `-and-`, `%` to `-percent`, `?`
    /// and `#` dropped; case kept.
    Quartz,
    /// Hugo: lower case, white space to `-`, `?` and `#` dropped.
    Hugo,
}

impl Slugify {
    /// `segment` as the generator writes it in URLs.
    pub fn apply(self, segment: &str) -> String {
        let mut out = String::with_capacity(segment.len());
        for c in segment.chars() {
            match (self, c) {
                (_, c) if c.is_whitespace() => out.push('-'),
                (_, '?' | '#') => {}
                (Slugify::Quartz, '&') => out.push_str("-and-"),
                (Slugify::Quartz, '%') => out.push_str("-percent"),
                (Slugify::Hugo, c) => out.extend(c.to_lowercase()),
                (Slugify::Quartz, c) => out.push(c),
            }
        }
        out
    }
}

impl std::str::FromStr for Slugify {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "quartz" => Ok(Slugify::Quartz),
            "hugo" => Ok(Slugify::Hugo),
            _ => Err(format!("{s:?} is not one of quartz, hugo")),
        }
    }
}

/// What the import is told (the CLI's flags).
#[derive(Debug, Clone)]
pub struct Options {
    /// The reader, or `None` to detect it from the sources.
    pub format: Option<Format>,
    /// Where the posts live on the site (`--posts-url`), a path.
    pub posts_url: String,
    /// Origins whose absolute links are internal (`--site`), e.g. `https://example.com`.
    pub sites: Vec<String>,
    /// Globs of paths (relative to their source) not to read.
    pub exclude: Vec<String>,
    /// Whether post URLs end with `/`.
    pub trailing_slash: bool,
    /// How file names become URL segments: as they are (percent-encoded), or as a generator
    /// rewrites them ([`Slugify`]).
    pub slugify: Option<Slugify>,
    /// A permalink pattern for Markdown posts (`/:year/:month/:title/`, or Jekyll's style names
    /// `date`, `pretty`, `none`); `None`: their path in the source (`/:path`).
    pub permalink: Option<String>,
    /// Whether drafts and unpublished pages are posts.
    pub include_drafts: bool,
    /// Whether pages dated after `today` are posts.
    pub include_future: bool,
    /// Today's date in UTC (future-dated posts are those after it).
    pub today: Date,
}

impl Options {
    /// The defaults of the CLI, for `today`.
    pub fn new(today: Date) -> Options {
        Options {
            format: None,
            posts_url: "/".into(),
            sites: Vec::new(),
            exclude: Vec::new(),
            trailing_slash: false,
            permalink: None,
            slugify: None,
            include_drafts: false,
            include_future: false,
            today,
        }
    }
}

/// The date of a Unix time (seconds since 1970-01-01 UTC), for [`Options::today`].
pub fn date_from_unix(seconds: i64) -> Date {
    // Howard Hinnant's days-to-civil.
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: year.clamp(1, 9999) as u16,
        month,
        day,
    }
}

/// Why the import could not run at all (anything else is in the [`Report`]).
#[derive(Debug)]
pub enum ImportError {
    /// A bad option or a source of the wrong kind (exit 2).
    Usage(String),
    /// A source that cannot be read (exit 2).
    Io {
        /// The path.
        path: String,
        /// What went wrong.
        source: io::Error,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Usage(m) => f.write_str(m),
            ImportError::Io { path, source } => write!(f, "{path}: {source}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The import's result: the posts (sorted by id; tags and links sorted) and what happened.
#[derive(Debug)]
pub struct Imported {
    /// The posts, ready for posts.json.
    pub posts: Vec<Post>,
    /// Counts and details for stderr.
    pub report: Report,
}

impl Imported {
    /// posts.json version 1: compact JSON and a final newline.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct File<'a> {
            version: u32,
            posts: &'a [Post],
        }
        let mut text = serde_json::to_string(&File {
            version: 1,
            posts: &self.posts,
        })
        .unwrap_or_default();
        text.push('\n');
        text
    }
}

/// What the import found, skipped and dropped (docs/IMPORT.md, "The report").
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// The format read.
    pub format: Option<Format>,
    /// Files read (pages for a feed: items).
    pub files: usize,
    /// What the import took from the site's own configuration (Jekyll's `_config.yml`).
    pub notes: Vec<String>,
    /// Posts written.
    pub posts: usize,
    /// Pages that are not posts, by reason: `(file, detail)` each.
    pub skipped: BTreeMap<&'static str, Vec<String>>,
    /// Distinct (post, target) links kept.
    pub resolved: usize,
    /// Links dropped, by reason: `file: link` each.
    pub dropped: BTreeMap<&'static str, Vec<String>>,
}

impl Report {
    pub(crate) fn skip(&mut self, reason: &'static str, file: &str, detail: Option<&str>) {
        let line = match detail {
            Some(d) => format!("{file}: {reason}: {d}"),
            None => format!("{file}: {reason}"),
        };
        self.skipped.entry(reason).or_default().push(line);
    }

    pub(crate) fn drop_link(&mut self, reason: &'static str, file: &str, link: &str) {
        let line = format!("{file}: {reason} {}", crate::error::quote(link));
        self.dropped.entry(reason).or_default().push(line);
    }

    /// How many pages were skipped for `reason`.
    pub fn skipped_count(&self, reason: &str) -> usize {
        self.skipped.get(reason).map_or(0, Vec::len)
    }

    /// How many links were dropped for `reason`.
    pub fn dropped_count(&self, reason: &str) -> usize {
        self.dropped.get(reason).map_or(0, Vec::len)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = self.format.map_or("nothing", Format::name);
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        writeln!(
            f,
            "import: {} from {} ({format})",
            plural(self.posts, "post"),
            plural(self.files, "file")
        )?;
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        let summary = |map: &BTreeMap<&str, Vec<String>>| {
            map.iter()
                .map(|(reason, lines)| format!("{} {reason}", lines.len()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let details =
            |f: &mut fmt::Formatter<'_>, map: &BTreeMap<&str, Vec<String>>, skip: &[&str]| {
                for (reason, lines) in map {
                    if skip.contains(reason) {
                        continue;
                    }
                    for line in lines.iter().take(MAX_DETAIL_LINES) {
                        writeln!(f, "  {line}")?;
                    }
                    if lines.len() > MAX_DETAIL_LINES {
                        writeln!(
                            f,
                            "  ... and {} more {reason}",
                            lines.len() - MAX_DETAIL_LINES
                        )?;
                    }
                }
                Ok(())
            };
        let skipped: usize = self.skipped.values().map(Vec::len).sum();
        if skipped > 0 {
            writeln!(f, "skipped {skipped}: {}", summary(&self.skipped))?;
            details(f, &self.skipped, &["excluded"])?;
        }
        let dropped: usize = self.dropped.values().map(Vec::len).sum();
        write!(f, "links: {} resolved", self.resolved)?;
        if dropped > 0 {
            writeln!(f, "; dropped {dropped}: {}", summary(&self.dropped))?;
            details(f, &self.dropped, &["external", "same page"])?;
        } else {
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Reads `roots` (paths in `source`) with `options`: the posts and the report. Nothing found is
/// not an error here (the CLI makes it exit 1); an unreadable root or a bad option is.
pub fn import(
    source: &dyn Source,
    roots: &[String],
    options: &Options,
) -> Result<Imported, ImportError> {
    if roots.is_empty() {
        return Err(ImportError::Usage("no SOURCE given".into()));
    }
    let exclude = walk::globs(&options.exclude)?;
    let mut report = Report::default();
    let options = &jekyll_config(source, roots, options, &mut report);
    let mut format = options.format;
    let mut files = Vec::new();
    for (index, root) in roots.iter().enumerate() {
        let found = walk::files(source, root, index, &exclude, &mut report)?;
        let detected = match options.format {
            Some(f) => f,
            None => walk::detect(source, root, &found)?,
        };
        match format {
            Some(f) if f != detected && options.format.is_none() => {
                return Err(ImportError::Usage(format!(
                    "{root} looks like {} but the other sources like {}; pass --format",
                    detected.name(),
                    f.name()
                )));
            }
            _ => format = Some(detected),
        }
        files.extend(found);
    }
    let format = format.unwrap_or(Format::Markdown);
    report.format = Some(format);
    let files: Vec<walk::File> = files
        .into_iter()
        .filter(|f| f.given || walk::wanted(format, &f.rel))
        .collect();

    let mut pages = Vec::new();
    let mut sites = options.sites.clone();
    for file in &files {
        let bytes = match source.read(&file.path, MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                report.skip("too large", &file.path, None);
                continue;
            }
            Err(e) => {
                return Err(ImportError::Io {
                    path: file.path.clone(),
                    source: e,
                });
            }
        };
        report.files += 1;
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
            Err(e) => {
                let why = format!("invalid UTF-8 at byte {}", e.valid_up_to());
                report.skip("malformed", &file.path, Some(&why));
                continue;
            }
        };
        let read = match format {
            Format::Markdown => markdown::read(file, text, options).map(|p| vec![p]),
            Format::Html => html::read(file, text).map(|p| vec![p]),
            Format::Feed => feed::read(file, text, &mut sites, &mut report),
        };
        match read {
            Ok(found) => pages.extend(found),
            Err(Skip(reason, detail)) => report.skip(reason, &file.path, detail.as_deref()),
        }
    }
    if format == Format::Markdown {
        markdown::folder_pages(&mut pages, &files);
    }
    if format == Format::Html {
        html::strip_title_suffixes(&mut pages);
        for page in &pages {
            if let Some(origin) = &page.origin {
                sites.push(origin.clone());
            }
        }
    }
    let posts = resolve::resolve(pages, &files, options, &sites, &mut report);
    report.posts = posts.len();
    Ok(Imported { posts, report })
}

/// `options` with a Jekyll site's `permalink` (Jekyll's default, `date`, when it sets none) and
/// `baseurl` (as `--posts-url`, unless one was given) when a source is a `_posts` folder beside a
/// `_config.yml` and `--permalink` was not given.
fn jekyll_config(
    source: &dyn Source,
    roots: &[String],
    options: &Options,
    report: &mut Report,
) -> Options {
    let mut options = options.clone();
    if options.permalink.is_some() || options.format.is_some_and(|f| f != Format::Markdown) {
        return options;
    }
    for root in roots {
        let trimmed = root.trim_end_matches('/');
        let (parent, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
        if name != "_posts" {
            continue;
        }
        let config = if parent.is_empty() {
            "_config.yml".to_string()
        } else {
            format!("{parent}/_config.yml")
        };
        if source.kind(&config).ok() != Some(Kind::File) {
            continue;
        }
        let Some(fields) = source
            .read(&config, MAX_FILE_BYTES)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| front::yaml(&text).ok())
        else {
            report.notes.push(format!(
                "{config}: not read (malformed); URLs from file paths"
            ));
            continue;
        };
        let text = |key: &str| {
            fields
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
        };
        let permalink = text("permalink")
            .filter(|p| !p.is_empty())
            .unwrap_or("date");
        options.permalink = Some(permalink.to_string());
        let mut note = format!("permalink {permalink:?} from {config}");
        if let Some(base) = text("baseurl").filter(|b| !b.is_empty() && *b != "/")
            && options.posts_url == "/"
        {
            options.posts_url = base.to_string();
            note.push_str(&format!(", posts under its baseurl {base:?}"));
        }
        report.notes.push(note);
        break;
    }
    options
}

/// Why a file gives no post: a reason from docs/IMPORT.md's list, and a detail.
#[derive(Debug)]
pub(crate) struct Skip(pub &'static str, pub Option<String>);

impl Skip {
    pub(crate) fn malformed(why: impl Into<String>) -> Skip {
        Skip("malformed", Some(why.into()))
    }
}

/// One page read from a file: a post, or a page that other URLs resolve to.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// The file, as the report names it.
    pub file: String,
    /// Which source it came from, and its path relative to that source (`/` separated).
    pub root: usize,
    pub rel: String,
    /// The URL the page gives itself (front matter `url`, a canonical link, a feed item's link):
    /// a path from the site's root or an absolute URL; `None`: from `rel`.
    pub url: Option<String>,
    /// Front matter `slug`: replaces the last segment of the URL from `rel`.
    pub slug: Option<String>,
    /// Front matter `categories` (a permalink's `:categories`).
    pub categories: Vec<String>,
    /// The origin of a canonical URL (html): absolute links to it are internal.
    pub origin: Option<String>,
    pub role: Role,
    /// Other URLs of the page (resolved against its URL).
    pub aliases: Vec<String>,
    /// Raw links, in document order.
    pub links: Vec<RawLink>,
}

/// What a page is.
#[derive(Debug, Clone)]
pub(crate) enum Role {
    Post(Fields),
    /// A section or home page: links to it are dropped as `index page`.
    Index(&'static str),
    /// A page that only redirects to the URL given: an alias of its target.
    Redirect(String),
}

/// A post's own fields, as read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    pub title: String,
    pub date: Option<Date>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Whether the title is the page's `<title>` (html), whose site suffix may go.
    pub head_title: bool,
    /// `og:site_name` (html).
    pub site_name: Option<String>,
}

/// A link as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RawLink {
    /// An `href` or Markdown destination, resolved like a browser would.
    Url(String),
    /// Zola's `@/path.md`: a file path from the source's root.
    File(String),
    /// An Obsidian `[[wikilink]]` target (without `#heading` or `|label`).
    Wiki(String),
}

/// The first 10 characters of `s` when they are a real `YYYY-MM-DD` date.
pub(crate) fn date_prefix(s: &str) -> Option<Date> {
    s.trim().get(..10)?.parse().ok()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The date a field gives, as written (no time zone conversion): `YYYY-MM-DD` with or without a
/// time after it, `YYYY/MM/DD`, `YYYY-M-D`, or a month's name with a day and a year in either
/// order (`Jul 08 2022`, `July 8, 2022`, `8 July 2022`, RFC 822's `Mon, 01 Jan 2024 10:00 GMT`).
pub(crate) fn written_date(s: &str) -> Option<Date> {
    if let Some(date) = date_prefix(s) {
        return Some(date);
    }
    let tokens: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(8)
        .collect();
    let number = |t: &str| {
        t.parse::<u16>()
            .ok()
            .filter(|_| t.bytes().all(|b| b.is_ascii_digit()))
    };
    let real = |year: u16, month: u8, day: u8| {
        Date::is_valid(year, month, day).then_some(Date { year, month, day })
    };
    // Numbers only: year first.
    if let [y, m, d, ..] = tokens.as_slice()
        && y.len() == 4
        && let (Some(year), Some(month), Some(day)) = (number(y), number(m), number(d))
        && m.len() <= 2
        && d.len() <= 2
    {
        return real(year, month as u8, day as u8);
    }
    let month_at = tokens.iter().position(|t| {
        let lower = t.to_ascii_lowercase();
        t.len() >= 3 && t.bytes().all(|b| b.is_ascii_alphabetic()) && MONTHS.contains(&&lower[..3])
    })?;
    let month = MONTHS
        .iter()
        .position(|m| *m == tokens[month_at][..3].to_ascii_lowercase())? as u8
        + 1;
    let (mut day, mut year) = (None, None);
    for t in tokens
        .iter()
        .filter_map(|t| number(t).map(|n| (t.len(), n)))
    {
        match t {
            (4, n) if year.is_none() => year = Some(n),
            (1 | 2, n) if day.is_none() => day = Some(n as u8),
            _ => {}
        }
        if day.is_some() && year.is_some() {
            break;
        }
    }
    real(year?, month, day?)
}

/// Tags as docs/IMPORT.md says: trimmed, a leading `#` dropped, de-duplicated
/// case-insensitively keeping the first spelling, empty ones dropped.
pub(crate) fn clean_tags(raw: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut tags = Vec::new();
    for tag in raw {
        let tag = one_line(&tag);
        let tag = tag.strip_prefix('#').unwrap_or(&tag).trim();
        if tag.is_empty() {
            continue;
        }
        if seen.insert(tag.to_lowercase()) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// Collapses white space runs to one space and trims, control characters counted as white
/// space (posts.json refuses them in tags): titles, summaries and tags as one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_become_dates() {
        assert_eq!(date_from_unix(0).to_string(), "1970-01-01");
        assert_eq!(date_from_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(date_from_unix(1_796_428_800).to_string(), "2026-12-05");
        assert_eq!(date_from_unix(-86_400).to_string(), "1969-12-31");
    }

    #[test]
    fn dates_are_read_as_written() {
        let d = |s| written_date(s).map(|d| d.to_string());
        for (written, date) in [
            ("2024-01-02", "2024-01-02"),
            ("2024-01-02T23:30:00-08:00", "2024-01-02"),
            ("2024/01/02", "2024-01-02"),
            ("2024-1-2", "2024-01-02"),
            ("Jul 08 2022", "2022-07-08"),
            ("July 8, 2022", "2022-07-08"),
            ("8 July 2022", "2022-07-08"),
            ("Mon, 01 Jan 2024 23:30:00 -0800", "2024-01-01"),
        ] {
            assert_eq!(d(written).as_deref(), Some(date), "{written}");
        }
        for nonsense in ["yesterday", "2024-02-30", "Feb 30 2024", "12345", ""] {
            assert_eq!(d(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn tags_are_cleaned_keeping_the_first_spelling() {
        let tags = clean_tags(["Rust", " rust", "#web", "", "Web", " a b "].map(String::from));
        assert_eq!(tags, ["Rust", "web", "a b"]);
    }
}
