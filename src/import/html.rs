//! The html reader (docs/IMPORT.md, "html"): one built page through html5ever (scraper's
//! selectors), its metadata from the head and its links from the main content only.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::walk::File;
use super::{Fields, Page, RawLink, Role, Skip, clean_tags, one_line, written_date};

/// Path segments that mark a listing page.
const LISTING_SEGMENTS: [&str; 10] = [
    "tags",
    "tag",
    "categories",
    "category",
    "page",
    "archive",
    "archives",
    "author",
    "authors",
    "series",
];

fn selector(css: &str) -> Selector {
    // The selectors are constants of this file, each checked by the tests below.
    Selector::parse(css).unwrap_or_else(|_| Selector::parse("never-matches").expect("valid"))
}

fn first_attr(doc: &Html, css: &str, attr: &str) -> Option<String> {
    doc.select(&selector(css))
        .filter_map(|e| e.value().attr(attr))
        .map(str::trim)
        .find(|v| !v.is_empty())
        .map(str::to_string)
}

fn text_of(e: ElementRef<'_>) -> String {
    one_line(&e.text().collect::<String>())
}

/// One HTML file as a page, or why it is none.
pub(crate) fn read(file: &File, text: &str) -> Result<Page, Skip> {
    let doc = Html::parse_document(text);
    let mut page = Page {
        file: file.path.clone(),
        root: file.root,
        rel: file.rel.clone(),
        url: None,
        slug: None,
        categories: Vec::new(),
        origin: None,
        role: Role::Index("listing page"),
        aliases: Vec::new(),
        links: Vec::new(),
    };
    for meta in doc.select(&selector("meta[http-equiv][content]")) {
        let equiv = meta.value().attr("http-equiv").unwrap_or_default();
        if !equiv.eq_ignore_ascii_case("refresh") {
            continue;
        }
        let content = meta.value().attr("content").unwrap_or_default();
        if let Some(target) = refresh_target(content) {
            page.role = Role::Redirect(target);
            return Ok(page);
        }
    }
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    if name.eq_ignore_ascii_case("404.html") {
        return Err(Skip("not an article", Some("a 404 page".into())));
    }
    if let Some(canonical) = first_attr(&doc, "link[rel=canonical][href]", "href")
        .or_else(|| first_attr(&doc, "meta[property=\"og:url\"][content]", "content"))
    {
        if let Ok(url) = url::Url::parse(&canonical) {
            if matches!(url.scheme(), "http" | "https") {
                page.origin = Some(url.origin().ascii_serialization());
                page.url = Some(canonical);
            }
        } else if canonical.starts_with('/') {
            page.url = Some(canonical);
        }
    }
    let path = match &page.url {
        Some(u) => url::Url::parse(u).map_or(u.clone(), |u| u.path().to_string()),
        None => file.rel.clone(),
    };
    let listing_path = path
        .split('/')
        .any(|s| LISTING_SEGMENTS.contains(&s.to_ascii_lowercase().as_str()));
    let articles: Vec<ElementRef<'_>> = doc.select(&selector("article")).collect();
    let main = main_content(&doc, &articles);
    page.links = links(main);
    if listing_path || articles.len() >= 2 {
        return Ok(page);
    }

    let date = first_attr(
        &doc,
        "meta[property=\"article:published_time\"][content]",
        "content",
    )
    .and_then(|d| written_date(&d))
    .or_else(|| json_ld_date(&doc))
    .or_else(|| {
        main.and_then(|m| {
            m.select(&selector("time[datetime]"))
                .filter_map(|t| t.value().attr("datetime"))
                .find_map(written_date)
        })
    });
    let og_article = first_attr(&doc, "meta[property=\"og:type\"][content]", "content")
        .is_some_and(|t| t.eq_ignore_ascii_case("article"));
    if date.is_none() && !og_article && articles.is_empty() {
        return Err(Skip("not an article", None));
    }
    let mut head_title = false;
    let title = first_attr(&doc, "meta[property=\"og:title\"][content]", "content")
        .map(|t| one_line(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            main.and_then(|m| {
                m.select(&selector("h1"))
                    .map(text_of)
                    .find(|t| !t.is_empty())
            })
        })
        .or_else(|| {
            head_title = true;
            doc.select(&selector("title"))
                .map(text_of)
                .find(|t| !t.is_empty())
        })
        .unwrap_or_else(|| {
            head_title = false;
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            if stem == "index" {
                file.rel.rsplit('/').nth(1).unwrap_or(stem).to_string()
            } else {
                stem.to_string()
            }
        });
    let mut tags: Vec<String> = doc
        .select(&selector("meta[property=\"article:tag\"][content]"))
        .filter_map(|m| m.value().attr("content"))
        .map(str::to_string)
        .collect();
    tags.extend(doc.select(&selector("a[rel~=tag]")).map(text_of));
    let summary = first_attr(&doc, "meta[name=description][content]", "content")
        .or_else(|| {
            first_attr(
                &doc,
                "meta[property=\"og:description\"][content]",
                "content",
            )
        })
        .map(|s| one_line(&s))
        .filter(|s| !s.is_empty());
    page.role = Role::Post(Fields {
        title,
        date,
        tags: clean_tags(tags),
        summary,
        head_title,
        site_name: first_attr(&doc, "meta[property=\"og:site_name\"][content]", "content"),
    });
    Ok(page)
}

