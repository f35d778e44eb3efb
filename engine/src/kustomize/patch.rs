//! Patches: strategic merge (Kubernetes' merge keys for containers, volumes, env, ports…,
//! `$patch: delete` and `replace`, `null` deleting a key) and JSON 6902, from files or inline,
//! applied to the resources a patch names or its `target` selects.
//!
//! A patch's nodes keep where they were written in the patch, marked as set by the overlay: a
//! value a patch set is reported at the patch's line, the resource file's key line as related.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::node::{Kind, Node, Origin, ResId};
use super::read::Kustomization;
use super::{normalize, BuildError, Builder, Res};
use crate::source::{ByteRange, Document, SourceFile};

/// The merge key of a list field, by field name (and the kind of the resource for `ports`).
fn merge_key(field: &str, in_service: bool) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims"
        | "readinessGates" => {
            if field == "readinessGates" {
                "conditionType"
            } else {
                "name"
            }
        }
        "ports" if in_service => "port",
        "ports" => "containerPort",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        _ => return None,
    })
}

/// Strategic merge of `patch` into `base` (a node at field `field`). Returns `false` when the
/// patch deletes the node (`$patch: delete`).
fn merge(base: &mut Node, patch: &Node, field: &str, in_service: bool) -> bool {
    match (&mut base.kind, &patch.kind) {
        (Kind::Map(_), Kind::Map(pentries)) => {
            match patch.str_at(&["$patch"]) {
                Some("delete") => return false,
                Some("replace") => {
                    *base = without_directives(patch);
                    return true;
                }
                _ => {}
            }
            for pe in pentries {
                if pe.key.starts_with('$') {
                    continue;
                }
                if matches!(pe.value.kind, Kind::Scalar(Value::Null)) {
                    base.remove(&pe.key);
                    continue;
                }
                match base.get_mut(&pe.key) {
                    Some(child) => {
                        if !merge(child, &pe.value, &pe.key, in_service) {
                            base.remove(&pe.key);
                        }
                    }
                    None => {
                        if pe.value.str_at(&["$patch"]) == Some("delete") {
                            continue;
                        }
                        base.set(
                            &pe.key,
                            without_directives(&pe.value),
                            pe.key_origin.clone(),
                        );
                    }
                }
            }
            true
        }
        (Kind::Seq(items), Kind::Seq(pitems)) => {
            let key = merge_key(field, in_service);
            let keyed = key.is_some() && pitems.iter().all(|p| matches!(p.kind, Kind::Map(_)));
            let Some(key) = key.filter(|_| keyed) else {
                *base = without_directives(patch);
                return true;
            };
            // `$patch: replace` as an item replaces the whole list.
            if pitems
                .iter()
                .any(|p| p.str_at(&["$patch"]) == Some("replace"))
            {
                let kept: Vec<Node> = pitems
                    .iter()
                    .filter(|p| p.str_at(&["$patch"]).is_none())
                    .map(without_directives)
                    .collect();
                *items = kept;
                return true;
            }
            // As kustomize merges: the patch's items first, in its order (merged into the
            // item of the same key, or new), then the items it does not name, in their order.
            let mut rest: Vec<Option<Node>> = std::mem::take(items).into_iter().map(Some).collect();
            let mut merged = Vec::new();
            for p in pitems {
                let id = p.get(key).map(Node::to_json);
                let found = rest.iter().position(|i| {
                    id.is_some() && i.as_ref().and_then(|i| i.get(key)).map(Node::to_json) == id
                });
                let delete = p.str_at(&["$patch"]) == Some("delete");
                match found.and_then(|i| rest.get_mut(i)).and_then(Option::take) {
                    Some(_) if delete => {}
                    None if delete => {}
                    Some(mut item) => {
                        if merge(&mut item, p, field, in_service) {
                            merged.push(item);
                        }
                    }
                    None => merged.push(without_directives(p)),
                }
            }
            merged.extend(rest.into_iter().flatten());
            *items = merged;
            true
        }
        _ => {
            *base = without_directives(patch);
            true
        }
    }
}

