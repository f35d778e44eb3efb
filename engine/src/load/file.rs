//! Reading a file from disk, within limits: its size, UTF-8 text (a byte-order mark dropped).

use std::sync::Arc;

use crate::discover::Input;
use crate::source::SourceFile;
use crate::vocab::{Diagnostic, DiagnosticCode, DiagnosticLevel, Text};

/// Files larger than this are not read.
pub(crate) const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Read an input's file, or say why it cannot be.
pub(super) fn read(input: &Input) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let fail = |code: DiagnosticCode, en: String, fr: String| {
        Box::new(Diagnostic::for_path(
            &input.display,
            code,
            DiagnosticLevel::Error,
            Text::new(en, fr),
        ))
    };
    let unreadable = |e: std::io::Error| {
        fail(
            DiagnosticCode::FileUnreadable,
            format!("cannot read: {e}"),
            format!("lecture impossible : {e}"),
        )
    };
    let meta = std::fs::metadata(&input.path).map_err(unreadable)?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(fail(
            DiagnosticCode::FileTooLarge,
            format!("file larger than {} MiB, not checked", MAX_FILE_SIZE >> 20),
            format!(
                "fichier de plus de {} Mio, non vérifié",
                MAX_FILE_SIZE >> 20
            ),
        ));
    }
    let bytes = std::fs::read(&input.path).map_err(unreadable)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        fail(
            DiagnosticCode::FileNotUtf8,
            format!("not UTF-8 text (invalid byte at offset {at}), not checked"),
            format!("texte non UTF-8 (octet invalide à la position {at}), non vérifié"),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(SourceFile::new(input.display.clone(), text))
}
