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

/// Whether a file name (not a path) names a Dockerfile: `Dockerfile`,
/// `Containerfile`, `Dockerfile.*`, `Containerfile.*`, `*.Dockerfile`,
/// `*.dockerfile`, `*.Containerfile`. The base names are matched
/// case-insensitively (as on case-insensitive file systems and in common
/// editor conventions such as `dockerfile`); `.dockerignore` is not one.
///
/// ```
/// use cct_dockerfile::is_dockerfile_name;
/// assert!(is_dockerfile_name("Dockerfile"));
/// assert!(is_dockerfile_name("Dockerfile.prod"));
/// assert!(is_dockerfile_name("api.Dockerfile"));
/// assert!(is_dockerfile_name("Containerfile"));
/// assert!(!is_dockerfile_name("Dockerfile.dockerignore"));
/// assert!(!is_dockerfile_name("docker-compose.yml"));
/// ```
pub fn is_dockerfile_name(file_name: &str) -> bool {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".containerignore") {
        return false;
    }
    for base in ["dockerfile", "containerfile"] {
        if lower == base {
            return true;
        }
        if let Some(rest) = lower.strip_prefix(base) {
            if rest.len() > 1 && rest.starts_with('.') {
                return true;
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
