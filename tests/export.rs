//! The static outputs: the SVG frame, embed.html and posts.min.json, on the fixtures and on
//! posts written to break out of their markup.

mod common;

use std::collections::HashMap;
use std::sync::OnceLock;

use logmesh::camera::{Camera, Viewport};
use logmesh::export::embed::DEFAULT_LINK_CAP;
use logmesh::export::escape::{escape_attr, escape_text};
use logmesh::export::labels::{LABEL_FONT_PX, place_labels};
use logmesh::export::{
    EmbedFiles, EmbedInput, EmbedTwoD, SMALL_TOUCH_SCREEN_MEDIA, default_embed_css, embed_html,
    linked_posts, posts_min_json, scene_svg, svg,
};
use logmesh::layout::ForceParams;
use logmesh::picking::ScreenProjection;
use logmesh::posts::{self, Post};
use logmesh::scene::{Label, Mode, Scene};
use logmesh::site::{FirstFrame, Site};
use logmesh::style::{Rgba8, Theme};

const FRAME: Viewport = Viewport {
    width_css: 1200.0,
    height_css: 675.0,
    dpr: 1.0,
};

/// prerender's default phone frame (`--phone-width`, `--phone-height`, `--phone-dpr`).
const PHONE: Viewport = Viewport {
    width_css: 390.0,
    height_css: 390.0,
    dpr: 3.0,
};

/// Posts laid out and drawn in [`FRAME`]: their first 3D frame, made as `prerender` makes it,
/// and their first 2D frame in [`PHONE`].
struct Drawn {
    posts: Vec<Post>,
    scene: Scene,
    camera: Camera,
    projection: ScreenProjection,
    two_d: FirstFrame,
}

impl Drawn {
    fn new(posts: Vec<Post>) -> Drawn {
        let params = ForceParams {
            iterations: 50,
            ..Default::default()
        };
        let site = Site::laid_out(posts, &params);
        let two_d = site.first_frame(Mode::TwoD, PHONE);
        let FirstFrame {
            scene,
            camera,
            projection,
        } = site.first_frame(Mode::ThreeD, FRAME);
        Drawn {
            posts: site.posts,
            scene,
            camera,
            projection,
            two_d,
        }
    }

    fn input(&self) -> EmbedInput<'_> {
        EmbedInput::new(&self.posts, &self.scene, &self.projection)
    }

    /// [`Drawn::input`] with the WebP frames and the 2D (phone) frame, as prerender writes it.
    fn input_with_phone(&self) -> EmbedInput<'_> {
        let mut input = self.input();
        input.files = EmbedFiles::default().with_webp(Mode::ThreeD);
        let two_d = EmbedFiles::new(Mode::TwoD, "png").with_webp(Mode::TwoD);
        input.two_d = Some(EmbedTwoD {
            scene: &self.two_d.scene,
            projection: &self.two_d.projection,
            frame_dark: two_d.frame_dark,
            frame_light: two_d.frame_light,
            frame_dark_webp: two_d.frame_dark_webp,
            frame_light_webp: two_d.frame_light_webp,
        });
        input
    }

    fn svg(&self, theme: Theme) -> String {
        scene_svg(&self.scene, &self.camera, FRAME, theme)
    }
}

fn small() -> &'static Drawn {
    static SITE: OnceLock<Drawn> = OnceLock::new();
    SITE.get_or_init(|| Drawn::new(common::fixture("small.json").posts))
}

fn site_1k() -> &'static Drawn {
    static SITE: OnceLock<Drawn> = OnceLock::new();
    SITE.get_or_init(|| Drawn::new(common::fixture("site-1k.json").posts))
}

const HOSTILE_TITLES: [&str; 6] = [
    "</a><script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "Fish &amp; chips",
    "It's \"quoted\" <b>bold</b>",
    "bell\u{7}escape\u{1b}[31mnull\u{0}end",
    "</title></svg><svg onload=alert(1)>",
];

/// Posts whose titles, ids and URLs try to escape their context, all valid posts.json.
fn hostile() -> &'static Drawn {
    static SITE: OnceLock<Drawn> = OnceLock::new();
    SITE.get_or_init(|| {
        let ids = [
            "a\"><script>alert(1)</script>",
            "b' onmouseover='alert(1)",
            "c&amp;d",
            "d<e>",
            "plain",
            "z</title>",
        ];
        let urls = [
            "/x?q=\"<script>alert(1)</script>",
            "https://example.com/a\"b<c>d",
            "/fish&amp;chips",
            "'><svg onload=alert(1)>",
            "/plain",
            "//host.example/x\" onclick=\"alert(1)",
        ];
        let posts: Vec<serde_json::Value> = (0..ids.len())
            .map(|i| {
                serde_json::json!({
                    "id": ids[i],
                    "title": HOSTILE_TITLES[i],
                    "url": urls[i],
                    "date": format!("2024-01-{:02}", i + 1),
                    "tags": ["<script>", "x\"y"],
                    "links": [ids[(i + 1) % ids.len()]],
                })
            })
            .collect();
        let doc = serde_json::json!({ "version": 1, "posts": posts });
        let parsed = posts::parse(doc.to_string().as_bytes()).expect("hostile but valid posts");
        assert_eq!(parsed.posts.len(), ids.len());
        Drawn::new(parsed.posts)
    })
}

