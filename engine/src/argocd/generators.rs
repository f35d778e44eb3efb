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
//! Legacy templates are filled by substitution (`{{a.b}}`, `{{ a.b }}`); with `goTemplate`,
//! each string of the template is executed as a Go template (see [`GoTemplates`]).

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
    let go_templates = go.then(|| GoTemplates::new(v.pointer("/spec/goTemplateOptions")));
    let mut spans = SpanTable::default();
    for (pointer, span) in doc.spans.iter() {
        if let Some(rest) = pointer.strip_prefix("/spec/template") {
            spans.insert(rest.to_string(), span.clone());
        }
    }
    let mut out = Vec::new();
    for element in elements {
        let mut value = template.clone();
        match &go_templates {
            Some(t) => {
                // A template that fails (a missing key under `missingkey=error`, an unknown
                // function) fails the whole set, as in Argo CD: no Application.
                if t.fill(&mut value, &Value::Object(element)).is_none() {
                    return Vec::new();
                }
            }
            None => {
                let mut flat = Vec::new();
                flatten("", &Value::Object(element), &mut flat);
                fill(&mut value, &flat);
            }
        }
        if let Some(o) = value.as_object_mut() {
            o.insert("apiVersion".into(), api.into());
            o.insert("kind".into(), "Application".into());
        }
        out.push(Document {
            value,
            spans: spans.clone(),
            ..doc.clone()
        });
    }
    out
}

/// The strings of a `goTemplate` ApplicationSet's template executed as Go templates, as Argo
/// CD executes them: Sprig's functions (but `env`, `expandenv`, `getHostByName`) with
/// `normalize`, `toYaml`, `fromYaml`, `fromYamlArray`, the parameter set as data, and
/// `goTemplateOptions` (`missingkey=error` fails on a missing key; by default it prints
/// `<no value>`).
struct GoTemplates {
    funcs: cct_template::FuncMap,
    options: cct_template::ExecOptions,
}

impl GoTemplates {
    fn new(options: Option<&Value>) -> GoTemplates {
        let mut funcs = cct_template::FuncMap::standard();
        for helm_only in [
            "include",
            "tpl",
            "required",
            "lookup",
            "toToml",
            "fromToml",
            "toYamlPretty",
            "mustToYaml",
            "env",
            "expandenv",
            "getHostByName",
        ] {
            funcs.remove(helm_only);
        }
        funcs.insert("normalize", &[cct_template::Param::Str], None, |_, a| {
            Ok(cct_template::Value::str(sanitized(
                a[0].as_str().unwrap_or_default(),
            )))
        });
        let missing_error = options
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|o| o.as_str() == Some("missingkey=error"));
        let options = cct_template::ExecOptions {
            missing_key: if missing_error {
                cct_template::MissingKey::Error
            } else {
                cct_template::MissingKey::Zero
            },
            limits: cct_template::Limits {
                max_steps: 1_000_000,
                max_output: 1 << 20,
                max_value_size: 1 << 20,
                ..cct_template::Limits::default()
            },
            ..cct_template::ExecOptions::default()
        };
        GoTemplates { funcs, options }
    }

    /// Execute every string of `v` holding an action with `params` as data; `None` when one
    /// fails.
    fn fill(&self, v: &mut Value, params: &Value) -> Option<()> {
        let data = cct_template::Value::from_json(&params.to_string()).ok()?;
        self.fill_with(v, &data)
    }

    fn fill_with(&self, v: &mut Value, data: &cct_template::Value) -> Option<()> {
        match v {
            Value::String(s) if s.contains("{{") => {
                let mut set = cct_template::TemplateSet::with_funcs(self.funcs.clone());
                set.add("template", s).ok()?;
                *s = set.execute("template", data, &self.options).ok()?.text;
            }
            Value::Array(items) => {
                for x in items {
                    self.fill_with(x, data)?;
                }
            }
            Value::Object(o) => {
                for x in o.values_mut() {
                    self.fill_with(x, data)?;
                }
            }
            _ => {}
        }
        Some(())
    }
}

/// Argo CD's `normalize`: lower case, characters other than letters, digits, `-` and `.` as
/// `-`, at most 253 characters, no `-` or `.` at either end.
fn sanitized(name: &str) -> String {
    let n: String = normalized(name).chars().take(253).collect();
    n.trim_matches(['-', '.']).to_string()
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

/// Put a parameter set into every string of a template (legacy `{{key}}` substitution).
fn fill(v: &mut Value, params: &[(String, String)]) {
    match v {
        Value::String(s) => {
            if !s.contains("{{") {
                return;
            }
            for (key, text) in params {
                let forms = [format!("{{{{{key}}}}}"), format!("{{{{ {key} }}}}")];
                for form in forms {
                    if s.contains(&form) {
                        *s = s.replace(&form, text);
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| fill(x, params)),
        Value::Object(o) => o.values_mut().for_each(|x| fill(x, params)),
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
