//! The feed reader (docs/IMPORT.md, "feed"): JSON Feed, RSS and Atom through feed-rs.

use chrono::{DateTime, NaiveDate, Utc};
use feed_rs::model::{Entry, Link, Text};
use scraper::Html;

use super::walk::File;
use super::{Fields, Page, Report, Role, Skip, clean_tags, date_prefix, one_line, written_date};

/// The date a timestamp was written on, in its own time zone (feed-rs would convert it to UTC,
/// which can move it a day): [`written_date`], as midnight UTC.
fn local_date(s: &str) -> Option<DateTime<Utc>> {
    let date = written_date(s)?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?
    .and_hms_opt(0, 0, 0)
    .map(|t| t.and_utc())
}

fn is_html(text: &Text) -> bool {
    text.content_type.to_string().contains("html")
}

/// A text construct as plain text (HTML reduced to its text).
fn plain(text: &Text) -> String {
    if is_html(text) {
        let fragment = Html::parse_fragment(&text.content);
        one_line(&fragment.root_element().text().collect::<String>())
    } else {
        one_line(&text.content)
    }
}

/// The page's own link: the first without `rel` or with `rel="alternate"`.
fn alternate(links: &[Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.as_str())
}

/// Every item of a feed file as a page; the feed's own site link joins `sites`.
pub(crate) fn read(
    file: &File,
    text: &str,
    sites: &mut Vec<String>,
    report: &mut Report,
) -> Result<Vec<Page>, Skip> {
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(local_date)
        // Ids are never used; the default would draw random ones for items without a link.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser
        .parse(text.as_bytes())
        .map_err(|e| Skip::malformed(e.to_string()))?;
    let site = alternate(&feed.links).and_then(|l| url::Url::parse(l).ok());
    if let Some(site) = &site
        && matches!(site.scheme(), "http" | "https")
    {
        sites.push(site.origin().ascii_serialization());
    }
    let mut pages = Vec::new();
    for (n, entry) in feed.entries.iter().enumerate() {
        let name = format!("{} (item {})", file.path, n + 1);
        match item(entry, site.as_ref(), &name, file) {
            Ok(page) => pages.push(page),
            Err(Skip(reason, detail)) => report.skip(reason, &name, detail.as_deref()),
        }
    }
    Ok(pages)
}

fn item(entry: &Entry, site: Option<&url::Url>, name: &str, file: &File) -> Result<Page, Skip> {
    let link = alternate(&entry.links).ok_or_else(|| Skip::malformed("an item without a link"))?;
    let url = match site {
        Some(site) => site.join(link),
        None => url::Url::parse(link),
    }
    .map_err(|e| Skip::malformed(format!("link {}: {e}", crate::error::quote(link))))?;
    let title = entry
        .title
        .as_ref()
        .map(plain)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| url.path().to_string());
    let date = entry
        .published
        .or(entry.updated)
        .map(|d| d.date_naive())
        .and_then(|d| date_prefix(&d.to_string()));
    let tags = entry
        .categories
        .iter()
        .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
        .collect::<Vec<_>>();
    let summary = entry.summary.as_ref().map(plain).filter(|s| !s.is_empty());
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| {
            entry
                .summary
                .as_ref()
                .filter(|s| is_html(s))
                .map(|s| s.content.clone())
        });
    Ok(Page {
        file: name.to_string(),
        root: file.root,
        rel: String::new(),
        url: Some(url.to_string()),
        slug: None,
        categories: Vec::new(),
        origin: None,
        role: Role::Post(Fields {
            title,
            date,
            tags: clean_tags(tags),
            summary,
            ..Fields::default()
        }),
        aliases: Vec::new(),
        links: html
            .as_deref()
            .map(super::html::fragment_links)
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_own_time_zone() {
        let d = |s| local_date(s).map(|d| d.date_naive().to_string());
        assert_eq!(
            d("Mon, 01 Jan 2024 23:30:00 -0800").as_deref(),
            Some("2024-01-01")
        );
        assert_eq!(
            d("2024-01-01T23:30:00-08:00").as_deref(),
            Some("2024-01-01")
        );
        assert_eq!(d("1 Feb 2024 10:00 GMT").as_deref(), Some("2024-02-01"));
        assert_eq!(d("yesterday"), None);
    }
}
