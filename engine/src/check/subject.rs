//! Subjects: the views a rule checks (a resource, a pod spec, a container), each mapping its
//! paths back to pointers of the document it came from.

use std::borrow::Cow;

use serde_json::{json, Map, Value};

use crate::kube::{self, ImageRef, Resource, CONTAINER_LISTS, INHERITED_SECURITY_FIELDS};
use crate::source::{DocFormat, Document, LocateMode};
use crate::vocab::{SubjectIdentity, SubjectKind};

/// A value to check, and how its paths map back to its document.
#[derive(Debug)]
pub(crate) struct Subject<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) kind: SubjectKind,
    /// The kind of the resource (or of the workload carrying the pod template).
    pub(crate) resource_kind: &'a str,
    pub(crate) view: Cow<'a, Value>,
    /// (view prefix, document pointer), longest prefix first.
    mounts: Vec<(String, String)>,
    /// View prefixes computed from one document value (the parsed image): any path under them
    /// is located on that value.
    leaves: Vec<String>,
    pub(crate) identity: SubjectIdentity,
    /// Pointer of the Kubernetes resource the subject comes from (none for Dockerfiles).
    pub(crate) resource_pointer: Option<String>,
}

impl Subject<'_> {
    /// The document pointer of a path of the view, and how to locate it.
    pub(crate) fn resolve(&self, view_path: &str, mode: LocateMode) -> (String, LocateMode) {
        for leaf in &self.leaves {
            if let Some(rest) = view_path.strip_prefix(leaf.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return (self.doc_pointer(leaf), LocateMode::Value);
                }
            }
        }
        (self.doc_pointer(view_path), mode)
    }

    /// The document pointer of a path of the view.
    pub(crate) fn doc_pointer(&self, view_path: &str) -> String {
        for (prefix, target) in &self.mounts {
            if let Some(rest) = view_path.strip_prefix(prefix.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return format!("{target}{rest}");
                }
            }
        }
        view_path.to_string()
    }
}

/// Every subject of a document.
pub(crate) fn subjects(doc: &Document) -> Vec<Subject<'_>> {
    match doc.format {
        DocFormat::Dockerfile => return dockerfile_subjects(doc),
        DocFormat::GitlabCi => return gitlab_subjects(doc),
        DocFormat::OpenApi => return openapi_subjects(doc),
        DocFormat::Derogations => return derogation_subjects(doc),
        DocFormat::HelmChart | DocFormat::HelmValues => return helm_subjects(doc),
        DocFormat::Repository => return repository_subjects(doc),
        DocFormat::Yaml => {}
    }
    let mut out = Vec::new();
    for res in kube::resources(doc) {
        let identity = SubjectIdentity {
            api_version: res.api_version.to_string(),
            kind: res.kind.to_string(),
            namespace: res.namespace.to_string(),
            name: res.name.to_string(),
            container: None,
        };
        out.push(Subject {
            doc,
            kind: SubjectKind::Resource,
            resource_kind: res.kind,
            view: Cow::Borrowed(res.value),
            mounts: vec![(String::new(), res.pointer.clone())],
            leaves: Vec::new(),
            identity: identity.clone(),
            resource_pointer: Some(res.pointer.clone()),
        });
        for template in kube::pod_templates(res.kind, res.value) {
            pod_subjects(&res, &template, &identity, &mut out);
        }
    }
    out
}

