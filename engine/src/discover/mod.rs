//! Discovery: paths → inputs, each with its format, decided here once.
//!
//! A gitignore-aware walk (the `ignore` crate) that never follows a symlink out of the scanned
//! root; paths are sorted so the output does not depend on the file system's order. A folder
//! with `Chart.yaml` is a Helm chart: its files are not manifests. Besides the inputs, the walk
//! keeps every file it saw, for the loaders that need to know what else a repository holds (the
//! Dockerfiles a CI pipeline may build), so that nothing walks the file system twice.

mod names;

use std::path::{Path, PathBuf};

pub(crate) use names::{format_of_name, is_gitlab_ci_name};

use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

/// What a discovered input is: the format its loader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Format {
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
pub(crate) struct Input {
    /// Path on disk.
    pub path: PathBuf,
    /// Path shown in reports (relative to the working folder when below it, `/` separators).
    pub display: String,
    /// Its format.
    pub format: Format,
}

/// What the user asked to judge: the files given one by one, and the folders walked. Findings
/// outside it (in the rest of a given file's unit, read for context) are not reported.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// Display paths of the files given.
    pub(crate) files: std::collections::BTreeSet<String>,
    /// Display paths of the folders given.
    pub(crate) folders: Vec<String>,
}

impl Scope {
    /// Whether a path (as shown) is in the scope; everything is when no file was given alone.
    pub(crate) fn contains(&self, path: &str) -> bool {
        if self.files.is_empty() || self.files.contains(path) {
            return true;
        }
        self.folders.iter().any(|f| {
            if f == "." || f.is_empty() {
                !path.starts_with("../") && !path.starts_with('/')
            } else {
                path.strip_prefix(f.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            }
        })
    }
}

/// What a walk found.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// The inputs, sorted by display path.
    pub inputs: Vec<Input>,
    /// Paths that could not be walked or links not followed.
    pub diagnostics: Vec<Diagnostic>,
    /// Every regular file seen (inputs or not), sorted: what the repository holds.
    pub files: Vec<PathBuf>,
    /// What the user asked to judge.
    pub scope: Scope,
}

impl Discovered {
    /// The files below a folder (paths relative to it, `/` separators, sorted).
    pub(crate) fn files_below(&self, dir: &Path) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|f| f.strip_prefix(dir).ok())
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            .filter(|rel| !rel.is_empty())
            .collect()
    }
}

/// Which files the configuration lets cct read: globs relative to a root folder.
#[derive(Debug, Clone, Default)]
pub struct PathFilter {
    /// The folder the globs are relative to (absolute).
    pub root: PathBuf,
    /// Only files matching one of these are read (none: every file).
    pub include: Option<globset::GlobSet>,
    /// Files matching one of these are not read.
    pub exclude: Option<globset::GlobSet>,
}

impl PathFilter {
    /// A filter from globs (`vendor/**`, `**/testdata/**`); `Err` names a glob that is not one.
    pub fn new(
        root: PathBuf,
        include: &[String],
        exclude: &[String],
    ) -> Result<PathFilter, String> {
        let set = |globs: &[String]| -> Result<Option<globset::GlobSet>, String> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut b = globset::GlobSetBuilder::new();
            for g in globs {
                b.add(globset::Glob::new(g.trim_start_matches("./")).map_err(|e| e.to_string())?);
            }
            b.build().map(Some).map_err(|e| e.to_string())
        };
        Ok(PathFilter {
            root,
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Whether a file may be read.
    pub fn allows(&self, path: &Path) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let mut clean = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    clean.pop();
                }
                std::path::Component::CurDir => {}
                other => clean.push(other),
            }
        }
        let Ok(rel) = clean.strip_prefix(&self.root) else {
            // Outside the configuration's folder: only an include list keeps it out.
            return self.include.is_none();
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.include.as_ref().is_none_or(|g| g.is_match(&rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(&rel))
    }
}

/// Whether cct would read a file of this name.
fn is_candidate(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| format_of_name(n).is_some())
}

/// The path to show for a file.
pub(crate) fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn unreadable(path: &str, message: &str) -> Diagnostic {
    Diagnostic::for_path(
        path,
        DiagnosticCode::PathUnreadable,
        DiagnosticLevel::Error,
        Text::new(
            format!("cannot read: {message}"),
            format!("lecture impossible : {message}"),
        ),
    )
}

