//! The command-line tool (docs/DESIGN.md, "CLI"), compiled only into the `logmesh` binary (feature
//! `cli`); the library never includes this folder.
//!
//! Every subcommand lives in its own module and returns `Result<(), Failure>`; [`main`] prints
//! the failure and turns it into the exit status:
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success (warnings do not change it) |
//! | 1 | invalid input (a posts file, a layout file), or `pick --verify` found a disagreement |
//! | 2 | usage (clap's own status) or I/O error (the message names the path) |
//! | 3 | no GPU adapter (`prerender` still writes everything but the PNGs; `pick` with the GPU) |
//!
//! Results go to stdout, `warning: ` and `error: ` lines to stderr (except `validate`, whose
//! report *is* its result), and progress to stderr only when stderr is a terminal.

mod bake;
mod encode;
mod files;
mod generate;
mod host;
mod import;
mod pick;
mod prerender;
mod progress;
mod site;
mod validate;
mod write;

use clap::{Parser, Subcommand};
use logmesh::Error;

// The help text's description is the package's (Cargo.toml).
#[derive(Debug, Parser)]
#[command(name = "logmesh", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a posts file: counts, warnings and every error found.
    Validate(validate::Args),
    /// Lay out a posts file and write layout.json.
    Bake(bake::Args),
    /// Write a synthetic, realistic posts file (deterministic for a seed).
    Gen(generate::Args),
    /// Read a site's Markdown, built HTML or feed and write posts.json (docs/IMPORT.md).
    Import(import::Args),
    /// Write the first frame (PNG and SVG, both themes), hits, layout, page data and embed.html.
    Prerender(prerender::Args),
    /// Name the post under a pixel of the first frame, or check GPU picking against the CPU.
    Pick(pick::Args),
}

/// Parses the arguments (the first is the program's name), runs the subcommand, and returns
/// the exit status. Help, version and usage errors are clap's, printed here.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Styled only for a terminal, as clap's own `exit` does.
            let text = if host::stderr_is_terminal() {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            if e.use_stderr() {
                host::stderr(&text);
            } else if host::stdout(&text).is_err() {
                return USAGE_OR_IO;
            }
            return u8::try_from(e.exit_code()).unwrap_or(USAGE_OR_IO);
        }
    };
    let result = match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Bake(args) => bake::run(&args),
        Command::Gen(args) => generate::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Prerender(args) => prerender::run(&args),
        Command::Pick(args) => pick::run(&args),
    };
    match result {
        Ok(()) => 0,
        Err(failure) => {
            for line in &failure.lines {
                error(line);
            }
            failure.status
        }
    }
}

/// Exit status for invalid input.
const INVALID: u8 = 1;
/// Exit status for usage and I/O errors (clap uses it too).
const USAGE_OR_IO: u8 = 2;
/// Exit status when a GPU adapter is needed and none exists.
const NO_ADAPTER: u8 = 3;

/// Why a command failed: its exit status and the messages to print as `error: ` lines.
#[derive(Debug)]
struct Failure {
    status: u8,
    lines: Vec<String>,
}

impl Failure {
    /// A failure whose messages were already written (e.g. into `validate --json`'s report).
    fn quiet(status: u8) -> Failure {
        Failure {
            status,
            lines: Vec::new(),
        }
    }

    /// An error about a named file: every message is prefixed with the path (except an I/O
    /// error's, which names it already).
    fn in_file(path: &std::path::Path, error: Error) -> Failure {
        if let Error::Io { .. } = error {
            return Failure::from(error);
        }
        let mut failure = Failure::from(error);
        for line in &mut failure.lines {
            *line = format!("{}: {line}", path.display());
        }
        failure
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        let status = match error {
            Error::InvalidPosts { .. } | Error::InvalidLayout(_) => INVALID,
            Error::InvalidArgument(_) | Error::Io { .. } => USAGE_OR_IO,
        };
        Failure {
            status,
            lines: error_lines(&error),
        }
    }
}

/// One line per problem: each issue of an invalid posts file (and a count of those not kept),
/// or the error's message.
fn error_lines(error: &Error) -> Vec<String> {
    match error {
        Error::InvalidPosts { issues, more } => {
            let mut lines: Vec<String> = issues.iter().map(ToString::to_string).collect();
            if *more > 0 {
                lines.push(format!("... and {more} more"));
            }
            lines
        }
        other => vec![other.to_string()],
    }
}

/// Writes a command's result to stdout. A closed stdout is an I/O error, not a panic.
fn print(text: &str) -> Result<(), Failure> {
    host::stdout(text).map_err(|e| Failure::from(Error::io("stdout", e)))
}

/// Writes `warning: {message}` to stderr (best effort: a closed stderr is ignored).
fn warning(message: &str) {
    host::stderr(&format!("warning: {message}\n"));
}

/// Writes `error: {message}` to stderr (best effort).
fn error(message: &str) {
    host::stderr(&format!("error: {message}\n"));
}
