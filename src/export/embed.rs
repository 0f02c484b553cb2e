//! `embed.html`: the fragment a site pastes into a page, and `logmesh.css`, the stylesheet that
//! lays it out (docs/DESIGN.md, "The element").
//!
//! ```html
//! <link rel="stylesheet" href="{base}logmesh.css">
//! <log-mesh src="{base}posts.min.json" layout="{base}layout.json" archive="/log/all">
//!   <picture class="logmesh-frame">                     the first frame, dark or light
//!     <source type="image/webp" media="SMALL and (prefers-color-scheme: light)" srcset="{base}frame-2d-light.webp" width="PW" height="PH">
//!     …                                                 the 2D (phone) frames, PW x PH
//!     <source type="image/webp" media="(prefers-color-scheme: light)" srcset="{base}frame-3d-light.webp" …>
//!     <source media="(prefers-color-scheme: light)" srcset="{base}frame-3d-light.png" …>
//!     <source type="image/webp" srcset="{base}frame-3d-dark.webp" …>
//!     <img src="{base}frame-3d-dark.png" width="W" height="H" fetchpriority="high" alt="Graph of N posts">
//!   </picture>
//!   <svg class="logmesh-overlay" width="0" height="0" …>  labels and post links
//!     <g class="logmesh-labels" …><text x="57.3%" y="53.5%">Title</text>…</g>
//!     <g class="logmesh-hits" …><a href data-id><title>Title</title><circle cx cy r/></a>…</g>
//!   </svg>
//!   <ul class="logmesh-list" aria-label="Posts">…</ul>   newest first, capped; "All N posts"
//! </log-mesh>
//! ```
//!
//! # Decisions
//! - **The picture first.** Each of the picture's media rules (2D on small touch screens, light
//!   and dark; 3D light) offers its WebP frame (`type="image/webp"`, a few tens of kB) before its
//!   PNG, and the default 3D dark frame's WebP source comes last, with no `media`, since it
//!   matches everywhere; the `<img>` is the PNG (or SVG) fallback for browsers without WebP.
//!   WebP sources are written only for the frames prerender wrote ([`EmbedFiles::with_webp`]).
//!   The `<img>` has `fetchpriority="high"`, so the frame is fetched before the page's other
//!   images, and no `loading` (never lazy) and no `decoding` attribute: `decoding="async"` lets a
//!   browser paint the page once without the picture, which is what the picture must avoid;
//!   the default lets it decide, and a frame of tens of kB decodes in a few milliseconds.
//! - **The picture gives the element its shape.** Every `<source>` and the `<img>` carry the
//!   `width`/`height` of their frame, the phone frame's (`PW` x `PH`, square or taller) on the
//!   2D sources and the desktop frame's (`W` x `H`) on the others, and the element has no
//!   `style`: browsers take the image's aspect ratio from the chosen source's attributes before
//!   its bytes arrive, so the element has its final height from the first layout, phone-shaped
//!   where the 2D frame is chosen, and keeps it at the swap (the picture stays in the flow,
//!   hidden, under the live layer). An older embed.html with `style="aspect-ratio: W / H"` on
//!   the element keeps that aspect: the stylesheet stretches the picture to the element's
//!   height when it is definite and lets it follow the image when it is not.
//! - **Overlay: an inline SVG placed in % of the frame.** Labels and link targets are SVG
//!   elements of an `<svg>` without a `viewBox` that covers the element, positioned by
//!   percentage attributes: `x`/`cx` = `x_px / W * 100`%, `y`/`cy` = `y_px / H * 100`%, and
//!   radii in % of the normalised diagonal `sqrt((W^2 + H^2) / 2)` (SVG's rule), so every
//!   point follows the picture at any element size while label text keeps its CSS size, as the
//!   live DOM overlay's does (docs/DESIGN.md: "positioned in % of the frame", "text looks the same
//!   everywhere"). This needs no script and no `style` attribute on any child, so it works
//!   under `script-src 'self'` and a strict `style-src` alike (embed.html has no `style`
//!   attribute at all). The picture is stretched, never letterboxed, should a page force
//!   another aspect, so the overlay stays on it. Each overlay is placed in % of its own frame:
//!   the 2D one of the phone frame, the 3D one of the desktop frame. Labels were placed for
//!   that frame and keep their CSS size, so in a much narrower element they can overlap until
//!   the visitor moves the view (the live view keeps the prerendered frame's labels, scaled,
//!   until then, so the swap changes none); no size hides
//!   them.
//!   The overlay's own `width`/`height` are 0, so a page without the stylesheet shows only the
//!   picture and the list (whose links still work), never stray labels.
//! - **Links.** Every visible post (per [`ScreenProjection`]) gets one `<a data-id>` round a
//!   transparent circle of its hit radius, with its title as a native tooltip; posts without a
//!   safe URL get the same element without `href` (not a link). They are stacked far to near,
//!   so a pointer hits the post the picker would. The overlay is for pointers: it is
//!   `aria-hidden` and its links are out of the tab order; the list is the accessible and
//!   keyboard path (visually hidden until it holds focus, then shown over the frame).
//! - **Caps, so that embed.html stays small** (a 10,000-post site's is at most about 100 kB
//!   gzip; `tests/export.rs` checks it): each overlay holds at most [`DEFAULT_LINK_CAP`] link
//!   targets, the visible posts drawn largest ([`linked_posts`]: by drawn radius, the nearer
//!   first on ties), which are the posts a pointer is likely to aim at before the live view
//!   takes over; the list holds the newest [`DEFAULT_LIST_CAP`]. A site of at most 1,000 posts
//!   loses nothing. Above the cap, a smaller post has no target of its own in the static frame:
//!   a click on it reaches the larger post under it, if any, or nothing; the list, the archive
//!   link and the live view (a few hundred ms later) still reach every post. Each target costs
//!   about 30 bytes gzip and each list item about 17, so both overlays full and the list full
//!   come to about 75 kB gzip whatever the site's size; without the overlay cap a 10,000-post
//!   site drawn at 2400 x 1350 CSS px linked all its visible posts (3,858 and 10,000) in about
//!   400 kB gzip. Only link targets are capped: labels are few already ([`place_labels`]).
//! - **URLs.** Only URLs [`is_safe_url`](super::is_safe_url) accepts (http, https, relative)
//!   are written; others are dropped. Every URL is written as [`safe_href`] gives it: what a
//!   browser ignores (leading and trailing spaces and controls, tabs, newlines) removed and a
//!   backslash before the query written as the `/` a browser reads, so a URL that goes to
//!   another host says so (`/\evil.example/x` is written `//evil.example/x`), and one that reads
//!   as a path on the site is one. **File names always get the base URL** (`base_url` with a
//!   `/` added when it lacks one: `/static/graph` and `/static/graph/` both give
//!   `/static/graph/posts.min.json`); an unsafe or empty base is ignored. **Post URLs and the
//!   archive URL are otherwise used as given**: they are relative to the page the fragment is
//!   pasted into (docs/DESIGN.md, "posts.json").
//! - **Labels** are those [`place_labels`] keeps (visible posts, inside the frame, no overlap).

