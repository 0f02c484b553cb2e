//! Benchmarks of the wgpu renderer at 1k, 10k and 100k posts on whatever adapter this machine
//! has (lavapipe on build machines; the adapter is printed first), 1200 x 675 CSS px at dpr 1:
//!
//! - `frame`: prepare (uniforms, sorted post instances, edge instances, uploads) + encode the
//!   visible pass (MSAA 4, resolved) + submit + wait for the GPU;
//! - `pick`: one pick on a prepared frame: encode the id-buffer pass + copy one pixel + submit +
//!   map and read it (what a pointer move costs in the browser).
//!
//! The 1k and 10k sites are the test fixtures laid out with the default parameters; the 100k
//! site is `sitegen::generate(100_000, 3)` laid out with 30 iterations (the picture's density,
//! not its quality, is what costs). Without an adapter the bench prints a message and measures
//! nothing.
//!
//! Full run: `cargo bench --bench render`. Smoke run, each case once: `cargo bench --bench render
//! -- --test`.

use std::hint::black_box;
use std::sync::mpsc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use logmesh::camera::Viewport;
use logmesh::layout::ForceParams;
use logmesh::posts::Post;
use logmesh::render::{
    FRAME_FORMAT, GpuContext, Headless, Highlight, PickTargets, Renderer, SAMPLE_COUNT,
    pick_index_in_pixels,
};
use logmesh::scene::Mode;
use logmesh::site::{FirstFrame, Site};
use logmesh::style::Theme;

const VIEWPORT: Viewport = Viewport {
    width_css: 1200.0,
    height_css: 675.0,
    dpr: 1.0,
};

/// The first 3D frame of `posts` laid out with `iterations`, as `prerender` draws it.
fn first_frame(posts: Vec<Post>, iterations: u32) -> FirstFrame {
    let params = ForceParams {
        iterations,
        ..ForceParams::default()
    };
    Site::laid_out(posts, &params).first_frame(Mode::ThreeD, VIEWPORT)
}

fn sites() -> Vec<(&'static str, FirstFrame)> {
    let fixture = |name: &str| {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        logmesh::posts::parse(&bytes)
            .map(|p| p.posts)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let iterations = ForceParams::default().iterations;
    vec![
        ("1k", first_frame(fixture("site-1k.json"), iterations)),
        ("10k", first_frame(fixture("site-10k.json"), iterations)),
        (
            "100k",
            first_frame(logmesh::sitegen::generate(100_000, 3), 30),
        ),
    ]
}

fn texture(context: &GpuContext, format: wgpu::TextureFormat, samples: u32) -> wgpu::TextureView {
    context
        .device
        .create_texture(&wgpu::TextureDescriptor {
            label: None,
            size: wgpu::Extent3d {
                width: VIEWPORT.width_device(),
                height: VIEWPORT.height_device(),
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: samples,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        })
        .create_view(&Default::default())
}

fn wait(context: &GpuContext) {
    context
        .device
        .poll(wgpu::PollType::wait_indefinitely())
        .expect("GPU finishes");
}

/// Copies the pixel under the first visible post, maps it and returns the post it shows.
fn pick_once(
    context: &GpuContext,
    renderer: &Renderer,
    targets: &PickTargets,
    pixel: (u32, u32),
    readback: &wgpu::Buffer,
) -> Option<u32> {
    let mut encoder = context.device.create_command_encoder(&Default::default());
    renderer.encode_pick_pass(
        &mut encoder,
        targets.ids_view(),
        targets.depth_view(),
        Some([pixel.0, pixel.1, 1, 1]),
    );
    targets.copy_pixels(&mut encoder, &[pixel], readback);
    context.queue.submit([encoder.finish()]);
    let (sender, receiver) = mpsc::channel();
    readback.map_async(wgpu::MapMode::Read, .., move |result| {
        let _ = sender.send(result);
    });
    wait(context);
    receiver.recv().expect("callback ran").expect("mapped");
    let index = pick_index_in_pixels(&readback.get_mapped_range(..).expect("mapped"), 0);
    readback.unmap();
    index
}

fn render(c: &mut Criterion) {
    let headless = match Headless::new() {
        Ok(headless) => headless,
        Err(error) => {
            eprintln!("skipping the render benches: no GPU adapter ({error})");
            return;
        }
    };
    let context = headless.context();
    eprintln!("adapter: {}", context.adapter_summary());
    let sites = sites();
    let mut renderer = Renderer::new(&context.device, FRAME_FORMAT, SAMPLE_COUNT);
    let multisampled = texture(context, FRAME_FORMAT, SAMPLE_COUNT);
    let resolved = texture(context, FRAME_FORMAT, 1);

    let mut group = c.benchmark_group("frame");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    for (name, frame) in &sites {
        group.bench_with_input(BenchmarkId::from_parameter(name), frame, |b, frame| {
            b.iter(|| {
                renderer.prepare(
                    &context.device,
                    &context.queue,
                    black_box(&frame.scene),
                    &frame.camera,
                    VIEWPORT,
                    Theme::Dark,
                    &Highlight::default(),
                );
                let mut encoder = context.device.create_command_encoder(&Default::default());
                renderer.encode_visible_pass(&mut encoder, &multisampled, Some(&resolved));
                context.queue.submit([encoder.finish()]);
                wait(context);
            })
        });
    }
    group.finish();

    let targets = PickTargets::new(
        &context.device,
        VIEWPORT.width_device(),
        VIEWPORT.height_device(),
    );
    let readback = context.device.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: PickTargets::pixels_readback_size(1),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut group = c.benchmark_group("pick");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500));
    for (name, frame) in &sites {
        renderer.prepare(
            &context.device,
            &context.queue,
            &frame.scene,
            &frame.camera,
            VIEWPORT,
            Theme::Dark,
            &Highlight::default(),
        );
        // A pixel on a visible post, so that the pick has an answer to check.
        let (index, node) = frame
            .projection
            .nodes()
            .iter()
            .enumerate()
            .find(|(_, n)| n.visible)
            .expect("a visible post");
        let pixel = (node.x_px.floor() as u32, node.y_px.floor() as u32);
        assert_eq!(
            pick_once(context, &renderer, &targets, pixel, &readback),
            Some(index as u32)
        );
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| pick_once(context, &renderer, &targets, black_box(pixel), &readback))
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
