//! GitLab CI configurations → one document: the pipeline model (jobs after `include: local`,
//! `extends`, `default:` and `!reference` are resolved, each script line tokenised into shell
//! commands) with a span table that locates every node in the file where it is written.
//!
//! Input: the root CI file (`.gitlab-ci.yml`, `.gitlab-ci-dso.yml`…) and, when it is read from
//! disk, the folder that holds it (the repository root: local includes and scripts are read
//! below it, never outside). Output: a [`Document`] of format [`DocFormat::GitlabCi`], the
//! files it read, and diagnostics (a missing local include, an include that cannot be resolved
//! offline, an unknown `extends`).

mod catalogue;
mod facts;
mod model;
mod node;
mod pushed;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::source::{ByteRange, DocFormat, Document, SourceFile};
use crate::vocab::Text;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::yaml::{self, YamlLimits};

use node::{deep_merge, Kind, Node};
pub(crate) use pushed::pushed_images;

/// Deepest chain of nested `include:`s followed.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 16;
/// Most files included (GitLab's own limit is 150).
pub(crate) const MAX_INCLUDED_FILES: usize = 150;
/// Deepest `extends` chain (GitLab's limit is 11).
pub(crate) const MAX_EXTENDS_DEPTH: usize = 11;
/// Deepest chain of `!reference`s (GitLab's limit is 10).
pub(crate) const MAX_REFERENCE_DEPTH: usize = 10;
/// Largest included file or shell script read.
pub(crate) const MAX_INCLUDED_SIZE: u64 = 4 * 1024 * 1024;
/// Most nodes of a resolved configuration.
pub(crate) const MAX_MODEL_NODES: usize = 2_000_000;

/// Top-level keys that are not jobs.
const RESERVED: &[&str] = &[
    "default",
    "include",
    "stages",
    "types",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

/// Keys `default:` gives the jobs that do not set them.
const DEFAULT_KEYS: &[&str] = &[
    "after_script",
    "artifacts",
    "before_script",
    "cache",
    "hooks",
    "id_tokens",
    "image",
    "interruptible",
    "retry",
    "services",
    "tags",
    "timeout",
];

/// A loaded CI configuration.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// The model (none when the root file is not a YAML mapping).
    pub document: Option<Document>,
    /// Problems, located.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read besides the root (included files, scripts), for snippets.
    pub sources: Vec<Arc<SourceFile>>,
    /// Display paths of the files included locally (so they are not also read as roots).
    pub included: Vec<String>,
}

/// Reads local files below the repository root.
struct Repo {
    /// The folder on disk, canonical.
    root: PathBuf,
    /// The display path of the folder (`""` for the working folder).
    display: String,
    /// The files of the repository (paths relative to its root, sorted), as discovery found
    /// them.
    files: Vec<String>,
}

/// Why a file of the repository that a CI file names cannot be read.
#[derive(Debug)]
enum ReadError {
    Io(std::io::Error),
    TooLarge,
    NotUtf8,
}

impl ReadError {
    fn text(&self) -> Text {
        match self {
            ReadError::Io(e) => Text::new(e.to_string(), e.to_string()),
            ReadError::TooLarge => Text::new(
                format!("larger than {} MiB", MAX_INCLUDED_SIZE >> 20),
                format!("plus grand que {} Mio", MAX_INCLUDED_SIZE >> 20),
            ),
            ReadError::NotUtf8 => Text::new("not UTF-8 text", "pas du texte UTF-8"),
        }
    }
}

