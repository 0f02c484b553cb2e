//! Fuzz target `layout`: see `logmesh_fuzz::checks::layout`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logmesh_fuzz::checks::layout(data));
