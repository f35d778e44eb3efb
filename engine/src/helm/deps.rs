//! Dependencies: finding those not vendored in `charts/`, then Helm's `ProcessDependencies`:
//! aliases, `condition`s and `tags` enabling or disabling subcharts, and `import-values` copying
//! child values into the parent.
//!
//! A dependency is wanted by name and version: the version `Chart.lock` (or `requirements.lock`)
//! pins when it lists the dependency, else the range of `Chart.yaml`. It is looked for, in
//! order, in `charts/` (folders and archives, loaded with the chart), at its `file://` path, among
//! the other charts of the scanned tree, in the `--charts-dir` folders, and in Helm's repository
//! cache (`<name>-<version>.tgz` files that `helm dependency update` leaves there, read with the
//! loader's bounds). The first place holding a version that fits wins (the highest version of
//! the place); when no place has one, the first chart of that name anywhere is taken, with a
//! warning (a sibling chart whose version moved on is still what the repository deploys).
//! Every declared dependency gets a [`ResolvedDependency`] saying where it came from.

use std::path::{Path, PathBuf};

use super::chart::{Chart, Dependency};
use super::coalesce::{coalesce_tables, coalesce_values, merge_values, Warnings};
use super::load::{load_dir, load_files, read_archive, LoadLimits};
use super::semver::{is_compatible_range, Version};
use super::values::{path_value, table_at, Table, Value, ValueKind};
use super::HelmError;

/// Where to look for the dependencies that `charts/` lacks.
#[derive(Debug, Clone, Default)]
pub struct DependencySources {
    /// The folders of the other charts of the scanned tree.
    pub tree: Vec<PathBuf>,
    /// The `--charts-dir` folders (charts by name).
    pub charts_dirs: Vec<PathBuf>,
    /// Helm's repository cache (`$HELM_CACHE_HOME/repository`), when there is one.
    pub helm_cache: Option<PathBuf>,
}

/// Where a dependency came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DependencyFrom {
    /// The chart's `charts/` folder (a folder or an archive).
    Vendored,
    /// Its `file://` repository path.
    File,
    /// Another chart of the scanned tree.
    Tree,
    /// A `--charts-dir` folder.
    ChartsDir,
    /// Helm's repository cache.
    HelmCache,
    /// Nowhere: the chart is rendered without it.
    Missing,
}

impl DependencyFrom {
    /// A short name (`charts/`, `file`, `tree`, `charts-dir`, `helm-cache`, `missing`).
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyFrom::Vendored => "charts/",
            DependencyFrom::File => "file",
            DependencyFrom::Tree => "tree",
            DependencyFrom::ChartsDir => "charts-dir",
            DependencyFrom::HelmCache => "helm-cache",
            DependencyFrom::Missing => "missing",
        }
    }
}

/// A declared dependency and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedDependency {
    /// The chart declaring it (display path).
    pub chart: String,
    /// Its name.
    pub name: String,
    /// The version wanted: the locked one, else the range.
    pub wanted: String,
    /// The version found (empty when missing).
    pub version: String,
    /// Where it came from.
    pub from: DependencyFrom,
    /// The folder or archive it was read from (display path; empty when missing).
    pub path: String,
    /// Whether the version found does not fit what was wanted (taken by name only).
    pub version_mismatch: bool,
}

/// One candidate: a loaded chart and where it was read from.
struct Candidate {
    chart: Chart,
    path: String,
}

/// Resolve the declared dependencies of `chart` (and, recursively, of its subcharts) that
/// `charts/` does not hold. What stays unresolved is listed in [`Chart::missing`]; every
/// declared dependency is recorded in [`Chart::resolved`].
pub(crate) fn resolve_dependencies(
    chart: &mut Chart,
    sources: &DependencySources,
    limits: &LoadLimits,
    depth: usize,
) {
    if depth > limits.max_depth {
        return;
    }
    let declared = chart.metadata.dependencies.clone();
    for dep in &declared {
        let wanted = chart
            .locked_version(&dep.name)
            .unwrap_or(&dep.version)
            .to_string();
        let record =
            |version: &str, from: DependencyFrom, path: &str, mismatch: bool| ResolvedDependency {
                chart: chart.display.clone(),
                name: dep.name.clone(),
                wanted: wanted.clone(),
                version: version.to_string(),
                from,
                path: path.to_string(),
                version_mismatch: mismatch,
            };
        if let Some(d) = chart.dependencies.iter().find(|d| d.name() == dep.name) {
            let r = record(
                &d.metadata.version,
                DependencyFrom::Vendored,
                &d.display,
                false,
            );
            chart.resolved.push(r);
            continue;
        }
        let found = find_dependency(
            file_candidate(chart, dep, limits),
            chart.dir.as_deref(),
            &dep.name,
            &wanted,
            sources,
            limits,
        );
        let r = match &found {
            Some((c, from, mismatch)) => {
                record(&c.chart.metadata.version, *from, &c.path, *mismatch)
            }
            None => record("", DependencyFrom::Missing, "", false),
        };
        chart.resolved.push(r);
        match found {
            Some((c, _, _)) => chart.dependencies.push(c.chart),
            None if chart.missing.contains(&dep.name) => {}
            None => chart.missing.push(dep.name.clone()),
        }
    }
    for sub in &mut chart.dependencies {
        resolve_dependencies(sub, sources, limits, depth + 1);
    }
}