/// A patch node without its `$patch`-like directives.
fn without_directives(n: &Node) -> Node {
    match &n.kind {
        Kind::Map(entries) => Node {
            kind: Kind::Map(
                entries
                    .iter()
                    .filter(|e| !e.key.starts_with('$'))
                    .map(|e| super::node::Entry {
                        key: e.key.clone(),
                        key_origin: e.key_origin.clone(),
                        value: without_directives(&e.value),
                    })
                    .collect(),
            ),
            origin: n.origin.clone(),
        },
        Kind::Seq(items) => Node {
            kind: Kind::Seq(items.iter().map(without_directives).collect()),
            origin: n.origin.clone(),
        },
        Kind::Scalar(_) => n.clone(),
    }
}

/// Apply a strategic-merge patch to a resource; `false` when it deletes it.
fn strategic_merge(target: &mut Res, patch: &Node) -> bool {
    let in_service = target.kind() == "Service";
    // The target keeps its identity whatever the patch says of it.
    let id = [
        target.node.get("apiVersion").cloned(),
        target.node.get("kind").cloned(),
        target.node.at(&["metadata", "name"]).cloned(),
        target.node.at(&["metadata", "namespace"]).cloned(),
    ];
    if !merge(&mut target.node, patch, "", in_service) {
        return false;
    }
    let [api, kind, name, ns] = id;
    if let Some(v) = api {
        target.node.set("apiVersion", v, None);
    }
    if let Some(v) = kind {
        target.node.set("kind", v, None);
    }
    if let Some(meta) = target.node.get_mut("metadata") {
        if let Some(v) = name {
            meta.set("name", v, None);
        }
        if let Some(v) = ns {
            meta.set("namespace", v, None);
        }
    }
    true
}

/// A patch's text: a file, or inline in the kustomization.
pub(super) struct PatchText {
    pub(super) docs: Vec<Document>,
}

impl Builder<'_> {
    /// The documents of a patch given by path (relative to the kustomization's folder) or
    /// inline (the string at `pointer` of the kustomization).
    pub(super) fn patch_documents(
        &mut self,
        dir: &Path,
        k: &Kustomization,
        path: Option<&str>,
        inline: Option<(&str, &str)>,
    ) -> Result<PatchText, BuildError> {
        if let Some(p) = path {
            let full = normalize(&dir.join(p));
            let range = k.range("");
            let file = self.file(&full).map_err(|e| {
                self.error(
                    &k.file,
                    range,
                    format!("cannot read patch `{p}`: {e}"),
                    format!("lecture impossible du patch `{p}` : {}", e.fr()),
                )
            })?;
            let docs = self.documents(&file, &k.file, range)?;
            return Ok(PatchText { docs });
        }
        let Some((text, pointer)) = inline else {
            return Ok(PatchText { docs: Vec::new() });
        };
        // An inline patch is parsed on its own, its positions then mapped into the
        // kustomization when it is a literal block (exact line by line), else onto the whole
        // string.
        let inner = SourceFile::new(k.file.path(), text);
        let stream = crate::yaml::parse(&inner, &self.limits);
        if let Some(d) = stream
            .diagnostics
            .iter()
            .find(|d| d.level == crate::vocab::DiagnosticLevel::Error)
        {
            let mut d = d.clone();
            d.location = Some(crate::source::Location::of(&k.file, k.range(pointer)));
            return Err(Box::new(d));
        }
        let whole = k.range(pointer);
        let docs = stream
            .documents
            .into_iter()
            .map(|d| relocate(d, &k.file, whole))
            .collect();
        Ok(PatchText { docs })
    }
}

