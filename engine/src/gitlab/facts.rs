//! Repository facts that need more than a file's existence: the Dockerfiles of the repository
//! (CCT-CI-007) and the coverage settings of its build configuration (CCT-CI-006), each
//! located in the file it was read from.

use std::sync::{Arc, OnceLock};

use regex::Regex;
use serde_json::{json, Value};

use super::Repo;
use crate::source::{ByteRange, SourceFile};

/// Most Dockerfiles listed.
const MAX_DOCKERFILES: usize = 64;
/// Deepest folder looked into.
const MAX_DEPTH: usize = 8;
/// Folders of dependencies, build outputs and test data, not looked into (nor hidden ones).
const SKIPPED: &[&str] = &[
    "node_modules",
    "testdata",
    "fixtures",
    "examples",
    "vendor",
    "target",
    "dist",
    "venv",
    "__pycache__",
];

/// Facts located in a file of the repository: their pointer in the model, the file, where.
pub(super) type Located = Vec<(String, Arc<SourceFile>, ByteRange)>;

/// The Dockerfiles of the repository (repository paths, sorted), each located at its first
/// `FROM` (`/repository/dockerfiles/<i>`): those of the files discovery found below the root,
/// out of hidden folders and folders of dependencies, build outputs and test data.
pub(super) fn dockerfiles(repo: &Repo, located: &mut Located) -> Vec<String> {
    let mut found: Vec<String> = repo
        .files
        .iter()
        .filter(|rel| {
            let parts: Vec<&str> = rel.split('/').collect();
            let (name, dirs) = match parts.split_last() {
                Some(split) => split,
                None => return false,
            };
            dirs.len() <= MAX_DEPTH
                && dirs
                    .iter()
                    .all(|d| !d.starts_with('.') && !SKIPPED.contains(d))
                && cct_dockerfile::is_dockerfile_name(name)
        })
        .cloned()
        .collect();
    found.sort();
    found.truncate(MAX_DOCKERFILES);
    for (i, rel) in found.iter().enumerate() {
        if let Some(Ok(f)) = repo.read(rel) {
            let range = first_from(f.text());
            located.push((format!("/repository/dockerfiles/{i}"), f, range));
        }
    }
    found
}

/// The first `FROM` line of a Dockerfile (its first byte when there is none).
fn first_from(text: &str) -> ByteRange {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let indent = body.len() - body.trim_start().len();
        let word = body.trim_start();
        if word.len() > 4
            && word[..4].eq_ignore_ascii_case("from")
            && word[4..].starts_with([' ', '\t'])
        {
            return ByteRange::new(offset + indent, offset + body.len());
        }
        offset += line.len();
    }
    ByteRange::new(0, 0)
}

/// A regex compiled once (`None` if the pattern were invalid: nothing is found then).
fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// A threshold as JSON: an integer when it is one.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

/// A ratio (`0.8`) or a percentage (`80`) as a percentage.
fn percent(n: f64) -> f64 {
    if n <= 1.0 {
        n * 100.0
    } else {
        n
    }
}

/// The byte range of the first match of `pattern` at or after `from`, or of the file's start.
fn find(text: &str, pattern: Option<&Regex>, from: usize) -> Option<ByteRange> {
    pattern?
        .find_at(text, from.min(text.len()))
        .map(|m| ByteRange::new(m.start(), m.end()))
}

