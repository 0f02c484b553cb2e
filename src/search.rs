//! Search and filter over posts (docs/DESIGN.md, "Search and filter"): text compared case- and
//! accent-insensitively ([`fold`]), results ranked as a reader expects (the exact title first),
//! ties newest first. Pure and allocation-light, so it can answer on every keystroke.

use crate::posts::Post;
use crate::sort;

/// Latin letters with diacritics (Latin-1 Supplement and Latin Extended-A), by code point range,
/// to the letters they are folded to; combining marks (U+0300 to U+036F) are dropped. Scripts
/// without case or accents pass through; other accented letters are only lower-cased.
const FOLDS: [(u32, u32, &str); 47] = [
    (0xC0, 0xC5, "a"),
    (0xC6, 0xC6, "ae"),
    (0xC7, 0xC7, "c"),
    (0xC8, 0xCB, "e"),
    (0xCC, 0xCF, "i"),
    (0xD0, 0xD0, "d"),
    (0xD1, 0xD1, "n"),
    (0xD2, 0xD6, "o"),
    (0xD8, 0xD8, "o"),
    (0xD9, 0xDC, "u"),
    (0xDD, 0xDD, "y"),
    (0xDE, 0xDE, "th"),
    (0xDF, 0xDF, "ss"),
    (0xE0, 0xE5, "a"),
    (0xE6, 0xE6, "ae"),
    (0xE7, 0xE7, "c"),
    (0xE8, 0xEB, "e"),
    (0xEC, 0xEF, "i"),
    (0xF0, 0xF0, "d"),
    (0xF1, 0xF1, "n"),
    (0xF2, 0xF6, "o"),
    (0xF8, 0xF8, "o"),
    (0xF9, 0xFC, "u"),
    (0xFD, 0xFD, "y"),
    (0xFE, 0xFE, "th"),
    (0xFF, 0xFF, "y"),
    (0x100, 0x105, "a"),
    (0x106, 0x10D, "c"),
    (0x10E, 0x111, "d"),
    (0x112, 0x11B, "e"),
    (0x11C, 0x123, "g"),
    (0x124, 0x127, "h"),
    (0x128, 0x131, "i"),
    (0x132, 0x133, "ij"),
    (0x134, 0x135, "j"),
    (0x136, 0x138, "k"),
    (0x139, 0x142, "l"),
    (0x143, 0x14B, "n"),
    (0x14C, 0x151, "o"),
    (0x152, 0x153, "oe"),
    (0x154, 0x159, "r"),
    (0x15A, 0x161, "s"),
    (0x162, 0x167, "t"),
    (0x168, 0x173, "u"),
    (0x174, 0x175, "w"),
    (0x176, 0x178, "y"),
    (0x179, 0x17F, "z"),
];

/// `s` lower-cased, without accents, white space runs as one space, trimmed: what search
/// compares.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let code = c as u32;
        if (0x300..=0x36F).contains(&code) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        // ſ (U+017F) is a long s, not a z: the table's last range ends at ž.
        if code == 0x17F {
            out.push('s');
        } else if let Some((_, _, to)) = FOLDS.iter().find(|(a, b, _)| (*a..=*b).contains(&code)) {
            out.push_str(to);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// How well a post matches a query, best first (docs/DESIGN.md, "Search and filter").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The title is the query.
    Exact = 0,
    /// The title starts with the query.
    Prefix = 1,
    /// The title holds every word of the query.
    Words = 2,
    /// A tag is the query, or holds every word of it.
    Tag = 3,
}

/// The posts' folded titles and tags, made once; queries then fold only themselves.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    titles: Vec<String>,
    tags: Vec<Vec<String>>,
    /// Newest first, then id order: the tie order of the results.
    recency: Vec<u32>,
}

impl SearchIndex {
    /// The index of `posts` (in id order, as parsed).
    pub fn new(posts: &[Post]) -> SearchIndex {
        let titles = posts.iter().map(|p| fold(&p.title)).collect();
        let tags = posts
            .iter()
            .map(|p| p.tags.iter().map(|t| fold(t)).collect())
            .collect();
        // Undated posts last; among dated ones the newest first.
        let recency = sort::indices_by_key(posts.len(), |i| {
            posts[i]
                .date
                .map_or(u64::MAX, |d| u64::MAX - 1 - d.sort_key())
        });
        SearchIndex {
            titles,
            tags,
            recency,
        }
    }

