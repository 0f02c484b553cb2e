//! Colours, sizes and label rules shared by every renderer (3D, 2D view, static frame, SVG).
//! A constant that more than one renderer draws with is defined here and nowhere else: the
//! wgpu renderer (`render`), the Canvas2D 2D view (`web`) and the SVG frame (`export::svg`)
//! all read the same edge widths, colours and radii.
//!
//! A post's colour comes from its primary tag alone and is the same in both themes: docs/DESIGN.md
//! checks that the centre pixel of every post is its palette colour in every renderer. Themes
//! only change what surrounds the posts (background, edges, label text, outlines).
//!
//! Everything here is a pure function of the posts: no randomness, no clock, and only `libm`
//! for the few non-trivial functions, so the same posts look the same natively and on wasm32.

use std::fmt;
use std::str::FromStr;

use crate::camera::{Camera, Viewport};
use crate::hash::fnv1a;
use crate::posts::Post;

mod site;
pub use site::{
    DEFAULT_FONT, MAX_FONT_CHARS, MAX_PALETTE_COLOURS, MAX_TAG_COLOURS, MIN_LABEL_CONTRAST,
    MIN_NODE_CONTRAST, Style, ThemeStyle, check_font, hex, parse_colour,
};

#[cfg(feature = "import")]
pub mod config;

/// An sRGB colour with straight (not premultiplied) alpha, 8 bits per channel.
pub type Rgba8 = [u8; 4];

/// The post colours: twelve mid-lightness hues, spaced round the colour wheel and alternating
/// light and dark neighbours, each with a contrast of at least 3:1 ([`MIN_NODE_CONTRAST`])
/// against both the dark and the light background.
pub const PALETTE: [Rgba8; 12] = [
    [59, 130, 196, 255],  // blue
    [207, 125, 35, 255],  // orange
    [38, 160, 150, 255],  // teal
    [214, 84, 64, 255],   // vermilion
    [140, 108, 204, 255], // violet
    [173, 141, 34, 255],  // ochre
    [73, 151, 201, 255],  // sky
    [83, 162, 73, 255],   // green
    [210, 100, 166, 255], // pink
    [160, 112, 74, 255],  // brown
    [96, 108, 196, 255],  // indigo
    [137, 151, 57, 255],  // olive
];

/// The colour of posts without tags.
pub const UNTAGGED: Rgba8 = [138, 143, 152, 255];

/// How many posts get a label by default.
pub const DEFAULT_LABEL_COUNT: usize = 40;

/// Opacity of a post the view's filter leaves out, and of an edge between two such posts
/// (`DIMMED_ALPHA` in `shaders/nodes.wgsl` and `shaders/edges.wgsl` says the same; a test
/// compares them): faint enough that the kept posts stand out, there enough to keep the shape.
pub const DIMMED_ALPHA: f32 = 0.2;

/// Labels longer than this many characters are cut and end with an ellipsis.
pub const LABEL_MAX_CHARS: usize = 60;

/// Gap between a post's disc and its label, in CSS pixels.
pub const LABEL_GAP_PX: f32 = 4.0;

/// Width of a link edge, CSS px, in every renderer (wgpu, Canvas2D, SVG); multiplied by the
/// device pixel ratio where a renderer draws in device pixels.
pub const LINK_EDGE_WIDTH_PX: f32 = 1.0;

/// Width of a tag edge, CSS px, in every renderer: thinner than a link (the theme also makes it
/// fainter), so links stand out. The PNG frame is canonical (docs/DESIGN.md); the SVG frame drew
/// 0.6 until the width was shared.
pub const TAG_EDGE_WIDTH_PX: f32 = 0.7;

const _: () = assert!(0.0 < TAG_EDGE_WIDTH_PX && TAG_EDGE_WIDTH_PX < LINK_EDGE_WIDTH_PX);

