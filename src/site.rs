//! A loaded site and the one recipe for its first frame: which scene each view draws and the
//! camera that frames it.
//!
//! "The static frame is the live frame" (docs/DESIGN.md) holds because `logmesh prerender`, the
//! browser, the tests, the benches and the examples all build a first frame through these
//! functions, never through their own copy of the chain:
//!
//! ```text
//! posts + graph + 3D positions --scene_3d--> Scene ----------------------------------------┐
//!                  the 3D first frame at DEFAULT_FRAME --radial layout, labels--scene_2d--> Scene ┴
//!     --first_camera(viewport)--> Camera --> ScreenProjection (FirstFrame)
//! ```
//!
//! - [`scene_3d`] and [`scene_2d`] fix the scene options (the defaults) and, for 2D, the layout
//!   and the labels: the 2D view is the 3D first frame drawn flat. [`scene_2d`] projects the 3D
//!   scene through its [`first_camera`] at [`DEFAULT_FRAME`] and gives the radial layout
//!   ([`radial2d`]) those centres, so every post keeps the direction it has in the 3D first
//!   frame; only the posts labelled in that frame ([`FirstFrame::labelled`]) keep their labels,
//!   with their priorities. Both need the 3D positions: [`scene`] has no scene until they
//!   exist, as in the browser, where they may arrive later than the posts.
//! - [`first_camera`] is the camera of the first frame at a viewport: the scene's fit to the
//!   viewport's aspect ratio alone, so a static frame and a live one of another size show the
//!   same picture, only scaled. The live view calls it on every resize until the visitor moves
//!   the camera.
//! - [`FirstFrame`] is a scene with that camera and every post projected (for picking, the
//!   hits file, the SVG frame and embed.html's overlay); [`Site::first_frame`] makes it for a
//!   loaded [`Site`].
//!
//! Pure core: no GPU, no browser, no clock, no file system.

use crate::camera::{Camera, Viewport};
use crate::export::labels::{LABEL_FONT_PX, place_labels};
use crate::graph::PostGraph;
use crate::hash::Hash64;
use crate::layout::radial2d::{self, RadialParams};
use crate::layout::{ForceParams, Layout};
use crate::local::{self, HubRule, Neighbours};
use crate::picking::{Hits, ScreenProjection};
use crate::posts::Post;
use crate::scene::{Mode, Scene, SceneOptions};
use crate::style::Style;

/// A loaded site: its valid posts (id order), their graph and their 3D layout.
#[derive(Debug, Clone)]
pub struct Site {
    /// The posts, in id order.
    pub posts: Vec<Post>,
    /// Their link and tag edges.
    pub graph: PostGraph,
    /// One 3D position per post, in id order, with the hashes that identify it.
    pub layout: Layout,
    /// The post a local graph is centred on ([`Site::local`]), if this is one.
    pub centre: Option<u32>,
    /// The site's colours and label font (the built-in look unless the site has its own).
    pub style: Style,
}

impl Site {
    /// The site of `posts` (id order, as [`crate::posts::parse`] gives them) laid out afresh
    /// with `params`. To reuse a layout file, build the graph and call
    /// [`Layout::resolve`] instead, then assemble the fields.
    pub fn laid_out(posts: Vec<Post>, params: &ForceParams) -> Site {
        let graph = PostGraph::build(&posts);
        let layout = Layout::compute(&graph, params);
        Site {
            posts,
            graph,
            layout,
            centre: None,
            style: Style::default(),
        }
    }

    /// The local graph of post `centre` (an index) to `depth` ([`crate::local`]): the posts
    /// [`local::cut`] keeps under `rule` (at most [`local::MAX_LOCAL_POSTS`]), centred on
    /// `centre`.
    /// `None` for an index out of range.
    pub fn local(&self, centre: u32, depth: u8, rule: &HubRule) -> Option<Site> {
        self.local_with(&Neighbours::new(&self.graph, rule), centre, depth)
    }

    /// [`Site::local`] with the neighbours computed once (prerender asks for every post's).
    pub fn local_with(&self, neighbours: &Neighbours, centre: u32, depth: u8) -> Option<Site> {
        if centre as usize >= self.posts.len() {
            return None;
        }
        let (posts, graph, layout, centre) =
            local::cut(&self.posts, &self.layout, neighbours, centre, depth);
        Some(Site {
            posts,
            graph,
            layout,
            centre: Some(centre),
            style: self.style.clone(),
        })
    }

    /// The scene of `mode`: [`scene_3d`] or [`scene_2d`] at the layout's positions, centred
    /// on [`Site::centre`] if any, in [`Site::style`]'s colours.
    pub fn scene(&self, mode: Mode) -> Scene {
        scene(
            &self.posts,
            &self.graph,
            mode,
            Some(&self.layout.positions),
            self.centre,
            &self.style,
        )
        .expect("a laid-out site has positions")
    }

    /// The first frame of `mode` in `viewport`: [`Site::scene`] through [`FirstFrame::new`].
    pub fn first_frame(&self, mode: Mode, viewport: Viewport) -> FirstFrame {
        FirstFrame::new(self.scene(mode), viewport)
    }
}

