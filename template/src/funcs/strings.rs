//! Sprig string functions.

use super::{i, s, strslice, strval, strval_value, CallCtx, FuncMap, FuncResult, Param};
use crate::lex::go_quote;
use crate::prov::{Out, Prov};
use crate::value::{Kind, Value};

use Param::*;

/// Largest string a function whose output can be far larger than its inputs (`repeat`,
/// `indent`, `replace`, `join`) builds; past it the function fails before allocating. The
/// executor also bounds every value a function returns (`Limits::max_value_size`).
const MAX_BUILT: usize = 64 << 20;

fn too_large(what: &str) -> super::FuncError {
    format!("{what}: output too large").into()
}

/// A string value whose provenance is the slice `[a, b)` of `v`.
fn sub(v: &Value, a: usize, b: usize) -> Value {
    let t = s(v);
    Value::str(&t[a..b]).with_prov(v.prov().slice(a, b))
}

/// Trims with a predicate on both sides, keeping provenance.
fn trim_by(v: &Value, left: bool, right: bool, pred: impl Fn(char) -> bool) -> Value {
    let t = s(v);
    let mut a = 0;
    let mut b = t.len();
    if left {
        a = t.len() - t.trim_start_matches(&pred).len();
    }
    if right {
        b = a + t[a..].trim_end_matches(&pred).len();
    }
    sub(v, a, b)
}

/// Fails when indenting `v` by `spaces` would build more than [`MAX_BUILT`] bytes.
fn indented_size(v: &Value, spaces: i64, what: &str) -> Result<(), super::FuncError> {
    let lines = s(v).bytes().filter(|&b| b == b'\n').count() + 1;
    let pad = spaces.clamp(0, 1 << 16) as usize;
    if s(v).len().saturating_add(lines.saturating_mul(pad)) > MAX_BUILT {
        return Err(too_large(what));
    }
    Ok(())
}

/// Adds `pad` at the start of every line of `v` (Sprig's indent), keeping provenance.
pub(crate) fn indent_value(v: &Value, spaces: i64, leading_newline: bool) -> Value {
    let pad = " ".repeat(spaces.clamp(0, 1 << 16) as usize);
    let text = s(v);
    let mut out = Out::new();
    if leading_newline {
        out.push('\n');
    }
    out.push_str(&pad);
    let mut start = 0;
    for (idx, c) in text.char_indices() {
        if c == '\n' {
            out.push_prov(&text[start..=idx], &v.prov().slice(start, idx + 1));
            out.push_str(&pad);
            start = idx + 1;
        }
    }
    out.push_prov(&text[start..], &v.prov().slice(start, text.len()));
    let (t, p) = out.into_parts();
    Value::str(t).with_prov(p)
}

fn map_chars(v: &Value, f: impl Fn(&str) -> String) -> Value {
    let t = f(s(v));
    // Same-length transformations keep provenance.
    if t.len() == s(v).len() {
        Value::str(t).with_prov(v.prov().clone())
    } else {
        Value::str(t).with_prov(whole(v))
    }
}

fn whole(v: &Value) -> Prov {
    match v.prov().first_origin() {
        Some(o) => Prov::Whole(o),
        None => Prov::None,
    }
}

fn title(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut prev_letter = false;
    for c in t.chars() {
        let is_sep = !(c.is_alphanumeric() || c == '_' || c == '\'');
        if !prev_letter && !is_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = !is_sep;
    }
    out
}

fn untitle(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut prev_space = true;
    for c in t.chars() {
        if prev_space && !c.is_whitespace() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        prev_space = c.is_whitespace();
    }
    out
}

