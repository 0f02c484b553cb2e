//! `logmesh prerender POSTS|SOURCE... --out-dir DIR [--layout L] [--width W] [--height H] [--dpr D]
//! [--phone-width W] [--phone-height H] [--phone-dpr D] [--base-url U] [--archive-url U]
//! [--local N] [--config FILE]`:
//! everything a page needs to show the first frame from its first paint.
//!
//! The 3D frames are drawn at `--width` x `--height` (dpr `--dpr`), the 2D frames, which small
//! touch screens show first, at the phone frame's size ([`PhoneArgs`]): their `<source>`s in
//! embed.html carry that size, which gives the element its shape on a phone.
//!
//! Writes, for each mode (`3d`, and `2d`: the radial view small touch screens get),
//! `frame-{mode}-{dark,light}.png` (the GPU pipeline the browser uses), `.webp` (the PNG's
//! pixels, lossy, small enough for a mobile network: [`WebpSettings`]) and `.svg` (the same
//! scene drawn on the CPU) and `hits-{mode}.json`; then `layout.json`, `posts.min.json`,
//! `embed.html` and `logmesh.css`. Without a GPU adapter the PNGs are skipped, the WebP frames
//! are encoded from the SVGs rasterised on the CPU (resvg; docs/DESIGN.md holds the two within
//! its static-vs-live tolerance), embed.html offers them with the SVGs as the fallback, the rest
//! is written and the exit status is 3.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use logmesh::camera::Viewport;
use logmesh::export::local_names::{local_names, url_name};
use logmesh::export::{self, EmbedFiles, EmbedInput, EmbedTwoD};
use logmesh::hash::fnv1a;
use logmesh::local::{self, HubRule, Neighbours};
use logmesh::raster::RgbaImage;
use logmesh::scene::Mode;
use logmesh::site::{FirstFrame, Site};
use logmesh::style::{Style, Theme};

use super::encode;
use super::files;
use super::host::fs;
use super::import::{self, ImportArgs};
use super::site::{self, FrameArgs, PhoneArgs};
use super::warning;
use super::write::OutputSet;
use super::{Failure, INVALID, NO_ADAPTER, USAGE_OR_IO, print};

/// Arguments of `prerender`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The posts file (posts.json version 1), or the site's sources to import first (folders of
    /// Markdown or built HTML, or a feed: docs/IMPORT.md; the import options below apply).
    #[arg(required = true, value_name = "POSTS|SOURCE")]
    inputs: Vec<PathBuf>,
    /// Folder for the output files (created if missing; files in it are replaced).
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    #[command(flatten)]
    frame: FrameArgs,
    #[command(flatten)]
    phone: PhoneArgs,
    /// Prefix for the file URLs in embed.html (e.g. `/static/mesh/`); post URLs get no prefix.
    #[arg(long, value_name = "U")]
    base_url: Option<String>,
    /// Where all posts are listed (e.g. `/log/all`): embed.html's list ends with an "All N posts"
    /// link to it, and the element's `archive` attribute carries it.
    #[arg(long, value_name = "U")]
    archive_url: Option<String>,
    /// Also write every post's local graph to depth N (1-3; outside, clamped with a warning) in
    /// `local/`: its embed fragment (frames inline), page data and layout (docs/DESIGN.md, "Local
    /// graph").
    #[arg(long, value_name = "N")]
    local: Option<u32>,
    /// The site's colours and label font (TOML: docs/DESIGN.md, "A site's colours"). Without
    /// it, `logmesh.toml` in the working folder when there is one, else the posts file's own
    /// `style`, else the built-in look.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    import: ImportArgs,
}

/// The style file read when there is no `--config`, from the working folder.
const DEFAULT_CONFIG: &str = "logmesh.toml";

