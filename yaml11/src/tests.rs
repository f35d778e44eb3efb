//! The resolver against go-yaml v2's `resolve.go` (v2.4.0, the same as go.yaml.in/yaml/v2
//! v2.4.2 that sigs.k8s.io/yaml uses) and Go's `strconv` and `time.Parse`.
//!
//! The tests after the first ones pin the cases where the two resolvers this crate replaced
//! (the template engine's, for `fromYaml`/`toYaml`, and the engine's, for manifests and values)
//! disagreed with go-yaml v2; each says which one did.

use super::*;
use Resolved::*;

fn all(cases: &[(&str, Resolved)]) {
    for (text, want) in cases {
        let got = resolve(text);
        match (got, want) {
            (Float(a), Float(b)) if a.is_nan() && b.is_nan() => {}
            _ => assert_eq!(got, *want, "{text:?}"),
        }
    }
}

#[test]
fn yaml_1_1_words() {
    all(&[
        ("", Null),
        ("~", Null),
        ("null", Null),
        ("NULL", Null),
        ("nULL", Str),
        ("y", Bool(true)),
        ("Yes", Bool(true)),
        ("on", Bool(true)),
        ("TRUE", Bool(true)),
        ("n", Bool(false)),
        ("Off", Bool(false)),
        ("NO", Bool(false)),
        ("false", Bool(false)),
        ("tRUE", Str),
        (".inf", Float(f64::INFINITY)),
        ("+.Inf", Float(f64::INFINITY)),
        ("-.INF", Float(f64::NEG_INFINITY)),
        (".NaN", Float(f64::NAN)),
        (".nAn", Str),
    ]);
}

#[test]
fn kubernetes_typing() {
    all(&[
        ("8080", Int(8080)),
        ("-1", Int(-1)),
        ("+1", Int(1)),
        ("0x1F", Int(31)),
        ("0755", Int(493)),
        ("1_000", Int(1000)),
        ("1e3", Float(1000.0)),
        ("3.", Float(3.0)),
        (".5", Float(0.5)),
        ("-.5", Float(-0.5)),
        // Not octal (Go refuses the digit 8), but YAML's float pattern matches.
        ("08", Float(8.0)),
        ("1:20", Str),
        ("500m", Str),
        ("2Gi", Str),
        ("v1", Str),
        ("-", Str),
        (".", Str),
        ("+", Str),
        ("0x", Str),
        ("0b2", Str),
        ("1.2.3", Str),
        ("nginx:1.25", Str),
        ("_1", Str),
        ("9223372036854775807", Int(i64::MAX)),
        ("-9223372036854775808", Int(i64::MIN)),
        ("9223372036854775808", Uint(1 << 63)),
        ("18446744073709551615", Uint(u64::MAX)),
        // Past `uint64`, decimal digits still match the float pattern.
        ("18446744073709551616", Float(18446744073709551616.0)),
        ("-9223372036854775809", Float(-9223372036854775809.0)),
    ]);
}

#[test]
fn timestamps() {
    all(&[
        ("2001-12-14", Timestamp),
        ("2001-1-2", Timestamp),
        ("2001-12-14T21:59:43.10-05:00", Timestamp),
        ("2001-12-14t21:59:43.10-05:00", Timestamp),
        ("2001-12-14T21:59:43Z", Timestamp),
        ("2001-12-14T1:2:3Z", Timestamp),
        ("2001-12-14 21:59:43.10", Timestamp),
        ("2001-12-14 21:59:43", Timestamp),
        ("2020-02-29", Timestamp),
        // No zone after `T`; a space form with a zone (time.Parse cannot read it).
        ("2001-12-14T21:59:43", Str),
        ("2001-12-14 21:59:43.10 -5", Str),
        ("2001-12-14 21:59:43Z", Str),
        ("2021-02-29", Str),
        ("2021-02-30", Str),
        ("2021-13-01", Str),
        ("2021-00-01", Str),
        ("2021-01-001", Str),
        ("2021-01-01T24:00:00Z", Str),
        ("2021-01-01T23:60:00Z", Str),
        ("2021-01-01T23:59:60Z", Str),
        ("2021-01-01T10:00:00+0500", Str),
        ("20211-01-01", Str),
        ("202-01-01", Str),
        ("2021-01-01x", Str),
    ]);
}

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
        assert!(!resolve(s).is_str(), "{s}");
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
        assert!(resolve(s).is_str(), "{s}");
    }
    assert!(is_base60_float("12:30"));
    assert!(!is_base60_float("12:70"));
}