/// A start or end tag found by [`scan_tags`].
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

/// A small tokenizer for the markup we write: tags with double-quoted attribute values, text
/// between them. Panics on anything else (a comment, an unquoted or single-quoted value, a
/// stray `<`), so escaped user text can never pass for markup.
fn scan_tags(markup: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = markup;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .expect("tag ends");
        let name = rest[..name_end].to_ascii_lowercase();
        assert!(!name.is_empty(), "a '<' that starts no tag: {rest:.40}");
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix("/>").or_else(|| rest.strip_prefix('>')) {
                rest = after;
                break;
            }
            let attr_end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .expect("attribute ends");
            let attr = rest[..attr_end].to_ascii_lowercase();
            assert!(!attr.is_empty(), "bad attribute in <{name}>: {rest:.40}");
            rest = &rest[attr_end..];
            let value = if let Some(after) = rest.strip_prefix("=\"") {
                let end = after.find('"').expect("value ends");
                let value = &after[..end];
                assert!(
                    !value.contains(['<', '>', '\'']),
                    "raw markup in {attr}: {value}"
                );
                rest = &after[end + 1..];
                value.to_owned()
            } else {
                String::new()
            };
            attributes.push((attr, value));
        }
        tags.push(Tag {
            name,
            closing,
            attributes,
        });
    }
    tags
}

const EMBED_TAGS: [&str; 14] = [
    "link", "log-mesh", "picture", "source", "img", "svg", "g", "text", "a", "title", "circle",
    "ul", "li", "time",
];

const SVG_TAGS: [&str; 8] = [
    "svg",
    "defs",
    "radialgradient",
    "stop",
    "rect",
    "g",
    "path",
    "circle",
];

/// Checks markup against an allow-list of tags and the rules every output keeps.
fn check_markup(markup: &str, allowed: &[&str]) -> Vec<Tag> {
    assert!(!markup.to_ascii_lowercase().contains("<script"));
    assert!(!markup.to_ascii_lowercase().contains("javascript:"));
    let tags = scan_tags(markup);
    for tag in &tags {
        assert!(allowed.contains(&tag.name.as_str()), "tag <{}>", tag.name);
        for (attr, value) in &tag.attributes {
            assert!(!attr.starts_with("on"), "<{} {attr}>", tag.name);
            assert!(attr != "style", "style on <{}>", tag.name);
            if matches!(
                attr.as_str(),
                "href" | "src" | "srcset" | "layout" | "archive"
            ) {
                let url = unescape(value);
                assert!(logmesh::export::is_safe_url(&url), "{attr}={url:?}");
                // Written as the safe-URL rule writes it: no backslash a browser would read as a
                // slash, nothing a browser ignores.
                assert_eq!(
                    logmesh::export::safe_href(&url).as_deref(),
                    Some(url.as_str()),
                    "{attr}={url:?}"
                );
            }
        }
    }
    tags
}

/// Undoes our escaping (for comparing values with the strings they came from).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#9;", "\t")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attributes
        .iter()
        .find(|(a, _)| a == name)
        .map(|(_, v)| v.as_str())
}

fn percent(value: &str) -> f32 {
    value
        .strip_suffix('%')
        .expect("a percentage")
        .parse()
        .expect("a number")
}

fn number(value: &str) -> f32 {
    value.parse().expect("a number")
}

