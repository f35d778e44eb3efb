//! ApplicationSets whose generators are static: each gives Applications, its template with a
//! parameter set put in (`{{key}}`, or `{{.key}}` with `goTemplate`).
//!
//! - `list`: one parameter set per element.
//! - `git` `directories`: one per folder of the repository matching a `path` pattern (`*`
//!   within a segment, `**` across segments), less those an `exclude: true` entry matches:
//!   `path`, `path.basename`, `path.basenameNormalized`, `path[N]` (with `goTemplate`:
//!   `.path.path`, `.path.basename`, `.path.basenameNormalized`, `.path.segments`).
//! - `git` `files`: one per JSON or YAML file matching a pattern (one per item of a YAML
//!   list): its content flattened (`a.b`; with `goTemplate` `.a.b`), with `path` (the file's
//!   folder), `path.basename`, `path.filename`, `path.filenameNormalized`, `path[N]`.
//!
//! The repository is the one the ApplicationSet lives in: its root is the nearest parent of
//! the file where a pattern matches, not above the nearest holding `.git`. Other generators
//! (clusters, pull requests, matrix…) are not expanded: such a set gives no Application.
//! Templates are filled by substitution: `{{ .a.b }}` and `{{a.b}}` forms, no functions.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::source::{Document, SourceFile, SpanTable};
use crate::yaml::{self, YamlLimits};

/// How deep the folders of the repository are walked for git generators.
const MAX_DEPTH: usize = 12;
/// How many parameter sets a git generator may give.
const MAX_ELEMENTS: usize = 1000;

/// The Applications of an ApplicationSet whose generators are all static, as documents of the
/// same file (positions of the template kept).
pub(super) fn generated(doc: &Document, file_path: &Path, limits: &YamlLimits) -> Vec<Document> {
    let v = &doc.value;
    let api = v.get("apiVersion").and_then(|a| a.as_str()).unwrap_or("");
    if !api.starts_with("argoproj.io/") {
        return Vec::new();
    }
    let (Some(generators), Some(template)) = (
        v.pointer("/spec/generators").and_then(|g| g.as_array()),
        v.pointer("/spec/template"),
    ) else {
        return Vec::new();
    };
    let go = v.pointer("/spec/goTemplate").and_then(|g| g.as_bool()) == Some(true);
    let mut elements: Vec<Map<String, Value>> = Vec::new();
    for g in generators {
        let Some(o) = g.as_object().filter(|o| o.len() == 1) else {
            return Vec::new();
        };
        if let Some(list) = g.pointer("/list/elements").and_then(|e| e.as_array()) {
            elements.extend(list.iter().filter_map(|e| e.as_object()).cloned());
        } else if let Some(git) = o.get("git") {
            match git_elements(git, file_path, go, limits) {
                Some(found) => elements.extend(found),
                None => return Vec::new(),
            }
        } else {
            return Vec::new();
        }
    }
    let mut spans = SpanTable::default();
    for (pointer, span) in doc.spans.iter() {
        if let Some(rest) = pointer.strip_prefix("/spec/template") {
            spans.insert(rest.to_string(), span.clone());
        }
    }
    elements
        .into_iter()
        .map(|element| {
            let mut flat = Vec::new();
            flatten("", &Value::Object(element), &mut flat);
            let mut value = template.clone();
            fill(&mut value, &flat, go);
            if let Some(o) = value.as_object_mut() {
                o.insert("apiVersion".into(), api.into());
                o.insert("kind".into(), "Application".into());
            }
            Document {
                value,
                spans: spans.clone(),
                ..doc.clone()
            }
        })
        .collect()
}