use std::fmt::Write as _;

use crate::camera::Viewport;
use crate::export::escape::{push_attr, push_text};
use crate::export::labels::{LABEL_FONT_PX, place_labels};
use crate::export::svg::{far_to_near, hex};
use crate::export::{count_posts, num, push_num, safe_href};
use crate::picking::ScreenProjection;
use crate::posts::Post;
use crate::scene::{Mode, Scene};
use crate::style::{DEFAULT_FONT, Style, Theme};

/// How many posts the list of links holds by default (docs/DESIGN.md, "Packaging").
pub const DEFAULT_LIST_CAP: usize = 1000;

/// How many link targets each overlay holds by default (docs/DESIGN.md, "embed.html and
/// logmesh.css"): with [`DEFAULT_LIST_CAP`], what keeps a 10,000-post site's embed.html near
/// 100 kB gzip.
pub const DEFAULT_LINK_CAP: usize = 1000;

/// The media type of the WebP frames' `<source>`s.
const WEBP_TYPE: &str = "image/webp";

/// Decimal places of sizes in CSS px.
const DECIMALS: u32 = 2;

/// Decimal places of overlay percentages (0.001% of a 1200 px frame is 0.012 px).
const PERCENT_DECIMALS: u32 = 3;

/// The names of the files embed.html refers to (the base URL is prefixed to each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedFiles {
    /// The page data (`src`): `posts.min.json`.
    pub posts: String,
    /// The layout (`layout`): `layout.json`.
    pub layout: String,
    /// The dark frame, the picture's default: `frame-3d-dark.png`.
    pub frame_dark: String,
    /// The light frame, shown under `prefers-color-scheme: light`: `frame-3d-light.png`.
    pub frame_light: String,
    /// The dark frame as WebP (`frame-3d-dark.webp`), offered before [`Self::frame_dark`];
    /// `None` when no WebP frames were written.
    pub frame_dark_webp: Option<String>,
    /// The light frame as WebP (`frame-3d-light.webp`), offered before [`Self::frame_light`].
    pub frame_light_webp: Option<String>,
    /// The stylesheet linked before the element ([`embed_css`]): `logmesh.css`; `None` leaves
    /// the link out (the page links it itself).
    pub stylesheet: Option<String>,
}