fn pod_subjects<'a>(
    res: &Resource<'a>,
    template: &kube::PodTemplate,
    identity: &SubjectIdentity,
    out: &mut Vec<Subject<'a>>,
) {
    let Some(spec) = res.value.pointer(&template.spec).filter(|s| s.is_object()) else {
        return;
    };
    let base = &res.pointer;
    let spec_ptr = format!("{base}{}", template.spec);
    let mut view = Map::new();
    view.insert("kind".into(), json!(res.kind));
    view.insert("apiVersion".into(), json!(res.api_version));
    if let Some(m) = res.value.get("metadata") {
        view.insert("metadata".into(), m.clone());
    }
    if let Some(m) = res.value.pointer(&template.metadata) {
        view.insert("podMetadata".into(), m.clone());
    }
    view.insert("spec".into(), spec.clone());
    let mut mounts = vec![
        (
            "/podMetadata".to_string(),
            format!("{base}{}", template.metadata),
        ),
        ("/spec".to_string(), spec_ptr.clone()),
        ("/longRunning".to_string(), spec_ptr.clone()),
    ];
    if let Some(rp) = &template.replicas {
        if let Some(r) = res.value.pointer(rp) {
            view.insert("replicas".into(), r.clone());
            mounts.push(("/replicas".to_string(), format!("{base}{rp}")));
        }
    }
    view.insert("longRunning".into(), json!(template.long_running));
    mounts.push((String::new(), base.clone()));
    sort_mounts(&mut mounts);
    out.push(Subject {
        doc: res.doc,
        kind: SubjectKind::PodSpec,
        resource_kind: res.kind,
        view: Cow::Owned(Value::Object(view)),
        mounts,
        leaves: Vec::new(),
        identity: identity.clone(),
        resource_pointer: Some(base.clone()),
    });

    let pod_sc = spec.get("securityContext").and_then(Value::as_object);
    for list in CONTAINER_LISTS {
        let Some(containers) = spec.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (i, c) in containers.iter().enumerate() {
            let Some(cobj) = c.as_object() else { continue };
            let c_ptr = format!("{spec_ptr}/{list}/{i}");
            let sidecar = list == "initContainers"
                && cobj.get("restartPolicy").and_then(Value::as_str) == Some("Always");
            let long_running = template.long_running && (list == "containers" || sidecar);
            let mut view = Map::new();
            view.insert("kind".into(), json!(res.kind));
            view.insert("containerType".into(), json!(list));
            view.insert("longRunning".into(), json!(long_running));
            view.insert("container".into(), c.clone());
            let mut mounts = vec![
                (String::new(), c_ptr.clone()),
                ("/container".to_string(), c_ptr.clone()),
                ("/pod".to_string(), spec_ptr.clone()),
                ("/image".to_string(), format!("{c_ptr}/image")),
                (
                    "/securityContext".to_string(),
                    format!("{c_ptr}/securityContext"),
                ),
            ];
            if let Some(image) = cobj
                .get("image")
                .and_then(Value::as_str)
                .and_then(ImageRef::parse)
            {
                view.insert("image".into(), image.to_json());
            }
            // The effective security context: container fields, plus inherited pod fields.
            let mut sc = cobj
                .get("securityContext")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            if let Some(pod_sc) = pod_sc {
                for field in INHERITED_SECURITY_FIELDS {
                    if sc.contains_key(field) {
                        continue;
                    }
                    if let Some(v) = pod_sc.get(field) {
                        sc.insert(field.to_string(), v.clone());
                        mounts.push((
                            format!("/securityContext/{field}"),
                            format!("{spec_ptr}/securityContext/{field}"),
                        ));
                    }
                }
            }
            view.insert("securityContext".into(), Value::Object(sc));
            view.insert("pod".into(), spec.clone());
            sort_mounts(&mut mounts);
            let mut identity = identity.clone();
            identity.container = Some(
                cobj.get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{list}[{i}]"), str::to_string),
            );
            out.push(Subject {
                doc: res.doc,
                kind: SubjectKind::Container,
                resource_kind: res.kind,
                view: Cow::Owned(Value::Object(view)),
                mounts,
                leaves: vec!["/image".to_string()],
                identity,
                resource_pointer: Some(base.clone()),
            });
        }
    }
}

