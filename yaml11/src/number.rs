//! The part of Go's `strconv` the resolver relies on, and YAML's float pattern.

/// Go's `strconv.ParseUint(s, base, 64)`, for a base in 2..=36 or base 0 (a `0x`, `0o` or
/// `0b` prefix in either case, or a leading `0` for octal). The resolver removes every `_`
/// first, so none is accepted here.
pub(crate) fn parse_uint(s: &str, base: u32) -> Option<u64> {
    let b = s.as_bytes();
    let (base, digits) = match (base, b) {
        (_, []) => return None,
        (0, [b'0', p, _, ..]) if matches!(p.to_ascii_lowercase(), b'b' | b'o' | b'x') => {
            let base = match p.to_ascii_lowercase() {
                b'b' => 2,
                b'o' => 8,
                _ => 16,
            };
            (base, &b[2..])
        }
        (0, [b'0', ..]) => (8, &b[1..]),
        (0, _) => (10, b),
        (base, _) => (base, b),
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        if u32::from(d) >= base {
            return None;
        }
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, base, 64)`: an optional sign, then [`parse_uint`].
pub(crate) fn parse_int(s: &str, base: u32) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body, base)?;
    if negative {
        0i64.checked_sub_unsigned(u)
    } else {
        i64::try_from(u).ok()
    }
}

/// go-yaml v2's float test on text whose `_` were removed: YAML's float pattern, and Go's
/// `strconv.ParseFloat` without overflow (`1e400` is not a float).
pub(crate) fn parse_float(plain: &str) -> Option<f64> {
    if !yaml_style_float(plain) {
        return None;
    }
    plain.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Go's `strconv.ParseFloat(s, 64)` for text starting with a dot: Go's decimal float literal
/// syntax, `_` allowed between digits (`.5_0`, not `._5`), and no overflow.
pub(crate) fn parse_dot_float(s: &str) -> Option<f64> {
    if !underscores_ok(s) {
        return None;
    }
    // Without its `_`, such a literal is exactly what YAML's float pattern accepts.
    parse_float(&s.replace('_', ""))
}

/// Go's `underscoreOK`: every `_` sits between two digits, or between a base prefix and a
/// digit.
fn underscores_ok(s: &str) -> bool {
    #[derive(PartialEq)]
    enum Saw {
        Start,
        Digit,
        Underscore,
        Other,
    }
    let b = s.as_bytes();
    let b = match b.first() {
        Some(b'-' | b'+') => &b[1..],
        _ => b,
    };
    let (mut saw, mut i, hex) = match b {
        [b'0', p, ..] if matches!(p.to_ascii_lowercase(), b'b' | b'o' | b'x') => {
            (Saw::Digit, 2, p.eq_ignore_ascii_case(&b'x'))
        }
        _ => (Saw::Start, 0, false),
    };
    while let Some(&c) = b.get(i) {
        i += 1;
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = Saw::Digit;
        } else if c == b'_' {
            if saw != Saw::Digit {
                return false;
            }
            saw = Saw::Underscore;
        } else {
            if saw == Saw::Underscore {
                return false;
            }
            saw = Saw::Other;
        }
    }
    saw != Saw::Underscore
}

/// go-yaml v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_base_zero_integers() {
        assert_eq!(parse_uint("0", 0), Some(0));
        assert_eq!(parse_uint("00", 0), Some(0));
        assert_eq!(parse_uint("0755", 0), Some(493));
        assert_eq!(parse_uint("0x1f", 0), Some(31));
        assert_eq!(parse_uint("0X1F", 0), Some(31));
        assert_eq!(parse_uint("0o17", 0), Some(15));
        assert_eq!(parse_uint("0B101", 0), Some(5));
        // A prefix needs a digit after it; `0x` is octal `x`.
        assert_eq!(parse_uint("0x", 0), None);
        assert_eq!(parse_uint("08", 0), None);
        assert_eq!(parse_uint("+1", 0), None);
        assert_eq!(parse_uint("", 0), None);
        assert_eq!(parse_uint("18446744073709551615", 0), Some(u64::MAX));
        assert_eq!(parse_uint("18446744073709551616", 0), None);
    }

    #[test]
    fn go_signed_integers() {
        assert_eq!(parse_int("+0x1F", 0), Some(31));
        assert_eq!(parse_int("-0b101", 0), Some(-5));
        assert_eq!(parse_int("-9223372036854775808", 0), Some(i64::MIN));
        assert_eq!(parse_int("-9223372036854775809", 0), None);
        assert_eq!(parse_int("9223372036854775808", 0), None);
        assert_eq!(parse_int("-101", 2), Some(-5));
        assert_eq!(parse_int("--1", 2), None);
        assert_eq!(parse_int("+", 0), None);
    }

    #[test]
    fn dot_floats_follow_go_literal_syntax() {
        assert_eq!(parse_dot_float(".5_0"), Some(0.5));
        assert_eq!(parse_dot_float(".5e1_0"), Some(5e9));
        for s in ["._5", ".5_", ".5__0", ".5e_1", ".", ".e5", ".5e400"] {
            assert_eq!(parse_dot_float(s), None, "{s}");
        }
    }

    #[test]
    fn go_underscore_rule() {
        assert!(underscores_ok("1_000"));
        assert!(underscores_ok("0x_1F"));
        assert!(underscores_ok("-1_0.2_5e1_0"));
        assert!(!underscores_ok("_1"));
        assert!(!underscores_ok("1_"));
        assert!(!underscores_ok("1__0"));
        assert!(!underscores_ok("1_.5"));
        assert!(!underscores_ok("1._5"));
    }

    #[test]
    fn yaml_floats() {
        for s in ["1.", ".5", "+.5", "-1.5e3", "1E+5", "08", "1e-400"] {
            assert!(parse_float(s).is_some(), "{s}");
        }
        for s in [
            ".", "1e", ".e5", "1.5.2", "1_0.5", "0x1p3", "inf", "1e400", "-1e400",
        ] {
            assert_eq!(parse_float(s), None, "{s}");
        }
    }
}
