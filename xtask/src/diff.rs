//! A short unified diff between the file on disk and what `gen` would write, to show why a check
//! failed: `-` lines are on disk, `+` lines are generated.

/// Lines of context around each change.
const CONTEXT: usize = 2;
/// Above this many cells (old lines × new lines between the common head and tail) the changed
/// middle is shown as removed then added, without looking for common lines in it.
const MAX_CELLS: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// A line in both, with its 0-based index in the old and the new text.
    Keep(usize, usize),
    /// An old line removed.
    Remove(usize),
    /// A new line added.
    Add(usize),
}

/// The unified diff from `old` to `new`, cut after `max_lines` lines.
pub(crate) fn excerpt(old: &str, new: &str, max_lines: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edit_script(&a, &b);
    let mut lines = Vec::new();
    for (from, to) in hunks(&ops) {
        let hunk = &ops[from..to];
        let (mut a_start, mut a_len, mut b_start, mut b_len) = (None, 0, None, 0);
        for op in hunk {
            match *op {
                Op::Keep(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    a_len += 1;
                    b_len += 1;
                }
                Op::Remove(i) => {
                    a_start.get_or_insert(i);
                    a_len += 1;
                }
                Op::Add(j) => {
                    b_start.get_or_insert(j);
                    b_len += 1;
                }
            }
        }
        // An empty side starts where the other one does, in its own numbering.
        let a_at = a_start.unwrap_or_else(|| position_before(&ops[..from], true));
        let b_at = b_start.unwrap_or_else(|| position_before(&ops[..from], false));
        lines.push(format!(
            "@@ -{} +{} @@",
            range(a_at, a_len),
            range(b_at, b_len)
        ));
        for op in hunk {
            lines.push(match *op {
                Op::Keep(i, _) => format!(" {}", a[i]),
                Op::Remove(i) => format!("-{}", a[i]),
                Op::Add(j) => format!("+{}", b[j]),
            });
        }
    }
    if lines.is_empty() && old != new {
        lines.push("(the lines are the same: the files differ in their final newline)".into());
    }
    let total = lines.len();
    let mut out = String::new();
    for line in lines.iter().take(max_lines) {
        out.push_str(line);
        out.push('\n');
    }
    if total > max_lines {
        out.push_str(&format!(
            "… {} more line(s) of difference\n",
            total - max_lines
        ));
    }
    out
}

/// `start,len` of a hunk side (1-based; `len` left out when 1; after line `start` when empty).
fn range(start0: usize, len: usize) -> String {
    match len {
        0 => format!("{start0},0"),
        1 => format!("{}", start0 + 1),
        _ => format!("{},{len}", start0 + 1),
    }
}

/// How many old (or new) lines come before a point of the script.
fn position_before(ops: &[Op], old: bool) -> usize {
    ops.iter()
        .filter(|op| match op {
            Op::Keep(..) => true,
            Op::Remove(_) => old,
            Op::Add(_) => !old,
        })
        .count()
}

/// The hunks of a script: ranges of ops holding changes and up to [`CONTEXT`] kept lines around
/// them; changes closer than twice the context share a hunk.
fn hunks(ops: &[Op]) -> Vec<(usize, usize)> {
    let changes: Vec<usize> = (0..ops.len())
        .filter(|&k| !matches!(ops[k], Op::Keep(..)))
        .collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for k in changes {
        let from = k.saturating_sub(CONTEXT);
        let to = (k + 1 + CONTEXT).min(ops.len());
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = to,
            _ => out.push((from, to)),
        }
    }
    out
}

/// The edit script from `a` to `b`: common head and tail kept, the middle by longest common
/// subsequence (or replaced whole when too large).
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (n, m) = (a.len() - head - tail, b.len() - head - tail);
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Keep(i, i)).collect();
    if n.saturating_mul(m) <= MAX_CELLS {
        ops.extend(lcs_script(&a[head..head + n], &b[head..head + m], head));
    } else {
        ops.extend((head..head + n).map(Op::Remove));
        ops.extend((head..head + m).map(Op::Add));
    }
    ops.extend((0..tail).map(|k| Op::Keep(head + n + k, head + m + k)));
    ops
}

/// The script of two slices by dynamic programming; indices are offset by `base`.
fn lcs_script(a: &[&str], b: &[&str], base: usize) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // suffix[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let width = m + 1;
    let mut suffix = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            suffix[i * width + j] = if a[i] == b[j] {
                suffix[(i + 1) * width + j + 1] + 1
            } else {
                suffix[(i + 1) * width + j].max(suffix[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Op::Keep(base + i, base + j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || suffix[i * width + j + 1] >= suffix[(i + 1) * width + j]) {
            out.push(Op::Add(base + j));
            j += 1;
        } else {
            out.push(Op::Remove(base + i));
            i += 1;
        }
    }
    // Removals first within a change, as diff tools show them.
    let mut k = 0;
    while k < out.len() {
        let end = (k..out.len())
            .find(|&e| matches!(out[e], Op::Keep(..)))
            .unwrap_or(out.len());
        out[k..end].sort_by_key(|op| matches!(op, Op::Add(_)));
        k = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_with_context() {
        let old = "a\nb\nc\nd\ne\nf\n";
        let new = "a\nb\nc\nD\ne\nf\n";
        assert_eq!(
            excerpt(old, new, 24),
            "@@ -2,5 +2,5 @@\n b\n c\n-d\n+D\n e\n f\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let new = "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\neleven\n";
        assert_eq!(
            excerpt(old, new, 24),
            "@@ -1,3 +1,3 @@\n-1\n+one\n 2\n 3\n@@ -9,2 +9,3 @@\n 9\n 10\n+eleven\n"
        );
    }

    #[test]
    fn insertion_in_the_middle_keeps_common_lines() {
        let old = "a\nx\nb\n";
        let new = "a\nb\n";
        assert_eq!(excerpt(old, new, 24), "@@ -1,3 +1,2 @@\n a\n-x\n b\n");
        assert_eq!(excerpt("", "a\n", 24), "@@ -0,0 +1 @@\n+a\n");
    }

    #[test]
    fn long_differences_are_cut() {
        let old: String = (0..100).map(|i| format!("{i}\n")).collect();
        let out = excerpt(&old, "", 5);
        assert_eq!(out.lines().count(), 6);
        assert!(out.ends_with("… 96 more line(s) of difference\n"), "{out}");
    }

    #[test]
    fn a_final_newline_is_named() {
        assert!(excerpt("a", "a\n", 24).contains("final newline"));
    }
}
