//! The CPU reference picker: every post projected once, bucketed in a uniform screen grid.
//!
//! [`ScreenProjection::new`] projects each post once (O(n)) and buckets its hit disc's bounding
//! box into grid cells of CSS pixels, each cell's posts nearest first, so that a pick tests the
//! posts of one cell up to its first hit. The grid never changes an answer: [`ScreenProjection::pick_exhaustive`] tests every post and must
//! agree with [`ScreenProjection::pick`] everywhere.
//!
//! # Rules (docs/DESIGN.md, "Coordinates and frames")
//! - The pixel read for CSS point (X, Y) is the device pixel containing (X * dpr, Y * dpr); all
//!   tests use its centre, `(floor(X * dpr) + 0.5) / dpr` CSS px. Points outside the
//!   `round(W * dpr)` x `round(H * dpr)` framebuffer pick nothing.
//! - A post is hit when that centre lies within its hit disc, edge included:
//!   `dx² + dy² <= hit_r²` (a GPU fragment shader that discards only `> 1` matches this).
//! - Among hit posts the smallest `depth` wins, ties to the smaller index.
//! - Posts whose centre lies outside the camera's depth range (behind the eye, beyond the far
//!   plane) are not drawn, so they are never hit.
//! - A touch ([`ScreenProjection::pick_touch`]) reaches further than a pointer: among visible
//!   posts whose hit disc contains the point or whose centre lies within [`TOUCH_REACH_PX`] of
//!   it, the nearest centre wins; equal distances go by the pointer's rule (depth, then index).

use serde::{Deserialize, Serialize};

use super::MIN_HIT_RADIUS_PX;
use crate::camera::{Camera, Viewport};
use crate::hash::Hash64;
use crate::posts::Post;
use crate::scene::Scene;
use glam::Vec3;

/// The ambiguous band's width on either side of a hit disc's edge, in device pixels.
pub const AMBIGUOUS_EDGE_DEVICE_PX: f32 = 0.5;

/// Two hit depths closer than this, relative to the larger, are ambiguous.
pub const AMBIGUOUS_DEPTH_RELATIVE: f32 = 1e-5;

/// How far a touch reaches, CSS px: a post whose centre is this close to the touch point can be
/// tapped even where its disc is smaller than a fingertip.
pub const TOUCH_REACH_PX: f32 = 16.0;

/// One post as drawn in the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectedNode {
    /// Centre, CSS px from the frame's left.
    pub x_px: f32,
    /// Centre, CSS px from the frame's top.
    pub y_px: f32,
    /// Drawn radius, CSS px.
    pub r_px: f32,
    /// Hit radius, CSS px: `max(r_px, MIN_HIT_RADIUS_PX)`.
    pub hit_r_px: f32,
    /// View-space depth of the centre (smaller is nearer), written flat across the disc.
    pub depth: f32,
    /// Whether it is drawn at all: its centre is within the camera's depth range. When false,
    /// the other fields except `depth` are 0 and it is never picked.
    pub drawn: bool,
    /// Whether the device pixel containing its centre is in the frame and picks this post (no
    /// nearer post's hit disc covers it). A visible post always picks itself at its centre.
    pub visible: bool,
}

impl ProjectedNode {
    /// A post at (`x_px`, `y_px`) of drawn radius `r_px` at `depth`; the hit radius follows
    /// from `r_px` and `visible` is worked out by [`ScreenProjection::from_nodes`].
    pub fn new(x_px: f32, y_px: f32, r_px: f32, depth: f32) -> ProjectedNode {
        ProjectedNode {
            x_px,
            y_px,
            r_px,
            hit_r_px: r_px.max(MIN_HIT_RADIUS_PX),
            depth,
            drawn: [x_px, y_px, r_px, depth].iter().all(|v| v.is_finite()),
            visible: false,
        }
    }

    const HIDDEN: ProjectedNode = ProjectedNode {
        x_px: 0.0,
        y_px: 0.0,
        r_px: 0.0,
        hit_r_px: 0.0,
        depth: 0.0,
        drawn: false,
        visible: false,
    };

    /// Whether the point (`x`, `y`) (CSS px) lies within the hit disc, edge included.
    fn hit_by(&self, x: f32, y: f32) -> bool {
        let (dx, dy) = (x - self.x_px, y - self.y_px);
        self.drawn && dx * dx + dy * dy <= self.hit_r_px * self.hit_r_px
    }
}

/// The CSS-pixel centre of the device pixel containing (`x_css * dpr`, `y_css * dpr`), or
/// `None` when that pixel is outside the framebuffer (or the viewport is degenerate).
pub fn pixel_centre_css(x_css: f32, y_css: f32, viewport: Viewport) -> Option<(f32, f32)> {
    if !viewport.is_valid() {
        return None;
    }
    let centre = |css: f32, size_device: u32| {
        let device = (css * viewport.dpr).floor();
        (device >= 0.0 && device < size_device as f32).then(|| (device + 0.5) / viewport.dpr)
    };
    Some((
        centre(x_css, viewport.width_device())?,
        centre(y_css, viewport.height_device())?,
    ))
}

