//! Legacy `vars`: a value read from a resource (`objref`: kind, name, `apiVersion`,
//! `namespace`; `fieldref.fieldpath`, default `metadata.name`) substituted for `$(NAME)` in the
//! fields kustomize substitutes by default (containers' `command`, `args`, `env` values and
//! `volumeMounts` paths in workloads, NFS servers, Ingress hosts and TLS secrets, Service ports,
//! `metadata.labels` and `metadata.annotations`). Vars of every kustomization of the build are
//! gathered, and substituted once at the end, after names got their prefixes and hash suffixes,
//! as kustomize does. `$$` is a literal `$`; an unknown `$(NAME)` stays as written; a field that
//! is exactly `$(NAME)` takes the value with its type. The substituted value keeps the place
//! the source resource wrote it.

use std::sync::Arc;

use serde_json::Value;

use super::node::{Kind, Node, Origin};
use super::read::Kustomization;
use super::{BuildError, Res};
use crate::source::{ByteRange, SourceFile};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

/// One declared var.
#[derive(Debug, Clone)]
pub(super) struct Var {
    name: String,
    kind: String,
    api_version: Option<String>,
    object: String,
    namespace: Option<String>,
    fieldpath: String,
    file: Arc<SourceFile>,
    range: ByteRange,
}

/// The fields of a pod spec kustomize substitutes in.
const POD_FIELDS: &[&str] = &[
    "containers/args",
    "containers/command",
    "containers/env/value",
    "containers/volumeMounts/mountPath",
    "initContainers/args",
    "initContainers/command",
    "initContainers/env/value",
    "initContainers/volumeMounts/mountPath",
];

/// Where each kind's pod spec is, and whether its `volumes/nfs/server` is substituted.
const WORKLOADS: &[(&str, &str, bool)] = &[
    ("CronJob", "spec/jobTemplate/spec/template/spec", true),
    ("DaemonSet", "spec/template/spec", true),
    ("Deployment", "spec/template/spec", true),
    ("Job", "spec/template/spec", true),
    ("Pod", "spec", true),
    ("ReplicaSet", "spec/template/spec", true),
    ("StatefulSet", "spec/template/spec", false),
];

/// Other fields, by kind (`""`: every kind). A Deployment's pod template annotations are
/// substituted too (seen with Kustomize v5.8.1; no other kind's).
const OTHER: &[(&str, &str)] = &[
    ("Ingress", "spec/rules/host"),
    ("Ingress", "spec/tls/hosts"),
    ("Ingress", "spec/tls/secretName"),
    ("Service", "spec/ports/port"),
    ("Service", "spec/ports/targetPort"),
    ("StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server"),
    ("PersistentVolume", "spec/nfs/server"),
    ("Deployment", "spec/template/metadata/annotations"),
    ("", "metadata/labels"),
    ("", "metadata/annotations"),
];

/// The fields of a resource of `kind` that are substituted in.
fn fields(kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (k, spec, nfs) in WORKLOADS {
        if *k == kind {
            out.extend(POD_FIELDS.iter().map(|f| format!("{spec}/{f}")));
            if *nfs {
                out.push(format!("{spec}/volumes/nfs/server"));
            }
        }
    }
    out.extend(
        OTHER
            .iter()
            .filter(|(k, _)| k.is_empty() || *k == kind)
            .map(|(_, f)| f.to_string()),
    );
    out
}

/// Add a kustomization's vars to those of the build (a name declared twice stops it).
pub(super) fn collect(k: &Kustomization, vars: &mut Vec<Var>) -> Result<(), BuildError> {
    let Some(items) = k.get("vars").and_then(Value::as_array) else {
        return Ok(());
    };
    for (i, v) in items.iter().enumerate() {
        let text = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let range = k.range(&format!("/vars/{i}/name"));
        let name = text("/name").unwrap_or_default();
        if vars.iter().any(|w| w.name == name) {
            return Err(Box::new(Diagnostic::at(
                &k.file,
                range,
                DiagnosticCode::KustomizeBuild,
                DiagnosticLevel::Error,
                Text::new(
                    format!("var `{name}` is declared twice in this build"),
                    format!("la variable `{name}` est déclarée deux fois dans cette construction"),
                ),
            )));
        }
        vars.push(Var {
            name,
            kind: text("/objref/kind").unwrap_or_default(),
            api_version: text("/objref/apiVersion"),
            object: text("/objref/name").unwrap_or_default(),
            namespace: text("/objref/namespace"),
            fieldpath: text("/fieldref/fieldpath").unwrap_or_else(|| "metadata.name".into()),
            file: Arc::clone(&k.file),
            range,
        });
    }
    Ok(())
}

