//! YAML 1.1's base-60 floats (`1:20`, `190:20:30.15`): go-yaml v2 never reads them as numbers
//! but quotes strings that look like them, for other YAML 1.1 parsers.

/// go-yaml v2's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
///
/// ```
/// assert!(cct_yaml11::is_base60_float("1:20"));
/// assert!(!cct_yaml11::is_base60_float("1:70"));
/// ```
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one digit, or two with the first at most 5.
        match b.get(i..) {
            Some([d1, d2, ..]) if (b'0'..=b'5').contains(d1) && d2.is_ascii_digit() => i += 2,
            Some([d, ..]) if d.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}
