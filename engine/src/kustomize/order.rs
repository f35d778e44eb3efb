//! kustomize's default output order (`sortOptions: legacy`): some kinds first (namespaces,
//! then what others depend on), webhooks last, the rest between; then by group, version and
//! kind, namespace and name.

use super::node::Node;

const FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

const LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

fn rank(kind: &str) -> i64 {
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        return i as i64 - FIRST.len() as i64;
    }
    if let Some(i) = LAST.iter().position(|k| *k == kind) {
        return 1 + i as i64;
    }
    0
}

/// Sort resources in kustomize's legacy order (stable).
pub(crate) fn legacy_sort(resources: &mut [Node]) {
    resources.sort_by_cached_key(|r| {
        let s = |p: &[&str]| r.str_at(p).unwrap_or("").to_string();
        let kind = s(&["kind"]);
        let api = s(&["apiVersion"]);
        let (group, version) = match api.rsplit_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api.clone()),
        };
        (
            rank(&kind),
            format!("{group}_{version}_{kind}"),
            s(&["metadata", "namespace"]),
            s(&["metadata", "name"]),
        )
    });
}
