//! The markdown reader (docs/IMPORT.md, "markdown"): front matter for the fields, pulldown-cmark
//! for the first heading and the links.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options as Cmark, Parser, Tag, TagEnd};
use serde_json::Value;

use super::walk::File;
use super::{
    Fields, Options, Page, RawLink, Role, Skip, clean_tags, date_prefix, front, one_line,
    written_date,
};

/// One Markdown file as a page, or why it is none.
pub(crate) fn read(file: &File, text: &str, options: &Options) -> Result<Page, Skip> {
    let split = front::split(text).map_err(Skip::malformed)?;
    let fields = &split.fields;
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);

    if !options.include_drafts {
        if truthy(fields.get("draft")) {
            return Err(Skip("draft", None));
        }
        if fields.get("published").is_some_and(is_false) {
            return Err(Skip("unpublished", None));
        }
    }
    let mut page = Page {
        file: file.path.clone(),
        root: file.root,
        rel: file.rel.clone(),
        url: ["url", "permalink", "path"]
            .iter()
            .find_map(|k| string(fields.get(*k))),
        slug: string(fields.get("slug")),
        origin: None,
        role: Role::Index("index page"),
        aliases: ["aliases", "redirect_from"]
            .iter()
            .flat_map(|k| strings(fields.get(*k)))
            .collect(),
        links: Vec::new(),
    };
    let redirect = ["redirect", "redirect_to", "redirect_url"]
        .iter()
        .find_map(|k| string(fields.get(*k)));
    if let Some(target) = redirect
        && split.body.trim().is_empty()
    {
        page.role = Role::Redirect(target);
        return Ok(page);
    }
    let (heading, links) = scan(split.body);
    page.links = links;
    if stem == "_index" {
        return Ok(page);
    }

    let date = ["date", "publishDate", "published", "pubDate", "created"]
        .iter()
        .find_map(|k| string(fields.get(*k)).and_then(|s| written_date(&s)))
        .or_else(|| date_prefix(stem).filter(|_| stem.as_bytes().get(10) == Some(&b'-')));
    if let Some(date) = date
        && date > options.today
        && !options.include_future
    {
        return Err(Skip("future-dated", Some(date.to_string())));
    }
    let title = string(fields.get("title"))
        .map(|t| one_line(&t))
        .filter(|t| !t.is_empty())
        .or(heading)
        .unwrap_or_else(|| file_title(&file.rel));
    let mut tags = Vec::new();
    for key in ["tags", "categories", "keywords"] {
        tags.extend(tag_list(fields.get(key)));
    }
    if let Some(Value::Object(taxonomies)) = fields.get("taxonomies") {
        tags.extend(tag_list(taxonomies.get("tags")));
    }
    let summary = ["summary", "description"]
        .iter()
        .find_map(|k| string(fields.get(*k)))
        .map(|s| one_line(&s))
        .filter(|s| !s.is_empty());
    page.role = Role::Post(Fields {
        title,
        date,
        tags: clean_tags(tags),
        summary,
        ..Fields::default()
    });
    Ok(page)
}

/// The title a file without one gets: its name without the date prefix and extension (the
/// folder's name for an `index` file).
fn file_title(rel: &str) -> String {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem = if stem == "index" {
        parts.next().unwrap_or(stem)
    } else {
        stem
    };
    strip_date_prefix(stem).to_string()
}

/// `name` without a `YYYY-MM-DD-` prefix.
pub(crate) fn strip_date_prefix(name: &str) -> &str {
    match name.get(..11) {
        Some(p) if p.ends_with('-') && date_prefix(p).is_some() && name.len() > 11 => &name[11..],
        _ => name,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn is_false(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !*b,
        Value::String(s) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// A scalar as text (numbers and dates too), trimmed; `None` when absent or empty.
fn string(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A list of scalars, or one scalar, as strings.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| string(Some(i))).collect(),
        other => string(other).into_iter().collect(),
    }
}

/// Tags from a list, or from a string split at commas (else at spaces).
fn tag_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if s.contains(',') => s.split(',').map(str::to_string).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        other => strings(other),
    }
}

/// The first level-1 heading's text and the links, in document order.
fn scan(body: &str) -> (Option<String>, Vec<RawLink>) {
    let options = Cmark::ENABLE_WIKILINKS
        | Cmark::ENABLE_TABLES
        | Cmark::ENABLE_FOOTNOTES
        | Cmark::ENABLE_STRIKETHROUGH
        | Cmark::ENABLE_TASKLISTS;
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    let mut heading_done = false;
    let mut links = Vec::new();
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if !heading_done => {
                in_heading = true;
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_heading => {
                in_heading = false;
                heading_done = true;
            }
            Event::Text(t) | Event::Code(t) if in_heading => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_heading => {
                if let Some(h) = heading.as_mut() {
                    h.push(' ');
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let dest = dest_url.trim();
                if dest.is_empty() {
                    continue;
                }
                links.push(match link_type {
                    LinkType::WikiLink { .. } => {
                        let target = dest.split('#').next().unwrap_or(dest).trim();
                        if target.is_empty() {
                            continue;
                        }
                        RawLink::Wiki(target.to_string())
                    }
                    _ => match dest.strip_prefix("@/") {
                        Some(path) => RawLink::File(path.to_string()),
                        None => RawLink::Url(dest.to_string()),
                    },
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                links.extend(hrefs(&html).into_iter().map(RawLink::Url));
            }
            _ => {}
        }
    }
    let heading = heading.map(|h| one_line(&h)).filter(|h| !h.is_empty());
    (heading, links)
}

/// The `href`s of the `<a>` elements in a piece of raw HTML (html5ever's tokenizer, through the
/// same parser the html reader uses).
fn hrefs(html: &str) -> Vec<String> {
    if !html.contains("href") {
        return Vec::new();
    }
    let fragment = scraper::Html::parse_fragment(html);
    let Ok(anchor) = scraper::Selector::parse("a[href]") else {
        return Vec::new();
    };
    fragment
        .select(&anchor)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_from_text_never_from_code() {
        let body = "# The *title*\n\nSee [a](a.md), [b][ref], <https://x.org>, <a href=\"/c\">c</a>, \
                    [[Note#Part|label]], [z](@/blog/z.md) and `[no](code.md)`.\n\n\
                    ```\n[no](block.md)\n```\n\n![img](pic.png)\n\n[ref]: /b\n";
        let (heading, links) = scan(body);
        assert_eq!(heading.as_deref(), Some("The title"));
        assert_eq!(
            links,
            [
                RawLink::Url("a.md".into()),
                RawLink::Url("/b".into()),
                RawLink::Url("https://x.org".into()),
                RawLink::Url("/c".into()),
                RawLink::Wiki("Note".into()),
                RawLink::File("blog/z.md".into()),
            ]
        );
    }

    #[test]
    fn the_date_prefix_is_dropped_from_names() {
        assert_eq!(strip_date_prefix("2024-01-02-hello"), "hello");
        assert_eq!(strip_date_prefix("2024-13-02-hello"), "2024-13-02-hello");
        assert_eq!(strip_date_prefix("2024-01-02"), "2024-01-02");
        assert_eq!(file_title("posts/2024-01-02-hello.md"), "hello");
        assert_eq!(file_title("posts/bundle/index.md"), "bundle");
    }
}
