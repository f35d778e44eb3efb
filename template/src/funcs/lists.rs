//! Sprig list functions. The `must*` variants share the implementation: Go's
//! template engine turns the panics of the plain variants into errors anyway.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{i, is_empty, strval, FuncMap, FuncResult, Param};
use crate::value::{deep_equal, Kind, Value};

use Param::*;

fn items(v: &Value, what: &str) -> Result<Vec<Value>, super::FuncError> {
    match v.kind() {
        Kind::List(l) => Ok(l.as_ref().clone()),
        Kind::Nil => Err(format!("Cannot {what} on type <nil>").into()),
        _ => Err(format!("Cannot {what} on type {}", v.type_name()).into()),
    }
}

fn both(
    m: &mut FuncMap,
    name: &str,
    params: &[Param],
    var: Option<Param>,
    f: fn(Vec<Value>) -> FuncResult,
) {
    m.add(name, params, var, f);
    let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    m.add(&must, params, var, f);
}

fn in_list(l: &[Value], v: &Value) -> bool {
    l.iter().any(|x| deep_equal(x, v))
}

/// The items of `l` without repeats, in order (Sprig's `uniq`: deep equality). Items are
/// bucketed by a hash of their content, so each is compared only with the kept items that
/// hash alike: linear, where comparing with every kept item was quadratic.
fn uniq(l: Vec<Value>) -> Vec<Value> {
    let mut kept: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut out: Vec<Value> = Vec::new();
    for v in l {
        let bucket = kept.entry(content_hash(&v)).or_default();
        if !bucket.iter().any(|&k| deep_equal(&out[k], &v)) {
            bucket.push(out.len());
            out.push(v);
        }
    }
    out
}

/// A hash of a value's content, equal for values [`deep_equal`] finds equal.
fn content_hash(v: &Value) -> u64 {
    let mut h = DefaultHasher::new();
    hash_content(v, 0, &mut h);
    h.finish()
}

/// Nesting hashed; deeper parts are left out (values equal above it still hash alike).
const MAX_HASH_DEPTH: usize = 64;

