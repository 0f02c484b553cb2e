//! posts.json version 1: the schema, its validation and its limits (DESIGN.md, "posts.json").
//!
//! Parsing never panics, whatever the bytes. Errors name the post (index and id) and the field,
//! or the line and column for syntax errors; every error is reported (up to a cap) so one bad post
//! never hides another. Warnings (dropped links, unknown fields, a BOM, ...) travel beside the
//! result. Posts come out sorted by id (UTF-8 bytes), the order every later stage relies on.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Warning;

/// How many errors an [`crate::Error::InvalidPosts`] keeps; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Input size limits. `Default` gives DESIGN.md's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most posts in one file.
    pub max_posts: usize,
    /// Most bytes in one file.
    pub max_bytes: usize,
    /// Longest id, in characters.
    pub max_id_chars: usize,
    /// Longest title, in characters.
    pub max_title_chars: usize,
    /// Longest summary, in characters.
    pub max_summary_chars: usize,
    /// Longest URL, in characters.
    pub max_url_chars: usize,
    /// Most tags on one post.
    pub max_tags: usize,
    /// Longest tag, in characters.
    pub max_tag_chars: usize,
    /// Most links on one post.
    pub max_links: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_posts: 1_000_000,
            max_bytes: 256 * 1024 * 1024,
            max_id_chars: 200,
            max_title_chars: 500,
            max_summary_chars: 2000,
            max_url_chars: 2048,
            max_tags: 64,
            max_tag_chars: 100,
            max_links: 10_000,
        }
    }
}

/// A calendar date (proleptic Gregorian), always a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31 (and real for the month).
    pub day: u8,
}

impl Date {
    /// Whether `year-month-day` is a real date (proleptic Gregorian, years 1..=9999).
    pub fn is_valid(year: u16, month: u8, day: u8) -> bool {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=9999).contains(&year) && (1..=days).contains(&day)
    }

    /// Days since 0001-01-01 (for spacing dates on a line; monotonic in the date).
    pub fn day_number(&self) -> i64 {
        // Shift the year to start in March so the leap day is the year's last.
        let (y, m) = if self.month <= 2 {
            (i64::from(self.year) - 1, i64::from(self.month) + 9)
        } else {
            (i64::from(self.year), i64::from(self.month) - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i64::from(self.day) - 1
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// Parses exactly `YYYY-MM-DD`, and only real dates.
    fn from_str(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return Err(format!(
                "{} is not a YYYY-MM-DD date",
                crate::error::quote(s)
            ));
        }
        let num =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        let (year, month, day) = (num(0..4), num(5..7) as u8, num(8..10) as u8);
        if !Date::is_valid(year, month, day) {
            return Err(format!("{s} is not a real date"));
        }
        Ok(Date { year, month, day })
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One valid post. Strings are as in the file; `links` holds only ids of other posts in the same
/// file, each once (missing, self and duplicate links were dropped with a warning).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Unique id, 1..=200 characters, no control characters.
    pub id: String,
    /// Title, shown as text only.
    pub title: String,
    /// Relative, http or https URL, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Tags, in file order, without duplicates; the first is the post's primary tag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Ids this post links to, in file order, without duplicates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Summary, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Size hint, finite and > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A successfully parsed posts file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The posts, sorted by id (UTF-8 bytes).
    pub posts: Vec<Post>,
    /// Everything accepted but dropped or ignored, in file order.
    pub warnings: Vec<Warning>,
    /// How many links were dropped (missing target, self-link, duplicate).
    pub dropped_links: usize,
}

/// Parses and validates a posts file with the default [`Limits`].
pub fn parse(bytes: &[u8]) -> crate::Result<Parsed> {
    parse_with(bytes, &Limits::default())
}

/// Parses and validates a posts file.
pub fn parse_with(bytes: &[u8], limits: &Limits) -> crate::Result<Parsed> {
    let _ = (bytes, limits);
    unimplemented!("posts parsing lands with the posts module")
}
