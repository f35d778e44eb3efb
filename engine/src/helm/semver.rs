//! The part of Masterminds/semver v3 that Helm uses to match a dependency's version range
//! (`IsCompatibleRange`) and to parse `--kube-version`: lenient versions (`v1.2`, `1`), and
//! constraints with `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards (`x`, `X`, `*`),
//! hyphen ranges, `,`/space for "and", `||` for "or". A pre-release version only matches a
//! constraint that itself names a pre-release, as in Masterminds.

use std::cmp::Ordering;

/// A parsed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
    /// Pre-release (after `-`), empty when none.
    pub pre: String,
}

impl Version {
    /// Masterminds' `NewVersion` (lenient: `v` prefix, missing minor or patch).
    pub(super) fn parse(s: &str) -> Option<Version> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let (core, _meta) = s.split_once('+').unwrap_or((s, ""));
        let (core, pre) = core.split_once('-').unwrap_or((core, ""));
        let mut parts = core.split('.');
        let num = |p: Option<&str>| -> Option<Option<u64>> {
            match p {
                None => Some(None),
                Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
                    t.parse().ok().map(Some)
                }
                Some(_) => None,
            }
        };
        let major = num(parts.next())??;
        let minor = num(parts.next())?.unwrap_or(0);
        let patch = num(parts.next())?.unwrap_or(0);
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            pre: pre.to_string(),
        })
    }

    fn cmp_version(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| cmp_pre(&self.pre, &o.pre))
    }
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    _ => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// One comparison of a constraint: the operator and a possibly partial version.
#[derive(Debug, Clone)]
struct Term {
    op: String,
    /// Major, minor, patch; `None` is a wildcard or a missing part.
    parts: [Option<u64>; 3],
    pre: String,
}

impl Term {
    fn low(&self) -> Version {
        Version {
            major: self.parts[0].unwrap_or(0),
            minor: self.parts[1].unwrap_or(0),
            patch: self.parts[2].unwrap_or(0),
            pre: self.pre.clone(),
        }
    }

    fn dirty(&self) -> bool {
        self.parts.iter().any(Option::is_none)
    }

    /// The exclusive upper bound of the range that the partial version covers.
    fn wildcard_upper(&self) -> Option<Version> {
        let v = |major, minor| Version {
            major,
            minor,
            patch: 0,
            pre: String::new(),
        };
        match self.parts {
            [None, _, _] => None,
            [Some(m), None, _] => Some(v(m + 1, 0)),
            [Some(m), Some(n), None] => Some(v(m, n + 1)),
            _ => None,
        }
    }

    fn check(&self, ver: &Version) -> bool {
        let low = self.low();
        let c = ver.cmp_version(&low);
        match self.op.as_str() {
            "" | "=" => match self.wildcard_upper() {
                _ if self.parts[0].is_none() => true,
                Some(up) => c != Ordering::Less && ver.cmp_version(&up) == Ordering::Less,
                None => c == Ordering::Equal,
            },
            "!=" => match self.wildcard_upper() {
                Some(up) => c == Ordering::Less || ver.cmp_version(&up) != Ordering::Less,
                None => self.parts[0].is_some() && c != Ordering::Equal,
            },
            ">" => {
                if self.dirty() {
                    match self.wildcard_upper() {
                        Some(up) => ver.cmp_version(&up) != Ordering::Less,
                        None => false,
                    }
                } else {
                    c == Ordering::Greater
                }
            }
            ">=" | "=>" => c != Ordering::Less,
            "<" => c == Ordering::Less,
            "<=" | "=<" => match self.wildcard_upper() {
                Some(up) => ver.cmp_version(&up) == Ordering::Less,
                None => self.parts[0].is_none() || c != Ordering::Greater,
            },
            "~" | "~>" => {
                let up = match self.parts {
                    [Some(m), None, _] => Version::parse(&format!("{}.0.0", m + 1)),
                    [Some(m), Some(n), _] => Version::parse(&format!("{m}.{}.0", n + 1)),
                    _ => return true,
                };
                c != Ordering::Less && up.is_some_and(|u| ver.cmp_version(&u) == Ordering::Less)
            }
            "^" => {
                let up = match self.parts {
                    [Some(0), Some(0), Some(p)] => format!("0.0.{}", p + 1),
                    [Some(0), Some(n), _] if n > 0 => format!("0.{}.0", n + 1),
                    [Some(0), None, _] => "1.0.0".to_string(),
                    [Some(0), Some(0), None] => "0.1.0".to_string(),
                    [Some(m), _, _] => format!("{}.0.0", m + 1),
                    [None, _, _] => return true,
                };
                c != Ordering::Less
                    && Version::parse(&up).is_some_and(|u| ver.cmp_version(&u) == Ordering::Less)
            }
            _ => false,
        }
    }
}

