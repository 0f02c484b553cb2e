//! posts.json version 1: the schema, its validation and its limits (docs/DESIGN.md, "posts.json").
//!
//! Parsing never panics, whatever the bytes. Errors name the post (index and id) and the field,
//! or the line and column for syntax errors; every error is reported (up to a cap) so one bad post
//! never hides another. Warnings (dropped links, unknown fields, a BOM, ...) travel beside the
//! result. Posts come out sorted by id (UTF-8 bytes), the order every later stage relies on.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Issue, Location, Warning, quote, shorten};
use crate::json::{self, Value};
use crate::style::Style;
use crate::whatwg;

/// How many errors an [`crate::Error::InvalidPosts`] keeps; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// How many warnings [`Parsed::warnings`] keeps; past that one last warning counts the rest.
pub const MAX_REPORTED_WARNINGS: usize = 1000;

/// Input size limits. `Default` gives docs/DESIGN.md's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most posts in one file.
    pub max_posts: usize,
    /// Most bytes in one file.
    pub max_bytes: usize,
    /// Longest id, in characters.
    pub max_id_chars: usize,
    /// Longest title, in characters.
    pub max_title_chars: usize,
    /// Longest summary, in characters.
    pub max_summary_chars: usize,
    /// Longest URL, in characters.
    pub max_url_chars: usize,
    /// Most tags on one post.
    pub max_tags: usize,
    /// Longest tag, in characters.
    pub max_tag_chars: usize,
    /// Most links on one post.
    pub max_links: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_posts: 1_000_000,
            max_bytes: 256 * 1024 * 1024,
            max_id_chars: 200,
            max_title_chars: 500,
            max_summary_chars: 2000,
            max_url_chars: 2048,
            max_tags: 64,
            max_tag_chars: 100,
            max_links: 10_000,
        }
    }
}

/// A calendar date (proleptic Gregorian), always a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31 (and real for the month).
    pub day: u8,
}

impl Date {
    /// A key whose order is the dates' order (for [`crate::sort`]).
    pub fn sort_key(self) -> u64 {
        u64::from(self.year) << 9 | u64::from(self.month) << 5 | u64::from(self.day)
    }