/// Whether the inputs are one posts.json rather than sources to import: a single `.json` file,
/// no `--format`, and not a JSON Feed.
fn is_posts_file(args: &Args) -> bool {
    let [path] = args.inputs.as_slice() else {
        return false;
    };
    if args.import.format.is_some()
        || path.extension().and_then(|e| e.to_str()) != Some("json")
        || !fs::metadata(path).is_ok_and(|m| m.is_file())
    {
        return false;
    }
    let mut head = [0u8; 4096];
    let n = fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    !String::from_utf8_lossy(&head[..n]).contains("jsonfeed.org")
}

/// Runs the command; prints one line per file written.
pub fn run(args: &Args) -> Result<(), Failure> {
    let viewport = args.frame.viewport()?;
    let phone = args.phone.viewport()?;
    for (flag, url) in [
        ("--base-url", &args.base_url),
        ("--archive-url", &args.archive_url),
    ] {
        if let Some(url) = url.as_deref().filter(|url| !export::is_safe_url(url)) {
            let line = format!("{flag}: {url:?} is not an http, https or relative URL");
            return Err(Failure {
                status: USAGE_OR_IO,
                lines: vec![line],
            });
        }
    }
    let layout = args.frame.layout.as_deref();
    let config = match &args.config {
        Some(path) => Some(files::read_style(path)?),
        None if fs::metadata(DEFAULT_CONFIG).is_ok_and(|m| m.is_file()) => {
            Some(files::read_style(Path::new(DEFAULT_CONFIG))?)
        }
        None => None,
    };
    let mut site = if is_posts_file(args) {
        site::load(&args.inputs[0], layout)?
    } else {
        let imported = import::run_import(&args.inputs, &args.import)?;
        let parsed = logmesh::posts::parse(imported.to_json().as_bytes())?;
        site::load_parsed(parsed, layout)?
    };
    if let Some(style) = config {
        site.style = style;
    }
    // A posts file's own style is checked here (a config file's was when it was read): it is
    // written into the stylesheet and the SVG frames as it is.
    site.style.check().map_err(|e| Failure {
        status: INVALID,
        lines: vec![format!("style: {e}")],
    })?;
    // The page data carries the style only when it is not the built-in look (version 2).
    let style = Some(&site.style).filter(|&s| *s != Style::default());
    let frames = [(Mode::ThreeD, viewport), (Mode::TwoD, phone)]
        .map(|(mode, viewport)| (mode, site.first_frame(mode, viewport)));
    fs::create_dir_all(&args.out_dir)
        .map_err(|e| logmesh::Error::io(args.out_dir.display().to_string(), e))?;

    // Every file goes to a temporary of its own first; they are renamed into place together, at
    // the end, embed.html last (`write.rs`), so a failed run leaves the previous set as it was.
    let mut outputs = OutputSet::new(&args.out_dir);
    outputs.add(
        "layout.json",
        site.layout.to_file(&site.posts).to_json().as_bytes(),
    )?;
    outputs.add(
        "posts.min.json",
        export::page_data_json(&site.posts, None, style).as_bytes(),
    )?;
    for (mode, frame) in &frames {
        let hits = frame.hits(&site.posts, site.layout.positions_hash);
        outputs.add(&format!("hits-{mode}.json"), hits.to_json().as_bytes())?;
        for theme in Theme::ALL {
            let svg = export::svg::svg_from_projection(&frame.scene, &frame.projection, theme);
            outputs.add(
                &format!("frame-{mode}-{}.svg", theme.name()),
                svg.as_bytes(),
            )?;
        }
    }

    let pngs = draw_frames(&mut outputs, &frames)?;

    let extension = if pngs { "png" } else { "svg" };
    let [(_, frame), (_, flat)] = &frames;
    let mut input = EmbedInput::new(&site.posts, &frame.scene, &frame.projection);
    input.base_url = args.base_url.as_deref();
    input.archive_url = args.archive_url.as_deref();
    input.files = EmbedFiles::new(Mode::ThreeD, extension).with_webp(Mode::ThreeD);
    let two_d = EmbedFiles::new(Mode::TwoD, extension).with_webp(Mode::TwoD);
    input.two_d = Some(EmbedTwoD {
        scene: &flat.scene,
        projection: &flat.projection,
        frame_dark: two_d.frame_dark,
        frame_light: two_d.frame_light,
        frame_dark_webp: two_d.frame_dark_webp,
        frame_light_webp: two_d.frame_light_webp,
    });
    input.font = site.style.font(Theme::Dark);
    outputs.add("logmesh.css", export::embed_css(&site.style).as_bytes())?;
    // Last: the page's entry point is replaced only after every file it refers to.
    outputs.add("embed.html", export::embed_html(&input).as_bytes())?;
    let local = match args.local {
        Some(depth) => Some(write_local(&site, depth, viewport, phone, args)?),
        None => None,
    };
    let written = outputs.commit()?;
    let local_written = match local {
        Some(set) => set.commit()?,
        None => Vec::new(),
    };

    let mut text = String::new();
    for path in &written {
        let _ = writeln!(text, "wrote {}", display(path));
    }
    if let Some(first) = local_written.first() {
        let folder = first.parent().map(display).unwrap_or_default();
        let _ = writeln!(
            text,
            "wrote {} local graphs ({} files) in {folder}",
            site.posts.len(),
            local_written.len()
        );
    }
    let _ = writeln!(text, "hash: {}", site.layout.positions_hash);
    print(&text)?;
    if pngs {
        Ok(())
    } else {
        Err(Failure::quiet(NO_ADAPTER))
    }
}

