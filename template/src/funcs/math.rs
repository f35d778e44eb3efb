//! Sprig math and conversion functions (`cast`-style conversions).

use super::{i, s, strval, to_float64, to_int64, FuncMap, Param};
use crate::value::{Kind, Value};

use Param::*;

/// Rounds like Sprig's `round` (half away from zero at the given precision).
fn round(x: f64, places: i64, half: f64) -> f64 {
    let pow = 10f64.powi(places as i32);
    let d = x * pow;
    let (int, frac) = (d.trunc(), d.fract());
    let r = if frac.abs() >= half {
        int + d.signum()
    } else {
        int
    };
    r / pow
}

pub(crate) fn register(m: &mut FuncMap) {
    m.add("add1", &[Any], None, |a| {
        Ok(Value::int64(to_int64(&a[0]).wrapping_add(1)))
    });
    m.add("add", &[], Some(Any), |a| {
        Ok(Value::int64(
            a.iter().fold(0i64, |x, v| x.wrapping_add(to_int64(v))),
        ))
    });
    m.add("sub", &[Any, Any], None, |a| {
        Ok(Value::int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    m.add("mul", &[Any], Some(Any), |a| {
        Ok(Value::int64(
            a.iter().fold(1i64, |x, v| x.wrapping_mul(to_int64(v))),
        ))
    });
    m.add("div", &[Any, Any], None, |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::int64(to_int64(&a[0]).wrapping_div(d)))
    });
    m.add("mod", &[Any, Any], None, |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::int64(to_int64(&a[0]).wrapping_rem(d)))
    });
    m.add("max", &[Any], Some(Any), |a| {
        Ok(Value::int64(a.iter().map(to_int64).max().unwrap_or(0)))
    });
    m.alias("biggest", "max");
    m.add("min", &[Any], Some(Any), |a| {
        Ok(Value::int64(a.iter().map(to_int64).min().unwrap_or(0)))
    });
    m.add("add1f", &[Any], None, |a| {
        Ok(Value::float(to_float64(&a[0]) + 1.0))
    });
    m.add("addf", &[], Some(Any), |a| {
        Ok(Value::float(a.iter().map(to_float64).sum()))
    });
    m.add("subf", &[Any], Some(Any), |a| {
        let mut x = to_float64(&a[0]);
        for v in &a[1..] {
            x -= to_float64(v);
        }
        Ok(Value::float(x))
    });
    m.add("mulf", &[Any], Some(Any), |a| {
        Ok(Value::float(a.iter().map(to_float64).product()))
    });
    m.add("divf", &[Any], Some(Any), |a| {
        let mut x = to_float64(&a[0]);
        for v in &a[1..] {
            let d = to_float64(v);
            if d == 0.0 {
                return Err("division by zero".into());
            }
            x /= d;
        }
        Ok(Value::float(x))
    });
    m.add("maxf", &[Any], Some(Any), |a| {
        Ok(Value::float(
            a.iter().map(to_float64).fold(f64::NEG_INFINITY, f64::max),
        ))
    });
    m.add("minf", &[Any], Some(Any), |a| {
        Ok(Value::float(
            a.iter().map(to_float64).fold(f64::INFINITY, f64::min),
        ))
    });
    m.add("floor", &[Any], None, |a| {
        Ok(Value::float(to_float64(&a[0]).floor()))
    });
    m.add("ceil", &[Any], None, |a| {
        Ok(Value::float(to_float64(&a[0]).ceil()))
    });
    m.add("round", &[Any, Int], Some(Any), |a| {
        let half = a.get(2).map(to_float64).unwrap_or(0.5);
        Ok(Value::float(round(to_float64(&a[0]), i(&a[1]), half)))
    });
    m.add("int", &[Any], None, |a| {
        Ok(Value::int(to_int64(&a[0])).with_prov(a[0].prov().clone()))
    });
    m.add("int64", &[Any], None, |a| {
        Ok(Value::int64(to_int64(&a[0])).with_prov(a[0].prov().clone()))
    });
    m.add("float64", &[Any], None, |a| {
        Ok(Value::float(to_float64(&a[0])).with_prov(a[0].prov().clone()))
    });
    m.add("atoi", &[Str], None, |a| {
        Ok(Value::int(
            s(&a[0]).trim_start_matches('+').parse::<i64>().unwrap_or(0),
        ))
    });
    m.add("toDecimal", &[Any], None, |a| {
        let t = strval(&a[0]);
        Ok(Value::int64(i64::from_str_radix(&t, 8).unwrap_or(0)))
    });
    m.insert("randInt", &[Int, Int], None, |c, a| {
        let (lo, hi) = (i(&a[0]), i(&a[1]));
        if hi <= lo {
            return Err("invalid argument to Intn".into());
        }
        let span = (hi - lo) as u64;
        Ok(Value::int(lo + (c.rand_u64() % span) as i64))
    });
    m.add("kindIs", &[Str, Any], None, |a| {
        Ok(Value::bool(a[1].kind_name() == s(&a[0])))
    });
    m.add("kindOf", &[Any], None, |a| Ok(Value::str(a[0].kind_name())));
    m.add("typeIs", &[Str, Any], None, |a| {
        Ok(Value::bool(a[1].type_name() == s(&a[0])))
    });
    m.add("typeIsLike", &[Str, Any], None, |a| {
        let t = a[1].type_name();
        Ok(Value::bool(t == s(&a[0]) || format!("*{t}") == s(&a[0])))
    });
    m.add("typeOf", &[Any], None, |a| Ok(Value::str(a[0].type_name())));
    m.add("deepEqual", &[Any, Any], None, |a| {
        Ok(Value::bool(crate::value::deep_equal(&a[0], &a[1])))
    });
    m.add("empty", &[Any], None, |a| {
        Ok(Value::bool(super::is_empty(&a[0])))
    });
    m.add("default", &[Any], Some(Any), |a| match a.get(1) {
        Some(g) if !super::is_empty(g) => Ok(g.clone()),
        _ => Ok(a[0].clone()),
    });
    m.add("coalesce", &[], Some(Any), |a| {
        Ok(a.iter()
            .find(|v| !super::is_empty(v))
            .cloned()
            .unwrap_or_default())
    });
    m.add("all", &[], Some(Any), |a| {
        Ok(Value::bool(a.iter().all(|v| !super::is_empty(v))))
    });
    m.add("any", &[], Some(Any), |a| {
        Ok(Value::bool(a.iter().any(|v| !super::is_empty(v))))
    });
    m.add("ternary", &[Any, Any, Bool], None, |a| {
        Ok(if matches!(a[2].kind(), Kind::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
}