/// The subjects of a Dockerfile model: the file, each stage, each instruction (with `final`
/// and `stage` added), each command of a RUN (with `final` and `keyword` added).
fn dockerfile_subjects(doc: &Document) -> Vec<Subject<'_>> {
    let identity = |name: String| SubjectIdentity {
        api_version: String::new(),
        kind: "Dockerfile".to_string(),
        namespace: String::new(),
        name,
        container: None,
    };
    let whole = || vec![(String::new(), String::new())];
    let mut out = vec![Subject {
        doc,
        kind: SubjectKind::Dockerfile,
        resource_kind: "Dockerfile",
        view: Cow::Borrowed(&doc.value),
        mounts: whole(),
        leaves: Vec::new(),
        identity: identity(String::new()),
        resource_pointer: None,
    }];
    let Some(stages) = doc.value.get("stages").and_then(Value::as_array) else {
        return out;
    };
    for (si, stage) in stages.iter().enumerate() {
        let stage_ptr = format!("/stages/{si}");
        let final_stage = stage.get("final").and_then(Value::as_bool).unwrap_or(false);
        let stage_name = stage
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| si.to_string(), str::to_string);
        out.push(Subject {
            doc,
            kind: SubjectKind::DockerfileStage,
            resource_kind: "Dockerfile",
            view: Cow::Borrowed(stage),
            mounts: vec![(String::new(), stage_ptr.clone())],
            leaves: Vec::new(),
            identity: identity(stage_name.clone()),
            resource_pointer: None,
        });
        let Some(instructions) = stage.get("instructions").and_then(Value::as_array) else {
            continue;
        };
        for (ii, ins) in instructions.iter().enumerate() {
            let ins_ptr = format!("{stage_ptr}/instructions/{ii}");
            let mut view = ins.as_object().cloned().unwrap_or_default();
            view.insert("final".into(), json!(final_stage));
            view.insert("stage".into(), json!(si));
            out.push(Subject {
                doc,
                kind: SubjectKind::DockerfileInstruction,
                resource_kind: "Dockerfile",
                view: Cow::Owned(Value::Object(view)),
                mounts: vec![(String::new(), ins_ptr.clone())],
                leaves: Vec::new(),
                identity: identity(stage_name.clone()),
                resource_pointer: None,
            });
            let Some(commands) = ins.get("commands").and_then(Value::as_array) else {
                continue;
            };
            let keyword = ins.get("keyword").cloned().unwrap_or(Value::Null);
            for (ci, cmd) in commands.iter().enumerate() {
                let mut view = cmd.as_object().cloned().unwrap_or_default();
                view.insert("final".into(), json!(final_stage));
                view.insert("keyword".into(), keyword.clone());
                out.push(Subject {
                    doc,
                    kind: SubjectKind::DockerfileCommand,
                    resource_kind: "Dockerfile",
                    view: Cow::Owned(Value::Object(view)),
                    mounts: vec![(String::new(), format!("{ins_ptr}/commands/{ci}"))],
                    leaves: Vec::new(),
                    identity: identity(stage_name.clone()),
                    resource_pointer: None,
                });
            }
        }
    }
    out
}

fn file_identity(kind: &str, name: String) -> SubjectIdentity {
    SubjectIdentity {
        api_version: String::new(),
        kind: kind.to_string(),
        namespace: String::new(),
        name,
        container: None,
    }
}

/// The subjects of a GitLab CI model: the whole pipeline, and each job (hidden ones and
/// `default:` included) with its `name` added.
fn gitlab_subjects(doc: &Document) -> Vec<Subject<'_>> {
    let mut out = vec![Subject {
        doc,
        kind: SubjectKind::GitlabCi,
        resource_kind: "GitLabCI",
        view: Cow::Borrowed(&doc.value),
        mounts: vec![(String::new(), String::new())],
        leaves: Vec::new(),
        identity: file_identity("GitLabCI", String::new()),
        resource_pointer: None,
    }];
    let job = |name: &str, pointer: String, value: &Value, extra: &[(&str, Value)]| {
        let mut view = value.as_object().cloned().unwrap_or_default();
        view.insert("name".into(), json!(name));
        for (k, v) in extra {
            view.insert((*k).into(), v.clone());
        }
        Subject {
            doc,
            kind: SubjectKind::GitlabJob,
            resource_kind: "GitLabJob",
            view: Cow::Owned(Value::Object(view)),
            mounts: vec![
                ("/name".to_string(), pointer.clone()),
                (String::new(), pointer),
            ],
            leaves: Vec::new(),
            identity: file_identity("GitLabJob", name.to_string()),
            resource_pointer: None,
        }
    };
    let mut jobs = Vec::new();
    if let Some(map) = doc.value.get("jobs").and_then(Value::as_object) {
        for (name, value) in map {
            let pointer = format!("/jobs/{}", crate::source::escape_token(name));
            jobs.push(job(name, pointer, value, &[]));
        }
    }
    if let Some(default) = doc.value.get("default") {
        jobs.push(job(
            "default",
            "/default".to_string(),
            default,
            &[
                ("hidden", json!(true)),
                ("default", json!(true)),
                ("extendedBy", json!([])),
                ("extendsAll", json!([])),
            ],
        ));
    }
    out.extend(jobs);
    out
}

