//! The scene: what to draw, handed to every renderer (wgpu, the Canvas2D 2D view, SVG) and to
//! the picker.
//!
//! A [`Scene`] holds one [`SceneNode`] per post in id order (position, radius, colour, pick id,
//! label) and one [`SceneEdge`] per graph edge, plus the bounding sphere that cameras fit. It is
//! built once per layout, is a pure function of its inputs, and never depends on a frame size,
//! a theme or a camera: those are applied by whoever draws it (it holds both themes' colours, the
//! built-in ones or a site's: [`Scene::styled`]). Because every renderer reads the
//! same scene, the 3D view, the 2D view and the static frame show the same colours, sizes and
//! labels.

use std::fmt;
use std::str::FromStr;

use glam::Vec3;

use crate::camera::Camera;
use crate::graph::{EdgeKind, PostGraph};
use crate::layout::radial2d::RadialParams;
use crate::picking;
use crate::posts::Post;
use crate::style::{self, LABEL_GAP_PX, MAX_NODE_RADIUS_WORLD, Rgba8, Style, Theme, ThemeColours};

/// In the 2D view the largest disc's radius is this fraction of the radial layout's minimum
/// spacing, so two discs never touch (at most 0.9 of the spacing together).
pub const MAX_RADIUS_2D_PER_SPACING: f32 = 0.45;

/// Which view a scene is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The force layout, seen through a perspective orbit camera.
    ThreeD,
    /// The radial layout in the z = 0 plane, seen from the front through an orthographic camera.
    TwoD,
}

impl Mode {
    /// `"3d"` or `"2d"`, as in file names (`hits-3d.json`) and the `mode` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Mode::ThreeD => "3d",
            Mode::TwoD => "2d",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;

    /// Parses `"3d"` or `"2d"` (exactly, lower case).
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "3d" => Ok(Mode::ThreeD),
            "2d" => Ok(Mode::TwoD),
            _ => Err(format!(
                "mode: {} is not \"3d\" or \"2d\"",
                crate::error::quote(s)
            )),
        }
    }
}

/// How a scene is built. `Default` is what every renderer uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SceneOptions {
    /// How many posts get a label ([`style::DEFAULT_LABEL_COUNT`]).
    pub label_count: usize,
    /// Multiplies every post's radius (1). In 2D the radius still never exceeds
    /// [`MAX_RADIUS_2D_PER_SPACING`] of the spacing.
    pub radius_scale: f32,
    /// The radial layout's minimum spacing between posts (its default, 1.0); 2D radii are scaled
    /// to it.
    pub min_spacing_2d: f32,
}

impl Default for SceneOptions {
    fn default() -> Self {
        SceneOptions {
            label_count: style::DEFAULT_LABEL_COUNT,
            radius_scale: 1.0,
            min_spacing_2d: RadialParams::default().min_spacing,
        }
    }
}

/// A post's label. The DOM overlay places it, never the GPU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The post's title as plain text ([`style::label_text`]); never markup.
    pub text: String,
    /// 0 is the most important; when labels collide the lower number is kept.
    pub priority: u32,
}

impl Label {
    /// Where the label goes for a post drawn at (`x_px`, `y_px`) with radius `r_px` (CSS px):
    /// [`LABEL_GAP_PX`] right of the disc, the text left-aligned and vertically centred there.
    pub fn anchor_px(x_px: f32, y_px: f32, r_px: f32) -> [f32; 2] {
        [x_px + r_px + LABEL_GAP_PX, y_px]
    }

    /// Where a label `width_px` wide goes when it does not fit right of the disc: mirrored to
    /// the left, its text ending [`LABEL_GAP_PX`] left of the disc (the left end of the text,
    /// left-aligned, vertically centred, as [`Label::anchor_px`]).
    pub fn left_anchor_px(x_px: f32, y_px: f32, r_px: f32, width_px: f32) -> [f32; 2] {
        [x_px - r_px - LABEL_GAP_PX - width_px, y_px]
    }
}

