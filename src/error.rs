//! The crate's one error type, and the warnings that travel beside a successful result.
//!
//! Every message says *where*: a post by index and id plus the field, or a line and column for
//! syntax errors, so a site owner can fix their export without guessing. Nothing here panics.

use std::fmt;

/// Where in a posts file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A byte position in the raw text (syntax errors, before any post is known).
    Text {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A top-level field of the document (`version`, `posts`) or the document as a whole (`""`).
    Document {
        /// The field name, empty for the whole document.
        field: String,
    },
    /// A field of one post.
    Post {
        /// Index of the post in the file's `posts` list (0-based, file order).
        index: usize,
        /// The post's id when it could be read: its first [`MAX_QUOTED_CHARS`] characters and
        /// `…` when it is longer ([`shorten`]), so an over-long id is not copied into every
        /// message about its post.
        id: Option<String>,
        /// The field, e.g. `url`, `tags[3]`, `links[0]`.
        field: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "line {line}, column {column}"),
            Location::Document { field } if field.is_empty() => write!(f, "document"),
            Location::Document { field } => write!(f, "{field}"),
            Location::Post { index, id, field } => {
                write!(f, "posts[{index}]")?;
                if let Some(id) = id {
                    write!(f, " (id {})", quote(id))?;
                }
                if !field.is_empty() {
                    write!(f, ": {field}")?;
                }
                Ok(())
            }
        }
    }
}

/// How many characters of a user-supplied string a message keeps ([`quote`], [`shorten`]).
pub const MAX_QUOTED_CHARS: usize = 60;

/// The first [`MAX_QUOTED_CHARS`] characters of `s`, then `…` when `s` is longer: what a
/// message keeps of a user-supplied string. Cut on a character boundary; quoting the result
/// gives what quoting `s` gives.
pub fn shorten(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED_CHARS) {
        None => s.to_owned(),
        Some((end, _)) => format!("{}…", &s[..end]),
    }
}

/// Quotes a user-supplied string for a message: JSON-style escapes, at most
/// [`MAX_QUOTED_CHARS`] characters kept, so a 10 MB title or a control character never floods
/// or corrupts a terminal.
pub fn quote(s: &str) -> String {
    const MAX_CHARS: usize = MAX_QUOTED_CHARS;
    let mut out = String::with_capacity(s.len().min(MAX_CHARS * 2) + 2);
    out.push('"');
    for (n, c) in s.chars().enumerate() {
        if n == MAX_CHARS {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One problem found in an input file (an error or, in [`Warning`], something ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where it is.
    pub location: Location,
    /// What is wrong, in words, without the location (e.g. `scheme "javascript" is not allowed`).
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Something in the input that was accepted but dropped or ignored (a link to a missing post, an
/// unknown field, a BOM...). Reported by `validate`, logged by the element; never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(pub Issue);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The crate's error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The posts file is invalid: every problem found, in file order, up to a cap.
    #[error("{}", invalid_message(.issues, *.more))]
    InvalidPosts {
        /// The problems, in file order (syntax first, then document, then posts by index).
        issues: Vec<Issue>,
        /// How many further problems were found but not kept (the cap is [`crate::posts::MAX_REPORTED_ERRORS`]).
        more: usize,
    },
    /// The layout file is unusable (syntax, version, or a position that is not three finite numbers).
    #[error("layout: {0}")]
    InvalidLayout(String),
    /// A limit given to the layout or scene was exceeded or an argument is out of range.
    #[error("{0}")]
    InvalidArgument(String),
    /// Reading or writing a file failed (native and the Node CLI, feature `files`: the browser
    /// modules read no files, and leave `std::io::Error`'s messages out).
    #[cfg(any(not(target_arch = "wasm32"), feature = "files"))]
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn invalid_message(issues: &[Issue], more: usize) -> String {
    let mut s = String::new();
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&issue.to_string());
    }
    if more > 0 {
        s.push_str(&format!("\n... and {more} more"));
    }
    s
}

impl Error {
    /// The problems of an [`Error::InvalidPosts`], empty for other variants.
    pub fn issues(&self) -> &[Issue] {
        match self {
            Error::InvalidPosts { issues, .. } => issues,
            _ => &[],
        }
    }

    /// Wraps an I/O error with the path it concerns.
    #[cfg(any(not(target_arch = "wasm32"), feature = "files"))]
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `x` rounded to at most two decimals, for messages (`1280`, `0.5`, `1.25`, `NaN`). The browser
/// module uses this instead of Rust's float formatting, which would add about 16 kB to it.
pub fn decimal(x: f32) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_owned();
    }
    let hundredths = (f64::from(x.abs()) * 100.0).round();
    if hundredths > 1e15 {
        return "a huge number".to_owned();
    }
    let hundredths = hundredths as u64;
    let sign = if x < 0.0 && hundredths > 0 { "-" } else { "" };
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    match fraction {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::{MAX_QUOTED_CHARS, decimal, quote, shorten};

    #[test]
    fn shortened_strings_keep_a_prefix_on_a_character_boundary() {
        assert_eq!(shorten("short"), "short");
        let exact = "é".repeat(MAX_QUOTED_CHARS);
        assert_eq!(shorten(&exact), exact);
        let long = "é".repeat(10_000);
        let short = shorten(&long);
        assert_eq!(short, format!("{}…", "é".repeat(MAX_QUOTED_CHARS)));
        assert_eq!(quote(&short), quote(&long));
    }

    #[test]
    fn decimals_are_rounded_to_two_places_without_trailing_zeros() {
        let cases = [
            (1280.0, "1280"),
            (0.5, "0.5"),
            (1.25, "1.25"),
            (2.0 / 3.0, "0.67"),
            (-3.1, "-3.1"),
            (-0.001, "0"),
            (1.999, "2"),
            (f32::NAN, "NaN"),
            (f32::INFINITY, "inf"),
            (f32::NEG_INFINITY, "-inf"),
            (1e30, "a huge number"),
        ];
        for (x, text) in cases {
            assert_eq!(decimal(x), text, "{x}");
        }
    }
}