    /// Whether `year-month-day` is a real date (proleptic Gregorian, years 1..=9999).
    pub fn is_valid(year: u16, month: u8, day: u8) -> bool {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=9999).contains(&year) && (1..=days).contains(&day)
    }

    /// Days since 0001-01-01 (for spacing dates on a line; monotonic in the date).
    pub fn day_number(&self) -> i64 {
        // Shift the year to start in March so the leap day is the year's last.
        let (y, m) = if self.month <= 2 {
            (i64::from(self.year) - 1, i64::from(self.month) + 9)
        } else {
            (i64::from(self.year), i64::from(self.month) - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i64::from(self.day) - 1
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// Parses exactly `YYYY-MM-DD`, and only real dates.
    fn from_str(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return Err(format!("{} is not a YYYY-MM-DD date", quote(s)));
        }
        let num =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        let (year, month, day) = (num(0..4), num(5..7) as u8, num(8..10) as u8);
        if !Date::is_valid(year, month, day) {
            return Err(format!("{} is not a real date", quote(s)));
        }
        Ok(Date { year, month, day })
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One valid post. Strings are as in the file; `links` holds only ids of other posts in the same
/// file, each once (missing, self and duplicate links were dropped with a warning).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Unique id, 1..=200 characters, no control characters.
    pub id: String,
    /// Title, shown as text only.
    pub title: String,
    /// Relative, http or https URL, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Tags, in file order, without duplicates; the first is the post's primary tag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Ids this post links to, in file order, without duplicates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Summary, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Size hint, finite and > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A successfully parsed posts file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The posts, sorted by id (UTF-8 bytes).
    pub posts: Vec<Post>,
    /// Everything accepted but dropped or ignored, in file order.
    pub warnings: Vec<Warning>,
    /// How many links were dropped (missing target, self-link, duplicate).
    pub dropped_links: usize,
    /// The top-level `centre`: the id of the post whose local graph these posts are, as
    /// `logmesh prerender --local` writes them (docs/DESIGN.md, "Local graph").
    pub centre: Option<String>,
    /// The top-level `style` of a version 2 file: the site's colours and label font, as
    /// `logmesh prerender` bakes them into the page data (docs/DESIGN.md, "A site's colours").
    pub style: Option<Style>,
}

/// Parses and validates a posts file with the default [`Limits`].
pub fn parse(bytes: &[u8]) -> crate::Result<Parsed> {
    parse_with(bytes, &Limits::default())
}

/// Parses and validates a posts file.
///
/// The checks, in order (docs/DESIGN.md, "posts.json"):
/// - the size (`max_bytes`, counting a BOM), then UTF-8 (the first bad byte's line and column),
///   then JSON syntax ([`json::parse`]'s message, line and column; nesting deeper than
///   [`json::MAX_DEPTH`] levels is a syntax error, wherever it is; so is a list or an object of
///   more entries than the largest of `max_posts`, `max_links` and `max_tags`, found as it is
///   read, so an oversized file is refused before it is built). Any of these is the only error
///   reported. A leading UTF-8 BOM is dropped with a warning; line and column numbers are
///   counted after it, in bytes, from 1.
/// - the document: an object with `version` exactly the integer `1` (`1.0` and `"1"` are errors)
///   and `posts` a list of at most `max_posts` entries. Unknown top-level fields are warnings.
/// - each post on its own, so every problem of every post is reported (up to
///   [`MAX_REPORTED_ERRORS`], the rest counted in `more`), in file order.
///
/// Per post: `null` for an optional field (`url`, `date`, `tags`, `links`, `summary`, `weight`)
/// means the field is absent; `null` for `id` or `title` is an error. A field given twice in one
/// object is an error (JSON parsers disagree on which value wins). Lengths count characters
/// (Unicode scalar values). Ids and tags may not contain control characters (Unicode `Cc`);
/// titles and summaries may (they are only ever shown as text, never as markup). A URL is parsed as a browser would (WHATWG), relative to the page;
/// after parsing its scheme must be `http` or `https` (so a protocol-relative `//host/x` is
/// accepted); the string is kept as written. An empty `url` is an error, and so is one of only
/// spaces and C0 controls (a browser strips them all, leaving a link to the page itself).
///
/// Posts come out sorted by id (UTF-8 bytes), so the result does not depend on the file's order;
/// warnings stay in file order, at most [`MAX_REPORTED_WARNINGS`] plus one counting the rest.
pub fn parse_with(bytes: &[u8], limits: &Limits) -> crate::Result<Parsed> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large(bytes.len() as u64, limits));
    }
    let mut report = Report::default();
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            report.warn(|| Issue {
                location: Location::Document {
                    field: String::new(),
                },
                message: "UTF-8 byte order mark ignored".to_owned(),
            });
            rest
        }
        None => bytes,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| invalid_utf8(bytes, e.valid_up_to()))?;

    let max_entries = limits.max_posts.max(limits.max_links).max(limits.max_tags);
    let doc = json::parse_with(text, max_entries).map_err(|e| {
        if e.message == json::TOO_MANY_ENTRIES {
            let (line, column) = e.line_column(text);
            single(
                Location::Text { line, column },
                format!(
                    "a list or object of more than {max_entries} entries (at most {} posts)",
                    limits.max_posts
                ),
            )
        } else {
            syntax_error(text, &e)
        }
    })?;
    let document = read_document(&doc, limits.max_posts);
    let (centre, style) = match &document {
        Shape::Is(raw) => (raw.centre, raw.style),
        Shape::Other(_) => (None, None),
    };
    let list = check_document(document, limits, &mut report);
    let raw = list.map(|list| list.posts).unwrap_or_default();

    let mut known = Known {
        limits,
        ids: HashMap::with_capacity(raw.len()),
    };
    for (index, post) in raw.iter().enumerate() {
        if let RawPost::Object(fields) = post
            && let Some(Value::String(id)) = fields.id
        {
            known.ids.entry(id.as_ref()).or_insert(index);
        }
    }
    let mut drops = Vec::new();
    let mut seen = FirstSeen::default();
    let mut dropped_links = 0;
    for (index, post) in raw.iter().enumerate() {
        let mut check = PostCheck {
            report: &mut report,
            index,
            id: None,
        };
        match post {
            RawPost::Object(fields) => {
                dropped_links += check.post(fields, &known, &mut seen, &mut drops);
            }
            RawPost::Other(kind) => {
                check.error(
                    Field::Whole,
                    format_args!("expected an object, found {kind}"),
                );
            }
        }
    }
    let centre = centre.and_then(|value| {
        let issue = |message: String| Issue {
            location: Location::Document {
                field: "centre".to_owned(),
            },
            message,
        };
        match value {
            Value::String(id) if known.ids.contains_key(id.as_ref()) => Some(id.to_string()),
            Value::String(id) => {
                report.error(|| issue(format!("{} is not the id of a post here", quote(id))));
                None
            }
            other => {
                report.error(|| issue(format!("expected a string, found {}", other.kind())));
                None
            }
        }
    });
    drop(known);
    let style = style.and_then(|value| match Style::from_json(value) {
        Ok(style) => Some(style),
        Err(message) => {
            report.error(|| Issue {
                location: Location::Document {
                    field: "style".to_owned(),
                },
                message,
            });
            None
        }
    });

    let Report {
        errors,
        more_errors,
        mut warnings,
        more_warnings,
    } = report;
    if !errors.is_empty() {
        return Err(Error::InvalidPosts {
            issues: errors,
            more: more_errors,
        });
    }
    if more_warnings > 0 {
        warnings.push(Warning(Issue {
            location: Location::Document {
                field: String::new(),
            },
            message: format!("{more_warnings} more warnings not shown"),
        }));
    }

    let mut drops = drops.into_iter().peekable();
    let mut posts = Vec::with_capacity(raw.len());
    for (index, post) in raw.into_iter().enumerate() {
        let RawPost::Object(f) = post else { continue };
        let mut kept = |list: &'static str, values: Option<&Value>| -> Vec<String> {
            let Some(Value::Array(values)) = values else {
                return Vec::new();
            };
            let mut out = Vec::with_capacity(values.len());
            for (j, value) in values.iter().enumerate() {
                if drops.next_if(|d| *d == (index, list, j)).is_some() {
                    continue;
                }
                if let Value::String(s) = value {
                    out.push(s.as_ref().to_owned());
                }
            }
            out
        };
        let tags = kept("tags", f.tags);
        let links = kept("links", f.links);
        posts.push(Post {
            id: into_string(f.id).unwrap_or_default(),
            title: into_string(f.title).unwrap_or_default(),
            url: into_string(f.url),
            date: match f.date {
                Some(Value::String(s)) => s.parse().ok(),
                _ => None,
            },
            tags,
            links,
            summary: into_string(f.summary),
            weight: match f.weight {
                Some(Value::Number(n)) => Some(n.as_f64()),
                _ => None,
            },
        });
    }
    #[allow(
        clippy::disallowed_methods,
        reason = "the one string sort: ids do not pack into a u64 key (docs/SIZE.md, rule 3)"
    )]
    posts.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(Parsed {
        posts,
        warnings,
        dropped_links,
        centre,
        style,
    })
}

