//! Variable substitution as performed by the Dockerfile frontend on the
//! arguments of `FROM`, `USER`, `ENV`, `COPY`... (not on `RUN`, where the
//! shell does it).

use std::collections::BTreeMap;

/// Variables in scope at an instruction (build arguments and environment).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    values: BTreeMap<String, String>,
}

impl Vars {
    /// An empty scope.
    pub fn new() -> Self {
        Vars::default()
    }

    /// Sets a variable.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    /// Removes a variable.
    pub fn unset(&mut self, name: &str) {
        self.values.remove(name);
    }

    /// Value of a variable, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// All variables, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Result of [`expand`]: the word with quotes removed and variables
/// substituted, and the variables that were referenced but not set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded value.
    pub value: String,
    /// Variables referenced without a value (each name once, in order).
    pub undefined: Vec<String>,
}

/// Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
/// `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}` and removes quotes and escapes,
/// like Docker does for a word (escape character `\`).
///
/// ```
/// use cct_dockerfile::{expand, Vars};
/// let mut vars = Vars::new();
/// vars.set("TAG", "1.25");
/// let e = expand("nginx:${TAG}-$FLAVOR", &vars);
/// assert_eq!(e.value, "nginx:1.25-");
/// assert_eq!(e.undefined, vec!["FLAVOR".to_string()]);
/// assert_eq!(expand("${X:-alpine}", &vars).value, "alpine");
/// assert_eq!(expand(r"'$TAG' \$TAG", &vars).value, "$TAG $TAG");
/// ```
pub fn expand(word: &str, vars: &Vars) -> Expansion {
    expand_with_escape(word, '\\', vars)
}

/// Like [`expand`], with the Dockerfile escape character (`\` or `` ` ``).
pub fn expand_with_escape(word: &str, escape: char, vars: &Vars) -> Expansion {
    let mut lx = WordLexer::new(word, escape, Some(vars));
    let value = lx.process(None);
    let mut undefined: Vec<String> = Vec::new();
    for u in lx.undefined {
        if !undefined.contains(&u) {
            undefined.push(u);
        }
    }
    Expansion { value, undefined }
}

/// Removes quotes and escapes without substituting variables.
pub(crate) fn unquote(word: &str, escape: char) -> String {
    WordLexer::new(word, escape, None).process(None)
}

struct WordLexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    vars: Option<&'a Vars>,
    undefined: Vec<String>,
}

