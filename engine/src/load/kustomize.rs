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
use crate::yaml::YamlLimits;

/// Remove from the inputs what kustomizations read: the files they use (resources, patches)
/// and the kustomizations other kustomizations include (bases, components).
pub(crate) fn claim(discovered: &mut Discovered, limits: &YamlLimits) {
    let roots: Vec<PathBuf> = discovered
        .inputs
        .iter()
        .filter(|i| i.format == Format::Kustomization)
        .map(|i| kustomize::normalize(&i.path))
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
        let p = kustomize::normalize(&i.path);
        match i.format {
            Format::Kustomization => !included.contains(&p),
            Format::Manifest | Format::OpenApi => !files.contains(&p),
            _ => true,
        }
    });
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

/// Build a kustomization and load its output.
pub(super) fn load(input: &Input, options: &LoadOptions) -> Loaded {
    let mut out = Loaded::default();
    let built = match kustomize::build(&input.path, &options.yaml) {
        Ok(b) => b,
        Err(d) => {
            out.diagnostics.push(*d);
            return out;
        }
    };
    out.diagnostics.extend(built.diagnostics.iter().cloned());
    let printed = built.print();
    let env = environment(&input.display);
    let manifest = crate::source::SourceFile::new(
        format!("{} (kustomize build)", input.display),
        printed.text,
    );
    let prov = Arc::new(RenderProvenance {
        manifest: Arc::clone(&manifest),
        environment: Some(env.clone()),
        map: Arc::new(ProvenanceMap {
            files: printed.map.files,
            segments: printed.map.segments,
            documents: printed.map.documents,
        }),
    });
    let stream = crate::yaml::parse(&manifest, &options.yaml);
    out.diagnostics.extend(stream.diagnostics);
    let mut kept = Vec::new();
    for mut doc in stream.documents {
        doc.provenance = Some(Arc::clone(&prov));
        if kube::is_object(&doc.value) {
            out.stats.resources += kube::resources(&doc).len();
            kept.push(doc);
        } else {
            out.stats.skipped_documents += 1;
        }
    }
    out.sources = built.files.clone();
    out.sources.push(manifest);
    out.units
        .push((format!("{} ({env})", unit_of(&input.display)), kept));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlays_are_environments_of_their_application() {
        assert_eq!(environment("apps/shop/overlays/prod"), "prod");
        assert_eq!(unit_of("apps/shop/overlays/prod"), "apps/shop");
        assert_eq!(unit_of("overlays/dev"), ".");
        assert_eq!(unit_of("deploy"), "deploy");
    }
}
