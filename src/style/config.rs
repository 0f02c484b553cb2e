//! `logmesh.toml`: a site's colours and label font as its owner writes them (docs/DESIGN.md, "A
//! site's colours"). Every key is optional; what is left out keeps the built-in value.
//!
//! ```toml
//! palette = ["#3b82c4", "#cf7d23"]  # posts take palette[fnv1a(primary tag) % len]
//! untagged = "#8a8f98"              # posts without tags
//! font = "Inter, sans-serif"        # the labels' font in both themes
//!
//! [tags]                            # tags with a colour of their own
//! rust = "#b7410e"
//!
//! [dark]                            # and [light]: background, label, font
//! background = "#101418"
//! label = "#e8eaee"
//! ```

use serde::Deserialize;

use super::{Style, Theme, ThemeStyle, parse_colour};

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    palette: Option<Vec<String>>,
    untagged: Option<String>,
    font: Option<String>,
    #[serde(default)]
    tags: toml::Table,
    dark: Option<ThemeFile>,
    light: Option<ThemeFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    background: Option<String>,
    label: Option<String>,
    font: Option<String>,
}

/// The style a `logmesh.toml` text describes, over [`Style::default`]. The error names the key
/// (`light.label: "#12" is not a colour …`), or the line and column of a TOML error.
pub fn parse_config(text: &str) -> Result<Style, String> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| e.to_string().trim().to_owned())?;
    let base = Style::default();
    let colour = |path: &str, text: Option<&String>, default| match text {
        None => Ok(default),
        Some(text) => parse_colour(text).ok_or_else(|| {
            format!(
                "{path}: {} is not a colour \"#rrggbb\"",
                crate::error::quote(text)
            )
        }),
    };
    let palette = match &file.palette {
        None => base.palette().to_vec(),
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, c)| colour(&format!("palette[{i}]"), Some(c), [0; 4]))
            .collect::<Result<_, _>>()?,
    };
    let untagged = colour("untagged", file.untagged.as_ref(), base.untagged())?;
    let mut tags = Vec::with_capacity(file.tags.len());
    for (tag, value) in &file.tags {
        let path = format!("tags.{}", crate::error::quote(tag));
        let Some(text) = value.as_str() else {
            return Err(format!("{path}: expected a string \"#rrggbb\""));
        };
        tags.push((tag.clone(), colour(&path, Some(&text.to_owned()), [0; 4])?));
    }
    let theme = |theme: Theme, given: Option<&ThemeFile>| -> Result<ThemeStyle, String> {
        let empty = ThemeFile::default();
        let given = given.unwrap_or(&empty);
        let c = base.colours(theme);
        Ok(ThemeStyle {
            background: colour(
                &format!("{theme}.background"),
                given.background.as_ref(),
                c.background,
            )?,
            label: colour(
                &format!("{theme}.label"),
                given.label.as_ref(),
                c.label_text,
            )?,
            font: given
                .font
                .clone()
                .or_else(|| file.font.clone())
                .unwrap_or_else(|| base.font(theme).to_owned()),
        })
    };
    Style::new(
        palette,
        untagged,
        tags,
        theme(Theme::Dark, file.dark.as_ref())?,
        theme(Theme::Light, file.light.as_ref())?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_built_in_look() {
        assert_eq!(parse_config(""), Ok(Style::default()));
    }

    #[test]
    fn every_key() {
        let style = parse_config(
            r##"
palette = ["#112233", "#445566"]
untagged = "#777777"
font = "Inter, sans-serif"
[tags]
rust = "#B7410E"
"machine learning" = "#008080"
[dark]
background = "#000000"
label = "#ffffff"
[light]
background = "#ffffff"
label = "#000000"
font = "Georgia, serif"
"##,
        )
        .expect("valid");
        assert_eq!(
            style.palette(),
            [[0x11, 0x22, 0x33, 255], [0x44, 0x55, 0x66, 255]]
        );
        assert_eq!(style.untagged(), [0x77, 0x77, 0x77, 255]);
        assert_eq!(style.tag_colour("rust"), [0xb7, 0x41, 0x0e, 255]);
        assert_eq!(style.tag_colour("machine learning"), [0, 0x80, 0x80, 255]);
        assert_eq!(style.font(Theme::Dark), "Inter, sans-serif");
        assert_eq!(style.font(Theme::Light), "Georgia, serif");
        assert_eq!(style.colours(Theme::Dark).background, [0, 0, 0, 255]);
        assert_eq!(style.colours(Theme::Light).label_text, [0, 0, 0, 255]);
    }

    #[test]
    fn errors_name_the_key() {
        let error = |text: &str| parse_config(text).expect_err(text);
        assert_eq!(
            error("[light]\nlabel = \"#12\""),
            r##"light.label: "#12" is not a colour "#rrggbb""##
        );
        assert_eq!(
            error("[tags]\nrust = 3"),
            r##"tags."rust": expected a string "#rrggbb""##
        );
        assert_eq!(error("palette = []"), "palette: 1 to 64 colours");
        assert_eq!(
            error("font = \"x</style>\""),
            r#"dark.font: "x</style>" may not hold "<" (a font list is letters, digits, spaces and -_,.'")"#
        );
        assert!(error("pallete = []").contains("unknown field `pallete`"));
        assert!(error("[dark]\nbackground = \"#000\"").starts_with("dark.background"));
        assert!(
            error("palette = [").contains("line 1"),
            "{}",
            error("palette = [")
        );
    }
}