fn words(t: &str) -> Vec<String> {
    // Split on non-alphanumerics and on lower->upper case boundaries.
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = t.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[k - 1];
            let next_lower = chars.get(k + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn snake(t: &str, sep: &str) -> String {
    words(t)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(sep)
}

fn camel(t: &str) -> String {
    // xstrings.ToCamelCase: split on '_' (and keep other chars), capitalise each part.
    let mut out = String::new();
    for part in t.split(['_', '-', ' ']) {
        let mut cs = part.chars();
        if let Some(f) = cs.next() {
            out.extend(f.to_uppercase());
            out.push_str(cs.as_str());
        }
    }
    out
}

fn swapcase(t: &str) -> String {
    t.chars()
        .flat_map(|c| {
            if c.is_uppercase() {
                c.to_lowercase().collect::<Vec<_>>()
            } else {
                c.to_uppercase().collect::<Vec<_>>()
            }
        })
        .collect()
}

fn wrap_with(t: &str, width: usize, nl: &str) -> String {
    // WordUtils-style wrapping: break at spaces so that lines do not exceed width.
    let mut out = String::new();
    for (li, line) in t.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        let mut cur_len = 0;
        let mut first = true;
        for w in line.split(' ').filter(|w| !w.is_empty()) {
            let wl = w.chars().count();
            if !first && cur_len + 1 + wl > width {
                out.push_str(nl);
                cur_len = 0;
                first = true;
            }
            if !first {
                out.push(' ');
                cur_len += 1;
            }
            out.push_str(w);
            cur_len += wl;
            first = false;
        }
    }
    out
}

fn rand_string(ctx: &mut CallCtx<'_, '_>, n: i64, alphabet: &[u8]) -> Value {
    let mut out = String::new();
    for _ in 0..n.clamp(0, 1 << 20) {
        let r = ctx.rand_u64();
        out.push(alphabet[(r % alphabet.len() as u64) as usize] as char);
    }
    Value::str(out)
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

pub(crate) fn register(m: &mut FuncMap) {
    m.add("upper", &[Str], None, |a| {
        Ok(map_chars(&a[0], str::to_uppercase))
    });
    m.add("lower", &[Str], None, |a| {
        Ok(map_chars(&a[0], str::to_lowercase))
    });
    m.add("title", &[Str], None, |a| Ok(map_chars(&a[0], title)));
    m.add("untitle", &[Str], None, |a| Ok(map_chars(&a[0], untitle)));
    m.add("swapcase", &[Str], None, |a| Ok(map_chars(&a[0], swapcase)));
    m.add("snakecase", &[Str], None, |a| {
        Ok(map_chars(&a[0], |t| snake(t, "_")))
    });
    m.add("kebabcase", &[Str], None, |a| {
        Ok(map_chars(&a[0], |t| snake(t, "-")))
    });
    m.add("camelcase", &[Str], None, |a| Ok(map_chars(&a[0], camel)));
    m.add("repeat", &[Int, Str], None, |a| {
        let n = i(&a[0]);
        if n < 0 {
            return Err("strings: negative Repeat count".into());
        }
        if (n as usize).saturating_mul(s(&a[1]).len()) > MAX_BUILT {
            return Err(too_large("repeat"));
        }
        Ok(Value::str(s(&a[1]).repeat(n as usize)))
    });
    m.add("substr", &[Int, Int, Str], None, |a| {
        let (st, en, t) = (i(&a[0]), i(&a[1]), s(&a[2]));
        let len = t.len() as i64;
        let (a0, b0) = if st < 0 {
            (0, if en < 0 || en > len { len } else { en })
        } else if en < 0 || en > len {
            (st.min(len), len)
        } else {
            (st, en)
        };
        if a0 > b0 || !t.is_char_boundary(a0 as usize) || !t.is_char_boundary(b0 as usize) {
            return Err("substr: invalid range".into());
        }
        Ok(sub(&a[2], a0 as usize, b0 as usize))
    });
    m.add("trunc", &[Int, Str], None, |a| {
        let (c, t) = (i(&a[0]), s(&a[1]));
        let len = t.len() as i64;
        let (x, y) = if c < 0 && len + c > 0 {
            ((len + c) as usize, t.len())
        } else if c >= 0 && len > c {
            (0, c as usize)
        } else {
            (0, t.len())
        };
        // Byte-based like Go; snap to char boundaries to stay valid UTF-8.
        let mut x = x;
        while !t.is_char_boundary(x) {
            x += 1;
        }
        let mut y = y;
        while !t.is_char_boundary(y) {
            y -= 1;
        }
        Ok(sub(&a[1], x, y.max(x)))
    });
    m.add("nospace", &[Str], None, |a| {
        Ok(Value::str(
            s(&a[0])
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        ))
    });
    m.add("abbrev", &[Int, Str], None, |a| {
        let (w, t) = (i(&a[0]), s(&a[1]));
        if w < 4 || t.chars().count() as i64 <= w {
            return Ok(a[1].clone());
        }
        let keep: String = t.chars().take((w - 3) as usize).collect();
        Ok(Value::str(keep + "..."))
    });
    m.add("abbrevboth", &[Int, Int, Str], None, |a| {
        let (l, w, t) = (i(&a[0]), i(&a[1]), s(&a[2]));
        let chars: Vec<char> = t.chars().collect();
        let n = chars.len() as i64;
        if w < 4 || n <= w {
            return Ok(a[2].clone());
        }
        let mut off = l.max(0);
        if off > n {
            off = n;
        }
        if n - off < w - 3 {
            off = n - (w - 3);
        }
        if off <= 4 {
            let keep: String = chars.iter().take((w - 3) as usize).collect();
            return Ok(Value::str(keep + "..."));
        }
        if w < 7 {
            return Ok(a[2].clone());
        }
        if off + w - 3 < n {
            let rest: String = chars[off as usize..].iter().collect();
            let inner: String = rest.chars().take((w - 6) as usize).collect();
            return Ok(Value::str(format!("...{inner}...")));
        }
        let tail: String = chars[(n - (w - 3)) as usize..].iter().collect();
        Ok(Value::str(format!("...{tail}")))
    });
    m.add("initials", &[Str], None, |a| {
        Ok(Value::str(
            s(&a[0])
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect::<String>(),
        ))
    });
    m.add("wrap", &[Int, Str], None, |a| {
        Ok(Value::str(wrap_with(
            s(&a[1]),
            i(&a[0]).max(1) as usize,
            "\n",
        )))
    });
    m.add("wrapWith", &[Int, Str, Str], None, |a| {
        Ok(Value::str(wrap_with(
            s(&a[2]),
            i(&a[0]).max(1) as usize,
            s(&a[1]),
        )))
    });
    m.add("contains", &[Str, Str], None, |a| {
        Ok(Value::bool(s(&a[1]).contains(s(&a[0]))))
    });
    m.add("hasPrefix", &[Str, Str], None, |a| {
        Ok(Value::bool(s(&a[1]).starts_with(s(&a[0]))))
    });
    m.add("hasSuffix", &[Str, Str], None, |a| {
        Ok(Value::bool(s(&a[1]).ends_with(s(&a[0]))))
    });
    m.add("quote", &[], Some(Any), |a| {
        let mut out = Out::new();
        let mut first = true;
        for v in a.iter().filter(|v| !v.is_nil()) {
            if !first {
                out.push(' ');
            }
            first = false;
            let sv = strval_value(v);
            let q = go_quote(s(&sv));
            if q.len() == s(&sv).len() + 2 {
                out.push('"');
                out.push_prov(s(&sv), sv.prov());
                out.push('"');
            } else {
                out.push_origin(&q, sv.prov().first_origin());
            }
        }
        let (t, p) = out.into_parts();
        Ok(Value::str(t).with_prov(p))
    });
    m.add("squote", &[], Some(Any), |a| {
        let mut out = Out::new();
        let mut first = true;
        for v in a.iter().filter(|v| !v.is_nil()) {
            if !first {
                out.push(' ');
            }
            first = false;
            let sv = strval_value(v);
            out.push('\'');
            out.push_prov(s(&sv), sv.prov());
            out.push('\'');
        }
        let (t, p) = out.into_parts();
        Ok(Value::str(t).with_prov(p))
    });
    m.add("cat", &[], Some(Any), |a| {
        let mut out = Out::new();
        for (k, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let sv = strval_value(v);
            out.push_prov(s(&sv), sv.prov());
        }
        let (t, p) = out.into_parts();
        Ok(Value::str(t).with_prov(p))
    });
    m.add("replace", &[Str, Str, Str], None, |a| {
        let (old, new, src) = (s(&a[0]), s(&a[1]), s(&a[2]));
        let count = if old.is_empty() {
            src.chars().count() + 1
        } else {
            src.matches(old).count()
        };
        if src.len().saturating_add(count.saturating_mul(new.len())) > MAX_BUILT {
            return Err(too_large("replace"));
        }
        if old.is_empty() {
            // Go inserts `new` between every rune.
            let mut o = String::from(new);
            for c in src.chars() {
                o.push(c);
                o.push_str(new);
            }
            return Ok(Value::str(o));
        }
        if !src.contains(old) {
            return Ok(a[2].clone());
        }
        let mut out = Out::new();
        let mut last = 0;
        for (idx, _) in src.match_indices(old) {
            out.push_prov(&src[last..idx], &a[2].prov().slice(last, idx));
            out.push_prov(new, a[1].prov());
            last = idx + old.len();
        }
        out.push_prov(&src[last..], &a[2].prov().slice(last, src.len()));
        let (t, p) = out.into_parts();
        Ok(Value::str(t).with_prov(p))
    });
    m.add("plural", &[Str, Str, Int], None, |a| {
        Ok(if i(&a[2]) == 1 {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    m.add("trim", &[Str], None, |a| {
        Ok(trim_by(&a[0], true, true, char::is_whitespace))
    });
    m.add("trimAll", &[Str, Str], None, |a| {
        let cut: Vec<char> = s(&a[0]).chars().collect();
        Ok(trim_by(&a[1], true, true, |c| cut.contains(&c)))
    });
    m.add("trimSuffix", &[Str, Str], None, |a| {
        let (suf, t) = (s(&a[0]), s(&a[1]));
        Ok(if !suf.is_empty() && t.ends_with(suf) {
            sub(&a[1], 0, t.len() - suf.len())
        } else {
            a[1].clone()
        })
    });
    m.add("trimPrefix", &[Str, Str], None, |a| {
        let (pre, t) = (s(&a[0]), s(&a[1]));
        Ok(if !pre.is_empty() && t.starts_with(pre) {
            sub(&a[1], pre.len(), t.len())
        } else {
            a[1].clone()
        })
    });
    m.add("nindent", &[Int, Str], None, |a| {
        indented_size(&a[1], i(&a[0]), "nindent")?;
        Ok(indent_value(&a[1], i(&a[0]), true))
    });
    m.add("indent", &[Int, Str], None, |a| {
        indented_size(&a[1], i(&a[0]), "indent")?;
        Ok(indent_value(&a[1], i(&a[0]), false))
    });
    m.add("split", &[Str, Str], None, |a| {
        let mut map = std::collections::BTreeMap::new();
        for (k, p) in go_split(s(&a[1]), s(&a[0]), -1).into_iter().enumerate() {
            map.insert(format!("_{k}"), Value::str(p));
        }
        Ok(Value::map(map))
    });
    m.add("splitList", &[Str, Str], None, |a| {
        Ok(Value::list(
            go_split(s(&a[1]), s(&a[0]), -1)
                .into_iter()
                .map(Value::str)
                .collect(),
        ))
    });
    m.add("splitn", &[Str, Int, Str], None, |a| {
        let mut map = std::collections::BTreeMap::new();
        for (k, p) in go_split(s(&a[2]), s(&a[0]), i(&a[1]))
            .into_iter()
            .enumerate()
        {
            map.insert(format!("_{k}"), Value::str(p));
        }
        Ok(Value::map(map))
    });
    m.add("join", &[Str, Any], None, |a| {
        let items = strslice(&a[1]);
        let size = items.iter().map(|v| s(v).len()).sum::<usize>();
        if size.saturating_add(items.len().saturating_mul(s(&a[0]).len())) > MAX_BUILT {
            return Err(too_large("join"));
        }
        let mut out = Out::new();
        for (k, v) in items.iter().enumerate() {
            if k > 0 {
                out.push_prov(s(&a[0]), a[0].prov());
            }
            out.push_prov(s(v), v.prov());
        }
        let (t, p) = out.into_parts();
        Ok(Value::str(t).with_prov(p))
    });
    m.add("toString", &[Any], None, |a| Ok(strval_value(&a[0])));
    m.add("toStrings", &[Any], None, |a| {
        Ok(Value::list(strslice(&a[0])))
    });
    m.add("sortAlpha", &[Any], None, |a| {
        let mut v: Vec<String> = match a[0].kind() {
            Kind::List(l) => l.iter().map(strval).collect(),
            _ => vec![strval(&a[0])],
        };
        v.sort();
        Ok(Value::list(v.into_iter().map(Value::str).collect()))
    });
    m.insert("randAlphaNum", &[Int], None, |c, a| {
        Ok(rand_string(c, i(&a[0]), ALNUM))
    });
    m.insert("randAlpha", &[Int], None, |c, a| {
        Ok(rand_string(c, i(&a[0]), &ALNUM[..52]))
    });
    m.insert("randNumeric", &[Int], None, |c, a| {
        Ok(rand_string(c, i(&a[0]), &ALNUM[52..]))
    });
    m.insert("randAscii", &[Int], None, |c, a| {
        let ascii: Vec<u8> = (32u8..127).collect();
        Ok(rand_string(c, i(&a[0]), &ascii))
    });
    m.insert("shuffle", &[Str], None, |c, a| {
        let mut chars: Vec<char> = s(&a[0]).chars().collect();
        for k in (1..chars.len()).rev() {
            let j = (c.rand_u64() % (k as u64 + 1)) as usize;
            chars.swap(k, j);
        }
        Ok(Value::str(chars.into_iter().collect::<String>()))
    });
    m.add("ellipsis", &[Int, Str], None, |a| {
        let (w, t) = (i(&a[0]), s(&a[1]));
        if t.chars().count() as i64 <= w || w < 4 {
            return Ok(a[1].clone());
        }
        Ok(Value::str(
            t.chars().take((w - 3) as usize).collect::<String>() + "...",
        ))
    });
    m.alias("trimall", "trimAll");
    m.add("hello", &[], None, |_| Ok(Value::str("Hello!")));
    let _ = FuncResult::Ok;
}

/// Go's `strings.SplitN` (n < 0: all).
pub(crate) fn go_split(t: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let mut v: Vec<String> = t.chars().map(String::from).collect();
        if n > 0 && v.len() > n as usize {
            let rest: String = v[n as usize - 1..].concat();
            v.truncate(n as usize - 1);
            v.push(rest);
        }
        return v;
    }
    if n < 0 {
        t.split(sep).map(String::from).collect()
    } else {
        t.splitn(n as usize, sep).map(String::from).collect()
    }
}
