//! `logmesh gen`: synthetic sites that look like real blogs (placeholder until the generator lands).

use crate::posts::Post;

/// Generates `n` posts for `seed`.
pub fn generate(n: usize, seed: u64) -> Vec<Post> {
    let _ = (n, seed);
    unimplemented!("the generator lands with the gen module")
}