/// `0; url=https://…` (quotes optional) to the URL.
fn refresh_target(content: &str) -> Option<String> {
    let (_, rest) = content
        .split_once(';')
        .or_else(|| content.split_once(','))?;
    let rest = rest.trim();
    let at = rest.to_ascii_lowercase().find("url")?;
    let rest = rest[at + 3..].trim_start().strip_prefix('=')?.trim();
    let target = rest.trim_matches(|c| c == '\'' || c == '"').trim();
    (!target.is_empty()).then(|| target.to_string())
}

/// `datePublished` anywhere in the page's JSON-LD (an `@graph` included).
fn json_ld_date(doc: &Html) -> Option<crate::posts::Date> {
    fn find(v: &Value) -> Option<crate::posts::Date> {
        match v {
            Value::Object(m) => m
                .get("datePublished")
                .and_then(Value::as_str)
                .and_then(written_date)
                .or_else(|| m.values().find_map(find)),
            Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    doc.select(&selector("script[type=\"application/ld+json\"]"))
        .filter_map(|s| serde_json::from_str::<Value>(&s.text().collect::<String>()).ok())
        .find_map(|v| find(&v))
}

/// The main content: the single `<article>`, else `<main>`, else `[role=main]`, else `<body>`.
fn main_content<'a>(doc: &'a Html, articles: &[ElementRef<'a>]) -> Option<ElementRef<'a>> {
    if let [article] = articles {
        return Some(*article);
    }
    ["main", "[role=main]", "body"]
        .iter()
        .find_map(|css| doc.select(&selector(css)).next())
}

/// The `href`s in `main`, except those inside its `nav`, `header`, `footer` and `aside`, in
/// document order. One walk over the tree that skips those subtrees: linear however deep a page
/// nests (asking each link for its ancestors would be quadratic in the nesting).
fn links(main: Option<ElementRef<'_>>) -> Vec<RawLink> {
    let Some(main) = main else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut stack = vec![*main];
    while let Some(node) = stack.pop() {
        if let Some(element) = ElementRef::wrap(node) {
            let name = element.value().name();
            if node.id() != main.id() && matches!(name, "nav" | "header" | "footer" | "aside") {
                continue;
            }
            if name == "a"
                && let Some(href) = element.value().attr("href").map(str::trim)
                && !href.is_empty()
            {
                found.push(RawLink::Url(href.to_string()));
            }
        }
        let first = stack.len();
        stack.extend(node.children());
        stack[first..].reverse();
    }
    found
}

/// The `href`s of the `<a>` elements in a piece of HTML (raw HTML in Markdown, a feed item's
/// content), in document order.
pub(crate) fn fragment_links(html: &str) -> Vec<RawLink> {
    if !html.contains("href") {
        return Vec::new();
    }
    Html::parse_fragment(html)
        .select(&selector("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| RawLink::Url(h.to_string()))
        .collect()
}

/// Titles taken from `<title>` lose the site's suffix: the last ` | `, ` - `, ` – `, ` — ` or
/// ` · ` part when it is `og:site_name` or ends at least half of the site's titles.
pub(crate) fn strip_title_suffixes(pages: &mut [Page]) {
    const SEPARATORS: [&str; 5] = [" | ", " - ", " – ", " — ", " · "];
    let suffix = |title: &str| -> Option<(usize, String)> {
        SEPARATORS
            .iter()
            .filter_map(|s| {
                title
                    .rfind(s)
                    .map(|at| (at, title[at + s.len()..].to_string()))
            })
            .max_by_key(|(at, _)| *at)
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut titled = 0usize;
    for page in pages.iter() {
        if let Role::Post(fields) = &page.role {
            titled += 1;
            if let Some((_, s)) = suffix(&fields.title) {
                *counts.entry(s).or_default() += 1;
            }
        }
    }
    for page in pages.iter_mut() {
        if let Role::Post(fields) = &mut page.role
            && fields.head_title
            && let Some((at, s)) = suffix(&fields.title)
            && (fields.site_name.as_deref() == Some(s.as_str())
                || counts.get(&s).is_some_and(|&n| n * 2 >= titled && n >= 2))
            && at > 0
        {
            fields.title.truncate(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_targets() {
        assert_eq!(
            refresh_target("0; url=https://e.com/a/").as_deref(),
            Some("https://e.com/a/")
        );
        assert_eq!(refresh_target("0;URL='/b'").as_deref(), Some("/b"));
        assert_eq!(refresh_target("5"), None);
    }

    #[test]
    fn links_skip_navigation_inside_the_main_content() {
        let doc = Html::parse_document(
            "<body><nav><a href=/n>n</a></nav><main><header><a href=/h>h</a></header>\
             <p><a href=/in>in</a></p><aside><a href=/s>s</a></aside><footer><a href=/f>f</a>\
             </footer></main></body>",
        );
        let main = main_content(&doc, &[]);
        assert_eq!(links(main), [RawLink::Url("/in".into())]);
    }
}
