// Posts as sphere impostors: one screen-aligned quad per post (instanced, a 4-vertex triangle
// strip), shaded as a lit sphere in the fragment shader. Two entry-point pairs:
//
// - vs_main / fs_main: the visible pass. Discs are flat at their centre's depth and drawn far
//   to near with premultiplied blending (the painter's order of the SVG and Canvas2D renderers),
//   so the anti-aliased rims blend exactly and no depth buffer is needed.
// - vs_pick / fs_pick: the pick pass. Writes the post's pick id (u32) over a flat disc of radius
//   hit_r = max(r, min hit radius) CSS px at the centre's depth, for a depth test (LessEqual,
//   same far-to-near order: equal depths go to the smaller index, as in the CPU picker).
//
// Screen positions and radii are worked out exactly as `Camera::world_to_screen` and
// `Camera::radius_px` do on the CPU (same formulas, same order of operations), so the GPU and
// the CPU picker agree outside docs/DESIGN.md's ambiguous band. Layouts: BINDINGS.md.

struct Frame {
    view_from_world: mat4x4<f32>,
    // x, y: NDC per view-space unit (x: focal / aspect, y: focal for perspective; the
    // orthographic scale otherwise); z: 1 for perspective (divide by depth), 0 orthographic;
    // w: CSS px per world unit (perspective: times 1 / depth).
    projection: vec4<f32>,
    // x, y: frame size in CSS px; z: device pixels per CSS pixel; w: min hit radius (CSS px).
    viewport: vec4<f32>,
    // x, y: framebuffer size in device px (round(W * dpr), round(H * dpr)); z, w: near, far.
    framebuffer: vec4<f32>,
    // Edge colours, sRGB with straight alpha (0..1).
    link_colour: vec4<f32>,
    tag_colour: vec4<f32>,
    // Outline colours, sRGB (0..1).
    hover_colour: vec4<f32>,
    selection_colour: vec4<f32>,
    focus_colour: vec4<f32>,
    // The theme's background, sRGB (0..1).
    background: vec4<f32>,
    // x: link width, y: tag width (CSS px); z: edge alpha scale; w: unused.
    edges: vec4<f32>,
    // x: 1 when the shader must encode sRGB itself (a non-sRGB target such as Rgba8Unorm),
    // 0 when the target's format encodes it (an *Srgb format).
    output: vec4<f32>,
}

@group(0) @binding(0) var<uniform> frame: Frame;

// Per-instance flags (BINDINGS.md).
const FLAG_HOVERED: u32 = 1u;
const FLAG_SELECTED: u32 = 2u;
const FLAG_FOCUSED: u32 = 4u;
// Left out by the view's filter: drawn at DIMMED_ALPHA (style::DIMMED_ALPHA).
const FLAG_DIMMED: u32 = 8u;
const DIMMED_ALPHA: f32 = 0.2;

// Outline rings, CSS px outside the disc: the hover/selection ring, then the focus ring.
const RING_GAP: f32 = 1.5;
const RING_WIDTH: f32 = 2.0;
const FOCUS_GAP: f32 = 5.0;
const FOCUS_WIDTH: f32 = 1.5;

struct Post {
    @location(0) position: vec3<f32>,
    @location(1) radius: f32,
    // sRGB bytes / 255 (Unorm8x4), opaque.
    @location(2) colour: vec4<f32>,
    @location(3) pick_id: u32,
    @location(4) flags: u32,
}

struct Projected {
    centre_css: vec2<f32>,
    r_css: f32,
    depth: f32,
    drawn: bool,
}

// `Camera::world_to_screen` and `Camera::radius_px`, step for step.
fn project(position: vec3<f32>, radius: f32) -> Projected {
    let view = (frame.view_from_world * vec4<f32>(position, 1.0)).xyz;
    let depth = -view.z;
    let over = select(1.0, depth, frame.projection.z > 0.5);
    let ndc = view.xy * frame.projection.xy / over;
    var out: Projected;
    out.centre_css = vec2<f32>(
        (ndc.x + 1.0) * 0.5 * frame.viewport.x,
        (1.0 - ndc.y) * 0.5 * frame.viewport.y,
    );
    out.r_css = radius * (frame.projection.w / over);
    out.depth = depth;
    out.drawn = depth >= frame.framebuffer.z && depth <= frame.framebuffer.w
        && all(out.centre_css == out.centre_css) && out.r_css == out.r_css;
    return out;
}