/// One post, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneNode {
    /// The post's index in id order.
    pub index: u32,
    /// The id the pick pass writes for it ([`picking::encode`] of `index`; 0 is nothing).
    pub pick_id: u32,
    /// Centre in world units (z = 0 in 2D).
    pub position: [f32; 3],
    /// Radius in world units.
    pub radius: f32,
    /// Palette colour (sRGB, opaque), the same in every theme and renderer.
    pub colour: Rgba8,
    /// The label, for the top posts only.
    pub label: Option<Label>,
    /// Left out by the view's filter (docs/DESIGN.md, "Search and filter"): the live renderers
    /// draw it at [`style::DIMMED_ALPHA`], and an edge between two dimmed posts likewise. It
    /// stays where it is and stays pickable. Prerendered frames are never filtered.
    pub dimmed: bool,
}

/// One edge between two posts (by index in id order). Edges are drawn, never picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SceneEdge {
    /// Source post.
    pub a: u32,
    /// Target post.
    pub b: u32,
    /// Link or tag (they are drawn in different colours).
    pub kind: EdgeKind,
}

/// Everything a renderer needs to draw the posts' graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// 3D or 2D.
    pub mode: Mode,
    /// One per post, in id order (`nodes[i].index == i`).
    pub nodes: Vec<SceneNode>,
    /// The graph's edges in its order (kind, source, target).
    pub edges: Vec<SceneEdge>,
    /// Centre of the bounding box of the post centres (world).
    pub bounds_centre: Vec3,
    /// Largest distance from `bounds_centre` to a post's centre plus that post's radius: every
    /// disc lies within this sphere. 1 for an empty scene.
    pub bounds_radius: f32,
    /// The post a local graph is centred on (docs/DESIGN.md, "Local graph"): the bounds are
    /// taken round it, so the first frame has it in the middle, and every renderer rings it.
    pub centre: Option<u32>,
    /// The colours every renderer draws round the posts, dark theme first: the built-in
    /// themes', or a site's ([`Scene::styled`]).
    pub themes: [ThemeColours; 2],
}

impl Scene {
    /// The 3D scene: posts at `positions` (one per post, id order; a [`crate::layout::Layout`]'s).
    ///
    /// # Panics
    /// When `posts`, `graph` and `positions` do not have one entry per post each.
    pub fn build_3d(
        posts: &[Post],
        graph: &PostGraph,
        positions: &[[f32; 3]],
        options: &SceneOptions,
    ) -> Scene {
        assert_eq!(positions.len(), posts.len(), "one position per post");
        let scale = sane(options.radius_scale, 1.0);
        Scene::build(Mode::ThreeD, posts, graph, positions, options, |r| {
            r * scale
        })
    }

    /// The 2D scene: posts at the radial layout's `positions` (one per post, id order) in the
    /// z = 0 plane, with the colours and size rule of 3D, radii scaled so that the largest post
    /// is [`MAX_RADIUS_2D_PER_SPACING`] of `options.min_spacing_2d`: discs never overlap.
    ///
    /// # Panics
    /// When `posts`, `graph` and `positions` do not have one entry per post each.
    pub fn build_2d(
        posts: &[Post],
        graph: &PostGraph,
        positions: &[[f32; 2]],
        options: &SceneOptions,
    ) -> Scene {
        assert_eq!(positions.len(), posts.len(), "one position per post");
        let positions: Vec<[f32; 3]> = positions.iter().map(|&[x, y]| [x, y, 0.0]).collect();
        let scale = sane(options.radius_scale, 1.0);
        let largest = MAX_RADIUS_2D_PER_SPACING * sane(options.min_spacing_2d, 1.0);
        let to_2d = largest / MAX_NODE_RADIUS_WORLD;
        Scene::build(Mode::TwoD, posts, graph, &positions, options, |r| {
            (r * scale * to_2d).min(largest)
        })
    }

    fn build(
        mode: Mode,
        posts: &[Post],
        graph: &PostGraph,
        positions: &[[f32; 3]],
        options: &SceneOptions,
        radius_from_world: impl Fn(f32) -> f32,
    ) -> Scene {
        assert_eq!(graph.node_count(), posts.len(), "graph of these posts");
        let degrees = graph.degrees();
        let priorities = style::label_priorities(posts, &degrees, options.label_count);
        let nodes: Vec<SceneNode> = posts
            .iter()
            .zip(positions)
            .enumerate()
            .map(|(i, (post, &position))| SceneNode {
                index: i as u32,
                pick_id: picking::encode(i as u32),
                position,
                radius: radius_from_world(style::node_radius_world(post.weight, degrees[i])),
                colour: style::node_colour(post),
                label: priorities[i].map(|priority| Label {
                    text: style::label_text(&post.title),
                    priority,
                }),
                dimmed: false,
            })
            .collect();
        let edges = graph
            .edges
            .iter()
            .map(|e| SceneEdge {
                a: e.source,
                b: e.target,
                kind: e.kind,
            })
            .collect();
        let (bounds_centre, bounds_radius) = bounds(&nodes);
        Scene {
            mode,
            nodes,
            edges,
            bounds_centre,
            bounds_radius,
            centre: None,
            themes: [*Theme::Dark.colours(), *Theme::Light.colours()],
        }
    }

