//! Go text/template builtin functions.

use std::cmp::Ordering;

use super::{FuncMap, FuncResult, Param};
use crate::gofmt;
use crate::value::{Kind, Num, Value};

use Param::*;

pub(crate) fn register(m: &mut FuncMap) {
    m.add("and", &[Any], Some(Any), |a| {
        Ok(a.last().cloned().unwrap_or_default())
    });
    m.set_lazy("and", false);
    m.add("or", &[Any], Some(Any), |a| {
        Ok(a.last().cloned().unwrap_or_default())
    });
    m.set_lazy("or", true);
    m.add("not", &[Any], None, |a| Ok(Value::bool(!a[0].truthy())));
    m.add("len", &[Any], None, |a| length(&a[0]));
    m.add("index", &[Any], Some(Any), |a| index(&a[0], &a[1..]));
    m.add("slice", &[Any], Some(Any), |a| go_slice(&a[0], &a[1..]));
    m.add("print", &[], Some(Any), |a| {
        Ok(out_value(gofmt::sprint(&a)))
    });
    m.add("println", &[], Some(Any), |a| {
        Ok(out_value(gofmt::sprintln(&a)))
    });
    m.add("printf", &[Str], Some(Any), |a| {
        Ok(out_value(gofmt::sprintf(&a[0], &a[1..])))
    });
    m.add("html", &[], Some(Any), |a| {
        Ok(Value::str(html_escape(&eval_args(&a))))
    });
    m.add("js", &[], Some(Any), |a| {
        Ok(Value::str(js_escape(&eval_args(&a))))
    });
    m.add("urlquery", &[], Some(Any), |a| {
        Ok(Value::str(query_escape(&eval_args(&a))))
    });
    m.add("call", &[Any], Some(Any), |a| {
        Err(format!(
            "non-function {} of type {}",
            gofmt::format_v(&a[0]),
            a[0].type_name()
        )
        .into())
    });
    m.add("eq", &[Any], Some(Any), |a| {
        eq(&a[0], &a[1..]).map(Value::bool)
    });
    m.add("ne", &[Any, Any], None, |a| {
        eq(&a[0], &a[1..2]).map(|b| Value::bool(!b))
    });
    m.add("lt", &[Any, Any], None, |a| {
        lt(&a[0], &a[1]).map(Value::bool)
    });
    m.add("le", &[Any, Any], None, |a| {
        Ok(Value::bool(lt(&a[0], &a[1])? || eq(&a[0], &a[1..2])?))
    });
    m.add("gt", &[Any, Any], None, |a| {
        Ok(Value::bool(!(lt(&a[0], &a[1])? || eq(&a[0], &a[1..2])?)))
    });
    m.add("ge", &[Any, Any], None, |a| {
        Ok(Value::bool(!lt(&a[0], &a[1])?))
    });
}

pub(crate) fn out_value(o: crate::prov::Out) -> Value {
    let (t, p) = o.into_parts();
    Value::str(t).with_prov(p)
}

/// Go's `evalArgs`: a single string argument as is, otherwise `fmt.Sprint`.
fn eval_args(a: &[Value]) -> String {
    if a.len() == 1 {
        if let Some(s) = a[0].as_str() {
            return s.to_string();
        }
    }
    gofmt::sprint(a).text
}

fn length(v: &Value) -> FuncResult {
    match v.kind() {
        Kind::Str(s) => Ok(Value::int(s.len() as i64)),
        Kind::List(l) => Ok(Value::int(l.len() as i64)),
        Kind::Map(m) => Ok(Value::int(m.borrow().len() as i64)),
        Kind::Nil => Err("len of nil pointer".into()),
        Kind::Object(o) => match o.to_plain().kind() {
            Kind::List(l) => Ok(Value::int(l.len() as i64)),
            Kind::Map(m) => Ok(Value::int(m.borrow().len() as i64)),
            _ => Err(format!("len of type {}", v.type_name()).into()),
        },
        _ => Err(format!("len of type {}", v.type_name()).into()),
    }
}

/// A bad index of `index` (Go's `indexArg` messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum IndexError {
    #[error("cannot index slice/array with nil")]
    Nil,
    #[error("cannot index slice/array with type {0}")]
    NotAnInteger(String),
    #[error("index out of range: {0}")]
    OutOfRange(i64),
}

fn index_arg(i: &Value, len: usize) -> Result<usize, IndexError> {
    let x = match i.kind() {
        Kind::Int(x) | Kind::Int64(x) => *x,
        Kind::Uint64(u) => *u as i64,
        Kind::Nil => return Err(IndexError::Nil),
        _ => return Err(IndexError::NotAnInteger(i.type_name())),
    };
    if x < 0 || x as u64 >= len as u64 {
        return Err(IndexError::OutOfRange(x));
    }
    Ok(x as usize)
}

pub(crate) fn index(item: &Value, idx: &[Value]) -> FuncResult {
    if item.is_nil() {
        return Err("index of untyped nil".into());
    }
    let mut cur = item.clone();
    for i in idx {
        let next = match cur.kind() {
            Kind::Nil => return Err("index of nil pointer".into()),
            Kind::List(l) => l[index_arg(i, l.len())?].clone(),
            Kind::Str(s) => Value::int(i64::from(s.as_bytes()[index_arg(i, s.len())?])),
            Kind::Map(m) => match i.kind() {
                Kind::Str(k) => m.borrow().get(&**k).cloned().unwrap_or_default(),
                Kind::Nil => Value::nil(),
                _ => {
                    return Err(
                        format!("value has type {}; should be string", i.type_name()).into(),
                    )
                }
            },
            _ => return Err(format!("can't index item of type {}", cur.type_name()).into()),
        };
        cur = next;
    }
    Ok(cur)
}

