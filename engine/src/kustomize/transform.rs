//! The transformers of a kustomization's fields: `namespace`, `namePrefix`/`nameSuffix`,
//! `commonLabels`/`labels`, `commonAnnotations`, `replicas`, `images`; and names changed at a
//! level followed in the references of the other resources.

use serde_json::Value;

use super::node::{Kind, Node, Origin};
use super::read::Kustomization;
use super::Res;

use crate::kube::is_cluster_scoped;

/// `namespace`: every namespaced resource moves to it, a Namespace object is renamed to it;
/// the ServiceAccount subjects of role bindings follow.
pub(crate) fn namespace(k: &Kustomization, acc: &mut [Res]) {
    let Some(ns) = k.get("namespace").and_then(Value::as_str) else {
        return;
    };
    let origin = k.origin("/namespace");
    // Kustomize v5.8 gives the namespace to Helm instead (`helm template --namespace`).
    for r in acc.iter_mut().filter(|r| !r.from_chart) {
        let kind = r.kind().to_string();
        if kind == "Namespace" {
            // A Namespace object becomes the namespace itself.
            if let Some(meta) = r.node.get_mut("metadata") {
                meta.set("name", Node::string(ns, origin.clone()), None);
            }
        }
        if !is_cluster_scoped(&kind) {
            r.node.set_in(
                &["metadata"],
                "namespace",
                Node::string(ns, origin.clone()),
                origin.clone(),
                origin.as_ref(),
            );
        }
        if matches!(kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            if let Some(subjects) = r.node.get_mut("subjects").and_then(Node::items_mut) {
                for s in subjects {
                    let is_sa = s.str_at(&["kind"]) == Some("ServiceAccount");
                    let default = s.str_at(&["namespace"]).is_none_or(|n| n == "default");
                    if is_sa && default {
                        s.set(
                            "namespace",
                            Node::string(ns, origin.clone()),
                            origin.clone(),
                        );
                    }
                }
            }
        }
    }
}

/// `namePrefix` / `nameSuffix`: every resource's name.
pub(crate) fn prefix_suffix(k: &Kustomization, acc: &mut [Res]) {
    let prefix = k.get("namePrefix").and_then(Value::as_str).unwrap_or("");
    let suffix = k.get("nameSuffix").and_then(Value::as_str).unwrap_or("");
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    let origin = if !prefix.is_empty() {
        k.origin("/namePrefix")
    } else {
        k.origin("/nameSuffix")
    };
    for r in acc.iter_mut() {
        if matches!(r.kind(), "Namespace" | "CustomResourceDefinition") {
            continue;
        }
        let Some(name) = r.node.at_mut(&["metadata", "name"]) else {
            continue;
        };
        let Some(old) = name.as_str() else { continue };
        let new = format!("{prefix}{old}{suffix}");
        name.kind = Kind::Scalar(Value::String(new));
        name.origin = origin.clone();
    }
}

/// Where labels go besides `metadata.labels`: (kinds, path, create when missing).
const SELECTORS: &[(&[&str], &[&str], bool)] = &[
    (&["Service"], &["spec", "selector"], true),
    (&["ReplicationController"], &["spec", "selector"], true),
    (
        &["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"],
        &["spec", "selector", "matchLabels"],
        true,
    ),
    (&["Job"], &["spec", "selector", "matchLabels"], false),
    (
        &["PodDisruptionBudget"],
        &["spec", "selector", "matchLabels"],
        false,
    ),
    (
        &["NetworkPolicy"],
        &["spec", "podSelector", "matchLabels"],
        false,
    ),
    (
        &["CronJob"],
        &["spec", "jobTemplate", "spec", "selector", "matchLabels"],
        false,
    ),
];

/// Pod and job templates' metadata: (kinds, path of the metadata).
const TEMPLATES: &[(&[&str], &[&str])] = &[
    (
        &[
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
            "DaemonSet",
            "Job",
            "ReplicationController",
        ],
        &["spec", "template", "metadata"],
    ),
    (&["CronJob"], &["spec", "jobTemplate", "metadata"]),
    (
        &["CronJob"],
        &["spec", "jobTemplate", "spec", "template", "metadata"],
    ),
];

