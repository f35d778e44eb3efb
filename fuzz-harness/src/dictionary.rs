//! libFuzzer dictionaries (`-dict=`): one token a line, as a quoted string, optionally
//! named (`name="value"`); `#` starts a comment line. Escapes: `\\`, `\"`, `\xHH`.

/// The tokens of a dictionary.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    /// Tokens, in file order.
    pub tokens: Vec<Vec<u8>>,
}

impl Dictionary {
    /// Reads a dictionary; the error names the first line that is not a token.
    ///
    /// ```
    /// let d = cct_fuzz_harness::Dictionary::parse("# c\nkw=\"{{\"\n\"a\\\"b\\x00\"\n").unwrap();
    /// assert_eq!(d.tokens, vec![b"{{".to_vec(), b"a\"b\0".to_vec()]);
    /// ```
    pub fn parse(text: &str) -> Result<Dictionary, DictionaryError> {
        let mut tokens = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let quoted = match line.find('"') {
                Some(q) if line.ends_with('"') && line.len() > q + 1 => {
                    &line[q + 1..line.len() - 1]
                }
                _ => return Err(DictionaryError { line: i + 1 }),
            };
            tokens.push(unescape(quoted).ok_or(DictionaryError { line: i + 1 })?);
        }
        Ok(Dictionary { tokens })
    }
}

/// A line of a dictionary that is not a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictionaryError {
    /// 1-based line.
    pub line: usize,
}

impl std::fmt::Display for DictionaryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: not a quoted dictionary token", self.line)
    }
}

impl std::error::Error for DictionaryError {}

fn unescape(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        match b.get(i + 1)? {
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'x' => {
                let hex = s.get(i + 2..i + 4)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            _ => return None,
        }
        i += 2;
    }
    Some(out)
}
