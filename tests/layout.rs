//! The 3D layout on the fixtures: docs/DESIGN.md's quality check, packing of disconnected posts,
//! warm starts (stale and foreign layout files) and exact layout.json round trips.

mod common;

use logmesh::graph::PostGraph;
use logmesh::layout::{
    ForceParams, Layout, LayoutFile, LayoutTask, MAX_BROWSER_LAYOUT_POSTS, Plan, Reuse,
    link_distance_ratio, median, median_radius,
};
use logmesh::posts::Post;

fn distance(a: [f32; 3], b: [f32; 3]) -> f64 {
    (0..3)
        .map(|k| (f64::from(a[k]) - f64::from(b[k])).powi(2))
        .sum::<f64>()
        .sqrt()
}

#[test]
fn linked_posts_end_up_at_least_three_times_closer_than_random_pairs() {
    // docs/DESIGN.md's quality check, on the generated fixtures. The 13-post hand-written site cannot
    // reach a ratio of 3 in any layout: 25 of its 78 pairs are linked and almost every other pair
    // is two hops apart through its hub, so random pairs are barely longer than linked ones. It
    // gets the weaker check that linked posts are clearly closer than random pairs.
    let ratio = |name: &str| {
        let posts = common::fixture(name).posts;
        let graph = PostGraph::build(&posts);
        let layout = Layout::compute(&graph, &ForceParams::default());
        link_distance_ratio(&graph, &layout.positions, 1).expect("fixtures have links")
    };
    let ratios: Vec<(&str, f64)> = ["small.json", "site-1k.json", "site-10k.json"]
        .into_iter()
        .map(|n| (n, ratio(n)))
        .collect();
    eprintln!("linked/random median distance ratios: {ratios:.2?}");
    assert!(ratios[0].1 >= 1.4, "{ratios:.2?}");
    assert!(ratios[1..].iter().all(|&(_, r)| r >= 3.0), "{ratios:.2?}");
}

#[test]
fn disconnected_posts_stay_packed_near_the_rest() {
    // The 1k site plus 50 posts with no tags and no links: nothing may drift off.
    let mut posts = common::fixture("site-1k.json").posts;
    posts.extend((0..50).map(|i| Post {
        id: format!("zz-loner-{i:02}"),
        title: format!("Loner {i}"),
        url: None,
        date: None,
        tags: vec![],
        links: vec![],
        summary: None,
        weight: None,
    }));
    let graph = PostGraph::build(&posts);
    let layout = Layout::compute(&graph, &ForceParams::default());
    let typical = median_radius(&layout.positions);
    let farthest = layout
        .positions
        .iter()
        .map(|&p| distance(p, [0.0; 3]))
        .fold(0.0, f64::max);
    eprintln!("median radius {typical:.1}, farthest {farthest:.1}");
    assert!(
        farthest < 4.0 * typical,
        "farthest {farthest:.1} vs median radius {typical:.1}"
    );
    assert!(layout.positions.iter().flatten().all(|c| c.is_finite()));
}

#[test]
fn adding_one_post_barely_moves_the_others() {
    let old_posts = common::fixture("site-1k.json").posts;
    let old_graph = PostGraph::build(&old_posts);
    let params = ForceParams::default();
    let old = Layout::compute(&old_graph, &params);
    let old_file = old.to_file(&old_posts);

    let mut new_posts = old_posts.clone();
    new_posts.push(Post {
        id: "zzz-a-new-post".into(),
        title: "A new post".into(),
        url: Some("/log/zzz-a-new-post".into()),
        date: None,
        tags: old_posts[10].tags.clone(),
        links: vec![old_posts[10].id.clone(), old_posts[500].id.clone()],
        summary: None,
        weight: None,
    });
    new_posts.sort_by(|a, b| a.id.cmp(&b.id));
    let new_graph = PostGraph::build(&new_posts);
    let (new, reuse, warning) = Layout::resolve(&new_posts, &new_graph, &params, Some(&old_file));
    assert_eq!(reuse, Reuse::Stale);
    assert!(warning.expect("a warning").contains("stale"));

    let mut moved: Vec<f64> = new_posts
        .iter()
        .zip(&new.positions)
        .filter_map(|(p, &x)| old_file.positions.get(&p.id).map(|&o| distance(o, x)))
        .collect();
    assert_eq!(moved.len(), old_posts.len());
    let radius = median_radius(&old.positions);
    let share = median(&mut moved) / radius;
    eprintln!("median move {:.3}% of the layout's radius", share * 100.0);
    assert!(
        share < 0.02,
        "median move {:.2}% of the radius",
        share * 100.0
    );
}

