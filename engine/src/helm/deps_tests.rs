//! Where a chart's dependencies are found: `charts/`, `file://`, the scanned tree,
//! `--charts-dir` folders and Helm's repository cache, the lock file's version first.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{load_chart, DependencyFrom, DependencySources, LoadLimits, ResolvedDependency};

/// A scratch folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("cct-deps-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A chart folder named `name` at `dir` with one template.
fn chart(dir: &Path, name: &str, version: &str) {
    write(
        &dir.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
    );
    write(
        &dir.join("templates/cm.yaml"),
        &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-{version}\n"),
    );
}

/// The parent chart `app`, depending on `dep` at `range` from `repository`.
fn parent(dir: &Path, range: &str, repository: &str) {
    write(
        &dir.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: dep\n    version: \"{range}\"\n    repository: {repository}\n"),
    );
}

/// A `.tgz` chart archive as `helm package` writes it (`<name>/…`).
fn archive(path: &Path, name: &str, version: &str) {
    let mut tar = tar::Builder::new(Vec::new());
    for (file, text) in [
        (
            "Chart.yaml",
            format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
        ),
        (
            "templates/cm.yaml",
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-{version}\n"),
        ),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, format!("{name}/{file}"), text.as_bytes())
            .unwrap();
    }
    let bytes = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    write_bytes(path, &gz.finish().unwrap());
}

fn write_bytes(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn resolve(dir: &Path, sources: &DependencySources) -> (Vec<String>, ResolvedDependency) {
    let c = load_chart(dir, "app", sources, &LoadLimits::default()).unwrap();
    let names = c
        .dependencies
        .iter()
        .map(|d| format!("{}@{}", d.name(), d.metadata.version))
        .collect();
    let r = c.resolved.first().cloned().unwrap();
    (names, r)
}

#[test]
fn a_sibling_chart_of_the_scanned_tree_is_the_dependency() {
    let s = Scratch::new("tree");
    let app = s.0.join("app");
    parent(&app, "~1.2.0", "https://charts.example.com");
    chart(&s.0.join("dep"), "dep", "1.2.3");
    chart(&s.0.join("other"), "other", "1.0.0");
    let sources = DependencySources {
        tree: vec![app.clone(), s.0.join("dep"), s.0.join("other")],
        ..Default::default()
    };
    let (names, r) = resolve(&app, &sources);
    assert_eq!(names, ["dep@1.2.3"]);
    assert_eq!(r.from, DependencyFrom::Tree);
    assert!(!r.version_mismatch);
    // Not in the tree: missing.
    let (names, r) = resolve(&app, &DependencySources::default());
    assert!(names.is_empty());
    assert_eq!(r.from, DependencyFrom::Missing);
}

#[test]
fn charts_folder_first_then_file_path() {
    let s = Scratch::new("order");
    let app = s.0.join("app");
    parent(&app, "*", "file://../dep");
    chart(&s.0.join("dep"), "dep", "2.0.0");
    let tree = DependencySources {
        tree: vec![s.0.join("dep")],
        ..Default::default()
    };
    let (names, r) = resolve(&app, &tree);
    assert_eq!(
        (names, r.from),
        (vec!["dep@2.0.0".to_string()], DependencyFrom::File)
    );
    chart(&app.join("charts/dep"), "dep", "1.0.0");
    let (names, r) = resolve(&app, &tree);
    assert_eq!(
        (names, r.from),
        (vec!["dep@1.0.0".to_string()], DependencyFrom::Vendored)
    );
}

#[test]
fn helm_cache_archive_at_the_locked_version() {
    let s = Scratch::new("cache");
    let app = s.0.join("app");
    parent(&app, "^1.0.0", "https://charts.example.com");
    let cache = s.0.join("cache/repository");
    archive(&cache.join("dep-1.1.0.tgz"), "dep", "1.1.0");
    archive(&cache.join("dep-1.4.0.tgz"), "dep", "1.4.0");
    archive(&cache.join("dep-2.0.0.tgz"), "dep", "2.0.0");
    archive(&cache.join("depot-1.0.0.tgz"), "depot", "1.0.0");
    let sources = DependencySources {
        helm_cache: Some(cache.clone()),
        ..Default::default()
    };
    // The highest version in the range.
    let (names, r) = resolve(&app, &sources);
    assert_eq!(names, ["dep@1.4.0"]);
    assert_eq!(r.from, DependencyFrom::HelmCache);
    assert!(r.path.ends_with("dep-1.4.0.tgz"), "{}", r.path);
    // Chart.lock pins 1.1.0.
    write(
        &app.join("Chart.lock"),
        "dependencies:\n- name: dep\n  repository: https://charts.example.com\n  version: 1.1.0\ndigest: sha256:0\ngenerated: \"2026-01-01T00:00:00Z\"\n",
    );
    let (names, r) = resolve(&app, &sources);
    assert_eq!(names, ["dep@1.1.0"]);
    assert_eq!(r.wanted, "1.1.0");
}

#[test]
fn charts_dir_before_cache_and_a_version_out_of_range_taken_by_name() {
    let s = Scratch::new("dirs");
    let app = s.0.join("app");
    parent(&app, "^3.0.0", "https://charts.example.com");
    chart(&s.0.join("lib/dep"), "dep", "3.1.0");
    let cache = s.0.join("cache");
    archive(&cache.join("dep-3.2.0.tgz"), "dep", "3.2.0");
    let sources = DependencySources {
        charts_dirs: vec![s.0.join("lib")],
        helm_cache: Some(cache),
        ..Default::default()
    };
    let (names, r) = resolve(&app, &sources);
    assert_eq!(
        (names, r.from),
        (vec!["dep@3.1.0".to_string()], DependencyFrom::ChartsDir)
    );
    // No version in range anywhere: the first of that name, marked.
    let sources = DependencySources {
        charts_dirs: vec![s.0.join("lib")],
        ..Default::default()
    };
    parent(&app, "^4.0.0", "https://charts.example.com");
    let (names, r) = resolve(&app, &sources);
    assert_eq!(names, ["dep@3.1.0"]);
    assert!(r.version_mismatch);
}

#[test]
fn helm_cache_folder_from_the_environment() {
    let s = Scratch::new("env");
    let repo = s.0.join("helm/repository");
    std::fs::create_dir_all(&repo).unwrap();
    let home = s.0.to_string_lossy().to_string();
    let var = |cache: Option<&str>, xdg: Option<&str>| {
        let (cache, xdg, home) = (cache.map(String::from), xdg.map(String::from), home.clone());
        move |n: &str| match n {
            "HELM_CACHE_HOME" => cache.clone(),
            "XDG_CACHE_HOME" => xdg.clone(),
            "HOME" => Some(home.clone()),
            _ => None,
        }
    };
    let helm = s.0.join("helm").to_string_lossy().to_string();
    assert_eq!(
        super::helm_cache_dir(var(Some(&helm), None)),
        Some(repo.clone())
    );
    assert_eq!(super::helm_cache_dir(var(None, Some(&home))), Some(repo));
    // ~/.cache/helm/repository does not exist there.
    if !cfg!(target_os = "macos") {
        assert_eq!(super::helm_cache_dir(var(None, None)), None);
    }
}
