//! One module per subcommand; what they share.

mod check;
mod gate;
mod progress;
mod render;
mod rules;
mod setup;

use std::process::ExitCode;

use cct::{Cli, Command, CommonArgs};
use cct_engine::{CatalogueBuilder, Lang, Profile};

/// Run a parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Rules(common) => rules::run(common),
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