/// The error for a posts file of `len` bytes, more than `limits.max_bytes` (what [`parse_with`]
/// reports; a reader that knows the length first, such as the CLI, reports it without reading).
pub fn too_large(len: u64, limits: &Limits) -> Error {
    single(
        Location::Document {
            field: String::new(),
        },
        format!("{len} bytes, more than the limit of {}", limits.max_bytes),
    )
}

/// Checks `version` and `posts`; returns the posts when `posts` is a list.
fn check_document<'de>(
    doc: Shape<RawDoc<'de>>,
    limits: &Limits,
    report: &mut Report,
) -> Option<PostsList<'de>> {
    let doc_issue = |field: &str, message: String| Issue {
        location: Location::Document {
            field: field.to_owned(),
        },
        message,
    };
    let doc = match doc {
        Shape::Is(doc) => doc,
        Shape::Other(kind) => {
            report.error(|| doc_issue("", format!("expected an object, found {kind}")));
            return None;
        }
    };
    for name in unique(&doc.unknown) {
        report.warn(|| doc_issue("", format!("unknown field {}, ignored", quote(name))));
    }
    match &doc.version {
        None => report.error(|| doc_issue("version", "missing".to_owned())),
        Some(Value::Number(n)) if matches!(n.as_u64(), Some(1 | 2)) => {}
        Some(Value::Number(n)) => {
            report.error(|| doc_issue("version", format!("expected 1 or 2, found {n}")))
        }
        Some(v) => {
            report.error(|| doc_issue("version", format!("expected 1 or 2, found {}", v.kind())))
        }
    }
    let list = match doc.posts {
        None => {
            report.error(|| doc_issue("posts", "missing".to_owned()));
            None
        }
        Some(Shape::Other(kind)) => {
            report.error(|| doc_issue("posts", format!("expected a list, found {kind}")));
            None
        }
        Some(Shape::Is(list)) => {
            if list.total > limits.max_posts {
                report.error(|| {
                    doc_issue(
                        "posts",
                        format!(
                            "{} posts, more than the limit of {}",
                            list.total, limits.max_posts
                        ),
                    )
                });
            } else if list.total == 0 {
                report.warn(|| doc_issue("posts", "the list is empty".to_owned()));
            }
            Some(list)
        }
    };
    for &name in &doc.duplicates {
        report.error(|| doc_issue(name, "duplicate field".to_owned()));
    }
    list
}

