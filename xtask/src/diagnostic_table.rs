//! `docs/diagnostics.md`: the diagnostic codes, from [`DiagnosticCode::ALL`].

use std::path::PathBuf;

use cct_engine::vocab::DiagnosticCode;

use crate::generate::Generated;

/// The page of the diagnostic codes.
pub(crate) fn generate() -> Generated {
    let mut text = String::from(
        "# Diagnostic codes

Generated from `DiagnosticCode` (`engine/src/vocab/code.rs`) by `cargo xtask gen`; do not edit
by hand.

A diagnostic is a problem of the tool, not a finding: an input that could not be read or judged,
a rule or a configuration that cannot be used. Reports give its code, its level and, when known,
where it is (`diagnostics` in JSON, `toolExecutionNotifications` in SARIF).

| code | meaning | en français |
|---|---|---|
",
    );
    for code in DiagnosticCode::ALL {
        let d = code.description();
        text.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            d.en.replace('|', "\\|"),
            d.fr.replace('|', "\\|")
        ));
    }
    Generated {
        path: PathBuf::from("docs/diagnostics.md"),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_row() {
        let page = generate().text;
        for code in DiagnosticCode::ALL {
            assert_eq!(
                page.matches(&format!("| `{}` |", code.as_str())).count(),
                1,
                "{code}"
            );
        }
    }
}
