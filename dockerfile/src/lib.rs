//! Dockerfile parser with byte spans, for the cct compliance linter.
//!
//! * [`parse`] turns the text into a [`Dockerfile`] (instructions, flags,
//!   words, heredocs, comments, directives; each with its byte span) and a
//!   list of [`ParseError`]s (parsing recovers at the next instruction);
//! * [`expand`] performs Docker's variable substitution, and
//!   [`Dockerfile::scope_at`] gives the variables in scope at an instruction;
//! * [`Instruction::shell_commands`] splits `RUN` (and `CMD`, `ENTRYPOINT`)
//!   into commands and words, with package installs recognised;
//! * [`Dockerfile::model`] builds the JSON model checked by rules, with a
//!   [`SpanTable`] mapping every JSON pointer to a span;
//! * [`is_dockerfile_name`] recognises Dockerfile file names.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]
mod ast;
mod expand;
mod image;
mod mapped;
mod model;
mod packages;
mod parser;
mod semantic;
mod shell;
mod words;

pub use ast::*;
pub use expand::{expand, expand_with_escape, Expansion, Vars};
pub use image::{parse_image_ref, ImageRef};
pub use mapped::{LineIndex, Span};
pub use model::{PointerSpan, SpanTable};
pub use packages::{Package, PackageInstall};
pub use parser::parse;
pub use semantic::{Stage, StageRef};
pub use shell::{
    analyze_heredoc, analyze_script, analyze_shell, Redirect, ShellCommand, ShellWord,
};

/// Whether a file name (not a path) names a Dockerfile: `Dockerfile`, `Containerfile`, and any
/// name that starts with one of them followed by a separator (`Dockerfile.prod`,
/// `Dockerfile-prod`, `Dockerfile_ci`) or a capital letter or digit (`DockerfileJavanaise`,
/// `Containerfile2`), and `*.Dockerfile`, `*.dockerfile`, `*.Containerfile`. The base names
/// are matched case-insensitively (as on case-insensitive file systems and in common editor
/// conventions such as `dockerfile`). A name whose extension is another format's
/// (`.dockerignore`, `.md`, `.yml`, `.sh`, a template such as `.j2`…) is not one.
///
/// ```
/// use cct_dockerfile::is_dockerfile_name;
/// assert!(is_dockerfile_name("Dockerfile"));
/// assert!(is_dockerfile_name("Dockerfile.prod"));
/// assert!(is_dockerfile_name("Dockerfile-prod"));
/// assert!(is_dockerfile_name("DockerfileJavanaise"));
/// assert!(is_dockerfile_name("api.Dockerfile"));
/// assert!(is_dockerfile_name("Containerfile"));
/// assert!(!is_dockerfile_name("Dockerfile.dockerignore"));
/// assert!(!is_dockerfile_name("Dockerfiles"));
/// assert!(!is_dockerfile_name("docker-compose.yml"));
/// ```
pub fn is_dockerfile_name(file_name: &str) -> bool {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = name.to_ascii_lowercase();
    if OTHER_FORMATS.iter().any(|ext| lower.ends_with(ext)) {
        return false;
    }
    for base in ["dockerfile", "containerfile"] {
        if lower == base {
            return true;
        }
        if lower.starts_with(base) {
            // The rest in its original case (the base is ASCII, so the offsets agree).
            let rest = &name[base.len()..];
            let mut chars = rest.chars();
            match chars.next() {
                Some('.' | '-' | '_') if chars.next().is_some() => return true,
                Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit() => return true,
                _ => {}
            }
        }
        if let Some(stem) = lower.strip_suffix(base) {
            if stem.len() > 1 && stem.ends_with('.') {
                return true;
            }
        }
    }
    false
}

/// Extensions of files that sit beside Dockerfiles but are something else: ignore files,
/// documentation, configuration, scripts, templates of other tools, editor and patch leftovers.
const OTHER_FORMATS: &[&str] = &[
    ".dockerignore",
    ".containerignore",
    ".md",
    ".txt",
    ".rst",
    ".adoc",
    ".yml",
    ".yaml",
    ".json",
    ".toml",
    ".sh",
    ".bash",
    ".ps1",
    ".bat",
    ".py",
    ".go",
    ".js",
    ".ts",
    ".j2",
    ".jinja",
    ".jinja2",
    ".tpl",
    ".tmpl",
    ".template",
    ".erb",
    ".orig",
    ".rej",
    ".bak",
    ".swp",
    ".patch",
    ".diff",
];
