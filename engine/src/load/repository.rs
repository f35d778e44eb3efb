//! The repositories of a scan: each folder given on the command line, as the list of the files
//! discovery found below it, for rules about the whole repository (is there a CI file, which
//! languages does it use). Each file of the list is located at the file itself.

use serde_json::{json, Value};

use crate::discover::{display_path, Discovered};
use crate::source::{ByteRange, DocFormat, Document, NodeSpans, SourceFile, SpanTable};

/// Most files listed per repository (a larger tree is listed up to this, `truncated` set).
const MAX_FILES: usize = 20_000;
/// Folders of dependencies and build outputs, not listed (nor what is below them).
const SKIPPED: &[&str] = &[
    "node_modules",
    "vendor",
    "target",
    "dist",
    "build",
    "venv",
    ".venv",
    "__pycache__",
    "bower_components",
];

/// One document per folder given (none for files given alone): `{root, files, truncated}`,
/// `files` the paths relative to the folder, sorted, out of folders of dependencies and build
/// outputs.
pub(crate) fn repositories(discovered: &Discovered) -> Vec<Document> {
    let displays: Vec<String> = discovered.files.iter().map(|f| display_path(f)).collect();
    discovered
        .scope
        .folders
        .iter()
        .map(|root| repository(root, &displays))
        .collect()
}

/// The document of one folder, from the display paths of every file discovered.
fn repository(root: &str, displays: &[String]) -> Document {
    let whole = root.is_empty() || root == ".";
    let mut files: Vec<(&str, &str)> = displays
        .iter()
        .filter_map(|d| {
            let rel = if whole {
                Some(d.as_str()).filter(|d| !d.starts_with("../") && !d.starts_with('/'))
            } else {
                d.strip_prefix(root).and_then(|r| r.strip_prefix('/'))
            }?;
            let listed = rel
                .split('/')
                .rev()
                .skip(1)
                .all(|dir| !SKIPPED.contains(&dir));
            listed.then_some((rel, d.as_str()))
        })
        .collect();
    files.sort();
    files.dedup();
    let truncated = files.len() > MAX_FILES;
    files.truncate(MAX_FILES);
    let file = SourceFile::new(if whole { "." } else { root }, "");
    let mut spans = SpanTable::default();
    let here = |file| NodeSpans {
        key: None,
        value: ByteRange::default(),
        related: None,
        file,
    };
    spans.insert(String::new(), here(None));
    spans.insert("/root".to_string(), here(None));
    spans.insert("/files".to_string(), here(None));
    spans.insert("/truncated".to_string(), here(None));
    for (i, (_, display)) in files.iter().enumerate() {
        spans.insert(
            format!("/files/{i}"),
            here(Some(SourceFile::new(*display, ""))),
        );
    }
    let list: Vec<Value> = files.iter().map(|(rel, _)| json!(rel)).collect();
    Document {
        format: DocFormat::Repository,
        file,
        index: 0,
        value: json!({
            "root": if whole { "." } else { root },
            "files": list,
            "truncated": truncated,
        }),
        spans,
        range: ByteRange::default(),
        provenance: None,
        facts: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_lists_its_files_out_of_dependency_folders() {
        let displays = [
            "app/Dockerfile",
            "app/node_modules/x/package.json",
            "app/src/main.kt",
            "other/pom.xml",
        ]
        .map(String::from);
        let doc = repository("app", &displays);
        assert_eq!(doc.value["files"], json!(["Dockerfile", "src/main.kt"]));
        assert_eq!(doc.value["root"], json!("app"));
        assert_eq!(
            doc.spans
                .get("/files/1")
                .and_then(|s| s.file.as_ref())
                .map(|f| f.path().to_string()),
            Some("app/src/main.kt".to_string())
        );
    }

    #[test]
    fn the_working_folder_lists_what_is_below_it() {
        let displays = ["../elsewhere/pom.xml", "go.mod", "cmd/main.go"].map(String::from);
        let doc = repository(".", &displays);
        assert_eq!(doc.value["files"], json!(["cmd/main.go", "go.mod"]));
        assert_eq!(doc.value["truncated"], json!(false));
    }
}
