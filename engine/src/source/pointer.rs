//! JSON pointers (RFC 6901): escaping and splitting.

/// Escape one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// Split a pointer into its unescaped tokens (`""` has none).
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The parent of a pointer (`None` for the root).
pub fn parent_pointer(pointer: &str) -> Option<&str> {
    if pointer.is_empty() {
        None
    } else {
        Some(pointer.rfind('/').map_or("", |i| &pointer[..i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_tokens("/a~1b~0c/0"), vec!["a/b~c", "0"]);
        assert!(pointer_tokens("").is_empty());
        assert_eq!(parent_pointer("/a/b"), Some("/a"));
        assert_eq!(parent_pointer("/a"), Some(""));
        assert_eq!(parent_pointer(""), None);
    }
}