impl Repo {
    fn display_of(&self, rel: &str) -> String {
        if self.display.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.display)
        }
    }

    /// A file below the root by its repository path (`/ci/x.yml`, `ci/x.yml`, `./x.sh`):
    /// `None` when it does not exist or leaves the root; `Err` when it cannot be read.
    fn read(&self, rel: &str) -> Option<Result<Arc<SourceFile>, ReadError>> {
        let rel = normalise(rel)?;
        let path = self.root.join(&rel);
        let canonical = std::fs::canonicalize(&path).ok()?;
        if !canonical.starts_with(&self.root) || !canonical.is_file() {
            return None;
        }
        let meta = match std::fs::metadata(&canonical) {
            Ok(m) => m,
            Err(e) => return Some(Err(ReadError::Io(e))),
        };
        if meta.len() > MAX_INCLUDED_SIZE {
            return Some(Err(ReadError::TooLarge));
        }
        match std::fs::read(&canonical) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
                    Some(Ok(SourceFile::new(self.display_of(&rel), text)))
                }
                Err(_) => Some(Err(ReadError::NotUtf8)),
            },
            Err(e) => Some(Err(ReadError::Io(e))),
        }
    }

    fn exists(&self, rel: &str) -> bool {
        normalise(rel).is_some_and(|r| {
            std::fs::canonicalize(self.root.join(r))
                .is_ok_and(|c| c.starts_with(&self.root) && c.exists())
        })
    }
}

/// A repository path without `.` components, `None` when it climbs out (`..` above the root)
/// or holds a wildcard.
fn normalise(rel: &str) -> Option<String> {
    if rel.contains('*') || rel.contains('$') {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(rel.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// State of one load.
struct Loader<'a> {
    repo: Option<Repo>,
    limits: &'a YamlLimits,
    out: Loaded,
    /// Files being or already included (display paths).
    seen: BTreeSet<String>,
    includes: Vec<Value>,
    include_spans: Vec<(ByteRange, Arc<SourceFile>)>,
}

/// The repository a CI configuration belongs to: the folder on disk that holds it, and the
/// files below it (paths relative to it, as discovery found them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Repository<'a> {
    /// The folder on disk.
    pub dir: &'a Path,
    /// The files below it, relative, sorted.
    pub files: &'a [String],
}

/// Load a CI configuration. `repository` is the repository it belongs to; `None` when the text
/// is checked alone (local includes are then not followed).
pub(crate) fn load(
    file: &Arc<SourceFile>,
    repository: Option<Repository<'_>>,
    limits: &YamlLimits,
) -> Loaded {
    let repo = repository.and_then(|r| {
        std::fs::canonicalize(r.dir).ok().map(|root| Repo {
            root,
            display: file
                .path()
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default(),
            files: r.files.to_vec(),
        })
    });
    let mut loader = Loader {
        repo,
        limits,
        out: Loaded::default(),
        seen: BTreeSet::new(),
        includes: Vec::new(),
        include_spans: Vec::new(),
    };
    loader.seen.insert(file.path().to_string());
    let Some((root, range)) = loader.file(file, 0) else {
        return loader.out;
    };
    let mut model = model::Builder::new(&mut loader, root);
    let value = model.build();
    let (value, spans) = match value {
        Some(v) => v,
        None => return loader.out,
    };
    let mut spans = spans;
    // The model's own nodes, located at the root document.
    let root_spans = crate::source::NodeSpans {
        key: None,
        value: range,
        related: None,
        file: None,
    };
    if spans.get("").is_none() {
        spans.insert(String::new(), root_spans.clone());
    }
    for p in ["/jobs", "/includes", "/repository"] {
        if spans.get(p).is_none() {
            spans.insert(p.to_string(), root_spans.clone());
        }
    }
    for (i, (r, f)) in loader.include_spans.iter().enumerate() {
        let s = crate::source::NodeSpans {
            key: None,
            value: *r,
            related: None,
            file: (!Arc::ptr_eq(f, file)).then(|| Arc::clone(f)),
        };
        spans.insert(format!("/includes/{i}"), s.clone());
        spans.insert(format!("/includes/{i}/location"), s);
    }
    let mut value = value;
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "includes".into(),
            Value::Array(std::mem::take(&mut loader.includes)),
        );
        if let Some(repo) = &loader.repo {
            let (facts, located) = repository_facts(repo);
            obj.insert("repository".into(), facts);
            for (pointer, f, range) in located {
                spans.insert(
                    pointer,
                    crate::source::NodeSpans {
                        key: None,
                        value: range,
                        related: None,
                        file: Some(Arc::clone(&f)),
                    },
                );
                loader.out.sources.push(f);
            }
        }
    }
    // Spans written in the root file need no file.
    let fixed: Vec<(String, crate::source::NodeSpans)> = spans
        .iter()
        .filter(|(_, s)| s.file.as_ref().is_some_and(|f| Arc::ptr_eq(f, file)))
        .map(|(p, s)| {
            (
                p.to_string(),
                crate::source::NodeSpans {
                    file: None,
                    ..s.clone()
                },
            )
        })
        .collect();
    for (p, s) in fixed {
        spans.insert(p, s);
    }
    loader.out.document = Some(Document {
        format: DocFormat::GitlabCi,
        file: Arc::clone(file),
        index: 0,
        value,
        spans,
        range: ByteRange::new(0, file.text().len()),
        provenance: None,
        facts: None,
    });
    loader.out
}

