//! File names for the local graphs `logmesh prerender --local` writes, one set per post
//! (docs/DESIGN.md, "Local graph"): safe on every file system and web server, distinct even
//! where names are compared without case, and predictable from the id.
//!
//! The rule, per id:
//! 1. Its UTF-8 bytes percent-encoded: ASCII letters, digits, `-` and `_` are kept, every other
//!    byte is `%XX` (upper-case hex). So a name never holds `/`, `\`, a dot (no `..`, no hidden
//!    file, no extension of its own) or a control character.
//! 2. A name longer than [`MAX_STEM`] bytes is cut there (never inside a `%XX`), and one that is
//!    a device name on Windows (`con`, `nul`, `com1`, ...) is kept as it is; both then get the
//!    suffix of rule 3.
//! 3. Names equal without case (`Post` and `post`), and the names of rule 2, end with `~` and
//!    the first 8 hex digits of the id's FNV-1a 64 hash, which tells them apart.
//!
//! The page's URL for a file is its name with `%` written `%25` ([`url_name`]).

use std::collections::HashMap;

use crate::hash::fnv1a;

/// The longest stem kept before the hash suffix (bytes; file systems allow 255 a name).
pub const MAX_STEM: usize = 96;

const WINDOWS_DEVICES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The file-name stem of each id, in the order given (the rule in the module doc).
pub fn local_names<S: AsRef<str>>(ids: &[S]) -> Vec<String> {
    let encoded: Vec<(String, bool)> = ids.iter().map(|id| encode(id.as_ref())).collect();
    let mut by_folded: HashMap<String, usize> = HashMap::new();
    for (name, _) in &encoded {
        *by_folded.entry(name.to_ascii_lowercase()).or_default() += 1;
    }
    ids.iter()
        .zip(encoded)
        .map(|(id, (name, special))| {
            if special || by_folded[&name.to_ascii_lowercase()] > 1 {
                let hash = fnv1a(id.as_ref().as_bytes()).to_string();
                format!("{name}~{}", &hash[..8])
            } else {
                name
            }
        })
        .collect()
}

/// `name` as a URL path segment: its `%` written `%25`, so the server is asked for the file of
/// that name.
pub fn url_name(name: &str) -> String {
    name.replace('%', "%25")
}

/// Rule 1 and the cut of rule 2; `true` when rule 2 applied.
fn encode(id: &str) -> (String, bool) {
    let mut out = String::with_capacity(id.len());
    let mut cut = false;
    for &b in id.as_bytes() {
        let piece_len = if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            1
        } else {
            3
        };
        if out.len() + piece_len > MAX_STEM {
            cut = true;
            break;
        }
        if piece_len == 1 {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    let device = WINDOWS_DEVICES.contains(&out.to_ascii_lowercase().as_str());
    (out, cut || device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_their_own_names() {
        assert_eq!(
            local_names(&["mvp-to-production", "post_2"]),
            ["mvp-to-production", "post_2"]
        );
    }

    #[test]
    fn slashes_dots_and_other_bytes_are_encoded() {
        let names = local_names(&["a/b", "..", "x.y", "café", "a b"]);
        assert_eq!(names, ["a%2Fb", "%2E%2E", "x%2Ey", "caf%C3%A9", "a%20b"]);
        for name in &names {
            assert!(!name.contains('/') && !name.contains('.'), "{name}");
        }
        assert_eq!(url_name("a%2Fb"), "a%252Fb");
    }

    #[test]
    fn case_twins_long_ids_and_devices_get_a_hash() {
        let long = "x".repeat(300);
        let names = local_names(&["Post", "post", "other", long.as_str(), "CON"]);
        assert!(names[0].starts_with("Post~") && names[1].starts_with("post~"));
        assert_ne!(names[0].to_lowercase(), names[1].to_lowercase());
        assert_eq!(names[2], "other");
        assert!(names[3].len() == MAX_STEM + 9 && names[3].starts_with("xxx"));
        assert!(names[4].starts_with("CON~"));
        // Never cut inside a %XX.
        let wide = "é".repeat(100);
        let name = &local_names(&[wide.as_str()])[0];
        let stem = name.split('~').next().expect("a stem");
        assert!(
            stem.len() <= MAX_STEM && stem.len().is_multiple_of(3),
            "{name}"
        );
    }
}
