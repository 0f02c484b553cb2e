//! What each fuzz target checks, one public function per target, each taking the raw input.
//!
//! Every function panics when a property fails, which libFuzzer reports as a crash. The same
//! file is compiled into the main crate's `tests/fuzz_corpus.rs` (through `#[path]`), so the
//! corpus and every saved crash are replayed by a plain `cargo test` with exactly these checks.
//! It may therefore use only `logmesh`, its normal dependencies and the standard library.
//!
//! - [`posts`]: `posts::parse` never panics; what it accepts keeps its promises (sorted unique
//!   ids, links to other posts only, capped warnings) and reads back the same from
//!   posts.min.json; what it refuses is reported within the error cap.
//! - [`layout`]: `LayoutFile::parse` never panics; an accepted file is finite and reads back the
//!   same from its own JSON.
//! - [`export`]: posts decoded straight from the bytes (any title, id, URL, tag, base and archive
//!   URL, bypassing the parser's validation) drawn at positions from the bytes; the SVG frames
//!   and embed.html must be well-formed markup of the writers' fixed elements and attributes,
//!   with no event handler, no `style` and no URL other than http, https or relative.
//! - [`import`]: the import over one file of any bytes (read as Markdown, HTML, RSS/Atom or a
//!   JSON Feed, with the options the first byte picks) beside a small fixed site never panics
//!   and always writes a valid posts.json: it parses back, without a warning, to the same posts.
//! - [`decimal`]: `decimal::parse_f64` gives the bits of `str::parse::<f64>` on any JSON number
//!   text built from the bytes.

use logmesh::camera::Viewport;
use logmesh::export::{self, EmbedFiles, EmbedInput, EmbedTwoD};
use logmesh::graph::PostGraph;
use logmesh::layout::LayoutFile;
use logmesh::posts::{self, Date, Limits, Post};
use logmesh::scene::Mode;
use logmesh::site::{self, FirstFrame};
use logmesh::style::Theme;

/// The posts parser, with the default limits and with tight ones (so the limit paths are
/// reached by small inputs).
pub fn posts(data: &[u8]) {
    posts_with(data, &Limits::default());
    let tight = Limits {
        max_posts: 4,
        max_bytes: 4096,
        max_id_chars: 8,
        max_title_chars: 16,
        max_summary_chars: 16,
        max_url_chars: 32,
        max_tags: 3,
        max_tag_chars: 8,
        max_links: 3,
    };
    posts_with(data, &tight);
}

fn posts_with(data: &[u8], limits: &Limits) {
    let parsed = match posts::parse_with(data, limits) {
        Ok(parsed) => parsed,
        Err(error) => {
            assert!(
                error.issues().len() <= posts::MAX_REPORTED_ERRORS,
                "{} issues kept",
                error.issues().len()
            );
            assert!(!error.to_string().is_empty(), "an error without a message");
            return;
        }
    };
    assert!(parsed.posts.len() <= limits.max_posts);
    assert!(parsed.warnings.len() <= posts::MAX_REPORTED_WARNINGS + 1);
    for pair in parsed.posts.windows(2) {
        assert!(
            pair[0].id.as_bytes() < pair[1].id.as_bytes(),
            "ids not sorted and unique: {:?} {:?}",
            pair[0].id,
            pair[1].id
        );
    }
    for post in &parsed.posts {
        let chars = post.id.chars().count();
        assert!(
            (1..=limits.max_id_chars).contains(&chars),
            "id {:?}",
            post.id
        );
        assert!(!post.id.chars().any(char::is_control), "id {:?}", post.id);
        assert!(post.title.chars().count() <= limits.max_title_chars);
        assert!(post.tags.len() <= limits.max_tags);
        assert!(post.links.len() <= limits.max_links);
        if let Some(url) = &post.url {
            assert!(export::is_safe_url(url), "url {url:?} accepted");
        }
        if let Some(date) = post.date {
            assert!(Date::is_valid(date.year, date.month, date.day), "{date:?}");
        }
        if let Some(weight) = post.weight {
            assert!(weight.is_finite() && weight > 0.0, "weight {weight}");
        }
        let mut seen = std::collections::HashSet::new();
        for link in &post.links {
            assert_ne!(link, &post.id, "a self-link kept");
            assert!(seen.insert(link), "link {link:?} kept twice");
            let target = parsed
                .posts
                .binary_search_by(|p| p.id.as_bytes().cmp(link.as_bytes()));
            assert!(target.is_ok(), "link {link:?} to a missing post kept");
        }
        let mut tags = std::collections::HashSet::new();
        for tag in &post.tags {
            assert!(tags.insert(tag), "tag {tag:?} kept twice");
        }
    }
    // The page data reads back as the same posts without summaries, without warnings.
    let page = export::posts_min_json(&parsed.posts);
    let again = posts::parse_with(page.as_bytes(), limits).expect("posts.min.json reads back");
    let expected: Vec<Post> = parsed
        .posts
        .iter()
        .cloned()
        .map(|post| Post {
            summary: None,
            ..post
        })
        .collect();
    assert_eq!(again.posts, expected, "posts.min.json changed the posts");
    // An empty list is valid but always warned about.
    if !expected.is_empty() {
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }
}

