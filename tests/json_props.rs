//! Property tests: `logmesh::json::parse`, the small reader the browser module uses instead of
//! serde_json's (docs/SIZE.md, rule 1), reads every generated document as serde_json reads it,
//! and rejects what serde_json rejects.
//!
//! Documents are generated as trees (nested objects and lists, strings with every kind of
//! escape and any Unicode, numbers with fractions and exponents, repeated field names, random
//! white space), written out, then read by both. Mutated documents (a byte removed, a
//! troublemaker inserted, the text cut short) check that both refuse the same texts.
//!
//! The reader's deliberate differences, handled explicitly here:
//! - **Every object entry in file order, repeated names included.** serde_json's `Value` keeps
//!   one entry per name, the last; the comparison folds our entries the same way, and checks
//!   separately that ours are exactly the document's, in order.
//! - **Numbers kept as written**, beside their nearest `f64`. serde_json (with
//!   `float_roundtrip`, as this crate builds it) keeps non-negative integers as `u64`, negative
//!   ones as `i64`, the rest as the nearest `f64`: the comparison follows those three cases.
//! - **Nesting**: 128 levels of lists and objects are read, 129 are a syntax error;
//!   serde_json's recursion limit stops at 128 (it reads 127). Generated documents stay far below
//!   both; [`nesting_limits`] pins the two limits.

use std::borrow::Cow;
use std::collections::BTreeMap;

use logmesh::json::{self, MAX_DEPTH};
use proptest::prelude::*;

/// A generated document, the truth both readers are compared with.
#[derive(Debug, Clone)]
enum Doc {
    Null,
    Bool(bool),
    /// A number as written (valid JSON number syntax).
    Number(String),
    /// A string: its characters, and for each how it is written ([`Spelling`]).
    String(Vec<(char, Spelling)>),
    Array(Vec<Doc>),
    /// Entries in order; names may repeat.
    Object(Vec<(Vec<(char, Spelling)>, Doc)>),
}

/// How one character of a string is written.
#[derive(Debug, Clone, Copy)]
enum Spelling {
    /// As itself, when JSON allows it (not `"`, `\` or a control character below U+0020).
    Plain,
    /// A short escape where one exists (`\n`, `\"`, `\/`, ...), else `\u`.
    Short,
    /// `\uXXXX` (a surrogate pair beyond the BMP), lower or upper case hex.
    Unicode { upper: bool },
}

/// Characters JSON treats specially: quotes, escapes, controls, the edge of the ASCII range.
const SPECIAL: [char; 12] = [
    '"', '\\', '/', '\n', '\r', '\t', '\u{8}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', ' ',
];

/// Beyond ASCII: 2, 3 and 4 UTF-8 bytes, non-characters, the last code point, a JS line break.
const WIDE: [char; 8] = [
    'é',
    '€',
    '😀',
    '\u{fffd}',
    '\u{ffff}',
    '\u{10000}',
    '\u{10ffff}',
    '\u{2028}',
];

fn spelled_char() -> impl Strategy<Value = (char, Spelling)> {
    let character = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => prop::sample::select(SPECIAL.to_vec()),
        2 => any::<char>(),
        1 => prop::sample::select(WIDE.to_vec()),
    ];
    let spelling = prop_oneof![
        3 => Just(Spelling::Plain),
        1 => Just(Spelling::Short),
        1 => any::<bool>().prop_map(|upper| Spelling::Unicode { upper }),
    ];
    (character, spelling)
}

fn string() -> impl Strategy<Value = Vec<(char, Spelling)>> {
    prop::collection::vec(spelled_char(), 0..12)
}

/// Field names: mostly from a small pool, so that names repeat.
fn name() -> impl Strategy<Value = Vec<(char, Spelling)>> {
    prop_oneof![
        3 => prop::sample::select(vec!["a", "b", "id", "é", ""])
            .prop_map(|s| s.chars().map(|c| (c, Spelling::Plain)).collect()),
        1 => string(),
    ]
}

