//! A GitLab CI configuration: its local includes followed within the repository, `extends`
//! and `!reference` resolved, and the repository's facts (the Dockerfiles discovery found).

use std::path::Path;
use std::sync::Arc;

use super::{LoadOptions, Loaded};
use crate::discover::{Discovered, Input};
use crate::source::SourceFile;

/// Load a CI file; with its input and what discovery saw, its folder is the repository (none:
/// checked alone, includes not followed).
pub(super) fn load(
    file: Arc<SourceFile>,
    repository: Option<(&Input, &Discovered)>,
    options: &LoadOptions,
) -> Loaded {
    let context = repository.map(|(input, discovered)| {
        // `Path::parent` of a bare file name is the empty path: the working folder.
        let dir = match input.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let files = if dir == Path::new(".") {
            discovered
                .files
                .iter()
                .map(|f| f.strip_prefix("./").unwrap_or(f))
                .map(|f| f.to_string_lossy().replace('\\', "/"))
                .collect()
        } else {
            discovered.files_below(dir)
        };
        (dir, files)
    });
    let repository = context
        .as_ref()
        .map(|(dir, files)| crate::gitlab::Repository { dir, files });
    let g = crate::gitlab::load(&file, repository, &options.yaml);
    let mut sources = vec![file];
    sources.extend(g.sources);
    Loaded {
        documents: g.document.into_iter().collect(),
        diagnostics: g.diagnostics,
        sources,
        included: Some(g.included),
        ..Loaded::default()
    }
}
