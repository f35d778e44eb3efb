use cct_dockerfile::*;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            let l = n.to_ascii_lowercase();
            l.contains("dockerfile") || l.starts_with("containerfile")
        }) {
            out.push(p);
        }
    }
}

fn check_invariants(text: &str, p: &Parsed) {
    let (model, table) = p.dockerfile.model();
    for (ptr, span) in table.iter() {
        assert!(model.pointer(ptr).is_some(), "dangling pointer {ptr}");
        for s in std::iter::once(&span.value).chain(span.key.as_ref()) {
            assert!(s.start <= s.end && s.end <= text.len(), "{ptr}: {s:?}");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
    for e in &p.errors {
        assert!(e.span.end <= text.len());
        assert!(e.line >= 1 && e.column >= 1);
    }
}

#[test]
fn corpus_parses_without_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !root.is_dir() {
        eprintln!("corpus not found at {}, skipping", root.display());
        return;
    }
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut parsed = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let p = parse(&text);
        assert!(p.errors.is_empty(), "{}: {:?}", f.display(), p.errors);
        assert!(!p.dockerfile.instructions.is_empty(), "{}", f.display());
        check_invariants(&text, &p);
        parsed += 1;
    }
    eprintln!("parsed {parsed} Dockerfiles");
}

#[test]
fn truncated_inputs_never_panic() {
    let text = "# syntax=docker/dockerfile:1\n# escape=\\\nARG V=1\nFROM --platform=$P img:${V:-x} AS b\nRUN --mount=type=cache,target=/c <<EOF \\\n && echo \"a $(curl -k 'x')\" `id` ${X} $'y'\napt-get install -y a=1 \\\nb\nEOF\nCOPY [\"a\", \"b\"]\nCMD [\"sh\", \"-c\", \"é \\u00e9\"]\nENV A=\"1 2\" B='3'\nLABEL é=ü\nHEALTHCHECK --interval=1s CMD x\nONBUILD COPY a b\nUSER ${U}:0\nEXPOSE 80/tcp\n";
    for end in 0..=text.len() {
        if !text.is_char_boundary(end) {
            continue;
        }
        let t = &text[..end];
        let p = parse(t);
        check_invariants(t, &p);
        for ins in &p.dockerfile.instructions {
            let _ = ins.shell_commands();
        }
    }
}