#[test]
fn base_60_floats_are_strings_to_quote() {
    assert_eq!(resolve("12:30"), Str);
    assert!(is_base60_float("12:30"));
    assert!(is_base60_float("-1_0:2:59.5_"));
    assert!(is_base60_float("190:20:30.15"));
    assert!(!is_base60_float("12:70"));
    assert!(!is_base60_float("12:"));
    assert!(!is_base60_float("12"));
    assert!(!is_base60_float(":12"));
    assert!(!is_base60_float("1:123"));
    assert!(!is_base60_float("1.5:30"));
}

/// The template engine's resolver gave `<<` a merge tag (and `toYaml` quoted it).
#[test]
fn merge_key_text_is_a_string() {
    // `<` has no resolver hint: go-yaml v2 resolves `<<` as `!!str` and writes it unquoted.
    assert_eq!(resolve("<<"), Str);
}

/// The template engine's resolver took them for floats (`fromYaml` failed on an infinity).
#[test]
fn floats_that_overflow_are_strings() {
    // Go's ParseFloat fails with ErrRange, so go-yaml v2 keeps the text.
    all(&[
        ("1e400", Str),
        ("-1e400", Str),
        (".5e400", Str),
        ("1.7976931348623159e308", Str),
        ("1.7976931348623157e308", Float(f64::MAX)),
        ("1e-400", Float(0.0)),
    ]);
}

/// The template engine's resolver made it an integer (of the same value).
#[test]
fn a_plus_sign_beyond_int64_makes_a_float() {
    // ParseInt overflows and ParseUint refuses the sign: the float pattern decides.
    assert_eq!(
        resolve("+18446744073709551615"),
        Float(18446744073709551615.0)
    );
}

/// The template engine's resolver allowed nine fraction digits after a dot only, a single
/// space, and any two-digit zone offset.
#[test]
fn timestamp_fractions_spaces_and_zones_as_time_parse_reads_them() {
    all(&[
        // Any number of fraction digits, after a dot or a comma.
        ("2001-12-14T21:59:43.1234567891Z", Timestamp),
        ("2001-12-14T21:59:43,5Z", Timestamp),
        ("2001-12-14 21:59:43,5", Timestamp),
        // A run of spaces for the layout's space.
        ("2001-12-14   21:59:43", Timestamp),
        // Zone offsets up to 24 hours and 60 minutes.
        ("2001-12-14T21:59:43+24:60", Timestamp),
        ("2001-12-14T21:59:43+25:00", Str),
        ("2001-12-14T21:59:43-05:61", Str),
    ]);
}

/// The engine's resolver knew `0x`, `0b` and `0` only, in lower case.
#[test]
fn go_integer_prefixes_in_any_case() {
    all(&[
        ("0o17", Int(15)),
        ("0O17", Int(15)),
        ("0X1F", Int(31)),
        ("0B101", Int(5)),
        ("-0o17", Int(-15)),
    ]);
}

/// The engine's resolver read them as 128-bit integers and gave floats.
#[test]
fn non_decimal_integers_past_64_bits_are_strings() {
    all(&[
        ("0x1FFFFFFFFFFFFFFFFF", Str),
        ("-0x8000000000000001", Str),
        ("0o7777777777777777777777", Str),
        ("0xFFFFFFFFFFFFFFFF", Uint(u64::MAX)),
    ]);
}

/// The engine's resolver refused `_` in an exponent and accepted it anywhere after a dot; the
/// template engine's refused any `_` after a leading dot.
#[test]
fn underscores_are_dropped_before_numbers_but_kept_after_a_leading_dot() {
    all(&[
        // Every `_` goes before ParseInt/ParseFloat, the exponent's too.
        ("1e3_0", Float(1e30)),
        ("1_0.2_5", Float(10.25)),
        ("1__0", Int(10)),
        ("0x_1F", Int(31)),
        ("-_1", Int(-1)),
        // A leading dot goes straight to ParseFloat, which takes `_` only between digits.
        (".5_0", Float(0.5)),
        (".5e1_0", Float(5e9)),
        ("._5", Str),
        (".5_", Str),
        (".5__0", Str),
    ]);
}

/// Both resolvers left `0b-101` a string: go-yaml's own `0b` branch parses the rest in base 2,
/// sign included.
#[test]
fn binary_literals_with_a_sign_after_the_prefix() {
    all(&[
        ("0b-101", Int(-5)),
        ("0b+101", Int(5)),
        ("-0b101", Int(-5)),
        ("-0b-101", Str),
        (
            "0b1111111111111111111111111111111111111111111111111111111111111111",
            Uint(u64::MAX),
        ),
    ]);
}
