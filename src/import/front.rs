//! Front matter: YAML between `---` lines, TOML between `+++` lines, or a JSON object starting the
//! file (docs/IMPORT.md, "markdown"). All three become one value tree ([`serde_json::Value`]), so the
//! fields are read once whatever the format.

use serde_json::{Map, Value};

/// Most values a YAML front matter may expand to (aliases included): an alias bomb is malformed,
/// not a hang.
pub const MAX_YAML_VALUES: usize = 10_000;

/// A file split into its front matter (an object; empty when the file has none) and its body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front matter's fields.
    pub fields: Map<String, Value>,
    /// The rest of the file.
    pub body: &'a str,
}

/// Splits `text` into front matter and body; an error says why the front matter is malformed.
pub fn split(text: &str) -> Result<Split<'_>, String> {
    for (fence, parse) in [
        ("---", yaml as fn(&str) -> Result<Value, String>),
        ("+++", toml_value as fn(&str) -> Result<Value, String>),
    ] {
        if let Some((matter, body)) = fenced(text, fence) {
            let value = parse(matter)?;
            return match value {
                Value::Object(fields) => Ok(Split { fields, body }),
                Value::Null => Ok(Split {
                    fields: Map::new(),
                    body,
                }),
                _ => Err("the front matter is not a set of fields".into()),
            };
        }
    }
    if text.starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        return match stream.next() {
            Some(Ok(Value::Object(fields))) => Ok(Split {
                fields,
                body: &text[stream.byte_offset()..],
            }),
            Some(Err(e)) => Err(format!("JSON front matter: {e}")),
            _ => Err("the front matter is not a set of fields".into()),
        };
    }
    Ok(Split {
        fields: Map::new(),
        body: text,
    })
}

/// The text between a first line `fence` and the next line that is `fence`, and the rest.
fn fenced<'a>(text: &'a str, fence: &str) -> Option<(&'a str, &'a str)> {
    let rest = text.strip_prefix(fence)?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn toml_value(text: &str) -> Result<Value, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("TOML front matter: {}", e.message()))?;
    Ok(from_toml(toml::Value::Table(table)))
}

fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