/// Move a document parsed from an inline patch into the kustomization's coordinates.
fn relocate(mut doc: Document, file: &Arc<SourceFile>, value: ByteRange) -> Document {
    let text = file.text();
    let raw = text
        .get(value.start as usize..value.end as usize)
        .unwrap_or("");
    let inner = Arc::clone(&doc.file);
    // A literal block: content lines follow the indicator line, each indented alike.
    let first_line = file.line_col(value.start).line;
    let indent = (first_line + 1..=file.line_count() as u32)
        .map(|l| file.line_text(l))
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start().len()) as u32;
    let literal = raw.starts_with('|');
    let map = |r: ByteRange| -> ByteRange {
        if !literal {
            return value;
        }
        let a = inner.line_col(r.start);
        let b = inner.line_col(r.end);
        let line_start = |l: u32| file.line_start(first_line + l);
        let start = line_start(a.line) + indent + byte_col(&inner, r.start);
        let end = line_start(b.line) + indent + byte_col(&inner, r.end);
        ByteRange {
            start: start.min(value.end),
            end: end.min(value.end).max(start.min(value.end)),
        }
    };
    let mut spans = crate::source::SpanTable::default();
    for (p, s) in doc.spans.iter() {
        let mut s = s.clone();
        s.key = s.key.map(map);
        s.value = map(s.value);
        s.related = None;
        s.file = None;
        spans.insert(p.to_string(), s);
    }
    doc.spans = spans;
    doc.range = value;
    doc.file = Arc::clone(file);
    doc
}

/// The byte column of an offset in its line.
fn byte_col(file: &SourceFile, offset: u32) -> u32 {
    let line = file.line_col(offset).line;
    offset.saturating_sub(file.line_start(line))
}

/// A patch's `target`: which resources it applies to.
#[derive(Debug, Default)]
pub(super) struct Target {
    group: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    name: Option<regex::Regex>,
    namespace: Option<regex::Regex>,
    labels: Vec<(String, Option<String>, bool)>,
    annotations: Vec<(String, Option<String>, bool)>,
}

fn anchored(s: &str) -> Option<regex::Regex> {
    regex::Regex::new(&format!("^(?:{s})$")).ok()
}

/// `a=b,c!=d,e` as (key, value, equal).
fn selector(s: &str) -> Vec<(String, Option<String>, bool)> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            if let Some((k, v)) = p.split_once("!=") {
                (k.trim().to_string(), Some(v.trim().to_string()), false)
            } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                (k.trim().to_string(), Some(v.trim().to_string()), true)
            } else {
                (p.trim().to_string(), None, true)
            }
        })
        .collect()
}

impl Target {
    pub(super) fn of(v: &Value) -> Target {
        let s = |f: &str| v.get(f).and_then(Value::as_str).map(str::to_string);
        Target {
            group: s("group"),
            version: s("version"),
            kind: s("kind"),
            name: s("name").and_then(|n| anchored(&n)),
            namespace: s("namespace").and_then(|n| anchored(&n)),
            labels: s("labelSelector").map(|l| selector(&l)).unwrap_or_default(),
            annotations: s("annotationSelector")
                .map(|l| selector(&l))
                .unwrap_or_default(),
        }
    }

    pub(super) fn matches(&self, r: &Res) -> bool {
        let api = r.node.str_at(&["apiVersion"]).unwrap_or("");
        let (group, version) = api.rsplit_once('/').unwrap_or(("", api));
        if self.group.as_deref().is_some_and(|g| g != group)
            || self.version.as_deref().is_some_and(|v| v != version)
            || self.kind.as_deref().is_some_and(|k| k != r.kind())
        {
            return false;
        }
        if let Some(n) = &self.name {
            if !n.is_match(r.name()) && !r.names.iter().any(|old| n.is_match(old)) {
                return false;
            }
        }
        if let Some(ns) = &self.namespace {
            if !ns.is_match(r.node.str_at(&["metadata", "namespace"]).unwrap_or("")) {
                return false;
            }
        }
        let sel = |field: &str, wanted: &[(String, Option<String>, bool)]| {
            wanted.iter().all(|(k, v, eq)| {
                let have = r.node.str_at(&["metadata", field, k]);
                match v {
                    None => have.is_some(),
                    Some(v) => (have == Some(v.as_str())) == *eq,
                }
            })
        };
        sel("labels", &self.labels) && sel("annotations", &self.annotations)
    }
}

/// The resources a strategic-merge patch without target names: same kind and name (any name
/// the resource had), same namespace when the patch gives one.
fn named_by(patch: &Node, r: &Res) -> bool {
    let id = ResId::of(patch);
    let rid = ResId::of(&r.node);
    id.kind == rid.kind
        && (rid.name == id.name || r.names.contains(&id.name))
        && (id.namespace.is_empty() || id.namespace == rid.namespace)
        && (id.group.is_empty() || id.group == rid.group)
}

