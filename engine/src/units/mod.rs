//! Deployment units and their inventories.
//!
//! A deployment unit is what is deployed together: the manifests directly in one folder, a file
//! of rendered chart output, a chart render per environment. [`Units`] groups what the loaders
//! read into units. Rules that need the other resources (a
//! PodDisruptionBudget for a workload, a NetworkPolicy selecting a pod) read the unit's
//! inventory as `data.inventory`, built once per unit, and only for units where such a rule
//! selects something: every resource, converted once to Rego's value type (the same values are
//! the `input` of `resource` subjects), with a `__meta` object, and the same resources grouped
//! by kind.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use regorus::Value as RValue;

use serde_json::Value;

use crate::kube;
use crate::load::Grouping;
use crate::source::{DocFormat, Document};
use crate::vocab::SubjectIdentity;

/// Documents deployed together, checked together.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeploymentUnit {
    /// The unit's name: the folder (`deploy/base`), or a chart and environment.
    pub name: String,
    /// The input it comes from, as shards split a scan: a folder, or a chart (every
    /// environment of a chart has the chart's key).
    pub key: String,
    /// Its documents, in file then document order.
    pub documents: Vec<Document>,
    /// The namespace of its resources that do not write one (an Argo CD Application's
    /// destination); empty when unknown.
    pub namespace: String,
    /// A unit about the whole scan (its derogations, the folders given): judged once, with the
    /// first shard.
    whole_scan: bool,
}

impl DeploymentUnit {
    /// A unit from a name and documents (its key: its name).
    pub(crate) fn new(name: impl Into<String>, documents: Vec<Document>) -> Self {
        let name = name.into();
        DeploymentUnit {
            key: name.clone(),
            name,
            documents,
            namespace: String::new(),
            whole_scan: false,
        }
    }

    /// The namespace a resource of `kind` is deployed in: the one it writes, else (for a
    /// namespaced kind) the unit's (an Argo CD Application's destination).
    pub(crate) fn namespace_of(&self, kind: &str, written: &str) -> String {
        if written.is_empty() && !crate::kube::is_cluster_scoped(kind) {
            self.namespace.clone()
        } else {
            written.to_string()
        }
    }

    /// The unit of the scan's derogations, judged by the catalogue's rule on derogations.
    pub(crate) fn derogations(document: Document) -> Self {
        DeploymentUnit {
            whole_scan: true,
            ..DeploymentUnit::new("(derogations)", vec![document])
        }
    }

    /// The unit of the folders given to the scan (the repositories), if any.
    pub(crate) fn repositories(documents: Vec<Document>) -> Option<Self> {
        (!documents.is_empty()).then(|| DeploymentUnit {
            whole_scan: true,
            ..DeploymentUnit::new("(repositories)", documents)
        })
    }

    /// Whether the unit belongs to shard `index` of `count` (from 1): by a hash of its key, so
    /// that a chart or a folder is never split; a unit about the whole scan goes with the first.
    pub(crate) fn in_shard(&self, index: usize, count: usize) -> bool {
        if self.whole_scan {
            return index == 1;
        }
        shard_of(&self.key, count) == index
    }
}

/// The shard (from 1) a key falls in, of `count`: a fixed hash (SHA-256), the same on every
/// machine and run.
pub(crate) fn shard_of(key: &str, count: usize) -> usize {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let count = count.max(1) as u64;
    (u64::from_be_bytes(first) % count) as usize + 1
}

/// Deployment units being gathered from loaded inputs, by name (sorted).
#[derive(Debug, Default)]
pub(crate) struct Units {
    units: BTreeMap<String, (String, Vec<Document>)>,
    namespaces: BTreeMap<String, String>,
}

impl Units {
    /// Add the documents of a file shown as `display`, grouped as its loader said.
    pub(crate) fn add_file(&mut self, display: &str, grouping: Grouping, documents: Vec<Document>) {
        let name = match grouping {
            Grouping::OwnFile => display.to_string(),
            Grouping::Folder => folder_unit(display),
        };
        self.add(name, folder_unit(display), documents);
    }

    /// Add documents to the unit of a name (`key`: the input it comes from).
    pub(crate) fn add(&mut self, name: String, key: String, documents: Vec<Document>) {
        self.units
            .entry(name)
            .or_insert_with(|| (key, Vec::new()))
            .1
            .extend(documents);
    }

    /// Set the namespace of a unit's resources that do not write one.
    pub(crate) fn set_namespace(&mut self, name: String, namespace: String) {
        self.namespaces.insert(name, namespace);
    }

    /// The units, sorted by name.
    pub(crate) fn build(mut self) -> Vec<DeploymentUnit> {
        self.units
            .into_iter()
            .map(|(name, (key, documents))| DeploymentUnit {
                namespace: self.namespaces.remove(&name).unwrap_or_default(),
                name,
                key,
                documents,
                whole_scan: false,
            })
            .collect()
    }
}

/// The shard key of an input shown as `display`: a chart's folder, else the file's folder.
pub(crate) fn input_key(display: &str, chart: bool) -> String {
    if chart {
        display.to_string()
    } else {
        folder_unit(display)
    }
}