/// Walk a folder: every regular file below it (and symbolic links to files inside it).
fn walk(root: &Path, files: &mut Vec<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        // Hidden files and folders are skipped, but for GitLab CI files.
        .hidden(false)
        .filter_entry(|e| {
            e.depth() == 0
                || e.file_name().to_str().is_none_or(|n| {
                    !n.starts_with('.')
                        || (is_gitlab_ci_name(n) && e.file_type().is_some_and(|t| !t.is_dir()))
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
                        diagnostics.push(unreadable(
                            &display_path(e.path()),
                            "symbolic link to a target outside the scanned folder (or dangling): not followed",
                        ));
                    }
                }
            }
            Err(err) => diagnostics.push(unreadable(&display_path(root), &err.to_string())),
        }
    }
}

/// Walk the given paths (files or folders) and classify what they hold.
#[cfg(test)]
pub(crate) fn discover(paths: &[PathBuf]) -> Discovered {
    discover_filtered(paths, &PathFilter::default())
}

/// Walk the given paths (files or folders), reading only the files `filter` allows, and
/// classify what they hold.
pub(crate) fn discover_filtered(paths: &[PathBuf], filter: &PathFilter) -> Discovered {
    let mut scope = Scope::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut diagnostics = Vec::new();
    for root in paths {
        match std::fs::symlink_metadata(root) {
            Err(e) => diagnostics.push(unreadable(&display_path(root), &e.to_string())),
            Ok(meta) if meta.is_file() => {
                files.push(root.clone());
                scope.files.insert(display_path(root));
                // A file given alone is judged with the rest of its deployment unit: the other
                // manifests of its folder, or its chart (pre-commit passes changed files only).
                files.extend(unit_context(root));
                // A CI configuration given alone still sees its repository (the Dockerfiles
                // its jobs build): its folder is walked for context, not for inputs.
                let name = root.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if is_gitlab_ci_name(name) {
                    let dir = match root.parent() {
                        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                        _ => PathBuf::from("."),
                    };
                    walk(&dir, &mut seen, &mut Vec::new());
                }
            }
            Ok(_) => {
                scope.folders.push(display_path(root));
                walk(root, &mut files, &mut diagnostics);
            }
        }
    }
    files.retain(|f| filter.allows(f));
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
            format: Format::Chart,
        });
    }
    for f in &files {
        let Some(name) = f.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let format = match format_of_name(name) {
            Some(Format::OpenApi | Format::Manifest) if in_chart(f) => continue,
            Some(format) => format,
            None => continue,
        };
        inputs.push(Input {
            display: display_path(f),
            path: f.clone(),
            format,
        });
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    seen.extend(files);
    seen.sort();
    seen.dedup();
    Discovered {
        inputs,
        diagnostics,
        files: seen,
        scope,
    }
}

/// The files a file given alone is judged with: the other manifests of its folder, and the
/// `Chart.yaml` of the chart it belongs to (so that the chart is rendered).
fn unit_context(file: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The nearest folder above with a Chart.yaml (a template, a values file).
    let mut up = Some(dir.as_path());
    let mut depth = 0;
    while let Some(d) = up {
        if depth > 8 {
            break;
        }
        let chart = d.join("Chart.yaml");
        if chart.is_file() {
            out.push(chart);
            return out;
        }
        up = d.parent().filter(|p| !p.as_os_str().is_empty());
        depth += 1;
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let regular = e.file_type().is_ok_and(|t| t.is_file());
        if regular
            && !name.starts_with('.')
            && matches!(format_of_name(name), Some(Format::Manifest))
        {
            let path = if file.parent().is_some_and(|p| p.as_os_str().is_empty()) {
                PathBuf::from(name)
            } else {
                path
            };
            out.push(path);
        }
    }
    out
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
        let found = discover(std::slice::from_ref(&root));
        let (inputs, problems) = (found.inputs, found.diagnostics);
        let names: Vec<String> = inputs
            .iter()
            .filter_map(|i| i.path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, vec!["alias.yaml", "in.yaml"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .location
            .as_ref()
            .is_some_and(|l| l.path.ends_with("out.yaml")));
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
            assert!(names::is_dockerfile_name(n), "{n}");
        }
        assert!(!names::is_dockerfile_name("docker-compose.yaml"));
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
        let inputs = discover(std::slice::from_ref(&base)).inputs;
        let kinds: Vec<(String, Format)> = inputs
            .iter()
            .map(|i| {
                (
                    i.path.file_name().unwrap().to_string_lossy().into_owned(),
                    i.format,
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (".gitlab-ci.yml".to_string(), Format::GitlabCi),
                ("openapi.yaml".to_string(), Format::OpenApi)
            ]
        );
        let _ = std::fs::remove_dir_all(&base);
    }
}
