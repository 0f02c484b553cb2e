//! A catalogue of malformed and odd posts files, each with the exact error or warning it gives.
//!
//! Messages are compared in full (`location: message`), so a change of wording shows up here.

use logmesh::Error;
use logmesh::posts::{
    Date, Limits, MAX_REPORTED_ERRORS, MAX_REPORTED_WARNINGS, Parsed, Post, parse, parse_with,
};

/// A document around `posts` (the inside of the list).
fn doc(posts: &str) -> String {
    format!(r#"{{"version":1,"posts":[{posts}]}}"#)
}

/// A document with one post: id "a", title "A", plus `extra` fields (with a leading comma).
fn one(extra: &str) -> String {
    doc(&format!(r#"{{"id":"a","title":"A"{extra}}}"#))
}

fn try_errors(input: &[u8], limits: &Limits) -> (Vec<String>, usize) {
    match parse_with(input, limits) {
        Ok(parsed) => panic!("expected an error, got {parsed:?}"),
        Err(Error::InvalidPosts { issues, more }) => {
            (issues.iter().map(ToString::to_string).collect(), more)
        }
        Err(e) => panic!("expected InvalidPosts, got {e:?}"),
    }
}

/// All errors of `input` (which must be invalid), as displayed.
fn errors(input: impl AsRef<[u8]>) -> Vec<String> {
    let (issues, more) = try_errors(input.as_ref(), &Limits::default());
    assert_eq!(more, 0);
    issues
}

/// The single error of `input`.
fn error(input: impl AsRef<[u8]>) -> String {
    let issues = errors(input);
    assert_eq!(issues.len(), 1, "{issues:#?}");
    issues.into_iter().next().unwrap_or_default()
}

fn ok(input: impl AsRef<[u8]>) -> Parsed {
    match parse(input.as_ref()) {
        Ok(parsed) => parsed,
        Err(e) => panic!("expected success, got:\n{e}"),
    }
}

/// The warnings of `input` (which must be valid), as displayed.
fn warnings(input: impl AsRef<[u8]>) -> Vec<String> {
    ok(input).warnings.iter().map(ToString::to_string).collect()
}

fn assert_ok(input: impl AsRef<[u8]>) {
    let parsed = ok(input);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

// ---- Text and syntax ---------------------------------------------------------------------------

#[test]
fn empty_file() {
    assert_eq!(
        error(""),
        "line 1, column 1: the text ends where a value should be"
    );
    assert_eq!(
        error(" \n "),
        "line 2, column 2: the text ends where a value should be"
    );
}

#[test]
fn truncated_json() {
    assert_eq!(
        error(r#"{"version":1,"posts":["#),
        "line 1, column 23: the text ends inside a list"
    );
    assert_eq!(
        error("{\"version\":1,\n\"posts\":[{\"id\":\"a\",\"ti"),
        "line 2, column 23: the text ends inside a string"
    );
}

#[test]
fn trailing_characters() {
    assert_eq!(
        error(format!("{} x", one(""))),
        "line 1, column 48: unexpected text after the document"
    );
}

#[test]
fn not_json_at_all() {
    assert_eq!(error("<html>"), "line 1, column 1: expected a value");
    assert_eq!(
        error("{'version':1}"),
        "line 1, column 2: expected a field name in double quotes"
    );
}

#[test]
fn invalid_utf8_gives_line_and_column() {
    let mut bytes = b"{\"version\":1,\n  \"posts\":[\xff]}".to_vec();
    assert_eq!(
        error(&bytes),
        "line 2, column 12: invalid UTF-8 (byte 0xff)"
    );
    // A sequence cut short by the end of the file.
    bytes = b"{\"a\xc3".to_vec();
    assert_eq!(error(&bytes), "line 1, column 4: invalid UTF-8 (byte 0xc3)");
    // An overlong encoding of '/' inside a string.
    assert_eq!(
        error(b"\"\xc0\xaf\""),
        "line 1, column 2: invalid UTF-8 (byte 0xc0)"
    );
}

#[test]
fn bom_is_stripped_with_a_warning() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(one("").as_bytes());
    let parsed = ok(&bytes);
    assert_eq!(parsed.posts.len(), 1);
    assert_eq!(
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["document: UTF-8 byte order mark ignored"]
    );
    // Positions after a BOM do not count it.
    assert_eq!(
        error(b"\xEF\xBB\xBF{x"),
        "line 1, column 2: expected a field name in double quotes"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Nesting deeper than 128 levels is a syntax error wherever it is, found at the 129th level.
    let open = "[".repeat(100_000);
    let too_deep = "line 1, column 129: nested more than 128 levels deep";
    assert_eq!(error(&open), too_deep);
    let closed = format!("{open}{}", "]".repeat(100_000));
    assert_eq!(error(&closed), too_deep);
    let deep_tags = one(&format!(r#","title2":1,"tags":{closed}"#));
    assert_eq!(
        error(deep_tags),
        "line 1, column 188: nested more than 128 levels deep"
    );
    let deep_objects = one(&format!(r#","summary":{}"#, r#"{"a":"#.repeat(100_000)));
    assert_eq!(
        error(deep_objects),
        "line 1, column 680: nested more than 128 levels deep"
    );
    // In a field nobody reads as well: the limit belongs to the JSON, not to the schema.
    assert_eq!(
        error(one(&format!(r#","x":{closed}"#))),
        "line 1, column 174: nested more than 128 levels deep"
    );
    // 128 levels are fine (the document, the list and the post are three of them).
    let deepest = format!("{}{}", "[".repeat(125), "]".repeat(125));
    assert_eq!(
        warnings(one(&format!(r#","x":{deepest}"#))),
        [r#"posts[0] (id "a"): unknown field "x", ignored"#]
    );
}

#[test]
fn a_number_out_of_range_is_reported_with_its_post_and_field() {
    assert_eq!(
        error(doc(r#"{"id":"w1","title":"W","weight":1e999}"#)),
        r#"posts[0] (id "w1"): weight: 1e999 is not a finite number"#
    );
    assert_eq!(
        error(one(r#","weight":-1e999"#)),
        r#"posts[0] (id "a"): weight: -1e999 is not a finite number"#
    );
    // A number is quoted as written, up to 60 characters.
    let digits = format!("1{}", "0".repeat(400));
    assert_eq!(
        error(one(&format!(r#","weight":{digits}"#))),
        format!(
            r#"posts[0] (id "a"): weight: 1{}… is not a finite number"#,
            "0".repeat(59)
        )
    );
    assert_eq!(
        error(r#"{"version":1e999,"posts":[]}"#),
        "version: expected 1 or 2, found 1e999"
    );
}

#[test]
fn byte_limit() {
    let input = one("");
    let limits = Limits {
        max_bytes: input.len() - 1,
        ..Limits::default()
    };
    let (issues, more) = try_errors(input.as_bytes(), &limits);
    assert_eq!(
        (issues, more),
        (
            vec!["document: 46 bytes, more than the limit of 45".to_owned()],
            0
        )
    );
    let limits = Limits {
        max_bytes: input.len(),
        ..Limits::default()
    };
    assert!(parse_with(input.as_bytes(), &limits).is_ok());
}

// ---- The document ------------------------------------------------------------------------------

#[test]
fn document_not_an_object() {
    assert_eq!(error("[]"), "document: expected an object, found a list");
    assert_eq!(error("null"), "document: expected an object, found null");
    assert_eq!(
        error(r#""posts""#),
        "document: expected an object, found a string"
    );
    assert_eq!(error("1"), "document: expected an object, found a number");
    assert_eq!(
        error("true"),
        "document: expected an object, found a boolean"
    );
}

#[test]
fn wrong_version() {
    let with = |v: &str| format!(r#"{{"version":{v},"posts":[{{"id":"a","title":"A"}}]}}"#);
    assert_eq!(error(with("0")), "version: expected 1 or 2, found 0");
    assert_eq!(error(with("3")), "version: expected 1 or 2, found 3");
    assert_eq!(error(with("-1")), "version: expected 1 or 2, found -1");
    // Exactly the integer 1: not a float, not a string.
    assert_eq!(error(with("1.0")), "version: expected 1 or 2, found 1.0");
    assert_eq!(
        error(with("\"1\"")),
        "version: expected 1 or 2, found a string"
    );
    assert_eq!(error(with("null")), "version: expected 1 or 2, found null");
    assert_eq!(
        error(r#"{"posts":[{"id":"a","title":"A"}]}"#),
        "version: missing"
    );
}

#[test]
fn posts_not_a_list() {
    assert_eq!(error(r#"{"version":1}"#), "posts: missing");
    assert_eq!(
        error(r#"{"version":1,"posts":{"a":{}}}"#),
        "posts: expected a list, found an object"
    );
    assert_eq!(
        error(r#"{"version":1,"posts":null}"#),
        "posts: expected a list, found null"
    );
    assert_eq!(
        error(r#"{"version":1,"posts":"a"}"#),
        "posts: expected a list, found a string"
    );
}

#[test]
fn document_errors_are_all_reported() {
    assert_eq!(
        errors(r#"{"version":"one","posts":7}"#),
        [
            "version: expected 1 or 2, found a string",
            "posts: expected a list, found a number"
        ]
    );
}

#[test]
fn duplicate_top_level_field() {
    assert_eq!(
        error(r#"{"version":1,"posts":[],"posts":[{"id":"a","title":"A"}]}"#),
        "posts: duplicate field"
    );
}

#[test]
fn unknown_top_level_field_is_a_warning() {
    assert_eq!(
        warnings(
            r#"{"version":1,"generator":"x","posts":[{"id":"a","title":"A"}],"generator":"y"}"#
        ),
        [r#"document: unknown field "generator", ignored"#]
    );
}

#[test]
fn zero_posts_is_valid_with_a_warning() {
    let parsed = ok(doc(""));
    assert!(parsed.posts.is_empty());
    assert_eq!(
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["posts: the list is empty"]
    );
}

#[test]
fn post_limit() {
    let input = doc(r#"{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c","title":""}"#);
    let limits = Limits {
        max_posts: 2,
        ..Limits::default()
    };
    // The posts past the limit are not read, so the empty title of posts[2] is not reported.
    let (issues, more) = try_errors(input.as_bytes(), &limits);
    assert_eq!(
        (issues, more),
        (
            vec!["posts: 3 posts, more than the limit of 2".to_owned()],
            0
        )
    );
    let limits = Limits {
        max_posts: 3,
        ..Limits::default()
    };
    let (issues, _) = try_errors(input.as_bytes(), &limits);
    assert_eq!(issues, [r#"posts[2] (id "c"): title: empty"#]);
}

#[test]
fn no_list_or_object_is_read_past_the_largest_list_limit() {
    let limits = Limits {
        max_posts: 2,
        max_links: 2,
        max_tags: 2,
        ..Limits::default()
    };
    // The posts list: stopped at its third entry, whatever follows (here a syntax error).
    let input = doc(r#"{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c" oops"#);
    let message = "a list or object of more than 2 entries (at most 2 posts)";
    assert_eq!(
        try_errors(input.as_bytes(), &limits),
        (vec![format!("line 1, column 69: {message}")], 0)
    );
    // Any list or object: a post's own fields, an unknown field's value.
    let input = one(r#","x":{"p":1,"q":2}"#);
    assert_eq!(
        try_errors(input.as_bytes(), &limits),
        (vec![format!("line 1, column 45: {message}")], 0)
    );
    let limits = Limits {
        max_posts: 3,
        max_links: 3,
        max_tags: 3,
        ..Limits::default()
    };
    let input = one(r#","x":{"p":1,"q":2,"r":3,"s":4}"#);
    assert_eq!(
        try_errors(input.as_bytes(), &limits),
        (
            vec![
                "line 1, column 68: a list or object of more than 3 entries (at most 3 posts)"
                    .to_owned()
            ],
            0
        )
    );
}

// ---- Posts: shape and id -----------------------------------------------------------------------

#[test]
fn one_valid_post() {
    let parsed = ok(doc(
        r#"{"id":"mvp-to-production","title":"Moving an MVP to production",
            "url":"/log/mvp-to-production","date":"2026-05-01","tags":["production","ai"],
            "links":[],"summary":"How.","weight":1.5}"#,
    ));
    assert_eq!(
        parsed,
        Parsed {
            centre: None,
            style: None,
            posts: vec![Post {
                id: "mvp-to-production".into(),
                title: "Moving an MVP to production".into(),
                url: Some("/log/mvp-to-production".into()),
                date: Some(Date {
                    year: 2026,
                    month: 5,
                    day: 1
                }),
                tags: vec!["production".into(), "ai".into()],
                links: vec![],
                summary: Some("How.".into()),
                weight: Some(1.5),
            }],
            warnings: vec![],
            dropped_links: 0,
        }
    );
}

#[test]
fn post_not_an_object() {
    assert_eq!(
        errors(doc(r#""a", [1], null, 3, {"id":"b","title":"B"}, true"#)),
        [
            "posts[0]: expected an object, found a string",
            "posts[1]: expected an object, found a list",
            "posts[2]: expected an object, found null",
            "posts[3]: expected an object, found a number",
            "posts[5]: expected an object, found a boolean",
        ]
    );
}

#[test]
fn missing_id() {
    assert_eq!(error(doc(r#"{"title":"A"}"#)), "posts[0]: id: missing");
}

#[test]
fn empty_id() {
    assert_eq!(
        error(doc(r#"{"id":"","title":"A"}"#)),
        "posts[0]: id: empty"
    );
}

#[test]
fn id_wrong_type() {
    assert_eq!(
        error(doc(r#"{"id":12,"title":"A"}"#)),
        "posts[0]: id: expected a string, found a number"
    );
    assert_eq!(
        error(doc(r#"{"id":null,"title":"A"}"#)),
        "posts[0]: id: expected a string, found null"
    );
}

#[test]
fn id_length_counts_characters() {
    let at_limit = "é".repeat(200);
    assert_ok(doc(&format!(r#"{{"id":"{at_limit}","title":"A"}}"#)));
    let over = "x".repeat(201);
    assert_eq!(
        error(doc(&format!(r#"{{"id":"{over}","title":"A"}}"#))),
        format!(
            r#"posts[0] (id "{}…"): id: 201 characters, more than the limit of 200"#,
            "x".repeat(60)
        )
    );
}

#[test]
fn id_with_control_character() {
    assert_eq!(
        error(doc(r#"{"id":"a\u0007b","title":"A"}"#)),
        r#"posts[0] (id "a\u{0007}b"): id: control character \u{0007} is not allowed"#
    );
    assert_eq!(
        error(doc(r#"{"id":"a\nb","title":"A"}"#)),
        r#"posts[0] (id "a\nb"): id: control character \u{000a} is not allowed"#
    );
    // C1 controls too.
    assert_eq!(
        error(doc(r#"{"id":"a\u0085","title":"A"}"#)),
        r#"posts[0] (id "a\u{0085}"): id: control character \u{0085} is not allowed"#
    );
}

#[test]
fn duplicate_ids_name_the_first() {
    assert_eq!(
        errors(doc(
            r#"{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"a","title":"C"},{"id":"a","title":"D"}"#
        )),
        [
            r#"posts[2] (id "a"): id: already used by posts[0]"#,
            r#"posts[3] (id "a"): id: already used by posts[0]"#,
        ]
    );
}

// ---- Title -------------------------------------------------------------------------------------

#[test]
fn missing_title() {
    assert_eq!(
        error(doc(r#"{"id":"a"}"#)),
        r#"posts[0] (id "a"): title: missing"#
    );
}

#[test]
fn empty_and_whitespace_titles() {
    assert_eq!(
        error(one(r#","title":"""#).replace(r#""title":"A","#, "")),
        r#"posts[0] (id "a"): title: empty"#
    );
    assert_eq!(
        error(doc(r#"{"id":"a","title":" \t\n\u3000"}"#)),
        r#"posts[0] (id "a"): title: only whitespace"#
    );
}

#[test]
fn huge_title() {
    let title = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        error(doc(&format!(r#"{{"id":"a","title":"{title}"}}"#))),
        r#"posts[0] (id "a"): title: 10485760 characters, more than the limit of 500"#
    );
}

#[test]
fn title_wrong_type() {
    assert_eq!(
        error(doc(r#"{"id":"a","title":5}"#)),
        r#"posts[0] (id "a"): title: expected a string, found a number"#
    );
    assert_eq!(
        error(doc(r#"{"id":"a","title":["A"]}"#)),
        r#"posts[0] (id "a"): title: expected a string, found a list"#
    );
    assert_eq!(
        error(doc(r#"{"id":"a","title":null}"#)),
        r#"posts[0] (id "a"): title: expected a string, found null"#
    );
}

/// Titles are only ever shown as text, so control characters and markup are kept as they are.
#[test]
fn title_may_hold_control_characters_and_markup() {
    let parsed = ok(doc(r#"{"id":"a","title":"<b>x</b>\u0007\ttab"}"#));
    assert_eq!(parsed.posts[0].title, "<b>x</b>\u{7}\ttab");
}

// ---- URL ---------------------------------------------------------------------------------------

fn url_error(url: &str) -> String {
    let json = serde_json::to_string(url).unwrap_or_default();
    error(one(&format!(r#","url":{json}"#)))
}

fn url_ok(url: &str) {
    let json = serde_json::to_string(url).unwrap_or_default();
    let parsed = ok(one(&format!(r#","url":{json}"#)));
    assert_eq!(parsed.posts[0].url.as_deref(), Some(url), "kept as written");
}

#[test]
fn url_javascript_in_any_case() {
    assert_eq!(
        url_error("JaVaScRiPt:alert(1)"),
        r#"posts[0] (id "a"): url: scheme "javascript" is not allowed"#
    );
}

#[test]
fn url_javascript_with_tabs_newlines_and_spaces() {
    let expected = r#"posts[0] (id "a"): url: scheme "javascript" is not allowed"#;
    assert_eq!(url_error("java\tscript:alert(1)"), expected);
    assert_eq!(url_error("java\nscr\ript:alert(1)"), expected);
    assert_eq!(url_error("   javascript:alert(1)"), expected);
    assert_eq!(url_error("\u{1}javascript:alert(1)"), expected);
}

#[test]
fn url_other_schemes() {
    for (url, scheme) in [
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("vbscript:msgbox(1)", "vbscript"),
        ("file:///etc/passwd", "file"),
        ("mailto:me@example.com", "mailto"),
        ("ftp://example.com/x", "ftp"),
        ("blob:https://example.com/x", "blob"),
    ] {
        assert_eq!(
            url_error(url),
            format!(r#"posts[0] (id "a"): url: scheme "{scheme}" is not allowed"#)
        );
    }
}

#[test]
fn url_allowed_forms() {
    url_ok("https://ok");
    url_ok("http://example.com/log/x?a=1#b");
    url_ok("HTTPS://EXAMPLE.COM/");
    url_ok("/log/x");
    url_ok("x/y");
    url_ok("../up");
    url_ok("?page=2");
    url_ok("#top");
    // Protocol-relative: takes the page's scheme (http or https), so it is allowed, even though
    // it points at another host; the site owner wrote it.
    url_ok("//evil.example/x");
}

#[test]
fn url_that_does_not_parse() {
    assert_eq!(
        url_error("http://[::1"),
        r#"posts[0] (id "a"): url: not a valid URL: invalid IPv6 address"#
    );
    assert_eq!(
        url_error("https://"),
        r#"posts[0] (id "a"): url: not a valid URL: empty host"#
    );
}

#[test]
fn url_empty_or_too_long_or_wrong_type() {
    assert_eq!(url_error(""), r#"posts[0] (id "a"): url: empty"#);
    // Nothing left once a browser strips spaces and controls: the writers would drop it.
    for blank in [" ", "          ", "\t\n", "\u{1} \u{1f}"] {
        assert_eq!(
            url_error(blank),
            r#"posts[0] (id "a"): url: only spaces and control characters, which a browser ignores"#,
            "{blank:?}"
        );
        assert!(!logmesh::export::is_safe_url(blank), "{blank:?}");
    }
    let long = format!("/{}", "x".repeat(2048));
    assert_eq!(
        url_error(&long),
        r#"posts[0] (id "a"): url: 2049 characters, more than the limit of 2048"#
    );
    assert_eq!(
        error(one(r#","url":{"href":"/x"}"#)),
        r#"posts[0] (id "a"): url: expected a string, found an object"#
    );
}

// ---- Date --------------------------------------------------------------------------------------

#[test]
fn dates() {
    let date = |d: &str| one(&format!(r#","date":{d}"#));
    assert_eq!(
        ok(date(r#""2024-02-29""#)).posts[0].date,
        Some(Date {
            year: 2024,
            month: 2,
            day: 29
        })
    );
    assert_eq!(
        error(date(r#""2026-02-30""#)),
        r#"posts[0] (id "a"): date: "2026-02-30" is not a real date"#
    );
    assert_eq!(
        error(date(r#""2023-02-29""#)),
        r#"posts[0] (id "a"): date: "2023-02-29" is not a real date"#
    );
    assert_eq!(
        error(date(r#""0000-01-01""#)),
        r#"posts[0] (id "a"): date: "0000-01-01" is not a real date"#
    );
    assert_eq!(
        error(date(r#""2026-1-5""#)),
        r#"posts[0] (id "a"): date: "2026-1-5" is not a YYYY-MM-DD date"#
    );
    assert_eq!(
        error(date(r#""2026-05-01T10:00:00Z""#)),
        r#"posts[0] (id "a"): date: "2026-05-01T10:00:00Z" is not a YYYY-MM-DD date"#
    );
    assert_eq!(
        error(date(r#""２０２６-05-01""#)),
        r#"posts[0] (id "a"): date: "２０２６-05-01" is not a YYYY-MM-DD date"#
    );
    assert_eq!(
        error(date("20260501")),
        r#"posts[0] (id "a"): date: expected a string, found a number"#
    );
}

// ---- Weight ------------------------------------------------------------------------------------

#[test]
fn weights() {
    let weight = |w: &str| one(&format!(r#","weight":{w}"#));
    assert_eq!(ok(weight("2")).posts[0].weight, Some(2.0));
    assert_eq!(ok(weight("1e-300")).posts[0].weight, Some(1e-300));
    assert_eq!(
        error(weight("0")),
        r#"posts[0] (id "a"): weight: 0 is not greater than 0"#
    );
    assert_eq!(
        error(weight("-0.0")),
        r#"posts[0] (id "a"): weight: -0.0 is not greater than 0"#
    );
    assert_eq!(
        error(weight("-1")),
        r#"posts[0] (id "a"): weight: -1 is not greater than 0"#
    );
    assert_eq!(
        error(weight(r#""1""#)),
        r#"posts[0] (id "a"): weight: expected a number, found a string"#
    );
}

// ---- Tags --------------------------------------------------------------------------------------

fn tags_doc(tags: &[String]) -> String {
    let json = serde_json::to_string(tags).unwrap_or_default();
    one(&format!(r#","tags":{json}"#))
}

#[test]
fn tags_not_a_list() {
    assert_eq!(
        error(one(r#","tags":"a,b""#)),
        r#"posts[0] (id "a"): tags: expected a list, found a string"#
    );
}

#[test]
fn too_many_tags() {
    let tags: Vec<String> = (0..64).map(|i| format!("t{i}")).collect();
    assert_eq!(ok(tags_doc(&tags)).posts[0].tags.len(), 64);
    let tags: Vec<String> = (0..65).map(|i| format!("t{i}")).collect();
    assert_eq!(
        error(tags_doc(&tags)),
        r#"posts[0] (id "a"): tags: 65 tags, more than the limit of 64"#
    );
}

#[test]
fn hundred_thousand_tags_give_one_error() {
    let tags: Vec<String> = (0..100_000).map(|_| String::new()).collect();
    assert_eq!(
        error(tags_doc(&tags)),
        r#"posts[0] (id "a"): tags: 100000 tags, more than the limit of 64"#
    );
}

#[test]
fn bad_tags() {
    assert_eq!(
        errors(one(&format!(
            r#","tags":["ok","",3,"{}","a\u0000b",null]"#,
            "t".repeat(101)
        ))),
        [
            r#"posts[0] (id "a"): tags[1]: empty"#,
            r#"posts[0] (id "a"): tags[2]: expected a string, found a number"#,
            r#"posts[0] (id "a"): tags[3]: 101 characters, more than the limit of 100"#,
            r#"posts[0] (id "a"): tags[4]: control character \u{0000} is not allowed"#,
            r#"posts[0] (id "a"): tags[5]: expected a string, found null"#,
        ]
    );
}

#[test]
fn duplicate_tag_is_dropped_with_a_warning() {
    let parsed = ok(one(r#","tags":["rust","web","rust","Rust","web"]"#));
    assert_eq!(parsed.posts[0].tags, ["rust", "web", "Rust"]);
    assert_eq!(
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            r#"posts[0] (id "a"): tags[2]: duplicate of tags[0], dropped"#,
            r#"posts[0] (id "a"): tags[4]: duplicate of tags[1], dropped"#,
        ]
    );
    assert_eq!(parsed.dropped_links, 0);
}

// ---- Links -------------------------------------------------------------------------------------

#[test]
fn link_problems_are_warnings_and_counted() {
    let parsed = ok(doc(
        r#"{"id":"a","title":"A","links":["b","missing","a","b","c","missing"]},
           {"id":"b","title":"B","links":["a"]},
           {"id":"c","title":"C"}"#,
    ));
    assert_eq!(parsed.posts[0].links, ["b", "c"]);
    assert_eq!(parsed.posts[1].links, ["a"]);
    assert_eq!(parsed.dropped_links, 4);
    assert_eq!(
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            r#"posts[0] (id "a"): links[1]: no post has the id "missing", dropped"#,
            r#"posts[0] (id "a"): links[2]: links to the post itself, dropped"#,
            r#"posts[0] (id "a"): links[3]: duplicate of links[0], dropped"#,
            r#"posts[0] (id "a"): links[5]: no post has the id "missing", dropped"#,
        ]
    );
}

#[test]
fn link_to_missing_id() {
    assert_eq!(
        warnings(one(r#","links":["nope"]"#)),
        [r#"posts[0] (id "a"): links[0]: no post has the id "nope", dropped"#]
    );
}

#[test]
fn self_link() {
    assert_eq!(
        warnings(one(r#","links":["a"]"#)),
        [r#"posts[0] (id "a"): links[0]: links to the post itself, dropped"#]
    );
}

#[test]
fn duplicate_link_among_many() {
    // Past the short linear scan: the hashed path finds the duplicate too.
    let ids: Vec<String> = (0..40).map(|i| format!("p{i}")).collect();
    let mut posts: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id":"{id}","title":"T"}}"#))
        .collect();
    let mut links = ids.clone();
    links.push("p30".into());
    posts.push(format!(
        r#"{{"id":"hub","title":"Hub","links":{}}}"#,
        serde_json::to_string(&links).unwrap_or_default()
    ));
    let parsed = ok(doc(&posts.join(",")));
    assert_eq!(parsed.dropped_links, 1);
    assert_eq!(
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [r#"posts[40] (id "hub"): links[40]: duplicate of links[30], dropped"#]
    );
}

#[test]
fn too_many_links() {
    let links = vec!["b"; 10_001];
    let input = doc(&format!(
        r#"{{"id":"a","title":"A","links":{}}},{{"id":"b","title":"B"}}"#,
        serde_json::to_string(&links).unwrap_or_default()
    ));
    assert_eq!(
        error(input),
        r#"posts[0] (id "a"): links: 10001 links, more than the limit of 10000"#
    );
}

#[test]
fn links_wrong_types() {
    assert_eq!(
        error(one(r#","links":"b""#)),
        r#"posts[0] (id "a"): links: expected a list, found a string"#
    );
    assert_eq!(
        error(one(r#","links":[{"id":"b"}]"#)),
        r#"posts[0] (id "a"): links[0]: expected a string, found an object"#
    );
}

// ---- Summary, unknown and repeated fields, nulls -----------------------------------------------

#[test]
fn summary_limit() {
    let at_limit = "ü".repeat(2000);
    assert_ok(one(&format!(r#","summary":"{at_limit}""#)));
    let over = "s".repeat(2001);
    assert_eq!(
        error(one(&format!(r#","summary":"{over}""#))),
        r#"posts[0] (id "a"): summary: 2001 characters, more than the limit of 2000"#
    );
    assert_eq!(
        error(one(r#","summary":false"#)),
        r#"posts[0] (id "a"): summary: expected a string, found a boolean"#
    );
}

#[test]
fn unknown_post_fields_warn_once_per_name() {
    assert_eq!(
        warnings(one(
            r#","colour":"red","Title":"x","colour":"blue","a\nb":1"#
        )),
        [
            r#"posts[0] (id "a"): unknown field "colour", ignored"#,
            r#"posts[0] (id "a"): unknown field "Title", ignored"#,
            r#"posts[0] (id "a"): unknown field "a\nb", ignored"#,
        ]
    );
}

#[test]
fn repeated_field_in_a_post_is_an_error() {
    assert_eq!(
        error(one(r#","url":"/ok","url":"javascript:alert(1)""#)),
        r#"posts[0] (id "a"): url: duplicate field"#
    );
}

/// `null` for an optional field means the field is absent.
#[test]
fn null_optional_fields_are_absent() {
    let parsed = ok(one(
        r#","url":null,"date":null,"tags":null,"links":null,"summary":null,"weight":null"#,
    ));
    assert_eq!(
        parsed.posts[0],
        Post {
            id: "a".into(),
            title: "A".into(),
            url: None,
            date: None,
            tags: vec![],
            links: vec![],
            summary: None,
            weight: None,
        }
    );
    assert!(parsed.warnings.is_empty());
}

// ---- Many problems -----------------------------------------------------------------------------

#[test]
fn several_problems_in_one_post_are_all_reported() {
    assert_eq!(
        errors(doc(
            r#"{"id":"a","title":"","url":"javascript:x","date":"2026-13-01","tags":[""],"weight":0}"#
        )),
        [
            r#"posts[0] (id "a"): title: empty"#,
            r#"posts[0] (id "a"): url: scheme "javascript" is not allowed"#,
            r#"posts[0] (id "a"): date: "2026-13-01" is not a real date"#,
            r#"posts[0] (id "a"): tags[0]: empty"#,
            r#"posts[0] (id "a"): weight: 0 is not greater than 0"#,
        ]
    );
}

#[test]
fn two_bad_posts_are_both_reported() {
    assert_eq!(
        errors(doc(
            r#"{"id":"a","title":"A","url":"data:x"},{"id":"b","title":"B"},{"id":"c","title":" "}"#
        )),
        [
            r#"posts[0] (id "a"): url: scheme "data" is not allowed"#,
            r#"posts[2] (id "c"): title: only whitespace"#,
        ]
    );
}

#[test]
fn many_bad_posts_are_capped() {
    let posts: Vec<String> = (0..150).map(|i| format!(r#"{{"id":"p{i}"}}"#)).collect();
    let (issues, more) = try_errors(doc(&posts.join(",")).as_bytes(), &Limits::default());
    assert_eq!(issues.len(), MAX_REPORTED_ERRORS);
    assert_eq!(more, 50);
    assert_eq!(issues[0], r#"posts[0] (id "p0"): title: missing"#);
    assert_eq!(issues[99], r#"posts[99] (id "p99"): title: missing"#);
    let shown = parse(doc(&posts.join(",")).as_bytes())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(shown.ends_with("posts[99] (id \"p99\"): title: missing\n... and 50 more"));
}

#[test]
fn many_warnings_are_capped() {
    let posts: Vec<String> = (0..1500)
        .map(|i| format!(r#"{{"id":"p{i}","title":"T","x":1}}"#))
        .collect();
    let parsed = ok(doc(&posts.join(",")));
    assert_eq!(parsed.warnings.len(), MAX_REPORTED_WARNINGS + 1);
    assert_eq!(
        parsed.warnings[MAX_REPORTED_WARNINGS].to_string(),
        "document: 500 more warnings not shown"
    );
}

#[test]
fn error_location_is_structured() {
    let Err(e) = parse(one(r#","url":"vbscript:x""#).as_bytes()) else {
        panic!("expected an error");
    };
    assert_eq!(
        e.issues(),
        [logmesh::error::Issue {
            location: logmesh::error::Location::Post {
                index: 0,
                id: Some("a".into()),
                field: "url".into(),
            },
            message: r#"scheme "vbscript" is not allowed"#.into(),
        }]
    );
}

// ---- Order -------------------------------------------------------------------------------------

#[test]
fn posts_come_out_sorted_by_id_bytes() {
    let parsed = ok(doc(
        r#"{"id":"é","title":"1"},{"id":"a","title":"2"},{"id":"B","title":"3"},{"id":"z","title":"4"},{"id":"a-b","title":"5"}"#,
    ));
    let ids: Vec<&str> = parsed.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["B", "a", "a-b", "z", "é"]);
}

#[test]
fn file_order_does_not_change_the_posts() {
    let posts = [
        r#"{"id":"c","title":"C","links":["a","b"],"tags":["x","y"]}"#,
        r#"{"id":"a","title":"A","links":["c","zz"],"tags":["y"]}"#,
        r#"{"id":"b","title":"B","links":["b","a"],"url":"/b","weight":2}"#,
        r#"{"id":"d","title":"D","date":"2020-01-01"}"#,
    ];
    let reference = ok(doc(&posts.join(",")));
    for order in [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
        let shuffled: Vec<&str> = order.iter().map(|&i| posts[i]).collect();
        let parsed = ok(doc(&shuffled.join(",")));
        assert_eq!(parsed.posts, reference.posts);
        assert_eq!(parsed.dropped_links, reference.dropped_links);
        assert_eq!(parsed.warnings.len(), reference.warnings.len());
    }
}