/// Add pairs to the mapping at `path` (made when `create`).
fn add_pairs(
    node: &mut Node,
    path: &[&str],
    pairs: &[(String, Node, Option<Origin>)],
    create: bool,
) {
    if !create && node.at(path).is_none() {
        return;
    }
    let origin = pairs.first().and_then(|p| p.2.clone());
    let Some(target) = node.ensure_map(path, origin.as_ref()) else {
        return;
    };
    for (k, v, o) in pairs {
        target.set(k, v.clone(), o.clone());
    }
}

/// The pairs of a mapping field of the kustomization.
fn pairs(k: &Kustomization, pointer: &str) -> Vec<(String, Node, Option<Origin>)> {
    let Some(map) = k.doc.value.pointer(pointer).and_then(Value::as_object) else {
        return Vec::new();
    };
    map.keys()
        .map(|key| {
            let p = format!("{pointer}/{}", crate::source::escape_token(key));
            let value = k.node(&p).unwrap_or_else(|| Node::string("", None));
            let value = match value.kind {
                Kind::Scalar(Value::String(_)) => value,
                Kind::Scalar(ref v) => Node {
                    kind: Kind::Scalar(Value::String(scalar_string(v))),
                    origin: value.origin.clone(),
                },
                _ => value,
            };
            let key_origin = k.doc.spans.get(&p).and_then(|s| s.key).map(|range| Origin {
                file: k.file.clone(),
                range,
                set: true,
            });
            (key.clone(), value, key_origin)
        })
        .collect()
}

fn scalar_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `commonLabels` (metadata, selectors and templates) and `labels` (metadata; selectors and
/// templates when asked).
pub(crate) fn labels(k: &Kustomization, acc: &mut [Res]) {
    let common = pairs(k, "/commonLabels");
    let mut sets = Vec::new();
    if !common.is_empty() {
        sets.push((common, true, true));
    }
    if let Some(items) = k.get("labels").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate() {
            let p = pairs(k, &format!("/labels/{i}/pairs"));
            let selectors = item.get("includeSelectors").and_then(Value::as_bool) == Some(true);
            let templates = item.get("includeTemplates").and_then(Value::as_bool) == Some(true);
            if !p.is_empty() {
                sets.push((p, selectors, templates || selectors));
            }
        }
    }
    for (pairs, selectors, templates) in &sets {
        for r in acc.iter_mut() {
            add_pairs(&mut r.node, &["metadata", "labels"], pairs, true);
            let kind = r.kind().to_string();
            if *selectors {
                for (kinds, path, create) in SELECTORS {
                    if kinds.contains(&kind.as_str()) {
                        add_pairs(&mut r.node, path, pairs, *create);
                    }
                }
            }
            if *templates {
                for (kinds, path) in TEMPLATES {
                    if kinds.contains(&kind.as_str()) {
                        let mut p = path.to_vec();
                        p.push("labels");
                        add_pairs(&mut r.node, &p, pairs, true);
                    }
                }
            }
        }
    }
}

/// `commonAnnotations`: metadata and pod templates.
pub(crate) fn annotations(k: &Kustomization, acc: &mut [Res]) {
    let pairs = pairs(k, "/commonAnnotations");
    if pairs.is_empty() {
        return;
    }
    for r in acc.iter_mut() {
        add_pairs(&mut r.node, &["metadata", "annotations"], &pairs, true);
        let kind = r.kind().to_string();
        for (kinds, path) in TEMPLATES {
            if kinds.contains(&kind.as_str()) {
                let mut p = path.to_vec();
                p.push("annotations");
                add_pairs(&mut r.node, &p, &pairs, true);
            }
        }
    }
}