// CSS px -> clip space of the framebuffer (whose device size is rounded: map through device px).
fn clip_from_css(p_css: vec2<f32>) -> vec2<f32> {
    let p_device = p_css * frame.viewport.z;
    return vec2<f32>(
        p_device.x / frame.framebuffer.x * 2.0 - 1.0,
        1.0 - p_device.y / frame.framebuffer.y * 2.0,
    );
}

// Corner of the quad for a 4-vertex triangle strip: (-1, -1), (1, -1), (-1, 1), (1, 1).
fn corner(vertex_index: u32) -> vec2<f32> {
    return vec2<f32>(f32(vertex_index & 1u), f32((vertex_index >> 1u) & 1u)) * 2.0 - 1.0;
}

// A point outside the clip volume: every vertex of a culled quad lands here (zero area).
const CULLED: vec4<f32> = vec4<f32>(-2.0, -2.0, 2.0, 1.0);

fn srgb_from_linear(c: vec3<f32>) -> vec3<f32> {
    let low = c * 12.92;
    let high = 1.055 * pow(c, vec3<f32>(1.0 / 2.4)) - 0.055;
    return select(high, low, c <= vec3<f32>(0.0031308));
}

fn linear_from_srgb(c: vec3<f32>) -> vec3<f32> {
    let low = c / 12.92;
    let high = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(high, low, c <= vec3<f32>(0.04045));
}

// ---------------------------------------------------------------------------------------------
// Visible pass

struct VisibleOut {
    @builtin(position) position: vec4<f32>,
    @location(0) @interpolate(flat) centre_css: vec2<f32>,
    @location(1) @interpolate(flat) r_css: f32,
    // Palette colour, sRGB (0..1).
    @location(2) @interpolate(flat) colour: vec3<f32>,
    @location(3) @interpolate(flat) flags: u32,
}

@vertex
fn vs_main(@builtin(vertex_index) vertex_index: u32, post: Post) -> VisibleOut {
    var out: VisibleOut;
    let p = project(post.position, post.radius);
    out.centre_css = p.centre_css;
    out.r_css = p.r_css;
    out.colour = post.colour.rgb;
    out.flags = post.flags;
    if !p.drawn {
        out.position = CULLED;
        return out;
    }
    var extent_css = p.r_css;
    if (post.flags & (FLAG_HOVERED | FLAG_SELECTED)) != 0u {
        extent_css = p.r_css + RING_GAP + RING_WIDTH;
    }
    if (post.flags & FLAG_FOCUSED) != 0u {
        extent_css = p.r_css + FOCUS_GAP + FOCUS_WIDTH;
    }
    // One device pixel of margin for the anti-aliased rim.
    extent_css += 1.0 / frame.viewport.z;
    let clip = clip_from_css(p.centre_css + corner(vertex_index) * extent_css);
    out.position = vec4<f32>(clip, 0.0, 1.0);
    return out;
}

// Coverage of the pixel by the ring between radii `inner` and `outer` (device px), given the
// pixel centre's distance from the centre (device px).
fn ring_coverage(distance: f32, inner: f32, outer: f32) -> f32 {
    return clamp(distance - inner + 0.5, 0.0, 1.0) * clamp(outer - distance + 0.5, 0.0, 1.0);
}

// How much light the sphere reflects at `uv` (the offset from the centre over the radius) as a
// factor on the palette colour, linear light: 1 at the centre and flat round it (within 1% out
// to a quarter of the radius, so the centre pixel of a 3 px post is still the palette colour),
// a soft key light from the upper left only further out, darker towards the limb.
fn shading(uv: vec2<f32>) -> f32 {
    let rho2 = min(dot(uv, uv), 1.0);
    let rho = sqrt(rho2);
    let nz = sqrt(1.0 - rho2);
    // Screen y points down; the normal's y points up.
    let normal = vec3<f32>(uv.x, -uv.y, nz);
    let key = normalize(vec3<f32>(-0.45, 0.55, 0.70));
    let modelling = smoothstep(0.2, 0.9, rho);
    var shade = 1.0 + modelling * 0.55 * (dot(normal, key) - key.z);
    // Darker towards the limb, as a lit ball is.
    shade *= mix(0.55, 1.0, sqrt(nz));
    return max(shade, 0.0);
}

// A soft specular glint up and to the left, zero within 0.3 of the centre.
fn glint(uv: vec2<f32>) -> f32 {
    let g = 1.0 - smoothstep(0.0, 0.26, distance(uv, vec2<f32>(-0.36, -0.40)));
    return g * g;
}

