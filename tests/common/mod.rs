//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use logmesh::posts::{self, Parsed};

/// Path of a file in tests/fixtures.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Parses a fixture, which must be valid.
pub fn fixture(name: &str) -> Parsed {
    let bytes = std::fs::read(fixture_path(name)).expect("fixture readable");
    posts::parse(&bytes).expect("fixture valid")
}
