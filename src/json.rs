//! A small, strict JSON reader (RFC 8259) for posts.json and layout.json: text in, a tree of
//! values out, borrowed from the text wherever no escape had to be decoded.
//!
//! Why not serde_json for reading: the browser module reads both files, and serde_json's reader
//! with the visitors it needs was about a fifth of that module. This reader keeps what the
//! formats need: every object entry in file order (so a field given twice is seen), the position
//! of the first syntax error, a nesting limit, a limit on the entries of each list and object
//! (checked as they are read, so an oversized document is refused before it is built), and
//! numbers kept as written beside their value. Writing JSON (the CLI's files) still goes through
//! serde_json.
//!
//! This is rule 1 of docs/SIZE.md (what it saved, and how the wasm32 clippy configuration keeps
//! serde_json's reader out of the library). Where it differs from serde_json on purpose (the
//! nesting limit, entries in file order with repeated names kept, numbers kept as written and a
//! number beyond the range of `f64` read as an infinity) is pinned by `tests/json_props.rs`,
//! which compares the two on generated documents.

use std::borrow::Cow;
use std::fmt;

/// Arrays and objects nested deeper than this are a syntax error.
pub const MAX_DEPTH: usize = 128;

/// The message of the error [`parse_with`] gives for a list or an object with more entries than
/// its `max_entries`.
pub const TOO_MANY_ENTRIES: &str = "more entries in one list or object than the limit";

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(Number<'a>),
    /// A string, decoded.
    String(Cow<'a, str>),
    /// A list.
    Array(Vec<Value<'a>>),
    /// An object: its entries in file order, repeated names included.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl Value<'_> {
    /// What kind of value this is, for messages: `null`, `a boolean`, `a number`, `a string`,
    /// `a list` or `an object`.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

/// A number: the text as written and its nearest `f64`. A number beyond the range of `f64`
/// (`1e999`) is not a syntax error: its value is infinite, and the reader of the tree, which
/// knows the field, says what is wrong with it (`weight: 1e999 is not a finite number`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number<'a> {
    text: &'a str,
    value: f64,
}

impl Number<'_> {
    /// The nearest `f64`: infinite when the number is beyond its range, never NaN.
    pub fn as_f64(&self) -> f64 {
        self.value
    }

    /// The value when the number was written as a non-negative integer (no fraction, no
    /// exponent) that fits a `u64`: `1` is `Some(1)`, `1.0` and `1e0` are `None`.
    pub fn as_u64(&self) -> Option<u64> {
        if self.text.bytes().all(|b| b.is_ascii_digit()) {
            self.text.parse().ok()
        } else {
            None
        }
    }

    /// The number as written, in full.
    pub fn as_written(&self) -> &str {
        self.text
    }
}

impl fmt::Display for Number<'_> {
    /// The number as written, for a message: its first [`crate::error::MAX_QUOTED_CHARS`]
    /// characters, then `…` when it is longer (a number may be a megabyte of digits).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text.get(..crate::error::MAX_QUOTED_CHARS) {
            Some(prefix) if prefix.len() < self.text.len() => write!(f, "{prefix}…"),
            _ => f.write_str(self.text),
        }
    }
}

/// The first syntax error of a text: what is wrong and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset into the text (the text's length when it ended too early).
    pub at: usize,
    /// What is wrong, e.g. ``expected `,` or `]` ``.
    pub message: &'static str,
}

impl SyntaxError {
    /// 1-based line and column (in bytes) of the error in `text`.
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        text_position(text.as_bytes(), self.at)
    }
}

/// 1-based line and column (counted in bytes) of byte `at` of `bytes`.
pub fn text_position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    (line, before.len() - line_start + 1)
}

/// Reads one JSON document (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    parse_with(text, usize::MAX)
}

