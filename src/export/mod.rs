//! The static outputs of `logmesh prerender` that need no GPU: the frame as SVG, the HTML to
//! paste into a page (`embed.html` and its stylesheet) and the page data (`posts.min.json`).
//!
//! - [`svg`]: the same [`crate::scene::Scene`] the GPU draws, drawn as an SVG document, for build
//!   machines with no adapter.
//! - [`embed`]: the `<log-mesh>` element with the static frame, label overlay, post links and a
//!   capped list of links as its children, so the first paint shows the first frame and the
//!   page works without JS. No script, no event-handler attributes, no `style` attribute: the
//!   element takes its shape from the picture's `width`/`height` (the phone frame's on small
//!   touch screens), so embed.html needs nothing from `style-src` beyond its stylesheet.
//! - [`page_data`]: posts.json version 1 without summaries.
//!
//! Everything here is a pure function of its inputs (no clock, no file system, no GPU), and
//! every user string goes through [`escape`] before it reaches markup: nothing here may ever let
//! a title, id or URL become markup or script.

pub mod embed;
pub mod escape;
pub mod labels;
pub mod local_names;
pub mod page_data;
pub mod svg;

pub use embed::{
    EmbedFiles, EmbedInput, EmbedTwoD, SMALL_TOUCH_SCREEN_MEDIA, default_embed_css, embed_css,
    embed_html, linked_posts,
};
pub use page_data::{local_posts_min_json, page_data_json, posts_min_json};
pub use svg::scene_svg;

/// Whether `url` is safe to put in an `href` or `src`: not blank (nothing left once a browser
/// strips leading and trailing C0 controls and spaces and removes tabs and newlines, as
/// [`crate::posts::parse`] also refuses), and once parsed as a browser
/// would (WHATWG, relative to an https page: leading and trailing C0 controls and spaces
/// stripped, tabs and newlines removed) its scheme is `http` or `https`. So relative URLs
/// (`/log/x`, `x.html`, `?page=2`) and network-path references, which point at another host
/// with the page's scheme (`//host/x`, and `/\host/x`, which browsers read the same), pass, and
/// `javascript:`, `JaVaScRiPt:`, `java\tscript:`, `data:` and every other scheme fail.
///
/// Markup gets a safe URL through [`safe_href`], never as given.
pub fn is_safe_url(url: &str) -> bool {
    if crate::whatwg::is_blank(url) {
        return false;
    }
    crate::whatwg::scheme(url).is_ok_and(|scheme| matches!(scheme.as_str(), "http" | "https"))
}

/// `url` as logmesh writes it into markup (embed.html, its inline SVG overlays) and hands to the
/// element: `None` when it is not safe ([`is_safe_url`]) or nothing is left of it; otherwise the
/// same URL, resolved by a browser to the same place, written so that its text says where it
/// goes:
/// - what a browser strips or ignores is removed: leading and trailing C0 controls and spaces,
///   and every tab, line feed and carriage return;
/// - a backslash before the query or fragment becomes the `/` a browser reads it as (WHATWG:
///   in an http or https URL, and in a relative URL on an http or https page, `\` is a path or
///   authority separator).
///
/// So `/\evil.example/x` and `/\t/evil.example/x`, which a browser follows to another host
/// though they look like paths on this site, are written `//evil.example/x`, which every reader
/// (a person, a link checker, a router deciding whether a link stays in the app) takes for
/// another host; a URL written as a path on this site (one `/`, or none) always is one. The
/// caller still escapes the result for its context ([`escape`]). A few hundred bytes of code in
/// the browser module: one pass over the characters, no URL parser beyond [`is_safe_url`]'s.
pub fn safe_href(url: &str) -> Option<String> {
    if !is_safe_url(url) {
        return None;
    }
    // Leading and trailing C0 controls and spaces, which a browser strips, are ASCII bytes.
    let bytes = url.as_bytes();
    let start = bytes.iter().position(|&b| b > b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b > b' ')
        .map_or(start, |i| i + 1);
    let mut out = String::with_capacity(end - start);
    let mut in_path = true;
    for c in url[start..end].chars() {
        match c {
            '\t' | '\n' | '\r' => {}
            '?' | '#' => {
                in_path = false;
                out.push(c);
            }
            '\\' if in_path => out.push('/'),
            c => out.push(c),
        }
    }
    // A browser skips every slash after the first two of a network-path reference (WHATWG's
    // "special authority ignore slashes"), so `/\/host/x`, written `///host/x` so far, goes to
    // `host`: written `//host/x`, which says so to every reader (the `url` crate, for one,
    // refuses `///host`, so `is_safe_url` would refuse what was written).
    if out.starts_with("///") {
        let slashes = out.bytes().take_while(|&b| b == b'/').count();
        out.replace_range(..slashes, "//");
    }
    // Nothing left but what a browser ignores: a link to the page itself, never meant.
    (!out.is_empty()).then_some(out)
}

/// "1 post", "13 posts".
pub(crate) fn count_posts(n: usize) -> String {
    if n == 1 {
        "1 post".to_owned()
    } else {
        format!("{n} posts")
    }
}

/// Appends `v` rounded to `decimals` (at most 3) places, without trailing zeros or a
/// trailing point, and never `-0`: compact numbers for coordinates.
pub(crate) fn push_num(out: &mut String, v: f32, decimals: u32) {
    use std::fmt::Write as _;
    let decimals = decimals.min(3);
    if !v.is_finite() {
        out.push('0');
        return;
    }
    let scale = 10i64.pow(decimals);
    let scaled = (f64::from(v) * scale as f64).round() as i64;
    if scaled < 0 {
        out.push('-');
    }
    let magnitude = scaled.unsigned_abs();
    let (whole, mut fraction) = (magnitude / scale as u64, magnitude % scale as u64);
    let _ = write!(out, "{whole}");
    if fraction != 0 {
        let mut width = decimals as usize;
        while fraction % 10 == 0 {
            fraction /= 10;
            width -= 1;
        }
        let _ = write!(out, ".{fraction:0width$}");
    }
}

