//! Kustomize, natively: a kustomization folder → the resources `kustomize build` prints, each
//! key and value traced back to the file and line that wrote it.
//!
//! Input: a folder holding `kustomization.yaml` (`.yml`, `Kustomization`). Output: [`Built`]:
//! the resources in kustomize's order, printed as YAML with the provenance of every byte, and
//! the files the build read. The build follows kustomize's order: `resources` (files, folders,
//! other kustomizations, depth first), `components`, generators (`configMapGenerator`,
//! `secretGenerator`, then `helmCharts` inflated by the [`ChartRenderer`] the caller gives),
//! then the transformers (strategic-merge patches, `patches`, namespace, prefix and suffix,
//! labels, annotations, JSON 6902 patches, replicas, images, replacements), names fixed in
//! references at each level, hash suffixes of generated objects and legacy `vars` at the end.
//! Remote resources and chart repositories are never fetched: each is a located diagnostic
//! and the build goes on without it.

mod emit;
mod generate;
mod helm_charts;
mod node;
mod order;
mod patch;
mod read;
mod replace;
mod transform;
mod vars;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) use emit::Printed;
pub use helm_charts::{ChartRenderer, HelmChart};
pub(crate) use node::Node;

use crate::source::{ByteRange, Document, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};
use crate::yaml::YamlLimits;

use read::Kustomization;

/// The names kustomize looks for in a folder, in its order.
use crate::discover::KUSTOMIZATION_NAMES as FILE_NAMES;

/// How deep kustomizations may include each other.
const MAX_DEPTH: usize = 32;

/// The kustomization file of a folder, if it has one.
pub(crate) fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// A resource being built, with what kustomize remembers of it.
#[derive(Debug, Clone)]
pub(crate) struct Res {
    /// The resource.
    pub node: Node,
    /// Every name it had (the first as written), for targets and references.
    pub names: Vec<String>,
    /// Generated, its name to get a hash suffix at the end of the build.
    pub hash: bool,
    /// Rendered from a `helmCharts` chart: kustomize's namespace transformer leaves it alone.
    pub from_chart: bool,
}

impl Res {
    fn new(node: Node) -> Res {
        let name = node.str_at(&["metadata", "name"]).unwrap_or("").to_string();
        Res {
            node,
            names: vec![name],
            hash: false,
            from_chart: false,
        }
    }

    /// Its current name.
    pub(crate) fn name(&self) -> &str {
        self.node.str_at(&["metadata", "name"]).unwrap_or("")
    }

    /// Its kind.
    pub(crate) fn kind(&self) -> &str {
        self.node.str_at(&["kind"]).unwrap_or("")
    }
}

/// A build: the resources and what it read.
#[derive(Debug, Default)]
pub(crate) struct Built {
    /// The resources, in kustomize's order.
    pub resources: Vec<Node>,
    /// Problems that did not stop the build (remote resources, fields not built).
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read.
    pub files: Vec<Arc<SourceFile>>,
}

impl Built {
    /// The resources printed, with the provenance of their bytes.
    pub(crate) fn print(&self) -> Printed {
        emit::print(&self.resources)
    }
}

/// What stops a build: a located diagnostic.
pub(crate) type BuildError = Box<Diagnostic>;

/// Build a kustomization folder (`display`: the folder as shown).
pub(crate) fn build(
    dir: &Path,
    limits: &YamlLimits,
    charts: Option<&dyn ChartRenderer>,
) -> Result<Built, BuildError> {
    build_with(dir, limits, None, charts)
}

/// Build a kustomization folder with an edit over its kustomization (an Argo CD
/// Application's `kustomize` block, as a kustomization document): what the edit sets replaces
/// what the folder's kustomization sets (name prefix, suffix, namespace, images and replicas
/// of the same names), and its transformers (patches, labels, annotations…) run at their
/// steps among the folder's own, after them (as `kustomize edit` writes them into the
/// kustomization), every value they set located in the edit's file. `charts` renders the
/// charts of `helmCharts` (without it, they are left out with a warning).
pub(crate) fn build_with(
    dir: &Path,
    limits: &YamlLimits,
    edit: Option<Document>,
    charts: Option<&dyn ChartRenderer>,
) -> Result<Built, BuildError> {
    let mut b = Builder {
        limits: *limits,
        diagnostics: Vec::new(),
        files: Vec::new(),
        stack: Vec::new(),
        namespaces: Vec::new(),
        vars: Vec::new(),
        sort_order: None,
        edit: edit.map(Kustomization::from_document),
        charts,
    };
    let mut acc = Vec::new();
    b.kustomization(dir, &mut acc, false)?;
    generate::hash_names(&mut acc);
    vars::substitute(&b.vars, &mut acc, &mut b.diagnostics);
    for r in &mut acc {
        annotations_as_strings(&mut r.node);
    }
    let order = b.sort_order.take();
    let mut resources: Vec<Node> = acc.into_iter().map(|r| r.node).collect();
    if order != Some(read::SortOrder::Fifo) {
        order::legacy_sort(&mut resources);
    }
    Ok(Built {
        resources,
        diagnostics: b.diagnostics,
        files: b.files,
    })
}

