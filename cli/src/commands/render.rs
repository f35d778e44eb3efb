//! `cct render`: print what `helm template` prints, or for a kustomization folder what
//! `kustomize build` prints.

use std::io::Write;
use std::process::ExitCode;

use cct::RenderArgs;

/// Render a chart; exit code 1 with Helm's message when it does not render.
pub(crate) fn run(args: RenderArgs) -> anyhow::Result<ExitCode> {
    if !args.chart.join("Chart.yaml").is_file()
        && cct_engine::kustomize::is_kustomization(&args.chart)
    {
        return kustomize(&args);
    }
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

/// Build a kustomization folder; exit code 1 with the reason when it does not build.
fn kustomize(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    match cct_engine::kustomize::render(&args.chart) {
        Ok((text, warnings)) => {
            for w in &warnings {
                eprintln!("Warning: {}", w.message.en);
            }
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("Error: {}", e.message.en);
            if let Some(loc) = &e.location {
                eprintln!("  --> {}:{}:{}", loc.path, loc.start.line, loc.start.column);
            }
            Ok(ExitCode::from(1))
        }
    }
}
