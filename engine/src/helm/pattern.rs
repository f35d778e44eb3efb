//! File-name patterns: Go's `filepath.Match` (for `.helmignore`) and gobwas/glob with `/` as
//! separator (for `.Files.Glob`). Matching is a memoised walk, linear in pattern × name, so a
//! hostile pattern cannot make it explode.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(char),
    /// `*`: any run of non-separator characters.
    Star,
    /// `**` (glob only): any run of characters.
    Super,
    /// `?`: one non-separator character.
    One,
    /// A class: negated, and ranges (a single char is a range to itself).
    Class(bool, Vec<(char, char)>),
}

/// A compiled pattern (alternatives of `{a,b}` expanded).
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    alternatives: Vec<Vec<Tok>>,
}

/// The pattern is malformed (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("syntax error in pattern")]
pub(super) struct BadPattern;

const MAX_ALTERNATIVES: usize = 256;

impl Pattern {
    /// Compile a Go `filepath.Match` pattern.
    pub(super) fn go_path(p: &str) -> Result<Pattern, BadPattern> {
        let toks = tokens(&p.chars().collect::<Vec<_>>(), false)?;
        Ok(Pattern {
            alternatives: vec![toks],
        })
    }

    /// Compile a gobwas/glob pattern with `/` as separator (`**`, `{a,b}` supported).
    pub(super) fn glob(p: &str) -> Result<Pattern, BadPattern> {
        let mut alternatives = Vec::new();
        for alt in expand_braces(&p.chars().collect::<Vec<_>>())? {
            alternatives.push(tokens(&alt, true)?);
        }
        Ok(Pattern { alternatives })
    }

    /// Whether the whole name matches.
    pub(super) fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        self.alternatives
            .iter()
            .any(|toks| match_tokens(toks, &name))
    }
}

/// The alternatives of a glob pattern, `{a,b}` expanded (nested ones too).
fn expand_braces(chars: &[char]) -> Result<Vec<Vec<char>>, BadPattern> {
    // Find the first top-level `{`.
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '{' => break,
            _ => i += 1,
        }
    }
    if i >= chars.len() {
        return Ok(vec![chars.to_vec()]);
    }
    let mut depth = 0;
    let mut parts = Vec::new();
    let mut cur = Vec::new();
    let mut j = i + 1;
    let mut end = None;
    while j < chars.len() {
        let c = chars[j];
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.get(j + 1) {
                    cur.push(*n);
                }
                j += 2;
                continue;
            }
            '{' => depth += 1,
            '}' if depth == 0 => {
                end = Some(j);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                j += 1;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        j += 1;
    }
    let end = end.ok_or(BadPattern)?;
    parts.push(cur);
    let (prefix, suffix) = (&chars[..i], &chars[end + 1..]);
    let mut out = Vec::new();
    for part in parts {
        let whole: Vec<char> = prefix.iter().chain(&part).chain(suffix).copied().collect();
        for expanded in expand_braces(&whole)? {
            out.push(expanded);
            if out.len() > MAX_ALTERNATIVES {
                return Err(BadPattern);
            }
        }
    }
    Ok(out)
}

fn tokens(p: &[char], glob: bool) -> Result<Vec<Tok>, BadPattern> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                let c = *p.get(i + 1).ok_or(BadPattern)?;
                out.push(Tok::Lit(c));
                i += 2;
            }
            '*' => {
                if glob && p.get(i + 1) == Some(&'*') {
                    while p.get(i) == Some(&'*') {
                        i += 1;
                    }
                    out.push(Tok::Super);
                } else {
                    if out.last() != Some(&Tok::Star) {
                        out.push(Tok::Star);
                    }
                    i += 1;
                }
            }
            '?' => {
                out.push(Tok::One);
                i += 1;
            }
            '[' => {
                i += 1;
                let neg =
                    matches!(p.get(i), Some('^')) && !glob || matches!(p.get(i), Some('!')) && glob;
                if neg {
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let c = *p.get(i).ok_or(BadPattern)?;
                    if c == ']' && !first {
                        i += 1;
                        break;
                    }
                    first = false;
                    let lo = if c == '\\' && !glob {
                        i += 1;
                        *p.get(i).ok_or(BadPattern)?
                    } else {
                        c
                    };
                    i += 1;
                    let mut hi = lo;
                    if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|c| *c != ']') {
                        hi = p[i + 1];
                        i += 2;
                        if hi == '\\' && !glob {
                            hi = *p.get(i).ok_or(BadPattern)?;
                            i += 1;
                        }
                    }
                    if lo > hi {
                        return Err(BadPattern);
                    }
                    ranges.push((lo, hi));
                }
                out.push(Tok::Class(neg, ranges));
            }
            c => {
                out.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    Ok(out)
}

fn match_tokens(toks: &[Tok], name: &[char]) -> bool {
    // memo[t][n]: whether toks[t..] matches name[n..]; filled from the end.
    let (tn, nn) = (toks.len(), name.len());
    let mut memo = vec![vec![false; nn + 1]; tn + 1];
    memo[tn][nn] = true;
    for t in (0..tn).rev() {
        for n in (0..=nn).rev() {
            memo[t][n] = match &toks[t] {
                Tok::Lit(c) => n < nn && name[n] == *c && memo[t + 1][n + 1],
                Tok::One => n < nn && name[n] != '/' && memo[t + 1][n + 1],
                Tok::Class(neg, ranges) => {
                    n < nn
                        && name[n] != '/'
                        && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&name[n])) != *neg
                        && memo[t + 1][n + 1]
                }
                Tok::Star => memo[t + 1][n] || (n < nn && name[n] != '/' && memo[t][n + 1]),
                Tok::Super => memo[t + 1][n] || (n < nn && memo[t][n + 1]),
            };
        }
    }
    memo[0][0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_path_match() {
        let m = |p: &str, n: &str| Pattern::go_path(p).unwrap().matches(n);
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "d/a.txt"));
        assert!(m("d/*.txt", "d/a.txt"));
        assert!(m("[a-c]?", "bz"));
        assert!(!m("[^a-c]?", "bz"));
        assert!(m(r"\*", "*"));
        assert!(Pattern::go_path("[").is_err());
    }

    #[test]
    fn glob_match() {
        let m = |p: &str, n: &str| Pattern::glob(p).unwrap().matches(n);
        assert!(m("files/*", "files/a.txt"));
        assert!(!m("files/*", "files/sub/a.txt"));
        assert!(m("files/**", "files/sub/a.txt"));
        assert!(m("**.toml", "x/y.toml"));
        assert!(m("files/{a,b}.txt", "files/b.txt"));
        assert!(m("[!a]x", "bx"));
        assert!(!m("[!a]x", "ax"));
    }
}
