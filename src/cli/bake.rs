//! `logmesh bake POSTS -o LAYOUT [--seed N] [--iterations N] [--from OLD]`.

use std::fmt::Write as _;
use std::path::PathBuf;

use logmesh::graph::{EdgeKind, PostGraph};
use logmesh::layout::{ForceParams, Layout, Reuse};

use super::{Failure, files, print, progress, warning, write};

/// Arguments of `bake`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The posts file (posts.json version 1).
    posts: PathBuf,
    /// Where to write the layout (layout.json version 1); replaced atomically.
    #[arg(short, long, value_name = "LAYOUT")]
    output: PathBuf,
    /// Seed of the initial placement.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of simulation steps.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    iterations: u32,
    /// An earlier layout of these posts: used as it is when the posts' graph is unchanged,
    /// warm-started from when it changed (stale), ignored when it shares no post (foreign).
    #[arg(long, value_name = "OLD")]
    from: Option<PathBuf>,
}

/// Prints, on stdout, the counts, how the layout was made, the file written and, last,
/// `hash: <positions_hash>`. Posts warnings and the stale/foreign warning go to stderr.
///
/// An unreadable `--from` file is an I/O error (exit 2); an invalid one (syntax, version,
/// non-finite position) fails with exit 1 rather than being silently laid out afresh: on the
/// command line the user named the file, so a broken one is worth stopping for.
pub fn run(args: &Args) -> Result<(), Failure> {
    let parsed = files::read_posts(&args.posts)?;
    for w in &parsed.warnings {
        warning(&w.to_string());
    }
    let old = match &args.from {
        None => None,
        Some(path) => Some(files::read_layout(path)?),
    };

    let posts = &parsed.posts;
    let graph = PostGraph::build(posts);
    let params = ForceParams {
        seed: args.seed,
        iterations: args.iterations,
        ..ForceParams::default()
    };
    let message = format!(
        "laying out {} posts ({} iterations)",
        posts.len(),
        params.iterations
    );
    let (layout, reuse, reuse_warning) = progress::with_spinner(message, || {
        Layout::resolve(posts, &graph, &params, old.as_ref())
    });
    if let Some(w) = reuse_warning {
        warning(&w);
    }

    let json = layout.to_file(posts).to_json();
    write::write_atomically(&args.output, |out| out.write_all(json.as_bytes()))?;

    let from = args
        .from
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let how = match reuse {
        Reuse::Fresh => "fresh".to_string(),
        Reuse::Exact => format!("reused as is from {from}"),
        Reuse::Stale => format!("warm start from {from} (stale)"),
        Reuse::Foreign => format!("fresh ({from} is foreign)"),
    };
    let mut text = format!(
        "{} posts, {} edges ({} link, {} tag)\n",
        posts.len(),
        graph.edges.len(),
        graph.count(EdgeKind::Link),
        graph.count(EdgeKind::Tag)
    );
    let _ = writeln!(
        text,
        "layout: {how}, seed {}, {} iterations",
        layout.seed, layout.iterations
    );
    let _ = writeln!(text, "wrote {}", args.output.display());
    let _ = writeln!(text, "hash: {}", layout.positions_hash);
    print(&text)
}
