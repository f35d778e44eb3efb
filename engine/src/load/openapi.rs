//! A file named as an OpenAPI document: each YAML document is one (a Kubernetes object in it
//! is still a manifest), with its facts computed, the other files its `$ref`s name read, and
//! the references written in those files followed in turn.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::{LoadOptions, Loaded};
use crate::kube;
use crate::openapi::{External, Nested, MAX_EXTERNAL_FILES};
use crate::source::{DocFormat, Document, NodeSpans, SourceFile};
use crate::yaml;

pub(super) fn load(file: Arc<SourceFile>, options: &LoadOptions) -> Loaded {
    let stream = yaml::parse(&file, &options.yaml);
    let mut out = Loaded {
        diagnostics: stream.diagnostics,
        sources: vec![Arc::clone(&file)],
        ..Loaded::default()
    };
    for doc in stream.documents {
        if kube::is_object(&doc.value) {
            out.stats.resources += kube::resources(&doc).len();
            out.documents.push(doc);
        } else {
            out.documents
                .push(as_openapi(doc, options, &mut out.sources));
        }
    }
    out
}

/// The pointer under which the place of the `i`-th dangling reference of another file is
/// recorded in a document's span table: outside its value (a key no document has).
fn nested_at(i: usize) -> String {
    format!("/\u{0}cct-nested-ref/{i}")
}

/// A document read as an OpenAPI description, with its facts; the files its references lead
/// to that hold a dangling reference are added to `sources` (findings are shown there).
pub(super) fn as_openapi(
    mut doc: Document,
    options: &LoadOptions,
    sources: &mut Vec<Arc<SourceFile>>,
) -> Document {
    doc.format = DocFormat::OpenApi;
    let mut reader = Reader::new(options, doc.file.path());
    let files = reader.files_of(&doc.value, doc.file.path());
    // The files those lead to, each once (a cycle ends there), breadth first.
    let mut nested = Vec::new();
    while let Some(other) = reader.queue.pop_front() {
        let names = reader.files_of(&other.value, other.file.path());
        let mut shown = false;
        for (reference, pointer, missing) in crate::openapi::dangling(&other.value, &names) {
            let at = nested_at(nested.len());
            if let Some(s) = other.spans.get(&format!("{pointer}/$ref")) {
                doc.spans.insert(
                    at.clone(),
                    NodeSpans {
                        file: Some(Arc::clone(&other.file)),
                        ..s.clone()
                    },
                );
            }
            if !shown {
                sources.push(Arc::clone(&other.file));
                shown = true;
            }
            nested.push(Nested {
                reference,
                file: other.file.path().to_string(),
                pointer,
                missing,
                at,
            });
        }
    }
    doc.facts = Some(Arc::new(crate::openapi::facts_with(
        &doc.value, &files, &nested,
    )));
    doc
}

/// Reads the files references name, each once, within the scanned folders.
struct Reader<'o> {
    options: &'o LoadOptions,
    /// Where reading is allowed (canonical): the folders given to the scan, else the
    /// document's own folder.
    roots: Vec<PathBuf>,
    /// Files read or queued (canonical), the document's own included.
    seen: BTreeSet<PathBuf>,
    /// Files read whose references are still to follow.
    queue: VecDeque<Document>,
}