/// Every post's local graph to `depth` (clamped to 1-3 with a warning) in `DIR/local/`, staged
/// in a set of its own: for post `NAME` ([`local_names`]), `NAME.html` (the embed fragment,
/// with `local` and `depth`, and its first frames, 3D and 2D, centred on the post, as inline
/// SVG: a local graph is a few dozen posts, whose frames weigh less inline than a request
/// each, and are on screen with the page's first paint), `NAME.json` (its posts: page data
/// with `centre`) and `NAME.layout.json` (their positions in the global layout); and
/// `index.json`, `{"version":1,"depth":N,"names":{ID:NAME,…}}`, for a site's templates.
fn write_local(
    site: &Site,
    depth: u32,
    viewport: Viewport,
    phone: Viewport,
    args: &Args,
) -> Result<OutputSet, Failure> {
    let max = u32::from(local::MAX_DEPTH);
    let clamped = depth.clamp(1, max);
    if clamped != depth {
        warning(&format!(
            "--local {depth} is outside 1-{max}: {clamped} used"
        ));
    }
    let depth = clamped as u8;
    let dir = args.out_dir.join("local");
    fs::create_dir_all(&dir).map_err(|e| logmesh::Error::io(dir.display().to_string(), e))?;
    let mut set = OutputSet::new(&dir);
    let ids: Vec<&str> = site.posts.iter().map(|p| p.id.as_str()).collect();
    let names = local_names(&ids);
    let neighbours = Neighbours::new(&site.graph, &HubRule::default());
    let style = Some(&site.style).filter(|&s| *s != Style::default());
    for (i, name) in names.iter().enumerate() {
        let local = site
            .local_with(&neighbours, i as u32, depth)
            .expect("an index in range");
        let centre = ids[i];
        let frame = local.first_frame(Mode::ThreeD, viewport);
        let flat = local.first_frame(Mode::TwoD, phone);
        set.add(
            &format!("{name}.json"),
            export::page_data_json(&local.posts, Some(centre), style).as_bytes(),
        )?;
        set.add(
            &format!("{name}.layout.json"),
            local.layout.to_file(&local.posts).to_json().as_bytes(),
        )?;
        let url = format!("local/{}", url_name(name));
        let prefix = format!("lm{}-", &fnv1a(centre.as_bytes()).to_string()[..8]);
        let mut input = EmbedInput::new(&local.posts, &frame.scene, &frame.projection);
        input.base_url = args.base_url.as_deref();
        input.archive_url = args.archive_url.as_deref();
        input.local = Some((centre, depth));
        input.inline_frames = Some(&prefix);
        input.font = site.style.font(Theme::Dark);
        input.files = EmbedFiles {
            posts: format!("{url}.json"),
            layout: format!("{url}.layout.json"),
            ..EmbedFiles::default()
        };
        input.two_d = Some(EmbedTwoD {
            scene: &flat.scene,
            projection: &flat.projection,
            frame_dark: String::new(),
            frame_light: String::new(),
            frame_dark_webp: None,
            frame_light_webp: None,
        });
        set.add(
            &format!("{name}.html"),
            export::embed_html(&input).as_bytes(),
        )?;
    }
    // Which file is whose, for a site's templates: {"version":1,"depth":N,"names":{id: name}}.
    let index = serde_json::json!({
        "version": 1,
        "depth": depth,
        "names": ids.iter().zip(&names).map(|(id, name)| (id.to_string(), serde_json::Value::from(name.as_str()))).collect::<serde_json::Map<_, _>>(),
    });
    set.add("index.json", index.to_string().as_bytes())?;
    Ok(set)
}

