//! `replacements`: a value read from one resource (`source`: a resource selector and a
//! `fieldPath`, default `metadata.name`) copied into fields of others (`targets`: `select`,
//! `reject`, `fieldPaths`), after the kustomization's other transformers. Options: with a
//! `delimiter`, the part at `index` of the source's string is read, and the part at `index`
//! of the target's string is replaced (an index past the end appends, a negative one
//! prepends); `create` makes a missing target field. Entries may be inline or `path:` files
//! (a list of replacements). The copied value keeps the place the source resource wrote it,
//! marked as the value that decided.
//!
//! Field paths: segments separated by `.` (not inside `[…]`): a key, `[key=value]` (the item
//! of a sequence whose field has that value), `*` (every item), a number (the item at that
//! index), `[a.b]` (a key holding dots).

use std::path::Path;

use serde_json::Value;

use super::node::{Kind, Node, Origin};
use super::patch::Target;
use super::read::Kustomization;
use super::{BuildError, Builder, Res};

/// `replacements` of a kustomization, in order.
pub(super) fn replacements(
    b: &mut Builder,
    dir: &Path,
    k: &Kustomization,
    acc: &mut [Res],
) -> Result<(), BuildError> {
    let Some(items) = k.get("replacements").and_then(Value::as_array).cloned() else {
        return Ok(());
    };
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("/replacements/{i}");
        let range = k.range(&pointer);
        let list: Vec<Value> = match item.get("path").and_then(Value::as_str) {
            Some(p) => {
                let text = b.patch_documents(dir, k, Some(p), None)?;
                text.docs
                    .into_iter()
                    .flat_map(|d| match d.value {
                        Value::Array(items) => items,
                        other => vec![other],
                    })
                    .collect()
            }
            None => vec![item.clone()],
        };
        for r in &list {
            one(b, k, range, r, acc)?;
        }
    }
    Ok(())
}

/// A replacement's options: `delimiter`, `index`, `create`.
struct Options {
    delimiter: Option<String>,
    index: i64,
    create: bool,
}

impl Options {
    fn of(v: Option<&Value>) -> Options {
        let v = v.cloned().unwrap_or(Value::Null);
        Options {
            delimiter: v
                .get("delimiter")
                .and_then(Value::as_str)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            index: v.get("index").and_then(Value::as_i64).unwrap_or(0),
            create: v.get("create").and_then(Value::as_bool) == Some(true),
        }
    }
}

fn one(
    b: &Builder,
    k: &Kustomization,
    range: crate::source::ByteRange,
    r: &Value,
    acc: &mut [Res],
) -> Result<(), BuildError> {
    let err = |en: String, fr: String| b.error(&k.file, range, en, fr);
    let Some(source) = r.get("source") else {
        return Err(err(
            "a replacement needs a `source`".into(),
            "un remplacement demande une `source`".into(),
        ));
    };
    let selector = Target::of(source);
    let found: Vec<&Res> = acc.iter().filter(|x| selector.matches(x)).collect();
    let [from] = found.as_slice() else {
        return Err(err(
            format!(
                "the source of a replacement must match one resource, it matches {}",
                found.len()
            ),
            format!(
                "la source d'un remplacement doit désigner une ressource, elle en désigne {}",
                found.len()
            ),
        ));
    };
    let path = source
        .get("fieldPath")
        .and_then(Value::as_str)
        .unwrap_or("metadata.name");
    let Some(mut value) = lookup(&from.node, &segments(path))
        .into_iter()
        .next()
        .cloned()
    else {
        return Err(err(
            format!("the source field `{path}` of a replacement is not there"),
            format!("le champ source `{path}` d'un remplacement est absent"),
        ));
    };
    let opts = Options::of(source.get("options"));
    if let (Some(d), Some(s)) = (&opts.delimiter, value.as_str()) {
        let parts: Vec<&str> = s.split(d.as_str()).collect();
        let Some(part) = usize::try_from(opts.index).ok().and_then(|i| parts.get(i)) else {
            return Err(err(
                format!(
                    "options.index {} is out of bounds of the source value `{s}`",
                    opts.index
                ),
                format!(
                    "options.index {} dépasse la valeur source `{s}`",
                    opts.index
                ),
            ));
        };
        value = Node::string(part, value.origin.clone());
    }
    value.origin = value.origin.as_ref().map(Origin::as_set);
    let Some(targets) = r.get("targets").and_then(Value::as_array) else {
        return Ok(());
    };
    for t in targets {
        let select = t.get("select").map(Target::of).unwrap_or_default();
        let rejects: Vec<Target> = t
            .get("reject")
            .and_then(Value::as_array)
            .map(|l| l.iter().map(Target::of).collect())
            .unwrap_or_default();
        let opts = Options::of(t.get("options"));
        let paths: Vec<&str> = t
            .get("fieldPaths")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for res in acc
            .iter_mut()
            .filter(|x| select.matches(x) && !rejects.iter().any(|rj| rj.matches(x)))
        {
            for p in &paths {
                let segs = segments(p);
                if lookup(&res.node, &segs).is_empty() {
                    if opts.create {
                        if let Some(n) = create(&mut res.node, &segs, value.origin.as_ref()) {
                            put(n, &value, &opts);
                        }
                    }
                    continue;
                }
                for n in lookup_mut(&mut res.node, &segs) {
                    put(n, &value, &opts);
                }
            }
        }
    }
    Ok(())
}

