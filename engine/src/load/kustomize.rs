//! A kustomization folder: built natively, its output one deployment unit whose documents trace
//! their bytes back to the base, patch or kustomization line that wrote them.
//!
//! Each kustomization the scan finds is built, but for those another kustomization uses (a
//! base, a component): they are judged only through the builds that include them, so that a
//! base's resource is judged as each overlay deploys it, never half-made on its own. The files
//! a build reads (resources, patches) are not judged as manifests on their own either: a
//! strategic-merge patch is a fragment, not a resource. An overlay (`overlays/<env>`, or any
//! kustomization folder) is an environment named after its folder; the same finding in several
//! overlays (same line, same object) is reported once with every environment.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::{LoadOptions, Loaded};
use crate::discover::{Discovered, Format, Input};
use crate::kube;
use crate::kustomize;
use crate::source::{ProvenanceMap, RenderProvenance};
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};
use crate::yaml::YamlLimits;

/// Remove from the inputs what kustomizations read: the files they use (resources, patches)
/// and the kustomizations other kustomizations include (bases, components).
pub(crate) fn claim(discovered: &mut Discovered, limits: &YamlLimits) {
    let roots: Vec<PathBuf> = discovered
        .inputs
        .iter()
        .filter(|i| i.format == Format::Kustomization)
        .map(|i| kustomize::normalize(&absolute(&i.path)))
        .collect();
    if roots.is_empty() {
        return;
    }
    let mut files = BTreeSet::new();
    let mut included = BTreeSet::new();
    for root in &roots {
        let (f, dirs) = kustomize::references(root, limits);
        files.extend(f);
        included.extend(dirs.into_iter().filter(|d| d != root));
    }
    discovered.inputs.retain(|i| {
        let p = kustomize::normalize(&absolute(&i.path));
        match i.format {
            Format::Kustomization => !included.contains(&p),
            Format::Manifest | Format::OpenApi => !files.contains(&p),
            // A chart a kustomization inflates from its chart home.
            Format::Chart => !included.contains(&p),
            _ => true,
        }
    });
}

/// How many folders above a file given alone are searched for the kustomizations using it.
const USERS_ABOVE: usize = 3;
/// How many kustomizations below that folder are looked at.
const USERS_MAX: usize = 200;
/// How many folders below it are walked.
const USERS_WALK: usize = 2000;

/// A manifest given alone (the pre-commit path: `cct check overlays/prod/patch.yaml`) that a
/// kustomization around it uses (a patch, a resource) is judged through the builds of the
/// kustomizations using it: those are added as inputs, so that [`claim`] then takes the file
/// and the scope keeps only the findings in it, each with its overlay. The kustomizations are
/// looked for in the file's folder and up to [`USERS_ABOVE`] folders above (not above a
/// repository's root, `.git`).
///
/// A file given alone that no kustomization uses but that looks like a patch (a partial
/// object) is not judged as a whole resource: a `kustomize-fragment` warning says so.
pub(crate) fn add_users(discovered: &mut Discovered, limits: &YamlLimits) {
    let alone: Vec<(String, PathBuf)> = discovered
        .inputs
        .iter()
        .filter(|i| i.format == Format::Manifest && discovered.scope.files.contains(&i.display))
        .map(|i| (i.display.clone(), kustomize::normalize(&absolute(&i.path))))
        .collect();
    let mut added = BTreeSet::new();
    for (display, file) in alone {
        // Only a file beside a kustomization (in its folder or the one above) is looked at.
        let near = file
            .ancestors()
            .skip(1)
            .take(2)
            .any(kustomize::is_kustomization);
        if !near {
            continue;
        }
        let found = users(&file, limits);
        if found.is_empty() {
            if let Some(why) = fragment(&file, limits) {
                discovered.inputs.retain(|i| i.display != display);
                discovered.diagnostics.push(Diagnostic::for_path(
                    &display,
                    DiagnosticCode::KustomizeFragment,
                    DiagnosticLevel::Warning,
                    Text::new(
                        format!("this file looks like a Kustomize patch ({}) and no kustomization around it uses it: it is not judged as a whole resource; check the overlay that uses it", why.0),
                        format!("ce fichier ressemble à un patch Kustomize ({}) et aucune kustomization autour de lui ne l'utilise : il n'est pas jugé comme une ressource entière ; vérifiez l'overlay qui l'utilise", why.1),
                    ),
                ));
            }
            continue;
        }
        for dir in found {
            let known = discovered.inputs.iter().any(|i| {
                i.format == Format::Kustomization && kustomize::normalize(&absolute(&i.path)) == dir
            });
            if !known && added.insert(dir.clone()) {
                discovered.inputs.push(Input {
                    display: crate::discover::display_path(&dir),
                    path: dir,
                    format: Format::Kustomization,
                });
            }
        }
    }
}