impl EmbedFiles {
    /// The standard names with frames `frame-{mode}-{theme}.{extension}` (`"png"`, or `"svg"`
    /// when no GPU adapter wrote PNGs), and no WebP frames.
    pub fn new(mode: Mode, extension: &str) -> EmbedFiles {
        let frame = |theme: Theme| format!("frame-{mode}-{theme}.{extension}");
        EmbedFiles {
            posts: "posts.min.json".to_owned(),
            layout: "layout.json".to_owned(),
            frame_dark: frame(Theme::Dark),
            frame_light: frame(Theme::Light),
            frame_dark_webp: None,
            frame_light_webp: None,
            stylesheet: Some("logmesh.css".to_owned()),
        }
    }

    /// These files with the standard WebP frames `frame-{mode}-{theme}.webp` offered first.
    pub fn with_webp(self, mode: Mode) -> EmbedFiles {
        EmbedFiles {
            frame_dark_webp: Some(format!("frame-{mode}-{}.webp", Theme::Dark)),
            frame_light_webp: Some(format!("frame-{mode}-{}.webp", Theme::Light)),
            ..self
        }
    }
}

impl Default for EmbedFiles {
    /// [`EmbedFiles::new`] for the 3D PNG frames.
    fn default() -> Self {
        EmbedFiles::new(Mode::ThreeD, "png")
    }
}

/// What embed.html is made from.
#[derive(Debug, Clone)]
pub struct EmbedInput<'a> {
    /// The posts, in id order (as parsed).
    pub posts: &'a [Post],
    /// The scene drawn in the frames (its labels are shown).
    pub scene: &'a Scene,
    /// The scene projected into the frame: positions, radii, visibility. Its viewport is the
    /// frame size W x H (CSS px).
    pub projection: &'a ScreenProjection,
    /// File names.
    pub files: EmbedFiles,
    /// Prefixed to every file name (not to post URLs); see the module docs.
    pub base_url: Option<&'a str>,
    /// Where the list's last link ("All N posts") and the element's `archive` attribute point
    /// (prerender's `--archive-url`).
    pub archive_url: Option<&'a str>,
    /// Most posts in the list ([`DEFAULT_LIST_CAP`]).
    pub list_cap: usize,
    /// Most link targets in each overlay ([`DEFAULT_LINK_CAP`]): the visible posts drawn
    /// largest are kept (see the module docs).
    pub link_cap: usize,
    /// The 2D view's first frame, shown instead on small touch screens (where the element
    /// starts the 2D view): its picture sources and its own overlay.
    pub two_d: Option<EmbedTwoD<'a>>,
    /// A local graph's centre id and depth (docs/DESIGN.md, "Local graph"): the element's
    /// `local` and `depth` attributes. The scenes' [`Scene::centre`] gets the ring.
    pub local: Option<(&'a str, u8)>,
    /// Frames written inline as `<svg class="logmesh-frame">` ([`svg::inline_svg`]) instead of
    /// the picture, their gradient ids starting with this prefix: a local graph's, a few dozen
    /// posts, whose frames weigh less inline than a request each. [`Self::files`]'s frames and
    /// [`EmbedTwoD`]'s file names are then unused.
    pub inline_frames: Option<&'a str>,
    /// The labels' font (the dark theme's; `logmesh.css` gives each theme its own):
    /// [`Style::font`], [`DEFAULT_FONT`] by default.
    pub font: &'a str,
}

/// The 2D frame of embed.html: docs/DESIGN.md's `small-touch-screen` rule in CSS picks it.
#[derive(Debug, Clone)]
pub struct EmbedTwoD<'a> {
    /// The 2D scene drawn in the 2D frames.
    pub scene: &'a Scene,
    /// It projected into the phone frame (prerender's `--phone-width` x `--phone-height`): the
    /// 2D sources carry this size, and the 2D overlay is placed in % of it.
    pub projection: &'a ScreenProjection,
    /// `frame-2d-dark.{png,svg}`.
    pub frame_dark: String,
    /// `frame-2d-light.{png,svg}`.
    pub frame_light: String,
    /// `frame-2d-dark.webp`, offered first; `None` when not written.
    pub frame_dark_webp: Option<String>,
    /// `frame-2d-light.webp`, offered first; `None` when not written.
    pub frame_light_webp: Option<String>,
}