/// Every post of a scene projected into one frame, ready to pick.
#[derive(Debug, Clone)]
pub struct ScreenProjection {
    viewport: Viewport,
    nodes: Vec<ProjectedNode>,
    grid: Grid,
}

impl ScreenProjection {
    /// Projects every node of `scene` through `camera` into `viewport`, then builds the grid
    /// and works out visibility. O(n) for posts spread over the frame.
    pub fn new(scene: &Scene, camera: &Camera, viewport: Viewport) -> ScreenProjection {
        let nodes = scene
            .nodes
            .iter()
            .map(|node| {
                let Some(p) = camera.world_to_screen(Vec3::from_array(node.position), viewport)
                else {
                    return ProjectedNode::HIDDEN;
                };
                let r_px = camera.radius_px(node.radius, p.depth, viewport);
                let projected = ProjectedNode::new(p.x_px, p.y_px, r_px, p.depth);
                if projected.drawn {
                    projected
                } else {
                    ProjectedNode {
                        depth: p.depth,
                        ..ProjectedNode::HIDDEN
                    }
                }
            })
            .collect();
        ScreenProjection::from_nodes(viewport, nodes)
    }

    /// A projection from nodes projected elsewhere (hand-built cases, another renderer's
    /// numbers). Their `visible` flags are recomputed; the rest is kept as given.
    pub fn from_nodes(viewport: Viewport, nodes: Vec<ProjectedNode>) -> ScreenProjection {
        let grid = Grid::build(&nodes, viewport);
        let mut projection = ScreenProjection {
            viewport,
            nodes,
            grid,
        };
        let visible: Vec<bool> = (0..projection.nodes.len())
            .map(|i| {
                let node = &projection.nodes[i];
                let in_frame = node.drawn
                    && (0.0..viewport.width_css).contains(&node.x_px)
                    && (0.0..viewport.height_css).contains(&node.y_px);
                in_frame && projection.pick(node.x_px, node.y_px) == Some(i as u32)
            })
            .collect();
        for (node, visible) in projection.nodes.iter_mut().zip(visible) {
            node.visible = visible;
        }
        projection
    }

    /// The frame.
    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    /// Every post as projected, in id order.
    pub fn nodes(&self) -> &[ProjectedNode] {
        &self.nodes
    }

    /// The post (index in id order) under CSS point (`x_css`, `y_css`), by the module's rules.
    /// Tests the posts bucketed in one grid cell, nearest first, up to the first hit.
    pub fn pick(&self, x_css: f32, y_css: f32) -> Option<u32> {
        let (x, y) = pixel_centre_css(x_css, y_css, self.viewport)?;
        self.first_hit(self.grid.candidates(x, y), x, y)
    }

    /// The first of `nearest_first` (a grid cell's posts) hit at pixel centre (`x`, `y`).
    fn first_hit(&self, nearest_first: &[u32], x: f32, y: f32) -> Option<u32> {
        nearest_first
            .iter()
            .copied()
            .find(|&i| self.nodes[i as usize].hit_by(x, y))
    }

    /// The post a touch at CSS point (`x_css`, `y_css`) reaches (see the module's rules), read at
    /// the same device pixel centre as [`ScreenProjection::pick`].
    pub fn pick_touch(&self, x_css: f32, y_css: f32) -> Option<u32> {
        let (x, y) = pixel_centre_css(x_css, y_css, self.viewport)?;
        let g = &self.grid;
        let columns = g.col(x - TOUCH_REACH_PX)..=g.col(x + TOUCH_REACH_PX);
        let mut best = None;
        for row in g.row(y - TOUCH_REACH_PX)..=g.row(y + TOUCH_REACH_PX) {
            for col in columns.clone() {
                let cell = row * g.cols + col;
                let posts = &g.items[g.starts[cell] as usize..g.starts[cell + 1] as usize];
                best = nearest_touched(&self.nodes, posts.iter().copied(), x, y, best);
            }
        }
        best.map(|(.., i)| i)
    }

    /// [`ScreenProjection::pick_touch`] by testing every post: the oracle for the grid.
    pub fn pick_touch_exhaustive(&self, x_css: f32, y_css: f32) -> Option<u32> {
        let (x, y) = pixel_centre_css(x_css, y_css, self.viewport)?;
        nearest_touched(&self.nodes, 0..self.nodes.len() as u32, x, y, None).map(|(.., i)| i)
    }

