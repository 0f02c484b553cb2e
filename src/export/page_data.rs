//! `posts.min.json`: the page data the element fetches (its `src`), which is posts.json without
//! summaries (docs/DESIGN.md, "CLI": `prerender`), written compactly: version 1, or version 2
//! when it carries the site's colours.
//!
//! The posts are written as they are (already validated, in id order, links already cleaned),
//! so [`crate::posts::parse`] reads back the same posts with `summary: None`, without warnings.

use serde::Serialize;

use crate::posts::{Date, Post};
use crate::style::Style;

/// A post as the page needs it: everything but the summary.
#[derive(Serialize)]
struct PagePost<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Date>,
    #[serde(skip_serializing_if = "is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "is_empty")]
    links: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
}

fn is_empty(list: &&[String]) -> bool {
    list.is_empty()
}

/// The page data for `posts` (as [`crate::posts::parse`] returns them): one line of JSON,
/// `{"version":1,"posts":[{"id":…,"title":…,"url":…,"date":…,"tags":[…],"links":[…],"weight":…}]}`,
/// absent and empty fields left out, floats in shortest round-trip form.
pub fn posts_min_json(posts: &[Post]) -> String {
    page_data_json(posts, None, None)
}

/// The page data of a local graph ([`crate::site::Site::local`]): [`posts_min_json`] with the
/// top-level `"centre"` naming the post it is centred on (`{"version":1,"centre":…,"posts":[…]}`),
/// which tells the element these posts are that post's local graph already.
pub fn local_posts_min_json(posts: &[Post], centre: &str) -> String {
    page_data_json(posts, Some(centre), None)
}

/// The page data with everything it may hold: [`posts_min_json`], with `"centre"` when given
/// and, when the site has colours of its own, `"style"` ([`Style::to_json`]), which makes it
/// version 2 (`{"version":2,"centre":…,"style":{…},"posts":[…]}`; docs/DESIGN.md, "A site's
/// colours"), so that an element that knows no style refuses it rather than drawing other
/// colours than the static frame.
pub fn page_data_json(posts: &[Post], centre: Option<&str>, style: Option<&Style>) -> String {
    let posts: Vec<PagePost<'_>> = posts
        .iter()
        .map(|p| PagePost {
            id: &p.id,
            title: &p.title,
            url: p.url.as_deref(),
            date: p.date,
            tags: &p.tags,
            links: &p.links,
            weight: p.weight,
        })
        .collect();
    // Serialising strings, dates and finite floats into a String cannot fail; a non-finite
    // weight (never produced by the parser) is written as null, which reads back as absent.
    let posts = serde_json::to_string(&posts).unwrap_or_else(|_| String::from("[]"));
    let mut out = String::with_capacity(posts.len() + 64);
    out.push_str(if style.is_some() {
        r#"{"version":2"#
    } else {
        r#"{"version":1"#
    });
    if let Some(centre) = centre {
        out.push_str(r#","centre":"#);
        out.push_str(&serde_json::to_string(centre).unwrap_or_default());
    }
    if let Some(style) = style {
        out.push_str(r#","style":"#);
        out.push_str(&style.to_json());
    }
    out.push_str(r#","posts":"#);
    out.push_str(&posts);
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posts;

    #[test]
    fn compact_without_summaries_and_round_trips() {
        let bytes = br#"{"version":1,"posts":[
            {"id":"b","title":"B \"quoted\" </script>","summary":"gone","tags":["x","y"],
             "links":["a"],"weight":0.1,"date":"2024-02-29","url":"/b"},
            {"id":"a","title":"A","summary":"also gone"}]}"#;
        let parsed = posts::parse(bytes).expect("valid");
        let json = posts_min_json(&parsed.posts);
        assert_eq!(
            json,
            r#"{"version":1,"posts":[{"id":"a","title":"A"},{"id":"b","title":"B \"quoted\" </script>","url":"/b","date":"2024-02-29","tags":["x","y"],"links":["a"],"weight":0.1}]}"#
        );
        let again = posts::parse(json.as_bytes()).expect("valid");
        assert!(again.warnings.is_empty());
        let expected: Vec<Post> = parsed
            .posts
            .into_iter()
            .map(|p| Post { summary: None, ..p })
            .collect();
        assert_eq!(again.posts, expected);
    }

    #[test]
    fn a_local_graph_names_its_centre() {
        let parsed =
            posts::parse(br#"{"version":1,"posts":[{"id":"a","title":"A"}]}"#).expect("valid");
        let json = local_posts_min_json(&parsed.posts, "a");
        assert_eq!(
            json,
            r#"{"version":1,"centre":"a","posts":[{"id":"a","title":"A"}]}"#
        );
        let again = posts::parse(json.as_bytes()).expect("valid");
        assert_eq!(again.centre.as_deref(), Some("a"));
        assert!(again.warnings.is_empty());
        let bad = posts::parse(br#"{"version":1,"centre":"b","posts":[{"id":"a","title":"A"}]}"#);
        assert_eq!(
            bad.expect_err("no such post").to_string(),
            r#"centre: "b" is not the id of a post here"#
        );
    }

    #[test]
    fn a_style_makes_version_2_and_reads_back() {
        let parsed =
            posts::parse(br#"{"version":1,"posts":[{"id":"a","title":"A","tags":["t"]}]}"#)
                .expect("valid");
        let style = Style::new(
            vec![[1, 2, 3, 255]],
            [4, 5, 6, 255],
            vec![("t".to_owned(), [7, 8, 9, 255])],
            crate::style::ThemeStyle {
                background: [0, 0, 0, 255],
                label: [255, 255, 255, 255],
                font: "serif".to_owned(),
            },
            crate::style::ThemeStyle {
                background: [255, 255, 255, 255],
                label: [0, 0, 0, 255],
                font: "\"Fira Sans\", sans-serif".to_owned(),
            },
        )
        .expect("valid");
        let json = page_data_json(&parsed.posts, Some("a"), Some(&style));
        assert!(
            json.starts_with(r##"{"version":2,"centre":"a","style":{"palette":["#010203"]"##),
            "{json}"
        );
        let again = posts::parse(json.as_bytes()).expect("valid");
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
        assert_eq!(again.style.as_ref(), Some(&style));
        assert_eq!(again.centre.as_deref(), Some("a"));
        // Version 1 knows no style: what an older reader does with it (an unknown field).
        let old = posts::parse(
            json.replacen(r#""version":2"#, r#""version":1"#, 1)
                .as_bytes(),
        )
        .expect("valid");
        assert_eq!(old.style, None);
        assert_eq!(old.warnings.len(), 1, "{:?}", old.warnings);
        // A bad style is an error that names the field.
        let bad = posts::parse(json.replace("#070809", "red").as_bytes()).expect_err("bad colour");
        assert_eq!(
            bad.to_string(),
            r##"style: tags."t": expected a colour "#rrggbb""##
        );
    }

    #[test]
    fn no_posts() {
        assert_eq!(posts_min_json(&[]), r#"{"version":1,"posts":[]}"#);
    }
}
