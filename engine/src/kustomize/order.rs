//! kustomize's default output order (`sortOptions: legacy`): some kinds first (namespaces,
//! then what others depend on), webhooks last, the rest between; then by group, version and
//! kind, namespace and name (an empty one after the others, as kustomize writes it `~X`).

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
        // kustomize's resource ids: an empty field is written `~G`, `~V`, `~K`, `~X`, `~N`
        // (after every letter).
        let s = |p: &[&str], none: &str| {
            r.str_at(p)
                .filter(|v| !v.is_empty())
                .unwrap_or(none)
                .to_string()
        };
        let kind = s(&["kind"], "~K");
        let api = s(&["apiVersion"], "");
        let (group, version) = match api.rsplit_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => ("~G".to_string(), api.clone()),
        };
        let version = if version.is_empty() {
            "~V".to_string()
        } else {
            version
        };
        (
            rank(&kind),
            format!("{group}_{version}_{kind}"),
            s(&["metadata", "namespace"], "~X"),
            s(&["metadata", "name"], "~N"),
        )
    });
}