fn go_slice(item: &Value, idx: &[Value]) -> FuncResult {
    if item.is_nil() {
        return Err("slice of untyped nil".into());
    }
    if idx.len() > 3 {
        return Err(format!("too many slice indexes: {}", idx.len()).into());
    }
    let len = match item.kind() {
        Kind::Str(s) => s.len(),
        Kind::List(l) => l.len(),
        _ => return Err(format!("can't slice item of type {}", item.type_name()).into()),
    };
    let mut ix = [0usize, len];
    for (k, i) in idx.iter().enumerate().take(2) {
        let x = match i.kind() {
            Kind::Int(x) | Kind::Int64(x) => *x,
            _ => {
                return Err(format!("cannot index slice/array with type {}", i.type_name()).into())
            }
        };
        if x < 0 || x as usize > len {
            return Err(format!("index out of range: {x}").into());
        }
        ix[k] = x as usize;
    }
    if ix[0] > ix[1] {
        return Err(format!("invalid slice index: {} > {}", ix[0], ix[1]).into());
    }
    match item.kind() {
        Kind::Str(s) => {
            let sub = s.get(ix[0]..ix[1]).unwrap_or("");
            Ok(Value::str(sub).with_prov(item.prov().slice(ix[0], ix[1])))
        }
        Kind::List(l) => Ok(Value::list(l[ix[0]..ix[1]].to_vec())),
        _ => Ok(Value::nil()),
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum BasicKind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Str,
    Other,
}

fn basic_kind(v: &Value) -> BasicKind {
    match v.kind() {
        Kind::Nil => BasicKind::Invalid,
        Kind::Bool(_) => BasicKind::Bool,
        Kind::Int(_) | Kind::Int64(_) => BasicKind::Int,
        Kind::Uint64(_) => BasicKind::Uint,
        Kind::Float(_) => BasicKind::Float,
        Kind::Str(_) => BasicKind::Str,
        _ => BasicKind::Other,
    }
}

fn num(v: &Value) -> Num {
    match v.kind() {
        Kind::Int(i) | Kind::Int64(i) => Num::I(*i),
        Kind::Uint64(u) => Num::U(*u),
        Kind::Float(f) => Num::F(*f),
        _ => Num::I(0),
    }
}

/// Go's `eq` builtin: true if `a` equals any of `bs`.
pub(crate) fn eq(a: &Value, bs: &[Value]) -> Result<bool, super::FuncError> {
    if bs.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a);
    for b in bs {
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (BasicKind::Int, BasicKind::Uint) | (BasicKind::Uint, BasicKind::Int) => {
                    num(a).cmp(num(b)) == Some(Ordering::Equal)
                }
                _ => {
                    if k1 != BasicKind::Invalid && k2 != BasicKind::Invalid {
                        return Err(format!(
                            "incompatible types for comparison: {} and {}",
                            a.type_name(),
                            b.type_name()
                        )
                        .into());
                    }
                    false
                }
            }
        } else {
            match k1 {
                BasicKind::Invalid => true,
                BasicKind::Bool | BasicKind::Str => crate::value::deep_equal(a, b),
                BasicKind::Int | BasicKind::Uint => num(a).cmp(num(b)) == Some(Ordering::Equal),
                BasicKind::Float => num(a).as_f64() == num(b).as_f64(),
                BasicKind::Other => match (a.kind(), b.kind()) {
                    (Kind::Time(x), Kind::Time(y)) => x == y,
                    (Kind::Object(_), Kind::Object(_)) => crate::value::deep_equal(a, b),
                    _ => {
                        if a.type_name() != b.type_name() {
                            return Err(format!(
                                "incompatible types for comparison: {} and {}",
                                a.type_name(),
                                b.type_name()
                            )
                            .into());
                        }
                        let shown = gofmt::sprintf(&Value::str("%s"), std::slice::from_ref(b)).text;
                        return Err(
                            format!("non-comparable type {shown}: {}", b.type_name()).into()
                        );
                    }
                },
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go's `lt` builtin.
pub(crate) fn lt(a: &Value, b: &Value) -> Result<bool, super::FuncError> {
    let k1 = basic_kind(a);
    let k2 = basic_kind(b);
    if matches!(k1, BasicKind::Invalid | BasicKind::Other)
        || matches!(k2, BasicKind::Invalid | BasicKind::Other)
    {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) | (BasicKind::Uint, BasicKind::Int) => {
                Ok(num(a).cmp(num(b)) == Some(Ordering::Less))
            }
            _ => Err(format!(
                "incompatible types for comparison: {} and {}",
                a.type_name(),
                b.type_name()
            )
            .into()),
        };
    }
    match k1 {
        BasicKind::Bool => Err("invalid type for comparison".into()),
        BasicKind::Str => Ok(a.as_str() < b.as_str()),
        _ => Ok(num(a).cmp(num(b)) == Some(Ordering::Less)),
    }
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => o.push_str("&#34;"),
            '\'' => o.push_str("&#39;"),
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\0' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            '"' => o.push_str("\\\""),
            '<' => o.push_str("\\u003C"),
            '>' => o.push_str("\\u003E"),
            '&' => o.push_str("\\u0026"),
            '=' => o.push_str("\\u003D"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04X}", c as u32)),
            c if !c.is_ascii() && !crate::lex::is_go_printable(c) => {
                o.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => o.push(c),
        }
    }
    o
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            b' ' => o.push('+'),
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}
