//! The anatomy of a simple command: reserved words of compound commands
//! dropped, leading `VAR=value` assignments, wrappers run before the program
//! (`sudo`, `env`, `exec`, `timeout`...), and the program itself.

use super::{basename, Redirect, ShellCommand, ShellWord};
use crate::packages::detect_install;

fn is_assignment(w: &ShellWord) -> bool {
    let raw = w.raw.as_str();
    match raw.find('=') {
        Some(eq) if eq > 0 => {
            let name = &raw[..eq];
            name.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        _ => false,
    }
}

const PREFIX_KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{",
];
const END_KEYWORDS: &[&str] = &["fi", "done", "esac", "}", "then", "else", "do"];

pub(super) fn build_command(
    mut words: Vec<ShellWord>,
    redirects: Vec<Redirect>,
) -> Option<ShellCommand> {
    // Reserved words introducing or closing compound commands.
    while words
        .first()
        .is_some_and(|w| w.raw == w.value && PREFIX_KEYWORDS.contains(&w.value.as_str()))
    {
        words.remove(0);
    }
    if words.len() == 1
        && words
            .first()
            .is_some_and(|w| w.raw == w.value && END_KEYWORDS.contains(&w.value.as_str()))
    {
        words.clear();
    }
    if words.is_empty() {
        return None;
    }
    let span = match (words.first(), words.last()) {
        (Some(f), Some(l)) => f.span.start..l.span.end,
        _ => 0..0,
    };
    let mut cmd = ShellCommand {
        span,
        words,
        assignments: Vec::new(),
        wrappers: Vec::new(),
        sudo: None,
        program: None,
        redirects,
        install: None,
    };
    let first_is_compound = cmd
        .words
        .first()
        .is_some_and(|w| matches!(w.value.as_str(), "for" | "case" | "select" | "function"));
    if first_is_compound {
        return Some(cmd);
    }
    let words = &cmd.words;
    let n = words.len();
    let mut i = 0;
    let value = |i: usize| words.get(i).map_or("", |w| w.value.as_str());
    let mut assignments = Vec::new();
    let mut wrappers = Vec::new();
    let mut sudo = None;
    while i < n && is_assignment(&words[i]) {
        assignments.push(words[i].clone());
        i += 1;
    }
    loop {
        if i >= n {
            break;
        }
        let name = basename(value(i));
        match name {
            "sudo" | "doas" => {
                sudo.get_or_insert(words[i].span.clone());
                wrappers.push(words[i].clone());
                i += 1;
                while i < n && value(i).starts_with('-') {
                    let v = value(i);
                    i += 1;
                    if v == "--" {
                        break;
                    }
                    if matches!(
                        v,
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U" | "-T"
                    ) {
                        i += 1;
                    }
                }
                while i < n && is_assignment(&words[i]) {
                    assignments.push(words[i].clone());
                    i += 1;
                }
            }
            "env" => {
                wrappers.push(words[i].clone());
                i += 1;
                while i < n {
                    let v = value(i);
                    if is_assignment(&words[i]) {
                        assignments.push(words[i].clone());
                        i += 1;
                    } else if matches!(v, "-u" | "--unset" | "-C" | "--chdir" | "-S") {
                        i += 2;
                    } else if v == "--" {
                        i += 1;
                        break;
                    } else if v.starts_with('-') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "exec" | "nohup" | "time" | "builtin" | "nice" | "timeout" | "stdbuf" | "tini"
            | "dumb-init" | "gosu" | "su-exec" => {
                wrappers.push(words[i].clone());
                let w = name;
                i += 1;
                while i < n && value(i).starts_with('-') {
                    let v = value(i);
                    i += 1;
                    if v == "--" {
                        break;
                    }
                    if matches!(
                        (w, v),
                        ("exec", "-a") | ("nice", "-n") | ("timeout", "-s" | "-k")
                    ) {
                        i += 1;
                    }
                }
                if matches!(w, "timeout" | "gosu" | "su-exec") && i < n {
                    i += 1; // duration or user
                }
            }
            "command" if !matches!(value(i + 1), "-v" | "-V") => {
                wrappers.push(words[i].clone());
                i += 1;
                if value(i) == "-p" {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    cmd.assignments = assignments;
    cmd.wrappers = wrappers;
    cmd.sudo = sudo;
    if i < n {
        cmd.program = Some(i);
        cmd.install = detect_install(&cmd.words, i);
    }
    Some(cmd)
}