/// The coverage settings of the repository's build configuration, read at its root:
/// `{file, tool, minimum}`, `minimum` the lowest threshold in percent (null when coverage is
/// collected without a threshold), each located at its setting (`/repository/coverage/<i>`).
pub(super) fn coverage(repo: &Repo, located: &mut Located) -> Vec<Value> {
    static METRIC: OnceLock<Option<Regex>> = OnceLock::new();
    static JEST: OnceLock<Option<Regex>> = OnceLock::new();
    static VITEST: OnceLock<Option<Regex>> = OnceLock::new();
    static VITEST_ALL: OnceLock<Option<Regex>> = OnceLock::new();
    static COVERAGE: OnceLock<Option<Regex>> = OnceLock::new();
    static NYC: OnceLock<Option<Regex>> = OnceLock::new();
    static XML_MIN: OnceLock<Option<Regex>> = OnceLock::new();
    static GRADLE_MIN: OnceLock<Option<Regex>> = OnceLock::new();
    static FAIL_UNDER: OnceLock<Option<Regex>> = OnceLock::new();
    static COV_FAIL_UNDER: OnceLock<Option<Regex>> = OnceLock::new();
    static COV_SECTION: OnceLock<Option<Regex>> = OnceLock::new();
    let metric = re(
        &METRIC,
        r#"["']?\b(lines|branches|functions|statements)["']?\s*:\s*(\d+(?:\.\d+)?)"#,
    );
    let mut out = Vec::new();
    let mut push = |file: &Arc<SourceFile>, tool: &str, minimum: Option<f64>, at: ByteRange| {
        located.push((
            format!("/repository/coverage/{}", out.len()),
            Arc::clone(file),
            at,
        ));
        let prefix = format!("{}/", repo.display);
        let path = file.path();
        let rel = path
            .strip_prefix(prefix.as_str())
            .filter(|_| !repo.display.is_empty())
            .unwrap_or(path);
        out.push(json!({
            "file": rel,
            "tool": tool,
            "minimum": minimum.map_or(Value::Null, number),
        }));
    };
    // The lowest of the metrics written in `text[from..to]`.
    let lowest = |text: &str, from: usize, to: usize| -> Option<f64> {
        let part = text.get(from..to.min(text.len()))?;
        metric?
            .captures_iter(part)
            .filter_map(|c| c[2].parse::<f64>().ok())
            .reduce(f64::min)
    };
    let read = |name: &str| repo.read(name).and_then(Result::ok);
    // The end of the block that starts at `from`: the matching closing brace.
    let block_end = |text: &str, from: usize| -> usize {
        let mut level = 0i32;
        for (i, c) in text[from..].char_indices() {
            match c {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level <= 0 {
                        return from + i;
                    }
                }
                _ => {}
            }
        }
        text.len()
    };

    // Jest and nyc in package.json, nyc in .nycrc.
    for name in ["package.json", ".nycrc", ".nycrc.json"] {
        let Some(f) = read(name) else { continue };
        let Ok(v) = serde_json::from_str::<Value>(f.text()) else {
            continue;
        };
        let metrics = |o: &Value| -> Option<f64> {
            ["lines", "branches", "functions", "statements"]
                .iter()
                .filter_map(|k| o.get(k).and_then(Value::as_f64))
                .filter(|n| *n >= 0.0)
                .reduce(f64::min)
        };
        if name == "package.json" {
            if let Some(t) = v.pointer("/jest/coverageThreshold") {
                let at = find(f.text(), re(&JEST, r#""?coverageThreshold"?"#), 0);
                let min = t.get("global").and_then(metrics);
                push(&f, "jest", min, at.unwrap_or_default());
            }
        }
        let nyc = if name == "package.json" {
            v.get("nyc")
        } else {
            Some(&v)
        };
        if let Some(nyc) = nyc.filter(|n| n.is_object()) {
            let check = nyc.get("check-coverage").and_then(Value::as_bool) == Some(true);
            let at = if name == "package.json" {
                find(f.text(), re(&NYC, r#""nyc""#), 0)
            } else {
                None
            };
            push(
                &f,
                "nyc",
                check.then(|| metrics(nyc)).flatten(),
                at.unwrap_or_default(),
            );
        }
    }
    // Jest and Vitest configuration files.
    for base in ["jest.config", "vitest.config", "vite.config"] {
        for ext in ["ts", "js", "mjs", "cjs", "mts", "cts", "json"] {
            let Some(f) = read(&format!("{base}.{ext}")) else {
                continue;
            };
            let text = f.text();
            if base == "jest.config" {
                if let Some(at) = find(text, re(&JEST, r#""?coverageThreshold"?"#), 0) {
                    let end = block_end(text, at.end as usize);
                    push(&f, "jest", lowest(text, at.end as usize, end), at);
                }
            } else if let Some(at) = find(text, re(&VITEST, r"\bthresholds\b"), 0) {
                let end = block_end(text, at.end as usize);
                let all = text.get(at.end as usize..end).is_some_and(|t| {
                    re(&VITEST_ALL, r"\b100\s*:\s*true").is_some_and(|r| r.is_match(t))
                });
                let min = if all {
                    Some(100.0)
                } else {
                    lowest(text, at.end as usize, end)
                };
                push(&f, "vitest", min, at);
            } else if let Some(at) = find(text, re(&COVERAGE, r"\bcoverage\s*:"), 0) {
                push(&f, "vitest", None, at);
            }
        }
    }
    // JaCoCo, in Maven and Gradle builds: the `check` rule's minimums.
    for (name, pattern, min_cell, min_pattern) in [
        (
            "pom.xml",
            r"jacoco-maven-plugin",
            &XML_MIN,
            r"<minimum>\s*(\d+(?:\.\d+)?)\s*%?\s*</minimum>",
        ),
        (
            "build.gradle",
            r"\bjacoco\w*",
            &GRADLE_MIN,
            r#"\bminimum\s*=\s*(?:BigDecimal\(|new BigDecimal\()?\s*['"]?(\d+(?:\.\d+)?)"#,
        ),
        (
            "build.gradle.kts",
            r"\bjacoco\w*",
            &GRADLE_MIN,
            r#"\bminimum\s*=\s*(?:BigDecimal\(|new BigDecimal\()?\s*['"]?(\d+(?:\.\d+)?)"#,
        ),
    ] {
        let Some(f) = read(name) else { continue };
        let text = f.text();
        let Ok(jacoco) = Regex::new(pattern) else {
            continue;
        };
        let Some(plugin) = find(text, Some(&jacoco), 0) else {
            continue;
        };
        let Some(minimum) = re(min_cell, min_pattern) else {
            continue;
        };
        let mins: Vec<(f64, ByteRange)> = minimum
            .captures_iter(text)
            .filter_map(|c| {
                let m = c.get(0)?;
                let n = c[1].parse::<f64>().ok()?;
                Some((percent(n), ByteRange::new(m.start(), m.end())))
            })
            .collect();
        match mins.iter().min_by(|a, b| a.0.total_cmp(&b.0)) {
            Some((n, at)) => push(&f, "jacoco", Some(*n), *at),
            None => push(&f, "jacoco", None, plugin),
        }
    }
    // coverage.py and pytest-cov.
    for name in [
        "pyproject.toml",
        "setup.cfg",
        "tox.ini",
        ".coveragerc",
        "pytest.ini",
    ] {
        let Some(f) = read(name) else { continue };
        let text = f.text();
        let fail_under = re(
            &FAIL_UNDER,
            r"(?m)^[ \t]*fail_under[ \t]*=[ \t]*(\d+(?:\.\d+)?)",
        );
        let cov = re(&COV_FAIL_UNDER, r"--cov-fail-under[= ](\d+(?:\.\d+)?)");
        let mut any = false;
        for (tool, pattern) in [("coverage.py", fail_under), ("pytest-cov", cov)] {
            let Some(c) = pattern.and_then(|r| r.captures(text)) else {
                continue;
            };
            if let Some(m) = c.get(0) {
                let n = c[1].parse::<f64>().ok();
                push(&f, tool, n, ByteRange::new(m.start(), m.end()));
                any = true;
            }
        }
        if !any {
            let section = re(
                &COV_SECTION,
                r"(?m)^[ \t]*\[(tool\.coverage[.\]]|coverage:|run\]|report\])",
            );
            if name == ".coveragerc" || section.is_some_and(|r| r.is_match(text)) {
                let at = find(text, section, 0).unwrap_or_default();
                push(&f, "coverage.py", None, at);
            }
        }
    }
    out
}
