//! Scene building, camera fit and CPU picking on a generated 1000-post site.

use std::sync::OnceLock;

use glam::Vec3;
use logmesh::camera::{Camera, Viewport};
use logmesh::graph::PostGraph;
use logmesh::layout::ForceParams;
use logmesh::picking::{Hits, MIN_HIT_RADIUS_PX, ScreenProjection};
use logmesh::posts::Post;
use logmesh::rng::Rng;
use logmesh::scene::{Mode, Scene, SceneOptions};
use logmesh::site::{Site, first_camera};
use logmesh::style;

/// One generated site and its two scenes, shared by every test: generating and laying it out
/// is the slow part.
struct Generated {
    site: Site,
    scene_3d: Scene,
    scene_2d: Scene,
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let params = ForceParams {
            iterations: 50,
            ..Default::default()
        };
        let site = Site::laid_out(logmesh::sitegen::generate(1000, 1), &params);
        Generated {
            scene_3d: site.scene(Mode::ThreeD),
            scene_2d: site.scene(Mode::TwoD),
            site,
        }
    })
}

fn site() -> &'static Site {
    &generated().site
}

fn scenes() -> [&'static Scene; 2] {
    [&generated().scene_3d, &generated().scene_2d]
}

const DEFAULT_FRAME: Viewport = Viewport {
    width_css: 1200.0,
    height_css: 675.0,
    dpr: 1.0,
};

/// Frames of several aspects and pixel ratios.
const FRAMES: [Viewport; 5] = [
    DEFAULT_FRAME,
    Viewport {
        width_css: 600.0,
        height_css: 600.0,
        dpr: 2.0,
    },
    Viewport {
        width_css: 360.0,
        height_css: 640.0,
        dpr: 3.0,
    },
    Viewport {
        width_css: 1280.0,
        height_css: 720.0,
        dpr: 1.5,
    },
    Viewport {
        width_css: 900.0,
        height_css: 300.0,
        dpr: 1.0,
    },
];

fn post(id: &str, tags: &[&str]) -> Post {
    Post {
        id: id.into(),
        title: format!("Post {id}"),
        url: None,
        date: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        links: Vec::new(),
        summary: None,
        weight: None,
    }
}

/// A hand-built 3D scene of unlinked posts at `positions`.
fn hand_scene(positions: &[[f32; 3]], options: &SceneOptions) -> (Vec<Post>, Scene) {
    let posts: Vec<Post> = (0..positions.len())
        .map(|i| post(&format!("p{i:03}"), &[]))
        .collect();
    let graph = PostGraph::build(&posts);
    let scene = Scene::build_3d(&posts, &graph, positions, options);
    (posts, scene)
}

#[test]
fn scenes_hold_every_post_in_id_order() {
    let site = site();
    for scene in scenes() {
        assert_eq!(scene.nodes.len(), site.posts.len());
        assert_eq!(scene.edges.len(), site.graph.edges.len());
        for (i, node) in scene.nodes.iter().enumerate() {
            assert_eq!(node.index, i as u32);
            assert_eq!(logmesh::picking::decode(node.pick_id), Some(i as u32));
        }
    }
    let [scene_3d, scene_2d] = scenes();
    let labels = |scene: &Scene| scene.nodes.iter().filter(|n| n.label.is_some()).count();
    assert_eq!(labels(scene_3d), style::DEFAULT_LABEL_COUNT);
    // 2D: the labels the 3D first frame shows (tests/radial.rs checks which).
    assert!((5..=style::DEFAULT_LABEL_COUNT).contains(&labels(scene_2d)));
    assert_eq!(scene_3d.mode, Mode::ThreeD);
    assert_eq!(scene_2d.mode, Mode::TwoD);
    assert!(scene_2d.nodes.iter().all(|n| n.position[2] == 0.0));
    // The same colours in both views; 2D labels are 3D's (same text and priority), for the
    // posts the 3D first frame labels.
    for (a, b) in scene_3d.nodes.iter().zip(&scene_2d.nodes) {
        assert_eq!(a.colour, b.colour);
        if b.label.is_some() {
            assert_eq!(a.label, b.label);
        }
    }
}

