//! `.helmignore` rules, as Helm's `internal/ignore` reads them: one pattern a line (`#`
//! comments), `!` negation, a trailing `/` for directories only, a leading `/` anchoring at the
//! chart root, a pattern with `/` matched against the whole path, one without against the base
//! name; `**` is refused. Helm always adds `templates/.?*`.

use super::pattern::{BadPattern, Pattern};

/// A `.helmignore` rule Helm refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum IgnoreError {
    /// `**` in a rule.
    #[error("double-star (**) syntax is not supported")]
    DoubleStar,
    /// A malformed pattern.
    #[error(transparent)]
    Pattern(#[from] BadPattern),
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: Pattern,
    negate: bool,
    must_dir: bool,
    /// Match the base name only (no `/` in the pattern).
    base_only: bool,
}

/// Parsed `.helmignore` rules.
#[derive(Debug, Clone, Default)]
pub(super) struct IgnoreRules {
    rules: Vec<Rule>,
}

impl IgnoreRules {
    /// Parse a `.helmignore` text (Helm's defaults added); an error names the bad line.
    pub(super) fn parse(text: &str) -> Result<IgnoreRules, IgnoreError> {
        let mut r = IgnoreRules::default();
        for line in text.lines() {
            r.add(line)?;
        }
        r.add("templates/.?*")?;
        Ok(r)
    }

    /// Helm's defaults only (no `.helmignore`).
    pub(super) fn defaults() -> IgnoreRules {
        IgnoreRules::parse("").unwrap_or_default()
    }

    fn add(&mut self, rule: &str) -> Result<(), IgnoreError> {
        let mut rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(IgnoreError::DoubleStar);
        }
        Pattern::go_path(rule)?;
        let negate = if let Some(r) = rule.strip_prefix('!') {
            rule = r;
            true
        } else {
            false
        };
        let must_dir = if let Some(r) = rule.strip_suffix('/') {
            rule = r;
            true
        } else {
            false
        };
        let (text, base_only) = if let Some(r) = rule.strip_prefix('/') {
            (r, false)
        } else {
            (rule, !rule.contains('/'))
        };
        let pattern = Pattern::go_path(text)?;
        self.rules.push(Rule {
            pattern,
            negate,
            must_dir,
            base_only,
        });
        Ok(())
    }

    /// Whether a path (relative to the chart root, `/` separators) is ignored. Helm's
    /// negation semantics are kept as they are: a `!pattern` ignores whatever it does not match.
    pub(super) fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for r in &self.rules {
            let subject = if r.base_only {
                path.rsplit('/').next().unwrap_or(path)
            } else {
                path
            };
            if r.negate {
                if r.must_dir && !is_dir {
                    return true;
                }
                if !r.pattern.matches(subject) {
                    return true;
                }
                continue;
            }
            if r.must_dir && !is_dir {
                continue;
            }
            if r.pattern.matches(subject) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helmignore_rules() {
        let r = IgnoreRules::parse("# c\n*.tmp\n/ci/\ndocs/*.md\n.git/\n").unwrap();
        assert!(r.ignore("a.tmp", false));
        assert!(r.ignore("templates/a.tmp", false));
        assert!(r.ignore("ci", true));
        assert!(!r.ignore("ci", false));
        assert!(r.ignore("docs/x.md", false));
        assert!(!r.ignore("docs/sub/x.md", false));
        assert!(r.ignore("templates/.hidden", false));
        assert!(!r.ignore("templates/ok.yaml", false));
        assert!(r.ignore(".git", true));
        assert!(IgnoreRules::parse("a/**/b").is_err());
        assert_eq!(
            IgnoreRules::parse("a/**/b").unwrap_err().to_string(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(
            IgnoreRules::parse("[").unwrap_err().to_string(),
            "syntax error in pattern"
        );
    }
}
