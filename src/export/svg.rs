//! The frame as SVG: the same [`Scene`] the GPU draws, drawn on the CPU, for build machines
//! with no GPU adapter (`frame-{mode}-{theme}.svg`).
//!
//! It follows the GPU renderer's look: the theme's background, then every edge as a line
//! between post centres (tag edges under link edges, in the theme's edge colours and
//! [`crate::style`]'s widths, faded by [`edge_fade`] where they are dense), then the posts far
//! to near (depth descending, ties drawn so that the smaller index ends on top, as the picker
//! decides), each as a disc shaded like a lit sphere by a radial
//! gradient whose centre stop is exactly the palette colour (docs/DESIGN.md: the centre pixel of
//! every visible post is its palette colour within +-8 per channel in every renderer) and which
//! darkens towards the rim. One gradient per colour, shared.
//!
//! Positions and radii come from [`ScreenProjection`], so the SVG, `hits-{mode}.json` and the
//! embed overlay agree to the rounding of their numbers (2 decimals). No text: labels are an
//! HTML overlay (docs/DESIGN.md), and no user string reaches this file at all.

use std::collections::HashMap;

use crate::camera::{Camera, Viewport};
use crate::export::escape::push_attr;
use crate::export::push_num;
use crate::graph::EdgeKind;
use crate::picking::{ProjectedNode, ScreenProjection};
use crate::scene::Scene;
pub(crate) use crate::style::hex;
use crate::style::{LINK_EDGE_WIDTH_PX, Rgba8, TAG_EDGE_WIDTH_PX, Theme};

/// Brightness of a post's rim relative to its centre (the palette colour).
pub const RIM_BRIGHTNESS: f32 = 0.7;

/// Edges are faded so that their ink (length x width x opacity, summed) covers at most this
/// share of the area the posts span: a few dozen edges keep the theme's opacity, a thousand
/// posts' edges become a faint web instead of a grey haze.
pub const EDGE_INK_TARGET: f32 = 0.2;

/// Edges are never faded below this fraction of the theme's opacity.
pub const MIN_EDGE_FADE: f32 = 0.02;

/// Gradient stops, as fractions of the radius. A lit sphere seen from the light is nearly flat
/// in the middle and falls off towards the rim; linear interpolation between these stops
/// follows that within 1.5% of the centre colour over the inner 30% of the radius.
pub const STOP_OFFSETS: [f32; 6] = [0.0, 0.3, 0.6, 0.8, 0.93, 1.0];

/// Decimal places of coordinates in the file.
const DECIMALS: u32 = 2;

/// The frame seen by `camera` in `viewport` as a standalone SVG document of
/// `width_css` x `height_css` user units (CSS px).
pub fn scene_svg(scene: &Scene, camera: &Camera, viewport: Viewport, theme: Theme) -> String {
    let projection = ScreenProjection::new(scene, camera, viewport);
    svg_from_projection(scene, &projection, theme)
}

/// [`scene_svg`] from a projection already made (the one `hits-{mode}.json` and embed.html come
/// from), so that every output of a run uses the same numbers.
///
/// # Panics
/// When `projection` is not of `scene` (one projected node per scene node).
pub fn svg_from_projection(scene: &Scene, projection: &ScreenProjection, theme: Theme) -> String {
    write_svg(scene, projection, theme, None)
}

/// The frame as an `<svg>` to put inline in an HTML fragment, as a local graph's embed
/// fragment holds its frames (docs/DESIGN.md, "Local graph"): the dark theme's colours as
/// presentation attributes on classed elements (`logmesh-bg`, `logmesh-tag`, `logmesh-link`),
/// which `logmesh.css` turns light under `prefers-color-scheme: light` (the posts' colours are
/// the same in both themes, and so are the edges' opacities); the root is
/// `<svg class="logmesh-frame" data-mode="3d|2d">`, and gradient ids start with `id_prefix`
/// (several frames share one document's ids).
pub fn inline_svg(scene: &Scene, projection: &ScreenProjection, id_prefix: &str) -> String {
    write_svg(scene, projection, Theme::Dark, Some(id_prefix))
}