/// JSON number syntax; exponents stay small enough for an `f64` (see
/// `numbers_out_of_range_are_kept_as_infinities_where_serde_json_refuses_them`).
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?",
        // Near the integer limits of u64 and i64.
        prop::sample::select(vec![
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "9007199254740993",
            "-0",
            "-0.0",
            "0e0",
            "1e-400",
            "2.2250738585072011e-308",
            "4.9e-324",
            "1.7976931348623157e308",
        ])
        .prop_map(str::to_owned),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    let leaf = prop_oneof![
        Just(Doc::Null),
        any::<bool>().prop_map(Doc::Bool),
        number().prop_map(Doc::Number),
        string().prop_map(Doc::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Doc::Array),
            prop::collection::vec((name(), inner), 0..6).prop_map(Doc::Object),
        ]
    })
}

/// White space between tokens, chosen by the writer.
struct Writer {
    gaps: Vec<u8>,
    next: usize,
}

impl Writer {
    fn gap(&mut self, out: &mut String) {
        let g = self.gaps.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        out.push_str(match g % 8 {
            0..=3 => "",
            4 => " ",
            5 => "\n",
            6 => "\t",
            _ => " \r\n  ",
        });
    }

    fn write(&mut self, doc: &Doc, out: &mut String) {
        self.gap(out);
        match doc {
            Doc::Null => out.push_str("null"),
            Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Doc::Number(text) => out.push_str(text),
            Doc::String(chars) => write_string(chars, out),
            Doc::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.gap(out);
                        out.push(',');
                    }
                    self.write(item, out);
                }
                self.gap(out);
                out.push(']');
            }
            Doc::Object(entries) => {
                out.push('{');
                for (i, (name, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.gap(out);
                        out.push(',');
                    }
                    self.gap(out);
                    write_string(name, out);
                    self.gap(out);
                    out.push(':');
                    self.write(value, out);
                }
                self.gap(out);
                out.push('}');
            }
        }
        self.gap(out);
    }
}

fn write_string(chars: &[(char, Spelling)], out: &mut String) {
    out.push('"');
    for &(c, spelling) in chars {
        let needs_escape = c == '"' || c == '\\' || c < '\u{20}';
        match spelling {
            Spelling::Plain if !needs_escape => out.push(c),
            Spelling::Plain | Spelling::Short => match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '/' => out.push_str("\\/"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ if needs_escape => push_unicode(c, false, out),
                _ => out.push(c),
            },
            Spelling::Unicode { upper } => push_unicode(c, upper, out),
        }
    }
    out.push('"');
}

fn push_unicode(c: char, upper: bool, out: &mut String) {
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        if upper {
            out.push_str(&format!("\\u{unit:04X}"));
        } else {
            out.push_str(&format!("\\u{unit:04x}"));
        }
    }
}

fn text_of(doc: &Doc, gaps: Vec<u8>) -> String {
    let mut out = String::new();
    Writer { gaps, next: 0 }.write(doc, &mut out);
    out
}

fn decoded(chars: &[(char, Spelling)]) -> String {
    chars.iter().map(|&(c, _)| c).collect()
}

/// Ours read exactly the document: every entry, in order, repeated names included; numbers as
/// written; strings borrowed from the text when written without escapes.
fn matches_doc(ours: &json::Value<'_>, doc: &Doc) -> Result<(), String> {
    match (ours, doc) {
        (json::Value::Null, Doc::Null) => Ok(()),
        (json::Value::Bool(a), Doc::Bool(b)) if a == b => Ok(()),
        (json::Value::Number(n), Doc::Number(text)) if n.to_string() == *text => Ok(()),
        (json::Value::String(s), Doc::String(chars)) => {
            if *s != decoded(chars) {
                return Err(format!("string {s:?} is not {:?}", decoded(chars)));
            }
            let mut written = String::new();
            write_string(chars, &mut written);
            let escaped = written.contains('\\');
            match (s, escaped) {
                (Cow::Borrowed(_), true) => Err(format!("{s:?}: borrowed despite escapes")),
                (Cow::Owned(_), false) => Err(format!("{s:?}: copied without escapes")),
                _ => Ok(()),
            }
        }
        (json::Value::Array(items), Doc::Array(docs)) if items.len() == docs.len() => items
            .iter()
            .zip(docs)
            .try_for_each(|(item, doc)| matches_doc(item, doc)),
        (json::Value::Object(entries), Doc::Object(docs)) if entries.len() == docs.len() => entries
            .iter()
            .zip(docs)
            .try_for_each(|((name, value), (doc_name, doc))| {
                if *name != decoded(doc_name) {
                    return Err(format!("entry {name:?} is not {:?}", decoded(doc_name)));
                }
                matches_doc(value, doc)
            }),
        _ => Err(format!("{ours:?} is not {doc:?}")),
    }
}

