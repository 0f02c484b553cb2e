//! The local graph of a post (docs/DESIGN.md, "Local graph"): the post and its neighbours to a
//! depth of 1 to 3 over the graph's edges in both directions (links either way and shared-tag
//! edges), without expanding through hubs.
//!
//! A **hub** is a post whose degree is far above the rest (an index, a "links" page): at least
//! [`HubRule::min_degree`] edges and at least [`HubRule::factor`] times the median degree. A hub
//! is shown when it is a neighbour, but its own neighbours are not reached through it, or every
//! local graph would hold half the site. The post a local graph is centred on is always
//! expanded, hub or not.

use crate::graph::PostGraph;
use crate::layout::{Layout, positions_hash};
use crate::posts::Post;
use crate::sort;

/// Deepest local graph.
pub const MAX_DEPTH: u8 = 3;

/// Most posts a local graph shows ([`Neighbours::local_capped`]): enough for a post's links and
/// its nearest tag neighbours, few enough that a post page's local files stay within 8 kB gzip
/// and a hub's page does not draw half the site.
pub const MAX_LOCAL_POSTS: usize = 24;

/// When a post counts as a hub (docs/DESIGN.md, "Local graph"; overridable).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HubRule {
    /// Fewest edges a hub has.
    pub min_degree: u32,
    /// How many times the median degree a hub has at least.
    pub factor: f64,
}

impl Default for HubRule {
    fn default() -> Self {
        HubRule {
            min_degree: 24,
            factor: 6.0,
        }
    }
}

/// The posts' undirected neighbours (each once, ascending) and which of them are hubs.
#[derive(Debug, Clone)]
pub struct Neighbours {
    /// `offsets[i]..offsets[i + 1]` is post `i`'s range of `targets`.
    offsets: Vec<u32>,
    targets: Vec<u32>,
    hub: Vec<bool>,
}