/// `replicas`: the count of the workloads named (by any name they had).
pub(crate) fn replicas(k: &Kustomization, acc: &mut [Res]) {
    let Some(items) = k.get("replicas").and_then(Value::as_array) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            continue;
        };
        let Some(count) = k.node(&format!("/replicas/{i}/count")) else {
            continue;
        };
        for r in acc.iter_mut() {
            let workload = matches!(
                r.kind(),
                "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
            );
            if workload && (r.name() == name || r.names.iter().any(|n| n == name)) {
                r.node.set_in(
                    &["spec"],
                    "replicas",
                    count.clone(),
                    count.origin.clone(),
                    count.origin.as_ref(),
                );
            }
        }
    }
}

/// `images`: the images of every container whose image name matches.
pub(crate) fn images(k: &Kustomization, acc: &mut [Res]) {
    let Some(items) = k.get("images").and_then(Value::as_array) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            continue;
        };
        let field = |f: &str| item.get(f).map(scalar_string);
        let new_name = field("newName");
        let new_tag = field("newTag");
        let digest = field("digest");
        let origin = ["digest", "newTag", "newName"]
            .iter()
            .find(|f| item.get(**f).is_some())
            .and_then(|f| k.origin(&format!("/images/{i}/{f}")));
        for r in acc.iter_mut() {
            visit_containers(&mut r.node, &mut |c| {
                let Some(image) = c.get_mut("image") else {
                    return;
                };
                let Some(old) = image.as_str() else { return };
                let (n, tag, dig) = split_image(old);
                if n != name {
                    return;
                }
                let mut out = new_name.clone().unwrap_or_else(|| n.to_string());
                if let Some(d) = &digest {
                    out.push('@');
                    out.push_str(d);
                } else if let Some(t) = &new_tag {
                    out.push(':');
                    out.push_str(t);
                } else if let Some(t) = tag {
                    out.push(':');
                    out.push_str(t);
                } else if let Some(d) = dig {
                    out.push('@');
                    out.push_str(d);
                }
                image.kind = Kind::Scalar(Value::String(out));
                image.origin = origin.clone();
            });
        }
    }
}

/// An image reference's name, tag and digest.
fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..]), digest),
        None => (rest, None, digest),
    }
}

/// Call `f` on every item of every `containers` and `initContainers` list of a resource.
fn visit_containers(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    match &mut node.kind {
        Kind::Map(entries) => {
            for e in entries {
                if matches!(e.key.as_str(), "containers" | "initContainers") {
                    if let Kind::Seq(items) = &mut e.value.kind {
                        for c in items {
                            f(c);
                        }
                        continue;
                    }
                }
                visit_containers(&mut e.value, f);
            }
        }
        Kind::Seq(items) => {
            for i in items {
                visit_containers(i, f);
            }
        }
        Kind::Scalar(_) => {}
    }
}

