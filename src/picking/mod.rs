//! Picking: which post is under a pointer.
//!
//! Two pickers answer the same question. The GPU one (3D) draws every post's hit disc into an
//! integer id buffer and reads back one pixel; the CPU one here ([`ScreenProjection`]) is the
//! 2D view's picker and the reference the GPU path is checked against. Both follow docs/DESIGN.md:
//! they read the device pixel containing (X * dpr, Y * dpr); a post is under that pixel when the
//! pixel's centre lies within its hit disc, whose radius is the drawn radius but at least
//! [`MIN_HIT_RADIUS_PX`]; the nearest such post wins, ties going to the smaller index (a depth
//! test with `Less`, posts drawn in index order). They may disagree only inside the
//! *ambiguous band* ([`ScreenProjection::is_ambiguous`]).
//!
//! Ids go through [`encode`] and [`decode`], with 0 reserved for "nothing": a cleared id buffer
//! means no post. Edges are never picked and write no ids. Nothing here reads a clock or the
//! GPU.

mod cpu;

pub use cpu::{
    AMBIGUOUS_DEPTH_RELATIVE, AMBIGUOUS_EDGE_DEVICE_PX, HitPost, Hits, ProjectedNode,
    ScreenProjection, TOUCH_REACH_PX, pixel_centre_css,
};

/// The id meaning "no post" (the id buffer's clear value).
pub const NOTHING: u32 = 0;

/// The largest post index that has an id of its own.
pub const MAX_INDEX: u32 = u32::MAX - 1;

/// Smallest hit radius in CSS pixels: tiny or distant posts stay easy to hover.
pub const MIN_HIT_RADIUS_PX: f32 = 6.0;

/// The id the pick pass writes for the post at `index` (id order): `index + 1`.
///
/// `u32::MAX` (beyond [`MAX_INDEX`]; posts are capped far below it) has no id: it encodes to
/// [`NOTHING`], so such a post can never be mistaken for another one.
pub const fn encode(index: u32) -> u32 {
    index.wrapping_add(1)
}

/// The post index of a pick id, or `None` for [`NOTHING`].
pub const fn decode(id: u32) -> Option<u32> {
    id.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codec_round_trips() {
        for index in [
            0,
            1,
            2,
            255,
            256,
            65_535,
            1_000_000,
            MAX_INDEX - 1,
            MAX_INDEX,
        ] {
            let id = encode(index);
            assert_ne!(id, NOTHING, "{index}");
            assert_eq!(decode(id), Some(index));
        }
        assert_eq!(encode(0), 1);
        assert_eq!(decode(NOTHING), None);
        assert_eq!(decode(1), Some(0));
        assert_eq!(decode(u32::MAX), Some(MAX_INDEX));
        // The one index without an id writes nothing rather than another post's id.
        assert_eq!(encode(u32::MAX), NOTHING);
    }

    #[test]
    fn distinct_indices_get_distinct_ids() {
        let ids: std::collections::HashSet<u32> = (0..10_000).map(encode).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(!ids.contains(&NOTHING));
    }
}