impl Neighbours {
    /// The neighbour lists of `graph` with hubs marked by `rule`.
    pub fn new(graph: &PostGraph, rule: &HubRule) -> Neighbours {
        let n = graph.node_count();
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(graph.edges.len() * 2);
        for e in &graph.edges {
            pairs.push((u64::from(e.source), e.target));
            pairs.push((u64::from(e.target), e.source));
        }
        sort::pairs(&mut pairs);
        pairs.dedup();
        let mut offsets = vec![0u32; n + 1];
        for &(s, _) in &pairs {
            offsets[s as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let targets: Vec<u32> = pairs.into_iter().map(|(_, t)| t).collect();
        let mut degrees: Vec<u32> = (0..n).map(|i| offsets[i + 1] - offsets[i]).collect();
        let hub_degree = {
            let mut sorted = degrees.clone();
            sort::by_key(&mut sorted, |&d| u64::from(d));
            let median = sorted.get(n / 2).copied().unwrap_or(0);
            (f64::from(median) * rule.factor).max(f64::from(rule.min_degree))
        };
        let hub = degrees
            .drain(..)
            .map(|d| f64::from(d) >= hub_degree)
            .collect();
        Neighbours {
            offsets,
            targets,
            hub,
        }
    }

    /// Post `i`'s neighbours, ascending.
    pub fn of(&self, i: u32) -> &[u32] {
        let (a, b) = (self.offsets[i as usize], self.offsets[i as usize + 1]);
        &self.targets[a as usize..b as usize]
    }

    /// Whether post `i` is a hub.
    pub fn is_hub(&self, i: u32) -> bool {
        self.hub[i as usize]
    }

    /// The local graph of `centre` to `depth` (clamped to 1..=[`MAX_DEPTH`]): the posts within
    /// `depth` steps, never stepping on from a hub other than the centre, ascending.
    pub fn local(&self, centre: u32, depth: u8) -> Vec<u32> {
        let mut all: Vec<u32> = self
            .walk(centre, depth)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        sort::by_key(&mut all, |&i| u64::from(i));
        all
    }

    /// [`Neighbours::local`] with at most `cap` posts (at least the centre): the nearer first
    /// (fewer steps), among equals the better connected (more distinct neighbours), then by
    /// index; ascending.
    pub fn local_capped(&self, centre: u32, depth: u8, cap: usize) -> Vec<u32> {
        let mut walked = self.walk(centre, depth);
        if walked.len() > cap {
            sort::by_key(&mut walked, |&(i, step)| {
                let degree = self.of(i).len().min(u32::MAX as usize) as u32;
                u64::from(step) << 56 | u64::from(!degree & 0xff_ffff) << 32 | u64::from(i)
            });
            walked.truncate(cap.max(1));
        }
        let mut all: Vec<u32> = walked.into_iter().map(|(i, _)| i).collect();
        sort::by_key(&mut all, |&i| u64::from(i));
        all
    }

    /// The walk of [`Neighbours::local`]: each post reached, with its number of steps from
    /// `centre`, in the order reached.
    fn walk(&self, centre: u32, depth: u8) -> Vec<(u32, u32)> {
        let mut seen = vec![false; self.hub.len()];
        seen[centre as usize] = true;
        let mut frontier = vec![centre];
        let mut all = vec![(centre, 0)];
        for step in 1..=u32::from(depth.clamp(1, MAX_DEPTH)) {
            let mut next = Vec::new();
            for &p in &frontier {
                if p != centre && self.is_hub(p) {
                    continue;
                }
                for &q in self.of(p) {
                    if !seen[q as usize] {
                        seen[q as usize] = true;
                        next.push(q);
                    }
                }
            }
            all.extend(next.iter().map(|&q| (q, step)));
            frontier = next;
        }
        all
    }
}

/// The local graph of post `centre` to `depth` as a site of its own: the posts
/// [`Neighbours::local_capped`] keeps (at most [`MAX_LOCAL_POSTS`]) by [`restrict`], and the
/// centre's index among them. The one recipe of `Site::local` and the browser's `setLocal`.
///
/// # Panics
/// When `centre` is out of range of `posts`, `layout` or `neighbours`.
pub fn cut(
    posts: &[Post],
    layout: &Layout,
    neighbours: &Neighbours,
    centre: u32,
    depth: u8,
) -> (Vec<Post>, PostGraph, Layout, u32) {
    let keep = neighbours.local_capped(centre, depth, MAX_LOCAL_POSTS);
    let (posts, graph, layout) = restrict(posts, layout, &keep);
    let centre = keep.partition_point(|&i| i < centre) as u32;
    (posts, graph, layout, centre)
}

/// The site of the posts at indices `keep` (ascending) only: those posts (their links to posts
/// left out dropped), the graph built from them afresh (so a file of just these posts gives the
/// same graph: links among them, and their shared tags joined by the usual tag-edge rule), and
/// their positions from `layout`, so each keeps its place relative to the others.
///
/// # Panics
/// When an index in `keep` is out of range of `posts` or `layout`.
pub fn restrict(posts: &[Post], layout: &Layout, keep: &[u32]) -> (Vec<Post>, PostGraph, Layout) {
    let kept: Vec<Post> = keep
        .iter()
        .map(|&i| {
            let mut post = posts[i as usize].clone();
            post.links.retain(|id| {
                posts
                    .binary_search_by(|p| p.id.as_str().cmp(id))
                    .is_ok_and(|j| keep.binary_search(&(j as u32)).is_ok())
            });
            post
        })
        .collect();
    let graph = PostGraph::build(&kept);
    let positions: Vec<[f32; 3]> = keep.iter().map(|&i| layout.positions[i as usize]).collect();
    let layout = Layout {
        positions_hash: positions_hash(&positions),
        positions,
        graph_hash: graph.hash,
        seed: layout.seed,
        iterations: layout.iterations,
    };
    (kept, graph, layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posts::Post;

    fn post(id: &str, links: &[&str]) -> Post {
        Post {
            id: id.into(),
            title: id.into(),
            url: None,
            date: None,
            tags: Vec::new(),
            links: links.iter().map(|l| l.to_string()).collect(),
            summary: None,
            weight: None,
        }
    }

    #[test]
    fn depth_steps_both_ways_and_hubs_are_not_expanded() {
        // a -> b -> c -> d, and a hub h linking to every post.
        let mut posts = vec![
            post("a", &["b"]),
            post("b", &["c"]),
            post("c", &["d"]),
            post("d", &[]),
        ];
        let all: Vec<String> = (0..30).map(|i| format!("p{i:02}")).collect();
        let mut hub_links: Vec<&str> = vec!["a", "b", "c", "d"];
        hub_links.extend(all.iter().map(String::as_str));
        posts.push(post("h", &hub_links));
        posts.extend(all.iter().map(|id| post(id, &[])));
        posts.sort_by(|x, y| x.id.cmp(&y.id));
        let graph = PostGraph::build(&posts);
        let index = |id: &str| posts.iter().position(|p| p.id == id).expect("a post") as u32;
        let names = |set: Vec<u32>| -> Vec<&str> {
            set.into_iter()
                .map(|i| posts[i as usize].id.as_str())
                .collect()
        };
        let near = Neighbours::new(&graph, &HubRule::default());
        assert!(near.is_hub(index("h")));
        assert!(!near.is_hub(index("a")));
        // b's neighbours: a, c (links both ways) and the hub, which is not stepped through.
        assert_eq!(names(near.local(index("b"), 1)), ["a", "b", "c", "h"]);
        assert_eq!(names(near.local(index("b"), 2)), ["a", "b", "c", "d", "h"]);
        // Depth is clamped to 1..=3.
        assert_eq!(near.local(index("a"), 0), near.local(index("a"), 1));
        assert_eq!(near.local(index("a"), 9), near.local(index("a"), 3));
        // The centre is expanded even when it is a hub.
        assert_eq!(near.local(index("h"), 1).len(), posts.len());
    }
}
