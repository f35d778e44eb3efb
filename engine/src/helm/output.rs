//! Assembling rendered templates as `helm template` prints them: partials, `NOTES.txt` and
//! blank outputs dropped, each output split into documents (Helm's `SplitManifests`), hooks
//! apart, manifests sorted by Helm's install order (stable), each printed as
//! `---\n# Source: <template>\n<document>\n`, hooks after. `crds/` files come first only with
//! `--include-crds` (not a `helm template` default).

use std::ops::Range;
use std::sync::Arc;

use super::HelmError;
use crate::source::SourceFile;
use crate::yaml::{self, YamlLimits};

/// Helm's `InstallOrder`.
pub(crate) const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// One document of the output.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// The template it came from (`# Source:`).
    pub source: String,
    /// The document text (trimmed).
    pub content: String,
    /// Its `kind`.
    pub kind: String,
    /// Whether it is a hook (`helm.sh/hook`).
    pub hook: bool,
}

/// Helm's `SplitManifests`: documents separated by `---` at a line start (the whole text
/// trimmed, each document trimmed, empty ones dropped).
#[cfg(test)]
pub(crate) fn split_manifests(text: &str) -> Vec<String> {
    split_manifest_ranges(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

/// [`split_manifests`] as byte ranges of `text` (each range is a trimmed, non-empty document).
pub(crate) fn split_manifest_ranges(text: &str) -> Vec<Range<usize>> {
    let base = text.len() - text.trim_start().len();
    let t = text.trim();
    let mut raw: Vec<Range<usize>> = Vec::new();
    let mut pos = 0usize;
    let mut cur_start = 0usize;
    // Separator: `(?:^|\s*\n)---\s*`.
    let mut at_start = true;
    loop {
        let rest = &t[pos..];
        let sep = if at_start && rest.starts_with("---") {
            Some((0, 3))
        } else {
            rest.find("\n---").map(|i| {
                let start = rest[..i].trim_end().len();
                (start, i + 4)
            })
        };
        at_start = false;
        match sep {
            None => {
                raw.push(cur_start..t.len());
                break;
            }
            Some((start, after)) => {
                raw.push(cur_start..pos + start);
                let tail = &rest[after..];
                let trimmed = tail.trim_start();
                pos += after + (tail.len() - trimmed.len());
                cur_start = pos;
                if trimmed.starts_with("---") {
                    at_start = true;
                }
            }
        }
    }
    raw.into_iter()
        .filter_map(|r| {
            let d = &t[r.clone()];
            let lead = d.len() - d.trim_start().len();
            let body = d.trim();
            (!body.is_empty()).then(|| base + r.start + lead..base + r.start + lead + body.len())
        })
        .collect()
}

/// One document of a rendered template, placed: which template (index in the input), its
/// byte range in that template's output, its kind and whether it is a hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    /// Index of the template in the input slice.
    pub template: usize,
    /// Byte range of the (trimmed) document in the template's output.
    pub range: Range<usize>,
    /// Its `kind`.
    pub kind: String,
    /// Whether it is a hook (`helm.sh/hook`).
    pub hook: bool,
}

/// Helm's `SortManifests` with `InstallOrder`, on byte ranges: the manifests, then the hooks
/// (hooks with unknown events are dropped, as Helm does).
pub(crate) fn place_manifests(
    rendered: &[(String, String)],
) -> Result<(Vec<Placed>, Vec<Placed>), HelmError> {
    let mut order: Vec<usize> = (0..rendered.len()).collect();
    order.sort_by(|&a, &b| rendered[a].0.cmp(&rendered[b].0));
    let (mut generic, mut hooks) = (Vec::new(), Vec::new());
    for i in order {
        let (name, text) = &rendered[i];
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') || base == "NOTES.txt" || text.trim().is_empty() {
            continue;
        }
        for range in split_manifest_ranges(text) {
            let doc = &text[range.clone()];
            let file: Arc<SourceFile> = SourceFile::new(name.clone(), doc.to_string());
            let stream = yaml::parse(&file, &YamlLimits::default());
            if let Some(d) = stream
                .diagnostics
                .iter()
                .find(|d| d.level == crate::vocab::DiagnosticLevel::Error)
            {
                return Err(HelmError::Render(format!(
                    "YAML parse error on {name}: {}",
                    d.message.en
                )));
            }
            let head = stream
                .documents
                .first()
                .map(|d| d.value.clone())
                .unwrap_or_default();
            let kind = head
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or("")
                .to_string();
            let hook = head
                .pointer("/metadata/annotations/helm.sh~1hook")
                .map(|h| match h {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            match hook {
                None => generic.push(Placed {
                    template: i,
                    range,
                    kind,
                    hook: false,
                }),
                Some(events) => {
                    let known = events
                        .split(',')
                        .all(|e| HOOK_EVENTS.contains(&e.trim().to_ascii_lowercase().as_str()));
                    if known {
                        hooks.push(Placed {
                            template: i,
                            range,
                            kind,
                            hook: true,
                        });
                    }
                }
            }
        }
    }
    sort_by_kind(&mut generic);
    sort_by_kind(&mut hooks);
    Ok((generic, hooks))
}

/// Sort rendered templates (full name → text) into manifests and hooks, as Helm's
/// `SortManifests` with `InstallOrder`.
#[cfg(test)]
pub(crate) fn sort_manifests(
    rendered: &[(String, String)],
) -> Result<(Vec<Manifest>, Vec<Manifest>), HelmError> {
    let (generic, hooks) = place_manifests(rendered)?;
    let to_manifest = |p: Placed| Manifest {
        source: rendered[p.template].0.clone(),
        content: rendered[p.template].1[p.range].to_string(),
        kind: p.kind,
        hook: p.hook,
    };
    Ok((
        generic.into_iter().map(to_manifest).collect(),
        hooks.into_iter().map(to_manifest).collect(),
    ))
}

fn sort_by_kind(ms: &mut [Placed]) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|x| *x == k);
    ms.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// Where a piece of [`assemble_placed`]'s output comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutputPart {
    /// A `crds/` file: index in the `crds` input.
    Crd(usize),
    /// A document of a rendered template.
    Doc(Placed),
}

