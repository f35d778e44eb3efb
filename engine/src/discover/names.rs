//! What a file is, from its name: the one place where a path's format is decided.

use super::Format;

pub(crate) use cct_dockerfile::is_dockerfile_name;

/// Whether a file name (not a path) names a GitLab CI configuration: `.gitlab-ci.yml`,
/// `.gitlab-ci-dso.yml`, any `.gitlab-ci*.yml`, and `*.gitlab-ci.yml` (the naming of CI
/// templates); `.yaml` too.
pub(crate) fn is_gitlab_ci_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".yml")
        .or_else(|| lower.strip_suffix(".yaml"))
    else {
        return false;
    };
    stem.starts_with(".gitlab-ci") || stem.ends_with(".gitlab-ci")
}

/// The names of a kustomization file, in the order kustomize looks for them.
pub(crate) const KUSTOMIZATION_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether a file name (not a path) names a kustomization file.
pub(crate) fn is_kustomization_name(name: &str) -> bool {
    KUSTOMIZATION_NAMES.contains(&name)
}

/// Whether a file name (not a path) names an OpenAPI document.
pub(crate) fn is_openapi_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = [".yaml", ".yml", ".json"]
        .iter()
        .find_map(|ext| lower.strip_suffix(ext))
    else {
        return false;
    };
    stem.starts_with("openapi") || stem.starts_with("swagger") || stem.ends_with(".oas")
}

/// Whether a file name (not a path) may hold Kubernetes manifests: `.yaml`, `.yml`, `.json`.
pub(crate) fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

/// The format of a file from its name (not a path), for a file outside any Helm chart; `None`
/// for a file cct does not read.
pub(crate) fn format_of_name(name: &str) -> Option<Format> {
    if is_dockerfile_name(name) {
        Some(Format::Dockerfile)
    } else if is_gitlab_ci_name(name) {
        Some(Format::GitlabCi)
    } else if is_openapi_name(name) {
        Some(Format::OpenApi)
    } else if is_manifest_name(name) {
        Some(Format::Manifest)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_is_gitlab_ci_name() {
        assert!(is_gitlab_ci_name(".gitlab-ci.yml"));
        assert!(is_gitlab_ci_name(".gitlab-ci-dso.yml"));
        assert!(is_gitlab_ci_name("deploy.gitlab-ci.yaml"));
        assert!(!is_gitlab_ci_name("gitlab.yml"));
    }

    #[test]
    fn example_is_openapi_name() {
        assert!(is_openapi_name("openapi.yaml"));
        assert!(is_openapi_name("swagger-v2.json"));
        assert!(is_openapi_name("orders.oas.yml"));
        assert!(!is_openapi_name("deployment.yaml"));
    }

    #[test]
    fn example_format_of_name() {
        use super::super::Format;
        assert_eq!(format_of_name("Dockerfile"), Some(Format::Dockerfile));
        assert_eq!(format_of_name(".gitlab-ci.yml"), Some(Format::GitlabCi));
        assert_eq!(format_of_name("openapi.yaml"), Some(Format::OpenApi));
        assert_eq!(format_of_name("deploy.yaml"), Some(Format::Manifest));
        assert_eq!(format_of_name("README.md"), None);
    }
}