/// A parameter set as (dotted key, text) pairs: nested maps flattened, lists by index
/// (`path[0]` in the legacy form, as Argo CD names path segments).
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => out.push((prefix.to_string(), String::new())),
        Value::Array(items) => {
            out.push((prefix.to_string(), v.to_string()));
            for (i, x) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// Put a parameter set into every string of a template.
fn fill(v: &mut Value, params: &[(String, String)], go: bool) {
    match v {
        Value::String(s) => {
            if !s.contains("{{") {
                return;
            }
            for (key, text) in params {
                let forms = if go {
                    [format!("{{{{.{key}}}}}"), format!("{{{{ .{key} }}}}")]
                } else {
                    [format!("{{{{{key}}}}}"), format!("{{{{ {key} }}}}")]
                };
                for form in forms {
                    if s.contains(&form) {
                        *s = s.replace(&form, text);
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| fill(x, params, go)),
        Value::Object(o) => o.values_mut().for_each(|x| fill(x, params, go)),
        _ => {}
    }
}

/// The parameter sets of a git generator over this repository; `None` when it is not one
/// (no `directories` or `files`).
fn git_elements(
    git: &Value,
    file_path: &Path,
    go: bool,
    limits: &YamlLimits,
) -> Option<Vec<Map<String, Value>>> {
    let patterns = |field: &str| -> Vec<(globset::GlobMatcher, bool)> {
        git.get(field)
            .and_then(|l| l.as_array())
            .map(|l| {
                l.iter()
                    .filter_map(|e| {
                        let p = glob(e.get("path")?.as_str()?.trim_start_matches("./"))?;
                        let exclude = e.get("exclude").and_then(|x| x.as_bool()) == Some(true);
                        Some((p, exclude))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (dirs, files) = (patterns("directories"), patterns("files"));
    if dirs.is_empty() && files.is_empty() {
        return None;
    }
    let root = repository_root(file_path, dirs.iter().chain(&files).map(|(p, _)| p))?;
    let mut out = Vec::new();
    if !dirs.is_empty() {
        for rel in walk(&root, true) {
            let included = dirs.iter().any(|(p, ex)| !ex && p.is_match(&rel));
            let excluded = dirs.iter().any(|(p, ex)| *ex && p.is_match(&rel));
            if included && !excluded {
                out.push(path_params(&rel, None, go));
            }
        }
    }
    for rel in walk(&root, false) {
        if !files.iter().any(|(p, ex)| !ex && p.is_match(&rel))
            || files.iter().any(|(p, ex)| *ex && p.is_match(&rel))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        let file = SourceFile::new(rel.clone(), text);
        for doc in yaml::parse(&file, limits).documents {
            let items = match doc.value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for item in items {
                let Value::Object(mut content) = item else {
                    continue;
                };
                let (dir, name) = rel.rsplit_once('/').unwrap_or((".", rel.as_str()));
                for (k, v) in path_params(dir, Some(name), go) {
                    content.insert(k, v);
                }
                out.push(content);
            }
        }
    }
    out.truncate(MAX_ELEMENTS);
    Some(out)
}

/// The `path` parameters of a folder (and of a file in it).
fn path_params(dir: &str, file: Option<&str>, go: bool) -> Map<String, Value> {
    let segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let basename = segments.last().copied().unwrap_or(".");
    let mut path = Map::new();
    path.insert("path".into(), dir.into());
    path.insert("basename".into(), basename.into());
    path.insert("basenameNormalized".into(), normalized(basename).into());
    if let Some(f) = file {
        path.insert("filename".into(), f.into());
        path.insert("filenameNormalized".into(), normalized(f).into());
    }
    let mut out = Map::new();
    if go {
        path.insert(
            "segments".into(),
            Value::Array(segments.iter().map(|s| Value::from(*s)).collect()),
        );
        out.insert("path".into(), Value::Object(path));
    } else {
        // Legacy form: `path` is the folder itself, the others are `path.<name>`, `path[N]`.
        for (k, v) in path {
            let key = if k == "path" {
                "path".to_string()
            } else {
                format!("path.{k}")
            };
            out.insert(key, v);
        }
        for (i, s) in segments.iter().enumerate() {
            out.insert(format!("path[{i}]"), (*s).into());
        }
    }
    out
}

/// A name as Argo CD normalizes it for Kubernetes: lower case, characters other than letters,
/// digits, `-` and `.` as `-`.
fn normalized(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The root of the repository holding `file_path`, for the patterns: the nearest parent where
/// one matches, not above the nearest parent holding `.git` (a repository's root).
fn repository_root<'a>(
    file_path: &Path,
    patterns: impl Iterator<Item = &'a globset::GlobMatcher> + Clone,
) -> Option<PathBuf> {
    let start = std::fs::canonicalize(file_path).ok()?;
    for dir in start.ancestors().skip(1) {
        let (dirs, files) = (walk(dir, true), walk(dir, false));
        let matched = patterns
            .clone()
            .any(|p| dirs.iter().chain(&files).any(|rel| p.is_match(rel)));
        if matched || dir.join(".git").exists() {
            return Some(dir.to_path_buf());
        }
    }
    None
}

/// The folders (or files) below `root`, relative to it, `.git` and hidden folders left out.
fn walk(root: &Path, folders: bool) -> Vec<String> {
    fn visit(dir: &Path, rel: &str, depth: usize, folders: bool, out: &mut Vec<String>) {
        if depth > MAX_DEPTH || out.len() > 10 * MAX_ELEMENTS {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(kind) = e.file_type() else { continue };
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if kind.is_dir() {
                if name.starts_with('.') {
                    continue;
                }
                if folders {
                    out.push(path.clone());
                }
                visit(&e.path(), &path, depth + 1, folders, out);
            } else if kind.is_file() && !folders {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    visit(root, "", 0, folders, &mut out);
    out
}

/// A path pattern: `*`, `?` and `[…]` within a segment, `**` any number of segments; `None`
/// when malformed (it matches nothing).
fn glob(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern.trim_matches('/'))
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}