fn hash_content(v: &Value, depth: usize, h: &mut DefaultHasher) {
    if depth > MAX_HASH_DEPTH {
        return;
    }
    match v.kind() {
        Kind::Nil => 0u8.hash(h),
        Kind::Bool(b) => (1u8, b).hash(h),
        Kind::Int(i) => (2u8, i).hash(h),
        Kind::Int64(i) => (3u8, i).hash(h),
        Kind::Uint64(u) => (4u8, u).hash(h),
        // `0.0 == -0.0`: one hash for both; NaN equals nothing, any hash will do.
        Kind::Float(f) => (5u8, if *f == 0.0 { 0 } else { f.to_bits() }).hash(h),
        Kind::Str(s) => (6u8, s.as_ref()).hash(h),
        Kind::List(l) => {
            (7u8, l.len()).hash(h);
            for x in l.iter() {
                hash_content(x, depth + 1, h);
            }
        }
        Kind::Map(m) => {
            let m = m.borrow();
            (8u8, m.len()).hash(h);
            for (k, x) in m.iter() {
                k.hash(h);
                hash_content(x, depth + 1, h);
            }
        }
        Kind::Time(t) => (9u8, t.unix_nanos, t.offset).hash(h),
        // Objects are equal only to themselves.
        Kind::Object(o) => (10u8, std::rc::Rc::as_ptr(o).cast::<()>() as usize).hash(h),
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    m.add("list", &[], Some(Any), |a| Ok(Value::list(a)));
    m.add("tuple", &[], Some(Any), |a| Ok(Value::list(a)));
    both(m, "push", &[Any, Any], None, |a| {
        let mut l = items(&a[0], "push")?;
        l.push(a[1].clone());
        Ok(Value::list(l))
    });
    both(m, "append", &[Any, Any], None, |a| {
        let mut l = items(&a[0], "append")?;
        l.push(a[1].clone());
        Ok(Value::list(l))
    });
    both(m, "prepend", &[Any, Any], None, |a| {
        let mut l = items(&a[0], "prepend")?;
        l.insert(0, a[1].clone());
        Ok(Value::list(l))
    });
    both(m, "first", &[Any], None, |a| {
        Ok(items(&a[0], "find first")?
            .into_iter()
            .next()
            .unwrap_or_default())
    });
    both(m, "last", &[Any], None, |a| {
        Ok(items(&a[0], "find last")?.pop().unwrap_or_default())
    });
    both(m, "rest", &[Any], None, |a| {
        let l = items(&a[0], "find rest")?;
        if l.is_empty() {
            // A typed nil slice: prints as [].
            return Ok(Value::list(Vec::new()));
        }
        Ok(Value::list(l[1..].to_vec()))
    });
    both(m, "initial", &[Any], None, |a| {
        let l = items(&a[0], "find initial")?;
        if l.is_empty() {
            return Ok(Value::list(Vec::new()));
        }
        Ok(Value::list(l[..l.len() - 1].to_vec()))
    });
    both(m, "reverse", &[Any], None, |a| {
        let mut l = items(&a[0], "find reverse")?;
        l.reverse();
        Ok(Value::list(l))
    });
    both(m, "uniq", &[Any], None, |a| {
        Ok(Value::list(uniq(items(&a[0], "find uniq")?)))
    });
    both(m, "without", &[Any], Some(Any), |a| {
        let l = items(&a[0], "find without")?;
        Ok(Value::list(
            l.into_iter().filter(|v| !in_list(&a[1..], v)).collect(),
        ))
    });
    both(m, "has", &[Any, Any], None, |a| {
        if a[1].is_nil() {
            return Ok(Value::bool(false));
        }
        let l = items(&a[1], "find has")?;
        Ok(Value::bool(in_list(&l, &a[0])))
    });
    both(m, "compact", &[Any], None, |a| {
        let l = items(&a[0], "compact")?;
        Ok(Value::list(
            l.into_iter().filter(|v| !is_empty(v)).collect(),
        ))
    });
    both(m, "slice", &[Any], Some(Any), |a| {
        let l = items(&a[0], "slice")?;
        let len = l.len() as i64;
        let idx: Vec<i64> = a[1..].iter().map(super::to_int64).collect();
        let (x, y) = match idx.len() {
            0 => (0, len),
            1 => (idx[0], len),
            _ => (idx[0], idx[1]),
        };
        if x < 0 || y > len || x > y {
            return Err(format!("slice bounds out of range [{x}:{y}]").into());
        }
        Ok(Value::list(l[x as usize..y as usize].to_vec()))
    });
    both(m, "chunk", &[Int, Any], None, |a| {
        let size = i(&a[0]);
        let l = items(&a[1], "chunk")?;
        if size <= 0 {
            return Err("chunk size must be positive".into());
        }
        Ok(Value::list(
            l.chunks(size as usize)
                .map(|c| Value::list(c.to_vec()))
                .collect(),
        ))
    });
    m.add("concat", &[], Some(Any), |a| {
        let mut out = Vec::new();
        for v in &a {
            match v.kind() {
                Kind::List(l) => out.extend(l.iter().cloned()),
                _ => return Err(format!("Cannot concat type {} as list", v.type_name()).into()),
            }
        }
        Ok(Value::list(out))
    });
    m.add("until", &[Int], None, |a| {
        let n = i(&a[0]);
        let step: i64 = if n < 0 { -1 } else { 1 };
        untilstep(0, n, step)
    });
    m.add("untilStep", &[Int, Int, Int], None, |a| {
        untilstep(i(&a[0]), i(&a[1]), i(&a[2]))
    });
    m.add("seq", &[], Some(Int), |a| {
        let p: Vec<i64> = a.iter().map(i).collect();
        let (start, end, step) = match p.len() {
            0 => return Ok(Value::str("")),
            1 => (1, p[0], if p[0] < 1 { -1 } else { 1 }),
            2 => (p[0], p[1], if p[1] < p[0] { -1 } else { 1 }),
            _ => (p[0], p[2], p[1]),
        };
        let l = untilstep(start, end + if step > 0 { 1 } else { -1 }, step)?;
        let parts: Vec<String> = l.as_list().unwrap_or(&[]).iter().map(strval).collect();
        Ok(Value::str(parts.join(" ")))
    });
}

fn untilstep(start: i64, stop: i64, step: i64) -> FuncResult {
    let mut v = Vec::new();
    if step == 0 || (stop < start && step > 0) || (stop > start && step < 0) {
        return Ok(Value::list(v));
    }
    let count = ((stop - start).unsigned_abs() / step.unsigned_abs()) as usize;
    if count > 10_000_000 {
        return Err("untilStep: too many elements".into());
    }
    let mut x = start;
    while (step > 0 && x < stop) || (step < 0 && x > stop) {
        v.push(Value::int(x));
        x += step;
    }
    Ok(Value::list(v))
}
