//! A site's own colours and label font (docs/DESIGN.md, "A site's colours"): the palette posts
//! take their colours from, colours for chosen tags, and per theme the background, the label
//! colour and the label font.
//!
//! One [`Style`] is the one source of both the static frame and the live view: `logmesh
//! prerender` reads it from `logmesh.toml` ([`super::config`]), draws the frames with it, writes
//! the stylesheet from it and bakes it into the page data (`"style"`, posts.json version 2),
//! from which the element draws. [`Style::default`] is the built-in look.

use std::fmt::Write as _;

use super::{DARK, LIGHT, PALETTE, Rgba8, Theme, ThemeColours, UNTAGGED, contrast};
use crate::error::quote;
use crate::hash::fnv1a;
use crate::json::Value;
use crate::posts::Post;

// The errors say these numbers as they are (no formatting in the browser module).
const _: () =
    assert!(MAX_PALETTE_COLOURS == 64 && MAX_TAG_COLOURS == 1000 && MAX_FONT_CHARS == 200);

/// The most colours a palette may hold.
pub const MAX_PALETTE_COLOURS: usize = 64;

/// The most tags that may be given a colour of their own.
pub const MAX_TAG_COLOURS: usize = 1000;

/// The longest label font (a CSS `font-family` list), in characters.
pub const MAX_FONT_CHARS: usize = 200;

/// The label font of both built-in themes.
pub const DEFAULT_FONT: &str = r#"system-ui, -apple-system, "Segoe UI", Roboto, sans-serif"#;

/// The least contrast (WCAG) of a post's colour against the background before prerender warns
/// (WCAG 2.2, 1.4.11: graphical objects).
pub const MIN_NODE_CONTRAST: f32 = 3.0;

/// The least contrast of the label colour against the background before prerender warns (WCAG
/// 2.2, 1.4.3: text).
pub const MIN_LABEL_CONTRAST: f32 = 4.5;

/// A site's colours and label font. Built by [`Style::new`], which checks every part, or read
/// from page data by [`Style::from_json`]; the default is the built-in look.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    palette: Vec<Rgba8>,
    untagged: Rgba8,
    /// Sorted by tag (UTF-8 bytes), each tag once.
    tags: Vec<(String, Rgba8)>,
    /// Dark, light.
    themes: [ThemeColours; 2],
    /// Dark, light.
    fonts: [String; 2],
}

/// What a theme of a [`Style`] may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeStyle {
    /// The frame's background (opaque).
    pub background: Rgba8,
    /// The label text and the ring round a local graph's centre (opaque).
    pub label: Rgba8,
    /// The labels' CSS `font-family` list.
    pub font: String,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            palette: PALETTE.to_vec(),
            untagged: UNTAGGED,
            tags: Vec::new(),
            themes: [DARK, LIGHT],
            fonts: [DEFAULT_FONT.to_owned(), DEFAULT_FONT.to_owned()],
        }
    }
}

impl Style {
    /// A style from its parts, checked ([`Style::check`]): a palette of 1 to
    /// [`MAX_PALETTE_COLOURS`] colours, at most [`MAX_TAG_COLOURS`] tags (sorted by tag, UTF-8
    /// bytes, each once), and fonts of at most [`MAX_FONT_CHARS`] characters of a font list
    /// (letters, digits, spaces and `-_,.'"`). Every colour is opaque ([`parse_colour`] reads
    /// `#rrggbb` only). The error names the part (`palette`, `tags`, `light.font`).
    pub fn new(
        palette: Vec<Rgba8>,
        untagged: Rgba8,
        tags: Vec<(String, Rgba8)>,
        dark: ThemeStyle,
        light: ThemeStyle,
    ) -> Result<Style, String> {
        let style = Style::read(palette, untagged, tags, dark, light)?;
        style.check()?;
        Ok(style)
    }