impl Loader<'_> {
    fn diag(
        &mut self,
        file: &Arc<SourceFile>,
        range: ByteRange,
        code: DiagnosticCode,
        level: DiagnosticLevel,
        en: String,
        fr: String,
    ) {
        self.out
            .diagnostics
            .push(Diagnostic::at(file, range, code, level, Text::new(en, fr)));
    }

    /// One file: its configuration with its includes merged under it.
    fn file(&mut self, file: &Arc<SourceFile>, depth: usize) -> Option<(Node, ByteRange)> {
        let stream = yaml::parse(file, self.limits);
        self.out.diagnostics.extend(stream.diagnostics);
        // A `spec:` header document comes before the configuration.
        let index = match stream.documents.as_slice() {
            [first, _, ..] if first.value.get("spec").is_some() => 1,
            _ => 0,
        };
        let doc = stream.documents.get(index)?;
        if !doc.value.is_object() {
            self.diag(
                file,
                doc.range,
                DiagnosticCode::GitlabCiInvalid,
                DiagnosticLevel::Warning,
                "a GitLab CI configuration is a mapping of jobs and keywords; this file was not checked".into(),
                "une configuration GitLab CI est un mapping de jobs et de mots-clés ; ce fichier n'a pas été vérifié".into(),
            );
            return None;
        }
        let references: Vec<String> = stream
            .tags
            .iter()
            .filter(|(d, _, t)| *d == index && t == "!reference")
            .map(|(_, p, _)| p.clone())
            .collect();
        let node = Node::from_document(doc, &references);
        let mut merged: Option<Node> = None;
        if let Some(include) = node.get("include") {
            for inc in include_entries(include) {
                if let Some(n) = self.include(file, inc, depth) {
                    match &mut merged {
                        None => merged = Some(n),
                        Some(m) => deep_merge(m, &n),
                    }
                }
            }
        }
        let mut node = node;
        if let Kind::Map(entries) = &mut node.kind {
            entries.retain(|(k, _)| k != "include");
        }
        let result = match merged {
            None => node,
            Some(mut m) => {
                deep_merge(&mut m, &node);
                m
            }
        };
        Some((result, doc.range))
    }

    /// One entry of `include:`.
    fn include(&mut self, file: &Arc<SourceFile>, inc: &Node, depth: usize) -> Option<Node> {
        let range = inc.place.as_ref().map_or(ByteRange::default(), |p| p.value);
        let (kind, location) = match &inc.kind {
            Kind::Scalar(Value::String(s)) => {
                if s.starts_with("https://") || s.starts_with("http://") {
                    ("remote", s.clone())
                } else {
                    ("local", s.clone())
                }
            }
            Kind::Map(_) => {
                let found = ["local", "project", "remote", "template", "component"]
                    .into_iter()
                    .find_map(|k| inc.get(k).map(|v| (k, v)));
                match found {
                    Some((k, v)) => {
                        let mut loc = v.as_str().unwrap_or_default().to_string();
                        if k == "project" {
                            let files: Vec<String> = match inc.get("file") {
                                Some(f) => match &f.kind {
                                    Kind::Seq(items) => items
                                        .iter()
                                        .filter_map(|i| i.as_str().map(str::to_string))
                                        .collect(),
                                    _ => f.as_str().map(str::to_string).into_iter().collect(),
                                },
                                None => Vec::new(),
                            };
                            if !files.is_empty() {
                                loc = format!("{loc}: {}", files.join(", "));
                            }
                        }
                        (k, loc)
                    }
                    None => {
                        self.diag(file, range, DiagnosticCode::GitlabIncludeInvalid, DiagnosticLevel::Warning,
                            "this `include:` entry names no `local`, `project`, `remote`, `template` or `component`; it is ignored".into(),
                            "cette entrée `include:` ne nomme ni `local`, ni `project`, ni `remote`, ni `template`, ni `component` ; elle est ignorée".into());
                        return None;
                    }
                }
            }
            _ => return None,
        };
        self.include_spans.push((range, Arc::clone(file)));
        let mut entry = json!({"type": kind, "location": location, "resolved": false});
        if kind != "local" {
            self.diag(
                file,
                range,
                DiagnosticCode::GitlabIncludeExternal,
                DiagnosticLevel::Note,
                format!("`include: {kind}` ({location}) cannot be resolved offline: the jobs it defines were not checked"),
                format!("`include: {kind}` ({location}) ne peut pas être résolu hors ligne : les jobs qu'il définit n'ont pas été vérifiés"),
            );
            self.includes.push(entry);
            return None;
        }
        let Some(repo) = &self.repo else {
            self.diag(
                file,
                range,
                DiagnosticCode::GitlabIncludeNotFollowed,
                DiagnosticLevel::Note,
                format!("`include: local` ({location}) is not followed when a file is checked alone: check the repository folder"),
                format!("`include: local` ({location}) n'est pas suivi quand un fichier est vérifié seul : vérifier le dossier du dépôt"),
            );
            self.includes.push(entry);
            return None;
        };
        if location.contains('*') || location.contains('$') {
            self.diag(
                file,
                range,
                DiagnosticCode::GitlabIncludeNotFollowed,
                DiagnosticLevel::Note,
                format!(
                    "`include: local` with a wildcard or a variable ({location}) is not followed"
                ),
                format!(
                    "`include: local` avec un joker ou une variable ({location}) n'est pas suivi"
                ),
            );
            self.includes.push(entry);
            return None;
        }
        let display = normalise(&location).map(|r| repo.display_of(&r));
        let read = repo.read(&location);
        let Some(read) = read else {
            self.diag(
                file,
                range,
                DiagnosticCode::GitlabIncludeMissing,
                DiagnosticLevel::Warning,
                format!("the local include `{location}` does not exist in the repository (or leaves it): GitLab rejects this pipeline"),
                format!("l'include local `{location}` n'existe pas dans le dépôt (ou en sort) : GitLab rejette ce pipeline"),
            );
            self.includes.push(entry);
            return None;
        };
        let included = match read {
            Ok(f) => f,
            Err(e) => {
                let why = e.text();
                self.diag(
                    file,
                    range,
                    DiagnosticCode::GitlabIncludeUnreadable,
                    DiagnosticLevel::Warning,
                    format!("the local include `{location}` cannot be read: {}", why.en),
                    format!(
                        "l'include local `{location}` ne peut pas être lu : {}",
                        why.fr
                    ),
                );
                self.includes.push(entry);
                return None;
            }
        };
        let display = display.unwrap_or_else(|| included.path().to_string());
        if depth + 1 > MAX_INCLUDE_DEPTH
            || self.seen.len() > MAX_INCLUDED_FILES
            || self.seen.contains(&display)
        {
            self.diag(
                file,
                range,
                DiagnosticCode::GitlabIncludeLoop,
                DiagnosticLevel::Warning,
                format!("`{location}` is already included, or includes nest deeper than {MAX_INCLUDE_DEPTH} levels (or more than {MAX_INCLUDED_FILES} files): not followed again"),
                format!("`{location}` est déjà inclus, ou les includes s'imbriquent sur plus de {MAX_INCLUDE_DEPTH} niveaux (ou plus de {MAX_INCLUDED_FILES} fichiers) : non suivi à nouveau"),
            );
            self.includes.push(entry);
            return None;
        }
        self.seen.insert(display.clone());
        self.out.included.push(display.clone());
        self.out.sources.push(Arc::clone(&included));
        entry["resolved"] = json!(true);
        entry["file"] = json!(display);
        self.includes.push(entry);
        self.file(&included, depth + 1).map(|(n, _)| n)
    }
}

