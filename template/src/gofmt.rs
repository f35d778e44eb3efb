//! A re-implementation of the parts of Go's `fmt` package used by templates:
//! `Sprint`, `Sprintln`, `Sprintf` and `%v` formatting of dynamic values.

use crate::lex::{go_quote, is_go_printable};
use crate::prov::Out;
use crate::value::{GoTime, Kind, Value};

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (also `%v` of a float64).
pub fn format_float_g_shortest(f: f64) -> String {
    if let Some(s) = special_float(f, false) {
        return s;
    }
    let (neg, digits, exp) = shortest_digits(f);
    let sign = if neg { "-" } else { "" };
    // exp is the decimal exponent of the first digit (d.ddd x 10^exp)
    if !(-4..6).contains(&exp) {
        return format!(
            "{sign}{}",
            fmt_e_digits(&digits, exp, digits.len() - 1, 'e')
        );
    }
    format!("{sign}{}", fmt_f_digits(&digits, exp, None))
}

fn special_float(f: f64, plus: bool) -> Option<String> {
    if f.is_nan() {
        return Some("NaN".into());
    }
    if f.is_infinite() {
        let _ = plus;
        return Some(if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        });
    }
    None
}

/// Shortest round-trip decimal digits of |f| and the exponent of the first digit.
pub(crate) fn shortest_digits(f: f64) -> (bool, Vec<u8>, i32) {
    let neg = f.is_sign_negative() && f != 0.0 || (f == 0.0 && f.is_sign_negative());
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    (neg, digits, exp)
}

/// `d.ddde±XX` from digits, with `prec` digits after the point (padding with zeros).
fn fmt_e_digits(digits: &[u8], exp: i32, prec: usize, e: char) -> String {
    let mut s = String::new();
    s.push(*digits.first().unwrap_or(&b'0') as char);
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            s.push(*digits.get(i).unwrap_or(&b'0') as char);
        }
    }
    let exp = if digits.iter().all(|&d| d == b'0') {
        0
    } else {
        exp
    };
    s.push(e);
    s.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

/// Plain decimal from digits; `prec` = Some(n) forces n decimals (digits must be rounded already).
fn fmt_f_digits(digits: &[u8], exp: i32, prec: Option<usize>) -> String {
    let mut s = String::new();
    let dp = exp + 1; // number of digits before the decimal point
    if dp <= 0 {
        s.push('0');
    } else {
        for i in 0..dp as usize {
            s.push(*digits.get(i).unwrap_or(&b'0') as char);
        }
    }
    let frac_digits: Vec<u8> = if dp < 0 {
        let mut v = vec![b'0'; (-dp) as usize];
        v.extend_from_slice(digits);
        v
    } else {
        digits.get(dp as usize..).unwrap_or(&[]).to_vec()
    };
    let n = prec.unwrap_or(frac_digits.len());
    if n > 0 {
        s.push('.');
        for i in 0..n {
            s.push(*frac_digits.get(i).unwrap_or(&b'0') as char);
        }
    }
    s
}