    /// What reading a style needs: a palette (not empty: posts take a colour from it) and tags
    /// in order, each once (they are looked up by binary search). The page data's reader
    /// ([`Style::from_json`]) stops here, in the browser too: the element only ever hands a
    /// font to the DOM as an attribute value, which nothing in it can escape. What a stylesheet
    /// needs as well is [`Style::check`]'s, which prerender applies before it writes one.
    fn read(
        palette: Vec<Rgba8>,
        untagged: Rgba8,
        tags: Vec<(String, Rgba8)>,
        dark: ThemeStyle,
        light: ThemeStyle,
    ) -> Result<Style, String> {
        if palette.is_empty() {
            return Err(error(&["palette"], "1 to 64 colours"));
        }
        // Sorted, for the lookups: both writers (the TOML table and `to_json`) list tags in
        // order, so a check is enough (the browser module has no string sort: docs/SIZE.md).
        if tags.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
            return Err(error(&["tags"], "in UTF-8 byte order, each once"));
        }
        let mut themes = [DARK, LIGHT];
        themes[0].background = dark.background;
        themes[0].label_text = dark.label;
        themes[1].background = light.background;
        themes[1].label_text = light.label;
        Ok(Style {
            palette,
            untagged,
            tags,
            themes,
            fonts: [dark.font, light.font],
        })
    }

    /// What a style must be before it is written into a stylesheet or an SVG attribute as it is
    /// (prerender checks it, whether it came from `logmesh.toml` or a posts file): at most
    /// [`MAX_PALETTE_COLOURS`] colours and [`MAX_TAG_COLOURS`] tags, and fonts that are font
    /// lists ([`check_font`]).
    pub fn check(&self) -> Result<(), String> {
        if self.palette.len() > MAX_PALETTE_COLOURS {
            return Err(error(&["palette"], "1 to 64 colours"));
        }
        if self.tags.len() > MAX_TAG_COLOURS {
            return Err(error(&["tags"], "at most 1000 tags"));
        }
        for theme in Theme::ALL {
            check_font(self.font(theme)).map_err(|e| error(&[theme.name(), ".font"], &e))?;
        }
        Ok(())
    }

    /// The palette (posts whose primary tag has no colour of its own take
    /// `palette[fnv1a(tag) % len]`).
    pub fn palette(&self) -> &[Rgba8] {
        &self.palette
    }

    /// The colour of posts without tags.
    pub fn untagged(&self) -> Rgba8 {
        self.untagged
    }

    /// The tags given a colour of their own, sorted by tag.
    pub fn tags(&self) -> &[(String, Rgba8)] {
        &self.tags
    }

    /// A tag's colour: its own if it has one, else the palette's
    /// (FNV-1a 64 of its UTF-8 bytes modulo the palette's length).
    pub fn tag_colour(&self, tag: &str) -> Rgba8 {
        if let Ok(i) = self.tags.binary_search_by(|(t, _)| t.as_str().cmp(tag)) {
            return self.tags[i].1;
        }
        self.palette[(fnv1a(tag.as_bytes()).0 % self.palette.len() as u64) as usize]
    }

    /// A post's colour: that of its primary (first) tag, or the untagged colour. The same in
    /// every theme.
    pub fn node_colour(&self, post: &Post) -> Rgba8 {
        post.tags
            .first()
            .map_or(self.untagged, |tag| self.tag_colour(tag))
    }

    /// A theme's colours.
    pub fn colours(&self, theme: Theme) -> &ThemeColours {
        &self.themes[theme.index()]
    }

    /// Both themes' colours, dark first.
    pub fn themes(&self) -> [ThemeColours; 2] {
        self.themes
    }

    /// A theme's label font (a CSS `font-family` list).
    pub fn font(&self, theme: Theme) -> &str {
        &self.fonts[theme.index()]
    }

    /// What can be hard to see: in each theme, every post colour (palette, untagged, tags)
    /// below [`MIN_NODE_CONTRAST`] and a label colour below [`MIN_LABEL_CONTRAST`] against the
    /// background, one line each.
    pub fn contrast_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for theme in Theme::ALL {
            let background = self.colours(theme).background;
            let mut check = |what: &dyn Fn() -> String, colour: Rgba8, least: f32| {
                let ratio = contrast(colour, background);
                if ratio < least {
                    out.push(format!(
                        "{theme} theme: {} {} has a contrast of {ratio:.2}:1 against the background {}, less than {least}:1",
                        what(),
                        hex(colour),
                        hex(background)
                    ));
                }
            };
            for (i, &c) in self.palette.iter().enumerate() {
                check(&|| format!("palette[{i}]"), c, MIN_NODE_CONTRAST);
            }
            check(&|| "untagged".to_owned(), self.untagged, MIN_NODE_CONTRAST);
            for (tag, c) in &self.tags {
                check(&|| format!("tags.{}", quote(tag)), *c, MIN_NODE_CONTRAST);
            }
            check(
                &|| "label".to_owned(),
                self.colours(theme).label_text,
                MIN_LABEL_CONTRAST,
            );
        }
        out
    }

    /// The style as the page data's `"style"` (docs/DESIGN.md, "A site's colours"): one line,
    /// `{"palette":["#rrggbb",…],"untagged":…,"tags":{"tag":…},"dark":{"background":…,"label":…,"font":…},"light":{…}}`.
    pub fn to_json(&self) -> String {
        let string = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
        let mut out = String::from(r#"{"palette":["#);
        for (i, &c) in self.palette.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{}\"", hex(c));
        }
        let _ = write!(out, r#"],"untagged":"{}","tags":{{"#, hex(self.untagged));
        for (i, (tag, c)) in self.tags.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}:\"{}\"", string(tag), hex(*c));
        }
        out.push('}');
        for theme in Theme::ALL {
            let c = self.colours(theme);
            let _ = write!(
                out,
                r#","{theme}":{{"background":"{}","label":"{}","font":{}}}"#,
                hex(c.background),
                hex(c.label_text),
                string(self.font(theme))
            );
        }
        out.push('}');
        out
    }

    /// Reads [`Style::to_json`]'s form (every field required; others ignored), checked as
    /// [`Style::read`] checks a style, not [`Style::check`]. The error names the field
    /// (`tags."rust": expected a colour "#rrggbb"`).
    pub fn from_json(value: &Value<'_>) -> Result<Style, String> {
        // Plain loops, no `collect::<Result<…>>` (whose iterator adapters would be new code in
        // the browser module: docs/SIZE.md).
        let mut palette = Vec::new();
        let Value::Array(items) = field(value, "", "palette")? else {
            return Err(error(&["palette"], "expected a list"));
        };
        for item in items {
            palette.push(colour(item, &["palette"])?);
        }
        let untagged = colour(field(value, "", "untagged")?, &["untagged"])?;
        let mut tags = Vec::new();
        let Value::Object(entries) = field(value, "", "tags")? else {
            return Err(error(&["tags"], "expected an object"));
        };
        for (tag, item) in entries {
            match parse_colour(string(item)) {
                Some(c) => tags.push((String::from(tag.as_ref()), c)),
                None => return Err(error(&["tags.", &quote(tag)], NOT_A_COLOUR)),
            }
        }
        let dark = theme_from_json(field(value, "", "dark")?, "dark.")?;
        let light = theme_from_json(field(value, "", "light")?, "light.")?;
        Style::read(palette, untagged, tags, dark, light)
    }
}

