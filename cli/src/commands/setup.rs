//! What a scan is given: the configuration (found or named), merged with the command line
//! (the command line wins), resolved against the catalogue.

use std::path::{Path, PathBuf};

use anyhow::Context;
use cct::{CommonArgs, ScanArgs};
use cct_engine::config::{self, LoadedConfig, RuleSettings};
use cct_engine::{Catalogue, ChartSettings, Lang, PathFilter, Profile, ScanOptions};

use super::{catalogue, env_lang};

/// Everything a scan needs, resolved.
pub(crate) struct Setup {
    pub(crate) catalogue: Catalogue,
    pub(crate) options: ScanOptions,
    pub(crate) lang: Lang,
    pub(crate) config: Option<LoadedConfig>,
}

/// The configuration that applies: `--config`, else the nearest `.cct.yaml` above the first
/// path (none with `--no-config`).
pub(crate) fn load_config(
    common: &CommonArgs,
    first: &Path,
) -> anyhow::Result<Option<LoadedConfig>> {
    if common.no_config {
        return Ok(None);
    }
    let path = match &common.config {
        Some(p) => {
            if !p.is_file() {
                anyhow::bail!("configuration file {} not found", p.display());
            }
            p.clone()
        }
        None => match config::find(first) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let shown = shown(&path);
    Ok(Some(config::load(&path, &shown)?))
}

/// A path as reports show it: relative to the working folder when below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let rel = path.strip_prefix(&cwd).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// The profile: the command line's, else the configuration's, else cpin.
pub(crate) fn profile(
    common: &CommonArgs,
    config: Option<&LoadedConfig>,
) -> anyhow::Result<Profile> {
    Ok(match &common.profile {
        Some(p) => p.parse::<Profile>()?,
        None => config.and_then(|c| c.config.profile).unwrap_or_default(),
    })
}

/// Resolve the command line and the configuration into scan options.
pub(crate) fn setup(scan: &ScanArgs) -> anyhow::Result<Setup> {
    let first = scan
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    if let Some(p) = &scan.common.profile {
        p.parse::<Profile>()?;
    }
    let config = load_config(&scan.common, &first)?;
    let catalogue = catalogue(&scan.common)?;
    let profile = profile(&scan.common, config.as_ref())?;
    let lang = scan
        .common
        .lang
        .or_else(|| config.as_ref().and_then(|c| c.config.lang))
        .unwrap_or_else(env_lang);
    let mut options = ScanOptions {
        profile,
        jobs: scan.jobs,
        charts_dirs: scan.charts_dir.clone(),
        helm_cache: cct_engine::helm::helm_cache_dir(|v| std::env::var(v).ok()),
        shard: scan.shard.map(|s| (s.index, s.count)),
        // `CCT_TIMING=1`: the time each rule takes, on standard error after the report.
        timings: std::env::var_os("CCT_TIMING").is_some_and(|v| !v.is_empty() && v != "0"),
        ..ScanOptions::default()
    };
    if let Some(c) = &config {
        options.settings = RuleSettings::resolve(c, &catalogue)?;
        options
            .charts_dirs
            .extend(c.config.charts_dirs.iter().map(|d| c.resolve(d)));
        options.filter = PathFilter::new(
            absolute(&c.dir),
            &c.config.paths.include,
            &c.config.paths.exclude,
        )
        .map_err(|e| anyhow::anyhow!("{}: paths: {e}", c.file.path()))?;
        for chart in &c.config.charts {
            let dir = c.resolve(&chart.path);
            let dir = std::fs::canonicalize(&dir).with_context(|| {
                format!(
                    "{}: chart folder {} not found",
                    c.file.path(),
                    dir.display()
                )
            })?;
            let as_text = |p: &PathBuf| p.to_string_lossy().replace('\\', "/");
            options.charts.push(ChartSettings {
                dir,
                environments: (!chart.environments.is_empty()).then(|| {
                    chart
                        .environments
                        .iter()
                        .map(|(name, files)| (name.clone(), files.iter().map(as_text).collect()))
                        .collect()
                }),
                values: chart.values.iter().map(as_text).collect(),
            });
        }
    }
    options.config = config.clone();
    Ok(Setup {
        catalogue,
        options,
        lang,
        config,
    })
}

/// A path made absolute from the working folder.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}
