//! The checks behind logmesh's fuzz targets (one function per target in [`checks`]).
//!
//! `checks.rs` is also compiled into the main crate's `tests/fuzz_corpus.rs`, which replays
//! `fuzz/corpus/` and `fuzz/regressions/` through the same functions in a plain `cargo test`.

pub mod checks;
