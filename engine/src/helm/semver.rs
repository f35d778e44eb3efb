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
}
