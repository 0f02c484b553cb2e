//! Fuzz target `posts`: see `logmesh_fuzz::checks::posts`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logmesh_fuzz::checks::posts(data));