/// The subject of a chart's file: `Chart.yaml` as written with its facts added at its top
/// level (`helm-chart`), or values as written under `values` with their facts beside them
/// (`helm-values`: values may hold any key, so they are not mixed with the facts).
fn helm_subjects(doc: &Document) -> Vec<Subject<'_>> {
    let values = doc.format == DocFormat::HelmValues;
    let mut view = if values {
        let mut m = Map::new();
        m.insert("values".into(), doc.value.clone());
        m
    } else {
        doc.value.as_object().cloned().unwrap_or_default()
    };
    let mut mounts = Vec::new();
    if let Some(facts) = &doc.facts {
        for (k, v) in &facts.value {
            view.insert(k.clone(), v.clone());
        }
        mounts.extend(facts.mounts.iter().cloned());
    }
    let (kind, resource_kind, name) = if values {
        mounts.push(("/values".to_string(), String::new()));
        let name = view
            .get("file")
            .and_then(Value::as_str)
            .unwrap_or_else(|| doc.file.path())
            .to_string();
        (SubjectKind::HelmValues, "HelmValues", name)
    } else {
        let name = doc
            .value
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        (SubjectKind::HelmChart, "HelmChart", name)
    };
    mounts.push((String::new(), String::new()));
    sort_mounts(&mut mounts);
    vec![Subject {
        doc,
        kind,
        resource_kind,
        view: Cow::Owned(Value::Object(view)),
        mounts,
        leaves: Vec::new(),
        identity: file_identity(resource_kind, name),
        resource_pointer: None,
    }]
}

/// The subject of an OpenAPI document: the document with the facts its loader computed added
/// at its top level.
fn openapi_subjects(doc: &Document) -> Vec<Subject<'_>> {
    let mut view = doc.value.as_object().cloned().unwrap_or_default();
    let mut mounts = Vec::new();
    if let Some(facts) = &doc.facts {
        for (k, v) in &facts.value {
            view.insert(k.clone(), v.clone());
        }
        mounts.extend(facts.mounts.iter().cloned());
    }
    mounts.push((String::new(), String::new()));
    sort_mounts(&mut mounts);
    let title = doc
        .value
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    vec![Subject {
        doc,
        kind: SubjectKind::OpenApi,
        resource_kind: "OpenAPI",
        view: Cow::Owned(Value::Object(view)),
        mounts,
        leaves: Vec::new(),
        identity: file_identity("OpenAPI", title),
        resource_pointer: None,
    }]
}

/// One subject per derogation of the document [`crate::derogate`] builds: the derogation as a
/// view, located where it is written.
fn derogation_subjects(doc: &Document) -> Vec<Subject<'_>> {
    let Some(items) = doc.value.get("derogations").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item
                .get("rules")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            Subject {
                doc,
                kind: SubjectKind::Derogation,
                resource_kind: "Derogation",
                view: Cow::Borrowed(item),
                mounts: vec![(String::new(), format!("/derogations/{i}"))],
                leaves: Vec::new(),
                identity: file_identity("Derogation", name),
                resource_pointer: None,
            }
        })
        .collect()
}

/// The subject of a repository: the document itself.
fn repository_subjects(doc: &Document) -> Vec<Subject<'_>> {
    let root = doc
        .value
        .get("root")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    vec![Subject {
        doc,
        kind: SubjectKind::Repository,
        resource_kind: "Repository",
        view: Cow::Borrowed(&doc.value),
        mounts: vec![(String::new(), String::new())],
        leaves: Vec::new(),
        identity: file_identity("Repository", root),
        resource_pointer: None,
    }]
}

fn sort_mounts(mounts: &mut [(String, String)]) {
    mounts.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::yaml::{parse, YamlLimits};

    #[test]
    fn container_view_maps_back_to_document() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: purge}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          securityContext: {runAsUser: 0}\n          containers:\n          - name: purge\n            image: nginx\n";
        let file = SourceFile::new("c.yaml", text);
        let stream = parse(&file, &YamlLimits::default());
        let doc = &stream.documents[0];
        let subjects = subjects(doc);
        let c = subjects
            .iter()
            .find(|s| s.kind == SubjectKind::Container)
            .unwrap();
        assert_eq!(c.view["securityContext"]["runAsUser"], 0);
        assert_eq!(c.view["image"]["repository"], "library/nginx");
        assert_eq!(c.view["longRunning"], false);
        assert_eq!(
            c.doc_pointer("/securityContext/runAsUser"),
            "/spec/jobTemplate/spec/template/spec/securityContext/runAsUser"
        );
        assert_eq!(
            c.resolve("/image/tag", LocateMode::Key),
            (
                "/spec/jobTemplate/spec/template/spec/containers/0/image".to_string(),
                LocateMode::Value
            )
        );
        assert_eq!(c.identity.container.as_deref(), Some("purge"));
    }
}