#[test]
fn scenes_are_deterministic() {
    let site = site();
    assert_eq!(site.scene(Mode::ThreeD), generated().scene_3d);
    assert_eq!(site.scene(Mode::TwoD), generated().scene_2d);
}

#[test]
fn colours_follow_primary_tags() {
    let site = site();
    let mut by_tag = std::collections::HashMap::new();
    for (post, node) in site.posts.iter().zip(&generated().scene_3d.nodes) {
        assert_eq!(node.colour, style::node_colour(post));
        match post.tags.first() {
            Some(tag) => {
                let first = *by_tag.entry(tag.clone()).or_insert(node.colour);
                assert_eq!(node.colour, first, "tag {tag}");
                assert!(style::PALETTE.contains(&node.colour));
            }
            None => assert_eq!(node.colour, style::UNTAGGED),
        }
    }
    assert!(by_tag.len() > 5, "a realistic site has many primary tags");
}

#[test]
fn fit_keeps_every_post_inside_the_frame() {
    for scene in scenes() {
        for aspect in [16.0 / 9.0, 1.0, 9.0 / 16.0] {
            let viewport = Viewport::new(1000.0 * aspect, 1000.0, 1.0);
            let camera = first_camera(scene, viewport);
            let projection = ScreenProjection::new(scene, &camera, viewport);
            let margin = 0.02 * viewport.width_css.min(viewport.height_css);
            for node in projection.nodes() {
                assert!(node.drawn);
                assert!(node.x_px - node.r_px >= margin, "{node:?}");
                assert!(
                    node.x_px + node.r_px <= viewport.width_css - margin,
                    "{node:?}"
                );
                assert!(node.y_px - node.r_px >= margin, "{node:?}");
                assert!(
                    node.y_px + node.r_px <= viewport.height_css - margin,
                    "{node:?}"
                );
            }
        }
    }
}

#[test]
fn frame_size_only_scales_the_picture() {
    for scene in scenes() {
        let small = Viewport::new(480.0, 270.0, 1.0);
        let large = Viewport::new(1920.0, 1080.0, 2.0);
        let a = ScreenProjection::new(scene, &first_camera(scene, small), small);
        let b = ScreenProjection::new(scene, &first_camera(scene, large), large);
        for (p, q) in a.nodes().iter().zip(b.nodes()) {
            assert!(
                (p.x_px / 480.0 - q.x_px / 1920.0).abs() < 1e-5,
                "{p:?} {q:?}"
            );
            assert!(
                (p.y_px / 270.0 - q.y_px / 1080.0).abs() < 1e-5,
                "{p:?} {q:?}"
            );
            assert!(
                (p.r_px / 270.0 - q.r_px / 1080.0).abs() < 1e-5,
                "{p:?} {q:?}"
            );
        }
    }
}

#[test]
fn target_projects_to_the_centre_and_posts_to_clip_depth() {
    for scene in scenes() {
        for viewport in FRAMES {
            let camera = first_camera(scene, viewport);
            let centre = camera
                .world_to_screen(camera.target, viewport)
                .expect("target");
            assert!((centre.x_px - viewport.width_css / 2.0).abs() < 1e-3);
            assert!((centre.y_px - viewport.height_css / 2.0).abs() < 1e-3);
            let clip_from_world = camera.clip_from_world(viewport.aspect());
            for node in &scene.nodes {
                let clip = clip_from_world * Vec3::from_array(node.position).extend(1.0);
                let z = clip.z / clip.w;
                assert!((0.0..=1.0).contains(&z), "{z}");
                assert!(clip.x.abs() <= clip.w && clip.y.abs() <= clip.w);
            }
        }
    }
}

#[test]
fn every_visible_post_picks_itself_at_its_centre() {
    for scene in scenes() {
        for viewport in FRAMES {
            let camera = first_camera(scene, viewport);
            let projection = ScreenProjection::new(scene, &camera, viewport);
            let mut visible = 0;
            for (i, node) in projection.nodes().iter().enumerate() {
                if node.visible {
                    visible += 1;
                    assert_eq!(projection.pick(node.x_px, node.y_px), Some(i as u32));
                } else {
                    assert_ne!(projection.pick(node.x_px, node.y_px), Some(i as u32));
                }
            }
            // In 3D a good share of the posts can be reached at their centre (hit discs of at
            // least 6 px hide many in small frames); in 2D every one where the frame is at least
            // 360 px across (the 1,000 posts' centres are then at least 6 px apart), most where
            // it is smaller (the 300 px high frame: about 70%; a pinch reaches the rest).
            let n = scene.nodes.len();
            match scene.mode {
                Mode::ThreeD => assert!(visible * 5 > n, "{visible}"),
                Mode::TwoD if viewport.width_css.min(viewport.height_css) >= 360.0 => {
                    assert_eq!(visible, n, "{viewport:?}");
                }
                Mode::TwoD => assert!(visible * 10 > n * 6, "{viewport:?}: {visible}"),
            }
        }
    }
}