    /// How post `i` matches `query` (already [`fold`]ed, with its `words`), if at all.
    fn rank(&self, i: usize, query: &str, words: &[&str]) -> Option<Rank> {
        let title = &self.titles[i];
        if title == query {
            return Some(Rank::Exact);
        }
        if title.starts_with(query) {
            return Some(Rank::Prefix);
        }
        let holds_all = |text: &str| words.iter().all(|w| text.contains(w));
        if holds_all(title) {
            return Some(Rank::Words);
        }
        if self.tags[i].iter().any(|t| t == query || holds_all(t)) {
            return Some(Rank::Tag);
        }
        None
    }

    /// The posts matching `query`, best first, ties newest first (then in id order); all posts
    /// whatever a filter shows. An empty query matches nothing.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let query = fold(query);
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(u64, u32)> = Vec::new();
        for (position, &i) in self.recency.iter().enumerate() {
            if let Some(rank) = self.rank(i as usize, &query, &words) {
                ranked.push(((rank as u64) << 32 | position as u64, i));
            }
        }
        sort::pairs(&mut ranked);
        ranked.into_iter().map(|(_, i)| i).collect()
    }

    /// Whether post `i` passes a filter of `tags` (any of them, compared folded; none: every
    /// post) and `query` (matched as [`SearchIndex::search`] matches; empty: every post).
    pub fn passes(&self, i: usize, tags: &[String], query: &str) -> bool {
        let tag_ok = tags.is_empty()
            || tags
                .iter()
                .any(|t| self.tags[i].iter().any(|own| *own == fold(t)));
        if !tag_ok {
            return false;
        }
        let query = fold(query);
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        words.is_empty() || self.rank(i, &query, &words).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posts::Date;

    fn post(id: &str, title: &str, date: Option<(u16, u8, u8)>, tags: &[&str]) -> Post {
        Post {
            id: id.into(),
            title: title.into(),
            url: None,
            date: date.map(|(year, month, day)| Date { year, month, day }),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            links: Vec::new(),
            summary: None,
            weight: None,
        }
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("  Crème   BRÛLÉE "), "creme brulee");
        assert_eq!(fold("Straße Łódź Œuvre"), "strasse lodz oeuvre");
        assert_eq!(fold("Cafe\u{301}"), "cafe");
        assert_eq!(fold("東京"), "東京");
    }

    #[test]
    fn results_rank_exact_then_prefix_then_words_then_tags_newest_first() {
        let posts = vec![
            post("a", "Rust in production", Some((2024, 1, 1)), &[]),
            post("b", "Rust", Some((2020, 1, 1)), &[]),
            post("c", "Production notes on Rust", Some((2025, 1, 1)), &[]),
            post("d", "Rustaceans", Some((2023, 1, 1)), &[]),
            post("e", "Gardening", Some((2022, 1, 1)), &["Rust"]),
            post("f", "Rüst", None, &[]),
            post("g", "Unrelated", Some((2026, 1, 1)), &[]),
        ];
        let index = SearchIndex::new(&posts);
        let ids = |q: &str| -> Vec<&str> {
            index
                .search(q)
                .into_iter()
                .map(|i| posts[i as usize].id.as_str())
                .collect()
        };
        // Exact (b, and f: accents fold; undated after dated), then prefixes newest first (a 2024,
        // d 2023), then titles holding the word (c), then the tag (e).
        assert_eq!(ids("RUST"), ["b", "f", "a", "d", "c", "e"]);
        assert_eq!(ids("production rust"), ["c", "a"]);
        assert!(ids("   ").is_empty());
        assert!(index.passes(4, &["rust".into()], ""));
        assert!(!index.passes(0, &["rust".into()], ""));
        assert!(index.passes(0, &[], "produc"));
        assert!(!index.passes(6, &[], "rust"));
    }
}
