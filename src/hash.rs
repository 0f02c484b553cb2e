//! FNV-1a 64, the one hash written in files, on the CLI and in `stats()`.
//!
//! docs/DESIGN.md fixes the byte streams (`positions_hash`, `graph_hash`); this module only hashes
//! bytes and formats the result as 16 lowercase hex digits.

use std::fmt;

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// An incremental FNV-1a 64 hasher.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(OFFSET_BASIS)
    }
}

impl Fnv1a {
    /// A fresh hasher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// The hash so far.
    pub fn finish(&self) -> Hash64 {
        Hash64(self.0)
    }
}

/// Hashes one byte string.
pub fn fnv1a(bytes: &[u8]) -> Hash64 {
    let mut h = Fnv1a::new();
    h.write(bytes);
    h.finish()
}

/// A 64-bit hash, displayed (and serialised) as 16 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash64(pub u64);

impl fmt::Display for Hash64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl std::str::FromStr for Hash64 {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.len() != 16
            || !s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(format!(
                "{} is not 16 lowercase hex digits",
                crate::error::quote(s)
            ));
        }
        u64::from_str_radix(s, 16)
            .map(Hash64)
            .map_err(|e| e.to_string())
    }
}

impl serde::Serialize for Hash64 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Hash64 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(b"").to_string(), "cbf29ce484222325");
        assert_eq!(fnv1a(b"a").to_string(), "af63dc4c8601ec8c");
        assert_eq!(fnv1a(b"foobar").to_string(), "85944171f73967e8");
    }

    #[test]
    fn round_trips_as_text() {
        let h = fnv1a(b"logmesh");
        assert_eq!(h.to_string().parse::<Hash64>(), Ok(h));
        assert!("ABCDEF0123456789".parse::<Hash64>().is_err());
        assert!("abc".parse::<Hash64>().is_err());
    }
}