/// Errors and warnings so far, capped.
#[derive(Default)]
struct Report {
    errors: Vec<Issue>,
    more_errors: usize,
    warnings: Vec<Warning>,
    more_warnings: usize,
}

impl Report {
    /// Keeps the error `issue()` builds, or only counts it once the cap is reached.
    fn error(&mut self, issue: impl FnOnce() -> Issue) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(issue());
        } else {
            self.more_errors += 1;
        }
    }

    /// Keeps the warning `issue()` builds, or only counts it once the cap is reached.
    fn warn(&mut self, issue: impl FnOnce() -> Issue) {
        if self.warnings.len() < MAX_REPORTED_WARNINGS {
            self.warnings.push(Warning(issue()));
        } else {
            self.more_warnings += 1;
        }
    }
}

/// A field of a post, formatted only when a message needs it.
#[derive(Debug, Clone, Copy)]
enum Field {
    /// The post as a whole.
    Whole,
    /// A field, e.g. `title`.
    Name(&'static str),
    /// An entry of a list field, e.g. `tags[3]`.
    Entry(&'static str, usize),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Whole => Ok(()),
            Field::Name(name) => f.write_str(name),
            Field::Entry(name, i) => write!(f, "{name}[{i}]"),
        }
    }
}

/// Builds, when called, an issue of post `index`.
fn post_issue<'x>(
    index: usize,
    id: Option<&'x str>,
    field: Field,
    message: fmt::Arguments<'x>,
) -> impl FnOnce() -> Issue + 'x {
    move || Issue {
        location: Location::Post {
            index,
            id: id.map(shorten),
            field: field.to_string(),
        },
        message: message.to_string(),
    }
}

/// What every post is checked against.
struct Known<'a> {
    limits: &'a Limits,
    /// Every id that is a string, with the first post that has it: for duplicates and links.
    ids: HashMap<&'a str, usize>,
}