/// Kustomize sets every resource's annotations again at the end of a build, as strings: a
/// number or boolean a replacement copied there is printed quoted.
fn annotations_as_strings(n: &mut Node) {
    let Some(node::Kind::Map(entries)) =
        n.at_mut(&["metadata", "annotations"]).map(|a| &mut a.kind)
    else {
        return;
    };
    for e in entries {
        if let node::Kind::Scalar(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) =
            &mut e.value.kind
        {
            *v = serde_json::Value::String(v.to_string());
        }
    }
}

/// The files and kustomization folders a kustomization reads (itself included), without
/// building it: what the scan judges through its builds and not on its own.
pub(crate) fn references(
    dir: &Path,
    limits: &YamlLimits,
) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
    let mut files = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    references_into(dir, limits, &mut files, &mut dirs, 0);
    (files, dirs)
}

fn references_into(
    dir: &Path,
    limits: &YamlLimits,
    files: &mut BTreeSet<PathBuf>,
    dirs: &mut BTreeSet<PathBuf>,
    depth: usize,
) {
    let dir = normalize(dir);
    if depth > MAX_DEPTH || !dirs.insert(dir.clone()) {
        return;
    }
    let Some(path) = kustomization_file(&dir) else {
        return;
    };
    let Ok(k) = Kustomization::read(&path, &display(&path), limits) else {
        return;
    };
    files.insert(normalize(&path));
    for (entry, _) in k
        .strings("resources")
        .into_iter()
        .chain(k.strings("bases"))
        .chain(k.strings("components"))
    {
        if read::is_remote(&entry) {
            continue;
        }
        let p = normalize(&dir.join(&entry));
        if p.is_dir() {
            references_into(&p, limits, files, dirs, depth + 1);
        } else {
            files.insert(p);
        }
    }
    for p in k.patch_files() {
        files.insert(normalize(&dir.join(p)));
    }
    // The charts of `helmCharts` in its chart home: judged as the build renders them.
    dirs.extend(helm_charts::local_charts(&dir, &k));
    files.extend(helm_charts::values_files(&dir, &k));
}