#[test]
fn nothing_is_picked_far_from_every_post() {
    for scene in scenes() {
        for viewport in FRAMES {
            let camera = first_camera(scene, viewport);
            let projection = ScreenProjection::new(scene, &camera, viewport);
            let (w, h) = (viewport.width_css, viewport.height_css);
            for (x, y) in [
                (0.5, 0.5),
                (w - 0.5, 0.5),
                (0.5, h - 0.5),
                (w - 0.5, h - 0.5),
            ] {
                assert_eq!(projection.pick(x, y), None);
                assert!(!projection.is_ambiguous(x, y));
            }
            for (x, y) in [(-1.0, 10.0), (w, 10.0), (10.0, h + 5.0), (f32::NAN, 1.0)] {
                assert_eq!(projection.pick(x, y), None);
            }
        }
    }
}

#[test]
fn grid_picks_match_brute_force_on_random_pixels() {
    let mut rng = Rng::new(11, 1);
    for scene in scenes() {
        for viewport in [DEFAULT_FRAME, FRAMES[2]] {
            let mut camera = first_camera(scene, viewport);
            let fitted = ScreenProjection::new(scene, &camera, viewport);
            camera.zoom(3.0);
            camera.orbit(0.7, 0.2);
            let close_up = ScreenProjection::new(scene, &camera, viewport);
            for projection in [fitted, close_up] {
                let mut hits = 0;
                for _ in 0..10_000 {
                    let x = rng.range_f64(0.0, f64::from(viewport.width_css)) as f32;
                    let y = rng.range_f64(0.0, f64::from(viewport.height_css)) as f32;
                    let picked = projection.pick(x, y);
                    assert_eq!(picked, projection.pick_exhaustive(x, y), "({x}, {y})");
                    hits += usize::from(picked.is_some());
                }
                assert!(hits > 200, "{hits}");
            }
        }
    }
}

#[test]
fn nearest_of_an_overlapping_pair_wins() {
    let fit = |positions: &[[f32; 3]]| {
        let (_, scene) = hand_scene(positions, &SceneOptions::default());
        let camera = Camera::fit(Vec3::ZERO, 50.0, DEFAULT_FRAME.aspect());
        (
            ScreenProjection::new(&scene, &camera, DEFAULT_FRAME),
            camera,
        )
    };
    let camera = Camera::fit(Vec3::ZERO, 50.0, DEFAULT_FRAME.aspect());
    let towards_eye = (camera.backward() * 5.0).to_array();
    for near in [0, 1] {
        let mut positions = [[0.0; 3]; 2];
        positions[near] = towards_eye;
        let (projection, _) = fit(&positions);
        let far = &projection.nodes()[1 - near];
        assert_eq!(projection.pick(far.x_px, far.y_px), Some(near as u32));
        assert!(projection.nodes()[near].visible);
        assert!(!projection.nodes()[1 - near].visible);
        assert!(!projection.is_ambiguous(far.x_px, far.y_px));
    }
}

#[test]
fn equal_depths_go_to_the_smaller_index() {
    let (_, scene) = hand_scene(&[[1.0, 2.0, 3.0]; 3], &SceneOptions::default());
    let camera = Camera::fit(Vec3::ZERO, 50.0, DEFAULT_FRAME.aspect());
    let projection = ScreenProjection::new(&scene, &camera, DEFAULT_FRAME);
    let node = projection.nodes()[0];
    assert_eq!(projection.pick(node.x_px, node.y_px), Some(0));
    let visible: Vec<bool> = projection.nodes().iter().map(|n| n.visible).collect();
    assert_eq!(visible, [true, false, false]);
    // A GPU depth buffer may order exact ties either way: they are in the ambiguous band.
    assert!(projection.is_ambiguous(node.x_px, node.y_px));
}