/// The media query of docs/DESIGN.md's `small-touch-screen` rule: a coarse pointer on a screen
/// under 600 px (`max-device-width` is the screen's, so it holds even on pages without a
/// viewport meta tag). The one definition: embed.html's 2D picture sources and logmesh.css
/// ([`embed_css`]) are written from it, and `tests/export.rs` checks that the element's
/// scripts and stylesheets under `www/` say exactly this.
pub const SMALL_TOUCH_SCREEN_MEDIA: &str = "(pointer: coarse) and (max-device-width: 599px)";

impl<'a> EmbedInput<'a> {
    /// An input with the default files, no base URL, no archive and the default list cap.
    pub fn new(
        posts: &'a [Post],
        scene: &'a Scene,
        projection: &'a ScreenProjection,
    ) -> EmbedInput<'a> {
        EmbedInput {
            posts,
            scene,
            projection,
            files: EmbedFiles::default(),
            base_url: None,
            archive_url: None,
            list_cap: DEFAULT_LIST_CAP,
            link_cap: DEFAULT_LINK_CAP,
            two_d: None,
            local: None,
            inline_frames: None,
            font: DEFAULT_FONT,
        }
    }
}

/// The embed.html fragment (see the module docs). Every title, id and URL is escaped; there is
/// no script, no event-handler attribute and no URL other than http, https or relative.
///
/// # Panics
/// When `posts`, `scene` and `projection` do not have one entry per post each.
pub fn embed_html(input: &EmbedInput<'_>) -> String {
    let (posts, scene, projection) = (input.posts, input.scene, input.projection);
    let nodes = projection.nodes();
    assert_eq!(posts.len(), scene.nodes.len(), "one scene node per post");
    assert_eq!(nodes.len(), scene.nodes.len(), "projection of this scene");
    let file = |name: &str| file_url(input.base_url, name);
    let archive = input.archive_url.and_then(safe_href);

    let mut out = String::with_capacity(2048 + posts.len().min(input.list_cap) * 160);
    if let Some(stylesheet) = &input.files.stylesheet {
        out.push_str(r#"<link rel="stylesheet" href=""#);
        push_attr(&mut out, &file(stylesheet));
        out.push_str("\">\n");
    }
    out.push_str(r#"<log-mesh src=""#);
    push_attr(&mut out, &file(&input.files.posts));
    out.push_str(r#"" layout=""#);
    push_attr(&mut out, &file(&input.files.layout));
    if let Some(archive) = &archive {
        out.push_str(r#"" archive=""#);
        push_attr(&mut out, archive);
    }
    if let Some((centre, depth)) = input.local {
        out.push_str(r#"" local=""#);
        push_attr(&mut out, centre);
        let _ = write!(out, r#"" depth="{depth}"#);
    }
    // No `style`: the element takes its shape from the picture (the chosen `<source>`'s or the
    // `<img>`'s width and height), so a phone's 2D source gives it the phone frame's shape.
    out.push_str("\">\n");

    // (a) The first frame, from the first paint: inline, or a picture fetched first.
    if let Some(prefix) = input.inline_frames {
        out.push_str(&super::svg::inline_svg(
            scene,
            projection,
            &format!("{prefix}3-"),
        ));
        if let Some(two_d) = &input.two_d {
            out.push_str(&super::svg::inline_svg(
                two_d.scene,
                two_d.projection,
                &format!("{prefix}2-"),
            ));
        }
    } else {
        push_picture(&mut out, input);
    }

    // (b) and (c): labels and link targets, placed in % of their own frame (the 2D overlay in
    // % of the phone frame, which is the picture under it wherever it is shown).
    let mut overlays = vec![("3d", scene, projection)];
    if let Some(two_d) = &input.two_d {
        assert_eq!(two_d.scene.nodes.len(), posts.len(), "one 2D node per post");
        overlays.push(("2d", two_d.scene, two_d.projection));
    }
    for (mode, scene, projection) in overlays {
        let viewport = projection.viewport();
        let frame = Frame::new(viewport.width_css, viewport.height_css);
        let _ = writeln!(
            out,
            r#"<svg class="logmesh-overlay" data-mode="{mode}" width="0" height="0" aria-hidden="true" focusable="false">"#
        );
        push_labels(&mut out, scene, projection, &frame, input.font);
        push_centre_ring(&mut out, scene, projection, &frame);
        push_links(&mut out, posts, projection, &frame, input.link_cap);
        out.push_str("</svg>\n");
    }

    // (d) The list, for screen readers, keyboards and pages without CSS.
    push_list(&mut out, input, archive.as_deref());
    out.push_str("</log-mesh>\n");
    out
}

/// The picture of the prerendered frames (docs/DESIGN.md, "embed.html and logmesh.css").
fn push_picture(out: &mut String, input: &EmbedInput<'_>) {
    let (posts, viewport) = (input.posts, input.projection.viewport());
    let file = |name: &str| file_url(input.base_url, name);
    // No lazy loading, fetched first. Each media
    // rule offers its WebP frame before its PNG; the default's WebP comes last, after every
    // media rule, since a source without `media` matches everywhere.
    out.push_str("<picture class=\"logmesh-frame\">\n");
    let mut source =
        |media: Option<&str>, size: &str, webp: Option<&String>, fallback: Option<&String>| {
            let candidates = [(Some(WEBP_TYPE), webp), (None, fallback)];
            for (kind, name) in candidates {
                let Some(name) = name else { continue };
                out.push_str("<source");
                if let Some(kind) = kind {
                    let _ = write!(out, r#" type="{kind}""#);
                }
                if let Some(media) = media {
                    out.push_str(r#" media=""#);
                    push_attr(out, media);
                    out.push('"');
                }
                out.push_str(r#" srcset=""#);
                push_attr(out, &srcset_url(&file(name)));
                out.push('"');
                out.push_str(size);
                out.push_str(">\n");
            }
        };
    let size = size_attributes(viewport);
    if let Some(two_d) = &input.two_d {
        // The phone frame's own size: what shapes the element on small touch screens.
        let phone = size_attributes(two_d.projection.viewport());
        let light = format!("{SMALL_TOUCH_SCREEN_MEDIA} and (prefers-color-scheme: light)");
        let (light_webp, dark_webp) = (&two_d.frame_light_webp, &two_d.frame_dark_webp);
        source(
            Some(light.as_str()),
            &phone,
            light_webp.as_ref(),
            Some(&two_d.frame_light),
        );
        source(
            Some(SMALL_TOUCH_SCREEN_MEDIA),
            &phone,
            dark_webp.as_ref(),
            Some(&two_d.frame_dark),
        );
    }
    let files = &input.files;
    source(
        Some("(prefers-color-scheme: light)"),
        &size,
        files.frame_light_webp.as_ref(),
        Some(&files.frame_light),
    );
    source(None, &size, files.frame_dark_webp.as_ref(), None);
    out.push_str(r#"<img src=""#);
    push_attr(out, &file(&input.files.frame_dark));
    let _ = write!(out, r#""{size} fetchpriority="high" alt=""#);
    push_attr(out, &format!("Graph of {}", count_posts(posts.len())));
    out.push_str("\">\n</picture>\n");
}

/// ` width="W" height="H"` of a frame in CSS px: on a `<source>` or the `<img>`, what the
/// browser takes the picture's (and so the element's) aspect ratio from before the image loads.
fn size_attributes(viewport: Viewport) -> String {
    format!(
        r#" width="{}" height="{}""#,
        num(viewport.width_css, DECIMALS),
        num(viewport.height_css, DECIMALS)
    )
}

/// The labels kept by [`place_labels`], most important first. Colours and font are
/// presentation attributes (the dark theme's), which the stylesheet overrides per theme.
fn push_labels(
    out: &mut String,
    scene: &Scene,
    projection: &ScreenProjection,
    frame: &Frame,
    font: &str,
) {
    let labels = place_labels(scene, projection, LABEL_FONT_PX);
    if labels.is_empty() {
        return;
    }
    let dark = scene.colours(Theme::Dark);
    out.push_str(r#"<g class="logmesh-labels" font-family=""#);
    push_attr(out, font);
    out.push_str(r#"" font-size=""#);
    push_num(out, LABEL_FONT_PX, DECIMALS);
    let _ = writeln!(
        out,
        r#"" dominant-baseline="central" fill="{}" stroke="{}" stroke-width="3" stroke-linejoin="round" paint-order="stroke" pointer-events="none">"#,
        hex(dark.label_text),
        hex(dark.background),
    );
    for label in labels {
        out.push_str(r#"<text x=""#);
        frame.push_x(out, label.x_px);
        out.push_str(r#"" y=""#);
        frame.push_y(out, label.y_px);
        out.push_str("\">");
        push_text(out, label.text);
        out.push_str("</text>\n");
    }
    out.push_str("</g>\n");
}

/// The ring round a local graph's centre ([`Scene::centre`]), when it is drawn: the label
/// colour's, [`CENTRE_RING_GAP_PX`] outside the disc, [`CENTRE_RING_WIDTH_PX`] wide (the live
/// overlay draws the same ring).
fn push_centre_ring(out: &mut String, scene: &Scene, projection: &ScreenProjection, frame: &Frame) {
    let Some(node) = scene
        .centre
        .and_then(|c| projection.nodes().get(c as usize))
        .filter(|n| n.drawn)
    else {
        return;
    };
    out.push_str(r#"<circle class="logmesh-centre" cx=""#);
    frame.push_x(out, node.x_px);
    out.push_str(r#"" cy=""#);
    frame.push_y(out, node.y_px);
    out.push_str(r#"" r=""#);
    frame.push_r(
        out,
        node.r_px.max(1.0) + CENTRE_RING_GAP_PX + CENTRE_RING_WIDTH_PX / 2.0,
    );
    let _ = writeln!(
        out,
        r#"" fill="none" stroke="{}" stroke-width="{CENTRE_RING_WIDTH_PX}" pointer-events="none"/>"#,
        hex(scene.colours(Theme::Dark).label_text)
    );
}

/// Gap between a local graph's centre disc and its ring (CSS px; `www/internal/overlay.js`'s
/// `RINGS.centre` says the same).
pub const CENTRE_RING_GAP_PX: f32 = 4.0;
/// Width of a local graph's centre ring (CSS px).
pub const CENTRE_RING_WIDTH_PX: f32 = 2.0;

/// One link target per visible post, at most `cap` of them ([`linked_posts`]), far to near so
/// that the nearest is on top.
fn push_links(
    out: &mut String,
    posts: &[Post],
    projection: &ScreenProjection,
    frame: &Frame,
    cap: usize,
) {
    let nodes = projection.nodes();
    let linked = linked_posts(projection, cap);
    let order: Vec<usize> = far_to_near(nodes, |node| node.visible)
        .into_iter()
        .filter(|&i| linked[i])
        .collect();
    if order.is_empty() {
        return;
    }
    out.push_str("<g class=\"logmesh-hits\" fill=\"#000\" fill-opacity=\"0\">\n");
    for i in order {
        let (post, node) = (&posts[i], &nodes[i]);
        out.push_str("<a");
        if let Some(url) = post.url.as_deref().and_then(safe_href) {
            out.push_str(r#" href=""#);
            push_attr(out, &url);
            out.push('"');
        }
        out.push_str(r#" data-id=""#);
        push_attr(out, &post.id);
        out.push_str(r#"" tabindex="-1"><title>"#);
        push_text(out, &post.title);
        out.push_str(r#"</title><circle cx=""#);
        frame.push_x(out, node.x_px);
        out.push_str(r#"" cy=""#);
        frame.push_y(out, node.y_px);
        out.push_str(r#"" r=""#);
        frame.push_r(out, node.hit_r_px);
        out.push_str("\"/></a>\n");
    }
    out.push_str("</g>\n");
}

/// Which posts get a link target in an overlay (one flag per post): every visible post, or, when
/// more than `cap` are visible, the `cap` drawn largest (ties: the nearer first, then by index).
pub fn linked_posts(projection: &ScreenProjection, cap: usize) -> Vec<bool> {
    let nodes = projection.nodes();
    let order = crate::sort::indices_by_key(nodes.len(), |i| {
        let node = &nodes[i];
        u64::from(!crate::sort::f32_key(node.r_px)) << 32
            | u64::from(crate::sort::f32_key(node.depth))
    });
    let mut linked = vec![false; nodes.len()];
    for i in order
        .into_iter()
        .filter(|&i| nodes[i as usize].visible)
        .take(cap)
    {
        linked[i as usize] = true;
    }
    linked
}

/// The newest `list_cap` posts (dated posts newest first, then undated ones, each in id
/// order), then "All N posts" (N: every post, not only those listed) when there is an archive.
fn push_list(out: &mut String, input: &EmbedInput<'_>, archive: Option<&str>) {
    let posts = input.posts;
    // Newest first; equal dates keep id order (the sort is stable) and undated posts come last.
    let order = crate::sort::indices_by_key(posts.len(), |i| {
        !posts[i].date.map_or(0, |date| 1 + date.sort_key())
    });
    let newest = order
        .iter()
        .take(input.list_cap)
        .map(|&i| &posts[i as usize]);
    out.push_str("<ul class=\"logmesh-list\" aria-label=\"Posts\">\n");
    for post in newest {
        out.push_str("<li>");
        match post.url.as_deref().and_then(safe_href) {
            Some(url) => {
                out.push_str(r#"<a href=""#);
                push_attr(out, &url);
                out.push_str("\">");
                push_text(out, &post.title);
                out.push_str("</a>");
            }
            None => push_text(out, &post.title),
        }
        if let Some(date) = post.date {
            let _ = write!(out, r#" <time datetime="{date}">{date}</time>"#);
        }
        out.push_str("</li>\n");
    }
    if let Some(archive) = archive {
        out.push_str(r#"<li class="logmesh-archive"><a href=""#);
        push_attr(out, archive);
        out.push_str("\">All ");
        out.push_str(&count_posts(posts.len()));
        out.push_str("</a></li>\n");
    }
    out.push_str("</ul>\n");
}

/// Converts frame CSS px to percentages of the overlay's viewport, as SVG resolves them: x of
/// its width, y of its height, radii of its normalised diagonal `sqrt((w^2 + h^2) / 2)`.
struct Frame {
    width: f32,
    height: f32,
    diagonal: f32,
}

impl Frame {
    fn new(width: f32, height: f32) -> Frame {
        Frame {
            width,
            height,
            diagonal: ((width * width + height * height) * 0.5).sqrt(),
        }
    }

    fn push_percent(out: &mut String, px: f32, of: f32) {
        push_num(out, px / of * 100.0, PERCENT_DECIMALS);
        out.push('%');
    }

    fn push_x(&self, out: &mut String, x_px: f32) {
        Frame::push_percent(out, x_px, self.width);
    }

    fn push_y(&self, out: &mut String, y_px: f32) {
        Frame::push_percent(out, y_px, self.height);
    }

    fn push_r(&self, out: &mut String, r_px: f32) {
        Frame::push_percent(out, r_px, self.diagonal);
    }
}

/// `name` under `base`: `base` as [`safe_href`] writes it + `/` (when it lacks one) + `name`;
/// `name` alone when there is no base, or it is empty or not a safe URL.
pub fn file_url(base: Option<&str>, name: &str) -> String {
    match base.and_then(safe_href) {
        Some(base) if base.ends_with('/') => format!("{base}{name}"),
        Some(base) => format!("{base}/{name}"),
        None => name.to_owned(),
    }
}

/// A URL made safe for `srcset`, which splits candidates at white space and strips leading and
/// trailing commas: both are percent-encoded (which a URL reads the same).
fn srcset_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '\t' | '\n' | '\u{c}' | '\r' | ',' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `logmesh.css` in the built-in look ([`Style::default`]): what `www/logmesh.css` ships (a test
/// keeps the two equal).
pub fn default_embed_css() -> String {
    embed_css(&Style::default())
}

/// `logmesh.css`: lays out embed.html's children without JS. The picture gives the element its
/// shape (its width/height attributes) and fills it,
/// the overlay lies exactly over it, labels follow the colour scheme like the picture does,
/// the link targets are invisible until hovered, and the list is visually hidden but read by
/// screen readers, and shown over the frame while a keyboard user is in it. Every colour and the
/// label font are `style`'s (docs/DESIGN.md, "A site's colours").
pub fn embed_css(style: &Style) -> String {
    let (dark, light) = (style.colours(Theme::Dark), style.colours(Theme::Light));
    let [r, g, b, _] = dark.background;
    let values: [(&str, String); 13] = [
        ("@small-touch-screen@", SMALL_TOUCH_SCREEN_MEDIA.to_owned()),
        ("@dark-font@", style.font(Theme::Dark).to_owned()),
        ("@light-font@", style.font(Theme::Light).to_owned()),
        ("@dark-label@", hex(dark.label_text)),
        ("@light-label@", hex(light.label_text)),
        ("@dark-background-94@", format!("rgba({r}, {g}, {b}, 0.94)")),
        ("@dark-background@", hex(dark.background)),
        ("@light-background@", hex(light.background)),
        ("@dark-hover@", hex(dark.hover_outline)),
        ("@light-hover@", hex(light.hover_outline)),
        ("@light-link-edge@", hex(light.link_edge)),
        ("@light-tag-edge@", hex(light.tag_edge)),
        ("@dark-focus@", hex(dark.focus_outline)),
    ];
    let mut css = EMBED_CSS.to_owned();
    for (name, value) in values {
        css = css.replace(name, &value);
    }
    css
}

/// [`embed_css`]'s text, with `@name@` where a value goes.
const EMBED_CSS: &str = r#"/* logmesh: the static frame of <log-mesh> (embed.html). */
log-mesh {
  display: block;
  position: relative;
  overflow: hidden;
  max-width: 100%;
  container: logmesh / inline-size;
}
/* The element takes its shape from the picture: with no height of its own, 100% is auto and
   the image's width/height attributes (the chosen <source>'s) give its aspect from the first
   layout; a height set on the element (or an older embed.html's aspect-ratio) stretches it. */
log-mesh > .logmesh-frame,
log-mesh > .logmesh-frame > img {
  display: block;
  width: 100%;
  height: 100%;
}
log-mesh > .logmesh-overlay[data-mode="2d"],
log-mesh > .logmesh-frame[data-mode="2d"] {
  display: none;
}
@media @small-touch-screen@ {
  log-mesh > .logmesh-overlay[data-mode="3d"],
  log-mesh > .logmesh-frame[data-mode="3d"] {
    display: none;
  }
  log-mesh > .logmesh-overlay[data-mode="2d"],
  log-mesh > .logmesh-frame[data-mode="2d"] {
    display: block;
  }
}
log-mesh > .logmesh-overlay {
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  overflow: hidden;
}
.logmesh-labels {
  pointer-events: none;
  font-family: @dark-font@;
  font-size: 12px;
  fill: @dark-label@;
  stroke: @dark-background@;
  stroke-width: 3px;
  stroke-linejoin: round;
  paint-order: stroke;
}
.logmesh-centre {
  stroke: @dark-label@;
}
.logmesh-hits a {
  cursor: pointer;
}
.logmesh-hits circle {
  fill: #000;
  fill-opacity: 0;
}
.logmesh-hits a[href]:hover circle {
  stroke: @dark-hover@;
  stroke-width: 1.5px;
}
@media (prefers-color-scheme: light) {
  .logmesh-labels {
    font-family: @light-font@;
    fill: @light-label@;
    stroke: @light-background@;
  }
  .logmesh-hits a[href]:hover circle {
    stroke: @light-hover@;
  }
  .logmesh-centre {
    stroke: @light-label@;
  }
  .logmesh-frame .logmesh-bg {
    fill: @light-background@;
  }
  .logmesh-frame .logmesh-link {
    stroke: @light-link-edge@;
  }
  .logmesh-frame .logmesh-tag {
    stroke: @light-tag-edge@;
  }
}
log-mesh > .logmesh-list:not(:focus-within) {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  border: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
log-mesh > .logmesh-list:focus-within {
  position: absolute;
  left: 0;
  right: 0;
  bottom: 0;
  max-height: 50%;
  overflow: auto;
  margin: 0;
  padding: 0.5em 1em 0.5em 2em;
  background: @dark-background-94@;
  color: @dark-label@;
  font: 14px/1.5 @dark-font@;
}
log-mesh > .logmesh-list:focus-within a {
  color: @dark-focus@;
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rule() {
        assert_eq!(file_url(None, "layout.json"), "layout.json");
        assert_eq!(file_url(Some(""), "layout.json"), "layout.json");
        assert_eq!(
            file_url(Some("/static/graph"), "layout.json"),
            "/static/graph/layout.json"
        );
        assert_eq!(
            file_url(Some("/static/graph/"), "layout.json"),
            "/static/graph/layout.json"
        );
        assert_eq!(
            file_url(Some("https://cdn.example/g/"), "posts.min.json"),
            "https://cdn.example/g/posts.min.json"
        );
        assert_eq!(
            file_url(Some("javascript:alert(1)//"), "layout.json"),
            "layout.json"
        );
    }

    #[test]
    fn srcset_urls_keep_one_candidate() {
        assert_eq!(srcset_url("/a b,c/frame.png,"), "/a%20b%2Cc/frame.png%2C");
        assert_eq!(srcset_url("frame-3d-light.png"), "frame-3d-light.png");
    }

    #[test]
    fn default_files() {
        let files = EmbedFiles::default();
        assert_eq!(files.frame_dark, "frame-3d-dark.png");
        assert_eq!(files.frame_light, "frame-3d-light.png");
        assert_eq!(
            EmbedFiles::new(Mode::TwoD, "svg").frame_light,
            "frame-2d-light.svg"
        );
    }

    #[test]
    fn the_stylesheet_writes_the_one_media_query() {
        let css = default_embed_css();
        assert!(css.contains(&format!("@media {SMALL_TOUCH_SCREEN_MEDIA} {{")));
        assert_eq!(css.matches("max-device-width").count(), 1);
    }

    #[test]
    fn stylesheet_has_no_url_or_import() {
        let css = default_embed_css();
        assert!(!css.contains("url(") && !css.contains("@import"));
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}
