//! `cct check`: scan, report, and the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use cct::{CheckArgs, ColorChoice, FailOn};
use cct_engine::report::{self, RenderOptions};
use cct_engine::{Profile, Scan, ScanOptions, Severity};

use super::{catalogue, env_lang};

/// Check paths; exit code 1 when a finding blocks.
pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let lang = args.common.lang.unwrap_or_else(env_lang);
    let catalogue = catalogue(&args.common)?;
    let scan = Scan::new(
        &catalogue,
        ScanOptions {
            profile: args.common.profile.parse::<Profile>()?,
            jobs: args.jobs,
            charts_dirs: args.charts_dir.clone(),
            ..ScanOptions::default()
        },
    );
    let report = scan.run(&args.paths);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let options = RenderOptions { lang, color };
    match &args.output {
        Some(path) => {
            let mut buf = Vec::new();
            report::render(args.format, &report, &catalogue, options, &mut buf)?;
            std::fs::write(path, buf)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            report::render(args.format, &report, &catalogue, options, &mut out)?;
            out.flush()?;
        }
    }
    let blocking = match args.fail_on {
        FailOn::Error => report.blocks(Severity::Error),
        FailOn::Warning => report.blocks(Severity::Warning),
        FailOn::Note => report.blocks(Severity::Note),
        FailOn::Never => false,
    };
    Ok(if blocking {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