/// A printed document: its byte range in the output and where it comes from.
pub(crate) type PlacedPart = (Range<usize>, OutputPart);

/// [`assemble`], also returning, for each printed document, its byte range in the output
/// and where it comes from.
pub(crate) fn assemble_placed(
    rendered: &[(String, String)],
    crds: &[(String, String)],
) -> Result<(String, Vec<PlacedPart>), HelmError> {
    let (manifests, hooks) = place_manifests(rendered)?;
    let mut out = String::new();
    let mut parts = Vec::new();
    fn push(
        out: &mut String,
        parts: &mut Vec<PlacedPart>,
        source: &str,
        text: &str,
        part: OutputPart,
    ) {
        out.push_str("---\n# Source: ");
        out.push_str(source);
        out.push('\n');
        let start = out.len();
        out.push_str(text);
        parts.push((start..out.len(), part));
        out.push('\n');
    }
    for (i, (name, text)) in crds.iter().enumerate() {
        push(&mut out, &mut parts, name, text, OutputPart::Crd(i));
    }
    for m in manifests {
        let (name, text) = &rendered[m.template];
        let body = &text[m.range.clone()];
        push(&mut out, &mut parts, name, body, OutputPart::Doc(m));
    }
    // `helm template` prints the manifests trimmed, then a newline, then the hooks.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    let lead = out.len() - out.trim_start().len();
    if lead > 0 {
        out.drain(..lead);
    }
    out.push('\n');
    let limit = trimmed.saturating_sub(lead);
    for (r, _) in parts.iter_mut() {
        r.start = r.start.saturating_sub(lead).min(limit);
        r.end = r.end.saturating_sub(lead).min(limit);
    }
    for h in hooks {
        let (name, text) = &rendered[h.template];
        let body = &text[h.range.clone()];
        push(&mut out, &mut parts, name, body, OutputPart::Doc(h));
    }
    Ok((out, parts))
}

/// The text `helm template` prints for rendered templates (full name → text) and, with
/// `--include-crds`, the `crds/` files (full name → text) first.
#[cfg(test)]
pub(crate) fn assemble(
    rendered: &[(String, String)],
    crds: &[(String, String)],
) -> Result<String, HelmError> {
    assemble_placed(rendered, crds).map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembled_output_is_sorted_by_install_order() {
        let out = assemble(
            &[
                ("c/templates/svc.yaml".into(), "kind: Service\n".into()),
                (
                    "c/templates/cm.yaml".into(),
                    "kind: ConfigMap\n---\n".into(),
                ),
                ("c/templates/NOTES.txt".into(), "hello".into()),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(out, "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n---\n# Source: c/templates/svc.yaml\nkind: Service\n");
    }

    #[test]
    fn split_as_helm() {
        assert_eq!(
            split_manifests("---\na: 1\n---\n\nb: 2\n---  \n"),
            vec!["a: 1", "b: 2"]
        );
        assert_eq!(
            split_manifests("a: |\n  x\n  ---\nb: 1"),
            vec!["a: |\n  x\n  ---\nb: 1"]
        );
        assert_eq!(
            split_manifests("# only a comment\n---\nc: 3"),
            vec!["# only a comment", "c: 3"]
        );
        assert!(split_manifests("  \n---\n").is_empty());
    }

    #[test]
    fn install_order_then_unknown_kinds_alphabetically_hooks_last() {
        let rendered = vec![
            (
                "c/templates/a.yaml".to_string(),
                "kind: Zeta\n---\nkind: Deployment\n---\nkind: Alpha".to_string(),
            ),
            (
                "c/templates/b.yaml".to_string(),
                "kind: Namespace".to_string(),
            ),
            (
                "c/templates/h.yaml".to_string(),
                "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install".to_string(),
            ),
            (
                "c/templates/u.yaml".to_string(),
                "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: bogus".to_string(),
            ),
            ("c/templates/_p.tpl".to_string(), "kind: X".to_string()),
        ];
        let (m, h) = sort_manifests(&rendered).unwrap();
        let kinds: Vec<&str> = m.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, vec!["Namespace", "Deployment", "Alpha", "Zeta"]);
        assert_eq!(h.len(), 1);
        let out = assemble(&rendered, &[]).unwrap();
        assert!(out.starts_with("---\n# Source: c/templates/b.yaml\nkind: Namespace\n"));
        assert!(out.ends_with("---\n# Source: c/templates/h.yaml\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n"));
    }

    #[test]
    fn invalid_yaml_is_helms_error() {
        let err = sort_manifests(&[("c/templates/x.yaml".into(), "a: [".into())]).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("YAML parse error on c/templates/x.yaml"));
    }
}
