//! `cct`: the command line. Arguments, output files, exit codes; everything else is the engine.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use cct_engine::report::{self, Format, RenderOptions};
use cct_engine::{CatalogueBuilder, Lang, Profile, Scan, ScanOptions, Severity};
use clap::{Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  cct check                                  check the current folder
  cct check deploy/ k8s/api.yaml             check some folders and files
  cct check --format sarif -o cct.sarif .    SARIF for GitLab or a code-scanning UI
  cct check --profile kubernetes .           plain Kubernetes: no OpenShift admission escalations
  cct check --rules ./team-rules .           add the team's own rules
  cct rules                                  list the rules of the catalogue
  cct render ./chart -f values-prod.yaml     print what `helm template` prints

Exit codes: 0 nothing blocking, 1 a blocking finding (render: the chart does not render),
2 a usage or configuration error.";

/// cct: checks a repository against the Cadre de Cohérence Technique Cloud π Native.
#[derive(Debug, Parser)]
#[command(name = "cct", version, about, long_about = None, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check files and folders (Kubernetes manifests; charts and Dockerfiles are reported).
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// List the rules of the catalogue.
    Rules(CommonArgs),
    /// Render a Helm chart and print what `helm template` prints (exit code 1 when the chart
    /// does not render: `Error: <Helm's message>` and the location, on standard error).
    Render(RenderArgs),
}

#[derive(Debug, clap::Args)]
struct RenderArgs {
    /// The chart folder.
    chart: PathBuf,
    /// A values file, merged in order (repeatable).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    values: Vec<PathBuf>,
    /// Set a value (Helm's syntax: a.b=c,d[0]=e; repeatable).
    #[arg(long = "set", value_name = "K=V")]
    set: Vec<String>,
    /// Set a string value (repeatable).
    #[arg(long = "set-string", value_name = "K=V")]
    set_string: Vec<String>,
    /// The release name.
    #[arg(long = "release", value_name = "NAME", default_value = "release-name")]
    release: String,
    /// The release namespace.
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NS",
        default_value = "default"
    )]
    namespace: String,
    /// A folder of charts where dependencies that `charts/` lacks are found by name (repeatable).
    #[arg(long = "charts-dir", value_name = "DIR")]
    charts_dir: Vec<PathBuf>,
    /// The Kubernetes version for `.Capabilities.KubeVersion` (default v1.36.0).
    #[arg(long = "kube-version", value_name = "V")]
    kube_version: Option<String>,
    /// An API version added to `.Capabilities.APIVersions` (repeatable).
    #[arg(long = "api-versions", value_name = "G/V")]
    api_versions: Vec<String>,
    /// Print the `crds/` files first.
    #[arg(long = "include-crds")]
    include_crds: bool,
}

#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// Language of messages: fr or en (default: from CCT_LANG, LC_ALL, LC_MESSAGES or LANG; fr otherwise).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Profile: cpin (Cloud π Native, OpenShift admission escalations), kubernetes,
    /// pss-baseline, pss-restricted.
    #[arg(long, default_value = "cpin")]
    profile: String,
    /// Add the rules of a folder (same format as the catalogue). Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files and folders to check.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// A folder of charts, for Helm chart dependencies that `charts/` lacks (by name).
    /// Repeatable.
    #[arg(long = "charts-dir", value_name = "DIR")]
    charts_dir: Vec<PathBuf>,
    /// Output format: human, sarif or json.
    #[arg(long, short = 'f', default_value = "human")]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Lowest severity of an unsuppressed finding that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    #[command(flatten)]
    common: CommonArgs,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        other => Err(format!("unknown language `{other}` (fr, en)")),
    }
}

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