    /// This scene in a site's colours ([`Style`]): every post takes its colour from `style`
    /// (`posts` are the scene's), and the themes are the style's.
    ///
    /// # Panics
    /// When `posts` are not one per post of the scene.
    pub fn styled(mut self, posts: &[Post], style: &Style) -> Scene {
        assert_eq!(posts.len(), self.nodes.len(), "the scene's posts");
        for (node, post) in self.nodes.iter_mut().zip(posts) {
            node.colour = style.node_colour(post);
        }
        self.themes = style.themes();
        self
    }

    /// The colours of `theme` round the posts (background, edges, labels, outlines).
    pub fn colours(&self, theme: Theme) -> &ThemeColours {
        &self.themes[theme.index()]
    }

    /// Dims the posts `keep` leaves out (`keep[i]` false; missing entries count as kept) and
    /// undims the rest; returns how many are kept.
    pub fn dim_except(&mut self, keep: &[bool]) -> usize {
        let mut kept = 0;
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.dimmed = !keep.get(i).copied().unwrap_or(true);
            kept += usize::from(!node.dimmed);
        }
        kept
    }

    /// Whether an edge between posts `a` and `b` is drawn faded: both ends are dimmed.
    pub fn edge_faded(&self, a: u32, b: u32) -> bool {
        let dimmed = |i: u32| self.nodes.get(i as usize).is_some_and(|n| n.dimmed);
        dimmed(a) && dimmed(b)
    }

    /// This scene centred on post `index` (ignored when out of range or not at a finite point):
    /// the bounds become the sphere round its centre that holds every disc, so
    /// [`Scene::fit_camera`] puts it in the middle of the frame, and it is marked
    /// ([`Scene::centre`]) for the renderers' ring.
    pub fn centred_on(mut self, index: u32) -> Scene {
        let Some(node) = self.nodes.get(index as usize) else {
            return self;
        };
        let centre = Vec3::from_array(node.position);
        if !centre.is_finite() {
            return self;
        }
        let radius = self
            .nodes
            .iter()
            .filter(|n| Vec3::from_array(n.position).is_finite())
            .map(|n| Vec3::from_array(n.position).distance(centre) + n.radius)
            .fold(0.0f32, f32::max);
        self.bounds_centre = centre;
        self.bounds_radius = if radius > 0.0 { radius } else { 1.0 };
        self.centre = Some(index);
        self
    }

    /// The camera that frames this scene in a frame of the given width/height `aspect`:
    /// [`Camera::fit`] in 3D, [`Camera::fit_2d`] in 2D.
    pub fn fit_camera(&self, aspect: f32) -> Camera {
        match self.mode {
            Mode::ThreeD => Camera::fit(self.bounds_centre, self.bounds_radius, aspect),
            Mode::TwoD => Camera::fit_2d(self.bounds_centre, self.bounds_radius, aspect),
        }
    }
}

/// The bounding sphere: centre of the bounding box of the (finite) centres, radius the largest
/// centre distance plus node radius.
fn bounds(nodes: &[SceneNode]) -> (Vec3, f32) {
    let finite = || {
        nodes
            .iter()
            .map(|n| Vec3::from_array(n.position))
            .filter(|p| p.is_finite())
    };
    let Some(first) = finite().next() else {
        return (Vec3::ZERO, 1.0);
    };
    let (min, max) = finite().fold((first, first), |(lo, hi), p| (lo.min(p), hi.max(p)));
    let centre = (min + max) * 0.5;
    let radius = nodes
        .iter()
        .filter(|n| Vec3::from_array(n.position).is_finite())
        .map(|n| Vec3::from_array(n.position).distance(centre) + n.radius)
        .fold(0.0f32, f32::max);
    (centre, if radius > 0.0 { radius } else { 1.0 })
}

