//! Dependencies: resolving those not vendored in `charts/` (`file://` repositories and, by
//! name and version range, `--charts-dir` folders, as `helm dependency build` would fetch
//! them), then Helm's `ProcessDependencies`: aliases, `condition`s and `tags` enabling or
//! disabling subcharts, and `import-values` copying child values into the parent.

use std::path::{Path, PathBuf};

use super::chart::Chart;
use super::coalesce::{coalesce_tables, coalesce_values, merge_values, Warnings};
use super::load::{load_dir, LoadLimits};
use super::semver::is_compatible_range;
use super::values::{path_value, table_at, Table, Value, ValueKind};
use super::HelmError;

/// Resolve the declared dependencies of `chart` (and, recursively, of its subcharts) that
/// `charts/` does not hold. What stays unresolved is listed in [`Chart::missing`].
pub(crate) fn resolve_dependencies(
    chart: &mut Chart,
    charts_dirs: &[PathBuf],
    limits: &LoadLimits,
    depth: usize,
) {
    if depth > limits.max_depth {
        return;
    }
    let declared = chart.metadata.dependencies.clone();
    for dep in &declared {
        if chart.dependencies.iter().any(|d| d.name() == dep.name) {
            continue;
        }
        match find_dependency(
            chart.dir.as_deref(),
            &chart.display,
            dep,
            charts_dirs,
            limits,
        ) {
            Some(found) => chart.dependencies.push(found),
            None if chart.missing.contains(&dep.name) => {}
            None => chart.missing.push(dep.name.clone()),
        }
    }
    for sub in &mut chart.dependencies {
        resolve_dependencies(sub, charts_dirs, limits, depth + 1);
    }
}

fn find_dependency(
    chart_dir: Option<&Path>,
    display: &str,
    dep: &super::chart::Dependency,
    charts_dirs: &[PathBuf],
    limits: &LoadLimits,
) -> Option<Chart> {
    let accept =
        |c: &Chart| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version);
    if let Some(rel) = dep.repository.strip_prefix("file://") {
        let dir = chart_dir?.join(rel);
        let shown = format!("{display}/{rel}");
        return load_dir(&dir, &shown, limits).ok().filter(accept);
    }
    // By name from the `--charts-dir` folders: a version in the range first; else, as the
    // corpus' reference renders were made (siblings taken by name), any version of that name.
    let mut fallback: Option<Chart> = None;
    for root in charts_dirs {
        let mut candidates = vec![root.join(&dep.name)];
        if let Ok(rd) = std::fs::read_dir(root) {
            let mut others: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
            others.sort();
            candidates.extend(others);
        }
        for dir in candidates {
            if !dir.join("Chart.yaml").is_file() || !quick_name_matches(&dir, &dep.name) {
                continue;
            }
            let shown = format!("{}/{}", root.display(), dir.file_name()?.to_string_lossy());
            if let Ok(c) = load_dir(&dir, &shown, limits) {
                if accept(&c) {
                    return Some(c);
                }
                if fallback.is_none() && c.name() == dep.name {
                    fallback = Some(c);
                }
            }
        }
    }
    fallback
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