/// A theme of [`Style::from_json`], at `prefix` (`dark.` or `light.`).
fn theme_from_json(theme: &Value<'_>, prefix: &str) -> Result<ThemeStyle, String> {
    let Value::String(font) = field(theme, prefix, "font")? else {
        return Err(error(&[prefix, "font"], "expected a string"));
    };
    Ok(ThemeStyle {
        background: colour(field(theme, prefix, "background")?, &[prefix, "background"])?,
        label: colour(field(theme, prefix, "label")?, &[prefix, "label"])?,
        font: String::from(font.as_ref()),
    })
}

// The errors here are put together without `format!` or `concat`: this code is in the browser
// module, which reads a page data's style, and each formatting path costs it (docs/SIZE.md).

const NOT_A_COLOUR: &str = "expected a colour \"#rrggbb\"";

/// The parts of a path, then `: ` and `message`.
fn error(path: &[&str], message: &str) -> String {
    let mut out = String::new();
    for part in path {
        out.push_str(part);
    }
    out.push_str(": ");
    out.push_str(message);
    out
}

/// The field `name` of `object`, whose path is `prefix` (`""`: the style itself, or `dark.`).
fn field<'v, 'a>(object: &'v Value<'a>, prefix: &str, name: &str) -> Result<&'v Value<'a>, String> {
    let found = match object {
        Value::Object(entries) => entries.iter().find(|(k, _)| k == name).map(|(_, v)| v),
        _ => None,
    };
    found.ok_or_else(|| error(&[prefix, name], "missing"))
}

