//! `semver` and `semverCompare` with Masterminds/semver v3 semantics (own implementation):
//! loose versions (`v1.2`), wildcards (`1.2.x`, `*`), operators `= != > < >= <= ~ ~> ^`,
//! hyphen ranges, `,`/space AND, `||` OR, and the rule that a prerelease version only
//! satisfies constraints that themselves carry a prerelease.

use std::cmp::Ordering;
use std::rc::Rc;

use super::{s, FuncMap, Param};
use crate::lex::go_quote;
use crate::value::{MethodError, Object, Value};

use Param::*;

/// Why a version or a constraint does not parse (Masterminds/semver's messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SemverError {
    /// Not a semantic version.
    #[error("invalid semantic version")]
    InvalidVersion,
    /// Not a constraint (the text, as written).
    #[error("improper constraint: {}", go_quote(.0))]
    ImproperConstraint(String),
}

/// A parsed semantic version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    meta: String,
    original: String,
}

fn ident_ok(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
}

/// Parses like `semver.NewVersion`.
pub(crate) fn parse_version(v: &str) -> Result<Version, SemverError> {
    let bad = || SemverError::InvalidVersion;
    let t = v.strip_prefix('v').unwrap_or(v);
    let (t, meta) = match t.split_once('+') {
        Some((a, b)) => (a, b.to_string()),
        None => (t, String::new()),
    };
    let (core, pre) = match t.split_once('-') {
        Some((a, b)) => (a, b.to_string()),
        None => (t, String::new()),
    };
    if (!pre.is_empty() || t.contains('-')) && !ident_ok(&pre) {
        return Err(bad());
    }
    if (!meta.is_empty() || v.contains('+')) && !ident_ok(&meta) {
        return Err(bad());
    }
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err(bad());
    }
    let mut nums = [0u64; 3];
    for (k, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        nums[k] = p.parse().map_err(|_| bad())?;
    }
    Ok(Version {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        pre,
        meta,
        original: v.to_string(),
    })
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for (x, y) in ap.iter().zip(bp.iter()) {
        let xn = x.parse::<u64>().ok();
        let yn = y.parse::<u64>().ok();
        let o = match (xn, yn) {
            (Some(p), Some(q)) => p.cmp(&q),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    ap.len().cmp(&bp.len())
}

impl Version {
    fn cmp(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| cmp_pre(&self.pre, &o.pre))
    }
    fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.meta.is_empty() {
            s.push('+');
            s.push_str(&self.meta);
        }
        s
    }
}

impl Object for Version {
    fn type_name(&self) -> String {
        "*semver.Version".into()
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String"
        )
    }
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, MethodError> {
        Ok(match name {
            "Major" => Value::new(crate::value::Kind::Uint64(self.major)),
            "Minor" => Value::new(crate::value::Kind::Uint64(self.minor)),
            "Patch" => Value::new(crate::value::Kind::Uint64(self.patch)),
            "Prerelease" => Value::str(self.pre.as_str()),
            "Metadata" => Value::str(self.meta.as_str()),
            "Original" => Value::str(self.original.as_str()),
            _ => Value::str(self.string()),
        })
    }
    fn display(&self) -> String {
        self.string()
    }
    fn to_plain(&self) -> Value {
        Value::str(self.string())
    }
}

#[derive(Debug)]
struct Constraint {
    op: String,
    v: Version,
    /// Number of specified numeric parts (wildcards / missing parts are "dirty").
    parts: usize,
}

fn parse_constraint_version(t: &str) -> Result<(Version, usize), SemverError> {
    let t0 = t.strip_prefix('v').unwrap_or(t);
    let (core, rest) = match t0.find(['-', '+']) {
        Some(i) => (&t0[..i], &t0[i..]),
        None => (t0, ""),
    };
    let mut parts = 0;
    let mut nums = Vec::new();
    for p in core.split('.') {
        if matches!(p, "x" | "X" | "*") {
            break;
        }
        nums.push(p);
        parts += 1;
    }
    if parts > 3 || (core != "*" && core.split('.').count() > 3) {
        return Err(SemverError::ImproperConstraint(t.to_string()));
    }
    while nums.len() < 3 {
        nums.push("0");
    }
    let text = format!("{}{}", nums.join("."), rest);
    let v = parse_version(&text).map_err(|_| SemverError::ImproperConstraint(t.to_string()))?;
    Ok((v, parts))
}

fn parse_single(c: &str) -> Result<Constraint, SemverError> {
    let c = c.trim();
    let ops = ["!=", ">=", "=>", "<=", "=<", "~>", ">", "<", "=", "~", "^"];
    let mut op = "";
    for o in ops {
        if c.starts_with(o) {
            op = o;
            break;
        }
    }
    let rest = c[op.len()..].trim();
    if rest.is_empty() {
        return Err(SemverError::ImproperConstraint(c.to_string()));
    }
    let (v, parts) = parse_constraint_version(rest)?;
    let op = match op {
        "=>" => ">=",
        "=<" => "<=",
        "~>" => "~",
        o => o,
    };
    Ok(Constraint {
        op: op.to_string(),
        v,
        parts,
    })
}

