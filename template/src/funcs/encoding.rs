//! Sprig encoding, hashing, JSON, path and URL functions.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256, Sha512};

use super::strings::whole;
use super::{s, strval, FuncMap, Param};
use crate::json;
use crate::value::Value;

use Param::*;

/// Go's `base64.CorruptInputError` and `base32.CorruptInputError`: the offset of the first
/// byte that cannot be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CorruptInput {
    #[error("illegal base64 data at input byte {0}")]
    Base64(usize),
    #[error("illegal base32 data at input byte {0}")]
    Base32(usize),
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn b64encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Standard base64 decoding (padding required, like Go's StdEncoding).
pub(crate) fn b64decode(s: &str) -> Result<Vec<u8>, CorruptInput> {
    let s = s.trim_end_matches(['\r', '\n']);
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'\n' && c != b'\r').collect();
    if bytes.len() % 4 != 0 {
        return Err(CorruptInput::Base64(bytes.len() / 4 * 4));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (ci, chunk) in bytes.chunks(4).enumerate() {
        let mut n = 0u32;
        let mut pad = 0;
        for (k, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if k >= 2 => {
                    pad += 1;
                    0
                }
                _ => return Err(CorruptInput::Base64(ci * 4 + k)),
            };
            n = (n << 6) | u32::from(v);
        }
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    Ok(out)
}

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b32encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < chars {
                out.push(B32[((n >> (35 - k * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b32decode(s: &str) -> Result<Vec<u8>, CorruptInput> {
    let t = s.trim_end_matches('=');
    let mut bits = 0u64;
    let mut nbits = 0;
    let mut out = Vec::new();
    for (k, c) in t.bytes().enumerate() {
        let v = B32
            .iter()
            .position(|&x| x == c)
            .ok_or(CorruptInput::Base32(k))?;
        bits = (bits << 5) | v as u64;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
        }
    }
    Ok(out)
}

/// SHA-1 (used by `sha1sum`).
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bitlen = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bitlen.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for t in 0..16 {
            w[t] = u32::from_be_bytes([
                block[4 * t],
                block[4 * t + 1],
                block[4 * t + 2],
                block[4 * t + 3],
            ]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (t, wt) in w.iter().enumerate() {
            let (f, k) = match t {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let tmp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = tmp;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
    }
    let mut out = [0u8; 20];
    for (k, v) in h.iter().enumerate() {
        out[4 * k..4 * k + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// Go's `path.Clean`.
fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let j = parts.join("/");
    if rooted {
        format!("/{j}")
    } else if j.is_empty() {
        ".".into()
    } else {
        j
    }
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(p: &str) -> String {
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    path_clean(dir)
}

fn path_ext(p: &str) -> String {
    let base_start = p.rfind('/').map_or(0, |i| i + 1);
    match p[base_start..].rfind('.') {
        Some(i) => p[base_start + i..].to_string(),
        None => String::new(),
    }
}

fn url_parse(u: &str) -> Value {
    let mut m = BTreeMap::new();
    let (rest, fragment) = match u.split_once('#') {
        Some((a, b)) => (a, b),
        None => (u, ""),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((a, b)) => (a, b),
        None => (rest, ""),
    };
    let (scheme, rest) = match rest.split_once("://") {
        Some((a, b)) => (a, format!("//{b}")),
        None => ("", rest.to_string()),
    };
    let (authority, path) = if let Some(r) = rest.strip_prefix("//") {
        match r.find('/') {
            Some(i) => (r[..i].to_string(), r[i..].to_string()),
            None => (r.to_string(), String::new()),
        }
    } else {
        (String::new(), rest)
    };
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (String::new(), authority.clone()),
    };
    m.insert("scheme".into(), Value::str(scheme));
    m.insert("host".into(), Value::str(host));
    m.insert("hostname".into(), Value::str(host_only(&authority)));
    m.insert("path".into(), Value::str(path));
    m.insert("query".into(), Value::str(query));
    m.insert("opaque".into(), Value::str(""));
    m.insert("fragment".into(), Value::str(fragment));
    m.insert("userinfo".into(), Value::str(userinfo));
    Value::map(m)
}

fn host_only(authority: &str) -> String {
    let h = authority.rsplit_once('@').map_or(authority, |x| x.1);
    if let Some(r) = h.strip_prefix('[') {
        return r.split(']').next().unwrap_or("").to_string();
    }
    h.split(':').next().unwrap_or("").to_string()
}

pub(crate) fn register(m: &mut FuncMap) {
    // Encodings keep where their input came from, as a whole: `.Values.password | b64enc`
    // is still the values scalar (a random string stays computed).
    m.add("b64enc", &[Str], None, |a| {
        Ok(Value::str(b64encode(s(&a[0]).as_bytes())).with_prov(whole(&a[0])))
    });
    m.add("b64dec", &[Str], None, |a| match b64decode(s(&a[0])) {
        Ok(b) => Ok(Value::str(String::from_utf8_lossy(&b).into_owned()).with_prov(whole(&a[0]))),
        Err(e) => Ok(Value::str(e.to_string())),
    });
    m.add("b32enc", &[Str], None, |a| {
        Ok(Value::str(b32encode(s(&a[0]).as_bytes())).with_prov(whole(&a[0])))
    });
    m.add("b32dec", &[Str], None, |a| match b32decode(s(&a[0])) {
        Ok(b) => Ok(Value::str(String::from_utf8_lossy(&b).into_owned()).with_prov(whole(&a[0]))),
        Err(e) => Ok(Value::str(e.to_string())),
    });
    m.add("sha1sum", &[Str], None, |a| {
        Ok(Value::str(hex(&sha1(s(&a[0]).as_bytes()))))
    });
    m.add("sha256sum", &[Str], None, |a| {
        Ok(Value::str(hex(&Sha256::digest(s(&a[0]).as_bytes()))))
    });
    m.add("sha512sum", &[Str], None, |a| {
        Ok(Value::str(hex(&Sha512::digest(s(&a[0]).as_bytes()))))
    });
    m.add("adler32sum", &[Str], None, |a| {
        Ok(Value::str(adler32(s(&a[0]).as_bytes()).to_string()))
    });
    m.add("toPrettyJson", &[Any], None, |a| {
        Ok(Value::str(
            json::to_json(&a[0], true, Some("  ")).unwrap_or_default(),
        ))
    });
    m.add("mustToPrettyJson", &[Any], None, |a| {
        Ok(Value::str(json::to_json(&a[0], true, Some("  "))?))
    });
    m.add("toRawJson", &[Any], None, |a| {
        Ok(Value::str(
            json::to_json(&a[0], false, None).unwrap_or_default(),
        ))
    });
    m.add("mustToRawJson", &[Any], None, |a| {
        Ok(Value::str(json::to_json(&a[0], false, None)?))
    });
    m.add("base", &[Str], None, |a| {
        Ok(Value::str(path_base(s(&a[0]))))
    });
    m.add("dir", &[Str], None, |a| Ok(Value::str(path_dir(s(&a[0])))));
    m.add("clean", &[Str], None, |a| {
        Ok(Value::str(path_clean(s(&a[0]))))
    });
    m.add("ext", &[Str], None, |a| Ok(Value::str(path_ext(s(&a[0])))));
    m.add("isAbs", &[Str], None, |a| {
        Ok(Value::bool(s(&a[0]).starts_with('/')))
    });
    m.alias("osBase", "base");
    m.alias("osDir", "dir");
    m.alias("osClean", "clean");
    m.alias("osExt", "ext");
    m.alias("osIsAbs", "isAbs");
    m.add("urlParse", &[Str], None, |a| Ok(url_parse(s(&a[0]))));
    m.add("urlJoin", &[Map], None, |a| {
        let g = |k: &str| {
            a[0].as_map()
                .and_then(|m| m.get(k).map(strval))
                .unwrap_or_default()
        };
        let mut u = String::new();
        if !g("scheme").is_empty() {
            u.push_str(&g("scheme"));
            u.push(':');
        }
        if !g("host").is_empty() || !g("scheme").is_empty() {
            u.push_str("//");
            if !g("userinfo").is_empty() {
                u.push_str(&g("userinfo"));
                u.push('@');
            }
            u.push_str(&g("host"));
        }
        u.push_str(&g("path"));
        if !g("query").is_empty() {
            u.push('?');
            u.push_str(&g("query"));
        }
        if !g("fragment").is_empty() {
            u.push('#');
            u.push_str(&g("fragment"));
        }
        Ok(Value::str(u))
    });
}