/// One post being checked: reports its problems with its index and id.
struct PostCheck<'r, 'a> {
    report: &'r mut Report,
    index: usize,
    /// The post's id, when it is a non-empty string (even an otherwise invalid one).
    id: Option<&'a str>,
}

impl<'a> PostCheck<'_, 'a> {
    fn error(&mut self, field: Field, message: fmt::Arguments<'_>) {
        let issue = post_issue(self.index, self.id, field, message);
        self.report.error(issue);
    }

    fn warn(&mut self, field: Field, message: fmt::Arguments<'_>) {
        let issue = post_issue(self.index, self.id, field, message);
        self.report.warn(issue);
    }

    /// Reports a string longer than `max` characters; true when it is within the limit.
    fn length(&mut self, field: Field, s: &str, max: usize) -> bool {
        // Counting stops after `max + 1` characters; only a string over the limit is counted in
        // full, for the message.
        if s.len() <= max || s.chars().nth(max).is_none() {
            return true;
        }
        let n = s.chars().count();
        self.error(
            field,
            format_args!("{n} characters, more than the limit of {max}"),
        );
        false
    }

    fn control(&mut self, field: Field, s: &str) {
        if let Some(c) = s.chars().find(|c| c.is_control()) {
            self.error(
                field,
                format_args!("control character {} is not allowed", escape_char(c)),
            );
        }
    }

    fn expected(&mut self, field: Field, what: &str, found: &Value<'_>) {
        self.error(
            field,
            format_args!("expected {what}, found {}", found.kind()),
        );
    }

    /// Checks one post; returns how many of its links were dropped.
    fn post(
        &mut self,
        f: &'a RawFields<'a>,
        known: &Known<'_>,
        seen: &mut FirstSeen<'a>,
        drops: &mut Vec<(usize, &'static str, usize)>,
    ) -> usize {
        let (limits, ids) = (known.limits, &known.ids);
        let id = match &f.id {
            Some(Value::String(s)) => Some(s.as_ref()),
            _ => None,
        };
        self.id = id.filter(|s| !s.is_empty());

        let field = Field::Name("id");
        match (&f.id, id) {
            (None, _) => self.error(field, format_args!("missing")),
            (_, Some("")) => self.error(field, format_args!("empty")),
            (_, Some(s)) => {
                self.length(field, s, limits.max_id_chars);
                self.control(field, s);
                if let Some(&first) = ids.get(s)
                    && first != self.index
                {
                    self.error(field, format_args!("already used by posts[{first}]"));
                }
            }
            (Some(v), None) => self.expected(field, "a string", v),
        }

        let field = Field::Name("title");
        match &f.title {
            None => self.error(field, format_args!("missing")),
            Some(Value::String(s)) if s.is_empty() => self.error(field, format_args!("empty")),
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.error(field, format_args!("only whitespace"));
            }
            Some(Value::String(s)) => {
                self.length(field, s, limits.max_title_chars);
            }
            Some(v) => self.expected(field, "a string", v),
        }

        let field = Field::Name("url");
        match &f.url {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() => self.error(field, format_args!("empty")),
            Some(Value::String(s)) if whatwg::is_blank(s) => self.error(
                field,
                format_args!("only spaces and control characters, which a browser ignores"),
            ),
            Some(Value::String(s)) => {
                if self.length(field, s, limits.max_url_chars) {
                    self.url(s);
                }
            }
            Some(v) => self.expected(field, "a string", v),
        }

        let field = Field::Name("date");
        match &f.date {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                if let Err(message) = s.parse::<Date>() {
                    self.error(field, format_args!("{message}"));
                }
            }
            Some(v) => self.expected(field, "a string", v),
        }

        match &f.tags {
            None | Some(Value::Null) => {}
            Some(Value::Array(tags)) if tags.len() > limits.max_tags => self.error(
                Field::Name("tags"),
                format_args!(
                    "{} tags, more than the limit of {}",
                    tags.len(),
                    limits.max_tags
                ),
            ),
            Some(Value::Array(tags)) => {
                seen.clear();
                for (j, tag) in tags.iter().enumerate() {
                    let field = Field::Entry("tags", j);
                    let Value::String(tag) = tag else {
                        self.expected(field, "a string", tag);
                        continue;
                    };
                    if tag.is_empty() {
                        self.error(field, format_args!("empty"));
                    } else if let Some(first) = seen.first(tag, j) {
                        self.warn(field, format_args!("duplicate of tags[{first}], dropped"));
                        drops.push((self.index, "tags", j));
                    } else {
                        self.length(field, tag, limits.max_tag_chars);
                        self.control(field, tag);
                    }
                }
            }
            Some(v) => self.expected(Field::Name("tags"), "a list", v),
        }

        let mut dropped = 0;
        match &f.links {
            None | Some(Value::Null) => {}
            Some(Value::Array(links)) if links.len() > limits.max_links => self.error(
                Field::Name("links"),
                format_args!(
                    "{} links, more than the limit of {}",
                    links.len(),
                    limits.max_links
                ),
            ),
            Some(Value::Array(links)) => {
                seen.clear();
                for (j, link) in links.iter().enumerate() {
                    let field = Field::Entry("links", j);
                    let Value::String(link) = link else {
                        self.expected(field, "a string", link);
                        continue;
                    };
                    if Some(link.as_ref()) == id {
                        self.warn(field, format_args!("links to the post itself, dropped"));
                    } else if !ids.contains_key(link.as_ref()) {
                        self.warn(
                            field,
                            format_args!("no post has the id {}, dropped", quote(link)),
                        );
                    } else if let Some(first) = seen.first(link, j) {
                        self.warn(field, format_args!("duplicate of links[{first}], dropped"));
                    } else {
                        continue;
                    }
                    dropped += 1;
                    drops.push((self.index, "links", j));
                }
            }
            Some(v) => self.expected(Field::Name("links"), "a list", v),
        }

        let field = Field::Name("summary");
        match &f.summary {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                self.length(field, s, limits.max_summary_chars);
            }
            Some(v) => self.expected(field, "a string", v),
        }

        let field = Field::Name("weight");
        match &f.weight {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if !n.as_f64().is_finite() => {
                self.error(field, format_args!("{n} is not a finite number"));
            }
            Some(Value::Number(n)) if n.as_f64() > 0.0 => {}
            Some(Value::Number(n)) => self.error(field, format_args!("{n} is not greater than 0")),
            Some(v) => self.expected(field, "a number", v),
        }

        for &name in &f.duplicates {
            self.error(Field::Name(name), format_args!("duplicate field"));
        }
        for name in unique(&f.unknown) {
            self.warn(
                Field::Whole,
                format_args!("unknown field {}, ignored", quote(name)),
            );
        }
        dropped
    }

    /// Parses `s` as a browser would, relative to the page, and checks the scheme.
    fn url(&mut self, s: &str) {
        let field = Field::Name("url");
        match whatwg::scheme(s) {
            Ok(scheme) if matches!(scheme.as_str(), "http" | "https") => {}
            Ok(scheme) => self.error(
                field,
                format_args!("scheme {} is not allowed", quote(&scheme)),
            ),
            Err(e) => self.error(field, format_args!("not a valid URL: {e}")),
        }
    }
}