/// The pod spec of a workload.
fn pod_spec(node: &mut Node) -> Option<&mut Node> {
    let kind = node.str_at(&["kind"]).unwrap_or("").to_string();
    match kind.as_str() {
        "Pod" => node.get_mut("spec"),
        "CronJob" => node.at_mut(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => node.at_mut(&["spec", "template", "spec"]),
    }
}

/// Rename a scalar at a path when it names `old`.
fn rename_at(node: &mut Node, path: &[&str], old: &str, new: &str) {
    if let Some(n) = node.at_mut(path) {
        if n.as_str() == Some(old) {
            n.kind = Kind::Scalar(Value::String(new.to_string()));
        }
    }
}

/// Names changed at a level, `(kind, old, new)`, followed in the references of every resource:
/// ConfigMaps and Secrets in pod specs (volumes, env, envFrom, image pull secrets), service
/// accounts, persistent volume claims, services of StatefulSets, roles and subjects of role
/// bindings, scale targets of autoscalers, backends of ingresses.
pub(crate) fn fix_references(acc: &mut [Res], renames: &[(String, String, String)]) {
    if renames.is_empty() {
        return;
    }
    for r in acc.iter_mut() {
        for (kind, old, new) in renames {
            fix_one(&mut r.node, kind, old, new);
        }
    }
}

fn fix_one(node: &mut Node, kind: &str, old: &str, new: &str) {
    let own_kind = node.str_at(&["kind"]).unwrap_or("").to_string();
    match kind {
        "ServiceAccount" => {
            if let Some(spec) = pod_spec(node) {
                rename_at(spec, &["serviceAccountName"], old, new);
                rename_at(spec, &["serviceAccount"], old, new);
            }
            if matches!(own_kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
                if let Some(subjects) = node.get_mut("subjects").and_then(Node::items_mut) {
                    for s in subjects {
                        if s.str_at(&["kind"]) == Some("ServiceAccount") {
                            rename_at(s, &["name"], old, new);
                        }
                    }
                }
            }
        }
        "Role" | "ClusterRole"
            if matches!(own_kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
                && node.str_at(&["roleRef", "kind"]) == Some(kind) =>
        {
            rename_at(node, &["roleRef", "name"], old, new);
        }
        "Service" => {
            if own_kind == "StatefulSet" {
                rename_at(node, &["spec", "serviceName"], old, new);
            }
            if own_kind == "Ingress" {
                visit_maps(node, &mut |m| {
                    if m.get("service").is_some() {
                        rename_at(m, &["service", "name"], old, new);
                    }
                    rename_at(m, &["serviceName"], old, new);
                });
            }
        }
        "Deployment" | "StatefulSet" | "ReplicaSet"
            if own_kind == "HorizontalPodAutoscaler"
                && node.str_at(&["spec", "scaleTargetRef", "kind"]) == Some(kind) =>
        {
            rename_at(node, &["spec", "scaleTargetRef", "name"], old, new);
        }
        "ConfigMap" | "Secret" | "PersistentVolumeClaim" => {
            let Some(spec) = pod_spec(node) else { return };
            let (volume, env, env_from, name_field) = match kind {
                "ConfigMap" => ("configMap", "configMapKeyRef", "configMapRef", "name"),
                "Secret" => ("secret", "secretKeyRef", "secretRef", "secretName"),
                _ => ("persistentVolumeClaim", "", "", "claimName"),
            };
            if let Some(volumes) = spec.get_mut("volumes").and_then(Node::items_mut) {
                for v in volumes {
                    rename_at(v, &[volume, name_field], old, new);
                    if let Some(sources) = v
                        .at_mut(&["projected", "sources"])
                        .and_then(Node::items_mut)
                    {
                        for s in sources {
                            rename_at(s, &[volume, "name"], old, new);
                        }
                    }
                }
            }
            if kind == "Secret" {
                if let Some(pulls) = spec.get_mut("imagePullSecrets").and_then(Node::items_mut) {
                    for p in pulls {
                        rename_at(p, &["name"], old, new);
                    }
                }
            }
            if env.is_empty() {
                return;
            }
            for list in ["containers", "initContainers"] {
                let Some(containers) = spec.get_mut(list).and_then(Node::items_mut) else {
                    continue;
                };
                for c in containers {
                    if let Some(vars) = c.get_mut("env").and_then(Node::items_mut) {
                        for v in vars {
                            rename_at(v, &["valueFrom", env, "name"], old, new);
                        }
                    }
                    if let Some(froms) = c.get_mut("envFrom").and_then(Node::items_mut) {
                        for f in froms {
                            rename_at(f, &[env_from, "name"], old, new);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Call `f` on every mapping of a node.
fn visit_maps(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    if matches!(node.kind, Kind::Map(_)) {
        f(node);
    }
    match &mut node.kind {
        Kind::Map(entries) => {
            for e in entries {
                visit_maps(&mut e.value, f);
            }
        }
        Kind::Seq(items) => {
            for i in items {
                visit_maps(i, f);
            }
        }
        Kind::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_tags_and_digests() {
        assert_eq!(split_image("nginx"), ("nginx", None, None));
        assert_eq!(split_image("nginx:1.25"), ("nginx", Some("1.25"), None));
        assert_eq!(
            split_image("registry:5000/team/app:v1"),
            ("registry:5000/team/app", Some("v1"), None)
        );
        assert_eq!(
            split_image("app@sha256:abc"),
            ("app", None, Some("sha256:abc"))
        );
    }
}
