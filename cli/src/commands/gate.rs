//! The commands around `check`: `init`, `baseline create`, `merge`, `completions`, `man`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use cct::{BaselineArgs, BaselineCommand, CompletionsArgs, InitArgs, MergeArgs, Shell};
use cct_engine::{Baseline, Scan};

use super::setup::setup;

/// The starter configuration `cct init` writes.
const STARTER: &str = include_str!("starter.cct.yaml");

/// Write a commented starter `.cct.yaml`.
pub(crate) fn init(args: InitArgs) -> anyhow::Result<ExitCode> {
    if args.path.exists() && !args.force {
        anyhow::bail!(
            "{} exists: keep it, or replace it with --force",
            args.path.display()
        );
    }
    std::fs::write(&args.path, STARTER)
        .with_context(|| format!("cannot write {}", args.path.display()))?;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "wrote {}: read it, uncomment what your repository needs, and commit it",
        args.path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `cct baseline create`: scan and record the findings that count.
pub(crate) fn baseline(args: BaselineArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        BaselineCommand::Create { scan, output } => {
            let setup = setup(&scan)?;
            let report = Scan::new(&setup.catalogue, setup.options.clone()).run(&scan.paths);
            let baseline = Baseline::of(&report.findings);
            let mut buf = Vec::new();
            baseline.write(&mut buf)?;
            std::fs::write(&output, buf)
                .with_context(|| format!("cannot write {}", output.display()))?;
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "{} finding(s) recorded in {}; `cct check --baseline {}` fails only on new ones",
                baseline.len(),
                output.display(),
                output.display()
            )?;
            let unjudged = report.unjudged().count();
            if unjudged > 0 {
                writeln!(
                    err,
                    "warning: {unjudged} input(s) could not be judged (run `cct check` to see why): their findings are not in the baseline"
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `cct merge`: one SARIF run from several.
pub(crate) fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let mut runs = Vec::new();
    for file in &args.files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", file.display()))?;
        runs.push(value);
    }
    let merged = cct_engine::report::merge_sarif(&runs).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut buf = serde_json::to_vec_pretty(&merged)?;
    buf.push(b'\n');
    match &args.output {
        Some(path) => {
            std::fs::write(path, buf).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buf)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cct completions SHELL`.
pub(crate) fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    let mut cmd = cct::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "cct", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `cct man`: the manual page in roff.
pub(crate) fn man() -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(cct::command()).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
