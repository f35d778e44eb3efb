//! `cct`: the command line. Arguments, output files, exit codes; everything else is the engine.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use cct::{CheckArgs, Cli, ColorChoice, Command, CommonArgs, FailOn, RenderArgs};
use cct_engine::report::{self, RenderOptions};
use cct_engine::{CatalogueBuilder, Lang, Profile, Scan, ScanOptions, Severity};
use clap::Parser;

fn env_lang() -> Lang {
    ["CCT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .filter(|v| !v.is_empty())
        .find_map(|v| Lang::from_tag(&v))
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("cct: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn catalogue(common: &CommonArgs) -> anyhow::Result<cct_engine::Catalogue> {
    common.profile.parse::<Profile>()?;
    let mut builder = CatalogueBuilder::new();
    for dir in &common.rules {
        builder = builder.rules_dir(dir);
    }
    Ok(builder.build()?)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Rules(common) => {
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
        Command::Check(args) => check(args),
        Command::Render(args) => render_chart(args),
    }
}

fn render_chart(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let opts = cct_engine::helm::RenderOptions {
        values_files: args.values,
        set: args.set,
        set_string: args.set_string,
        release_name: args.release,
        namespace: args.namespace,
        charts_dirs: args.charts_dir,
        kube_version: args.kube_version,
        api_versions: args.api_versions,
        include_crds: args.include_crds,
        ..cct_engine::helm::RenderOptions::default()
    };
    match cct_engine::helm::render(&args.chart, &opts) {
        Ok(rendered) => {
            let mut out = std::io::stdout().lock();
            out.write_all(rendered.manifest.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("Error: {}", e.message);
            if let Some(loc) = &e.location {
                eprintln!("  --> {}:{}:{}", loc.path, loc.start.line, loc.start.column);
            }
            Ok(ExitCode::from(1))
        }
    }
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
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