    /// [`ScreenProjection::pick`] by testing every post: the O(n) oracle for the grid.
    pub fn pick_exhaustive(&self, x_css: f32, y_css: f32) -> Option<u32> {
        let (x, y) = pixel_centre_css(x_css, y_css, self.viewport)?;
        nearest_hit(&self.nodes, 0..self.nodes.len() as u32, x, y)
    }

    /// Keyboard navigation: the visible post nearest to post `from` in the direction
    /// (`dx`, `dy`) on screen (y down), within 60 degrees either side of it, nearer to the line
    /// preferred (distance along plus twice the distance across). Without `from` (or when it is
    /// not visible), the visible post nearest the frame's centre. `None` when there is none.
    pub fn neighbour(&self, from: Option<u32>, dx: f32, dy: f32) -> Option<u32> {
        let visible = || {
            self.nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.visible)
                .map(|(i, n)| (i as u32, n))
        };
        let nearest_to = |x: f32, y: f32| {
            visible()
                .min_by(|(i, a), (j, b)| {
                    let da = (a.x_px - x).powi(2) + (a.y_px - y).powi(2);
                    let db = (b.x_px - x).powi(2) + (b.y_px - y).powi(2);
                    da.total_cmp(&db).then(i.cmp(j))
                })
                .map(|(i, _)| i)
        };
        let length = (dx * dx + dy * dy).sqrt();
        let origin = from
            .and_then(|i| self.nodes.get(i as usize).map(|n| (i, n)))
            .filter(|(_, n)| n.visible);
        let Some((from, origin)) = origin else {
            return nearest_to(
                self.viewport.width_css * 0.5,
                self.viewport.height_css * 0.5,
            );
        };
        if length.is_nan() || length <= 0.0 {
            return Some(from);
        }
        let (ux, uy) = (dx / length, dy / length);
        visible()
            .filter(|&(i, _)| i != from)
            .filter_map(|(i, n)| {
                let (vx, vy) = (n.x_px - origin.x_px, n.y_px - origin.y_px);
                let along = vx * ux + vy * uy;
                let across = (vx * uy - vy * ux).abs();
                // tan(60 degrees) = 1.732
                (along > 0.0 && across <= along * 1.732).then_some((i, along + 2.0 * across))
            })
            .min_by(|(i, a), (j, b)| a.total_cmp(b).then(i.cmp(j)))
            .map(|(i, _)| i)
    }

    /// Whether CSS point (`x_css`, `y_css`) is in docs/DESIGN.md's ambiguous band, where a GPU and
    /// this picker may rightly disagree: its pixel centre lies within
    /// [`AMBIGUOUS_EDGE_DEVICE_PX`] device px of the edge (inside or out) of a drawn hit disc
    /// that could change the answer, or the winning post's depth is within
    /// [`AMBIGUOUS_DEPTH_RELATIVE`] (relative) of another hit post's depth. A disc can change
    /// the answer only if it is the winner or at least as near as the winner (within the depth
    /// tolerance): a farther disc loses whether or not its rim covers the pixel, so its edge is
    /// not counted. Points outside the frame are never ambiguous.
    pub fn is_ambiguous(&self, x_css: f32, y_css: f32) -> bool {
        let Some((x, y)) = pixel_centre_css(x_css, y_css, self.viewport) else {
            return false;
        };
        let band_px = AMBIGUOUS_EDGE_DEVICE_PX / self.viewport.dpr;
        let candidates = self.grid.candidates(x, y);
        let winner = self.first_hit(candidates, x, y);
        let winner_depth = winner.map(|w| self.nodes[w as usize].depth);
        let tolerance = |depth: f32| {
            winner_depth.map_or(0.0, |w| AMBIGUOUS_DEPTH_RELATIVE * depth.abs().max(w.abs()))
        };
        let could_win = |node: &ProjectedNode| {
            winner_depth.is_none_or(|w| node.depth <= w + tolerance(node.depth))
        };
        let near_an_edge = candidates.iter().any(|&i| {
            let node = &self.nodes[i as usize];
            let (dx, dy) = (x - node.x_px, y - node.y_px);
            let distance = (dx * dx + dy * dy).sqrt();
            node.drawn && (distance - node.hit_r_px).abs() <= band_px && could_win(node)
        });
        if near_an_edge {
            return true;
        }
        let (Some(winner), Some(winner_depth)) = (winner, winner_depth) else {
            return false;
        };
        candidates.iter().any(|&i| {
            let node = &self.nodes[i as usize];
            i != winner
                && node.hit_by(x, y)
                && (node.depth - winner_depth).abs() <= tolerance(node.depth)
        })
    }

    /// The `hits-{mode}.json` document for this frame. `posts` are the scene's posts (id
    /// order), `labelled` whether the frame shows each one's label (the first frame's:
    /// [`crate::site::FirstFrame::hits`]). Numbers are the picker's own `f32`s, unrounded
    /// (serde_json writes each in its shortest round-trip form), so a reader reproduces every
    /// pick exactly.
    ///
    /// # Panics
    /// When `posts` or `labelled` is not one entry per projected node.
    pub fn hits(&self, posts: &[Post], positions_hash: Hash64, labelled: &[bool]) -> Hits {
        assert_eq!(posts.len(), self.nodes.len(), "one post per node");
        assert_eq!(labelled.len(), self.nodes.len(), "one label flag per node");
        Hits {
            width: self.viewport.width_css,
            height: self.viewport.height_css,
            dpr: self.viewport.dpr,
            positions_hash,
            posts: posts
                .iter()
                .zip(&self.nodes)
                .zip(labelled)
                .map(|((post, node), &labelled)| HitPost {
                    id: post.id.clone(),
                    x: node.x_px,
                    y: node.y_px,
                    r: node.r_px,
                    hit_r: node.hit_r_px,
                    depth: node.depth,
                    visible: node.visible,
                    labelled,
                })
                .collect(),
        }
    }
}