impl<'a> WordLexer<'a> {
    fn new(word: &str, escape: char, vars: Option<&'a Vars>) -> Self {
        WordLexer {
            chars: word.chars().collect(),
            pos: 0,
            escape,
            vars,
            undefined: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn process(&mut self, stop: Option<char>) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                break;
            }
            if c == '\'' {
                self.pos += 1;
                while let Some(c) = self.next() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            } else if c == '"' {
                self.pos += 1;
                while let Some(c) = self.peek() {
                    if c == '"' {
                        self.pos += 1;
                        break;
                    }
                    if c == self.escape {
                        self.pos += 1;
                        match self.next() {
                            Some(n) if n == '"' || n == '$' || n == self.escape => out.push(n),
                            Some(n) => {
                                out.push(self.escape);
                                out.push(n);
                            }
                            None => {}
                        }
                    } else if c == '$' {
                        let s = self.dollar();
                        out.push_str(&s);
                    } else {
                        out.push(c);
                        self.pos += 1;
                    }
                }
            } else if c == self.escape {
                self.pos += 1;
                if let Some(n) = self.next() {
                    out.push(n);
                }
            } else if c == '$' {
                let s = self.dollar();
                out.push_str(&s);
            } else {
                out.push(c);
                self.pos += 1;
            }
        }
        out
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        self.vars.and_then(|v| v.get(name)).map(str::to_string)
    }

    fn read_name(&mut self) -> String {
        let mut name = String::new();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if "@*#?-$!".contains(c) => {
                name.push(c);
                self.pos += 1;
            }
            _ => {
                while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
                    name.push(c);
                    self.pos += 1;
                }
            }
        }
        name
    }

    fn is_reportable(name: &str) -> bool {
        name.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    }

    fn dollar(&mut self) -> String {
        let start = self.pos;
        self.pos += 1; // '$'
        let value = self.dollar_value();
        if self.vars.is_none() {
            return self.chars[start..self.pos.min(self.chars.len())]
                .iter()
                .collect();
        }
        value
    }

    fn dollar_value(&mut self) -> String {
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                let name = self.read_name();
                let current = self.lookup(&name);
                match self.next() {
                    Some('}') | None => {
                        if current.is_none() && Self::is_reportable(&name) {
                            self.undefined.push(name);
                        }
                        current.unwrap_or_default()
                    }
                    Some(op) => {
                        let colon = op == ':';
                        let op = if colon {
                            self.next().unwrap_or('-')
                        } else {
                            op
                        };
                        let mark = self.undefined.len();
                        let word = self.process(Some('}'));
                        self.pos += 1; // '}'
                        let set = current.is_some();
                        let non_empty = current.as_deref().is_some_and(|v| !v.is_empty());
                        let present = if colon { non_empty } else { set };
                        match op {
                            '-' => {
                                if present {
                                    self.undefined.truncate(mark);
                                    current.unwrap_or_default()
                                } else {
                                    word
                                }
                            }
                            '+' => {
                                if present {
                                    word
                                } else {
                                    self.undefined.truncate(mark);
                                    String::new()
                                }
                            }
                            '?' => {
                                self.undefined.truncate(mark);
                                if !present {
                                    self.undefined.push(name);
                                }
                                current.unwrap_or_default()
                            }
                            _ => {
                                // Pattern operators (#, %, /): keep the value unchanged.
                                self.undefined.truncate(mark);
                                if current.is_none() && Self::is_reportable(&name) {
                                    self.undefined.push(name);
                                }
                                current.unwrap_or_default()
                            }
                        }
                    }
                }
            }
            Some(c) if c.is_alphanumeric() || c == '_' || "@*#?-$!".contains(c) => {
                let name = self.read_name();
                let v = self.lookup(&name);
                if v.is_none() && Self::is_reportable(&name) {
                    self.undefined.push(name);
                }
                v.unwrap_or_default()
            }
            _ => "$".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::new();
        v.set("A", "alpha");
        v.set("EMPTY", "");
        v
    }

    #[test]
    fn forms() {
        let v = vars();
        assert_eq!(expand("$A", &v).value, "alpha");
        assert_eq!(expand("${A}x", &v).value, "alphax");
        assert_eq!(expand("${B:-def}", &v).value, "def");
        assert!(expand("${B:-def}", &v).undefined.is_empty());
        assert_eq!(expand("${EMPTY:-def}", &v).value, "def");
        assert_eq!(expand("${EMPTY-def}", &v).value, "");
        assert_eq!(expand("${B-def}", &v).value, "def");
        assert_eq!(expand("${A:+alt}", &v).value, "alt");
        assert_eq!(expand("${EMPTY:+alt}", &v).value, "");
        assert_eq!(expand("${EMPTY+alt}", &v).value, "alt");
        assert_eq!(expand("${B+alt}", &v).value, "");
        assert_eq!(expand("${B:-${A}}", &v).value, "alpha");
        assert_eq!(expand("${B:?oops}", &v).undefined, vec!["B"]);
    }

    #[test]
    fn quotes_and_escapes() {
        let v = vars();
        assert_eq!(expand(r"\$A", &v).value, "$A");
        assert_eq!(expand("'$A'", &v).value, "$A");
        assert_eq!(expand("\"$A b\"", &v).value, "alpha b");
        assert_eq!(expand(r#""a\"b\n""#, &v).value, "a\"b\\n");
        assert_eq!(expand_with_escape("`$A", '`', &v).value, "$A");
        assert_eq!(expand("$", &v).value, "$");
        assert_eq!(expand("a$-b", &v).value, "ab");
    }

    #[test]
    fn undefined_reported_once() {
        let e = expand("$X/${X}/$Y", &Vars::new());
        assert_eq!(e.value, "//");
        assert_eq!(e.undefined, vec!["X", "Y"]);
    }

    #[test]
    fn unquote_keeps_variables() {
        assert_eq!(unquote("\"${A:-x} y\"", '\\'), "${A:-x} y");
        assert_eq!(unquote(r"a\ b", '\\'), "a b");
    }
}
