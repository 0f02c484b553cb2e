//! `logmesh`: validate posts files, bake layouts, generate synthetic sites (docs/DESIGN.md, "CLI").

#[path = "../cli/mod.rs"]
mod cli;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::run(std::env::args_os()))
}