impl Builder<'_> {
    fn error(
        &self,
        file: &Arc<SourceFile>,
        range: ByteRange,
        en: String,
        fr: String,
    ) -> BuildError {
        Box::new(Diagnostic::at(
            file,
            range,
            DiagnosticCode::KustomizeBuild,
            DiagnosticLevel::Error,
            Text::new(en, fr),
        ))
    }

    /// Read a file once per build.
    fn file(&mut self, path: &Path) -> Result<Arc<SourceFile>, ReadError> {
        let shown = display(path);
        if let Some(f) = self.files.iter().find(|f| f.path() == shown) {
            return Ok(Arc::clone(f));
        }
        let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
        if meta.len() > read::MAX_FILE_SIZE {
            return Err(ReadError::TooLarge);
        }
        let bytes = std::fs::read(path).map_err(ReadError::Io)?;
        let text = String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
        let f = SourceFile::new(shown, text);
        self.files.push(Arc::clone(&f));
        Ok(f)
    }

    /// Apply the kustomization of `dir` to the resources accumulated so far (a kustomization
    /// starts from none; a component applies to its parent's).
    fn kustomization(
        &mut self,
        dir: &Path,
        acc: &mut Vec<Res>,
        component: bool,
    ) -> Result<(), BuildError> {
        let dir = normalize(dir);
        let Some(path) = kustomization_file(&dir) else {
            return Err(Box::new(Diagnostic::for_path(
                &display(&dir),
                DiagnosticCode::KustomizeBuild,
                DiagnosticLevel::Error,
                Text::new(
                    "this folder has no kustomization.yaml, kustomization.yml or Kustomization",
                    "ce dossier n'a ni kustomization.yaml, ni kustomization.yml, ni Kustomization",
                ),
            )));
        };
        if self.stack.contains(&dir) || self.stack.len() > MAX_DEPTH {
            return Err(Box::new(Diagnostic::for_path(
                &display(&path),
                DiagnosticCode::KustomizeBuild,
                DiagnosticLevel::Error,
                Text::new(
                    "kustomizations include each other in a cycle (or too deeply)",
                    "des kustomizations s'incluent en cycle (ou trop profondément)",
                ),
            )));
        }
        let file = self.file(&path).map_err(|e| {
            Box::new(Diagnostic::for_path(
                &display(&path),
                DiagnosticCode::KustomizeBuild,
                DiagnosticLevel::Error,
                Text::new(
                    format!("cannot read: {e}"),
                    format!("lecture impossible : {}", e.fr()),
                ),
            ))
        })?;
        let mut k = Kustomization::parse(&file, &self.limits)?;
        let edit = if self.stack.is_empty() {
            self.sort_order = k.sort_order();
            self.edit.take()
        } else {
            None
        };
        if let Some(e) = &edit {
            k.edited_by(e);
        }
        // The namespace a chart of this kustomization (or of one it includes) renders in.
        let namespace = edit
            .as_ref()
            .and_then(|e| e.get("namespace"))
            .or_else(|| k.get("namespace"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        self.namespaces.push(namespace);
        self.stack.push(dir.clone());
        self.diagnostics.extend(k.unsupported());
        let mut result = self.apply(&dir, &k, edit.as_ref(), acc, component);
        if result.is_ok() {
            result = vars::collect(&k, &mut self.vars);
        }
        self.stack.pop();
        self.namespaces.pop();
        result
    }

    fn apply(
        &mut self,
        dir: &Path,
        k: &Kustomization,
        edit: Option<&Kustomization>,
        acc: &mut Vec<Res>,
        component: bool,
    ) -> Result<(), BuildError> {
        let _ = component;
        let mut own = Vec::new();
        for (entry, range) in k.strings("resources").into_iter().chain(k.strings("bases")) {
            if read::is_remote(&entry) {
                self.diagnostics.push(Diagnostic::at(
                    &k.file,
                    range,
                    DiagnosticCode::KustomizeRemote,
                    DiagnosticLevel::Warning,
                    Text::new(
                        format!("remote resource `{entry}` is not fetched: the build is checked without it"),
                        format!("la ressource distante `{entry}` n'est pas téléchargée : la construction est vérifiée sans elle"),
                    ),
                ));
                continue;
            }
            let p = normalize(&dir.join(&entry));
            if p.is_dir() {
                let mut sub = Vec::new();
                self.kustomization(&p, &mut sub, false)?;
                own.extend(sub);
            } else if p.is_file() {
                own.extend(self.resource_file(&p, &k.file, range)?);
            } else {
                return Err(self.error(
                    &k.file,
                    range,
                    format!("resource `{entry}` is neither a file nor a folder"),
                    format!("la ressource `{entry}` n'est ni un fichier ni un dossier"),
                ));
            }
        }
        for r in own {
            if let Some(prev) = acc.iter().find(|a| same_id(a, &r)) {
                let id = node::ResId::of(&prev.node);
                return Err(self.error(
                    &k.file,
                    k.range,
                    format!(
                        "two resources have the same identity: {} {}",
                        id.kind, id.name
                    ),
                    format!(
                        "deux ressources ont la même identité : {} {}",
                        id.kind, id.name
                    ),
                ));
            }
            acc.push(r);
        }
        for (entry, range) in k.strings("components") {
            if read::is_remote(&entry) {
                continue;
            }
            let p = normalize(&dir.join(&entry));
            if !p.is_dir() {
                return Err(self.error(
                    &k.file,
                    range,
                    format!("component `{entry}` is not a folder"),
                    format!("le composant `{entry}` n'est pas un dossier"),
                ));
            }
            self.kustomization(&p, acc, true)?;
        }
        self.transform(dir, k, edit, acc)
    }

    /// A kustomization's generators and transformers over the resources accumulated so far.
    /// An edit's fields (see [`build_with`]) take part in each step after the kustomization's
    /// own, as `kustomize edit` writes them into it (a patch appended to its `patches`, labels
    /// added to its labels…).
    fn transform(
        &mut self,
        dir: &Path,
        k: &Kustomization,
        edit: Option<&Kustomization>,
        acc: &mut Vec<Res>,
    ) -> Result<(), BuildError> {
        let before: Vec<(String, String)> = acc
            .iter()
            .map(|r| (r.kind().to_string(), r.name().to_string()))
            .collect();
        let both: Vec<&Kustomization> = std::iter::once(k).chain(edit).collect();
        generate::generators(self, dir, k, acc)?;
        helm_charts::inflate(self, dir, k, acc)?;
        for k in &both {
            patch::strategic_merge_field(self, dir, k, acc)?;
        }
        for k in &both {
            patch::patches_field(self, dir, k, acc)?;
        }
        for k in &both {
            transform::namespace(k, acc);
            transform::prefix_suffix(k, acc);
        }
        for k in &both {
            transform::labels(k, acc);
        }
        for k in &both {
            transform::annotations(k, acc);
        }
        for k in &both {
            patch::json6902_field(self, dir, k, acc)?;
        }
        for k in &both {
            transform::replicas(k, acc);
        }
        for k in &both {
            transform::images(k, acc);
        }
        replace::replacements(self, dir, k, acc)?;
        // Names changed at this level: the references to them follow.
        let mut renames = Vec::new();
        for (r, (kind, old)) in acc.iter_mut().zip(before) {
            let name = r.name().to_string();
            if name != old {
                renames.push((kind, old, name.clone()));
            }
            if r.names.last() != Some(&name) {
                r.names.push(name);
            }
        }
        transform::fix_references(acc, &renames);
        Ok(())
    }

    /// The resources of a file.
    fn resource_file(
        &mut self,
        path: &Path,
        from: &Arc<SourceFile>,
        range: ByteRange,
    ) -> Result<Vec<Res>, BuildError> {
        let file = self.file(path).map_err(|e| {
            self.error(
                from,
                range,
                format!("cannot read `{}`: {e}", display(path)),
                format!("lecture impossible de `{}` : {}", display(path), e.fr()),
            )
        })?;
        let docs = self.documents(&file, from, range)?;
        let mut out = Vec::new();
        for d in &docs {
            if d.value.is_null() {
                continue;
            }
            // A `List` is its items.
            if d.value.get("kind").and_then(|k| k.as_str()) == Some("List") {
                if let Some(items) = d.value.get("items").and_then(|i| i.as_array()) {
                    for i in 0..items.len() {
                        if let Some(n) = Node::from_document_at(d, &format!("/items/{i}"), false) {
                            out.push(Res::new(n));
                        }
                    }
                }
                continue;
            }
            out.push(Res::new(Node::from_document(d)));
        }
        Ok(out)
    }

    /// The documents of a file, syntax errors stopping the build.
    fn documents(
        &mut self,
        file: &Arc<SourceFile>,
        from: &Arc<SourceFile>,
        range: ByteRange,
    ) -> Result<Vec<Document>, BuildError> {
        let stream = crate::yaml::parse(file, &self.limits);
        if let Some(d) = stream
            .diagnostics
            .iter()
            .find(|d| d.level == DiagnosticLevel::Error)
        {
            let _ = (from, range);
            return Err(Box::new(d.clone()));
        }
        Ok(stream.documents)
    }
}

/// What builds a kustomization: the files read, the diagnostics, the folders being built.
pub(crate) struct Builder<'a> {
    limits: YamlLimits,
    diagnostics: Vec<Diagnostic>,
    files: Vec<Arc<SourceFile>>,
    stack: Vec<PathBuf>,
    /// The namespace each kustomization being built sets (parallel to `stack`).
    namespaces: Vec<Option<String>>,
    /// The `vars` of every kustomization built, substituted at the end.
    vars: Vec<vars::Var>,
    sort_order: Option<read::SortOrder>,
    /// An edit over the root kustomization (see [`build_with`]).
    edit: Option<Kustomization>,
    /// Renders the charts of `helmCharts`.
    charts: Option<&'a dyn ChartRenderer>,
}