/// The dependency from the first place that holds a fitting version; else the first chart of
/// its name anywhere (with `true`: its version does not fit).
/// `file`: the candidate at the dependency's `file://` path; `own`: the folder of the chart
/// wanting it (never its own dependency).
fn find_dependency(
    file: Vec<Candidate>,
    own: Option<&Path>,
    name: &str,
    wanted: &str,
    sources: &DependencySources,
    limits: &LoadLimits,
) -> Option<(Candidate, DependencyFrom, bool)> {
    let fits = |c: &Chart| c.name() == name && is_compatible_range(wanted, &c.metadata.version);
    let mut by_name: Option<(Candidate, DependencyFrom)> = None;
    let places: [(DependencyFrom, Vec<Candidate>); 4] = [
        (DependencyFrom::File, file),
        (
            DependencyFrom::Tree,
            tree_candidates(own, &sources.tree, name, limits),
        ),
        (
            DependencyFrom::ChartsDir,
            charts_dir_candidates(&sources.charts_dirs, name, limits),
        ),
        (
            DependencyFrom::HelmCache,
            sources
                .helm_cache
                .as_deref()
                .map(|d| cache_candidates(d, name, limits))
                .unwrap_or_default(),
        ),
    ];
    for (from, candidates) in places {
        let mut best: Option<Candidate> = None;
        for c in candidates {
            if fits(&c.chart) {
                let higher = best.as_ref().is_none_or(|b| {
                    version_of(&c.chart).precedence(&version_of(&b.chart))
                        == std::cmp::Ordering::Greater
                });
                if higher {
                    best = Some(c);
                }
            } else if by_name.is_none() && c.chart.name() == name {
                by_name = Some((c, from));
            }
        }
        if let Some(b) = best {
            return Some((b, from, false));
        }
    }
    by_name.map(|(c, from)| (c, from, true))
}

/// A chart wanted by name and version range (`None`: any), looked for as a dependency is
/// beyond its parent: among the charts of the scanned tree, in the `--charts-dir` folders, in
/// Helm's cache (a kustomization's `helmCharts` entry not found in its chart home). The first
/// place holding a fitting version wins; else the first chart of that name anywhere, with
/// `true` (its version does not fit). Its own dependencies are resolved.
pub(crate) fn find_chart(
    name: &str,
    wanted: Option<&str>,
    sources: &DependencySources,
    limits: &LoadLimits,
) -> Option<(Chart, DependencyFrom, bool)> {
    let wanted = wanted.unwrap_or("*");
    let (c, from, mismatch) = find_dependency(Vec::new(), None, name, wanted, sources, limits)?;
    let mut chart = c.chart;
    resolve_dependencies(&mut chart, sources, limits, 1);
    Some((chart, from, mismatch))
}

fn version_of(c: &Chart) -> Version {
    Version::parse(&c.metadata.version).unwrap_or(Version {
        major: 0,
        minor: 0,
        patch: 0,
        pre: String::new(),
    })
}

/// The chart at a `file://` repository path, relative to the chart's folder.
fn file_candidate(chart: &Chart, dep: &Dependency, limits: &LoadLimits) -> Vec<Candidate> {
    let Some(rel) = dep.repository.strip_prefix("file://") else {
        return Vec::new();
    };
    let Some(dir) = chart.dir.as_deref().map(|d| d.join(rel)) else {
        return Vec::new();
    };
    let shown = format!("{}/{rel}", chart.display);
    load_dir(&dir, &shown, limits)
        .ok()
        .map(|c| Candidate {
            chart: c,
            path: shown,
        })
        .into_iter()
        .collect()
}

/// The charts of the scanned tree named `name` (the chart itself left out).
fn tree_candidates(
    own: Option<&Path>,
    tree: &[PathBuf],
    name: &str,
    limits: &LoadLimits,
) -> Vec<Candidate> {
    let own = own.and_then(|d| d.canonicalize().ok());
    tree.iter()
        .filter(|dir| quick_name_matches(dir, name))
        .filter(|dir| own.is_none() || dir.canonicalize().ok() != own)
        .filter_map(|dir| {
            let shown = crate::discover::display_path(dir);
            load_dir(dir, &shown, limits).ok().map(|c| Candidate {
                chart: c,
                path: shown,
            })
        })
        .collect()
}