#[test]
fn an_exact_layout_file_is_reused_without_layout_work_and_a_foreign_one_is_not() {
    let posts = common::fixture("small.json").posts;
    let graph = PostGraph::build(&posts);
    let params = ForceParams::default();
    let layout = Layout::compute(&graph, &params);
    let text = layout.to_file(&posts).to_json();
    let (file, warnings) = LayoutFile::parse(text.as_bytes()).expect("round trip");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(file.positions_hash, layout.positions_hash);

    // A UTF-8 byte order mark is dropped with a warning, as in posts.json; invalid UTF-8 is an
    // error.
    let with_bom = [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat();
    let (same, warnings) = LayoutFile::parse(&with_bom).expect("a BOM is accepted");
    assert_eq!(same, file);
    assert_eq!(warnings, ["layout: UTF-8 byte order mark ignored"]);
    let bad = [&b"\xFF"[..], text.as_bytes()].concat();
    assert_eq!(
        LayoutFile::parse(&bad)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err("layout: invalid UTF-8 at line 1 column 1".to_owned())
    );

    let (reused, reuse, warning) = Layout::resolve(&posts, &graph, &params, Some(&file));
    assert_eq!((reuse, warning), (Reuse::Exact, None));
    assert_eq!(
        reused.positions, layout.positions,
        "floats read back exactly"
    );

    let other = common::fixture("site-1k.json").posts;
    let other_graph = PostGraph::build(&other);
    let (_, reuse, warning) = Layout::resolve(&other, &other_graph, &params, Some(&file));
    assert_eq!(reuse, Reuse::Foreign);
    assert!(warning.expect("a warning").contains("foreign"));
}

#[test]
fn bad_layout_files_are_typed_errors() {
    for (text, expected) in [
        (
            "{",
            "layout: the text ends inside an object at line 1 column 2",
        ),
        (
            r#"{"version":2,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{}}"#,
            "layout: version: 2 is not supported (expected 1)",
        ),
        (
            r#"{"version":1,"graph_hash":"xyz","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{}}"#,
            "layout: graph_hash: \"xyz\" is not 16 lowercase hex digits",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{"a":[1,2]}}"#,
            "layout: positions.\"a\": expected three numbers",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{},"x":1}"#,
            "layout: unknown field \"x\"",
        ),
        (
            r#"{"version":1,"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{}}"#,
            "layout: version: given twice",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","iterations":1,"positions":{}}"#,
            "layout: seed: missing",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":-1,"iterations":1,"positions":{}}"#,
            "layout: seed: -1 is not an integer from 0 to 18446744073709551615",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{"a":[1,2,1e300]}}"#,
            "layout: positions.\"a\": not three finite numbers",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1,"iterations":1,"positions":{"a":[1,2,-1e999]}}"#,
            "layout: positions.\"a\": not three finite numbers",
        ),
        (
            r#"{"version":1,"graph_hash":"0000000000000000","positions_hash":"0000000000000000","seed":1e999,"iterations":1,"positions":{}}"#,
            "layout: seed: 1e999 is not an integer from 0 to 18446744073709551615",
        ),
    ] {
        let err = LayoutFile::parse(text.as_bytes()).expect_err(text);
        assert_eq!(err.to_string(), expected);
    }
}

#[test]
fn empty_and_single_post_sites_lay_out() {
    let graph = PostGraph::build(&[]);
    assert!(
        Layout::compute(&graph, &ForceParams::default())
            .positions
            .is_empty()
    );
    let one = common::fixture("small.json").posts[..1].to_vec();
    let layout = Layout::compute(&PostGraph::build(&one), &ForceParams::default());
    assert_eq!(layout.positions, vec![[0.0, 0.0, 0.0]]);
}

#[test]
fn a_layout_run_in_slices_has_the_same_bits() {
    let parsed = common::fixture("site-1k.json");
    let graph = PostGraph::build(&parsed.posts);
    let params = ForceParams::default();
    let whole = Layout::compute(&graph, &params);
    let mut task = LayoutTask::fresh(&graph, &params);
    let mut slices = 0;
    while !task.step(7) {
        slices += 1;
    }
    assert_eq!(task.remaining(), 0);
    assert_eq!(slices, 300 / 7);
    let sliced = task.run();
    assert_eq!(sliced.positions_hash, whole.positions_hash);
    assert_eq!(sliced, whole);
}

/// The browser lays out from scratch up to 50,000 posts, but warm-starts from a stale layout
/// file at any size (its posts are placed already).
#[test]
fn a_stale_layout_warm_starts_in_the_browser_at_any_size() {
    let n = MAX_BROWSER_LAYOUT_POSTS + 10_000;
    let post = |i: usize| Post {
        id: format!("p{i:06}"),
        title: "t".to_owned(),
        url: None,
        date: None,
        tags: Vec::new(),
        links: Vec::new(),
        summary: None,
        weight: None,
    };
    let posts: Vec<Post> = (0..n).map(post).collect();
    let graph = PostGraph::build(&posts);
    let params = ForceParams::default();
    // A layout of all but the last post: stale for the whole site.
    let file = LayoutFile {
        version: 1,
        graph_hash: PostGraph::build(&posts[..n - 1]).hash,
        positions_hash: "0000000000000000".parse().expect("a hash"),
        seed: 1,
        iterations: 300,
        positions: posts[..n - 1]
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), [i as f32, 0.0, 0.0]))
            .collect(),
    };
    let (plan, reuse, _) = Layout::plan(&posts, &graph, &params, Some(&file));
    assert!(matches!(plan, Plan::Run(_)));
    assert_eq!(reuse, Reuse::Stale);
    assert!(reuse.browser_may_lay_out(n));
    assert!(Reuse::Stale.browser_may_lay_out(1_000_000));
    assert!(Reuse::Exact.browser_may_lay_out(1_000_000));

    let (_, reuse, _) = Layout::plan(&posts, &graph, &params, None);
    assert_eq!(reuse, Reuse::Fresh);
    assert!(!reuse.browser_may_lay_out(n));
    assert!(Reuse::Fresh.browser_may_lay_out(MAX_BROWSER_LAYOUT_POSTS));
    assert!(!Reuse::Foreign.browser_may_lay_out(MAX_BROWSER_LAYOUT_POSTS + 1));
}
