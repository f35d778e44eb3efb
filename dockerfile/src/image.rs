//! Image reference parsing following Docker's normalisation rules.

/// A parsed image reference (`[registry/]repository[:tag][@digest]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host (`docker.io` by default); `None` for `scratch`.
    pub registry: Option<String>,
    /// Full repository path (`library/nginx` for `nginx`).
    pub repository: String,
    /// Familiar name as Docker prints it (`nginx`, `bitnami/redis`,
    /// `quay.io/org/app`).
    pub name: String,
    /// Tag, if any.
    pub tag: Option<String>,
    /// Digest (`sha256:...`), if any.
    pub digest: Option<String>,
    /// `scratch`, the empty image.
    pub scratch: bool,
    /// The reference follows Docker's grammar (lower-case repository, valid
    /// tag and digest).
    pub valid: bool,
}

/// Parses an image reference.
///
/// ```
/// use cct_dockerfile::parse_image_ref;
/// let r = parse_image_ref("nginx:1.25");
/// assert_eq!(r.registry.as_deref(), Some("docker.io"));
/// assert_eq!(r.repository, "library/nginx");
/// assert_eq!(r.tag.as_deref(), Some("1.25"));
/// let r = parse_image_ref("localhost:5000/team/app@sha256:abcd");
/// assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
/// assert_eq!(r.repository, "team/app");
/// assert_eq!(r.tag, None);
/// assert_eq!(r.digest.as_deref(), Some("sha256:abcd"));
/// ```
pub fn parse_image_ref(reference: &str) -> ImageRef {
    let s = reference.trim();
    if s.eq_ignore_ascii_case("scratch") {
        return ImageRef {
            registry: None,
            repository: "scratch".into(),
            name: "scratch".into(),
            tag: None,
            digest: None,
            scratch: true,
            valid: true,
        };
    }
    let (name_part, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d.to_string())),
        None => (s, None),
    };
    let last_slash = name_part.rfind('/').map_or(0, |i| i + 1);
    let (path_part, tag) = match name_part[last_slash..].rfind(':') {
        Some(i) => (
            &name_part[..last_slash + i],
            Some(name_part[last_slash + i + 1..].to_string()),
        ),
        None => (name_part, None),
    };
    let (registry, mut repository) = match path_part.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => ("docker.io".to_string(), path_part.to_string()),
    };
    let registry = if registry == "index.docker.io" {
        "docker.io".to_string()
    } else {
        registry
    };
    if registry == "docker.io" && !repository.contains('/') {
        repository = format!("library/{repository}");
    }
    let name = if registry == "docker.io" {
        repository
            .strip_prefix("library/")
            .unwrap_or(&repository)
            .to_string()
    } else {
        format!("{registry}/{repository}")
    };
    let valid_repo = !repository.is_empty()
        && repository.split('/').all(|c| {
            !c.is_empty()
                && c.chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_alphanumeric())
                && c.chars()
                    .last()
                    .is_some_and(|ch| ch.is_ascii_alphanumeric())
                && c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
        });
    let valid_tag = tag.as_deref().is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    });
    let valid_digest = digest.as_deref().is_none_or(|d| {
        d.split_once(':').is_some_and(|(algo, hex)| {
            !algo.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
        })
    });
    ImageRef {
        registry: Some(registry),
        repository,
        name,
        tag,
        digest,
        scratch: false,
        valid: valid_repo && valid_tag && valid_digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_defaults() {
        let r = parse_image_ref("alpine");
        assert_eq!(r.registry.as_deref(), Some("docker.io"));
        assert_eq!(r.repository, "library/alpine");
        assert_eq!(r.name, "alpine");
        assert_eq!(r.tag, None);
        assert!(r.valid);
        let r = parse_image_ref("bitnami/redis:7.2");
        assert_eq!(r.repository, "bitnami/redis");
        assert_eq!(r.name, "bitnami/redis");
        let r = parse_image_ref("docker.io/library/nginx:latest");
        assert_eq!(r.name, "nginx");
        assert_eq!(r.tag.as_deref(), Some("latest"));
        let r = parse_image_ref("index.docker.io/nginx");
        assert_eq!(r.registry.as_deref(), Some("docker.io"));
        assert_eq!(r.repository, "library/nginx");
    }

    #[test]
    fn registries_and_ports() {
        let r = parse_image_ref("localhost/app");
        assert_eq!(r.registry.as_deref(), Some("localhost"));
        let r = parse_image_ref("registry.example.com:5000/app");
        assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
        assert_eq!(r.repository, "app");
        assert_eq!(r.tag, None);
        let r = parse_image_ref("registry.example.com:5000/app:1.0");
        assert_eq!(r.tag.as_deref(), Some("1.0"));
        let r = parse_image_ref("quay.io/org/app:v1");
        assert_eq!(r.name, "quay.io/org/app");
    }

    #[test]
    fn digests_and_scratch() {
        let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let r = parse_image_ref(&format!("nginx:1.25@{d}"));
        assert_eq!(r.tag.as_deref(), Some("1.25"));
        assert_eq!(r.digest.as_deref(), Some(d));
        assert!(r.valid);
        let r = parse_image_ref("scratch");
        assert!(r.scratch);
        assert_eq!(r.registry, None);
        assert!(!parse_image_ref("Nginx").valid);
        assert!(!parse_image_ref("nginx:").valid);
    }
}