/// `%e` with precision.
fn format_e(f: f64, prec: usize, e: char) -> String {
    if let Some(s) = special_float(f, false) {
        return s;
    }
    let s = format!("{:.*e}", prec, f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let a = exp.unsigned_abs();
    format!(
        "{sign}{mant}{e}{}{}{a}",
        if exp < 0 { '-' } else { '+' },
        if a < 10 { "0" } else { "" }
    )
}

/// `%g` with an explicit precision.
fn format_g_prec(f: f64, prec: usize, e: char, sharp: bool) -> String {
    if let Some(s) = special_float(f, false) {
        return s;
    }
    let p = prec.max(1);
    let es = format!("{:.*e}", p - 1, f.abs());
    let (mant, exp) = es.split_once('e').unwrap_or((&es, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if !sharp {
        while digits.len() > 1 && digits.last() == Some(&b'0') {
            digits.pop();
        }
    }
    let eprec = if !sharp && p > digits.len() && digits.len() as i32 > exp {
        digits.len() as i32
    } else {
        p as i32
    };
    if exp < -4 || exp >= eprec {
        return format!("{sign}{}", fmt_e_digits(&digits, exp, digits.len() - 1, e));
    }
    let decimals = (digits.len() as i32 - (exp + 1)).max(0) as usize;
    format!("{sign}{}", fmt_f_digits(&digits, exp, Some(decimals)))
}

/// Formats a float with `%v`.
pub fn format_float_v(f: f64) -> String {
    format_float_g_shortest(f)
}

/// Go's default formatting (`%v`) of a value.
pub fn format_v(v: &Value) -> String {
    let mut s = String::new();
    write_v(&mut s, v, 0);
    s
}

/// Nesting beyond this is not printed (guards against cyclic maps built with `set`).
const MAX_PRINT_DEPTH: usize = 200;

fn write_v(s: &mut String, v: &Value, depth: usize) {
    if depth > MAX_PRINT_DEPTH {
        s.push_str("...");
        return;
    }
    match v.kind() {
        Kind::Nil => s.push_str("<nil>"),
        Kind::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Kind::Int(i) | Kind::Int64(i) => s.push_str(&i.to_string()),
        Kind::Uint64(u) => s.push_str(&u.to_string()),
        Kind::Float(f) => s.push_str(&format_float_v(*f)),
        Kind::Str(x) => s.push_str(x),
        Kind::List(l) => {
            s.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                write_v(s, x, depth + 1);
            }
            s.push(']');
        }
        Kind::Map(m) => {
            s.push_str("map[");
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                s.push_str(k);
                s.push(':');
                write_v(s, x, depth + 1);
            }
            s.push(']');
        }
        Kind::Time(t) => s.push_str(&format_time_default(t)),
        Kind::Object(o) => s.push_str(&o.display()),
    }
}

/// Go's `time.Time.String()` (without the monotonic clock reading).
pub fn format_time_default(t: &GoTime) -> String {
    crate::funcs::date::go_format(t, "2006-01-02 15:04:05.999999999 -0700 MST")
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> Out {
    let mut out = Out::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a.kind(), Kind::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        push_v(&mut out, a);
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: spaces between all operands and a trailing newline.
pub fn sprintln(args: &[Value]) -> Out {
    let mut out = Out::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_v(&mut out, a);
    }
    out.push('\n');
    out
}

fn push_v(out: &mut Out, v: &Value) {
    let text = format_v(v);
    out.push_prov(&text, v.prov());
}

/// Widths and precisions are capped (Go has no cap; this bounds memory use).
const MAX_PAD: usize = 1 << 20;

#[derive(Default, Clone, Copy)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// `fmt.Sprintf`, keeping the provenance of the format string's literal parts and of
/// arguments printed whole.
pub fn sprintf(format: &Value, args: &[Value]) -> Out {
    let fmt_str = format.as_str().unwrap_or("");
    let fprov = format.prov();
    let mut out = Out::new();
    let bytes = fmt_str.as_bytes();
    let mut i = 0;
    let mut argn = 0;
    let mut lit_start = 0;
    let flush_lit = |out: &mut Out, from: usize, to: usize| {
        if from < to {
            out.push_prov(&fmt_str[from..to], &fprov.slice(from, to));
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        flush_lit(&mut out, lit_start, i);
        i += 1;
        let mut fl = Flags::default();
        // flags
        while i < bytes.len() {
            match bytes[i] {
                b'-' => {
                    fl.minus = true;
                    fl.zero = false;
                }
                b'+' => fl.plus = true,
                b'#' => fl.sharp = true,
                b' ' => fl.space = true,
                b'0' => fl.zero = !fl.minus,
                _ => break,
            }
            i += 1;
        }
        // width
        if i < bytes.len() && bytes[i] == b'*' {
            i += 1;
            match args.get(argn).map(Value::kind) {
                Some(Kind::Int(n)) | Some(Kind::Int64(n)) => {
                    if *n < 0 {
                        fl.minus = true;
                        fl.zero = false;
                    }
                    fl.width = Some((n.unsigned_abs() as usize).min(MAX_PAD));
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            argn += 1;
        } else {
            let st = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i > st {
                fl.width = fmt_str[st..i].parse().ok().map(|w: usize| w.min(MAX_PAD));
            }
        }
        // precision
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            if i < bytes.len() && bytes[i] == b'*' {
                i += 1;
                match args.get(argn).map(Value::kind) {
                    Some(Kind::Int(n)) | Some(Kind::Int64(n)) if *n >= 0 => {
                        fl.prec = Some((*n as usize).min(MAX_PAD))
                    }
                    _ => out.push_str("%!(BADPREC)"),
                }
                argn += 1;
            } else {
                let st = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                fl.prec = Some(fmt_str[st..i].parse().unwrap_or(0usize).min(MAX_PAD));
            }
        }
        if i >= bytes.len() {
            out.push_str("%!(NOVERB)");
            lit_start = i;
            break;
        }
        let verb = fmt_str[i..].chars().next().unwrap_or('?');
        i += verb.len_utf8();
        if verb == 'v' {
            // %+v and %#v select struct/Go-syntax forms; they do not sign numbers.
            fl.plus = false;
        }
        lit_start = i;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(argn) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argn += 1;
        let text = fmt_arg(arg, verb, fl);
        // Provenance: a string printed whole keeps its spans; other scalars keep their origin.
        let whole = fl.width.is_none() && fl.prec.is_none();
        match arg.kind() {
            Kind::Str(_) if whole && (verb == 's' || verb == 'v') => {
                out.push_prov(&text, arg.prov())
            }
            Kind::List(_) | Kind::Map(_) => out.push_str(&text),
            _ => out.push_origin(&text, arg.prov().first_origin()),
        }
    }
    flush_lit(&mut out, lit_start, bytes.len());
    if argn < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[argn..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("{}={}", a.type_name(), format_v(a)));
        }
        out.push(')');
    }
    out
}

fn bad_verb(verb: char, v: &Value) -> String {
    match v.kind() {
        Kind::Nil => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", v.type_name(), format_v(v)),
    }
}

fn pad(s: String, fl: Flags) -> String {
    let n = s.chars().count();
    match fl.width {
        Some(w) if w > n => {
            let fill = w - n;
            if fl.minus {
                format!("{s}{}", " ".repeat(fill))
            } else if fl.zero {
                format!("{}{s}", "0".repeat(fill))
            } else {
                format!("{}{s}", " ".repeat(fill))
            }
        }
        _ => s,
    }
}

/// Pads a number, honouring the zero flag (zeros go after the sign).
fn pad_num(s: String, fl: Flags) -> String {
    if fl.zero && !fl.minus {
        if let Some(w) = fl.width {
            let n = s.chars().count();
            if w > n {
                let (sign, rest) = if s.starts_with(['-', '+', ' ']) {
                    s.split_at(1)
                } else {
                    ("", s.as_str())
                };
                return format!("{sign}{}{rest}", "0".repeat(w - n));
            }
        }
    }
    pad(s, fl)
}

fn fmt_arg(v: &Value, verb: char, fl: Flags) -> String {
    fmt_arg_depth(v, verb, fl, 0)
}

fn fmt_arg_depth(v: &Value, verb: char, fl: Flags, depth: usize) -> String {
    if depth > MAX_PRINT_DEPTH {
        return "...".into();
    }
    if verb == 'T' {
        return pad(v.type_name(), fl);
    }
    match v.kind() {
        Kind::Nil => match verb {
            'v' => pad("<nil>".into(), fl),
            _ => bad_verb(verb, v),
        },
        Kind::Bool(b) => match verb {
            't' | 'v' => pad(b.to_string(), fl),
            _ => bad_verb(verb, v),
        },
        Kind::Int(i) | Kind::Int64(i) => fmt_int(*i as i128, verb, fl, v),
        Kind::Uint64(u) => fmt_int(*u as i128, verb, fl, v),
        Kind::Float(f) => fmt_float(*f, verb, fl, v),
        Kind::Str(s) => fmt_str(s, verb, fl, v),
        Kind::List(l) => {
            let mut s = String::from("[");
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                s.push_str(&fmt_arg_depth(
                    x,
                    verb,
                    Flags { width: None, ..fl },
                    depth + 1,
                ));
            }
            s.push(']');
            pad(s, fl)
        }
        Kind::Map(m) => {
            let mut s = String::from("map[");
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                let kf = Flags { width: None, ..fl };
                s.push_str(&fmt_str(k, verb, kf, &Value::str(k.clone())));
                s.push(':');
                s.push_str(&fmt_arg_depth(x, verb, kf, depth + 1));
            }
            s.push(']');
            pad(s, fl)
        }
        Kind::Time(_) | Kind::Object(_) => match verb {
            'v' | 's' => pad(format_v(v), fl),
            'q' => pad(go_quote(&format_v(v)), fl),
            _ => bad_verb(verb, v),
        },
    }
}