/// The value of a var in the built resources: a warning when no resource, or more than one,
/// matches its `objref`, or the field is missing.
fn value(var: &Var, acc: &[Res]) -> Result<Node, Diagnostic> {
    let warn = |en: String, fr: String| {
        Diagnostic::at(
            &var.file,
            var.range,
            DiagnosticCode::KustomizeBuild,
            DiagnosticLevel::Warning,
            Text::new(en, fr),
        )
    };
    let matched: Vec<&Res> = acc
        .iter()
        .filter(|r| r.kind() == var.kind)
        .filter(|r| r.names.contains(&var.object) || r.name() == var.object)
        .filter(|r| {
            var.api_version
                .as_deref()
                .is_none_or(|a| r.node.str_at(&["apiVersion"]) == Some(a))
        })
        .filter(|r| {
            var.namespace.as_deref().is_none_or(|ns| {
                r.node
                    .str_at(&["metadata", "namespace"])
                    .unwrap_or("default")
                    == ns
            })
        })
        .collect();
    let (name, kind, object) = (&var.name, &var.kind, &var.object);
    let [r] = matched.as_slice() else {
        return Err(warn(
            format!("var `{name}`: {} resources match {kind} {object}: it is not substituted", matched.len()),
            format!("variable `{name}` : {} ressources correspondent à {kind} {object} : elle n'est pas substituée", matched.len()),
        ));
    };
    let path = var.fieldpath.replace('[', ".[");
    let segs: Vec<String> = path
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.strip_prefix('[')
                .and_then(|x| x.strip_suffix(']'))
                .unwrap_or(s)
                .to_string()
        })
        .collect();
    let mut node = &r.node;
    for s in &segs {
        let next = match &node.kind {
            Kind::Seq(items) => s.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => node.get(s),
        };
        let Some(n) = next else {
            let path = &var.fieldpath;
            return Err(warn(
                format!("var `{name}`: {kind} {object} has no field `{path}`: it is not substituted"),
                format!("variable `{name}` : {kind} {object} n'a pas de champ `{path}` : elle n'est pas substituée"),
            ));
        };
        node = n;
    }
    Ok(node.clone())
}

/// Substitute the build's vars in its resources; warnings for vars that cannot be read.
pub(super) fn substitute(vars: &[Var], acc: &mut [Res], diagnostics: &mut Vec<Diagnostic>) {
    if vars.is_empty() {
        return;
    }
    let mut values: Vec<(String, Node)> = Vec::new();
    for v in vars {
        match value(v, acc) {
            Ok(n) => values.push((v.name.clone(), n)),
            Err(d) => diagnostics.push(d),
        }
    }
    for r in acc.iter_mut() {
        let kind = r.kind().to_string();
        for f in fields(&kind) {
            let segs: Vec<&str> = f.split('/').collect();
            walk(&mut r.node, &segs, &values);
        }
    }
}

/// Follow a field path (through the items of sequences) and expand what it reaches.
fn walk(node: &mut Node, segs: &[&str], values: &[(String, Node)]) {
    match &mut node.kind {
        Kind::Seq(items) => {
            for i in items {
                walk(i, segs, values);
            }
            return;
        }
        Kind::Map(entries) => {
            if let Some((first, rest)) = segs.split_first() {
                for e in entries.iter_mut().filter(|e| e.key == *first) {
                    walk(&mut e.value, rest, values);
                }
                return;
            }
            // A map at the end of the path (labels, annotations): its values.
            for e in entries.iter_mut() {
                expand_node(&mut e.value, values);
            }
            return;
        }
        Kind::Scalar(_) => {}
    }
    if segs.is_empty() {
        expand_node(node, values);
    }
}

