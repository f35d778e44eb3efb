//! Sprig dictionary functions (`dict`, `set`, `merge`, `dig`, ...). Maps are shared
//! references like Go maps: `set`, `unset` and `merge*` mutate their first argument.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{is_empty, s, strval, FuncError, FuncMap, Param};
use crate::value::{Kind, MapRef, Value};

use Param::*;

fn map_ref(v: &Value) -> Option<MapRef> {
    match v.kind() {
        Kind::Map(m) => Some(m.clone()),
        _ => None,
    }
}

/// Deep copy with fresh maps.
pub(crate) fn deep_copy(v: &Value) -> Value {
    deep_copy_depth(v, 0)
}

fn deep_copy_depth(v: &Value, depth: usize) -> Value {
    if depth > 1000 {
        return Value::nil();
    }
    match v.kind() {
        Kind::Map(m) => {
            let c: BTreeMap<String, Value> = m
                .borrow()
                .iter()
                .map(|(k, x)| (k.clone(), deep_copy_depth(x, depth + 1)))
                .collect();
            Value::map(c).with_prov(v.prov().clone())
        }
        Kind::List(l) => Value::list(l.iter().map(|x| deep_copy_depth(x, depth + 1)).collect()),
        _ => v.clone(),
    }
}

/// mergo-style merge of `src` into `dst` (see the crate README for the rules).
pub(crate) fn merge_into(dst: &MapRef, src: &MapRef, overwrite: bool, depth: usize) {
    if depth > 100 || Rc::ptr_eq(dst, src) {
        return;
    }
    let src_items: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, sv) in src_items {
        let dv = dst.borrow().get(&k).cloned();
        if sv.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(k, sv);
            }
            continue;
        }
        if let (Kind::Map(sm), Some(Kind::Map(dm))) = (sv.kind(), dv.as_ref().map(Value::kind)) {
            merge_into(dm, sm, overwrite, depth + 1);
            continue;
        }
        let set = match &dv {
            None => true,
            Some(d) => overwrite || is_empty(d),
        };
        if set {
            dst.borrow_mut().insert(k, sv);
        }
    }
}

fn dig(keys: &[Value], default: &Value, m: &Value) -> Result<Value, FuncError> {
    let Some((first, rest)) = keys.split_first() else {
        return Ok(m.clone());
    };
    let Kind::Map(mm) = m.kind() else {
        return Err(format!("dig: expected a map, got {}", m.type_name()).into());
    };
    let k = strval(first);
    let found = mm.borrow().get(&k).cloned();
    match found {
        Some(v) => {
            if rest.is_empty() {
                Ok(v)
            } else {
                match v.kind() {
                    Kind::Map(_) => dig(rest, default, &v),
                    Kind::Nil => Err(
                        "interface conversion: interface {} is nil, not map[string]interface {}"
                            .into(),
                    ),
                    _ => Err(format!(
                        "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                        v.type_name()
                    )
                    .into()),
                }
            }
        }
        None => Ok(default.clone()),
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    m.add("dict", &[], Some(Any), |a| {
        let mut map = BTreeMap::new();
        let mut it = a.chunks(2);
        for pair in &mut it {
            let k = strval(&pair[0]);
            let v = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
            map.insert(k, v);
        }
        Ok(Value::map(map))
    });
    m.add("get", &[Map, Str], None, |a| {
        let v = a[0]
            .as_map()
            .and_then(|m| m.get(s(&a[1])).cloned())
            .unwrap_or_else(|| Value::str(""));
        Ok(v)
    });
    m.add("set", &[Map, Str, Any], None, |a| {
        let Some(mr) = map_ref(&a[0]) else {
            return Err("assignment to entry in nil map".into());
        };
        mr.borrow_mut().insert(s(&a[1]).to_string(), a[2].clone());
        Ok(a[0].clone())
    });
    m.add("unset", &[Map, Str], None, |a| {
        if let Some(mr) = map_ref(&a[0]) {
            mr.borrow_mut().remove(s(&a[1]));
        }
        Ok(a[0].clone())
    });
    m.add("hasKey", &[Map, Str], None, |a| {
        Ok(Value::bool(
            a[0].as_map().is_some_and(|m| m.contains_key(s(&a[1]))),
        ))
    });
    m.add("pluck", &[Str], Some(Map), |a| {
        let k = s(&a[0]);
        Ok(Value::list(
            a[1..]
                .iter()
                .filter_map(|d| d.as_map().and_then(|m| m.get(k).cloned()))
                .collect(),
        ))
    });
    m.add("keys", &[], Some(Map), |a| {
        let mut out = Vec::new();
        for d in &a {
            if let Some(m) = d.as_map() {
                out.extend(m.keys().map(|k| Value::str(k.as_str())));
            }
        }
        Ok(Value::list(out))
    });
    m.add("values", &[Map], None, |a| {
        Ok(Value::list(
            a[0].as_map()
                .map(|m| m.values().cloned().collect())
                .unwrap_or_default(),
        ))
    });
    m.add("pick", &[Map], Some(Str), |a| {
        let mut out = BTreeMap::new();
        if let Some(m) = a[0].as_map() {
            for k in &a[1..] {
                if let Some(v) = m.get(s(k)) {
                    out.insert(s(k).to_string(), v.clone());
                }
            }
        }
        Ok(Value::map(out))
    });
    m.add("omit", &[Map], Some(Str), |a| {
        let mut out = BTreeMap::new();
        if let Some(m) = a[0].as_map() {
            for (k, v) in m.iter() {
                if !a[1..].iter().any(|x| s(x) == k) {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        Ok(Value::map(out))
    });
    m.add("deepCopy", &[Any], None, |a| Ok(deep_copy(&a[0])));
    m.add("mustDeepCopy", &[Any], None, |a| Ok(deep_copy(&a[0])));
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        m.add(name, &[Map], Some(Map), move |a| {
            let dst = match map_ref(&a[0]) {
                Some(d) => d,
                None => Rc::new(RefCell::new(BTreeMap::new())),
            };
            for src in &a[1..] {
                if let Some(sm) = map_ref(src) {
                    merge_into(&dst, &sm, overwrite, 0);
                }
            }
            Ok(Value::new(Kind::Map(dst)))
        });
    }
    m.add("dig", &[Any], Some(Any), |a| {
        if a.len() < 3 {
            return Err("dig needs at least three arguments".into());
        }
        let n = a.len();
        dig(&a[..n - 2], &a[n - 2], &a[n - 1])
    });
}
