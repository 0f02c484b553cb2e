//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use logmesh::posts::{self, Parsed};

/// Path of a file in tests/fixtures.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Parses a fixture, which must be valid.
pub fn fixture(name: &str) -> Parsed {
    let bytes = std::fs::read(fixture_path(name)).expect("fixture readable");
    posts::parse(&bytes).expect("fixture valid")
}

/// The device pixels at which docs/DESIGN.md's centre-colour rule applies: for every visible post with
/// r >= 3 CSS px, (post index, device x, device y) of the pixel containing its centre, unless a
/// nearer post's rim (anti-aliased, half a device pixel wide) reaches that pixel's centre. Also
/// returns how many posts were skipped for that reason.
pub fn centre_pixels(
    projection: &logmesh::picking::ScreenProjection,
) -> (Vec<(usize, u32, u32)>, usize) {
    let nodes = projection.nodes();
    let dpr = projection.viewport().dpr;
    let mut pixels = Vec::new();
    let mut skipped = 0;
    for (i, node) in nodes.iter().enumerate() {
        if !node.visible || node.r_px < 3.0 {
            continue;
        }
        let (px, py) = ((node.x_px * dpr).floor(), (node.y_px * dpr).floor());
        let (cx, cy) = ((px + 0.5) / dpr, (py + 0.5) / dpr);
        let covered = nodes.iter().enumerate().any(|(j, other)| {
            let nearer = other.depth < node.depth || (other.depth == node.depth && j < i);
            let reach = other.r_px + 0.5 / dpr;
            j != i && other.drawn && nearer && {
                let (dx, dy) = (cx - other.x_px, cy - other.y_px);
                dx * dx + dy * dy < reach * reach
            }
        });
        if covered {
            skipped += 1;
        } else {
            pixels.push((i, px as u32, py as u32));
        }
    }
    (pixels, skipped)
}

/// The shared headless renderer, or `None` (after saying so) when this machine has no adapter;
/// with `CI` set a missing adapter is a failure, since CI installs a software one.
#[cfg(feature = "render")]
pub fn headless() -> Option<&'static logmesh::render::Headless> {
    use std::sync::OnceLock;
    static HEADLESS: OnceLock<Option<logmesh::render::Headless>> = OnceLock::new();
    let headless = HEADLESS.get_or_init(|| match logmesh::render::Headless::new() {
        Ok(headless) => {
            eprintln!("adapter: {}", headless.context().adapter_summary());
            Some(headless)
        }
        Err(error) => {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but there is no GPU adapter: {error}");
            }
            None
        }
    });
    if headless.is_none() {
        eprintln!("skipping: no GPU adapter");
    }
    headless.as_ref()
}

/// A fresh folder under the system's temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("logmesh-test-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir created");
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("file written");
        path
    }

    /// Names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("temp dir readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Mean absolute difference over all pixels and colour channels (not alpha), as a fraction of
/// 255: docs/DESIGN.md's measure of a compressed frame against its source.
pub fn mean_diff(a: &logmesh::raster::RgbaImage, b: &logmesh::raster::RgbaImage) -> f64 {
    let total: u64 = a
        .pixels
        .chunks(4)
        .zip(b.pixels.chunks(4))
        .map(|(p, q)| (0..3).map(|c| u64::from(p[c].abs_diff(q[c]))).sum::<u64>())
        .sum();
    total as f64 / (a.pixels.len() / 4 * 3) as f64 / 255.0
}