/// The entries of `include:` (a string, a mapping, or a list of them).
fn include_entries(include: &Node) -> Vec<&Node> {
    match &include.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![include],
    }
}

/// Facts about the repository the CI belongs to, read from a few well-known files at its root:
/// what rules about the whole repository need (an application or an infrastructure repository,
/// a dependency-update bot, a front end and its end-to-end tests, coverage settings, the
/// Dockerfiles), with the facts located in other files.
fn repository_facts(repo: &Repo) -> (Value, facts::Located) {
    let any = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .filter(|n| repo.exists(n))
            .map(|n| n.to_string())
            .collect()
    };
    let markers = any(&[
        "Dockerfile",
        "Containerfile",
        "package.json",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "go.mod",
        "Cargo.toml",
        "pyproject.toml",
        "setup.py",
        "requirements.txt",
        "composer.json",
        "Gemfile",
    ]);
    let bots = any(&[
        "renovate.json",
        "renovate.json5",
        ".renovaterc",
        ".renovaterc.json",
        ".renovaterc.json5",
        ".gitlab/renovate.json",
        ".gitlab/renovate.json5",
        ".github/renovate.json",
        ".github/dependabot.yml",
        ".github/dependabot.yaml",
    ]);
    let mut e2e = Vec::new();
    for base in [
        "cypress.config",
        "playwright.config",
        "wdio.conf",
        "nightwatch.conf",
    ] {
        for ext in ["ts", "js", "mjs", "cjs", "mts", "cts"] {
            let n = format!("{base}.{ext}");
            if repo.exists(&n) {
                e2e.push(n);
            }
        }
    }
    e2e.extend(any(&["cypress.json"]));
    // Front-end frameworks among the dependencies of package.json.
    let mut frontend = Vec::new();
    let mut jest_threshold = Value::Null;
    let mut scripts = serde_json::Map::new();
    if let Some(Ok(pkg)) = repo.read("package.json") {
        if let Ok(v) = serde_json::from_str::<Value>(pkg.text()) {
            for section in ["dependencies", "devDependencies", "peerDependencies"] {
                if let Some(deps) = v.get(section).and_then(Value::as_object) {
                    for fw in [
                        "react",
                        "vue",
                        "@angular/core",
                        "svelte",
                        "next",
                        "nuxt",
                        "@gouvfr/dsfr",
                    ] {
                        if deps.contains_key(fw) && !frontend.iter().any(|f| f == fw) {
                            frontend.push(fw.to_string());
                        }
                    }
                }
            }
            if let Some(t) = v.pointer("/jest/coverageThreshold") {
                jest_threshold = t.clone();
            }
            if let Some(s) = v.get("scripts").and_then(Value::as_object) {
                scripts.extend(
                    s.iter()
                        .filter(|(_, c)| c.is_string())
                        .map(|(k, c)| (k.clone(), c.clone())),
                );
            }
        }
    }
    let mut located = Vec::new();
    let coverage = facts::coverage(repo, &mut located);
    let dockerfiles = facts::dockerfiles(repo, &mut located);
    let facts = json!({
        "root": repo.display,
        "markers": markers,
        "application": !markers.is_empty(),
        "dependencyBots": bots,
        "frontend": frontend,
        "e2eConfigs": e2e,
        "jestCoverageThreshold": jest_threshold,
        "packageScripts": scripts,
        "coverage": coverage,
        "dockerfiles": dockerfiles,
    });
    (facts, located)
}

#[cfg(test)]
mod tests;