/// Finds the first earlier occurrence of a string in a list: a linear scan while the list is
/// short, a hash map past that (links may number 10,000). Reused from list to list.
#[derive(Default)]
struct FirstSeen<'a> {
    short: Vec<(&'a str, usize)>,
    long: HashMap<&'a str, usize>,
}

impl<'a> FirstSeen<'a> {
    const SHORT: usize = 16;

    fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }

    /// The index `s` was first seen at; `None` (and `s` recorded at `index`) when it is new.
    fn first(&mut self, s: &'a str, index: usize) -> Option<usize> {
        if self.long.is_empty() {
            if let Some(&(_, first)) = self.short.iter().find(|(t, _)| *t == s) {
                return Some(first);
            }
            if self.short.len() < Self::SHORT {
                self.short.push((s, index));
                return None;
            }
            self.long.extend(self.short.drain(..));
        }
        match self.long.entry(s) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(index);
                None
            }
        }
    }
}

/// The names in `names`, each once, in first-seen order.
fn unique<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut seen = FirstSeen::default();
    names
        .iter()
        .enumerate()
        .filter(|&(i, name)| seen.first(name, i).is_none())
        .map(|(_, &name)| name)
        .collect()
}

/// `\u{0007}`: a character as [`quote`] escapes it.
fn escape_char(c: char) -> String {
    format!("\\u{{{:04x}}}", c as u32)
}

