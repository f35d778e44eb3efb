//! `cct render`: print what `helm template` prints, or for a kustomization folder what
//! `kustomize build` prints.

use std::io::Write;
use std::process::ExitCode;

use cct::RenderArgs;
use cct_engine::vocab::Text;

/// Render a chart; exit code 1 with Helm's message when it does not render. By default the
/// chart sees the platform's API versions, as `cct check` renders it; a line on stderr says
/// which capabilities were used.
pub(crate) fn run(args: RenderArgs) -> anyhow::Result<ExitCode> {
    if !args.chart.join("Chart.yaml").is_file()
        && cct_engine::kustomize::is_kustomization(&args.chart)
    {
        return kustomize(&args);
    }
    let lang = super::env_lang();
    let platform = args.api_versions.is_empty();
    let api_versions = if platform {
        cct_engine::helm::PLATFORM_API_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args.api_versions.clone()
    };
    let kube = args
        .kube_version
        .as_deref()
        .unwrap_or(cct_engine::helm::DEFAULT_KUBE_VERSION);
    let listed = api_versions.join(", ");
    let line = if platform {
        Text::new(
            format!("capabilities: Kubernetes {kube}, with the platform's API versions as `cct check` renders ({listed}); --kube-version/--api-versions override"),
            format!("capacités : Kubernetes {kube}, avec les versions d'API de la plateforme comme `cct check` rend ({listed}) ; --kube-version/--api-versions les remplacent"),
        )
    } else {
        Text::new(
            format!("capabilities: Kubernetes {kube}, with the API versions given ({listed}) instead of the platform's"),
            format!("capacités : Kubernetes {kube}, avec les versions d'API données ({listed}) au lieu de celles de la plateforme"),
        )
    };
    eprintln!("{}", line.get(lang));
    let opts = cct_engine::helm::RenderOptions {
        values_files: args.values,
        set: args.set,
        set_string: args.set_string,
        set_json: args.set_json,
        set_file: args.set_file,
        set_literal: args.set_literal,
        release_name: args.release,
        namespace: args.namespace,
        charts_dirs: args.charts_dir,
        helm_cache: cct_engine::helm::helm_cache_dir(|v| std::env::var(v).ok()),
        kube_version: args.kube_version,
        api_versions,
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
    let helm_cache = cct_engine::helm::helm_cache_dir(|v| std::env::var(v).ok());
    match cct_engine::render_kustomization(&args.chart, args.charts_dir.clone(), helm_cache) {
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
