//! The Helm chart model: everything Helm does around the template engine.
//!
//! Input: a chart folder (and `--charts-dir` folders, `-f` files, `--set` arguments, release
//! and capabilities options). Output: a [`Prepared`] chart: its dependencies processed, its
//! values coalesced exactly as Helm v4 does (each node keeping its [`Origin`]: the values-file
//! line that set it, or the `--set` argument), validated against `values.schema.json`, and a
//! [`RenderPlan`] (one [`Scope`] per chart and subchart, the templates in Helm's parse order).
//! After the template engine has run, [`assemble`] prints what `helm template` prints.
//!
//! The flow: [`load_chart`] → [`UserValues`] → [`prepare`] → (render each
//! [`TemplateJob`] with its scope) → [`assemble`]. [`environments`] lists the environments
//! beside `Chart.yaml`; [`UserValues::for_environment`] builds their values.
//!
//! [`render`] does it all with the `cct-template` engine ([`render_loaded`] for a loaded chart
//! and an environment's values) and returns a [`RenderedChart`]: the manifest `helm template`
//! prints, its documents, and a [`ProvenanceMap`] of its bytes. [`documents`] parses it into
//! [`crate::source::Document`]s carrying a [`RenderProvenance`]; a finding's range (or
//! pointer: [`crate::source::Document::trace_pointer`]) traces back to the values line, the
//! template text or the action that wrote it ([`Trace`]). A chart that does not render is a
//! [`RenderError`] with Helm's message and the template's line and column.

mod chart;
mod coalesce;
mod data;
mod deps;
mod env;
mod files;
mod ignore;
mod load;
mod output;
mod pattern;
mod render;
mod schema;
mod semver;
mod strvals;
mod values;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod deps_tests;
#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod fidelity_tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) use chart::Chart;
pub(crate) use coalesce::{coalesce_values, Warnings};
pub use data::DEFAULT_KUBE_VERSION;
pub(crate) use data::{plan, Capabilities, Files, KubeVersion, ReleaseOptions, RenderPlan};
pub(crate) use deps::{find_chart, process_dependencies, resolve_dependencies};
pub use deps::{DependencyFrom, DependencySources, ResolvedDependency};
pub(crate) use env::{environments, Environment};
pub(crate) use files::documents as file_documents;
pub(crate) use load::{load_dir, read_values_file, LoadLimits};
pub(crate) use render::{documents, render_loaded};
pub use render::{
    render, MissingDependencies, RenderError, RenderErrorKind, RenderLimits, RenderOptions,
    RenderedChart, RenderedDoc, PLATFORM_API_VERSIONS,
};
pub(crate) use schema::{error_text as schema_error_text, validate as validate_schema};
pub(crate) use semver::is_compatible_range;
pub(crate) use strvals::parse_set;
pub use strvals::SetKind;
pub(crate) use values::{merge_maps, Table, Value, ValueKind};

use crate::source::SourceFile;

/// Why a chart could not be loaded, its values computed, or its output assembled. Messages
/// are Helm's where Helm has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HelmError {
    /// The chart (or a subchart) could not be loaded.
    #[error("{0}")]
    Load(String),
    /// A declared dependency is absent (Helm's `CheckDependencies`).
    #[error("found in Chart.yaml, but missing in charts/ directory: {0}")]
    MissingDependencies(String),
    /// Values could not be read or coalesced (`-f`, `--set`, type mismatches).
    #[error("{0}")]
    Values(String),
    /// Values do not meet `values.schema.json`.
    #[error("{0}")]
    Schema(String),
    /// Rendered output could not be assembled.
    #[error("{0}")]
    Render(String),
}

