//! The local graph (`logmesh::local`, docs/DESIGN.md "Local graph") against a reference computed
//! another way, on the 1,000-post fixture: petgraph's undirected neighbours, the hub test on the
//! distinct-neighbour degrees computed from them, and a breadth-first walk written plainly, for
//! every 50th post at depths 1, 2 and 3, hubs among the centres included.

mod common;

use std::collections::BTreeSet;

use logmesh::graph::PostGraph;
use logmesh::local::{HubRule, Neighbours};
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
