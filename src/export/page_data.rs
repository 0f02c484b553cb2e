//! `posts.min.json`: the page data the element fetches (its `src`), which is posts.json version 1
//! without summaries (docs/DESIGN.md, "CLI": `prerender`), written compactly.
//!
//! The posts are written as they are (already validated, in id order, links already cleaned),
//! so [`crate::posts::parse`] reads back the same posts with `summary: None`, without warnings.

use serde::Serialize;

use crate::posts::{Date, Post};

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

#[derive(Serialize)]
struct PageData<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    centre: Option<&'a str>,
    posts: Vec<PagePost<'a>>,
}

/// The page data for `posts` (as [`crate::posts::parse`] returns them): one line of JSON,
/// `{"version":1,"posts":[{"id":…,"title":…,"url":…,"date":…,"tags":[…],"links":[…],"weight":…}]}`,
/// absent and empty fields left out, floats in shortest round-trip form.
pub fn posts_min_json(posts: &[Post]) -> String {
    page_json(posts, None)
}

/// The page data of a local graph ([`crate::site::Site::local`]): [`posts_min_json`] with the
/// top-level `"centre"` naming the post it is centred on (`{"version":1,"centre":…,"posts":[…]}`),
/// which tells the element these posts are that post's local graph already.
pub fn local_posts_min_json(posts: &[Post], centre: &str) -> String {
    page_json(posts, Some(centre))
}

fn page_json(posts: &[Post], centre: Option<&str>) -> String {
    let data = PageData {
        version: 1,
        centre,
        posts: posts
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
            .collect(),
    };
    // Serialising strings, dates and finite floats into a String cannot fail; a non-finite
    // weight (never produced by the parser) is written as null, which reads back as absent.
    serde_json::to_string(&data).unwrap_or_else(|_| String::from(r#"{"version":1,"posts":[]}"#))
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
    fn no_posts() {
        assert_eq!(posts_min_json(&[]), r#"{"version":1,"posts":[]}"#);
    }
}