fn trunc_cmp(v: &Version, c: &Version, parts: usize) -> Ordering {
    let a = [v.major, v.minor, v.patch];
    let b = [c.major, c.minor, c.patch];
    for k in 0..parts.min(3) {
        match a[k].cmp(&b[k]) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    if parts >= 3 {
        return cmp_pre(&v.pre, &c.pre);
    }
    Ordering::Equal
}

fn check(c: &Constraint, v: &Version) -> bool {
    if !v.pre.is_empty() && c.v.pre.is_empty() {
        return false;
    }
    let dirty = c.parts < 3;
    match c.op.as_str() {
        "" | "=" => {
            if dirty {
                trunc_cmp(v, &c.v, c.parts) == Ordering::Equal
            } else {
                v.cmp(&c.v) == Ordering::Equal
            }
        }
        "!=" => {
            if dirty {
                trunc_cmp(v, &c.v, c.parts) != Ordering::Equal
            } else {
                v.cmp(&c.v) != Ordering::Equal
            }
        }
        ">" => {
            if dirty {
                trunc_cmp(v, &c.v, c.parts) == Ordering::Greater
            } else {
                v.cmp(&c.v) == Ordering::Greater
            }
        }
        "<" => v.cmp(&c.v) == Ordering::Less,
        ">=" => v.cmp(&c.v) != Ordering::Less,
        "<=" => {
            if dirty {
                trunc_cmp(v, &c.v, c.parts) != Ordering::Greater
            } else {
                v.cmp(&c.v) != Ordering::Greater
            }
        }
        "~" => {
            if v.cmp(&c.v) == Ordering::Less {
                return false;
            }
            if v.major != c.v.major {
                return false;
            }
            !(c.parts >= 2 && v.minor != c.v.minor)
        }
        "^" => {
            if v.cmp(&c.v) == Ordering::Less {
                return false;
            }
            if c.v.major > 0 || c.parts < 2 {
                return v.major == c.v.major;
            }
            if c.v.minor > 0 || c.parts < 3 {
                return v.major == 0 && v.minor == c.v.minor;
            }
            v.major == 0 && v.minor == 0 && v.patch == c.v.patch
        }
        _ => false,
    }
}

/// Parses a constraint string into OR-groups of AND-ed constraints.
fn parse_constraints(text: &str) -> Result<Vec<Vec<Constraint>>, SemverError> {
    let mut groups = Vec::new();
    for g in text.split("||") {
        let g = g.trim();
        let mut cs = Vec::new();
        // Hyphen ranges "a - b".
        let tokens: Vec<String> = {
            let mut toks: Vec<String> = Vec::new();
            for piece in g.split(',') {
                let mut words: Vec<&str> = piece.split_whitespace().collect();
                // Join operators separated from their version by spaces (">= 1.2").
                let mut k = 0;
                while k < words.len() {
                    let w = words[k];
                    if k + 2 < words.len() && words[k + 1] == "-" {
                        toks.push(format!("{w} - {}", words[k + 2]));
                        k += 3;
                        continue;
                    }
                    if w.chars().all(|c| "<>=!~^".contains(c)) && k + 1 < words.len() {
                        toks.push(format!("{w}{}", words[k + 1]));
                        k += 2;
                        continue;
                    }
                    toks.push(w.to_string());
                    k += 1;
                }
                words.clear();
            }
            toks
        };
        if tokens.is_empty() {
            return Err(SemverError::ImproperConstraint(text.to_string()));
        }
        for t in tokens {
            if let Some((a, b)) = t.split_once(" - ") {
                cs.push(parse_single(&format!(">={a}"))?);
                cs.push(parse_single(&format!("<={b}"))?);
            } else if matches!(t.as_str(), "*" | "x" | "X") {
                cs.push(Constraint {
                    op: ">=".into(),
                    v: parse_version("0.0.0")?,
                    parts: 0,
                });
            } else {
                cs.push(parse_single(&t)?);
            }
        }
        groups.push(cs);
    }
    Ok(groups)
}

/// `semverCompare constraint version`.
pub fn semver_compare(constraint: &str, version: &str) -> Result<bool, SemverError> {
    let groups = parse_constraints(constraint)?;
    let v = parse_version(version)?;
    Ok(groups.iter().any(|g| g.iter().all(|c| check(c, &v))))
}

pub(crate) fn register(m: &mut FuncMap) {
    m.add("semver", &[Str], None, |a| {
        let v = parse_version(s(&a[0]))?;
        Ok(Value::object(Rc::new(v)))
    });
    m.add("semverCompare", &[Str, Str], None, |a| {
        Ok(Value::bool(semver_compare(s(&a[0]), s(&a[1]))?))
    });
}

#[cfg(test)]
mod tests {
    use super::semver_compare;

    #[test]
    fn constraints() {
        let t = |c: &str, v: &str| semver_compare(c, v).unwrap();
        assert!(t(">=1.19-0", "v1.28.3"));
        assert!(t(">=1.19-0", "1.20.0-gke.1"));
        assert!(!t(">=1.19", "1.20.0-gke.1"));
        assert!(t("^1.2.0", "1.9.9"));
        assert!(!t("^1.2.0", "2.0.0"));
        assert!(t("~1.2.3", "1.2.9"));
        assert!(!t("~1.2.3", "1.3.0"));
        assert!(t("1.2.x", "1.2.7"));
        assert!(t(">1.0 <2.0 || 3.x", "3.4.0"));
        assert!(t("1.0 - 2.0", "2.0.0"));
        assert!(!t("!=1.0.0", "1.0.0"));
        assert_eq!(
            semver_compare("bad", "1.0.0").unwrap_err().to_string(),
            "improper constraint: \"bad\""
        );
        assert_eq!(
            semver_compare(">1", "x").unwrap_err().to_string(),
            "invalid semantic version"
        );
    }
}