/// Whether `text` is written as an integer (no fraction, no exponent).
fn integer_text(text: &str) -> bool {
    !text.contains(['.', 'e', 'E'])
}

/// Ours and serde_json's values are the same JSON value, serde_json's way: one entry per name
/// (the last), integers as `u64` or `i64` where they fit, other numbers as the nearest `f64`.
fn same_as_serde(ours: &json::Value<'_>, theirs: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value as S;
    match (ours, theirs) {
        (json::Value::Null, S::Null) => Ok(()),
        (json::Value::Bool(a), S::Bool(b)) if a == b => Ok(()),
        (json::Value::Number(n), S::Number(m)) => {
            let text = n.to_string();
            let same = if let Some(u) = m.as_u64() {
                n.as_u64() == Some(u)
            } else if let Some(i) = m.as_i64() {
                integer_text(&text) && n.as_u64().is_none() && n.as_f64() == i as f64
            } else {
                m.as_f64()
                    .is_some_and(|f| f.to_bits() == n.as_f64().to_bits())
                    && n.as_u64().is_none()
            };
            if same {
                Ok(())
            } else {
                Err(format!(
                    "number {text}: ours {}, serde_json {m}",
                    n.as_f64()
                ))
            }
        }
        (json::Value::String(a), S::String(b)) if a == b => Ok(()),
        (json::Value::Array(a), S::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).try_for_each(|(a, b)| same_as_serde(a, b))
        }
        (json::Value::Object(entries), S::Object(map)) => {
            let mut last: BTreeMap<&str, &json::Value<'_>> = BTreeMap::new();
            for (name, value) in entries {
                last.insert(name, value);
            }
            if last.len() != map.len() || !last.keys().all(|k| map.contains_key(*k)) {
                return Err(format!(
                    "names {:?} vs serde_json's {:?}",
                    last.keys().collect::<Vec<_>>(),
                    map.keys().collect::<Vec<_>>()
                ));
            }
            last.iter()
                .try_for_each(|(name, value)| same_as_serde(value, &map[*name]))
        }
        _ => Err(format!("{ours:?} vs serde_json's {theirs}")),
    }
}

/// Both read `text` alike: both refuse it, or both accept it with the same value.
fn both_agree(text: &str) -> Result<Option<json::Value<'_>>, TestCaseError> {
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            same_as_serde(&ours, &theirs)
                .map_err(|e| TestCaseError::fail(format!("{e} in {text:?}")))?;
            Ok(Some(ours))
        }
        (Err(_), Err(_)) => Ok(None),
        // The one deliberate difference in what is read: a number beyond the range of `f64`,
        // which ours keeps as an infinity for the reader of the tree to report with its field.
        (Ok(ours), Err(e))
            if e.to_string().contains("number out of range") && has_infinity(&ours) =>
        {
            Ok(None)
        }
        (Ok(ours), Err(e)) => Err(TestCaseError::fail(format!(
            "ours read {text:?} as {ours:?}; serde_json refused it: {e}"
        ))),
        (Err(e), Ok(theirs)) => Err(TestCaseError::fail(format!(
            "ours refused {text:?} ({} at byte {}); serde_json read {theirs}",
            e.message, e.at
        ))),
    }
}

