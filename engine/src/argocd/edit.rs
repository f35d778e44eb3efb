//! An Application's `kustomize` block as a kustomization: Argo CD runs `kustomize edit` on the
//! source's kustomization before building it; cct builds the folder's kustomization with this
//! one over it, each field renamed as kustomize names it and positioned in the Application's
//! file (a value the block sets is reported at its line there).
//!
//! - `namePrefix`, `nameSuffix`, `namespace`, `commonLabels`, `commonAnnotations`, `patches`:
//!   as written.
//! - `images`: `kustomize edit set image` strings (`name`, `name:tag`, `name@digest`,
//!   `name=newName[:tag][@digest]`) as image entries.
//! - `replicas`: `{name, count}` with `count` a number (Argo CD accepts a string).

use serde_json::{Map, Value};

use crate::source::{Document, SpanTable};

/// Fields copied as they are.
const COPIED: &[&str] = &[
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "commonAnnotations",
    "patches",
];

/// The kustomization the block at `pointer` of `doc` stands for; `None` when there is no
/// block or it sets nothing cct builds.
pub(super) fn kustomization(doc: &Document, pointer: &str) -> Option<Document> {
    let block = doc.value.pointer(pointer)?.as_object()?;
    let mut value = Map::new();
    let mut spans = SpanTable::default();
    for field in COPIED {
        if let Some(v) = block.get(*field) {
            value.insert(field.to_string(), v.clone());
        }
    }
    if let Some(images) = block.get("images").and_then(Value::as_array) {
        let mut list = Vec::new();
        for (i, image) in images.iter().enumerate() {
            let Some(entry) = image.as_str().and_then(image_entry) else {
                continue;
            };
            let at = format!("/images/{}", list.len());
            if let Some(s) = doc.spans.get(&format!("{pointer}/images/{i}")) {
                for key in entry.keys() {
                    spans.insert(format!("{at}/{key}"), s.clone());
                }
                spans.insert(at, s.clone());
            }
            list.push(Value::Object(entry));
        }
        value.insert("images".into(), Value::Array(list));
    }
    if let Some(replicas) = block.get("replicas").and_then(Value::as_array) {
        let list: Vec<Value> = replicas
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if let Some(count) = r.get("count").and_then(Value::as_str) {
                    if let (Ok(n), Some(o)) = (count.trim().parse::<i64>(), r.as_object_mut()) {
                        o.insert("count".into(), n.into());
                    }
                }
                r
            })
            .collect();
        value.insert("replicas".into(), Value::Array(list));
    }
    if value.is_empty() {
        return None;
    }
    // Every place of the block, under the kustomization's names (the image entries keep
    // the place of their string).
    for (p, s) in doc.spans.iter() {
        if let Some(rest) = p.strip_prefix(pointer) {
            let image_part = rest.starts_with("/images/") && rest.matches('/').count() > 2;
            let inside = rest.is_empty() || rest.starts_with('/');
            if inside && !image_part && spans.get(rest).is_none() {
                spans.insert(rest.to_string(), s.clone());
            }
        }
    }
    Some(Document {
        value: Value::Object(value),
        spans,
        ..doc.clone()
    })
}

/// An image as `kustomize edit set image` reads it.
fn image_entry(s: &str) -> Option<Map<String, Value>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (name, new) = match s.split_once('=') {
        Some((name, new)) => (name.to_string(), Some(new)),
        None => (String::new(), None),
    };
    let spec = new.unwrap_or(s);
    let (rest, digest) = match spec.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (spec, None),
    };
    // A tag is after the last `:` that follows the last `/` (a registry may have a port).
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (image, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    let mut entry = Map::new();
    if new.is_some() {
        entry.insert("name".into(), name.into());
        if !image.is_empty() && image != "*" {
            entry.insert("newName".into(), image.into());
        }
    } else {
        entry.insert("name".into(), image.into());
    }
    if let Some(t) = tag {
        entry.insert("newTag".into(), t.into());
    }
    if let Some(d) = digest {
        entry.insert("digest".into(), d.into());
    }
    Some(entry)
}

#[cfg(test)]
mod tests {
    use super::image_entry;

    #[test]
    fn images_read_as_kustomize_edit_set_image_reads_them() {
        let e = |s: &str| serde_json::Value::Object(image_entry(s).unwrap_or_default());
        assert_eq!(
            e("nginx:1.25"),
            serde_json::json!({"name": "nginx", "newTag": "1.25"})
        );
        assert_eq!(
            e("nginx=registry.example:5000/web/nginx:1.25"),
            serde_json::json!({"name": "nginx", "newName": "registry.example:5000/web/nginx", "newTag": "1.25"})
        );
        assert_eq!(
            e("app@sha256:abc"),
            serde_json::json!({"name": "app", "digest": "sha256:abc"})
        );
        assert_eq!(
            e("app=*:2"),
            serde_json::json!({"name": "app", "newTag": "2"})
        );
    }
}