fn expand_node(node: &mut Node, values: &[(String, Node)]) {
    let Some(s) = node.as_str() else {
        return;
    };
    if let Some(n) = expand(s, values) {
        *node = n;
    }
}

/// A string with its `$(NAME)` references expanded (as Kubernetes expands them): `None` when
/// nothing changed. A string that is exactly one known reference takes the value itself.
fn expand(s: &str, values: &[(String, Node)]) -> Option<Node> {
    let lookup = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    if let Some(name) = s.strip_prefix("$(").and_then(|r| r.strip_suffix(')')) {
        if !name.contains(')') {
            if let Some(v) = lookup(name) {
                let mut v = v.clone();
                v.origin = v.origin.as_ref().map(Origin::as_set);
                return Some(v);
            }
        }
    }
    let mut out = String::new();
    let mut origin: Option<Origin> = None;
    let mut changed = false;
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            changed = true;
            rest = tail;
        } else if let Some((name, tail)) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            match lookup(name) {
                Some(v) => {
                    out.push_str(&scalar_text(v));
                    origin = v.origin.as_ref().map(Origin::as_set);
                    changed = true;
                }
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = tail;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    changed.then(|| Node::string(&out, origin))
}

/// A value as text in a string.
fn scalar_text(n: &Node) -> String {
    match &n.kind {
        Kind::Scalar(Value::String(s)) => s.clone(),
        Kind::Scalar(v) => v.to_string(),
        _ => n.to_json().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Vec<(String, Node)> {
        vec![
            ("A".into(), Node::string("web", None)),
            (
                "P".into(),
                Node {
                    kind: Kind::Scalar(Value::from(8080)),
                    origin: None,
                },
            ),
        ]
    }

    fn text(s: &str) -> Option<Value> {
        expand(s, &values()).map(|n| n.to_json())
    }

    #[test]
    fn references_expand_as_kubernetes_expands_them() {
        assert_eq!(text("$(A):$(P)"), Some(Value::from("web:8080")));
        assert_eq!(text("$$(A)"), Some(Value::from("$(A)")));
        assert_eq!(text("$(NOPE)"), None);
        assert_eq!(text("x$(NOPE)y$(A)"), Some(Value::from("x$(NOPE)yweb")));
        assert_eq!(text("a$b$(A"), None);
        // A field that is exactly one reference takes the value with its type.
        assert_eq!(text("$(P)"), Some(Value::from(8080)));
    }

    /// A substituted value keeps the place its source resource wrote it (the fixture's golden
    /// output is compared in `tests/kustomize.rs`).
    #[test]
    fn a_substituted_value_is_traced_to_its_source() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/kustomize/vars/overlays/prod");
        let built = super::super::build(&dir, &crate::yaml::YamlLimits::default(), None).unwrap();
        let deployment = built
            .resources
            .iter()
            .find(|r| r.str_at(&["kind"]) == Some("Deployment"))
            .unwrap();
        let containers = deployment
            .at(&["spec", "template", "spec", "containers"])
            .unwrap();
        let Kind::Seq(items) = &containers.kind else {
            panic!("containers")
        };
        let env = items[0].get("env").unwrap();
        let Kind::Seq(env) = &env.kind else {
            panic!("env")
        };
        let place = |n: &Node| {
            let o = n.origin.as_ref().unwrap();
            let l = crate::source::Location::of(&o.file, o.range);
            (l.path, l.start.line, o.set)
        };
        // PORT: `$(SVC_PORT)`, the Service's port (base/app.yaml line 7).
        let port = env[0].get("value").unwrap();
        assert_eq!(port.to_json(), Value::from(8080));
        assert!(place(port).0.ends_with("base/app.yaml"));
        assert_eq!((place(port).1, place(port).2), (7, true));
        // DB: `$(DB_HOST):5432`, the overlay's Service name as its `namePrefix` (line 4) made it.
        let db = env[1].get("value").unwrap();
        assert_eq!(db.to_json(), Value::from("prod-db:5432"));
        assert!(place(db).0.ends_with("overlays/prod/kustomization.yaml"));
        assert_eq!(place(db).1, 4);
    }
}
