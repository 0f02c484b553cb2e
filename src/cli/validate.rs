//! `logmesh validate POSTS [--json]`.

use std::fmt::Write as _;
use std::path::PathBuf;

use logmesh::graph::{EdgeKind, PostGraph};
use logmesh::posts::Parsed;

use super::{Failure, INVALID, error_lines, files, print};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The posts file (posts.json version 1).
    posts: PathBuf,
    /// Print one JSON object on stdout instead of the human summary.
    #[arg(long)]
    json: bool,
}

/// What `validate` found, in both output forms.
struct Report {
    posts: usize,
    link_edges: usize,
    tag_edges: usize,
    dropped_links: usize,
    warnings: Vec<String>,
    errors: Vec<String>,
}

impl Report {
    fn valid(parsed: &Parsed) -> Report {
        let graph = PostGraph::build(&parsed.posts);
        Report {
            posts: parsed.posts.len(),
            link_edges: graph.count(EdgeKind::Link),
            tag_edges: graph.count(EdgeKind::Tag),
            dropped_links: parsed.dropped_links,
            warnings: parsed.warnings.iter().map(ToString::to_string).collect(),
            errors: Vec::new(),
        }
    }

    fn invalid(errors: Vec<String>) -> Report {
        Report {
            posts: 0,
            link_edges: 0,
            tag_edges: 0,
            dropped_links: 0,
            warnings: Vec::new(),
            errors,
        }
    }

    fn json(&self) -> String {
        let value = serde_json::json!({
            "posts": self.posts,
            "edges": self.link_edges + self.tag_edges,
            "edges_by_kind": { "link": self.link_edges, "tag": self.tag_edges },
            "dropped_links": self.dropped_links,
            "warnings": self.warnings,
            "errors": self.errors,
        });
        format!("{value}\n")
    }

    fn human(&self) -> String {
        let mut text = format!(
            "{} posts, {} edges ({} link, {} tag), {} links dropped\n",
            self.posts,
            self.link_edges + self.tag_edges,
            self.link_edges,
            self.tag_edges,
            self.dropped_links
        );
        for warning in &self.warnings {
            let _ = writeln!(text, "warning: {warning}");
        }
        text
    }
}

/// Exit 0 when the file is valid (warnings or not), 1 when it is invalid, 2 when it cannot be
/// read. With `--json` an invalid file gives the JSON report (errors inside it) and nothing on
/// stderr; a file that cannot be read gives no report, only the error on stderr.
pub fn run(args: &Args) -> Result<(), Failure> {
    let (report, status) = match files::read_posts(&args.posts) {
        Ok(parsed) => (Report::valid(&parsed), None),
        Err(e @ logmesh::Error::InvalidPosts { .. }) => {
            (Report::invalid(error_lines(&e)), Some(INVALID))
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        print(&report.json())?;
        return status.map_or(Ok(()), |s| Err(Failure::quiet(s)));
    }
    match status {
        None => print(&report.human()),
        Some(status) => Err(Failure {
            status,
            lines: report.errors,
        }),
    }
}