#[test]
fn a_tiny_far_post_stays_hoverable() {
    let options = SceneOptions {
        radius_scale: 1e-3,
        ..SceneOptions::default()
    };
    let (_, scene) = hand_scene(&[[0.0, 0.0, -40.0], [30.0, 0.0, 0.0]], &options);
    let camera = Camera::fit(Vec3::ZERO, 50.0, DEFAULT_FRAME.aspect());
    let projection = ScreenProjection::new(&scene, &camera, DEFAULT_FRAME);
    let node = projection.nodes()[0];
    assert!(node.r_px < 0.1, "{node:?}");
    assert_eq!(node.hit_r_px, MIN_HIT_RADIUS_PX);
    assert_eq!(projection.pick(node.x_px + 4.0, node.y_px - 2.0), Some(0));
    assert_eq!(projection.pick(node.x_px, node.y_px + 4.5), Some(0));
    assert_eq!(projection.pick(node.x_px + 8.0, node.y_px), None);
}

#[test]
fn ambiguous_band_on_a_disc_edge() {
    let (_, scene) = hand_scene(&[[0.0, 0.0, 0.0]], &SceneOptions::default());
    let camera = Camera::fit(Vec3::ZERO, 12.0, DEFAULT_FRAME.aspect());
    let projection = ScreenProjection::new(&scene, &camera, DEFAULT_FRAME);
    let node = projection.nodes()[0];
    assert!(node.r_px > 3.0 * MIN_HIT_RADIUS_PX, "{node:?}");
    let (x, y) = (node.x_px, node.y_px);
    // Sample the row of pixels through the centre: the band is every pixel whose centre is
    // within half a pixel of the edge, and only those.
    let row_y = y.floor() + 0.5;
    let dy = row_y - y;
    let mut in_band = 0;
    for column in 0..1200 {
        let pixel_x = column as f32 + 0.5;
        let dx = pixel_x - x;
        let distance = (dx * dx + dy * dy).sqrt();
        let expected = (distance - node.hit_r_px).abs() <= 0.5;
        assert_eq!(
            projection.is_ambiguous(pixel_x, row_y),
            expected,
            "column {column}"
        );
        in_band += usize::from(expected);
        let inside = distance <= node.hit_r_px;
        assert_eq!(
            projection.pick(pixel_x, row_y),
            inside.then_some(0),
            "column {column}"
        );
    }
    assert!((2..=4).contains(&in_band), "{in_band}");
}

#[test]
fn two_d_discs_never_overlap() {
    let scene = &generated().scene_2d;
    let nodes = &scene.nodes;
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            let dx = a.position[0] - b.position[0];
            let dy = a.position[1] - b.position[1];
            let distance = (dx * dx + dy * dy).sqrt();
            assert!(
                distance > a.radius + b.radius,
                "{} and {}",
                a.index,
                b.index
            );
        }
    }
}

#[test]
fn hits_file_lists_every_post_in_id_order() {
    let site = site();
    for scene in scenes() {
        let camera = first_camera(scene, DEFAULT_FRAME);
        let projection = ScreenProjection::new(scene, &camera, DEFAULT_FRAME);
        let labelled: Vec<bool> = scene.nodes.iter().map(|n| n.label.is_some()).collect();
        let hits = projection.hits(&site.posts, site.layout.positions_hash, &labelled);
        let json = hits.to_json();
        let read: Hits = serde_json::from_str(&json).expect("hits parse");
        assert_eq!(read, hits, "floats survive the round trip exactly");
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        let keys: Vec<&String> = value.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 5);
        assert_eq!(
            value["positions_hash"],
            site.layout.positions_hash.to_string()
        );
        assert_eq!(read.posts.len(), site.posts.len());
        for (i, (entry, post)) in read.posts.iter().zip(&site.posts).enumerate() {
            assert_eq!(entry.id, post.id);
            assert!(entry.hit_r >= entry.r && entry.hit_r >= MIN_HIT_RADIUS_PX);
            if entry.visible {
                assert_eq!(projection.pick(entry.x, entry.y), Some(i as u32));
            }
        }
    }
}