/// Reads one JSON document whose lists and objects hold at most `max_entries` entries each.
///
/// The limit is checked as each list or object grows, so a document over it is refused when its
/// first oversized list reaches `max_entries + 1` entries ([`TOO_MANY_ENTRIES`], at that
/// entry), before the rest of it is read or built: a file of ten million empty posts costs the
/// memory of `max_entries` of them, not of ten million.
pub fn parse_with(text: &str, max_entries: usize) -> Result<Value<'_>, SyntaxError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        max_entries,
        items: Vec::new(),
        entries: Vec::new(),
    };
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("unexpected text after the document"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    max_entries: usize,
    /// The entries of the lists being read, innermost last: a list's entries are gathered here
    /// and moved into a vector of exactly their number when it ends (growing each list's own
    /// vector would leave up to half of it unused, and 4 slots for a list of 1).
    items: Vec<Value<'a>>,
    /// The same for the objects being read.
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Reader<'a> {
    fn error(&self, message: &'static str) -> SyntaxError {
        SyntaxError {
            at: self.at,
            message,
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed; `ends` is the message if there is none.
    fn peek(&mut self, ends: &'static str) -> Result<u8, SyntaxError> {
        self.skip_space();
        self.bytes
            .get(self.at)
            .copied()
            .ok_or_else(|| self.error(ends))
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        match self.peek("the text ends where a value should be")? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            _ => Err(self.error("expected a value")),
        }
    }

    fn word(&mut self, word: &'static str, value: Value<'a>) -> Result<Value<'a>, SyntaxError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested more than 128 levels deep"));
        }
        self.at += 1; // [
        const ENDS: &str = "the text ends inside a list";
        if self.peek(ENDS)? == b']' {
            self.at += 1;
            return Ok(Value::Array(Vec::new()));
        }
        let start = self.items.len();
        loop {
            if self.items.len() - start == self.max_entries {
                self.skip_space();
                return Err(self.error(TOO_MANY_ENTRIES));
            }
            let item = self.value(depth)?;
            self.items.push(item);
            match self.peek(ENDS)? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Ok(Value::Array(self.items.drain(start..).collect()));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
            if self.peek(ENDS)? == b']' {
                return Err(self.error("a comma before `]`"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested more than 128 levels deep"));
        }
        self.at += 1; // {
        const ENDS: &str = "the text ends inside an object";
        if self.peek(ENDS)? == b'}' {
            self.at += 1;
            return Ok(Value::Object(Vec::new()));
        }
        let start = self.entries.len();
        loop {
            match self.peek(ENDS)? {
                b'"' => {}
                b'}' => return Err(self.error("a comma before `}`")),
                _ => return Err(self.error("expected a field name in double quotes")),
            }
            if self.entries.len() - start == self.max_entries {
                return Err(self.error(TOO_MANY_ENTRIES));
            }
            let key = self.string()?;
            if self.peek(ENDS)? != b':' {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            let value = self.value(depth)?;
            self.entries.push((key, value));
            match self.peek(ENDS)? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Ok(Value::Object(self.entries.drain(start..).collect()));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// A string starting at the current `"`; borrowed unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.at += 1; // "
        let start = self.at;
        // The fast path: no escapes.
        loop {
            match self.bytes.get(self.at) {
                None => return Err(self.error("the text ends inside a string")),
                Some(b'"') => {
                    let s = &self.text[start..self.at];
                    self.at += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => {
                    return Err(self.error("a control character in a string (escape it)"));
                }
                Some(_) => self.at += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.at]);
        loop {
            let run = self.at;
            loop {
                match self.bytes.get(self.at) {
                    None => return Err(self.error("the text ends inside a string")),
                    Some(b'"' | b'\\') => break,
                    Some(&b) if b < 0x20 => {
                        return Err(self.error("a control character in a string (escape it)"));
                    }
                    Some(_) => self.at += 1,
                }
            }
            out.push_str(&self.text[run..self.at]);
            if self.bytes[self.at] == b'"' {
                self.at += 1;
                return Ok(Cow::Owned(out));
            }
            // An escape.
            self.at += 1;
            let escaped = match self.bytes.get(self.at) {
                None => return Err(self.error("the text ends inside a string")),
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    self.at -= 1;
                    out.push(self.unicode_escape()?);
                    continue;
                }
                Some(_) => return Err(self.error("an unknown escape in a string")),
            };
            out.push(escaped);
            self.at += 1;
        }
    }

    /// `\uXXXX`, or a surrogate pair of two, starting at the backslash.
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.at..].starts_with(b"\\u") {
                    return Err(self.error("a lone surrogate in a \\u escape"));
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("a lone surrogate in a \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("a lone surrogate in a \\u escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("an invalid \\u escape"))
    }

    /// `\uXXXX` at the current backslash: its four hex digits' value.
    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .bytes
            .get(self.at + 2..self.at + 6)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.error("an invalid \\u escape"))?;
        let value = digits.iter().fold(0u32, |v, &d| {
            let digit = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                _ => d - b'A' + 10,
            };
            v * 16 + u32::from(digit)
        });
        self.at += 6;
        Ok(value)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Number<'a>, SyntaxError> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at - from
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let leading_zero = self.bytes.get(self.at) == Some(&b'0');
        match digits(self) {
            0 => return Err(self.error("an invalid number")),
            n if n > 1 && leading_zero => {
                return Err(SyntaxError {
                    at: start,
                    message: "a number with a leading zero",
                });
            }
            _ => {}
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error("an invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("an invalid number"));
            }
        }
        let text = &self.text[start..self.at];
        // The syntax was checked above; past the range of `f64` the value is an infinity, kept
        // for the tree's reader to report with the field's name. `crate::decimal`, not
        // `str::parse`: the same rounding without the standard parser's tables (docs/SIZE.md).
        let value = crate::decimal::parse_f64(text);
        Ok(Number { text, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (usize, usize, &'static str) {
        let e = parse(text).expect_err(text);
        let (line, column) = e.line_column(text);
        (line, column, e.message)
    }

    #[test]
    fn values() {
        let v = parse(r#" {"a": [1, -2.5e3, true, false, null, "x\u00e9\n"], "a": {}} "#)
            .expect("parses");
        let Value::Object(entries) = v else {
            panic!("an object")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!((&*entries[0].0, &*entries[1].0), ("a", "a"));
        let Value::Array(items) = &entries[0].1 else {
            panic!("a list")
        };
        let kinds: Vec<_> = items.iter().map(Value::kind).collect();
        assert_eq!(
            kinds,
            [
                "a number",
                "a number",
                "a boolean",
                "a boolean",
                "null",
                "a string"
            ]
        );
        let Value::Number(n) = &items[1] else {
            panic!("a number")
        };
        assert_eq!(
            (n.as_f64(), n.to_string(), n.as_u64()),
            (-2500.0, "-2.5e3".into(), None)
        );
        assert_eq!(items[5], Value::String("xé\n".into()));
        assert_eq!(entries[1].1, Value::Object(Vec::new()));
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let Ok(Value::String(Cow::Borrowed("plain"))) = parse(r#""plain""#) else {
            panic!("borrowed")
        };
        assert_eq!(
            parse(r#""\"\\\/\b\f\n\r\t\u0041\ud83d\ude00""#),
            Ok(Value::String("\"\\/\u{8}\u{c}\n\r\tA😀".into()))
        );
    }

    #[test]
    fn integers_and_the_rest() {
        let n = |text| match parse(text) {
            Ok(Value::Number(n)) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(n("1").as_u64(), Some(1));
        assert_eq!(n("0").as_u64(), Some(0));
        assert_eq!(n("1.0").as_u64(), None);
        assert_eq!(n("1e0").as_u64(), None);
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("0.1").as_f64(), 0.1);
        assert_eq!(n("1E+2").as_f64(), 100.0);
        assert_eq!(n("1e999").as_f64(), f64::INFINITY);
        assert_eq!(n("-1e999").as_f64(), f64::NEG_INFINITY);
        assert_eq!(n("1e999").to_string(), "1e999");
        let long = format!("1{}", "0".repeat(1000));
        let shown = n(&long).to_string();
        assert_eq!(shown, format!("1{}…", "0".repeat(59)));
        assert_eq!(n(&long).as_written(), long);
    }

    #[test]
    fn syntax_errors_name_the_place() {
        assert_eq!(error(""), (1, 1, "the text ends where a value should be"));
        assert_eq!(error("[1,"), (1, 4, "the text ends inside a list"));
        assert_eq!(error("[1"), (1, 3, "the text ends inside a list"));
        assert_eq!(error("{\"a\":1"), (1, 7, "the text ends inside an object"));
        assert_eq!(error("\n\"ab"), (2, 4, "the text ends inside a string"));
        assert_eq!(error("[1 2]"), (1, 4, "expected `,` or `]`"));
        assert_eq!(error("{\"a\":1 \"b\"}"), (1, 8, "expected `,` or `}`"));
        assert_eq!(error("{\"a\" 1}"), (1, 6, "expected `:`"));
        assert_eq!(
            error("{'a':1}"),
            (1, 2, "expected a field name in double quotes")
        );
        assert_eq!(error("[1,]"), (1, 4, "a comma before `]`"));
        assert_eq!(error("{\"a\":1,}"), (1, 8, "a comma before `}`"));
        assert_eq!(error("<html>"), (1, 1, "expected a value"));
        assert_eq!(error("tru"), (1, 1, "expected a value"));
        assert_eq!(error("{} x"), (1, 4, "unexpected text after the document"));
        assert_eq!(
            error("\"a\tb\""),
            (1, 3, "a control character in a string (escape it)")
        );
        assert_eq!(error(r#""\x""#), (1, 3, "an unknown escape in a string"));
        assert_eq!(error(r#""\u12""#), (1, 2, "an invalid \\u escape"));
        assert_eq!(
            error(r#""\ud800""#),
            (1, 8, "a lone surrogate in a \\u escape")
        );
        assert_eq!(
            error(r#""\ud800\u0041""#),
            (1, 14, "a lone surrogate in a \\u escape")
        );
        assert_eq!(
            error(r#""\udc00""#),
            (1, 8, "a lone surrogate in a \\u escape")
        );
        assert_eq!(error("01"), (1, 1, "a number with a leading zero"));
        assert_eq!(error("-"), (1, 2, "an invalid number"));
        assert_eq!(error("1."), (1, 3, "an invalid number"));
        assert_eq!(error("1e"), (1, 3, "an invalid number"));
        assert_eq!(error(".5"), (1, 1, "expected a value"));
        assert_eq!(error("+1"), (1, 1, "expected a value"));
        assert_eq!(error("NaN"), (1, 1, "expected a value"));
    }

    #[test]
    fn entries_are_limited_while_reading() {
        assert!(parse_with("[1,2,3]", 3).is_ok());
        assert!(parse_with(r#"{"a":1,"b":[],"c":{}}"#, 3).is_ok());
        let at = |text: &str| {
            let e = parse_with(text, 3).expect_err(text);
            assert_eq!(e.message, TOO_MANY_ENTRIES);
            e.line_column(text)
        };
        assert_eq!(at("[1,2,3,4]"), (1, 8));
        assert_eq!(at("[1, 2, 3, x"), (1, 11));
        assert_eq!(at(r#"[[], [[1,2,3,4]]]"#), (1, 14));
        assert_eq!(at(r#"{"a":1,"b":2,"c":3,"d":4}"#), (1, 20));
        // The rest of the text is not read: a syntax error after the limit is not reached.
        assert_eq!(at("[0,0,0,0,0,0,0,0 garbage"), (1, 8));
    }

    #[test]
    fn nesting_is_limited_without_exhausting_the_stack() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(100_000);
        assert_eq!(
            error(&deep),
            (1, MAX_DEPTH + 1, "nested more than 128 levels deep")
        );
        let objects = r#"{"a":"#.repeat(100_000);
        assert_eq!(
            error(&objects),
            (1, 5 * MAX_DEPTH + 1, "nested more than 128 levels deep")
        );
    }
}
