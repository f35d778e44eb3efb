//! `docs/cli.md`: the command line of `cct`, from its clap definition (`cct::command()`): each
//! subcommand's usage, arguments and options with their help.

use std::path::PathBuf;

use clap::{Arg, ArgAction, Command};

use crate::generate::Generated;

/// The CLI reference.
pub(crate) fn generate() -> Generated {
    let mut cmd = cct::command();
    cmd.build();
    Generated {
        path: PathBuf::from("docs/cli.md"),
        text: render(&cmd),
    }
}

fn render(cmd: &Command) -> String {
    let name = cmd.get_name();
    let mut out = format!(
        "# Command line\n\n\
         Generated from the clap definition of `{name}` (`cli/src/lib.rs`) by `cargo xtask gen`;\n\
         do not edit by hand.\n\n"
    );
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        out.push_str(&format!("{}\n\n", sentence(&about.to_string())));
    }
    out.push_str(&format!("```text\n{}\n```\n\n", usage(cmd)));
    let after = cmd.get_after_help().map(ToString::to_string);
    if let Some(text) = &after {
        out.push_str(&format!("```text\n{}\n```\n\n", text.trim_end()));
    }
    out.push_str(&format!(
        "Every command takes `-h` (a summary) and `--help` (the full help); `{name} --version` \
         prints the version.\n"
    ));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        out.push_str(&format!("\n## `{name} {}`\n\n", sub.get_name()));
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            out.push_str(&format!("{}\n\n", sentence(&about.to_string())));
        }
        out.push_str(&format!("```text\n{}\n```\n", usage(sub)));
        let shown =
            |a: &&Arg| !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version");
        let positionals: Vec<&Arg> = sub.get_positionals().filter(shown).collect();
        if !positionals.is_empty() {
            out.push_str("\n| argument | |\n|---|---|\n");
            for a in positionals {
                out.push_str(&format!("| `{}` | {} |\n", positional(a), describe(a)));
            }
        }
        let options: Vec<&Arg> = sub
            .get_arguments()
            .filter(|a| !a.is_positional())
            .filter(shown)
            .collect();
        if !options.is_empty() {
            out.push_str("\n| option | |\n|---|---|\n");
            for a in options {
                out.push_str(&format!("| {} | {} |\n", option(a), describe(a)));
            }
        }
        if let Some(text) = sub.get_after_help().map(ToString::to_string) {
            if after.as_ref() != Some(&text) {
                out.push_str(&format!("\n```text\n{}\n```\n", text.trim_end()));
            }
        }
    }
    out
}

/// The usage line, without clap's `Usage: `.
fn usage(cmd: &Command) -> String {
    let text = cmd.clone().render_usage().to_string();
    text.strip_prefix("Usage: ").unwrap_or(&text).to_string()
}

/// The value name of an argument (`<DIR>`), or its id in capitals.
fn value_name(a: &Arg) -> String {
    a.get_value_names()
        .and_then(|v| v.first())
        .map(ToString::to_string)
        .unwrap_or_else(|| a.get_id().as_str().to_uppercase())
}

fn repeatable(a: &Arg) -> bool {
    matches!(a.get_action(), ArgAction::Append)
}

/// `<CHART>`, `[PATHS]...`.
fn positional(a: &Arg) -> String {
    let name = value_name(a);
    let mut out = if a.is_required_set() {
        format!("<{name}>")
    } else {
        format!("[{name}]")
    };
    if repeatable(a) {
        out.push_str("...");
    }
    out
}

/// `` `-f`, `--format <FORMAT>` ``.
fn option(a: &Arg) -> String {
    let value = if a.get_action().takes_values() {
        format!(" <{}>", value_name(a))
    } else {
        String::new()
    };
    let mut names = Vec::new();
    if let Some(s) = a.get_short() {
        names.push(format!("`-{s}`"));
    }
    if let Some(l) = a.get_long() {
        names.push(format!("`--{l}{value}`"));
    }
    names.join(", ")
}

/// The help of an argument, with its possible values, default and repetition.
fn describe(a: &Arg) -> String {
    let help = a
        .get_long_help()
        .or(a.get_help())
        .map(|h| sentence(&h.to_string()))
        .unwrap_or_default();
    let mut parts = vec![help.replace('|', "\\|")];
    if a.get_action().takes_values() {
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| format!("`{}`", v.get_name()))
            .collect();
        if !values.is_empty() {
            parts.push(format!("Values: {}.", values.join(", ")));
        }
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| format!("`{}`", v.to_string_lossy()))
            .collect();
        if !defaults.is_empty() {
            parts.push(format!("Default: {}.", defaults.join(", ")));
        }
        if repeatable(a) && !a.is_positional() && !help.to_lowercase().contains("repeatable") {
            parts.push("Repeatable.".to_string());
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// Paragraphs joined on one line (a table cell), ending with a full stop (clap drops the one of a
/// one-line doc comment).
fn sentence(text: &str) -> String {
    let mut out = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_and_argument_is_documented() {
        let mut cmd = cct::command();
        cmd.build();
        let page = render(&cmd);
        let mut count = 0;
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            assert!(page.contains(&format!("## `cct {}`", sub.get_name())));
            for a in sub.get_arguments() {
                if matches!(a.get_id().as_str(), "help" | "version") {
                    continue;
                }
                let shown = match a.get_long() {
                    Some(l) => format!("`--{l}"),
                    None => positional(a),
                };
                assert!(page.contains(&shown), "{} {shown}", sub.get_name());
                count += 1;
            }
        }
        assert!(count > 15, "{count} arguments");
        assert!(page.contains(
            "| `-f`, `--format <FORMAT>` | Output format. Values: `human`, `sarif`, `json`, `gitlab`, `junit`, `markdown`, `html`. Default: `human`. |"
        ));
        assert!(page.contains("| `[PATHS]...` | Files and folders to check."));
        assert!(page.contains("Values: `auto`, `always`, `never`. Default: `auto`."));
        assert!(page.contains("```text\ncct check [OPTIONS] [PATHS]...\n```"));
    }
}