fn parse_term(s: &str) -> Option<Term> {
    let s = s.trim();
    let op_len = s
        .find(|c: char| !matches!(c, '=' | '!' | '<' | '>' | '~' | '^'))
        .unwrap_or(s.len());
    let (op, rest) = s.split_at(op_len);
    let rest = rest.trim();
    let rest = rest.strip_prefix('v').unwrap_or(rest);
    let (core, _) = rest.split_once('+').unwrap_or((rest, ""));
    let (core, pre) = core.split_once('-').unwrap_or((core, ""));
    let mut parts = [None, None, None];
    if !core.is_empty() {
        for (i, p) in core.split('.').enumerate() {
            if i > 2 {
                return None;
            }
            parts[i] = match p {
                "x" | "X" | "*" => None,
                n => Some(n.parse::<u64>().ok()?),
            };
        }
    }
    if !matches!(
        op,
        "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^"
    ) {
        return None;
    }
    Some(Term {
        op: op.to_string(),
        parts,
        pre: pre.to_string(),
    })
}

/// A parsed constraint: alternatives (`||`) of conjunctions.
#[derive(Debug, Clone)]
pub(super) struct Constraint {
    alternatives: Vec<Vec<Term>>,
}

impl Constraint {
    /// Masterminds' `NewConstraint`; `None` when it does not parse. An empty constraint
    /// matches everything, as `*`.
    pub(super) fn parse(s: &str) -> Option<Constraint> {
        let mut alternatives = Vec::new();
        for alt in s.split("||") {
            let mut terms = Vec::new();
            let tokens: Vec<&str> = alt
                .split([',', ' '])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            let mut i = 0;
            // Operators written apart from their version (`>= 1.2`) join the next token.
            let mut joined: Vec<String> = Vec::new();
            while i < tokens.len() {
                let t = tokens[i];
                if t.chars()
                    .all(|c| matches!(c, '=' | '!' | '<' | '>' | '~' | '^'))
                    && i + 1 < tokens.len()
                {
                    joined.push(format!("{t}{}", tokens[i + 1]));
                    i += 2;
                } else {
                    joined.push(t.to_string());
                    i += 1;
                }
            }
            let mut j = 0;
            while j < joined.len() {
                if j + 2 < joined.len() && joined[j + 1] == "-" {
                    terms.push(parse_term(&format!(">={}", joined[j]))?);
                    terms.push(parse_term(&format!("<={}", joined[j + 2]))?);
                    j += 3;
                    continue;
                }
                terms.push(parse_term(&joined[j])?);
                j += 1;
            }
            if terms.is_empty() {
                terms.push(parse_term("*")?);
            }
            alternatives.push(terms);
        }
        Some(Constraint { alternatives })
    }

    /// Whether a version satisfies the constraint.
    pub(super) fn check(&self, v: &Version) -> bool {
        self.alternatives.iter().any(|terms| {
            if !v.pre.is_empty() && !terms.iter().any(|t| !t.pre.is_empty()) {
                return false;
            }
            terms.iter().all(|t| t.check(v))
        })
    }
}

/// Helm's `IsCompatibleRange(constraint, version)`.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraint::parse(constraint)) {
        (Some(v), Some(c)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_compatible_range as ok;

    #[test]
    fn ranges_match_as_masterminds() {
        assert!(ok("2.x.x", "2.31.4"));
        assert!(!ok("2.x.x", "3.0.0"));
        assert!(!ok("2.x.x", "2.1.0-rc1"));
        assert!(ok("~1.2.3", "1.2.9"));
        assert!(!ok("~1.2.3", "1.3.0"));
        assert!(ok("^1.2", "1.9.0"));
        assert!(!ok("^0.2.3", "0.3.0"));
        assert!(ok(">=1.0.0 <2.0.0", "1.5.0"));
        assert!(ok(">= 1.0, < 2", "1.5.0"));
        assert!(ok("1.0.0 - 2.0.0", "2.0.0"));
        assert!(ok("1.x || >=3", "3.1.0"));
        assert!(ok("", "1.0.0"));
        assert!(ok("*", "0.0.1"));
        assert!(ok("4.38.0", "4.38.0"));
        assert!(!ok("4.38.0", "4.38.1"));
        assert!(ok(">=1.25.0-0", "1.29.0"));
        assert!(!ok("garbage", "1.0.0"));
        assert!(!ok("1.0.0", "not-a-version"));
    }
}
