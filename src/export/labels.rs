//! Which labels the static frame shows, and where: the labelled posts of a [`Scene`] placed at
//! their [`Label::anchor_px`] in one frame (or, when the text does not fit there, mirrored to
//! the left of the disc: [`Label::left_anchor_px`]), the less important of two colliding labels
//! dropped. No frame size hides labels: a narrow frame keeps as many as fit.
//!
//! Text is measured by an estimate (no font is available at build time): every character is
//! taken as [`CHAR_WIDTH_EM`] of the font size, generous for proportional fonts, so kept labels
//! do not overlap in a browser either. Pure and deterministic; the live overlay can use the same
//! function so the static and live labels agree.

use crate::picking::ScreenProjection;
use crate::scene::{Label, Scene};

/// Font size of labels in the frame, CSS px.
pub const LABEL_FONT_PX: f32 = 12.0;

/// Estimated advance of one character, in em.
pub const CHAR_WIDTH_EM: f32 = 0.58;

/// Estimated height of a label's box, in em.
const LINE_HEIGHT_EM: f32 = 1.25;

/// Space kept free round each label, CSS px.
const LABEL_PADDING_PX: f32 = 2.0;

/// A label as placed in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLabel<'a> {
    /// The post's index in id order.
    pub index: u32,
    /// The text (plain text, never markup).
    pub text: &'a str,
    /// The label's priority (0 = most important).
    pub priority: u32,
    /// Left end of the text's baseline box, CSS px from the frame's left.
    pub x_px: f32,
    /// Vertical centre of the text, CSS px from the frame's top.
    pub y_px: f32,
    /// Estimated width of the text, CSS px.
    pub width_px: f32,
}

/// The labels to show in `projection`'s frame, most important first: those of visible posts
/// (docs/DESIGN.md: the centre is in the frame and not covered by a nearer post) whose estimated box
/// (at `font_px`) lies inside the frame and overlaps no more important kept label, right of the
/// disc, or else left of it.
///
/// # Panics
/// When `projection` is not of `scene`.
pub fn place_labels<'a>(
    scene: &'a Scene,
    projection: &ScreenProjection,
    font_px: f32,
) -> Vec<PlacedLabel<'a>> {
    let nodes = projection.nodes();
    assert_eq!(nodes.len(), scene.nodes.len(), "projection of this scene");
    let viewport = projection.viewport();
    // Each candidate with the left end of its text when mirrored to the left of the disc.
    let mut candidates: Vec<(PlacedLabel<'a>, f32)> = scene
        .nodes
        .iter()
        .zip(nodes)
        .filter(|(_, p)| p.visible)
        .filter_map(|(node, p)| {
            let label = node.label.as_ref()?;
            if label.text.is_empty() {
                return None;
            }
            let [x_px, y_px] = Label::anchor_px(p.x_px, p.y_px, p.r_px);
            let width_px = label.text.chars().count() as f32 * CHAR_WIDTH_EM * font_px;
            let [left_x_px, _] = Label::left_anchor_px(p.x_px, p.y_px, p.r_px, width_px);
            let placed = PlacedLabel {
                index: node.index,
                text: &label.text,
                priority: label.priority,
                x_px,
                y_px,
                width_px,
            };
            Some((placed, left_x_px))
        })
        .collect();
    crate::sort::by_key(&mut candidates, |(l, _)| {
        u64::from(l.priority) << 32 | u64::from(l.index)
    });

    let half_height = LINE_HEIGHT_EM * font_px * 0.5;
    let boxed = |l: &PlacedLabel<'_>| {
        [
            l.x_px,
            l.y_px - half_height,
            l.x_px + l.width_px,
            l.y_px + half_height,
        ]
    };
    let mut kept: Vec<PlacedLabel<'a>> = Vec::new();
    let mut boxes: Vec<[f32; 4]> = Vec::new();
    for (label, left_x_px) in candidates {
        let left = PlacedLabel {
            x_px: left_x_px,
            ..label.clone()
        };
        for label in [label, left] {
            let b = boxed(&label);
            let inside = b[0] >= 0.0
                && b[1] >= 0.0
                && b[2] <= viewport.width_css
                && b[3] <= viewport.height_css;
            let free = boxes.iter().all(|k| {
                b[0] - LABEL_PADDING_PX >= k[2]
                    || k[0] - LABEL_PADDING_PX >= b[2]
                    || b[1] - LABEL_PADDING_PX >= k[3]
                    || k[1] - LABEL_PADDING_PX >= b[3]
            });
            if inside && free {
                boxes.push(b);
                kept.push(label);
                break;
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::Viewport;
    use crate::graph::PostGraph;
    use crate::picking::ProjectedNode;
    use crate::posts::Post;
    use crate::scene::SceneOptions;

    fn post(id: &str) -> Post {
        Post {
            id: id.into(),
            title: format!("Post {id}"),
            url: None,
            date: None,
            tags: Vec::new(),
            links: Vec::new(),
            summary: None,
            weight: None,
        }
    }

    #[test]
    fn colliding_labels_keep_the_most_important() {
        let posts: Vec<Post> = ["a", "b", "c", "d"].into_iter().map(post).collect();
        let graph = PostGraph::build(&posts);
        let positions = vec![[0.0; 3]; 4];
        let options = SceneOptions {
            label_count: 4,
            ..SceneOptions::default()
        };
        let scene = Scene::build_3d(&posts, &graph, &positions, &options);
        let viewport = Viewport::new(400.0, 300.0, 1.0);
        let projection = ScreenProjection::from_nodes(
            viewport,
            vec![
                ProjectedNode::new(50.0, 50.0, 5.0, 10.0),
                // Two px lower than a: its label would overlap a's.
                ProjectedNode::new(50.0, 58.0, 5.0, 10.0),
                ProjectedNode::new(50.0, 150.0, 5.0, 10.0),
                // Its label would leave the frame on the right: it goes left of the disc.
                ProjectedNode::new(390.0, 250.0, 5.0, 10.0),
            ],
        );
        let placed = place_labels(&scene, &projection, LABEL_FONT_PX);
        let kept: Vec<u32> = placed.iter().map(|l| l.index).collect();
        // All degrees are 0: priority follows the index. b's label overlaps a's on both sides.
        assert_eq!(kept, [0, 2, 3]);
        assert_eq!(
            [placed[2].x_px, placed[2].y_px],
            Label::left_anchor_px(390.0, 250.0, 5.0, placed[2].width_px)
        );
        assert!(placed[2].x_px + placed[2].width_px < 390.0 - 5.0);
        assert_eq!(placed[0].text, "Post a");
        assert_eq!(
            [placed[1].x_px, placed[1].y_px],
            Label::anchor_px(50.0, 150.0, 5.0)
        );
    }
}
