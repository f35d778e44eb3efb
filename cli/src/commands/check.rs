//! `cct check`: scan, report (one or several formats from the same scan), and the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use cct::{CheckArgs, ColorChoice, FailOn, OutputFormat};
use cct_engine::report::{self, RenderOptions};
use cct_engine::{Baseline, Lang, Report, RuleTiming, Scan, Severity};

use super::progress::ProgressLine;
use super::setup::setup;

/// Check paths; exit code 1 when a finding that counts blocks, or an input was not judged.
pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut setup = setup(&args.scan)?;
    let config = setup.config.as_ref().map(|c| &c.config);
    let baseline = match (&args.baseline, setup.config.as_ref()) {
        (Some(file), _) => Some(Baseline::load(file)?),
        (None, Some(c)) => match &c.config.baseline {
            Some(file) => Some(Baseline::load(&c.resolve(file))?),
            None => None,
        },
        (None, None) => None,
    };
    setup.options.baseline = baseline;
    let fail_on = args
        .fail_on
        .or_else(|| {
            config.and_then(|c| c.fail_on).map(|f| match f {
                cct_engine::config::FailOn::Error => FailOn::Error,
                cct_engine::config::FailOn::Warning => FailOn::Warning,
                cct_engine::config::FailOn::Note => FailOn::Note,
                cct_engine::config::FailOn::Never => FailOn::Never,
            })
        })
        .unwrap_or(FailOn::Error);
    let allow_unjudged =
        args.allow_unjudged || config.and_then(|c| c.allow_unjudged).unwrap_or(false);
    let line = ProgressLine::new();
    setup.options.progress = line.sink(setup.lang);
    let scan = Scan::new(&setup.catalogue, setup.options.clone());
    let report = scan.run(&args.scan.paths);
    drop(line);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && args.format == OutputFormat::Human
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let options = RenderOptions {
        lang: setup.lang,
        color,
    };
    for target in &args.reports {
        let mut buf = Vec::new();
        report::render(
            target.format.format(),
            &report,
            &setup.catalogue,
            RenderOptions {
                color: false,
                ..options
            },
            &mut buf,
        )?;
        std::fs::write(&target.file, buf)
            .with_context(|| format!("cannot write {}", target.file.display()))?;
    }
    match &args.output {
        Some(path) => {
            let mut buf = Vec::new();
            report::render(
                args.format.format(),
                &report,
                &setup.catalogue,
                options,
                &mut buf,
            )?;
            std::fs::write(path, buf)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            // Buffered: standard output flushes at every line otherwise, a write per line of a
            // report of several megabytes.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            report::render(
                args.format.format(),
                &report,
                &setup.catalogue,
                options,
                &mut out,
            )?;
            out.flush()?;
        }
    }
    if let Some(timings) = &report.timings {
        let mut err = std::io::stderr().lock();
        err.write_all(timing_table(timings, setup.lang).as_bytes())?;
    }
    let code = exit_code(&report, fail_on, allow_unjudged);
    // The process ends here: the operating system takes its memory back at once, whereas
    // dropping the catalogue, the compiled rules and the loaded documents one value at a time
    // took 7 % of a one-file check (callgrind) and longer on a large repository.
    std::mem::forget(report);
    std::mem::forget(scan);
    std::mem::forget(setup);
    Ok(code)
}

/// 1 when a finding that counts is at or above the threshold, or an input was not judged
/// (unless allowed); else 0.
fn exit_code(report: &Report, fail_on: FailOn, allow_unjudged: bool) -> ExitCode {
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let blocking = threshold.is_some_and(|t| report.blocks(t));
    let unjudged = !allow_unjudged && report.unjudged().next().is_some();
    if blocking || unjudged {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The rules of a timed scan (`CCT_TIMING=1`) that took time, the costliest first, as a table:
/// the time each took to compile and on the subjects it selected (summed over threads), then
/// the total of all.
fn timing_table(timings: &[RuleTiming], lang: Lang) -> String {
    let ms = |d: std::time::Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    let header = match lang {
        Lang::En => [
            "rule",
            "total ms",
            "compile ms",
            "schema ms",
            "subjects",
            "rego ms",
            "subjects",
        ],
        Lang::Fr => [
            "règle",
            "total ms",
            "compil. ms",
            "schéma ms",
            "sujets",
            "rego ms",
            "sujets",
        ],
    };
    let mut rows = vec![header.map(String::from)];
    for t in timings.iter().filter(|t| !t.total().is_zero()) {
        rows.push([
            t.rule.clone(),
            ms(t.total()),
            ms(t.compile),
            ms(t.schema),
            t.schema_subjects.to_string(),
            ms(t.rego),
            t.rego_subjects.to_string(),
        ]);
    }
    let all: std::time::Duration = timings.iter().map(RuleTiming::total).sum();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        // The rule's id on the left, the figures on the right.
        out.push_str(&format!("{:<w$}", row[0], w = widths[0]));
        for (cell, w) in row.iter().zip(&widths).skip(1) {
            out.push_str(&format!("  {cell:>w$}"));
        }
        out.push('\n');
    }
    out.push_str(&match lang {
        Lang::En => format!(
            "all {} rules: {} ms (summed over threads)\n",
            timings.len(),
            ms(all)
        ),
        Lang::Fr => format!(
            "les {} règles : {} ms (cumulés sur les fils)\n",
            timings.len(),
            ms(all)
        ),
    });
    out
}