fn write_svg(
    scene: &Scene,
    projection: &ScreenProjection,
    theme: Theme,
    inline: Option<&str>,
) -> String {
    let nodes = projection.nodes();
    assert_eq!(nodes.len(), scene.nodes.len(), "projection of this scene");
    let viewport = projection.viewport();
    let (width, height) = (viewport.width_css, viewport.height_css);
    let colours = scene.colours(theme);
    let fade = edge_fade(scene, projection, theme);

    let mut out = String::with_capacity(256 + scene.edges.len() * 36 + scene.nodes.len() * 56);
    let class = |out: &mut String, name: &str| {
        if inline.is_some() {
            out.push_str(r#" class=""#);
            out.push_str(name);
            out.push('"');
        }
    };
    match inline {
        Some(_) => {
            out.push_str(r#"<svg class="logmesh-frame" data-mode=""#);
            out.push_str(scene.mode.name());
            out.push_str(r#"" width=""#);
        }
        None => out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" width=""#),
    }
    push_num(&mut out, width, DECIMALS);
    out.push_str(r#"" height=""#);
    push_num(&mut out, height, DECIMALS);
    out.push_str(r#"" viewBox="0 0 "#);
    push_num(&mut out, width, DECIMALS);
    out.push(' ');
    push_num(&mut out, height, DECIMALS);
    out.push_str(r#"" role="img" aria-label="Graph of "#);
    out.push_str(&crate::export::count_posts(scene.nodes.len()));
    out.push_str("\">\n");

    // Posts to draw, far to near; among equal depths the smaller index last (on top).
    let order = far_to_near(nodes, |node| {
        node.drawn && disc_in_frame(node, width, height)
    });

    // One gradient per colour, numbered in drawing order (3D and 2D alike).
    let mut gradients: HashMap<Rgba8, usize> = HashMap::new();
    let mut gradient_colours: Vec<Rgba8> = Vec::new();
    for &i in &order {
        let colour = scene.nodes[i].colour;
        gradients.entry(colour).or_insert_with(|| {
            gradient_colours.push(colour);
            gradient_colours.len() - 1
        });
    }
    if !gradient_colours.is_empty() {
        out.push_str("<defs>\n");
        for (n, &colour) in gradient_colours.iter().enumerate() {
            out.push_str(r#"<radialGradient id=""#);
            push_attr(&mut out, &gradient_id(inline, n));
            out.push_str("\">");
            for offset in STOP_OFFSETS {
                out.push_str(r#"<stop offset=""#);
                push_num(&mut out, offset, 2);
                out.push_str(r#"" stop-color=""#);
                out.push_str(&hex(sphere_shade(colour, offset)));
                out.push_str("\"/>");
            }
            out.push_str("</radialGradient>\n");
        }
        out.push_str("</defs>\n");
    }

    out.push_str("<rect");
    class(&mut out, "logmesh-bg");
    out.push_str(r#" width="100%" height="100%" fill=""#);
    out.push_str(&hex(colours.background));
    out.push_str("\"/>\n");

    for (kind, colour, width_px, name) in [
        (
            EdgeKind::Tag,
            colours.tag_edge,
            TAG_EDGE_WIDTH_PX,
            "logmesh-tag",
        ),
        (
            EdgeKind::Link,
            colours.link_edge,
            LINK_EDGE_WIDTH_PX,
            "logmesh-link",
        ),
    ] {
        let mut group = String::new();
        for edge in scene.edges.iter().filter(|e| e.kind == kind) {
            let (Some(a), Some(b)) = (nodes.get(edge.a as usize), nodes.get(edge.b as usize))
            else {
                continue;
            };
            if !a.drawn || !b.drawn || !segment_near_frame(a, b, width, height) {
                continue;
            }
            group.push_str("<path d=\"M");
            push_num(&mut group, a.x_px, DECIMALS);
            group.push(' ');
            push_num(&mut group, a.y_px, DECIMALS);
            group.push('L');
            push_num(&mut group, b.x_px, DECIMALS);
            group.push(' ');
            push_num(&mut group, b.y_px, DECIMALS);
            group.push_str("\"/>\n");
        }
        if group.is_empty() {
            continue;
        }
        out.push_str("<g");
        class(&mut out, name);
        out.push_str(r#" fill="none" stroke=""#);
        out.push_str(&hex(colour));
        out.push_str(r#"" stroke-opacity=""#);
        push_num(&mut out, f32::from(colour[3]) / 255.0 * fade, 3);
        out.push_str(r#"" stroke-width=""#);
        push_num(&mut out, width_px, DECIMALS);
        out.push_str(r#"" stroke-linecap="round">"#);
        out.push('\n');
        out.push_str(&group);
        out.push_str("</g>\n");
    }

    if !order.is_empty() {
        out.push_str("<g>\n");
        for &i in &order {
            let node = &nodes[i];
            out.push_str(r#"<circle cx=""#);
            push_num(&mut out, node.x_px, DECIMALS);
            out.push_str(r#"" cy=""#);
            push_num(&mut out, node.y_px, DECIMALS);
            out.push_str(r#"" r=""#);
            push_num(&mut out, node.r_px, DECIMALS);
            out.push_str(r#"" fill="url(#"#);
            push_attr(
                &mut out,
                &gradient_id(inline, gradients[&scene.nodes[i].colour]),
            );
            out.push_str(")\"/>\n");
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// The factor (in [`MIN_EDGE_FADE`]..=1) applied to the theme's edge opacities in this frame:
/// 1 unless the edges' ink would cover more than [`EDGE_INK_TARGET`] of the bounding box of
/// the drawn post centres (clipped to the frame, and at least a sixteenth of it). A pure
/// function of the projected frame, so any renderer can apply the same fade.
///
/// # Panics
/// When `projection` is not of `scene`.
pub fn edge_fade(scene: &Scene, projection: &ScreenProjection, theme: Theme) -> f32 {
    let nodes = projection.nodes();
    assert_eq!(nodes.len(), scene.nodes.len(), "projection of this scene");
    let viewport = projection.viewport();
    let (width, height) = (viewport.width_css, viewport.height_css);
    let colours = scene.colours(theme);
    let mut ink = 0.0f64;
    for edge in &scene.edges {
        let (Some(a), Some(b)) = (nodes.get(edge.a as usize), nodes.get(edge.b as usize)) else {
            continue;
        };
        if !a.drawn || !b.drawn || !segment_near_frame(a, b, width, height) {
            continue;
        }
        let (colour, width_px) = match edge.kind {
            EdgeKind::Link => (colours.link_edge, LINK_EDGE_WIDTH_PX),
            EdgeKind::Tag => (colours.tag_edge, TAG_EDGE_WIDTH_PX),
        };
        let length = f64::from((a.x_px - b.x_px).hypot(a.y_px - b.y_px));
        ink += length * f64::from(width_px) * f64::from(colour[3]) / 255.0;
    }
    let mut span: Option<[f32; 4]> = None;
    for node in nodes.iter().filter(|n| n.drawn) {
        let (x, y) = (
            node.x_px.max(0.0).min(width),
            node.y_px.max(0.0).min(height),
        );
        let s = span.get_or_insert([x, y, x, y]);
        *s = [s[0].min(x), s[1].min(y), s[2].max(x), s[3].max(y)];
    }
    let Some([x0, y0, x1, y1]) = span else {
        return 1.0;
    };
    let area = f64::from((x1 - x0) * (y1 - y0)).max(f64::from(width * height) / 16.0);
    let density = ink / area;
    if density.is_nan() || density <= f64::from(EDGE_INK_TARGET) {
        return 1.0;
    }
    ((f64::from(EDGE_INK_TARGET) / density) as f32)
        .max(MIN_EDGE_FADE)
        .min(1.0)
}

/// The shade of a post of palette `colour` at `t` (0 centre, 1 rim) of its radius: the centre
/// is exactly `colour`; brightness falls like the light on a sphere facing the viewer,
/// `RIM + (1 - RIM) * sqrt(1 - t^2)`, to [`RIM_BRIGHTNESS`] at the rim. Alpha is kept.
pub fn sphere_shade(colour: Rgba8, t: f32) -> Rgba8 {
    let t = t.max(0.0).min(1.0);
    let brightness = RIM_BRIGHTNESS + (1.0 - RIM_BRIGHTNESS) * (1.0 - t * t).sqrt();
    let scale = |c: u8| (f32::from(c) * brightness).round().max(0.0).min(255.0) as u8;
    [
        scale(colour[0]),
        scale(colour[1]),
        scale(colour[2]),
        colour[3],
    ]
}

/// The indices of the projected posts that `keep` keeps, in drawing order: far to near (depth
/// descending), and among equal depths the larger index first, so that the smaller one ends on
/// top, as the picker decides. Through the crate's one sort ([`crate::sort`]).
pub(crate) fn far_to_near(
    nodes: &[ProjectedNode],
    keep: impl Fn(&ProjectedNode) -> bool,
) -> Vec<usize> {
    let mut order: Vec<u32> = (0..nodes.len() as u32)
        .filter(|&i| keep(&nodes[i as usize]))
        .collect();
    crate::sort::by_key(&mut order, |&i| {
        u64::from(!crate::sort::f32_key(nodes[i as usize].depth)) << 32 | u64::from(!i)
    });
    order.into_iter().map(|i| i as usize).collect()
}

/// The id of the `n`-th gradient (`g{n}`, after the inline frame's prefix).
fn gradient_id(inline: Option<&str>, n: usize) -> String {
    format!("{}g{n}", inline.unwrap_or(""))
}

/// Whether any of the disc can be in the frame.
fn disc_in_frame(node: &ProjectedNode, width: f32, height: f32) -> bool {
    node.x_px + node.r_px >= 0.0
        && node.x_px - node.r_px <= width
        && node.y_px + node.r_px >= 0.0
        && node.y_px - node.r_px <= height
}

/// Whether the segment's bounding box meets the frame (a cheap, conservative cull).
fn segment_near_frame(a: &ProjectedNode, b: &ProjectedNode, width: f32, height: f32) -> bool {
    a.x_px.max(b.x_px) >= 0.0
        && a.x_px.min(b.x_px) <= width
        && a.y_px.max(b.y_px) >= 0.0
        && a.y_px.min(b.y_px) <= height
}

/// An SVG frame rasterised on the CPU (resvg) at the viewport's device size (the SVG is in CSS
/// px, so it is scaled by dpr), opaque RGBA: what `prerender` encodes the WebP frames from when
/// there is no GPU adapter. `tests/png_vs_svg.rs` holds this raster within docs/DESIGN.md's
/// tolerance of the PNG.
#[cfg(feature = "raster")]
pub fn rasterise(svg: &str, viewport: Viewport) -> Result<crate::raster::RgbaImage, String> {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).map_err(|e| e.to_string())?;
    let (width, height) = (viewport.width_device(), viewport.height_device());
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("{width} x {height} px is not a frame size"))?;
    let transform = tiny_skia::Transform::from_scale(viewport.dpr, viewport.dpr);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let pixels = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Ok(crate::raster::RgbaImage {
        width,
        height,
        pixels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shade_keeps_the_centre_and_darkens_the_rim() {
        let colour = [59, 130, 196, 255];
        assert_eq!(sphere_shade(colour, 0.0), colour);
        assert_eq!(sphere_shade(colour, 1.0), [41, 91, 137, 255]);
        let mut last = colour;
        for offset in STOP_OFFSETS {
            let shade = sphere_shade(colour, offset);
            assert!((0..3).all(|k| shade[k] <= last[k]));
            last = shade;
        }
        // Within 8 levels of the centre colour over the inner 30% (the centre pixel of a disc of
        // radius >= 3 px is at most 0.71 px = 24% of the radius from the exact centre).
        let inner = sphere_shade([255, 255, 255, 255], STOP_OFFSETS[1]);
        assert!(inner.iter().all(|&c| c >= 255 - 8), "{inner:?}");
    }

    #[test]
    fn hex_colours() {
        assert_eq!(hex([15, 17, 23, 255]), "#0f1117");
        assert_eq!(hex([255, 0, 128, 7]), "#ff0080");
    }
}