/// Apply a strategic-merge patch document, to a target's resources or to those it names.
fn apply_strategic(
    b: &Builder,
    k: &Kustomization,
    range: ByteRange,
    acc: &mut Vec<Res>,
    patch: &Node,
    target: Option<&Target>,
) -> Result<(), BuildError> {
    let selected: Vec<usize> = acc
        .iter()
        .enumerate()
        .filter(|(_, r)| match target {
            Some(t) => t.matches(r),
            None => named_by(patch, r),
        })
        .map(|(i, _)| i)
        .collect();
    if selected.is_empty() && target.is_none() {
        let id = ResId::of(patch);
        return Err(b.error(
            &k.file,
            range,
            format!("this patch matches no resource ({} {})", id.kind, id.name),
            format!(
                "ce patch ne s'applique à aucune ressource ({} {})",
                id.kind, id.name
            ),
        ));
    }
    let mut deleted = Vec::new();
    for i in selected {
        if !strategic_merge(&mut acc[i], patch) {
            deleted.push(i);
        }
    }
    for i in deleted.into_iter().rev() {
        acc.remove(i);
    }
    Ok(())
}

/// `patchesStrategicMerge`: files or inline patches, each applied to the resources it names.
pub(super) fn strategic_merge_field(
    b: &mut Builder,
    dir: &Path,
    k: &Kustomization,
    acc: &mut Vec<Res>,
) -> Result<(), BuildError> {
    let Some(items) = k
        .get("patchesStrategicMerge")
        .and_then(Value::as_array)
        .cloned()
    else {
        return Ok(());
    };
    for (i, item) in items.iter().enumerate() {
        let Some(s) = item.as_str() else { continue };
        let pointer = format!("/patchesStrategicMerge/{i}");
        let text = if s.contains('\n') || s.trim_start().starts_with('{') {
            b.patch_documents(dir, k, None, Some((s, &pointer)))?
        } else {
            b.patch_documents(dir, k, Some(s), None)?
        };
        for d in &text.docs {
            let node = Node::from_document(d);
            let node = mark_set(node);
            apply_strategic(b, k, k.range(&pointer), acc, &node, None)?;
        }
    }
    Ok(())
}

/// `patches`: strategic merge or JSON 6902 (a list of operations), with or without target.
pub(super) fn patches_field(
    b: &mut Builder,
    dir: &Path,
    k: &Kustomization,
    acc: &mut Vec<Res>,
) -> Result<(), BuildError> {
    let Some(items) = k.get("patches").and_then(Value::as_array).cloned() else {
        return Ok(());
    };
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("/patches/{i}");
        let path = item.get("path").and_then(Value::as_str);
        let inline = item.get("patch").and_then(Value::as_str);
        let patch_pointer = format!("{pointer}/patch");
        let text = b.patch_documents(dir, k, path, inline.map(|s| (s, patch_pointer.as_str())))?;
        let target = item.get("target").map(Target::of);
        for d in &text.docs {
            if d.value.is_array() {
                let Some(t) = &target else {
                    return Err(b.error(
                        &k.file,
                        k.range(&pointer),
                        "a JSON 6902 patch needs a `target`".to_string(),
                        "un patch JSON 6902 demande une `target`".to_string(),
                    ));
                };
                for r in acc.iter_mut().filter(|r| t.matches(r)) {
                    json6902(b, k, &pointer, &mut r.node, d)?;
                }
            } else {
                let node = mark_set(Node::from_document(d));
                apply_strategic(b, k, k.range(&pointer), acc, &node, target.as_ref())?;
            }
        }
    }
    Ok(())
}

