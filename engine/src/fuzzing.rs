//! Entry points for the fuzz targets (`fuzz-harness/`, `fuzz/`): not part of the engine's
//! API. Each takes text, runs one stage of the engine on it as a scan does, checks the
//! invariants the later stages rely on (every span a range of its file's text, on character
//! boundaries: reports slice the source with them), and returns a count. A broken invariant
//! panics, which is what a fuzzer looks for.

use std::path::Path;
use std::sync::Arc;

use crate::source::{ByteRange, Document, SourceFile};
use crate::yaml::{self, YamlLimits};

/// Parses `text` as a YAML stream with the default limits; returns the number of documents.
pub fn yaml(text: &str) -> usize {
    let file = SourceFile::new("fuzz.yaml", text);
    let stream = yaml::parse(&file, &YamlLimits::default());
    for document in &stream.documents {
        check_document(document, &file);
    }
    for comment in &stream.comments {
        check_range(&file, comment.range, "comment");
    }
    for (index, range) in &stream.placeholders {
        assert!(
            *index < stream.documents.len(),
            "placeholder of no document"
        );
        check_range(&file, *range, "placeholder");
    }
    for (index, pointer, _) in &stream.tags {
        let document = &stream.documents[*index];
        assert!(
            document.value.pointer(pointer).is_some(),
            "tag at {pointer}, absent from the document"
        );
    }
    stream.documents.len()
}

/// Loads the GitLab CI configuration `root` (a path relative to `dir`) with the repository
/// `dir` (local includes and scripts read below it, as a scan does); returns the number of
/// jobs of the model.
pub fn gitlab(dir: &Path, root: &str) -> usize {
    let text = match std::fs::read_to_string(dir.join(root)) {
        Ok(t) => t,
        Err(_) => return 0,
    };
    let file = SourceFile::new(root, text);
    let mut files: Vec<String> = walk(dir, dir);
    files.sort();
    let repository = crate::gitlab::Repository { dir, files: &files };
    let loaded = crate::gitlab::load(&file, Some(repository), &YamlLimits::default());
    let Some(document) = &loaded.document else {
        return 0;
    };
    check_document(document, &file);
    document.value["jobs"]
        .as_object()
        .map_or(0, serde_json::Map::len)
}

/// Files below `dir`, relative to `root`, `/`-separated (symbolic links are not followed).
fn walk(root: &Path, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => out.extend(walk(root, &path)),
            Ok(t) if t.is_file() => {
                if let Ok(rel) = path.strip_prefix(root) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
            _ => {}
        }
    }
    out
}

fn check_document(document: &Document, file: &Arc<SourceFile>) {
    check_range(&document.file, document.range, "document");
    for (pointer, spans) in document.spans.iter() {
        let in_file = spans.file.as_ref().unwrap_or(file);
        check_range(in_file, spans.value, pointer);
        if let Some(key) = spans.key {
            check_range(in_file, key, pointer);
        }
        if let Some(related) = spans.related {
            check_range(in_file, related, pointer);
        }
    }
}

fn check_range(file: &SourceFile, range: ByteRange, what: &str) {
    let text = file.text();
    let (start, end) = (range.start as usize, range.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: span {start}..{end} outside {} ({} bytes)",
        file.path(),
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {start}..{end} inside a character of {}",
        file.path()
    );
}
