//! The value as go-yaml's encoder sees it: sigs.k8s.io/yaml's JSON round trip (numbers are
//! printed as JSON, then read back), scalars keeping their provenance, mapping keys in
//! go-yaml v2's order.

use std::rc::Rc;

use super::emit::EmitError;
use crate::gofmt::format_float_g_shortest;
use crate::json::json_float;
use crate::parse::{parse_go_int, parse_go_uint};
use crate::prov::Prov;
use crate::value::{Kind, Value};

#[derive(Debug)]
pub(super) enum Node {
    Null(Prov),
    Bool(bool, Prov),
    Num(String, Prov),
    Str(Rc<str>, Prov),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// The JSON round trip of sigs.k8s.io/yaml: numbers are printed as JSON then resolved.
pub(super) fn to_node(v: &Value, depth: usize, json: bool) -> Result<Node, EmitError> {
    if depth > 1000 {
        return Err(EmitError::TooDeep);
    }
    let p = || match v.kind() {
        Kind::List(_) | Kind::Map(_) => Prov::None,
        _ => v.prov().clone(),
    };
    Ok(match v.kind() {
        Kind::Nil => Node::Null(p()),
        Kind::Bool(b) => Node::Bool(*b, p()),
        Kind::Int(i) | Kind::Int64(i) => Node::Num(i.to_string(), p()),
        Kind::Uint64(u) => Node::Num(u.to_string(), p()),
        Kind::Float(f) if !json => {
            let t = match format_float_g_shortest(*f).as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                s => s.to_string(),
            };
            Node::Num(t, p())
        }
        Kind::Float(f) => {
            let j = json_float(*f)?;
            let text = if let Some(i) = parse_go_int(&j) {
                i.to_string()
            } else if let Some(u) = parse_go_uint(&j) {
                u.to_string()
            } else {
                let f: f64 = j.parse().map_err(|_| EmitError::BadFloat(j.clone()))?;
                format_float_g_shortest(f)
            };
            Node::Num(text, p())
        }
        Kind::Str(s) => Node::Str(s.clone(), p()),
        Kind::List(l) => Node::Seq(
            l.iter()
                .map(|x| to_node(x, depth + 1, json))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Map(m) => {
            let mut items: Vec<(String, Node)> = m
                .borrow()
                .iter()
                .map(|(k, x)| Ok((k.clone(), to_node(x, depth + 1, json)?)))
                .collect::<Result<_, EmitError>>()?;
            items.sort_by(|a, b| key_cmp(&a.0, &b.0));
            Node::Map(items)
        }
        Kind::Time(t) => Node::Str(
            crate::funcs::date::go_format(t, "2006-01-02T15:04:05.999999999Z07:00").into(),
            p(),
        ),
        Kind::Object(o) => to_node(&o.to_plain(), depth + 1, json)?,
    })
}

/// go-yaml v2's `keyList.Less` for string keys.
fn key_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Less } else { Greater };
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_is_natural() {
        let mut keys = vec![
            "ab10", "ab1", "ab01", "a2", "a10", "B", "_x", "1x", "#c", "-a",
        ];
        keys.sort_by(|a, b| key_cmp(a, b));
        assert_eq!(
            keys,
            ["#c", "-a", "_x", "1x", "B", "a2", "a10", "ab1", "ab01", "ab10"]
        );
    }
}