/// Set a target node to the value (or the part at `index` of its delimited string).
fn put(target: &mut Node, value: &Node, opts: &Options) {
    let Some(d) = &opts.delimiter else {
        *target = value.clone();
        return;
    };
    let text = match &value.kind {
        Kind::Scalar(Value::String(s)) => s.clone(),
        Kind::Scalar(other) => other.to_string(),
        _ => return,
    };
    let current = target.as_str().unwrap_or("").to_string();
    let mut parts: Vec<String> = current.split(d.as_str()).map(str::to_string).collect();
    match usize::try_from(opts.index) {
        Ok(i) if i < parts.len() => parts[i] = text,
        Ok(_) => parts.push(text),
        Err(_) => parts.insert(0, text),
    }
    *target = Node::string(&parts.join(d), value.origin.clone());
}

/// A field path's segments (`.` outside brackets).
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c)
            }
            ']' => {
                depth -= 1;
                cur.push(c)
            }
            '.' if depth == 0 => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// What a segment selects.
enum Seg<'a> {
    Key(&'a str),
    Match(&'a str, &'a str),
    All,
    Index(usize),
}

fn seg(s: &str) -> Seg<'_> {
    if s == "*" {
        return Seg::All;
    }
    if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        return match inner.split_once('=') {
            Some((k, v)) => Seg::Match(k, v),
            None => Seg::Key(inner),
        };
    }
    match s.parse::<usize>() {
        Ok(i) => Seg::Index(i),
        Err(_) => Seg::Key(s),
    }
}

fn item_matches(item: &Node, key: &str, value: &str) -> bool {
    let scalar = |n: &Node| match &n.kind {
        Kind::Scalar(Value::String(s)) => Some(s.clone()),
        Kind::Scalar(v) => Some(v.to_string()),
        _ => None,
    };
    if key.is_empty() {
        return scalar(item).as_deref() == Some(value);
    }
    item.get(key).and_then(scalar).as_deref() == Some(value)
}

