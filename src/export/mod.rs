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
pub mod page_data;
pub mod svg;

pub use embed::{
    EmbedFiles, EmbedInput, EmbedTwoD, SMALL_TOUCH_SCREEN_MEDIA, embed_css, embed_html,
    linked_posts,
};
pub use page_data::posts_min_json;
pub use svg::scene_svg;

/// Whether `url` is safe to put in an `href` or `src`: not empty, and once parsed as a browser
/// would (WHATWG, relative to an https page: leading and trailing C0 controls and spaces
/// stripped, tabs and newlines removed) its scheme is `http` or `https`. So relative URLs
/// (`/log/x`, `x.html`, `//host/x`) pass and `javascript:`, `JaVaScRiPt:`, `java\tscript:`,
/// `data:` and every other scheme fail.
pub fn is_safe_url(url: &str) -> bool {
    if url.trim().is_empty() {
        return false;
    }
    crate::whatwg::scheme(url).is_ok_and(|scheme| matches!(scheme.as_str(), "http" | "https"))
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