/// Radius of a post of weight 1 and degree 0 in the 3D layout, in world units. The force
/// layout's springs are 30 units long and nearest neighbours end up about that far apart, so a
/// typical post (about 1.7 times the base) is some 5 times smaller than the gap to the next.
pub const BASE_NODE_RADIUS_WORLD: f32 = 4.0;

/// Smallest post radius in world units.
pub const MIN_NODE_RADIUS_WORLD: f32 = BASE_NODE_RADIUS_WORLD * 0.6;

/// Largest post radius in world units.
pub const MAX_NODE_RADIUS_WORLD: f32 = BASE_NODE_RADIUS_WORLD * 2.5;

/// Weights are clamped to this range before they size a post.
const WEIGHT_RANGE: (f32, f32) = (0.25, 4.0);

/// Growth of the radius per doubling of (degree + 1).
const DEGREE_GROWTH: f32 = 0.18;

/// Light or dark surroundings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Light text on a near-black background.
    Dark,
    /// Dark text on a near-white background.
    Light,
}

/// The colours of one theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeColours {
    /// Frame background (opaque).
    pub background: Rgba8,
    /// Link edges: the more opaque of the two edge kinds.
    pub link_edge: Rgba8,
    /// Tag edges: faint, so links stand out.
    pub tag_edge: Rgba8,
    /// Label text.
    pub label_text: Rgba8,
    /// Outline of the post under the pointer.
    pub hover_outline: Rgba8,
    /// Outline of the selected post.
    pub selection_outline: Rgba8,
    /// Outline of the post with keyboard focus.
    pub focus_outline: Rgba8,
}

const DARK: ThemeColours = ThemeColours {
    background: [15, 17, 23, 255],
    link_edge: [168, 178, 198, 150],
    tag_edge: [120, 130, 150, 56],
    label_text: [226, 230, 238, 255],
    hover_outline: [255, 255, 255, 255],
    selection_outline: [255, 204, 77, 255],
    focus_outline: [122, 184, 255, 255],
};

const LIGHT: ThemeColours = ThemeColours {
    background: [251, 251, 253, 255],
    link_edge: [64, 72, 90, 150],
    tag_edge: [110, 118, 136, 56],
    label_text: [28, 31, 38, 255],
    hover_outline: [15, 17, 23, 255],
    selection_outline: [204, 112, 0, 255],
    focus_outline: [24, 96, 214, 255],
};

impl Theme {
    /// Both themes, dark first.
    pub const ALL: [Theme; 2] = [Theme::Dark, Theme::Light];

    /// The theme's colours.
    pub fn colours(self) -> &'static ThemeColours {
        match self {
            Theme::Dark => &DARK,
            Theme::Light => &LIGHT,
        }
    }

    /// 0 for dark, 1 for light: where a theme's entry is in a pair (dark first).
    pub fn index(self) -> usize {
        match self {
            Theme::Dark => 0,
            Theme::Light => 1,
        }
    }

    /// `"dark"` or `"light"`, as in file names (`frame-3d-dark.png`) and the `theme` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Theme {
    type Err = String;

    /// Parses `"dark"` or `"light"` (exactly, lower case).
    fn from_str(s: &str) -> Result<Theme, String> {
        match s {
            "dark" => Ok(Theme::Dark),
            "light" => Ok(Theme::Light),
            _ => Err(format!(
                "theme: {} is not \"dark\" or \"light\"",
                crate::error::quote(s)
            )),
        }
    }
}

/// The palette colour of a tag: FNV-1a 64 of its UTF-8 bytes, modulo the palette size.
pub fn tag_colour(tag: &str) -> Rgba8 {
    PALETTE[(fnv1a(tag.as_bytes()).0 % PALETTE.len() as u64) as usize]
}

/// A post's colour: that of its primary (first) tag, or [`UNTAGGED`]. The same in every theme.
pub fn node_colour(post: &Post) -> Rgba8 {
    post.tags
        .first()
        .map_or(UNTAGGED, |tag| tag_colour(tag.as_str()))
}