/// The nodes a path reaches.
fn lookup<'a>(node: &'a Node, segs: &[String]) -> Vec<&'a Node> {
    let Some((first, rest)) = segs.split_first() else {
        return vec![node];
    };
    let next: Vec<&Node> = match (seg(first), &node.kind) {
        (Seg::Key(k), Kind::Map(_)) => node.get(k).into_iter().collect(),
        (Seg::Match(k, v), Kind::Seq(items)) => {
            items.iter().filter(|i| item_matches(i, k, v)).collect()
        }
        (Seg::All, Kind::Seq(items)) => items.iter().collect(),
        (Seg::All, Kind::Map(entries)) => entries.iter().map(|e| &e.value).collect(),
        (Seg::Index(i), Kind::Seq(items)) => items.get(i).into_iter().collect(),
        (Seg::Index(_), Kind::Map(_)) => node.get(first).into_iter().collect(),
        _ => Vec::new(),
    };
    next.into_iter().flat_map(|n| lookup(n, rest)).collect()
}

/// The nodes a path reaches, to change.
fn lookup_mut<'a>(node: &'a mut Node, segs: &[String]) -> Vec<&'a mut Node> {
    let Some((first, rest)) = segs.split_first() else {
        return vec![node];
    };
    let is_map = matches!(node.kind, Kind::Map(_));
    let next: Vec<&mut Node> = match (seg(first), &mut node.kind) {
        (Seg::Key(k), Kind::Map(entries)) => entries
            .iter_mut()
            .filter(|e| e.key == k)
            .map(|e| &mut e.value)
            .collect(),
        (Seg::Match(k, v), Kind::Seq(items)) => {
            items.iter_mut().filter(|i| item_matches(i, k, v)).collect()
        }
        (Seg::All, Kind::Seq(items)) => items.iter_mut().collect(),
        (Seg::All, Kind::Map(entries)) => entries.iter_mut().map(|e| &mut e.value).collect(),
        (Seg::Index(i), Kind::Seq(items)) => items.get_mut(i).into_iter().collect(),
        (Seg::Index(_), Kind::Map(entries)) if is_map => entries
            .iter_mut()
            .filter(|e| e.key == *first)
            .map(|e| &mut e.value)
            .collect(),
        _ => Vec::new(),
    };
    next.into_iter().flat_map(|n| lookup_mut(n, rest)).collect()
}

/// Make the path's missing fields (keys as mappings, `[k=v]` as an item with that field).
fn create<'a>(
    node: &'a mut Node,
    segs: &[String],
    origin: Option<&Origin>,
) -> Option<&'a mut Node> {
    let Some((first, rest)) = segs.split_first() else {
        return Some(node);
    };
    let leaf = rest.is_empty();
    match seg(first) {
        Seg::Key(k) => {
            if node.get(k).is_none() {
                let empty = if leaf {
                    Node {
                        kind: Kind::Scalar(Value::Null),
                        origin: origin.cloned(),
                    }
                } else if rest
                    .first()
                    .is_some_and(|r| matches!(seg(r), Seg::Match(..)))
                {
                    Node {
                        kind: Kind::Seq(Vec::new()),
                        origin: origin.cloned(),
                    }
                } else {
                    Node {
                        kind: Kind::Map(Vec::new()),
                        origin: origin.cloned(),
                    }
                };
                node.set(k, empty, origin.cloned());
            }
            create(node.get_mut(k)?, rest, origin)
        }
        Seg::Match(k, v) => {
            let items = node.items_mut()?;
            let i = match items.iter().position(|i| item_matches(i, k, v)) {
                Some(i) => i,
                None => {
                    let mut item = Node::map();
                    item.set(k, Node::string(v, origin.cloned()), origin.cloned());
                    items.push(item);
                    items.len() - 1
                }
            };
            create(items.get_mut(i)?, rest, origin)
        }
        Seg::Index(i) => create(node.items_mut()?.get_mut(i)?, rest, origin),
        Seg::All => None,
    }
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn field_paths_split_outside_brackets() {
        assert_eq!(
            segments("spec.template.spec.containers.[name=web].image"),
            [
                "spec",
                "template",
                "spec",
                "containers",
                "[name=web]",
                "image"
            ]
        );
        assert_eq!(
            segments("metadata.annotations.[config.kubernetes.io/x]"),
            ["metadata", "annotations", "[config.kubernetes.io/x]"]
        );
    }
}