/// Whether two resources have the same identity (group, kind, namespace, name).
fn same_id(a: &Res, b: &Res) -> bool {
    node::ResId::of(&a.node) == node::ResId::of(&b.node)
}

/// A path with `.` and `..` resolved lexically (as kustomize joins paths).
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                let up = matches!(
                    out.components().next_back(),
                    None | Some(std::path::Component::ParentDir)
                );
                if up {
                    out.push("..");
                } else {
                    out.pop();
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A path as reports show it.
pub(crate) fn display(p: &Path) -> String {
    crate::discover::display_path(&normalize(p))
}

/// Whether a folder holds a kustomization.
pub fn is_kustomization(dir: &Path) -> bool {
    kustomization_file(dir).is_some()
}

/// What `kustomize build DIR` prints, for `cct render`: the YAML stream, and the warnings of
/// the build (remote resources not fetched, fields not built). `charts` renders the charts of
/// `helmCharts` (the scan's loader has one: `crate::load::render_kustomization`).
pub fn render(
    dir: &Path,
    charts: Option<&dyn ChartRenderer>,
) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let built = build(dir, &YamlLimits::default(), charts)?;
    let printed = built.print();
    Ok((printed.text, built.diagnostics))
}

/// Why a file that a kustomization names cannot be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    TooLarge,
    NotUtf8,
}

impl ReadError {
    /// In French.
    pub(crate) fn fr(&self) -> String {
        match self {
            ReadError::Io(e) => e.to_string(),
            ReadError::TooLarge => format!("plus grand que {} Mio", read::MAX_FILE_SIZE >> 20),
            ReadError::NotUtf8 => "pas du texte UTF-8".to_string(),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge => write!(f, "larger than {} MiB", read::MAX_FILE_SIZE >> 20),
            ReadError::NotUtf8 => f.write_str("not UTF-8 text"),
        }
    }
}