/// Why a file looks like a Kustomize patch rather than whole resources (in English and in
/// French): a YAML list of JSON 6902 operations, strategic-merge directives (`$patch`,
/// `$setElementOrder/…`, `$deleteFromPrimitiveList/…`, `$retainKeys`), or a workload whose
/// containers have no image.
fn fragment(file: &std::path::Path, limits: &YamlLimits) -> Option<(&'static str, &'static str)> {
    let text = std::fs::read_to_string(file).ok()?;
    let source = crate::source::SourceFile::new("fragment", text);
    let docs = crate::yaml::parse(&source, limits).documents;
    fn directive(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(o) => o.iter().any(|(k, x)| {
                k == "$patch"
                    || k == "$retainKeys"
                    || k.starts_with("$setElementOrder/")
                    || k.starts_with("$deleteFromPrimitiveList/")
                    || directive(x)
            }),
            serde_json::Value::Array(items) => items.iter().any(directive),
            _ => false,
        }
    }
    for d in &docs {
        let v = &d.value;
        let ops = v.as_array().is_some_and(|l| {
            !l.is_empty()
                && l.iter()
                    .all(|o| o.get("op").is_some() && o.get("path").is_some())
        });
        if ops {
            return Some(("JSON 6902 operations", "opérations JSON 6902"));
        }
        if directive(v) {
            return Some((
                "strategic-merge directives",
                "directives de fusion stratégique",
            ));
        }
        let containers = [
            "/spec/template/spec/containers",
            "/spec/jobTemplate/spec/template/spec/containers",
            "/spec/containers",
        ]
        .iter()
        .find_map(|p| v.pointer(p).and_then(|c| c.as_array()));
        if containers.is_some_and(|c| !c.is_empty() && c.iter().all(|c| c.get("image").is_none())) {
            return Some(("containers without an image", "conteneurs sans image"));
        }
    }
    None
}

/// A path made absolute against the working folder.
fn absolute(p: &std::path::Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| p.to_path_buf(), |c| c.join(p))
    }
}

/// The kustomization folders around `file` whose builds read it.
fn users(file: &std::path::Path, limits: &YamlLimits) -> Vec<PathBuf> {
    let mut top = file.parent().map(std::path::Path::to_path_buf);
    let mut up = 0;
    while let Some(d) = top.clone() {
        if up == USERS_ABOVE || d.join(".git").exists() {
            break;
        }
        // Never the file system's root.
        match d.parent() {
            Some(p) if p.parent().is_some() && !p.as_os_str().is_empty() => {
                top = Some(p.to_path_buf())
            }
            _ => break,
        }
        up += 1;
    }
    let Some(top) = top else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut stack = vec![(top, 0usize)];
    let mut walked = 0;
    while let Some((dir, depth)) = stack.pop() {
        if found.len() >= USERS_MAX || walked >= USERS_WALK || depth > 8 {
            continue;
        }
        walked += 1;
        if kustomize::is_kustomization(&dir) {
            found.push(dir.clone());
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if !hidden && e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((e.path(), depth + 1));
            }
        }
    }
    found
        .into_iter()
        .filter(|dir| kustomize::references(dir, limits).0.contains(file))
        .map(|d| kustomize::normalize(&d))
        .collect()
}

/// The environment an overlay stands for: its folder's name.
fn environment(display: &str) -> String {
    display
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty() && *n != ".")
        .unwrap_or("default")
        .to_string()
}

/// The deployment unit an overlay belongs to: the folder above `overlays/`, else the
/// kustomization's own folder.
pub(crate) fn unit_of(display: &str) -> String {
    let parts: Vec<&str> = display.split('/').collect();
    if parts.len() >= 2 && parts[parts.len() - 2] == "overlays" {
        let app = parts[..parts.len() - 2].join("/");
        if app.is_empty() {
            ".".to_string()
        } else {
            app
        }
    } else {
        display.to_string()
    }
}

/// Build a kustomization and load its output: its own build (an environment named after its
/// folder), and one per Argo CD Application building it (named after the Application, with
/// its `kustomize` block over the folder's kustomization and its destination namespace).
pub(super) fn load(input: &Input, options: &LoadOptions) -> Loaded {
    let mut out = Loaded::default();
    let canonical = std::fs::canonicalize(&input.path).unwrap_or_else(|_| input.path.clone());
    if !options.applications_only.contains(&canonical) {
        build_one(&mut out, input, options, &environment(&input.display), None);
    }
    for app in options
        .applications
        .iter()
        .filter(|a| a.target == crate::argocd::Target::Kustomize && a.dir == canonical)
    {
        if let Some(unit) = build_one(&mut out, input, options, &app.name, app.kustomize_edit()) {
            if let Some(ns) = &app.namespace {
                out.unit_namespaces.push((unit, ns.clone()));
            }
        }
    }
    out
}