/// The frames of `frames` in both themes: PNG (when drawn) and WebP for each. Natively the GPU
/// draws them (the browser's pipeline); without an adapter the SVG frames are rasterised for the
/// WebP frames only, the PNGs are skipped, and the result is `false` (exit 3). The Node CLI has
/// no GPU: it always rasterises the SVG frames on the CPU (resvg, within docs/DESIGN.md's
/// PNG-vs-SVG tolerance of the GPU frame) and writes both.
fn draw_frames(outputs: &mut OutputSet, frames: &[(Mode, FirstFrame); 2]) -> Result<bool, Failure> {
    let failure = |name: &str, e: &dyn std::fmt::Display| Failure {
        status: USAGE_OR_IO,
        lines: vec![format!("{name}: {e}")],
    };
    let mut add = |name: String, image: &RgbaImage, png: bool| -> Result<(), Failure> {
        if png {
            let png_name = format!("{name}.png");
            let bytes = encode::png(image).map_err(|e| failure(&png_name, &e))?;
            outputs.add(&png_name, &bytes)?;
        }
        let webp_name = format!("{name}.webp");
        let bytes = encode::webp(image).map_err(|e| failure(&webp_name, &e))?;
        outputs.add(&webp_name, &bytes).map_err(Failure::from)
    };
    let rasterised = |mode: &Mode, frame: &FirstFrame, theme: Theme| {
        let svg = export::svg::svg_from_projection(&frame.scene, &frame.projection, theme);
        export::svg::rasterise(&svg, frame.viewport())
            .map_err(|e| failure(&format!("frame-{mode}-{}", theme.name()), &e))
    };
    #[cfg(not(target_arch = "wasm32"))]
    match logmesh::render::headless::Headless::new() {
        Ok(gpu) => {
            for (mode, frame) in frames {
                for theme in Theme::ALL {
                    let image = gpu
                        .render_rgba(&frame.scene, &frame.camera, frame.viewport(), theme)
                        .map_err(|e| Failure {
                            status: NO_ADAPTER,
                            lines: vec![format!("rendering: {e}")],
                        })?;
                    add(format!("frame-{mode}-{}", theme.name()), &image, true)?;
                }
            }
            Ok(true)
        }
        Err(e) => {
            warning(&format!(
                "no GPU adapter ({e}): PNG frames skipped; the WebP frames are the SVG frames \
                 rasterised, and embed.html falls back to the SVGs"
            ));
            for (mode, frame) in frames {
                for theme in Theme::ALL {
                    let image = rasterised(mode, frame, theme)?;
                    add(format!("frame-{mode}-{}", theme.name()), &image, false)?;
                }
            }
            Ok(false)
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        for (mode, frame) in frames {
            for theme in Theme::ALL {
                let image = rasterised(mode, frame, theme)?;
                add(format!("frame-{mode}-{}", theme.name()), &image, true)?;
            }
        }
        Ok(true)
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