/// The deployment unit of a file of the folder unit: its folder (`.` for a file of the
/// working folder).
pub(crate) fn folder_unit(display: &str) -> String {
    match display.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        Some(_) => "/".to_string(),
        None => ".".to_string(),
    }
}

/// One resource of a unit, converted once.
#[derive(Debug)]
pub(crate) struct InventoryEntry {
    /// Index of its document in the unit.
    pub(crate) doc: usize,
    /// Pointer of the resource in its document.
    pub(crate) pointer: String,
    /// The resource as a Rego value, without `__meta` (the `input` of a `resource` subject).
    pub(crate) value: RValue,
    pub(crate) identity: SubjectIdentity,
}

/// The resources of a unit, as `data.inventory` and for lookups.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    /// `{resources, by_kind, namespace}`: `data.inventory`, given in `input` to the policies
    /// that read it.
    pub(crate) data: Option<RValue>,
    entries: Vec<InventoryEntry>,
    by_place: HashMap<(usize, String), usize>,
    /// Entries by kind and name, to locate the resource a result names.
    by_name: HashMap<(String, String), Vec<usize>>,
}

/// What the whole scan knows beyond one unit: its Argo CD Applications and ApplicationSets
/// (`{applications: [{file, kind, name, namespace, paths}]}`, sorted by file and name; `paths`
/// are the `source.path`s they deploy), for rules about the repository's layout, and the
/// images its GitLab CI jobs push (`pushedImages`: names without tag, variables the jobs do
/// not define kept as written), its Services (`services: [{name, namespace, file, ports}]`,
/// `ports` as written, each Service once whatever the number of environments it is rendered
/// in) and the files of its OpenAPI documents (`openapiDocuments`, whatever their name).
pub(crate) fn repository_facts<'a>(units: impl IntoIterator<Item = &'a DeploymentUnit>) -> RValue {
    let mut apps: BTreeMap<(String, String, String, String), Vec<String>> = BTreeMap::new();
    let mut pushed: BTreeSet<String> = BTreeSet::new();
    let mut services: BTreeMap<(String, String), (String, RValue)> = BTreeMap::new();
    let mut openapi: BTreeSet<String> = BTreeSet::new();
    for doc in units.into_iter().flat_map(|u| u.documents.iter()) {
        if doc.format == DocFormat::GitlabCi {
            pushed.extend(crate::gitlab::pushed_images(&doc.value));
            continue;
        }
        if doc.format == DocFormat::OpenApi {
            openapi.insert(doc.file.path().to_string());
            continue;
        }
        for res in kube::resources(doc) {
            if res.kind == "Service" && res.api_version == "v1" {
                let ports = res
                    .value
                    .pointer("/spec/ports")
                    .filter(|p| p.is_array())
                    .map(to_rego)
                    .unwrap_or_else(|| RValue::from(Vec::<RValue>::new()));
                services
                    .entry((res.namespace.to_string(), res.name.to_string()))
                    .or_insert_with(|| (doc.file.path().to_string(), ports));
                continue;
            }
            if !res.api_version.starts_with("argoproj.io/")
                || !matches!(res.kind, "Application" | "ApplicationSet")
            {
                continue;
            }
            let spec = match res.kind {
                "ApplicationSet" => res.value.pointer("/spec/template/spec"),
                _ => res.value.get("spec"),
            };
            let mut paths = Vec::new();
            if let Some(spec) = spec {
                let sources = spec.get("source").into_iter().chain(
                    spec.get("sources")
                        .and_then(|s| s.as_array())
                        .into_iter()
                        .flatten(),
                );
                for src in sources {
                    if let Some(p) = src.get("path").and_then(|p| p.as_str()) {
                        paths.push(p.to_string());
                    }
                }
            }
            apps.insert(
                (
                    doc.file.path().to_string(),
                    res.name.to_string(),
                    res.kind.to_string(),
                    res.namespace.to_string(),
                ),
                paths,
            );
        }
    }
    let key = |s: &str| RValue::from(s);
    let list: Vec<RValue> = apps
        .into_iter()
        .map(|((file, name, kind, namespace), paths)| {
            let mut m = BTreeMap::new();
            m.insert(key("file"), key(&file));
            m.insert(key("name"), key(&name));
            m.insert(key("kind"), key(&kind));
            m.insert(key("namespace"), key(&namespace));
            m.insert(
                key("paths"),
                RValue::from(paths.iter().map(|p| key(p)).collect::<Vec<_>>()),
            );
            RValue::from(m)
        })
        .collect();
    let mut repo = BTreeMap::new();
    repo.insert(key("applications"), RValue::from(list));
    repo.insert(
        key("pushedImages"),
        RValue::from(pushed.iter().map(|p| key(p)).collect::<Vec<_>>()),
    );
    let services: Vec<RValue> = services
        .into_iter()
        .map(|((namespace, name), (file, ports))| {
            let mut m = BTreeMap::new();
            m.insert(key("name"), key(&name));
            m.insert(key("namespace"), key(&namespace));
            m.insert(key("file"), key(&file));
            m.insert(key("ports"), ports);
            RValue::from(m)
        })
        .collect();
    repo.insert(key("services"), RValue::from(services));
    repo.insert(
        key("openapiDocuments"),
        RValue::from(openapi.iter().map(|p| key(p)).collect::<Vec<_>>()),
    );
    RValue::from(repo)
}

