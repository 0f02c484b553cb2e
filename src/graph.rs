//! Posts -> graph: link edges and bounded tag-affinity edges (docs/DESIGN.md, "Edges").
//!
//! Node `i` is the `i`-th post in id order. Link edges are directed (source links to target).
//! Tag edges keep every tag's posts connected (at least n-1 edges for a tag on n posts) without
//! ever growing quadratically: each tag adds at most [`TAG_EDGES_PER_POST`] edges per post.
//! The graph is built in a fixed order, so it and its `graph_hash` are deterministic.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::hash::{Fnv1a, Hash64};
use crate::posts::Post;

/// At most this many tag edges per post per tag (the k of docs/DESIGN.md's k*n bound).
pub const TAG_EDGES_PER_POST: usize = 2;

/// What an edge stands for. The discriminant is the kind byte in `graph_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum EdgeKind {
    /// The source post links to the target post.
    Link = 0,
    /// The two posts share a tag (source < target).
    Tag = 1,
}

/// One edge between posts given by their index in id order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// What it stands for (sorts first).
    pub kind: EdgeKind,
    /// Index of the source post.
    pub source: u32,
    /// Index of the target post.
    pub target: u32,
}

/// The posts' graph. Node weights are post indices; edges are sorted by (kind, source, target).
#[derive(Debug, Clone)]
pub struct PostGraph {
    /// The petgraph view, for algorithms (components, degrees, traversal).
    pub graph: DiGraph<u32, EdgeKind, u32>,
    /// Every edge, sorted by (kind, source, target), without duplicates.
    pub edges: Vec<Edge>,
    /// The graph's hash (docs/DESIGN.md, "layout.json").
    pub hash: Hash64,
}

impl PostGraph {
    /// Builds the graph of `posts`, which must be sorted by id with valid links (as
    /// [`crate::posts::parse`] returns them). Links to unknown ids are ignored.
    pub fn build(posts: &[Post]) -> PostGraph {
        let index: HashMap<&str, u32> = posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i as u32))
            .collect();

        let mut edges: Vec<Edge> = Vec::new();
        for (source, post) in posts.iter().enumerate() {
            for link in &post.links {
                if let Some(&target) = index.get(link.as_str()) {
                    if target as usize != source {
                        edges.push(Edge {
                            kind: EdgeKind::Link,
                            source: source as u32,
                            target,
                        });
                    }
                }
            }
        }
        edges.extend(tag_edges(posts));
        // Sorted as (kind, source, target) packed into `sort::pairs`'s `(u64, u32)` pairs, so
        // the browser module carries one copy of the sorting code.
        let mut keyed: Vec<(u64, u32)> = edges
            .iter()
            .map(|e| ((e.kind as u64) << 32 | u64::from(e.source), e.target))
            .collect();
        crate::sort::pairs(&mut keyed);
        keyed.dedup();
        let edges: Vec<Edge> = keyed
            .into_iter()
            .map(|(key, target)| Edge {
                kind: if key >> 32 == 0 {
                    EdgeKind::Link
                } else {
                    EdgeKind::Tag
                },
                source: key as u32,
                target,
            })
            .collect();

        let mut graph = DiGraph::with_capacity(posts.len(), edges.len());
        for i in 0..posts.len() {
            graph.add_node(i as u32);
        }
        for e in &edges {
            graph.add_edge(
                NodeIndex::new(e.source as usize),
                NodeIndex::new(e.target as usize),
                e.kind,
            );
        }
        let hash = graph_hash(posts, &edges);
        PostGraph { graph, edges, hash }
    }

    /// Number of posts.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges of `kind`.
    pub fn count(&self, kind: EdgeKind) -> usize {
        self.edges.iter().filter(|e| e.kind == kind).count()
    }

    /// Undirected degree of every node (links and tags, each edge once per end).
    pub fn degrees(&self) -> Vec<u32> {
        let mut d = vec![0u32; self.node_count()];
        for e in &self.edges {
            d[e.source as usize] += 1;
            d[e.target as usize] += 1;
        }
        d
    }

    /// The connected component (ignoring direction) of every node, numbered in order of each
    /// component's smallest node index.
    pub fn components(&self) -> Vec<u32> {
        let n = self.node_count();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        for e in &self.edges {
            let (a, b) = (find(&mut parent, e.source), find(&mut parent, e.target));
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
        let mut number: HashMap<u32, u32> = HashMap::new();
        (0..n as u32)
            .map(|i| {
                let root = find(&mut parent, i);
                let next = number.len() as u32;
                *number.entry(root).or_insert(next)
            })
            .collect()
    }
}