/// The layout file reader.
pub fn layout(data: &[u8]) {
    let Ok((file, warnings)) = LayoutFile::parse(data) else {
        return;
    };
    assert!(warnings.len() <= 1, "{warnings:?}");
    for (id, position) in &file.positions {
        assert!(
            position.iter().all(|c| c.is_finite()),
            "{id:?}: {position:?}"
        );
    }
    let json = file.to_json();
    let (again, warnings) = LayoutFile::parse(json.as_bytes()).expect("its own JSON reads back");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(again, file, "to_json changed the file");
}

/// Reads the fuzz input as a few small values and strings (never fails: past the end it gives
/// zeros and empty strings).
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    /// A string of up to 31 bytes of the input, read as UTF-8 (invalid sequences become U+FFFD).
    fn string(&mut self) -> String {
        let len = usize::from(self.byte() % 32).min(self.0.len());
        let (s, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8_lossy(s).into_owned()
    }

    /// A string, or none when the next byte is even.
    fn maybe_string(&mut self) -> Option<String> {
        (self.byte() % 2 == 1).then(|| self.string())
    }

    /// A coordinate: a signed byte, scaled.
    fn coordinate(&mut self) -> f32 {
        f32::from(self.byte() as i8) * 0.75
    }
}

/// At most this many posts in an export input: enough for overlaps, labels and caps.
const MAX_EXPORT_POSTS: usize = 12;

/// Posts with unchecked strings at unchecked positions through the SVG frame writer and
/// embed.html.
pub fn export(data: &[u8]) {
    let mut bytes = Bytes(data);
    let count = usize::from(bytes.byte()) % (MAX_EXPORT_POSTS + 1);
    let base_url = bytes.maybe_string();
    let archive_url = bytes.maybe_string();
    let flags = bytes.byte();
    let mut posts: Vec<Post> = Vec::with_capacity(count);
    let mut link_targets: Vec<Vec<u8>> = Vec::with_capacity(count);
    let mut positions: Vec<(String, [f32; 3])> = Vec::with_capacity(count);
    for _ in 0..count {
        let id = bytes.string();
        let title = bytes.string();
        let url = bytes.maybe_string();
        let tags = (0..bytes.byte() % 4).map(|_| bytes.string()).collect();
        let date = match (bytes.byte(), bytes.byte()) {
            (0, _) => None,
            (m, d) => Some((2000 + u16::from(m), 1 + m % 12, 1 + d % 28)),
        }
        .filter(|&(y, m, d)| Date::is_valid(y, m, d))
        .map(|(year, month, day)| Date { year, month, day });
        let weight = match bytes.byte() {
            0 => None,
            w => Some(f64::from(w) / 16.0),
        };
        let links = (0..bytes.byte() % 4).map(|_| bytes.byte()).collect();
        let position = [bytes.coordinate(), bytes.coordinate(), bytes.coordinate()];
        positions.push((id.clone(), position));
        link_targets.push(links);
        posts.push(Post {
            id,
            title,
            url,
            date,
            tags,
            links: Vec::new(),
            summary: None,
            weight,
        });
    }
    // What the parser guarantees and the graph relies on: unique ids in id order, links to
    // other posts, each once.
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by(|&a, &b| posts[a].id.as_bytes().cmp(posts[b].id.as_bytes()));
    order.dedup_by(|a, b| posts[*a].id == posts[*b].id);
    let ids: Vec<String> = order.iter().map(|&i| posts[i].id.clone()).collect();
    for &i in &order {
        let mut links: Vec<String> = Vec::new();
        for &target in &link_targets[i] {
            let target = &ids[usize::from(target) % ids.len()];
            if *target != posts[i].id && !links.contains(target) {
                links.push(target.clone());
            }
        }
        posts[i].links = links;
    }
    let positions: Vec<[f32; 3]> = order.iter().map(|&i| positions[i].1).collect();
    let posts: Vec<Post> = order.iter().map(|&i| posts[i].clone()).collect();

    let graph = PostGraph::build(&posts);
    let frame = FirstFrame::new(
        site::scene_3d(&posts, &graph, &positions),
        site::DEFAULT_FRAME,
    );
    let phone = Viewport::new(390.0, 390.0, 3.0);
    let two_d = FirstFrame::new(site::scene_2d(&posts, &graph, &positions), phone);

    for theme in Theme::ALL {
        for drawn in [&frame, &two_d] {
            let svg = export::svg::svg_from_projection(&drawn.scene, &drawn.projection, theme);
            check_markup(&svg, Markup::Svg);
        }
    }

    let mut input = EmbedInput::new(&posts, &frame.scene, &frame.projection);
    input.base_url = base_url.as_deref();
    input.archive_url = archive_url.as_deref();
    input.list_cap = usize::from(flags % 16);
    input.link_cap = usize::from(flags / 16);
    if flags % 2 == 1 {
        input.files = EmbedFiles::default().with_webp(Mode::ThreeD);
        let files = EmbedFiles::new(Mode::TwoD, "png").with_webp(Mode::TwoD);
        input.two_d = Some(EmbedTwoD {
            scene: &two_d.scene,
            projection: &two_d.projection,
            frame_dark: files.frame_dark,
            frame_light: files.frame_light,
            frame_dark_webp: files.frame_dark_webp,
            frame_light_webp: files.frame_light_webp,
        });
    }
    let html = export::embed_html(&input);
    check_markup(&html, Markup::Html);
}

