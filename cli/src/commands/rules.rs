//! `cct rules`: list the rules of the catalogue.

use std::io::Write;
use std::process::ExitCode;

use cct::CommonArgs;

use super::{catalogue, env_lang};

/// Print one line per rule.
pub(crate) fn run(common: CommonArgs) -> anyhow::Result<ExitCode> {
    let lang = common.lang.unwrap_or_else(env_lang);
    let catalogue = catalogue(&common)?;
    let mut out = std::io::stdout().lock();
    for r in &catalogue.rules {
        writeln!(
            out,
            "{:<13} {:<5} {:<8} {:<42} {}",
            r.spec.id,
            r.spec.level.as_str(),
            r.spec.severity.as_str(),
            r.spec.name,
            r.spec.title.get(lang)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
