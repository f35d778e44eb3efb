//! go-yaml v2's resolver: what tag a plain scalar would get.

use crate::parse::{parse_go_int, parse_go_uint};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Null,
    Bool(bool),
    Int,
    Float,
    Timestamp,
    Merge,
    Str,
}

pub(super) fn resolve(s: &str) -> Tag {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Tag::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Tag::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Tag::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Tag::Float,
        "<<" => return Tag::Merge,
        _ => {}
    }
    let Some(&c) = s.as_bytes().first() else {
        return Tag::Str;
    };
    match c {
        b'.' => {
            if go_parse_float(s).is_some() {
                Tag::Float
            } else {
                Tag::Str
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(s) {
                return Tag::Timestamp;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if parse_go_int(&plain).is_some() || parse_go_uint_signed(&plain) {
                return Tag::Int;
            }
            if yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
                return Tag::Float;
            }
            if let Some(b) = plain
                .strip_prefix("0b")
                .or_else(|| plain.strip_prefix("-0b"))
            {
                if !b.is_empty() && b.bytes().all(|c| c == b'0' || c == b'1') && b.len() <= 64 {
                    return Tag::Int;
                }
            }
            Tag::Str
        }
        _ => Tag::Str,
    }
}

fn parse_go_uint_signed(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    !body.starts_with('-') && parse_go_uint(body).is_some()
}

/// Go's `strconv.ParseFloat` for the subset YAML values use (decimal, inf/nan words).
pub(super) fn go_parse_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return Some(if body == "nan" {
            f64::NAN
        } else if lower.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if body.starts_with("0x") || s.contains('_') {
        return None;
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
pub(super) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        let n = i - st;
        if n == 0 || (n == 2 && b[st] > b'5') {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// go-yaml v2 `parseTimestamp` (formats `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`,
/// lower-case `t`, and `2006-1-2 15:4:5.999999999`).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |i: &mut usize, min: usize, max: usize| -> Option<i64> {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - st < max {
            *i += 1;
        }
        if *i - st < min {
            return None;
        }
        s[st..*i].parse().ok()
    };
    let mut i = 0;
    let Some(y) = num(&mut i, 4, 4) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(m) = num(&mut i, 1, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(d) = num(&mut i, 1, 2) else {
        return false;
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let sep = b[i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let (Some(h), true, Some(mi), true, Some(se)) = (
        num(&mut i, 1, 2),
        b.get(i) == Some(&b':') && {
            i += 1;
            true
        },
        num(&mut i, 1, 2),
        b.get(i) == Some(&b':') && {
            i += 1;
            true
        },
        num(&mut i, 1, 2),
    ) else {
        return false;
    };
    if h > 23 || mi > 59 || se > 59 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if num(&mut i, 1, 9).is_none() {
            return false;
        }
    }
    if sep == b' ' {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            let ok = num(&mut i, 2, 2).is_some() && b.get(i) == Some(&b':') && {
                i += 1;
                num(&mut i, 2, 2).is_some()
            };
            ok && i == b.len()
        }
        _ => false,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_matches_go_yaml_v2() {
        for s in [
            "true",
            "yes",
            "Off",
            "n",
            "~",
            "null",
            "",
            "1",
            "0x1F",
            "0o17",
            "1_000",
            "+1",
            "1e3",
            ".5",
            "-.inf",
            ".NaN",
            "2021-01-01",
            "2001-12-14t21:59:43.10-05:00",
            "08",
        ] {
            assert_ne!(resolve(s), Tag::Str, "{s}");
        }
        for s in [
            "hello",
            "1.2.3",
            "0x",
            "2021-02-30",
            "12:30x",
            "-",
            ".",
            "0b2",
            "v1",
        ] {
            assert_eq!(resolve(s), Tag::Str, "{s}");
        }
        assert!(is_base60_float("12:30"));
        assert!(!is_base60_float("12:70"));
    }
}