/// Among `candidates` (ascending indices), the hit post with the smallest depth; the first
/// (smallest index) among equal depths. The oracle's rule; the grid gets the same answer by
/// ordering each cell nearest first.
fn nearest_hit(
    nodes: &[ProjectedNode],
    candidates: impl Iterator<Item = u32>,
    x: f32,
    y: f32,
) -> Option<u32> {
    let mut best: Option<(f32, u32)> = None;
    for i in candidates {
        let node = &nodes[i as usize];
        if node.hit_by(x, y) && best.is_none_or(|(depth, _)| node.depth < depth) {
            best = Some((node.depth, i));
        }
    }
    best.map(|(_, i)| i)
}

/// The best of `best` and the visible posts of `candidates` that a touch at (`x`, `y`) reaches:
/// the smallest (squared centre distance, depth, index).
fn nearest_touched(
    nodes: &[ProjectedNode],
    candidates: impl Iterator<Item = u32>,
    x: f32,
    y: f32,
    mut best: Option<(f32, f32, u32)>,
) -> Option<(f32, f32, u32)> {
    for i in candidates {
        let node = &nodes[i as usize];
        let (dx, dy) = (x - node.x_px, y - node.y_px);
        let d2 = dx * dx + dy * dy;
        if !node.visible || !(node.hit_by(x, y) || d2 <= TOUCH_REACH_PX * TOUCH_REACH_PX) {
            continue;
        }
        // `+ 0.0`: -0.0 and 0.0 are one depth, as the pointer's rule sees them.
        let key = (d2, node.depth + 0.0, i);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best
}

/// `hits-{mode}.json` (docs/DESIGN.md): every post of one frame, in id order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hits {
    /// Frame width, CSS px.
    pub width: f32,
    /// Frame height, CSS px.
    pub height: f32,
    /// Device pixels per CSS pixel.
    pub dpr: f32,
    /// The layout's `positions_hash`.
    pub positions_hash: Hash64,
    /// One entry per post, id order.
    pub posts: Vec<HitPost>,
}

/// One post of a [`Hits`] file. Posts that are not drawn (outside the depth range) have x, y,
/// r and hit_r 0 and `visible` false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HitPost {
    /// The post's id.
    pub id: String,
    /// Centre, CSS px from the frame's left.
    pub x: f32,
    /// Centre, CSS px from the frame's top.
    pub y: f32,
    /// Drawn radius, CSS px.
    pub r: f32,
    /// Hit radius, CSS px.
    pub hit_r: f32,
    /// View-space depth of the centre; smaller is nearer.
    pub depth: f32,
    /// False when off frame or when a nearer post's hit disc covers the centre's pixel.
    pub visible: bool,
    /// Whether the frame shows the post's label (placed by
    /// [`crate::export::labels::place_labels`]).
    pub labelled: bool,
}

