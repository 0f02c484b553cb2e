//! Escaping for markup: one escaper whose output is safe in XML 1.0 (the standalone SVG) and in
//! HTML (embed.html, inline SVG included), in text and in double-quoted attribute values alike.
//!
//! Every user string (title, id, URL) that reaches a file written by [`crate::export`] goes
//! through [`escape_text`] or [`escape_attr`]; nothing here ever lets a string become markup.
//!
//! - `&`, `<`, `>`, `"` and `'` become character references (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
//!   `&#39;`: all five mean the same in XML and HTML, so the result is valid in either).
//! - Characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return,
//!   U+FFFE, U+FFFF), and the C1 controls and DEL that HTML calls parse errors, become U+FFFD
//!   (the replacement character), as a browser would show them.
//! - In attribute values tab, line feed and carriage return become numeric references, because
//!   an XML parser would otherwise turn them into spaces.

use std::borrow::Cow;

/// What surrounds the escaped string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

/// `s` escaped for element content (text between tags), in XML and HTML.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, Context::Text)
}

/// `s` escaped for a double- or single-quoted attribute value, in XML and HTML.
pub fn escape_attr(s: &str) -> Cow<'_, str> {
    escape(s, Context::Attribute)
}

/// Appends `s` escaped for element content to `out`.
pub fn push_text(out: &mut String, s: &str) {
    out.push_str(&escape_text(s));
}

/// Appends `s` escaped for an attribute value to `out`.
pub fn push_attr(out: &mut String, s: &str) {
    out.push_str(&escape_attr(s));
}

fn escape(s: &str, context: Context) -> Cow<'_, str> {
    let Some(first) = s.find(|c| replacement(c, context).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + s.len() / 8 + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match replacement(c, context) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// What `c` becomes, or `None` when it stays as it is.
fn replacement(c: char, context: Context) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        '\t' | '\n' | '\r' if context == Context::Text => None,
        '\t' => Some("&#9;"),
        '\n' => Some("&#10;"),
        '\r' => Some("&#13;"),
        '\u{FFFE}' | '\u{FFFF}' => Some("\u{FFFD}"),
        c if c.is_control() => Some("\u{FFFD}"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references() {
        assert_eq!(
            escape_text(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(
            escape_attr("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for s in [
            "",
            "Moving an MVP to production",
            "café – 日本語 🚀",
            "100%",
        ] {
            assert!(matches!(escape_text(s), Cow::Borrowed(b) if b == s));
            assert!(matches!(escape_attr(s), Cow::Borrowed(b) if b == s));
        }
    }

    #[test]
    fn forbidden_characters_are_replaced() {
        let s = "a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{85}f\u{9f}g\u{FFFE}h\u{FFFF}i\u{c}j";
        let expected =
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\u{FFFD}h\u{FFFD}i\u{FFFD}j";
        assert_eq!(escape_text(s), expected);
        assert_eq!(escape_attr(s), expected);
        for escaped in [escape_text(s), escape_attr(s)] {
            assert!(
                escaped
                    .chars()
                    .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            );
        }
    }

    #[test]
    fn white_space_survives_attribute_normalisation() {
        assert_eq!(escape_text("a\tb\nc\rd"), "a\tb\nc\rd");
        assert_eq!(escape_attr("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn escaping_is_not_idempotent_by_accident() {
        // An already escaped string is escaped again: the reader sees exactly what was written.
        assert_eq!(escape_text("&lt;"), "&amp;lt;");
        assert_eq!(escape_attr("&#39;"), "&amp;#39;");
    }

    #[test]
    fn output_never_contains_raw_markup() {
        let hostile = [
            "</a><script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "' onmouseover='alert(1)",
            "]]><!--",
            "<![CDATA[x]]>",
        ];
        for s in hostile {
            for escaped in [escape_text(s), escape_attr(s)] {
                assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
                // Every '&' starts one of our references.
                for (i, _) in escaped.match_indices('&') {
                    let rest = &escaped[i..];
                    assert!(
                        ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                            .iter()
                            .any(|r| rest.starts_with(r)),
                        "{escaped}"
                    );
                }
            }
        }
    }
}
