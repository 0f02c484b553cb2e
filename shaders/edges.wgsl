// Edges as anti-aliased lines: one screen-space quad per edge (instanced, a 4-vertex triangle
// strip) a little wider than the line, with a smooth alpha falloff across it. Visible pass only:
// edges are drawn before the posts, under them, and never write pick ids.
//
// Link edges use the theme's link colour and width, tag edges the fainter, thinner tag ones;
// every edge's alpha is also scaled by the frame's edge alpha scale (fainter as edges get
// denser; tags faster than links) and fades a little with depth. Edges too faint to change an
// 8-bit pixel are not drawn at all. Lines thinner than a device pixel are drawn one device
// pixel wide with proportionally less alpha, so they thin out instead of breaking up.
// Layouts: BINDINGS.md.

struct Frame {
    view_from_world: mat4x4<f32>,
    projection: vec4<f32>,
    viewport: vec4<f32>,
    framebuffer: vec4<f32>,
    link_colour: vec4<f32>,
    tag_colour: vec4<f32>,
    hover_colour: vec4<f32>,
    selection_colour: vec4<f32>,
    focus_colour: vec4<f32>,
    background: vec4<f32>,
    edges: vec4<f32>,
    output: vec4<f32>,
}

@group(0) @binding(0) var<uniform> frame: Frame;

const KIND_TAG: u32 = 1u;
// Set on an edge between two posts the view's filter leaves out: drawn at DIMMED_ALPHA.
const KIND_FADED: u32 = 2u;
const DIMMED_ALPHA: f32 = 0.2;

// How much of its alpha the farthest edge keeps.
const FAR_ALPHA: f32 = 0.55;

struct Edge {
    @location(0) a: vec3<f32>,
    @location(1) b: vec3<f32>,
    // 0 link, 1 tag; + 2 when faded.
    @location(2) kind: u32,
}

struct EdgeOut {
    @builtin(position) position: vec4<f32>,
    // Signed distance from the line's axis, device px.
    @location(0) across: f32,
    @location(1) @interpolate(flat) half_width: f32,
    // sRGB colour with straight alpha (already scaled for width, density and depth).
    @location(2) @interpolate(flat) colour: vec4<f32>,
}

const CULLED: vec4<f32> = vec4<f32>(-2.0, -2.0, 2.0, 1.0);

// A view-space point -> device px (the same mapping as the posts' centres).
fn device_from_view(view: vec3<f32>) -> vec2<f32> {
    let depth = -view.z;
    let over = select(1.0, depth, frame.projection.z > 0.5);
    let ndc = view.xy * frame.projection.xy / over;
    let css = vec2<f32>(
        (ndc.x + 1.0) * 0.5 * frame.viewport.x,
        (1.0 - ndc.y) * 0.5 * frame.viewport.y,
    );
    return css * frame.viewport.z;
}

fn clip_from_device(p: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(
        p.x / frame.framebuffer.x * 2.0 - 1.0,
        1.0 - p.y / frame.framebuffer.y * 2.0,
    );
}

fn linear_from_srgb(c: vec3<f32>) -> vec3<f32> {
    let low = c / 12.92;
    let high = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(high, low, c <= vec3<f32>(0.04045));
}

@vertex
fn vs_main(@builtin(vertex_index) vertex_index: u32, edge: Edge) -> EdgeOut {
    var out: EdgeOut;
    let near = frame.framebuffer.z;
    let far = frame.framebuffer.w;
    var va = (frame.view_from_world * vec4<f32>(edge.a, 1.0)).xyz;
    var vb = (frame.view_from_world * vec4<f32>(edge.b, 1.0)).xyz;
    let da = -va.z;
    let db = -vb.z;
    // Clip the segment to the depth range (both ends beyond one plane: nothing to draw).
    if (da < near && db < near) || (da > far && db > far) || !(da == da && db == db) {
        out.position = CULLED;
        return out;
    }
    if da < near {
        va = mix(va, vb, (near - da) / (db - da));
    } else if da > far {
        va = mix(va, vb, (da - far) / (da - db));
    }
    if db < near {
        vb = mix(vb, va, (near - db) / (da - db));
    } else if db > far {
        vb = mix(vb, va, (db - far) / (db - da));
    }
    let pa = device_from_view(va);
    let pb = device_from_view(vb);
    let along = pb - pa;
    let length_px = length(along);
    if !(length_px > 1e-3) {
        out.position = CULLED;
        return out;
    }
    let direction = along / length_px;
    let normal = vec2<f32>(-direction.y, direction.x);

    let is_tag = (edge.kind & KIND_TAG) != 0u;
    let width_css = select(frame.edges.x, frame.edges.y, is_tag);
    let width = width_css * frame.viewport.z;
    var colour = select(frame.link_colour, frame.tag_colour, is_tag);
    // Crowding: links fade with the density scale, tags with its square, so a crowded frame
    // keeps its link structure and sheds the tag haze first.
    let scale = frame.edges.z;
    colour.a *= select(scale, scale * scale, is_tag);
    if (edge.kind & KIND_FADED) != 0u {
        colour.a *= DIMMED_ALPHA;
    }
    // Below a device pixel: one pixel wide, alpha in proportion.
    colour.a *= min(width, 1.0);
    // Fainter with depth (the midpoint's, between the near and far planes).
    let depth = (-(va.z + vb.z) * 0.5 - near) / (far - near);
    colour.a *= mix(1.0, FAR_ALPHA, clamp(depth, 0.0, 1.0));
    // An edge that moves no 8-bit channel by half a step over the background is invisible:
    // skip its quad (on a software rasteriser, thin quads are the frame's main cost). The CPU
    // skips a whole kind when its nearest edge would be skipped here (edges.rs).
    let contrast = max(max(abs(colour.r - frame.background.r), abs(colour.g - frame.background.g)),
        abs(colour.b - frame.background.b));
    if colour.a * contrast * 255.0 < 0.5 {
        out.position = CULLED;
        return out;
    }
    let half_width = max(width, 1.0) * 0.5;

    let t = f32(vertex_index & 1u);
    let side = f32((vertex_index >> 1u) & 1u) * 2.0 - 1.0;
    // Half a device pixel of margin on each side, where the coverage falls to 0.
    let across = side * (half_width + 0.5);
    let p = mix(pa, pb, t) + normal * across;
    out.position = vec4<f32>(clip_from_device(p), 0.0, 1.0);
    out.across = across;
    out.half_width = half_width;
    out.colour = colour;
    return out;
}

@fragment
fn fs_main(in: EdgeOut) -> @location(0) vec4<f32> {
    let coverage = clamp(in.half_width + 0.5 - abs(in.across), 0.0, 1.0);
    let alpha = in.colour.a * coverage;
    if alpha <= 0.0 {
        discard;
    }
    var rgb = in.colour.rgb;
    if frame.output.x < 0.5 {
        rgb = linear_from_srgb(rgb);
    }
    // Premultiplied.
    return vec4<f32>(rgb * alpha, alpha);
}
