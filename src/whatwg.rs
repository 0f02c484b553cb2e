//! WHATWG URL parsing, as browsers do it, for the one question logmesh asks of a URL: once
//! resolved against an https page, which scheme does it have (or why is it not a URL)?
//!
//! Natively, and in the pure core on every target, the answer comes from the `url` crate. In the
//! browser build (`web` feature on wasm32) it comes from the browser's own `URL`, which is what
//! decides where a click goes anyway, and which keeps the `url` crate and its Unicode tables
//! (IDNA: about half of the small module's size) out of the module every visitor downloads.

/// The base relative URLs are resolved against: a relative URL inherits the page's scheme,
/// which is http or https.
pub(crate) const BASE: &str = "https://logmesh.invalid/";

/// Whether nothing is left of `s` once a browser has removed what it ignores in a URL (leading
/// and trailing C0 controls and spaces, every tab and newline): it is then a link to the page
/// itself, never meant, and logmesh treats it as empty (the parser refuses it, the writers drop
/// it).
pub(crate) fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b <= b' ')
}

/// The scheme of `s` resolved against [`BASE`] (`"https"`, `"javascript"`, …), or why `s` is
/// not a URL.
#[cfg(not(all(feature = "web-bindings", target_arch = "wasm32")))]
pub(crate) fn scheme(s: &str) -> Result<String, String> {
    use std::sync::OnceLock;
    static BASE_URL: OnceLock<Option<url::Url>> = OnceLock::new();
    let base = BASE_URL.get_or_init(|| url::Url::parse(BASE).ok());
    let parsed = match base {
        Some(base) => base.join(s),
        None => url::Url::parse(s),
    };
    parsed
        .map(|url| url.scheme().to_owned())
        .map_err(|e| e.to_string())
}

/// The scheme of `s` resolved against [`BASE`] (`"https"`, `"javascript"`, …), or why `s` is
/// not a URL.
#[cfg(all(feature = "web-bindings", target_arch = "wasm32"))]
pub(crate) fn scheme(s: &str) -> Result<String, String> {
    match web_sys::Url::new_with_base(s, BASE) {
        Ok(url) => Ok(url.protocol().trim_end_matches(':').to_owned()),
        Err(_) => Err("the browser's URL parser rejects it".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_as_a_browser_resolves_them() {
        for (s, expected) in [
            ("/log/x", "https"),
            ("x.html", "https"),
            ("//host/x", "https"),
            ("http://a.example/", "http"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            (" \u{1}javascript:x", "javascript"),
            ("data:text/html,x", "data"),
        ] {
            assert_eq!(scheme(s).as_deref(), Ok(expected), "{s:?}");
        }
        assert!(scheme("http://[::1").is_err());
    }

    #[test]
    fn blank_is_what_a_browser_strips_to_nothing() {
        for s in ["", " ", "\t\n\r", "\u{0}\u{1f} \u{7}"] {
            assert!(is_blank(s), "{s:?}");
        }
        // No-break and ideographic spaces are not stripped: they are a path.
        for s in ["x", " /", "\u{a0}", "\u{3000}", "\u{7f}"] {
            assert!(!is_blank(s), "{s:?}");
        }
    }
}