/// `patchesJson6902`: JSON 6902 patches with a target.
pub(super) fn json6902_field(
    b: &mut Builder,
    dir: &Path,
    k: &Kustomization,
    acc: &mut [Res],
) -> Result<(), BuildError> {
    let Some(items) = k.get("patchesJson6902").and_then(Value::as_array).cloned() else {
        return Ok(());
    };
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("/patchesJson6902/{i}");
        let path = item.get("path").and_then(Value::as_str);
        let inline = item.get("patch").and_then(Value::as_str);
        let patch_pointer = format!("{pointer}/patch");
        let text = b.patch_documents(dir, k, path, inline.map(|s| (s, patch_pointer.as_str())))?;
        let target = item.get("target").map(Target::of).unwrap_or_default();
        for d in &text.docs {
            for r in acc.iter_mut().filter(|r| target.matches(r)) {
                json6902(b, k, &pointer, &mut r.node, d)?;
            }
        }
    }
    Ok(())
}

/// Every origin of a patch node marked as set by the overlay.
fn mark_set(mut n: Node) -> Node {
    fn walk(n: &mut Node) {
        if let Some(o) = &n.origin {
            n.origin = Some(o.as_set());
        }
        match &mut n.kind {
            Kind::Map(entries) => {
                for e in entries {
                    walk(&mut e.value);
                }
            }
            Kind::Seq(items) => items.iter_mut().for_each(walk),
            Kind::Scalar(_) => {}
        }
    }
    walk(&mut n);
    n
}

/// The tokens of a JSON pointer.
fn tokens(pointer: &str) -> Vec<String> {
    crate::source::pointer_tokens(pointer)
}

/// Apply the operations of a JSON 6902 patch document to a resource.
fn json6902(
    b: &Builder,
    k: &Kustomization,
    pointer: &str,
    node: &mut Node,
    d: &Document,
) -> Result<(), BuildError> {
    let Some(ops) = d.value.as_array() else {
        return Ok(());
    };
    for (i, op) in ops.iter().enumerate() {
        let at = |f: &str| d.spans.get(&format!("/{i}/{f}")).map(|s| s.value);
        let range = at("op").unwrap_or(d.range);
        let fail = |en: String, fr: String| {
            let file = if Arc::ptr_eq(&d.file, &k.file) {
                &k.file
            } else {
                &d.file
            };
            b.error(file, range, en, fr)
        };
        let name = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = || {
            Node::from_document_at(d, &format!("/{i}/value"), true).unwrap_or(Node {
                kind: Kind::Scalar(Value::Null),
                origin: None,
            })
        };
        let key_origin = at("path").map(|range| Origin {
            file: Arc::clone(&d.file),
            range,
            set: true,
        });
        let ok = match name {
            "add" => add(node, &tokens(path), value(), key_origin),
            "replace" => {
                remove(node, &tokens(path)).is_some()
                    && add(node, &tokens(path), value(), key_origin)
            }
            "remove" => remove(node, &tokens(path)).is_some(),
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let taken = if name == "move" {
                    remove(node, &tokens(from))
                } else {
                    get(node, &tokens(from)).cloned()
                };
                taken.is_some_and(|v| add(node, &tokens(path), v, key_origin))
            }
            "test" => {
                let want = op.get("value").cloned().unwrap_or(Value::Null);
                get(node, &tokens(path)).is_some_and(|n| n.to_json() == want)
            }
            other => {
                return Err(fail(
                    format!("unknown JSON patch operation `{other}`"),
                    format!("opération de patch JSON inconnue `{other}`"),
                ))
            }
        };
        if !ok {
            let _ = pointer;
            return Err(fail(
                format!("JSON patch operation `{name}` cannot apply at `{path}`"),
                format!("l'opération de patch JSON `{name}` ne s'applique pas en `{path}`"),
            ));
        }
    }
    Ok(())
}

fn get<'a>(node: &'a Node, path: &[String]) -> Option<&'a Node> {
    let mut n = node;
    for t in path {
        n = match &n.kind {
            Kind::Map(_) => n.get(t)?,
            Kind::Seq(items) => items.get(t.parse::<usize>().ok()?)?,
            Kind::Scalar(_) => return None,
        };
    }
    Some(n)
}