/// Whether `value` holds a number beyond the range of `f64`.
fn has_infinity(value: &json::Value<'_>) -> bool {
    match value {
        json::Value::Number(n) => n.as_f64().is_infinite(),
        json::Value::Array(items) => items.iter().any(has_infinity),
        json::Value::Object(entries) => entries.iter().any(|(_, v)| has_infinity(v)),
        _ => false,
    }
}

/// Edits that break documents, or sometimes leave them valid.
#[derive(Debug, Clone)]
enum Mutation {
    Remove(usize),
    Insert(usize, &'static str),
    Cut(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Remove),
        (
            any::<usize>(),
            prop::sample::select(vec![
                ",", ":", "[", "]", "{", "}", "\"", "\\", "\\u", "\\ud800", "-", "0", ".", "e",
                "+", " ", "\u{0}", "\u{1}", "\t", "\u{feff}", "\u{a0}", "nul", "truee", "1e400",
                "NaN", "'", "//",
            ]),
        )
            .prop_map(|(at, s)| Mutation::Insert(at, s)),
        any::<usize>().prop_map(Mutation::Cut),
    ]
}

/// The nearest character boundary at or before `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutated(text: &str, mutation: &Mutation) -> String {
    let mut out = text.to_owned();
    match *mutation {
        Mutation::Remove(at) => {
            let at = boundary(text, at);
            if let Some(c) = text[at..].chars().next() {
                out.replace_range(at..at + c.len_utf8(), "");
            }
        }
        Mutation::Insert(at, s) => out.insert_str(boundary(text, at), s),
        Mutation::Cut(at) => out.truncate(boundary(text, at)),
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reads_generated_documents_as_serde_json_does(
        doc in doc(),
        gaps in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let text = text_of(&doc, gaps);
        let ours = both_agree(&text)?;
        let Some(ours) = ours else {
            // Only a number beyond f64 could make a generated document invalid; none is
            // generated (exponents have two digits at most).
            return Err(TestCaseError::fail(format!("both refused {text:?}")));
        };
        matches_doc(&ours, &doc).map_err(|e| TestCaseError::fail(format!("{e} in {text:?}")))?;
    }

    #[test]
    fn refuses_what_serde_json_refuses(
        doc in doc(),
        gaps in prop::collection::vec(any::<u8>(), 0..64),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut text = text_of(&doc, gaps);
        for m in &mutations {
            text = mutated(&text, m);
        }
        both_agree(&text)?;
    }

    #[test]
    fn numbers_out_of_range_are_kept_as_infinities_where_serde_json_refuses_them(
        mantissa in "-?[1-9][0-9]{0,3}(\\.[0-9]{1,4})?",
        exponent in 309u32..2000,
    ) {
        let text = format!("[{mantissa}e{exponent}]");
        prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
        let Ok(json::Value::Array(items)) = json::parse(&text) else {
            return Err(TestCaseError::fail(format!("{text} not read")));
        };
        let [json::Value::Number(n)] = items.as_slice() else {
            return Err(TestCaseError::fail(format!("{text}: {items:?}")));
        };
        prop_assert!(n.as_f64().is_infinite());
        prop_assert_eq!(n.as_f64().is_sign_negative(), mantissa.starts_with('-'));
        prop_assert_eq!(n.as_written(), &text[1..text.len() - 1]);
    }
}

/// The one deliberate difference in what is accepted: nesting. Ours reads [`MAX_DEPTH`] (128)
/// levels of lists and objects and refuses more; serde_json's recursion limit (128) stops it one
/// level earlier.
#[test]
fn nesting_limits() {
    let lists = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = |depth: usize| format!("{}null{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    let nests: [fn(usize) -> String; 2] = [lists, objects];
    for nest in nests {
        for depth in [1, 2, MAX_DEPTH - 1] {
            assert!(
                both_agree(&nest(depth)).expect("agree").is_some(),
                "{depth}"
            );
        }
        let at_limit = nest(MAX_DEPTH);
        assert!(json::parse(&at_limit).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&at_limit).is_err());
        let beyond = nest(MAX_DEPTH + 1);
        assert!(json::parse(&beyond).is_err());
        assert!(serde_json::from_str::<serde_json::Value>(&beyond).is_err());
    }
}
