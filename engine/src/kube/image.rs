//! Container image references, parsed as Docker normalises them.

use serde_json::{json, Value};

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef {
    /// The reference as written.
    pub reference: String,
    /// Registry host (`docker.io` when unqualified).
    pub registry: String,
    /// Repository path (`library/nginx` for `nginx` on Docker Hub).
    pub repository: String,
    /// Tag, when written.
    pub tag: Option<String>,
    /// Digest (`sha256:…`), when written.
    pub digest: Option<String>,
    /// Whether the registry is written out.
    pub qualified: bool,
}

impl ImageRef {
    /// Parse a reference; `None` for an empty one.
    pub(crate) fn parse(reference: &str) -> Option<ImageRef> {
        let trimmed = reference.trim();
        if trimmed.is_empty() {
            return None;
        }
        let (name_tag, digest) = match trimmed.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (trimmed, None),
        };
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(name_tag[last_slash + i + 1..].to_string()),
            ),
            None => (name_tag, None),
        };
        let (registry, repository, qualified) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), rest.to_string(), true)
            }
            _ => {
                let repo = if name.contains('/') {
                    name.to_string()
                } else {
                    format!("library/{name}")
                };
                ("docker.io".to_string(), repo, false)
            }
        };
        Some(ImageRef {
            reference: reference.to_string(),
            registry,
            repository,
            tag,
            digest,
            qualified,
        })
    }

    /// The reference as a JSON object for rule views (absent parts left out).
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "reference": self.reference,
            "registry": self.registry,
            "repository": self.repository,
            "name": format!("{}/{}", self.registry, self.repository),
            "qualified": self.qualified,
        });
        if let Some(obj) = v.as_object_mut() {
            if let Some(t) = &self.tag {
                obj.insert("tag".into(), json!(t));
            }
            if let Some(d) = &self.digest {
                obj.insert("digest".into(), json!(d));
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn example_parse() {
        use crate::kube::ImageRef;
        let i = ImageRef::parse("nginx").unwrap();
        assert_eq!(
            (i.registry.as_str(), i.repository.as_str(), i.tag),
            ("docker.io", "library/nginx", None)
        );
        let i = ImageRef::parse("localhost:5000/a/b:1.2@sha256:abc").unwrap();
        assert_eq!(i.registry, "localhost:5000");
        assert_eq!(i.tag.as_deref(), Some("1.2"));
        assert_eq!(i.digest.as_deref(), Some("sha256:abc"));
    }

    use super::*;

    #[test]
    fn references() {
        let i = ImageRef::parse("harbor.example/prj/api:1.4.2").unwrap();
        assert_eq!(i.registry, "harbor.example");
        assert_eq!(i.repository, "prj/api");
        assert_eq!(i.tag.as_deref(), Some("1.4.2"));
        assert!(i.qualified);
        let i = ImageRef::parse("bitnami/redis:").unwrap();
        assert_eq!(i.tag.as_deref(), Some(""));
        assert_eq!(i.repository, "bitnami/redis");
        assert!(!i.qualified);
        assert!(ImageRef::parse("  ").is_none());
    }
}
