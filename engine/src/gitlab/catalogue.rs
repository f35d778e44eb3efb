//! The hidden jobs of the Cloud π Native GitLab CI catalogue (`.kaniko:build-push`,
//! `.vault:read_secret`…), shipped as known templates: a job that `extends:` one of them while
//! its configuration only includes the catalogue (`include: project: $CATALOG_PATH`, which
//! cannot be read offline) inherits the template's variables, image and script, and the CI
//! rules judge it.
//!
//! The files under `catalogue/` are written from the catalogue's public documentation: the
//! variables each job reads, its image, and what it builds or runs.

use std::sync::Arc;

use super::node::Node;
use crate::source::SourceFile;
use crate::yaml::{self, YamlLimits};

/// Where the templates are shown (they are no file of the repository).
const PREFIX: &str = "<cct>/gitlab-ci-catalog/";

/// Each file, with the prefixes of the job names it defines.
const FILES: &[(&str, &[&str], &str)] = &[
    (
        "kaniko-ci.yml",
        &[".kaniko:"],
        include_str!("catalogue/kaniko-ci.yml"),
    ),
    (
        "buildkit-ci.yml",
        &[".buildkit:"],
        include_str!("catalogue/buildkit-ci.yml"),
    ),
    (
        "vault-ci.yml",
        &[".vault:"],
        include_str!("catalogue/vault-ci.yml"),
    ),
    (
        "sonar-ci.yml",
        &[".sonar:"],
        include_str!("catalogue/sonar-ci.yml"),
    ),
    (
        "helm-ci.yml",
        &[".helm:"],
        include_str!("catalogue/helm-ci.yml"),
    ),
    (
        "java-mvn.yml",
        &[".java:"],
        include_str!("catalogue/java-mvn.yml"),
    ),
    (
        "node-npm.yml",
        &[".npm:", ".node:"],
        include_str!("catalogue/node-npm.yml"),
    ),
];

/// The template file that would define `job`, parsed: its jobs by name, and the file (for
/// locations and snippets). `None` when no catalogue file defines jobs of that prefix.
pub(super) fn file_for(job: &str, limits: &YamlLimits) -> Option<(Node, Arc<SourceFile>)> {
    let (name, _, text) = FILES
        .iter()
        .find(|(_, prefixes, _)| prefixes.iter().any(|p| job.starts_with(p)))?;
    let file = SourceFile::new(format!("{PREFIX}{name}"), *text);
    let stream = yaml::parse(&file, limits);
    let doc = stream.documents.first()?;
    Some((Node::from_document(doc, &[]), file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_parses_into_hidden_jobs_of_its_prefixes() {
        let limits = YamlLimits::default();
        for (name, prefixes, _) in FILES {
            let (node, file) = file_for(prefixes[0], &limits).unwrap();
            assert!(file.path().ends_with(name));
            let jobs: Vec<&String> = node.entries().iter().map(|(k, _)| k).collect();
            assert!(!jobs.is_empty(), "{name}");
            for job in jobs {
                assert!(prefixes.iter().any(|p| job.starts_with(p)), "{name}: {job}");
            }
        }
        assert!(file_for(".unknown:job", &limits).is_none());
    }
}