fn fmt_int(i: i128, verb: char, fl: Flags, v: &Value) -> String {
    let neg = i < 0;
    let a = i.unsigned_abs();
    let sign = if neg {
        "-"
    } else if fl.plus {
        "+"
    } else if fl.space {
        " "
    } else {
        ""
    };
    let body = match verb {
        'd' | 'v' => a.to_string(),
        'b' => format!("{a:b}"),
        'o' => {
            if fl.sharp {
                format!("0{a:o}")
            } else {
                format!("{a:o}")
            }
        }
        'O' => format!("0o{a:o}"),
        'x' => {
            if fl.sharp {
                format!("0x{a:x}")
            } else {
                format!("{a:x}")
            }
        }
        'X' => {
            if fl.sharp {
                format!("0X{a:X}")
            } else {
                format!("{a:X}")
            }
        }
        'c' => {
            return pad(
                char::from_u32(i as u32).unwrap_or('\u{FFFD}').to_string(),
                fl,
            )
        }
        'q' => {
            let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
            return pad(quote_rune(c), fl);
        }
        'U' => {
            let mut s = format!("U+{:04X}", i);
            if fl.sharp {
                if let Some(c) = char::from_u32(i as u32) {
                    if is_go_printable(c) {
                        s.push_str(&format!(" '{c}'"));
                    }
                }
            }
            return pad(s, fl);
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => return bad_verb(verb, v),
        _ => return bad_verb(verb, v),
    };
    let body = match fl.prec {
        Some(p) if body.len() < p => format!("{}{body}", "0".repeat(p - body.len())),
        Some(0) if a == 0 => String::new(),
        _ => body,
    };
    let s = format!("{sign}{body}");
    if fl.prec.is_some() {
        // A precision disables zero padding for integers.
        pad(s, Flags { zero: false, ..fl })
    } else {
        pad_num(s, fl)
    }
}

fn quote_rune(c: char) -> String {
    let q = go_quote(&c.to_string());
    let inner = &q[1..q.len() - 1];
    let inner = if inner == "\\\"" {
        "\""
    } else if c == '\'' {
        "\\'"
    } else {
        inner
    };
    format!("'{inner}'")
}

fn fmt_float(f: f64, verb: char, fl: Flags, v: &Value) -> String {
    let mut s = match verb {
        'v' | 'g' => match fl.prec {
            Some(p) => format_g_prec(f, p, 'e', fl.sharp),
            None => format_float_g_shortest(f),
        },
        'G' => match fl.prec {
            Some(p) => format_g_prec(f, p, 'E', fl.sharp),
            None => format_float_g_shortest(f).to_uppercase(),
        },
        'e' | 'E' => format_e(f, fl.prec.unwrap_or(6), verb),
        'f' | 'F' => {
            if let Some(s) = special_float(f, false) {
                s
            } else {
                format!("{:.*}", fl.prec.unwrap_or(6), f)
            }
        }
        _ => return bad_verb(verb, v),
    };
    if !s.starts_with(['-', '+']) {
        if fl.plus {
            s.insert(0, '+');
        } else if fl.space {
            s.insert(0, ' ');
        }
    }
    if f.is_infinite() || f.is_nan() {
        return pad(s, Flags { zero: false, ..fl });
    }
    pad_num(s, fl)
}

fn fmt_str(s: &str, verb: char, fl: Flags, v: &Value) -> String {
    let truncated: String = match fl.prec {
        Some(p) if matches!(verb, 's' | 'v' | 'q') => s.chars().take(p).collect(),
        _ => s.to_string(),
    };
    match verb {
        's' | 'v' => pad(truncated, fl),
        'q' => {
            if fl.sharp
                && !truncated.contains('`')
                && truncated
                    .chars()
                    .all(|c| c != '\n' && (c == '\t' || !c.is_control()))
            {
                pad(format!("`{truncated}`"), fl)
            } else if fl.plus {
                pad(ascii_quote(&truncated), fl)
            } else {
                pad(go_quote(&truncated), fl)
            }
        }
        'x' | 'X' => {
            let bytes = s.as_bytes();
            let bytes = match fl.prec {
                Some(p) => &bytes[..p.min(bytes.len())],
                None => bytes,
            };
            let mut out = String::new();
            for (i, b) in bytes.iter().enumerate() {
                if fl.space && i > 0 {
                    out.push(' ');
                }
                if fl.sharp && (fl.space || i == 0) {
                    out.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    out.push_str(&format!("{b:02x}"));
                } else {
                    out.push_str(&format!("{b:02X}"));
                }
            }
            pad(out, fl)
        }
        _ => bad_verb(verb, v),
    }
}

fn ascii_quote(s: &str) -> String {
    let q = go_quote(s);
    let mut out = String::new();
    for c in q.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if (c as u32) < 0x10000 {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push_str(&format!("\\U{:08x}", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_go() {
        assert_eq!(format_float_v(1.0), "1");
        assert_eq!(format_float_v(1e6), "1e+06");
        assert_eq!(format_float_v(123456.0), "123456");
        assert_eq!(format_float_v(0.0001), "0.0001");
        assert_eq!(format_float_v(0.00001), "1e-05");
        assert_eq!(format_float_v(-2.5), "-2.5");
        assert_eq!(format_float_v(f64::INFINITY), "+Inf");
        let f = |fmt: &str, v: Value| sprintf(&Value::str(fmt), &[v]).text;
        assert_eq!(f("%.3g", Value::float(4.56789)), "4.57");
        assert_eq!(f("%g", Value::float(100000.0)), "100000");
        assert_eq!(f("%e", Value::float(0.0)), "0.000000e+00");
        assert_eq!(f("%8.2f|", Value::float(-4.56789)), "   -4.57|");
        assert_eq!(f("%q", Value::str("a\nb")), "\"a\\nb\"");
        assert_eq!(f("%5t", Value::bool(true)), " true");
    }
}