fn into_string(v: Option<&Value<'_>>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.as_ref().to_owned()),
        _ => None,
    }
}

fn single(location: Location, message: String) -> Error {
    Error::InvalidPosts {
        issues: vec![Issue { location, message }],
        more: 0,
    }
}

fn invalid_utf8(bytes: &[u8], at: usize) -> Error {
    let (line, column) = json::text_position(bytes, at);
    let byte = bytes.get(at).copied().unwrap_or(0);
    single(
        Location::Text { line, column },
        format!("invalid UTF-8 (byte 0x{byte:02x})"),
    )
}

/// A syntax error as the one issue: its line and column, and its message.
fn syntax_error(text: &str, e: &json::SyntaxError) -> Error {
    let (line, column) = e.line_column(text);
    single(Location::Text { line, column }, e.message.to_owned())
}

// ---- The first step: JSON values to raw documents and posts -------------------------------------
//
// The document and each post are read from the value tree field by field: fields given twice are
// seen (a map would keep one silently), unknown fields are only named, and entries of `posts`
// past `max_posts` are only counted. Field values stay `Value`s, checked in the second step.

/// A JSON value that is the expected kind (`Is`), or what it was instead.
enum Shape<T> {
    Is(T),
    Other(&'static str),
}

/// The raw fields of a post object, borrowed from the value tree (so a post costs a few
/// pointers beside the tree, not a copy of its values); `None` when absent.
#[derive(Default)]
struct RawFields<'a> {
    id: Option<&'a Value<'a>>,
    title: Option<&'a Value<'a>>,
    url: Option<&'a Value<'a>>,
    date: Option<&'a Value<'a>>,
    tags: Option<&'a Value<'a>>,
    links: Option<&'a Value<'a>>,
    summary: Option<&'a Value<'a>>,
    weight: Option<&'a Value<'a>>,
    /// Known fields given more than once (each repeat; the first value is kept).
    duplicates: Vec<&'static str>,
    /// Unknown field names, in file order, repeats included.
    unknown: Vec<&'a str>,
}

impl<'a> RawFields<'a> {
    fn slot(&mut self, key: &str) -> Option<(&'static str, &mut Option<&'a Value<'a>>)> {
        Some(match key {
            "id" => ("id", &mut self.id),
            "title" => ("title", &mut self.title),
            "url" => ("url", &mut self.url),
            "date" => ("date", &mut self.date),
            "tags" => ("tags", &mut self.tags),
            "links" => ("links", &mut self.links),
            "summary" => ("summary", &mut self.summary),
            "weight" => ("weight", &mut self.weight),
            _ => return None,
        })
    }
}

/// One entry of `posts`.
enum RawPost<'a> {
    Object(RawFields<'a>),
    Other(&'static str),
}

/// The `posts` list: the first `max_posts` entries, and how many there were.
struct PostsList<'a> {
    posts: Vec<RawPost<'a>>,
    total: usize,
}

/// The top-level object.
struct RawDoc<'a> {
    version: Option<&'a Value<'a>>,
    posts: Option<Shape<PostsList<'a>>>,
    centre: Option<&'a Value<'a>>,
    /// Read only in a version 2 document (version 1 knows no `style`: an unknown field).
    style: Option<&'a Value<'a>>,
    duplicates: Vec<&'static str>,
    unknown: Vec<&'a str>,
}

