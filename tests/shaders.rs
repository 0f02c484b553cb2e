//! Every `shaders/*.wgsl` parses and validates with naga (the same version wgpu uses), and each
//! entry point also translates to GLSL ES 3.00 for WebGL2, the browser's fallback. No GPU needed.

use std::path::{Path, PathBuf};

use naga::back::glsl;
use naga::valid::{Capabilities, ValidationFlags, Validator};

fn shader_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders")
}

fn shaders() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(shader_dir())
        .expect("shaders/ readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "wgsl"))
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = std::fs::read_to_string(&path).expect("shader readable");
            (name, source)
        })
        .collect();
    found.sort();
    found
}

fn validate(name: &str, source: &str) -> (naga::Module, naga::valid::ModuleInfo) {
    let module = naga::front::wgsl::parse_str(source)
        .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)));
    let info = Validator::new(ValidationFlags::all(), Capabilities::empty())
        .validate(&module)
        .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)));
    (module, info)
}

#[test]
fn every_shader_validates() {
    let shaders = shaders();
    let names: Vec<&str> = shaders.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["edges.wgsl", "nodes.wgsl"]);
    for (name, source) in &shaders {
        validate(name, source);
    }
}

#[test]
fn entry_points_are_the_ones_the_renderer_uses() {
    let expected: [(&str, &[&str]); 2] = [
        ("edges.wgsl", &["vs_main", "fs_main"]),
        ("nodes.wgsl", &["vs_main", "fs_main", "vs_pick", "fs_pick"]),
    ];
    for (name, entry_points) in expected {
        let source = std::fs::read_to_string(shader_dir().join(name)).expect("readable");
        let (module, _) = validate(name, &source);
        let mut found: Vec<&str> = module
            .entry_points
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        found.sort_unstable();
        let mut entry_points = entry_points.to_vec();
        entry_points.sort_unstable();
        assert_eq!(found, entry_points, "{name}");
    }
}

#[test]
fn every_entry_point_translates_to_webgl2_glsl() {
    for (name, source) in shaders() {
        let (module, info) = validate(&name, &source);
        let options = glsl::Options {
            version: glsl::Version::Embedded {
                version: 300,
                is_webgl: true,
            },
            ..glsl::Options::default()
        };
        for entry_point in &module.entry_points {
            let pipeline_options = glsl::PipelineOptions {
                shader_stage: entry_point.stage,
                entry_point: entry_point.name.clone(),
                multiview: None,
            };
            let mut out = String::new();
            let mut writer = glsl::Writer::new(
                &mut out,
                &module,
                &info,
                &options,
                &pipeline_options,
                naga::proc::BoundsCheckPolicies::default(),
            )
            .unwrap_or_else(|e| panic!("{name} {}: {e}", entry_point.name));
            writer
                .write()
                .unwrap_or_else(|e| panic!("{name} {}: {e}", entry_point.name));
            assert!(out.starts_with("#version 300 es"), "{name}: {out}");
        }
    }
}

/// The shaders' dimming opacity is the core's (`style::DIMMED_ALPHA`), which the Canvas2D view
/// uses: a filtered post looks alike in every renderer.
#[test]
fn the_dimmed_alpha_is_the_cores() {
    let want = format!(
        "const DIMMED_ALPHA: f32 = {:?};",
        logmesh::style::DIMMED_ALPHA
    );
    for (name, source) in shaders() {
        assert!(source.contains(&want), "{name} lacks `{want}`");
    }
}