fn sane(value: f32, fallback: f32) -> f32 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: &str, tags: &[&str], links: &[&str]) -> Post {
        Post {
            id: id.into(),
            title: format!("Title of {id}"),
            url: None,
            date: None,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            links: links.iter().map(|s| s.to_string()).collect(),
            summary: None,
            weight: None,
        }
    }

    fn posts() -> Vec<Post> {
        vec![
            post("a", &["rust"], &["b", "c"]),
            post("b", &["rust"], &[]),
            post("c", &[], &["a"]),
        ]
    }

    #[test]
    fn nodes_in_id_order_with_pick_ids_colours_and_labels() {
        let posts = posts();
        let graph = PostGraph::build(&posts);
        let positions = [[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.0, 4.0, -2.0]];
        let options = SceneOptions {
            label_count: 2,
            ..SceneOptions::default()
        };
        let scene = Scene::build_3d(&posts, &graph, &positions, &options);
        assert_eq!(scene.mode, Mode::ThreeD);
        assert_eq!(scene.nodes.len(), 3);
        for (i, node) in scene.nodes.iter().enumerate() {
            assert_eq!(node.index, i as u32);
            assert_eq!(picking::decode(node.pick_id), Some(i as u32));
            assert_eq!(node.position, positions[i]);
            assert_eq!(node.colour, style::node_colour(&posts[i]));
        }
        // Degrees: a 4 (two links out, one in, the tag edge to b), b 2, c 2: a first, then b.
        let labelled: Vec<_> = scene.nodes.iter().map(|n| n.label.clone()).collect();
        assert_eq!(labelled[0].as_ref().map(|l| l.priority), Some(0));
        assert_eq!(
            labelled[0].as_ref().map(|l| l.text.as_str()),
            Some("Title of a")
        );
        assert_eq!(labelled.iter().flatten().count(), 2);
        assert_eq!(scene.edges.len(), graph.edges.len());
        assert!(
            scene
                .edges
                .iter()
                .any(|e| e.kind == EdgeKind::Tag && (e.a, e.b) == (0, 1))
        );
    }

    #[test]
    fn bounds_enclose_every_disc() {
        let posts = posts();
        let graph = PostGraph::build(&posts);
        let positions = [[-5.0, 1.0, 0.0], [15.0, 3.0, 2.0], [0.0, 9.0, -8.0]];
        let scene = Scene::build_3d(&posts, &graph, &positions, &SceneOptions::default());
        assert_eq!(scene.bounds_centre, Vec3::new(5.0, 5.0, -3.0));
        for node in &scene.nodes {
            let d = Vec3::from_array(node.position).distance(scene.bounds_centre);
            assert!(d + node.radius <= scene.bounds_radius + 1e-5);
        }
        let again = Scene::build_3d(&posts, &graph, &positions, &SceneOptions::default());
        assert_eq!(scene, again);
    }

    #[test]
    fn two_d_scene_is_flat_and_small() {
        let posts = posts();
        let graph = PostGraph::build(&posts);
        let positions = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        let options = SceneOptions {
            radius_scale: 100.0,
            ..SceneOptions::default()
        };
        for options in [SceneOptions::default(), options] {
            let scene = Scene::build_2d(&posts, &graph, &positions, &options);
            assert_eq!(scene.mode, Mode::TwoD);
            for node in &scene.nodes {
                assert_eq!(node.position[2], 0.0);
                assert!(node.radius > 0.0 && node.radius <= MAX_RADIUS_2D_PER_SPACING);
            }
        }
    }

    #[test]
    fn empty_scene() {
        let scene = Scene::build_3d(&[], &PostGraph::build(&[]), &[], &SceneOptions::default());
        assert!(scene.nodes.is_empty());
        assert_eq!(
            (scene.bounds_centre, scene.bounds_radius),
            (Vec3::ZERO, 1.0)
        );
        let camera = scene.fit_camera(1.5);
        assert!(camera.distance.is_finite() && camera.distance > 0.0);
    }

    #[test]
    fn mode_names_round_trip() {
        for mode in [Mode::ThreeD, Mode::TwoD] {
            assert_eq!(mode.name().parse::<Mode>(), Ok(mode));
        }
        assert!("3D".parse::<Mode>().is_err());
    }

    #[test]
    fn label_anchor_sits_right_of_the_disc() {
        assert_eq!(
            Label::anchor_px(10.0, 20.0, 5.0),
            [10.0 + 5.0 + LABEL_GAP_PX, 20.0]
        );
    }
}
