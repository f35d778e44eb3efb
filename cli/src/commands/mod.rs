//! One module per subcommand; what they share.

mod check;
mod explain;
mod gate;
mod progress;
mod render;
mod requirements;
mod rules;
mod setup;

use std::process::ExitCode;

use cct::{Cli, Command, CommonArgs};
use cct_engine::{CatalogueBuilder, Lang, Profile};

/// Run a parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Rules(args) => rules::run(args),
        Command::Requirements(args) => requirements::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Check(args) => check::run(args),
        Command::Render(args) => render::run(args),
        Command::Init(args) => gate::init(args),
        Command::Baseline(args) => gate::baseline(args),
        Command::Merge(args) => gate::merge(args),
        Command::Completions(args) => gate::completions(args),
        Command::Man => gate::man(),
    }
}

/// The language of messages when `--lang` is not given: `CCT_LANG`, then the locale.
pub(crate) fn env_lang() -> Lang {
    ["CCT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .filter(|v| !v.is_empty())
        .find_map(|v| Lang::from_tag(&v))
        .unwrap_or_default()
}

/// The catalogue: the embedded rules and the user's `--rules` folders (the profile is checked
/// first, so that a wrong one is a usage error).
pub(crate) fn catalogue(common: &CommonArgs) -> anyhow::Result<cct_engine::Catalogue> {
    if let Some(p) = &common.profile {
        p.parse::<Profile>()?;
    }
    let mut builder = CatalogueBuilder::new();
    for dir in &common.rules {
        builder = builder.rules_dir(dir);
    }
    Ok(builder.build()?)
}

/// A text made fit for one cell of a Markdown table: on one line, its pipes escaped.
pub(crate) fn markdown_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