fn get_mut<'a>(node: &'a mut Node, path: &[String]) -> Option<&'a mut Node> {
    let mut n = node;
    for t in path {
        n = match &mut n.kind {
            Kind::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key == *t)
                .map(|e| &mut e.value)?,
            Kind::Seq(items) => items.get_mut(t.parse::<usize>().ok()?)?,
            Kind::Scalar(_) => return None,
        };
    }
    Some(n)
}

fn add(node: &mut Node, path: &[String], value: Node, key_origin: Option<Origin>) -> bool {
    let Some((last, parent)) = path.split_last() else {
        *node = value;
        return true;
    };
    let Some(p) = get_mut(node, parent) else {
        return false;
    };
    match &mut p.kind {
        Kind::Map(_) => {
            p.set(last, value, key_origin);
            true
        }
        Kind::Seq(items) => {
            if last == "-" {
                items.push(value);
                return true;
            }
            match last.parse::<usize>() {
                Ok(i) if i <= items.len() => {
                    items.insert(i, value);
                    true
                }
                _ => false,
            }
        }
        Kind::Scalar(_) => false,
    }
}

fn remove(node: &mut Node, path: &[String]) -> Option<Node> {
    let (last, parent) = path.split_last()?;
    let p = get_mut(node, parent)?;
    match &mut p.kind {
        Kind::Map(entries) => {
            let i = entries.iter().position(|e| e.key == *last)?;
            Some(entries.remove(i).value)
        }
        Kind::Seq(items) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < items.len())?;
            Some(items.remove(i))
        }
        Kind::Scalar(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(yaml: &str) -> Node {
        let f = SourceFile::new("t.yaml", yaml);
        let s = crate::yaml::parse(&f, &crate::yaml::YamlLimits::default());
        Node::from_document(&s.documents[0])
    }

    #[test]
    fn containers_merge_by_name_patch_order_first() {
        let mut base = node(
            "spec:\n  containers:\n  - name: a\n    image: x\n    args: [1, 2]\n  - name: b\n    image: y\n",
        );
        let patch = node(
            "spec:\n  containers:\n  - name: b\n    image: z\n  - name: a\n    args: [3]\n  - name: c\n    image: w\n",
        );
        assert!(merge(&mut base, &patch, "", false));
        assert_eq!(
            base.to_json(),
            serde_json::json!({"spec": {"containers": [
                {"name": "b", "image": "z"},
                {"name": "a", "image": "x", "args": [3]},
                {"name": "c", "image": "w"},
            ]}})
        );
    }

    #[test]
    fn patch_delete_and_null() {
        let mut base = node("a: 1\nb: 2\nvolumes:\n- name: v\n  emptyDir: {}\n- name: w\n");
        let patch = node("a: null\nvolumes:\n- name: v\n  $patch: delete\n");
        assert!(merge(&mut base, &patch, "", false));
        assert_eq!(
            base.to_json(),
            serde_json::json!({"b": 2, "volumes": [{"name": "w"}]})
        );
    }

    #[test]
    fn json_patch_operations() {
        let mut base = node("spec:\n  replicas: 1\n  list: [a, b]\n");
        assert!(add(
            &mut base,
            &tokens("/spec/list/-"),
            Node::string("c", None),
            None
        ));
        assert!(add(
            &mut base,
            &tokens("/spec/list/0"),
            Node::string("z", None),
            None
        ));
        assert!(remove(&mut base, &tokens("/spec/replicas")).is_some());
        assert!(remove(&mut base, &tokens("/spec/nothing")).is_none());
        assert_eq!(
            base.to_json(),
            serde_json::json!({"spec": {"list": ["z", "a", "b", "c"]}})
        );
    }

    #[test]
    fn targets_select_by_kind_name_regex_and_labels() {
        let r = Res::new(node("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-v2\n  labels:\n    tier: web\n"));
        let t = |v: Value| Target::of(&v).matches(&r);
        assert!(t(
            serde_json::json!({"kind": "Deployment", "name": "api-.*"})
        ));
        assert!(!t(serde_json::json!({"kind": "Deployment", "name": "api"})));
        assert!(t(
            serde_json::json!({"group": "apps", "labelSelector": "tier=web"})
        ));
        assert!(!t(serde_json::json!({"labelSelector": "tier!=web"})));
    }
}
