//! Sprig regular-expression functions over the `regex` crate (RE2-compatible syntax).

use regex::Regex;

use super::{i, s, FuncMap, Param};
use crate::value::Value;

use Param::*;

/// A pattern Go's `regexp` refuses: the `regexp/syntax` error code and the pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error parsing regexp: {code}: `{pattern}`")]
pub(crate) struct RegexpError {
    code: &'static str,
    pattern: String,
}

/// Compiles `re`, describing failures with Go's `regexp/syntax` error codes.
fn compile_go(re: &str) -> Result<Regex, RegexpError> {
    Regex::new(re).map_err(|e| {
        let text = e.to_string();
        let code = if text.contains("unclosed group") {
            "missing closing )"
        } else if text.contains("unopened group") {
            "unexpected )"
        } else if text.contains("repetition operator missing expression") {
            "missing argument to repetition operator"
        } else if text.contains("unclosed character class") {
            "missing closing ]"
        } else if text.contains("incomplete escape sequence") {
            "trailing backslash at end of expression"
        } else if text.contains("escape sequence") {
            "invalid escape sequence"
        } else if text.contains("invalid character class range") {
            "invalid character class range"
        } else if text.contains("repetition quantifier") || text.contains("decimal") {
            "invalid repeat count"
        } else if text.contains("capture group name") {
            "invalid named capture"
        } else {
            "invalid syntax"
        };
        RegexpError {
            code,
            pattern: re.to_string(),
        }
    })
}

/// `must*` variants: the error as is.
fn compile(re: &str) -> Result<Regex, super::FuncError> {
    compile_go(re).map_err(Into::into)
}

/// Plain variants use `regexp.MustCompile`, whose panic text Go reports.
fn must_compile(re: &str) -> Result<Regex, super::FuncError> {
    compile_go(re).map_err(|e| format!("regexp: Compile(`{re}`): {e}").into())
}

/// Go's `Regexp.Expand` template syntax (`$1`, `${1}`, `$name`, `$$`) maps onto the
/// regex crate's, except that Go treats an unknown group as empty, as Rust does.
type Imp = fn(Vec<Value>, fn(&str) -> Result<Regex, super::FuncError>) -> super::FuncResult;

fn both(m: &mut FuncMap, name: &str, params: &[Param], f: Imp) {
    m.add(name, params, None, move |a| f(a, must_compile));
    let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    m.add(&must, params, None, move |a| f(a, compile));
}

pub(crate) fn register(m: &mut FuncMap) {
    // Sprig's regexMatch ignores compile errors (no match).
    m.add("regexMatch", &[Str, Str], None, |a| {
        Ok(Value::bool(
            compile_go(s(&a[0])).is_ok_and(|re| re.is_match(s(&a[1]))),
        ))
    });
    m.add("mustRegexMatch", &[Str, Str], None, |a| {
        Ok(Value::bool(compile(s(&a[0]))?.is_match(s(&a[1]))))
    });
    both(m, "regexFind", &[Str, Str], |a, compile| {
        let re = compile(s(&a[0]))?;
        Ok(Value::str(re.find(s(&a[1])).map_or("", |x| x.as_str())))
    });
    both(m, "regexFindAll", &[Str, Str, Int], |a, compile| {
        let re = compile(s(&a[0]))?;
        let n = i(&a[2]);
        let it = re.find_iter(s(&a[1])).map(|x| Value::str(x.as_str()));
        let v: Vec<Value> = if n < 0 {
            it.collect()
        } else {
            it.take(n as usize).collect()
        };
        Ok(Value::list(v))
    });
    both(m, "regexReplaceAll", &[Str, Str, Str], |a, compile| {
        let re = compile(s(&a[0]))?;
        Ok(Value::str(re.replace_all(s(&a[1]), s(&a[2])).into_owned()))
    });
    both(
        m,
        "regexReplaceAllLiteral",
        &[Str, Str, Str],
        |a, compile| {
            let re = compile(s(&a[0]))?;
            Ok(Value::str(
                re.replace_all(s(&a[1]), regex::NoExpand(s(&a[2])))
                    .into_owned(),
            ))
        },
    );
    both(m, "regexSplit", &[Str, Str, Int], |a, compile| {
        let re = compile(s(&a[0]))?;
        let n = i(&a[2]);
        let t = s(&a[1]);
        if n == 0 {
            return Ok(Value::list(Vec::new()));
        }
        let v: Vec<Value> = if n < 0 {
            re.split(t).map(Value::str).collect()
        } else {
            re.splitn(t, n as usize).map(Value::str).collect()
        };
        Ok(Value::list(v))
    });
    m.add("regexQuoteMeta", &[Str], None, |a| {
        Ok(Value::str(regex::escape(s(&a[0]))))
    });
}
