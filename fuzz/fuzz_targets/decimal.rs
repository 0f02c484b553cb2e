//! Fuzz target `decimal`: see `logmesh_fuzz::checks::decimal`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logmesh_fuzz::checks::decimal(data));
