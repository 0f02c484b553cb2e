//! Fuzz target `export`: see `logmesh_fuzz::checks::export`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logmesh_fuzz::checks::export(data));
