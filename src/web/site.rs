//! The browser's handle on a site: posts parsed and validated, the graph, and the layout, either
//! taken from the layout file as it is or computed in slices ([`SiteHandle::layout_step`]).

use wasm_bindgen::prelude::*;

use super::web_error;
use crate::export::safe_href;
use crate::graph::PostGraph;
#[cfg(feature = "web2d")]
use crate::layout::positions_hash;
use crate::layout::{ForceParams, Layout, LayoutFile, LayoutTask, Plan};
use crate::local::{HubRule, Neighbours};
use crate::posts::{self, Post};
use crate::scene::{Mode, Scene};
use crate::style::Style;

pub use crate::layout::MAX_BROWSER_LAYOUT_POSTS;

/// Parsed posts, their graph and their layout (possibly still being computed).
#[wasm_bindgen]
#[derive(Debug)]
pub struct SiteHandle {
    posts: Vec<Post>,
    graph: PostGraph,
    layout: Option<Layout>,
    task: Option<Box<LayoutTask>>,
    warnings: Vec<String>,
    layout_error: Option<String>,
    /// The post a local graph is centred on: the posts file's `centre` (a local graph that
    /// prerender wrote), or [`SiteHandle::local`]'s.
    centre: Option<u32>,
    /// The site's colours and label font: the page data's `style`, or the built-in look.
    style: Style,
}

#[wasm_bindgen]
impl SiteHandle {
    /// Parses posts.json text (`data` error when invalid: every problem, named by post and
    /// field) and, when given, layout.json text. An invalid layout file is not fatal: the posts
    /// are laid out afresh and [`SiteHandle::layout_error`] says why. Without a usable layout file,
    /// more than [`MAX_BROWSER_LAYOUT_POSTS`] posts is a `data` error; a stale layout file is
    /// warm-started from at any size ([`crate::layout::Reuse::browser_may_lay_out`]).
    pub fn parse(posts_json: &str, layout_json: Option<String>) -> Result<SiteHandle, JsValue> {
        let parsed =
            posts::parse(posts_json.as_bytes()).map_err(|e| web_error("data", e.to_string()))?;
        let mut warnings: Vec<String> = parsed.warnings.iter().map(|w| w.to_string()).collect();
        let mut layout_error = None;
        let file = layout_json.and_then(|text| match LayoutFile::parse(text.as_bytes()) {
            Ok((file, layout_warnings)) => {
                warnings.extend(layout_warnings);
                Some(file)
            }
            Err(e) => {
                layout_error = Some(format!("{e}; laid out afresh"));
                None
            }
        });
        let posts = parsed.posts;
        let style = parsed.style.unwrap_or_default();
        let centre = parsed
            .centre
            .and_then(|id| posts.binary_search_by(|p| p.id.cmp(&id)).ok())
            .map(|i| i as u32);
        let graph = PostGraph::build(&posts);
        let (plan, reuse, warning) =
            Layout::plan(&posts, &graph, &ForceParams::default(), file.as_ref());
        warnings.extend(warning);
        let (layout, task) = match plan {
            Plan::Ready(layout) => (Some(layout), None),
            Plan::Run(_) if !reuse.browser_may_lay_out(posts.len()) => {
                return Err(web_error(
                    "data",
                    format!(
                        "{} posts need a layout file (logmesh bake): the browser lays out at most {}",
                        posts.len(),
                        MAX_BROWSER_LAYOUT_POSTS
                    ),
                ));
            }
            Plan::Run(task) => (None, Some(task)),
        };
        Ok(SiteHandle {
            posts,
            graph,
            layout,
            task,
            warnings,
            layout_error,
            centre,
            style,
        })
    }

    /// What search and the filter read (docs/DESIGN.md, "Search and filter"; the element's
    /// `internal/search.js` ranks, with the browser's own Unicode tables): for each post in id
    /// order its title, its date (`YYYY-MM-DD`, or empty), its tags (never empty), then an empty
    /// text, as one string, each text followed by U+001F (the unit separator). Control
    /// characters, which only a title may hold, become spaces there, as in its label. One string,
    /// because 50,000 strings one by one took 40-70 ms to cross into JS for 10,000 posts; no tag
    /// count, whose formatting cost the WebGPU module 0.2 kB gzip.
    pub fn texts(&self) -> String {
        let mut out = String::new();
        let mut push = |text: &str| {
            out.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
            out.push('\u{1f}');
        };
        for post in &self.posts {
            push(&post.title);
            push(&post.date.map(|d| d.to_string()).unwrap_or_default());
            for tag in &post.tags {
                push(tag);
            }
            push("");
        }
        out
    }