@fragment
fn fs_main(in: VisibleOut) -> @location(0) vec4<f32> {
    let dpr = frame.viewport.z;
    let offset_css = in.position.xy / dpr - in.centre_css;
    let distance_css = length(offset_css);
    let distance = distance_css * dpr;
    let r = in.r_css * dpr;

    // Rings first (they lie outside the disc), as premultiplied sRGB.
    var colour = vec4<f32>(0.0);
    if (in.flags & (FLAG_HOVERED | FLAG_SELECTED)) != 0u {
        let ring = select(frame.hover_colour, frame.selection_colour,
            (in.flags & FLAG_SELECTED) != 0u);
        let inner = r + RING_GAP * dpr;
        let a = ring_coverage(distance, inner, inner + RING_WIDTH * dpr);
        colour = vec4<f32>(ring.rgb * a, a);
    }
    if (in.flags & FLAG_FOCUSED) != 0u {
        let inner = r + FOCUS_GAP * dpr;
        let a = ring_coverage(distance, inner, inner + FOCUS_WIDTH * dpr);
        colour = vec4<f32>(frame.focus_colour.rgb * a, a) + colour * (1.0 - a);
    }

    // The disc: coverage from the distance to the rim, shading from the sphere's normal.
    var coverage = clamp(r - distance + 0.5, 0.0, 1.0);
    // Discs smaller than a pixel fade rather than vanish or flicker.
    coverage *= clamp(r, 0.0, 1.0);
    if (in.flags & FLAG_DIMMED) != 0u {
        coverage *= DIMMED_ALPHA;
    }
    if coverage > 0.0 {
        let uv = offset_css / max(in.r_css, 1e-6);
        let base = linear_from_srgb(in.colour);
        // A lit sphere (3D and 2D alike), and a thin darker rim (one device px) that keeps
        // neighbouring discs apart.
        var lit = base * shading(uv) + vec3<f32>(0.55 * glint(uv));
        let rim = smoothstep(r - 1.5, r - 0.25, distance) * smoothstep(3.0, 6.0, r);
        lit = mix(lit, base * 0.45, rim * 0.6);
        let encoded = srgb_from_linear(clamp(lit, vec3<f32>(0.0), vec3<f32>(1.0)));
        colour = vec4<f32>(encoded * coverage, coverage) + colour * (1.0 - coverage);
    }
    if colour.a <= 0.0 {
        discard;
    }
    if frame.output.x < 0.5 {
        // The target encodes sRGB: hand it linear light (premultiplied).
        let straight = colour.rgb / colour.a;
        colour = vec4<f32>(linear_from_srgb(straight) * colour.a, colour.a);
    }
    return colour;
}

// ---------------------------------------------------------------------------------------------
// Pick pass

struct PickOut {
    @builtin(position) position: vec4<f32>,
    @location(0) @interpolate(flat) centre_css: vec2<f32>,
    @location(1) @interpolate(flat) hit_r_css: f32,
    @location(2) @interpolate(flat) pick_id: u32,
}

@vertex
fn vs_pick(@builtin(vertex_index) vertex_index: u32, post: Post) -> PickOut {
    var out: PickOut;
    let p = project(post.position, post.radius);
    out.centre_css = p.centre_css;
    out.hit_r_css = max(p.r_css, frame.viewport.w);
    out.pick_id = post.pick_id;
    if !p.drawn || post.pick_id == 0u {
        out.position = CULLED;
        return out;
    }
    // The hit disc plus a device pixel, so that every pixel centre within hit_r is rasterised.
    let extent_css = out.hit_r_css + 1.0 / frame.viewport.z;
    let clip = clip_from_css(p.centre_css + corner(vertex_index) * extent_css);
    // Flat depth: the centre's view depth, linear between the near (0) and far (1) planes.
    let near = frame.framebuffer.z;
    let far = frame.framebuffer.w;
    let z = clamp((p.depth - near) / (far - near), 0.0, 1.0);
    out.position = vec4<f32>(clip, z, 1.0);
    return out;
}

@fragment
fn fs_pick(in: PickOut) -> @location(0) u32 {
    // The pixel centre in CSS px, as `picking::pixel_centre_css` computes it.
    let p = in.position.xy / frame.viewport.z;
    let dx = p.x - in.centre_css.x;
    let dy = p.y - in.centre_css.y;
    // The CPU picker's rule: hit when dx² + dy² <= hit_r², the edge included.
    if dx * dx + dy * dy > in.hit_r_css * in.hit_r_css {
        discard;
    }
    return in.pick_id;
}