/// Tag edges: for each tag, its posts in (date, id) order are chained (n-1 edges, so they stay
/// connected), and each post also links to the post `2i+1 (mod n)` along that order, which
/// shortens the chain into a compact, expander-like cluster. At most 2 edges per post per tag.
/// A pair that shares several tags gets one tag edge.
fn tag_edges(posts: &[Post]) -> Vec<Edge> {
    // BTreeMap: tags visited in a fixed order.
    let mut by_tag: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (i, post) in posts.iter().enumerate() {
        for tag in &post.tags {
            by_tag.entry(tag.as_str()).or_default().push(i as u32);
        }
    }
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut edges = Vec::new();
    let mut push = |a: u32, b: u32, edges: &mut Vec<Edge>| {
        if a == b {
            return;
        }
        let (source, target) = if a < b { (a, b) } else { (b, a) };
        if seen.insert((source, target)) {
            edges.push(Edge {
                kind: EdgeKind::Tag,
                source,
                target,
            });
        }
    };
    for members in by_tag.values_mut() {
        let n = members.len();
        if n < 2 {
            continue;
        }
        // Posts are already in id order; a stable sort by date keeps id order among equals.
        crate::sort::by_key(members, |&i| {
            posts[i as usize].date.map_or(0, |d| 1 + d.sort_key())
        });
        for w in members.windows(2) {
            push(w[0], w[1], &mut edges);
        }
        if n > 3 {
            for i in 0..n {
                push(members[i], members[(2 * i + 1) % n], &mut edges);
            }
        }
    }
    edges
}

/// `graph_hash` as docs/DESIGN.md defines it: each id's bytes then 0x00, then each edge (sorted) as
/// kind byte + u32 LE source + u32 LE target.
pub fn graph_hash(posts: &[Post], sorted_edges: &[Edge]) -> Hash64 {
    let mut h = Fnv1a::new();
    for p in posts {
        h.write(p.id.as_bytes());
        h.write(&[0]);
    }
    for e in sorted_edges {
        h.write(&[e.kind as u8]);
        h.write(&e.source.to_le_bytes());
        h.write(&e.target.to_le_bytes());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: &str, tags: &[&str], links: &[&str]) -> Post {
        Post {
            id: id.into(),
            title: id.into(),
            url: None,
            date: None,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            links: links.iter().map(|s| s.to_string()).collect(),
            summary: None,
            weight: None,
        }
    }

    #[test]
    fn links_and_tags_become_sorted_edges() {
        let posts = vec![
            post("a", &["x"], &["c"]),
            post("b", &["x"], &[]),
            post("c", &[], &["a"]),
        ];
        let g = PostGraph::build(&posts);
        assert_eq!(
            g.edges,
            vec![
                Edge {
                    kind: EdgeKind::Link,
                    source: 0,
                    target: 2
                },
                Edge {
                    kind: EdgeKind::Link,
                    source: 2,
                    target: 0
                },
                Edge {
                    kind: EdgeKind::Tag,
                    source: 0,
                    target: 1
                },
            ]
        );
        assert_eq!(g.graph.edge_count(), 3);
    }

    #[test]
    fn a_popular_tag_stays_connected_and_linear() {
        let ids: Vec<String> = (0..5000).map(|i| format!("p{i:05}")).collect();
        let posts: Vec<Post> = ids.iter().map(|id| post(id, &["rust"], &[])).collect();
        let g = PostGraph::build(&posts);
        let tag_edges = g.count(EdgeKind::Tag);
        assert!(tag_edges >= posts.len() - 1, "{tag_edges}");
        assert!(tag_edges <= TAG_EDGES_PER_POST * posts.len(), "{tag_edges}");
        let comps = g.components();
        assert!(comps.iter().all(|&c| c == 0), "one component");
    }

    #[test]
    fn hash_depends_on_ids_and_edges() {
        let a = PostGraph::build(&[post("a", &[], &["b"]), post("b", &[], &[])]);
        let b = PostGraph::build(&[post("a", &[], &[]), post("b", &[], &["a"])]);
        let c = PostGraph::build(&[post("a", &[], &["b"]), post("b", &[], &[])]);
        assert_ne!(a.hash, b.hash);
        assert_eq!(a.hash, c.hash);
    }

    #[test]
    fn components_are_numbered_by_smallest_member() {
        let posts = vec![
            post("a", &[], &["c"]),
            post("b", &[], &[]),
            post("c", &[], &[]),
            post("d", &[], &["b"]),
        ];
        assert_eq!(PostGraph::build(&posts).components(), vec![0, 1, 0, 1]);
    }
}
