//! The Dockerfile target: parse, then build the JSON model and its span table as
//! `cct-engine` does (`engine/src/dockerfile/mod.rs`); the text is also analysed as a
//! shell script, as GitLab CI `script:` lines are.

use std::ops::Range;

/// Runs the parser and the model on `data` (read as UTF-8, invalid bytes replaced, as any
/// text the engine loads is a `str`). Panics when a span falls outside the text or inside
/// a UTF-8 character: the engine slices the source with them to report findings.
pub fn dockerfile(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let parsed = cct_dockerfile::parse(text);
    for e in &parsed.errors {
        check_span(text, &e.span, "parse error");
        assert!(e.line >= 1 && e.column >= 1, "parse error position {e:?}");
    }
    let df = &parsed.dockerfile;
    for ins in &df.instructions {
        check_span(text, &ins.span, "instruction");
        for cmd in ins.shell_commands() {
            check_command(text, &cmd);
        }
    }
    if !df.instructions.is_empty() {
        let (_value, table) = df.model();
        for (pointer, s) in table.iter() {
            check_span(text, &s.value, pointer);
            if let Some(k) = &s.key {
                check_span(text, k, pointer);
            }
        }
    }
    for cmd in cct_dockerfile::analyze_script(text) {
        check_command(text, &cmd);
    }
}

fn check_command(text: &str, cmd: &cct_dockerfile::ShellCommand) {
    check_span(text, &cmd.span, "command");
    for w in &cmd.words {
        check_span(text, &w.span, "shell word");
        check_span(text, &w.value_span(0..w.value.len()), "shell word value");
    }
    if let Some(install) = &cmd.install {
        for p in &install.packages {
            check_span(text, &p.name_span, "package name");
            if let Some(v) = &p.version_span {
                check_span(text, v, "package version");
            }
        }
    }
}

fn check_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && text.get(span.clone()).is_some(),
        "{what}: span {span:?} is not a range of the {}-byte text on character boundaries",
        text.len()
    );
}
