//! The rooms of the engine and what each may import: a room imports only rooms on floors
//! below it, so data goes one way and no import cycle can form. This test reads the sources
//! (every `crate::<room>` path, in code or `use`) and fails on an arrow that runs up or sideways.
//! The table is the one `docs/architecture.md` shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module of `engine/src` and its floor, in the order of the flow.
const FLOORS: &[(&str, u32)] = &[
    ("source", 0),
    ("vocab", 1),
    ("progress", 1),
    ("yaml", 2),
    ("discover", 3),
    ("kube", 4),
    ("dockerfile", 5),
    ("gitlab", 5),
    ("openapi", 5),
    ("helm", 5),
    ("kustomize", 5),
    ("argocd", 5),
    ("load", 6),
    ("catalogue", 7),
    ("config", 8),
    ("units", 9),
    ("check", 10),
    ("derogate", 11),
    ("report", 12),
    ("scan", 13),
    ("fuzzing", 14),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The rooms a file refers to through `crate::<room>`, outside comments.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
            rest = after;
        }
        // `use crate::{a, b}` groups.
        if let Some(i) = code.find("crate::{") {
            let group = &code[i + "crate::{".len()..];
            for part in group.split([',', '}']) {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[test]
fn rooms_import_only_the_floors_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let floors: BTreeMap<&str, u32> = FLOORS.iter().copied().collect();
    let mut problems = Vec::new();
    let mut rooms_seen = Vec::new();
    for entry in std::fs::read_dir(&src).expect("engine/src").flatten() {
        let path = entry.path();
        let room = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if room == "lib" || room == "main" {
            continue;
        }
        let Some(&floor) = floors.get(room.as_str()) else {
            problems.push(format!(
                "engine/src/{room}: a room missing from the table of floors"
            ));
            continue;
        };
        rooms_seen.push(room.clone());
        let mut files = Vec::new();
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else {
            files.push(path.clone());
        }
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source");
            for target in references(&text) {
                if target == room {
                    continue;
                }
                match floors.get(target.as_str()) {
                    Some(&f) if f < floor => {}
                    Some(&f) => problems.push(format!(
                        "{}: `{room}` (floor {floor}) imports `{target}` (floor {f})",
                        file.strip_prefix(&src).unwrap_or(&file).display()
                    )),
                    // Items of lib.rs (re-exports) are not rooms.
                    None => {}
                }
            }
        }
    }
    for (room, _) in FLOORS {
        if !rooms_seen.iter().any(|r| r == room) {
            problems.push(format!(
                "{room}: in the table of floors but not in engine/src"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_table_matches_docs_architecture() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/architecture.md");
    let text = std::fs::read_to_string(doc).expect("docs/architecture.md");
    for (room, floor) in FLOORS {
        let row = format!("| {floor} | `{room}` |");
        assert!(
            text.contains(&row),
            "docs/architecture.md lacks the row `{row}` of the table of floors"
        );
    }
}

/// Every error has a type: no `Result<_, String>` in the signatures of the engine or the
/// template crate (a message is built where the error is shown, in the user's language).
#[test]
fn no_stringly_typed_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("../template/src"), &mut files);
    let mut problems = Vec::new();
    // Test modules (`*_tests.rs`, `tests.rs`) are not signatures of the crate.
    files.retain(|f| {
        !f.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("tests.rs"))
    });
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a source file");
        for (i, line) in text.lines().enumerate() {
            let code: String = line
                .split("//")
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if code.contains(",String>") && code.contains("Result<") {
                problems.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `scan.rs` only wires the stages: when it grows, the work belongs in a stage's room.
#[test]
fn the_scan_only_wires_the_stages() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scan.rs");
    let lines = std::fs::read_to_string(path)
        .expect("scan.rs")
        .lines()
        .count();
    assert!(
        lines <= 250,
        "engine/src/scan.rs has {lines} lines (at most 250)"
    );
}
