//! What a Kubernetes object is: identity, where its pod templates are, its containers, images.
//!
//! Input: a [`Document`]. Output: the resources it holds (a `List` holds several), each with its
//! pod templates (pointer of the pod spec and of the template's metadata) and containers.

mod image;

pub(crate) use image::ImageRef;

use serde_json::Value;

use crate::source::Document;

/// One Kubernetes object in a document (a document may be a `List` of several).
#[derive(Debug, Clone)]
pub(crate) struct Resource<'a> {
    /// The document holding it.
    pub doc: &'a Document,
    /// Pointer of the object in the document (`""`, or `/items/3` in a List).
    pub pointer: String,
    /// The object.
    pub value: &'a Value,
    /// `apiVersion`.
    pub api_version: &'a str,
    /// `kind`.
    pub kind: &'a str,
    /// `metadata.name` (empty when absent; `generateName` when only that is set).
    pub name: &'a str,
    /// `metadata.namespace` (empty when absent).
    pub namespace: &'a str,
}

/// Whether a JSON value looks like a Kubernetes object (string `apiVersion` and `kind`).
pub(crate) fn is_object(value: &Value) -> bool {
    value.get("apiVersion").is_some_and(Value::is_string)
        && value.get("kind").is_some_and(Value::is_string)
}

/// Remove every mapping entry Kubernetes reads as unset, at any depth, so that every rule sees
/// what the API server would store: a null value (a Helm template that renders `volumes:` or
/// `resources:` with nothing after it), and an empty string in a typed field (Go's zero value:
/// `imagePullPolicy: ""` is defaulted, `cpu: ""` is no quantity, `value: ""` no literal). The
/// entries of free-form string maps (labels, annotations, a Secret's data...) keep their empty
/// strings, which are values there. List items are kept.
pub(crate) fn drop_unset(value: &mut Value) {
    drop_unset_in(value, false);
}

/// Keys whose value is a free-form map of strings, where `""` is a value.
const STRING_MAPS: &[&str] = &[
    "labels",
    "annotations",
    "data",
    "stringData",
    "binaryData",
    "matchLabels",
    "nodeSelector",
    "selector",
    "parameters",
];

fn drop_unset_in(value: &mut Value, string_map: bool) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !(v.is_null() || (!string_map && v.as_str() == Some(""))));
            for (k, v) in map.iter_mut() {
                drop_unset_in(v, STRING_MAPS.contains(&k.as_str()));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| drop_unset_in(v, false)),
        _ => {}
    }
}

/// Whether an object is a Helm test hook (`helm.sh/hook: test`, `test-success` or
/// `test-failure`, alone or among other hooks): it runs only under `helm test`, and Argo CD
/// gives it no sync phase, so it is never deployed.
pub(crate) fn is_test_hook(value: &Value) -> bool {
    value
        .pointer("/metadata/annotations")
        .and_then(|a| a.get("helm.sh/hook"))
        .and_then(Value::as_str)
        .is_some_and(|hooks| {
            hooks
                .split(',')
                .any(|h| matches!(h.trim(), "test" | "test-success" | "test-failure"))
        })
}

/// Kinds that live in no namespace.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
    "CSINode",
    "Node",
    "PodSecurityPolicy",
    "VolumeAttachment",
    "ComponentStatus",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ClusterIssuer",
    "SecurityContextConstraints",
];

/// Whether a kind lives in no namespace.
pub(crate) fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// The resources of a document: the object itself, or the items of a `*List`.
pub(crate) fn resources(doc: &Document) -> Vec<Resource<'_>> {
    let mut out = Vec::new();
    if !is_object(&doc.value) {
        return out;
    }
    let kind = doc.value["kind"].as_str().unwrap_or_default();
    if kind.ends_with("List") {
        if let Some(items) = doc.value.get("items").and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                if is_object(item) {
                    out.push(resource(doc, format!("/items/{i}"), item));
                }
            }
            return out;
        }
    }
    out.push(resource(doc, String::new(), &doc.value));
    out
}

fn resource<'a>(doc: &'a Document, pointer: String, value: &'a Value) -> Resource<'a> {
    let meta = value.get("metadata");
    let text = |v: Option<&'a Value>| v.and_then(Value::as_str).unwrap_or_default();
    let name = match text(meta.and_then(|m| m.get("name"))) {
        "" => text(meta.and_then(|m| m.get("generateName"))),
        n => n,
    };
    Resource {
        doc,
        pointer,
        value,
        api_version: text(value.get("apiVersion")),
        kind: text(value.get("kind")),
        name,
        namespace: text(meta.and_then(|m| m.get("namespace"))),
    }
}

/// Where a pod template sits in an object (pointers relative to the object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PodTemplate {
    /// Pointer of the pod spec.
    pub spec: String,
    /// Pointer of the pod's metadata (the template's, or the Pod's own).
    pub metadata: String,
    /// Whether the pods run until stopped (not a Job, CronJob, or a Pod meant to complete).
    pub long_running: bool,
    /// Pointer of `replicas`, for kinds that have one.
    pub replicas: Option<String>,
}