/// The 3D scene: the posts at `positions` (one per post, id order: a [`Layout`]'s), with the
/// default [`SceneOptions`].
///
/// # Panics
/// When `posts`, `graph` and `positions` do not have one entry per post each.
pub fn scene_3d(posts: &[Post], graph: &PostGraph, positions: &[[f32; 3]]) -> Scene {
    Scene::build_3d(posts, graph, positions, &SceneOptions::default())
}

/// [`scene_3d`] centred on post `centre` when given ([`Scene::centred_on`]): a local graph's.
///
/// # Panics
/// As [`scene_3d`].
pub fn scene_3d_round(
    posts: &[Post],
    graph: &PostGraph,
    positions: &[[f32; 3]],
    centre: Option<u32>,
) -> Scene {
    let scene = scene_3d(posts, graph, positions);
    match centre {
        Some(c) => scene.centred_on(c),
        None => scene,
    }
}

/// The frame the 2D view is taken from: the 3D first frame at `logmesh prerender`'s default
/// size, 1200 x 675 CSS px (docs/DESIGN.md, "Coordinates and frames"). Only its aspect matters
/// to the directions, and its size to which labels fit.
pub const DEFAULT_FRAME: Viewport = Viewport {
    width_css: 1200.0,
    height_css: 675.0,
    dpr: 1.0,
};

/// How many posts the 2D layout gives room round ([`radial2d`]'s rule 4): enough that a
/// 1,000-post site's phone frame has at least 30 posts a thumb can tell apart at the first zoom
/// (no other centre within 10 CSS px), few enough that the rest stay readable.
pub const ROOMY_POSTS: usize = 40;

/// The posts the 2D layout gives room: the 3D first frame's labelled posts, then the largest
/// drawn posts (ties by id order), [`ROOMY_POSTS`] in all.
fn roomy(frame_3d: &FirstFrame, labelled: &[bool]) -> Vec<bool> {
    let mut roomy = labelled.to_vec();
    let nodes = frame_3d.scene.nodes.as_slice();
    let drawn = frame_3d.projection.nodes();
    let mut count = roomy.iter().filter(|&&r| r).count();
    let by_size = crate::sort::indices_by_key(nodes.len(), |i| {
        !crate::sort::f64_key(f64::from(nodes[i].radius))
    });
    for i in by_size {
        if count >= ROOMY_POSTS {
            break;
        }
        let i = i as usize;
        if !roomy[i] && drawn[i].drawn {
            roomy[i] = true;
            count += 1;
        }
    }
    roomy
}

/// The 2D scene: the 3D first frame at [`DEFAULT_FRAME`] drawn flat. Every post sits at its
/// [`radial2d::radial`] position, taken from its centre in that frame (so it keeps its
/// direction round the centroid of the centres), with the default [`SceneOptions`]; only the
/// posts labelled in that frame ([`FirstFrame::labelled`]) have a label, with the same
/// priority as in 3D.
///
/// # Panics
/// When `posts`, `graph` and `positions_3d` do not have one entry per post each.
pub fn scene_2d(posts: &[Post], graph: &PostGraph, positions_3d: &[[f32; 3]]) -> Scene {
    scene_2d_round(posts, graph, positions_3d, None)
}

/// [`scene_2d`] of a local graph centred on post `centre` when given: the 3D first frame is
/// [`scene_3d_round`]'s, the centre sits at the origin of the radial layout
/// ([`radial2d::radial_round`]), the others keep their direction round it, and the scene is
/// [`Scene::centred_on`] it.
///
/// # Panics
/// As [`scene_2d`].
pub fn scene_2d_round(
    posts: &[Post],
    graph: &PostGraph,
    positions_3d: &[[f32; 3]],
    centre: Option<u32>,
) -> Scene {
    let frame_3d = FirstFrame::new(
        scene_3d_round(posts, graph, positions_3d, centre),
        DEFAULT_FRAME,
    );
    // y up, as the radial layout's plane and the 2D camera have it.
    let centres: Vec<[f32; 2]> = frame_3d
        .projection
        .nodes()
        .iter()
        .map(|n| {
            if n.drawn {
                [n.x_px, -n.y_px]
            } else {
                [f32::NAN, f32::NAN]
            }
        })
        .collect();
    let labelled = frame_3d.labelled();
    let roomy = roomy(&frame_3d, &labelled);
    let radial = match centre {
        Some(c) => radial2d::radial_round(&centres, &roomy, &RadialParams::default(), c as usize),
        None => radial2d::radial(&centres, &roomy),
    };
    let mut scene = Scene::build_2d(posts, graph, &radial, &SceneOptions::default());
    for (node, &labelled) in scene.nodes.iter_mut().zip(&labelled) {
        if !labelled {
            node.label = None;
        }
    }
    match centre {
        Some(c) => scene.centred_on(c),
        None => scene,
    }
}

