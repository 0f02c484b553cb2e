//! The `logmesh` CLI as a wasm module for Node: [`run`] takes the arguments and returns the exit
//! status; everything else (files, stdout, stderr) goes through `host.js`.

#[allow(
    dead_code,
    reason = "the CLI's source is shared with the native binary, which uses all of it"
)]
#[path = "../src/cli/mod.rs"]
mod cli;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs `logmesh` with `args` (the first is the program's name) and returns the exit status.
#[wasm_bindgen]
pub fn run(args: Vec<String>) -> u8 {
    cli::run(args)
}
