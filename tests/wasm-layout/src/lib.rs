//! The layout as a bare wasm32 module, for the cross-target determinism test
//! (`tests/determinism.rs` builds this crate for `wasm32-unknown-unknown` and runs it under Node).
//!
//! Exports `alloc(len) -> ptr` for the host to write a posts file into,
//! `layout_hash(ptr, len, seed_lo, iterations) -> u64`, which returns the `positions_hash` of the
//! posts' layout (or 0 for invalid posts), and `radial_hash() -> u64`, the `positions_hash` of
//! the 2D view's radial layout made from that layout (`logmesh::site::scene_2d`). No
//! wasm-bindgen: the test needs nothing but Node.

// Raw pointers are the only way to share bytes with a host without bindings.
#![allow(unsafe_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use logmesh::graph::PostGraph;
use logmesh::layout::{ForceParams, Layout, positions_hash};

/// The radial layout's hash of the last `layout_hash` call.
static RADIAL_HASH: AtomicU64 = AtomicU64::new(0);

/// Leaks a zeroed buffer of `len` bytes for the host to fill.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    Box::leak(vec![0u8; len].into_boxed_slice()).as_mut_ptr()
}

/// Lays out the posts file in `ptr[..len]` and returns its `positions_hash`, or 0 if invalid.
///
/// # Safety
/// `ptr..ptr + len` must be a buffer returned by [`alloc`] with `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn layout_hash(ptr: *const u8, len: usize, seed: u32, iterations: u32) -> u64 {
    // SAFETY: the host passes back a buffer from `alloc` with its length.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    RADIAL_HASH.store(0, Ordering::Relaxed);
    let Ok(parsed) = logmesh::posts::parse(bytes) else {
        return 0;
    };
    let graph = PostGraph::build(&parsed.posts);
    let params = ForceParams { seed: u64::from(seed), iterations, ..ForceParams::default() };
    let layout = Layout::compute(&graph, &params);
    let flat = logmesh::site::scene_2d(&parsed.posts, &graph, &layout.positions);
    let radial: Vec<[f32; 3]> = flat.nodes.iter().map(|n| n.position).collect();
    RADIAL_HASH.store(positions_hash(&radial).0, Ordering::Relaxed);
    layout.positions_hash.0
}

/// The `positions_hash` of the radial layout of the last [`layout_hash`] call (0 for invalid
/// posts).
#[unsafe(no_mangle)]
pub extern "C" fn radial_hash() -> u64 {
    RADIAL_HASH.load(Ordering::Relaxed)
}