/// The scene of `mode` at `positions_3d`, centred on post `centre` when given (a local
/// graph's): [`scene_3d_round`] or [`scene_2d_round`] in `style`'s colours
/// ([`Scene::styled`]), or `None` while there are no 3D positions yet (both views need them).
///
/// # Panics
/// As [`scene_3d`] and [`scene_2d`].
pub fn scene(
    posts: &[Post],
    graph: &PostGraph,
    mode: Mode,
    positions_3d: Option<&[[f32; 3]]>,
    centre: Option<u32>,
    style: &Style,
) -> Option<Scene> {
    let positions = positions_3d?;
    let scene = match mode {
        Mode::ThreeD => scene_3d_round(posts, graph, positions, centre),
        Mode::TwoD => scene_2d_round(posts, graph, positions, centre),
    };
    Some(scene.styled(posts, style))
}

/// The camera of `scene`'s first frame in `viewport`: [`Scene::fit_camera`] to the viewport's
/// aspect ratio (its size and pixel ratio only scale the picture). The static frame, the live
/// view's home position and every test of them use this one function.
pub fn first_camera(scene: &Scene, viewport: Viewport) -> Camera {
    scene.fit_camera(viewport.aspect())
}

/// A scene's first frame: the scene, the [`first_camera`] and every post projected through it.
#[derive(Debug, Clone)]
pub struct FirstFrame {
    /// What is drawn.
    pub scene: Scene,
    /// [`first_camera`] of the scene in the frame's viewport.
    pub camera: Camera,
    /// Every post projected into the frame (its viewport is the frame's).
    pub projection: ScreenProjection,
}

impl FirstFrame {
    /// The first frame of `scene` in `viewport`.
    pub fn new(scene: Scene, viewport: Viewport) -> FirstFrame {
        let camera = first_camera(&scene, viewport);
        let projection = ScreenProjection::new(&scene, &camera, viewport);
        FirstFrame {
            scene,
            camera,
            projection,
        }
    }

    /// The frame's viewport.
    pub fn viewport(&self) -> Viewport {
        self.projection.viewport()
    }

    /// For every post (id order), whether this frame shows its label: the labels
    /// [`place_labels`] keeps at [`LABEL_FONT_PX`], as the static frame's overlay and the live
    /// view place them.
    pub fn labelled(&self) -> Vec<bool> {
        let mut labelled = vec![false; self.scene.nodes.len()];
        for label in place_labels(&self.scene, &self.projection, LABEL_FONT_PX) {
            labelled[label.index as usize] = true;
        }
        labelled
    }

    /// The `hits-{mode}.json` document of this frame ([`ScreenProjection::hits`] with
    /// [`FirstFrame::labelled`]). `posts` are the scene's posts (id order).
    ///
    /// # Panics
    /// When `posts` is not one post per scene node.
    pub fn hits(&self, posts: &[Post], positions_hash: Hash64) -> Hits {
        self.projection
            .hits(posts, positions_hash, &self.labelled())
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

    fn site() -> Site {
        let posts = vec![
            post("a", &["rust"], &["b", "c"]),
            post("b", &["rust"], &[]),
            post("c", &["wasm"], &["a"]),
            post("d", &[], &[]),
        ];
        Site::laid_out(
            posts,
            &ForceParams {
                iterations: 20,
                ..ForceParams::default()
            },
        )
    }

    #[test]
    fn scenes_follow_the_mode_and_both_need_3d_positions() {
        let site = site();
        let (posts, graph) = (&site.posts, &site.graph);
        assert_eq!(
            scene(posts, graph, Mode::ThreeD, None, None, &Style::default()),
            None
        );
        assert_eq!(
            scene(posts, graph, Mode::TwoD, None, None, &Style::default()),
            None
        );
        let positions = Some(site.layout.positions.as_slice());
        for mode in [Mode::ThreeD, Mode::TwoD] {
            let built =
                scene(posts, graph, mode, positions, None, &Style::default()).expect("a scene");
            assert_eq!(built.mode, mode);
            assert_eq!(built, site.scene(mode));
        }
    }

    #[test]
    fn the_first_frame_is_the_scene_fitted_to_the_aspect() {
        let site = site();
        for mode in [Mode::ThreeD, Mode::TwoD] {
            let viewport = Viewport::new(1200.0, 675.0, 2.0);
            let frame = site.first_frame(mode, viewport);
            assert_eq!(frame.viewport(), viewport);
            assert_eq!(frame.camera, frame.scene.fit_camera(viewport.aspect()));
            // Another size of the same aspect: the same camera, the picture only scaled.
            let half = Viewport::new(600.0, 337.5, 1.0);
            assert_eq!(first_camera(&frame.scene, half), frame.camera);
            let small = ScreenProjection::new(&frame.scene, &frame.camera, half);
            for (big, small) in frame.projection.nodes().iter().zip(small.nodes()) {
                assert!(
                    (big.x_px - 2.0 * small.x_px).abs() < 1e-3,
                    "{big:?} {small:?}"
                );
            }
        }
    }
}