/// The charts of a `--charts-dir` folder named `name`: its `<name>` folder first, then the
/// other folders whose `Chart.yaml` names it.
fn charts_dir_candidates(roots: &[PathBuf], name: &str, limits: &LoadLimits) -> Vec<Candidate> {
    let mut out = Vec::new();
    for root in roots {
        let mut dirs = vec![root.join(name)];
        if let Ok(rd) = std::fs::read_dir(root) {
            let mut others: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.file_name().is_some_and(|n| n != name))
                .collect();
            others.sort();
            dirs.extend(others);
        }
        for dir in dirs {
            if !quick_name_matches(&dir, name) {
                continue;
            }
            let Some(leaf) = dir.file_name() else {
                continue;
            };
            let shown = format!("{}/{}", root.display(), leaf.to_string_lossy());
            if let Ok(c) = load_dir(&dir, &shown, limits) {
                out.push(Candidate {
                    chart: c,
                    path: shown,
                });
            }
        }
    }
    out
}

/// The archives `<name>-<version>.tgz` of Helm's repository cache, loaded with the loader's
/// bounds (an archive larger than a chart may be is not read).
fn cache_candidates(cache: &Path, name: &str, limits: &LoadLimits) -> Vec<Candidate> {
    let Ok(rd) = std::fs::read_dir(cache) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".tgz"))
                .and_then(|stem| stem.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|v| Version::parse(v).is_some())
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(&path).ok()?;
            if !meta.is_file() || meta.len() > limits.max_chart_bytes {
                return None;
            }
            let bytes = std::fs::read(&path).ok()?;
            let shown = path.to_string_lossy().replace('\\', "/");
            let files = read_archive(&bytes, limits).ok()?;
            let chart = load_files(files, &shown, limits, 1).ok()?;
            Some(Candidate { chart, path: shown })
        })
        .collect()
}

/// Whether a folder's `Chart.yaml` names the chart (a cheap look before loading it).
fn quick_name_matches(dir: &Path, name: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("Chart.yaml")) else {
        return false;
    };
    text.lines().any(|l| {
        l.strip_prefix("name:")
            .map(|v| v.trim().trim_matches(['"', '\'']) == name)
            .unwrap_or(false)
    })
}

/// Helm's `ProcessDependenciesWithMerge(chart, userValues)`: enables or disables subcharts
/// and imports values, in place.
pub(crate) fn process_dependencies(
    chart: &mut Chart,
    user: &Table,
    warn: &mut Warnings,
) -> Result<(), HelmError> {
    process_enabled(chart, user, "", warn)?;
    process_import_values(chart, warn)
}

fn process_enabled(
    c: &mut Chart,
    v: &Table,
    path: &str,
    warn: &mut Warnings,
) -> Result<(), HelmError> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let existing = std::mem::take(&mut c.dependencies);
    // Charts of charts/ that no declared dependency (of a compatible version) names are kept.
    let mut kept: Vec<Chart> = existing
        .iter()
        .filter(|e| {
            !c.metadata
                .dependencies
                .iter()
                .any(|r| e.name() == r.name && is_compatible_range(&r.version, &e.metadata.version))
        })
        .cloned()
        .collect();
    for req in &mut c.metadata.dependencies {
        let found = existing.iter().find(|e| {
            e.name() == req.name && is_compatible_range(&req.version, &e.metadata.version)
        });
        if let Some(found) = found {
            let mut out = found.clone();
            if !req.alias.is_empty() {
                out.metadata.name = req.alias.clone();
            }
            kept.push(out);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = kept;
    for r in &mut c.metadata.dependencies {
        r.enabled = true;
    }
    let cvals = coalesce_values(c, v, warn)?;
    // Tags first, then conditions (which win when they resolve to a bool).
    if let Some(tags) = table_at(&cvals, "tags") {
        for r in &mut c.metadata.dependencies {
            let (mut has_true, mut has_false) = (false, false);
            for k in &r.tags {
                match tags.get(k).map(|v| &v.kind) {
                    Some(ValueKind::Bool(true)) => has_true = true,
                    Some(ValueKind::Bool(false)) => has_false = true,
                    Some(_) => warn.push(format!(
                        "Warning: Tag '{k}' for chart {} returned non-bool value",
                        r.name
                    )),
                    None => {}
                }
            }
            r.enabled = has_true || !has_false;
        }
    }
    for r in &mut c.metadata.dependencies {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            if let Some(v) = path_value(&cvals, &format!("{path}{cond}")) {
                if let ValueKind::Bool(b) = v.kind {
                    r.enabled = b;
                    break;
                }
                warn.push(format!(
                    "Warning: Condition path '{cond}' for chart {} returned non-bool value",
                    r.name
                ));
            }
        }
    }
    let disabled: Vec<String> = c
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    c.dependencies
        .retain(|d| !disabled.iter().any(|n| n == d.name()));
    c.metadata.dependencies.retain(|r| r.enabled);
    for t in &mut c.dependencies {
        let sub_path = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &sub_path, warn)?;
    }
    Ok(())
}

