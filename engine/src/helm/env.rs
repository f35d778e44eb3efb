//! Environments: beside `Chart.yaml`, `values-<env>.yaml`, `values.<env>.yaml` and
//! `values/<env>/values.yaml` (`.yml` too) each name an environment; its values files are
//! applied as `-f` files over the chart's defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An environment of a chart and its values files (in a fixed order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Its name (`prod` for `values-prod.yaml`).
    pub name: String,
    /// Its values files, relative to the chart folder, `/` separators.
    pub files: Vec<String>,
}

/// The environments of a chart folder, sorted by name.
pub(crate) fn environments(chart_dir: &Path) -> Vec<Environment> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(chart_dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for n in names {
        let stem = n.strip_suffix(".yaml").or_else(|| n.strip_suffix(".yml"));
        let Some(stem) = stem else { continue };
        let env = stem
            .strip_prefix("values-")
            .or_else(|| stem.strip_prefix("values."));
        if let Some(env) = env.filter(|e| !e.is_empty()) {
            found.entry(env.to_string()).or_default().push(n.clone());
        }
    }
    let dir = chart_dir.join("values");
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    subdirs.sort();
    for sub in subdirs {
        let Some(env) = sub.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        for f in ["values.yaml", "values.yml"] {
            if sub.join(f).is_file() {
                found
                    .entry(env.clone())
                    .or_default()
                    .push(format!("values/{env}/{f}"));
            }
        }
    }
    found
        .into_iter()
        .map(|(name, files)| Environment { name, files })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_the_three_forms_sorted() {
        let dir = std::env::temp_dir().join(format!("cct-helm-env-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("values/staging")).unwrap();
        for f in [
            "Chart.yaml",
            "values.yaml",
            "values-prod.yaml",
            "values.dev.yml",
            "values.schema.json",
            "values-.yaml",
        ] {
            std::fs::write(dir.join(f), "a: 1\n").unwrap();
        }
        std::fs::write(dir.join("values/staging/values.yaml"), "a: 1\n").unwrap();
        let envs = environments(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["dev", "prod", "staging"]);
        assert_eq!(envs[2].files, vec!["values/staging/values.yaml"]);
    }
}