fn read_document<'a>(doc: &'a Value<'a>, max_posts: usize) -> Shape<RawDoc<'a>> {
    let Value::Object(entries) = doc else {
        return Shape::Other(doc.kind());
    };
    let mut raw = RawDoc {
        version: None,
        posts: None,
        centre: None,
        style: None,
        duplicates: Vec::new(),
        unknown: Vec::new(),
    };
    let version_2 = entries
        .iter()
        .any(|(k, v)| k == "version" && matches!(v, Value::Number(n) if n.as_u64() == Some(2)));
    for (key, value) in entries {
        match key.as_ref() {
            "version" if raw.version.is_none() => raw.version = Some(value),
            "posts" if raw.posts.is_none() => raw.posts = Some(read_posts(value, max_posts)),
            "centre" if raw.centre.is_none() => raw.centre = Some(value),
            "style" if version_2 && raw.style.is_none() => raw.style = Some(value),
            "style" if version_2 => raw.duplicates.push("style"),
            "version" => raw.duplicates.push("version"),
            "posts" => raw.duplicates.push("posts"),
            "centre" => raw.duplicates.push("centre"),
            _ => raw.unknown.push(key),
        }
    }
    Shape::Is(raw)
}

fn read_posts<'a>(list: &'a Value<'a>, max_posts: usize) -> Shape<PostsList<'a>> {
    let Value::Array(items) = list else {
        return Shape::Other(list.kind());
    };
    let total = items.len();
    let posts = items.iter().take(max_posts).map(read_post).collect();
    Shape::Is(PostsList { posts, total })
}

fn read_post<'a>(post: &'a Value<'a>) -> RawPost<'a> {
    let Value::Object(entries) = post else {
        return RawPost::Other(post.kind());
    };
    let mut fields = RawFields::default();
    for (key, value) in entries {
        match fields.slot(key) {
            Some((_, slot @ None)) => *slot = Some(value),
            Some((name, Some(_))) => fields.duplicates.push(name),
            None => fields.unknown.push(key),
        }
    }
    RawPost::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_seen_short_and_long() {
        let words: Vec<String> = (0..40).map(|i| format!("w{}", i % 20)).collect();
        let mut seen = FirstSeen::default();
        for (i, w) in words.iter().enumerate() {
            let expected = if i < 20 { None } else { Some(i - 20) };
            assert_eq!(seen.first(w, i), expected, "at {i}");
        }
        seen.clear();
        assert_eq!(seen.first("w0", 7), None);
        assert_eq!(seen.first("w0", 8), Some(7));
    }

    #[test]
    fn unique_keeps_first_order() {
        assert_eq!(unique(&["b", "a", "b", "c", "a"]), ["b", "a", "c"]);
    }

    #[test]
    fn text_positions() {
        use json::text_position;
        assert_eq!(text_position(b"", 0), (1, 1));
        assert_eq!(text_position(b"ab\ncd", 4), (2, 2));
        assert_eq!(text_position(b"ab\n", 3), (2, 1));
        assert_eq!(text_position(b"ab", 99), (1, 3));
    }

    #[test]
    fn escapes_like_quote() {
        assert_eq!(escape_char('\u{7}'), "\\u{0007}");
        assert_eq!(quote("\u{7}"), format!("\"{}\"", escape_char('\u{7}')));
    }

    #[test]
    fn a_syntax_error_is_one_issue_at_its_place() {
        let e = json::parse("{").expect_err("a syntax error");
        assert_eq!(
            syntax_error("{", &e).to_string(),
            "line 1, column 2: the text ends inside an object"
        );
    }

    #[test]
    fn dates() {
        assert_eq!("2024-02-29".parse::<Date>().map(|d| d.day), Ok(29));
        assert_eq!(
            "2023-02-29".parse::<Date>(),
            Err("\"2023-02-29\" is not a real date".to_owned())
        );
    }
}
