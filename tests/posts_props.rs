//! Property tests: the posts parser never panics, every message says where, and a valid result
//! keeps its promises (sorted unique ids, links only to other existing posts, no repeated tags).

use std::collections::HashSet;

use logmesh::Error;
use logmesh::posts::{Parsed, parse};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Where a message may start: a post, a text position, or a document field.
fn located(message: &str) -> bool {
    ["posts[", "line ", "version: ", "posts: ", "document: "]
        .iter()
        .any(|start| message.starts_with(start))
}

fn check_result(result: &Result<Parsed, Error>) -> Result<(), TestCaseError> {
    match result {
        Err(Error::InvalidPosts { issues, .. }) => {
            prop_assert!(!issues.is_empty());
            for issue in issues {
                let shown = issue.to_string();
                prop_assert!(located(&shown), "unlocated error: {}", shown);
                prop_assert!(!issue.message.is_empty());
            }
        }
        Err(e) => prop_assert!(false, "unexpected error kind: {e:?}"),
        Ok(parsed) => {
            for warning in &parsed.warnings {
                let shown = warning.to_string();
                prop_assert!(located(&shown), "unlocated warning: {}", shown);
            }
            let ids: HashSet<&str> = parsed.posts.iter().map(|p| p.id.as_str()).collect();
            prop_assert_eq!(ids.len(), parsed.posts.len());
            prop_assert!(parsed.posts.windows(2).all(|w| w[0].id < w[1].id));
            for post in &parsed.posts {
                prop_assert!(!post.id.is_empty() && !post.title.trim().is_empty());
                let links: HashSet<&str> = post.links.iter().map(String::as_str).collect();
                prop_assert_eq!(links.len(), post.links.len());
                prop_assert!(!links.contains(post.id.as_str()));
                prop_assert!(links.iter().all(|l| ids.contains(l)));
                let tags: HashSet<&str> = post.tags.iter().map(String::as_str).collect();
                prop_assert_eq!(tags.len(), post.tags.len());
                prop_assert!(post.weight.is_none_or(|w| w.is_finite() && w > 0.0));
            }
        }
    }
    Ok(())
}

/// Strings that exercise the checks: ids that collide, dates, URLs, controls, whitespace.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "a",
            "b",
            "c",
            "a\u{7}",
            "2024-02-29",
            "2023-02-29",
            "2026-1-5",
            "/log/x",
            "x/y",
            "//evil.example/x",
            "https://ok",
            "JaVaScRiPt:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "http://[::1",
            "\u{feff}",
            "é",
        ])
        .prop_map(str::to_owned),
        "[a-c]{1,2}",
        any::<String>(),
    ]
}

/// Any JSON value, a little nested, with numbers that hit the weight and version checks.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(vec![0.0, -1.0, 1.0, 1.5, 2.0, 1e300, -0.0]).prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n)),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,3}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A post-like value: mostly objects with known fields of random type, sometimes something else.
/// A field of a post: mostly a plausible value for its name (valid or nearly), sometimes any
/// value under any name.
fn field() -> impl Strategy<Value = (String, Value)> {
    // Short ids from a small pool, so posts link to each other and sometimes collide.
    let ids = || prop::collection::vec("[a-h]", 0..5).prop_map(|v| json!(v));
    let named = |name: &'static str, value: BoxedStrategy<Value>| {
        value.prop_map(move |v| (name.to_owned(), v))
    };
    let strings = |list: Vec<&'static str>| {
        prop::sample::select(list)
            .prop_map(|s| Value::String(s.to_owned()))
            .boxed()
    };
    prop_oneof![
        named("links", ids().boxed()),
        named("tags", prop_oneof![3 => ids(), 1 => prop::collection::vec(string(), 0..4).prop_map(|v| json!(v))].boxed()),
        named("url", prop_oneof![strings(vec!["/log/x", "x/y", "https://ok", "//h/x", "javascript:x", " data:x", ""]), string().prop_map(Value::String).boxed()].boxed()),
        named("date", strings(vec!["2024-02-29", "2023-02-29", "2026-05-01", "2026-1-5"])),
        named("summary", string().prop_map(Value::String).boxed()),
        named("weight", prop::sample::select(vec![0.5, 1.0, 3.0, 0.0, -1.0]).prop_map(|n| json!(n)).boxed()),
        named("extra", value().boxed()),
        (
            prop::sample::select(vec!["id", "title", "url", "date", "tags", "links", "summary", "weight"]),
            value(),
        )
            .prop_map(|(name, v)| (name.to_owned(), v)),
    ]
}

/// A post-like value: mostly an object with an id, a title and some fields, sometimes not.
fn post() -> impl Strategy<Value = Value> {
    let object = (
        prop_oneof![3 => "[a-h]".boxed(), 1 => string().boxed()],
        prop_oneof![3 => "[A-Z][a-z ]{0,10}".boxed(), 1 => string().boxed()],
        prop::collection::vec(field(), 0..4),
    )
        .prop_map(|(id, title, fields)| {
            let mut map = Map::new();
            map.insert("id".into(), Value::String(id));
            map.insert("title".into(), Value::String(title));
            for (name, value) in fields {
                map.insert(name, value);
            }
            Value::Object(map)
        });
    prop_oneof![8 => object, 1 => value()]
}

fn document() -> impl Strategy<Value = Value> {
    let version = prop_oneof![4 => Just(json!(1)), 1 => value()];
    let posts = prop::collection::vec(post(), 0..8);
    (version, posts, any::<bool>(), any::<bool>()).prop_map(
        |(version, mut posts, extra, renumber)| {
            // Half the time, ids a, b, c... in order, so that more documents are valid.
            if renumber {
                for (post, id) in posts.iter_mut().zip('a'..='h') {
                    if let Some(slot) = post.get_mut("id") {
                        *slot = Value::String(id.to_string());
                    }
                }
            }
            let mut doc = json!({ "version": version, "posts": posts });
            if extra && let Value::Object(map) = &mut doc {
                map.insert("generator".into(), json!("x"));
            }
            doc
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_result(&parse(&bytes))?;
    }

    #[test]
    fn json_like_text_never_panics(text in r#"[\[\]{}",:0-9a-z \\\n\u{feff}\u{7}é-]{0,200}"#) {
        check_result(&parse(text.as_bytes()))?;
    }

    #[test]
    fn generated_documents_never_panic(doc in document()) {
        let text = doc.to_string();
        let result = parse(text.as_bytes());
        check_result(&result)?;
        // The same posts in reverse file order give the same verdict and, if valid, the same posts.
        let mut reversed = doc.clone();
        if let Some(Value::Array(posts)) = reversed.get_mut("posts") {
            posts.reverse();
        }
        let again = parse(reversed.to_string().as_bytes());
        match (&result, &again) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a.posts, &b.posts);
                prop_assert_eq!(a.dropped_links, b.dropped_links);
            }
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "order changed the verdict for {}", text),
        }
    }

    #[test]
    fn truncated_documents_never_panic(doc in document(), cut in any::<prop::sample::Index>()) {
        let text = doc.to_string();
        let bytes = text.as_bytes();
        let cut = cut.index(bytes.len() + 1);
        check_result(&parse(bytes.get(..cut).unwrap_or(bytes)))?;
    }
}
