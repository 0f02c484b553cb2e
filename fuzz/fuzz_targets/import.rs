//! Fuzz target `import`: see `logmesh_fuzz::checks::import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logmesh_fuzz::checks::import(data));