/// A post's radius in 3D world units: [`BASE_NODE_RADIUS_WORLD`] times a weight factor
/// (`weight^(1/4)`, weight clamped to 0.25..=4 and 1 when absent) times a degree factor
/// (`1 + 0.18 * log2(1 + degree)`), clamped to
/// [`MIN_NODE_RADIUS_WORLD`]..=[`MAX_NODE_RADIUS_WORLD`].
pub fn node_radius_world(weight: Option<f64>, degree: u32) -> f32 {
    let weight = weight
        .map(|w| w as f32)
        .filter(|w| w.is_finite())
        .unwrap_or(1.0)
        .max(WEIGHT_RANGE.0)
        .min(WEIGHT_RANGE.1);
    let weight_factor = libm::powf(weight, 0.25);
    let degree_factor = 1.0 + DEGREE_GROWTH * libm::log2f(1.0 + degree as f32);
    (BASE_NODE_RADIUS_WORLD * weight_factor * degree_factor)
        .max(MIN_NODE_RADIUS_WORLD)
        .min(MAX_NODE_RADIUS_WORLD)
}

/// Post indices from the most to the least deserving of a label: by degree (descending), then
/// weight (descending, absent = 1), then index (= id order).
pub fn label_order(posts: &[Post], degrees: &[u32]) -> Vec<u32> {
    let weight = |i: u32| posts[i as usize].weight.unwrap_or(1.0);
    let degree = |i: u32| degrees.get(i as usize).copied().unwrap_or(0);
    // Two stable passes: by weight (descending), then by degree (descending).
    let mut order =
        crate::sort::indices_by_key(posts.len(), |i| !crate::sort::f64_key(weight(i as u32)));
    crate::sort::by_key(&mut order, |&i| u64::from(u32::MAX - degree(i)));
    order
}

/// For every post (in id order), its label priority if it is among the first `label_count` of
/// [`label_order`] (0 = most important, drawn first and kept when labels collide), else `None`.
pub fn label_priorities(posts: &[Post], degrees: &[u32], label_count: usize) -> Vec<Option<u32>> {
    let mut priorities = vec![None; posts.len()];
    for (priority, &index) in label_order(posts, degrees)
        .iter()
        .take(label_count)
        .enumerate()
    {
        priorities[index as usize] = Some(priority as u32);
    }
    priorities
}

/// A title as label text: control characters become spaces, runs of white space one space,
/// no leading or trailing space, and at most [`LABEL_MAX_CHARS`] characters (a cut title ends
/// with an ellipsis). Plain text: renderers must never interpret it as markup.
pub fn label_text(title: &str) -> String {
    let mut words = title
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty());
    let mut text = String::new();
    if let Some(first) = words.next() {
        text.push_str(first);
        for word in words {
            text.push(' ');
            text.push_str(word);
        }
    }
    if text.chars().count() > LABEL_MAX_CHARS {
        let cut: String = text.chars().take(LABEL_MAX_CHARS - 1).collect();
        text = format!("{}…", cut.trim_end());
    }
    text
}

/// Relative luminance (WCAG 2.2) of an sRGB colour: 0 for black, 1 for white.
pub fn luminance(colour: Rgba8) -> f32 {
    let [r, g, b, _] = linear_from_srgb(colour);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// The contrast ratio (WCAG 2.2) of two colours, 1 to 21, their alpha ignored.
pub fn contrast(a: Rgba8, b: Rgba8) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// An 8-bit sRGB colour as linear-light floats (alpha unchanged), for GPU vertex data.
pub fn linear_from_srgb(colour: Rgba8) -> [f32; 4] {
    let channel = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            libm::powf((c + 0.055) / 1.055, 2.4)
        }
    };
    [
        channel(colour[0]),
        channel(colour[1]),
        channel(colour[2]),
        f32::from(colour[3]) / 255.0,
    ]
}

// ---- Edges as the frame gets crowded ----------------------------------------------------------

