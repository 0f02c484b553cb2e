//! `logmesh import SOURCE... -o POSTS [--format F] [--posts-url P] [--site O]... [--exclude G]...
//! [--trailing-slash] [--include-drafts] [--include-future]` (docs/IMPORT.md): a site's own files
//! to posts.json, the report on stderr.

use super::host::{self, fs};
use std::io;
use std::path::PathBuf;

use logmesh::import::{self, Format, ImportError, Imported, Kind, Options, Source};

use super::{Failure, INVALID, USAGE_OR_IO, files, print, write};

/// The import's options, shared with `prerender` (which runs the import when given sources).
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// What the sources are (detected when omitted: docs/IMPORT.md, "Format detection").
    #[arg(long, value_name = "F", value_parser = ["markdown", "html", "feed"])]
    pub format: Option<String>,
    /// Where the posts live on the site: a post's URL is this path + its path in the source.
    #[arg(long, value_name = "PATH", default_value = "/")]
    posts_url: String,
    /// An origin of the site (e.g. https://example.com): absolute links to it are internal.
    #[arg(long, value_name = "ORIGIN")]
    site: Vec<String>,
    /// Paths (relative to their source) not to read, e.g. `drafts/**`; repeatable.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Post URLs end with `/`.
    #[arg(long)]
    trailing_slash: bool,
    /// Turn file names into URL segments as a generator does: `quartz` (white space to `-`,
    /// `&` to `-and-`, `%` to `-percent`, `?` and `#` dropped) or `hugo` (lower case too).
    #[arg(long, value_name = "STYLE", value_parser = ["quartz", "hugo"])]
    slugify: Option<String>,
    /// URL pattern for Markdown posts, e.g. `/:year/:month/:day/:title/` or Jekyll's `date`,
    /// `pretty`, `none` (docs/IMPORT.md); default: their path in the source. A `_posts` source
    /// beside a `_config.yml` takes Jekyll's own.
    #[arg(long, value_name = "PATTERN")]
    permalink: Option<String>,
    /// Import drafts (`draft: true`) and unpublished pages (`published: false`) too.
    #[arg(long)]
    include_drafts: bool,
    /// Import posts dated after today too.
    #[arg(long)]
    include_future: bool,
}

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folders or files to read: Markdown, a built site's HTML, or a feed.
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<PathBuf>,
    /// Where to write posts.json; replaced atomically.
    #[arg(short, long, value_name = "POSTS")]
    output: PathBuf,
    #[command(flatten)]
    import: ImportArgs,
}

/// Runs the command: the report on stderr, `wrote N posts to PATH` on stdout.
pub fn run(args: &Args) -> Result<(), Failure> {
    let imported = run_import(&args.sources, &args.import)?;
    let json = imported.to_json();
    write::write_atomically(&args.output, |out| out.write_all(json.as_bytes()))?;
    print(&format!(
        "wrote {} posts to {}\n",
        imported.posts.len(),
        args.output.display()
    ))
}

/// Imports `sources`, prints the report to stderr, and fails (exit 1) when no post was found.
pub fn run_import(sources: &[PathBuf], args: &ImportArgs) -> Result<Imported, Failure> {
    let usage = |line: String| Failure {
        status: USAGE_OR_IO,
        lines: vec![line],
    };
    let today = (host::now_nanos() / 1_000_000_000) as i64;
    let mut options = Options::new(import::date_from_unix(today));
    options.format = args
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()
        .map_err(usage)?;
    options.posts_url = args.posts_url.clone();
    for site in &args.site {
        match url::Url::parse(site) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => options.sites.push(site.clone()),
            _ => {
                return Err(usage(format!(
                    "--site {site:?}: not an http or https origin"
                )));
            }
        }
    }
    options.exclude = args.exclude.clone();
    options.trailing_slash = args.trailing_slash;
    options.permalink = args.permalink.clone();
    options.slugify = args
        .slugify
        .as_deref()
        .map(str::parse::<import::Slugify>)
        .transpose()
        .map_err(usage)?;
    options.include_drafts = args.include_drafts;
    options.include_future = args.include_future;
    let roots: Vec<String> = sources.iter().map(|p| p.display().to_string()).collect();
    let imported = import::import(&Native, &roots, &options).map_err(|e| match e {
        ImportError::Usage(m) => usage(m),
        ImportError::Io { path, source } => Failure::from(logmesh::Error::io(path, source)),
    })?;
    host::stderr(&imported.report.to_string());
    if imported.posts.is_empty() {
        return Err(Failure {
            status: INVALID,
            lines: vec!["nothing importable found".into()],
        });
    }
    Ok(imported)
}

/// The import's files through `std::fs` (Node's `fs` in the Node CLI: `host.rs`).
struct Native;

fn kind_of(metadata: &fs::Metadata) -> Kind {
    if metadata.is_file() {
        Kind::File
    } else if metadata.is_dir() {
        Kind::Folder
    } else {
        Kind::Other
    }
}

impl Source for Native {
    fn kind(&self, path: &str) -> io::Result<Kind> {
        fs::metadata(path).map(|m| kind_of(&m))
    }

    fn list(&self, folder: &str) -> io::Result<Vec<(String, Kind)>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(folder)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue; // not UTF-8: no URL can name it
            };
            // Links followed; a dangling one is `Other`.
            let kind = fs::metadata(entry.path()).map_or(Kind::Other, |m| kind_of(&m));
            out.push((name, kind));
        }
        Ok(out)
    }

    fn identity(&self, folder: &str) -> io::Result<String> {
        fs::canonicalize(folder).map(|p| p.display().to_string())
    }

    fn read(&self, path: &str, max_bytes: usize) -> io::Result<Vec<u8>> {
        // The CLI's one capped reader (`files.rs`): regular files only, refused from their length.
        let too_large = |_| {
            logmesh::Error::io(
                path,
                io::Error::new(io::ErrorKind::FileTooLarge, "too large"),
            )
        };
        files::read_capped(std::path::Path::new(path), max_bytes, too_large).map_err(|e| match e {
            logmesh::Error::Io { source, .. } => source,
            other => io::Error::other(other.to_string()),
        })
    }
}