/// [`push_num`] into a new string.
pub(crate) fn num(v: f32, decimals: u32) -> String {
    let mut out = String::new();
    push_num(&mut out, v, decimals);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(v: f32, decimals: u32) -> String {
        let mut out = String::new();
        push_num(&mut out, v, decimals);
        out
    }

    #[test]
    fn numbers_are_compact() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (-0.001, "0"),
            (1200.0, "1200"),
            (12.5, "12.5"),
            (12.345_6, "12.35"),
            (0.05, "0.05"),
            (-3.1, "-3.1"),
            (-0.5, "-0.5"),
            (99.999, "100"),
            (f32::NAN, "0"),
            (f32::INFINITY, "0"),
        ];
        for (v, expected) in cases {
            assert_eq!(formatted(v, 2), expected, "{v}");
        }
        assert_eq!(formatted(1.25, 1), "1.3");
        assert_eq!(formatted(1.25, 0), "1");
        assert_eq!(formatted(0.1234, 3), "0.123");
    }

    /// Where a browser on `PAGE` goes for `url` (the `url` crate is WHATWG's parser).
    fn resolved(url: &str) -> String {
        const PAGE: &str = "https://site.example/log/page";
        url::Url::parse(PAGE)
            .and_then(|page| page.join(url))
            .expect("parses")
            .to_string()
    }

    #[test]
    fn safe_hrefs_say_where_they_go() {
        for (url, href) in [
            // Unchanged: the common forms, and a network path that already says so.
            ("/log/x", "/log/x"),
            ("x.html", "x.html"),
            ("https://example.com/a?b#c", "https://example.com/a?b#c"),
            ("//evil.example/x", "//evil.example/x"),
            // Backslashes before the query are the slashes a browser reads.
            ("/\\evil.example/x", "//evil.example/x"),
            ("\\\\evil.example/x", "//evil.example/x"),
            // Slashes past the first two are skipped: the host follows them.
            ("/\\/static/graph", "//static/graph"),
            ("\\\\\\\\evil.example", "//evil.example"),
            ("/\\\r/\\/evil.example/x", "//evil.example/x"),
            ("\\/evil.example", "//evil.example"),
            ("\\evil", "/evil"),
            ("log\\x", "log/x"),
            // A path on this site (with a colon in it), not a scheme.
            ("\\javascript:x", "/javascript:x"),
            ("https:\\\\evil.example\\x", "https://evil.example/x"),
            ("//user\\@evil.example/", "//user/@evil.example/"),
            // What a browser strips or ignores goes.
            (" //evil.example/x ", "//evil.example/x"),
            ("\u{1}/\t/evil.example/x\u{1f}", "//evil.example/x"),
            ("/\n\\evil.example", "//evil.example"),
            // In the query and the fragment a backslash is data.
            ("/log/x?a=\\b#c\\d", "/log/x?a=\\b#c\\d"),
            ("/a\\b#c?d\\e", "/a/b#c?d\\e"),
        ] {
            let got = safe_href(url).expect("safe");
            assert_eq!(got, href, "{url:?}");
            assert_eq!(
                resolved(url),
                resolved(href),
                "{url:?} goes where {href:?} goes"
            );
        }
        for url in [
            "javascript:alert(1)",
            " java\tscript:x",
            "",
            " ",
            "\u{1}",
            "\t\n",
            "data:,x",
        ] {
            assert_eq!(safe_href(url), None, "{url:?}");
        }
    }

    /// A written URL that looks like a path on this site is one; one that looks like another
    /// host (`//`) is that host, whatever backslashes, tabs or spaces the input hid it behind.
    #[test]
    fn a_safe_href_is_never_a_disguised_other_host() {
        let inputs = [
            "/log/x",
            "x.html",
            "../up",
            "?page=2",
            "#top",
            "\\evil",
            "/\\evil.example/x",
            "\\\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "\t//evil.example",
            " /\\evil.example",
            "//evil.example/x",
            "/.\\evil.example",
            "/%5Cevil.example",
            "/\r\n/evil.example",
            "https:/\\evil.example",
            "https:evil.example",
        ];
        for url in inputs {
            let href = safe_href(url).expect("safe");
            let host = url::Url::parse(&resolved(url))
                .expect("parses")
                .host_str()
                .map(str::to_owned);
            assert!(
                !href.contains(['\\', '\t', '\n', '\r']),
                "{url:?} -> {href:?}"
            );
            if let Some(authority) = href.strip_prefix("//") {
                let named = authority.split(['/', '?', '#']).next();
                assert_eq!(host.as_deref(), named, "{url:?} -> {href:?}");
            } else if !href.contains(':') {
                assert_eq!(host.as_deref(), Some("site.example"), "{url:?} -> {href:?}");
            }
        }
    }

    #[test]
    fn only_http_https_and_relative_urls_are_safe() {
        for url in [
            "/log/x",
            "x.html",
            "../x?a=1&b=2#c",
            "//host.example/x",
            "https://example.com/a\"b<c",
            "http://example.com",
            "HTTPS://EXAMPLE.COM/",
            "?page=2",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
        for url in [
            "",
            "   ",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "mailto:a@b.c",
            "ftp://host/x",
        ] {
            assert!(!is_safe_url(url), "{url:?}");
        }
    }
}