/// The text of a string value (`""` for any other value).
fn string<'v>(value: &'v Value<'_>) -> &'v str {
    match value {
        Value::String(s) => s.as_ref(),
        _ => "",
    }
}

/// A colour written `#rrggbb`, at `path`.
fn colour(value: &Value<'_>, path: &[&str]) -> Result<Rgba8, String> {
    parse_colour(string(value)).ok_or_else(|| error(path, NOT_A_COLOUR))
}

/// `#rrggbb` (hex digits of either case) as an opaque colour.
pub fn parse_colour(text: &str) -> Option<Rgba8> {
    let digits = text.strip_prefix('#')?.as_bytes();
    if digits.len() != 6 {
        return None;
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    let byte = |i: usize| Some(nibble(digits[i])? << 4 | nibble(digits[i + 1])?);
    Some([byte(0)?, byte(2)?, byte(4)?, 255])
}

/// A colour as `#rrggbb` (its alpha left out), as CSS and SVG attributes write it.
pub fn hex([r, g, b, _]: Rgba8) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Checks a label font: a CSS `font-family` list of at most [`MAX_FONT_CHARS`] characters,
/// nothing but letters, digits, spaces and `-_,.'"` (so it can be written into a stylesheet and
/// an SVG attribute as it is); letters outside ASCII are any character there but a control.
pub fn check_font(font: &str) -> Result<(), String> {
    // Bytes, not chars: no Unicode tables or char searches in the browser module (docs/SIZE.md).
    let bytes = font.as_bytes();
    let count = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    if count == 0 || count > MAX_FONT_CHARS {
        return Err("1 to 200 characters".to_owned());
    }
    // Letters and digits: ASCII ones, and any character outside ASCII but a C1 control (font
    // names in other scripts), which a stylesheet cannot read as syntax.
    let bad = (0..bytes.len()).find(|&i| match bytes[i] {
        b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => false,
        b' ' | b'-' | b'_' | b',' | b'.' | b'\'' | b'"' => false,
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        b => b < 0x80,
    });
    match bad {
        Some(i) => {
            // An ASCII character, or a C1 control (two bytes).
            let len = if bytes[i] == 0xC2 { 2 } else { 1 };
            let mut out = quote(font);
            out.push_str(" may not hold ");
            out.push_str(&quote(font.get(i..i + len).unwrap_or("")));
            out.push_str(" (a font list is letters, digits, spaces and -_,.'\")");
            Err(out)
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(background: &str, label: &str, font: &str) -> ThemeStyle {
        ThemeStyle {
            background: parse_colour(background).expect("a colour"),
            label: parse_colour(label).expect("a colour"),
            font: font.to_owned(),
        }
    }

    fn custom() -> Style {
        Style::new(
            vec![[200, 40, 40, 255], [40, 40, 200, 255]],
            [90, 90, 90, 255],
            vec![
                ("rust \"lang\"".to_owned(), [222, 165, 132, 255]),
                ("zeta".to_owned(), [0, 128, 0, 255]),
            ],
            theme("#101010", "#f0f0f0", "Inter, sans-serif"),
            theme("#ffffff", "#202020", "\"Iowan Old Style\", serif"),
        )
        .expect("valid")
    }

    #[test]
    fn the_default_is_the_built_in_look() {
        let style = Style::default();
        for tag in ["rust", "ai", "", "wasm"] {
            assert_eq!(style.tag_colour(tag), super::super::tag_colour(tag));
        }
        assert_eq!(style.colours(Theme::Dark), Theme::Dark.colours());
        assert_eq!(style.colours(Theme::Light), Theme::Light.colours());
        assert!(
            style.contrast_warnings().is_empty(),
            "{:?}",
            style.contrast_warnings()
        );
    }

    #[test]
    fn tags_of_their_own_win_over_the_palette() {
        let style = custom();
        assert_eq!(style.tag_colour("zeta"), [0, 128, 0, 255]);
        assert_eq!(style.tag_colour("rust \"lang\""), [222, 165, 132, 255]);
        let other = style.tag_colour("other");
        assert_eq!(other, style.palette()[(fnv1a(b"other").0 % 2) as usize]);
        assert_eq!(style.colours(Theme::Light).background, [255, 255, 255, 255]);
        assert_eq!(style.colours(Theme::Light).label_text, [32, 32, 32, 255]);
        assert_eq!(
            style.colours(Theme::Light).link_edge,
            Theme::Light.colours().link_edge
        );
        assert_eq!(style.font(Theme::Dark), "Inter, sans-serif");
    }

    #[test]
    fn json_round_trips_and_names_bad_fields() {
        for style in [Style::default(), custom()] {
            let text = style.to_json();
            let value = crate::json::parse(&text).expect("json");
            assert_eq!(Style::from_json(&value), Ok(style));
        }
        let bad = |edit: &dyn Fn(String) -> String| {
            let text = edit(custom().to_json());
            Style::from_json(&crate::json::parse(&text).expect("json")).expect_err(&text)
        };
        assert_eq!(
            bad(&|t| t.replace("#c82828", "#c828")),
            r##"palette: expected a colour "#rrggbb""##
        );
        assert_eq!(
            bad(&|t| t.replace("#c82828", "#c8282880")),
            r##"palette: expected a colour "#rrggbb""##
        );
        assert_eq!(
            bad(&|t| t.replace("#008000", "green")),
            r##"tags."zeta": expected a colour "#rrggbb""##
        );
        assert_eq!(
            bad(&|t| t.replace(r##""label":"#202020","##, "")),
            "light.label: missing"
        );
        assert_eq!(
            bad(&|t| t.replace(r#""zeta""#, r#""rust \"lang\"""#)),
            "tags: in UTF-8 byte order, each once"
        );
        assert_eq!(
            bad(&|t| t.replace(r#""zeta""#, r#""a""#)),
            "tags: in UTF-8 byte order, each once"
        );
        // A font is checked before a stylesheet is written, not when it is read.
        let text = custom().to_json().replace("Inter", "Inter;}body{");
        let read = Style::from_json(&crate::json::parse(&text).expect("json")).expect("read");
        assert_eq!(
            read.check(),
            Err(r#"dark.font: "Inter;}body{, sans-serif" may not hold ";" (a font list is letters, digits, spaces and -_,.'")"#.to_owned())
        );
        assert_eq!(
            bad(&|t| t.replace(r##""palette":["#c82828","#2828c8"]"##, r#""palette":[]"#)),
            "palette: 1 to 64 colours"
        );
        assert_eq!(
            bad(&|t| t.replace(r#""untagged""#, r#""grey""#)),
            "untagged: missing"
        );
    }

    #[test]
    fn fonts_are_font_lists() {
        assert_eq!(
            check_font("ヒラギノ角ゴ Pro, 'Noto Sans JP', sans-serif"),
            Ok(())
        );
        assert_eq!(check_font(&"é".repeat(MAX_FONT_CHARS)), Ok(()));
        assert_eq!(
            check_font(&"é".repeat(MAX_FONT_CHARS + 1)),
            Err("1 to 200 characters".to_owned())
        );
        assert!(check_font("").is_err());
        for bad in ["a\u{85}b", "a\tb", "a;b", "a{b", "a/*b", "a\\b", "a<b"] {
            assert!(check_font(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn low_contrast_is_named() {
        let style = Style::new(
            vec![[250, 250, 250, 255], [59, 130, 196, 255]],
            [138, 143, 152, 255],
            vec![("pale".to_owned(), [240, 240, 240, 255])],
            theme("#0f1117", "#303030", "serif"),
            theme("#fbfbfd", "#1c1f26", "serif"),
        )
        .expect("valid");
        let warnings = style.contrast_warnings();
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
        assert!(warnings[0].starts_with("dark theme: label #303030 has a contrast of 1."));
        assert!(warnings[0].ends_with("against the background #0f1117, less than 4.5:1"));
        assert!(warnings[1].starts_with("light theme: palette[0] #fafafa"));
        assert!(warnings[2].starts_with("light theme: tags.\"pale\" #f0f0f0"));
    }
}