    /// The local graph of post `id` to `depth` (clamped to 1-3) as a new handle, laid out
    /// (docs/DESIGN.md, "Local graph"; [`crate::site::Site::local`]): `data` error for an id
    /// that is not a post here, `render` error while the layout is not ready.
    pub fn local(&self, id: &str, depth: u32) -> Result<SiteHandle, JsValue> {
        let Some(centre) = self.index_of(id) else {
            return Err(web_error(
                "data",
                format!(
                    "local: {} is not a post of this graph",
                    crate::error::quote(id)
                ),
            ));
        };
        let Some(layout) = &self.layout else {
            return Err(web_error("render", "the layout is not ready".to_owned()));
        };
        let depth = depth.clamp(1, u32::from(crate::local::MAX_DEPTH)) as u8;
        let neighbours = Neighbours::new(&self.graph, &HubRule::default());
        let (posts, graph, layout, centre) =
            crate::local::cut(&self.posts, layout, &neighbours, centre, depth);
        Ok(SiteHandle {
            posts,
            graph,
            layout: Some(layout),
            task: None,
            warnings: Vec::new(),
            layout_error: None,
            centre: Some(centre),
            style: self.style.clone(),
        })
    }

    /// A theme's colours (dark when `dark`) as CSS hex and its label font, for the element's
    /// overlay (labels, rings, tooltip): `[label, background, hover ring, selection ring, focus
    /// ring, font]`, the site's own when its page data has a `style`, so that the overlay and the
    /// frames share one palette. (A list, not a class: no glue class for six strings.)
    pub fn theme_colours(&self, dark: bool) -> Vec<String> {
        let theme = super::frame::theme(dark);
        let c = self.style.colours(theme);
        let hex = crate::style::hex;
        vec![
            hex(c.label_text),
            hex(c.background),
            hex(c.hover_outline),
            hex(c.selection_outline),
            hex(c.focus_outline),
            self.style.font(theme).to_owned(),
        ]
    }

    /// The index of the post this local graph is centred on (the ring), if it is one.
    pub fn centre_index(&self) -> Option<u32> {
        self.centre
    }

    /// Warnings about the posts and the layout file (unknown fields, dropped links, stale or
    /// foreign layout).
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Why the layout file was not used, when it was invalid.
    pub fn layout_error(&self) -> Option<String> {
        self.layout_error.clone()
    }

    /// Runs up to `iterations` more layout iterations; returns whether the layout is ready.
    /// Slices give the same bits as one run (the same `positions_hash` as `logmesh bake`).
    pub fn layout_step(&mut self, iterations: u32) -> bool {
        if let Some(task) = self.task.as_mut()
            && task.step(iterations)
            && let Some(task) = self.task.take()
        {
            self.layout = Some(task.run());
        }
        self.layout.is_some()
    }

    /// The layout's `positions_hash` (16 hex digits), once it is ready.
    pub fn positions_hash(&self) -> Option<String> {
        self.layout.as_ref().map(|l| l.positions_hash.to_string())
    }

    /// The `positions_hash` of the 2D view's radial layout (its positions at z = 0): what
    /// `stats()` reports in 2D. Nothing until the layout is ready (the 2D view is taken from the
    /// 3D first frame).
    #[cfg(feature = "web2d")]
    pub fn radial_hash(&self) -> Option<String> {
        let scene = self.scene_2d()?;
        let positions: Vec<[f32; 3]> = scene.nodes.iter().map(|n| n.position).collect();
        Some(positions_hash(&positions).to_string())
    }

    /// Number of posts.
    pub fn post_count(&self) -> u32 {
        self.posts.len() as u32
    }

    /// Number of edges (links and tag edges).
    pub fn edge_count(&self) -> u32 {
        self.graph.edges.len() as u32
    }

    /// The index (id order) of the post `id`.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.posts
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| i as u32)
    }

    /// What the element shows of post `index`, as plain text: `[id, title, url, date, tags…]`,
    /// the URL when it is safe to follow, written as embed.html writes it ([`safe_href`], so the
    /// `select` and `open` events carry the static links' URL) or empty, the date `YYYY-MM-DD`
    /// or empty; an empty list for an index out of range. (A list, not a class: no glue class
    /// for a few strings.)
    pub fn post(&self, index: u32) -> Vec<String> {
        let Some(post) = self.posts.get(index as usize) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(4 + post.tags.len());
        out.push(post.id.clone());
        out.push(post.title.clone());
        out.push(post.url.as_deref().and_then(safe_href).unwrap_or_default());
        out.push(post.date.map(|d| d.to_string()).unwrap_or_default());
        out.extend(post.tags.iter().cloned());
        out
    }
}

impl SiteHandle {
    /// The 2D scene, by the one recipe ([`crate::site::scene`]), once the layout is ready: the
    /// 2D view is the 3D first frame drawn flat.
    #[cfg(feature = "web2d")]
    pub(crate) fn scene_2d(&self) -> Option<Scene> {
        let positions = self.layout.as_ref().map(|l| l.positions.as_slice());
        crate::site::scene(
            &self.posts,
            &self.graph,
            Mode::TwoD,
            positions,
            self.centre,
            &self.style,
        )
    }

    /// The 3D scene, by the one recipe ([`crate::site::scene`]), once the layout is ready.
    #[cfg(feature = "render")]
    pub(crate) fn scene_3d(&self) -> Option<Scene> {
        let positions = self.layout.as_ref().map(|l| l.positions.as_slice());
        crate::site::scene(
            &self.posts,
            &self.graph,
            Mode::ThreeD,
            positions,
            self.centre,
            &self.style,
        )
    }
}
