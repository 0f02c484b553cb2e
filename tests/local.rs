//! The local graph (`logmesh::local`, docs/DESIGN.md "Local graph") against a reference computed
//! another way, on the 1,000-post fixture: petgraph's undirected neighbours, the hub test on the
//! distinct-neighbour degrees computed from them, and a breadth-first walk written plainly, for
//! every 50th post at depths 1, 2 and 3, hubs among the centres included; then the local sites
//! built from it (`Site::local`: capped, at their global places, centred) and their files.

mod common;

use std::collections::BTreeSet;

use logmesh::camera::Viewport;
use logmesh::graph::PostGraph;
use logmesh::layout::{ForceParams, Layout, LayoutFile, Reuse};
use logmesh::local::{HubRule, MAX_LOCAL_POSTS, Neighbours};
use logmesh::scene::Mode;
use logmesh::site::Site;
use petgraph::graph::NodeIndex;

fn reference(graph: &PostGraph, hubs: &[bool], centre: u32, depth: u8) -> Vec<u32> {
    let mut seen = BTreeSet::from([centre]);
    let mut frontier = vec![centre];
    for _ in 0..depth {
        let mut next = Vec::new();
        for &p in &frontier {
            if p != centre && hubs[p as usize] {
                continue;
            }
            for q in graph.graph.neighbors_undirected(NodeIndex::new(p as usize)) {
                if seen.insert(q.index() as u32) {
                    next.push(q.index() as u32);
                }
            }
        }
        frontier = next;
    }
    seen.into_iter().collect()
}

#[test]
fn local_graphs_match_a_plain_reference_on_the_fixture() {
    let posts = common::fixture("site-1k.json").posts;
    let graph = PostGraph::build(&posts);
    let rule = HubRule::default();
    // A post's degree: how many distinct posts it is joined to, either way, by any edge.
    let degrees: Vec<u32> = (0..posts.len())
        .map(|i| {
            let distinct: BTreeSet<usize> = graph
                .graph
                .neighbors_undirected(NodeIndex::new(i))
                .map(|n| n.index())
                .collect();
            distinct.len() as u32
        })
        .collect();
    let mut sorted = degrees.clone();
    sorted.sort_unstable();
    let median = f64::from(sorted[sorted.len() / 2]);
    let hubs: Vec<bool> = degrees
        .iter()
        .map(|&d| f64::from(d) >= (median * rule.factor).max(f64::from(rule.min_degree)))
        .collect();
    let hub_count = hubs.iter().filter(|&&h| h).count();
    println!(
        "median degree {median}, {hub_count} hubs of {}",
        posts.len()
    );
    assert!(
        (1..=posts.len() / 20).contains(&hub_count),
        "{hub_count} hubs"
    );

    let near = Neighbours::new(&graph, &rule);
    let mut centres: Vec<u32> = (0..posts.len() as u32).step_by(50).collect();
    centres.extend(
        (0..posts.len() as u32)
            .filter(|&i| hubs[i as usize])
            .take(3),
    );
    for centre in centres {
        assert_eq!(near.is_hub(centre), hubs[centre as usize]);
        for depth in 1..=3 {
            let local = near.local(centre, depth);
            assert_eq!(
                local,
                reference(&graph, &hubs, centre, depth),
                "post {centre} depth {depth}"
            );
            assert!(local.contains(&centre));
        }
    }
}

/// Steps from `centre` to each post by the same walk as [`reference`] (u32::MAX: not reached).
fn steps(graph: &PostGraph, hubs: &[bool], centre: u32, depth: u8) -> Vec<u32> {
    let mut steps = vec![u32::MAX; hubs.len()];
    steps[centre as usize] = 0;
    let mut frontier = vec![centre];
    for step in 1..=u32::from(depth) {
        let mut next = Vec::new();
        for &p in &frontier {
            if p != centre && hubs[p as usize] {
                continue;
            }
            for q in graph.graph.neighbors_undirected(NodeIndex::new(p as usize)) {
                if steps[q.index()] == u32::MAX {
                    steps[q.index()] = step;
                    next.push(q.index() as u32);
                }
            }
        }
        frontier = next;
    }
    steps
}

fn site_1k() -> &'static Site {
    static SITE: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        Site::laid_out(
            common::fixture("site-1k.json").posts,
            &ForceParams::default(),
        )
    })
}