#[test]
fn hostile_strings_stay_text() {
    let site = hostile();
    let html = embed_html(&site.input());
    check_markup(&html, &EMBED_TAGS);
    for theme in Theme::ALL {
        check_markup(&site.svg(theme), &SVG_TAGS);
    }
    // Titles come out as escaped text, in the list and the tooltips.
    for (post, node) in site.posts.iter().zip(site.projection.nodes()) {
        assert!(html.contains(&*escape_text(&post.title)), "{}", post.title);
        let target = format!("data-id=\"{}\"", escape_attr(&post.id));
        assert_eq!(html.matches(&target).count(), usize::from(node.visible));
    }
    assert!(site.projection.nodes().iter().filter(|n| n.visible).count() >= 4);
    assert!(html.contains("&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Fish &amp;amp; chips"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Control characters never reach the markup.
    assert!(html.contains("bell\u{FFFD}escape\u{FFFD}[31mnull\u{FFFD}end"));
    assert!(
        html.chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t')
    );
    // URLs are kept as written, escaped.
    assert!(html.contains(r#"href="/x?q=&quot;&lt;script&gt;alert(1)&lt;/script&gt;""#));
    assert!(html.contains(r#"href="https://example.com/a&quot;b&lt;c&gt;d""#));
}

#[test]
fn unsafe_urls_are_dropped_even_when_the_parser_is_bypassed() {
    let site = small();
    let mut posts = site.posts.clone();
    posts[0].url = Some("javascript:alert(1)".into());
    posts[1].url = Some(" JaVaScRiPt:alert(1)".into());
    posts[2].url = Some("data:text/html,<script>alert(1)</script>".into());
    let mut input = EmbedInput::new(&posts, &site.scene, &site.projection);
    input.archive_url = Some("vbscript:x");
    input.base_url = Some("javascript:alert(1)//");
    let html = embed_html(&input);
    let tags = check_markup(&html, &EMBED_TAGS);
    assert!(!html.contains("archive=") && !html.contains("logmesh-archive"));
    assert!(html.contains(r#"src="posts.min.json""#));
    for post in &posts[..3] {
        // The list shows the title without a link.
        assert!(html.contains(&format!("<li>{}", escape_text(&post.title))));
        // A visible post keeps its hit target, without href.
        let targets: Vec<&Tag> = tags
            .iter()
            .filter(|t| t.name == "a" && attr(t, "data-id") == Some(&*escape_attr(&post.id)))
            .collect();
        assert!(targets.iter().all(|t| attr(t, "href").is_none()));
    }
}

/// URLs that a browser follows to another host though they look like paths on the site
/// (`/\\host`, `\\\\host`, with tabs or spaces), in post URLs (the list and both overlays), the
/// archive URL and the base URL, are written as the `//host` they are, escaped; protocol-relative
/// URLs stay as written; a backslash that a browser reads as a slash never reaches the markup.
#[test]
fn urls_that_leave_the_site_say_so() {
    let site = small();
    let mut posts = site.posts.clone();
    let cases = [
        ("/\\evil.example/a", "//evil.example/a"),
        ("\\\\evil.example/b", "//evil.example/b"),
        ("\\/evil.example/c?q=\\x", "//evil.example/c?q=\\x"),
        (" /\t/evil.example/d", "//evil.example/d"),
        ("//evil.example/e\"x", "//evil.example/e&quot;x"),
        ("\\log\\f", "/log/f"),
    ];
    for (post, (url, _)) in posts.iter_mut().zip(cases) {
        post.url = Some(url.to_owned());
    }
    let mut input = EmbedInput::new(&posts, &site.scene, &site.projection);
    let two_d = EmbedFiles::new(Mode::TwoD, "png");
    input.two_d = Some(EmbedTwoD {
        scene: &site.two_d.scene,
        projection: &site.two_d.projection,
        frame_dark: two_d.frame_dark,
        frame_light: two_d.frame_light,
        frame_dark_webp: None,
        frame_light_webp: None,
    });
    input.base_url = Some("/\\cdn.example/g");
    input.archive_url = Some("\\\\evil.example/all");
    let html = embed_html(&input);
    let tags = check_markup(&html, &EMBED_TAGS);
    // The one backslash left is the query's, which a browser keeps as data.
    assert_eq!(
        html.matches('\\').count(),
        html.matches("?q=\\x").count(),
        "{html}"
    );
    let element = tags.iter().find(|t| t.name == "log-mesh").expect("element");
    assert_eq!(attr(element, "src"), Some("//cdn.example/g/posts.min.json"));
    assert_eq!(attr(element, "archive"), Some("//evil.example/all"));
    let img = tags.iter().find(|t| t.name == "img").expect("img");
    assert_eq!(attr(img, "src"), Some("//cdn.example/g/frame-3d-dark.png"));
    for (post, (_, href)) in posts.iter().zip(cases) {
        // In the list, the post's one link.
        let item = format!(r#"<li><a href="{href}">{}</a>"#, escape_text(&post.title));
        assert!(html.contains(&item), "{item}");
        // In each overlay where the post is visible, its target.
        let targets = tags
            .iter()
            .filter(|t| t.name == "a" && attr(t, "data-id") == Some(&*escape_attr(&post.id)));
        for target in targets {
            assert_eq!(attr(target, "href"), Some(href), "{}", post.id);
        }
    }
    let linked = tags
        .iter()
        .filter(|t| t.name == "a" && attr(t, "data-id").is_some() && attr(t, "href").is_some())
        .count();
    assert!(linked >= 6, "{linked} overlay links");
}

#[test]
fn embed_frame_element_and_files() {
    let site = small();
    let html = embed_html(&site.input());
    let tags = check_markup(&html, &EMBED_TAGS);
    // The element's shape comes from the picture, never from a style attribute.
    assert!(!html.contains("style="), "no style attribute anywhere");
    assert!(!html.contains("aspect-ratio"));
    let element = tags.iter().find(|t| t.name == "log-mesh").expect("element");
    assert_eq!(attr(element, "src"), Some("posts.min.json"));
    assert_eq!(attr(element, "layout"), Some("layout.json"));
    let source = tags.iter().find(|t| t.name == "source").expect("source");
    assert_eq!(attr(source, "media"), Some("(prefers-color-scheme: light)"));
    assert_eq!(attr(source, "srcset"), Some("frame-3d-light.png"));
    let img = tags.iter().find(|t| t.name == "img").expect("img");
    assert_eq!(attr(img, "src"), Some("frame-3d-dark.png"));
    assert_eq!(attr(img, "width"), Some("1200"));
    assert_eq!(attr(img, "height"), Some("675"));
    assert_eq!(attr(img, "alt"), Some("Graph of 13 posts"));
    assert_eq!(attr(img, "loading"), None);
    assert_eq!(attr(img, "decoding"), None);
    assert_eq!(attr(img, "fetchpriority"), Some("high"));
    // No WebP frames given, no WebP sources.
    assert!(tags.iter().all(|t| attr(t, "type").is_none()));

    // The base URL goes before every file name, and nowhere else.
    let mut input = site.input();
    input.base_url = Some("https://cdn.example/graph");
    input.archive_url = Some("/log/all");
    let html = embed_html(&input);
    let tags = check_markup(&html, &EMBED_TAGS);
    let base = "https://cdn.example/graph/";
    let element = tags.iter().find(|t| t.name == "log-mesh").expect("element");
    assert_eq!(
        attr(element, "src"),
        Some(format!("{base}posts.min.json").as_str())
    );
    assert_eq!(
        attr(element, "layout"),
        Some(format!("{base}layout.json").as_str())
    );
    assert_eq!(attr(element, "archive"), Some("/log/all"));
    for (tag, name, file) in [
        ("source", "srcset", "frame-3d-light.png"),
        ("img", "src", "frame-3d-dark.png"),
        ("link", "href", "logmesh.css"),
    ] {
        let found = tags.iter().find(|t| t.name == tag).expect(tag);
        assert_eq!(attr(found, name), Some(format!("{base}{file}").as_str()));
    }
    for post in &site.posts {
        let url = post.url.as_deref().expect("every small post has a URL");
        assert!(html.contains(&format!("href=\"{}\"", escape_attr(url))));
        assert!(!html.contains(&format!("{base}{}", url.trim_start_matches('/'))));
    }
}

/// embed.html needs nothing of `style-src` beyond its stylesheet: no `style` attribute and no
/// `<style>` element, as prerender writes it (both frames, WebP sources, base URL, archive
/// link), for the small site and the 1,000-post one.
#[test]
fn embed_html_has_no_inline_style() {
    for site in [small(), site_1k()] {
        let mut input = site.input_with_phone();
        input.base_url = Some("/static/mesh/");
        input.archive_url = Some("/log/all");
        let html = embed_html(&input);
        let tags = check_markup(&html, &EMBED_TAGS);
        assert!(tags.iter().any(|t| t.name == "log-mesh"));
        assert!(
            tags.iter().any(|t| t.name == "svg"),
            "the overlays are there"
        );
        for tag in &tags {
            assert_ne!(tag.name, "style", "a <style> element");
            assert!(
                tag.attributes.iter().all(|(name, _)| name != "style"),
                "style on <{}>",
                tag.name
            );
        }
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("style="), "a style attribute");
        assert!(!lower.contains("<style"), "a <style> element");
    }
}

#[test]
fn every_visible_post_has_one_link_where_it_is_drawn() {
    for site in [small(), site_1k()] {
        let html = embed_html(&site.input());
        let tags = check_markup(&html, &EMBED_TAGS);
        let nodes = site.projection.nodes();
        let (w, h) = (FRAME.width_css, FRAME.height_css);
        let diagonal = ((w * w + h * h) / 2.0).sqrt();
        // Targets: <a data-id> followed (after its <title>) by its <circle>.
        let mut targets: HashMap<String, Vec<&Tag>> = HashMap::new();
        let mut current: Option<String> = None;
        let mut depths = Vec::new();
        for tag in &tags {
            match (tag.name.as_str(), tag.closing) {
                ("a", false) => {
                    if let Some(id) = attr(tag, "data-id") {
                        current = Some(unescape(id));
                    }
                }
                ("a", true) => current = None,
                ("circle", false) => {
                    let id = current.clone().expect("circle inside a target");
                    targets.entry(id).or_default().push(tag);
                }
                _ => {}
            }
        }
        let index: HashMap<&str, usize> = site
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let linked = linked_posts(&site.projection, DEFAULT_LINK_CAP);
        let visible = nodes.iter().filter(|n| n.visible).count();
        assert_eq!(
            linked.iter().filter(|&&l| l).count(),
            visible.min(DEFAULT_LINK_CAP)
        );
        // The capped targets are the largest drawn visible discs.
        let smallest_linked = (0..nodes.len())
            .filter(|&i| linked[i])
            .map(|i| nodes[i].r_px)
            .fold(f32::INFINITY, f32::min);
        for (node, &linked) in nodes.iter().zip(&linked) {
            assert!(!linked || node.visible);
            assert!(linked || !node.visible || node.r_px <= smallest_linked);
        }
        for (i, (post, node)) in site.posts.iter().zip(nodes).enumerate() {
            let found = targets.get(&post.id).map_or(0, Vec::len);
            assert_eq!(found, usize::from(linked[i]), "{}", post.id);
            if !linked[i] {
                continue;
            }
            let circle = targets[&post.id][0];
            let cx = percent(attr(circle, "cx").expect("cx"));
            let cy = percent(attr(circle, "cy").expect("cy"));
            let r = percent(attr(circle, "r").expect("r"));
            assert!((cx - node.x_px / w * 100.0).abs() <= 6e-4, "{i}");
            assert!((cy - node.y_px / h * 100.0).abs() <= 6e-4, "{i}");
            assert!((r - node.hit_r_px / diagonal * 100.0).abs() <= 6e-4, "{i}");
        }
        // Stacked far to near, so that the nearest post is on top.
        for tag in tags.iter().filter(|t| t.name == "a" && !t.closing) {
            if let Some(id) = attr(tag, "data-id") {
                depths.push(nodes[index[unescape(id).as_str()]].depth);
            }
        }
        assert!(depths.windows(2).all(|d| d[0] >= d[1]));
        assert_eq!(
            depths.len(),
            visible.min(DEFAULT_LINK_CAP),
            "one target per linked post"
        );
    }
}

#[test]
fn webp_sources_come_before_each_fallback() {
    let site = small();
    let html = embed_html(&site.input_with_phone());
    let tags = check_markup(&html, &EMBED_TAGS);
    let sources: Vec<(Option<&str>, Option<&str>, Option<&str>)> = tags
        .iter()
        .filter(|t| t.name == "source")
        .map(|t| (attr(t, "type"), attr(t, "media"), attr(t, "srcset")))
        .collect();
    let small_light = format!("{SMALL_TOUCH_SCREEN_MEDIA} and (prefers-color-scheme: light)");
    let light = Some("(prefers-color-scheme: light)");
    let webp = Some("image/webp");
    assert_eq!(
        sources,
        [
            (
                webp,
                Some(small_light.as_str()),
                Some("frame-2d-light.webp")
            ),
            (None, Some(small_light.as_str()), Some("frame-2d-light.png")),
            (
                webp,
                Some(SMALL_TOUCH_SCREEN_MEDIA),
                Some("frame-2d-dark.webp")
            ),
            (
                None,
                Some(SMALL_TOUCH_SCREEN_MEDIA),
                Some("frame-2d-dark.png")
            ),
            (webp, light, Some("frame-3d-light.webp")),
            (None, light, Some("frame-3d-light.png")),
            (webp, None, Some("frame-3d-dark.webp")),
        ]
    );
    let img = tags.iter().find(|t| t.name == "img").expect("img");
    assert_eq!(attr(img, "src"), Some("frame-3d-dark.png"));
    assert_eq!(attr(img, "fetchpriority"), Some("high"));
}

/// The picture gives the element its shape: the 2D (phone) sources carry the phone frame's
/// size, the 3D sources and the `<img>` the desktop frame's, and the 2D overlay is placed in %
/// of the phone frame.
#[test]
fn the_phone_sources_carry_the_phone_frame_and_its_overlay_follows_it() {
    for site in [small(), site_1k()] {
        let html = embed_html(&site.input_with_phone());
        assert!(!html.contains("style="));
        let tags = check_markup(&html, &EMBED_TAGS);
        let sized: Vec<&Tag> = tags
            .iter()
            .filter(|t| (t.name == "source" || t.name == "img") && !t.closing)
            .collect();
        assert_eq!(sized.len(), 8);
        for tag in sized {
            let srcset = attr(tag, "srcset").or(attr(tag, "src")).expect("a file");
            let size = (attr(tag, "width"), attr(tag, "height"));
            if srcset.starts_with("frame-2d-") {
                assert_eq!(size, (Some("390"), Some("390")), "{srcset}");
                let media = attr(tag, "media").expect("the 2D frames are for small screens");
                assert!(media.starts_with(SMALL_TOUCH_SCREEN_MEDIA));
            } else {
                assert_eq!(size, (Some("1200"), Some("675")), "{srcset}");
            }
        }
        // The 2D overlay's link targets, in % of the phone frame.
        let start = html.find(r#"data-mode="2d""#).expect("a 2D overlay");
        let overlay = &html[start..];
        let overlay = &overlay[..overlay.find("</svg>").expect("closed")];
        let nodes = site.two_d.projection.nodes();
        let (w, h) = (PHONE.width_css, PHONE.height_css);
        let mut checked = 0;
        for (post, node) in site.posts.iter().zip(nodes).filter(|(_, n)| n.visible) {
            let needle = format!(r#" data-id="{}""#, escape_attr(&post.id));
            let Some(at) = overlay.find(&needle) else {
                continue;
            };
            let circle = &overlay[at..];
            let field = |name: &str| {
                let from = circle.find(&format!(r#" {name}=""#)).expect(name) + name.len() + 3;
                percent(&circle[from..from + circle[from..].find('"').expect("quoted")])
            };
            assert!((field("cx") - node.x_px / w * 100.0).abs() <= 6e-4);
            assert!((field("cy") - node.y_px / h * 100.0).abs() <= 6e-4);
            checked += 1;
        }
        assert!(
            checked > 0
                && checked
                    == linked_posts(&site.two_d.projection, DEFAULT_LINK_CAP)
                        .iter()
                        .filter(|&&l| l)
                        .count()
        );
    }
}

/// gzip size of `text` at the default level (what a web server sends).
fn gzip_bytes(text: &str) -> usize {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).expect("gzip");
    encoder.finish().expect("gzip").len()
}

/// docs/DESIGN.md ("embed.html and logmesh.css"): a 10,000-post site's embed.html, with both
/// overlays and the list at their default caps, is at most about 100 kB gzip at any frame size.
#[test]
fn embed_html_of_a_10k_site_stays_small() {
    let params = ForceParams {
        iterations: 50,
        ..Default::default()
    };
    let site = Site::laid_out(common::fixture("site-10k.json").posts, &params);
    // The default frame, and one four times its area, where far more posts are visible.
    for frame in [FRAME, Viewport::new(2400.0, 1350.0, 1.0)] {
        embed_of_10k_site(&site, frame);
    }
}

fn embed_of_10k_site(site: &Site, frame: Viewport) {
    let three_d = site.first_frame(Mode::ThreeD, frame);
    let two_d = site.first_frame(Mode::TwoD, frame);
    let mut input = EmbedInput::new(&site.posts, &three_d.scene, &three_d.projection);
    input.base_url = Some("/graph/");
    input.archive_url = Some("/log/all");
    input.files = EmbedFiles::default().with_webp(Mode::ThreeD);
    let files = EmbedFiles::new(Mode::TwoD, "png").with_webp(Mode::TwoD);
    input.two_d = Some(EmbedTwoD {
        scene: &two_d.scene,
        projection: &two_d.projection,
        frame_dark: files.frame_dark,
        frame_light: files.frame_light,
        frame_dark_webp: files.frame_dark_webp,
        frame_light_webp: files.frame_light_webp,
    });
    let html = embed_html(&input);
    let gzip = gzip_bytes(&html);
    let visible =
        [&three_d, &two_d].map(|f| f.projection.nodes().iter().filter(|n| n.visible).count());
    eprintln!(
        "10k embed.html at {} x {}: {:.1} kB, {:.1} kB gzip; visible posts 3d {}, 2d {}; \
         links {} per overlay at most",
        frame.width_css,
        frame.height_css,
        html.len() as f64 / 1e3,
        gzip as f64 / 1e3,
        visible[0],
        visible[1],
        DEFAULT_LINK_CAP
    );
    assert!(html.matches(" data-id=").count() <= 2 * DEFAULT_LINK_CAP);
    assert!(gzip <= 100_000, "{gzip} bytes gzip");
}

#[test]
fn labels_sit_at_their_anchors() {
    for site in [small(), site_1k()] {
        let html = embed_html(&site.input());
        let tags = check_markup(&html, &EMBED_TAGS);
        let placed = place_labels(&site.scene, &site.projection, LABEL_FONT_PX);
        assert!(!placed.is_empty());
        let texts: Vec<&Tag> = tags
            .iter()
            .filter(|t| t.name == "text" && !t.closing)
            .collect();
        assert_eq!(texts.len(), placed.len());
        for (tag, label) in texts.iter().zip(&placed) {
            let node = &site.projection.nodes()[label.index as usize];
            assert!(node.visible);
            // Right of the disc, or mirrored to its left where the text does not fit there.
            let [x, y] = Label::anchor_px(node.x_px, node.y_px, node.r_px);
            let [left, _] = Label::left_anchor_px(node.x_px, node.y_px, node.r_px, label.width_px);
            let tx = percent(attr(tag, "x").expect("x"));
            let ty = percent(attr(tag, "y").expect("y"));
            assert!(
                (tx - x / FRAME.width_css * 100.0).abs() <= 6e-4
                    || (tx - left / FRAME.width_css * 100.0).abs() <= 6e-4
            );
            assert!((ty - y / FRAME.height_css * 100.0).abs() <= 6e-4);
            let text = site.scene.nodes[label.index as usize]
                .label
                .as_ref()
                .expect("labelled");
            assert!(html.contains(&format!(">{}</text>", escape_text(&text.text))));
        }
        // The most important label of a visible post is always shown.
        assert_eq!(placed[0].priority, {
            let mut visible: Vec<u32> = site
                .scene
                .nodes
                .iter()
                .zip(site.projection.nodes())
                .filter(|(_, p)| p.visible)
                .filter_map(|(n, _)| n.label.as_ref().map(|l| l.priority))
                .collect();
            visible.sort_unstable();
            visible[0]
        });
    }
}

#[test]
fn list_is_capped_and_newest_first() {
    let site = site_1k();
    let mut input = site.input();
    input.list_cap = 100;
    input.archive_url = Some("/log/all");
    let html = embed_html(&input);
    let list = &html[html.find("<ul class=\"logmesh-list\"").expect("list")..];
    let items: Vec<&str> = list.split("<li").skip(1).collect();
    assert_eq!(items.len(), 101);
    // The last item links the archive, counting every post (the list holds only 100).
    let all = format!(r#"<a href="/log/all">All {} posts</a>"#, site.posts.len());
    assert!(items[100].contains(&all), "{}", items[100]);
    let dates: Vec<&str> = items[..100]
        .iter()
        .map(|item| {
            let at = item.find("datetime=\"").expect("dated") + 10;
            &item[at..at + 10]
        })
        .collect();
    assert!(dates.windows(2).all(|d| d[0] >= d[1]), "newest first");
    // They are the newest 100 of all.
    let mut all: Vec<String> = site
        .posts
        .iter()
        .filter_map(|p| p.date.map(|d| d.to_string()))
        .collect();
    all.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, all[..100]);

    // The default cap is 1,000; no archive, no archive link.
    let html = embed_html(&site.input());
    assert_eq!(html.matches("<li>").count(), 1000.min(site.posts.len()));
    assert!(!html.contains("logmesh-archive") && !html.contains("All "));
}

/// The gradients of an SVG frame by id: their stops (offset, `#rrggbb`).
fn gradients(svg: &str) -> HashMap<String, Vec<(f32, String)>> {
    let mut out: HashMap<String, Vec<(f32, String)>> = HashMap::new();
    let mut current = None;
    for tag in scan_tags(svg) {
        match (tag.name.as_str(), tag.closing) {
            ("radialgradient", false) => current = attr(&tag, "id").map(str::to_owned),
            ("radialgradient", true) => current = None,
            ("stop", false) => {
                let id = current.clone().expect("stop in a gradient");
                let offset = number(attr(&tag, "offset").expect("offset"));
                let colour = attr(&tag, "stop-color").expect("colour").to_owned();
                out.entry(id).or_default().push((offset, colour));
            }
            _ => {}
        }
    }
    out
}

fn hex(c: Rgba8) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[test]
fn svg_frame_centres_are_palette_colours() {
    for site in [small(), site_1k()] {
        for theme in Theme::ALL {
            let svg = site.svg(theme);
            let tags = check_markup(&svg, &SVG_TAGS);
            let root = &tags[0];
            assert_eq!(root.name, "svg");
            assert_eq!(attr(root, "width"), Some("1200"));
            assert_eq!(attr(root, "height"), Some("675"));
            assert_eq!(attr(root, "viewBox"), None, "attribute names are lowered");
            assert_eq!(attr(root, "viewbox"), Some("0 0 1200 675"));
            let background = tags.iter().find(|t| t.name == "rect").expect("background");
            assert_eq!(
                attr(background, "fill"),
                Some(hex(theme.colours().background).as_str())
            );
            let gradients = gradients(&svg);
            let circles: Vec<(f32, f32, f32, String)> = tags
                .iter()
                .filter(|t| t.name == "circle")
                .map(|t| {
                    let fill = attr(t, "fill").expect("fill");
                    let id = fill
                        .strip_prefix("url(#")
                        .and_then(|f| f.strip_suffix(')'))
                        .expect("a gradient fill");
                    (
                        number(attr(t, "cx").expect("cx")),
                        number(attr(t, "cy").expect("cy")),
                        number(attr(t, "r").expect("r")),
                        id.to_owned(),
                    )
                })
                .collect();
            let mut checked = 0;
            let mut position_in_order = Vec::new();
            for (node, p) in site.scene.nodes.iter().zip(site.projection.nodes()) {
                if !p.visible {
                    continue;
                }
                let at = circles
                    .iter()
                    .position(|c| {
                        (c.0 - p.x_px).abs() <= 0.006
                            && (c.1 - p.y_px).abs() <= 0.006
                            && (c.2 - p.r_px).abs() <= 0.006
                    })
                    .expect("a circle for every visible post");
                position_in_order.push((p.depth, at));
                if p.r_px < 3.0 {
                    continue;
                }
                let stops = &gradients[&circles[at].3];
                assert_eq!(stops[0], (0.0, hex(node.colour)));
                assert!(stops.windows(2).all(|s| s[0].0 < s[1].0));
                checked += 1;
            }
            assert!(checked > 0);
            // Drawn far to near: a nearer post comes later.
            position_in_order.sort_by(|a, b| b.0.total_cmp(&a.0));
            assert!(position_in_order.windows(2).all(|w| w[0].1 < w[1].1));
            // One gradient per colour.
            let colours: std::collections::HashSet<&str> =
                gradients.values().map(|s| s[0].1.as_str()).collect();
            assert_eq!(colours.len(), gradients.len());
        }
    }
}

#[test]
fn svg_shade_is_a_darkening_sphere() {
    for colour in logmesh::style::PALETTE {
        assert_eq!(svg::sphere_shade(colour, 0.0), colour);
        let rim = svg::sphere_shade(colour, 1.0);
        for k in 0..3 {
            let expected = f32::from(colour[k]) * svg::RIM_BRIGHTNESS;
            assert!((f32::from(rim[k]) - expected).abs() <= 0.5 + 1e-3);
        }
    }
}

#[test]
fn page_data_round_trips_without_summaries() {
    for name in ["small.json", "site-1k.json"] {
        let parsed = common::fixture(name);
        let json = posts_min_json(&parsed.posts);
        assert!(!json.contains('\n') && !json.contains("\"summary\""));
        let again = posts::parse(json.as_bytes()).expect("valid page data");
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
        assert_eq!(again.dropped_links, 0);
        let expected: Vec<Post> = parsed
            .posts
            .iter()
            .cloned()
            .map(|p| Post { summary: None, ..p })
            .collect();
        assert_eq!(again.posts, expected);
    }
    // Hostile strings survive the trip exactly.
    let site = hostile();
    let again = posts::parse(posts_min_json(&site.posts).as_bytes()).expect("valid");
    assert_eq!(again.posts, site.posts);
}

#[test]
fn outputs_are_deterministic_and_compact() {
    let site = site_1k();
    let svg = site.svg(Theme::Dark);
    assert_eq!(svg, site.svg(Theme::Dark));
    assert_eq!(embed_html(&site.input()), embed_html(&site.input()));
    // Compact: about 1 KB per post at most, edges included.
    assert!(svg.len() < site.posts.len() * 1000, "{} bytes", svg.len());
    assert!(default_embed_css().contains("log-mesh"));
}

/// The npm package ships the same stylesheet `prerender` writes (www/logmesh.css), so a page that
/// links the package's copy lays out embed.html exactly as one that links the generated file.
#[test]
fn the_package_stylesheet_is_the_prerendered_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/logmesh.css");
    let shipped = std::fs::read_to_string(path).expect("www/logmesh.css");
    assert!(
        shipped == default_embed_css(),
        "www/logmesh.css differs from default_embed_css(): regenerate it with \
         `cargo run -- prerender tests/fixtures/small.json --out-dir /tmp/x && cp /tmp/x/logmesh.css www/`"
    );
}

/// The element's own files under `www/` (sources, stylesheets, pages, types; not the built
/// modules in `www/wasm/` nor installed packages), recursively, with their paths.
fn www_sources() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if name != "node_modules" && !path.ends_with("www/wasm") {
                    walk(&path, out);
                }
            } else if ["js", "mjs", "cjs", "ts", "css", "html"]
                .iter()
                .any(|ext| path.extension().is_some_and(|e| e == *ext))
            {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/www")),
        &mut out,
    );
    out
}

/// The small-touch-screen rule has one definition, `SMALL_TOUCH_SCREEN_MEDIA`: embed.html and
/// logmesh.css are written from it, and the element's scripts and stylesheets must spell it
/// exactly so (wherever the element's code lives): every `max-device-width` under `www/` is part
/// of the constant, and some script uses it.
#[test]
fn the_small_touch_screen_rule_is_written_once() {
    let sources = www_sources();
    assert!(
        sources
            .iter()
            .any(|(path, _)| path.ends_with("logmesh.css")),
        "www/logmesh.css is read"
    );
    let mut stray = Vec::new();
    for (path, text) in &sources {
        let rules: Vec<std::ops::Range<usize>> = text
            .match_indices(SMALL_TOUCH_SCREEN_MEDIA)
            .map(|(at, rule)| at..at + rule.len())
            .collect();
        for (at, _) in text.match_indices("max-device-width") {
            if !rules.iter().any(|rule| rule.contains(&at)) {
                let line = 1 + text[..at].matches('\n').count();
                let shown = text.lines().nth(line - 1).unwrap_or("").trim();
                stray.push(format!("{}:{line}: {shown}", path.display()));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "a max-device-width rule under www/ differs from SMALL_TOUCH_SCREEN_MEDIA \
         ({SMALL_TOUCH_SCREEN_MEDIA:?}, src/export/embed.rs):\n{}",
        stray.join("\n")
    );
    let scripts: Vec<_> = sources
        .iter()
        .filter(|(path, text)| {
            path.extension().is_some_and(|e| e == "js" || e == "mjs")
                && text.contains(SMALL_TOUCH_SCREEN_MEDIA)
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        !scripts.is_empty(),
        "no script under www/ uses SMALL_TOUCH_SCREEN_MEDIA ({SMALL_TOUCH_SCREEN_MEDIA:?}): the \
         element must pick the 2D view by the same rule as embed.html's picture"
    );
    // And the stylesheet prerender writes uses it too (www/logmesh.css is that stylesheet).
    assert!(default_embed_css().contains(SMALL_TOUCH_SCREEN_MEDIA));
}
