//! The 2D radial layout for the 2D view (placeholder until it lands).

use crate::graph::PostGraph;
use crate::posts::Post;

/// Radial positions, one per post in id order.
pub fn radial(posts: &[Post], graph: &PostGraph) -> Vec<[f32; 2]> {
    let _ = (posts, graph);
    unimplemented!("the radial layout lands with the radial2d module")
}