/// `Site::local`: the reference's posts (the nearest `MAX_LOCAL_POSTS` where there are more),
/// at their global positions, and a first frame centred on the post in 3D and 2D.
#[test]
fn local_sites_hold_the_nearest_posts_at_their_places_centred() {
    let site = site_1k();
    let rule = HubRule::default();
    let near = Neighbours::new(&site.graph, &rule);
    let hubs: Vec<bool> = (0..site.posts.len() as u32)
        .map(|i| near.is_hub(i))
        .collect();
    let mut capped = 0;
    let mut centres: Vec<u32> = (0..site.posts.len() as u32).step_by(37).collect();
    centres.extend((0..site.posts.len() as u32).filter(|&i| hubs[i as usize]));
    for centre in centres {
        for depth in [1u8, 2] {
            let local = site.local(centre, depth, &rule).expect("in range");
            let ids: Vec<u32> = local
                .posts
                .iter()
                .map(|p| {
                    site.posts
                        .binary_search_by(|q| q.id.cmp(&p.id))
                        .expect("a post of the site") as u32
                })
                .collect();
            let all = reference(&site.graph, &hubs, centre, depth);
            if all.len() <= MAX_LOCAL_POSTS {
                assert_eq!(ids, all, "post {centre} depth {depth}");
            } else {
                capped += 1;
                assert_eq!(ids.len(), MAX_LOCAL_POSTS);
                assert!(ids.iter().all(|i| all.contains(i)));
                // Nearer posts first: nothing left out is nearer than a post kept.
                let steps = steps(&site.graph, &hubs, centre, depth);
                let farthest_kept = ids.iter().map(|&i| steps[i as usize]).max().expect("posts");
                for &i in all.iter().filter(|i| !ids.contains(i)) {
                    assert!(
                        steps[i as usize] >= farthest_kept,
                        "post {centre}: {i} left out"
                    );
                }
            }
            let c = local.centre.expect("centred") as usize;
            assert_eq!(local.posts[c].id, site.posts[centre as usize].id);
            for (k, &i) in ids.iter().enumerate() {
                assert_eq!(local.layout.positions[k], site.layout.positions[i as usize]);
            }
            // Links to posts left out are dropped; the graph is the posts' own.
            assert_eq!(local.graph.hash, PostGraph::build(&local.posts).hash);

            let viewport = Viewport::new(1200.0, 675.0, 1.0);
            let frame = local.first_frame(Mode::ThreeD, viewport);
            let at = frame.projection.nodes()[c];
            assert!(
                (at.x_px - 600.0).abs() < 0.01 && (at.y_px - 337.5).abs() < 0.01,
                "{at:?}"
            );
            assert!(frame.projection.nodes().iter().all(|n| n.drawn));
            let flat = local.first_frame(Mode::TwoD, Viewport::new(390.0, 390.0, 3.0));
            assert_eq!(flat.scene.nodes[c].position, [0.0, 0.0, 0.0]);
            let at = flat.projection.nodes()[c];
            assert!(
                (at.x_px - 195.0).abs() < 0.01 && (at.y_px - 195.0).abs() < 0.01,
                "{at:?}"
            );
            for (k, node) in flat.scene.nodes.iter().enumerate() {
                if k != c {
                    let [x, y, _] = node.position;
                    assert!(x.hypot(y) >= 1.6 - 1e-4, "post {k} at {x}, {y}");
                }
            }
        }
    }
    assert!(capped > 0, "the hubs' local graphs are capped");
}

/// What prerender writes for a local graph (its page data with `centre`, its layout file) reads
/// back, as the element reads it, to the same site and the same first frames.
#[test]
fn a_local_graphs_files_read_back_to_the_same_frames() {
    let site = site_1k();
    let rule = HubRule::default();
    for centre in [0u32, 321, 999] {
        let local = site.local(centre, 1, &rule).expect("in range");
        let id = &site.posts[centre as usize].id;
        let json = logmesh::export::local_posts_min_json(&local.posts, id);
        let parsed = logmesh::posts::parse(json.as_bytes()).expect("valid");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.centre.as_deref(), Some(id.as_str()));
        let file = local.layout.to_file(&local.posts).to_json();
        let (file, warnings) = LayoutFile::parse(file.as_bytes()).expect("valid");
        assert!(warnings.is_empty());
        let graph = PostGraph::build(&parsed.posts);
        let (layout, reuse, _) =
            Layout::resolve(&parsed.posts, &graph, &ForceParams::default(), Some(&file));
        assert_eq!(reuse, Reuse::Exact);
        let again = Site {
            centre: parsed
                .centre
                .and_then(|c| parsed.posts.iter().position(|p| p.id == c))
                .map(|i| i as u32),
            posts: parsed.posts,
            graph,
            layout,
            style: Default::default(),
        };
        for (mode, viewport) in [
            (Mode::ThreeD, Viewport::new(1200.0, 675.0, 1.0)),
            (Mode::TwoD, Viewport::new(390.0, 390.0, 3.0)),
        ] {
            let a = local.first_frame(mode, viewport);
            let b = again.first_frame(mode, viewport);
            assert_eq!(a.scene, b.scene, "post {centre} {mode}");
            assert_eq!(a.camera, b.camera);
        }
    }
}