/// Which writer's output is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// A standalone SVG document (XML).
    Svg,
    /// The embed.html fragment (HTML with inline SVG).
    Html,
}

const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "defs",
    "radialGradient",
    "stop",
    "rect",
    "g",
    "path",
    "circle",
];

const SVG_ATTRIBUTES: &[&str] = &[
    "xmlns",
    "width",
    "height",
    "viewBox",
    "role",
    "aria-label",
    "id",
    "offset",
    "stop-color",
    "fill",
    "d",
    "stroke",
    "stroke-opacity",
    "stroke-width",
    "stroke-linecap",
    "cx",
    "cy",
    "r",
];

const HTML_ELEMENTS: &[&str] = &[
    "link", "log-mesh", "picture", "source", "img", "svg", "g", "text", "a", "title", "circle",
    "ul", "li", "time",
];

const HTML_ATTRIBUTES: &[&str] = &[
    "rel",
    "href",
    "src",
    "layout",
    "archive",
    "class",
    "type",
    "media",
    "srcset",
    "width",
    "height",
    "fetchpriority",
    "alt",
    "data-mode",
    "aria-hidden",
    "focusable",
    "font-family",
    "font-size",
    "dominant-baseline",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-linejoin",
    "paint-order",
    "pointer-events",
    "x",
    "y",
    "fill-opacity",
    "data-id",
    "tabindex",
    "cx",
    "cy",
    "r",
    "aria-label",
    "datetime",
];

/// HTML elements that have no end tag.
const HTML_VOID: &[&str] = &["link", "source", "img"];

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "srcset", "layout", "archive"];

/// The character references the escaper writes.
const REFERENCES: &[&str] = &[
    "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#9;", "&#10;", "&#13;",
];