/// The pod templates of an object, whatever its kind: the known workload kinds, and any object
/// whose `spec.template.spec` (or `spec.jobTemplate.spec.template.spec`, or `spec` itself)
/// holds containers.
pub(crate) fn pod_templates(kind: &str, value: &Value) -> Vec<PodTemplate> {
    let has_containers = |p: &str| {
        value
            .pointer(p)
            .and_then(|s| s.get("containers"))
            .is_some_and(Value::is_array)
    };
    let template =
        |spec: &str, meta: &str, long_running: bool, replicas: Option<&str>| PodTemplate {
            spec: spec.to_string(),
            metadata: meta.to_string(),
            long_running,
            replicas: replicas.map(str::to_string),
        };
    match kind {
        "Pod" => {
            let restart = value
                .pointer("/spec/restartPolicy")
                .and_then(Value::as_str)
                .unwrap_or("Always");
            vec![template("/spec", "/metadata", restart == "Always", None)]
        }
        "PodTemplate" => vec![template("/template/spec", "/template/metadata", true, None)],
        "CronJob" => vec![template(
            "/spec/jobTemplate/spec/template/spec",
            "/spec/jobTemplate/spec/template/metadata",
            false,
            None,
        )],
        "Job" => vec![template(
            "/spec/template/spec",
            "/spec/template/metadata",
            false,
            None,
        )],
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "ReplicationController"
        | "DeploymentConfig"
        | "Rollout" => vec![template(
            "/spec/template/spec",
            "/spec/template/metadata",
            true,
            Some("/spec/replicas"),
        )],
        "DaemonSet" => vec![template(
            "/spec/template/spec",
            "/spec/template/metadata",
            true,
            None,
        )],
        _ if has_containers("/spec/template/spec") => vec![template(
            "/spec/template/spec",
            "/spec/template/metadata",
            true,
            value.pointer("/spec/replicas").map(|_| "/spec/replicas"),
        )],
        _ if has_containers("/spec/jobTemplate/spec/template/spec") => vec![template(
            "/spec/jobTemplate/spec/template/spec",
            "/spec/jobTemplate/spec/template/metadata",
            false,
            None,
        )],
        // A pod spec as the object's own spec (a Knative Revision).
        _ if has_containers("/spec") => vec![template("/spec", "/metadata", true, None)],
        _ => Vec::new(),
    }
}

/// The three lists of containers of a pod spec.
pub(crate) const CONTAINER_LISTS: [&str; 3] =
    ["containers", "initContainers", "ephemeralContainers"];

/// Security-context fields a container inherits from the pod when it does not set them.
pub(crate) const INHERITED_SECURITY_FIELDS: [&str; 7] = [
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seLinuxOptions",
    "seccompProfile",
    "windowsOptions",
    "appArmorProfile",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_and_empty_fields_are_absent() {
        let mut v = json!({
            "metadata": {"labels": {"tier": ""}, "annotations": {"a": "", "b": null}},
            "data": {"EMPTY": ""},
            "spec": {"volumes": null, "containers": [{
                "name": "a", "resources": null, "imagePullPolicy": "",
                "env": [{"name": "X", "value": null}, {"name": "Y", "value": ""}]
            }]}
        });
        drop_unset(&mut v);
        assert_eq!(
            v,
            json!({
                "metadata": {"labels": {"tier": ""}, "annotations": {"a": ""}},
                "data": {"EMPTY": ""},
                "spec": {"containers": [{"name": "a", "env": [{"name": "X"}, {"name": "Y"}]}]}
            })
        );
    }

    #[test]
    fn test_hooks() {
        let hook = |h: &str| json!({"metadata": {"annotations": {"helm.sh/hook": h}}});
        assert!(is_test_hook(&hook("test")));
        assert!(is_test_hook(&hook("test-success")));
        assert!(is_test_hook(&hook("pre-install, test-failure")));
        assert!(!is_test_hook(&hook("pre-install")));
        assert!(!is_test_hook(&json!({"metadata": {}})));
    }

    #[test]
    fn pod_templates_of_every_kind() {
        let cron =
            json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}});
        assert_eq!(
            pod_templates("CronJob", &cron)[0].spec,
            "/spec/jobTemplate/spec/template/spec"
        );
        let custom = json!({"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}});
        assert_eq!(pod_templates("Whatever", &custom).len(), 1);
        assert!(pod_templates("ConfigMap", &json!({"data": {}})).is_empty());
        let pod = json!({"spec": {"restartPolicy": "Never"}});
        assert!(!pod_templates("Pod", &pod)[0].long_running);
        let revision = json!({"spec": {"containers": [{"image": "a"}]}});
        assert_eq!(pod_templates("Revision", &revision)[0].spec, "/spec");
    }
}