impl Inventory {
    /// Build the inventory of a unit; `repository` is what the whole scan knows beyond the
    /// unit (its Argo CD Applications), as `data.inventory.repository`.
    pub(crate) fn build(unit: &DeploymentUnit, repository: &RValue) -> Inventory {
        let mut places = Vec::new();
        for (i, doc) in unit.documents.iter().enumerate() {
            for res in kube::resources(doc) {
                let identity = SubjectIdentity {
                    api_version: res.api_version.to_string(),
                    kind: res.kind.to_string(),
                    namespace: unit.namespace_of(res.kind, res.namespace),
                    name: res.name.to_string(),
                    container: None,
                };
                places.push((i, res.pointer, res.value, identity));
            }
        }
        let entries: Vec<InventoryEntry> = places
            .into_par_iter()
            .map(|(doc, pointer, value, identity)| InventoryEntry {
                doc,
                pointer,
                value: to_rego(value),
                identity,
            })
            .collect();
        let key = |s: &str| RValue::from(s);
        let mut resources = Vec::with_capacity(entries.len());
        let mut by_kind: BTreeMap<String, Vec<RValue>> = BTreeMap::new();
        let mut by_place = HashMap::new();
        let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (n, e) in entries.iter().enumerate() {
            by_name
                .entry((e.identity.kind.clone(), e.identity.name.clone()))
                .or_default()
                .push(n);
            let doc = &unit.documents[e.doc];
            let mut meta = BTreeMap::new();
            meta.insert(key("file"), key(doc.file.path()));
            meta.insert(key("doc"), RValue::from(doc.index));
            meta.insert(key("pointer"), key(&e.pointer));
            meta.insert(key("kind"), key(&e.identity.kind));
            meta.insert(key("apiVersion"), key(&e.identity.api_version));
            meta.insert(key("namespace"), key(&e.identity.namespace));
            meta.insert(key("name"), key(&e.identity.name));
            let mut value = e.value.clone();
            if let Ok(obj) = value.as_object_mut() {
                obj.insert(key("__meta"), RValue::from(meta));
            }
            by_kind
                .entry(e.identity.kind.clone())
                .or_default()
                .push(value.clone());
            resources.push(value);
            by_place.insert((e.doc, e.pointer.clone()), n);
        }
        let mut inv = BTreeMap::new();
        inv.insert(key("resources"), RValue::from(resources));
        inv.insert(
            key("by_kind"),
            RValue::from(
                by_kind
                    .into_iter()
                    .map(|(k, v)| (RValue::from(k), RValue::from(v)))
                    .collect::<BTreeMap<_, _>>(),
            ),
        );
        // The namespace of resources that do not write one (an Argo CD destination's).
        inv.insert(key("namespace"), key(&unit.namespace));
        inv.insert(key("repository"), repository.clone());
        Inventory {
            data: Some(RValue::from(inv)),
            entries,
            by_place,
            by_name,
        }
    }

    /// The converted value of the resource at a place, if it is in the inventory.
    pub(crate) fn value_at(&self, doc: usize, pointer: &str) -> Option<&RValue> {
        self.by_place
            .get(&(doc, pointer.to_string()))
            .and_then(|&n| self.entries.get(n))
            .map(|e| &e.value)
    }

    /// The resource a result names: same kind and name, and same namespace (a namespace left
    /// out on either side matches).
    pub(crate) fn find(&self, r: &ResourceRef) -> Option<&InventoryEntry> {
        let found = self.by_name.get(&(r.kind.clone(), r.name.clone()));
        let candidates = || {
            found
                .into_iter()
                .flatten()
                .filter_map(|&n| self.entries.get(n))
        };
        let ns = r.namespace.as_deref().unwrap_or("");
        candidates()
            .find(|e| e.identity.namespace == ns)
            .or_else(|| candidates().find(|e| ns.is_empty() || e.identity.namespace.is_empty()))
    }
}

/// Another resource of the deployment unit a result is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResourceRef {
    pub(crate) kind: String,
    pub(crate) namespace: Option<String>,
    pub(crate) name: String,
}

/// A JSON value as a Rego value (done once per document or view, never per rule).
pub(crate) fn to_rego(v: &Value) -> RValue {
    match v {
        Value::Null => RValue::Null,
        Value::Bool(b) => RValue::from(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                RValue::from(i)
            } else if let Some(u) = n.as_u64() {
                RValue::from(u)
            } else {
                RValue::from(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => RValue::from(s.as_str()),
        Value::Array(items) => RValue::from(items.iter().map(to_rego).collect::<Vec<_>>()),
        Value::Object(obj) => RValue::from(
            obj.iter()
                .map(|(k, v)| (RValue::from(k.as_str()), to_rego(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}