impl<'o> Reader<'o> {
    fn new(options: &'o LoadOptions, document: &str) -> Reader<'o> {
        let own = std::fs::canonicalize(document).ok();
        let roots = if options.roots.is_empty() {
            own.iter()
                .filter_map(|p| p.parent().map(Path::to_path_buf))
                .collect()
        } else {
            options.roots.clone()
        };
        Reader {
            options,
            roots,
            seen: own.into_iter().collect(),
            queue: VecDeque::new(),
        }
    }

    /// What each file named by a value's references holds (names relative to the folder of
    /// `path`, the file the value was read from); the new ones are queued.
    fn files_of(&mut self, value: &serde_json::Value, path: &str) -> BTreeMap<String, External> {
        let dir = Path::new(path)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        crate::openapi::external_files(value)
            .into_iter()
            .map(|name| {
                let found = self.read(&dir, &name);
                (name, found)
            })
            .collect()
    }

    /// What the file a reference names holds: a relative path from `dir` (an absolute one, or
    /// one outside the scanned folders, is not judged), read as YAML or JSON within the
    /// loader's size limit.
    fn read(&mut self, dir: &Path, name: &str) -> External {
        let relative = Path::new(name);
        if relative
            .components()
            .any(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
        {
            return External::Unchecked;
        }
        let path = dir.join(relative);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Missing, unless it would be outside the scanned folders anyway.
                return if self.inside(&lexical(&path)) {
                    External::Missing
                } else {
                    External::Unchecked
                };
            }
            Err(_) => return External::Unchecked,
        };
        if !meta.is_file() {
            return External::Missing;
        }
        let Ok(canonical) = std::fs::canonicalize(&path) else {
            return External::Unchecked;
        };
        if !self.inside(&canonical) || meta.len() > super::file::MAX_FILE_SIZE {
            return External::Unchecked;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            return External::Unchecked;
        };
        let file = SourceFile::new(normalise(&path), text);
        let stream = yaml::parse(&file, &self.options.yaml);
        match stream.documents.into_iter().next() {
            Some(d) if stream.diagnostics.is_empty() => {
                let value = d.value.clone();
                if self.seen.len() <= MAX_EXTERNAL_FILES && self.seen.insert(canonical) {
                    self.queue.push_back(d);
                }
                External::Value(value)
            }
            _ => External::Unchecked,
        }
    }

    fn inside(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| path.starts_with(r))
    }
}

/// A path as shown: `/` separators, `.` and `dir/..` left out (`api/../common/x.yaml` →
/// `common/x.yaml`).
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/").replace("//", "/")
}

/// The canonical path a missing file would have: its folder canonical (when it exists), its
/// name appended.
fn lexical(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut current = path.to_path_buf();
    loop {
        if let Ok(c) = std::fs::canonicalize(&current) {
            let mut out = c;
            out.extend(missing.iter().rev());
            return out;
        }
        match (
            current.file_name().map(|n| n.to_os_string()),
            current.parent(),
        ) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                current = parent.to_path_buf();
            }
            // `..` that cannot be resolved: outside anything given.
            _ => return PathBuf::from("/\u{0}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "../fixtures/rules/CCT-API-001/fail/nested-refs";

    fn reader(root: &str) -> (LoadOptions, PathBuf) {
        let options = LoadOptions {
            roots: std::fs::canonicalize(root).into_iter().collect(),
            ..LoadOptions::default()
        };
        (options, Path::new(CASE).join("schemas"))
    }

    #[test]
    fn only_files_within_the_scanned_folders_are_read() {
        let (options, dir) = reader(CASE);
        let mut r = Reader::new(&options, &format!("{CASE}/openapi.yaml"));
        assert!(matches!(r.read(&dir, "tag.yaml"), External::Value(_)));
        assert_eq!(r.read(&dir, "../people/owner.yaml"), External::Missing);
        // It exists, one folder above the scanned one.
        let outside = "../../../pass/orders.oas.yaml";
        assert_eq!(r.read(&dir, outside), External::Unchecked);
        assert_eq!(
            r.read(&dir, "../../../../../../../../nope.yaml"),
            External::Unchecked
        );
        assert_eq!(r.read(&dir, "/etc/hostname"), External::Unchecked);
        // Given the folder above, it is read.
        let (options, dir) = reader("../fixtures/rules/CCT-API-001");
        let mut r = Reader::new(&options, &format!("{CASE}/openapi.yaml"));
        assert!(matches!(r.read(&dir, outside), External::Value(_)));
    }

    #[test]
    fn each_file_is_followed_once() {
        let (options, dir) = reader(CASE);
        let mut r = Reader::new(&options, &format!("{CASE}/openapi.yaml"));
        r.read(&dir, "pet.yaml");
        r.read(&dir, "./pet.yaml");
        r.read(&dir, "../schemas/pet.yaml");
        assert_eq!(r.queue.len(), 1);
        assert_eq!(
            r.queue.front().map(|d| d.file.path().to_string()),
            Some(format!("{CASE}/schemas/pet.yaml"))
        );
    }

    #[test]
    fn shown_paths_are_normalised() {
        assert_eq!(
            normalise(Path::new("api/./v1/../common/x.yaml")),
            "api/common/x.yaml"
        );
        assert_eq!(normalise(Path::new("../a/../b.yaml")), "../b.yaml");
    }
}