impl Hits {
    /// The file as JSON, one line and a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// A uniform grid over the frame in CSS px. Each cell lists, nearest first, every drawn post
/// whose hit disc, grown by a margin of one device pixel, overlaps the cell: a superset of the
/// posts that can be hit, or be within the ambiguous band, at any point of the cell.
#[derive(Debug, Clone)]
struct Grid {
    cell_px: f32,
    cols: usize,
    rows: usize,
    /// `items[starts[c]..starts[c + 1]]` are cell c's posts (cells row by row).
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Grid {
    fn build(nodes: &[ProjectedNode], viewport: Viewport) -> Grid {
        let (width, height) = (viewport.width_css, viewport.height_css);
        if !viewport.is_valid() {
            return Grid {
                cell_px: 1.0,
                cols: 1,
                rows: 1,
                starts: vec![0, 0],
                items: Vec::new(),
            };
        }
        // The margin covers the ambiguous band (half a device pixel) and rounding.
        let margin_px = 1.0 / viewport.dpr;
        let reach = |node: &ProjectedNode| node.hit_r_px + margin_px;
        let overlaps_frame = |node: &ProjectedNode| {
            let r = reach(node);
            node.drawn
                && node.x_px + r >= 0.0
                && node.x_px - r <= width
                && node.y_px + r >= 0.0
                && node.y_px - r <= height
        };
        let (count, diameter_sum) = nodes
            .iter()
            .filter(|n| overlaps_frame(n))
            .fold((0usize, 0.0f64), |(c, s), n| {
                (c + 1, s + 2.0 * f64::from(reach(n)))
            });
        // Cells about one typical disc across, and never more cells than posts.
        let mean_diameter = if count > 0 {
            diameter_sum / count as f64
        } else {
            1.0
        };
        let per_post = (f64::from(width) * f64::from(height) / count.max(1) as f64).sqrt();
        let cell_px = mean_diameter.max(per_post).max(1.0) as f32;
        let cols = ((width / cell_px).ceil() as usize).max(1);
        let rows = ((height / cell_px).ceil() as usize).max(1);
        let mut grid = Grid {
            cell_px,
            cols,
            rows,
            starts: Vec::new(),
            items: Vec::new(),
        };
        // The cells (rows r0..=r1, columns c0..=c1) a post is bucketed in.
        let cells_of = |grid: &Grid, node: &ProjectedNode| {
            let r = reach(node);
            let columns = grid.col(node.x_px - r)..=grid.col(node.x_px + r);
            let rows = grid.row(node.y_px - r)..=grid.row(node.y_px + r);
            (rows, columns)
        };
        // Counting pass, prefix sums, then a filling pass in index order.
        let mut starts = vec![0u32; cols * rows + 1];
        for node in nodes.iter().filter(|n| overlaps_frame(n)) {
            let (rows, columns) = cells_of(&grid, node);
            for row in rows {
                for col in columns.clone() {
                    starts[row * cols + col + 1] += 1;
                }
            }
        }
        for cell in 0..cols * rows {
            starts[cell + 1] += starts[cell];
        }
        let mut next: Vec<u32> = starts[..cols * rows].to_vec();
        let mut items = vec![0u32; starts[cols * rows] as usize];
        for (i, node) in nodes.iter().enumerate().filter(|(_, n)| overlaps_frame(n)) {
            let (rows, columns) = cells_of(&grid, node);
            for row in rows {
                for col in columns.clone() {
                    let cell = row * cols + col;
                    items[next[cell] as usize] = i as u32;
                    next[cell] += 1;
                }
            }
        }
        // Each cell nearest first (depth, then index), so that a pick stops at its first hit.
        // `+ 0.0` makes -0.0 and 0.0 one key, as `<` sees them. Drawn depths are finite.
        let mut buffer = Vec::new();
        for cell in 0..cols * rows {
            let posts = &mut items[starts[cell] as usize..starts[cell + 1] as usize];
            if posts.len() > 1 {
                crate::sort::indices_in_place(posts, &mut buffer, |i| {
                    u64::from(crate::sort::f32_key(nodes[i as usize].depth + 0.0))
                });
            }
        }
        grid.starts = starts;
        grid.items = items;
        grid
    }

    fn col(&self, x_px: f32) -> usize {
        ((x_px / self.cell_px).floor().max(0.0) as usize).min(self.cols - 1)
    }

    fn row(&self, y_px: f32) -> usize {
        ((y_px / self.cell_px).floor().max(0.0) as usize).min(self.rows - 1)
    }

    /// The posts that may be hit at (`x_px`, `y_px`), nearest first: ascending depth, then
    /// ascending index.
    fn candidates(&self, x_px: f32, y_px: f32) -> &[u32] {
        let cell = self.row(y_px) * self.cols + self.col(x_px);
        &self.items[self.starts[cell] as usize..self.starts[cell + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picking::encode;
    use crate::rng::Rng;
    use crate::scene::{Mode, SceneNode};

    const FRAME: Viewport = Viewport {
        width_css: 400.0,
        height_css: 300.0,
        dpr: 1.0,
    };

    fn node(x_px: f32, y_px: f32, r_px: f32, depth: f32) -> ProjectedNode {
        ProjectedNode::new(x_px, y_px, r_px, depth)
    }

    #[test]
    fn pixel_centres() {
        assert_eq!(pixel_centre_css(10.2, 0.0, FRAME), Some((10.5, 0.5)));
        assert_eq!(
            pixel_centre_css(399.99, 299.99, FRAME),
            Some((399.5, 299.5))
        );
        assert_eq!(pixel_centre_css(400.0, 10.0, FRAME), None);
        assert_eq!(pixel_centre_css(-0.01, 10.0, FRAME), None);
        assert_eq!(pixel_centre_css(f32::NAN, 10.0, FRAME), None);
        let retina = Viewport::new(400.0, 300.0, 2.0);
        assert_eq!(pixel_centre_css(10.2, 10.6, retina), Some((10.25, 10.75)));
    }

    #[test]
    fn nearest_depth_wins_then_smaller_index() {
        let nodes = vec![
            node(100.5, 100.5, 20.0, 50.0),
            node(110.5, 100.5, 20.0, 40.0), // nearer, overlapping 0
            node(300.5, 200.5, 10.0, 30.0),
            node(300.5, 200.5, 10.0, 30.0), // same place and depth as 2
        ];
        let projection = ScreenProjection::from_nodes(FRAME, nodes);
        assert_eq!(projection.pick(105.0, 100.0), Some(1));
        assert_eq!(projection.pick(85.0, 100.0), Some(0));
        assert_eq!(projection.pick(300.0, 200.0), Some(2));
        assert_eq!(projection.pick(10.0, 290.0), None);
        let visible: Vec<bool> = projection.nodes().iter().map(|n| n.visible).collect();
        assert_eq!(visible, [false, true, true, false]);
        assert!(!projection.is_ambiguous(85.0, 100.0));
    }

    #[test]
    fn min_hit_radius_and_edge_inclusion() {
        // A 1 px post is hit out to MIN_HIT_RADIUS_PX, edge included.
        let projection = ScreenProjection::from_nodes(FRAME, vec![node(100.5, 100.5, 1.0, 10.0)]);
        assert_eq!(projection.nodes()[0].hit_r_px, MIN_HIT_RADIUS_PX);
        assert_eq!(projection.pick(106.0, 100.0), Some(0)); // centre 106.5: exactly 6 away
        assert_eq!(projection.pick(107.0, 100.0), None);
        assert_eq!(projection.pick(104.0, 104.0), Some(0));
    }

    #[test]
    fn ambiguous_band() {
        let nodes = vec![
            node(100.0, 100.5, 20.0, 10.0),
            node(250.5, 100.5, 20.0, 10.0),
            node(260.5, 100.5, 20.0, 10.00005), // depth tie with 1 (5e-6 relative)
            node(250.5, 250.5, 20.0, 10.0),
            node(260.5, 250.5, 20.0, 10.01), // clearly farther than 3
        ];
        let projection = ScreenProjection::from_nodes(FRAME, nodes);
        // Pixel centres 19.5 (inside) and 20.5 (outside) from node 0's centre are in the band.
        assert!(projection.is_ambiguous(119.0, 100.0));
        assert!(projection.is_ambiguous(120.0, 100.0));
        assert!(projection.is_ambiguous(80.0, 100.0));
        assert!(projection.is_ambiguous(100.0, 120.0));
        // 1.5 inside and 1.5 outside the edge are clear.
        assert!(!projection.is_ambiguous(118.0, 100.0));
        assert!(!projection.is_ambiguous(121.0, 100.0));
        assert!(!projection.is_ambiguous(100.0, 100.0));
        assert_eq!(projection.pick(119.0, 100.0), Some(0));
        assert_eq!(projection.pick(120.0, 100.0), None);
        // Overlap of two discs at (nearly) the same depth.
        assert_eq!(projection.pick(255.0, 100.0), Some(1));
        assert!(projection.is_ambiguous(255.0, 100.0));
        assert_eq!(projection.pick(255.0, 250.0), Some(3));
        assert!(!projection.is_ambiguous(255.0, 250.0));
        // On the rim of the farther disc 4 but well inside the nearer 3: 3 wins either way.
        assert_eq!(projection.pick(240.0, 250.0), Some(3));
        assert!(!projection.is_ambiguous(240.0, 250.0));
        // On the rim of the nearer disc 3, inside 4: the answer may flip between them.
        assert_eq!(projection.pick(270.0, 250.0), Some(3));
        assert!(projection.is_ambiguous(270.0, 250.0));
        // Outside the frame nothing is ambiguous.
        assert!(!projection.is_ambiguous(-5.0, 100.0));
        // With dpr 2 the band is a quarter CSS pixel: 19.75 from the centre is in it, 19.5 not.
        let retina = Viewport::new(400.0, 300.0, 2.0);
        let projection = ScreenProjection::from_nodes(retina, vec![node(100.5, 100.5, 20.0, 10.0)]);
        assert!(projection.is_ambiguous(120.0, 100.5));
        assert!(!projection.is_ambiguous(119.5, 100.5)); // pixel centre 119.75: 19.25 away
    }

    #[test]
    fn off_frame_and_hidden_posts() {
        let mut hidden = node(50.5, 50.5, 10.0, 10.0);
        hidden.drawn = false;
        let nodes = vec![node(-3.0, 150.0, 10.0, 5.0), hidden];
        let projection = ScreenProjection::from_nodes(FRAME, nodes);
        // The disc of an off-frame centre still picks inside the frame; it is not visible.
        assert_eq!(projection.pick(2.0, 150.0), Some(0));
        assert!(!projection.nodes()[0].visible);
        assert_eq!(projection.pick(50.0, 50.0), None);
        assert!(!projection.nodes()[1].visible);
    }

    #[test]
    fn grid_keeps_the_tie_rule_on_equal_depths() {
        // Overlapping discs on a few shared depths (0.0 and -0.0 among them, which `<` calls
        // equal), later indices nearer: the grid orders cells nearest first and must still give
        // the smaller index among equal depths, as the oracle does.
        let depths = [3.0, 0.0, -0.0, 3.0, -2.0, 0.0, -0.0, -2.0];
        let nodes: Vec<ProjectedNode> = (0..64)
            .map(|i| {
                let (x, y) = (40.0 + (i % 8) as f32 * 9.0, 40.0 + (i / 8) as f32 * 9.0);
                node(x, y, 12.0, depths[(i * 5 + i / 8) % depths.len()])
            })
            .collect();
        let projection = ScreenProjection::from_nodes(FRAME, nodes.clone());
        let mut hits = 0;
        for y in 20..140 {
            for x in 20..140 {
                let (x, y) = (x as f32, y as f32);
                let picked = projection.pick(x, y);
                assert_eq!(picked, projection.pick_exhaustive(x, y), "({x}, {y})");
                hits += usize::from(picked.is_some());
            }
        }
        assert!(hits > 7_000, "{hits}");
        for (i, n) in projection.nodes().iter().enumerate() {
            let expected = projection.pick_exhaustive(n.x_px, n.y_px) == Some(i as u32);
            assert_eq!(n.visible, expected, "post {i}");
        }
    }

    fn random_scene(n: usize, seed: u64) -> Scene {
        let mut rng = Rng::new(seed, 7);
        let nodes = (0..n as u32)
            .map(|i| SceneNode {
                index: i,
                pick_id: encode(i),
                position: std::array::from_fn(|_| rng.range_f64(-100.0, 100.0) as f32),
                radius: rng.range_f64(0.05, 4.0) as f32,
                colour: [0, 0, 0, 255],
                label: None,
                dimmed: false,
            })
            .collect();
        Scene {
            mode: Mode::ThreeD,
            nodes,
            edges: Vec::new(),
            bounds_centre: Vec3::ZERO,
            bounds_radius: 180.0,
            centre: None,
            themes: crate::style::Style::default().themes(),
        }
    }

    #[test]
    fn grid_agrees_with_exhaustive_picks() {
        let scene = random_scene(3000, 1);
        for viewport in [
            FRAME,
            Viewport::new(640.0, 360.0, 1.5),
            Viewport::new(200.0, 500.0, 3.0),
        ] {
            let mut camera =
                Camera::fit(scene.bounds_centre, scene.bounds_radius, viewport.aspect());
            let projection = ScreenProjection::new(&scene, &camera, viewport);
            camera.zoom(4.0); // close up: big discs, many off frame
            let close_up = ScreenProjection::new(&scene, &camera, viewport);
            let mut rng = Rng::new(2, 3);
            for projection in [projection, close_up] {
                let (mut hits, mut touches) = (0, 0);
                for _ in 0..2000 {
                    let x = rng.range_f64(-10.0, f64::from(viewport.width_css) + 10.0) as f32;
                    let y = rng.range_f64(-10.0, f64::from(viewport.height_css) + 10.0) as f32;
                    let picked = projection.pick(x, y);
                    assert_eq!(picked, projection.pick_exhaustive(x, y), "({x}, {y})");
                    hits += usize::from(picked.is_some());
                    let touched = projection.pick_touch(x, y);
                    assert_eq!(
                        touched,
                        projection.pick_touch_exhaustive(x, y),
                        "touch ({x}, {y})"
                    );
                    touches += usize::from(touched.is_some());
                }
                assert!(hits > 100, "{hits}");
                assert!(
                    touches > hits,
                    "a touch reaches more than a pointer: {touches} vs {hits}"
                );
            }
        }
    }

    #[test]
    fn a_touch_reaches_the_nearest_centre() {
        let far = node(300.5, 200.5, 1.0, 1.0);
        let nodes = vec![
            node(100.5, 100.5, 30.0, 1.0), // 0: a big disc
            node(125.5, 100.5, 2.0, 0.5),  // 1: a small post over its rim, nearer
            far,                           // 2: alone
            node(50.5, 250.5, 1.0, 2.0),   // 3 and 4: 20 px apart
            node(70.5, 250.5, 1.0, 1.0),
            node(200.5, 50.5, 10.0, 1.0), // 5: in front of
            node(200.5, 50.5, 3.0, 2.0),  // 6: hidden behind it
        ];
        let projection = ScreenProjection::from_nodes(FRAME, nodes);
        // Inside the big disc but 7 px from the small post's centre: a pointer gets the big
        // one, a finger the small one (the nearest centre).
        assert_eq!(projection.pick(118.2, 100.2), Some(0));
        assert_eq!(projection.pick_touch(118.2, 100.2), Some(1));
        // Deep inside the big disc its own centre is nearest.
        assert_eq!(projection.pick_touch(95.2, 100.2), Some(0));
        // A tiny post is reached up to TOUCH_REACH_PX from its centre (pixel centres 15 and 17
        // px away), not beyond.
        assert_eq!(projection.pick(315.2, 200.2), None);
        assert_eq!(projection.pick_touch(315.2, 200.2), Some(2));
        assert_eq!(projection.pick_touch(317.2, 200.2), None);
        // Equally near centres: the nearer depth wins, as for a pointer.
        assert_eq!(projection.pick_touch(60.2, 250.2), Some(4));
        // A post that is not visible is never reached.
        assert!(!projection.nodes()[6].visible);
        assert_eq!(projection.pick_touch(200.2, 50.2), Some(5));
        // Outside the frame nothing is.
        assert_eq!(projection.pick_touch(-1.0, 100.0), None);
        for y in 0..300 {
            for x in 0..400 {
                let (x, y) = (x as f32 + 0.3, y as f32 + 0.3);
                assert_eq!(
                    projection.pick_touch(x, y),
                    projection.pick_touch_exhaustive(x, y),
                    "({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn hundred_thousand_posts() {
        let scene = random_scene(100_000, 3);
        let viewport = Viewport::new(1200.0, 675.0, 1.0);
        let camera = Camera::fit(scene.bounds_centre, scene.bounds_radius, viewport.aspect());
        let projection = ScreenProjection::new(&scene, &camera, viewport);
        assert!(projection.grid.items.len() < 20 * scene.nodes.len());
        let mut rng = Rng::new(4, 5);
        for _ in 0..200 {
            let x = rng.range_f64(0.0, 1200.0) as f32;
            let y = rng.range_f64(0.0, 675.0) as f32;
            assert_eq!(projection.pick(x, y), projection.pick_exhaustive(x, y));
        }
        for (i, node) in projection.nodes().iter().enumerate() {
            if node.visible {
                assert_eq!(projection.pick(node.x_px, node.y_px), Some(i as u32));
            }
        }
    }

    #[test]
    fn hits_file_round_trips() {
        let nodes = vec![node(10.5, 20.25, 3.0, 7.5), node(500.0, 20.0, 3.0, 1.0)];
        let projection = ScreenProjection::from_nodes(FRAME, nodes);
        let posts: Vec<Post> = ["a", "b"]
            .iter()
            .map(|id| Post {
                id: id.to_string(),
                title: id.to_string(),
                url: None,
                date: None,
                tags: Vec::new(),
                links: Vec::new(),
                summary: None,
                weight: None,
            })
            .collect();
        let hits = projection.hits(&posts, Hash64(0x0123_4567_89ab_cdef), &[true, false]);
        let json = hits.to_json();
        assert!(json.starts_with(
            r#"{"width":400.0,"height":300.0,"dpr":1.0,"positions_hash":"0123456789abcdef","posts":[{"id":"a","x":10.5,"y":20.25,"r":3.0,"hit_r":6.0,"depth":7.5,"visible":true,"labelled":true}"#
        ), "{json}");
        assert!(json.contains(r#""visible":false,"labelled":false}]}"#));
        assert_eq!(serde_json::from_str::<Hits>(&json).ok(), Some(hits));
    }

    #[test]
    fn arrows_move_to_the_nearest_post_in_their_direction() {
        // A plus sign: centre 0, right 1, far right 2, up 3, left 4 (hidden behind nothing).
        let nodes = vec![
            node(200.0, 150.0, 4.0, 5.0),
            node(260.0, 160.0, 4.0, 5.0),
            node(330.0, 150.0, 4.0, 5.0),
            node(205.0, 60.0, 4.0, 5.0),
            node(120.0, 150.0, 4.0, 5.0),
        ];
        let projection = ScreenProjection::from_nodes(FRAME, nodes);
        assert_eq!(projection.neighbour(Some(0), 1.0, 0.0), Some(1));
        assert_eq!(projection.neighbour(Some(1), 1.0, 0.0), Some(2));
        assert_eq!(projection.neighbour(Some(2), 1.0, 0.0), None);
        assert_eq!(projection.neighbour(Some(0), 0.0, -1.0), Some(3));
        assert_eq!(projection.neighbour(Some(0), -1.0, 0.0), Some(4));
        assert_eq!(projection.neighbour(Some(3), 0.0, 1.0), Some(0));
        // No start: the post nearest the centre of the 400 x 300 frame.
        assert_eq!(projection.neighbour(None, 1.0, 0.0), Some(0));
        assert_eq!(projection.neighbour(Some(99), 1.0, 0.0), Some(0));
    }
}
