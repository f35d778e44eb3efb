//! The table of subject kinds in `docs/rule-format.md`, from [`SubjectKind::ALL`]: the rest of the
//! page is hand-written, so the table is spliced between two marker comments.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use cct_engine::vocab::SubjectKind;

use crate::generate::Generated;

/// The page that holds the table.
const PAGE: &str = "docs/rule-format.md";
/// The line before the table.
pub(crate) const START: &str = "<!-- generated: subjects (cargo xtask gen) -->";
/// The line after the table.
pub(crate) const END: &str = "<!-- end -->";

/// `docs/rule-format.md` with its subject table up to date.
pub(crate) fn generate(root: &Path) -> anyhow::Result<Generated> {
    let path = root.join(PAGE);
    let page = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Generated {
        path: PathBuf::from(PAGE),
        text: splice(&page, &table()).with_context(|| format!("in {PAGE}"))?,
    })
}

/// The Markdown table of the subject kinds.
fn table() -> String {
    let mut out =
        String::from("| subject | one per | the view a check receives |\n|---|---|---|\n");
    for kind in SubjectKind::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            kind.as_str(),
            cell(&kind.one_per().en),
            cell(&kind.view().en)
        ));
    }
    out
}

/// A table cell: pipes escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `page` with the lines between the markers replaced by `table`.
fn splice(page: &str, table: &str) -> anyhow::Result<String> {
    let marker = |m: &str| {
        let found: Vec<usize> = page
            .match_indices(m)
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || page[..i].ends_with('\n'))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => bail!("the marker line `{m}` is missing"),
            _ => bail!("the marker line `{m}` is written more than once"),
        }
    };
    let start = marker(START)?;
    let end = marker(END)?;
    if end < start {
        bail!("`{END}` comes before `{START}`");
    }
    let body = start + START.len();
    Ok(format!("{}\n{table}{}", &page[..body], &page[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_replaces_what_is_between_the_markers() {
        let page = format!("# T\n\n{START}\nold\nrows\n{END}\n\n### next\n");
        assert_eq!(
            splice(&page, "| a |\n").ok(),
            Some(format!("# T\n\n{START}\n| a |\n{END}\n\n### next\n"))
        );
        assert!(splice("no markers\n", "x").is_err());
        assert!(splice(&format!("{END}\n{START}\n"), "x").is_err());
    }

    #[test]
    fn every_subject_kind_has_a_row() {
        let t = table();
        for kind in SubjectKind::ALL {
            assert!(t.contains(&format!("| `{}` |", kind.as_str())), "{kind}");
        }
        assert_eq!(t.lines().count(), SubjectKind::ALL.len() + 2);
    }
}