impl HelmError {
    /// The message.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// Helm's repository cache as Helm finds it: `$HELM_CACHE_HOME/repository`, else
/// `$XDG_CACHE_HOME/helm/repository`, else `~/.cache/helm/repository` (`~/Library/Caches` on
/// macOS); `None` when that folder does not exist. `var` reads an environment variable.
pub fn helm_cache_dir(var: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let cache = set("HELM_CACHE_HOME")
        .or_else(|| set("XDG_CACHE_HOME").map(|d| d.join("helm")))
        .or_else(|| {
            let home = set("HOME")?;
            Some(if cfg!(target_os = "macos") {
                home.join("Library/Caches/helm")
            } else {
                home.join(".cache/helm")
            })
        })?;
    let repo = cache.join("repository");
    repo.is_dir().then_some(repo)
}

/// The values at `pointer` of a document (a mapping), each keeping where it was written.
pub(crate) fn values_at(doc: &crate::source::Document, pointer: &str) -> Option<Table> {
    values::from_document_at(doc, pointer)?.as_table().cloned()
}

/// Load a chart folder and resolve its dependencies that `charts/` does not hold (see
/// [`DependencySources`] for where they are looked for).
pub fn load_chart(
    dir: &Path,
    display: &str,
    sources: &DependencySources,
    limits: &LoadLimits,
) -> Result<Chart, HelmError> {
    let mut chart = load_dir(dir, display, limits)?;
    resolve_dependencies(&mut chart, sources, limits, 0);
    Ok(chart)
}

/// The values a user gives: `-f` files merged in order, then `--set`/`--set-string`.
#[derive(Debug, Clone, Default)]
pub struct UserValues {
    /// The merged values.
    pub values: Table,
}

impl UserValues {
    /// Merge a values file (its first document), as `-f`.
    pub fn add_file(
        &mut self,
        file: &Arc<SourceFile>,
        limits: &crate::yaml::YamlLimits,
    ) -> Result<(), HelmError> {
        let t = read_values_file(file, limits)?;
        merge_maps(&mut self.values, t);
        Ok(())
    }

    /// Apply a `--set` (`--set-string`, `--set-json`, `--set-file`, `--set-literal`) argument.
    pub fn set(&mut self, arg: &str, kind: SetKind) -> Result<(), HelmError> {
        let flag = match kind {
            SetKind::Typed | SetKind::String => "--set",
            other => other.flag(),
        };
        parse_set(arg, kind, &mut self.values)
            .map_err(|e| HelmError::Values(format!("failed parsing {flag} data: {e}")))
    }

    /// Merge values, as a `-f` file.
    pub(crate) fn merge(&mut self, t: Table) {
        merge_maps(&mut self.values, t);
    }

    /// Merge values written as YAML text inside another file (an Argo CD Application's
    /// `helm.values`): they point at `span` of `file`, the place that text was written.
    pub(crate) fn add_text(
        &mut self,
        text: &str,
        file: &Arc<SourceFile>,
        span: Option<crate::source::ByteRange>,
        limits: &crate::yaml::YamlLimits,
    ) -> Result<(), HelmError> {
        let inner = SourceFile::new(file.path(), text);
        let mut t = read_values_file(&inner, limits)?;
        for v in t.values_mut() {
            values::relocate(v, file, span);
        }
        merge_maps(&mut self.values, t);
        Ok(())
    }

    /// The values of an environment: its files (relative to the chart folder) as `-f`.
    pub fn for_environment(
        chart_dir: &Path,
        display: &str,
        env: &Environment,
        limits: &crate::yaml::YamlLimits,
    ) -> Result<UserValues, HelmError> {
        let mut u = UserValues::default();
        for f in &env.files {
            let text = std::fs::read_to_string(chart_dir.join(f))
                .map_err(|e| HelmError::Values(format!("failed to read {display}/{f}: {e}")))?;
            u.add_file(&SourceFile::new(format!("{display}/{f}"), text), limits)?;
        }
        Ok(u)
    }
}

/// A chart ready to render.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The chart with its dependencies processed (aliases applied, disabled ones removed,
    /// imported values in place).
    pub chart: Chart,
    /// The coalesced values (`.Values` of the root).
    pub values: Table,
    /// The scopes and templates.
    pub plan: RenderPlan,
    /// Helm's coalescing warnings.
    pub warnings: Warnings,
}

/// Helm's steps before rendering: process dependencies with the user values, coalesce,
/// validate against `values.schema.json`, and build the render plan.
pub fn prepare(
    chart: &Chart,
    user: &UserValues,
    release: &ReleaseOptions,
    caps: &Capabilities,
) -> Result<Prepared, HelmError> {
    let mut chart = chart.clone();
    let mut warnings = Warnings::new();
    process_dependencies(&mut chart, &user.values, &mut warnings)?;
    let values = coalesce_values(&chart, &user.values, &mut warnings)?;
    let errors = validate_schema(&chart, &values);
    if !errors.is_empty() {
        return Err(HelmError::Schema(schema_error_text(&errors)));
    }
    let plan = plan(&chart, &values, release, caps);
    Ok(Prepared {
        chart,
        values,
        plan,
        warnings,
    })
}
