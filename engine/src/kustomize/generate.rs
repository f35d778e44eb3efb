//! `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets from literals, files and
//! env files, merged into or replacing a base's (`behavior`), named with kustomize's hash
//! suffix at the end of the build (references follow).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::node::{Kind, Node, Origin};
use super::read::Kustomization;
use super::{normalize, BuildError, Builder, Res};

/// One key of a generated object and where its value was written.
struct Item {
    key: String,
    value: String,
    origin: Option<Origin>,
}

/// Add the generated objects of a kustomization to the resources.
pub(super) fn generators(
    b: &mut Builder,
    dir: &Path,
    k: &Kustomization,
    acc: &mut Vec<Res>,
) -> Result<(), BuildError> {
    for (field, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        let Some(items) = k.get(field).and_then(Value::as_array).cloned() else {
            continue;
        };
        for (i, g) in items.iter().enumerate() {
            let pointer = format!("/{field}/{i}");
            generate(b, dir, k, acc, g, &pointer, kind)?;
        }
    }
    Ok(())
}

fn option<'a>(k: &'a Kustomization, g: &'a Value, name: &str) -> Option<&'a Value> {
    g.pointer(&format!("/options/{name}"))
        .or_else(|| k.doc.value.pointer(&format!("/generatorOptions/{name}")))
}

fn generate(
    b: &mut Builder,
    dir: &Path,
    k: &Kustomization,
    acc: &mut Vec<Res>,
    g: &Value,
    pointer: &str,
    kind: &str,
) -> Result<(), BuildError> {
    let name = g
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = g.get("namespace").and_then(Value::as_str);
    let behavior = g
        .get("behavior")
        .and_then(Value::as_str)
        .unwrap_or("create");
    let mut data: Vec<Item> = Vec::new();
    for (j, lit) in g
        .get("literals")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(s) = lit.as_str() else { continue };
        let (key, value) = s.split_once('=').unwrap_or((s, ""));
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        data.push(Item {
            key: key.trim().to_string(),
            value: value.to_string(),
            origin: k.origin(&format!("{pointer}/literals/{j}")),
        });
    }
    for (j, f) in g
        .get("files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(s) = f.as_str() else { continue };
        let (key, path) = match s.split_once('=') {
            Some((k, p)) => (k.to_string(), p),
            None => (
                Path::new(s)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                s,
            ),
        };
        let range = k.range(&format!("{pointer}/files/{j}"));
        let file = b.file(&normalize(&dir.join(path))).map_err(|e| {
            b.error(
                &k.file,
                range,
                format!("cannot read `{path}`: {e}"),
                format!("lecture impossible de `{path}` : {}", e.fr()),
            )
        })?;
        data.push(Item {
            key,
            value: file.text().to_string(),
            origin: Some(Origin {
                file: file.clone(),
                range: crate::source::ByteRange::new(0, file.text().len()),
                set: true,
            }),
        });
    }
    let envs: Vec<(usize, String)> = g
        .get("envs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(j, v)| v.as_str().map(|s| (j, s.to_string())))
        .chain(
            g.get("env")
                .and_then(Value::as_str)
                .map(|s| (usize::MAX, s.to_string())),
        )
        .collect();
    for (j, path) in envs {
        let at = if j == usize::MAX {
            format!("{pointer}/env")
        } else {
            format!("{pointer}/envs/{j}")
        };
        let range = k.range(&at);
        let file = b.file(&normalize(&dir.join(&path))).map_err(|e| {
            b.error(
                &k.file,
                range,
                format!("cannot read `{path}`: {e}"),
                format!("lecture impossible de `{path}` : {}", e.fr()),
            )
        })?;
        let mut offset = 0usize;
        for line in file.text().split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let (key, value) = l.split_once('=').unwrap_or((l, ""));
            data.push(Item {
                key: key.trim().to_string(),
                value: value.to_string(),
                origin: Some(Origin {
                    file: file.clone(),
                    range: crate::source::ByteRange::new(start, start + line.trim_end().len()),
                    set: true,
                }),
            });
        }
    }
    let secret = kind == "Secret";
    let encode = |v: &str| {
        if secret {
            cct_template::base64_encode(v.as_bytes())
        } else {
            v.to_string()
        }
    };
    let mut sorted: BTreeMap<String, (String, Option<Origin>)> = BTreeMap::new();
    for item in data {
        sorted.insert(item.key, (encode(&item.value), item.origin));
    }
    let gen_origin = k.origin(&format!("{pointer}/name"));
    if behavior == "merge" || behavior == "replace" {
        let existing = acc.iter_mut().find(|r| {
            r.kind() == kind
                && (r.names.contains(&name) || r.name() == name)
                && namespace.is_none_or(|ns| r.node.str_at(&["metadata", "namespace"]) == Some(ns))
        });
        let Some(r) = existing else {
            return Err(b.error(
                &k.file,
                k.range(pointer),
                format!("`behavior: {behavior}` but no {kind} `{name}` to {behavior}"),
                format!("`behavior: {behavior}` mais aucun {kind} `{name}` à modifier"),
            ));
        };
        if behavior == "replace" {
            r.node.remove("data");
        }
        for (key, (value, origin)) in sorted {
            r.node.set_in(
                &["data"],
                &key,
                Node::string(&value, origin.clone()),
                origin,
                gen_origin.as_ref(),
            );
        }
        apply_meta(k, g, &mut r.node, gen_origin.as_ref());
        if option(k, g, "disableNameSuffixHash").and_then(Value::as_bool) == Some(true) {
            r.hash = false;
        }
        return Ok(());
    }
    let mut node = Node::map();
    node.set(
        "apiVersion",
        Node::string("v1", gen_origin.clone()),
        gen_origin.clone(),
    );
    node.set(
        "kind",
        Node::string(kind, gen_origin.clone()),
        gen_origin.clone(),
    );
    node.set_in(
        &["metadata"],
        "name",
        Node::string(&name, gen_origin.clone()),
        gen_origin.clone(),
        gen_origin.as_ref(),
    );
    if let Some(ns) = namespace {
        node.set_in(
            &["metadata"],
            "namespace",
            Node::string(ns, gen_origin.clone()),
            gen_origin.clone(),
            gen_origin.as_ref(),
        );
    }
    if secret {
        let t = g.get("type").and_then(Value::as_str).unwrap_or("Opaque");
        node.set(
            "type",
            Node::string(t, gen_origin.clone()),
            gen_origin.clone(),
        );
    }
    if !sorted.is_empty() {
        for (key, (value, origin)) in sorted {
            node.set_in(
                &["data"],
                &key,
                Node::string(&value, origin.clone()),
                origin,
                gen_origin.as_ref(),
            );
        }
    }
    if option(k, g, "immutable").and_then(Value::as_bool) == Some(true) {
        node.set(
            "immutable",
            Node {
                kind: Kind::Scalar(Value::Bool(true)),
                origin: gen_origin.clone(),
            },
            gen_origin.clone(),
        );
    }
    apply_meta(k, g, &mut node, gen_origin.as_ref());
    let mut r = Res::new(node);
    r.hash = option(k, g, "disableNameSuffixHash").and_then(Value::as_bool) != Some(true);
    acc.push(r);
    Ok(())
}