/// YAML (1.2, core schema for the scalars the importer reads: booleans and null; every other
/// scalar stays a string) from saphyr's event parser, with aliases expanded up to
/// [`MAX_YAML_VALUES`] values in all.
pub(crate) fn yaml(text: &str) -> Result<Value, String> {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    enum Open {
        List(Vec<Value>, usize),
        Map(Map<String, Value>, Option<String>, usize),
    }
    let mut anchors: std::collections::HashMap<usize, Value> = std::collections::HashMap::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Value> = None;
    let mut count = 0usize;
    let malformed = |e: saphyr_parser::ScanError| format!("YAML front matter: {e}");

    // Places a finished value into its parent (or as the document), keeping its anchor.
    fn place(
        stack: &mut [Open],
        root: &mut Option<Value>,
        anchors: &mut std::collections::HashMap<usize, Value>,
        value: Value,
        anchor: usize,
    ) {
        if anchor > 0 {
            anchors.insert(anchor, value.clone());
        }
        match stack.last_mut() {
            Some(Open::List(items, _)) => items.push(value),
            Some(Open::Map(map, key, _)) => match key.take() {
                Some(k) => {
                    map.insert(k, value);
                }
                None => *key = Some(key_text(&value)),
            },
            None => {
                if root.is_none() {
                    *root = Some(value);
                }
            }
        }
    }
    fn key_text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    fn size(value: &Value) -> usize {
        match value {
            Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
            Value::Object(m) => 1 + m.values().map(size).sum::<usize>(),
            _ => 1,
        }
    }

    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(malformed)?;
        match event {
            Event::Scalar(s, style, anchor, _) => {
                count += 1;
                let value = match (style, s.as_ref()) {
                    (ScalarStyle::Plain, "true" | "True" | "TRUE") => Value::Bool(true),
                    (ScalarStyle::Plain, "false" | "False" | "FALSE") => Value::Bool(false),
                    (ScalarStyle::Plain, "" | "~" | "null" | "Null" | "NULL") => Value::Null,
                    _ => Value::String(s.into_owned()),
                };
                place(&mut stack, &mut root, &mut anchors, value, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                count += 1;
                stack.push(Open::List(Vec::new(), anchor));
            }
            Event::MappingStart(anchor, _) => {
                count += 1;
                stack.push(Open::Map(Map::new(), None, anchor));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match stack.pop() {
                    Some(Open::List(items, anchor)) => (Value::Array(items), anchor),
                    Some(Open::Map(map, _, anchor)) => (Value::Object(map), anchor),
                    None => return Err("YAML front matter: unbalanced".into()),
                };
                place(&mut stack, &mut root, &mut anchors, value, anchor);
            }
            Event::Alias(anchor) => {
                let value = anchors.get(&anchor).cloned().unwrap_or(Value::Null);
                count += size(&value);
                if count > MAX_YAML_VALUES {
                    break;
                }
                place(&mut stack, &mut root, &mut anchors, value, 0);
            }
            Event::DocumentEnd if root.is_some() => break,
            _ => {}
        }
        if count > MAX_YAML_VALUES {
            return Err(format!(
                "YAML front matter: more than {MAX_YAML_VALUES} values (aliases expanded)"
            ));
        }
    }
    if count > MAX_YAML_VALUES {
        return Err(format!(
            "YAML front matter: more than {MAX_YAML_VALUES} values (aliases expanded)"
        ));
    }
    Ok(root.unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_toml_and_json_give_the_same_fields() {
        let yaml = split("---\ntitle: A\ndraft: true\ntags: [x, y]\n---\nbody").expect("parsed");
        let toml = split("+++\ntitle = \"A\"\ndraft = true\ntags = [\"x\", \"y\"]\n+++\nbody")
            .expect("parsed");
        let json = split("{\"title\": \"A\", \"draft\": true, \"tags\": [\"x\", \"y\"]}\nbody")
            .expect("parsed");
        for s in [&yaml, &toml, &json] {
            assert_eq!(s.fields["title"], "A");
            assert_eq!(s.fields["draft"], true);
            assert_eq!(s.fields["tags"], serde_json::json!(["x", "y"]));
            assert_eq!(s.body.trim(), "body");
        }
    }

    #[test]
    fn toml_dates_and_yaml_dates_are_strings() {
        let toml = split("+++\ndate = 2024-03-01\n+++\n").expect("parsed");
        assert_eq!(toml.fields["date"], "2024-03-01");
        let yaml = split("---\ndate: 2024-03-01 10:00:00 +0100\n---\n").expect("parsed");
        assert_eq!(yaml.fields["date"], "2024-03-01 10:00:00 +0100");
    }

    #[test]
    fn aliases_are_followed_and_a_bomb_is_refused() {
        let ok = split("---\nbase: &b [x, y]\ntags: *b\n---\n").expect("parsed");
        assert_eq!(ok.fields["tags"], serde_json::json!(["x", "y"]));
        let mut bomb = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        bomb.push_str("---\n");
        let e = split(&bomb).expect_err("an error");
        assert!(e.contains("more than 10000 values"), "{e}");
    }

    #[test]
    fn malformed_front_matter_says_which_format() {
        assert!(
            split("---\ntitle: [unclosed\n---\n")
                .expect_err("an error")
                .starts_with("YAML")
        );
        assert!(
            split("+++\ntitle = \n+++\n")
                .expect_err("an error")
                .starts_with("TOML")
        );
        assert!(
            split("{\"title\": }\n")
                .expect_err("an error")
                .starts_with("JSON")
        );
    }

    #[test]
    fn no_front_matter_or_an_unclosed_fence_is_all_body() {
        assert!(split("# Hello\n").expect("parsed").fields.is_empty());
        let s = split("---\nnot closed\n").expect("parsed");
        assert!(s.fields.is_empty());
        assert_eq!(s.body, "---\nnot closed\n");
    }
}
