//! The `logmesh` CLI as a wasm module for Node: [`run`] takes the arguments and returns the exit
//! status; everything else (files, stdout, stderr) goes through `host.js`.

#[allow(
    dead_code,
    reason = "the CLI's source is shared with the native binary, which uses all of it"
)]
#[path = "../src/cli/mod.rs"]
mod cli;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(module = "/host.js")]
extern "C" {
    /// Writes to a file descriptor (2: stderr), as `src/cli/host.rs` does.
    fn out(fd: u32, text: &str);
}

/// Runs `logmesh` with `args` (the first is the program's name) and returns the exit status.
/// A panic (a bug) is reported on stderr as Rust's would be, before the module traps; the bin
/// turns the trap into exit status 101, Rust's for a panic.
#[wasm_bindgen]
pub fn run(args: Vec<String>) -> u8 {
    std::panic::set_hook(Box::new(|info| {
        out(2, &format!("logmesh: internal error (please report it): {info}\n"));
    }));
    cli::run(args)
}
