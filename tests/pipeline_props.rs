//! Property test: for any valid posts file, parse + graph + layout + each view's first frame
//! (`logmesh::site`, the recipe every caller uses) + CPU picking never panic and give finite
//! positions, whatever the tags, links, weights and sizes.

use logmesh::camera::Viewport;
use logmesh::layout::ForceParams;
use logmesh::posts::parse;
use logmesh::scene::Mode;
use logmesh::site::{FirstFrame, Site};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A valid-looking post among `n`: links and tags drawn from small pools so that sites have
/// hubs, cliques, self-links, duplicate links and isolated posts.
fn post(n: usize) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(0..n.max(1), 0..6),
        prop::collection::vec("[a-e]", 0..4),
        prop_oneof![
            Just(None),
            (1e-300f64..1e300).prop_map(Some),
            (0.01f64..10.0).prop_map(Some)
        ],
        prop_oneof![Just(None), (1990u16..2030, 1u8..13, 1u8..29).prop_map(Some)],
    )
        .prop_map(|(links, tags, weight, date)| {
            let mut post = json!({
                "title": "A post",
                "links": links.iter().map(|l| format!("p{l}")).collect::<Vec<_>>(),
                "tags": tags,
            });
            if let Some(w) = weight {
                post["weight"] = json!(w);
            }
            if let Some((y, m, d)) = date {
                post["date"] = json!(format!("{y:04}-{m:02}-{d:02}"));
            }
            post
        })
}

fn posts_file() -> impl Strategy<Value = Value> {
    (0usize..40).prop_flat_map(|n| {
        prop::collection::vec(post(n), n).prop_map(|posts| {
            let posts: Vec<Value> = posts
                .into_iter()
                .enumerate()
                .map(|(i, mut p)| {
                    p["id"] = json!(format!("p{i}"));
                    p
                })
                .collect();
            json!({ "version": 1, "posts": posts })
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_pipeline_never_panics(doc in posts_file(), seed in 0u64..4, w in 50f32..2000.0, h in 50f32..2000.0) {
        let parsed = parse(doc.to_string().as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let site = Site::laid_out(parsed.posts, &ForceParams { seed, iterations: 30, ..ForceParams::default() });
        prop_assert_eq!(site.layout.positions.len(), site.posts.len());
        prop_assert!(site.layout.positions.iter().flatten().all(|c| c.is_finite()));

        let viewport = Viewport::new(w, h, 1.0);
        for mode in [Mode::ThreeD, Mode::TwoD] {
            let FirstFrame { scene, projection, .. } = site.first_frame(mode, viewport);
            prop_assert!(scene.nodes.iter().all(|n| n.position.iter().all(|c| c.is_finite())));
            prop_assert!(scene.nodes.iter().all(|n| n.radius.is_finite() && n.radius > 0.0));
            for (i, node) in projection.nodes().iter().enumerate() {
                if node.visible {
                    prop_assert_eq!(projection.pick(node.x_px, node.y_px), Some(i as u32));
                }
            }
            let _ = projection.pick(w / 2.0, h / 2.0);
        }
    }
}
