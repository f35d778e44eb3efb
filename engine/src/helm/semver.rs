//! The part of Masterminds/semver v3 that Helm uses to match a dependency's version range
//! (`IsCompatibleRange`) and to parse `--kube-version`: lenient versions (`v1.2`, `1`), and
//! constraints with `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards (`x`, `X`, `*`),
//! hyphen ranges, `,`/space for "and", `||` for "or". A pre-release version only matches a
//! constraint that itself names a pre-release, as in Masterminds.

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
}

impl Version {
    /// Semantic version precedence: numbers, then a version without pre-release above one
    /// with, pre-release identifiers compared numerically or as text.
    pub(super) fn precedence(&self, other: &Version) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let numbers =
            (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        if numbers != Ordering::Equal {
            return numbers;
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        let mut a = self.pre.split('.');
        let mut b = other.pre.split('.');
        loop {
            match (a.next(), b.next()) {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(x), Some(y)) => {
                    let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                        (Ok(m), Ok(n)) => m.cmp(&n),
                        (Ok(_), Err(_)) => Ordering::Less,
                        (Err(_), Ok(_)) => Ordering::Greater,
                        (Err(_), Err(_)) => x.cmp(y),
                    };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
            }
        }
    }
}

/// Helm's `IsCompatibleRange(constraint, version)`: the constraint semantics are the template
/// engine's (Masterminds/semver, as Sprig's `semverCompare`), with Helm's empty constraint.
pub(crate) fn is_compatible_range(constraint: &str, version: &str) -> bool {
    if Version::parse(version).is_none() {
        return false;
    }
    if constraint.trim().is_empty() {
        return true;
    }
    cct_template::semver_compare(constraint, version).unwrap_or(false)
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

    #[test]
    fn precedence_of_versions() {
        use super::Version;
        use std::cmp::Ordering::*;
        let v = |s: &str| Version::parse(s).unwrap();
        assert_eq!(v("1.10.0").precedence(&v("1.9.9")), Greater);
        assert_eq!(v("1.0.0").precedence(&v("1.0.0-rc.1")), Greater);
        assert_eq!(v("1.0.0-rc.2").precedence(&v("1.0.0-rc.10")), Less);
        assert_eq!(v("1.0.0-alpha").precedence(&v("1.0.0-1")), Greater);
        assert_eq!(v("v2").precedence(&v("2.0.0")), Equal);
    }
}
