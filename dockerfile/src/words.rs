//! Low-level tokenizers for the arguments of an instruction: whitespace
//! splitting, builder flags, quote-aware words and JSON arrays.

use crate::mapped::Mapped;
use std::ops::Range;

/// Whitespace as Docker's `reWhitespace` (`[\t\v\f\r ]`), plus newline.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r' | '\n')
}

/// Splits on whitespace, returning the byte ranges of the fields.
pub(crate) fn split_whitespace(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let s = text.get(range.clone()).unwrap_or_default();
    for (i, c) in s.char_indices() {
        let i = i + range.start;
        if is_ws(c) {
            if let Some(st) = start.take() {
                out.push(st..i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(st..range.end);
    }
    out
}

/// Skips whitespace from `pos`, returning the first non-space position.
pub(crate) fn skip_ws(text: &str, mut pos: usize) -> usize {
    while let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) {
        if !is_ws(c) {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// Trims whitespace at both ends of `range`.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = text.get(range.clone()).unwrap_or_default();
    let lead = s.len() - s.trim_start_matches(is_ws).len();
    let trail = s.len() - s.trim_end_matches(is_ws).len();
    if lead == s.len() {
        return range.start..range.start;
    }
    range.start + lead..range.end - trail
}

/// A builder flag (`--name=value`) as found in the logical line.
#[derive(Clone, Debug)]
pub(crate) struct RawFlag {
    pub(crate) range: Range<usize>,
    pub(crate) name: Range<usize>,
    pub(crate) value: Option<(Range<usize>, String)>,
}

/// Extracts the leading `--flags` of `text[start..]`, like BuildKit's
/// `extractBuilderFlags`. Returns the flags and the start of the rest.
pub(crate) fn extract_flags(text: &str, start: usize) -> (Vec<RawFlag>, usize) {
    let b = text.as_bytes();
    let mut flags = Vec::new();
    let mut pos = start;
    loop {
        pos = skip_ws(text, pos);
        if pos + 1 >= b.len() || b[pos] != b'-' || b[pos + 1] != b'-' {
            return (flags, pos);
        }
        // Read one word with quotes and backslash escapes.
        let word_start = pos;
        let mut word = String::new();
        let mut word_map: Vec<usize> = Vec::new();
        let mut quote: Option<char> = None;
        let mut p = pos;
        while let Some(c) = text.get(p..).and_then(|s| s.chars().next()) {
            if quote.is_none() && is_ws(c) {
                break;
            }
            let w = c.len_utf8();
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                    p += w;
                    continue;
                }
            } else if c == '\'' || c == '"' {
                quote = Some(c);
                p += w;
                continue;
            }
            if c == '\\' {
                if let Some(n) = text.get(p + 1..).and_then(|s| s.chars().next()) {
                    word.push(n);
                    word_map.push(p + 1);
                    p += 1 + n.len_utf8();
                    continue;
                }
                p += 1;
                continue;
            }
            word.push(c);
            word_map.push(p);
            p += w;
        }
        if word == "--" {
            return (flags, skip_ws(text, p));
        }
        let range = word_start..p;
        // Name: after "--" up to "=" (the name never contains quotes in practice).
        let name_start = word_start + 2;
        let raw = text.get(range.clone()).unwrap_or_default();
        let (name, value) = match raw.find('=') {
            Some(eq) => {
                let name = name_start..word_start + eq;
                let val = match word.find('=') {
                    Some(weq) => word[weq + 1..].to_string(),
                    None => String::new(),
                };
                (name, Some((word_start + eq + 1..p, val)))
            }
            None => (name_start..p, None),
        };
        flags.push(RawFlag { range, name, value });
        pos = p;
    }
}

/// Splits like BuildKit's `parseWords`: whitespace separated words where
/// quotes group, and the escape character protects the next character. The
/// words are returned raw (quotes and escapes kept).
pub(crate) fn parse_words(text: &str, range: Range<usize>, escape: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut pos = range.start;
    while pos < range.end {
        let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) else {
            break;
        };
        let w = c.len_utf8();
        match start {
            None => {
                if is_ws(c) {
                    pos += w;
                    continue;
                }
                start = Some(pos);
                continue;
            }
            Some(st) => {
                if let Some(q) = quote {
                    if c == q {
                        quote = None;
                    } else if c == escape && q != '\'' {
                        pos += w;
                        if let Some(n) = text.get(pos..range.end).and_then(|s| s.chars().next()) {
                            pos += n.len_utf8();
                        }
                        continue;
                    }
                    pos += w;
                    continue;
                }
                if is_ws(c) {
                    out.push(st..pos);
                    start = None;
                    pos += w;
                    continue;
                }
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == escape {
                    pos += w;
                    if let Some(n) = text.get(pos..range.end).and_then(|s| s.chars().next()) {
                        pos += n.len_utf8();
                    }
                    continue;
                }
                pos += w;
            }
        }
    }
    if let Some(st) = start {
        out.push(st..range.end.max(st));
    }
    out
}

/// One string element of a JSON array, decoded, with the range of its
/// literal (quotes included) in the source text.
#[derive(Clone, Debug)]
pub(crate) struct JsonElem {
    pub(crate) range: Range<usize>,
    pub(crate) value: Mapped,
}

pub(crate) enum JsonArray {
    Strings(Vec<JsonElem>),
    /// Valid JSON array, but with non-string elements (an error in Docker).
    NotStrings,
    /// Not a JSON array: Docker falls back to the shell form.
    Invalid,
}

/// Parses `src.text[range]` as a JSON array of strings.
pub(crate) fn parse_json_array(src: &Mapped, range: Range<usize>) -> JsonArray {
    let text = src.text.as_str();
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut p = skip_ws(text, range.start);
    if p >= end || b[p] != b'[' {
        return JsonArray::Invalid;
    }
    p += 1;
    let mut elems = Vec::new();
    let mut all_strings = true;
    p = skip_ws(text, p);
    if p < end && b[p] == b']' {
        p += 1;
    } else {
        loop {
            p = skip_ws(text, p);
            if p >= end {
                return JsonArray::Invalid;
            }
            if b[p] == b'"' {
                match parse_json_string(src, p, end) {
                    Some((value, next)) => {
                        elems.push(JsonElem {
                            range: p..next,
                            value,
                        });
                        p = next;
                    }
                    None => return JsonArray::Invalid,
                }
            } else {
                match skip_json_value(src, p, end) {
                    Some(next) => {
                        all_strings = false;
                        p = next;
                    }
                    None => return JsonArray::Invalid,
                }
            }
            p = skip_ws(text, p);
            if p >= end {
                return JsonArray::Invalid;
            }
            match b[p] {
                b',' => p += 1,
                b']' => {
                    p += 1;
                    break;
                }
                _ => return JsonArray::Invalid,
            }
        }
    }
    if skip_ws(text, p) < end {
        return JsonArray::Invalid;
    }
    if all_strings {
        JsonArray::Strings(elems)
    } else {
        JsonArray::NotStrings
    }
}

fn parse_json_string(src: &Mapped, start: usize, end: usize) -> Option<(Mapped, usize)> {
    let text = src.text.as_str();
    let mut out = Mapped::new(src.span(start + 1..start + 1).start);
    let mut p = start + 1;
    while p < end {
        let c = text.get(p..)?.chars().next()?;
        match c {
            '"' => return Some((out, p + 1)),
            '\\' => {
                let n = text.get(p + 1..)?.chars().next()?;
                let simple = match n {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    out.push_char(ch, src.span(p..p + 2));
                    p += 2;
                } else if n == 'u' {
                    let hex = text.get(p + 2..p + 6)?;
                    let mut code = u32::from_str_radix(hex, 16).ok()?;
                    let mut len = 6;
                    if (0xD800..0xDC00).contains(&code) && text.get(p + 6..p + 8) == Some("\\u") {
                        if let Some(low) = text
                            .get(p + 8..p + 12)
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                        {
                            if (0xDC00..0xE000).contains(&low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                len = 12;
                            }
                        }
                    }
                    let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
                    out.push_char(ch, src.span(p..p + len));
                    p += len;
                } else {
                    return None;
                }
            }
            c if (c as u32) < 0x20 => return None,
            c => {
                out.push_char(c, src.span(p..p + c.len_utf8()));
                p += c.len_utf8();
            }
        }
    }
    None
}

/// Skips one non-string JSON value (number, literal, array, object).
fn skip_json_value(src: &Mapped, start: usize, end: usize) -> Option<usize> {
    let text = src.text.as_str();
    let b = text.as_bytes();
    let p = skip_ws(text, start);
    if p >= end {
        return None;
    }
    match b[p] {
        b'"' => parse_json_string(src, p, end).map(|(_, n)| n),
        b'[' | b'{' => {
            let close = if b[p] == b'[' { b']' } else { b'}' };
            let mut q = skip_ws(text, p + 1);
            if q < end && b[q] == close {
                return Some(q + 1);
            }
            loop {
                if close == b'}' {
                    q = skip_ws(text, q);
                    if q >= end || b[q] != b'"' {
                        return None;
                    }
                    q = parse_json_string(src, q, end)?.1;
                    q = skip_ws(text, q);
                    if q >= end || b[q] != b':' {
                        return None;
                    }
                    q += 1;
                }
                q = skip_json_value(src, q, end)?;
                q = skip_ws(text, q);
                if q >= end {
                    return None;
                }
                if b[q] == b',' {
                    q += 1;
                } else if b[q] == close {
                    return Some(q + 1);
                } else {
                    return None;
                }
            }
        }
        _ => {
            let mut q = p;
            while q < end && (b[q].is_ascii_alphanumeric() || matches!(b[q], b'-' | b'+' | b'.')) {
                q += 1;
            }
            let lit = text.get(p..q)?;
            if matches!(lit, "true" | "false" | "null") || lit.parse::<f64>().is_ok() {
                Some(q)
            } else {
                None
            }
        }
    }
}
