//! Discovery: paths → inputs, classified.
//!
//! A gitignore-aware walk (the `ignore` crate) that never follows a symlink; paths are sorted so
//! the output does not depend on the file system's order. A folder with `Chart.yaml` is a Helm
//! chart: its files are not manifests.

use std::path::{Path, PathBuf};

/// What a discovered file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputKind {
    /// A YAML or JSON file that may hold Kubernetes objects.
    Manifest,
    /// A Dockerfile or Containerfile.
    Dockerfile,
    /// The root folder of a Helm chart.
    Chart,
}

/// A discovered input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// Path on disk.
    pub path: PathBuf,
    /// Path shown in reports (relative to the working folder when below it, `/` separators).
    pub display: String,
    /// Kind.
    pub kind: InputKind,
}

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    /// The path.
    pub path: String,
    /// Why.
    pub message: String,
}

pub use crate::dockerfile::is_dockerfile_name;

fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

/// The path to show for a file.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Walk the given paths (files or folders) and classify what they hold.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<WalkProblem>) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        match std::fs::symlink_metadata(root) {
            Err(e) => problems.push(WalkProblem {
                path: display_path(root),
                message: e.to_string(),
            }),
            Ok(meta) if meta.is_file() => files.push(root.clone()),
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(root)
                    .follow_links(false)
                    .hidden(true)
                    .git_ignore(true)
                    .git_global(false)
                    .git_exclude(true)
                    .require_git(false)
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            if e.file_type().is_some_and(|t| t.is_file()) {
                                files.push(e.into_path());
                            }
                        }
                        Err(err) => problems.push(WalkProblem {
                            path: display_path(root),
                            message: err.to_string(),
                        }),
                    }
                }
            }
        }
    }
    files.sort();
    files.dedup();
    let chart_roots: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "Chart.yaml"))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    let in_chart = |f: &Path| chart_roots.iter().any(|root| f.starts_with(root));
    let mut inputs = Vec::new();
    for root in &chart_roots {
        // A chart vendored inside another chart (`charts/x`) belongs to its parent.
        if chart_roots
            .iter()
            .any(|other| other != root && root.starts_with(other))
        {
            continue;
        }
        inputs.push(Input {
            display: display_path(root),
            path: root.clone(),
            kind: InputKind::Chart,
        });
    }
    for f in files {
        let Some(name) = f.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let kind = if is_dockerfile_name(name) {
            InputKind::Dockerfile
        } else if is_manifest_name(name) && !in_chart(&f) {
            InputKind::Manifest
        } else {
            continue;
        };
        inputs.push(Input {
            display: display_path(&f),
            path: f,
            kind,
        });
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    (inputs, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for n in [
            "Dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "Dockerfile.prod",
            "x.dockerfile",
        ] {
            assert!(is_dockerfile_name(n), "{n}");
        }
        assert!(!is_dockerfile_name("docker-compose.yaml"));
    }
}