/// The generator's (and `generatorOptions`') labels and annotations.
fn apply_meta(k: &Kustomization, g: &Value, node: &mut Node, origin: Option<&Origin>) {
    for field in ["labels", "annotations"] {
        let pairs = option(k, g, field)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if pairs.is_empty() {
            continue;
        }
        for (key, v) in pairs {
            let s = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            node.set_in(
                &["metadata", field],
                &key,
                Node::string(&s, origin.cloned()),
                origin.cloned(),
                origin,
            );
        }
    }
}

/// At the end of the build: each generated object's name gets kustomize's hash of its
/// content, and references follow.
pub(super) fn hash_names(acc: &mut [Res]) {
    let mut renames = Vec::new();
    for r in acc.iter_mut().filter(|r| r.hash) {
        let old = r.name().to_string();
        let new = format!("{old}-{}", content_hash(&r.node));
        if let Some(n) = r.node.at_mut(&["metadata", "name"]) {
            n.kind = Kind::Scalar(Value::String(new.clone()));
        }
        renames.push((r.kind().to_string(), old, new.clone()));
        r.names.push(new);
    }
    super::transform::fix_references(acc, &renames);
}

/// kustomize's hash of a ConfigMap or Secret: SHA-256 of the JSON of its kind, name (empty), data
/// (and type, binaryData), as Go encodes it (sorted keys, HTML characters escaped); the first
/// ten hex digits with some letters mapped so that the suffix never reads as a word.
fn content_hash(node: &Node) -> String {
    let json = node.to_json();
    let mut m = serde_json::Map::new();
    let kind = json.get("kind").cloned().unwrap_or(Value::Null);
    m.insert("kind".into(), kind.clone());
    // kustomize hashes with an empty name (the hash does not change with prefixes).
    m.insert("name".into(), Value::String(String::new()));
    m.insert(
        "data".into(),
        json.get("data")
            .cloned()
            .unwrap_or(Value::String(String::new())),
    );
    if kind == "Secret" {
        m.insert(
            "type".into(),
            json.get("type")
                .cloned()
                .unwrap_or(Value::String(String::new())),
        );
    } else if let Some(b) = json.get("binaryData") {
        m.insert("binaryData".into(), b.clone());
    }
    let text = go_json(&Value::Object(m));
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    hex.chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

/// JSON as Go's `encoding/json` writes it (the template engine's encoder, as `toJson`): object
/// keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped.
fn go_json(v: &Value) -> String {
    cct_template::Value::from_json(&v.to_string())
        .and_then(|t| t.to_json())
        .unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_standard_base64_with_padding() {
        use cct_template::base64_encode as base64;
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn go_json_sorts_and_escapes_html() {
        let v = serde_json::json!({"b": "<&>", "a": 1});
        assert_eq!(go_json(&v), r#"{"a":1,"b":"\u003c\u0026\u003e"}"#);
    }
}