/// A strict reader of the markup the writers produce, which is a small subset of XML and HTML:
/// start tags with double-quoted attribute values, end tags, self-closing tags, and text with
/// only the escaper's references. Panics on anything else (a comment, a processing instruction,
/// an unquoted value, a stray `<` or `>`, an unknown reference, an unbalanced tag), on an
/// element or attribute outside the writer's fixed set, on an event handler or `style`
/// attribute, and on a URL that is not http, https or relative, or not written as
/// [`export::safe_href`] writes it.
fn check_markup(markup: &str, kind: Markup) {
    let (elements, attributes) = match kind {
        Markup::Svg => (SVG_ELEMENTS, SVG_ATTRIBUTES),
        Markup::Html => (HTML_ELEMENTS, HTML_ATTRIBUTES),
    };
    for c in markup.chars() {
        assert!(
            !c.is_control() || matches!(c, '\t' | '\n' | '\r'),
            "control character {c:?} in the output"
        );
        assert!(!matches!(c, '\u{FFFE}' | '\u{FFFF}'), "non-character {c:?}");
    }
    let mut open: Vec<&str> = Vec::new();
    let mut rest = markup;
    loop {
        let text_end = rest.find('<').unwrap_or(rest.len());
        check_text(&rest[..text_end], "text");
        rest = &rest[text_end..];
        let Some(tag) = rest.strip_prefix('<') else {
            break;
        };
        if let Some(after) = tag.strip_prefix('/') {
            let (name, after) = split_name(after);
            let after = after
                .strip_prefix('>')
                .unwrap_or_else(|| panic!("end tag </{name} not closed: {after:.40?}"));
            let top = open.pop();
            assert_eq!(top, Some(name), "</{name}> closes {top:?}");
            rest = after;
            continue;
        }
        let (name, mut after) = split_name(tag);
        assert!(
            elements.contains(&name),
            "element <{name}> is not one the writer writes"
        );
        let mut seen: Vec<&str> = Vec::new();
        loop {
            if let Some(end) = after.strip_prefix("/>") {
                after = end;
                break;
            }
            if let Some(end) = after.strip_prefix('>') {
                after = end;
                if !(kind == Markup::Html && HTML_VOID.contains(&name)) {
                    open.push(name);
                }
                break;
            }
            after = after
                .strip_prefix(' ')
                .unwrap_or_else(|| panic!("in <{name}>: {after:.40?}"));
            let (attribute, value_and_rest) = split_name(after);
            assert!(
                attributes.contains(&attribute),
                "attribute {attribute} on <{name}> is not one the writer writes"
            );
            assert!(
                !seen.contains(&attribute),
                "attribute {attribute} twice on <{name}>"
            );
            seen.push(attribute);
            let value_and_rest = value_and_rest
                .strip_prefix("=\"")
                .unwrap_or_else(|| panic!("{attribute} on <{name}> has no quoted value"));
            let end = value_and_rest
                .find('"')
                .unwrap_or_else(|| panic!("{attribute} on <{name}> is not closed"));
            let value = &value_and_rest[..end];
            check_text(value, attribute);
            assert!(
                !value.contains(['\t', '\n', '\r']),
                "raw white space in {attribute}: {value:?}"
            );
            if URL_ATTRIBUTES.contains(&attribute) {
                check_url(attribute, &unescape(value));
            }
            after = &value_and_rest[end + 1..];
        }
        rest = after;
    }
    assert!(open.is_empty(), "elements left open: {open:?}");
}

/// The name at the start of `s` (ASCII letters, digits and `-`, starting with a letter) and
/// what follows it.
fn split_name(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    let name = &s[..end];
    assert!(
        name.starts_with(|c: char| c.is_ascii_alphabetic()),
        "not a name: {s:.40?}"
    );
    (name, &s[end..])
}

/// Text or an attribute value: no markup character, and every `&` one of the escaper's
/// references.
fn check_text(text: &str, context: &str) {
    assert!(
        !text.contains(['<', '>', '"']),
        "markup character in {context}: {text:?}"
    );
    for (i, _) in text.match_indices('&') {
        assert!(
            REFERENCES.iter().any(|r| text[i..].starts_with(r)),
            "unknown reference in {context}: {:?}",
            &text[i..]
        );
    }
}

/// Undoes the escaper's references.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let (reference, c) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#9;", '\t'),
            ("&#10;", '\n'),
            ("&#13;", '\r'),
        ]
        .into_iter()
        .find(|(r, _)| rest[i..].starts_with(r))
        .expect("checked by check_text");
        out.push(c);
        rest = &rest[i + reference.len()..];
    }
    out.push_str(rest);
    out
}

/// A URL as the writers must write it: safe, and unchanged by [`export::safe_href`] (nothing a
/// browser strips, no backslash read as a slash); in `srcset`, no white space or comma, which
/// would split it into candidates.
fn check_url(attribute: &str, url: &str) {
    assert!(export::is_safe_url(url), "{attribute}={url:?}");
    assert_eq!(
        export::safe_href(url).as_deref(),
        Some(url),
        "{attribute}={url:?} is not written as safe_href writes it"
    );
    if attribute == "srcset" {
        assert!(
            !url.contains([' ', '\t', '\n', '\u{c}', '\r', ',']),
            "srcset={url:?}"
        );
    }
    // Where a browser on an https page goes: http or https only.
    let page = url::Url::parse("https://site.example/log/page").expect("a valid page URL");
    if let Ok(target) = page.join(url) {
        assert!(
            matches!(target.scheme(), "http" | "https"),
            "{attribute}={url:?} goes to {target}"
        );
    }
}

