//! Replays the fuzz targets' seed corpus (`fuzz/corpus/<target>/`) and every saved crash
//! (`fuzz/regressions/<target>/`) through the targets' own checks, without libFuzzer: the checks
//! are `fuzz/src/checks.rs`, compiled here as a module, so a fixed crash stays fixed in a plain
//! `cargo test`. scripts/fuzz runs the same checks under coverage-guided fuzzing.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`, and
/// returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let dir = root.join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).expect("a readable input");
            eprintln!("{}", path.display());
            check(&data);
            count += 1;
        }
    }
    count
}

#[test]
fn posts_corpus() {
    assert!(replay("posts", checks::posts) > 0, "no posts seeds");
}

#[test]
fn layout_corpus() {
    assert!(replay("layout", checks::layout) > 0, "no layout seeds");
}

#[test]
fn export_corpus() {
    assert!(replay("export", checks::export) > 0, "no export seeds");
}

#[test]
fn decimal_corpus() {
    assert!(replay("decimal", checks::decimal) > 0, "no decimal seeds");
}

#[test]
fn import_corpus() {
    assert!(replay("import", checks::import) > 0, "no import seeds");
}