/// `pathToMap`: `a.b` and a table → `{a: {b: table}}`; `.` → the table itself.
fn path_to_map(path: &str, data: Table) -> Table {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let mut t = Table::new();
        t.insert(part.to_string(), Value::map(cur));
        cur = t;
    }
    cur
}

fn process_import_values(c: &mut Chart, warn: &mut Warnings) -> Result<(), HelmError> {
    for d in &mut c.dependencies {
        process_import_values(d, warn)?;
    }
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = merge_values(c, &Table::new(), warn)?;
    let mut b = Table::new();
    for r in &c.metadata.dependencies {
        for iv in &r.import_values {
            let Some(vv) = table_at(&cvals, &format!("{}.{}", r.name, iv.child)) else {
                warn.push(format!(
                    "Warning: ImportValues missing table from chart {}: {}",
                    r.name, iv.child
                ));
                continue;
            };
            coalesce_tables(&mut b, path_to_map(&iv.parent, vv.clone()), true, warn);
        }
    }
    let mut values = cvals;
    coalesce_tables(&mut values, b, true, warn);
    c.values = values;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::chart::{Dependency, ImportValue};
    use serde_json::json;

    fn t(j: serde_json::Value) -> Table {
        Value::from_json(&j, None).as_table().cloned().unwrap()
    }

    fn parent_with(
        dep: Dependency,
        parent_values: serde_json::Value,
        sub_values: serde_json::Value,
    ) -> Chart {
        let mut sub = Chart::synthetic("sub");
        sub.values = t(sub_values);
        let mut p = Chart::synthetic("p");
        p.values = t(parent_values);
        p.metadata.dependencies = vec![dep];
        p.dependencies = vec![sub];
        p
    }

    fn dep() -> Dependency {
        Dependency {
            name: "sub".into(),
            version: "0.x".into(),
            ..Dependency::default()
        }
    }

    #[test]
    fn alias_condition_and_import_values() {
        let d = Dependency {
            alias: "other".into(),
            condition: "other.enabled".into(),
            import_values: vec![
                ImportValue {
                    child: "exports.data".into(),
                    parent: ".".into(),
                },
                ImportValue {
                    child: "c".into(),
                    parent: "imp".into(),
                },
            ],
            ..dep()
        };
        let mut p = parent_with(
            d,
            json!({"bar": 1}),
            json!({"enabled": true, "exports": {"data": {"ex": 1}}, "c": {"ci": 2}}),
        );
        let mut w = Warnings::new();
        process_dependencies(&mut p, &Table::new(), &mut w).unwrap();
        assert_eq!(p.dependencies[0].name(), "other");
        let out = coalesce_values(&p, &Table::new(), &mut w).unwrap();
        assert_eq!(
            Value::map(out).to_json(),
            json!({"bar": 1, "ex": 1, "imp": {"ci": 2}, "other": {"c": {"ci": 2}, "enabled": true, "exports": {"data": {"ex": 1}}, "global": {}}})
        );
    }

    #[test]
    fn conditions_and_tags_disable() {
        let d = Dependency {
            condition: "sub.enabled".into(),
            tags: vec!["front".into()],
            ..dep()
        };
        let mut p = parent_with(d.clone(), json!({}), json!({"enabled": true}));
        let mut w = Warnings::new();
        process_dependencies(&mut p, &t(json!({"sub": {"enabled": false}})), &mut w).unwrap();
        assert!(p.dependencies.is_empty());
        // A false tag disables when no condition resolves.
        let d2 = Dependency {
            condition: "sub.missing".into(),
            ..d
        };
        let mut p = parent_with(d2, json!({"tags": {"front": false}}), json!({}));
        process_dependencies(&mut p, &Table::new(), &mut w).unwrap();
        assert!(p.dependencies.is_empty());
    }

    #[test]
    fn an_incompatible_version_is_kept_as_an_undeclared_chart() {
        let d = Dependency {
            version: "9.x".into(),
            ..dep()
        };
        let mut p = parent_with(d, json!({}), json!({}));
        let mut w = Warnings::new();
        process_dependencies(&mut p, &Table::new(), &mut w).unwrap();
        assert_eq!(p.dependencies.len(), 1);
    }
}