/// One build of a kustomization, as the environment `env`: its unit's name when it built.
fn build_one(
    out: &mut Loaded,
    input: &Input,
    options: &LoadOptions,
    env: &str,
    edit: Option<crate::source::Document>,
) -> Option<String> {
    // The overlay's own build keeps the plain name; an Application's says whose it is.
    let shown = if edit.is_some() {
        format!("{} (kustomize build for {env})", input.display)
    } else {
        format!("{} (kustomize build)", input.display)
    };
    let inflater = super::inflate::Inflater {
        sources: crate::helm::DependencySources {
            tree: options.tree_charts.clone(),
            charts_dirs: options.charts_dirs.clone(),
            helm_cache: options.helm_cache.clone(),
        },
        yaml: options.yaml,
        cheap_keys: true,
    };
    let built = match kustomize::build_with(&input.path, &options.yaml, edit, Some(&inflater)) {
        Ok(b) => b,
        Err(d) => {
            out.diagnostics.push(*d);
            return None;
        }
    };
    out.diagnostics.extend(built.diagnostics.iter().cloned());
    let printed = built.print();
    let manifest = crate::source::SourceFile::new(shown, printed.text);
    let prov = Arc::new(RenderProvenance {
        manifest: Arc::clone(&manifest),
        environment: Some(env.to_string()),
        map: Arc::new(ProvenanceMap {
            files: printed.map.files,
            segments: printed.map.segments,
            documents: printed.map.documents,
            ..ProvenanceMap::default()
        }),
    });
    let stream = crate::yaml::parse(&manifest, &options.yaml);
    out.diagnostics.extend(stream.diagnostics);
    let mut kept = Vec::new();
    for mut doc in stream.documents {
        doc.provenance = Some(Arc::clone(&prov));
        if kube::is_test_hook(&doc.value) {
            // A chart's test hooks: Argo CD does not apply them (as for charts).
            out.stats.test_hooks += 1;
        } else if kube::is_object(&doc.value) {
            out.stats.resources += kube::resources(&doc).len();
            kept.push(doc);
        } else {
            out.stats.skipped_documents += 1;
        }
    }
    for f in built.files {
        if !out.sources.iter().any(|s| s.path() == f.path()) {
            out.sources.push(f);
        }
    }
    out.sources.push(manifest);
    let unit = format!("{} ({env})", unit_of(&input.display));
    out.units.push((unit.clone(), kept));
    Some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build of an Application's overlay with its `kustomize` block, and the golden
    /// output of the real Kustomize over the overlay as Argo CD edits it.
    fn application_build(case: &str, app: &str, overlay: &str) -> (String, String) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/argocd")
            .join(case);
        let input = Input {
            path: root.join(format!("argocd/{app}.yaml")),
            display: format!("argocd/{app}.yaml"),
            format: Format::Manifest,
        };
        let apps = crate::argocd::applications(&[input], &YamlLimits::default(), 32 << 20);
        assert_eq!(apps.len(), 1);
        let built = kustomize::build_with(
            &root.join(overlay),
            &YamlLimits::default(),
            apps[0].kustomize_edit(),
            None,
        )
        .unwrap();
        let want = std::fs::read_to_string(root.join(format!("expected/{app}.golden"))).unwrap();
        (built.print().text, want)
    }

    /// An Application's `kustomize` block over its overlay builds what the real Kustomize
    /// builds from the overlay as Argo CD edits it (`fixtures/argocd/kustomize/expected/`).
    #[test]
    fn an_application_block_builds_as_the_edited_overlay() {
        let (got, want) = application_build("kustomize", "web-prod", "apps/web/overlays/prod");
        assert_eq!(got, want);
    }

    /// A patch of the block runs among the overlay's patches, as `kustomize edit` appends it to
    /// them: the overlay's `images` entry then renames the image it sets
    /// (`fixtures/argocd/kustomize-order/expected/`).
    #[test]
    fn a_block_patch_runs_before_the_overlay_images() {
        let (got, want) =
            application_build("kustomize-order", "api-prod", "apps/api/overlays/prod");
        assert_eq!(got, want);
        assert!(got.contains("image: registry.example.com/mirror/nginx:1.25"));
    }

    #[test]
    fn overlays_are_environments_of_their_application() {
        assert_eq!(environment("apps/shop/overlays/prod"), "prod");
        assert_eq!(unit_of("apps/shop/overlays/prod"), "apps/shop");
        assert_eq!(unit_of("overlays/dev"), ".");
        assert_eq!(unit_of("deploy"), "deploy");
    }
}
