//! Shell tokenizer: operators (with their file descriptor), words with their
//! value (quotes and backslash escapes removed, no expansion) and the byte
//! index of each value byte, command substitutions (`$(...)`, backticks)
//! found inside words, and heredoc bodies skipped.

use crate::mapped::Mapped;
use std::ops::Range;

pub(super) fn is_redirect(op: &str) -> bool {
    let op = op.trim_start_matches(|c: char| c.is_ascii_digit());
    op.starts_with('<') || op.starts_with('>') || op.starts_with("&>")
}

#[derive(Debug)]
pub(super) struct LexWord {
    pub(super) range: Range<usize>,
    pub(super) value: String,
    pub(super) idx: Vec<usize>,
    pub(super) substs: Vec<Range<usize>>,
}

#[derive(Debug)]
pub(super) enum Tok {
    Word(LexWord),
    Op(String, Range<usize>),
}

const OPS: &[&str] = &[
    "&>>", "<<<", "<<-", "&&", "||", ";;", "|&", "&>", ">>", ">|", ">&", "<<", "<&", "<>", ";",
    "|", "&", "(", ")", ">", "<",
];

pub(super) fn lex(src: &Mapped, range: Range<usize>) -> Vec<Tok> {
    let text = src.text.as_str();
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut pos = range.start;
    let mut toks = Vec::new();
    let mut pending: Vec<(String, bool)> = Vec::new();
    while pos < end {
        let c = b[pos];
        if c == b' ' || c == b'\t' || c == b'\r' {
            pos += 1;
            continue;
        }
        if c == b'\\' && pos + 1 < end && b[pos + 1] == b'\n' {
            pos += 2;
            continue;
        }
        if c == b'\\' && pos + 2 < end && b[pos + 1] == b'\r' && b[pos + 2] == b'\n' {
            pos += 3;
            continue;
        }
        if c == b'#' {
            while pos < end && b[pos] != b'\n' {
                pos += 1;
            }
            continue;
        }
        if c == b'\n' {
            toks.push(Tok::Op("\n".into(), pos..pos + 1));
            pos += 1;
            // Skip the bodies of heredocs started on this line.
            for (delim, chomp) in std::mem::take(&mut pending) {
                while pos < end {
                    let line_end = text[pos..end].find('\n').map_or(end, |i| pos + i);
                    let line = text[pos..line_end].trim_end_matches('\r');
                    let line = if chomp {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    pos = (line_end + 1).min(end);
                    if line == delim {
                        break;
                    }
                }
            }
            continue;
        }
        // Operators, with an optional file descriptor number.
        let digits = b[pos..end]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        let op_at = pos + digits;
        let op = OPS
            .iter()
            .find(|op| text[op_at.min(end)..end].starts_with(**op))
            .filter(|op| digits == 0 || op.starts_with('<') || op.starts_with('>'));
        if let Some(op) = op {
            let r = pos..op_at + op.len();
            let op_s = text[r.clone()].to_string();
            pos = r.end;
            let heredoc = op.starts_with("<<") && *op != "<<<";
            toks.push(Tok::Op(op_s, r));
            if heredoc {
                while pos < end && (b[pos] == b' ' || b[pos] == b'\t') {
                    pos += 1;
                }
                if pos < end && !is_meta(b[pos]) {
                    let w = lex_word(text, pos, end);
                    pos = w.range.end;
                    pending.push((w.value.clone(), *op == "<<-"));
                    toks.push(Tok::Word(w));
                }
            }
            continue;
        }
        let w = lex_word(text, pos, end);
        pos = w.range.end.max(pos + 1);
        toks.push(Tok::Word(w));
    }
    toks
}

fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

fn push(w: &mut LexWord, text: &str, at: usize) -> usize {
    match text.get(at..).and_then(|s| s.chars().next()) {
        Some(ch) => {
            w.value.push(ch);
            for k in 0..ch.len_utf8() {
                w.idx.push(at + k);
            }
            ch.len_utf8()
        }
        None => 1,
    }
}

fn lex_word(text: &str, start: usize, end: usize) -> LexWord {
    let b = text.as_bytes();
    let mut w = LexWord {
        range: start..start,
        value: String::new(),
        idx: Vec::new(),
        substs: Vec::new(),
    };
    let mut pos = start;
    while pos < end {
        let c = b[pos];
        if is_meta(c) {
            break;
        }
        match c {
            b'\'' => {
                pos += 1;
                while pos < end && b[pos] != b'\'' {
                    pos += push(&mut w, text, pos);
                }
                pos += 1;
            }
            b'"' => {
                pos += 1;
                while pos < end && b[pos] != b'"' {
                    match b[pos] {
                        b'\\' if pos + 1 < end => {
                            let n = b[pos + 1];
                            if n == b'\n' {
                                pos += 2;
                            } else if matches!(n, b'$' | b'`' | b'"' | b'\\') {
                                pos += 1;
                                pos += push(&mut w, text, pos);
                            } else {
                                pos += push(&mut w, text, pos);
                            }
                        }
                        b'$' if pos + 1 < end && b[pos + 1] == b'(' => {
                            pos = dollar_paren(&mut w, text, pos, end);
                        }
                        b'`' => pos = backtick(&mut w, text, pos, end),
                        _ => pos += push(&mut w, text, pos),
                    }
                }
                pos += 1;
            }
            b'\\' => {
                if pos + 1 < end && b[pos + 1] == b'\n' {
                    pos += 2;
                } else if pos + 1 < end {
                    pos += 1;
                    pos += push(&mut w, text, pos);
                } else {
                    pos += 1;
                }
            }
            b'$' if pos + 1 < end && b[pos + 1] == b'\'' => {
                pos += 2;
                while pos < end && b[pos] != b'\'' {
                    if b[pos] == b'\\' && pos + 1 < end {
                        let decoded = match b[pos + 1] {
                            b'n' => Some('\n'),
                            b't' => Some('\t'),
                            b'\\' => Some('\\'),
                            b'\'' => Some('\''),
                            _ => None,
                        };
                        if let Some(d) = decoded {
                            w.value.push(d);
                            w.idx.push(pos);
                            pos += 2;
                            continue;
                        }
                    }
                    pos += push(&mut w, text, pos);
                }
                pos += 1;
            }
            b'$' if pos + 1 < end && b[pos + 1] == b'(' => {
                pos = dollar_paren(&mut w, text, pos, end);
            }
            b'$' if pos + 1 < end && b[pos + 1] == b'{' => {
                let close = matching(text, pos + 2, end, b'{', b'}');
                let stop = (close + 1).min(end);
                while pos < stop {
                    pos += push(&mut w, text, pos);
                }
            }
            b'`' => pos = backtick(&mut w, text, pos, end),
            _ => pos += push(&mut w, text, pos),
        }
    }
    w.range = start..pos.min(end);
    w
}

/// `$( ... )` or `$(( ... ))` at `pos`: copies it to the word, records the
/// command substitution, returns the position after it.
fn dollar_paren(w: &mut LexWord, text: &str, mut pos: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let arith = pos + 2 < end && b[pos + 2] == b'(';
    let close = matching(text, pos + 2, end, b'(', b')');
    if !arith {
        w.substs.push(pos + 2..close.min(end));
    }
    let stop = if arith {
        (close + 2).min(end)
    } else {
        (close + 1).min(end)
    };
    while pos < stop {
        pos += push(w, text, pos);
    }
    pos
}

fn backtick(w: &mut LexWord, text: &str, mut pos: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let mut q = pos + 1;
    while q < end && b[q] != b'`' {
        if b[q] == b'\\' {
            q += 1;
        }
        q += 1;
    }
    w.substs.push(pos + 1..q.min(end));
    let stop = (q + 1).min(end);
    while pos < stop {
        pos += push(w, text, pos);
    }
    pos
}

/// Position of the bracket closing an opened one (depth 1 at `pos`),
/// skipping quoted text. Returns `end` when unbalanced.
fn matching(text: &str, mut pos: usize, end: usize, open: u8, close: u8) -> usize {
    let b = text.as_bytes();
    let mut depth = 1;
    while pos < end {
        let c = b[pos];
        if c == b'\\' {
            pos += 2;
            continue;
        }
        if c == b'\'' || c == b'"' {
            let q = c;
            pos += 1;
            while pos < end && b[pos] != q {
                if q == b'"' && b[pos] == b'\\' {
                    pos += 1;
                }
                pos += 1;
            }
            pos += 1;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return pos;
            }
        }
        pos += 1;
    }
    end
}