/// Edges per 100,000 CSS px² of the graph's projected extent up to which edges keep the
/// theme's full alpha.
const COMFORTABLE_EDGE_DENSITY: f32 = 600.0;

/// How fast edges fade with density beyond the comfortable one.
const DENSITY_EXPONENT: f32 = 0.8;

/// The smallest alpha scale, however crowded the frame.
pub const MIN_EDGE_ALPHA_SCALE: f32 = 0.03;

/// The factor on the theme's edge alpha (the wgpu renderer's and the Canvas2D view's) for
/// `edge_count` edges of a graph inside the camera's bounding sphere, seen in `viewport`: 1 up
/// to `COMFORTABLE_EDGE_DENSITY` edges per 100,000 CSS px² of the sphere's projected disc
/// (clipped to the frame), then falling as the density to the power `DENSITY_EXPONENT`, so
/// the summed ink of overlapping edges grows only slowly (as density^0.2); never below
/// [`MIN_EDGE_ALPHA_SCALE`]. Zooming in spreads the edges and brings their alpha back. (The SVG
/// frame, drawn only where no GPU adapter exists, fades by its edges' ink instead:
/// `export::svg::edge_fade`.)
pub fn edge_alpha_scale(edge_count: usize, camera: &Camera, viewport: Viewport) -> f32 {
    let frame_area = viewport.width_css * viewport.height_css;
    let depth = -camera.view_from_world_point(camera.bounds_centre).z;
    let disc_area = if depth > 0.0 {
        let r = camera.radius_px(camera.bounds_radius, depth, viewport);
        std::f32::consts::PI * r * r
    } else {
        frame_area
    };
    let area = (disc_area.min(frame_area) / 100_000.0).max(1e-3);
    let density = edge_count as f32 / area;
    if density.is_nan() || density <= COMFORTABLE_EDGE_DENSITY {
        return 1.0;
    }
    libm::powf(COMFORTABLE_EDGE_DENSITY / density, DENSITY_EXPONENT).max(MIN_EDGE_ALPHA_SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(tags: &[&str], weight: Option<f64>) -> Post {
        Post {
            id: "p".into(),
            title: "P".into(),
            url: None,
            date: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            links: Vec::new(),
            summary: None,
            weight,
        }
    }

    #[test]
    fn colour_follows_the_primary_tag() {
        let rust = node_colour(&post(&["rust", "wasm"], None));
        assert_eq!(rust, node_colour(&post(&["rust"], Some(3.0))));
        assert_eq!(rust, tag_colour("rust"));
        assert_eq!(node_colour(&post(&[], None)), UNTAGGED);
        // Fixed expectations: a change of hash, palette or rule must be noticed.
        assert_eq!(fnv1a(b"rust").0 % 12, 7);
        assert_eq!(rust, [83, 162, 73, 255]);
        assert_eq!(tag_colour("ai"), PALETTE[(fnv1a(b"ai").0 % 12) as usize]);
    }

    #[test]
    fn palette_is_distinct_opaque_and_reads_on_both_backgrounds() {
        for (i, &a) in PALETTE.iter().enumerate() {
            assert_eq!(a[3], 255);
            for &b in &PALETTE[i + 1..] {
                let d: i32 = (0..3)
                    .map(|k| (i32::from(a[k]) - i32::from(b[k])).abs())
                    .sum();
                assert!(d >= 40, "{a:?} {b:?} too close");
            }
            for theme in Theme::ALL {
                let ratio = contrast(a, theme.colours().background);
                assert!(ratio >= MIN_NODE_CONTRAST, "{a:?} on {theme}: {ratio}");
            }
        }
        for theme in Theme::ALL {
            assert!(contrast(UNTAGGED, theme.colours().background) >= MIN_NODE_CONTRAST);
            let c = theme.colours();
            assert!(contrast(c.label_text, c.background) >= 7.0);
            assert!(
                c.link_edge[3] > c.tag_edge[3],
                "links more opaque than tags"
            );
        }
    }

    #[test]
    fn theme_names_round_trip() {
        for theme in Theme::ALL {
            assert_eq!(theme.name().parse::<Theme>(), Ok(theme));
            assert_eq!(theme.to_string(), theme.name());
        }
        assert!("Dark".parse::<Theme>().is_err());
        assert!("auto".parse::<Theme>().is_err());
    }

    #[test]
    fn radius_grows_gently_and_stays_in_range() {
        let base = node_radius_world(None, 0);
        assert_eq!(base, BASE_NODE_RADIUS_WORLD);
        assert!(node_radius_world(None, 10) > base);
        assert!(node_radius_world(Some(2.0), 0) > base);
        assert!(node_radius_world(Some(0.5), 0) < base);
        assert!(node_radius_world(None, 3) < node_radius_world(None, 30));
        for weight in [None, Some(1e-9), Some(1e9), Some(f64::NAN), Some(1.0)] {
            for degree in [0, 1, 10, 1000, u32::MAX] {
                let r = node_radius_world(weight, degree);
                assert!((MIN_NODE_RADIUS_WORLD..=MAX_NODE_RADIUS_WORLD).contains(&r));
            }
        }
    }

    #[test]
    fn labels_go_to_the_best_connected() {
        let mut posts: Vec<Post> = (0..6).map(|_| post(&[], None)).collect();
        posts[4].weight = Some(2.0);
        let degrees = [1, 5, 3, 5, 3, 0];
        // Degree first, then weight, then index.
        assert_eq!(label_order(&posts, &degrees), [1, 3, 4, 2, 0, 5]);
        assert_eq!(
            label_priorities(&posts, &degrees, 3),
            [None, Some(0), None, Some(1), Some(2), None]
        );
        assert_eq!(
            label_priorities(&posts, &degrees, 100)
                .iter()
                .flatten()
                .count(),
            6
        );
    }

    #[test]
    fn label_text_is_tidy_plain_text() {
        assert_eq!(
            label_text("  Moving\tan MVP\n to\u{7}production "),
            "Moving an MVP to production"
        );
        assert_eq!(label_text("<b>bold</b>"), "<b>bold</b>");
        let long = "word ".repeat(40);
        let text = label_text(&long);
        assert_eq!(text.chars().count(), LABEL_MAX_CHARS);
        assert!(text.ends_with("word…"), "{text}");
        assert_eq!(label_text(""), "");
    }

    #[test]
    fn edge_alpha_scale_falls_with_density_only() {
        let frame = Viewport::new(1200.0, 675.0, 1.0);
        let camera = Camera::fit(glam::Vec3::ZERO, 100.0, frame.aspect());
        assert_eq!(edge_alpha_scale(0, &camera, frame), 1.0);
        assert_eq!(edge_alpha_scale(500, &camera, frame), 1.0);
        let crowded = edge_alpha_scale(65_000, &camera, frame);
        assert!(crowded < 0.1 && crowded > MIN_EDGE_ALPHA_SCALE, "{crowded}");
        assert_eq!(
            edge_alpha_scale(100_000_000, &camera, frame),
            MIN_EDGE_ALPHA_SCALE
        );
        // The same picture at another size or dpr gets the same scale...
        let double = Viewport::new(2400.0, 1350.0, 2.0);
        let same = edge_alpha_scale(4 * 65_000, &camera, double);
        assert!((same - crowded).abs() < 1e-4, "{same} {crowded}");
        // ...and zooming in makes the edges stronger.
        let mut closer = camera;
        closer.zoom(3.0);
        assert!(edge_alpha_scale(65_000, &closer, frame) > crowded);
    }

    #[test]
    fn srgb_to_linear_endpoints() {
        assert_eq!(
            linear_from_srgb([0, 255, 0, 128]),
            [0.0, 1.0, 0.0, 128.0 / 255.0]
        );
        let mid = linear_from_srgb([188, 0, 0, 255])[0];
        assert!((mid - 0.5).abs() < 0.01, "{mid}");
    }
}