/// A JSON number built from the bytes (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, up to
/// a few thousand digits): `decimal::parse_f64` must give exactly the bits `str::parse` gives.
pub fn decimal(data: &[u8]) {
    let text = json_number(data);
    let expected = text.parse::<f64>().expect("a valid number");
    let got = logmesh::decimal::parse_f64(&text);
    assert_eq!(
        got.to_bits(),
        expected.to_bits(),
        "{text}: {got:e} instead of {expected:e}"
    );
}

/// The JSON number text of `data`: a header of five bytes (sign and parts, the lengths of the
/// integer, fraction and exponent digits), then the digits, one byte each (`b % 10`; zeros once
/// the input runs out).
fn json_number(data: &[u8]) -> String {
    let mut bytes = Bytes(data);
    let flags = bytes.byte();
    let int_len = 1 + usize::from(u16::from_le_bytes([bytes.byte(), bytes.byte()]) % 1024);
    let frac_len = usize::from(bytes.byte()) * 4;
    let exp_len = 1 + usize::from(bytes.byte() % 24);
    let mut digit = |first: bool| {
        let b = bytes.byte();
        char::from(if first { b'1' + b % 9 } else { b'0' + b % 10 })
    };
    let mut text = String::new();
    if flags & 1 != 0 {
        text.push('-');
    }
    if flags & 2 != 0 {
        text.push('0');
    } else {
        for i in 0..int_len {
            text.push(digit(i == 0));
        }
    }
    if flags & 4 != 0 && frac_len > 0 {
        text.push('.');
        for _ in 0..frac_len {
            text.push(digit(false));
        }
    }
    if flags & 8 != 0 {
        text.push(if flags & 16 != 0 { 'E' } else { 'e' });
        match (flags >> 5) & 3 {
            1 => text.push('+'),
            2 => text.push('-'),
            _ => {}
        }
        for _ in 0..exp_len {
            text.push(digit(false));
        }
    }
    text
}

/// `logmesh import` on one file made of the input (docs/IMPORT.md), beside a page linking to it.
pub fn import(data: &[u8]) {
    use logmesh::import::{self, Format, MemorySource, Options, Slugify};

    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let (name, format) = match selector % 4 {
        0 => ("site/posts/a.md", Format::Markdown),
        1 => ("site/posts/a.html", Format::Html),
        2 => ("site/feed.xml", Format::Feed),
        _ => ("site/feed.json", Format::Feed),
    };
    let mut source = MemorySource::new();
    source.insert(name, content);
    match format {
        Format::Markdown => source.insert(
            "site/posts/b.md",
            "---\ntitle: B\ndate: 2024-01-02\n---\n[a](a.md) [[a]] https://example.com/posts/a\n",
        ),
        Format::Html => source.insert(
            "site/posts/b.html",
            "<html><head><meta property=\"og:type\" content=\"article\"></head>\
             <body><article><a href=\"a.html\">a</a></article></body></html>",
        ),
        Format::Feed => {}
    }
    let mut options = Options::new(Date {
        year: 2026,
        month: 1,
        day: 1,
    });
    options.format = Some(format);
    options.sites = vec!["https://example.com".into()];
    options.trailing_slash = selector & 4 != 0;
    options.slugify = (selector & 8 != 0).then_some(Slugify::Quartz);
    options.permalink = (selector & 16 != 0).then(|| "pretty".to_string());
    options.posts_url = if selector & 32 != 0 { "/blog/" } else { "/" }.into();
    options.include_drafts = selector & 64 != 0;
    let root = if format == Format::Feed { name } else { "site" };
    let imported = import::import(&source, &[root.to_string()], &options)
        .expect("a source that exists, options that are valid");
    let json = imported.to_json();
    let parsed = posts::parse(json.as_bytes()).expect("the import writes a valid posts.json");
    // (An import that found nothing writes an empty list, with the parser's warning; the CLI
    // exits 1 without writing it.)
    assert!(
        parsed.warnings.is_empty() || imported.posts.is_empty(),
        "{:?}",
        parsed.warnings
    );
    assert_eq!(parsed.posts, imported.posts, "read back the same");
    assert_eq!(imported.report.posts, imported.posts.len());
}
