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
        categories: tag_list(fields.get("categories")),
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

/// An `index` file whose folder holds other Markdown files is that folder's page (a Quartz or
/// Docusaurus folder page, which lists them), not a post: `index page`. One alone in its folder
/// is a post whose assets sit beside it (a Hugo or Zola page bundle), and so is every `index`
/// file of a source that marks its sections with `_index` files.
pub(crate) fn folder_pages(pages: &mut [Page], files: &[File]) {
    let mut counts: std::collections::HashMap<(usize, &str), usize> =
        std::collections::HashMap::new();
    // A source whose sections are `_index.md` files (Hugo, Zola) keeps `index.md` for bundles,
    // whatever else their folder holds (Zola: a bundle's own sub-pages).
    let sectioned: std::collections::HashSet<usize> = files
        .iter()
        .filter(|f| {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            name.rsplit_once('.')
                .is_some_and(|(stem, _)| stem == "_index")
        })
        .map(|f| f.root)
        .collect();
    for file in files.iter().filter(|f| !sectioned.contains(&f.root)) {
        let mut rel = file.rel.as_str();
        while let Some((folder, _)) = rel.rsplit_once('/') {
            *counts.entry((file.root, folder)).or_default() += 1;
            rel = folder;
        }
    }
    for page in pages.iter_mut() {
        let Some((folder, name)) = page.rel.rsplit_once('/') else {
            continue;
        };
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        if stem == "index"
            && matches!(page.role, Role::Post(_))
            && counts.get(&(page.root, folder)).copied().unwrap_or(0) > 1
        {
            page.role = Role::Index("index page");
        }
    }
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

/// The title a leading `# heading` gives, and the links, in document order.
///
/// The heading counts only as the document's first block (after MDX `import`/`export` lines and
/// HTML comments), as Docusaurus and MkDocs read it: a `#` heading further down is a section,
/// and a setext underline (`===`) is too easily a line of a formula. Links: Markdown links,
/// `href`s in raw HTML, `[[wikilinks]]` (but `[[text]](url)` is a link whose text has brackets),
/// Zola's `@/` paths, bare `http(s)://` URLs in text (GFM's autolinks, Hugo's linkify), and the
/// link shortcodes of Jekyll (`{% post_url NAME %}`, `{% link PATH %}`) and Hugo
/// (`{{< ref "PATH" >}}`, `relref`); nothing inside code.
fn scan(body: &str) -> (Option<String>, Vec<RawLink>) {
    let options = Cmark::ENABLE_WIKILINKS
        | Cmark::ENABLE_TABLES
        | Cmark::ENABLE_FOOTNOTES
        | Cmark::ENABLE_STRIKETHROUGH
        | Cmark::ENABLE_TASKLISTS
        | Cmark::ENABLE_MATH;
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    let mut title_decided = false;
    let mut links = Vec::new();
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut in_link, mut in_code_block) = (0usize, 0usize);
    let mut text_run = String::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if !text_run.is_empty() && !matches!(event, Event::Text(_)) {
            links.extend(bare_urls(&text_run).map(|u| RawLink::Url(u.to_string())));
            text_run.clear();
        }
        if let Event::Start(tag) = &event
            && !title_decided
            && !matches!(
                tag,
                Tag::Link { .. } | Tag::Emphasis | Tag::Strong | Tag::Image { .. }
            )
        {
            let text = body[range.clone()].trim_start();
            let skipped = match tag {
                Tag::Paragraph => text.starts_with("import ") || text.starts_with("export "),
                Tag::HtmlBlock => text.starts_with("<!--"),
                _ => false,
            };
            if !skipped {
                title_decided = true;
                if matches!(
                    tag,
                    Tag::Heading {
                        level: HeadingLevel::H1,
                        ..
                    }
                ) && text.starts_with('#')
                {
                    in_heading = true;
                    heading = Some(String::new());
                }
            }
        }
        match event {
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_heading => in_heading = false,
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
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block += 1;
                code.push(range);
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = in_code_block.saturating_sub(1),
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => code.push(range),
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                in_link += 1;
                let dest = dest_url.trim();
                if dest.is_empty() {
                    continue;
                }
                links.push(match link_type {
                    // `[[text]](url)`: CommonMark's link with `[text]` as its text, not a wikilink.
                    LinkType::WikiLink { .. } if body[range.end..].starts_with('(') => {
                        match destination(&body[range.end + 1..]) {
                            Some(url) => RawLink::Url(url.to_string()),
                            None => continue,
                        }
                    }
                    LinkType::WikiLink { .. } => {
                        let target = dest.split('#').next().unwrap_or(dest);
                        // `[[note\|label]]`: Obsidian escapes the pipe inside a table.
                        let target = target.trim().trim_end_matches('\\').trim();
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
            // pulldown-cmark splits a run of text at characters that might open emphasis
            // (`_`, `*`): the run is gathered whole before its URLs are found.
            Event::Text(text) if in_link == 0 && in_code_block == 0 => {
                text_run.push_str(&text);
                continue;
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                links.extend(super::html::fragment_links(&html));
            }
            _ => {}
        }
    }
    links.extend(bare_urls(&text_run).map(|u| RawLink::Url(u.to_string())));
    links.extend(shortcodes(body, &code));
    let heading = heading.map(|h| one_line(&h)).filter(|h| !h.is_empty());
    (heading, links)
}

/// The destination of `[text](DEST ...)` given the text after its `(`: up to white space or the
/// closing parenthesis (balanced), or inside `<...>`.
fn destination(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        return inner
            .split_once('>')
            .map(|(d, _)| d)
            .filter(|d| !d.is_empty());
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return (i > 0).then(|| &rest[..i]),
            ')' => depth -= 1,
            c if c.is_whitespace() => return (i > 0).then(|| &rest[..i]),
            _ => {}
        }
    }
    None
}

