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
    /// A GitLab CI configuration (`.gitlab-ci.yml`, `.gitlab-ci-dso.yml`…).
    GitlabCi,
    /// An OpenAPI document found by its name (`openapi*.yaml`, `swagger*.json`, `*.oas.yaml`).
    OpenApi,
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
pub use crate::gitlab::is_gitlab_ci_name;
pub use crate::openapi::is_openapi_name;

fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

/// Whether cct would read a file of this name.
fn is_candidate(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| is_dockerfile_name(n) || is_manifest_name(n) || is_gitlab_ci_name(n))
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
                    // Hidden files and folders are skipped, but for GitLab CI files.
                    .hidden(false)
                    .filter_entry(|e| {
                        e.depth() == 0
                            || e.file_name().to_str().is_none_or(|n| {
                                !n.starts_with('.')
                                    || (is_gitlab_ci_name(n)
                                        && e.file_type().is_some_and(|t| !t.is_dir()))
                            })
                    })
                    .git_ignore(true)
                    .git_global(false)
                    .git_exclude(true)
                    .require_git(false)
                    .build();
                let canonical_root = std::fs::canonicalize(root).ok();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let Some(ty) = e.file_type() else { continue };
                            if ty.is_file() {
                                files.push(e.into_path());
                            } else if ty.is_symlink() {
                                // A symlink is read only when it points inside the scanned root.
                                let target = std::fs::canonicalize(e.path()).ok();
                                let inside = match (&target, &canonical_root) {
                                    (Some(t), Some(r)) => t.starts_with(r),
                                    _ => false,
                                };
                                if inside && target.as_deref().is_some_and(Path::is_file) {
                                    files.push(e.into_path());
                                } else if is_candidate(e.path()) {
                                    problems.push(WalkProblem {
                                        path: display_path(e.path()),
                                        message: "symbolic link to a target outside the scanned folder (or dangling): not followed".to_string(),
                                    });
                                }
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
        } else if is_gitlab_ci_name(name) {
            InputKind::GitlabCi
        } else if is_openapi_name(name) && !in_chart(&f) {
            InputKind::OpenApi
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

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let base = std::env::temp_dir().join(format!("cct-symlink-{}", std::process::id()));
        let root = base.join("root");
        let outside = base.join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.yaml"), "a: 1\n").unwrap();
        std::fs::write(root.join("in.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.yaml"), root.join("out.yaml")).unwrap();
        std::os::unix::fs::symlink(root.join("in.yaml"), root.join("alias.yaml")).unwrap();
        let (inputs, problems) = discover(std::slice::from_ref(&root));
        let names: Vec<String> = inputs
            .iter()
            .filter_map(|i| i.path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, vec!["alias.yaml", "in.yaml"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].path.ends_with("out.yaml"));
        let _ = std::fs::remove_dir_all(&base);
    }

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

    #[test]
    fn gitlab_ci_files_are_found_but_not_other_hidden_files() {
        let base = std::env::temp_dir().join(format!("cct-hidden-{}", std::process::id()));
        std::fs::create_dir_all(base.join(".git")).unwrap();
        std::fs::create_dir_all(base.join(".hidden")).unwrap();
        std::fs::write(base.join(".gitlab-ci.yml"), "a: 1\n").unwrap();
        std::fs::write(base.join(".other.yml"), "a: 1\n").unwrap();
        std::fs::write(base.join(".git/x.yaml"), "a: 1\n").unwrap();
        std::fs::write(base.join(".hidden/y.yaml"), "a: 1\n").unwrap();
        std::fs::write(base.join("openapi.yaml"), "a: 1\n").unwrap();
        let (inputs, _) = discover(std::slice::from_ref(&base));
        let kinds: Vec<(String, InputKind)> = inputs
            .iter()
            .map(|i| {
                (
                    i.path.file_name().unwrap().to_string_lossy().into_owned(),
                    i.kind,
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (".gitlab-ci.yml".to_string(), InputKind::GitlabCi),
                ("openapi.yaml".to_string(), InputKind::OpenApi)
            ]
        );
        let _ = std::fs::remove_dir_all(&base);
    }
}
