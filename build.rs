//! Copies the WGSL shaders into `OUT_DIR` for `include_str!`. For wasm32 the copy drops comments
//! and indentation: the shaders travel in every visitor's download, and their comments are
//! about half their bytes. Native builds keep them verbatim, so shader errors point at the
//! lines of `shaders/*.wgsl`.

use std::path::Path;

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let strip = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    for name in ["nodes.wgsl", "edges.wgsl"] {
        let source = Path::new("shaders").join(name);
        println!("cargo::rerun-if-changed={}", source.display());
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let text = if strip { strip_wgsl(&text) } else { text };
        std::fs::write(Path::new(&out).join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// WGSL without `//` comments, indentation or blank lines (WGSL has no string literals, so `//`
/// always starts a comment; the shaders use no block comments).
fn strip_wgsl(text: &str) -> String {
    assert!(!text.contains("/*"), "block comments are not stripped");
    let mut out = String::with_capacity(text.len() / 2);
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("").trim();
        if !code.is_empty() {
            out.push_str(code);
            out.push('\n');
        }
    }
    out
}
