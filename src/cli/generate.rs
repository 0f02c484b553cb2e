//! `logmesh gen --posts N --seed S -o POSTS`.

use std::path::PathBuf;

use logmesh::posts::{Limits, Post};

use super::{Failure, print, progress, write};

/// Arguments of `gen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many posts (at most the parser's default limit, 1,000,000).
    #[arg(long, value_parser = parse_count)]
    posts: usize,
    /// Seed: the same count and seed always give the same file.
    #[arg(long)]
    seed: u64,
    /// Where to write the posts file; replaced atomically.
    #[arg(short, long, value_name = "POSTS")]
    output: PathBuf,
}

fn parse_count(s: &str) -> Result<usize, String> {
    let max = Limits::default().max_posts;
    match s.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
}

/// posts.json version 1, as written.
#[derive(serde::Serialize)]
struct PostsFile<'a> {
    version: u32,
    posts: &'a [Post],
}

/// Writes compact JSON (posts in id order) and prints `wrote N posts to PATH`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let posts = progress::with_spinner(format!("generating {} posts", args.posts), || {
        logmesh::sitegen::generate(args.posts, args.seed)
    });
    let file = PostsFile {
        version: 1,
        posts: &posts,
    };
    write::write_atomically(&args.output, |out| {
        serde_json::to_writer(&mut *out, &file)?;
        out.write_all(b"\n")
    })?;
    print(&format!(
        "wrote {} posts to {}\n",
        posts.len(),
        args.output.display()
    ))
}