/// The bare `http://` and `https://` URLs in a run of text, without the punctuation that ends
/// a sentence (GFM's extended autolinks).
fn bare_urls(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let at = ["https://", "http://"]
                .iter()
                .filter_map(|scheme| rest.find(scheme))
                .min()?;
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
                .unwrap_or(tail.len());
            let mut url = &tail[..end];
            rest = &tail[end..];
            loop {
                let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_', '~']);
                let unbalanced = trimmed.ends_with(')')
                    && trimmed.matches(')').count() > trimmed.matches('(').count();
                let trimmed = if unbalanced {
                    &trimmed[..trimmed.len() - 1]
                } else {
                    trimmed
                };
                if trimmed.len() == url.len() {
                    break;
                }
                url = trimmed;
            }
            if url.len() > "https://".len() {
                return Some(url);
            }
        }
    })
}

/// Jekyll's and Hugo's link shortcodes outside `code` (byte ranges of code in `body`), each as
/// the file or post it names.
fn shortcodes(body: &str, code: &[std::ops::Range<usize>]) -> Vec<RawLink> {
    const OPENERS: [(&str, &str); 6] = [
        ("{% post_url ", "%}"),
        ("{% link ", "%}"),
        ("{{< ref ", ">}}"),
        ("{{< relref ", ">}}"),
        ("{{% ref ", "%}}"),
        ("{{% relref ", "%}}"),
    ];
    let mut found: Vec<(usize, RawLink)> = Vec::new();
    for (open, close) in OPENERS {
        let mut from = 0;
        while let Some(at) = body[from..].find(open).map(|i| i + from) {
            from = at + open.len();
            if code.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let Some(len) = body[from..].find(close) else {
                break;
            };
            let arg = body[from..from + len]
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            let arg = arg.split('#').next().unwrap_or(arg).trim();
            if !arg.is_empty() {
                found.push((at, RawLink::Wiki(arg.to_string())));
            }
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, link)| link).collect()
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
    fn links_as_real_sites_write_them() {
        let body = "Parts [[1]](/blog/one/) and [[Note\\|label]] and [[../up/Other|x]].\n\n\
                    See https://example.com/a/b_(c). Or (https://example.com/d), in `https://no`.\n\n\
                    [post]({% post_url 2011-04-27-cifar %}), {{< relref \"posts/x.md\" >}}\n\n\
                    ```\n{% post_url not-this %} https://not.this\n```\n";
        let (_, links) = scan(body);
        assert_eq!(
            links,
            [
                RawLink::Url("/blog/one/".into()),
                RawLink::Wiki("Note".into()),
                RawLink::Wiki("../up/Other".into()),
                RawLink::Url("https://example.com/a/b_(c)".into()),
                RawLink::Url("https://example.com/d".into()),
                RawLink::Wiki("2011-04-27-cifar".into()),
                RawLink::Wiki("posts/x.md".into()),
            ]
        );
    }

    #[test]
    fn only_a_leading_hash_heading_is_the_title() {
        assert_eq!(scan("# Title\n\ntext").0.as_deref(), Some("Title"));
        assert_eq!(
            scan("import X from 'x';\n\n# Title\n").0.as_deref(),
            Some("Title")
        );
        assert_eq!(
            scan("<!-- note -->\n\n# Title\n").0.as_deref(),
            Some("Title")
        );
        assert_eq!(scan("Intro.\n\n# References\n").0, None);
        assert_eq!(scan("$$ a\n=\n$$\n").0, None);
        assert_eq!(scan("Title\n=====\n").0, None);
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
